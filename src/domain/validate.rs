//! The checks a practitioner would expect before a record is kept. Each problem names
//! the field, so a message can point at exactly what to fix.

use super::{Conversation, Person, PersonKind, Stage, StageBody};
use crate::forms::{Forms, Framework, Vocab};
use chrono::NaiveDate;
use std::collections::HashSet;
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// A path into the record, such as `outcomes[1].status`.
    pub field: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

fn problem(field: impl Into<String>, message: impl Into<String>) -> Problem {
    Problem {
        field: field.into(),
        message: message.into(),
    }
}

/// The earliest date of birth accepted: older would be a typing slip.
pub fn earliest_dob() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default()
}

/// Checks a person before it is added. `known` says whether an id is a person already
/// in the store (for a carer's `cares_for`).
pub fn validate_person(
    p: &Person,
    today: NaiveDate,
    known: impl Fn(&super::Id) -> Option<PersonKind>,
) -> Vec<Problem> {
    let mut out = Vec::new();
    if p.name.trim().is_empty() {
        out.push(problem("name", "a name is needed"));
    }
    if p.name.chars().any(|c| c.is_control()) {
        out.push(problem("name", "the name contains a control character"));
    }
    if let Some(dob) = p.dob {
        if dob > today {
            out.push(problem(
                "dob",
                format!("date of birth {dob} is in the future"),
            ));
        } else if dob < earliest_dob() {
            out.push(problem(
                "dob",
                format!("date of birth {dob} is before 1900"),
            ));
        }
    }
    if let Some(cf) = p.cares_for {
        if p.kind != PersonKind::Carer {
            out.push(problem(
                "cares_for",
                "only a carer can name the person they care for",
            ));
        } else if cf == p.id {
            out.push(problem("cares_for", "a carer cannot care for themselves"));
        } else if known(&cf).is_none() {
            out.push(problem(
                "cares_for",
                format!("no person with id {cf} is in this store"),
            ));
        }
    }
    out
}

fn check_vocab(
    forms: &Forms,
    v: Vocab,
    values: &[String],
    field: &str,
    out: &mut Vec<Problem>,
) {
    let mut seen = HashSet::new();
    for (i, val) in values.iter().enumerate() {
        if !forms.vocab.contains(v, val) {
            out.push(problem(
                format!("{field}[{i}]"),
                format!(
                    "`{val}` is not a known {}; use one of {}",
                    v.key().replace('_', " "),
                    forms.vocab.ids(v).join(", ")
                ),
            ));
        } else if !seen.insert(val) {
            out.push(problem(format!("{field}[{i}]"), format!("`{val}` is listed twice")));
        }
    }
}

fn check_one(forms: &Forms, v: Vocab, value: &str, field: &str, out: &mut Vec<Problem>) {
    if !forms.vocab.contains(v, value) {
        out.push(problem(
            field,
            format!(
                "`{value}` is not a known {}; use one of {}",
                v.key().replace('_', " "),
                forms.vocab.ids(v).join(", ")
            ),
        ));
    }
}

fn check_date(d: NaiveDate, today: NaiveDate, field: &str, what: &str, out: &mut Vec<Problem>) {
    if d > today {
        out.push(problem(field, format!("{what} {d} is in the future")));
    } else if d < earliest_dob() {
        out.push(problem(field, format!("{what} {d} is before 1900")));
    }
}

/// Checks a conversation for `person` against the person's framework.
///
/// `earlier` is every other conversation of this person that is kept or being kept with
/// it (so a plan and its review can arrive in one file); only plans dated on or before
/// the review count.
pub fn validate_conversation(
    c: &Conversation,
    person: &Person,
    forms: &Forms,
    earlier: &[&Conversation],
    today: NaiveDate,
) -> Vec<Problem> {
    let mut out = Vec::new();
    let Some(fw) = forms.framework_for(person.kind) else {
        out.push(problem(
            "person",
            format!("the forms have no framework for {}s", person.kind),
        ));
        return out;
    };
    if c.person != person.id {
        out.push(problem("person", "the conversation is for a different person"));
    }
    check_date(c.date, today, "date", "the date", &mut out);
    if c.practitioner.trim().is_empty() {
        out.push(problem("practitioner", "say who held the conversation"));
    }
    check_vocab(forms, Vocab::Participants, &c.participants, "participants", &mut out);

    let ids = c.outcome_ids();
    if ids.is_empty() {
        out.push(problem("outcomes", "the conversation records no outcomes"));
    }
    let mut seen = HashSet::new();
    for (i, id) in ids.iter().enumerate() {
        let field = format!("outcomes[{i}].outcome");
        if fw.outcome(id).is_none() {
            out.push(problem(
                field,
                format!(
                    "`{id}` is not an outcome in the {} form ({}s)",
                    fw.id, person.kind
                ),
            ));
        } else if !seen.insert(*id) {
            out.push(problem(field, format!("`{id}` appears twice in one conversation")));
        }
    }

    match &c.body {
        StageBody::Assessment { outcomes } => {
            for (i, o) in outcomes.iter().enumerate() {
                check_vocab(
                    forms,
                    Vocab::Resources,
                    &o.resources,
                    &format!("outcomes[{i}].resources"),
                    &mut out,
                );
            }
        }
        StageBody::Planning { review_by, outcomes } => {
            if let Some(r) = review_by
                && *r < c.date
            {
                out.push(problem(
                    "review_by",
                    format!("the review date {r} is before the plan's date {}", c.date),
                ));
            }
            for (i, o) in outcomes.iter().enumerate() {
                if o.statement.trim().is_empty() {
                    out.push(problem(
                        format!("outcomes[{i}].statement"),
                        "a planned outcome needs a statement in the person's words",
                    ));
                }
                for (j, a) in o.actions.iter().enumerate() {
                    let f = format!("outcomes[{i}].actions[{j}]");
                    check_one(forms, Vocab::ActionOwners, &a.who, &format!("{f}.who"), &mut out);
                    if a.what.trim().is_empty() {
                        out.push(problem(format!("{f}.what"), "say what will be done"));
                    }
                    if let Some(by) = a.by
                        && by < c.date
                    {
                        out.push(problem(
                            format!("{f}.by"),
                            format!("{by} is before the plan's date {}", c.date),
                        ));
                    }
                }
            }
        }
        StageBody::Review { outcomes } => {
            let planned = planned_before(earlier, c.date);
            for (i, o) in outcomes.iter().enumerate() {
                let f = format!("outcomes[{i}]");
                if o.status.is_empty() {
                    out.push(problem(
                        format!("{f}.status"),
                        format!(
                            "a review needs a status: {}",
                            forms.vocab.ids(Vocab::ReviewStatus).join(", ")
                        ),
                    ));
                } else {
                    check_one(forms, Vocab::ReviewStatus, &o.status, &format!("{f}.status"), &mut out);
                }
                check_vocab(forms, Vocab::Contributors, &o.contributors, &format!("{f}.contributors"), &mut out);
                check_vocab(forms, Vocab::Barriers, &o.barriers, &format!("{f}.barriers"), &mut out);
                if let Some(n) = &o.next {
                    check_one(forms, Vocab::NextSteps, n, &format!("{f}.next"), &mut out);
                }
                if fw.outcome(&o.outcome).is_some()
                    && !fw.is_process(&o.outcome)
                    && !planned.contains(o.outcome.as_str())
                {
                    out.push(problem(
                        format!("{f}.outcome"),
                        format!(
                            "`{}` was never in a plan for this person on or before {}; review only planned outcomes (process outcomes excepted)",
                            o.outcome, c.date
                        ),
                    ));
                }
            }
        }
    }
    out
}

/// Outcome ids in any plan dated on or before `date`.
fn planned_before<'a>(earlier: &[&'a Conversation], date: NaiveDate) -> HashSet<&'a str> {
    earlier
        .iter()
        .filter(|e| e.stage() == Stage::Planning && e.date <= date)
        .flat_map(|e| e.outcome_ids())
        .collect()
}

/// The framework a conversation for this person is recorded against.
pub fn framework_for<'a>(forms: &'a Forms, person: &Person) -> Option<&'a Framework> {
    forms.framework_for(person.kind)
}
