//! Durable local storage in sled, behind a narrow interface so it could be replaced.
//!
//! One directory per store, owner-only. Each record is a checksummed envelope; a
//! conversation and its index entries (and its audit entry) are written in one
//! transaction and flushed before success is reported.

pub mod audit;
pub mod backup;
pub(crate) mod bucketed;
pub mod bulk_merge;
pub mod caseload_index;
pub mod compact;
pub(crate) mod durability;
pub mod envelope;
pub mod erase;
pub mod errors;
pub mod guard;
mod indexes;
pub mod kept;
mod key;
pub mod lookup;
pub mod merge_journal;
mod protection;
pub mod records;
pub mod revisions;
pub mod salvage;
mod scan;
pub mod scoped;
pub mod service_add;
mod verify;
pub mod withdraw;

pub use audit::AuditEntry;
pub use verify::{VerifyIssue, VerifyReport};

use crate::domain::{Conversation, Id, Person, Service};
use envelope::{Kind, decode, encode};
use sled::Transactional;
use sled::transaction::{ConflictableTransactionError, TransactionError, TransactionalTree, abort};
use std::fs::File;
use std::os::unix::fs::DirBuilderExt;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store {0} is in use by another talking-points process")]
    InUse(PathBuf),
    #[error(
        "{0} is not a talking-points store (it already holds other files); choose a new or empty directory"
    )]
    NotAStore(PathBuf),
    #[error("{}", open_message(path, source))]
    Open {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}", errors::describe_db(None, None, .0))]
    Db(#[from] sled::Error),
    #[error("{}", errors::describe_db(Some(tree), Some(key), source))]
    DbAt {
        tree: &'static str,
        key: String,
        source: sled::Error,
    },
    #[error("the {kind} record {key} {problem}; {}", errors::SALVAGE_HINT)]
    Damaged {
        kind: &'static str,
        key: String,
        problem: envelope::EnvelopeError,
    },
    #[error("{0}")]
    Rejected(String),
    #[error("cannot use the store: {0}")]
    Exposed(#[from] guard::Exposure),
}

pub type Result<T> = std::result::Result<T, StoreError>;

fn open_message(path: &Path, e: &std::io::Error) -> String {
    if errors::is_full(e) {
        return errors::full_disk(path);
    }
    let mut reason = e.to_string();
    if let Some(cut) = reason.find(" (os error") {
        reason.truncate(cut);
    }
    format!(
        "cannot open the store at {}: {}",
        path.display(),
        reason.to_lowercase()
    )
}

/// A read error from one tree, naming the tree and, when known, the record.
fn at(tree: &'static str, key: &[u8]) -> impl Fn(sled::Error) -> StoreError {
    let key = show_key(key);
    move |source| StoreError::DbAt {
        tree,
        key: key.clone(),
        source,
    }
}

/// A key as shown to the user: an id, a short plain name, or hex.
pub fn show_key(key: &[u8]) -> String {
    Id::from_slice(key)
        .map(|i| i.to_string())
        .or_else(|| {
            std::str::from_utf8(key)
                .ok()
                .filter(|s| s.len() <= 64 && s.chars().all(|c| c.is_ascii_graphic()))
                .map(str::to_string)
        })
        .unwrap_or_else(|| key.iter().map(|b| format!("{b:02x}")).collect())
}

fn encoded<T: serde::Serialize + ?Sized>(kind: Kind, key: &[u8], v: &T) -> Result<Vec<u8>> {
    encode(kind, key, v).map_err(|problem| StoreError::Damaged {
        kind: kind.name(),
        key: show_key(key),
        problem,
    })
}

fn abort_with(message: String) -> ConflictableTransactionError<String> {
    ConflictableTransactionError::Abort(format!("{message}; nothing was saved"))
}

/// Inside a transaction: a value that cannot be encoded aborts the whole write.
fn encoded_tx<T: serde::Serialize + ?Sized>(
    kind: Kind,
    key: &[u8],
    v: &T,
) -> std::result::Result<Vec<u8>, ConflictableTransactionError<String>> {
    encode(kind, key, v).map_err(|e| {
        ConflictableTransactionError::Abort(format!(
            "the {} record {} {e}; nothing was saved",
            kind.name(),
            show_key(key)
        ))
    })
}

const TREES: [&str; 8] = [
    "meta",
    "services",
    "people",
    "conversations",
    bucketed::SERVICE_PEOPLE.name,
    bucketed::PERSON_CONVERSATIONS.name,
    bucketed::DATE_CONVERSATIONS.name,
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
    /// Blob files already synced (see [`Store::flush`]).
    synced_blobs: std::sync::Mutex<std::collections::HashSet<std::ffi::OsString>>,
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

/// sled's page cache (its default is 1 GiB). What a practitioner waits on touches few
/// pages (a caseload page, one timeline); reports and exports pass over each record once,
/// so a bigger cache only holds pages that are not read again, and the operating system
/// caches the files anyway. 32 MiB keeps a whole process within about 100 MiB on a
/// hundred-thousand-person store; `benches/run.sh` measures both.
const CACHE_BYTES: u64 = 32 * 1024 * 1024;

/// The page cache of a command that reads each record once ([`StoreOptions::reads_once`]):
/// no page is read twice, so a larger cache only holds memory (an export of 100,000
/// people: 84 MiB with this, 94 MiB with [`CACHE_BYTES`], at the same speed).
const ONE_PASS_CACHE_BYTES: u64 = 4 * 1024 * 1024;

/// How a store is opened.
#[derive(Clone, Debug, Default)]
pub struct StoreOptions {
    /// Open a store whose files other accounts can reach (a deliberate shared set-up).
    pub allow_shared_permissions: bool,
    /// The command reads each record once, in one pass (an export): sled's page cache
    /// is kept small.
    pub reads_once: bool,
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
    /// The audit action for a conversation that replaces a kept one, when it is not a
    /// plain `correct` (a `withdraw`).
    pub replace_action: Option<&'a str>,
}

impl Store {
    /// Opens (creating when new) the store at `path`, refusing one whose files others
    /// can reach.
    pub fn open(path: &Path) -> Result<Store> {
        Store::open_with(path, &StoreOptions::default())
    }

    /// Opens the store at `path` with the given checks.
    pub fn open_with(path: &Path, opts: &StoreOptions) -> Result<Store> {
        let store = Store::open_inner(path, opts)?;
        if let Some(op) = store.unfinished_import()? {
            return Err(unfinished(path, &op));
        }
        Ok(store)
    }

    /// Keeps this store's database open until the process ends, so that a command that
    /// fails never waits on sled's closing flush (which can hang on a full disk); for
    /// the command line, which exits as soon as it has reported.
    pub fn keep_until_exit(&self) {
        durability::keep_until_exit(&self.db, &self._lock, &self.path);
    }

    /// For the command line, on success just before exit: flushes and records the
    /// state of every store kept open, so that the next open can tell whether anything
    /// changed the files since.
    pub fn seal_kept() {
        durability::seal_kept();
    }

    fn open_inner(path: &Path, opts: &StoreOptions) -> Result<Store> {
        guard::private_umask();
        errors::note_store_dir(path);
        let open_err = |source| StoreError::Open {
            path: path.to_path_buf(),
            source,
        };
        let mut created = false;
        if path.exists() {
            if !path.is_dir() {
                return Err(StoreError::NotAStore(path.to_path_buf()));
            }
            let is_store = path.join("store.lock").exists() || path.join("db").exists();
            let empty = std::fs::read_dir(path).map_err(open_err)?.next().is_none();
            if !is_store && !empty {
                return Err(StoreError::NotAStore(path.to_path_buf()));
            }
            if !opts.allow_shared_permissions {
                if empty {
                    guard::claim_empty(path)?;
                }
                guard::check(path)?;
            }
        } else {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(path)
                .map_err(open_err)?;
            created = true;
        }
        let Some(lock) = guard::take_store_lock(path).map_err(open_err)? else {
            return Err(StoreError::InUse(path.to_path_buf()));
        };
        compact::finish_pending(path)?;
        clear_unfinished_snapshots(&path.join("db"));
        durability::preserve_if_changed(path);
        let config = sled::Config::new()
            .path(path.join("db"))
            .cache_capacity(if opts.reads_once {
                ONE_PASS_CACHE_BYTES
            } else {
                CACHE_BYTES
            });
        let db =
            guard::patiently(|| config.open(), guard::sled_lock_held).map_err(|e| match e {
                sled::Error::Io(io) => open_err(io),
                other => StoreError::Db(other),
            })?;
        if created {
            // A new store's directory entries are durable before anything is reported.
            let parent = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            for dir in [path.join("db").as_path(), path, parent] {
                durability::sync_dir(dir).map_err(open_err)?;
            }
        }
        let keep_new = created;
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
            user: guard::os_account(),
            synced_blobs: Default::default(),
            _lock: lock,
        };
        store.upgrade_indexes()?;
        store.init_meta()?;
        if keep_new {
            // A new store keeps its roll-up totals from the first record on.
            store.rebuild_kept(chrono::Local::now().date_naive())?;
        }
        Ok(store)
    }

    fn init_meta(&self) -> Result<()> {
        if self.meta.get("secret")?.is_none() {
            // The key for pseudonymous person keys in exports; made once, never shown.
            let mut secret = Vec::with_capacity(32);
            secret.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
            secret.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
            self.meta
                .insert("secret", encoded(Kind::Meta, b"secret", &secret)?)?;
            self.meta.insert(
                "created",
                encoded(Kind::Meta, b"created", &chrono::Utc::now().to_rfc3339())?,
            )?;
            self.flush()?;
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
        decode_record(kind, key, v)
    }
}

/// The refusal of a store that an interrupted restore, salvage or merge left incomplete.
fn unfinished(path: &Path, op: &str) -> StoreError {
    StoreError::Rejected(format!(
        "a {op} into {} was interrupted and the store is incomplete; run the {op} again, or remove the directory",
        path.display()
    ))
}

/// A record read from its envelope, refused when it is damaged or filed under another
/// key.
pub(crate) fn decode_record<T: serde::de::DeserializeOwned>(
    kind: Kind,
    key: &[u8],
    v: &[u8],
) -> Result<T> {
    {
        let damaged = |problem| StoreError::Damaged {
            kind: kind.name(),
            key: show_key(key),
            problem,
        };
        let value = decode(kind, v).map_err(damaged)?;
        match envelope::key_of(v) {
            Some(k) if k != key => Err(damaged(envelope::EnvelopeError::WrongKey)),
            _ => Ok(value),
        }
    }
}

impl Store {
    /// Every record of one tree. The loop stops at the first error: sled's iterator
    /// repeats a read error forever, so counting or flattening it would never end.
    fn all<T: serde::de::DeserializeOwned>(
        &self,
        tree: &sled::Tree,
        name: &'static str,
        kind: Kind,
    ) -> Result<Vec<T>> {
        let mut out = Vec::new();
        for r in tree.iter() {
            let (k, v) = r.map_err(at(name, b""))?;
            out.push(self.decode(kind, &k, &v)?);
        }
        Ok(out)
    }

    /// How many entries a tree holds, stopping at the first read error (sled's own
    /// `len` counts an iterator that never ends after one).
    fn count(tree: &sled::Tree, name: &'static str) -> Result<usize> {
        let mut n = 0;
        for r in tree.iter().keys() {
            r.map_err(at(name, b""))?;
            n += 1;
        }
        Ok(n)
    }

    pub fn services(&self) -> Result<Vec<Service>> {
        self.all(&self.services, "services", Kind::Service)
    }

    pub fn service(&self, id: &Id) -> Result<Option<Service>> {
        match self
            .services
            .get(id.as_bytes())
            .map_err(at("services", id.as_bytes()))?
        {
            Some(v) => Ok(Some(self.decode(Kind::Service, id.as_bytes(), &v)?)),
            None => Ok(None),
        }
    }

    pub fn find_service(&self, name: &str) -> Result<Option<Service>> {
        Ok(self.services()?.into_iter().find(|s| s.matches(name)))
    }

    pub fn person(&self, id: &Id) -> Result<Option<Person>> {
        match self
            .people
            .get(id.as_bytes())
            .map_err(at("people", id.as_bytes()))?
        {
            Some(v) => Ok(Some(self.decode(Kind::Person, id.as_bytes(), &v)?)),
            None => Ok(None),
        }
    }

    pub fn people(&self) -> Result<Vec<Person>> {
        self.all(&self.people, "people", Kind::Person)
    }

    /// Every person, decoded one at a time as the iterator is taken (for a pass that
    /// keeps only a little of each).
    pub fn each_person(&self) -> impl Iterator<Item = Result<Person>> + '_ {
        self.people.iter().map(|r| {
            let (k, v) = r.map_err(at("people", b""))?;
            self.decode(Kind::Person, &k, &v)
        })
    }

    /// Whether the store holds no people (one read, where counting them reads all).
    pub fn holds_no_people(&self) -> bool {
        matches!(self.people.first(), Ok(None))
    }

    /// How many people the store holds; 0 when the count cannot be read (the reads
    /// that follow report the damage).
    pub fn people_count(&self) -> usize {
        Self::count(&self.people, "people").unwrap_or(0)
    }

    pub fn conversation_count(&self) -> usize {
        Self::count(&self.conversations, "conversations").unwrap_or(0)
    }

    /// The people of one service, through the service index (no full scan).
    pub fn people_in_service(&self, service: &Id) -> Result<Vec<Person>> {
        let mut out = Vec::new();
        for k in bucketed::SERVICE_PEOPLE.scan(&self.idx_service_person, service.as_bytes()) {
            let k = k?;
            let pid = bucketed::person_of_service_key(&k).ok_or_else(|| StoreError::Damaged {
                kind: "index",
                key: service.to_string(),
                problem: envelope::EnvelopeError::Short,
            })?;
            if let Some(p) = self.person(&pid)? {
                out.push(p);
            }
        }
        out.sort_by_key(|p| p.id);
        Ok(out)
    }

    pub fn conversation(&self, id: &Id) -> Result<Option<Conversation>> {
        match self
            .conversations
            .get(id.as_bytes())
            .map_err(at("conversations", id.as_bytes()))?
        {
            Some(v) => Ok(Some(self.decode(Kind::Conversation, id.as_bytes(), &v)?)),
            None => Ok(None),
        }
    }

    /// A person's conversations, oldest first, through the person index.
    pub fn conversations_of(&self, person: &Id) -> Result<Vec<Conversation>> {
        let mut out = Vec::new();
        for k in bucketed::PERSON_CONVERSATIONS.scan(&self.idx_person_conv, person.as_bytes()) {
            let k = k?;
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
        let mut out = Vec::new();
        for k in bucketed::DATE_CONVERSATIONS.iter(&self.idx_date_conv) {
            let k = k?;
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
        self.all(&self.audit, "audit", Kind::Audit)
    }

    /// Records an event that changes no record (an export, a verify run).
    pub fn log(&self, action: &str, record: &str, id: &str) -> Result<()> {
        let entry = self.entry(action, record, id);
        let key = self.audit_keys(1)?[0];
        self.audit
            .insert(key, encoded(Kind::Audit, &key, &entry)?)?;
        self.flush()
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
        self.flush()
    }

    /// As [`write`](Self::write) without the flush, for bulk loads that flush once at
    /// the end.
    pub fn write_unflushed(&self, b: &Batch) -> Result<()> {
        let audit_ids: Vec<[u8; 8]> = if b.audit_each {
            self.audit_keys(b.services.len() + b.people.len() + b.conversations.len())?
        } else {
            Vec::new()
        };
        let plan = self.kept_plan()?;
        let trees = (
            &self.services,
            &self.people,
            &self.conversations,
            &self.idx_service_person,
            &self.idx_person_conv,
            &self.idx_date_conv,
            &self.audit,
            &self.revisions()?,
            &self.kept_inputs_tree()?,
            &self.kept_totals_tree()?,
            &self.caseload_tree()?,
        );
        let res = trees.transaction(
            |(services, people, convs, isp, ipc, idc, audit, revs, kin, ktot, kcase)| {
                let mut audit_n = 0;
                // The names replaced people had, for the caseload index to move lines.
                let mut was_named = std::collections::BTreeMap::new();
                let mut log = |audit: &TransactionalTree, action: &str, record: &str, id: &Id| {
                    if b.audit_each {
                        let e = self.entry(action, record, &id.to_string());
                        let key = &audit_ids[audit_n];
                        audit.insert(key, encoded_tx(Kind::Audit, key, &e)?)?;
                        audit_n += 1;
                    }
                    Ok::<(), ConflictableTransactionError<String>>(())
                };
                for s in &b.services {
                    let key = s.id.as_bytes();
                    let old = services.insert(key, encoded_tx(Kind::Service, key, s)?)?;
                    log(
                        audit,
                        if old.is_some() { "change" } else { "create" },
                        "service",
                        &s.id,
                    )?;
                }
                for p in &b.people {
                    let key = p.id.as_bytes();
                    let old = people.insert(key, encoded_tx(Kind::Person, key, p)?)?;
                    if let Some(old) = &old
                        && let Ok(old) = decode::<Person>(Kind::Person, old)
                    {
                        bucketed::SERVICE_PEOPLE
                            .remove(isp, &bucketed::service_person_key(&old.service, &old.id))?;
                        was_named.insert(old.id, old.name);
                    }
                    bucketed::SERVICE_PEOPLE
                        .insert(isp, &bucketed::service_person_key(&p.service, &p.id))?;
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
                    let key = c.id.as_bytes();
                    let old = convs.insert(key, encoded_tx(Kind::Conversation, key, *c)?)?;
                    if let Some(old) = &old
                        && let Ok(oldc) = decode::<Conversation>(Kind::Conversation, old)
                    {
                        bucketed::PERSON_CONVERSATIONS.remove(ipc, &person_conv_key(&oldc))?;
                        bucketed::DATE_CONVERSATIONS.remove(idc, &date_conv_key(&oldc))?;
                        // A correction keeps what it replaces (a re-recording of the same
                        // version replaces nothing).
                        if oldc != **c {
                            let rkey =
                                revisions::key(&oldc).map_err(|e| abort_with(e.to_string()))?;
                            revs.insert(rkey.clone(), encoded_tx(Kind::Revision, &rkey, &oldc)?)?;
                        }
                    }
                    bucketed::PERSON_CONVERSATIONS.insert(ipc, &person_conv_key(c))?;
                    bucketed::DATE_CONVERSATIONS.insert(idc, &date_conv_key(c))?;
                    log(
                        audit,
                        match (&old, b.replace_action) {
                            (Some(_), Some(action)) => action,
                            (Some(_), None) => "correct",
                            (None, _) => "create",
                        },
                        "conversation",
                        &c.id,
                    )?;
                }
                for c in &b.superseded {
                    let rkey = revisions::key(c).map_err(|e| abort_with(e.to_string()))?;
                    revs.insert(rkey.clone(), encoded_tx(Kind::Revision, &rkey, *c)?)?;
                }
                if let Some(plan) = &plan {
                    plan.apply(b, &was_named, people, kin, ktot, kcase)?;
                }
                Ok(())
            },
        );
        match res {
            Ok(()) => Ok(()),
            Err(TransactionError::Abort(msg)) => Err(StoreError::Rejected(msg)),
            Err(TransactionError::Storage(e)) => Err(StoreError::Db(e)),
        }
    }

    /// Keeps words being typed, flushed, so a dropped connection loses nothing.
    pub fn save_draft<T: serde::Serialize>(&self, key: &str, draft: &T) -> Result<()> {
        self.drafts
            .insert(key, encoded(Kind::Draft, key.as_bytes(), draft)?)?;
        self.flush()
    }

    /// A kept draft; a damaged one is reported rather than offered back half-read.
    pub fn load_draft<T: serde::de::DeserializeOwned>(&self, key: &str) -> Result<Option<T>> {
        match self.drafts.get(key).map_err(at("drafts", key.as_bytes()))? {
            Some(v) => Ok(Some(self.decode(Kind::Draft, key.as_bytes(), &v)?)),
            None => Ok(None),
        }
    }

    pub fn remove_draft(&self, key: &str) -> Result<()> {
        if self.drafts.remove(key)?.is_some() {
            self.flush()?;
        }
        Ok(())
    }

    /// Makes every write so far durable: sled's log, then the blob files that large
    /// records go to (sled does not sync those itself).
    pub fn flush(&self) -> Result<()> {
        self.db.flush()?;
        durability::sync_blobs(&self.path.join("db"), &self.synced_blobs).map_err(|e| {
            StoreError::Open {
                path: self.path.clone(),
                source: e,
            }
        })
    }
}
