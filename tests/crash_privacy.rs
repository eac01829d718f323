//! Crash safety of corrections and erasure: `record` (correcting a conversation) and
//! `person erase` killed with SIGKILL at random moments. After each kill the store
//! opens (no "in use"), `verify` passes, and either the old or the new state is there:
//! a correction is wholly applied with its earlier revision kept, or not at all; an
//! erased person is fully there or fully gone, and when gone their name and words are in
//! none of the store's files (an unfinished rewrite of the database is completed by
//! the next open).

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_talking-points");
const KILLS: u64 = 20;
const NAME: &str = "Mòrag Nic a' Phì";
const CARER: &str = "王秀英";
const PHRASE: &str = "the heron at Loch Ruthven";
const FIRST: &str = "the first words about the ferry";
const SECOND: &str = "the corrected words about the bridge";

/// xorshift64*: reproducible kill moments.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng((seed + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn below(&mut self, n: u64) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1)
    }
}

fn tp(store: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.arg("--store")
        .arg(store)
        .env("TALKING_POINTS_TODAY", "2026-11-23")
        .env_remove("TALKING_POINTS_FORMS")
        .env_remove("TALKING_POINTS_STORE")
        .stdin(Stdio::null());
    c
}

fn run(store: &Path, args: &[&str]) -> (bool, String, String) {
    let out = tp(store).args(args).output().expect("run");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ok(store: &Path, args: &[&str]) -> String {
    let (good, out, err) = run(store, args);
    assert!(!err.contains("in use"), "still locked after a kill: {err}");
    assert!(good, "`{}` failed: {err}", args.join(" "));
    out
}

/// A copy as `cp -a` makes it: the store's owner-only modes come along.
fn copy_dir(from: &Path, to: &Path) {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(to)
        .expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir") {
        let e = e.expect("entry");
        let dest = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), &dest).expect("copy");
        }
    }
}

fn files_holding(dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
    let mut hits = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).expect("read dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                dirs.push(p);
            } else if std::fs::read(&p)
                .expect("read")
                .windows(needle.len())
                .any(|w| w == needle)
            {
                hits.push(p);
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

fn record(store: &Path, json: &str) -> String {
    let mut child = tp(store)
        .arg("record")
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(json.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A store with some synthetic people (so a rewrite has work to do), Mòrag with a
/// long conversation, her carer, and the ids.
fn template(dir: &Path) -> (PathBuf, String, String, String) {
    let store = dir.join("template");
    ok(&store, &["seed", "--people", "150", "--seed", "7"]);
    let list: Vec<Value> =
        serde_json::from_str(&ok(&store, &["org", "list", "--json"])).expect("json");
    let service = list[0]["service"].as_str().expect("service").to_string();
    let morag = ok(
        &store,
        &["person", "add", "--name", NAME, "--service", &service],
    )
    .trim()
    .to_string();
    let carer = ok(
        &store,
        &[
            "person",
            "add",
            "--name",
            CARER,
            "--service",
            &service,
            "--kind",
            "carer",
            "--cares-for",
            &morag,
        ],
    )
    .trim()
    .to_string();
    let long = format!(
        "{PHRASE} {FIRST} {}",
        "and the long walk home ".repeat(3000)
    );
    let conv = record(&store, &assessment(&morag, None, &long));
    (store, morag, carer, conv)
}

/// Spawns `args` on `store` and kills it after `after`; true when it had finished.
fn kill_after(store: &Path, args: &[&str], stdin: Option<&str>, after: Duration) -> bool {
    let mut child = tp(store)
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    if let Some(text) = stdin {
        use std::io::Write;
        let mut pipe = child.stdin.take().expect("stdin");
        let _ = pipe.write_all(text.as_bytes());
    }
    let start = Instant::now();
    loop {
        if let Some(_status) = child.try_wait().expect("wait") {
            return true;
        }
        if start.elapsed() >= after {
            let _ = child.kill();
            let _ = child.wait();
            return false;
        }
        std::thread::sleep(Duration::from_micros(200));
    }
}

/// A moment between 40% and 120% of a full run: process start-up takes the first part
/// of every run, and kills there teach nothing.
fn kill_moment(rng: &mut Rng, full: Duration) -> Duration {
    let us = full.as_micros() as u64;
    Duration::from_micros(us * 4 / 10 + rng.below(us * 8 / 10))
}

/// How long a command takes on a copy of the template (the quickest of three, as the
/// machine may be busy), to spread kills over it.
fn timed(template: &Path, dir: &Path, args: &[&str], stdin: Option<&str>) -> Duration {
    (0..3)
        .map(|i| {
            let store = dir.join(format!("timing{i}"));
            copy_dir(template, &store);
            let start = Instant::now();
            assert!(kill_after(&store, args, stdin, Duration::from_secs(60)));
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

#[test]
fn erasure_killed_at_random_leaves_the_person_fully_there_or_fully_gone() {
    let dir = tempfile::tempdir().expect("dir");
    let (template, morag, carer, _) = template(dir.path());
    let args = ["person", "erase", morag.as_str(), "--yes"];
    let full = timed(&template, dir.path(), &args, None);
    let mut rng = Rng::new(11);
    let (mut there, mut gone, mut finished, mut unfinished) = (0, 0, 0, 0);
    for i in 0..KILLS {
        let store = dir.path().join(format!("e{i}"));
        copy_dir(&template, &store);
        let after = kill_moment(&mut rng, full);
        if kill_after(&store, &args, None, after) {
            finished += 1;
        }
        if store.join("compact.pending").exists() {
            unfinished += 1;
        }
        // The next open completes or rolls back an unfinished rewrite.
        let v = ok(&store, &["verify"]);
        assert!(v.starts_with("store is sound"), "kill {i}: {v}");
        for leftover in ["db.new", "db.old", "compact.pending"] {
            assert!(!store.join(leftover).exists(), "kill {i}: {leftover} left");
        }
        let carer_now: Value =
            serde_json::from_str(&ok(&store, &["person", "show", &carer, "--json"])).expect("json");
        let (shown, out, _) = run(&store, &["person", "show", &morag, "--json"]);
        if shown {
            there += 1;
            let v: Value = serde_json::from_str(&out).expect("json");
            assert_eq!(v["person"]["name"], NAME, "kill {i}");
            assert_eq!(v["conversations"].as_array().expect("list").len(), 1);
            assert_eq!(carer_now["person"]["cares_for"], morag.as_str(), "kill {i}");
        } else {
            gone += 1;
            assert!(carer_now["person"]["cares_for"].is_null(), "kill {i}");
            let rows = ok(&store, &["export", "--format", "jsonl", "--include-text"]);
            assert!(!rows.contains(PHRASE), "kill {i}");
            for needle in [NAME, PHRASE, morag.as_str()] {
                let hits = files_holding(&store, needle.as_bytes());
                assert!(hits.is_empty(), "kill {i}: {needle} still in {hits:?}");
            }
            let audit = ok(&store, &["audit", "--action", "erase"]);
            assert!(audit.contains("erased:"), "kill {i}: {audit}");
        }
        std::fs::remove_dir_all(&store).expect("clean up");
    }
    eprintln!(
        "erasure: {KILLS} kills over {full:?}: {there} left the person there, {gone} gone ({finished} had finished, {unfinished} left a rewrite for the next open)"
    );
    assert_eq!(there + gone, KILLS);
}

#[test]
fn correction_killed_at_random_keeps_the_old_or_the_new_revision() {
    let dir = tempfile::tempdir().expect("dir");
    let (template, morag, _, conv) = template(dir.path());
    let corrected = assessment(
        &morag,
        Some(&conv),
        &format!("{SECOND} {}", "and the bus back ".repeat(3000)),
    );
    let args = ["record", "-"];
    let full = timed(&template, dir.path(), &args, Some(&corrected));
    let mut rng = Rng::new(12);
    let (mut old, mut new) = (0, 0);
    for i in 0..KILLS {
        let store = dir.path().join(format!("c{i}"));
        copy_dir(&template, &store);
        let after = kill_moment(&mut rng, full);
        kill_after(&store, &args, Some(&corrected), after);
        let v = ok(&store, &["verify"]);
        assert!(v.starts_with("store is sound"), "kill {i}: {v}");
        let sar: Value = serde_json::from_str(&ok(
            &store,
            &["person", "export", &morag, "--format", "json"],
        ))
        .expect("json");
        let convs = sar["conversations"].as_array().expect("list");
        assert_eq!(convs.len(), 1, "kill {i}");
        let words = convs[0]["outcomes"][0]["own_words"].as_str().expect("text");
        let earlier = sar["earlier_revisions"].as_array().expect("list");
        match convs[0]["revision"].as_u64() {
            Some(0) => {
                old += 1;
                assert!(words.contains(FIRST), "kill {i}");
                assert!(earlier.is_empty(), "kill {i}");
            }
            Some(1) => {
                new += 1;
                assert!(words.starts_with(SECOND), "kill {i}");
                assert_eq!(earlier.len(), 1, "kill {i}");
                assert!(
                    earlier[0]["outcomes"][0]["own_words"]
                        .as_str()
                        .expect("text")
                        .contains(FIRST),
                    "kill {i}"
                );
            }
            other => panic!("kill {i}: revision {other:?}"),
        }
        std::fs::remove_dir_all(&store).expect("clean up");
    }
    eprintln!("correction: {KILLS} kills over {full:?}: {old} old, {new} new");
    assert_eq!(old + new, KILLS);
}

/// The states a kill can leave part-way through the rewrite, made exactly: each is
/// finished by the next open, with every record kept and nothing left behind.
#[test]
fn every_unfinished_rewrite_is_completed_by_the_next_open() {
    let dir = tempfile::tempdir().expect("dir");
    let (template, _, _, _) = template(dir.path());
    let people = ok(&template, &["person", "list", "--json"]);
    type Make = fn(&Path);
    let states: [(&str, Make); 4] = [
        ("marker only", |_| {}),
        ("copy cut short", |s| {
            // As the program leaves it: owner-only, like everything it makes.
            std::os::unix::fs::DirBuilderExt::mode(&mut std::fs::DirBuilder::new(), 0o700)
                .create(s.join("db.new"))
                .expect("mkdir");
            std::fs::write(s.join("db.new").join("db"), b"partial").expect("write");
        }),
        ("between the renames", |s| {
            copy_dir(&s.join("db"), &s.join("db.new"));
            std::fs::rename(s.join("db"), s.join("db.old")).expect("rename");
        }),
        ("old files not yet scrubbed", |s| {
            copy_dir(&s.join("db"), &s.join("db.new"));
            std::fs::rename(s.join("db"), s.join("db.old")).expect("rename");
            std::fs::rename(s.join("db.new"), s.join("db")).expect("rename");
        }),
    ];
    for (i, (what, make)) in states.iter().enumerate() {
        let store = dir.path().join(format!("s{i}"));
        copy_dir(&template, &store);
        make(&store);
        std::fs::write(store.join("compact.pending"), b"").expect("marker");
        assert!(
            ok(&store, &["verify"]).starts_with("store is sound"),
            "{what}"
        );
        for leftover in ["db.new", "db.old", "compact.pending"] {
            assert!(!store.join(leftover).exists(), "{what}: {leftover} left");
        }
        assert_eq!(ok(&store, &["person", "list", "--json"]), people, "{what}");
    }
}
