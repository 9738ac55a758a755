//! Row rules (contract §1 "Cell rules"): each raw row becomes a typed row or a reject with the
//! column and the reason. The first failing rule decides the reason, in column order.
use std::borrow::Cow;

use chrono::NaiveDate;

use super::caseno;
use super::cells::{self, DateError};
use super::layout::Layout;
use super::peers;
use super::read::CellRef;
use super::schema::{Kind, Need, Table};
use super::vocab;
use crate::warehouse::regions::{Region, Regions, Resolved};

/// A typed cell of an accepted row. Text borrows from the ledger's buffer unless a rule changed it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Str(Cow<'a, str>),
    Date(NaiveDate),
    Bool(bool),
    /// Money in fen (1/100 yuan).
    Fen(i64),
    /// Peers: a count.
    Int(i64),
    /// Peers: a rate as a decimal.
    Float(f64),
}

/// Litigation only: the fields derived from the case number.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseFields {
    pub year: i32,
    pub court: String,
    pub kind: String,
    pub first_instance: bool,
}

/// What an accepted row brings besides its values.
#[derive(Debug, Default)]
pub struct Accepted {
    pub case: Option<CaseFields>,
    /// A 9-digit township code under a known county, first seen in this row.
    pub new_region: Option<Region>,
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

impl Validator<'_> {
    fn column_label(&self, ci: usize) -> String {
        let col = &self.layout.table.columns()[ci];
        match self.layout.sources[ci] {
            Some(src) => format!("{} ({})", self.layout.headers[src].trim(), col.name),
            None => format!("{} ({})", col.headers[0], col.name),
        }
    }

    /// Checks one row. On success `values` holds one value per column of the table, in order.
    pub fn check<'a>(&self, line: u64, cells: &[CellRef<'a>], values: &mut Vec<Value<'a>>) -> Result<Accepted, Reject> {
        values.clear();
        self.check_inner(cells, values).map_err(|(column, reason)| Reject { line, column, reason })
    }

    fn check_inner<'a>(&self, row: &[CellRef<'a>], values: &mut Vec<Value<'a>>) -> Result<Accepted, (String, String)> {
        let table = self.layout.table;
        let width = self.layout.headers.len();
        let last_filled = row.iter().rposition(|c| !c.is_empty()).map(|i| i + 1).unwrap_or(0);
        if last_filled > width {
            return Err(("-".into(), format!("row has {last_filled} fields, the header has {width}")));
        }
        if row.len() < width && self.layout.sources.iter().flatten().any(|&s| s >= row.len()) {
            return Err(("-".into(), format!("row has {} fields, the header has {width}", row.len())));
        }
        let cols = table.columns();
        let mut accepted = Accepted::default();
        for (ci, col) in cols.iter().enumerate() {
            let label = || self.column_label(ci);
            let cell = self.layout.sources[ci].and_then(|s| row.get(s).copied()).unwrap_or(CellRef::Empty);
            if let CellRef::Error(e) = cell {
                return Err((label(), format!("Excel error value {e}")));
            }
            if cell.is_empty() {
                if col.need == Need::Required {
                    return Err((label(), "required cell is empty".into()));
                }
                values.push(Value::Null);
                continue;
            }
            let text = cell.text();
            let v = match col.kind {
                Kind::Text => Value::Str(apply(&text, cells::text_cow)),
                Kind::Name => Value::Str(Cow::Owned(cells::mask_person(&cells::text_cow(&text).unwrap_or_default()))),
                Kind::Key => Value::Str(apply(&text, cells::key_cow)),
                Kind::CaseNo => {
                    let c = caseno::parse(&text).map_err(|e| (label(), format!("{e}: '{}'", text.trim())))?;
                    accepted.case = Some(CaseFields {
                        year: c.year as i32,
                        court: c.court.clone(),
                        kind: c.kind.clone(),
                        first_instance: c.is_first_instance(),
                    });
                    Value::Str(Cow::Owned(c.to_string()))
                }
                Kind::Region => {
                    let code = apply(&text, cells::region_code_cow);
                    if code.is_empty() {
                        return Err((label(), format!("region code '{}' is not 6 or 9 digits", text.trim())));
                    }
                    match self.regions.resolve(&code) {
                        Some(Resolved::Known(_)) => {}
                        Some(Resolved::NewTownship(r)) => accepted.new_region = Some(r),
                        None => return Err((label(), format!("region code {code} is not in the regions dimension"))),
                    }
                    Value::Str(code)
                }
                Kind::Date => {
                    let d = match cell {
                        CellRef::Date(d) => cells::check_date_range(d, self.today),
                        CellRef::Number(f) => match cells::excel_serial_to_date(f) {
                            Some(d) => cells::check_date_range(d, self.today),
                            None => Err(DateError::Unreadable),
                        },
                        _ => cells::date(&text, self.today),
                    };
                    Value::Date(d.map_err(|e| (label(), e.reason(text.trim())))?)
                }
                Kind::Bool => {
                    let b = match cell {
                        CellRef::Bool(b) => Some(b),
                        _ => cells::boolean(&text),
                    };
                    Value::Bool(
                        b.ok_or_else(|| (label(), format!("'{}' is not a yes/no value (是/否, Y/N, 1/0, true/false, √/×)", text.trim())))?,
                    )
                }
                Kind::Amount => Value::Fen(cells::amount_fen(&text, self.layout.in_wan[ci]).map_err(|e| (label(), e))?),
                Kind::Outcome => {
                    Value::Str(Cow::Borrowed(vocab::outcome(&text).ok_or_else(|| (label(), format!("unknown outcome '{}'", text.trim())))?))
                }
                Kind::Decision => Value::Str(Cow::Borrowed(
                    vocab::decision(&text).ok_or_else(|| (label(), format!("unknown decision '{}'", text.trim())))?,
                )),
                Kind::Leniency => Value::Str(Cow::Borrowed(
                    vocab::leniency(&text).ok_or_else(|| (label(), format!("unknown leniency '{}'", text.trim())))?,
                )),
                // Peers (reported figures).
                Kind::PeerRegion => Value::Str(Cow::Owned(peers::region(self.regions, &text).map_err(|e| (label(), e))?)),
                Kind::Period => {
                    let (a, b) = match cell {
                        CellRef::Number(f) if f.fract() == 0.0 => peers::period(&format!("{f}")),
                        _ => peers::period(&text),
                    }
                    .ok_or_else(|| {
                        (
                            label(),
                            format!("'{}' is not a period (2024, 2024H1, 2024年上半年, 2024年1-6月, 2024-01-01..2024-06-30)", text.trim()),
                        )
                    })?;
                    Value::Str(Cow::Owned(peers::span_text(a, b)))
                }
                Kind::Count => Value::Int(
                    match cell {
                        CellRef::Number(f) => peers::count(&format!("{f}")),
                        _ => peers::count(&text),
                    }
                    .map_err(|e| (label(), e))?,
                ),
                Kind::Rate => {
                    let in_percent = self.layout.sources[ci]
                        .and_then(|src| cells::header(&self.layout.headers[src]).1)
                        .is_some_and(|u| u.contains('%') || u.contains('％'));
                    Value::Float(
                        match cell {
                            CellRef::Number(f) => peers::rate(&format!("{f}"), in_percent),
                            _ => peers::rate(&text, in_percent),
                        }
                        .map_err(|e| (label(), e))?,
                    )
                }
            };
            values.push(v);
        }
        self.check_closing(table, values)?;
        if table == Table::Peers {
            self.check_peer(values)?;
        }
        Ok(accepted)
    }

    /// Peers: a rate against its counts, and no more losses than concluded cases.
    fn check_peer(&self, values: &[Value<'_>]) -> Result<(), (String, String)> {
        let idx = |name: &str| Table::Peers.columns().iter().position(|c| c.name == name).expect("peers column");
        let int = |name: &str| if let Value::Int(i) = values[idx(name)] { Some(i) } else { None };
        let float = |name: &str| if let Value::Float(f) = values[idx(name)] { Some(f) } else { None };
        super::peers::check_row(
            int("concluded"),
            int("lost"),
            float("loss_rate"),
            int("hearings"),
            int("appeared"),
            float("appearance_rate"),
        )
        .map_err(|(col, reason)| (self.column_label(idx(col)), reason))
    }

    /// Outcome and closed date come together, and a case cannot close before it opens.
    fn check_closing(&self, table: Table, values: &[Value<'_>]) -> Result<(), (String, String)> {
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

/// Applies a text rule to a cell's text so that the result still borrows from the ledger when the
/// cell was borrowed and the rule changed nothing (no copy per cell on the hot path).
fn apply<'a>(text: &Cow<'a, str>, rule: impl for<'b> Fn(&'b str) -> Option<Cow<'b, str>>) -> Cow<'a, str> {
    let out = match text {
        Cow::Borrowed(s) => rule(s),
        Cow::Owned(s) => rule(s).map(|c| Cow::Owned(c.into_owned())),
    };
    out.unwrap_or_default()
}
