//! The supervision table (`fuyuan supervision`): letters, interviews, accountability and
//! rectification per region or agency, from `queries/supervision*.sql`.
use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;

use super::{Engine, Period, UNITS_AGENCY_SQL, UNITS_REGION_SQL, Units, render};
use crate::{Error, Result};

pub const SUPERVISION_SQL: &str = include_str!("../../queries/supervision.sql");
pub const SUPERVISION_UNITS_REGION_SQL: &str = include_str!("../../queries/supervision_units_region.sql");
pub const SUPERVISION_UNITS_AGENCY_SQL: &str = include_str!("../../queries/supervision_units_agency.sql");
pub const SUPERVISION_EFFECT_SQL: &str = include_str!("../../queries/supervision_effect.sql");

/// The columns of `fuyuan supervision`, in order.
pub const SUPERVISION_COLUMNS: [&str; 19] = [
    "period",
    "region_code",
    "region_name",
    "letters",
    "letter_units",
    "rectification_units",
    "interviews",
    "interview_units",
    "circulars",
    "accountability_actions",
    "persons_accountable",
    "referred",
    "due",
    "rectified_on_time",
    "rectified_late",
    "overdue",
    "open_not_due",
    "flagged_units",
    "flagged_without_action",
];

/// Days after a period's end within which a supervision row still answers a flag (应发未发).
pub const ACTION_WINDOW_DAYS: i64 = 90;

/// The supervision-letter thresholds (`[thresholds]` in fuyuan.toml) a flagged unit has met.
#[derive(Debug, Clone, Copy)]
pub struct LetterThresholds {
    pub losses: i64,
    pub corrections: i64,
}

impl Engine {
    /// Creates the unit views (regions or agencies) and their supervision rows for `units`.
    async fn supervision_views(&self, units: &Units, params: &[(&str, String)]) -> Result<()> {
        let (base, sup) = match units {
            Units::Regions { .. } => (UNITS_REGION_SQL, SUPERVISION_UNITS_REGION_SQL),
            Units::Agencies { .. } => (UNITS_AGENCY_SQL, SUPERVISION_UNITS_AGENCY_SQL),
        };
        for script in [base, sup] {
            self.run_script(&render(script, params)?.replace("CREATE VIEW", "CREATE OR REPLACE VIEW")).await?;
        }
        Ok(())
    }

    /// The supervision table for one period and one set of units.
    pub async fn supervision(&self, period: &Period, units: &Units, t: LetterThresholds) -> Result<(SchemaRef, Vec<RecordBatch>)> {
        let params = unit_params(period, units, t)?;
        self.supervision_views(units, &params).await?;
        self.query_internal(&render(SUPERVISION_SQL, &params)?).await
    }
}

impl Engine {
    /// Before/after figures of supervised units against a comparison group (`--effect`).
    pub async fn supervision_effect(
        &self,
        period: &Period,
        parent: Option<&str>,
        t: LetterThresholds,
    ) -> Result<(SchemaRef, Vec<RecordBatch>)> {
        // Its plan is deeper than a Ballista scheduler decodes (prost's recursion limit): on a
        // cluster it runs in this process, over the same Parquet parts (docs/ballista.md).
        if !matches!(self.target(), crate::engine::Target::Local) {
            let wh = crate::warehouse::Warehouse::new(&self.root);
            let local = Engine::open_on(&wh, self.limits.clone(), &crate::engine::Target::Local).await?;
            return local.supervision_effect_here(period, parent, t).await;
        }
        self.supervision_effect_here(period, parent, t).await
    }

    async fn supervision_effect_here(
        &self,
        period: &Period,
        parent: Option<&str>,
        t: LetterThresholds,
    ) -> Result<(SchemaRef, Vec<RecordBatch>)> {
        let units = Units::Regions { level: crate::warehouse::regions::Level::County, parent: parent.map(str::to_string) };
        let mut params = unit_params(period, &units, t)?;
        params.push(("quarters", quarter_values(period)));
        self.query_internal(&render(SUPERVISION_EFFECT_SQL, &params)?).await
    }
}

/// The quarters whose comparison date (the day after the quarter's end) lies in the period, as
/// SQL rows (start, end, end + 90 days); a never-matching row when there is none.
fn quarter_values(period: &Period) -> String {
    use chrono::Datelike;
    let mut rows = Vec::new();
    for year in period.start.year() - 1..=period.end.year() {
        for q in 0..4u32 {
            let qs = chrono::NaiveDate::from_ymd_opt(year, 3 * q + 1, 1).expect("valid date");
            let next =
                if q == 3 { chrono::NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { chrono::NaiveDate::from_ymd_opt(year, 3 * q + 4, 1) };
            let next = next.expect("valid date");
            let qe = next.pred_opt().expect("valid date");
            if next >= period.start && next <= period.end {
                let until = qe + chrono::Duration::days(ACTION_WINDOW_DAYS);
                rows.push(format!("(DATE '{qs}', DATE '{qe}', DATE '{until}')"));
            }
        }
    }
    if rows.is_empty() {
        rows.push("(DATE '1900-01-01', DATE '1899-12-31', DATE '1899-12-31')".into());
    }
    rows.join(", ")
}

/// The query parameters: period bounds, the unit selection and the thresholds.
pub fn unit_params(period: &Period, units: &Units, t: LetterThresholds) -> Result<Vec<(&'static str, String)>> {
    let (level, parent) = match units {
        Units::Regions { level, parent } => (level.name().to_string(), parent.clone().unwrap_or_default()),
        Units::Agencies { level, parent } => (level.map(|l| l.name().to_string()).unwrap_or_default(), parent.clone().unwrap_or_default()),
    };
    if !parent.chars().all(|c| c.is_ascii_digit()) {
        return Err(Error::Usage(format!("--parent '{parent}' is not a region code")));
    }
    let all_agencies = (level.is_empty() && parent.is_empty()).to_string();
    let until = period.end + chrono::Duration::days(ACTION_WINDOW_DAYS);
    Ok(vec![
        ("all_agencies", all_agencies),
        ("level", level),
        ("parent", parent),
        ("start", period.start.to_string()),
        ("end", period.end.to_string()),
        ("prev_start", period.prev_start.to_string()),
        ("prev_end", period.prev_end.to_string()),
        ("period", period.span()),
        ("action_until", until.to_string()),
        ("letter_losses", t.losses.to_string()),
        ("letter_corrections", t.corrections.to_string()),
    ])
}
