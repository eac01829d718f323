//! The data-protection rights: a person's subject access export, erasure on request,
//! and the audit log that shows who did what, when.

use super::text::{safe, table};
use super::{Failure, Out, parse_id, print_json};
use crate::domain::{Conversation, Id};
use crate::forms::Forms;
use crate::store::Store;
use crate::store::erase::Traces;
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use serde_json::json;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SubjectFormat {
    Md,
    Json,
}

#[derive(Args, Debug)]
pub struct SubjectArgs {
    /// The person's id.
    pub id: String,
    /// Markdown to read and hand over, or JSON for another system.
    #[arg(long, value_enum, default_value_t = SubjectFormat::Md)]
    pub format: SubjectFormat,
    /// Write to FILE (created owner-only) instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct EraseArgs {
    /// The person's id.
    pub id: String,
    /// Confirm: the erasure cannot be undone.
    #[arg(long)]
    pub yes: bool,
}

#[derive(Args, Debug)]
pub struct AuditArgs {
    /// Entries on or after this day (UTC), YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::args::date_arg)]
    pub since: Option<NaiveDate>,
    /// Entries on or before this day (UTC), YYYY-MM-DD.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = super::args::date_arg)]
    pub until: Option<NaiveDate>,
    /// Only this action (create, correct, export, merge, erase, subject-access ...).
    #[arg(long, value_name = "A")]
    pub action: Option<String>,
    /// Print JSON (one array of entries) instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// `person export`: everything held about one person.
pub fn subject_access(
    store: &Store,
    forms: &Forms,
    a: &SubjectArgs,
    out: Out,
) -> Result<(), Failure> {
    let id = parse_id(&a.id)?;
    let Some(t) = store.traces(&id)? else {
        return Err(no_person(&id));
    };
    let text = match a.format {
        SubjectFormat::Json => {
            serde_json::to_string_pretty(&as_json(&t))
                .map_err(|e| Failure::new(format!("could not write the export: {e}")))?
                + "\n"
        }
        SubjectFormat::Md => markdown(&t, forms),
    };
    match &a.out {
        Some(path) => crate::outfile::write_bytes(path, text.as_bytes())?,
        None => out.write_all(text.as_bytes())?,
    }
    store.log("subject-access", "person", &id.to_string())?;
    Ok(())
}

fn no_person(id: &Id) -> Failure {
    Failure::new(format!(
        "no person with id {id} is in this store; see `talking-points person list`"
    ))
}

fn as_json(t: &Traces) -> serde_json::Value {
    let link = |p: &crate::domain::Person| json!({"id": p.id, "name": p.name, "kind": p.kind});
    json!({
        "person": {
            "id": t.person.id, "name": t.person.name, "kind": t.person.kind,
            "dob": t.person.dob,
            "service": t.service.as_ref().map(|s| s.name.clone()),
            "organisation": t.service.as_ref().map(|s| s.organisation.clone()),
            "partnership": t.service.as_ref().map(|s| s.partnership.clone()),
        },
        "cares_for": t.cares_for.as_ref().map(link),
        "cared_for_by": t.cared_for_by.iter().map(link).collect::<Vec<_>>(),
        "conversations": t.conversations,
        "earlier_revisions": t.revisions,
        "drafts": t.drafts.iter().map(|(_, d)| d).collect::<Vec<_>>(),
        "audit": t.audit.iter().map(|(_, e)| e).collect::<Vec<_>>(),
    })
}

/// A fence longer than any run of backticks in `s`, so written words cannot end it.
fn fence(s: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in s.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    "`".repeat((longest + 1).max(3))
}

fn block(md: &mut String, body: &str) {
    let f = fence(body);
    md.push_str(&format!("{f}text\n{}{f}\n\n", safe(body)));
}

fn conversation(md: &mut String, c: &Conversation, forms: &Forms) {
    block(md, &super::show::conversation_text(c, forms));
}

fn markdown(t: &Traces, forms: &Forms) -> String {
    let p = &t.person;
    let mut md = String::new();
    md.push_str(&format!("# Everything held about {}\n\n", safe(&p.name)));
    md.push_str(&format!(
        "This is every record this service holds about you, made on {}. It lists your \
details, each conversation recorded with you (and any earlier version of it that was \
corrected), notes not yet saved, the people linked to you as carers, and when your \
records were created, changed or looked at, and by which account.\n\n",
        chrono::Utc::now().format("%Y-%m-%d")
    ));
    md.push_str("## Your details\n\n");
    md.push_str(&format!("- Name: {}\n", safe(&p.name)));
    md.push_str(&format!("- Record id: {}\n", p.id));
    md.push_str(&format!(
        "- Recorded as: {}\n",
        match p.kind {
            crate::domain::PersonKind::Adult => "a supported adult",
            crate::domain::PersonKind::Carer => "an unpaid carer",
        }
    ));
    if let Some(d) = p.dob {
        md.push_str(&format!("- Date of birth: {d}\n"));
    }
    if let Some(s) = &t.service {
        md.push_str(&format!(
            "- Service: {} ({}, {})\n",
            safe(&s.name),
            safe(&s.organisation),
            safe(&s.partnership)
        ));
    }
    md.push_str("\n## People linked to you\n\n");
    if t.cares_for.is_none() && t.cared_for_by.is_empty() {
        md.push_str("None.\n");
    }
    if let Some(c) = &t.cares_for {
        md.push_str(&format!("- You care for {} ({})\n", safe(&c.name), c.id));
    }
    for c in &t.cared_for_by {
        md.push_str(&format!(
            "- {} ({}) is recorded as your carer\n",
            safe(&c.name),
            c.id
        ));
    }
    md.push_str(&format!(
        "\n## Conversations ({})\n\n",
        t.conversations.len()
    ));
    if t.conversations.is_empty() {
        md.push_str("None recorded.\n\n");
    }
    for c in &t.conversations {
        conversation(&mut md, c, forms);
        let earlier: Vec<&Conversation> = t.revisions.iter().filter(|r| r.id == c.id).collect();
        if !earlier.is_empty() {
            md.push_str(&format!(
                "This conversation was corrected; {}, as first kept:\n\n",
                if earlier.len() == 1 {
                    "here is the earlier version"
                } else {
                    "here are the earlier versions"
                }
            ));
            for r in earlier {
                md.push_str(&format!("Revision {}:\n\n", r.revision));
                conversation(&mut md, r, forms);
            }
        }
    }
    md.push_str(&format!("## Notes not yet saved ({})\n\n", t.drafts.len()));
    if t.drafts.is_empty() {
        md.push_str("None.\n\n");
    }
    for (_, d) in &t.drafts {
        md.push_str("A conversation being written, kept as typed:\n\n");
        block(
            &mut md,
            &(serde_json::to_string_pretty(d).unwrap_or_default() + "\n"),
        );
    }
    md.push_str(&format!(
        "## When your records were used ({})\n\n",
        t.audit.len()
    ));
    if t.audit.is_empty() {
        md.push_str("No entries.\n");
    } else {
        md.push_str("| When (UTC) | Account | What was done | Record | Id |\n");
        md.push_str("|---|---|---|---|---|\n");
        for (_, e) in &t.audit {
            md.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                e.at,
                safe(&e.user).replace('|', "\\|"),
                e.action,
                e.record,
                e.id
            ));
        }
    }
    md
}

/// `person erase`: removes every trace of a person, for good.
pub fn erase(store_path: &std::path::Path, a: &EraseArgs, out: Out) -> Result<(), Failure> {
    let id = parse_id(&a.id)?;
    if !a.yes {
        return Err(Failure::usage(format!(
            "erasing cannot be undone; to erase person {id} and every record about them, run it again with --yes"
        )));
    }
    let store = Store::open(store_path)?;
    if store.person(&id)?.is_none() {
        return Err(no_person(&id));
    }
    let e = store.erase_person(&id)?;
    writeln!(
        out,
        "erased person {id}: {} conversations, {} earlier revisions, {} drafts; {} carer links removed; {} audit entries now read {}",
        e.conversations, e.revisions, e.drafts, e.carers_unlinked, e.audit_entries, e.marker
    )?;
    Ok(())
}

/// `audit`: the audit log, filtered.
pub fn audit(store: &Store, a: &AuditArgs, out: Out) -> Result<(), Failure> {
    let entries: Vec<_> = store
        .audit_entries()?
        .into_iter()
        .filter(|e| {
            let day =
                e.at.get(..10)
                    .and_then(|d| crate::record::parse_date(d).ok());
            a.since.is_none_or(|s| day.is_some_and(|d| d >= s))
                && a.until.is_none_or(|u| day.is_some_and(|d| d <= u))
                && a.action.as_deref().is_none_or(|x| e.action == x.trim())
        })
        .collect();
    if a.json {
        return print_json(out, &entries);
    }
    if entries.is_empty() {
        writeln!(out, "No audit entries match.")?;
        return Ok(());
    }
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            vec![
                e.at.clone(),
                safe(&e.user),
                e.action.clone(),
                e.record.clone(),
                e.id.clone(),
            ]
        })
        .collect();
    write!(
        out,
        "{}",
        table(&["TIME (UTC)", "ACCOUNT", "ACTION", "RECORD", "ID"], &rows)
    )?;
    Ok(())
}
