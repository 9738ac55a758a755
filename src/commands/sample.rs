//! `fuyuan sample --out DIR [--scale N] [--seed S]` — synthetic ledgers in the messy forms users
//! send (Chinese headers, xlsx, GBK CSV, varied dates, corrections and bad rows).
use std::io::Write;
use std::path::PathBuf;

use crate::sample::{self, SampleOptions};
use crate::{Error, Result};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Size multiplier: 1 ≈ a province's sample for git, 10 ≈ national penalty volume.
    #[arg(long, default_value_t = 1)]
    pub scale: u32,
    #[arg(long, default_value_t = 2024)]
    pub seed: u64,
}

pub fn run(args: Args, out: &mut dyn Write) -> Result<()> {
    if args.scale == 0 {
        return Err(Error::Usage("--scale must be at least 1".into()));
    }
    std::fs::create_dir_all(&args.out).map_err(|e| Error::io(&args.out, e))?;
    let report =
        sample::generate(&SampleOptions { out: args.out.clone(), scale: args.scale, seed: args.seed, today: crate::ingest::today() })?;
    for f in &report.files {
        writeln!(out, "{}: {} rows ({}), {} deliberately bad", f.path.display(), f.rows, f.table, f.bad_rows).map_err(super::out_err)?;
    }
    Ok(())
}
