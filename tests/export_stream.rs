//! `export` streams its rows one conversation at a time; what it writes must be exactly
//! what the whole extract (held in memory, as the data package is made) gives.

mod common;

use common::TestStore;
use talking_points::export::{extract, outcome_fields};
use talking_points::forms::Forms;
use talking_points::store::Store;
use talking_points::tabular::json_object;

fn seeded() -> TestStore {
    let s = TestStore::new();
    s.ok(&["seed", "--people", "300", "--seed", "5"]);
    // A person with two conversations on one day: their order (and so `sequence`) is by
    // record id, which the streamed path reads from the index and the extract sorts.
    s.with_service("Streaming test service");
    let id = s.add_person("Iona Test", "Streaming test service");
    for _ in 0..2 {
        let out = s.record(&format!(
            r#"{{"conversations":[{{"person":"{id}","date":"2026-05-04","practitioner":"J. Byrne",
            "form":"adult","stage":"assessment","outcomes":[{{"outcome":"seeing_people","own_words":"=walks"}}]}}]}}"#
        ));
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    s
}

#[test]
fn streamed_csv_is_byte_for_byte_the_data_package_outcomes_table() {
    let s = seeded();
    for text in [false, true] {
        let mut args = vec!["export"];
        if text {
            args.push("--include-text");
        }
        let streamed = s.ok(&args);
        let dir = s.dir.path().join(format!("pkg-{text}"));
        args.extend(["--out", dir.to_str().unwrap()]);
        s.ok(&args);
        let whole = std::fs::read_to_string(dir.join("outcomes.csv")).unwrap();
        assert!(streamed.lines().count() > 300);
        assert_eq!(streamed, whole, "include_text {text}");
    }
}

#[test]
fn streamed_jsonl_is_the_whole_extract_as_json_objects() {
    let s = seeded();
    let streamed = s.ok(&["export", "--format", "jsonl", "--include-text"]);
    let forms = Forms::embedded().unwrap();
    let store = Store::open(&s.path).unwrap();
    let x = extract(
        &forms,
        &store.secret().unwrap(),
        &store.services().unwrap(),
        &store.people().unwrap(),
        &store.conversations().unwrap(),
        true,
    );
    let fields = outcome_fields(&forms, true);
    let mut whole = String::new();
    for r in &x.outcomes {
        whole.push_str(&serde_json::to_string(&json_object(&fields, r)).unwrap());
        whole.push('\n');
    }
    assert!(whole.lines().count() > 300);
    assert_eq!(streamed, whole);
}
