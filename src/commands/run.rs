//! `fuyuan run [--config fuyuan.toml] [--inputs DIR] [--out DIR] [--region CODE] [--period P]`
//! — the main job: every ledger in the inputs folder → warehouse → the metrics tables the office
//! reports (the province's cities, the region's counties, townships and agencies) as CSV and
//! JSON → the briefing (charts, .docx, .md, .html, .xlsx annex) → the dashboard, all under
//! `out/`, with a closing summary of what was written where.
use std::io::Write;
use std::path::PathBuf;

use super::{ConfigArg, EngineArg, PeriodArg, out_err};
use crate::Result;
use crate::app::briefing::{self, BriefingSettings};
use crate::app::{Session, dashboard, job};
use crate::output;
use crate::warehouse::Warehouse;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// TOML settings (region, period, ytd, inputs, out, warehouse, formats, thresholds); flags
    /// override them.
    #[command(flatten)]
    pub config: ConfigArg,
    /// Folder of ledgers (.csv, .xlsx); a file named regions*.csv is read as region additions,
    /// one named court*.csv|xlsx as the court's list of cases.
    #[arg(long, value_name = "DIR")]
    pub inputs: Option<PathBuf>,
    /// Folder for everything the run writes (default: fuyuan.toml's `out`, else `out/`); the
    /// warehouse goes to OUT/warehouse unless fuyuan.toml names one.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The city or county reported on (default: fuyuan.toml's region, else 411200).
    #[arg(long, value_name = "CODE")]
    pub region: Option<String>,
    #[command(flatten)]
    pub period: PeriodArg,
    /// Briefing documents to write, e.g. `docx,xlsx` (default: all of docx, md, html, xlsx).
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub formats: Option<Vec<String>>,
    #[command(flatten)]
    pub engine: EngineArg,
}

pub fn run(args: Args, out: &mut dyn Write) -> Result<()> {
    let mut settings = args.config.load()?;
    if let Some(v) = args.inputs {
        settings.inputs = v;
    }
    if let Some(v) = args.out {
        settings.out = v;
    }
    let scope = settings.scope(&args.period.flags(args.region.as_deref()));
    scope.named_period()?;
    let formats = settings.formats(args.formats.as_ref())?;
    let target = args.engine.target()?;
    crate::app::session::check_reachable(&target)?;
    let started = std::time::Instant::now();
    let warehouse = settings.run_warehouse(None);
    let inputs = job::inputs(&settings.inputs)?;
    // Per-file progress bars on a terminal (none when stderr is a pipe or a file).
    let report = job::ingest_inputs(&inputs, &settings, &warehouse, crate::app::progress::terminal())?;

    // The first line says which period is briefed and why; it needs the ingested warehouse.
    let session = Session::open(&Warehouse::new(&warehouse), &target)?;
    let (period, period_line) = session.period(&scope)?;
    writeln!(out, "{period_line}").map_err(out_err)?;
    writeln!(out, "1/4 ingest: {} ledgers from {} → {}", inputs.count(), settings.inputs.display(), warehouse.display())
        .map_err(out_err)?;
    for f in &report.files {
        if f.status == crate::warehouse::FileStatus::Ingested {
            let sheet = f.sheet.as_ref().map(|s| format!(" [{s}]")).unwrap_or_default();
            writeln!(out, "    {}{sheet}: read {} = accepted {} + rejected {}", f.path, f.rows_read, f.rows_accepted, f.rows_rejected)
                .map_err(out_err)?;
            for m in &f.likely_misses {
                eprintln!("{}", crate::app::likely_miss_warning(f, m));
            }
        } else {
            writeln!(out, "    {}: {}", f.path, f.status).map_err(out_err)?;
        }
    }

    let region = session.require_region(&scope.region, "region")?;
    let ytd = if scope.ytd { ", year to date" } else { "" };
    writeln!(out, "2/4 metrics: {} {} ({}){ytd}", region.name, period.name, period.span()).map_err(out_err)?;
    let bar = crate::app::progress::spinner("computing metrics");
    let metrics = job::write_metrics(&session, &region, &period, &settings.out.join("metrics"))?;
    bar.finish_and_clear();
    writeln!(out, "{}", output::render_table(&job::summary(&metrics.subunits), output::metrics_style)).map_err(out_err)?;
    let mut written = metrics.files;

    let briefing_dir = settings.out.join("briefing");
    writeln!(out, "3/4 briefing: charts, Word, Markdown, HTML, Excel annex → {}", briefing_dir.display()).map_err(out_err)?;
    let bar = crate::app::progress::spinner("writing the briefing");
    let templates = settings.templates(None);
    let brief_settings = BriefingSettings {
        thresholds: &settings.thresholds,
        reform_start: settings.reform_start()?,
        templates: templates.as_deref(),
        formats: &formats,
    };
    let brief = briefing::produce(&session, &region.code, &period, &brief_settings, &briefing_dir)?;
    bar.finish_and_clear();
    writeln!(out, "    {}", brief.briefing.title).map_err(out_err)?;
    written.extend(brief.files);

    let dash = settings.out.join("dashboard");
    writeln!(out, "4/4 dashboard → {}", dash.display()).map_err(out_err)?;
    let bar = crate::app::progress::spinner("writing the dashboard");
    // The briefing's charts are inlined into the pages, so they are not drawn twice.
    written.extend(dashboard::write_for(&session, &period, &brief.briefing, &briefing_dir.join("charts"), &dash)?);
    bar.finish_and_clear();

    writeln!(out, "written ({:.1} s):", started.elapsed().as_secs_f64()).map_err(out_err)?;
    writeln!(out, "    warehouse  {}", warehouse.display()).map_err(out_err)?;
    for p in &written {
        writeln!(out, "    {}", p.display()).map_err(out_err)?;
    }
    Ok(())
}
