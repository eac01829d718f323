//! Editing a saved conversation from the Person screen: the editor opened on it (insta
//! snapshots at 80×24 and 60×18, with long words), an edit changing what the caseload
//! and the report show, the audit log's `correct`, and end to end in a pseudo-terminal
//! with the command line reading back both revisions.

mod common;

use common::fixture::{self, d, id};
use common::keys::{ctrl_s, press, press_mod, screen as render, typed};
use common::pty::{CTRL_N, CTRL_S, ESC, Tui, cli, store_with_person};
use crossterm::event::{KeyCode, KeyModifiers};
use std::time::Duration;
use talking_points::domain::{AssessedOutcome, Consent, Conversation, ReviewedOutcome, StageBody};
use talking_points::tui::app::{App, Screen};
use talking_points::tui::theme::Theme;

const GAELIC: &str = "Tha mi ag ionndrainn a' bhuidhinn coiseachd agam gu mòr, oir 's ann an sin a bhios mi a' bruidhinn ri mo charaidean aig a' chala a h-uile Diciadain — chan eil mi cho aonaranach nuair a bhios mi còmhla riutha.";
const ENGLISH: &str = "I used to walk to the harbour every Wednesday with the group and have a cup of tea at the café after; since the fall I have not been out of the house on my own and I miss them terribly.";

fn conv(n: u8, date: &str, body: StageBody) -> Conversation {
    Conversation {
        id: id(n),
        person: id(10),
        date: d(date),
        practitioner: "J. Byrne".into(),
        participants: vec!["person".into(), "carer".into()],
        form: "adult".into(),
        form_version: 1,
        revision: 0,
        consent: Some(Consent {
            record: true,
            share: true,
        }),
        withdrawn: None,
        body,
    }
}

/// The fixture with Morag's latest conversation `c`, read again by a fresh interface.
fn app_with(dir: &std::path::Path, c: Conversation) -> App {
    let app = fixture::app(dir, Theme::new(true, false));
    app.store.save_conversations(&[c]).unwrap();
    let mut app = App::new(
        app.store,
        app.forms,
        Theme::new(true, false),
        d(fixture::TODAY),
    )
    .unwrap();
    app.practitioner = "J. Byrne".into();
    app
}

/// An assessment with long words in Gaelic and English, on feeling safe (the first
/// outcome) and seeing people.
fn long_assessment() -> Conversation {
    conv(
        30,
        "2026-03-02",
        StageBody::Assessment {
            outcomes: vec![
                AssessedOutcome {
                    outcome: "feeling_safe".into(),
                    own_words: format!("{ENGLISH} {GAELIC}"),
                    why: GAELIC.into(),
                    strengths: "My daughter Eilidh phones every evening 📞".into(),
                    resources: vec!["family_friends".into()],
                    priority: true,
                },
                AssessedOutcome {
                    outcome: "seeing_people".into(),
                    own_words: GAELIC.into(),
                    ..Default::default()
                },
            ],
        },
    )
}

#[test]
fn the_editor_opened_on_a_saved_assessment_at_80x24_and_60x18() {
    for (w, h) in [(80, 24), (60, 18)] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = app_with(dir.path(), long_assessment());
        press(&mut app, KeyCode::Enter); // Morag; her latest conversation is selected
        press(&mut app, KeyCode::Char('e'));
        press(&mut app, KeyCode::Down); // feeling safe, its words left unfocused
        let drawn = render(&mut app, w, h);
        assert!(
            drawn.contains("Editing the assessment of 2026-03-02"),
            "{drawn}"
        );
        assert!(
            drawn.contains("I used to walk"),
            "the words' beginning shows"
        );
        assert!(
            !drawn.contains("[unsaved]"),
            "nothing is changed by opening"
        );
        insta::assert_snapshot!(format!("edit_assessment_{w}x{h}"), drawn);
        // Once changed, the title row still says what is edited, and that it is unsaved.
        press(&mut app, KeyCode::Tab);
        typed(&mut app, "!");
        let drawn = render(&mut app, w, h);
        let title = drawn.lines().next().unwrap_or_default();
        assert!(title.contains("[unsaved]"), "{title}");
        let name = if w == 80 {
            "Editing the assessment of 2026-03-02"
        } else {
            "Edit: assessment 2026-03-02"
        };
        assert!(title.contains(name), "{title}");
    }
}

#[test]
fn a_withdrawn_conversation_is_not_opened_to_edit() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_with(dir.path(), long_assessment());
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('w'));
    typed(&mut app, "wrong person");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('e'));
    assert!(matches!(app.screen(), Screen::Person(_)));
    let drawn = render(&mut app, 80, 24);
    assert!(drawn.contains("cannot be edited"), "{drawn}");
}

/// The service's report for 2025-26 as JSON, nothing suppressed.
fn report(store: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&cli(
        store,
        &[
            "report",
            "--level",
            "service",
            "--period",
            "2025-26",
            "--format",
            "json",
            "--suppress",
            "0",
        ],
    ))
    .expect("JSON")
}

/// The counts of Reablement's row for `outcome`, as `(met, not met)`.
fn met_and_not(v: &serde_json::Value, outcome: &str) -> (u64, u64) {
    fn find<'a>(v: &'a serde_json::Value, outcome: &str) -> Option<&'a serde_json::Value> {
        match v {
            serde_json::Value::Object(m) => {
                if m.values().any(|x| x == outcome) && m.contains_key("met") {
                    return Some(v);
                }
                m.values().find_map(|x| find(x, outcome))
            }
            serde_json::Value::Array(a) => a.iter().find_map(|x| find(x, outcome)),
            _ => None,
        }
    }
    let unit = v
        .as_array()
        .and_then(|units| units.iter().find(|u| u["unit"] == "Reablement"))
        .unwrap_or_else(|| panic!("no report for Reablement in {v}"));
    let row = find(unit, outcome).unwrap_or_else(|| panic!("no row for {outcome} in {unit}"));
    let n = |k: &str| {
        row[k]["value"]
            .as_u64()
            .or_else(|| row[k].as_u64())
            .unwrap_or_else(|| panic!("no {k} in {row}"))
    };
    (n("met"), n("not_met"))
}

#[test]
fn an_edit_in_the_interface_changes_the_report_and_is_audited_as_a_correction() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let review = conv(
        31,
        "2025-08-01",
        StageBody::Review {
            outcomes: vec![ReviewedOutcome {
                outcome: "seeing_people".into(),
                status: "not_met".into(),
                own_words: GAELIC.into(),
                ..Default::default()
            }],
        },
    );
    {
        let app = app_with(dir.path(), review.clone());
        drop(app);
    }
    assert_eq!(met_and_not(&report(&store), "seeing_people"), (0, 1));
    {
        let mut app = App::new(
            talking_points::store::Store::open(&store).unwrap(),
            talking_points::forms::Forms::embedded().unwrap(),
            Theme::new(true, false),
            d(fixture::TODAY),
        )
        .unwrap();
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Char('e'));
        // Ctrl-N: seeing people's status. Not met → no longer relevant → met.
        press_mod(&mut app, KeyCode::Char('n'), KeyModifiers::CONTROL);
        press(&mut app, KeyCode::Right);
        press(&mut app, KeyCode::Right);
        ctrl_s(&mut app);
        assert!(
            app.status.starts_with("Saved: the review corrected"),
            "{}",
            app.status
        );
        assert!(matches!(app.screen(), Screen::Person(_)));
        let kept = app.store.history_of(&review.id).unwrap();
        assert_eq!(kept.len(), 2, "the earlier revision is kept");
        assert_eq!(kept[0], review);
        assert_eq!(kept[1].revision, 1);
        // Only the status changed: the words, consent and all else are as they were.
        let mut want = review.clone();
        want.revision = 1;
        if let StageBody::Review { outcomes } = &mut want.body {
            outcomes[0].status = "met".into();
        }
        assert_eq!(kept[1], want);
        let audit = app.store.audit_entries().unwrap();
        let id = review.id.to_string();
        assert!(
            audit
                .iter()
                .any(|e| e.action == "correct" && e.record == "conversation" && e.id == id),
            "{audit:?}"
        );
    }
    assert_eq!(met_and_not(&report(&store), "seeing_people"), (1, 0));
}

#[test]
fn an_edit_of_the_plan_s_review_date_changes_the_caseload() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture::app(dir.path(), Theme::new(true, false));
    let morag = id(10);
    let row = |app: &App| {
        app.visible_rows()
            .into_iter()
            .find(|r| r.id == morag)
            .cloned()
            .expect("Morag's row")
    };
    assert_eq!(row(&app).review_due, Some(d("2025-08-01")));
    assert!(render(&mut app, 80, 24).contains("OVERDUE"));
    press(&mut app, KeyCode::Enter); // her plan is the latest
    press(&mut app, KeyCode::Char('e'));
    press(&mut app, KeyCode::Enter); // into the date
    for _ in 0..3 {
        press(&mut app, KeyCode::Tab); // practitioner, who took part, review by
    }
    for _ in 0.."2025-08-01".len() {
        press(&mut app, KeyCode::Backspace);
    }
    typed(&mut app, "2027-01-10");
    ctrl_s(&mut app);
    assert!(app.status.starts_with("Saved"), "{}", app.status);
    press(&mut app, KeyCode::Esc);
    assert_eq!(row(&app).review_due, Some(d("2027-01-10")));
    let drawn = render(&mut app, 80, 24);
    assert!(!drawn.contains("OVERDUE"), "{drawn}");
}

#[test]
fn edit_a_word_of_a_saved_assessment_in_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let person = store_with_person(&store, "Seònaid NicLeòid");
    let file = dir.path().join("assessment.json");
    std::fs::write(
        &file,
        format!(
            r#"{{"conversations": [{{"person": "{person}", "stage": "assessment", "date": "2026-03-02",
                "practitioner": "J. Byrne", "consent": {{"record": true, "share": false}},
                "outcomes": [{{"outcome": "feeling_safe", "own_words": "I want to walk to the harbour"}}]}}]}}"#
        ),
    )
    .unwrap();
    let conv = cli(&store, &["record", file.to_str().unwrap()])
        .trim()
        .to_string();

    let mut tui = Tui::start(&store);
    tui.expect("Seònaid", Duration::from_secs(5));
    tui.settle(0, Duration::from_secs(1));
    tui.press("\r");
    tui.expect("Assessment", Duration::from_secs(2));
    tui.press("e");
    tui.expect(
        "Editing the assessment of 2026-03-02",
        Duration::from_secs(2),
    );
    tui.press(CTRL_N); // feeling safe, into its words, the cursor at their end
    for _ in 0.."harbour".len() {
        tui.press("\x7f");
    }
    tui.type_text("shore");
    tui.press(CTRL_S);
    tui.expect("Saved: the assessment corrected", Duration::from_secs(5));
    tui.press(ESC);
    tui.press("q");
    let status = tui.wait_exit(Duration::from_secs(5));
    assert!(
        status.as_ref().is_some_and(|s| s.success()),
        "exit status {status:?}; last output:\n{}",
        tui.tail()
    );
    drop(tui);

    let history: serde_json::Value =
        serde_json::from_str(&cli(&store, &["conversation", "history", &conv, "--json"]))
            .expect("JSON");
    let all = history.as_array().expect("an array of revisions");
    assert_eq!(all.len(), 2, "{history}");
    assert_eq!(
        all[0]["outcomes"][0]["own_words"],
        "I want to walk to the harbour"
    );
    assert_eq!(
        all[1]["outcomes"][0]["own_words"],
        "I want to walk to the shore"
    );
    assert_eq!(all[1]["revision"], 1);
    // What the editor does not show is carried over.
    assert_eq!(all[1]["consent"], all[0]["consent"]);
    let shown = cli(&store, &["person", "show", &person]);
    assert!(
        shown.contains("to the shore") && !shown.contains("harbour"),
        "{shown}"
    );
}

#[test]
fn an_edit_saved_from_the_conversation_view_shows_there_and_the_practitioner_is_not_taken_over() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = long_assessment();
    c.practitioner = "A. N. Other".into();
    let mut app = app_with(dir.path(), c.clone());
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter); // read the latest conversation
    press(&mut app, KeyCode::Char('e'));
    press_mod(&mut app, KeyCode::Char('n'), KeyModifiers::CONTROL);
    typed(&mut app, " Corrected.");
    ctrl_s(&mut app);
    assert!(
        matches!(app.screen(), Screen::View { .. }),
        "back where it was opened"
    );
    let drawn = render(&mut app, 80, 24);
    assert!(drawn.contains("Saved: the assessment corrected"), "{drawn}");
    // The view shows the new words at once, and v both versions.
    let all = app.store.history_of(&c.id).unwrap();
    assert_eq!(all.len(), 2);
    let Screen::View { person, .. } = app.screen() else {
        unreachable!()
    };
    assert_eq!(person.conversations.last(), all.last());
    press(&mut app, KeyCode::Char('v'));
    let drawn = render(&mut app, 80, 24);
    assert!(drawn.contains("Revision 0 (earlier)"), "{drawn}");
    // The next new conversation is offered to whoever records here, as before.
    assert_eq!(app.practitioner, "J. Byrne");
    // Back on the person's screen, the edited conversation is still the one selected.
    press(&mut app, KeyCode::Esc);
    let Screen::Person(v) = app.screen() else {
        panic!("the person's screen")
    };
    assert_eq!(v.conversations[v.selected].id, c.id);
}

#[test]
fn a_draft_of_an_edit_comes_back_as_an_edit_of_the_same_conversation() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let c = long_assessment();
    {
        let mut app = app_with(dir.path(), c.clone());
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Char('e'));
        press_mod(&mut app, KeyCode::Char('n'), KeyModifiers::CONTROL);
        typed(&mut app, " Drafted.");
        app.write_draft().unwrap();
    }
    let mut app = App::new(
        talking_points::store::Store::open(&store).unwrap(),
        talking_points::forms::Forms::embedded().unwrap(),
        Theme::new(true, false),
        d(fixture::TODAY),
    )
    .unwrap();
    let drawn = render(&mut app, 80, 24);
    assert!(
        drawn.contains("Changes to the assessment of 2026-03-02"),
        "the question says it is an edit: {drawn}"
    );
    press(&mut app, KeyCode::Enter);
    let drawn = render(&mut app, 60, 18);
    assert!(drawn.contains("Edit: assessment 2026-03-02"), "{drawn}");
    ctrl_s(&mut app);
    let all = app.store.history_of(&c.id).unwrap();
    assert_eq!(all.len(), 2, "a new revision, not a new conversation");
    let StageBody::Assessment { outcomes } = &all[1].body else {
        panic!("an assessment")
    };
    assert!(outcomes[0].own_words.ends_with("riutha. Drafted."));
    assert_eq!(outcomes[1..], {
        let StageBody::Assessment { outcomes } = &c.body else {
            unreachable!()
        };
        outcomes[1..].to_vec()
    });
    assert_eq!(all[1].consent, c.consent);
    assert_eq!(app.store.conversations_of(&id(10)).unwrap().len(), 3);
}

#[test]
fn a_conversation_withdrawn_while_it_is_edited_is_not_saved_over() {
    let dir = tempfile::tempdir().unwrap();
    let c = long_assessment();
    let mut app = app_with(dir.path(), c.clone());
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('e'));
    press_mod(&mut app, KeyCode::Char('n'), KeyModifiers::CONTROL);
    typed(&mut app, "!");
    // Meanwhile, as `conversation withdraw` would from another terminal.
    app.store
        .withdraw_conversation(&c.id, "wrong person", Some("Ali"))
        .unwrap();
    ctrl_s(&mut app);
    assert!(
        app.status.starts_with("Not saved: it was withdrawn"),
        "{}",
        app.status
    );
    assert!(matches!(app.screen(), Screen::Editor(_)), "the words stay");
    let all = app.store.history_of(&c.id).unwrap();
    assert_eq!(
        all.len(),
        2,
        "the original and its withdrawal, nothing more"
    );
    assert!(all[1].withdrawn.is_some());
}
