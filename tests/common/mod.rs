//! Helpers shared by the integration tests: a temporary store and the real binary.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::PathBuf;

pub struct TestStore {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl TestStore {
    pub fn new() -> TestStore {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("store");
        TestStore { dir, path }
    }

    /// The binary with this store, a fixed "today" so dates in tests stay valid.
    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("talking-points").expect("binary");
        c.arg("--store").arg(&self.path);
        c.env("TALKING_POINTS_TODAY", "2026-11-23");
        c.env_remove("TALKING_POINTS_FORMS");
        c
    }

    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().expect("run");
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    }

    /// Sets up one service and returns it.
    pub fn with_service(&self, name: &str) {
        self.ok(&[
            "org",
            "add",
            "--partnership",
            "Glenmore HSCP",
            "--organisation",
            "Glenmore Council",
            "--service",
            name,
        ]);
    }

    pub fn add_person(&self, name: &str, service: &str) -> String {
        self.ok(&[
            "person",
            "add",
            "--name",
            name,
            "--service",
            service,
            "--dob",
            "1941-03-09",
        ])
        .trim()
        .to_string()
    }

    pub fn record(&self, json: &str) -> std::process::Output {
        self.cmd()
            .args(["record", "-"])
            .write_stdin(json.to_string())
            .output()
            .expect("run")
    }

    pub fn show_json(&self, id: &str) -> serde_json::Value {
        serde_json::from_str(&self.ok(&["person", "show", id, "--json"])).expect("json")
    }
}

/// The README's example file, for person `id`.
pub fn example(id: &str) -> String {
    r#"{"conversations": [
  {"person": "ID", "stage": "assessment", "date": "2025-05-02", "practitioner": "J. Byrne",
   "participants": ["person", "carer"],
   "outcomes": [{"outcome": "seeing_people", "own_words": "I miss my walking group", "why": "my friends are there", "priority": true}]},
  {"person": "ID", "stage": "planning", "date": "2025-05-09", "practitioner": "J. Byrne", "review_by": "2025-08-01",
   "outcomes": [{"outcome": "seeing_people", "statement": "I want to get back to my walking group",
                 "actions": [{"who": "community", "what": "a volunteer walks with me", "by": "2025-06-01"}]}]},
  {"person": "ID", "stage": "review", "date": "2025-08-01", "practitioner": "J. Byrne",
   "outcomes": [{"outcome": "seeing_people", "status": "partly_met", "helped": "the volunteer", "contributors": ["community", "person"],
                 "hindered": "the bus timetable changed", "barriers": ["transport"], "own_words": "I've been twice", "next": "continue"},
                {"outcome": "listened_to", "status": "met"}]}
]}"#
    .replace("ID", id)
}
pub mod fixture;
pub mod keys;
pub mod pty;
pub mod sqlite;
