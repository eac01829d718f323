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
