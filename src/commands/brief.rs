//! `fuyuan brief [--period P] [--ytd|--no-ytd] [--region CODE] --out DIR [--templates DIR]
//! [--formats LIST] [--config FILE] [--warehouse DIR]` — the quarterly briefing (通报): Word (.docx),
//! Markdown, one self-contained HTML page, the Excel annex (附表), the charts (PNG and SVG) and
//! `briefing.json` with every figure used.
use std::io::Write;
use std::path::PathBuf;

use super::{ConfigArg, EngineArg, PeriodArg, WarehouseArg, out_err};
use crate::Result;
use crate::app::Session;
use crate::app::briefing::{self, BriefingSettings};
use crate::warehouse::Warehouse;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub period: PeriodArg,
    /// The city or county the briefing is for (default: fuyuan.toml's region, else 411200).
    #[arg(long, value_name = "CODE")]
    pub region: Option<String>,
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Folder with the office's templates (brief.md.j2); default `reports/` if present.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Documents to write, e.g. `docx,xlsx` (default: fuyuan.toml's `formats`, else all of docx, md,
    /// html, xlsx). Charts and briefing.json are always written.
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub formats: Option<Vec<String>>,
    /// Settings; its [thresholds] table sets the supervision-letter and interview thresholds.
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
    let formats = settings.formats(args.formats.as_ref())?;
    let templates = settings.templates(args.templates.as_deref());
    scope.named_period()?;
    let target = args.engine.target()?;
    let session = Session::open(&Warehouse::new(settings.warehouse(args.warehouse.warehouse.as_deref())), &target)?;
    let (period, period_line) = session.period(&scope)?;
    let brief_settings = BriefingSettings {
        thresholds: &settings.thresholds,
        reform_start: settings.reform_start()?,
        templates: templates.as_deref(),
        formats: &formats,
    };
    let w = briefing::produce(&session, &scope.region, &period, &brief_settings, &args.out)?;
    if scope.is_latest() {
        writeln!(out, "{period_line}").map_err(out_err)?;
    }
    writeln!(out, "{}", w.briefing.title).map_err(out_err)?;
    for f in &w.files {
        writeln!(out, "    {}", f.display()).map_err(out_err)?;
    }
    Ok(())
}
