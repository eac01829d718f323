//! `salvage`: recovers every record whose envelope checksum holds from a damaged store
//! into a fresh one.
//!
//! It reads sled's files directly (the log `db/db`, the blob files and snapshots) and
//! looks for envelopes, rather than keeping rotated backups plus a journal of envelopes
//! written since. Direct reading needs nothing to have been set up before the damage,
//! costs nothing on every write (a journal would double every write and its fsyncs),
//! cannot itself fall out of step with the store, and works even when sled cannot open
//! the store at all. It can do this because every envelope carries its kind, its key, a
//! write stamp and a checksum over them: among the copies of a record that sled has
//! left in its log (it rewrites pages, so most records are there several times), the
//! one with the highest stamp whose checksum holds is the newest sound version.
//!
//! What this cannot know is that a record was deleted: old log bytes may still hold it.
//! Records removed on purpose can therefore come back: a draft finished into a
//! conversation reappears as a draft, and an erased person would reappear were it not
//! for the tombstone that erasure leaves (people, their conversations and drafts whose
//! id a tombstone names are skipped).

use super::backup::Pair;
use super::envelope::{self, Kind};
use super::{Batch, Result, Store, StoreError};
use crate::domain::{Conversation, Id, Person, Service};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

/// One sound envelope found in the files.
#[derive(Clone, Debug)]
pub struct Found {
    pub kind: Kind,
    pub key: Vec<u8>,
    pub stamp: u64,
    pub payload: Vec<u8>,
}

/// What a scan of a store's files found.
#[derive(Debug, Default)]
pub struct Scan {
    /// The newest sound version of each record, by kind and key.
    pub good: HashMap<(Kind, Vec<u8>), Found>,
    /// The newest stamp among damaged copies, by kind and key (stamp 0 when the stamp
    /// itself may be damaged).
    pub damaged: HashMap<(Kind, Vec<u8>), u64>,
    /// Damaged copies whose key could not be read, by kind.
    pub unidentified: BTreeMap<Kind, usize>,
    pub files: usize,
    pub bytes: u64,
}

/// The end of the JSON value starting at `from`, if one does.
fn json_end(bytes: &[u8], from: usize) -> Option<usize> {
    let rest = bytes.get(from..)?;
    let first = *rest.first()?;
    // Our payloads are objects, arrays or strings; a number or a bare word is not one.
    if !matches!(first, b'{' | b'[' | b'"') {
        return None;
    }
    let mut it = serde_json::Deserializer::from_slice(rest).into_iter::<serde::de::IgnoredAny>();
    match it.next() {
        Some(Ok(_)) => Some(from + it.byte_offset()),
        _ => None,
    }
}

/// The key a format-1 envelope (which does not carry one) belongs under, from its
/// payload: records name their own id; the meta values are told apart by shape; an
/// audit entry is keyed by its content. Drafts and tombstones cannot be placed.
fn v1_key(kind: Kind, payload: &[u8]) -> Option<Vec<u8>> {
    let v: serde_json::Value = serde_json::from_slice(payload).ok()?;
    match kind {
        Kind::Service | Kind::Person | Kind::Conversation => v
            .get("id")?
            .as_str()?
            .parse::<Id>()
            .ok()
            .map(|i| i.as_bytes().to_vec()),
        Kind::Meta if v.is_array() => Some(b"secret".to_vec()),
        Kind::Meta if v.is_string() => Some(b"created".to_vec()),
        Kind::Audit => Some(blake3::hash(payload).as_bytes()[..8].to_vec()),
        _ => None,
    }
}

impl Scan {
    fn keep(&mut self, f: Found) {
        let slot = (f.kind, f.key.clone());
        match self.good.get(&slot) {
            Some(old) if old.stamp > f.stamp => {}
            _ => {
                self.good.insert(slot, f);
            }
        }
    }

    fn damage(&mut self, kind: Kind, key: Option<Vec<u8>>, stamp: u64) {
        match key {
            Some(k) => {
                let e = self.damaged.entry((kind, k)).or_default();
                *e = (*e).max(stamp);
            }
            None => *self.unidentified.entry(kind).or_default() += 1,
        }
    }

    /// Looks for envelopes anywhere in `bytes`.
    pub fn bytes(&mut self, bytes: &[u8]) {
        self.bytes += bytes.len() as u64;
        let mut i = 0;
        while i + 8 <= bytes.len() {
            if &bytes[i..i + 2] != envelope::MAGIC {
                i += 1;
                continue;
            }
            let (version, kind) = (bytes[i + 2], Kind::from_u8(bytes[i + 3]));
            let Some(kind) = kind.filter(|_| version == 1 || version == 2) else {
                i += 1;
                continue;
            };
            let crc = u32::from_be_bytes([bytes[i + 4], bytes[i + 5], bytes[i + 6], bytes[i + 7]]);
            let body = i + 8;
            if version == 1 {
                if let Some(end) = json_end(bytes, body)
                    && crc32fast::hash(&bytes[body..end]) == crc
                {
                    let payload = &bytes[body..end];
                    if let Some(key) = v1_key(kind, payload) {
                        self.keep(Found {
                            kind,
                            key,
                            stamp: 0,
                            payload: payload.to_vec(),
                        });
                    }
                    i = end;
                    continue;
                }
                // Format 1 has too little header to tell damage from chance bytes.
                i += 1;
                continue;
            }
            let Some(head) = bytes.get(body..body + 10) else {
                break;
            };
            let stamp = u64::from_be_bytes(head[0..8].try_into().unwrap_or([0; 8]));
            let klen = u16::from_be_bytes([head[8], head[9]]) as usize;
            let key_at = body + 10;
            if klen > envelope::MAX_KEY || key_at + klen > bytes.len() {
                self.damage(kind, None, 0);
                i += 1;
                continue;
            }
            let key = &bytes[key_at..key_at + klen];
            match json_end(bytes, key_at + klen) {
                Some(end) if crc32fast::hash(&bytes[body..end]) == crc => {
                    self.keep(Found {
                        kind,
                        key: key.to_vec(),
                        stamp,
                        payload: bytes[key_at + klen..end].to_vec(),
                    });
                    i = end;
                }
                _ => {
                    self.damage(kind, Some(key.to_vec()), stamp);
                    i += 1;
                }
            }
        }
    }

    /// Reads every file under the store's `db` directory, however damaged.
    pub fn store_dir(store: &Path) -> std::io::Result<Scan> {
        let mut scan = Scan::default();
        // The copies kept before sled opened a changed store hold what its recovery
        // may since have overwritten.
        let mut dirs = vec![store.join("db"), store.join(super::durability::PRESERVED)];
        let mut files: Vec<PathBuf> = Vec::new();
        while let Some(d) = dirs.pop() {
            let entries = match std::fs::read_dir(&d) {
                Ok(e) => e,
                Err(e) if d == store.join("db") => return Err(e),
                Err(_) => continue,
            };
            for e in entries {
                let Ok(e) = e else { break };
                let Ok(t) = e.file_type() else { continue };
                if t.is_dir() {
                    dirs.push(e.path());
                } else if t.is_file() {
                    files.push(e.path());
                }
            }
        }
        files.sort();
        for f in files {
            // An unreadable file is skipped; what it held counts as not found.
            if let Ok(bytes) = std::fs::read(&f) {
                scan.files += 1;
                scan.bytes(&bytes);
            }
        }
        Ok(scan)
    }
}

/// Recovered and lost counts for one kind of record.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub recovered: usize,
    /// Damaged with no sound copy.
    pub lost: usize,
    /// Recovered from an older copy, a newer one being damaged.
    pub older: usize,
    /// Sound but left out: erased, or what it belongs to was lost.
    pub left_out: usize,
}

#[derive(Clone, Debug, Default)]
pub struct SalvageReport {
    pub tallies: BTreeMap<Kind, Tally>,
    /// Damaged copies whose record could not be identified.
    pub unidentified: usize,
    /// Whether the store's secret key was found (without it, pseudonymous keys in
    /// exports change).
    pub secret_found: bool,
    pub files: usize,
    pub bytes: u64,
}

impl SalvageReport {
    pub fn recovered(&self) -> usize {
        self.tallies.values().map(|t| t.recovered).sum()
    }
    pub fn lost(&self) -> usize {
        self.tallies.values().map(|t| t.lost).sum()
    }
}

/// The ids and pseudonymous keys tombstones name, as text and raw bytes to look for.
/// A tombstone may be made with the key of the day or any key since retired.
fn tombstoned(scan: &Scan, secrets: &[Vec<u8>], person: &Id) -> bool {
    let text = person.to_string();
    let pseudonyms: Vec<String> = secrets
        .iter()
        .map(|s| crate::export::person_key(s, person))
        .collect();
    let raw = person.as_bytes();
    let has = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
    scan.good
        .values()
        .filter(|f| f.kind == Kind::Tombstone)
        .any(|f| {
            [&f.key[..], &f.payload[..]].iter().any(|hay| {
                has(hay, text.as_bytes())
                    || has(hay, &raw[..])
                    || pseudonyms.iter().any(|p| has(hay, p.as_bytes()))
            })
        })
}

fn parse<T: serde::de::DeserializeOwned>(f: &Found) -> Option<T> {
    serde_json::from_slice(&f.payload).ok()
}

impl Store {
    /// Fills this new store (opened with [`Store::open_for_import`]) from what a scan
    /// found, rebuilding the indexes through the normal write path.
    pub fn salvage_from(&self, scan: &Scan) -> Result<SalvageReport> {
        let mut report = SalvageReport {
            files: scan.files,
            bytes: scan.bytes,
            unidentified: scan.unidentified.values().sum(),
            ..Default::default()
        };
        for (kind, key) in scan.damaged.keys() {
            let t = report.tallies.entry(*kind).or_default();
            match scan.good.get(&(*kind, key.clone())) {
                None => t.lost += 1,
                Some(g) if scan.damaged[&(*kind, key.clone())] > g.stamp && g.stamp > 0 => {
                    t.older += 1
                }
                Some(_) => {}
            }
        }
        self.begin_import("salvage")?;
        let mut of_kind: BTreeMap<Kind, Vec<&Found>> = BTreeMap::new();
        for f in scan.good.values() {
            of_kind.entry(f.kind).or_default().push(f);
        }
        for v in of_kind.values_mut() {
            v.sort_by(|a, b| (a.stamp, &a.key).cmp(&(b.stamp, &b.key)));
        }
        let take = |k: Kind| of_kind.get(&k).cloned().unwrap_or_default();

        // The keys first: tombstones name a person by pseudonymous key, made with the
        // secret of the day or a key retired since.
        let mut meta_pairs = Vec::new();
        for f in take(Kind::Meta) {
            if f.key == b"secret" || f.key == b"created" || f.key == b"retired-secrets" {
                report.secret_found |= f.key == b"secret";
                meta_pairs.push(pair("meta", f)?);
                report.tallies.entry(Kind::Meta).or_default().recovered += 1;
            }
        }
        self.put_pairs(&meta_pairs)?;
        let secrets = self.erasure_secrets()?;

        let mut tomb_pairs = Vec::new();
        for f in take(Kind::Tombstone) {
            tomb_pairs.push(pair("tombstones", f)?);
            report.tallies.entry(Kind::Tombstone).or_default().recovered += 1;
        }
        self.put_pairs(&tomb_pairs)?;

        let services: Vec<Service> = take(Kind::Service)
            .iter()
            .filter_map(|f| parse(f))
            .collect();
        let service_ids: HashSet<Id> = services.iter().map(|s| s.id).collect();
        report.tallies.entry(Kind::Service).or_default().recovered += services.len();
        for chunk in services.chunks(500) {
            self.write_unflushed(&Batch {
                services: chunk.iter().collect(),
                ..Default::default()
            })?;
        }

        let mut people = Vec::new();
        let mut erased = HashSet::new();
        for f in take(Kind::Person) {
            let t = report.tallies.entry(Kind::Person).or_default();
            let Some(p) = parse::<Person>(f) else {
                t.lost += 1;
                continue;
            };
            if tombstoned(scan, &secrets, &p.id) {
                erased.insert(p.id);
                t.left_out += 1;
            } else if !service_ids.contains(&p.service) {
                t.left_out += 1;
            } else {
                t.recovered += 1;
                people.push(p);
            }
        }
        let person_ids: HashSet<Id> = people.iter().map(|p| p.id).collect();
        for chunk in people.chunks(500) {
            self.write_unflushed(&Batch {
                people: chunk.iter().collect(),
                ..Default::default()
            })?;
        }

        let mut convs = Vec::new();
        for f in take(Kind::Conversation) {
            let t = report.tallies.entry(Kind::Conversation).or_default();
            match parse::<Conversation>(f) {
                None => t.lost += 1,
                Some(c) if !person_ids.contains(&c.person) => t.left_out += 1,
                Some(c) => {
                    t.recovered += 1;
                    convs.push(c);
                }
            }
        }
        for chunk in convs.chunks(500) {
            self.write_unflushed(&Batch {
                conversations: chunk.iter().collect(),
                ..Default::default()
            })?;
        }

        // Earlier revisions of the conversations recovered, under their own keys.
        let conv_ids: HashSet<Id> = convs.iter().map(|c| c.id).collect();
        let mut rev_pairs = Vec::new();
        for f in take(Kind::Revision) {
            let t = report.tallies.entry(Kind::Revision).or_default();
            match parse::<Conversation>(f) {
                None => t.lost += 1,
                Some(c) if !conv_ids.contains(&c.id) => t.left_out += 1,
                Some(_) => {
                    t.recovered += 1;
                    rev_pairs.push(pair(super::revisions::TREE, f)?);
                }
            }
        }
        self.put_pairs(&rev_pairs)?;

        let mut draft_pairs = Vec::new();
        for f in take(Kind::Draft) {
            let t = report.tallies.entry(Kind::Draft).or_default();
            let text = String::from_utf8_lossy(&f.payload);
            if erased.iter().any(|id| text.contains(&id.to_string())) {
                t.left_out += 1;
            } else {
                t.recovered += 1;
                draft_pairs.push(pair("drafts", f)?);
            }
        }
        self.put_pairs(&draft_pairs)?;

        // Audit entries in the order they were made.
        let mut audit: Vec<(String, &Found)> = take(Kind::Audit)
            .into_iter()
            .filter_map(|f| parse::<super::AuditEntry>(f).map(|e| (e.at, f)))
            .collect();
        audit.sort_by(|a, b| (&a.0, a.1.stamp, &a.1.key).cmp(&(&b.0, b.1.stamp, &b.1.key)));
        report.tallies.entry(Kind::Audit).or_default().recovered += audit.len();
        let audit_pairs = audit
            .into_iter()
            .map(|(_, f)| pair("audit", f))
            .collect::<Result<Vec<_>>>()?;
        self.put_pairs(&audit_pairs)?;

        self.finish_import()?;
        Ok(report)
    }
}

fn pair(tree: &str, f: &Found) -> Result<Pair> {
    let value =
        envelope::encode_payload(f.kind, &f.key, f.stamp, &f.payload).map_err(|problem| {
            StoreError::Damaged {
                kind: f.kind.name(),
                key: super::show_key(&f.key),
                problem,
            }
        })?;
    Ok(Pair {
        tree: tree.as_bytes().to_vec(),
        key: f.key.clone(),
        value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_newest_sound_copy_among_noise() {
        let old = envelope::encode(Kind::Draft, b"d1", &"old words").unwrap();
        let new = envelope::encode(Kind::Draft, b"d1", &"new words").unwrap();
        let other = envelope::encode(Kind::Draft, b"d2", &"kept").unwrap();
        let mut broken = envelope::encode(Kind::Draft, b"d3", &"gone").unwrap();
        let n = broken.len() - 2;
        broken[n] ^= 1;
        let mut file = b"\x00TP\x02junkTP".to_vec();
        for part in [&new, &old, &other, &broken] {
            file.extend_from_slice(part);
            file.extend_from_slice(b"\x07\x00TP");
        }
        let mut scan = Scan::default();
        scan.bytes(&file);
        let d1 = &scan.good[&(Kind::Draft, b"d1".to_vec())];
        assert_eq!(d1.payload, br#""new words""#);
        assert!(scan.good.contains_key(&(Kind::Draft, b"d2".to_vec())));
        assert!(!scan.good.contains_key(&(Kind::Draft, b"d3".to_vec())));
        assert!(scan.damaged.contains_key(&(Kind::Draft, b"d3".to_vec())));
    }

    fn found<T: serde::Serialize>(kind: Kind, key: &[u8], v: &T) -> Found {
        Found {
            kind,
            key: key.to_vec(),
            stamp: envelope::next_stamp(),
            payload: serde_json::to_vec(v).unwrap(),
        }
    }

    fn reablement() -> Service {
        Service {
            id: Id::new(),
            name: "Reablement".into(),
            organisation: "O".into(),
            partnership: "P".into(),
        }
    }

    fn adult(name: &str, service: Id) -> Person {
        Person {
            id: Id::new(),
            name: name.into(),
            kind: crate::domain::PersonKind::Adult,
            service,
            dob: None,
            cares_for: None,
        }
    }

    /// A tombstone as erasure leaves it: under the person's pseudonymous key, saying
    /// only when.
    fn tombstone(key: &str) -> Found {
        found(
            Kind::Tombstone,
            key.as_bytes(),
            &crate::store::erase::Tombstone {
                at: "2026-11-23T10:00:00Z".into(),
            },
        )
    }

    #[test]
    fn a_tombstoned_person_stays_erased_and_an_orphan_is_left_out() {
        let svc = reablement();
        let (kept, erased, orphan) = (
            adult("Kept", svc.id),
            adult("Erased", svc.id),
            adult("Orphan", Id::new()),
        );
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_for_import(&dir.path().join("s")).unwrap();
        let stone_key = crate::export::person_key(&store.secret().unwrap(), &erased.id);
        let mut scan = Scan::default();
        for f in [
            found(Kind::Service, svc.id.as_bytes(), &svc),
            found(Kind::Person, kept.id.as_bytes(), &kept),
            found(Kind::Person, erased.id.as_bytes(), &erased),
            found(Kind::Person, orphan.id.as_bytes(), &orphan),
            tombstone(&stone_key),
        ] {
            scan.keep(f);
        }
        let report = store.salvage_from(&scan).unwrap();
        let people = &report.tallies[&Kind::Person];
        assert_eq!((people.recovered, people.left_out), (1, 2));
        assert_eq!(store.people().unwrap(), vec![kept]);
        assert!(store.verify().unwrap().is_sound());
    }

    #[test]
    fn a_person_erased_under_a_retired_key_stays_erased() {
        let svc = reablement();
        let erased = adult("Erased", svc.id);
        // Erased under the store's first key; the partnership's key was imported later.
        let (old, new) = (vec![7u8; 32], vec![9u8; 32]);
        let stone_key = crate::export::person_key(&old, &erased.id);
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_for_import(&dir.path().join("s")).unwrap();
        let mut scan = Scan::default();
        for f in [
            found(Kind::Meta, b"secret", &new),
            found(
                Kind::Meta,
                b"retired-secrets",
                &serde_json::json!({ "keys": [old] }),
            ),
            found(Kind::Service, svc.id.as_bytes(), &svc),
            found(Kind::Person, erased.id.as_bytes(), &erased),
            tombstone(&stone_key),
        ] {
            scan.keep(f);
        }
        store.salvage_from(&scan).unwrap();
        assert_eq!(store.people().unwrap(), vec![]);
        // The retired key comes back too, so a later merge still knows the person.
        assert_eq!(store.erasure_secrets().unwrap(), vec![new, old]);
    }
}
