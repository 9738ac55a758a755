//! One ingest under way: the tables' key maps and parts, the window, the writer thread, and a
//! file run through the pipeline (reader thread → validation workers → applied here in order).
use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use arrow::array::StringArray;
use chrono::NaiveDate;

use super::batch::Provenance;
use super::chunks::{Chunk, ReadBytes, RowSource, chunk_rows, read_chunks};
use super::corrections::{Event, Pending, TableState, WINDOW, line_column, text_column};
use super::keys::{RowId, key_display, key_hash, key_text};
use super::layout::Layout;
use super::raw::RawRow;
use super::read::is_workbook;
use super::regions::RegionNames;
use super::rejects::RejectsFile;
use super::validate::Validator;
use super::workers::{ChunkResult, WorkerCtx};
use super::writer::{WriteMsg, writer_thread};
use super::{ProgressSink, vocab};
use crate::schema::Table;
use crate::warehouse::regions::{Region, Regions};
use crate::warehouse::{self, Manifest, Warehouse};
use crate::{Error, Result};

/// Counts of one file, for its manifest record.
#[derive(Default)]
pub(super) struct FileCounts {
    pub(super) rows_read: u64,
    pub(super) accepted: u64,
    pub(super) rejected: u64,
    pub(super) blank: u64,
    pub(super) totals: u64,
    pub(super) new_regions: Vec<Region>,
    pub(super) rejects_file: Option<String>,
}

pub(super) struct Ingest<'w> {
    pub(super) wh: &'w Warehouse,
    pub(super) manifest: Option<&'w Manifest>,
    pub(super) ingest_id: u64,
    pub(super) tables: BTreeMap<Table, TableState>,
    /// Display paths of the files of this ingest that are read (index = `RowId` file).
    pub(super) sources: Vec<String>,
    pub(super) window: VecDeque<Pending>,
    pub(super) writer: Option<(SyncSender<WriteMsg>, std::thread::JoinHandle<Result<()>>)>,
    pub(super) current_part: Option<(Table, Arc<PathBuf>)>,
    /// Bytes of the CSV files not yet read, this one included.
    pub(super) unread_bytes: u64,
    pub(super) progress: Option<ProgressSink>,
}

impl<'w> Ingest<'w> {
    /// An ingest with its writer thread started; `files` are all the files it is given.
    pub(super) fn start(
        wh: &'w Warehouse,
        manifest: Option<&'w Manifest>,
        ingest_id: u64,
        files: &[PathBuf],
        progress: Option<ProgressSink>,
    ) -> Ingest<'w> {
        let (write_tx, write_rx) = sync_channel::<WriteMsg>(4);
        let writer = std::thread::spawn(move || writer_thread(write_rx));
        Ingest {
            wh,
            manifest,
            ingest_id,
            tables: BTreeMap::new(),
            sources: Vec::new(),
            window: VecDeque::new(),
            writer: Some((write_tx, writer)),
            current_part: None,
            unread_bytes: files.iter().filter(|p| !is_workbook(p)).map(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)).sum(),
            progress,
        }
    }

    /// Writes what is left in the window and waits until the writer has written and synced
    /// every part.
    pub(super) fn stop_writer(&mut self) -> Result<()> {
        while !self.window.is_empty() {
            self.flush_one()?;
        }
        let (tx, writer) = self.writer.take().expect("writer");
        drop(tx);
        writer.join().map_err(|_| Error::Other("the Parquet writer thread panicked".into()))?
    }
}

impl Ingest<'_> {
    fn state(&mut self, table: Table) -> Result<&mut TableState> {
        let st = self.tables.entry(table).or_default();
        if !st.loaded {
            st.loaded = true;
            if let Some(m) = self.manifest {
                st.old_parts = m.tables.get(table.name()).map(|t| t.parts.clone()).unwrap_or_default();
                st.keys.reserve(st.old_parts.iter().map(|p| p.rows as usize).sum());
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

    pub(super) fn send(&mut self, msg: WriteMsg) -> Result<()> {
        let (tx, _) = self.writer.as_ref().expect("the writer runs until the end of the ingest");
        if tx.send(msg).is_err() {
            // The writer stopped on an error: report it.
            let (_, handle) = self.writer.take().expect("writer");
            handle.join().map_err(|_| Error::Other("the Parquet writer thread panicked".into()))??;
            return Err(Error::Other("the Parquet writer stopped".into()));
        }
        Ok(())
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
        if !st.reserved && r.file_bytes > 0 {
            // Rows still to come, from the accepted rows per byte of this first chunk (its bytes
            // in the file, line breaks and blank lines included): low only if later chunks
            // reject fewer rows or hold fewer blank lines than this one (a sub-table that gets
            // more keys than its share doubles alone: docs/benchmarks.md).
            st.reserved = true;
            let expected = self.unread_bytes.saturating_mul(n as u64) / r.file_bytes.max(1);
            st.keys.reserve(expected as usize);
        }
        self.window.push_back(Pending { table, source, batch: r.batch, dropped: vec![false; n] });
        let batch = self.window.back().expect("just pushed").batch.clone();
        let keys: Vec<&StringArray> = table.key_columns().iter().map(|n| text_column(&batch, n)).collect();
        let lines = line_column(&batch);
        // The rows a key of this chunk replaces, in file order: dropping one does not touch the
        // key map, so it waits until the chunk's keys are in (one table lookup per chunk).
        let mut replaced = Vec::new();
        let st = self.tables.get_mut(&table).expect("table state");
        for (i, h) in r.hashes.iter().enumerate() {
            let id = RowId::new(source, lines.value(i) as u64);
            // A few keys ahead, so that their lines are in the cache when their turn comes.
            if let Some(ahead) = r.hashes.get(i + 8) {
                st.keys.prefetch(ahead);
            }
            if let Some(old) = st.keys.insert(*h, id) {
                replaced.push((old, id, i));
            }
        }
        for (old, new, i) in replaced {
            let st = self.tables.get_mut(&table).expect("table state");
            st.events.push(Event { old, new, key: key_display(&key_text(keys.iter().map(|k| k.value(i)))) });
            self.drop_row(table, old);
        }
        while self.window.len() > WINDOW {
            self.flush_one()?;
        }
        Ok(())
    }

    /// Runs one file through the pipeline.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn file(
        &mut self,
        source: usize,
        path: &Path,
        layout: &Layout,
        rows: RowSource,
        ahead: Vec<RawRow>,
        regions: &Regions,
        phrases: &vocab::Phrases,
        today: NaiveDate,
    ) -> Result<(FileCounts, Option<super::digest::Hashes>)> {
        let table = layout.table;
        self.state(table)?;
        let display = self.sources[source].clone();
        let names = RegionNames::new(regions);
        let ctx = WorkerCtx {
            validator: Validator::new(layout, regions, &names, phrases, today),
            table,
            key_indices: table
                .key_columns()
                .iter()
                .map(|k| table.columns().iter().position(|c| c.name == *k).expect("a key is a column"))
                .collect(),
            provenance: Provenance::new(&display, self.ingest_id as i64, chunk_rows()),
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
            let reader = scope.spawn(|| {
                yield_to_downstream_stages();
                read_chunks(rows, ahead, chunk_tx, &cancel, path, &display, &read)
            });
            for _ in 0..workers {
                let res_tx = res_tx.clone();
                let (ctx, chunk_rx) = (&ctx, &chunk_rx);
                scope.spawn(move || {
                    yield_to_downstream_stages();
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
        // The window is not flushed here but carries into the next file (`stop_writer` flushes
        // it): flushed here, it went to the writer all at once, and the applying thread waited
        // for the writer while the next file's reader and workers could have started
        // (docs/decisions.md).
        counts.rejects_file = rejects.map(RejectsFile::finish).transpose()?;
        Ok((counts, digest))
    }
}

/// How much lower than the applying thread and the Parquet writer the reader and the validation
/// workers run (added to the nice value they start with).
const UPSTREAM_NICENESS: i32 = 3;

/// Lowers the calling thread's priority: for the reader and the validation workers, below the
/// applying thread and the Parquet writer. Those two are single threads that every row passes
/// through last; sharing the cores with the others as equals, the writer fell behind, the queues
/// filled and a core idled until it caught up (at scale 10, 0.47 s of one core while the other ran
/// the writer, in a 6.8 s run). Three steps lower, the reader and workers take what the last
/// stages leave: 3.5 and 5.7 % less wall time in two sets of three alternating runs, the same
/// peak memory (lowering the workers alone kept the reader's queue full: 5-10 MiB more); six and
/// ten steps did no better (docs/benchmarks.md). Relative, so that `nice fuyuan ingest` stays as low as it was asked to
/// be. On Linux `nice` changes the calling thread alone; elsewhere this does nothing.
fn yield_to_downstream_stages() {
    #[cfg(target_os = "linux")]
    // SAFETY: `nice` has no preconditions; on Linux it changes only the calling thread's
    // scheduling weight, and a failure (not expected: lowering one's own priority needs no
    // privilege) leaves the thread as it was.
    unsafe {
        libc::nice(UPSTREAM_NICENESS);
    }
}

/// The file name without its extension, in the name of its rejects file.
fn stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| "input".into())
}

#[cfg(test)]
mod tests {
    /// A thread that calls `yield_to_downstream_stages` (the reader and each worker do, first
    /// thing) ends three steps below the thread that started it, which keeps its own priority.
    /// That the pipeline's threads make the call is not checked here; the benchmark shows it.
    #[cfg(target_os = "linux")]
    #[test]
    fn first_stages_run_three_steps_lower() {
        // SAFETY: `getpriority` on the calling thread (who = 0) only reads its nice value.
        let own = || unsafe { libc::getpriority(libc::PRIO_PROCESS, 0) };
        let before = own();
        let after = std::thread::spawn(move || {
            super::yield_to_downstream_stages();
            own()
        })
        .join()
        .expect("the thread runs");
        assert_eq!(after, (before + super::UPSTREAM_NICENESS).min(19));
        assert_eq!(own(), before, "only the calling thread is lowered");
    }
}
