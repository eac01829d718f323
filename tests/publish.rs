//! Publishing for analysts: the data package recomputes every reported number in SQL,
//! every CSV is one rectangular, typed table that Python's csv module, pandas and DuckDB
//! read without options, and Excel CSVs are safe to open.

mod common;

use common::TestStore;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use talking_points::tabular::{Field, Ty};

fn seeded(people: usize, seed: u64) -> TestStore {
    let s = TestStore::new();
    s.ok(&[
        "seed",
        "--people",
        &people.to_string(),
        "--seed",
        &seed.to_string(),
    ]);
    s
}

fn have(cmd: &str, arg: &str) -> bool {
    Command::new(cmd)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

fn python_has(module: &str) -> bool {
    Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

type Key = (String, String, String, String, String, String);

fn long_counts(text: &str) -> BTreeMap<Key, u64> {
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let h: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    let mut out = BTreeMap::new();
    for r in rdr.records() {
        let r = r.unwrap();
        let get = |n: &str| r[h.iter().position(|x| x == n).unwrap()].to_string();
        let v: u64 = get("value")
            .parse()
            .unwrap_or_else(|_| panic!("a value in {r:?}"));
        if v > 0 {
            out.insert(
                (
                    get("level"),
                    get("unit"),
                    get("measure"),
                    get("framework"),
                    get("outcome_id"),
                    get("term"),
                ),
                v,
            );
        }
    }
    out
}

fn sqlite(db: &Path, args: &[&str]) -> String {
    let out = Command::new("sqlite3").arg(db).args(args).output().unwrap();
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "sqlite3 {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Loads a data package into a new SQLite database and runs sql/rollup.sql for a period.
fn recompute_in_sqlite(pkg: &Path, period: (&str, &str, &str), today: &str) -> String {
    let db = pkg.join("rollup.db");
    let _ = std::fs::remove_file(&db);
    sqlite(
        &db,
        &[&format!(".read {}", pkg.join("schema.sql").display())],
    );
    for t in [
        "people",
        "conversations",
        "outcomes",
        "outcome_definitions",
        "outcome_national",
    ] {
        let file = pkg.join(format!("{t}.csv"));
        sqlite(
            &db,
            &[&format!(".import --csv --skip 1 {} {t}", file.display())],
        );
    }
    sqlite(
        &db,
        &[&format!(
            "CREATE TABLE params AS SELECT '{}' AS period, '{}' AS period_start, '{}' AS period_end, '{today}' AS today;",
            period.0, period.1, period.2
        )],
    );
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("sql/rollup.sql");
    sqlite(
        &db,
        &[
            "-csv",
            "-header",
            &format!(".read {}", script.display()),
            "SELECT level, unit, period, measure, coalesce(framework, '') AS framework, coalesce(outcome_id, '') AS outcome_id, coalesce(term, '') AS term, value FROM rollup_long;",
        ],
    )
}

#[test]
fn sql_rollup_recomputes_every_reported_count_from_the_data_package() {
    if !have("sqlite3", "--version") {
        println!("skipped: the sqlite3 command is not installed (apt-get install sqlite3)");
        return;
    }
    for (people, seed, period) in [
        (300, 2, ("2025-26", "2025-04-01", "2026-03-31")),
        (400, 7, ("2025-26-Q3", "2025-10-01", "2025-12-31")),
        (
            250,
            13,
            ("2023-06-15..2025-01-31", "2023-06-15", "2025-01-31"),
        ),
    ] {
        let s = seeded(people, seed);
        let pkg = s.dir.path().join("package");
        s.ok(&["export", "--out", pkg.to_str().unwrap()]);
        let sql = long_counts(&recompute_in_sqlite(&pkg, period, "2026-11-23"));
        let mut report = BTreeMap::new();
        for level in ["service", "organisation", "partnership", "national"] {
            let out = s.ok(&[
                "report",
                "--level",
                level,
                "--period",
                period.0,
                "--format",
                "csv",
                "--table",
                "long",
                "--suppress",
                "0",
            ]);
            report.extend(long_counts(&out));
        }
        assert!(report.len() > 500, "the report has many counts");
        let differ: Vec<_> = report
            .keys()
            .chain(sql.keys())
            .filter(|k| report.get(*k) != sql.get(*k))
            .take(5)
            .map(|k| (k, report.get(k), sql.get(k)))
            .collect();
        assert!(
            differ.is_empty(),
            "seed {seed} {}: report vs SQL differ: {differ:?}",
            period.0
        );
        for m in [
            "overdue_reviews",
            "plans_reviewed_on_time",
            "barrier",
            "carers_supported_denominator",
        ] {
            assert!(sql.keys().any(|k| k.2 == m), "{m} is recomputed");
        }
    }
}

/// Checks with Python's csv module that `file` is rectangular and each column holds what
/// its type says. Returns the number of data rows.
fn python_check(file: &Path, fields: &[Field]) -> usize {
    let types: Vec<(&str, &str)> = fields
        .iter()
        .map(|f| (f.name, f.ty.frictionless()))
        .collect();
    let script = r#"
import csv, json, re, sys
path, types = sys.argv[1], json.loads(sys.argv[2])
with open(path, newline='', encoding='utf-8-sig') as f:
    rows = list(csv.reader(f))
header = rows[0]
assert header == [n for n, _ in types], ("header", header)
for i, r in enumerate(rows[1:], 2):
    assert len(r) == len(header), ("line", i, "has", len(r), "fields")
    for (name, ty), v in zip(types, r):
        if v == "":
            continue
        ok = {"integer": lambda v: re.fullmatch(r"\d+", v),
              "number": lambda v: re.fullmatch(r"\d+(\.\d+)?", v),
              "boolean": lambda v: v in ("true", "false"),
              "date": lambda v: re.fullmatch(r"\d{4}-\d\d-\d\d", v),
              "string": lambda v: True}[ty](v)
        assert ok, ("line", i, name, ty, v)
print(len(rows) - 1)
"#;
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(file)
        .arg(serde_json::to_string(&types).unwrap())
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

#[test]
fn every_csv_is_rectangular_and_typed_as_its_schema_says() {
    if !have("python3", "--version") {
        println!("skipped: python3 is not installed");
        return;
    }
    use talking_points::report_tables as t;
    let s = seeded(300, 4);
    let dir = s.dir.path();
    let tables: [(&str, Vec<Field>); 6] = [
        ("outcomes", t::outcome_fields()),
        ("measures", t::measure_fields()),
        (
            "barriers",
            t::term_fields(talking_points::forms::Vocab::Barriers),
        ),
        (
            "contributors",
            t::term_fields(talking_points::forms::Vocab::Contributors),
        ),
        ("notes", t::note_fields()),
        ("long", t::long_fields()),
    ];
    for level in ["service", "national"] {
        for (name, fields) in &tables {
            let file = dir.join(format!("{level}-{name}.csv"));
            s.ok(&[
                "report",
                "--level",
                level,
                "--period",
                "2025-26",
                "--format",
                "csv",
                "--table",
                name,
                "--out",
                file.to_str().unwrap(),
            ]);
            assert!(python_check(&file, fields) > 0, "{level} {name} has rows");
        }
    }
    // Suppressed cells are empty with a flag, so the count columns stay numbers.
    let outcomes = std::fs::read_to_string(dir.join("service-outcomes.csv")).unwrap();
    assert!(
        outcomes.contains(",,true,"),
        "some cell is suppressed and flagged"
    );
    assert!(!outcomes.contains('*') && !outcomes.lines().any(|l| l.starts_with('#')));

    // The data package: each CSV against the types its datapackage.json declares.
    let pkg = dir.join("package");
    s.ok(&["export", "--out", pkg.to_str().unwrap(), "--include-text"]);
    let dp: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(pkg.join("datapackage.json")).unwrap())
            .unwrap();
    assert_eq!(
        dp["schema_version"],
        talking_points::tabular::SCHEMA_VERSION
    );
    assert_eq!(dp["extract_date"], "2026-11-23");
    let resources = dp["resources"].as_array().unwrap();
    assert_eq!(resources.len(), 5);
    for r in resources {
        let fields: Vec<Field> = r["schema"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                let ty = match f["type"].as_str().unwrap() {
                    "integer" => Ty::Int,
                    "number" => Ty::Num,
                    "boolean" => Ty::Bool,
                    "date" => Ty::Date,
                    _ => Ty::Str,
                };
                let name: &'static str =
                    Box::leak(f["name"].as_str().unwrap().to_string().into_boxed_str());
                assert!(
                    !f["description"].as_str().unwrap().is_empty(),
                    "{name} is described"
                );
                Field::new(name, ty, "")
            })
            .collect();
        let file = pkg.join(r["path"].as_str().unwrap());
        assert!(python_check(&file, &fields) > 0, "{} has rows", r["name"]);
    }
    // The flat export is the package's outcomes table.
    let flat = dir.join("rows.csv");
    s.ok(&["export", "--out", flat.to_str().unwrap(), "--include-text"]);
    assert_eq!(
        std::fs::read(&flat).unwrap(),
        std::fs::read(pkg.join("outcomes.csv")).unwrap()
    );
}

#[test]
fn pandas_and_duckdb_load_the_outputs_without_options() {
    if !python_has("pandas") || !python_has("duckdb") {
        println!(
            "skipped: pandas or duckdb is not installed for python3 (pip install pandas duckdb)"
        );
        return;
    }
    let s = seeded(300, 6);
    let dir = s.dir.path();
    let report = dir.join("report.csv");
    s.ok(&[
        "report",
        "--level",
        "organisation",
        "--period",
        "2025-26",
        "--format",
        "csv",
        "--out",
        report.to_str().unwrap(),
    ]);
    let pkg = dir.join("package");
    s.ok(&["export", "--out", pkg.to_str().unwrap()]);
    let script = r#"
import sys, pandas as pd, duckdb
report, pkg = sys.argv[1], sys.argv[2]
df = pd.read_csv(report)
assert str(df["reviewed"].dtype) in ("float64", "int64"), df.dtypes
assert str(df["met_suppressed"].dtype) == "bool", df.dtypes
con = duckdb.connect()
con.execute(open(pkg + "/schema.sql").read())
for t in ["people", "conversations", "outcomes", "outcome_definitions", "outcome_national"]:
    con.execute(f"COPY {t} FROM '{pkg}/{t}.csv' (HEADER)")
n = con.execute("SELECT count(*) FROM outcomes WHERE closed").fetchone()[0]
assert n > 0, "closed is boolean"
d = con.execute("SELECT typeof(date), typeof(sequence) FROM outcomes LIMIT 1").fetchone()
assert d == ("DATE", "BIGINT"), d
people = con.execute("SELECT count(*) FROM people").fetchone()[0]
print(people)
"#;
    let out = Command::new("python3")
        .args(["-c", script])
        .arg(&report)
        .arg(&pkg)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "300");
}

#[test]
fn excel_csvs_have_a_bom_and_formulas_are_neutralised() {
    let s = TestStore::new();
    s.ok(&[
        "org",
        "add",
        "--partnership",
        "=HYPERLINK(\"x\")",
        "--organisation",
        "+Org",
        "--service",
        "@Home",
    ]);
    let id = s.add_person("Ann Example", "@Home");
    let plan = format!(
        r#"{{"conversations": [{{"person": "{id}", "stage": "planning", "date": "2025-05-01", "practitioner": "pw", "review_by": "2025-08-01",
           "outcomes": [{{"outcome": "feeling_safe", "statement": "-1+1 safe"}}]}}]}}"#
    );
    let out = s.record(&plan);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = s.ok(&[
        "report", "--level", "service", "--period", "2025-26", "--format", "csv", "--excel",
    ]);
    assert!(
        report.starts_with('\u{feff}'),
        "a byte-order mark for Excel"
    );
    assert!(report.contains(",'@Home,") && !report.contains(",@Home,"));
    let plain = s.ok(&[
        "report", "--level", "service", "--period", "2025-26", "--format", "csv",
    ]);
    assert!(!plain.starts_with('\u{feff}'));
    let export = s.ok(&["export", "--include-text"]);
    assert!(export.contains("'=HYPERLINK") && export.contains(",'-1+1 safe"));
    assert!(export.contains(",'+Org,"));
    // JSON keeps the text as it was.
    let jsonl = s.ok(&["export", "--format", "jsonl", "--include-text"]);
    let row: serde_json::Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    assert_eq!(row["statement"], "-1+1 safe");
    assert_eq!(row["national_outcomes"], serde_json::json!([7]));
    assert_eq!(row["review_by"], "2025-08-01");
    // --table is for CSV only.
    s.cmd()
        .args([
            "report", "--level", "service", "--period", "2025-26", "--table", "notes",
        ])
        .assert()
        .code(2);
}
