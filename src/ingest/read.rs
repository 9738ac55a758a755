//! Reading a ledger file into raw rows: encoding detection for CSV (UTF-8, UTF-8 with BOM,
//! GBK/GB18030), the first (or a named) sheet of a workbook, the header row, and each row's
//! 1-based line number as a user sees it in an editor or in Excel.
use std::path::Path;

use chrono::NaiveDate;

use super::{cells, stream};
use crate::{Error, Result};

/// One cell as the file holds it. Workbooks keep types; CSV cells are all text.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Date(NaiveDate),
    Bool(bool),
    /// An Excel error value such as #N/A or #REF!.
    Error(String),
}

impl Cell {
    /// Empty, or only what `cells::text` would fold or drop away (checked without allocating).
    pub fn is_empty(&self) -> bool {
        CellRef::of(self).is_empty()
    }

    /// The cell as text, for text columns and for the rejects file.
    pub fn to_text(&self) -> String {
        CellRef::of(self).text().into_owned()
    }
}

/// A borrowed view of a cell: a CSV field straight from the reader's buffer, or a workbook cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CellRef<'a> {
    Empty,
    Text(&'a str),
    Number(f64),
    Date(NaiveDate),
    Bool(bool),
    Error(&'a str),
}

impl<'a> CellRef<'a> {
    pub fn of(cell: &'a Cell) -> CellRef<'a> {
        match cell {
            Cell::Empty => CellRef::Empty,
            Cell::Text(s) => CellRef::Text(s),
            Cell::Number(f) => CellRef::Number(*f),
            Cell::Date(d) => CellRef::Date(*d),
            Cell::Bool(b) => CellRef::Bool(*b),
            Cell::Error(e) => CellRef::Error(e),
        }
    }

    /// A CSV field: the empty string is an empty cell.
    pub fn field(s: &'a str) -> CellRef<'a> {
        if s.is_empty() { CellRef::Empty } else { CellRef::Text(s) }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            CellRef::Empty => true,
            CellRef::Text(s) => s.chars().all(|c| c.is_whitespace() || cells::is_invisible(c)),
            _ => false,
        }
    }

    /// The cell as text; borrowed for text cells.
    pub fn text(&self) -> std::borrow::Cow<'a, str> {
        use std::borrow::Cow;
        match *self {
            CellRef::Empty => Cow::Borrowed(""),
            CellRef::Text(s) | CellRef::Error(s) => Cow::Borrowed(s),
            CellRef::Number(f) => Cow::Owned(number_text(f)),
            CellRef::Date(d) => Cow::Owned(d.format("%Y-%m-%d").to_string()),
            CellRef::Bool(b) => Cow::Borrowed(if b { "TRUE" } else { "FALSE" }),
        }
    }
}

/// A number from a workbook cell as text: whole numbers without ".0" (411600.0 → 411600).
pub fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 { format!("{}", f as i64) } else { format!("{f}") }
}

#[derive(Debug, Clone)]
pub struct RawRow {
    pub line: u64,
    pub cells: Vec<Cell>,
}

#[derive(Debug)]
pub struct RawTable {
    /// How the file was read, for the manifest: "csv utf-8", "csv gb18030", "xlsx sheet 台账".
    pub format: String,
    /// Every record before the first data row, header included (title rows above the header are
    /// kept so that layout detection can skip them).
    pub records: Vec<RawRow>,
}

use stream::MAX_CELL_BYTES;

pub fn read_file(path: &Path, sheet: Option<&str>) -> Result<RawTable> {
    let display = path.display().to_string();
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => read_workbook(path, &display, sheet),
        _ => {
            let bytes = read_bytes(path)?;
            read_csv_bytes(&bytes, &display)
        }
    }
}

/// A ledger's bytes; a missing file or a folder is a bad input file like any other (exit 3).
pub fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    let file = path.display().to_string();
    if path.is_dir() {
        return Err(Error::bad_file(file, 1, "-", "this is a folder, not a ledger file"));
    }
    std::fs::read(path).map_err(|e| Error::bad_file(file, 1, "-", format!("cannot read the file: {e}")))
}

/// Decodes CSV bytes: a UTF-8 BOM, else valid UTF-8, else GB18030 (a superset of GBK).
pub fn decode(bytes: &[u8], file: &str) -> Result<(String, &'static str)> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match std::str::from_utf8(rest) {
            Ok(s) => Ok((s.to_string(), "utf-8 (BOM)")),
            Err(e) => Err(encoding_error(rest, e.valid_up_to(), file, "the file starts with a UTF-8 BOM but is not UTF-8")),
        };
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let (s, _, bad) = if bytes[0] == 0xFF { encoding_rs::UTF_16LE.decode(bytes) } else { encoding_rs::UTF_16BE.decode(bytes) };
        if !bad {
            return Ok((s.trim_start_matches('\u{FEFF}').to_string(), "utf-16"));
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((s.to_string(), "utf-8")),
        Err(e) => {
            // Chinese text in GBK is practically never valid UTF-8 for a whole line (a GBK pair
            // may pass as a two-byte UTF-8 sequence, a run of three-byte CJK sequences does not).
            // A file with UTF-8 Chinese lines and lines that are not UTF-8 mixes encodings, and
            // no single decoding is right.
            if bytes.split(|b| *b == b'\n').any(|line| std::str::from_utf8(line).is_ok_and(|l| l.chars().any(|c| c as u32 >= 0x800))) {
                return Err(encoding_error(bytes, e.valid_up_to(), file, "mixed encodings: lines in UTF-8 and lines that are not UTF-8"));
            }
            let (s, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            if had_errors {
                let pos = first_gb18030_error(bytes).unwrap_or(e.valid_up_to());
                return Err(encoding_error(bytes, pos, file, "text is neither UTF-8 nor GBK/GB18030"));
            }
            Ok((s.into_owned(), "gb18030"))
        }
    }
}

fn first_gb18030_error(bytes: &[u8]) -> Option<usize> {
    let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(bytes.len() * 2);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    match result {
        encoding_rs::DecoderResult::Malformed(bad, _) => Some(read.saturating_sub(bad as usize)),
        _ => None,
    }
}

fn encoding_error(bytes: &[u8], pos: usize, file: &str, what: &str) -> Error {
    let before = &bytes[..pos.min(bytes.len())];
    let line = before.iter().filter(|b| **b == b'\n').count() as u64 + 1;
    let line_start = before.iter().rposition(|b| *b == b'\n').map(|p| p + 1).unwrap_or(0);
    let column = before[line_start..].iter().filter(|b| **b == b',').count() + 1;
    Error::bad_file(file, line, format!("field {column}"), format!("{what} (byte {pos})"))
}

/// A NUL byte means binary data, not CSV text (UTF-16 files have a byte-order mark and are
/// exempt): one line naming where.
pub fn check_binary(bytes: &[u8], file: &str) -> Result<()> {
    let head = &bytes[..bytes.len().min(8192)];
    let utf16 = head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF");
    if !utf16 && let Some(pos) = memchr::memchr(0, bytes) {
        // A NUL near the start means the whole file is binary (line 1); later, it names its line.
        let line = if pos < 8192 { 1 } else { bytes[..pos].iter().filter(|b| **b == b'\n').count() as u64 + 1 };
        let hint = if pos < 2 || bytes.len() > 1 && (bytes[1] == 0 || bytes[0] == 0) {
            " (UTF-16 without a byte-order mark? save it as UTF-8)"
        } else {
            ""
        };
        return Err(Error::bad_file(file, line, "-", format!("binary data (a NUL byte at byte {pos}), not a CSV text file{hint}")));
    }
    Ok(())
}

/// A whole CSV file in memory as raw rows, through the same streaming reader ingest uses.
pub fn read_csv_bytes(bytes: &[u8], file: &str) -> Result<RawTable> {
    let encoding = stream::scan_bytes(bytes, file)?;
    stream::CsvRecords::from_bytes(bytes.to_vec(), file, encoding)?.collect()
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").to_string()
}

fn read_workbook(path: &Path, file: &str, sheet: Option<&str>) -> Result<RawTable> {
    use calamine::Reader;
    let mut wb = open_workbook(path, file)?;
    let names = wb.sheet_names().to_vec();
    let name = match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.as_str() == s)
            .cloned()
            .ok_or_else(|| Error::bad_file(file, 1, "-", format!("no sheet named '{s}' (sheets: {})", names.join(", "))))?,
        None => names.first().cloned().ok_or_else(|| Error::bad_file(file, 1, "-", "the workbook has no sheets"))?,
    };
    read_sheet(&mut wb, file, &name)
}

/// Every sheet of a workbook, in order, each read or with the error that stops it (offices keep
/// one sheet per county beside a 填表说明 sheet).
pub fn read_workbook_sheets(path: &Path) -> Result<Vec<(String, Result<RawTable>)>> {
    use calamine::Reader;
    let file = path.display().to_string();
    let mut wb = open_workbook(path, &file)?;
    let names = wb.sheet_names().to_vec();
    if names.is_empty() {
        return Err(Error::bad_file(&file, 1, "-", "the workbook has no sheets"));
    }
    Ok(names.into_iter().map(|n| (n.clone(), read_sheet(&mut wb, &file, &n))).collect())
}

type Workbook = calamine::Sheets<std::io::BufReader<std::fs::File>>;

fn open_workbook(path: &Path, file: &str) -> Result<Workbook> {
    calamine::open_workbook_auto(path)
        .map_err(|e| Error::bad_file(file, 1, "-", format!("workbook cannot be opened: {}", first_line(&e.to_string()))))
}

fn read_sheet(wb: &mut Workbook, file: &str, name: &str) -> Result<RawTable> {
    use calamine::{Data, Reader};
    let name = name.to_string();
    let range = wb
        .worksheet_range(&name)
        .map_err(|e| Error::bad_file(file, 1, "-", format!("sheet '{name}' cannot be read: {}", first_line(&e.to_string()))))?;
    // Merged cells (a 被告 merged over the rows of one agency's cases) hold their value in the
    // top-left cell only; every cell of the region carries it, as the sheet shows it.
    let merged = match wb {
        calamine::Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(&name).unwrap_or_default(),
        _ => Vec::new(),
    };
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let mut records = Vec::new();
    for (i, row) in range.rows().enumerate() {
        // Rows keep their sheet numbers; leading empty columns are kept as empty cells so that
        // a header in column C still lines up with its data.
        let mut cells: Vec<Cell> = (0..col0).map(|_| Cell::Empty).collect();
        for d in row {
            cells.push(match d {
                Data::Empty => Cell::Empty,
                Data::String(s) => {
                    if s.len() > MAX_CELL_BYTES {
                        return Err(Error::bad_file(file, row0 as u64 + i as u64 + 1, "-", "cell exceeds the 1 MiB limit"));
                    }
                    if s.is_empty() { Cell::Empty } else { Cell::Text(s.clone()) }
                }
                Data::Float(f) => Cell::Number(*f),
                Data::Int(n) => Cell::Number(*n as f64),
                Data::Bool(b) => Cell::Bool(*b),
                Data::DateTime(dt) => match cells::excel_serial_to_date(dt.as_f64()) {
                    Some(d) => Cell::Date(d),
                    None => Cell::Text(format!("{}", dt.as_f64())),
                },
                Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
                Data::Error(e) => Cell::Error(e.to_string()),
            });
        }
        records.push(RawRow { line: row0 as u64 + i as u64 + 1, cells });
    }
    fill_merged(&mut records, row0 as usize, &merged);
    Ok(RawTable { format: format!("xlsx sheet {name}"), records })
}

/// Copies each merged region's top-left value into its other cells that are empty.
fn fill_merged(records: &mut [RawRow], row0: usize, merged: &[calamine::Dimensions]) {
    for m in merged {
        let ((r1, c1), (r2, c2)) = (m.start, m.end);
        let (r1, c1, r2, c2) = (r1 as usize, c1 as usize, r2 as usize, c2 as usize);
        let Some(value) = r1.checked_sub(row0).and_then(|i| records.get(i)).and_then(|r| r.cells.get(c1)).cloned() else { continue };
        if matches!(value, Cell::Empty) {
            continue;
        }
        for r in r1..=r2 {
            let Some(rec) = r.checked_sub(row0).and_then(|i| records.get_mut(i)) else { continue };
            if rec.cells.len() <= c2 {
                rec.cells.resize(c2 + 1, Cell::Empty);
            }
            for c in c1..=c2 {
                if (r, c) != (r1, c1) && matches!(rec.cells[c], Cell::Empty) {
                    rec.cells[c] = value.clone();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_three_encodings() {
        let text = "案号,被告\n（2024）豫1202行初1号,三门峡市自然资源局\n";
        let (s, enc) = decode(text.as_bytes(), "f").unwrap();
        assert_eq!((s.as_str(), enc), (text, "utf-8"));
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(text.as_bytes());
        assert_eq!(decode(&bom, "f").unwrap().1, "utf-8 (BOM)");
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        let (s, enc) = decode(&gbk, "f").unwrap();
        assert_eq!((s.as_str(), enc), (text, "gb18030"));
    }

    #[test]
    fn mixed_encoding_is_one_clear_error() {
        let mut bytes = "案号,被告\n".as_bytes().to_vec();
        let (gbk, _, _) = encoding_rs::GBK.encode("（2024）豫1202行初1号,三门峡市");
        bytes.extend_from_slice(&gbk);
        let err = decode(&bytes, "x.csv").unwrap_err().to_string();
        assert!(err.starts_with("x.csv: line 2, column field 1: mixed encodings"), "{err}");
        // GBK whose first character happens to be a valid two-byte UTF-8 sequence is still GBK.
        let (gbk, _, _) = encoding_rs::GBK.encode("郑州市,豫\n原告,执法机关\n");
        assert_eq!(decode(&gbk, "f").unwrap().1, "gb18030");
    }

    #[test]
    fn csv_lines_count_from_the_header() {
        let t = read_csv_bytes("a,b\n1,2\n\"x\ny\",3\n4,5\n".as_bytes(), "f").unwrap();
        let lines: Vec<u64> = t.records.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![1, 2, 3, 5]);
        let t = read_csv_bytes(b"a,b\r\n1,2\r\n\r\n3,4\r\n", "f").unwrap();
        let lines: Vec<u64> = t.records.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![1, 2, 4]);
    }

    #[test]
    fn binary_and_empty_files_are_refused() {
        assert!(read_csv_bytes(b"", "f").unwrap_err().to_string().contains("empty"));
        assert!(read_csv_bytes(b"\x00\x01\x02abc", "f").unwrap_err().to_string().contains("binary"));
    }
}
