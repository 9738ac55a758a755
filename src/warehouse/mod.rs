//! The warehouse: Parquet parts for each table plus `manifest.json`, in one folder.
//!
//! Layout: `manifest.json` lists, for each of `litigation`, `reconsideration`, `penalty` and
//! `regions`, the Parquet part files that make up the table now (`data/penalty/000003-0001.parquet`:
//! ingest 3, its first penalty part). An ingest appends new parts; it rewrites only the parts
//! that lost rows to a later row with the same key, so a large table is not copied on every
//! ingest. `data/penalty_units/` holds the penalty ledger's agency list, merged from its parts'
//! footers at each commit (`units`). `rejects/` holds one CSV per ingested file that had rejected
//! rows.
//!
//! Atomicity: an ingest writes and syncs its new parts, then replaces `manifest.json` by renaming
//! a synced temporary file over it. The rename is the commit: a crash before it leaves the old
//! manifest naming the old, untouched parts; after it, the new ones. Part and rejects files that
//! no manifest names are leftovers of a crash (or parts replaced by a rewrite) and are removed by
//! the next ingest, under the lock that serialises writers.
pub mod regions;
pub mod units;

use std::collections::BTreeMap;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow::array::{Array, ArrayRef, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;
use serde::{Deserialize, Serialize};

use crate::{Error, Result};
use regions::{Level, Region, Regions};

pub const MANIFEST: &str = "manifest.json";
/// Format 2: tables as lists of parts (format 1 held one file per table in a version folder).
pub const FORMAT: u32 = 2;

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Manifest {
    pub format: u32,
    /// Increases by one with every commit.
    pub version: u64,
    pub tables: BTreeMap<String, TableInfo>,
    pub ingests: Vec<IngestRecord>,
}

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct TableInfo {
    pub rows: u64,
    pub parts: Vec<PartInfo>,
    /// For a table with unit columns (the penalty ledger): the file listing every (region code,
    /// agency) pair its parts hold (`units`). Absent in a warehouse written before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units: Option<PartInfo>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PartInfo {
    /// Relative to the warehouse root, e.g. `data/penalty/000003-0001.parquet`.
    pub file: String,
    pub rows: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IngestRecord {
    pub id: u64,
    pub at: String,
    pub files: Vec<FileRecord>,
    /// Regions added by `--regions` in this ingest.
    #[serde(default)]
    pub regions_added: Vec<String>,
}

/// What an ingest did with a file. In `manifest.json` it is the sentence the user reads:
/// `ingested`, or `already ingested (same content as PATH)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum FileStatus {
    /// Read, validated and committed.
    Ingested,
    /// Not read: the same bytes as a file already ingested, from this path.
    AlreadyIngested { same_as: String },
}

const SAME_CONTENT: &str = "already ingested (same content as ";

impl std::fmt::Display for FileStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileStatus::Ingested => f.write_str("ingested"),
            FileStatus::AlreadyIngested { same_as } => write!(f, "{SAME_CONTENT}{same_as})"),
        }
    }
}

impl From<FileStatus> for String {
    fn from(s: FileStatus) -> String {
        s.to_string()
    }
}

impl TryFrom<String> for FileStatus {
    type Error = String;
    fn try_from(s: String) -> std::result::Result<FileStatus, String> {
        if s == "ingested" {
            return Ok(FileStatus::Ingested);
        }
        match s.strip_prefix(SAME_CONTENT).and_then(|rest| rest.strip_suffix(')')) {
            Some(same_as) => Ok(FileStatus::AlreadyIngested { same_as: same_as.to_string() }),
            None => Err(format!("unknown file status '{s}'")),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileRecord {
    pub path: String,
    /// The content's BLAKE3 (hex, as `b3sum` prints it): a file with the same content is not
    /// read again.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub blake3: String,
    /// Records written before BLAKE3 hold the content's SHA-256 instead (hex, as `sha256sum`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub sha256: String,
    /// The file's size: a file whose size no earlier file has cannot be one of them, so it is
    /// hashed while it is read instead of in a pass of its own.
    #[serde(default)]
    pub bytes: u64,
    pub status: FileStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    pub header_line: u64,
    pub rows_read: u64,
    pub rows_accepted: u64,
    pub rows_rejected: u64,
    /// Empty rows (every cell blank) are not data rows and are counted here, not in rows_read.
    pub blank_rows: u64,
    pub ignored_columns: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejects_file: Option<String>,
    pub replaced: Vec<Replaced>,
    /// 9-digit township codes first seen in this file (named by their code).
    #[serde(default)]
    pub new_townships: Vec<String>,
    /// The workbook sheet this record is about (a workbook gives one record per ledger sheet).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// 合计/总计/小计 rows skipped: sums, not cases (outside rows_read, like blank rows).
    #[serde(default)]
    pub total_rows: u64,
    /// Ignored columns whose header looks like a ledger column (结案 …, 出庭 …): likely misses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub likely_misses: Vec<String>,
    /// Sheets of the workbook not read, each with why ("填表说明: no ledger header …").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped_sheets: Vec<String>,
    /// Columns dropped because they name persons (a supervision ledger's 被追责人, 责任人, 姓名):
    /// their contents are in neither the warehouse nor the rejects file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub personal_data_dropped: Vec<String>,
}

/// A row replaced by a later row with the same key (a correction).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Replaced {
    pub key: String,
    pub old_file: String,
    pub old_line: i64,
    pub new_file: String,
    pub new_line: i64,
}

#[derive(Debug, Clone)]
pub struct Warehouse {
    pub root: PathBuf,
}

/// Holds the writer lock until dropped.
pub struct WriteLock {
    _file: File,
}

fn wh_err(root: &Path, message: impl Into<String>) -> Error {
    Error::Warehouse { path: root.to_path_buf(), message: message.into() }
}

impl Warehouse {
    pub fn new(root: impl Into<PathBuf>) -> Warehouse {
        Warehouse { root: root.into() }
    }

    pub fn manifest(&self) -> Result<Option<Manifest>> {
        let path = self.root.join(MANIFEST);
        match fs::read(&path) {
            Ok(bytes) => {
                let m: Manifest =
                    serde_json::from_slice(&bytes).map_err(|e| wh_err(&self.root, format!("manifest.json is damaged: {e}")))?;
                if m.format != FORMAT {
                    return Err(wh_err(
                        &self.root,
                        format!(
                            "manifest format {} is not supported (expected {FORMAT}): ingest the ledgers into a new warehouse",
                            m.format
                        ),
                    ));
                }
                Ok(Some(m))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(path, e)),
        }
    }

    /// The tables of a warehouse that must exist, for queries: the ingest history (which names
    /// every replaced row, megabytes at national scale) is skipped, not parsed.
    pub fn require_tables(&self) -> Result<Manifest> {
        #[derive(Deserialize)]
        struct Head {
            format: u32,
            version: u64,
            tables: BTreeMap<String, TableInfo>,
        }
        let path = self.root.join(MANIFEST);
        let file = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return self.require(),
            Err(e) => return Err(Error::io(path, e)),
        };
        let head: Head = serde_json::from_reader(std::io::BufReader::new(file))
            .map_err(|e| wh_err(&self.root, format!("manifest.json is damaged: {e}")))?;
        if head.format != FORMAT {
            // The full reader words the refusal.
            return self.require();
        }
        Ok(Manifest { format: head.format, version: head.version, tables: head.tables, ingests: Vec::new() })
    }

    /// The manifest of a warehouse that must exist (readers).
    pub fn require(&self) -> Result<Manifest> {
        self.manifest()?
            .ok_or_else(|| wh_err(&self.root, "no warehouse here (no manifest.json): run `fuyuan ingest FILE… --warehouse DIR` first"))
    }

    /// Takes the single-writer lock, waiting for another ingest to finish.
    pub fn lock(&self) -> Result<WriteLock> {
        fs::create_dir_all(&self.root).map_err(|e| Error::io(&self.root, e))?;
        let path = self.root.join(".lock");
        let file = fs::OpenOptions::new().create(true).truncate(false).write(true).open(&path).map_err(|e| Error::io(&path, e))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                eprintln!("waiting: another fuyuan ingest is writing to {}", self.root.display());
                file.lock().map_err(|e| Error::io(&path, e))?;
            }
            Err(fs::TryLockError::Error(e)) => return Err(Error::io(&path, e)),
        }
        Ok(WriteLock { _file: file })
    }

    /// The part files of a table, as paths under the root.
    pub fn part_paths(&self, m: &Manifest, name: &str) -> Vec<PathBuf> {
        m.tables.get(name).map(|t| t.parts.iter().map(|p| self.root.join(&p.file)).collect()).unwrap_or_default()
    }

    /// The absolute paths of a table's current Parquet parts (`fuyuan sql --list-parts`), for
    /// other tools (polars, DuckDB, pyarrow) to read; an optional table never written has none.
    pub fn absolute_parts(&self, name: &str) -> Result<Vec<PathBuf>> {
        let m = self.require_tables()?;
        let known = crate::schema::TABLES;
        if !known.contains(&name) {
            return Err(Error::Usage(format!("no table {name} in the warehouse (tables: {})", known.join(", "))));
        }
        let root = std::path::absolute(&self.root).map_err(|e| Error::io(&self.root, e))?;
        Ok(self.part_paths(&m, name).iter().map(|p| root.join(p.strip_prefix(&self.root).unwrap_or(p))).collect())
    }

    pub fn read_batches(&self, m: &Manifest, name: &str) -> Result<Vec<RecordBatch>> {
        let mut out = Vec::new();
        for path in self.part_paths(m, name) {
            for b in read_part(&path, None)? {
                out.push(b?);
            }
        }
        Ok(out)
    }

    /// The dimension as stored (built-in + additions), or the built-in one for a new warehouse.
    pub fn regions(&self, m: Option<&Manifest>) -> Result<Regions> {
        let Some(m) = m else { return Ok(Regions::builtin()) };
        let mut r = Regions::default();
        for b in self.read_batches(m, "regions")? {
            let col = |i: usize| {
                b.column(i)
                    .as_any()
                    .downcast_ref::<StringArray>()
                    .cloned()
                    .ok_or_else(|| wh_err(&self.root, "regions.parquet has an unexpected schema"))
            };
            let (code, name, level, parent, source) = (col(0)?, col(1)?, col(2)?, col(3)?, col(4)?);
            for i in 0..b.num_rows() {
                r.insert(Region {
                    code: code.value(i).to_string(),
                    name: name.value(i).to_string(),
                    level: Level::parse(level.value(i)).ok_or_else(|| wh_err(&self.root, "regions.parquet has a bad level"))?,
                    parent_code: (!parent.is_null(i)).then(|| parent.value(i).to_string()),
                    source: source.value(i).to_string(),
                });
            }
        }
        Ok(r)
    }

    /// Switches the manifest to `tables` (parts already written and synced by the caller) and a new
    /// regions part.
    pub fn commit(
        &self,
        prev: Option<&Manifest>,
        mut tables: BTreeMap<String, TableInfo>,
        regions: &Regions,
        record: IngestRecord,
    ) -> Result<Manifest> {
        let version = prev.map(|m| m.version + 1).unwrap_or(1);
        let rb = regions_batch(regions)?;
        let file = format!("data/regions/{version:06}.parquet");
        let rows = write_parquet(&self.path(&file)?, rb.schema(), &[rb])?;
        tables.insert("regions".into(), TableInfo { rows, parts: vec![PartInfo { file, rows }], units: None });
        // Every folder that holds a file the new manifest names (new files' entries must be durable
        // before the manifest points at them), and the rejects.
        let folders: std::collections::BTreeSet<&Path> = tables
            .values()
            .flat_map(|t| t.parts.iter().chain(&t.units))
            .filter_map(|p| Path::new(&p.file).parent())
            .chain([Path::new("rejects")])
            .collect();
        for dir in folders {
            let d = self.root.join(dir);
            if d.exists() {
                sync_dir(&d)?;
            }
        }
        sync_dir(&self.root.join("data"))?;
        let mut m = prev.cloned().unwrap_or_default();
        m.format = FORMAT;
        m.version = version;
        m.tables = tables;
        m.ingests.push(record);
        let json = serde_json::to_vec_pretty(&m).map_err(|e| wh_err(&self.root, e.to_string()))?;
        let tmp = self.root.join("manifest.json.tmp");
        write_synced(&tmp, &json)?;
        // The commit point.
        fs::rename(&tmp, self.root.join(MANIFEST)).map_err(|e| Error::io(&tmp, e))?;
        sync_dir(&self.root)?;
        self.remove_leftovers(&m);
        Ok(m)
    }

    /// A path under the root for a file the manifest will name; its folder is created.
    pub fn path(&self, rel: &str) -> Result<PathBuf> {
        let p = self.root.join(rel);
        if let Some(dir) = p.parent() {
            fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        Ok(p)
    }

    /// Removes part and rejects files that the manifest does not name (replaced parts, a crashed
    /// ingest's partial output, format-1 version folders). Failures only leave garbage, so they
    /// are ignored.
    pub fn remove_leftovers(&self, m: &Manifest) {
        let named: std::collections::HashSet<&str> = m
            .tables
            .values()
            .flat_map(|t| t.parts.iter().chain(&t.units).map(|p| p.file.as_str()))
            .chain(m.ingests.iter().flat_map(|i| i.files.iter()).filter_map(|f| f.rejects_file.as_deref()))
            .collect();
        for top in ["data", "rejects"] {
            remove_unnamed(&self.root, Path::new(top), &named);
        }
        let _ = fs::remove_file(self.root.join("manifest.json.tmp"));
    }
}

fn remove_unnamed(root: &Path, rel: &Path, named: &std::collections::HashSet<&str>) {
    let Ok(entries) = fs::read_dir(root.join(rel)) else { return };
    for e in entries.flatten() {
        let rel = rel.join(e.file_name());
        let key = rel.to_string_lossy().replace('\\', "/");
        if e.path().is_dir() {
            remove_unnamed(root, &rel, named);
            let _ = fs::remove_dir(e.path());
        } else if !named.contains(key.as_str()) {
            let _ = fs::remove_file(e.path());
        }
    }
}

/// Reads a part, optionally only some columns (by name).
pub fn read_part(path: &Path, columns: Option<&[&str]>) -> Result<parquet::arrow::arrow_reader::ParquetRecordBatchReader> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut builder = ParquetRecordBatchReaderBuilder::try_new(file)?.with_batch_size(64 * 1024);
    if let Some(cols) = columns {
        let schema = builder.parquet_schema();
        let indices: Vec<usize> = (0..schema.num_columns()).filter(|&i| cols.contains(&schema.column(i).name())).collect();
        let mask = parquet::arrow::ProjectionMask::leaves(schema, indices);
        builder = builder.with_projection(mask);
    }
    Ok(builder.build()?)
}

/// Parquet settings for every part: Snappy, as DuckDB and most tools write by default.
/// Row groups of 128 Ki rows (DuckDB writes 122,880): a query reads a row group's columns whole,
/// so smaller groups keep its memory down and let date filters skip more of a large table; the
/// writer also buffers one group at a time. Columns with a distinct value on (almost) every row
/// skip dictionary encoding: a dictionary would be built only to be abandoned. Text columns carry
/// no min/max statistics: rows are not sorted by any text, so every row group spans the same
/// regions and agencies and no filter could skip one, while computing them compared every value
/// written (docs/decisions.md); dates, amounts and counts keep theirs.
pub fn writer_properties() -> WriterProperties {
    use parquet::file::properties::EnabledStatistics;
    use parquet::schema::types::ColumnPath;
    static TEXT_COLUMNS: std::sync::LazyLock<std::collections::BTreeSet<String>> = std::sync::LazyLock::new(|| {
        crate::schema::Table::ALL
            .iter()
            .flat_map(|t| crate::schema::arrow_schema(*t).fields().iter().cloned().collect::<Vec<_>>())
            .filter(|f| f.data_type() == &DataType::Utf8)
            .map(|f| f.name().clone())
            .collect()
    });
    let mut b = WriterProperties::builder().set_compression(Compression::SNAPPY).set_max_row_group_row_count(Some(128 * 1024));
    for col in ["case_no", "decision_no", "party", "plaintiff", "applicant", "_source_line"] {
        b = b.set_column_dictionary_enabled(ColumnPath::from(col), false);
    }
    for col in TEXT_COLUMNS.iter() {
        b = b.set_column_statistics_enabled(ColumnPath::from(col.as_str()), EnabledStatistics::None);
    }
    // Source lines rise by one from row to row: delta encoding stores them in a few bits each,
    // where plain encoding wrote 8 bytes a row for Snappy to compress.
    b = b.set_column_encoding(ColumnPath::from("_source_line"), parquet::basic::Encoding::DELTA_BINARY_PACKED);
    b.build()
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut f = File::create(path).map_err(|e| Error::io(path, e))?;
    f.write_all(bytes).map_err(|e| Error::io(path, e))?;
    f.sync_all().map_err(|e| Error::io(path, e))
}

pub fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir).and_then(|f| f.sync_all()).map_err(|e| Error::io(dir, e))
}

pub fn write_parquet(path: &Path, schema: Arc<Schema>, batches: &[RecordBatch]) -> Result<u64> {
    let mut w = PartWriter::create(path, schema, None)?;
    for b in batches {
        w.write(b)?;
    }
    w.finish()
}

/// Writes one part of a table: the batches, then, for a table with unit columns, the units its
/// rows name in the footer (`units`); the file is synced when finished.
pub struct PartWriter {
    path: PathBuf,
    writer: ArrowWriter<File>,
    units: Option<([&'static str; 2], units::UnitSet)>,
    rows: u64,
}

impl PartWriter {
    pub fn create(path: &Path, schema: Arc<Schema>, table: Option<crate::schema::Table>) -> Result<PartWriter> {
        let file = File::create(path).map_err(|e| Error::io(path, e))?;
        Ok(PartWriter {
            path: path.to_path_buf(),
            writer: ArrowWriter::try_new(file, schema, Some(writer_properties()))?,
            units: table.and_then(|t| t.unit_columns()).map(|c| (c, units::UnitSet::default())),
            rows: 0,
        })
    }

    pub fn write(&mut self, batch: &RecordBatch) -> Result<()> {
        if let Some((columns, set)) = &mut self.units {
            set.add_batch(batch, *columns)?;
        }
        self.rows += batch.num_rows() as u64;
        Ok(self.writer.write(batch)?)
    }

    /// Closes and syncs the part; returns its row count.
    pub fn finish(self) -> Result<u64> {
        let (rows, unsynced) = self.close()?;
        unsynced.sync()?;
        Ok(rows)
    }

    /// Closes the part without waiting for it to reach the disk: its row count, and the file to
    /// sync before the part is committed.
    pub fn close(mut self) -> Result<(u64, Unsynced)> {
        if let Some((_, set)) = &self.units {
            self.writer.append_key_value_metadata(parquet::file::metadata::KeyValue::new(units::FOOTER_KEY.to_string(), set.to_footer()));
        }
        let file = self.writer.into_inner()?;
        Ok((self.rows, Unsynced { path: self.path, file }))
    }
}

/// A closed part whose data may not be on the disk yet.
pub struct Unsynced {
    path: PathBuf,
    file: File,
}

impl Unsynced {
    pub fn sync(self) -> Result<()> {
        self.file.sync_all().map_err(|e| Error::io(&self.path, e))
    }
}

pub fn regions_schema() -> Arc<Schema> {
    Arc::new(Schema::new(vec![
        Field::new("code", DataType::Utf8, false),
        Field::new("name", DataType::Utf8, false),
        Field::new("level", DataType::Utf8, false),
        Field::new("parent_code", DataType::Utf8, true),
        Field::new("source", DataType::Utf8, false),
    ]))
}

pub fn regions_batch(r: &Regions) -> Result<RecordBatch> {
    let vals: Vec<&Region> = r.iter().collect();
    let arrays: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from_iter_values(vals.iter().map(|v| v.code.as_str()))),
        Arc::new(StringArray::from_iter_values(vals.iter().map(|v| v.name.as_str()))),
        Arc::new(StringArray::from_iter_values(vals.iter().map(|v| v.level.name()))),
        Arc::new(StringArray::from_iter(vals.iter().map(|v| v.parent_code.as_deref()))),
        Arc::new(StringArray::from_iter_values(vals.iter().map(|v| v.source.as_str()))),
    ];
    Ok(RecordBatch::try_new(regions_schema(), arrays)?)
}
