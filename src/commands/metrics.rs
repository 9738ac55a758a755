//! `fuyuan metrics --period P [--ytd] --level L [--parent CODE] [--by agency]
//! [--warehouse DIR] [--format table|csv|json] [--sources]` — docs/metrics.md, one row per region
//! of the level (activity or not) or per agency, with exactly the documented columns in order.
use std::io::Write;

use super::{ConfigArg, EngineArg, PeriodArg, WarehouseArg, level_arg};
use crate::Result;
use crate::app::{By, Session, units};
use crate::output::{self, Format};
use crate::warehouse::Warehouse;
use crate::warehouse::regions::Level;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub period: PeriodArg,
    /// province, city, county or township (optional with --by agency).
    #[arg(long, value_parser = level_arg)]
    pub level: Option<Level>,
    /// Only regions below this code (for agencies: at or below it).
    #[arg(long, value_name = "CODE")]
    pub parent: Option<String>,
    /// `agency`: one row per agency instead of per region.
    #[arg(long, value_enum, default_value = "region")]
    pub by: By,
    #[command(flatten)]
    pub config: ConfigArg,
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

pub fn run(args: Args, out: &mut dyn Write) -> Result<()> {
    let settings = args.config.load()?;
    let scope = settings.scope(&args.period.flags(None));
    scope.named_period()?;
    let units = units(args.by, args.level, args.parent.as_deref())?;
    let target = args.engine.target()?;
    let session = Session::open(&Warehouse::new(settings.warehouse(args.warehouse.warehouse.as_deref())), &target)?;
    let (period, period_line) = session.period(&scope)?;
    if scope.is_latest() {
        // stderr: stdout is the table, which scripts read.
        eprintln!("{period_line}");
    }
    let rows = if args.sources { session.metrics_sourced(&period, &units)? } else { session.metrics(&period, &units)? };
    output::write(&rows, args.format, output::metrics_style, out)
}
