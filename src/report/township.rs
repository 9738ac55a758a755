//! The briefing's township enforcement section (乡镇综合行政执法): the region's figures since the
//! reform, this period against the same span a year earlier, the townships ranked by cases, the
//! townships without a case, and the decisions behind each count. Every figure is a row of
//! `queries/enforcement.sql` (the table `fuyuan enforcement` prints); absent when the region has
//! no township in the dimension.
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::engine::{Engine, Period, render};
use crate::output::{Rows, Value};
use crate::warehouse::regions::{Level, Region, Regions};
use crate::{Error, Result};

pub const TOWNSHIP_DECISIONS_SQL: &str = include_str!("../../queries/township_decisions.sql");

/// The reform date the cumulative sentence counts from when fuyuan.toml does not set one.
pub const DEFAULT_REFORM_START: &str = "2023-05-30";

/// One row of the enforcement table, typed.
#[derive(Debug, Clone, Serialize, Deserialize, Default, PartialEq)]
pub struct Enforcement {
    pub code: String,
    pub name: String,
    pub span: String,
    pub townships: i64,
    pub townships_with_cases: i64,
    pub township_cases: i64,
    /// Money as printed: two decimals.
    pub township_fines_yuan: String,
    /// The same in 万元, two decimals (rounded half up from the exact yuan).
    pub township_fines_wan: String,
    pub delegated_cases: i64,
    pub delegated_fines_yuan: String,
    pub penalty_cases: i64,
    pub fines_yuan: String,
    pub confiscated_yuan: String,
    pub lenient_cases: i64,
    pub lenient_rate: Option<f64>,
    pub severe_cases: i64,
    /// Townships only: the county-level unit it belongs to.
    pub parent_name: Option<String>,
    /// Townships with cases only: rank by township_cases, most first (ties share the rank).
    pub rank: Option<i64>,
}

fn int(v: &Value) -> i64 {
    if let Value::Int(i) = v { *i } else { 0 }
}

/// Yuan with two decimals → 万元 with two decimals, half up, on the exact digits.
pub fn wan(yuan: &str) -> String {
    let (neg, digits) = yuan.strip_prefix('-').map(|d| (true, d)).unwrap_or((false, yuan));
    let (int_part, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let cents: i128 = format!("{int_part}{:0<2}", &frac[..frac.len().min(2)]).parse().unwrap_or(0);
    // 1 万元 = 1,000,000 cents; keep 2 decimals of 万 → units of 10,000 cents.
    let hundredths = (cents + 5_000) / 10_000;
    format!("{}{}.{:02}", if neg && hundredths > 0 { "-" } else { "" }, hundredths / 100, hundredths % 100)
}

impl Enforcement {
    pub fn from_rows(rows: &Rows) -> Vec<Enforcement> {
        (0..rows.rows.len())
            .map(|i| {
                let g = |c: &str| rows.get(i, c);
                let fines = g("township_fines_yuan").plain();
                Enforcement {
                    code: g("region_code").plain(),
                    name: g("region_name").plain(),
                    span: g("period").plain(),
                    townships: int(g("townships")),
                    townships_with_cases: int(g("townships_with_cases")),
                    township_cases: int(g("township_cases")),
                    township_fines_wan: wan(&fines),
                    township_fines_yuan: fines,
                    delegated_cases: int(g("delegated_cases")),
                    delegated_fines_yuan: g("delegated_fines_yuan").plain(),
                    penalty_cases: int(g("penalty_cases")),
                    fines_yuan: g("fines_yuan").plain(),
                    confiscated_yuan: g("confiscated_yuan").plain(),
                    lenient_cases: int(g("lenient_cases")),
                    lenient_rate: g("lenient_rate").as_f64(),
                    severe_cases: int(g("severe_cases")),
                    parent_name: None,
                    rank: None,
                }
            })
            .collect()
    }
}

/// A penalty decision behind a township's count (no personal names: the party is stored masked).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TownshipDecision {
    pub township: String,
    pub decision_no: String,
    pub agency: String,
    pub decided_date: String,
    pub penalty_kind: Option<String>,
    pub fine_yuan: Option<String>,
    pub leniency: Option<String>,
    pub delegated: Option<bool>,
    pub party: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TownshipSection {
    /// The reform date (fuyuan.toml `township_reform_start`), ISO.
    pub reform_start: String,
    /// The region from the reform date to the period's end; None when the reform starts later.
    pub since_reform: Option<Enforcement>,
    pub current: Enforcement,
    /// The same span one year earlier.
    pub previous: Enforcement,
    /// Townships with cases, by cases (then fines, then code), with their rank (ties share it).
    pub ranked: Vec<Enforcement>,
    /// Townships without a township case in the period, by code.
    pub without_cases: Vec<Enforcement>,
    pub decisions: Vec<TownshipDecision>,
}

fn opt(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        other => Some(other.plain()),
    }
}

async fn region_row(engine: &Engine, period: &Period, region: &Region) -> Result<Enforcement> {
    let (schema, batches) = engine.enforcement(period, region.level, region.parent_code.as_deref()).await?;
    Enforcement::from_rows(&Rows::from_batches(&schema, &batches)?)
        .into_iter()
        .find(|e| e.code == region.code)
        .ok_or_else(|| Error::Other(format!("no enforcement row for {}", region.code)))
}

/// The section for `region`, or None when the region has no township in the dimension.
pub async fn build(
    engine: &Engine,
    regions: &Regions,
    region: &Region,
    period: &Period,
    reform_start: NaiveDate,
) -> Result<Option<TownshipSection>> {
    if region.level == Level::Township {
        return Ok(None);
    }
    let current = region_row(engine, period, region).await?;
    if current.townships == 0 {
        return Ok(None);
    }
    let prev = Period { start: period.prev_start, end: period.prev_end, ..period.clone() };
    let previous = region_row(engine, &prev, region).await?;
    let since_reform = if reform_start <= period.end {
        let span = Period::parse(&format!("{reform_start}..{}", period.end), false)?;
        Some(region_row(engine, &span, region).await?)
    } else {
        None
    };
    let (schema, batches) = engine.enforcement(period, Level::Township, Some(&region.code)).await?;
    let mut towns = Enforcement::from_rows(&Rows::from_batches(&schema, &batches)?);
    for t in &mut towns {
        t.parent_name = regions.get(&t.code).and_then(|r| r.parent_code.as_deref()).and_then(|p| regions.get(p)).map(|p| p.name.clone());
    }
    let (mut with, without): (Vec<Enforcement>, Vec<Enforcement>) = towns.into_iter().partition(|t| t.township_cases > 0);
    let fines = |e: &Enforcement| e.township_fines_yuan.parse::<f64>().unwrap_or(0.0);
    with.sort_by(|a, b| b.township_cases.cmp(&a.township_cases).then(fines(b).total_cmp(&fines(a))).then(a.code.cmp(&b.code)));
    let counts: Vec<i64> = with.iter().map(|t| t.township_cases).collect();
    let ranked = with
        .into_iter()
        .map(|t| Enforcement { rank: Some(1 + counts.iter().filter(|c| **c > t.township_cases).count() as i64), ..t })
        .collect();

    let params = [("region", region.code.clone()), ("start", period.start.to_string()), ("end", period.end.to_string())];
    let (schema, batches) = engine.query_internal(&render(TOWNSHIP_DECISIONS_SQL, &params)?).await?;
    let d = Rows::from_batches(&schema, &batches)?;
    let decisions = (0..d.rows.len())
        .map(|i| {
            let g = |c: &str| d.get(i, c);
            TownshipDecision {
                township: g("region_code").plain(),
                decision_no: g("decision_no").plain(),
                agency: g("agency").plain(),
                decided_date: g("decided_date").plain(),
                penalty_kind: opt(g("penalty_kind")),
                fine_yuan: opt(g("fine_yuan")),
                leniency: opt(g("leniency")),
                delegated: if let Value::Bool(b) = g("delegated") { Some(*b) } else { None },
                party: opt(g("party")),
            }
        })
        .collect();
    Ok(Some(TownshipSection {
        reform_start: reform_start.to_string(),
        since_reform,
        current,
        previous,
        ranked,
        without_cases: without,
        decisions,
    }))
}

#[cfg(test)]
mod tests {
    use super::wan;

    #[test]
    fn wan_rounds_half_up_on_exact_digits() {
        assert_eq!(wan("3290800.00"), "329.08");
        assert_eq!(wan("3290850.00"), "329.09");
        assert_eq!(wan("3290849.99"), "329.08");
        assert_eq!(wan("0.00"), "0.00");
        assert_eq!(wan("49.99"), "0.00");
        assert_eq!(wan("50.00"), "0.01");
        assert_eq!(wan("1000.5"), "0.10");
    }
}
