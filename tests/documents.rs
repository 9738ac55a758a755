//! The Word briefing and the Excel annex, read back: layout after GB/T 9704-2012 (A4, margins,
//! fonts, page numbers), headings in order, tables with the figures, embedded charts; the annex's
//! sheets, headers, typed cells and formula neutralisation.
//!
//! Set `FUYUAN_DOCS_OUT=/some/dir` to keep the written files (e.g. to render them with
//! LibreOffice for a look).
use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, Xlsx, open_workbook};
use fuyuan::report::model::{Briefing, DomainRow, Figures, Flag, PeriodInfo, ReasonRow, Thresholds, TrendPoint};

fn fig(code: &str, name: &str, filed: i64, filed_prev: i64, concluded: i64, lost: i64, rank: Option<i64>) -> Figures {
    let rate = |a: i64, b: i64| if b == 0 { None } else { Some(a as f64 / b as f64) };
    let loss_rate = rate(lost, concluded);
    let loss_rate_prev = Some(0.25);
    Figures {
        code: code.into(),
        name: name.into(),
        filed,
        filed_prev,
        filed_yoy: rate(filed - filed_prev, filed_prev),
        concluded,
        lost,
        loss_rate,
        judgment_loss_rate: rate(lost, (concluded - 1).max(0)),
        loss_rate_prev,
        loss_rate_change_pp: loss_rate.zip(loss_rate_prev).map(|(a, b)| (a - b) * 100.0),
        double_decline: loss_rate.map(|r| filed < filed_prev && r < 0.25),
        hearings: concluded,
        appeared: (concluded - 1).max(0),
        appearance_rate: rate(concluded - 1, concluded),
        spoke_rate: Some(0.5),
        required_appearance_rate: None,
        recon_received: 7,
        recon_concluded: 6,
        recon_corrected: 1,
        recon_correction_rate: Some(0.2),
        recon_sued_rate: Some(1.0 / 6.0),
        penalty_cases: 113,
        fines_yuan: "3290800.00".into(),
        confiscated_yuan: "0.00".into(),
        loss_rank: rank,
        ..Default::default()
    }
}

fn briefing() -> Briefing {
    let total = fig("411200", "三门峡市", 682, 708, 160, 20, Some(2));
    let subunits = vec![
        fig("411202", "湖滨区", 90, 100, 40, 3, Some(1)),
        fig("411282", "灵宝市", 120, 110, 40, 5, Some(2)),
        fig("411224", "卢氏县", 30, 35, 0, 0, None),
    ];
    let departments = vec![fig("411200", "三门峡市自然资源和规划局", 40, 38, 16, 4, Some(1))];
    let mut evil = fig("411202", "=HYPERLINK(\"http://x\",\"点我\")", 5, 4, 4, 2, None);
    evil.fines_yuan = "12.30".into();
    evil.unit = Some("411202".into());
    evil.confiscated_yuan = "".into();
    let agencies = vec![departments[0].clone(), evil];
    let peers = vec![
        fig("410100", "郑州市", 5000, 5200, 4000, 600, Some(3)),
        total.clone(),
        fig("410300", "洛阳市", 1500, 1400, 1200, 120, Some(1)),
    ];
    Briefing {
        title: "关于2024年上半年全市行政诉讼“双下降”工作和行政机关负责人出庭应诉情况的通报".into(),
        region_code: "411200".into(),
        region_name: "三门峡市".into(),
        scope_word: "全市".into(),
        subunit_word: "各县（市、区）".into(),
        subunit_noun: "县（市、区）".into(),
        salutation: "各县（市、区）人民政府，市人民政府各部门".into(),
        issuer: "三门峡市府院联动联席会议办公室".into(),
        period: PeriodInfo::of(&fuyuan::engine::Period::parse("2024Q2", true).unwrap()),
        generated_on: "2024-07-15".into(),
        peer_rank: total.loss_rank,
        total,
        peer_ranked: 3,
        peer_word: "全省各市".into(),
        peers,
        active_subunits: subunits.clone(),
        idle_subunits: vec![],
        subunits,
        departments,
        agencies,
        trend: vec![TrendPoint {
            quarter: "2024Q2".into(),
            label: "2024年Q2".into(),
            filed: 300,
            filed_prev: 310,
            concluded: 80,
            lost: 9,
            loss_rate: Some(9.0 / 80.0),
            loss_rate_prev: Some(0.12),
        }],
        by_domain: vec![
            DomainRow {
                domain: "征收拆迁".into(),
                concluded: 30,
                lost: 6,
                loss_rate: Some(0.2),
                recon_decided: 10,
                recon_corrected: 3,
                recon_correction_rate: Some(0.3),
            },
            DomainRow {
                domain: "信息公开".into(),
                concluded: 0,
                lost: 0,
                loss_rate: None,
                recon_decided: 4,
                recon_corrected: 1,
                recon_correction_rate: Some(0.25),
            },
        ],
        loss_reasons: vec![ReasonRow { reason: "程序违法".into(), lost: 5 }],
        thresholds: Thresholds::default(),
        flags: vec![Flag {
            code: "411200".into(),
            agency: "三门峡市自然资源和规划局".into(),
            region_name: "三门峡市".into(),
            lost: 4,
            concluded: 16,
            loss_rate: Some(0.25),
            recon_corrected: 1,
            action: "约谈".into(),
            why: "败诉4件，达到约谈标准（4件）".into(),
        }],
        cases: vec![],
        recon_cases: vec![],
        supervision: None,
        township: None,
        peers_reported: 0,
        peers_computed: 0,
        reported_self: None,
        peer_average: None,
        reconciliation: None,
    }
}

const MARKDOWN: &str = "# 关于2024年上半年全市行政诉讼“双下降”工作和行政机关负责人出庭应诉情况的通报
<!-- subtitle: 2024年1—6月 -->

各县(市、区)人民政府，市直各部门：

为深入推进行政诉讼案件发案量和行政机关败诉率“双下降”，现将有关情况通报如下。

## 一、总体情况

2024年上半年，全市一审行政诉讼案件收案682件，上年同期708件，同比下降3.67%；审结160件，败诉20件，总体败诉率12.50%（20/160）。**全市实现发案量、败诉率“双下降”。**

![图1 近八个季度发案量与败诉率](charts/trend.png)

## 二、各县(市、区)和市直部门情况

### （一）各县(市、区)情况

按总体败诉率由低到高排名，具体情况见表1。

表1 各县(市、区)行政诉讼情况（按败诉率由低到高）

| 排名 | 地区 | 发案量 | 同比 | 审结 | 败诉 | 败诉率 | 变化(百分点) | 出庭应诉率 |
|---|---|---|---|---|---|---|---|---|
| 1 | 湖滨区 | 90 | -10.00% | 40 | 3 | 7.50% | -17.50 | 97.50%（39/40） |
| 2 | 灵宝市 | 120 | +9.09% | 40 | 5 | 12.50% | -12.50 | 97.50%（39/40） |
| — | 卢氏县 | 30 | -14.29% | 0 | 0 | — | — | — |

![图2 各县(市、区)败诉率排名](charts/ranking.png)

### （二）市直部门情况

市直部门中，有审结案件的部门1个。

## 三、主要特点和存在问题

败诉案件主要集中在征收拆迁领域。

## 四、下步工作要求

一是加强源头治理。

落款: 三门峡市府院联动联席会议办公室
日期: 2024年7月15日

---

## 附表

附表1 全省各市行政诉讼情况

| 排名 | 地区 | 发案量 | 败诉率 | 双下降 |
|---|---|---|---|---|
| 1 | 洛阳市 | 1500 | 10.00% | 否 |
| 2 | 三门峡市（本地） | 682 | 12.50% | 是 |
";

/// A simple PNG bar chart without text (the test needs no fonts); `bars` makes each chart differ
/// (identical images would share one media part).
fn png(path: &Path, w: u32, h: u32, bars: u32) {
    use plotters::prelude::*;
    let root = BitMapBackend::new(path, (w, h)).into_drawing_area();
    root.fill(&WHITE).unwrap();
    let n = bars as i32;
    for i in 0..n {
        let x0 = 40 + i * (w as i32 - 80) / n;
        let bar = Rectangle::new(
            [(x0 + 8, h as i32 - 30 - (i + 1) * (h as i32 - 60) / (n + 1)), (x0 + (w as i32 - 80) / n - 8, h as i32 - 30)],
            BLUE.mix(0.7).filled(),
        );
        root.draw(&bar).unwrap();
    }
    root.draw(&PathElement::new(vec![(30, h as i32 - 30), (w as i32 - 30, h as i32 - 30)], BLACK)).unwrap();
    root.present().unwrap();
}

fn charts(dir: &Path) -> Vec<(String, PathBuf)> {
    let cdir = dir.join("charts");
    std::fs::create_dir_all(&cdir).unwrap();
    ["trend", "ranking", "domains", "appearance", "province"]
        .iter()
        .enumerate()
        .map(|(k, id)| {
            let p = cdir.join(format!("{id}.png"));
            png(&p, 1200, 600, 3 + k as u32);
            (id.to_string(), p)
        })
        .collect()
}

/// Every part of a zip file, as text (binary parts lossily).
fn unzip(path: &Path) -> (HashMap<String, String>, Vec<String>) {
    let mut z = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut parts = HashMap::new();
    let mut names = Vec::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut buf = Vec::new();
        f.read_to_end(&mut buf).unwrap();
        let name = f.name().unwrap().to_string();
        names.push(name.clone());
        parts.insert(name, String::from_utf8_lossy(&buf).into_owned());
    }
    (parts, names)
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&")
}

/// The text of each `<w:t>` in order.
fn texts(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(at) = rest.find("<w:t") {
        rest = &rest[at + 4..];
        // <w:t> or <w:t xml:space="preserve">, not <w:tbl>, <w:tc>, <w:tr> …
        if !(rest.starts_with('>') || rest.starts_with(' ')) {
            continue;
        }
        let Some(gt) = rest.find('>') else { break };
        if rest[..gt].ends_with('/') {
            rest = &rest[gt + 1..];
            continue;
        }
        rest = &rest[gt + 1..];
        let end = rest.find("</w:t>").unwrap();
        out.push(unescape(&rest[..end]));
        rest = &rest[end..];
    }
    out
}

/// Each paragraph's XML, in order (paragraphs inside tables included).
fn paragraphs(xml: &str) -> Vec<&str> {
    xml.split("</w:p>").filter(|p| p.contains("<w:p>") || p.contains("<w:p ")).collect()
}

fn para_text(p: &str) -> String {
    texts(p).concat()
}

/// The attributes of the first element named `tag`.
fn element<'a>(xml: &'a str, tag: &str) -> &'a str {
    let at = xml.find(&format!("<{tag} ")).unwrap_or_else(|| panic!("no <{tag}>"));
    let end = xml[at..].find('>').unwrap();
    &xml[at..at + end]
}

fn keep(dir: &Path, files: &[&str]) {
    if let Ok(out) = std::env::var("FUYUAN_DOCS_OUT") {
        std::fs::create_dir_all(&out).unwrap();
        for f in files {
            std::fs::copy(dir.join(f), Path::new(&out).join(f)).unwrap();
        }
    }
}

#[test]
fn word_briefing_follows_gbt9704_and_carries_the_figures() {
    let tmp = tempfile::tempdir().unwrap();
    let charts = charts(tmp.path());
    let out = tmp.path().join("briefing.docx");
    fuyuan::report::docx::write_docx(MARKDOWN, &charts, &out).unwrap();
    keep(tmp.path(), &["briefing.docx"]);
    let (parts, names) = unzip(&out);
    let doc = &parts["word/document.xml"];

    // Headings in order, the title first.
    let all = texts(doc).concat();
    let order = [
        "关于2024年上半年全市行政诉讼“双下降”",
        "各县(市、区)人民政府，市直各部门：",
        "一、总体情况",
        "二、各县(市、区)和市直部门情况",
        "（一）各县(市、区)情况",
        "（二）市直部门情况",
        "三、主要特点和存在问题",
        "四、下步工作要求",
        "附表",
    ];
    let mut last = 0;
    for h in order {
        let at = all[last..].find(h).unwrap_or_else(|| panic!("{h} missing or out of order")) + last;
        last = at;
    }
    assert!(!all.contains("subtitle"), "HTML comments are not printed");
    assert!(!all.contains("**"), "bold markers are not printed");
    assert!(!all.contains("落款") && !all.contains("日期:"), "labels are stripped");

    // Fonts by role: title, headings, body.
    let paras = paragraphs(doc);
    let find = |needle: &str| *paras.iter().find(|p| para_text(p).contains(needle)).unwrap_or_else(|| panic!("no paragraph with {needle}"));
    let title = find("关于2024年上半年");
    assert!(title.contains("w:eastAsia=\"方正小标宋简体\"") && title.contains("<w:sz w:val=\"44\""), "title 2号小标宋: {title}");
    assert!(title.contains("<w:jc w:val=\"center\""));
    let h1 = find("一、总体情况");
    assert!(h1.contains("w:eastAsia=\"黑体\"") && h1.contains("<w:sz w:val=\"32\""), "一、 in 3号黑体: {h1}");
    let h2 = find("（一）各县");
    assert!(h2.contains("w:eastAsia=\"楷体_GB2312\"") && h2.contains("<w:sz w:val=\"32\""), "（一） in 3号楷体: {h2}");
    let body = find("2024年上半年，全市一审");
    assert!(body.contains("w:eastAsia=\"仿宋_GB2312\"") && body.contains("<w:sz w:val=\"32\""), "body 3号仿宋: {body}");
    assert!(body.contains("w:firstLineChars=\"200\""), "first line indented two characters");
    assert!(body.contains("w:lineRule=\"exact\"") && body.contains("w:line=\"579\""), "28.95 pt fixed line spacing");
    assert!(body.contains("<w:b />") || body.contains("<w:b/>"), "**bold** run");
    assert!(find("全市实现发案量").contains("<w:b"));
    let salutation = find("市直各部门：");
    assert!(!salutation.contains("firstLine"), "主送机关 flush left");
    // Signature and date right-aligned.
    for s in ["三门峡市府院联动联席会议办公室", "2024年7月15日"] {
        assert!(find(s).contains("<w:jc w:val=\"right\""), "{s} right-aligned");
    }
    // The page break before 附表.
    assert!(find("附表").contains("<w:pageBreakBefore"), "page break before 附表");

    // Page: A4, margins 37/35/28/26 mm, 22 lines × 28 characters.
    assert!(doc.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\""));
    let mar = element(doc, "w:pgMar");
    for a in ["w:top=\"2098\"", "w:left=\"1587\"", "w:bottom=\"1984\"", "w:right=\"1474\""] {
        assert!(mar.contains(a), "{a} in {mar}");
    }
    assert!(doc.contains("<w:sectPr><w:footerReference"), "header/footer references first in w:sectPr");
    let styles = &parts["word/styles.xml"];
    let normal = &styles[styles.find("w:styleId=\"Normal\"").expect("Normal style")..];
    assert!(normal[..normal.find("</w:style>").unwrap()].contains("<w:sz w:val=\"32\"/>"), "Normal is 16 pt (the grid's pitch)");
    assert!(styles.contains("w:eastAsia=\"zh-CN\""));
    let grid = element(doc, "w:docGrid");
    assert!(grid.contains("w:linePitch=\"579\"") && grid.contains("w:type=\"lines\""), "{grid}");
    // 28 characters a line: every run condensed by 0.25 pt (16 pt − 0.25 pt) × 28 = 441 pt ≤ 156 mm.
    let styles = &parts["word/styles.xml"];
    assert!(styles.contains("<w:spacing w:val=\"-5\"/>"), "default run spacing not condensed");

    // Table 1: figures in cells, header bold, numbers right-aligned, header repeated.
    let t1_start = doc.find("<w:tbl>").unwrap();
    let t1 = &doc[t1_start..t1_start + doc[t1_start..].find("</w:tbl>").unwrap()];
    let cells = texts(t1);
    for want in ["排名", "湖滨区", "7.50%", "-17.50", "97.50%（39/40）", "灵宝市", "12.50%", "+9.09%", "卢氏县"] {
        assert!(cells.iter().any(|c| c == want), "table 1 lacks {want}: {cells:?}");
    }
    assert!(t1.contains("<w:tblHeader"), "header row repeats");
    assert!(t1.contains("w:eastAsia=\"仿宋_GB2312\"") && t1.contains("<w:sz w:val=\"24\""), "table in 小四仿宋");
    assert!(t1.contains("<w:tblBorders>"), "table borders");
    let tps = paragraphs(t1);
    let header = tps.iter().find(|p| para_text(p) == "地区").unwrap();
    assert!(header.contains("<w:b"), "header bold");
    let num = tps.iter().find(|p| para_text(p) == "7.50%").unwrap();
    assert!(num.contains("<w:jc w:val=\"right\""), "numbers right-aligned: {num}");
    let name = tps.iter().find(|p| para_text(p) == "湖滨区").unwrap();
    assert!(name.contains("<w:jc w:val=\"left\""));
    assert_eq!(doc.matches("<w:tbl>").count(), 2, "two tables");

    // Charts: two images embedded, 156 mm wide, captions centred below.
    let media: Vec<&String> = names.iter().filter(|n| n.starts_with("word/media/") && n.ends_with(".png")).collect();
    assert_eq!(media.len(), 2, "{names:?}");
    assert!(doc.contains("cx=\"5616000\""), "image scaled to the text width");
    assert!(doc.contains("cy=\"2808000\""), "aspect ratio kept (1200×600)");
    assert!(find("图1 近八个季度").contains("<w:jc w:val=\"center\""));
    let rels = &parts["word/_rels/document.xml.rels"];
    assert_eq!(rels.matches("relationships/image").count(), 2, "{rels}");

    // Footer: — PAGE — in 4号宋体, odd right and even left.
    let footers: Vec<&String> = names.iter().filter(|n| n.starts_with("word/footer") && n.ends_with(".xml")).collect();
    assert_eq!(footers.len(), 2, "odd and even footers: {names:?}");
    for f in &footers {
        let x = &parts[*f];
        assert!(x.contains("<w:instrText>PAGE</w:instrText>") || x.contains(">PAGE<"), "PAGE field in {f}");
        assert!(x.contains("— ") && x.contains(" —"), "dashes around the number");
        assert!(x.contains("w:eastAsia=\"宋体\"") && x.contains("<w:sz w:val=\"28\""), "4号宋体");
    }
    assert!(parts["word/settings.xml"].contains("evenAndOddHeaders"));
    assert!(doc.contains("w:type=\"even\""), "even footer referenced");

    // Font table names the fonts and their fallbacks.
    let ft = &parts["word/fontTable.xml"];
    for f in ["仿宋_GB2312", "黑体", "楷体_GB2312", "方正小标宋简体", "宋体", "FangSong", "KaiTi", "SimHei"] {
        assert!(ft.contains(f), "fontTable lacks {f}");
    }
}

#[test]
fn word_briefing_from_the_office_template() {
    // The real template rendered with the test briefing: every image resolves to a chart and
    // every section heading comes out.
    let b = briefing();
    let md = fuyuan::report::text::render_markdown(&b, fuyuan::report::text::BRIEF_TEMPLATE).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let charts = charts(tmp.path());
    let out = tmp.path().join("template.docx");
    fuyuan::report::docx::write_docx(&md, &charts, &out).unwrap();
    keep(tmp.path(), &["template.docx"]);
    let (parts, names) = unzip(&out);
    let all = texts(&parts["word/document.xml"]).concat();
    for h in ["一、总体情况", "三、主要特点和存在问题", "四、下步工作要求", "附表1"] {
        assert!(all.contains(h), "{h}");
    }
    let images = md.matches("![").count();
    assert_eq!(names.iter().filter(|n| n.starts_with("word/media/") && n.ends_with(".png")).count(), images);
    assert_eq!(parts["word/document.xml"].matches("<a:blip ").count(), images);
}

#[test]
fn a_missing_chart_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let err = fuyuan::report::docx::write_docx("# T\n\n![图](charts/nope.png)\n", &[], &tmp.path().join("x.docx")).unwrap_err();
    assert!(err.to_string().contains("nope.png"), "{err}");
}

fn cell(r: &calamine::Range<Data>, row: u32, col: u32) -> Data {
    r.get_value((row, col)).cloned().unwrap_or(Data::Empty)
}

fn header_index(r: &calamine::Range<Data>, name: &str) -> u32 {
    let width = r.end().unwrap().1;
    (0..=width).find(|c| cell(r, 1, *c) == Data::String(name.into())).unwrap_or_else(|| panic!("no header {name}"))
}

fn num(d: &Data) -> f64 {
    match d {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("not a number: {other:?}"),
    }
}

#[test]
fn excel_annex_has_typed_cells() {
    let b = briefing();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("annex.xlsx");
    fuyuan::report::xlsx::write_annex(&b, &out).unwrap();
    keep(tmp.path(), &["annex.xlsx"]);
    let mut wb: Xlsx<_> = open_workbook(&out).unwrap();
    assert_eq!(wb.sheet_names(), vec!["各县（市、区）排名", "市直部门", "全部机关", "全省各市", "领域分析", "监督建议", "统计口径"]);

    let r = wb.worksheet_range("各县（市、区）排名").unwrap();
    // Title row with the period.
    let title = cell(&r, 0, 0).to_string();
    assert!(title.contains("2024年上半年") && title.contains("2024-01-01"), "{title}");
    let headers: Vec<String> = (0..=r.end().unwrap().1).map(|c| cell(&r, 1, c).to_string()).collect();
    for h in [
        "排名",
        "地区",
        "发案量",
        "上年同期",
        "同比",
        "审结",
        "败诉",
        "败诉率",
        "实体败诉率",
        "上年同期败诉率",
        "变化(百分点)",
        "双下降(是/否)",
        "开庭",
        "出庭",
        "出庭率",
        "出声率",
        "应出庭出庭率",
        "复议收案",
        "复议审结",
        "纠错",
        "纠错率",
        "复议后起诉率",
        "处罚案件",
        "罚款(元)",
        "没收(元)",
    ] {
        assert!(headers.iter().any(|x| x == h), "header {h} missing: {headers:?}");
    }
    let (c_name, c_filed, c_rate, c_pp, c_dd, c_rank, c_fines, c_conf, c_req) = (
        header_index(&r, "地区"),
        header_index(&r, "发案量"),
        header_index(&r, "败诉率"),
        header_index(&r, "变化(百分点)"),
        header_index(&r, "双下降(是/否)"),
        header_index(&r, "排名"),
        header_index(&r, "罚款(元)"),
        header_index(&r, "没收(元)"),
        header_index(&r, "应出庭出庭率"),
    );
    for (i, f) in b.subunits.iter().enumerate() {
        let row = i as u32 + 2;
        assert_eq!(cell(&r, row, c_name), Data::String(f.name.clone()));
        assert!(matches!(cell(&r, row, c_filed), Data::Float(_) | Data::Int(_)), "count is a number");
        assert_eq!(num(&cell(&r, row, c_filed)), f.filed as f64);
        match f.loss_rate {
            Some(x) => assert_eq!(num(&cell(&r, row, c_rate)), x, "rate equals the briefing's value"),
            None => assert_eq!(cell(&r, row, c_rate), Data::Empty, "null rate is an empty cell"),
        }
        match f.loss_rate_change_pp {
            Some(x) => assert_eq!(num(&cell(&r, row, c_pp)), x),
            None => assert_eq!(cell(&r, row, c_pp), Data::Empty),
        }
        match f.loss_rank {
            Some(x) => assert_eq!(num(&cell(&r, row, c_rank)), x as f64),
            None => assert_eq!(cell(&r, row, c_rank), Data::Empty),
        }
        match f.double_decline {
            Some(true) => assert_eq!(cell(&r, row, c_dd), Data::String("是".into())),
            Some(false) => assert_eq!(cell(&r, row, c_dd), Data::String("否".into())),
            None => assert_eq!(cell(&r, row, c_dd), Data::Empty),
        }
        assert_eq!(num(&cell(&r, row, c_fines)), 3290800.0, "money is a number");
        assert_eq!(num(&cell(&r, row, c_conf)), 0.0);
        assert_eq!(cell(&r, row, c_req), Data::Empty);
    }
    assert_eq!(cell(&r, b.subunits.len() as u32 + 2, c_name), Data::Empty, "no extra rows");

    // Number formats in the sheet XML: percent, pp, money; frozen header.
    let (parts, _) = unzip(&out);
    let styles = &parts["xl/styles.xml"];
    for f in ["0.00%", "#,##0.00", "formatCode=\"0.00\""] {
        assert!(styles.contains(f), "format {f}");
    }
    let sheet1 = &parts["xl/worksheets/sheet1.xml"];
    assert!(sheet1.contains("state=\"frozen\"") && sheet1.contains("ySplit=\"2\""), "frozen header");
    assert!(sheet1.contains("<cols>"), "column widths");

    // A formula-looking agency name is neutralised, and stays text.
    let r = wb.worksheet_range("全部机关").unwrap();
    let c = header_index(&r, "行政机关");
    let names: Vec<Data> = (2..=r.end().unwrap().0).map(|row| cell(&r, row, c)).collect();
    assert!(names.contains(&Data::String("'=HYPERLINK(\"http://x\",\"点我\")".into())), "{names:?}");
    let formulas = wb.worksheet_formula("全部机关").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()), "no formulas");
    let fc = header_index(&r, "罚款(元)");
    let row = names.iter().position(|n| n.to_string().starts_with("'=")).unwrap() as u32 + 2;
    assert_eq!(num(&cell(&r, row, fc)), 12.3);
    assert_eq!(cell(&r, row, header_index(&r, "没收(元)")), Data::Empty, "empty money is an empty cell");
    assert_eq!(cell(&r, row, header_index(&r, "所属县（市、区）")), Data::String("湖滨区".into()));
    let dept = names.iter().position(|n| n.to_string().contains("自然资源")).unwrap() as u32 + 2;
    assert_eq!(cell(&r, dept, header_index(&r, "所属县（市、区）")), Data::String("市直".into()));

    // Peers, domains, flags, definitions.
    let r = wb.worksheet_range("全省各市").unwrap();
    assert_eq!(cell(&r, 2, header_index(&r, "地区")), Data::String("郑州市".into()));
    assert_eq!(num(&cell(&r, 2, header_index(&r, "败诉率"))), 600.0 / 4000.0);
    let r = wb.worksheet_range("领域分析").unwrap();
    assert_eq!(cell(&r, 2, header_index(&r, "领域")), Data::String("征收拆迁".into()));
    assert_eq!(num(&cell(&r, 2, header_index(&r, "纠错率"))), 0.3);
    assert_eq!(cell(&r, 3, header_index(&r, "败诉率")), Data::Empty);
    let r = wb.worksheet_range("监督建议").unwrap();
    assert_eq!(cell(&r, 2, header_index(&r, "建议")), Data::String("约谈".into()));
    assert_eq!(num(&cell(&r, 2, header_index(&r, "败诉"))), 4.0);
    let r = wb.worksheet_range("统计口径").unwrap();
    let defs: Vec<String> = (2..=r.end().unwrap().0).map(|row| cell(&r, row, 0).to_string()).collect();
    for h in ["发案量", "败诉率", "实体败诉率", "变化(百分点)", "纠错率", "复议后起诉率", "罚款(元)"] {
        assert!(defs.iter().any(|d| d == h), "统计口径 lacks {h}");
    }
}
