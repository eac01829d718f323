//! The `?` help: the keys of the present state, from the keymap table. When they do not
//! fit the window (60×18 has room for about a dozen) the help scrolls with ↑↓ PgUp
//! PgDn and says how much more there is; otherwise any key closes it.

use super::app::{Action, App};
use super::keymap;
use super::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

const CLOSE: &str = "Any key closes this help.";
const WIDTH: u16 = 64;

/// The lines inside the help box in a window `h` rows tall (title and footer rows and
/// the box's borders taken off).
fn room(h: u16) -> usize {
    usize::from(h.saturating_sub(4))
}

/// How far `n` key lines can scroll in `room` lines (one is kept for the marker).
fn max_scroll(n: usize, room: usize) -> usize {
    if n < room {
        0
    } else {
        n - room.saturating_sub(1)
    }
}

/// Whether the help is too long for the window, so it scrolls.
pub fn scrolls(app: &App) -> bool {
    max_scroll(keymap::help(app).len(), room(app.size.1)) > 0
}

/// The next scroll position if `a` scrolls a help that does not fit; `None` when the
/// key closes the help instead.
pub fn scrolled(app: &App, scroll: u16, a: &Action) -> Option<u16> {
    let room = room(app.size.1);
    let max = max_scroll(keymap::help(app).len(), room);
    if max == 0 {
        return None;
    }
    let page = room.saturating_sub(2).max(1);
    let s = usize::from(scroll);
    let next = match a {
        Action::Up => s.saturating_sub(1),
        Action::Down => s + 1,
        Action::PageUp => s.saturating_sub(page),
        Action::PageDown => s + page,
        Action::Top => 0,
        Action::Bottom => max,
        _ => return None,
    };
    Some(u16::try_from(next.min(max)).unwrap_or(u16::MAX))
}

/// The key lines fitted to `room` lines: when they fit, a blank line and how to close;
/// when not, a window from `scroll` and a last line saying what is above or below.
pub fn page(
    t: &Theme,
    mut keys: Vec<Line<'static>>,
    room: usize,
    scroll: usize,
) -> Vec<Line<'static>> {
    if keys.len() + 2 <= room {
        keys.extend([Line::from(""), Line::from(CLOSE)]);
        return keys;
    }
    if keys.len() < room {
        keys.push(Line::from(CLOSE));
        return keys;
    }
    let shown = room.saturating_sub(1);
    let scroll = scroll.min(max_scroll(keys.len(), room));
    let below = keys.len() - scroll - shown.min(keys.len() - scroll);
    let mut out: Vec<Line> = keys.into_iter().skip(scroll).take(shown).collect();
    let marker = if below > 0 {
        format!("{} {below} more: ↓ PgDn. Other keys close.", t.down_mark())
    } else {
        format!("{} ↑ PgUp for the start. Other keys close.", t.up_mark())
    };
    let marker = if t.ascii {
        marker.replace('↓', "Down").replace('↑', "Up")
    } else {
        marker
    };
    out.push(Line::from(Span::styled(
        marker,
        t.key().add_modifier(Modifier::REVERSED),
    )));
    out
}

pub fn draw(app: &App, f: &mut Frame, area: Rect) {
    let t = &app.theme;
    let w = WIDTH.min(area.width);
    let inner_w = usize::from(w.saturating_sub(2));
    let lines: Vec<Line> = keymap::help(app)
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
            // One line per key, cut with `…` rather than wrapped, so the count of
            // lines is the count of keys and the scrolling is exact.
            let text = crate::wrap::ellipsize(what, inner_w.saturating_sub(14));
            Line::from(vec![
                Span::styled(format!("{k:>12}  "), t.key()),
                Span::raw(text),
            ])
        })
        .collect();
    let room = usize::from(area.height.saturating_sub(2));
    let lines = page(t, lines, room, usize::from(app.help_scroll));
    let h = (lines.len() as u16 + 2).min(area.height);
    let r = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    };
    f.render_widget(Clear, r);
    f.render_widget(
        Paragraph::new(lines).block(
            Block::new()
                .borders(Borders::ALL)
                .border_set(t.border())
                .title(Span::styled(
                    format!(" Help: {} ", app.screen().name()),
                    t.heading(),
                )),
        ),
        r,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(n: usize) -> Vec<Line<'static>> {
        (0..n).map(|i| Line::from(format!("key {i}"))).collect()
    }

    fn text(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    const T: Theme = Theme {
        color: false,
        ascii: false,
    };

    #[test]
    fn help_that_fits_ends_with_a_blank_line_and_how_to_close() {
        let t = text(&page(&T, keys(3), 10, 0));
        assert_eq!(t.len(), 5);
        assert_eq!(t[3], "");
        assert_eq!(t[4], CLOSE);
    }

    #[test]
    fn help_one_line_short_drops_the_blank_line_not_the_closing_one() {
        let t = text(&page(&T, keys(9), 10, 0));
        assert_eq!(t.len(), 10);
        assert_eq!(t[9], CLOSE);
    }

    #[test]
    fn help_too_long_scrolls_and_says_how_much_is_below_then_above() {
        let t = text(&page(&T, keys(14), 10, 0));
        assert_eq!(t.len(), 10);
        assert_eq!(t[8], "key 8");
        assert!(t[9].contains("5 more"), "{}", t[9]);
        // Scrolled to the end: the last key shows and the marker points back up.
        let t = text(&page(&T, keys(14), 10, 99));
        assert_eq!(t.len(), 10);
        assert_eq!(t[0], "key 5");
        assert_eq!(t[8], "key 13");
        assert!(t[9].contains("PgUp"), "{}", t[9]);
        assert_eq!(max_scroll(14, 10), 5);
        assert_eq!(max_scroll(9, 10), 0);
    }
}
