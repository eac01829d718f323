//! Earlier revisions of corrected conversations, kept as they were stored, so that a
//! correction never loses what was first recorded.

use super::envelope::Kind;
use super::{Result, Store};
use crate::domain::{Conversation, Id};

pub const TREE: &str = "revisions";

/// The conversation id, then the revision (big-endian, so a conversation's revisions
/// sort in order), then a short hash of the stored bytes: two different versions with
/// one revision number (from two stores) are both kept, the same version only once.
pub fn key(id: &Id, revision: u32, bytes: &[u8]) -> Vec<u8> {
    let mut k = Vec::with_capacity(28);
    k.extend_from_slice(id.as_bytes());
    k.extend_from_slice(&revision.to_be_bytes());
    k.extend_from_slice(&blake3::hash(bytes).as_bytes()[..8]);
    k
}

impl Store {
    pub(crate) fn revisions(&self) -> Result<sled::Tree> {
        Ok(self.db.open_tree(TREE)?)
    }

    /// The earlier revisions of one conversation, oldest first.
    pub fn revisions_of(&self, conversation: &Id) -> Result<Vec<Conversation>> {
        let tree = self.revisions()?;
        tree.scan_prefix(conversation.as_bytes())
            .map(|r| {
                let (k, v) = r?;
                self.decode(Kind::Conversation, &k[..16], &v)
            })
            .collect()
    }
}
