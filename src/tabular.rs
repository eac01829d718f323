//! One encoding for every table the program publishes (report tables, exports, the data
//! package): typed fields described once, written as CSV or JSON from the same values.
//!
//! * Booleans are `true` / `false`; dates are ISO `YYYY-MM-DD`; a missing value is an
//!   empty CSV field and JSON `null`.
//! * Lists are JSON arrays in JSON and joined with [`LIST_SEPARATOR`] in CSV.
//! * Free text that a spreadsheet would run as a formula (starting with `=`, `+`, `-`,
//!   `@`, a tab or a carriage return) gets a leading apostrophe in every CSV.
//! * `--excel` CSVs start with a UTF-8 byte-order mark, so Excel reads them as UTF-8.

use serde_json::{Value, json};
use std::io::Write;

/// What joins the items of a list in a CSV field.
pub const LIST_SEPARATOR: &str = ";";

/// The byte-order mark `--excel` writes first.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The version of the published table layouts (columns, types, encodings).
pub const SCHEMA_VERSION: &str = "3";

/// The sentence the data dictionary uses for the formula-injection rule.
pub const FORMULA_RULE: &str = "In CSV files, any text value that begins with =, +, -, @, a tab \
    or a carriage return is written with a leading apostrophe (') so that spreadsheet \
    programs show it as text instead of running it as a formula; JSON values are unchanged.";

/// Column types, named as in the Frictionless Table Schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    Str,
    Int,
    Num,
    Bool,
    Date,
    /// A list of identifiers: a JSON array, or one CSV field joined by [`LIST_SEPARATOR`].
    List,
}

impl Ty {
    pub fn frictionless(&self) -> &'static str {
        match self {
            Ty::Str | Ty::List => "string",
            Ty::Int => "integer",
            Ty::Num => "number",
            Ty::Bool => "boolean",
            Ty::Date => "date",
        }
    }

    /// The SQL type (understood alike by SQLite, DuckDB and PostgreSQL).
    pub fn sql(&self) -> &'static str {
        match self {
            Ty::Str | Ty::List => "TEXT",
            Ty::Int => "BIGINT",
            Ty::Num => "DOUBLE PRECISION",
            Ty::Bool => "BOOLEAN",
            Ty::Date => "DATE",
        }
    }
}

/// One column: its name, type, meaning and, where there is a fixed set, allowed values.
#[derive(Clone, Debug)]
pub struct Field {
    pub name: &'static str,
    pub ty: Ty,
    pub description: String,
    pub allowed: Vec<String>,
}

impl Field {
    pub fn new(name: &'static str, ty: Ty, description: impl Into<String>) -> Field {
        Field {
            name,
            ty,
            description: description.into(),
            allowed: Vec::new(),
        }
    }

    pub fn allowed<S: Into<String>>(mut self, v: impl IntoIterator<Item = S>) -> Field {
        self.allowed = v.into_iter().map(Into::into).collect();
        self
    }

    /// The Frictionless field descriptor.
    pub fn descriptor(&self) -> Value {
        let mut d = json!({
            "name": self.name,
            "type": self.ty.frictionless(),
            "description": self.description,
        });
        if self.ty == Ty::List {
            d["description"] = json!(format!(
                "{} A list: items joined by \"{LIST_SEPARATOR}\" in CSV, a JSON array in JSON.",
                self.description
            ));
        }
        if !self.allowed.is_empty() && self.ty == Ty::Str {
            d["constraints"] = json!({ "enum": self.allowed });
        }
        d
    }
}

/// One value of a table cell.
#[derive(Clone, Debug, PartialEq)]
pub enum V {
    S(String),
    I(u64),
    N(f64),
    B(bool),
    L(Vec<String>),
    /// A list of whole numbers.
    LI(Vec<u64>),
    Null,
}

impl V {
    pub fn s(s: impl Into<String>) -> V {
        V::S(s.into())
    }

    /// Empty text is a missing value.
    pub fn opt(s: &str) -> V {
        if s.is_empty() {
            V::Null
        } else {
            V::S(s.to_string())
        }
    }

    pub fn csv(&self) -> String {
        self.csv_cow().into_owned()
    }

    /// [`V::csv`] without copying text that needs no change (exports write millions).
    pub fn csv_cow(&self) -> std::borrow::Cow<'_, str> {
        use std::borrow::Cow;
        match self {
            V::S(s) if !needs_neutralising(s) => Cow::Borrowed(s),
            V::Null => Cow::Borrowed(""),
            other => Cow::Owned(other.csv_owned()),
        }
    }

    fn csv_owned(&self) -> String {
        match self {
            V::S(s) => neutralise(s),
            V::I(i) => i.to_string(),
            V::N(n) => format!("{n:.1}"),
            V::B(b) => b.to_string(),
            V::L(l) => neutralise(&l.join(LIST_SEPARATOR)),
            V::LI(l) => l
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
                .join(LIST_SEPARATOR),
            V::Null => String::new(),
        }
    }

    pub fn json(&self) -> Value {
        match self {
            V::S(s) => json!(s),
            V::I(i) => json!(i),
            V::N(n) => json!(n),
            V::B(b) => json!(b),
            V::L(l) => json!(l),
            V::LI(l) => json!(l),
            V::Null => Value::Null,
        }
    }
}

/// Free text made safe to open in a spreadsheet: see [`FORMULA_RULE`].
pub fn neutralise(s: &str) -> String {
    if needs_neutralising(s) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

fn needs_neutralising(s: &str) -> bool {
    matches!(s.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r'))
}

/// A CSV writer over `w`, writing the byte-order mark first when `excel`.
pub fn csv_writer<W: Write>(mut w: W, excel: bool) -> std::io::Result<csv::Writer<W>> {
    if excel {
        w.write_all(BOM)?;
    }
    Ok(csv::Writer::from_writer(w))
}

/// Writes a header and rows as CSV.
pub fn write_csv<W: Write>(
    w: W,
    fields: &[Field],
    rows: impl IntoIterator<Item = Vec<V>>,
    excel: bool,
) -> std::io::Result<()> {
    let mut wtr = csv_writer(w, excel)?;
    wtr.write_record(fields.iter().map(|f| f.name))?;
    for r in rows {
        let cells: Vec<_> = r.iter().map(V::csv_cow).collect();
        wtr.write_record(cells.iter().map(|c| c.as_bytes()))?;
    }
    wtr.flush()
}

/// One JSON object per row, keys in column order.
pub fn json_object(fields: &[Field], row: &[V]) -> Value {
    let mut obj = serde_json::Map::new();
    for (f, v) in fields.iter().zip(row) {
        obj.insert(f.name.to_string(), v.json());
    }
    Value::Object(obj)
}

/// The Frictionless table schema of one table.
pub fn table_schema(fields: &[Field], primary_key: &[&str]) -> Value {
    let mut s = json!({
        "fields": fields.iter().map(Field::descriptor).collect::<Vec<_>>(),
        "missingValues": [""],
    });
    if !primary_key.is_empty() {
        s["primaryKey"] = json!(primary_key);
    }
    s
}

/// `CREATE TABLE` for one table, in SQL that SQLite, DuckDB and PostgreSQL all accept.
pub fn create_table(name: &str, fields: &[Field]) -> String {
    let cols: Vec<String> = fields
        .iter()
        .map(|f| format!("  {} {}", f.name, f.ty.sql()))
        .collect();
    format!("CREATE TABLE {name} (\n{}\n);\n", cols.join(",\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised_and_other_text_is_not() {
        for s in ["=SUM(A1)", "+44 1234", "-2", "@cmd", "\tx", "\rx"] {
            assert!(neutralise(s).starts_with('\''), "{s:?}");
        }
        for s in ["Met", "2025-26", "", "a=b"] {
            assert_eq!(neutralise(s), s);
        }
        assert_eq!(V::I(3).csv(), "3", "numbers are not text");
    }

    #[test]
    fn one_encoding_for_csv_and_json() {
        let l = V::L(vec!["a".into(), "b".into()]);
        assert_eq!(l.csv(), "a;b");
        assert_eq!(l.json(), json!(["a", "b"]));
        assert_eq!(V::B(true).csv(), "true");
        assert_eq!(V::Null.csv(), "");
        assert_eq!(V::Null.json(), Value::Null);
    }

    #[test]
    fn excel_csv_starts_with_a_bom() {
        let mut out = Vec::new();
        write_csv(
            &mut out,
            &[Field::new("a", Ty::Int, "x")],
            [vec![V::I(1)]],
            true,
        )
        .unwrap();
        assert!(out.starts_with(BOM));
        assert_eq!(&out[3..], b"a\n1\n");
    }
}
