//! fuyuan (府院): ledgers → ingest → warehouse → engine → outputs.
//!
//! Each stage is one module and data flows one way through them; `cli` and `commands` sit at the
//! edge and only wire stages together.
pub mod app;
pub mod cli;
pub mod commands;
pub mod engine;
pub mod error;
pub mod ingest;
pub mod output;
pub mod period;
pub mod report;
pub mod sample;
pub mod schema;
pub mod warehouse;

pub use error::{Error, Result};
