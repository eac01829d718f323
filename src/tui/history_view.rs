//! An outcome's history across reviews, as the interface shows it: the earlier reviews
//! (date, status, the person's words) above the fields at the next review, and on the
//! Person screen a row of statuses per outcome under the review dates.

use super::theme::Theme;
use crate::domain::history::{OutcomeHistory, outcome_histories, reviews};
use crate::domain::{Conversation, PersonKind};
use crate::forms::{Forms, Vocab};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// The earlier reviews of `outcome`, newest first, as (label, words) lines for the
/// editor's context area: "Review 2025-08-01, partly met" and what the person said.
pub fn review_context(
    conversations: &[Conversation],
    outcome: &str,
    forms: &Forms,
) -> Vec<(String, String)> {
    crate::domain::history::history_of(conversations, outcome)
        .into_iter()
        .rev()
        .map(|r| {
            let status = forms
                .vocab
                .label(Vocab::ReviewStatus, &r.status)
                .to_string();
            let words = if r.words.trim().is_empty() {
                "(no words recorded)".to_string()
            } else {
                r.words
            };
            (
                format!("Review {}, {}", r.date, status.to_lowercase()),
                words,
            )
        })
        .collect()
}

/// A status as a mark: a shape in Unicode (no colour needed to tell them apart), a
/// word in ASCII.
pub fn mark(t: &Theme, status: &str) -> &'static str {
    match (t.ascii, status) {
        (false, "met") => "●",
        (false, "partly_met") => "◐",
        (false, "not_met") => "○",
        (false, "no_longer_relevant") => "–",
        (false, _) => "?",
        (true, "met") => "met",
        (true, "partly_met") => "partly",
        (true, "not_met") => "not met",
        (true, "no_longer_relevant") => "n/a",
        (true, _) => "?",
    }
}

fn mark_style(t: &Theme, status: &str) -> Style {
    match status {
        "met" => t.ok(),
        "partly_met" => t.warn(),
        "not_met" => t.overdue(),
        _ => Style::new(),
    }
}

/// One column per review: its date and a space.
const COL: usize = 11;
/// The outcome label keeps at least this much room.
const MIN_LABEL: usize = 14;

/// The rows `draw` needs for these conversations: none when nothing was reviewed, else
/// a header, a row per outcome and the borders, at most `max`.
pub fn height(conversations: &[Conversation], max: u16) -> u16 {
    let n = outcome_histories(conversations).len();
    if n == 0 {
        return 0;
    }
    let want = u16::try_from(n + 3).unwrap_or(u16::MAX);
    if max < 4 { 0 } else { want.min(max) }
}

fn ordered(conversations: &[Conversation], forms: &Forms, kind: PersonKind) -> Vec<OutcomeHistory> {
    let mut h = outcome_histories(conversations);
    if let Some(fw) = forms.framework_for(kind) {
        let pos = |id: &str| {
            fw.outcomes
                .iter()
                .position(|o| o.id == id)
                .unwrap_or(usize::MAX)
        };
        h.sort_by_key(|x| pos(&x.outcome));
    }
    h
}

/// The statuses at review: a header of review dates (the latest that fit), then a row
/// per outcome with its mark under each date (`·` where it was not reviewed).
pub fn draw(
    t: &Theme,
    forms: &Forms,
    kind: PersonKind,
    conversations: &[Conversation],
    f: &mut Frame,
    area: Rect,
) {
    if area.height < 4 {
        return;
    }
    let all = reviews(conversations);
    let inner_w = usize::from(area.width.saturating_sub(2));
    let cols = (inner_w.saturating_sub(MIN_LABEL) / COL).clamp(1, all.len().max(1));
    let shown = &all[all.len().saturating_sub(cols)..];
    let histories = ordered(conversations, forms, kind);
    let labels: Vec<String> = histories
        .iter()
        .map(|h| {
            let label = forms
                .framework_for(kind)
                .and_then(|fw| fw.outcome(&h.outcome))
                .map_or(h.outcome.as_str(), |o| o.label.as_str());
            crate::text::safe(label)
        })
        .collect();
    // The dates sit close to the labels rather than across the window.
    let longest = labels
        .iter()
        .map(|l| unicode_width::UnicodeWidthStr::width(l.as_str()))
        .max()
        .unwrap_or(0);
    let label_w = inner_w
        .saturating_sub(shown.len() * COL)
        .min((longest + 2).max(MIN_LABEL));
    let legend = if t.ascii {
        String::new()
    } else {
        "  ● met ◐ partly ○ not met – n/a".to_string()
    };
    let hidden = all.len() - shown.len();
    let title = if hidden > 0 {
        format!(
            " At reviews (latest {} of {}){legend} ",
            shown.len(),
            all.len()
        )
    } else {
        format!(" At reviews{legend} ")
    };
    let title = crate::wrap::ellipsize(&title, inner_w);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_set(t.border())
        .title(Span::styled(title, t.heading()));
    let pad = |s: &str, w: usize| {
        let s = crate::wrap::ellipsize(s, w);
        let used = unicode_width::UnicodeWidthStr::width(s.as_str());
        format!("{s}{}", " ".repeat(w.saturating_sub(used)))
    };
    let mut header = vec![Span::styled(pad("Outcome", label_w), t.dim())];
    header.extend(
        shown
            .iter()
            .map(|c| Span::styled(pad(&c.date.to_string(), COL), t.dim())),
    );
    let mut lines = vec![Line::from(header)];
    let room = usize::from(area.height.saturating_sub(3));
    let fits = if histories.len() > room {
        room.saturating_sub(1)
    } else {
        histories.len()
    };
    let none = if t.ascii { "-" } else { "·" };
    for (h, label) in histories.iter().zip(&labels).take(fits) {
        let mut spans = vec![Span::raw(pad(label, label_w.saturating_sub(1)))];
        spans.push(Span::raw(" "));
        for c in shown {
            match h.reviews.iter().find(|r| r.conversation == c.id) {
                Some(r) => spans.push(Span::styled(
                    pad(mark(t, &r.status), COL),
                    mark_style(t, &r.status),
                )),
                None => spans.push(Span::raw(pad(none, COL))),
            }
        }
        lines.push(Line::from(spans));
    }
    if fits < histories.len() {
        lines.push(Line::from(Span::styled(
            format!(
                "… {} more outcomes: read the reviews",
                histories.len() - fits
            ),
            t.dim(),
        )));
    }
    f.render_widget(Paragraph::new(lines).block(block), area);
}
