//! What may reach the terminal from a cell. Names and words come from files and merged
//! bundles as well as the keyboard, so they may hold control characters (ESC starts a
//! sequence that can retitle the window, clear the screen or ask the terminal to type
//! back) and bidirectional overrides (which reorder everything drawn after them). They
//! are kept in the store exactly as written, and never drawn.

use ratatui::buffer::Buffer;
use std::borrow::Cow;

pub use crate::domain::text::steers_the_terminal;

/// A cell's symbol as it may be printed: without such characters, and a space when
/// nothing else is left.
pub fn printable(symbol: &str) -> Cow<'_, str> {
    if !symbol.chars().any(steers_the_terminal) {
        return Cow::Borrowed(symbol);
    }
    let kept: String = symbol
        .chars()
        .filter(|c| !steers_the_terminal(*c))
        .collect();
    Cow::Owned(if kept.is_empty() { " ".into() } else { kept })
}

/// Cleans every cell of a drawn frame.
pub fn scrub(buf: &mut Buffer) {
    for cell in &mut buf.content {
        if let Cow::Owned(s) = printable(cell.symbol()) {
            cell.set_symbol(&s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_text_and_joiners_and_drops_controls_and_overrides() {
        assert_eq!(printable("港"), "港");
        assert_eq!(printable("👨\u{200d}👩"), "👨\u{200d}👩");
        assert_eq!(printable("p\u{202e}"), "p");
        assert_eq!(printable("\u{1b}"), " ");
        assert_eq!(printable("a\u{9b}\u{0}\u{7}\u{2067}"), "a");
    }
}
