//! What does not fit scrolls and says so: the `?` help at 60×18, and a long paragraph
//! while it is typed (wrapped at spaces, no row starting with a space, a count of the
//! rows above or below the view on the field's label row).

mod common;

use common::keys::press;

use common::fixture;
use crossterm::event::{Event, KeyCode};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use talking_points::tui::app::{Action, App};
use talking_points::tui::theme::Theme;
use talking_points::tui::{draw, keymap};

const GAELIC: &str = "Tha mi a' faireachdainn nas fheàrr a-nis, tha mi a' dol don bhuidheann coiseachd a h-uile Diciadain agus bidh mi a' bruidhinn ri mo charaidean aig a' chala — chan eil mi cho aonaranach. 王秀英 walks with me 🚶 every week and we talk about the old days at the harbour.";

fn paste(app: &mut App, s: &str) {
    if let Some(a) = keymap::action(app, &Event::Paste(s.to_string())) {
        app.update(a);
    }
}

fn term(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    app.update(Action::Resize(w, h));
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| draw::draw(app, f)).unwrap();
    t
}

/// Morag's new assessment, typing in "What matters" of its first outcome.
fn typing(a: &mut App) {
    press(a, KeyCode::Enter);
    press(a, KeyCode::Char('a'));
    press(a, KeyCode::Down);
    press(a, KeyCode::Tab);
}

#[test]
fn help_that_does_not_fit_scrolls_to_its_last_key() {
    for (w, h) in [(80, 24), (60, 18)] {
        let dir = tempfile::tempdir().unwrap();
        let mut a = fixture::app(dir.path(), Theme::new(true, false));
        typing(&mut a);
        press(&mut a, KeyCode::Esc); // to the outcome list, where letters are keys
        a.update(Action::Resize(w, h));
        press(&mut a, KeyCode::Char('?'));
        let first = term(&mut a, w, h).backend().to_string();
        insta::assert_snapshot!(format!("help_editor_{w}x{h}"), first);
        let fits = first.contains("Any key closes this help.");
        assert_eq!(fits, (w, h) == (80, 24), "{first}");
        if fits {
            press(&mut a, KeyCode::PageDown);
            assert!(!a.help, "a help that fits closes on any key");
            continue;
        }
        for _ in 0..4 {
            press(&mut a, KeyCode::PageDown);
        }
        assert!(a.help, "paging keeps the help open");
        let last = term(&mut a, w, h).backend().to_string();
        insta::assert_snapshot!(format!("help_editor_end_{w}x{h}"), last);
        // Every key the help lists is seen on one page or the other.
        for (k, _) in keymap::help(&a) {
            assert!(
                first.contains(k) || last.contains(k),
                "{k} is never shown at {w}x{h}"
            );
        }
        press(&mut a, KeyCode::Char('x'));
        assert!(!a.help, "another key closes it");
    }
}

#[test]
fn a_long_paragraph_while_typing_wraps_at_spaces_and_counts_what_is_out_of_view() {
    for (w, h) in [(80, 24), (60, 18)] {
        let dir = tempfile::tempdir().unwrap();
        let mut a = fixture::app(dir.path(), Theme::new(true, false));
        typing(&mut a);
        paste(&mut a, &format!("{GAELIC}\n{GAELIC}"));
        let mut t = term(&mut a, w, h);
        let drawn = t.backend().to_string();
        insta::assert_snapshot!(format!("typing_end_{w}x{h}"), drawn);
        assert!(drawn.contains("above"), "the rows above are counted");
        assert!(
            drawn.contains("harbour."),
            "the end, where the cursor is, shows"
        );
        // The cursor is just after the paragraph's last word: on its row, or at the
        // start of the next when that row is full.
        let pos = t.get_cursor_position().unwrap();
        let rows: Vec<&str> = drawn.lines().collect();
        let y = usize::from(pos.y);
        assert!(
            rows[y].contains("harbour.") || rows[y - 1].contains("harbour."),
            "{drawn}"
        );
        for _ in 0..20 {
            press(&mut a, KeyCode::Up);
        }
        let drawn = t.draw(|f| draw::draw(&a, f)).unwrap().buffer.clone();
        let text: String = (0..h)
            .map(|y| (0..w).map(|x| drawn[(x, y)].symbol()).collect::<String>() + "\n")
            .collect();
        assert!(text.contains("below"), "{text}");
        assert!(
            text.contains("Tha mi a' faireachdainn"),
            "the start, scrolled back"
        );
        insta::assert_snapshot!(
            format!("typing_start_{w}x{h}"),
            term(&mut a, w, h).backend().to_string()
        );
        // No row of the field starts with a space, scrolled to the start or the end.
        for text in [text, term(&mut a, w, h).backend().to_string()] {
            let rows: Vec<&str> = text
                .lines()
                .skip_while(|l| !l.contains("What matters, in their"))
                .skip(1)
                .take_while(|l| !l.contains("Why it matters"))
                .collect();
            assert!(rows.len() >= 2, "{text}");
            for row in rows {
                let inner = row.split("││").nth(1).unwrap_or("");
                assert!(!inner.starts_with(' '), "a row starts with a space: {row}");
            }
        }
    }
}

#[test]
fn the_draft_question_says_an_assessment() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut a = fixture::app(dir.path(), Theme::new(true, false));
        typing(&mut a);
        paste(&mut a, "half a sentence");
        a.write_draft().unwrap();
    }
    let store = talking_points::store::Store::open(&dir.path().join("store")).unwrap();
    let mut a = App::new(
        store,
        talking_points::forms::Forms::embedded().unwrap(),
        Theme::new(true, false),
        fixture::d(fixture::TODAY),
    )
    .unwrap();
    let drawn = term(&mut a, 60, 18).backend().to_string();
    assert!(
        drawn.contains("An assessment that was not saved"),
        "{drawn}"
    );
}

/// The terminal's cursor sits on the focused field whatever its kind, so a screen reader
/// or magnifier following the cursor follows the form: on a tags field, on the tag being
/// ticked; on a yes/no field, on its box.
#[test]
fn the_cursor_sits_on_a_focused_tags_or_yes_no_field() {
    for (w, h) in [(80, 24), (60, 18)] {
        let dir = tempfile::tempdir().unwrap();
        let mut a = fixture::app(dir.path(), Theme::new(false, false));
        typing(&mut a);
        // What matters → why → strengths → where strengths come from (tags).
        for _ in 0..3 {
            press(&mut a, KeyCode::Tab);
        }
        for (step, want) in [("first tag", "Personal"), ("second tag", "Family")] {
            let t = term(&mut a, w, h);
            let b = t.backend();
            assert!(
                b.cursor_visible(),
                "the cursor shows on the {step} at {w}x{h}"
            );
            let p = b.cursor_position();
            let rest: String = (p.x..w).map(|x| b.buffer()[(x, p.y)].symbol()).collect();
            assert!(
                rest.starts_with("[ ] ") && rest.contains(want),
                "the cursor is on the {step} at {w}x{h}: {rest:?}\n{}",
                b
            );
            press(&mut a, KeyCode::Right);
        }
        press(&mut a, KeyCode::Tab);
        let t = term(&mut a, w, h);
        let b = t.backend();
        assert!(b.cursor_visible(), "the cursor shows on yes/no at {w}x{h}");
        let p = b.cursor_position();
        assert_eq!(b.buffer()[(p.x, p.y)].symbol(), "[", "{b}");
    }
}
