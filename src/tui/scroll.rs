//! Lines in a pane too short for them: the last row says how many more there are and
//! which keys show them, and the last line still shows at the end, so nothing is hidden
//! without a word. The conversation view and the editor's earlier words scroll by it.

use super::theme::Theme;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};

/// Rows of lines shown when they overflow `room`: one row is the marker.
fn shown(room: usize) -> usize {
    room.saturating_sub(1).max(1)
}

/// How far `total` lines scroll in `room` rows.
pub fn max_scroll(total: usize, room: usize) -> usize {
    if total <= room {
        0
    } else {
        total - shown(room)
    }
}

/// `scroll` moved by `by` lines (negative is up), kept between the start and the end.
pub fn moved(scroll: u16, by: isize, total: usize, room: usize) -> u16 {
    let next = (scroll as isize).saturating_add(by).max(0) as usize;
    u16::try_from(next.min(max_scroll(total, room))).unwrap_or(u16::MAX)
}

/// What `lines` show from `scroll` in `room` rows of `width` columns. When they
/// overflow, the last row says how many lines are below and `down` (the keys that
/// show them), or at the end `up` for the start.
pub fn window<'a>(
    t: &Theme,
    lines: Vec<Line<'a>>,
    room: usize,
    scroll: usize,
    width: usize,
    down: &str,
    up: &str,
) -> Vec<Line<'a>> {
    let total = lines.len();
    if total <= room {
        return lines;
    }
    let rows = shown(room);
    let scroll = scroll.min(max_scroll(total, room));
    let below = total - scroll - rows;
    let mut out: Vec<Line> = lines.into_iter().skip(scroll).take(rows).collect();
    if room < 2 {
        return out;
    }
    let marker = if below > 0 {
        let more = crate::text::plural(below, "more line", "more lines");
        format!("{} {more}: {down}", t.down_mark())
    } else {
        format!("{} {up} for the start", t.up_mark())
    };
    let marker = if t.ascii {
        marker.replace('↓', "Down").replace('↑', "Up")
    } else {
        marker
    };
    out.push(Line::from(Span::styled(
        crate::wrap::ellipsize(&marker, width),
        t.key().add_modifier(Modifier::REVERSED),
    )));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    fn numbered(n: usize) -> Vec<Line<'static>> {
        (1..=n).map(|i| Line::from(format!("line {i}"))).collect()
    }

    #[test]
    fn every_line_can_be_reached_and_the_marker_counts_what_is_below() {
        let t = Theme::new(false, false);
        let (n, room) = (10, 4);
        let mut seen = std::collections::BTreeSet::new();
        for s in 0..=max_scroll(n, room) {
            let w = text(&window(&t, numbered(n), room, s, 40, "PgDn", "PgUp"));
            assert_eq!(w.len(), room);
            let below = n - s - (room - 1);
            if below > 0 {
                let more = if below == 1 {
                    "1 more line".to_string()
                } else {
                    format!("{below} more lines")
                };
                assert_eq!(w[room - 1], format!("▼ {more}: PgDn"));
            } else {
                assert_eq!(w[room - 1], "▲ PgUp for the start");
            }
            seen.extend(w[..room - 1].iter().cloned());
        }
        assert_eq!(seen.len(), n, "every line shows at some scroll: {seen:?}");
        assert!(seen.contains("line 10"));
    }

    #[test]
    fn lines_that_fit_have_no_marker_and_scrolling_stops_at_the_ends() {
        let t = Theme::new(false, true);
        assert_eq!(
            text(&window(&t, numbered(4), 4, 3, 40, "PgDn", "PgUp")).len(),
            4
        );
        assert_eq!(max_scroll(4, 4), 0);
        assert_eq!(moved(0, -5, 10, 4), 0);
        assert_eq!(moved(0, 50, 10, 4), 7);
        assert_eq!(moved(7, -1, 10, 4), 6);
        let end = text(&window(&t, numbered(10), 4, 99, 40, "↓ PgDn", "↑ PgUp"));
        assert_eq!(end[3], "^ Up PgUp for the start");
        assert_eq!(end[2], "line 10");
    }
}
