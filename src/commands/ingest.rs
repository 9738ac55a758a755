//! `fuyuan ingest FILE... [--warehouse DIR] [--table T] [--sheet NAME] [--regions FILE] [--config FILE] [--strict]`
//!
//! Reads ledgers (CSV in UTF-8/GBK, or workbooks), validates every row, and appends them to the
//! warehouse in one atomic commit. Rejected rows go to `DIR/rejects/` with file, line, column and
//! reason; the manifest records per-file counts (rows_read = rows_accepted + rows_rejected).
use std::io::Write;
use std::path::PathBuf;

use super::{ConfigArg, WarehouseArg, out_err, table_arg};
use crate::ingest::{self, IngestOptions};
use crate::schema::Table;
use crate::{Error, Result};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Ledger files: .csv (UTF-8, UTF-8 with BOM, GBK/GB18030) or .xlsx.
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub warehouse: WarehouseArg,
    /// Force the table instead of detecting it from the headers. `court` (the court's own list of
    /// cases, with the litigation columns) is never detected: name it.
    #[arg(long, value_parser = table_arg)]
    pub table: Option<Table>,
    /// Workbook sheet to read (default: every sheet whose headers are a ledger's).
    #[arg(long)]
    pub sheet: Option<String>,
    /// Regions to add to the dimension (code,name,level,parent_code): townships, functional zones.
    #[arg(long, value_name = "FILE")]
    pub regions: Option<PathBuf>,
    /// Settings with the office's phrasings ([outcomes], [decisions], [leniency]).
    #[command(flatten)]
    pub config: ConfigArg,
    /// Fail, writing nothing, if any row is rejected or an ignored column looks like a ledger column.
    #[arg(long)]
    pub strict: bool,
}

pub fn run(args: Args, out: &mut dyn Write) -> Result<()> {
    if args.files.is_empty() && args.regions.is_none() {
        return Err(Error::Usage("give at least one ledger FILE (or --regions FILE)".into()));
    }
    let settings = args.config.load()?;
    let warehouse = settings.warehouse(args.warehouse.warehouse.as_deref());
    let opts = IngestOptions {
        warehouse: warehouse.clone(),
        table: args.table,
        sheet: args.sheet.clone(),
        regions: args.regions.clone(),
        strict: args.strict,
        today: ingest::today(),
        phrases: settings.phrases,
        progress: crate::app::progress::terminal(),
    };
    let report = ingest::ingest_files(&args.files, &opts)?;
    let w = out_err;
    for f in &report.files {
        if f.status != crate::warehouse::FileStatus::Ingested {
            writeln!(out, "{}: {}", f.path, f.status).map_err(w)?;
            continue;
        }
        write!(
            out,
            "{}: {} ({}), read {} = accepted {} + rejected {}",
            f.path,
            f.table.as_deref().unwrap_or("?"),
            f.format.as_deref().unwrap_or("?"),
            f.rows_read,
            f.rows_accepted,
            f.rows_rejected
        )
        .map_err(w)?;
        if !f.replaced.is_empty() {
            write!(out, ", replaced {}", f.replaced.len()).map_err(w)?;
        }
        if let Some(r) = &f.rejects_file {
            write!(out, " → {}", warehouse.join(r).display()).map_err(w)?;
        }
        writeln!(out).map_err(w)?;
        if f.total_rows > 0 {
            writeln!(out, "  total rows skipped (合计/总计): {}", f.total_rows).map_err(w)?;
        }
        for m in &f.likely_misses {
            eprintln!("{}", crate::app::likely_miss_warning(f, m));
        }
        if !f.likely_misses.is_empty() {
            writeln!(out, "  likely misses (ignored, but look like ledger columns): {}", f.likely_misses.join(", ")).map_err(w)?;
        }
        for s in &f.skipped_sheets {
            writeln!(out, "  skipped sheet {s}").map_err(w)?;
        }
        if !f.ignored_columns.is_empty() {
            writeln!(out, "  ignored columns: {}", f.ignored_columns.join(", ")).map_err(w)?;
        }
        if !f.personal_data_dropped.is_empty() {
            writeln!(out, "  dropped as personal data (not stored): {}", f.personal_data_dropped.join(", ")).map_err(w)?;
        }
        if !f.new_townships.is_empty() {
            writeln!(out, "  townships known only by code: {}", f.new_townships.join(", ")).map_err(w)?;
        }
    }
    if !report.regions_added.is_empty() {
        writeln!(out, "regions added or updated: {}", report.regions_added.len()).map_err(w)?;
    }
    if report.committed {
        writeln!(out, "committed ingest {} to {}", report.ingest_id, warehouse.display()).map_err(w)?;
    } else {
        writeln!(out, "nothing new to commit").map_err(w)?;
    }
    Ok(())
}
