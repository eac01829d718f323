use clap::Parser;
use std::io::Write;
use talking_points::cli::{self, args::Cli};

fn main() {
    let parsed = Cli::parse();
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
            let _ = writeln!(std::io::stderr(), "talking-points: {}", f.message);
            std::process::exit(f.code);
        }
    }
}
