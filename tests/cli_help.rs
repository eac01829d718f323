//! `--help` describes every option and argument of every command, so a newcomer can
//! learn the command line from the program itself.

use clap::CommandFactory;
use talking_points::cli::args::Cli;

fn undocumented(cmd: &clap::Command, path: &str, out: &mut Vec<String>) {
    for a in cmd.get_arguments() {
        let id = a.get_id().as_str();
        if id == "help" || id == "version" {
            continue;
        }
        if a.get_help().is_none() && a.get_long_help().is_none() {
            out.push(format!("{path} {id}"));
        }
    }
    for sub in cmd.get_subcommands() {
        if sub.get_about().is_none() && sub.get_long_about().is_none() {
            out.push(format!("{path} {} (the command)", sub.get_name()));
        }
        undocumented(sub, &format!("{path} {}", sub.get_name()), out);
    }
}

#[test]
fn every_option_and_argument_has_help_text() {
    let mut missing = Vec::new();
    undocumented(&Cli::command(), "talking-points", &mut missing);
    assert!(
        missing.is_empty(),
        "--help says nothing about:\n{}",
        missing.join("\n")
    );
}
