//! Text that goes into messages: a value a user gave is quoted short, with anything that
//! could move a terminal's cursor or reorder what it shows made visible instead.

/// How many characters of an offending value a message repeats.
pub const QUOTE_CHARS: usize = 32;

/// A character that changes what the terminal does rather than what it shows: C0 and
/// C1 controls (ESC starts sequences that retitle a window or type back), and the
/// bidirectional embeddings, overrides and isolates (which reorder what follows).
/// The one rule for the interface, the command line and messages.
pub fn steers_the_terminal(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn escape_into(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
    }
}

/// `value` as a message may repeat it: at most [`QUOTE_CHARS`] characters (then `…`),
/// hazards escaped, so a 10 MB value or an escape sequence stays harmless.
/// Text made safe to print: what could steer a terminal (other than newline and tab)
/// becomes U+FFFD, so stored words can never move the cursor or change the terminal.
pub fn printable(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c != '\n' && c != '\t' && steers_the_terminal(c) {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}

pub fn quote(value: &str) -> String {
    safe_message(value, QUOTE_CHARS)
}

/// A whole message made safe for a terminal: hazards escaped, and cut (with `…`) at
/// `max` characters. The last line of defence before anything reaches stderr.
pub fn safe_message(message: &str, max: usize) -> String {
    let mut out = String::with_capacity(message.len().min(max));
    for (n, c) in message.chars().enumerate() {
        if n == max {
            out.push('…');
            break;
        }
        if steers_the_terminal(c) {
            escape_into(&mut out, c);
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn long_values_are_cut_and_controls_escaped() {
        let long = "x".repeat(10_000_000);
        let q = quote(&long);
        assert_eq!(q.chars().count(), QUOTE_CHARS + 1);
        assert!(q.ends_with('…'));
        assert_eq!(quote("a\u{1b}[2Jb\0c"), "a\\u{1b}[2Jb\\u{0}c");
        assert_eq!(quote("abc\u{202E}cba"), "abc\\u{202e}cba");
        assert_eq!(quote("Mòrag 港口 🚶"), "Mòrag 港口 🚶");
    }

    proptest! {
        #[test]
        fn nothing_hazardous_survives(s in "\\PC*|[\\x00-\\x1f\\x7f-\\u{9f}\\u{202a}-\\u{202e}a]{0,80}") {
            for out in [quote(&s), safe_message(&s, 200)] {
                prop_assert!(!out.chars().any(steers_the_terminal));
            }
        }
    }
}
