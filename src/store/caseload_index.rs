//! The caseload's index, kept with the records in the same transaction: one small entry
//! per person, in the order the caseload lists people (name ignoring case, then id),
//! holding what a caseload line shows. The first screenful of a caseload is then one
//! short range read, however many people the store holds, and the rest comes a page at
//! a time as the list is scrolled or filtered.
//!
//! Keys: `n` + lower-case name + NUL + id → the entry; `#count` → how many people. A
//! rename moves the entry: the write that renames knows the name it replaces. Like the
//! other kept trees it is derived: backups leave it out, a rebuild works it out from the
//! records, and `verify` compares it with them.

use super::kept::{pack, unpack};
use super::{Result, Store, StoreError};
use crate::domain::{Conversation, Id, Person, PersonKind, Stage};
use crate::rollup::rules::{Step, review_due_of};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, TransactionalTree};
use std::collections::BTreeMap;

pub const TREE: &str = "caseload";
const BY_NAME: u8 = b'n';
const COUNT: &[u8] = b"#count";
/// The format of the entries: bumped when what an entry holds changes, so an index kept
/// by an earlier version is rebuilt on open rather than misread (2: steps name their
/// outcomes, for the review rule; 3: no entry from id to name, a page-table's worth of
/// keys fewer to open).
pub const FORMAT: u8 = 3;

/// One person's caseload line, as kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: Id,
    pub name: String,
    pub kind: PersonKind,
    pub service: Id,
    /// The date of the person's latest conversation that counts.
    pub last: Option<NaiveDate>,
    /// The person's plans and reviews that count, for the review rule.
    pub steps: Vec<Step>,
}

impl Entry {
    /// The line of `person` with `conversations` (whole records or roll-up inputs: only
    /// dates, stages, agreed review dates and outcome ids are read).
    pub fn new(person: &Person, conversations: &[Conversation]) -> Entry {
        let counted = || conversations.iter().filter(|c| c.counts());
        let mut steps: Vec<Step> = counted()
            .filter(|c| c.stage() != Stage::Assessment)
            .map(Step::of)
            .collect();
        steps.sort_by_key(Step::place);
        Entry {
            id: person.id,
            name: person.name.clone(),
            kind: person.kind,
            service: person.service,
            last: counted().map(|c| c.date).max(),
            steps,
        }
    }

    /// The review date still awaited as of `as_of`, by the roll-up's rule.
    pub fn review_due(&self, as_of: NaiveDate) -> Option<NaiveDate> {
        review_due_of(&self.steps, as_of)
    }
}

/// Where an entry sits: the order of the caseload (name ignoring case, then id).
pub fn name_key(name: &str, id: &Id) -> Vec<u8> {
    let lower = name.to_lowercase();
    let mut k = Vec::with_capacity(lower.len() + 18);
    k.push(BY_NAME);
    k.extend_from_slice(lower.as_bytes());
    k.push(0);
    k.extend_from_slice(id.as_bytes());
    k
}

fn count_of(v: Option<&[u8]>) -> u64 {
    v.and_then(|b| b.try_into().ok())
        .map(u64::from_be_bytes)
        .unwrap_or(0)
}

type TxResult<T> = std::result::Result<T, ConflictableTransactionError<String>>;

/// Inside a write's transaction: puts a person's line in, moving it from where the
/// name it replaces (`was`, when the write replaces the person's record) put it.
pub(crate) fn put(tree: &TransactionalTree, e: &Entry, was: Option<&str>) -> TxResult<()> {
    let nk = name_key(&e.name, &e.id);
    let moved = match was.map(|w| name_key(w, &e.id)) {
        Some(old) if old != nk => tree.remove(old)?.is_some(),
        _ => false,
    };
    if tree.insert(nk, pack(e))?.is_none() && !moved {
        let n = count_of(tree.get(COUNT)?.as_deref());
        tree.insert(COUNT, &(n + 1).to_be_bytes())?;
    }
    Ok(())
}

/// Inside an erasure's transaction: takes the line of the person `id`, named `name`,
/// away.
pub(crate) fn remove(tree: &TransactionalTree, id: &Id, name: &str) -> TxResult<()> {
    if tree.remove(name_key(name, id))?.is_some() {
        let n = count_of(tree.get(COUNT)?.as_deref());
        tree.insert(COUNT, &n.saturating_sub(1).to_be_bytes())?;
    }
    Ok(())
}

/// The whole tree as the records say it should be, from every person's line.
pub(crate) fn expected_lines(lines: Vec<Entry>) -> BTreeMap<Vec<u8>, Vec<u8>> {
    let mut out = BTreeMap::new();
    let n = lines.len() as u64;
    for e in lines {
        out.insert(name_key(&e.name, &e.id), pack(&e));
    }
    out.insert(COUNT.to_vec(), n.to_be_bytes().to_vec());
    out
}

/// A page of the caseload, and where the next one starts.
#[derive(Clone, Debug)]
pub struct Page {
    pub entries: Vec<Entry>,
    /// Pass back as `after` for the next page; `None` when this page is the last.
    pub next: Option<Vec<u8>>,
}

fn damaged() -> StoreError {
    StoreError::Rejected(
        "the kept caseload index cannot be read; run `talking-points verify` to see what is wrong"
            .into(),
    )
}

impl Store {
    pub(crate) fn caseload_tree(&self) -> Result<sled::Tree> {
        Ok(self.db.open_tree(TREE)?)
    }

    /// Whether the caseload index is kept and in step with the records (a store made
    /// by an earlier version has none until it is upgraded on open).
    pub fn caseload_indexed(&self) -> Result<bool> {
        Ok(self.kept_state()?.is_some_and(|s| s.caseload_current()) && self.kept_plan()?.is_some())
    }

    /// How many people the caseload lists, from the index; `None` when it is not kept.
    pub fn caseload_count(&self) -> Result<Option<u64>> {
        if !self.caseload_indexed()? {
            return Ok(None);
        }
        Ok(Some(count_of(self.caseload_tree()?.get(COUNT)?.as_deref())))
    }

    /// Up to `limit` caseload lines in caseload order, after the one `after` names (from
    /// the start when `None`); `None` when the index is not kept.
    pub fn caseload_index_page(&self, after: Option<&[u8]>, limit: usize) -> Result<Option<Page>> {
        if !self.caseload_indexed()? {
            return Ok(None);
        }
        let start = match after {
            Some(a) => {
                let mut s = a.to_vec();
                s.push(0);
                s
            }
            None => vec![BY_NAME],
        };
        let end = vec![BY_NAME + 1];
        let mut entries = Vec::new();
        let mut last = None;
        for kv in self.caseload_tree()?.range(start..end) {
            if entries.len() >= limit {
                return Ok(Some(Page {
                    entries,
                    next: last,
                }));
            }
            let (k, v) = kv?;
            entries.push(unpack::<Entry>(&v).ok_or_else(damaged)?);
            last = Some(k.to_vec());
        }
        Ok(Some(Page {
            entries,
            next: None,
        }))
    }

    /// The kept caseload tree's contents, for `verify`.
    pub(crate) fn caseload_contents(&self) -> Result<BTreeMap<Vec<u8>, Vec<u8>>> {
        let mut out = BTreeMap::new();
        for kv in self.caseload_tree()?.iter() {
            let (k, v) = kv?;
            out.insert(k.to_vec(), v.to_vec());
        }
        Ok(out)
    }
}

/// A readable name for a key of the tree, for `verify`'s messages (ids only: names
/// never go into a message).
pub(crate) fn show(k: &[u8]) -> String {
    match k.first() {
        Some(&BY_NAME) if k.len() >= 17 => {
            format!("line of {}", super::show_key(&k[k.len() - 16..]))
        }
        _ => super::show_key(k),
    }
}
