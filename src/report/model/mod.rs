//! The briefing's content as data: every figure a chart, a document or the dashboard shows,
//! computed once from the engine (metrics.sql and the other queries) and then only rendered.
mod flags;
mod load;

use chrono::Datelike;
use serde::{Deserialize, Serialize};

use crate::engine::Period;
use crate::output::{Rows, Value};
use crate::warehouse::regions::{Level, Region, Regions};
use crate::{Error, Result};

pub use flags::{flag_agencies, rerank};
pub use load::{BY_DOMAIN_SQL, CASES_SQL, LOSS_REASONS_SQL, RECON_CASES_SQL, build, quarters_back};

/// One row of the metrics table (docs/metrics.md), typed.
#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq)]
pub struct Figures {
    pub code: String,
    pub name: String,
    pub filed: i64,
    pub filed_prev: i64,
    pub filed_yoy: Option<f64>,
    pub concluded: i64,
    pub lost: i64,
    pub loss_rate: Option<f64>,
    pub judgment_loss_rate: Option<f64>,
    pub loss_rate_prev: Option<f64>,
    pub loss_rate_change_pp: Option<f64>,
    pub double_decline: Option<bool>,
    pub hearings: i64,
    pub appeared: i64,
    pub appearance_rate: Option<f64>,
    pub spoke_rate: Option<f64>,
    pub required_appearance_rate: Option<f64>,
    pub recon_received: i64,
    pub recon_concluded: i64,
    pub recon_corrected: i64,
    pub recon_correction_rate: Option<f64>,
    pub recon_sued_rate: Option<f64>,
    pub penalty_cases: i64,
    /// Money as printed: two decimals.
    pub fines_yuan: String,
    pub confiscated_yuan: String,
    pub loss_rank: Option<i64>,
    /// Agencies only: the briefing sub-unit (county, or township for a county briefing) the
    /// agency's region lies in; None for the region's own departments.
    #[serde(default)]
    pub unit: Option<String>,
    /// Ranking among peers: 报送 (figures reported in the peers table) or 测算 (computed from
    /// case rows); None outside a ranking.
    #[serde(default)]
    pub source: Option<String>,
    /// Reported rows: the count columns the report left empty (shown as —, not 0).
    #[serde(default)]
    pub blank: Vec<String>,
}

fn int(v: &Value) -> i64 {
    match v {
        Value::Int(i) => *i,
        _ => 0,
    }
}

fn float(v: &Value) -> Option<f64> {
    match v {
        Value::Float(f) => Some(*f),
        Value::Int(i) => Some(*i as f64),
        _ => None,
    }
}

impl Figures {
    pub fn from_rows(rows: &Rows) -> Vec<Figures> {
        (0..rows.rows.len())
            .map(|i| {
                let g = |c: &str| rows.get(i, c);
                Figures {
                    code: g("region_code").plain(),
                    name: g("region_name").plain(),
                    filed: int(g("filed")),
                    filed_prev: int(g("filed_prev")),
                    filed_yoy: float(g("filed_yoy")),
                    concluded: int(g("concluded")),
                    lost: int(g("lost")),
                    loss_rate: float(g("loss_rate")),
                    judgment_loss_rate: float(g("judgment_loss_rate")),
                    loss_rate_prev: float(g("loss_rate_prev")),
                    loss_rate_change_pp: float(g("loss_rate_change_pp")),
                    double_decline: match g("double_decline") {
                        Value::Bool(b) => Some(*b),
                        _ => None,
                    },
                    hearings: int(g("hearings")),
                    appeared: int(g("appeared")),
                    appearance_rate: float(g("appearance_rate")),
                    spoke_rate: float(g("spoke_rate")),
                    required_appearance_rate: float(g("required_appearance_rate")),
                    recon_received: int(g("recon_received")),
                    recon_concluded: int(g("recon_concluded")),
                    recon_corrected: int(g("recon_corrected")),
                    recon_correction_rate: float(g("recon_correction_rate")),
                    recon_sued_rate: float(g("recon_sued_rate")),
                    penalty_cases: int(g("penalty_cases")),
                    fines_yuan: g("fines_yuan").plain(),
                    confiscated_yuan: g("confiscated_yuan").plain(),
                    loss_rank: match g("loss_rank") {
                        Value::Int(i) => Some(*i),
                        _ => None,
                    },
                    unit: None,
                    source: match g("source") {
                        Value::Text(t) => Some(t.clone()),
                        _ => None,
                    },
                    blank: ["filed", "filed_prev", "concluded", "lost", "hearings", "appeared"]
                        .iter()
                        .filter(|c| rows.index(c).is_some() && matches!(g(c), Value::Null))
                        .map(|c| c.to_string())
                        .collect(),
                }
            })
            .collect()
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PeerAverage {
    pub loss_rate: f64,
    pub lost: Option<i64>,
    pub concluded: Option<i64>,
    /// 报送 (the parent's reported total) or 合计 (sum of the peers' counts).
    pub how: String,
    /// The region's loss rate minus this average, in percentage points (None when the region
    /// has no concluded case).
    #[serde(default)]
    pub diff_pp: Option<f64>,
    /// The same for the appearance rate (出庭应诉率): None when neither the parent's report nor
    /// the peers' counts give one.
    #[serde(default)]
    pub appearance: Option<AppearanceAverage>,
    /// 全省平均 for a city, 全市平均 for a county.
    #[serde(default)]
    pub word: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AppearanceAverage {
    pub rate: f64,
    pub appeared: Option<i64>,
    pub hearings: Option<i64>,
    /// 报送 or 合计, as for the loss rate.
    pub how: String,
    pub diff_pp: Option<f64>,
}

/// The office's own wording for the briefing's head and foot (`[briefing]` in fuyuan.toml);
/// what is left out is derived from the region (its level and its sub-units' names).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default, deny_unknown_fields)]
pub struct Wording {
    /// The addressees line without its colon, e.g. 各乡镇人民政府、街道办事处，市直各部门.
    pub salutation: Option<String>,
    /// The issuing office for the 落款, e.g. 灵宝市府院联动联席会议办公室.
    pub issuer: Option<String>,
}

/// The figures the peers table reports for the briefing region itself, when it also has case
/// rows (the briefing notes any difference).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ReportedSelf {
    pub source: Option<String>,
    pub filed: Option<i64>,
    pub concluded: Option<i64>,
    pub lost: Option<i64>,
    pub loss_rate: Option<f64>,
    /// Which of filed, concluded, lost, loss_rate differ from the computed figures.
    pub differs: Vec<String>,
}

/// When an agency gets a supervision letter (行政执法监督意见书) or an interview (约谈).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Thresholds {
    /// Losses in the period that earn a supervision letter.
    pub letter_losses: i64,
    /// Reconsideration corrections in the period that earn a supervision letter.
    pub letter_corrections: i64,
    /// Losses in the period that earn an interview.
    pub interview_losses: i64,
    /// A loss rate at or above this (with at least `interview_min_concluded` cases) earns an interview.
    pub interview_loss_rate: f64,
    pub interview_min_concluded: i64,
    /// Start of the briefing's cumulative supervision figures (`supervision_since` in
    /// fuyuan.toml; default: the first issue date in the supervision ledger). Set from the
    /// settings' top level, not from this table.
    #[serde(skip)]
    pub supervision_since: Option<chrono::NaiveDate>,
    /// The `[briefing]` table of the settings (salutation, issuer), carried with the thresholds
    /// so that every command that builds a briefing gets it. Set from the settings, not from
    /// this table.
    #[serde(skip)]
    pub wording: Wording,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            letter_losses: 2,
            letter_corrections: 2,
            interview_losses: 4,
            interview_loss_rate: 0.5,
            interview_min_concluded: 4,
            supervision_since: None,
            wording: Wording::default(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Flag {
    pub code: String,
    pub agency: String,
    pub region_name: String,
    pub lost: i64,
    pub concluded: i64,
    pub loss_rate: Option<f64>,
    pub recon_corrected: i64,
    /// 约谈 or 监督意见书.
    pub action: String,
    pub why: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TrendPoint {
    /// e.g. 2024Q2
    pub quarter: String,
    pub label: String,
    pub filed: i64,
    /// The same quarter one year earlier.
    pub filed_prev: i64,
    pub concluded: i64,
    pub lost: i64,
    pub loss_rate: Option<f64>,
    pub loss_rate_prev: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DomainRow {
    pub domain: String,
    pub concluded: i64,
    pub lost: i64,
    pub loss_rate: Option<f64>,
    pub recon_decided: i64,
    pub recon_corrected: i64,
    pub recon_correction_rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ReasonRow {
    pub reason: String,
    pub lost: i64,
}

/// A first-instance case behind the figures (drill-down); no personal names.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CaseRow {
    pub case_no: String,
    pub defendant: String,
    pub region_code: String,
    /// The sub-unit (county, or township for a county briefing) the case counts for, if any.
    pub unit: Option<String>,
    pub domain: Option<String>,
    pub filed_date: String,
    pub closed_date: Option<String>,
    pub outcome: Option<String>,
    pub hearing_date: Option<String>,
    pub head_appeared: Option<bool>,
    pub head_spoke: Option<bool>,
    pub appearance_required: Option<bool>,
    pub loss_reason: Option<String>,
    pub filed_in_period: bool,
    pub concluded_in_period: bool,
    pub lost_in_period: bool,
    pub heard_in_period: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ReconCaseRow {
    pub case_no: String,
    pub respondent: String,
    pub region_code: String,
    pub unit: Option<String>,
    pub domain: Option<String>,
    pub received_date: String,
    pub closed_date: String,
    pub decision: String,
    pub corrected: bool,
    pub decided: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PeriodInfo {
    pub name: String,
    pub ytd: bool,
    pub span: String,
    pub start: String,
    pub end: String,
    pub prev_span: String,
    /// 2024年1—6月 / 2024年上半年 …
    pub label: String,
    pub prev_label: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Briefing {
    pub title: String,
    pub region_code: String,
    pub region_name: String,
    /// 全市 / 全县 / 全省 …
    pub scope_word: String,
    /// 各县（市、区） for a city, 各乡镇（街道） / 各乡镇 / 各街道 for a county, 各市 for a
    /// province: from the sub-units' names.
    pub subunit_word: String,
    /// subunit_word without 各, for counts: 其余3个乡镇（街道）.
    #[serde(default)]
    pub subunit_noun: String,
    /// The addressees (settings `[briefing] salutation`, else from the level and sub-units).
    #[serde(default)]
    pub salutation: String,
    /// The issuing office for the 落款 (settings `[briefing] issuer`, else 《region》府院联动联席会议办公室).
    #[serde(default)]
    pub issuer: String,
    pub period: PeriodInfo,
    pub generated_on: String,
    pub total: Figures,
    /// The region's rank by loss rate among its peers (e.g. a city among the province's cities).
    pub peer_rank: Option<i64>,
    pub peer_ranked: i64,
    pub peer_word: String,
    pub peers: Vec<Figures>,
    /// Sub-units sorted by loss rank (unranked last), then code.
    pub subunits: Vec<Figures>,
    /// The sub-units with a case in the period (filed, concluded or heard), in the same order:
    /// the briefing's table and chart show only these.
    #[serde(default)]
    pub active_subunits: Vec<Figures>,
    /// Names of the sub-units without a case in the period (one sentence in the briefing).
    #[serde(default)]
    pub idle_subunits: Vec<String>,
    /// Agencies whose region is the briefing region itself (市直部门), by loss rank.
    pub departments: Vec<Figures>,
    /// All agencies at or below the region, by losses then name.
    pub agencies: Vec<Figures>,
    pub trend: Vec<TrendPoint>,
    pub by_domain: Vec<DomainRow>,
    pub loss_reasons: Vec<ReasonRow>,
    pub thresholds: Thresholds,
    pub flags: Vec<Flag>,
    pub cases: Vec<CaseRow>,
    pub recon_cases: Vec<ReconCaseRow>,
    /// 行政执法监督情况; None when the warehouse has no supervision rows.
    #[serde(default)]
    pub supervision: Option<super::supervision::SupervisionSection>,
    /// How many peers' rows are reported (报送) and computed (测算) in the ranking.
    #[serde(default)]
    pub peers_reported: i64,
    #[serde(default)]
    pub peers_computed: i64,
    /// The region's own reported figures when they differ from the computed ones.
    #[serde(default)]
    pub reported_self: Option<ReportedSelf>,
    /// The peers' average loss rate (the province's for a city): (rate, lost, concluded, how) —
    /// the parent's reported total when the peers table has it (how = 报送), else the sum of the
    /// ranked rows' counts (how = 合计; rows whose report gives no counts are left out).
    #[serde(default)]
    pub peer_average: Option<PeerAverage>,
    /// 乡镇综合行政执法: present when the region has townships (filled in by `township::build`).
    #[serde(default)]
    pub township: Option<super::township::TownshipSection>,
    /// The court's list against the ledger (数据核对情况); None when the court's list holds no
    /// case for the period (nothing is printed then).
    #[serde(default)]
    pub reconciliation: Option<super::reconcile::Reconciliation>,
}

impl PeriodInfo {
    /// The period as a briefing names it: spans and the Chinese labels (2024年上半年).
    pub fn of(period: &Period) -> PeriodInfo {
        PeriodInfo {
            name: period.name.clone(),
            ytd: period.ytd,
            span: period.span(),
            start: period.start.to_string(),
            end: period.end.to_string(),
            prev_span: format!("{}..{}", period.prev_start, period.prev_end),
            label: period_label(period),
            prev_label: period_label(&Period { start: period.prev_start, end: period.prev_end, ..period.clone() }),
        }
    }
}

fn period_label(p: &Period) -> String {
    if p.is_span {
        let d = |d: chrono::NaiveDate| format!("{}年{}月{}日", d.year(), d.month(), d.day());
        return format!("{}至{}", d(p.start), d(p.end));
    }
    let y = p.end.year();
    let (m1, m2) = (p.start.month(), p.end.month());
    match (m1, m2) {
        (1, 12) => format!("{y}年"),
        (1, 6) => format!("{y}年上半年"),
        (7, 12) => format!("{y}年下半年"),
        (1, 3) => format!("{y}年第一季度"),
        (4, 6) => format!("{y}年第二季度"),
        (7, 9) => format!("{y}年第三季度"),
        (10, 12) => format!("{y}年第四季度"),
        (a, b) if a == b => format!("{y}年{a}月"),
        (a, b) => format!("{y}年{a}—{b}月"),
    }
}

/// How the region's own office writes: its scope (全市 for a city and a county-level city, 全县,
/// 全区, 全旗, 全省), its sub-units as a noun (县（市、区）, 乡镇（街道）, 市), its peers, the
/// addressees and the issuing office. Parenthesised alternatives appear only when the sub-units
/// really include both kinds.
#[derive(Debug, Clone, PartialEq)]
pub struct LevelWords {
    pub scope: String,
    pub sub_level: Level,
    pub sub_noun: String,
    pub peers: String,
    pub salutation: String,
    pub issuer: String,
}

/// Functional zones (开发区, 示范区 …) are addressed through their 管委会, not as 县/市/区.
fn is_zone(name: &str) -> bool {
    ["开发区", "示范区", "集聚区", "管理区", "新区", "高新区"].iter().any(|z| name.ends_with(z))
}

/// 县（市、区） from the county-level names present: only the kinds that occur, in the
/// customary order 县, 市, 区, 旗.
fn county_noun(names: &[&str]) -> String {
    let kinds: Vec<&str> = ["县", "市", "区", "旗"].into_iter().filter(|k| names.iter().any(|n| !is_zone(n) && n.ends_with(k))).collect();
    match kinds.as_slice() {
        [] => "县（市、区）".into(),
        [one] => (*one).into(),
        [first, rest @ ..] => format!("{first}（{}）", rest.join("、")),
    }
}

/// 乡镇（街道）, 乡镇 or 街道 from the township names present.
fn township_noun(names: &[&str]) -> (bool, bool) {
    let rural = names.iter().any(|n| n.ends_with('乡') || n.ends_with('镇'));
    let streets = names.iter().any(|n| n.ends_with("街道") || n.ends_with("街道办事处"));
    (rural, streets)
}

impl LevelWords {
    pub fn of(regions: &Regions, region: &Region, wording: &Wording) -> Result<LevelWords> {
        let children = |r: &Region| -> Vec<String> {
            let mut v: Vec<&Region> = regions.iter().filter(|c| c.parent_code.as_deref() == Some(r.code.as_str())).collect();
            v.sort_by(|a, b| a.code.cmp(&b.code));
            v.into_iter().map(|c| c.name.clone()).collect()
        };
        let kids = children(region);
        let kid_refs: Vec<&str> = kids.iter().map(String::as_str).collect();
        let zones: Vec<&str> = kid_refs.iter().copied().filter(|n| is_zone(n)).collect();
        let zone_line = |w: &str| if zones.is_empty() { String::new() } else { format!("{w}{}管委会", zones.join("、")) };
        let (scope, sub_level, sub_noun, salutation) = match region.level {
            Level::Province => {
                // Henan addresses its 17 cities and the 济源 demonstration zone this way.
                let salutation = if region.code == "410000" {
                    "各省辖市人民政府、济源示范区管委会，省人民政府各部门".to_string()
                } else {
                    "各市人民政府，省人民政府各部门".to_string()
                };
                ("全省".to_string(), region.level.below(), "市".to_string(), salutation)
            }
            Level::City => {
                let noun = county_noun(&kid_refs);
                let salutation = format!("各{noun}人民政府{}，市人民政府各部门", zone_line("，"));
                ("全市".to_string(), region.level.below(), noun, salutation)
            }
            Level::County => {
                let scope = match region.name.chars().last() {
                    Some('市') => "全市",
                    Some('区') if !is_zone(&region.name) => "全区",
                    Some('旗') => "全旗",
                    Some('区') => "全区",
                    _ => "全县",
                };
                let direct = &scope[3..];
                let (rural, streets) = township_noun(&kid_refs);
                let (noun, addressees) = match (rural, streets) {
                    (true, false) => ("乡镇".to_string(), "各乡镇人民政府".to_string()),
                    (false, true) => ("街道".to_string(), "各街道办事处".to_string()),
                    _ => ("乡镇（街道）".to_string(), "各乡镇人民政府、街道办事处".to_string()),
                };
                (scope.to_string(), region.level.below(), noun, format!("{addressees}，{direct}直各部门"))
            }
            Level::Township => return Err(Error::Usage(format!("{} is a township: brief a city or county", region.name))),
        };
        let peers = match region.level {
            Level::Province => "全国各省（区、市）".to_string(),
            Level::City => "全省各市".to_string(),
            _ => {
                let siblings = region.parent_code.as_ref().and_then(|p| regions.get(p)).map(children).unwrap_or_default();
                let refs: Vec<&str> = siblings.iter().map(String::as_str).collect();
                format!("全市各{}", county_noun(&refs))
            }
        };
        let salutation = wording.salutation.clone().filter(|s| !s.trim().is_empty()).unwrap_or(salutation);
        let issuer =
            wording.issuer.clone().filter(|s| !s.trim().is_empty()).unwrap_or_else(|| format!("{}府院联动联席会议办公室", region.name));
        Ok(LevelWords {
            scope,
            sub_level,
            sub_noun,
            peers,
            salutation: salutation.trim().trim_end_matches(['：', ':']).to_string(),
            issuer: issuer.trim().to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels() {
        let p = Period::parse("2024Q2", true).unwrap();
        assert_eq!(period_label(&p), "2024年上半年");
        assert_eq!(period_label(&Period::parse("2024Q3", true).unwrap()), "2024年1—9月");
        assert_eq!(period_label(&Period::parse("2024Q1", false).unwrap()), "2024年第一季度");
        assert_eq!(period_label(&Period::parse("2024M05", false).unwrap()), "2024年5月");
    }
}
