//! Pieces every screen draws with: bordered blocks, the inputs of a form, and text cut
//! or padded to a width. Pure functions of what they are given.

use super::field::Input;
use super::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

pub fn block<'a>(t: &Theme, title: &'a str) -> Block<'a> {
    Block::new()
        .borders(Borders::ALL)
        .border_set(t.border())
        .title(Span::styled(format!(" {title} "), t.heading()))
}

pub fn input_height(i: &Input, w: u16, t: Theme) -> u16 {
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

pub fn draw_input(t: &Theme, i: &Input, focused: bool, f: &mut Frame, r: Rect) {
    match i {
        // Typing in free text: wrapped at spaces, the cursor row in view, rows out of
        // view counted on the label row.
        Input::Text(ta) if focused => super::text_view::draw_editing(t, ta, f, r),
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
            if focused {
                f.set_cursor_position(Position::new(r.x, r.y));
            }
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
            let at = focused.then(|| selected.unwrap_or(0));
            draw_items(&items, style, at, f, r);
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
            draw_items(&items, style, focused.then_some(*cursor), f, r);
        }
    }
}

/// The rows of a choice or tags field: items never split inside their brackets.
pub fn item_rows(options: &[(String, String)], w: usize) -> Vec<Vec<usize>> {
    let widths: Vec<usize> = options.iter().map(|o| o.1.width() + 4).collect();
    crate::wrap::pack(&widths, w, 2)
}

/// Draws packed items; the terminal's cursor sits on item `cursor` (the focused one), so
/// a screen reader following the cursor reads the choice being made.
pub fn draw_items(
    items: &[String],
    style: impl Fn(usize) -> Style,
    cursor: Option<usize>,
    f: &mut Frame,
    r: Rect,
) {
    let w = r.width as usize;
    let widths: Vec<usize> = items.iter().map(|i| i.width()).collect();
    let rows = crate::wrap::pack(&widths, w, 2);
    let at = cursor.and_then(|k| {
        rows.iter()
            .enumerate()
            .find_map(|(y, row)| Some((y, row.iter().position(|&i| i == k)?, row)))
    });
    if let Some((y, n, row)) = at
        && (y as u16) < r.height
    {
        let x: usize = row[..n].iter().map(|&i| widths[i].min(w) + 2).sum();
        let x = (r.x as usize + x).min(r.right().saturating_sub(1) as usize);
        f.set_cursor_position(Position::new(x as u16, r.y + y as u16));
    }
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

/// `s` padded with spaces to `w` columns (by display width).
pub fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(s.width())))
}

pub fn centred(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}
