//! Random key sequences at random sizes, through every screen: no panic, and what is
//! drawn always fits the area.

mod common;

use common::fixture;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use talking_points::tui::app::Action;
use talking_points::tui::theme::Theme;
use talking_points::tui::{draw, keymap};

fn key() -> impl Strategy<Value = Event> {
    let code = prop_oneof![
        4 => prop::sample::select(vec![
            KeyCode::Up, KeyCode::Down, KeyCode::Left, KeyCode::Right, KeyCode::Enter,
            KeyCode::Esc, KeyCode::Tab, KeyCode::BackTab, KeyCode::Backspace, KeyCode::Delete,
            KeyCode::Home, KeyCode::End, KeyCode::PageUp, KeyCode::PageDown, KeyCode::F(5),
            KeyCode::Insert, KeyCode::Null,
        ]),
        6 => prop::sample::select(vec!['a', 'p', 'r', 'j', 'k', '/', '?', ' ', 's', 'd', 'q', 'x', '港', '🚶', 'ò', '\u{301}', '\t']).prop_map(KeyCode::Char),
        1 => any::<char>().prop_map(KeyCode::Char),
    ];
    let mods = prop::sample::select(vec![
        KeyModifiers::NONE,
        KeyModifiers::NONE,
        KeyModifiers::NONE,
        KeyModifiers::SHIFT,
        KeyModifiers::CONTROL,
        KeyModifiers::ALT,
    ]);
    prop_oneof![
        20 => (code, mods).prop_map(|(c, m)| Event::Key(KeyEvent::new(c, m))),
        1 => (1u16..=250, 1u16..=80).prop_map(|(w, h)| Event::Resize(w, h)),
        1 => Just(Event::FocusLost),
        2 => pasted().prop_map(Event::Paste),
    ]
}

/// What a paste may bring: words with line breaks of every kind, control characters,
/// escape sequences, overrides and joiners, now and then a long run.
fn pasted() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "words ",
        "港口 ",
        "👨\u{200d}👩\u{200d}👧",
        "\n",
        "\r",
        "\r\n",
        "\t",
        "\u{0}",
        "\u{7}",
        "\u{1b}[2J",
        "\u{1b}]0;pwned\u{7}",
        "\u{9b}6n",
        "\u{202e}",
        "\u{2066}",
        "\u{200d}",
        "2025-05-02",
        "السلام ",
    ]);
    prop_oneof![
        8 => prop::collection::vec(piece, 0..20).prop_map(|v| v.concat()),
        1 => (prop::sample::select(vec!["x", "港口 ", "a\nb "]), 1usize..20_000).prop_map(|(s, n)| s.repeat(n)),
        1 => any::<String>(),
    ]
}

/// No cell holds a character that would steer the terminal: C0 and C1 controls
/// (ESC, NUL, BEL …) and the bidirectional embeddings, overrides and isolates.
fn clean(buf: &ratatui::buffer::Buffer) -> Result<(), TestCaseError> {
    for cell in &buf.content {
        let sym = cell.symbol();
        prop_assert!(
            !sym.chars().any(|c| c.is_control()
                || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')),
            "a cell holds {:?}",
            sym.escape_debug().to_string()
        );
    }
    Ok(())
}

/// The footer shows as many whole key hints as the window's width allows: none cut
/// off, none left out that would fit. (A size the app had not caught up with would
/// show too many, cut at the edge, or too few.)
fn footer_fits(
    app: &talking_points::tui::app::App,
    buf: &ratatui::buffer::Buffer,
    w: u16,
    h: u16,
    ascii: bool,
) -> Result<(), TestCaseError> {
    if !app.status.is_empty() || ascii {
        return Ok(());
    }
    let footer: String = (0..w)
        .map(|x| buf[(x, h - 1)].symbol().to_string())
        .collect();
    let hints = keymap::hints(app);
    let mut line = String::new();
    let mut fitted = String::new();
    for (k, what) in &hints {
        line.push_str(&format!("{k} {what}  "));
        if unicode_width::UnicodeWidthStr::width(line.as_str()) > usize::from(w) + 2 {
            break;
        }
        fitted = line.trim_end().to_string();
    }
    prop_assert_eq!(footer.trim_end(), fitted.as_str(), "at {}x{}", w, h);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn random_keys_at_random_sizes_never_panic(
        keys in prop::collection::vec(key(), 1..120),
        w in 1u16..=250, h in 1u16..=80,
        colour in any::<bool>(), ascii in any::<bool>(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        // People whose names and words hold control codes, as a merged bundle may bring.
        let (mut app, _) = fixture::hostile_app(dir.path());
        app.theme = Theme::new(colour, ascii);
        let (mut w, mut h) = (w, h);
        let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
        app.update(Action::Resize(w, h));
        for ev in keys {
            if let Event::Resize(nw, nh) = ev {
                w = nw;
                h = nh;
                term.backend_mut().resize(w, h);
            }
            // Ctrl-C / Ctrl-Q would end the run; keep going to reach more screens.
            if let Some(a) = keymap::action(&app, &ev)
                && a != Action::Quit
            {
                app.update(a);
            }
            app.quit = false;
            term.draw(|f| draw::draw(&app, f)).unwrap();
            // The app follows the window's size (paging uses it)…
            prop_assert_eq!(app.size, (w, h));
            let buf = term.backend().buffer();
            // …and draws for it: a window too small says so on its first line; any
            // other shows the title there.
            let first: String = (0..w).map(|x| buf[(x, 0)].symbol().to_string()).collect();
            if w < draw::MIN_W || h < draw::MIN_H {
                // The message names the window's real size, cut only by its width.
                let msg = format!("Window too small: {}x{} needed, now {w}x{h}", draw::MIN_W, draw::MIN_H);
                let shown: String = msg.chars().take(usize::from(w)).collect();
                prop_assert_eq!(first.trim_end(), shown.trim_end());
            } else {
                prop_assert!(first.starts_with(" talking-points"), "{:?}", first);
                footer_fits(&app, buf, w, h, ascii)?;
            }
            clean(buf)?;
            // A shown cursor sits inside the window (it marks the focused field).
            if term.backend().cursor_visible() {
                let pos = term.backend().cursor_position();
                prop_assert!(pos.x < w && pos.y < h, "cursor {:?} outside {}x{}", pos, w, h);
            }
        }
    }
}

fn text_char() -> impl Strategy<Value = char> {
    prop_oneof![
        6 => prop::char::range('a', 'z'),
        2 => prop::sample::select(vec![' ', ' ', '\n', 'à', 'ò', 'Ù', '—', '港', '口', '🚶', '👍', '\u{200d}', '\u{301}', '"', '\\']),
        1 => any::<char>().prop_filter("printable", |c| !c.is_control()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// What is typed into a free-text field is exactly what the field holds, whatever the
    /// script, and it survives a draft unchanged.
    #[test]
    fn typing_into_a_text_field_keeps_every_character(text in prop::collection::vec(text_char(), 0..200)) {
        use talking_points::tui::field::Input;
        let mut field = Input::text("");
        let Input::Text(ta) = &mut field else { unreachable!() };
        for c in &text {
            let key = if *c == '\n' { ratatui_textarea::Key::Enter } else { ratatui_textarea::Key::Char(*c) };
            ta.input(ratatui_textarea::Input { key, ..Default::default() });
        }
        let expected: String = text.iter().collect();
        prop_assert_eq!(field.string(), expected.clone());
        let mut back = Input::text("");
        back.restore(&field.value());
        prop_assert_eq!(back.string(), expected);
    }

    /// The date parser never panics, and accepts exactly the real YYYY-MM-DD dates.
    #[test]
    fn dates_parse_only_when_real(s in "\\PC{0,12}", y in 1900i32..2100, m in 1u32..13, d in 1u32..32) {
        let _ = talking_points::record::parse_date(&s);
        let text = format!("{y:04}-{m:02}-{d:02}");
        let real = chrono::NaiveDate::from_ymd_opt(y, m, d);
        prop_assert_eq!(talking_points::record::parse_date(&text).ok(), real);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// Whatever is pasted into a text field is saved exactly, line breaks made `\n`.
    #[test]
    fn pasted_words_are_saved_exactly(text in pasted()) {
        use talking_points::domain::{Stage, StageBody};
        let dir = tempfile::tempdir().unwrap();
        let mut app = fixture::app(dir.path(), Theme::new(true, false));
        // Open the person, start an assessment, Ctrl-N to the first outcome's words.
        for (code, m) in [
            (KeyCode::Enter, KeyModifiers::NONE),
            (KeyCode::Char('a'), KeyModifiers::NONE),
            (KeyCode::Char('n'), KeyModifiers::CONTROL),
        ] {
            if let Some(a) = keymap::action(&app, &Event::Key(KeyEvent::new(code, m))) {
                app.update(a);
            }
        }
        prop_assert!(app.typing());
        if let Some(a) = keymap::action(&app, &Event::Paste(text.clone())) {
            app.update(a);
        }
        let expected = text.replace("\r\n", "\n").replace('\r', "\n");
        app.update(Action::Save);
        let saved = app
            .store
            .conversations_of(&fixture::id(10))
            .unwrap()
            .into_iter()
            .find(|c| c.stage() == Stage::Assessment && c.date == fixture::d(fixture::TODAY));
        if expected.trim().is_empty() {
            // Nothing written: nothing to save, and the app says so.
            prop_assert!(saved.is_none());
            prop_assert!(app.status.starts_with("Not saved"), "{}", app.status);
        } else {
            let saved = saved.expect("saved");
            let StageBody::Assessment { outcomes } = &saved.body else { panic!("an assessment") };
            prop_assert_eq!(&outcomes[0].own_words, &expected);
        }
    }
}
