//! Correcting the record from the command line: withdrawing a conversation recorded in
//! error, its earlier revisions, consent recorded with a conversation, the person's own
//! copy of their plan, and naming the person a carer cares for.

mod common;

use common::{TestStore, example};
use predicates::prelude::*;
use std::os::unix::fs::PermissionsExt;

const NAME: &str = "Màiri NicLeòid";

/// A person with the README's assessment, plan and review; returns (person, ids).
fn recorded(s: &TestStore) -> (String, Vec<String>) {
    s.with_service("Reablement");
    let p = s.add_person(NAME, "Reablement");
    let out = s.record(&example(&p));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ids = String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .map(str::to_string)
        .collect();
    (p, ids)
}

fn export_rows(s: &TestStore) -> usize {
    s.ok(&["export", "--format", "csv"]).lines().count() - 1
}

/// The reviewed count of `seeing_people` in the service's report for 2025-26.
fn reviewed(s: &TestStore) -> u64 {
    let v: serde_json::Value = serde_json::from_str(&s.ok(&[
        "report",
        "--level",
        "service",
        "--period",
        "2025-26",
        "--format",
        "json",
        "--suppress",
        "0",
    ]))
    .expect("json");
    let text = v.to_string();
    assert!(text.contains("seeing_people"), "{text}");
    let row = find_row(&v, "seeing_people").expect("row");
    row["reviewed"]["value"]
        .as_u64()
        .or_else(|| row["reviewed"].as_u64())
        .expect("count")
}

fn find_row<'a>(v: &'a serde_json::Value, outcome: &str) -> Option<&'a serde_json::Value> {
    match v {
        serde_json::Value::Object(m) => {
            if m.get("outcome").and_then(|o| o.as_str()) == Some(outcome)
                || m.get("outcome_id").and_then(|o| o.as_str()) == Some(outcome)
            {
                return Some(v);
            }
            m.values().find_map(|x| find_row(x, outcome))
        }
        serde_json::Value::Array(a) => a.iter().find_map(|x| find_row(x, outcome)),
        _ => None,
    }
}

#[test]
fn a_withdrawn_conversation_leaves_reports_exports_and_show_but_not_subject_access() {
    let s = TestStore::new();
    let (p, ids) = recorded(&s);
    let review = &ids[2];
    let rows = export_rows(&s);
    assert_eq!(reviewed(&s), 1);

    let out = s.ok(&[
        "conversation",
        "withdraw",
        review,
        "--reason",
        "recorded for the wrong person",
    ]);
    assert!(out.contains("withdrew conversation"), "{out}");

    // Two outcomes were reviewed in it: both rows leave the export, and the count.
    assert_eq!(export_rows(&s), rows - 2);
    assert_eq!(reviewed(&s), 0);
    let jsonl = s.ok(&["export", "--format", "jsonl", "--include-text"]);
    assert!(!jsonl.contains("been twice"), "{jsonl}");

    // Hidden from `person show` unless asked for, and then marked.
    let shown = s.ok(&["person", "show", &p]);
    assert!(!shown.contains("been twice"), "{shown}");
    assert!(shown.contains("1 conversation(s) withdrawn"), "{shown}");
    let all = s.ok(&["person", "show", &p, "--withdrawn"]);
    assert!(all.contains("been twice"), "{all}");
    assert!(all.contains("WITHDRAWN as recorded in error"), "{all}");
    assert!(all.contains("recorded for the wrong person"), "{all}");
    assert_eq!(
        s.show_json(&p)["conversations"].as_array().map(Vec::len),
        Some(2)
    );

    // Subject access always includes it, with who, when and why.
    let sar: serde_json::Value =
        serde_json::from_str(&s.ok(&["person", "export", &p, "--format", "json"])).expect("json");
    let convs = sar["conversations"].as_array().expect("list");
    assert_eq!(convs.len(), 3);
    let w = convs
        .iter()
        .find(|c| c["id"] == review.as_str())
        .expect("withdrawn one");
    assert_eq!(w["withdrawn"]["reason"], "recorded for the wrong person");
    assert!(w["withdrawn"]["by"].as_str().is_some_and(|b| !b.is_empty()));
    assert!(sar["earlier_revisions"].to_string().contains("been twice"));

    // The audit log says so.
    let audit = s.ok(&["audit", "--action", "withdraw"]);
    assert!(audit.contains(review.as_str()), "{audit}");

    // Both revisions are kept, oldest first.
    let history: serde_json::Value =
        serde_json::from_str(&s.ok(&["conversation", "history", review, "--json"])).expect("json");
    let h = history.as_array().expect("list");
    assert_eq!(h.len(), 2);
    assert!(h[0]["withdrawn"].is_null());
    assert_eq!(h[1]["revision"], 1);
    let text = s.ok(&["conversation", "history", review]);
    assert!(text.contains("Revision 0 (earlier)") && text.contains("Revision 1 (current)"));
}

#[test]
fn withdrawing_a_plan_takes_its_overdue_review_off_the_figures() {
    let s = TestStore::new();
    s.with_service("Reablement");
    let p = s.add_person(NAME, "Reablement");
    let plan = r#"{"conversations": [{"person": "ID", "stage": "planning", "date": "2025-05-09",
        "practitioner": "J. Byrne", "review_by": "2025-08-01",
        "outcomes": [{"outcome": "seeing_people", "statement": "walk again"}]}]}"#
        .replace("ID", &p);
    let out = s.record(&plan);
    assert!(out.status.success());
    let id = String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_string();
    let measures = |s: &TestStore| {
        s.ok(&[
            "report",
            "--level",
            "service",
            "--period",
            "2025-26",
            "--format",
            "csv",
            "--table",
            "measures",
            "--suppress",
            "0",
        ])
    };
    let before = measures(&s);
    assert!(before.contains("overdue"), "{before}");
    let overdue_line = |t: &str| {
        t.lines()
            .find(|l| l.contains("overdue_reviews"))
            .map(str::to_string)
            .unwrap_or_default()
    };
    assert!(
        overdue_line(&before).contains("overdue,1,false"),
        "{before}"
    );
    s.ok(&["conversation", "withdraw", &id, "--reason", "a duplicate"]);
    let after = measures(&s);
    assert!(overdue_line(&after).contains("overdue,0,false"), "{after}");
}

#[test]
fn withdrawal_refuses_bad_input_in_one_sentence() {
    let s = TestStore::new();
    let (_, ids) = recorded(&s);
    // No reason: a usage error.
    s.cmd()
        .args(["conversation", "withdraw", &ids[0]])
        .assert()
        .code(2);
    s.cmd()
        .args(["conversation", "withdraw", &ids[0], "--reason", "   "])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--reason"));
    // Not an id; an id not held.
    s.cmd()
        .args(["conversation", "withdraw", "nonsense", "--reason", "x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a conversation id"));
    s.cmd()
        .args([
            "conversation",
            "withdraw",
            "0190a0c2-8a1b-7c3d-9e4f-123456789abc",
            "--reason",
            "x",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no conversation with id"));
    // Twice: the second is refused and nothing changes.
    s.ok(&[
        "conversation",
        "withdraw",
        &ids[0],
        "--reason",
        "wrong person",
    ]);
    s.cmd()
        .args(["conversation", "withdraw", &ids[0], "--reason", "again"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already withdrawn"));
    // A withdrawn conversation cannot be corrected through `record`.
    let p = s.show_json_id();
    let again = format!(
        r#"{{"conversations": [{{"id": "{}", "person": "{p}", "stage": "assessment", "date": "2025-05-02",
            "practitioner": "J. Byrne", "outcomes": [{{"outcome": "seeing_people"}}]}}]}}"#,
        ids[0]
    );
    let out = s.record(&again);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("was withdrawn"), "{err}");
    assert!(!err.contains(NAME));
}

trait FirstPerson {
    fn show_json_id(&self) -> String;
}

impl FirstPerson for TestStore {
    fn show_json_id(&self) -> String {
        let v: serde_json::Value =
            serde_json::from_str(&self.ok(&["person", "list", "--json"])).expect("json");
        v[0]["id"].as_str().expect("id").to_string()
    }
}

#[test]
fn erasure_removes_withdrawn_conversations_and_their_revisions() {
    let s = TestStore::new();
    let (p, ids) = recorded(&s);
    s.ok(&[
        "conversation",
        "withdraw",
        &ids[2],
        "--reason",
        "wrong person",
    ]);
    s.ok(&["person", "erase", &p, "--yes"]);
    s.cmd()
        .args(["conversation", "history", &ids[2]])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no conversation with id"));
    s.ok(&["verify"]);
    let dump = s.ok(&[
        "backup",
        "--out",
        s.dir.path().join("b.tp").to_str().expect("path"),
    ]);
    let _ = dump;
    let bytes = std::fs::read(s.dir.path().join("b.tp")).expect("backup");
    let hay = String::from_utf8_lossy(&bytes);
    assert!(!hay.contains("been twice"));
    assert!(!hay.contains("wrong person"));
}

#[test]
fn consent_is_recorded_shown_exported_and_checked() {
    let s = TestStore::new();
    s.with_service("Reablement");
    let p = s.add_person(NAME, "Reablement");
    let conv = |consent: &str| {
        format!(
            r#"{{"conversations": [{{"person": "{p}", "stage": "assessment", "date": "2025-05-02",
            "practitioner": "J. Byrne", {consent}
            "outcomes": [{{"outcome": "seeing_people", "own_words": "walks"}}]}}]}}"#
        )
    };
    let ok = s.record(&conv(r#""consent": {"record": true, "share": false},"#));
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(
        s.ok(&["person", "show", &p])
            .contains("Consent: to record, not to share")
    );
    assert_eq!(
        s.show_json(&p)["conversations"][0]["consent"],
        serde_json::json!({"record": true, "share": false})
    );
    let csv = s.ok(&["export"]);
    let header: Vec<&str> = csv.lines().next().expect("header").split(',').collect();
    let col = header
        .iter()
        .position(|h| *h == "consent")
        .expect("consent column");
    let row: Vec<&str> = csv.lines().nth(1).expect("row").split(',').collect();
    assert_eq!(row[col], "record_only");

    // A record without consent still loads (older records have none).
    assert!(s.record(&conv("")).status.success());
    // No consent to record: refused, whole file, one sentence.
    let no = s.record(&conv(r#""consent": {"record": false, "share": false},"#));
    assert_eq!(no.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&no.stderr).contains("consent.record"));
    let bad = s.record(&conv(r#""consent": {"share": true},"#));
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("consent.record: is missing"));
    let typo = s.record(&conv(r#""consent": {"record": true, "shared": true},"#));
    assert_eq!(typo.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&typo.stderr).contains("consent.shared: unknown field"));
    assert_eq!(
        s.show_json(&p)["conversations"].as_array().map(Vec::len),
        Some(2)
    );
}

#[test]
fn the_person_cared_for_can_take_part_only_in_a_carers_conversation() {
    let s = TestStore::new();
    s.with_service("Reablement");
    let adult = s.add_person(NAME, "Reablement");
    let carer = s
        .ok(&[
            "person",
            "add",
            "--name",
            "Iain Mac",
            "--service",
            "Reablement",
            "--kind",
            "carer",
            "--cares-for",
            &adult,
        ])
        .trim()
        .to_string();
    let conv = |person: &str, form_outcome: &str| {
        format!(
            r#"{{"conversations": [{{"person": "{person}", "stage": "assessment", "date": "2025-05-02",
            "practitioner": "J. Byrne", "participants": ["person", "cared_for"],
            "outcomes": [{{"outcome": "{form_outcome}"}}]}}]}}"#
        )
    };
    let carer_outcome = talking_points::forms::Forms::embedded()
        .expect("forms")
        .framework_for(talking_points::domain::PersonKind::Carer)
        .expect("carer form")
        .outcomes[0]
        .id
        .clone();
    let ok = s.record(&conv(&carer, &carer_outcome));
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(
        s.ok(&["person", "show", &carer])
            .contains("The person cared for")
    );
    let no = s.record(&conv(&adult, "seeing_people"));
    assert_eq!(no.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&no.stderr).contains("only a carer's conversation"));
}

#[test]
fn cares_for_takes_a_unique_whole_name_and_both_records_show_the_link() {
    let s = TestStore::new();
    s.with_service("Reablement");
    let adult = s.add_person(NAME, "Reablement");
    s.add_person("John Smith", "Reablement");
    s.add_person("John  SMITH", "Reablement");
    let add = |cares_for: &str| {
        s.cmd()
            .args([
                "person",
                "add",
                "--name",
                "Iain Mac",
                "--service",
                "Reablement",
                "--kind",
                "carer",
                "--cares-for",
                cares_for,
            ])
            .output()
            .expect("run")
    };
    // Case and accents aside.
    let out = add("mairi nicleoid");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let carer = String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_string();
    let shown = s.ok(&["person", "show", &carer]);
    assert!(
        shown.contains(&format!("cares for  {NAME} ({adult})")),
        "{shown}"
    );
    let other = s.ok(&["person", "show", &adult]);
    assert!(
        other.contains(&format!("cared for by Iain Mac ({carer})")),
        "{other}"
    );
    assert_eq!(
        s.show_json(&adult)["person"]["cared_for_by"][0],
        carer.as_str()
    );

    // Two people have that name; nobody has the other; part of a name is not enough.
    for (name, says) in [
        ("john smith", "2 people have that name"),
        ("Nobody Here", "no person with that name or id"),
        ("Màiri", "no person with that name or id"),
    ] {
        let out = add(name);
        assert_eq!(out.status.code(), Some(1), "{name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        for n in ["John", "Smith", "Màiri", "NicLeòid", "Nobody"] {
            assert!(!err.contains(n), "{err} names someone");
        }
    }
    // The id still works.
    assert!(add(&adult).status.success());
}

#[test]
fn person_plan_writes_the_current_plan_without_ids_or_codes() {
    let s = TestStore::new();
    let (p, ids) = recorded(&s);
    for format in ["txt", "md", "html"] {
        let out = s.ok(&["person", "plan", &p, "--format", format]);
        assert!(out.contains(NAME) || out.contains("Màiri"), "{out}");
        assert!(
            out.contains("I want to get back to my walking group"),
            "{out}"
        );
        assert!(out.contains("I miss my walking group"), "{out}");
        assert!(out.contains("a volunteer walks with me"), "{out}");
        assert!(out.contains("by 1 June 2025"), "{out}");
        assert!(out.contains("1 August 2025"), "{out}");
        assert!(out.contains("J. Byrne"), "{out}");
        assert!(out.contains("Reablement"), "{out}");
        // No ids, no codes.
        assert!(!out.contains(&p), "{out}");
        for id in &ids {
            assert!(!out.contains(id.as_str()), "{out}");
        }
        for code in ["seeing_people", "community", "2025-08-01", "adult"] {
            assert!(!out.contains(code), "{format} shows the code {code}: {out}");
        }
    }
    let audit = s.ok(&["audit", "--action", "plan-copy"]);
    assert_eq!(
        audit.lines().filter(|l| l.contains(&p)).count(),
        3,
        "{audit}"
    );
}

#[test]
fn person_plan_out_is_owner_only_and_errors_name_nobody() {
    let s = TestStore::new();
    let (p, ids) = recorded(&s);
    let file = s.dir.path().join("plan.html");
    s.ok(&[
        "person",
        "plan",
        &p,
        "--format",
        "html",
        "--out",
        file.to_str().expect("path"),
    ]);
    let mode = std::fs::metadata(&file).expect("file").permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    assert!(
        std::fs::read_to_string(&file)
            .expect("html")
            .contains("size: A4")
    );

    // An unknown person, a bad id, a bad format: one sentence, nobody named.
    s.cmd()
        .args(["person", "plan", "0190a0c2-8a1b-7c3d-9e4f-123456789abc"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no person with id"));
    s.cmd().args(["person", "plan", "Màiri"]).assert().code(2);
    s.cmd()
        .args(["person", "plan", &p, "--format", "pdf"])
        .assert()
        .code(2);
    // Into a directory that does not exist: one sentence, exit 1.
    s.cmd()
        .args(["person", "plan", &p, "--out", "/nonexistent/dir/plan.txt"])
        .assert()
        .code(1);
    // The plan withdrawn: no plan to copy.
    s.ok(&[
        "conversation",
        "withdraw",
        &ids[1],
        "--reason",
        "wrong person",
    ]);
    let out = s.cmd().args(["person", "plan", &p]).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("has no support plan"), "{err}");
    assert!(!err.contains("Màiri") && !err.contains("walking"), "{err}");
}
