//! The writer thread: appends validated batches to new Parquet parts while the next chunks are
//! validated.
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::Receiver;

use arrow::array::RecordBatch;
use parquet::arrow::ArrowWriter;

use crate::warehouse;
use crate::{Error, Result};

/// Batches for the part file at `path`, in order.
pub(super) struct WriteMsg {
    pub(super) path: Arc<PathBuf>,
    pub(super) batches: Vec<RecordBatch>,
}

/// Appends batches to part files, one open part at a time; each part is synced when closed.
pub(super) fn writer_thread(rx: Receiver<WriteMsg>) -> Result<()> {
    let mut current: Option<(Arc<PathBuf>, ArrowWriter<std::fs::File>)> = None;
    let close = |w: ArrowWriter<std::fs::File>, path: &Path| -> Result<()> {
        let file = w.into_inner()?;
        file.sync_all().map_err(|e| Error::io(path, e))
    };
    for msg in rx {
        let Some(first) = msg.batches.first() else { continue };
        if current.as_ref().is_none_or(|(p, _)| *p != msg.path) {
            if let Some((p, w)) = current.take() {
                close(w, &p)?;
            }
            let file = std::fs::File::create(&*msg.path).map_err(|e| Error::io(&*msg.path, e))?;
            current = Some((msg.path.clone(), ArrowWriter::try_new(file, first.schema(), Some(warehouse::writer_properties()))?));
        }
        let writer = &mut current.as_mut().expect("an open part").1;
        for b in &msg.batches {
            writer.write(b)?;
        }
    }
    if let Some((p, w)) = current.take() {
        close(w, &p)?;
    }
    Ok(())
}
