//! The peers table (reported per-region figures, 全省各市情况): ingest rules with one test per
//! reject reason, corrections and conservation, and the ranking of regions with mixed sources in
//! `fuyuan metrics` — golden figures by hand and the independent DuckDB reference.
mod util;

use std::process::Command;

use util::{Dir, parse_csv};

const HEADER: &str = "地区,统计期间,收案,审结,败诉,败诉率,开庭,出庭,出庭应诉率,来源";

fn ingest_peers(dir: &Dir, rows: &[&str]) -> serde_json::Value {
    dir.create("peers.csv", &format!("{HEADER}\n{}\n", rows.join("\n")));
    dir.command(&["ingest", "peers.csv", "--warehouse", "wh"]).stdout();
    dir.manifest("wh")
}

/// One bad row → one reject with this column and a reason containing `reason`.
fn rejected(row: &str, column: &str, reason: &str) {
    let dir = Dir::new();
    let m = ingest_peers(&dir, &["郑州市,2024年度,500,480,60,12.5%,400,390,97.5%,省通报", row]);
    let f = &m["ingests"][0]["files"][0];
    assert_eq!((f["rows_read"].as_u64(), f["rows_accepted"].as_u64(), f["rows_rejected"].as_u64()), (Some(2), Some(1), Some(1)), "{row}");
    let rejects = dir.rejects("wh");
    assert_eq!(rejects.len(), 1);
    let r = &rejects[0];
    assert_eq!(&r[1], "3", "line of {row}");
    assert!(r[2].contains(column), "{row}: column {} is not {column}", &r[2]);
    assert!(r[3].contains(reason), "{row}: reason '{}' lacks '{reason}'", &r[3]);
}

#[test]
fn a_rate_that_contradicts_its_counts_is_rejected_naming_both() {
    rejected("开封市,2024年度,100,80,10,12.6%,,,,", "loss_rate", "reported rate 12.60% differs from 败诉 10 / 审结 80 = 12.50%");
    rejected("开封市,2024年度,,,,,40,30,80%,", "appearance_rate", "reported rate 80.00% differs from 出庭 30 / 开庭 40 = 75.00%");
}

#[test]
fn each_reject_reason() {
    rejected("开封市,去年,1,1,0,0,,,,", "period", "is not a period");
    rejected("开封市,2024年13月,1,1,0,0,,,,", "period", "is not a period");
    rejected("开封市,2024年度,-1,1,0,0,,,,", "filed", "is not a whole number");
    rejected("开封市,2024年度,1.5,1,0,0,,,,", "filed", "is not a whole number");
    rejected("开封市,2024年度,1,1,0,12.5,,,,", "loss_rate", "above 1");
    rejected("开封市,2024年度,1,1,0,abc,,,,", "loss_rate", "is not a rate");
    rejected("开封市,2024年度,1,1,0,120%,,,,", "loss_rate", "between 0% and 100%");
    rejected("开封市,2024年度,1,3,4,,,,,", "lost", "败诉 4 is more than 审结 3");
    rejected("开封市,2024年度,,,,,3,4,,", "appeared", "出庭 4 is more than 开庭 3");
    rejected("开封县,2024年度,1,1,0,0,,,,", "region_code", "neither a region code nor the name");
    rejected("419999,2024年度,1,1,0,0,,,,", "region_code", "not in the regions dimension");
    rejected(",2024年度,1,1,0,0,,,,", "region_code", "required cell is empty");
    rejected("开封市,,1,1,0,0,,,,", "period", "required cell is empty");
}

#[test]
fn periods_names_and_rates_as_offices_write_them_and_last_wins() {
    let dir = Dir::new();
    let m = ingest_peers(
        &dir,
        &[
            "郑州市,2024年度,500,480,60,12.5%,400,390,97.5%,省通报",
            "开封,2024年1-6月,100,80,10,0.125,,,,",
            "410300,2024H1,50,40,5,,,,,",
            "平顶山市,2023-05-30..2024-06-30,7,,,,,,,",
            "郑州市,2024,510,490,61,,,,,更正",
        ],
    );
    let f = &m["ingests"][0]["files"][0];
    assert_eq!(f["table"], "peers", "detected from its headers");
    assert_eq!((f["rows_read"].as_u64(), f["rows_accepted"].as_u64(), f["rows_rejected"].as_u64()), (Some(5), Some(5), Some(0)));
    assert_eq!(f["replaced"][0]["key"], "410100 / 2024-01-01..2024-12-31");
    assert_eq!((f["replaced"][0]["old_line"].as_u64(), f["replaced"][0]["new_line"].as_u64()), (Some(2), Some(6)));
    let out = dir
        .command(&[
            "sql",
            "--warehouse",
            "wh",
            "--format",
            "csv",
            "SELECT region_code, period, filed, lost, loss_rate, source FROM peers ORDER BY 1",
        ])
        .stdout();
    assert_eq!(
        out,
        "region_code,period,filed,lost,loss_rate,source\n\
         410100,2024-01-01..2024-12-31,510,61,,更正\n\
         410200,2024-01-01..2024-06-30,100,10,0.125,\n\
         410300,2024-01-01..2024-06-30,50,5,,\n\
         410400,2023-05-30..2024-06-30,7,,,\n"
    );
    // A later file corrects the same key; `--table peers` forces the table.
    dir.create("fix.csv", "区划代码,期间,败诉率\n410200,2024年上半年,12.5%\n");
    dir.command(&["ingest", "fix.csv", "--table", "peers", "--warehouse", "wh"]).stdout();
    let out = dir
        .command(&["sql", "--warehouse", "wh", "--format", "csv", "SELECT filed, loss_rate FROM peers WHERE region_code = '410200'"])
        .stdout();
    assert_eq!(out, "filed,loss_rate\n,0.125\n");
}

/// 三门峡 (411200) has its own case rows; Zhengzhou, Kaifeng and Luoyang are reported.
fn mixed_warehouse(dir: &Dir) {
    dir.create(
        "lit.csv",
        "案号,审理法院,被告,区划代码,立案日期,结案日期,裁判结果,开庭日期,负责人出庭\n\
         （2024）豫1202行初1号,湖滨区人民法院,三门峡市自然资源局,411202,2024-01-05,2024-03-01,撤销,2024-02-01,是\n\
         （2024）豫1202行初2号,湖滨区人民法院,三门峡市自然资源局,411202,2024-01-06,2024-03-02,驳回诉讼请求,2024-02-01,是\n\
         （2023）豫1202行初3号,湖滨区人民法院,三门峡市自然资源局,411202,2023-01-06,2023-03-02,驳回诉讼请求,2023-02-01,是\n",
    );
    dir.create(
        "p.csv",
        "地区,统计期间,收案,审结,败诉,败诉率,开庭,出庭\n\
         郑州市,2024年度,500,480,60,12.5%,400,390\n\
         开封市,2024年度,,,,50%,,\n\
         洛阳市,2024年度,100,100,8,,,\n\
         三门峡市,2024年度,900,900,900,100%,,\n\
         郑州市,2023年度,520,400,40,10%,,\n",
    );
    dir.command(&["ingest", "lit.csv", "p.csv", "--warehouse", "wh"]).stdout();
}

#[test]
fn golden_ranks_with_mixed_sources_and_a_tie() {
    let dir = Dir::new();
    mixed_warehouse(&dir);
    let out =
        dir.command(&["metrics", "--period", "2024", "--level", "city", "--warehouse", "wh", "--format", "csv", "--sources"]).stdout();
    let (h, rows) = parse_csv(&out);
    assert_eq!(h.last().map(String::as_str), Some("source"));
    assert_eq!(h.len(), 28);
    let pick = |code: &str| {
        let r = rows.iter().find(|r| r[1] == code).unwrap();
        [
            "filed",
            "filed_prev",
            "concluded",
            "lost",
            "loss_rate",
            "loss_rate_prev",
            "loss_rate_change_pp",
            "double_decline",
            "hearings",
            "appeared",
            "appearance_rate",
            "loss_rank",
            "source",
        ]
        .iter()
        .map(|c| r[h.iter().position(|x| x == c).unwrap()].clone())
        .collect::<Vec<_>>()
        .join(",")
    };
    // 郑州: reported 60/480 = 0.125 (the rate as reported), 2023 reported 10%; change +2.5 pp
    // (float: 2.4999999999999996); filed 500 < 520 but the rate rose: no 双下降; appearance 390/400.
    assert_eq!(pick("410100"), "500,520,480,60,0.125,0.1,2.4999999999999996,false,400,390,0.975,2,报送");
    // 开封: a rate without counts ranks, counts empty; no 2023 report: comparison empty.
    assert_eq!(pick("410200"), ",,,,0.5,,,,,,,3,报送");
    // 洛阳: counts without a rate: 8 / 100 = 0.08, the lowest: rank 1.
    assert_eq!(pick("410300"), "100,,100,8,0.08,,,,,,,1,报送");
    // 三门峡 has case rows in 2024: its report (900/900) is ignored; computed 1 loss of 2 = 0.5,
    // tied with 开封 at rank 3 (1, 2, 3, 3). 2023: 1 case, not lost → 0; +50 pp.
    assert_eq!(pick("411200"), "2,1,2,1,0.5,0,50,false,2,2,1,3,测算");
    // Everyone else: computed zeros, unranked.
    let pds = rows.iter().find(|r| r[1] == "410400").unwrap();
    assert_eq!((pds.last().unwrap().as_str(), pds[26].as_str()), ("测算", ""));
    // Without --sources the exact metrics columns, same figures.
    let plain = dir.command(&["metrics", "--period", "2024", "--level", "city", "--warehouse", "wh", "--format", "csv"]).stdout();
    let (ph, prows) = parse_csv(&plain);
    assert_eq!(ph.len(), 27);
    assert_eq!(ph.last().map(String::as_str), Some("loss_rank"));
    for (a, b) in prows.iter().zip(&rows) {
        assert_eq!(a[..], b[..27]);
    }
    // A period nobody reported: every row computed.
    let q =
        dir.command(&["metrics", "--period", "2024H1", "--level", "city", "--warehouse", "wh", "--format", "csv", "--sources"]).stdout();
    assert!(parse_csv(&q).1.iter().all(|r| r.last().unwrap() == "测算"));
}

#[test]
fn metrics_with_peers_match_the_duckdb_reference() {
    let ok = Command::new("python3").args(["-c", "import duckdb"]).output().map(|o| o.status.success()).unwrap_or(false);
    assert!(ok, "python3 with the duckdb package is needed: run `pip install duckdb`");
    let dir = Dir::new();
    mixed_warehouse(&dir);
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/reference/metrics_duckdb.py");
    let mut reported = 0;
    for (period, level) in [("2024", "city"), ("2024", "province"), ("2023", "city"), ("2024", "county")] {
        let ours = dir.command(&["metrics", "--period", period, "--level", level, "--warehouse", "wh", "--format", "csv"]).stdout();
        let o = Command::new("python3").arg(script).arg(dir.join("wh")).arg(period).arg(level).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let theirs = String::from_utf8(o.stdout).unwrap();
        let (_, fr) = parse_csv(&ours);
        let (_, rr) = parse_csv(&theirs);
        assert_eq!(fr.len(), rr.len());
        for (f, r) in fr.iter().zip(&rr) {
            for (i, (a, b)) in f.iter().zip(r).enumerate() {
                let same =
                    a == b || matches!((a.parse::<f64>(), b.parse::<f64>()), (Ok(x), Ok(y)) if (x - y).abs() <= 1e-9 * x.abs().max(1.0));
                assert!(same, "{period} {level} {}: column {i}: fuyuan `{a}` vs reference `{b}`", f[1]);
            }
        }
        reported += fr.iter().filter(|r| r[1] == "410200" && r[8] == "0.5").count();
    }
    assert!(reported > 0, "no reported row compared: the check is vacuous");
}

#[test]
fn briefing_ranks_the_city_among_reported_peers_and_marks_the_source() {
    let dir = Dir::new();
    mixed_warehouse(&dir);
    dir.command(&["brief", "--period", "2024", "--region", "411200", "--warehouse", "wh", "--out", "b", "--formats", "md,xlsx"]).stdout();
    let md = dir.read("b/briefing.md");
    for phrase in [
        // 洛阳 0.08 < 郑州 0.125 < 开封 0.5 = 三门峡 0.5 (computed 1/2): 三门峡 shares rank 3.
        // The average below: 50% − 69/582 (11.8557%) = 38.14 points higher.
        "败诉率高于全省平均水平（全省平均败诉率11.86%，69/582，高38.14个百分点），在全省各市中由低到高排名第3位（共4个有审结案件的地区参与排名，其中3个地区采用报送数据，其余为据案件台账测算）。",
        "报送数据中三门峡市审结900件、败诉900件、败诉率100.00%，与据案件台账测算的审结2件、败诉1件、败诉率50.00%不一致，排名采用测算数据，请核对。",
        "| 1 | 洛阳市 | 100 | — | 100 | 8 | 8.00% | — | — | 报送 |",
        "| 2 | 郑州市 | 500 | 520 | 480 | 60 | 12.50% | — | 否 | 报送 |",
        "| 3 | 开封市 | — | — | — | — | 50.00% | — | — | 报送 |",
        "| 3 | 三门峡市（本地） | 2 | 1 | 2 | 1 | 50.00% | 50.00% | 否 | 测算 |",
        // No province total reported: the sum of the rows with counts, 开封 (rate only) left out:
        // 郑州 60/480 + 洛阳 8/100 + 三门峡 1/2 = 69/582 = 11.86%.
        "全省平均败诉率11.86%（69/582），三门峡市比平均高38.14个百分点，为上表各地区审结、败诉数之和计算。",
    ] {
        assert!(md.contains(phrase), "briefing.md lacks: {phrase}");
    }
    use calamine::{Data, Reader, open_workbook_auto};
    let mut wb = open_workbook_auto(dir.join("b/annex.xlsx")).unwrap();
    let rows: Vec<Vec<Data>> = wb.worksheet_range("全省各市").unwrap().rows().map(|r| r.to_vec()).collect();
    let header: Vec<String> = rows[1].iter().map(|c| c.to_string()).collect();
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let kaifeng = rows.iter().find(|r| r[col("区划代码")] == "410200").unwrap();
    assert_eq!(kaifeng[col("来源")].to_string(), "报送");
    assert!(matches!(kaifeng[col("审结")], Data::Empty), "a count the report left out is empty, not 0");
    assert_eq!(kaifeng[col("排名")], Data::Float(3.0));
    let smx = rows.iter().find(|r| r[col("区划代码")] == "411200").unwrap();
    assert_eq!((smx[col("来源")].to_string(), smx[col("审结")].clone()), ("测算".to_string(), Data::Float(2.0)));
}

/// The bundled notice table: title rows, a merged two-row header and 合计 rows ingest cleanly,
/// the 合计 row as the province.
#[test]
fn the_sample_notice_table_ingests_whole() {
    let dir = Dir::new();
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/data-samples/peers_2023_2024.xlsx");
    dir.command(&["ingest", file, "--warehouse", "wh"]).stdout();
    let m = dir.manifest("wh");
    let f = &m["ingests"][0]["files"][0];
    assert_eq!(f["table"], "peers");
    assert_eq!((f["header_line"].as_u64(), f["rows_rejected"].as_u64(), f["rows_accepted"].as_u64()), (Some(4), Some(0), Some(38)));
    let out = dir
        .command(&[
            "sql",
            "--warehouse",
            "wh",
            "--format",
            "csv",
            "SELECT period, COUNT(*) AS n, SUM(CASE WHEN region_code = '410000' THEN filed END) AS province, SUM(CASE WHEN region_code <> '410000' THEN filed END) AS cities FROM peers GROUP BY 1 ORDER BY 1",
        ])
        .stdout();
    let (_, rows) = parse_csv(&out);
    assert_eq!(rows.len(), 2);
    for r in rows {
        assert_eq!(r[1], "19", "18 cities and the 合计 row");
        assert_eq!(r[2], r[3], "the 合计 row is the sum of the cities");
    }
}

#[test]
fn the_province_average_comes_from_a_reported_total_when_there_is_one() {
    let dir = Dir::new();
    mixed_warehouse(&dir);
    dir.create("total.csv", "地区,统计期间,审结,败诉,败诉率\n合计,2024年度,1000,150,15%\n");
    dir.command(&["ingest", "total.csv", "--warehouse", "wh"]).stdout();
    dir.command(&["brief", "--period", "2024", "--region", "411200", "--warehouse", "wh", "--out", "b", "--formats", "md"]).stdout();
    let md = dir.read("b/briefing.md");
    // 三门峡市 1/2 = 50.00% against 15.00%: 35.00 points higher.
    assert!(md.contains("全省平均败诉率15.00%（150/1000），三门峡市比平均高35.00个百分点，取自报送的合计数。"), "{md}");
    assert!(md.contains("败诉率高于全省平均水平（全省平均败诉率15.00%，150/1000，高35.00个百分点）"), "{md}");
}

#[test]
fn dashboard_rank_card_says_how_many_peers_are_reported() {
    let dir = Dir::new();
    mixed_warehouse(&dir);
    dir.command(&["dashboard", "--period", "2024", "--region", "411200", "--warehouse", "wh", "--out", "d"]).stdout();
    let js = dir.read("d/data.js");
    let data: serde_json::Value = serde_json::from_str(&js[js.find('{').unwrap()..=js.rfind('}').unwrap()]).unwrap();
    assert_eq!(data["peers_reported"], 3);
    assert_eq!(data["peer_rank"], 3);
    assert_eq!(data["reported_self"]["loss_rate"], 1.0);
    assert!(dir.read("d/dashboard.js").contains("个地区为报送数据"));
}

mod properties {
    use fuyuan::ingest::peers;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        /// No text makes the peers' cell parsers panic; a period that parses is ordered.
        #[test]
        fn parsers_never_panic(s in "\\PC{0,24}") {
            if let Some((a, b)) = peers::period(&s) {
                prop_assert!(a <= b);
            }
            let _ = peers::count(&s);
            let _ = peers::rate(&s, false);
            let _ = peers::rate(&s, true);
        }

        /// Offices' spellings of the same months give the same span.
        #[test]
        fn month_ranges_agree(year in 1991i32..2100, a in 1u32..=12, len in 0u32..12) {
            let b = (a + len).min(12);
            let want = peers::period(&format!("{year}年{a}-{b}月"));
            prop_assert!(want.is_some());
            prop_assert_eq!(peers::period(&format!("{year}年{a}月至{b}月")), want);
            prop_assert_eq!(peers::period(&format!("{year}年{a}—{b}月")), want);
            let (s, e) = want.unwrap();
            prop_assert_eq!(peers::period(&format!("{s}..{e}")), want);
        }

        /// A percentage and its decimal are the same rate; a rate within 0.05 pp of its counts passes.
        #[test]
        fn rates_and_the_cross_check(lost in 0i64..500, extra in 0i64..500, bump in -0.0004f64..0.0004) {
            let concluded = lost + extra;
            let p = peers::rate(&format!("{}%", 12.5), false).unwrap();
            prop_assert_eq!(p, peers::rate("0.125", false).unwrap());
            if concluded > 0 {
                let r = (lost as f64 / concluded as f64 + bump).clamp(0.0, 1.0);
                prop_assert!(peers::check_row(Some(concluded), Some(lost), Some(r), None, None, None).is_ok());
                let far = lost as f64 / concluded as f64 + 0.001;
                if far <= 1.0 {
                    prop_assert!(peers::check_row(Some(concluded), Some(lost), Some(far), None, None, None).is_err());
                }
            }
        }
    }
}
