//! `report`: every format carries the same numbers, suppression is applied and said,
//! the HTML stands alone, and the CSV agrees with a roll-up recomputed here from the
//! row-level export.

mod common;

use common::TestStore;
use proptest::prelude::*;
use std::collections::HashMap;

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

fn csv_rows(text: &str) -> Vec<HashMap<String, String>> {
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    let mut rdr = csv::Reader::from_reader(body.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    rdr.records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect()
}

/// Recomputes reviewed / met / partly / not / no-longer-relevant per service and outcome
/// from the export: the latest review of each person and outcome within the period.
fn recompute(export: &str, from: &str, to: &str) -> HashMap<(String, String), [u64; 5]> {
    let mut latest: HashMap<(String, String, String), (String, u64, String)> = HashMap::new();
    for r in csv_rows(export) {
        if r["stage"] != "review" || r["date"].as_str() < from || r["date"].as_str() > to {
            continue;
        }
        let key = (
            r["service"].clone(),
            r["outcome_id"].clone(),
            r["person_key"].clone(),
        );
        let cand = (
            r["date"].clone(),
            r["sequence"].parse::<u64>().unwrap(),
            r["status"].clone(),
        );
        let e = latest.entry(key).or_insert_with(|| cand.clone());
        if (&cand.0, &cand.1) > (&e.0, &e.1) {
            *e = cand;
        }
    }
    let mut out: HashMap<(String, String), [u64; 5]> = HashMap::new();
    for ((service, outcome, _), (_, _, status)) in latest {
        let c = out.entry((service, outcome)).or_default();
        c[0] += 1;
        match status.as_str() {
            "met" => c[1] += 1,
            "partly_met" => c[2] += 1,
            "not_met" => c[3] += 1,
            "no_longer_relevant" => c[4] += 1,
            other => panic!("unknown status {other}"),
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4))]
    #[test]
    fn report_csv_agrees_with_a_roll_up_recomputed_from_the_export(
        seed in 1u64..10_000,
        period in prop::sample::select(vec![
            ("2024-25", "2024-04-01", "2025-03-31"),
            ("2025-26-Q2", "2025-07-01", "2025-09-30"),
            ("2023-06-15..2025-01-31", "2023-06-15", "2025-01-31"),
        ]),
    ) {
        let s = seeded(250, seed);
        let export = s.ok(&["export"]);
        let expected = recompute(&export, period.1, period.2);
        let report = s.ok(&["report", "--level", "service", "--period", period.0, "--format", "csv", "--suppress", "0"]);
        let rows = csv_rows(&report);
        prop_assert!(!rows.is_empty());
        let mut seen = 0;
        for r in &rows {
            let key = (r["unit"].clone(), r["outcome_id"].clone());
            let want = expected.get(&key).copied().unwrap_or_default();
            let got = [&r["reviewed"], &r["met"], &r["partly_met"], &r["not_met"], &r["no_longer_relevant"]]
                .map(|v| v.parse::<u64>().unwrap());
            prop_assert_eq!(got, want, "{:?}", key);
            let den = want[1] + want[2] + want[3];
            let pct = if den == 0 { String::new() } else { format!("{:.1}", (want[1] as f64 * 1000.0 / den as f64).round() / 10.0) };
            prop_assert_eq!(&r["met_pct"], &pct, "{:?}", key);
            seen += usize::from(want[0] > 0);
        }
        prop_assert_eq!(seen, expected.len(), "every reviewed service and outcome has a row");
    }
}

#[test]
fn every_format_carries_the_same_numbers_and_says_how_it_suppressed() {
    let s = seeded(400, 5);
    let args = ["report", "--level", "organisation", "--period", "2025-26"];
    let csv = s.ok(&[&args[..], &["--format", "csv"]].concat());
    let json: serde_json::Value =
        serde_json::from_str(&s.ok(&[&args[..], &["--format", "json"]].concat())).unwrap();
    let md = s.ok(&[&args[..], &["--format", "md"]].concat());
    let table = s.ok(&args);
    let html = s.ok(&[&args[..], &["--format", "html"]].concat());
    let rows = csv_rows(&csv);
    let units = json.as_array().unwrap();
    assert_eq!(units.len(), 3, "three organisations, one block each");
    for u in units {
        for jr in u["rows"].as_array().unwrap() {
            let cr = rows
                .iter()
                .find(|r| {
                    r["unit"] == u["unit"].as_str().unwrap()
                        && r["outcome_id"] == jr["outcome_id"].as_str().unwrap()
                })
                .unwrap();
            for col in [
                "people_planned",
                "reviewed",
                "met",
                "partly_met",
                "not_met",
                "no_longer_relevant",
            ] {
                // CSV and JSON alike: empty (null) with a flag when suppressed.
                let c = if cr[&format!("{col}_suppressed")] == "true" {
                    assert_eq!(cr[col], "");
                    "*".to_string()
                } else {
                    cr[col].clone()
                };
                let flag = jr[format!("{col}_suppressed")].as_bool().unwrap();
                let j = match &jr[col] {
                    serde_json::Value::Number(n) if !flag => n.to_string(),
                    serde_json::Value::Null if flag => "*".to_string(),
                    other => panic!("{col}: {other} with flag {flag}"),
                };
                assert_eq!(c, j, "{col}");
            }
        }
        assert!(u["suppression"]["statement"].as_str().unwrap().len() > 10);
    }
    // Suppression happened and every output says so.
    assert!(
        rows.iter().any(|r| r["met_suppressed"] == "true"),
        "small counts are suppressed by default"
    );
    let notes = s.ok(&[&args[..], &["--format", "csv", "--table", "notes"]].concat());
    for (name, out) in [
        ("csv notes", &notes),
        ("md", &md),
        ("table", &table),
        ("html", &html),
    ] {
        assert!(
            out.contains("Suppression was applied"),
            "{name} says suppression was applied"
        );
    }
    let open = s.ok(&[&args[..], &["--format", "md", "--open-data"]].concat());
    assert!(open.contains("| c |") && !open.contains("| * |"));
    let off = s.ok(&[&args[..], &["--format", "csv", "--suppress", "0"]].concat());
    assert!(
        csv_rows(&off)
            .iter()
            .all(|r| r["met_suppressed"] == "false")
    );
    let off = s.ok(&[
        &args[..],
        &["--format", "csv", "--table", "notes", "--suppress", "0"],
    ]
    .concat());
    assert!(off.contains("Disclosure control is off"));
}

#[test]
fn reports_never_identify_anyone() {
    let s = seeded(200, 9);
    let people: serde_json::Value =
        serde_json::from_str(&s.ok(&["person", "list", "--json"])).unwrap();
    for level in ["service", "organisation", "partnership", "national"] {
        for format in ["table", "csv", "json", "md", "html"] {
            let out = s.ok(&[
                "report", "--level", level, "--period", "2024-25", "--format", format,
            ]);
            for p in people.as_array().unwrap() {
                assert!(
                    !out.contains(p["id"].as_str().unwrap()),
                    "{level} {format} has an id"
                );
                let name = p["name"].as_str().unwrap();
                if name.contains(' ') {
                    assert!(!out.contains(name), "{level} {format} names {name}");
                }
                if let Some(dob) = p["dob"].as_str() {
                    assert!(!out.contains(dob), "{level} {format} has a date of birth");
                }
            }
        }
    }
}

#[test]
fn the_html_report_is_self_contained_and_well_formed() {
    let s = seeded(300, 4);
    let file = s.dir.path().join("report.html");
    s.ok(&[
        "report",
        "--level",
        "national",
        "--period",
        "2025-26",
        "--format",
        "html",
        // Unsuppressed, so every row has a bar to draw: on 300 people the protected
        // national table hides most percentages (the formats test checks those).
        "--suppress",
        "0",
        "--out",
        file.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    let lower = html.to_lowercase();
    for banned in ["<script", "http://", "https://", "src=", "@import", "url("] {
        assert!(
            !lower.contains(banned),
            "the report must not contain {banned}"
        );
    }
    assert!(html.contains("<svg"), "bar charts are inline SVG");
    assert!(html.contains("@page"), "it is laid out for printing");
    // Every element that is opened is closed, in order (void elements aside).
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html.as_str();
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').expect("unclosed tag");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if tag.starts_with('/') {
            assert_eq!(
                stack.pop().as_deref(),
                Some(name.as_str()),
                "mismatched </{name}>"
            );
        } else if !tag.ends_with('/') && !["meta", "br", "col"].contains(&name.as_str()) {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");

    // Where Chromium is installed, render it and check the picture is not blank.
    let chromium = ["chromium", "chromium-browser"].into_iter().find(|c| {
        std::process::Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if let Some(chromium) = chromium {
        let png = s.dir.path().join("report.png");
        let profile = s.dir.path().join("profile");
        let status = std::process::Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=800,1100",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg(format!("--screenshot={}", png.display()))
            .arg(format!("file://{}", file.display()))
            .output()
            .unwrap();
        assert!(
            status.status.success(),
            "{}",
            String::from_utf8_lossy(&status.stderr)
        );
        let bytes = std::fs::read(&png).unwrap();
        // A blank white page compresses to a few kilobytes; tables and bars do not.
        assert!(
            bytes.len() > 20_000,
            "the rendered report looks blank ({} bytes)",
            bytes.len()
        );
    }
}

#[test]
fn report_errors_are_plain() {
    let s = seeded(20, 1);
    s.cmd()
        .args([
            "report", "--level", "service", "--unit", "Nowhere", "--period", "2025-26",
        ])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("no service called `Nowhere`"));
    s.cmd()
        .args(["report", "--level", "service", "--period", "2025-27"])
        .assert()
        .code(2);
    s.cmd()
        .args([
            "report",
            "--level",
            "service",
            "--period",
            "2025-13-01..2025-14-01",
        ])
        .assert()
        .code(2);
}
