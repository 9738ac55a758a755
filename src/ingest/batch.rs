//! Typed rows → Arrow record batches in the warehouse schema: the documented columns in order,
//! then derived case-number fields (litigation), then provenance (`_source_file`, `_source_line`,
//! `_ingest_id`) so every figure can be traced to a ledger line.
use std::sync::Arc;

use arrow::array::{
    Array, ArrayBuilder, ArrayRef, BooleanBuilder, Date32Builder, Decimal128Builder, Float64Builder, Int32Builder, Int64Array,
    Int64Builder, RecordBatch, StringBuilder,
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

    /// The batch in the warehouse schema, with the provenance columns of its file.
    pub fn finish(mut self, provenance: &Provenance) -> Result<RecordBatch> {
        let rows = self.len();
        let mut arrays: Vec<ArrayRef> = Vec::with_capacity(self.columns.len() + 7);
        for b in &mut self.columns {
            arrays.push(match b {
                ColumnBuilder::Date(b) => Arc::new(b.finish()),
                ColumnBuilder::Bool(b) => Arc::new(b.finish()),
                ColumnBuilder::Money(b) => Arc::new(b.finish().with_data_type(MONEY)),
                ColumnBuilder::Int(b) => Arc::new(b.finish()),
                ColumnBuilder::Text(b) => {
                    // The text was sized at 24 bytes a cell: a short column's unused space would
                    // stay with the batch while it waits in the window and the writer's queue.
                    let mut a = b.finish();
                    a.shrink_to_fit();
                    Arc::new(a)
                }
                ColumnBuilder::Float(b) => Arc::new(b.finish()),
            });
        }
        if let Some((year, court, kind, first)) = &mut self.case {
            arrays.push(Arc::new(year.finish()));
            arrays.push(Arc::new(court.finish()));
            arrays.push(Arc::new(kind.finish()));
            arrays.push(Arc::new(first.finish()));
        }
        let [file, ingest] = provenance.columns(rows);
        arrays.push(file);
        arrays.push(Arc::new(self.lines.finish()));
        arrays.push(ingest);
        Ok(RecordBatch::try_new(arrow_schema(self.table), arrays)?)
    }
}

/// The provenance columns every batch of one file shares, `_source_file` and `_ingest_id`: made
/// once for a chunk's rows and sliced for each batch. Built per batch, the file's name was copied
/// onto every row of it (360 KB for 8,192 rows of a 44-byte path), and every batch waiting in the
/// correction window or the writer's queue held its own copy.
pub struct Provenance {
    source_file: String,
    ingest_id: i64,
    file: ArrayRef,
    ingest: ArrayRef,
}

impl Provenance {
    /// For batches of up to `rows` rows (a longer one gets columns of its own).
    pub fn new(source_file: &str, ingest_id: i64, rows: usize) -> Provenance {
        let [file, ingest] = Self::build(source_file, ingest_id, rows);
        Provenance { source_file: source_file.to_string(), ingest_id, file, ingest }
    }

    fn build(source_file: &str, ingest_id: i64, rows: usize) -> [ArrayRef; 2] {
        let mut file = StringBuilder::with_capacity(rows, rows * source_file.len());
        for _ in 0..rows {
            file.append_value(source_file);
        }
        [Arc::new(file.finish()), Arc::new(Int64Array::from_value(ingest_id, rows))]
    }

    fn columns(&self, rows: usize) -> [ArrayRef; 2] {
        if rows <= self.file.len() {
            [self.file.slice(0, rows), self.ingest.slice(0, rows)]
        } else {
            Self::build(&self.source_file, self.ingest_id, rows)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow::array::StringArray;

    /// A batch up to the size the columns were made for shares them; a longer one gets its own;
    /// either way every row carries the file and the ingest id.
    #[test]
    fn provenance_columns_fit_any_batch() {
        let p = Provenance::new("台账/a.csv", 7, 4);
        for rows in [0, 1, 4, 9] {
            let [file, ingest] = p.columns(rows);
            assert_eq!((file.len(), ingest.len()), (rows, rows));
            let file = file.as_any().downcast_ref::<StringArray>().expect("text");
            assert!(file.iter().all(|v| v == Some("台账/a.csv")), "{rows} rows");
            let ingest = ingest.as_any().downcast_ref::<Int64Array>().expect("Int64");
            assert!(ingest.iter().all(|v| v == Some(7)), "{rows} rows");
        }
    }
}
