//! Streaming CSV, so that a ledger of any size is read in bounded memory.
//!
//! Pass 1 (`scan_file`) reads the bytes once in blocks: the hash that recognises a file already
//! ingested, and the checks that refuse a whole file (empty, a workbook, binary, an encoding that
//! is neither UTF-8 nor GBK/GB18030, mixed encodings). Pass 2 (`CsvRecords`) decodes and parses the
//! records one at a time, each with the physical line a user sees in an editor.
//!
//! A refused file's message comes from `decode::decode` on the whole file, so the streaming checks
//! and the in-memory ones cannot disagree on what they say; that whole read happens only for a file
//! that is refused or not UTF-8 in the first place.
use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::Path;
use std::sync::{Arc, Mutex};

use super::decode::{check_binary, decode};
use super::digest::{Hasher, Hashes};
use super::raw::{Cell, RawRow, RawTable};
use super::records::{self, CsvChunk, Failure, RecordReader};
use crate::{Error, Result};

const BLOCK: usize = 1 << 20;
/// A cell larger than this is not ledger data.
pub const MAX_CELL_BYTES: usize = 1 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Gb18030,
    Utf16,
}

impl Encoding {
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8 (BOM)",
            Encoding::Gb18030 => "gb18030",
            Encoding::Utf16 => "utf-16",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Scanned {
    pub hashes: Hashes,
    pub encoding: Encoding,
}

fn cannot_read(file: &str, e: io::Error) -> Error {
    Error::bad_file(file, 1, "-", format!("cannot read the file: {e}"))
}

fn open(path: &Path, file: &str) -> Result<File> {
    if path.is_dir() {
        return Err(Error::bad_file(file, 1, "-", "this is a folder, not a ledger file"));
    }
    File::open(path).map_err(|e| cannot_read(file, e))
}

/// Reads until `buf` is full or the input ends.
fn fill(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Pass 1 over a CSV file: its hashes (SHA-256 too when `sha256`) and encoding, or the one-line
/// error that refuses it.
pub fn scan_file(path: &Path, file: &str, sha256: bool) -> Result<Scanned> {
    let (hashes, verdict) = scan(open(path, file)?, file, || open(path, file), sha256)?;
    let encoding = match verdict {
        Verdict::Ok(e) => e,
        // Refused, or an encoding decided on the whole text: let `decode` say which.
        Verdict::Whole => refuse_or_classify(&std::fs::read(path).map_err(|e| cannot_read(file, e))?, file)?,
    };
    Ok(Scanned { hashes, encoding })
}

/// Pass 1 on bytes in memory (workbooks renamed .csv, tests).
pub fn scan_bytes(bytes: &[u8], file: &str) -> Result<Encoding> {
    match scan(Cursor::new(bytes), file, || Ok(Cursor::new(bytes)), false)?.1 {
        Verdict::Ok(e) => Ok(e),
        Verdict::Whole => refuse_or_classify(bytes, file),
    }
}

/// A whole CSV file in memory as raw rows, through the same streaming reader ingest uses.
pub fn read_csv_bytes(bytes: &[u8], file: &str) -> Result<RawTable> {
    let encoding = scan_bytes(bytes, file)?;
    CsvRecords::from_bytes(bytes.to_vec(), file, encoding)?.collect()
}

/// What the first block of a file settles.
pub enum Head {
    /// UTF-8 with a BOM, or UTF-8 with Chinese text in the first block (a header): any bytes later
    /// that are not UTF-8 can only make the file refused (mixed encodings), never GBK, so pass 2
    /// may start at once and check the rest as it reads.
    Settled(Encoding),
    /// Anything else is decided by a full pass 1.
    NeedsScan,
}

/// Reads only the first block: enough, for the usual UTF-8 ledger, to skip pass 1.
pub fn sniff_head(path: &Path, file: &str) -> Result<Head> {
    let mut block = vec![0u8; BLOCK];
    let n = fill(&mut open(path, file)?, &mut block).map_err(|e| cannot_read(file, e))?;
    let head = &block[..n];
    if n == 0 {
        return Err(Error::bad_file(file, 1, "-", "the file is empty"));
    }
    if head.starts_with(b"PK\x03\x04") {
        return Err(Error::bad_file(file, 1, "-", "this is a zip/xlsx workbook, not CSV: give it an .xlsx name"));
    }
    if memchr::memchr(0, head).is_some() || head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return Ok(Head::NeedsScan);
    }
    let valid = match std::str::from_utf8(head) {
        Ok(s) => s,
        // A character cut at the end of the block is not an error.
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default(),
        Err(_) => return Ok(Head::NeedsScan),
    };
    Ok(if head.starts_with(b"\xEF\xBB\xBF") {
        Head::Settled(Encoding::Utf8Bom)
    } else if valid.chars().any(|c| c as u32 >= 0x800) {
        Head::Settled(Encoding::Utf8)
    } else {
        Head::NeedsScan
    })
}

/// The one-line refusal of the whole-file checks, if they refuse the file (a NUL byte or bytes
/// that are not UTF-8, found while pass 2 was already under way).
pub fn refusal(path: &Path, file: &str) -> Option<Error> {
    let bytes = std::fs::read(path).ok()?;
    refuse_or_classify(&bytes, file).err()
}

/// What pass 2 learns about the raw bytes when pass 1 was skipped: their hash, and whether they
/// hold a NUL byte.
struct CheckState {
    hasher: Hasher,
    nul: bool,
}

/// Hashes the bytes as they are read and refuses a NUL byte (binary data).
struct Checked<R> {
    inner: R,
    state: Arc<Mutex<CheckState>>,
}

impl<R: Read> Read for Checked<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut st = self.state.lock().expect("check state lock");
        st.hasher.update(&buf[..n]);
        if memchr::memchr(0, &buf[..n]).is_some() {
            st.nul = true;
            return Err(io::Error::new(io::ErrorKind::InvalidData, "binary data (a NUL byte)"));
        }
        Ok(n)
    }
}

enum Verdict {
    Ok(Encoding),
    /// Not plain UTF-8: decided (or refused) on the whole text.
    Whole,
}

fn scan<R: Read, R2: Read>(mut r: R, file: &str, reopen: impl Fn() -> Result<R2>, sha256: bool) -> Result<(Hashes, Verdict)> {
    let mut hasher = Hasher::new(sha256);
    let mut buf = vec![0u8; BLOCK];
    let mut head: Vec<u8> = Vec::new();
    let mut total = 0u64;
    let mut carry: Vec<u8> = Vec::new();
    let mut utf8 = true;
    let mut nul_at: Option<u64> = None;
    loop {
        let n = fill(&mut r, &mut buf).map_err(|e| cannot_read(file, e))?;
        if n == 0 {
            break;
        }
        let block = &buf[..n];
        hasher.update(block);
        if head.len() < 8192 {
            head.extend_from_slice(&block[..(8192 - head.len()).min(n)]);
        }
        if nul_at.is_none() {
            nul_at = memchr::memchr(0, block).map(|p| total + p as u64);
        }
        if utf8 {
            // A character cut by the block boundary is completed from the next block.
            let joined;
            let data: &[u8] = if carry.is_empty() {
                block
            } else {
                joined = [std::mem::take(&mut carry).as_slice(), block].concat();
                &joined
            };
            match std::str::from_utf8(data) {
                Ok(_) => {}
                Err(e) if e.error_len().is_none() => carry = data[e.valid_up_to()..].to_vec(),
                Err(_) => utf8 = false,
            }
        }
        total += n as u64;
    }
    let hashes = hasher.finish();
    if total == 0 {
        return Err(Error::bad_file(file, 1, "-", "the file is empty"));
    }
    if head.starts_with(b"PK\x03\x04") {
        return Err(Error::bad_file(file, 1, "-", "this is a zip/xlsx workbook, not CSV: give it an .xlsx name"));
    }
    let utf16 = head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF");
    // Binary, UTF-16, or a character cut off at the end: the whole-file check decides.
    if nul_at.is_some() || utf16 || !carry.is_empty() {
        return Ok((hashes, Verdict::Whole));
    }
    if utf8 {
        let enc = if head.starts_with(b"\xEF\xBB\xBF") { Encoding::Utf8Bom } else { Encoding::Utf8 };
        return Ok((hashes, Verdict::Ok(enc)));
    }
    if head.starts_with(b"\xEF\xBB\xBF") {
        return Ok((hashes, Verdict::Whole));
    }
    // Not UTF-8: GBK/GB18030 unless some line is UTF-8 Chinese (mixed) or the bytes are not
    // GB18030 either; both refusals are worded by `decode`.
    let verdict =
        if gb18030_lines_ok(reopen()?).map_err(|e| cannot_read(file, e))? { Verdict::Ok(Encoding::Gb18030) } else { Verdict::Whole };
    Ok((hashes, verdict))
}

/// Streams the lines of a file that is not UTF-8: true when no line is UTF-8 with Chinese text
/// (which would mean mixed encodings) and the whole is valid GB18030.
fn gb18030_lines_ok(r: impl Read) -> io::Result<bool> {
    use std::io::BufRead;
    let mut r = io::BufReader::with_capacity(BLOCK, r);
    let mut line = Vec::new();
    let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(BLOCK * 2);
    loop {
        line.clear();
        let n = r.read_until(b'\n', &mut line)?;
        if std::str::from_utf8(&line).is_ok_and(|l| l.chars().any(|c| c as u32 >= 0x800)) {
            return Ok(false);
        }
        out.clear();
        out.reserve(line.len() * 3 + 16);
        let (result, _) = decoder.decode_to_string_without_replacement(&line, &mut out, n == 0);
        if matches!(result, encoding_rs::DecoderResult::Malformed(..)) {
            return Ok(false);
        }
        if n == 0 {
            return Ok(true);
        }
    }
}

/// The verdict of `decode` on a whole file that pass 1 could not settle.
fn refuse_or_classify(bytes: &[u8], file: &str) -> Result<Encoding> {
    check_binary(bytes, file)?;
    let (_, name) = decode(bytes, file)?;
    Ok(match name {
        "utf-8" => Encoding::Utf8,
        "utf-8 (BOM)" => Encoding::Utf8Bom,
        "utf-16" => Encoding::Utf16,
        _ => Encoding::Gb18030,
    })
}

/// GB18030 bytes → UTF-8, as a reader.
struct DecodeReader<R> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    done: bool,
    output: Vec<u8>,
    out_start: usize,
    out_end: usize,
}

impl<R: Read> DecodeReader<R> {
    fn new(inner: R) -> DecodeReader<R> {
        DecodeReader {
            inner,
            decoder: encoding_rs::GB18030.new_decoder_without_bom_handling(),
            input: vec![0; 256 * 1024],
            start: 0,
            end: 0,
            eof: false,
            done: false,
            output: vec![0; 1024 * 1024],
            out_start: 0,
            out_end: 0,
        }
    }
}

impl<R: Read> Read for DecodeReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.out_start < self.out_end {
                let n = buf.len().min(self.out_end - self.out_start);
                buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
                self.out_start += n;
                return Ok(n);
            }
            if self.done {
                return Ok(0);
            }
            if self.start == self.end && !self.eof {
                self.start = 0;
                self.end = fill(&mut self.inner, &mut self.input)?;
                self.eof = self.end == 0;
            }
            let (result, read, written, _) = self.decoder.decode_to_utf8(&self.input[self.start..self.end], &mut self.output, self.eof);
            self.start += read;
            self.out_start = 0;
            self.out_end = written;
            if self.eof && result == encoding_rs::CoderResult::InputEmpty {
                self.done = true;
            }
        }
    }
}

/// The delimiter of the header line: the candidate that splits the first non-blank line most,
/// unless that line has none (a caption above the header) — then the one that splits the most
/// of the top ten lines, among those that split some line into at least four fields.
pub fn sniff_delimiter(text: &str) -> u8 {
    const CANDIDATES: [u8; 4] = [b',', b'\t', b';', b'|'];
    let top: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).take(10).collect();
    let count = |l: &str, d: u8| l.bytes().filter(|b| *b == d).count();
    let first = top.first().copied().unwrap_or("");
    let pick = |score: &dyn Fn(u8) -> usize| {
        CANDIDATES.into_iter().map(|d| (score(d), d)).filter(|(n, _)| *n > 0).max_by_key(|(n, d)| (*n, *d == b','))
    };
    if let Some((_, d)) = pick(&|d| count(first, d)) {
        return d;
    }
    // A ledger header has at least four columns, so a delimiter that never splits a top line
    // into four is not one.
    let header_like = |d: u8| top.iter().any(|l| count(l, d) >= 3);
    pick(&|d| if header_like(d) { top.iter().filter(|l| count(l, d) > 0).count() } else { 0 }).map(|(_, d)| d).unwrap_or(b',')
}

type Source = Box<dyn Read + Send>;

/// Pass 2: the records of a CSV ledger, one at a time, each with its physical line.
pub struct CsvRecords {
    reader: RecordReader,
    file: String,
    encoding: Encoding,
    /// Set when pass 1 was skipped: the hash is computed here.
    checked: Option<Arc<Mutex<CheckState>>>,
    /// `next_row`'s field spans, kept between rows.
    fields: Vec<[u32; 2]>,
}

impl CsvRecords {
    /// `hash_here`: pass 1 was skipped, so hash the bytes and look for NUL bytes while reading.
    pub fn open(path: &Path, file: &str, encoding: Encoding, hash_here: bool) -> Result<CsvRecords> {
        let raw = open(path, file)?;
        let checked = hash_here.then(|| Arc::new(Mutex::new(CheckState { hasher: Hasher::new(false), nul: false })));
        let mut f: Source = match &checked {
            Some(state) => Box::new(Checked { inner: raw, state: state.clone() }),
            None => Box::new(raw),
        };
        let source: Source = match encoding {
            Encoding::Utf8 => Box::new(f),
            Encoding::Utf8Bom => {
                let mut bom = [0u8; 3];
                f.read_exact(&mut bom).map_err(|e| cannot_read(file, e))?;
                Box::new(f)
            }
            Encoding::Gb18030 => Box::new(DecodeReader::new(f)),
            Encoding::Utf16 => {
                let mut bytes = Vec::new();
                f.read_to_end(&mut bytes).map_err(|e| cannot_read(file, e))?;
                Box::new(Cursor::new(decode(&bytes, file)?.0.into_bytes()))
            }
        };
        let mut records = CsvRecords::new(source, file, encoding)?;
        records.checked = checked;
        Ok(records)
    }

    /// The hashes of the bytes read, once every record has been read (pass 1 skipped).
    pub fn digest(&self) -> Option<Hashes> {
        let st = self.checked.as_ref()?.lock().expect("check state lock");
        Some(st.hasher.finish())
    }

    pub fn from_bytes(bytes: Vec<u8>, file: &str, encoding: Encoding) -> Result<CsvRecords> {
        let source: Source = match encoding {
            Encoding::Utf8 => Box::new(Cursor::new(bytes)),
            Encoding::Utf8Bom => Box::new(Cursor::new(bytes[3..].to_vec())),
            Encoding::Gb18030 => Box::new(DecodeReader::new(Cursor::new(bytes))),
            Encoding::Utf16 => Box::new(Cursor::new(decode(&bytes, file)?.0.into_bytes())),
        };
        CsvRecords::new(source, file, encoding)
    }

    fn new(mut source: Source, file: &str, encoding: Encoding) -> Result<CsvRecords> {
        // The delimiter is sniffed from the top lines, which the parser then reads first.
        let mut prefix = Vec::new();
        let mut block = vec![0u8; 64 * 1024];
        while prefix.len() < BLOCK && prefix.iter().filter(|b| **b == b'\n').count() < 11 {
            let n = fill(&mut source, &mut block).map_err(|e| cannot_read(file, e))?;
            if n == 0 {
                break;
            }
            prefix.extend_from_slice(&block[..n]);
        }
        let delimiter = sniff_delimiter(&String::from_utf8_lossy(&prefix));
        let reader = RecordReader::new(source, prefix, delimiter);
        Ok(CsvRecords { reader, file: file.to_string(), encoding, checked: None, fields: Vec::new() })
    }

    pub fn format(&self) -> String {
        format!("csv {}", self.encoding.name())
    }

    /// Bytes of text read so far (after decoding: for a GBK file a little more than its size).
    pub fn bytes_read(&self) -> u64 {
        self.reader.bytes_read()
    }

    fn failure(file: &str, f: Failure) -> Error {
        match f {
            Failure::Io(e) => Error::bad_file(file, 0, "-", format!("CSV cannot be read: {}", e.to_string().lines().next().unwrap_or(""))),
            Failure::HugeCell { line, field, bytes } => {
                Error::bad_file(file, line, format!("field {field}"), format!("cell of {bytes} bytes exceeds the 1 MiB limit"))
            }
            Failure::Endless(line) => Error::bad_file(
                file,
                line,
                "-",
                format!("a record runs on past {} MiB (a quote left open?)", records::MAX_RECORD_BYTES >> 20),
            ),
        }
    }

    /// The next records, up to `max_rows` rows or about `max_bytes` of text; `None` at the end.
    pub(super) fn next_chunk(&mut self, max_rows: usize, max_bytes: usize) -> Result<Option<CsvChunk>> {
        self.reader.next_chunk(max_rows, max_bytes).map_err(|f| Self::failure(&self.file, f))
    }

    /// The next record as a raw row (header detection, small files).
    pub fn next_row(&mut self) -> Result<Option<RawRow>> {
        let (file, fields) = (&self.file, &mut self.fields);
        let Some((line, text)) = self.reader.next_fields(fields).map_err(|f| Self::failure(file, f))? else { return Ok(None) };
        let mut cells = Vec::with_capacity(fields.len());
        for (i, &[a, b]) in fields.iter().enumerate() {
            let t = std::str::from_utf8(&text[a as usize..b as usize])
                .map_err(|_| Error::bad_file(file, line, format!("field {}", i + 1), "text is not valid in the file's encoding"))?;
            cells.push(if t.is_empty() { Cell::Empty } else { Cell::Text(t.to_string()) });
        }
        Ok(Some(RawRow { line, cells }))
    }

    /// Every remaining record (small files and tests; ingest streams instead).
    pub fn collect(mut self) -> Result<RawTable> {
        let mut records = Vec::new();
        while let Some(row) = self.next_row()? {
            records.push(row);
        }
        Ok(RawTable { format: self.format(), records })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Records with every kind of line break, blank lines and quoted fields that span lines, long
    /// enough to cross the parser's 256 KiB buffer many times: each record's line must be the
    /// physical line an editor shows, wherever the buffer boundaries fall.
    #[test]
    fn physical_lines_survive_buffer_boundaries() {
        let mut seed = 42u64;
        let mut next = |n: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        let breaks = ["\n", "\r\n", "\r"];
        // A line break; after a lone "\r" never a "\n" (the two would read as one "\r\n").
        let line_break = |text: &mut String, r: u64| {
            let b = if text.ends_with('\r') { breaks[1 + r as usize % 2] } else { breaks[r as usize % 3] };
            text.push_str(b);
        };
        let mut text = String::from("案号,被告,区划代码,立案日期\n");
        let mut line = 2u64;
        let mut expected = vec![1u64];
        for i in 0..60_000 {
            for _ in 0..next(4).saturating_sub(2) {
                line_break(&mut text, next(3));
                line += 1;
            }
            expected.push(line);
            if next(10) == 0 {
                // A quoted cell over two lines.
                text.push_str(&format!("\"第{i}号"));
                line_break(&mut text, next(3));
                text.push_str("续行\",某局,411202,2024-01-01");
                line += 1;
            } else {
                text.push_str(&format!("第{i}号,某局,411202,2024-01-01"));
            }
            line_break(&mut text, next(3));
            line += 1;
        }
        assert!(text.len() > 4 * 256 * 1024);
        let t = read_csv_bytes(text.as_bytes(), "f.csv").unwrap();
        let got: Vec<u64> = t.records.iter().map(|r| r.line).collect();
        assert_eq!(got.len(), expected.len());
        let first_wrong = got.iter().zip(&expected).position(|(g, e)| g != e);
        if let Some(i) = first_wrong {
            let lo = i.saturating_sub(2);
            let dbg: Vec<_> = (lo..i + 2).map(|k| (k, got[k], expected[k], t.records[k].cells.first().map(|c| c.to_text()))).collect();
            panic!("record lines differ first at record {i}: {dbg:?}");
        }
    }
}
