//! The validation workers: each turns a chunk of rows into an Arrow batch of accepted rows with
//! their key hashes, and the rejected rows with their reasons.
use arrow::array::RecordBatch;

use super::chunks::{Chunk, ChunkRows};
use super::keys::{KeyHash, key_hash, key_text};
use super::raw::CellRef;
use super::rejects::RejectRow;
use super::validate::{self, Validator};
use super::{batch, cells, width};
use crate::Result;
use crate::schema::Table;
use crate::warehouse::regions::Region;

/// A validated chunk, applied in chunk order by the ingest thread.
pub(super) struct ChunkResult {
    pub(super) index: usize,
    /// The bytes the chunk's rows took in the file (after decoding), to estimate a file's rows
    /// from its size; 0 for workbook rows.
    pub(super) file_bytes: u64,
    pub(super) batch: RecordBatch,
    pub(super) hashes: Vec<KeyHash>,
    pub(super) rejects: Vec<RejectRow>,
    pub(super) rows_read: u64,
    pub(super) blank: u64,
    pub(super) totals: u64,
    pub(super) new_regions: Vec<Region>,
}

/// What a validation worker needs, shared by all workers of one file.
pub(super) struct WorkerCtx<'a> {
    pub(super) validator: Validator<'a>,
    pub(super) table: Table,
    /// The key columns' positions among the table's columns.
    pub(super) key_indices: Vec<usize>,
    /// The file's `_source_file` and `_ingest_id` columns, shared by its batches.
    pub(super) provenance: batch::Provenance,
}

impl WorkerCtx<'_> {
    pub(super) fn run(&self, chunk: Chunk) -> Result<ChunkResult> {
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
            accepted: validate::Accepted::default(),
        };
        let mut values = Vec::new();
        match &chunk.rows {
            ChunkRows::Raw(rows) => {
                let mut cells = Vec::new();
                for row in rows {
                    cells.clear();
                    cells.extend(row.cells.iter().map(CellRef::of));
                    self.row(row.line, &cells, u64::MAX, &mut values, &mut out);
                }
            }
            ChunkRows::Csv { text, fields, rows } => {
                // The whole chunk is screened for width folding once; a row's cells are then
                // looked at only where the screen found something (`width::foldable_offsets`).
                let mut foldable = Vec::new();
                width::foldable_offsets(text.as_bytes(), &mut foldable);
                let mut foldable = foldable.iter().copied().peekable();
                let mut cells = Vec::new();
                let mut field = 0usize;
                for &(line, count) in rows {
                    cells.clear();
                    let next = field + count as usize;
                    let spans = &fields[field..next];
                    cells.extend(spans.iter().map(|&[a, b]| CellRef::field(field_text(text, a, b))));
                    field = next;
                    let row_end = spans.last().map_or(0, |&[_, b]| b);
                    let mut may_fold = 0u64;
                    while let Some(at) = foldable.next_if(|&at| at < row_end) {
                        // The cell the character is in: the first whose span ends after it (a
                        // cell past the 64th is always looked at).
                        let i = spans.partition_point(|&[_, b]| b <= at);
                        if i < 64 {
                            may_fold |= 1 << i;
                        }
                    }
                    self.row(line, &cells, may_fold, &mut values, &mut out);
                }
            }
        }
        let file_bytes = match &chunk.rows {
            ChunkRows::Raw(_) => 0,
            ChunkRows::Csv { text, .. } => text.len() as u64,
        };
        Ok(ChunkResult {
            index: chunk.index,
            file_bytes,
            batch: out.builders.finish(&self.provenance)?,
            hashes: out.hashes,
            rejects: out.rejects,
            rows_read: out.rows_read,
            blank: out.blank,
            totals: out.totals,
            new_regions: out.new_regions,
        })
    }

    /// One row; `may_fold` as `Validator::check` takes it.
    fn row<'a>(&self, line: u64, cells: &[CellRef<'a>], may_fold: u64, values: &mut Vec<validate::Value<'a>>, out: &mut Out) {
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
        match self.validator.check(line, cells, may_fold, values, &mut out.accepted) {
            Ok(()) => {
                let key = key_hash(&key_text(self.key_indices.iter().map(|&i| match &values[i] {
                    validate::Value::Str(k) => k.as_ref(),
                    // Key columns are required text; an empty part still keys consistently.
                    _ => "",
                })));
                out.builders.append(line, values, out.accepted.case.as_ref());
                out.hashes.push(key);
                if let Some(r) = out.accepted.new_region.take()
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
        let key = self.validator.layout.sources[self.key_indices[0]].and_then(|s| cells.get(s)).unwrap_or(&CellRef::Empty);
        (key.is_empty() || word(key)) && cells.iter().filter(|c| !c.is_empty()).take(2).any(word)
    }
}

/// A CSV field's text. The reader cuts fields only next to the ASCII delimiters, quotes and line
/// breaks of text it checked as UTF-8 (`chunks::read_chunks`), and unescaping a quoted field in
/// place drops only quote bytes, so every span falls on character boundaries: only its bounds are
/// checked here, where `&text[a..b]` also tested both ends of every cell of every row.
#[inline]
fn field_text(text: &str, a: u32, b: u32) -> &str {
    let bytes = &text.as_bytes()[a as usize..b as usize];
    debug_assert!(std::str::from_utf8(bytes).is_ok(), "a field span cuts a character");
    // SAFETY: `text` is valid UTF-8 and the span lies on character boundaries (above), so its
    // bytes are valid UTF-8 too.
    unsafe { std::str::from_utf8_unchecked(bytes) }
}

struct Out {
    builders: batch::Builders,
    hashes: Vec<KeyHash>,
    rejects: Vec<RejectRow>,
    rows_read: u64,
    blank: u64,
    totals: u64,
    new_regions: Vec<Region>,
    /// The row being checked: what it brings besides its values.
    accepted: validate::Accepted,
}
