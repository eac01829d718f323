//! The first five minutes: an empty store offers to add the first service inside the
//! interface (partnership, organisation, service) and goes on to the first person, so a
//! newcomer never quits to run `org add`; the demo's title says its store goes on quit.

mod common;

use common::keys::{press, press_mod, screen as render, typed};

use crossterm::event::{KeyCode, KeyModifiers};
use talking_points::forms::Forms;
use talking_points::store::Store;
use talking_points::tui::app::{App, Screen};
use talking_points::tui::theme::Theme;

fn empty(dir: &std::path::Path) -> App {
    let store = Store::open(&dir.join("store")).unwrap();
    App::new(
        store,
        Forms::embedded().unwrap(),
        Theme::new(true, false),
        common::fixture::d(common::fixture::TODAY),
    )
    .unwrap()
}

#[test]
fn an_empty_store_opens_on_the_first_service_form() {
    for (w, h) in [(80, 24), (60, 18)] {
        let dir = tempfile::tempdir().unwrap();
        let mut a = empty(dir.path());
        assert!(matches!(a.screen(), Screen::AddService(_)));
        insta::assert_snapshot!(format!("first_service_{w}x{h}"), render(&mut a, w, h));
        typed(&mut a, "Comhairle nan Eilean Siar HSCP — 西部群岛 🏝");
        press(&mut a, KeyCode::Tab);
        insta::assert_snapshot!(format!("first_service_typed_{w}x{h}"), render(&mut a, w, h));
    }
}

#[test]
fn the_service_is_added_through_the_rule_org_add_uses_then_the_first_person() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = empty(dir.path());
    typed(&mut a, "Glenmore HSCP");
    press(&mut a, KeyCode::Enter);
    // An empty name is refused in one sentence and the focus goes to it.
    press(&mut a, KeyCode::Enter);
    press(&mut a, KeyCode::Enter);
    assert!(a.status.starts_with("Not added:"), "{}", a.status);
    assert!(a.store.services().unwrap().is_empty());
    match a.screen() {
        Screen::AddService(f) => assert_eq!(f.focus, 1, "the organisation is empty"),
        _ => panic!("still on the form"),
    }
    typed(&mut a, "Glenmore Council");
    press(&mut a, KeyCode::Tab);
    typed(&mut a, "Reablement");
    press_mod(&mut a, KeyCode::Char('s'), KeyModifiers::CONTROL);
    let s = a.store.services().unwrap();
    assert_eq!(s.len(), 1);
    assert_eq!(
        (
            s[0].partnership.as_str(),
            s[0].organisation.as_str(),
            s[0].name.as_str()
        ),
        ("Glenmore HSCP", "Glenmore Council", "Reablement")
    );
    assert!(
        matches!(a.screen(), Screen::AddPerson(_)),
        "on to the first person"
    );
    let drawn = render(&mut a, 60, 18);
    assert!(drawn.contains("Added the service Reablement"), "{drawn}");
    insta::assert_snapshot!("first_person_after_service_60x18", drawn);
    // Esc leaves; `a` now adds a person, as the service is there.
    press(&mut a, KeyCode::Esc);
    press(&mut a, KeyCode::Char('a'));
    assert!(matches!(a.screen(), Screen::AddPerson(_)));
}

#[test]
fn a_service_name_already_taken_is_refused_as_at_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = empty(dir.path());
    a.store
        .add_new_service("Glenmore HSCP", "Glenmore Council", "Reablement")
        .unwrap()
        .unwrap();
    // The form was opened while the store was empty; the name is now taken.
    typed(&mut a, "Glenmore HSCP");
    press(&mut a, KeyCode::Tab);
    typed(&mut a, "Other Council");
    press(&mut a, KeyCode::Tab);
    typed(&mut a, "reablement");
    press(&mut a, KeyCode::Enter);
    assert!(a.status.contains("already exists"), "{}", a.status);
    assert_eq!(a.store.services().unwrap().len(), 1);
}

#[test]
fn esc_leaves_the_form_and_a_brings_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = empty(dir.path());
    press(&mut a, KeyCode::Esc);
    assert!(matches!(a.screen(), Screen::Caseload));
    press(&mut a, KeyCode::Char('a'));
    assert!(matches!(a.screen(), Screen::AddService(_)));
}

#[test]
fn the_demo_title_says_the_store_is_deleted_on_quit() {
    for (w, h) in [(80, 24), (60, 18)] {
        let dir = tempfile::tempdir().unwrap();
        let mut a = common::fixture::app(dir.path(), Theme::new(true, false));
        a.demo = true;
        press(&mut a, KeyCode::Enter);
        let drawn = render(&mut a, w, h);
        let title = drawn.lines().next().unwrap();
        assert!(title.contains("[demo: deleted on quit]"), "{title}");
        insta::assert_snapshot!(format!("demo_title_{w}x{h}"), title);
    }
}
