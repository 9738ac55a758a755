//! The supervision ledger and `fuyuan supervision`: agreement with the independent reference
//! (`tests/reference/supervision_duckdb.py`), one test per reject reason, personal data never
//! stored, (doc_no, agency) corrections, conservation, and warehouses without the table.
//!
//! Needs `python3` with the `duckdb` package for the reference test (it fails, never skips).
mod util;

use std::path::PathBuf;
use std::process::Command;

use util::{Dir, parse_csv};

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference/supervision_duckdb.py");
const LEDGER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/supervision/supervision_2023_2024.csv");
const SAMPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data-samples");
/// Sanmenxia's zones and townships (the fixture writes to 411271, 经济开发区).
const REGIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data-samples/regions_sanmenxia.csv");

/// The sample ledgers and the supervision fixture, in one warehouse `wh`.
fn sample_with_supervision(dir: &Dir) {
    let mut args: Vec<String> = vec!["ingest".into()];
    let mut files: Vec<PathBuf> = std::fs::read_dir(SAMPLES)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with("regions"))
        .collect();
    files.sort_by_key(|p| {
        let n = p.file_name().unwrap().to_string_lossy().to_string();
        (n.contains("correction"), n)
    });
    files.push(PathBuf::from(LEDGER));
    args.extend(files.iter().map(|p| p.to_string_lossy().into_owned()));
    args.extend(["--warehouse", "wh", "--regions"].map(String::from));
    args.push(format!("{SAMPLES}/regions_sanmenxia.csv"));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    dir.command(&refs).stdout();
}

fn reference(dir: &Dir, period: &str, ytd: bool, level: &str, parent: Option<&str>, thresholds: (i64, i64)) -> String {
    let mut cmd = Command::new("python3");
    cmd.arg(SCRIPT).arg(dir.join("wh")).arg(period).arg(level);
    cmd.args(["--letter-losses", &thresholds.0.to_string(), "--letter-corrections", &thresholds.1.to_string()]);
    if ytd {
        cmd.arg("--ytd");
    }
    if let Some(p) = parent {
        cmd.args(["--parent", p]);
    }
    let o = cmd.output().expect("python3 on PATH (the reference needs Python 3 with `pip install duckdb`)");
    assert!(o.status.success(), "supervision_duckdb.py failed (pip install duckdb?):\n{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

fn ours(dir: &Dir, period: &str, ytd: bool, level: &str, parent: Option<&str>, config: Option<&str>) -> String {
    let mut args = vec!["supervision", "--period", period, "--warehouse", "wh", "--format", "csv"];
    args.extend(if level == "agency" { ["--by", "agency"] } else { ["--level", level] });
    if ytd {
        args.push("--ytd");
    }
    if let Some(p) = parent {
        args.extend(["--parent", p]);
    }
    if let Some(c) = config {
        args.extend(["--config", c]);
    }
    dir.command(&args).stdout()
}

#[test]
fn agrees_with_the_reference_cell_for_cell() {
    let dir = Dir::new();
    sample_with_supervision(&dir);
    dir.create("low.toml", "[thresholds]\nletter_losses = 1\nletter_corrections = 1\n");
    // (period, ytd, level, parent, thresholds 1/1 instead of the defaults 2/2)
    let combos: &[(&str, bool, &str, Option<&str>, bool)] = &[
        ("2024", false, "county", Some("411200"), false),
        ("2024Q2", true, "county", Some("411200"), false),
        ("2023", false, "city", None, false),
        ("2021-01-01..2024-12-31", false, "county", Some("411200"), false),
        ("2023-07-01..2024-06-30", false, "city", Some("410000"), true),
        ("2024H2", false, "township", Some("411200"), true),
        ("2023Q3", false, "province", None, false),
        ("2024M03", false, "county", Some("411200"), false),
        ("2024", false, "agency", None, true),
        ("2024Q4", true, "agency", Some("411200"), false),
        ("2023-12-01..2024-03-31", false, "agency", None, false),
    ];
    let mut failures = Vec::new();
    let mut nonzero = 0;
    for &(period, ytd, level, parent, low) in combos {
        let label = format!("{period} ytd={ytd} {level} {parent:?} low={low}");
        let f = ours(&dir, period, ytd, level, parent, low.then_some("low.toml"));
        let r = reference(&dir, period, ytd, level, parent, if low { (1, 1) } else { (2, 2) });
        let (fh, frows) = parse_csv(&f);
        let (rh, rrows) = parse_csv(&r);
        assert_eq!(fh, rh, "{label}: header");
        if frows.len() != rrows.len() {
            failures.push(format!("{label}: {} rows vs reference {}", frows.len(), rrows.len()));
            continue;
        }
        for (a, b) in frows.iter().zip(&rrows) {
            if a != b {
                failures.push(format!("{label}: fuyuan {a:?}\n   reference {b:?}"));
            }
            nonzero += a[3..].iter().filter(|c| *c != "0").count();
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The comparison means something only if the figures are not all zero.
    assert!(nonzero > 50, "only {nonzero} non-zero cells");
}

#[test]
fn exact_columns_and_zeros_not_empty() {
    let dir = Dir::new();
    dir.command(&["ingest", LEDGER, "--warehouse", "wh", "--regions", REGIONS]).stdout();
    let out = ours(&dir, "2024Q2", true, "county", Some("411200"), None);
    let (h, rows) = parse_csv(&out);
    assert_eq!(
        h.join(","),
        "period,region_code,region_name,letters,letter_units,rectification_units,interviews,interview_units,circulars,accountability_actions,persons_accountable,referred,due,rectified_on_time,rectified_late,overdue,open_not_due,flagged_units,flagged_without_action"
    );
    let codes: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    let mut sorted = codes.clone();
    sorted.sort();
    assert_eq!(codes, sorted);
    assert!(rows.iter().all(|r| r[3..].iter().all(|c| c.parse::<i64>().is_ok())), "{out}");
    // 2024-01-01..2024-06-30, Sanmenxia's counties. 卢氏县 (411224): one letter 三司监〔2024〕1号
    // to two of its units (卢氏县人民政府, 卢氏县公安局), both with a deadline of 2024-05-31, one
    // rectified 05-20, one not; the 通报 of 2023-12-01 had its deadline 2024-02-29 and was
    // rectified 03-10: late. So letters 1, letter_units 2, due 3, on time 1, late 1, overdue 1.
    let lushi = rows.iter().find(|r| r[1] == "411224").unwrap();
    assert_eq!(lushi[3..].join(","), "1,2,2,0,0,0,0,0,0,3,1,1,1,0,0,0");
}

#[test]
fn each_reject_reason() {
    let dir = Dir::new();
    let out = dir.command(&["ingest", LEDGER, "--warehouse", "wh", "--regions", REGIONS]).stdout();
    assert!(out.contains("read 25 = accepted 18 + rejected 7, replaced 1"), "{out}");
    let rejects = dir.rejects("wh");
    let reason = |line: &str| rejects.iter().find(|r| &r[1] == line).map(|r| format!("{} | {}", &r[2], &r[3])).unwrap();
    assert_eq!(reason("20"), "监督类型 (action) | unknown supervision action '监督建议'");
    assert_eq!(reason("21"), "整改期限 (deadline) | deadline 2024-04-01 is before issued_date 2024-05-01");
    assert_eq!(reason("22"), "责任追究人数 (persons_accountable) | person count -2 is negative");
    assert_eq!(reason("23"), "责任追究人数 (persons_accountable) | person count 1.5 is not a whole number");
    assert_eq!(reason("24"), "文号 (doc_no) | required cell is empty");
    assert_eq!(reason("25"), "区划代码 (region_code) | region code 999999 is not in the regions dimension");
    assert_eq!(reason("26"), "整改完成日期 (rectified_date) | rectified_date 2024-05-01 is before issued_date 2024-06-01");
    assert_eq!(rejects.len(), 7);
}

#[test]
fn more_reject_reasons_and_variants() {
    let dir = Dir::new();
    dir.create(
        "s.csv",
        "文书编号,监督方式,监督对象,行政区划代码,下发日期,问题来源,追责人数,是否移送\n\
         A1,意见书,甲局,411202,2024-01-05,败诉,,\n\
         A2,约谈,甲局,411202,2024-01-05,天上掉的,,\n\
         A3,约谈,甲局,411202,2024-02-30,,,\n\
         A4,问责,甲局,411202,2024-01-05,,若干,\n\
         A5,问责,甲局,411202,2024-01-05,,2名,也许\n\
         A6,督办函,甲局,411202,2024-01-05,群众举报,2名,是\n",
    );
    dir.command(&["ingest", "s.csv", "--warehouse", "wh"]).stdout();
    let rejects = dir.rejects("wh");
    let reason = |line: &str| rejects.iter().find(|r| &r[1] == line).map(|r| r[3].to_string()).unwrap();
    assert_eq!(reason("3"), "unknown problem source '天上掉的'");
    assert!(reason("4").contains("2024-02-30"), "{}", reason("4"));
    assert_eq!(reason("5"), "'若干' is not a whole number of persons ≥ 0");
    assert!(reason("6").contains("yes/no"), "{}", reason("6"));
    assert_eq!(rejects.len(), 4);
    let rows = dir
        .command(&[
            "sql",
            "--warehouse",
            "wh",
            "--format",
            "csv",
            "SELECT doc_no, action, source, persons_accountable, referred FROM supervision ORDER BY doc_no",
        ])
        .stdout();
    assert_eq!(rows, "doc_no,action,source,persons_accountable,referred\nA1,监督意见书,败诉案件,,\nA6,督办,投诉举报,2,true\n");
}

#[test]
fn person_columns_never_stored_nor_rejected_and_the_manifest_says_so() {
    let dir = Dir::new();
    dir.command(&["ingest", LEDGER, "--warehouse", "wh", "--regions", REGIONS]).stdout();
    let m = dir.manifest("wh");
    let f = &m["ingests"][0]["files"][0];
    assert_eq!(f["personal_data_dropped"], serde_json::json!(["被追责人"]));
    let names = ["王建国", "刘德华", "李明", "赵强", "钱进", "周立", "孙伟"];
    let mut stack = vec![dir.join("wh")];
    let mut files = 0;
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            stack.extend(std::fs::read_dir(&p).unwrap().flatten().map(|e| e.path()));
            continue;
        }
        files += 1;
        let bytes = std::fs::read(&p).unwrap();
        for n in names {
            assert!(!bytes.windows(n.len()).any(|w| w == n.as_bytes()), "{n} found in {}", p.display());
        }
    }
    assert!(files > 5);
    // The rejected row of 孙伟 (line 22) is there, with its person cell blank.
    let rejects = dir.rejects("wh");
    let row = rejects.iter().find(|r| &r[1] == "22").unwrap();
    assert!(row.iter().all(|c| c != "孙伟"));
}

#[test]
fn doc_and_agency_key_last_wins_and_conservation() {
    let dir = Dir::new();
    dir.command(&["ingest", LEDGER, "--warehouse", "wh", "--regions", REGIONS]).stdout();
    let m = dir.manifest("wh");
    let f = &m["ingests"][0]["files"][0];
    assert_eq!(f["rows_read"].as_u64().unwrap(), f["rows_accepted"].as_u64().unwrap() + f["rows_rejected"].as_u64().unwrap());
    let rep = &f["replaced"][0];
    assert_eq!(rep["key"], "三司监〔2023〕1号 / 湖滨区人民政府");
    assert_eq!((rep["old_line"].as_i64(), rep["new_line"].as_i64()), (Some(4), Some(19)));
    // A later file corrects one unit of a three-unit letter; the other units stay.
    dir.create(
        "later.csv",
        "文号,监督方式,监督对象,区划代码,下发日期,整改期限,整改完成日期\n三司监〔2023〕1号,意见书,陕州区人民政府,411203,2023-07-10,2023-09-30,2023-09-25\n",
    );
    dir.command(&["ingest", "later.csv", "--warehouse", "wh"]).stdout();
    let q = "SELECT agency, rectified_date FROM supervision WHERE doc_no = '三司监〔2023〕1号' ORDER BY agency";
    let out = dir.command(&["sql", "--warehouse", "wh", "--format", "csv", q]).stdout();
    assert_eq!(
        out,
        "agency,rectified_date\n三门峡市自然资源和规划局湖滨分局,2023-10-15\n湖滨区人民政府,2024-01-10\n陕州区人民政府,2023-09-25\n"
    );
}

#[test]
fn a_warehouse_without_a_supervision_table_still_works() {
    let dir = Dir::new();
    util::sample_warehouse(&dir, "wh");
    // A warehouse written before the supervision ledger existed: no such table in its manifest.
    let path = dir.join("wh/manifest.json");
    let mut m: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    m["tables"].as_object_mut().unwrap().remove("supervision");
    std::fs::write(&path, serde_json::to_string(&m).unwrap()).unwrap();
    dir.command(&["metrics", "--period", "2024", "--level", "county", "--parent", "411200", "--warehouse", "wh"]).stdout();
    let out = dir.command(&["sql", "--warehouse", "wh", "--format", "csv", "SELECT COUNT(*) AS n FROM supervision"]).stdout();
    assert_eq!(out, "n\n0\n");
    let out = ours(&dir, "2024", false, "county", Some("411200"), None);
    let (_, rows) = parse_csv(&out);
    assert_eq!(rows.len(), 7);
}

#[test]
fn usage_errors() {
    let dir = Dir::new();
    util::sample_warehouse(&dir, "wh");
    let e = dir.command(&["supervision", "--period", "2024Q5", "--level", "county", "--warehouse", "wh"]).fails(2);
    assert!(e.contains("period"), "{e}");
    let e = dir.command(&["supervision", "--period", "2024", "--level", "county", "--parent", "999999", "--warehouse", "wh"]).fails(2);
    assert!(e.contains("999999"), "{e}");
    dir.command(&["supervision", "--period", "2024", "--level", "county", "--warehouse", "nowhere"]).fails(6);
}

mod conservation {
    //! Random supervision ledgers: every row is accepted or rejected (never dropped), exactly the
    //! faulty rows are rejected, the warehouse keeps one row per (doc_no, agency) among the
    //! accepted rows, and no name from the person column is stored anywhere.
    use super::util::Dir;
    use proptest::prelude::*;

    const HEADER: &str = "文号,监督方式,被监督单位,区划代码,下发日期,整改期限,整改完成日期,追责人数,责任人";
    const ACTIONS: [&str; 8] = ["意见书", "行政执法监督意见书", "约谈会", "执法监督约谈", "通报批评", "问责", "挂牌督办", "督办函"];
    const UNITS: [(&str, &str); 3] = [("湖滨区公安分局", "411202"), ("陕州区人社局", "411203"), ("灵宝市自然资源局", "411282")];
    const FAULTS: usize = 6;

    /// (doc number, action, unit, issue day, deadline offset, persons, fault: 0 = none)
    type Row = (u8, usize, usize, u16, Option<u8>, Option<u8>, usize);

    fn arb_row() -> impl Strategy<Value = Row> {
        (
            0u8..6,
            0..ACTIONS.len(),
            0..UNITS.len(),
            0u16..700,
            proptest::option::of(0u8..120),
            proptest::option::of(0u8..5),
            prop_oneof![4 => Just(0usize), 1 => 1..=FAULTS],
        )
    }

    fn render(r: &Row, i: usize) -> String {
        let (doc, action, unit, day, deadline, persons, fault) = *r;
        let issued = chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap() + chrono::Duration::days(day as i64);
        let mut cells = vec![
            format!("三司监〔2024〕{doc}号"),
            ACTIONS[action].to_string(),
            UNITS[unit].0.to_string(),
            UNITS[unit].1.to_string(),
            issued.to_string(),
            deadline.map(|d| (issued + chrono::Duration::days(d as i64)).to_string()).unwrap_or_default(),
            String::new(),
            persons.map(|p| p.to_string()).unwrap_or_default(),
            format!("责任人甲{i}"),
        ];
        match fault {
            1 => cells[1] = "口头提醒".into(),
            2 => cells[5] = (issued - chrono::Duration::days(1)).to_string(),
            3 => cells[7] = "-1".into(),
            4 => cells[7] = "0.5".into(),
            5 => cells[0] = String::new(),
            6 => cells[4] = "2023-02-29".into(),
            _ => {}
        }
        cells.join(",")
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 12, failure_persistence: None, max_shrink_iters: 16, ..ProptestConfig::default() })]
        #[test]
        fn every_row_is_accepted_or_rejected(rows in proptest::collection::vec(arb_row(), 1..60)) {
            let dir = Dir::new();
            let mut text = format!("{HEADER}\n");
            for (i, r) in rows.iter().enumerate() {
                text.push_str(&render(r, i));
                text.push('\n');
            }
            dir.create("s.csv", &text);
            dir.command(&["ingest", "s.csv", "--warehouse", "wh"]).stdout();
            let m = dir.manifest("wh");
            let f = &m["ingests"][0]["files"][0];
            let (read, acc, rej) = (f["rows_read"].as_u64().unwrap(), f["rows_accepted"].as_u64().unwrap(), f["rows_rejected"].as_u64().unwrap());
            prop_assert_eq!(read, rows.len() as u64);
            prop_assert_eq!(read, acc + rej);
            let faulty: Vec<u64> = rows.iter().enumerate().filter(|(_, r)| r.6 != 0).map(|(i, _)| i as u64 + 2).collect();
            let mut rejected: Vec<u64> = dir.rejects("wh").iter().map(|r| r[1].parse().unwrap()).collect();
            rejected.sort();
            prop_assert_eq!(&rejected, &faulty);
            let keys: std::collections::BTreeSet<(u8, usize)> = rows.iter().filter(|r| r.6 == 0).map(|r| (r.0, r.2)).collect();
            let out = dir.command(&["sql", "--warehouse", "wh", "--format", "csv", "SELECT COUNT(*) AS n FROM supervision"]).stdout();
            prop_assert_eq!(out, format!("n\n{}\n", keys.len()));
            for entry in walk(&dir.join("wh")) {
                let bytes = std::fs::read(&entry).unwrap();
                prop_assert!(!bytes.windows("责任人甲".len()).any(|w| w == "责任人甲".as_bytes()), "a name in {}", entry.display());
            }
        }
    }

    fn walk(p: &std::path::Path) -> Vec<std::path::PathBuf> {
        if p.is_dir() { std::fs::read_dir(p).unwrap().flatten().flat_map(|e| walk(&e.path())).collect() } else { vec![p.to_path_buf()] }
    }
}

#[test]
fn a_deadline_may_lie_ahead_a_rectification_may_not() {
    let dir = Dir::new();
    // Today is 2025-03-31 in tests.
    dir.create(
        "s.csv",
        "文号,监督方式,监督对象,区划代码,下发日期,整改期限,整改完成日期\n\
         B1,意见书,甲局,411202,2025-03-01,2025-06-30,\n\
         B2,意见书,甲局,411202,2025-03-01,2025-06-30,2025-04-02\n\
         B3,意见书,甲局,411202,2025-04-01,,\n",
    );
    dir.command(&["ingest", "s.csv", "--warehouse", "wh"]).stdout();
    let rejects = dir.rejects("wh");
    let lines: Vec<(&str, &str)> = rejects.iter().map(|r| (&r[1], &r[2])).collect();
    assert_eq!(lines, vec![("3", "整改完成日期 (rectified_date)"), ("4", "下发日期 (issued_date)")]);
    assert!(rejects.iter().all(|r| r[3].contains("after today")));
}

/// The golden fixture (tests/fixtures/golden_supervision, arithmetic in its README).
fn golden(period: &str, level: &[&str], expected: &str) {
    let g = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/golden_supervision");
    let dir = Dir::new();
    let files = ["litigation.csv", "reconsideration.csv", "supervision.csv"].map(|f| format!("{g}/{f}"));
    dir.command(&["ingest", &files[0], &files[1], &files[2], "--warehouse", "wh"]).stdout();
    let mut args = vec!["supervision", "--period", period, "--warehouse", "wh", "--format", "csv"];
    args.extend(level);
    let out = dir.command(&args).stdout();
    let want = std::fs::read_to_string(format!("{g}/{expected}")).unwrap();
    assert_eq!(out, want, "{period} {level:?}");
}

#[test]
fn golden_counties_2024q2() {
    golden("2024Q2", &["--level", "county", "--parent", "411200"], "expected_county_411200_2024Q2.csv");
}

#[test]
fn golden_city_2024q2() {
    golden("2024Q2", &["--level", "city"], "expected_city_2024Q2.csv");
}

#[test]
fn golden_counties_span_2024() {
    golden("2024-01-01..2024-12-31", &["--level", "county", "--parent", "411200"], "expected_county_411200_span_2024.csv");
}

/// `--effect`: one supervised unit and one comparison unit, 40 concluded cases in each window.
/// 甲局 gets a letter on 2023-01-15: before (2022-01-15..2023-01-14) 20 of 40 lost, after
/// (2023-01-16..2024-01-15) 8 of 40: −30 pp. 乙局 lost 20 of 40 in 2022Q4 (≥ 15, the threshold set
/// here) and got nothing, so it is compared from 2023-01-01: before 20 of 40, after 14 of 40:
/// −15 pp. The difference is −30 − (−15) = −15 pp, on ≥ 30 concluded cases in every window.
/// 丙局's case closed 2024-12-31 makes that the data's last date, so no window is partial.
#[test]
fn effect_compares_supervised_units_with_unsupervised_ones() {
    let dir = Dir::new();
    let mut lit = String::from("案号,被告,区划代码,立案日期,结案日期,裁判结果\n");
    let mut n = 0;
    let mut add = |lit: &mut String, unit: &str, code: &str, filed: &str, closed: &str, lost: usize, total: usize| {
        for i in 0..total {
            n += 1;
            let outcome = if i < lost { "撤销" } else { "驳回诉讼请求" };
            lit.push_str(&format!("（2022）豫1202行初{n}号,{unit},{code},{filed},{closed},{outcome}\n"));
        }
    };
    add(&mut lit, "甲局", "411202", "2021-12-01", "2022-06-01", 20, 40);
    add(&mut lit, "甲局", "411202", "2023-02-01", "2023-06-01", 8, 40);
    add(&mut lit, "乙局", "411203", "2022-09-01", "2022-11-15", 20, 40);
    add(&mut lit, "乙局", "411203", "2023-02-01", "2023-06-01", 14, 40);
    add(&mut lit, "丙局", "411221", "2024-06-01", "2024-12-31", 0, 1);
    dir.create("lit.csv", &lit);
    dir.create("sup.csv", "文号,监督方式,监督对象,区划代码,下发日期\n三司监〔2023〕1号,意见书,甲局,411202,2023-01-15\n");
    dir.create("t.toml", "[thresholds]\nletter_losses = 15\nletter_corrections = 15\n");
    dir.command(&["ingest", "lit.csv", "sup.csv", "--warehouse", "wh"]).stdout();
    let out = dir
        .command(&[
            "supervision",
            "--effect",
            "--period",
            "2023-01-01..2023-12-31",
            "--config",
            "t.toml",
            "--warehouse",
            "wh",
            "--format",
            "csv",
        ])
        .stdout();
    let (h, rows) = parse_csv(&out);
    let get = |row: usize, col: &str| rows[row][h.iter().position(|c| c == col).unwrap()].clone();
    let num = |row: usize, col: &str| get(row, col).parse::<f64>().unwrap();
    assert_eq!((get(0, "group"), get(1, "group"), get(2, "group")), ("supervised".into(), "comparison".into(), "difference".into()));
    for (row, lost_before, lost_after, filed_before) in [(0, "20", "8", "0"), (1, "20", "14", "40")] {
        assert_eq!(get(row, "events"), "1");
        assert_eq!(get(row, "events_partial"), "0");
        assert_eq!((get(row, "before_concluded"), get(row, "before_lost")), ("40".into(), lost_before.into()));
        assert_eq!((get(row, "after_concluded"), get(row, "after_lost")), ("40".into(), lost_after.into()));
        assert_eq!((get(row, "before_filed"), get(row, "after_filed")), (filed_before.into(), "40".into()));
        assert_eq!(get(row, "note"), "effect measured");
    }
    assert!((num(0, "loss_rate_change_pp") + 30.0).abs() < 1e-9);
    assert!((num(1, "loss_rate_change_pp") + 15.0).abs() < 1e-9);
    assert!((num(2, "loss_rate_change_pp") + 15.0).abs() < 1e-9);
    assert_eq!(get(2, "note"), "effect measured");
    // With the default thresholds (2) both units are flagged again in 2023Q2 (8 and 14 losses)
    // and got nothing from 2023-04-01 to 2023-09-28: two more comparison events on 2023-07-01.
    let out =
        dir.command(&["supervision", "--effect", "--period", "2023-01-01..2023-12-31", "--warehouse", "wh", "--format", "csv"]).stdout();
    let (h, rows) = parse_csv(&out);
    let col = |c: &str| h.iter().position(|x| x == c).unwrap();
    assert_eq!((rows[1][col("events")].as_str(), rows[1][col("events_partial")].as_str()), ("3", "0"));
    // 丙局's interview of 2024-03-01 looks one year ahead, past the data's last date (2024-12-31):
    // partial, left out; nothing left to pool, so no claim.
    dir.create("sup2.csv", "文号,监督方式,监督对象,区划代码,下发日期\n三司约〔2024〕1号,约谈,丙局,411221,2024-03-01\n");
    dir.command(&["ingest", "sup2.csv", "--warehouse", "wh"]).stdout();
    let out =
        dir.command(&["supervision", "--effect", "--period", "2024-01-01..2024-12-31", "--warehouse", "wh", "--format", "csv"]).stdout();
    let (h, rows) = parse_csv(&out);
    let col = |c: &str| h.iter().position(|x| x == c).unwrap();
    let first = (rows[0][col("events")].as_str(), rows[0][col("events_partial")].as_str(), rows[0][col("before_concluded")].as_str());
    assert_eq!(first, ("1", "1", "0"));
    assert!(out.lines().skip(1).all(|l| l.ends_with("no effect claimed: fewer than 30 concluded cases")), "{out}");
}

/// The briefing's section on the golden fixture (arithmetic in its README, "Briefing"), the
/// annex sheets and the dashboard page; no section at all without supervision rows.
#[test]
fn golden_briefing_section_annex_and_dashboard() {
    let g = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/golden_supervision");
    let templates = concat!(env!("CARGO_MANIFEST_DIR"), "/reports");
    let dir = Dir::new();
    let files = ["litigation.csv", "reconsideration.csv", "supervision.csv"].map(|f| format!("{g}/{f}"));
    dir.command(&["ingest", &files[0], &files[1], &files[2], "--warehouse", "wh"]).stdout();
    let brief = |out: &str, extra: &[&str]| {
        let mut args =
            vec!["brief", "--period", "2024Q2", "--region", "411200", "--warehouse", "wh", "--out", out, "--templates", templates];
        args.extend(extra);
        dir.command(&args).stdout();
        dir.read(&format!("{out}/briefing.md"))
    };
    let md = brief("b", &[]);
    assert!(md.contains("### （五）行政执法监督情况"), "{md}");
    assert!(
        md.contains(
            "2023年12月1日以来，全市下发《行政执法监督意见书》2份，督促6家行政执法单位限期整改，约谈行政执法单位1家，追责行政执法人员3人。"
        ),
        "{md}"
    );
    assert!(md.contains("2024年第二季度，下发《行政执法监督意见书》1份，督促4家行政执法单位限期整改，约谈行政执法单位1家，追责行政执法人员2人；本期到期的整改事项5件，按期整改2件，逾期后整改1件，逾期未整改2件。本期达到制发监督意见书标准的单位4家，其中1家"), "{md}");
    assert!(md.contains("| 卢氏县公安局 | 卢氏县 | 三司监〔2023〕9号（监督意见书） | 2024年4月30日 | 61 |"), "{md}");
    assert!(md.contains("| 湖滨区公安分局 | 湖滨区 | 三司监〔2024〕1号（监督意见书） | 2024年6月10日 | 20 |"), "{md}");
    assert!(md.contains("| 卢氏县人民政府 | 卢氏县 | 0 | 2 |"), "{md}");
    assert!(md.contains("暂不据此判断监督成效"), "{md}");
    for f in ["b/charts/supervision_effect.png", "b/charts/supervision_effect.svg"] {
        assert!(dir.join(f).exists(), "{f}");
    }
    let annex = std::fs::read(dir.join("b/annex.xlsx")).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(annex)).unwrap();
    let mut wb = String::new();
    std::io::Read::read_to_string(&mut z.by_name("xl/workbook.xml").unwrap(), &mut wb).unwrap();
    for sheet in ["监督情况", "逾期未整改", "应发未发", "监督成效"] {
        assert!(wb.contains(&format!("name=\"{sheet}\"")), "annex lacks {sheet}");
    }
    // supervision_since moves the cumulative start: from 2024-01-01, S8 (2023-12-01) drops out.
    dir.create("s.toml", "supervision_since = \"2024-01-01\"\n");
    let md = brief("c", &["--config", "s.toml"]);
    assert!(
        md.contains(
            "2024年1月1日以来，全市下发《行政执法监督意见书》1份，督促5家行政执法单位限期整改，约谈行政执法单位1家，追责行政执法人员3人。"
        ),
        "{md}"
    );
    // The dashboard page, each count of the period linked to its rows.
    dir.command(&["dashboard", "--period", "2024Q2", "--no-ytd", "--region", "411200", "--warehouse", "wh", "--out", "d"]).stdout();
    let page = dir.read("d/supervision.html");
    assert!(page.contains("<a href=\"#rows-letters\">1</a>") && page.contains("<a href=\"#rows-due\">5</a>"), "{page}");
    assert!(page.contains("<details id=\"rows-overdue\"><summary>逾期未整改：2 对应的监督事项（2条）</summary>"), "{page}");
    assert!(dir.read("d/index.html").contains("href=\"supervision.html\""));
    // Without supervision rows: no section, no sheet, no page.
    let plain = Dir::new();
    plain.command(&["ingest", &files[0], &files[1], "--warehouse", "wh"]).stdout();
    plain
        .command(&["brief", "--period", "2024Q2", "--region", "411200", "--warehouse", "wh", "--out", "b", "--templates", templates])
        .stdout();
    assert!(!plain.read("b/briefing.md").contains("行政执法监督情况"));
    assert!(!plain.join("b/charts/supervision_effect.png").exists());
}
