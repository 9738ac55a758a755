//! The units a table's rows name — for the penalty ledger, every (region code, agency) pair —
//! recorded as the parts are written, so that listing them does not read every row.
//!
//! The agency metrics list an agency with or without cases in the period, so the list spans every
//! year while the figures need only the period's rows, which date statistics let a query find
//! without reading the rest. Each part carries its own pairs in its footer (key `fuyuan:units`),
//! written by `PartWriter` when the part is closed, so a part rewritten by a late correction
//! carries the pairs of the rows it kept. At every commit the pairs of the table's live parts
//! are merged into one small Parquet file that the manifest names (`TableInfo::units`) and the
//! engine registers as `penalty_units`. A part without the footer key (written before it
//! existed) has its pairs read from its two columns instead; a manifest without the file (a
//! warehouse not ingested into since) gets a view that lists the pairs from the rows.
use std::collections::{BTreeSet, HashMap};
use std::fs::File;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;
use std::sync::Arc;

use arrow::array::{Array, RecordBatch, StringArray};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use parquet::file::metadata::ParquetMetaDataReader;

use super::{PartInfo, Warehouse};
use crate::schema::Table;
use crate::{Error, Result};

/// The footer key under which a part lists its units (a JSON array of two-text arrays).
pub const FOOTER_KEY: &str = "fuyuan:units";

/// The name the engine gives a table's unit list (`penalty_units`), also its folder under `data/`.
pub fn list_name(table: Table) -> String {
    format!("{}_units", table.name())
}

/// The unit list's schema: the table's two unit columns, as text.
pub fn list_schema(table: Table) -> Option<SchemaRef> {
    let [a, b] = table.unit_columns()?;
    Some(Arc::new(Schema::new(vec![Field::new(a, DataType::Utf8, false), Field::new(b, DataType::Utf8, false)])))
}

/// The values are xxh3 hashes already: the map uses them as they are.
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, _: &[u8]) {
        unreachable!("only u64 hashes are looked up")
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A set of (text, text) pairs, built from millions of rows without a string allocated per row:
/// a row is looked up by a 64-bit hash of its two values and compared with the pair stored
/// under it; a different pair with the same hash (never seen, but possible) is kept aside, so
/// the set is exact. The pairs' bytes sit one after another in `bytes`, and the index holds
/// where each starts: a lookup touches the index and those bytes, where a list of `String`
/// pairs between them cost two more cache misses a row on the writer thread.
#[derive(Default)]
pub struct UnitSet {
    bytes: Vec<u8>,
    index: HashMap<u64, Stored, BuildHasherDefault<Prehashed>>,
    collided: BTreeSet<(String, String)>,
}

/// Where a pair's bytes are in `UnitSet::bytes`: its first text at `start`, `a` bytes long, the
/// second right after it, `b` bytes long.
#[derive(Clone, Copy)]
struct Stored {
    start: usize,
    a: u32,
    b: u32,
}

fn pair_hash(a: &str, b: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64_with_seed(b.as_bytes(), xxhash_rust::xxh3::xxh3_64(a.as_bytes()))
}

impl UnitSet {
    /// A stored pair's two texts as bytes.
    fn parts(&self, s: Stored) -> (&[u8], &[u8]) {
        let mid = s.start + s.a as usize;
        (&self.bytes[s.start..mid], &self.bytes[mid..mid + s.b as usize])
    }

    fn texts(&self, s: Stored) -> (&str, &str) {
        // The bytes were copied from two `&str`s whole, so each part is valid text.
        let (a, b) = self.parts(s);
        (std::str::from_utf8(a).expect("stored from text"), std::str::from_utf8(b).expect("stored from text"))
    }

    pub fn insert(&mut self, a: &str, b: &str) {
        let h = pair_hash(a, b);
        match self.index.get(&h) {
            Some(&s) => {
                if self.parts(s) != (a.as_bytes(), b.as_bytes())
                    && !self.collided.iter().any(|(ca, cb)| (ca.as_str(), cb.as_str()) == (a, b))
                {
                    self.collided.insert((a.to_string(), b.to_string()));
                }
            }
            None => {
                let stored = Stored { start: self.bytes.len(), a: a.len() as u32, b: b.len() as u32 };
                self.bytes.extend_from_slice(a.as_bytes());
                self.bytes.extend_from_slice(b.as_bytes());
                self.index.insert(h, stored);
            }
        }
    }

    /// Adds the pairs of a batch's two unit columns (text, never null: both are required).
    pub fn add_batch(&mut self, batch: &RecordBatch, [a, b]: [&str; 2]) -> Result<()> {
        let (a, b) = (text(batch, a)?, text(batch, b)?);
        for i in 0..batch.num_rows() {
            if a.is_valid(i) && b.is_valid(i) {
                self.insert(a.value(i), b.value(i));
            }
        }
        Ok(())
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.index.len() + self.collided.len()
    }

    /// Every pair, in no order.
    fn pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.index.values().map(|&s| self.texts(s)).chain(self.collided.iter().map(|(a, b)| (a.as_str(), b.as_str())))
    }

    /// The pairs, sorted.
    pub fn into_sorted(self) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = self.pairs().map(|(a, b)| (a.to_string(), b.to_string())).collect();
        v.sort_unstable();
        v
    }

    /// The footer value: the pairs as a JSON array of two-text arrays, sorted (so that a part's
    /// footer does not depend on the order of its rows).
    pub fn to_footer(&self) -> String {
        let mut all: Vec<(&str, &str)> = self.pairs().collect();
        all.sort_unstable();
        serde_json::to_string(&all).expect("text pairs serialise")
    }
}

/// The pairs of a footer value. Owned strings: a name with a quote or a backslash is escaped in
/// the JSON and could not be borrowed from it.
fn from_footer(value: &str) -> serde_json::Result<Vec<(String, String)>> {
    serde_json::from_str(value)
}

fn text<'b>(batch: &'b RecordBatch, name: &str) -> Result<&'b StringArray> {
    batch
        .column_by_name(name)
        .and_then(|c| c.as_any().downcast_ref::<StringArray>())
        .ok_or_else(|| Error::Other(format!("unit column {name} is not text")))
}

/// Adds a part's units to `set`: from its footer, or from its two columns when the footer has
/// none.
fn add_part(set: &mut UnitSet, path: &Path, columns: [&str; 2]) -> Result<()> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let meta = ParquetMetaDataReader::new().parse_and_finish(&file)?;
    let listed = meta.file_metadata().key_value_metadata().and_then(|kv| kv.iter().find(|k| k.key == FOOTER_KEY));
    if let Some(value) = listed.and_then(|k| k.value.as_deref()) {
        let pairs = from_footer(value)
            .map_err(|e| Error::Warehouse { path: path.to_path_buf(), message: format!("the units in its footer are damaged: {e}") })?;
        for (a, b) in &pairs {
            set.insert(a, b);
        }
        return Ok(());
    }
    for b in super::read_part(path, Some(&columns))? {
        set.add_batch(&b?, columns)?;
    }
    Ok(())
}

/// Writes the unit list of a table made of `parts` to `rel` (under the warehouse root) and
/// returns it as the manifest names it; `None` for a table without unit columns.
pub fn write_list(wh: &Warehouse, table: Table, parts: &[PartInfo], rel: &str) -> Result<Option<PartInfo>> {
    let (Some(columns), Some(schema)) = (table.unit_columns(), list_schema(table)) else { return Ok(None) };
    let mut set = UnitSet::default();
    for p in parts {
        add_part(&mut set, &wh.root.join(&p.file), columns)?;
    }
    let pairs = set.into_sorted();
    let a = StringArray::from_iter_values(pairs.iter().map(|(a, _)| a.as_str()));
    let b = StringArray::from_iter_values(pairs.iter().map(|(_, b)| b.as_str()));
    let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(a), Arc::new(b)])?;
    let rows = super::write_parquet(&wh.path(rel)?, schema, &[batch])?;
    Ok(Some(PartInfo { file: rel.to_string(), rows }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_keeps_each_pair_once_and_lists_them_sorted() {
        let mut s = UnitSet::default();
        for (a, b) in [("411202", "区市场监管局"), ("411202", "区公安分局"), ("411202", "区市场监管局"), ("411203", "区市场监管局")]
        {
            s.insert(a, b);
        }
        assert_eq!(s.len(), 3);
        assert_eq!(from_footer(&s.to_footer()).unwrap().len(), 3);
        assert_eq!(
            s.into_sorted(),
            vec![
                ("411202".to_string(), "区公安分局".to_string()),
                ("411202".to_string(), "区市场监管局".to_string()),
                ("411203".to_string(), "区市场监管局".to_string())
            ]
        );
    }

    #[test]
    fn footers_round_trip_names_json_must_escape() {
        let mut s = UnitSet::default();
        for (a, b) in [("411202", "\"某\"局"), ("411202", "a\\b"), ("411203", "两行\n名称\t"), ("411203", "市场监管局")] {
            s.insert(a, b);
        }
        let mut back = from_footer(&s.to_footer()).unwrap();
        back.sort_unstable();
        assert_eq!(back, s.into_sorted());
    }

    #[test]
    fn a_pair_under_a_taken_hash_is_kept_aside() {
        // Force a collision: the pair (1, a) moved to the hash of (2, b).
        let mut s = UnitSet::default();
        s.insert("1", "a");
        let (_, stored) = s.index.drain().next().unwrap();
        s.index.insert(pair_hash("2", "b"), stored);
        s.insert("2", "b");
        s.insert("2", "b");
        assert_eq!(s.len(), 2);
        assert_eq!(s.into_sorted(), vec![("1".to_string(), "a".to_string()), ("2".to_string(), "b".to_string())]);
    }
}
