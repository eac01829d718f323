//! Bundles: a store's services, people and conversations in one checked file, and the
//! merge of bundles into a (team) store.
//!
//! A bundle is `TPBUNDLE 1\n`, then the JSON `{"services":[...],"people":[...],
//! "conversations":[...]}` on one line, then `\nblake3 <hex>\n` over the JSON bytes.
//!
//! Merging is all or nothing (every file is read and every record checked by the rules
//! `record` applies before anything is written, and the changes go in one
//! transaction), idempotent (records already held change nothing) and
//! order-independent: every choice between two versions follows a total order (a
//! service name new to the store takes the least id; people by service name, then
//! JSON; conversations by revision, then JSON), so A then B gives the same store as
//! B then A. Versions that lose are kept as earlier revisions.

use crate::domain::{
    Conversation, Id, Person, Problem, Service, validate_conversation, validate_correction,
    validate_person,
};
use crate::export::person_key;
use crate::forms::Forms;
use crate::store::{Batch, Store, StoreError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
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
    #[error("{path} holds a record that would not be accepted: {reason}; nothing was merged")]
    Invalid { path: PathBuf, reason: String },
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
    /// People (and their conversations) left out because they were erased here.
    pub people_erased: usize,
    pub conversations_erased: usize,
    /// One line per conflict, naming ids and revisions only (never names or words).
    pub conflicts: Vec<String>,
}

impl FileSummary {
    pub fn line(&self, label: &str) -> String {
        let mut s = format!(
            "{label}: {} services ({} new), {} people ({} new), {} conversations ({} new, {} updated); {} conflicts",
            self.services,
            self.services_new,
            self.people,
            self.people_new,
            self.conversations,
            self.conversations_new,
            self.conversations_updated,
            self.conflicts.len()
        );
        if self.people_erased + self.conversations_erased > 0 {
            s.push_str(&format!(
                "; skipped {} erased people and {} of their conversations",
                self.people_erased, self.conversations_erased
            ));
        }
        s
    }

    fn add(&mut self, o: &FileSummary) {
        self.services += o.services;
        self.services_new += o.services_new;
        self.people += o.people;
        self.people_new += o.people_new;
        self.conversations += o.conversations;
        self.conversations_new += o.conversations_new;
        self.conversations_updated += o.conversations_updated;
        self.people_erased += o.people_erased;
        self.conversations_erased += o.conversations_erased;
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

fn json_of<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// A problem message without the values it quotes: a bundle can carry anything in any
/// field, and a message must not echo a person's words.
fn without_values(m: &str) -> String {
    let mut out = String::with_capacity(m.len());
    let mut inside = false;
    for ch in m.chars() {
        if ch == '`' {
            if !inside {
                out.push_str("a value");
            }
            inside = !inside;
        } else if !inside {
            out.push(ch);
        }
    }
    out
}

/// The working state of a merge: the store's records, with the changes laid over them
/// (conversations from the bundles are borrowed, not copied: a team's bundle holds
/// hundreds of thousands).
struct State<'b> {
    services: HashMap<String, Service>,
    service_ids: BTreeSet<Id>,
    people: HashMap<Id, Person>,
    conversations: HashMap<Id, Cow<'b, Conversation>>,
    changed_services: BTreeSet<Id>,
    changed_people: BTreeSet<Id>,
    changed_conversations: BTreeSet<Id>,
    /// Versions that lost to a newer one, kept as earlier revisions.
    superseded: Vec<Cow<'b, Conversation>>,
}

impl State<'_> {
    /// The order that decides between two different records of one person, the same
    /// whichever store arrives first: the service by name (ids differ between stores),
    /// then the whole record as JSON with the service id left out.
    fn person_rank(&self, p: &Person) -> (String, String) {
        let service = self
            .services
            .values()
            .find(|s| s.id == p.service)
            .map(|s| name_key(&s.name))
            .unwrap_or_default();
        let mut x = p.clone();
        x.service = Id(uuid::Uuid::nil());
        (service, json_of(&x))
    }
}

/// Merges the bundles at `paths` into `store`, all or nothing. Every record is checked
/// by the rules `record` and `person add` apply, against the store as it would be after
/// the merge (so a plan and its review may come in different bundles, in either order);
/// the first invalid record, by its place in the bundles, refuses the whole merge. People
/// erased from this store (and their conversations) are skipped. `progress` is told how
/// many records have been considered of how many.
pub fn merge(
    store: &Store,
    paths: &[PathBuf],
    forms: &Forms,
    today: NaiveDate,
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
    // Tombstones made before the store took a partnership key are under a retired key.
    let secrets = store.erasure_secrets()?;
    let erased = store.tombstone_keys()?;
    let is_erased =
        |id: &Id| !erased.is_empty() && secrets.iter().any(|s| erased.contains(&person_key(s, id)));

    // Into a store that holds no records the merge is a bulk load (see
    // [`crate::store::bulk_merge`]); one it left unfinished is started again from empty.
    let bulk = store.takes_bulk_merge()?;
    let (existing, people, conversations) = if bulk {
        (Vec::new(), Vec::new(), Vec::new())
    } else {
        (store.services()?, store.people()?, store.conversations()?)
    };
    let mut st = State {
        service_ids: existing.iter().map(|s| s.id).collect(),
        services: existing
            .into_iter()
            .map(|s| (name_key(&s.name), s))
            .collect(),
        people: people.into_iter().map(|p| (p.id, p)).collect(),
        conversations: conversations
            .into_iter()
            .map(|c| (c.id, Cow::Owned(c)))
            .collect(),
        changed_services: BTreeSet::new(),
        changed_people: BTreeSet::new(),
        changed_conversations: BTreeSet::new(),
        superseded: Vec::new(),
    };

    // Services match by name. A name new to the store takes the least of the records
    // the bundles carry for it (by id, then JSON), whatever the order of the bundles.
    let mut new_services: BTreeMap<String, (&Service, &PathBuf)> = BTreeMap::new();
    for (path, c) in &bundles {
        for (i, s) in c.services.iter().enumerate() {
            if let Some(p) = crate::domain::validate::validate_service(s).first() {
                return Err(invalid(path, &format!("services[{i}]"), p));
            }
            let key = name_key(&s.name);
            if st.services.contains_key(&key) {
                continue;
            }
            let e = new_services.entry(key).or_insert((s, path));
            if (s.id, json_of(s)) < (e.0.id, json_of(e.0)) {
                *e = (s, path);
            }
        }
    }
    for (key, (s, path)) in new_services {
        if !st.service_ids.insert(s.id) {
            return Err(BundleError::Invalid {
                path: path.clone(),
                reason: format!(
                    "service id {} is already used by a service of another name",
                    s.id
                ),
            });
        }
        st.changed_services.insert(s.id);
        st.services.insert(key, s.clone());
    }

    // Where the record that ends up in the store came from, to name it if it is invalid.
    let mut person_from: HashMap<Id, (usize, usize)> = HashMap::new();
    let mut summary = MergeSummary::default();
    let mut counted_services: BTreeSet<Id> = BTreeSet::new();
    let mut done = 0u64;
    for (b, (path, c)) in bundles.iter().enumerate() {
        let label = path.display().to_string();
        let mut fs = FileSummary {
            path: path.clone(),
            services: c.services.len(),
            people: c.people.len(),
            conversations: c.conversations.len(),
            ..Default::default()
        };
        let mut service_map: HashMap<Id, Id> = HashMap::new();
        for s in &c.services {
            if let Some(held) = st.services.get(&name_key(&s.name)) {
                if held.id == s.id
                    && st.changed_services.contains(&s.id)
                    && counted_services.insert(s.id)
                {
                    fs.services_new += 1;
                }
                service_map.insert(s.id, held.id);
            }
            done += 1;
            progress(done, total);
        }

        for (i, p) in c.people.iter().enumerate() {
            done += 1;
            progress(done, total);
            if is_erased(&p.id) {
                fs.people_erased += 1;
                continue;
            }
            let mut p = p.clone();
            // A carer's link to someone erased here goes, as the erasure took it.
            if p.cares_for.is_some_and(|cf| is_erased(&cf)) {
                p.cares_for = None;
            }
            p.service = match service_map.get(&p.service) {
                Some(id) => *id,
                None if st.service_ids.contains(&p.service) => p.service,
                None => {
                    return Err(BundleError::Invalid {
                        path: path.clone(),
                        reason: format!(
                            "people[{i}] belongs to a service the bundle does not carry"
                        ),
                    });
                }
            };
            match st.people.get(&p.id) {
                None => {
                    person_from.insert(p.id, (b, i));
                    st.changed_people.insert(p.id);
                    st.people.insert(p.id, p);
                    fs.people_new += 1;
                }
                Some(held) if *held == p => {}
                Some(held) => {
                    let incoming_wins = st.person_rank(&p) > st.person_rank(held);
                    fs.conflicts.push(format!(
                        "conflict: person {} in {label} differs from the one already held; kept the one {}",
                        p.id,
                        if incoming_wins { "from the bundle" } else { "already held" }
                    ));
                    if incoming_wins {
                        person_from.insert(p.id, (b, i));
                        st.changed_people.insert(p.id);
                        st.people.insert(p.id, p);
                    }
                }
            }
        }

        // Conversations: the one rule of which version wins (`Conversation::supersedes`).
        for (j, conv) in c.conversations.iter().enumerate() {
            done += 1;
            progress(done, total);
            if is_erased(&conv.person) {
                fs.conversations_erased += 1;
                continue;
            }
            let at = format!("conversations[{j}]");
            if !st.people.contains_key(&conv.person) {
                return Err(BundleError::Invalid {
                    path: path.clone(),
                    reason: format!("{at} is for a person the bundle does not carry"),
                });
            }
            match st.conversations.get(&conv.id) {
                None => {
                    st.changed_conversations.insert(conv.id);
                    st.conversations.insert(conv.id, Cow::Borrowed(conv));
                    fs.conversations_new += 1;
                }
                Some(held) if **held == *conv => {}
                Some(held) => {
                    if let Some(p) = validate_correction(held, conv).first() {
                        return Err(invalid(path, &at, p));
                    }
                    let incoming_wins = conv.supersedes(held);
                    let (kept, other) = if incoming_wins {
                        (conv.revision, held.revision)
                    } else {
                        (held.revision, conv.revision)
                    };
                    let winner = if incoming_wins { conv } else { &**held };
                    let how = if winner.withdrawn.is_some() {
                        "withdrawn as recorded in error".to_string()
                    } else if kept == other {
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
                        if let Some(old) = st.conversations.insert(conv.id, Cow::Borrowed(conv)) {
                            st.superseded.push(old);
                        }
                        fs.conversations_updated += 1;
                    } else {
                        st.superseded.push(Cow::Borrowed(conv));
                    }
                }
            }
        }
        summary.total.add(&fs);
        summary.files.push(fs);
    }

    check(&st, &bundles, &person_from, forms, today)?;

    if bulk {
        write_bulk(store, &st)?;
        // The records are written; what is derived from them is worked out from the
        // store, with the records read here given back first.
        drop(st);
        drop(bundles);
        store.finish_bulk_merge(today)?;
    } else {
        write_in_parts(store, paths, &st)?;
    }
    let t = &summary.total;
    store.log(
        "merge",
        "store",
        &format!(
            "{} files: {} services new, {} people new, {} conversations new, {} updated, {} conflicts, {} erased people skipped",
            summary.files.len(),
            t.services_new,
            t.people_new,
            t.conversations_new,
            t.conversations_updated,
            t.conflicts.len(),
            t.people_erased
        ),
    )?;
    Ok(summary)
}

/// The services a merge adds or changes.
fn changed_services<'a>(st: &'a State<'a>) -> Vec<&'a Service> {
    let by_id: BTreeMap<Id, &Service> = st.services.values().map(|s| (s.id, s)).collect();
    st.changed_services
        .iter()
        .filter_map(|id| by_id.get(id).copied())
        .collect()
}

/// Writes what a merge into an empty store brings (see [`crate::store::bulk_merge`]).
fn write_bulk(store: &Store, st: &State) -> Result<(), BundleError> {
    let services = changed_services(st);
    let people: Vec<&Person> = st
        .changed_people
        .iter()
        .filter_map(|id| st.people.get(id))
        .collect();
    let conversations: Vec<&Conversation> = st
        .changed_conversations
        .iter()
        .filter_map(|id| st.conversations.get(id).map(|c| &**c))
        .collect();
    let superseded: Vec<&Conversation> = st.superseded.iter().map(|c| &**c).collect();
    store.bulk_merge(&Batch {
        services,
        people,
        conversations,
        superseded,
        audit_each: true,
        replace_action: None,
    })?;
    Ok(())
}

/// People written per transaction: enough that each transaction's fixed cost is spread
/// thin, few enough that its write set stays small.
const PART: usize = 500;

/// Writes what the merge changes, services first, then a part of people at a time with
/// all their changed conversations and the versions those replace, each part in one
/// transaction (see [`crate::store::merge_journal`] for what an interruption leaves).
fn write_in_parts(store: &Store, paths: &[PathBuf], st: &State) -> Result<(), BundleError> {
    let services = changed_services(st);
    type Part<'a> = (
        Vec<&'a Person>,
        Vec<&'a Conversation>,
        Vec<&'a Conversation>,
    );
    let mut by_person: BTreeMap<Id, Part> = BTreeMap::new();
    for id in &st.changed_people {
        if let Some(p) = st.people.get(id) {
            by_person.entry(*id).or_default().0.push(p);
        }
    }
    for id in &st.changed_conversations {
        if let Some(c) = st.conversations.get(id) {
            by_person.entry(c.person).or_default().1.push(&**c);
        }
    }
    for c in &st.superseded {
        by_person.entry(c.person).or_default().2.push(&**c);
    }
    if services.is_empty() && by_person.is_empty() {
        return Ok(());
    }
    store.begin_merge(paths)?;
    if !services.is_empty() {
        store.write_unflushed(&Batch {
            services,
            audit_each: true,
            ..Default::default()
        })?;
    }
    let people: Vec<Part> = by_person.into_values().collect();
    for part in people.chunks(PART) {
        let mut b = Batch {
            audit_each: true,
            ..Default::default()
        };
        for (p, c, s) in part {
            b.people.extend(p);
            b.conversations.extend(c);
            b.superseded.extend(s);
        }
        store.write_unflushed(&b)?;
    }
    store.end_merge()?;
    Ok(())
}

fn invalid(path: &Path, at: &str, p: &Problem) -> BundleError {
    BundleError::Invalid {
        path: path.to_path_buf(),
        reason: format!("{at}.{}: {}", p.field, without_values(&p.message)),
    }
}

/// Checks every person the merge would write and every conversation the bundles carry,
/// in the order they appear, against the store as it would be afterwards.
fn check(
    st: &State,
    bundles: &[(PathBuf, Contents)],
    person_from: &HashMap<Id, (usize, usize)>,
    forms: &Forms,
    today: NaiveDate,
) -> Result<(), BundleError> {
    let mut by_person: HashMap<Id, Vec<&Conversation>> = HashMap::new();
    for c in st.conversations.values() {
        by_person.entry(c.person).or_default().push(&**c);
    }
    for (b, (path, c)) in bundles.iter().enumerate() {
        for (i, p) in c.people.iter().enumerate() {
            if person_from.get(&p.id) != Some(&(b, i)) || !st.changed_people.contains(&p.id) {
                continue;
            }
            let Some(p) = st.people.get(&p.id) else {
                continue;
            };
            let known = |id: &Id| st.people.get(id).map(|x| x.kind);
            if let Some(pr) = validate_person(p, today, known).first() {
                return Err(invalid(path, &format!("people[{i}]"), pr));
            }
        }
        // Every conversation, not only those that win: one that loses is still kept,
        // as an earlier revision. Those of people erased here are not in `st`.
        for (j, conv) in c.conversations.iter().enumerate() {
            let at = format!("conversations[{j}]");
            let Some(person) = st.people.get(&conv.person) else {
                continue;
            };
            let earlier: Vec<&Conversation> = by_person
                .get(&conv.person)
                .map(|v| v.iter().copied().filter(|o| o.id != conv.id).collect())
                .unwrap_or_default();
            if let Some(pr) = validate_conversation(conv, person, forms, &earlier, today).first() {
                return Err(invalid(path, &at, pr));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_messages_lose_the_values_they_quote() {
        assert_eq!(
            without_values("`she said my son` is not a known status; use one of met"),
            "a value is not a known status; use one of met"
        );
        assert_eq!(without_values("no quotes here"), "no quotes here");
        assert_eq!(without_values("`unterminated words"), "a value");
    }

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
