//! `fuyuan reconcile --period P [--ytd] [--region CODE] [--format table|csv|json|xlsx] [--out FILE]
//! [--by agency]` and `fuyuan reconcile --summary --period P [--ytd] --level L [--parent CODE]`:
//! the court's list of cases against the agencies' litigation ledger.
use std::io::Write;
use std::path::PathBuf;

use super::{ConfigArg, EngineArg, PeriodArg, WarehouseArg, level_arg, out_err};
use crate::app::{By, Session};
use crate::output::{self, Format};
use crate::report::reconcile;
use crate::warehouse::Warehouse;
use crate::warehouse::regions::Level;
use crate::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    Table,
    Csv,
    Json,
    /// A workbook (needs --out FILE): one sheet per county, or per agency with --by agency.
    Xlsx,
}

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub period: PeriodArg,
    /// Only cases whose row (on the side that puts them in the period) lies in this region or below.
    #[arg(long, value_name = "CODE")]
    pub region: Option<String>,
    /// One row per region of --level with the counts, instead of the list of discrepancies.
    #[arg(long)]
    pub summary: bool,
    /// With --summary: province, city, county or township.
    #[arg(long, value_parser = level_arg)]
    pub level: Option<Level>,
    /// With --summary: only regions below this code.
    #[arg(long, value_name = "CODE")]
    pub parent: Option<String>,
    /// With --format xlsx: `agency` gives one sheet per agency instead of per county.
    #[arg(long, value_enum, default_value = "region")]
    pub by: By,
    /// The workbook to write (--format xlsx).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArg,
    #[command(flatten)]
    pub warehouse: WarehouseArg,
    #[command(flatten)]
    pub engine: EngineArg,
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

pub fn run(args: Args, out: &mut dyn Write) -> Result<()> {
    let settings = args.config.load()?;
    let scope = settings.scope(&args.period.flags(None));
    scope.named_period()?;
    let text_format = match args.format {
        ListFormat::Table => Some(Format::Table),
        ListFormat::Csv => Some(Format::Csv),
        ListFormat::Json => Some(Format::Json),
        ListFormat::Xlsx => None,
    };
    // Flag combinations are checked before the warehouse is opened.
    if args.summary {
        if args.region.is_some() {
            return Err(Error::Usage("--summary takes --level and --parent, not --region".into()));
        }
        if args.level.is_none() {
            return Err(Error::Usage("--summary needs --level (province, city, county or township)".into()));
        }
        if text_format.is_none() {
            return Err(Error::Usage("--summary prints table, csv or json".into()));
        }
    } else {
        if args.level.is_some() || args.parent.is_some() {
            return Err(Error::Usage("--level and --parent go with --summary; the list takes --region".into()));
        }
        if args.by == By::Agency && text_format.is_some() {
            return Err(Error::Usage("--by agency arranges the workbook's sheets: use it with --format xlsx --out FILE".into()));
        }
        if args.out.is_some() && text_format.is_some() {
            return Err(Error::Usage("--out FILE writes a workbook: use it with --format xlsx".into()));
        }
        if text_format.is_none() && args.out.is_none() {
            return Err(Error::Usage("--format xlsx needs --out FILE".into()));
        }
    }
    let target = args.engine.target()?;
    let wh = Warehouse::new(settings.warehouse(args.warehouse.warehouse.as_deref()));
    let session = Session::open(&wh, &target)?;
    let (period, period_line) = session.period(&scope)?;
    if scope.is_latest() {
        eprintln!("{period_line}");
    }
    if let (true, Some(level), Some(format)) = (args.summary, args.level, text_format) {
        let rows = session.reconcile_summary(&period, level, args.parent.as_deref().map(str::trim))?;
        return output::write(&rows, format, output::metrics_style, out);
    }
    let rows = session.discrepancies(&period, args.region.as_deref().map(str::trim))?;
    match (text_format, args.out) {
        (Some(format), _) => output::write(&rows, format, output::metrics_style, out),
        (None, path) => {
            let path = path.ok_or_else(|| Error::Usage("--format xlsx needs --out FILE".into()))?;
            reconcile::write_workbook(&rows, session.regions()?, &period, args.by == By::Agency, &path)?;
            writeln!(out, "{}: {} discrepancies", path.display(), rows.rows.len()).map_err(out_err)
        }
    }
}
