//! Replacing the store's secret key with a partnership's (`key import`).
//!
//! Erasure leaves a tombstone named by the person's pseudonym under the key of the day,
//! and the person id is gone, so tombstones cannot be re-keyed. When a store that holds
//! tombstones takes a new key, the old one is kept as a retired key, used for nothing
//! but recognising erased people in a later merge.

use super::envelope::Kind;
use super::{Result, Store, encoded};

const SECRET: &str = "secret";
const RETIRED: &str = "retired-secrets";

/// The retired keys, wrapped in an object (a bare array would look like the secret to
/// salvage, which tells meta values of old records apart by shape).
#[derive(Default, serde::Serialize, serde::Deserialize)]
struct Retired {
    keys: Vec<Vec<u8>>,
}

impl Store {
    /// Makes `new` the store's secret key, in one step; the old key is kept as a retired
    /// key when erased people's tombstones were made with it.
    pub fn replace_secret(&self, new: &[u8]) -> Result<()> {
        let old = self.secret()?;
        if old == new {
            return Ok(());
        }
        let mut retired = self.retired()?;
        let has_tombstones = self
            .db
            .open_tree(super::erase::TOMBSTONES)?
            .iter()
            .next()
            .is_some();
        if has_tombstones && !retired.keys.contains(&old) {
            retired.keys.push(old);
        }
        retired.keys.retain(|k| k != new);
        let mut batch = sled::Batch::default();
        batch.insert(SECRET, encoded(Kind::Meta, SECRET.as_bytes(), new)?);
        if retired.keys.is_empty() {
            batch.remove(RETIRED);
        } else {
            batch.insert(RETIRED, encoded(Kind::Meta, RETIRED.as_bytes(), &retired)?);
        }
        self.meta.apply_batch(batch)?;
        self.flush()
    }

    /// Every key erased people's tombstones may be made with: the secret and the
    /// retired keys.
    pub fn erasure_secrets(&self) -> Result<Vec<Vec<u8>>> {
        let mut keys = vec![self.secret()?];
        keys.extend(self.retired()?.keys);
        Ok(keys)
    }

    fn retired(&self) -> Result<Retired> {
        match self.meta.get(RETIRED)? {
            Some(raw) => self.decode(Kind::Meta, RETIRED.as_bytes(), &raw),
            None => Ok(Retired::default()),
        }
    }
}
