//! `fuyuan brief` on the bundled samples: the .docx and .xlsx read back hold the expected
//! sections and tables, and their figures equal `fuyuan metrics` for the same period.
mod util;

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use calamine::{Data, DataType, Reader, open_workbook_auto};
use util::{Dir, parse_csv};

fn setup() -> Dir {
    let dir = Dir::new();
    let s = Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples");
    let mut args: Vec<String> = vec!["ingest".into()];
    for f in [
        "litigation_2022Q4_2023.xlsx",
        "litigation_2024.csv",
        "litigation_corrections_2024.csv",
        "reconsideration_2023_2024.xlsx",
        "penalty_2023.csv",
        "penalty_2024.csv",
    ] {
        args.push(s.join(f).to_string_lossy().to_string());
    }
    args.extend(["--regions".into(), s.join("regions_sanmenxia.csv").to_string_lossy().to_string(), "--warehouse".into(), "w".into()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    dir.command(&args).stdout();
    dir.command(&["brief", "--period", "2024Q2", "--ytd", "--region", "411200", "--out", "b", "--warehouse", "w"]).stdout();
    dir
}

/// `fuyuan metrics` rows keyed by region code.
fn metrics(dir: &Dir, level: &str, parent: &str) -> HashMap<String, HashMap<String, String>> {
    let out = dir
        .command(&["metrics", "--period", "2024Q2", "--ytd", "--level", level, "--parent", parent, "--warehouse", "w", "--format", "csv"])
        .stdout();
    let (header, rows) = parse_csv(&out);
    rows.into_iter().map(|r| (r[1].clone(), header.iter().cloned().zip(r).collect())).collect()
}

fn docx_text(path: &Path) -> String {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut xml = String::new();
    z.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    // Text runs only, paragraphs separated by newlines.
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

fn pct(v: &str) -> String {
    format!("{:.2}%", v.parse::<f64>().unwrap() * 100.0)
}

#[test]
fn docx_has_the_sections_and_the_metrics_figures() {
    let dir = setup();
    let text = docx_text(&dir.join("b/briefing.docx"));
    let mut at = 0;
    for heading in [
        "关于2024年上半年全市行政诉讼“双下降”工作和行政机关负责人出庭应诉情况的通报",
        "一、总体情况",
        "二、各县（市、区）和市直部门情况",
        "三、主要特点和存在问题",
        "四、下步工作要求",
        "附表",
    ] {
        let i = text[at..].find(heading).unwrap_or_else(|| panic!("section {heading} missing or out of order"));
        at += i + heading.len();
    }
    // The city's own figures in 总体情况 equal the metrics row of 411200 at city level.
    let city = &metrics(&dir, "city", "410000")["411200"];
    for phrase in [
        format!("收案{}件", city["filed"]),
        format!("上年同期{}件", city["filed_prev"]),
        format!("审结{}件", city["concluded"]),
        format!("败诉{}件", city["lost"]),
        format!("总体败诉率{}（{}/{}）", pct(&city["loss_rate"]), city["lost"], city["concluded"]),
        format!("出庭应诉率{}", pct(&city["appearance_rate"])),
    ] {
        assert!(text.contains(&phrase), "总体情况 lacks {phrase}");
    }
    // Table 1: every county's row carries its metrics figures.
    let counties = metrics(&dir, "county", "411200");
    assert!(counties.len() >= 6);
    for (code, m) in &counties {
        let line = text
            .lines()
            .position(|l| l == m["region_name"])
            .unwrap_or_else(|| panic!("table 1 has no row for {code} {}", m["region_name"]));
        let cells: Vec<&str> = text.lines().skip(line + 1).take(7).collect();
        assert_eq!(cells[0], m["filed"], "{code} filed");
        assert_eq!(cells[2], m["concluded"], "{code} concluded");
        assert_eq!(cells[3], m["lost"], "{code} lost");
        let rate = if m["loss_rate"].is_empty() { "—".to_string() } else { pct(&m["loss_rate"]) };
        assert_eq!(cells[4], rate, "{code} loss rate");
    }
}

#[test]
fn xlsx_annex_numbers_equal_the_metrics() {
    let dir = setup();
    let counties = metrics(&dir, "county", "411200");
    let mut wb = open_workbook_auto(dir.join("b/annex.xlsx")).unwrap();
    let names = wb.sheet_names().to_vec();
    for want in ["各县（市、区）排名", "市直部门", "全部机关", "全省各市", "领域分析", "监督建议", "统计口径"]
    {
        assert!(names.iter().any(|n| n == want), "annex lacks sheet {want} (has {names:?})");
    }
    let range = wb.worksheet_range("各县（市、区）排名").unwrap();
    let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    let header: Vec<String> = rows[1].iter().map(|c| c.to_string()).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column {name}"));
    let mut seen = 0;
    for r in &rows[2..] {
        let code = r[col("区划代码")].to_string();
        let Some(m) = counties.get(&code) else { continue };
        seen += 1;
        for (xl, mc) in [
            ("发案量", "filed"),
            ("上年同期", "filed_prev"),
            ("审结", "concluded"),
            ("败诉", "lost"),
            ("开庭", "hearings"),
            ("出庭", "appeared"),
            ("复议收案", "recon_received"),
            ("纠错", "recon_corrected"),
            ("处罚案件", "penalty_cases"),
        ] {
            let cell = &r[col(xl)];
            assert!(matches!(cell, Data::Float(_) | Data::Int(_)), "{code} {xl} is not a number: {cell:?}");
            assert_eq!(cell.as_f64().unwrap(), m[mc].parse::<f64>().unwrap(), "{code} {xl}");
        }
        for (xl, mc) in [
            ("败诉率", "loss_rate"),
            ("实体败诉率", "judgment_loss_rate"),
            ("出庭率", "appearance_rate"),
            ("纠错率", "recon_correction_rate"),
        ] {
            let cell = &r[col(xl)];
            match m[mc].as_str() {
                "" => assert!(matches!(cell, Data::Empty), "{code} {xl} should be empty: {cell:?}"),
                v => assert!((cell.as_f64().unwrap() - v.parse::<f64>().unwrap()).abs() < 1e-12, "{code} {xl}: {cell:?} vs {v}"),
            }
        }
        assert_eq!(r[col("罚款(元)")].as_f64().unwrap(), m["fines_yuan"].parse::<f64>().unwrap(), "{code} fines");
    }
    assert_eq!(seen, counties.len(), "every county of the metrics is in the annex");
}
