//! The narrow interface the rest of the program reads and writes records through:
//! scoped reads (a page of a caseload, one person's conversations, a unit's
//! conversations in a date range, the roll-up's inputs and kept totals), so a caller
//! decodes only what it shows. The sled store implements it; [`MemRecords`] serves
//! tests. Audit entries and flushing stay inside the implementation.

use super::kept::KeptTotals;
use super::{Result, Store, StoreError};
use crate::domain::{Conversation, Id, Person, Service};
use crate::forms::Forms;
use crate::rollup::Period;
use crate::rollup::maintain::{
    Contributions, PersonInputs, Totals, conversation_input, layout_fingerprint, person_input,
};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashSet};
use std::sync::Mutex;

/// What the roll-up reads: people and conversations without names or free text.
pub struct RollupInputs {
    pub people: Vec<Person>,
    pub conversations: Vec<Conversation>,
}

/// Where a person comes in a page of their service's people: the order of the service
/// index, by the last byte of the id (random, so a service's people spread over many
/// small index entries) and then the id.
pub fn service_order(person: &Id) -> (u8, Id) {
    (person.as_bytes()[15], *person)
}

pub trait Records {
    fn services(&self) -> Result<Vec<Service>>;
    fn person(&self, id: &Id) -> Result<Option<Person>>;
    /// Up to `limit` people of one service (in [`service_order`]) or of all (in id
    /// order, the order they were added), starting after `after`: a caseload shows its
    /// first page at once and reads more on scroll.
    fn caseload_page(
        &self,
        service: Option<&Id>,
        after: Option<&Id>,
        limit: usize,
    ) -> Result<Vec<Person>>;
    /// One person's conversations, oldest first.
    fn conversations_of(&self, person: &Id) -> Result<Vec<Conversation>>;
    /// The conversations of the people of `services` dated from `from` to `to`
    /// (both included), in date order.
    fn unit_conversations(
        &self,
        services: &[Id],
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Conversation>>;
    /// Every person's roll-up inputs (kept ones when the store keeps them).
    fn rollup_inputs(&self) -> Result<RollupInputs>;
    /// Calls `f` with each person's roll-up inputs in turn, when the store keeps them
    /// complete; `false` (nothing called) when it does not, and [`Records::rollup_inputs`]
    /// is the way.
    fn each_rollup_input(&self, f: &mut dyn FnMut(&PersonInputs)) -> Result<bool>;
    /// One person's roll-up inputs (for a caseload line: overdue, latest review).
    fn rollup_inputs_of(&self, person: &Id) -> Result<Option<PersonInputs>>;
    /// Kept totals of an ended financial year or quarter under `forms`, when kept.
    fn kept_totals(&self, period: &Period, forms: &Forms) -> Result<Option<KeptTotals>>;
    /// Adds or changes a person (audited, durable on return).
    fn save_person(&self, p: &Person) -> Result<()>;
    /// Saves conversations all or nothing (audited, durable on return).
    fn save_conversations(&self, cs: &[Conversation]) -> Result<()>;
    /// Where disclosure protections worked out for these records may be kept.
    fn protection_cache(&self) -> Option<&dyn crate::rollup::protect_cache::ProtectionCache> {
        None
    }
}

impl Records for Store {
    fn protection_cache(&self) -> Option<&dyn crate::rollup::protect_cache::ProtectionCache> {
        Some(self)
    }

    fn services(&self) -> Result<Vec<Service>> {
        Store::services(self)
    }

    fn person(&self, id: &Id) -> Result<Option<Person>> {
        Store::person(self, id)
    }

    fn caseload_page(
        &self,
        service: Option<&Id>,
        after: Option<&Id>,
        limit: usize,
    ) -> Result<Vec<Person>> {
        let mut out = Vec::new();
        match service {
            Some(s) => {
                let after = after.map(|a| super::bucketed::service_person_key(s, a));
                let keys = super::bucketed::SERVICE_PEOPLE.scan_after(
                    &self.idx_service_person,
                    s.as_bytes(),
                    after.as_deref(),
                );
                for k in keys {
                    if out.len() >= limit {
                        break;
                    }
                    let k = k?;
                    if let Some(p) = super::bucketed::person_of_service_key(&k) {
                        out.extend(Store::person(self, &p)?);
                    }
                }
            }
            None => {
                let mut start = Vec::new();
                if let Some(a) = after {
                    start.extend_from_slice(a.as_bytes());
                    start.push(0);
                }
                for kv in self.people.range(start..) {
                    if out.len() >= limit {
                        break;
                    }
                    let (k, v) = kv?;
                    out.push(self.decode(super::envelope::Kind::Person, &k, &v)?);
                }
            }
        }
        Ok(out)
    }

    fn conversations_of(&self, person: &Id) -> Result<Vec<Conversation>> {
        Store::conversations_of(self, person)
    }

    fn unit_conversations(
        &self,
        services: &[Id],
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Conversation>> {
        self.scoped()?.unit_conversations(services, from, to)
    }

    fn rollup_inputs(&self) -> Result<RollupInputs> {
        self.scoped()?.rollup_inputs()
    }

    fn each_rollup_input(&self, f: &mut dyn FnMut(&PersonInputs)) -> Result<bool> {
        self.each_kept_input(f)
    }

    fn rollup_inputs_of(&self, person: &Id) -> Result<Option<PersonInputs>> {
        if self.kept_state()?.is_some()
            && let Some(i) = self.kept_inputs_of(person)?
        {
            return Ok(Some(i));
        }
        match Store::person(self, person)? {
            Some(p) => Ok(Some(PersonInputs::new(
                &p,
                &Store::conversations_of(self, person)?,
            ))),
            None => Ok(None),
        }
    }

    fn kept_totals(&self, period: &Period, forms: &Forms) -> Result<Option<KeptTotals>> {
        Store::kept_totals(self, period, forms)
    }

    fn save_person(&self, p: &Person) -> Result<()> {
        Store::add_person(self, p)
    }

    fn save_conversations(&self, cs: &[Conversation]) -> Result<()> {
        Store::save_conversations(self, cs)
    }
}

/// Records held in memory, for tests: the same reads, with kept totals worked out on
/// request from the records by the roll-up's own rules.
#[derive(Default)]
pub struct MemRecords {
    inner: Mutex<Mem>,
}

#[derive(Default)]
struct Mem {
    services: BTreeMap<Id, Service>,
    people: BTreeMap<Id, Person>,
    conversations: BTreeMap<Id, Conversation>,
}

impl MemRecords {
    pub fn new(services: &[Service], people: &[Person], conversations: &[Conversation]) -> Self {
        let m = Mem {
            services: services.iter().map(|s| (s.id, s.clone())).collect(),
            people: people.iter().map(|p| (p.id, p.clone())).collect(),
            conversations: conversations.iter().map(|c| (c.id, c.clone())).collect(),
        };
        MemRecords {
            inner: Mutex::new(m),
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Mem) -> T) -> Result<T> {
        let mut g = self.inner.lock().map_err(|_| {
            StoreError::Rejected("the records in memory were left half-written".into())
        })?;
        Ok(f(&mut g))
    }
}

fn by_date(mut v: Vec<Conversation>) -> Vec<Conversation> {
    v.sort_by_key(|c| (c.date, c.id));
    v
}

impl Records for MemRecords {
    fn services(&self) -> Result<Vec<Service>> {
        self.with(|m| m.services.values().cloned().collect())
    }

    fn person(&self, id: &Id) -> Result<Option<Person>> {
        self.with(|m| m.people.get(id).cloned())
    }

    fn caseload_page(
        &self,
        service: Option<&Id>,
        after: Option<&Id>,
        limit: usize,
    ) -> Result<Vec<Person>> {
        self.with(|m| {
            let mut people: Vec<&Person> = m
                .people
                .values()
                .filter(|p| service.is_none_or(|s| p.service == *s))
                .collect();
            let place = |id: &Id| match service {
                Some(_) => service_order(id),
                None => (0, *id),
            };
            people.sort_by_key(|p| place(&p.id));
            people
                .into_iter()
                .filter(|p| after.is_none_or(|a| place(&p.id) > place(a)))
                .take(limit)
                .cloned()
                .collect()
        })
    }

    fn conversations_of(&self, person: &Id) -> Result<Vec<Conversation>> {
        self.with(|m| {
            by_date(
                m.conversations
                    .values()
                    .filter(|c| c.person == *person)
                    .cloned()
                    .collect(),
            )
        })
    }

    fn unit_conversations(
        &self,
        services: &[Id],
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Conversation>> {
        self.with(|m| {
            by_date(
                m.conversations
                    .values()
                    .filter(|c| from <= c.date && c.date <= to)
                    .filter(|c| {
                        m.people
                            .get(&c.person)
                            .is_some_and(|p| services.contains(&p.service))
                    })
                    .cloned()
                    .collect(),
            )
        })
    }

    fn rollup_inputs(&self) -> Result<RollupInputs> {
        self.with(|m| RollupInputs {
            people: m.people.values().map(person_input).collect(),
            conversations: m.conversations.values().map(conversation_input).collect(),
        })
    }

    fn each_rollup_input(&self, _f: &mut dyn FnMut(&PersonInputs)) -> Result<bool> {
        Ok(false)
    }

    fn rollup_inputs_of(&self, person: &Id) -> Result<Option<PersonInputs>> {
        let convs = self.conversations_of(person)?;
        Ok(self.person(person)?.map(|p| PersonInputs::new(&p, &convs)))
    }

    fn kept_totals(&self, period: &Period, forms: &Forms) -> Result<Option<KeptTotals>> {
        if matches!(period, Period::Range(..)) || layout_fingerprint(forms).is_empty() {
            return Ok(None);
        }
        self.with(|m| {
            let known: HashSet<&Id> = m.people.keys().collect();
            let orphans = m
                .conversations
                .values()
                .filter(|c| !known.contains(&c.person))
                .count() as u64;
            let contributions = Contributions::new(forms);
            let mut totals: BTreeMap<Id, Totals> = BTreeMap::new();
            for p in m.people.values() {
                let convs: Vec<Conversation> = m
                    .conversations
                    .values()
                    .filter(|c| c.person == p.id)
                    .cloned()
                    .collect();
                let t = contributions.of(&PersonInputs::new(p, &convs), period);
                totals.entry(p.service).or_default().apply(&t, false);
            }
            Some(KeptTotals {
                totals: totals.into_iter().collect(),
                orphans,
            })
        })
    }

    fn save_person(&self, p: &Person) -> Result<()> {
        self.with(|m| {
            m.people.insert(p.id, p.clone());
        })
    }

    fn save_conversations(&self, cs: &[Conversation]) -> Result<()> {
        self.with(|m| {
            if let Some(c) = cs.iter().find(|c| !m.people.contains_key(&c.person)) {
                return Err(StoreError::Rejected(format!(
                    "no person with id {} is in this store; nothing was saved",
                    c.person
                )));
            }
            for c in cs {
                m.conversations.insert(c.id, c.clone());
            }
            Ok(())
        })?
    }
}
