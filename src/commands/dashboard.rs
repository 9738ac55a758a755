//! `fuyuan dashboard --out DIR [--period P] [--ytd|--no-ytd] [--region CODE] [--config FILE]
//! [--warehouse DIR]` — the static dashboard (index.html, one page per sub-unit, drill-down to
//! case numbers) that opens from file:// with no network. Settings come from `fuyuan.toml` (or
//! `--config`) like every command; flags override them.
use std::io::Write;
use std::path::PathBuf;

use super::{ConfigArg, EngineArg, PeriodArg, WarehouseArg, out_err};
use crate::Result;
use crate::app::{Session, dashboard};
use crate::warehouse::Warehouse;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder to write the dashboard into (index.html, unit-<code>.html, data.js, charts/).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub period: PeriodArg,
    /// The city or county shown (default: fuyuan.toml's region, else 411200).
    #[arg(long, value_name = "CODE")]
    pub region: Option<String>,
    #[command(flatten)]
    pub config: ConfigArg,
    #[command(flatten)]
    pub warehouse: WarehouseArg,
    #[command(flatten)]
    pub engine: EngineArg,
}

pub fn run(args: Args, out: &mut dyn Write) -> Result<()> {
    let settings = args.config.load()?;
    let scope = settings.scope(&args.period.flags(args.region.as_deref()));
    scope.named_period()?;
    let target = args.engine.target()?;
    let session = Session::open(&Warehouse::new(settings.warehouse(args.warehouse.warehouse.as_deref())), &target)?;
    let (period, period_line) = session.period(&scope)?;
    let w = dashboard::produce(&session, &scope.region, &period, &settings.thresholds, settings.reform_start()?, &args.out)?;
    if scope.is_latest() {
        writeln!(out, "{period_line}").map_err(out_err)?;
    }
    writeln!(out, "{}", w.briefing.title).map_err(out_err)?;
    if let Some(why) = &w.charts_missing {
        writeln!(out, "    (charts not rendered: {why}; the pages show a note in their place)").map_err(out_err)?;
    }
    for f in &w.files {
        writeln!(out, "    {}", f.display()).map_err(out_err)?;
    }
    writeln!(out, "open {} in a browser (works offline, from file://)", args.out.join("index.html").display()).map_err(out_err)?;
    Ok(())
}
