//! The writer thread: appends validated batches to new Parquet parts while the next chunks are
//! validated.
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::Receiver;

use arrow::array::RecordBatch;

use crate::Result;
use crate::schema::Table;
use crate::warehouse::PartWriter;

/// Batches for the part file at `path` of `table`, in order.
pub(super) struct WriteMsg {
    pub(super) table: Table,
    pub(super) path: Arc<PathBuf>,
    pub(super) batches: Vec<RecordBatch>,
}

/// Appends batches to part files, one open part at a time; each part is synced when closed.
pub(super) fn writer_thread(rx: Receiver<WriteMsg>) -> Result<()> {
    let mut current: Option<(Arc<PathBuf>, PartWriter)> = None;
    for msg in rx {
        let Some(first) = msg.batches.first() else { continue };
        if current.as_ref().is_none_or(|(p, _)| *p != msg.path) {
            if let Some((_, w)) = current.take() {
                w.finish()?;
            }
            current = Some((msg.path.clone(), PartWriter::create(&msg.path, first.schema(), Some(msg.table))?));
        }
        let writer = &mut current.as_mut().expect("an open part").1;
        for b in &msg.batches {
            writer.write(b)?;
        }
    }
    if let Some((_, w)) = current.take() {
        w.finish()?;
    }
    Ok(())
}
