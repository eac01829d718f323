//! The caseload's kept index: after every path that changes records (save, a move or a
//! rename, withdrawal, erasure, merge, restore, `record`, the upgrade of a store made by
//! an earlier version), the lines read from the index a page at a time are exactly
//! the lines worked out from the records, in the same order; `verify` names a line
//! that disagrees; the interface reads the rest only when it is scrolled or filtered.

mod support;

use chrono::NaiveDate;
use std::path::Path;
use talking_points::domain::{Conversation, Id, StageBody};
use talking_points::store::Store;
use talking_points::tui::caseload::{self, Row};
use talking_points::tui::caseload_load::first_page;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("date")
}

/// The caseload as the interface worked it out before the index: every person with
/// every conversation, sorted by name ignoring case.
fn from_records(store: &Store) -> Vec<Row> {
    let names: std::collections::HashMap<Id, String> = store
        .services()
        .expect("services")
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let mut rows: Vec<Row> = store
        .people()
        .expect("people")
        .iter()
        .map(|p| {
            let convs = store.conversations_of(&p.id).expect("conversations");
            caseload::row(p, &names[&p.service], &convs, today())
        })
        .collect();
    rows.sort_by_cached_key(|r| r.name.to_lowercase());
    rows
}

/// The caseload read from the index, `page` lines at a time.
fn from_index(store: &Store, page: usize) -> Vec<Row> {
    let (mut rows, mut more) = first_page(store, today(), page)
        .expect("read")
        .expect("the index is kept");
    let names: std::collections::HashMap<Id, String> = store
        .services()
        .expect("services")
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let mut after = more.take().map(|m| m.after);
    while let Some(a) = after {
        let p = store
            .caseload_index_page(Some(&a), page)
            .expect("read")
            .expect("kept");
        assert!(p.entries.len() <= page);
        rows.extend(p.entries.into_iter().map(|e| {
            let s = names[&e.service].clone();
            talking_points::tui::caseload_load::row_of(e, &s, today())
        }));
        after = p.next;
    }
    assert_eq!(
        store.caseload_count().expect("count"),
        Some(rows.len() as u64)
    );
    rows
}

fn same(store: &Store, what: &str) {
    let want = from_records(store);
    assert_eq!(from_index(store, 7), want, "after {what}");
    assert_eq!(from_index(store, 1000), want, "after {what}");
    let v = store.verify().expect("verify");
    assert!(v.is_sound(), "after {what}: {:?}", v.issues);
}

fn open(path: &Path) -> Store {
    let s = Store::open(path).expect("open");
    s.bring_kept_up_to_date(today()).expect("kept");
    s
}

#[test]
fn every_change_keeps_the_caseload_index_exact() {
    let dir = tempfile::tempdir().expect("temp");
    let path = support::seeded(dir.path(), 80, 11);
    let store = open(&path);
    same(&store, "seeding");
    let people = store.people().expect("people");
    // A rename that moves a person to the other end of the list, and a move of service.
    let mut renamed = people[2].clone();
    renamed.name = format!("aaa {}", renamed.name);
    store.add_person(&renamed).expect("rename");
    let mut moved = people[4].clone();
    moved.service = store
        .services()
        .expect("services")
        .into_iter()
        .find(|s| s.id != moved.service)
        .expect("another")
        .id;
    store.add_person(&moved).expect("move");
    same(&store, "a rename and a move");
    // A new plan with a review date, which makes a review due.
    let mut plan = store
        .conversations()
        .expect("conversations")
        .into_iter()
        .find(|c| matches!(c.body, StageBody::Planning { .. }))
        .expect("a plan");
    plan.id = Id::new();
    plan.date = NaiveDate::from_ymd_opt(2026, 10, 1).expect("date");
    if let StageBody::Planning { review_by, .. } = &mut plan.body {
        *review_by = NaiveDate::from_ymd_opt(2026, 11, 1);
    }
    let who = plan.person;
    store.save_conversations(&[plan.clone()]).expect("save");
    let row = from_index(&store, 500)
        .into_iter()
        .find(|r| r.id == who)
        .expect("their line");
    assert_eq!(row.last, Some(plan.date));
    assert!(row.overdue(today()), "{row:?}");
    same(&store, "a new plan");
    // Withdrawing it takes the overdue review and the date away again.
    store
        .withdraw_conversation(&plan.id, "recorded for the wrong person", Some("tester"))
        .expect("withdraw");
    let row = from_index(&store, 500)
        .into_iter()
        .find(|r| r.id == who)
        .expect("their line");
    assert_ne!(row.last, Some(plan.date));
    same(&store, "a withdrawal");
    // An erasure.
    let gone = people[9].id;
    store.erase_person(&gone).expect("erase");
    let store = open(&path);
    assert!(from_index(&store, 500).iter().all(|r| r.id != gone));
    same(&store, "an erasure");
}

#[test]
fn merge_restore_record_and_upgrade_keep_the_caseload_index_exact() {
    let dir = tempfile::tempdir().expect("temp");
    let a = support::seeded(dir.path(), 60, 21);
    let bundle = dir.path().join("a.bundle");
    let backup = dir.path().join("a.backup");
    let bundle_s = bundle.to_string_lossy().to_string();
    let backup_s = backup.to_string_lossy().to_string();
    support::run_ok(&a, &["bundle", "--out", &bundle_s]);
    support::run_ok(&a, &["backup", "--out", &backup_s]);
    // Merge into an empty store, and into one that holds others.
    let merged = dir.path().join("merged");
    support::run_ok(&merged, &["merge", &bundle_s]);
    same(&open(&merged), "a merge into an empty store");
    let other = dir.path().join("other");
    std::fs::create_dir(&other).expect("dir");
    let other = support::seeded(&other, 30, 22);
    support::run_ok(&other, &["merge", &bundle_s]);
    same(&open(&other), "a merge into a store with others");
    // Restore.
    let restored = dir.path().join("restored");
    support::run_ok(&restored, &["restore", &backup_s]);
    same(&open(&restored), "a restore");
    // `record` of a new conversation for someone.
    let store = open(&a);
    let c: Conversation = store
        .conversations()
        .expect("conversations")
        .into_iter()
        .next()
        .expect("one");
    drop(store);
    let mut one = serde_json::to_value(&c).expect("json");
    let o = one.as_object_mut().expect("object");
    o.remove("id");
    o.remove("revision");
    o.insert("date".into(), "2026-11-02".into());
    let json = serde_json::json!({ "conversations": [one] });
    let file = dir.path().join("one.json");
    std::fs::write(&file, serde_json::to_vec(&json).expect("bytes")).expect("write");
    support::run_ok(&a, &["record", &file.to_string_lossy()]);
    same(&open(&a), "record");
    // A store whose kept trees predate the index: upgraded on open.
    {
        let db = sled::open(a.join("db")).expect("db");
        for t in ["rollup_inputs", "rollup_totals", "caseload"] {
            db.drop_tree(t).expect("drop");
        }
        db.flush().expect("flush");
    }
    let store = Store::open(&a).expect("open");
    assert!(!store.caseload_indexed().expect("read"));
    assert!(first_page(&store, today(), 10).expect("read").is_none());
    store.bring_kept_up_to_date(today()).expect("upgrade");
    same(&store, "the upgrade on open");
}

#[test]
fn verify_names_a_caseload_line_that_disagrees() {
    let dir = tempfile::tempdir().expect("temp");
    let path = support::seeded(dir.path(), 20, 31);
    {
        let db = sled::open(path.join("db")).expect("db");
        let t = db.open_tree("caseload").expect("tree");
        let (k, _) = t.scan_prefix(b"n").next().expect("a line").expect("read");
        t.remove(k).expect("remove");
        db.flush().expect("flush");
    }
    let out = support::run(&path, &["verify"]);
    assert!(!out.ok());
    let said = format!("{}{}", out.stdout, out.stderr);
    assert!(
        said.contains("caseload") && said.contains("is missing for a person"),
        "{said}"
    );
    // Dropped, then worked out again on the next open.
    let store = open(&path);
    same(&store, "the repair");
}

#[test]
fn the_interface_reads_the_rest_of_the_caseload_on_scroll_or_filter() {
    use talking_points::tui::app::{Action, App};
    let dir = tempfile::tempdir().expect("temp");
    let path = support::seeded(dir.path(), 450, 41);
    let store = open(&path);
    let want = from_records(&store);
    let forms = talking_points::forms::Forms::embedded().expect("forms");
    let mut app = App::new(
        store,
        forms,
        talking_points::tui::theme::Theme::new(false, false),
        today(),
    )
    .expect("app");
    // The first page only, but the whole count.
    assert!(app.rows.len() < want.len());
    assert_eq!(app.people_total(), want.len());
    assert_eq!(app.rows[..], want[..app.rows.len()]);
    // Scrolling to the end reads the rest, in order.
    app.update(Action::Bottom);
    assert_eq!(app.rows, want);
    assert_eq!(app.selected, want.len() - 1);
    // A filter looks at everyone, loaded or not.
    let mut app = App::new(
        open_again(app),
        talking_points::forms::Forms::embedded().expect("forms"),
        talking_points::tui::theme::Theme::new(false, false),
        today(),
    )
    .expect("app");
    let last = want.last().expect("someone").clone();
    app.update(Action::Filter);
    for ch in last.name.chars() {
        app.update(Action::Paste(ch.to_string()));
    }
    assert!(app.visible_rows().iter().any(|r| r.id == last.id));
}

fn open_again(app: talking_points::tui::app::App) -> Store {
    app.store
}
