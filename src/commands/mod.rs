//! One file per subcommand (usage, arguments, run), in the manner of xsv. Each `run` returns the
//! library's `Result`; `cli` turns errors into one line and an exit code.
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

/// `--warehouse DIR`, shared by every command that reads or writes the warehouse.
#[derive(Debug, Clone, clap::Args)]
pub struct WarehouseArg {
    /// Warehouse folder (Parquet tables + manifest.json).
    #[arg(long, default_value = "warehouse", value_name = "DIR")]
    pub warehouse: PathBuf,
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
    /// The parsed target; a bad URL, or Ballista in a build without it, is a usage error.
    pub fn target(&self) -> crate::Result<crate::engine::Target> {
        crate::engine::Target::from_arg(&self.engine)
    }
}

/// A tokio runtime for DataFusion; two worker threads match the machines fuyuan runs on, more
/// are used when the machine has them.
pub fn runtime() -> crate::Result<tokio::runtime::Runtime> {
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    // Ballista's plan (de)serialisation recurses deeply (a debug-build scheduler overflowed the
    // default 2 MiB); its own binaries run with 32 MiB worker stacks, so do we.
    #[cfg(feature = "ballista")]
    builder.thread_stack_size(32 << 20);
    builder.enable_all().build().map_err(|e| crate::Error::Other(format!("cannot start the query runtime: {e}")))
}
