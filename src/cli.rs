//! The command line: argument parsing, dispatch to `commands`, and the mapping from errors to one
//! printed line and an exit code.
//!
//! Exit codes: 0 success · 1 internal error · 2 usage error · 3 unreadable input file or unknown
//! layout · 4 rows rejected under `--strict` · 5 SQL refused or failed · 6 warehouse missing or
//! damaged · 7 Ballista cluster unreachable or failed.
use std::io::Write;

use clap::{Parser, Subcommand};

use crate::Error;
use crate::commands;

#[derive(Debug, Parser)]
#[command(name = "fuyuan", version, about = "府院 — court–government linkage ledgers → Parquet warehouse → metrics, SQL and briefings")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read ledgers into the warehouse (validate, reject with reasons, upsert by key, atomically).
    Ingest(commands::ingest::Args),
    /// Print the metrics table (docs/metrics.md) for a period and a level or agencies.
    Metrics(commands::metrics::Args),
    /// Write the quarterly briefing (通报): .docx, .md, .html, .xlsx annex and charts.
    Brief(commands::brief::Args),
    /// Write the static dashboard (HTML pages with sortable tables and drill-down to case numbers).
    Dashboard(commands::dashboard::Args),
    /// Run read-only SQL over the warehouse, or open a prompt.
    Sql(commands::sql::Args),
    /// The main job: ledgers in a folder → warehouse → the office's metrics tables under out/.
    Run(commands::run::Args),
    /// Write synthetic ledgers (Henan, Sanmenxia in depth) in the messy forms users send.
    Sample(commands::sample::Args),
    /// Write the ledger templates (台账模板) agencies fill in: one .xlsx per ledger with dropdowns,
    /// date columns, required columns marked and a 填表说明 sheet (docs/ledgers.md).
    Template(commands::template::Args),
    /// Print the supervision figures (letters, interviews, accountability, rectification, flagged
    /// agencies without action) for a period or span, per region or agency.
    Supervision(commands::supervision::Args),
    /// Start a Ballista scheduler or executor for `--engine ballista://HOST:PORT` (needs a build
    /// with `--features ballista`).
    Cluster(commands::cluster::Args),
    /// Print township enforcement figures (乡镇综合行政执法) per region: townships, township and
    /// delegated-power penalty cases, fines, leniency.
    Enforcement(commands::enforcement::Args),
    /// The court's list of cases against the agencies' litigation ledger: one row per
    /// discrepancy (missing either way, differing fields, losses not reported), or per region
    /// with --summary.
    Reconcile(commands::reconcile::Args),
}

pub fn exit_code(e: &Error) -> i32 {
    match e {
        Error::Usage(_) => 2,
        Error::BadFile { .. } | Error::Io { .. } => 3,
        Error::Strict(_) => 4,
        Error::Refused(_) | Error::Query(_) => 5,
        Error::Warehouse { .. } => 6,
        Error::Cluster(_) => 7,
        Error::Output(_) | Error::Other(_) => 1,
    }
}

pub fn run(cli: Cli) -> Result<(), Error> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let result = match cli.command {
        Command::Ingest(a) => commands::ingest::run(a, &mut out),
        Command::Metrics(a) => commands::metrics::run(a, &mut out),
        Command::Sql(a) => commands::sql::run(a, &mut out),
        Command::Brief(a) => commands::brief::run(a, &mut out),
        Command::Dashboard(a) => commands::dashboard::run(a, &mut out),
        Command::Sample(a) => commands::sample::run(a, &mut out),
        Command::Template(a) => commands::template::run(a, &mut out),
        Command::Run(a) => commands::run::run(a, &mut out),
        Command::Cluster(a) => commands::cluster::run(a, &mut out),
        Command::Supervision(a) => commands::supervision::run(a, &mut out),
        Command::Enforcement(a) => commands::enforcement::run(a, &mut out),
        Command::Reconcile(a) => commands::reconcile::run(a, &mut out),
    };
    let flushed = out.flush().map_err(Error::Output);
    // A closed pipe (`fuyuan sql … | head -3`) is a normal end, as for any Unix tool: exit 0.
    match result.and(flushed) {
        Err(e) if e.is_broken_pipe() => Ok(()),
        other => other,
    }
}

/// `--level 'village' is not province, city, county or township` for a value a flag's parser
/// (`commands::level_arg`, `commands::table_arg`) refused.
fn refused_value(e: &clap::Error) -> Option<String> {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    if e.kind() != ErrorKind::ValueValidation {
        return None;
    }
    let Some(ContextValue::String(arg)) = e.get(ContextKind::InvalidArg) else { return None };
    let reason = std::error::Error::source(e)?;
    Some(format!("{} {reason}", arg.split_whitespace().next().unwrap_or(arg)))
}

/// Entry point for the binary: never lets a panic or a multi-line error reach the user.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // A flag value our own parser refused (`--level village`) is one line, like every
            // other usage error; clap's own messages (unknown flags, --help) print as clap has them.
            if let Some(line) = refused_value(&e) {
                eprintln!("fuyuan: usage: {line}");
                return 2;
            }
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    std::panic::set_hook(Box::new(|_| {}));
    match std::panic::catch_unwind(|| run(cli)) {
        Ok(Ok(())) => 0,
        Ok(Err(e)) => {
            eprintln!("fuyuan: {}", e.to_string().lines().next().unwrap_or(""));
            exit_code(&e)
        }
        Err(p) => {
            let msg = p.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| p.downcast_ref::<String>().cloned()).unwrap_or_default();
            eprintln!("fuyuan: internal error: {} (please report this)", msg.lines().next().unwrap_or(""));
            1
        }
    }
}
