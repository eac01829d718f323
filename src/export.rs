//! Row-level exports for analysts: one tidy row per outcome per conversation, with people
//! and conversations as keyed pseudonyms. No name, date of birth, person id or record id
//! is ever written, and free text only when asked for.
//!
//! The same extract also gives the tables of the data package (`export --out DIR`, see
//! [`crate::datapackage`]): people, conversations and the forms' outcome mapping, so every
//! number a report publishes can be recomputed from it (`sql/rollup.sql`).

use crate::domain::{Conversation, Id, Person, Service, StageBody};
use crate::forms::{Forms, Vocab};
use crate::tabular::{Field, SCHEMA_VERSION, Ty, V, Val};
use std::borrow::Cow;
use std::collections::HashMap;

/// A stable key for a person, meaningless without the store's secret: a keyed BLAKE3
/// hash of the person id, shortened to 128 bits.
pub fn person_key(secret: &[u8], person: &Id) -> String {
    pseudonym(secret, b"", person)
}

/// A key for a conversation, made like [`person_key`] but in its own domain, so it never
/// equals a person's key. Unlike the record id (a time-ordered UUID) it carries no time.
pub fn record_key(secret: &[u8], conversation: &Id) -> String {
    pseudonym(secret, b"conversation:", conversation)
}

fn pseudonym(secret: &[u8], domain: &[u8], id: &Id) -> String {
    let mut key = [0u8; 32];
    for (i, b) in secret.iter().take(32).enumerate() {
        key[i] = *b;
    }
    let mut input = domain.to_vec();
    input.extend_from_slice(id.as_bytes());
    let h = blake3::keyed_hash(&key, &input);
    h.to_hex()[..32].to_string()
}

pub use crate::rollup::{financial_year, quarter};

const TEXT: [(&str, &str); 5] = [
    (
        "own_words",
        "What the person said, in their own words (assessment, review).",
    ),
    ("why", "Why the outcome matters to the person (assessment)."),
    (
        "statement",
        "The outcome as written in the support plan (planning).",
    ),
    ("helped", "What helped (review)."),
    ("hindered", "What got in the way (review)."),
];

/// The columns of the row-level export (the data package's `outcomes` table), with the
/// free-text columns last when `include_text`.
pub fn outcome_fields(forms: &Forms, include_text: bool) -> Vec<Field> {
    let frameworks: Vec<&str> = forms.frameworks.iter().map(|f| f.id.as_str()).collect();
    let categories: Vec<String> = dedup(
        forms
            .frameworks
            .iter()
            .flat_map(|f| f.categories.iter().map(|c| c.id.clone())),
    );
    let mut f = vec![
        Field::new("record_key", Ty::Str, "A keyed pseudonym of the conversation (not its record id, which carries when it was made); the same in every export from this store."),
        Field::new("person_key", Ty::Str, "A keyed pseudonym of the person; the same in every export from this store."),
        Field::new("kind", Ty::Str, "Whether the person is a supported adult or an unpaid carer.").allowed(["adult", "carer"]),
        Field::new("cares_for_key", Ty::Str, "For a carer, the person_key of the person they care for, when that person is in the store."),
        Field::new("partnership", Ty::Str, "The partnership of the person's service."),
        Field::new("organisation", Ty::Str, "The organisation of the person's service."),
        Field::new("service", Ty::Str, "The person's service."),
        Field::new("stage", Ty::Str, "The stage of the conversation.").allowed(["assessment", "planning", "review"]),
        Field::new("date", Ty::Date, "The date of the conversation."),
        Field::new("sequence", Ty::Int, "The conversation's place among the person's conversations in the order the roll-up uses: by date, then by when it was recorded (1 is the first). Of two reviews on one day the higher counts as the latest."),
        Field::new("financial_year", Ty::Str, "The financial year of the date (April to March), as 2025-26."),
        Field::new("quarter", Ty::Str, "The financial quarter of the date, as 2025-26-Q3 (Q1 is April to June)."),
        Field::new("form", Ty::Str, "The form the conversation was recorded on.").allowed(frameworks.clone()),
        Field::new("form_version", Ty::Int, "The version of that form."),
        Field::new("review_by", Ty::Date, "For a support plan, its agreed review date."),
        consent_field(),
        Field::new("framework", Ty::Str, "The framework the roll-up counts the outcome under (the form's own, or the first framework with that outcome id).").allowed(frameworks),
        Field::new("outcome_id", Ty::Str, "The framework outcome's id."),
        Field::new("outcome_label", Ty::Str, "The framework outcome's label."),
        Field::new("category", Ty::Str, "The id of the outcome's category.").allowed(categories),
        Field::new("category_label", Ty::Str, "The label of the outcome's category."),
        Field::new("national_outcomes", Ty::List, "The National Health and Wellbeing Outcomes (1 to 9) the forms map the outcome to."),
        Field::new("priority", Ty::Bool, "At assessment, whether the person marked the outcome a priority; empty at other stages."),
        Field::new("status", Ty::Str, "At review, how far the outcome was met (an id).").allowed(forms.vocab.ids(Vocab::ReviewStatus)),
        Field::new("status_label", Ty::Str, "The label of the status."),
        Field::new("next", Ty::Str, "At review, the next step for the outcome (an id).").allowed(forms.vocab.ids(Vocab::NextSteps)),
        Field::new("closed", Ty::Bool, "At review, whether the outcome was closed (next step `close`); empty at other stages."),
        Field::new("contributors", Ty::List, "At review, who helped (contributor ids)."),
        Field::new("barriers", Ty::List, "At review, what got in the way (barrier ids)."),
        Field::new("schema_version", Ty::Str, "The version of these table layouts."),
    ];
    if include_text {
        f.extend(
            TEXT.iter()
                .map(|(n, d)| Field::new(n, Ty::Str, format!("Free text. {d}"))),
        );
    }
    f
}

/// The columns of the data package's `people` table.
pub fn people_fields() -> Vec<Field> {
    vec![
        Field::new("person_key", Ty::Str, "A keyed pseudonym of the person."),
        Field::new(
            "kind",
            Ty::Str,
            "Whether the person is a supported adult or an unpaid carer.",
        )
        .allowed(["adult", "carer"]),
        Field::new(
            "cares_for_key",
            Ty::Str,
            "For a carer, the person_key of the person they care for, when that person is in the store.",
        ),
        Field::new(
            "partnership",
            Ty::Str,
            "The partnership of the person's service.",
        ),
        Field::new(
            "organisation",
            Ty::Str,
            "The organisation of the person's service.",
        ),
        Field::new("service", Ty::Str, "The person's service."),
    ]
}

/// Consent to record and share, as asked at the conversation.
fn consent_field() -> Field {
    Field::new(
        "consent",
        Ty::Str,
        "Whether the person agreed to the conversation being recorded and shared (record_and_share or record_only); empty on records made before consent was recorded.",
    )
    .allowed(["record_and_share", "record_only", "none"])
}

fn consent_value(c: &Conversation) -> Val<'static> {
    c.consent.map_or(Val::Null, |k| Val::s(k.as_str()))
}

/// The columns of the data package's `conversations` table (one row per conversation,
/// including any that record no outcome).
pub fn conversation_fields() -> Vec<Field> {
    vec![
        Field::new(
            "record_key",
            Ty::Str,
            "A keyed pseudonym of the conversation.",
        ),
        Field::new("person_key", Ty::Str, "The person's keyed pseudonym."),
        Field::new("stage", Ty::Str, "The stage of the conversation.").allowed([
            "assessment",
            "planning",
            "review",
        ]),
        Field::new("date", Ty::Date, "The date of the conversation."),
        Field::new(
            "sequence",
            Ty::Int,
            "The conversation's place among the person's conversations by date, then by when recorded (1 is the first).",
        ),
        Field::new(
            "financial_year",
            Ty::Str,
            "The financial year of the date, as 2025-26.",
        ),
        Field::new(
            "quarter",
            Ty::Str,
            "The financial quarter of the date, as 2025-26-Q3.",
        ),
        Field::new(
            "form",
            Ty::Str,
            "The form the conversation was recorded on.",
        ),
        Field::new("form_version", Ty::Int, "The version of that form."),
        Field::new(
            "review_by",
            Ty::Date,
            "For a support plan, its agreed review date.",
        ),
        Field::new(
            "outcomes",
            Ty::Int,
            "How many outcomes the conversation records.",
        ),
        consent_field(),
    ]
}

/// The columns of the data package's `outcome_definitions` table.
pub fn definition_fields() -> Vec<Field> {
    vec![
        Field::new("framework", Ty::Str, "The framework (form) id."),
        Field::new("person_kind", Ty::Str, "Who the framework is for.").allowed(["adult", "carer"]),
        Field::new("outcome_id", Ty::Str, "The outcome's id."),
        Field::new("outcome_label", Ty::Str, "The outcome's label."),
        Field::new(
            "position",
            Ty::Int,
            "The outcome's place in its framework (1 is the first).",
        ),
        Field::new("category", Ty::Str, "The id of the outcome's category."),
        Field::new(
            "category_label",
            Ty::Str,
            "The label of the outcome's category.",
        ),
        Field::new(
            "process",
            Ty::Bool,
            "Whether the category holds process outcomes (asked at review without a plan).",
        ),
    ]
}

/// The columns of the data package's `outcome_national` table.
pub fn national_fields() -> Vec<Field> {
    vec![
        Field::new("framework", Ty::Str, "The framework (form) id."),
        Field::new("outcome_id", Ty::Str, "The framework outcome's id."),
        Field::new(
            "national_outcome",
            Ty::Int,
            "A National Health and Wellbeing Outcome (1 to 9) the outcome is mapped to.",
        ),
        Field::new(
            "national_text",
            Ty::Str,
            "That national outcome's statement.",
        ),
    ]
}

fn dedup(it: impl Iterator<Item = String>) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    for s in it {
        if !v.contains(&s) {
            v.push(s);
        }
    }
    v
}

/// Everything an export writes, as typed rows in the column order of the `*_fields`.
#[derive(Clone, Debug, Default)]
pub struct Extract {
    pub outcomes: Vec<Vec<V>>,
    pub people: Vec<Vec<V>>,
    pub conversations: Vec<Vec<V>>,
    pub definitions: Vec<Vec<V>>,
    pub national: Vec<Vec<V>>,
}

/// The framework the roll-up counts an outcome recorded on `form` under: the form's own
/// when it has the outcome, otherwise the first framework (adult, carer, then others)
/// that does.
fn counted_framework<'f>(
    forms: &'f Forms,
    form: &str,
    outcome: &str,
) -> Option<&'f crate::forms::Framework> {
    if let Some(f) = forms
        .framework(form)
        .filter(|f| f.outcome(outcome).is_some())
    {
        return Some(f);
    }
    let preferred = [
        crate::domain::PersonKind::Adult,
        crate::domain::PersonKind::Carer,
    ]
    .into_iter()
    .filter_map(|k| forms.framework_for(k));
    preferred
        .chain(forms.frameworks.iter())
        .find(|f| f.outcome(outcome).is_some())
}

/// Each conversation's place among its person's (1 is the first), in the roll-up's order:
/// by date, then by id. Takes (person, date, conversation) triples.
pub fn sequences(
    conversations: impl Iterator<Item = (Id, chrono::NaiveDate, Id)>,
) -> HashMap<Id, u64> {
    let mut mine: HashMap<Id, Vec<(chrono::NaiveDate, Id)>> = HashMap::new();
    for (person, date, id) in conversations {
        mine.entry(person).or_default().push((date, id));
    }
    let mut sequence: HashMap<Id, u64> = HashMap::new();
    for list in mine.values_mut() {
        list.sort_unstable();
        for (i, (_, id)) in list.iter().enumerate() {
            sequence.insert(*id, i as u64 + 1);
        }
    }
    sequence
}

/// Each conversation's sequence worked out as they go by, for conversations that come in
/// the roll-up's order (by date, then by id), as a store's date index gives them; the
/// same numbers as [`sequences`] without a first pass over the store.
#[derive(Default)]
pub struct Sequencer {
    seen: HashMap<Id, u64>,
}

impl Sequencer {
    /// The sequence of `c`, the next conversation in order that counts.
    pub fn next(&mut self, c: &Conversation) -> u64 {
        let n = self.seen.entry(c.person).or_default();
        *n += 1;
        *n
    }
}

/// What the rows of one conversation need besides the conversation itself: the forms,
/// the key, the units and what the rows say of each person. Rows are made one
/// conversation at a time, so an export can stream them without holding the store.
pub struct Rows<'a> {
    forms: &'a Forms,
    secret: &'a [u8],
    services: HashMap<Id, &'a Service>,
    /// What the rows say of each person, kept instead of the whole record (no name or
    /// date of birth): on a large store the people are most of an export's memory.
    people: HashMap<Id, Facts>,
    include_text: bool,
}

/// What the rows say of one person: their key (made once, not for every conversation),
/// kind, service and whom they care for.
struct Facts {
    key: String,
    kind: crate::domain::PersonKind,
    service: Id,
    cares_for: Option<Id>,
}

impl<'a> Rows<'a> {
    /// Rows for the store's `people` (taken one at a time, so a caller can read them
    /// from the store without holding them all).
    pub fn new<P: std::borrow::Borrow<Person>>(
        forms: &'a Forms,
        secret: &'a [u8],
        services: &'a [Service],
        people: impl IntoIterator<Item = P>,
        include_text: bool,
    ) -> Rows<'a> {
        let people = people
            .into_iter()
            .map(|p| {
                let p = p.borrow();
                let facts = Facts {
                    key: person_key(secret, &p.id),
                    kind: p.kind,
                    service: p.service,
                    cares_for: p.cares_for,
                };
                (p.id, facts)
            })
            .collect();
        Rows {
            forms,
            secret,
            services: services.iter().map(|s| (s.id, s)).collect(),
            people,
            include_text,
        }
    }

    fn key(&self, id: &Id) -> Cow<'_, str> {
        match self.people.get(id) {
            Some(f) => Cow::Borrowed(&f.key),
            None => Cow::Owned(person_key(self.secret, id)),
        }
    }

    /// The partnership, organisation and name of `service`.
    fn unit(&self, service: &Id) -> [Val<'a>; 3] {
        match self.services.get(service) {
            Some(s) => [
                Val::s(s.partnership.as_str()),
                Val::s(s.organisation.as_str()),
                Val::s(s.name.as_str()),
            ],
            None => [Val::s(""), Val::s(""), Val::s("")],
        }
    }

    /// The key of the person cared for, when they are in the store.
    fn cares_for(&self, cares_for: Option<Id>) -> Val<'_> {
        match cares_for.filter(|c| self.people.contains_key(c)) {
            Some(c) => Val::S(self.key(&c)),
            None => Val::Null,
        }
    }

    /// The row of the `people` table for `p`.
    pub fn person(&self, p: &Person) -> Vec<V> {
        let mut row = vec![
            V::S(self.key(&p.id).into_owned().into()),
            V::s(p.kind.as_str()),
            self.cares_for(p.cares_for).into_owned(),
        ];
        row.extend(self.unit(&p.service).map(Val::into_owned));
        row
    }

    /// Whether `c` gets rows: its person is in the store and it counts (a conversation
    /// withdrawn in error is left out, by the rule the roll-up uses).
    pub fn exports(&self, c: &Conversation) -> bool {
        c.counts() && self.people.contains_key(&c.person)
    }

    /// What the conversation's rows share: its key, its person's, its dates.
    fn shared<'c>(&'c self, c: &'c Conversation, p: &'c Facts, sequence: u64) -> Shared<'c> {
        Shared {
            rk: Val::s(record_key(self.secret, &c.id)),
            pk: Val::s(p.key.as_str()),
            seq: Val::I(sequence),
            review_by: c.review_by().map_or(Val::Null, |d| Val::s(d.to_string())),
            date: Val::s(c.date.to_string()),
            year: Val::s(financial_year(c.date)),
            quarter: Val::s(quarter(c.date)),
        }
    }

    /// The row of the `conversations` table for `c`, whose sequence is `sequence`;
    /// `None` when it is not exported ([`Rows::exports`]).
    pub fn conversation_row(&self, c: &Conversation, sequence: u64) -> Option<Vec<V>> {
        let p = self.people.get(&c.person).filter(|_| c.counts())?;
        let s = self.shared(c, p, sequence);
        let row = [
            s.rk,
            s.pk,
            Val::s(c.stage().as_str()),
            s.date,
            s.seq,
            s.year,
            s.quarter,
            Val::s(c.form.as_str()),
            Val::I(u64::from(c.form_version)),
            s.review_by,
            Val::I(c.outcome_ids().len() as u64),
            consent_value(c),
        ];
        Some(row.into_iter().map(Val::into_owned).collect())
    }

    /// Hands each outcome row of `c`, whose sequence is `sequence`, to `outcome`; none
    /// when it is not exported ([`Rows::exports`]). The rows borrow from `c` and the
    /// forms rather than copying each word.
    pub fn outcome_rows<'c, E>(
        &'c self,
        c: &'c Conversation,
        sequence: u64,
        mut outcome: impl FnMut(&[Val<'c>]) -> Result<(), E>,
    ) -> Result<(), E> {
        let forms = self.forms;
        let Some(p) = self.people.get(&c.person).filter(|_| c.counts()) else {
            return Ok(());
        };
        let s = self.shared(c, p, sequence);
        let [partnership, organisation, service] = self.unit(&p.service);
        let lead = vec![
            s.rk,
            s.pk,
            Val::s(p.kind.as_str()),
            self.cares_for(p.cares_for),
            partnership,
            organisation,
            service,
            Val::s(c.stage().as_str()),
            s.date,
            s.seq,
            s.year,
            s.quarter,
            Val::s(c.form.as_str()),
            Val::I(u64::from(c.form_version)),
            s.review_by,
            consent_value(c),
        ];
        let outcome_cols = |id: &'c str| {
            let fw = counted_framework(forms, &c.form, id);
            let def = fw.and_then(|f| f.outcome(id));
            let cat = fw.zip(def).and_then(|(f, d)| f.category(&d.category));
            [
                fw.map_or(Val::Null, |f| Val::s(f.id.as_str())),
                Val::s(id),
                def.map_or(Val::Null, |d| Val::s(d.label.as_str())),
                def.map_or(Val::Null, |d| Val::s(d.category.as_str())),
                cat.map_or(Val::Null, |c| Val::s(c.label.as_str())),
                Val::LI(def.map_or(Cow::Borrowed(&[][..]), |d| Cow::Borrowed(&d.national[..]))),
            ]
        };
        let include_text = self.include_text;
        // priority, status, status_label, next, closed, contributors, barriers, then text.
        // One row buffer for the conversation: the lead columns stay, the rest is refilled.
        let lead_len = lead.len();
        let mut row = lead;
        let mut push = |id: &'c str, stage_cols: [Val<'c>; 7], text: [&'c str; 5]| {
            row.truncate(lead_len);
            row.extend(outcome_cols(id));
            row.extend(stage_cols);
            row.push(Val::s(SCHEMA_VERSION));
            if include_text {
                row.extend(text.iter().map(|t| Val::s(*t)));
            }
            outcome(&row)
        };
        let none = || {
            [
                Val::Null,
                Val::Null,
                Val::Null,
                Val::Null,
                Val::Null,
                Val::L(Cow::Borrowed(&[])),
                Val::L(Cow::Borrowed(&[])),
            ]
        };
        match &c.body {
            StageBody::Assessment { outcomes } => {
                for o in outcomes {
                    let mut cols = none();
                    cols[0] = Val::B(o.priority);
                    push(&o.outcome, cols, [&o.own_words, &o.why, "", "", ""])?;
                }
            }
            StageBody::Planning { outcomes, .. } => {
                for o in outcomes {
                    push(&o.outcome, none(), ["", "", &o.statement, "", ""])?;
                }
            }
            StageBody::Review { outcomes } => {
                for o in outcomes {
                    let next = o.next.as_deref().unwrap_or_default();
                    let cols = [
                        Val::Null,
                        Val::opt(&o.status),
                        Val::opt(forms.vocab.label(Vocab::ReviewStatus, &o.status)),
                        Val::opt(next),
                        Val::B(next == "close"),
                        Val::L(Cow::Borrowed(&o.contributors)),
                        Val::L(Cow::Borrowed(&o.barriers)),
                    ];
                    push(
                        &o.outcome,
                        cols,
                        [&o.own_words, "", "", &o.helped, &o.hindered],
                    )?;
                }
            }
        }
        Ok(())
    }
}

/// The cells a conversation's rows share.
struct Shared<'c> {
    rk: Val<'c>,
    pk: Val<'c>,
    seq: Val<'c>,
    review_by: Val<'c>,
    date: Val<'c>,
    year: Val<'c>,
    quarter: Val<'c>,
}

/// Builds the extract. Outcome and conversation rows come in the order of
/// `conversations`; people in the order of `people`.
pub fn extract(
    forms: &Forms,
    secret: &[u8],
    services: &[Service],
    people: &[Person],
    conversations: &[Conversation],
    include_text: bool,
) -> Extract {
    let rows = Rows::new(forms, secret, services, people, include_text);
    let sequence = sequences(
        conversations
            .iter()
            .filter(|c| rows.exports(c))
            .map(|c| (c.person, c.date, c.id)),
    );
    let mut out = Extract::default();
    for p in people {
        out.people.push(rows.person(p));
    }
    for c in conversations {
        let outcomes = &mut out.outcomes;
        let seq = sequence.get(&c.id).copied().unwrap_or(0);
        let _ = rows.outcome_rows(c, seq, |r| {
            outcomes.push(r.iter().cloned().map(Val::into_owned).collect());
            Ok::<(), std::convert::Infallible>(())
        });
        out.conversations.extend(rows.conversation_row(c, seq));
    }
    for f in &forms.frameworks {
        for (i, o) in f.outcomes.iter().enumerate() {
            let cat = f.category(&o.category);
            out.definitions.push(vec![
                V::s(f.id.clone()),
                V::s(f.person_kind.as_str()),
                V::s(o.id.clone()),
                V::s(o.label.clone()),
                V::I(i as u64 + 1),
                V::s(o.category.clone()),
                cat.map_or(V::Null, |c| V::s(c.label.clone())),
                V::B(cat.is_some_and(|c| c.process)),
            ]);
            for n in &o.national {
                let text = forms
                    .national
                    .outcomes
                    .iter()
                    .find(|x| x.number == *n)
                    .map_or(V::Null, |x| V::s(x.text.clone()));
                out.national.push(vec![
                    V::s(f.id.clone()),
                    V::s(o.id.clone()),
                    V::I(u64::from(*n)),
                    text,
                ]);
            }
        }
    }
    out
}

/// Writes rows as JSON lines, one object per row with the same fields as the CSV.
pub fn write_jsonl<W: std::io::Write>(
    mut w: W,
    fields: &[Field],
    rows: &[Vec<V>],
) -> std::io::Result<()> {
    for r in rows {
        write_jsonl_row(&mut w, fields, r)?;
    }
    Ok(())
}

/// Writes one row as a line holding a JSON object, keys in column order: the bytes of
/// [`crate::tabular::json_object`] serialised, without building it (exports write millions).
pub fn write_jsonl_row<W: std::io::Write>(
    mut w: W,
    fields: &[Field],
    row: &[Val<'_>],
) -> std::io::Result<()> {
    // Keep the kind of an I/O failure (a closed pipe is not worth a message).
    let json = |w: &mut W, v: &dyn erased::Json| {
        v.write(w).map_err(|e| match e.io_error_kind() {
            Some(k) => std::io::Error::from(k),
            None => std::io::Error::other(e),
        })
    };
    w.write_all(b"{")?;
    for (i, (f, v)) in fields.iter().zip(row).enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        json(&mut w, &f.name)?;
        w.write_all(b":")?;
        match v {
            Val::S(s) => json(&mut w, s)?,
            Val::I(n) => json(&mut w, n)?,
            Val::N(n) => json(&mut w, n)?,
            Val::B(b) => json(&mut w, b)?,
            Val::L(l) => json(&mut w, l)?,
            Val::LI(l) => json(&mut w, l)?,
            Val::Null => w.write_all(b"null")?,
        }
    }
    w.write_all(b"}\n")
}

mod erased {
    /// A value serde_json can write to any writer, behind one reference type.
    pub trait Json {
        fn write(&self, w: &mut dyn std::io::Write) -> serde_json::Result<()>;
    }

    impl<T: serde::Serialize + ?Sized> Json for T {
        fn write(&self, w: &mut dyn std::io::Write) -> serde_json::Result<()> {
            serde_json::to_writer(w, self)
        }
    }
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

    #[test]
    fn record_keys_differ_from_person_keys_of_the_same_id() {
        let id = Id::new();
        assert_ne!(record_key(b"s", &id), person_key(b"s", &id));
        assert_eq!(record_key(b"s", &id), record_key(b"s", &id));
    }
}
