//! `fuyuan metrics --format csv` against an independent DuckDB implementation of docs/metrics.md
//! (`tests/reference/metrics_duckdb.py`, written from the docs alone), cell by cell, on the
//! same warehouse.
//!
//! Needs `python3` on PATH with the `duckdb` package (`pip install duckdb`; CI's `.ci/run`
//! installs it). A missing interpreter or package fails the test loudly, it never skips.
mod util;

use std::path::{Path, PathBuf};
use std::process::Command;

use util::{Dir, parse_csv};

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference/metrics_duckdb.py");

use util::FLOAT_COLUMNS;

/// (period, ytd, level, parent)
const COMBOS: &[(&str, bool, &str, Option<&str>)] = &[
    ("2024Q2", true, "county", Some("411200")),
    ("2024", false, "city", None),
    ("2024H1", false, "province", None),
    ("2023Q4", false, "county", Some("410100")),
    ("2024M05", false, "township", Some("411200")),
    // Extra spans: whole level, year-to-date month, second half, leap-year February.
    ("2024", false, "county", None),
    ("2023", false, "township", None),
    ("2024M02", true, "county", None),
    ("2024H2", true, "city", None),
    ("2024Q3", false, "county", Some("411200")),
    ("2023H1", true, "township", Some("411202")),
    // Every agency (`--by agency`): one unit per region code and agency name, no roll-up.
    ("2024Q4", true, "agency", None),
    ("2023", false, "agency", None),
    // Agency scopes: `agency:L` is `--by agency --level L`, with or without --parent.
    ("2024Q2", true, "agency", Some("411200")),
    ("2024", false, "agency:county", Some("411200")),
    ("2024H1", false, "agency:county", None),
    ("2024", false, "agency:city", Some("410000")),
    ("2024", false, "agency:township", Some("411202")),
    // Spans: P′ is the same span one year earlier.
    ("2023-05-30..2024-06-30", false, "county", Some("411200")),
    ("2024-02-29..2024-11-15", false, "city", None),
];

/// The interpreter to run the reference with: `FUYUAN_PYTHON` (as `.ci/run` exports it), else
/// `python3`.
fn python() -> String {
    std::env::var("FUYUAN_PYTHON").ok().filter(|p| !p.trim().is_empty()).unwrap_or_else(|| "python3".into())
}

/// `agency` or `agency:L` → (true, Some(L)); a region level → (false, None).
fn agency_level(level: &str) -> (bool, Option<&str>) {
    match level.strip_prefix("agency") {
        Some("") => (true, None),
        Some(rest) => (true, rest.strip_prefix(':')),
        None => (false, None),
    }
}

/// Fails (not skips) unless `python3` and its `duckdb` package are usable.
fn require_python_duckdb() {
    let out = Command::new(python()).args(["-c", "import duckdb; print(duckdb.__version__)"]).output();
    match out {
        Err(e) => panic!(
            "{} is not on PATH ({e}): the DuckDB reference test needs Python 3 with duckdb — install Python 3, then run `pip install duckdb`",
            python()
        ),
        Ok(o) if !o.status.success() => panic!(
            "python3 cannot import duckdb: run `pip install duckdb` (CI's .ci/run installs it)\n{}",
            String::from_utf8_lossy(&o.stderr)
        ),
        Ok(_) => {}
    }
}

/// Runs the Python reference on `warehouse` and returns its CSV.
fn reference(warehouse: &Path, period: &str, ytd: bool, level: &str, parent: Option<&str>) -> String {
    let mut cmd = Command::new(python());
    let (agency, by_level) = agency_level(level);
    cmd.arg(SCRIPT).arg(warehouse).arg(period).arg(if agency { "agency" } else { level });
    if let Some(l) = by_level {
        cmd.args(["--agency-level", l]);
    }
    if ytd {
        cmd.arg("--ytd");
    }
    if let Some(p) = parent {
        cmd.args(["--parent", p]);
    }
    let o = cmd.output().expect("run python3");
    assert!(
        o.status.success(),
        "reference metrics_duckdb.py failed for {period} ytd={ytd} {level} parent={parent:?} (if duckdb is missing: run `pip install duckdb`):\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).expect("utf-8 reference output")
}

fn fuyuan_metrics(dir: &Dir, warehouse: &str, period: &str, ytd: bool, level: &str, parent: Option<&str>) -> String {
    let mut args = vec!["metrics", "--period", period, "--warehouse", warehouse, "--format", "csv"];
    let (agency, by_level) = agency_level(level);
    if agency {
        args.extend(["--by", "agency"]);
        if let Some(l) = by_level {
            args.extend(["--level", l]);
        }
    } else {
        args.extend(["--level", level]);
    }
    if ytd {
        args.push("--ytd");
    }
    if let Some(p) = parent {
        args.extend(["--parent", p]);
    }
    dir.command(&args).stdout()
}

fn floats_agree(a: &str, b: &str) -> bool {
    match (a.parse::<f64>(), b.parse::<f64>()) {
        (Ok(x), Ok(y)) => {
            if x == y {
                return true;
            }
            let diff = (x - y).abs();
            // 1e-9 relative; a tiny absolute floor so that a 0 computed two ways (e.g. a
            // percentage-point change of two equal rates) still agrees.
            diff <= 1e-9 * x.abs().max(y.abs()) || diff <= 1e-12
        }
        _ => false,
    }
}

/// Compares two metrics CSVs cell by cell; returns the first difference, described.
fn compare(label: &str, fuyuan: &str, reference: &str) -> Result<usize, String> {
    let (fh, frows) = parse_csv(fuyuan);
    let (rh, rrows) = parse_csv(reference);
    if fh != rh {
        return Err(format!("{label}: header differs\n fuyuan:    {}\n reference: {}", fh.join(","), rh.join(",")));
    }
    let code_col = fh.iter().position(|c| c == "region_code").expect("region_code column");
    let fcodes: Vec<&str> = frows.iter().map(|r| r[code_col].as_str()).collect();
    let rcodes: Vec<&str> = rrows.iter().map(|r| r[code_col].as_str()).collect();
    if fcodes != rcodes {
        let only_f: Vec<&&str> = fcodes.iter().filter(|c| !rcodes.contains(c)).collect();
        let only_r: Vec<&&str> = rcodes.iter().filter(|c| !fcodes.contains(c)).collect();
        return Err(format!(
            "{label}: printed regions differ ({} rows from fuyuan, {} from the reference); only in fuyuan: {only_f:?}; only in reference: {only_r:?}; fuyuan order: {fcodes:?}",
            frows.len(),
            rrows.len()
        ));
    }
    for (fr, rr) in frows.iter().zip(&rrows) {
        if fr.len() != fh.len() || rr.len() != fh.len() {
            return Err(format!("{label}: region {}: ragged row ({} / {} cells)", fr[code_col], fr.len(), rr.len()));
        }
        for (i, col) in fh.iter().enumerate() {
            let (a, b) = (fr[i].as_str(), rr[i].as_str());
            let same = if a.is_empty() || b.is_empty() {
                a == b
            } else if FLOAT_COLUMNS.contains(&col.as_str()) {
                floats_agree(a, b)
            } else {
                a == b
            };
            if !same {
                return Err(format!(
                    "{label}: region {} ({}), column {col}: fuyuan `{a}` vs reference `{b}`",
                    fr[code_col],
                    fr.get(2).map(String::as_str).unwrap_or(""),
                ));
            }
        }
    }
    Ok(frows.len())
}

/// Ingests `files` (regions file as `--regions` when given) into `wh`.
fn ingest(dir: &Dir, files: &[PathBuf], regions: Option<&Path>) {
    let mut args: Vec<String> = vec!["ingest".into()];
    args.extend(files.iter().map(|p| p.to_string_lossy().into_owned()));
    args.extend(["--warehouse".into(), "wh".into()]);
    if let Some(r) = regions {
        args.extend(["--regions".into(), r.to_string_lossy().into_owned()]);
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let report = dir.command(&refs).stdout();
    eprintln!("{report}");
}

/// The ledgers in `folder`, corrections last, and its regions file if any.
fn ledgers_in(folder: &Path) -> (Vec<PathBuf>, Option<PathBuf>) {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap_or_else(|e| panic!("reading {}: {e}", folder.display()))
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let ext = p.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            // The court's list (court_*) is not a ledger the metrics read.
            (ext == "csv" || ext == "xlsx") && !name.starts_with("regions") && !name.starts_with("court")
        })
        .collect();
    // A later ledger is a correction: put files named as corrections after the others.
    files.sort_by_key(|p| {
        let n = p.file_name().unwrap().to_string_lossy().to_string();
        (n.contains("correction") || n.contains("更正"), n)
    });
    let regions = ["regions_sanmenxia.csv"].iter().map(|n| folder.join(n)).find(|p| p.exists());
    (files, regions)
}

/// Runs every combination through both implementations and fails on the first difference.
fn check_all(dir: &Dir, combos: &[(&str, bool, &str, Option<&str>)]) {
    let wh = dir.join("wh");
    let mut failures = Vec::new();
    let mut total_rows = 0;
    let mut active = false;
    for &(period, ytd, level, parent) in combos {
        let label = format!(
            "metrics --period {period}{} --level {level}{}",
            if ytd { " --ytd" } else { "" },
            parent.map(|p| format!(" --parent {p}")).unwrap_or_default()
        );
        let ours = fuyuan_metrics(dir, "wh", period, ytd, level, parent);
        let theirs = reference(&wh, period, ytd, level, parent);
        match compare(&label, &ours, &theirs) {
            Ok(n) => {
                total_rows += n;
                let (h, rows) = parse_csv(&ours);
                let filed = h.iter().position(|c| c == "filed").unwrap();
                active |= rows.iter().any(|r| r[filed] != "0");
                eprintln!("ok: {label} ({n} rows)");
            }
            Err(e) => failures.push(e),
        }
    }
    assert!(failures.is_empty(), "fuyuan and the DuckDB reference disagree:\n{}", failures.join("\n"));
    assert!(total_rows > 0, "no rows printed at all: the comparison is vacuous");
    assert!(active, "every compared row has filed = 0: the comparison is vacuous");
}

#[test]
fn metrics_match_duckdb_reference_on_sample() {
    require_python_duckdb();
    let dir = Dir::new();
    let sample = dir.command(&["sample", "--out", "samples", "--scale", "1", "--seed", "7"]).output();
    // A failing generator must fail this test, not send it quietly to other data.
    assert!(sample.status.success(), "fuyuan sample failed: {}", String::from_utf8_lossy(&sample.stderr).trim());
    let (files, regions) = ledgers_in(&dir.join("samples"));
    assert!(!files.is_empty(), "no ledgers to ingest");
    ingest(&dir, &files, regions.as_deref());
    check_all(&dir, COMBOS);
}

/// Always also checks a small hand-made set (several Henan cities, counties, bare 9-digit
/// township codes, city-level agencies, every outcome and decision), so the comparison does not
/// depend on the sample generator alone.
#[test]
fn metrics_match_duckdb_reference_on_synthetic_set() {
    require_python_duckdb();
    let dir = Dir::new();
    write_synthetic(&dir);
    let (files, regions) = ledgers_in(&dir.join("synthetic"));
    ingest(&dir, &files, regions.as_deref());
    let combos: &[(&str, bool, &str, Option<&str>)] = &[
        ("2024Q2", true, "county", Some("411200")),
        ("2024", false, "city", None),
        ("2024H1", false, "province", None),
        ("2023Q4", false, "county", Some("410100")),
        ("2024M05", false, "township", Some("411200")),
        ("2024", false, "township", None),
        ("2024Q4", true, "county", None),
        ("2024", false, "agency:county", Some("411200")),
        ("2024Q3", true, "agency", Some("410100")),
        ("2023-05-30..2024-06-30", false, "county", None),
    ];
    check_all(&dir, combos);
}

// ---------------------------------------------------------------------------------------------
// A small synthetic set written as CSV with the documented Chinese headers.

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
    fn bool_cell(&mut self) -> &'static str {
        ["是", "否", "是", ""][self.below(4) as usize]
    }
}

/// Days since 2023-01-01 → (y, m, d), for 2023–2025.
fn date_from(mut days: u64) -> (u32, u32, u32) {
    let mut y = 2023;
    loop {
        let leap = y % 4 == 0;
        let len = if leap { 366 } else { 365 };
        if days < len {
            break;
        }
        days -= len;
        y += 1;
    }
    let leap = y % 4 == 0;
    let months = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut m = 0;
    while days >= months[m] {
        days -= months[m];
        m += 1;
    }
    (y, m as u32 + 1, days as u32 + 1)
}

const LAST_DAY: u64 = 365 + 366 + 31 + 28 + 30; // 2025-03-31

fn fmt_date(d: u64) -> String {
    let (y, m, dd) = date_from(d);
    format!("{y}-{m:02}-{dd:02}")
}

fn write_synthetic(dir: &Dir) {
    let mut r = Lcg(0x5eed_f00d);
    let regions = [
        "410100",
        "410102",
        "410103",
        "410105",
        "410122",
        "410181", // 郑州
        "410300",
        "410302",
        "410323",
        "410307", // 洛阳
        "411200",
        "411202",
        "411203",
        "411221",
        "411224",
        "411281",
        "411282", // 三门峡
        "411202001",
        "411202201",
        "411203100",
        "411282100", // bare township codes
        "410000",
        "419001",
    ];
    let outcomes = [
        "驳回诉讼请求",
        "撤销",
        "部分撤销",
        "变更",
        "确认违法",
        "确认无效",
        "责令履行",
        "给付",
        "赔偿",
        "驳回起诉",
        "不予立案",
        "准予撤诉",
        "调解",
        "移送",
        "终结",
        "其他",
        "判决驳回原告诉讼请求",
        "裁定准予撤诉",
        "撤诉",
    ];
    let types = ["行初", "行初", "行初", "行赔初", "行终", "行申"];

    let mut lit = String::from(
        "案号,审理法院,被告,行政区划代码,管理领域,被诉行为,立案日期,结案日期,裁判结果,开庭日期,负责人出庭,负责人出声,应当出庭,经复议,败诉原因,原告\n",
    );
    for i in 0..420u64 {
        let code = r.pick(&regions);
        let filed = r.below(LAST_DAY - 20);
        let year = date_from(filed).0;
        let ty = r.pick(&types);
        let court = format!("豫{}", &code[2..6]);
        let closed = if r.below(5) == 0 { None } else { Some((filed + r.below(200)).min(LAST_DAY)) };
        let outcome = if closed.is_some() { r.pick(&outcomes) } else { "" };
        let hearing = if r.below(3) == 0 { None } else { Some((filed + r.below(120)).min(LAST_DAY)) };
        lit.push_str(&format!(
            "（{year}）{court}{ty}{}号,{court}法院,某某局{},{code},自然资源,行政处罚,{},{},{outcome},{},{},{},{},{},,张三{i}\n",
            i + 1,
            i % 7,
            fmt_date(filed),
            closed.map(fmt_date).unwrap_or_default(),
            hearing.map(fmt_date).unwrap_or_default(),
            r.bool_cell(),
            r.bool_cell(),
            r.bool_cell(),
            r.bool_cell(),
        ));
    }
    dir.create("synthetic/litigation.csv", &lit);

    let decisions =
        ["维持", "驳回", "撤销", "部分撤销", "变更", "确认违法", "确认无效", "责令履行", "调解", "和解", "终止", "驳回复议请求"];
    let mut rec = String::from("复议案号,复议机关,被申请人,行政区划代码,管理领域,收案日期,结案日期,复议决定,复议后起诉,申请人\n");
    for i in 0..300u64 {
        let code = r.pick(&regions);
        let received = r.below(LAST_DAY - 10);
        let closed = if r.below(4) == 0 { None } else { Some((received + r.below(90)).min(LAST_DAY)) };
        let decision = if closed.is_some() { r.pick(&decisions) } else { "" };
        rec.push_str(&format!(
            "某复〔{}〕{}号,某市人民政府,某某局{},{code},公安,{},{},{decision},{},李四{i}\n",
            date_from(received).0,
            i + 1,
            i % 5,
            fmt_date(received),
            closed.map(fmt_date).unwrap_or_default(),
            r.bool_cell(),
        ));
    }
    dir.create("synthetic/reconsideration.csv", &rec);

    let kinds = ["警告", "罚款", "没收", "吊销", "责令停产停业"];
    let leniency = ["不予处罚", "减轻处罚", "从轻处罚", "一般", "从重处罚", ""];
    let mut pen =
        String::from("处罚决定书文号,执法机关,行政区划代码,执法领域,处罚决定日期,处罚种类,罚款金额,没收金额,裁量情形,是否赋权,当事人\n");
    for i in 0..400u64 {
        let code = r.pick(&regions);
        let decided = r.below(LAST_DAY);
        let fine = if r.below(4) == 0 { String::new() } else { format!("{}.{:02}", r.below(50_000), r.below(100)) };
        let conf = if r.below(3) == 0 { format!("{}.{:02}", r.below(9_000), r.below(100)) } else { String::new() };
        pen.push_str(&format!(
            "某罚决字〔{}〕{}号,某某执法局{},{code},市场监管,{},{},{fine},{conf},{},{},某公司{i}\n",
            date_from(decided).0,
            i + 1,
            i % 6,
            fmt_date(decided),
            r.pick(&kinds),
            r.pick(&leniency),
            r.bool_cell(),
        ));
    }
    dir.create("synthetic/penalty.csv", &pen);
}

/// The comparator itself: equal within tolerance passes; a changed cell is named with its
/// column and region; empty never equals a value.
#[test]
fn comparator_reports_first_difference() {
    let a = "period,region_code,region_name,loss_rate,fines_yuan\np,411202,湖滨区,0.1,1.00\np,411203,陕州区,,2.00\n";
    let near = "period,region_code,region_name,loss_rate,fines_yuan\np,411202,湖滨区,0.10000000000000002,1.00\np,411203,陕州区,,2.00\n";
    assert_eq!(compare("t", a, near), Ok(2));
    let money = "period,region_code,region_name,loss_rate,fines_yuan\np,411202,湖滨区,0.1,1.00\np,411203,陕州区,,2.01\n";
    let e = compare("t", a, money).unwrap_err();
    assert!(e.contains("411203") && e.contains("fines_yuan") && e.contains("2.00") && e.contains("2.01"), "{e}");
    let empty = "period,region_code,region_name,loss_rate,fines_yuan\np,411202,湖滨区,0.1,1.00\np,411203,陕州区,0,2.00\n";
    assert!(compare("t", a, empty).unwrap_err().contains("loss_rate"));
}
