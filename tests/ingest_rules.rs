//! File-level ingest behaviour (docs/ledgers.md inputs, §2 warehouse): encodings, workbooks, header
//! aliases, table detection, unreadable files, idempotence, corrections by key, `--strict`,
//! atomicity across files, `--regions` and privacy of stored names.
mod util;

use std::path::Path;

use util::{Dir, parse_csv};

const LIT: &str = "案号,审理法院,被告,区划代码,立案日期,结案日期,裁判结果,开庭日期,负责人出庭,原告";

/// A valid litigation row; `n` makes the case number unique.
fn lit(n: u32, region: &str, closed: &str, outcome: &str) -> String {
    format!("（2024）豫1202行初{n}号,湖滨区人民法院,三门峡市自然资源局,{region},2024-01-05,{closed},{outcome},,是,张三")
}

fn lit_file(rows: &[String]) -> String {
    format!("{LIT}\n{}\n", rows.join("\n"))
}

fn sql_csv(dir: &Dir, query: &str) -> (Vec<String>, Vec<Vec<String>>) {
    parse_csv(&dir.command(&["sql", query, "--format", "csv"]).stdout())
}

/// `metrics --format csv` as (header, rows).
fn metrics(dir: &Dir, args: &[&str]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut a = vec!["metrics", "--format", "csv"];
    a.extend_from_slice(args);
    parse_csv(&dir.command(&a).stdout())
}

/// The value of `column` in the row for `code`.
fn cell(table: &(Vec<String>, Vec<Vec<String>>), code: &str, column: &str) -> String {
    let (h, rows) = table;
    let ci = h.iter().position(|x| x == column).unwrap_or_else(|| panic!("no column {column} in {h:?}"));
    let ri = h.iter().position(|x| x == "region_code").unwrap();
    rows.iter().find(|r| r[ri] == code).unwrap_or_else(|| panic!("no row {code}"))[ci].clone()
}

fn assert_one_line(stderr: &str, must_contain: &[&str]) {
    let t = stderr.trim_end();
    assert_eq!(t.lines().count(), 1, "expected exactly one line on stderr, got:\n{stderr}");
    for w in must_contain {
        assert!(t.contains(w), "stderr {t:?} should contain {w:?}");
    }
    assert!(!t.contains("panicked"), "{t}");
}

fn manifest_bytes(dir: &Dir) -> Option<Vec<u8>> {
    std::fs::read(dir.join("warehouse/manifest.json")).ok()
}

/// Every file under `path` with its bytes, for "the warehouse is unchanged" checks (the writer's
/// lock file aside).
fn snapshot(path: &Path) -> Vec<(String, Vec<u8>)> {
    fn walk(root: &Path, p: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let Ok(entries) = std::fs::read_dir(p) else { return };
        for e in entries.flatten() {
            let path = e.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if path.file_name().is_some_and(|n| n != ".lock") {
                out.push((path.strip_prefix(root).unwrap().display().to_string(), std::fs::read(&path).unwrap()));
            }
        }
    }
    let mut out = Vec::new();
    walk(path, path, &mut out);
    out.sort();
    out
}

fn file_record(dir: &Dir, ingest: usize, file: usize) -> serde_json::Value {
    dir.manifest("warehouse")["ingests"][ingest]["files"][file].clone()
}

// ---------------------------------------------------------------- encodings and workbooks

#[test]
fn gbk_csv_is_detected_and_decoded() {
    let dir = Dir::new();
    let text = format!(
        "{LIT}\r\n{}\r\n{}\r\n",
        lit(1, "411202", "2024-03-01", "撤销"),
        lit(2, "411282", "", "").replace("三门峡市自然资源局", "灵宝市人力资源和社会保障局")
    );
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&gbk).is_err(), "the fixture must not be valid UTF-8");
    dir.create_bytes("gbk.csv", &gbk);
    dir.command(&["ingest", "gbk.csv"]).stdout();
    let f = file_record(&dir, 0, 0);
    assert_eq!((f["rows_read"].as_u64(), f["rows_accepted"].as_u64()), (Some(2), Some(2)), "{f}");
    let (_, rows) = sql_csv(&dir, "SELECT case_no, defendant, plaintiff FROM litigation ORDER BY case_no");
    assert_eq!(
        rows,
        vec![
            vec!["（2024）豫1202行初1号".to_string(), "三门峡市自然资源局".into(), "张某".into()],
            vec!["（2024）豫1202行初2号".to_string(), "灵宝市人力资源和社会保障局".into(), "张某".into()],
        ]
    );
}

#[test]
fn utf8_with_bom_is_read() {
    let dir = Dir::new();
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(lit_file(&[lit(1, "411202", "2024-03-01", "撤销")]).as_bytes());
    dir.create_bytes("bom.csv", &bytes);
    dir.command(&["ingest", "bom.csv"]).stdout();
    let f = file_record(&dir, 0, 0);
    assert_eq!(f["table"], "litigation");
    assert_eq!(f["rows_accepted"].as_u64(), Some(1), "{f}");
    // The BOM did not end up in the first header (案号 was recognised) nor in the key.
    assert!(f["ignored_columns"].as_array().unwrap().is_empty(), "{f}");
    let (_, rows) = sql_csv(&dir, "SELECT case_no FROM litigation");
    assert_eq!(rows, vec![vec!["（2024）豫1202行初1号".to_string()]]);
}

#[test]
fn xlsx_with_date_cells_and_numeric_codes() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = Dir::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("行政诉讼台账").unwrap();
    let datefmt = Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
    ws.write_string(0, 0, "三门峡市2024年行政诉讼案件台账").unwrap();
    let headers = ["序号", "案号", "被告", "区划代码", "立案日期", "结案日期", "裁判结果", "开庭日期", "负责人出庭"];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    // Sheet row 3: a real date cell and a numeric region code 411202.0.
    ws.write_number(2, 0, 1.0).unwrap();
    ws.write_string(2, 1, "（2024）豫1202行初15号").unwrap();
    ws.write_string(2, 2, "三门峡市自然资源局").unwrap();
    ws.write_number(2, 3, 411202.0).unwrap();
    ws.write_datetime_with_format(2, 4, ExcelDateTime::from_ymd(2024, 5, 30).unwrap(), &datefmt).unwrap();
    ws.write_datetime_with_format(2, 5, ExcelDateTime::from_ymd(2024, 9, 2).unwrap(), &datefmt).unwrap();
    ws.write_string(2, 6, "判决撤销").unwrap();
    ws.write_string(2, 7, "2024年7月1日").unwrap();
    ws.write_boolean(2, 8, true).unwrap();
    // Sheet row 4: a bare serial (45442 = 2024-05-30) and a 9-digit numeric code.
    ws.write_number(3, 0, 2.0).unwrap();
    ws.write_string(3, 1, "(2024)豫1282行初7号").unwrap();
    ws.write_string(3, 2, "灵宝市人民政府").unwrap();
    ws.write_number(3, 3, 411282101.0).unwrap();
    ws.write_number(3, 4, 45442.0).unwrap();
    ws.write_string(3, 8, "否").unwrap();
    // A second sheet of notes is not read.
    let notes = wb.add_worksheet();
    notes.set_name("填报说明").unwrap();
    notes.write_string(0, 0, "说明").unwrap();
    wb.save(dir.join("lit.xlsx")).unwrap();

    dir.command(&["ingest", "lit.xlsx"]).stdout();
    let f = file_record(&dir, 0, 0);
    assert_eq!(f["table"], "litigation");
    assert_eq!((f["rows_read"].as_u64(), f["rows_accepted"].as_u64(), f["rows_rejected"].as_u64()), (Some(2), Some(2), Some(0)), "{f}");
    let (_, rows) = sql_csv(
        &dir,
        "SELECT case_no, region_code, CAST(filed_date AS VARCHAR), CAST(closed_date AS VARCHAR), outcome, CAST(hearing_date AS VARCHAR), head_appeared FROM litigation ORDER BY region_code",
    );
    assert_eq!(
        rows,
        vec![
            vec!["（2024）豫1202行初15号", "411202", "2024-05-30", "2024-09-02", "撤销", "2024-07-01", "true"],
            vec!["（2024）豫1282行初7号", "411282101", "2024-05-30", "", "", "", "false"],
        ]
        .into_iter()
        .map(|r| r.into_iter().map(String::from).collect::<Vec<_>>())
        .collect::<Vec<_>>()
    );
}

#[test]
fn xlsx_named_sheet() {
    use rust_xlsxwriter::Workbook;
    let dir = Dir::new();
    let mut wb = Workbook::new();
    let notes = wb.add_worksheet();
    notes.set_name("填报说明").unwrap();
    notes.write_string(0, 0, "本表由各县区司法局填报").unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("诉讼").unwrap();
    for (c, h) in ["案号", "被告", "区划代码", "立案日期"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "（2024）豫1202行初1号").unwrap();
    ws.write_string(1, 1, "三门峡市自然资源局").unwrap();
    ws.write_string(1, 2, "411202").unwrap();
    ws.write_string(1, 3, "2024-01-05").unwrap();
    wb.save(dir.join("book.xlsx")).unwrap();
    // Without --sheet every ledger sheet is read; the notes sheet is named as skipped.
    let out = dir.command(&["ingest", "book.xlsx", "--warehouse", "all"]).stdout();
    assert!(out.contains("skipped sheet 填报说明: no ledger header"), "{out}");
    // --sheet picks one; the notes sheet named alone is an unknown layout.
    let err = dir.command(&["ingest", "book.xlsx", "--sheet", "填报说明"]).fails(3);
    assert_one_line(&err, &["book.xlsx"]);
    assert!(manifest_bytes(&dir).is_none());
    dir.command(&["ingest", "book.xlsx", "--sheet", "诉讼"]).stdout();
    assert_eq!(file_record(&dir, 0, 0)["rows_accepted"].as_u64(), Some(1));
}

// ---------------------------------------------------------------- headers and layout

#[test]
fn header_aliases_and_variants_and_wan_yuan() {
    let dir = Dir::new();
    // Full-width brackets, spaces, unit suffixes, other aliases; 罚款金额（万元） means ×10,000.
    let pen = "决定书文号, 处罚机关 ,行政区划代码,决定日期,处罚种类,罚款金额（万元）,没收违法所得(元),裁量情形,是否赋权,当 事 人\n\
               三市监罚〔2024〕1号,三门峡市市场监督管理局,411202,2024/5/30,罚款,1.5,\"2,000元\",从轻,√,王五\n\
               三市监罚〔2024〕2号,三门峡市市场监督管理局,411202,2024.6.1,罚款,0.123456,,一般,×,三门峡某某建筑有限公司\n\
               三市监罚〔2024〕3号,湖滨区交通街道办事处,411202,20240602,警告,,,,,\n";
    dir.create("pen.csv", pen);
    let lit = "案 号,被诉行政机关,被告所属区划,收案日期,审结日期,结案方式,负责人是否出庭,出庭出声,通知出庭,是否经复议,开庭日期\n\
               （2024）豫1202行初1号,三门峡市自然资源局,411202,2024年1月5日,2024年3月1日,判决确认违法,Y,N,1,0,2024-02-01\n";
    dir.create("lit.csv", lit);
    let rec = "案号,被申请人,区划代码,申请日期,结案日期,结案方式,复议后起诉\n三政复〔2024〕1号,三门峡市公安局,411200,2024-01-05,2024-03-01,驳回行政复议请求,是\n";
    dir.create("rec.csv", rec);
    let eng = "case_no,defendant,region_code,filed_date\n（2024）豫1202行初2号,三门峡市公安局,411202,2024-02-01\n";
    dir.create("eng.csv", eng);
    dir.command(&["ingest", "pen.csv", "lit.csv", "rec.csv", "eng.csv"]).stdout();
    let m = dir.manifest("warehouse");
    let files = m["ingests"][0]["files"].as_array().unwrap();
    let tables: Vec<&str> = files.iter().map(|f| f["table"].as_str().unwrap()).collect();
    assert_eq!(tables, ["penalty", "litigation", "reconsideration", "litigation"]);
    for f in files {
        assert_eq!(f["rows_rejected"].as_u64(), Some(0), "{f}");
        assert!(f["ignored_columns"].as_array().unwrap().is_empty(), "every header is an alias: {f}");
    }
    let (_, rows) = sql_csv(
        &dir,
        "SELECT decision_no, agency, fine_yuan, confiscated_yuan, leniency, delegated, party FROM penalty ORDER BY decision_no",
    );
    let want = [
        ["三市监罚〔2024〕1号", "三门峡市市场监督管理局", "15000.00", "2000.00", "从轻处罚", "true", "王某"],
        ["三市监罚〔2024〕2号", "三门峡市市场监督管理局", "1234.56", "", "一般", "false", "三门峡某某建筑有限公司"],
        ["三市监罚〔2024〕3号", "湖滨区交通街道办事处", "", "", "", "", ""],
    ];
    assert_eq!(rows, want.iter().map(|r| r.iter().map(|s| s.to_string()).collect::<Vec<_>>()).collect::<Vec<_>>());
    let (_, rows) = sql_csv(
        &dir,
        "SELECT case_no, defendant, region_code, CAST(filed_date AS VARCHAR), CAST(closed_date AS VARCHAR), outcome, head_appeared, head_spoke, appearance_required, reconsidered FROM litigation ORDER BY case_no",
    );
    assert_eq!(
        rows[0],
        ["（2024）豫1202行初1号", "三门峡市自然资源局", "411202", "2024-01-05", "2024-03-01", "确认违法", "true", "false", "true", "false"]
    );
    assert_eq!(rows[1][..4], ["（2024）豫1202行初2号", "三门峡市公安局", "411202", "2024-02-01"]);
    let (_, rows) = sql_csv(&dir, "SELECT case_no, respondent, decision, sued_after FROM reconsideration");
    assert_eq!(rows, vec![vec!["三政复〔2024〕1号", "三门峡市公安局", "驳回", "true"]]);
    // Fines in the metrics: sums with two decimals, 0.00 where there is nothing to sum.
    let t = metrics(&dir, &["--level", "county", "--parent", "411200", "--period", "2024"]);
    assert_eq!(cell(&t, "411202", "penalty_cases"), "3");
    assert_eq!(cell(&t, "411202", "fines_yuan"), "16234.56");
    assert_eq!(cell(&t, "411202", "confiscated_yuan"), "2000.00");
    assert_eq!(cell(&t, "411203", "fines_yuan"), "0.00");
    let t = metrics(&dir, &["--level", "city", "--period", "2024"]);
    assert_eq!(cell(&t, "411200", "fines_yuan"), "16234.56");
}

#[test]
fn ignored_columns_are_named_in_the_manifest() {
    let dir = Dir::new();
    let text = format!("序号,{LIT},备注,\n1,{},请核实,\n", lit(1, "411202", "2024-03-01", "撤销"));
    dir.create("lit.csv", &text);
    let out = dir.command(&["ingest", "lit.csv"]).stdout();
    let f = file_record(&dir, 0, 0);
    let ignored: Vec<&str> = f["ignored_columns"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(ignored.contains(&"序号") && ignored.contains(&"备注"), "{f}");
    assert_eq!(f["rows_accepted"].as_u64(), Some(1), "{f}");
    assert!(out.contains("序号") && out.contains("备注"), "ingest should say which columns it ignored:\n{out}");
}

#[test]
fn title_rows_above_the_header_are_skipped() {
    let dir = Dir::new();
    let text = format!(
        "三门峡市2024年行政诉讼案件统计台账,,,,,,,,,\n填报单位：三门峡市司法局,,,,,,,,,\n{LIT}\n{}\n{}\n",
        lit(1, "411202", "2024-03-01", "撤销"),
        lit(2, "411202", "2024-03-01", "胜诉")
    );
    dir.create("lit.csv", &text);
    dir.command(&["ingest", "lit.csv"]).stdout();
    let f = file_record(&dir, 0, 0);
    assert_eq!((f["rows_read"].as_u64(), f["rows_accepted"].as_u64(), f["rows_rejected"].as_u64()), (Some(2), Some(1), Some(1)), "{f}");
    // Lines still count from the top of the file.
    let rejects = dir.rejects("warehouse");
    assert_eq!(rejects.len(), 1);
    assert_eq!(&rejects[0][1], "5");
}

#[test]
fn table_is_detected_and_can_be_named() {
    let dir = Dir::new();
    // Headers that fit both litigation (被告, 收案日期 = filed) and reconsideration (被申请人,
    // 收案日期 = received).
    let both = "案号,被告,被申请人,区划代码,收案日期\n三政复〔2024〕9号,三门峡市公安局,三门峡市公安局,411200,2024-01-05\n";
    dir.create("both.csv", both);
    dir.command(&["ingest", "both.csv", "--table", "reconsideration"]).stdout();
    let f = file_record(&dir, 0, 0);
    assert_eq!(f["table"], "reconsideration", "{f}");
    assert_eq!(f["rows_accepted"].as_u64(), Some(1), "{f}");
    let (_, rows) = sql_csv(&dir, "SELECT case_no, respondent FROM reconsideration");
    assert_eq!(rows, vec![vec!["三政复〔2024〕9号", "三门峡市公安局"]]);

    // Naming a table the headers do not fit: exit 3, one line naming the file.
    dir.create("lit.csv", &lit_file(&[lit(1, "411202", "", "")]));
    let before = manifest_bytes(&dir);
    let err = dir.command(&["ingest", "lit.csv", "--table", "penalty"]).fails(3);
    assert_one_line(&err, &["lit.csv", "line 1"]);
    assert_eq!(manifest_bytes(&dir), before);
    // Without --table it is detected.
    dir.command(&["ingest", "lit.csv"]).stdout();
    assert_eq!(file_record(&dir, 1, 0)["table"], "litigation");
}

#[test]
fn unknown_layout_is_one_line_naming_file_line_and_column() {
    let dir = Dir::new();
    dir.create("people.csv", "姓名,年龄,住址\n张三,30,湖滨区\n");
    let err = dir.command(&["ingest", "people.csv"]).fails(3);
    assert_one_line(&err, &["people.csv", "line 1", "column"]);
    assert!(manifest_bytes(&dir).is_none());
    // A ledger lacking a required column names that column.
    dir.create("short.csv", "案号,被告,区划代码,结案日期\n（2024）豫1202行初1号,三门峡市自然资源局,411202,2024-03-01\n");
    let err = dir.command(&["ingest", "short.csv"]).fails(3);
    assert_one_line(&err, &["short.csv", "line 1"]);
    assert!(err.contains("立案日期") || err.contains("filed_date"), "{err}");
}

#[test]
fn empty_binary_and_mixed_encoding_files_exit_3_with_one_line() {
    let dir = Dir::new();
    dir.create_bytes("empty.csv", b"");
    assert_one_line(&dir.command(&["ingest", "empty.csv"]).fails(3), &["empty.csv"]);
    // Header only, or only blank lines: nothing to read either way, but no crash.
    dir.create("blank.csv", "\n\n  \n");
    assert_one_line(&dir.command(&["ingest", "blank.csv"]).fails(3), &["blank.csv"]);

    let junk: Vec<u8> = (0..2048u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    dir.create_bytes("junk.csv", &junk);
    assert_one_line(&dir.command(&["ingest", "junk.csv"]).fails(3), &["junk.csv"]);
    // High bytes without NULs that are neither UTF-8 nor GBK.
    dir.create_bytes("junk2.csv", b"\x81\x20\xff\xfe\x80\x81,\x82\x7f\n\xfe\xff\xff\n");
    assert_one_line(&dir.command(&["ingest", "junk2.csv"]).fails(3), &["junk2.csv"]);
    // A workbook that is not one.
    dir.create("fake.xlsx", "案号,被告\n");
    assert_one_line(&dir.command(&["ingest", "fake.xlsx"]).fails(3), &["fake.xlsx"]);

    // UTF-8 header and first row, then a GBK row: mixed encodings, reported at line 3.
    let mut mixed = lit_file(&[lit(1, "411202", "", "")]).into_bytes();
    let row3 = format!("{}\n", lit(2, "411202", "", ""));
    let (gbk, _, _) = encoding_rs::GBK.encode(&row3);
    mixed.extend_from_slice(&gbk);
    dir.create_bytes("mixed.csv", &mixed);
    let err = dir.command(&["ingest", "mixed.csv"]).fails(3);
    assert_one_line(&err, &["mixed.csv", "line 3"]);
    // GBK header and first row, then a UTF-8 row.
    let head = lit_file(&[lit(1, "411202", "", "")]);
    let mut mixed2 = encoding_rs::GBK.encode(&head).0.into_owned();
    mixed2.extend_from_slice(format!("{}\n", lit(2, "411202", "", "")).as_bytes());
    dir.create_bytes("mixed2.csv", &mixed2);
    assert_one_line(&dir.command(&["ingest", "mixed2.csv"]).fails(3), &["mixed2.csv"]);
    assert!(manifest_bytes(&dir).is_none(), "nothing may be committed");
}

#[test]
fn missing_file_fails_with_one_line() {
    let dir = Dir::new();
    let o = dir.command(&["ingest", "no-such-file.csv"]).output();
    assert_eq!(o.status.code(), Some(3), "an unreadable file exits 3");
    assert_one_line(&String::from_utf8_lossy(&o.stderr), &["no-such-file.csv"]);
    assert!(manifest_bytes(&dir).is_none());
}

// ---------------------------------------------------------------- keys, corrections, idempotence

#[test]
fn reingesting_the_same_file_is_reported_and_changes_nothing() {
    let dir = Dir::new();
    let text = lit_file(&[lit(1, "411202", "2024-03-01", "撤销"), lit(2, "411202", "", "胜诉")]);
    dir.create("lit.csv", &text);
    dir.command(&["ingest", "lit.csv"]).stdout();
    let before = snapshot(&dir.join("warehouse"));
    let out = dir.command(&["ingest", "lit.csv"]).stdout();
    assert!(out.contains("already ingested"), "{out}");
    // The same content under another name is the same ledger.
    dir.create("copy.csv", &text);
    let out = dir.command(&["ingest", "copy.csv"]).stdout();
    assert!(out.contains("already ingested"), "{out}");
    assert!(snapshot(&dir.join("warehouse")) == before, "the warehouse changed on a re-ingest");
    let (_, rows) = sql_csv(&dir, "SELECT count(*) FROM litigation");
    assert_eq!(rows[0][0], "1");
}

/// The manifest names a file by its BLAKE3, the hex `b3sum` prints; a manifest written before
/// BLAKE3 names it by SHA-256, and the same content must still be recognised.
#[test]
fn a_file_recorded_by_its_sha256_alone_is_still_recognised() {
    use sha2::{Digest, Sha256};
    let dir = Dir::new();
    let text = lit_file(&[lit(1, "411202", "2024-03-01", "撤销")]);
    dir.create("lit.csv", &text);
    dir.command(&["ingest", "lit.csv"]).stdout();
    let path = dir.join("warehouse").join("manifest.json");
    let mut manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let record = &mut manifest["ingests"][0]["files"][0];
    assert_eq!(record["blake3"].as_str(), Some(blake3::hash(text.as_bytes()).to_hex().as_str()));
    assert!(record.get("sha256").is_none(), "{record}");
    // As an older fuyuan wrote it.
    let record = record.as_object_mut().unwrap();
    record.remove("blake3");
    record.insert("sha256".into(), format!("{:x}", Sha256::digest(text.as_bytes())).into());
    std::fs::write(&path, serde_json::to_vec_pretty(&manifest).unwrap()).unwrap();
    dir.create("copy.csv", &text);
    let out = dir.command(&["ingest", "copy.csv"]).stdout();
    assert!(out.contains("already ingested"), "{out}");
    // Another content of the same size is new.
    let other = text.replacen("行初1号", "行初2号", 1);
    assert_eq!(other.len(), text.len());
    dir.create("other.csv", &other);
    let out = dir.command(&["ingest", "other.csv"]).stdout();
    assert!(!out.contains("already ingested"), "{out}");
    let (_, rows) = sql_csv(&dir, "SELECT count(*) FROM litigation");
    assert_eq!(rows[0][0], "2");
    // Records older still carry no size either: any file may be the one they name.
    let mut manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    for ingest in manifest["ingests"].as_array_mut().unwrap() {
        for record in ingest["files"].as_array_mut().unwrap() {
            record.as_object_mut().unwrap().remove("bytes");
        }
    }
    std::fs::write(&path, serde_json::to_vec_pretty(&manifest).unwrap()).unwrap();
    dir.create("third.csv", &format!("{text}\n"));
    let out = dir.command(&["ingest", "lit.csv", "third.csv"]).stdout();
    assert_eq!(out.matches("already ingested").count(), 1, "{out}");
}

#[test]
fn a_later_file_corrects_a_case_written_with_other_brackets() {
    let dir = Dir::new();
    dir.create(
        "a.csv",
        &lit_file(&[
            "（2024）豫1202行初4号,湖滨区人民法院,三门峡市公安局,411202,2024-01-05,2024-06-01,撤销,,是,".into(),
            "（2024）豫1202行初5号,湖滨区人民法院,三门峡市自然资源局,411202,2024-01-05,2024-06-01,判决驳回原告诉讼请求,,是,".into(),
        ]),
    );
    dir.create(
        "b.csv",
        &lit_file(&[
            "（2024）豫1202行初6号,湖滨区人民法院,三门峡市自然资源局,411202,2024-02-05,,,,,".into(),
            "(2024) 豫1202行初5号,湖滨区人民法院,三门峡市自然资源局,411202,2024-01-05,2024-07-01,判决撤销,,是,".into(),
        ]),
    );
    dir.command(&["ingest", "a.csv"]).stdout();
    let t = metrics(&dir, &["--level", "county", "--parent", "411200", "--period", "2024"]);
    assert_eq!(
        (cell(&t, "411202", "concluded"), cell(&t, "411202", "lost"), cell(&t, "411202", "loss_rate")),
        ("2".into(), "1".into(), "0.5".into())
    );

    dir.command(&["ingest", "b.csv"]).stdout();
    let t = metrics(&dir, &["--level", "county", "--parent", "411200", "--period", "2024"]);
    assert_eq!(cell(&t, "411202", "filed"), "3");
    assert_eq!(
        (cell(&t, "411202", "concluded"), cell(&t, "411202", "lost"), cell(&t, "411202", "loss_rate")),
        ("2".into(), "2".into(), "1".into())
    );
    let (_, rows) = sql_csv(&dir, "SELECT case_no, outcome, CAST(closed_date AS VARCHAR) FROM litigation WHERE case_no LIKE '%行初5号'");
    assert_eq!(rows, vec![vec!["（2024）豫1202行初5号", "撤销", "2024-07-01"]]);

    let f = file_record(&dir, 1, 0);
    let replaced = f["replaced"].as_array().unwrap_or_else(|| panic!("{f}"));
    assert_eq!(replaced.len(), 1, "{f}");
    let r = &replaced[0];
    assert_eq!(r["key"], "（2024）豫1202行初5号");
    assert!(r["old_file"].as_str().unwrap().ends_with("a.csv"), "{r}");
    assert_eq!(r["old_line"].as_i64(), Some(3), "{r}");
    assert!(r["new_file"].as_str().unwrap().ends_with("b.csv"), "{r}");
    assert_eq!(r["new_line"].as_i64(), Some(3), "{r}");
}

#[test]
fn a_rejected_row_never_replaces_anything() {
    let dir = Dir::new();
    dir.create("a.csv", &lit_file(&[lit(5, "411202", "2024-06-01", "撤销")]));
    dir.create("b.csv", &lit_file(&[lit(5, "411202", "2023-02-29", "驳回诉讼请求")]));
    dir.command(&["ingest", "a.csv"]).stdout();
    dir.command(&["ingest", "b.csv"]).stdout();
    let f = file_record(&dir, 1, 0);
    assert_eq!(f["rows_rejected"].as_u64(), Some(1), "{f}");
    assert!(f["replaced"].as_array().unwrap().is_empty(), "{f}");
    let (_, rows) = sql_csv(&dir, "SELECT outcome, _source_file FROM litigation");
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][0], "撤销");
}

#[test]
fn a_duplicate_key_within_one_file_keeps_the_last_row() {
    let dir = Dir::new();
    dir.create(
        "lit.csv",
        &lit_file(&[
            lit(5, "411202", "2024-06-01", "驳回诉讼请求"),
            lit(6, "411203", "", ""),
            lit(5, "411202", "2024-06-01", "撤销").replace("（2024）", "[2024]"),
        ]),
    );
    dir.command(&["ingest", "lit.csv"]).stdout();
    let (_, rows) = sql_csv(&dir, "SELECT case_no, outcome FROM litigation ORDER BY case_no");
    assert_eq!(rows, vec![vec!["（2024）豫1202行初5号", "撤销"], vec!["（2024）豫1202行初6号", ""]]);
    let f = file_record(&dir, 0, 0);
    assert_eq!(f["rows_read"].as_u64(), Some(3), "{f}");
    assert_eq!(f["rows_read"].as_u64().unwrap(), f["rows_accepted"].as_u64().unwrap() + f["rows_rejected"].as_u64().unwrap());
    let replaced = f["replaced"].as_array().unwrap();
    assert_eq!(replaced.len(), 1, "the replaced row is recorded: {f}");
    assert_eq!((replaced[0]["old_line"].as_i64(), replaced[0]["new_line"].as_i64()), (Some(2), Some(4)), "{f}");
    let t = metrics(&dir, &["--level", "county", "--parent", "411200", "--period", "2024"]);
    assert_eq!(cell(&t, "411202", "lost"), "1");
    assert_eq!(cell(&t, "411202", "filed"), "1");
}

// ---------------------------------------------------------------- strict, atomic

#[test]
fn strict_with_a_bad_row_exits_4_and_writes_nothing() {
    let dir = Dir::new();
    let bad = lit_file(&[lit(1, "411202", "2024-03-01", "撤销"), lit(2, "419999", "", "")]);
    dir.create("bad.csv", &bad);
    // Into no warehouse: none appears.
    let err = dir.command(&["ingest", "--strict", "bad.csv"]).fails(4);
    assert_one_line(&err, &["bad.csv"]);
    assert!(manifest_bytes(&dir).is_none(), "manifest.json must stay absent");
    assert!(!dir.join("warehouse/rejects").exists() || snapshot(&dir.join("warehouse/rejects")).is_empty());

    // Into an existing warehouse: every byte stays.
    dir.create("good.csv", &lit_file(&[lit(3, "411202", "", "")]));
    dir.command(&["ingest", "good.csv"]).stdout();
    let before = snapshot(&dir.join("warehouse"));
    let err = dir.command(&["ingest", "--strict", "bad.csv"]).fails(4);
    assert_one_line(&err, &["bad.csv"]);
    assert!(snapshot(&dir.join("warehouse")) == before, "--strict failure changed the warehouse");
    // The strict failure did not mark the file as ingested.
    let out = dir.command(&["ingest", "bad.csv"]).stdout();
    assert!(!out.contains("already ingested"), "{out}");
    // …and a clean file passes --strict.
    dir.create("good2.csv", &lit_file(&[lit(4, "411202", "", "")]));
    dir.command(&["ingest", "--strict", "good2.csv"]).stdout();
}

#[test]
fn a_failing_file_among_several_commits_nothing() {
    let dir = Dir::new();
    dir.create("first.csv", &lit_file(&[lit(1, "411202", "", "")]));
    dir.command(&["ingest", "first.csv"]).stdout();
    let before = snapshot(&dir.join("warehouse"));

    dir.create("good.csv", &lit_file(&[lit(2, "411202", "2024-03-01", "撤销"), lit(3, "411203", "", "胜诉")]));
    dir.create("people.csv", "姓名,年龄\n张三,30\n");
    dir.create_bytes("empty.csv", b"");
    for bad in ["people.csv", "empty.csv", "missing.csv"] {
        let o = dir.command(&["ingest", "good.csv", bad]).output();
        assert_eq!(o.status.code(), Some(3), "ingest good.csv {bad} should fail with exit 3");
        assert_one_line(&String::from_utf8_lossy(&o.stderr), &[bad]);
        assert!(snapshot(&dir.join("warehouse")) == before, "ingest good.csv {bad} changed the warehouse");
    }
    // The bad file first does not matter either.
    let o = dir.command(&["ingest", "people.csv", "good.csv"]).output();
    assert_eq!(o.status.code(), Some(3));
    assert!(snapshot(&dir.join("warehouse")) == before);
    // good.csv was not recorded as ingested by the failed runs.
    let out = dir.command(&["ingest", "good.csv"]).stdout();
    assert!(!out.contains("already ingested"), "{out}");
    let (_, rows) = sql_csv(&dir, "SELECT count(*) FROM litigation");
    assert_eq!(rows[0][0], "2");
}

// ---------------------------------------------------------------- regions, privacy, cell forms

#[test]
fn regions_additions_persist_across_later_ingests() {
    let dir = Dir::new();
    dir.create(
        "zones.csv",
        "code,name,level,parent_code\n411202001,湖滨街道,township,411202\n411271,三门峡经济开发区,county,411200\n411271100,开发区示范镇,township,411271\n",
    );
    dir.create("a.csv", &lit_file(&[lit(1, "411202001", "", "")]));
    dir.command(&["ingest", "a.csv", "--regions", "zones.csv"]).stdout();
    // A later ingest without --regions still knows the zone and its township.
    dir.create("b.csv", &lit_file(&[lit(2, "411271", "", ""), lit(3, "411271100", "", "")]));
    dir.command(&["ingest", "b.csv"]).stdout();
    let f = file_record(&dir, 1, 0);
    assert_eq!(f["rows_rejected"].as_u64(), Some(0), "{f}");
    dir.create("c.csv", &lit_file(&[lit(4, "411202001", "", "")]));
    dir.command(&["ingest", "c.csv"]).stdout();

    let t = metrics(&dir, &["--level", "county", "--parent", "411200", "--period", "2024"]);
    assert_eq!(cell(&t, "411271", "region_name"), "三门峡经济开发区");
    assert_eq!(cell(&t, "411271", "filed"), "2");
    assert_eq!(cell(&t, "411202", "filed"), "2");
    let t = metrics(&dir, &["--level", "township", "--parent", "411202", "--period", "2024"]);
    assert_eq!(cell(&t, "411202001", "region_name"), "湖滨街道", "the user's name, not the code");
    let t = metrics(&dir, &["--level", "city", "--period", "2024"]);
    assert_eq!(cell(&t, "411200", "filed"), "4");
    let (_, rows) = sql_csv(
        &dir,
        "SELECT code, name, level, parent_code FROM regions WHERE code IN ('411271', '411202001', '411271100') ORDER BY code",
    );
    assert_eq!(
        rows,
        vec![
            vec!["411202001", "湖滨街道", "township", "411202"],
            vec!["411271", "三门峡经济开发区", "county", "411200"],
            vec!["411271100", "开发区示范镇", "township", "411271"],
        ]
    );
}

#[test]
fn a_bad_regions_file_fails_with_its_line() {
    let dir = Dir::new();
    dir.create("a.csv", &lit_file(&[lit(1, "411202", "", "")]));
    // Line 3 names a parent that is neither built in nor in the file.
    dir.create("zones.csv", "code,name,level,parent_code\n411202001,湖滨街道,township,411202\n411299001,某镇,township,411299\n");
    let err = dir.command(&["ingest", "a.csv", "--regions", "zones.csv"]).fails(3);
    assert_one_line(&err, &["zones.csv", "411299", "line 3"]);
    dir.create("zones2.csv", "code,name,level,parent_code\n411202001,湖滨街道,village,411202\n");
    let err = dir.command(&["ingest", "a.csv", "--regions", "zones2.csv"]).fails(3);
    assert_one_line(&err, &["zones2.csv", "line 2", "village"]);
    assert!(manifest_bytes(&dir).is_none(), "nothing may be committed");
}

#[test]
fn personal_names_are_stored_masked() {
    let dir = Dir::new();
    let rows = [
        "（2024）豫1202行初1号,湖滨区人民法院,三门峡市自然资源局,411202,2024-01-05,,,,,张三",
        "（2024）豫1202行初2号,湖滨区人民法院,三门峡市自然资源局,411202,2024-01-05,,,,,欧阳娜娜",
        "（2024）豫1202行初3号,湖滨区人民法院,三门峡市自然资源局,411202,2024-01-05,,,,, 李四 ",
    ];
    dir.create("lit.csv", &lit_file(&rows.map(String::from)));
    dir.create("rec.csv", "复议案号,被申请人,区划代码,收案日期,申请人\n三政复〔2024〕1号,三门峡市公安局,411200,2024-01-05,王小明\n");
    dir.command(&["ingest", "lit.csv", "rec.csv"]).stdout();
    let (_, got) = sql_csv(&dir, "SELECT plaintiff FROM litigation ORDER BY case_no");
    assert_eq!(got, vec![vec!["张某"], vec!["欧阳某"], vec!["李某"]]);
    let (_, got) = sql_csv(&dir, "SELECT applicant FROM reconsideration");
    assert_eq!(got, vec![vec!["王某"]]);
    let all = dir.command(&["sql", "SELECT * FROM litigation", "--format", "csv"]).stdout();
    for name in ["张三", "娜娜", "李四"] {
        assert!(!all.contains(name), "{name} is stored in full:\n{all}");
    }
}

#[test]
fn cell_forms_of_the_contract_are_accepted() {
    let dir = Dir::new();
    let rows = [
        "（2024）豫1202行初1号,,三门峡市自然资源局,411202,2024/5/30,2024年6月1日,判决驳回原告诉讼请求,20240531,Y,",
        "（2024）豫1202行初2号,,三门峡市自然资源局,411202,2024.5.30,2024-06-01,裁定驳回起诉,,√,",
        "（2024）豫1202行初3号,,三门峡市自然资源局,411202,2024-05-30,2024-06-01,按撤诉处理,,×,",
        "（2024）豫1202行初4号,,三门峡市自然资源局,411202,２０２４-０５-３０,2024-06-01,判决确认违法,,true,",
        "（2024）豫1202行初5号,,三门峡市自然资源局,411202,2024-05-30,2024-06-01,撤诉,,,",
        "（2024）豫1202行初6号,,三门峡市自然资源局,411202.0,2024-05-30,,,,否,",
    ];
    dir.create("lit.csv", &lit_file(&rows.map(String::from)));
    dir.command(&["ingest", "lit.csv"]).stdout();
    assert_eq!(file_record(&dir, 0, 0)["rows_rejected"].as_u64(), Some(0), "{}", file_record(&dir, 0, 0));
    let (_, got) = sql_csv(
        &dir,
        "SELECT CAST(filed_date AS VARCHAR), CAST(closed_date AS VARCHAR), outcome, CAST(hearing_date AS VARCHAR), head_appeared, region_code FROM litigation ORDER BY case_no",
    );
    let want = [
        ["2024-05-30", "2024-06-01", "驳回诉讼请求", "2024-05-31", "true", "411202"],
        ["2024-05-30", "2024-06-01", "驳回起诉", "", "true", "411202"],
        ["2024-05-30", "2024-06-01", "准予撤诉", "", "false", "411202"],
        ["2024-05-30", "2024-06-01", "确认违法", "", "true", "411202"],
        // Empty bool = unknown (null), never false.
        ["2024-05-30", "2024-06-01", "准予撤诉", "", "", "411202"],
        ["2024-05-30", "", "", "", "false", "411202"],
    ];
    assert_eq!(got, want.iter().map(|r| r.iter().map(|s| s.to_string()).collect::<Vec<_>>()).collect::<Vec<_>>());
    let (_, got) = sql_csv(&dir, "SELECT count(*) FROM litigation WHERE head_appeared IS NULL");
    assert_eq!(got[0][0], "1");
}
