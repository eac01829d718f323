//! What sled leaves undone for durability: it never syncs the blob files that records
//! over its blob threshold go to, nor the directories it creates; and its `Drop`
//! flushes in a loop that can wait forever on a full disk.

use std::collections::HashSet;
use std::ffi::OsString;
use std::fs::File;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
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
static KEPT: Mutex<Vec<(sled::Db, Option<File>)>> = Mutex::new(Vec::new());

pub fn keep_until_exit(db: &sled::Db, lock: &File) {
    if let Ok(mut kept) = KEPT.lock() {
        kept.push((db.clone(), lock.try_clone().ok()));
    }
}
