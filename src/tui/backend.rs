//! A terminal backend that sends as few bytes as it can, for slow SSH and Citrix links.
//!
//! ratatui's own crossterm backend forgets the cursor and the colours between frames:
//! every frame ends with a colour and attribute reset and starts with a cursor move, and
//! the cursor is shown again each time, so one typed character costs about forty bytes.
//! This backend remembers the cursor position and visibility, the current style and what
//! is on the screen, so a typed character costs the character, and a short gap between
//! changed cells is printed over rather than jumped with a cursor move.

use crossterm::cursor::{Hide, Show};
use crossterm::queue;
use crossterm::style::{Attribute, Print, SetAttribute, SetBackgroundColor, SetForegroundColor};
use ratatui::backend::{Backend, ClearType, IntoCrossterm, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};
use std::io::{self, Write};
use unicode_width::UnicodeWidthStr;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Pen {
    fg: Color,
    bg: Color,
    modifier: Modifier,
}

const PLAIN: Pen = Pen {
    fg: Color::Reset,
    bg: Color::Reset,
    modifier: Modifier::empty(),
};

/// Longest run of unchanged cells printed over instead of moving the cursor: a move
/// costs six to eight bytes.
const MAX_GAP: u16 = 5;

/// Shortest run of plain blank cells erased in place (`ESC [ n X`, five or six bytes,
/// then a move past them) instead of printed as spaces: a screen switch clears many.
const MIN_ERASE: usize = 14;

pub struct Lean<W: Write> {
    out: W,
    /// Where the terminal's cursor is, when known.
    pos: Option<(u16, u16)>,
    /// The row whose last column was just printed: the cursor is at its right edge
    /// (perhaps waiting to wrap), so a carriage return surely takes it to the row's start.
    edge: Option<u16>,
    /// The style the terminal will print with, when known.
    pen: Option<Pen>,
    cursor_shown: Option<bool>,
    /// What the screen shows: a symbol and its style per cell (row-major).
    shadow: Vec<(String, Pen)>,
    width: u16,
    /// The size when the writer is not the terminal (a recording, a test); otherwise
    /// the terminal is asked.
    fixed: Option<Size>,
}

impl<W: Write> Lean<W> {
    pub fn new(out: W) -> Lean<W> {
        Lean {
            out,
            pos: None,
            edge: None,
            pen: None,
            cursor_shown: None,
            shadow: Vec::new(),
            width: 0,
            fixed: None,
        }
    }

    /// A backend writing to something that is not the terminal, of a given size.
    pub fn with_size(out: W, width: u16, height: u16) -> Lean<W> {
        let mut b = Lean::new(out);
        b.fixed = Some(Size { width, height });
        b
    }

    /// The window was resized (for a backend made [`with_size`](Lean::with_size)).
    pub fn resize(&mut self, width: u16, height: u16) {
        self.fixed = Some(Size { width, height });
    }

    /// The bytes written so far, leaving the writer empty.
    pub fn take_output(&mut self) -> W
    where
        W: Default,
    {
        std::mem::take(&mut self.out)
    }

    /// The writer, with whatever was queued in it.
    pub fn into_inner(self) -> W {
        self.out
    }

    fn set_pen(&mut self, to: Pen) -> io::Result<()> {
        let from = self.pen;
        if from == Some(to) {
            return Ok(());
        }
        let mut from = match from {
            // Taking an attribute away has no portable one-step code: start afresh.
            Some(f) if !f.modifier.difference(to.modifier).is_empty() => {
                queue!(self.out, SetAttribute(Attribute::Reset))?;
                PLAIN
            }
            Some(f) => f,
            None => {
                queue!(self.out, SetAttribute(Attribute::Reset))?;
                PLAIN
            }
        };
        let added = to.modifier.difference(from.modifier);
        for (m, a) in [
            (Modifier::BOLD, Attribute::Bold),
            (Modifier::DIM, Attribute::Dim),
            (Modifier::ITALIC, Attribute::Italic),
            (Modifier::UNDERLINED, Attribute::Underlined),
            (Modifier::SLOW_BLINK, Attribute::SlowBlink),
            (Modifier::RAPID_BLINK, Attribute::RapidBlink),
            (Modifier::REVERSED, Attribute::Reverse),
            (Modifier::HIDDEN, Attribute::Hidden),
            (Modifier::CROSSED_OUT, Attribute::CrossedOut),
        ] {
            if added.contains(m) {
                queue!(self.out, SetAttribute(a))?;
            }
        }
        from.modifier = to.modifier;
        if from.fg != to.fg {
            queue!(self.out, SetForegroundColor(to.fg.into_crossterm()))?;
        }
        if from.bg != to.bg {
            queue!(self.out, SetBackgroundColor(to.bg.into_crossterm()))?;
        }
        self.pen = Some(to);
        Ok(())
    }

    fn index(&self, x: u16, y: u16) -> Option<usize> {
        (x < self.width).then(|| y as usize * self.width as usize + x as usize)
    }

    /// Moves the cursor to `(x, y)` in the fewest bytes where it is allows: along the row
    /// (`ESC [ n C`), to the next row's start (`CR LF`) or from the right edge (`CR`),
    /// else to the place itself (`ESC [ row ; col H`, the column left out when it is the
    /// first). A screen switch makes a move for almost every row.
    fn move_to(&mut self, x: u16, y: u16) -> io::Result<()> {
        let right = |n: u16| match n {
            0 => String::new(),
            1 => "\x1b[C".to_string(),
            n => format!("\x1b[{n}C"),
        };
        let mut best = if x == 0 {
            format!("\x1b[{}H", y + 1)
        } else {
            format!("\x1b[{};{}H", y + 1, x + 1)
        };
        let mut consider = |c: String| {
            if c.len() < best.len() {
                best = c;
            }
        };
        match (self.pos, self.edge) {
            (Some((px, py)), _) if py == y && px < x => consider(right(x - px)),
            (Some((_, py)), _) if py == y => consider(format!("\r{}", right(x))),
            // The next row is on the screen, so the line feed does not scroll.
            (Some((_, py)), _) if py + 1 == y => consider(format!("\r\n{}", right(x))),
            (None, Some(row)) if row == y => consider(format!("\r{}", right(x))),
            (None, Some(row)) if row + 1 == y => consider(format!("\r\n{}", right(x))),
            _ => {}
        }
        self.out.write_all(best.as_bytes())?;
        self.pos = Some((x, y));
        self.edge = None;
        Ok(())
    }

    /// Can the cells from `(x0, y)` up to `x1` be printed again as they are, in `pen`?
    fn gap_printable(&self, x0: u16, x1: u16, y: u16, pen: Pen) -> Option<String> {
        let mut s = String::new();
        for x in x0..x1 {
            let (sym, p) = self.shadow.get(self.index(x, y)?)?;
            if *p != pen || sym.width() != 1 || !sym.is_ascii() {
                return None;
            }
            s.push_str(sym);
        }
        Some(s)
    }
}

impl<W: Write> Backend for Lean<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        if let Ok(size) = self.size()
            && (size.width != self.width
                || self.shadow.len() != size.width as usize * size.height as usize)
        {
            self.width = size.width;
            self.shadow =
                vec![(" ".to_string(), PLAIN); size.width as usize * size.height as usize];
        }
        let cells: Vec<(u16, u16, &Cell)> = content.collect();
        let mut i = 0;
        while let Some(&(x, y, cell)) = cells.get(i) {
            i += 1;
            let pen = Pen {
                fg: cell.fg,
                bg: cell.bg,
                modifier: cell.modifier,
            };
            // A run of blanks with no colour behind them and no attribute (which
            // erasing would not show) is erased rather than printed.
            let blank =
                |c: &Cell| c.symbol() == " " && c.bg == Color::Reset && c.modifier.is_empty();
            let run = if blank(cell) {
                1 + cells[i..]
                    .iter()
                    .enumerate()
                    .take_while(|(k, (cx, cy, c))| {
                        *cy == y && usize::from(*cx) == usize::from(x) + k + 1 && blank(c)
                    })
                    .count()
            } else {
                0
            };
            if run >= MIN_ERASE {
                if self.pos != Some((x, y)) {
                    self.move_to(x, y)?;
                }
                self.set_pen(pen)?;
                queue!(self.out, Print(format!("\x1b[{run}X")))?;
                for k in 0..run {
                    if let Some(j) = self.index(x + k as u16, y)
                        && let Some(slot) = self.shadow.get_mut(j)
                    {
                        *slot = (" ".to_string(), pen);
                    }
                }
                // Erasing leaves the cursor where it was.
                self.pos = Some((x, y));
                i += run - 1;
                continue;
            }
            match self.pos {
                Some((px, py)) if px == x && py == y => {}
                Some((px, py))
                    if py == y
                        && px < x
                        && x - px <= MAX_GAP
                        && self
                            .pen
                            .is_some_and(|p| self.gap_printable(px, x, y, p).is_some()) =>
                {
                    let p = self.pen.unwrap_or(PLAIN);
                    let gap = self.gap_printable(px, x, y, p).unwrap_or_default();
                    queue!(self.out, Print(gap))?;
                }
                _ => self.move_to(x, y)?,
            }
            self.set_pen(pen)?;
            let sym = super::safe::printable(cell.symbol());
            let sym = sym.as_ref();
            queue!(self.out, Print(sym))?;
            let w = sym.width().max(1) as u16;
            if let Some(i) = self.index(x, y)
                && let Some(slot) = self.shadow.get_mut(i)
            {
                *slot = (sym.to_string(), pen);
            }
            // The cells a wide character covers show its second half, whatever ratatui
            // thinks is there: mark them so no gap is printed over them from memory.
            for k in 1..w {
                if let Some(i) = self.index(x + k, y)
                    && let Some(slot) = self.shadow.get_mut(i)
                {
                    *slot = (String::new(), pen);
                }
            }
            // After the last column the terminal's cursor position is not reliable, but
            // it is on this row's right edge.
            (self.pos, self.edge) = if x + w < self.width {
                (Some((x + w, y)), None)
            } else {
                (None, Some(y))
            };
        }
        Ok(())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        if self.cursor_shown != Some(false) {
            queue!(self.out, Hide)?;
            self.cursor_shown = Some(false);
        }
        Ok(())
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        if self.cursor_shown != Some(true) {
            queue!(self.out, Show)?;
            self.cursor_shown = Some(true);
        }
        Ok(())
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        Ok(self
            .pos
            .map_or(Position::ORIGIN, |(x, y)| Position { x, y }))
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let Position { x, y } = position.into();
        if self.pos != Some((x, y)) {
            self.move_to(x, y)?;
        }
        Ok(())
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        // Clearing paints with the current background: make it the plain one first.
        self.set_pen(PLAIN)?;
        let ct = match clear_type {
            ClearType::All => crossterm::terminal::ClearType::All,
            ClearType::AfterCursor => crossterm::terminal::ClearType::FromCursorDown,
            ClearType::BeforeCursor => crossterm::terminal::ClearType::FromCursorUp,
            ClearType::CurrentLine => crossterm::terminal::ClearType::CurrentLine,
            ClearType::UntilNewLine => crossterm::terminal::ClearType::UntilNewLine,
        };
        queue!(self.out, crossterm::terminal::Clear(ct))?;
        // What is on screen is no longer known cell by cell.
        self.shadow.clear();
        self.pos = None;
        self.edge = None;
        Ok(())
    }

    fn size(&self) -> io::Result<Size> {
        if let Some(size) = self.fixed {
            return Ok(size);
        }
        let (width, height) = crossterm::terminal::size()?;
        Ok(Size { width, height })
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        let w = crossterm::terminal::window_size()?;
        Ok(WindowSize {
            columns_rows: Size {
                width: w.columns,
                height: w.rows,
            },
            pixels: Size {
                width: w.width,
                height: w.height,
            },
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
