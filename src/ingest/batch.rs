//! Typed rows → Arrow record batches in the warehouse schema: the contract's columns in order,
//! then derived case-number fields (litigation), then provenance (`_source_file`, `_source_line`,
//! `_ingest_id`) so every figure can be traced to a ledger line.
use std::sync::Arc;

use arrow::array::{ArrayRef, BooleanBuilder, Date32Builder, Decimal128Builder, Int32Builder, Int64Builder, RecordBatch, StringBuilder};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use chrono::NaiveDate;

use super::schema::{Kind, Table};
use super::validate::{TypedRow, Value};
use crate::Result;

pub const MONEY: DataType = DataType::Decimal128(18, 2);

fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date")
}

pub fn date_to_days(d: NaiveDate) -> i32 {
    (d - epoch()).num_days() as i32
}

pub fn days_to_date(days: i32) -> NaiveDate {
    epoch() + chrono::Duration::days(days as i64)
}

fn kind_type(kind: Kind) -> DataType {
    match kind {
        Kind::Date => DataType::Date32,
        Kind::Bool => DataType::Boolean,
        Kind::Amount => MONEY,
        _ => DataType::Utf8,
    }
}

pub fn arrow_schema(table: Table) -> SchemaRef {
    let mut fields: Vec<Field> =
        table.columns().iter().map(|c| Field::new(c.name, kind_type(c.kind), c.need != super::schema::Need::Required)).collect();
    if table == Table::Litigation {
        fields.push(Field::new("case_year", DataType::Int32, false));
        fields.push(Field::new("court_code", DataType::Utf8, false));
        fields.push(Field::new("case_type", DataType::Utf8, false));
        fields.push(Field::new("first_instance", DataType::Boolean, false));
    }
    fields.push(Field::new("_source_file", DataType::Utf8, false));
    fields.push(Field::new("_source_line", DataType::Int64, false));
    fields.push(Field::new("_ingest_id", DataType::Int64, false));
    Arc::new(Schema::new(fields))
}

/// Builds one batch from accepted rows of one source file.
pub fn to_batch(table: Table, rows: &[TypedRow], source_file: &str, ingest_id: i64) -> Result<RecordBatch> {
    let schema = arrow_schema(table);
    let mut arrays: Vec<ArrayRef> = Vec::with_capacity(schema.fields().len());
    for (ci, col) in table.columns().iter().enumerate() {
        let array: ArrayRef = match kind_type(col.kind) {
            DataType::Date32 => {
                let mut b = Date32Builder::with_capacity(rows.len());
                for r in rows {
                    match &r.values[ci] {
                        Value::Date(d) => b.append_value(date_to_days(*d)),
                        _ => b.append_null(),
                    }
                }
                Arc::new(b.finish())
            }
            DataType::Boolean => {
                let mut b = BooleanBuilder::with_capacity(rows.len());
                for r in rows {
                    match &r.values[ci] {
                        Value::Bool(v) => b.append_value(*v),
                        _ => b.append_null(),
                    }
                }
                Arc::new(b.finish())
            }
            DataType::Decimal128(..) => {
                let mut b = Decimal128Builder::with_capacity(rows.len());
                for r in rows {
                    match &r.values[ci] {
                        Value::Fen(v) => b.append_value(*v as i128),
                        _ => b.append_null(),
                    }
                }
                Arc::new(b.finish().with_data_type(MONEY))
            }
            _ => {
                let mut b = StringBuilder::with_capacity(rows.len(), rows.len() * 16);
                for r in rows {
                    match &r.values[ci] {
                        Value::Str(s) => b.append_value(s),
                        _ => b.append_null(),
                    }
                }
                Arc::new(b.finish())
            }
        };
        arrays.push(array);
    }
    if table == Table::Litigation {
        let mut year = Int32Builder::with_capacity(rows.len());
        let mut court = StringBuilder::new();
        let mut kind = StringBuilder::new();
        let mut first = BooleanBuilder::with_capacity(rows.len());
        for r in rows {
            let (y, c, k, f) = r.case.as_ref().expect("litigation rows carry a parsed case number");
            year.append_value(*y);
            court.append_value(c);
            kind.append_value(k);
            first.append_value(*f);
        }
        arrays.push(Arc::new(year.finish()));
        arrays.push(Arc::new(court.finish()));
        arrays.push(Arc::new(kind.finish()));
        arrays.push(Arc::new(first.finish()));
    }
    let mut file = StringBuilder::new();
    let mut line = Int64Builder::with_capacity(rows.len());
    let mut id = Int64Builder::with_capacity(rows.len());
    for r in rows {
        file.append_value(source_file);
        line.append_value(r.line as i64);
        id.append_value(ingest_id);
    }
    arrays.push(Arc::new(file.finish()));
    arrays.push(Arc::new(line.finish()));
    arrays.push(Arc::new(id.finish()));
    Ok(RecordBatch::try_new(schema, arrays)?)
}
