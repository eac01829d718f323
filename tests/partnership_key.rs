//! The partnership key: stores that share it give the same person the same pseudonym,
//! so a practitioner's export and the team store's agree; the key moves only through an
//! owner-only key file and backups, never through bundles, exports or reports.

mod common;

use common::TestStore;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn run(s: &TestStore, args: &[&str]) -> (i32, String, String) {
    let o = s.cmd().args(args).output().expect("run");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn p(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// person_key and record_key of every export row, keyed by what the row is about in a
/// way both stores share: (stage, date, outcome) per person is not unique, so compare
/// the key sets and the (record_key -> person_key) pairs.
fn keys(s: &TestStore) -> BTreeMap<String, String> {
    let csv = s.ok(&["export"]);
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let h: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let (rk, pk) = (col("record_key"), col("person_key"));
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            (r[rk].to_string(), r[pk].to_string())
        })
        .collect()
}

fn people(m: &BTreeMap<String, String>) -> BTreeSet<String> {
    m.values().cloned().collect()
}

/// A practitioner's store of `n` people, bundled and merged into a team store.
fn practitioner_and_team(share_key: bool) -> (TestStore, TestStore) {
    let practitioner = TestStore::new();
    let team = TestStore::new();
    if share_key {
        let file = team.dir.path().join("partnership.key");
        team.ok(&["key", "export", "--out", p(&file)]);
        // A new store takes the key without --replace: it has published nothing yet.
        practitioner.ok(&["key", "import", p(&file)]);
    }
    practitioner.ok(&["seed", "--people", "25", "--seed", "3"]);
    let bundle = practitioner.dir.path().join("week.tpb");
    practitioner.ok(&["bundle", "--out", p(&bundle)]);
    team.ok(&["merge", p(&bundle)]);
    (practitioner, team)
}

#[test]
fn stores_sharing_the_key_give_each_person_the_same_pseudonym() {
    let (practitioner, team) = practitioner_and_team(true);
    let (a, b) = (keys(&practitioner), keys(&team));
    assert!(a.len() > 20, "the practitioner exported rows");
    assert_eq!(a, b, "every conversation and person has the same keys");
    assert_eq!(
        practitioner.ok(&["key", "fingerprint"]),
        team.ok(&["key", "fingerprint"])
    );
}

#[test]
fn stores_with_their_own_keys_give_different_pseudonyms() {
    let (practitioner, team) = practitioner_and_team(false);
    let (a, b) = (keys(&practitioner), keys(&team));
    assert_eq!(a.len(), b.len(), "the same conversations");
    assert!(people(&a).is_disjoint(&people(&b)));
    assert!(a.keys().all(|k| !b.contains_key(k)));
    assert_ne!(
        practitioner.ok(&["key", "fingerprint"]),
        team.ok(&["key", "fingerprint"])
    );
}

#[test]
fn the_key_is_only_in_the_key_file_and_backups() {
    let s = TestStore::new();
    s.ok(&["seed", "--people", "30", "--seed", "2"]);
    let file = s.dir.path().join("partnership.key");
    let out = s.ok(&["key", "export", "--out", p(&file)]);
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let text = std::fs::read_to_string(&file).unwrap();
    let hex = text.lines().nth(1).unwrap().to_string();
    assert_eq!(hex.len(), 64);
    assert!(!out.contains(&hex), "the command does not print the key");
    let fp = s.ok(&["key", "fingerprint"]);
    assert!(out.contains(fp.trim()), "it names the fingerprint: {out}");

    // Not in any export, report or bundle, as hex or as bytes.
    let raw: Vec<u8> = (0..32)
        .map(|i| u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    let mut outputs = vec![
        s.ok(&["export"]).into_bytes(),
        s.ok(&["export", "--format", "jsonl", "--include-text"])
            .into_bytes(),
        s.ok(&["audit"]).into_bytes(),
    ];
    for format in ["table", "csv", "json", "md", "html"] {
        let args = [
            "report", "--level", "service", "--period", "2025-26", "--format", format,
        ];
        outputs.push(s.ok(&args).into_bytes());
    }
    let bundle = s.dir.path().join("b.tpb");
    s.ok(&["bundle", "--out", p(&bundle)]);
    outputs.push(std::fs::read(&bundle).unwrap());
    let pkg = s.dir.path().join("pkg");
    s.ok(&["export", "--out", p(&pkg)]);
    for f in std::fs::read_dir(&pkg).unwrap() {
        outputs.push(std::fs::read(f.unwrap().path()).unwrap());
    }
    let decimal = format!("{:?}", raw).replace(' ', "");
    for o in &outputs {
        let has = |needle: &[u8]| o.windows(needle.len()).any(|w| w == needle);
        assert!(!has(hex.as_bytes()) && !has(&raw) && !has(decimal.as_bytes()));
    }

    // A backup carries it: the restored store has the same key and the same export.
    let backup = s.dir.path().join("store.backup");
    s.ok(&["backup", "--out", p(&backup)]);
    let restored = TestStore::new();
    restored.ok(&["restore", p(&backup)]);
    assert_eq!(restored.ok(&["key", "fingerprint"]), fp);
    assert_eq!(keys(&restored), keys(&s));
}

#[test]
fn a_store_with_records_keeps_its_key_unless_told_to_replace_it() {
    let partnership = TestStore::new();
    let file = partnership.dir.path().join("partnership.key");
    partnership.ok(&["key", "export", "--out", p(&file)]);
    let s = TestStore::new();
    s.ok(&["seed", "--people", "20", "--seed", "4"]);
    let before = (s.ok(&["key", "fingerprint"]), keys(&s));

    let (code, _, err) = run(&s, &["key", "import", p(&file)]);
    assert_eq!(code, 1);
    assert!(
        err.contains("--replace") && err.contains("pseudonyms in new exports"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1);
    assert_eq!((s.ok(&["key", "fingerprint"]), keys(&s)), before);

    // Malformed files are refused in one sentence and change nothing.
    let dir = s.dir.path();
    let good = std::fs::read_to_string(&file).unwrap();
    let bad = [
        ("empty", String::new()),
        ("cut", good[..good.len() - 10].to_string()),
        ("not hex", good.replace(|c: char| c.is_ascii_digit(), "z")),
        ("a bundle", "TPBUNDLE 1\n{}\nblake3 00\n".to_string()),
    ];
    for (what, text) in bad {
        let f = dir.join(what);
        std::fs::write(&f, text).unwrap();
        let (code, out, err) = run(&s, &["key", "import", p(&f), "--replace"]);
        assert_eq!(code, 1, "{what}");
        assert!(out.is_empty(), "{what}");
        assert!(
            err.contains("is not a partnership key file"),
            "{what}: {err}"
        );
        assert_eq!(err.trim().lines().count(), 1);
    }
    let (code, _, err) = run(&s, &["key", "import", p(&dir.join("missing.key"))]);
    assert_eq!(code, 1);
    assert!(err.contains("cannot read"), "{err}");
    assert_eq!((s.ok(&["key", "fingerprint"]), keys(&s)), before);

    // With --replace the pseudonyms change to the partnership's, and the audit says so.
    let out = s.ok(&["key", "import", p(&file), "--replace"]);
    assert!(out.contains("now uses the partnership key"), "{out}");
    let after = keys(&s);
    assert_eq!(
        s.ok(&["key", "fingerprint"]),
        partnership.ok(&["key", "fingerprint"])
    );
    assert_eq!(after.len(), before.1.len());
    assert!(people(&after).is_disjoint(&people(&before.1)));
    let audit: Vec<serde_json::Value> = serde_json::from_str(&s.ok(&["audit", "--json"])).unwrap();
    let entry = audit.iter().find(|e| e["action"] == "key import").unwrap();
    let (old_fp, new_fp) = (before.0.trim(), partnership.ok(&["key", "fingerprint"]));
    assert_eq!(entry["id"], format!("{old_fp} -> {}", new_fp.trim()));
    // Importing the same key again changes nothing.
    let again = s.ok(&["key", "import", p(&file)]);
    assert!(again.contains("nothing changed"), "{again}");
}

#[test]
fn a_person_erased_before_the_key_changed_stays_out_of_later_merges() {
    let practitioner = TestStore::new();
    practitioner.ok(&["seed", "--people", "12", "--seed", "5"]);
    let bundle = practitioner.dir.path().join("b.tpb");
    practitioner.ok(&["bundle", "--out", p(&bundle)]);
    let team = TestStore::new();
    team.ok(&["merge", p(&bundle)]);
    let list: serde_json::Value =
        serde_json::from_str(&team.ok(&["person", "list", "--json"])).unwrap();
    let n = list.as_array().unwrap().len();
    let id = list[0]["id"].as_str().unwrap().to_string();
    team.ok(&["person", "erase", &id, "--yes"]);

    let partnership = TestStore::new();
    let file = partnership.dir.path().join("partnership.key");
    partnership.ok(&["key", "export", "--out", p(&file)]);
    team.ok(&["key", "import", p(&file), "--replace"]);

    let out = team.ok(&["merge", p(&bundle)]);
    assert!(out.contains("skipped 1 erased people"), "{out}");
    let list: serde_json::Value =
        serde_json::from_str(&team.ok(&["person", "list", "--json"])).unwrap();
    assert_eq!(list.as_array().unwrap().len(), n - 1);
    assert!(!list.to_string().contains(&id));
    team.ok(&["verify"]);
}
