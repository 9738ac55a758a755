//! Stage 4 (text outputs): query results as a terminal table, CSV or JSON, with the contract's
//! formats — rates as plain decimals at full precision, money with two decimals, booleans
//! `true`/`false`, null as empty — and text cells neutralised against formula injection.
pub mod progress;
pub mod template;

use std::io::Write;

use arrow::array::{Array, AsArray, RecordBatch};
use arrow::datatypes::{
    DataType, Date32Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, SchemaRef, UInt32Type, UInt64Type,
};
use arrow::util::display::{ArrayFormatter, FormatOptions};

use crate::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Float(f64),
    /// A decimal already rendered at its scale (money: two decimals).
    Decimal(String),
    Bool(bool),
    Text(String),
}

impl Value {
    /// The CSV / plain text form.
    pub fn plain(&self) -> String {
        match self {
            Value::Null => String::new(),
            Value::Int(i) => i.to_string(),
            // Rust's shortest round-trip form: full precision, never an exponent.
            Value::Float(f) => format!("{f}"),
            Value::Decimal(d) => d.clone(),
            Value::Bool(b) => b.to_string(),
            Value::Text(s) => s.clone(),
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            Value::Decimal(d) => d.parse().ok(),
            _ => None,
        }
    }
}

/// A result set in memory: the column names and the rows.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

impl Rows {
    pub fn from_batches(schema: &SchemaRef, batches: &[RecordBatch]) -> Result<Rows> {
        let columns: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
        let mut rows = Vec::new();
        for b in batches {
            let cols: Vec<Vec<Value>> = b.columns().iter().map(|a| column_values(a.as_ref())).collect::<Result<_>>()?;
            for r in 0..b.num_rows() {
                rows.push(cols.iter().map(|c| c[r].clone()).collect());
            }
        }
        Ok(Rows { columns, rows })
    }

    pub fn index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c == name)
    }

    pub fn get(&self, row: usize, name: &str) -> &Value {
        self.index(name).map(|i| &self.rows[row][i]).unwrap_or(&Value::Null)
    }
}

fn column_values(a: &dyn Array) -> Result<Vec<Value>> {
    let n = a.len();
    let mut out = Vec::with_capacity(n);
    macro_rules! prim {
        ($t:ty, $conv:expr) => {{
            let arr = a.as_primitive::<$t>();
            for i in 0..n {
                out.push(if arr.is_null(i) { Value::Null } else { $conv(arr.value(i)) });
            }
        }};
    }
    match a.data_type() {
        DataType::Int8 => prim!(Int8Type, |v| Value::Int(v as i64)),
        DataType::Int16 => prim!(Int16Type, |v| Value::Int(v as i64)),
        DataType::Int32 => prim!(Int32Type, |v| Value::Int(v as i64)),
        DataType::Int64 => prim!(Int64Type, Value::Int),
        DataType::UInt32 => prim!(UInt32Type, |v| Value::Int(v as i64)),
        DataType::UInt64 => prim!(UInt64Type, |v| Value::Int(v as i64)),
        DataType::Float32 => prim!(Float32Type, |v| Value::Float(v as f64)),
        DataType::Float64 => prim!(Float64Type, Value::Float),
        DataType::Date32 => prim!(Date32Type, |v| Value::Text(crate::ingest::batch::days_to_date(v).to_string())),
        DataType::Boolean => {
            let arr = a.as_boolean();
            for i in 0..n {
                out.push(if arr.is_null(i) { Value::Null } else { Value::Bool(arr.value(i)) });
            }
        }
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
            let f = ArrayFormatter::try_new(a, &FormatOptions::default())?;
            for i in 0..n {
                out.push(if a.is_null(i) { Value::Null } else { Value::Text(f.value(i).to_string()) });
            }
        }
        DataType::Decimal128(..) | DataType::Decimal256(..) => {
            let f = ArrayFormatter::try_new(a, &FormatOptions::default())?;
            for i in 0..n {
                out.push(if a.is_null(i) { Value::Null } else { Value::Decimal(f.value(i).to_string()) });
            }
        }
        _ => {
            let f = ArrayFormatter::try_new(a, &FormatOptions::default())?;
            for i in 0..n {
                out.push(if a.is_null(i) { Value::Null } else { Value::Text(f.value(i).to_string()) });
            }
        }
    }
    Ok(out)
}

/// Formula injection: a text cell starting with = + - @ (or a tab / carriage return) would run
/// as a formula in Excel or WPS; a leading apostrophe keeps it text.
pub fn neutralise(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_string() }
}

pub fn write_csv(rows: &Rows, w: &mut dyn Write) -> Result<()> {
    let mut cw = csv::Writer::from_writer(w);
    cw.write_record(&rows.columns).map_err(csv_err)?;
    for r in &rows.rows {
        let rec: Vec<String> = r.iter().map(|v| if let Value::Text(s) = v { neutralise(s) } else { v.plain() }).collect();
        cw.write_record(&rec).map_err(csv_err)?;
    }
    cw.flush().map_err(|e| Error::Other(e.to_string()))?;
    Ok(())
}

fn csv_err(e: csv::Error) -> Error {
    Error::Other(format!("writing CSV: {e}"))
}

fn json_value(v: &Value) -> serde_json::Value {
    match v {
        Value::Null => serde_json::Value::Null,
        Value::Int(i) => (*i).into(),
        Value::Float(f) => serde_json::Number::from_f64(*f).map(serde_json::Value::Number).unwrap_or(serde_json::Value::Null),
        // Money keeps its exact two decimals; serde_json would turn 12.30 into 12.3.
        Value::Decimal(d) => serde_json::Value::String(d.clone()),
        Value::Bool(b) => (*b).into(),
        Value::Text(s) => s.clone().into(),
    }
}

pub fn write_json(rows: &Rows, w: &mut dyn Write) -> Result<()> {
    let list: Vec<serde_json::Value> =
        rows.rows.iter().map(|r| serde_json::Value::Object(rows.columns.iter().cloned().zip(r.iter().map(json_value)).collect())).collect();
    serde_json::to_writer_pretty(&mut *w, &list).map_err(|e| Error::Other(e.to_string()))?;
    writeln!(w).map_err(|e| Error::Other(e.to_string()))?;
    Ok(())
}

/// How a terminal table shows a column.
pub type CellStyle = fn(&str, &Value) -> String;

pub fn plain_style(_: &str, v: &Value) -> String {
    match v {
        Value::Null => "NULL".into(),
        _ => v.plain(),
    }
}

/// Metrics in a terminal: rates as percentages with two decimals, changes in 百分点.
pub fn metrics_style(column: &str, v: &Value) -> String {
    match (column, v) {
        (_, Value::Null) => String::new(),
        (c, Value::Float(f)) if c.ends_with("_rate") || c.ends_with("_rate_prev") || c == "filed_yoy" => format!("{:.2}%", f * 100.0),
        ("loss_rate_change_pp", Value::Float(f)) => format!("{f:+.2}"),
        _ => v.plain(),
    }
}

pub fn render_table(rows: &Rows, style: CellStyle) -> String {
    let mut t = comfy_table::Table::new();
    t.load_style(comfy_table::presets::UTF8_FULL_CONDENSED);
    t.set_header(rows.columns.clone());
    for r in &rows.rows {
        t.add_row(r.iter().zip(&rows.columns).map(|(v, c)| style(c, v)).collect::<Vec<_>>());
    }
    t.to_string()
}

pub fn write(rows: &Rows, format: Format, style: CellStyle, w: &mut dyn Write) -> Result<()> {
    match format {
        Format::Csv => write_csv(rows, w),
        Format::Json => write_json(rows, w),
        Format::Table => writeln!(w, "{}", render_table(rows, style)).map_err(|e| Error::Other(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_neutralises_text_but_not_numbers() {
        let rows = Rows {
            columns: vec!["a".into(), "b".into(), "c".into()],
            rows: vec![
                vec![Value::Text("=1+1".into()), Value::Int(-5), Value::Float(-0.25)],
                vec![Value::Text("@x".into()), Value::Null, Value::Bool(true)],
            ],
        };
        let mut out = Vec::new();
        write_csv(&rows, &mut out).unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), "a,b,c\n'=1+1,-5,-0.25\n'@x,,true\n");
    }

    #[test]
    fn floats_print_at_full_precision() {
        assert_eq!(Value::Float(1.0 / 3.0).plain(), "0.3333333333333333");
        assert_eq!(Value::Float(0.0000001).plain(), "0.0000001");
    }
}
