//! One file per subcommand (usage, arguments, run), in the manner of xsv: each parses its flags,
//! calls the application layer (`crate::app`) and prints. Command files never import each other;
//! the flag groups several commands share are here. Each `run` returns the library's `Result`;
//! `cli` turns errors into one line and an exit code.
pub mod brief;
pub mod cluster;
pub mod dashboard;
pub mod enforcement;
pub mod ingest;
pub mod metrics;
pub mod reconcile;
pub mod run;
pub mod sample;
pub mod sql;
pub mod supervision;
pub mod template;

use std::path::PathBuf;

use crate::app::{ScopeFlags, Settings};
use crate::engine::Target;
use crate::schema::Table;
use crate::warehouse::regions::Level;

/// `--warehouse DIR`, shared by every command that reads or writes the warehouse.
#[derive(Debug, Clone, clap::Args)]
pub struct WarehouseArg {
    /// Warehouse folder (Parquet tables + manifest.json). Default: fuyuan.toml's `warehouse`,
    /// else `warehouse/`.
    #[arg(long, value_name = "DIR")]
    pub warehouse: Option<PathBuf>,
}

/// `--config FILE`, shared by every command that reads settings.
#[derive(Debug, Clone, clap::Args)]
pub struct ConfigArg {
    /// Settings file (default: ./fuyuan.toml when present); flags override it.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

impl ConfigArg {
    pub fn load(&self) -> crate::Result<Settings> {
        Settings::load(self.config.as_deref())
    }
}

/// `--period P [--ytd | --no-ytd]`, shared by every command that reports on a period.
#[derive(Debug, Clone, clap::Args)]
pub struct PeriodArg {
    /// 2024, 2024Q2, 2024H1, 2024M05, a span 2023-05-30..2024-06-30, or `latest` (the last
    /// quarter that has ended and holds filings). Default: fuyuan.toml's `period`, else `latest`.
    #[arg(long)]
    pub period: Option<String>,
    /// From 1 January to the period's end (not for a span). Default: fuyuan.toml's `ytd`, else
    /// year to date for `latest` only.
    #[arg(long, overrides_with = "no_ytd")]
    pub ytd: bool,
    /// The period alone, even where the default is year to date.
    #[arg(long)]
    pub no_ytd: bool,
}

impl PeriodArg {
    pub fn flags(&self, region: Option<&str>) -> ScopeFlags {
        let ytd = if self.ytd {
            Some(true)
        } else if self.no_ytd {
            Some(false)
        } else {
            None
        };
        ScopeFlags { region: region.map(str::to_string), period: self.period.clone(), ytd }
    }
}

/// `--engine`, shared by every command that queries the warehouse.
#[derive(Debug, Clone, clap::Args)]
pub struct EngineArg {
    /// Where queries run: `local` (DataFusion in this process) or `ballista://HOST:PORT` (a
    /// Ballista scheduler; needs a build with `--features ballista`).
    #[arg(long, default_value = "local", value_name = "local|ballista://HOST:PORT")]
    pub engine: String,
}

impl EngineArg {
    /// The parsed target; a bad URL, or Ballista in a build without it, is one usage line.
    pub fn target(&self) -> crate::Result<Target> {
        Target::from_arg(&self.engine)
    }
}

/// `--level`: the English names or the Chinese ones (省, 市, 县, 乡镇 …).
pub fn level_arg(s: &str) -> Result<Level, String> {
    Level::parse(s).ok_or_else(|| format!("'{s}' is not province, city, county or township"))
}

/// `--table`: one of the warehouse's ledger tables.
pub fn table_arg(s: &str) -> Result<Table, String> {
    Table::parse(s).ok_or_else(|| format!("'{s}' is not one of litigation, reconsideration, penalty, supervision, peers, court"))
}

/// Writes to stdout keep their `io::Error`, so a closed pipe ends the command quietly.
pub fn out_err(e: std::io::Error) -> crate::Error {
    crate::Error::Output(e)
}
