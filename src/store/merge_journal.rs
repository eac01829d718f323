//! A merge is written a few hundred people at a time, each part in one transaction, so
//! a large merge needs no more memory than a part takes. Before the first part the
//! store notes which bundles it is merging, and clears the note after the last: a merge
//! that was interrupted leaves every part it wrote whole (records, indexes and kept
//! totals together) and the note behind, and merging the same bundles again completes
//! it, since records already held are left as they are.

use super::envelope::Kind;
use super::{Result, Store, encoded};
use std::path::PathBuf;

const MERGING: &str = "merging";

impl Store {
    /// Notes, durably, that a merge of `files` is being written.
    pub fn begin_merge(&self, files: &[PathBuf]) -> Result<()> {
        let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        self.meta
            .insert(MERGING, encoded(Kind::Meta, MERGING.as_bytes(), &names)?)?;
        self.flush()
    }

    /// Clears the note once every part is written and flushed.
    pub fn end_merge(&self) -> Result<()> {
        self.flush()?;
        self.meta.remove(MERGING)?;
        self.flush()
    }

    /// The bundles of a merge that was interrupted, when one was.
    pub fn unfinished_merge(&self) -> Result<Option<Vec<String>>> {
        match self.meta.get(MERGING)? {
            Some(v) => Ok(Some(
                super::decode_record(Kind::Meta, MERGING.as_bytes(), &v).unwrap_or_default(),
            )),
            None => Ok(None),
        }
    }
}
