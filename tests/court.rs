//! The court's list (`--table court`) and `fuyuan reconcile`: the hand-checked fixture
//! (tests/fixtures/court/README.md), the independent DuckDB reference
//! (tests/reference/reconcile_duckdb.py) on the fixture, a generated pair of lists and the
//! samples, ingest rules for the court table, privacy, old warehouses, the workbook.
mod util;

use std::path::Path;
use std::process::Command;

use util::{Dir, LIT, lit_row, parse_csv};

const FIX: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/court");
const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference/reconcile_duckdb.py");

fn fixture_warehouse(dir: &Dir) {
    dir.command(&["ingest", &format!("{FIX}/ledger.csv"), "--warehouse", "wh"]).stdout();
    dir.command(&["ingest", &format!("{FIX}/court.csv"), "--table", "court", "--warehouse", "wh"]).stdout();
}

fn expected(name: &str) -> String {
    std::fs::read_to_string(format!("{FIX}/{name}")).unwrap()
}

#[test]
fn golden_list_every_kind() {
    let dir = Dir::new();
    fixture_warehouse(&dir);
    let out = dir.command(&["reconcile", "--period", "2024H1", "--warehouse", "wh", "--format", "csv"]).stdout();
    assert_eq!(out, expected("expected_2024H1.csv"));
    let (header, rows) = parse_csv(&out);
    assert_eq!(header, ["case_no", "region_code", "defendant", "kind", "field", "ledger_value", "court_value"]);
    for kind in ["missing_in_ledger", "missing_in_court", "mismatch", "loss_not_reported"] {
        assert!(rows.iter().any(|r| r[3] == kind), "no {kind} row");
    }
    // The coverage rule: 豫1281's ledger case is not a discrepancy, the list has no 豫1281 case.
    assert!(!out.contains("豫1281"));
    // Appellate cases are never compared.
    assert!(!out.contains("行终"));
}

#[test]
fn golden_list_region_takes_either_side() {
    let dir = Dir::new();
    fixture_warehouse(&dir);
    let out = dir.command(&["reconcile", "--period", "2024H1", "--region", "411202", "--warehouse", "wh", "--format", "csv"]).stdout();
    assert_eq!(out, expected("expected_2024H1_region_411202.csv"));
}

#[test]
fn golden_summary_columns_and_counts() {
    let dir = Dir::new();
    fixture_warehouse(&dir);
    let args =
        ["reconcile", "--summary", "--period", "2024H1", "--level", "county", "--parent", "411200", "--warehouse", "wh", "--format", "csv"];
    assert_eq!(dir.command(&args).stdout(), expected("expected_summary_county_411200_2024H1.csv"));
    let city =
        dir.command(&["reconcile", "--summary", "--period", "2024H1", "--level", "city", "--warehouse", "wh", "--format", "csv"]).stdout();
    let (header, rows) = parse_csv(&city);
    let want = expected("expected_summary_city_2024H1.csv");
    let (want_header, want_rows) = parse_csv(&want);
    assert_eq!(header, want_header);
    assert_eq!(rows.len(), 18, "every city-level unit of Henan, activity or not");
    assert_eq!(rows.iter().find(|r| r[1] == "411200").unwrap(), &want_rows[0]);
    assert!(rows.iter().filter(|r| r[1] != "411200").all(|r| r[3..].iter().all(|v| v == "0")));
}

/// Fails (not skips) unless `python3` and its `duckdb` package are usable.
fn reference(warehouse: &Path, args: &[&str]) -> String {
    let o = Command::new("python3").arg(SCRIPT).arg(warehouse).args(args).output().expect("python3 on PATH (needs `pip install duckdb`)");
    assert!(
        o.status.success(),
        "reconcile_duckdb.py {args:?} failed (needs `pip install duckdb`):\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// Compares fuyuan with the reference for each case: list args are `[PERIOD, (--ytd), (--region C)]`,
/// summary args `[PERIOD, (--ytd), --summary LEVEL, (--parent C)]` in the reference's form.
fn compare(dir: &Dir, warehouse: &str, cases: &[&[&str]]) -> usize {
    let mut discrepancies = 0;
    for case in cases {
        let expected = reference(&dir.join(warehouse), case);
        let mut args = vec!["reconcile", "--period", case[0], "--warehouse", warehouse, "--format", "csv"];
        let mut i = 1;
        while i < case.len() {
            match case[i] {
                "--ytd" => args.push("--ytd"),
                "--summary" => {
                    args.extend(["--summary", "--level", case[i + 1]]);
                    i += 1;
                }
                flag => {
                    args.extend([flag, case[i + 1]]);
                    i += 1;
                }
            }
            i += 1;
        }
        let got = dir.command(&args).stdout();
        let (gh, gr) = parse_csv(&got);
        let (eh, er) = parse_csv(&expected);
        assert_eq!(gh, eh, "{case:?}: columns");
        assert_eq!(gr.len(), er.len(), "{case:?}: row count\nfuyuan:\n{got}\nreference:\n{expected}");
        for (n, (g, e)) in gr.iter().zip(&er).enumerate() {
            assert_eq!(g, e, "{case:?}: row {}", n + 1);
        }
        if !case.contains(&"--summary") {
            discrepancies += gr.len();
        }
    }
    discrepancies
}

#[test]
fn reference_agrees_on_the_fixture() {
    let dir = Dir::new();
    fixture_warehouse(&dir);
    let n = compare(
        &dir,
        "wh",
        &[
            &["2024H1"],
            &["2024"],
            &["2024Q1", "--ytd"],
            &["2024Q2"],
            &["2023-12-01..2024-02-15"],
            &["2023"],
            &["2024H1", "--region", "411202"],
            &["2024", "--region", "411221"],
            &["2024", "--region", "411202001"],
            &["2024H1", "--summary", "county", "--parent", "411200"],
            &["2024", "--summary", "city"],
            &["2024", "--summary", "township", "--parent", "411202"],
            &["2023-12-01..2024-02-15", "--summary", "province"],
        ],
    );
    assert!(n > 20);
}

/// A small deterministic generator (no new crates): xorshift.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

/// A ledger and a court list of 400 cases with every kind of discrepancy, and courts the list
/// does not cover.
fn generated_pair(dir: &Dir) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let courts =
        [("豫1202", "411202"), ("豫1203", "411203"), ("豫1221", "411221"), ("豫1224", "411224"), ("豫12", "411200"), ("豫1281", "411281")];
    let outcomes = ["驳回诉讼请求", "撤销", "确认违法", "驳回起诉", "准予撤诉", "责令履行", "部分撤销", "调解"];
    let agencies = ["人民政府", "公安局", "自然资源局", "市场监督管理局", "人力资源和社会保障局"];
    let mut ledger = vec![LIT.to_string()];
    let mut court = vec![LIT.to_string()];
    for n in 1..=400u32 {
        let (cc, region) = courts[rng.below(courts.len() as u64) as usize];
        let year = 2023 + rng.below(2) as i32;
        let kind = if rng.below(10) == 0 {
            "行赔初"
        } else if rng.below(15) == 0 {
            "行终"
        } else {
            "行初"
        };
        let case_no = format!("（{year}）{cc}{kind}{n}号");
        let region = if region == "411202" && rng.below(3) == 0 { "411202001" } else { region };
        let filed = chrono::NaiveDate::from_ymd_opt(year, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32).unwrap();
        let closed = (rng.below(3) > 0)
            .then(|| filed + chrono::Duration::days(20 + rng.below(300) as i64))
            .filter(|d| *d < chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap());
        let outcome = closed.map(|_| rng.pick(&outcomes)).unwrap_or("");
        let hearing = (rng.below(2) == 0).then(|| filed + chrono::Duration::days(10 + rng.below(20) as i64));
        let head = rng.pick(&["是", "否", ""]);
        let agency = format!("{region}{}", rng.pick(&agencies));
        let mut row = vec![
            case_no,
            "法院".to_string(),
            agency,
            region.to_string(),
            filed.to_string(),
            closed.map(|d| d.to_string()).unwrap_or_default(),
            outcome.to_string(),
            hearing.map(|d| d.to_string()).unwrap_or_default(),
            head.to_string(),
            "张三".to_string(),
        ];
        // 豫1281 never appears in the court's list: its ledger cases are never missing_in_court.
        let on_court_side = cc != "豫1281";
        match rng.below(12) {
            0 => ledger.push(row.join(",")),
            1 if on_court_side => court.push(row.join(",")),
            _ => {
                ledger.push(row.join(","));
                if !on_court_side {
                    continue;
                }
                match rng.below(8) {
                    0 => row[2] = format!("{}（改）", row[2]),
                    1 => row[3] = "411203".into(),
                    2 => row[4] = (filed - chrono::Duration::days(1 + rng.below(40) as i64)).to_string(),
                    3 if closed.is_some() => row[6] = rng.pick(&["撤销", "确认违法", "赔偿"]).into(),
                    4 if closed.is_none() => {
                        row[5] = (filed + chrono::Duration::days(30)).min(chrono::NaiveDate::from_ymd_opt(2025, 3, 1).unwrap()).to_string();
                        row[6] = rng.pick(&["撤销", "驳回诉讼请求"]).into();
                    }
                    5 => row[7] = String::new(),
                    6 => row[8] = rng.pick(&["是", "否", ""]).into(),
                    _ => {}
                }
                court.push(row.join(","));
            }
        }
    }
    dir.create("ledger.csv", &(ledger.join("\n") + "\n"));
    dir.create("court.csv", &(court.join("\n") + "\n"));
    dir.command(&["ingest", "ledger.csv", "--warehouse", "gen"]).stdout();
    dir.command(&["ingest", "court.csv", "--table", "court", "--warehouse", "gen"]).stdout();
}

#[test]
fn reference_agrees_on_a_generated_pair() {
    let dir = Dir::new();
    generated_pair(&dir);
    let n = compare(
        &dir,
        "gen",
        &[
            &["2024"],
            &["2023"],
            &["2024Q2", "--ytd"],
            &["2024M03"],
            &["2023-07-15..2024-03-31"],
            &["2024", "--region", "411202"],
            &["2023H2", "--region", "411200"],
            &["2024", "--summary", "county", "--parent", "411200"],
            &["2023-07-15..2024-03-31", "--summary", "township", "--parent", "411202"],
            &["2024H1", "--summary", "city"],
        ],
    );
    assert!(n > 100, "the generated pair has {n} discrepancies");
    let list = dir.command(&["reconcile", "--period", "2024", "--warehouse", "gen", "--format", "csv"]).stdout();
    for kind in ["missing_in_ledger", "missing_in_court", "mismatch", "loss_not_reported"] {
        assert!(list.contains(kind), "the generated pair lacks {kind}");
    }
}

#[test]
fn reference_agrees_on_the_samples() {
    let dir = Dir::new();
    util::sample_warehouse(&dir, "wh");
    let manifest = dir.manifest("wh");
    assert!(manifest["tables"]["court"]["rows"].as_u64().unwrap() > 100, "the samples carry a court list");
    let court_file = manifest["ingests"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["files"].as_array().unwrap().iter())
        .find(|f| f["table"] == "court")
        .expect("the court list's ingest record")
        .clone();
    // The generator's two deliberately bad rows, and conservation.
    assert_eq!(court_file["rows_rejected"], 2);
    assert_eq!(
        court_file["rows_read"].as_u64().unwrap(),
        court_file["rows_accepted"].as_u64().unwrap() + court_file["rows_rejected"].as_u64().unwrap()
    );
    let n = compare(
        &dir,
        "wh",
        &[
            &["2024"],
            &["2024Q2", "--ytd"],
            &["2024", "--region", "411282"],
            &["2024", "--summary", "county", "--parent", "411200"],
            &["2024H2", "--summary", "city"],
        ],
    );
    assert!(n > 0);
}

#[test]
fn court_list_is_never_detected_and_leaves_the_ledger_alone() {
    let dir = Dir::new();
    dir.command(&["ingest", &format!("{FIX}/ledger.csv"), "--warehouse", "wh"]).stdout();
    let before = dir.manifest("wh")["tables"]["litigation"].clone();
    assert_eq!(dir.manifest("wh")["tables"]["court"]["rows"], 0, "an empty court table from the first ingest");
    dir.command(&["ingest", &format!("{FIX}/court.csv"), "--table", "court", "--warehouse", "wh"]).stdout();
    let m = dir.manifest("wh");
    assert_eq!(m["tables"]["litigation"], before, "the litigation table is untouched");
    assert_eq!(m["tables"]["court"]["rows"], 11);
    let file = m["ingests"][1]["files"][0].clone();
    assert_eq!(file["table"], "court");
    assert_eq!(file["rows_read"], 11);
    // Without --table the same headers are read as the litigation ledger.
    let dir2 = Dir::new();
    dir2.command(&["ingest", &format!("{FIX}/court.csv"), "--warehouse", "wh"]).stdout();
    assert_eq!(dir2.manifest("wh")["tables"]["litigation"]["rows"], 11);
    assert_eq!(dir2.manifest("wh")["tables"]["court"]["rows"], 0);
}

#[test]
fn court_rejects_every_reason_with_conservation() {
    let dir = Dir::new();
    let ok = |n: u32| lit_row(n).join(",");
    let edit = |n: u32, i: usize, v: &str| {
        let mut r = lit_row(n);
        r[i] = v.to_string();
        r.join(",")
    };
    let rows = [
        ok(1),
        edit(2, 0, "豫1202行初2号"), // case number without year: does not parse
        edit(3, 2, ""),              // required cell empty
        edit(4, 6, "判了"),          // unknown outcome
        edit(5, 4, "2023-02-29"),    // impossible date
        edit(6, 5, ""),              // outcome without a closed date
        edit(7, 6, ""),              // closed date without an outcome
        edit(8, 5, "2023-12-01"),    // closed before filed
        edit(9, 3, "999999"),        // region not in the dimension
        edit(10, 4, "2026-01-01"),   // after today
        format!("{},x,y,z", ok(11)), // ragged
    ];
    let mut text = LIT.to_string() + "\n";
    for r in &rows {
        text.push_str(r);
        text.push('\n');
    }
    dir.create("court_bad.csv", &text);
    dir.command(&["ingest", "court_bad.csv", "--table", "court", "--warehouse", "wh"]).stdout();
    let m = dir.manifest("wh");
    let f = &m["ingests"][0]["files"][0];
    assert_eq!(f["rows_read"], 11);
    assert_eq!(f["rows_accepted"], 1);
    assert_eq!(f["rows_rejected"], 10);
    let rejects = dir.rejects("wh");
    assert_eq!(rejects.len(), 10);
    let lines: Vec<&str> = rejects.iter().map(|r| &r[1]).collect();
    assert_eq!(lines, ["3", "4", "5", "6", "7", "8", "9", "10", "11", "12"]);
    assert!(rejects.iter().all(|r| !r[3].is_empty()), "every reject has a reason");
    assert_eq!(m["tables"]["court"]["rows"], 1);
    assert_eq!(m["tables"]["litigation"]["rows"], 0);
}

#[test]
fn court_corrections_last_wins_and_keys_are_canonical() {
    let dir = Dir::new();
    let mut a = lit_row(1);
    a[0] = "(2024)豫1202行初1号".into();
    a[6] = "驳回诉讼请求".into();
    dir.create("c1.csv", &format!("{LIT}\n{}\n", a.join(",")));
    let b = lit_row(1); // （2024）豫1202行初1号 撤销
    dir.create("c2.csv", &format!("{LIT}\n{}\n", b.join(",")));
    dir.command(&["ingest", "c1.csv", "--table", "court", "--warehouse", "wh"]).stdout();
    dir.command(&["ingest", "c2.csv", "--table", "court", "--warehouse", "wh"]).stdout();
    let out = dir.command(&["sql", "SELECT case_no, outcome FROM court", "--warehouse", "wh", "--format", "csv"]).stdout();
    assert_eq!(out, "case_no,outcome\n（2024）豫1202行初1号,撤销\n");
    let m = dir.manifest("wh");
    assert_eq!(m["tables"]["court"]["rows"], 1);
    assert!(m["ingests"][1].to_string().contains("c1.csv"), "the replaced row is recorded");
}

#[test]
fn plaintiffs_are_masked_in_the_court_table() {
    let dir = Dir::new();
    fixture_warehouse(&dir);
    let out = dir.command(&["sql", "SELECT DISTINCT plaintiff FROM court ORDER BY 1", "--warehouse", "wh", "--format", "csv"]).stdout();
    assert!(out.contains("张某") && out.contains("蒋某"), "{out}");
    for name in ["张三", "李四", "赵六", "蒋六", "韩七", "吴十"] {
        assert!(!out.contains(name), "{name} stored unmasked");
    }
}

#[test]
fn hostile_court_lists() {
    let dir = Dir::new();
    dir.create_bytes("court_bin.csv", &[0, 159, 146, 150, 0, 1, 2, 3, 255, 254]);
    let e = dir.command(&["ingest", "court_bin.csv", "--table", "court", "--warehouse", "wh"]).fails(3);
    assert_eq!(e.trim().lines().count(), 1, "{e}");
    assert!(e.contains("court_bin.csv"));
    dir.create("court_hdr.csv", "序号,法院,备注\n1,a,b\n");
    let e = dir.command(&["ingest", "court_hdr.csv", "--table", "court", "--warehouse", "wh"]).fails(3);
    assert_eq!(e.trim().lines().count(), 1, "{e}");
    assert!(e.contains("court_hdr.csv") && e.contains("line"));
    assert!(!dir.join("wh/manifest.json").exists(), "nothing committed");
    // The same header twice is ambiguous: one line naming the file, nothing committed.
    dir.create("court_dup.csv", &format!("{LIT},案号\n{},x\n", lit_row(1).join(",")));
    let e = dir.command(&["ingest", "court_dup.csv", "--table", "court", "--warehouse", "wh"]).fails(3);
    assert_eq!(e.trim().lines().count(), 1, "{e}");
    assert!(e.contains("court_dup.csv"));
    // GBK, a title row above the header, ragged and formula-like rows: rows rejected one by one.
    let mut text = format!("三门峡市中级人民法院行政案件收结案清单\n{LIT}\n{}\n", lit_row(1).join(","));
    text.push_str("=cmd|' /C calc'!A0,x\n");
    text.push_str(&format!("{},多,余,列\n", lit_row(2).join(",")));
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    dir.create_bytes("court_gbk.csv", &gbk);
    dir.command(&["ingest", "court_gbk.csv", "--table", "court", "--warehouse", "wh"]).stdout();
    let m = dir.manifest("wh");
    let f = &m["ingests"][0]["files"][0];
    assert_eq!((f["rows_read"].as_u64(), f["rows_accepted"].as_u64(), f["rows_rejected"].as_u64()), (Some(3), Some(1), Some(2)));
    assert_eq!(f["table"], "court");
    assert_eq!(m["tables"]["litigation"]["rows"], 0);
    dir.create("court_quotes.csv", &format!("{LIT}\n\"=HYPERLINK(\"\"x\"\")\",\"\n\n{}\n", lit_row(2).join(",")));
    let o = dir.command(&["ingest", "court_quotes.csv", "--table", "court", "--warehouse", "wh"]).output();
    assert!(matches!(o.status.code(), Some(0) | Some(3)), "a clear outcome, never a panic: {o:?}");
    assert!(!String::from_utf8_lossy(&o.stderr).contains("panicked"));
}

#[test]
fn a_warehouse_without_a_court_table_keeps_working() {
    let dir = Dir::new();
    dir.command(&["ingest", &format!("{FIX}/ledger.csv"), "--warehouse", "wh"]).stdout();
    // A warehouse written before the court table existed: its manifest names no court table.
    let path = dir.join("wh/manifest.json");
    let mut m: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    m["tables"].as_object_mut().unwrap().remove("court");
    std::fs::write(&path, serde_json::to_vec_pretty(&m).unwrap()).unwrap();
    let count = dir.command(&["sql", "SELECT COUNT(*) AS n FROM court", "--warehouse", "wh", "--format", "csv"]).stdout();
    assert_eq!(count, "n\n0\n");
    let list = dir.command(&["reconcile", "--period", "2024", "--warehouse", "wh", "--format", "csv"]).stdout();
    assert_eq!(list, "case_no,region_code,defendant,kind,field,ledger_value,court_value\n", "no court covered: no discrepancy");
    dir.command(&["metrics", "--period", "2024", "--level", "county", "--parent", "411200", "--warehouse", "wh"]).stdout();
    let tables = dir.command(&["sql", "SHOW TABLES", "--warehouse", "wh", "--format", "csv"]).stdout();
    assert!(tables.contains("court"));
    // The next ingest writes the court table.
    dir.command(&["ingest", &format!("{FIX}/court.csv"), "--table", "court", "--warehouse", "wh"]).stdout();
    assert_eq!(dir.manifest("wh")["tables"]["court"]["rows"], 11);
}

#[test]
fn workbook_per_county_and_per_agency_formula_safe() {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let dir = Dir::new();
    fixture_warehouse(&dir);
    let mut hostile = lit_row(99);
    hostile[2] = "=HYPERLINK(\"http://x\")".into();
    dir.create("court_extra.csv", &format!("{LIT}\n{}\n", hostile.join(",")));
    dir.command(&["ingest", "court_extra.csv", "--table", "court", "--warehouse", "wh"]).stdout();
    dir.command(&["reconcile", "--period", "2024H1", "--warehouse", "wh", "--format", "xlsx", "--out", "list.xlsx"]).stdout();
    let mut wb: Xlsx<_> = open_workbook(dir.join("list.xlsx")).unwrap();
    let names = wb.sheet_names();
    assert_eq!(names, ["汇总", "三门峡市", "湖滨区", "渑池县", "卢氏县"]);
    let hubin = wb.worksheet_range("湖滨区").unwrap();
    let cells: Vec<String> = hubin.cells().map(|(_, _, c)| c.to_string()).collect();
    assert!(cells.iter().any(|c| c == "'=HYPERLINK(\"http://x\")"), "neutralised: {cells:?}");
    assert!(!cells.iter().any(|c| c.starts_with('=')));
    assert!(cells.iter().any(|c| c == "法院有、台账未报（漏报）"));
    let summary = wb.worksheet_range("汇总").unwrap();
    assert!(summary.cells().any(|(_, _, c)| matches!(c, Data::Float(f) if *f == 6.0)), "湖滨区: 6 rows (5 + the hostile case)");
    dir.command(&["reconcile", "--period", "2024H1", "--warehouse", "wh", "--format", "xlsx", "--by", "agency", "--out", "agency.xlsx"])
        .stdout();
    let wb: Xlsx<_> = open_workbook(dir.join("agency.xlsx")).unwrap();
    let names = wb.sheet_names();
    assert!(names.contains(&"渑池县公安局".to_string()));
    assert!(names.iter().any(|n| n.starts_with("'=HYPERLINK") || n.starts_with("_=HYPERLINK") || n.contains("HYPERLINK")));
}

#[test]
fn usage_errors() {
    let dir = Dir::new();
    fixture_warehouse(&dir);
    dir.command(&["reconcile", "--summary", "--period", "2024", "--warehouse", "wh"]).fails(2);
    dir.command(&["reconcile", "--period", "2024", "--format", "xlsx", "--warehouse", "wh"]).fails(2);
    dir.command(&["reconcile", "--period", "2024", "--region", "999999", "--warehouse", "wh"]).fails(2);
    dir.command(&["reconcile", "--period", "2024", "--region", "41'; DROP", "--warehouse", "wh"]).fails(2);
    dir.command(&["reconcile", "--period", "2024Q5", "--warehouse", "wh"]).fails(2);
    dir.command(&["reconcile", "--period", "2024", "--by", "agency", "--warehouse", "wh"]).fails(2);
    dir.command(&["reconcile", "--period", "2024", "--out", "x.xlsx", "--warehouse", "wh"]).fails(2);
    dir.command(&["reconcile", "--period", "2024", "--warehouse", "nowhere"]).fails(6);
}

#[test]
fn briefing_annex_and_dashboard_show_the_reconciliation_only_with_a_court_list() {
    use calamine::{Reader, Xlsx, open_workbook};
    let dir = Dir::new();
    fixture_warehouse(&dir);
    dir.command(&["brief", "--period", "2024H1", "--region", "411200", "--out", "B", "--formats", "md,xlsx", "--warehouse", "wh"]).stdout();
    let md = dir.read("B/briefing.md");
    // The fixture's figures (tests/fixtures/court/README.md): 10 and 10 cases, 8 on both sides,
    // 2 missing each way, 6 differing, 2 losses not reported; court 5/… lost, ledger 4/… lost.
    assert!(md.contains("数据核对情况"), "{md}");
    assert!(md.contains("法院清单载有全市一审行政诉讼案件10件，各单位台账报送10件，双方均有记录的8件"), "{md}");
    assert!(md.contains("漏报）2件，台账有而法院清单无2件，信息不一致6件，其中法院判决败诉而台账未如实报送败诉结果2件"), "{md}");
    // Court side closed in H1 under 411200: C1 C5 C6 C7 C8 C9 C11 C13 = 8, lost 5; ledger: L1 L5 L7
    // L8 L9 L13 = 6, lost 4 (L11 closed in 2023).
    assert!(md.contains("按法院清单计算，审结8件，败诉5件，败诉率62.50%；按台账计算，审结6件，败诉4件，败诉率66.67%"), "{md}");
    let wb: Xlsx<_> = open_workbook(dir.join("B/annex.xlsx")).unwrap();
    assert!(wb.sheet_names().contains(&"数据核对".to_string()));
    dir.command(&["dashboard", "--out", "D", "--period", "2024H1", "--no-ytd", "--region", "411200", "--warehouse", "wh"]).stdout();
    let page = dir.read("D/reconcile.html");
    assert!(page.contains("（2024）豫12行初5号") && page.contains("败诉未如实报送"));
    assert!(dir.read("D/index.html").contains("reconcile.html"));

    // No court case in the period: nothing is printed.
    dir.command(&["brief", "--period", "2022", "--region", "411200", "--out", "B2", "--formats", "md,xlsx", "--warehouse", "wh"]).stdout();
    assert!(!dir.read("B2/briefing.md").contains("数据核对"));
    let wb: Xlsx<_> = open_workbook(dir.join("B2/annex.xlsx")).unwrap();
    assert!(!wb.sheet_names().iter().any(|n| n.contains("数据核对")));
    dir.command(&["dashboard", "--out", "D2", "--period", "2022", "--no-ytd", "--region", "411200", "--warehouse", "wh"]).stdout();
    assert!(!dir.join("D2/reconcile.html").exists());
    assert!(!dir.read("D2/index.html").contains("reconcile.html"));
}

#[test]
fn run_on_the_samples_ingests_the_court_list_and_shows_the_reconciliation() {
    use calamine::{Reader, Xlsx, open_workbook};
    let dir = Dir::new();
    let inputs = concat!(env!("CARGO_MANIFEST_DIR"), "/data-samples");
    let out = dir.command(&["run", "--inputs", inputs, "--out", "o"]).stdout();
    assert!(out.contains("court_2024.xlsx [行政案件收结案清单]: read 309 = accepted 307 + rejected 2"), "{out}");
    let m = dir.manifest("o/warehouse");
    assert_eq!(m["tables"]["court"]["rows"], 307);
    // The court's list did not land in the ledger: the litigation rows are the ledgers' own.
    let lit = dir
        .command(&[
            "sql",
            "SELECT COUNT(*) AS n FROM litigation WHERE _source_file LIKE '%court_2024.xlsx'",
            "--format",
            "csv",
            "--warehouse",
            "o/warehouse",
        ])
        .stdout();
    assert_eq!(lit, "n\n0\n");
    let md = dir.read("o/briefing/briefing.md");
    assert!(md.contains("数据核对情况") && md.contains("败诉未如实报送"), "{md}");
    let wb: Xlsx<_> = open_workbook(dir.join("o/briefing/annex.xlsx")).unwrap();
    assert!(wb.sheet_names().contains(&"数据核对".to_string()));
    assert!(dir.read("o/dashboard/reconcile.html").contains("差异清单"));
}
