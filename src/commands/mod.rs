//! One file per subcommand (usage, arguments, run), in the manner of xsv. Each `run` returns the
//! library's `Result`; `cli` turns errors into one line and an exit code.
pub mod brief;
pub mod dashboard;
pub mod ingest;
pub mod metrics;
pub mod run;
pub mod sample;
pub mod sql;

use std::path::PathBuf;

/// `--warehouse DIR`, shared by every command that reads or writes the warehouse.
#[derive(Debug, Clone, clap::Args)]
pub struct WarehouseArg {
    /// Warehouse folder (Parquet tables + manifest.json).
    #[arg(long, default_value = "warehouse", value_name = "DIR")]
    pub warehouse: PathBuf,
}

/// A tokio runtime for DataFusion; two worker threads match the machines fuyuan runs on, more
/// are used when the machine has them.
pub fn runtime() -> crate::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| crate::Error::Other(format!("cannot start the query runtime: {e}")))
}
