//! The warehouse: Parquet files for each table plus `manifest.json`, in one folder.
//!
//! Layout: `manifest.json` names the current data folder `data/vNNNNNN/` holding
//! `litigation.parquet`, `reconsideration.parquet`, `penalty.parquet` and `regions.parquet`;
//! `rejects/` holds one CSV per ingested file that had rejected rows.
//!
//! Atomicity: an ingest writes a complete new data folder, syncs it, then replaces
//! `manifest.json` by renaming a synced temporary file over it. The rename is the commit: a crash
//! before it leaves the old manifest pointing at the old, untouched folder; after it, the new one.
//! Folders and rejects files that no manifest names are leftovers of a crash and are removed by
//! the next ingest, under the lock that serialises writers.
pub mod regions;

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

use crate::ingest::schema::Table;
use crate::{Error, Result};
use regions::{Level, Region, Regions};

pub const MANIFEST: &str = "manifest.json";
pub const FORMAT: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Manifest {
    pub format: u32,
    /// Increases by one with every commit.
    pub version: u64,
    /// Relative to the warehouse root, e.g. `data/v000003`.
    pub data_dir: String,
    pub tables: BTreeMap<String, TableInfo>,
    pub ingests: Vec<IngestRecord>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TableInfo {
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

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileRecord {
    pub path: String,
    pub sha256: String,
    /// `ingested` or `already ingested`.
    pub status: String,
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
                    return Err(wh_err(&self.root, format!("manifest format {} is not supported (expected {FORMAT})", m.format)));
                }
                Ok(Some(m))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(path, e)),
        }
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

    pub fn table_path(&self, m: &Manifest, name: &str) -> Option<PathBuf> {
        m.tables.get(name).map(|t| self.root.join(&m.data_dir).join(&t.file))
    }

    pub fn read_batches(&self, m: &Manifest, name: &str) -> Result<Vec<RecordBatch>> {
        let Some(path) = self.table_path(m, name) else { return Ok(Vec::new()) };
        let file = File::open(&path).map_err(|e| Error::io(&path, e))?;
        let reader = ParquetRecordBatchReaderBuilder::try_new(file)?.with_batch_size(64 * 1024).build()?;
        let mut out = Vec::new();
        for b in reader {
            out.push(b?);
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

    /// Writes a new version holding `tables` and `regions`, then switches the manifest to it.
    pub fn commit(
        &self,
        prev: Option<&Manifest>,
        tables: &BTreeMap<Table, Vec<RecordBatch>>,
        regions: &Regions,
        record: IngestRecord,
        rejects: &[(String, Vec<u8>)],
    ) -> Result<Manifest> {
        let version = prev.map(|m| m.version + 1).unwrap_or(1);
        let data_dir = format!("data/v{version:06}");
        let dir = self.root.join(&data_dir);
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let mut infos = BTreeMap::new();
        for table in Table::ALL {
            let batches = tables.get(&table).map(Vec::as_slice).unwrap_or(&[]);
            let file = format!("{}.parquet", table.name());
            let rows = write_parquet(&dir.join(&file), crate::ingest::batch::arrow_schema(table), batches)?;
            infos.insert(table.name().to_string(), TableInfo { file, rows });
        }
        let rb = regions_batch(regions)?;
        let rows = write_parquet(&dir.join("regions.parquet"), rb.schema(), &[rb])?;
        infos.insert("regions".into(), TableInfo { file: "regions.parquet".into(), rows });
        sync_dir(&dir)?;
        let rejects_dir = self.root.join("rejects");
        if !rejects.is_empty() {
            fs::create_dir_all(&rejects_dir).map_err(|e| Error::io(&rejects_dir, e))?;
            for (name, bytes) in rejects {
                let p = rejects_dir.join(name);
                write_synced(&p, bytes)?;
            }
            sync_dir(&rejects_dir)?;
        }
        let mut m = prev.cloned().unwrap_or_default();
        m.format = FORMAT;
        m.version = version;
        m.data_dir = data_dir;
        m.tables = infos;
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

    /// Removes data folders and rejects files that the manifest does not name (an older version,
    /// or a crashed ingest's partial output). Failures only leave garbage, so they are ignored.
    pub fn remove_leftovers(&self, m: &Manifest) {
        if let Ok(entries) = fs::read_dir(self.root.join("data")) {
            for e in entries.flatten() {
                let rel = format!("data/{}", e.file_name().to_string_lossy());
                if rel != m.data_dir {
                    let _ = fs::remove_dir_all(e.path());
                }
            }
        }
        let named: Vec<&str> = m.ingests.iter().flat_map(|i| i.files.iter()).filter_map(|f| f.rejects_file.as_deref()).collect();
        if let Ok(entries) = fs::read_dir(self.root.join("rejects")) {
            for e in entries.flatten() {
                let rel = format!("rejects/{}", e.file_name().to_string_lossy());
                if !named.contains(&rel.as_str()) {
                    let _ = fs::remove_file(e.path());
                }
            }
        }
        let _ = fs::remove_file(self.root.join("manifest.json.tmp"));
    }
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut f = File::create(path).map_err(|e| Error::io(path, e))?;
    f.write_all(bytes).map_err(|e| Error::io(path, e))?;
    f.sync_all().map_err(|e| Error::io(path, e))
}

fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir).and_then(|f| f.sync_all()).map_err(|e| Error::io(dir, e))
}

pub fn write_parquet(path: &Path, schema: Arc<Schema>, batches: &[RecordBatch]) -> Result<u64> {
    let file = File::create(path).map_err(|e| Error::io(path, e))?;
    let props = WriterProperties::builder().set_compression(Compression::SNAPPY).build();
    let mut w = ArrowWriter::try_new(file, schema, Some(props))?;
    let mut rows = 0u64;
    for b in batches {
        rows += b.num_rows() as u64;
        w.write(b)?;
    }
    let file = w.into_inner()?;
    file.sync_all().map_err(|e| Error::io(path, e))?;
    Ok(rows)
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
    let vals: Vec<&Region> = r.map.values().collect();
    let arrays: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from_iter_values(vals.iter().map(|v| v.code.as_str()))),
        Arc::new(StringArray::from_iter_values(vals.iter().map(|v| v.name.as_str()))),
        Arc::new(StringArray::from_iter_values(vals.iter().map(|v| v.level.name()))),
        Arc::new(StringArray::from_iter(vals.iter().map(|v| v.parent_code.as_deref()))),
        Arc::new(StringArray::from_iter_values(vals.iter().map(|v| v.source.as_str()))),
    ];
    Ok(RecordBatch::try_new(regions_schema(), arrays)?)
}
