//! Keys pressed through the real keymap, and the screen as text: what the interface
//! tests share.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use talking_points::tui::app::{Action, App};
use talking_points::tui::{draw, keymap};

pub fn press_mod(app: &mut App, code: KeyCode, m: KeyModifiers) {
    if let Some(a) = keymap::action(app, &Event::Key(KeyEvent::new(code, m))) {
        app.update(a);
    }
}

pub fn press(app: &mut App, code: KeyCode) {
    press_mod(app, code, KeyModifiers::NONE);
}

pub fn typed(app: &mut App, s: &str) {
    for c in s.chars() {
        press(app, KeyCode::Char(c));
    }
}

pub fn ctrl_s(app: &mut App) {
    press_mod(app, KeyCode::Char('s'), KeyModifiers::CONTROL);
}

/// The whole screen at `w`×`h`, as the test backend shows it.
pub fn screen(app: &mut App, w: u16, h: u16) -> String {
    app.update(Action::Resize(w, h));
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| draw::draw(app, f)).unwrap();
    t.backend().to_string()
}
