//! `fuyuan metrics --period P [--ytd] --level L [--parent CODE] [--by agency]
//! [--warehouse DIR] [--format table|csv|json]` — docs/metrics.md, one row per region of the level
//! (activity or not) or per agency, with exactly the documented columns in order.
use std::io::Write;

use super::EngineArg;
use super::WarehouseArg;
use crate::engine::{Engine, Limits, Period, Target, Units};
use crate::output::{self, Format, Rows};
use crate::warehouse::Warehouse;
use crate::warehouse::regions::Level;
use crate::{Error, Result};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 2024, 2024Q2, 2024H1 or 2024M05.
    #[arg(long)]
    pub period: String,
    /// From 1 January to the period's end (quarterly briefings).
    #[arg(long)]
    pub ytd: bool,
    /// province, city, county or township (optional with --by agency).
    #[arg(long)]
    pub level: Option<String>,
    /// Only regions below this code (for agencies: at or below it).
    #[arg(long, value_name = "CODE")]
    pub parent: Option<String>,
    /// `agency`: one row per agency instead of per region.
    #[arg(long, value_parser = ["agency", "region"], default_value = "region")]
    pub by: String,
    #[command(flatten)]
    pub warehouse: WarehouseArg,
    #[command(flatten)]
    pub engine: EngineArg,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Add a last column `source`: 报送 (reported figures from the peers table, for a region
    /// without case rows in the period) or 测算 (computed from case rows).
    #[arg(long)]
    pub sources: bool,
}

pub fn parse_level(s: &str) -> Result<Level> {
    Level::parse(s).ok_or_else(|| Error::Usage(format!("--level '{s}' is not province, city, county or township")))
}

pub fn units(level: Option<&str>, parent: Option<&str>, by: &str) -> Result<Units> {
    let parent = parent.map(|p| p.trim().to_string());
    let level = level.map(parse_level).transpose()?;
    Ok(match by {
        "agency" => Units::Agencies { level, parent },
        _ => Units::Regions {
            level: level.ok_or_else(|| Error::Usage("--level is required (province, city, county or township)".into()))?,
            parent,
        },
    })
}

pub fn compute(wh: &Warehouse, target: &Target, period: &Period, units: &Units) -> Result<Rows> {
    Ok(compute_all(wh, target, period, std::slice::from_ref(units))?.remove(0))
}

/// Several metrics tables for one period from one engine session (the views are planned once).
pub fn compute_all(wh: &Warehouse, target: &Target, period: &Period, list: &[Units]) -> Result<Vec<Rows>> {
    let rt = super::runtime()?;
    rt.block_on(async {
        let engine = Engine::open_on(wh, Limits::default(), target).await?;
        let regions = wh.regions(Some(&engine.manifest))?;
        let mut out = Vec::with_capacity(list.len());
        for units in list {
            if let Units::Regions { parent: Some(p), .. } | Units::Agencies { parent: Some(p), .. } = units
                && regions.get(p).is_none()
            {
                return Err(Error::Usage(format!("--parent {p} is not in the regions dimension")));
            }
            let (schema, batches) = engine.metrics(period, units).await?;
            out.push(Rows::from_batches(&schema, &batches)?);
        }
        Ok(out)
    })
}

/// The metrics table with the `source` column (报送 / 测算).
pub fn compute_sourced(wh: &Warehouse, target: &Target, period: &Period, units: &Units) -> Result<Rows> {
    let rt = super::runtime()?;
    rt.block_on(async {
        let engine = Engine::open_on(wh, Limits::default(), target).await?;
        if let Units::Regions { parent: Some(p), .. } | Units::Agencies { parent: Some(p), .. } = units {
            wh.regions(Some(&engine.manifest))?.require(p, "--parent")?;
        }
        let (schema, batches) = engine.metrics_sourced(period, units).await?;
        Rows::from_batches(&schema, &batches)
    })
}

pub fn run(args: Args, out: &mut dyn Write) -> Result<()> {
    let period = Period::parse(&args.period, args.ytd)?;
    let units = units(args.level.as_deref(), args.parent.as_deref(), &args.by)?;
    let target = args.engine.target()?;
    let wh = Warehouse::new(&args.warehouse.warehouse);
    if args.sources {
        let rows = compute_sourced(&wh, &target, &period, &units)?;
        return output::write(&rows, args.format, output::metrics_style, out);
    }
    let rows = compute(&wh, &target, &period, &units)?;
    output::write(&rows, args.format, output::metrics_style, out)
}
