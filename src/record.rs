//! The documented interchange format for `record`: conversations as JSON.
//!
//! Parsing walks the JSON by hand rather than through derived deserialisers so that
//! every problem names its place (`conversations[2].outcomes[0].status`) and unknown
//! fields are refused rather than silently dropped: a misspelt `own_word` must not lose
//! what a person said.

use crate::domain::{
    Action, AssessedOutcome, Consent, Conversation, Id, PlannedOutcome, Problem, ReviewedOutcome,
    Stage, StageBody, validate_conversation, validate_correction,
};
use crate::forms::Forms;
use chrono::NaiveDate;
use serde_json::{Map, Value};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    /// Where, as a JSON path (`conversations[1].date`).
    pub at: String,
    pub message: String,
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.at.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.at, self.message)
        }
    }
}

fn err<T>(at: impl Into<String>, message: impl Into<String>) -> Result<T, RecordError> {
    Err(RecordError {
        at: at.into(),
        message: message.into(),
    })
}

/// A conversation as read from the file, before it is matched to a person.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub id: Option<Id>,
    pub person: Id,
    pub form: Option<String>,
    pub date: NaiveDate,
    pub practitioner: String,
    pub participants: Vec<String>,
    pub consent: Option<Consent>,
    pub body: StageBody,
}

struct Obj<'a> {
    map: &'a Map<String, Value>,
    at: String,
}

impl<'a> Obj<'a> {
    fn new(v: &'a Value, at: String, what: &str) -> Result<Obj<'a>, RecordError> {
        match v.as_object() {
            Some(map) => Ok(Obj { map, at }),
            None => err(at, format!("expected {what} as a JSON object")),
        }
    }

    fn path(&self, field: &str) -> String {
        format!("{}.{field}", self.at)
    }

    fn only(&self, allowed: &[&str]) -> Result<(), RecordError> {
        for k in self.map.keys() {
            if !allowed.contains(&k.as_str()) {
                return err(
                    self.path(k),
                    format!("unknown field; expected one of {}", allowed.join(", ")),
                );
            }
        }
        Ok(())
    }

    fn get(&self, field: &str) -> Option<&'a Value> {
        self.map.get(field).filter(|v| !v.is_null())
    }

    fn string(&self, field: &str) -> Result<Option<String>, RecordError> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => err(self.path(field), "expected text in quotes"),
        }
    }

    fn text(&self, field: &str) -> Result<String, RecordError> {
        Ok(self.string(field)?.unwrap_or_default())
    }

    fn required(&self, field: &str) -> Result<String, RecordError> {
        match self.string(field)? {
            Some(s) => Ok(s),
            None => err(self.path(field), "is missing"),
        }
    }

    fn date(&self, field: &str) -> Result<Option<NaiveDate>, RecordError> {
        match self.string(field)? {
            None => Ok(None),
            Some(s) => parse_date(&s)
                .map(Some)
                .or_else(|m| err(self.path(field), m)),
        }
    }

    fn list(&self, field: &str) -> Result<Vec<String>, RecordError> {
        match self.get(field) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(i, v)| match v {
                    Value::String(s) => Ok(s.clone()),
                    _ => err(
                        format!("{}[{i}]", self.path(field)),
                        "expected text in quotes",
                    ),
                })
                .collect(),
            Some(_) => err(self.path(field), "expected a list such as [\"a\", \"b\"]"),
        }
    }

    fn array(&self, field: &str) -> Result<Option<&'a Vec<Value>>, RecordError> {
        match self.get(field) {
            None => Ok(None),
            Some(Value::Array(a)) => Ok(Some(a)),
            Some(_) => err(self.path(field), "expected a list"),
        }
    }

    fn boolean(&self, field: &str) -> Result<bool, RecordError> {
        match self.get(field) {
            None => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => err(self.path(field), "expected true or false"),
        }
    }
}

pub use crate::domain::dates::parse_date;

const COMMON: [&str; 10] = [
    "id",
    "consent",
    "person",
    "stage",
    "date",
    "practitioner",
    "participants",
    "outcomes",
    "form",
    "form_version",
];

fn parse_conversation(v: &Value, at: String) -> Result<Incoming, RecordError> {
    let o = Obj::new(v, at, "a conversation")?;
    let stage_s = o.required("stage")?;
    let Some(stage) = Stage::parse(stage_s.trim()) else {
        return err(
            o.path("stage"),
            format!(
                "`{}` is not a stage; use assessment, planning or review",
                crate::domain::quote(&stage_s)
            ),
        );
    };
    let mut allowed: Vec<&str> = COMMON.to_vec();
    allowed.push("revision");
    if stage == Stage::Planning {
        allowed.push("review_by");
    }
    o.only(&allowed)?;
    let id = match o.string("id")? {
        None => None,
        Some(s) => Some(s.parse::<Id>().or_else(|m| err(o.path("id"), m))?),
    };
    let person = o
        .required("person")?
        .parse::<Id>()
        .or_else(|m| err(o.path("person"), m))?;
    let Some(date) = o.date("date")? else {
        return err(o.path("date"), "is missing");
    };
    let practitioner = o.required("practitioner")?;
    let participants = o.list("participants")?;
    let consent = match o.get("consent") {
        None => None,
        Some(v) => {
            let x = Obj::new(v, o.path("consent"), "consent")?;
            x.only(&["record", "share"])?;
            if x.get("record").is_none() {
                return err(x.path("record"), "is missing: say true or false");
            }
            Some(Consent {
                record: x.boolean("record")?,
                share: x.boolean("share")?,
            })
        }
    };
    let Some(items) = o.array("outcomes")? else {
        return err(o.path("outcomes"), "is missing");
    };
    let oat = |i: usize| format!("{}[{i}]", o.path("outcomes"));
    let body = match stage {
        Stage::Assessment => StageBody::Assessment {
            outcomes: items
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let x = Obj::new(v, oat(i), "an outcome")?;
                    x.only(&[
                        "outcome",
                        "own_words",
                        "why",
                        "strengths",
                        "resources",
                        "priority",
                    ])?;
                    Ok(AssessedOutcome {
                        outcome: x.required("outcome")?,
                        own_words: x.text("own_words")?,
                        why: x.text("why")?,
                        strengths: x.text("strengths")?,
                        resources: x.list("resources")?,
                        priority: x.boolean("priority")?,
                    })
                })
                .collect::<Result<_, RecordError>>()?,
        },
        Stage::Planning => StageBody::Planning {
            review_by: o.date("review_by")?,
            outcomes: items
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let x = Obj::new(v, oat(i), "an outcome")?;
                    x.only(&["outcome", "statement", "actions"])?;
                    let actions = x
                        .array("actions")?
                        .map(|a| a.as_slice())
                        .unwrap_or_default()
                        .iter()
                        .enumerate()
                        .map(|(j, v)| {
                            let a =
                                Obj::new(v, format!("{}[{j}]", x.path("actions")), "an action")?;
                            a.only(&["who", "what", "by"])?;
                            Ok(Action {
                                who: a.required("who")?,
                                what: a.text("what")?,
                                by: a.date("by")?,
                            })
                        })
                        .collect::<Result<_, RecordError>>()?;
                    Ok(PlannedOutcome {
                        outcome: x.required("outcome")?,
                        statement: x.text("statement")?,
                        actions,
                    })
                })
                .collect::<Result<_, RecordError>>()?,
        },
        Stage::Review => StageBody::Review {
            outcomes: items
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let x = Obj::new(v, oat(i), "an outcome")?;
                    x.only(&[
                        "outcome",
                        "status",
                        "helped",
                        "contributors",
                        "hindered",
                        "barriers",
                        "own_words",
                        "next",
                    ])?;
                    Ok(ReviewedOutcome {
                        outcome: x.required("outcome")?,
                        status: x.required("status")?,
                        helped: x.text("helped")?,
                        contributors: x.list("contributors")?,
                        hindered: x.text("hindered")?,
                        barriers: x.list("barriers")?,
                        own_words: x.text("own_words")?,
                        next: x.string("next")?,
                    })
                })
                .collect::<Result<_, RecordError>>()?,
        },
    };
    Ok(Incoming {
        id,
        person,
        form: o.string("form")?,
        date,
        practitioner,
        participants,
        consent,
        body,
    })
}

/// Reads a `record` file: `{"conversations": [...]}`.
pub fn parse(text: &str) -> Result<Vec<Incoming>, RecordError> {
    let v: Value = crate::strict_json::from_str(text).or_else(|e| {
        err(
            "",
            format!(
                "the file is not valid JSON (line {}, column {}: {})",
                e.line(),
                e.column(),
                strip_position(&e.to_string())
            ),
        )
    })?;
    let top = Obj::new(&v, String::new(), "the file")?;
    if let Some(k) = top.map.keys().find(|k| *k != "conversations") {
        return err(
            k.clone(),
            "unknown field; the file holds only \"conversations\"",
        );
    }
    let Some(list) = top.array("conversations")? else {
        return err(
            "conversations",
            "is missing: the file must be {\"conversations\": [...]}",
        );
    };
    list.iter()
        .enumerate()
        .map(|(i, c)| parse_conversation(c, format!("conversations[{i}]")))
        .collect()
}

fn strip_position(s: &str) -> String {
    match s.find(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s.to_string(),
    }
}

/// What `prepare` needs to know from the store.
pub trait Lookup {
    fn person(&self, id: &Id) -> Result<Option<crate::domain::Person>, String>;
    fn conversations_of(&self, id: &Id) -> Result<Vec<Conversation>, String>;
    fn conversation(&self, id: &Id) -> Result<Option<Conversation>, String>;
}

impl Lookup for crate::store::Store {
    fn person(&self, id: &Id) -> Result<Option<crate::domain::Person>, String> {
        crate::store::Store::person(self, id).map_err(|e| e.to_string())
    }
    fn conversations_of(&self, id: &Id) -> Result<Vec<Conversation>, String> {
        crate::store::Store::conversations_of(self, id).map_err(|e| e.to_string())
    }
    fn conversation(&self, id: &Id) -> Result<Option<Conversation>, String> {
        crate::store::Store::conversation(self, id).map_err(|e| e.to_string())
    }
}

fn store_err(m: String) -> RecordError {
    RecordError {
        at: String::new(),
        message: m,
    }
}

/// Matches incoming conversations to people and their forms and checks every rule;
/// the first problem rejects the whole file.
pub fn prepare(
    incoming: Vec<Incoming>,
    forms: &Forms,
    store: &dyn Lookup,
    today: NaiveDate,
) -> Result<Vec<Conversation>, RecordError> {
    let mut out: Vec<Conversation> = Vec::with_capacity(incoming.len());
    let mut stored: HashMap<Id, Vec<Conversation>> = HashMap::new();
    for (i, inc) in incoming.into_iter().enumerate() {
        let at = format!("conversations[{i}]");
        let Some(person) = store.person(&inc.person).map_err(store_err)? else {
            return err(
                format!("{at}.person"),
                format!("no person with id {} is in this store", inc.person),
            );
        };
        let Some(fw) = forms.framework_for(person.kind) else {
            return err(
                format!("{at}.person"),
                format!("the forms have no framework for {}s", person.kind),
            );
        };
        if let Some(f) = &inc.form
            && f != &fw.id
        {
            return err(
                format!("{at}.form"),
                format!(
                    "`{f}` is not the form for {}s, which is `{}`",
                    person.kind, fw.id
                ),
            );
        }
        let (id, old) = match inc.id {
            None => (Id::new(), None),
            Some(id) => (id, store.conversation(&id).map_err(store_err)?),
        };
        if out.iter().any(|c| c.id == id) {
            return err(
                format!("{at}.id"),
                "the same conversation appears twice in the file",
            );
        }
        let c = Conversation {
            id,
            person: inc.person,
            date: inc.date,
            practitioner: inc.practitioner,
            participants: inc.participants,
            form: fw.id.clone(),
            form_version: fw.version,
            revision: 0,
            consent: inc.consent,
            withdrawn: None,
            body: inc.body,
        };
        if let std::collections::hash_map::Entry::Vacant(e) = stored.entry(inc.person) {
            e.insert(store.conversations_of(&inc.person).map_err(store_err)?);
        }
        let kept = stored
            .get(&inc.person)
            .map(|v| v.as_slice())
            .unwrap_or_default();
        // Earlier plans may be kept already or come earlier in this same file; a
        // conversation being replaced does not count as its own evidence.
        let earlier: Vec<&Conversation> = kept
            .iter()
            .filter(|k| k.id != c.id && !out.iter().any(|o| o.id == k.id))
            .chain(out.iter().filter(|o| o.person == c.person && o.id != c.id))
            .collect();
        let c = to_keep(c, old.as_ref(), &person, forms, &earlier, today)
            .or_else(|p| err(format!("{at}.{}", p.field), p.message))?;
        out.push(c);
    }
    Ok(out)
}

/// The one rule for keeping a conversation, whether it comes from `record` or from the
/// interface's editor. When `kept` is the version already in the store, the new one is
/// a correction: a withdrawn conversation cannot be corrected, a correction keeps its
/// person and stage, and it takes the next revision. Then it is checked against the
/// person's `earlier` conversations (which must not include it). Returns it ready to
/// save, or the first problem.
pub fn to_keep(
    mut c: Conversation,
    kept: Option<&Conversation>,
    person: &crate::domain::Person,
    forms: &Forms,
    earlier: &[&Conversation],
    today: NaiveDate,
) -> Result<Conversation, Problem> {
    c.revision = 0;
    if let Some(old) = kept {
        if old.withdrawn.is_some() {
            return Err(Problem {
                field: "id".into(),
                message: "that conversation was withdrawn as recorded in error and cannot be corrected; record it as a new conversation (leave out the id)".into(),
            });
        }
        if let Some(p) = validate_correction(old, &c).into_iter().next() {
            return Err(p);
        }
        c.revision = old.revision.saturating_add(1);
    }
    match validate_conversation(&c, person, forms, earlier, today)
        .into_iter()
        .next()
    {
        Some(p) => Err(p),
        None => Ok(c),
    }
}
