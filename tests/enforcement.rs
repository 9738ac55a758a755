//! `fuyuan enforcement`: the township enforcement table — a hand-checked fixture
//! (tests/fixtures/enforcement/README.md has the arithmetic), agreement cell for cell with the
//! independent DuckDB reference (tests/reference/enforcement_duckdb.py) on the samples, and the
//! one-line usage errors.
mod util;

use std::path::Path;
use std::process::Command;

use util::{Dir, parse_csv};

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference/enforcement_duckdb.py");
const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/enforcement");
const HEADER: &str = "period,region_code,region_name,townships,townships_with_cases,township_cases,township_fines_yuan,delegated_cases,delegated_fines_yuan,penalty_cases,fines_yuan,confiscated_yuan,lenient_cases,lenient_rate,severe_cases";

fn fixture_warehouse(dir: &Dir) {
    let penalty = format!("{FIXTURE}/penalty.csv");
    let regions = format!("{FIXTURE}/regions.csv");
    dir.command(&["ingest", &penalty, "--regions", &regions, "--warehouse", "wh"]).stdout();
}

fn enforcement(dir: &Dir, args: &[&str]) -> String {
    let mut all = vec!["enforcement", "--warehouse", "wh", "--format", "csv"];
    all.extend(args);
    dir.command(&all).stdout()
}

#[test]
fn county_level_matches_the_hand_checked_fixture() {
    let dir = Dir::new();
    fixture_warehouse(&dir);
    let got = enforcement(&dir, &["--period", "2024H1", "--level", "county", "--parent", "411200"]);
    let p = "2024-01-01..2024-06-30";
    let want = format!(
        "{HEADER}
{p},411202,湖滨区,3,2,3,3000.50,2,1300.50,5,8300.50,300.00,2,0.5,1
{p},411203,陕州区,1,1,1,800.00,1,800.00,1,800.00,0.00,1,1,0
{p},411221,渑池县,0,0,0,0.00,0,0.00,1,100.00,0.00,1,1,0
{p},411224,卢氏县,0,0,0,0.00,0,0.00,0,0.00,0.00,0,,0
{p},411281,义马市,0,0,0,0.00,0,0.00,0,0.00,0.00,0,,0
{p},411282,灵宝市,0,0,0,0.00,0,0.00,0,0.00,0.00,0,,0
"
    );
    assert_eq!(got, want);
}

#[test]
fn township_level_and_a_span_match_the_fixture() {
    let dir = Dir::new();
    fixture_warehouse(&dir);
    let got = enforcement(&dir, &["--period", "2024H1", "--level", "township", "--parent", "411202"]);
    let p = "2024-01-01..2024-06-30";
    let want = format!(
        "{HEADER}
{p},411202101,甲镇,1,1,2,1000.50,1,1000.50,2,1000.50,0.00,1,0.5,0
{p},411202102,乙镇,1,1,1,2000.00,0,0.00,1,2000.00,300.00,0,0,1
{p},411202103,丙乡,1,0,0,0.00,0,0.00,0,0.00,0.00,0,,0
"
    );
    assert_eq!(got, want);

    let got = enforcement(&dir, &["--period", "2023-07-01..2024-01-31", "--level", "township", "--parent", "411202"]);
    let p = "2023-07-01..2024-01-31";
    let want = format!(
        "{HEADER}
{p},411202101,甲镇,1,1,1,999.00,1,999.00,1,999.00,0.00,0,0,0
{p},411202102,乙镇,1,0,0,0.00,0,0.00,0,0.00,0.00,0,,0
{p},411202103,丙乡,1,0,0,0.00,0,0.00,0,0.00,0.00,0,,0
"
    );
    assert_eq!(got, want);
}

#[test]
fn city_row_rolls_up_every_township_below_it() {
    let dir = Dir::new();
    fixture_warehouse(&dir);
    let got = enforcement(&dir, &["--period", "2024H1", "--level", "city", "--parent", "410000"]);
    let (h, rows) = parse_csv(&got);
    assert_eq!(h.join(","), HEADER);
    assert_eq!(rows.len(), 18, "every city-level unit of Henan, activity or not");
    let smx = rows.iter().find(|r| r[1] == "411200").expect("三门峡市 row");
    assert_eq!(smx[3..].join(","), "4,3,4,3800.50,3,2100.50,7,9200.50,300.00,4,0.6666666666666666,1");
    for r in rows.iter().filter(|r| r[1] != "411200") {
        assert_eq!(r[3..].join(","), "0,0,0,0.00,0,0.00,0,0.00,0.00,0,,0", "city {}", r[1]);
    }
}

#[test]
fn usage_errors_are_one_line() {
    let dir = Dir::new();
    fixture_warehouse(&dir);
    let e = dir.command(&["enforcement", "--warehouse", "wh", "--period", "2024", "--level", "village"]).fails(2);
    assert!(e.contains("--level 'village'"), "{e}");
    let e = dir.command(&["enforcement", "--warehouse", "wh", "--period", "2024", "--level", "county", "--parent", "419999"]).fails(2);
    assert!(e.contains("419999") && e.lines().count() == 1, "{e}");
    let e = dir.command(&["enforcement", "--warehouse", "wh", "--period", "2024Q5", "--level", "county"]).fails(2);
    assert!(e.contains("2024Q5"), "{e}");
    let e = dir.command(&["enforcement", "--warehouse", "nowhere", "--period", "2024", "--level", "county"]).fails(6);
    assert_eq!(e.lines().count(), 1, "{e}");
}

/// Fails (not skips) unless `python3` and its `duckdb` package are usable.
fn require_python_duckdb() {
    let ok = Command::new("python3").args(["-c", "import duckdb"]).output().map(|o| o.status.success()).unwrap_or(false);
    assert!(ok, "python3 with the duckdb package is needed: run `pip install duckdb` (CI's .ci/run installs it)");
}

fn reference(warehouse: &Path, period: &str, ytd: bool, level: &str, parent: Option<&str>) -> String {
    let mut cmd = Command::new("python3");
    cmd.arg(SCRIPT).arg(warehouse).arg(period).arg(level);
    if ytd {
        cmd.arg("--ytd");
    }
    if let Some(p) = parent {
        cmd.args(["--parent", p]);
    }
    let o = cmd.output().expect("run python3");
    assert!(o.status.success(), "enforcement_duckdb.py failed for {period} {level}:\n{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).expect("utf-8")
}

fn same_cell(col: &str, a: &str, b: &str) -> bool {
    if col == "lenient_rate" && !a.is_empty() && !b.is_empty() {
        let (x, y): (f64, f64) = (a.parse().unwrap(), b.parse().unwrap());
        return (x - y).abs() <= 1e-12;
    }
    a == b
}

#[test]
fn enforcement_matches_duckdb_reference_on_samples() {
    require_python_duckdb();
    let dir = Dir::new();
    util::sample_warehouse(&dir, "wh");
    let combos: &[(&str, bool, &str, Option<&str>)] = &[
        ("2024Q4", true, "county", Some("411200")),
        ("2024", false, "township", Some("411200")),
        ("2023-05-30..2024-12-31", false, "city", None),
        ("2023-05-30..2024-06-30", false, "township", None),
        ("2024H1", false, "province", None),
        ("2023Q3", false, "county", None),
        ("2024M05", false, "township", Some("411224")),
    ];
    let mut township_cases = 0;
    let mut failures = Vec::new();
    for &(period, ytd, level, parent) in combos {
        let mut args = vec!["--period", period, "--level", level];
        if ytd {
            args.push("--ytd");
        }
        if let Some(p) = parent {
            args.extend(["--parent", p]);
        }
        let ours = enforcement(&dir, &args);
        let theirs = reference(&dir.join("wh"), period, ytd, level, parent);
        let (fh, frows) = parse_csv(&ours);
        let (rh, rrows) = parse_csv(&theirs);
        assert_eq!(fh, rh, "{period} {level}: header");
        if frows.len() != rrows.len() {
            failures.push(format!("{period} {level}: {} rows vs reference {}", frows.len(), rrows.len()));
            continue;
        }
        for (f, r) in frows.iter().zip(&rrows) {
            for (i, col) in fh.iter().enumerate() {
                if !same_cell(col, &f[i], &r[i]) {
                    failures.push(format!("{period} {level} region {}: {col}: fuyuan `{}` vs reference `{}`", f[1], f[i], r[i]));
                }
            }
            township_cases += f[5].parse::<i64>().unwrap();
        }
        eprintln!("ok: {period} ytd={ytd} {level} {parent:?}: {} rows", frows.len());
    }
    assert!(failures.is_empty(), "fuyuan and the reference disagree:\n{}", failures.join("\n"));
    assert!(township_cases > 0, "no township case in any compared row: the comparison is vacuous");
}
