//! Fingerprints the roll-up's source, so that marks kept by one build (which cells a
//! published report hides) are never reused by a build that counts or protects
//! differently: see `src/rollup/marks.rs`.

use std::hash::{Hash, Hasher};
use std::path::Path;

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

fn main() {
    let mut paths = Vec::new();
    files(Path::new("src/rollup"), &mut paths);
    paths.push("src/rollup_read.rs".into());
    paths.sort();
    // The standard hasher with its fixed keys is the same on every build; this only
    // needs to tell two sources apart, not resist anyone.
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for p in &paths {
        p.to_string_lossy().hash(&mut h);
        std::fs::read(p).unwrap_or_default().hash(&mut h);
    }
    println!("cargo:rustc-env=TP_ROLLUP_SOURCE={:016x}", h.finish());
    println!("cargo:rerun-if-changed=src/rollup");
    println!("cargo:rerun-if-changed=src/rollup_read.rs");
}
