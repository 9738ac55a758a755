//! Row rules (contract §1 "Cell rules"): each raw row becomes a typed row or a reject with the
//! column and the reason. The first failing rule decides the reason, in column order.
use chrono::NaiveDate;

use super::caseno;
use super::cells::{self, DateError};
use super::layout::Layout;
use super::read::{Cell, RawRow};
use super::schema::{Kind, Need, Table};
use super::vocab;
use crate::warehouse::regions::{Region, Regions, Resolved};

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Str(String),
    Date(NaiveDate),
    Bool(bool),
    /// Money in fen (1/100 yuan).
    Fen(i64),
}

/// An accepted row: one value per column of `table.columns()`, then the derived case-number
/// fields for litigation.
#[derive(Debug, Clone)]
pub struct TypedRow {
    pub line: u64,
    pub values: Vec<Value>,
    /// Litigation only: (year, court code, type code, first instance).
    pub case: Option<(i32, String, String, bool)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Reject {
    pub line: u64,
    /// The header as the file writes it, with the canonical name: "立案日期 (filed_date)".
    pub column: String,
    pub reason: String,
}

pub struct Validator<'a> {
    pub layout: &'a Layout,
    pub regions: &'a Regions,
    pub today: NaiveDate,
}

pub enum Outcome {
    Accepted(TypedRow, Option<Region>),
    Rejected(Reject),
}

impl Validator<'_> {
    fn column_label(&self, ci: usize) -> String {
        let col = &self.layout.table.columns()[ci];
        match self.layout.sources[ci] {
            Some(src) => format!("{} ({})", self.layout.headers[src].trim(), col.name),
            None => format!("{} ({})", col.headers[0], col.name),
        }
    }

    pub fn check(&self, row: &RawRow) -> Outcome {
        match self.check_inner(row) {
            Ok((r, new_region)) => Outcome::Accepted(r, new_region),
            Err((column, reason)) => Outcome::Rejected(Reject { line: row.line, column, reason }),
        }
    }

    fn check_inner(&self, row: &RawRow) -> Result<(TypedRow, Option<Region>), (String, String)> {
        let table = self.layout.table;
        let width = self.layout.headers.len();
        let last_filled = row.cells.iter().rposition(|c| !c.is_empty()).map(|i| i + 1).unwrap_or(0);
        if last_filled > width {
            return Err(("-".into(), format!("row has {last_filled} fields, the header has {width}")));
        }
        if row.cells.len() < width && self.layout.sources.iter().flatten().any(|&s| s >= row.cells.len()) {
            return Err(("-".into(), format!("row has {} fields, the header has {width}", row.cells.len())));
        }
        let cols = table.columns();
        let mut values = Vec::with_capacity(cols.len());
        let mut case = None;
        let mut new_region = None;
        for (ci, col) in cols.iter().enumerate() {
            let label = || self.column_label(ci);
            let cell = self.layout.sources[ci].and_then(|s| row.cells.get(s)).unwrap_or(&Cell::Empty);
            if let Cell::Error(e) = cell {
                return Err((label(), format!("Excel error value {e}")));
            }
            if cell.is_empty() {
                if col.need == Need::Required {
                    return Err((label(), "required cell is empty".into()));
                }
                values.push(Value::Null);
                continue;
            }
            let text = cell.to_text();
            let v = match col.kind {
                Kind::Text => Value::Str(cells::text(&text).unwrap_or_default()),
                Kind::Name => Value::Str(cells::mask_person(&cells::text(&text).unwrap_or_default())),
                Kind::Key => Value::Str(cells::key(&text).unwrap_or_default()),
                Kind::CaseNo => {
                    let c = caseno::parse(&text).map_err(|e| (label(), format!("{e}: '{}'", text.trim())))?;
                    case = Some((c.year as i32, c.court.clone(), c.kind.clone(), c.is_first_instance()));
                    Value::Str(c.to_string())
                }
                Kind::Region => {
                    let code = cells::region_code(&text)
                        .ok_or_else(|| (label(), format!("region code '{}' is not 6 or 9 digits", text.trim())))?;
                    match self.regions.resolve(&code) {
                        Some(Resolved::Known(_)) => {}
                        Some(Resolved::NewTownship(r)) => new_region = Some(r),
                        None => return Err((label(), format!("region code {code} is not in the regions dimension"))),
                    }
                    Value::Str(code)
                }
                Kind::Date => {
                    let d = match cell {
                        Cell::Date(d) => cells::check_date_range(*d, self.today),
                        Cell::Number(f) => match cells::excel_serial_to_date(*f) {
                            Some(d) => cells::check_date_range(d, self.today),
                            None => Err(DateError::Unreadable),
                        },
                        _ => cells::date(&text, self.today),
                    };
                    Value::Date(d.map_err(|e| (label(), e.reason(text.trim())))?)
                }
                Kind::Bool => {
                    let b = match cell {
                        Cell::Bool(b) => Some(*b),
                        _ => cells::boolean(&text),
                    };
                    Value::Bool(
                        b.ok_or_else(|| (label(), format!("'{}' is not a yes/no value (是/否, Y/N, 1/0, true/false, √/×)", text.trim())))?,
                    )
                }
                Kind::Amount => Value::Fen(cells::amount_fen(&text, self.layout.in_wan[ci]).map_err(|e| (label(), e))?),
                Kind::Outcome => {
                    Value::Str(vocab::outcome(&text).ok_or_else(|| (label(), format!("unknown outcome '{}'", text.trim())))?.into())
                }
                Kind::Decision => {
                    Value::Str(vocab::decision(&text).ok_or_else(|| (label(), format!("unknown decision '{}'", text.trim())))?.into())
                }
                Kind::Leniency => {
                    Value::Str(vocab::leniency(&text).ok_or_else(|| (label(), format!("unknown leniency '{}'", text.trim())))?.into())
                }
            };
            values.push(v);
        }
        self.check_closing(table, &values)?;
        Ok((TypedRow { line: row.line, values, case }, new_region))
    }

    /// Outcome and closed date come together, and a case cannot close before it opens.
    fn check_closing(&self, table: Table, values: &[Value]) -> Result<(), (String, String)> {
        let idx = |name: &str| table.columns().iter().position(|c| c.name == name);
        let (Some(closed_i), Some(start_i)) = (idx("closed_date"), idx(table.start_date())) else {
            return Ok(());
        };
        let result_i = table.columns().iter().position(|c| c.need == Need::IfClosed).expect("closed tables have an outcome column");
        let closed = &values[closed_i];
        let result = &values[result_i];
        match (closed, result) {
            (Value::Null, Value::Str(r)) => {
                return Err((self.column_label(result_i), format!("{} '{r}' without a closed date", table.columns()[result_i].name)));
            }
            (Value::Date(d), Value::Null) => {
                return Err((self.column_label(result_i), format!("closed date {d} without {}", table.columns()[result_i].name)));
            }
            _ => {}
        }
        if let (Value::Date(c), Value::Date(s)) = (closed, &values[start_i])
            && c < s
        {
            return Err((self.column_label(closed_i), format!("closed date {c} is before {} {s}", table.start_date())));
        }
        Ok(())
    }
}
