//! The correction window: a row replaced by a later row with the same key is dropped before it
//! is written while its batch waits in the window, or removed afterwards by rewriting the one
//! part that holds it; each replacement is recorded for the manifest.
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use arrow::array::{Array, BooleanArray, Int64Array, RecordBatch, StringArray};
use arrow::compute::filter_record_batch;

use super::chunks::chunk_rows;
use super::keys::{KeyMap, OLD_ROW, RowId};
use super::session::Ingest;
use super::writer::WriteMsg;
use crate::Result;
use crate::schema::Table;
use crate::warehouse::{self, FileRecord, PartInfo, PartWriter, Replaced, TableInfo, Warehouse};

/// Chunks held back before they are written (a correction within this window costs nothing).
pub(super) const WINDOW: usize = 8;
/// A part holds at most this many chunks' rows (2^18, 256 Ki rows, by default), so a late
/// correction rewrites at most one such part.
const PART_CHUNKS: usize = 32;

/// One replacement, for the manifest: the row `old` gave way to `new` with the same key.
pub(super) struct Event {
    pub(super) old: RowId,
    pub(super) new: RowId,
    pub(super) key: String,
}

/// A part written by this ingest: which file its rows came from and their line range.
pub(super) struct NewPart {
    pub(super) file: String,
    pub(super) rows: usize,
    pub(super) source: usize,
    pub(super) lines: (u64, u64),
}

/// A batch waiting in the window: rows already replaced are dropped when it is written.
pub(super) struct Pending {
    pub(super) table: Table,
    pub(super) source: usize,
    pub(super) batch: RecordBatch,
    pub(super) dropped: Vec<bool>,
}

#[inline]
pub(super) fn line_column(b: &RecordBatch) -> &Int64Array {
    b.column_by_name("_source_line").and_then(|c| c.as_any().downcast_ref::<Int64Array>()).expect("_source_line is Int64")
}

#[inline]
pub(super) fn text_column<'b>(b: &'b RecordBatch, name: &str) -> &'b StringArray {
    b.column_by_name(name).and_then(|c| c.as_any().downcast_ref::<StringArray>()).expect("text column")
}

/// Everything this ingest knows about one table.
#[derive(Default)]
pub(super) struct TableState {
    pub(super) keys: KeyMap,
    pub(super) old_parts: Vec<PartInfo>,
    /// Rows of old parts replaced by this ingest.
    pub(super) old_dropped: BTreeMap<usize, BTreeSet<usize>>,
    pub(super) new_parts: Vec<NewPart>,
    /// Lines of written new parts replaced later in this ingest.
    pub(super) late_dropped: BTreeMap<usize, HashSet<u64>>,
    /// The old parts' keys are in `keys`.
    pub(super) loaded: bool,
    /// `keys` was sized for this ingest's rows (growing a map of millions of entries step by
    /// step would briefly hold the old and the new table).
    pub(super) reserved: bool,
    pub(super) events: Vec<Event>,
}

impl Ingest<'_> {
    /// Writes the oldest batch of the window, without the rows replaced meanwhile.
    pub(super) fn flush_one(&mut self) -> Result<()> {
        let Some(p) = self.window.pop_front() else { return Ok(()) };
        let table = p.table;
        let kept = p.dropped.iter().filter(|d| !**d).count();
        if kept == 0 {
            return Ok(());
        }
        // The runs of rows between the replaced ones, as slices: they share the batch's buffers,
        // where a filter would copy every column of almost every batch.
        let mut batches = Vec::new();
        let mut run_start = None;
        for (i, &dropped) in p.dropped.iter().chain(std::iter::once(&true)).enumerate() {
            match (dropped, run_start) {
                (false, None) => run_start = Some(i),
                (true, Some(s)) => {
                    batches.push(p.batch.slice(s, i - s));
                    run_start = None;
                }
                _ => {}
            }
        }
        let lines = line_column(&p.batch);
        let range = (lines.value(0) as u64, lines.value(lines.len() - 1) as u64);
        let ingest_id = self.ingest_id;
        let st = self.tables.get_mut(&table).expect("table state");
        let roll = match st.new_parts.last() {
            Some(last) => last.source != p.source || last.rows + kept > PART_CHUNKS * chunk_rows() || self.current_part.is_none(),
            None => true,
        };
        if roll {
            let rel = format!("data/{}/{ingest_id:06}-{:04}.parquet", table.name(), st.new_parts.len() + 1);
            let path = Arc::new(self.wh.path(&rel)?);
            st.new_parts.push(NewPart { file: rel, rows: 0, source: p.source, lines: range });
            self.current_part = Some((table, path));
        }
        let part = st.new_parts.last_mut().expect("a current part");
        part.rows += kept;
        part.lines.1 = range.1;
        let path = self.current_part.as_ref().expect("current part").1.clone();
        self.send(WriteMsg { table, path, batches })
    }

    /// Marks the row `old` as replaced: in the window it is simply not written; in a part it is
    /// removed when that part is rewritten at the end.
    pub(super) fn drop_row(&mut self, table: Table, old: RowId) {
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
}

/// A dropped row of a rewritten part: (row index in the part, source file, source line).
type DroppedRow = (usize, String, i64);

/// Rewrites `src` without the rows `drop` picks; returns the kept row count and the dropped rows.
fn rewrite_part(table: Table, src: &Path, dst: &Path, drop: impl Fn(usize, i64) -> bool) -> Result<(usize, Vec<DroppedRow>)> {
    let mut writer: Option<PartWriter> = None;
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
            writer = Some(PartWriter::create(dst, b.schema(), Some(table))?);
        }
        writer.as_mut().expect("writer").write(&b)?;
    }
    if let Some(w) = writer {
        w.finish()?;
    }
    Ok((kept, dropped))
}

/// The table's parts after this ingest, with replaced rows removed, and each replacement recorded
/// on the file whose row won.
pub(super) fn finish_table(
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
        let (kept, dropped) = rewrite_part(table, &wh.root.join(&part.file), &wh.path(&rel)?, |row, _| rows.contains(&row))?;
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
                let (kept, _) = rewrite_part(table, &wh.root.join(&part.file), &wh.path(&rel)?, |_, line| lines.contains(&(line as u64)))?;
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
    Ok(TableInfo { rows, parts, units: None })
}
