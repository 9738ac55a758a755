//! Typed rows → Arrow record batches in the warehouse schema: the documented columns in order,
//! then derived case-number fields (litigation), then provenance (`_source_file`, `_source_line`,
//! `_ingest_id`) so every figure can be traced to a ledger line.
use std::sync::Arc;

use arrow::array::{
    ArrayBuilder, ArrayRef, BooleanBuilder, Date32Builder, Decimal128Builder, Float64Builder, Int32Builder, Int64Array, Int64Builder,
    RecordBatch, StringBuilder,
};
use arrow::datatypes::DataType;

use super::validate::{CaseFields, Value};
use crate::Result;
use crate::schema::{MONEY, Table, arrow_schema, date_to_days, kind_type};

enum ColumnBuilder {
    Date(Date32Builder),
    Bool(BooleanBuilder),
    Money(Decimal128Builder),
    Int(Int64Builder),
    Text(StringBuilder),
    Float(Float64Builder),
}

/// Accepted rows of one source file, appended straight into Arrow builders (no row structs).
pub struct Builders {
    table: Table,
    columns: Vec<ColumnBuilder>,
    /// Litigation: year, court code, type code, first instance.
    case: Option<(Int32Builder, StringBuilder, StringBuilder, BooleanBuilder)>,
    lines: Int64Builder,
}

impl Builders {
    pub fn new(table: Table, capacity: usize) -> Builders {
        let columns = table
            .columns()
            .iter()
            .map(|c| match kind_type(c.kind) {
                DataType::Date32 => ColumnBuilder::Date(Date32Builder::with_capacity(capacity)),
                DataType::Boolean => ColumnBuilder::Bool(BooleanBuilder::with_capacity(capacity)),
                DataType::Decimal128(..) => ColumnBuilder::Money(Decimal128Builder::with_capacity(capacity)),
                DataType::Int64 => ColumnBuilder::Int(Int64Builder::with_capacity(capacity)),
                DataType::Float64 => ColumnBuilder::Float(Float64Builder::with_capacity(capacity)),
                _ => ColumnBuilder::Text(StringBuilder::with_capacity(capacity, capacity * 24)),
            })
            .collect();
        let case = table.is_case_list().then(|| {
            (Int32Builder::with_capacity(capacity), StringBuilder::new(), StringBuilder::new(), BooleanBuilder::with_capacity(capacity))
        });
        Builders { table, columns, case, lines: Int64Builder::with_capacity(capacity) }
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends one accepted row: `values` has one value per column of the table, in order.
    pub fn append(&mut self, line: u64, values: &[Value<'_>], case: Option<&CaseFields>) {
        for (b, v) in self.columns.iter_mut().zip(values) {
            match (b, v) {
                (ColumnBuilder::Date(b), Value::Date(d)) => b.append_value(date_to_days(*d)),
                (ColumnBuilder::Bool(b), Value::Bool(x)) => b.append_value(*x),
                (ColumnBuilder::Money(b), Value::Fen(f)) => b.append_value(*f as i128),
                (ColumnBuilder::Text(b), Value::Str(s)) => b.append_value(s),
                (ColumnBuilder::Int(b), Value::Int(n)) => b.append_value(*n),
                (ColumnBuilder::Float(b), Value::Float(f)) => b.append_value(*f),
                (ColumnBuilder::Int(b), _) => b.append_null(),
                (ColumnBuilder::Float(b), _) => b.append_null(),
                (ColumnBuilder::Date(b), _) => b.append_null(),
                (ColumnBuilder::Bool(b), _) => b.append_null(),
                (ColumnBuilder::Money(b), _) => b.append_null(),
                (ColumnBuilder::Text(b), _) => b.append_null(),
            }
        }
        if let Some((year, court, kind, first)) = &mut self.case {
            let c = case.expect("litigation rows carry a parsed case number");
            year.append_value(c.year);
            court.append_value(&c.court);
            kind.append_value(&c.kind);
            first.append_value(c.first_instance);
        }
        self.lines.append_value(line as i64);
    }

    /// The batch in the warehouse schema, with provenance columns for `source_file`.
    pub fn finish(mut self, source_file: &str, ingest_id: i64) -> Result<RecordBatch> {
        let rows = self.len();
        let mut arrays: Vec<ArrayRef> = Vec::with_capacity(self.columns.len() + 7);
        for b in &mut self.columns {
            arrays.push(match b {
                ColumnBuilder::Date(b) => Arc::new(b.finish()),
                ColumnBuilder::Bool(b) => Arc::new(b.finish()),
                ColumnBuilder::Money(b) => Arc::new(b.finish().with_data_type(MONEY)),
                ColumnBuilder::Int(b) => Arc::new(b.finish()),
                ColumnBuilder::Text(b) => Arc::new(b.finish()),
                ColumnBuilder::Float(b) => Arc::new(b.finish()),
            });
        }
        if let Some((year, court, kind, first)) = &mut self.case {
            arrays.push(Arc::new(year.finish()));
            arrays.push(Arc::new(court.finish()));
            arrays.push(Arc::new(kind.finish()));
            arrays.push(Arc::new(first.finish()));
        }
        let mut file = StringBuilder::with_capacity(rows, rows * source_file.len());
        for _ in 0..rows {
            file.append_value(source_file);
        }
        arrays.push(Arc::new(file.finish()));
        arrays.push(Arc::new(self.lines.finish()));
        arrays.push(Arc::new(Int64Array::from_value(ingest_id, rows)));
        Ok(RecordBatch::try_new(arrow_schema(self.table), arrays)?)
    }
}
