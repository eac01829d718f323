//! Commands about conversations already recorded (withdrawal, earlier revisions), the
//! person's own copy of their plan, and naming the person a carer cares for.

use super::{Failure, Out, parse_id, print_json};
use crate::domain::{Conversation, Id};
use crate::forms::Forms;
use crate::store::Store;
use clap::{Args, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum ConversationCommand {
    /// Withdraw a conversation recorded in error (the wrong person, a duplicate): it is
    /// kept for the person's own access to their records and erased with them, but
    /// leaves the caseload, reports and exports. Cannot be undone.
    Withdraw {
        /// The conversation's id (see `person show PERSON_ID`).
        id: String,
        /// Why it was recorded in error (required; kept with the conversation).
        #[arg(long, value_name = "TEXT")]
        reason: String,
        /// Who is withdrawing it (default: this account).
        #[arg(long, value_name = "NAME")]
        by: Option<String>,
    },
    /// Every revision of a conversation, oldest first (corrections and withdrawals
    /// keep what they replace).
    History {
        /// The conversation's id (as `person show` prints it).
        id: String,
        /// Print every revision as JSON, oldest first, instead of as text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum PlanFormat {
    Md,
    Html,
    Txt,
}

#[derive(Args, Debug)]
pub struct PlanArgs {
    /// The person's id.
    pub id: String,
    /// Markdown, HTML (prints on A4) or plain text.
    #[arg(long, value_enum, default_value_t = PlanFormat::Txt)]
    pub format: PlanFormat,
    /// Write to FILE (created owner-only) instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

fn conversation_id(s: &str) -> Result<Id, Failure> {
    s.parse::<Id>().map_err(|_| {
        Failure::usage(format!(
            "`{}` is not a conversation id; ids look like 0190a0c2-8a1b-7c3d-9e4f-123456789abc",
            crate::domain::quote(s)
        ))
    })
}

pub fn run(store: &Store, forms: &Forms, c: &ConversationCommand, out: Out) -> Result<(), Failure> {
    match c {
        ConversationCommand::Withdraw { id, reason, by } => {
            let id = conversation_id(id)?;
            if reason.trim().is_empty() {
                return Err(Failure::usage(
                    "say why the conversation was recorded in error with --reason TEXT",
                ));
            }
            let w = store.withdraw_conversation(&id, reason, by.as_deref())?;
            writeln!(
                out,
                "withdrew conversation {} (now revision {}); it no longer counts anywhere, and `person show --withdrawn` still shows it",
                w.id, w.revision
            )?;
            Ok(())
        }
        ConversationCommand::History { id, json } => {
            let id = conversation_id(id)?;
            let all = store.history_of(&id)?;
            if all.is_empty() {
                return Err(Failure::new(format!(
                    "no conversation with id {id} is in this store; see `talking-points person show PERSON_ID`"
                )));
            }
            if *json {
                return print_json(out, &all);
            }
            history_text(&all, forms, out)
        }
    }
}

fn history_text(all: &[Conversation], forms: &Forms, out: Out) -> Result<(), Failure> {
    let last = all.len().saturating_sub(1);
    for (i, c) in all.iter().enumerate() {
        let what = if i == last { "current" } else { "earlier" };
        writeln!(out, "Revision {} ({what})", c.revision)?;
        write!(out, "{}", super::show::conversation_text(c, forms))?;
        if i != last {
            writeln!(out)?;
        }
    }
    Ok(())
}

/// `person plan`: the person's own copy of their current support plan.
pub fn plan(store: &Store, forms: &Forms, a: &PlanArgs, out: Out) -> Result<(), Failure> {
    let id = parse_id(&a.id)?;
    let Some(p) = store.person(&id)? else {
        return Err(Failure::new(format!(
            "no person with id {id} is in this store; see `talking-points person list`"
        )));
    };
    let Some(copy) = crate::plan_file::copy_of(store, forms, &p, super::today())? else {
        return Err(Failure::new(format!(
            "person {id} has no support plan yet; record a planning conversation first"
        )));
    };
    let format = match a.format {
        PlanFormat::Md => crate::plan_print::Format::Markdown,
        PlanFormat::Html => crate::plan_print::Format::Html,
        PlanFormat::Txt => crate::plan_print::Format::Text,
    };
    let text = crate::plan_print::render(&copy, format);
    match &a.out {
        Some(path) => crate::outfile::write_bytes(path, text.as_bytes())?,
        None => out.write_all(text.as_bytes())?,
    }
    store.log(crate::plan_print::AUDIT_ACTION, "person", &id.to_string())?;
    Ok(())
}

/// The person a new carer cares for, named by id or by whole name; the message for a
/// name that fits nobody or several people names nobody.
pub fn cares_for(store: &Store, text: &str) -> Result<Id, Failure> {
    store
        .person_named(text)?
        .map(|p| p.id)
        .map_err(|e| Failure::new(format!("cannot add the person: --cares-for: {e}")))
}
