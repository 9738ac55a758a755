//! CSV records cut straight out of the bytes read, without copying their cells.
//!
//! The reader thread used to run the `csv` crate's parser and copy every cell into the chunk: a
//! byte-at-a-time state machine plus two copies, 29 % of an ingest's CPU samples. Here the
//! bytes read from the file *are* the chunk, and a record is a list of (start, end) spans into
//! them. Delimiters and line breaks are found 64 bytes at a time with SSE2 compares, so an
//! unquoted cell costs one bit scan. A quoted cell is unescaped in place after its record is known
//! to be complete (what is left of the raw quotes is blanked, so the chunk stays valid text).
//!
//! The records are the `csv` crate's (`flexible`, no headers, "\r", "\n" or "\r\n" ending a
//! record, blank lines skipped, `""` inside quotes a quote, text after a closing quote kept as
//! is); `tests::same_records_as_the_csv_crate` holds the two to the same output. Each record also
//! carries the physical line of its first byte, as an editor counts lines ("\r\n", "\n" or a lone
//! "\r" each end one).
use std::io::{self, Read};

use super::stream::MAX_CELL_BYTES;

/// Bytes asked of the source per read: small enough that a chunk rarely carries more than this
/// over to the next one, large enough that the reads cost nothing.
const READ: usize = 128 * 1024;
/// A record still open after this many bytes is not ledger data (a quote left open, most likely).
pub(super) const MAX_RECORD_BYTES: usize = 64 << 20;

/// Records as spans into one buffer: `fields[i]` is field i's (start, end) in `text`; each row is
/// (line, number of fields).
pub(super) struct CsvChunk {
    pub(super) text: Vec<u8>,
    pub(super) fields: Vec<[u32; 2]>,
    pub(super) rows: Vec<(u64, u32)>,
}

pub(super) enum Failure {
    Io(io::Error),
    /// A record that outgrew `MAX_RECORD_BYTES`, at this line.
    Endless(u64),
    /// A cell larger than `MAX_CELL_BYTES`: its record's line, its 1-based field, its size.
    HugeCell {
        line: u64,
        field: usize,
        bytes: usize,
    },
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Failure {
        Failure::Io(e)
    }
}

pub(super) struct RecordReader {
    source: Box<dyn Read + Send>,
    delimiter: u8,
    /// Bytes read and not yet handed out; `pos` is where parsing resumes.
    buf: Vec<u8>,
    pos: usize,
    eof: bool,
    /// The physical line at `pos`, and whether the byte before `pos` was a "\r" that ended a line
    /// (so that a "\n" right after it does not end another).
    line: u64,
    after_cr: bool,
    /// Bytes dropped from the front of `buf` (handed out in chunks), for `bytes_read`.
    dropped: u64,
    /// The delimiter/line-break bits of the 64-byte block at `mask_at`.
    mask_at: usize,
    mask: u64,
    /// Fields of the record being parsed that need unescaping in place.
    quoted: Vec<usize>,
    /// Bytes asked of the source per read (`READ`; a few in tests, to cut records anywhere).
    read: usize,
    /// `MAX_RECORD_BYTES`, smaller in tests.
    max_record: usize,
}

enum Step {
    /// A record was parsed; parsing resumes at `pos`.
    Record(u64),
    /// The buffer ends inside a record: read more and parse it again.
    More,
    /// No record is left.
    End,
}

impl RecordReader {
    /// `prefix`: bytes already taken from `source` (to sniff the delimiter), read first.
    pub(super) fn new(source: Box<dyn Read + Send>, prefix: Vec<u8>, delimiter: u8) -> RecordReader {
        let mut r = RecordReader {
            source,
            delimiter,
            buf: prefix,
            pos: 0,
            eof: false,
            line: 1,
            after_cr: false,
            dropped: 0,
            mask_at: usize::MAX,
            mask: 0,
            quoted: Vec::new(),
            read: READ,
            max_record: MAX_RECORD_BYTES,
        };
        // The `csv` crate drops a UTF-8 byte-order mark at the start of its input.
        if r.buf.starts_with(b"\xEF\xBB\xBF") {
            r.pos = 3;
        }
        r
    }

    /// Bytes of text parsed so far.
    pub(super) fn bytes_read(&self) -> u64 {
        self.dropped + self.pos as u64
    }

    /// Appends bytes from the source: `READ`, or as many as the record in progress holds so far,
    /// so that a long record is parsed again only a few times. False at the end of the source.
    fn read_more(&mut self) -> io::Result<bool> {
        let len = self.buf.len();
        let want = self.read.max(len - self.pos);
        self.buf.resize(len + want, 0);
        let mut n = 0;
        while n < want {
            match self.source.read(&mut self.buf[len + n..]) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.buf.truncate(len + n);
                    return Err(e);
                }
            }
        }
        self.buf.truncate(len + n);
        // The last block's bits were computed without the bytes just read.
        self.mask_at = usize::MAX;
        self.eof = n == 0;
        Ok(n > 0)
    }

    /// The next record's fields as text (header detection, small files), with its line.
    pub(super) fn next_fields(&mut self, fields: &mut Vec<[u32; 2]>) -> Result<Option<(u64, &[u8])>, Failure> {
        // Records already handed out are not needed again.
        if self.pos > self.read {
            self.drop_parsed();
        }
        fields.clear();
        match self.record(fields)? {
            Some(line) => Ok(Some((line, &self.buf[..]))),
            None => Ok(None),
        }
    }

    /// The next records, up to `max_rows` or until their text passes `max_bytes`; `None` at the end.
    pub(super) fn next_chunk(&mut self, max_rows: usize, max_bytes: usize) -> Result<Option<CsvChunk>, Failure> {
        // The chunk starts at `pos`: what is before it was handed out already.
        self.drop_parsed();
        let mut fields = Vec::with_capacity(max_rows * 16);
        let mut rows = Vec::with_capacity(max_rows);
        while rows.len() < max_rows && self.pos < max_bytes {
            let start = fields.len();
            match self.record(&mut fields)? {
                Some(line) => rows.push((line, (fields.len() - start) as u32)),
                None => break,
            }
        }
        if rows.is_empty() {
            return Ok(None);
        }
        // What follows the last record starts the next chunk's buffer, sized like this one.
        let mut rest = Vec::with_capacity(self.pos + 2 * self.read);
        rest.extend_from_slice(&self.buf[self.pos..]);
        let mut text = std::mem::replace(&mut self.buf, rest);
        text.truncate(self.pos);
        self.dropped += self.pos as u64;
        self.pos = 0;
        self.mask_at = usize::MAX;
        Ok(Some(CsvChunk { text, fields, rows }))
    }

    /// Forgets the bytes before `pos`: their records were handed out.
    fn drop_parsed(&mut self) {
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.dropped += self.pos as u64;
            self.pos = 0;
            self.mask_at = usize::MAX;
        }
    }

    /// Parses the record at `pos` into `fields`, reading more bytes as needed; its line, or
    /// `None` when no record is left.
    fn record(&mut self, fields: &mut Vec<[u32; 2]>) -> Result<Option<u64>, Failure> {
        let start = fields.len();
        loop {
            let from = self.pos;
            match self.parse(fields) {
                Step::Record(line) => {
                    self.unescape(fields);
                    // No cell of a record shorter than the limit can pass it: the usual record
                    // is not looked at cell by cell.
                    if self.pos - from > MAX_CELL_BYTES
                        && let Some(k) = fields[start..].iter().position(|[a, b]| (b - a) as usize > MAX_CELL_BYTES)
                    {
                        let [a, b] = fields[start + k];
                        return Err(Failure::HugeCell { line, field: k + 1, bytes: (b - a) as usize });
                    }
                    return Ok(Some(line));
                }
                Step::End => return Ok(None),
                Step::More => {
                    fields.truncate(start);
                    if self.buf.len() - from > self.max_record {
                        return Err(Failure::Endless(self.line));
                    }
                    self.read_more()?;
                }
            }
        }
    }

    /// One record from `pos`, or `More` (nothing kept but the blank lines skipped) when the
    /// buffer ends before the record does and the source has more.
    fn parse(&mut self, fields: &mut Vec<[u32; 2]>) -> Step {
        let len = self.buf.len();
        // Blank lines before the record.
        let mut p = self.pos;
        loop {
            if p == len {
                self.pos = p;
                return if self.eof { Step::End } else { Step::More };
            }
            match self.buf[p] {
                b'\n' => {
                    if !self.after_cr {
                        self.line += 1;
                    }
                    self.after_cr = false;
                }
                b'\r' => {
                    self.line += 1;
                    self.after_cr = true;
                }
                _ => break,
            }
            p += 1;
        }
        self.pos = p;
        self.after_cr = false;
        let line = self.line;
        // Line breaks inside quoted cells, counted once the record is complete.
        let mut breaks = 0u64;
        self.quoted.clear();
        let ended_by_break;
        loop {
            // One field from p; q is where it stops (a delimiter, a line break, or the end).
            let q;
            if p < len && self.buf[p] == b'"' {
                let Some((end, stop, simple)) = self.quoted_field(p) else { return Step::More };
                breaks += count_breaks(&self.buf[p..stop]);
                if simple {
                    fields.push([p as u32 + 1, end as u32]);
                } else {
                    self.quoted.push(fields.len());
                    fields.push([p as u32, stop as u32]);
                }
                q = stop;
            } else {
                match self.next_stop(p) {
                    Some(s) => q = s,
                    None if self.eof => q = len,
                    None => return Step::More,
                }
                fields.push([p as u32, q as u32]);
            }
            if q == len {
                if !self.eof {
                    return Step::More;
                }
                self.pos = len;
                ended_by_break = false;
                break;
            }
            match self.buf[q] {
                b'\r' | b'\n' => {
                    self.after_cr = self.buf[q] == b'\r';
                    self.pos = q + 1;
                    ended_by_break = true;
                    break;
                }
                _ => p = q + 1,
            }
        }
        self.line += breaks + u64::from(ended_by_break);
        Step::Record(line)
    }

    /// A quoted field at `p`: the end of its quoted text, where the field stops, and whether it is
    /// simple (no `""` and nothing after the closing quote, so that its text is `p+1..end` as it
    /// stands). `None` when the buffer ends first and the source has more.
    fn quoted_field(&mut self, p: usize) -> Option<(usize, usize, bool)> {
        let len = self.buf.len();
        let mut q = p + 1;
        let mut simple = true;
        loop {
            let Some(i) = memchr::memchr(b'"', &self.buf[q..len]) else {
                // A quote never closed: the rest of the input is the field.
                return self.eof.then_some((len, len, false));
            };
            let c = q + i;
            // A quote that ends the buffer may be the first of `""`: the field then stops at the
            // buffer's end, and `parse` asks for more before it takes it.
            if c + 1 < len && self.buf[c + 1] == b'"' {
                simple = false;
                q = c + 2;
                continue;
            }
            let after = c + 1;
            if after == len || self.is_stop(self.buf[after]) {
                return Some((c, after, simple));
            }
            // Text after the closing quote belongs to the field, quotes and all.
            return match self.next_stop(after) {
                Some(s) => Some((c, s, false)),
                None if self.eof => Some((c, len, false)),
                None => None,
            };
        }
    }

    fn is_stop(&self, b: u8) -> bool {
        b == self.delimiter || b == b'\n' || b == b'\r'
    }

    /// The first delimiter or line break at or after `p`.
    fn next_stop(&mut self, mut p: usize) -> Option<usize> {
        let len = self.buf.len();
        while p < len {
            let base = p & !63;
            if base != self.mask_at {
                self.mask = if base + 64 <= len {
                    block_mask(self.buf[base..base + 64].try_into().expect("64 bytes"), self.delimiter)
                } else {
                    self.buf[base..len].iter().enumerate().filter(|(_, b)| self.is_stop(**b)).fold(0u64, |m, (i, _)| m | 1 << i)
                };
                self.mask_at = base;
            }
            let m = self.mask & (!0u64 << (p - base));
            if m != 0 {
                return Some(base + m.trailing_zeros() as usize);
            }
            p = base + 64;
        }
        None
    }

    /// Rewrites the quoted fields of the record just parsed to their text, in place, and blanks
    /// the bytes they no longer use (outside every field, so the buffer stays valid text).
    fn unescape(&mut self, fields: &mut [[u32; 2]]) {
        for &k in &self.quoted {
            let [start, stop] = fields[k];
            let (start, stop) = (start as usize, stop as usize);
            let b = &mut self.buf[start..stop];
            let (mut w, mut r) = (0usize, 1usize);
            let mut inside = true;
            while r < b.len() {
                let c = b[r];
                if inside && c == b'"' {
                    if r + 1 < b.len() && b[r + 1] == b'"' {
                        b[w] = b'"';
                        w += 1;
                        r += 2;
                    } else {
                        inside = false;
                        r += 1;
                    }
                    continue;
                }
                b[w] = c;
                w += 1;
                r += 1;
            }
            b[w..].fill(b' ');
            fields[k] = [start as u32, (start + w) as u32];
        }
    }
}

/// Line breaks as an editor counts them ("\r\n" is one) in a quoted field's bytes.
fn count_breaks(bytes: &[u8]) -> u64 {
    let mut n = 0;
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if bytes[i] == b'\r' || i == 0 || bytes[i - 1] != b'\r' {
            n += 1;
        }
    }
    n
}

/// Bit i set where byte i is the delimiter, "\n" or "\r".
#[cfg(target_arch = "x86_64")]
fn block_mask(block: &[u8; 64], delimiter: u8) -> u64 {
    use std::arch::x86_64::*;
    // SAFETY: SSE2 is part of every x86_64 target; the loads read the 64 bytes of `block`.
    unsafe {
        let (d, n, r) = (_mm_set1_epi8(delimiter as i8), _mm_set1_epi8(b'\n' as i8), _mm_set1_epi8(b'\r' as i8));
        let mut mask = 0u64;
        for k in 0..4 {
            let v = _mm_loadu_si128(block.as_ptr().add(16 * k) as *const __m128i);
            let hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, d), _mm_cmpeq_epi8(v, n)), _mm_cmpeq_epi8(v, r));
            mask |= (_mm_movemask_epi8(hit) as u32 as u64) << (16 * k);
        }
        mask
    }
}

#[cfg(not(target_arch = "x86_64"))]
fn block_mask(block: &[u8; 64], delimiter: u8) -> u64 {
    block.iter().enumerate().filter(|(_, b)| **b == delimiter || **b == b'\n' || **b == b'\r').fold(0u64, |m, (i, _)| m | 1 << i)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out its bytes a few at a time, so that records and quotes straddle every read.
    struct Trickle {
        bytes: Vec<u8>,
        at: usize,
        seed: u64,
    }

    impl Read for Trickle {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.seed = self.seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let n = ((self.seed >> 33) as usize % 97 + 1).min(buf.len()).min(self.bytes.len() - self.at);
            buf[..n].copy_from_slice(&self.bytes[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    /// Records as lists of cells' bytes.
    type Records = Vec<Vec<Vec<u8>>>;

    fn csv_crate(bytes: &[u8], delimiter: u8) -> Records {
        let mut r = csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(bytes);
        r.byte_records().map(|rec| rec.unwrap().iter().map(|f| f.to_vec()).collect()).collect()
    }

    /// Both ways of reading: a row at a time, and in chunks of a few rows.
    fn ours(bytes: &[u8], delimiter: u8, seed: u64) -> (Records, Records) {
        let source = || Box::new(Trickle { bytes: bytes.to_vec(), at: 0, seed }) as Box<dyn Read + Send>;
        let reader = || RecordReader { read: 1 + seed as usize % 7, ..RecordReader::new(source(), Vec::new(), delimiter) };
        let mut by_row = Vec::new();
        let mut r = reader();
        let mut fields = Vec::new();
        while let Some((_, text)) = r.next_fields(&mut fields).ok().unwrap() {
            by_row.push(fields.iter().map(|&[a, b]| text[a as usize..b as usize].to_vec()).collect());
        }
        let mut by_chunk = Vec::new();
        let mut r = reader();
        while let Some(c) = r.next_chunk(1 + seed as usize % 5, 1 << 20).ok().unwrap() {
            let mut k = 0;
            for &(_, n) in &c.rows {
                by_chunk.push(c.fields[k..k + n as usize].iter().map(|&[a, b]| c.text[a as usize..b as usize].to_vec()).collect());
                k += n as usize;
            }
        }
        (by_row, by_chunk)
    }

    #[test]
    fn same_records_as_the_csv_crate() {
        let alphabet: [&[u8]; 10] = [b"a", b"b", b",", b";", b"\"", b"\"", b"\n", b"\r", b" ", "中".as_bytes()];
        let mut seed = 7u64;
        let mut next = |n: u64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        for case in 0..5_000u64 {
            let len = next(if case % 4 == 0 { 400 } else { 40 });
            let bytes: Vec<u8> = (0..len).flat_map(|_| alphabet[next(alphabet.len() as u64) as usize].iter().copied()).collect();
            let delimiter = if case % 2 == 0 { b',' } else { b';' };
            let expected = csv_crate(&bytes, delimiter);
            let (by_row, by_chunk) = ours(&bytes, delimiter, case);
            assert_eq!(by_row, expected, "row by row, input {:?}", String::from_utf8_lossy(&bytes));
            assert_eq!(by_chunk, expected, "in chunks, input {:?}", String::from_utf8_lossy(&bytes));
        }
    }

    #[test]
    fn records_longer_than_a_read_and_lines_of_every_kind() {
        let long = "长".repeat(100_000);
        let text = format!("a,\"{long}\"\"x\"\r\n\r\n\"q\r\nr\",{long}\rlast,\"open\n{long}");
        let expected = csv_crate(text.as_bytes(), b',');
        assert_eq!(ours(text.as_bytes(), b',', 3).0, expected);
        let mut r = RecordReader::new(Box::new(io::Cursor::new(text.into_bytes())), Vec::new(), b',');
        let mut fields = Vec::new();
        let mut lines = Vec::new();
        while let Some((line, _)) = r.next_fields(&mut fields).ok().unwrap() {
            lines.push(line);
        }
        // Line 2 is blank; the quoted cell of line 3 ends on line 4, whose lone "\r" ends it.
        assert_eq!(lines, [1, 3, 5]);
    }

    #[test]
    fn a_cell_over_the_limit_names_its_line_and_field() {
        let text = format!("a,b\nc,{}\n", "x".repeat(MAX_CELL_BYTES + 1));
        let mut r = RecordReader::new(Box::new(io::Cursor::new(text.into_bytes())), Vec::new(), b',');
        let mut fields = Vec::new();
        assert!(matches!(r.next_fields(&mut fields), Ok(Some((1, _)))));
        match r.next_fields(&mut fields) {
            Err(Failure::HugeCell { line: 2, field: 2, bytes }) => assert_eq!(bytes, MAX_CELL_BYTES + 1),
            _ => panic!("the 1 MiB limit was not enforced"),
        }
    }

    /// A quote never closed swallows the rest of the file into one record: past the limit the
    /// file is refused with the line where that record starts, rather than read whole.
    #[test]
    fn an_open_quote_stops_at_the_record_limit() {
        let text = format!("a,b\nc,\"{}\n", "x,y\n".repeat(10_000));
        let mut r = RecordReader { max_record: 4096, ..RecordReader::new(Box::new(io::Cursor::new(text.into_bytes())), Vec::new(), b',') };
        let mut fields = Vec::new();
        assert!(matches!(r.next_fields(&mut fields), Ok(Some((1, _)))));
        assert!(matches!(r.next_fields(&mut fields), Err(Failure::Endless(2))));
    }
}
