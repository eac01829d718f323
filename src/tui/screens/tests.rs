//! The screens change only their own state and say what else must happen: none of
//! these tests has a store, and none needs one, because a screen cannot reach it.

use super::add_person::AddPerson;
use super::caseload::Caseload;
use super::person::PersonView;
use super::view::Reading;
use super::{Component, Ctx, prompt};
use crate::domain::{Id, Person, PersonKind, Service, Stage, StageBody};
use crate::forms::Forms;
use crate::tui::app::{Action, Prompt, Screen};
use crate::tui::caseload::Row;
use crate::tui::dashboard::{Dashboard, Data};
use crate::tui::editor::{Editor, Focus};
use crate::tui::effect::{AfterSave, Effect};
use crate::tui::theme::Theme;
use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 1).unwrap()
}

fn with_ctx<T>(size: (u16, u16), f: impl FnOnce(&Ctx) -> T) -> T {
    let forms = Forms::embedded().unwrap();
    let theme = Theme::new(false, false);
    let ctx = Ctx {
        forms: &forms,
        theme: &theme,
        today: today(),
        practitioner: "J. Byrne",
        size,
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

fn typed(c: char) -> Action {
    Action::Type(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE).into())
}

fn row(name: &str) -> Row {
    Row {
        id: Id::new(),
        name: name.into(),
        kind: PersonKind::Adult,
        service: "Ness".into(),
        last: None,
        review_due: None,
    }
}

#[test]
fn the_caseload_opens_the_selected_person_by_asking_for_them() {
    let mut c = Caseload {
        rows: vec![row("Anna"), row("Morag")],
        ..Caseload::default()
    };
    let morag = c.rows[1].id;
    with_ctx((80, 24), |ctx| {
        assert!(c.update(Action::Down, ctx).is_empty());
        assert_eq!(c.selected, 1);
        let fx = c.update(Action::Enter, ctx);
        assert!(matches!(fx[..], [Effect::OpenPerson(id)] if id == morag));
        assert!(matches!(
            c.update(Action::Dashboard, ctx)[..],
            [Effect::LoadDashboard]
        ));
        assert!(matches!(c.update(Action::Back, ctx)[..], [Effect::Quit]));
    });
}

#[test]
fn the_person_screen_asks_why_before_withdrawing_and_leaves_with_a_fresh_row() {
    let p = person();
    let id = p.id;
    let conv = crate::domain::Conversation {
        id: Id::new(),
        person: id,
        date: today(),
        practitioner: "J. Byrne".into(),
        participants: vec!["person".into()],
        form: "adult".into(),
        form_version: 1,
        revision: 1,
        consent: None,
        withdrawn: None,
        body: StageBody::Assessment { outcomes: vec![] },
    };
    let conv_id = conv.id;
    let mut v = PersonView::new(p, "Ness".into(), None, Vec::new(), vec![conv]);
    with_ctx((80, 24), |ctx| {
        let fx = v.update(Action::Withdraw, ctx);
        assert!(
            matches!(&fx[..], [Effect::Ask(Prompt::Withdraw { id, reason })]
            if *id == conv_id && reason.is_empty())
        );
        let fx = v.update(Action::PlanCopy, ctx);
        assert!(matches!(&fx[..], [Effect::WritePlanCopy(p)] if p.id == id));
        let fx = v.update(Action::Enter, ctx);
        assert!(matches!(
            &fx[..],
            [Effect::Open(Screen::View {
                conversation: 0,
                ..
            })]
        ));
        let fx = v.update(Action::Start(Stage::Assessment), ctx);
        assert!(matches!(
            &fx[..],
            [Effect::Status(_), Effect::Open(Screen::Editor(_))]
        ));
        let fx = v.update(Action::Back, ctx);
        assert!(matches!(&fx[..], [Effect::Leave, Effect::ReloadRow(r)] if *r == id));
    });
}

#[test]
fn the_editor_saves_by_handing_its_conversation_to_the_runner() {
    with_ctx((80, 24), |ctx| {
        let p = person();
        let mut ed = Editor::new(Stage::Assessment, &p, &[], ctx.forms, today(), "J").unwrap();
        // Into the first outcome's first field, and type.
        ed.update(Action::Down, ctx);
        ed.update(Action::Enter, ctx);
        assert!(matches!(ed.focus, Focus::Field(_)) && Component::typing(&ed));
        let fx = ed.update(typed('I'), ctx);
        assert!(matches!(fx[..], [Effect::DraftChanged, Effect::Status(ref s)] if s.is_empty()));
        assert!(ed.dirty);
        let fx = ed.update(Action::Save, ctx);
        let [Effect::SaveConversation(conv, AfterSave::Leave)] = &fx[..] else {
            panic!("expected a save, got {fx:?}");
        };
        assert_eq!(conv.person, p.id);
        let StageBody::Assessment { outcomes } = &conv.body else {
            panic!("an assessment");
        };
        assert!(outcomes.iter().any(|o| o.own_words == "I"));
        // Still dirty: only the runner, once the store has the words, marks them saved.
        assert!(ed.dirty);
        // Leaving with unsaved words asks first.
        ed.update(Action::Back, ctx);
        let fx = ed.update(Action::Back, ctx);
        assert!(matches!(fx[..], [Effect::Ask(Prompt::LeaveEditor)]));
    });
}

#[test]
fn the_editor_refuses_an_unreadable_date_itself_and_focuses_it() {
    with_ctx((80, 24), |ctx| {
        let p = person();
        let mut ed = Editor::new(Stage::Assessment, &p, &[], ctx.forms, today(), "J").unwrap();
        // The date is the first field of the conversation's own details.
        ed.update(Action::Enter, ctx);
        for _ in 0..12 {
            ed.update(
                Action::Type(KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE).into()),
                ctx,
            );
        }
        ed.update(typed('x'), ctx);
        ed.update(Action::Back, ctx);
        ed.update(Action::Down, ctx);
        let fx = ed.update(Action::Save, ctx);
        assert!(
            matches!(&fx[..], [Effect::Status(s)] if s.starts_with("Not saved.")),
            "{fx:?}"
        );
        assert_eq!((ed.selected, ed.focus), (0, Focus::Field(0)));
    });
}

#[test]
fn the_add_person_form_checks_the_person_and_asks_for_them_to_be_added() {
    let service = Service {
        id: Id::new(),
        name: "Ness".into(),
        organisation: "Comhairle".into(),
        partnership: "Eilean Siar".into(),
    };
    let mut form = AddPerson::new(std::slice::from_ref(&service), &[row("Anna")]);
    with_ctx((80, 24), |ctx| {
        // No name: refused by the rule `person add` uses, nothing to perform.
        let fx = form.update(Action::Save, ctx);
        assert!(matches!(&fx[..], [Effect::Status(s)] if s.starts_with("Not added")));
        for c in "Ann".chars() {
            form.update(typed(c), ctx);
        }
        let fx = form.update(Action::Save, ctx);
        let [Effect::AddPerson(p)] = &fx[..] else {
            panic!("expected a person to add, got {fx:?}");
        };
        assert_eq!(
            (p.name.as_str(), p.kind, p.service),
            ("Ann", PersonKind::Adult, service.id)
        );
        assert!(matches!(
            form.update(Action::Back, ctx)[..],
            [Effect::Leave]
        ));
    });
}

#[test]
fn the_dashboard_leaves_with_its_data_and_asks_for_nothing_else() {
    with_ctx((80, 24), |ctx| {
        let mut d = Dashboard::new(Data::default(), ctx.forms, today());
        assert!(d.error.is_some(), "nothing to show without data");
        assert!(d.update(Action::NextField, ctx).is_empty());
        assert!(matches!(d.update(Action::Back, ctx)[..], [Effect::Leave]));
    });
}

#[test]
fn the_conversation_view_asks_for_revisions_and_hides_them_itself() {
    let mut v = PersonView::new(person(), "Ness".into(), None, Vec::new(), Vec::new());
    v.conversations.push(crate::domain::Conversation {
        id: Id::new(),
        person: v.person.id,
        date: today(),
        practitioner: "J".into(),
        participants: vec![],
        form: "adult".into(),
        form_version: 1,
        revision: 2,
        consent: None,
        withdrawn: None,
        body: StageBody::Assessment { outcomes: vec![] },
    });
    let id = v.conversations[0].id;
    let (mut conversation, mut scroll) = (0, 3);
    let mut history = None;
    let mut r = Reading {
        person: &v,
        conversation: &mut conversation,
        scroll: &mut scroll,
        history: &mut history,
    };
    with_ctx((80, 24), |ctx| {
        assert!(
            matches!(r.update(Action::History, ctx)[..], [Effect::LoadRevisions(x)] if x == id)
        );
        assert_eq!(*r.scroll, 0);
        *r.history = Some(Vec::new());
        assert!(r.update(Action::History, ctx).is_empty());
        assert!(r.history.is_none());
    });
}

#[test]
fn a_withdrawal_needs_a_typed_reason_before_it_is_asked_for() {
    let id = Id::new();
    let p = Prompt::Withdraw {
        id,
        reason: String::new(),
    };
    let (p, fx) = prompt::answer(p, Action::Enter);
    assert!(matches!(&fx[..], [Effect::Status(s)] if s.starts_with("A reason is required")));
    let mut p = p.expect("still asking");
    for c in " typo ".chars() {
        p = prompt::answer(p, Action::Answer(c))
            .0
            .expect("still asking");
    }
    let (p, fx) = prompt::answer(p, Action::Enter);
    assert!(p.is_none());
    assert!(
        matches!(&fx[..], [Effect::Withdraw { id: x, reason }] if *x == id && reason == "typo")
    );
}

#[test]
fn the_caseload_count_agrees_with_its_noun() {
    let drawn = |rows: Vec<Row>| {
        let cl = Caseload {
            rows,
            ..Caseload::default()
        };
        with_ctx((80, 24), |ctx| {
            let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
            t.draw(|f| cl.draw(ctx, f, f.area())).unwrap();
            format!("{:?}", t.backend().buffer())
        })
    };
    assert!(drawn(vec![row("Morag MacLeod")]).contains("1 person. Type / to filter."));
    let two = drawn(vec![row("Morag MacLeod"), row("王秀英")]);
    assert!(two.contains("2 people. Type / to filter."));
}
