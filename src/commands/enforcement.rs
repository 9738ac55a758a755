//! `fuyuan enforcement --period P [--ytd] --level L [--parent CODE] [--warehouse DIR]
//! [--format table|csv|json]` — township enforcement figures (乡镇综合行政执法), one row per region
//! of the level (activity or not, descendants rolled up).
use std::io::Write;

use super::{ConfigArg, EngineArg, PeriodArg, WarehouseArg, level_arg};
use crate::Result;
use crate::app::Session;
use crate::output::{self, Format};
use crate::warehouse::Warehouse;
use crate::warehouse::regions::Level;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub period: PeriodArg,
    /// province, city, county or township.
    #[arg(long, value_parser = level_arg)]
    pub level: Level,
    /// Only regions below this code.
    #[arg(long, value_name = "CODE")]
    pub parent: Option<String>,
    #[command(flatten)]
    pub config: ConfigArg,
    #[command(flatten)]
    pub warehouse: WarehouseArg,
    #[command(flatten)]
    pub engine: EngineArg,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

pub fn run(args: Args, out: &mut dyn Write) -> Result<()> {
    let settings = args.config.load()?;
    let scope = settings.scope(&args.period.flags(None));
    scope.named_period()?;
    let target = args.engine.target()?;
    let session = Session::open(&Warehouse::new(settings.warehouse(args.warehouse.warehouse.as_deref())), &target)?;
    let (period, period_line) = session.period(&scope)?;
    if scope.is_latest() {
        eprintln!("{period_line}");
    }
    let rows = session.enforcement(&period, args.level, args.parent.as_deref().map(str::trim))?;
    output::write(&rows, args.format, output::metrics_style, out)
}
