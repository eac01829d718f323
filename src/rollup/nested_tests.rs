//! A financial year and its quarters published as separate reports, attacked together.

use super::marks::slots as ids;
use super::model::{Model, ReportIds};
use super::protect::{Protected, attack, protect, protect_period};
use super::{Level, Period, linked_periods, roll_up};
use crate::domain::{Conversation, Person, Service};
use crate::forms::Forms;
use chrono::NaiveDate;

const N: u64 = 5;

struct Data {
    forms: Forms,
    services: Vec<Service>,
    people: Vec<Person>,
    conversations: Vec<Conversation>,
    today: NaiveDate,
}

fn seeded(people: usize, seed: u64) -> Data {
    use crate::seed::{SeedOptions, generate};
    use crate::store::Store;
    let forms = Forms::embedded().expect("embedded forms are sound");
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("s")).expect("store opens");
    generate(&store, &forms, &SeedOptions { people, seed }, &mut |_| {}).expect("seeds");
    Data {
        services: store.services().expect("services"),
        people: store.people().expect("people"),
        conversations: store.conversations().expect("conversations"),
        forms,
        today: NaiveDate::from_ymd_opt(2026, 11, 23).expect("a date"),
    }
}

/// What a reader holding every report of `period` sees of the linked set's cells,
/// added to `shown`: a cell is known once any report shows it.
fn publish_into(union: &Model, shown: &mut [bool], part: &Model, hidden: &[bool], period: &str) {
    for (key, r) in &part.reports {
        if key.0 != period {
            continue;
        }
        let u = union
            .reports
            .get(key)
            .expect("the same reports in the union");
        for (a, b) in ids(r).into_iter().zip(ids(u)) {
            if !hidden[a] {
                shown[b] = true;
            }
        }
    }
}

/// One period's tables alone, protected alone (the way before the linked set).
fn alone(d: &Data, p: &Period) -> (Model, Vec<bool>) {
    let roll = |units: &[Service], level| {
        roll_up(
            &d.forms,
            units,
            &d.people,
            &d.conversations,
            level,
            None,
            p,
            d.today,
        )
        .expect("rolls up")
    };
    let atoms = roll(&super::model::atom_services(&d.services), Level::Service);
    let levels: Vec<_> = Level::ALL
        .into_iter()
        .map(|l| (l, roll(&d.services, l)))
        .collect();
    let prot = protect(Model::new(&p.label(), &atoms, &levels), N).expect("protects");
    prot.into_whole()
}

#[test]
fn a_year_and_its_quarters_published_separately_give_nothing_away() {
    let d = seeded(120, 1);
    let year = Period::parse("2025-26").expect("period");
    let periods = linked_periods(&year);
    assert_eq!(periods.len(), 5);
    let protect_one = |p: &Period| {
        protect_period(
            &d.forms,
            &d.services,
            &d.people,
            &d.conversations,
            p,
            d.today,
            N,
        )
        .expect("protects")
    };
    // The union of everything the five reports publish, as one model to attack.
    let (union, _) = protect_one(&year).into_whole();

    // Each period protected alone: the five together give suppressed cells away.
    let mut shown = vec![false; union.cells.len()];
    for p in &periods {
        let (m, hidden) = alone(&d, p);
        publish_into(&union, &mut shown, &m, &hidden, &p.label());
    }
    let hidden: Vec<bool> = shown.iter().map(|s| !s).collect();
    let (_, exact, narrowed) = attack(&union, &hidden, N).expect("audit");
    assert!(exact + narrowed > 0, "the attack finds nothing to show");

    // Each report made on its own, as a partnership would, in any order: nothing.
    let mut shown = vec![false; union.cells.len()];
    for p in periods.iter().rev() {
        let (model, hidden) = protect_one(p).into_whole();
        publish_into(&union, &mut shown, &model, &hidden, &p.label());
    }
    let hidden: Vec<bool> = shown.iter().map(|s| !s).collect();
    let (checked, exact, narrowed) = attack(&union, &hidden, N).expect("audit");
    assert!(checked > 100, "{checked}");
    assert_eq!((exact, narrowed), (0, 0), "of {checked} suppressed cells");
}

#[test]
fn the_national_table_of_a_seeded_year_is_not_hidden_wholesale() {
    // Each national row sums several framework rows, so a pattern lifting a small
    // framework count moved it and hid it: on 300 people nearly every national count
    // of the year was hidden. The national year table must keep showing counts.
    let d = seeded(300, 1);
    let year = Period::parse("2025-26").expect("period");
    let p = protect_period(
        &d.forms,
        &d.services,
        &d.people,
        &d.conversations,
        &year,
        d.today,
        N,
    )
    .expect("protects");
    let loss = p.loss();
    let (model, hidden_cells) = p.into_whole();
    let national: Vec<&ReportIds> = model
        .reports
        .iter()
        .filter(|(k, _)| k.0 == year.label() && k.1 == Level::National)
        .map(|(_, r)| r)
        .collect();
    assert!(!national.is_empty());
    let (mut cells, mut hidden, mut shown_counts) = (0, 0, 0);
    for r in &national {
        for c in ids(r) {
            cells += 1;
            if hidden_cells[c] {
                hidden += 1;
            } else if model.cells[c].value >= N {
                shown_counts += 1;
            }
        }
    }
    let share = hidden as f64 / cells as f64;
    eprintln!(
        "national, 2025-26, 300 people: {hidden} of {cells} cells hidden, {shown_counts} counts of {N} or more shown"
    );
    assert!(share <= 0.75, "{hidden} of {cells} national cells hidden");
    assert!(
        shown_counts >= 8,
        "only {shown_counts} national counts shown"
    );
    let nat = loss
        .iter()
        .find(|l| l.level == Some(Level::National))
        .expect("a national line");
    let linked = (nat.primary + nat.secondary) as f64 / nat.cells as f64;
    eprintln!("national, year and quarters: {:.1}% hidden", linked * 100.0);
    assert!(
        linked <= 0.72,
        "{:.1}% of national cells hidden",
        linked * 100.0
    );
}

/// Every report of a seeded year at every level, rolled up from the records.
fn every_report(d: &Data, year: &Period) -> Vec<super::UnitReport> {
    Level::ALL
        .into_iter()
        .flat_map(|l| {
            roll_up(
                &d.forms,
                &d.services,
                &d.people,
                &d.conversations,
                l,
                None,
                year,
                d.today,
            )
            .expect("rolls up")
        })
        .collect()
}

#[test]
fn kept_marks_publish_exactly_what_the_whole_protection_does() {
    let d = seeded(120, 1);
    let year = Period::parse("2025-26").expect("period");
    let whole = protect_period(
        &d.forms,
        &d.services,
        &d.people,
        &d.conversations,
        &year,
        d.today,
        N,
    )
    .expect("protects");
    let reports = every_report(&d, &year);
    let published: Vec<_> = reports.iter().map(|r| whole.publish(r, false)).collect();
    assert!(published.iter().any(|p| p.applied), "something is hidden");
    let (model, hidden) = whole.into_whole();
    let marked = Protected::from_marks(super::marks::of(&model.reports, &hidden), N);
    for (r, p) in reports.iter().zip(&published) {
        assert_eq!(&marked.publish(r, false), p, "{} {}", r.level, r.unit);
    }
}

/// Marks that would show a small count, or that do not fit a report, are an attack on
/// the store (or damage the checksum missed): the report is published with every cell
/// hidden rather than any small count shown.
#[test]
fn kept_marks_that_would_show_a_small_count_hide_the_whole_report() {
    use super::suppress::Cell;
    let d = seeded(120, 1);
    let year = Period::parse("2025-26").expect("period");
    let (model, hidden) = protect_period(
        &d.forms,
        &d.services,
        &d.people,
        &d.conversations,
        &year,
        d.today,
        N,
    )
    .expect("protects")
    .into_whole();
    let mut marks = super::marks::of(&model.reports, &hidden);
    for flags in marks.values_mut() {
        flags.iter_mut().for_each(|f| *f = false);
    }
    let shown_all = Protected::from_marks(marks.clone(), N);
    let reports = every_report(&d, &year);
    let mut wholly_hidden = 0;
    for r in &reports {
        let p = shown_all.publish(r, false);
        let small = |c: &Cell| c.value().is_some_and(|v| (1..N).contains(&v));
        assert!(!small(&p.people), "{} {}", r.level, r.unit);
        for row in &p.rows {
            for c in [
                row.people_planned,
                row.reviewed,
                row.met,
                row.partly_met,
                row.not_met,
            ] {
                assert!(!small(&c), "{} {} {}", r.level, r.unit, row.outcome_id);
            }
            assert!(!row.barriers.iter().any(|(_, c)| small(c)));
            assert!(!row.contributors.iter().any(|(_, c)| small(c)));
        }
        if p.people.is_suppressed() && p.rows.iter().all(|row| row.reviewed.is_suppressed()) {
            wholly_hidden += 1;
        }
    }
    assert!(wholly_hidden > 0, "some report had a small count to hide");
    // Marks one flag short of a report's cells do not fit it.
    for flags in marks.values_mut() {
        flags.pop();
    }
    let short = Protected::from_marks(marks, N);
    let r = reports.first().expect("a report");
    let p = short.publish(r, false);
    assert!(p.people.is_suppressed() && p.rows.iter().all(|row| row.met.is_suppressed()));
}
