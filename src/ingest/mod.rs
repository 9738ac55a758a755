//! Stage 1: ledgers → validated Arrow batches, committed to the warehouse.
//!
//! `ingest_files` reads every file, validates every row, folds the accepted rows into the tables
//! by key (a later row replaces an earlier one with the same key) and commits once: either all
//! files land or none does.
//!
//! A file streams through a pipeline in bounded memory: one thread reads records in chunks
//! (`stream`), a worker per core validates each chunk straight into Arrow builders, and this
//! thread applies the chunks in file order — keys, rejects, counts — and hands the batches to a
//! writer thread that appends them to new Parquet parts. Batches wait in a short window before
//! they are written, so a correction a few rows later (a decision re-entered the same day) just
//! drops the earlier row; a row replaced after it was written, or one in an older part, is
//! removed by rewriting that one part at the end.
//!
//! The steps, a file each: `files` (pass 1, the duplicate check, a file's units and records),
//! `chunks` (the reader thread), `workers` (validation), `session` (applying chunks in order),
//! `keys` (the key map), `corrections` (the window and the rewrite of parts), `writer` (the
//! Parquet writer thread), `rejects` (the rejects file), `commit` (`--strict`, the manifest).
//! Reading: `read` (workbooks, and CSV through `stream`), `records` (CSV records cut out of the
//! bytes read, without copying their cells), `decode` (a whole CSV file's bytes),
//! `raw` (rows and cells as read), `layout` (the header row), `validate` (a row's checks),
//! `cells` (each cell rule) and `width` (width folding and trimming, which every text cell gets;
//! a CSV chunk is screened for it once, and only the cells the screen marks are folded).
pub mod batch;
pub mod caseno;
pub mod cells;
pub mod layout;
pub mod peers;
pub mod raw;
pub mod read;
pub mod regions;
pub mod stream;
pub mod supervision;
pub mod template;
pub mod validate;
pub mod vocab;
pub mod width;

mod chunks;
mod commit;
mod corrections;
mod decode;
pub mod digest;
mod files;
mod keys;
mod records;
mod rejects;
mod session;
mod workers;
mod writer;

use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::Result;
use crate::schema::Table;
use crate::warehouse::regions::Regions;
use crate::warehouse::{FileRecord, FileStatus, Manifest, Warehouse};
use session::Ingest;

#[derive(Debug, Clone)]
pub struct IngestOptions {
    pub warehouse: PathBuf,
    pub table: Option<Table>,
    pub sheet: Option<String>,
    pub regions: Option<PathBuf>,
    /// Refuse the files on any rejected row, or on an ignored column that looks like a known one.
    pub strict: bool,
    pub today: NaiveDate,
    /// The office's phrasings for outcomes, decisions and leniency (fuyuan.toml).
    pub phrases: vocab::Phrases,
    /// Told how far each file has been read (a progress bar on a terminal); None: silent.
    pub progress: Option<ProgressSink>,
}

/// Receives the progress of an ingest, file by file. Called from the thread that applies the
/// validated chunks, so an implementation only needs to be cheap.
pub trait Progress: Send + Sync {
    /// A file (or a workbook's sheet) starts; `total_bytes` is the file's size.
    fn start(&self, file: &str, total_bytes: u64);
    /// Bytes of the file read so far (estimated for workbooks, which are read whole) and data
    /// rows validated so far.
    fn advance(&self, bytes: u64, rows: u64);
    /// The file is done.
    fn finish(&self);
}

/// A shared [`Progress`] in the ingest options.
#[derive(Clone)]
pub struct ProgressSink(pub Arc<dyn Progress>);

impl std::fmt::Debug for ProgressSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProgressSink")
    }
}

#[derive(Debug)]
pub struct IngestReport {
    pub ingest_id: u64,
    pub files: Vec<FileRecord>,
    pub regions_added: Vec<String>,
    pub committed: bool,
}

pub fn today() -> NaiveDate {
    // FUYUAN_TODAY pins "today" for reproducible tests; dates after it are rejected.
    std::env::var("FUYUAN_TODAY")
        .ok()
        .and_then(|s| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok())
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

pub fn ingest_files(files: &[PathBuf], opts: &IngestOptions) -> Result<IngestReport> {
    let wh = Warehouse::new(&opts.warehouse);
    let _lock = wh.lock()?;
    let manifest = wh.manifest()?;
    wh.remove_leftovers(manifest.as_ref().unwrap_or(&Manifest::default()));
    let result = ingest_locked(&wh, manifest.as_ref(), files, opts);
    if !matches!(result, Ok(IngestReport { committed: true, .. })) {
        // Nothing was committed: whatever this ingest wrote is garbage now.
        wh.remove_leftovers(manifest.as_ref().unwrap_or(&Manifest::default()));
    }
    result
}

fn ingest_locked(wh: &Warehouse, manifest: Option<&Manifest>, files: &[PathBuf], opts: &IngestOptions) -> Result<IngestReport> {
    let (mut regions, regions_added) = regions_of_ingest(wh, manifest, opts)?;
    let ingest_id = manifest.map(|m| m.ingests.iter().map(|i| i.id).max().unwrap_or(0) + 1).unwrap_or(1);
    let mut known = files::Known::of(manifest);
    let mut ing = Ingest::start(wh, manifest, ingest_id, files, opts.progress.clone());
    let mut records: Vec<FileRecord> = Vec::new();
    // For each source (file of this ingest that was read): its record's index.
    let mut record_of: Vec<usize> = Vec::new();
    for path in files {
        files::ingest_file(&mut ing, path, opts, &mut known, &mut regions, &mut records, &mut record_of)?;
    }
    ing.stop_writer()?;
    commit::refuse_if_strict(opts, &records)?;
    let new_rows: u64 = records.iter().map(|r| r.rows_accepted).sum();
    if new_rows == 0 && regions_added.is_empty() && records.iter().all(|r| r.status != FileStatus::Ingested) {
        return Ok(IngestReport { ingest_id, files: records, regions_added, committed: false });
    }
    commit::commit(ing, &regions, records, &record_of, regions_added)
}

/// The regions of the warehouse, with the additions of `--regions` (their codes listed).
fn regions_of_ingest(wh: &Warehouse, manifest: Option<&Manifest>, opts: &IngestOptions) -> Result<(Regions, Vec<String>)> {
    let mut regions: Regions = wh.regions(manifest)?;
    let mut regions_added = Vec::new();
    if let Some(path) = &opts.regions {
        for r in regions::read_additions(&regions, path)? {
            regions_added.push(r.code.clone());
            regions.insert(r);
        }
    }
    Ok((regions, regions_added))
}
