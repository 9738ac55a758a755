//! `period = "latest"`: the last quarter that has ended (as of today) and holds filings, with a
//! one-line reason the run prints first. The choice is SQL (`queries/latest_quarter.sql`).
use arrow::array::Array;
use arrow::util::display::array_value_to_string;
use chrono::{Datelike, NaiveDate};

use super::Engine;
use crate::{Error, Result};

pub const LATEST_QUARTER_SQL: &str = include_str!("../../queries/latest_quarter.sql");

/// The quarter `latest` stands for, and the facts behind the choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Latest {
    /// e.g. `2024Q4`.
    pub period: String,
    pub today: NaiveDate,
    /// Filings in the chosen quarter.
    pub filings: i64,
    /// The latest filing date in the warehouse.
    pub latest_filing: String,
    /// Filings after the chosen quarter (in quarters not yet ended).
    pub later_filings: i64,
}

impl Latest {
    /// Why this quarter: what the run's first line says.
    pub fn reason(&self) -> String {
        let mut s =
            format!("latest = {}: the last quarter ended by {} that holds filings ({} filed)", self.period, self.today, self.filings);
        if self.later_filings > 0 {
            s.push_str(&format!(
                "; the {} filing(s) after it, up to {}, are in {}, which has not ended",
                self.later_filings,
                self.latest_filing,
                quarter_name(self.today)
            ));
        }
        s
    }
}

/// `2025Q1` for a date in it.
pub fn quarter_name(d: NaiveDate) -> String {
    format!("{}Q{}", d.year(), (d.month() - 1) / 3 + 1)
}

impl Engine {
    /// The last quarter ended by `today` that holds a litigation filing.
    pub async fn latest_quarter(&self, today: NaiveDate) -> Result<Latest> {
        let sql = super::render(LATEST_QUARTER_SQL, &[("today", today.format("%Y-%m-%d").to_string())])?;
        let (_, batches) = self.query_internal(&sql).await?;
        let Some(b) = batches.iter().find(|b| b.num_rows() > 0) else {
            return Err(Error::Usage("the warehouse has no litigation cases, so there is no latest quarter: give --period".into()));
        };
        // Read as text: the string type (Utf8 or Utf8View) depends on the session's settings.
        let text = |i: usize| {
            let a = b.column(i);
            if a.is_null(0) { None } else { array_value_to_string(a, 0).ok() }
        };
        let int = |i: usize| text(i).and_then(|s| s.parse::<i64>().ok()).unwrap_or(0);
        let latest_filing = text(2).unwrap_or_default();
        let Some(start) = text(0) else {
            return Err(Error::Usage(format!(
                "no quarter ended by {today} holds a filing (the latest filing is {latest_filing}), so there is no latest quarter: give --period"
            )));
        };
        let start = NaiveDate::parse_from_str(&start, "%Y-%m-%d").map_err(|e| Error::Other(format!("latest quarter: {e}")))?;
        Ok(Latest { period: quarter_name(start), today, filings: int(1), latest_filing, later_filings: int(3) })
    }
}
