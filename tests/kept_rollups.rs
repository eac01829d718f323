//! Kept roll-ups: reports read from the totals and inputs the store keeps as records are
//! saved are byte-identical to a full recompute from the records, after every kind of
//! change; `verify` names a kept total that disagrees; a store made by an earlier
//! version (no kept trees) is brought up to date on open, saying so.

mod common;

use chrono::NaiveDate;
use common::TestStore;
use proptest::prelude::*;
use talking_points::domain::{Conversation, StageBody};
use talking_points::forms::Forms;
use talking_points::report::{self, CsvTable};
use talking_points::rollup::{Level, Period};
use talking_points::rollup_read::{RolledUp, Source, rolled_up, rolled_up_from};
use talking_points::store::Store;
use talking_points::store::records::{MemRecords, Records};

fn forms() -> Forms {
    Forms::embedded().expect("embedded forms are sound")
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).expect("date")
}

/// Every table a report prints, as bytes: what a user would compare.
fn render(r: &RolledUp, forms: &Forms) -> String {
    let published: Vec<_> = r
        .reports
        .iter()
        .map(|u| r.protected.publish(u, false))
        .collect();
    let mut s = report::table(&published, forms);
    for t in [CsvTable::Long, CsvTable::Measures, CsvTable::Notes] {
        s += &report::csv(&published, forms, t, false).expect("csv");
    }
    s + &report::json(&published, forms).expect("json")
}

fn periods() -> Vec<Period> {
    // Ended years and quarters (kept totals), the running year and quarter and a date
    // range (inputs).
    let mut v = vec![Period::Year(2023), Period::Year(2024), Period::Year(2025)];
    v.extend((1..=4).map(|q| Period::Quarter(2025, q)));
    v.extend([Period::Year(2026), Period::Quarter(2026, 3)]);
    v.push(Period::Range(
        NaiveDate::from_ymd_opt(2024, 2, 10).expect("date"),
        NaiveDate::from_ymd_opt(2025, 8, 3).expect("date"),
    ));
    v
}

/// Compares the store's roll-up with a full recompute from its records for every level
/// and period; returns how many were read from kept totals.
fn same_as_recompute(store: &Store) -> usize {
    let forms = forms();
    let (services, people, convs) = (
        store.services().expect("services"),
        store.people().expect("people"),
        store.conversations().expect("conversations"),
    );
    let mut from_totals = 0;
    for period in periods() {
        for level in Level::ALL {
            // Protection covers every level at once (and a year with its quarters), so
            // it is compared in full once per period, with the service reports and the
            // suppressions counted at every level; the other levels' reports are
            // compared as counted.
            let n = if level == Level::Service { 3 } else { 0 };
            let kept =
                rolled_up(store, &forms, level, None, &period, today(), n, true).expect("kept");
            let full = rolled_up_from(
                &forms,
                services.clone(),
                &people,
                &convs,
                level,
                None,
                &period,
                today(),
                n,
            )
            .expect("full");
            assert_eq!(kept.protected.loss(), full.protected.loss());
            assert_eq!(
                render(&kept, &forms),
                render(&full, &forms),
                "{level} {} differs",
                period.label()
            );
            // The marks kept by that protection publish the same without its model.
            let marked =
                rolled_up(store, &forms, level, None, &period, today(), n, false).expect("marks");
            assert_eq!(
                render(&marked, &forms),
                render(&full, &forms),
                "{level} {} differs when published from kept marks",
                period.label()
            );
            if kept.source == Source::KeptTotals {
                from_totals += 1;
            }
        }
    }
    from_totals
}

fn seeded(people: usize, seed: u64) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("store")).expect("open");
    talking_points::seed::generate(
        &store,
        &forms(),
        &talking_points::seed::SeedOptions { people, seed },
        &mut |_| {},
    )
    .expect("seed");
    store.bring_kept_up_to_date(today()).expect("kept");
    (dir, store)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4, ..ProptestConfig::default() })]
    #[test]
    fn kept_roll_ups_give_the_reports_a_full_recompute_gives(
        seed in 1u64..10_000,
        size in prop::sample::select(vec![15usize, 40, 60]),
    ) {
        let (_dir, store) = seeded(size, seed);
        // Ended years and quarters are read from totals, others from inputs; all agree.
        prop_assert!(same_as_recompute(&store) > 0);
        prop_assert!(store.verify().expect("verify").is_sound());
    }
}

/// A review's statuses flipped, as a correction would.
fn corrected(c: &Conversation) -> Conversation {
    let mut c = c.clone();
    c.revision += 1;
    if let StageBody::Review { outcomes } = &mut c.body {
        for o in outcomes {
            o.status = if o.status == "met" {
                "not_met".into()
            } else {
                "met".into()
            };
        }
    }
    c
}

#[test]
fn every_change_keeps_the_kept_roll_ups_exact() {
    let (dir, store) = seeded(120, 7);
    let people = store.people().expect("people");
    let services = store.services().expect("services");
    // A correction of some reviews.
    let reviews: Vec<Conversation> = store
        .conversations()
        .expect("conversations")
        .into_iter()
        .filter(|c| matches!(c.body, StageBody::Review { .. }))
        .take(15)
        .map(|c| corrected(&c))
        .collect();
    store.save_conversations(&reviews).expect("correct");
    // A person moved to another service.
    let mut moved = people[3].clone();
    moved.service = services
        .iter()
        .find(|s| s.id != moved.service)
        .expect("another service")
        .id;
    store.add_person(&moved).expect("move");
    // A new conversation dated in an ended quarter.
    let mut late = store
        .conversations_of(&people[5].id)
        .expect("theirs")
        .into_iter()
        .next()
        .expect("one");
    late.id = talking_points::domain::Id::new();
    late.date = NaiveDate::from_ymd_opt(2025, 5, 2).expect("date");
    store.save_conversations(&[late]).expect("save");
    assert!(same_as_recompute(&store) > 0);
    assert!(store.verify().expect("verify").is_sound());
    // An erasure.
    let path = store.path().to_path_buf();
    store.erase_person(&people[8].id).expect("erase");
    let store = Store::open(&path).expect("reopen");
    assert!(same_as_recompute(&store) > 0);
    let v = store.verify().expect("verify");
    assert!(v.is_sound(), "{:?}", v.issues);
    drop(dir);
}

#[test]
fn the_in_memory_records_give_the_same_reports_as_the_store() {
    let (_dir, store) = seeded(80, 11);
    let mem = MemRecords::new(
        &store.services().expect("services"),
        &store.people().expect("people"),
        &store.conversations().expect("conversations"),
    );
    let forms = forms();
    for period in [
        Period::Year(2025),
        Period::Quarter(2024, 3),
        Period::Year(2026),
    ] {
        let a = rolled_up(
            &store,
            &forms,
            Level::Organisation,
            None,
            &period,
            today(),
            3,
            false,
        )
        .expect("store");
        let b = rolled_up(
            &mem,
            &forms,
            Level::Organisation,
            None,
            &period,
            today(),
            3,
            false,
        )
        .expect("memory");
        assert_eq!(render(&a, &forms), render(&b, &forms));
    }
    // Scoped reads agree too.
    let p = &store.people().expect("people")[0];
    assert_eq!(
        Records::conversations_of(&store, &p.id).expect("store"),
        mem.conversations_of(&p.id).expect("memory")
    );
    let first = Records::caseload_page(&store, Some(&p.service), None, 5).expect("page");
    assert_eq!(
        first,
        mem.caseload_page(Some(&p.service), None, 5).expect("page")
    );
    let next = Records::caseload_page(&store, Some(&p.service), first.last().map(|p| &p.id), 5)
        .expect("page");
    let place = talking_points::store::records::service_order;
    assert!(
        next.iter()
            .all(|n| first.iter().all(|f| place(&f.id) < place(&n.id)))
    );
    assert_eq!(
        next,
        mem.caseload_page(Some(&p.service), first.last().map(|p| &p.id), 5)
            .expect("page")
    );
    let (from, to) = (
        NaiveDate::from_ymd_opt(2025, 1, 1).expect("date"),
        NaiveDate::from_ymd_opt(2025, 12, 31).expect("date"),
    );
    assert_eq!(
        Records::unit_conversations(&store, &[p.service], from, to).expect("store"),
        mem.unit_conversations(&[p.service], from, to)
            .expect("memory")
    );
    // No free text in the roll-up's inputs.
    let inputs = Records::rollup_inputs(&store).expect("inputs");
    assert!(
        inputs
            .people
            .iter()
            .all(|p| p.name.is_empty() && p.dob.is_none())
    );
    assert!(
        inputs
            .conversations
            .iter()
            .all(|c| c.practitioner.is_empty())
    );
}

/// Removes the kept trees, as a store made by an earlier version has none.
fn make_old(store: &std::path::Path) {
    let db = sled::open(store.join("db")).expect("open db");
    for t in ["rollup_inputs", "rollup_totals"] {
        db.drop_tree(t).expect("drop");
    }
    db.flush().expect("flush");
}

#[test]
fn a_store_from_an_earlier_version_is_brought_up_to_date_on_open() {
    let s = TestStore::new();
    s.ok(&["seed", "--people", "150", "--seed", "3"]);
    let args = [
        "report",
        "--level",
        "organisation",
        "--period",
        "2025-26",
        "--format",
        "csv",
    ];
    let before = s.ok(&args);
    make_old(&s.path);
    let out = s.cmd().args(args).output().expect("run");
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("keeps no roll-up totals yet") && said.contains("now kept for 150 people"),
        "{said}"
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), before);
    // Once only.
    let again = s.cmd().args(args).output().expect("run");
    assert!(
        again.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    assert!(
        s.ok(&["verify"]).contains("sound")
            || s.cmd()
                .arg("verify")
                .output()
                .expect("run")
                .status
                .success()
    );
}

#[test]
fn verify_names_a_kept_total_that_disagrees_and_the_next_open_recomputes_it() {
    let s = TestStore::new();
    s.ok(&["seed", "--people", "60", "--seed", "5"]);
    let args = [
        "report", "--level", "service", "--period", "2025-26", "--format", "csv",
    ];
    let before = s.ok(&args);
    {
        // Swap two kept totals, as damage or a missed change would leave them.
        let db = sled::open(s.path.join("db")).expect("open db");
        let t = db.open_tree("rollup_totals").expect("tree");
        let mut kv: Vec<_> = t
            .iter()
            .filter_map(Result::ok)
            .filter(|(k, _)| k.len() == 21 && k[4] == 0)
            .collect();
        kv.sort_by_key(|(_, v)| v.len());
        let (a, b) = (
            kv.first().expect("one").clone(),
            kv.last().expect("two").clone(),
        );
        assert_ne!(a.1, b.1);
        t.insert(&a.0, b.1.clone()).expect("swap");
        t.insert(&b.0, a.1.clone()).expect("swap");
        db.flush().expect("flush");
    }
    let out = s.cmd().arg("verify").output().expect("run");
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("rollup_totals") && said.contains("differ from the totals recomputed"),
        "{said}"
    );
    assert_eq!(s.ok(&args), before);
    assert!(
        s.cmd()
            .arg("verify")
            .output()
            .expect("run")
            .status
            .success()
    );
}

#[test]
fn a_kept_protection_publishes_what_a_fresh_one_would_and_erasure_forgets_it() {
    let (dir, store) = seeded(60, 5);
    let mem = MemRecords::new(
        &store.services().expect("services"),
        &store.people().expect("people"),
        &store.conversations().expect("conversations"),
    );
    let forms = forms();
    let period = Period::Year(2025);
    let report = |r: &dyn Records, level: Level| {
        let x = rolled_up(r, &forms, level, None, &period, today(), 5, false).expect("roll-up");
        render(&x, &forms)
    };
    // In memory nothing is kept: every report is protected afresh.
    let fresh = report(&mem, Level::Service);
    assert_eq!(store.kept_protections(), 0);
    assert_eq!(report(&store, Level::Service), fresh);
    assert_eq!(store.kept_protections(), 1);
    // The same tables again (any level: one protection covers them all) reuse it,
    // published from its kept marks without building the model (which only an audit
    // needs, so such a protection counts no cells).
    assert_eq!(report(&store, Level::Service), fresh);
    let again = rolled_up(
        &store,
        &forms,
        Level::Service,
        None,
        &period,
        today(),
        5,
        false,
    )
    .expect("again");
    assert!(
        again.protected.loss().is_empty(),
        "published from kept marks"
    );
    let audited = rolled_up(
        &store,
        &forms,
        Level::Service,
        None,
        &period,
        today(),
        5,
        true,
    )
    .expect("audited");
    assert!(
        !audited.protected.loss().is_empty(),
        "an audit has the model"
    );
    assert!(audited.protected.audit().expect("audit").passed());
    assert_eq!(
        report(&store, Level::Partnership),
        report(&mem, Level::Partnership)
    );
    assert_eq!(store.kept_protections(), 1);
    // A quarter of the year is protected with it: the same linked tables.
    let q = Period::Quarter(2025, 2);
    rolled_up(&store, &forms, Level::Service, None, &q, today(), 5, false).expect("quarter");
    assert_eq!(store.kept_protections(), 1);
    // A change to the counts gives other tables, protected afresh.
    let changed = store
        .conversations()
        .expect("conversations")
        .into_iter()
        .find(|c| c.counts() && period.contains(c.date))
        .expect("one in the year");
    store
        .withdraw_conversation(&changed.id, "recorded in error", None)
        .expect("withdraw");
    let mem = MemRecords::new(
        &store.services().expect("services"),
        &store.people().expect("people"),
        &store.conversations().expect("conversations"),
    );
    assert_eq!(report(&store, Level::Service), report(&mem, Level::Service));
    assert_eq!(store.kept_protections(), 2);
    // Erasure forgets every protection worked out from counts that included the person.
    let path = store.path().to_path_buf();
    let who = store.people().expect("people")[0].id;
    store.erase_person(&who).expect("erase");
    let store = Store::open(&path).expect("reopen");
    assert_eq!(store.kept_protections(), 0);
    drop(dir);
}

/// Working the kept totals out again is said, not a silent pause: on a large store it
/// takes a while, and it happens when a new financial year begins (as well as after an
/// upgrade). Once only, and the numbers are the same.
#[test]
fn a_new_financial_year_says_the_totals_are_worked_out_again_once() {
    let s = TestStore::new();
    let seeded = s
        .cmd()
        .args(["seed", "--people", "40", "--seed", "4"])
        .output()
        .expect("run");
    assert!(seeded.status.success());
    let said = String::from_utf8_lossy(&seeded.stderr);
    assert!(
        !said.contains("once"),
        "seeding keeps its totals unsaid: {said}"
    );
    let args = [
        "report", "--level", "service", "--period", "2025-26", "--format", "csv",
    ];
    let before = s.ok(&args);
    let later = |s: &TestStore| {
        let mut c = s.cmd();
        c.env("TALKING_POINTS_TODAY", "2027-05-03").args(args);
        c.output().expect("run")
    };
    let out = later(&s);
    assert!(out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("financial year or quarter") && said.contains("once"),
        "{said}"
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout), before);
    let again = later(&s);
    assert!(
        again.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );
    // The periods added from the kept inputs are what a whole rebuild from the records
    // gives: `verify` recomputes them, and so does a store made to forget its totals.
    let verify = s
        .cmd()
        .env("TALKING_POINTS_TODAY", "2027-05-03")
        .arg("verify")
        .output()
        .expect("run");
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );
    let new_year = [
        "report", "--level", "service", "--period", "2026-27", "--format", "csv",
    ];
    let run = |s: &TestStore| {
        let out = s
            .cmd()
            .env("TALKING_POINTS_TODAY", "2027-05-03")
            .args(new_year)
            .output()
            .expect("run");
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    let extended = run(&s);
    make_old(&s.path);
    assert_eq!(run(&s), extended);
}
