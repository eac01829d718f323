//! Plain-text output helpers: aligned columns measured with `unicode-width`, and text
//! made safe to print to a terminal.

use unicode_width::UnicodeWidthStr;

/// Replaces what could steer the terminal (other than newline and tab) so that a stored
/// note can never move the cursor, change the terminal or reorder the line when printed.
pub fn safe(s: &str) -> String {
    crate::domain::text::printable(s)
}

/// A count with its noun agreeing: "1 person", "3 people".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Rows of cells laid out in columns, padded by display width (so 王秀英 takes six
/// columns, as a terminal shows it).
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let cols = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate().take(cols) {
            widths[i] = widths[i].max(safe(c).replace('\n', " ").width());
        }
    }
    let mut out = String::new();
    let mut line = |cells: Vec<String>| {
        let mut l = String::new();
        for (i, c) in cells.iter().enumerate() {
            l.push_str(c);
            if i + 1 < cells.len() {
                let pad = widths[i].saturating_sub(c.width()) + 2;
                l.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push_str(l.trim_end());
        out.push('\n');
    };
    line(header.iter().map(|h| h.to_string()).collect());
    for r in rows {
        line(r.iter().map(|c| safe(c).replace('\n', " ")).collect());
    }
    out
}

/// Prints a labelled block of free text, keeping every character; lines after the first
/// are indented under the first.
pub fn field(out: &mut String, indent: usize, label: &str, text: &str) {
    if text.is_empty() {
        return;
    }
    let pad = " ".repeat(indent);
    let cont = " ".repeat(indent + label.width() + 2);
    let body = safe(text);
    let mut lines = body.split('\n');
    out.push_str(&format!(
        "{pad}{label}: {}\n",
        lines.next().unwrap_or_default()
    ));
    for l in lines {
        out.push_str(&format!("{cont}{l}\n"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_by_display_width() {
        let t = table(
            &["NAME", "KIND"],
            &[
                vec!["王秀英".into(), "adult".into()],
                vec!["Mòrag".into(), "carer".into()],
            ],
        );
        let lines: Vec<&str> = t.lines().collect();
        // "KIND" starts in the same terminal column on every line.
        let col = |l: &str, word: &str| l[..l.find(word).unwrap()].width();
        assert_eq!(col(lines[0], "KIND"), col(lines[1], "adult"));
        assert_eq!(col(lines[1], "adult"), col(lines[2], "carer"));
    }

    #[test]
    fn control_characters_are_neutralised() {
        assert_eq!(safe("a\u{1b}[2Jb\nc"), "a\u{FFFD}[2Jb\nc");
    }
}
