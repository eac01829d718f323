//! Change over time where the conversation happens: at a review each planned outcome
//! shows its earlier reviews (date, status, the person's words), and the Person screen
//! shows a row of statuses per outcome across reviews. Snapshots at 80×24 and 60×18,
//! with long words (a Gaelic paragraph, a Chinese name, emoji), without colour and in
//! ASCII.

mod common;

use common::keys::{press, screen as render};

use common::fixture::{self, d, id};
use crossterm::event::KeyCode;
use talking_points::domain::{
    Conversation, PlannedOutcome, ReviewedOutcome, StageBody, Withdrawal,
};
use talking_points::tui::app::App;
use talking_points::tui::theme::Theme;

const GAELIC: &str = "Tha mi a' faireachdainn nas fheàrr a-nis, tha mi a' dol don bhuidheann coiseachd a h-uile Diciadain agus bidh mi a' bruidhinn ri mo charaidean aig a' chala — chan eil mi cho aonaranach.";
const WITHDRAWN_WORDS: &str = "recorded against the wrong person";

fn conv(n: u8, date: &str, body: StageBody) -> Conversation {
    Conversation {
        id: id(n),
        person: id(10),
        date: d(date),
        practitioner: "J. Byrne".into(),
        participants: vec!["person".into()],
        form: "adult".into(),
        form_version: 1,
        revision: 0,
        consent: None,
        withdrawn: None,
        body,
    }
}

fn reviewed(outcome: &str, status: &str, words: &str) -> ReviewedOutcome {
    ReviewedOutcome {
        outcome: outcome.into(),
        status: status.into(),
        own_words: words.into(),
        ..Default::default()
    }
}

/// The fixture, with Morag's plan covering feeling safe too, two reviews and a third
/// review withdrawn as recorded in error.
fn app(dir: &std::path::Path, theme: Theme) -> App {
    let app = fixture::app(dir, theme);
    let plan = conv(
        22,
        "2025-05-10",
        StageBody::Planning {
            review_by: Some(d("2025-08-01")),
            outcomes: vec![PlannedOutcome {
                outcome: "feeling_safe".into(),
                statement: "I want to feel safe at home at night".into(),
                actions: vec![],
            }],
        },
    );
    let first = conv(
        23,
        "2025-08-01",
        StageBody::Review {
            outcomes: vec![
                reviewed("seeing_people", "partly_met", GAELIC),
                reviewed("feeling_safe", "not_met", "Still scared at night 😟"),
                reviewed("listened_to", "met", ""),
            ],
        },
    );
    let second = conv(
        24,
        "2026-02-01",
        StageBody::Review {
            outcomes: vec![
                reviewed("seeing_people", "met", "王秀英 walks with me every week 🚶"),
                reviewed("feeling_safe", "partly_met", "The new lock helps"),
            ],
        },
    );
    let mut wrong = conv(
        25,
        "2026-03-01",
        StageBody::Review {
            outcomes: vec![reviewed("seeing_people", "not_met", WITHDRAWN_WORDS)],
        },
    );
    wrong.withdrawn = Some(Withdrawal {
        by: "Ali".into(),
        at: "2026-03-02T00:00:00Z".into(),
        reason: "wrong person".into(),
    });
    app.store
        .save_conversations(&[plan, first, second, wrong])
        .unwrap();
    let mut app = App::new(app.store, app.forms, theme, d(fixture::TODAY)).unwrap();
    app.practitioner = "J. Byrne".into();
    app
}

/// Morag's Person screen (she is first on the caseload).
fn open_person(a: &mut App) {
    press(a, KeyCode::Enter);
}

/// A review, on seeing people (the second planned outcome).
fn open_review(a: &mut App) {
    press(a, KeyCode::Enter);
    press(a, KeyCode::Char('r'));
    press(a, KeyCode::Down);
    press(a, KeyCode::Down);
}

#[test]
fn the_person_screen_shows_statuses_across_reviews() {
    for (w, h) in [(80, 24), (60, 18)] {
        let dir = tempfile::tempdir().unwrap();
        let mut a = app(dir.path(), Theme::new(true, false));
        open_person(&mut a);
        let drawn = render(&mut a, w, h);
        assert!(drawn.contains("2025-08-01") && drawn.contains("2026-02-01"));
        let header = drawn
            .lines()
            .find(|l| l.contains("Outcome ") && l.contains("2025-08-01"))
            .expect("a header of review dates");
        assert!(
            header.contains("2026-02-01") && !header.contains("2026-03-01"),
            "a withdrawn review is no column: {header}"
        );
        insta::assert_snapshot!(format!("person_history_{w}x{h}"), drawn);
    }
}

#[test]
fn without_colour_and_in_ascii_the_statuses_are_still_told_apart() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = app(dir.path(), Theme::new(false, true));
    open_person(&mut a);
    let drawn = render(&mut a, 80, 24);
    let row = drawn
        .lines()
        .find(|l| l.contains("Feeling safe"))
        .expect("a row for feeling safe");
    let (i, j) = (row.find("not met").unwrap(), row.find("partly").unwrap());
    assert!(i < j, "the earlier review first: {row}");
    insta::assert_snapshot!("person_history_ascii_80x24", drawn);
    let dir = tempfile::tempdir().unwrap();
    let mut a = app(dir.path(), Theme::new(false, false));
    open_person(&mut a);
    insta::assert_snapshot!("person_history_no_colour_80x24", render(&mut a, 80, 24));
}

#[test]
fn at_review_each_planned_outcome_shows_its_earlier_reviews_newest_first() {
    for (w, h) in [(80, 24), (60, 18)] {
        let dir = tempfile::tempdir().unwrap();
        let mut a = app(dir.path(), Theme::new(true, false));
        open_review(&mut a);
        let drawn = render(&mut a, w, h);
        insta::assert_snapshot!(format!("review_history_{w}x{h}"), drawn);
        // Scrolled down the earlier words reach the first review's Gaelic words.
        let mut all = drawn.clone();
        for _ in 0..8 {
            press(&mut a, KeyCode::PageDown);
            all.push_str(&render(&mut a, w, h));
        }
        insta::assert_snapshot!(
            format!("review_history_scrolled_{w}x{h}"),
            render(&mut a, w, h)
        );
        assert!(all.contains("Review 2026-02-01, met"), "{all}");
        assert!(all.contains("Review 2025-08-01, partly met"), "{all}");
        assert!(all.contains("chan eil mi"), "the end of the Gaelic words");
        assert!(
            !all.contains(WITHDRAWN_WORDS),
            "a withdrawn review is not shown"
        );
        let newest = all.find("Review 2026-02-01").unwrap();
        let older = all.find("Review 2025-08-01").unwrap();
        assert!(newest < older, "the newest review first");
    }
}

/// Each row of a rendered screen, for finding what it shows.
fn rows(s: &str) -> Vec<String> {
    s.lines().map(|l| l.trim_matches('"').to_string()).collect()
}

/// At review the earlier words and prompts above the fields scroll to their very last
/// line (the marker row used to cover it for good), and paging further does not pile
/// up presses that `PgUp` must first undo.
#[test]
fn the_earlier_words_scroll_to_their_last_line_and_no_further() {
    for (w, h) in [(80, 24), (60, 18)] {
        let dir = tempfile::tempdir().unwrap();
        let mut a = app(dir.path(), Theme::new(false, false));
        open_review(&mut a);
        let first = render(&mut a, w, h);
        assert!(first.contains("more lines: PgDn"), "{first}");
        let prompt = a.editor().unwrap().entry().prompts.last().unwrap().clone();
        let last_word = prompt.split(' ').next_back().unwrap().to_string();
        for _ in 0..30 {
            press(&mut a, KeyCode::PageDown);
        }
        let end = render(&mut a, w, h);
        assert!(end.contains("PgUp for the start"), "{end}");
        let marker = rows(&end)
            .iter()
            .position(|r| r.contains("PgUp for the start"))
            .unwrap();
        assert!(
            rows(&end)[marker - 1].contains(&last_word),
            "the last prompt ends {last_word:?} just above the marker at {w}x{h}:\n{end}"
        );
        press(&mut a, KeyCode::PageUp);
        let back = render(&mut a, w, h);
        assert_ne!(back, end, "one PgUp moves back at {w}x{h}");
    }
}

/// A conversation longer than the window, read only: the last row says how much is
/// below, ↓ reaches its last line and stops there, and a long answer wraps under its
/// label rather than at the window's edge.
#[test]
fn a_long_conversation_read_only_says_what_is_below_and_stops_at_its_end() {
    use talking_points::domain::AssessedOutcome;
    for (w, h) in [(80, 24), (60, 18)] {
        let dir = tempfile::tempdir().unwrap();
        let a = app(dir.path(), Theme::new(false, false));
        let said = |outcome: &str| AssessedOutcome {
            outcome: outcome.into(),
            own_words: GAELIC.into(),
            why: GAELIC.into(),
            strengths: format!("{GAELIC} 王秀英 🌻 THE END OF {outcome}"),
            ..Default::default()
        };
        let long = conv(
            30,
            "2026-03-02",
            StageBody::Assessment {
                outcomes: vec![said("mobility"), said("feeling_safe"), said("skills")],
            },
        );
        a.store.save_conversations(&[long]).unwrap();
        let mut a = App::new(
            a.store,
            a.forms,
            Theme::new(false, false),
            d(fixture::TODAY),
        )
        .unwrap();
        open_person(&mut a);
        press(&mut a, KeyCode::End);
        press(&mut a, KeyCode::Enter);
        let first = render(&mut a, w, h);
        assert!(first.contains("more lines: ↓ PgDn"), "{first}");
        assert!(
            rows(&first).iter().any(|r| r.starts_with("│      ")),
            "a long answer hangs under its label at {w}x{h}:\n{first}"
        );
        for _ in 0..200 {
            press(&mut a, KeyCode::Down);
        }
        let end = render(&mut a, w, h);
        assert!(end.contains("↑ PgUp for the start"), "{end}");
        let text: String = rows(&end).concat();
        let last = ["mobility", "feeling_safe", "skills"]
            .iter()
            .filter(|o| text.contains(&format!("THE END OF {o}")))
            .count();
        assert!(last >= 1, "the last answer's end shows at {w}x{h}:\n{end}");
        press(&mut a, KeyCode::Up);
        assert_ne!(render(&mut a, w, h), end, "one ↑ moves back at {w}x{h}");
    }
}
