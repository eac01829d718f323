//! One person: their details and conversations, where a conversation is started, read,
//! corrected, withdrawn, or their own copy of the plan written.

use super::{Component, Ctx};
use crate::domain::{Conversation, Person, Stage};
use crate::tui::app::{Action, Prompt, Screen};
use crate::tui::editor::Editor;
use crate::tui::effect::Effect;
use crate::tui::keymap::Context;
use crate::tui::widgets::block;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

#[derive(Clone, Debug)]
pub struct PersonView {
    pub person: Person,
    pub service: String,
    pub cares_for: Option<String>,
    /// The carers whose records name this person as the one they care for.
    pub carers: Vec<String>,
    pub conversations: Vec<Conversation>,
    pub selected: usize,
}

impl PersonView {
    /// The screen for a person as read from the store, the latest conversation selected.
    pub fn new(
        person: Person,
        service: String,
        cares_for: Option<String>,
        carers: Vec<String>,
        conversations: Vec<Conversation>,
    ) -> PersonView {
        let selected = conversations.len().saturating_sub(1);
        PersonView {
            person,
            service,
            cares_for,
            carers,
            conversations,
            selected,
        }
    }

    /// An editor for a new conversation at `stage`, and what the footer says about it.
    fn start(&self, stage: Stage, ctx: &Ctx) -> Vec<Effect> {
        let status = if stage == Stage::Review
            && !self
                .conversations
                .iter()
                .any(|c| c.stage() == Stage::Planning)
        {
            "No plan yet: the review will rate only the experience of support.".to_string()
        } else {
            String::new()
        };
        match Editor::new(
            stage,
            &self.person,
            &self.conversations,
            ctx.forms,
            ctx.today,
            ctx.practitioner,
        ) {
            Some(e) => vec![
                Effect::Status(status),
                Effect::Open(Screen::Editor(Box::new(e))),
            ],
            None => vec![Effect::Status(format!(
                "The forms have no framework for {}s.",
                self.person.kind
            ))],
        }
    }
}

/// Opens conversation `i` of the person in the editor, to be corrected; a withdrawn
/// one is not opened (a correction of it would be refused).
pub fn edit(v: &PersonView, i: usize, ctx: &Ctx) -> Vec<Effect> {
    let Some(c) = v.conversations.get(i) else {
        return vec![Effect::Status("There is no conversation to edit.".into())];
    };
    if !c.counts() {
        return vec![Effect::Status(
            "This conversation was withdrawn as recorded in error, so it cannot be edited; start a new one instead.".into(),
        )];
    }
    // What it drew on when it was recorded: the conversations before it.
    match Editor::edit(c, &v.person, &v.conversations[..i], ctx.forms, ctx.today) {
        Some(e) => vec![
            Effect::Status(String::new()),
            Effect::Open(Screen::Editor(Box::new(e))),
        ],
        None => vec![Effect::Status(format!(
            "The forms have no framework for {}s.",
            v.person.kind
        ))],
    }
}

impl Component for PersonView {
    fn update(&mut self, a: Action, ctx: &Ctx) -> Vec<Effect> {
        let n = self.conversations.len();
        match a {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(n.saturating_sub(1)),
            Action::Top => self.selected = 0,
            Action::Bottom => self.selected = n.saturating_sub(1),
            Action::Enter if n > 0 => {
                return vec![Effect::Open(Screen::View {
                    person: self.clone(),
                    conversation: self.selected.min(n - 1),
                    scroll: 0,
                    history: None,
                })];
            }
            Action::Start(stage) => return self.start(stage, ctx),
            Action::PlanCopy => return vec![Effect::WritePlanCopy(Box::new(self.person.clone()))],
            Action::Edit => return edit(self, self.selected, ctx),
            Action::Withdraw => {
                return vec![match self.conversations.get(self.selected) {
                    Some(c) if !c.counts() => {
                        Effect::Status("This conversation is already withdrawn.".into())
                    }
                    Some(c) => Effect::Ask(Prompt::Withdraw {
                        id: c.id,
                        reason: String::new(),
                    }),
                    None => Effect::Status("There is no conversation to withdraw.".into()),
                }];
            }
            Action::Back => return vec![Effect::Leave, Effect::ReloadRow(self.person.id)],
            Action::Quit => return vec![Effect::Quit],
            _ => {}
        }
        Vec::new()
    }

    fn contexts(&self) -> Vec<Context> {
        vec![Context::Person]
    }

    fn draw(&self, ctx: &Ctx, f: &mut Frame, area: Rect) {
        let v = self;
        let t = ctx.theme;
        let mut details = vec![Line::from(vec![
            Span::styled(v.person.name.clone(), t.heading()),
            Span::raw(format!("  {}", v.person.kind)),
        ])];
        // The service line also names the link between a carer and the person cared for,
        // so each record shows it.
        let mut link = format!("Service: {}", v.service);
        if let Some(c) = &v.cares_for {
            link.push_str(&format!("   Cares for: {c}"));
        }
        if !v.carers.is_empty() {
            link.push_str(&format!("   Carer: {}", v.carers.join(", ")));
        }
        let inner_w = usize::from(area.width.saturating_sub(2));
        details.push(Line::from(crate::wrap::ellipsize(&link, inner_w)));
        let mut extra = Vec::new();
        if let Some(d) = v.person.dob {
            extra.push(format!("Born: {d}"));
        }
        if let Some(due) = crate::tui::caseload::review_due(&v.conversations, ctx.today) {
            if due < ctx.today {
                extra.push(format!("Review OVERDUE since {due}"));
            } else {
                extra.push(format!("Review due {due}"));
            }
        }
        details.push(Line::from(extra.join("   ")));
        // Statuses across reviews, leaving the conversation list at least three rows.
        let hist_h =
            crate::tui::history_view::height(&v.conversations, area.height.saturating_sub(10));
        let [top, hist, list] = Layout::vertical([
            Constraint::Length(5),
            Constraint::Length(hist_h),
            Constraint::Min(1),
        ])
        .areas(area);
        f.render_widget(Paragraph::new(details).block(block(t, "Person")), top);
        crate::tui::history_view::draw(t, ctx.forms, v.person.kind, &v.conversations, f, hist);
        let height = list.height.saturating_sub(2) as usize;
        let sel = v.selected.min(v.conversations.len().saturating_sub(1));
        let offset = sel.saturating_sub(height.saturating_sub(1));
        let texts =
            crate::tui::conversation_list::lines(&v.conversations, inner_w.saturating_sub(2));
        let mut lines: Vec<Line> = texts
            .into_iter()
            .enumerate()
            .skip(offset)
            .take(height)
            .map(|(i, text)| {
                let mark = if i == sel { t.arrow() } else { " " };
                let l = Line::from(format!("{mark} {text}"));
                if i == sel { l.style(t.focus()) } else { l }
            })
            .collect();
        if v.conversations.is_empty() {
            lines.push(Line::from(
                "No conversations yet. Press a to start an assessment.",
            ));
        }
        f.render_widget(Paragraph::new(lines).block(block(t, "Conversations")), list);
    }
}
