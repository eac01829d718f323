//! A full disk: on a small tmpfs, `record`s of large conversations until the disk
//! fills, then reads. No command hangs; a failure says how much space to free, in one
//! sentence; every id printed as saved is still there once space is freed.
//! Needs a tmpfs mount (root); without one, falls back to a file size limit through
//! `ulimit -f`, and without that says why it was skipped.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use support::*;

struct Mount(PathBuf);

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

fn try_mount(dir: &Path, size: &str) -> Option<Mount> {
    let ok = Command::new("mount")
        .args([
            "-t",
            "tmpfs",
            "-o",
            &format!("size={size},mode=0700"),
            "tmpfs",
        ])
        .arg(dir)
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    ok.then(|| Mount(dir.to_path_buf()))
}

fn large_file(dir: &Path, person: &str, kib: usize, n: usize) -> PathBuf {
    let words = format!("{n} Bha mi aig a' bhùth 港口 🚶 ").repeat(kib * 1024 / 34 + 1);
    let conv = serde_json::json!({"conversations": [{
        "person": person, "stage": "assessment", "date": "2026-01-05",
        "practitioner": "Pràctitioner", "participants": ["person"],
        "outcomes": [{"outcome": "feeling_safe", "own_words": words, "why": "x",
                      "resources": ["community"], "priority": true}]}]});
    let file = dir.join(format!("c{n}.json"));
    std::fs::write(&file, conv.to_string()).unwrap();
    file
}

fn full_disk_message_ok(r: &Ran, context: &str) {
    assert_one_sentence(r, context);
    let m = &r.stderr;
    assert!(
        m.contains("is full; free at least") && m.contains(" MB and try again"),
        "{context}: {m}"
    );
}

/// A new store with one service and one person; the person's id.
fn one_person(store: &Path) -> String {
    run_ok(
        store,
        &[
            "org",
            "add",
            "--partnership",
            "P",
            "--organisation",
            "O",
            "--service",
            "Reablement",
        ],
    );
    run_ok(
        store,
        &[
            "person",
            "add",
            "--name",
            "Morag",
            "--service",
            "Reablement",
        ],
    )
    .trim()
    .to_string()
}

#[test]
fn a_full_disk_never_hangs_and_loses_nothing_saved() {
    let outside = tempfile::tempdir().unwrap();
    let mnt = outside.path().join("small");
    std::fs::create_dir(&mnt).unwrap();
    let Some(_mount) = try_mount(&mnt, "6m") else {
        eprintln!(
            "skipped the tmpfs trial: cannot mount a tmpfs here (not root?); the ulimit trial covers the file-size limit"
        );
        return;
    };
    let store = mnt.join("store");
    let person = one_person(&store);
    let mut saved = Vec::new();
    let mut failures = 0;
    let mut trials = 0;
    for n in 0..60 {
        let file = large_file(outside.path(), &person, 150 + (n % 5) * 40, n);
        trials += 1;
        let r = run(&store, &["record", file.to_str().unwrap()]);
        if r.ok() {
            saved.push(r.stdout.trim().to_string());
        } else {
            failures += 1;
            full_disk_message_ok(&r, &format!("record {n}"));
            if failures >= 8 {
                break;
            }
        }
        // Reading works, or says how much to free.
        let r = run(&store, &["person", "list"]);
        if !r.ok() {
            full_disk_message_ok(&r, &format!("person list after record {n}"));
        }
    }
    assert!(failures > 0, "the disk never filled ({trials} records)");
    for args in [
        vec!["verify"],
        vec!["export", "--format", "csv"],
        vec!["person", "show", &person, "--json"],
    ] {
        let r = run(&store, &args);
        if !r.ok() {
            full_disk_message_ok(&r, &args.join(" "));
        }
    }
    // Free the space: move the store out to a roomy disk, as a user would.
    let roomy = outside.path().join("moved");
    copy_dir(&store, &roomy);
    let r = run(&roomy, &["verify"]);
    assert!(
        r.ok(),
        "the store is sound once there is room: {}{}",
        r.stdout,
        r.stderr
    );
    let shown = run_ok(&roomy, &["person", "show", &person, "--json"]);
    for id in &saved {
        assert!(
            shown.contains(id.as_str()),
            "conversation {id} was reported saved but is gone"
        );
    }
    eprintln!(
        "{trials} records into a 6 MB tmpfs: {} saved, {failures} refused as the disk filled; none hung",
        saved.len()
    );
}

#[test]
fn a_file_size_limit_is_a_full_disk_too() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let person = one_person(&store);
    let mut refused = 0;
    for n in 0..6 {
        let file = large_file(dir.path(), &person, 300, n);
        // 256 KiB: the blob file of a large conversation cannot grow past it. SIGXFSZ is
        // ignored so that the write fails with an error instead of killing the process.
        let script = r#"trap '' XFSZ; ulimit -f 256 || exit 97; exec "$0" "$@""#;
        let child = Command::new("sh")
            .args([
                "-c",
                script,
                BIN,
                "--store",
                store.to_str().unwrap(),
                "record",
            ])
            .arg(&file)
            .env("TALKING_POINTS_TODAY", TODAY)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let r = wait_limited(child, LIMIT).expect("record under a file size limit hung");
        if r.code == Some(97) {
            eprintln!("skipped: the shell cannot set a file size limit here");
            return;
        }
        if !r.ok() {
            refused += 1;
            full_disk_message_ok(&r, &format!("record {n} under ulimit -f"));
        }
    }
    assert!(
        refused > 0,
        "a 300 KiB record went past a 256 KiB file size limit"
    );
    let r = run(&store, &["verify"]);
    assert!(r.ok(), "{}{}", r.stdout, r.stderr);
    eprintln!("6 records under a 256 KiB file size limit: {refused} refused in one sentence");
}
