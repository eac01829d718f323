//! Who may see the store's files. A store holds records about vulnerable people, so its
//! directory and every file in it must belong to the user running the program and be
//! closed to everyone else; a directory that someone else made in advance, or opened up,
//! is refused rather than trusted.

use nix::sys::stat::{Mode, umask};
use nix::unistd::{Uid, User, geteuid};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Why a store's files cannot be trusted.
#[derive(Debug, thiserror::Error)]
pub enum Exposure {
    #[error(
        "{path} belongs to another account (uid {owner}), so its owner could read or change the records; use a store directory you own, or give --allow-shared-permissions if that is intended"
    )]
    NotOwned { path: PathBuf, owner: u32 },
    #[error(
        "{path} can be reached by other accounts (mode {mode:04o}); run `chmod -R go-rwx {path}`, or give --allow-shared-permissions if that is intended"
    )]
    Open { path: PathBuf, mode: u32 },
    #[error("{path} is a symbolic link; give the store's real directory")]
    Link { path: PathBuf },
}

/// New files and directories of this process are owner-only from the moment they exist
/// (sled's blob files included), not tightened afterwards.
pub fn private_umask() {
    umask(Mode::from_bits_truncate(0o077));
}

/// The operating system's name for the account running this process (from the system's
/// account database by uid, never from `$USER`, which anyone can set).
pub fn os_account() -> String {
    let uid = geteuid();
    match User::from_uid(uid) {
        Ok(Some(u)) if !u.name.is_empty() => u.name,
        _ => format!("uid {uid}"),
    }
}

fn me() -> Uid {
    geteuid()
}

/// Checks the store directory and everything in it. Files of ours inside a directory that
/// only we can reach are tightened (an older version left some 0644); a directory open to
/// others, or anything owned by another account, is refused.
pub fn check(store: &Path) -> Result<(), Exposure> {
    let meta = std::fs::symlink_metadata(store).map_err(|_| Exposure::Link {
        path: store.to_path_buf(),
    })?;
    if meta.file_type().is_symlink() {
        return Err(Exposure::Link {
            path: store.to_path_buf(),
        });
    }
    check_dir(store, &meta)?;
    walk(store)
}

/// An empty directory of ours that nobody else can write to is made owner-only, so that
/// `mkdir store` before the first use is not refused.
pub fn claim_empty(dir: &Path) -> Result<(), Exposure> {
    let meta = std::fs::symlink_metadata(dir).map_err(|_| Exposure::Link {
        path: dir.to_path_buf(),
    })?;
    if meta.uid() == me().as_raw() && meta.is_dir() && meta.mode() & 0o022 == 0 {
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
    }
    Ok(())
}

fn check_dir(path: &Path, meta: &std::fs::Metadata) -> Result<(), Exposure> {
    if meta.uid() != me().as_raw() {
        return Err(Exposure::NotOwned {
            path: path.to_path_buf(),
            owner: meta.uid(),
        });
    }
    if meta.mode() & 0o077 != 0 {
        return Err(Exposure::Open {
            path: path.to_path_buf(),
            mode: meta.mode() & 0o7777,
        });
    }
    Ok(())
}

fn walk(dir: &Path) -> Result<(), Exposure> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for e in entries.flatten() {
        let path = e.path();
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.file_type().is_symlink() {
            return Err(Exposure::Link { path });
        }
        if meta.uid() != me().as_raw() {
            return Err(Exposure::NotOwned {
                path,
                owner: meta.uid(),
            });
        }
        if meta.is_dir() {
            check_dir(&path, &meta)?;
            walk(&path)?;
        } else if meta.mode() & 0o077 != 0 {
            let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
        }
    }
    Ok(())
}

/// How long opening waits for a store another process is just letting go of.
const LOCK_PATIENCE: std::time::Duration = std::time::Duration::from_secs(2);

/// Runs `attempt` again, for as long as opening waits for a lock, while its error is one
/// `held` says is a lock held by another process.
pub fn patiently<T, E>(
    mut attempt: impl FnMut() -> Result<T, E>,
    held: impl Fn(&E) -> bool,
) -> Result<T, E> {
    let start = std::time::Instant::now();
    loop {
        match attempt() {
            Err(e) if held(&e) && start.elapsed() < LOCK_PATIENCE => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

/// Whether sled refused to open because its own lock on the database file is held: in a
/// just-started process's copy of the files, as with the store's lock.
pub fn sled_lock_held(e: &sled::Error) -> bool {
    matches!(e, sled::Error::Io(io) if io.to_string().starts_with("could not acquire lock"))
}

/// Opens the lock file of the store in `dir` and takes it ([`lock_store`]); None when
/// another process keeps it. Held until the file is dropped.
pub fn take_store_lock(dir: &Path) -> std::io::Result<Option<std::fs::File>> {
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join("store.lock"))?;
    Ok(lock_store(&lock)?.then_some(lock))
}

/// Takes the store's lock, waiting briefly when it is held: a command that has just
/// finished, or a process started at that moment (which holds a copy of every open file
/// until it runs its program), lets go within moments. Ok(false) when it stays held.
pub fn lock_store(lock: &std::fs::File) -> std::io::Result<bool> {
    match patiently(
        || lock.try_lock(),
        |e| matches!(e, std::fs::TryLockError::WouldBlock),
    ) {
        Ok(()) => Ok(true),
        Err(std::fs::TryLockError::WouldBlock) => Ok(false),
        Err(std::fs::TryLockError::Error(e)) => Err(e),
    }
}

#[cfg(test)]
mod lock_tests {
    use super::*;

    fn open(p: &Path) -> std::fs::File {
        std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(p)
            .expect("lock file")
    }

    #[test]
    fn a_lock_let_go_of_moments_later_is_taken() {
        let dir = tempfile::tempdir().expect("dir");
        let p = dir.path().join("store.lock");
        let holder = open(&p);
        holder.try_lock().expect("first lock");
        let t = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(300));
            drop(holder);
        });
        assert!(lock_store(&open(&p)).expect("lock"));
        t.join().expect("thread");
    }

    #[test]
    fn sled_opens_once_its_lock_is_let_go_of() {
        let dir = tempfile::tempdir().expect("dir");
        let p = dir.path().join("db");
        let held = sled::Config::new().path(&p).open().expect("first open");
        let config = sled::Config::new().path(&p);
        assert!(config.open().is_err_and(|e| sled_lock_held(&e)));
        let t = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(300));
            drop(held);
        });
        assert!(patiently(|| config.open(), sled_lock_held).is_ok());
        t.join().expect("thread");
    }

    #[test]
    fn a_lock_held_on_is_reported_as_held() {
        let dir = tempfile::tempdir().expect("dir");
        let p = dir.path().join("store.lock");
        let holder = open(&p);
        holder.try_lock().expect("first lock");
        assert!(!lock_store(&open(&p)).expect("lock"));
    }
}
