//! `fuyuan reconcile --period P [--ytd] [--region CODE] [--format table|csv|json|xlsx] [--out FILE]
//! [--by agency]` and `fuyuan reconcile --summary --period P [--ytd] --level L [--parent CODE]`:
//! the court's list of cases against the agencies' litigation ledger.
use std::io::Write;
use std::path::PathBuf;

use super::{EngineArg, WarehouseArg};
use crate::engine::Period;
use crate::output::{self, Format};
use crate::report::reconcile;
use crate::warehouse::Warehouse;
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
    /// 2024, 2024Q2, 2024H1, 2024M05 or a span 2024-01-01..2024-06-30.
    #[arg(long)]
    pub period: String,
    /// From 1 January to the period's end.
    #[arg(long)]
    pub ytd: bool,
    /// Only cases whose row (on the side that puts them in the period) lies in this region or below.
    #[arg(long, value_name = "CODE")]
    pub region: Option<String>,
    /// One row per region of --level with the counts, instead of the list of discrepancies.
    #[arg(long)]
    pub summary: bool,
    /// With --summary: province, city, county or township.
    #[arg(long)]
    pub level: Option<String>,
    /// With --summary: only regions below this code.
    #[arg(long, value_name = "CODE")]
    pub parent: Option<String>,
    /// With --format xlsx: `agency` gives one sheet per agency instead of per county.
    #[arg(long, value_parser = ["agency", "region"], default_value = "region")]
    pub by: String,
    /// The workbook to write (--format xlsx).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub warehouse: WarehouseArg,
    #[command(flatten)]
    pub engine: EngineArg,
    #[arg(long, value_enum, default_value = "table")]
    pub format: ListFormat,
}

pub fn run(args: Args, out: &mut dyn Write) -> Result<()> {
    let period = Period::parse(&args.period, args.ytd)?;
    let target = args.engine.target()?;
    let wh = Warehouse::new(&args.warehouse.warehouse);
    let text_format = match args.format {
        ListFormat::Table => Some(Format::Table),
        ListFormat::Csv => Some(Format::Csv),
        ListFormat::Json => Some(Format::Json),
        ListFormat::Xlsx => None,
    };
    if args.summary {
        if args.region.is_some() {
            return Err(Error::Usage("--summary takes --level and --parent, not --region".into()));
        }
        let level = super::metrics::parse_level(
            args.level.as_deref().ok_or_else(|| Error::Usage("--summary needs --level (province, city, county or township)".into()))?,
        )?;
        let format = text_format.ok_or_else(|| Error::Usage("--summary prints table, csv or json".into()))?;
        let rows = reconcile::summary(&wh, &target, &period, level, args.parent.as_deref().map(str::trim))?;
        return output::write(&rows, format, output::metrics_style, out);
    }
    if args.level.is_some() || args.parent.is_some() {
        return Err(Error::Usage("--level and --parent go with --summary; the list takes --region".into()));
    }
    if args.by == "agency" && text_format.is_some() {
        return Err(Error::Usage("--by agency arranges the workbook's sheets: use it with --format xlsx --out FILE".into()));
    }
    if args.out.is_some() && text_format.is_some() {
        return Err(Error::Usage("--out FILE writes a workbook: use it with --format xlsx".into()));
    }
    let rows = reconcile::discrepancies(&wh, &target, &period, args.region.as_deref().map(str::trim))?;
    match text_format {
        Some(format) => output::write(&rows, format, output::metrics_style, out),
        None => {
            let path = args.out.ok_or_else(|| Error::Usage("--format xlsx needs --out FILE".into()))?;
            let regions = reconcile::regions_of(&wh)?;
            reconcile::write_workbook(&rows, &regions, &period, args.by == "agency", &path)?;
            writeln!(out, "{}: {} discrepancies", path.display(), rows.rows.len()).map_err(|e| Error::Other(e.to_string()))
        }
    }
}
