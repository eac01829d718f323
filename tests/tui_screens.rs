//! Every screen and editor drawn at 80×24 and 60×18 (insta snapshots), and the
//! no-colour and ASCII variants.

mod common;

use common::keys::{press, press_mod, typed};

use common::fixture;
use crossterm::event::{KeyCode, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::{Color, Modifier};
use talking_points::tui::app::App;
use talking_points::tui::draw;
use talking_points::tui::theme::Theme;

fn render(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    app.update(talking_points::tui::app::Action::Resize(w, h));
    // The dashboard's protection runs on a thread: draw what it settles on.
    app.settle(std::time::Duration::from_secs(60));
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| draw::draw(app, f)).unwrap();
    t
}

type Scenario = (&'static str, Box<dyn Fn(&mut App)>);

/// The dashboard on Reablement, where seven people's reviews were recorded.
fn reablement_dashboard(a: &mut App) {
    fixture::add_reviews(&a.store);
    press(a, KeyCode::Char('d'));
    // To the unit selector, the next unit, back to the outcomes.
    for k in [
        KeyCode::Tab,
        KeyCode::Tab,
        KeyCode::Right,
        KeyCode::Tab,
        KeyCode::Tab,
    ] {
        press(a, k);
    }
}

/// Each scenario: a name and the keys that lead to the screen.
fn scenarios() -> Vec<Scenario> {
    vec![
        ("caseload", Box::new(|_| {})),
        (
            "caseload_filter",
            Box::new(|a| {
                press(a, KeyCode::Char('/'));
                typed(a, "reab");
            }),
        ),
        (
            "add_person",
            Box::new(|a| {
                press(a, KeyCode::Char('a'));
                typed(a, "Seònaid");
            }),
        ),
        ("person", Box::new(|a| press(a, KeyCode::Enter))),
        (
            "view",
            Box::new(|a| {
                press(a, KeyCode::Enter);
                press(a, KeyCode::Up);
                press(a, KeyCode::Enter);
            }),
        ),
        (
            "assessment",
            Box::new(|a| {
                press(a, KeyCode::Enter);
                press(a, KeyCode::Char('a'));
                press(a, KeyCode::Down); // the editor opens on its details
                press(a, KeyCode::Tab);
                typed(a, "I want to walk to the harbour again — 港口 🚶");
            }),
        ),
        (
            "plan",
            Box::new(|a| {
                press(a, KeyCode::Enter);
                press(a, KeyCode::Char('p'));
                press(a, KeyCode::Down); // the editor opens on its details
                press(a, KeyCode::Tab);
                typed(a, "I want to get back to my walking group");
            }),
        ),
        (
            "review",
            Box::new(|a| {
                press(a, KeyCode::Enter);
                press(a, KeyCode::Char('r'));
                press(a, KeyCode::Down); // the editor opens on its details
                press(a, KeyCode::Tab);
                press(a, KeyCode::Right);
                press(a, KeyCode::Right);
            }),
        ),
        (
            "withdraw_prompt",
            Box::new(|a| {
                press(a, KeyCode::Enter);
                press(a, KeyCode::Char('w'));
                typed(a, "Recorded against the wrong person");
            }),
        ),
        (
            "withdrawn",
            Box::new(|a| {
                press(a, KeyCode::Enter);
                press(a, KeyCode::Char('w'));
                typed(a, "Recorded against the wrong person");
                press(a, KeyCode::Enter);
            }),
        ),
        (
            "revisions",
            Box::new(|a| {
                press(a, KeyCode::Enter);
                press(a, KeyCode::Char('w'));
                typed(a, "Recorded against the wrong person");
                press(a, KeyCode::Enter);
                press(a, KeyCode::Enter);
                press(a, KeyCode::Char('v'));
            }),
        ),
        // A unit with reviews, so the numbers, bars and stories are there to see.
        ("dashboard", Box::new(reablement_dashboard)),
        (
            "dashboard_stories",
            Box::new(|a| {
                reablement_dashboard(a);
                press(a, KeyCode::Enter);
            }),
        ),
        (
            "help",
            Box::new(|a| {
                press(a, KeyCode::Enter);
                press(a, KeyCode::Char('?'));
            }),
        ),
        (
            "leave_prompt",
            Box::new(|a| {
                press(a, KeyCode::Enter);
                press(a, KeyCode::Char('a'));
                press(a, KeyCode::Down); // the editor opens on its details
                press(a, KeyCode::Tab);
                typed(a, "words");
                press(a, KeyCode::Esc);
                press(a, KeyCode::Esc);
            }),
        ),
        (
            "partial_review_prompt",
            Box::new(|a| {
                press(a, KeyCode::Enter);
                press(a, KeyCode::Char('r'));
                press(a, KeyCode::Down); // the planned outcome, left unreviewed
                press(a, KeyCode::Down); // listened to
                press(a, KeyCode::Tab);
                press(a, KeyCode::Right);
                press_mod(a, KeyCode::Char('s'), KeyModifiers::CONTROL);
            }),
        ),
        (
            "saved",
            Box::new(|a| {
                press(a, KeyCode::Enter);
                press(a, KeyCode::Char('a'));
                press(a, KeyCode::Down); // the editor opens on its details
                press(a, KeyCode::Tab);
                typed(a, "words");
                press_mod(a, KeyCode::Char('s'), KeyModifiers::CONTROL);
            }),
        ),
    ]
}

/// A story's pseudonymous key comes from the store's own secret, new in every store:
/// `Person 16f1f9da` is drawn as `Person ########`.
fn mask_keys(drawn: &str) -> String {
    const AT: &str = "Person ";
    let mut out = String::new();
    let mut rest = drawn;
    while let Some(i) = rest.find(AT) {
        let (head, tail) = rest.split_at(i + AT.len());
        out.push_str(head);
        let key: String = tail.chars().take(8).collect();
        if key.len() == 8 && key.chars().all(|c| c.is_ascii_hexdigit()) {
            out.push_str("########");
            rest = &tail[8..];
        } else {
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

/// A withdrawal says when and by which account it was made; both differ run to run.
fn mask_withdrawal(drawn: &str) -> String {
    const AT: &str = "recorded in error, ";
    drawn
        .lines()
        .map(|l| match (l.find(AT), l.rfind('│')) {
            (Some(i), Some(end)) if i + AT.len() < end => {
                let start = i + AT.len();
                let cells = l[start..end].chars().count();
                format!("{}{:<cells$}{}", &l[..start], "WHEN by WHO", &l[end..])
            }
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_screen_at_80x24_and_60x18() {
    for (name, go) in scenarios() {
        for (w, h) in [(80, 24), (60, 18)] {
            let dir = tempfile::tempdir().unwrap();
            let mut app = fixture::app(dir.path(), Theme::new(true, false));
            go(&mut app);
            let t = render(&mut app, w, h);
            let drawn = mask_keys(&mask_withdrawal(&t.backend().to_string()));
            insta::assert_snapshot!(format!("{name}_{w}x{h}"), drawn);
        }
    }
}

#[test]
fn too_small_is_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture::app(dir.path(), Theme::new(true, false));
    let t = render(&mut app, 59, 18);
    insta::assert_snapshot!("too_small", t.backend());
}

#[test]
fn ascii_borders() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture::app(dir.path(), Theme::new(false, true));
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('r'));
    press(&mut app, KeyCode::Down); // the editor opens on its details
    press(&mut app, KeyCode::Tab);
    let t = render(&mut app, 80, 24);
    let text = format!("{}", t.backend());
    assert!(
        text.is_ascii() || !text.contains('┌'),
        "no box drawing with --ascii"
    );
    insta::assert_snapshot!("review_ascii_80x24", t.backend());
}

#[test]
fn without_colour_every_state_still_shows() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture::app(dir.path(), Theme::new(false, false));
    let t = render(&mut app, 80, 24);
    let buf = t.backend().buffer();
    // No colour anywhere…
    assert!(
        buf.content()
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset)
    );
    // …the selected row is in reverse video, and overdue is said in words, in bold.
    let row = (0..24)
        .find(|y| {
            (0..80)
                .map(|x| buf[(x, *y)].symbol())
                .collect::<String>()
                .contains("Morag")
        })
        .unwrap();
    assert!(buf[(5, row)].modifier.contains(Modifier::REVERSED));
    let line: String = (0..80).map(|x| buf[(x, row)].symbol()).collect();
    let col = line.find("OVERDUE").unwrap();
    let col = line[..col].chars().count() as u16;
    assert!(buf[(col, row)].modifier.contains(Modifier::BOLD));
    insta::assert_snapshot!("caseload_no_colour_80x24", t.backend());
}

/// A category heading too long for the outcome list ends in `…` (the carer's "Quality of
/// life for the carer" and "… for the cared for person" were both cut to "Quality of life
/// for th", with nothing to say words were missing).
#[test]
fn category_headings_that_do_not_fit_say_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = fixture::app(dir.path(), Theme::new(true, false));
    press(&mut app, KeyCode::Char('/'));
    typed(&mut app, "王");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('a'));
    let forms = talking_points::forms::Forms::embedded().unwrap();
    let carer = forms
        .framework_for(talking_points::domain::PersonKind::Carer)
        .unwrap();
    let t = render(&mut app, 60, 18);
    let drawn = t.backend().to_string();
    assert!(drawn.contains("Outcomes"), "the editor is open: {drawn}");
    let list: Vec<String> = drawn
        .lines()
        .filter_map(|l| l.split('│').nth(1).map(|s| s.trim().to_string()))
        .collect();
    let mut headings = 0;
    for c in &carer.categories {
        for l in &list {
            if l.len() >= 8 && c.label.starts_with(l.as_str()) {
                assert_eq!(l, &c.label, "a heading cut without `…`:\n{drawn}");
            }
            if l.contains('…') && c.label.starts_with(l.split('…').next().unwrap_or("")) {
                headings += 1;
            }
        }
    }
    assert!(headings > 0, "no long heading shown cut with `…`:\n{drawn}");
}

/// A name or service too long for its caseload column ends in `…` at 80 and 60 columns;
/// the table used to cut "Seònaid NicIlleathain-Mhic a' Phearsain" at the hyphen, with
/// nothing to say the rest was missing.
#[test]
fn caseload_names_too_long_for_their_column_say_so() {
    use talking_points::domain::{Person, PersonKind};
    let dir = tempfile::tempdir().unwrap();
    let app = fixture::app(dir.path(), Theme::new(true, false));
    let long = "Seònaid NicIlleathain-Mhic a' Phearsain 王秀英 🌊";
    app.store
        .add_person(&Person {
            id: fixture::id(40),
            name: long.into(),
            kind: PersonKind::Adult,
            service: fixture::id(1),
            dob: None,
            cares_for: None,
        })
        .unwrap();
    let mut app = App::new(
        app.store,
        app.forms,
        Theme::new(true, false),
        fixture::d(fixture::TODAY),
    )
    .unwrap();
    for (w, h) in [(80, 24), (60, 18)] {
        let t = render(&mut app, w, h);
        let drawn = t.backend().to_string();
        let line = drawn
            .lines()
            .find(|l| l.contains("Seònaid"))
            .unwrap_or_else(|| panic!("the person is listed at {w}x{h}:\n{drawn}"));
        assert!(
            line.contains(long) || line.contains('…'),
            "the name is cut without `…` at {w}x{h}: {line}"
        );
    }
}

/// The dashboard's figures above the table are never cut silently: at 60 columns the
/// share of plans reviewed on time lost its percentage ("on time: 7 of 8"). They are
/// said shortly instead, and the unit's name gives way so the period always shows.
#[test]
fn the_dashboard_figures_and_period_are_never_cut_silently() {
    for (w, h) in [(80, 24), (60, 18)] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = fixture::app(dir.path(), Theme::new(false, false));
        reablement_dashboard(&mut app);
        let drawn = render(&mut app, w, h).backend().to_string();
        let rows: Vec<&str> = drawn.lines().collect();
        let figures = rows[2].trim_matches('"').trim_end();
        assert!(
            figures.ends_with("%)") || figures.ends_with("%).") || figures.ends_with('…'),
            "the figures end whole or in … at {w}x{h}: {figures}"
        );
        assert!(
            figures.contains('%'),
            "the on-time share shows at {w}x{h}: {figures}"
        );
        let barriers = rows[3].trim_matches('"').trim_end();
        assert!(barriers.starts_with("Top barriers: "), "{drawn}");
        // Move to the national level and a quarter: the longest labels there are.
        for k in [KeyCode::Tab, KeyCode::Left, KeyCode::Left, KeyCode::Left] {
            press(&mut app, k);
        }
        for k in [KeyCode::Tab, KeyCode::Tab, KeyCode::Right, KeyCode::Right] {
            press(&mut app, k);
        }
        let drawn = render(&mut app, w, h).backend().to_string();
        let sel = drawn.lines().nth(1).unwrap().trim_matches('"').trim_end();
        assert!(
            sel.ends_with(']') || sel.ends_with('>'),
            "the period shows whole at {w}x{h}: {sel}"
        );
    }
}
