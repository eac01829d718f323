//! The person's next review date survives a partial review: a plan stays due until every
//! outcome it named has been reviewed, on the caseload (from its kept index and from the
//! records), in `report`'s counts and in the SQL recompute from the data package; and a
//! plan counts as reviewed by its agreed date only when it was reviewed in full by then.

mod common;

use chrono::NaiveDate;
use common::TestStore;
use common::sqlite::{have, long_counts, recompute_in_sqlite};
use talking_points::store::Store;
use talking_points::tui::caseload;
use talking_points::tui::caseload_load::first_page;

const TODAY: &str = "2026-11-23";
const PERIOD: (&str, &str, &str) = ("2025-26", "2025-04-01", "2026-03-31");
const AGREED: &str = "2025-08-01";

fn today() -> NaiveDate {
    TODAY.parse().expect("date")
}

fn review(person: &str, date: &str, outcomes: &[&str]) -> String {
    let outcomes: Vec<String> = outcomes
        .iter()
        .map(|o| format!(r#"{{"outcome": "{o}", "status": "partly_met"}}"#))
        .collect();
    format!(
        r#"{{"conversations": [{{"person": "{person}", "stage": "review", "date": "{date}",
        "practitioner": "J. Byrne", "outcomes": [{}]}}]}}"#,
        outcomes.join(", ")
    )
}

fn record(s: &TestStore, json: &str) {
    let out = s.record(json);
    assert!(
        out.status.success(),
        "record: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The person's review still due on the caseload, read as the interface reads it (the
/// kept index) and as worked out from the records; the two must agree.
fn caseload_due(s: &TestStore) -> (Option<NaiveDate>, bool) {
    let store = Store::open(&s.path).expect("open");
    let (rows, _) = first_page(&store, today(), 10)
        .expect("read")
        .expect("the caseload index is kept");
    assert_eq!(rows.len(), 1);
    let person = store.people().expect("people").remove(0);
    let convs = store.conversations_of(&person.id).expect("conversations");
    let from_records = caseload::row(&person, &rows[0].service, &convs, today());
    assert_eq!(rows[0], from_records, "the index and the records agree");
    (rows[0].review_due, rows[0].overdue(today()))
}

/// (overdue reviews, plans due, plans reviewed on time) at the service, from `report`.
fn reported(s: &TestStore) -> [u64; 3] {
    let out = s.ok(&[
        "report",
        "--level",
        "service",
        "--period",
        PERIOD.0,
        "--format",
        "csv",
        "--table",
        "long",
        "--suppress",
        "0",
    ]);
    measures(&long_counts(&out))
}

fn measures(counts: &std::collections::BTreeMap<common::sqlite::Key, u64>) -> [u64; 3] {
    let get = |m: &str| {
        counts
            .iter()
            .filter(|(k, _)| k.0 == "service" && k.2 == m)
            .map(|(_, v)| *v)
            .sum::<u64>()
    };
    [
        get("overdue_reviews"),
        get("plans_due"),
        get("plans_reviewed_on_time"),
    ]
}

/// The same three, recomputed by `sql/rollup.sql` from an export (`None` without sqlite3).
fn recomputed(s: &TestStore, name: &str) -> Option<[u64; 3]> {
    // The package is named after the step (a path for sqlite3's `.read`: no spaces).
    let dir = name.replace(' ', "-");
    if !have("sqlite3", "--version") {
        println!("SQL part skipped: the sqlite3 command is not installed");
        return None;
    }
    let pkg = s.dir.path().join(dir);
    s.ok(&["export", "--out", pkg.to_str().expect("path")]);
    Some(measures(&long_counts(&recompute_in_sqlite(
        &pkg, PERIOD, TODAY,
    ))))
}

fn check(s: &TestStore, name: &str, want: [u64; 3]) {
    assert_eq!(reported(s), want, "{name}: report");
    if let Some(sql) = recomputed(s, name) {
        assert_eq!(sql, want, "{name}: SQL recompute");
    }
}

#[test]
fn a_partial_review_leaves_the_person_overdue_until_every_planned_outcome_is_reviewed() {
    let s = TestStore::new();
    s.with_service("Reablement");
    let p = s.add_person("Morag MacLeod", "Reablement");
    let agreed: NaiveDate = AGREED.parse().expect("date");
    record(&s, &plan_on(&p, "2025-05-09", AGREED));
    assert_eq!(caseload_due(&s), (Some(agreed), true));
    check(&s, "plan only", [1, 1, 0]);

    // One of the three outcomes reviewed after the agreed date: still overdue.
    record(&s, &review(&p, "2025-09-01", &["seeing_people"]));
    assert_eq!(caseload_due(&s), (Some(agreed), true), "after one of three");
    check(&s, "one of three", [1, 1, 0]);

    // The other two reviewed: no longer due, but not reviewed by the agreed date either.
    record(
        &s,
        &review(&p, "2025-10-01", &["feeling_safe", "staying_well"]),
    );
    assert_eq!(caseload_due(&s), (None, false), "after all three");
    check(&s, "all three", [0, 1, 0]);
}

#[test]
fn a_plan_reviewed_in_parts_by_its_agreed_date_counts_as_reviewed_on_time() {
    let s = TestStore::new();
    s.with_service("Reablement");
    let p = s.add_person("Morag MacLeod", "Reablement");
    record(&s, &plan_on(&p, "2025-05-09", AGREED));
    record(
        &s,
        &review(&p, "2025-07-01", &["seeing_people", "staying_well"]),
    );
    check(&s, "two of three on time", [1, 1, 0]);
    record(&s, &review(&p, AGREED, &["feeling_safe"]));
    assert_eq!(caseload_due(&s), (None, false));
    check(&s, "the third on the agreed date", [0, 1, 1]);
}

fn plan_on(person: &str, date: &str, review_by: &str) -> String {
    format!(
        r#"{{"conversations": [{{"person": "{person}", "stage": "planning", "date": "{date}",
        "practitioner": "J. Byrne", "review_by": "{review_by}",
        "outcomes": [{{"outcome": "seeing_people", "statement": "walk again"}},
                     {{"outcome": "feeling_safe", "statement": "feel safe at home"}},
                     {{"outcome": "staying_well", "statement": "keep well"}}]}}]}}"#
    )
}

#[test]
fn a_review_counts_for_a_plan_only_when_recorded_after_it_even_on_the_same_day() {
    const ALL: [&str; 3] = ["seeing_people", "feeling_safe", "staying_well"];
    const DAY: &str = "2025-07-15";
    let s = TestStore::new();
    s.with_service("Reablement");
    let p = s.add_person("Morag MacLeod", "Reablement");

    // A plan and, later the same day, a review of all it named: reviewed on time.
    record(&s, &plan_on(&p, DAY, AGREED));
    check(&s, "plan only", [1, 1, 0]);
    record(&s, &review(&p, DAY, &ALL));
    assert_eq!(caseload_due(&s), (None, false), "reviewed the same day");
    check(&s, "reviewed later the same day", [0, 1, 1]);

    // Then a new plan that day with the same outcomes: the review came before it, so it
    // does not review it, and once its agreed date passes the person is overdue.
    let next: NaiveDate = "2025-10-15".parse().expect("date");
    record(&s, &plan_on(&p, DAY, "2025-10-15"));
    assert_eq!(
        caseload_due(&s),
        (Some(next), true),
        "a new plan after the day's review"
    );
    check(&s, "a new plan after the day's review", [1, 2, 1]);

    // Its own review, in full by its agreed date, settles it.
    record(&s, &review(&p, "2025-10-01", &ALL));
    assert_eq!(caseload_due(&s), (None, false), "the new plan reviewed");
    check(&s, "the new plan reviewed", [0, 2, 2]);
}
