//! The reader side of the pipeline: a file's data rows cut into numbered chunks for the
//! validation workers, read on a thread of their own.
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::SyncSender;

use super::raw::RawRow;
use super::stream;
use crate::{Error, Result};

/// Rows per chunk handed to a validation worker. Chunks in flight, the window and the writer's
/// queue scale with it: 8 Ki rows keep a scale-10 ingest at 438 MiB instead of 611 at 32 Ki, in
/// the same time (docs/benchmarks.md); at 4 Ki it was slower.
const CHUNK_ROWS: usize = 8 * 1024;

/// `FUYUAN_CHUNK_ROWS` shrinks chunks (and with them the window and the parts) so that tests can
/// drive every path of the pipeline — corrections inside the window, after it, in another part —
/// with a few hundred rows. Not a user setting: results do not depend on it (tests/ingest_stream.rs).
pub(super) fn chunk_rows() -> usize {
    std::env::var("FUYUAN_CHUNK_ROWS").ok().and_then(|s| s.parse().ok()).filter(|&n: &usize| n > 0).unwrap_or(CHUNK_ROWS)
}
/// A chunk also ends at this many bytes of the file's text (rows with huge cells).
const CHUNK_BYTES: usize = 8 << 20;

/// A run of rows for a validation worker.
pub(super) enum ChunkRows {
    /// Workbook rows, or the CSV rows read ahead for header detection.
    Raw(Vec<RawRow>),
    /// CSV records: the text as read (quoted cells unescaped in place); `fields[i]` is field i's
    /// (start, end) in it; each row is (line, number of fields).
    Csv { text: String, fields: Vec<[u32; 2]>, rows: Vec<(u64, u32)> },
}

pub(super) struct Chunk {
    pub(super) index: usize,
    pub(super) rows: ChunkRows,
}

/// How far the reader thread has read a file, for the progress bar.
pub(super) struct ReadBytes {
    pub(super) bytes: AtomicU64,
    pub(super) total: u64,
}

/// Where a file's data rows come from after its header.
pub(super) enum RowSource {
    Csv(stream::CsvRecords),
    Rows(Vec<RawRow>),
}

/// Reads chunks for the workers; stops early when the ingest is cancelled. Returns the file's
/// hashes when they were computed while reading (pass 1 skipped).
pub(super) fn read_chunks(
    source: RowSource,
    ahead: Vec<RawRow>,
    tx: SyncSender<Chunk>,
    cancel: &AtomicBool,
    path: &Path,
    file: &str,
    read: &ReadBytes,
) -> Result<Option<super::digest::Hashes>> {
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
) -> Result<Option<super::digest::Hashes>> {
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
            while let Some(c) = records.next_chunk(chunk, CHUNK_BYTES)? {
                // simdutf8 checks the chunk several times faster than `String::from_utf8`
                // (whose check was 7 % of an ingest's time). Outside the fields the text holds
                // only delimiters, line breaks, quotes and blanks, so a chunk is valid text
                // exactly when every field is.
                if simdutf8::basic::from_utf8(&c.text).is_err() {
                    return Err(bad_utf8(&c.text, &c.fields, &c.rows, file));
                }
                // SAFETY: `c.text` was checked to be valid UTF-8 just above.
                let text = unsafe { String::from_utf8_unchecked(c.text) };
                if !send(ChunkRows::Csv { text, fields: c.fields, rows: c.rows }) {
                    return Ok(None);
                }
                read.bytes.store(records.bytes_read().min(read.total), Ordering::Relaxed);
            }
            return Ok(records.digest());
        }
    }
    Ok(None)
}

/// Names the first cell of a chunk that is not valid text (pass 1 checked the file, so this is
/// a decoder surprise rather than a user's mistake, but it still gets one clear line).
fn bad_utf8(bytes: &[u8], fields: &[[u32; 2]], rows: &[(u64, u32)], file: &str) -> Error {
    let mut field = 0usize;
    for &(line, count) in rows {
        for k in 0..count {
            let [start, end] = fields[field];
            if std::str::from_utf8(&bytes[start as usize..end as usize]).is_err() {
                return Error::bad_file(file, line, format!("field {}", k + 1), "text is not valid in the file's encoding");
            }
            field += 1;
        }
    }
    Error::bad_file(file, 0, "-", "text is not valid in the file's encoding")
}
