//! The built-in attacker's audit on seeded stores: after protection, no suppressed cell
//! of a period (every level together) can be worked out exactly, and no primary cell
//! can be narrowed to below the threshold.

mod common;

use common::TestStore;

fn seeded(people: usize) -> TestStore {
    let s = TestStore::new();
    s.ok(&["seed", "--people", &people.to_string(), "--seed", "1"]);
    s
}

/// Runs the check and returns its report, failing the test if the check fails.
fn check(s: &TestStore, period: &str, suppress: &str) -> String {
    let out = s.ok(&[
        "report",
        "--level",
        "service",
        "--period",
        period,
        "--suppress",
        suppress,
        "--check-disclosure",
    ]);
    assert!(
        out.contains(&format!(
            "0 worked out exactly, 0 primary cells narrowed below {suppress}"
        )),
        "{out}"
    );
    out
}

/// The number of suppressed cells the audit checked.
fn checked(out: &str) -> usize {
    out.split("Checked ")
        .nth(1)
        .and_then(|x| x.split(' ').next())
        .and_then(|x| x.parse().ok())
        .unwrap_or(0)
}

#[test]
fn protection_passes_the_audit_on_300_people_year_quarter_and_n10() {
    let s = seeded(300);
    let year = check(&s, "2025-26", "5");
    // Something is suppressed, so the check checked something.
    assert!(checked(&year) > 100, "{year}");
    for level in ["service", "organisation", "partnership", "national"] {
        assert!(year.lines().any(|l| l.starts_with(level)), "{year}");
    }
    check(&s, "2025-26-Q3", "5");
    let ten = check(&s, "2025-26", "10");
    assert!(checked(&ten) > checked(&year), "{ten}");
}

#[test]
fn protection_passes_the_audit_on_5000_people() {
    let s = seeded(5000);
    let out = check(&s, "2025-26", "5");
    assert!(checked(&out) > 1000, "{out}");
}

#[test]
fn with_suppression_off_there_is_nothing_to_check() {
    let s = seeded(300);
    let out = s.ok(&[
        "report",
        "--level",
        "service",
        "--period",
        "2025-26",
        "--suppress",
        "0",
        "--check-disclosure",
    ]);
    assert!(out.contains("Disclosure control is off"), "{out}");
}

/// Each unit's `people` as published at `level` for `period`: `None` when suppressed.
fn people_cells(s: &TestStore, level: &str, period: &str) -> Vec<(String, Option<u64>)> {
    let out = s.ok(&[
        "report", "--level", level, "--period", period, "--format", "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    v.as_array()
        .expect("an array of reports")
        .iter()
        .map(|r| {
            let unit = r["unit"].as_str().expect("unit").to_string();
            let hidden = r["people_suppressed"].as_bool().expect("flag");
            (unit, if hidden { None } else { r["people"].as_u64() })
        })
        .collect()
}

/// `people` counts everyone on the unit's records, the same number in every period, so a
/// report of one period that shows it gives it away in another that hides it: each
/// unit's people is shown (as the same number) or hidden alike in every period's report.
#[test]
fn people_are_shown_or_hidden_alike_in_every_period() {
    let s = seeded(60);
    let first = people_cells(&s, "service", "2025-26");
    // Some small service's people are hidden, so there is something to compare.
    assert!(first.iter().any(|x| x.1.is_none()), "{first:?}");
    for period in ["2024-25", "2026-27-Q1", "2025-04-01..2025-06-15"] {
        assert_eq!(
            people_cells(&s, "service", period),
            first,
            "service: {period} against 2025-26"
        );
    }
    for level in ["organisation", "partnership"] {
        assert_eq!(
            people_cells(&s, level, "2023-24"),
            people_cells(&s, level, "2025-04-01..2025-06-15"),
            "{level}"
        );
    }
}
