//! Leaking nothing through the file system, tried as another account on the same machine
//! would: a store directory made in advance, one opened up after the fact, `--out` files
//! that already exist or are links, and messages that repeat what they were given.

mod common;

use common::TestStore;
use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
use std::path::{Path, PathBuf};

fn mode(p: &Path) -> u32 {
    std::fs::symlink_metadata(p).unwrap().mode() & 0o7777
}

fn walk(p: &Path) -> Vec<PathBuf> {
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

fn org_add(s: &TestStore, extra: &[&str]) -> std::process::Output {
    s.cmd()
        .args(extra)
        .args([
            "org",
            "add",
            "--partnership",
            "Glenmore HSCP",
            "--organisation",
            "Glenmore Council",
            "--service",
            "Reablement",
        ])
        .output()
        .unwrap()
}

fn is_root() -> bool {
    nix::unistd::geteuid().is_root()
}

/// Another account pre-creates the store directory open to all, with an empty database
/// file it can read; the victim's first use must refuse it, not fill it with names.
#[test]
fn a_store_made_in_advance_by_another_account_is_refused() {
    if !is_root() {
        eprintln!("skipped: needs root to make a directory owned by another account");
        return;
    }
    let s = TestStore::new();
    std::fs::create_dir_all(s.path.join("db")).unwrap();
    std::fs::write(s.path.join("db").join("db"), b"").unwrap();
    for p in [
        s.path.clone(),
        s.path.join("db"),
        s.path.join("db").join("db"),
    ] {
        std::os::unix::fs::chown(&p, Some(65534), Some(65534)).unwrap();
        let m = if p.is_dir() { 0o777 } else { 0o666 };
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(m)).unwrap();
    }
    let out = org_add(&s, &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("belongs to another account"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(
        std::fs::metadata(s.path.join("db").join("db"))
            .unwrap()
            .len(),
        0,
        "nothing may be written into the other account's file"
    );
}

#[test]
fn a_store_opened_up_to_others_is_refused_until_closed_again() {
    let s = TestStore::new();
    s.with_service("Reablement");
    s.add_person("Morag MacLeod", "Reablement");
    std::fs::set_permissions(&s.path, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = s.cmd().args(["person", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("can be reached by other accounts"), "{err}");
    assert!(err.contains("chmod -R go-rwx"), "{err}");
    assert!(out.stdout.is_empty());

    // The deliberate override works, and closing the directory again works without it.
    let out = s
        .cmd()
        .args(["--allow-shared-permissions", "person", "list"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("Morag MacLeod"));
    std::fs::set_permissions(&s.path, std::fs::Permissions::from_mode(0o700)).unwrap();
    assert!(s.ok(&["person", "list"]).contains("Morag MacLeod"));
}

#[test]
fn an_open_directory_inside_the_store_is_refused() {
    let s = TestStore::new();
    s.with_service("Reablement");
    std::fs::set_permissions(s.path.join("db"), std::fs::Permissions::from_mode(0o777)).unwrap();
    let out = s.cmd().args(["org", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("can be reached by other accounts"));
}

#[test]
fn an_empty_directory_of_ours_made_with_mkdir_is_taken_and_closed() {
    let s = TestStore::new();
    std::fs::create_dir_all(&s.path).unwrap();
    std::fs::set_permissions(&s.path, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert!(org_add(&s, &[]).status.success());
    assert_eq!(mode(&s.path), 0o700);
}

#[test]
fn a_store_given_as_a_link_is_refused() {
    let s = TestStore::new();
    s.with_service("Reablement");
    let link = s.dir.path().join("link");
    symlink(&s.path, &link).unwrap();
    let out = assert_cmd::Command::cargo_bin("talking-points")
        .unwrap()
        .arg("--store")
        .arg(&link)
        .args(["org", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("symbolic link"));
}

/// Every file the store makes is private from the moment it exists, a large
/// conversation's blob file included, even when the caller's umask is loose.
#[test]
fn every_file_the_store_creates_is_owner_only() {
    let s = TestStore::new();
    s.with_service("Reablement");
    let id = s.add_person("Morag MacLeod", "Reablement");
    let long = "Tha mi ag iarraidh a dhol air ais don bhuidheann coiseachd. ".repeat(4000);
    let json = format!(
        r#"{{"conversations": [{{"person": "{id}", "stage": "assessment", "date": "2025-05-02",
        "practitioner": "J. Byrne", "outcomes": [{{"outcome": "seeing_people", "own_words": "{long}"}}]}}]}}"#
    );
    let out = s.record(&json);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let files = walk(&s.path);
    assert!(
        files.iter().any(|p| p.to_string_lossy().contains("blobs")),
        "expected a blob for a {} byte conversation",
        long.len()
    );
    for p in files {
        let m = mode(&p);
        assert_eq!(m & 0o077, 0, "{} is {m:o}", p.display());
    }
}

#[test]
fn out_files_are_private_replace_what_was_there_and_never_follow_links() {
    let s = TestStore::new();
    s.with_service("Reablement");
    let id = s.add_person("Morag MacLeod", "Reablement");
    assert!(s.record(&common::example(&id)).status.success());

    let existing = s.dir.path().join("report.csv");
    std::fs::write(&existing, "old").unwrap();
    std::fs::set_permissions(&existing, std::fs::Permissions::from_mode(0o644)).unwrap();
    s.ok(&[
        "report",
        "--level",
        "service",
        "--period",
        "2025-26",
        "--format",
        "csv",
        "--out",
        existing.to_str().unwrap(),
    ]);
    assert_eq!(mode(&existing), 0o600);
    assert!(std::fs::read_to_string(&existing).unwrap().len() > 3);

    // A link planted where the bundle will go: the bundle replaces the link, and the
    // file it pointed at keeps its contents.
    let theirs = s.dir.path().join("theirs");
    std::fs::write(&theirs, "not yours").unwrap();
    std::fs::set_permissions(&theirs, std::fs::Permissions::from_mode(0o666)).unwrap();
    let planted = s.dir.path().join("team.bundle");
    symlink(&theirs, &planted).unwrap();
    s.ok(&["bundle", "--out", planted.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&theirs).unwrap(), "not yours");
    let m = std::fs::symlink_metadata(&planted).unwrap();
    assert!(m.file_type().is_file());
    assert_eq!(m.mode() & 0o7777, 0o600);

    for what in [
        &["export", "--format", "csv"][..],
        &["export", "--format", "jsonl"],
    ] {
        let p = s.dir.path().join(format!("export.{}", what[2]));
        std::fs::write(&p, "").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o666)).unwrap();
        let mut args = what.to_vec();
        args.extend(["--out", p.to_str().unwrap()]);
        s.ok(&args);
        assert_eq!(mode(&p), 0o600);
    }
}

/// A huge value or one full of escape sequences comes back short and inert.
#[test]
fn messages_quote_values_short_and_escaped() {
    let s = TestStore::new();
    s.with_service("Reablement");
    let hostile = format!("\u{1b}]0;owned\u{7}\u{1b}[2J{}", "x".repeat(100_000));
    for args in [
        vec!["person", "list", "--service", hostile.as_str()],
        vec!["person", "show", hostile.as_str()],
        vec!["report", "--level", "service", "--period", hostile.as_str()],
    ] {
        let out = s.cmd().args(&args).output().unwrap();
        assert_ne!(out.status.code(), Some(0));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.len() < 1200, "{} bytes: {:?}", err.len(), &err[..200]);
        assert!(!err.contains('\u{1b}') && !err.contains('\u{7}'), "{err:?}");
    }
}

#[test]
fn a_ten_megabyte_value_in_a_record_file_gives_a_short_message() {
    let s = TestStore::new();
    s.with_service("Reablement");
    let id = s.add_person("Morag MacLeod", "Reablement");
    let huge = format!("\\u001b[31m{}", "y".repeat(10_000_000));
    let json = format!(
        r#"{{"conversations": [{{"person": "{id}", "stage": "{huge}", "date": "2025-05-02",
        "practitioner": "J. Byrne", "outcomes": []}}]}}"#
    );
    let out = s.record(&json);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.len() < 400, "{} bytes", err.len());
    assert!(err.contains("is not a stage"), "{err}");
    assert!(!err.contains('\u{1b}'), "{err:?}");
}

/// The audit names the account from the operating system; `$USER` is anyone's to set.
#[test]
fn the_audit_account_comes_from_the_system_not_the_environment() {
    let s = TestStore::new();
    let out = s
        .cmd()
        .env("USER", "Morag MacLeod")
        .env("LOGNAME", "Morag MacLeod")
        .args([
            "org",
            "add",
            "--partnership",
            "P",
            "--organisation",
            "O",
            "--service",
            "S",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let store = talking_points::store::Store::open(&s.path).unwrap();
    let entries = store.audit_entries().unwrap();
    assert!(!entries.is_empty());
    let expected = talking_points::store::guard::os_account();
    for e in entries {
        assert_ne!(e.user, "Morag MacLeod");
        assert_eq!(e.user, expected);
    }
}

/// A store named relative to the working directory is created there (its parent is
/// synced too, which must not trip over an empty parent path).
#[test]
fn a_relative_store_path_is_created_in_the_working_directory() {
    let d = tempfile::tempdir().unwrap();
    let out = assert_cmd::Command::cargo_bin("talking-points")
        .unwrap()
        .current_dir(d.path())
        .args(["--store", "store", "org", "list"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(mode(&d.path().join("store")), 0o700);
}

/// Words kept exactly as written are printed inert: `person show` never lets an escape
/// sequence or a right-to-left override through to the terminal.
#[test]
fn person_show_prints_hostile_words_inert() {
    let s = TestStore::new();
    s.with_service("Reablement");
    let id = s.add_person("Morag MacLeod", "Reablement");
    let json = format!(
        r#"{{"conversations": [{{"person": "{id}", "stage": "assessment", "date": "2025-05-02",
        "practitioner": "J. Byrne\u202e", "outcomes": [{{"outcome": "seeing_people",
        "own_words": "walking\u001b]0;owned\u0007 group\u2066 x", "why": "friends\u009b2J"}}]}}]}}"#
    );
    let out = s.record(&json);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let shown = s.ok(&["person", "show", &id]);
    assert!(shown.contains("walking"), "{shown}");
    for bad in ['\u{1b}', '\u{7}', '\u{202e}', '\u{2066}', '\u{9b}'] {
        assert!(
            !shown.contains(bad),
            "{bad:?} reached the terminal: {shown:?}"
        );
    }
    // The store keeps them exactly: the JSON view carries the escapes as data.
    let v = s.show_json(&id);
    let words = v["conversations"][0]["outcomes"][0]["own_words"]
        .as_str()
        .unwrap();
    assert!(words.contains('\u{1b}'));
}
