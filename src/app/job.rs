//! The main job (`fuyuan run`), step by step: every ledger in the inputs folder into the
//! warehouse, the metrics tables the office reports as CSV and JSON, then the briefing and the
//! dashboard (in `briefing` and `dashboard`). The command prints a line between the steps.
use std::io::Write;
use std::path::{Path, PathBuf};

use super::session::Session;
use super::settings::Settings;
use crate::engine::{Period, Rows, Units};
use crate::ingest::{self, IngestOptions, IngestReport, ProgressSink};
use crate::output;
use crate::schema::Table;
use crate::warehouse::regions::{Level, Region};
use crate::{Error, Result};

/// The files of an inputs folder: ledgers, sorted by name (so corrections, named later, land
/// later), the court's lists, and the region additions file if there is one.
#[derive(Debug, Default)]
pub struct Inputs {
    pub ledgers: Vec<PathBuf>,
    /// Files named `court*`: the court's list of cases (法院收结案清单). It has the litigation
    /// headers, so it is never detected from them: the name decides.
    pub court_lists: Vec<PathBuf>,
    /// A file named `regions*.csv`: townships and zones to add to the dimension.
    pub regions: Option<PathBuf>,
}

impl Inputs {
    pub fn count(&self) -> usize {
        self.ledgers.len() + self.court_lists.len()
    }
}

/// Reads the inputs folder (hidden files and Office lock files `~$…` are not ledgers).
pub fn inputs(dir: &Path) -> Result<Inputs> {
    if !dir.is_dir() {
        return Err(Error::Usage(format!("no folder {} of ledgers (run from the project folder, or give --inputs DIR)", dir.display())));
    }
    let mut found = Inputs::default();
    for e in std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))? {
        let p = e.map_err(|e| Error::io(dir, e))?.path();
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("").to_lowercase();
        let ledger = name.ends_with(".csv") || ingest::read::is_workbook(&p);
        if !ledger || name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        if name.starts_with("regions") {
            found.regions = Some(p);
        } else if name.starts_with("court") {
            found.court_lists.push(p);
        } else {
            found.ledgers.push(p);
        }
    }
    if found.count() == 0 {
        return Err(Error::Usage(format!("no ledgers (.csv, .xlsx) in {}", dir.display())));
    }
    found.ledgers.sort();
    found.court_lists.sort();
    Ok(found)
}

/// Ingests the ledgers, then the court's lists (a second commit, after the ledgers).
pub fn ingest_inputs(inputs: &Inputs, settings: &Settings, warehouse: &Path, progress: Option<ProgressSink>) -> Result<IngestReport> {
    let options = |table: Option<Table>, regions: Option<PathBuf>| IngestOptions {
        warehouse: warehouse.to_path_buf(),
        table,
        sheet: None,
        regions,
        strict: false,
        today: ingest::today(),
        phrases: settings.phrases.clone(),
        progress: progress.clone(),
    };
    let mut report = ingest::ingest_files(&inputs.ledgers, &options(None, inputs.regions.clone()))?;
    if !inputs.court_lists.is_empty() {
        let court = ingest::ingest_files(&inputs.court_lists, &options(Some(Table::Court), None))?;
        report.files.extend(court.files);
    }
    Ok(report)
}

/// The metrics tables of a run: the province's cities, the region's sub-units, its townships
/// and its agencies, then township enforcement for the sub-units and the townships.
pub struct MetricsWritten {
    pub files: Vec<PathBuf>,
    /// The region's sub-units, for the summary the run prints.
    pub subunits: Rows,
}

pub fn write_metrics(session: &Session, region: &Region, period: &Period, dir: &Path) -> Result<MetricsWritten> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let province = session.regions()?.codes_at(Level::Province).next().map(|r| r.code.clone()).unwrap_or_else(|| "410000".into());
    let tag = format!("{}{}", period.name, if period.ytd { "_ytd" } else { "" });
    let sub_level = region.level.below();
    let code = &region.code;
    let jobs: Vec<(String, Units)> = vec![
        (format!("cities_{province}_{tag}"), Units::Regions { level: Level::City, parent: Some(province.clone()) }),
        (format!("{}_{code}_{tag}", sub_level.name()), Units::Regions { level: sub_level, parent: Some(code.clone()) }),
        (format!("townships_{code}_{tag}"), Units::Regions { level: Level::Township, parent: Some(code.clone()) }),
        (format!("agencies_{code}_{tag}"), Units::Agencies { level: None, parent: Some(code.clone()) }),
    ];
    let mut files = Vec::new();
    let mut subunits = Rows::default();
    for (i, (stem, units)) in jobs.iter().enumerate() {
        let rows = session.metrics(period, units)?;
        write_rows(&rows, dir, stem, &mut files)?;
        if i == 1 {
            subunits = rows;
        }
    }
    // 乡镇综合行政执法 (`fuyuan enforcement`) for the sub-units and the townships.
    let mut levels = vec![sub_level];
    if sub_level != Level::Township {
        levels.push(Level::Township);
    }
    for level in levels {
        let rows = session.enforcement(period, level, Some(code))?;
        write_rows(&rows, dir, &format!("enforcement_{}_{code}_{tag}", level.name()), &mut files)?;
    }
    Ok(MetricsWritten { files, subunits })
}

/// A table as `stem.csv` and `stem.json`.
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

/// The columns a briefing's ranking table shows, for the terminal summary.
pub fn summary(rows: &Rows) -> Rows {
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
