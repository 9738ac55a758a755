//! Stage 4 (text outputs): query results as a terminal table, CSV or JSON, with the documented
//! formats — rates as plain decimals at full precision, money with two decimals, booleans
//! `true`/`false`, null as empty — and text cells neutralised against formula injection.

use std::io::Write;

pub use crate::engine::rows::{Rows, Value};
use crate::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
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
    cw.flush().map_err(Error::Output)?;
    Ok(())
}

fn csv_err(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::Output(io),
        other => Error::Other(format!("writing CSV: {other:?}")),
    }
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
    serde_json::to_writer_pretty(&mut *w, &list).map_err(|e| Error::Output(e.into()))?;
    writeln!(w).map_err(Error::Output)?;
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
        Format::Table => writeln!(w, "{}", render_table(rows, style)).map_err(Error::Output),
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
}
