//! A merge is written in parts: merging a store's bundle (more people than one part
//! holds) gives a store with the same records, reports and caseload as the original;
//! a merge interrupted after some parts is completed by merging the same bundle again,
//! to the same store a merge in one go gives, and says so until it is.

mod support;

use std::path::Path;
use talking_points::store::Store;

const PEOPLE: usize = 2_600;

fn reports(store: &Path) -> String {
    let mut out = String::new();
    for level in ["service", "organisation", "partnership", "national"] {
        for period in ["2024-25", "2025-26", "2025-26-Q3", "2026-27"] {
            out += &support::run_ok(
                store,
                &[
                    "report",
                    "--level",
                    level,
                    "--period",
                    period,
                    "--format",
                    "csv",
                    "--suppress",
                    "0",
                ],
            );
        }
    }
    out
}

/// What a store holds, independent of its own keys: people, conversations and the
/// earlier revisions each conversation has.
fn contents(store: &Path) -> (String, usize, usize) {
    let people = support::run_ok(store, &["person", "list", "--json"]);
    let s = Store::open(store).expect("open");
    let convs = s.conversations().expect("conversations");
    let v = s.verify().expect("verify");
    assert!(v.is_sound(), "{:?}", v.issues);
    (people, convs.len(), s.people_count())
}

#[test]
fn a_merge_in_parts_gives_the_store_it_came_from_and_a_rerun_completes_an_interrupted_one() {
    let dir = tempfile::tempdir().expect("temp");
    let a = support::seeded(dir.path(), PEOPLE, 5);
    let bundle = dir.path().join("a.bundle");
    let bundle_s = bundle.to_string_lossy().to_string();
    support::run_ok(&a, &["bundle", "--out", &bundle_s]);

    let whole = dir.path().join("whole");
    support::run_ok(&whole, &["merge", &bundle_s]);
    assert_eq!(contents(&whole), contents(&a));
    let want = reports(&a);
    assert_eq!(reports(&whole), want);

    // An interruption after the first parts: some people with all their conversations
    // written, the note of the merge left behind.
    let c = talking_points::bundle::read(&bundle).expect("read");
    let first: std::collections::HashSet<_> =
        c.people.iter().take(PEOPLE / 3).map(|p| p.id).collect();
    let part = talking_points::bundle::Contents {
        services: c.services.clone(),
        people: c
            .people
            .iter()
            .filter(|p| first.contains(&p.id))
            .cloned()
            .collect(),
        conversations: c
            .conversations
            .iter()
            .filter(|x| first.contains(&x.person))
            .cloned()
            .collect(),
    };
    let part_file = dir.path().join("part.bundle");
    std::fs::write(
        &part_file,
        talking_points::bundle::encode(&part).expect("encode"),
    )
    .expect("write");
    let cut = dir.path().join("cut");
    support::run_ok(&cut, &["merge", &part_file.to_string_lossy()]);
    Store::open(&cut)
        .expect("open")
        .begin_merge(std::slice::from_ref(&bundle))
        .expect("note");
    let said = support::run(&cut, &["verify"]);
    assert!(said.stderr.contains("was interrupted"), "{}", said.stderr);
    // The same merge again completes it.
    support::run_ok(&cut, &["merge", &bundle_s]);
    assert_eq!(contents(&cut), contents(&whole));
    assert_eq!(reports(&cut), want);
    let again = support::run(&cut, &["verify"]);
    assert!(again.ok() && !again.stderr.contains("interrupted"));
}
