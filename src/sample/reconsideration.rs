//! Administrative reconsideration (行政复议) ledger: one xlsx for 2023 and 2024.
use std::collections::HashMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::agency::{self, Dept, Use};
use super::geo::Kind;
use super::sink::{BoolFmt, DateFmt, Layout, Src, Style, V};
use super::{Bad, BadPlan, Calendar, Ctx, Out, SampleFile, add_days, day_weight, future_typo, names, pick, pick_index, pick_region, ymd};

const CASE: usize = 0;
const ORGAN: usize = 1;
const RESP: usize = 2;
const REGION: usize = 3;
const DOMAIN: usize = 4;
const RECEIVED: usize = 5;
const CLOSED: usize = 6;
const DECISION: usize = 7;
const SUED: usize = 8;
const APPLICANT: usize = 9;
const N: usize = 10;

static LAYOUT: Layout = &[
    ("序号", Src::Seq),
    ("复议案号", Src::F(CASE)),
    ("复议机关", Src::F(ORGAN)),
    ("申请人", Src::F(APPLICANT)),
    ("被申请人", Src::F(RESP)),
    ("行政区划代码", Src::F(REGION)),
    ("管理领域", Src::F(DOMAIN)),
    ("申请日期", Src::F(RECEIVED)),
    ("结案日期", Src::F(CLOSED)),
    ("复议决定", Src::F(DECISION)),
    ("复议后起诉", Src::F(SUED)),
    ("备注", Src::Remark),
];

static STYLE: Style = Style {
    dates: &[(DateFmt::Cell(0), 70), (DateFmt::Cell(1), 15), (DateFmt::Iso, 10), (DateFmt::Serial, 5)],
    bools: &[(BoolFmt::ShiFou, 1)],
    numeric_codes: 0.5,
};

const NOTES: &[&str] = &[
    "行政复议案件台账（2023—2024年）",
    "2024年1月1日起施行修订后的《中华人民共和国行政复议法》，复议机关为县级以上地方人民政府。",
    "行政区划代码填写被申请人所属区划代码。",
];

const BADS: &[Bad] = &[
    Bad::EmptyRequired,
    Bad::UnknownVocab,
    Bad::UnknownBool,
    Bad::ImpossibleDate,
    Bad::TooOld,
    Bad::Future,
    Bad::OutcomeNoClosed,
    Bad::ClosedNoOutcome,
    Bad::ClosedBeforeStart,
    Bad::UnknownRegion,
];

const CORRECTED: &[(&str, u32)] = &[("撤销", 42), ("确认违法", 26), ("责令履行", 16), ("变更", 8), ("部分撤销", 6), ("确认无效", 2)];
const REMARKS: &[(&str, u32)] = &[("已送达", 40), ("听证审理", 15), ("申请人已起诉", 15), ("调解结案", 10), ("延期审理", 20)];

struct Case {
    no: String,
    organ: String,
    respondent: String,
    region: String,
    domain: &'static str,
    received: NaiveDate,
    closed: Option<NaiveDate>,
    decision: Option<&'static str>,
    sued: Option<bool>,
    applicant: String,
    remark: &'static str,
}

pub(super) fn write(ctx: &Ctx, out: &Path, rng: &mut ChaCha8Rng) -> crate::Result<SampleFile> {
    let start = ymd(2023, 1, 1);
    let target = super::reconsideration_target(ctx.scale);
    let cal = Calendar::new(start, ctx.end, day_weight);
    let expected = cal.expected(start, ymd(2100, 1, 1), target);
    let sink = Out::ledger(out, "reconsideration_2023_2024", "2023年", NOTES, expected)?;
    let plan = BadPlan::new(BADS, 2, expected, rng);
    let mut o = Out::new(sink, LAYOUT, &STYLE, "reconsideration", plan)?;
    let weights = [ctx.geo.city_weights(2023, 0.15, false), ctx.geo.city_weights(2024, 0.15, false)];
    let mut seqs: HashMap<(String, i32), u32> = HashMap::new();
    // The workbook keeps one sheet per year, each closed by a 合计 row.
    let (mut sheet_year, mut sheet_start) = (start.year(), 0);
    for (day, n) in cal.counts(target, rng) {
        if day.year() != sheet_year {
            o.total_row(o.rows - sheet_start)?;
            o.start_sheet(&format!("{}年", day.year()))?;
            (sheet_year, sheet_start) = (day.year(), o.rows);
        }
        for _ in 0..n {
            let case = gen_case(ctx, day, &weights, &mut seqs, rng);
            match o.due() {
                Some(kind) => write_bad(&mut o, case, kind, ctx, rng)?,
                None => {
                    let f = fields(&case, rng);
                    o.write(&f, case.remark, false, rng)?;
                }
            }
        }
    }
    while let Some(kind) = o.plan.leftover() {
        let case = gen_case(ctx, ctx.end, &weights, &mut seqs, rng);
        write_bad(&mut o, case, kind, ctx, rng)?;
    }
    o.total_row(o.rows - sheet_start)?;
    o.finish()
}

fn gen_case(ctx: &Ctx, day: NaiveDate, weights: &[Vec<f64>; 2], seqs: &mut HashMap<(String, i32), u32>, rng: &mut ChaCha8Rng) -> Case {
    let geo = ctx.geo;
    let year = day.year();
    let ci = pick_index(rng, &weights[usize::from(year >= 2024)]);
    let city = &geo.cities[ci];
    let city_r = city.region;
    let r = pick_region(geo, ci, 0.30, 0.06, rng);
    let kind = geo.regions[r].kind;
    let dept = if matches!(kind, Kind::Town | Kind::Street) { Dept::Gov } else { agency::pick_dept(rng, kind, Use::Rec).dept };
    let respondent = agency::agency_name(geo, r, dept);
    let domain = agency::case_domain(rng, dept, kind);

    // The reconsideration organ and the prefix of its case numbers (三政复, 灵政复, 三市监复).
    let info = agency::info(dept);
    let (organ, prefix) = match (kind, dept) {
        (Kind::Town | Kind::Street, _) => {
            let county = geo.county_of(r);
            (agency::government(geo, county), format!("{}政复", agency::region_abbr(geo, county)))
        }
        (Kind::City, Dept::Gov) => (format!("{}人民政府", geo.province_name), "豫政复".to_string()),
        (Kind::City, Dept::Tax) => (format!("国家税务总局{}税务局", geo.province_name), "豫税复".to_string()),
        (_, Dept::Tax) => (agency::agency_name(geo, city_r, Dept::Tax), format!("{}税复", agency::region_abbr(geo, city_r))),
        (Kind::City, _) | (Kind::Zone, _) | (_, Dept::Gov) => {
            (agency::government(geo, city_r), format!("{}政复", agency::region_abbr(geo, city_r)))
        }
        // Before the 2024 reform a department's case could go to the department one level up.
        _ if year < 2024 && rng.random_bool(0.3) => (
            agency::agency_name(geo, city_r, dept),
            format!("{}{}复", agency::region_abbr(geo, city_r), info.abbr.trim_end_matches("（治）决字")),
        ),
        _ => (agency::government(geo, r), format!("{}政复", agency::region_abbr(geo, r))),
    };
    let seq = seqs.entry((prefix.clone(), year)).or_insert(0);
    *seq += 1 + rng.random_range(0..2u32);
    let no = format!("{prefix}〔{year}〕{seq}号");

    let decision: &'static str = if rng.random_bool(0.2) {
        pick(rng, &[("调解", 6), ("和解", 4), ("终止", 10)])
    } else if rng.random_bool(city.correct) {
        pick(rng, CORRECTED)
    } else {
        pick(rng, &[("维持", 59), ("驳回", 41)])
    };
    let dur: i64 = match decision {
        "终止" => rng.random_range(10..60),
        "调解" | "和解" => rng.random_range(20..80),
        _ if rng.random_bool(0.1) => rng.random_range(90..120),
        _ => rng.random_range(30..90),
    };
    let closed_day = add_days(day, dur);
    let stuck = rng.random_bool(0.01);
    let (closed, decision) = if stuck || closed_day > ctx.end { (None, None) } else { (Some(closed_day), Some(decision)) };
    let sued = match decision {
        _ if rng.random_bool(0.12) => None,
        None => None,
        Some("调解" | "和解") => Some(rng.random_bool(0.02)),
        Some("终止") => Some(rng.random_bool(0.15)),
        Some(d) if CORRECTED.iter().any(|(c, _)| *c == d) => Some(rng.random_bool(0.08)),
        Some(_) => Some(rng.random_bool(0.25)),
    };
    let applicant = names::party(rng, &agency::place_word(geo, r), 0.85);
    let remark = if rng.random_bool(0.12) { pick(rng, REMARKS) } else { "" };
    Case { no, organ, respondent, region: geo.regions[r].code.clone(), domain, received: day, closed, decision, sued, applicant, remark }
}

/// A decision as ledgers write it: the value, 决定 + value, or the sentence of the decision
/// (决定撤销被申请人作出的行政处罚决定 …), about a third of corrections in sentences.
fn decision_text(rng: &mut ChaCha8Rng, d: &str) -> String {
    let sentences: &[&str] = match d {
        "撤销" => &["决定撤销被申请人作出的行政处罚决定", "撤销原行政行为，责令被申请人重新作出", "撤销该具体行政行为"],
        "确认违法" => &["确认该行政行为违法", "确认被申请人作出的具体行政行为违法"],
        "责令履行" => &["责令被申请人在30日内履行", "责令被申请人履行法定职责"],
        "变更" => &["决定变更被申请人作出的行政处罚决定", "变更罚款数额"],
        "部分撤销" => &["撤销行政处罚决定中的罚款部分"],
        "终止" => &["申请人撤回行政复议申请，终止审理", "准予撤回申请", "终止行政复议"],
        "维持" => &["维持被申请人作出的具体行政行为"],
        _ => &[],
    };
    if !sentences.is_empty() && rng.random_bool(0.3) {
        return sentences[rng.random_range(0..sentences.len())].to_string();
    }
    match d {
        "维持" => pick(rng, &[("维持", 3), ("决定维持", 1)]).to_string(),
        "驳回" => pick(rng, &[("驳回", 1), ("驳回行政复议请求", 3), ("驳回复议请求", 2), ("决定驳回行政复议请求", 1)]).to_string(),
        "调解" | "和解" | "终止" => d.to_string(),
        _ if rng.random_bool(0.4) => format!("决定{d}"),
        _ => d.to_string(),
    }
}

fn fields(c: &Case, rng: &mut ChaCha8Rng) -> Vec<V> {
    let mut f = vec![V::Empty; N];
    f[CASE] = V::text(c.no.as_str());
    f[ORGAN] = V::text(c.organ.as_str());
    f[RESP] = V::text(c.respondent.as_str());
    // Some clerks copy the 12-digit statistical code (统计用区划代码).
    f[REGION] = if rng.random_bool(0.05) { V::Code(format!("{:0<12}", c.region)) } else { V::Code(c.region.clone()) };
    f[DOMAIN] = V::text(c.domain);
    f[RECEIVED] = V::Date(c.received);
    f[CLOSED] = V::opt_date(c.closed);
    f[DECISION] = c.decision.map_or(V::Empty, |d| V::Text(decision_text(rng, d)));
    f[SUED] = V::opt_bool(c.sued);
    f[APPLICANT] = V::text(c.applicant.as_str());
    f
}

fn write_bad(o: &mut Out, mut c: Case, kind: Bad, ctx: &Ctx, rng: &mut ChaCha8Rng) -> crate::Result<()> {
    if c.closed.is_none() {
        c.closed = Some(add_days(c.received, 45).min(ctx.end).max(c.received));
        c.decision = Some("维持");
    }
    let mut f = fields(&c, rng);
    match kind {
        Bad::EmptyRequired => f[pick(rng, &[(CASE, 1), (RESP, 2), (REGION, 1), (RECEIVED, 1)])] = V::Empty,
        Bad::UnknownVocab => f[DECISION] = V::text(pick(rng, &[("不详", 1), ("待定", 1)])),
        Bad::UnknownBool => f[SUED] = V::text("可能"),
        Bad::ImpossibleDate => f[RECEIVED] = V::BadDate(2023, 2, 29),
        Bad::TooOld => f[RECEIVED] = V::Date(pick(rng, &[(ymd(1990, 9, 30), 1), (ymd(1988, 3, 15), 1)])),
        Bad::Future => f[CLOSED] = V::Date(future_typo(ctx.today, rng)),
        Bad::OutcomeNoClosed => f[CLOSED] = V::Empty,
        Bad::ClosedNoOutcome => f[DECISION] = V::Empty,
        Bad::ClosedBeforeStart => f[CLOSED] = V::Date(add_days(c.received, -rng.random_range(3..40))),
        Bad::UnknownRegion => f[REGION] = V::Code("419999".to_string()),
        Bad::UnparseableKey | Bad::NegativeAmount => {}
    }
    o.write(&f, c.remark, true, rng)
}
