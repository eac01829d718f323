//! Files the program writes for a user (`--out`): they describe people, so they are
//! owner-only whatever was there before, never written through a symbolic link, and
//! either complete or absent.
//!
//! The content goes to a new owner-only temporary file beside the destination, is synced,
//! and is renamed over the destination (a rename replaces a link or an existing file, it
//! never writes into one); then the directory is synced so the new name is durable.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum OutError {
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {0}: it is a directory; give a file name")]
    IsDir(PathBuf),
}

/// Writes `path` owner-only (0600) and atomically, with `fill` producing the content.
/// On failure the destination is left as it was.
pub fn write_private<E>(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<Result<(), E>, OutError> {
    let io = |source| OutError::Io {
        path: path.to_path_buf(),
        source,
    };
    if path.is_dir() {
        return Err(OutError::IsDir(path.to_path_buf()));
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    // tempfile creates with O_EXCL and mode 0600, under a random name.
    let tmp = tempfile::Builder::new()
        .prefix(".talking-points-")
        .tempfile_in(&dir)
        .map_err(io)?;
    let mut w = BufWriter::new(tmp);
    if let Err(e) = fill(&mut w) {
        return Ok(Err(e));
    }
    let tmp = w.into_inner().map_err(|e| io(e.into_error()))?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    std::fs::File::open(&dir)
        .and_then(|d| d.sync_all())
        .map_err(io)?;
    Ok(Ok(()))
}

/// [`write_private`] for content already in memory.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<(), OutError> {
    write_private(path, |w| w.write_all(bytes)).and_then(|r| {
        r.map_err(|source| OutError::Io {
            path: path.to_path_buf(),
            source,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::{PermissionsExt, symlink};

    fn mode(p: &Path) -> u32 {
        std::fs::symlink_metadata(p).unwrap().permissions().mode() & 0o7777
    }

    #[test]
    fn replaces_a_readable_file_with_a_private_one() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("report.csv");
        std::fs::write(&p, "old").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_bytes(&p, b"new").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"new");
        assert_eq!(mode(&p), 0o600);
    }

    #[test]
    fn never_writes_through_a_link() {
        let d = tempfile::tempdir().unwrap();
        let target = d.path().join("elsewhere.txt");
        std::fs::write(&target, "theirs").unwrap();
        let link = d.path().join("out.txt");
        symlink(&target, &link).unwrap();
        write_bytes(&link, b"names").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"theirs");
        assert!(
            !std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(mode(&link), 0o600);
    }

    #[test]
    fn a_failed_fill_leaves_the_old_file_and_no_litter() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("bundle.tpb");
        std::fs::write(&p, "old").unwrap();
        let r = write_private(&p, |w| {
            w.write_all(b"half")?;
            Err::<(), _>(std::io::Error::other("stopped"))
        })
        .unwrap();
        assert!(r.is_err());
        assert_eq!(std::fs::read(&p).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1);
    }
}
