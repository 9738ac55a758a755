//! The rejects file: each rejected row with where and why, beside the warehouse.
use std::path::{Path, PathBuf};

use super::validate::Reject;
use crate::warehouse::Warehouse;
use crate::{Error, Result};

/// A rejected row as a worker hands it on: the reason and the row's cells as text.
pub(super) struct RejectRow {
    pub(super) reject: Reject,
    pub(super) cells: Vec<String>,
}

/// The rejects file of one ledger, written as rows are rejected: where, why, then the row's cells
/// unchanged under the file's own headers.
pub(super) struct RejectsFile {
    rel: String,
    path: PathBuf,
    writer: csv::Writer<std::io::BufWriter<std::fs::File>>,
}

impl RejectsFile {
    pub(super) fn create(wh: &Warehouse, rel: String, headers: &[String]) -> Result<RejectsFile> {
        use std::io::Write;
        let path = wh.path(&rel)?;
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).map_err(|e| Error::io(&path, e))?);
        file.write_all(b"\xEF\xBB\xBF").map_err(|e| Error::io(&path, e))?;
        let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(file);
        let mut head = vec!["_file".to_string(), "_line".into(), "_column".into(), "_reason".into()];
        head.extend(headers.iter().cloned());
        writer.write_record(&head).map_err(|e| write_error(&path, e))?;
        Ok(RejectsFile { rel, path, writer })
    }

    pub(super) fn write(&mut self, file: &str, r: &RejectRow) -> Result<()> {
        let mut rec = vec![file.to_string(), r.reject.line.to_string(), r.reject.column.clone(), r.reject.reason.clone()];
        rec.extend(r.cells.iter().cloned());
        self.writer.write_record(&rec).map_err(|e| write_error(&self.path, e))
    }

    pub(super) fn finish(self) -> Result<String> {
        let file = self.writer.into_inner().map_err(|e| Error::io(&self.path, e.into_error()))?;
        let file = file.into_inner().map_err(|e| Error::io(&self.path, e.into_error()))?;
        file.sync_all().map_err(|e| Error::io(&self.path, e))?;
        Ok(self.rel)
    }
}

/// A CSV writer's error: an I/O error (a full disk) keeps its kind and names the file.
fn write_error(path: &Path, e: csv::Error) -> Error {
    let text = e.to_string();
    match e.into_kind() {
        csv::ErrorKind::Io(io) => Error::io(path, io),
        _ => Error::Other(text),
    }
}
