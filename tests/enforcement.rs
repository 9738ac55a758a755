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

// ---------------------------------------------------------------------------------------------
// The briefing's township section, annex sheet and chart against `fuyuan enforcement`.

fn docx_text(path: &Path) -> String {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    z.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    let mut text = String::new();
    let mut rest = xml.as_str();
    while let Some(i) = rest.find('<') {
        text.push_str(&rest[..i]);
        let j = rest[i..].find('>').map(|j| i + j + 1).unwrap_or(rest.len());
        if rest[i..j].starts_with("</w:p>") {
            text.push('\n');
        }
        rest = &rest[j..];
    }
    text.push_str(rest);
    text
}

/// `fuyuan enforcement` rows keyed by region code.
fn table(dir: &Dir, args: &[&str]) -> std::collections::HashMap<String, std::collections::HashMap<String, String>> {
    let (h, rows) = parse_csv(&enforcement(dir, args));
    rows.into_iter().map(|r| (r[1].clone(), h.iter().cloned().zip(r).collect())).collect()
}

/// 万元 with two decimals from the printed yuan, half up (as the briefing rounds).
fn wan(yuan: &str) -> String {
    let cents: i64 = yuan.replace('.', "").parse().unwrap();
    let h = (cents + 5_000) / 10_000;
    format!("{}.{:02}", h / 100, h % 100)
}

fn sample_with_brief(dir: &Dir) {
    let s = Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples");
    let mut args: Vec<String> = vec!["ingest".into()];
    for f in
        ["litigation_2022Q4_2023.xlsx", "litigation_2024.csv", "reconsideration_2023_2024.xlsx", "penalty_2023.csv", "penalty_2024.csv"]
    {
        args.push(s.join(f).to_string_lossy().to_string());
    }
    args.extend(["--regions".into(), s.join("regions_sanmenxia.csv").to_string_lossy().to_string(), "--warehouse".into(), "wh".into()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    dir.command(&args).stdout();
    dir.command(&["brief", "--period", "2024Q4", "--ytd", "--region", "411200", "--out", "b", "--warehouse", "wh"]).stdout();
}

#[test]
fn briefing_township_figures_equal_fuyuan_enforcement() {
    let dir = Dir::new();
    sample_with_brief(&dir);
    let text = docx_text(&dir.join("b/briefing.docx"));
    assert!(text.contains("（三）乡镇综合行政执法情况"), "the section is missing");
    let since = &table(&dir, &["--period", "2023-05-30..2024-12-31", "--level", "city", "--parent", "410000"])["411200"];
    let cur = &table(&dir, &["--period", "2024", "--level", "city", "--parent", "410000"])["411200"];
    let prev = &table(&dir, &["--period", "2023", "--level", "city", "--parent", "410000"])["411200"];
    assert!(
        cur["township_cases"] != "0" && cur["townships_with_cases"] != cur["townships"],
        "samples must show cases and townships without"
    );
    for phrase in [
        format!(
            "自2023年5月30日乡镇综合行政执法改革以来，全市{}个乡镇（街道）综合行政执法大队共办理行政处罚案件{}件，罚款金额总计{}万元，其中赋权事项案件{}件",
            since["townships"],
            since["township_cases"],
            wan(&since["township_fines_yuan"]),
            since["delegated_cases"]
        ),
        format!("全市乡镇（街道）办理行政处罚案件{}件，上年同期{}件", cur["township_cases"], prev["township_cases"]),
        format!("罚款{}万元，上年同期{}万元", wan(&cur["township_fines_yuan"]), wan(&prev["township_fines_yuan"])),
        format!("{}个乡镇（街道）中有{}个办理了行政处罚案件", cur["townships"], cur["townships_with_cases"]),
        format!(
            "其中不予处罚、减轻处罚、从轻处罚{}件，占记录裁量情形案件的{:.2}%；从重处罚{}件",
            cur["lenient_cases"],
            cur["lenient_rate"].parse::<f64>().unwrap() * 100.0,
            cur["severe_cases"]
        ),
    ] {
        assert!(text.contains(&phrase), "the briefing lacks: {phrase}");
    }
    // Every township without a case is named; one with cases is not among them.
    let towns = table(&dir, &["--period", "2024", "--level", "township", "--parent", "411200"]);
    let none_sentence = text.lines().find(|l| l.contains("本期未办理行政处罚案件")).expect("townships without a case are named");
    let without: Vec<_> = towns.values().filter(|t| t["township_cases"] == "0").collect();
    assert_eq!(without.len() as i64, cur["townships"].parse::<i64>().unwrap() - cur["townships_with_cases"].parse::<i64>().unwrap());
    for t in &without {
        assert!(none_sentence.contains(&t["region_name"]), "{} has no case but is not named", t["region_name"]);
    }
    assert!(none_sentence.contains(&format!("等{}个乡镇（街道）", without.len())));

    // The annex sheet: every township row and the city total equal the enforcement table.
    use calamine::{Data, DataType, Reader, open_workbook_auto};
    let mut wb = open_workbook_auto(dir.join("b/annex.xlsx")).unwrap();
    let range = wb.worksheet_range("乡镇执法").expect("annex sheet 乡镇执法");
    let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    let header: Vec<String> = rows[1].iter().map(|c| c.to_string()).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
    let pairs = [
        ("乡镇数", "townships"),
        ("有办案乡镇数", "townships_with_cases"),
        ("乡镇处罚案件", "township_cases"),
        ("乡镇罚款(元)", "township_fines_yuan"),
        ("赋权事项案件", "delegated_cases"),
        ("赋权事项罚款(元)", "delegated_fines_yuan"),
        ("处罚案件", "penalty_cases"),
        ("罚款(元)", "fines_yuan"),
        ("没收(元)", "confiscated_yuan"),
        ("不予、减轻、从轻处罚", "lenient_cases"),
        ("包容审慎占比", "lenient_rate"),
        ("从重处罚", "severe_cases"),
    ];
    let mut seen = 0;
    let mut last_cases = i64::MAX;
    for r in &rows[2..] {
        let code = r[col("区划代码")].to_string();
        let want = if r[col("乡镇（街道）")] == "全市合计" { cur } else { &towns[&code] };
        for (xl, c) in pairs {
            let cell = &r[col(xl)];
            match want[c].as_str() {
                "" => assert!(matches!(cell, Data::Empty), "{code} {xl} should be empty: {cell:?}"),
                v => assert!((cell.as_f64().unwrap() - v.parse::<f64>().unwrap()).abs() < 1e-9, "{code} {xl}: {cell:?} vs {v}"),
            }
        }
        // Townships with cases come first, most cases first.
        if want["region_code"] != "411200" && want["township_cases"] != "0" {
            let n: i64 = want["township_cases"].parse().unwrap();
            assert!(n <= last_cases, "{code} is out of order");
            last_cases = n;
        }
        seen += 1;
    }
    assert_eq!(seen, towns.len() + 1, "every township and the city's total");
    assert!(dir.join("b/charts/township.png").is_file() && dir.join("b/charts/township.svg").is_file());
}

#[test]
fn a_region_without_townships_has_no_township_section() {
    let dir = Dir::new();
    sample_with_brief(&dir);
    dir.command(&["brief", "--period", "2024Q4", "--ytd", "--region", "410100", "--out", "z", "--warehouse", "wh"]).stdout();
    let text = docx_text(&dir.join("z/briefing.docx"));
    assert!(text.contains("二、") && !text.contains("乡镇综合行政执法"), "郑州 has no township in the dimension");
    assert!(!dir.join("z/charts/township.png").exists());
    use calamine::Reader;
    let wb = calamine::open_workbook_auto(dir.join("z/annex.xlsx")).unwrap();
    assert!(!wb.sheet_names().iter().any(|n| n == "乡镇执法"));
}

/// The fixture (README arithmetic) through the briefing, with the reform date from fuyuan.toml.
#[test]
fn briefing_sentence_on_the_hand_checked_fixture() {
    let dir = Dir::new();
    let mut lit = util::LIT.to_string() + "\n";
    lit += &util::lit_row(1).join(",");
    dir.create("lit.csv", &lit);
    dir.create(
        "recon.csv",
        "复议案号,复议机关,被申请人,行政区划代码,收案日期,结案日期,复议决定\n三政复〔2024〕1号,三门峡市人民政府,湖滨区人民政府,411202,2024-01-05,2024-02-28,维持\n",
    );
    let penalty = format!("{FIXTURE}/penalty.csv");
    let regions = format!("{FIXTURE}/regions.csv");
    dir.command(&["ingest", "lit.csv", "recon.csv", &penalty, "--regions", &regions, "--warehouse", "wh"]).stdout();
    dir.command(&["brief", "--period", "2024H1", "--region", "411200", "--out", "b", "--warehouse", "wh", "--formats", "md"]).stdout();
    let md = dir.read("b/briefing.md");
    // Since 2023-05-30 up to 2024-06-30: township rows 1, 2, 3, 6, 7 = 5 cases;
    // fines 1000.50 + 2000 + 800 + 999 = 4799.50 元 = 0.48 万元; delegated rows 1, 5, 6, 7 = 4.
    assert!(
        md.contains("自2023年5月30日乡镇综合行政执法改革以来，全市4个乡镇（街道）综合行政执法大队共办理行政处罚案件5件，罚款金额总计0.48万元，其中赋权事项案件4件。"),
        "{md}"
    );
    // 2024H1: township rows 1, 2, 3, 6 = 4 (2023H1: none); fines 3800.50 元 = 0.38 万元; delegated
    // rows 1, 5, 6 = 3 with 2,100.50 元; 3 of 4 townships have cases, 丙乡 has none.
    for phrase in [
        "全市乡镇（街道）办理行政处罚案件4件，上年同期0件；罚款0.38万元，上年同期0.00万元；办理赋权事项案件3件，罚款2,100.50元。",
        "4个乡镇（街道）中有3个办理了行政处罚案件",
        "湖滨区丙乡等1个乡镇（街道）本期未办理行政处罚案件",
        // Leniency over all 7 rows of the city in 2024H1: 4 of the 6 with a value = 66.67%.
        "行政处罚案件7件，其中不予处罚、减轻处罚、从轻处罚4件，占记录裁量情形案件的66.67%；从重处罚1件。",
        // Ranked: 甲镇 2 cases; 乙镇 and the auto township 1 each (乙镇 first: more fines).
        "| 1 | 甲镇 | 湖滨区 | 2 | 0.10 | 1 | 1 |",
        "| 2 | 乙镇 | 湖滨区 | 1 | 0.20 | 0 | 0 |",
        "| 2 | 411203150 | 陕州区 | 1 | 0.08 | 1 | 1 |",
    ] {
        assert!(md.contains(phrase), "briefing.md lacks: {phrase}\n{md}");
    }
    // A later reform date moves the cumulative figures: from 2024-03-01, township rows 2, 3 and 6:
    // 0 + 2000 + 800 = 2800 元 = 0.28 万元.
    dir.create("fuyuan.toml", "township_reform_start = \"2024-03-01\"\n");
    dir.command(&["brief", "--period", "2024H1", "--region", "411200", "--out", "c", "--warehouse", "wh", "--formats", "md"]).stdout();
    let md = dir.read("c/briefing.md");
    assert!(
        md.contains(
            "自2024年3月1日乡镇综合行政执法改革以来，全市4个乡镇（街道）综合行政执法大队共办理行政处罚案件3件，罚款金额总计0.28万元"
        ),
        "{md}"
    );
    dir.create("bad.toml", "township_reform_start = \"2023-13-01\"\n");
    let e = dir
        .command(&["brief", "--period", "2024H1", "--region", "411200", "--out", "d", "--warehouse", "wh", "--config", "bad.toml"])
        .fails(3);
    assert!(e.contains("bad.toml") && e.contains("township_reform_start"), "{e}");
}

/// The dashboard carries the township section: its page block, the chart, and in data.js every
/// township's figures with the decisions behind each count (party masked).
#[test]
fn dashboard_township_table_and_drill_down_data() {
    let dir = Dir::new();
    sample_with_brief(&dir);
    dir.command(&["dashboard", "--period", "2024Q4", "--ytd", "--region", "411200", "--warehouse", "wh", "--out", "d"]).stdout();
    let html = dir.read("d/index.html");
    assert!(html.contains("id=\"sec-township\"") && html.contains("id=\"tbl-township\"") && html.contains("id=\"chart-township\""));
    let js = dir.read("d/data.js");
    let data: serde_json::Value = serde_json::from_str(&js[js.find('{').unwrap()..=js.rfind('}').unwrap()]).unwrap();
    let t = &data["township"];
    let towns = table(&dir, &["--period", "2024", "--level", "township", "--parent", "411200"]);
    let listed: Vec<&serde_json::Value> = t["ranked"].as_array().unwrap().iter().chain(t["without_cases"].as_array().unwrap()).collect();
    assert_eq!(listed.len(), towns.len(), "every township is in the table");
    let decisions = t["decisions"].as_array().unwrap();
    for row in listed {
        let code = row["code"].as_str().unwrap();
        let want = &towns[code];
        assert_eq!(row["township_cases"].as_i64().unwrap().to_string(), want["township_cases"], "{code}");
        assert_eq!(row["township_fines_yuan"].as_str().unwrap(), want["township_fines_yuan"], "{code}");
        let behind = decisions.iter().filter(|d| d["township"] == code).count();
        assert_eq!(behind.to_string(), want["township_cases"], "{code}: the drill-down lists every decision behind the count");
    }
    // Natural persons appear masked (姓 + 某), never by full name.
    let people: Vec<&str> = decisions.iter().filter_map(|d| d["party"].as_str()).filter(|p| p.chars().count() <= 4).collect();
    assert!(!people.is_empty());
    for p in people {
        assert!(p.ends_with('某') || p.contains("公司") || p.contains("店"), "party {p} looks unmasked");
    }
    // A region without townships has no township block.
    dir.command(&["dashboard", "--period", "2024Q4", "--ytd", "--region", "410100", "--warehouse", "wh", "--out", "z"]).stdout();
    assert!(!dir.read("z/index.html").contains("sec-township"));
    assert!(dir.read("z/data.js").contains("\"township\":null"));
}
