//! Laying words out in columns for a terminal: wrapping at word boundaries (continuation
//! lines never start with a space), cutting with `…` so a cut is always visible, and
//! packing labelled items (tags, choices) so none is split. Widths are measured with
//! `unicode-width`; no character is ever split.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The mark that says something was cut short.
pub const CUT: char = '…';

fn cw(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// `s` cut to at most `w` columns, ending in `…` if anything was cut.
pub fn ellipsize(s: &str, w: usize) -> String {
    if s.width() <= w {
        return s.to_string();
    }
    if w == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        if used + cw(c) > w - 1 {
            break;
        }
        used += cw(c);
        out.push(c);
    }
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push(CUT);
    out
}

/// `s` in at most `w` columns keeping its beginning and its end (`Positive rel…carer`),
/// so labels that start alike stay told apart.
pub fn ellipsize_middle(s: &str, w: usize) -> String {
    if s.width() <= w || w < 5 {
        return ellipsize(s, w);
    }
    let tail_w = (w - 1) / 2;
    let head_w = w - 1 - tail_w;
    let mut head = String::new();
    let mut used = 0;
    for c in s.chars() {
        if used + cw(c) > head_w {
            break;
        }
        used += cw(c);
        head.push(c);
    }
    let mut tail: Vec<char> = Vec::new();
    let mut used = 0;
    for c in s.chars().rev() {
        if used + cw(c) > tail_w {
            break;
        }
        used += cw(c);
        tail.push(c);
    }
    let tail: String = tail.into_iter().rev().collect();
    format!("{}{CUT}{}", head.trim_end(), tail.trim_start())
}

/// Splits a word wider than `w` into pieces of at most `w` columns.
fn split_long(word: &str, w: usize, out: &mut Vec<String>) {
    let mut cur = String::new();
    let mut used = 0;
    for c in word.chars() {
        if used + cw(c) > w && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
            used = 0;
        }
        used += cw(c);
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
}

/// `s` wrapped at word boundaries into lines of at most `w` columns. Line breaks in `s`
/// are kept; a word longer than a line is broken between characters; continuation lines
/// do not start with a space.
pub fn wrap(s: &str, w: usize) -> Vec<String> {
    let w = w.max(1);
    let mut out = Vec::new();
    for para in s.split('\n') {
        let mut line = String::new();
        let mut used = 0;
        for word in para.split(' ').filter(|x| !x.is_empty()) {
            let ww = word.width();
            let gap = usize::from(!line.is_empty());
            if used + gap + ww <= w {
                if gap == 1 {
                    line.push(' ');
                }
                line.push_str(word);
                used += gap + ww;
                continue;
            }
            if !line.is_empty() {
                out.push(std::mem::take(&mut line));
            }
            if ww <= w {
                line.push_str(word);
                used = ww;
            } else {
                let mut pieces = Vec::new();
                split_long(word, w, &mut pieces);
                let last = pieces.pop().unwrap_or_default();
                out.extend(pieces);
                used = last.width();
                line = last;
            }
        }
        out.push(line);
    }
    out
}

/// The first `h` lines of `lines`; when some are left out, the last shown ends in `…`
/// (within `w` columns).
pub fn first_lines(mut lines: Vec<String>, h: usize, w: usize) -> Vec<String> {
    if lines.len() <= h {
        return lines;
    }
    lines.truncate(h);
    if let Some(last) = lines.last_mut() {
        let cut = ellipsize(last, w.saturating_sub(1));
        *last = format!("{}{CUT}", cut.trim_end_matches(CUT));
    }
    lines
}

/// Packs items of the given widths into rows of at most `w` columns, `gap` columns
/// apart, never splitting an item: returns each row's item indices. An item wider than a
/// row has a row of its own (to be cut with `…` when drawn).
pub fn pack(widths: &[usize], w: usize, gap: usize) -> Vec<Vec<usize>> {
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut used = 0;
    for (i, iw) in widths.iter().enumerate() {
        match rows.last_mut() {
            Some(row) if !row.is_empty() && used + gap + iw <= w => {
                row.push(i);
                used += gap + iw;
            }
            _ => {
                rows.push(vec![i]);
                used = *iw;
            }
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_breaks_between_words_without_leading_spaces() {
        let lines = wrap("Tha mi airson coiseachd sìos chun a' chala", 12);
        assert_eq!(
            lines,
            vec!["Tha mi", "airson", "coiseachd", "sìos chun a'", "chala"]
        );
        assert!(lines.iter().all(|l| !l.starts_with(' ') && l.width() <= 12));
    }

    #[test]
    fn wide_characters_and_long_words_fit_the_width() {
        let lines = wrap("港口港口港口 🚶🚶 abcdefghijkl", 5);
        assert!(lines.iter().all(|l| l.width() <= 5), "{lines:?}");
        assert_eq!(
            lines.concat().replace(' ', ""),
            "港口港口港口🚶🚶abcdefghijkl"
        );
    }

    #[test]
    fn a_cut_always_ends_in_an_ellipsis() {
        assert_eq!(ellipsize("Seeing people", 20), "Seeing people");
        assert_eq!(ellipsize("Seeing people", 8), "Seeing…");
        assert_eq!(ellipsize("王秀英王秀英", 5), "王秀…");
        let shown = first_lines(wrap("one two three four five six", 9), 2, 9);
        assert_eq!(shown, vec!["one two", "three…"]);
        assert!(shown.iter().all(|l| l.width() <= 9));
    }

    #[test]
    fn labels_that_start_alike_stay_apart() {
        let a = ellipsize_middle("Positive relationship with the person cared for", 24);
        let b = ellipsize_middle("Positive relationship with practitioners", 24);
        assert_ne!(a, b);
        assert!(a.width() <= 24 && b.width() <= 24);
        assert!(
            a.ends_with("cared for") && b.ends_with("titioners"),
            "{a} / {b}"
        );
    }

    #[test]
    fn packed_items_are_never_split() {
        let rows = pack(&[6, 6, 6, 20], 14, 2);
        assert_eq!(rows, vec![vec![0, 1], vec![2], vec![3]]);
    }
}
