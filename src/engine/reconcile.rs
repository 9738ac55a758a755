//! The court's list against the agencies' ledger (府院信息共享): the discrepancy list and its
//! per-region summary, both SQL from `queries/reconcile*.sql`.
use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;

use super::{Engine, Period, UNITS_REGION_SQL, render};
use crate::warehouse::regions::Level;
use crate::{Error, Result};

pub const RECONCILE_VIEWS_SQL: &str = include_str!("../../queries/reconcile_views.sql");
pub const RECONCILE_SQL: &str = include_str!("../../queries/reconcile.sql");
pub const RECONCILE_SUMMARY_SQL: &str = include_str!("../../queries/reconcile_summary.sql");
pub const RECONCILE_RATES_SQL: &str = include_str!("../../queries/reconcile_rates.sql");
pub const RECONCILE_UNITS_SQL: &str = include_str!("../../queries/reconcile_units.sql");

/// The columns of `fuyuan reconcile`, in order.
pub const RECONCILE_COLUMNS: [&str; 7] = ["case_no", "region_code", "defendant", "kind", "field", "ledger_value", "court_value"];

/// The columns of `fuyuan reconcile --summary`, in order.
pub const RECONCILE_SUMMARY_COLUMNS: [&str; 12] = [
    "period",
    "region_code",
    "region_name",
    "court_cases",
    "ledger_cases",
    "matched",
    "missing_in_ledger",
    "missing_in_court",
    "mismatched_cases",
    "loss_not_reported",
    "court_lost",
    "ledger_lost",
];

fn digits(what: &str, code: &str) -> Result<()> {
    if code.chars().all(|c| c.is_ascii_digit()) { Ok(()) } else { Err(Error::Usage(format!("{what} '{code}' is not a region code"))) }
}

impl Engine {
    async fn reconcile_views(&self, period: &Period, region: &str) -> Result<()> {
        digits("--region", region)?;
        let params = [("start", period.start.to_string()), ("end", period.end.to_string()), ("region", region.to_string())];
        self.run_script(&render(RECONCILE_VIEWS_SQL, &params)?).await
    }

    /// The discrepancy list for P under `region` (every region when None).
    pub async fn reconcile(&self, period: &Period, region: Option<&str>) -> Result<(SchemaRef, Vec<RecordBatch>)> {
        self.reconcile_views(period, region.unwrap_or("")).await?;
        self.query_internal(RECONCILE_SQL).await
    }

    /// One row per region of `level` (below `parent`), descendants rolled up.
    pub async fn reconcile_summary(&self, period: &Period, level: Level, parent: Option<&str>) -> Result<(SchemaRef, Vec<RecordBatch>)> {
        let parent = parent.unwrap_or("");
        digits("--parent", parent)?;
        self.reconcile_views(period, "").await?;
        let params = [
            ("level", level.name().to_string()),
            ("parent", parent.to_string()),
            ("start", period.start.to_string()),
            ("end", period.end.to_string()),
            ("period", period.span()),
        ];
        let units = render(UNITS_REGION_SQL, &params)?.replace("CREATE VIEW", "CREATE OR REPLACE VIEW");
        self.run_script(&units).await?;
        self.query_internal(&render(RECONCILE_SUMMARY_SQL, &params)?).await
    }

    /// Each side's concluded cases, losses and loss rate under `region` (rows `court`, `ledger`).
    pub async fn reconcile_rates(&self, period: &Period, region: &str) -> Result<(SchemaRef, Vec<RecordBatch>)> {
        digits("--region", region)?;
        let params = [("start", period.start.to_string()), ("end", period.end.to_string()), ("region", region.to_string())];
        self.query_internal(&render(RECONCILE_RATES_SQL, &params)?).await
    }

    /// The agencies behind the discrepancies under `region`, most first.
    pub async fn reconcile_units(&self, period: &Period, region: &str) -> Result<(SchemaRef, Vec<RecordBatch>)> {
        self.reconcile_views(period, region).await?;
        self.query_internal(RECONCILE_UNITS_SQL).await
    }

    /// Whether the court's list holds any first-instance case filed or closed in P (the briefing
    /// and dashboard print their reconciliation parts only then).
    pub async fn has_court_list(&self, period: &Period) -> Result<bool> {
        let sql = format!(
            "SELECT COUNT(*) AS n FROM court WHERE first_instance AND (filed_date BETWEEN DATE '{s}' AND DATE '{e}' OR closed_date BETWEEN DATE '{s}' AND DATE '{e}')",
            s = period.start,
            e = period.end
        );
        let (_, batches) = self.query_internal(&sql).await?;
        let n = batches
            .first()
            .filter(|b| b.num_rows() > 0)
            .and_then(|b| b.column(0).as_any().downcast_ref::<arrow::array::Int64Array>().map(|a| a.value(0)))
            .unwrap_or(0);
        Ok(n > 0)
    }
}
