//! The first five minutes: a store with no services offers to add one here (partnership,
//! organisation, service), so a newcomer never has to quit to run `org add`. The form
//! only holds what is typed; the app adds the service through the same store function
//! `org add` uses.

use super::app::Action;
use super::effect::Effect;
use super::field::{Input, pasted_line};
use super::keymap::Context;
use super::screens::{Component, Ctx};
use super::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

pub const LABELS: [&str; 3] = [
    "Partnership (e.g. Glenmore HSCP)",
    "Organisation (e.g. Glenmore Council)",
    "Service (e.g. Reablement)",
];

#[derive(Clone, Debug)]
pub struct ServiceForm {
    pub inputs: Vec<Input>,
    pub focus: usize,
}

/// What a key asks of the app.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Request {
    Nothing,
    Add,
    Cancel,
}

impl Default for ServiceForm {
    fn default() -> Self {
        ServiceForm::new()
    }
}

impl ServiceForm {
    pub fn new() -> ServiceForm {
        ServiceForm {
            inputs: LABELS.iter().map(|_| Input::line("")).collect(),
            focus: 0,
        }
    }

    /// The three names as typed: (partnership, organisation, service).
    pub fn names(&self) -> (String, String, String) {
        let get = |i: usize| self.inputs.get(i).map(|x| x.string()).unwrap_or_default();
        (get(0), get(1), get(2))
    }

    /// After a refusal: the focus goes to the first name left empty, else to the
    /// service's name (the one that must be unique).
    pub fn focus_first_blank(&mut self) {
        self.focus = self
            .inputs
            .iter()
            .position(|i| i.string().trim().is_empty())
            .unwrap_or(2);
    }

    /// What a key asks for (the form's own keys change only the form).
    pub fn request(&mut self, a: Action) -> Request {
        let n = self.inputs.len();
        match a {
            Action::Type(i) => {
                if let Some(Input::Line(t)) = self.inputs.get_mut(self.focus) {
                    t.input(i);
                }
            }
            Action::Paste(s) => {
                if let Some(Input::Line(t)) = self.inputs.get_mut(self.focus) {
                    t.insert_str(pasted_line(&s));
                }
            }
            Action::NextField | Action::Down => self.focus = (self.focus + 1) % n,
            Action::PrevField | Action::Up => self.focus = (self.focus + n - 1) % n,
            Action::Enter if self.focus + 1 < n => self.focus += 1,
            Action::Enter | Action::Save => return Request::Add,
            Action::Back => return Request::Cancel,
            _ => {}
        }
        Request::Nothing
    }
}

pub fn draw(t: &Theme, form: &ServiceForm, f: &mut Frame, area: Rect) {
    let block = Block::new()
        .borders(Borders::ALL)
        .border_set(t.border())
        .title(Span::styled(" Add the first service ", t.heading()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let intro = "Nothing is set up yet. Name the service you work in, and the \
                 organisation and partnership it belongs to; people are then added to it.";
    let w = usize::from(inner.width.max(1));
    let intro_h = crate::wrap::wrap(intro, w).len() as u16;
    f.render_widget(
        Paragraph::new(intro).wrap(Wrap { trim: true }),
        Rect {
            height: intro_h.min(inner.height),
            ..inner
        },
    );
    let mut y = inner.y + intro_h + 1;
    for (i, (label, input)) in LABELS.iter().zip(&form.inputs).enumerate() {
        if y + 1 >= inner.bottom() {
            break;
        }
        let focused = form.focus == i;
        let style = if focused { t.focus() } else { t.heading() };
        f.render_widget(
            Paragraph::new(Span::styled(crate::wrap::ellipsize(label, w), style)),
            Rect {
                y,
                height: 1,
                ..inner
            },
        );
        let r = Rect {
            y: y + 1,
            height: 1,
            ..inner
        };
        if let Input::Line(ta) = input {
            let text = ta.lines().join("");
            if focused {
                f.render_widget(ta, r);
                let sc = ta.screen_cursor();
                let (_, left) = ta.scroll_offset();
                let x = r.x as usize + sc.col.saturating_sub(left as usize);
                f.set_cursor_position(Position::new(
                    (x as u16).min(r.right().saturating_sub(1)),
                    r.y,
                ));
            } else if text.is_empty() {
                f.render_widget(Paragraph::new(Span::styled("(empty)", t.dim())), r);
            } else {
                f.render_widget(
                    Paragraph::new(Line::from(crate::wrap::ellipsize(
                        &crate::text::safe(&text),
                        w,
                    ))),
                    r,
                );
            }
        }
        y += 3;
    }
}

impl Component for ServiceForm {
    fn update(&mut self, a: Action, _ctx: &Ctx) -> Vec<Effect> {
        match self.request(a) {
            Request::Nothing => Vec::new(),
            Request::Cancel => vec![Effect::Leave],
            Request::Add => {
                let (partnership, organisation, service) = self.names();
                vec![Effect::AddService {
                    partnership,
                    organisation,
                    service,
                }]
            }
        }
    }

    fn draw(&self, ctx: &Ctx, f: &mut Frame, area: Rect) {
        draw(ctx.theme, self, f, area);
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::AddService]
    }

    fn typing(&self) -> bool {
        true
    }
}
