//! Linking a carer: the person cared for is found by typing part of their name (the
//! store's name search, adults only), not picked from a radio list of everyone; both
//! records then show the link. Snapshots at 80×24 and 60×18.

mod common;

use common::keys::{press, press_mod, screen as render, typed};

use common::fixture;
use crossterm::event::{KeyCode, KeyModifiers};
use talking_points::tui::app::{App, Screen};
use talking_points::tui::theme::Theme;

const CARER: &str = "Seònaid Nic a' Phì 🌿";

/// The add-person form for a carer, with the focus on who they care for.
fn to_picker(a: &mut App) {
    press(a, KeyCode::Char('a'));
    typed(a, CARER);
    press(a, KeyCode::Tab);
    press(a, KeyCode::Right); // a carer
    press(a, KeyCode::Tab);
    press(a, KeyCode::Tab);
    press(a, KeyCode::Tab);
}

/// The names offered, sorted (the order is the store's search's own rule).
fn matches(a: &App) -> Vec<String> {
    let mut v: Vec<String> = match a.screen() {
        Screen::AddPerson(f) => f.picker.results.iter().map(|c| c.name.clone()).collect(),
        _ => panic!("not on the add-person form"),
    };
    v.sort();
    v
}

/// Opens the named person's screen from the caseload.
fn open(a: &mut App, name: &str) {
    while !matches!(a.screen(), Screen::Caseload) {
        press(a, KeyCode::Esc);
    }
    let i = a
        .visible_rows()
        .iter()
        .position(|r| r.name == name)
        .expect("on the caseload");
    press(a, KeyCode::Home);
    for _ in 0..i {
        press(a, KeyCode::Down);
    }
    press(a, KeyCode::Enter);
}

#[test]
fn typing_filters_the_people_offered_and_only_adults_are_offered() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = fixture::app(dir.path(), Theme::new(true, false));
    to_picker(&mut a);
    assert!(matches(&a).is_empty(), "nothing offered before typing");
    typed(&mut a, "a");
    assert_eq!(
        matches(&a),
        vec!["Morag MacLeod", "Ùisdean Mac a' Phì"],
        "the carer 王秀英 is not offered"
    );
    typed(&mut a, "c a");
    assert_eq!(matches(&a), vec!["Ùisdean Mac a' Phì"]);
    for _ in 0.."ac a".len() {
        press(&mut a, KeyCode::Backspace);
    }
    typed(&mut a, "MOR");
    assert_eq!(matches(&a), vec!["Morag MacLeod"], "case does not matter");
    typed(&mut a, "x");
    assert!(matches(&a).is_empty());
    // Enter with no match picks nobody and does not add the person.
    press(&mut a, KeyCode::Enter);
    assert!(matches!(a.screen(), Screen::AddPerson(_)));
}

#[test]
fn the_picker_drawn_at_80x24_and_60x18() {
    for (w, h) in [(80, 24), (60, 18)] {
        let dir = tempfile::tempdir().unwrap();
        let mut a = fixture::app(dir.path(), Theme::new(true, false));
        to_picker(&mut a);
        insta::assert_snapshot!(format!("picker_empty_{w}x{h}"), render(&mut a, w, h));
        typed(&mut a, "a");
        press(&mut a, KeyCode::Down);
        insta::assert_snapshot!(format!("picker_matches_{w}x{h}"), render(&mut a, w, h));
        press(&mut a, KeyCode::Enter);
        insta::assert_snapshot!(format!("picker_chosen_{w}x{h}"), render(&mut a, w, h));
    }
}

#[test]
fn both_records_show_the_link_once_the_carer_is_added() {
    let dir = tempfile::tempdir().unwrap();
    let mut a = fixture::app(dir.path(), Theme::new(true, false));
    to_picker(&mut a);
    typed(&mut a, "uisd");
    press(&mut a, KeyCode::Enter);
    press_mod(&mut a, KeyCode::Char('s'), KeyModifiers::CONTROL);
    assert!(a.status.starts_with("Added"), "{}", a.status);
    open(&mut a, CARER);
    let carer = render(&mut a, 80, 24);
    assert!(carer.contains("Cares for: Ùisdean Mac a' Phì"), "{carer}");
    open(&mut a, "Ùisdean Mac a' Phì");
    let cared = render(&mut a, 60, 18);
    assert!(cared.contains("Carer: Seònaid Nic a' Phì"), "{cared}");
    insta::assert_snapshot!("cared_for_shows_carer_60x18", cared);
}

/// The footer's last line of a drawn screen.
fn footer(screen: &str) -> String {
    screen.lines().last().unwrap_or_default().to_string()
}

#[test]
fn once_someone_is_chosen_the_footer_gives_the_forms_hints_again() {
    for (w, h) in [(80, 24), (60, 18)] {
        let dir = tempfile::tempdir().unwrap();
        let mut a = fixture::app(dir.path(), Theme::new(true, false));
        to_picker(&mut a);
        typed(&mut a, "uisd");
        let searching = footer(&render(&mut a, w, h));
        assert!(searching.contains("Enter pick"), "{searching}");
        press(&mut a, KeyCode::Enter);
        let chosen = footer(&render(&mut a, w, h));
        assert!(
            !chosen.contains("pick") && !chosen.contains("choose"),
            "{w}x{h}: {chosen}"
        );
        assert!(
            chosen.contains("Ctrl-S add") && chosen.contains("Tab next"),
            "{w}x{h}: {chosen}"
        );
        // Typing again searches again, with the picker's hints.
        typed(&mut a, "m");
        assert!(footer(&render(&mut a, w, h)).contains("Enter pick"));
        press(&mut a, KeyCode::Backspace);
        // And Enter on the chosen person adds the carer.
        press(&mut a, KeyCode::Enter);
        assert!(a.status.starts_with("Added"), "{w}x{h}: {}", a.status);
    }
}
