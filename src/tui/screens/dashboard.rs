//! The dashboard as a screen: selectors and the outcome list change its own view of the
//! data it loaded when it opened; Esc leaves it (and the data with it).

use super::{Component, Ctx};
use crate::tui::app::Action;
use crate::tui::dashboard::{Dashboard, Part};
use crate::tui::effect::Effect;
use crate::tui::keymap::Context;
use crate::tui::widgets::{block, centred, pad};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

impl Component for Dashboard {
    fn update(&mut self, a: Action, ctx: &Ctx) -> Vec<Effect> {
        let rows = self.report.as_ref().map_or(0, |r| r.rows.len());
        if self.stories.is_some() {
            match a {
                Action::Up => self.story_scroll = self.story_scroll.saturating_sub(1),
                Action::Down => self.story_scroll = self.story_scroll.saturating_add(1),
                Action::PageUp => self.story_scroll = self.story_scroll.saturating_sub(10),
                Action::PageDown => self.story_scroll = self.story_scroll.saturating_add(10),
                Action::Back | Action::Enter => self.stories = None,
                _ => {}
            }
            return Vec::new();
        }
        // The data is lent out while the view is recomputed from it.
        let mut data = std::mem::take(&mut self.data);
        match a {
            Action::NextField => self.next_part(true),
            Action::PrevField => self.next_part(false),
            Action::Left | Action::Right if self.part != Part::Outcomes => {
                self.step(a == Action::Right, &mut data, ctx.forms, ctx.today)
            }
            Action::Up => {
                self.part = Part::Outcomes;
                self.selected = self.selected.saturating_sub(1);
            }
            Action::Down => {
                self.part = Part::Outcomes;
                self.selected = (self.selected + 1).min(rows.saturating_sub(1));
            }
            Action::PageUp => self.selected = self.selected.saturating_sub(10),
            Action::PageDown => self.selected = (self.selected + 10).min(rows.saturating_sub(1)),
            Action::Enter if self.part == Part::Outcomes => self.open_stories(&data, ctx.forms),
            Action::Enter => self.part = Part::Outcomes,
            Action::Back => {
                self.data = data;
                return vec![Effect::Leave];
            }
            Action::Quit => {
                self.data = data;
                return vec![Effect::Quit];
            }
            _ => {}
        }
        self.data = data;
        Vec::new()
    }

    fn contexts(&self) -> Vec<Context> {
        if self.stories.is_some() {
            vec![Context::Stories]
        } else {
            vec![Context::Dashboard]
        }
    }

    fn draw(&self, ctx: &Ctx, f: &mut Frame, area: Rect) {
        draw(ctx, self, f, area);
    }
}

fn draw(ctx: &Ctx, d: &Dashboard, f: &mut Frame, area: Rect) {
    use crate::rollup::Cell;
    let t = ctx.theme;
    // The focused selector is marked in text as well as style: `<2025-26>`.
    let sel = |part: Part, text: String| {
        if d.part == part {
            Span::styled(format!("<{text}>"), t.focus())
        } else {
            Span::styled(format!("[{text}]"), t.heading())
        }
    };
    let unit = d
        .units
        .get(d.unit)
        .cloned()
        .unwrap_or_else(|| "none".into());
    let period = d.periods.get(d.period).map_or("none".into(), |p| p.label());
    // The unit's name gives way (ending in …) so the period always shows.
    let fixed = "Level [] Unit [] Period []".width() + d.level.as_str().width() + period.width();
    let unit_w = (area.width as usize).saturating_sub(fixed).clamp(4, 24);
    let selectors = Line::from(vec![
        Span::raw("Level "),
        sel(Part::Level, d.level.as_str().to_string()),
        Span::raw(" Unit "),
        sel(Part::Unit, crate::wrap::ellipsize(&unit, unit_w)),
        Span::raw(" Period "),
        sel(Part::Period, period),
    ]);
    let [top, summary, table, legend, note] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(2),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    // The cursor sits on the focused selector.
    let mut x = top.x;
    for sp in &selectors.spans {
        if sp.content.starts_with('<') {
            f.set_cursor_position(Position::new(x.min(top.right().saturating_sub(1)), top.y));
        }
        x = x.saturating_add(sp.content.width() as u16);
    }
    f.render_widget(Paragraph::new(selectors), top);
    let (Some(r), Some(p)) = (&d.report, &d.published) else {
        let msg = d.error.clone().unwrap_or_default();
        f.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }), table);
        return;
    };
    // True numbers for the team; a `*` marks what a published report would suppress.
    let mark = |v: u64, c: &Cell| {
        if c.is_suppressed() {
            format!("{v}*")
        } else {
            v.to_string()
        }
    };
    let on_time = r
        .plans_on_time_pct()
        .map_or(String::new(), |x| format!(" ({x:.1}%)"));
    // What gets in the way most, across the unit's outcomes (true counts, for the team).
    let mut barriers: Vec<(String, u64)> = Vec::new();
    for row in &r.rows {
        for (id, n) in &row.barriers {
            match barriers.iter_mut().find(|b| &b.0 == id) {
                Some(b) => b.1 += n,
                None => barriers.push((id.clone(), *n)),
            }
        }
    }
    barriers.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let top: Vec<String> = barriers
        .iter()
        .filter(|b| b.1 > 0)
        .take(3)
        .map(|(id, n)| {
            format!(
                "{} {n}",
                ctx.forms.vocab.label(crate::forms::Vocab::Barriers, id)
            )
        })
        .collect();
    let top = if top.is_empty() {
        "none recorded".to_string()
    } else {
        top.join(", ")
    };
    // In a narrow window the figures are said shortly rather than cut; whatever still
    // does not fit ends in `…`.
    let w = summary.width as usize;
    let people = crate::text::plural(r.people as usize, "person", "people");
    let (o, a, b) = (r.overdue_reviews, r.plans_reviewed_on_time, r.plans_due);
    let mut figures =
        format!("{people}. Overdue reviews: {o}. Plans reviewed on time: {a} of {b}{on_time}.");
    if figures.width() > w {
        figures = format!("{people}; overdue {o}; plans on time {a} of {b}{on_time}");
    }
    f.render_widget(
        Paragraph::new(vec![
            Line::from(crate::wrap::ellipsize(&figures, w)),
            Line::from(crate::wrap::ellipsize(&format!("Top barriers: {top}"), w)),
        ]),
        summary,
    );
    // One header line, then a row per outcome: the numbers first get the room they
    // need (a percentage is never cut), the bar and the label share what is left.
    let inner_h = table.height.saturating_sub(3) as usize;
    let offset = d.selected.saturating_sub(inner_h.saturating_sub(1));
    let inner_w = table.width.saturating_sub(2) as usize;
    const NUMS: usize = 5 * 6 + 7;
    let rest = inner_w.saturating_sub(NUMS + 1);
    let bar_w: usize = if rest >= 36 {
        12
    } else if rest >= 24 {
        8
    } else {
        0
    };
    let label_w = rest.saturating_sub(bar_w + usize::from(bar_w > 0));
    let (full, part, none) = if t.ascii {
        ("#", "+", "-")
    } else {
        ("█", "▒", "░")
    };
    let national = d.level == crate::rollup::Level::National;
    let mut lines: Vec<Line> = vec![Line::from(Span::styled(
        format!(
            " {:<lw$}{:bw$} {:>5} {:>5} {:>5} {:>5} {:>5} {:>6}",
            "Outcome",
            "",
            "plan",
            "revw",
            "met",
            "part",
            "not",
            "met%",
            lw = label_w,
            bw = bar_w + usize::from(bar_w > 0),
        ),
        t.dim(),
    ))];
    lines.extend(
        r.rows
            .iter()
            .zip(&p.rows)
            .enumerate()
            .skip(offset)
            .take(inner_h)
            .map(|(i, (row, pub_row))| {
                let c = &row.counts;
                let total = c.met + c.partly_met + c.not_met;
                let cells = |v: u64| {
                    if total == 0 {
                        0
                    } else {
                        ((v * bar_w as u64) as f64 / total as f64).round() as usize
                    }
                };
                let (m, pm) = (
                    cells(c.met),
                    cells(c.partly_met).min(bar_w - bar_w.min(cells(c.met))),
                );
                let nm = if total == 0 {
                    0
                } else {
                    bar_w.saturating_sub(m + pm)
                };
                let bar = if bar_w == 0 {
                    String::new()
                } else {
                    format!(
                        "{}{}{}{} ",
                        full.repeat(m),
                        part.repeat(pm),
                        none.repeat(nm),
                        " ".repeat(bar_w.saturating_sub(m + pm + nm))
                    )
                };
                let pct = match c.met_pct() {
                    None => "-".to_string(),
                    Some(x) if pub_row.met_pct.is_suppressed() => format!("{x:.1}%*"),
                    Some(x) => format!("{x:.1}%"),
                };
                let label = if national {
                    format!("{}. {}", row.outcome_id, row.label)
                } else {
                    row.label.clone()
                };
                let text = format!(
                    "{}{} {bar}{:>5} {:>5} {:>5} {:>5} {:>5} {:>6}",
                    if i == d.selected { t.arrow() } else { " " },
                    pad(&crate::wrap::ellipsize_middle(&label, label_w), label_w),
                    mark(c.people_planned, &pub_row.people_planned),
                    mark(c.reviewed, &pub_row.reviewed),
                    mark(c.met, &pub_row.met),
                    mark(c.partly_met, &pub_row.partly_met),
                    mark(c.not_met, &pub_row.not_met),
                    pct,
                );
                let l = Line::from(text);
                if i == d.selected && d.part == Part::Outcomes {
                    l.style(t.focus())
                } else {
                    l
                }
            }),
    );
    let title = if d.level == crate::rollup::Level::National {
        "National outcomes"
    } else {
        "Outcomes"
    };
    f.render_widget(Paragraph::new(lines).block(block(t, title)), table);
    // The dashboard shows the team true counts: say so, and what a `*` means, in words
    // that fit the window rather than being cut.
    let wide = format!(
        "{full} met {part} partly {none} not met   Internal: true counts; n* = hidden when published"
    );
    let legend_text = if wide.width() <= legend.width as usize {
        wide
    } else {
        format!("{full} met {part} partly {none} not met · internal; n* hidden if published")
    };
    f.render_widget(Paragraph::new(Span::styled(legend_text, t.dim())), legend);
    let note_text = crate::wrap::ellipsize(
        if d.marks_pending {
            "Still working out what else a published report would hide; small counts marked."
        } else {
            "Counts are person-outcomes (once per person per outcome)."
        },
        note.width as usize,
    );
    f.render_widget(Paragraph::new(Span::styled(note_text, t.dim())), note);
    if let Some((label, stories)) = &d.stories {
        let mut text: Vec<Line> = Vec::new();
        if stories.is_empty() {
            text.push(Line::from("No reviews of this outcome in the period."));
        }
        for s in stories {
            text.push(Line::from(vec![
                Span::styled(format!("Person {} ", s.key), t.heading()),
                Span::raw(format!("{}  {}", s.date, s.status)),
            ]));
            text.push(Line::from(format!("  About: {}", s.outcome)));
            for (what, words) in [
                ("In their words", &s.own_words),
                ("What helped", &s.helped),
                ("What got in the way", &s.hindered),
            ] {
                if !words.is_empty() {
                    text.push(Line::from(format!(
                        "  {what}: {}",
                        crate::text::safe(words)
                    )));
                }
            }
        }
        let r = centred(
            area,
            area.width.saturating_sub(4),
            area.height.saturating_sub(2),
        );
        f.render_widget(Clear, r);
        f.render_widget(
            Paragraph::new(text)
                .wrap(Wrap { trim: false })
                .scroll((d.story_scroll, 0))
                .block(block(t, &format!("Stories: {} ({})", label, stories.len()))),
            r,
        );
    }
}
