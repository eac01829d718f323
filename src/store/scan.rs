//! Whole-store reads that hold one record at a time, for exports that stream: a store of
//! a hundred thousand people does not fit comfortably in memory as decoded records.

use super::{Kind, Result, Store, StoreError, at};
use crate::domain::{Conversation, Id};
use std::collections::HashMap;

impl Store {
    /// Each conversation's place among its person's (1 is the first) in the roll-up's
    /// order, by date and then by id, read from the keys of the person index alone
    /// (person, date, id), so no record is decoded.
    pub fn conversation_sequences(&self) -> Result<HashMap<Id, u64>> {
        let mut out = HashMap::new();
        let mut last: Option<Id> = None;
        let mut n = 0;
        for r in self.idx_person_conv.iter().keys() {
            let k = r.map_err(at("idx_person_conversation", b""))?;
            let (Some(person), Some(cid)) = (
                k.get(..16).and_then(Id::from_slice),
                k.get(26..42).and_then(Id::from_slice),
            ) else {
                continue;
            };
            if last != Some(person) {
                last = Some(person);
                n = 0;
            }
            n += 1;
            out.insert(cid, n);
        }
        Ok(out)
    }

    /// Every conversation in date order (the order of [`Store::conversations`]), handed
    /// to `f` one at a time. Stops at the first error, the store's or `f`'s.
    pub fn each_conversation<E: From<StoreError>>(
        &self,
        mut f: impl FnMut(Conversation) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        for r in self.idx_date_conv.iter().keys() {
            let k = r.map_err(at("idx_date_conversation", b""))?;
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
