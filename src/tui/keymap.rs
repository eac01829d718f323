//! The keymap is data: one table of (context, keys, action, help, footer word). The same
//! table decides what a key does, lists the keys in `?` help and writes the footer hints,
//! so the three cannot disagree. Letters, arrows, Tab/Shift-Tab, Enter, Esc and a few
//! Ctrl keys reach every action; no function keys (Citrix and SSH clients swallow them).
//! While a text field has the focus, keys type into it except those its context binds.

use super::app::{Action, App};
use crate::domain::Stage;
use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// Where the keys are being read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Context {
    /// Everywhere, even while typing.
    Always,
    /// Everywhere except while typing.
    Browse,
    Caseload,
    /// Typing a filter on the caseload.
    Filtering,
    Person,
    View,
    /// The editor, whatever has the focus.
    Editor,
    EditorList,
    /// A text field in the editor.
    EditorText,
    /// A choice, tags or yes/no in the editor.
    EditorChoice,
    AddPerson,
    AddPersonChoice,
    /// Choosing the person a carer cares for by typing part of a name.
    Picker,
    /// The first service's names.
    AddService,
    Dashboard,
    Stories,
    /// A question on screen (the answers are the letters it shows).
    Prompt,
    /// The `?` help is open: it scrolls when too long, other keys close it.
    Help,
}

/// A key as the table names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    Plain(KeyCode),
    Ctrl(char),
    /// Any printable character (answers to a question).
    AnyChar,
}

pub struct Binding {
    pub context: Context,
    pub keys: &'static [Key],
    /// How the keys are written in help and the footer.
    pub shown: &'static str,
    pub action: Action,
    /// The line in `?` help.
    pub help: &'static str,
    /// The word in the footer, if the binding is worth a place there.
    pub hint: Option<&'static str>,
}

use Context as C;
use Key::{Ctrl, Plain};
use KeyCode as K;

const fn b(
    context: Context,
    keys: &'static [Key],
    shown: &'static str,
    action: Action,
    help: &'static str,
    hint: Option<&'static str>,
) -> Binding {
    Binding {
        context,
        keys,
        shown,
        action,
        help,
        hint,
    }
}

const UP: &[Key] = &[Plain(K::Up), Plain(K::Char('k'))];
const DOWN: &[Key] = &[Plain(K::Down), Plain(K::Char('j'))];
const UP_DOWN: &[Key] = &[];
const TOP: &[Key] = &[Plain(K::Home), Plain(K::Char('g'))];
const BOTTOM: &[Key] = &[Plain(K::End), Plain(K::Char('G'))];
const ENTER: &[Key] = &[Plain(K::Enter)];
const ESC: &[Key] = &[Plain(K::Esc)];
const TAB: &[Key] = &[Plain(K::Tab)];
const BACKTAB: &[Key] = &[Plain(K::BackTab)];
const LEFT: &[Key] = &[Plain(K::Left), Plain(K::Char('h'))];
const RIGHT: &[Key] = &[Plain(K::Right), Plain(K::Char('l'))];
const LEFT_ARROW: &[Key] = &[Plain(K::Left)];
const RIGHT_ARROW: &[Key] = &[Plain(K::Right)];
const PGUP: &[Key] = &[Plain(K::PageUp)];
const PGDN: &[Key] = &[Plain(K::PageDown)];
const SAVE: &[Key] = &[Ctrl('s')];

/// Every key of the interface. Within a context the first match wins; contexts are
/// searched from the most particular (see [`contexts`]). An entry with no keys only
/// writes a line of help for keys listed separately (↑ and ↓ as one line).
pub static BINDINGS: &[Binding] = &[
    // A question on screen takes every key.
    b(C::Prompt, ESC, "Esc", Action::Back, "not now", None),
    b(
        C::Prompt,
        ENTER,
        "Enter",
        Action::Enter,
        "the first answer",
        None,
    ),
    b(C::Prompt, SAVE, "Ctrl-S", Action::Save, "save", None),
    b(
        C::Prompt,
        &[Plain(K::Backspace)],
        "Backspace",
        Action::Answer('\x08'),
        "erase a letter of a typed answer",
        None,
    ),
    b(
        C::Prompt,
        &[Ctrl('c')],
        "Ctrl-C",
        Action::Interrupt,
        "quit",
        None,
    ),
    b(
        C::Prompt,
        &[Key::AnyChar],
        "letter",
        Action::Answer(' '),
        "answer",
        None,
    ),
    // The help, open over any screen.
    b(C::Help, UP, "↑ k", Action::Up, "", None),
    b(
        C::Help,
        DOWN,
        "↓ j",
        Action::Down,
        "scroll the help, when it does not fit",
        Some("scroll"),
    ),
    b(C::Help, PGUP, "PgUp", Action::PageUp, "", None),
    b(C::Help, PGDN, "PgDn", Action::PageDown, "", None),
    b(C::Help, TOP, "Home", Action::Top, "", None),
    b(C::Help, BOTTOM, "End", Action::Bottom, "", None),
    b(
        C::Help,
        &[
            Plain(K::Esc),
            Plain(K::Enter),
            Plain(K::Tab),
            Plain(K::BackTab),
            Plain(K::Left),
            Plain(K::Right),
            Plain(K::Backspace),
            Key::AnyChar,
        ],
        "any key",
        Action::Back,
        "close the help",
        Some("close"),
    ),
    // Everywhere.
    b(
        C::Always,
        &[Ctrl('c')],
        "Ctrl-C",
        Action::Interrupt,
        "quit (asks once first)",
        None,
    ),
    b(
        C::Always,
        &[Ctrl('q')],
        "Ctrl-Q",
        Action::Quit,
        "quit (asks about unsaved words)",
        None,
    ),
    // The caseload.
    b(
        C::Filtering,
        ENTER,
        "Enter",
        Action::Enter,
        "keep the filter",
        Some("done"),
    ),
    b(
        C::Filtering,
        ESC,
        "Esc",
        Action::Back,
        "clear the filter",
        Some("clear"),
    ),
    b(
        C::Filtering,
        &[Plain(K::Up)],
        "↑",
        Action::Up,
        "stop filtering, move up",
        None,
    ),
    b(
        C::Filtering,
        &[Plain(K::Down)],
        "↓",
        Action::Down,
        "stop filtering, move down",
        None,
    ),
    b(C::Caseload, UP_DOWN, "↑↓ j k", Action::Up, "move", None),
    b(
        C::Caseload,
        ENTER,
        "Enter",
        Action::Enter,
        "open the person",
        Some("open"),
    ),
    b(
        C::Caseload,
        &[Plain(K::Char('/'))],
        "/",
        Action::Filter,
        "filter by name or service; Esc clears",
        Some("filter"),
    ),
    b(
        C::Caseload,
        &[Plain(K::Char('a'))],
        "a",
        Action::AddPerson,
        "add a person",
        Some("add"),
    ),
    b(
        C::Caseload,
        &[Plain(K::Char('d'))],
        "d",
        Action::Dashboard,
        "the dashboard: outcomes across the service",
        Some("dashboard"),
    ),
    b(
        C::Caseload,
        ESC,
        "Esc",
        Action::Back,
        "clear the filter, or quit",
        None,
    ),
    b(C::Caseload, PGUP, "PgUp", Action::PageUp, "a page up", None),
    b(
        C::Caseload,
        PGDN,
        "PgDn",
        Action::PageDown,
        "a page down",
        None,
    ),
    // One person.
    b(
        C::Person,
        UP_DOWN,
        "↑↓ j k",
        Action::Up,
        "choose a conversation",
        None,
    ),
    b(
        C::Person,
        &[Plain(K::Char('a'))],
        "a",
        Action::Start(Stage::Assessment),
        "start an assessment",
        Some("assess"),
    ),
    b(
        C::Person,
        &[Plain(K::Char('p'))],
        "p",
        Action::Start(Stage::Planning),
        "start a support plan",
        Some("plan"),
    ),
    b(
        C::Person,
        &[Plain(K::Char('r'))],
        "r",
        Action::Start(Stage::Review),
        "start a review",
        Some("review"),
    ),
    b(
        C::Person,
        ENTER,
        "Enter",
        Action::Enter,
        "read the conversation",
        Some("read"),
    ),
    b(
        C::Person,
        &[Plain(K::Char('c'))],
        "c",
        Action::PlanCopy,
        "write their own copy of the plan (Documents)",
        None,
    ),
    b(
        C::Person,
        &[Plain(K::Char('e'))],
        "e",
        Action::Edit,
        "edit it (saving keeps the earlier version)",
        None,
    ),
    b(
        C::Person,
        &[Plain(K::Char('w'))],
        "w",
        Action::Withdraw,
        "withdraw it: recorded in error (asks why)",
        None,
    ),
    b(
        C::Person,
        ESC,
        "Esc",
        Action::Back,
        "back to the caseload",
        Some("back"),
    ),
    // Reading a conversation.
    b(
        C::View,
        UP_DOWN,
        "↑↓ j k",
        Action::Up,
        "scroll",
        Some("scroll"),
    ),
    b(C::View, PGUP, "PgUp", Action::PageUp, "a page up", None),
    b(C::View, PGDN, "PgDn", Action::PageDown, "a page down", None),
    b(
        C::View,
        LEFT,
        "←",
        Action::Left,
        "the earlier conversation",
        None,
    ),
    b(
        C::View,
        RIGHT,
        "→",
        Action::Right,
        "the later conversation",
        Some("other"),
    ),
    b(
        C::View,
        &[Plain(K::Char('v'))],
        "v",
        Action::History,
        "show or hide its earlier revisions",
        Some("revisions"),
    ),
    b(
        C::View,
        &[Plain(K::Char('e'))],
        "e",
        Action::Edit,
        "edit it (saving keeps the earlier version)",
        None,
    ),
    b(C::View, ESC, "Esc", Action::Back, "back", Some("back")),
    b(C::View, ENTER, "Enter", Action::Back, "back", None),
    // The editor.
    b(
        C::Editor,
        SAVE,
        "Ctrl-S",
        Action::Save,
        "save and go back to the person",
        Some("save"),
    ),
    b(
        C::Editor,
        &[Ctrl('n')],
        "Ctrl-N",
        Action::NextOutcome,
        "the next outcome, into its first field",
        Some("next outcome"),
    ),
    b(
        C::Editor,
        &[Ctrl('p')],
        "Ctrl-P",
        Action::PrevOutcome,
        "the previous outcome",
        None,
    ),
    b(
        C::Editor,
        PGDN,
        "PgDn",
        Action::PageDown,
        "scroll the earlier words down",
        None,
    ),
    b(
        C::Editor,
        PGUP,
        "PgUp",
        Action::PageUp,
        "scroll the earlier words up",
        None,
    ),
    b(
        C::Editor,
        TAB,
        "Tab",
        Action::NextField,
        "next field",
        Some("next"),
    ),
    b(
        C::Editor,
        BACKTAB,
        "Shift-Tab",
        Action::PrevField,
        "previous field",
        None,
    ),
    b(
        C::EditorList,
        UP_DOWN,
        "↑↓ j k",
        Action::Up,
        "choose an outcome",
        None,
    ),
    b(
        C::EditorList,
        ENTER,
        "Enter",
        Action::Enter,
        "into its fields",
        None,
    ),
    b(
        C::EditorList,
        ESC,
        "Esc",
        Action::Back,
        "leave (asks if anything is unsaved)",
        Some("leave"),
    ),
    b(
        C::EditorText,
        ESC,
        "Esc",
        Action::Back,
        "from the field to the outcome list",
        Some("list"),
    ),
    b(
        C::EditorChoice,
        LEFT,
        "← →",
        Action::Left,
        "change the choice, move along tags",
        Some("change"),
    ),
    b(C::EditorChoice, RIGHT, "→", Action::Right, "", None),
    b(
        C::EditorChoice,
        &[Plain(K::Char(' '))],
        "Space",
        Action::Toggle,
        "tick a tag or yes/no",
        None,
    ),
    b(
        C::EditorChoice,
        ENTER,
        "Enter",
        Action::Enter,
        "tick, like Space",
        None,
    ),
    b(C::EditorChoice, UP, "↑", Action::Up, "previous field", None),
    b(C::EditorChoice, DOWN, "↓", Action::Down, "next field", None),
    b(
        C::EditorChoice,
        ESC,
        "Esc",
        Action::Back,
        "from the field to the outcome list",
        Some("list"),
    ),
    // Adding a person.
    b(
        C::AddPerson,
        SAVE,
        "Ctrl-S",
        Action::Save,
        "add the person",
        Some("add"),
    ),
    b(
        C::AddPerson,
        TAB,
        "Tab",
        Action::NextField,
        "next field",
        Some("next"),
    ),
    b(
        C::AddPerson,
        BACKTAB,
        "Shift-Tab",
        Action::PrevField,
        "previous field",
        None,
    ),
    b(
        C::AddPerson,
        ESC,
        "Esc",
        Action::Back,
        "cancel",
        Some("cancel"),
    ),
    b(
        C::AddPersonChoice,
        LEFT_ARROW,
        "← →",
        Action::Left,
        "change a choice",
        Some("choose"),
    ),
    b(
        C::AddPersonChoice,
        RIGHT_ARROW,
        "→",
        Action::Right,
        "",
        None,
    ),
    b(
        C::AddPersonChoice,
        &[Plain(K::Char(' '))],
        "Space",
        Action::Toggle,
        "the next choice",
        None,
    ),
    b(
        C::AddPersonChoice,
        &[Plain(K::Up)],
        "↑",
        Action::Up,
        "previous field",
        None,
    ),
    b(
        C::AddPersonChoice,
        &[Plain(K::Down)],
        "↓",
        Action::Down,
        "next field",
        None,
    ),
    b(
        C::AddPersonChoice,
        ENTER,
        "Enter",
        Action::Enter,
        "next field; on the last, add",
        None,
    ),
    b(
        C::Picker,
        &[Plain(K::Up)],
        "↑ ↓",
        Action::Up,
        "choose among the matches",
        Some("choose"),
    ),
    b(C::Picker, &[Plain(K::Down)], "↓", Action::Down, "", None),
    b(
        C::Picker,
        ENTER,
        "Enter",
        Action::Enter,
        "pick the highlighted match; with none typed, add",
        Some("pick"),
    ),
    // The first service.
    b(
        C::AddService,
        SAVE,
        "Ctrl-S",
        Action::Save,
        "add the service",
        Some("add"),
    ),
    b(
        C::AddService,
        TAB,
        "Tab",
        Action::NextField,
        "next field",
        Some("next"),
    ),
    b(
        C::AddService,
        BACKTAB,
        "Shift-Tab",
        Action::PrevField,
        "previous field",
        None,
    ),
    b(
        C::AddService,
        ENTER,
        "Enter",
        Action::Enter,
        "next field; on the last, add",
        None,
    ),
    b(
        C::AddService,
        ESC,
        "Esc",
        Action::Back,
        "not now (a adds it later)",
        Some("not now"),
    ),
    // The dashboard.
    b(
        C::Stories,
        UP_DOWN,
        "↑↓ j k",
        Action::Up,
        "scroll",
        Some("scroll"),
    ),
    b(C::Stories, PGUP, "PgUp", Action::PageUp, "a page up", None),
    b(
        C::Stories,
        PGDN,
        "PgDn",
        Action::PageDown,
        "a page down",
        None,
    ),
    b(
        C::Stories,
        ESC,
        "Esc",
        Action::Back,
        "close the stories",
        Some("close"),
    ),
    b(
        C::Stories,
        ENTER,
        "Enter",
        Action::Back,
        "close the stories",
        None,
    ),
    b(
        C::Dashboard,
        TAB,
        "Tab S-Tab",
        Action::NextField,
        "level, unit, period, outcomes",
        Some("selector"),
    ),
    b(
        C::Dashboard,
        BACKTAB,
        "Shift-Tab",
        Action::PrevField,
        "",
        None,
    ),
    b(
        C::Dashboard,
        LEFT,
        "← →",
        Action::Left,
        "change the level or unit; earlier / later period",
        Some("change"),
    ),
    b(C::Dashboard, RIGHT, "→", Action::Right, "", None),
    b(
        C::Dashboard,
        UP_DOWN,
        "↑↓ j k",
        Action::Up,
        "choose an outcome",
        None,
    ),
    b(
        C::Dashboard,
        PGUP,
        "PgUp",
        Action::PageUp,
        "a page up",
        None,
    ),
    b(
        C::Dashboard,
        PGDN,
        "PgDn",
        Action::PageDown,
        "a page down",
        None,
    ),
    b(
        C::Dashboard,
        ENTER,
        "Enter",
        Action::Enter,
        "the stories behind its numbers",
        Some("stories"),
    ),
    b(C::Dashboard, ESC, "Esc", Action::Back, "back", Some("back")),
    // Anywhere keys are not typing.
    b(C::Browse, UP, "↑ k", Action::Up, "", None),
    b(C::Browse, DOWN, "↓ j", Action::Down, "", None),
    b(C::Browse, TOP, "Home g", Action::Top, "the first", None),
    b(C::Browse, BOTTOM, "End G", Action::Bottom, "the last", None),
    b(
        C::Browse,
        &[Plain(K::Char('?'))],
        "?",
        Action::Help,
        "this help",
        Some("help"),
    ),
    b(
        C::Browse,
        &[Plain(K::Char('q'))],
        "q",
        Action::Quit,
        "quit",
        Some("quit"),
    ),
];

/// The contexts in force, most particular first.
pub fn contexts(app: &App) -> Vec<Context> {
    if app.prompt.is_some() {
        return vec![C::Prompt];
    }
    if app.help {
        return vec![C::Help, C::Always];
    }
    screen_contexts(app)
}

/// The contexts of the screen itself, whatever is open over it (what `?` help lists).
fn screen_contexts(app: &App) -> Vec<Context> {
    let mut v = app.contexts();
    if v == [C::Prompt] {
        return v;
    }
    v.push(C::Always);
    if !app.typing() {
        v.push(C::Browse);
    }
    v
}

fn matches(key: &Key, k: &KeyEvent) -> bool {
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    match key {
        Plain(code) => !ctrl && k.code == *code,
        Ctrl(c) => ctrl && matches!(k.code, KeyCode::Char(x) if x.eq_ignore_ascii_case(c)),
        Key::AnyChar => !ctrl && matches!(k.code, KeyCode::Char(_)),
    }
}

/// What an event means in the app's present state.
pub fn action(app: &App, ev: &Event) -> Option<Action> {
    match ev {
        Event::Resize(w, h) => Some(Action::Resize(*w, *h)),
        Event::Key(k) if k.kind != KeyEventKind::Release => key(app, *k),
        Event::Paste(s) if app.typing() => Some(Action::Paste(s.clone())),
        _ => None,
    }
}

fn key(app: &App, k: KeyEvent) -> Option<Action> {
    for c in contexts(app) {
        let hit = BINDINGS
            .iter()
            .filter(|b| b.context == c)
            .find(|b| b.keys.iter().any(|key| matches(key, &k)));
        if let Some(b) = hit {
            return Some(match (&b.action, k.code) {
                (Action::Answer(_), KeyCode::Char(ch)) => Action::Answer(ch),
                (a, _) => a.clone(),
            });
        }
    }
    app.typing().then(|| Action::Type(k.into()))
}

/// The keys of the present state for `?` help: (keys, what they do), most particular
/// first, each written once.
pub fn help(app: &App) -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    for c in screen_contexts(app) {
        for b in BINDINGS
            .iter()
            .filter(|b| b.context == c && !b.help.is_empty())
        {
            if !out.iter().any(|(s, _)| *s == b.shown) {
                out.push((b.shown, b.help));
            }
        }
    }
    out
}

/// The footer's hints for the present state: (keys, word).
pub fn hints(app: &App) -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    // A help that fits has nothing to scroll.
    let still = app.help && !super::help::scrolls(app);
    for c in contexts(app) {
        for b in BINDINGS
            .iter()
            .filter(|b| b.context == c && !(still && c == C::Help && b.action == Action::Down))
        {
            if let Some(h) = b.hint
                && !out.iter().any(|(s, _)| *s == b.shown)
            {
                out.push((b.shown, h));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_is_bound_twice_in_one_context() {
        for (i, a) in BINDINGS.iter().enumerate() {
            for b in &BINDINGS[i + 1..] {
                if a.context == b.context {
                    for k in a.keys {
                        assert!(
                            !b.keys.contains(k),
                            "{k:?} is bound twice in {:?}: {} and {}",
                            a.context,
                            a.shown,
                            b.shown
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn every_footer_hint_is_also_in_help() {
        for b in BINDINGS.iter().filter(|b| b.hint.is_some()) {
            assert!(!b.help.is_empty(), "{} has a hint but no help", b.shown);
        }
    }
}
