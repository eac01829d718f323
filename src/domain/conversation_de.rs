//! Reading a [`Conversation`] in one pass.
//!
//! Its stage's fields sit beside the others in the stored form (the `stage` tag, then
//! `review_by` and `outcomes`). serde's derived reader for that shape (a flattened,
//! internally tagged enum) first copies the whole record into a buffer of owned values
//! and then reads it again from there, which made decoding most of the cost of an
//! export or a full recompute. This reader takes each field as it comes and reads the
//! outcomes straight into their stage's type, since the writer puts `stage` before
//! them; a record whose `outcomes` come first (written by hand, say) is still read,
//! through a `serde_json::Value`. It accepts exactly what the derived reader did:
//! unknown fields are ignored, optional ones may be absent or null.

use super::conversation::{Conversation, Stage, StageBody};
use chrono::NaiveDate;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use std::fmt;

enum Field {
    Id,
    Person,
    Date,
    Practitioner,
    Participants,
    Form,
    FormVersion,
    Revision,
    Consent,
    Withdrawn,
    Stage,
    ReviewBy,
    Outcomes,
    Other,
}

impl<'de> serde::Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Field, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Field;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Field, E> {
                Ok(match s {
                    "id" => Field::Id,
                    "person" => Field::Person,
                    "date" => Field::Date,
                    "practitioner" => Field::Practitioner,
                    "participants" => Field::Participants,
                    "form" => Field::Form,
                    "form_version" => Field::FormVersion,
                    "revision" => Field::Revision,
                    "consent" => Field::Consent,
                    "withdrawn" => Field::Withdrawn,
                    "stage" => Field::Stage,
                    "review_by" => Field::ReviewBy,
                    "outcomes" => Field::Outcomes,
                    _ => Field::Other,
                })
            }
            fn visit_bytes<E: de::Error>(self, b: &[u8]) -> Result<Field, E> {
                match std::str::from_utf8(b) {
                    Ok(s) => self.visit_str(s),
                    Err(_) => Ok(Field::Other),
                }
            }
        }
        d.deserialize_identifier(V)
    }
}

/// A stage's outcomes, read as its type once the stage is known.
enum Outcomes {
    Assessment(Vec<super::AssessedOutcome>),
    Planning(Vec<super::PlannedOutcome>),
    Review(Vec<super::ReviewedOutcome>),
    /// Read before the stage: kept as a value until it is known.
    Unread(serde_json::Value),
}

/// Sets `slot` once; a second value for the field is an error, as the derived reader
/// made it.
fn once<T, E: de::Error>(slot: &mut Option<T>, v: T, name: &'static str) -> Result<(), E> {
    if slot.is_some() {
        return Err(E::duplicate_field(name));
    }
    *slot = Some(v);
    Ok(())
}

struct ConversationVisitor;

impl<'de> Visitor<'de> for ConversationVisitor {
    type Value = Conversation;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a conversation")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Conversation, A::Error> {
        let (mut id, mut person, mut date, mut practitioner) = (None, None, None, None);
        let (mut participants, mut form, mut form_version, mut revision) = (None, None, None, None);
        let (mut consent, mut withdrawn, mut stage) = (None, None, None);
        let mut review_by: Option<Option<NaiveDate>> = None;
        let mut outcomes: Option<Outcomes> = None;
        while let Some(key) = m.next_key::<Field>()? {
            match key {
                Field::Id => once(&mut id, m.next_value()?, "id")?,
                Field::Person => once(&mut person, m.next_value()?, "person")?,
                Field::Date => once(&mut date, m.next_value()?, "date")?,
                Field::Practitioner => once(&mut practitioner, m.next_value()?, "practitioner")?,
                Field::Participants => once(
                    &mut participants,
                    m.next_value::<Option<Vec<String>>>()?.unwrap_or_default(),
                    "participants",
                )?,
                Field::Form => once(&mut form, m.next_value()?, "form")?,
                Field::FormVersion => once(&mut form_version, m.next_value()?, "form_version")?,
                Field::Revision => once(
                    &mut revision,
                    m.next_value::<Option<u32>>()?.unwrap_or_default(),
                    "revision",
                )?,
                Field::Consent => once(&mut consent, m.next_value()?, "consent")?,
                Field::Withdrawn => once(&mut withdrawn, m.next_value()?, "withdrawn")?,
                Field::Stage => once(&mut stage, m.next_value::<Stage>()?, "stage")?,
                Field::ReviewBy => once(&mut review_by, m.next_value()?, "review_by")?,
                Field::Outcomes => {
                    let o = match stage {
                        Some(Stage::Assessment) => Outcomes::Assessment(m.next_value()?),
                        Some(Stage::Planning) => Outcomes::Planning(m.next_value()?),
                        Some(Stage::Review) => Outcomes::Review(m.next_value()?),
                        None => Outcomes::Unread(m.next_value()?),
                    };
                    once(&mut outcomes, o, "outcomes")?;
                }
                Field::Other => {
                    m.next_value::<IgnoredAny>()?;
                }
            }
        }
        let stage = stage.ok_or_else(|| de::Error::missing_field("stage"))?;
        let outcomes = outcomes.ok_or_else(|| de::Error::missing_field("outcomes"))?;
        let body = body(stage, review_by.flatten(), outcomes).map_err(de::Error::custom)?;
        Ok(Conversation {
            id: id.ok_or_else(|| de::Error::missing_field("id"))?,
            person: person.ok_or_else(|| de::Error::missing_field("person"))?,
            date: date.ok_or_else(|| de::Error::missing_field("date"))?,
            practitioner: practitioner.ok_or_else(|| de::Error::missing_field("practitioner"))?,
            participants: participants.unwrap_or_default(),
            form: form.ok_or_else(|| de::Error::missing_field("form"))?,
            form_version: form_version.ok_or_else(|| de::Error::missing_field("form_version"))?,
            revision: revision.unwrap_or_default(),
            consent: consent.flatten(),
            withdrawn: withdrawn.flatten(),
            body,
        })
    }
}

fn body(
    stage: Stage,
    review_by: Option<NaiveDate>,
    outcomes: Outcomes,
) -> Result<StageBody, String> {
    let typed = |v: serde_json::Value| -> Result<Outcomes, String> {
        let e = |e: serde_json::Error| e.to_string();
        Ok(match stage {
            Stage::Assessment => Outcomes::Assessment(serde_json::from_value(v).map_err(e)?),
            Stage::Planning => Outcomes::Planning(serde_json::from_value(v).map_err(e)?),
            Stage::Review => Outcomes::Review(serde_json::from_value(v).map_err(e)?),
        })
    };
    let outcomes = match outcomes {
        Outcomes::Unread(v) => typed(v)?,
        o => o,
    };
    Ok(match outcomes {
        Outcomes::Assessment(outcomes) => StageBody::Assessment { outcomes },
        Outcomes::Planning(outcomes) => StageBody::Planning {
            review_by,
            outcomes,
        },
        Outcomes::Review(outcomes) => StageBody::Review { outcomes },
        Outcomes::Unread(_) => return Err("the outcomes could not be read".into()),
    })
}

impl<'de> serde::Deserialize<'de> for Conversation {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Conversation, D::Error> {
        d.deserialize_map(ConversationVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The shape serde derives for the stored form, kept here as the reference the
    /// one-pass reader must agree with.
    #[derive(serde::Deserialize)]
    struct Derived {
        id: crate::domain::Id,
        person: crate::domain::Id,
        date: NaiveDate,
        practitioner: String,
        #[serde(default)]
        participants: Vec<String>,
        form: String,
        form_version: u32,
        #[serde(default)]
        revision: u32,
        #[serde(default)]
        consent: Option<crate::domain::Consent>,
        #[serde(default)]
        withdrawn: Option<crate::domain::Withdrawal>,
        #[serde(flatten)]
        body: StageBody,
    }

    impl From<Derived> for Conversation {
        fn from(d: Derived) -> Conversation {
            Conversation {
                id: d.id,
                person: d.person,
                date: d.date,
                practitioner: d.practitioner,
                participants: d.participants,
                form: d.form,
                form_version: d.form_version,
                revision: d.revision,
                consent: d.consent,
                withdrawn: d.withdrawn,
                body: d.body,
            }
        }
    }

    fn both(json: &str) -> (Result<Conversation, String>, Result<Conversation, String>) {
        let ours = serde_json::from_str::<Conversation>(json).map_err(|e| e.to_string());
        let derived = serde_json::from_str::<Derived>(json)
            .map(Conversation::from)
            .map_err(|e| e.to_string());
        (ours, derived)
    }

    fn seeded() -> Vec<Conversation> {
        let forms = crate::forms::Forms::embedded().expect("forms");
        let dir = tempfile::tempdir().expect("dir");
        let store = crate::store::Store::open(&dir.path().join("s")).expect("store");
        crate::seed::generate(
            &store,
            &forms,
            &crate::seed::SeedOptions {
                people: 30,
                seed: 7,
            },
            &mut |_| {},
        )
        .expect("seed");
        store.conversations().expect("conversations")
    }

    #[test]
    fn every_seeded_conversation_reads_back_as_written_and_as_the_derived_reader_reads_it() {
        let all = seeded();
        assert!(all.len() > 40);
        let stages: std::collections::BTreeSet<_> = all.iter().map(|c| c.stage()).collect();
        assert_eq!(stages.len(), 3, "every stage is tried");
        for c in &all {
            let json = serde_json::to_string(c).expect("json");
            let (ours, derived) = both(&json);
            assert_eq!(ours.as_ref(), Ok(c));
            assert_eq!(ours, derived);
            // The outcomes before the stage (a hand-written record) read the same.
            let mut v: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(&json).expect("object");
            let outcomes = v.shift_remove("outcomes").expect("outcomes");
            let mut moved = serde_json::Map::new();
            moved.insert("outcomes".into(), outcomes);
            moved.extend(v);
            let json = serde_json::to_string(&moved).expect("json");
            assert_eq!(both(&json).0.as_ref(), Ok(c));
        }
    }

    #[test]
    fn odd_records_are_read_or_refused_as_the_derived_reader_does() {
        let base = r#""id":"0190a0c2-8a1b-7c3d-9e4f-123456789abc","person":"0190a0c2-8a1b-7c3d-9e4f-123456789abd","date":"2025-05-02","practitioner":"J. Byrne","form":"adult","form_version":1"#;
        for rest in [
            r#","stage":"assessment","outcomes":[{"outcome":"seeing_people"}]"#,
            r#","stage":"planning","review_by":"2025-09-01","outcomes":[]"#,
            r#","stage":"planning","review_by":null,"outcomes":[]"#,
            r#","stage":"review","review_by":"2025-09-01","outcomes":[]"#,
            r#","stage":"review","outcomes":[],"extra":{"a":[1,2]},"revision":4"#,
            r#","consent":null,"withdrawn":null,"stage":"review","outcomes":[]"#,
            r#","participants":["a","b"],"stage":"review","outcomes":[]"#,
            r#","stage":"assessment""#,
            r#","outcomes":[]"#,
            r#","stage":"nonsense","outcomes":[]"#,
            r#","stage":"review","outcomes":[{"outcome":5}]"#,
            r#","stage":"review","outcomes":{}"#,
            r#","stage":"review","stage":"review","outcomes":[]"#,
        ] {
            let json = format!("{{{base}{rest}}}");
            let (ours, derived) = both(&json);
            assert_eq!(
                ours.is_ok(),
                derived.is_ok(),
                "{rest}: {ours:?} / {derived:?}"
            );
            if ours.is_ok() {
                assert_eq!(ours, derived, "{rest}");
            }
        }
        let (ours, _) = both(&format!("{{{base}}}"));
        assert!(ours.is_err_and(|e| e.contains("missing field `stage`")));
        assert!(both("[1]").0.is_err() && both("null").0.is_err());
    }

    proptest! {
        #[test]
        fn any_bytes_are_refused_or_read_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = serde_json::from_slice::<Conversation>(&bytes);
        }
    }
}
