//! Whole-store reads that hold a few records at a time, for exports that stream: a store
//! of a hundred thousand people does not fit comfortably in memory as decoded records.

use super::{Kind, Store, StoreError, at};
use crate::domain::{Conversation, Id};
use std::sync::mpsc::{Receiver, Sender, channel};

/// Conversations per hand-over between the two threads.
const AHEAD: usize = 256;

/// Batches read and not yet handed to `f`: enough to keep the decoding thread busy.
const IN_FLIGHT: usize = 2;

/// Stored records as read, with their ids.
type Raw = Vec<(Id, sled::IVec)>;

/// To the decoding thread: records to decode, or decoded ones to free.
enum Job {
    Decode(Raw),
    Free(Vec<Conversation>),
}

impl Store {
    /// Every conversation in date order (the order of [`Store::conversations`]), handed
    /// to `f` one at a time. Stops at the first error, the store's or `f`'s.
    ///
    /// The records are read here and decoded on a second thread, a few hundred at a time
    /// and a couple of batches ahead of `f`, so an export's decoding and its making and
    /// writing of rows run side by side. Each batch goes back to the thread that made it
    /// to be freed (decoded records to the decoding thread, stored bytes to this one):
    /// the allocator is quickest when memory is freed by the thread that took it. (Two
    /// decoding threads were tried: on two cores they cost more than they gained.)
    pub fn each_conversation<E: From<StoreError>>(
        &self,
        mut f: impl FnMut(&Conversation) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let (jobs, jobs_rx) = channel::<Job>();
        let (done_tx, done) = channel::<(Raw, Result<Vec<Conversation>, StoreError>)>();
        std::thread::scope(|s| {
            // Moved in, so it closes as this closure returns, before the scope waits: the
            // decoding thread then frees what it still holds and ends.
            let jobs = jobs;
            s.spawn(move || decode_jobs(jobs_rx, done_tx));
            let mut ids = super::bucketed::DATE_CONVERSATIONS.iter(&self.idx_date_conv);
            let mut in_flight = 0;
            loop {
                while in_flight < IN_FLIGHT {
                    let raw = self.read_batch(&mut ids)?;
                    if raw.is_empty() {
                        break;
                    }
                    let _ = jobs.send(Job::Decode(raw));
                    in_flight += 1;
                }
                if in_flight == 0 {
                    return Ok(());
                }
                let Ok((raw, decoded)) = done.recv() else {
                    return Err(StoreError::Rejected(
                        "the conversations could not be read: their reading stopped".into(),
                    )
                    .into());
                };
                in_flight -= 1;
                drop(raw);
                let decoded = decoded?;
                let stopped = decoded.iter().try_for_each(&mut f);
                let _ = jobs.send(Job::Free(decoded));
                stopped?;
            }
        })
    }

    /// The next batch of stored conversations in date order (empty at the end).
    fn read_batch(
        &self,
        ids: &mut impl Iterator<Item = Result<Vec<u8>, StoreError>>,
    ) -> Result<Raw, StoreError> {
        let mut raw = Vec::with_capacity(AHEAD);
        for k in ids.by_ref() {
            let k = k?;
            let Some(cid) = k.get(10..26).and_then(Id::from_slice) else {
                continue;
            };
            let v = self
                .conversations
                .get(cid.as_bytes())
                .map_err(at("conversations", cid.as_bytes()))?;
            if let Some(v) = v {
                raw.push((cid, v));
                if raw.len() == AHEAD {
                    break;
                }
            }
        }
        Ok(raw)
    }
}

/// The decoding half of [`Store::each_conversation`]: decodes each batch in turn (a
/// batch holding a damaged record comes back as that record's error) and frees what it
/// is given back, until the jobs end.
fn decode_jobs(jobs: Receiver<Job>, done: Sender<(Raw, Result<Vec<Conversation>, StoreError>)>) {
    for job in jobs {
        match job {
            Job::Decode(raw) => {
                let decoded = raw
                    .iter()
                    .map(|(id, v)| super::decode_record(Kind::Conversation, id.as_bytes(), v))
                    .collect();
                if done.send((raw, decoded)).is_err() {
                    return;
                }
            }
            Job::Free(decoded) => drop(decoded),
        }
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

    #[test]
    fn a_damaged_record_ends_the_read_with_its_name_after_the_batches_before_it() {
        let (_dir, store) = seeded(400);
        let all = store.conversations().expect("conversations");
        let victim = &all[3 * super::AHEAD + 7];
        let key = victim.id.as_bytes().to_vec();
        let mut bytes = store.conversations.get(&key).unwrap().unwrap().to_vec();
        let mid = bytes.len() / 2;
        bytes[mid] ^= 0x55;
        store.conversations.insert(&key, bytes).unwrap();
        let mut seen = 0;
        let r = store.each_conversation(|_| {
            seen += 1;
            Ok::<(), StoreError>(())
        });
        assert!(
            matches!(
                r,
                Err(StoreError::Damaged {
                    kind: "conversation",
                    ..
                })
            ),
            "{r:?}"
        );
        assert_eq!(
            seen,
            3 * super::AHEAD,
            "every sound batch before the damaged one"
        );
    }
}
