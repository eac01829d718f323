//! Whole-store reads that hold one record at a time, for exports that stream: a store of
//! a hundred thousand people does not fit comfortably in memory as decoded records.

use super::{Kind, Store, StoreError, at};
use crate::domain::{Conversation, Id};

impl Store {
    /// Every conversation in date order (the order of [`Store::conversations`]), handed
    /// to `f` one at a time. Stops at the first error, the store's or `f`'s.
    pub fn each_conversation<E: From<StoreError>>(
        &self,
        mut f: impl FnMut(Conversation) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        for k in super::bucketed::DATE_CONVERSATIONS.iter(&self.idx_date_conv) {
            let k = k?;
            let Some(cid) = k.get(10..26).and_then(Id::from_slice) else {
                continue;
            };
            let v = self
                .conversations
                .get(cid.as_bytes())
                .map_err(at("conversations", cid.as_bytes()))?;
            if let Some(v) = v {
                f(self.decode(Kind::Conversation, cid.as_bytes(), &v)?)?;
            }
        }
        Ok(())
    }
}
