//! Rewriting the store into a fresh database, so that the bytes of erased records that
//! sled's log-structured files still hold leave the disk.
//!
//! Each step is safe to be killed after: (1) a `compact.pending` marker is written
//! before the erasure itself; (2) every tree is copied into `db.new`, flushed and
//! closed; (3) `db` is renamed `db.old`, then `db.new` renamed `db`; (4) every file of
//! `db.old` is overwritten with zeros, synced and deleted; (5) the marker goes. An open
//! that finds the marker finishes the job under the store lock: a copy not yet swapped
//! in is made again from `db` (rolled forward, since `db` already lacks the erased
//! records), a half-done swap is completed, and `db.old` is scrubbed.

use super::{Result, Store, StoreError};
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

pub const MARKER: &str = "compact.pending";
/// What the marker holds for a rewrite that only tidies (after a bulk load): the old
/// files hold nothing the new ones lack, so they are deleted without being scrubbed.
const TIDY: &[u8] = b"tidy";

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Open {
        path: path.to_path_buf(),
        source,
    }
}

fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_err(dir))
}

/// Notes, durably, that the store must be rewritten before it is next used.
pub(crate) fn mark_pending(store: &Path) -> Result<()> {
    mark(store, b"")
}

/// Notes, durably, that the store is to be rewritten to tidy it, not to scrub it.
pub(crate) fn mark_tidy(store: &Path) -> Result<()> {
    mark(store, TIDY)
}

fn mark(store: &Path, what: &[u8]) -> Result<()> {
    let m = store.join(MARKER);
    {
        use std::os::unix::fs::OpenOptionsExt;
        let mut f = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&m)
            .map_err(io_err(&m))?;
        f.write_all(what).map_err(io_err(&m))?;
        f.sync_all().map_err(io_err(&m))?;
    }
    sync_dir(store)
}

/// Completes a rewrite that an earlier process started and did not finish. Called by
/// `Store::open` with the lock held, before the database is opened.
pub fn finish_pending(store: &Path) -> Result<()> {
    if store.join(MARKER).exists() {
        run(store)?;
    }
    Ok(())
}

/// Rewrites the store's database (which no one may have open) into a fresh one and
/// scrubs the old files (deletes them, when the rewrite only tidies).
pub(crate) fn run(store: &Path) -> Result<()> {
    let marker = store.join(MARKER);
    // An unreadable marker is taken for an erasure's: scrubbing is the safe side.
    let tidy_only = fs::read(&marker).is_ok_and(|m| m == TIDY);
    let db = store.join("db");
    let new = store.join("db.new");
    let old = store.join("db.old");
    if db.exists() && !old.exists() {
        if new.exists() {
            // A copy that was cut short: make it again.
            fs::remove_dir_all(&new).map_err(io_err(&new))?;
        }
        copy(&db, &new)?;
        sync_dir(store)?;
        fs::rename(&db, &old).map_err(io_err(&db))?;
        sync_dir(store)?;
    }
    if !db.exists() {
        if !new.exists() {
            return Err(StoreError::Rejected(format!(
                "the store at {} has lost its database during a rewrite; restore it from a backup",
                store.display()
            )));
        }
        fs::rename(&new, &db).map_err(io_err(&new))?;
        sync_dir(store)?;
    }
    if old.exists() {
        if tidy_only {
            fs::remove_dir_all(&old).map_err(io_err(&old))?;
        } else {
            scrub(&old)?;
        }
        sync_dir(store)?;
    }
    // Copies kept from before (of a store whose files had changed unexpectedly) hold
    // the same records the rewrite just dropped.
    let preserved = store.join(super::durability::PRESERVED);
    if preserved.exists() && !tidy_only {
        scrub(&preserved)?;
        sync_dir(store)?;
    }
    // The rewritten files are the store's files now: seal them, so the next open does
    // not take them for a damaged store and keep a copy.
    super::durability::seal(store);
    let m = store.join(MARKER);
    fs::remove_file(&m).map_err(io_err(&m))?;
    sync_dir(store)
}

fn open_db(path: &Path) -> Result<sled::Db> {
    super::clear_unfinished_snapshots(path);
    let config = sled::Config::new()
        .path(path)
        .cache_capacity(super::CACHE_BYTES);
    // As any open: the lock of a handle just let go of (or a copy of it in a process
    // being started) is waited for, briefly.
    super::guard::patiently(|| config.open(), super::guard::sled_lock_held).map_err(|e| match e {
        sled::Error::Io(source) => StoreError::Open {
            path: path.to_path_buf(),
            source,
        },
        other => StoreError::Db(other),
    })
}

/// Copies every tree, key for key, into a new database, and closes both.
fn copy(from: &Path, to: &Path) -> Result<()> {
    let src = open_db(from)?;
    let dst = open_db(to)?;
    for name in src.tree_names() {
        let s = src.open_tree(&name)?;
        let d = dst.open_tree(&name)?;
        let mut batch = sled::Batch::default();
        let mut n = 0;
        for kv in s.iter() {
            let (k, v) = kv?;
            batch.insert(k, v);
            n += 1;
            if n % 4096 == 0 {
                d.apply_batch(std::mem::take(&mut batch))?;
            }
        }
        d.apply_batch(batch)?;
    }
    dst.flush()?;
    drop(dst);
    drop(src);
    Ok(())
}

/// Overwrites every file under `dir` with zeros, syncs it, and deletes the directory.
fn scrub(dir: &Path) -> Result<()> {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for e in fs::read_dir(&d).map_err(io_err(&d))? {
            let p = e.map_err(io_err(&d))?.path();
            let meta = fs::symlink_metadata(&p).map_err(io_err(&p))?;
            if meta.is_dir() {
                dirs.push(p);
            } else if meta.is_file() {
                files.push(p);
            }
        }
    }
    let zeros = vec![0u8; 1 << 16];
    for p in &files {
        let len = fs::metadata(p).map_err(io_err(p))?.len();
        let mut f = OpenOptions::new().write(true).open(p).map_err(io_err(p))?;
        let mut left = len;
        while left > 0 {
            let n = left.min(zeros.len() as u64) as usize;
            f.write_all(&zeros[..n]).map_err(io_err(p))?;
            left -= n as u64;
        }
        f.sync_all().map_err(io_err(p))?;
    }
    fs::remove_dir_all(dir).map_err(io_err(dir))
}

impl Store {
    /// Rewrites the database into fresh files after a bulk load (a seed, or a merge into
    /// an empty store). Such a load leaves sled's files about twice the size of what they
    /// hold, and sled reads the header of every part of its file and rewrites every
    /// unused part on each open, so a tidied store opens in a fraction of the time.
    /// Takes the store: the lock is held to the end.
    pub fn tidy(self) -> Result<()> {
        self.flush()?;
        super::durability::release_kept(&self.path);
        mark_tidy(&self.path)?;
        let (path, lock) = self.into_lock();
        run(&path)?;
        drop(lock);
        Ok(())
    }

    /// Keys for new audit entries, each after every entry already kept. sled's id
    /// counter starts again from zero in a rewritten database, so the last key held is
    /// the floor.
    pub(crate) fn audit_keys(&self, n: usize) -> Result<Vec<[u8; 8]>> {
        let mut next = match self.audit.last()? {
            Some((k, _)) => <[u8; 8]>::try_from(&k[..])
                .map(|b| u64::from_be_bytes(b).saturating_add(1))
                .unwrap_or(0),
            None => 0,
        };
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            let k = self.db.generate_id()?.max(next);
            next = k.saturating_add(1);
            out.push(k.to_be_bytes());
        }
        Ok(out)
    }

    /// Gives up the database, keeping only the path and the lock, so the files can be
    /// rewritten while no other process may open them.
    pub(crate) fn into_lock(self) -> (PathBuf, File) {
        let Store { path, _lock, .. } = self;
        (path, _lock)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db_bytes(store: &Path) -> u64 {
        fs::metadata(store.join("db").join("db"))
            .expect("db file")
            .len()
    }

    // A bulk load leaves sled's file bigger than what it holds (twice as big at 100,000
    // people; a sixth at 3,000); tidying rewrites it smaller with every record kept,
    // and leaves no marker or old files behind.
    #[test]
    fn tidying_after_a_bulk_load_shrinks_the_files_and_keeps_every_record() {
        let dir = tempfile::tempdir().expect("temp");
        let path = dir.path().join("store");
        let forms = crate::forms::Forms::embedded().expect("forms");
        let s = Store::open(&path).expect("open");
        let opts = crate::seed::SeedOptions {
            people: 3000,
            seed: 9,
        };
        crate::seed::generate(&s, &forms, &opts, &mut |_| {}).expect("seed");
        s.flush().expect("flush");
        let (people, conversations) = (s.people().expect("people"), s.conversations().expect("c"));
        let before = db_bytes(&path);
        s.tidy().expect("tidy");
        let after = db_bytes(&path);
        assert!(after < before, "{before} bytes before, {after} after");
        for litter in [MARKER, "db.old", "db.new"] {
            assert!(!path.join(litter).exists(), "{litter} left behind");
        }
        let s = Store::open(&path).expect("reopen");
        assert_eq!(s.people().expect("people"), people);
        assert_eq!(s.conversations().expect("c"), conversations);
        let v = s.verify().expect("verify");
        assert!(v.is_sound(), "{:?}", v.issues);
    }

    // A tidy cut short after its copy is finished by the next open, and its old files
    // are deleted, not kept.
    #[test]
    fn a_tidy_cut_short_is_finished_on_open() {
        let dir = tempfile::tempdir().expect("temp");
        let path = dir.path().join("store");
        let forms = crate::forms::Forms::embedded().expect("forms");
        let s = Store::open(&path).expect("open");
        let opts = crate::seed::SeedOptions {
            people: 60,
            seed: 2,
        };
        crate::seed::generate(&s, &forms, &opts, &mut |_| {}).expect("seed");
        s.flush().expect("flush");
        let people = s.people().expect("people");
        let (p, lock) = s.into_lock();
        mark_tidy(&p).expect("mark");
        // Cut short: the copy made, the swap not begun.
        copy(&p.join("db"), &p.join("db.new")).expect("copy");
        drop(lock);
        let s = Store::open(&path).expect("finishes on open");
        assert_eq!(s.people().expect("people"), people);
        for litter in [MARKER, "db.old", "db.new"] {
            assert!(!path.join(litter).exists(), "{litter} left behind");
        }
    }
}
