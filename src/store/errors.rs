//! One sentence for each way the database can fail: damage points at `salvage`, a full
//! disk says how much space to free, and no Rust debug text reaches the user.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub const SALVAGE_HINT: &str =
    "run `talking-points salvage --out NEWSTORE` to recover the sound records into a new store";

/// The store directory last opened in this process, for messages that sled gives
/// without a path.
static STORE_DIR: Mutex<Option<PathBuf>> = Mutex::new(None);

pub(crate) fn note_store_dir(dir: &Path) {
    if let Ok(mut d) = STORE_DIR.lock() {
        *d = Some(dir.to_path_buf());
    }
}

fn store_dir() -> Option<PathBuf> {
    STORE_DIR.lock().ok().and_then(|d| d.clone())
}

/// Whether an I/O error means there is no room left (a full disk, a quota, a file size
/// limit).
pub fn is_full(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::StorageFull
            | std::io::ErrorKind::QuotaExceeded
            | std::io::ErrorKind::FileTooLarge
    ) || matches!(e.raw_os_error(), Some(28) | Some(27) | Some(122))
}

const MB: u64 = 1024 * 1024;

/// What a store needs free to open and read: sled writes a snapshot on every open
/// (about the size of the newest one), and reading may rewrite a page it consolidates,
/// a large one into a new blob file (up to the size of the largest there now), on top
/// of log segments of 512 KiB. All of that, twice over, rounded up to megabytes.
pub fn space_needed_mb(dir: &Path) -> u64 {
    let biggest = |d: PathBuf, prefix: &str| -> u64 {
        let Ok(entries) = std::fs::read_dir(d) else {
            return 0;
        };
        let mut biggest = 0;
        for e in entries {
            let Ok(e) = e else { break };
            if e.file_name().to_string_lossy().starts_with(prefix)
                && let Ok(m) = e.metadata()
            {
                biggest = biggest.max(m.len());
            }
        }
        biggest
    };
    let snap = biggest(dir.join("db"), "snap.");
    let blob = biggest(dir.join("db").join("blobs"), "");
    (2 * (snap + blob) + 4 * 512 * 1024).div_ceil(MB).max(2)
}

pub fn full_disk(dir: &Path) -> String {
    format!(
        "the disk holding {} is full; free at least {} MB and try again",
        dir.display(),
        space_needed_mb(dir)
    )
}

/// An I/O error as one sentence, without the debug form of the error.
pub fn describe_io(dir: &Path, e: &std::io::Error) -> String {
    if is_full(e) {
        return full_disk(dir);
    }
    let mut reason = e.to_string();
    if let Some(cut) = reason.find(" (os error") {
        reason.truncate(cut);
    }
    format!(
        "the store's files at {} could not be read or written ({}); check the disk and try again",
        dir.display(),
        reason.to_lowercase()
    )
}

/// Where sled found damage, as a file and offset.
fn place(at: &Option<sled::DiskPtr>) -> String {
    match at {
        Some(sled::DiskPtr::Inline(off)) => format!("in db/db at offset {off}"),
        Some(sled::DiskPtr::Blob(off, blob)) => {
            format!("in blob file db/blobs/{blob} (logged at offset {off})")
        }
        None => "where sled could not say".into(),
    }
}

/// A database error as one sentence; `tree` and `key` name the record being read when
/// the caller knows it.
pub fn describe_db(tree: Option<&str>, key: Option<&str>, e: &sled::Error) -> String {
    let what = match (tree, key) {
        (Some(t), Some(k)) if !k.is_empty() => format!(" reading {t} record {k}"),
        (Some(t), _) => format!(" reading the {t} records"),
        _ => String::new(),
    };
    match e {
        sled::Error::Io(io) => match store_dir() {
            Some(dir) => describe_io(&dir, io),
            None if is_full(io) => {
                "the disk holding the store is full; free at least 2 MB and try again".into()
            }
            None => format!("the store's files could not be read or written ({io})"),
        },
        sled::Error::Corruption { at, .. } => format!(
            "the store's database is damaged{what} (found {}); {SALVAGE_HINT}",
            place(at)
        ),
        sled::Error::CollectionNotFound(_) => {
            format!("the store's database has lost a part{what}; {SALVAGE_HINT}")
        }
        sled::Error::Unsupported(m) | sled::Error::ReportableBug(m) => {
            let m: String = m.chars().filter(|c| !c.is_control()).take(80).collect();
            format!("the store's database failed{what} ({m}); {SALVAGE_HINT}")
        }
    }
}
