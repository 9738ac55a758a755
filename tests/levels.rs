//! `fuyuan brief` for every kind of region on the bundled samples — the province (410000), the
//! city (411200), a county-level city (灵宝市 411282), a county (渑池县 411221) and a district
//! (湖滨区 411202): each reads as its own office writes (全省/全市/全县/全区, its salutation, its
//! sub-units' names), with no placeholder such as "(市、区)" or "(街道)", no rank among one, and no
//! table row of zeros, in the .md, the .docx and the .html.
//!
//! Golden phrases, checked by hand (2024 year to date, `data-samples/`):
//! - regions_sanmenxia.csv lists 18 townships under 灵宝市 (411282…), of which 3 have a case
//!   in 2024 (朱阳镇 concluded 1, 大王镇 and 西阎乡 filed 1 and concluded 1): 其余15个.
//!   Under 渑池县 12 townships, 2 with cases: 其余10个. Under 湖滨区 10 (4 街道, 3 乡 …), 3 with
//!   cases: 其余7个乡镇（街道）.
//! - 全市平均 for a county = the sum over the city's 7 county-level units of `fuyuan metrics
//!   --level county --parent 411200`: lost 0+0+2+3+1+3+0 = 9, concluded 166 → 9/166 = 5.42%;
//!   渑池县 2/23 = 8.6957% − 5.4217% = 3.27 points higher. Hearings 101, appeared 93 → 92.08%;
//!   渑池县 13/13 = 100% → 7.92 points higher. The test recomputes both sums from the metrics.
mod util;

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use util::{Dir, parse_csv};

const PERIOD: &str = "2024Q4";

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
        "peers_2023_2024.xlsx",
    ] {
        args.push(s.join(f).to_string_lossy().to_string());
    }
    args.extend(["--regions".into(), s.join("regions_sanmenxia.csv").to_string_lossy().to_string(), "--warehouse".into(), "w".into()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    dir.command(&args).stdout();
    dir
}

struct Docs {
    md: String,
    docx: String,
    docx_xml: String,
    html: String,
}

fn brief(dir: &Dir, region: &str, extra: &[&str]) -> Docs {
    let out = format!("b{region}");
    let mut args = vec!["brief", "--period", PERIOD, "--ytd", "--region", region, "--out", &out, "--warehouse", "w"];
    args.extend(extra);
    dir.command(&args).stdout();
    let mut z = zip::ZipArchive::new(std::fs::File::open(dir.join(&format!("{out}/briefing.docx"))).unwrap()).unwrap();
    let mut xml = String::new();
    z.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    Docs {
        md: dir.read(&format!("{out}/briefing.md")),
        docx: text_of(&xml),
        docx_xml: xml,
        html: dir.read(&format!("{out}/briefing.html")),
    }
}

/// The text runs of an XML/HTML document, tags dropped, entity-free (the briefing has no `&`).
fn text_of(xml: &str) -> String {
    let mut text = String::new();
    let mut rest = xml;
    while let Some(i) = rest.find('<') {
        text.push_str(&rest[..i]);
        let j = rest[i..].find('>').map(|j| i + j + 1).unwrap_or(rest.len());
        let tag = &rest[i..j];
        if tag.starts_with("</w:p>") || tag.starts_with("</w:tc>") || tag.starts_with("</p>") || tag.starts_with("</td>") {
            text.push('\n');
        }
        rest = &rest[j..];
    }
    text.push_str(rest);
    text
}

/// Table rows (as lists of cell texts) of the Word document, the HTML page and the Markdown.
fn rows_docx(xml: &str) -> Vec<Vec<String>> {
    xml.split("<w:tr").skip(1).map(|tr| tr.split("<w:tc>").skip(1).map(|tc| text_of(tc).trim().to_string()).collect()).collect()
}

fn rows_html(html: &str) -> Vec<Vec<String>> {
    html.split("<tr")
        .skip(1)
        .map(|tr| tr.split("<td").skip(1).map(|td| text_of(&format!("<td{td}")).trim().to_string()).collect())
        .collect()
}

fn rows_md(md: &str) -> Vec<Vec<String>> {
    md.lines()
        .filter(|l| l.starts_with('|') && !l.starts_with("|---"))
        .map(|l| l.trim_matches('|').split('|').map(|c| c.trim().to_string()).collect())
        .collect()
}

/// A row of table 1 (a region's litigation figures) whose every figure says nothing: the name
/// followed only by 0, —, +0.00 and —（0/0）.
fn is_zero_row(row: &[String]) -> bool {
    row.len() >= 9
        && row[2..].iter().all(|c| matches!(c.as_str(), "0" | "—" | "+0.00" | "—（0/0）" | "-100.00%" | ""))
        && row[2] == "0"
        && row[4] == "0"
}

fn check_clean(region: &str, d: &Docs) {
    for (what, text) in [("md", &d.md), ("docx", &d.docx), ("html", &d.html)] {
        for placeholder in ["(市、区)", "(街道)", "（市、区）直", "全县（市、区）", "乡镇(街道)"] {
            assert!(!text.contains(placeholder), "{region} {what}: placeholder {placeholder}");
        }
        assert!(!text.contains("共1个有审结案件的地区参与排名"), "{region} {what}: a rank among one");
        assert!(!text.contains("本期各地均无审结案件"), "{region} {what}: a sentence about nothing");
        assert!(!text.contains("有审结案件的部门1个，按败诉率由低到高排名"), "{region} {what}: departments ranked among one");
    }
    for (what, rows) in [("md", rows_md(&d.md)), ("docx", rows_docx(&d.docx_xml)), ("html", rows_html(&d.html))] {
        assert!(!rows.is_empty(), "{region} {what}: no table read");
        for r in &rows {
            assert!(!is_zero_row(r), "{region} {what}: a row of zeros {r:?}");
        }
    }
}

fn has(region: &str, d: &Docs, phrase: &str) {
    for (what, text) in [("md", &d.md), ("docx", &d.docx), ("html", &d.html)] {
        assert!(text.contains(phrase), "{region} {what} lacks {phrase}");
    }
}

fn metrics(dir: &Dir, level: &str, parent: &str) -> HashMap<String, HashMap<String, String>> {
    let out = dir
        .command(&["metrics", "--period", PERIOD, "--ytd", "--level", level, "--parent", parent, "--warehouse", "w", "--format", "csv"])
        .stdout();
    let (header, rows) = parse_csv(&out);
    rows.into_iter().map(|r| (r[1].clone(), header.iter().cloned().zip(r).collect())).collect()
}

#[test]
fn five_kinds_of_region_read_as_their_own_office_writes() {
    let dir = setup();

    let province = brief(&dir, "410000", &[]);
    check_clean("410000", &province);
    has("410000", &province, "各省辖市人民政府、济源示范区管委会，省人民政府各部门：");
    has("410000", &province, "2024年，全省一审行政诉讼案件收案");
    has("410000", &province, "河南省府院联动联席会议办公室");
    // The province has no peer in the warehouse: no rank, no average, no peers' annex table.
    assert!(!province.md.contains("由低到高排名第"), "{}", province.md);
    assert!(!province.md.contains("全省平均"));
    assert!(!province.md.contains("附表1"));

    let city = brief(&dir, "411200", &[]);
    check_clean("411200", &city);
    has("411200", &city, "各县（市、区）人民政府，河南三门峡经济开发区管委会，市人民政府各部门：");
    has("411200", &city, "2024年，全市一审行政诉讼案件收案");
    has("411200", &city, "二、各县（市、区）和市直部门情况");
    has("411200", &city, "在全省各市中由低到高排名第");
    has("411200", &city, "败诉率低于全省平均水平（全省平均败诉率");
    has("411200", &city, "全省平均出庭应诉率");

    let lingbao = brief(&dir, "411282", &[]);
    check_clean("411282", &lingbao);
    has("411282", &lingbao, "各乡镇人民政府，市直各部门：");
    has("411282", &lingbao, "关于2024年全市行政诉讼“双下降”工作");
    has("411282", &lingbao, "2024年，全市一审行政诉讼案件收案22件");
    has("411282", &lingbao, "其余15个乡镇（");
    has("411282", &lingbao, "本期无行政诉讼案件");
    has("411282", &lingbao, "灵宝市府院联动联席会议办公室");
    has("411282", &lingbao, "在全市各县（市、区）中由低到高排名第");

    let mianchi = brief(&dir, "411221", &[]);
    check_clean("411221", &mianchi);
    has("411221", &mianchi, "各乡镇人民政府，县直各部门：");
    has("411221", &mianchi, "2024年，全县一审行政诉讼案件收案21件");
    has("411221", &mianchi, "其余10个乡镇（");
    // 全市平均: the sum over the city's county-level units, recomputed from the metrics.
    let counties = metrics(&dir, "county", "411200");
    assert_eq!(counties.len(), 7);
    let sum = |c: &str| counties.values().map(|m| m[c].parse::<i64>().unwrap()).sum::<i64>();
    let (lost, concluded, appeared, hearings) = (sum("lost"), sum("concluded"), sum("appeared"), sum("hearings"));
    assert_eq!((lost, concluded, appeared, hearings), (9, 166, 93, 101), "the hand-checked sums");
    has("411221", &mianchi, "败诉率高于全市平均水平（全市平均败诉率5.42%，9/166，高3.27个百分点）");
    has("411221", &mianchi, "出庭应诉率100.00%，高于全市平均水平（全市平均出庭应诉率92.08%，93/101，高7.92个百分点）");
    has("411221", &mianchi, "全市平均败诉率5.42%（9/166），渑池县比平均高3.27个百分点");
    // The annex's peers sheet carries the same two lines under the ranking.
    use calamine::Reader;
    let mut wb = calamine::open_workbook_auto(dir.join("b411221/annex.xlsx")).unwrap();
    let sheet = wb.worksheet_range("全市各县（市、区）").unwrap();
    let cells: Vec<String> = sheet.rows().flat_map(|r| r.iter().map(|c| c.to_string())).collect();
    for line in [
        "全市平均败诉率5.42%（9/166），渑池县比平均高3.27个百分点（各地区之和）",
        "全市平均出庭应诉率92.08%（93/101），渑池县比平均高7.92个百分点（各地区之和）",
    ] {
        assert!(cells.iter().any(|c| c == line), "annex lacks {line}: {cells:?}");
    }

    let hubin = brief(&dir, "411202", &[]);
    check_clean("411202", &hubin);
    has("411202", &hubin, "各乡镇人民政府、街道办事处，区直各部门：");
    has("411202", &hubin, "2024年，全区一审行政诉讼案件收案26件");
    has("411202", &hubin, "其余7个乡镇（街道）（");
    has("411202", &hubin, "三、主要特点和存在问题");
}

#[test]
fn the_office_sets_its_salutation_and_issuer_in_the_settings() {
    let dir = setup();
    dir.create("fuyuan.toml", "[briefing]\nsalutation = \"各乡镇人民政府、街道办事处，市直各单位：\"\nissuer = \"灵宝市人民政府办公室\"\n");
    let d = brief(&dir, "411282", &["--config", "fuyuan.toml"]);
    // The colon is the template's: a salutation written with one does not get two.
    has("411282", &d, "各乡镇人民政府、街道办事处，市直各单位：");
    assert!(!d.md.contains("市直各单位：："));
    has("411282", &d, "灵宝市人民政府办公室");
    assert!(!d.md.contains("灵宝市府院联动联席会议办公室"));
    // An unknown key is refused with the file's line.
    dir.create("bad.toml", "[briefing]\nsalutaton = \"x\"\n");
    let err = dir
        .command(&["brief", "--period", PERIOD, "--region", "411282", "--out", "x", "--warehouse", "w", "--config", "bad.toml"])
        .fails(3);
    assert!(err.contains("bad.toml") && err.contains("salutaton"), "{err}");
}

#[test]
fn a_county_without_a_township_case_says_so_in_one_line() {
    // 2023Q1 alone: 渑池县's townships have no case in that quarter on the samples.
    let dir = setup();
    let out = "q";
    dir.command(&["brief", "--period", "2023Q1", "--region", "411221", "--out", out, "--warehouse", "w", "--formats", "md"]).stdout();
    let md = dir.read("q/briefing.md");
    let subunits = metrics_period(&dir, "2023Q1", "411221");
    if subunits.values().all(|m| m["filed"] == "0" && m["concluded"] == "0" && m["hearings"] == "0") {
        assert!(md.contains("本期各乡镇均无行政诉讼案件。"), "{md}");
        assert!(!md.contains("\n表1 ") && !md.contains("charts/ranking.png"), "{md}");
    } else {
        let idle = subunits.values().filter(|m| m["filed"] == "0" && m["concluded"] == "0" && m["hearings"] == "0").count();
        assert!(md.contains(&format!("其余{idle}个乡镇")), "{md}");
    }
    for r in rows_md(&md) {
        assert!(!is_zero_row(&r), "{r:?}");
    }
}

fn metrics_period(dir: &Dir, period: &str, parent: &str) -> HashMap<String, HashMap<String, String>> {
    let out = dir
        .command(&["metrics", "--period", period, "--level", "township", "--parent", parent, "--warehouse", "w", "--format", "csv"])
        .stdout();
    let (header, rows) = parse_csv(&out);
    rows.into_iter().map(|r| (r[1].clone(), header.iter().cloned().zip(r).collect())).collect()
}

/// Rendered with LibreOffice (PDF, then PNG when `FUYUAN_DOCS_OUT` is set): every name in the
/// briefing's tables of up to 14 characters stays on one line, for the city and the province.
/// Needs `soffice` and `pdftotext` (Debian: libreoffice-writer-nogui poppler-utils, which
/// `.ci/run` installs).
#[test]
fn word_tables_keep_names_on_one_line_when_rendered() {
    let dir = setup();
    for region in ["411200", "410000"] {
        let d = brief(&dir, region, &[]);
        let out = dir.join(&format!("b{region}"));
        let status = std::process::Command::new("soffice")
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(&out)
            .arg(out.join("briefing.docx"))
            .output()
            .expect("soffice runs");
        assert!(status.status.success(), "{status:?}");
        let pdf = out.join("briefing.pdf");
        let text = std::process::Command::new("pdftotext").args(["-layout"]).arg(&pdf).arg("-").output().expect("pdftotext runs");
        let text = String::from_utf8_lossy(&text.stdout).to_string();
        if let Ok(keep) = std::env::var("FUYUAN_DOCS_OUT") {
            let prefix = Path::new(&keep).join(format!("briefing-{region}"));
            std::process::Command::new("pdftoppm").args(["-r", "70", "-png"]).arg(&pdf).arg(&prefix).status().unwrap();
        }
        let mut checked = 0;
        // Body rows only: a header (the line before |---|) may wrap onto two lines by design.
        let lines: Vec<&str> = d.md.lines().collect();
        let body: Vec<String> = lines
            .iter()
            .enumerate()
            .filter(|(i, l)| l.starts_with('|') && !l.starts_with("|---") && !lines.get(i + 1).is_some_and(|n| n.starts_with("|---")))
            .map(|(_, l)| l.to_string())
            .collect();
        for row in rows_md(&body.join("\n")).iter().filter(|r| r.len() >= 6) {
            for cell in row.iter().filter(|c| c.chars().count() <= 14 && c.chars().any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch))) {
                let name = cell.trim_end_matches("（本地）");
                if ["是", "否", "约谈", "监督意见书", "测算", "报送"].contains(&name) || name.contains('（') {
                    continue;
                }
                assert!(text.lines().any(|l| l.contains(name)), "{region}: {name} is broken across lines in the rendered briefing");
                checked += 1;
            }
        }
        assert!(checked >= 8, "{region}: only {checked} names checked");
    }
}

#[test]
fn the_dashboard_card_gives_the_province_average_and_no_rank_among_one() {
    let dir = setup();
    let data = |region: &str| -> serde_json::Value {
        let out = format!("d{region}");
        dir.command(&["dashboard", "--period", PERIOD, "--ytd", "--region", region, "--warehouse", "w", "--out", &out]).stdout();
        let js = dir.read(&format!("{out}/data.js"));
        serde_json::from_str(&js[js.find('{').unwrap()..=js.rfind('}').unwrap()]).unwrap()
    };
    let city = data("411200");
    let avg = &city["peer_average"];
    assert_eq!(avg["word"], "全省平均");
    // The card's figures are the briefing's: the city's rate minus the average, in points.
    let own = city["total"]["loss_rate"].as_f64().unwrap();
    let diff = avg["diff_pp"].as_f64().unwrap();
    assert!((own - avg["loss_rate"].as_f64().unwrap() - diff / 100.0).abs() < 1e-12);
    let ap = &avg["appearance"];
    assert!(ap["rate"].as_f64().unwrap() > 0.0 && ap["hearings"].as_i64().unwrap() > 0, "{ap}");
    let js = dir.read("d411200/dashboard.js");
    assert!(js.contains("'data-avg': 'loss_rate'") && js.contains("'data-avg': 'appearance_rate'"));
    assert!(js.contains("D.peer_ranked >= 2"), "the rank card needs two ranked peers");
    // The province: one ranked region, no average.
    let province = data("410000");
    assert_eq!(province["peer_ranked"], 1);
    assert!(province["peer_average"].is_null());
}
