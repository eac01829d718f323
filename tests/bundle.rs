//! `bundle` and `merge`: checked files, all-or-nothing, idempotent, order-independent.

mod common;

use common::TestStore;
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use talking_points::store::Store;

/// The store's records, with people's services given by name (services merged from
/// two stores keep whichever id arrived first) and everything sorted, plus the number
/// of audit entries.
#[derive(Debug, PartialEq)]
struct Snapshot {
    services: Vec<(String, String, String)>,
    people: Vec<serde_json::Value>,
    conversations: Vec<serde_json::Value>,
}

fn snapshot(path: &Path) -> (Snapshot, usize) {
    let store = Store::open(path).expect("open");
    let services = store.services().expect("services");
    let name_of = |id: &talking_points::domain::Id| {
        services
            .iter()
            .find(|s| s.id == *id)
            .map(|s| s.name.clone())
            .expect("person's service exists")
    };
    let mut svc: Vec<_> = services
        .iter()
        .map(|s| {
            (
                s.name.clone(),
                s.organisation.clone(),
                s.partnership.clone(),
            )
        })
        .collect();
    svc.sort();
    let mut people: Vec<_> = store
        .people()
        .expect("people")
        .into_iter()
        .map(|p| {
            let mut v = serde_json::to_value(&p).expect("json");
            v["service"] = serde_json::Value::String(name_of(&p.service));
            v
        })
        .collect();
    people.sort_by_key(|v| v["id"].to_string());
    let mut conversations: Vec<_> = store
        .conversations()
        .expect("conversations")
        .into_iter()
        .map(|c| serde_json::to_value(&c).expect("json"))
        .collect();
    conversations.sort_by_key(|v| v["id"].to_string());
    let audit = store.audit_entries().expect("audit").len();
    (
        Snapshot {
            services: svc,
            people,
            conversations,
        },
        audit,
    )
}

fn seeded(seed: &str) -> TestStore {
    let s = TestStore::new();
    s.ok(&["seed", "--people", "60", "--seed", seed]);
    s
}

fn bundle(s: &TestStore, name: &str) -> PathBuf {
    let file = s.dir.path().join(name);
    let out = s.ok(&["bundle", "--out", file.to_str().expect("utf-8")]);
    assert!(out.starts_with("bundled "), "{out}");
    file
}

fn merge(team: &TestStore, files: &[&Path]) -> String {
    let mut args = vec!["merge"];
    args.extend(files.iter().map(|f| f.to_str().expect("utf-8")));
    team.ok(&args)
}

fn person_list(s: &TestStore) -> String {
    s.ok(&["person", "list", "--json"])
}

#[test]
fn bundle_is_owner_only_and_checked() {
    use std::os::unix::fs::PermissionsExt;
    let a = seeded("1");
    let file = bundle(&a, "a.tpb");
    let mode = std::fs::metadata(&file).expect("meta").permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let bytes = std::fs::read(&file).expect("read");
    assert!(bytes.starts_with(b"TPBUNDLE 1\n{"));
    let tail = String::from_utf8_lossy(&bytes[bytes.len() - 80..]).to_string();
    assert!(tail.contains("\nblake3 "), "{tail}");
}

#[test]
fn merge_is_order_independent_and_idempotent() {
    let a = seeded("1");
    let b = seeded("2");
    let fa = bundle(&a, "a.tpb");
    let fb = bundle(&b, "b.tpb");

    let team1 = TestStore::new();
    let out_a = merge(&team1, &[&fa]);
    assert!(out_a.contains("0 updated); 0 conflicts"), "{out_a}");
    merge(&team1, &[&fb]);
    let team2 = TestStore::new();
    let out = merge(&team2, &[&fb, &fa]);
    assert!(out.contains("total: "), "{out}");
    assert!(out.contains("0 conflicts"), "{out}");

    assert_eq!(person_list(&team1), person_list(&team2));
    let (s1, _) = snapshot(&team1.path);
    let (s2, _) = snapshot(&team2.path);
    assert_eq!(s1.people.len(), 120);
    assert_eq!(s1, s2);
    // Every person reads the same through the command line too.
    let ids: Vec<String> = s1
        .people
        .iter()
        .map(|p| p["id"].as_str().expect("id").to_string())
        .collect();
    for id in &ids {
        assert_eq!(team1.show_json(id), team2.show_json(id));
    }

    // The same bundle again changes nothing and says so.
    let (before, _) = snapshot(&team1.path);
    let again = merge(&team1, &[&fa]);
    assert!(
        again.contains("services (0 new)")
            && again.contains("people (0 new)")
            && again.contains("conversations (0 new, 0 updated); 0 conflicts"),
        "{again}"
    );
    let (after, _) = snapshot(&team1.path);
    assert_eq!(before, after);
}

fn assert_refused(team: &TestStore, file: &Path) {
    let before = snapshot(&team.path);
    let out = team
        .cmd()
        .args(["merge", file.to_str().expect("utf-8")])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&file.display().to_string()) && err.contains("damaged or incomplete"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert_eq!(snapshot(&team.path), before, "the store changed");
}

#[test]
fn damaged_bundles_change_nothing() {
    let a = seeded("1");
    let b = seeded("2");
    let fa = bundle(&a, "a.tpb");
    let fb = bundle(&b, "b.tpb");
    let team = TestStore::new();
    merge(&team, &[&fa]);

    let bytes = std::fs::read(&fb).expect("read");
    let half = a.dir.path().join("half.tpb");
    std::fs::write(&half, &bytes[..bytes.len() / 2]).expect("write");
    assert_refused(&team, &half);

    let mut flipped = bytes.clone();
    let at = bytes.len() / 3;
    flipped[at] ^= 0x01;
    let flip = a.dir.path().join("flip.tpb");
    std::fs::write(&flip, &flipped).expect("write");
    assert_refused(&team, &flip);

    // A good file alongside a damaged one: still nothing.
    let before = snapshot(&team.path);
    let out = team
        .cmd()
        .args([
            "merge",
            fb.to_str().expect("utf-8"),
            flip.to_str().expect("utf-8"),
        ])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(snapshot(&team.path), before);
}

#[test]
fn newer_revision_wins_either_way_and_conflict_is_reported() {
    let a = TestStore::new();
    a.with_service("Reablement");
    let pid = a.add_person("Morag MacLeod", "Reablement");
    let conv = |id: Option<&str>, words: &str| {
        let id = id.map(|i| format!(r#""id": "{i}", "#)).unwrap_or_default();
        format!(
            r#"{{"conversations": [{{{id}"person": "{pid}", "stage": "assessment", "date": "2025-05-02",
            "practitioner": "J. Byrne", "outcomes": [{{"outcome": "seeing_people", "own_words": "{words}"}}]}}]}}"#
        )
    };
    let out = a.record(&conv(None, "I miss my walking group"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cid = String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_string();
    let old = bundle(&a, "old.tpb");
    let out = a.record(&conv(Some(&cid), "I have been back twice"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let new = bundle(&a, "new.tpb");

    let t1 = TestStore::new();
    let o1 = merge(&t1, &[&old]);
    assert!(o1.contains("0 conflicts"), "{o1}");
    let o1 = merge(&t1, &[&new]);
    let t2 = TestStore::new();
    merge(&t2, &[&new]);
    let o2 = merge(&t2, &[&old]);
    for o in [&o1, &o2] {
        assert!(o.contains(&format!("conflict: conversation {cid}")), "{o}");
        assert!(o.contains("1 conflicts"), "{o}");
    }
    assert!(o1.contains("(0 new, 1 updated)"), "{o1}");
    assert!(o2.contains("(0 new, 0 updated)"), "{o2}");
    for t in [&t1, &t2] {
        let shown = t.show_json(&pid);
        let words = shown["conversations"][0]["outcomes"][0]["own_words"].clone();
        assert_eq!(words, "I have been back twice");
    }
    assert_eq!(snapshot(&t1.path).0, snapshot(&t2.path).0);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// Any order of merging, with repeats, in one command or several, gives the same store.
    #[test]
    fn any_merge_order_gives_the_same_store(
        order in proptest::collection::vec(0usize..3, 3..7),
        split in 1usize..4,
    ) {
        use std::sync::OnceLock;
        static BUNDLES: OnceLock<(Vec<TestStore>, Vec<PathBuf>)> = OnceLock::new();
        let (_, files) = BUNDLES.get_or_init(|| {
            let stores: Vec<TestStore> = ["1", "2", "3"]
                .iter()
                .map(|s| {
                    let t = TestStore::new();
                    t.ok(&["seed", "--people", "15", "--seed", s]);
                    t
                })
                .collect();
            let files = stores.iter().enumerate().map(|(i, s)| bundle(s, &format!("{i}.tpb"))).collect();
            (stores, files)
        });
        // Every bundle at least once, in the drawn order.
        let mut seq = order.clone();
        seq.extend(0..3);
        let reference = TestStore::new();
        merge(&reference, &[&files[0], &files[1], &files[2]]);
        let team = TestStore::new();
        for chunk in seq.chunks(split) {
            let fs: Vec<&Path> = chunk.iter().map(|&i| files[i].as_path()).collect();
            merge(&team, &fs);
        }
        prop_assert_eq!(snapshot(&team.path).0, snapshot(&reference.path).0);
    }
}
