//! A merge into a store that holds no records (a partnership's new team store) is a
//! bulk load, written like a restore rather than a few hundred people per
//! transaction: the store is first marked as being filled, the records, their indexes,
//! earlier revisions and audit entries go in with plain batched writes (encoded on two
//! threads while the batches are applied), and the kept roll-up trees and caseload
//! index are then worked out once from the records by the same rebuild an upgrade or a
//! restore uses. Only then is the mark cleared.
//!
//! Every record has been checked before this starts, as for any merge. A bulk merge
//! that is interrupted leaves the mark: the store refuses to open for anything but the
//! merge, which clears what the interrupted one wrote and starts again from empty, so
//! nothing is half-kept and nothing the bundles hold is lost.

use super::bucketed::{
    DATE_CONVERSATIONS, PERSON_CONVERSATIONS, SERVICE_PEOPLE, service_person_key,
};
use super::envelope::Kind;
use super::{Batch, Result, Store, StoreError, date_conv_key, encoded, person_conv_key};
use chrono::NaiveDate;
use std::path::Path;

/// What the mark of an interrupted fill says for a merge.
const OP: &str = "merge";
/// Records encoded and written per batch: big enough that each batch's fixed cost is
/// spread thin, small enough that the batches in flight stay a few megabytes.
const CHUNK: usize = 512;

/// The trees a bulk merge writes, by position in [`Store::bulk_trees`].
const SERVICES: usize = 0;
const PEOPLE: usize = 1;
const CONVERSATIONS: usize = 2;
const BY_SERVICE: usize = 3;
const BY_PERSON: usize = 4;
const BY_DATE: usize = 5;
const AUDIT: usize = 6;
const REVISIONS: usize = 7;

/// A slice of the work: records of one kind with the audit keys they take, or index
/// entries (whole, so no two jobs write the same one; sorted, so each batch lands at
/// the end of its tree, sled's quickest write).
enum Job<'a> {
    Services(&'a [&'a crate::domain::Service], &'a [[u8; 8]]),
    People(&'a [&'a crate::domain::Person], &'a [[u8; 8]]),
    Conversations(&'a [&'a crate::domain::Conversation], &'a [[u8; 8]]),
    Revisions(&'a [&'a crate::domain::Conversation]),
    Entries(usize, &'a [(Vec<u8>, Vec<u8>)]),
}

/// The writes of one job, by tree.
type Encoded = Vec<(usize, sled::Batch)>;

impl Store {
    /// Whether a merge into this store is a bulk load: it holds no records, or a bulk
    /// merge into it was interrupted (and is started again).
    pub fn takes_bulk_merge(&self) -> Result<bool> {
        Ok(match self.unfinished_import()? {
            Some(op) => op == OP,
            None => self.is_empty()?,
        })
    }

    /// Opens the store at `path` for a merge: as [`Store::open_with`], but a store a bulk
    /// merge left unfinished opens too, for the merge to be run again.
    pub fn open_for_merge(path: &Path, opts: &super::StoreOptions) -> Result<Store> {
        let store = Store::open_inner(path, opts)?;
        match store.unfinished_import()? {
            Some(op) if op != OP => Err(super::unfinished(path, &op)),
            _ => Ok(store),
        }
    }

    /// Writes checked records into this empty store (see the module's note), audited
    /// one entry per record; [`Store::finish_bulk_merge`] completes it.
    pub fn bulk_merge(&self, b: &Batch) -> Result<()> {
        self.begin_import(OP)?;
        let n_audit = if b.audit_each {
            b.services.len() + b.people.len() + b.conversations.len()
        } else {
            0
        };
        let keys = self.audit_keys(n_audit)?;
        let key_of = |from: usize, n: usize| keys.get(from..from + n).unwrap_or(&[]);
        let mut jobs = Vec::new();
        let mut at = 0;
        for part in b.services.chunks(CHUNK) {
            jobs.push(Job::Services(part, key_of(at, part.len())));
            at += part.len();
        }
        for part in b.people.chunks(CHUNK) {
            jobs.push(Job::People(part, key_of(at, part.len())));
            at += part.len();
        }
        for part in b.conversations.chunks(CHUNK) {
            jobs.push(Job::Conversations(part, key_of(at, part.len())));
            at += part.len();
        }
        for part in b.superseded.chunks(CHUNK) {
            jobs.push(Job::Revisions(part));
        }
        let sorted = |mut keys: Vec<Vec<u8>>| {
            keys.sort_unstable();
            keys
        };
        let by_service = sorted(
            b.people
                .iter()
                .map(|p| service_person_key(&p.service, &p.id))
                .collect(),
        );
        let by_person = sorted(b.conversations.iter().map(|c| person_conv_key(c)).collect());
        let by_date = sorted(b.conversations.iter().map(|c| date_conv_key(c)).collect());
        // The store is empty (a resumed merge cleared it), so each entry is written whole.
        let entries = [
            (BY_SERVICE, SERVICE_PEOPLE.group(&by_service)),
            (BY_PERSON, PERSON_CONVERSATIONS.group(&by_person)),
            (BY_DATE, DATE_CONVERSATIONS.group(&by_date)),
        ];
        for (tree, entries) in &entries {
            for part in entries.chunks(CHUNK) {
                jobs.push(Job::Entries(*tree, part));
            }
        }
        let trees = self.bulk_trees()?;
        // Two threads encode alternate jobs while this one applies what they send; the
        // keys are fixed in advance, so the order batches land in does not matter.
        std::thread::scope(|s| {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Encoded>>(4);
            for worker in 0..2 {
                let tx = tx.clone();
                let jobs = &jobs;
                s.spawn(move || {
                    for job in jobs.iter().skip(worker).step_by(2) {
                        // A closed channel means the writer stopped on an error.
                        if tx.send(self.encode_job(job)).is_err() {
                            return;
                        }
                    }
                });
            }
            drop(tx);
            for encoded in rx {
                for (tree, batch) in encoded? {
                    trees[tree].apply_batch(batch)?;
                }
            }
            Ok(())
        })
    }

    /// Completes a bulk merge: makes the records durable, works out the kept roll-up
    /// trees and caseload index from them as of `today`, and clears the mark.
    pub fn finish_bulk_merge(&self, today: NaiveDate) -> Result<()> {
        self.finish_import_as_of(today)
    }

    fn bulk_trees(&self) -> Result<[sled::Tree; 8]> {
        Ok([
            self.services.clone(),
            self.people.clone(),
            self.conversations.clone(),
            self.idx_service_person.clone(),
            self.idx_person_conv.clone(),
            self.idx_date_conv.clone(),
            self.audit.clone(),
            self.revisions()?,
        ])
    }

    fn encode_job(&self, job: &Job) -> Result<Encoded> {
        let mut audit = sled::Batch::default();
        let mut logged = false;
        let mut log = |keys: &[[u8; 8]], i: usize, record: &str, id: &crate::domain::Id| {
            if let Some(key) = keys.get(i) {
                logged = true;
                let e = self.entry("create", record, &id.to_string());
                audit.insert(&key[..], encoded(Kind::Audit, key, &e)?);
            }
            Ok::<(), StoreError>(())
        };
        let mut out = Vec::with_capacity(4);
        match job {
            Job::Services(records, keys) => {
                let mut b = sled::Batch::default();
                for (i, s) in records.iter().enumerate() {
                    let key = s.id.as_bytes();
                    b.insert(&key[..], encoded(Kind::Service, key, *s)?);
                    log(keys, i, "service", &s.id)?;
                }
                out.push((SERVICES, b));
            }
            Job::People(records, keys) => {
                let mut b = sled::Batch::default();
                for (i, p) in records.iter().enumerate() {
                    let key = p.id.as_bytes();
                    b.insert(&key[..], encoded(Kind::Person, key, *p)?);
                    log(keys, i, "person", &p.id)?;
                }
                out.push((PEOPLE, b));
            }
            Job::Conversations(records, keys) => {
                let mut b = sled::Batch::default();
                for (i, c) in records.iter().enumerate() {
                    let key = c.id.as_bytes();
                    b.insert(&key[..], encoded(Kind::Conversation, key, *c)?);
                    log(keys, i, "conversation", &c.id)?;
                }
                out.push((CONVERSATIONS, b));
            }
            Job::Entries(tree, entries) => {
                let mut b = sled::Batch::default();
                for (k, v) in entries.iter() {
                    b.insert(&k[..], &v[..]);
                }
                out.push((*tree, b));
            }
            Job::Revisions(records) => {
                let mut b = sled::Batch::default();
                for c in records.iter() {
                    let rkey = super::revisions::key(c)
                        .map_err(|e| StoreError::Rejected(format!("{e}; nothing was saved")))?;
                    let v = encoded(Kind::Revision, &rkey, *c)?;
                    b.insert(rkey, v);
                }
                out.push((REVISIONS, b));
            }
        }
        // Only record jobs log; an empty batch would still cost a write to the log.
        if logged {
            out.push((AUDIT, audit));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::Forms;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).expect("date")
    }

    #[test]
    fn an_interrupted_bulk_merge_keeps_the_store_shut_until_the_merge_is_run_again() {
        let dir = tempfile::tempdir().expect("temp");
        let forms = Forms::embedded().expect("forms");
        let src = Store::open(&dir.path().join("src")).expect("open");
        let opts = crate::seed::SeedOptions {
            people: 80,
            seed: 3,
        };
        crate::seed::generate(&src, &forms, &opts, &mut |_| {}).expect("seed");
        let bundle = dir.path().join("a.bundle");
        let contents = crate::bundle::contents_of(&src).expect("contents");
        std::fs::write(&bundle, crate::bundle::encode(&contents).expect("encode")).expect("write");

        // A merge into an empty store cut short after some people were written.
        let team = dir.path().join("team");
        {
            let t = Store::open(&team).expect("open");
            assert!(t.takes_bulk_merge().expect("empty"));
            t.bulk_merge(&Batch {
                services: contents.services.iter().collect(),
                people: contents.people[..30].iter().collect(),
                audit_each: true,
                ..Default::default()
            })
            .expect("part");
        }
        let refused = Store::open(&team).err().expect("refused").to_string();
        assert!(
            refused.contains("a merge into") && refused.contains("run the merge again"),
            "{refused}"
        );

        // The merge run again starts from empty and gives the store merged whole.
        let t = Store::open_for_merge(&team, &Default::default()).expect("opens for merge");
        assert!(t.takes_bulk_merge().expect("resumes"));
        let s = crate::bundle::merge(
            &t,
            std::slice::from_ref(&bundle),
            &forms,
            today(),
            &mut |_, _| {},
        )
        .expect("merge");
        assert_eq!(s.total.people_new, contents.people.len());
        drop(t);
        let t = Store::open(&team).expect("opens once complete");
        assert_eq!(t.people().expect("people"), src.people().expect("people"));
        assert_eq!(
            t.conversations().expect("conversations"),
            src.conversations().expect("conversations")
        );
        let v = t.verify().expect("verify");
        assert!(v.is_sound(), "{:?}", v.issues);
        assert!(t.caseload_indexed().expect("caseload"));
        // One audit entry per record written, none left over from the cut-short merge.
        let creates = t
            .audit_entries()
            .expect("audit")
            .iter()
            .filter(|e| e.action == "create")
            .count();
        assert_eq!(
            creates,
            contents.services.len() + contents.people.len() + contents.conversations.len()
        );
        // A store that holds records takes the merge in parts instead.
        assert!(!t.takes_bulk_merge().expect("not empty"));
    }
}
