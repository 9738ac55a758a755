//! `fuyuan sql "QUERY"`, `fuyuan sql -f FILE`, or `fuyuan sql` for a prompt with history —
//! read-only SQL over `litigation`, `reconsideration`, `penalty`, `regions` and the views of
//! `queries/views.sql`. `\d` lists tables, `\d NAME` describes one, `\q` quits.
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::{ConfigArg, EngineArg, WarehouseArg, out_err};
use crate::app::Session;
use crate::engine::{Engine, Limits, Rows, statements};
use crate::output::{self, Format};
use crate::warehouse::Warehouse;
use crate::{Error, Result};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The query; omit it (and -f) for an interactive prompt.
    pub query: Option<String>,
    /// Run the statements in FILE.
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub file: Option<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArg,
    #[command(flatten)]
    pub warehouse: WarehouseArg,
    #[command(flatten)]
    pub engine: EngineArg,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
    /// Show at most N rows (all rows when 0). Default: 100 for tables, all for csv/json.
    #[arg(long, value_name = "N")]
    pub max_rows: Option<usize>,
    /// Stop a query after this many seconds.
    #[arg(long, default_value_t = 300, value_name = "SECONDS")]
    pub timeout: u64,
    /// Memory a query may use, in MiB, before it is stopped (with --engine ballista: only the
    /// results and catalog queries in this process; executors have their own --memory-limit).
    #[arg(long, default_value_t = 4096, value_name = "MIB")]
    pub memory_limit: usize,
    /// Print the absolute paths of TABLE's Parquet parts, one a line (for polars, DuckDB,
    /// pyarrow), and run nothing.
    #[arg(long, value_name = "TABLE", conflicts_with_all = ["query", "file"])]
    pub list_parts: Option<String>,
}

/// The prompt's state: the engine and how to print.
struct Prompt<'a> {
    engine: &'a Engine,
    args: &'a Args,
}

impl Prompt<'_> {
    async fn run_one(&self, sql: &str, out: &mut dyn Write) -> Result<()> {
        let trimmed = sql.trim().trim_end_matches(';').trim();
        if trimmed.is_empty() {
            return Ok(());
        }
        let sql = match meta_command(trimmed) {
            Some(Meta::ListTables) => {
                "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name".to_string()
            }
            Some(Meta::Describe(name)) => format!("DESCRIBE {name}"),
            Some(Meta::Help) => {
                writeln!(out, "\\d            list tables and views\n\\d NAME       describe a table\n\\q            quit\nSQL statements end with ';'").map_err(out_err)?;
                out.flush().map_err(out_err)?;
                return Ok(());
            }
            Some(Meta::Quit) => return Ok(()),
            Some(Meta::Unknown(c)) => return Err(Error::Usage(format!("unknown command {c} (try \\?)"))),
            None => trimmed.to_string(),
        };
        let started = Instant::now();
        let (schema, batches) = self.engine.query(&sql).await?;
        let mut rows = Rows::from_batches(&schema, &batches)?;
        let total = rows.rows.len();
        let limit = match (self.args.max_rows, self.args.format) {
            (Some(0), _) => usize::MAX,
            (Some(n), _) => n,
            (None, Format::Table) => 100,
            (None, _) => usize::MAX,
        };
        rows.rows.truncate(limit);
        output::write(&rows, self.args.format, output::plain_style, out)?;
        // The prompt interleaves results with input: show each result before the next prompt.
        out.flush().map_err(out_err)?;
        let shown = if total > rows.rows.len() { format!(" ({} shown, see --max-rows)", rows.rows.len()) } else { String::new() };
        eprintln!("{total} row(s) fetched{shown}. Elapsed {:.3} seconds.", started.elapsed().as_secs_f64());
        Ok(())
    }
}

enum Meta {
    ListTables,
    Describe(String),
    Help,
    Quit,
    Unknown(String),
}

fn meta_command(s: &str) -> Option<Meta> {
    let rest = s.strip_prefix('\\')?;
    let mut parts = rest.split_whitespace();
    Some(match (parts.next(), parts.next()) {
        (Some("d"), None) => Meta::ListTables,
        (Some("d"), Some(name)) if name.chars().all(|c| c.is_alphanumeric() || c == '_') => Meta::Describe(name.to_string()),
        (Some("?" | "h"), _) => Meta::Help,
        (Some("q"), _) => Meta::Quit,
        _ => Meta::Unknown(s.to_string()),
    })
}

pub fn run(args: Args, out: &mut dyn Write) -> Result<()> {
    let settings = args.config.load()?;
    let wh = Warehouse::new(settings.warehouse(args.warehouse.warehouse.as_deref()));
    if let Some(table) = &args.list_parts {
        for p in wh.absolute_parts(table)? {
            writeln!(out, "{}", p.display()).map_err(out_err)?;
        }
        return Ok(());
    }
    let limits = Limits { memory_bytes: args.memory_limit << 20, timeout: Duration::from_secs(args.timeout) };
    let target = args.engine.target()?;
    let session = Session::open_with(&wh, &target, limits)?;
    let prompt = Prompt { engine: session.engine(), args: &args };
    session.block_on(async {
        if let Some(q) = &args.query {
            return prompt.run_one(q, out).await;
        }
        if let Some(f) = &args.file {
            let text = std::fs::read_to_string(f).map_err(|e| Error::io(f, e))?;
            return run_script(&prompt, &text, out).await;
        }
        if !std::io::stdin().is_terminal() {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).map_err(|e| Error::io("stdin", e))?;
            return run_script(&prompt, &text, out).await;
        }
        interactive(&prompt, out).await
    })
}

/// A script's statements run in order; the first failure stops it with the statement's number.
async fn run_script(prompt: &Prompt<'_>, text: &str, out: &mut dyn Write) -> Result<()> {
    for (i, stmt) in statements(text).iter().enumerate() {
        prompt.run_one(stmt, out).await.map_err(|e| match e {
            Error::Query(m) => Error::Query(format!("statement {}: {m}", i + 1)),
            Error::Refused(m) => Error::Refused(format!("statement {}: {m}", i + 1)),
            other => other,
        })?;
    }
    Ok(())
}

async fn interactive(prompt: &Prompt<'_>, out: &mut dyn Write) -> Result<()> {
    use rustyline::error::ReadlineError;
    let mut rl = rustyline::DefaultEditor::new().map_err(|e| Error::Other(format!("cannot open the prompt: {e}")))?;
    let history = std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".fuyuan_history"));
    if let Some(h) = &history {
        let _ = rl.load_history(h);
    }
    let on = if prompt.engine.target().is_local() { String::new() } else { format!(" on {}", prompt.engine.target()) };
    eprintln!("fuyuan sql{on} — read-only. \\d lists tables, \\q quits; end statements with ';'.");
    let mut buffer = String::new();
    loop {
        let marker = if buffer.is_empty() { "fuyuan> " } else { "   ...> " };
        match rl.readline(marker) {
            Ok(line) => {
                let t = line.trim();
                if buffer.is_empty() && t.starts_with('\\') {
                    let _ = rl.add_history_entry(t);
                    if matches!(meta_command(t), Some(Meta::Quit)) {
                        break;
                    }
                    if let Err(e) = prompt.run_one(t, out).await {
                        eprintln!("{e}");
                    }
                    continue;
                }
                buffer.push_str(&line);
                buffer.push('\n');
                if t.ends_with(';') {
                    let stmt = std::mem::take(&mut buffer);
                    let _ = rl.add_history_entry(stmt.trim());
                    if let Err(e) = prompt.run_one(&stmt, out).await {
                        eprintln!("{e}");
                    }
                }
            }
            Err(ReadlineError::Interrupted) => buffer.clear(),
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(Error::Other(format!("prompt: {e}"))),
        }
    }
    if let Some(h) = &history {
        let _ = rl.save_history(h);
    }
    Ok(())
}
