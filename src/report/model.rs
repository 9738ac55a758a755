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
    /// 各县(市、区) for a city, 各乡镇(街道) for a county, 各市 for a province.
    pub subunit_word: String,
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
    let (scope_word, subunit_word, sub_level) = match region.level {
        Level::Province => ("全省", "各市", Level::City),
        Level::City => ("全市", "各县(市、区)", Level::County),
        Level::County => ("全县(市、区)", "各乡镇(街道)", Level::Township),
        Level::Township => return Err(Error::Usage(format!("{} is a township: brief a city or county", region.name))),
    };
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
    let peer_average = peer_average(engine, region, period, &peers).await?;
    let peer_word = match region.level {
        Level::City => "全省各市".to_string(),
        Level::County => "全市各县(市、区)".to_string(),
        _ => "同级地区".to_string(),
    };
    let supervision = super::supervision::section(engine, region, period, thresholds).await?;
    let period_info = PeriodInfo::of(period);
    let title = format!("关于{}{}行政诉讼“双下降”工作和行政机关负责人出庭应诉情况的通报", period_info.label, scope_word);
    Ok(Briefing {
        title,
        region_code: region.code.clone(),
        region_name: region.name.clone(),
        scope_word: scope_word.into(),
        subunit_word: subunit_word.into(),
        period: period_info,
        generated_on,
        peer_rank: total.loss_rank,
        total,
        peer_ranked,
        peer_word,
        peers,
        subunits,
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

async fn peer_average(engine: &Engine, region: &Region, period: &Period, peers: &[Figures]) -> Result<Option<PeerAverage>> {
    if let Some(parent) = &region.parent_code {
        let sql = format!(
            "SELECT lost, concluded, COALESCE(loss_rate, CASE WHEN concluded > 0 THEN CAST(lost AS DOUBLE) / concluded END) AS loss_rate \
             FROM peers WHERE region_code = '{}' AND period = '{}'",
            parent.replace('\'', ""),
            period.span()
        );
        let r = rows(engine, &sql, &[]).await?;
        if let Some(rate) = r.rows.first().and_then(|_| float(r.get(0, "loss_rate"))) {
            let opt_int = |v: &Value| if let Value::Int(i) = v { Some(*i) } else { None };
            return Ok(Some(PeerAverage {
                loss_rate: rate,
                lost: opt_int(r.get(0, "lost")),
                concluded: opt_int(r.get(0, "concluded")),
                how: "报送".into(),
            }));
        }
    }
    let counted = peers.iter().filter(|f| !f.blank.iter().any(|c| c == "lost" || c == "concluded"));
    let (lost, concluded) = counted.fold((0, 0), |(l, c), f| (l + f.lost, c + f.concluded));
    Ok((concluded > 0).then(|| PeerAverage {
        loss_rate: lost as f64 / concluded as f64,
        lost: Some(lost),
        concluded: Some(concluded),
        how: "合计".into(),
    }))
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
