//! Property tests through the real binary (few cases each: every case runs `fuyuan`).
//!
//! - Conservation (§2): random mixes of valid and invalid litigation rows, in random encodings,
//!   spread over several files: for each file rows_read = rows_accepted + rows_rejected, exactly
//!   the invalid rows are rejected, and its rejects file holds exactly rows_rejected rows.
//! - Rates (§5): every rate column of `metrics --format csv` is empty or within [0, 1].
//! - loss_rank (§5): equal loss rates share a rank, ranks follow 1, 2, 2, 4, and rows with
//!   concluded = 0 have no rank.
mod util;

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate};
use proptest::prelude::*;
use proptest::test_runner::Config as ProptestConfig;
use util::{Dir, parse_csv};

fn config(cases: u32) -> ProptestConfig {
    // No regression files next to the sources; a failure is shrunk only a little, since every
    // step runs the binary.
    ProptestConfig { cases, failure_persistence: None, max_shrink_iters: 24, ..ProptestConfig::default() }
}

const LIT: &str = "案号,审理法院,被告,区划代码,立案日期,结案日期,裁判结果,开庭日期,负责人出庭,负责人出声,应当出庭,原告";
const SANMENXIA: [&str; 6] = ["411202", "411203", "411221", "411224", "411281", "411282"];

fn day(offset: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 1, 1).unwrap() + Duration::days(offset as i64)
}

/// The documented date forms (§1), chosen by `form`.
fn date_text(d: NaiveDate, form: u8) -> String {
    let f = match form % 5 {
        0 => "%Y-%m-%d",
        1 => "%Y/%-m/%-d",
        2 => "%Y年%-m月%-d日",
        3 => "%Y%m%d",
        _ => "%Y.%-m.%-d",
    };
    d.format(f).to_string()
}

fn bool_text(b: Option<bool>, form: u8) -> String {
    match b {
        None => String::new(),
        Some(v) => {
            let (t, f) = [("是", "否"), ("Y", "N"), ("1", "0"), ("true", "false"), ("√", "×")][(form % 5) as usize];
            (if v { t } else { f }).to_string()
        }
    }
}

const OUTCOMES: [&str; 14] = [
    "撤销",
    "驳回诉讼请求",
    "判决驳回原告诉讼请求",
    "确认违法",
    "判决确认违法",
    "驳回起诉",
    "裁定驳回起诉",
    "准予撤诉",
    "撤诉",
    "调解",
    "责令履行",
    "部分撤销",
    "赔偿",
    "其他",
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Fault {
    None,
    EmptyCaseNo,
    BadCaseNo,
    EmptyDefendant,
    UnknownRegion,
    ShortRegion,
    UnreadableDate,
    ImpossibleDate,
    FutureDate,
    OutcomeWithoutClosed,
    ClosedWithoutOutcome,
    ClosedBeforeFiled,
    UnknownOutcome,
    BadBool,
    ExtraField,
}

const FAULTS: [Fault; 14] = [
    Fault::EmptyCaseNo,
    Fault::BadCaseNo,
    Fault::EmptyDefendant,
    Fault::UnknownRegion,
    Fault::ShortRegion,
    Fault::UnreadableDate,
    Fault::ImpossibleDate,
    Fault::FutureDate,
    Fault::OutcomeWithoutClosed,
    Fault::ClosedWithoutOutcome,
    Fault::ClosedBeforeFiled,
    Fault::UnknownOutcome,
    Fault::BadBool,
    Fault::ExtraField,
];

#[derive(Debug, Clone)]
struct LitRow {
    kind: &'static str,
    region: &'static str,
    filed: u32,
    /// Days from filing to closing; None = pending.
    closed: Option<u32>,
    outcome: usize,
    hearing: Option<u32>,
    appeared: Option<bool>,
    spoke: Option<bool>,
    required: Option<bool>,
    form: u8,
    fault: Fault,
}

fn arb_row(fault_weight: u32) -> impl Strategy<Value = LitRow> {
    let fault = if fault_weight == 0 {
        Just(Fault::None).boxed()
    } else {
        prop_oneof![
            10 => Just(Fault::None),
            fault_weight => proptest::sample::select(FAULTS.to_vec()),
        ]
        .boxed()
    };
    (
        proptest::sample::select(vec!["行初", "行初", "行初", "行赔初", "行终"]),
        proptest::sample::select(vec!["411202", "411203", "411221", "411224", "411281", "411282", "411282101", "411200", "410102"]),
        0u32..600,
        proptest::option::weighted(0.7, 0u32..200),
        0..OUTCOMES.len(),
        proptest::option::of(0u32..150),
        (proptest::option::of(any::<bool>()), proptest::option::of(any::<bool>()), proptest::option::of(any::<bool>())),
        any::<u8>(),
        fault,
    )
        .prop_map(|(kind, region, filed, closed, outcome, hearing, (appeared, spoke, required), form, fault)| LitRow {
            kind,
            region,
            filed,
            closed,
            outcome,
            hearing,
            appeared,
            spoke,
            required,
            form,
            fault,
        })
}

/// The row's CSV line; `seq` makes its case number unique.
fn render(r: &LitRow, seq: u32) -> String {
    let filed = day(r.filed);
    let mut f: Vec<String> = vec![
        format!("（{}）豫1202{}{seq}号", filed.format("%Y"), r.kind),
        "湖滨区人民法院".into(),
        "三门峡市自然资源局".into(),
        r.region.into(),
        date_text(filed, r.form),
        r.closed.map(|g| date_text(filed + Duration::days(g as i64), r.form / 5)).unwrap_or_default(),
        if r.closed.is_some() { OUTCOMES[r.outcome].to_string() } else { String::new() },
        r.hearing.map(|g| date_text(filed + Duration::days(g as i64), r.form / 25)).unwrap_or_default(),
        bool_text(r.appeared, r.form),
        bool_text(r.spoke, r.form / 3),
        bool_text(r.required, r.form / 7),
        "张三".into(),
    ];
    let closed = filed + Duration::days(10);
    match r.fault {
        Fault::None => {}
        Fault::EmptyCaseNo => f[0] = String::new(),
        Fault::BadCaseNo => f[0] = format!("（{}）豫1202{}{seq}", filed.format("%y"), r.kind),
        Fault::EmptyDefendant => f[2] = " ".into(),
        Fault::UnknownRegion => f[3] = "419999".into(),
        Fault::ShortRegion => f[3] = "41120".into(),
        Fault::UnreadableDate => f[4] = "去年".into(),
        Fault::ImpossibleDate => f[4] = "2023-02-29".into(),
        Fault::FutureDate => {
            f[0] = format!("（2025）豫1202行初{seq}号");
            f[4] = "2025-04-01".into();
            f[5] = String::new();
            f[6] = String::new();
        }
        Fault::OutcomeWithoutClosed => {
            f[5] = String::new();
            f[6] = "撤销".into();
        }
        Fault::ClosedWithoutOutcome => {
            f[5] = date_text(closed, 0);
            f[6] = String::new();
        }
        Fault::ClosedBeforeFiled => {
            f[5] = date_text(filed - Duration::days(1 + (r.form % 30) as i64), 0);
            f[6] = "撤销".into();
        }
        Fault::UnknownOutcome => {
            f[5] = date_text(closed, 0);
            f[6] = "胜诉".into();
        }
        Fault::BadBool => f[8] = "可能".into(),
        Fault::ExtraField => f.push("多余".into()),
    }
    f.join(",")
}

fn encode(text: &str, encoding: u8) -> Vec<u8> {
    match encoding % 3 {
        0 => text.as_bytes().to_vec(),
        1 => {
            let mut v = b"\xEF\xBB\xBF".to_vec();
            v.extend_from_slice(text.as_bytes());
            v
        }
        _ => encoding_rs::GBK.encode(text).0.into_owned(),
    }
}

fn read_rejects_file(dir: &Dir, rel: &str) -> Vec<csv::StringRecord> {
    let text = dir.read(&format!("warehouse/{rel}"));
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(text.trim_start_matches('\u{FEFF}').as_bytes());
    r.records().map(|x| x.unwrap()).collect()
}

fn metrics(dir: &Dir, period: &str, ytd: bool, level: &[&str]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut args = vec!["metrics", "--period", period, "--format", "csv"];
    if ytd {
        args.push("--ytd");
    }
    args.extend_from_slice(level);
    parse_csv(&dir.command(&args).stdout())
}

const METRIC_COLUMNS: [&str; 27] = [
    "period",
    "region_code",
    "region_name",
    "filed",
    "filed_prev",
    "filed_yoy",
    "concluded",
    "lost",
    "loss_rate",
    "judgment_loss_rate",
    "loss_rate_prev",
    "loss_rate_change_pp",
    "double_decline",
    "hearings",
    "appeared",
    "appearance_rate",
    "spoke_rate",
    "required_appearance_rate",
    "recon_received",
    "recon_concluded",
    "recon_corrected",
    "recon_correction_rate",
    "recon_sued_rate",
    "penalty_cases",
    "fines_yuan",
    "confiscated_yuan",
    "loss_rank",
];

const RATE_COLUMNS: [&str; 8] = [
    "loss_rate",
    "judgment_loss_rate",
    "loss_rate_prev",
    "appearance_rate",
    "spoke_rate",
    "required_appearance_rate",
    "recon_correction_rate",
    "recon_sued_rate",
];

#[derive(Debug, Clone)]
struct RecRow {
    region: &'static str,
    received: u32,
    closed: Option<u32>,
    decision: &'static str,
    sued: Option<bool>,
}

fn arb_rec() -> impl Strategy<Value = RecRow> {
    (
        proptest::sample::select(vec!["411200", "411202", "411203", "411282", "411282101"]),
        0u32..600,
        proptest::option::weighted(0.7, 0u32..200),
        proptest::sample::select(vec![
            "维持",
            "驳回",
            "撤销",
            "部分撤销",
            "变更",
            "确认违法",
            "责令履行",
            "调解",
            "和解",
            "终止",
            "驳回行政复议请求",
        ]),
        proptest::option::of(any::<bool>()),
    )
        .prop_map(|(region, received, closed, decision, sued)| RecRow { region, received, closed, decision, sued })
}

fn render_rec(r: &RecRow, seq: u32) -> String {
    let received = day(r.received);
    let closed = r.closed.map(|g| (received + Duration::days(g as i64)).format("%Y-%m-%d").to_string()).unwrap_or_default();
    let decision = if r.closed.is_some() { r.decision } else { "" };
    format!(
        "三政复〔2024〕{seq}号,三门峡市公安局,{},{},{closed},{decision},{}",
        r.region,
        received.format("%Y-%m-%d"),
        bool_text(r.sued, seq as u8)
    )
}

proptest! {
    #![proptest_config(config(12))]

    #[test]
    fn every_row_is_accepted_or_rejected_never_dropped(
        files in proptest::collection::vec((proptest::collection::vec(arb_row(6), 1..25), any::<u8>()), 1..4)
    ) {
        let dir = Dir::new();
        let mut names = Vec::new();
        let mut expected = Vec::new();
        for (fi, (rows, encoding)) in files.iter().enumerate() {
            let mut text = format!("{LIT}\n");
            let mut bad_lines = BTreeSet::new();
            for (ri, r) in rows.iter().enumerate() {
                text.push_str(&render(r, (fi * 100 + ri + 1) as u32));
                text.push('\n');
                if r.fault != Fault::None {
                    bad_lines.insert((ri + 2).to_string());
                }
            }
            let name = format!("ledger{fi}.csv");
            dir.create_bytes(&name, &encode(&text, *encoding));
            names.push(name);
            expected.push((rows.len() as u64, bad_lines));
        }
        let mut args = vec!["ingest"];
        args.extend(names.iter().map(String::as_str));
        dir.command(&args).stdout();
        let m = dir.manifest("warehouse");
        let recs = m["ingests"][0]["files"].as_array().unwrap();
        prop_assert_eq!(recs.len(), names.len());
        let mut total_accepted = 0;
        for ((f, name), (n, bad_lines)) in recs.iter().zip(&names).zip(&expected) {
            prop_assert!(f["path"].as_str().unwrap().ends_with(name.as_str()));
            let read = f["rows_read"].as_u64().unwrap();
            let accepted = f["rows_accepted"].as_u64().unwrap();
            let rejected = f["rows_rejected"].as_u64().unwrap();
            prop_assert_eq!(read, accepted + rejected, "conservation in {}", f);
            prop_assert_eq!(read, *n, "rows_read in {}", f);
            prop_assert_eq!(rejected, bad_lines.len() as u64, "rows_rejected in {}", f);
            total_accepted += accepted;
            let lines: BTreeSet<String> = match f["rejects_file"].as_str() {
                Some(rel) => {
                    let rows = read_rejects_file(&dir, rel);
                    prop_assert_eq!(rows.len() as u64, rejected, "rows in {}", rel);
                    rows.iter().map(|r| r[1].to_string()).collect()
                }
                None => BTreeSet::new(),
            };
            prop_assert_eq!(&lines, bad_lines, "rejected lines of {}", name);
        }
        // Every accepted row is in the warehouse (case numbers are unique).
        let (_, rows) = parse_csv(&dir.command(&["sql", "SELECT count(*) FROM litigation", "--format", "csv"]).stdout());
        prop_assert_eq!(rows[0][0].parse::<u64>().unwrap(), total_accepted);
    }
}

/// Every rate printed at three levels is empty or in [0, 1]. Returns how many rates were
/// non-empty, so that the test can require that the property was not checked on empty cells only.
fn rates_in_range(lit: Vec<LitRow>, rec: Vec<RecRow>, period: &str, ytd: bool) -> Result<usize, TestCaseError> {
    let mut rates_seen = 0;
    let dir = Dir::new();
    let lines: Vec<String> = lit.iter().enumerate().map(|(i, r)| render(r, i as u32 + 1)).collect();
    dir.create("lit.csv", &format!("{LIT}\n{}\n", lines.join("\n")));
    let mut files = vec!["lit.csv"];
    if !rec.is_empty() {
        let lines: Vec<String> = rec.iter().enumerate().map(|(i, r)| render_rec(r, i as u32 + 1)).collect();
        dir.create("rec.csv", &format!("复议案号,被申请人,区划代码,收案日期,结案日期,复议决定,复议后起诉\n{}\n", lines.join("\n")));
        files.push("rec.csv");
    }
    let mut args = vec!["ingest", "--strict"];
    args.extend(files);
    dir.command(&args).stdout();
    for level in
        [&["--level", "county", "--parent", "411200"][..], &["--level", "city"][..], &["--level", "township", "--parent", "411282"][..]]
    {
        let (header, rows) = metrics(&dir, period, ytd, level);
        prop_assert_eq!(&header, &METRIC_COLUMNS.map(String::from).to_vec());
        if level[1] != "township" {
            prop_assert!(!rows.is_empty());
        }
        for row in &rows {
            for c in RATE_COLUMNS {
                let i = header.iter().position(|h| h == c).unwrap();
                let v = &row[i];
                if v.is_empty() {
                    continue;
                }
                rates_seen += 1;
                let x: f64 = v.parse().map_err(|_| TestCaseError::fail(format!("{c} = {v:?} is not a plain decimal")))?;
                prop_assert!(
                    (0.0..=1.0).contains(&x),
                    "{} = {} for {} ({:?}, ytd {}) is outside [0, 1]; row: {:?}",
                    c,
                    v,
                    row[1],
                    period,
                    ytd,
                    row
                );
            }
        }
    }
    Ok(rates_seen)
}

#[test]
fn rates_are_empty_or_between_0_and_1() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let strategy = (
        proptest::collection::vec(arb_row(0), 1..60),
        proptest::collection::vec(arb_rec(), 0..30),
        proptest::sample::select(vec!["2024", "2023", "2024Q2", "2024H1", "2023H2", "2024M05", "2024Q4"]),
        any::<bool>(),
    );
    let (cases, with_rates) = (AtomicUsize::new(0), AtomicUsize::new(0));
    let mut runner = proptest::test_runner::TestRunner::new(config(12));
    let result = runner.run(&strategy, |(lit, rec, period, ytd)| {
        cases.fetch_add(1, Ordering::Relaxed);
        if rates_in_range(lit, rec, period, ytd)? > 0 {
            with_rates.fetch_add(1, Ordering::Relaxed);
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    // The property holds vacuously on a build that prints every rate empty: require rates.
    let (n, r) = (cases.load(Ordering::Relaxed), with_rates.load(Ordering::Relaxed));
    assert!(r * 2 >= n, "only {r} of {n} cases printed any rate: the range check ran on empty cells");
}

/// One county's first-instance cases concluded in 2024: (concluded, lost, pending, second-instance losses).
fn arb_county() -> impl Strategy<Value = (u32, u32, u32, u32)> {
    (0u32..5, 0u32..3, 0u32..2)
        .prop_flat_map(|(concluded, pending, appeals)| (Just(concluded), 0..=concluded, Just(pending), Just(appeals)))
}

proptest! {
    #![proptest_config(config(12))]

    #[test]
    fn loss_rank_ties_share_the_lowest_rank(counties in proptest::collection::vec(arb_county(), 6)) {
        let dir = Dir::new();
        let mut lines = Vec::new();
        let mut seq = 0;
        for (code, (concluded, lost, pending, appeals)) in SANMENXIA.iter().zip(&counties) {
            for i in 0..*concluded {
                seq += 1;
                let outcome = if i < *lost { ["撤销", "确认违法", "责令履行"][i as usize % 3] } else { ["驳回诉讼请求", "驳回起诉", "准予撤诉"][i as usize % 3] };
                lines.push(format!("（2024）豫1202行初{seq}号,,某局,{code},2024-01-1{},2024-0{}-15,{outcome},,,,,", i % 10, 2 + i % 7));
            }
            for _ in 0..*pending {
                seq += 1;
                lines.push(format!("（2024）豫1202行初{seq}号,,某局,{code},2024-03-01,,,,,,,"));
            }
            for _ in 0..*appeals {
                // Second instance: not counted by the litigation metrics.
                seq += 1;
                lines.push(format!("（2024）豫12行终{seq}号,,某局,{code},2024-03-01,2024-05-01,撤销,,,,,"));
            }
        }
        if lines.is_empty() {
            lines.push("（2023）豫1202行初1号,,某局,411202,2023-03-01,,,,,,,".to_string());
        }
        dir.create("lit.csv", &format!("{LIT}\n{}\n", lines.join("\n")));
        dir.command(&["ingest", "--strict", "lit.csv"]).stdout();
        let (h, rows) = metrics(&dir, "2024", false, &["--level", "county", "--parent", "411200"]);
        let col = |name: &str| h.iter().position(|x| x == name).unwrap();
        prop_assert_eq!(rows.len(), SANMENXIA.len());
        // (code, concluded, loss_rate, rank)
        let mut seen = Vec::new();
        for row in &rows {
            let code = row[col("region_code")].clone();
            let k = SANMENXIA.iter().position(|c| *c == code).expect("a Sanmenxia county");
            let (concluded, lost, _, _) = counties[k];
            prop_assert_eq!(row[col("concluded")].parse::<u32>().unwrap(), concluded, "concluded of {}", code);
            prop_assert_eq!(row[col("lost")].parse::<u32>().unwrap(), lost, "lost of {}", code);
            let rate = row[col("loss_rate")].clone();
            let rank = row[col("loss_rank")].clone();
            if concluded == 0 {
                prop_assert_eq!(&rate, "", "loss_rate of {} with nothing concluded", code);
                prop_assert_eq!(&rank, "", "{} has concluded = 0 and must have no rank", code);
            } else {
                let r: f64 = rate.parse().unwrap();
                prop_assert!((r - lost as f64 / concluded as f64).abs() < 1e-12);
                seen.push((code, r, rank.parse::<u32>().map_err(|_| TestCaseError::fail(format!("rank {rank:?} is not a number")))?));
            }
        }
        for (code, rate, rank) in &seen {
            let below = seen.iter().filter(|(_, r, _)| r < rate).count() as u32;
            prop_assert_eq!(*rank, below + 1, "{} (loss_rate {}) has rank {}; all: {:?}", code, rate, rank, seen);
        }
    }
}
