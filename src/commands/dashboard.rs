//! `fuyuan dashboard --out DIR [--period P] [--ytd/--no-ytd] [--region CODE] [--config FILE]
//! [--warehouse DIR]` — the static dashboard (index.html, one page per sub-unit, drill-down to
//! case numbers) that opens from file:// with no network. Settings come from `fuyuan.toml` (or
//! `--config`) like `fuyuan run`; flags override them.
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::EngineArg;
use super::run::{Config, resolve_period};
use crate::engine::{Engine, Limits, Period, Target, Units};
use crate::output::Rows;
use crate::report::dashboard::{Extras, write_dashboard_with};
use crate::report::model::{self, Briefing, Figures, Thresholds};
use crate::warehouse::Warehouse;
use crate::warehouse::regions::{Level, Region, Regions};
use crate::{Error, Result};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder to write the dashboard into (index.html, unit-<code>.html, data.js, charts/).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub scope: super::run::Scope,
    /// TOML settings (region, period, ytd, thresholds), as for `fuyuan run`.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Warehouse folder (default: the config's out folder + /warehouse, where `fuyuan run` puts it).
    #[arg(long, value_name = "DIR")]
    pub warehouse: Option<PathBuf>,
    #[command(flatten)]
    pub engine: EngineArg,
}

/// What a dashboard run wrote.
pub struct Written {
    pub briefing: Briefing,
    /// None when the charts were rendered; otherwise why not (the pages show a note instead).
    pub charts_missing: Option<String>,
    pub files: Vec<PathBuf>,
}

fn sub_level(level: Level) -> Level {
    match level {
        Level::Province => Level::City,
        Level::City => Level::County,
        _ => Level::Township,
    }
}

/// The same span one year earlier as a period of its own (for 2024Q4 year to date: 2023Q4 year
/// to date), or None when the period's name cannot be shifted that way.
pub fn previous_period(period: &Period) -> Option<Period> {
    if period.is_span {
        return Period::parse(&format!("{}..{}", period.prev_start, period.prev_end), false).ok();
    }
    let year: i32 = period.name.get(..4)?.parse().ok()?;
    let prev = Period::parse(&format!("{}{}", year - 1, period.name.get(4..)?), period.ytd).ok()?;
    (prev.start == period.prev_start && prev.end == period.prev_end).then_some(prev)
}

async fn figures(engine: &Engine, period: &Period, units: Units) -> Result<Vec<Figures>> {
    let (schema, batches) = engine.metrics(period, &units).await?;
    Ok(Figures::from_rows(&Rows::from_batches(&schema, &batches)?))
}

/// What the dashboard shows beyond the briefing: last year's figures for the region and its
/// sub-units (year-on-year for every KPI card) and the agencies' region names.
pub async fn extras_with(engine: &Engine, regions: &Regions, region: &Region, period: &Period, b: &Briefing) -> Result<Extras> {
    let mut extras = Extras::default();
    if let Some(prev) = previous_period(period) {
        let peers = figures(engine, &prev, Units::Regions { level: region.level, parent: region.parent_code.clone() }).await?;
        extras.prev_total = peers.into_iter().find(|f| f.code == region.code);
        extras.prev_subunits =
            figures(engine, &prev, Units::Regions { level: sub_level(region.level), parent: Some(region.code.clone()) }).await?;
    }
    let codes = b
        .agencies
        .iter()
        .map(|a| a.code.as_str())
        .chain(b.cases.iter().map(|c| c.region_code.as_str()))
        .chain(b.recon_cases.iter().map(|c| c.region_code.as_str()));
    extras.region_names = codes.filter_map(|c| regions.get(c).map(|r| (c.to_string(), r.name.clone()))).collect::<BTreeMap<_, _>>();
    Ok(extras)
}

/// The extras for a briefing already computed (e.g. by `fuyuan run`), with an engine of its own.
pub fn extras(wh: &Warehouse, target: &Target, period: &Period, b: &Briefing) -> Result<Extras> {
    let rt = super::runtime()?;
    rt.block_on(async {
        let engine = Engine::open_on(wh, Limits::default(), target).await?;
        let regions = wh.regions(Some(&engine.manifest))?;
        let region = regions.require(&b.region_code, "region")?;
        extras_with(&engine, &regions, &region, period, b).await
    })
}

/// Computes the briefing, renders the charts (if the chart helper can) and writes the dashboard.
pub fn produce(
    wh: &Warehouse,
    target: &Target,
    region_code: &str,
    period: &Period,
    thresholds: &Thresholds,
    reform_start: chrono::NaiveDate,
    out: &Path,
) -> Result<Written> {
    let rt = super::runtime()?;
    let (briefing, extras) = rt.block_on(async {
        let engine = Engine::open_on(wh, Limits::default(), target).await?;
        let regions = wh.regions(Some(&engine.manifest))?;
        let region = regions.require(region_code, "--region")?;
        let mut b = model::build(&engine, &regions, &region, period, thresholds, crate::ingest::today().to_string()).await?;
        b.township = crate::report::township::build(&engine, &regions, &region, period, reform_start).await?;
        let extras = extras_with(&engine, &regions, &region, period, &b).await?;
        Ok::<_, Error>((b, extras))
    })?;
    let charts_dir = out.join("charts");
    std::fs::create_dir_all(&charts_dir).map_err(|e| Error::io(&charts_dir, e))?;
    let mut files = Vec::new();
    let charts_missing = match crate::report::charts::render_all(&briefing, &charts_dir) {
        Ok(charts) => {
            for c in charts {
                files.push(c.svg);
                files.push(c.png);
            }
            None
        }
        Err(e) => Some(e.to_string()),
    };
    files.extend(write_dashboard_with(&briefing, &extras, &charts_dir, out)?);
    Ok(Written { briefing, charts_missing, files })
}

pub fn run(args: Args, out: &mut dyn Write) -> Result<()> {
    let mut cfg = Config::load(args.config.as_deref())?;
    cfg.override_with(&args.scope);
    let target = args.engine.target()?;
    let warehouse = args.warehouse.unwrap_or_else(|| cfg.out.join("warehouse"));
    let wh = Warehouse::new(&warehouse);
    let (period, period_line) = resolve_period(&cfg, &wh, &target)?;
    let w = produce(&wh, &target, &cfg.region, &period, &cfg.thresholds, cfg.reform_start()?, &args.out)?;
    let io = |e: std::io::Error| Error::Other(e.to_string());
    if cfg.period == "latest" {
        writeln!(out, "{period_line}").map_err(io)?;
    }
    writeln!(out, "{}", w.briefing.title).map_err(io)?;
    if let Some(why) = &w.charts_missing {
        writeln!(out, "    (charts not rendered: {why}; the pages show a note in their place)").map_err(io)?;
    }
    for f in &w.files {
        writeln!(out, "    {}", f.display()).map_err(io)?;
    }
    writeln!(out, "open {} in a browser (works offline, from file://)", args.out.join("index.html").display()).map_err(io)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previous_period_shifts_a_year() {
        let p = Period::parse("2024Q4", true).unwrap();
        let q = previous_period(&p).unwrap();
        assert_eq!(q.span(), "2023-01-01..2023-12-31");
        let p = Period::parse("2024M02", false).unwrap();
        assert_eq!(previous_period(&p).unwrap().span(), "2023-02-01..2023-02-28");
    }
}
