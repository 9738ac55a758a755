//! The briefing's content as data: every figure a chart, a document or the dashboard shows,
//! computed once from the engine (metrics.sql and the other queries) and then only rendered.
use chrono::Datelike;
use serde::{Deserialize, Serialize};

use crate::engine::{Engine, Period, Units, render};
use crate::output::{Rows, Value};
use crate::warehouse::regions::{Level, Region, Regions};
use crate::{Error, Result};

pub const BY_DOMAIN_SQL: &str = include_str!("../../queries/by_domain.sql");
pub const LOSS_REASONS_SQL: &str = include_str!("../../queries/loss_reasons.sql");
pub const CASES_SQL: &str = include_str!("../../queries/cases.sql");
pub const RECON_CASES_SQL: &str = include_str!("../../queries/recon_cases.sql");

/// One row of the metrics table (contract §5), typed.
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

fn sort_ranked(v: &mut [Figures]) {
    v.sort_by(|a, b| (a.loss_rank.is_none(), a.loss_rank, &a.code, &a.name).cmp(&(b.loss_rank.is_none(), b.loss_rank, &b.code, &b.name)));
}

/// The quarters ending with the period's last quarter, oldest first.
pub fn quarters_back(end: chrono::NaiveDate, n: usize) -> Vec<String> {
    let mut y = end.year();
    let mut q = (end.month() - 1) / 3 + 1;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(format!("{y}Q{q}"));
        if q == 1 {
            q = 4;
            y -= 1;
        } else {
            q -= 1;
        }
    }
    out.reverse();
    out
}

async fn rows(engine: &Engine, sql: &str, params: &[(&str, String)]) -> Result<Rows> {
    let (schema, batches) = engine.query_internal(&render(sql, params)?).await?;
    Rows::from_batches(&schema, &batches)
}

fn opt_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        other => Some(other.plain()),
    }
}

fn opt_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        _ => None,
    }
}

/// Which printed sub-unit a region code counts for.
fn unit_of(regions: &Regions, code: &str, units: &[Figures]) -> Option<String> {
    units.iter().find(|u| regions.is_within(code, &u.code)).map(|u| u.code.clone())
}

pub async fn build(
    engine: &Engine,
    regions: &Regions,
    region: &Region,
    period: &Period,
    thresholds: &Thresholds,
    generated_on: String,
) -> Result<Briefing> {
    let words = LevelWords::of(regions, region, &thresholds.wording)?;
    let (scope_word, sub_level) = (words.scope.clone(), words.sub_level);
    let metrics = |units: Units| async move {
        let (schema, batches) = engine.metrics(period, &units).await?;
        Ok::<_, Error>(Figures::from_rows(&Rows::from_batches(&schema, &batches)?))
    };
    // The region among its peers (same level, same parent): its own row and its rank, with
    // reported figures (peers table) for peers without case rows, each row marked 报送 / 测算.
    let (schema, batches) =
        engine.metrics_sourced(period, &Units::Regions { level: region.level, parent: region.parent_code.clone() }).await?;
    let peers = Figures::from_rows(&Rows::from_batches(&schema, &batches)?);
    let peers_reported = peers.iter().filter(|f| f.source.as_deref() == Some("报送")).count() as i64;
    let peers_computed = peers.len() as i64 - peers_reported;
    let total =
        peers.iter().find(|f| f.code == region.code).cloned().ok_or_else(|| Error::Other(format!("no metrics row for {}", region.code)))?;
    let peer_ranked = peers.iter().filter(|f| f.loss_rank.is_some()).count() as i64;
    let mut peers = peers;
    sort_ranked(&mut peers);
    let mut subunits = metrics(Units::Regions { level: sub_level, parent: Some(region.code.clone()) }).await?;
    sort_ranked(&mut subunits);
    let mut all_agencies = metrics(Units::Agencies { level: None, parent: Some(region.code.clone()) }).await?;
    for a in &mut all_agencies {
        a.unit = unit_of(regions, &a.code, &subunits);
    }
    // Departments are ranked among themselves, so rank again within that list.
    let mut departments: Vec<Figures> = all_agencies.iter().filter(|a| a.code == region.code).cloned().collect();
    rerank(&mut departments);
    sort_ranked(&mut departments);
    let mut agencies = all_agencies.clone();
    agencies.sort_by(|a, b| (b.lost, b.recon_corrected, &a.code, &a.name).cmp(&(a.lost, a.recon_corrected, &b.code, &b.name)));

    let mut trend = Vec::new();
    for q in quarters_back(period.end, 8) {
        let qp = Period::parse(&q, false)?;
        let (schema, batches) = engine.metrics(&qp, &Units::Regions { level: region.level, parent: region.parent_code.clone() }).await?;
        let f = Figures::from_rows(&Rows::from_batches(&schema, &batches)?).into_iter().find(|f| f.code == region.code).unwrap_or_default();
        trend.push(TrendPoint {
            label: format!("{}年Q{}", &q[..4], &q[5..]),
            quarter: q,
            filed: f.filed,
            filed_prev: f.filed_prev,
            concluded: f.concluded,
            lost: f.lost,
            loss_rate: f.loss_rate,
            loss_rate_prev: f.loss_rate_prev,
        });
    }

    let params = [("region", region.code.clone()), ("start", period.start.to_string()), ("end", period.end.to_string())];
    let d = rows(engine, BY_DOMAIN_SQL, &params).await?;
    let by_domain = (0..d.rows.len())
        .map(|i| DomainRow {
            domain: d.get(i, "domain").plain(),
            concluded: int(d.get(i, "concluded")),
            lost: int(d.get(i, "lost")),
            loss_rate: float(d.get(i, "loss_rate")),
            recon_decided: int(d.get(i, "recon_decided")),
            recon_corrected: int(d.get(i, "recon_corrected")),
            recon_correction_rate: float(d.get(i, "recon_correction_rate")),
        })
        .collect();
    let r = rows(engine, LOSS_REASONS_SQL, &params).await?;
    let loss_reasons =
        (0..r.rows.len()).map(|i| ReasonRow { reason: r.get(i, "loss_reason").plain(), lost: int(r.get(i, "lost")) }).collect();
    let c = rows(engine, CASES_SQL, &params).await?;
    let cases = (0..c.rows.len())
        .map(|i| {
            let g = |n: &str| c.get(i, n);
            let code = g("region_code").plain();
            CaseRow {
                case_no: g("case_no").plain(),
                defendant: g("defendant").plain(),
                unit: unit_of(regions, &code, &subunits),
                region_code: code,
                domain: opt_text(g("domain")),
                filed_date: g("filed_date").plain(),
                closed_date: opt_text(g("closed_date")),
                outcome: opt_text(g("outcome")),
                hearing_date: opt_text(g("hearing_date")),
                head_appeared: opt_bool(g("head_appeared")),
                head_spoke: opt_bool(g("head_spoke")),
                appearance_required: opt_bool(g("appearance_required")),
                loss_reason: opt_text(g("loss_reason")),
                filed_in_period: opt_bool(g("filed_in_period")).unwrap_or(false),
                concluded_in_period: opt_bool(g("concluded_in_period")).unwrap_or(false),
                lost_in_period: opt_bool(g("lost_in_period")).unwrap_or(false),
                heard_in_period: opt_bool(g("heard_in_period")).unwrap_or(false),
            }
        })
        .collect();
    let rc = rows(engine, RECON_CASES_SQL, &params).await?;
    let recon_cases = (0..rc.rows.len())
        .map(|i| {
            let g = |n: &str| rc.get(i, n);
            let code = g("region_code").plain();
            ReconCaseRow {
                case_no: g("case_no").plain(),
                respondent: g("respondent").plain(),
                unit: unit_of(regions, &code, &subunits),
                region_code: code,
                domain: opt_text(g("domain")),
                received_date: g("received_date").plain(),
                closed_date: g("closed_date").plain(),
                decision: g("decision").plain(),
                corrected: opt_bool(g("is_corrected")).unwrap_or(false),
                decided: opt_bool(g("is_decided")).unwrap_or(false),
            }
        })
        .collect();

    let reconciliation =
        super::reconcile::for_briefing(engine, region, sub_level, period, &|code: &str| unit_of(regions, code, &subunits)).await?;

    let flags = flag_agencies(&all_agencies, regions, thresholds);
    let reported_self = reported_self(engine, region, period, &total).await?;
    let peer_average = peer_average(engine, region, period, &peers, &total).await?;
    let peer_word = words.peers.clone();
    let is_active = |f: &&Figures| f.filed > 0 || f.concluded > 0 || f.hearings > 0;
    let active_subunits: Vec<Figures> = subunits.iter().filter(is_active).cloned().collect();
    let idle_subunits: Vec<String> = subunits.iter().filter(|f| !is_active(f)).map(|f| f.name.clone()).collect();
    let supervision = super::supervision::section(engine, region, period, thresholds).await?;
    let period_info = PeriodInfo::of(period);
    let title = format!("关于{}{}行政诉讼“双下降”工作和行政机关负责人出庭应诉情况的通报", period_info.label, scope_word);
    Ok(Briefing {
        title,
        region_code: region.code.clone(),
        region_name: region.name.clone(),
        scope_word,
        subunit_word: format!("各{}", words.sub_noun),
        subunit_noun: words.sub_noun,
        salutation: words.salutation,
        issuer: words.issuer,
        period: period_info,
        generated_on,
        peer_rank: total.loss_rank,
        total,
        peer_ranked,
        peer_word,
        peers,
        subunits,
        active_subunits,
        idle_subunits,
        departments,
        agencies,
        trend,
        by_domain,
        loss_reasons,
        thresholds: thresholds.clone(),
        flags,
        cases,
        recon_cases,
        supervision,
        peers_reported,
        peers_computed,
        reported_self,
        peer_average,
        township: None,
        reconciliation,
    })
}

/// The region's own row in the peers table for exactly this period, when its figures differ
/// from the computed ones (a rate by more than 0.05 percentage points).
async fn reported_self(engine: &Engine, region: &Region, period: &Period, total: &Figures) -> Result<Option<ReportedSelf>> {
    let sql = format!(
        "SELECT source, filed, concluded, lost, COALESCE(loss_rate, CASE WHEN concluded > 0 THEN CAST(lost AS DOUBLE) / concluded END) AS loss_rate \
         FROM peers WHERE region_code = '{}' AND period = '{}'",
        region.code.replace('\'', ""),
        period.span()
    );
    let r = rows(engine, &sql, &[]).await?;
    if r.rows.is_empty() || total.source.as_deref() == Some("报送") {
        return Ok(None);
    }
    let opt_int = |v: &Value| if let Value::Int(i) = v { Some(*i) } else { None };
    let rep = ReportedSelf {
        source: opt_text(r.get(0, "source")),
        filed: opt_int(r.get(0, "filed")),
        concluded: opt_int(r.get(0, "concluded")),
        lost: opt_int(r.get(0, "lost")),
        loss_rate: float(r.get(0, "loss_rate")),
        differs: Vec::new(),
    };
    let mut differs = Vec::new();
    for (name, reported, computed) in
        [("filed", rep.filed, total.filed), ("concluded", rep.concluded, total.concluded), ("lost", rep.lost, total.lost)]
    {
        if reported.is_some_and(|v| v != computed) {
            differs.push(name.to_string());
        }
    }
    if let (Some(a), Some(b)) = (rep.loss_rate, total.loss_rate)
        && (a - b).abs() > 0.0005 + 1e-12
    {
        differs.push("loss_rate".into());
    }
    Ok((!differs.is_empty()).then_some(ReportedSelf { differs, ..rep }))
}

/// The peers' average loss and appearance rates (the province's for a city, the city's for a
/// county): the parent's own row in the peers table when it gives the rate, else the sum of the
/// peers' counts (rows whose report leaves the counts empty are left out). None for a province.
async fn peer_average(
    engine: &Engine,
    region: &Region,
    period: &Period,
    peers: &[Figures],
    total: &Figures,
) -> Result<Option<PeerAverage>> {
    let Some(parent) = &region.parent_code else { return Ok(None) };
    let word = match region.level {
        Level::County => "全市平均",
        _ => "全省平均",
    };
    let sql = format!(
        "SELECT lost, concluded, COALESCE(loss_rate, CASE WHEN concluded > 0 THEN CAST(lost AS DOUBLE) / concluded END) AS loss_rate, \
         appeared, hearings, COALESCE(appearance_rate, CASE WHEN hearings > 0 THEN CAST(appeared AS DOUBLE) / hearings END) AS appearance_rate \
         FROM peers WHERE region_code = '{}' AND period = '{}'",
        parent.replace('\'', ""),
        period.span()
    );
    // A county's peers are computed from the same ledgers, so its city average is their sum;
    // the city's row in the peers table is the province's view and is used for cities only.
    let r = if region.level == Level::City { rows(engine, &sql, &[]).await? } else { Rows::default() };
    let opt_int = |v: &Value| if let Value::Int(i) = v { Some(*i) } else { None };
    let reported = |col: &str| r.rows.first().and_then(|_| float(r.get(0, col)));
    let diff = |own: Option<f64>, avg: f64| own.map(|o| (o - avg) * 100.0);
    let loss = match reported("loss_rate") {
        Some(rate) => Some((rate, opt_int(r.get(0, "lost")), opt_int(r.get(0, "concluded")), "报送")),
        None => {
            let counted = peers.iter().filter(|f| !f.blank.iter().any(|c| c == "lost" || c == "concluded"));
            let (lost, concluded) = counted.fold((0, 0), |(l, c), f| (l + f.lost, c + f.concluded));
            (concluded > 0).then(|| (lost as f64 / concluded as f64, Some(lost), Some(concluded), "合计"))
        }
    };
    let appearance = match reported("appearance_rate") {
        Some(rate) => Some(AppearanceAverage {
            rate,
            appeared: opt_int(r.get(0, "appeared")),
            hearings: opt_int(r.get(0, "hearings")),
            how: "报送".into(),
            diff_pp: diff(total.appearance_rate, rate),
        }),
        None => {
            let counted = peers.iter().filter(|f| !f.blank.iter().any(|c| c == "appeared" || c == "hearings"));
            let (appeared, hearings) = counted.fold((0, 0), |(a, h), f| (a + f.appeared, h + f.hearings));
            (hearings > 0).then(|| {
                let rate = appeared as f64 / hearings as f64;
                AppearanceAverage {
                    rate,
                    appeared: Some(appeared),
                    hearings: Some(hearings),
                    how: "合计".into(),
                    diff_pp: diff(total.appearance_rate, rate),
                }
            })
        }
    };
    Ok(loss.map(|(rate, lost, concluded, how)| PeerAverage {
        loss_rate: rate,
        lost,
        concluded,
        how: how.into(),
        diff_pp: diff(if total.concluded > 0 { total.loss_rate } else { None }, rate),
        appearance,
        word: word.into(),
    }))
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
            let mut v: Vec<&Region> = regions.map.values().filter(|c| c.parent_code.as_deref() == Some(r.code.as_str())).collect();
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

/// Ranks a list by loss rate, low to high, with the contract's tie rule (1, 2, 2, 4).
pub fn rerank(v: &mut [Figures]) {
    let rates: Vec<Option<f64>> = v.iter().map(|f| if f.concluded > 0 { f.loss_rate } else { None }).collect();
    for (i, f) in v.iter_mut().enumerate() {
        f.loss_rank = rates[i].map(|r| 1 + rates.iter().flatten().filter(|o| **o < r).count() as i64);
    }
}

pub fn flag_agencies(agencies: &[Figures], regions: &Regions, t: &Thresholds) -> Vec<Flag> {
    let mut out = Vec::new();
    for a in agencies {
        let interview_rate = a.concluded >= t.interview_min_concluded && a.loss_rate.is_some_and(|r| r >= t.interview_loss_rate);
        let (action, why) = if a.lost >= t.interview_losses || interview_rate {
            let why = if a.lost >= t.interview_losses {
                format!("败诉{}件，达到约谈标准（{}件）", a.lost, t.interview_losses)
            } else {
                format!(
                    "败诉率{:.2}%（{}/{}），达到约谈标准（{:.0}%）",
                    a.loss_rate.unwrap_or(0.0) * 100.0,
                    a.lost,
                    a.concluded,
                    t.interview_loss_rate * 100.0
                )
            };
            ("约谈", why)
        } else if a.lost >= t.letter_losses || a.recon_corrected >= t.letter_corrections {
            let mut parts = Vec::new();
            if a.lost >= t.letter_losses {
                parts.push(format!("败诉{}件", a.lost));
            }
            if a.recon_corrected >= t.letter_corrections {
                parts.push(format!("复议被纠错{}件", a.recon_corrected));
            }
            ("监督意见书", format!("{}，达到制发行政执法监督意见书标准", parts.join("、")))
        } else {
            continue;
        };
        out.push(Flag {
            code: a.code.clone(),
            agency: a.name.clone(),
            region_name: regions.get(&a.code).map(|r| r.name.clone()).unwrap_or_else(|| a.code.clone()),
            lost: a.lost,
            concluded: a.concluded,
            loss_rate: a.loss_rate,
            recon_corrected: a.recon_corrected,
            action: action.into(),
            why,
        });
    }
    out.sort_by(|a, b| {
        (a.action != "约谈", -a.lost, -a.recon_corrected, &a.agency).cmp(&(b.action != "约谈", -b.lost, -b.recon_corrected, &b.agency))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_back_crosses_years() {
        let d = chrono::NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
        assert_eq!(quarters_back(d, 8), vec!["2022Q3", "2022Q4", "2023Q1", "2023Q2", "2023Q3", "2023Q4", "2024Q1", "2024Q2"]);
    }

    #[test]
    fn rerank_shares_the_lowest_rank() {
        let mk = |rate: Option<f64>, concluded| Figures { loss_rate: rate, concluded, ..Default::default() };
        let mut v = vec![mk(Some(0.1), 10), mk(Some(0.2), 5), mk(Some(0.2), 10), mk(Some(0.3), 3), mk(None, 0)];
        rerank(&mut v);
        let ranks: Vec<Option<i64>> = v.iter().map(|f| f.loss_rank).collect();
        assert_eq!(ranks, vec![Some(1), Some(2), Some(2), Some(4), None]);
    }

    #[test]
    fn labels() {
        let p = Period::parse("2024Q2", true).unwrap();
        assert_eq!(period_label(&p), "2024年上半年");
        assert_eq!(period_label(&Period::parse("2024Q3", true).unwrap()), "2024年1—9月");
        assert_eq!(period_label(&Period::parse("2024Q1", false).unwrap()), "2024年第一季度");
        assert_eq!(period_label(&Period::parse("2024M05", false).unwrap()), "2024年5月");
    }
}
