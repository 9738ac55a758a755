//! The briefing computed from the engine: the metrics of the region, its peers, sub-units and
//! agencies, the trend, domains, reasons and case lists, and the peers' average.
use chrono::Datelike;

use super::{
    AppearanceAverage, Briefing, CaseRow, DomainRow, Figures, LevelWords, PeerAverage, PeriodInfo, ReasonRow, ReconCaseRow, ReportedSelf,
    Thresholds, TrendPoint, flag_agencies, float, int, rerank,
};
use crate::engine::{Engine, Period, Units, render};
use crate::output::{Rows, Value};
use crate::warehouse::regions::{Level, Region, Regions};
use crate::{Error, Result};

pub const BY_DOMAIN_SQL: &str = include_str!("../../../queries/by_domain.sql");
pub const LOSS_REASONS_SQL: &str = include_str!("../../../queries/loss_reasons.sql");
pub const CASES_SQL: &str = include_str!("../../../queries/cases.sql");
pub const RECON_CASES_SQL: &str = include_str!("../../../queries/recon_cases.sql");
pub const PEERS_ROW_SQL: &str = include_str!("../../../queries/peers_row.sql");

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
        crate::report::reconcile::for_briefing(engine, region, sub_level, period, &|code: &str| unit_of(regions, code, &subunits)).await?;

    let flags = flag_agencies(&all_agencies, regions, thresholds);
    let reported_self = reported_self(engine, region, period, &total).await?;
    let peer_average = peer_average(engine, region, period, &peers, &total).await?;
    let peer_word = words.peers.clone();
    let is_active = |f: &&Figures| f.filed > 0 || f.concluded > 0 || f.hearings > 0;
    let active_subunits: Vec<Figures> = subunits.iter().filter(is_active).cloned().collect();
    let idle_subunits: Vec<String> = subunits.iter().filter(|f| !is_active(f)).map(|f| f.name.clone()).collect();
    let supervision = crate::report::supervision::section(engine, region, period, thresholds).await?;
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
    let r = rows(engine, PEERS_ROW_SQL, &[("code", region.code.replace('\'', "")), ("span", period.span())]).await?;
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
    let params = [("code", parent.replace('\'', "")), ("span", period.span())];
    // A county's peers are computed from the same ledgers, so its city average is their sum;
    // the city's row in the peers table is the province's view and is used for cities only.
    let r = if region.level == Level::City { rows(engine, PEERS_ROW_SQL, &params).await? } else { Rows::default() };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_back_crosses_years() {
        let d = chrono::NaiveDate::from_ymd_opt(2024, 6, 30).unwrap();
        assert_eq!(quarters_back(d, 8), vec!["2022Q3", "2022Q4", "2023Q1", "2023Q2", "2023Q3", "2023Q4", "2024Q1", "2024Q2"]);
    }
}
