//! The briefing's section 行政执法监督情况: the supervision table's row for the briefing region in
//! the period and cumulatively since `supervision_since` (default: the first issue date in the
//! ledger), the overdue list, the flagged units without action and the effect comparison.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::model::Thresholds;
use crate::Result;
use crate::engine::supervision::{ACTION_WINDOW_DAYS, LetterThresholds};
use crate::engine::{Engine, Period, Units, render};
use crate::output::{Rows, Value};
use crate::warehouse::regions::Region;

const OVERDUE_SQL: &str = include_str!("../../queries/supervision_overdue.sql");
const UNACTED_SQL: &str = include_str!("../../queries/supervision_unacted.sql");
const ROWS_SQL: &str = include_str!("../../queries/supervision_rows.sql");

/// A supervision row behind the dashboard's counts, with the groups it counts in this period.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct SupervisionRow {
    pub doc_no: String,
    pub action: String,
    pub agency: String,
    pub region_name: String,
    pub issued_date: String,
    pub deadline: String,
    pub rectified_date: String,
    pub persons_accountable: Option<i64>,
    pub referred: Option<bool>,
    pub in_period: bool,
    pub due: bool,
    pub on_time: bool,
    pub late: bool,
    pub overdue: bool,
    pub open_not_due: bool,
}

/// One row of the supervision table (`fuyuan supervision`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct SupervisionFigures {
    pub span: String,
    pub label: String,
    pub letters: i64,
    pub letter_units: i64,
    pub rectification_units: i64,
    pub interviews: i64,
    pub interview_units: i64,
    pub circulars: i64,
    pub accountability_actions: i64,
    pub persons_accountable: i64,
    pub referred: i64,
    pub due: i64,
    pub rectified_on_time: i64,
    pub rectified_late: i64,
    pub overdue: i64,
    pub open_not_due: i64,
    pub flagged_units: i64,
    pub flagged_without_action: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct OverdueRow {
    pub agency: String,
    pub region_name: String,
    pub doc_no: String,
    pub action: String,
    pub issued_date: String,
    pub deadline: String,
    /// Days from the deadline to the period's end.
    pub days_overdue: i64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct UnactedRow {
    pub agency: String,
    pub region_name: String,
    pub lost: i64,
    pub corrected: i64,
}

/// One row of the `--effect` table.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct EffectRow {
    pub group: String,
    pub events: Option<i64>,
    pub events_partial: Option<i64>,
    pub units: Option<i64>,
    pub before_concluded: Option<i64>,
    pub before_lost: Option<i64>,
    pub before_loss_rate: Option<f64>,
    pub after_concluded: Option<i64>,
    pub after_lost: Option<i64>,
    pub after_loss_rate: Option<f64>,
    pub loss_rate_change_pp: Option<f64>,
    pub before_decided: Option<i64>,
    pub before_corrected: Option<i64>,
    pub before_correction_rate: Option<f64>,
    pub after_decided: Option<i64>,
    pub after_corrected: Option<i64>,
    pub after_correction_rate: Option<f64>,
    pub correction_rate_change_pp: Option<f64>,
    pub note: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct SupervisionSection {
    pub this_period: SupervisionFigures,
    pub cumulative: SupervisionFigures,
    pub overdue: Vec<OverdueRow>,
    pub unacted: Vec<UnactedRow>,
    pub effect: Vec<EffectRow>,
    /// True when both groups have enough concluded cases for the difference to be read.
    pub effect_measured: bool,
    /// The rows behind this period's counts (drill-down).
    pub rows: Vec<SupervisionRow>,
}

fn int(v: &Value) -> i64 {
    match v {
        Value::Int(i) => *i,
        other => other.plain().parse().unwrap_or(0),
    }
}

fn opt_int(v: &Value) -> Option<i64> {
    match v {
        Value::Null => None,
        other => Some(int(other)),
    }
}

fn opt_float(v: &Value) -> Option<f64> {
    match v {
        Value::Float(f) => Some(*f),
        Value::Null => None,
        other => other.plain().parse().ok(),
    }
}

fn figures(rows: &Rows, code: &str, span: String, label: String) -> SupervisionFigures {
    let Some(i) = (0..rows.rows.len()).find(|&i| rows.get(i, "region_code").plain() == code) else {
        return SupervisionFigures { span, label, ..Default::default() };
    };
    let g = |n: &str| int(rows.get(i, n));
    SupervisionFigures {
        span,
        label,
        letters: g("letters"),
        letter_units: g("letter_units"),
        rectification_units: g("rectification_units"),
        interviews: g("interviews"),
        interview_units: g("interview_units"),
        circulars: g("circulars"),
        accountability_actions: g("accountability_actions"),
        persons_accountable: g("persons_accountable"),
        referred: g("referred"),
        due: g("due"),
        rectified_on_time: g("rectified_on_time"),
        rectified_late: g("rectified_late"),
        overdue: g("overdue"),
        open_not_due: g("open_not_due"),
        flagged_units: g("flagged_units"),
        flagged_without_action: g("flagged_without_action"),
    }
}

fn cn_date(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// The section, or None when the warehouse holds no supervision rows.
pub async fn section(engine: &Engine, region: &Region, period: &Period, thresholds: &Thresholds) -> Result<Option<SupervisionSection>> {
    let (schema, batches) = engine.query_internal("SELECT CAST(MIN(issued_date) AS VARCHAR) AS first FROM supervision").await?;
    let first = Rows::from_batches(&schema, &batches)?;
    let Some(first) = first.rows.first().and_then(|r| r.first()).map(Value::plain).and_then(|s| s.parse::<NaiveDate>().ok()) else {
        return Ok(None);
    };
    let since = thresholds.supervision_since.unwrap_or(first).min(period.end);
    let t = LetterThresholds { losses: thresholds.letter_losses, corrections: thresholds.letter_corrections };
    let units = Units::Regions { level: region.level, parent: region.parent_code.clone() };
    let (schema, batches) = engine.supervision(period, &units, t).await?;
    let this_period =
        figures(&Rows::from_batches(&schema, &batches)?, &region.code, period.span(), super::model::PeriodInfo::of(period).label);
    let cumulative_period = Period::parse(&format!("{since}..{}", period.end), false)?;
    let (schema, batches) = engine.supervision(&cumulative_period, &units, t).await?;
    let cumulative =
        figures(&Rows::from_batches(&schema, &batches)?, &region.code, cumulative_period.span(), format!("{}以来", cn_date(since)));

    let params = [
        ("region", region.code.clone()),
        ("start", period.start.to_string()),
        ("end", period.end.to_string()),
        ("action_until", (period.end + chrono::Duration::days(ACTION_WINDOW_DAYS)).to_string()),
        ("letter_losses", t.losses.to_string()),
        ("letter_corrections", t.corrections.to_string()),
    ];
    let (schema, batches) = engine.query_internal(&render(OVERDUE_SQL, &params)?).await?;
    let o = Rows::from_batches(&schema, &batches)?;
    let overdue = (0..o.rows.len())
        .map(|i| {
            let deadline = o.get(i, "deadline").plain();
            let days = deadline.parse::<NaiveDate>().map(|d| (period.end - d).num_days()).unwrap_or(0);
            OverdueRow {
                agency: o.get(i, "agency").plain(),
                region_name: o.get(i, "region_name").plain(),
                doc_no: o.get(i, "doc_no").plain(),
                action: o.get(i, "action").plain(),
                issued_date: o.get(i, "issued_date").plain(),
                deadline,
                days_overdue: days,
            }
        })
        .collect();
    let (schema, batches) = engine.query_internal(&render(UNACTED_SQL, &params)?).await?;
    let u = Rows::from_batches(&schema, &batches)?;
    let unacted = (0..u.rows.len())
        .map(|i| UnactedRow {
            agency: u.get(i, "agency").plain(),
            region_name: u.get(i, "region_name").plain(),
            lost: int(u.get(i, "lost")),
            corrected: int(u.get(i, "corrected")),
        })
        .collect();
    let (schema, batches) = engine.supervision_effect(&cumulative_period, Some(&region.code), t).await?;
    let e = Rows::from_batches(&schema, &batches)?;
    let effect: Vec<EffectRow> = (0..e.rows.len())
        .map(|i| {
            let oi = |n: &str| opt_int(e.get(i, n));
            let of = |n: &str| opt_float(e.get(i, n));
            EffectRow {
                group: e.get(i, "group").plain(),
                events: oi("events"),
                events_partial: oi("events_partial"),
                units: oi("units"),
                before_concluded: oi("before_concluded"),
                before_lost: oi("before_lost"),
                before_loss_rate: of("before_loss_rate"),
                after_concluded: oi("after_concluded"),
                after_lost: oi("after_lost"),
                after_loss_rate: of("after_loss_rate"),
                loss_rate_change_pp: of("loss_rate_change_pp"),
                before_decided: oi("before_decided"),
                before_corrected: oi("before_corrected"),
                before_correction_rate: of("before_correction_rate"),
                after_decided: oi("after_decided"),
                after_corrected: oi("after_corrected"),
                after_correction_rate: of("after_correction_rate"),
                correction_rate_change_pp: of("correction_rate_change_pp"),
                note: e.get(i, "note").plain(),
            }
        })
        .collect();
    let effect_measured = effect.iter().any(|r| r.group == "difference" && r.note == "effect measured");
    let (schema, batches) = engine.query_internal(&render(ROWS_SQL, &params)?).await?;
    let r = Rows::from_batches(&schema, &batches)?;
    let flag = |i: usize, n: &str| matches!(r.get(i, n), Value::Bool(true));
    let rows = (0..r.rows.len())
        .map(|i| SupervisionRow {
            doc_no: r.get(i, "doc_no").plain(),
            action: r.get(i, "action").plain(),
            agency: r.get(i, "agency").plain(),
            region_name: r.get(i, "region_name").plain(),
            issued_date: r.get(i, "issued_date").plain(),
            deadline: r.get(i, "deadline").plain(),
            rectified_date: r.get(i, "rectified_date").plain(),
            persons_accountable: opt_int(r.get(i, "persons_accountable")),
            referred: match r.get(i, "referred") {
                Value::Bool(b) => Some(*b),
                _ => None,
            },
            in_period: flag(i, "in_period"),
            due: flag(i, "due"),
            on_time: flag(i, "on_time"),
            late: flag(i, "late"),
            overdue: flag(i, "overdue"),
            open_not_due: flag(i, "open_not_due"),
        })
        .collect();
    Ok(Some(SupervisionSection { this_period, cumulative, overdue, unacted, effect, effect_measured, rows }))
}
