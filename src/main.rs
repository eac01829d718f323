use clap::Parser;
use talking_points::cli::{self, args::Cli};

fn main() {
    let parsed = Cli::parse();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut err = std::io::stderr();
    let res = cli::run(parsed, &mut out, &mut err);
    let flushed = std::io::Write::flush(&mut out);
    match res {
        Ok(()) if flushed.is_ok() => {}
        Ok(()) => {
            // A closed pipe (`| head`) is not worth an error message.
            std::process::exit(0);
        }
        Err(f) if f.message.is_empty() => std::process::exit(f.code),
        Err(f) => {
            eprintln!("talking-points: {}", f.message);
            std::process::exit(f.code);
        }
    }
}
