//! A full cycle as a practitioner does it — a new person, an assessment of three
//! outcomes, a plan with one action each, a review — driven by keys through the keymap,
//! counting the keys that are not typing. The count is the interface's cost in keys; the
//! test fails if it grows past the budget.

mod common;

use common::fixture;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use talking_points::domain::StageBody;
use talking_points::tui::app::App;
use talking_points::tui::keymap;
use talking_points::tui::theme::Theme;

/// One step of the script: a key that moves or commands, or words typed into a field.
pub enum Step {
    Key(KeyCode, KeyModifiers),
    Type(&'static str),
}

use Step::*;

const NONE: KeyModifiers = KeyModifiers::NONE;
const CTRL: KeyModifiers = KeyModifiers::CONTROL;

fn k(c: KeyCode) -> Step {
    Key(c, NONE)
}
fn ch(c: char) -> Step {
    Key(KeyCode::Char(c), NONE)
}
fn ctrl(c: char) -> Step {
    Key(KeyCode::Char(c), CTRL)
}

/// Runs the script; returns the number of keys that were not typing.
fn run(app: &mut App, steps: &[Step]) -> usize {
    let mut keys = 0;
    for s in steps {
        match s {
            Key(code, m) => {
                keys += 1;
                if let Some(a) = keymap::action(app, &Event::Key(KeyEvent::new(*code, *m))) {
                    app.update(a);
                }
            }
            Type(text) => {
                assert!(app.typing(), "typing {text:?} outside a text field");
                for c in text.chars() {
                    let ev = Event::Key(KeyEvent::new(KeyCode::Char(c), NONE));
                    if let Some(a) = keymap::action(app, &ev) {
                        app.update(a);
                    }
                }
            }
        }
    }
    keys
}

const GAELIC: &str =
    "Tha mi airson coiseachd sìos chun a' chala a-rithist, mar a b' àbhaist dhomh a h-uile madainn";
const ENGLISH: &str =
    "I want to see my sister on Sundays without waiting for someone to drive me there";
const MIXED: &str = "Feeling safe at night — 晚上 🌙 with the door alarm that works";

/// The script. The editor opens on the conversation's own details (date, practitioner,
/// who took part, a plan's review date three months on); Ctrl-N goes to the next outcome's
/// first field; Ctrl-S saves and goes back to the person.
fn script() -> Vec<Step> {
    let mut s = vec![
        // A new person.
        ch('a'),
        Type("Catrìona Mhoireach 陈"),
        ctrl('s'),
        k(KeyCode::Enter),
        // The assessment: three outcomes, each in their own words.
        ch('a'),
    ];
    for words in [MIXED, GAELIC, ENGLISH] {
        s.push(ctrl('n'));
        s.push(Type(words));
    }
    s.push(ctrl('s'));
    // The plan (the review date offered is kept): one action for each outcome.
    s.push(ch('p'));
    for words in [
        "Feel safe at night",
        "Walk to the harbour",
        "Sundays with my sister",
    ] {
        s.push(ctrl('n'));
        s.push(Type(words));
        s.extend([k(KeyCode::Tab), k(KeyCode::Right), k(KeyCode::Tab)]);
        s.push(Type("Arrange it"));
    }
    s.push(ctrl('s'));
    // The review: a status and what helped, for each planned outcome.
    s.push(ch('r'));
    for _ in 0..3 {
        s.extend([ctrl('n'), k(KeyCode::Right), k(KeyCode::Tab)]);
        s.push(Type("Neighbours looked in"));
    }
    s.extend([ctrl('s'), k(KeyCode::Esc)]);
    s
}

#[test]
fn a_full_cycle_is_recorded_within_the_key_budget() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture::app(dir.path(), Theme::new(true, false));
    let keys = run(&mut app, &script());
    eprintln!("navigation keys for a full cycle: {keys}");
    assert!(
        !app.status.starts_with("Not"),
        "something was refused: {}",
        app.status
    );

    let p = app
        .store
        .people()
        .unwrap()
        .into_iter()
        .find(|p| p.name == "Catrìona Mhoireach 陈")
        .expect("the person was added");
    let convs = app.store.conversations_of(&p.id).unwrap();
    let kinds: Vec<usize> = convs
        .iter()
        .map(|c| match &c.body {
            StageBody::Assessment { outcomes } => outcomes.len(),
            StageBody::Planning { outcomes, .. } => {
                assert!(
                    outcomes.iter().all(|o| o.actions.len() == 1),
                    "one action each"
                );
                assert!(c.review_by().is_some(), "the plan has a review date");
                outcomes.len()
            }
            StageBody::Review { outcomes } => outcomes.len(),
        })
        .collect();
    assert_eq!(kinds, vec![3, 3, 3], "three outcomes at each stage");
    assert!(
        matches!(app.screen(), talking_points::tui::app::Screen::Caseload),
        "back on the caseload"
    );
    assert!(keys <= BUDGET, "{keys} navigation keys, more than {BUDGET}");
}

/// Navigation keys the cycle may take: a third fewer than the 59 it took before the
/// editor opened on its details, offered the review date and saved on the way out.
const BUDGET: usize = 39;
