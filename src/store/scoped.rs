//! Scoped reads held apart from the store: a screen that keeps reading as the user
//! moves (the dashboard) holds one of these instead of everything it might show. It
//! shares the store's open trees (no copy of any record), reads only what it is asked
//! for, and cannot write.

use super::bucketed::{
    DATE_CONVERSATIONS, PERSON_CONVERSATIONS, SERVICE_PEOPLE, person_of_service_key,
};
use super::envelope::Kind;
use super::kept::{KeptTotals, KeptTrees};
use super::records::RollupInputs;
use super::{Result, Store, decode_record};
use crate::domain::{Conversation, Id, Person};
use crate::forms::Forms;
use crate::rollup::Period;
use crate::rollup::maintain::{PersonInputs, conversation_input, person_input};
use chrono::NaiveDate;

#[derive(Clone)]
pub struct ScopedReader {
    kept: KeptTrees,
    people: sled::Tree,
    conversations: sled::Tree,
    idx_service_person: sled::Tree,
    idx_person_conv: sled::Tree,
    idx_date_conv: sled::Tree,
    protection: sled::Tree,
}

fn date_of(k: &[u8]) -> Option<NaiveDate> {
    std::str::from_utf8(k.get(..10)?)
        .ok()
        .and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
}

impl Store {
    /// Scoped reads of this store that can be held apart from it.
    pub fn scoped(&self) -> Result<ScopedReader> {
        Ok(ScopedReader {
            kept: self.kept_trees()?,
            people: self.people.clone(),
            conversations: self.conversations.clone(),
            idx_service_person: self.idx_service_person.clone(),
            idx_person_conv: self.idx_person_conv.clone(),
            idx_date_conv: self.idx_date_conv.clone(),
            protection: self.db.open_tree(super::protection::TREE)?,
        })
    }
}

impl ScopedReader {
    /// The first and last conversation dates, from the date index (no record read).
    pub fn date_span(&self) -> Result<Option<(NaiveDate, NaiveDate)>> {
        let first = DATE_CONVERSATIONS
            .first(&self.idx_date_conv)?
            .and_then(|k| date_of(&k));
        let last = DATE_CONVERSATIONS
            .last(&self.idx_date_conv)?
            .and_then(|k| date_of(&k));
        Ok(first.zip(last))
    }

    /// The ids of the people of `services`, through the service index.
    pub fn people_of(&self, services: &[Id]) -> Result<Vec<Id>> {
        let mut out = Vec::new();
        for s in services {
            for k in SERVICE_PEOPLE.scan(&self.idx_service_person, s.as_bytes()) {
                let k = k?;
                out.extend(person_of_service_key(&k));
            }
        }
        Ok(out)
    }

    /// The conversations of the people of `services` dated from `from` to `to` (both
    /// included), in (date, id) order: each person's index says which dates they have,
    /// so only the conversations in range are read.
    pub fn unit_conversations(
        &self,
        services: &[Id],
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Conversation>> {
        let mut out = Vec::new();
        for p in self.people_of(services)? {
            for k in PERSON_CONVERSATIONS.scan(&self.idx_person_conv, p.as_bytes()) {
                let k = k?;
                let Some(d) = k.get(16..).and_then(date_of) else {
                    continue;
                };
                if d < from || d > to {
                    continue;
                }
                let Some(cid) = k.get(26..42).and_then(Id::from_slice) else {
                    continue;
                };
                if let Some(v) = self.conversations.get(cid.as_bytes())? {
                    out.push(decode_record::<Conversation>(
                        Kind::Conversation,
                        cid.as_bytes(),
                        &v,
                    )?);
                }
            }
        }
        out.sort_by_key(|c| (c.date, c.id));
        Ok(out)
    }

    pub fn kept_totals(&self, period: &Period, forms: &Forms) -> Result<Option<KeptTotals>> {
        self.kept.totals(period, forms)
    }

    pub fn each_rollup_input(&self, f: &mut dyn FnMut(&PersonInputs)) -> Result<bool> {
        self.kept.each_input(f)
    }

    /// Every person's roll-up inputs: the kept ones, or worked out from the records
    /// when they are not kept.
    pub fn rollup_inputs(&self) -> Result<RollupInputs> {
        if let Some((people, conversations)) = self.kept.all_inputs()? {
            return Ok(RollupInputs {
                people,
                conversations,
            });
        }
        let mut people = Vec::new();
        for kv in self.people.iter() {
            let (k, v) = kv?;
            people.push(person_input(&decode_record::<Person>(
                Kind::Person,
                &k,
                &v,
            )?));
        }
        let mut conversations = Vec::new();
        for kv in self.conversations.iter() {
            let (k, v) = kv?;
            conversations.push(conversation_input(&decode_record::<Conversation>(
                Kind::Conversation,
                &k,
                &v,
            )?));
        }
        Ok(RollupInputs {
            people,
            conversations,
        })
    }
}

/// The dashboard reuses protections a report kept, and keeps none itself: it cannot
/// write to the store.
impl crate::rollup::protect_cache::ProtectionCache for ScopedReader {
    fn get_raw(&self, key: &[u8; 32]) -> Option<Vec<u8>> {
        Some(self.protection.get(key).ok()??.to_vec())
    }

    fn put_raw(&self, _key: &[u8; 32], _raw: Vec<u8>) {}
}
