//! Helpers for the damage, backup and disk-full tests: running the binary under a time
//! limit, seeded randomness, and the checks every error message must pass.
#![allow(dead_code)]

use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_talking-points");
pub const TODAY: &str = "2026-11-23";
/// Far longer than any of these commands takes on a small store; a command still
/// running after it has hung.
pub const LIMIT: Duration = Duration::from_secs(30);

/// xorshift64*, reproducible from the seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng((seed + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

pub fn tp(store: &Path) -> Command {
    let mut c = Command::new(BIN);
    c.arg("--store")
        .arg(store)
        .env("TALKING_POINTS_TODAY", TODAY)
        .env_remove("TALKING_POINTS_FORMS")
        .env_remove("TALKING_POINTS_STORE")
        .stdin(Stdio::null());
    c
}

pub struct Ran {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Ran {
    pub fn ok(&self) -> bool {
        self.code == Some(0)
    }
}

fn drain(mut r: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = r.read_to_end(&mut v);
        v
    })
}

/// Waits for a child, killing it and returning `None` if it outlives `limit`.
pub fn wait_limited(mut child: Child, limit: Duration) -> Option<Ran> {
    let out = drain(child.stdout.take().expect("stdout piped"));
    let err = drain(child.stderr.take().expect("stderr piped"));
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return Some(Ran {
                code: status.code(),
                stdout: String::from_utf8_lossy(&out.join().unwrap_or_default()).into_owned(),
                stderr: String::from_utf8_lossy(&err.join().unwrap_or_default()).into_owned(),
            });
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Runs `talking-points --store STORE ARGS` and fails the test if it hangs.
pub fn run(store: &Path, args: &[&str]) -> Ran {
    let child = tp(store)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run talking-points");
    wait_limited(child, LIMIT).unwrap_or_else(|| {
        panic!(
            "`talking-points {}` was still running after {LIMIT:?}",
            args.join(" ")
        )
    })
}

pub fn run_ok(store: &Path, args: &[&str]) -> String {
    let r = run(store, args);
    assert!(
        r.ok(),
        "`talking-points {}` failed: {}",
        args.join(" "),
        r.stderr
    );
    r.stdout
}

/// A failure is one line, one plain sentence: no debug text, no panic, exit code 1.
pub fn assert_one_sentence(r: &Ran, context: &str) {
    assert_eq!(
        r.code,
        Some(1),
        "{context}: exit code; stderr: {}",
        r.stderr
    );
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{context}: not one line: {}", r.stderr);
    for bad in [
        "Os {",
        "panicked",
        "backtrace",
        "Error {",
        "Corruption {",
        "kind:",
    ] {
        assert!(
            !r.stderr.contains(bad),
            "{context}: debug text: {}",
            r.stderr
        );
    }
    assert!(
        lines[0].starts_with("talking-points: "),
        "{context}: {}",
        r.stderr
    );
}

/// A fresh store seeded with synthetic people.
pub fn seeded(dir: &Path, people: usize, seed: u64) -> std::path::PathBuf {
    let store = dir.join("store");
    run_ok(
        &store,
        &[
            "seed",
            "--people",
            &people.to_string(),
            "--seed",
            &seed.to_string(),
        ],
    );
    store
}

/// The ids of the store's supported adults (not carers).
pub fn adult_ids(store: &Path) -> Vec<String> {
    let v: serde_json::Value =
        serde_json::from_str(&run_ok(store, &["person", "list", "--json"])).expect("json");
    v.as_array()
        .expect("array")
        .iter()
        .filter(|p| p["kind"] == "adult")
        .map(|p| p["id"].as_str().expect("id").to_string())
        .collect()
}

/// Records one conversation whose words are about `kib` KiB, for a blob file.
pub fn record_large(dir: &Path, store: &Path, person: &str, kib: usize) -> String {
    let words = "Bha mi aig a' bhùth 港口 🚶 ".repeat(kib * 1024 / 30 + 1);
    let conv = serde_json::json!({"conversations": [{
        "person": person, "stage": "assessment", "date": "2026-01-05",
        "practitioner": "Pràctitioner", "participants": ["person"],
        "outcomes": [{"outcome": "feeling_safe", "own_words": words, "why": "x",
                      "resources": ["community"], "priority": true}]}]});
    let file = dir.join(format!("large-{}.json", uuid::Uuid::new_v4()));
    std::fs::write(&file, conv.to_string()).expect("write record file");
    run_ok(store, &["record", file.to_str().expect("utf-8 path")])
        .trim()
        .to_string()
}

/// Every regular file under the store's database directory.
pub fn db_files(store: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![store.join("db")];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).expect("read db dir") {
            let e = e.expect("entry");
            if e.file_type().expect("type").is_dir() {
                dirs.push(e.path());
            } else {
                out.push(e.path());
            }
        }
    }
    out.sort();
    out
}

/// A copy as `cp -a` makes it: the store's owner-only modes come along.
pub fn copy_dir(from: &Path, to: &Path) {
    use std::os::unix::fs::DirBuilderExt;
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(to)
        .expect("mkdir");
    for e in std::fs::read_dir(from).expect("read dir") {
        let e = e.expect("entry");
        let target = to.join(e.file_name());
        if e.file_type().expect("type").is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("copy");
        }
    }
}
