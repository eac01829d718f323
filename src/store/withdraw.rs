//! Withdrawing a conversation recorded in error, and reading a conversation's history.
//!
//! A withdrawal is a new revision of the conversation marked withdrawn (who, when,
//! why); the version it replaces is kept with the earlier revisions, and the audit log
//! records a `withdraw`. The withdrawn conversation stays in the store, so the person's
//! subject access still shows it and erasure still removes it, but every count leaves
//! it out through [`Conversation::counts`].

use super::{Batch, Result, Store, StoreError};
use crate::domain::{Conversation, Id};

impl Store {
    /// Withdraws conversation `id` as recorded in error, for `reason`, by `by` (the
    /// store's account when `None`). Returns the withdrawn revision.
    pub fn withdraw_conversation(
        &self,
        id: &Id,
        reason: &str,
        by: Option<&str>,
    ) -> Result<Conversation> {
        let Some(current) = self.conversation(id)? else {
            return Err(StoreError::Rejected(format!(
                "no conversation with id {id} is in this store; see `talking-points person show PERSON_ID`"
            )));
        };
        let by = by
            .map(str::trim)
            .filter(|b| !b.is_empty())
            .unwrap_or(&self.user);
        let at = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let next = current
            .withdraw(by, &at, reason)
            .map_err(StoreError::Rejected)?;
        self.write(&Batch {
            conversations: vec![&next],
            audit_each: true,
            replace_action: Some("withdraw"),
            ..Default::default()
        })?;
        Ok(next)
    }

    /// Every version of one conversation, oldest first: the earlier revisions kept by
    /// corrections, withdrawals and merges, then the current one. Empty when there is
    /// no such conversation.
    pub fn history_of(&self, id: &Id) -> Result<Vec<Conversation>> {
        let Some(current) = self.conversation(id)? else {
            return Ok(Vec::new());
        };
        let mut out = self.revisions_of(id)?;
        out.push(current);
        Ok(out)
    }

    /// A person's conversations that count (not withdrawn), oldest first: what the
    /// caseload and any figure about the person should be made from.
    pub fn counted_conversations_of(&self, person: &Id) -> Result<Vec<Conversation>> {
        let mut all = self.conversations_of(person)?;
        all.retain(Conversation::counts);
        Ok(all)
    }
}
