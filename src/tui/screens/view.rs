//! Reading one conversation, read only, with its earlier revisions on request (and `e`
//! to correct it in the editor). Its state lives in the fields of
//! [`Screen::View`](crate::tui::app::Screen::View).

use super::Ctx;
use super::person::{self, PersonView};
use crate::domain::Conversation;
use crate::tui::app::Action;
use crate::tui::effect::Effect;
use crate::tui::widgets::block;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::widgets::{Paragraph, Wrap};

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
        let scroll = &mut *self.scroll;
        if matches!(a, Action::Left | Action::Right) {
            *self.history = None;
        }
        match a {
            Action::Up => *scroll = scroll.saturating_sub(1),
            Action::Down => *scroll = scroll.saturating_add(1),
            Action::PageUp => *scroll = scroll.saturating_sub(10),
            Action::PageDown => *scroll = scroll.saturating_add(10),
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

pub fn draw(
    ctx: &Ctx,
    v: &PersonView,
    i: usize,
    scroll: u16,
    history: Option<&[Conversation]>,
    f: &mut Frame,
    area: Rect,
) {
    let Some(c) = v.conversations.get(i) else {
        return;
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
    let title = format!(
        "Conversation {} of {} (read only)",
        i + 1,
        v.conversations.len()
    );
    let p = Paragraph::new(crate::text::safe(&text))
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0))
        .block(block(ctx.theme, &title));
    f.render_widget(p, area);
}
