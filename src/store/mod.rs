//! Durable local storage in sled, behind a narrow interface so it could be replaced.
//!
//! One directory per store, owner-only. Each record is a checksummed envelope; a
//! conversation and its index entries (and its audit entry) are written in one
//! transaction and flushed before success is reported.

pub mod audit;
pub mod compact;
pub mod envelope;
pub mod erase;
pub mod revisions;
mod verify;

pub use audit::AuditEntry;
pub use verify::{VerifyIssue, VerifyReport};

use crate::domain::{Conversation, Id, Person, Service};
use envelope::{Kind, decode, encode};
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree, abort};
use std::fs::{File, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store {0} is in use by another talking-points process")]
    InUse(PathBuf),
    #[error(
        "{0} is not a talking-points store (it already holds other files); choose a new or empty directory"
    )]
    NotAStore(PathBuf),
    #[error("cannot open the store at {path}: {source}")]
    Open {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the store's database failed: {0}; run `talking-points verify`")]
    Db(#[from] sled::Error),
    #[error("the {kind} record {key} {problem}; run `talking-points verify`")]
    Damaged {
        kind: &'static str,
        key: String,
        problem: envelope::EnvelopeError,
    },
    #[error("{0}")]
    Rejected(String),
}

pub type Result<T> = std::result::Result<T, StoreError>;

const TREES: [&str; 8] = [
    "meta",
    "services",
    "people",
    "conversations",
    "idx_service_person",
    "idx_person_conversation",
    "idx_date_conversation",
    "audit",
];

pub struct Store {
    db: sled::Db,
    path: PathBuf,
    meta: sled::Tree,
    services: sled::Tree,
    people: sled::Tree,
    conversations: sled::Tree,
    idx_service_person: sled::Tree,
    idx_person_conv: sled::Tree,
    idx_date_conv: sled::Tree,
    audit: sled::Tree,
    drafts: sled::Tree,
    user: String,
    // Held for the life of the store: the OS releases the lock when the process ends,
    // however it ends.
    _lock: File,
}

fn key2(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(a.len() + b.len());
    k.extend_from_slice(a);
    k.extend_from_slice(b);
    k
}

pub(crate) fn person_conv_key(c: &Conversation) -> Vec<u8> {
    let mut k = key2(
        c.person.as_bytes(),
        c.date.format("%Y-%m-%d").to_string().as_bytes(),
    );
    k.extend_from_slice(c.id.as_bytes());
    k
}

pub(crate) fn date_conv_key(c: &Conversation) -> Vec<u8> {
    key2(
        c.date.format("%Y-%m-%d").to_string().as_bytes(),
        c.id.as_bytes(),
    )
}

fn tighten(path: &Path) {
    // Owner-only for everything sled created; best effort, as the directory itself is
    // already 0700 and that is what keeps others out.
    if let Ok(entries) = std::fs::read_dir(path) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                let _ = std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o700));
                tighten(&p);
            } else {
                let _ = std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600));
            }
        }
    }
}

/// sled 0.34.7 writes a snapshot on every open as `snap.<lsn>.generating` and renames it
/// when complete; a process killed before the rename leaves a partial file that sled
/// then takes for the newest snapshot and refuses to open (sled issue #1527). The rename
/// is sled's commit point and we hold the store lock, so an unfinished one can go.
fn clear_unfinished_snapshots(db: &Path) {
    if let Ok(entries) = std::fs::read_dir(db) {
        for e in entries.flatten() {
            let name = e.file_name();
            let name = name.to_string_lossy();
            if name.starts_with("snap.") && name.ends_with(".generating") {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
}

/// A write to be made in one transaction.
#[derive(Default)]
pub struct Batch<'a> {
    pub services: Vec<&'a Service>,
    pub people: Vec<&'a Person>,
    pub conversations: Vec<&'a Conversation>,
    /// Versions of conversations that lost to a newer one (in a merge): kept as
    /// earlier revisions, like the one a correction replaces.
    pub superseded: Vec<&'a Conversation>,
    /// Write an audit entry per record (off only for synthetic seed data, which is
    /// audited as one `seed` entry instead).
    pub audit_each: bool,
}

impl Store {
    /// Opens (creating when new) the store at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        let open_err = |source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        if path.exists() {
            if !path.is_dir() {
                return Err(StoreError::NotAStore(path.to_path_buf()));
            }
            let is_store = path.join("store.lock").exists() || path.join("db").exists();
            let empty = std::fs::read_dir(path).map_err(open_err)?.next().is_none();
            if !is_store && !empty {
                return Err(StoreError::NotAStore(path.to_path_buf()));
            }
        } else {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(path)
                .map_err(open_err)?;
        }
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(path.join("store.lock"))
            .map_err(open_err)?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(StoreError::InUse(path.to_path_buf()));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(open_err(e)),
        }
        compact::finish_pending(path)?;
        clear_unfinished_snapshots(&path.join("db"));
        let db = sled::Config::new()
            .path(path.join("db"))
            .cache_capacity(256 * 1024 * 1024)
            .open()
            .map_err(|e| match e {
                sled::Error::Io(io) => open_err(io),
                other => StoreError::Db(other),
            })?;
        tighten(path);
        let t = |name: &str| db.open_tree(name);
        let store = Store {
            meta: t(TREES[0])?,
            services: t(TREES[1])?,
            people: t(TREES[2])?,
            conversations: t(TREES[3])?,
            idx_service_person: t(TREES[4])?,
            idx_person_conv: t(TREES[5])?,
            idx_date_conv: t(TREES[6])?,
            audit: t(TREES[7])?,
            drafts: t("drafts")?,
            db,
            path: path.to_path_buf(),
            user: audit::os_user(),
            _lock: lock,
        };
        store.init_meta()?;
        Ok(store)
    }

    fn init_meta(&self) -> Result<()> {
        if self.meta.get("secret")?.is_none() {
            // The key for pseudonymous person keys in exports; made once, never shown.
            let mut secret = Vec::with_capacity(32);
            secret.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
            secret.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
            self.meta.insert("secret", encode(Kind::Meta, &secret))?;
            self.meta.insert(
                "created",
                encode(Kind::Meta, &chrono::Utc::now().to_rfc3339()),
            )?;
            self.db.flush()?;
        }
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The secret used to make pseudonymous keys; kept in the store, never exported.
    pub fn secret(&self) -> Result<Vec<u8>> {
        let raw = self.meta.get("secret")?.ok_or_else(|| {
            StoreError::Rejected(
                "the store has lost its secret key; run `talking-points verify`".into(),
            )
        })?;
        self.decode(Kind::Meta, b"secret", &raw)
    }

    fn decode<T: serde::de::DeserializeOwned>(
        &self,
        kind: Kind,
        key: &[u8],
        v: &[u8],
    ) -> Result<T> {
        decode(kind, v).map_err(|problem| StoreError::Damaged {
            kind: kind.name(),
            key: Id::from_slice(key)
                .map(|i| i.to_string())
                .unwrap_or_else(|| String::from_utf8_lossy(key).into_owned()),
            problem,
        })
    }

    fn all<T: serde::de::DeserializeOwned>(&self, tree: &sled::Tree, kind: Kind) -> Result<Vec<T>> {
        tree.iter()
            .map(|r| {
                let (k, v) = r?;
                self.decode(kind, &k, &v)
            })
            .collect()
    }

    pub fn services(&self) -> Result<Vec<Service>> {
        self.all(&self.services, Kind::Service)
    }

    pub fn service(&self, id: &Id) -> Result<Option<Service>> {
        match self.services.get(id.as_bytes())? {
            Some(v) => Ok(Some(self.decode(Kind::Service, id.as_bytes(), &v)?)),
            None => Ok(None),
        }
    }

    pub fn find_service(&self, name: &str) -> Result<Option<Service>> {
        Ok(self.services()?.into_iter().find(|s| s.matches(name)))
    }

    pub fn person(&self, id: &Id) -> Result<Option<Person>> {
        match self.people.get(id.as_bytes())? {
            Some(v) => Ok(Some(self.decode(Kind::Person, id.as_bytes(), &v)?)),
            None => Ok(None),
        }
    }

    pub fn people(&self) -> Result<Vec<Person>> {
        self.all(&self.people, Kind::Person)
    }

    pub fn people_count(&self) -> usize {
        self.people.len()
    }

    pub fn conversation_count(&self) -> usize {
        self.conversations.len()
    }

    /// The people of one service, through the service index (no full scan).
    pub fn people_in_service(&self, service: &Id) -> Result<Vec<Person>> {
        let mut out = Vec::new();
        for r in self.idx_service_person.scan_prefix(service.as_bytes()) {
            let (k, _) = r?;
            let pid = Id::from_slice(&k[16..]).ok_or_else(|| StoreError::Damaged {
                kind: "index",
                key: service.to_string(),
                problem: envelope::EnvelopeError::Short,
            })?;
            if let Some(p) = self.person(&pid)? {
                out.push(p);
            }
        }
        Ok(out)
    }

    pub fn conversation(&self, id: &Id) -> Result<Option<Conversation>> {
        match self.conversations.get(id.as_bytes())? {
            Some(v) => Ok(Some(self.decode(Kind::Conversation, id.as_bytes(), &v)?)),
            None => Ok(None),
        }
    }

    /// A person's conversations, oldest first, through the person index.
    pub fn conversations_of(&self, person: &Id) -> Result<Vec<Conversation>> {
        let mut out = Vec::new();
        for r in self.idx_person_conv.scan_prefix(person.as_bytes()) {
            let (k, _) = r?;
            let Some(cid) = k.get(26..42).and_then(Id::from_slice) else {
                continue;
            };
            if let Some(c) = self.conversation(&cid)? {
                out.push(c);
            }
        }
        Ok(out)
    }

    /// Every conversation, in date order (for roll-ups and exports).
    pub fn conversations(&self) -> Result<Vec<Conversation>> {
        let mut out = Vec::with_capacity(self.conversations.len());
        for r in self.idx_date_conv.iter() {
            let (k, _) = r?;
            let Some(cid) = k.get(10..26).and_then(Id::from_slice) else {
                continue;
            };
            if let Some(c) = self.conversation(&cid)? {
                out.push(c);
            }
        }
        Ok(out)
    }

    pub fn audit_entries(&self) -> Result<Vec<AuditEntry>> {
        self.all(&self.audit, Kind::Audit)
    }

    /// Records an event that changes no record (an export, a verify run).
    pub fn log(&self, action: &str, record: &str, id: &str) -> Result<()> {
        let entry = self.entry(action, record, id);
        let key = self.audit_keys(1)?[0];
        self.audit.insert(key, encode(Kind::Audit, &entry))?;
        self.db.flush()?;
        Ok(())
    }

    fn entry(&self, action: &str, record: &str, id: &str) -> AuditEntry {
        AuditEntry {
            at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            user: self.user.clone(),
            action: action.into(),
            record: record.into(),
            id: id.into(),
        }
    }

    pub fn add_service(&self, s: &Service) -> Result<()> {
        self.write(&Batch {
            services: vec![s],
            audit_each: true,
            ..Default::default()
        })
    }

    pub fn add_person(&self, p: &Person) -> Result<()> {
        self.write(&Batch {
            people: vec![p],
            audit_each: true,
            ..Default::default()
        })
    }

    /// Saves conversations (new ones, or new revisions of kept ones) all or nothing.
    pub fn save_conversations(&self, cs: &[Conversation]) -> Result<()> {
        self.write(&Batch {
            conversations: cs.iter().collect(),
            audit_each: true,
            ..Default::default()
        })
    }

    /// Writes a batch in one transaction and flushes it to disk before returning.
    pub fn write(&self, b: &Batch) -> Result<()> {
        self.write_unflushed(b)?;
        self.db.flush()?;
        Ok(())
    }

    /// As [`write`](Self::write) without the flush, for bulk loads that flush once at
    /// the end.
    pub fn write_unflushed(&self, b: &Batch) -> Result<()> {
        let audit_ids: Vec<[u8; 8]> = if b.audit_each {
            self.audit_keys(b.services.len() + b.people.len() + b.conversations.len())?
        } else {
            Vec::new()
        };
        let trees = (
            &self.services,
            &self.people,
            &self.conversations,
            &self.idx_service_person,
            &self.idx_person_conv,
            &self.idx_date_conv,
            &self.audit,
            &self.revisions()?,
        );
        let res = trees.transaction(|(services, people, convs, isp, ipc, idc, audit, revs)| {
            let mut audit_n = 0;
            let mut log = |audit: &TransactionalTree, action: &str, record: &str, id: &Id| {
                if b.audit_each {
                    let e = self.entry(action, record, &id.to_string());
                    audit.insert(&audit_ids[audit_n], encode(Kind::Audit, &e))?;
                    audit_n += 1;
                }
                Ok::<(), ConflictableTransactionError<String>>(())
            };
            for s in &b.services {
                let old = services.insert(s.id.as_bytes(), encode(Kind::Service, s))?;
                log(
                    audit,
                    if old.is_some() { "change" } else { "create" },
                    "service",
                    &s.id,
                )?;
            }
            for p in &b.people {
                let old = people.insert(p.id.as_bytes(), encode(Kind::Person, p))?;
                if let Some(old) = &old
                    && let Ok(old) = decode::<Person>(Kind::Person, old)
                {
                    isp.remove(key2(old.service.as_bytes(), old.id.as_bytes()))?;
                }
                isp.insert(key2(p.service.as_bytes(), p.id.as_bytes()), &[])?;
                log(
                    audit,
                    if old.is_some() { "change" } else { "create" },
                    "person",
                    &p.id,
                )?;
            }
            for c in &b.conversations {
                if people.get(c.person.as_bytes())?.is_none() {
                    return abort(format!("no person with id {} is in this store", c.person));
                }
                let old = convs.insert(c.id.as_bytes(), encode(Kind::Conversation, *c))?;
                if let Some(old) = &old
                    && let Ok(oldc) = decode::<Conversation>(Kind::Conversation, old)
                {
                    ipc.remove(person_conv_key(&oldc))?;
                    idc.remove(date_conv_key(&oldc))?;
                    // A correction keeps what it replaces, as it was stored.
                    if oldc != **c {
                        revs.insert(revisions::key(&oldc), old.clone())?;
                    }
                }
                ipc.insert(person_conv_key(c), &[])?;
                idc.insert(date_conv_key(c), &[])?;
                log(
                    audit,
                    if old.is_some() { "correct" } else { "create" },
                    "conversation",
                    &c.id,
                )?;
            }
            for c in &b.superseded {
                revs.insert(revisions::key(c), encode(Kind::Conversation, *c))?;
            }
            Ok(())
        });
        match res {
            Ok(()) => Ok(()),
            Err(TransactionError::Abort(msg)) => Err(StoreError::Rejected(msg)),
            Err(TransactionError::Storage(e)) => Err(StoreError::Db(e)),
        }
    }

    /// Keeps words being typed, flushed, so a dropped connection loses nothing.
    pub fn save_draft<T: serde::Serialize>(&self, key: &str, draft: &T) -> Result<()> {
        self.drafts.insert(key, encode(Kind::Draft, draft))?;
        self.db.flush()?;
        Ok(())
    }

    /// A kept draft; a damaged one is reported rather than offered back half-read.
    pub fn load_draft<T: serde::de::DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        match self.drafts.get(key)? {
            Some(v) => Ok(Some(self.decode(Kind::Draft, key.as_bytes(), &v)?)),
            None => Ok(None),
        }
    }

    pub fn remove_draft(&self, key: &str) -> Result<()> {
        if self.drafts.remove(key)?.is_some() {
            self.db.flush()?;
        }
        Ok(())
    }

    pub fn flush(&self) -> Result<()> {
        self.db.flush()?;
        Ok(())
    }
}
