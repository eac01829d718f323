//! The terminal interface (DESIGN §5): built for an 80×24 SSH or Citrix window, usable
//! at 60×18, keyboard only, drawn only when something changed.

pub mod app;
pub mod backend;
pub mod caseload;
pub mod caseload_load;
pub mod conversation_list;
pub mod dashboard;
pub mod dashboard_load;
pub mod draw;
pub mod edit;
pub mod editor;
pub mod effect;
pub mod field;
pub mod help;
pub mod history_view;
pub mod keymap;
pub mod picker;
pub mod runner;
pub mod safe;
pub mod screens;
pub mod scroll;
pub mod service_form;
pub mod text_view;
pub mod theme;
pub mod widgets;

use app::App;
use crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use std::io::{BufWriter, IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Words typed are written as a draft this long after the last keystroke…
const DRAFT_QUIET: Duration = Duration::from_millis(400);
/// …and at least this often while typing goes on without a pause.
const DRAFT_MAX: Duration = Duration::from_millis(900);

fn restore_terminal() {
    let _ = disable_raw_mode();
    let mut out = std::io::stdout();
    let _ = execute!(
        out,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
    let _ = out.flush();
}

pub fn run(mut app: App) -> anyhow::Result<()> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "the interface needs a terminal; run it in one, or use the commands in `talking-points --help`"
        );
    }
    // A dropped connection (SIGHUP) or a polite stop (SIGTERM) keeps the draft: the
    // loop sees the flag, writes the draft and restores the terminal.
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGINT,
    ] {
        signal_hook::flag::register(sig, Arc::clone(&stop))?;
    }
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        default_hook(info);
    }));

    enable_raw_mode()?;
    let mut out = std::io::stdout();
    execute!(out, EnterAlternateScreen, EnableBracketedPaste)?;
    let backend = backend::Lean::new(BufWriter::with_capacity(64 * 1024, std::io::stdout()));
    let mut terminal = Terminal::new(backend)?;
    let result = event_loop(&mut terminal, &mut app, &stop);
    // Whatever happened, keep what was typed.
    if app.editor().is_some_and(|e| e.dirty) {
        app.draft_pending = true;
    }
    let kept = runner::perform(&mut app, vec![effect::Effect::WriteDraft]);
    restore_terminal();
    result.and(kept)
}

fn event_loop<W: Write>(
    terminal: &mut Terminal<backend::Lean<W>>,
    app: &mut App,
    stop: &AtomicBool,
) -> anyhow::Result<()> {
    let size = terminal.size()?;
    app.size = (size.width, size.height);
    let mut redraw = true;
    let mut last_key = Instant::now();
    let mut pending_since: Option<Instant> = None;
    loop {
        if redraw {
            terminal.draw(|f| draw::draw(app, f))?;
            redraw = false;
        }
        if stop.load(Ordering::Relaxed) || app.quit {
            return Ok(());
        }
        let timeout = match pending_since {
            Some(since) => {
                let quiet = DRAFT_QUIET.saturating_sub(last_key.elapsed());
                let max = DRAFT_MAX.saturating_sub(since.elapsed());
                quiet.min(max)
            }
            // Only to notice a stop signal; nothing is drawn on a timeout.
            None => Duration::from_millis(250),
        };
        if event::poll(timeout)? {
            let ev = event::read()?;
            if let Some(a) = keymap::action(app, &ev) {
                // The screen on top changes itself; the runner performs what it asks.
                app.update(a);
                redraw = true;
                last_key = Instant::now();
                if app.draft_pending && pending_since.is_none() {
                    pending_since = Some(last_key);
                }
            }
        }
        if app.tick() {
            redraw = true;
        }
        if let Some(since) = pending_since
            && (last_key.elapsed() >= DRAFT_QUIET || since.elapsed() >= DRAFT_MAX)
        {
            if let Err(e) = runner::perform(app, vec![effect::Effect::WriteDraft]) {
                app.status = format!("The draft could not be kept: {e}");
                redraw = true;
            }
            pending_since = None;
        }
        if !app.draft_pending {
            pending_since = None;
        }
    }
}
