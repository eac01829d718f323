//! Publishing for analysts: the data package recomputes every reported number in SQL,
//! every CSV is one rectangular, typed table that Python's csv module, pandas and DuckDB
//! read without options, and Excel CSVs are safe to open.

mod common;

use common::TestStore;
use common::sqlite::{have, long_counts, recompute_in_sqlite};
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

fn python_has(module: &str) -> bool {
    Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success())
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

/// Pages of a PDF as (width, height, RGB bytes), through poppler's pdftoppm.
fn pdf_pages(pdf: &Path, dpi: u32) -> Vec<(usize, usize, Vec<u8>)> {
    let prefix = pdf.with_extension("page");
    let out = Command::new("pdftoppm")
        .args(["-r", &dpi.to_string()])
        .arg(pdf)
        .arg(&prefix)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dir = pdf.parent().unwrap();
    let stem = prefix.file_name().unwrap().to_string_lossy().to_string();
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(&stem))
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| {
            // Binary PPM: "P6\n<w> <h>\n255\n" then RGB.
            let b = std::fs::read(f).unwrap();
            let mut fields = Vec::new();
            let mut i = 0;
            while fields.len() < 4 {
                while b[i].is_ascii_whitespace() {
                    i += 1;
                }
                let start = i;
                while !b[i].is_ascii_whitespace() {
                    i += 1;
                }
                fields.push(String::from_utf8_lossy(&b[start..i]).to_string());
            }
            assert_eq!(fields[0], "P6");
            let (w, h) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
            (w, h, b[i + 1..].to_vec())
        })
        .collect()
}

#[test]
fn printable_reports_have_titles_groups_and_fit_a4() {
    let s = seeded(300, 4);
    let dir = s.dir.path();
    let args = ["report", "--period", "2025-26", "--level"];
    let html = s.ok(&[&args[..], &["service", "--format", "html"]].concat());
    let title = "Glenmore Health and Social Care Partnership, 2025-26, produced 23 November 2026";
    assert!(html.contains(&format!(
        "<title>Personal outcomes report (service level): {title}</title>"
    )));
    let national_note = "added into every national outcome";
    assert!(
        !html.contains(national_note),
        "the national note is for national reports only"
    );
    assert!(
        html.contains("<caption>")
            && html.contains("scope=\"col\"")
            && html.contains("scope=\"row\"")
    );
    assert!(html.contains(
        "<th scope=\"rowgroup\" colspan=\"10\">Adults using services: Quality of life</th>"
    ));
    assert!(
        html.contains("<caption>What got in the way"),
        "barriers are a table"
    );
    assert!(
        html.contains("; small base)")
            && html.contains("Small base: fewer than 30 people. Treat such a share with caution")
    );
    assert!(html.contains("people on the service's records when produced (everyone in its services, not only those seen in the period)"));
    let nat = s.ok(&[&args[..], &["national", "--format", "html"]].concat());
    assert_eq!(
        nat.matches(national_note).count(),
        1,
        "once, in the national report"
    );
    let md = s.ok(&[&args[..], &["organisation", "--format", "md"]].concat());
    assert!(md.starts_with(&format!(
        "# Personal outcomes report (organisation level): {title}\n"
    )));
    assert!(md.contains("\n### Unpaid carers: Managing the caring role\n"));
    assert!(!md.contains(national_note));
    // JSON gives each published percentage its base and 95% interval.
    let json: serde_json::Value =
        serde_json::from_str(&s.ok(&[&args[..], &["partnership", "--format", "json"]].concat()))
            .unwrap();
    let m = &json[0]["plans_reviewed_on_time"];
    let (k, n) = (
        m["reviewed_on_time"].as_u64().unwrap(),
        m["due"].as_u64().unwrap(),
    );
    assert_eq!(m["pct_base"], n);
    let ci = talking_points::report_tables::wilson(k, n).unwrap();
    assert_eq!(m["pct_ci95"], serde_json::json!([ci.0, ci.1]));

    // Printed on A4 by Chromium, nothing runs into the right margin or off the page.
    let chromium = ["chromium", "chromium-browser"]
        .into_iter()
        .find(|c| have(c, "--version"));
    let (Some(chromium), true) = (chromium, have("pdftoppm", "-v")) else {
        println!("skipped the print check: chromium or pdftoppm (poppler-utils) is not installed");
        return;
    };
    let file = dir.join("service.html");
    std::fs::write(&file, &html).unwrap();
    let pdf = dir.join("service.pdf");
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", file.display()))
        .output()
        .unwrap();
    assert!(pdf.exists(), "{}", String::from_utf8_lossy(&out.stderr));
    let pages = pdf_pages(&pdf, 30);
    assert!(pages.len() > 1);
    for (i, (w, h, rgb)) in pages.iter().enumerate() {
        // A4 at 30 dpi is 248 x 351 pixels.
        assert!(
            (245..=250).contains(w) && (348..=353).contains(h),
            "page {i} is {w}x{h}"
        );
        let margin = 8; // about 7 mm of the 12 mm margin
        let mut inked = 0;
        for y in 0..*h {
            for x in 0..*w {
                let p = (y * w + x) * 3;
                let ink = rgb[p..p + 3].iter().any(|c| *c < 200);
                if ink {
                    inked += 1;
                    assert!(
                        x < w - margin,
                        "page {} has ink at x={x} of {w}: the report is wider than A4",
                        i + 1
                    );
                }
            }
        }
        assert!(inked > 500, "page {} is blank", i + 1);
    }
    // The last column, bars included, is printed inside the page on the first page.
    let (w, h, rgb) = &pages[0];
    let green = (0..w * h).any(|p| rgb[p * 3..p * 3 + 3] == [0x1b, 0x78, 0x37]);
    let text = Command::new("pdftotext")
        .args([
            "-f", "1", "-l", "1", "-x", "0", "-y", "0", "-W", "595", "-H", "842",
        ])
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("partly /") && text.contains("Met % (base)"),
        "{text}"
    );
    assert!(
        green || text.contains("suppressed"),
        "the bars column is on the page"
    );
}
