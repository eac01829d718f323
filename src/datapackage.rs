//! `export --out DIR`: the extract as a Frictionless data package — one CSV per table, a
//! `datapackage.json` describing every column (type, allowed values, meaning), and a
//! `schema.sql` of `CREATE TABLE` statements that SQLite, DuckDB and PostgreSQL accept,
//! so each tool gets the types without guessing.

use crate::export::{
    Extract, conversation_fields, definition_fields, national_fields, outcome_fields, people_fields,
};
use crate::forms::Forms;
use crate::tabular::{
    FORMULA_RULE, Field, LIST_SEPARATOR, SCHEMA_VERSION, V, create_table, table_schema, write_csv,
};
use serde_json::json;
use std::path::Path;

/// Whether `--out PATH` names a data-package directory rather than one file: an existing
/// directory, or a path that does not exist yet and does not end in `.csv`, `.jsonl` or
/// `.json`. An existing file is always written as one file.
pub fn is_package_dir(path: &Path) -> bool {
    if path.is_dir() {
        return true;
    }
    if path.exists() {
        return false;
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase);
    !matches!(ext.as_deref(), Some("csv" | "jsonl" | "json"))
}

struct Table<'a> {
    name: &'static str,
    description: &'static str,
    fields: Vec<Field>,
    rows: &'a [Vec<V>],
    key: &'static [&'static str],
}

fn tables<'a>(forms: &Forms, x: &'a Extract, include_text: bool) -> Vec<Table<'a>> {
    vec![
        Table {
            name: "outcomes",
            description: "One row per outcome per conversation (the same rows as `export` writes to one file).",
            fields: outcome_fields(forms, include_text),
            rows: &x.outcomes,
            key: &[],
        },
        Table {
            name: "conversations",
            description: "One row per conversation, including any that record no outcome (plans with a review date count towards overdue reviews).",
            fields: conversation_fields(),
            rows: &x.conversations,
            key: &["record_key"],
        },
        Table {
            name: "people",
            description: "One row per person, whatever their records (reports count every person in a unit).",
            fields: people_fields(),
            rows: &x.people,
            key: &["person_key"],
        },
        Table {
            name: "outcome_definitions",
            description: "The framework outcomes of the forms in use, with their categories.",
            fields: definition_fields(),
            rows: &x.definitions,
            key: &["framework", "outcome_id"],
        },
        Table {
            name: "outcome_national",
            description: "The forms' mapping of framework outcomes to the National Health and Wellbeing Outcomes, one row per pair.",
            fields: national_fields(),
            rows: &x.national,
            key: &["framework", "outcome_id", "national_outcome"],
        },
    ]
}

/// The `datapackage.json` text.
fn descriptor(ts: &[Table<'_>], created: &str, extract_date: &str, excel: bool) -> String {
    let resources: Vec<_> = ts
        .iter()
        .map(|t| {
            json!({
                "name": t.name,
                "path": format!("{}.csv", t.name),
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": if excel { "utf-8-sig" } else { "utf-8" },
                "description": t.description,
                "dialect": {"delimiter": ",", "header": true, "doubleQuote": true},
                "schema": table_schema(&t.fields, t.key),
            })
        })
        .collect();
    let v = json!({
        "profile": "tabular-data-package",
        "name": "talking-points-extract",
        "title": "Talking Points personal outcomes: pseudonymised extract",
        "description": format!(
            "Pseudonymised records of Talking Points conversations. People and conversations \
             are keyed pseudonyms; no name, date of birth or record id is included. Booleans \
             are true/false, dates YYYY-MM-DD, a missing value is an empty field, and lists \
             are joined by \"{LIST_SEPARATOR}\" in CSV (JSON arrays in `export --format jsonl`). \
             {FORMULA_RULE}"
        ),
        "version": SCHEMA_VERSION,
        "schema_version": SCHEMA_VERSION,
        "created": created,
        "extract_date": extract_date,
        "resources": resources,
    });
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}

fn schema_sql(ts: &[Table<'_>]) -> String {
    let mut s = format!(
        "-- Tables of a talking-points data package (schema version {SCHEMA_VERSION}).\n\
         -- Accepted as is by SQLite, DuckDB and PostgreSQL; load each CSV into its table.\n"
    );
    for t in ts {
        s.push_str(&create_table(t.name, &t.fields));
    }
    s
}

/// Writes the package into `dir` (created owner-only when new): every file owner-only and
/// complete or absent. Returns the number of outcome rows.
pub fn write(
    dir: &Path,
    forms: &Forms,
    x: &Extract,
    include_text: bool,
    excel: bool,
    created: &str,
    extract_date: &str,
) -> Result<usize, crate::outfile::OutError> {
    use std::os::unix::fs::DirBuilderExt;
    let io = |source| crate::outfile::OutError::Io {
        path: dir.to_path_buf(),
        source,
    };
    if !dir.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(io)?;
    }
    let ts = tables(forms, x, include_text);
    for t in &ts {
        let path = dir.join(format!("{}.csv", t.name));
        crate::outfile::write_private(&path, |w| {
            write_csv(w, &t.fields, t.rows.iter().cloned(), excel)
        })?
        .map_err(|source| crate::outfile::OutError::Io { path, source })?;
    }
    crate::outfile::write_bytes(
        &dir.join("datapackage.json"),
        descriptor(&ts, created, extract_date, excel).as_bytes(),
    )?;
    crate::outfile::write_bytes(&dir.join("schema.sql"), schema_sql(&ts).as_bytes())?;
    Ok(x.outcomes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_out_rule_tells_files_from_directories() {
        let d = tempfile::tempdir().unwrap();
        assert!(is_package_dir(d.path()));
        assert!(is_package_dir(&d.path().join("extract")));
        assert!(!is_package_dir(&d.path().join("rows.csv")));
        assert!(!is_package_dir(&d.path().join("rows.JSONL")));
        let f = d.path().join("existing");
        std::fs::write(&f, "x").unwrap();
        assert!(!is_package_dir(&f));
    }
}
