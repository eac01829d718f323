//! The person's own copy of their plan as a file: reading what the copy is made from
//! (shared by `person plan` and the interface) and writing it under a neutral name, so
//! a file left in a documents folder does not say whose plan it is.

use crate::domain::Person;
use crate::forms::Forms;
use crate::plan_print::{self, Format, PlanCopy};
use crate::store::Store;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// The copy of `person`'s current plan, from their conversations; `None` with no plan.
pub fn copy_of(
    store: &Store,
    forms: &Forms,
    person: &Person,
    today: NaiveDate,
) -> crate::store::Result<Option<PlanCopy>> {
    let service = store.service(&person.service)?;
    let convs = store.conversations_of(&person.id)?;
    Ok(plan_print::plan_copy(
        person,
        service.as_ref(),
        &convs,
        forms,
        today,
    ))
}

/// Where copies go by default: the user's documents folder, else their home folder.
pub fn default_dir() -> Option<PathBuf> {
    let u = directories::UserDirs::new()?;
    Some(
        u.document_dir()
            .map_or_else(|| u.home_dir().to_path_buf(), Path::to_path_buf),
    )
}

/// A name in `dir` not yet taken: `support-plan-DATE.EXT`, then `-2`, `-3` …
pub fn free_name(dir: &Path, today: NaiveDate, ext: &str) -> PathBuf {
    let base = format!("support-plan-{today}");
    let first = dir.join(format!("{base}.{ext}"));
    if !first.exists() {
        return first;
    }
    (2u32..)
        .map(|n| dir.join(format!("{base}-{n}.{ext}")))
        .find(|p| !p.exists())
        .unwrap_or(first)
}

/// Writes the copy of `person`'s plan as HTML (prints on A4) into `dir` and records the
/// copy in the audit log. `Ok(None)` when the person has no plan yet.
pub fn write_copy(
    store: &Store,
    forms: &Forms,
    person: &Person,
    dir: &Path,
    today: NaiveDate,
) -> anyhow::Result<Option<PathBuf>> {
    let Some(copy) = copy_of(store, forms, person, today)? else {
        return Ok(None);
    };
    let path = free_name(dir, today, "html");
    let text = plan_print::render(&copy, Format::Html);
    crate::outfile::write_bytes(&path, text.as_bytes())?;
    store.log(plan_print::AUDIT_ACTION, "person", &person.id.to_string())?;
    Ok(Some(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_taken_name_gets_a_suffix() {
        let d = tempfile::tempdir().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let first = free_name(d.path(), today, "html");
        assert!(first.ends_with("support-plan-2026-11-23.html"));
        std::fs::write(&first, "x").unwrap();
        let second = free_name(d.path(), today, "html");
        assert!(second.ends_with("support-plan-2026-11-23-2.html"));
    }
}
