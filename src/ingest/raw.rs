//! A ledger's rows as read, before validation: each cell as the file holds it (typed in a
//! workbook, text in a CSV) and each row's 1-based line as a user sees it in an editor or in
//! Excel. Shared by the workbook reader (`read`) and the streaming CSV reader (`stream`).
use chrono::NaiveDate;

use super::width;

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

    /// Asked of every cell of every row, often twice: inlined, with the walk of a cell that does
    /// not start with a solid character kept out of line.
    #[inline]
    pub fn is_empty(&self) -> bool {
        match self {
            CellRef::Empty => true,
            // A cell that starts with a solid character is not blank: it need not be walked.
            CellRef::Text(s) => !s.as_bytes().first().is_some_and(|&b| width::solid_lead(b)) && is_blank(s),
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

/// Only whitespace and invisible characters (or nothing).
#[inline(never)]
fn is_blank(s: &str) -> bool {
    s.chars().all(|c| c.is_whitespace() || width::is_invisible(c))
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
