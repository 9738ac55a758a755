//! Contract §1 cell rules and §2 conservation: every reject reason, run through the real binary.
//! Each test writes a small ledger, ingests it and checks that the bad rows (and only they) are
//! rejected with the right line (header = line 1; the sheet row for xlsx), the right column label
//! (`立案日期 (filed_date)`), a reason with the key words, that rows_read = rows_accepted +
//! rows_rejected, and that the rejects file holds the row's original cells unchanged.
mod util;

use util::{Dir, parse_csv};

use util::LIT;
const REC: &str = "复议案号,复议机关,被申请人,区划代码,收案日期,结案日期,复议决定,复议后起诉,申请人";
const PEN: &str = "处罚决定书文号,执法机关,区划代码,处罚决定日期,处罚种类,罚款金额,没收金额,裁量情形,赋权事项,当事人";

fn rec_ok(n: u32) -> Vec<String> {
    [&format!("三政复〔2024〕{n}号"), "三门峡市人民政府", "三门峡市公安局", "411200", "2024-01-05", "2024-03-01", "维持", "否", "李四"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

fn pen_ok(n: u32) -> Vec<String> {
    [&format!("三市监罚〔2024〕{n}号"), "三门峡市市场监督管理局", "411200", "2024-03-01", "罚款", "1,200.50", "", "一般", "否", "王五"]
        .iter()
        .map(|s| s.to_string())
        .collect()
}

/// One CSV line from fields (quoted where needed).
fn join(fields: &[String]) -> String {
    fields
        .iter()
        .map(|f| if f.contains([',', '"', '\n']) { format!("\"{}\"", f.replace('"', "\"\"")) } else { f.clone() })
        .collect::<Vec<_>>()
        .join(",")
}

/// A base row with some cells replaced.
fn row(mut base: Vec<String>, edits: &[(usize, &str)]) -> String {
    for (i, v) in edits {
        base[*i] = v.to_string();
    }
    join(&base)
}

/// The cells of one CSV line, as a reader of the original file sees them.
fn cells(line: &str) -> Vec<String> {
    let mut r = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(line.as_bytes());
    r.records().next().expect("a record").expect("valid csv").iter().map(str::to_string).collect()
}

/// An expected reject: index into `rows` (line = index + 2), column label (None: not checked),
/// words the reason must contain.
struct Bad<'a> {
    idx: usize,
    /// Acceptable column labels; empty = not checked.
    columns: Vec<&'a str>,
    words: &'a [&'a str],
}

fn bad<'a>(idx: usize, column: &'a str, words: &'a [&'a str]) -> Bad<'a> {
    Bad { idx, columns: vec![column], words }
}

/// Either of several acceptable column labels.
fn bad_any<'a>(idx: usize, columns: &'a [&'a str], words: &'a [&'a str]) -> Bad<'a> {
    Bad { idx, columns: columns.to_vec(), words }
}

/// Writes `header` + `rows` to `file`, ingests it, and checks the rejects against `expected`.
fn check(file: &str, header: &str, rows: &[String], expected: &[Bad]) -> Dir {
    let dir = Dir::new();
    let mut text = format!("{header}\n");
    for r in rows {
        text.push_str(r);
        text.push('\n');
    }
    dir.create(file, &text);
    dir.command(&["ingest", file]).stdout();
    check_manifest_and_rejects(&dir, file, header, rows.len() as u64, expected.len() as u64);
    let rejects = dir.rejects("warehouse");
    for e in expected {
        let line = (e.idx + 2).to_string();
        let rec = rejects
            .iter()
            .find(|r| &r[1] == line.as_str())
            .unwrap_or_else(|| panic!("no reject for line {line} ({}); rejects: {rejects:?}", rows[e.idx]));
        assert!(rec[0].ends_with(file), "_file {:?} should name {file}", &rec[0]);
        if !e.columns.is_empty() {
            assert!(
                e.columns.contains(&&rec[2]),
                "line {line}: _column is {:?}, expected one of {:?} (reason: {})",
                &rec[2],
                e.columns,
                &rec[3]
            );
        }
        let reason = rec[3].to_lowercase();
        for w in e.words {
            assert!(reason.contains(&w.to_lowercase()), "line {line}: reason {:?} lacks {w:?}", &rec[3]);
        }
        let got: Vec<String> = rec.iter().skip(4).map(str::to_string).collect();
        assert_eq!(got, cells(&rows[e.idx]), "line {line}: the rejects file must hold the row's original cells unchanged");
    }
    dir
}

/// Conservation and the rejects file's shape: exactly `rejected` rows under
/// `_file,_line,_column,_reason` + the file's own headers.
fn check_manifest_and_rejects(dir: &Dir, file: &str, header: &str, read: u64, rejected: u64) {
    let m = dir.manifest("warehouse");
    let files = m["ingests"].as_array().unwrap().last().unwrap()["files"].as_array().unwrap().clone();
    let f = files.iter().find(|f| f["path"].as_str().unwrap().ends_with(file)).expect("file in manifest");
    let n = |k: &str| f[k].as_u64().unwrap_or_else(|| panic!("manifest {k}: {f}"));
    assert_eq!(n("rows_read"), n("rows_accepted") + n("rows_rejected"), "conservation: {f}");
    assert_eq!(n("rows_read"), read, "rows_read: {f}");
    assert_eq!(n("rows_rejected"), rejected, "rows_rejected: {f}");
    let rejects = dir.rejects("warehouse");
    assert_eq!(rejects.len() as u64, rejected, "rejects file rows: {rejects:?}");
    if rejected > 0 {
        let rel = f["rejects_file"].as_str().expect("manifest names the rejects file");
        let text = dir.read(&format!("warehouse/{rel}"));
        let first = text.trim_start_matches('\u{FEFF}').lines().next().unwrap().to_string();
        let mut want = vec!["_file".to_string(), "_line".into(), "_column".into(), "_reason".into()];
        want.extend(cells(header));
        assert_eq!(cells(&first), want, "rejects file header");
    }
}

#[test]
fn required_cell_empty_litigation() {
    let rows = vec![
        join(&util::lit_row(1)),
        row(util::lit_row(2), &[(0, "")]),
        row(util::lit_row(3), &[(2, "")]),
        row(util::lit_row(4), &[(3, "")]),
        row(util::lit_row(5), &[(4, "")]),
        // Blank-looking cells are empty too.
        row(util::lit_row(6), &[(2, "   ")]),
        join(&util::lit_row(7)),
    ];
    check(
        "lit.csv",
        LIT,
        &rows,
        &[
            bad(1, "案号 (case_no)", &["required", "empty"]),
            bad(2, "被告 (defendant)", &["required", "empty"]),
            bad(3, "区划代码 (region_code)", &["required", "empty"]),
            bad(4, "立案日期 (filed_date)", &["required", "empty"]),
            bad(5, "被告 (defendant)", &["required", "empty"]),
        ],
    );
}

#[test]
fn required_cell_empty_reconsideration() {
    let rows = vec![
        join(&rec_ok(1)),
        row(rec_ok(2), &[(0, "")]),
        row(rec_ok(3), &[(2, "")]),
        row(rec_ok(4), &[(3, "")]),
        row(rec_ok(5), &[(4, "")]),
    ];
    check(
        "rec.csv",
        REC,
        &rows,
        &[
            bad(1, "复议案号 (case_no)", &["required", "empty"]),
            bad(2, "被申请人 (respondent)", &["required", "empty"]),
            bad(3, "区划代码 (region_code)", &["required", "empty"]),
            bad(4, "收案日期 (received_date)", &["required", "empty"]),
        ],
    );
}

#[test]
fn required_cell_empty_penalty() {
    let rows = vec![
        row(pen_ok(1), &[(0, "")]),
        row(pen_ok(2), &[(1, "")]),
        row(pen_ok(3), &[(2, "")]),
        row(pen_ok(4), &[(3, "")]),
        join(&pen_ok(5)),
    ];
    check(
        "pen.csv",
        PEN,
        &rows,
        &[
            bad(0, "处罚决定书文号 (decision_no)", &["required", "empty"]),
            bad(1, "执法机关 (agency)", &["required", "empty"]),
            bad(2, "区划代码 (region_code)", &["required", "empty"]),
            bad(3, "处罚决定日期 (decided_date)", &["required", "empty"]),
        ],
    );
}

#[test]
fn unknown_outcome() {
    let rows = vec![
        join(&util::lit_row(1)),
        // Odd spacing and full-width letters elsewhere in the row must reach the rejects file as written.
        row(util::lit_row(2), &[(6, " 胜诉 "), (2, "　三门峡市ＡＢＣ局 ")]),
        row(util::lit_row(3), &[(6, "待定")]),
        // A known variant is accepted.
        row(util::lit_row(4), &[(6, "判决驳回原告诉讼请求")]),
    ];
    check(
        "lit.csv",
        LIT,
        &rows,
        &[bad(1, "裁判结果 (outcome)", &["unknown", "outcome", "胜诉"]), bad(2, "裁判结果 (outcome)", &["unknown", "outcome", "待定"])],
    );
}

#[test]
fn unknown_decision() {
    let rows = vec![join(&rec_ok(1)), row(rec_ok(2), &[(6, "不详")]), row(rec_ok(3), &[(6, "驳回行政复议请求")])];
    check("rec.csv", REC, &rows, &[bad(1, "复议决定 (decision)", &["unknown", "decision", "不详"])]);
}

#[test]
fn unknown_leniency() {
    let rows = vec![join(&pen_ok(1)), row(pen_ok(2), &[(7, "酌情")]), row(pen_ok(3), &[(7, "从轻")])];
    check("pen.csv", PEN, &rows, &[bad(1, "裁量情形 (leniency)", &["unknown", "leniency", "酌情"])]);
}

#[test]
fn unknown_bool_value() {
    let rows = vec![
        join(&util::lit_row(1)),
        row(util::lit_row(2), &[(8, "可能")]),
        row(util::lit_row(3), &[(8, "√")]),
        row(util::lit_row(4), &[(8, "")]),
    ];
    check("lit.csv", LIT, &rows, &[bad(1, "负责人出庭 (head_appeared)", &["可能"])]);
    let rows = vec![join(&rec_ok(1)), row(rec_ok(2), &[(7, "也许")])];
    check("rec.csv", REC, &rows, &[bad(1, "复议后起诉 (sued_after)", &["也许"])]);
    let rows = vec![row(pen_ok(1), &[(8, "不详")]), row(pen_ok(2), &[(8, "Y")])];
    check("pen.csv", PEN, &rows, &[bad(0, "赋权事项 (delegated)", &["不详"])]);
}

#[test]
fn impossible_date() {
    let rows = vec![
        join(&util::lit_row(1)),
        row(util::lit_row(2), &[(4, "2023-02-29")]),
        row(util::lit_row(3), &[(4, "2024-04-31")]),
        row(util::lit_row(4), &[(5, "2023-02-29"), (4, "2023-01-05")]),
        // 2024 is a leap year.
        row(util::lit_row(5), &[(4, "2024-02-29")]),
    ];
    check(
        "lit.csv",
        LIT,
        &rows,
        &[
            bad(1, "立案日期 (filed_date)", &["impossible", "2023-02-29"]),
            bad(2, "立案日期 (filed_date)", &["impossible", "2024-04-31"]),
            bad(3, "结案日期 (closed_date)", &["impossible", "2023-02-29"]),
        ],
    );
    let rows = vec![row(pen_ok(1), &[(3, "2023年2月29日")]), join(&pen_ok(2))];
    check("pen.csv", PEN, &rows, &[bad(0, "处罚决定日期 (decided_date)", &["impossible", "2023年2月29日"])]);
    let rows = vec![row(rec_ok(1), &[(4, "2023/2/29")])];
    check("rec.csv", REC, &rows, &[bad(0, "收案日期 (received_date)", &["impossible"])]);
}

#[test]
fn unreadable_date() {
    let rows = vec![
        join(&util::lit_row(1)),
        row(util::lit_row(2), &[(4, "去年五月")]),
        row(util::lit_row(3), &[(4, "5/30/2024")]),
        row(util::lit_row(4), &[(7, "2024-05")]),
        // The documented forms are all readable.
        row(util::lit_row(5), &[(4, "2024/1/5")]),
        row(util::lit_row(6), &[(4, "2024.1.5")]),
        row(util::lit_row(7), &[(4, "2024年1月5日")]),
        row(util::lit_row(8), &[(4, "20240105")]),
    ];
    check(
        "lit.csv",
        LIT,
        &rows,
        &[
            bad(1, "立案日期 (filed_date)", &["unreadable", "去年五月"]),
            bad(2, "立案日期 (filed_date)", &["unreadable", "5/30/2024"]),
            bad(3, "开庭日期 (hearing_date)", &["unreadable", "2024-05"]),
        ],
    );
}

#[test]
fn date_before_1990_10_01() {
    let rows = vec![
        row(util::lit_row(1), &[(0, "（1990）豫1202行初1号"), (4, "1990-09-30"), (5, ""), (6, ""), (7, "")]),
        // The first day of the Administrative Litigation Law is fine.
        row(util::lit_row(2), &[(0, "（1990）豫1202行初2号"), (4, "1990-10-01"), (5, ""), (6, ""), (7, "")]),
        row(util::lit_row(3), &[(7, "1989-12-31")]),
    ];
    check(
        "lit.csv",
        LIT,
        &rows,
        &[bad(0, "立案日期 (filed_date)", &["before", "1990-10-01"]), bad(2, "开庭日期 (hearing_date)", &["before", "1990-10-01"])],
    );
    let rows = vec![row(pen_ok(1), &[(3, "19850101")])];
    check("pen.csv", PEN, &rows, &[bad(0, "处罚决定日期 (decided_date)", &["before", "1990-10-01"])]);
}

#[test]
fn date_after_today() {
    // FUYUAN_TODAY is 2025-03-31.
    let rows = vec![
        row(util::lit_row(1), &[(0, "（2025）豫1202行初1号"), (4, "2025-04-01"), (5, ""), (6, ""), (7, "")]),
        row(util::lit_row(2), &[(0, "（2025）豫1202行初2号"), (4, "2025-03-31"), (5, ""), (6, ""), (7, "")]),
        row(util::lit_row(3), &[(0, "（2025）豫1202行初3号"), (4, "2025-01-02"), (5, "2025-04-01"), (7, "")]),
    ];
    check("lit.csv", LIT, &rows, &[bad(0, "立案日期 (filed_date)", &["after today"]), bad(2, "结案日期 (closed_date)", &["after today"])]);
    let rows = vec![row(rec_ok(1), &[(4, "2026-01-01"), (5, ""), (6, "")])];
    check("rec.csv", REC, &rows, &[bad(0, "收案日期 (received_date)", &["after today"])]);
}

#[test]
fn outcome_without_closed_date() {
    let lit_cols: &[&str] = &["裁判结果 (outcome)", "结案日期 (closed_date)"];
    let rows = vec![join(&util::lit_row(1)), row(util::lit_row(2), &[(5, "")]), row(util::lit_row(3), &[(5, ""), (6, "")])];
    check("lit.csv", LIT, &rows, &[bad_any(1, lit_cols, &["without", "closed"])]);
    let rec_cols: &[&str] = &["复议决定 (decision)", "结案日期 (closed_date)"];
    let rows = vec![row(rec_ok(1), &[(5, "")]), join(&rec_ok(2))];
    check("rec.csv", REC, &rows, &[bad_any(0, rec_cols, &["without", "closed"])]);
}

#[test]
fn closed_date_without_outcome() {
    let lit_cols: &[&str] = &["裁判结果 (outcome)", "结案日期 (closed_date)"];
    let rows = vec![join(&util::lit_row(1)), row(util::lit_row(2), &[(6, "")])];
    check("lit.csv", LIT, &rows, &[bad_any(1, lit_cols, &["without", "outcome"])]);
    let rec_cols: &[&str] = &["复议决定 (decision)", "结案日期 (closed_date)"];
    let rows = vec![join(&rec_ok(1)), row(rec_ok(2), &[(6, "")])];
    check("rec.csv", REC, &rows, &[bad_any(1, rec_cols, &["without", "decision"])]);
}

#[test]
fn closed_before_filed_or_received() {
    let rows = vec![
        row(util::lit_row(1), &[(4, "2024-02-01"), (5, "2024-01-31")]),
        // Closing on the day of filing is possible (e.g. 不予立案).
        row(util::lit_row(2), &[(4, "2024-02-01"), (5, "2024-02-01"), (6, "不予立案"), (7, "")]),
    ];
    check("lit.csv", LIT, &rows, &[bad(0, "结案日期 (closed_date)", &["before"])]);
    let rows = vec![join(&rec_ok(1)), row(rec_ok(2), &[(4, "2024-05-01"), (5, "2024-04-30")])];
    check("rec.csv", REC, &rows, &[bad(1, "结案日期 (closed_date)", &["before"])]);
}

#[test]
fn unparseable_case_number() {
    let bad_numbers = [
        "2024豫1202行初15号",     // no brackets
        "（24）豫1202行初15号",   // two-digit year
        "（2024）豫1202行初15",   // no final 号
        "（2024）豫123行初15号",  // court code with 3 digits
        "（2024）1202行初15号",   // no province short name
        "（2024）豫1202民初15号", // not an administrative case
        "（2024豫1202行初15号",   // bracket not closed
        "豫1202行初15号",         // no year at all
        "（2024）豫1202行初号",   // no sequence number
        "案号待补",
    ];
    let mut rows = vec![join(&util::lit_row(1))];
    for b in bad_numbers {
        rows.push(row(util::lit_row(2), &[(0, b)]));
    }
    // Accepted spellings (§4): other brackets and spaces.
    for good in ["(2024)豫1202行初31号", "〔2024〕豫12行终32号", "[2024]豫行再33号", "（2024） 豫1202 行赔初 34 号"] {
        rows.push(row(util::lit_row(3), &[(0, good)]));
    }
    let expected: Vec<Bad> = (1..=bad_numbers.len()).map(|i| bad(i, "案号 (case_no)", &[])).collect();
    let dir = check("lit.csv", LIT, &rows, &expected);
    for rec in dir.rejects("warehouse") {
        let raw = rec[4].to_string();
        assert!(rec[3].contains(raw.trim()), "reason {:?} should quote the case number {raw:?}", &rec[3]);
    }
}

#[test]
fn region_code_not_6_or_9_digits() {
    let rows = vec![
        join(&util::lit_row(1)),
        row(util::lit_row(2), &[(3, "41120")]),
        row(util::lit_row(3), &[(3, "4112020")]),
        row(util::lit_row(4), &[(3, "41120A")]),
        row(util::lit_row(5), &[(3, "4112020011")]),
        row(util::lit_row(6), &[(3, "411202.5")]),
        // A name is read through the dimension (湖滨区 is 411202); one that names no region is not.
        row(util::lit_row(7), &[(3, "某某新区")]),
    ];
    let mut expected: Vec<Bad> = (1..=5).map(|i| bad(i, "区划代码 (region_code)", &["6 or 9"])).collect();
    expected.push(bad(6, "区划代码 (region_code)", &["neither a code nor a region name"]));
    check("lit.csv", LIT, &rows, &expected);
}

#[test]
fn region_code_not_in_dimension() {
    let rows = vec![
        join(&util::lit_row(1)),
        row(util::lit_row(2), &[(3, "419999")]),
        // A 9-digit code whose first 6 digits are unknown is not a township of anything.
        row(util::lit_row(3), &[(3, "419999001")]),
        row(util::lit_row(4), &[(3, "110101")]),
    ];
    check(
        "lit.csv",
        LIT,
        &rows,
        &[
            bad(1, "区划代码 (region_code)", &["419999", "not in"]),
            bad(2, "区划代码 (region_code)", &["419999001", "not in"]),
            bad(3, "区划代码 (region_code)", &["110101", "not in"]),
        ],
    );
    let rows = vec![row(pen_ok(1), &[(2, "999999")]), join(&pen_ok(2))];
    check("pen.csv", PEN, &rows, &[bad(0, "区划代码 (region_code)", &["999999", "not in"])]);
}

#[test]
fn negative_amount() {
    let rows = vec![
        join(&pen_ok(1)),
        row(pen_ok(2), &[(5, "-500")]),
        row(pen_ok(3), &[(6, "-0.01")]),
        row(pen_ok(4), &[(5, "－200元")]),
        row(pen_ok(5), &[(5, "0")]),
    ];
    check(
        "pen.csv",
        PEN,
        &rows,
        &[
            bad(1, "罚款金额 (fine_yuan)", &["negative", "-500"]),
            bad(2, "没收金额 (confiscated_yuan)", &["negative"]),
            bad(3, "罚款金额 (fine_yuan)", &["negative"]),
        ],
    );
}

#[test]
fn misplaced_thousands_separator() {
    let rows = vec![
        join(&pen_ok(1)),
        row(pen_ok(2), &[(5, "1,20,0")]),
        row(pen_ok(3), &[(5, "12,00")]),
        row(pen_ok(4), &[(6, "1234,567.00")]),
        row(pen_ok(5), &[(5, "1,234,567.89元")]),
        row(pen_ok(6), &[(5, "500元")]),
    ];
    check(
        "pen.csv",
        PEN,
        &rows,
        &[
            bad(1, "罚款金额 (fine_yuan)", &["thousands", "1,20,0"]),
            bad(2, "罚款金额 (fine_yuan)", &["thousands", "12,00"]),
            bad(3, "没收金额 (confiscated_yuan)", &["thousands"]),
        ],
    );
}

#[test]
fn row_with_more_fields_than_the_header() {
    let mut long = util::lit_row(2);
    long.push("多出来的一格".into());
    let rows = vec![join(&util::lit_row(1)), join(&long), join(&util::lit_row(3))];
    check("lit.csv", LIT, &rows, &[Bad { idx: 1, columns: vec![], words: &["field", "11", "10"] }]);
}

#[test]
fn rejected_rows_in_several_tables_in_one_ingest() {
    // One ingest, three files: each file's counts and its own rejects.
    let dir = Dir::new();
    dir.create("a.csv", &format!("{LIT}\n{}\n{}\n", join(&util::lit_row(1)), row(util::lit_row(2), &[(4, "2023-02-29")])));
    dir.create("b.csv", &format!("{REC}\n{}\n", row(rec_ok(1), &[(6, "不详")])));
    dir.create("c.csv", &format!("{PEN}\n{}\n{}\n{}\n", join(&pen_ok(1)), join(&pen_ok(2)), row(pen_ok(3), &[(5, "-1")])));
    dir.command(&["ingest", "a.csv", "b.csv", "c.csv"]).stdout();
    let m = dir.manifest("warehouse");
    let files = m["ingests"][0]["files"].as_array().unwrap();
    let counts: Vec<(u64, u64, u64)> = files
        .iter()
        .map(|f| (f["rows_read"].as_u64().unwrap(), f["rows_accepted"].as_u64().unwrap(), f["rows_rejected"].as_u64().unwrap()))
        .collect();
    assert_eq!(counts, vec![(2, 1, 1), (1, 0, 1), (3, 2, 1)]);
    let rejects = dir.rejects("warehouse");
    assert_eq!(rejects.len(), 3);
    let mut where_: Vec<(String, String)> = rejects.iter().map(|r| (r[0].to_string(), r[1].to_string())).collect();
    where_.sort();
    assert_eq!(where_, vec![("a.csv".into(), "3".into()), ("b.csv".into(), "2".into()), ("c.csv".into(), "4".into())]);
}

#[test]
fn xlsx_rejects_name_the_sheet_row() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let dir = Dir::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("诉讼台账").unwrap();
    let datefmt = Format::new().set_num_format("yyyy-mm-dd");
    // Row 1: a title; row 2: headers; rows 3.. data (sheet rows are 1-based).
    ws.write_string(0, 0, "2024年行政诉讼案件台账").unwrap();
    for (c, h) in LIT.split(',').enumerate() {
        ws.write_string(1, c as u16, h).unwrap();
    }
    let write_row = |ws: &mut rust_xlsxwriter::Worksheet, r: u32, case: &str, filed: Option<&str>| {
        ws.write_string(r, 0, case).unwrap();
        ws.write_string(r, 1, "湖滨区人民法院").unwrap();
        ws.write_string(r, 2, "三门峡市自然资源局").unwrap();
        ws.write_number(r, 3, 411202.0).unwrap();
        match filed {
            Some(t) => {
                ws.write_string(r, 4, t).unwrap();
            }
            None => {
                ws.write_datetime_with_format(r, 4, ExcelDateTime::from_ymd(2024, 1, 5).unwrap(), &datefmt).unwrap();
            }
        }
        ws.write_datetime_with_format(r, 5, ExcelDateTime::from_ymd(2024, 3, 1).unwrap(), &datefmt).unwrap();
        ws.write_string(r, 6, "撤销").unwrap();
        ws.write_string(r, 8, "是").unwrap();
        ws.write_string(r, 9, "张三").unwrap();
    };
    write_row(ws, 2, "（2024）豫1202行初1号", None); // sheet row 3
    write_row(ws, 3, "（2024）豫1202行初2号", Some("2023-02-29")); // sheet row 4: rejected
    // sheet row 5 left blank
    write_row(ws, 5, "（2024）豫1202行初3号", None); // sheet row 6
    write_row(ws, 6, "（2024）豫1202行初", None); // sheet row 7: rejected
    wb.save(dir.join("lit.xlsx")).unwrap();

    dir.command(&["ingest", "lit.xlsx"]).stdout();
    let m = dir.manifest("warehouse");
    let f = &m["ingests"][0]["files"][0];
    assert_eq!(f["rows_read"].as_u64(), Some(4), "{f}");
    assert_eq!(f["rows_accepted"].as_u64(), Some(2), "{f}");
    assert_eq!(f["rows_rejected"].as_u64(), Some(2), "{f}");
    let rejects = dir.rejects("warehouse");
    assert_eq!(rejects.len(), 2);
    let by_line = |l: &str| rejects.iter().find(|r| &r[1] == l).unwrap_or_else(|| panic!("no reject on sheet row {l}: {rejects:?}"));
    let r4 = by_line("4");
    assert_eq!(&r4[2], "立案日期 (filed_date)");
    assert!(r4[3].contains("impossible"), "{:?}", &r4[3]);
    // The row as the sheet holds it: the numeric code as its integer text, the text date as typed.
    let cells4: Vec<&str> = r4.iter().skip(4).collect();
    assert_eq!(&cells4[..6], &["（2024）豫1202行初2号", "湖滨区人民法院", "三门峡市自然资源局", "411202", "2023-02-29", "2024-03-01"]);
    let r7 = by_line("7");
    assert_eq!(&r7[2], "案号 (case_no)");
    assert_eq!(&r7[4], "（2024）豫1202行初");
}

#[test]
fn nine_digit_code_with_known_prefix_becomes_a_township() {
    let dir = Dir::new();
    let rows = [
        join(&util::lit_row(1)),
        row(util::lit_row(2), &[(3, "411282101")]),
        row(util::lit_row(3), &[(3, "411282101"), (5, ""), (6, ""), (7, "")]),
    ];
    dir.create("lit.csv", &format!("{LIT}\n{}\n", rows.join("\n")));
    dir.command(&["ingest", "lit.csv"]).stdout();
    let m = dir.manifest("warehouse");
    let f = &m["ingests"][0]["files"][0];
    assert_eq!((f["rows_accepted"].as_u64(), f["rows_rejected"].as_u64()), (Some(3), Some(0)), "{f}");
    assert!(dir.rejects("warehouse").is_empty());
    let out = dir.command(&["metrics", "--level", "township", "--parent", "411282", "--period", "2024", "--format", "csv"]).stdout();
    let (header, rows) = parse_csv(&out);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
    let t = rows.iter().find(|r| r[col("region_code")] == "411282101").unwrap_or_else(|| panic!("township 411282101 not listed:\n{out}"));
    assert_eq!(t[col("region_name")], "411282101");
    assert_eq!(t[col("filed")], "2");
    assert_eq!(t[col("concluded")], "1");
    // …and it counts towards its county (灵宝市).
    let out = dir.command(&["metrics", "--level", "county", "--parent", "411200", "--period", "2024", "--format", "csv"]).stdout();
    let (_, rows) = parse_csv(&out);
    let lingbao = rows.iter().find(|r| r[col("region_code")] == "411282").expect("灵宝市 listed");
    assert_eq!(lingbao[col("filed")], "2");
}

#[test]
fn files_with_the_same_name_in_one_ingest_keep_all_their_rejects() {
    // Two counties send `lit.csv`; each has one bad row. Both rows must reach the rejects.
    let dir = Dir::new();
    dir.create("hubin/lit.csv", &format!("{LIT}\n{}\n{}\n", join(&util::lit_row(1)), row(util::lit_row(2), &[(4, "2023-02-29")])));
    dir.create("lingbao/lit.csv", &format!("{LIT}\n{}\n", row(util::lit_row(3), &[(3, "419999")])));
    dir.command(&["ingest", "hubin/lit.csv", "lingbao/lit.csv"]).stdout();
    let m = dir.manifest("warehouse");
    let files = m["ingests"][0]["files"].as_array().unwrap();
    let total: u64 = files.iter().map(|f| f["rows_rejected"].as_u64().unwrap()).sum();
    assert_eq!(total, 2);
    let rejects = dir.rejects("warehouse");
    let mut got: Vec<(String, String)> = rejects.iter().map(|r| (r[0].to_string(), r[1].to_string())).collect();
    got.sort();
    assert_eq!(
        got,
        vec![("hubin/lit.csv".to_string(), "3".to_string()), ("lingbao/lit.csv".to_string(), "2".to_string())],
        "rejects: {rejects:?}"
    );
    // Each file's manifest entry names a rejects file holding exactly its own rejected rows.
    for f in files {
        let rel = f["rejects_file"].as_str().unwrap();
        let text = dir.read(&format!("warehouse/{rel}"));
        let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(text.trim_start_matches('\u{FEFF}').as_bytes());
        let recs: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
        assert_eq!(recs.len() as u64, f["rows_rejected"].as_u64().unwrap(), "{rel} for {}", f["path"]);
        assert!(recs.iter().all(|x| &x[0] == f["path"].as_str().unwrap()), "{rel} holds another file's rows: {recs:?}");
    }
}

/// Rejects name physical lines (header = line 1), whatever the line endings, blank lines or
/// quoted cells that span lines.
#[test]
fn reject_lines_are_physical_lines() {
    let h = "案号,被告,区划代码,立案日期,备注";
    let good = "（2024）豫1202行初1号,三门峡市自然资源局,411202,2024-01-05,";
    let multi = "（2024）豫1202行初2号,三门峡市自然资源局,411202,2024-01-05,\"第一行\n第二行\"";
    let bad_date = "（2024）豫1202行初3号,三门峡市自然资源局,411202,2023-02-29,";
    let bad_code = "（2024）豫1202行初4号,三门峡市自然资源局,41120,2024-01-05,";
    // (file, lines, expected rejected lines)
    let cases: [(&str, Vec<&str>, &str, [&str; 2]); 4] = [
        ("lf_plain.csv", vec![h, bad_date, good, bad_code], "\n", ["2", "4"]),
        ("crlf_plain.csv", vec![h, bad_date, good, bad_code], "\r\n", ["2", "4"]),
        // header 1, multi 2-3, bad_date 4, blank 5, bad_code 6
        ("lf_multi_blank.csv", vec![h, multi, bad_date, "", bad_code], "\n", ["4", "6"]),
        ("crlf_multi_blank.csv", vec![h, multi, bad_date, "", bad_code], "\r\n", ["4", "6"]),
    ];
    let mut failures = Vec::new();
    for (file, lines, eol, want) in cases {
        let dir = Dir::new();
        let mut text = lines.join(eol);
        text.push_str(eol);
        let text = text.replace("\"第一行\n第二行\"", &format!("\"第一行{eol}第二行\""));
        dir.create(file, &text);
        dir.command(&["ingest", file]).stdout();
        let mut got: Vec<(String, String)> = dir.rejects("warehouse").iter().map(|r| (r[1].to_string(), r[2].to_string())).collect();
        got.sort_by_key(|(l, _)| l.parse::<u32>().unwrap_or(0));
        let want =
            vec![(want[0].to_string(), "立案日期 (filed_date)".to_string()), (want[1].to_string(), "区划代码 (region_code)".to_string())];
        if got != want {
            failures.push(format!("{file}: rejects at {got:?}, expected {want:?}"));
        }
    }
    assert!(failures.is_empty(), "wrong reject lines:\n{}", failures.join("\n"));
}

#[test]
fn xlsx_rejects_name_the_sheet_row_when_the_table_starts_lower_and_further_right() {
    use rust_xlsxwriter::Workbook;
    let dir = Dir::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    // Rows 1–2 and column A empty; the title in B3, headers in row 4, data from row 5.
    ws.write_string(2, 1, "行政诉讼案件台账").unwrap();
    for (c, h) in ["案号", "被告", "区划代码", "立案日期"].iter().enumerate() {
        ws.write_string(3, 1 + c as u16, *h).unwrap();
    }
    let data = [
        ["（2024）豫1202行初1号", "三门峡市自然资源局", "411202", "2024-01-05"],
        ["（2024）豫1202行初2号", "三门峡市自然资源局", "411202", "2023-02-29"],
        ["（2024）豫1202行初3号", "三门峡市自然资源局", "419999", "2024-01-05"],
    ];
    for (r, row) in data.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(4 + r as u32, 1 + c as u16, *v).unwrap();
        }
    }
    wb.save(dir.join("lit.xlsx")).unwrap();
    dir.command(&["ingest", "lit.xlsx"]).stdout();
    let f = &dir.manifest("warehouse")["ingests"][0]["files"][0];
    assert_eq!((f["rows_read"].as_u64(), f["rows_accepted"].as_u64(), f["rows_rejected"].as_u64()), (Some(3), Some(1), Some(2)), "{f}");
    let mut got: Vec<(String, String)> = dir.rejects("warehouse").iter().map(|r| (r[1].to_string(), r[2].to_string())).collect();
    got.sort();
    assert_eq!(got, vec![("6".to_string(), "立案日期 (filed_date)".to_string()), ("7".to_string(), "区划代码 (region_code)".to_string())]);
}
