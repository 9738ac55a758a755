//! `fuyuan supervision --period P [--ytd] --level L [--parent CODE] [--by agency]
//! [--warehouse DIR] [--format table|csv|json]` — the supervision figures (行政执法监督情况): one
//! row per region of the level (activity or not) or per agency.
use std::io::Write;
use std::path::PathBuf;

use super::{EngineArg, WarehouseArg};
use crate::engine::supervision::LetterThresholds;
use crate::engine::{Engine, Limits, Period, Target, Units};
use crate::output::{self, Format, Rows};
use crate::warehouse::Warehouse;
use crate::{Error, Result};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 2024, 2024Q2, 2024H1, 2024M05, or a span 2021-01-01..2024-06-30.
    #[arg(long)]
    pub period: String,
    /// From 1 January to the period's end (not for a span).
    #[arg(long)]
    pub ytd: bool,
    /// province, city, county or township (optional with --by agency).
    #[arg(long)]
    pub level: Option<String>,
    /// Only regions below this code (for agencies: at or below it).
    #[arg(long, value_name = "CODE")]
    pub parent: Option<String>,
    /// `agency`: one row per agency instead of per region.
    #[arg(long, value_parser = ["agency", "region"], default_value = "region")]
    pub by: String,
    /// Did supervision work? Before/after figures of the units that got a letter or an interview
    /// in the period against units that met the same threshold and got nothing (with --parent:
    /// units in that region).
    #[arg(long)]
    pub effect: bool,
    /// TOML settings; its [thresholds] letter_losses and letter_corrections decide which
    /// agencies are flagged (default: fuyuan.toml in the working folder, else 2 and 2).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub warehouse: WarehouseArg,
    #[command(flatten)]
    pub engine: EngineArg,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

pub fn compute(wh: &Warehouse, target: &Target, period: &Period, units: &Units, t: LetterThresholds) -> Result<Rows> {
    let rt = super::runtime()?;
    rt.block_on(async {
        let engine = Engine::open_on(wh, Limits::default(), target).await?;
        let regions = wh.regions(Some(&engine.manifest))?;
        if let Units::Regions { parent: Some(p), .. } | Units::Agencies { parent: Some(p), .. } = units
            && regions.get(p).is_none()
        {
            return Err(Error::Usage(format!("--parent {p} is not in the regions dimension")));
        }
        let (schema, batches) = engine.supervision(period, units, t).await?;
        Rows::from_batches(&schema, &batches)
    })
}

/// The `--effect` table: supervised, comparison and difference rows.
pub fn compute_effect(wh: &Warehouse, target: &Target, period: &Period, parent: Option<&str>, t: LetterThresholds) -> Result<Rows> {
    let rt = super::runtime()?;
    rt.block_on(async {
        let engine = Engine::open_on(wh, Limits::default(), target).await?;
        if let Some(p) = parent
            && wh.regions(Some(&engine.manifest))?.get(p).is_none()
        {
            return Err(Error::Usage(format!("--parent {p} is not in the regions dimension")));
        }
        let (schema, batches) = engine.supervision_effect(period, parent, t).await?;
        Rows::from_batches(&schema, &batches)
    })
}

pub fn run(args: Args, out: &mut dyn Write) -> Result<()> {
    let period = Period::parse(&args.period, args.ytd)?;
    if args.effect {
        let cfg = super::run::Config::load(args.config.as_deref())?;
        let t = LetterThresholds { losses: cfg.thresholds.letter_losses, corrections: cfg.thresholds.letter_corrections };
        let wh = Warehouse::new(&args.warehouse.warehouse);
        let rows = compute_effect(&wh, &args.engine.target()?, &period, args.parent.as_deref().map(str::trim), t)?;
        return output::write(&rows, args.format, output::metrics_style, out);
    }
    let units = super::metrics::units(args.level.as_deref(), args.parent.as_deref(), &args.by)?;
    let cfg = super::run::Config::load(args.config.as_deref())?;
    let t = LetterThresholds { losses: cfg.thresholds.letter_losses, corrections: cfg.thresholds.letter_corrections };
    let target = args.engine.target()?;
    let wh = Warehouse::new(&args.warehouse.warehouse);
    let rows = compute(&wh, &target, &period, &units, t)?;
    output::write(&rows, args.format, output::metrics_style, out)
}
