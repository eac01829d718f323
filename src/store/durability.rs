//! What sled leaves undone for durability: it never syncs the blob files that records
//! over its blob threshold go to, nor the directories it creates; and its `Drop`
//! flushes in a loop that can wait forever on a full disk.

use std::collections::HashSet;
use std::ffi::OsString;
use std::fs::File;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Syncs a directory, so that the names of files made or renamed in it are durable.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Syncs every blob file not synced before (owner-only while at it), then the blobs
/// directory itself. Blob files are written once and never changed, so a name seen
/// once needs no second sync.
pub fn sync_blobs(db: &Path, synced: &Mutex<HashSet<OsString>>) -> std::io::Result<()> {
    let dir = db.join("blobs");
    let entries = match std::fs::read_dir(&dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    let Ok(mut synced) = synced.lock() else {
        return Ok(());
    };
    let mut new = false;
    for e in entries {
        let e = e?;
        let name = e.file_name();
        if synced.contains(&name) {
            continue;
        }
        let path = e.path();
        match File::open(&path) {
            Ok(f) => {
                let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
                f.sync_all()?;
            }
            // sled removes blobs it no longer needs; one gone meanwhile needs no sync.
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => continue,
            Err(err) => return Err(err),
        }
        synced.insert(name);
        new = true;
    }
    if new {
        sync_dir(&dir)?;
    }
    Ok(())
}

/// Database handles and lock files kept until the process ends, so that sled's `Drop`
/// (which flushes, and can wait forever when the disk is full) never runs. Every write
/// is flushed explicitly before success is reported, so nothing waits on that `Drop`.
#[allow(clippy::type_complexity)]
static KEPT: Mutex<Vec<(sled::Db, Option<File>, PathBuf)>> = Mutex::new(Vec::new());

pub fn keep_until_exit(db: &sled::Db, lock: &File, store: &Path) {
    if let Ok(mut kept) = KEPT.lock() {
        kept.push((db.clone(), lock.try_clone().ok(), store.to_path_buf()));
    }
}

/// Lets go of a store kept open until exit (for a rewrite of its files, which must
/// not be open); its writes have been flushed.
pub fn release_kept(store: &Path) {
    if let Ok(mut kept) = KEPT.lock() {
        kept.retain(|(_, _, path)| path != store);
    }
}

/// The name, size, inode and modification time of every file of the database, as left
/// by the last command that finished cleanly.
fn fingerprint(db: &Path) -> Option<String> {
    let mut lines = Vec::new();
    let mut dirs = vec![db.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).ok()? {
            let e = e.ok()?;
            let m = e.metadata().ok()?;
            if m.is_dir() {
                dirs.push(e.path());
                continue;
            }
            use std::os::unix::fs::MetadataExt;
            lines.push(format!(
                "{} {} {} {}.{}",
                e.path().strip_prefix(db).ok()?.display(),
                m.len(),
                m.ino(),
                m.mtime(),
                m.mtime_nsec()
            ));
        }
    }
    lines.sort();
    Some(lines.join("\n"))
}

const SEAL: &str = "db.seal";
pub const PRESERVED: &str = "preserved";
/// How many preserved copies are kept; older ones go.
const KEEP_PRESERVED: usize = 2;

/// Records the database's files as this process leaves them.
pub fn seal(store: &Path) {
    if let Some(f) = fingerprint(&store.join("db")) {
        use std::io::Write;
        use std::os::unix::fs::OpenOptionsExt;
        let tmp = store.join(format!("{SEAL}.partial"));
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&tmp)
            .and_then(|mut file| file.write_all(f.as_bytes()));
        if written.is_ok() {
            let _ = std::fs::rename(&tmp, store.join(SEAL));
        }
    }
}

/// sled's recovery treats the first damaged message in its log as the end of the log
/// and overwrites everything after it, so opening a damaged store destroys the newer
/// records that `salvage` could otherwise find. When the files are not as the last
/// clean exit left them (damage, or a killed process), a copy of them is kept in
/// `preserved/` before sled sees them; `salvage` reads those copies too.
pub fn preserve_if_changed(store: &Path) {
    let db = store.join("db");
    let Ok(sealed) = std::fs::read_to_string(store.join(SEAL)) else {
        return;
    };
    if fingerprint(&db).is_some_and(|now| now == sealed) {
        return;
    }
    let root = store.join(PRESERVED);
    let to = root.join(format!("{}", super::envelope::next_stamp()));
    if copy_tree(&db, &to).is_err() {
        let _ = std::fs::remove_dir_all(&to);
        return;
    }
    let _ = std::fs::remove_file(store.join(SEAL));
    if let Ok(entries) = std::fs::read_dir(&root) {
        let mut kept: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        kept.sort();
        let n = kept.len().saturating_sub(KEEP_PRESERVED);
        for old in &kept[..n] {
            let _ = std::fs::remove_dir_all(old);
        }
    }
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let target = to.join(e.file_name());
        if e.file_type()?.is_dir() {
            copy_tree(&e.path(), &target)?;
        } else {
            std::fs::copy(e.path(), &target)?;
            std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(())
}

/// Seals every store kept open until exit, after a last flush; a store whose flush
/// fails is left unsealed, so that its next open keeps a copy first.
pub fn seal_kept() {
    if let Ok(kept) = KEPT.lock() {
        for (db, _, path) in kept.iter() {
            if db.flush().is_ok() {
                seal(path);
            }
        }
    }
}
