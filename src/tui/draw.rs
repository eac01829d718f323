//! Drawing: a pure function of the state. The shell draws the title, the footer, help
//! and a question; each screen draws its own body. Nothing here changes the app or
//! reads the store; every size, down to 1×1, draws without panicking.

use super::app::{App, Screen};
use super::keymap;
use super::screens::{Component, prompt, view};

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

pub const MIN_W: u16 = 60;
pub const MIN_H: u16 = 18;

/// Draws the app; nothing in a name or a word can steer the terminal.
pub fn draw(app: &App, f: &mut Frame) {
    draw_screen(app, f);
    super::safe::scrub(f.buffer_mut());
    if app.theme.ascii {
        super::theme::ascii_marks(f.buffer_mut());
    }
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
    let [top, body, foot] = super::screens::rows_of(area);
    let t = &app.theme;
    let screen = app.screen();
    let unsaved = app
        .editor()
        .is_some_and(|e| e.dirty)
        .then(|| Span::styled("  [unsaved]", t.warn()));
    let name = if app.help {
        "Help".to_string()
    } else {
        // A long name gives way to its short form, so the unsaved mark always shows.
        let room = usize::from(top.width)
            .saturating_sub(" talking-points ".width() + 3)
            .saturating_sub(unsaved.as_ref().map_or(0, |s| s.width()));
        let full = screen.name();
        if full.width() <= room {
            full
        } else {
            crate::wrap::ellipsize(&screen.short_name(), room)
        }
    };
    let mut title = vec![
        Span::styled(" talking-points ", t.title()),
        Span::styled(format!("{} {name} ", t.arrow()), t.heading()),
    ];
    if app.demo {
        // Said on every screen, so nobody types real words into a store that goes.
        title.push(Span::styled("[demo: deleted on quit] ", t.warn()));
    }
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

    let ctx = app.ctx();
    match screen {
        Screen::Caseload => app.caseload.draw(&ctx, f, body),
        Screen::View {
            person,
            conversation,
            scroll,
            history,
        } => view::draw(
            &ctx,
            person,
            *conversation,
            *scroll,
            history.as_deref(),
            f,
            body,
        ),
        s => {
            if let Some(c) = s.component() {
                c.draw(&ctx, f, body);
            }
        }
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
        super::help::draw(app, f, body);
    }
    if let Some(p) = &app.prompt {
        prompt::draw(t, p, f, body);
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
