//! One input file: pass 1 (its hash, unless it is computed while the file is read), the check
//! against the files already ingested, its units (the file, or each ledger sheet of a
//! workbook), each run through the pipeline, and the file's manifest records.
use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::chunks::RowSource;
use super::digest::{self, Hashes};
use super::layout::{self, Layout};
use super::raw::RawRow;
use super::read;
use super::read::is_workbook;
use super::session::Ingest;
use super::{IngestOptions, stream};
use crate::warehouse::regions::Regions;
use crate::warehouse::{FileRecord, FileStatus, Manifest};
use crate::{Error, Result};

/// The files already ingested, this ingest's included as they are read.
pub(super) struct Known {
    /// Content hash (`digest::blake3_key`, or `digest::sha256_key` for a record written before
    /// BLAKE3) → the path it was first ingested from.
    seen: HashMap<String, String>,
    /// Sizes of the files already ingested: a file of another size is new for sure.
    sizes: HashSet<u64>,
    /// Sizes of the files recorded with SHA-256 only: a file of one of these sizes is hashed
    /// both ways.
    sha256_sizes: HashSet<u64>,
}

impl Known {
    pub(super) fn of(manifest: Option<&Manifest>) -> Known {
        let ingested =
            || manifest.iter().flat_map(|m| m.ingests.iter()).flat_map(|i| i.files.iter()).filter(|f| f.status == FileStatus::Ingested);
        let key = |f: &FileRecord| if f.blake3.is_empty() { digest::sha256_key(&f.sha256) } else { digest::blake3_key(&f.blake3) };
        Known {
            seen: ingested().map(|f| (key(f), f.path.clone())).collect(),
            sizes: ingested().map(|f| f.bytes).collect(),
            sha256_sizes: ingested().filter(|f| f.blake3.is_empty()).map(|f| f.bytes).collect(),
        }
    }

    /// Must a file of this size be hashed with SHA-256 as well? When a record that has SHA-256
    /// only is of that size, or has no size at all (written before sizes were), so could be any.
    fn needs_sha256(&self, size: u64) -> bool {
        self.sha256_sizes.contains(&size) || self.sha256_sizes.contains(&0)
    }

    /// The path a file with these hashes was first ingested from, if it was.
    fn first(&self, hashes: &Hashes) -> Option<&String> {
        hashes.keys().find_map(|k| self.seen.get(&k))
    }
}

/// Reads one file (every ledger sheet of a workbook) into the ingest and adds its manifest
/// records; a file with the content of one already ingested is recorded as such and not read.
pub(super) fn ingest_file(
    ing: &mut Ingest<'_>,
    path: &Path,
    opts: &IngestOptions,
    known: &mut Known,
    regions: &mut Regions,
    records: &mut Vec<FileRecord>,
    record_of: &mut Vec<usize>,
) -> Result<()> {
    let display = path.display().to_string();
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    // `None`: the hash is computed while the file is read (pass 1 skipped).
    let (hash, source) = first_pass(path, &display, size, known)?;
    known.sizes.insert(size);
    if let Some(hash) = &hash
        && let Some(first) = known.first(hash)
    {
        if !is_workbook(path) {
            ing.unread_bytes = ing.unread_bytes.saturating_sub(size);
        }
        records.push(already_ingested(display, hash.blake3.clone(), size, first));
        return Ok(());
    }
    let (units, mut skipped_sheets) = units(path, &display, source, opts)?;
    let workbook = is_workbook(path);
    let mut hash = hash;
    for (ui, Unit { sheet, shown, layout: lay, format, ahead, rows }) in units.into_iter().enumerate() {
        let shown = shown.unwrap_or_else(|| display.clone());
        let source = ing.sources.len();
        ing.sources.push(shown.clone());
        let (counts, digest) = ing.file(source, path, &lay, rows, ahead, regions, &opts.phrases, opts.today)?;
        if !workbook {
            ing.unread_bytes = ing.unread_bytes.saturating_sub(size);
        }
        let file_hash = hash.clone().or(digest).expect("a file's hash from pass 1 or from reading it");
        hash = Some(file_hash.clone());
        known.seen.insert(digest::blake3_key(&file_hash.blake3), display.clone());
        let new_townships: Vec<String> = counts.new_regions.iter().map(|r| r.code.clone()).collect();
        for r in counts.new_regions {
            regions.insert(r);
        }
        record_of.push(records.len());
        records.push(FileRecord {
            path: display.clone(),
            blake3: file_hash.blake3,
            sha256: String::new(),
            bytes: size,
            status: FileStatus::Ingested,
            table: Some(lay.table.name().into()),
            format: Some(format),
            header_line: lay.header_line,
            rows_read: counts.rows_read,
            rows_accepted: counts.accepted,
            rows_rejected: counts.rejected,
            blank_rows: counts.blank,
            ignored_columns: lay.ignored.clone(),
            rejects_file: counts.rejects_file,
            replaced: vec![],
            new_townships,
            sheet: (workbook && !sheet.is_empty()).then_some(sheet),
            total_rows: counts.totals,
            likely_misses: lay.likely_misses.clone(),
            skipped_sheets: if ui == 0 { std::mem::take(&mut skipped_sheets) } else { vec![] },
            personal_data_dropped: lay.personal.iter().map(|&i| lay.headers[i].trim().to_string()).collect(),
        });
    }
    Ok(())
}

/// What pass 1 found: the file's hashes if it computed them (`None`: pass 1 skipped, the reader
/// hashes the file — a CSV whose first block settles its encoding, of a size no file already
/// ingested has), and for a CSV its encoding and whether the reader hashes it.
type FirstPass = (Option<Hashes>, Option<(stream::Encoding, bool)>);

fn first_pass(path: &Path, display: &str, size: u64, known: &Known) -> Result<FirstPass> {
    let sha256 = known.needs_sha256(size);
    Ok(if is_workbook(path) {
        (Some(digest::of_bytes(&read::read_bytes(path)?, sha256)), None)
    } else {
        match stream::sniff_head(path, display)? {
            stream::Head::Settled(encoding) if !known.sizes.contains(&size) && !known.sizes.contains(&0) => (None, Some((encoding, true))),
            _ => {
                let scanned = stream::scan_file(path, display, sha256)?;
                (Some(scanned.hashes), Some((scanned.encoding, false)))
            }
        }
    })
}

/// The record of a file that is not read: its content was ingested before, from `first`.
fn already_ingested(path: String, blake3: String, bytes: u64, first: &str) -> FileRecord {
    FileRecord {
        path,
        blake3,
        sha256: String::new(),
        bytes,
        status: FileStatus::AlreadyIngested { same_as: first.to_string() },
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
        sheet: None,
        total_rows: 0,
        likely_misses: vec![],
        skipped_sheets: vec![],
        personal_data_dropped: vec![],
    }
}

/// One table to ingest from a file: the file itself, or one ledger sheet of a workbook.
struct Unit {
    /// The sheet's name (empty for CSV).
    sheet: String,
    /// How rows of this unit name their source: the path, or `book.xlsx [sheet]` when a
    /// workbook has several ledger sheets.
    shown: Option<String>,
    layout: Layout,
    format: String,
    ahead: Vec<RawRow>,
    rows: RowSource,
}

/// Why a workbook sheet is not read, from the layout error: a sheet of notes (填表说明) has no
/// ledger header.
fn sheet_skip_reason(reason: &str) -> String {
    if reason.contains("no rows with text") {
        "empty sheet".into()
    } else if reason.starts_with("unknown layout: the header row names no column") {
        "no ledger header".into()
    } else {
        reason.to_string()
    }
}

/// The units of a file, each with its layout detected, and the workbook sheets skipped (with why).
fn units(path: &Path, display: &str, source: Option<(stream::Encoding, bool)>, opts: &IngestOptions) -> Result<(Vec<Unit>, Vec<String>)> {
    // The header is found among the top rows; the rows after it stream from there. A workbook
    // read without --sheet gives one unit per sheet whose headers are a ledger's.
    let mut units: Vec<Unit> = Vec::new();
    let mut skipped_sheets: Vec<String> = Vec::new();
    match source {
        None if opts.sheet.is_none() => {
            let mut first_error = None;
            for (name, sheet) in read::read_workbook_sheets(path)? {
                let detected = sheet.and_then(|raw| layout::detect(&raw.records, opts.table, display).map(|l| (l, raw)));
                match detected {
                    Ok((lay, raw)) => {
                        let mut all = raw.records;
                        let data = all.split_off(lay.header_index + 1);
                        units.push(Unit {
                            sheet: name,
                            shown: None,
                            layout: lay,
                            format: raw.format,
                            ahead: Vec::new(),
                            rows: RowSource::Rows(data),
                        });
                    }
                    Err(e) => {
                        let reason = match &e {
                            Error::BadFile { message, .. } => message.clone(),
                            other => other.to_string(),
                        };
                        skipped_sheets.push(format!("{name}: {}", sheet_skip_reason(&reason)));
                        first_error.get_or_insert(e);
                    }
                }
            }
            if units.is_empty() {
                return Err(first_error.expect("a workbook has at least one sheet"));
            }
            let many = units.len() > 1;
            for u in &mut units {
                // Rows of several sheets are told apart by the sheet in rejects and provenance.
                u.shown = Some(if many { format!("{display} [{}]", u.sheet) } else { display.to_string() });
            }
        }
        None => {
            let raw = read::read_file(path, opts.sheet.as_deref())?;
            let lay = layout::detect(&raw.records, opts.table, display)?;
            let mut all = raw.records;
            let data = all.split_off(lay.header_index + 1);
            let name = opts.sheet.clone().unwrap_or_default();
            units.push(Unit {
                sheet: name,
                shown: Some(display.to_string()),
                layout: lay,
                format: raw.format,
                ahead: Vec::new(),
                rows: RowSource::Rows(data),
            });
        }
        Some((encoding, hash_here)) => {
            let mut recs = stream::CsvRecords::open(path, display, encoding, hash_here)?;
            let mut top = Vec::new();
            let mut filled = 0;
            while filled < layout::HEADER_SEARCH_ROWS {
                let Some(row) = recs.next_row()? else { break };
                filled += usize::from(row.cells.iter().any(|c| !c.is_empty()));
                top.push(row);
            }
            let lay = layout::detect(&top, opts.table, display)?;
            let ahead = top.split_off(lay.header_index + 1);
            units.push(Unit {
                sheet: String::new(),
                shown: Some(display.to_string()),
                layout: lay,
                format: recs.format(),
                ahead,
                rows: RowSource::Csv(recs),
            });
        }
    }
    Ok((units, skipped_sheets))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_is_the_text_the_manifest_has_always_held() {
        let same = FileStatus::AlreadyIngested { same_as: "台账 (1).csv".into() };
        for (status, text) in [(FileStatus::Ingested, "\"ingested\""), (same, "\"already ingested (same content as 台账 (1).csv)\"")] {
            assert_eq!(serde_json::to_string(&status).unwrap(), text);
            assert_eq!(serde_json::from_str::<FileStatus>(text).unwrap(), status);
        }
        assert!(serde_json::from_str::<FileStatus>("\"skipped\"").is_err());
    }
}
