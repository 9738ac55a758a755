//! Charts: every PNG and SVG is written and non-trivial, PNGs have the documented size, the SVG
//! carries the Chinese labels as text with CJK fonts named first, the bundled font covers every
//! label, no two labels overlap, and empty briefings render "本期无数据" instead of failing.
//!
//! Set `FUYUAN_CHARTS_KEEP=DIR` to keep the rendered charts for a look.
mod util;

use std::path::Path;

use fuyuan::report::charts::{self, ChartFile};
use fuyuan::report::model::{Briefing, DomainRow, Figures, PeriodInfo, Thresholds, TrendPoint};

const IDS: [&str; 5] = ["ranking", "trend", "appearance", "domains", "province"];

fn fig(code: &str, name: &str, lost: i64, concluded: i64, hearings: i64, appeared: i64, spoke: i64) -> Figures {
    let rate = |a: i64, b: i64| if b == 0 { None } else { Some(a as f64 / b as f64) };
    Figures {
        code: code.into(),
        name: name.into(),
        filed: concluded + 3,
        filed_prev: concluded + 5,
        concluded,
        lost,
        loss_rate: rate(lost, concluded),
        hearings,
        appeared,
        appearance_rate: rate(appeared, hearings),
        spoke_rate: rate(spoke, appeared),
        required_appearance_rate: rate(appeared, hearings),
        ..Default::default()
    }
}

fn period() -> PeriodInfo {
    PeriodInfo::of(&fuyuan::engine::Period::parse("2024Q2", true).unwrap())
}

fn empty_briefing() -> Briefing {
    Briefing {
        title: "关于2024年上半年全市行政诉讼“双下降”工作和行政机关负责人出庭应诉情况的通报".into(),
        region_code: "411200".into(),
        region_name: "三门峡市".into(),
        scope_word: "全市".into(),
        subunit_word: "各县（市、区）".into(),
        subunit_noun: "县（市、区）".into(),
        salutation: "各县（市、区）人民政府，市人民政府各部门".into(),
        issuer: "三门峡市府院联动联席会议办公室".into(),
        period: period(),
        generated_on: "2025-03-31".into(),
        total: Figures { code: "411200".into(), name: "三门峡市".into(), ..Default::default() },
        peer_rank: None,
        peer_ranked: 0,
        peer_word: "全省各市".into(),
        peers: vec![],
        subunits: vec![],
        active_subunits: vec![],
        idle_subunits: vec![],
        departments: vec![],
        agencies: vec![],
        trend: vec![],
        by_domain: vec![],
        loss_reasons: vec![],
        thresholds: Thresholds::default(),
        flags: vec![],
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

/// Sanmenxia in the first half of 2024, by hand: ties, a unit without concluded cases, a unit
/// without hearings, a long functional-zone name, and a quarter without concluded cases.
fn sanmenxia() -> Briefing {
    let mut b = empty_briefing();
    b.total = fig("411200", "三门峡市", 15, 140, 60, 52, 45);
    b.peer_rank = Some(3);
    b.peer_ranked = 18;
    b.subunits = vec![
        fig("411202", "湖滨区", 2, 16, 10, 9, 8),
        fig("411203", "陕州区", 3, 20, 12, 12, 11),
        fig("411221", "渑池县", 1, 8, 5, 4, 4),
        fig("411224", "卢氏县", 0, 9, 6, 6, 5),
        fig("411281", "义马市", 1, 8, 4, 2, 1),
        fig("411282", "灵宝市", 6, 40, 20, 17, 14),
        fig("411271", "三门峡经济开发区", 2, 30, 3, 2, 2),
        fig("411272", "三门峡市城乡一体化示范区管理委员会", 0, 0, 0, 0, 0),
    ];
    let cities = [
        ("410100", "郑州市", 120, 800),
        ("410200", "开封市", 30, 210),
        ("410300", "洛阳市", 60, 500),
        ("410400", "平顶山市", 25, 190),
        ("410500", "安阳市", 28, 220),
        ("410600", "鹤壁市", 8, 90),
        ("410700", "新乡市", 35, 260),
        ("410800", "焦作市", 20, 180),
        ("410900", "濮阳市", 18, 150),
        ("411000", "许昌市", 22, 200),
        ("411100", "漯河市", 10, 100),
        ("411200", "三门峡市", 15, 140),
        ("411300", "南阳市", 50, 420),
        ("411400", "商丘市", 40, 300),
        ("411500", "信阳市", 33, 280),
        ("411600", "周口市", 45, 350),
        ("411700", "驻马店市", 38, 320),
        ("419001", "济源产城融合示范区", 0, 0),
    ];
    b.peers = cities.iter().map(|(c, n, l, k)| fig(c, n, *l, *k, 0, 0, 0)).collect();
    let quarters = ["2022Q3", "2022Q4", "2023Q1", "2023Q2", "2023Q3", "2023Q4", "2024Q1", "2024Q2"];
    let data = [
        (70, 80, 60, 7, Some(0.125)),
        (65, 75, 58, 6, Some(0.11)),
        (72, 70, 0, 0, Some(0.09)),
        (68, 74, 66, 8, Some(0.10)),
        (61, 70, 59, 5, Some(0.125)),
        (66, 65, 62, 6, Some(0.11)),
        (64, 72, 70, 7, None),
        (60, 68, 70, 8, Some(0.10)),
    ];
    b.trend = quarters
        .iter()
        .zip(data)
        .map(|(q, (filed, filed_prev, concluded, lost, prev))| TrendPoint {
            quarter: q.to_string(),
            label: format!("{}年Q{}", &q[..4], &q[5..]),
            filed,
            filed_prev,
            concluded,
            lost,
            loss_rate: if concluded == 0 { None } else { Some(lost as f64 / concluded as f64) },
            loss_rate_prev: prev,
        })
        .collect();
    let dom = |d: &str, concluded: i64, lost: i64, decided: i64, corrected: i64| DomainRow {
        domain: d.into(),
        concluded,
        lost,
        loss_rate: if concluded == 0 { None } else { Some(lost as f64 / concluded as f64) },
        recon_decided: decided,
        recon_corrected: corrected,
        recon_correction_rate: if decided == 0 { None } else { Some(corrected as f64 / decided as f64) },
    };
    b.by_domain = vec![
        dom("征收拆迁", 30, 6, 20, 4),
        dom("自然资源", 25, 3, 18, 2),
        dom("人力资源和社会保障", 20, 2, 25, 3),
        dom("公安", 28, 2, 40, 5),
        dom("信息公开", 10, 1, 12, 1),
        dom("市场监管", 8, 1, 0, 0),
        dom("生态环境", 6, 0, 5, 1),
        dom("交通运输", 5, 0, 6, 0),
        dom("城市管理综合执法", 4, 0, 3, 0),
        dom("未填写", 4, 0, 2, 0),
    ];
    b
}

/// A county briefing with many townships with long names.
fn many_townships() -> Briefing {
    let mut b = sanmenxia();
    b.region_code = "411282".into();
    b.region_name = "灵宝市".into();
    b.scope_word = "全县(市、区)".into();
    b.subunit_word = "各乡镇（街道）".into();
    b.peer_word = "全市各县(市、区)".into();
    b.total = fig("411282", "灵宝市", 6, 40, 20, 17, 14);
    b.subunits = (0..40)
        .map(|i| {
            let name =
                if i % 7 == 0 { format!("灵宝市第{i}号产业集聚区管理委员会街道办事处") } else { format!("第{i}镇") };
            let concluded = (i * 3) % 11;
            fig(&format!("411282{:03}", i), &name, (i % 4).min(concluded), concluded, i % 5, (i % 5).min(i % 3), (i % 3).min(i % 2))
        })
        .collect();
    b
}

fn png_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{} is not a PNG", path.display());
    let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    (be(16), be(20))
}

fn keep(name: &str, files: &[ChartFile]) {
    if let Ok(dir) = std::env::var("FUYUAN_CHARTS_KEEP") {
        let dir = Path::new(&dir).join(name);
        std::fs::create_dir_all(&dir).unwrap();
        for f in files {
            for p in [&f.png, &f.svg] {
                std::fs::copy(p, dir.join(p.file_name().unwrap())).unwrap();
            }
        }
    }
}

/// Renders and checks the files every chart must have; returns them.
fn render_checked(b: &Briefing, name: &str) -> (tempfile::TempDir, Vec<ChartFile>) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("charts");
    let files = charts::render_all(b, &dir).unwrap();
    // The supervision chart comes only with supervision rows (the sample warehouse has them); the
    // township chart comes last, only with the briefing's township table.
    let mut want = IDS.to_vec();
    if b.township.as_ref().is_some_and(|t| !t.ranked.is_empty()) {
        want.push("township");
    }
    assert_eq!(files.iter().map(|f| f.id).filter(|id| *id != charts::SUPERVISION_CHART_ID).collect::<Vec<_>>(), want);
    for f in &files {
        assert_eq!(f.png, dir.join(format!("{}.png", f.id)));
        assert_eq!(f.svg, dir.join(format!("{}.svg", f.id)));
        assert!(!f.title.is_empty());
        let png_len = std::fs::metadata(&f.png).unwrap().len();
        assert!(png_len > 10_000, "{}: {png_len} bytes", f.png.display());
        let (w, h) = png_size(&f.png);
        assert_eq!(w, 1600, "{}", f.id);
        assert!((600..=4000).contains(&h), "{}: height {h}", f.id);
        let svg = std::fs::read_to_string(&f.svg).unwrap();
        assert!(svg.len() > 1_000, "{}", f.svg.display());
        assert!(svg.contains(&format!("viewBox=\"0 0 {w} {h}\"")), "{}: SVG and PNG sizes differ", f.id);
        assert!(svg.contains(&f.title) || svg.contains(&format!("<title>{}</title>", f.title)), "{}: no title text", f.id);
        assert!(svg.contains("font-family=\"'WenQuanYi Micro Hei',"), "{}: CJK font not named first", f.id);
        assert!(!svg.contains("font-family=\"sans-serif\""), "{}", f.id);
    }
    keep(name, &files);
    (tmp, files)
}

#[test]
fn sample_briefing_renders_every_chart_with_chinese_labels() {
    let b = sanmenxia();
    let (_tmp, files) = render_checked(&b, "sanmenxia");
    let svg = |id: &str| std::fs::read_to_string(&files.iter().find(|f| f.id == id).unwrap().svg).unwrap();
    // Ranking: low to high with n, the unit without concluded cases last, the city's own rate.
    let ranking = svg("ranking");
    for label in ["卢氏县", "0.00%（0/9）", "湖滨区", "12.50%（2/16）", "无审结", "全市 10.71%（15/140）", "败诉率排名"]
    {
        assert!(ranking.contains(label), "ranking lacks {label}");
    }
    assert!(ranking.find("卢氏县").unwrap() < ranking.find("湖滨区").unwrap());
    assert!(ranking.find("三门峡经济开发区").unwrap() < ranking.find("湖滨区").unwrap());
    assert!(ranking.find("灵宝市").unwrap() < ranking.find("无审结").unwrap());
    // Trend: quarter labels, a rate, and "无" for the quarter without concluded cases.
    let trend = svg("trend");
    for label in ["2022年Q3", "2024年Q2", "11.43%", "8/70", "发案量", "上年同季度", "\n无\n"] {
        assert!(trend.contains(label), "trend lacks {label}");
    }
    let appearance = svg("appearance");
    for label in ["全市（开庭60件）", "86.67%（52/60）", "无开庭", "100%", "出声率"] {
        assert!(appearance.contains(label), "appearance lacks {label}");
    }
    let domains = svg("domains");
    for label in ["征收拆迁", "6件（审结30件）", "20.00%（4/20）", "无复议决定", "复议纠错率", "另有2个领域未列出"]
    {
        assert!(domains.contains(label), "domains lacks {label}");
    }
    assert!(!domains.contains("城市管理综合执法"), "only the top 8 fields are drawn");
    let province = svg("province");
    for label in ["郑州市", "三门峡市", "10.71%（15/140）", "济源产城融合示范区", "三门峡市居第3位"] {
        assert!(province.contains(label), "province lacks {label}");
    }
    // The region's bar is red, the others grey.
    assert!(province.contains("#C83E2E") || province.contains("#c83e2e"));
    assert!(province.contains("#B4B8BD") || province.contains("#b4b8bd"));
}

#[test]
fn bundled_font_covers_every_label() {
    for b in [sanmenxia(), many_townships(), empty_briefing()] {
        let text = charts::label_text(&b);
        assert!(text.contains("败诉率"));
        assert_eq!(charts::font_covers(&text), Ok(()));
    }
    assert!(charts::font_covers("\u{E000}").is_err());
}

#[test]
fn labels_never_overlap() {
    for b in [sanmenxia(), many_townships(), empty_briefing()] {
        let c = charts::label_collisions(&b);
        assert!(c.is_empty(), "{}:\n{}", b.region_name, c.join("\n"));
    }
}

#[test]
fn canvas_grows_with_rows_and_long_names_are_shortened() {
    let (_tmp, files) = render_checked(&many_townships(), "townships");
    let (_, h) = png_size(&files[0].png);
    assert!(h > 2000, "40 rows need a taller canvas, got {h}");
    let svg = std::fs::read_to_string(&files[0].svg).unwrap();
    assert!(svg.contains('…'), "the long township names are shortened");
}

#[test]
fn empty_briefing_says_no_data() {
    let b = empty_briefing();
    let (_tmp, files) = render_checked(&b, "empty");
    for f in &files {
        let svg = std::fs::read_to_string(&f.svg).unwrap();
        assert!(svg.contains("本期无数据"), "{}", f.id);
    }
}

#[test]
fn nulls_print_as_none_not_zero() {
    let mut b = sanmenxia();
    for f in b.subunits.iter_mut() {
        f.spoke_rate = None;
    }
    b.total.loss_rate = None;
    let text = charts::label_text(&b);
    assert!(text.contains("无（无出庭）"));
    assert!(!text.contains("全市 0.00%"), "no reference line without a rate");
}

/// The real pipeline: synthetic ledgers → ingest → the briefing model → charts.
#[test]
fn charts_of_the_sample_warehouse() {
    let dir = util::Dir::new();
    util::sample_warehouse(&dir, "wh");

    let wh = fuyuan::warehouse::Warehouse::new(dir.join("wh"));
    let period = fuyuan::engine::Period::parse("2024Q2", true).unwrap();
    util::pin_today();
    let b = fuyuan::app::briefing::compute(&wh, &fuyuan::engine::Target::Local, "411200", &period, &Thresholds::default()).unwrap();
    assert_eq!(b.generated_on, util::TODAY, "generated on the pinned day, not the clock's");
    assert!(!b.subunits.is_empty() && b.trend.len() == 8);
    if let Ok(keep) = std::env::var("FUYUAN_CHARTS_KEEP") {
        std::fs::write(Path::new(&keep).join("sample-briefing.json"), serde_json::to_vec_pretty(&b).unwrap()).unwrap();
    }
    let (_tmp, files) = render_checked(&b, "sample");
    let ranking = std::fs::read_to_string(&files[0].svg).unwrap();
    for f in b.subunits.iter().filter(|f| f.concluded > 0) {
        assert!(ranking.contains(&format!("（{}/{}）", f.lost, f.concluded)), "ranking lacks n for {}", f.name);
    }
    assert_eq!(charts::font_covers(&charts::label_text(&b)), Ok(()));
    let c = charts::label_collisions(&b);
    assert!(c.is_empty(), "{}", c.join("\n"));
}
