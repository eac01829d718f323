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
            out.push(problem("dob", "the date of birth is in the future"));
        } else if dob < earliest_dob() {
            out.push(problem("dob", "the date of birth is before 1900"));
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

/// Checks a service: every part of its name is given, without control characters.
pub fn validate_service(s: &super::Service) -> Vec<Problem> {
    let mut out = Vec::new();
    for (field, what, v) in [
        ("partnership", "partnership", &s.partnership),
        ("organisation", "organisation", &s.organisation),
        ("name", "service", &s.name),
    ] {
        if v.trim().is_empty() {
            out.push(problem(
                field,
                format!("the {what} name is empty; give a name"),
            ));
        } else if v.chars().any(|c| c.is_control()) {
            out.push(problem(field, "the name contains a control character"));
        }
    }
    out
}

fn check_vocab(forms: &Forms, v: Vocab, values: &[String], field: &str, out: &mut Vec<Problem>) {
    let mut seen = HashSet::new();
    for (i, val) in values.iter().enumerate() {
        if !forms.vocab.contains(v, val) {
            out.push(problem(
                format!("{field}[{i}]"),
                format!(
                    "`{}` is not a known {}; use one of {}",
                    super::quote(val),
                    v.key().replace('_', " "),
                    forms.vocab.ids(v).join(", ")
                ),
            ));
        } else if !seen.insert(val) {
            out.push(problem(
                format!("{field}[{i}]"),
                format!("`{}` is listed twice", super::quote(val)),
            ));
        }
    }
}

fn check_one(forms: &Forms, v: Vocab, value: &str, field: &str, out: &mut Vec<Problem>) {
    if !forms.vocab.contains(v, value) {
        out.push(problem(
            field,
            format!(
                "`{}` is not a known {}; use one of {}",
                super::quote(value),
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
        out.push(problem(
            "person",
            "the conversation is for a different person",
        ));
    }
    check_date(c.date, today, "date", "the date", &mut out);
    if c.practitioner.trim().is_empty() {
        out.push(problem("practitioner", "say who held the conversation"));
    }
    check_vocab(
        forms,
        Vocab::Participants,
        &c.participants,
        "participants",
        &mut out,
    );
    check_consent_and_withdrawal(c, person, &mut out);

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
                    "`{}` is not an outcome in the {} form ({}s)",
                    super::quote(id),
                    fw.id,
                    person.kind
                ),
            ));
        } else if !seen.insert(*id) {
            out.push(problem(
                field,
                format!("`{}` appears twice in one conversation", super::quote(id)),
            ));
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
        StageBody::Planning {
            review_by,
            outcomes,
        } => {
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
                    check_one(
                        forms,
                        Vocab::ActionOwners,
                        &a.who,
                        &format!("{f}.who"),
                        &mut out,
                    );
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
            let planned = planned_outcomes(earlier, c.date);
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
                    check_one(
                        forms,
                        Vocab::ReviewStatus,
                        &o.status,
                        &format!("{f}.status"),
                        &mut out,
                    );
                }
                check_vocab(
                    forms,
                    Vocab::Contributors,
                    &o.contributors,
                    &format!("{f}.contributors"),
                    &mut out,
                );
                check_vocab(
                    forms,
                    Vocab::Barriers,
                    &o.barriers,
                    &format!("{f}.barriers"),
                    &mut out,
                );
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
                            super::quote(&o.outcome),
                            c.date
                        ),
                    ));
                }
            }
        }
    }
    out
}

/// The participant id for the person a carer cares for.
pub const CARED_FOR: &str = "cared_for";

/// Whether someone of `kind` can have participant `id` take part in their conversation:
/// only a carer's conversation can have the person cared for taking part.
pub fn participant_allowed(kind: super::PersonKind, id: &str) -> bool {
    id != CARED_FOR || kind == super::PersonKind::Carer
}

/// Consent must include consent to record (without it nothing is kept); a withdrawal
/// says who and why; only a carer's conversation can have the person cared for taking
/// part.
fn check_consent_and_withdrawal(c: &Conversation, person: &Person, out: &mut Vec<Problem>) {
    if c.consent.is_some_and(|k| !k.record) {
        out.push(problem(
            "consent.record",
            "the person did not agree to the conversation being recorded, so it cannot be kept; record it only with their consent",
        ));
    }
    if let Some(w) = &c.withdrawn {
        if w.reason.trim().is_empty() {
            out.push(problem(
                "withdrawn.reason",
                "a withdrawal must say why the conversation was recorded in error",
            ));
        }
        if w.by.trim().is_empty() {
            out.push(problem("withdrawn.by", "a withdrawal must say who made it"));
        }
    }
    if c.participants
        .iter()
        .any(|p| !participant_allowed(person.kind, p))
    {
        out.push(problem(
            "participants",
            "only a carer's conversation can have the person cared for taking part; use another participant",
        ));
    }
}

/// Checks a correction: a new revision of a kept conversation may change what was said,
/// not whose conversation it is or which stage of the circuit it records.
pub fn validate_correction(old: &Conversation, new: &Conversation) -> Vec<Problem> {
    let mut out = Vec::new();
    if old.person != new.person {
        out.push(problem(
            "person",
            "that conversation belongs to a different person; a correction cannot move it",
        ));
    }
    if old.stage() != new.stage() {
        out.push(problem(
            "stage",
            format!(
                "a correction cannot change the stage (this conversation is {}); record a new conversation instead",
                old.stage()
            ),
        ));
    }
    out
}

/// Outcome ids in any plan dated on or before `date`: what a review on that date may
/// review. A plan withdrawn as recorded in error is no plan.
pub fn planned_outcomes<'a>(earlier: &[&'a Conversation], date: NaiveDate) -> HashSet<&'a str> {
    earlier
        .iter()
        .filter(|e| e.counts() && e.stage() == Stage::Planning && e.date <= date)
        .flat_map(|e| e.outcome_ids())
        .collect()
}

/// How many outcomes of the plan a review is of (the latest plan before it, by date and
/// then recording order: the roll-up's order) no review since that plan (this one
/// included) has covered: what a partial review leaves for later.
pub fn left_unreviewed(review: &Conversation, earlier: &[&Conversation]) -> usize {
    if review.stage() != Stage::Review {
        return 0;
    }
    let at = review.place();
    let Some(plan) = earlier
        .iter()
        .filter(|e| e.counts() && e.stage() == Stage::Planning && e.place() < at)
        .max_by_key(|e| e.place())
    else {
        return 0;
    };
    let others = earlier
        .iter()
        .copied()
        .filter(|e| e.counts() && e.stage() == Stage::Review && e.id != review.id);
    let reviews = others
        .chain(std::iter::once(review))
        .map(|e| (e.place(), e.outcome_id_iter()));
    let (_, left) = super::conversation::unreviewed_after(
        plan.place(),
        plan.outcome_id_iter(),
        reviews,
        NaiveDate::MAX,
    );
    left
}

/// The framework a conversation for this person is recorded against.
pub fn framework_for<'a>(forms: &'a Forms, person: &Person) -> Option<&'a Framework> {
    forms.framework_for(person.kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Action, AssessedOutcome, Id, PlannedOutcome, ReviewedOutcome, Service};

    fn forms() -> Forms {
        Forms::embedded().expect("embedded forms are sound")
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn today() -> NaiveDate {
        d("2026-11-23")
    }

    fn adult() -> Person {
        let svc = Service {
            id: Id::new(),
            name: "Reablement".into(),
            organisation: "Council".into(),
            partnership: "HSCP".into(),
        };
        Person {
            id: Id::new(),
            name: "Morag".into(),
            kind: PersonKind::Adult,
            service: svc.id,
            dob: Some(d("1941-03-09")),
            cares_for: None,
        }
    }

    fn conv(p: &Person, date: &str, body: StageBody) -> Conversation {
        Conversation {
            id: Id::new(),
            person: p.id,
            date: d(date),
            practitioner: "J. Byrne".into(),
            participants: vec!["person".into()],
            form: "adult".into(),
            form_version: 1,
            revision: 0,
            consent: None,
            withdrawn: None,
            body,
        }
    }

    fn assessment(p: &Person, outcome: &str) -> Conversation {
        conv(
            p,
            "2025-05-02",
            StageBody::Assessment {
                outcomes: vec![AssessedOutcome {
                    outcome: outcome.into(),
                    own_words: "I miss my walking group".into(),
                    ..Default::default()
                }],
            },
        )
    }

    fn plan(p: &Person, date: &str, outcome: &str) -> Conversation {
        conv(
            p,
            date,
            StageBody::Planning {
                review_by: Some(d("2025-08-01")),
                outcomes: vec![PlannedOutcome {
                    outcome: outcome.into(),
                    statement: "I want to get back to my walking group".into(),
                    actions: vec![Action {
                        who: "community".into(),
                        what: "a volunteer walks with me".into(),
                        by: Some(d("2025-06-01")),
                    }],
                }],
            },
        )
    }

    fn review(p: &Person, date: &str, outcome: &str, status: &str) -> Conversation {
        conv(
            p,
            date,
            StageBody::Review {
                outcomes: vec![ReviewedOutcome {
                    outcome: outcome.into(),
                    status: status.into(),
                    ..Default::default()
                }],
            },
        )
    }

    fn fields(problems: &[Problem]) -> Vec<&str> {
        problems.iter().map(|p| p.field.as_str()).collect()
    }

    #[test]
    fn a_sound_assessment_plan_and_review_pass() {
        let f = forms();
        let p = adult();
        let a = assessment(&p, "seeing_people");
        let pl = plan(&p, "2025-05-09", "seeing_people");
        let r = review(&p, "2025-08-01", "seeing_people", "partly_met");
        assert!(validate_conversation(&a, &p, &f, &[], today()).is_empty());
        assert!(validate_conversation(&pl, &p, &f, &[&a], today()).is_empty());
        assert!(validate_conversation(&r, &p, &f, &[&a, &pl], today()).is_empty());
    }

    #[test]
    fn dates_must_not_be_in_the_future() {
        let p = adult();
        let mut a = assessment(&p, "seeing_people");
        a.date = d("2026-11-24");
        assert_eq!(
            fields(&validate_conversation(&a, &p, &forms(), &[], today())),
            ["date"]
        );
        a.date = today();
        assert!(validate_conversation(&a, &p, &forms(), &[], today()).is_empty());
    }

    #[test]
    fn an_outcome_must_exist_in_the_persons_form() {
        let p = adult();
        let a = assessment(&p, "life_of_own"); // a carer outcome
        assert_eq!(
            fields(&validate_conversation(&a, &p, &forms(), &[], today())),
            ["outcomes[0].outcome"]
        );
        let mut carer = adult();
        carer.kind = PersonKind::Carer;
        let mut a = assessment(&carer, "life_of_own");
        a.form = "carer".into();
        assert!(validate_conversation(&a, &carer, &forms(), &[], today()).is_empty());
    }

    #[test]
    fn an_outcome_appears_once_per_conversation() {
        let p = adult();
        let mut a = assessment(&p, "seeing_people");
        if let StageBody::Assessment { outcomes } = &mut a.body {
            outcomes.push(outcomes[0].clone());
        }
        assert_eq!(
            fields(&validate_conversation(&a, &p, &forms(), &[], today())),
            ["outcomes[1].outcome"]
        );
    }

    #[test]
    fn a_review_needs_an_earlier_plan_except_for_process_outcomes() {
        let f = forms();
        let p = adult();
        let r = review(&p, "2025-08-01", "seeing_people", "met");
        assert_eq!(
            fields(&validate_conversation(&r, &p, &f, &[], today())),
            ["outcomes[0].outcome"]
        );
        // A plan dated after the review does not count.
        let late = plan(&p, "2025-09-01", "seeing_people");
        assert_eq!(
            fields(&validate_conversation(&r, &p, &f, &[&late], today())),
            ["outcomes[0].outcome"]
        );
        // A plan for another outcome does not count either.
        let other = plan(&p, "2025-05-01", "mobility");
        assert_eq!(
            fields(&validate_conversation(&r, &p, &f, &[&other], today())),
            ["outcomes[0].outcome"]
        );
        // Same-day plan counts.
        let same = plan(&p, "2025-08-01", "seeing_people");
        assert!(validate_conversation(&r, &p, &f, &[&same], today()).is_empty());
        // Process outcomes are asked at review without a plan.
        for process in [
            "listened_to",
            "having_a_say",
            "treated_with_respect",
            "responded_to",
            "reliability",
        ] {
            let r = review(&p, "2025-08-01", process, "met");
            assert!(
                validate_conversation(&r, &p, &f, &[], today()).is_empty(),
                "{process}"
            );
        }
    }

    #[test]
    fn a_withdrawn_plan_is_no_ground_for_a_review() {
        let f = forms();
        let p = adult();
        let r = review(&p, "2025-08-01", "seeing_people", "met");
        let pl = plan(&p, "2025-05-09", "seeing_people")
            .withdraw("Ali", "2025-06-01T00:00:00Z", "wrong person")
            .expect("withdrawn");
        // The plan was recorded in error, so there was no plan to review.
        assert_eq!(
            fields(&validate_conversation(&r, &p, &f, &[&pl], today())),
            ["outcomes[0].outcome"]
        );
        assert!(planned_outcomes(&[&pl], d("2025-08-01")).is_empty());
    }

    #[test]
    fn a_review_is_of_the_plan_recorded_before_it_even_on_the_same_day() {
        let p = adult();
        let old = plan(&p, "2025-05-09", "seeing_people");
        let first = review(&p, "2025-08-01", "seeing_people", "met");
        let new = plan(&p, "2025-08-01", "mobility");
        // Corrected after the new plan was made, the day's review is still of the old
        // plan, which it covered in full.
        assert_eq!(left_unreviewed(&first, &[&old, &new]), 0);
        // A review recorded after the new plan that day is of the new plan; the earlier
        // review does not count towards it.
        let later = review(&p, "2025-08-01", "seeing_people", "met");
        assert_eq!(left_unreviewed(&later, &[&old, &first, &new]), 1);
    }

    #[test]
    fn a_partial_review_counts_what_it_leaves_for_later() {
        let p = adult();
        let mut pl = plan(&p, "2025-05-09", "seeing_people");
        let two = plan(&p, "2025-05-09", "mobility");
        if let (StageBody::Planning { outcomes, .. }, StageBody::Planning { outcomes: more, .. }) =
            (&mut pl.body, two.body)
        {
            outcomes.extend(more);
        }
        let first = review(&p, "2025-08-01", "seeing_people", "met");
        assert_eq!(left_unreviewed(&first, &[&pl]), 1);
        // A later review that covers the rest leaves nothing; one that repeats the
        // first leaves the same.
        let rest = review(&p, "2025-08-02", "mobility", "partly_met");
        assert_eq!(left_unreviewed(&rest, &[&pl, &first]), 0);
        let again = review(&p, "2025-08-02", "seeing_people", "met");
        assert_eq!(left_unreviewed(&again, &[&pl, &first]), 1);
        // A review before any plan, or of a withdrawn plan, leaves nothing planned.
        assert_eq!(left_unreviewed(&first, &[]), 0);
        let gone = pl
            .withdraw("Ali", "2025-06-01T00:00:00Z", "wrong person")
            .unwrap();
        assert_eq!(left_unreviewed(&first, &[&gone]), 0);
    }

    #[test]
    fn a_planned_outcome_needs_a_statement_and_sound_actions() {
        let p = adult();
        let mut pl = plan(&p, "2025-05-09", "seeing_people");
        if let StageBody::Planning {
            outcomes,
            review_by,
        } = &mut pl.body
        {
            outcomes[0].statement = "  ".into();
            outcomes[0].actions[0].who = "neighbour".into();
            outcomes[0].actions[0].what = String::new();
            outcomes[0].actions[0].by = Some(d("2025-01-01"));
            *review_by = Some(d("2025-05-01"));
        }
        assert_eq!(
            fields(&validate_conversation(&pl, &p, &forms(), &[], today())),
            [
                "review_by",
                "outcomes[0].statement",
                "outcomes[0].actions[0].who",
                "outcomes[0].actions[0].what",
                "outcomes[0].actions[0].by"
            ]
        );
    }

    #[test]
    fn statuses_and_tags_come_from_the_vocabularies() {
        let f = forms();
        let p = adult();
        let pl = plan(&p, "2025-05-09", "seeing_people");
        let mut r = review(&p, "2025-08-01", "seeing_people", "sort_of");
        if let StageBody::Review { outcomes } = &mut r.body {
            outcomes[0].contributors = vec!["person".into(), "luck".into()];
            outcomes[0].barriers = vec!["transport".into(), "transport".into()];
            outcomes[0].next = Some("later".into());
        }
        r.participants = vec!["person".into(), "cat".into()];
        assert_eq!(
            fields(&validate_conversation(&r, &p, &f, &[&pl], today())),
            [
                "participants[1]",
                "outcomes[0].status",
                "outcomes[0].contributors[1]",
                "outcomes[0].barriers[1]",
                "outcomes[0].next"
            ]
        );
        let mut r = review(&p, "2025-08-01", "seeing_people", "");
        r.participants.clear();
        assert_eq!(
            fields(&validate_conversation(&r, &p, &f, &[&pl], today())),
            ["outcomes[0].status"]
        );
        let mut a = assessment(&p, "seeing_people");
        if let StageBody::Assessment { outcomes } = &mut a.body {
            outcomes[0].resources = vec!["money".into()];
        }
        assert_eq!(
            fields(&validate_conversation(&a, &p, &f, &[], today())),
            ["outcomes[0].resources[0]"]
        );
    }

    #[test]
    fn a_conversation_needs_a_practitioner_and_an_outcome() {
        let p = adult();
        let mut a = conv(&p, "2025-05-02", StageBody::Assessment { outcomes: vec![] });
        a.practitioner = " ".into();
        assert_eq!(
            fields(&validate_conversation(&a, &p, &forms(), &[], today())),
            ["practitioner", "outcomes"]
        );
    }

    #[test]
    fn service_rules() {
        let mut s = Service {
            id: Id::new(),
            name: "Reablement".into(),
            organisation: "Council".into(),
            partnership: "HSCP".into(),
        };
        assert!(validate_service(&s).is_empty());
        s.name = " ".into();
        s.partnership = "HS\u{1b}[2JCP".into();
        let found = validate_service(&s);
        assert_eq!(fields(&found), ["partnership", "name"]);
        assert_eq!(found[1].message, "the service name is empty; give a name");
    }

    #[test]
    fn person_rules() {
        let t = today();
        let mut p = adult();
        assert!(validate_person(&p, t, |_| None).is_empty());
        p.dob = Some(d("2027-01-01"));
        assert_eq!(fields(&validate_person(&p, t, |_| None)), ["dob"]);
        p.dob = Some(d("1850-01-01"));
        assert_eq!(fields(&validate_person(&p, t, |_| None)), ["dob"]);
        p.dob = None;
        p.name = "".into();
        assert_eq!(fields(&validate_person(&p, t, |_| None)), ["name"]);
        p.name = "Iain".into();
        let cared = Id::new();
        p.cares_for = Some(cared);
        // An adult cannot name a cared-for person.
        assert_eq!(
            fields(&validate_person(&p, t, |_| Some(PersonKind::Adult))),
            ["cares_for"]
        );
        p.kind = PersonKind::Carer;
        assert!(validate_person(&p, t, |_| Some(PersonKind::Adult)).is_empty());
        assert_eq!(fields(&validate_person(&p, t, |_| None)), ["cares_for"]);
        p.cares_for = Some(p.id);
        assert_eq!(
            fields(&validate_person(&p, t, |_| Some(PersonKind::Carer))),
            ["cares_for"]
        );
    }
}
