//! `export`: pseudonymised rows, no names, dates of birth or person ids.

mod common;

use common::TestStore;
use std::os::unix::fs::PermissionsExt;

#[test]
fn exports_over_seeded_data_never_identify_anyone() {
    let s = TestStore::new();
    s.ok(&["seed", "--people", "300", "--seed", "11"]);
    let people: serde_json::Value =
        serde_json::from_str(&s.ok(&["person", "list", "--json"])).unwrap();
    let people = people.as_array().unwrap();
    assert_eq!(people.len(), 300);

    let mut outputs = Vec::new();
    for args in [
        vec!["export"],
        vec!["export", "--format", "jsonl"],
        vec!["export", "--include-text"],
        vec!["export", "--format", "jsonl", "--include-text"],
    ] {
        outputs.push((args.join(" "), s.ok(&args)));
    }
    let file = s.dir.path().join("rows.csv");
    s.ok(&["export", "--out", file.to_str().unwrap()]);
    let mode = std::fs::metadata(&file).unwrap().permissions().mode();
    assert_eq!(mode & 0o077, 0, "the export file is owner-only");
    outputs.push(("--out".into(), std::fs::read_to_string(&file).unwrap()));
    assert_eq!(outputs[0].1, outputs[4].1, "--out writes what stdout shows");

    for (what, out) in &outputs {
        assert!(out.lines().count() > 300, "{what} has rows");
        for p in people {
            let id = p["id"].as_str().unwrap();
            let name = p["name"].as_str().unwrap();
            assert!(!out.contains(id), "{what} contains a person id");
            assert!(
                !out.contains(&id.replace('-', "")),
                "{what} contains a person id"
            );
            // Whole names: single given names can be ordinary words in free text.
            if name.contains(' ') {
                assert!(!out.contains(name), "{what} contains the name {name}");
            }
            if let Some(dob) = p["dob"].as_str() {
                // A date of birth is before any conversation date, so it never appears
                // as a date column; check it is nowhere at all.
                assert!(!out.contains(dob), "{what} contains a date of birth {dob}");
            }
        }
    }
}

#[test]
fn export_rows_have_the_documented_columns_and_stable_keys() {
    let s = TestStore::new();
    s.ok(&["seed", "--people", "40", "--seed", "3"]);
    let a = s.ok(&["export"]);
    let b = s.ok(&["export"]);
    assert_eq!(a, b, "same store, same keys");
    let mut rdr = csv::Reader::from_reader(a.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    let forms = talking_points::forms::Forms::embedded().unwrap();
    let names: Vec<&str> = talking_points::export::outcome_fields(&forms, false)
        .iter()
        .map(|f| f.name)
        .collect();
    assert_eq!(header, names);
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    assert!(
        rows.iter()
            .any(|r| &r[col("stage")] == "review" && !r[col("status")].is_empty())
    );
    assert!(
        rows.iter()
            .any(|r| r[col("national_outcomes")].contains(';')),
        "an outcome mapped to two national outcomes"
    );
    assert!(rows.iter().any(|r| &r[col("closed")] == "true"));
    assert!(rows.iter().any(|r| !r[col("review_by")].is_empty()));
    assert!(rows.iter().any(|r| !r[col("cares_for_key")].is_empty()));
    // No record ids: the conversation key is a keyed hash, not the time-ordered UUID.
    assert!(!header.iter().any(|h| h == "conversation_id"));
    // No conversation's record id appears anywhere.
    let people: serde_json::Value =
        serde_json::from_str(&s.ok(&["person", "list", "--json"])).unwrap();
    for p in people.as_array().unwrap() {
        let shown = s.show_json(p["id"].as_str().unwrap());
        for c in shown["conversations"].as_array().into_iter().flatten() {
            let id = c["id"].as_str().expect("a conversation id");
            assert!(!a.contains(id), "the export has a record id");
        }
    }
    assert!(rows.iter().all(|r| r[col("record_key")].len() == 32));
    let text = s.ok(&["export", "--include-text"]);
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(rdr.headers().unwrap().len(), names.len() + 5);
    // JSON lines carry the same rows.
    let jsonl = s.ok(&["export", "--format", "jsonl"]);
    assert_eq!(jsonl.lines().count(), rows.len());
    let first: serde_json::Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    assert_eq!(first["record_key"], rows[0][0].to_string());
    assert_eq!(first["person_key"], rows[0][1].to_string());
    // Exports are audited.
    let store = talking_points::store::Store::open(&s.path).unwrap();
    assert!(
        store
            .audit_entries()
            .unwrap()
            .iter()
            .any(|e| e.action == "export")
    );
}
