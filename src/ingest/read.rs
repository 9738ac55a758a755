//! Reading a ledger file into raw rows: the first (or a named) sheet of a workbook, or a CSV
//! file through the streaming reader (`stream`), whose bytes are decoded by `decode`. Rows keep
//! each one's 1-based line number as a user sees it in an editor or in Excel.
use std::path::Path;

use super::cells;
use super::stream::MAX_CELL_BYTES;
use crate::{Error, Result};

pub use super::decode::{check_binary, decode};
pub use super::raw::{Cell, CellRef, RawRow, RawTable, number_text};
pub use super::stream::read_csv_bytes;

/// The extensions of the workbooks a ledger may come in, compared without regard to case: every
/// format calamine reads — xlsx and xlsm (Office Open XML), xlsb (Excel binary), xls (Excel
/// 97–2003) and ods (OpenDocument). calamine also opens the add-in formats xla and xlam, which hold
/// no ledgers. A file with any other extension is read as CSV.
pub const WORKBOOK_EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xlsb", "xls", "ods"];

/// Whether the file is a workbook (by its extension, see [`WORKBOOK_EXTENSIONS`]).
pub fn is_workbook(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| WORKBOOK_EXTENSIONS.iter().any(|w| e.eq_ignore_ascii_case(w)))
}

pub fn read_file(path: &Path, sheet: Option<&str>) -> Result<RawTable> {
    let display = path.display().to_string();
    if is_workbook(path) {
        read_workbook(path, &display, sheet)
    } else {
        let bytes = read_bytes(path)?;
        read_csv_bytes(&bytes, &display)
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
