use clap::Parser;
use std::io::Write;
use talking_points::cli::{self, args::Cli};

fn main() {
    let parsed = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) if !e.use_stderr() => e.exit(),
        Err(e) => {
            // clap repeats the offending argument; cut each line short and make it inert.
            let text = e.to_string();
            let mut stderr = std::io::stderr();
            for line in text.lines().take(40) {
                let _ = writeln!(
                    stderr,
                    "{}",
                    talking_points::domain::text::safe_message(line, 300)
                );
            }
            std::process::exit(e.exit_code());
        }
    };
    cli::exit_after_run();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut err = std::io::stderr();
    let res = cli::run(parsed, &mut out, &mut err);
    let flushed = out.flush();
    if res.is_ok() {
        talking_points::store::Store::seal_kept();
    }
    match res {
        Ok(()) if flushed.is_ok() => {}
        Ok(()) => {
            // A closed pipe (`| head`) is not worth an error message.
            std::process::exit(0);
        }
        Err(f) if f.message.is_empty() => std::process::exit(f.code),
        Err(f) => {
            // stderr may be a terminal that has hung up; that must not become a panic.
            // Whatever a message quotes, nothing in it can drive the terminal, and a huge
            // value cannot flood it.
            let message = talking_points::domain::text::safe_message(&f.message, 1000);
            let _ = writeln!(std::io::stderr(), "talking-points: {message}");
            std::process::exit(f.code);
        }
    }
}
