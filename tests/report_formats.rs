//! One protected set of numbers, five renderings: the table, CSV, JSON, Markdown and
//! HTML of one seeded report publish the same numbers and suppress the same cells; and
//! trend reports (`--period A,B`) are each period's report side by side.

mod common;

use common::TestStore;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

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

/// (unit, outcome or measure label, column) -> the published text: a number, or `*`.
type Published = BTreeMap<(String, String, String), String>;

const COLS: [&str; 6] = [
    "planned",
    "reviewed",
    "met",
    "partly",
    "not_met",
    "no_longer",
];
const CSV_COLS: [&str; 6] = [
    "people_planned",
    "reviewed",
    "met",
    "partly_met",
    "not_met",
    "no_longer_relevant",
];

fn csv_records(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let h: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    rdr.records()
        .map(|r| {
            h.iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

/// A CSV value with its flag, as the other formats show it.
fn flagged(r: &BTreeMap<String, String>, col: &str) -> String {
    if r[&format!("{col}_suppressed")] == "true" {
        assert_eq!(r[col], "", "a suppressed {col} has no value");
        "*".into()
    } else {
        r[col].clone()
    }
}

fn json_flagged(o: &Value, col: &str) -> String {
    let flag = o[format!("{col}_suppressed")]
        .as_bool()
        .unwrap_or_else(|| panic!("{col}_suppressed in {o}"));
    match &o[col] {
        Value::Null if flag => "*".into(),
        Value::Null => String::new(),
        Value::Number(n) if !flag => n.to_string(),
        other => panic!("{col} is {other} with flag {flag}"),
    }
}

/// The unit a block heading names: "Service X: 2025-26 (...)" gives X.
fn unit_of(heading: &str) -> String {
    let rest = heading.split_once(' ').unwrap().1;
    rest.rsplit_once(": 20").unwrap().0.to_string()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

fn from_csv(s: &TestStore, args: &[&str]) -> (Published, Published, Published) {
    let csv =
        |table: &str| csv_records(&s.ok(&[args, &["--format", "csv", "--table", table]].concat()));
    let mut rows = Published::new();
    for r in csv("outcomes") {
        for (c, col) in COLS.iter().zip(CSV_COLS) {
            rows.insert(
                (r["unit"].clone(), r["outcome_label"].clone(), c.to_string()),
                flagged(&r, col),
            );
        }
    }
    let mut measures = Published::new();
    for r in csv("measures") {
        if r["measure_id"] == "people" {
            continue;
        }
        for col in ["numerator", "denominator"] {
            measures.insert(
                (r["unit"].clone(), r["measure_label"].clone(), col.into()),
                flagged(&r, col),
            );
        }
    }
    let mut barriers = Published::new();
    for r in csv("barriers") {
        barriers.insert(
            (
                r["unit"].clone(),
                r["outcome_label"].clone(),
                r["barrier_label"].clone(),
            ),
            flagged(&r, "count"),
        );
    }
    (rows, measures, barriers)
}

fn from_json(text: &str) -> (Published, Published, Published) {
    let v: Value = serde_json::from_str(text).unwrap();
    let (mut rows, mut measures, mut barriers) =
        (Published::new(), Published::new(), Published::new());
    for u in v.as_array().unwrap() {
        let unit = u["unit"].as_str().unwrap().to_string();
        for r in u["rows"].as_array().unwrap() {
            let label = r["outcome_label"].as_str().unwrap().to_string();
            for (c, col) in COLS.iter().zip(CSV_COLS) {
                rows.insert(
                    (unit.clone(), label.clone(), c.to_string()),
                    json_flagged(r, col),
                );
            }
            for b in r["barriers"].as_array().unwrap() {
                barriers.insert(
                    (
                        unit.clone(),
                        label.clone(),
                        b["label"].as_str().unwrap().into(),
                    ),
                    json_flagged(b, "count"),
                );
            }
        }
        let mut m = |label: &str, o: &Value, num: &str, den: Option<&str>| {
            measures.insert(
                (unit.clone(), label.into(), "numerator".into()),
                json_flagged(o, num),
            );
            let d = den.map_or(String::new(), |d| json_flagged(o, d));
            measures.insert((unit.clone(), label.into(), "denominator".into()), d);
        };
        m(
            "People with a review overdue",
            &u["overdue_reviews"],
            "count",
            None,
        );
        m(
            "Plans reviewed by their agreed date",
            &u["plans_reviewed_on_time"],
            "reviewed_on_time",
            Some("due"),
        );
        for x in u["local_measures"].as_array().unwrap() {
            m(
                x["label"].as_str().unwrap(),
                x,
                "numerator",
                Some("denominator"),
            );
        }
    }
    (rows, measures, barriers)
}

/// The terminal table: columns are right-aligned under their headers.
fn from_table(text: &str) -> Published {
    let mut rows = Published::new();
    let mut unit = String::new();
    let mut edges: Vec<usize> = Vec::new();
    for line in text.lines() {
        if line.contains(": 20") && line.contains(" people on the ") {
            unit = unit_of(line);
            edges.clear();
        } else if line.starts_with("Outcome  ") && !unit.is_empty() {
            let mut at = 0;
            edges = line
                .split("  ")
                .filter(|w| !w.trim().is_empty())
                .map(|w| {
                    let i = line[at..].find(w.trim()).unwrap() + at + w.trim().len();
                    at = i;
                    i
                })
                .collect();
        } else if line.starts_with("Overdue reviews:") || line.is_empty() {
            edges.clear();
        } else if edges.len() == 8 {
            // The label is left-aligned and runs past its header; it ends at the first
            // double space.
            let label_end = line.find("  ").unwrap();
            let cell = |i: usize| {
                let a = if i == 1 { label_end } else { edges[i - 1] };
                let b = edges[i];
                line.get(a..b.min(line.len()))
                    .unwrap_or("")
                    .trim()
                    .to_string()
            };
            let label = line[..label_end].trim().to_string();
            for (i, c) in COLS.iter().enumerate() {
                rows.insert((unit.clone(), label.clone(), c.to_string()), cell(i + 1));
            }
        }
    }
    rows
}

fn md_cells(line: &str) -> Vec<String> {
    line.trim()
        .trim_matches('|')
        .split(" | ")
        .map(|c| c.trim().replace("\\|", "|"))
        .collect()
}

fn from_markdown(text: &str) -> (Published, Published, Published) {
    let (mut rows, mut measures, mut barriers) =
        (Published::new(), Published::new(), Published::new());
    let mut unit = String::new();
    let mut in_measures = false;
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("## ") {
            unit = unit_of(h);
        } else if line.starts_with("### ") {
            in_measures = line == "### Measures";
        } else if line.starts_with("| ") && !line.starts_with("|---") {
            let c = md_cells(line);
            if c[0] == "Outcome" || c[0] == "Measure" {
                continue;
            }
            match c.len() {
                9 => {
                    for (i, col) in COLS.iter().enumerate() {
                        rows.insert(
                            (unit.clone(), c[0].clone(), col.to_string()),
                            c[i + 2].clone(),
                        );
                    }
                }
                4 if in_measures => {
                    measures.insert(
                        (unit.clone(), c[0].clone(), "numerator".into()),
                        c[1].clone(),
                    );
                    measures.insert(
                        (unit.clone(), c[0].clone(), "denominator".into()),
                        c[2].clone(),
                    );
                }
                3 => {
                    barriers.insert((unit.clone(), c[0].clone(), c[1].clone()), c[2].clone());
                }
                n => panic!("a Markdown row of {n} cells: {line}"),
            }
        }
    }
    (rows, measures, barriers)
}

fn html_cells(line: &str) -> Vec<String> {
    let line = line.replace("</th>", "</td>");
    let mut parts: Vec<&str> = line.split("</td>").collect();
    parts.pop(); // what follows the last cell
    parts
        .iter()
        .map(|part| unescape(part.rsplit_once('>').map_or("", |(_, v)| v)))
        .collect()
}

fn from_html(text: &str) -> (Published, Published, Published) {
    let (mut rows, mut measures, mut barriers) =
        (Published::new(), Published::new(), Published::new());
    let mut unit = String::new();
    for line in text.lines() {
        if let Some(h) = line.strip_prefix("<h2>") {
            unit = unit_of(&unescape(h.trim_end_matches("</h2>")));
        } else if line.starts_with("<tr><th scope=\"row\">") {
            let c = html_cells(line);
            match c.len() {
                // outcome, national, six counts, met %, bar
                10 => {
                    for (i, col) in COLS.iter().enumerate() {
                        rows.insert(
                            (unit.clone(), c[0].clone(), col.to_string()),
                            c[i + 2].clone(),
                        );
                    }
                }
                4 => {
                    measures.insert(
                        (unit.clone(), c[0].clone(), "numerator".into()),
                        c[1].clone(),
                    );
                    measures.insert(
                        (unit.clone(), c[0].clone(), "denominator".into()),
                        c[2].clone(),
                    );
                }
                3 => {
                    barriers.insert((unit.clone(), c[0].clone(), c[1].clone()), c[2].clone());
                }
                n => panic!("an HTML row of {n} cells: {line}"),
            }
        }
    }
    (rows, measures, barriers)
}

fn suppressed(p: &Published) -> BTreeSet<&(String, String, String)> {
    p.iter()
        .filter(|(_, v)| *v == "*")
        .map(|(k, _)| k)
        .collect()
}

#[test]
fn every_format_publishes_the_same_numbers_and_hides_the_same_cells() {
    let s = seeded(500, 7);
    let args = ["report", "--level", "service", "--period", "2025-26"];
    let with = |f: &str| s.ok(&[&args[..], &["--format", f]].concat());
    let (csv_rows, csv_measures, csv_barriers) = from_csv(&s, &args);
    let (json_rows, json_measures, json_barriers) = from_json(&with("json"));
    let (md_rows, md_measures, md_barriers) = from_markdown(&with("md"));
    let (html_rows, html_measures, html_barriers) = from_html(&with("html"));
    let table_rows = from_table(&with("table"));

    assert!(
        csv_rows.len() > 500,
        "every service and outcome: {}",
        csv_rows.len()
    );
    let hidden = suppressed(&csv_rows).len();
    assert!(hidden > 50, "the seeded report suppresses cells: {hidden}");
    for (name, rows) in [
        ("json", &json_rows),
        ("md", &md_rows),
        ("html", &html_rows),
        ("table", &table_rows),
    ] {
        assert_eq!(rows.len(), csv_rows.len(), "{name}: every outcome cell");
        for (k, v) in &csv_rows {
            assert_eq!(rows.get(k), Some(v), "{name} {k:?}");
        }
    }
    for (name, m) in [
        ("json", &json_measures),
        ("md", &md_measures),
        ("html", &html_measures),
    ] {
        assert_eq!(m, &csv_measures, "{name}: the same measures");
    }
    // CSV and JSON give every barrier count; the printed formats the three most named
    // per outcome, each as the CSV has it (never a number the CSV hides).
    assert_eq!(json_barriers, csv_barriers);
    assert!(suppressed(&csv_barriers).len() > 10);
    for (name, b) in [("md", &md_barriers), ("html", &html_barriers)] {
        assert!(b.len() > 50, "{name} shows barriers");
        for (k, v) in b {
            assert_eq!(csv_barriers.get(k), Some(v), "{name} barrier {k:?}");
        }
    }
}

#[test]
fn the_json_report_says_how_it_marks_suppression() {
    let s = seeded(200, 3);
    let v: Value = serde_json::from_str(&s.ok(&[
        "report", "--level", "service", "--period", "2025-26", "--format", "json",
    ]))
    .unwrap();
    let u = &v[0];
    assert!(
        u["suppression"]["convention"]
            .as_str()
            .unwrap()
            .contains("null")
    );
    assert!(
        u["people_counts"]
            .as_str()
            .unwrap()
            .contains("not only those seen in the period")
    );
    // No suppressed count is ever a string marker: numbers or null, each with its flag.
    let text = v.to_string();
    assert!(!text.contains("\"*\"") && !text.contains("\"c\""));
}

fn outcome_rows(s: &TestStore, period: &str, extra: &[&str]) -> Vec<BTreeMap<String, String>> {
    csv_records(
        &s.ok(&[
            &[
                "report",
                "--level",
                "partnership",
                "--period",
                period,
                "--format",
                "csv",
            ][..],
            extra,
        ]
        .concat()),
    )
}

#[test]
fn a_trend_is_each_period_protected_as_alone_side_by_side() {
    let s = seeded(500, 11);
    let periods = ["2023-24", "2024-25", "2025-26"];
    let mut alone: Vec<_> = periods
        .iter()
        .flat_map(|p| outcome_rows(&s, p, &[]))
        .collect();
    let mut trend = outcome_rows(&s, &periods.join(","), &[]);
    alone.sort();
    trend.sort();
    assert_eq!(trend, alone, "the same cells, the same suppression");
    assert!(trend.iter().any(|r| r["met_suppressed"] == "true"));
    for args in [
        &["--level", "service", "--format", "json"][..],
        &[
            "--level",
            "organisation",
            "--format",
            "csv",
            "--table",
            "long",
        ][..],
    ] {
        let one: Vec<String> = periods
            .iter()
            .map(|p| s.ok(&[&["report", "--period", p][..], args].concat()))
            .collect();
        let both = s.ok(&[&["report", "--period", &periods.join(",")][..], args].concat());
        if args.contains(&"json") {
            let mut a: Vec<Value> = one
                .iter()
                .flat_map(|t| serde_json::from_str::<Vec<Value>>(t).unwrap())
                .collect();
            let mut b: Vec<Value> = serde_json::from_str(&both).unwrap();
            let key = |v: &Value| v.to_string();
            a.sort_by_key(key);
            b.sort_by_key(key);
            assert_eq!(a, b);
        } else {
            let mut a: Vec<_> = one.iter().flat_map(|t| csv_records(t)).collect();
            let mut b = csv_records(&both);
            a.sort();
            b.sort();
            assert_eq!(a, b);
        }
    }

    // Side by side in the printed formats: one row per outcome, a column per period.
    let md = s.ok(&[
        "report",
        "--level",
        "partnership",
        "--period",
        "2024-25,2025-26",
        "--format",
        "md",
    ]);
    assert!(md.contains(
        "| Outcome | 2024-25 reviewed | 2024-25 met % | 2025-26 reviewed | 2025-26 met % |"
    ));
    let html = s.ok(&[
        "report",
        "--level",
        "partnership",
        "--period",
        "2024-25,2025-26",
        "--format",
        "html",
    ]);
    assert!(html.contains("<th scope=\"colgroup\" colspan=\"2\">2025-26</th>"));
    assert!(html.contains("<title>Personal outcomes report (partnership level): Glenmore Health and Social Care Partnership, 2024-25, 2025-26, produced"));
    let table = s.ok(&[
        "report",
        "--level",
        "partnership",
        "--period",
        "2024-25,2025-26",
    ]);
    assert!(table.starts_with("Trend, partnership "));
}

#[test]
fn a_year_is_not_the_sum_of_its_quarters() {
    // Why a trend can protect periods one at a time: the latest review of a
    // person-outcome in each period counts, so nothing adds up across periods.
    let s = seeded(500, 11);
    let count = |period: &str| -> BTreeMap<String, u64> {
        outcome_rows(&s, period, &["--suppress", "0"])
            .into_iter()
            .map(|r| (r["outcome_id"].clone(), r["reviewed"].parse().unwrap()))
            .collect()
    };
    let year = count("2024-25");
    let quarters: Vec<_> = (1..=4).map(|q| count(&format!("2024-25-Q{q}"))).collect();
    let mut fewer = 0;
    for (outcome, y) in &year {
        let sum: u64 = quarters.iter().map(|q| q[outcome]).sum();
        let most = quarters.iter().map(|q| q[outcome]).max().unwrap();
        assert!(most <= *y && *y <= sum, "{outcome}: {y} against {sum}");
        fewer += usize::from(*y < sum);
    }
    assert!(fewer > 0, "someone reviewed twice in the year counts once");
    // A year beside its own quarter could narrow a suppressed quarter cell through
    // these inequalities, so a trend refuses overlapping periods.
    let out = s
        .cmd()
        .args([
            "report",
            "--level",
            "partnership",
            "--period",
            "2024-25,2024-25-Q4",
            "--format",
            "md",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("overlap"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_period_given_twice_is_a_usage_error() {
    let s = seeded(20, 1);
    for periods in [
        "2024-25,2024-25",
        "2024-25,2024-04-01..2025-03-31",
        "2024-25,,2025-26",
        "2024-25,2024-26",
    ] {
        let out = s
            .cmd()
            .args(["report", "--level", "service", "--period", periods])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{periods}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn a_units_people_are_hidden_in_every_period_of_a_trend_or_none() {
    let s = seeded(400, 5);
    let rows = csv_records(&s.ok(&[
        "report",
        "--level",
        "service",
        "--period",
        "2023-24,2024-25,2025-26",
        "--format",
        "csv",
        "--table",
        "measures",
    ]));
    let mut by_unit: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for r in rows.iter().filter(|r| r["measure_id"] == "people") {
        by_unit
            .entry(r["unit"].clone())
            .or_default()
            .insert(flagged(r, "numerator"));
    }
    assert!(by_unit.len() > 5);
    for (unit, shown) in by_unit {
        assert_eq!(shown.len(), 1, "{unit}: {shown:?}");
    }
}
