//! Row rules (docs/ledgers.md "Cell rules"): each raw row becomes a typed row or a reject with the
//! column and the reason. The first failing rule decides the reason, in column order.
use std::borrow::Cow;

use chrono::NaiveDate;

use super::caseno;
use super::cells::{self, DateError};
use super::layout::Layout;
use super::peers;
use super::raw::CellRef;
use super::regions::{NameError, RegionNames};
use super::vocab;
use super::width::fold_width_screened;
use crate::schema::{Kind, Need, Table};
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
    /// The dimension's names, for a region written as a name (湖滨区, 灵宝市城关镇).
    pub names: &'a RegionNames,
    /// The office's own phrasings for the vocabulary columns.
    pub phrases: &'a vocab::Phrases,
    pub today: NaiveDate,
    /// Closed tables: the positions of the closed date, the start date and the outcome, found
    /// once per file rather than by name on every row.
    closing: Option<[usize; 3]>,
}

impl<'a> Validator<'a> {
    pub fn new(layout: &'a Layout, regions: &'a Regions, names: &'a RegionNames, phrases: &'a vocab::Phrases, today: NaiveDate) -> Self {
        let table = layout.table;
        let idx = |name: &str| table.columns().iter().position(|c| c.name == name);
        let closing = match (idx("closed_date"), idx(table.start_date())) {
            (Some(closed), Some(start)) => {
                let outcome = table.columns().iter().position(|c| c.need == Need::IfClosed).expect("closed tables have an outcome column");
                Some([closed, start, outcome])
            }
            _ => None,
        };
        Validator { layout, regions, names, phrases, today, closing }
    }
}

impl Validator<'_> {
    fn column_label(&self, ci: usize) -> String {
        let col = &self.layout.table.columns()[ci];
        match self.layout.sources[ci].or(self.layout.derived[ci].map(|(s, _)| s)) {
            Some(src) => format!("{} ({})", self.layout.headers[src].trim(), col.name),
            None => format!("{} ({})", col.headers[0], col.name),
        }
    }

    /// Checks one row. `may_fold` has bit i set when cell i may hold a character that width
    /// folding changes (`width::foldable_offsets`; all bits for rows not screened, and cells
    /// from the 65th on are always looked at). On success `values` holds one value per column
    /// of the table, in order, and `accepted` what else the row brings. `accepted` is the caller's rather than returned:
    /// moving it out of the call cost a store-to-load stall on every row.
    pub fn check<'a>(
        &self,
        line: u64,
        cells: &[CellRef<'a>],
        may_fold: u64,
        values: &mut Vec<Value<'a>>,
        accepted: &mut Accepted,
    ) -> Result<(), Reject> {
        values.clear();
        *accepted = Accepted::default();
        self.check_inner(cells, may_fold, values, accepted).map_err(|(column, reason)| Reject { line, column, reason })
    }

    fn check_inner<'a>(
        &self,
        row: &[CellRef<'a>],
        may_fold: u64,
        values: &mut Vec<Value<'a>>,
        accepted: &mut Accepted,
    ) -> Result<(), (String, String)> {
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
        for (ci, col) in cols.iter().enumerate() {
            let label = || self.column_label(ci);
            // By reference: copying the 24-byte cell made a store-to-load stall on every cell.
            let (cell, kind, src): (&CellRef<'a>, Kind, usize) = match (self.layout.sources[ci], self.layout.derived[ci]) {
                (Some(s), _) => (row.get(s).unwrap_or(&CellRef::Empty), col.kind, s),
                (None, Some((s, kind))) => (row.get(s).unwrap_or(&CellRef::Empty), kind, s),
                (None, None) => (&CellRef::Empty, col.kind, usize::MAX),
            };
            if let CellRef::Error(e) = *cell {
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
            // Width folding is skipped for a cell its row's screen cleared.
            let folds = src >= 64 || (may_fold >> src) & 1 == 1;
            let v = match kind {
                Kind::Text => Value::Str(apply(&text, |s| cells::trimmed(fold_width_screened(s, &[], folds)))),
                Kind::Name => Value::Str(apply(&text, |s| {
                    cells::trimmed(fold_width_screened(s, &[], folds)).map(|t| match t {
                        Cow::Borrowed(t) => cells::mask_person_cow(t),
                        Cow::Owned(t) => Cow::Owned(cells::mask_person(&t)),
                    })
                })),
                Kind::Key => Value::Str(apply(&text, |s| cells::trimmed(fold_width_screened(s, cells::KEY_KEEP, folds)))),
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
                    let code = apply(&text, |s| cells::region_code_of(fold_width_screened(s, &[], folds)));
                    let code = if !code.is_empty() {
                        code
                    } else if let Some(code) = code_with_its_name(&text, self.names) {
                        Cow::Owned(code)
                    } else if text.bytes().any(|b| b.is_ascii_digit()) {
                        return Err((
                            label(),
                            format!("region code '{}' is not 6 or 9 digits (nor a 12-digit statistical code)", text.trim()),
                        ));
                    } else {
                        match self.names.resolve(&text) {
                            Ok(code) => Cow::Owned(code.to_string()),
                            Err(NameError::Unknown) => {
                                return Err((
                                    label(),
                                    format!("region '{}' is neither a code nor a region name in the dimension", text.trim()),
                                ));
                            }
                            Err(NameError::Ambiguous(c)) => {
                                return Err((label(), format!("ambiguous region name '{}': could be {}", text.trim(), c.join(" or "))));
                            }
                        }
                    };
                    match self.regions.resolve(&code) {
                        Some(Resolved::Known) => {}
                        Some(Resolved::NewTownship(r)) => accepted.new_region = Some(r),
                        None => return Err((label(), format!("region code {code} is not in the regions dimension"))),
                    }
                    Value::Str(code)
                }
                Kind::Date => {
                    let latest = latest_date(table, col.name, self.today);
                    let d = match *cell {
                        CellRef::Date(d) => cells::check_date_range(d, latest),
                        CellRef::Number(f) => match cells::excel_serial_to_date(f) {
                            Some(d) => cells::check_date_range(d, latest),
                            None => Err(DateError::Unreadable),
                        },
                        _ => cells::date(&text, latest),
                    };
                    Value::Date(d.map_err(|e| (label(), e.reason(text.trim())))?)
                }
                Kind::Bool => {
                    let b = match *cell {
                        CellRef::Bool(b) => Some(b),
                        _ => cells::boolean(&text),
                    };
                    Value::Bool(b.ok_or_else(|| {
                        (label(), format!("'{}' is not a yes/no value (是/否, 已出庭/未出庭, Y/N, 1/0, √/×)", text.trim()))
                    })?)
                }
                Kind::Amount => Value::Fen(
                    cells::amount_fen_of(&fold_width_screened(&text, &[], folds), &text, self.layout.in_wan[ci])
                        .map_err(|e| (label(), e))?,
                ),
                Kind::Outcome => {
                    // Appellate and retrial case numbers carry their own outcomes (改判, 发回重审 …).
                    let vocab = match &accepted.case {
                        Some(c) if !c.first_instance => vocab::Vocab::AppealOutcome,
                        _ => vocab::Vocab::Outcome,
                    };
                    Value::Str(Cow::Borrowed(vocab::read(vocab, &text, self.phrases).map_err(|e| (label(), e.to_string()))?))
                }
                Kind::Decision => Value::Str(Cow::Borrowed(
                    vocab::read(vocab::Vocab::Decision, &text, self.phrases).map_err(|e| (label(), e.to_string()))?,
                )),
                Kind::Leniency => Value::Str(Cow::Borrowed(
                    vocab::read(vocab::Vocab::Leniency, &text, self.phrases).map_err(|e| (label(), e.to_string()))?,
                )),
                Kind::Presence => Value::Bool(match *cell {
                    CellRef::Bool(b) => b,
                    _ => cells::presence(&text),
                }),
                Kind::Action => Value::Str(Cow::Borrowed(
                    vocab::action(&text).ok_or_else(|| (label(), format!("unknown supervision action '{}'", text.trim())))?,
                )),
                Kind::Source => Value::Str(Cow::Borrowed(
                    vocab::source(&text).ok_or_else(|| (label(), format!("unknown problem source '{}'", text.trim())))?,
                )),
                Kind::CaseList => match super::supervision::case_list(&text) {
                    Some(list) => Value::Str(Cow::Owned(list)),
                    None => Value::Null,
                },
                Kind::Count if table == Table::Peers => Value::Int(
                    match *cell {
                        CellRef::Number(f) => peers::count(&format!("{f}")),
                        _ => peers::count(&text),
                    }
                    .map_err(|e| (label(), e))?,
                ),
                Kind::Count => {
                    let n = match *cell {
                        CellRef::Number(f) => super::supervision::count(&super::raw::number_text(f)),
                        _ => super::supervision::count(&text),
                    };
                    Value::Int(n.map_err(|e| (label(), e))?)
                }
                // Peers (reported figures).
                Kind::PeerRegion => Value::Str(Cow::Owned(peers::region(self.regions, &text).map_err(|e| (label(), e))?)),
                Kind::Period => {
                    let (a, b) = match *cell {
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
                Kind::Rate => {
                    let in_percent = self.layout.sources[ci]
                        .and_then(|src| cells::header(&self.layout.headers[src]).1)
                        .is_some_and(|u| u.contains('%') || u.contains('％'));
                    Value::Float(
                        match *cell {
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
        self.check_not_before_start(table, values)?;
        if table == Table::Peers {
            self.check_peer(values)?;
        }
        Ok(())
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
        let Some([closed_i, start_i, result_i]) = self.closing else {
            return Ok(());
        };
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

/// A code followed by its region's name (411202湖滨区, 411202 三门峡市湖滨区): the code, when the
/// name is that region's.
fn code_with_its_name(text: &str, names: &RegionNames) -> Option<String> {
    let folded = super::width::fold_width(text, &[]);
    let t = folded.trim();
    let digits = t.bytes().take_while(u8::is_ascii_digit).count();
    let code = cells::region_code(&t[..digits])?;
    let rest = t[digits..].trim().trim_matches(['(', ')', '（', '）', '-', '—', ' ']);
    (!rest.is_empty() && names.resolve(rest).ok() == Some(code.as_str())).then_some(code)
}

impl Validator<'_> {
    /// Supervision: a rectification deadline or date cannot precede the document's issue date.
    fn check_not_before_start(&self, table: Table, values: &[Value<'_>]) -> Result<(), (String, String)> {
        if table != Table::Supervision {
            return Ok(());
        }
        let idx = |name: &str| table.columns().iter().position(|c| c.name == name).expect("a supervision column");
        let Value::Date(issued) = values[idx("issued_date")] else { return Ok(()) };
        for name in ["deadline", "rectified_date"] {
            if let Value::Date(d) = values[idx(name)]
                && d < issued
            {
                return Err((self.column_label(idx(name)), format!("{name} {d} is before issued_date {issued}")));
            }
        }
        Ok(())
    }
}

/// The latest date a column accepts: today, except a rectification deadline (整改期限), which is
/// set ahead of time — up to ten years from today, past which it is a typing error.
fn latest_date(table: Table, column: &str, today: NaiveDate) -> NaiveDate {
    if table == Table::Supervision && column == "deadline" { today + chrono::Duration::days(3653) } else { today }
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
