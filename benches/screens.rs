//! In-process costs behind what a team lead waits for, on a seeded store of 2,000 people:
//! the roll-up of a financial year (records read from the store included), and drawing
//! each screen of the interface at 80×24. Run with `cargo bench --bench screens`.
//!
//! Screens are reached with keys through the keymap, as a person would, so the bench
//! follows the interface when its insides change.

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;
use talking_points::forms::Forms;
use talking_points::rollup::{Level, Period, roll_up};
use talking_points::seed::{SeedOptions, generate};
use talking_points::store::Store;
use talking_points::tui::app::{Action, App};
use talking_points::tui::theme::Theme;
use talking_points::tui::{draw, keymap};

const PEOPLE: usize = 2000;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn press(app: &mut App, code: KeyCode) {
    let ev = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
    if let Some(a) = keymap::action(app, &ev) {
        app.update(a);
    }
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let forms = Forms::embedded().unwrap();
    let store = Store::open(&dir.path().join("s")).unwrap();
    generate(
        &store,
        &forms,
        &SeedOptions {
            people: PEOPLE,
            seed: 1,
        },
        &mut |_| {},
    )
    .unwrap();

    let period = Period::parse("2025-26").unwrap();
    c.bench_function("roll up a financial year, partnership level", |b| {
        b.iter(|| {
            let (s, p, cs) = (
                store.services().unwrap(),
                store.people().unwrap(),
                store.conversations().unwrap(),
            );
            let r = roll_up(
                &forms,
                &s,
                &p,
                &cs,
                Level::Partnership,
                None,
                &period,
                today(),
            );
            black_box(r.unwrap().len())
        })
    });

    let mut app = App::new(store, forms, Theme::new(true, false), today()).unwrap();
    app.update(Action::Resize(80, 24));
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    // Each screen, reached from the one before: the keys that lead there.
    let screens: [(&str, &[KeyCode]); 5] = [
        ("caseload", &[]),
        ("dashboard", &[KeyCode::Char('d')]),
        ("person", &[KeyCode::Esc, KeyCode::Enter]),
        ("conversation", &[KeyCode::Enter]),
        ("new assessment", &[KeyCode::Esc, KeyCode::Char('a')]),
    ];
    for (name, keys) in screens {
        for k in keys {
            press(&mut app, *k);
        }
        c.bench_function(&format!("draw the {name} screen, 80x24"), |b| {
            b.iter(|| {
                term.draw(|f| draw::draw(&app, f)).unwrap();
            })
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
