//! Administrative penalty (行政处罚) ledgers: `penalty_2023.csv` (amounts in 元) and
//! `penalty_2024.csv` (amounts in 万元), streamed row by row.
use std::collections::HashMap;
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::agency::{self, Dept, Use};
use super::sink::{BoolFmt, DateFmt, Enc, Layout, Sink, Src, Style, V};
use super::{Bad, BadPlan, Calendar, Ctx, Out, SampleFile, day_weight, future_typo, names, pick, pick_index, pick_region, ymd};

const NO: usize = 0;
const AGENCY: usize = 1;
const REGION: usize = 2;
const DOMAIN: usize = 3;
const DATE: usize = 4;
const KIND: usize = 5;
const FINE: usize = 6;
const CONF: usize = 7;
const LENIENCY: usize = 8;
const DELEGATED: usize = 9;
const PARTY: usize = 10;
/// 违法行为: not a penalty column; ingest ignores it and names it in the manifest.
const ACT: usize = 11;
const N: usize = 12;

static LAYOUT_2023: Layout = &[
    ("序号", Src::Seq),
    ("处罚决定书文号", Src::F(NO)),
    ("当事人", Src::F(PARTY)),
    ("执法机关", Src::F(AGENCY)),
    ("区划代码", Src::F(REGION)),
    ("执法领域", Src::F(DOMAIN)),
    ("处罚决定日期", Src::F(DATE)),
    ("违法行为", Src::F(ACT)),
    ("处罚种类", Src::F(KIND)),
    ("罚款金额(元)", Src::F(FINE)),
    ("没收违法所得（元）", Src::F(CONF)),
    ("裁量情形", Src::F(LENIENCY)),
    ("是否赋权", Src::F(DELEGATED)),
    ("备注", Src::Remark),
];

static LAYOUT_2024: Layout = &[
    ("序号", Src::Seq),
    ("决定书文号", Src::F(NO)),
    ("处罚机关", Src::F(AGENCY)),
    ("行政区划代码", Src::F(REGION)),
    ("管理领域", Src::F(DOMAIN)),
    ("决定日期", Src::F(DATE)),
    ("处罚种类", Src::F(KIND)),
    ("罚款金额(万元)", Src::F(FINE)),
    ("没收金额(万元)", Src::F(CONF)),
    ("裁量情形", Src::F(LENIENCY)),
    ("赋权事项", Src::F(DELEGATED)),
    ("当事人", Src::F(PARTY)),
    ("违法行为", Src::F(ACT)),
    ("备注", Src::Remark),
];

static STYLE_2023: Style = Style {
    dates: &[(DateFmt::Iso, 60), (DateFmt::Compact, 20), (DateFmt::Dot, 20)],
    bools: &[(BoolFmt::ShiFou, 70), (BoolFmt::Yn, 30)],
    numeric_codes: 0.0,
};
static STYLE_2024: Style = Style {
    dates: &[(DateFmt::Slash, 70), (DateFmt::Iso, 30)],
    bools: &[(BoolFmt::ShiFou, 60), (BoolFmt::OneZero, 30), (BoolFmt::TrueFalse, 10)],
    numeric_codes: 0.0,
};

const BADS: &[Bad] = &[
    Bad::EmptyRequired,
    Bad::UnknownVocab,
    Bad::UnknownBool,
    Bad::ImpossibleDate,
    Bad::TooOld,
    Bad::Future,
    Bad::UnknownRegion,
    Bad::NegativeAmount,
];

/// Townships decide penalties with delegated powers (赋权) from this day on.
fn delegation_start() -> NaiveDate {
    ymd(2023, 5, 30)
}

/// Share of rows re-entered later in the same file with a corrected amount.
const DUP_SHARE: f64 = 0.0015;

const LENIENCY_MIX: &[(&str, u32)] = &[("不予处罚", 3), ("减轻处罚", 8), ("从轻处罚", 22), ("一般", 57), ("从重处罚", 7), ("", 3)];
const TOWN_DOMAINS: &[(&str, u32)] =
    &[("城乡建设", 35), ("自然资源", 20), ("生态环境", 15), ("应急管理", 10), ("农业农村", 10), ("市场监管", 10)];
const REMARKS: &[(&str, u32)] = &[("已缴纳", 50), ("已履行", 20), ("分期缴纳", 10), ("申请行政复议", 5), ("申请强制执行", 10), ("公示", 5)];

struct Case {
    no: String,
    agency: String,
    region: String,
    domain: &'static str,
    date: NaiveDate,
    kind: &'static str,
    act: &'static str,
    /// Amounts in fen (分), so that 万元 can be written exactly.
    fine: Option<i64>,
    confiscated: Option<i64>,
    leniency: &'static str,
    delegated: Option<bool>,
    party: String,
    remark: &'static str,
}

pub(super) fn write(ctx: &Ctx, out: &Path, rng: &mut ChaCha8Rng) -> crate::Result<Vec<SampleFile>> {
    let start = ymd(2023, 1, 1);
    let split = ymd(2024, 1, 1);
    let target = super::penalty_target(ctx.scale);
    let cal = Calendar::new(start, ctx.end, |d| day_weight(d) * if d.year() >= 2024 { 1.05 } else { 1.0 });
    let exp = [cal.expected(start, split, target), cal.expected(split, ymd(2100, 1, 1), target)];
    let plans = [BadPlan::new(BADS, 2, exp[0], rng), BadPlan::new(BADS, 2, exp[1], rng)];
    let [p0, p1] = plans;
    let mut outs = [
        Out::new(Sink::csv(out.join("penalty_2023.csv"), Enc::Utf8)?, LAYOUT_2023, &STYLE_2023, "penalty", p0)?,
        Out::new(Sink::csv(out.join("penalty_2024.csv"), Enc::Utf8Bom)?, LAYOUT_2024, &STYLE_2024, "penalty", p1)?,
    ];
    let weights = [ctx.geo.city_weights(2023, 0.15, false), ctx.geo.city_weights(2024, 0.15, false)];
    let mut seqs: HashMap<(String, i32), u32> = HashMap::new();
    let mut dups: Vec<Case> = Vec::new();

    for (day, n) in cal.counts(target, rng) {
        let fi = usize::from(day >= split);
        for _ in 0..n {
            let case = gen_case(ctx, day, &weights, &mut seqs, rng);
            if let Some(kind) = outs[fi].due() {
                write_bad(&mut outs[fi], case, kind, fi, ctx, rng)?;
                continue;
            }
            let f = fields(&case, fi, rng);
            outs[fi].write(&f, case.remark, false, rng)?;
            if rng.random_bool(DUP_SHARE) {
                dups.push(case);
            }
        }
        // Re-entered decisions: same 文号, corrected amount, later in the same file.
        for mut case in dups.drain(..) {
            match case.fine {
                Some(fine) if fine > 0 => case.fine = Some(fine / 100 * 110),
                _ => case.leniency = "从轻处罚",
            }
            let f = fields(&case, fi, rng);
            outs[fi].write(&f, "更正：金额有误", false, rng)?;
        }
    }
    let last = [ctx.end.min(ymd(2023, 12, 31)), ctx.end];
    for (fi, o) in outs.iter_mut().enumerate() {
        while let Some(kind) = o.plan.leftover() {
            let case = gen_case(ctx, last[fi], &weights, &mut seqs, rng);
            write_bad(o, case, kind, fi, ctx, rng)?;
        }
    }
    outs.into_iter().map(Out::finish).collect()
}

/// The violation (违法行为) typical of a domain.
fn violation(rng: &mut ChaCha8Rng, domain: &str) -> &'static str {
    let table: &[(&'static str, u32)] = match domain {
        "公安" => &[("殴打他人", 30), ("扰乱公共秩序", 20), ("参与赌博", 20), ("盗窃", 15), ("无证驾驶", 10), ("违反枪支管理规定", 5)],
        "市场监管" => &[
            ("销售不符合食品安全标准的食品", 30),
            ("虚假宣传", 20),
            ("未取得营业执照从事经营活动", 15),
            ("价格违法", 15),
            ("销售假冒伪劣产品", 10),
            ("未按规定公示年度报告", 10),
        ],
        "交通运输" => &[("未取得道路运输经营许可擅自从事道路运输经营", 50), ("车辆超限运输", 35), ("未按规定进行车辆维护", 15)],
        "城市管理" => &[("占道经营", 40), ("擅自设置户外广告", 25), ("违法建设", 20), ("运输渣土未密闭", 15)],
        "城乡建设" => &[("违法建设", 50), ("未取得施工许可证擅自施工", 30), ("违反建筑工程质量管理规定", 20)],
        "生态环境" => &[("超标排放大气污染物", 35), ("未批先建", 25), ("未按规定贮存危险废物", 20), ("秸秆露天焚烧", 20)],
        "自然资源" => &[("非法占用土地", 55), ("非法采矿", 25), ("违法转让土地使用权", 20)],
        "应急管理" => &[("未按规定开展安全生产教育培训", 40), ("未建立事故隐患排查治理制度", 35), ("违规储存危险化学品", 25)],
        "卫生健康" => &[("非法行医", 40), ("未取得医疗机构执业许可证开展诊疗活动", 35), ("公共场所卫生不合格", 25)],
        "农业农村" => &[("经营假劣农药", 40), ("违法使用禁用渔具捕捞", 30), ("违规占用耕地建房", 30)],
        "文化旅游" => &[("网吧接纳未成年人", 50), ("未经许可经营娱乐场所", 30), ("旅行社违规经营", 20)],
        "税务" => &[("未按期申报纳税", 50), ("偷税", 30), ("虚开发票", 20)],
        "医疗保障" => &[("骗取医保基金", 60), ("违规结算医保费用", 40)],
        "人社" => &[("拒不支付劳动报酬", 60), ("未依法参加社会保险", 40)],
        _ => &[("其他违法行为", 1)],
    };
    pick(rng, table)
}

fn kind_mix(dept: Option<Dept>) -> &'static [(&'static str, u32)] {
    match dept {
        None => &[("罚款", 88), ("警告", 7), ("罚款、没收违法所得", 5)],
        Some(Dept::Police) => &[("罚款", 55), ("警告", 20), ("行政拘留", 15), ("罚款、行政拘留", 5), ("没收违法所得", 5)],
        Some(Dept::Market) => {
            &[("罚款", 45), ("罚款、没收违法所得", 25), ("警告", 15), ("没收违法所得", 10), ("吊销许可证", 3), ("责令停产停业", 2)]
        }
        Some(Dept::Transport) => &[("罚款", 85), ("警告", 10), ("吊销许可证", 5)],
        Some(Dept::Eco) => &[("罚款", 80), ("责令停产停业", 10), ("罚款、没收违法所得", 5), ("警告", 5)],
        Some(Dept::Safety) => &[("罚款", 85), ("责令停产停业", 10), ("警告", 5)],
        Some(Dept::Land) => &[("罚款", 70), ("罚款、没收违法所得", 25), ("警告", 5)],
        Some(Dept::Health | Dept::Culture) => &[("罚款", 70), ("警告", 25), ("吊销许可证", 5)],
        Some(Dept::Agri) => &[("罚款", 70), ("罚款、没收违法所得", 20), ("警告", 10)],
        Some(Dept::Tax) => &[("罚款", 95), ("警告", 5)],
        Some(_) => &[("罚款", 85), ("警告", 15)],
    }
}

/// Fine range in yuan (log-uniform between the bounds).
fn fine_range(dept: Option<Dept>) -> (f64, f64) {
    match dept {
        None => (1_000.0, 200_000.0),
        Some(Dept::Police) => (50.0, 5_000.0),
        Some(Dept::Market) => (500.0, 200_000.0),
        Some(Dept::Transport) => (200.0, 30_000.0),
        Some(Dept::Urban) => (100.0, 50_000.0),
        Some(Dept::Eco) => (10_000.0, 1_000_000.0),
        Some(Dept::Safety) => (5_000.0, 300_000.0),
        Some(Dept::Land) => (5_000.0, 2_000_000.0),
        Some(Dept::Build) => (10_000.0, 500_000.0),
        Some(Dept::Tax) => (50.0, 100_000.0),
        Some(Dept::Agri | Dept::Medical) => (500.0, 100_000.0),
        Some(_) => (500.0, 50_000.0),
    }
}

fn log_uniform(rng: &mut ChaCha8Rng, lo: f64, hi: f64) -> f64 {
    (lo.ln() + rng.random::<f64>() * (hi.ln() - lo.ln())).exp()
}

/// A fine as offices set it: whole yuan, rounded to 50/100/500/1000 by size (fen).
fn round_fine(yuan: f64) -> i64 {
    let step = if yuan < 1_000.0 {
        50.0
    } else if yuan < 10_000.0 {
        100.0
    } else if yuan < 100_000.0 {
        500.0
    } else {
        1_000.0
    };
    ((yuan / step).round().max(1.0) * step) as i64 * 100
}

fn gen_case(ctx: &Ctx, day: NaiveDate, weights: &[Vec<f64>; 2], seqs: &mut HashMap<(String, i32), u32>, rng: &mut ChaCha8Rng) -> Case {
    let geo = ctx.geo;
    let year = day.year();
    let ci = pick_index(rng, &weights[usize::from(year >= 2024)]);
    let city = &geo.cities[ci];
    let town = day >= delegation_start() && !city.towns.is_empty() && rng.random_bool(0.08);
    let r = if town { city.towns[rng.random_range(0..city.towns.len())] } else { pick_region(geo, ci, 0.22, 0.0, rng) };
    let kind = geo.regions[r].kind;
    let (dept, agency, domain, prefix) = if town {
        let prefix = format!("{}罚", agency::region_abbr(geo, r));
        (None, agency::agency_name(geo, r, Dept::Gov), pick(rng, TOWN_DOMAINS), prefix)
    } else {
        let info = agency::pick_dept(rng, kind, Use::Pen);
        let abbr = agency::region_abbr(geo, r);
        let prefix = if info.abbr.ends_with("决字") { format!("{abbr}{}", info.abbr) } else { format!("{abbr}{}罚", info.abbr) };
        (Some(info.dept), agency::agency_name(geo, r, info.dept), info.domain, prefix)
    };
    let seq = seqs.entry((prefix.clone(), year)).or_insert(0);
    *seq += 1 + rng.random_range(0..2u32);
    let no = format!("{prefix}〔{year}〕{seq}号");

    let leniency = pick(rng, LENIENCY_MIX);
    let (pkind, fine, confiscated) = if leniency == "不予处罚" {
        ("", None, None)
    } else {
        let pkind = pick(rng, kind_mix(dept));
        let factor = match leniency {
            "减轻处罚" => 0.5,
            "从轻处罚" => 0.8,
            "从重处罚" => 1.5,
            _ => 1.0,
        };
        let fine = pkind.contains("罚款").then(|| {
            let (lo, hi) = fine_range(dept);
            let cents = round_fine(log_uniform(rng, lo, hi) * factor);
            // Tax fines are a multiple of unpaid tax: not round.
            if dept == Some(Dept::Tax) && rng.random_bool(0.3) { cents + rng.random_range(1..10_000) } else { cents }
        });
        let conf = pkind.contains("没收").then(|| {
            let yuan = log_uniform(rng, 100.0, 500_000.0);
            let cents = (yuan * 100.0) as i64;
            if rng.random_bool(0.3) { cents / 100 * 100 } else { cents }
        });
        (pkind, fine, conf)
    };
    let delegated = if town {
        if rng.random_bool(0.92) { Some(true) } else { None }
    } else if rng.random_bool(0.5) {
        Some(false)
    } else {
        None
    };
    let place = agency::place_word(geo, r);
    let party = match dept {
        Some(Dept::Police) => names::party(rng, &place, 0.85),
        Some(Dept::Market | Dept::Urban) if rng.random_bool(0.35) => names::shop(rng, &place),
        Some(Dept::Market) => names::party(rng, &place, 0.4),
        Some(Dept::Transport | Dept::Urban) => names::party(rng, &place, 0.6),
        None => names::party(rng, &place, 0.6),
        Some(_) => names::party(rng, &place, 0.3),
    };
    let remark = if leniency == "不予处罚" {
        "不予行政处罚"
    } else if rng.random_bool(0.1) {
        pick(rng, REMARKS)
    } else {
        ""
    };
    Case {
        no,
        agency,
        region: geo.regions[r].code.clone(),
        domain,
        date: day,
        kind: pkind,
        act: violation(rng, domain),
        fine,
        confiscated,
        leniency,
        delegated,
        party,
        remark,
    }
}

/// Fen as yuan with 2 decimals: 120000 → "1200.00".
fn yuan_2dp(fen: i64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

fn thousands(fen: i64) -> String {
    let int = (fen / 100).to_string();
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    format!("{out}.{:02}", fen % 100)
}

fn yuan_plain(fen: i64) -> String {
    if fen % 100 == 0 { (fen / 100).to_string() } else { yuan_2dp(fen) }
}

/// Fen as 万元, exact: 120000 → "0.12".
fn wan(fen: i64) -> String {
    let int = fen / 1_000_000;
    let frac = fen % 1_000_000;
    if frac == 0 {
        return int.to_string();
    }
    let s = format!("{frac:06}");
    format!("{int}.{}", s.trim_end_matches('0'))
}

fn amount(fen: Option<i64>, file: usize, is_fine: bool, rng: &mut ChaCha8Rng) -> V {
    let Some(fen) = fen else { return V::Empty };
    if file == 1 {
        return V::Text(wan(fen));
    }
    let form = if is_fine { pick(rng, &[(0u8, 30), (1, 30), (2, 20), (3, 20)]) } else { pick(rng, &[(0u8, 30), (3, 50), (1, 20)]) };
    V::Text(match form {
        0 => thousands(fen),
        1 => yuan_plain(fen),
        2 => format!("{}元", yuan_plain(fen)),
        _ => yuan_2dp(fen),
    })
}

fn fields(c: &Case, file: usize, rng: &mut ChaCha8Rng) -> Vec<V> {
    let mut f = vec![V::Empty; N];
    f[NO] = V::text(c.no.as_str());
    f[AGENCY] = V::text(c.agency.as_str());
    f[REGION] = V::Code(c.region.clone());
    f[DOMAIN] = V::text(c.domain);
    f[DATE] = V::Date(c.date);
    f[KIND] = V::text(c.kind);
    f[FINE] = amount(c.fine, file, true, rng);
    f[CONF] = amount(c.confiscated, file, false, rng);
    f[LENIENCY] = V::text(c.leniency);
    f[DELEGATED] = V::opt_bool(c.delegated);
    f[PARTY] = V::text(c.party.as_str());
    f[ACT] = V::text(c.act);
    f
}

fn write_bad(o: &mut Out, c: Case, kind: Bad, file: usize, ctx: &Ctx, rng: &mut ChaCha8Rng) -> crate::Result<()> {
    let mut f = fields(&c, file, rng);
    match kind {
        Bad::EmptyRequired => f[pick(rng, &[(NO, 1), (AGENCY, 2), (REGION, 1), (DATE, 1)])] = V::Empty,
        Bad::UnknownVocab => f[LENIENCY] = V::text(pick(rng, &[("酌情", 1), ("从宽", 1)])),
        Bad::UnknownBool => f[DELEGATED] = V::text("可能"),
        Bad::ImpossibleDate => f[DATE] = if file == 0 { V::BadDate(2023, 2, 29) } else { V::BadDate(2024, 2, 30) },
        Bad::TooOld => f[DATE] = V::Date(pick(rng, &[(ymd(1990, 9, 30), 1), (ymd(1989, 12, 1), 1)])),
        Bad::Future => f[DATE] = V::Date(future_typo(ctx.today, rng)),
        Bad::UnknownRegion => f[REGION] = V::Code("419999".to_string()),
        Bad::NegativeAmount => f[FINE] = V::text(if file == 0 { "-500" } else { "-0.05" }),
        _ => {}
    }
    o.write(&f, c.remark, true, rng)
}
