//! Query results in memory: the column names and rows of a result set, each cell a `Value`
//! (integers, floats, money as its exact decimal text, booleans, text, null). Every command and
//! report reads engine results through this one type; `output` prints it.
use arrow::array::{Array, AsArray, RecordBatch};
use arrow::datatypes::{
    DataType, Date32Type, Float32Type, Float64Type, Int8Type, Int16Type, Int32Type, Int64Type, SchemaRef, UInt32Type, UInt64Type,
};
use arrow::util::display::{ArrayFormatter, FormatOptions};

use crate::Result;

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
        DataType::Date32 => prim!(Date32Type, |v| Value::Text(crate::schema::days_to_date(v).to_string())),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_at_full_precision() {
        assert_eq!(Value::Float(1.0 / 3.0).plain(), "0.3333333333333333");
        assert_eq!(Value::Float(0.0000001).plain(), "0.0000001");
    }
}
