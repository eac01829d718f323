//! `backup` and `restore`: a restored store gives byte-identical exports and person
//! pages, drafts and the secret key included; a damaged or cut backup is refused whole
//! and changes nothing; a restore killed at any moment can be run again.

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;
use support::*;
use talking_points::store::Store;

fn export(store: &Path) -> String {
    run_ok(store, &["export", "--format", "jsonl", "--include-text"])
}

fn shows(store: &Path, ids: &[String]) -> Vec<String> {
    ids.iter()
        .map(|id| run_ok(store, &["person", "show", id, "--json"]))
        .collect()
}

#[test]
fn a_restored_store_is_the_same_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(dir.path(), 80, 3);
    let ids = adult_ids(&store);
    record_large(dir.path(), &store, &ids[0], 200);
    // The large conversation went to a blob file, which is owner-only once saved.
    let blobs: Vec<_> = std::fs::read_dir(store.join("db").join("blobs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(
        !blobs.is_empty(),
        "a conversation over 128 KiB goes to a blob file"
    );
    for b in &blobs {
        let mode = std::fs::metadata(b).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{} is {mode:o}", b.display());
    }
    {
        let s = Store::open(&store).unwrap();
        s.save_draft(
            "draft-one",
            &serde_json::json!({"words": "Mòrag's 港口 🚶"}),
        )
        .unwrap();
    }
    let file = dir.path().join("store.backup");
    let said = run_ok(&store, &["backup", "--out", file.to_str().unwrap()]);
    assert!(said.contains("80 people"), "{said}");
    assert!(said.contains("1 drafts"), "{said}");
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the backup is owner-only");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".partial"))
        .collect();
    assert!(leftovers.is_empty(), "no temporary file is left behind");

    let restored = dir.path().join("restored");
    let said = run_ok(&restored, &["restore", file.to_str().unwrap()]);
    assert!(said.contains("the store is sound"), "{said}");
    assert!(export(&restored) == export(&store), "exports differ");
    assert!(
        shows(&restored, &ids) == shows(&store, &ids),
        "person pages differ"
    );
    let s = Store::open(&restored).unwrap();
    let draft: Option<serde_json::Value> = s.load_draft("draft-one").unwrap();
    assert_eq!(draft.unwrap()["words"], "Mòrag's 港口 🚶");
    let actions: Vec<String> = s
        .audit_entries()
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    // The original's audit trail, in order, then the restore itself.
    assert_eq!(actions[..3], ["seed", "create", "restore"], "{actions:?}");
    drop(s);
    let original = Store::open(&store).unwrap();
    let actions: Vec<String> = original
        .audit_entries()
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(actions.contains(&"backup".to_string()), "{actions:?}");
    drop(original);

    // New records in the restored store take audit keys after the restored ones.
    run_ok(&restored, &["verify"]);
    run_ok(&restored, &["verify"]);
    let s = Store::open(&restored).unwrap();
    let n = s.audit_entries().unwrap().len();
    assert!(
        n >= 4,
        "restored audit entries are kept, new ones added ({n})"
    );
}

#[test]
fn a_damaged_or_cut_backup_is_refused_whole_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(dir.path(), 30, 4);
    let file = dir.path().join("b.backup");
    run_ok(&store, &["backup", "--out", file.to_str().unwrap()]);
    let good = std::fs::read(&file).unwrap();
    // A store that already holds records, and a new one.
    let full = dir.path().join("full");
    run_ok(&full, &["seed", "--people", "5", "--seed", "9"]);
    let full_before = export(&full);
    let mut rng = Rng::new(5);
    let bad = dir.path().join("bad.backup");
    for t in 0..24 {
        let mut bytes = good.clone();
        let at = rng.below(bytes.len() as u64) as usize;
        if t % 2 == 0 {
            bytes.truncate(at);
        } else {
            bytes[at] ^= 1 << rng.below(8);
        }
        std::fs::write(&bad, &bytes).unwrap();
        let fresh = dir.path().join(format!("fresh{t}"));
        let r = run(&fresh, &["restore", bad.to_str().unwrap()]);
        assert_one_sentence(&r, &format!("trial {t} (at {at})"));
        assert!(
            r.stderr.contains("nothing was restored")
                || r.stderr.contains("not a talking-points backup"),
            "trial {t}: {}",
            r.stderr
        );
        assert_eq!(
            run_ok(&fresh, &["person", "list", "--json"]).trim(),
            "[]",
            "trial {t}: nothing was written"
        );
        let r = run(&full, &["restore", bad.to_str().unwrap()]);
        assert_one_sentence(&r, &format!("trial {t} into a full store"));
    }
    // A sound backup into a store that has records is refused too.
    let r = run(&full, &["restore", file.to_str().unwrap()]);
    assert_one_sentence(&r, "restore into a full store");
    assert!(r.stderr.contains("already holds records"), "{}", r.stderr);
    assert!(export(&full) == full_before, "the full store is unchanged");
}

#[test]
fn backup_replaces_a_symlink_rather_than_writing_through_it() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(dir.path(), 5, 1);
    let victim = dir.path().join("victim");
    std::fs::write(&victim, b"keep me").unwrap();
    let link = dir.path().join("link.backup");
    std::os::unix::fs::symlink(&victim, &link).unwrap();
    run_ok(&store, &["backup", "--out", link.to_str().unwrap()]);
    assert_eq!(std::fs::read(&victim).unwrap(), b"keep me");
    assert!(
        !std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn restore_killed_at_any_moment_can_be_run_again() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(dir.path(), 600, 11);
    let file = dir.path().join("b.backup");
    run_ok(&store, &["backup", "--out", file.to_str().unwrap()]);
    let original = export(&store);
    let target = dir.path().join("target");
    let mut rng = Rng::new(17);
    let mut interrupted = 0;
    for k in 0..20 {
        let _ = std::fs::remove_dir_all(&target);
        let mut child = tp(&target)
            .args(["restore", file.to_str().unwrap()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(3 + rng.below(120)));
        if child.try_wait().unwrap().is_none() {
            interrupted += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        let r = run(&target, &["verify"]);
        if !r.ok() {
            assert_one_sentence(&r, &format!("kill {k}"));
            assert!(r.stderr.contains("interrupted"), "kill {k}: {}", r.stderr);
        }
        if !r.ok() || export(&target).is_empty() {
            run_ok(&target, &["restore", file.to_str().unwrap()]);
        }
        assert!(
            export(&target) == original,
            "kill {k}: the restored records differ"
        );
    }
    eprintln!("20 kills during restore, {interrupted} of them mid-run");
    assert!(
        interrupted >= 3,
        "too few kills landed mid-run ({interrupted})"
    );
}
