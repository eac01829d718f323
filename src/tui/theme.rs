//! How things look: colour (16 colours, or none) and box drawing (Unicode or ASCII).
//! Every state is also shown by text, bold or reverse video, so nothing depends on
//! colour alone.

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
    pub ascii: bool,
}

pub const ASCII_BORDER: border::Set = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

impl Theme {
    pub fn new(color: bool, ascii: bool) -> Theme {
        Theme { color, ascii }
    }

    pub fn border(&self) -> border::Set<'static> {
        if self.ascii {
            ASCII_BORDER
        } else {
            border::PLAIN
        }
    }

    fn fg(&self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    /// The row or field that has the focus.
    pub fn focus(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn title(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    pub fn heading(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn overdue(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    pub fn warn(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn ok(&self) -> Style {
        self.fg(Color::Green)
    }

    pub fn dim(&self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new()
        }
    }

    pub fn key(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    pub fn bullet(&self) -> &'static str {
        if self.ascii { "*" } else { "•" }
    }

    pub fn check(&self, on: bool) -> &'static str {
        match (self.ascii, on) {
            (_, true) => "[x]",
            (_, false) => "[ ]",
        }
    }

    pub fn radio(&self, on: bool) -> &'static str {
        if on { "(*)" } else { "( )" }
    }

    pub fn star(&self) -> &'static str {
        if self.ascii { "*" } else { "★" }
    }

    pub fn dash(&self) -> &'static str {
        if self.ascii { "-" } else { "—" }
    }

    pub fn arrow(&self) -> &'static str {
        if self.ascii { ">" } else { "›" }
    }

    pub fn down_mark(&self) -> &'static str {
        if self.ascii { "v" } else { "▼" }
    }

    pub fn up_mark(&self) -> &'static str {
        if self.ascii { "^" } else { "▲" }
    }
}

/// With `--ascii`, the cut mark that width-aware layout puts after a shortened label
/// (`…`) becomes `~`, so the frame holds no character an ASCII terminal cannot show
/// beyond a person's own words.
pub fn ascii_marks(buf: &mut ratatui::buffer::Buffer) {
    let cut = crate::wrap::CUT.to_string();
    for cell in buf.content.iter_mut() {
        if cell.symbol() == cut {
            cell.set_symbol("~");
        }
    }
}
