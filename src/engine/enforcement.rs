//! Township enforcement figures (乡镇综合行政执法): `fuyuan enforcement`, the briefing's township
//! section and the dashboard's township table all read this one query, `queries/enforcement.sql`.
use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;

use super::{Engine, Period, UNITS_REGION_SQL, render};
use crate::warehouse::regions::Level;
use crate::{Error, Result};

pub const ENFORCEMENT_SQL: &str = include_str!("../../queries/enforcement.sql");

/// The columns of `fuyuan enforcement`, in order.
pub const ENFORCEMENT_COLUMNS: [&str; 15] = [
    "period",
    "region_code",
    "region_name",
    "townships",
    "townships_with_cases",
    "township_cases",
    "township_fines_yuan",
    "delegated_cases",
    "delegated_fines_yuan",
    "penalty_cases",
    "fines_yuan",
    "confiscated_yuan",
    "lenient_cases",
    "lenient_rate",
    "severe_cases",
];

impl Engine {
    /// One row per region of `level` (below `parent` when given), activity or not.
    pub async fn enforcement(&self, period: &Period, level: Level, parent: Option<&str>) -> Result<(SchemaRef, Vec<RecordBatch>)> {
        let parent = parent.unwrap_or_default().to_string();
        if !parent.chars().all(|c| c.is_ascii_digit()) {
            return Err(Error::Usage(format!("--parent '{parent}' is not a region code")));
        }
        let params = [
            ("level", level.name().to_string()),
            ("parent", parent),
            ("start", period.start.to_string()),
            ("end", period.end.to_string()),
            ("period", period.span()),
        ];
        // The same units as `fuyuan metrics` (units_region.sql), replacing any earlier ones.
        let units = render(UNITS_REGION_SQL, &params)?.replace("CREATE VIEW", "CREATE OR REPLACE VIEW");
        self.run_script(&units).await?;
        self.collect(&render(ENFORCEMENT_SQL, &params)?, None).await
    }
}
