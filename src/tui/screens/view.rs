//! Reading one conversation, read only, with its earlier revisions on request (and `e`
//! to correct it in the editor). Its state lives in the fields of
//! [`Screen::View`](crate::tui::app::Screen::View).

use super::Ctx;
use super::person::{self, PersonView};
use crate::domain::Conversation;
use crate::tui::app::Action;
use crate::tui::effect::Effect;
use crate::tui::scroll;
use crate::tui::widgets::block;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

/// The conversation view's state, borrowed from its screen.
pub struct Reading<'a> {
    pub person: &'a PersonView,
    pub conversation: &'a mut usize,
    pub scroll: &'a mut u16,
    /// Every version of the conversation, oldest first, while they are shown.
    pub history: &'a mut Option<Vec<Conversation>>,
}

impl Reading<'_> {
    pub fn update(&mut self, a: Action, ctx: &Ctx) -> Vec<Effect> {
        let n = self.person.conversations.len();
        if matches!(a, Action::Left | Action::Right) {
            *self.history = None;
        }
        let room = room(ctx);
        let page = room.saturating_sub(2).max(1) as isize;
        let by = match a {
            Action::Up => -1,
            Action::Down => 1,
            Action::PageUp => -page,
            Action::PageDown => page,
            _ => 0,
        };
        if by != 0 {
            let total = lines(
                ctx,
                self.person,
                *self.conversation,
                self.history.as_deref(),
                width(ctx),
            )
            .len();
            *self.scroll = scroll::moved(*self.scroll, by, total, room);
            return Vec::new();
        }
        let scroll = &mut *self.scroll;
        match a {
            Action::Left if *self.conversation > 0 => {
                *self.conversation -= 1;
                *scroll = 0;
            }
            Action::Right if *self.conversation + 1 < n => {
                *self.conversation += 1;
                *scroll = 0;
            }
            Action::History => {
                *scroll = 0;
                if self.history.take().is_none()
                    && let Some(c) = self.person.conversations.get(*self.conversation)
                {
                    return vec![Effect::LoadRevisions(c.id)];
                }
            }
            Action::Edit => return person::edit(self.person, *self.conversation, ctx),
            Action::Back | Action::Enter => return vec![Effect::Leave],
            Action::Quit => return vec![Effect::Quit],
            _ => {}
        }
        Vec::new()
    }
}

/// Columns inside the view's border.
fn width(ctx: &Ctx) -> usize {
    usize::from(ctx.body().width.saturating_sub(2)).max(1)
}

/// Rows inside the view's border.
fn room(ctx: &Ctx) -> usize {
    usize::from(ctx.body().height.saturating_sub(2))
}

/// The conversation, or every revision of it, in lines of `width` columns. A long
/// answer wraps under its own label's indent, so it reads as one block.
fn lines(
    ctx: &Ctx,
    v: &PersonView,
    i: usize,
    history: Option<&[Conversation]>,
    width: usize,
) -> Vec<Line<'static>> {
    let Some(c) = v.conversations.get(i) else {
        return Vec::new();
    };
    let mut text = String::new();
    match history {
        Some(all) => {
            let last = all.len().saturating_sub(1);
            for (n, r) in all.iter().enumerate() {
                let what = if n == last { "current" } else { "earlier" };
                text.push_str(&format!("Revision {} ({what})\n", r.revision));
                text.push_str(&crate::show::conversation_text(r, ctx.forms));
                text.push('\n');
            }
        }
        None => text.push_str(&crate::show::conversation_text(c, ctx.forms)),
    }
    let text = crate::text::safe(&text);
    let mut out = Vec::new();
    for line in text.lines() {
        let indent = line.len() - line.trim_start_matches(' ').len();
        // Continuation lines hang two columns in, while the window leaves room for it.
        let hang = indent + 2;
        if line.width() <= width {
            out.push(Line::from(line.to_string()));
            continue;
        }
        if width < hang + 20 {
            out.extend(crate::wrap::wrap(line, width).into_iter().map(Line::from));
            continue;
        }
        for (k, l) in crate::wrap::wrap(line.trim_start_matches(' '), width - hang)
            .into_iter()
            .enumerate()
        {
            let pad = if k == 0 { indent } else { hang };
            out.push(Line::from(format!("{}{l}", " ".repeat(pad))));
        }
    }
    out
}

pub fn draw(
    ctx: &Ctx,
    v: &PersonView,
    i: usize,
    scroll: u16,
    history: Option<&[Conversation]>,
    f: &mut Frame,
    area: Rect,
) {
    let title = format!(
        "Conversation {} of {} (read only)",
        i + 1,
        v.conversations.len()
    );
    let b = block(ctx.theme, &title);
    let inner = b.inner(area);
    f.render_widget(b, area);
    let w = usize::from(inner.width).max(1);
    let shown = scroll::window(
        ctx.theme,
        lines(ctx, v, i, history, w),
        usize::from(inner.height),
        usize::from(scroll),
        w,
        "↓ PgDn",
        "↑ PgUp",
    );
    f.render_widget(Paragraph::new(shown), inner);
}
