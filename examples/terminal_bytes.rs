//! How many bytes the interface writes to the terminal: per typed character and per
//! screen switch, measured on the real release binary in an 80×24 pseudo-terminal
//! (xterm-256color, colour on) with 200 synthetic people.
//!
//!     cargo build --release && cargo run --release --example terminal_bytes
//!
//! The binary is `target/release/talking-points` next to this example's own directory,
//! or the path in `TALKING_POINTS_BIN`. Arguments are passed to the interface, so
//! `… --example terminal_bytes -- --ascii` (or `--color none`) measures those modes. Targets: at most 20 bytes per typed character
//! (median) and 2,500 bytes per screen switch.

#[path = "common/pty.rs"]
mod pty;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// No new output for this long means the redraw is over.
const QUIET: Duration = Duration::from_millis(40);
const TYPED: usize = 200;
const SWITCHES: usize = 20;
const TODAY: &str = "2026-11-23";

const ESC: &str = "\x1b";
const ENTER: &str = "\r";
const CTRL_Q: &str = "\x11";
const CTRL_N: &str = "\x0e";

fn binary() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("TALKING_POINTS_BIN") {
        return Ok(PathBuf::from(p));
    }
    // target/release/examples/terminal_bytes → target/release/talking-points
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let bin = exe
        .parent()
        .and_then(Path::parent)
        .map(|d| d.join(format!("talking-points{}", std::env::consts::EXE_SUFFIX)))
        .ok_or("cannot find the target directory")?;
    if bin.is_file() {
        Ok(bin)
    } else {
        Err(format!(
            "{} is missing: run `cargo build --release` first",
            bin.display()
        ))
    }
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

struct Tui {
    pty: pty::Pty,
    out: Arc<Mutex<Vec<u8>>>,
}

impl Tui {
    fn start(bin: &Path, store: &Path, options: &[String]) -> Tui {
        let out = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&out);
        let pty = pty::start(bin, options, store, TODAY, move |b| {
            sink.lock().unwrap().extend_from_slice(b)
        });
        Tui { pty, out }
    }

    fn wait_for(&self, needle: &str, timeout: Duration) -> bool {
        let end = Instant::now() + timeout;
        while Instant::now() < end {
            if contains(&self.out.lock().unwrap(), needle.as_bytes()) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        false
    }

    /// Waits for output to start (up to a second), then for `QUIET` without any.
    fn settle(&self) {
        let end = Instant::now() + Duration::from_secs(1);
        let mut len = self.out.lock().unwrap().len();
        while len == 0 && Instant::now() < end {
            std::thread::sleep(Duration::from_millis(1));
            len = self.out.lock().unwrap().len();
        }
        let mut quiet_since = Instant::now();
        loop {
            std::thread::sleep(Duration::from_millis(2));
            let now = self.out.lock().unwrap().len();
            if now != len {
                len = now;
                quiet_since = Instant::now();
            } else if quiet_since.elapsed() >= QUIET {
                return;
            }
        }
    }

    /// Sends one key and returns every byte the program wrote in answer.
    fn measure(&mut self, key: &str) -> Vec<u8> {
        self.out.lock().unwrap().clear();
        self.pty
            .writer
            .write_all(key.as_bytes())
            .expect("write a key");
        self.pty.writer.flush().expect("flush a key");
        self.settle();
        std::mem::take(&mut *self.out.lock().unwrap())
    }
}

impl Drop for Tui {
    fn drop(&mut self) {
        if let Ok(None) = self.pty.child.try_wait() {
            let _ = self.pty.child.kill();
            let _ = self.pty.child.wait();
        }
    }
}

fn cli(bin: &Path, store: &Path, args: &[&str]) {
    let out = Command::new(bin)
        .arg("--store")
        .arg(store)
        .args(args)
        .env("TALKING_POINTS_TODAY", TODAY)
        .env_remove("TALKING_POINTS_FORMS")
        .output()
        .expect("run talking-points");
    if !out.status.success() {
        eprintln!(
            "talking-points {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        std::process::exit(1);
    }
}

struct Stats {
    median: usize,
    p90: usize,
    max: usize,
}

fn stats(samples: &[usize]) -> Stats {
    let mut v = samples.to_vec();
    v.sort_unstable();
    let n = v.len().max(1);
    let at = |q: f64| v.get(((q * n as f64).ceil() as usize).clamp(1, n) - 1);
    Stats {
        median: at(0.5).copied().unwrap_or(0),
        p90: at(0.9).copied().unwrap_or(0),
        max: v.last().copied().unwrap_or(0),
    }
}

/// The bytes with escapes visible, cut to `max` characters.
fn visible(bytes: &[u8], max: usize) -> String {
    let s = String::from_utf8_lossy(bytes).escape_debug().to_string();
    if s.chars().count() > max {
        format!("{}…", s.chars().take(max).collect::<String>())
    } else {
        s
    }
}

/// Where the bytes go: cursor moves, colours and attributes, cursor show/hide, the reset
/// at the end of every frame, blank cells, box drawing and other text.
fn breakdown(bytes: &[u8]) -> String {
    const FRAME_END: &[u8] = b"\x1b[39m\x1b[49m\x1b[59m\x1b[0m";
    let (mut moves, mut sgr, mut cursor, mut ends, mut other_esc) = (0, 0, 0, 0, 0);
    let (mut blank, mut boxes, mut text) = (0, 0, 0);
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(FRAME_END) {
            ends += FRAME_END.len();
            i += FRAME_END.len();
        } else if bytes[i] == 0x1b && bytes.get(i + 1) == Some(&b'[') {
            let mut j = i + 2;
            while j < bytes.len() && !(0x40..=0x7e).contains(&bytes[j]) {
                j += 1;
            }
            let seq = &bytes[i..(j + 1).min(bytes.len())];
            match seq.last() {
                Some(b'H') => moves += seq.len(),
                Some(b'm') => sgr += seq.len(),
                Some(b'h' | b'l') if seq.starts_with(b"\x1b[?25") => cursor += seq.len(),
                _ => other_esc += seq.len(),
            }
            i = j + 1;
        } else if bytes[i] == b' ' {
            blank += 1;
            i += 1;
        } else {
            let n = match bytes[i] {
                0xf0..=0xff => 4,
                0xe0..=0xef => 3,
                0xc0..=0xdf => 2,
                _ => 1,
            };
            let end = (i + n).min(bytes.len());
            match std::str::from_utf8(&bytes[i..end])
                .ok()
                .and_then(|s| s.chars().next())
            {
                Some('\u{2500}'..='\u{257f}') => boxes += end - i,
                _ => text += end - i,
            }
            i = end;
        }
    }
    format!(
        "cursor moves {moves}, colours/attributes {sgr}, end-of-frame reset {ends}, \
         cursor show/hide {cursor}, other escapes {other_esc}, blank cells {blank}, \
         box drawing {boxes}, other text {text}"
    )
}

fn report_switch(name: &str, there: &[Vec<u8>], back: &[Vec<u8>], target: usize) {
    for (dir, samples) in [("there", there), ("back", back)] {
        let s = stats(&samples.iter().map(Vec::len).collect::<Vec<_>>());
        let verdict = if s.max <= target { "ok" } else { "OVER" };
        println!(
            "{name} ({dir}): median {} bytes, max {} bytes per switch (target ≤ {target}: {verdict})",
            s.median, s.max
        );
    }
}

fn main() {
    let bin = match binary() {
        Ok(b) => b,
        Err(e) => {
            eprintln!("terminal_bytes: {e}");
            std::process::exit(1);
        }
    };
    let dir = tempfile::tempdir().expect("a temporary directory");
    let store = dir.path().join("store");
    cli(&bin, &store, &["seed", "--people", "200", "--seed", "7"]);

    let options: Vec<String> = std::env::args().skip(1).collect();
    println!("binary: {} {}", bin.display(), options.join(" "));
    let mut tui = Tui::start(&bin, &store, &options);
    if !tui.wait_for("people", Duration::from_secs(10)) {
        eprintln!("terminal_bytes: the caseload never appeared");
        std::process::exit(1);
    }
    tui.settle();
    let first = tui.out.lock().unwrap().len();
    println!("first screen: {first} bytes");

    // Caseload ↔ Person, moving down the caseload until someone with a conversation
    // is selected (so Person ↔ conversation can be measured on them).
    let (mut to_person, mut to_caseload) = (Vec::new(), Vec::new());
    for _ in 0..SWITCHES {
        to_person.push(tui.measure(ENTER));
        to_caseload.push(tui.measure(ESC));
    }
    let mut tries = 0;
    loop {
        let opened = tui.measure(ENTER);
        if !contains(&opened, b"No conversations yet") || tries > 50 {
            break;
        }
        tui.measure(ESC);
        tui.measure("j");
        tries += 1;
    }

    // Person ↔ a conversation, read only.
    let (mut to_view, mut to_person_again) = (Vec::new(), Vec::new());
    for _ in 0..SWITCHES {
        to_view.push(tui.measure(ENTER));
        to_person_again.push(tui.measure(ESC));
    }

    // Typing into the first field of the first outcome of a new assessment (Ctrl-N
    // goes to the next outcome, its words first; Tab alone would land in the date).
    tui.measure("a");
    tui.measure(CTRL_N);
    let sentence = "I want to get back to the walking group on Tuesdays and see the harbour again, \
                    because that is where my friends are and I feel like myself there. ";
    let text: String = sentence.chars().cycle().take(TYPED).collect();
    let mut typed = Vec::new();
    let mut buf = [0u8; 4];
    for c in text.chars() {
        typed.push(tui.measure(c.encode_utf8(&mut buf)));
    }

    // Leave without saving: Ctrl-Q asks, d discards and quits.
    tui.measure(CTRL_Q);
    tui.measure("d");
    let end = Instant::now() + Duration::from_secs(5);
    while Instant::now() < end && matches!(tui.pty.child.try_wait(), Ok(None)) {
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(tui);

    println!();
    let lens: Vec<usize> = typed.iter().map(Vec::len).collect();
    let s = stats(&lens);
    let verdict = if s.median <= 20 { "ok" } else { "OVER" };
    println!(
        "typing ({TYPED} characters): median {} bytes, p90 {}, max {} per character (target median ≤ 20: {verdict})",
        s.median, s.p90, s.max
    );
    report_switch("Caseload → Person", &to_person, &to_caseload, 2500);
    report_switch(
        "Person → conversation (read only)",
        &to_view,
        &to_person_again,
        2500,
    );
    if tries > 0 {
        println!("(opened the person {} down the caseload)", tries + 1);
    }

    println!();
    let median_char = typed
        .iter()
        .find(|b| b.len() == s.median)
        .or(typed.get(TYPED / 2));
    if let Some(b) = median_char {
        println!("a typed character ({} bytes): {}", b.len(), visible(b, 600));
        println!("  {}", breakdown(b));
    }
    if let Some(b) = typed.iter().max_by_key(|b| b.len()) {
        println!("the largest ({} bytes): {}", b.len(), visible(b, 600));
        println!("  {}", breakdown(b));
    }
    if let Some(b) = to_view.first() {
        println!(
            "Person → conversation ({} bytes): {}",
            b.len(),
            visible(b, 600)
        );
        println!("  {}", breakdown(b));
    }
    if let Some(b) = to_person.first() {
        println!("Caseload → Person ({} bytes): {}", b.len(), visible(b, 600));
        println!("  {}", breakdown(b));
    }
    if let Some(b) = to_caseload.first() {
        println!("Person → Caseload ({} bytes)", b.len());
        println!("  {}", breakdown(b));
    }
}
