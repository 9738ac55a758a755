//! Administrative litigation (行政诉讼) ledgers: an xlsx for late 2022 and 2023, a GBK CSV for
//! 2024, and a BOM CSV of corrections.
use std::collections::HashMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::agency::{self, Court, Dept, Use};
use super::geo::Kind;
use super::sink::{BoolFmt, DateFmt, Enc, Layout, Sink, Src, Style, V};
use super::{Bad, BadPlan, Calendar, Ctx, Out, SampleFile, add_days, day_weight, future_typo, names, pick, pick_index, pick_region, ymd};

const CASE: usize = 0;
const COURT: usize = 1;
const DEF: usize = 2;
const REGION: usize = 3;
const DOMAIN: usize = 4;
const ACTION: usize = 5;
const FILED: usize = 6;
const CLOSED: usize = 7;
const OUTCOME: usize = 8;
const HEARING: usize = 9;
const APPEARED: usize = 10;
const SPOKE: usize = 11;
const REQUIRED: usize = 12;
const RECON: usize = 13;
const REASON: usize = 14;
const PLAINTIFF: usize = 15;
const N: usize = 16;

static XLSX_LAYOUT: Layout = &[
    ("序号", Src::Seq),
    ("案号", Src::F(CASE)),
    ("审理法院", Src::F(COURT)),
    ("原告", Src::F(PLAINTIFF)),
    ("被告", Src::F(DEF)),
    ("行政区划代码", Src::F(REGION)),
    ("管理领域", Src::F(DOMAIN)),
    ("被诉行为", Src::F(ACTION)),
    ("立案日期", Src::F(FILED)),
    ("开庭日期", Src::F(HEARING)),
    ("负责人出庭", Src::F(APPEARED)),
    ("负责人出声", Src::F(SPOKE)),
    ("应当出庭", Src::F(REQUIRED)),
    ("经复议", Src::F(RECON)),
    ("结案日期", Src::F(CLOSED)),
    ("裁判结果", Src::F(OUTCOME)),
    ("败诉原因", Src::F(REASON)),
    ("备注", Src::Remark),
];

static GBK_LAYOUT: Layout = &[
    ("序号", Src::Seq),
    ("案号", Src::F(CASE)),
    ("法院", Src::F(COURT)),
    ("原告", Src::F(PLAINTIFF)),
    ("被告行政机关", Src::F(DEF)),
    ("被告所属区划", Src::F(REGION)),
    ("行政管理领域", Src::F(DOMAIN)),
    ("行为类别", Src::F(ACTION)),
    // Headers as this office writes them: X时间 for X日期, 判决结果, 是否…出庭应诉.
    ("收案日期", Src::F(FILED)),
    ("结案时间", Src::F(CLOSED)),
    ("判决结果", Src::F(OUTCOME)),
    ("开庭时间", Src::F(HEARING)),
    ("负责人是否出庭应诉", Src::F(APPEARED)),
    ("出庭出声", Src::F(SPOKE)),
    ("通知出庭", Src::F(REQUIRED)),
    ("是否经复议", Src::F(RECON)),
    ("败诉原因", Src::F(REASON)),
    ("备注", Src::Remark),
];

static CORR_LAYOUT: Layout = &[
    ("案号", Src::F(CASE)),
    ("审理法院", Src::F(COURT)),
    ("被诉行政机关", Src::F(DEF)),
    ("区划代码", Src::F(REGION)),
    ("案件领域", Src::F(DOMAIN)),
    ("被诉行为", Src::F(ACTION)),
    ("立案日期", Src::F(FILED)),
    ("结案日期", Src::F(CLOSED)),
    ("裁判结果", Src::F(OUTCOME)),
    ("开庭日期", Src::F(HEARING)),
    ("负责人出庭", Src::F(APPEARED)),
    ("出庭出声", Src::F(SPOKE)),
    ("应当出庭", Src::F(REQUIRED)),
    ("经复议", Src::F(RECON)),
    ("败诉原因", Src::F(REASON)),
    ("原告", Src::F(PLAINTIFF)),
    ("更正说明", Src::Remark),
];

static XLSX_STYLE: Style = Style {
    dates: &[(DateFmt::Cell(0), 80), (DateFmt::Cell(2), 8), (DateFmt::Serial, 4), (DateFmt::Cn, 4), (DateFmt::Dot, 4)],
    bools: &[(BoolFmt::ShiFou, 80), (BoolFmt::Check, 20)],
    numeric_codes: 0.3,
};
static GBK_STYLE: Style = Style {
    dates: &[(DateFmt::Cn, 55), (DateFmt::Slash, 45)],
    bools: &[(BoolFmt::ShiFou, 50), (BoolFmt::Yn, 40), (BoolFmt::Check, 10)],
    numeric_codes: 0.0,
};
static CORR_STYLE: Style = Style { dates: &[(DateFmt::Iso, 1)], bools: &[(BoolFmt::OneZero, 1)], numeric_codes: 0.0 };

/// Bracket styles of case numbers.
#[derive(Debug, Clone, Copy)]
enum Br {
    Full,
    Half,
    Tortoise,
    Square,
    Spaced,
}

const XLSX_BR: &[(Br, u32)] = &[(Br::Full, 85), (Br::Half, 10), (Br::Tortoise, 5)];
const GBK_BR: &[(Br, u32)] = &[(Br::Full, 50), (Br::Half, 25), (Br::Tortoise, 12), (Br::Square, 5), (Br::Spaced, 8)];
const CORR_BR: &[(Br, u32)] = &[(Br::Full, 30), (Br::Half, 40), (Br::Tortoise, 20), (Br::Spaced, 10)];

const NOTES: &[&str] = &[
    "行政诉讼案件台账（2022年第四季度至2023年）",
    "行政区划代码填写被告行政机关所属区划代码，乡镇填写9位代码。",
    "结案日期为空表示尚未审结。",
];

const XLSX_BAD: &[Bad] = &[
    Bad::EmptyRequired,
    Bad::UnknownVocab,
    Bad::UnknownBool,
    Bad::ImpossibleDate,
    Bad::TooOld,
    Bad::Future,
    Bad::OutcomeNoClosed,
    Bad::ClosedNoOutcome,
    Bad::ClosedBeforeStart,
    Bad::UnparseableKey,
    Bad::UnknownRegion,
];
const CORR_BAD: &[Bad] = &[Bad::ClosedBeforeStart, Bad::UnparseableKey];

/// Share of concluded cases that an earlier ledger shows pending or wrongly closed and the
/// corrections file re-sends.
const CORRECTION_SHARE: f64 = 0.035;

const LOSS_MIX: &[(&str, u32)] =
    &[("撤销", 40), ("确认违法", 28), ("责令履行", 14), ("部分撤销", 6), ("赔偿", 5), ("给付", 3), ("变更", 2), ("确认无效", 2)];
const OTHER_MIX: &[(&str, u32)] =
    &[("驳回诉讼请求", 40), ("驳回起诉", 27), ("准予撤诉", 27), ("调解", 2), ("终结", 1), ("移送", 1), ("其他", 2)];
const LOSS: &[&str] = &["撤销", "部分撤销", "变更", "确认违法", "确认无效", "责令履行", "给付", "赔偿"];

const REMARKS: &[(&str, u32)] = &[
    ("已归档", 30),
    ("原告已上诉", 20),
    ("二审审理中", 10),
    ("已履行", 10),
    ("共同被告：人民政府", 10),
    ("发回重审", 5),
    ("调解后撤诉, 待归档", 5),
];
const CORR_REMARKS: &[(&str, u32)] = &[("补录结案信息", 50), ("更正结案日期及裁判结果", 30), ("结案方式更正", 20)];

#[derive(Debug, Clone)]
struct Case {
    /// Index of the defendant's city in `Geo::cities`.
    city: usize,
    year: i32,
    court: Court,
    typ: &'static str,
    seq: u32,
    plaintiff: String,
    defendant: String,
    region: String,
    /// The region as some clerks write it instead of the code: 三门峡市湖滨区, 灵宝市城关镇.
    region_name: String,
    domain: &'static str,
    action: &'static str,
    filed: NaiveDate,
    closed: Option<NaiveDate>,
    outcome: Option<&'static str>,
    hearing: Option<NaiveDate>,
    appeared: Option<bool>,
    spoke: Option<bool>,
    required: Option<bool>,
    reconsidered: Option<bool>,
    reason: Option<&'static str>,
    remark: &'static str,
}

pub(super) fn write(ctx: &Ctx, out: &Path, rng: &mut ChaCha8Rng) -> crate::Result<Vec<SampleFile>> {
    let start = ymd(2022, 10, 1);
    let split = ymd(2024, 1, 1);
    let target = super::litigation_target(ctx.scale);
    let cal = Calendar::new(start, ctx.end, |d| day_weight(d) * if d.year() >= 2024 { 0.96 } else { 1.0 });
    let exp0 = cal.expected(start, split, target);
    let exp1 = cal.expected(split, ymd(2100, 1, 1), target);
    let sink0 = Out::ledger(out, "litigation_2022Q4_2023", "行政诉讼台账", NOTES, exp0)?;
    let plan0 = BadPlan::new(XLSX_BAD, 2, exp0, rng);
    let plan1 = BadPlan::new(XLSX_BAD, 2, exp1, rng);
    let plan2 = BadPlan::new(CORR_BAD, 1, (exp0 + exp1) * CORRECTION_SHARE * 0.8, rng);
    let mut outs = [
        Out::new(sink0, XLSX_LAYOUT, &XLSX_STYLE, "litigation", plan0)?,
        Out::new(Sink::csv(out.join("litigation_2024.csv"), Enc::Gbk)?, GBK_LAYOUT, &GBK_STYLE, "litigation", plan1)?,
        Out::new(Sink::csv(out.join("litigation_corrections_2024.csv"), Enc::Utf8Bom)?, CORR_LAYOUT, &CORR_STYLE, "litigation", plan2)?,
    ];
    let brackets = [XLSX_BR, GBK_BR, CORR_BR];
    let weights =
        [ctx.geo.city_weights(2022, 0.158, true), ctx.geo.city_weights(2023, 0.158, true), ctx.geo.city_weights(2024, 0.142, true)];
    let mut seqs: HashMap<(String, i32, &'static str), u32> = HashMap::new();
    // First-instance judgments an appeal may review (the `appeals` view pairs them back).
    let mut appealable: std::collections::VecDeque<Case> = std::collections::VecDeque::new();

    for (day, n) in cal.counts(target, rng) {
        let fi = usize::from(day >= split);
        for _ in 0..n {
            let mut case = gen_case(ctx, day, &weights, &mut seqs, rng);
            if case.typ == "行终" {
                appeal_of(ctx, &mut case, &mut appealable, &mut seqs, rng);
            } else if case.typ == "行初" && case.outcome.is_some_and(|o| o == "驳回诉讼请求" || LOSS.contains(&o)) {
                appealable.push_back(case.clone());
                if appealable.len() > 300 {
                    appealable.pop_front();
                }
            }
            if let Some(kind) = outs[fi].due() {
                write_bad(&mut outs[fi], case, kind, brackets[fi], ctx, rng)?;
                continue;
            }
            if case.closed.is_some() && rng.random_bool(CORRECTION_SHARE) {
                let before = earlier_state(&case, rng);
                let f = fields(&before, brackets[fi], rng);
                outs[fi].write(&f, before.remark, false, rng)?;
                let remark = pick(rng, CORR_REMARKS);
                if let Some(kind) = outs[2].due() {
                    write_bad_with(&mut outs[2], case, kind, CORR_BR, remark, ctx, rng)?;
                } else {
                    let f = fields(&case, CORR_BR, rng);
                    outs[2].write(&f, remark, false, rng)?;
                }
            } else {
                let f = fields(&case, brackets[fi], rng);
                outs[fi].write(&f, case.remark, false, rng)?;
            }
        }
    }
    // Bad rows whose position was not reached: fresh cases on the file's last day.
    let last = [ctx.end.min(ymd(2023, 12, 31)), ctx.end, ctx.end];
    for (fi, o) in outs.iter_mut().enumerate() {
        while let Some(kind) = o.plan.leftover() {
            let case = gen_case(ctx, last[fi], &weights, &mut seqs, rng);
            write_bad(o, case, kind, brackets[fi], ctx, rng)?;
        }
    }
    outs.into_iter().map(Out::finish).collect()
}

/// Most appeals (行终) review a first-instance judgment already in the ledgers: same parties,
/// the court above the first-instance court, filed after the judgment.
fn appeal_of(
    ctx: &Ctx,
    case: &mut Case,
    appealable: &mut std::collections::VecDeque<Case>,
    seqs: &mut HashMap<(String, i32, &'static str), u32>,
    rng: &mut ChaCha8Rng,
) {
    if !rng.random_bool(0.7) {
        return;
    }
    let Some(i) = appealable.iter().rposition(|f| f.closed.is_some_and(|c| c < case.filed)) else { return };
    let Some(first) = appealable.remove(i) else { return };
    // An intermediate court's first instance (豫12) is appealed to the high court.
    let court =
        if first.court.code.chars().count() <= 3 { agency::high_court(ctx.geo) } else { agency::intermediate_court(ctx.geo, first.city) };
    let seq = seqs.entry((court.code.clone(), case.year, case.typ)).or_insert(0);
    *seq += 1 + rng.random_range(0..3u32);
    case.seq = *seq;
    case.court = court;
    case.city = first.city;
    case.plaintiff = first.plaintiff;
    case.defendant = first.defendant;
    case.region = first.region;
    case.region_name = first.region_name;
    case.domain = first.domain;
    case.action = first.action;
}

fn year_index(y: i32) -> usize {
    (y.clamp(2022, 2024) - 2022) as usize
}

fn gen_case(
    ctx: &Ctx,
    day: NaiveDate,
    weights: &[Vec<f64>; 3],
    seqs: &mut HashMap<(String, i32, &'static str), u32>,
    rng: &mut ChaCha8Rng,
) -> Case {
    let geo = ctx.geo;
    let year = day.year();
    let ci = pick_index(rng, &weights[year_index(year)]);
    let city = &geo.cities[ci];
    let r = pick_region(geo, ci, 0.30, 0.06, rng);
    let kind = geo.regions[r].kind;
    let dept = if matches!(kind, Kind::Town | Kind::Street) { Dept::Gov } else { agency::pick_dept(rng, kind, Use::Lit).dept };
    let defendant = agency::agency_name(geo, r, dept);
    let domain = agency::case_domain(rng, dept, kind);
    let action = agency::action_for(rng, domain);
    let typ = pick(rng, &[("行初", 830), ("行赔初", 40), ("行终", 100), ("行申", 30)]);
    let action = if typ == "行赔初" { "行政赔偿" } else { action };

    // 县级以上人民政府 as defendant: the intermediate court hears the first instance.
    let gov_defendant = dept == Dept::Gov && matches!(kind, Kind::City | Kind::District | Kind::County | Kind::Zone);
    let court = match typ {
        "行初" | "行赔初" if gov_defendant => agency::intermediate_court(geo, ci),
        "行初" | "行赔初" => agency::first_instance_basic(geo, r, rng),
        "行终" if gov_defendant => agency::high_court(geo),
        "行终" => agency::intermediate_court(geo, ci),
        _ if gov_defendant || rng.random_bool(0.6) => agency::high_court(geo),
        _ => agency::intermediate_court(geo, ci),
    };
    let seq = seqs.entry((court.code.clone(), year, typ)).or_insert(0);
    *seq += 1 + rng.random_range(0..3u32);
    let seq = *seq;

    let late = usize::from(year >= 2024);
    let domain_factor = match domain {
        "征收拆迁" => 1.6,
        "信息公开" => 1.2,
        "公安" => 0.7,
        _ => 1.0,
    };
    let p_loss = (city.loss[late] * domain_factor).min(0.6);
    let outcome: &'static str = match typ {
        "行终" => pick(
            rng,
            &[
                ("驳回上诉维持原判", 62),
                ("改判", 7),
                ("发回重审", 5),
                ("准予撤回上诉", 10),
                ("维持原裁定", 8),
                ("驳回起诉", 6),
                ("其他", 2),
            ],
        ),
        "行申" => pick(rng, &[("驳回再审申请", 82), ("指令再审", 5), ("提审", 3), ("准予撤诉", 5), ("其他", 5)]),
        "行赔初" if rng.random_bool((p_loss * 1.2).min(0.6)) => pick(rng, &[("赔偿", 85), ("给付", 15)]),
        "行赔初" => pick(rng, &[("驳回诉讼请求", 45), ("准予撤诉", 25), ("驳回起诉", 15), ("调解", 15)]),
        _ if rng.random_bool(p_loss) => pick(rng, LOSS_MIX),
        _ => pick(rng, OTHER_MIX),
    };
    let dur: i64 = match (typ, outcome) {
        (_, "准予撤诉") => rng.random_range(20..120),
        (_, "驳回起诉") => rng.random_range(30..150),
        ("行申", _) => rng.random_range(30..120),
        ("行终", _) => rng.random_range(45..150),
        _ => rng.random_range(60..240),
    };
    let stuck = rng.random_bool(0.02);
    let closed_day = add_days(day, dur);
    let (closed, outcome) = if stuck || closed_day > ctx.end { (None, None) } else { (Some(closed_day), Some(outcome)) };

    let judgment = outcome.is_some_and(|o| o == "驳回诉讼请求" || LOSS.contains(&o));
    let p_hearing = match outcome {
        _ if typ == "行申" => 0.03,
        None => 0.5,
        Some(_) if judgment => 0.92,
        Some("驳回起诉") => 0.35,
        Some("准予撤诉") => 0.2,
        Some(_) => 0.4,
    };
    let hearing = if rng.random_bool(p_hearing) {
        let lo = 20;
        let hi = match closed {
            Some(c) => (c - day).num_days() - 3,
            None => (ctx.end - day).num_days(),
        }
        .min(lo + 150);
        (hi > lo).then(|| add_days(day, rng.random_range(lo..=hi)))
    } else {
        None
    };
    let (required, appeared, spoke) = if hearing.is_some() {
        let required = if rng.random_bool(0.1) { None } else { Some(rng.random_bool(0.35)) };
        let p = if required == Some(true) { (city.appear[late] + 0.06).min(0.995) } else { city.appear[late] };
        let appeared = if rng.random_bool(0.04) { None } else { Some(rng.random_bool(p)) };
        let spoke = match appeared {
            Some(true) if rng.random_bool(0.05) => None,
            Some(true) => Some(rng.random_bool(city.spoke)),
            Some(false) if rng.random_bool(0.5) => Some(false),
            _ => None,
        };
        (required, appeared, spoke)
    } else {
        (None, if rng.random_bool(0.3) { Some(false) } else { None }, None)
    };
    let reconsidered = match rng.random_range(0..100) {
        0..15 => None,
        15..40 => Some(true),
        _ => Some(false),
    };
    let reason = match outcome {
        Some(o) if LOSS.contains(&o) && rng.random_bool(0.9) => Some(loss_reason(rng, o, action)),
        _ => None,
    };
    let p_person = if matches!(domain, "市场监管" | "税务" | "自然资源") { 0.65 } else { 0.85 };
    let plaintiff = names::party(rng, &agency::place_word(geo, r), p_person);
    let own_court = geo.regions[geo.county_of(r)].code.get(2..6).is_some_and(|d| court.code.ends_with(d));
    let remark = if typ == "行初" && !gov_defendant && !own_court && rng.random_bool(0.3) {
        "异地管辖"
    } else if rng.random_bool(0.1) {
        pick(rng, REMARKS)
    } else {
        ""
    };
    Case {
        city: ci,
        year,
        court,
        typ,
        seq,
        plaintiff,
        defendant,
        region: geo.regions[r].code.clone(),
        region_name: match geo.regions[r].parent {
            Some(p) => format!("{}{}", geo.regions[p].name, geo.regions[r].name),
            None => geo.regions[r].name.clone(),
        },
        domain,
        action,
        filed: day,
        closed,
        outcome,
        hearing,
        appeared,
        spoke,
        required,
        reconsidered,
        reason,
        remark,
    }
}

fn loss_reason(rng: &mut ChaCha8Rng, outcome: &str, action: &str) -> &'static str {
    if outcome == "责令履行" || action == "不履行法定职责" {
        return "不履行法定职责";
    }
    pick(rng, &[("程序违法", 40), ("事实不清证据不足", 30), ("适用法律错误", 15), ("超越职权", 5), ("明显不当", 5), ("滥用职权", 2)])
}

fn case_no(c: &Case, br: Br) -> String {
    let (y, court, t, n) = (c.year, &c.court.code, c.typ, c.seq);
    match br {
        Br::Full => format!("（{y}）{court}{t}{n}号"),
        Br::Half => format!("({y}){court}{t}{n}号"),
        Br::Tortoise => format!("〔{y}〕{court}{t}{n}号"),
        Br::Square => format!("[{y}]{court}{t}{n}号"),
        Br::Spaced => format!("（{y}） {court}{t} {n} 号"),
    }
}

/// An outcome spelled as ledgers spell it: the value, 判决 + value, or the sentence of the
/// judgment (判决撤销被诉行政行为并责令重作, 确认违法但不撤销, 驳回上诉，维持原判 …).
fn outcome_text(rng: &mut ChaCha8Rng, o: &str) -> String {
    let sentences: &[&str] = match o {
        "撤销" => &["判决撤销被诉行政行为并责令重作", "撤销被诉具体行政行为", "判决撤销被告作出的行政处罚决定"],
        "确认违法" => &["确认违法但不撤销", "判决确认被诉行为违法", "判决确认违法，保留其效力"],
        "责令履行" => &["判决责令被告履行法定职责", "责令被告在六十日内履行职责"],
        "赔偿" => &["判决被告赔偿原告经济损失"],
        "部分撤销" => &["撤销被诉处罚决定中罚款部分"],
        "给付" => &["判决被告支付原告最低生活保障金"],
        "驳回诉讼请求" => &["判决驳回原告的诉讼请求", "驳回原告全部诉讼请求"],
        "准予撤诉" => &["裁定准许原告撤回起诉"],
        _ => &[],
    };
    if !sentences.is_empty() && rng.random_bool(0.25) {
        return sentences[rng.random_range(0..sentences.len())].to_string();
    }
    let forms: &[&str] = match o {
        "驳回诉讼请求" => &["驳回诉讼请求", "判决驳回原告诉讼请求", "判决驳回诉讼请求", "驳回原告诉讼请求"],
        "驳回起诉" => &["驳回起诉", "裁定驳回起诉", "裁定驳回原告起诉"],
        "准予撤诉" => &["准予撤诉", "撤诉", "裁定准予撤诉", "按撤诉处理"],
        "移送" => &["移送", "裁定移送"],
        "终结" => &["终结", "裁定终结"],
        "驳回上诉维持原判" => &["驳回上诉，维持原判", "判决驳回上诉，维持原判", "驳回上诉维持原判"],
        "维持原裁定" => &["驳回上诉，维持原裁定", "裁定驳回上诉，维持原裁定"],
        "改判" => &["改判", "撤销一审判决，改判撤销被诉行政行为", "部分改判"],
        "发回重审" => &["撤销原判，发回重审", "发回重审"],
        "准予撤回上诉" => &["准许上诉人撤回上诉", "准予撤回上诉"],
        "驳回再审申请" => &["驳回再审申请", "裁定驳回再审申请"],
        "指令再审" => &["指令再审"],
        "提审" => &["提审", "本案由本院提审"],
        "调解" | "其他" => return o.to_string(),
        _ => {
            return if rng.random_bool(0.5) { format!("判决{o}") } else { o.to_string() };
        }
    };
    forms[rng.random_range(0..forms.len())].to_string()
}

/// Yes/no as clerks fill in the appearance column: 是（副局长）, 正职出庭, 未出庭,
/// 否（委托代理人出庭）….
fn appearance_text(rng: &mut ChaCha8Rng, appeared: bool) -> V {
    let forms: &[&str] = if appeared {
        &["是（副局长）", "已出庭", "正职出庭", "副职出庭", "出庭", "有"]
    } else {
        &["未出庭", "否（委托代理人出庭）", "委托律师出庭", "委托代理人", "无"]
    };
    V::text(forms[rng.random_range(0..forms.len())])
}

fn fields(c: &Case, br: &[(Br, u32)], rng: &mut ChaCha8Rng) -> Vec<V> {
    let mut f = vec![V::Empty; N];
    let no = case_no(c, pick(rng, br));
    // A few clerks type 第 before the number (行初第16号): the same case.
    f[CASE] =
        V::Text(if rng.random_bool(0.03) { no.replacen(&format!("{}{}", c.typ, c.seq), &format!("{}第{}", c.typ, c.seq), 1) } else { no });
    f[COURT] = V::text(c.court.name.as_str());
    f[DEF] = V::text(c.defendant.as_str());
    // Sanmenxia's counties write some regions by name, some by the 12-digit statistical code.
    f[REGION] = match rng.random_range(0..100) {
        0..15 if c.region.starts_with("4112") => V::text(c.region_name.as_str()),
        15..20 => V::Code(format!("{:0<12}", c.region)),
        _ => V::Code(c.region.clone()),
    };
    f[DOMAIN] = V::text(c.domain);
    f[ACTION] = V::text(c.action);
    f[FILED] = V::Date(c.filed);
    f[CLOSED] = V::opt_date(c.closed);
    f[OUTCOME] = c.outcome.map_or(V::Empty, |o| V::Text(outcome_text(rng, o)));
    f[HEARING] = V::opt_date(c.hearing);
    f[APPEARED] = match c.appeared {
        Some(a) if rng.random_bool(0.3) => appearance_text(rng, a),
        other => V::opt_bool(other),
    };
    f[SPOKE] = match c.spoke {
        Some(s) if rng.random_bool(0.15) => V::text(if s { "已出声" } else { "未出声" }),
        other => V::opt_bool(other),
    };
    f[REQUIRED] = V::opt_bool(c.required);
    f[RECON] = V::opt_bool(c.reconsidered);
    f[REASON] = c.reason.map_or(V::Empty, V::text);
    f[PLAINTIFF] = V::text(c.plaintiff.as_str());
    f
}

/// How an earlier ledger showed a case that the corrections file re-sends: still pending, or
/// closed a little earlier with another outcome (an entry error).
fn earlier_state(c: &Case, rng: &mut ChaCha8Rng) -> Case {
    let mut b = c.clone();
    let (Some(closed), Some(outcome)) = (c.closed, c.outcome) else { return b };
    if rng.random_bool(0.7) {
        b.closed = None;
        b.outcome = None;
        b.reason = None;
    } else {
        b.closed = Some(add_days(closed, -rng.random_range(5..40)).max(c.filed));
        b.outcome = Some(if LOSS.contains(&outcome) {
            "驳回诉讼请求"
        } else if outcome == "驳回诉讼请求" {
            "确认违法"
        } else if outcome == "准予撤诉" {
            "驳回起诉"
        } else {
            "准予撤诉"
        });
        b.reason = (b.outcome == Some("确认违法")).then_some("程序违法");
    }
    b
}

fn write_bad(o: &mut Out, case: Case, kind: Bad, br: &[(Br, u32)], ctx: &Ctx, rng: &mut ChaCha8Rng) -> crate::Result<()> {
    let remark = case.remark;
    write_bad_with(o, case, kind, br, remark, ctx, rng)
}

fn write_bad_with(
    o: &mut Out,
    mut case: Case,
    kind: Bad,
    br: &[(Br, u32)],
    remark: &str,
    ctx: &Ctx,
    rng: &mut ChaCha8Rng,
) -> crate::Result<()> {
    // Bad rows start from a concluded case so that each damage is the row's only fault.
    if case.closed.is_none() {
        case.closed = Some(add_days(case.filed, 60).min(ctx.end).max(case.filed));
        case.outcome = Some("驳回起诉");
        case.reason = None;
        case.hearing = None;
    }
    let mut f = fields(&case, br, rng);
    match kind {
        Bad::EmptyRequired => f[pick(rng, &[(CASE, 1), (DEF, 2), (REGION, 1), (FILED, 1)])] = V::Empty,
        Bad::UnknownVocab => f[OUTCOME] = V::text(pick(rng, &[("待定", 1), ("胜诉", 1)])),
        Bad::UnknownBool => f[APPEARED] = V::text("可能"),
        Bad::ImpossibleDate => {
            f[FILED] = V::BadDate(2023, 2, 29);
            f[HEARING] = V::Empty;
        }
        Bad::TooOld => {
            f[FILED] = V::Date(pick(rng, &[(ymd(1990, 9, 30), 1), (ymd(1989, 6, 12), 1)]));
        }
        Bad::Future => f[CLOSED] = V::Date(future_typo(ctx.today, rng)),
        Bad::OutcomeNoClosed => f[CLOSED] = V::Empty,
        Bad::ClosedNoOutcome => {
            f[OUTCOME] = V::Empty;
            f[REASON] = V::Empty;
        }
        Bad::ClosedBeforeStart => {
            f[CLOSED] = V::Date(add_days(case.filed, -rng.random_range(5..60)));
            f[HEARING] = V::Empty;
        }
        Bad::UnparseableKey => {
            let (y, court, t, n) = (case.year, &case.court.code, case.typ, case.seq);
            f[CASE] = V::Text(if rng.random_bool(0.5) { format!("{y}{court}{t}{n}号") } else { format!("（{y}）{court}{t}{n}") });
        }
        Bad::UnknownRegion => f[REGION] = V::Code("419999".to_string()),
        Bad::NegativeAmount => {}
    }
    o.write(&f, remark, true, rng)
}
