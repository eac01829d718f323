//! Drawing: a pure function of the state. Nothing here changes the app or reads the
//! store; every size, down to 1×1, draws without panicking.

use super::app::{App, PersonView, Prompt, Screen};
use super::editor::{Editor, Entry, FieldKind, Focus};
use super::field::Input;
use super::keymap;
use super::theme::Theme;
use crate::domain::{Conversation, Stage};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Row, Table, Wrap};
use unicode_width::UnicodeWidthStr;

pub const MIN_W: u16 = 60;
pub const MIN_H: u16 = 18;

/// Draws the app; nothing in a name or a word can steer the terminal.
pub fn draw(app: &App, f: &mut Frame) {
    draw_screen(app, f);
    super::safe::scrub(f.buffer_mut());
}

fn draw_screen(app: &App, f: &mut Frame) {
    let area = f.area();
    if area.width < MIN_W || area.height < MIN_H {
        let msg = format!(
            "Window too small: {MIN_W}x{MIN_H} needed, now {}x{}",
            area.width, area.height
        );
        f.render_widget(
            Paragraph::new(msg),
            Rect {
                height: area.height.min(1),
                ..area
            },
        );
        return;
    }
    let [top, body, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let t = &app.theme;
    let screen = app.screen();
    let name = if app.help { "Help" } else { screen.name() };
    let mut title = vec![
        Span::styled(" talking-points ", t.title()),
        Span::styled(format!("{} {name} ", t.arrow()), t.heading()),
    ];
    let unsaved = app
        .editor()
        .is_some_and(|e| e.dirty)
        .then(|| Span::styled("  [unsaved]", t.warn()));
    if let Some(who) = person_name(screen) {
        // The name gives way (ending in …) so the unsaved mark always shows.
        let used: usize = title
            .iter()
            .chain(unsaved.as_ref())
            .map(|s| s.width())
            .sum();
        let room = usize::from(top.width).saturating_sub(used);
        let who = crate::wrap::ellipsize(&format!("{} {who}", t.dash()), room);
        title.push(Span::raw(who));
    }
    title.extend(unsaved);
    f.render_widget(Paragraph::new(Line::from(title)), top);

    match screen {
        Screen::Caseload => caseload(app, f, body),
        Screen::Person(v) => person(app, v, f, body),
        Screen::View {
            person,
            conversation,
            scroll,
            history,
        } => view(
            app,
            person,
            *conversation,
            *scroll,
            history.as_deref(),
            f,
            body,
        ),
        Screen::Editor(e) => editor(app, e, f, body),
        Screen::AddPerson(a) => add_person(app, a, f, body),
        Screen::Dashboard(d) => dashboard(app, d, f, body),
    }

    let footer = if !app.status.is_empty() {
        let style = if app.status.starts_with("Saved") || app.status.starts_with("Added") {
            t.ok().add_modifier(Modifier::BOLD)
        } else {
            t.warn()
        };
        Line::from(Span::styled(app.status.clone(), style))
    } else {
        hints(app)
    };
    f.render_widget(Paragraph::new(footer), foot);

    if app.help {
        help(app, f, body);
    }
    if let Some(p) = &app.prompt {
        prompt(t, p, f, body);
    }
}

fn person_name(s: &Screen) -> Option<&str> {
    match s {
        Screen::Person(v) | Screen::View { person: v, .. } => Some(&v.person.name),
        Screen::Editor(e) => Some(&e.person.name),
        _ => None,
    }
}

fn hints(app: &App) -> Line<'static> {
    let t = &app.theme;
    let keys = keymap::hints(app);
    let mut spans = Vec::new();
    let mut used = 0;
    for (k, what) in keys {
        // Only whole hints: one that does not fit is left for `?` help.
        let w = k.width() + what.width() + 3;
        if used + w > app.size.0 as usize + 2 {
            break;
        }
        used += w;
        let k = if t.ascii {
            k.replace('↑', "Up")
                .replace('↓', "Dn")
                .replace('←', "<")
                .replace('→', ">")
        } else {
            k.to_string()
        };
        spans.push(Span::styled(k, t.key()));
        spans.push(Span::raw(format!(" {what}  ")));
    }
    Line::from(spans)
}

fn block<'a>(t: &Theme, title: &'a str) -> Block<'a> {
    Block::new()
        .borders(Borders::ALL)
        .border_set(t.border())
        .title(Span::styled(format!(" {title} "), t.heading()))
}

fn caseload(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let rows = app.visible_rows();
    let [filter_area, table_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(area);
    let filter = if app.filtering || !app.filter.is_empty() {
        Line::from(vec![
            Span::styled("Filter: ", t.heading()),
            Span::raw(app.filter.clone()),
            Span::raw(format!(
                "   {} of {} people",
                rows.len(),
                app.people_total()
            )),
        ])
    } else {
        Line::from(format!("{} people. Type / to filter.", app.people_total()))
    };
    f.render_widget(Paragraph::new(filter), filter_area);
    if app.filtering {
        let x = filter_area.x + 8 + app.filter.width() as u16;
        f.set_cursor_position(Position::new(
            x.min(filter_area.right().saturating_sub(1)),
            filter_area.y,
        ));
    }
    let wide = area.width >= 76;
    let height = table_area.height.saturating_sub(3) as usize;
    let selected = app.selected.min(rows.len().saturating_sub(1));
    let offset = selected.saturating_sub(height.saturating_sub(1));
    let body: Vec<Row> = rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(height.max(1))
        .map(|(i, r)| {
            let due = match r.review_due {
                Some(d) if r.overdue(app.today) => {
                    Span::styled(format!("OVERDUE {d}"), t.overdue())
                }
                Some(d) => Span::raw(d.to_string()),
                None => Span::raw(""),
            };
            let last = r
                .last
                .map(|d| d.to_string())
                .unwrap_or_else(|| "none yet".into());
            let mut cells = vec![
                Line::from(format!(
                    "{} {}",
                    if i == selected { t.arrow() } else { " " },
                    r.name
                )),
                Line::from(r.kind.as_str()),
            ];
            if wide {
                cells.push(Line::from(r.service.clone()));
            }
            cells.push(Line::from(last));
            cells.push(Line::from(due));
            let row = Row::new(cells);
            if i == selected {
                row.style(t.focus())
            } else {
                row
            }
        })
        .collect();
    let mut widths = vec![Constraint::Fill(1), Constraint::Length(5)];
    let mut header = vec!["  Name", "Kind"];
    if wide {
        widths.push(Constraint::Length(18));
        header.push("Service");
    }
    widths.extend([Constraint::Length(10), Constraint::Length(18)]);
    header.extend(["Last", "Next review"]);
    let table = Table::new(body, widths)
        .header(Row::new(header).style(t.heading()))
        .column_spacing(1)
        .block(block(t, "Caseload"));
    f.render_widget(table, table_area);
    if rows.is_empty() {
        let msg = if app.rows.is_empty() {
            "No people yet. Press a to add one."
        } else {
            "Nobody matches the filter. Esc clears it."
        };
        let inner = Rect {
            x: table_area.x + 2,
            y: table_area.y + 2,
            width: table_area.width.saturating_sub(4),
            height: 1,
        };
        f.render_widget(Paragraph::new(msg), inner.intersection(table_area));
    }
}

fn person(app: &App, v: &PersonView, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let mut details = vec![
        Line::from(vec![
            Span::styled(v.person.name.clone(), t.heading()),
            Span::raw(format!("  {}", v.person.kind)),
        ]),
        Line::from(format!("Service: {}", v.service)),
    ];
    let mut extra = Vec::new();
    if let Some(d) = v.person.dob {
        extra.push(format!("Born: {d}"));
    }
    if let Some(c) = &v.cares_for {
        extra.push(format!("Cares for: {c}"));
    }
    if let Some(due) = super::caseload::review_due(&v.conversations, app.today) {
        if due < app.today {
            extra.push(format!("Review OVERDUE since {due}"));
        } else {
            extra.push(format!("Review due {due}"));
        }
    }
    details.push(Line::from(extra.join("   ")));
    let [top, list] = Layout::vertical([Constraint::Length(5), Constraint::Min(1)]).areas(area);
    f.render_widget(Paragraph::new(details).block(block(t, "Person")), top);
    let height = list.height.saturating_sub(2) as usize;
    let sel = v.selected.min(v.conversations.len().saturating_sub(1));
    let offset = sel.saturating_sub(height.saturating_sub(1));
    let mut lines: Vec<Line> = v
        .conversations
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(i, c)| {
            let stage = match c.stage() {
                Stage::Assessment => "Assessment",
                Stage::Planning => "Plan",
                Stage::Review => "Review",
            };
            let n = c.outcome_ids().len();
            let l = Line::from(format!(
                "{} {}  {:<10}  {} outcome{}  {}{}",
                if i == sel { t.arrow() } else { " " },
                c.date,
                stage,
                n,
                if n == 1 { "" } else { "s" },
                c.practitioner,
                if c.counts() { "" } else { "  WITHDRAWN" }
            ));
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

fn view(
    app: &App,
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
                text.push_str(&crate::show::conversation_text(r, &app.forms));
                text.push('\n');
            }
        }
        None => text.push_str(&crate::show::conversation_text(c, &app.forms)),
    }
    let title = format!(
        "Conversation {} of {} (read only)",
        i + 1,
        v.conversations.len()
    );
    let p = Paragraph::new(crate::text::safe(&text))
        .wrap(Wrap { trim: false })
        .scroll((scroll, 0))
        .block(block(&app.theme, &title));
    f.render_widget(p, area);
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

/// Cuts `s` to at most `w` columns without splitting a character.
pub fn clip(s: &str, w: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for ch in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
        if used + cw > w {
            break;
        }
        used += cw;
        out.push(ch);
    }
    out
}

fn editor(app: &App, ed: &Editor, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    // The list widens with the terminal, up to what the longest labels need.
    let list_w = (area.width * 2 / 5).clamp(22, 44);
    let [left, right] =
        Layout::horizontal([Constraint::Length(list_w), Constraint::Min(1)]).areas(area);
    // The outcome list, with category headings.
    let inner_w = list_w.saturating_sub(2);
    let mut lines: Vec<Line> = Vec::new();
    let mut sel_line = 0;
    let mut last_cat = String::new();
    for (i, e) in ed.entries.iter().enumerate() {
        if !e.category.is_empty() && e.category != last_cat {
            lines.push(Line::from(Span::styled(
                clip(&e.category, inner_w as usize),
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
    // What goes above the fields: earlier words first (in a review they are what the
    // person is asked about), then the prompts. It scrolls with PgDn/PgUp and says so
    // when there is more, so nothing the person said is hidden for good.
    let ww = w as usize;
    let mut intro: Vec<Line> = Vec::new();
    for (label, words) in &e.context {
        let text = format!("{label}: {}", crate::text::safe(words));
        for (k, l) in crate::wrap::wrap(&text, ww).into_iter().enumerate() {
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
        for l in crate::wrap::wrap(&format!("{} {p}", t.bullet()), ww) {
            intro.push(Line::from(Span::styled(
                l,
                t.dim().add_modifier(Modifier::ITALIC),
            )));
        }
    }
    let has_context = !e.context.is_empty();
    // Earlier words may take half the pane; prompts alone a third.
    let share = if has_context { 2 } else { 3 };
    let room = (inner.height as usize / share).max(1);
    let total = intro.len();
    let intro_h = total.min(room) as u16;
    let fields_area = Rect {
        y: inner.y + intro_h,
        height: inner.height.saturating_sub(intro_h),
        ..inner
    };
    if intro_h > 0 {
        let max_scroll = total.saturating_sub(room);
        let scroll = (ed.context_scroll as usize).min(max_scroll);
        let mut shown: Vec<Line> = intro.into_iter().skip(scroll).take(room).collect();
        if total > room {
            let below = total - scroll - shown.len();
            let marker = if below > 0 {
                format!("{} {below} more lines: PgDn", t.down_mark())
            } else {
                format!("{} PgUp for the start", t.up_mark())
            };
            if let Some(last) = shown.last_mut() {
                *last = Line::from(Span::styled(
                    crate::wrap::ellipsize(&marker, ww),
                    t.key().add_modifier(Modifier::REVERSED),
                ));
            }
        }
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
        .map(|fl| 1 + input_height(&fl.input, w, app.theme))
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

fn input_height(i: &Input, w: u16, t: Theme) -> u16 {
    let w = w.max(2) as usize;
    let h = match i {
        Input::Text(ta) => ta
            .lines()
            .iter()
            .map(|l| (l.width() + 1).div_ceil(w).max(1))
            .sum::<usize>()
            .clamp(2, 6),
        Input::Line(_) | Input::Toggle(_) => 1,
        Input::Choice { options, .. } | Input::Tags { options, .. } => {
            let _ = t;
            item_rows(options, w).len().max(1)
        }
    };
    h as u16
}

fn draw_input(t: &Theme, i: &Input, focused: bool, f: &mut Frame, r: Rect) {
    match i {
        Input::Text(ta) | Input::Line(ta) => {
            f.render_widget(ta, r);
            if focused {
                let sc = ta.screen_cursor();
                let (top, left) = ta.scroll_offset();
                let x = r.x as usize + sc.col.saturating_sub(left as usize);
                let y = r.y as usize + sc.row.saturating_sub(top as usize);
                let x = (x as u16).min(r.right().saturating_sub(1));
                let y = (y as u16).min(r.bottom().saturating_sub(1));
                f.set_cursor_position(Position::new(x, y));
            } else if ta.is_empty() {
                f.render_widget(Clear, r);
                f.render_widget(Paragraph::new(Span::styled("(empty)", t.dim())), r);
            } else {
                // A field left shows its beginning, wrapped at words, cut with `…`.
                let w = r.width as usize;
                let text = ta.lines().join("\n");
                let lines = crate::wrap::first_lines(
                    crate::wrap::wrap(&crate::text::safe(&text), w),
                    r.height as usize,
                    w,
                );
                f.render_widget(Clear, r);
                f.render_widget(
                    Paragraph::new(lines.into_iter().map(Line::from).collect::<Vec<_>>()),
                    r,
                );
            }
        }
        Input::Toggle(b) => {
            let s = format!("{} {}", t.check(*b), if *b { "yes" } else { "no" });
            let st = if focused { t.focus() } else { Style::new() };
            f.render_widget(Paragraph::new(Span::styled(s, st)), r);
        }
        Input::Choice { options, selected } => {
            let style = |k: usize| {
                let on = *selected == Some(k);
                if on && focused {
                    t.focus()
                } else if on {
                    t.heading()
                } else {
                    Style::new()
                }
            };
            let items: Vec<String> = options
                .iter()
                .enumerate()
                .map(|(k, o)| format!("{} {}", t.radio(*selected == Some(k)), o.1))
                .collect();
            draw_items(&items, style, f, r);
        }
        Input::Tags {
            options,
            on,
            cursor,
        } => {
            let style = |k: usize| {
                let is_on = on.get(k).copied().unwrap_or(false);
                if focused && k == *cursor {
                    t.focus()
                } else if is_on {
                    t.heading()
                } else {
                    Style::new()
                }
            };
            let items: Vec<String> = options
                .iter()
                .enumerate()
                .map(|(k, o)| format!("{} {}", t.check(on.get(k).copied().unwrap_or(false)), o.1))
                .collect();
            draw_items(&items, style, f, r);
        }
    }
}

/// The rows of a choice or tags field: items never split inside their brackets.
fn item_rows(options: &[(String, String)], w: usize) -> Vec<Vec<usize>> {
    let widths: Vec<usize> = options.iter().map(|o| o.1.width() + 4).collect();
    crate::wrap::pack(&widths, w, 2)
}

/// Draws packed items, keeping the row with the focused or chosen item in view.
fn draw_items(items: &[String], style: impl Fn(usize) -> Style, f: &mut Frame, r: Rect) {
    let w = r.width as usize;
    let widths: Vec<usize> = items.iter().map(|i| i.width()).collect();
    let rows = crate::wrap::pack(&widths, w, 2);
    let lines: Vec<Line> = rows
        .iter()
        .map(|row| {
            let mut spans = Vec::new();
            for (n, &k) in row.iter().enumerate() {
                if n > 0 {
                    spans.push(Span::raw("  "));
                }
                spans.push(Span::styled(crate::wrap::ellipsize(&items[k], w), style(k)));
            }
            Line::from(spans)
        })
        .collect();
    f.render_widget(Paragraph::new(lines), r);
}

fn add_person(app: &App, a: &super::app::AddPerson, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let b = block(t, "Add a person");
    let inner = b.inner(area);
    f.render_widget(b, area);
    let w = inner.width.max(1);
    let mut y = inner.y;
    for (i, (label, input)) in a.fields.iter().enumerate() {
        if y + 1 >= inner.bottom() {
            break;
        }
        let focused = a.focus == i;
        let style = if focused { t.focus() } else { t.heading() };
        f.render_widget(
            Paragraph::new(Span::styled(format!("{label}:"), style)),
            Rect {
                x: inner.x,
                y,
                width: w,
                height: 1,
            },
        );
        y += 1;
        let h = input_height(input, w, *t)
            .min(3)
            .min(inner.bottom().saturating_sub(y));
        draw_input(
            t,
            input,
            focused,
            f,
            Rect {
                x: inner.x,
                y,
                width: w,
                height: h,
            },
        );
        y += h + 1;
    }
}

/// `s` padded with spaces to `w` columns (by display width).
fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(s.width())))
}

fn centred(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

fn help(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let keys = keymap::help(app);
    let lines: Vec<Line> = keys
        .iter()
        .map(|(k, what)| {
            let k = if t.ascii {
                k.replace('↑', "Up ")
                    .replace('↓', "Down")
                    .replace('←', "Left")
                    .replace('→', " Right")
            } else {
                k.to_string()
            };
            Line::from(vec![
                Span::styled(format!("{k:>12}  "), t.key()),
                Span::raw(*what),
            ])
        })
        .collect();
    let lines = with_closing_line(lines, usize::from(area.height.saturating_sub(2)));
    let r = centred(area, 64, lines.len() as u16 + 2);
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block(t, &format!("Help: {}", app.screen().name()))),
        r,
    );
}

/// The help's key lines and its closing line, fitted to `room` lines: the blank line
/// goes first, then keys that do not fit are counted on the last line, never dropped
/// silently.
fn with_closing_line(mut keys: Vec<Line<'static>>, room: usize) -> Vec<Line<'static>> {
    const CLOSE: &str = "Any key closes this help.";
    if keys.len() + 2 <= room {
        keys.extend([Line::from(""), Line::from(CLOSE)]);
    } else if keys.len() < room {
        keys.push(Line::from(CLOSE));
    } else {
        let shown = room.saturating_sub(1);
        let more = keys.len() - shown;
        keys.truncate(shown);
        keys.push(Line::from(format!(
            "… {more} more in a taller window. Any key closes this help."
        )));
    }
    keys
}

/// The last `n` characters of `s`: the end of a typed answer, where the cursor is.
fn tail(s: &str, n: usize) -> String {
    let skip = s.chars().count().saturating_sub(n);
    s.chars().skip(skip).collect()
}

fn prompt(t: &Theme, p: &Prompt, f: &mut Frame, area: Rect) {
    let text = match p {
        Prompt::LeaveEditor => "These words are not saved yet.\n\ns  save them and leave\nd  discard them and leave\nEsc  stay and keep writing".to_string(),
        Prompt::Quit => "These words are not saved yet.\n\ns  save them and quit\nd  discard them and quit\nEsc  stay and keep writing".to_string(),
        Prompt::Withdraw { reason, .. } => format!(
            "Withdraw this conversation as recorded in error? It will count nowhere and this cannot be undone; it and its history are kept.\n\nReason: {}_\n\nEnter  withdraw   Esc  cancel",
            crate::text::safe(&tail(reason, 40))
        ),
        Prompt::Recover(d) => format!(
            "A {} that was not saved was kept as a draft ({}).\n\nEnter  continue it\nd  discard it",
            match d.stage { Stage::Assessment => "assessment", Stage::Planning => "plan", Stage::Review => "review" },
            d.saved_at
        ),
    };
    // The box is as tall as the text once wrapped, so no answer is cut off.
    let height: usize = text
        .lines()
        .map(|l| crate::wrap::wrap(l, 54).len().max(1))
        .sum();
    let text = Text::from(text);
    let r = centred(area, 56, height as u16 + 2);
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: false })
            .block(block(t, "Question")),
        r,
    );
}

fn dashboard(app: &App, d: &super::dashboard::Dashboard, f: &mut Frame, area: Rect) {
    use super::dashboard::Part;
    use crate::rollup::Cell;
    let t = &app.theme;
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
    let selectors = Line::from(vec![
        Span::raw("Level "),
        sel(Part::Level, d.level.as_str().to_string()),
        Span::raw(" Unit "),
        sel(Part::Unit, clip(&unit, 24)),
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
                app.forms.vocab.label(crate::forms::Vocab::Barriers, id)
            )
        })
        .collect();
    let top = if top.is_empty() {
        "none recorded".to_string()
    } else {
        top.join(", ")
    };
    f.render_widget(
        Paragraph::new(vec![
            Line::from(format!(
                "{}. Overdue reviews: {}. Plans reviewed on time: {} of {}{on_time}.",
                if r.people == 1 {
                    "1 person".to_string()
                } else {
                    format!("{} people", r.people)
                },
                r.overdue_reviews,
                r.plans_reviewed_on_time,
                r.plans_due
            )),
            Line::from(format!("Top barriers: {top}")),
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

#[cfg(test)]
mod help_fit_tests {
    use super::*;

    fn keys(n: usize) -> Vec<Line<'static>> {
        (0..n).map(|i| Line::from(format!("key {i}"))).collect()
    }

    fn text(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn help_that_fits_ends_with_a_blank_line_and_how_to_close() {
        let t = text(&with_closing_line(keys(3), 10));
        assert_eq!(t.len(), 5);
        assert_eq!(t[3], "");
        assert_eq!(t[4], "Any key closes this help.");
    }

    #[test]
    fn help_one_line_short_drops_the_blank_line_not_the_closing_one() {
        let t = text(&with_closing_line(keys(9), 10));
        assert_eq!(t.len(), 10);
        assert_eq!(t[9], "Any key closes this help.");
    }

    #[test]
    fn help_too_long_counts_the_keys_it_cannot_show() {
        let t = text(&with_closing_line(keys(14), 10));
        assert_eq!(t.len(), 10);
        assert_eq!(t[8], "key 8");
        assert_eq!(
            t[9],
            "… 5 more in a taller window. Any key closes this help."
        );
    }
}
