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
use std::borrow::Cow;
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

/// One value of a table cell. Text and lists may borrow from what the row is made of
/// (an export writes millions of rows and need not copy each label and word); tables that
/// are kept use [`V`], which owns its values.
#[derive(Clone, Debug, PartialEq)]
pub enum Val<'a> {
    S(Cow<'a, str>),
    I(u64),
    N(f64),
    B(bool),
    L(Cow<'a, [String]>),
    /// A list of whole numbers.
    LI(Cow<'a, [u8]>),
    Null,
}

/// A cell that owns its value.
pub type V = Val<'static>;

impl<'a> Val<'a> {
    pub fn s(s: impl Into<Cow<'a, str>>) -> Val<'a> {
        Val::S(s.into())
    }

    /// Empty text is a missing value.
    pub fn opt(s: &'a str) -> Val<'a> {
        if s.is_empty() {
            Val::Null
        } else {
            Val::S(Cow::Borrowed(s))
        }
    }

    /// The same value, owning what it borrowed.
    pub fn into_owned(self) -> V {
        match self {
            Val::S(s) => Val::S(Cow::Owned(s.into_owned())),
            Val::I(i) => Val::I(i),
            Val::N(n) => Val::N(n),
            Val::B(b) => Val::B(b),
            Val::L(l) => Val::L(Cow::Owned(l.into_owned())),
            Val::LI(l) => Val::LI(Cow::Owned(l.into_owned())),
            Val::Null => Val::Null,
        }
    }

    pub fn csv(&self) -> String {
        self.csv_cow().into_owned()
    }

    /// [`Val::csv`] without copying text that needs no change.
    pub fn csv_cow(&self) -> Cow<'_, str> {
        match self {
            Val::S(s) if !needs_neutralising(s) => Cow::Borrowed(s),
            Val::Null => Cow::Borrowed(""),
            other => Cow::Owned(other.csv_owned()),
        }
    }

    /// Writes the cell as one CSV field, through `scratch` rather than a new string for
    /// each number or list (exports write millions): the bytes of [`Val::csv`].
    pub fn write_csv<W: Write>(
        &self,
        out: &mut csv::Writer<W>,
        scratch: &mut String,
    ) -> csv::Result<()> {
        use std::fmt::Write as _;
        let text = |out: &mut csv::Writer<W>, scratch: &mut String, s: &str| {
            if needs_neutralising(s) {
                scratch.clear();
                scratch.push('\'');
                scratch.push_str(s);
                out.write_field(scratch.as_bytes())
            } else {
                out.write_field(s.as_bytes())
            }
        };
        match self {
            Val::S(s) => text(out, scratch, s),
            Val::Null => out.write_field(b""),
            Val::B(b) => out.write_field(if *b { "true" } else { "false" }),
            Val::I(i) => {
                scratch.clear();
                let _ = write!(scratch, "{i}");
                out.write_field(scratch.as_bytes())
            }
            Val::L(l) => match l.as_ref() {
                [] => out.write_field(b""),
                [one] => text(out, scratch, one),
                many => {
                    let joined = many.join(LIST_SEPARATOR);
                    text(out, scratch, &joined)
                }
            },
            Val::LI(l) => {
                scratch.clear();
                for (i, n) in l.iter().enumerate() {
                    if i > 0 {
                        scratch.push_str(LIST_SEPARATOR);
                    }
                    let _ = write!(scratch, "{n}");
                }
                out.write_field(scratch.as_bytes())
            }
            Val::N(_) => out.write_field(self.csv_owned().as_bytes()),
        }
    }

    fn csv_owned(&self) -> String {
        match self {
            Val::S(s) => neutralise(s),
            Val::I(i) => i.to_string(),
            Val::N(n) => format!("{n:.1}"),
            Val::B(b) => b.to_string(),
            Val::L(l) => neutralise(&l.join(LIST_SEPARATOR)),
            Val::LI(l) => l
                .iter()
                .map(u8::to_string)
                .collect::<Vec<_>>()
                .join(LIST_SEPARATOR),
            Val::Null => String::new(),
        }
    }

    pub fn json(&self) -> Value {
        match self {
            Val::S(s) => json!(s),
            Val::I(i) => json!(i),
            Val::N(n) => json!(n),
            Val::B(b) => json!(b),
            Val::L(l) => json!(l),
            Val::LI(l) => json!(l),
            Val::Null => Value::Null,
        }
    }
}

/// Writes one row of cells as a CSV record (see [`Val::write_csv`]).
pub fn write_csv_row<W: Write>(
    out: &mut csv::Writer<W>,
    row: &[Val<'_>],
    scratch: &mut String,
) -> csv::Result<()> {
    for v in row {
        v.write_csv(out, scratch)?;
    }
    out.write_record(None::<&[u8]>)
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
    let mut scratch = String::new();
    for r in rows {
        write_csv_row(&mut wtr, &r, &mut scratch)?;
    }
    wtr.flush()
}

/// One JSON object per row, keys in column order.
pub fn json_object(fields: &[Field], row: &[Val<'_>]) -> Value {
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
        let l = V::L(vec!["a".into(), "b".into()].into());
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

    fn any_cell() -> impl proptest::strategy::Strategy<Value = V> {
        use proptest::prelude::*;
        let text = "[=+@\\-\t\r a-zé中😀,;\"\n]{0,8}";
        prop_oneof![
            text.prop_map(V::s),
            any::<u64>().prop_map(V::I),
            (-1e6f64..1e6).prop_map(V::N),
            any::<bool>().prop_map(V::B),
            proptest::collection::vec(text, 0..4).prop_map(|l| V::L(l.into())),
            proptest::collection::vec(any::<u8>(), 0..4).prop_map(|l| V::LI(l.into())),
            Just(V::Null),
        ]
    }

    proptest::proptest! {
        /// The streamed writer gives exactly the bytes of each cell's CSV text.
        #[test]
        fn cells_written_in_place_are_the_cells_csv_text(rows in proptest::collection::vec(proptest::collection::vec(any_cell(), 4), 1..5)) {
            let mut direct = csv::Writer::from_writer(Vec::new());
            let mut scratch = String::new();
            let mut by_text = csv::Writer::from_writer(Vec::new());
            for r in &rows {
                write_csv_row(&mut direct, r, &mut scratch).unwrap();
                by_text.write_record(r.iter().map(|v| v.csv())).unwrap();
            }
            proptest::prop_assert_eq!(direct.into_inner().unwrap(), by_text.into_inner().unwrap());
        }
    }
}
