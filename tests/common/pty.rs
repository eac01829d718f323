//! The real binary's interface in a pseudo-terminal (80×24, xterm-256color), for tests
//! that type, paste and kill. Everything the program sends is kept as raw bytes, so a
//! test can check what reached the terminal, and read through a terminal emulator
//! (`vt100`), so a test can check what a practitioner would see: text, cursor, styles.

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_talking-points");
pub const TODAY: &str = "2026-11-23";
/// No new output for this long means the program has finished drawing.
const QUIET: Duration = Duration::from_millis(30);

pub const ESC: &str = "\x1b";
pub const TAB: &str = "\t";
pub const ENTER: &str = "\r";
pub const CTRL_S: &str = "\x13";
pub const CTRL_Q: &str = "\x11";
pub const CTRL_N: &str = "\x0e";

/// Runs the command line on `store`, insisting on success; returns standard output.
pub fn cli(store: &Path, args: &[&str]) -> String {
    let out = Command::new(BIN)
        .arg("--store")
        .arg(store)
        .args(args)
        .env("TALKING_POINTS_TODAY", TODAY)
        .env_remove("TALKING_POINTS_FORMS")
        .output()
        .expect("run talking-points");
    assert!(
        out.status.success(),
        "talking-points {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// A store with one service and one person; returns the person's id.
pub fn store_with_person(store: &Path, name: &str) -> String {
    cli(
        store,
        &[
            "org",
            "add",
            "--partnership",
            "Glenmore HSCP",
            "--organisation",
            "Glenmore Council",
            "--service",
            "Reablement",
        ],
    );
    cli(
        store,
        &["person", "add", "--name", name, "--service", "Reablement"],
    )
    .trim()
    .to_string()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle)
}

pub const ROWS: u16 = 24;
pub const COLS: u16 = 80;

/// The 80×24 terminal that `bytes` leave behind, as a VT100/xterm emulator reads them:
/// text, cursor, colours and styles (bold, reverse …), the alternate screen.
pub fn terminal(bytes: &[u8]) -> vt100::Parser {
    let size = |n: u16| std::num::NonZeroU16::new(n).expect("a size");
    let mut t = vt100::Parser::new(size(ROWS), size(COLS), 0);
    t.process(bytes);
    t
}

/// The text on the screen, one line per row. A wide character is written once, so
/// words read as typed however the cells were reached.
pub fn screen(bytes: &[u8]) -> String {
    terminal(bytes)
        .screen()
        .rows(0, COLS)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Where `needle` starts on the screen (row, column), if it is there on one row.
pub fn find(s: &vt100::Screen, needle: &str) -> Option<(u16, u16)> {
    for (row, text) in s.rows(0, COLS).enumerate() {
        if let Some(i) = text.find(needle) {
            let col = unicode_width::UnicodeWidthStr::width(&text[..i]);
            return Some((row as u16, col as u16));
        }
    }
    None
}

/// Whether every cell of `needle`, where it first shows, is drawn reversed or bold:
/// how the focused field or selector is marked without colour.
pub fn marked(s: &vt100::Screen, needle: &str) -> bool {
    let Some((row, col)) = find(s, needle) else {
        panic!("{needle:?} is not on the screen");
    };
    let w = unicode_width::UnicodeWidthStr::width(needle) as u16;
    (col..col + w).all(|c| {
        s.cell(row, c)
            .is_some_and(|cell| cell.inverse() || cell.bold())
    })
}

/// Whether `needle`, where it first shows, is drawn reversed (the focus).
pub fn reversed(s: &vt100::Screen, needle: &str) -> bool {
    let Some((row, col)) = find(s, needle) else {
        panic!("{needle:?} is not on the screen");
    };
    let w = unicode_width::UnicodeWidthStr::width(needle) as u16;
    (col..col + w).all(|c| s.cell(row, c).is_some_and(|cell| cell.inverse()))
}

/// The interface running in a pseudo-terminal. Dropping it kills the program if it is
/// still running, so a failed test leaves nothing behind.
pub struct Tui {
    child: Box<dyn Child + Send + Sync>,
    // Dropped after the child has gone: portable-pty's writer sends `\n` and EOF on drop.
    writer: Option<Box<dyn Write + Send>>,
    master: Option<Box<dyn MasterPty + Send>>,
    pub out: Arc<Mutex<Vec<u8>>>,
    /// Tells the reading thread to close its end of the terminal.
    hang_up: Arc<AtomicBool>,
}

impl Tui {
    pub fn start(store: &Path) -> Tui {
        Tui::start_with(store, &[], &[])
    }

    /// Starts the interface with extra arguments (`--ascii`) and environment (`NO_COLOR`).
    pub fn start_with(store: &Path, args: &[&str], env: &[(&str, &str)]) -> Tui {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pseudo-terminal");
        let mut cmd = CommandBuilder::new(BIN);
        cmd.arg("--store");
        cmd.arg(store);
        cmd.env("TERM", "xterm-256color");
        cmd.env("TALKING_POINTS_TODAY", TODAY);
        cmd.env_remove("TALKING_POINTS_FORMS");
        cmd.env_remove("NO_COLOR");
        cmd.args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        if let Some(dir) = store.parent() {
            cmd.cwd(dir);
        }
        let child = pair.slave.spawn_command(cmd).expect("start talking-points");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let out = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&out);
        let hang_up = Arc::new(AtomicBool::new(false));
        let stop = Arc::clone(&hang_up);
        std::thread::spawn(move || {
            let mut chunk = [0u8; 16 * 1024];
            while let Ok(n) = reader.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&chunk[..n]);
                if stop.load(Ordering::SeqCst) {
                    // Let the program finish drawing and go back to waiting for keys,
                    // as it would be when a connection drops.
                    std::thread::sleep(Duration::from_millis(150));
                    break;
                }
            }
        });
        Tui {
            child,
            writer: Some(writer),
            master: Some(pair.master),
            out,
            hang_up,
        }
    }

    pub fn len(&self) -> usize {
        self.out.lock().unwrap().len()
    }

    pub fn seen(&self, needle: &str) -> bool {
        let out = self.out.lock().unwrap();
        contains(&out, needle.as_bytes()) || screen(&out).contains(needle)
    }

    pub fn expect(&self, needle: &str, timeout: Duration) {
        let end = Instant::now() + timeout;
        while !self.seen(needle) {
            if Instant::now() >= end {
                panic!(
                    "{needle:?} never appeared; the screen:\n{}\nthe last output:\n{}",
                    screen(&self.out.lock().unwrap()),
                    self.tail()
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The terminal as it stands: text, cursor, colours and styles.
    pub fn terminal(&self) -> vt100::Parser {
        terminal(&self.out.lock().unwrap())
    }

    /// The end of the output, with escapes made visible, for failure messages.
    pub fn tail(&self) -> String {
        let out = self.out.lock().unwrap();
        let from = out.len().saturating_sub(1500);
        String::from_utf8_lossy(&out[from..])
            .escape_debug()
            .to_string()
    }

    /// Waits for output to grow past `from` bytes, then to go quiet.
    pub fn settle(&self, from: usize, timeout: Duration) {
        let end = Instant::now() + timeout;
        let mut len = self.len();
        while len == from && Instant::now() < end {
            std::thread::sleep(Duration::from_millis(2));
            len = self.len();
        }
        let mut quiet_since = Instant::now();
        while Instant::now() < end {
            std::thread::sleep(Duration::from_millis(5));
            let now = self.len();
            if now != len {
                len = now;
                quiet_since = Instant::now();
            } else if quiet_since.elapsed() >= QUIET {
                return;
            }
        }
    }

    /// Sends bytes as they are, without waiting.
    pub fn send(&mut self, bytes: &[u8]) {
        let w = self.writer.as_mut().expect("the terminal is open");
        w.write_all(bytes).expect("write to the terminal");
        w.flush().expect("flush the terminal");
    }

    /// Sends one key and waits for the redraw.
    pub fn press(&mut self, key: &str) {
        let from = self.len();
        self.send(key.as_bytes());
        self.settle(from, Duration::from_secs(2));
    }

    /// Types text a character at a time (however many bytes each), waiting for each
    /// redraw.
    pub fn type_text(&mut self, text: &str) {
        let mut b = [0u8; 4];
        for c in text.chars() {
            self.press(c.encode_utf8(&mut b));
        }
    }

    /// Closes the terminal, as a dropped SSH connection does: the kernel sends SIGHUP
    /// and reads return end of file. Every descriptor of the terminal's master side must
    /// close: portable-pty's writer sends `\n` and EOF (Ctrl-J, Ctrl-D in raw mode) as it
    /// goes, which the program draws, which wakes the reading thread to close its own
    /// once the program is idle again.
    pub fn hang_up(&mut self) {
        self.hang_up.store(true, Ordering::SeqCst);
        // The reader thread holds a copy of the master until it next reads: one more
        // typed character makes the program draw, so the thread wakes, lets go, and the
        // terminal really hangs up (the character lands in a field the test ignores).
        if let Some(w) = self.writer.as_mut() {
            let _ = w.write_all(b"x");
            let _ = w.flush();
        }
        drop(self.writer.take());
        drop(self.master.take());
    }

    /// Pastes as a terminal does with bracketed paste on.
    pub fn paste(&mut self, text: &str) {
        self.send(b"\x1b[200~");
        self.send(text.as_bytes());
        self.send(b"\x1b[201~");
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("the child's pid")
    }

    /// SIGKILL, and waits until the process has gone. Returns whether it was still
    /// running when the signal was sent.
    pub fn kill_9(&mut self) -> bool {
        let running = matches!(self.child.try_wait(), Ok(None));
        let _ = Command::new("kill")
            .args(["-KILL", &self.pid().to_string()])
            .status();
        let _ = self.child.wait();
        running
    }

    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let end = Instant::now() + timeout;
        while Instant::now() < end {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = Command::new("kill")
                .args(["-KILL", &self.pid().to_string()])
                .status();
            let _ = self.child.wait();
        }
        drop(self.writer.take());
    }
}
