//! Writing ledger rows the way offices send them: CSV in UTF-8, UTF-8 with BOM or GBK (streamed row
//! by row), or an .xlsx sheet (held in memory by rust_xlsxwriter, so only for small tables).
//!
//! A generator fills one [`V`] per canonical column; a [`Layout`] orders and names the file's
//! columns (with extra columns such as 序号 and 备注) and a [`Style`] decides, cell by cell, how a
//! date or a yes/no is spelled in that file.
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet};

use super::pick;
use crate::{Error, Result};

/// One logical cell value, before the file's style spells it.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum V {
    Empty,
    Text(String),
    /// A region code: text, or a numeric cell in some xlsx rows.
    Code(String),
    Date(NaiveDate),
    /// A date that does not exist (2023-02-29), spelled in the file's date style.
    BadDate(i32, u32, u32),
    Bool(bool),
}

impl V {
    pub fn text(s: impl Into<String>) -> V {
        V::Text(s.into())
    }
    pub fn opt_date(d: Option<NaiveDate>) -> V {
        d.map_or(V::Empty, V::Date)
    }
    pub fn opt_bool(b: Option<bool>) -> V {
        b.map_or(V::Empty, V::Bool)
    }
}

/// How a date is written.
#[derive(Debug, Clone, Copy)]
pub(super) enum DateFmt {
    Iso,
    Slash,
    Dot,
    Cn,
    Compact,
    /// xlsx date cell; the number picks the display format (0 yyyy-mm-dd, 1 yyyy/m/d, 2 yyyy年m月d日).
    Cell(u8),
    /// xlsx bare serial number (days since 1899-12-30) without a date format.
    Serial,
}

/// How a yes/no is written.
#[derive(Debug, Clone, Copy)]
pub(super) enum BoolFmt {
    ShiFou,
    Yn,
    OneZero,
    Check,
    TrueFalse,
}

pub(super) struct Style {
    pub dates: &'static [(DateFmt, u32)],
    pub bools: &'static [(BoolFmt, u32)],
    /// Share of region codes written as numeric cells (xlsx only).
    pub numeric_codes: f64,
}

/// Where a file column takes its value from.
#[derive(Debug, Clone, Copy)]
pub(super) enum Src {
    /// The canonical column with this index.
    F(usize),
    /// 序号: 1, 2, 3 …
    Seq,
    /// 备注 / 更正说明: free text, ignored by ingest.
    Remark,
}

pub(super) type Layout = &'static [(&'static str, Src)];

/// One written cell.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Cell {
    Empty,
    Text(String),
    Num(f64),
    Date(NaiveDate, u8),
}

pub(super) fn fmt_date(d: NaiveDate, f: DateFmt) -> String {
    let (y, m, dd) = (d.year(), d.month(), d.day());
    fmt_ymd(y, m, dd, f)
}

fn fmt_ymd(y: i32, m: u32, d: u32, f: DateFmt) -> String {
    match f {
        DateFmt::Iso | DateFmt::Cell(_) | DateFmt::Serial => format!("{y:04}-{m:02}-{d:02}"),
        DateFmt::Slash => format!("{y}/{m}/{d}"),
        DateFmt::Dot => format!("{y}.{m}.{d}"),
        DateFmt::Cn => format!("{y}年{m}月{d}日"),
        DateFmt::Compact => format!("{y:04}{m:02}{d:02}"),
    }
}

fn fmt_bool(b: bool, f: BoolFmt) -> &'static str {
    match (f, b) {
        (BoolFmt::ShiFou, true) => "是",
        (BoolFmt::ShiFou, false) => "否",
        (BoolFmt::Yn, true) => "Y",
        (BoolFmt::Yn, false) => "N",
        (BoolFmt::OneZero, true) => "1",
        (BoolFmt::OneZero, false) => "0",
        (BoolFmt::Check, true) => "√",
        (BoolFmt::Check, false) => "×",
        (BoolFmt::TrueFalse, true) => "true",
        (BoolFmt::TrueFalse, false) => "false",
    }
}

/// Excel serial day number (1900 date system, as Excel counts it after 1900-03-01).
fn excel_serial(d: NaiveDate) -> f64 {
    let base = NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid date");
    (d - base).num_days() as f64
}

/// Render one row: the canonical values `f` in the file's column order and spelling.
pub(super) fn render(layout: Layout, f: &[V], seq: u64, remark: &str, style: &Style, xlsx: bool, rng: &mut ChaCha8Rng) -> Vec<Cell> {
    layout
        .iter()
        .map(|(_, src)| match src {
            Src::Seq => {
                if xlsx {
                    Cell::Num(seq as f64)
                } else {
                    Cell::Text(seq.to_string())
                }
            }
            Src::Remark => {
                if remark.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(remark.to_string())
                }
            }
            Src::F(i) => render_value(&f[*i], style, xlsx, rng),
        })
        .collect()
}

fn render_value(v: &V, style: &Style, xlsx: bool, rng: &mut ChaCha8Rng) -> Cell {
    match v {
        V::Empty => Cell::Empty,
        V::Text(s) if s.is_empty() => Cell::Empty,
        V::Text(s) => Cell::Text(s.clone()),
        V::Code(s) => {
            if xlsx && style.numeric_codes > 0.0 && rng.random_bool(style.numeric_codes) {
                match s.parse::<u64>() {
                    Ok(n) => Cell::Num(n as f64),
                    Err(_) => Cell::Text(s.clone()),
                }
            } else {
                Cell::Text(s.clone())
            }
        }
        V::Date(d) => {
            let f = pick(rng, style.dates);
            match f {
                DateFmt::Cell(k) if xlsx => Cell::Date(*d, k),
                DateFmt::Serial if xlsx => Cell::Num(excel_serial(*d)),
                _ => Cell::Text(fmt_date(*d, f)),
            }
        }
        V::BadDate(y, m, d) => {
            let f = pick(rng, style.dates);
            Cell::Text(fmt_ymd(*y, *m, *d, f))
        }
        V::Bool(b) => Cell::Text(fmt_bool(*b, pick(rng, style.bools)).to_string()),
    }
}

/// Text encoding of a CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Enc {
    Utf8,
    Utf8Bom,
    Gbk,
}

/// Encodes a UTF-8 byte stream to GBK on the fly; bytes of a character split between two writes
/// wait for the rest. A character that GBK cannot hold is an error, never a silent `&#…;`.
struct GbkWriter<W: Write> {
    inner: W,
    pending: Vec<u8>,
}

impl<W: Write> Write for GbkWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let valid = match std::str::from_utf8(&self.pending) {
            Ok(s) => s.len(),
            Err(e) if e.error_len().is_some() => {
                return Err(io::Error::new(io::ErrorKind::InvalidData, "invalid UTF-8 in a sample row"));
            }
            Err(e) => e.valid_up_to(),
        };
        if valid > 0 {
            let text = std::str::from_utf8(&self.pending[..valid]).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
            let (bytes, _, had_errors) = encoding_rs::GBK.encode(text);
            if had_errors {
                return Err(io::Error::new(io::ErrorKind::InvalidData, format!("text not representable in GBK: {text}")));
            }
            self.inner.write_all(&bytes)?;
            self.pending.drain(..valid);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

pub(super) enum Sink {
    Csv { w: Box<csv::Writer<Box<dyn Write>>>, path: PathBuf },
    Xlsx { book: Box<XlsxSheet>, path: PathBuf },
}

pub(super) struct XlsxSheet {
    ws: Worksheet,
    row: u32,
    date_formats: [Format; 3],
    header: Format,
    notes: Option<(&'static str, &'static [&'static str])>,
    /// Ledger sheets already filled, when a workbook keeps one sheet per year or county.
    done: Vec<Worksheet>,
}

fn xlsx_err(path: &Path, e: rust_xlsxwriter::XlsxError) -> Error {
    Error::Other(format!("{}: xlsx: {e}", path.display()))
}

fn csv_err(path: &Path, e: csv::Error) -> Error {
    if e.is_io_error() {
        match e.into_kind() {
            csv::ErrorKind::Io(io) => Error::io(path, io),
            other => Error::Other(format!("{}: csv: {other:?}", path.display())),
        }
    } else {
        Error::Other(format!("{}: csv: {e}", path.display()))
    }
}

impl Sink {
    pub fn csv(path: PathBuf, enc: Enc) -> Result<Sink> {
        let file = File::create(&path).map_err(|e| Error::io(&path, e))?;
        let mut buf = BufWriter::with_capacity(1 << 16, file);
        if enc == Enc::Utf8Bom {
            buf.write_all(b"\xEF\xBB\xBF").map_err(|e| Error::io(&path, e))?;
        }
        let inner: Box<dyn Write> = match enc {
            Enc::Gbk => Box::new(GbkWriter { inner: buf, pending: Vec::new() }),
            _ => Box::new(buf),
        };
        let mut b = csv::WriterBuilder::new();
        if enc == Enc::Gbk {
            // GBK files come from Excel/WPS on Windows: CRLF line ends.
            b.terminator(csv::Terminator::CRLF);
        }
        Ok(Sink::Csv { w: Box::new(b.from_writer(inner)), path })
    }

    /// An xlsx file whose ledger sheet is `sheet`; `notes` adds a sheet of plain lines (填报说明)
    /// before it, as offices do, which ingest skips because it has no ledger header.
    pub fn xlsx(path: PathBuf, sheet: &str, notes: Option<(&'static str, &'static [&'static str])>) -> Result<Sink> {
        let mut ws = Worksheet::new();
        ws.set_name(sheet).map_err(|e| xlsx_err(&path, e))?;
        let date_formats = [
            Format::new().set_num_format("yyyy-mm-dd"),
            Format::new().set_num_format("yyyy/m/d"),
            Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\""),
        ];
        let header = Format::new().set_bold();
        Ok(Sink::Xlsx { book: Box::new(XlsxSheet { ws, row: 0, date_formats, header, notes, done: Vec::new() }), path })
    }

    pub fn is_xlsx(&self) -> bool {
        matches!(self, Sink::Xlsx { .. })
    }

    pub fn path(&self) -> &Path {
        match self {
            Sink::Csv { path, .. } | Sink::Xlsx { path, .. } => path,
        }
    }

    /// Starts another ledger sheet with the same headers (a workbook with one sheet per year);
    /// a CSV has one table and goes on.
    pub fn start_sheet(&mut self, name: &str, layout: Layout) -> Result<()> {
        let Sink::Xlsx { book, path } = self else { return Ok(()) };
        let mut ws = Worksheet::new();
        ws.set_name(name).map_err(|e| xlsx_err(path, e))?;
        let prev = std::mem::replace(&mut book.ws, ws);
        book.done.push(prev);
        self.header(layout)
    }

    pub fn header(&mut self, layout: Layout) -> Result<()> {
        match self {
            Sink::Csv { w, path } => w.write_record(layout.iter().map(|(h, _)| *h)).map_err(|e| csv_err(path, e)),
            Sink::Xlsx { book, path } => {
                let s = &mut **book;
                for (c, (h, _)) in layout.iter().enumerate() {
                    s.ws.write_string_with_format(0, c as u16, *h, &s.header).map_err(|e| xlsx_err(path, e))?;
                    let width = if h.contains("日期") {
                        12.0
                    } else if h.contains("案号") || h.contains("文号") {
                        24.0
                    } else {
                        14.0
                    };
                    s.ws.set_column_width(c as u16, width).map_err(|e| xlsx_err(path, e))?;
                }
                s.ws.set_freeze_panes(1, 0).map_err(|e| xlsx_err(path, e))?;
                s.row = 1;
                Ok(())
            }
        }
    }

    pub fn row(&mut self, cells: &[Cell]) -> Result<()> {
        match self {
            Sink::Csv { w, path } => {
                let texts = cells.iter().map(|c| match c {
                    Cell::Empty => String::new(),
                    Cell::Text(s) => s.clone(),
                    Cell::Num(n) => format!("{n}"),
                    Cell::Date(d, _) => fmt_date(*d, DateFmt::Iso),
                });
                w.write_record(texts).map_err(|e| csv_err(path, e))
            }
            Sink::Xlsx { book, path } => {
                let s = &mut **book;
                let r = s.row;
                for (c, cell) in cells.iter().enumerate() {
                    let c = c as u16;
                    let res = match cell {
                        Cell::Empty => continue,
                        Cell::Text(t) => s.ws.write_string(r, c, t).map(|_| ()),
                        Cell::Num(n) => s.ws.write_number(r, c, *n).map(|_| ()),
                        Cell::Date(d, k) => {
                            let dt =
                                ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).map_err(|e| xlsx_err(path, e))?;
                            let f = &s.date_formats[(*k as usize).min(2)];
                            s.ws.write_datetime_with_format(r, c, &dt, f).map(|_| ())
                        }
                    };
                    res.map_err(|e| xlsx_err(path, e))?;
                }
                s.row += 1;
                Ok(())
            }
        }
    }

    pub fn finish(self) -> Result<()> {
        match self {
            Sink::Csv { mut w, path } => {
                w.flush().map_err(|e| Error::io(&path, e))?;
                Ok(())
            }
            Sink::Xlsx { book, path } => {
                let s = *book;
                let mut wb = Workbook::new();
                // A fixed creation time keeps the file byte-for-byte reproducible.
                let created = ExcelDateTime::from_ymd(2025, 1, 6).map_err(|e| xlsx_err(&path, e))?;
                wb.set_properties(&DocProperties::new().set_creation_datetime(&created).set_author("fuyuan sample"));
                if let Some((name, lines)) = s.notes {
                    let mut notes = Worksheet::new();
                    notes.set_name(name).map_err(|e| xlsx_err(&path, e))?;
                    notes.set_column_width(0, 80.0).map_err(|e| xlsx_err(&path, e))?;
                    for (i, line) in lines.iter().enumerate() {
                        notes.write_string(i as u32, 0, *line).map_err(|e| xlsx_err(&path, e))?;
                    }
                    wb.push_worksheet(notes);
                }
                for ws in s.done {
                    wb.push_worksheet(ws);
                }
                wb.push_worksheet(s.ws);
                wb.save(&path).map_err(|e| xlsx_err(&path, e))
            }
        }
    }
}
