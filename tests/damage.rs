//! A damaged store: random flips, zeroed runs and cuts of sled's files never make a
//! command hang or say more than one plain sentence, and `salvage` gets back every
//! record whose checksum still holds into a new store that passes `verify`, even when
//! the database cannot be opened at all. Also: SIGKILLs during `salvage`.

mod support;

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use support::*;

/// A seeded store with a large conversation (in a blob file), and a bundle to merge.
struct Base {
    dir: tempfile::TempDir,
    store: PathBuf,
    bundle: PathBuf,
    person: String,
}

fn base(people: usize) -> Base {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = seeded(dir.path(), people, 7);
    let person = adult_ids(&store)[0].clone();
    record_large(dir.path(), &store, &person, 200);
    let other = seeded(&dir.path().join("other"), 20, 8);
    let bundle = dir.path().join("other.bundle");
    run_ok(&other, &["bundle", "--out", bundle.to_str().unwrap()]);
    Base {
        dir,
        store,
        bundle,
        person,
    }
}

/// Damages one of the store's files: flips a byte, zeroes a run, or cuts it short.
fn damage(store: &Path, rng: &mut Rng) -> String {
    let files: Vec<PathBuf> = db_files(store)
        .into_iter()
        .filter(|f| std::fs::metadata(f).map(|m| m.len() > 0).unwrap_or(false))
        .collect();
    let f = &files[rng.below(files.len() as u64) as usize];
    let mut bytes = std::fs::read(f).expect("read");
    let at = rng.below(bytes.len() as u64) as usize;
    let what = match rng.below(3) {
        0 => {
            bytes[at] ^= 1 << rng.below(8);
            "flipped a bit"
        }
        1 => {
            let end = (at + 1 + rng.below(4096) as usize).min(bytes.len());
            bytes[at..end].fill(0);
            "zeroed a run"
        }
        _ => {
            bytes.truncate(at);
            "cut the file"
        }
    };
    std::fs::write(f, &bytes).expect("write");
    format!("{what} at {at} of {}", f.display())
}

const TRIALS: u64 = 30;

#[test]
fn no_command_hangs_on_a_damaged_store_and_salvage_always_works() {
    let b = base(120);
    let work = b.dir.path().join("work");
    let out = b.dir.path().join("out");
    let (bundle, backup) = (b.bundle.to_str().unwrap(), b.dir.path().join("x.backup"));
    let commands: Vec<Vec<&str>> = vec![
        vec!["report", "--level", "national", "--period", "2025-26"],
        vec!["export", "--format", "jsonl", "--include-text"],
        vec!["person", "list"],
        vec!["person", "show", &b.person, "--json"],
        vec!["verify"],
        vec!["backup", "--out", backup.to_str().unwrap()],
        vec!["merge", bundle],
    ];
    let mut rng = Rng::new(2026);
    let (mut refused, mut salvaged) = (0, 0);
    for t in 0..TRIALS {
        let _ = std::fs::remove_dir_all(&work);
        let _ = std::fs::remove_dir_all(&out);
        copy_dir(&b.store, &work);
        let what = damage(&work, &mut rng);
        for args in &commands {
            let context = format!("trial {t} ({what}): `{}`", args.join(" "));
            // `run` fails the test if the command outlives its time limit.
            let r = run(&work, args);
            if !r.ok() {
                refused += 1;
                assert_one_sentence(&r, &context);
                let m = &r.stderr;
                if m.contains("damaged") {
                    assert!(m.contains("salvage --out NEWSTORE"), "{context}: {m}");
                }
                assert!(!m.contains("in use"), "{context}: lock kept: {m}");
            }
        }
        let r = run(&work, &["salvage", "--out", out.to_str().unwrap()]);
        assert!(r.ok(), "trial {t} ({what}): salvage failed: {}", r.stderr);
        let verified = run(&out, &["verify"]);
        assert!(
            verified.ok(),
            "trial {t}: salvaged store: {}",
            verified.stderr
        );
        salvaged += 1;
    }
    eprintln!(
        "{TRIALS} damaged stores: {refused} commands refused in one sentence, {salvaged} salvaged"
    );
}

/// The bytes of one record: every copy sled holds of it, found by a name only it has.
fn positions(hay: &[u8], needle: &[u8]) -> Vec<usize> {
    hay.windows(needle.len())
        .enumerate()
        .filter(|(_, w)| *w == needle)
        .map(|(i, _)| i)
        .collect()
}

#[test]
fn salvage_loses_exactly_the_damaged_record_and_verify_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    run_ok(
        &store,
        &[
            "org",
            "add",
            "--partnership",
            "Glenmore HSCP",
            "--organisation",
            "Glenmore Council",
            "--service",
            "Reablement",
        ],
    );
    let mut ids = Vec::new();
    for i in 0..30 {
        let name = format!("Person Number{i:02}x");
        let id = run_ok(
            &store,
            &["person", "add", "--name", &name, "--service", "Reablement"],
        );
        ids.push(id.trim().to_string());
    }
    let before: serde_json::Value =
        serde_json::from_str(&run_ok(&store, &["person", "list", "--json"])).unwrap();
    // Damage every copy of person 17's name.
    let mut hits = 0;
    for f in db_files(&store) {
        let mut bytes = std::fs::read(&f).unwrap();
        let found = positions(&bytes, b"Number17x");
        for p in &found {
            bytes[p + 3] ^= 0x01;
        }
        hits += found.len();
        std::fs::write(&f, &bytes).unwrap();
    }
    assert!(hits > 0, "the name is in the database files");

    let r = run(&store, &["verify"]);
    if r.ok() {
        panic!("verify passed a store with a damaged person: {}", r.stdout);
    }
    assert_one_sentence(&r, "verify");
    // Either sled reads the record and the envelope fails its checksum (named by tree
    // and id), or sled's own check fails first (named by file and offset).
    let named = r
        .stdout
        .contains(&format!("people {}: fails its checksum", ids[17]))
        || r.stdout.contains(&format!(
            "person {}: every copy in the database files fails its checksum",
            ids[17]
        ));
    assert!(named, "verify names the damage: {}{}", r.stdout, r.stderr);
    assert!(r.stderr.contains("salvage --out NEWSTORE"), "{}", r.stderr);

    let out = dir.path().join("salvaged");
    let s = run_ok(&store, &["salvage", "--out", out.to_str().unwrap()]);
    assert!(
        s.contains("person                  29 recovered,     1 lost"),
        "salvage says what was lost: {s}"
    );
    assert!(
        s.contains("service                  1 recovered,     0 lost"),
        "{s}"
    );
    run_ok(&out, &["verify"]);
    let after: serde_json::Value =
        serde_json::from_str(&run_ok(&out, &["person", "list", "--json"])).unwrap();
    let mut expected: Vec<serde_json::Value> = before
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["id"] != ids[17].as_str())
        .cloned()
        .collect();
    let mut got = after.as_array().unwrap().clone();
    let key = |v: &serde_json::Value| v["id"].as_str().unwrap().to_string();
    expected.sort_by_key(key);
    got.sort_by_key(key);
    assert_eq!(got, expected, "every other person is back, unchanged");
}

#[test]
fn salvage_works_when_the_database_cannot_be_opened() {
    let b = base(60);
    let export = |s: &Path| run_ok(s, &["export", "--format", "jsonl", "--include-text"]);
    let original = export(&b.store);
    // sled's configuration file, which it checks before anything else, is destroyed.
    std::fs::write(b.store.join("db").join("conf"), b"not sled's configuration").expect("write");
    for args in [vec!["verify"], vec!["person", "list"]] {
        let r = run(&b.store, &args);
        assert_one_sentence(&r, &args.join(" "));
        assert!(r.stderr.contains("salvage --out NEWSTORE"), "{}", r.stderr);
    }
    let out = b.dir.path().join("salvaged");
    let s = run_ok(&b.store, &["salvage", "--out", out.to_str().unwrap()]);
    assert!(s.contains("(0 lost)"), "{s}");
    run_ok(&out, &["verify"]);
    // The secret key came back too, so the pseudonymous export is the same, byte for byte.
    assert!(export(&out) == original, "the salvaged export differs");
}

#[test]
fn salvage_refuses_a_store_in_use_and_a_full_target() {
    let b = base(10);
    let out = b.dir.path().join("full");
    run_ok(&out, &["seed", "--people", "3"]);
    let r = run(&b.store, &["salvage", "--out", out.to_str().unwrap()]);
    assert_one_sentence(&r, "salvage into a store with records");
    assert!(r.stderr.contains("already holds records"), "{}", r.stderr);
    let r = run(&b.store, &["salvage", "--out", b.store.to_str().unwrap()]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
}

#[test]
fn salvage_killed_at_any_moment_can_be_run_again() {
    let b = base(600);
    let export = |s: &Path| run_ok(s, &["export", "--format", "jsonl", "--include-text"]);
    let original = export(&b.store);
    let mut rng = Rng::new(99);
    let out = b.dir.path().join("salvaged");
    let mut interrupted = 0;
    for k in 0..20 {
        let _ = std::fs::remove_dir_all(&out);
        let child = tp(&b.store)
            .args(["salvage", "--out", out.to_str().unwrap()])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(5 + rng.below(150)));
        let mut child = child;
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill();
        let _ = child.wait();
        if !finished {
            interrupted += 1;
        }
        // Whatever the kill left: the new store is whole, or empty, or says the
        // salvage was interrupted; in the last two cases salvaging again finishes it.
        let r = run(&out, &["verify"]);
        if !r.ok() {
            assert_one_sentence(&r, &format!("kill {k}"));
            assert!(r.stderr.contains("interrupted"), "kill {k}: {}", r.stderr);
        }
        if !r.ok() || export(&out).is_empty() {
            let again = run(&b.store, &["salvage", "--out", out.to_str().unwrap()]);
            assert!(again.ok(), "kill {k}: salvage again: {}", again.stderr);
        }
        assert!(
            export(&out) == original,
            "kill {k}: the salvaged records differ"
        );
    }
    eprintln!("20 kills during salvage, {interrupted} of them mid-run");
    assert!(
        interrupted >= 3,
        "too few kills landed mid-run ({interrupted})"
    );
}
