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
pub mod batch;
pub mod caseno;
pub mod cells;
pub mod layout;
pub mod peers;
pub mod read;
pub mod schema;
pub mod stream;
pub mod supervision;
pub mod validate;
pub mod vocab;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use arrow::array::{Array, BooleanArray, Int64Array, RecordBatch, StringArray};
use arrow::compute::filter_record_batch;
use chrono::NaiveDate;
use parquet::arrow::ArrowWriter;
use sha2::{Digest, Sha256};

use crate::warehouse::regions::{Region, RegionNames, Regions};
use crate::warehouse::{self, FileRecord, IngestRecord, Manifest, PartInfo, Replaced, TableInfo, Warehouse};
use crate::{Error, Result};
use layout::Layout;
use read::{CellRef, RawRow};
use schema::Table;
use validate::{Reject, Validator};

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

/// Rows per chunk handed to a validation worker.
const CHUNK_ROWS: usize = 32 * 1024;

/// `FUYUAN_CHUNK_ROWS` shrinks chunks (and with them the window and the parts) so that tests can
/// drive every path of the pipeline — corrections inside the window, after it, in another part —
/// with a few hundred rows. Not a user setting: results do not depend on it (tests/ingest_stream.rs).
fn chunk_rows() -> usize {
    std::env::var("FUYUAN_CHUNK_ROWS").ok().and_then(|s| s.parse().ok()).filter(|&n: &usize| n > 0).unwrap_or(CHUNK_ROWS)
}
/// A chunk also ends at this many bytes of cell text (rows with huge cells).
const CHUNK_BYTES: usize = 8 << 20;
/// Chunks held back before they are written (a correction within this window costs nothing).
const WINDOW: usize = 8;
/// A part holds at most this many chunks' rows (2^20 by default), so a late correction rewrites
/// at most one such part.
const PART_CHUNKS: usize = 32;

pub fn today() -> NaiveDate {
    // FUYUAN_TODAY pins "today" for reproducible tests; dates after it are rejected.
    std::env::var("FUYUAN_TODAY")
        .ok()
        .and_then(|s| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok())
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

fn stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| "input".into())
}

fn is_workbook(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()).map(|e| e.to_ascii_lowercase()).as_deref(),
        Some("xlsx" | "xlsm" | "xls" | "xlsb" | "ods")
    )
}

/// Where a row lives: in a part of an earlier ingest (part index in the manifest's list, row), or
/// in a file of this ingest (file index, physical line). Packed into one word for the key map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct RowId(u64);

const OLD_ROW: u64 = 1 << 63;

impl RowId {
    fn old(part: usize, row: usize) -> RowId {
        RowId(OLD_ROW | (part as u64) << 32 | row as u64)
    }
    fn new(file: usize, line: u64) -> RowId {
        RowId((file as u64) << 40 | line)
    }
    fn old_part(self) -> Option<(usize, usize)> {
        (self.0 & OLD_ROW != 0).then_some((((self.0 & !OLD_ROW) >> 32) as usize, (self.0 & 0xFFFF_FFFF) as usize))
    }
    fn new_line(self) -> Option<(usize, u64)> {
        (self.0 & OLD_ROW == 0).then_some(((self.0 >> 40) as usize, self.0 & ((1 << 40) - 1)))
    }
}

/// The key map is keyed by a 128-bit hash of the key text (xxh3): 24 bytes a row instead of the
/// text. Two different keys share a hash with probability about n²/2¹²⁹ (10⁻²⁵ for 10 million
/// rows). The hash is already uniform, so the map uses its low bits as is.
#[derive(Default)]
struct PrehashedKey(u64);

impl Hasher for PrehashedKey {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u128(&mut self, n: u128) {
        self.0 = n as u64;
    }
}

type KeyMap = HashMap<u128, RowId, BuildHasherDefault<PrehashedKey>>;

fn key_hash(key: &str) -> u128 {
    xxhash_rust::xxh3::xxh3_128(key.as_bytes())
}

/// Separates the parts of a composite key ((doc_no, agency) for supervision) in the hashed text;
/// a control character no cell keeps after trimming.
const KEY_SEP: char = '\u{1f}';

/// The key text of a row from its key columns' texts: the one column's text for a single key.
fn key_text<'k>(parts: impl IntoIterator<Item = &'k str>) -> std::borrow::Cow<'k, str> {
    let mut it = parts.into_iter();
    let first = it.next().unwrap_or_default();
    match it.next() {
        None => std::borrow::Cow::Borrowed(first),
        Some(second) => {
            let mut s = format!("{first}{KEY_SEP}{second}");
            for p in it {
                s.push(KEY_SEP);
                s.push_str(p);
            }
            std::borrow::Cow::Owned(s)
        }
    }
}

/// A key as the manifest shows it: composite parts joined with " / ".
fn key_display(key: &str) -> String {
    key.replace(KEY_SEP, " / ")
}

/// One replacement, for the manifest: the row `old` gave way to `new` with the same key.
struct Event {
    old: RowId,
    new: RowId,
    key: String,
}

/// A part written by this ingest: which file its rows came from and their line range.
struct NewPart {
    file: String,
    rows: usize,
    source: usize,
    lines: (u64, u64),
}

/// A batch waiting in the window: rows already replaced are dropped when it is written.
struct Pending {
    source: usize,
    batch: RecordBatch,
    dropped: Vec<bool>,
}

fn line_column(b: &RecordBatch) -> &Int64Array {
    b.column_by_name("_source_line").and_then(|c| c.as_any().downcast_ref::<Int64Array>()).expect("_source_line is Int64")
}

fn text_column<'b>(b: &'b RecordBatch, name: &str) -> &'b StringArray {
    b.column_by_name(name).and_then(|c| c.as_any().downcast_ref::<StringArray>()).expect("text column")
}

/// Everything this ingest knows about one table.
#[derive(Default)]
struct TableState {
    keys: KeyMap,
    old_parts: Vec<PartInfo>,
    /// Rows of old parts replaced by this ingest.
    old_dropped: BTreeMap<usize, BTreeSet<usize>>,
    new_parts: Vec<NewPart>,
    /// Lines of written new parts replaced later in this ingest.
    late_dropped: BTreeMap<usize, HashSet<u64>>,
    /// The old parts' keys are in `keys`.
    loaded: bool,
    /// `keys` was sized for this ingest's rows (growing a map of millions of entries step by
    /// step would briefly hold the old and the new table).
    reserved: bool,
    events: Vec<Event>,
}

struct WriteMsg {
    path: Arc<PathBuf>,
    batch: RecordBatch,
}

/// Appends batches to part files, one open part at a time; each part is synced when closed.
fn writer_thread(rx: Receiver<WriteMsg>) -> Result<()> {
    let mut current: Option<(Arc<PathBuf>, ArrowWriter<std::fs::File>)> = None;
    let close = |w: ArrowWriter<std::fs::File>, path: &Path| -> Result<()> {
        let file = w.into_inner()?;
        file.sync_all().map_err(|e| Error::io(path, e))
    };
    for msg in rx {
        if current.as_ref().is_none_or(|(p, _)| *p != msg.path) {
            if let Some((p, w)) = current.take() {
                close(w, &p)?;
            }
            let file = std::fs::File::create(&*msg.path).map_err(|e| Error::io(&*msg.path, e))?;
            current = Some((msg.path.clone(), ArrowWriter::try_new(file, msg.batch.schema(), Some(warehouse::writer_properties()))?));
        }
        current.as_mut().expect("an open part").1.write(&msg.batch)?;
    }
    if let Some((p, w)) = current.take() {
        close(w, &p)?;
    }
    Ok(())
}

/// A run of rows for a validation worker.
enum ChunkRows {
    /// Workbook rows, or the CSV rows read ahead for header detection.
    Raw(Vec<RawRow>),
    /// CSV records: all cell text in one buffer; `ends[i]` is the end of field i; each row is
    /// (line, number of fields).
    Csv { text: String, ends: Vec<u32>, rows: Vec<(u64, u32)> },
}

struct Chunk {
    index: usize,
    rows: ChunkRows,
}

struct RejectRow {
    reject: Reject,
    cells: Vec<String>,
}

struct ChunkResult {
    index: usize,
    /// Cell text in the chunk, to estimate a file's row count from its size.
    text_bytes: u64,
    batch: RecordBatch,
    hashes: Vec<u128>,
    rejects: Vec<RejectRow>,
    rows_read: u64,
    blank: u64,
    totals: u64,
    new_regions: Vec<Region>,
}

/// What a validation worker needs, shared by all workers of one file.
struct WorkerCtx<'a> {
    validator: Validator<'a>,
    table: Table,
    /// The key columns' positions among the table's columns.
    key_indices: Vec<usize>,
    source_file: &'a str,
    ingest_id: i64,
}

impl WorkerCtx<'_> {
    fn run(&self, chunk: Chunk) -> Result<ChunkResult> {
        let n = match &chunk.rows {
            ChunkRows::Raw(r) => r.len(),
            ChunkRows::Csv { rows, .. } => rows.len(),
        };
        let mut out = Out {
            builders: batch::Builders::new(self.table, n),
            hashes: Vec::with_capacity(n),
            rejects: Vec::new(),
            rows_read: 0,
            blank: 0,
            totals: 0,
            new_regions: Vec::new(),
        };
        let mut values = Vec::new();
        match &chunk.rows {
            ChunkRows::Raw(rows) => {
                let mut cells = Vec::new();
                for row in rows {
                    cells.clear();
                    cells.extend(row.cells.iter().map(CellRef::of));
                    self.row(row.line, &cells, &mut values, &mut out);
                }
            }
            ChunkRows::Csv { text, ends, rows } => {
                let mut cells = Vec::new();
                let (mut field, mut start) = (0usize, 0usize);
                for &(line, count) in rows {
                    cells.clear();
                    for _ in 0..count {
                        let end = ends[field] as usize;
                        cells.push(CellRef::field(&text[start..end]));
                        start = end;
                        field += 1;
                    }
                    self.row(line, &cells, &mut values, &mut out);
                }
            }
        }
        let text_bytes = match &chunk.rows {
            ChunkRows::Raw(_) => 0,
            ChunkRows::Csv { text, .. } => text.len() as u64,
        };
        Ok(ChunkResult {
            index: chunk.index,
            text_bytes,
            batch: out.builders.finish(self.source_file, self.ingest_id)?,
            hashes: out.hashes,
            rejects: out.rejects,
            rows_read: out.rows_read,
            blank: out.blank,
            totals: out.totals,
            new_regions: out.new_regions,
        })
    }

    fn row<'a>(&self, line: u64, cells: &[CellRef<'a>], values: &mut Vec<validate::Value<'a>>, out: &mut Out) {
        if cells.iter().all(CellRef::is_empty) {
            out.blank += 1;
            return;
        }
        // In a peers table a 合计 row is the province's reported figures, not a sum to skip.
        if self.table != Table::Peers && self.is_total_row(cells) {
            out.totals += 1;
            return;
        }
        out.rows_read += 1;
        match self.validator.check(line, cells, values) {
            Ok(accepted) => {
                let key = key_hash(&key_text(self.key_indices.iter().map(|&i| match &values[i] {
                    validate::Value::Str(k) => k.as_ref(),
                    // Key columns are required text; an empty part still keys consistently.
                    _ => "",
                })));
                out.builders.append(line, values, accepted.case.as_ref());
                out.hashes.push(key);
                if let Some(r) = accepted.new_region
                    && !out.new_regions.iter().any(|x| x.code == r.code)
                {
                    out.new_regions.push(r);
                }
            }
            Err(reject) => {
                let mut kept: Vec<String> = cells.iter().map(|c| c.text().into_owned()).collect();
                // A head's name is read as yes/no and never kept, not even here.
                for i in self.validator.layout.unkept_columns() {
                    if let Some(c) = kept.get_mut(i) {
                        *c = cells::mask_head(c);
                    }
                }
                // A column naming persons never reaches the rejects file: its cells are blanked.
                for &i in &self.validator.layout.personal {
                    if let Some(c) = kept.get_mut(i) {
                        c.clear();
                    }
                }
                out.rejects.push(RejectRow { reject, cells: kept })
            }
        }
    }

    /// A 合计/总计/小计 row under the data (its key empty, or the word itself): a sum, not a case.
    fn is_total_row(&self, cells: &[CellRef<'_>]) -> bool {
        // Only short text cells can be the word: no copy for the millions of ordinary keys.
        let word = |c: &CellRef<'_>| match c {
            CellRef::Text(s) if s.len() <= 16 => {
                let t: String = s.chars().filter(|ch| !ch.is_whitespace()).collect();
                matches!(t.trim_end_matches([':', '：']), "合计" | "总计" | "小计" | "共计" | "合计数" | "总数")
            }
            _ => false,
        };
        let key = self.validator.layout.sources[self.key_indices[0]].and_then(|s| cells.get(s)).copied().unwrap_or(CellRef::Empty);
        (key.is_empty() || word(&key)) && cells.iter().filter(|c| !c.is_empty()).take(2).any(word)
    }
}

struct Out {
    builders: batch::Builders,
    hashes: Vec<u128>,
    rejects: Vec<RejectRow>,
    rows_read: u64,
    blank: u64,
    totals: u64,
    new_regions: Vec<Region>,
}

/// How far the reader thread has read a file, for the progress bar.
struct ReadBytes {
    bytes: AtomicU64,
    total: u64,
}

/// Where a file's data rows come from after its header.
enum RowSource {
    Csv(stream::CsvRecords),
    Rows(Vec<RawRow>),
}

/// Reads chunks for the workers; stops early when the ingest is cancelled. Returns the file's
/// SHA-256 when it was computed while reading (pass 1 skipped).
fn read_chunks(
    source: RowSource,
    ahead: Vec<RawRow>,
    tx: SyncSender<Chunk>,
    cancel: &AtomicBool,
    path: &Path,
    file: &str,
    read: &ReadBytes,
) -> Result<Option<String>> {
    let mut hashed_here = false;
    let result = read_chunks_inner(source, ahead, tx, cancel, file, &mut hashed_here, read);
    match result {
        // Pass 1 was skipped, so a NUL byte or bytes that are not UTF-8 show up here: the
        // whole-file checks word the refusal exactly as they would have up front.
        Err(e) if hashed_here => Err(stream::refusal(path, file).unwrap_or(e)),
        other => other,
    }
}

fn read_chunks_inner(
    source: RowSource,
    ahead: Vec<RawRow>,
    tx: SyncSender<Chunk>,
    cancel: &AtomicBool,
    file: &str,
    hashed_here: &mut bool,
    read: &ReadBytes,
) -> Result<Option<String>> {
    let mut index = 0;
    let chunk = chunk_rows();
    let mut send = |rows: ChunkRows| -> bool {
        let ok = !cancel.load(Ordering::Relaxed) && tx.send(Chunk { index, rows }).is_ok();
        index += 1;
        ok
    };
    if let RowSource::Csv(records) = &source {
        *hashed_here = records.digest().is_some();
    }
    if !ahead.is_empty() && !send(ChunkRows::Raw(ahead)) {
        return Ok(None);
    }
    match source {
        RowSource::Rows(rows) => {
            // A workbook is read whole before this point: its bytes are shared out over its rows.
            let total = rows.len().max(1) as u64;
            let mut sent = 0u64;
            let mut it = rows.into_iter().peekable();
            while it.peek().is_some() {
                let part: Vec<RawRow> = it.by_ref().take(chunk).collect();
                sent += part.len() as u64;
                if !send(ChunkRows::Raw(part)) {
                    return Ok(None);
                }
                read.bytes.store(read.total.saturating_mul(sent) / total, Ordering::Relaxed);
            }
        }
        RowSource::Csv(mut records) => {
            let mut record = csv::ByteRecord::new();
            loop {
                let mut buf: Vec<u8> = Vec::with_capacity(CHUNK_BYTES / 2);
                let mut ends = Vec::with_capacity(chunk * 16);
                let mut rows = Vec::with_capacity(chunk);
                let mut more = true;
                while rows.len() < chunk && buf.len() < CHUNK_BYTES {
                    let Some(line) = records.next_record(&mut record)? else {
                        more = false;
                        break;
                    };
                    for f in record.iter() {
                        buf.extend_from_slice(f);
                        ends.push(buf.len() as u32);
                    }
                    rows.push((line, record.len() as u32));
                }
                if !rows.is_empty() {
                    let text = match String::from_utf8(buf) {
                        Ok(t) => t,
                        Err(e) => return Err(bad_utf8(e.as_bytes(), &ends, &rows, file)),
                    };
                    if !send(ChunkRows::Csv { text, ends, rows }) {
                        return Ok(None);
                    }
                }
                read.bytes.store(records.bytes_read().min(read.total), Ordering::Relaxed);
                if !more {
                    return Ok(records.digest());
                }
            }
        }
    }
    Ok(None)
}

/// Names the first cell of a chunk that is not valid text (pass 1 checked the file, so this is
/// a decoder surprise rather than a user's mistake, but it still gets one clear line).
fn bad_utf8(bytes: &[u8], ends: &[u32], rows: &[(u64, u32)], file: &str) -> Error {
    let (mut field, mut start) = (0usize, 0usize);
    for &(line, count) in rows {
        for k in 0..count {
            let end = ends[field] as usize;
            if std::str::from_utf8(&bytes[start..end]).is_err() {
                return Error::bad_file(file, line, format!("field {}", k + 1), "text is not valid in the file's encoding");
            }
            start = end;
            field += 1;
        }
    }
    Error::bad_file(file, 0, "-", "text is not valid in the file's encoding")
}

/// The rejects file of one ledger, written as rows are rejected: where, why, then the row's cells
/// unchanged under the file's own headers.
struct RejectsFile {
    rel: String,
    path: PathBuf,
    writer: csv::Writer<std::io::BufWriter<std::fs::File>>,
}

impl RejectsFile {
    fn create(wh: &Warehouse, rel: String, headers: &[String]) -> Result<RejectsFile> {
        use std::io::Write;
        let path = wh.path(&rel)?;
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).map_err(|e| Error::io(&path, e))?);
        file.write_all(b"\xEF\xBB\xBF").map_err(|e| Error::io(&path, e))?;
        let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(file);
        let mut head = vec!["_file".to_string(), "_line".into(), "_column".into(), "_reason".into()];
        head.extend(headers.iter().cloned());
        writer.write_record(&head).map_err(|e| Error::Other(e.to_string()))?;
        Ok(RejectsFile { rel, path, writer })
    }

    fn write(&mut self, file: &str, r: &RejectRow) -> Result<()> {
        let mut rec = vec![file.to_string(), r.reject.line.to_string(), r.reject.column.clone(), r.reject.reason.clone()];
        rec.extend(r.cells.iter().cloned());
        self.writer.write_record(&rec).map_err(|e| Error::Other(e.to_string()))
    }

    fn finish(self) -> Result<String> {
        let file = self.writer.into_inner().map_err(|e| Error::Other(e.to_string()))?;
        let file = file.into_inner().map_err(|e| Error::io(&self.path, e.into_error()))?;
        file.sync_all().map_err(|e| Error::io(&self.path, e))?;
        Ok(self.rel)
    }
}

/// Counts of one file, for its manifest record.
#[derive(Default)]
struct FileCounts {
    rows_read: u64,
    accepted: u64,
    rejected: u64,
    blank: u64,
    totals: u64,
    new_regions: Vec<Region>,
    rejects_file: Option<String>,
}

struct Ingest<'w> {
    wh: &'w Warehouse,
    manifest: Option<&'w Manifest>,
    ingest_id: u64,
    tables: BTreeMap<Table, TableState>,
    /// Display paths of the files of this ingest that are read (index = `RowId` file).
    sources: Vec<String>,
    window: VecDeque<Pending>,
    writer: Option<(SyncSender<WriteMsg>, std::thread::JoinHandle<Result<()>>)>,
    current_part: Option<(Table, Arc<PathBuf>)>,
    /// Bytes of the CSV files not yet read, this one included.
    unread_bytes: u64,
    progress: Option<ProgressSink>,
}

impl Ingest<'_> {
    fn state(&mut self, table: Table) -> Result<&mut TableState> {
        let st = self.tables.entry(table).or_default();
        if !st.loaded {
            st.loaded = true;
            if let Some(m) = self.manifest {
                st.old_parts = m.tables.get(table.name()).map(|t| t.parts.clone()).unwrap_or_default();
                // Keys already in the warehouse, so that a new row replaces an old one.
                for (pi, part) in st.old_parts.iter().enumerate() {
                    let mut row = 0;
                    let names = table.key_columns();
                    for b in warehouse::read_part(&self.wh.root.join(&part.file), Some(names))? {
                        let b = b?;
                        let keys: Vec<&StringArray> = names.iter().map(|n| text_column(&b, n)).collect();
                        for i in 0..b.num_rows() {
                            let key = key_text(keys.iter().map(|k| k.value(i)));
                            st.keys.insert(key_hash(&key), RowId::old(pi, row));
                            row += 1;
                        }
                    }
                }
            }
        }
        Ok(st)
    }

    fn send(&mut self, msg: WriteMsg) -> Result<()> {
        let (tx, _) = self.writer.as_ref().expect("the writer runs until the end of the ingest");
        if tx.send(msg).is_err() {
            // The writer stopped on an error: report it.
            let (_, handle) = self.writer.take().expect("writer");
            handle.join().map_err(|_| Error::Other("the Parquet writer thread panicked".into()))??;
            return Err(Error::Other("the Parquet writer stopped".into()));
        }
        Ok(())
    }

    /// Writes the oldest batch of the window, without the rows replaced meanwhile.
    fn flush_one(&mut self, table: Table) -> Result<()> {
        let Some(p) = self.window.pop_front() else { return Ok(()) };
        let keep = BooleanArray::from(p.dropped.iter().map(|d| !d).collect::<Vec<_>>());
        let batch = if keep.true_count() == p.batch.num_rows() { p.batch.clone() } else { filter_record_batch(&p.batch, &keep)? };
        if batch.num_rows() == 0 {
            return Ok(());
        }
        let lines = line_column(&p.batch);
        let range = (lines.value(0) as u64, lines.value(lines.len() - 1) as u64);
        let ingest_id = self.ingest_id;
        let st = self.tables.get_mut(&table).expect("table state");
        let roll = match st.new_parts.last() {
            Some(last) => {
                last.source != p.source || last.rows + batch.num_rows() > PART_CHUNKS * chunk_rows() || self.current_part.is_none()
            }
            None => true,
        };
        if roll {
            let rel = format!("data/{}/{ingest_id:06}-{:04}.parquet", table.name(), st.new_parts.len() + 1);
            let path = Arc::new(self.wh.path(&rel)?);
            st.new_parts.push(NewPart { file: rel, rows: 0, source: p.source, lines: range });
            self.current_part = Some((table, path));
        }
        let part = st.new_parts.last_mut().expect("a current part");
        part.rows += batch.num_rows();
        part.lines.1 = range.1;
        let path = self.current_part.as_ref().expect("current part").1.clone();
        self.send(WriteMsg { path, batch })
    }

    /// Marks the row `old` as replaced: in the window it is simply not written; in a part it is
    /// removed when that part is rewritten at the end.
    fn drop_row(&mut self, table: Table, old: RowId) {
        let st = self.tables.get_mut(&table).expect("table state");
        if let Some((part, row)) = old.old_part() {
            st.old_dropped.entry(part).or_default().insert(row);
            return;
        }
        let (source, line) = old.new_line().expect("a row of this ingest");
        for p in self.window.iter_mut().filter(|p| p.source == source) {
            let lines = line_column(&p.batch);
            let (first, last) = (lines.value(0) as u64, lines.value(lines.len() - 1) as u64);
            if (first..=last).contains(&line)
                && let Ok(i) = lines.values().binary_search(&(line as i64))
            {
                p.dropped[i] = true;
                return;
            }
        }
        let part = st
            .new_parts
            .iter()
            .position(|p| p.source == source && (p.lines.0..=p.lines.1).contains(&line))
            .expect("a replaced row of this ingest is in the window or in a written part");
        st.late_dropped.entry(part).or_default().insert(line);
    }

    fn apply(
        &mut self,
        table: Table,
        source: usize,
        r: ChunkResult,
        counts: &mut FileCounts,
        rejects: &mut Option<RejectsFile>,
        layout: &Layout,
    ) -> Result<()> {
        counts.rows_read += r.rows_read;
        counts.blank += r.blank;
        counts.totals += r.totals;
        counts.rejected += r.rejects.len() as u64;
        counts.accepted += r.batch.num_rows() as u64;
        for rej in &r.rejects {
            if rejects.is_none() {
                let path = PathBuf::from(&self.sources[source]);
                // The file's position keeps two ledgers with one name (two folders) apart.
                let rel = format!("rejects/{:06}-{:03}-{}.csv", self.ingest_id, source + 1, stem(&path));
                *rejects = Some(RejectsFile::create(self.wh, rel, &layout.headers)?);
            }
            rejects.as_mut().expect("rejects file").write(&self.sources[source], rej)?;
        }
        for nr in r.new_regions {
            if !counts.new_regions.iter().any(|x| x.code == nr.code) {
                counts.new_regions.push(nr);
            }
        }
        if r.batch.num_rows() == 0 {
            return Ok(());
        }
        let n = r.batch.num_rows();
        let st = self.tables.get_mut(&table).expect("table state");
        if !st.reserved && r.text_bytes > 0 {
            // Rows still to come, from the bytes per row of this first chunk (an overestimate:
            // delimiters and line breaks are not in `text_bytes`).
            st.reserved = true;
            let expected = self.unread_bytes.saturating_mul(n as u64) / r.text_bytes.max(1);
            st.keys.reserve(expected as usize);
        }
        self.window.push_back(Pending { source, batch: r.batch, dropped: vec![false; n] });
        let batch = self.window.back().expect("just pushed").batch.clone();
        let keys: Vec<&StringArray> = table.key_columns().iter().map(|n| text_column(&batch, n)).collect();
        let lines = line_column(&batch);
        for (i, h) in r.hashes.iter().enumerate() {
            let id = RowId::new(source, lines.value(i) as u64);
            let st = self.tables.get_mut(&table).expect("table state");
            if let Some(old) = st.keys.insert(*h, id) {
                st.events.push(Event { old, new: id, key: key_display(&key_text(keys.iter().map(|k| k.value(i)))) });
                self.drop_row(table, old);
            }
        }
        while self.window.len() > WINDOW {
            self.flush_one(table)?;
        }
        Ok(())
    }

    /// Runs one file through the pipeline.
    #[allow(clippy::too_many_arguments)]
    fn file(
        &mut self,
        source: usize,
        path: &Path,
        layout: &Layout,
        rows: RowSource,
        ahead: Vec<RawRow>,
        regions: &Regions,
        phrases: &vocab::Phrases,
        today: NaiveDate,
    ) -> Result<(FileCounts, Option<String>)> {
        let table = layout.table;
        self.state(table)?;
        let display = self.sources[source].clone();
        let names = RegionNames::new(regions);
        let ctx = WorkerCtx {
            validator: Validator { layout, regions, names: &names, phrases, today },
            table,
            key_indices: table
                .key_columns()
                .iter()
                .map(|k| table.columns().iter().position(|c| c.name == *k).expect("a key is a column"))
                .collect(),
            source_file: &display,
            ingest_id: self.ingest_id as i64,
        };
        let workers = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).max(1);
        let cancel = AtomicBool::new(false);
        let (chunk_tx, chunk_rx) = sync_channel::<Chunk>(workers * 2);
        let chunk_rx = Mutex::new(chunk_rx);
        let (res_tx, res_rx) = sync_channel::<Result<ChunkResult>>(workers * 2);
        let mut counts = FileCounts::default();
        let mut rejects: Option<RejectsFile> = None;
        let read = ReadBytes { bytes: AtomicU64::new(0), total: std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) };
        let progress = self.progress.clone();
        if let Some(p) = &progress {
            p.0.start(&display, read.total);
        }
        let outcome = std::thread::scope(|scope| {
            let reader = scope.spawn(|| read_chunks(rows, ahead, chunk_tx, &cancel, path, &display, &read));
            for _ in 0..workers {
                let res_tx = res_tx.clone();
                let (ctx, chunk_rx) = (&ctx, &chunk_rx);
                scope.spawn(move || {
                    loop {
                        let next = chunk_rx.lock().expect("chunk queue").recv();
                        let Ok(chunk) = next else { break };
                        if res_tx.send(ctx.run(chunk)).is_err() {
                            // The ingest stopped: drain so that the reader is never stuck.
                            while chunk_rx.lock().expect("chunk queue").recv().is_ok() {}
                            break;
                        }
                    }
                });
            }
            drop(res_tx);
            let applied = (|| -> Result<()> {
                let mut next = 0;
                let mut waiting: BTreeMap<usize, ChunkResult> = BTreeMap::new();
                for r in &res_rx {
                    let r = r?;
                    waiting.insert(r.index, r);
                    while let Some(r) = waiting.remove(&next) {
                        self.apply(table, source, r, &mut counts, &mut rejects, layout)?;
                        next += 1;
                        if let Some(p) = &progress {
                            p.0.advance(read.bytes.load(Ordering::Relaxed), counts.rows_read);
                        }
                    }
                }
                Ok(())
            })();
            if applied.is_err() {
                cancel.store(true, Ordering::Relaxed);
            }
            drop(res_rx);
            let read = reader.join().map_err(|_| Error::Other("the reader thread panicked".into()))?;
            // A reader error (a bad record) explains a pipeline that stopped early.
            match read {
                Err(e) => Err(e),
                Ok(digest) => applied.map(|()| digest),
            }
        });
        if let Some(p) = &progress {
            p.0.finish();
        }
        let digest = outcome?;
        while !self.window.is_empty() {
            self.flush_one(table)?;
        }
        counts.rejects_file = rejects.map(RejectsFile::finish).transpose()?;
        Ok((counts, digest))
    }
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
    let mut regions: Regions = wh.regions(manifest)?;
    let mut regions_added = Vec::new();
    if let Some(path) = &opts.regions {
        for r in regions.read_additions(path)? {
            regions_added.push(r.code.clone());
            regions.insert(r);
        }
    }
    let ingest_id = manifest.map(|m| m.ingests.iter().map(|i| i.id).max().unwrap_or(0) + 1).unwrap_or(1);
    let mut seen: HashMap<String, String> = manifest
        .iter()
        .flat_map(|m| m.ingests.iter())
        .flat_map(|i| i.files.iter())
        .filter(|f| f.status == "ingested")
        .map(|f| (f.sha256.clone(), f.path.clone()))
        .collect();

    let (write_tx, write_rx) = sync_channel::<WriteMsg>(4);
    let writer = std::thread::spawn(move || writer_thread(write_rx));
    let mut ing = Ingest {
        wh,
        manifest,
        ingest_id,
        tables: BTreeMap::new(),
        sources: Vec::new(),
        window: VecDeque::new(),
        writer: Some((write_tx, writer)),
        current_part: None,
        unread_bytes: files.iter().filter(|p| !is_workbook(p)).map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)).sum(),
        progress: opts.progress.clone(),
    };
    let mut records: Vec<FileRecord> = Vec::new();
    // For each source (file of this ingest that was read): its record's index.
    let mut record_of: Vec<usize> = Vec::new();
    // Sizes of the files already ingested: a file of another size is new for sure.
    let mut sizes: HashSet<u64> = manifest
        .iter()
        .flat_map(|m| m.ingests.iter())
        .flat_map(|i| i.files.iter())
        .filter(|f| f.status == "ingested")
        .map(|f| f.bytes)
        .collect();
    for path in files {
        let display = path.display().to_string();
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        // `None`: the hash is computed while the file is read (pass 1 skipped).
        let (hash, source): (Option<String>, Option<(stream::Encoding, bool)>) = if is_workbook(path) {
            let bytes = read::read_bytes(path)?;
            (Some(Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect::<String>()), None)
        } else {
            match stream::sniff_head(path, &display)? {
                stream::Head::Settled(encoding) if !sizes.contains(&size) && !sizes.contains(&0) => (None, Some((encoding, true))),
                _ => {
                    let scanned = stream::scan_file(path, &display)?;
                    (Some(scanned.sha256), Some((scanned.encoding, false)))
                }
            }
        };
        sizes.insert(size);
        if let Some(hash) = &hash
            && let Some(first) = seen.get(hash)
        {
            if !is_workbook(path) {
                ing.unread_bytes = ing.unread_bytes.saturating_sub(size);
            }
            records.push(FileRecord {
                path: display,
                sha256: hash.clone(),
                bytes: size,
                status: format!("already ingested (same content as {first})"),
                table: None,
                format: None,
                header_line: 0,
                rows_read: 0,
                rows_accepted: 0,
                rows_rejected: 0,
                blank_rows: 0,
                ignored_columns: vec![],
                rejects_file: None,
                replaced: vec![],
                new_townships: vec![],
                sheet: None,
                total_rows: 0,
                likely_misses: vec![],
                skipped_sheets: vec![],
                personal_data_dropped: vec![],
            });
            continue;
        }
        // The header is found among the top rows; the rows after it stream from there. A workbook
        // read without --sheet gives one unit per sheet whose headers are a ledger's.
        let mut units: Vec<Unit> = Vec::new();
        let mut skipped_sheets: Vec<String> = Vec::new();
        match source {
            None if opts.sheet.is_none() => {
                let mut first_error = None;
                for (name, sheet) in read::read_workbook_sheets(path)? {
                    let detected = sheet.and_then(|raw| layout::detect(&raw.records, opts.table, &display).map(|l| (l, raw)));
                    match detected {
                        Ok((lay, raw)) => {
                            let mut all = raw.records;
                            let data = all.split_off(lay.header_index + 1);
                            units.push(Unit {
                                sheet: name,
                                shown: None,
                                layout: lay,
                                format: raw.format,
                                ahead: Vec::new(),
                                rows: RowSource::Rows(data),
                            });
                        }
                        Err(e) => {
                            let reason = match &e {
                                Error::BadFile { message, .. } => message.clone(),
                                other => other.to_string(),
                            };
                            skipped_sheets.push(format!("{name}: {}", sheet_skip_reason(&reason)));
                            first_error.get_or_insert(e);
                        }
                    }
                }
                if units.is_empty() {
                    return Err(first_error.expect("a workbook has at least one sheet"));
                }
                let many = units.len() > 1;
                for u in &mut units {
                    // Rows of several sheets are told apart by the sheet in rejects and provenance.
                    u.shown = Some(if many { format!("{display} [{}]", u.sheet) } else { display.clone() });
                }
            }
            None => {
                let raw = read::read_file(path, opts.sheet.as_deref())?;
                let lay = layout::detect(&raw.records, opts.table, &display)?;
                let mut all = raw.records;
                let data = all.split_off(lay.header_index + 1);
                let name = opts.sheet.clone().unwrap_or_default();
                units.push(Unit {
                    sheet: name,
                    shown: Some(display.clone()),
                    layout: lay,
                    format: raw.format,
                    ahead: Vec::new(),
                    rows: RowSource::Rows(data),
                });
            }
            Some((encoding, hash_here)) => {
                let mut recs = stream::CsvRecords::open(path, &display, encoding, hash_here)?;
                let mut top = Vec::new();
                let mut record = csv::ByteRecord::new();
                let mut filled = 0;
                while filled < layout::HEADER_SEARCH_ROWS {
                    let Some(row) = recs.next_row(&mut record)? else { break };
                    filled += usize::from(row.cells.iter().any(|c| !c.is_empty()));
                    top.push(row);
                }
                let lay = layout::detect(&top, opts.table, &display)?;
                let ahead = top.split_off(lay.header_index + 1);
                units.push(Unit {
                    sheet: String::new(),
                    shown: Some(display.clone()),
                    layout: lay,
                    format: recs.format(),
                    ahead,
                    rows: RowSource::Csv(recs),
                });
            }
        }
        let workbook = is_workbook(path);
        let mut hash = hash;
        for (ui, Unit { sheet, shown, layout: lay, format, ahead, rows }) in units.into_iter().enumerate() {
            let shown = shown.unwrap_or_else(|| display.clone());
            let source = ing.sources.len();
            ing.sources.push(shown.clone());
            let (counts, digest) = ing.file(source, path, &lay, rows, ahead, &regions, &opts.phrases, opts.today)?;
            if !workbook {
                ing.unread_bytes = ing.unread_bytes.saturating_sub(size);
            }
            let file_hash = hash.clone().or(digest).expect("a file's hash from pass 1 or from reading it");
            hash = Some(file_hash.clone());
            seen.insert(file_hash.clone(), display.clone());
            let new_townships: Vec<String> = counts.new_regions.iter().map(|r| r.code.clone()).collect();
            for r in counts.new_regions {
                regions.insert(r);
            }
            record_of.push(records.len());
            records.push(FileRecord {
                path: display.clone(),
                sha256: file_hash,
                bytes: size,
                status: "ingested".into(),
                table: Some(lay.table.name().into()),
                format: Some(format),
                header_line: lay.header_line,
                rows_read: counts.rows_read,
                rows_accepted: counts.accepted,
                rows_rejected: counts.rejected,
                blank_rows: counts.blank,
                ignored_columns: lay.ignored.clone(),
                rejects_file: counts.rejects_file,
                replaced: vec![],
                new_townships,
                sheet: (workbook && !sheet.is_empty()).then_some(sheet),
                total_rows: counts.totals,
                likely_misses: lay.likely_misses.clone(),
                skipped_sheets: if ui == 0 { std::mem::take(&mut skipped_sheets) } else { vec![] },
                personal_data_dropped: lay.personal.iter().map(|&i| lay.headers[i].trim().to_string()).collect(),
            });
        }
    }
    let (tx, writer) = ing.writer.take().expect("writer");
    drop(tx);
    writer.join().map_err(|_| Error::Other("the Parquet writer thread panicked".into()))??;

    if opts.strict
        && let Some(r) = records.iter().find(|r| !r.likely_misses.is_empty())
    {
        return Err(Error::Strict(format!(
            "--strict: {}: column '{}' is ignored but looks like a ledger column (nothing was written; rename the header or run without --strict)",
            r.path, r.likely_misses[0]
        )));
    }
    let rejected_total: u64 = records.iter().map(|r| r.rows_rejected).sum();
    if opts.strict && rejected_total > 0 {
        let first = records.iter().find(|r| r.rows_rejected > 0).expect("a file with rejects");
        return Err(Error::Strict(format!(
            "--strict: {rejected_total} row(s) rejected, first in {} (nothing was written; run without --strict to see the rejects file)",
            first.path
        )));
    }
    let new_rows: u64 = records.iter().map(|r| r.rows_accepted).sum();
    if new_rows == 0 && regions_added.is_empty() && records.iter().all(|r| r.status != "ingested") {
        return Ok(IngestReport { ingest_id, files: records, regions_added, committed: false });
    }

    let mut tables = BTreeMap::new();
    for table in Table::stored() {
        let info = match ing.tables.remove(&table) {
            Some(st) => finish_table(wh, ingest_id, table, st, &ing.sources, &record_of, &mut records)?,
            None => TableInfo {
                rows: manifest.and_then(|m| m.tables.get(table.name())).map(|t| t.rows).unwrap_or(0),
                parts: manifest.and_then(|m| m.tables.get(table.name())).map(|t| t.parts.clone()).unwrap_or_default(),
            },
        };
        let info = if info.parts.is_empty() {
            // An empty table still has a schema for the engine to read: one empty part.
            let rel = format!("data/{}/{ingest_id:06}-0000.parquet", table.name());
            warehouse::write_parquet(&wh.path(&rel)?, batch::arrow_schema(table), &[])?;
            TableInfo { rows: 0, parts: vec![PartInfo { file: rel, rows: 0 }] }
        } else {
            info
        };
        tables.insert(table.name().to_string(), info);
    }
    let record =
        IngestRecord { id: ingest_id, at: chrono::Local::now().to_rfc3339(), files: records.clone(), regions_added: regions_added.clone() };
    wh.commit(manifest, tables, &regions, record)?;
    Ok(IngestReport { ingest_id, files: records, regions_added, committed: true })
}

/// One table to ingest from a file: the file itself, or one ledger sheet of a workbook.
struct Unit {
    /// The sheet's name (empty for CSV).
    sheet: String,
    /// How rows of this unit name their source: the path, or `book.xlsx [sheet]` when a
    /// workbook has several ledger sheets.
    shown: Option<String>,
    layout: Layout,
    format: String,
    ahead: Vec<RawRow>,
    rows: RowSource,
}

/// Why a workbook sheet is not read, from the layout error: a sheet of notes (填表说明) has no
/// ledger header.
fn sheet_skip_reason(reason: &str) -> String {
    if reason.contains("no rows with text") {
        "empty sheet".into()
    } else if reason.starts_with("unknown layout: the header row names no column") {
        "no ledger header".into()
    } else {
        reason.to_string()
    }
}

/// A dropped row of a rewritten part: (row index in the part, source file, source line).
type DroppedRow = (usize, String, i64);

/// Rewrites `src` without the rows `drop` picks; returns the kept row count and the dropped rows.
fn rewrite_part(src: &Path, dst: &Path, drop: impl Fn(usize, i64) -> bool) -> Result<(usize, Vec<DroppedRow>)> {
    let mut writer: Option<ArrowWriter<std::fs::File>> = None;
    let mut kept = 0;
    let mut dropped = Vec::new();
    let mut row = 0;
    let mut schema = None;
    for b in warehouse::read_part(src, None)? {
        let b = b?;
        schema.get_or_insert_with(|| b.schema());
        let lines = line_column(&b);
        let files = text_column(&b, "_source_file");
        let mask: Vec<bool> = (0..b.num_rows())
            .map(|i| {
                let d = drop(row + i, lines.value(i));
                if d {
                    dropped.push((row + i, files.value(i).to_string(), lines.value(i)));
                }
                !d
            })
            .collect();
        row += b.num_rows();
        let b = filter_record_batch(&b, &BooleanArray::from(mask))?;
        if b.num_rows() == 0 {
            continue;
        }
        kept += b.num_rows();
        if writer.is_none() {
            let file = std::fs::File::create(dst).map_err(|e| Error::io(dst, e))?;
            writer = Some(ArrowWriter::try_new(file, b.schema(), Some(warehouse::writer_properties()))?);
        }
        writer.as_mut().expect("writer").write(&b)?;
    }
    if let Some(w) = writer {
        w.into_inner()?.sync_all().map_err(|e| Error::io(dst, e))?;
    }
    Ok((kept, dropped))
}

/// The table's parts after this ingest, with replaced rows removed, and each replacement recorded
/// on the file whose row won.
fn finish_table(
    wh: &Warehouse,
    ingest_id: u64,
    table: Table,
    st: TableState,
    sources: &[String],
    record_of: &[usize],
    records: &mut [FileRecord],
) -> Result<TableInfo> {
    let mut parts = Vec::new();
    // Old rows' provenance, read while their part is rewritten.
    let mut old_rows: HashMap<(usize, usize), (String, i64)> = HashMap::new();
    let mut rewritten = 0;
    for (pi, part) in st.old_parts.iter().enumerate() {
        let Some(rows) = st.old_dropped.get(&pi) else {
            parts.push(part.clone());
            continue;
        };
        rewritten += 1;
        let rel = format!("data/{}/{ingest_id:06}-r{rewritten:04}.parquet", table.name());
        let (kept, dropped) = rewrite_part(&wh.root.join(&part.file), &wh.path(&rel)?, |row, _| rows.contains(&row))?;
        for (row, file, line) in dropped {
            old_rows.insert((pi, row), (file, line));
        }
        if kept > 0 {
            parts.push(PartInfo { file: rel, rows: kept as u64 });
        }
    }
    for (pi, part) in st.new_parts.iter().enumerate() {
        match st.late_dropped.get(&pi) {
            None => parts.push(PartInfo { file: part.file.clone(), rows: part.rows as u64 }),
            Some(lines) => {
                let rel = part.file.replace(".parquet", "-k.parquet");
                let (kept, _) = rewrite_part(&wh.root.join(&part.file), &wh.path(&rel)?, |_, line| lines.contains(&(line as u64)))?;
                let _ = std::fs::remove_file(wh.root.join(&part.file));
                if kept > 0 {
                    parts.push(PartInfo { file: rel, rows: kept as u64 });
                }
            }
        }
    }
    // Each replaced row names the row that finally holds its key (a chain a → b → c names c).
    let replaced_by: HashMap<RowId, RowId> = st.events.iter().map(|e| (e.old, e.new)).collect();
    let mut per_record: BTreeMap<usize, Vec<(RowId, Replaced)>> = BTreeMap::new();
    for e in &st.events {
        let mut winner = e.new;
        while let Some(next) = replaced_by.get(&winner) {
            winner = *next;
        }
        let (wsource, wline) = winner.new_line().expect("a row of this ingest wins");
        let (old_file, old_line) = match (e.old.old_part(), e.old.new_line()) {
            (Some(at), _) => old_rows.get(&at).cloned().expect("a replaced old row was read when its part was rewritten"),
            (_, Some((source, line))) => (sources[source].clone(), line as i64),
            _ => unreachable!("a row is old or new"),
        };
        let rep = Replaced { key: e.key.clone(), old_file, old_line, new_file: sources[wsource].clone(), new_line: wline as i64 };
        per_record.entry(record_of[wsource]).or_default().push((e.old, rep));
    }
    for (ri, mut reps) in per_record {
        // Old rows first (in warehouse order), then this ingest's by file and line.
        reps.sort_by_key(|(old, _)| (old.0 & OLD_ROW == 0, *old));
        records[ri].replaced.extend(reps.into_iter().map(|(_, r)| r));
    }
    let rows = parts.iter().map(|p| p.rows).sum();
    Ok(TableInfo { rows, parts })
}
