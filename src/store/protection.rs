//! Kept disclosure protections (see [`crate::rollup::protect_cache`]): aggregate
//! decisions only, never a record, and dropped whenever a person is erased so nothing
//! worked out from their records outlives them.

use super::Store;
use crate::rollup::protect_cache::ProtectionCache;

pub(super) const TREE: &str = "protection";

/// Older answers are dropped once this many are kept: each is a few kilobytes, and
/// only the latest tables of a period are asked for again.
const KEEP: usize = 64;

impl ProtectionCache for Store {
    fn get_raw(&self, key: &[u8; 32]) -> Option<Vec<u8>> {
        let tree = self.db.open_tree(TREE).ok()?;
        Some(tree.get(key).ok()??.to_vec())
    }

    fn put_raw(&self, key: &[u8; 32], raw: Vec<u8>) {
        let Ok(tree) = self.db.open_tree(TREE) else {
            return;
        };
        if tree.len() >= KEEP {
            let _ = tree.clear();
        }
        let _ = tree.insert(key, raw);
    }
}

impl Store {
    /// Forgets every kept protection.
    pub(super) fn drop_protections(&self) -> super::Result<()> {
        self.db.drop_tree(TREE)?;
        Ok(())
    }
}

impl Store {
    /// How many protections are kept (for `verify`'s report and tests). Each is kept as
    /// its hidden cells and, beside them, its published marks; this counts the first.
    pub fn kept_protections(&self) -> usize {
        self.db.open_tree(TREE).map_or(0, |t| {
            t.iter()
                .values()
                .filter(|v| v.as_ref().is_ok_and(|v| v.first() == Some(&1)))
                .count()
        })
    }
}

/// Whether a tree holds kept protections: a cache, left out of backups (it is worked
/// out again) and holding no enveloped records.
pub(super) fn is_kept_protections(name: &[u8]) -> bool {
    name == TREE.as_bytes()
}
