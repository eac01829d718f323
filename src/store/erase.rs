//! What the store holds about one person (for subject access), and erasure on request.
//!
//! Erasure removes the person, their conversations and earlier revisions, drafts about
//! them, their index entries and any carer's link to them (the carer stays), then
//! rewrites the database so the bytes leave the disk (see [`super::compact`]). Audit
//! entries that named the person or their conversations are kept but made
//! non-identifying: their id becomes `erased:` and 16 hex digits of the person's
//! pseudonymous key, so the trail still shows that something happened and when, not to
//! whom. A tombstone of that key stays so a later merge does not bring them back.

use super::bucketed::{
    DATE_CONVERSATIONS, PERSON_CONVERSATIONS, SERVICE_PEOPLE, service_person_key,
};
use super::encoded;
use super::envelope::Kind;
use super::{AuditEntry, Result, Store, StoreError, date_conv_key, person_conv_key};
use crate::domain::{Conversation, Id, Person, Service};
use serde::{Deserialize, Serialize};
use sled::Transactional;
use sled::transaction::TransactionError;
use std::collections::HashSet;

pub const TOMBSTONES: &str = "tombstones";

/// What is kept of an erased person: when, and nothing else.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tombstone {
    /// When (UTC); other fields a tombstone may carry are read past.
    #[serde(default)]
    pub at: String,
}

/// Everything the store holds about one person.
#[derive(Clone, Debug)]
pub struct Traces {
    pub person: Person,
    pub service: Option<Service>,
    pub cares_for: Option<Person>,
    /// Carers whose record names this person.
    pub cared_for_by: Vec<Person>,
    pub conversations: Vec<Conversation>,
    /// Earlier revisions of their conversations, oldest first per conversation.
    pub revisions: Vec<Conversation>,
    /// Drafts about them, as kept (draft key, value).
    pub drafts: Vec<(String, serde_json::Value)>,
    /// Audit entries naming the person or one of their conversations (key, entry).
    pub audit: Vec<([u8; 8], AuditEntry)>,
}

/// What an erasure removed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Erased {
    pub marker: String,
    pub conversations: usize,
    pub revisions: usize,
    pub drafts: usize,
    pub carers_unlinked: usize,
    pub audit_entries: usize,
}

/// The pseudonymous marker that replaces an erased person's ids in the audit.
pub fn audit_marker(person_key: &str) -> String {
    format!("erased:{}", &person_key[..16.min(person_key.len())])
}

impl Store {
    fn tombstones(&self) -> Result<sled::Tree> {
        Ok(self.db.open_tree(TOMBSTONES)?)
    }

    /// The pseudonymous key of a person (as in exports).
    pub fn person_key(&self, id: &Id) -> Result<String> {
        Ok(crate::export::person_key(&self.secret()?, id))
    }

    /// The pseudonymous keys of every erased person.
    pub fn tombstone_keys(&self) -> Result<HashSet<String>> {
        let mut out = HashSet::new();
        for kv in self.tombstones()?.iter() {
            let (k, v) = kv?;
            let _: Tombstone = self.decode(Kind::Tombstone, &k, &v)?;
            out.insert(String::from_utf8_lossy(&k).into_owned());
        }
        Ok(out)
    }

    /// Everything held about one person, or `None` when there is no such person.
    pub fn traces(&self, id: &Id) -> Result<Option<Traces>> {
        let Some(person) = self.person(id)? else {
            return Ok(None);
        };
        let service = self.service(&person.service)?;
        let cares_for = match person.cares_for {
            Some(cf) => self.person(&cf)?,
            None => None,
        };
        let cared_for_by = self
            .people()?
            .into_iter()
            .filter(|p| p.cares_for == Some(*id))
            .collect();
        let conversations = self.conversations_of(id)?;
        let mut revisions = Vec::new();
        for c in &conversations {
            revisions.extend(self.revisions_of(&c.id)?);
        }
        let mut drafts = Vec::new();
        let id_text = id.to_string();
        for kv in self.drafts.iter() {
            let (k, v) = kv?;
            let d: serde_json::Value = self.decode(Kind::Draft, &k, &v)?;
            if d.get("person").and_then(|p| p.as_str()) == Some(id_text.as_str()) {
                drafts.push((String::from_utf8_lossy(&k).into_owned(), d));
            }
        }
        let mut ids: HashSet<String> = conversations.iter().map(|c| c.id.to_string()).collect();
        ids.insert(id_text);
        let mut audit = Vec::new();
        for kv in self.audit.iter() {
            let (k, v) = kv?;
            let e: AuditEntry = self.decode(Kind::Audit, &k, &v)?;
            if ids.contains(&e.id)
                && let Ok(key) = <[u8; 8]>::try_from(&k[..])
            {
                audit.push((key, e));
            }
        }
        Ok(Some(Traces {
            person,
            service,
            cares_for,
            cared_for_by,
            conversations,
            revisions,
            drafts,
            audit,
        }))
    }

    /// Erases one person and every trace of them, then rewrites the database so their
    /// bytes leave the disk. Takes the store: the lock is held to the end.
    pub fn erase_person(self, id: &Id) -> Result<Erased> {
        let Some(t) = self.traces(id)? else {
            return Err(StoreError::Rejected(format!(
                "no person with id {id} is in this store; see `talking-points person list`"
            )));
        };
        super::compact::mark_pending(&self.path)?;
        let erased = self.erase_records(&t)?;
        let (path, lock) = self.into_lock();
        super::compact::run(&path)?;
        drop(lock);
        Ok(erased)
    }

    /// Removes the records in one transaction and flushes.
    fn erase_records(&self, t: &Traces) -> Result<Erased> {
        let p = &t.person;
        let pkey = self.person_key(&p.id)?;
        let marker = audit_marker(&pkey);
        let revs = self.revisions()?;
        let mut rev_keys = Vec::new();
        for c in &t.conversations {
            for kv in revs.scan_prefix(c.id.as_bytes()) {
                rev_keys.push(kv?.0);
            }
        }
        let carers: Vec<(Person, Vec<u8>)> = t
            .cared_for_by
            .iter()
            .map(|c| {
                let mut c = c.clone();
                c.cares_for = None;
                let bytes = encoded(Kind::Person, c.id.as_bytes(), &c)?;
                Ok((c, bytes))
            })
            .collect::<Result<_>>()?;
        let audit_rewritten: Vec<([u8; 8], Vec<u8>)> = t
            .audit
            .iter()
            .map(|(k, e)| {
                let mut e = e.clone();
                e.id = marker.clone();
                Ok((*k, encoded(Kind::Audit, k, &e)?))
            })
            .collect::<Result<_>>()?;
        let erase_key = self.audit_keys(1)?[0];
        let erase_entry = encoded(
            Kind::Audit,
            &erase_key,
            &self.entry("erase", "person", &marker),
        )?;
        let stone = encoded(
            Kind::Tombstone,
            pkey.as_bytes(),
            &Tombstone {
                at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            },
        )?;
        let tombs = self.tombstones()?;
        let plan = self.kept_plan()?;
        let (kin, ktot) = (self.kept_inputs_tree()?, self.kept_totals_tree()?);
        let kcase = self.caseload_tree()?;
        let trees = (
            &self.people,
            &self.conversations,
            &self.idx_service_person,
            &self.idx_person_conv,
            &self.idx_date_conv,
            &self.audit,
            &revs,
            &self.drafts,
            &tombs,
            &kin,
            &ktot,
            &kcase,
        );
        let res: std::result::Result<(), TransactionError<String>> = trees.transaction(
            |(people, convs, isp, ipc, idc, audit, revs, drafts, tombs, kin, ktot, kcase)| {
                if let Some(plan) = &plan {
                    plan.erase(p, kin, ktot, kcase)?;
                }
                people.remove(p.id.as_bytes())?;
                SERVICE_PEOPLE.remove(isp, &service_person_key(&p.service, &p.id))?;
                for c in &t.conversations {
                    convs.remove(c.id.as_bytes())?;
                    PERSON_CONVERSATIONS.remove(ipc, &person_conv_key(c))?;
                    DATE_CONVERSATIONS.remove(idc, &date_conv_key(c))?;
                }
                for k in &rev_keys {
                    revs.remove(k)?;
                }
                for (k, _) in &t.drafts {
                    drafts.remove(k.as_bytes())?;
                }
                for (c, bytes) in &carers {
                    people.insert(c.id.as_bytes(), bytes.clone())?;
                }
                for (k, bytes) in &audit_rewritten {
                    audit.insert(k, bytes.clone())?;
                }
                audit.insert(&erase_key, erase_entry.clone())?;
                tombs.insert(pkey.as_bytes(), stone.clone())?;
                Ok(())
            },
        );
        match res {
            Ok(()) => {}
            Err(TransactionError::Abort(m)) => return Err(StoreError::Rejected(m)),
            Err(TransactionError::Storage(e)) => return Err(StoreError::Db(e)),
        }
        // Protections were worked out from counts that included the person.
        self.drop_protections()?;
        self.db.flush()?;
        Ok(Erased {
            marker,
            conversations: t.conversations.len(),
            revisions: rev_keys.len(),
            drafts: t.drafts.len(),
            carers_unlinked: carers.len(),
            audit_entries: audit_rewritten.len(),
        })
    }
}
