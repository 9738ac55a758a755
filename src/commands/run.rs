//! `fuyuan run [--config fuyuan.toml] [--inputs DIR] [--out DIR] [--region CODE] [--period P]`
//! — the main job: every ledger in the inputs folder → warehouse → the metrics tables the office
//! reports (the province's cities, the region's counties, townships and agencies) as CSV and
//! JSON → the briefing (charts, .docx, .md, .html, .xlsx annex) → the dashboard, all under
//! `out/`, with a closing summary of what was written where.
use std::io::Write;
use std::path::{Path, PathBuf};

use std::collections::BTreeMap;

use serde::Deserialize;

use super::EngineArg;
use super::metrics::compute_all;
use crate::engine::{Engine, Limits, Period, Target, Units};
use crate::ingest::vocab::Phrases;
use crate::ingest::{self, IngestOptions};
use crate::output::{self, Rows};
use crate::warehouse::Warehouse;
use crate::warehouse::regions::Level;
use crate::{Error, Result};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// TOML settings (region, period, ytd, inputs, out); flags override them.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Folder of ledgers (.csv, .xlsx); a file named regions*.csv is read as region additions,
    /// one named court*.csv|xlsx as the court's list of cases.
    #[arg(long, value_name = "DIR")]
    pub inputs: Option<PathBuf>,
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub scope: Scope,
    /// Briefing documents to write, e.g. `docx,xlsx` (default: all of docx, md, html, xlsx).
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    pub formats: Option<Vec<String>>,
    #[command(flatten)]
    pub engine: EngineArg,
}

/// What to report on; these flags override fuyuan.toml (`run`, `dashboard`).
#[derive(Debug, Clone, clap::Args)]
pub struct Scope {
    /// The city or county reported on (default: fuyuan.toml's region, else 411200).
    #[arg(long, value_name = "CODE")]
    pub region: Option<String>,
    /// 2024, 2024Q2, 2024H1, 2024M05, or `latest`: the last quarter that has ended and holds
    /// filings.
    #[arg(long)]
    pub period: Option<String>,
    /// Year-to-date figures (the default for quarterly briefings); `--no-ytd` for the period alone.
    #[arg(long, overrides_with = "no_ytd")]
    pub ytd: bool,
    #[arg(long)]
    pub no_ytd: bool,
}

/// Settings for `fuyuan run`, from `fuyuan.toml` when present.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub region: String,
    pub period: String,
    pub ytd: bool,
    pub inputs: PathBuf,
    pub out: PathBuf,
    /// Folder with the office's templates; default `reports/` when present.
    pub templates: Option<PathBuf>,
    /// Briefing documents to write: any of docx, md, html, xlsx.
    pub formats: Vec<String>,
    pub thresholds: crate::report::model::Thresholds,
    /// The office's own phrasings, phrase = "canonical value": `[outcomes]` (litigation),
    /// `[decisions]` (reconsideration), `[leniency]` (penalty). Read before the built-in rules.
    pub outcomes: BTreeMap<String, toml::Spanned<String>>,
    pub decisions: BTreeMap<String, toml::Spanned<String>>,
    pub leniency: BTreeMap<String, toml::Spanned<String>>,
    /// The three tables above, checked against the vocabularies when the file is loaded.
    #[serde(skip)]
    pub phrases: Phrases,
    /// Start of the briefing's cumulative supervision figures (e.g. "2021-01-01"); default: the
    /// first issue date in the supervision ledger.
    pub supervision_since: Option<String>,
    /// Since when townships exercise delegated penalty powers (乡镇综合行政执法改革), ISO date:
    /// the briefing's cumulative township sentence counts from it.
    pub township_reform_start: String,
    /// `[briefing]`: the salutation and the issuing office, when the office words them itself.
    pub briefing: crate::report::model::Wording,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            region: "411200".into(),
            period: "latest".into(),
            ytd: true,
            inputs: "data-samples".into(),
            out: "out".into(),
            templates: None,
            formats: super::brief::Formats::NAMES.iter().map(|s| s.to_string()).collect(),
            thresholds: Default::default(),
            outcomes: BTreeMap::new(),
            decisions: BTreeMap::new(),
            leniency: BTreeMap::new(),
            phrases: Phrases::default(),
            supervision_since: None,
            township_reform_start: crate::report::township::DEFAULT_REFORM_START.into(),
            briefing: Default::default(),
        }
    }
}

impl Config {
    pub fn load(path: Option<&Path>) -> Result<Config> {
        let path = match path {
            Some(p) => p.to_path_buf(),
            None if Path::new("fuyuan.toml").exists() => PathBuf::from("fuyuan.toml"),
            None => return Ok(Config::default()),
        };
        let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
        let mut cfg: Config = toml::from_str(&text).map_err(|e| {
            Error::bad_file(
                path.display().to_string(),
                e.span().map(|s| line_of(&text, s.start)).unwrap_or(1),
                "-",
                e.message().to_string(),
            )
        })?;
        // A phrase mapped to a value outside the vocabulary is a usage error naming its line.
        for (table, map) in [("outcomes", &cfg.outcomes), ("decisions", &cfg.decisions), ("leniency", &cfg.leniency)] {
            for (phrase, value) in map {
                cfg.phrases
                    .add(table, phrase, value.get_ref())
                    .map_err(|msg| Error::Usage(format!("{}: line {}: {msg}", path.display(), line_of(&text, value.span().start))))?;
            }
        }
        if let Some(since) = &cfg.supervision_since {
            let d = since.trim().parse::<chrono::NaiveDate>().map_err(|_| {
                let line = text.lines().position(|l| l.trim_start().starts_with("supervision_since")).map(|i| i as u64 + 1).unwrap_or(1);
                Error::bad_file(
                    path.display().to_string(),
                    line,
                    "supervision_since",
                    format!("'{since}' is not a date such as 2021-01-01"),
                )
            })?;
            cfg.thresholds.supervision_since = Some(d);
        }
        cfg.thresholds.wording = cfg.briefing.clone();
        if cfg.reform_start().is_err() {
            let line = text.find("township_reform_start").map(|o| line_of(&text, o)).unwrap_or(1);
            return Err(Error::bad_file(
                path.display().to_string(),
                line,
                "township_reform_start",
                format!("'{}' is not a date (YYYY-MM-DD)", cfg.township_reform_start),
            ));
        }
        Ok(cfg)
    }

    /// `township_reform_start` as a date.
    pub fn reform_start(&self) -> Result<chrono::NaiveDate> {
        chrono::NaiveDate::parse_from_str(self.township_reform_start.trim(), "%Y-%m-%d")
            .map_err(|_| Error::Usage(format!("township_reform_start '{}' is not a date (YYYY-MM-DD)", self.township_reform_start)))
    }
}

impl Config {
    /// Flags given on the command line win over the settings file.
    pub fn override_with(&mut self, scope: &Scope) {
        if let Some(v) = &scope.region {
            self.region = v.clone();
        }
        if let Some(v) = &scope.period {
            self.period = v.clone();
        }
        if scope.ytd {
            self.ytd = true;
        }
        if scope.no_ytd {
            self.ytd = false;
        }
    }
}

fn line_of(text: &str, offset: usize) -> u64 {
    text[..offset.min(text.len())].matches('\n').count() as u64 + 1
}

/// Ledger files in a folder, sorted by name (so corrections, named later, land later), and the
/// region additions file if there is one.
pub fn ledger_files(dir: &Path) -> Result<(Vec<PathBuf>, Option<PathBuf>)> {
    if !dir.is_dir() {
        return Err(Error::Usage(format!("no folder {} of ledgers (run from the project folder, or give --inputs DIR)", dir.display())));
    }
    let mut files = Vec::new();
    let mut regions = None;
    for e in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let p = e.map_err(|e| Error::io(dir, e))?.path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("").to_lowercase();
        let ledger = name.ends_with(".csv") || name.ends_with(".xlsx") || name.ends_with(".xls");
        if !ledger || name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        if name.starts_with("regions") {
            regions = Some(p);
        } else {
            files.push(p);
        }
    }
    files.sort();
    Ok((files, regions))
}

/// A court's list of cases (法院收结案清单): a ledger file whose name starts with `court`.
pub fn is_court_list(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.to_lowercase().starts_with("court"))
}

/// The quarter `--period latest` stands for: the last one ended by today that holds filings.
pub fn latest_quarter(wh: &Warehouse, target: &Target) -> Result<crate::engine::latest::Latest> {
    let rt = super::runtime()?;
    rt.block_on(async { Engine::open_on(wh, Limits::default(), target).await?.latest_quarter(ingest::today()).await })
}

/// The period a run or dashboard reports on, and the line that says which and why.
pub fn resolve_period(cfg: &Config, wh: &Warehouse, target: &Target) -> Result<(Period, String)> {
    if cfg.period == "latest" {
        let latest = latest_quarter(wh, target)?;
        let period = Period::parse(&latest.period, cfg.ytd)?;
        Ok((period, format!("period {}{}: {}", latest.period, if cfg.ytd { ", year to date" } else { "" }, latest.reason())))
    } else {
        let period = Period::parse(&cfg.period, cfg.ytd)?;
        Ok((
            period,
            format!("period {}{}: as given", cfg.period, if cfg.ytd && !cfg.period.contains("..") { ", year to date" } else { "" }),
        ))
    }
}

fn write_rows(rows: &Rows, dir: &Path, stem: &str, written: &mut Vec<PathBuf>) -> Result<()> {
    for (ext, format) in [("csv", output::Format::Csv), ("json", output::Format::Json)] {
        let path = dir.join(format!("{stem}.{ext}"));
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path).map_err(|e| Error::io(&path, e))?);
        output::write(rows, format, output::plain_style, &mut f)?;
        f.flush().map_err(|e| Error::io(&path, e))?;
        written.push(path);
    }
    Ok(())
}

pub fn run(args: Args, out: &mut dyn Write) -> Result<()> {
    let mut cfg = Config::load(args.config.as_deref())?;
    if let Some(v) = args.inputs {
        cfg.inputs = v;
    }
    if let Some(v) = args.out {
        cfg.out = v;
    }
    cfg.override_with(&args.scope);
    let target = args.engine.target()?;
    // A cluster that cannot be reached is found out before the ingest, not after it.
    #[cfg(feature = "ballista")]
    if let crate::engine::Target::Ballista { host, port } = &target {
        super::runtime()?.block_on(crate::engine::ballista::reachable(host, *port))?;
    }
    let io = |e: std::io::Error| Error::Other(e.to_string());
    let started = std::time::Instant::now();
    let warehouse = cfg.out.join("warehouse");
    let (files, regions) = ledger_files(&cfg.inputs)?;
    let (court_files, files): (Vec<PathBuf>, Vec<PathBuf>) = files.into_iter().partition(|p| is_court_list(p));
    if files.is_empty() && court_files.is_empty() {
        return Err(Error::Usage(format!("no ledgers (.csv, .xlsx) in {}", cfg.inputs.display())));
    }
    // Per-file progress bars on a terminal (none when stderr is a pipe or a file).
    let progress = crate::output::progress::terminal();
    let report = ingest::ingest_files(
        &files,
        &IngestOptions {
            warehouse: warehouse.clone(),
            table: None,
            sheet: None,
            regions,
            strict: false,
            today: ingest::today(),
            phrases: cfg.phrases.clone(),
            progress: progress.clone(),
        },
    )?;
    // The court's list has the litigation headers, so it is never detected: a file named
    // court_* goes to the court table, in a second commit after the ledgers.
    let mut report = report;
    if !court_files.is_empty() {
        let court = ingest::ingest_files(
            &court_files,
            &IngestOptions {
                warehouse: warehouse.clone(),
                table: Some(crate::ingest::schema::Table::Court),
                sheet: None,
                regions: None,
                strict: false,
                today: ingest::today(),
                phrases: cfg.phrases.clone(),
                progress: progress.clone(),
            },
        )?;
        report.files.extend(court.files);
    }
    // The first line says which period is briefed and why; it needs the ingested warehouse.
    let wh = Warehouse::new(&warehouse);
    let (period, period_line) = resolve_period(&cfg, &wh, &target)?;
    writeln!(out, "{period_line}").map_err(io)?;
    writeln!(out, "1/4 ingest: {} ledgers from {} → {}", files.len() + court_files.len(), cfg.inputs.display(), warehouse.display())
        .map_err(io)?;
    for f in &report.files {
        if f.status == crate::warehouse::FileStatus::Ingested {
            let sheet = f.sheet.as_ref().map(|s| format!(" [{s}]")).unwrap_or_default();
            writeln!(out, "    {}{sheet}: read {} = accepted {} + rejected {}", f.path, f.rows_read, f.rows_accepted, f.rows_rejected)
                .map_err(io)?;
            for m in &f.likely_misses {
                eprintln!("{}", super::ingest::likely_miss_warning(f, m));
            }
        } else {
            writeln!(out, "    {}: {}", f.path, f.status).map_err(io)?;
        }
    }
    let regions = wh.regions(wh.manifest()?.as_ref())?;
    let region = regions.require(&cfg.region, "region")?;
    let province = regions.codes_at(Level::Province).next().map(|r| r.code.clone()).unwrap_or_else(|| "410000".into());
    writeln!(out, "2/4 metrics: {} {} ({}){}", region.name, period.name, period.span(), if cfg.ytd { ", year to date" } else { "" })
        .map_err(io)?;
    let bar = step("computing metrics");
    let dir = cfg.out.join("metrics");
    std::fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
    let tag = format!("{}{}", period.name, if cfg.ytd { "_ytd" } else { "" });
    let mut written = Vec::new();
    let sub_level = match region.level {
        Level::Province => Level::City,
        Level::City => Level::County,
        _ => Level::Township,
    };
    let jobs: Vec<(String, Units)> = vec![
        (format!("cities_{province}_{tag}"), Units::Regions { level: Level::City, parent: Some(province.clone()) }),
        (format!("{}_{}_{tag}", sub_level.name(), region.code), Units::Regions { level: sub_level, parent: Some(region.code.clone()) }),
        (format!("townships_{}_{tag}", region.code), Units::Regions { level: Level::Township, parent: Some(region.code.clone()) }),
        (format!("agencies_{}_{tag}", region.code), Units::Agencies { level: None, parent: Some(region.code.clone()) }),
    ];
    let units: Vec<Units> = jobs.iter().map(|(_, u)| u.clone()).collect();
    let tables = compute_all(&wh, &target, &period, &units)?;
    for ((stem, _), rows) in jobs.iter().zip(&tables) {
        write_rows(rows, &dir, stem, &mut written)?;
    }
    // 乡镇综合行政执法 (`fuyuan enforcement`) for the sub-units and the townships.
    let mut enforcement_levels = vec![sub_level];
    if sub_level != Level::Township {
        enforcement_levels.push(Level::Township);
    }
    for level in enforcement_levels {
        let rows = super::enforcement::compute(&wh, &target, &period, level, Some(&region.code))?;
        write_rows(&rows, &dir, &format!("enforcement_{}_{}_{tag}", level.name(), region.code), &mut written)?;
    }
    let subunits = &tables[1];
    bar.finish_and_clear();
    writeln!(out, "{}", output::render_table(&summary(subunits), output::metrics_style)).map_err(io)?;
    writeln!(out, "3/4 briefing: charts, Word, Markdown, HTML, Excel annex → {}", cfg.out.join("briefing").display()).map_err(io)?;
    let bar = step("writing the briefing");
    let formats = super::brief::Formats::parse(args.formats.as_ref().unwrap_or(&cfg.formats))?;
    let brief = super::brief::produce(
        &wh,
        &target,
        &region.code,
        &period,
        &cfg.thresholds,
        cfg.reform_start()?,
        cfg.templates.as_deref(),
        &formats,
        &cfg.out.join("briefing"),
    )?;
    bar.finish_and_clear();
    writeln!(out, "    {}", brief.briefing.title).map_err(io)?;
    written.extend(brief.files);
    writeln!(out, "4/4 dashboard → {}", cfg.out.join("dashboard").display()).map_err(io)?;
    let bar = step("writing the dashboard");
    let dash = cfg.out.join("dashboard");
    // The briefing's charts are inlined into the pages, so they are not drawn twice.
    let extras = super::dashboard::extras(&wh, &target, &period, &brief.briefing)?;
    written.extend(crate::report::dashboard::write_dashboard_with(
        &brief.briefing,
        &extras,
        &cfg.out.join("briefing").join("charts"),
        &dash,
    )?);
    bar.finish_and_clear();
    writeln!(out, "written ({:.1} s):", started.elapsed().as_secs_f64()).map_err(io)?;
    writeln!(out, "    warehouse  {}", warehouse.display()).map_err(io)?;
    for p in &written {
        writeln!(out, "    {}", p.display()).map_err(io)?;
    }
    Ok(())
}

/// A spinner on stderr for a long step; indicatif hides it when stderr is not a terminal.
fn step(message: &'static str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_message(message);
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// The columns a briefing's ranking table shows, for the terminal summary.
fn summary(rows: &Rows) -> Rows {
    let keep = [
        "region_name",
        "filed",
        "filed_prev",
        "filed_yoy",
        "concluded",
        "lost",
        "loss_rate",
        "loss_rate_change_pp",
        "appearance_rate",
        "loss_rank",
    ];
    let idx: Vec<usize> = keep.iter().filter_map(|k| rows.index(k)).collect();
    Rows {
        columns: idx.iter().map(|&i| rows.columns[i].clone()).collect(),
        rows: rows.rows.iter().map(|r| idx.iter().map(|&i| r[i].clone()).collect()).collect(),
    }
}
