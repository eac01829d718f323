//! Keys to actions. Letters, arrows, Tab/Shift-Tab, Enter, Esc and Ctrl-S reach every
//! action; no function keys (Citrix and SSH clients swallow them). While a text field
//! has the focus, keys type into it, except Esc, Tab, Shift-Tab and Ctrl-S.

use super::app::{Action, App, Screen};
use crate::domain::Stage;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

pub fn action(app: &App, ev: &Event) -> Option<Action> {
    match ev {
        Event::Resize(w, h) => Some(Action::Resize(*w, *h)),
        Event::Key(k) if k.kind != KeyEventKind::Release => key(app, *k),
        Event::Paste(s) if app.typing() => Some(Action::Paste(s.clone())),
        _ => None,
    }
}

fn key(app: &App, k: KeyEvent) -> Option<Action> {
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && matches!(k.code, KeyCode::Char('s') | KeyCode::Char('S')) {
        return Some(Action::Save);
    }
    if ctrl && matches!(k.code, KeyCode::Char('c') | KeyCode::Char('q')) {
        return Some(Action::Quit);
    }
    if app.prompt.is_some() {
        return match k.code {
            KeyCode::Esc => Some(Action::Back),
            KeyCode::Enter => Some(Action::Enter),
            KeyCode::Char(c) => Some(Action::Answer(c.to_ascii_lowercase())),
            _ => None,
        };
    }
    match k.code {
        KeyCode::Esc => return Some(Action::Back),
        KeyCode::Tab => return Some(Action::NextField),
        KeyCode::BackTab => return Some(Action::PrevField),
        _ => {}
    }
    if app.typing() {
        let caseload_filter = matches!(app.screen(), Screen::Caseload);
        return match k.code {
            KeyCode::Enter if caseload_filter => Some(Action::Enter),
            KeyCode::Up if caseload_filter => Some(Action::Up),
            KeyCode::Down if caseload_filter => Some(Action::Down),
            _ => Some(Action::Type(k.into())),
        };
    }
    let a = match k.code {
        KeyCode::Up | KeyCode::Char('k') => Action::Up,
        KeyCode::Down | KeyCode::Char('j') => Action::Down,
        KeyCode::Left | KeyCode::Char('h') => Action::Left,
        KeyCode::Right | KeyCode::Char('l') => Action::Right,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::Home | KeyCode::Char('g') => Action::Top,
        KeyCode::End | KeyCode::Char('G') => Action::Bottom,
        KeyCode::Enter => Action::Enter,
        KeyCode::Char(' ') => Action::Toggle,
        KeyCode::Char('?') => Action::Help,
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Char('/') => Action::Filter,
        KeyCode::Char('a') if matches!(app.screen(), Screen::Caseload) => Action::AddPerson,
        KeyCode::Char('d') if matches!(app.screen(), Screen::Caseload) => Action::Dashboard,
        KeyCode::Char('a') if matches!(app.screen(), Screen::Person(_)) => {
            Action::Start(Stage::Assessment)
        }
        KeyCode::Char('p') if matches!(app.screen(), Screen::Person(_)) => {
            Action::Start(Stage::Planning)
        }
        KeyCode::Char('r') if matches!(app.screen(), Screen::Person(_)) => {
            Action::Start(Stage::Review)
        }
        _ => return None,
    };
    Some(a)
}

/// The keys of each screen, for Help and the footer.
pub fn help(screen: &Screen) -> Vec<(&'static str, &'static str)> {
    let mut keys = match screen {
        Screen::Caseload => vec![
            ("↑↓ j k", "move"),
            ("Enter", "open the person"),
            ("/", "filter by name or service; Esc clears"),
            ("a", "add a person"),
            ("d", "the dashboard: outcomes across the service"),
            ("q", "quit"),
        ],
        Screen::Person(_) => vec![
            ("↑↓ j k", "choose a conversation"),
            ("Enter", "read it"),
            ("a", "start an assessment"),
            ("p", "start a support plan"),
            ("r", "start a review"),
            ("Esc", "back to the caseload"),
        ],
        Screen::View { .. } => vec![
            ("↑↓ j k", "scroll"),
            ("← →", "earlier / later conversation"),
            ("Esc", "back"),
        ],
        Screen::Editor(_) => vec![
            ("↑↓ j k", "choose an outcome"),
            ("Tab Enter", "into its fields / next field"),
            ("Shift-Tab", "previous field"),
            ("← →", "change a choice, move along tags"),
            ("Space", "tick a tag or yes/no"),
            ("Esc", "from a field to the list; from the list, leave"),
            ("Ctrl-S", "save"),
        ],
        Screen::Dashboard(_) => vec![
            ("Tab S-Tab", "level, unit, period, outcomes"),
            ("← →", "change the level, unit or period"),
            ("↑↓ j k", "choose an outcome"),
            ("Enter", "the stories behind its numbers"),
            ("Esc", "back"),
        ],
        Screen::AddPerson(_) => vec![
            ("Tab ↑↓", "next / previous field"),
            ("← →", "change a choice"),
            ("Enter", "next field; on the last, add"),
            ("Ctrl-S", "add the person"),
            ("Esc", "cancel"),
        ],
    };
    keys.push(("?", "this help (not while typing)"));
    keys
}
