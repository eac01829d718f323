//! The real binary's interface in a pseudo-terminal (80×24, xterm-256color), for tests
//! that type, paste and kill. Everything the program sends is kept as raw bytes, so a
//! test can check what reached the terminal.

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::process::Command;
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

/// The text on the 80×24 screen the bytes leave behind (cursor moves and clears
/// followed; other escape sequences skipped).
pub fn screen(bytes: &[u8]) -> String {
    use unicode_width::UnicodeWidthChar;
    const ROWS: usize = 24;
    const COLS: usize = 80;
    let blank = || vec![vec![" ".to_string(); COLS]; ROWS];
    let mut grid = blank();
    let (mut row, mut col) = (0usize, 0usize);
    let text = String::from_utf8_lossy(bytes);
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\x1b' => {
                if chars.next() != Some('[') {
                    continue;
                }
                let mut params = String::new();
                let mut last = None;
                for c in chars.by_ref() {
                    if ('\x40'..='\x7e').contains(&c) {
                        last = Some(c);
                        break;
                    }
                    params.push(c);
                }
                match last {
                    Some('H' | 'f') => {
                        let mut at = params.split(';').map(|p| p.parse().unwrap_or(1).max(1));
                        row = at.next().unwrap_or(1) - 1;
                        col = at.next().unwrap_or(1) - 1;
                    }
                    Some('J') if params == "2" => grid = blank(),
                    Some('h' | 'l') if params == "?1049" => grid = blank(),
                    _ => {}
                }
            }
            '\r' => col = 0,
            '\n' => row += 1,
            c if c.is_control() => {}
            c => {
                let w = c.width().unwrap_or(0);
                if row < ROWS && col < COLS && w > 0 {
                    grid[row][col] = c.to_string();
                    if w == 2 && col + 1 < COLS {
                        grid[row][col + 1] = String::new();
                    }
                }
                col += w;
            }
        }
    }
    grid.iter()
        .map(|r| r.concat())
        .collect::<Vec<_>>()
        .join("\n")
}

pub struct Tui {
    child: Box<dyn Child + Send + Sync>,
    writer: Option<Box<dyn Write + Send>>,
    _master: Box<dyn MasterPty + Send>,
    pub out: Arc<Mutex<Vec<u8>>>,
}

impl Tui {
    pub fn start(store: &Path) -> Tui {
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
        if let Some(dir) = store.parent() {
            cmd.cwd(dir);
        }
        let child = pair.slave.spawn_command(cmd).expect("start talking-points");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let out = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&out);
        std::thread::spawn(move || {
            let mut chunk = [0u8; 16 * 1024];
            while let Ok(n) = reader.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&chunk[..n]);
            }
        });
        Tui {
            child,
            writer: Some(writer),
            _master: pair.master,
            out,
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
                    "{needle:?} never appeared; the screen:\n{}",
                    screen(&self.out.lock().unwrap())
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        }
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
