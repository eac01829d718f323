//! Key handling and state updates, without a terminal.

mod common;

use common::keys::{ctrl_s, press, press_mod, typed};

use common::fixture;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};
use talking_points::domain::{Stage, StageBody};
use talking_points::tui::app::{App, Prompt, Screen};
use talking_points::tui::editor::Focus;
use talking_points::tui::keymap;
use talking_points::tui::theme::Theme;

fn new_app() -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().unwrap();
    let app = fixture::app(dir.path(), Theme::new(true, false));
    (dir, app)
}

#[test]
fn key_release_events_are_ignored() {
    let (_d, mut app) = new_app();
    let release = Event::Key(KeyEvent {
        code: KeyCode::Down,
        modifiers: KeyModifiers::NONE,
        kind: KeyEventKind::Release,
        state: KeyEventState::NONE,
    });
    assert_eq!(keymap::action(&app, &release), None);
    press(&mut app, KeyCode::Down);
    assert_eq!(app.selected, 1);
}

#[test]
fn the_caseload_filters_by_typing_after_slash() {
    let (_d, mut app) = new_app();
    assert_eq!(app.visible_rows().len(), 3);
    press(&mut app, KeyCode::Char('/'));
    assert!(app.typing());
    typed(&mut app, "王");
    assert_eq!(app.visible_rows().len(), 1);
    assert_eq!(app.visible_rows()[0].name, "王秀英");
    press(&mut app, KeyCode::Backspace);
    typed(&mut app, "carers"); // service names match too
    assert_eq!(app.visible_rows().len(), 1);
    press(&mut app, KeyCode::Enter);
    assert!(!app.typing(), "Enter ends filtering and keeps the filter");
    assert_eq!(app.filter, "carers");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.filter, "");
    assert_eq!(app.visible_rows().len(), 3);
}

#[test]
fn overdue_reviews_are_known_on_the_caseload() {
    let (_d, app) = new_app();
    let morag = app.rows.iter().find(|r| r.name == "Morag MacLeod").unwrap();
    assert!(morag.overdue(app.today));
    assert!(app.rows.iter().filter(|r| r.overdue(app.today)).count() == 1);
}

#[test]
fn a_withdrawn_overdue_plan_marks_nothing_overdue() {
    let (_d, mut app) = new_app();
    app.store
        .withdraw_conversation(&fixture::id(21), "recorded against the wrong person", None)
        .unwrap();
    app.reload().unwrap();
    let morag = app.rows.iter().find(|r| r.name == "Morag MacLeod").unwrap();
    assert_eq!(morag.review_due, None);
    assert!(!morag.overdue(app.today));
    assert_eq!(morag.last, Some(fixture::d("2025-05-02")));
    assert!(app.rows.iter().all(|r| !r.overdue(app.today)));
}

#[test]
fn record_an_assessment_with_keys_and_save_it() {
    let (_d, mut app) = new_app();
    // Ùisdean is second by name order after Morag? Open whoever is selected: Morag.
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.screen(), Screen::Person(_)));
    press(&mut app, KeyCode::Char('a'));
    assert_eq!(app.screen().name(), "Assessment");
    press(&mut app, KeyCode::Down); // the editor opens on its details
    press(&mut app, KeyCode::Down); // Having things to do
    press(&mut app, KeyCode::Tab);
    let words = "I want to walk to the harbour again — 港口 🚶\nEvery day if I can";
    for line in words.split('\n').enumerate() {
        if line.0 > 0 {
            press(&mut app, KeyCode::Enter); // a new line inside the text
        }
        typed(&mut app, line.1);
    }
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "the sea air");
    // Tab on to the priority toggle and tick it.
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char(' '));
    assert!(app.editor().unwrap().dirty);
    ctrl_s(&mut app);
    assert!(app.status.starts_with("Saved"), "{}", app.status);
    assert!(app.editor().is_none(), "saving goes back to the person");
    let morag = fixture::id(10);
    let convs = app.store.conversations_of(&morag).unwrap();
    let saved = convs
        .iter()
        .find(|c| c.stage() == Stage::Assessment && c.date == fixture::d(fixture::TODAY))
        .unwrap();
    let StageBody::Assessment { outcomes } = &saved.body else {
        panic!()
    };
    assert_eq!(outcomes.len(), 1);
    assert_eq!(outcomes[0].outcome, "having_things_to_do");
    assert_eq!(outcomes[0].own_words, words);
    assert_eq!(outcomes[0].why, "the sea air");
    assert!(outcomes[0].priority);
    assert_eq!(saved.practitioner, "J. Byrne");
    // Saving left the editor without asking anything.
    assert!(app.prompt.is_none());
    let Screen::Person(v) = app.screen() else {
        panic!("back on the person")
    };
    assert_eq!(
        v.conversations.len(),
        3,
        "the timeline shows the new conversation"
    );
}

#[test]
fn nothing_typed_is_thrown_away_without_asking() {
    let (_d, mut app) = new_app();
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('a'));
    press(&mut app, KeyCode::Down); // the editor opens on its details
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "keep me");
    press(&mut app, KeyCode::Esc); // to the list
    press(&mut app, KeyCode::Esc); // try to leave
    assert_eq!(app.prompt, Some(Prompt::LeaveEditor));
    press(&mut app, KeyCode::Esc); // stay
    assert!(app.prompt.is_none());
    assert!(app.editor().is_some());
    press_mod(&mut app, KeyCode::Char('q'), KeyModifiers::CONTROL);
    assert_eq!(app.prompt, Some(Prompt::Quit));
    assert!(!app.quit);
    press(&mut app, KeyCode::Char('d'));
    assert!(app.quit, "d discards and quits");
}

#[test]
fn leaving_with_s_saves_first() {
    let (_d, mut app) = new_app();
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('a'));
    press(&mut app, KeyCode::Down); // the editor opens on its details
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "saved on the way out");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('s'));
    assert!(matches!(app.screen(), Screen::Person(_)));
    assert!(app.status.starts_with("Saved"), "{}", app.status);
}

#[test]
fn a_bad_save_says_why_and_moves_to_the_field() {
    let (_d, mut app) = new_app();
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('p'));
    // Write actions but no statement: the plan needs one.
    press(&mut app, KeyCode::Down); // the editor opens on its details
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Right); // Action 1: who = person
    ctrl_s(&mut app);
    assert!(app.status.starts_with("Not saved"), "{}", app.status);
    let ed = app.editor().unwrap();
    assert_eq!(ed.focus, Focus::Field(0), "focus on the statement");
    assert!(ed.dirty);
    // An impossible date in the header.
    let (_d2, mut app) = new_app();
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('a'));
    press(&mut app, KeyCode::Up); // About this conversation
    press(&mut app, KeyCode::Tab); // the date
    for _ in 0..10 {
        press(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "2025-13-01");
    ctrl_s(&mut app);
    assert!(app.status.contains("not a real date"), "{}", app.status);
}

#[test]
fn a_review_offers_planned_outcomes_then_process_ones() {
    let (_d, mut app) = new_app();
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('r'));
    let ed = app.editor().unwrap();
    let ids: Vec<&str> = ed
        .entries
        .iter()
        .skip(1)
        .map(|e| e.outcome.as_str())
        .collect();
    assert_eq!(
        ids,
        [
            "seeing_people",
            "listened_to",
            "having_a_say",
            "treated_with_respect",
            "responded_to",
            "reliability"
        ]
    );
    let e = &ed.entries[1];
    assert!(
        e.context
            .iter()
            .any(|(_, w)| w == "I miss my walking group")
    );
    assert!(
        e.context
            .iter()
            .any(|(_, w)| w == "I want to get back to my walking group")
    );
    press(&mut app, KeyCode::Down); // the editor opens on its details
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Right); // met
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Down); // listened_to
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Right);
    ctrl_s(&mut app);
    assert!(app.status.starts_with("Saved"), "{}", app.status);
    let convs = app.store.conversations_of(&fixture::id(10)).unwrap();
    let r = convs.iter().find(|c| c.stage() == Stage::Review).unwrap();
    assert_eq!(r.outcome_ids(), ["seeing_people", "listened_to"]);
}

#[test]
fn a_review_does_not_offer_what_a_withdrawn_plan_planned() {
    let (_d, mut app) = new_app();
    app.store
        .withdraw_conversation(&fixture::id(21), "recorded against the wrong person", None)
        .unwrap();
    app.reload().unwrap();
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('r'));
    let ed = app.editor().unwrap();
    let ids: Vec<&str> = ed.entries.iter().map(|e| e.outcome.as_str()).collect();
    // Only the experience of support is asked: the save would refuse the rest.
    assert!(!ids.contains(&"seeing_people"), "{ids:?}");
    assert!(ids.contains(&"listened_to"), "{ids:?}");
}

#[test]
fn a_review_that_leaves_planned_outcomes_asks_before_saving() {
    let (_d, mut app) = new_app();
    let reviews = |app: &App| {
        app.store
            .conversations_of(&fixture::id(10))
            .unwrap()
            .iter()
            .filter(|c| c.stage() == Stage::Review)
            .count()
    };
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('r'));
    press(&mut app, KeyCode::Down); // the planned outcome: left alone
    press(&mut app, KeyCode::Down); // listened to
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Right);
    ctrl_s(&mut app);
    assert!(
        matches!(app.prompt, Some(Prompt::PartialReview { left: 1, .. })),
        "{:?}",
        app.prompt
    );
    assert_eq!(reviews(&app), 0);
    // Going back keeps the words and saves nothing.
    press(&mut app, KeyCode::Esc);
    assert!(app.prompt.is_none());
    assert!(app.editor().is_some());
    assert_eq!(reviews(&app), 0);
    // Saving again asks again; saying so saves the review as it is.
    ctrl_s(&mut app);
    assert!(matches!(app.prompt, Some(Prompt::PartialReview { .. })));
    press(&mut app, KeyCode::Enter);
    assert!(app.status.starts_with("Saved"), "{}", app.status);
    assert_eq!(reviews(&app), 1);
    assert!(app.editor().is_none());
}

#[test]
fn the_plan_offers_assessment_priorities_first() {
    let (_d, mut app) = new_app();
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('p'));
    let ed = app.editor().unwrap();
    assert_eq!(ed.entries[1].outcome, "seeing_people");
    assert!(ed.entries[1].priority_hint);
    assert!(!ed.entries[2].priority_hint);
}

#[test]
fn a_draft_is_offered_back_on_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let words = "half a sentence — 港口 🚶 Mòrag";
    {
        let mut app = fixture::app(dir.path(), Theme::new(true, false));
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Char('a'));
        press(&mut app, KeyCode::Down); // the editor opens on its details
        press(&mut app, KeyCode::Tab);
        typed(&mut app, words);
        app.write_draft().unwrap();
    }
    let store = talking_points::store::Store::open(&dir.path().join("store")).unwrap();
    let mut app = App::new(
        store,
        talking_points::forms::Forms::embedded().unwrap(),
        Theme::new(true, false),
        fixture::d(fixture::TODAY),
    )
    .unwrap();
    assert!(matches!(app.prompt, Some(Prompt::Recover(_))));
    press(&mut app, KeyCode::Enter);
    let ed = app.editor().expect("the editor is back");
    assert_eq!(ed.entries[ed.selected].fields[0].input.string(), words);
    assert!(ed.dirty);
}

#[test]
fn add_a_person_from_the_caseload() {
    let (_d, mut app) = new_app();
    press(&mut app, KeyCode::Char('a'));
    typed(&mut app, "Seònaid NicLeòid");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Right); // carer
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Right); // Carers Centre
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "1960-02-29");
    press(&mut app, KeyCode::Tab);
    typed(&mut app, "morag"); // who they care for, found by name
    press(&mut app, KeyCode::Enter);
    ctrl_s(&mut app);
    assert!(app.status.starts_with("Added"), "{}", app.status);
    let p = app
        .store
        .people()
        .unwrap()
        .into_iter()
        .find(|p| p.name == "Seònaid NicLeòid")
        .unwrap();
    assert_eq!(p.kind, talking_points::domain::PersonKind::Carer);
    assert_eq!(p.dob, Some(fixture::d("1960-02-29")));
    assert_eq!(p.cares_for, Some(fixture::id(10)), "Morag");
    assert_eq!(app.visible_rows()[app.selected].name, "Seònaid NicLeòid");
}

#[test]
fn help_shows_and_any_key_closes_it() {
    let (_d, mut app) = new_app();
    press(&mut app, KeyCode::Char('?'));
    assert!(app.help);
    press(&mut app, KeyCode::Char('j'));
    assert!(!app.help);
    assert_eq!(app.selected, 0, "the closing key does nothing else");
}

#[test]
fn the_dashboard_changes_unit_and_lists_stories_by_key_not_name() {
    let (_d, mut app) = new_app();
    press(&mut app, KeyCode::Char('d'));
    assert_eq!(app.screen().name(), "Dashboard");
    let Screen::Dashboard(d) = app.screen() else {
        panic!()
    };
    let first_unit = d.units[d.unit].clone();
    assert!(d.report.is_some());
    // Tab to the unit selector, → to the next unit: the numbers are recomputed for it.
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Right);
    let Screen::Dashboard(d) = app.screen() else {
        panic!()
    };
    assert_ne!(d.units[d.unit], first_unit);
    assert_eq!(d.report.as_ref().unwrap().unit, d.units[d.unit]);
    // Stories never carry a name.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    let Screen::Dashboard(d) = app.screen() else {
        panic!()
    };
    let (_, stories) = d.stories.as_ref().expect("stories open");
    for s in stories {
        assert!(!s.key.contains("Morag") && s.key.len() == 8);
    }
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.screen().name(), "Caseload");
}

#[test]
fn a_paste_arrives_whole() {
    // Regression: only the first character of a bracketed paste was kept.
    let (_d, mut app) = new_app();
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('a'));
    press(&mut app, KeyCode::Down); // the editor opens on its details
    press(&mut app, KeyCode::Tab);
    let pasted = "pasted words, several of them — 港口 🚶\nand a second line";
    let a = keymap::action(&app, &Event::Paste(pasted.to_string())).unwrap();
    app.update(a);
    let ed = app.editor().unwrap();
    assert_eq!(ed.entries[ed.selected].fields[0].input.string(), pasted);
    assert!(ed.dirty);
}

#[test]
fn c_writes_the_persons_copy_of_their_plan_under_a_neutral_name() {
    use std::os::unix::fs::PermissionsExt;
    let (_d, mut app) = new_app();
    let out = tempfile::tempdir().unwrap();
    app.copy_dir = Some(out.path().to_path_buf());
    press(&mut app, KeyCode::Enter); // Morag, who has a plan
    press(&mut app, KeyCode::Char('c'));
    let first = out.path().join("support-plan-2026-11-23.html");
    let html = std::fs::read_to_string(&first).unwrap();
    assert!(html.contains("I want to get back to my walking group"));
    let mode = std::fs::metadata(&first).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(
        app.status.contains(&first.display().to_string()),
        "{}",
        app.status
    );
    // A second copy the same day does not replace the first.
    press(&mut app, KeyCode::Char('c'));
    assert!(out.path().join("support-plan-2026-11-23-2.html").exists());
    let copies = app
        .store
        .audit_entries()
        .unwrap()
        .iter()
        .filter(|e| e.action == "plan-copy")
        .count();
    assert_eq!(copies, 2);
}

#[test]
fn c_without_a_plan_says_so_and_writes_nothing() {
    let (_d, mut app) = new_app();
    let out = tempfile::tempdir().unwrap();
    app.copy_dir = Some(out.path().to_path_buf());
    press(&mut app, KeyCode::Down); // Ùisdean, who has no conversations
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('c'));
    assert!(app.status.contains("No support plan yet"), "{}", app.status);
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}

#[test]
fn w_withdraws_the_selected_conversation_only_with_a_reason() {
    let (_d, mut app) = new_app();
    press(&mut app, KeyCode::Enter); // Morag; her plan is selected
    press(&mut app, KeyCode::Char('w'));
    assert!(matches!(app.prompt, Some(Prompt::Withdraw { .. })));
    press(&mut app, KeyCode::Enter);
    assert!(app.status.contains("reason is required"), "{}", app.status);
    assert!(app.prompt.is_some());
    typed(&mut app, "Wrong persox");
    press(&mut app, KeyCode::Backspace);
    typed(&mut app, "n");
    press(&mut app, KeyCode::Enter);
    assert!(app.prompt.is_none());
    let plan = app.store.conversation(&fixture::id(21)).unwrap().unwrap();
    assert_eq!(plan.withdrawn.unwrap().reason, "Wrong person");
    // Already withdrawn: a second w changes nothing.
    press(&mut app, KeyCode::Char('w'));
    assert!(app.prompt.is_none());
    assert!(app.status.contains("already withdrawn"));
    press(&mut app, KeyCode::Esc);
    let morag = app.rows.iter().find(|r| r.name == "Morag MacLeod").unwrap();
    assert!(!morag.overdue(app.today));
}

#[test]
fn esc_cancels_a_withdrawal() {
    let (_d, mut app) = new_app();
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('w'));
    typed(&mut app, "oops");
    press(&mut app, KeyCode::Esc);
    assert!(app.prompt.is_none());
    assert!(matches!(app.screen(), Screen::Person(_)));
    let plan = app.store.conversation(&fixture::id(21)).unwrap().unwrap();
    assert!(plan.counts());
}

#[test]
fn v_shows_the_earlier_revisions_in_the_reading_view() {
    let (_d, mut app) = new_app();
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('w'));
    typed(&mut app, "Duplicate");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter); // read the withdrawn plan
    press(&mut app, KeyCode::Char('v'));
    let Screen::View { history, .. } = app.screen() else {
        panic!("not in the reading view");
    };
    let h = history.as_ref().expect("revisions shown");
    assert_eq!(h.len(), 2);
    assert!(h[0].counts() && !h[1].counts());
    press(&mut app, KeyCode::Char('v'));
    assert!(matches!(app.screen(), Screen::View { history: None, .. }));
}

/// Who can take part is offered by the rule `record` checks: the person cared for only
/// in a carer's conversation, so the editor never offers a choice its save refuses.
#[test]
fn only_a_carers_conversation_offers_the_person_cared_for() {
    use talking_points::tui::editor::FieldKind;
    use talking_points::tui::field::Input;
    let offered = |app: &App| -> Vec<String> {
        match app.editor().unwrap().entries[0].field(FieldKind::Participants) {
            Some(Input::Tags { options, .. }) => options.iter().map(|(id, _)| id.clone()).collect(),
            _ => panic!("who took part is a set of tags"),
        }
    };
    let (_d, mut app) = new_app();
    // Morag (an adult) is first on the caseload.
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('a'));
    let adult = offered(&app);
    assert!(adult.contains(&"carer".to_string()), "{adult:?}");
    assert!(!adult.contains(&"cared_for".to_string()), "{adult:?}");

    let (_d, mut app) = new_app();
    let carer = app
        .visible_rows()
        .iter()
        .position(|r| r.id == fixture::id(11))
        .expect("the carer is on the caseload");
    app.selected = carer;
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('a'));
    assert!(offered(&app).contains(&"cared_for".to_string()));
}
