//! Row-level exports for analysts: one tidy row per outcome per conversation, with people
//! as a pseudonymous key. No name, date of birth or person id is ever written, and free
//! text only when asked for.

use crate::domain::{Conversation, Id, Person, Service, StageBody};
use crate::forms::Forms;
use serde::Serialize;
use std::collections::HashMap;

pub const COLUMNS: [&str; 19] = [
    "conversation_id",
    "person_key",
    "kind",
    "partnership",
    "organisation",
    "service",
    "stage",
    "date",
    "financial_year",
    "quarter",
    "form",
    "outcome_id",
    "category",
    "national_outcomes",
    "priority",
    "status",
    "contributors",
    "barriers",
    "next",
];

pub const TEXT_COLUMNS: [&str; 5] = ["own_words", "why", "statement", "helped", "hindered"];

/// A stable key for a person, meaningless without the store's secret: a keyed BLAKE3
/// hash of the person id, shortened to 128 bits.
pub fn person_key(secret: &[u8], person: &Id) -> String {
    let mut key = [0u8; 32];
    for (i, b) in secret.iter().take(32).enumerate() {
        key[i] = *b;
    }
    let h = blake3::keyed_hash(&key, person.as_bytes());
    h.to_hex()[..32].to_string()
}

pub use crate::rollup::{financial_year, quarter};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ExportRow {
    pub conversation_id: String,
    pub person_key: String,
    pub kind: String,
    pub partnership: String,
    pub organisation: String,
    pub service: String,
    pub stage: String,
    pub date: String,
    pub financial_year: String,
    pub quarter: String,
    pub form: String,
    pub outcome_id: String,
    pub category: String,
    pub national_outcomes: String,
    pub priority: String,
    pub status: String,
    pub contributors: String,
    pub barriers: String,
    pub next: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<TextFields>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TextFields {
    pub own_words: String,
    pub why: String,
    pub statement: String,
    pub helped: String,
    pub hindered: String,
}

impl ExportRow {
    /// The values in column order (text columns last, when present).
    pub fn values(&self) -> Vec<&str> {
        let mut v = vec![
            self.conversation_id.as_str(),
            &self.person_key,
            &self.kind,
            &self.partnership,
            &self.organisation,
            &self.service,
            &self.stage,
            &self.date,
            &self.financial_year,
            &self.quarter,
            &self.form,
            &self.outcome_id,
            &self.category,
            &self.national_outcomes,
            &self.priority,
            &self.status,
            &self.contributors,
            &self.barriers,
            &self.next,
        ];
        if let Some(t) = &self.text {
            v.extend([
                t.own_words.as_str(),
                &t.why,
                &t.statement,
                &t.helped,
                &t.hindered,
            ]);
        }
        v
    }
}

/// Builds the export rows. Rows come in the order of `conversations`.
pub fn rows(
    forms: &Forms,
    secret: &[u8],
    services: &[Service],
    people: &[Person],
    conversations: &[Conversation],
    include_text: bool,
) -> Vec<ExportRow> {
    let services: HashMap<Id, &Service> = services.iter().map(|s| (s.id, s)).collect();
    let people: HashMap<Id, &Person> = people.iter().map(|p| (p.id, p)).collect();
    let mut keys: HashMap<Id, String> = HashMap::new();
    let mut out = Vec::new();
    for c in conversations {
        let Some(p) = people.get(&c.person) else {
            continue;
        };
        let svc = services.get(&p.service);
        let key = keys
            .entry(p.id)
            .or_insert_with(|| person_key(secret, &p.id))
            .clone();
        let fw = forms.framework(&c.form);
        let base = ExportRow {
            conversation_id: c.id.to_string(),
            person_key: key,
            kind: p.kind.to_string(),
            partnership: svc.map(|s| s.partnership.clone()).unwrap_or_default(),
            organisation: svc.map(|s| s.organisation.clone()).unwrap_or_default(),
            service: svc.map(|s| s.name.clone()).unwrap_or_default(),
            stage: c.stage().to_string(),
            date: c.date.to_string(),
            financial_year: financial_year(c.date),
            quarter: quarter(c.date),
            form: format!("{} v{}", c.form, c.form_version),
            ..Default::default()
        };
        let with_outcome = |id: &str| {
            let def = fw.and_then(|f| f.outcome(id));
            ExportRow {
                outcome_id: id.to_string(),
                category: def.map(|d| d.category.clone()).unwrap_or_default(),
                national_outcomes: def
                    .map(|d| {
                        d.national
                            .iter()
                            .map(|n| n.to_string())
                            .collect::<Vec<_>>()
                            .join(";")
                    })
                    .unwrap_or_default(),
                text: include_text.then(TextFields::default),
                ..base.clone()
            }
        };
        match &c.body {
            StageBody::Assessment { outcomes } => {
                for o in outcomes {
                    let mut r = with_outcome(&o.outcome);
                    r.priority = o.priority.to_string();
                    if let Some(t) = &mut r.text {
                        t.own_words = o.own_words.clone();
                        t.why = o.why.clone();
                    }
                    out.push(r);
                }
            }
            StageBody::Planning { outcomes, .. } => {
                for o in outcomes {
                    let mut r = with_outcome(&o.outcome);
                    if let Some(t) = &mut r.text {
                        t.statement = o.statement.clone();
                    }
                    out.push(r);
                }
            }
            StageBody::Review { outcomes } => {
                for o in outcomes {
                    let mut r = with_outcome(&o.outcome);
                    r.status = o.status.clone();
                    r.contributors = o.contributors.join(";");
                    r.barriers = o.barriers.join(";");
                    r.next = o.next.clone().unwrap_or_default();
                    if let Some(t) = &mut r.text {
                        t.own_words = o.own_words.clone();
                        t.helped = o.helped.clone();
                        t.hindered = o.hindered.clone();
                    }
                    out.push(r);
                }
            }
        }
    }
    out
}

/// Writes rows as CSV (with a header) through the `csv` crate.
pub fn write_csv<W: std::io::Write>(
    w: W,
    rows: &[ExportRow],
    include_text: bool,
) -> std::io::Result<()> {
    let mut wtr = csv::Writer::from_writer(w);
    let mut header: Vec<&str> = COLUMNS.to_vec();
    if include_text {
        header.extend(TEXT_COLUMNS);
    }
    wtr.write_record(&header)?;
    for r in rows {
        wtr.write_record(r.values())?;
    }
    wtr.flush()
}

/// Writes rows as JSON lines, one object per row with the same fields as the CSV.
pub fn write_jsonl<W: std::io::Write>(mut w: W, rows: &[ExportRow]) -> std::io::Result<()> {
    for r in rows {
        let mut obj = serde_json::Map::new();
        let values = r.values();
        for (k, v) in COLUMNS.iter().chain(TEXT_COLUMNS.iter()).zip(values) {
            obj.insert((*k).to_string(), serde_json::Value::String(v.to_string()));
        }
        // Keep the kind of an I/O failure (a closed pipe is not worth a message).
        serde_json::to_writer(&mut w, &obj).map_err(|e| match e.io_error_kind() {
            Some(k) => std::io::Error::from(k),
            None => std::io::Error::other(e),
        })?;
        w.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_keys_are_stable_keyed_and_hide_the_id() {
        let id = Id::new();
        let a = person_key(b"secret one", &id);
        assert_eq!(a, person_key(b"secret one", &id));
        assert_ne!(a, person_key(b"secret two", &id));
        assert_ne!(a, person_key(b"secret one", &Id::new()));
        assert_eq!(a.len(), 32);
        assert!(!a.contains(&id.to_string().replace('-', "")[..8]));
    }
}
