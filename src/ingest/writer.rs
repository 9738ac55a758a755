//! The writer thread: appends validated batches to new Parquet parts while the next chunks are
//! validated.
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender};

use arrow::array::RecordBatch;

use crate::Result;
use crate::schema::Table;
use crate::warehouse::{PartWriter, Unsynced};

/// Batches for the part file at `path` of `table`, in order.
pub(super) struct WriteMsg {
    pub(super) table: Table,
    pub(super) path: Arc<PathBuf>,
    pub(super) batches: Vec<RecordBatch>,
}

/// Appends batches to part files, one open part at a time. A closed part is synced by a thread of
/// its own, so that the writer goes on encoding while the disk catches up (it waited 0.19 s for
/// the disk at scale 10); every part is synced before this returns.
pub(super) fn writer_thread(rx: Receiver<WriteMsg>) -> Result<()> {
    let (sync_tx, sync_rx) = std::sync::mpsc::channel::<Unsynced>();
    let syncer = std::thread::spawn(move || -> Result<()> {
        // Every part is synced even after a failure, which is then reported.
        sync_rx.into_iter().map(Unsynced::sync).fold(Ok(()), Result::and)
    });
    let written = write_parts(rx, &sync_tx);
    drop(sync_tx);
    let synced = syncer.join().map_err(|_| crate::Error::Other("the thread syncing Parquet parts panicked".into()))?;
    written.and(synced)
}

fn write_parts(rx: Receiver<WriteMsg>, synced: &Sender<Unsynced>) -> Result<()> {
    let mut current: Option<(Arc<PathBuf>, PartWriter)> = None;
    let close = |w: PartWriter| -> Result<()> {
        let (_, unsynced) = w.close()?;
        // The syncer runs until this sender is dropped; should it have died, sync here.
        match synced.send(unsynced) {
            Ok(()) => Ok(()),
            Err(std::sync::mpsc::SendError(unsynced)) => unsynced.sync(),
        }
    };
    for msg in rx {
        let Some(first) = msg.batches.first() else { continue };
        if current.as_ref().is_none_or(|(p, _)| *p != msg.path) {
            if let Some((_, w)) = current.take() {
                close(w)?;
            }
            current = Some((msg.path.clone(), PartWriter::create(&msg.path, first.schema(), Some(msg.table))?));
        }
        let writer = &mut current.as_mut().expect("an open part").1;
        for b in &msg.batches {
            writer.write(b)?;
        }
    }
    if let Some((_, w)) = current.take() {
        close(w)?;
    }
    Ok(())
}
