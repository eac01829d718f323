//! The conversation editor as a screen: keys change the words and the focus; saving
//! asks the runner to check the conversation against the person's history and keep it.

use super::{Component, Ctx};
use crate::domain::{Conversation, Stage, validate::Problem};
use crate::tui::app::{Action, Prompt};
use crate::tui::editor::{Editor, Entry, FieldKind, Focus};
use crate::tui::effect::{AfterSave, Effect};
use crate::tui::field::Input;
use crate::tui::keymap::Context;
use crate::tui::scroll;
use crate::tui::theme::Theme;
use crate::tui::widgets::{block, draw_input, input_height};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

impl Editor {
    /// Ctrl-S: builds the conversation; the runner checks and saves it. A field that
    /// cannot be read (a date) takes the focus and the footer says why.
    pub fn save(&mut self, ctx: &Ctx, after: AfterSave) -> Vec<Effect> {
        match self.build(ctx.forms) {
            // An edit that changes nothing makes no new revision.
            Ok(c) if self.editing.as_ref().is_some_and(|x| x.unchanged(&c)) => {
                self.dirty = false;
                let mut fx = vec![Effect::RemoveDraft];
                fx.extend(after.effects());
                fx.push(Effect::Status(
                    "Nothing was changed, so nothing was saved.".into(),
                ));
                fx
            }
            Ok(c) => vec![Effect::SaveConversation(Box::new(c), after)],
            Err((row, field, msg)) => {
                let i = field_index(self, row, field);
                self.focus_on(row, i);
                vec![Effect::Status(format!("Not saved. {msg}"))]
            }
        }
    }

    /// The store's check refused the conversation: the focus goes to the problem.
    pub fn refused(&mut self, conv: &Conversation, p: &Problem) -> Effect {
        let msg = match p.field.as_str() {
            "outcomes" => "nothing is recorded yet: write in at least one outcome".to_string(),
            // Withdrawn since the editor was opened (from the command line, say).
            "id" => "it was withdrawn as recorded in error meanwhile, so it cannot be corrected; Esc, then d discards the changes".to_string(),
            _ => p.message.clone(),
        };
        if let Some((row, i)) = self.locate(conv, &p.field) {
            self.focus_on(row, Some(i));
        }
        Effect::Status(format!("Not saved: {msg}."))
    }

    fn focus_on(&mut self, row: usize, field: Option<usize>) {
        self.selected = row.min(self.entries.len().saturating_sub(1));
        self.focus = field.map_or(Focus::List, Focus::Field);
    }
}

impl Component for Editor {
    fn update(&mut self, a: Action, ctx: &Ctx) -> Vec<Effect> {
        let mut changed = false;
        match a {
            Action::Save => return self.save(ctx, AfterSave::Leave),
            Action::NextOutcome => self.next_outcome(1),
            Action::PrevOutcome => self.next_outcome(-1),
            Action::PageDown => self.scroll_intro(ctx, 5),
            Action::PageUp => self.scroll_intro(ctx, -5),
            Action::Type(i) => {
                let mut next = false;
                if let Some(input) = self.focused_input_mut() {
                    match input {
                        Input::Text(t) => changed = t.input(i),
                        Input::Line(t) => {
                            use ratatui_textarea::Key;
                            // One line only: Enter moves on rather than breaking it.
                            if i.key == Key::Enter {
                                next = true;
                            } else {
                                changed = t.input(i);
                            }
                        }
                        _ => {}
                    }
                }
                if next {
                    self.next_field();
                }
            }
            Action::Paste(text) => {
                if let Some(input) = self.focused_input_mut() {
                    match input {
                        Input::Text(t) => {
                            changed = t.insert_str(crate::tui::field::pasted_text(&text))
                        }
                        // One line: a pasted line break becomes a space.
                        Input::Line(t) => {
                            changed = t.insert_str(crate::tui::field::pasted_line(&text))
                        }
                        _ => {}
                    }
                }
            }
            Action::Up if self.focus == Focus::List => self.move_selection(-1),
            Action::Down if self.focus == Focus::List => self.move_selection(1),
            Action::Top if self.focus == Focus::List => self.move_selection(-10_000),
            Action::Bottom if self.focus == Focus::List => self.move_selection(10_000),
            Action::Up | Action::PrevField => self.prev_field(),
            Action::Down | Action::NextField | Action::Enter => {
                if a == Action::Enter
                    && let Some(i) = self.focused_input_mut()
                    && !i.is_text()
                {
                    changed = i.toggle();
                } else {
                    self.next_field();
                }
            }
            Action::Left | Action::Right => {
                if let Some(i) = self.focused_input_mut() {
                    changed = i.step(a == Action::Right);
                }
            }
            Action::Toggle => {
                if let Some(i) = self.focused_input_mut() {
                    changed = i.toggle();
                }
            }
            Action::Back => {
                if self.focus != Focus::List {
                    self.focus = Focus::List;
                } else if self.dirty {
                    return vec![Effect::Ask(Prompt::LeaveEditor)];
                } else {
                    return vec![Effect::Leave, Effect::RefreshPerson];
                }
            }
            Action::Quit => {
                return vec![if self.dirty {
                    Effect::Ask(Prompt::Quit)
                } else {
                    Effect::Quit
                }];
            }
            _ => {}
        }
        if changed {
            self.dirty = true;
            return vec![Effect::DraftChanged, Effect::Status(String::new())];
        }
        Vec::new()
    }

    fn contexts(&self) -> Vec<Context> {
        match self.focus {
            Focus::List => vec![Context::EditorList, Context::Editor],
            Focus::Field(_) if self.typing() => vec![Context::EditorText, Context::Editor],
            Focus::Field(_) => vec![Context::EditorChoice, Context::Editor],
        }
    }

    fn typing(&self) -> bool {
        Editor::typing(self)
    }

    fn draw(&self, ctx: &Ctx, f: &mut Frame, area: Rect) {
        draw(ctx, self, f, area);
    }
}

/// What the footer says after a save, in words that agree with the numbers. A
/// correction says what became of the version it replaced.
pub fn saved_message(c: &Conversation, corrected: bool) -> String {
    let what = crate::tui::editor::stage_noun(c.stage());
    // Short enough for 60 columns.
    let mut m = if corrected {
        format!("Saved: the {what} corrected; earlier version kept.")
    } else {
        let n = crate::text::plural(c.outcome_ids().len(), "outcome", "outcomes");
        format!("Saved: the {what}, {n}.")
    };
    if c.stage() == Stage::Planning && c.review_by().is_none() {
        m.push_str(" No review date was set.");
    }
    m
}

fn field_index(ed: &Editor, row: usize, k: FieldKind) -> Option<usize> {
    ed.entries.get(row)?.fields.iter().position(|f| f.kind == k)
}

fn list_line<'a>(t: &Theme, ed: &Editor, i: usize, e: &'a Entry, width: u16) -> Line<'a> {
    let mark = if e.is_header() {
        " "
    } else if e.touched() {
        if t.ascii { "+" } else { "✓" }
    } else {
        " "
    };
    let star = if e.priority_hint { t.star() } else { " " };
    let label = format!(
        "{mark}{star}{}",
        crate::wrap::ellipsize_middle(&e.label, (width as usize).saturating_sub(2))
    );
    let style = if i == ed.selected {
        if ed.focus == Focus::List {
            t.focus()
        } else {
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        }
    } else {
        Style::new()
    };
    Line::from(Span::styled(label, style))
}

/// The outcome list and the pane of the selected outcome, side by side in `area`.
fn panes(area: Rect) -> [Rect; 2] {
    // The list widens with the terminal, up to what the longest labels need.
    let list_w = (area.width * 2 / 5).clamp(22, 44);
    Layout::horizontal([Constraint::Length(list_w), Constraint::Min(1)]).areas(area)
}

/// What goes above the fields, `w` columns wide: earlier words first (in a review they
/// are what the person is asked about), then the prompts.
fn intro_lines(t: &Theme, e: &Entry, w: usize) -> Vec<Line<'static>> {
    let mut intro: Vec<Line> = Vec::new();
    for (label, words) in &e.context {
        let text = format!("{label}: {}", crate::text::safe(words));
        for (k, l) in crate::wrap::wrap(&text, w).into_iter().enumerate() {
            if k == 0 && l.starts_with(label.as_str()) {
                let rest = l[label.len()..].to_string();
                intro.push(Line::from(vec![
                    Span::styled(label.clone(), t.heading()),
                    Span::raw(rest),
                ]));
            } else {
                intro.push(Line::from(l));
            }
        }
    }
    for p in &e.prompts {
        for l in crate::wrap::wrap(&format!("{} {p}", t.bullet()), w) {
            intro.push(Line::from(Span::styled(
                l,
                t.dim().add_modifier(Modifier::ITALIC),
            )));
        }
    }
    intro
}

/// Rows for the intro in a pane `h` rows tall: earlier words may take half the pane,
/// prompts alone a third.
fn intro_room(e: &Entry, h: u16) -> usize {
    let share = if e.context.is_empty() { 3 } else { 2 };
    (h as usize / share).max(1)
}

/// The selected outcome's pane inside its border, in a window of `ctx`'s size.
fn pane(ctx: &Ctx) -> Rect {
    let [_, right] = panes(ctx.body());
    block(ctx.theme, "").inner(right)
}

impl Editor {
    /// The earlier words and prompts scrolled by `by` lines, stopping at either end.
    fn scroll_intro(&mut self, ctx: &Ctx, by: isize) {
        let inner = pane(ctx);
        let e = self.entry();
        let total = intro_lines(ctx.theme, e, inner.width.max(1) as usize).len();
        let room = intro_room(e, inner.height);
        self.context_scroll = scroll::moved(self.context_scroll, by, total, room);
    }
}

fn draw(ctx: &Ctx, ed: &Editor, f: &mut Frame, area: Rect) {
    let t = ctx.theme;
    let [left, right] = panes(area);
    // The outcome list, with category headings.
    let inner_w = left.width.saturating_sub(2);
    let mut lines: Vec<Line> = Vec::new();
    let mut sel_line = 0;
    let mut last_cat = String::new();
    for (i, e) in ed.entries.iter().enumerate() {
        if !e.category.is_empty() && e.category != last_cat {
            lines.push(Line::from(Span::styled(
                crate::wrap::ellipsize_middle(&e.category, inner_w as usize),
                t.dim().add_modifier(Modifier::BOLD),
            )));
            last_cat = e.category.clone();
        }
        if i == ed.selected {
            sel_line = lines.len();
        }
        lines.push(list_line(t, ed, i, e, inner_w));
    }
    let h = left.height.saturating_sub(2) as usize;
    let off = sel_line.saturating_sub(h.saturating_sub(1)) as u16;
    f.render_widget(
        Paragraph::new(lines)
            .scroll((off, 0))
            .block(block(t, "Outcomes")),
        left,
    );

    let e = ed.entry();
    let b = block(t, &e.label);
    let inner = b.inner(right);
    f.render_widget(b, right);
    let w = inner.width.max(1);
    // It scrolls with PgDn/PgUp and says so when there is more, so nothing the person
    // said is hidden for good.
    let intro = intro_lines(t, e, w as usize);
    let room = intro_room(e, inner.height);
    let intro_h = intro.len().min(room) as u16;
    let fields_area = Rect {
        y: inner.y + intro_h,
        height: inner.height.saturating_sub(intro_h),
        ..inner
    };
    if intro_h > 0 {
        let shown = scroll::window(
            t,
            intro,
            room,
            ed.context_scroll as usize,
            w as usize,
            "PgDn",
            "PgUp",
        );
        f.render_widget(
            Paragraph::new(shown),
            Rect {
                height: intro_h,
                ..inner
            },
        );
    }
    // Each field: a label line and its input; scrolled so the focused one shows.
    let heights: Vec<u16> = e
        .fields
        .iter()
        .map(|fl| 1 + input_height(&fl.input, w, *ctx.theme))
        .collect();
    let focus = match ed.focus {
        Focus::Field(i) => i.min(e.fields.len().saturating_sub(1)),
        Focus::List => 0,
    };
    let mut start = 0;
    while start < focus
        && heights[start..=focus]
            .iter()
            .map(|h| *h as u32)
            .sum::<u32>()
            > fields_area.height as u32
    {
        start += 1;
    }
    let mut y = fields_area.y;
    for (i, fl) in e.fields.iter().enumerate().skip(start) {
        if y >= fields_area.bottom() {
            break;
        }
        let focused = ed.focus == Focus::Field(i);
        let label_style = if focused { t.focus() } else { t.heading() };
        let resolved = match fl.kind {
            FieldKind::Date | FieldKind::ReviewBy | FieldKind::ActionBy(_) => {
                crate::domain::dates::shown_as(&fl.input.string(), ed.today)
                    .filter(|_| !fl.input.string().trim().eq_ignore_ascii_case("none"))
            }
            _ => None,
        };
        let label = match resolved {
            Some(r) => format!("{}: {r}", fl.label),
            None => format!("{}:", fl.label),
        };
        let label = crate::wrap::ellipsize(&label, w as usize);
        f.render_widget(
            Paragraph::new(Span::styled(label, label_style)),
            Rect {
                x: fields_area.x,
                y,
                width: w,
                height: 1,
            },
        );
        y += 1;
        let ih = (heights[i] - 1).min(fields_area.bottom().saturating_sub(y));
        if ih == 0 {
            break;
        }
        let r = Rect {
            x: fields_area.x,
            y,
            width: w,
            height: ih,
        };
        draw_input(t, &fl.input, focused, f, r);
        y += ih;
    }
}
