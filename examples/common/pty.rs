//! The real binary in an 80×24 pseudo-terminal (xterm-256color), for the examples that
//! measure it: everything it writes goes to `on_output`, as it arrives, on a thread.

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;

pub struct Pty {
    pub child: Box<dyn Child + Send + Sync>,
    pub writer: Box<dyn Write + Send>,
    _master: Box<dyn MasterPty + Send>,
}

/// Starts `bin` with `options`, `--store STORE`, `today` as its date, and colour and the
/// embedded forms as a user's shell would have them.
pub fn start(
    bin: &Path,
    options: &[String],
    store: &Path,
    today: &str,
    mut on_output: impl FnMut(&[u8]) + Send + 'static,
) -> Pty {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("open a pseudo-terminal");
    let mut cmd = CommandBuilder::new(bin);
    cmd.args(options);
    cmd.arg("--store");
    cmd.arg(store);
    cmd.env("TERM", "xterm-256color");
    cmd.env("TALKING_POINTS_TODAY", today);
    cmd.env_remove("NO_COLOR");
    cmd.env_remove("TALKING_POINTS_FORMS");
    let child = pair.slave.spawn_command(cmd).expect("start talking-points");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("pty reader");
    let writer = pair.master.take_writer().expect("pty writer");
    std::thread::spawn(move || {
        let mut chunk = [0u8; 16 * 1024];
        while let Ok(n) = reader.read(&mut chunk) {
            if n == 0 {
                break;
            }
            on_output(&chunk[..n]);
        }
    });
    Pty {
        child,
        writer,
        _master: pair.master,
    }
}
