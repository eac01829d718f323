//! The interface against hostile input: a megabyte pasted into a text field, a
//! 10,000-character name, control characters, escape sequences, right-to-left overrides
//! and zero-width joiners in names and words. Nothing panics, nothing takes long, nothing
//! typed or pasted is lost, and nothing in a name reaches the terminal as a control code.

mod common;

use common::fixture;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::{Backend, TestBackend};
use ratatui::buffer::Cell;
use std::time::{Duration, Instant};
use talking_points::domain::{Stage, StageBody};
use talking_points::tui::app::{Action, App, Screen};
use talking_points::tui::backend::Lean;
use talking_points::tui::theme::Theme;
use talking_points::tui::{draw, keymap};

fn send(app: &mut App, ev: Event) {
    if let Some(a) = keymap::action(app, &ev)
        && a != Action::Quit
    {
        app.update(a);
    }
}
fn press(app: &mut App, code: KeyCode) {
    send(app, Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}
fn ctrl_s(app: &mut App) {
    send(
        app,
        Event::Key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
    );
}
fn paste(app: &mut App, text: &str) {
    send(app, Event::Paste(text.to_string()));
}

fn term(w: u16, h: u16) -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(w, h)).expect("terminal")
}

/// Characters that change what a terminal does rather than what it shows: C0 and C1
/// controls (ESC, NUL, BEL, CSI …) and the bidirectional embeddings, overrides and
/// isolates that reorder the text after them.
fn steers_the_terminal(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Draws and checks that no cell holds a character that steers the terminal.
fn draw_clean(t: &mut Terminal<TestBackend>, app: &App, context: &str) -> String {
    t.draw(|f| draw::draw(app, f)).expect("draw");
    let buf = t.backend().buffer();
    let mut text = String::new();
    for (i, cell) in buf.content().iter().enumerate() {
        let sym = cell.symbol();
        assert!(
            !sym.chars().any(steers_the_terminal),
            "{context}: cell {i} of a {}x{} screen holds {:?}",
            buf.area.width,
            buf.area.height,
            sym.escape_debug().to_string()
        );
        text.push_str(sym);
        if (i + 1) % buf.area.width as usize == 0 {
            text.push('\n');
        }
    }
    text
}

/// A megabyte of words as people write them: several scripts, emoji with joiners,
/// right-to-left text, tabs, and control characters pasted from elsewhere.
fn megabyte() -> String {
    let pieces = [
        "I want to walk to the harbour again with Mòrag, ",
        "港口 王秀英 ",
        "👨\u{200d}👩\u{200d}👧 👍🏽 ",
        "السلام عليكم ",
        "right\u{202e}to left\u{202c} ",
        "bell\u{7} nul\u{0} esc\u{1b}[2J csi\u{9b}31m ",
        "tab\there ",
        "\n",
        "a \"quoted\" \\ back\\slash\n\n",
    ];
    let mut s = String::with_capacity(1 << 20);
    let mut i = 0;
    while s.len() < 1 << 20 {
        s.push_str(pieces[i % pieces.len()]);
        i += 1;
    }
    s
}

/// Opens Morag's new assessment with the focus on the first outcome's own words.
fn own_words_field(app: &mut App) {
    press(app, KeyCode::Enter); // Morag
    press(app, KeyCode::Char('a'));
    assert_eq!(app.screen().name(), "Assessment");
    press(app, KeyCode::Down); // the editor opens on its details
    press(app, KeyCode::Tab);
    assert!(app.typing(), "the focus is in a text field");
}

fn saved_own_words(app: &App) -> String {
    let convs = app.store.conversations_of(&fixture::id(10)).expect("read");
    let saved = convs
        .iter()
        .find(|c| c.stage() == Stage::Assessment && c.date == fixture::d(fixture::TODAY))
        .expect("the new assessment is saved");
    let StageBody::Assessment { outcomes } = &saved.body else {
        panic!("an assessment")
    };
    outcomes[0].own_words.clone()
}

#[test]
fn a_pasted_megabyte_is_saved_exactly_and_quickly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = fixture::app(dir.path(), Theme::new(true, false));
    let mut t = term(80, 24);
    own_words_field(&mut app);
    let text = megabyte();

    let started = Instant::now();
    paste(&mut app, &text);
    let pasted = started.elapsed();
    let started = Instant::now();
    draw_clean(&mut t, &app, "after the paste");
    let first_draw = started.elapsed();
    // Typing on after the paste: each key is drawn.
    let started = Instant::now();
    for c in "and more".chars() {
        press(&mut app, KeyCode::Char(c));
        draw_clean(&mut t, &app, "typing after the paste");
    }
    let per_key = started.elapsed() / 8;
    let started = Instant::now();
    app.draft_pending = true;
    app.write_draft().expect("the draft is written");
    let draft = started.elapsed();
    let started = Instant::now();
    ctrl_s(&mut app);
    let save = started.elapsed();
    assert!(app.status.starts_with("Saved"), "{}", app.status);
    assert_eq!(saved_own_words(&app), format!("{text}and more"));
    draw_clean(&mut t, &app, "after the save");
    eprintln!(
        "1 MB paste: update {pasted:?}, first draw {first_draw:?}, each key after {per_key:?}, \
         draft {draft:?}, save {save:?}"
    );
    assert!(
        pasted + first_draw < Duration::from_secs(3),
        "the paste took {pasted:?} + {first_draw:?}"
    );
    assert!(
        per_key < Duration::from_millis(500),
        "a key after the paste took {per_key:?}"
    );
    assert!(save < Duration::from_secs(3), "the save took {save:?}");
}

#[test]
fn a_paste_with_carriage_returns_keeps_its_line_breaks() {
    // Terminals send a pasted line break as a carriage return.
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = fixture::app(dir.path(), Theme::new(true, false));
    own_words_field(&mut app);
    paste(&mut app, "first line\rsecond line\r\nthird line\n\rfifth");
    let mut t = term(80, 24);
    let screen = draw_clean(&mut t, &app, "after the paste");
    assert!(
        screen.contains("second line") && !screen.contains("first linesecond"),
        "the lines are drawn apart:\n{screen}"
    );
    ctrl_s(&mut app);
    assert!(app.status.starts_with("Saved"), "{}", app.status);
    assert_eq!(
        saved_own_words(&app),
        "first line\nsecond line\nthird line\n\nfifth"
    );
}

#[test]
fn a_ten_thousand_character_name_is_added_kept_and_drawn() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut app = fixture::app(dir.path(), Theme::new(true, false));
    let mut t = term(80, 24);
    press(&mut app, KeyCode::Char('a'));
    assert!(matches!(app.screen(), Screen::AddPerson(_)));
    let pieces = [
        "Mòrag ",
        "港口",
        "👨\u{200d}👩\u{200d}👧",
        "عليكم",
        "Ùisdean-",
    ];
    let mut name = String::new();
    let mut k = 0;
    while name.chars().count() < 10_000 {
        name.push_str(pieces[k % pieces.len()]);
        k += 1;
    }
    let name: String = name.chars().take(10_000).collect();
    let name = name.trim().to_string();
    let started = Instant::now();
    for (i, c) in name.chars().enumerate() {
        press(&mut app, KeyCode::Char(c));
        if i % 250 == 0 {
            draw_clean(&mut t, &app, "typing the name");
        }
    }
    let typing = started.elapsed();
    ctrl_s(&mut app);
    assert!(app.status.starts_with("Added"), "{}", app.status);
    let people = app.store.people().expect("people");
    let added = people
        .iter()
        .find(|p| p.name.chars().count() > 1000)
        .expect("the long name is held");
    assert_eq!(added.name, name, "the name is held exactly as typed");
    let id = added.id;

    // The caseload, the person and their (empty) timeline draw at every size.
    let started = Instant::now();
    for (w, h) in [(80, 24), (60, 18), (250, 80), (20, 5), (1, 1)] {
        let mut t = term(w, h);
        draw_clean(&mut t, &app, "the caseload");
        app.size = (w, h);
    }
    let sel = app
        .visible_rows()
        .iter()
        .position(|r| r.id == id)
        .expect("on the caseload");
    app.selected = sel;
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.screen(), Screen::Person(_)));
    for (w, h) in [(80, 24), (60, 18), (20, 5), (1, 1)] {
        let mut t = term(w, h);
        let screen = draw_clean(&mut t, &app, "the person");
        if w >= 60 {
            assert!(screen.contains("Mòrag"), "the name is shown:\n{screen}");
        }
    }
    press(&mut app, KeyCode::Char('a'));
    for (w, h) in [(80, 24), (60, 18), (20, 5)] {
        let mut t = term(w, h);
        let screen = draw_clean(&mut t, &app, "an assessment for the person");
        if w >= 60 {
            let top = screen.lines().next().unwrap_or_default().trim_end();
            assert!(top.ends_with('…'), "a cut name ends in …: {top}");
        }
    }
    // Words typed: the unsaved mark stays in the title, the name gives way.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char('x'));
    for (w, h) in [(80, 24), (60, 18)] {
        let mut t = term(w, h);
        let screen = draw_clean(&mut t, &app, "unsaved words for the person");
        let top = screen.lines().next().unwrap_or_default().trim_end();
        assert!(
            top.ends_with("… [unsaved]") || top.ends_with("…  [unsaved]"),
            "{top}"
        );
    }
    let drawing = started.elapsed();
    eprintln!(
        "10,000-character name: typed (10,000 keys, 40 draws) in {typing:?}, drawn on 12 screens in {drawing:?}"
    );
    assert!(typing < Duration::from_secs(10), "typing took {typing:?}");
    assert!(drawing < Duration::from_secs(5), "drawing took {drawing:?}");
}

#[test]
fn hostile_names_and_words_never_reach_the_screen_as_control_codes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (mut app, ids) = fixture::hostile_app(dir.path());
    for (w, h) in [(80, 24), (60, 18), (250, 80), (12, 4)] {
        let mut t = term(w, h);
        app.size = (w, h);
        let screen = draw_clean(&mut t, &app, "the caseload");
        if w >= 60 {
            // What can be shown is shown: the printable part of each name.
            assert!(screen.contains("Evil]0;pwnedName"), "{screen}");
        }
    }
    for id in &ids {
        let sel = app
            .visible_rows()
            .iter()
            .position(|r| r.id == *id)
            .expect("on the caseload");
        app.selected = sel;
        let mut t = term(80, 24);
        press(&mut app, KeyCode::Enter);
        draw_clean(&mut t, &app, "the person");
        press(&mut app, KeyCode::Enter); // read the conversation
        assert!(matches!(app.screen(), Screen::View { .. }));
        draw_clean(&mut t, &app, "the conversation");
        for _ in 0..3 {
            press(&mut app, KeyCode::Down);
            draw_clean(&mut t, &app, "the conversation, scrolled");
        }
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Char('r')); // a review offers the planned outcomes
        draw_clean(&mut t, &app, "a review");
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Char('a'));
        press(&mut app, KeyCode::Down); // the editor opens on its details
        press(&mut app, KeyCode::Tab);
        paste(&mut app, &fixture::HOSTILE.join(" "));
        draw_clean(&mut t, &app, "hostile words pasted");
        ctrl_s(&mut app);
        assert!(app.status.starts_with("Saved"), "{}", app.status);
        draw_clean(&mut t, &app, "after the save");
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Esc);
        assert!(
            matches!(app.screen(), Screen::Caseload),
            "back on the caseload"
        );
    }
    // The filter and the dashboard's stories quote words too.
    press(&mut app, KeyCode::Char('/'));
    paste(&mut app, "Evil\u{1b}]0;");
    let mut t = term(80, 24);
    draw_clean(&mut t, &app, "the filter");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('d'));
    draw_clean(&mut t, &app, "the dashboard");
    for _ in 0..4 {
        press(&mut app, KeyCode::Tab);
        press(&mut app, KeyCode::Enter);
        draw_clean(&mut t, &app, "the dashboard's stories");
    }
    // Every word of the saved conversations is held as written.
    for id in &ids {
        let convs = app.store.conversations_of(id).expect("read");
        let pasted = convs
            .iter()
            .filter_map(|c| match &c.body {
                StageBody::Assessment { outcomes } => Some(outcomes[0].own_words.clone()),
                _ => None,
            })
            .any(|w| w == fixture::HOSTILE.join(" "));
        assert!(pasted, "the pasted words are held exactly");
    }
}

/// What the interface's own backend sends to the terminal: a cell's symbol never
/// carries a control character or a bidirectional override out, even when a widget
/// puts one in the cell.
#[test]
fn the_backend_never_sends_a_control_code_from_a_cell() {
    let mut lean = Lean::new(Vec::<u8>::new());
    let mut cells = Vec::new();
    for (x, s) in [
        "a",
        "\u{1b}",
        "]0;pwned\u{7}",
        "\u{9b}",
        "x\u{202e}",
        "\u{2066}",
        "y\u{0}",
        "港",
        "👨\u{200d}👩",
    ]
    .iter()
    .enumerate()
    {
        let mut c = Cell::default();
        c.set_symbol(s);
        cells.push((x as u16 * 2, 0u16, c));
    }
    lean.draw(cells.iter().map(|(x, y, c)| (*x, *y, c)))
        .expect("draw");
    lean.flush().expect("flush");
    let out = String::from_utf8(lean_bytes(lean)).expect("UTF-8");
    // The backend's own cursor moves are ESC [ row ; col H; nothing else may be there.
    let without_moves = strip_cursor_moves(&out);
    assert!(
        !without_moves.chars().any(steers_the_terminal),
        "raw control codes sent: {:?}",
        out.escape_debug().to_string()
    );
    for shown in ["a", "]0;pwned", "x", "y", "港", "👨\u{200d}👩"] {
        assert!(out.contains(shown), "{shown:?} is missing from {out:?}");
    }
}

/// A carriage return or line feed inside a cell is not sent: the only ones on the wire
/// are the backend's own moves, which this row of cells side by side needs none of.
#[test]
fn the_backend_never_sends_a_line_break_from_a_cell() {
    let mut lean = Lean::new(Vec::<u8>::new());
    let mut cells = Vec::new();
    for (x, s) in ["a", "\r", "b", "\n", "c", "\r\n", "d"].iter().enumerate() {
        let mut c = Cell::default();
        c.set_symbol(s);
        cells.push((x as u16, 0u16, c));
    }
    lean.draw(cells.iter().map(|(x, y, c)| (*x, *y, c)))
        .expect("draw");
    let out = String::from_utf8(lean_bytes(lean)).expect("UTF-8");
    assert!(
        !out.contains(['\r', '\n']),
        "a line break from a cell was sent: {:?}",
        out.escape_debug().to_string()
    );
    for shown in ["a", "b", "c", "d"] {
        assert!(out.contains(shown), "{shown:?} is missing from {out:?}");
    }
}

fn lean_bytes(lean: Lean<Vec<u8>>) -> Vec<u8> {
    lean.into_inner()
}

/// Takes out the backend's own cursor moves (`ESC [ digits ; digits H`, `ESC [ digits C`,
/// a carriage return, alone or before a line feed) and the style resets `ESC [ 0 m`.
fn strip_cursor_moves(s: &str) -> String {
    let s = s.replace("\r\n", "").replace('\r', "");
    let mut out = String::new();
    let mut rest = s.as_str();
    while let Some(i) = rest.find('\u{1b}') {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 1..];
        let end = tail.strip_prefix('[').and_then(|t| {
            t.find(|c: char| !(c.is_ascii_digit() || c == ';'))
                .map(|j| (t, j))
        });
        match end {
            Some((t, j)) if matches!(t.as_bytes().get(j), Some(b'H' | b'C' | b'm')) => {
                rest = &t[j + 1..];
            }
            _ => {
                out.push('\u{1b}');
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}
