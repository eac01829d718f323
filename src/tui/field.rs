//! The inputs a conversation is recorded with: free text (ratatui-textarea, soft
//! wrapped), single-line text, yes/no, one-of choices and tag sets.

use ratatui::style::Style;
use ratatui_textarea::{TextArea, WrapMode};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug)]
pub enum Input {
    /// Multi-line, soft-wrapped free text.
    Text(TextArea<'static>),
    /// One line (dates, names); Enter moves on instead of breaking the line.
    Line(TextArea<'static>),
    Toggle(bool),
    /// One of several options (`None` = not chosen yet); ←/→ move through them.
    Choice {
        options: Vec<(String, String)>,
        selected: Option<usize>,
    },
    /// Any number of options; ←/→ move the cursor, Space switches one on or off.
    Tags {
        options: Vec<(String, String)>,
        on: Vec<bool>,
        cursor: usize,
    },
}

/// A field's value as kept in a draft: exactly what was typed or chosen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Value {
    Text(String),
    Bool(bool),
    Choice(Option<String>),
    Tags(Vec<String>),
}

pub fn text_area(text: &str, wrap: bool) -> TextArea<'static> {
    let lines: Vec<String> = if text.is_empty() {
        vec![String::new()]
    } else {
        text.split('\n').map(String::from).collect()
    };
    let mut t = TextArea::new(lines);
    t.set_wrap_mode(if wrap {
        WrapMode::WordOrGlyph
    } else {
        WrapMode::None
    });
    // The terminal's own cursor marks the place (screen readers follow it), so the
    // widget draws no second one and no underlined line.
    t.set_cursor_style(Style::new());
    t.set_cursor_line_style(Style::new());
    t.move_cursor(ratatui_textarea::CursorMove::Bottom);
    t.move_cursor(ratatui_textarea::CursorMove::End);
    t
}

/// Pasted text for a multi-line field: terminals send a line break as a carriage
/// return (`\r`), some as `\r\n`; both become `\n`.
pub fn pasted_text(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

/// Pasted text for a one-line field: each line break becomes a space.
pub fn pasted_line(s: &str) -> String {
    s.replace("\r\n", " ").replace(['\r', '\n'], " ")
}

impl Input {
    pub fn text(s: &str) -> Input {
        Input::Text(text_area(s, true))
    }

    pub fn line(s: &str) -> Input {
        Input::Line(text_area(s, false))
    }

    pub fn choice(options: Vec<(String, String)>, selected: Option<&str>) -> Input {
        let selected = selected.and_then(|s| options.iter().position(|o| o.0 == s));
        Input::Choice { options, selected }
    }

    pub fn tags(options: Vec<(String, String)>, on_ids: &[String]) -> Input {
        let on = options.iter().map(|o| on_ids.contains(&o.0)).collect();
        Input::Tags {
            options,
            on,
            cursor: 0,
        }
    }

    pub fn is_text(&self) -> bool {
        matches!(self, Input::Text(_) | Input::Line(_))
    }

    /// The text of a text field, exactly as typed.
    pub fn string(&self) -> String {
        match self {
            Input::Text(t) | Input::Line(t) => t.lines().join("\n"),
            _ => String::new(),
        }
    }

    pub fn chosen(&self) -> Option<String> {
        match self {
            Input::Choice {
                options, selected, ..
            } => selected.and_then(|i| options.get(i)).map(|o| o.0.clone()),
            _ => None,
        }
    }

    pub fn tag_ids(&self) -> Vec<String> {
        match self {
            Input::Tags { options, on, .. } => options
                .iter()
                .zip(on)
                .filter(|(_, on)| **on)
                .map(|(o, _)| o.0.clone())
                .collect(),
            _ => Vec::new(),
        }
    }

    pub fn flag(&self) -> bool {
        matches!(self, Input::Toggle(true))
    }

    pub fn value(&self) -> Value {
        match self {
            Input::Text(_) | Input::Line(_) => Value::Text(self.string()),
            Input::Toggle(b) => Value::Bool(*b),
            Input::Choice { .. } => Value::Choice(self.chosen()),
            Input::Tags { .. } => Value::Tags(self.tag_ids()),
        }
    }

    /// Puts a drafted value back, if it fits this kind of field.
    pub fn restore(&mut self, v: &Value) {
        match (self, v) {
            (Input::Text(t), Value::Text(s)) => *t = text_area(s, true),
            (Input::Line(t), Value::Text(s)) => *t = text_area(s, false),
            (Input::Toggle(b), Value::Bool(x)) => *b = *x,
            (Input::Choice { options, selected }, Value::Choice(c)) => {
                *selected = c
                    .as_ref()
                    .and_then(|c| options.iter().position(|o| &o.0 == c));
            }
            (Input::Tags { options, on, .. }, Value::Tags(ids)) => {
                *on = options.iter().map(|o| ids.contains(&o.0)).collect();
            }
            _ => {}
        }
    }

    pub fn is_blank(&self) -> bool {
        match self {
            Input::Text(_) | Input::Line(_) => self.string().trim().is_empty(),
            Input::Toggle(b) => !b,
            Input::Choice { selected, .. } => selected.is_none(),
            Input::Tags { on, .. } => !on.iter().any(|b| *b),
        }
    }

    /// ←/→ on a choice or tag field. Returns whether anything changed.
    pub fn step(&mut self, forward: bool) -> bool {
        match self {
            Input::Choice { options, selected } => {
                let n = options.len();
                if n == 0 {
                    return false;
                }
                *selected = Some(match (*selected, forward) {
                    (None, true) => 0,
                    (None, false) => n - 1,
                    (Some(i), true) => (i + 1) % n,
                    (Some(i), false) => (i + n - 1) % n,
                });
                true
            }
            Input::Tags {
                options, cursor, ..
            } => {
                let n = options.len();
                if n == 0 {
                    return false;
                }
                *cursor = if forward {
                    (*cursor + 1) % n
                } else {
                    (*cursor + n - 1) % n
                };
                false
            }
            _ => false,
        }
    }

    /// Space on a toggle, tag or choice. Returns whether anything changed.
    pub fn toggle(&mut self) -> bool {
        match self {
            Input::Toggle(b) => {
                *b = !*b;
                true
            }
            Input::Tags { on, cursor, .. } => {
                if let Some(b) = on.get_mut(*cursor) {
                    *b = !*b;
                    true
                } else {
                    false
                }
            }
            Input::Choice { .. } => self.step(true),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> Vec<(String, String)> {
        ["met", "partly_met", "not_met"]
            .iter()
            .map(|s| (s.to_string(), s.replace('_', " ")))
            .collect()
    }

    #[test]
    fn choices_cycle_and_start_unset() {
        let mut c = Input::choice(opts(), None);
        assert_eq!(c.chosen(), None);
        assert!(c.step(false));
        assert_eq!(c.chosen().as_deref(), Some("not_met"));
        c.step(true);
        assert_eq!(c.chosen().as_deref(), Some("met"));
    }

    #[test]
    fn tags_toggle_under_the_cursor() {
        let mut t = Input::tags(opts(), &["not_met".into()]);
        t.step(true);
        assert!(t.toggle());
        assert_eq!(t.tag_ids(), ["partly_met", "not_met"]);
    }

    #[test]
    fn text_keeps_every_character_and_round_trips_through_a_draft() {
        let s = "I want to walk to the harbour again — 港口 🚶\nand back";
        let t = Input::text(s);
        assert_eq!(t.string(), s);
        let mut other = Input::text("");
        other.restore(&t.value());
        assert_eq!(other.string(), s);
    }
}
