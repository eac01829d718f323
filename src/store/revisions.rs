//! Earlier revisions of corrected conversations, kept as they were stored, so that a
//! correction never loses what was first recorded.

use super::envelope::Kind;
use super::{Result, Store};
use crate::domain::{Conversation, Id};

pub const TREE: &str = "revisions";

/// The conversation id, then the revision (big-endian, so a conversation's revisions
/// sort in order), then a short hash of the conversation as JSON (not of the stored
/// bytes, which may differ in framing): two different versions with one revision number
/// (from two stores) are both kept, the same version only once.
pub fn key(c: &Conversation) -> Vec<u8> {
    // Plain data always serialises; were it not to, the id and revision still place it.
    let json = serde_json::to_vec(c).unwrap_or_default();
    let mut k = Vec::with_capacity(28);
    k.extend_from_slice(c.id.as_bytes());
    k.extend_from_slice(&c.revision.to_be_bytes());
    k.extend_from_slice(&blake3::hash(&json).as_bytes()[..8]);
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

impl Store {
    /// The checks `verify` makes of earlier revisions and tombstones: each decodes,
    /// each revision is filed under its own conversation, and that conversation is
    /// still held (an erasure takes both).
    pub(crate) fn verify_kept(&self) -> Result<Vec<super::VerifyIssue>> {
        use super::envelope::decode;
        let mut out = Vec::new();
        let mut issue = |tree: &'static str, key: &[u8], problem: String| {
            out.push(super::VerifyIssue {
                tree,
                key: Id::from_slice(key.get(..16).unwrap_or(key))
                    .map(|i| i.to_string())
                    .unwrap_or_else(|| format!("{key:02x?}")),
                problem,
            })
        };
        for kv in self.revisions()?.iter() {
            let (k, v) = kv?;
            match decode::<Conversation>(Kind::Conversation, &v) {
                Ok(c) if k.get(..16) == Some(&c.id.as_bytes()[..]) => {
                    if !self.conversations.contains_key(c.id.as_bytes())? {
                        issue(
                            TREE,
                            &k,
                            "is an earlier revision of a conversation that is not in the store"
                                .into(),
                        );
                    }
                }
                Ok(_) => issue(TREE, &k, "is stored under another record's key".into()),
                Err(e) => issue(TREE, &k, e.to_string()),
            }
        }
        for kv in self.db.open_tree(super::erase::TOMBSTONES)?.iter() {
            let (k, v) = kv?;
            if let Err(e) = decode::<super::erase::Tombstone>(Kind::Tombstone, &v) {
                issue(super::erase::TOMBSTONES, &k, e.to_string());
            }
        }
        Ok(out)
    }
}
