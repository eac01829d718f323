//! An index kept as a few large entries instead of one small entry per key.
//!
//! sled splits a leaf page at sixteen entries, and opening a store reads one page-table
//! entry per page, so three indexes of one key per conversation or person (a million
//! keys on a hundred-thousand-person store) set most of the time a store takes to open.
//! Here each index key (fixed length) is cut in two: its first `bucket` bytes name a
//! stored entry, and the rest is one `item` in that entry's value, the items sorted and
//! packed end to end. Reading the buckets in order and the items in order gives the keys
//! in exactly the order one key per entry would: the layout changes how many pages a
//! store holds, not what an index says.

use super::{Result, StoreError};
use crate::domain::Id;
use sled::IVec;
use sled::transaction::{ConflictableTransactionError, TransactionalTree};

/// How the keys of one index are cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Layout {
    /// The tree's name, for messages.
    pub name: &'static str,
    /// Bytes of a key that name its entry.
    pub bucket: usize,
    /// Bytes of a key kept in the entry's value.
    pub item: usize,
}

/// People by service: see [`service_person_key`].
pub(crate) const SERVICE_PEOPLE: Layout = Layout {
    name: "service_people",
    bucket: 17,
    item: 16,
};

/// A person's key in the service index: the service's id, then the person in
/// [`super::records::service_order`] (the last byte of their id, random in every id
/// where the first bytes are a time, so a service of thousands spreads over up to 256
/// short entries; then the id).
pub(crate) fn service_person_key(service: &Id, person: &Id) -> Vec<u8> {
    let (byte, id) = super::records::service_order(person);
    let mut k = Vec::with_capacity(33);
    k.extend_from_slice(service.as_bytes());
    k.push(byte);
    k.extend_from_slice(id.as_bytes());
    k
}

/// The person a service index key names.
pub(crate) fn person_of_service_key(k: &[u8]) -> Option<Id> {
    k.get(17..33).and_then(Id::from_slice)
}

/// Conversations by person: person id; then the date (`YYYY-MM-DD`) and conversation id.
pub(crate) const PERSON_CONVERSATIONS: Layout = Layout {
    name: "person_conversations",
    bucket: 16,
    item: 26,
};

/// Conversations by date: the date (`YYYY-MM-DD`); then the conversation id.
pub(crate) const DATE_CONVERSATIONS: Layout = Layout {
    name: "date_conversations",
    bucket: 10,
    item: 16,
};

/// How a key an earlier version kept becomes a key here.
type Convert = fn(&[u8]) -> Option<Vec<u8>>;

/// The three indexes, with the names of the one-key-per-entry trees an earlier version
/// kept them in (empty values) and how a key kept there becomes a key here.
pub(crate) const ALL: [(Layout, &str, Convert); 3] = [
    (SERVICE_PEOPLE, "idx_service_person", |k| {
        let service = Id::from_slice(k.get(..16)?)?;
        let person = Id::from_slice(k.get(16..32)?)?;
        Some(service_person_key(&service, &person))
    }),
    (PERSON_CONVERSATIONS, "idx_person_conversation", |k| {
        Some(k.to_vec())
    }),
    (DATE_CONVERSATIONS, "idx_date_conversation", |k| {
        Some(k.to_vec())
    }),
];

/// Whether a tree name is one of the indexes, as kept now or by an earlier version.
pub(crate) fn is_index(name: &[u8]) -> bool {
    ALL.iter()
        .any(|(l, old, _)| l.name.as_bytes() == name || old.as_bytes() == name)
}

type TxResult<T> = std::result::Result<T, ConflictableTransactionError<String>>;

impl Layout {
    pub fn key_len(&self) -> usize {
        self.bucket + self.item
    }

    fn split<'k>(&self, key: &'k [u8]) -> Option<(&'k [u8], &'k [u8])> {
        (key.len() == self.key_len()).then(|| key.split_at(self.bucket))
    }

    fn damaged(&self, bucket: &[u8]) -> StoreError {
        StoreError::Damaged {
            kind: "index",
            key: format!("{} {}", self.name, super::show_key(bucket)),
            problem: super::envelope::EnvelopeError::Short,
        }
    }

    /// Whether a stored value is a whole number of items, each after the one before.
    pub fn sound(&self, value: &[u8]) -> bool {
        value.len().is_multiple_of(self.item)
            && value
                .chunks(self.item)
                .zip(value.chunks(self.item).skip(1))
                .all(|(a, b)| a < b)
    }

    /// Where `item` is, or would go, among the sorted items of `value`.
    fn find(&self, value: &[u8], item: &[u8]) -> std::result::Result<usize, usize> {
        let n = value.len() / self.item;
        let (mut lo, mut hi) = (0, n);
        while lo < hi {
            let mid = (lo + hi) / 2;
            let at = &value[mid * self.item..(mid + 1) * self.item];
            match at.cmp(item) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Ok(mid),
            }
        }
        Err(lo)
    }

    /// Inside a write's transaction: adds a key (nothing when it is there already).
    pub fn insert(&self, tree: &TransactionalTree, key: &[u8]) -> TxResult<()> {
        let Some((bucket, item)) = self.split(key) else {
            return Err(self.wrong_length());
        };
        let value = tree.get(bucket)?;
        let value = value.as_deref().unwrap_or(&[]);
        if let Err(at) = self.find(value, item) {
            let mut v = Vec::with_capacity(value.len() + self.item);
            v.extend_from_slice(&value[..at * self.item]);
            v.extend_from_slice(item);
            v.extend_from_slice(&value[at * self.item..]);
            tree.insert(bucket, v)?;
        }
        Ok(())
    }

    /// Inside a write's transaction: takes a key away (nothing when it is not there).
    pub fn remove(&self, tree: &TransactionalTree, key: &[u8]) -> TxResult<()> {
        let Some((bucket, item)) = self.split(key) else {
            return Err(self.wrong_length());
        };
        let Some(value) = tree.get(bucket)? else {
            return Ok(());
        };
        if let Ok(at) = self.find(&value, item) {
            if value.len() == self.item {
                tree.remove(bucket)?;
            } else {
                let mut v = Vec::with_capacity(value.len() - self.item);
                v.extend_from_slice(&value[..at * self.item]);
                v.extend_from_slice(&value[(at + 1) * self.item..]);
                tree.insert(bucket, v)?;
            }
        }
        Ok(())
    }

    fn wrong_length(&self) -> ConflictableTransactionError<String> {
        ConflictableTransactionError::Abort(format!(
            "an entry of the {} index has the wrong length; nothing was saved",
            self.name
        ))
    }

    /// Sorted, distinct keys grouped into their entries, in order.
    pub fn group(&self, sorted: &[Vec<u8>]) -> Vec<(Vec<u8>, Vec<u8>)> {
        let mut out: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
        for k in sorted {
            let Some((bucket, item)) = self.split(k) else {
                continue;
            };
            match out.last_mut() {
                Some((b, v)) if b[..] == *bucket => {
                    if !v.ends_with(item) {
                        v.extend_from_slice(item);
                    }
                }
                _ => out.push((bucket.to_vec(), item.to_vec())),
            }
        }
        out
    }

    /// Adds sorted keys to `tree` outside a transaction (for bulk loads and upgrades),
    /// keeping whatever each entry held already.
    pub fn add_sorted(&self, tree: &sled::Tree, sorted: &[Vec<u8>]) -> Result<()> {
        let mut batch = sled::Batch::default();
        for (bucket, items) in self.group(sorted) {
            let value = match tree.get(&bucket)? {
                Some(old) if !old.is_empty() => self.union(&old, &items),
                _ => items,
            };
            batch.insert(bucket, value);
        }
        tree.apply_batch(batch)?;
        Ok(())
    }

    /// The sorted union of two sorted item lists.
    fn union(&self, a: &[u8], b: &[u8]) -> Vec<u8> {
        let mut all: Vec<&[u8]> = a.chunks(self.item).chain(b.chunks(self.item)).collect();
        all.sort_unstable();
        all.dedup();
        all.concat()
    }

    /// The keys of `tree` that start with `prefix`, in order.
    pub fn scan(&self, tree: &sled::Tree, prefix: &[u8]) -> Keys {
        self.scan_after(tree, prefix, None)
    }

    /// The keys of `tree` that start with `prefix` and come after `after`, in order.
    pub fn scan_after(&self, tree: &sled::Tree, prefix: &[u8], after: Option<&[u8]>) -> Keys {
        let head = &prefix[..prefix.len().min(self.bucket)];
        let from = match after {
            Some(a) if a[..a.len().min(self.bucket)] > *head => &a[..a.len().min(self.bucket)],
            _ => head,
        };
        Keys {
            layout: *self,
            buckets: tree.range(from.to_vec()..),
            head: head.to_vec(),
            prefix: prefix.to_vec(),
            after: after.map(<[u8]>::to_vec),
            entry: None,
            at: 0,
        }
    }

    /// Every key of `tree`, in order.
    pub fn iter(&self, tree: &sled::Tree) -> Keys {
        self.scan(tree, &[])
    }

    /// The first key of `tree`.
    pub fn first(&self, tree: &sled::Tree) -> Result<Option<Vec<u8>>> {
        match tree.first()? {
            Some((b, v)) if v.len() >= self.item => Ok(Some([&b[..], &v[..self.item]].concat())),
            Some((b, _)) => Err(self.damaged(&b)),
            None => Ok(None),
        }
    }

    /// The last key of `tree`.
    pub fn last(&self, tree: &sled::Tree) -> Result<Option<Vec<u8>>> {
        match tree.last()? {
            Some((b, v)) if v.len() >= self.item && v.len().is_multiple_of(self.item) => {
                Ok(Some([&b[..], &v[v.len() - self.item..]].concat()))
            }
            Some((b, _)) => Err(self.damaged(&b)),
            None => Ok(None),
        }
    }
}

/// Keys read from an index, in order; see [`Layout::scan`].
pub(crate) struct Keys {
    layout: Layout,
    buckets: sled::Iter,
    head: Vec<u8>,
    prefix: Vec<u8>,
    after: Option<Vec<u8>>,
    entry: Option<(IVec, IVec)>,
    at: usize,
}

impl Iterator for Keys {
    type Item = Result<Vec<u8>>;

    fn next(&mut self) -> Option<Self::Item> {
        let l = self.layout;
        loop {
            if let Some((bucket, value)) = &self.entry {
                if self.at + l.item <= value.len() {
                    let item = &value[self.at..self.at + l.item];
                    self.at += l.item;
                    let key = [&bucket[..], item].concat();
                    if !key.starts_with(&self.prefix)
                        || self.after.as_ref().is_some_and(|a| key[..] <= a[..])
                    {
                        continue;
                    }
                    return Some(Ok(key));
                }
                if self.at != value.len() {
                    let bucket = bucket.to_vec();
                    self.entry = None;
                    return Some(Err(l.damaged(&bucket)));
                }
            }
            match self.buckets.next()? {
                Ok((bucket, value)) => {
                    if !bucket.starts_with(&self.head) {
                        return None;
                    }
                    self.entry = Some((bucket, value));
                    self.at = 0;
                }
                // A read error names the index, as every tree's does.
                Err(e) => return Some(Err(super::at(l.name, &self.head)(e))),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    const L: Layout = Layout {
        name: "test",
        bucket: 2,
        item: 2,
    };

    fn db() -> sled::Db {
        sled::Config::new().temporary(true).open().expect("db")
    }

    fn apply(tree: &sled::Tree, add: &[[u8; 4]], remove: &[[u8; 4]]) {
        tree.transaction(|tx| {
            for k in add {
                L.insert(tx, k)?;
            }
            for k in remove {
                L.remove(tx, k)?;
            }
            Ok::<(), ConflictableTransactionError<String>>(())
        })
        .expect("transaction");
    }

    fn keys(k: Keys) -> Vec<Vec<u8>> {
        k.collect::<Result<Vec<_>>>().expect("keys")
    }

    proptest! {
        // Whatever is added and taken away, the index reads back exactly as a set of
        // keys would: every key, in order, by prefix, after a key, first and last.
        #[test]
        fn the_index_reads_as_a_sorted_set_of_keys(
            add in proptest::collection::vec(proptest::array::uniform4(0u8..4), 0..60),
            remove in proptest::collection::vec(proptest::array::uniform4(0u8..4), 0..30),
            bulk in proptest::collection::vec(proptest::array::uniform4(0u8..4), 0..30),
            prefix in proptest::collection::vec(0u8..4, 0..4),
            after in proptest::array::uniform4(0u8..4),
        ) {
            let db = db();
            let tree = db.open_tree("t").expect("tree");
            apply(&tree, &add, &remove);
            let mut sorted: Vec<Vec<u8>> = bulk.iter().map(|k| k.to_vec()).collect();
            sorted.sort();
            sorted.dedup();
            L.add_sorted(&tree, &sorted).expect("bulk");

            let mut set: BTreeSet<Vec<u8>> = add.iter().map(|k| k.to_vec()).collect();
            for k in &remove {
                set.remove(&k[..]);
            }
            set.extend(sorted);
            let all: Vec<Vec<u8>> = set.iter().cloned().collect();
            prop_assert_eq!(keys(L.iter(&tree)), all.clone());
            let with: Vec<Vec<u8>> = all.iter().filter(|k| k.starts_with(&prefix)).cloned().collect();
            prop_assert_eq!(keys(L.scan(&tree, &prefix)), with.clone());
            let later: Vec<Vec<u8>> = with.iter().filter(|k| k[..] > after[..]).cloned().collect();
            prop_assert_eq!(keys(L.scan_after(&tree, &prefix, Some(&after))), later);
            prop_assert_eq!(L.first(&tree).expect("first"), all.first().cloned());
            prop_assert_eq!(L.last(&tree).expect("last"), all.last().cloned());
            for kv in tree.iter() {
                let (_, v) = kv.expect("entry");
                prop_assert!(L.sound(&v) && !v.is_empty());
            }
        }
    }

    #[test]
    fn a_damaged_entry_is_reported_not_misread() {
        let db = db();
        let tree = db.open_tree("t").expect("tree");
        tree.insert([0u8, 1], &[5u8, 6, 7][..]).expect("insert");
        let read: Vec<Result<Vec<u8>>> = L.iter(&tree).collect();
        assert_eq!(read.len(), 2);
        assert_eq!(read[0].as_ref().expect("first item"), &vec![0, 1, 5, 6]);
        assert!(read[1].is_err());
        assert!(L.last(&tree).is_err());
        assert!(!L.sound(&[5, 6, 7]));
        assert!(!L.sound(&[5, 6, 1, 2]), "items out of order");
    }
}
