//! Bundles: a store's services, people and conversations in one checked file, and the
//! merge of bundles into a (team) store.
//!
//! A bundle is `TPBUNDLE 1\n`, then the JSON `{"services":[...],"people":[...],
//! "conversations":[...]}` on one line, then `\nblake3 <hex>\n` over the JSON bytes.
//!
//! Merging is all or nothing (every file is read and checked before anything is
//! written, and the changes go in one transaction), idempotent (records already held
//! change nothing) and order-independent for conversations (the higher revision wins;
//! on an equal revision, the greater JSON, so A then B equals B then A).

use crate::domain::{Conversation, Id, Person, Service};
use crate::store::{Batch, Store, StoreError};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

pub const MAGIC: &str = "TPBUNDLE";
pub const VERSION: u32 = 1;

/// What a bundle carries.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contents {
    pub services: Vec<Service>,
    pub people: Vec<Person>,
    pub conversations: Vec<Conversation>,
}

#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is damaged or incomplete ({reason}); nothing was merged")]
    Damaged { path: PathBuf, reason: String },
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// The bytes of a bundle holding `c`.
pub fn encode(c: &Contents) -> Result<Vec<u8>, serde_json::Error> {
    let json = serde_json::to_vec(c)?;
    let hash = blake3::hash(&json);
    let mut out = Vec::with_capacity(json.len() + 100);
    out.extend_from_slice(format!("{MAGIC} {VERSION}\n").as_bytes());
    out.extend_from_slice(&json);
    out.extend_from_slice(format!("\nblake3 {}\n", hash.to_hex()).as_bytes());
    Ok(out)
}

/// Checks the magic, version and checksum, and parses the contents; the error says
/// what is wrong.
pub fn decode(bytes: &[u8]) -> Result<Contents, String> {
    let header_end = bytes
        .iter()
        .position(|&b| b == b'\n')
        .ok_or("it has no header line")?;
    let header = std::str::from_utf8(&bytes[..header_end]).map_err(|_| "the header is not text")?;
    let version = header
        .strip_prefix(MAGIC)
        .and_then(|v| v.strip_prefix(' '))
        .ok_or("it is not a talking-points bundle")?;
    if version != VERSION.to_string() {
        return Err(format!(
            "it is bundle version {version}, and this program reads version {VERSION}"
        ));
    }
    let rest = &bytes[header_end + 1..];
    let marker = b"\nblake3 ";
    let at = rest
        .windows(marker.len())
        .rposition(|w| w == marker)
        .ok_or("its checksum line is missing")?;
    let json = &rest[..at];
    let tail = &rest[at + marker.len()..];
    let hex = tail
        .strip_suffix(b"\n")
        .ok_or("its checksum line is cut short")?;
    let expected = blake3::hash(json).to_hex();
    if hex != expected.as_bytes() {
        return Err("its checksum does not match its contents".into());
    }
    serde_json::from_slice(json).map_err(|e| format!("its contents do not parse: {e}"))
}

/// Reads and checks a bundle file.
pub fn read(path: &Path) -> Result<Contents, BundleError> {
    let bytes = std::fs::read(path).map_err(|source| BundleError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    decode(&bytes).map_err(|reason| BundleError::Damaged {
        path: path.to_path_buf(),
        reason,
    })
}

/// Everything in the store, for a bundle.
pub fn contents_of(store: &Store) -> Result<Contents, StoreError> {
    Ok(Contents {
        services: store.services()?,
        people: store.people()?,
        conversations: store.conversations()?,
    })
}

/// What merging one file did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileSummary {
    pub path: PathBuf,
    pub services: usize,
    pub services_new: usize,
    pub people: usize,
    pub people_new: usize,
    pub conversations: usize,
    pub conversations_new: usize,
    pub conversations_updated: usize,
    /// One line per conflict, naming ids and revisions only (never names or words).
    pub conflicts: Vec<String>,
}

impl FileSummary {
    pub fn line(&self, label: &str) -> String {
        format!(
            "{label}: {} services ({} new), {} people ({} new), {} conversations ({} new, {} updated); {} conflicts",
            self.services,
            self.services_new,
            self.people,
            self.people_new,
            self.conversations,
            self.conversations_new,
            self.conversations_updated,
            self.conflicts.len()
        )
    }

    fn add(&mut self, o: &FileSummary) {
        self.services += o.services;
        self.services_new += o.services_new;
        self.people += o.people;
        self.people_new += o.people_new;
        self.conversations += o.conversations;
        self.conversations_new += o.conversations_new;
        self.conversations_updated += o.conversations_updated;
        self.conflicts.extend(o.conflicts.iter().cloned());
    }
}

/// The result of a merge: per file, and the totals.
#[derive(Clone, Debug, Default)]
pub struct MergeSummary {
    pub files: Vec<FileSummary>,
    pub total: FileSummary,
}

fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

fn json_of(c: &Conversation) -> String {
    serde_json::to_string(c).unwrap_or_default()
}

/// The working state of a merge: the store's records, with the changes laid over them.
struct State {
    services: HashMap<String, Service>,
    service_ids: BTreeSet<Id>,
    people: HashMap<Id, Person>,
    conversations: HashMap<Id, Conversation>,
    changed_services: BTreeSet<Id>,
    changed_people: BTreeSet<Id>,
    changed_conversations: BTreeSet<Id>,
}

/// Merges the bundles at `paths` into `store`, all or nothing. `progress` is told how
/// many records have been considered of how many.
pub fn merge(
    store: &Store,
    paths: &[PathBuf],
    progress: &mut dyn FnMut(u64, u64),
) -> Result<MergeSummary, BundleError> {
    // Read and check every file before looking at the store.
    let mut bundles = Vec::with_capacity(paths.len());
    for p in paths {
        bundles.push((p.clone(), read(p)?));
    }
    let total: u64 = bundles
        .iter()
        .map(|(_, c)| (c.services.len() + c.people.len() + c.conversations.len()) as u64)
        .sum();

    let existing = store.services()?;
    let mut st = State {
        service_ids: existing.iter().map(|s| s.id).collect(),
        services: existing
            .into_iter()
            .map(|s| (name_key(&s.name), s))
            .collect(),
        people: store.people()?.into_iter().map(|p| (p.id, p)).collect(),
        conversations: store
            .conversations()?
            .into_iter()
            .map(|c| (c.id, c))
            .collect(),
        changed_services: BTreeSet::new(),
        changed_people: BTreeSet::new(),
        changed_conversations: BTreeSet::new(),
    };

    let mut summary = MergeSummary::default();
    let mut done = 0u64;
    for (path, c) in &bundles {
        let label = path.display().to_string();
        let damaged = |reason: String| BundleError::Damaged {
            path: path.clone(),
            reason,
        };
        let mut fs = FileSummary {
            path: path.clone(),
            services: c.services.len(),
            people: c.people.len(),
            conversations: c.conversations.len(),
            ..Default::default()
        };

        // Services match by name; the bundle's ids map to the store's.
        let mut service_map: HashMap<Id, Id> = HashMap::new();
        for s in &c.services {
            let key = name_key(&s.name);
            let id = match st.services.get(&key) {
                Some(held) => held.id,
                None => {
                    if st.service_ids.contains(&s.id) {
                        return Err(damaged(format!(
                            "service id {} is already used by a service of another name",
                            s.id
                        )));
                    }
                    st.services.insert(key, s.clone());
                    st.service_ids.insert(s.id);
                    st.changed_services.insert(s.id);
                    fs.services_new += 1;
                    s.id
                }
            };
            service_map.insert(s.id, id);
            done += 1;
            progress(done, total);
        }

        // People: the one already held stays; a different one is a conflict.
        for p in &c.people {
            let mut p = p.clone();
            p.service = match service_map.get(&p.service) {
                Some(id) => *id,
                None if st.service_ids.contains(&p.service) => p.service,
                None => {
                    return Err(damaged(format!(
                        "person {} belongs to a service the bundle does not carry",
                        p.id
                    )));
                }
            };
            match st.people.get(&p.id) {
                None => {
                    st.changed_people.insert(p.id);
                    st.people.insert(p.id, p);
                    fs.people_new += 1;
                }
                Some(held) if *held == p => {}
                Some(held) => {
                    // The same rule whichever order stores arrive in: the greater record
                    // wins. Service ids differ between stores, so they are left out of
                    // the comparison (a person moved between services keeps the held one).
                    let key = |x: &Person| {
                        let mut x = x.clone();
                        x.service = Id(uuid::Uuid::nil());
                        serde_json::to_string(&x).unwrap_or_default()
                    };
                    let incoming_wins = key(&p) > key(held);
                    fs.conflicts.push(format!(
                        "conflict: person {} in {label} differs from the one already held; kept the one {}",
                        p.id,
                        if incoming_wins { "from the bundle" } else { "already held" }
                    ));
                    if incoming_wins {
                        st.changed_people.insert(p.id);
                        st.people.insert(p.id, p);
                    }
                }
            }
            done += 1;
            progress(done, total);
        }

        // Conversations: the higher revision wins; on a tie, the greater JSON.
        for conv in &c.conversations {
            if !st.people.contains_key(&conv.person) {
                return Err(damaged(format!(
                    "conversation {} is for a person the bundle does not carry",
                    conv.id
                )));
            }
            match st.conversations.get(&conv.id) {
                None => {
                    st.changed_conversations.insert(conv.id);
                    st.conversations.insert(conv.id, conv.clone());
                    fs.conversations_new += 1;
                }
                Some(held) if held == conv => {}
                Some(held) => {
                    let incoming_wins = conv.revision > held.revision
                        || (conv.revision == held.revision && json_of(conv) > json_of(held));
                    let (kept, other) = if incoming_wins {
                        (conv.revision, held.revision)
                    } else {
                        (held.revision, conv.revision)
                    };
                    let how = if kept == other {
                        "the same revision with different content".to_string()
                    } else {
                        "the newer revision".to_string()
                    };
                    fs.conflicts.push(format!(
                        "conflict: conversation {} differs in {label} (revision {}) from the one held (revision {}); kept revision {kept} ({how}, {})",
                        conv.id,
                        conv.revision,
                        held.revision,
                        if incoming_wins { "from the bundle" } else { "already held" }
                    ));
                    if incoming_wins {
                        st.changed_conversations.insert(conv.id);
                        st.conversations.insert(conv.id, conv.clone());
                        fs.conversations_updated += 1;
                    }
                }
            }
            done += 1;
            progress(done, total);
        }
        summary.total.add(&fs);
        summary.files.push(fs);
    }

    // One transaction for everything, flushed.
    let services_by_id: BTreeMap<Id, &Service> = st.services.values().map(|s| (s.id, s)).collect();
    let services: Vec<&Service> = st
        .changed_services
        .iter()
        .filter_map(|id| services_by_id.get(id).copied())
        .collect();
    let people: Vec<&Person> = st
        .changed_people
        .iter()
        .filter_map(|id| st.people.get(id))
        .collect();
    let conversations: Vec<&Conversation> = st
        .changed_conversations
        .iter()
        .filter_map(|id| st.conversations.get(id))
        .collect();
    if !(services.is_empty() && people.is_empty() && conversations.is_empty()) {
        store.write(&Batch {
            services,
            people,
            conversations,
            audit_each: true,
        })?;
    }
    let t = &summary.total;
    store.log(
        "merge",
        "store",
        &format!(
            "{} files: {} services new, {} people new, {} conversations new, {} updated, {} conflicts",
            summary.files.len(),
            t.services_new,
            t.people_new,
            t.conversations_new,
            t.conversations_updated,
            t.conflicts.len()
        ),
    )?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_damage_is_caught() {
        let c = Contents::default();
        let bytes = encode(&c).expect("encode");
        assert!(bytes.starts_with(b"TPBUNDLE 1\n"));
        assert_eq!(decode(&bytes).expect("decode"), c);
        assert!(decode(&bytes[..bytes.len() / 2]).is_err());
        assert!(decode(&bytes[..bytes.len() - 1]).is_err());
        let mut flipped = bytes.clone();
        flipped[14] ^= 1;
        assert!(decode(&flipped).is_err());
        let mut v2 = bytes.clone();
        v2[9] = b'2';
        assert!(decode(&v2).unwrap_err().contains("version 2"));
        assert!(decode(b"").is_err());
    }
}
