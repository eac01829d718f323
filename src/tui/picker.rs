//! A type-to-search picker for one person (the person a carer cares for): a line to
//! type part of a name into and the matches under it, best first. It never reads the
//! store: whoever owns it runs the search when the query changes and hands the results
//! in, so the same search the command line uses decides what matches.

use super::theme::Theme;
use crate::domain::Id;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui_textarea::{Input as TaInput, Key};
use unicode_width::UnicodeWidthStr;

/// One person offered: who, and a word to tell namesakes apart (their service).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice {
    pub id: Id,
    pub name: String,
    pub detail: String,
}

/// What a key did to the picker, so its owner knows what to do next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Nothing,
    /// The query changed: search again and call [`Picker::set_results`].
    Query,
    /// A person was chosen.
    Picked,
}

#[derive(Clone, Debug, Default)]
pub struct Picker {
    pub query: String,
    pub results: Vec<Choice>,
    pub selected: usize,
    pub chosen: Option<Choice>,
}

impl Picker {
    pub fn new() -> Picker {
        Picker::default()
    }

    /// A typed key: a letter adds to the query, Backspace takes one off (and on an
    /// empty query clears the choice made, so "nobody" can be chosen again).
    pub fn input(&mut self, i: &TaInput) -> Change {
        match i.key {
            Key::Char(c) if !i.ctrl && !i.alt && !c.is_control() => {
                self.query.push(c);
                Change::Query
            }
            Key::Backspace if !self.query.is_empty() => {
                self.query.pop();
                Change::Query
            }
            Key::Backspace if self.chosen.is_some() => {
                self.chosen = None;
                Change::Nothing
            }
            _ => Change::Nothing,
        }
    }

    /// Pasted text joins the query as one line.
    pub fn paste(&mut self, s: &str) -> Change {
        self.query
            .extend(s.chars().map(|c| if c.is_control() { ' ' } else { c }));
        Change::Query
    }

    pub fn set_results(&mut self, results: Vec<Choice>) {
        self.results = results;
        self.selected = 0;
    }

    pub fn move_by(&mut self, delta: isize) {
        let n = self.results.len() as isize;
        if n > 0 {
            self.selected = (self.selected as isize + delta).clamp(0, n - 1) as usize;
        }
    }

    /// Enter: the highlighted match becomes the choice.
    pub fn pick(&mut self) -> Change {
        match self.results.get(self.selected) {
            Some(c) => {
                self.chosen = Some(c.clone());
                self.query.clear();
                self.results.clear();
                self.selected = 0;
                Change::Picked
            }
            None => Change::Nothing,
        }
    }

    /// Whether the search shows (while focused): until a choice is made, and again
    /// once typing starts anew.
    pub fn open(&self) -> bool {
        self.chosen.is_none() || !self.query.is_empty()
    }

    /// What the form shows for the choice when the picker is not open.
    pub fn summary(&self) -> String {
        match &self.chosen {
            Some(c) => c.name.clone(),
            None => "nobody chosen: Tab here and type part of a name".to_string(),
        }
    }
}

/// The picker as a field of a form: its label and the choice made (or how to make one).
pub fn draw_field(t: &Theme, p: &Picker, focused: bool, f: &mut Frame, r: Rect) {
    let w = usize::from(r.width);
    let label_style = if focused { t.focus() } else { t.heading() };
    let value = if p.chosen.is_some() {
        Span::raw(crate::wrap::ellipsize(&crate::text::safe(&p.summary()), w))
    } else {
        Span::styled(crate::wrap::ellipsize(&p.summary(), w), t.dim())
    };
    let lines = vec![
        Line::from(Span::styled("Cares for:", label_style)),
        Line::from(value),
    ];
    f.render_widget(Paragraph::new(lines), r);
}

/// The picker open over `area`: the query (with the terminal cursor at its end), then
/// as many matches as fit, the highlighted one in reverse video and marked `›`.
pub fn draw(t: &Theme, p: &Picker, title: &str, f: &mut Frame, area: Rect) {
    // As tall as the matches need, at the foot of the form so the fields above it
    // (the carer's name and kind) stay in view.
    let w = area.width.saturating_sub(4).clamp(20, 60).min(area.width);
    let want = 4 + p.results.len().min(8) as u16;
    let h = want
        .min(area.height.saturating_sub(2))
        .max(4)
        .min(area.height);
    let r = Rect {
        x: area.x + area.width.saturating_sub(w) / 2,
        y: area.y + area.height.saturating_sub(h + 1),
        width: w,
        height: h,
    };
    let block = Block::new()
        .borders(Borders::ALL)
        .border_set(t.border())
        .title(Span::styled(format!(" {title} "), t.heading()));
    let inner = block.inner(r);
    f.render_widget(Clear, r);
    f.render_widget(block, r);
    let iw = usize::from(inner.width);
    let prefix = "Name: ";
    let query = crate::text::safe(&p.query);
    // The end of a long query stays in view: it is where the typing happens.
    let room = iw.saturating_sub(prefix.len() + 1);
    let shown_query = tail_fit(&query, room);
    let mut lines = vec![Line::from(vec![
        Span::styled(prefix, t.heading()),
        Span::raw(shown_query.clone()),
    ])];
    let list_h = usize::from(inner.height).saturating_sub(2);
    if p.query.trim().is_empty() {
        lines.push(Line::from(Span::styled(
            crate::wrap::ellipsize("Type part of their name.", iw),
            t.dim(),
        )));
    } else if p.results.is_empty() {
        lines.push(Line::from(Span::styled(
            crate::wrap::ellipsize("Nobody matches. Backspace to change it.", iw),
            t.dim(),
        )));
    } else {
        let n = p.results.len();
        lines.push(Line::from(Span::styled(
            crate::wrap::ellipsize(
                &format!(
                    "{n} match{}: ↑↓ choose, Enter picks",
                    if n == 1 { "" } else { "es" }
                ),
                iw,
            ),
            t.dim(),
        )));
        let sel = p.selected.min(n - 1);
        let off = sel.saturating_sub(list_h.saturating_sub(1));
        for (i, c) in p.results.iter().enumerate().skip(off).take(list_h) {
            let mark = if i == sel { t.arrow() } else { " " };
            let text = crate::wrap::ellipsize(
                &crate::text::safe(&format!("{mark} {}  {}", c.name, c.detail)),
                iw,
            );
            let line = Line::from(text);
            lines.push(if i == sel {
                line.style(t.focus())
            } else {
                line
            });
        }
    }
    f.render_widget(Paragraph::new(lines), inner);
    let x = inner.x + (prefix.len() + shown_query.width()) as u16;
    f.set_cursor_position(Position::new(
        x.min(inner.right().saturating_sub(1)),
        inner.y,
    ));
}

/// The end of `s` in at most `w` columns, starting with `…` when its beginning is cut.
fn tail_fit(s: &str, w: usize) -> String {
    if s.width() <= w {
        return s.to_string();
    }
    let mut out: Vec<char> = Vec::new();
    let mut used = 1;
    for c in s.chars().rev() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if used + cw > w {
            break;
        }
        used += cw;
        out.push(c);
    }
    out.push('…');
    out.into_iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: char) -> TaInput {
        TaInput {
            key: Key::Char(c),
            ..Default::default()
        }
    }

    fn choice(n: u8, name: &str) -> Choice {
        Choice {
            id: Id::from_parts(1_700_000_000_000 + u64::from(n), [n; 10]),
            name: name.into(),
            detail: "Reablement".into(),
        }
    }

    #[test]
    fn typing_asks_for_a_search_and_enter_picks_the_highlighted_match() {
        let mut p = Picker::new();
        assert_eq!(p.input(&key('m')), Change::Query);
        assert_eq!(p.query, "m");
        p.set_results(vec![choice(1, "Màiri"), choice(2, "Morag")]);
        p.move_by(1);
        p.move_by(5);
        assert_eq!(p.selected, 1, "the highlight stays on the list");
        assert_eq!(p.pick(), Change::Picked);
        assert_eq!(p.chosen.as_ref().map(|c| c.name.as_str()), Some("Morag"));
        assert!(p.query.is_empty() && p.results.is_empty());
    }

    #[test]
    fn enter_with_no_match_picks_nobody_and_backspace_on_empty_clears_the_choice() {
        let mut p = Picker::new();
        p.input(&key('z'));
        p.set_results(vec![]);
        assert_eq!(p.pick(), Change::Nothing);
        assert!(p.chosen.is_none());
        p.set_results(vec![choice(1, "Morag")]);
        p.pick();
        let bs = TaInput {
            key: Key::Backspace,
            ..Default::default()
        };
        assert_eq!(p.input(&bs), Change::Nothing);
        assert!(p.chosen.is_none());
    }

    #[test]
    fn a_long_query_shows_its_end() {
        assert_eq!(tail_fit("abcdef", 4), "…def");
        assert_eq!(tail_fit("abc", 4), "abc");
    }
}
