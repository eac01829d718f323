//! Whole-store reads that hold a few records at a time, for exports that stream: a store
//! of a hundred thousand people does not fit comfortably in memory as decoded records.

use super::{Kind, Store, StoreError, at};
use crate::domain::{Conversation, Id};
use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};

/// Conversations decoded ahead, per hand-over between the two threads.
const AHEAD: usize = 256;

type Batch = Vec<Conversation>;

impl Store {
    /// Every conversation in date order (the order of [`Store::conversations`]), handed
    /// to `f` one at a time. Stops at the first error, the store's or `f`'s.
    ///
    /// The records are read and decoded on a second thread, a few hundred ahead of `f`,
    /// so an export's two halves (decoding, and making and writing rows) run side by
    /// side. Each batch goes back to that thread to be freed: the allocator is quickest
    /// when memory is freed by the thread that took it. (Two decoding threads were
    /// tried: on two cores they cost more than they gained.)
    pub fn each_conversation<E: From<StoreError>>(
        &self,
        mut f: impl FnMut(&Conversation) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let (full_tx, full_rx) = sync_channel::<Batch>(2);
        let (spent_tx, spent_rx) = channel::<Batch>();
        std::thread::scope(|s| {
            let reader = s.spawn(move || self.read_ahead(full_tx, spent_rx));
            let mut stopped = Ok(());
            for batch in full_rx.iter() {
                stopped = batch.iter().try_for_each(&mut f);
                let _ = spent_tx.send(batch);
                if stopped.is_err() {
                    break;
                }
            }
            // Tell the reader to stop (when `f` did) and to free what it gets back.
            drop(full_rx);
            drop(spent_tx);
            let read = match reader.join() {
                Ok(read) => read,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            stopped?;
            read.map_err(E::from)
        })
    }

    /// The reading half of [`Store::each_conversation`]: batches of decoded records to
    /// `full`, until the index ends or nobody takes them; frees what comes back on `spent`.
    fn read_ahead(
        &self,
        full: SyncSender<Batch>,
        spent: Receiver<Batch>,
    ) -> Result<(), StoreError> {
        let mut batch = Vec::with_capacity(AHEAD);
        for k in super::bucketed::DATE_CONVERSATIONS.iter(&self.idx_date_conv) {
            let k = k?;
            let Some(cid) = k.get(10..26).and_then(Id::from_slice) else {
                continue;
            };
            let v = self
                .conversations
                .get(cid.as_bytes())
                .map_err(at("conversations", cid.as_bytes()))?;
            if let Some(v) = v {
                batch.push(self.decode(Kind::Conversation, cid.as_bytes(), &v)?);
            }
            if batch.len() == AHEAD {
                if full.send(std::mem::take(&mut batch)).is_err() {
                    return Ok(()); // the other half stopped, and says why
                }
                batch = match spent.try_recv() {
                    Ok(mut used) => {
                        used.clear();
                        used
                    }
                    Err(_) => Vec::with_capacity(AHEAD),
                };
            }
        }
        if !batch.is_empty() {
            let _ = full.send(batch);
        }
        drop(full); // the end of the records
        // Free the rest here as it comes back, until the other half is done.
        spent.iter().for_each(drop);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::store::{Store, StoreError};

    fn seeded(people: usize) -> (tempfile::TempDir, Store) {
        let forms = crate::forms::Forms::embedded().expect("forms");
        let dir = tempfile::tempdir().expect("dir");
        let store = Store::open(&dir.path().join("s")).expect("store");
        crate::seed::generate(
            &store,
            &forms,
            &crate::seed::SeedOptions { people, seed: 3 },
            &mut |_| {},
        )
        .expect("seed");
        (dir, store)
    }

    #[test]
    fn every_conversation_comes_once_in_date_order_across_batches() {
        let (_dir, store) = seeded(400);
        let all = store.conversations().expect("conversations");
        assert!(all.len() > 3 * super::AHEAD, "several batches");
        let mut seen = Vec::new();
        store
            .each_conversation(|c| {
                seen.push(c.clone());
                Ok::<(), StoreError>(())
            })
            .expect("read");
        assert_eq!(seen, all);
    }

    #[test]
    fn a_stop_in_the_middle_ends_the_read_with_that_error() {
        let (_dir, store) = seeded(400);
        let mut n = 0;
        let r = store.each_conversation(|_| {
            n += 1;
            if n == 2 * super::AHEAD + 3 {
                return Err(StoreError::Rejected("stop here".into()));
            }
            Ok(())
        });
        assert!(matches!(r, Err(StoreError::Rejected(ref why)) if why == "stop here"));
        assert_eq!(
            n,
            2 * super::AHEAD + 3,
            "nothing is handed on after the error"
        );
    }
}
