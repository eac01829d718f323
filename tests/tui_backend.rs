//! The lean terminal backend, read back through a terminal emulator (`vt100`): what it
//! writes, frame after frame (only the cells that changed, gaps printed over, the pen
//! and cursor remembered), leaves the screen ratatui drew: every cell's character,
//! colours and styles, and the cursor where the test backend has it.

mod common;

use common::fixture;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};
use std::num::NonZeroU16;
use talking_points::tui::app::{Action, App};
use talking_points::tui::backend::Lean;
use talking_points::tui::theme::Theme;
use talking_points::tui::{draw, keymap};
use unicode_width::UnicodeWidthStr;

/// The colour a terminal shows for ratatui's colour, as crossterm sends it.
fn expected(c: Color) -> vt100::Color {
    use vt100::Color::{Default, Idx, Rgb};
    match c {
        Color::Reset => Default,
        Color::Black => Idx(0),
        Color::Red => Idx(1),
        Color::Green => Idx(2),
        Color::Yellow => Idx(3),
        Color::Blue => Idx(4),
        Color::Magenta => Idx(5),
        Color::Cyan => Idx(6),
        Color::Gray => Idx(7),
        Color::DarkGray => Idx(8),
        Color::LightRed => Idx(9),
        Color::LightGreen => Idx(10),
        Color::LightYellow => Idx(11),
        Color::LightBlue => Idx(12),
        Color::LightMagenta => Idx(13),
        Color::LightCyan => Idx(14),
        Color::White => Idx(15),
        Color::Indexed(i) => Idx(i),
        Color::Rgb(r, g, b) => Rgb(r, g, b),
    }
}

/// Every difference between the buffer ratatui drew and the emulator's screen.
fn differences(buf: &Buffer, cursor: Option<(u16, u16)>, s: &vt100::Screen) -> Vec<String> {
    let mut out = Vec::new();
    let area = buf.area;
    for y in 0..area.height {
        let mut skip = 0;
        for x in 0..area.width {
            if skip > 0 {
                // The second column of a wide character.
                skip -= 1;
                continue;
            }
            let c = &buf[(x, y)];
            let Some(v) = s.cell(y, x) else {
                out.push(format!("({x},{y}) is off the emulator's screen"));
                continue;
            };
            let want = c.symbol();
            let got = if v.has_contents() { v.contents() } else { " " };
            skip = want.width().saturating_sub(1);
            let m = c.modifier;
            let styles =
                |bold, dim, italic, underline, inverse| (bold, dim, italic, underline, inverse);
            let want_style = (
                expected(c.fg),
                expected(c.bg),
                styles(
                    m.contains(Modifier::BOLD),
                    m.contains(Modifier::DIM),
                    m.contains(Modifier::ITALIC),
                    m.contains(Modifier::UNDERLINED),
                    m.contains(Modifier::REVERSED),
                ),
            );
            let got_style = (
                v.fgcolor(),
                v.bgcolor(),
                styles(v.bold(), v.dim(), v.italic(), v.underline(), v.inverse()),
            );
            if want != got || want_style != got_style {
                out.push(format!(
                    "({x},{y}): drawn {want:?} {want_style:?}, shown {got:?} {got_style:?}"
                ));
            }
        }
    }
    let shown = (!s.hide_cursor()).then(|| {
        let (row, col) = s.cursor_position();
        (col, row)
    });
    if cursor != shown {
        out.push(format!("cursor: drawn {cursor:?}, shown {shown:?}"));
    }
    out
}

fn key(code: KeyCode, m: KeyModifiers) -> Event {
    Event::Key(KeyEvent::new(code, m))
}

fn keys(s: &str) -> Vec<Event> {
    s.chars()
        .map(|c| key(KeyCode::Char(c), KeyModifiers::NONE))
        .collect()
}

/// A walk through every screen, with a resize or two: each step's events, and its name.
fn walk() -> Vec<(&'static str, Vec<Event>)> {
    let k = |c| vec![key(c, KeyModifiers::NONE)];
    let ctrl = |c| vec![key(KeyCode::Char(c), KeyModifiers::CONTROL)];
    vec![
        ("caseload", vec![]),
        ("down", k(KeyCode::Down)),
        ("filter", [k(KeyCode::Char('/')), keys("mor")].concat()),
        ("clear the filter", k(KeyCode::Esc)),
        ("person", k(KeyCode::Enter)),
        ("help", keys("?")),
        ("close help", k(KeyCode::Esc)),
        ("assessment", k(KeyCode::Char('a'))),
        ("first outcome", ctrl('n')),
        (
            "typing",
            keys("Seònaid walks to the harbour 港口 🚶 on Sundays"),
        ),
        ("next field", k(KeyCode::Tab)),
        ("narrower", vec![Event::Resize(60, 18)]),
        ("more words", keys(" and back")),
        ("to the list", k(KeyCode::Esc)),
        ("leave asks", k(KeyCode::Esc)),
        ("stay", k(KeyCode::Esc)),
        ("save", ctrl('s')),
        ("caseload again", k(KeyCode::Esc)),
        ("wider", vec![Event::Resize(100, 30)]),
        ("dashboard", keys("d")),
        ("selector", k(KeyCode::Tab)),
        ("another level", k(KeyCode::Right)),
        (
            "outcomes",
            [k(KeyCode::Tab), k(KeyCode::Tab), k(KeyCode::Tab)].concat(),
        ),
        ("stories", k(KeyCode::Enter)),
        ("back to the numbers", k(KeyCode::Esc)),
        ("back", k(KeyCode::Esc)),
    ]
}

fn size(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("a size")
}

/// Walks the screens drawing each frame twice, into the test backend and through the
/// lean backend into an emulator, and compares them; returns the bytes each step cost.
fn compare(theme: Theme) -> Vec<(&'static str, usize)> {
    let dir = tempfile::tempdir().unwrap();
    let mut app: App = fixture::app(dir.path(), theme);
    let (mut w, mut h) = (80, 24);
    app.update(Action::Resize(w, h));
    let mut test = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut lean = Terminal::new(Lean::with_size(Vec::new(), w, h)).unwrap();
    let mut vt = vt100::Parser::new(size(h), size(w), 0);
    let mut costs = Vec::new();
    for (step, events) in walk() {
        let mut bytes = 0;
        let mut frames = 0;
        for ev in events.iter().chain(std::iter::once(&Event::FocusGained)) {
            if let Event::Resize(nw, nh) = ev {
                (w, h) = (*nw, *nh);
                test.backend_mut().resize(w, h);
                lean.backend_mut().resize(w, h);
                vt.screen_mut().set_size(size(h), size(w));
            }
            if let Some(a) = keymap::action(&app, ev) {
                app.update(a);
            }
            // The frame as drawn (the test backend's own buffer is not it: ratatui does
            // not send the cell after a wide character, so that buffer keeps whatever
            // was there before, where a terminal shows the character's second half).
            let drawn = test.draw(|f| draw::draw(&app, f)).unwrap().buffer.clone();
            lean.draw(|f| draw::draw(&app, f)).unwrap();
            let out = lean.backend_mut().take_output();
            bytes += out.len();
            frames += 1;
            vt.process(&out);
            let b = test.backend();
            let cursor = b.cursor_visible().then(|| {
                let p = b.cursor_position();
                (p.x, p.y)
            });
            let diff = differences(&drawn, cursor, vt.screen());
            assert!(
                diff.is_empty(),
                "{theme:?} at {w}x{h}, after {step:?}: {} cells differ, the first:\n{}\nthe screen:\n{}",
                diff.len(),
                diff.iter().take(8).cloned().collect::<Vec<_>>().join("\n"),
                vt.screen().contents()
            );
        }
        assert!(frames > 0);
        costs.push((step, bytes));
    }
    assert!(app.stack.len() == 1, "the walk ends on the caseload");
    costs
}

#[test]
fn the_lean_backend_shows_what_was_drawn_in_colour() {
    compare(Theme::new(true, false));
}

#[test]
fn the_lean_backend_shows_what_was_drawn_without_colour_in_ascii() {
    compare(Theme::new(false, true));
}

/// What the backend is for: on a slow link a typed character costs about the character,
/// not a redrawn frame.
#[test]
fn a_typed_character_costs_a_few_bytes() {
    let costs = compare(Theme::new(true, false));
    let cost = |step: &str| costs.iter().find(|(s, _)| *s == step).unwrap().1;
    let typed = "Seònaid walks to the harbour 港口 🚶 on Sundays"
        .chars()
        .count();
    // The first character also marks the title [unsaved] and changes the footer.
    assert!(
        cost("typing") < typed * 6 + 100,
        "{} bytes for {typed} characters",
        cost("typing")
    );
    // Once the words are unsaved, a character costs its bytes and little else.
    let more = " and back".len();
    assert!(
        cost("more words") <= more * 4,
        "{} bytes",
        cost("more words")
    );
}

/// A row of wide characters replaced by narrow words with spaces after them: the cell
/// after each wide character shows its second half, not whatever the row held before, so
/// a gap printed over must not bring the older words back. (A carer's Chinese words
/// scrolled up from the editor's last row left "( ) S r" of an earlier choice there.)
#[test]
fn the_cells_behind_wide_characters_are_not_printed_back() {
    use ratatui::text::Line;
    let (w, h) = (30, 1);
    let frames = [
        "(*) Community  ( ) Service",
        "我想每个星期天都去教堂 🙏",
        "Action 2: who:",
    ];
    let mut test = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut lean = Terminal::new(Lean::with_size(Vec::new(), w, h)).unwrap();
    let mut vt = vt100::Parser::new(size(h), size(w), 0);
    for text in frames {
        let draw = |f: &mut ratatui::Frame| f.render_widget(Line::from(text), f.area());
        let drawn = test.draw(draw).unwrap().buffer.clone();
        lean.draw(draw).unwrap();
        vt.process(&lean.backend_mut().take_output());
        let diff = differences(&drawn, None, vt.screen());
        assert!(
            diff.is_empty(),
            "after {text:?}: {}\nthe screen: {:?}",
            diff.join("\n"),
            vt.screen().contents()
        );
    }
}

/// A long run of blanks left by a screen switch is erased in place, not printed space
/// by space, and the terminal shows exactly what was drawn, a coloured or reversed run
/// (which erasing would not show) printed as before.
#[test]
fn long_runs_of_blanks_are_erased_not_printed() {
    use ratatui::style::Style;
    use ratatui::text::Line;
    let (w, h) = (60, 3);
    let full = "x".repeat(60);
    let mut test = Terminal::new(TestBackend::new(w, h)).unwrap();
    let mut lean = Terminal::new(Lean::with_size(Vec::new(), w, h)).unwrap();
    let mut vt = vt100::Parser::new(size(h), size(w), 0);
    let mut sent = Vec::new();
    for step in 0..2 {
        let draw = |f: &mut ratatui::Frame| {
            let rows = f.area().rows().collect::<Vec<_>>();
            if step == 0 {
                for r in rows {
                    f.render_widget(Line::from(full.as_str()), r);
                }
            } else {
                f.render_widget(Line::from("short"), rows[0]);
                f.render_widget(
                    Line::from(" ".repeat(40)).style(Style::new().reversed()),
                    rows[1],
                );
            }
        };
        let drawn = test.draw(draw).unwrap().buffer.clone();
        lean.draw(draw).unwrap();
        let out = lean.backend_mut().take_output();
        vt.process(&out);
        let diff = differences(&drawn, None, vt.screen());
        assert!(diff.is_empty(), "step {step}: {}", diff.join("\n"));
        sent.push(out.len());
    }
    // Clearing 55 + 20 + 60 cells costs a few dozen bytes, not 135 spaces.
    assert!(sent[1] < 120, "{} bytes to clear the screen", sent[1]);
}

/// Frames of random rows (words at random columns, some reaching the last column, some
/// wide) drawn one after another: the shortest cursor moves (along a row, a carriage
/// return and line feed to the next row's start, a carriage return from the right edge)
/// always leave the terminal showing exactly what was drawn.
#[test]
fn the_shortest_cursor_moves_leave_every_frame_as_drawn() {
    use proptest::prelude::*;
    use ratatui::text::Line;
    let row = (0u16..12, "[a-z │é中🙂]{0,14}");
    let frame = proptest::collection::vec(proptest::option::of(row), 5);
    let mut runner = proptest::test_runner::TestRunner::default();
    runner
        .run(&proptest::collection::vec(frame, 1..5), |frames| {
            let (w, h) = (12, 5);
            let mut test = Terminal::new(TestBackend::new(w, h)).unwrap();
            let mut lean = Terminal::new(Lean::with_size(Vec::new(), w, h)).unwrap();
            let mut vt = vt100::Parser::new(size(h), size(w), 0);
            for rows in &frames {
                let draw = |f: &mut ratatui::Frame| {
                    for (y, r) in rows.iter().enumerate() {
                        if let Some((x, text)) = r {
                            let area = ratatui::layout::Rect::new(*x, y as u16, w - x, 1);
                            f.render_widget(Line::from(text.as_str()), area);
                        }
                    }
                };
                let drawn = test.draw(draw).unwrap().buffer.clone();
                lean.draw(draw).unwrap();
                vt.process(&lean.backend_mut().take_output());
                let diff = differences(&drawn, None, vt.screen());
                prop_assert!(diff.is_empty(), "{}", diff.join("\n"));
            }
            Ok(())
        })
        .unwrap();
}

/// Rows drawn to the last column and on from the next row's first: each row after the
/// first is reached with a carriage return and line feed, not a cursor address.
#[test]
fn the_next_rows_start_is_reached_with_a_line_feed() {
    use ratatui::text::Line;
    let (w, h) = (20, 4);
    let mut lean = Terminal::new(Lean::with_size(Vec::new(), w, h)).unwrap();
    let mut vt = vt100::Parser::new(size(h), size(w), 0);
    let full = "y".repeat(20);
    lean.draw(|f| {
        for r in f.area().rows() {
            f.render_widget(Line::from(full.as_str()), r);
        }
    })
    .unwrap();
    let out = String::from_utf8(lean.backend_mut().take_output()).unwrap();
    vt.process(out.as_bytes());
    assert_eq!(vt.screen().contents(), [full.as_str(); 4].join("\n"));
    assert_eq!(out.matches("\r\n").count(), 3, "{out:?}");
    assert!(
        !out.contains(";1H"),
        "no cursor address for a row's start: {out:?}"
    );
}
