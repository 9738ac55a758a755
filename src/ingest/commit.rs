//! The end of an ingest: the `--strict` refusals, then each table's parts after this ingest's
//! corrections and the manifest that names them, committed at once.
use std::collections::BTreeMap;

use super::corrections::finish_table;
use super::session::Ingest;
use super::{IngestOptions, IngestReport};
use crate::schema::Table;
use crate::warehouse::regions::Regions;
use crate::warehouse::{self, FileRecord, IngestRecord, PartInfo, TableInfo, units};
use crate::{Error, Result};

/// Refuses the whole ingest under `--strict`: an ignored column that looks like a ledger column,
/// or any rejected row.
pub(super) fn refuse_if_strict(opts: &IngestOptions, records: &[FileRecord]) -> Result<()> {
    if opts.strict
        && let Some(r) = records.iter().find(|r| !r.likely_misses.is_empty())
    {
        return Err(Error::Strict(format!(
            "--strict: {}: column '{}' is ignored but looks like a ledger column (nothing was written; rename the header or run without --strict)",
            r.path, r.likely_misses[0]
        )));
    }
    let rejected_total: u64 = records.iter().map(|r| r.rows_rejected).sum();
    if opts.strict && rejected_total > 0 {
        let first = records.iter().find(|r| r.rows_rejected > 0).expect("a file with rejects");
        return Err(Error::Strict(format!(
            "--strict: {rejected_total} row(s) rejected, first in {} (nothing was written; run without --strict to see the rejects file)",
            first.path
        )));
    }
    Ok(())
}

/// Writes what the tables need after this ingest (rewritten parts, an empty part for an empty
/// table) and commits the manifest.
pub(super) fn commit(
    mut ing: Ingest<'_>,
    regions: &Regions,
    mut records: Vec<FileRecord>,
    record_of: &[usize],
    regions_added: Vec<String>,
) -> Result<IngestReport> {
    let (wh, manifest, ingest_id) = (ing.wh, ing.manifest, ing.ingest_id);
    let mut tables = BTreeMap::new();
    for table in Table::stored() {
        let mut info = match ing.tables.remove(&table) {
            Some(st) => finish_table(wh, ingest_id, table, st, &ing.sources, record_of, &mut records)?,
            None => manifest.and_then(|m| m.tables.get(table.name())).cloned().unwrap_or_default(),
        };
        if info.parts.is_empty() {
            // An empty table still has a schema for the engine to read: one empty part.
            let rel = format!("data/{}/{ingest_id:06}-0000.parquet", table.name());
            let w = warehouse::PartWriter::create(&wh.path(&rel)?, crate::schema::arrow_schema(table), Some(table))?;
            w.finish()?;
            info = TableInfo { rows: 0, parts: vec![PartInfo { file: rel, rows: 0 }], units: None };
        }
        if info.units.is_none() {
            // The table changed (or its list predates this build): its unit list again.
            // In a folder of its own, so that the table's folder holds only its parts.
            let rel = format!("data/{}/{ingest_id:06}.parquet", units::list_name(table));
            info.units = units::write_list(wh, table, &info.parts, &rel)?;
        }
        tables.insert(table.name().to_string(), info);
    }
    let record =
        IngestRecord { id: ingest_id, at: chrono::Local::now().to_rfc3339(), files: records.clone(), regions_added: regions_added.clone() };
    wh.commit(manifest, tables, regions, record)?;
    Ok(IngestReport { ingest_id, files: records, regions_added, committed: true })
}
