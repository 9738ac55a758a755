//! Stage 1: ledgers → validated Arrow batches, committed to the warehouse.
//!
//! `ingest_files` reads every file, validates every row, folds the accepted rows into the tables
//! by key (a later row replaces an earlier one with the same key) and commits once: either all
//! files land or none does.
pub mod batch;
pub mod caseno;
pub mod cells;
pub mod layout;
pub mod read;
pub mod schema;
pub mod validate;
pub mod vocab;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use arrow::array::{Array, BooleanArray, Int64Array, RecordBatch, StringArray};
use arrow::compute::filter_record_batch;
use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use crate::warehouse::regions::Regions;
use crate::warehouse::{FileRecord, IngestRecord, Replaced, Warehouse};
use crate::{Error, Result};
use schema::Table;
use validate::{Outcome, Validator};

#[derive(Debug, Clone)]
pub struct IngestOptions {
    pub warehouse: PathBuf,
    pub table: Option<Table>,
    pub sheet: Option<String>,
    pub regions: Option<PathBuf>,
    pub strict: bool,
    pub today: NaiveDate,
}

#[derive(Debug)]
pub struct IngestReport {
    pub ingest_id: u64,
    pub files: Vec<FileRecord>,
    pub regions_added: Vec<String>,
    pub committed: bool,
}

/// One file's accepted rows, ready to merge.
struct Parsed {
    table: Table,
    batch: RecordBatch,
}

pub fn today() -> NaiveDate {
    // FUYUAN_TODAY pins "today" for reproducible tests; dates after it are rejected.
    std::env::var("FUYUAN_TODAY")
        .ok()
        .and_then(|s| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok())
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| "input".into())
}

pub fn ingest_files(files: &[PathBuf], opts: &IngestOptions) -> Result<IngestReport> {
    let wh = Warehouse::new(&opts.warehouse);
    let _lock = wh.lock()?;
    let manifest = wh.manifest()?;
    if let Some(m) = &manifest {
        wh.remove_leftovers(m);
    }
    let mut regions: Regions = wh.regions(manifest.as_ref())?;
    let mut regions_added = Vec::new();
    if let Some(path) = &opts.regions {
        for r in regions.read_additions(path)? {
            regions_added.push(r.code.clone());
            regions.insert(r);
        }
    }
    let ingest_id = manifest.as_ref().map(|m| m.ingests.iter().map(|i| i.id).max().unwrap_or(0) + 1).unwrap_or(1);
    let mut seen: HashMap<String, String> = manifest
        .iter()
        .flat_map(|m| m.ingests.iter())
        .flat_map(|i| i.files.iter())
        .filter(|f| f.status == "ingested")
        .map(|f| (f.sha256.clone(), f.path.clone()))
        .collect();

    let mut records = Vec::new();
    let mut parsed: Vec<Parsed> = Vec::new();
    let mut rejects_out: Vec<(String, Vec<u8>)> = Vec::new();
    for (file_index, path) in files.iter().enumerate() {
        let display = path.display().to_string();
        let bytes = read::read_bytes(path)?;
        let hash = sha256_hex(&bytes);
        if let Some(first) = seen.get(&hash) {
            records.push(FileRecord {
                path: display,
                sha256: hash,
                status: format!("already ingested (same content as {first})"),
                table: None,
                format: None,
                header_line: 0,
                rows_read: 0,
                rows_accepted: 0,
                rows_rejected: 0,
                blank_rows: 0,
                ignored_columns: vec![],
                rejects_file: None,
                replaced: vec![],
                new_townships: vec![],
            });
            continue;
        }
        seen.insert(hash.clone(), display.clone());
        let raw = match path.extension().and_then(|e| e.to_str()).map(|e| e.to_ascii_lowercase()).as_deref() {
            Some("xlsx" | "xlsm" | "xls" | "xlsb" | "ods") => read::read_file(path, opts.sheet.as_deref())?,
            _ => read::read_csv_bytes(&bytes, &display)?,
        };
        drop(bytes);
        let lay = layout::detect(&raw.records, opts.table, &display)?;
        let validator = Validator { layout: &lay, regions: &regions, today: opts.today };
        let mut accepted = Vec::new();
        let mut rejected: Vec<(validate::Reject, &read::RawRow)> = Vec::new();
        let mut new_regions = Vec::new();
        let rows = &raw.records[lay.header_index + 1..];
        let blank_row = |r: &read::RawRow| r.cells.iter().all(|c| c.is_empty());
        let blank = rows.iter().filter(|r| blank_row(r)).count() as u64;
        // Rows are validated on every core in contiguous chunks; joining the chunks in order keeps
        // file order, which upsert (last row wins) relies on.
        let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        let chunk = rows.len().div_ceil(threads).max(8192);
        let checked: Vec<Vec<(Outcome, &read::RawRow)>> = std::thread::scope(|scope| {
            let workers: Vec<_> = rows
                .chunks(chunk)
                .map(|part| scope.spawn(|| part.iter().filter(|r| !blank_row(r)).map(|r| (validator.check(r), r)).collect::<Vec<_>>()))
                .collect();
            workers.into_iter().map(|w| w.join().expect("a validation thread panicked")).collect()
        });
        for (outcome, row) in checked.into_iter().flatten() {
            match outcome {
                Outcome::Accepted(r, new_region) => {
                    if let Some(nr) = new_region
                        && !new_regions.iter().any(|x: &crate::warehouse::regions::Region| x.code == nr.code)
                    {
                        new_regions.push(nr);
                    }
                    accepted.push(r);
                }
                Outcome::Rejected(rej) => rejected.push((rej, row)),
            }
        }
        let new_townships: Vec<String> = new_regions.iter().map(|r| r.code.clone()).collect();
        for r in new_regions {
            regions.insert(r);
        }
        let rejects_file = if rejected.is_empty() {
            None
        } else {
            // The file's position keeps two ledgers with one name (two folders) apart.
            let name = format!("{ingest_id:06}-{:03}-{}.csv", file_index + 1, stem(path));
            rejects_out.push((name.clone(), rejects_csv(&display, &lay.headers, &rejected)?));
            Some(format!("rejects/{name}"))
        };
        let batch = batch::to_batch(lay.table, &accepted, &display, ingest_id as i64)?;
        records.push(FileRecord {
            path: display,
            sha256: hash,
            status: "ingested".into(),
            table: Some(lay.table.name().into()),
            format: Some(raw.format.clone()),
            header_line: lay.header_line,
            rows_read: (accepted.len() + rejected.len()) as u64,
            rows_accepted: accepted.len() as u64,
            rows_rejected: rejected.len() as u64,
            blank_rows: blank,
            ignored_columns: lay.ignored.clone(),
            rejects_file,
            replaced: vec![],
            new_townships,
        });
        parsed.push(Parsed { table: lay.table, batch });
    }

    let rejected_total: u64 = records.iter().map(|r| r.rows_rejected).sum();
    if opts.strict && rejected_total > 0 {
        let first = records.iter().find(|r| r.rows_rejected > 0).expect("a file with rejects");
        return Err(Error::Strict(format!(
            "--strict: {rejected_total} row(s) rejected, first in {} (nothing was written; run without --strict to see the rejects file)",
            first.path
        )));
    }
    let new_rows: usize = parsed.iter().map(|p| p.batch.num_rows()).sum();
    if new_rows == 0 && regions_added.is_empty() && records.iter().all(|r| r.status != "ingested") {
        return Ok(IngestReport { ingest_id, files: records, regions_added, committed: false });
    }

    // Merge: old rows first, then each file in order; a later key replaces an earlier one.
    let mut tables: BTreeMap<Table, Vec<RecordBatch>> = BTreeMap::new();
    for table in Table::ALL {
        let mut batches = match &manifest {
            Some(m) => wh.read_batches(m, table.name())?,
            None => Vec::new(),
        };
        let old_count = batches.len();
        let mut owners: Vec<usize> = vec![usize::MAX; old_count];
        for (pi, p) in parsed.iter().enumerate() {
            if p.table == table {
                batches.push(p.batch.clone());
                owners.push(pi);
            }
        }
        let file_index: HashMap<usize, usize> =
            records.iter().enumerate().filter(|(_, r)| r.status == "ingested").map(|(i, _)| i).enumerate().collect();
        let (kept, replaced) = upsert(table, batches)?;
        for (bi, rep) in replaced {
            // Attribute each replacement to the file whose row replaced the old one.
            let owner = owners[bi];
            if owner != usize::MAX {
                records[file_index[&owner]].replaced.push(rep);
            }
        }
        tables.insert(table, kept);
    }
    let record =
        IngestRecord { id: ingest_id, at: chrono::Local::now().to_rfc3339(), files: records.clone(), regions_added: regions_added.clone() };
    wh.commit(manifest.as_ref(), &tables, &regions, record, &rejects_out)?;
    Ok(IngestReport { ingest_id, files: records, regions_added, committed: true })
}

/// Keeps the last row for every key. Returns the kept batches and, for every dropped row, the
/// index of the batch holding the row that replaced it.
fn upsert(table: Table, batches: Vec<RecordBatch>) -> Result<(Vec<RecordBatch>, Vec<(usize, Replaced)>)> {
    let key_i = batches.first().map(|b| b.schema().index_of(table.key())).transpose()?;
    let Some(key_i) = key_i else { return Ok((batches, vec![])) };
    let strings = |b: &RecordBatch, i: usize| b.column(i).as_any().downcast_ref::<StringArray>().cloned();
    // Last position of every key.
    let mut last: HashMap<String, (usize, usize)> = HashMap::new();
    for (bi, b) in batches.iter().enumerate() {
        let keys = strings(b, key_i).expect("key column is text");
        for r in 0..b.num_rows() {
            last.insert(keys.value(r).to_string(), (bi, r));
        }
    }
    let file_i = batches[0].schema().index_of("_source_file")?;
    let line_i = batches[0].schema().index_of("_source_line")?;
    let mut replaced = Vec::new();
    let mut kept = Vec::with_capacity(batches.len());
    let mut seen_dupe: HashSet<(usize, usize)> = HashSet::new();
    for (bi, b) in batches.iter().enumerate() {
        let keys = strings(b, key_i).expect("key column is text");
        let files = strings(b, file_i).expect("source file is text");
        let lines = b.column(line_i).as_any().downcast_ref::<Int64Array>().expect("source line is int").clone();
        let mut mask = Vec::with_capacity(b.num_rows());
        for r in 0..b.num_rows() {
            let (lb, lr) = last[keys.value(r)];
            let keep = (lb, lr) == (bi, r);
            if !keep && seen_dupe.insert((bi, r)) {
                let winner = &batches[lb];
                let wf = strings(winner, file_i).expect("text");
                let wl = winner.column(line_i).as_any().downcast_ref::<Int64Array>().expect("int");
                replaced.push((
                    lb,
                    Replaced {
                        key: keys.value(r).to_string(),
                        old_file: files.value(r).to_string(),
                        old_line: lines.value(r),
                        new_file: wf.value(lr).to_string(),
                        new_line: wl.value(lr),
                    },
                ));
            }
            mask.push(keep);
        }
        let mask = BooleanArray::from(mask);
        if mask.true_count() == b.num_rows() {
            kept.push(b.clone());
        } else if mask.true_count() > 0 {
            kept.push(filter_record_batch(b, &mask)?);
        }
    }
    Ok((kept, replaced))
}

/// The rejects file: where, why, then the row's cells unchanged under the file's own headers.
fn rejects_csv(file: &str, headers: &[String], rejected: &[(validate::Reject, &read::RawRow)]) -> Result<Vec<u8>> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = csv::WriterBuilder::new().flexible(true).from_writer(&mut out);
        let mut head = vec!["_file".to_string(), "_line".into(), "_column".into(), "_reason".into()];
        head.extend(headers.iter().cloned());
        w.write_record(&head).map_err(|e| Error::Other(e.to_string()))?;
        for (rej, row) in rejected {
            let mut rec = vec![file.to_string(), rej.line.to_string(), rej.column.clone(), rej.reason.clone()];
            rec.extend(row.cells.iter().map(|c| c.to_text()));
            w.write_record(&rec).map_err(|e| Error::Other(e.to_string()))?;
        }
        w.flush().map_err(|e| Error::Other(e.to_string()))?;
    }
    Ok(out)
}
