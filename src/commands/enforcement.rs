//! `fuyuan enforcement --period P [--ytd] --level L [--parent CODE] [--warehouse DIR]
//! [--format table|csv|json]` — township enforcement figures (乡镇综合行政执法), one row per region
//! of the level (activity or not, descendants rolled up).
use std::io::Write;

use super::{EngineArg, WarehouseArg};
use crate::Result;
use crate::engine::{Engine, Limits, Period, Target};
use crate::output::{self, Format, Rows};
use crate::warehouse::Warehouse;
use crate::warehouse::regions::Level;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// 2024, 2024Q2, 2024H1, 2024M05 or a span 2023-05-30..2024-06-30.
    #[arg(long)]
    pub period: String,
    /// From 1 January to the period's end.
    #[arg(long)]
    pub ytd: bool,
    /// province, city, county or township.
    #[arg(long)]
    pub level: String,
    /// Only regions below this code.
    #[arg(long, value_name = "CODE")]
    pub parent: Option<String>,
    #[command(flatten)]
    pub warehouse: WarehouseArg,
    #[command(flatten)]
    pub engine: EngineArg,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

/// The enforcement table from a session of its own.
pub fn compute(wh: &Warehouse, target: &Target, period: &Period, level: Level, parent: Option<&str>) -> Result<Rows> {
    let rt = super::runtime()?;
    rt.block_on(async {
        let engine = Engine::open_on(wh, Limits::default(), target).await?;
        if let Some(p) = parent {
            wh.regions(Some(&engine.manifest))?.require(p, "--parent")?;
        }
        let (schema, batches) = engine.enforcement(period, level, parent).await?;
        Rows::from_batches(&schema, &batches)
    })
}

pub fn run(args: Args, out: &mut dyn Write) -> Result<()> {
    let period = Period::parse(&args.period, args.ytd)?;
    let level = super::metrics::parse_level(&args.level)?;
    let parent = args.parent.as_deref().map(str::trim);
    let target = args.engine.target()?;
    let wh = Warehouse::new(&args.warehouse.warehouse);
    let rows = compute(&wh, &target, &period, level, parent)?;
    output::write(&rows, args.format, output::metrics_style, out)
}
