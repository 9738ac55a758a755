//! `fuyuan supervision --period P [--ytd] --level L [--parent CODE] [--by agency] [--effect]
//! [--warehouse DIR] [--format table|csv|json]` — the supervision figures (行政执法监督情况): one
//! row per region of the level (activity or not) or per agency; `--effect`: did supervision work.
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
    /// Did supervision work? Before/after figures of the units that got a letter or an interview
    /// in the period against units that met the same threshold and got nothing (with --parent:
    /// units in that region).
    #[arg(long)]
    pub effect: bool,
    /// Settings; its [thresholds] letter_losses and letter_corrections decide which agencies are
    /// flagged (default: 2 and 2).
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
    let parent = args.parent.as_deref().map(str::trim);
    let units = if args.effect { None } else { Some(units(args.by, args.level, parent)?) };
    let target = args.engine.target()?;
    let session = Session::open(&Warehouse::new(settings.warehouse(args.warehouse.warehouse.as_deref())), &target)?;
    let (period, period_line) = session.period(&scope)?;
    if scope.is_latest() {
        eprintln!("{period_line}");
    }
    let rows = match units {
        None => session.supervision_effect(&period, parent, settings.letter_thresholds())?,
        Some(units) => session.supervision(&period, &units, settings.letter_thresholds())?,
    };
    output::write(&rows, args.format, output::metrics_style, out)
}
