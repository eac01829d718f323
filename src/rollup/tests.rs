//! Roll-up tests on small hand-built fixtures, with the expected numbers worked out by
//! hand in the comments, and one over seeded data.

use super::*;
use crate::domain::{
    Conversation, Id, Person, PersonKind, PlannedOutcome, ReviewedOutcome, Service, StageBody,
};
use crate::forms::Forms;
use chrono::NaiveDate;

fn forms() -> Forms {
    Forms::embedded().expect("embedded forms are sound")
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("a real date")
}

/// A fixture: services, people and conversations with ids that sort in the order the
/// records are made.
#[derive(Default)]
struct Fx {
    services: Vec<Service>,
    people: Vec<Person>,
    convs: Vec<Conversation>,
    next: u64,
}

/// One reviewed outcome: (outcome, status, next step, barriers, contributors).
type Rv<'a> = (
    &'a str,
    &'a str,
    Option<&'a str>,
    &'a [&'a str],
    &'a [&'a str],
);

impl Fx {
    fn id(&mut self) -> Id {
        self.next += 1;
        Id::from_parts(1_700_000_000_000 + self.next, [0; 10])
    }

    fn service(&mut self, name: &str, org: &str, partnership: &str) -> Id {
        let id = self.id();
        self.services.push(Service {
            id,
            name: name.into(),
            organisation: org.into(),
            partnership: partnership.into(),
        });
        id
    }

    fn person(&mut self, service: Id, kind: PersonKind) -> Id {
        let id = self.id();
        self.people.push(Person {
            id,
            name: format!("Person {}", self.next),
            kind,
            service,
            dob: None,
            cares_for: None,
        });
        id
    }

    fn adult(&mut self, service: Id) -> Id {
        self.person(service, PersonKind::Adult)
    }

    fn carer(&mut self, service: Id) -> Id {
        self.person(service, PersonKind::Carer)
    }

    fn form_of(&self, person: Id) -> &'static str {
        match self.people.iter().find(|p| p.id == person).map(|p| p.kind) {
            Some(PersonKind::Carer) => "carer",
            _ => "adult",
        }
    }

    fn push(&mut self, person: Id, date: NaiveDate, body: StageBody) {
        let id = self.id();
        let form = self.form_of(person).to_string();
        self.convs.push(Conversation {
            id,
            person,
            date,
            practitioner: "A. Practitioner".into(),
            participants: Vec::new(),
            form,
            form_version: 1,
            revision: 0,
            consent: None,
            withdrawn: None,
            body,
        });
    }

    fn plan(&mut self, person: Id, date: NaiveDate, review_by: Option<NaiveDate>, os: &[&str]) {
        let outcomes = os
            .iter()
            .map(|o| PlannedOutcome {
                outcome: o.to_string(),
                statement: format!("I want {o}"),
                actions: Vec::new(),
            })
            .collect();
        self.push(
            person,
            date,
            StageBody::Planning {
                review_by,
                outcomes,
            },
        );
    }

    fn review(&mut self, person: Id, date: NaiveDate, os: &[Rv]) {
        let outcomes = os
            .iter()
            .map(
                |(o, status, next, barriers, contributors)| ReviewedOutcome {
                    outcome: o.to_string(),
                    status: status.to_string(),
                    next: next.map(str::to_string),
                    barriers: barriers.iter().map(|s| s.to_string()).collect(),
                    contributors: contributors.iter().map(|s| s.to_string()).collect(),
                    ..Default::default()
                },
            )
            .collect();
        self.push(person, date, StageBody::Review { outcomes });
    }

    /// A review of one outcome with a status and nothing else.
    fn rated(&mut self, person: Id, date: NaiveDate, outcome: &str, status: &str) {
        self.review(person, date, &[(outcome, status, None, &[], &[])]);
    }

    fn run(
        &self,
        level: Level,
        unit: Option<&str>,
        period: &str,
        today: NaiveDate,
    ) -> Result<Vec<UnitReport>, String> {
        roll_up(
            &forms(),
            &self.services,
            &self.people,
            &self.convs,
            level,
            unit,
            &Period::parse(period)?,
            today,
        )
    }

    /// The single report of a service-level roll-up of everything.
    fn one(&self, period: &str, today: NaiveDate) -> UnitReport {
        let mut r = self
            .run(Level::Service, None, period, today)
            .expect("rolls up");
        assert_eq!(r.len(), 1);
        r.remove(0)
    }
}

fn row<'a>(r: &'a UnitReport, id: &str) -> &'a OutcomeRow {
    r.rows
        .iter()
        .find(|x| x.outcome_id == id)
        .unwrap_or_else(|| panic!("no row {id}"))
}

fn counts(planned: u64, met: u64, partly: u64, not: u64, nlr: u64) -> Counts {
    Counts {
        people_planned: planned,
        reviewed: met + partly + not + nlr,
        met,
        partly_met: partly,
        not_met: not,
        no_longer_relevant: nlr,
    }
}

fn measure<'a>(r: &'a UnitReport, id: &str) -> &'a Measure {
    r.measures
        .iter()
        .find(|m| m.id == id)
        .unwrap_or_else(|| panic!("no measure {id}"))
}

fn today() -> NaiveDate {
    d(2026, 5, 1)
}

#[test]
fn the_latest_review_in_the_period_counts_once_per_person() {
    let mut fx = Fx::default();
    let s = fx.service("Reablement", "Council", "Partnership");
    // A: two reviews in 2025-26; the later (met) wins over the earlier (not met).
    let a = fx.adult(s);
    fx.plan(a, d(2025, 4, 10), None, &["feeling_safe"]);
    fx.rated(a, d(2025, 6, 2), "feeling_safe", "not_met");
    fx.rated(a, d(2025, 9, 1), "feeling_safe", "met");
    // B: partly met in the period; a not-met review in April 2026 is outside it.
    let b = fx.adult(s);
    fx.plan(b, d(2025, 4, 10), None, &["feeling_safe"]);
    fx.rated(b, d(2025, 7, 1), "feeling_safe", "partly_met");
    fx.rated(b, d(2026, 4, 6), "feeling_safe", "not_met");
    // C: reviewed (met) only before the period: planned, not reviewed.
    let c = fx.adult(s);
    fx.plan(c, d(2024, 10, 1), None, &["feeling_safe"]);
    fx.rated(c, d(2025, 3, 20), "feeling_safe", "met");
    // E: two reviews on the same day: the one recorded later (not met) wins.
    let e = fx.adult(s);
    fx.plan(e, d(2025, 4, 10), None, &["feeling_safe"]);
    fx.rated(e, d(2025, 8, 4), "feeling_safe", "met");
    fx.rated(e, d(2025, 8, 4), "feeling_safe", "not_met");
    // Conversations in any order give the same answer.
    fx.convs.reverse();

    let r = fx.one("2025-26", today());
    // planned A B C E = 4; reviewed A (met), B (partly), E (not) = 3.
    assert_eq!(row(&r, "feeling_safe").counts, counts(4, 1, 1, 1, 0));
    assert_eq!(row(&r, "feeling_safe").counts.met_pct(), Some(33.3));
    assert_eq!(r.people, 4);
    // Every other outcome is there, with nothing counted.
    assert_eq!(row(&r, "seeing_people").counts, Counts::default());

    // 2024-25: only C's March review counts.
    let r = fx.one("2024-25", today());
    assert_eq!(row(&r, "feeling_safe").counts, counts(1, 1, 0, 0, 0));
    // Quarter 2 (July–September): A met (1 Sep), B partly (1 Jul), E not met (4 Aug).
    let r = fx.one("2025-26-Q2", today());
    assert_eq!(row(&r, "feeling_safe").counts, counts(4, 1, 1, 1, 0));
    // Quarter 1 (April–June): only A's not met (2 June).
    let r = fx.one("2025-26-Q1", today());
    assert_eq!(row(&r, "feeling_safe").counts, counts(4, 0, 0, 1, 0));
    // A date range taking in only A's June review and B's July one.
    let r = fx.one("2025-06-01..2025-07-31", today());
    assert_eq!(row(&r, "feeling_safe").counts, counts(4, 0, 1, 1, 0));
}

#[test]
fn no_longer_relevant_is_out_of_met_pct() {
    let mut fx = Fx::default();
    let s = fx.service("Home Care", "Council", "Partnership");
    for status in ["met", "met", "not_met", "no_longer_relevant"] {
        let p = fx.adult(s);
        fx.plan(p, d(2025, 5, 1), None, &["seeing_people"]);
        fx.rated(p, d(2025, 10, 1), "seeing_people", status);
    }
    let r = fx.one("2025-26", today());
    let c = row(&r, "seeing_people").counts;
    assert_eq!(c, counts(4, 2, 0, 1, 1));
    // 2 / (2 + 0 + 1) = 66.7, not 2 / 4 = 50.
    assert_eq!(c.met_pct(), Some(66.7));
    // Only no longer relevant: reviewed, but no percentage.
    let mut fx = Fx::default();
    let s = fx.service("Home Care", "Council", "Partnership");
    let p = fx.adult(s);
    fx.plan(p, d(2025, 5, 1), None, &["seeing_people"]);
    fx.rated(p, d(2025, 10, 1), "seeing_people", "no_longer_relevant");
    let c = row(&fx.one("2025-26", today()), "seeing_people").counts;
    assert_eq!((c.reviewed, c.met_pct()), (1, None));
}

#[test]
fn met_pct_rounds_half_away_from_zero_to_one_decimal() {
    let pct = |met, partly, not| counts(0, met, partly, not, 0).met_pct();
    assert_eq!(pct(1, 7, 0), Some(12.5)); // 12.5 exactly
    assert_eq!(pct(1, 15, 0), Some(6.3)); // 6.25 → 6.3 (binary floats would give 6.2)
    assert_eq!(pct(1, 1599, 0), Some(0.1)); // 0.0625 → 0.1
    assert_eq!(pct(1, 2, 0), Some(33.3));
    assert_eq!(pct(2, 0, 1), Some(66.7));
    assert_eq!(pct(5, 0, 0), Some(100.0));
    assert_eq!(pct(0, 3, 4), Some(0.0));
    assert_eq!(pct(0, 0, 0), None);
    assert_eq!(pct(1, 0, 1999), Some(0.1)); // 0.05 → 0.1
    assert_eq!(pct(1, 0, 2000), Some(0.0)); // 0.04998 → 0.0
    assert_eq!(pct(u64::MAX / 4, u64::MAX / 4, 0), Some(50.0));
    assert_eq!(pct_1dp(7, 0), None);
}

#[test]
fn people_planned_follows_plans_and_closes() {
    let mut fx = Fx::default();
    let s = fx.service("Reablement", "Council", "Partnership");
    // Closed before the period: not planned.
    let a = fx.adult(s);
    fx.plan(a, d(2024, 5, 1), None, &["staying_well"]);
    fx.review(
        a,
        d(2025, 2, 3),
        &[("staying_well", "met", Some("close"), &[], &[])],
    );
    // Closed within the period: still planned (and reviewed, met).
    let b = fx.adult(s);
    fx.plan(b, d(2024, 5, 1), None, &["staying_well"]);
    fx.review(
        b,
        d(2025, 5, 1),
        &[("staying_well", "met", Some("close"), &[], &[])],
    );
    // Closed, then planned again: planned.
    let c = fx.adult(s);
    fx.plan(c, d(2024, 5, 1), None, &["staying_well"]);
    fx.review(
        c,
        d(2025, 2, 3),
        &[("staying_well", "met", Some("close"), &[], &[])],
    );
    fx.plan(c, d(2025, 6, 2), None, &["staying_well"]);
    // Continued before the period: still planned.
    let e = fx.adult(s);
    fx.plan(e, d(2024, 5, 1), None, &["staying_well"]);
    fx.review(
        e,
        d(2025, 2, 3),
        &[("staying_well", "partly_met", Some("continue"), &[], &[])],
    );
    // Planned only after the period: not planned.
    let f = fx.adult(s);
    fx.plan(f, d(2026, 5, 1), None, &["staying_well"]);
    // Process outcome: reviewed without a plan.
    let g = fx.adult(s);
    fx.rated(g, d(2025, 8, 8), "listened_to", "met");

    let r = fx.one("2025-26", today());
    assert_eq!(row(&r, "staying_well").counts, counts(3, 1, 0, 0, 0));
    assert_eq!(row(&r, "listened_to").counts, counts(0, 1, 0, 0, 0));
    // In 2024-25, A, B, C and E were all planned and not yet closed at its start.
    let r = fx.one("2024-25", today());
    assert_eq!(
        row(&r, "staying_well").counts,
        counts(4, 2, 0, 0, 0).with_partly(1)
    );
}

impl Counts {
    fn with_partly(mut self, n: u64) -> Counts {
        self.partly_met += n;
        self.reviewed += n;
        self
    }
}

#[test]
fn barriers_and_contributors_come_from_the_counted_reviews() {
    let mut fx = Fx::default();
    let s = fx.service("Reablement", "Council", "Partnership");
    let a = fx.adult(s);
    fx.plan(a, d(2025, 4, 10), None, &["mobility"]);
    fx.review(
        a,
        d(2025, 6, 2),
        &[("mobility", "not_met", None, &["housing"], &["person"])],
    );
    fx.review(
        a,
        d(2025, 9, 2),
        &[(
            "mobility",
            "partly_met",
            None,
            &["money", "transport"],
            &["services", "person"],
        )],
    );
    let b = fx.adult(s);
    fx.plan(b, d(2025, 4, 10), None, &["mobility"]);
    fx.review(
        b,
        d(2025, 9, 9),
        &[(
            "mobility",
            "partly_met",
            None,
            &["transport"],
            &["services"],
        )],
    );
    let r = fx.one("2025-26", today());
    let m = row(&r, "mobility");
    // A's June review (housing) is superseded by September's.
    let expect = |v: &[(&str, u64)]| -> Vec<(String, u64)> {
        v.iter().map(|(k, n)| (k.to_string(), *n)).collect()
    };
    assert_eq!(m.barriers, expect(&[("transport", 2), ("money", 1)]));
    assert_eq!(m.contributors, expect(&[("services", 2), ("person", 1)]));
    assert_eq!(m.counts, counts(2, 0, 2, 0, 0));
}

#[test]
fn an_outcome_mapped_to_two_national_outcomes_counts_in_both() {
    let mut fx = Fx::default();
    let s = fx.service("Day Services", "Council", "Glenmore");
    let a = fx.adult(s);
    // seeing_people → 2 and 4; living_as_you_want → 2; feeling_safe → 7.
    fx.plan(
        a,
        d(2025, 4, 10),
        None,
        &["seeing_people", "living_as_you_want", "feeling_safe"],
    );
    fx.review(
        a,
        d(2025, 10, 1),
        &[
            ("seeing_people", "met", None, &["transport"], &[]),
            ("living_as_you_want", "not_met", None, &["housing"], &[]),
            ("feeling_safe", "partly_met", None, &[], &[]),
        ],
    );
    let c = fx.carer(s);
    // accessible_available (a carer process outcome) → 3, 6 and 9.
    fx.rated(c, d(2025, 11, 3), "accessible_available", "met");

    let reports = fx.run(Level::National, None, "2025-26", today()).unwrap();
    assert_eq!(reports.len(), 1);
    let r = &reports[0];
    assert_eq!((r.level, r.unit.as_str()), (Level::National, "Glenmore"));
    let ids: Vec<&str> = r.rows.iter().map(|x| x.outcome_id.as_str()).collect();
    assert_eq!(ids, ["1", "2", "3", "4", "5", "6", "7", "8", "9"]);
    assert!(r.rows[0].label.starts_with("People are able to look after"));
    let c = |n: &str| row(r, n).counts;
    // 2: seeing_people (met) + living_as_you_want (not met).
    assert_eq!(c("2"), counts(2, 1, 0, 1, 0));
    // 4: seeing_people again.
    assert_eq!(c("4"), counts(1, 1, 0, 0, 0));
    assert_eq!(c("7"), counts(1, 0, 1, 0, 0));
    for n in ["3", "6", "9"] {
        assert_eq!(c(n), counts(0, 1, 0, 0, 0), "national outcome {n}");
    }
    assert_eq!(c("1"), Counts::default());
    assert_eq!(c("5"), Counts::default());
    assert_eq!(row(r, "2").barriers.len(), 2);
    assert_eq!(row(r, "2").national, vec![2]);
    assert!(
        r.notes.iter().any(|n| n.contains("counts in both")),
        "{:?}",
        r.notes
    );
    // The service view has no such note.
    assert!(fx.one("2025-26", today()).notes.is_empty());
}

#[test]
fn overdue_reviews_and_plans_reviewed_on_time() {
    let mut fx = Fx::default();
    let s = fx.service("Reablement", "Council", "Partnership");
    let today = d(2025, 12, 1);
    let plan = |fx: &mut Fx, p, date, rb| fx.plan(p, date, Some(rb), &["mobility"]);
    // P1: due 1 Aug, never reviewed: overdue; due, late.
    let p1 = fx.adult(s);
    plan(&mut fx, p1, d(2025, 5, 1), d(2025, 8, 1));
    // P2: reviewed 15 July: on time.
    let p2 = fx.adult(s);
    plan(&mut fx, p2, d(2025, 5, 1), d(2025, 8, 1));
    fx.rated(p2, d(2025, 7, 15), "mobility", "met");
    // P3: reviewed 10 September: not overdue now, but late.
    let p3 = fx.adult(s);
    plan(&mut fx, p3, d(2025, 5, 1), d(2025, 8, 1));
    fx.rated(p3, d(2025, 9, 10), "mobility", "met");
    // P4: due after today: neither overdue nor due yet.
    let p4 = fx.adult(s);
    plan(&mut fx, p4, d(2025, 5, 1), d(2026, 1, 15));
    // P5: due before the period and still not reviewed: overdue; not due in the period.
    let p5 = fx.adult(s);
    plan(&mut fx, p5, d(2024, 1, 10), d(2024, 4, 10));
    // P6: a first plan due 1 June went unreviewed, but a new plan (due February) replaced
    // it: not overdue (as on the caseload); the first plan is due and was late.
    let p6 = fx.adult(s);
    plan(&mut fx, p6, d(2025, 4, 7), d(2025, 6, 2));
    plan(&mut fx, p6, d(2025, 6, 20), d(2026, 2, 2));
    // P7: two plans, neither reviewed: overdue once (people are counted); two plans due.
    let p7 = fx.adult(s);
    plan(&mut fx, p7, d(2025, 4, 2), d(2025, 5, 1));
    plan(&mut fx, p7, d(2025, 5, 12), d(2025, 6, 10));
    // P8: reviewed on the agreed date itself: on time.
    let p8 = fx.adult(s);
    plan(&mut fx, p8, d(2025, 5, 1), d(2025, 8, 1));
    fx.rated(p8, d(2025, 8, 1), "mobility", "met");

    let r = fx.one("2025-26", today);
    assert_eq!(r.as_of, today);
    assert_eq!(r.overdue_reviews, 3, "P1, P5, P7");
    // Due: P1, P2, P3, P6 (first), P7 (both), P8 = 7; on time: P2, P8.
    assert_eq!((r.plans_due, r.plans_reviewed_on_time), (7, 2));
    assert_eq!(r.plans_on_time_pct(), Some(28.6));
    assert!(
        r.measures.iter().all(|m| m.id != "plans_on_time"),
        "the figure is not repeated as a local measure under another name"
    );

    // Quarter 1 (April–June), looked at on 1 December: counted as at 30 June.
    let r = fx.one("2025-26-Q1", today);
    assert_eq!(r.as_of, d(2025, 6, 30));
    // P5 and P7 (plan due 10 June); P1's plan was not yet due by 30 June; P6's latest
    // plan by then is the one due in February.
    assert_eq!(r.overdue_reviews, 2);
    // Due in Q1: P6's first and both of P7's; none reviewed on time.
    assert_eq!((r.plans_due, r.plans_reviewed_on_time), (3, 0));
}

#[test]
fn organisations_and_partnerships_group_their_services() {
    let mut fx = Fx::default();
    let s1 = fx.service("Reablement", "Glenmore Council", "Glenmore HSCP");
    let s2 = fx.service("Home Care", "Glenmore Council", "Glenmore HSCP");
    let s3 = fx.service("District Nursing", "NHS Glenmore", "Glenmore HSCP");
    let s4 = fx.service("Carers Centre", "Carers Trust", "Ardmore HSCP");
    for (s, status) in [
        (s1, "met"),
        (s1, "not_met"),
        (s2, "met"),
        (s3, "partly_met"),
        (s4, "met"),
    ] {
        let p = fx.adult(s);
        fx.plan(p, d(2025, 5, 1), None, &["feeling_safe"]);
        fx.rated(p, d(2025, 9, 1), "feeling_safe", status);
    }
    let units = |level, unit| -> Vec<(String, u64, Counts)> {
        fx.run(level, unit, "2025-26", today())
            .unwrap()
            .into_iter()
            .map(|r| {
                let c = row(&r, "feeling_safe").counts;
                (r.unit, r.people, c)
            })
            .collect()
    };
    let u = |n: &str, people, c| (n.to_string(), people, c);
    assert_eq!(
        units(Level::Service, None),
        [
            u("Carers Centre", 1, counts(1, 1, 0, 0, 0)),
            u("District Nursing", 1, counts(1, 0, 1, 0, 0)),
            u("Home Care", 1, counts(1, 1, 0, 0, 0)),
            u("Reablement", 2, counts(2, 1, 0, 1, 0)),
        ]
    );
    assert_eq!(
        units(Level::Organisation, None),
        [
            u("Carers Trust", 1, counts(1, 1, 0, 0, 0)),
            u("Glenmore Council", 3, counts(3, 2, 0, 1, 0)),
            u("NHS Glenmore", 1, counts(1, 0, 1, 0, 0)),
        ]
    );
    assert_eq!(
        units(Level::Partnership, None),
        [
            u("Ardmore HSCP", 1, counts(1, 1, 0, 0, 0)),
            u("Glenmore HSCP", 4, counts(4, 2, 1, 1, 0)),
        ]
    );
    // One unit by name, matched without regard to case.
    assert_eq!(
        units(Level::Organisation, Some("  glenmore COUNCIL ")),
        [u("Glenmore Council", 3, counts(3, 2, 0, 1, 0))]
    );
    let national = fx.run(Level::National, Some("ardmore hscp"), "2025-26", today());
    let national = national.unwrap();
    assert_eq!(national.len(), 1);
    assert_eq!(national[0].unit, "Ardmore HSCP");
    assert_eq!(row(&national[0], "7").counts, counts(1, 1, 0, 0, 0));
    // An unknown unit names those there are.
    let e = fx
        .run(Level::Organisation, Some("NHS Ardmore"), "2025-26", today())
        .unwrap_err();
    assert_eq!(
        e,
        "there is no organisation called `NHS Ardmore`; the organisations are: Carers Trust, \
         Glenmore Council, NHS Glenmore"
    );
    let e = Fx::default()
        .run(Level::Service, Some("X"), "2025-26", today())
        .unwrap_err();
    assert!(e.contains("no services are set up"), "{e}");
    assert!(
        Fx::default()
            .run(Level::Service, None, "2025-26", today())
            .unwrap()
            .is_empty()
    );
}

#[test]
fn rows_are_the_adult_then_carer_framework_in_form_order() {
    let f = forms();
    let mut fx = Fx::default();
    fx.service("Reablement", "Council", "Partnership");
    let r = fx.one("2025-26", today());
    let want: Vec<(&str, &str)> = ["adult", "carer"]
        .iter()
        .flat_map(|id| {
            f.framework(id)
                .unwrap()
                .outcomes
                .iter()
                .map(move |o| (*id, o.id.as_str()))
        })
        .collect();
    let got: Vec<(&str, &str)> = r
        .rows
        .iter()
        .map(|x| (x.framework.as_str(), x.outcome_id.as_str()))
        .collect();
    assert_eq!(got, want);
    assert_eq!(got.len(), 15 + 14);
    let fs = row(&r, "feeling_safe");
    assert_eq!(
        (fs.label.as_str(), fs.category.as_str()),
        ("Feeling safe", "Quality of life")
    );
    assert_eq!(fs.national, vec![7]);
    assert_eq!(r.measures.len(), 3);
    assert!(
        r.measures
            .iter()
            .all(|m| m.how.ends_with('.') && m.denominator == 0)
    );
}

#[test]
fn local_measures() {
    let mut fx = Fx::default();
    let s = fx.service("Carers Centre", "Trust", "Partnership");
    // Carers: C1 every caring-role outcome met → supported; C2 one partly met → not;
    // C3 only no longer relevant → not counted; C4 only a non-caring-role outcome.
    let c1 = fx.carer(s);
    fx.plan(
        c1,
        d(2025, 4, 7),
        None,
        &["choices_in_caring", "informed_skilled_equipped"],
    );
    fx.rated(c1, d(2025, 5, 5), "choices_in_caring", "not_met");
    fx.review(
        c1,
        d(2025, 9, 1),
        &[
            ("choices_in_caring", "met", None, &[], &[]),
            ("informed_skilled_equipped", "met", None, &[], &[]),
            ("say_in_services", "met", None, &[], &[]),
        ],
    );
    let c2 = fx.carer(s);
    fx.plan(
        c2,
        d(2025, 4, 7),
        None,
        &["choices_in_caring", "satisfaction_in_caring"],
    );
    fx.review(
        c2,
        d(2025, 9, 1),
        &[
            ("choices_in_caring", "met", None, &[], &[]),
            ("satisfaction_in_caring", "partly_met", None, &[], &[]),
            ("say_in_services", "not_met", None, &[], &[]),
        ],
    );
    let c3 = fx.carer(s);
    fx.plan(c3, d(2025, 4, 7), None, &["partnership_with_services"]);
    fx.rated(
        c3,
        d(2025, 9, 1),
        "partnership_with_services",
        "no_longer_relevant",
    );
    let c4 = fx.carer(s);
    fx.plan(c4, d(2025, 4, 7), None, &["health_wellbeing"]);
    fx.rated(c4, d(2025, 9, 1), "health_wellbeing", "met");
    // Adults: feeling safe met, not met, no longer relevant; having a say met.
    for status in ["met", "not_met", "no_longer_relevant"] {
        let a = fx.adult(s);
        fx.plan(a, d(2025, 4, 7), None, &["feeling_safe"]);
        fx.rated(a, d(2025, 9, 1), "feeling_safe", status);
    }
    let a = fx.adult(s);
    fx.rated(a, d(2025, 9, 1), "having_a_say", "met");

    let r = fx.one("2025-26", today());
    let nd = |id| {
        let m = measure(&r, id);
        (m.numerator, m.denominator)
    };
    assert_eq!(nd("feeling_safe"), (1, 2));
    assert_eq!(nd("carers_supported"), (1, 2));
    // having_a_say met (adult) and say_in_services met (C1), not met (C2).
    assert_eq!(nd("had_a_say"), (2, 3));
    assert_eq!(measure(&r, "had_a_say").pct(), Some(66.7));
    assert_eq!(measure(&r, "had_a_say").parts.len(), 2);
    assert!(
        measure(&r, "carers_supported")
            .how
            .contains("Managing the caring role")
    );
    assert!(measure(&r, "feeling_safe").how.contains("\"Feeling safe\""));
}

#[test]
fn odd_records_are_noted_not_counted() {
    let mut fx = Fx::default();
    let s = fx.service("Reablement", "Council", "Partnership");
    let a = fx.adult(s);
    fx.plan(a, d(2025, 4, 7), None, &["feeling_safe"]);
    fx.rated(a, d(2025, 6, 1), "feeling_safe", "met");
    fx.rated(a, d(2025, 9, 1), "feeling_safe", "not_discussed");
    fx.rated(a, d(2025, 9, 1), "no_such_outcome", "met");
    // A person of a service that is not in the store, and a conversation of nobody.
    let ghost = fx.id();
    let lost = fx.adult(ghost);
    fx.rated(lost, d(2025, 9, 1), "feeling_safe", "met");
    let nobody = fx.id();
    fx.rated(nobody, d(2025, 9, 1), "feeling_safe", "met");
    let r = fx.one("2025-26", today());
    assert_eq!(row(&r, "feeling_safe").counts, counts(1, 0, 0, 0, 0));
    assert_eq!(r.notes.len(), 3, "{:?}", r.notes);
    assert!(r.notes[0].contains("not_discussed"));
    // A period built by hand that ends before it starts is refused.
    let bad = Period::Range(d(2025, 9, 1), d(2025, 4, 1));
    let e = roll_up(
        &forms(),
        &fx.services,
        &fx.people,
        &fx.convs,
        Level::Service,
        None,
        &bad,
        today(),
    );
    assert!(e.unwrap_err().contains("ends before it starts"));
}

fn consistent(reports: &[UnitReport], unit_people: impl Fn(&UnitReport) -> u64) {
    for r in reports {
        let people = unit_people(r);
        assert_eq!(r.people, people, "{}", r.unit);
        for x in &r.rows {
            let c = &x.counts;
            assert_eq!(
                c.met + c.partly_met + c.not_met + c.no_longer_relevant,
                c.reviewed,
                "{} {}",
                r.unit,
                x.outcome_id
            );
            if r.level != Level::National {
                assert!(c.reviewed <= people, "{} {}: {c:?}", r.unit, x.outcome_id);
                assert!(
                    c.people_planned <= people,
                    "{} {}: {c:?}",
                    r.unit,
                    x.outcome_id
                );
            }
            let b: u64 = x.barriers.iter().map(|t| t.1).sum();
            assert!(x.barriers.windows(2).all(|w| w[0].1 >= w[1].1));
            assert!(b == 0 || c.reviewed > 0);
        }
        assert!(r.plans_reviewed_on_time <= r.plans_due);
        assert!(r.overdue_reviews <= people);
        for m in &r.measures {
            assert!(m.numerator <= m.denominator, "{}: {m:?}", r.unit);
        }
        let s = suppress::suppress(r, 5, false);
        assert_eq!(s.rows.len(), r.rows.len());
    }
}

#[test]
fn seeded_data_adds_up() {
    use crate::seed::{SeedOptions, generate};
    use crate::store::Store;
    let f = forms();
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("s")).expect("store opens");
    generate(
        &store,
        &f,
        &SeedOptions {
            people: 500,
            seed: 7,
        },
        &mut |_| {},
    )
    .expect("seeds");
    let services = store.services().unwrap();
    let people = store.people().unwrap();
    let convs = store.conversations().unwrap();
    let today = d(2026, 3, 31);
    let svc_of: std::collections::HashMap<Id, &Service> =
        services.iter().map(|s| (s.id, s)).collect();
    for level in Level::ALL {
        for period in ["2025-26", "2024-25-Q3", "2023-04-01..2026-03-31"] {
            let reports = roll_up(
                &f,
                &services,
                &people,
                &convs,
                level,
                None,
                &Period::parse(period).unwrap(),
                today,
            )
            .unwrap();
            assert!(!reports.is_empty());
            consistent(&reports, |r| {
                people
                    .iter()
                    .filter(|p| {
                        svc_of.get(&p.service).is_some_and(|s| {
                            let name = match r.level {
                                Level::Service => &s.name,
                                Level::Organisation => &s.organisation,
                                _ => &s.partnership,
                            };
                            name.trim().eq_ignore_ascii_case(&r.unit)
                        })
                    })
                    .count() as u64
            });
            // Units partition the people: their people and counts add up to the
            // partnership's.
            let total: u64 = reports.iter().map(|r| r.people).sum();
            assert_eq!(total, people.len() as u64, "{level} {period}");
        }
    }
    // Something was counted in the seeded year, and the service totals add up to the
    // partnership's row by row.
    let p = Period::Year(2025);
    let by = |level| roll_up(&f, &services, &people, &convs, level, None, &p, today).unwrap();
    let part = by(Level::Partnership);
    assert_eq!(part.len(), 1);
    assert!(part[0].rows.iter().map(|x| x.counts.reviewed).sum::<u64>() > 100);
    let svc = by(Level::Service);
    for (i, x) in part[0].rows.iter().enumerate() {
        let mut sum = Counts::default();
        for r in &svc {
            sum += &r.rows[i].counts;
        }
        assert_eq!(sum, x.counts, "{}", x.outcome_id);
    }
}

/// Times the roll-up over 100,000 seeded people:
/// `cargo test --release --lib rollup::tests::timing -- --ignored --nocapture`.
#[test]
#[ignore]
fn timing_100k_people() {
    use crate::seed::{SeedOptions, generate};
    use crate::store::Store;
    use std::time::Instant;
    let f = forms();
    let dir = tempfile::tempdir().expect("temp dir");
    // TP_TIMING_STORE=DIR keeps the seeded store between runs.
    let path = std::env::var_os("TP_TIMING_STORE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().join("s"));
    let fresh = !path.exists();
    let store = Store::open(&path).expect("store opens");
    if fresh {
        let t = Instant::now();
        let opts = SeedOptions {
            people: 100_000,
            seed: 1,
        };
        generate(&store, &f, &opts, &mut |_| {}).unwrap();
        eprintln!("seeded 100,000 people in {:?}", t.elapsed());
    }
    let t = Instant::now();
    let services = store.services().unwrap();
    let people = store.people().unwrap();
    let convs = store.conversations().unwrap();
    eprintln!(
        "read {} people and {} conversations from the store in {:?}",
        people.len(),
        convs.len(),
        t.elapsed()
    );
    let today = d(2026, 3, 31);
    for (level, period) in [
        (Level::Service, "2025-26"),
        (Level::Organisation, "2025-26-Q3"),
        (Level::Partnership, "2023-04-01..2026-03-31"),
        (Level::National, "2025-26"),
    ] {
        let p = Period::parse(period).unwrap();
        let t = Instant::now();
        let reports = roll_up(&f, &services, &people, &convs, level, None, &p, today).unwrap();
        let took = t.elapsed();
        let t2 = Instant::now();
        let sup: Vec<_> = reports.iter().map(|r| suppress(r, 5, false)).collect();
        eprintln!(
            "roll_up {level} {period}: {} units in {took:?} (suppression {:?})",
            reports.len(),
            t2.elapsed()
        );
        assert_eq!(sup.len(), reports.len());
        assert!(took.as_secs() < 5);
    }
}
