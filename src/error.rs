//! Library error type. Every variant renders as one line that names what failed and where,
//! because the CLI prints exactly that line and exits non-zero (see `cli::exit_code`).
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A whole input file cannot be used (unreadable, unknown layout, bad encoding …).
    #[error("{file}: line {line}, column {column}: {message}")]
    BadFile { file: String, line: u64, column: String, message: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Writing the command's output failed; the kind is kept so that a closed pipe
    /// (`fuyuan sql … | head`) ends the command quietly (`cli::run`).
    #[error("writing output: {0}")]
    Output(#[source] std::io::Error),
    #[error("warehouse {path}: {message}")]
    Warehouse { path: PathBuf, message: String },
    #[error("usage: {0}")]
    Usage(String),
    /// `--strict` and some rows were rejected.
    #[error("{0}")]
    Strict(String),
    #[error("query refused: {0}")]
    Refused(String),
    #[error("query failed: {0}")]
    Query(String),
    /// A Ballista scheduler or executor cannot be reached, started or kept running.
    #[error("ballista: {0}")]
    Cluster(String),
    #[error("{0}")]
    Other(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }
    /// True for a write to a reader that has gone away.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }
    pub fn bad_file(file: impl Into<String>, line: u64, column: impl Into<String>, message: impl Into<String>) -> Self {
        Error::BadFile { file: file.into(), line, column: column.into(), message: message.into() }
    }
}

impl From<datafusion::error::DataFusionError> for Error {
    fn from(e: datafusion::error::DataFusionError) -> Self {
        // DataFusion errors can span lines (plans, backtraces); keep the first line for the user.
        let text = e.to_string();
        Error::Query(text.lines().next().unwrap_or("").to_string())
    }
}

impl From<arrow::error::ArrowError> for Error {
    fn from(e: arrow::error::ArrowError) -> Self {
        Error::Other(format!("arrow: {e}"))
    }
}

impl From<parquet::errors::ParquetError> for Error {
    fn from(e: parquet::errors::ParquetError) -> Self {
        Error::Other(format!("parquet: {e}"))
    }
}
