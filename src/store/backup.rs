//! `backup` and `restore`: the whole store (every tree, the secret key and drafts
//! included) in one file that is checked as a whole before anything is restored.
//!
//! Layout: `b"TPBACKUP\n"`, format version (u8); then one entry per key/value pair: tag
//! 1, tree name (u16 big-endian length, bytes), key (u32 length, bytes), value (u32
//! length, bytes); then tag 0 and the number of entries (u64); then the BLAKE3 hash
//! (32 bytes) of everything before it. A file cut short or changed anywhere fails the
//! hash and is refused whole.

use super::envelope::{self, Kind};
use super::{Result, Store, StoreError, StoreOptions, durability};
use std::io::Write;
use std::path::{Path, PathBuf};

pub const MAGIC: &[u8] = b"TPBACKUP\n";
pub const VERSION: u8 = 1;
const HASH: usize = 32;
/// The meta key that marks a store being filled by `restore` or `salvage`.
pub(crate) const INCOMPLETE: &str = "incomplete";
const DEFAULT_TREE: &[u8] = b"__sled__default";
const AUDIT: &[u8] = b"audit";

/// One key/value pair of one tree, as held in a backup.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pair {
    pub tree: Vec<u8>,
    pub key: Vec<u8>,
    pub value: Vec<u8>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub services: usize,
    pub people: usize,
    pub conversations: usize,
    pub drafts: usize,
    pub audit: usize,
    /// Every pair, indexes and meta included.
    pub pairs: usize,
}

impl Counts {
    fn of(pairs: &[Pair]) -> Counts {
        let mut c = Counts {
            pairs: pairs.len(),
            ..Counts::default()
        };
        for p in pairs {
            match &p.tree[..] {
                b"services" => c.services += 1,
                b"people" => c.people += 1,
                b"conversations" => c.conversations += 1,
                b"drafts" => c.drafts += 1,
                b"audit" => c.audit += 1,
                _ => {}
            }
        }
        c
    }

    pub fn line(&self) -> String {
        format!(
            "{} services, {} people, {} conversations, {} drafts, {} audit entries",
            self.services, self.people, self.conversations, self.drafts, self.audit
        )
    }
}

/// Why a backup file was refused, as one sentence.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} is not a talking-points backup")]
    NotBackup(PathBuf),
    #[error("{0} was written by a newer talking-points (backup format {1})")]
    Version(PathBuf, u8),
    #[error("{0} is damaged or incomplete (its checksum does not match); nothing was restored")]
    Hash(PathBuf),
    #[error(
        "{path} holds a damaged record ({tree} {key} {problem}) though its checksum matches; nothing was restored"
    )]
    Record {
        path: PathBuf,
        tree: String,
        key: String,
        problem: envelope::EnvelopeError,
    },
}

fn put(out: &mut Vec<u8>, p: &Pair) {
    out.push(1);
    out.extend_from_slice(&(p.tree.len() as u16).to_be_bytes());
    out.extend_from_slice(&p.tree);
    out.extend_from_slice(&(p.key.len() as u32).to_be_bytes());
    out.extend_from_slice(&p.key);
    out.extend_from_slice(&(p.value.len() as u32).to_be_bytes());
    out.extend_from_slice(&p.value);
}

/// The backup file's bytes for these pairs.
pub fn encode(pairs: &[Pair]) -> Vec<u8> {
    let mut out = Vec::with_capacity(
        64 + pairs
            .iter()
            .map(|p| 11 + p.tree.len() + p.key.len() + p.value.len())
            .sum::<usize>(),
    );
    out.extend_from_slice(MAGIC);
    out.push(VERSION);
    for p in pairs {
        put(&mut out, p);
    }
    out.push(0);
    out.extend_from_slice(&(pairs.len() as u64).to_be_bytes());
    let hash = blake3::hash(&out);
    out.extend_from_slice(hash.as_bytes());
    out
}

struct Reader<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let s = self.b.get(self.at..end)?;
        self.at = end;
        Some(s)
    }
    fn u8(&mut self) -> Option<u8> {
        self.take(1).map(|s| s[0])
    }
    fn u16(&mut self) -> Option<usize> {
        self.take(2)
            .map(|s| u16::from_be_bytes([s[0], s[1]]) as usize)
    }
    fn u32(&mut self) -> Option<usize> {
        self.take(4)
            .map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]) as usize)
    }
}

/// Checks a backup file's bytes whole (hash, structure, every record's envelope) and
/// returns its pairs. Nothing is trusted before the hash matches.
pub fn decode(path: &Path, bytes: &[u8]) -> std::result::Result<Vec<Pair>, BackupError> {
    if !bytes.starts_with(MAGIC) {
        return Err(BackupError::NotBackup(path.into()));
    }
    let Some(&version) = bytes.get(MAGIC.len()) else {
        return Err(BackupError::Hash(path.into()));
    };
    if version != VERSION {
        return Err(BackupError::Version(path.into(), version));
    }
    if bytes.len() < MAGIC.len() + 1 + 1 + 8 + HASH {
        return Err(BackupError::Hash(path.into()));
    }
    let (body, hash) = bytes.split_at(bytes.len() - HASH);
    if blake3::hash(body).as_bytes() != hash {
        return Err(BackupError::Hash(path.into()));
    }
    // The hash holds, so the structure is ours; it is still read defensively.
    let bad = || BackupError::Hash(path.into());
    let mut r = Reader {
        b: body,
        at: MAGIC.len() + 1,
    };
    let mut pairs = Vec::new();
    loop {
        match r.u8().ok_or_else(bad)? {
            0 => break,
            1 => {
                let n = r.u16().ok_or_else(bad)?;
                let tree = r.take(n).ok_or_else(bad)?.to_vec();
                let n = r.u32().ok_or_else(bad)?;
                let key = r.take(n).ok_or_else(bad)?.to_vec();
                let n = r.u32().ok_or_else(bad)?;
                let value = r.take(n).ok_or_else(bad)?.to_vec();
                pairs.push(Pair { tree, key, value });
            }
            _ => return Err(bad()),
        }
    }
    let count = r.take(8).ok_or_else(bad)?;
    if u64::from_be_bytes(count.try_into().map_err(|_| bad())?) != pairs.len() as u64
        || r.at != body.len()
    {
        return Err(bad());
    }
    for p in &pairs {
        check_value(p).map_err(|problem| BackupError::Record {
            path: path.into(),
            tree: String::from_utf8_lossy(&p.tree).chars().take(40).collect(),
            key: super::show_key(&p.key),
            problem,
        })?;
    }
    Ok(pairs)
}

/// A stored value is either empty (an index entry) or a sound envelope that, when it
/// names its key, names this one.
pub(crate) fn check_value(p: &Pair) -> std::result::Result<(), envelope::EnvelopeError> {
    if p.value.is_empty() {
        return Ok(());
    }
    let o = envelope::open(&p.value)?;
    if let Some(k) = o.key
        && k != &p.key[..]
    {
        return Err(envelope::EnvelopeError::WrongKey);
    }
    Ok(())
}

/// Writes `bytes` to `path` so that the file is either the old one or the whole new
/// one: a temporary owner-only file in the same directory, synced, renamed over the
/// name (never following a link there), then the directory synced.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "backup".into());
    let tmp = dir.join(format!(".{name}.{}.partial", uuid::Uuid::new_v4().simple()));
    let res = (|| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)?;
        durability::sync_dir(&dir)
    })();
    if res.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    res
}

impl Store {
    /// Every key/value pair of every tree, stopping at the first read error.
    pub fn pairs(&self) -> Result<Vec<Pair>> {
        let mut names = self.db.tree_names();
        names.sort();
        let mut out = Vec::new();
        for name in names {
            if left_out_of_backup(&name) {
                continue;
            }
            let tree = self.db.open_tree(&name)?;
            let label = tree_label(&name);
            for kv in tree.iter() {
                let (k, v) = kv.map_err(|source| StoreError::DbAt {
                    tree: label,
                    key: String::new(),
                    source,
                })?;
                if &name[..] == b"meta" && &k[..] == INCOMPLETE.as_bytes() {
                    continue;
                }
                let pair = Pair {
                    tree: name.to_vec(),
                    key: k.to_vec(),
                    value: v.to_vec(),
                };
                // A damaged record is found now, not when the backup is needed.
                check_value(&pair).map_err(|problem| StoreError::Damaged {
                    kind: label,
                    key: super::show_key(&k),
                    problem,
                })?;
                out.push(pair);
            }
        }
        Ok(out)
    }

    /// Writes the whole store to `file` and records that in the audit trail.
    pub fn backup(&self, file: &Path) -> Result<Counts> {
        let pairs = self.pairs()?;
        let counts = Counts::of(&pairs);
        write_atomically(file, &encode(&pairs)).map_err(|e| {
            StoreError::Rejected(if super::errors::is_full(&e) {
                super::errors::full_disk(file.parent().unwrap_or(Path::new(".")))
            } else {
                format!("cannot write {}: {}", file.display(), io_reason(&e))
            })
        })?;
        self.log("backup", "store", &counts.line())?;
        Ok(counts)
    }

    /// Opens a store to be filled by `restore` or `salvage`, which may carry on after
    /// an interrupted run of either.
    pub fn open_for_import(path: &Path) -> Result<Store> {
        Store::open_inner(path, &StoreOptions::default())
    }

    /// The operation (`restore`, `salvage`, a bulk `merge`) that began filling this store
    /// and has not finished.
    pub(crate) fn unfinished_import(&self) -> Result<Option<String>> {
        match self.meta.get(INCOMPLETE)? {
            Some(v) => Ok(Some(
                envelope::decode::<String>(Kind::Meta, &v).unwrap_or_else(|_| "restore".into()),
            )),
            None => Ok(None),
        }
    }

    /// Whether the store holds no records: nothing but its own key and audit entries
    /// (a `verify` of a new store leaves one).
    pub fn is_empty(&self) -> Result<bool> {
        for name in self.db.tree_names() {
            if left_out_of_backup(&name) || &name[..] == AUDIT {
                continue;
            }
            let tree = self.db.open_tree(&name)?;
            for kv in tree.iter().keys() {
                let k = kv?;
                let own = &name[..] == b"meta"
                    && matches!(&k[..], b"secret" | b"created" | b"incomplete");
                if !own {
                    return Ok(false);
                }
            }
        }
        Ok(true)
    }

    /// Marks the store as being filled, and empties what an interrupted fill left.
    pub(crate) fn begin_import(&self, op: &str) -> Result<()> {
        let resuming = self.unfinished_import()?.is_some();
        if !resuming && !self.is_empty()? {
            return Err(StoreError::Rejected(format!(
                "{} already holds records; {op} only into a new or empty store (give another --store or --out)",
                self.path.display()
            )));
        }
        self.meta.insert(
            INCOMPLETE,
            super::encoded(Kind::Meta, INCOMPLETE.as_bytes(), op)?,
        )?;
        self.flush()?;
        if resuming {
            for name in self.db.tree_names() {
                if &name[..] == DEFAULT_TREE || &name[..] == b"meta" {
                    continue;
                }
                self.db.open_tree(&name)?.clear()?;
            }
            self.flush()?;
        }
        Ok(())
    }

    pub(crate) fn finish_import(&self) -> Result<()> {
        self.finish_import_as_of(chrono::Local::now().date_naive())
    }

    pub(crate) fn finish_import_as_of(&self, today: chrono::NaiveDate) -> Result<()> {
        self.flush()?;
        // The kept roll-up trees are derived, so they are worked out from what came in.
        self.rebuild_kept(today)?;
        self.meta.remove(INCOMPLETE)?;
        self.flush()
    }

    /// Writes pairs as they are, except audit entries, which take fresh keys in their
    /// order (this store numbers its own audit entries and must not reuse a key).
    pub(crate) fn put_pairs(&self, pairs: &[Pair]) -> Result<()> {
        let mut by_tree: std::collections::BTreeMap<&[u8], sled::Batch> = Default::default();
        for p in pairs {
            let batch = by_tree.entry(&p.tree[..]).or_default();
            if p.tree == AUDIT && !p.value.is_empty() {
                let key = self.db.generate_id()?.to_be_bytes();
                let o = envelope::open(&p.value).map_err(|problem| StoreError::Damaged {
                    kind: "audit entry",
                    key: super::show_key(&p.key),
                    problem,
                })?;
                let value = envelope::encode_payload(Kind::Audit, &key, o.stamp, o.payload)
                    .map_err(|problem| StoreError::Damaged {
                        kind: "audit entry",
                        key: super::show_key(&p.key),
                        problem,
                    })?;
                batch.insert(&key[..], value);
            } else {
                batch.insert(&p.key[..], &p.value[..]);
            }
        }
        for (name, batch) in by_tree {
            self.db.open_tree(name)?.apply_batch(batch)?;
        }
        Ok(())
    }

    /// Fills this new or empty store from a backup file, checked whole first.
    pub fn restore(&self, file: &Path) -> Result<Counts> {
        let bytes = std::fs::read(file).map_err(|e| {
            StoreError::Rejected(format!("cannot read {}: {}", file.display(), io_reason(&e)))
        })?;
        let pairs = decode(file, &bytes).map_err(|e| StoreError::Rejected(e.to_string()))?;
        self.begin_import("restore")?;
        // Indexes are worked out from the records (a backup by an earlier version holds
        // them in another form).
        let counts = Counts::of(&pairs);
        let records: Vec<Pair> = pairs
            .into_iter()
            .filter(|p| !super::bucketed::is_index(&p.tree))
            .collect();
        self.put_pairs(&records)?;
        self.rebuild_indexes()?;
        self.finish_import()?;
        self.log("restore", "store", &counts.line())?;
        Ok(counts)
    }
}

fn tree_label(name: &[u8]) -> &'static str {
    match name {
        b"meta" => "meta",
        b"services" => "services",
        b"people" => "people",
        b"conversations" => "conversations",
        b"idx_service_person" => "idx_service_person",
        b"idx_person_conversation" => "idx_person_conversation",
        b"idx_date_conversation" => "idx_date_conversation",
        b"audit" => "audit",
        b"drafts" => "drafts",
        b"tombstones" => "tombstones",
        _ => "other",
    }
}

pub(crate) fn io_reason(e: &std::io::Error) -> String {
    let mut reason = e.to_string();
    if let Some(cut) = reason.find(" (os error") {
        reason.truncate(cut);
    }
    reason.to_lowercase()
}

/// Trees that are not records: sled's default tree and what is worked out again from the
/// records (indexes, kept roll-ups, kept protections).
fn left_out_of_backup(name: &[u8]) -> bool {
    name == DEFAULT_TREE
        || super::bucketed::is_index(name)
        || super::kept::is_derived(name)
        || super::protection::is_kept_protections(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Pair> {
        vec![
            Pair {
                tree: b"meta".to_vec(),
                key: b"secret".to_vec(),
                value: envelope::encode(Kind::Meta, b"secret", &vec![1u8; 32]).unwrap(),
            },
            Pair {
                tree: b"idx_date_conversation".to_vec(),
                key: b"2026-01-01xxxxxxxxxxxxxxxx".to_vec(),
                value: vec![],
            },
        ]
    }

    #[test]
    fn a_backup_round_trips() {
        let p = sample();
        assert_eq!(decode(Path::new("b"), &encode(&p)).unwrap(), p);
    }

    #[test]
    fn every_cut_and_every_flipped_byte_is_refused() {
        let bytes = encode(&sample());
        for n in 0..bytes.len() {
            assert!(decode(Path::new("b"), &bytes[..n]).is_err(), "cut at {n}");
            let mut b = bytes.clone();
            b[n] ^= 0x04;
            assert!(decode(Path::new("b"), &b).is_err(), "flip at {n}");
        }
    }

    #[test]
    fn a_record_under_another_key_is_refused_even_with_a_good_hash() {
        let mut p = sample();
        p[0].key = b"created".to_vec();
        let err = decode(Path::new("b"), &encode(&p)).unwrap_err();
        assert!(matches!(err, BackupError::Record { .. }), "{err}");
    }
}
