//! The data-protection rights: corrections keep what they replace, subject access shows
//! everything held about a person, erasure removes every trace (down to the bytes on
//! disk), a tombstone stops a merge bringing an erased person back, and the audit log
//! lists who did what without names or words.

mod common;

use common::TestStore;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use talking_points::domain::{Id, Stage};
use talking_points::store::Store;
use talking_points::tui::editor::{Draft, FieldKind};
use talking_points::tui::field::Value as FieldValue;

/// Every file under `dir` that holds `needle` anywhere in its bytes.
fn files_holding(dir: &Path, needle: &[u8]) -> Vec<String> {
    let mut hits = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).expect("read dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                dirs.push(p);
            } else {
                let bytes = std::fs::read(&p).expect("read file");
                if bytes.windows(needle.len()).any(|w| w == needle) {
                    hits.push(p.display().to_string());
                }
            }
        }
    }
    hits
}

fn assessment(person: &str, id: Option<&str>, words: &str) -> String {
    let id = id.map(|i| format!("\"id\": \"{i}\", ")).unwrap_or_default();
    format!(
        r#"{{"conversations": [{{{id}"person": "{person}", "stage": "assessment", "date": "2026-01-10",
        "practitioner": "J. Byrne", "outcomes": [{{"outcome": "seeing_people", "own_words": "{words}"}}]}}]}}"#
    )
}

fn recorded(s: &TestStore, json: &str) -> String {
    let out = s.record(json);
    assert!(
        out.status.success(),
        "record failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_string()
}

fn failing(s: &TestStore, args: &[&str]) -> (i32, String) {
    let out = s.cmd().args(args).output().expect("run");
    assert!(!out.status.success(), "{args:?} succeeded");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

fn export_json(s: &TestStore, id: &str) -> Value {
    serde_json::from_str(&s.ok(&["person", "export", id, "--format", "json"])).expect("json")
}

#[test]
fn a_correction_keeps_the_earlier_revision_and_is_audited() {
    let s = TestStore::new();
    s.with_service("Reablement");
    let p = s.add_person("Morag MacLeod", "Reablement");
    let c = recorded(&s, &assessment(&p, None, "I miss the ceilidh at Balnain"));
    let again = recorded(
        &s,
        &assessment(&p, Some(&c), "I miss the dancing at Balnain"),
    );
    assert_eq!(again, c);

    // person show keeps its shape and gives the latest revision.
    let shown = s.show_json(&p);
    let convs = shown["conversations"].as_array().expect("list");
    assert_eq!(convs.len(), 1);
    assert_eq!(convs[0]["revision"], 1);
    assert_eq!(
        convs[0]["outcomes"][0]["own_words"],
        "I miss the dancing at Balnain"
    );

    // The earlier words are kept, and the subject access export shows them.
    let sar = export_json(&s, &p);
    let earlier = sar["earlier_revisions"].as_array().expect("list");
    assert_eq!(earlier.len(), 1);
    assert_eq!(earlier[0]["revision"], 0);
    assert_eq!(
        earlier[0]["outcomes"][0]["own_words"],
        "I miss the ceilidh at Balnain"
    );

    // Exports and reports use the latest revision only.
    let rows = s.ok(&["export", "--format", "jsonl", "--include-text"]);
    assert!(
        rows.contains("dancing") && !rows.contains("ceilidh"),
        "{rows}"
    );

    let audit: Vec<Value> =
        serde_json::from_str(&s.ok(&["audit", "--action", "correct", "--json"])).expect("json");
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0]["record"], "conversation");
    assert_eq!(audit[0]["id"], c.as_str());
}

#[test]
fn a_correction_may_not_change_the_stage_or_the_person() {
    let s = TestStore::new();
    s.with_service("Reablement");
    let p = s.add_person("Morag MacLeod", "Reablement");
    let q = s.add_person("Iain Mackay", "Reablement");
    let c = recorded(&s, &assessment(&p, None, "walking group"));
    let before = s.show_json(&p);

    let plan = format!(
        r#"{{"conversations": [{{"id": "{c}", "person": "{p}", "stage": "planning", "date": "2026-01-10",
        "practitioner": "J. Byrne", "outcomes": [{{"outcome": "seeing_people", "statement": "get back to the group",
        "actions": [{{"who": "community", "what": "a volunteer walks with me"}}]}}]}}]}}"#
    );
    let out = s.record(&plan);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("conversations[0].stage") && err.contains("cannot change the stage"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");

    let out = s.record(&assessment(&q, Some(&c), "walking group"));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("different person"), "{err}");

    assert_eq!(s.show_json(&p), before);
    assert!(
        export_json(&s, &p)["earlier_revisions"]
            .as_array()
            .expect("list")
            .is_empty()
    );
}

/// A store with Mòrag (adult), her carer 王秀英, a corrected conversation, a draft
/// about her, and a second person whose words must survive everything.
struct Scene {
    s: TestStore,
    morag: String,
    carer: String,
    other: String,
}

const MORAG: &str = "Mòrag Nic a' Phì";
const CARER: &str = "王秀英";
const PHRASE: &str = "the heron at Loch Ruthven";
const REVISED: &str = "the otters below Dores";
const DRAFTED: &str = "my sister in Tomatin";
const OTHER_WORDS: &str = "Saturday football in Inverness";

fn scene() -> Scene {
    let s = TestStore::new();
    s.with_service("Reablement");
    let morag = s.add_person(MORAG, "Reablement");
    let carer = s
        .ok(&[
            "person",
            "add",
            "--name",
            CARER,
            "--service",
            "Reablement",
            "--kind",
            "carer",
            "--cares-for",
            &morag,
        ])
        .trim()
        .to_string();
    let other = s.add_person("Iain Mackay", "Reablement");
    // A long conversation, so sled keeps it in a blob file of its own.
    let long = format!("{PHRASE} {}", "and the long walk home ".repeat(7000));
    let c = recorded(&s, &assessment(&morag, None, &long));
    recorded(&s, &assessment(&morag, Some(&c), REVISED));
    recorded(&s, &assessment(&other, None, OTHER_WORDS));
    {
        let store = Store::open(&s.path).expect("open");
        let mut values = BTreeMap::new();
        values.insert(
            "seeing_people".to_string(),
            vec![(FieldKind::OwnWords, FieldValue::Text(DRAFTED.into()))],
        );
        let d = Draft {
            stage: Stage::Review,
            person: morag.parse::<Id>().expect("id"),
            conversation: Id::new(),
            selected: 0,
            saved_at: "2026-11-23 10:00".into(),
            values,
            editing: None,
        };
        store.save_draft("editor", &d).expect("draft");
    }
    s.ok(&["person", "export", &morag, "--format", "md"]);
    Scene {
        s,
        morag,
        carer,
        other,
    }
}

#[test]
fn subject_access_holds_everything_about_the_person_and_is_audited() {
    let sc = scene();
    let s = &sc.s;
    let v = export_json(s, &sc.morag);
    assert_eq!(v["person"]["name"], MORAG);
    assert_eq!(v["person"]["dob"], "1941-03-09");
    assert_eq!(v["person"]["service"], "Reablement");
    assert_eq!(v["cared_for_by"][0]["name"], CARER);
    assert_eq!(v["conversations"].as_array().expect("list").len(), 1);
    assert_eq!(v["conversations"][0]["outcomes"][0]["own_words"], REVISED);
    assert!(
        v["earlier_revisions"][0]["outcomes"][0]["own_words"]
            .as_str()
            .expect("text")
            .starts_with(PHRASE)
    );
    assert_eq!(v["drafts"][0]["person"], sc.morag.as_str());
    let actions: Vec<&str> = v["audit"]
        .as_array()
        .expect("list")
        .iter()
        .map(|e| e["action"].as_str().expect("action"))
        .collect();
    assert_eq!(
        actions,
        ["create", "create", "correct", "subject-access"],
        "{v}"
    );
    // Nothing about the other person.
    assert!(!v.to_string().contains(OTHER_WORDS));
    assert!(!v.to_string().contains(&sc.other));

    // The carer's export shows the link the other way.
    let cv = export_json(s, &sc.carer);
    assert_eq!(cv["cares_for"]["name"], MORAG);

    // Markdown, written owner-only to a file, reads as prose and tables.
    let file = s.dir.path().join("sar.md");
    s.ok(&[
        "person",
        "export",
        &sc.morag,
        "--format",
        "md",
        "--out",
        file.to_str().expect("utf-8"),
    ]);
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&file).expect("meta").permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let md = std::fs::read_to_string(&file).expect("read");
    for want in [
        &format!("# Everything held about {MORAG}"),
        "Date of birth: 1941-03-09",
        &format!("{CARER} ("),
        REVISED,
        PHRASE,
        DRAFTED,
        "| When (UTC) | Account | What was done |",
        "subject-access",
    ] {
        assert!(md.contains(want), "missing {want:?} in\n{md}");
    }

    let (code, err) = failing(s, &["person", "export", &Id::new().to_string()]);
    assert_eq!(code, 1);
    assert!(err.contains("no person with id"), "{err}");
}

#[test]
fn erasure_needs_yes() {
    let sc = scene();
    let (code, err) = failing(&sc.s, &["person", "erase", &sc.morag]);
    assert_eq!(code, 2);
    assert!(err.contains("--yes"), "{err}");
    assert_eq!(sc.s.show_json(&sc.morag)["person"]["name"], MORAG);
}

#[test]
fn erasure_removes_every_trace_down_to_the_bytes() {
    let sc = scene();
    let s = &sc.s;
    let bundle_before = s.dir.path().join("before.tpb");
    s.ok(&["bundle", "--out", bundle_before.to_str().expect("utf-8")]);
    // The scan can see plain words in the store's files: before, it finds them all.
    for needle in [MORAG, PHRASE, REVISED, DRAFTED, OTHER_WORDS] {
        assert!(
            !files_holding(&s.path, needle.as_bytes()).is_empty(),
            "{needle} not found before erasing"
        );
    }

    // The in-process draft above changed the files behind the program's back, so the
    // next open kept a copy of the database: the erasure must reach that copy too.
    assert!(
        s.path.join("preserved").exists(),
        "expected a preserved copy of the changed files"
    );
    let out = s.ok(&["person", "erase", &sc.morag, "--yes"]);
    assert!(
        out.starts_with(&format!("erased person {}", sc.morag)),
        "{out}"
    );
    assert!(
        out.contains("1 conversations, 1 earlier revisions, 1 drafts; 1 carer links removed"),
        "{out}"
    );

    for needle in [MORAG, PHRASE, REVISED, DRAFTED, sc.morag.as_str()] {
        let hits = files_holding(&s.path, needle.as_bytes());
        assert!(hits.is_empty(), "{needle} still in {hits:?}");
    }
    // The other person's words are still there, so the scan still sees plain text.
    assert!(!files_holding(&s.path, OTHER_WORDS.as_bytes()).is_empty());
    for leftover in ["db.new", "db.old", "compact.pending"] {
        assert!(!s.path.join(leftover).exists(), "{leftover} left behind");
    }

    let (code, _) = failing(s, &["person", "show", &sc.morag]);
    assert_eq!(code, 1);
    assert!(
        s.ok(&["verify"])
            .starts_with("store is sound: 1 services, 2 people, 1 conversations")
    );
    // The carer stays, unlinked.
    let carer = s.show_json(&sc.carer);
    assert_eq!(carer["person"]["name"], CARER);
    assert!(carer["person"]["cares_for"].is_null());

    let later = [
        s.ok(&["export", "--format", "jsonl", "--include-text"]),
        s.ok(&["person", "list", "--json"]),
        s.ok(&[
            "report", "--level", "service", "--period", "2025-26", "--format", "json",
        ]),
        {
            let f = s.dir.path().join("after.tpb");
            s.ok(&["bundle", "--out", f.to_str().expect("utf-8")]);
            String::from_utf8_lossy(&std::fs::read(&f).expect("read")).to_string()
        },
    ];
    for text in &later {
        for needle in [MORAG, PHRASE, REVISED, sc.morag.as_str()] {
            assert!(!text.contains(needle), "{needle} in a later output");
        }
    }
    assert!(later[0].contains(OTHER_WORDS));

    // The audit keeps that an erasure happened, not about whom.
    let audit = s.ok(&["audit", "--json"]);
    assert!(!audit.contains(&sc.morag), "{audit}");
    let entries: Vec<Value> = serde_json::from_str(&audit).expect("json");
    let erase: Vec<&Value> = entries.iter().filter(|e| e["action"] == "erase").collect();
    assert_eq!(erase.len(), 1);
    let marker = erase[0]["id"].as_str().expect("id");
    assert!(marker.starts_with("erased:"), "{marker}");
    // Entries that were about her now carry the same marker.
    assert_eq!(
        entries.iter().filter(|e| e["id"] == marker).count(),
        5,
        "{audit}"
    );

    // New entries after the rewrite add to the log rather than overwrite it (the
    // rewritten database's id counter starts again from zero).
    s.ok(&["verify"]);
    s.ok(&["verify"]);
    let more: Vec<Value> = serde_json::from_str(&s.ok(&["audit", "--json"])).expect("json");
    assert_eq!(more.len(), entries.len() + 2);
    assert_eq!(more[..entries.len()], entries[..]);

    // A bundle made before the erasure does not bring her back.
    let out = s.ok(&["merge", bundle_before.to_str().expect("utf-8")]);
    assert!(
        out.contains("skipped 1 erased people and 1 of their conversations"),
        "{out}"
    );
    // The bundle's carer still names her; that link is dropped too, so the carer
    // matches the one held and nothing conflicts.
    assert!(out.contains("0 conflicts"), "{out}");
    let (code, _) = failing(s, &["person", "show", &sc.morag]);
    assert_eq!(code, 1);
    assert!(!s.ok(&["person", "list"]).contains(MORAG));
    assert!(s.ok(&["verify"]).starts_with("store is sound"));
    assert!(s.show_json(&sc.carer)["person"]["cares_for"].is_null());
}

#[test]
fn audit_lists_actions_by_date_without_names_or_words() {
    let sc = scene();
    let s = &sc.s;
    s.ok(&["export", "--format", "csv"]);
    let table = s.ok(&["audit"]);
    assert!(table.starts_with("TIME (UTC)"), "{table}");
    for action in ["create", "correct", "subject-access", "export"] {
        assert!(table.contains(action), "{action} missing:\n{table}");
    }
    for secret in [MORAG, CARER, PHRASE, REVISED, OTHER_WORDS, "1941-03-09"] {
        assert!(!table.contains(secret), "{secret} in the audit:\n{table}");
    }
    let all: Vec<Value> = serde_json::from_str(&s.ok(&["audit", "--json"])).expect("json");
    let today = chrono::Utc::now().date_naive().to_string();
    let since: Vec<Value> =
        serde_json::from_str(&s.ok(&["audit", "--json", "--since", &today])).expect("json");
    assert_eq!(since.len(), all.len());
    let until: Vec<Value> =
        serde_json::from_str(&s.ok(&["audit", "--json", "--until", "2020-01-01"])).expect("json");
    assert!(until.is_empty());
    let exports: Vec<Value> =
        serde_json::from_str(&s.ok(&["audit", "--json", "--action", "export"])).expect("json");
    assert_eq!(exports.len(), 1);
    assert!(
        all.iter()
            .all(|e| !e["user"].as_str().unwrap_or("").is_empty())
    );
    let (code, _) = failing(s, &["audit", "--since", "2026-13-01"]);
    assert_eq!(code, 2);
}

#[test]
fn verify_names_a_damaged_earlier_revision() {
    let s = TestStore::new();
    s.with_service("Reablement");
    let p = s.add_person("Morag MacLeod", "Reablement");
    let c = recorded(&s, &assessment(&p, None, "the first words"));
    recorded(&s, &assessment(&p, Some(&c), "the second words"));
    assert!(s.ok(&["verify"]).starts_with("store is sound"));
    {
        let db = sled::open(s.path.join("db")).expect("sled");
        let tree = db.open_tree("revisions").expect("tree");
        let (k, v) = tree.iter().next().expect("one revision").expect("read");
        let mut v = v.to_vec();
        let last = v.len() - 3;
        v[last] ^= 0x20;
        tree.insert(k, v).expect("insert");
        db.flush().expect("flush");
    }
    let out = s.cmd().arg("verify").output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(&format!("revisions {c}: fails its checksum")),
        "{text}"
    );
}

/// Salvage brings back a corrected conversation's earlier revision as an earlier
/// revision (not as the current record), so a correction survives damage too.
#[test]
fn salvage_keeps_earlier_revisions_in_their_place() {
    let s = TestStore::new();
    s.with_service("Reablement");
    let id = s.add_person("Morag MacLeod", "Reablement");
    let c = recorded(&s, &assessment(&id, None, PHRASE));
    recorded(&s, &assessment(&id, Some(&c), REVISED));
    let new = s.dir.path().join("salvaged");
    s.ok(&["salvage", "--out", new.to_str().expect("utf-8")]);
    let out = assert_cmd::Command::cargo_bin("talking-points")
        .expect("binary")
        .arg("--store")
        .arg(&new)
        .env("TALKING_POINTS_TODAY", "2026-11-23")
        .args(["person", "export", &id, "--format", "json"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    let text = v.to_string();
    let current = v["conversations"][0].to_string();
    assert!(current.contains(REVISED), "{current}");
    assert!(
        !current.contains(PHRASE),
        "the earlier words became current: {current}"
    );
    assert!(
        v["earlier_revisions"].to_string().contains(PHRASE),
        "earlier revision lost: {text}"
    );
}
