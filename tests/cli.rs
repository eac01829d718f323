//! The command line as a user meets it: each command, and every bad input the
//! foundation issue names (exit code, message, store unchanged).

mod common;

use common::{TestStore, example};
use predicates::prelude::*;
use std::os::unix::fs::PermissionsExt;

#[test]
fn store_directory_is_owner_only() {
    let s = TestStore::new();
    s.with_service("Reablement");
    let mode = std::fs::metadata(&s.path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o700, "store dir mode {mode:o}");
    for e in walk(&s.path) {
        let m = std::fs::metadata(&e).unwrap().permissions().mode();
        assert_eq!(
            m & 0o077,
            0,
            "{} is readable by others ({m:o})",
            e.display()
        );
    }
}

fn walk(p: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(p).unwrap().flatten() {
        let path = e.path();
        if path.is_dir() {
            out.extend(walk(&path));
        }
        out.push(path);
    }
    out
}

#[test]
fn org_add_and_list() {
    let s = TestStore::new();
    let id = s.ok(&[
        "org",
        "add",
        "--partnership",
        "Glenmore HSCP",
        "--organisation",
        "Glenmore Council",
        "--service",
        "Reablement",
    ]);
    assert_eq!(id.trim().len(), 36);
    s.ok(&[
        "org",
        "add",
        "--partnership",
        "Glenmore HSCP",
        "--organisation",
        "NHS Glenmore",
        "--service",
        "District Nursing",
    ]);
    let list = s.ok(&["org", "list"]);
    assert!(list.contains("Glenmore HSCP"));
    assert!(list.contains("  Glenmore Council"));
    assert!(list.contains("    Reablement"));
    assert!(list.contains("    District Nursing"));
    let json: serde_json::Value = serde_json::from_str(&s.ok(&["org", "list", "--json"])).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 2);

    // A second service of the same name is refused.
    s.cmd()
        .args([
            "org",
            "add",
            "--partnership",
            "P",
            "--organisation",
            "O",
            "--service",
            "reablement",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already exists"));
    assert_eq!(
        s.ok(&["org", "list", "--json"]).matches("\"id\"").count(),
        2
    );
}

#[test]
fn person_add_prints_only_the_id_and_list_shows_them() {
    let s = TestStore::new();
    s.with_service("Reablement");
    let out = s.ok(&[
        "person",
        "add",
        "--name",
        "Morag MacLeod",
        "--service",
        "Reablement",
        "--dob",
        "1941-03-09",
    ]);
    assert_eq!(out.lines().count(), 1);
    let id = out.trim();
    assert!(uuid_like(id), "{out:?}");
    let carer = s.ok(&[
        "person",
        "add",
        "--name",
        "王秀英",
        "--service",
        "reablement",
        "--kind",
        "carer",
        "--cares-for",
        id,
    ]);
    let carer = carer.trim();

    let list = s.ok(&["person", "list"]);
    assert!(
        list.contains("Morag MacLeod") && list.contains("王秀英"),
        "{list}"
    );
    assert!(list.contains("1941-03-09"));

    let json: serde_json::Value =
        serde_json::from_str(&s.ok(&["person", "list", "--json"])).unwrap();
    let arr = json.as_array().unwrap();
    assert_eq!(arr.len(), 2);
    let morag = arr.iter().find(|p| p["id"] == id).unwrap();
    assert_eq!(morag["name"], "Morag MacLeod");
    assert_eq!(morag["kind"], "adult");
    assert_eq!(morag["service"], "Reablement");
    assert_eq!(morag["dob"], "1941-03-09");
    let c = arr.iter().find(|p| p["id"] == carer).unwrap();
    assert_eq!(c["kind"], "carer");
    assert_eq!(c["cares_for"], id);
    assert!(c["dob"].is_null());

    // Filter by service.
    s.with_service_named("Home Care");
    s.ok(&[
        "person",
        "add",
        "--name",
        "Ùisdean Mac a' Phì",
        "--service",
        "Home Care",
    ]);
    let only: serde_json::Value =
        serde_json::from_str(&s.ok(&["person", "list", "--service", "Home Care", "--json"]))
            .unwrap();
    assert_eq!(only.as_array().unwrap().len(), 1);
    assert_eq!(only[0]["name"], "Ùisdean Mac a' Phì");
    s.cmd()
        .args(["person", "list", "--service", "Nowhere"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no service named `Nowhere`"));
}

trait More {
    fn with_service_named(&self, name: &str);
}
impl More for TestStore {
    fn with_service_named(&self, name: &str) {
        self.ok(&[
            "org",
            "add",
            "--partnership",
            "Glenmore HSCP",
            "--organisation",
            "NHS Glenmore",
            "--service",
            name,
        ]);
    }
}

fn uuid_like(s: &str) -> bool {
    s.len() == 36 && s.parse::<uuid::Uuid>().is_ok()
}

#[test]
fn person_add_rejects_bad_input() {
    let s = TestStore::new();
    s.with_service("Reablement");
    let adult = s.add_person("Morag MacLeod", "Reablement");
    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        (
            vec!["--name", "A", "--service", "Nowhere"],
            1,
            "no service named `Nowhere`",
        ),
        (
            vec![
                "--name",
                "A",
                "--service",
                "Reablement",
                "--dob",
                "2030-01-01",
            ],
            1,
            "in the future",
        ),
        (
            vec![
                "--name",
                "A",
                "--service",
                "Reablement",
                "--dob",
                "1941-13-09",
            ],
            2,
            "not a real date",
        ),
        (
            vec![
                "--name",
                "A",
                "--service",
                "Reablement",
                "--dob",
                "9 March 1941",
            ],
            2,
            "YYYY-MM-DD",
        ),
        (vec!["--name", " ", "--service", "Reablement"], 1, "name"),
        (
            vec![
                "--name",
                "A",
                "--service",
                "Reablement",
                "--kind",
                "carer",
                "--cares-for",
                "0190a0c2-8a1b-7c3d-9e4f-123456789abc",
            ],
            1,
            "no person with that name or id",
        ),
        (
            vec![
                "--name",
                "A",
                "--service",
                "Reablement",
                "--cares-for",
                adult.as_str(),
            ],
            1,
            "only a carer",
        ),
        (
            vec![
                "--name",
                "A",
                "--service",
                "Reablement",
                "--kind",
                "carer",
                "--cares-for",
                "nonsense",
            ],
            1,
            "no person with that name or id",
        ),
        (
            vec!["--name", "A", "--service", "Reablement", "--kind", "robot"],
            2,
            "robot",
        ),
    ];
    for (args, code, msg) in cases {
        let mut full = vec!["person", "add"];
        full.extend(args.iter());
        s.cmd()
            .args(&full)
            .assert()
            .code(code)
            .stdout("")
            .stderr(predicate::str::contains(msg));
    }
    let json: serde_json::Value =
        serde_json::from_str(&s.ok(&["person", "list", "--json"])).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 1, "nothing was added");
}

#[test]
fn record_the_readme_example_and_show_it() {
    let s = TestStore::new();
    s.with_service("Reablement");
    let id = s.add_person("Morag MacLeod", "Reablement");
    let out = s.record(&example(&id));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ids: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    assert_eq!(ids.len(), 3);
    assert!(ids.iter().all(|i| uuid_like(i)));

    let text = s.ok(&["person", "show", &id]);
    for words in [
        "Morag MacLeod",
        "I miss my walking group",
        "my friends are there",
        "I want to get back to my walking group",
        "a volunteer walks with me",
        "the bus timetable changed",
        "I've been twice",
        "Review by: 2025-08-01",
        "Seeing people: Partly met",
        "Listened to: Met",
    ] {
        assert!(text.contains(words), "missing {words:?} in\n{text}");
    }

    let json = s.show_json(&id);
    assert_eq!(json["person"]["name"], "Morag MacLeod");
    assert_eq!(json["person"]["service"], "Reablement");
    let convs = json["conversations"].as_array().unwrap();
    let shown: Vec<&str> = convs.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(
        shown,
        ids.iter().map(String::as_str).collect::<Vec<_>>(),
        "in date order"
    );
    assert_eq!(convs[0]["stage"], "assessment");
    assert_eq!(convs[0]["form"], "adult");
    assert_eq!(
        convs[0]["outcomes"][0]["own_words"],
        "I miss my walking group"
    );
    assert_eq!(convs[1]["review_by"], "2025-08-01");
    assert_eq!(convs[2]["outcomes"][0]["barriers"][0], "transport");
}

#[test]
fn record_reads_a_file_argument() {
    let s = TestStore::new();
    s.with_service("Reablement");
    let id = s.add_person("Morag MacLeod", "Reablement");
    let f = s.dir.path().join("c.json");
    std::fs::write(&f, example(&id)).unwrap();
    let out = s.ok(&["record", f.to_str().unwrap()]);
    assert_eq!(out.lines().count(), 3);
    s.cmd()
        .args([
            "record",
            s.dir.path().join("missing.json").to_str().unwrap(),
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cannot read"));
}

/// Replaces the first occurrence of `from` in the example with `to`.
fn broken(id: &str, from: &str, to: &str) -> String {
    let e = example(id);
    assert!(e.contains(from), "test fixture lacks {from}");
    e.replacen(from, to, 1)
}

#[test]
fn record_is_all_or_nothing_and_names_the_problem() {
    let s = TestStore::new();
    s.with_service("Reablement");
    let id = s.add_person("Morag MacLeod", "Reablement");
    // Something is kept already, so "unchanged" is checked against a real state.
    let first = s.record(
        &format!(r#"{{"conversations":[{{"person":"{id}","stage":"assessment","date":"2024-01-05","practitioner":"A","outcomes":[{{"outcome":"feeling_safe","own_words":"keep"}}]}}]}}"#),
    );
    assert!(first.status.success());
    let before = s.show_json(&id);
    let audit_before = audit_len(&s);

    let unknown_person = "0190a0c2-8a1b-7c3d-9e4f-123456789abc";
    let cases: Vec<(String, &str)> = vec![
        (
            broken(
                &id,
                "\"outcome\": \"listened_to\"",
                "\"outcome\": \"walking_on_water\"",
            ),
            "conversations[2].outcomes[1].outcome",
        ),
        (
            broken(
                &id,
                "2025-08-01\", \"practitioner",
                "2025-13-01\", \"practitioner",
            ),
            "conversations[2].date: `2025-13-01` is not a real date",
        ),
        (
            broken(
                &id,
                "\"outcome\": \"seeing_people\", \"status\"",
                "\"outcome\": \"feeling_safe\", \"status\"",
            ),
            "conversations[2].outcomes[0].outcome: `feeling_safe` was never in a plan",
        ),
        (
            example(&id).replacen(&id, unknown_person, 1),
            "conversations[0].person: no person with id",
        ),
        (
            broken(&id, "\"date\": \"2025-05-02\"", "\"date\": \"2027-05-02\""),
            "conversations[0].date: the date 2027-05-02 is in the future",
        ),
        (
            broken(
                &id,
                "\"statement\": \"I want to get back to my walking group\",",
                "",
            ),
            "conversations[1].outcomes[0].statement: a planned outcome needs a statement",
        ),
        (
            broken(&id, "\"status\": \"partly_met\"", "\"status\": \"sort_of\""),
            "conversations[2].outcomes[0].status: `sort_of` is not a known review status",
        ),
        (
            broken(
                &id,
                "\"barriers\": [\"transport\"]",
                "\"barriers\": [\"weather\"]",
            ),
            "conversations[2].outcomes[0].barriers[0]",
        ),
        (
            broken(&id, "\"own_words\": \"I miss", "\"own_word\": \"I miss"),
            "conversations[0].outcomes[0].own_word: unknown field",
        ),
        (
            broken(&id, "\"stage\": \"planning\"", "\"stage\": \"plan\""),
            "conversations[1].stage",
        ),
        (
            broken(&id, "\"who\": \"community\"", "\"who\": \"aliens\""),
            "conversations[1].outcomes[0].actions[0].who",
        ),
        (
            broken(
                &id,
                "\"review_by\": \"2025-08-01\"",
                "\"review_by\": \"2025-01-01\"",
            ),
            "conversations[1].review_by",
        ),
        (
            broken(
                &id,
                "\"participants\": [\"person\", \"carer\"]",
                "\"participants\": [\"person\", \"dog\"]",
            ),
            "conversations[0].participants[1]",
        ),
        (
            broken(&id, "\"practitioner\": \"J. Byrne\",", ""),
            "conversations[0].practitioner: is missing",
        ),
        (broken(&id, "]}]}", "]}]"), "not valid JSON"),
        ("[]".to_string(), "expected the file as a JSON object"),
        ("{\"people\": []}".to_string(), "people: unknown field"),
    ];
    for (json, msg) in cases {
        let out = s.record(&json);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(1),
            "expected failure for {msg}: {stderr}"
        );
        assert!(stderr.contains(msg), "expected {msg:?} in {stderr:?}");
        assert!(stderr.contains("nothing was recorded"), "{stderr}");
        assert!(out.stdout.is_empty(), "no ids printed on failure");
        assert_eq!(s.show_json(&id), before, "store changed after: {msg}");
    }
    assert_eq!(
        audit_len(&s),
        audit_before,
        "no audit entries for rejected files"
    );
}

fn audit_len(s: &TestStore) -> usize {
    let store = talking_points::store::Store::open(&s.path).unwrap();
    store.audit_entries().unwrap().len()
}

#[test]
fn a_review_may_follow_a_plan_kept_earlier_and_process_outcomes_need_no_plan() {
    let s = TestStore::new();
    s.with_service("Reablement");
    let id = s.add_person("Morag MacLeod", "Reablement");
    let plan = format!(
        r#"{{"conversations":[{{"person":"{id}","stage":"planning","date":"2025-01-10","practitioner":"A","outcomes":[{{"outcome":"mobility","statement":"I want to manage the stairs"}}]}}]}}"#
    );
    assert!(s.record(&plan).status.success());
    let review = format!(
        r#"{{"conversations":[{{"person":"{id}","stage":"review","date":"2025-04-10","practitioner":"A","outcomes":[{{"outcome":"mobility","status":"met","next":"close"}},{{"outcome":"treated_with_respect","status":"met"}}]}}]}}"#
    );
    let out = s.record(&review);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A review dated before the plan does not count as following it.
    let early = review.replace("2025-04-10", "2024-12-01");
    let out = s.record(&early);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("`mobility` was never in a plan"));
    // A carer's form has its own outcomes: an adult outcome is refused for a carer.
    let carer = s.ok(&[
        "person",
        "add",
        "--name",
        "Iain",
        "--service",
        "Reablement",
        "--kind",
        "carer",
    ]);
    let carer = carer.trim();
    let wrong = format!(
        r#"{{"conversations":[{{"person":"{carer}","stage":"assessment","date":"2025-01-10","practitioner":"A","outcomes":[{{"outcome":"mobility"}}]}}]}}"#
    );
    let out = s.record(&wrong);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not an outcome in the carer form"));
    let right = wrong.replace("mobility", "life_of_own");
    assert!(s.record(&right).status.success());
}

#[test]
fn person_show_rejects_unknown_and_malformed_ids() {
    let s = TestStore::new();
    s.with_service("Reablement");
    s.cmd()
        .args(["person", "show", "0190a0c2-8a1b-7c3d-9e4f-123456789abc"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no person with id"));
    s.cmd()
        .args(["person", "show", "morag"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a person id"));
}

#[test]
fn a_second_process_is_told_the_store_is_in_use() {
    let s = TestStore::new();
    s.with_service("Reablement");
    let held = talking_points::store::Store::open(&s.path).unwrap();
    s.cmd()
        .args(["person", "list"])
        .assert()
        .code(1)
        .stderr(format!(
            "talking-points: store {} is in use by another talking-points process\n",
            s.path.display()
        ));
    drop(held);
    s.ok(&["person", "list"]);
}

#[test]
fn a_directory_with_other_files_is_not_taken_for_a_store() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("thesis.txt"), "mine").unwrap();
    assert_cmd::Command::cargo_bin("talking-points")
        .unwrap()
        .args(["--store", dir.path().to_str().unwrap(), "person", "list"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is not a talking-points store"));
}

#[test]
fn verify_passes_on_a_sound_store_and_names_a_damaged_record() {
    let s = TestStore::new();
    s.with_service("Reablement");
    let id = s.add_person("Morag MacLeod", "Reablement");
    assert!(s.record(&example(&id)).status.success());
    s.cmd()
        .arg("verify")
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "store is sound: 1 services, 1 people, 3 conversations",
        ));

    // Damage the person's record on disk, as a failing disk might.
    {
        let db = sled::open(s.path.join("db")).unwrap();
        let people = db.open_tree("people").unwrap();
        let key = uuid::Uuid::parse_str(&id).unwrap();
        let mut v = people.get(key.as_bytes()).unwrap().unwrap().to_vec();
        let n = v.len();
        v[n - 2] ^= 0x01;
        people.insert(key.as_bytes(), v).unwrap();
        db.flush().unwrap();
    }
    s.cmd()
        .arg("verify")
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!(
            "people {id}: fails its checksum"
        )))
        .stderr(predicate::str::contains("damaged"));
    // Reading the damaged person is an error message, not a panic.
    s.cmd()
        .args(["person", "show", &id])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("damaged").and(predicate::str::contains("panicked").not()),
        );
}

#[test]
fn the_audit_log_records_changes_without_names_or_text() {
    let s = TestStore::new();
    s.with_service("Reablement");
    let id = s.add_person("Morag MacLeod", "Reablement");
    assert!(s.record(&example(&id)).status.success());
    let store = talking_points::store::Store::open(&s.path).unwrap();
    let entries = store.audit_entries().unwrap();
    assert_eq!(
        entries.len(),
        5,
        "service, person, three conversations: {entries:?}"
    );
    assert!(entries.iter().all(|e| e.action == "create"));
    assert_eq!(entries[1].record, "person");
    assert_eq!(entries[1].id, id);
    let dump = format!("{entries:?}");
    for secret in ["Morag", "MacLeod", "walking group", "1941", "Reablement"] {
        assert!(!dump.contains(secret), "audit log mentions {secret}");
    }
    assert!(!entries[0].user.is_empty());
}

#[test]
fn forms_list_and_check() {
    let list = assert_cmd::Command::cargo_bin("talking-points")
        .unwrap()
        .args(["forms", "list"])
        .output()
        .unwrap();
    let list = String::from_utf8(list.stdout).unwrap();
    assert!(
        list.contains("adult") && list.contains("15 outcomes"),
        "{list}"
    );
    assert!(
        list.contains("carer") && list.contains("14 outcomes"),
        "{list}"
    );
    assert!(list.contains("9 outcomes"), "{list}");
    let forms_dir = concat!(env!("CARGO_MANIFEST_DIR"), "/forms");
    assert_cmd::Command::cargo_bin("talking-points")
        .unwrap()
        .args(["forms", "check", forms_dir])
        .assert()
        .success()
        .stdout(predicate::str::contains("sound"));
}

#[test]
fn forms_check_reports_every_problem_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/forms");
    for f in [
        "adult.toml",
        "carer.toml",
        "national.toml",
        "vocabularies.toml",
    ] {
        std::fs::copy(format!("{src}/{f}"), dir.path().join(f)).unwrap();
    }
    // adult: a duplicate id, an unknown national outcome and a missing label.
    let adult = std::fs::read_to_string(dir.path().join("adult.toml")).unwrap();
    let adult = adult
        .replacen("id = \"having_things_to_do\"", "id = \"feeling_safe\"", 1)
        .replacen("national = [7]", "national = [7, 12]", 1)
        .replacen("label = \"Reliability\"", "", 1);
    std::fs::write(dir.path().join("adult.toml"), &adult).unwrap();
    // carer: broken TOML.
    std::fs::write(
        dir.path().join("carer.toml"),
        "type = \"framework\"\nid = \"carer\nversion = 1\n",
    )
    .unwrap();

    let out = assert_cmd::Command::cargo_bin("talking-points")
        .unwrap()
        .args(["forms", "check", dir.path().to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    let line_of = |needle: &str| adult.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let adult_path = dir.path().join("adult.toml").display().to_string();
    let dup_line = adult
        .lines()
        .enumerate()
        .filter(|(_, l)| l.contains("id = \"feeling_safe\""))
        .nth(1)
        .unwrap()
        .0
        + 1;
    assert!(
        err.contains(&format!(
            "{adult_path}:{dup_line}:6: duplicate outcome id `feeling_safe`"
        )),
        "{err}"
    );
    let nat = line_of("national = [7, 12]");
    let col = adult.lines().nth(nat - 1).unwrap().find("12").unwrap() + 1;
    assert!(
        err.contains(&format!(
            "{adult_path}:{nat}:{col}: unknown national outcome 12"
        )),
        "{err}"
    );
    assert!(
        err.contains("outcome `reliability` has no `label`"),
        "{err}"
    );
    let carer_path = dir.path().join("carer.toml").display().to_string();
    assert!(err.contains(&format!("{carer_path}:2:")), "{err}");
    assert!(err.contains("4 problem(s) found"), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    assert_cmd::Command::cargo_bin("talking-points")
        .unwrap()
        .arg("frobnicate")
        .assert()
        .code(2);
    assert_cmd::Command::cargo_bin("talking-points")
        .unwrap()
        .args(["person", "add"])
        .assert()
        .code(2);
    assert_cmd::Command::cargo_bin("talking-points")
        .unwrap()
        .args(["seed"])
        .assert()
        .code(2);
}
