//! Editing a saved conversation, without a store: what the editor is filled with, that
//! saving it unchanged gives back the same conversation (whatever the editor does not
//! show included), that a change touches only what was changed, and the keys and
//! effects of opening, leaving and saving an edit.

use crate::domain::{
    Action as PlanAction, AssessedOutcome, Consent, Conversation, Id, Person, PersonKind,
    PlannedOutcome, ReviewedOutcome, StageBody, Withdrawal,
};
use crate::forms::Forms;
use crate::tui::app::{Action, Prompt, Screen};
use crate::tui::editor::{Editor, FieldKind, Focus};
use crate::tui::effect::{AfterSave, Effect};
use crate::tui::screens::person::PersonView;
use crate::tui::screens::view::Reading;
use crate::tui::screens::{Component, Ctx};
use crate::tui::theme::Theme;
use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

const GAELIC: &str =
    "Tha mi ag iarraidh coiseachd chun a' chala a-rithist — 港口 🚶\nagus air ais   ";

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn today() -> NaiveDate {
    d("2026-11-23")
}

fn forms() -> Forms {
    Forms::embedded().unwrap()
}

fn with_ctx<T>(f: impl FnOnce(&Ctx) -> T) -> T {
    let forms = forms();
    let theme = Theme::new(false, false);
    let ctx = Ctx {
        forms: &forms,
        theme: &theme,
        today: today(),
        practitioner: "Someone Else",
        size: (80, 24),
    };
    f(&ctx)
}

fn person() -> Person {
    Person {
        id: Id::new(),
        name: "Morag MacLeod".into(),
        kind: PersonKind::Adult,
        service: Id::new(),
        dob: None,
        cares_for: None,
    }
}

fn conv(p: &Person, date: &str, body: StageBody) -> Conversation {
    Conversation {
        id: Id::new(),
        person: p.id,
        date: d(date),
        practitioner: "J. Byrne".into(),
        // `zz_retired` is no participant the forms offer now: the editor cannot show it.
        participants: vec!["person".into(), "advocate".into(), "zz_retired".into()],
        form: "adult".into(),
        // Recorded against an older version of the form.
        form_version: 7,
        revision: 3,
        consent: Some(Consent {
            record: true,
            share: false,
        }),
        withdrawn: None,
        body,
    }
}

fn assessment(p: &Person) -> Conversation {
    let o = |id: &str, words: &str, priority: bool, resources: &[&str]| AssessedOutcome {
        outcome: id.into(),
        own_words: words.into(),
        why: format!("why {id}"),
        strengths: format!("strengths {id}\n  indented"),
        resources: resources.iter().map(|s| s.to_string()).collect(),
        priority,
    };
    conv(
        p,
        "2026-03-02",
        StageBody::Assessment {
            // Not in the framework's order, and one outcome the forms no longer have.
            outcomes: vec![
                o("seeing_people", GAELIC, true, &["community", "zz_old"]),
                o("feeling_safe", "Scared at night", false, &[]),
                o(
                    "zz_withdrawn_outcome",
                    "kept as it was",
                    true,
                    &["personal"],
                ),
                o("mobility", "", false, &["family_friends", "personal"]),
            ],
        },
    )
}

fn action(who: &str, what: &str, by: Option<&str>) -> PlanAction {
    PlanAction {
        who: who.into(),
        what: what.into(),
        by: by.map(d),
    }
}

fn plan(p: &Person, review_by: Option<&str>) -> Conversation {
    conv(
        p,
        "2026-03-09",
        StageBody::Planning {
            review_by: review_by.map(d),
            outcomes: vec![
                PlannedOutcome {
                    outcome: "seeing_people".into(),
                    statement: GAELIC.into(),
                    // More actions than the editor has rows, one by an owner the forms
                    // no longer offer, one with no date.
                    actions: vec![
                        action("community", "a volunteer walks with me", Some("2026-04-01")),
                        action("zz_owner", "the old owner", Some("2026-04-02")),
                        action("person", "", None),
                        action("family_friends", "fourth", Some("2026-04-04")),
                        action("service", "fifth", Some("2026-04-05")),
                    ],
                },
                PlannedOutcome {
                    outcome: "feeling_safe".into(),
                    statement: "I want to feel safe at night".into(),
                    actions: vec![],
                },
            ],
        },
    )
}

fn review(p: &Person) -> Conversation {
    let o = |id: &str, status: &str, next: Option<&str>| ReviewedOutcome {
        outcome: id.into(),
        status: status.into(),
        helped: format!("helped {id}"),
        contributors: vec!["person".into(), "zz_gone".into()],
        hindered: format!("hindered {id}"),
        barriers: vec!["transport".into(), "other".into()],
        own_words: GAELIC.into(),
        next: next.map(String::from),
    };
    conv(
        p,
        "2026-06-09",
        StageBody::Review {
            outcomes: vec![
                o("feeling_safe", "partly_met", None),
                o("seeing_people", "met", Some("continue")),
                // A process outcome: the editor shows only its status and words.
                o("listened_to", "met", Some("close")),
                // Never planned: the editor does not offer it at this review.
                o("mobility", "not_met", Some("revise")),
                // A status the forms no longer have.
                o("skills", "zz_status", None),
            ],
        },
    )
}

/// Opens `c` in the editor over `before` and saves it without a change.
fn round_trip(c: &Conversation, p: &Person, before: &[Conversation]) -> Conversation {
    let ed = Editor::edit(c, p, before, &forms(), today()).expect("an adult framework");
    ed.build(&forms()).expect("it builds")
}

// Alone this could pass by handing the original back untouched;
// `the_editor_shows_every_field_it_has_as_saved` checks the fields independently.
#[test]
fn every_field_of_each_stage_survives_being_opened_and_saved_unchanged() {
    let p = person();
    let a = assessment(&p);
    assert_eq!(round_trip(&a, &p, &[]), a);
    let pl = plan(&p, Some("2026-06-09"));
    assert_eq!(round_trip(&pl, &p, std::slice::from_ref(&a)), pl);
    let none = plan(&p, None);
    assert_eq!(round_trip(&none, &p, std::slice::from_ref(&a)), none);
    let r = review(&p);
    assert_eq!(round_trip(&r, &p, &[a.clone(), pl.clone()]), r);
}

/// The outcomes sorted by id, so that what the fields alone say can be compared with
/// the saved order.
fn sorted(mut c: Conversation) -> Conversation {
    match &mut c.body {
        StageBody::Assessment { outcomes } => outcomes.sort_by(|a, b| a.outcome.cmp(&b.outcome)),
        StageBody::Planning { outcomes, .. } => outcomes.sort_by(|a, b| a.outcome.cmp(&b.outcome)),
        StageBody::Review { outcomes } => outcomes.sort_by(|a, b| a.outcome.cmp(&b.outcome)),
    }
    c
}

#[test]
fn the_editor_shows_every_field_it_has_as_saved() {
    // Only what the editor can show: then its fields alone give the conversation back,
    // so the round trip above is not merely the original handed back.
    let p = person();
    let shown = |mut c: Conversation| {
        c.participants = vec!["person".into(), "advocate".into()];
        c.form_version = 1;
        c.revision = 0;
        c.consent = None;
        match &mut c.body {
            StageBody::Assessment { outcomes } => {
                outcomes.retain(|o| o.outcome != "zz_withdrawn_outcome");
                for o in outcomes {
                    o.resources.retain(|r| r != "zz_old");
                    // A tag field lists its ticks in the forms' order.
                    if o.outcome == "mobility" {
                        o.resources.reverse();
                    }
                }
            }
            StageBody::Planning { outcomes, .. } => {
                for o in outcomes {
                    o.actions.retain(|a| a.who != "zz_owner");
                    o.actions.truncate(3);
                }
            }
            StageBody::Review { outcomes } => {
                outcomes.retain(|o| o.outcome == "feeling_safe" || o.outcome == "seeing_people");
                for o in outcomes {
                    o.contributors.retain(|r| r != "zz_gone");
                }
            }
        }
        c
    };
    let a = shown(assessment(&p));
    let pl = shown(plan(&p, Some("2026-06-09")));
    let r = shown(review(&p));
    for (c, before) in [
        (&a, vec![]),
        (&pl, vec![a.clone()]),
        (&r, vec![a.clone(), pl.clone()]),
    ] {
        let mut ed = Editor::edit(c, &p, &before, &forms(), today()).unwrap();
        ed.editing = None;
        let fields_alone = ed.build(&forms()).unwrap();
        assert_eq!(sorted(fields_alone), sorted(c.clone()));
    }
}

fn typed(c: char) -> Action {
    Action::Type(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE).into())
}

fn backspace() -> Action {
    Action::Type(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE).into())
}

/// Puts the focus on field `k` of the outcome `outcome`.
fn focus(ed: &mut Editor, outcome: &str, k: FieldKind) {
    ed.selected = ed
        .entries
        .iter()
        .position(|e| e.outcome == outcome)
        .unwrap();
    let i = ed.entries[ed.selected]
        .fields
        .iter()
        .position(|f| f.kind == k)
        .unwrap();
    ed.focus = Focus::Field(i);
}

#[test]
fn a_change_replaces_only_the_field_changed() {
    let p = person();
    let a = assessment(&p);
    let pl = plan(&p, Some("2026-06-09"));
    with_ctx(|ctx| {
        let mut ed = Editor::edit(&pl, &p, std::slice::from_ref(&a), ctx.forms, today()).unwrap();
        // The first action's words gain a letter.
        focus(&mut ed, "seeing_people", FieldKind::ActionWhat(0));
        let fx = ed.update(typed('!'), ctx);
        assert!(matches!(fx[..], [Effect::DraftChanged, Effect::Status(_)]));
        // Every field of feeling safe is emptied: that outcome is taken out.
        focus(&mut ed, "feeling_safe", FieldKind::Statement);
        for _ in 0..40 {
            ed.update(backspace(), ctx);
        }
        let fx = ed.update(Action::Save, ctx);
        let [Effect::SaveConversation(saved, AfterSave::Leave)] = &fx[..] else {
            panic!("expected a save, got {fx:?}");
        };
        let mut want = pl.clone();
        let StageBody::Planning { outcomes, .. } = &mut want.body else {
            unreachable!()
        };
        outcomes[0].actions[0].what.push('!');
        outcomes.remove(1);
        assert_eq!(**saved, want);
    });
}

#[test]
fn a_changed_choice_or_tag_keeps_what_the_forms_no_longer_offer() {
    let p = person();
    let (a, pl) = (assessment(&p), plan(&p, Some("2026-06-09")));
    let r = review(&p);
    with_ctx(|ctx| {
        let mut ed = Editor::edit(&r, &p, &[a, pl], ctx.forms, today()).unwrap();
        focus(&mut ed, "seeing_people", FieldKind::Contributors);
        // The cursor is on the first tag (person): unticked.
        ed.update(Action::Toggle, ctx);
        focus(&mut ed, "feeling_safe", FieldKind::Status);
        ed.update(Action::Right, ctx);
        let c = ed.build(ctx.forms).unwrap();
        let StageBody::Review { outcomes } = &c.body else {
            unreachable!()
        };
        assert_eq!(outcomes[1].contributors, ["zz_gone"]);
        assert_eq!(outcomes[0].status, "not_met");
        // The rest of each outcome, and the others, as saved.
        let StageBody::Review { outcomes: was } = &r.body else {
            unreachable!()
        };
        assert_eq!(outcomes[0].helped, was[0].helped);
        assert_eq!(outcomes[2..], was[2..]);
        assert_eq!((c.consent, &c.participants), (r.consent, &r.participants));
    });
}

fn view_of(p: &Person, convs: Vec<Conversation>) -> PersonView {
    PersonView::new(p.clone(), "Ness".into(), None, Vec::new(), convs)
}

#[test]
fn e_on_the_person_screen_opens_the_selected_conversation_to_edit() {
    let p = person();
    let a = assessment(&p);
    let mut withdrawn = plan(&p, Some("2026-06-09"));
    withdrawn.withdrawn = Some(Withdrawal {
        by: "J".into(),
        at: "2026-03-10T10:00:00Z".into(),
        reason: "wrong person".into(),
    });
    let mut v = view_of(&p, vec![a.clone(), withdrawn]);
    with_ctx(|ctx| {
        // The latest is selected: withdrawn, so it is not opened.
        let fx = v.update(Action::Edit, ctx);
        assert!(
            matches!(&fx[..], [Effect::Status(s)] if s.contains("withdrawn") && s.contains("cannot be edited")),
            "{fx:?}"
        );
        v.update(Action::Up, ctx);
        let fx = v.update(Action::Edit, ctx);
        let [Effect::Status(_), Effect::Open(Screen::Editor(ed))] = &fx[..] else {
            panic!("expected the editor, got {fx:?}");
        };
        assert_eq!(ed.title(), "Editing the assessment of 2026-03-02");
        assert_eq!(ed.conversation, a.id);
        assert!(!ed.dirty);
        // Its words are in the fields.
        let e = ed.entries.iter().find(|e| e.outcome == "seeing_people");
        let words = e.and_then(|e| e.field(FieldKind::OwnWords)).unwrap();
        assert_eq!(words.string(), GAELIC);
        // No conversations: nothing to open.
        let mut empty = view_of(&p, vec![]);
        assert!(matches!(
            &empty.update(Action::Edit, ctx)[..],
            [Effect::Status(s)] if s.starts_with("There is no conversation")
        ));
    });
}

#[test]
fn e_in_the_conversation_view_opens_the_one_being_read() {
    let p = person();
    let a = assessment(&p);
    let pl = plan(&p, Some("2026-06-09"));
    let v = view_of(&p, vec![a, pl.clone()]);
    let (mut conversation, mut scroll, mut history) = (1, 0, None);
    let mut r = Reading {
        person: &v,
        conversation: &mut conversation,
        scroll: &mut scroll,
        history: &mut history,
    };
    with_ctx(|ctx| {
        let fx = r.update(Action::Edit, ctx);
        let [_, Effect::Open(Screen::Editor(ed))] = &fx[..] else {
            panic!("expected the editor, got {fx:?}");
        };
        assert_eq!(ed.conversation, pl.id);
        assert_eq!(ed.title(), "Editing the support plan of 2026-03-09");
    });
}

#[test]
fn leaving_an_edit_asks_only_when_something_changed_and_an_unchanged_save_saves_nothing() {
    let p = person();
    let a = assessment(&p);
    with_ctx(|ctx| {
        let mut ed = Editor::edit(&a, &p, &[], ctx.forms, today()).unwrap();
        // Nothing changed: Esc leaves at once.
        assert!(matches!(
            ed.update(Action::Back, ctx)[..],
            [Effect::Leave, Effect::RefreshPerson]
        ));
        // Ctrl-S with nothing changed makes no new revision.
        let fx = ed.update(Action::Save, ctx);
        assert!(
            matches!(&fx[..], [Effect::RemoveDraft, Effect::Leave, Effect::RefreshPerson, Effect::Status(s)]
                if s.starts_with("Nothing was changed")),
            "{fx:?}"
        );
        // A change and a change back is still a change to be asked about, as for a
        // new conversation; saving it then is the same as saving nothing.
        focus(&mut ed, "feeling_safe", FieldKind::Why);
        ed.update(typed('x'), ctx);
        ed.update(backspace(), ctx);
        assert!(ed.dirty);
        ed.update(Action::Back, ctx);
        assert!(matches!(
            ed.update(Action::Back, ctx)[..],
            [Effect::Ask(Prompt::LeaveEditor)]
        ));
        assert!(matches!(
            ed.update(Action::Save, ctx)[..],
            [Effect::RemoveDraft, ..]
        ));
    });
}

#[test]
fn a_draft_of_an_edit_says_so_and_comes_back_with_an_outcome_emptied() {
    let p = person();
    let a = assessment(&p);
    with_ctx(|ctx| {
        let mut ed = Editor::edit(&a, &p, &[], ctx.forms, today()).unwrap();
        focus(&mut ed, "feeling_safe", FieldKind::OwnWords);
        for _ in 0.."Scared at night".len() {
            ed.update(backspace(), ctx);
        }
        focus(&mut ed, "feeling_safe", FieldKind::Why);
        for _ in 0.."why feeling_safe".len() {
            ed.update(backspace(), ctx);
        }
        focus(&mut ed, "feeling_safe", FieldKind::Strengths);
        for _ in 0.."strengths feeling_safe\n  indented".chars().count() {
            ed.update(backspace(), ctx);
        }
        let want = ed.build(ctx.forms).unwrap();
        assert_eq!(want.outcome_ids().len(), 3, "feeling safe is taken out");
        let draft = ed.draft("2026-11-23 10:00".into());
        let edited = draft.editing.expect("a draft of an edit");
        assert_eq!((edited.date, edited.revision), (a.date, a.revision));
        // A draft of a new conversation says nothing of the kind.
        let fresh = Editor::new(a.stage(), &p, &[], ctx.forms, today(), "J").unwrap();
        assert!(fresh.draft(String::new()).editing.is_none());
        // Continued in an editor on the conversation as saved, it is the same edit.
        let mut again = Editor::edit(&a, &p, &[], ctx.forms, today()).unwrap();
        again.restore(&draft);
        assert_eq!(again.build(ctx.forms).unwrap(), want);
    });
}
