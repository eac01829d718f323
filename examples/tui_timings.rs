//! How long the interface keeps a person waiting, measured on the real release binary in
//! an 80×24 pseudo-terminal over an existing store (for `benches/run.sh`):
//!
//!     cargo run --release --example tui_timings -- STORE [RUNS]
//!
//! Prints one `name value` line per measure (milliseconds, or KiB for memory), each the
//! median of RUNS tries (default 5): start to the first caseload frame, dashboard open,
//! and a change of level, unit and period on the dashboard; then the resident memory of
//! the interface (now and at its peak). A response ends with the last byte written
//! before the terminal goes quiet. The keys are data below, to follow the keymap.

#[path = "common/pty.rs"]
mod pty;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// No new output for this long means the redraw is over.
const QUIET: Duration = Duration::from_millis(150);
/// The longest a single response may take before the measure gives up.
const PATIENCE: Duration = Duration::from_secs(30);
const TODAY: &str = "2026-11-23";

/// Shown on the caseload once its rows are there ("12 of 100000 people").
const CASELOAD_MARK: &str = " people";
const OPEN_DASHBOARD: &str = "d";
const BACK: &str = "\x1b";
const NEXT_PART: &str = "\t";
const RIGHT: &str = "\x1b[C";
const LEFT: &str = "\x1b[D";
const QUIT: &str = "q";

fn binary() -> PathBuf {
    if let Some(p) = std::env::var_os("TALKING_POINTS_BIN") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("own path");
    exe.parent()
        .and_then(Path::parent)
        .map(|d| d.join("talking-points"))
        .expect("the target directory")
}

#[derive(Default)]
struct Seen {
    bytes: Vec<u8>,
    last: Option<Instant>,
}

struct Tui {
    pty: pty::Pty,
    seen: Arc<Mutex<Seen>>,
}

impl Tui {
    fn start(bin: &Path, store: &Path) -> Tui {
        let seen = Arc::new(Mutex::new(Seen::default()));
        let sink = Arc::clone(&seen);
        let pty = pty::start(bin, &[], store, TODAY, move |b| {
            let mut s = sink.lock().unwrap();
            s.bytes.extend_from_slice(b);
            s.last = Some(Instant::now());
        });
        Tui { pty, seen }
    }

    fn pid(&self) -> Option<u32> {
        self.pty.child.process_id()
    }

    /// When `mark` first appeared after `t0`, waiting at most `PATIENCE`.
    fn wait_for(&self, mark: &str) -> Option<Instant> {
        let end = Instant::now() + PATIENCE;
        while Instant::now() < end {
            {
                let s = self.seen.lock().unwrap();
                if s.bytes.windows(mark.len()).any(|w| w == mark.as_bytes()) {
                    return s.last;
                }
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        None
    }

    /// Waits (at most `patience`) for output to start, then for `QUIET` without any; the
    /// time of the last byte.
    fn settle(&self, patience: Duration) -> Option<Instant> {
        let end = Instant::now() + patience;
        while self.seen.lock().unwrap().last.is_none() {
            if Instant::now() > end {
                return None;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        loop {
            std::thread::sleep(Duration::from_millis(5));
            let last = self.seen.lock().unwrap().last?;
            if last.elapsed() >= QUIET {
                return Some(last);
            }
        }
    }

    /// Sends a key; how long until the program finished answering it, in milliseconds
    /// (`None`, and a note, when it wrote nothing).
    fn respond(&mut self, key: &str) -> Option<f64> {
        self.settle(Duration::ZERO);
        *self.seen.lock().unwrap() = Seen::default();
        let t0 = Instant::now();
        self.pty.writer.write_all(key.as_bytes()).ok()?;
        self.pty.writer.flush().ok()?;
        if std::env::var_os("TUI_TIMINGS_DEBUG").is_some() {
            std::thread::sleep(QUIET);
            let s = self.seen.lock().unwrap();
            eprintln!(
                "{key:?} → {}",
                String::from_utf8_lossy(&s.bytes).escape_debug()
            );
        }
        let Some(last) = self.settle(PATIENCE) else {
            eprintln!("tui_timings: no answer to {key:?}");
            return None;
        };
        Some(last.duration_since(t0).as_secs_f64() * 1000.0)
    }

    fn quit(mut self) {
        let _ = self.pty.writer.write_all(QUIT.as_bytes());
        let _ = self.pty.writer.flush();
        let end = Instant::now() + Duration::from_secs(5);
        while Instant::now() < end && matches!(self.pty.child.try_wait(), Ok(None)) {
            std::thread::sleep(Duration::from_millis(20));
        }
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

/// A line of `/proc/PID/status` in KiB (`VmRSS`, `VmHWM`).
fn memory(pid: u32, what: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with(what))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied()
}

fn print(name: &str, v: Option<f64>) {
    match v {
        Some(v) => println!("{name} {v:.1}"),
        None => println!("{name} failed"),
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(store) = args.next().map(PathBuf::from) else {
        eprintln!("usage: tui_timings STORE [RUNS]");
        std::process::exit(2);
    };
    // The pseudo-terminal's program starts in the home directory: give it a whole path,
    // and never let it make a new empty store by mistake.
    let Ok(store) = store.canonicalize() else {
        eprintln!("tui_timings: {} is not a store", store.display());
        std::process::exit(1);
    };
    let runs: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let bin = binary();

    let mut first = Vec::new();
    for _ in 0..runs {
        let t0 = Instant::now();
        let tui = Tui::start(&bin, &store);
        if let Some(at) = tui.wait_for(CASELOAD_MARK) {
            first.push(at.duration_since(t0).as_secs_f64() * 1000.0);
        }
        tui.settle(PATIENCE);
        tui.quit();
    }
    print("first_caseload_frame_ms", median(first));

    let mut tui = Tui::start(&bin, &store);
    tui.wait_for(CASELOAD_MARK);
    let (mut open, mut level, mut unit, mut period) = (vec![], vec![], vec![], vec![]);
    for _ in 0..runs {
        open.extend(tui.respond(OPEN_DASHBOARD));
        // The dashboard opens on its outcomes; the parts before them, in turn, are the
        // level, the unit and the period: each moved forward and back.
        for times in [&mut level, &mut unit, &mut period] {
            tui.respond(NEXT_PART);
            times.extend(tui.respond(RIGHT));
            times.extend(tui.respond(LEFT));
        }
        tui.respond(BACK);
    }
    print("dashboard_open_ms", median(open));
    print("dashboard_change_level_ms", median(level));
    print("dashboard_change_unit_ms", median(unit));
    print("dashboard_change_period_ms", median(period));
    // Memory with the dashboard open: now and the most the process ever held.
    tui.respond(OPEN_DASHBOARD);
    let pid = tui.pid();
    let rss = pid.and_then(|p| memory(p, "VmRSS:"));
    let peak = pid.and_then(|p| memory(p, "VmHWM:"));
    print("interface_rss_kib", rss.map(|v| v as f64));
    print("interface_peak_rss_kib", peak.map(|v| v as f64));
    tui.respond(BACK);
    tui.quit();
}
