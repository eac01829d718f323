//! The integrity check behind `talking-points verify`: every record decodes and passes
//! its checksum, every index entry points at a record and every record is indexed, and
//! every reference (person → service, conversation → person) resolves.

use super::bucketed::{
    DATE_CONVERSATIONS, Layout, PERSON_CONVERSATIONS, SERVICE_PEOPLE, service_person_key,
};
use super::envelope::{Kind, decode};
use super::{Store, date_conv_key, person_conv_key};
use crate::domain::{Conversation, Person, Service};
use std::collections::HashSet;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifyIssue {
    pub tree: &'static str,
    pub key: String,
    pub problem: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VerifyReport {
    pub services: usize,
    pub people: usize,
    pub conversations: usize,
    pub audit_entries: usize,
    pub issues: Vec<VerifyIssue>,
}

impl VerifyReport {
    pub fn is_sound(&self) -> bool {
        self.issues.is_empty()
    }
}

fn show_key(k: &[u8]) -> String {
    if k.is_empty() {
        return "(from the start)".into();
    }
    super::show_key(k)
}

/// A read error inside a tree: the records after `last` cannot be read. An I/O error
/// (a full disk, a failing device) is no damage to the records and ends the check with
/// its own sentence.
fn unreadable(e: sled::Error) -> super::Result<String> {
    if let sled::Error::Io(_) = e {
        return Err(e.into());
    }
    let what = super::errors::describe_db(None, None, &e);
    let what = what.split(';').next().unwrap_or_default();
    Ok(format!("the records after this key cannot be read: {what}"))
}

impl Store {
    pub fn verify(&self) -> super::Result<VerifyReport> {
        let mut r = VerifyReport::default();
        let mut issue = |tree: &'static str, key: &[u8], problem: String| {
            r.issues.push(VerifyIssue {
                tree,
                key: show_key(key),
                problem,
            })
        };

        let mut service_ids = HashSet::new();
        let mut services = 0;
        let mut last = Vec::new();
        for kv in self.services.iter() {
            let (k, v) = match kv {
                Ok(kv) => kv,
                Err(e) => {
                    issue("services", &last, unreadable(e)?);
                    break;
                }
            };
            last = k.to_vec();
            match decode::<Service>(Kind::Service, &v) {
                Ok(s) if s.id.as_bytes()[..] == k[..] => {
                    service_ids.insert(s.id);
                    services += 1;
                }
                Ok(_) => issue(
                    "services",
                    &k,
                    "is stored under another record's key".into(),
                ),
                Err(e) => issue("services", &k, e.to_string()),
            }
        }

        let mut person_ids = HashSet::new();
        let mut expected_isp = HashSet::new();
        let mut people = 0;
        let mut last = Vec::new();
        for kv in self.people.iter() {
            let (k, v) = match kv {
                Ok(kv) => kv,
                Err(e) => {
                    issue("people", &last, unreadable(e)?);
                    break;
                }
            };
            last = k.to_vec();
            match decode::<Person>(Kind::Person, &v) {
                Ok(p) if p.id.as_bytes()[..] == k[..] => {
                    if !service_ids.contains(&p.service) {
                        issue(
                            "people",
                            &k,
                            format!("names service {} which is not in the store", p.service),
                        );
                    }
                    expected_isp.insert(service_person_key(&p.service, &p.id));
                    person_ids.insert(p.id);
                    people += 1;
                }
                Ok(_) => issue("people", &k, "is stored under another record's key".into()),
                Err(e) => issue("people", &k, e.to_string()),
            }
        }

        let mut expected_ipc = HashSet::new();
        let mut expected_idc = HashSet::new();
        let mut conversations = 0;
        let mut last = Vec::new();
        for kv in self.conversations.iter() {
            let (k, v) = match kv {
                Ok(kv) => kv,
                Err(e) => {
                    issue("conversations", &last, unreadable(e)?);
                    break;
                }
            };
            last = k.to_vec();
            match decode::<Conversation>(Kind::Conversation, &v) {
                Ok(c) if c.id.as_bytes()[..] == k[..] => {
                    if !person_ids.contains(&c.person) {
                        issue(
                            "conversations",
                            &k,
                            format!("belongs to person {} who is not in the store", c.person),
                        );
                    }
                    expected_ipc.insert(person_conv_key(&c));
                    expected_idc.insert(date_conv_key(&c));
                    conversations += 1;
                }
                Ok(_) => issue(
                    "conversations",
                    &k,
                    "is stored under another record's key".into(),
                ),
                Err(e) => issue("conversations", &k, e.to_string()),
            }
        }

        let indexes: [(Layout, &sled::Tree, &HashSet<Vec<u8>>); 3] = [
            (SERVICE_PEOPLE, &self.idx_service_person, &expected_isp),
            (PERSON_CONVERSATIONS, &self.idx_person_conv, &expected_ipc),
            (DATE_CONVERSATIONS, &self.idx_date_conv, &expected_idc),
        ];
        for (layout, tree, expected) in indexes {
            let name = layout.name;
            let mut found = 0;
            let mut last = Vec::new();
            for kv in tree.iter() {
                let (bucket, items) = match kv {
                    Ok(kv) => kv,
                    Err(e) => {
                        issue(name, &last, unreadable(e)?);
                        break;
                    }
                };
                last = bucket.to_vec();
                if bucket.len() != layout.bucket || items.is_empty() || !layout.sound(&items) {
                    issue(
                        name,
                        &bucket,
                        "is damaged: it holds no whole, ordered entries".into(),
                    );
                    continue;
                }
                for item in items.chunks(layout.item) {
                    let k = [&bucket[..], item].concat();
                    if expected.contains(&k[..]) {
                        found += 1;
                    } else {
                        issue(name, &k, "points at a record that is not there".into());
                    }
                }
            }
            if found < expected.len() {
                issue(
                    name,
                    b"",
                    format!("is missing {} entries", expected.len() - found),
                );
            }
        }

        let mut audit_entries = 0;
        let mut last = Vec::new();
        for kv in self.audit.iter() {
            let (k, v) = match kv {
                Ok(kv) => kv,
                Err(e) => {
                    issue("audit", &last, unreadable(e)?);
                    break;
                }
            };
            last = k.to_vec();
            match decode::<super::AuditEntry>(Kind::Audit, &v) {
                Ok(_) => audit_entries += 1,
                Err(e) => issue("audit", &k, e.to_string()),
            }
        }
        let mut last = Vec::new();
        for kv in self.drafts.iter() {
            let (k, v) = match kv {
                Ok(kv) => kv,
                Err(e) => {
                    issue("drafts", &last, unreadable(e)?);
                    break;
                }
            };
            last = k.to_vec();
            if let Err(e) = decode::<serde_json::Value>(Kind::Draft, &v) {
                issue("drafts", &k, e.to_string());
            }
        }
        for key in ["secret", "created"] {
            match self.meta.get(key) {
                Err(e) => issue("meta", key.as_bytes(), unreadable(e)?),
                Ok(None) => issue("meta", key.as_bytes(), "is missing".into()),
                Ok(Some(v)) => {
                    let ok = if key == "secret" {
                        decode::<Vec<u8>>(Kind::Meta, &v).map(|_| ())
                    } else {
                        decode::<String>(Kind::Meta, &v).map(|_| ())
                    };
                    if let Err(e) = ok {
                        issue("meta", key.as_bytes(), e.to_string());
                    }
                }
            }
        }
        r.issues.extend(self.verify_kept()?);
        r.issues.extend(self.verify_kept_rollups()?);
        r.services = services;
        r.people = people;
        r.conversations = conversations;
        r.audit_entries = audit_entries;
        Ok(r)
    }
}
