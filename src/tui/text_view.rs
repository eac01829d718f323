//! A text field while it is being typed in, drawn by us rather than by the text-area
//! widget: lines break at spaces so no continuation line starts with a space (the
//! widget carries the space over), the row with the cursor is always in view, and when
//! rows are scrolled out of view the field's label says how many are above or below.
//! The widget still does the editing; only the drawing is here.

use super::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui_textarea::TextArea;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The display rows of one line of text at `w` columns, as byte offsets where each row
/// starts. A row breaks after the last space that fits; the spaces at a break belong to
/// the row before and are not drawn; a word longer than a row is broken between
/// characters.
pub fn row_starts(line: &str, w: usize) -> Vec<usize> {
    let w = w.max(1);
    let mut starts = vec![0];
    let mut start = 0;
    loop {
        let rest = &line[start..];
        let mut used = 0;
        let mut fit = rest.len();
        for (i, c) in rest.char_indices() {
            let cw = c.width().unwrap_or(0);
            if used + cw > w {
                fit = i;
                break;
            }
            used += cw;
        }
        if fit == rest.len() {
            return starts;
        }
        let head = &rest[..fit];
        let next_is_space = rest[fit..].starts_with(' ');
        let brk = if next_is_space {
            fit
        } else {
            match head.rfind(' ') {
                Some(sp) if head[..sp].trim_start().is_empty() => fit.max(1),
                Some(sp) => sp,
                None => fit.max(rest.chars().next().map_or(1, char::len_utf8)),
            }
        };
        // The next row starts at the first character after the spaces at the break.
        let skip = rest[brk..].len() - rest[brk..].trim_start_matches(' ').len();
        let next = start + brk + skip;
        if next >= line.len() {
            return starts;
        }
        starts.push(next);
        start = next;
    }
}

/// The text's display rows (each without the spaces at its break) and where the cursor
/// is among them: (row, column).
pub fn layout(lines: &[String], cursor: (usize, usize), w: usize) -> (Vec<String>, (usize, usize)) {
    let w = w.max(1);
    let mut rows = Vec::new();
    let mut at = (0, 0);
    for (n, line) in lines.iter().enumerate() {
        let starts = row_starts(line, w);
        let cursor_byte = (n == cursor.0).then(|| {
            line.char_indices()
                .nth(cursor.1)
                .map_or(line.len(), |(b, _)| b)
        });
        for (k, &s) in starts.iter().enumerate() {
            let end = starts.get(k + 1).copied().unwrap_or(line.len());
            let shown = line[s..end].trim_end_matches(' ');
            let shown = if k + 1 == starts.len() {
                &line[s..end]
            } else {
                shown
            };
            if let Some(c) = cursor_byte
                && c >= s
                && (c < end || k + 1 == starts.len())
            {
                let x = line[s..c.min(end)].width();
                at = (rows.len(), x);
            }
            rows.push(shown.to_string());
        }
    }
    // A cursor past the last column goes to the start of a row of its own, as the next
    // character typed will.
    if at.1 >= w {
        rows.insert(at.0 + 1, String::new());
        at = (at.0 + 1, 0);
    }
    (rows, at)
}

/// Draws the text area's words into `r` with the cursor row in view, puts the terminal
/// cursor there, and notes rows out of view on the label row just above `r`.
pub fn draw_editing(t: &Theme, ta: &TextArea<'_>, f: &mut Frame, r: Rect) {
    // The widget is still drawn, off screen, so it knows the field's size: its ↑ and ↓
    // move by rows as they wrap at this width.
    let mut scratch = ratatui::buffer::Buffer::empty(r);
    ratatui::widgets::Widget::render(ta, r, &mut scratch);
    let w = usize::from(r.width.max(1));
    let h = usize::from(r.height.max(1));
    let c = ta.cursor();
    let (rows, (cy, cx)) = layout(ta.lines(), (c.0, c.1), w);
    let top = cy.saturating_sub(h - 1);
    let below = rows.len().saturating_sub(top + h);
    let shown: Vec<Line> = rows
        .iter()
        .skip(top)
        .take(h)
        .map(|l| Line::from(crate::text::safe(l)))
        .collect();
    f.render_widget(Clear, r);
    f.render_widget(Paragraph::new(shown), r);
    f.set_cursor_position(Position::new(
        (r.x + cx as u16).min(r.right().saturating_sub(1)),
        r.y + (cy - top) as u16,
    ));
    let mut note = Vec::new();
    if top > 0 {
        note.push(format!("{} {top} above", t.up_mark()));
    }
    if below > 0 {
        note.push(format!("{} {below} below", t.down_mark()));
    }
    if !note.is_empty() && r.y > 0 {
        let text = format!(" {} ", note.join(" "));
        let tw = text.width() as u16;
        if tw < r.width {
            let at = Rect {
                x: r.right() - tw,
                y: r.y - 1,
                width: tw,
                height: 1,
            };
            f.render_widget(
                Paragraph::new(Span::styled(text, t.key().add_modifier(Modifier::REVERSED))),
                at,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(s: &str, w: usize) -> Vec<String> {
        layout(&[s.to_string()], (0, 0), w).0
    }

    #[test]
    fn rows_break_at_spaces_and_never_start_with_one() {
        let r = rows("aaaa bbb  cc ddddd", 5);
        assert_eq!(r, vec!["aaaa", "bbb", "cc", "ddddd"]);
        for line in &r {
            assert!(!line.starts_with(' '), "{r:?}");
        }
    }

    #[test]
    fn a_word_longer_than_a_row_is_broken_between_characters() {
        assert_eq!(rows("abcdefgh ij", 3), vec!["abc", "def", "gh", "ij"]);
        // Wide characters count two columns and are never split.
        assert_eq!(rows("王秀英王秀英", 5), vec!["王秀", "英王", "秀英"]);
    }

    #[test]
    fn the_cursor_follows_the_text_through_the_breaks() {
        let text = vec!["aaaa bbb".to_string()];
        // After "aaaa " the cursor is at the start of the second row.
        assert_eq!(layout(&text, (0, 5), 5).1, (1, 0));
        assert_eq!(layout(&text, (0, 8), 5).1, (1, 3));
        assert_eq!(layout(&text, (0, 2), 5).1, (0, 2));
        // At the end of a full row it moves to a row of its own.
        let full = vec!["abcde".to_string()];
        let (r, at) = layout(&full, (0, 5), 5);
        assert_eq!((r.len(), at), (2, (1, 0)));
    }

    #[test]
    fn line_breaks_typed_are_kept() {
        let text = vec!["one".to_string(), "two three".to_string()];
        let (r, at) = layout(&text, (1, 9), 6);
        assert_eq!(r, vec!["one", "two", "three"]);
        assert_eq!(at, (2, 5));
    }
}
