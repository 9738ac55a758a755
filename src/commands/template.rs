//! `fuyuan template --out DIR` — the ledger templates (台账模板) an office sends its agencies.
use std::io::Write;
use std::path::PathBuf;

use crate::Result;
use crate::ingest::template;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder for the templates (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

pub fn run(args: Args, out: &mut dyn Write) -> Result<()> {
    for path in template::write_all(&args.out)? {
        writeln!(out, "{}", path.display()).map_err(super::out_err)?;
    }
    Ok(())
}
