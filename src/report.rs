//! Publishing roll-ups: the same suppressed numbers as an aligned terminal table,
//! rectangular CSV tables or JSON (Markdown and HTML are in [`crate::report_print`]).

use crate::forms::{Forms, Vocab};
use crate::rollup::{Cell, ON_TIME_HOW, OVERDUE_HOW, PctCell, SuppressedReport};
use serde_json::{Value, json};
use std::fmt::Write as _;
use unicode_width::UnicodeWidthStr;

fn cell(c: &Cell, r: &SuppressedReport) -> String {
    c.render(r.open_data)
}

fn pct(c: &PctCell, r: &SuppressedReport) -> String {
    c.render(r.open_data)
}

/// A row's published counts in column order: planned, reviewed, the four statuses and
/// met %, as every format shows them.
fn counts(row: &crate::rollup::SuppressedRow, r: &SuppressedReport) -> [String; 7] {
    [
        cell(&row.people_planned, r),
        cell(&row.reviewed, r),
        cell(&row.met, r),
        cell(&row.partly_met, r),
        cell(&row.not_met, r),
        cell(&row.no_longer_relevant, r),
        pct(&row.met_pct, r),
    ]
}

fn heading(r: &SuppressedReport) -> String {
    crate::report_print::heading(r)
}

/// The lines every format carries under its table: reviews, measures, suppression.
fn footer(r: &SuppressedReport, forms: &Forms) -> Vec<String> {
    let mut out = vec![
        format!(
            "Overdue reviews: {}. {OVERDUE_HOW}",
            cell(&r.overdue_reviews, r)
        ),
        format!(
            "Plans reviewed by their agreed date: {} of {} ({}%). {ON_TIME_HOW}",
            cell(&r.plans_reviewed_on_time, r),
            cell(&r.plans_due, r),
            pct(&r.plans_on_time_pct, r)
        ),
    ];
    for m in &r.measures {
        out.push(format!(
            "Local measure, {}: {} of {} ({}%). {}",
            m.label,
            cell(&m.numerator, r),
            cell(&m.denominator, r),
            pct(&m.pct, r),
            m.how
        ));
    }
    let barriers: Vec<String> = r
        .rows
        .iter()
        .filter(|row| row.barriers.iter().any(|b| b.1 != Cell::Value(0)))
        .map(|row| {
            let top: Vec<String> = row
                .barriers
                .iter()
                .filter(|b| b.1 != Cell::Value(0))
                .take(3)
                .map(|(id, c)| format!("{} {}", forms.vocab.label(Vocab::Barriers, id), cell(c, r)))
                .collect();
            format!("{}: {}", row.label, top.join(", "))
        })
        .collect();
    if !barriers.is_empty() {
        out.push(format!(
            "What got in the way (top barriers): {}",
            barriers.join("; ")
        ));
    }
    out.extend(r.notes.iter().cloned());
    out.push(r.statement());
    out
}

pub fn table(reports: &[SuppressedReport], forms: &Forms) -> String {
    let mut out = crate::report_trend::text(reports);
    for r in reports {
        let _ = writeln!(out, "{}", heading(r));
        let header = [
            "Outcome",
            "Planned",
            "Reviewed",
            "Met",
            "Partly",
            "Not met",
            "No longer",
            "Met %",
        ];
        let rows: Vec<Vec<String>> = r
            .rows
            .iter()
            .map(|row| {
                std::iter::once(row.label.clone())
                    .chain(counts(row, r))
                    .collect()
            })
            .collect();
        let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
        for row in &rows {
            for (i, c) in row.iter().enumerate() {
                widths[i] = widths[i].max(c.width());
            }
        }
        let line = |cells: Vec<&str>| {
            let mut l = String::new();
            for (i, c) in cells.iter().enumerate() {
                let pad = widths[i].saturating_sub(c.width());
                if i == 0 {
                    l.push_str(c);
                    l.push_str(&" ".repeat(pad));
                } else {
                    l.push_str("  ");
                    l.push_str(&" ".repeat(pad));
                    l.push_str(c);
                }
            }
            l.trim_end().to_string()
        };
        let _ = writeln!(out, "{}", line(header.to_vec()));
        for row in &rows {
            let _ = writeln!(out, "{}", line(row.iter().map(String::as_str).collect()));
        }
        for l in footer(r, forms) {
            let _ = writeln!(out, "{l}");
        }
        out.push('\n');
    }
    out
}

/// Which rectangular table `csv` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsvTable {
    Outcomes,
    Measures,
    Barriers,
    Contributors,
    Notes,
    Long,
}

/// The columns and rows of one report table.
pub fn csv_table(
    reports: &[SuppressedReport],
    forms: &Forms,
    table: CsvTable,
) -> (Vec<crate::tabular::Field>, Vec<Vec<crate::tabular::V>>) {
    use crate::report_tables as t;
    match table {
        CsvTable::Outcomes => (t::outcome_fields(), t::outcome_rows(reports)),
        CsvTable::Measures => (t::measure_fields(), t::measure_rows(reports)),
        CsvTable::Barriers => (
            t::term_fields(Vocab::Barriers),
            t::term_rows(reports, forms, Vocab::Barriers),
        ),
        CsvTable::Contributors => (
            t::term_fields(Vocab::Contributors),
            t::term_rows(reports, forms, Vocab::Contributors),
        ),
        CsvTable::Notes => (t::note_fields(), t::note_rows(reports)),
        CsvTable::Long => (t::long_fields(), t::long_rows(reports)),
    }
}

/// One rectangular table as CSV: a header and rows, nothing else (notes and the
/// suppression statement are in the `notes` table).
pub fn csv(
    reports: &[SuppressedReport],
    forms: &Forms,
    table: CsvTable,
    excel: bool,
) -> std::io::Result<String> {
    let (fields, rows) = csv_table(reports, forms, table);
    let mut out = Vec::new();
    crate::tabular::write_csv(&mut out, &fields, rows, excel)?;
    String::from_utf8(out).map_err(std::io::Error::other)
}

/// JSON object fields in the CSV's convention: a count is a number, or `null` with
/// `<name>_suppressed: true`; every count has its flag, so a reader never has to tell a
/// marker from a number.
struct Obj(serde_json::Map<String, Value>);

impl Obj {
    fn new() -> Obj {
        Obj(serde_json::Map::new())
    }
    fn put(mut self, k: &str, v: impl Into<Value>) -> Obj {
        self.0.insert(k.to_string(), v.into());
        self
    }
    fn count(self, k: &str, c: &Cell) -> Obj {
        self.put(k, c.value().map_or(Value::Null, |v| json!(v)))
            .put(&format!("{k}_suppressed"), c.is_suppressed())
    }
    /// A percentage (`null` when suppressed or when there is nothing to take a share
    /// of), its flag, and its base and 95% interval when published.
    fn pct(self, k: &str, c: &PctCell, num: Option<u64>, base: Option<u64>) -> Obj {
        let (b, ci) = jbase(c, num, base);
        self.put(k, c.value().map_or(Value::Null, |v| json!(v)))
            .put(&format!("{k}_suppressed"), c.is_suppressed())
            .put(&format!("{k}_base"), b)
            .put(&format!("{k}_ci95"), ci)
    }
    fn done(self) -> Value {
        Value::Object(self.0)
    }
}

/// A percentage's base and 95% Wilson interval, when it is published.
fn jbase(c: &PctCell, num: Option<u64>, base: Option<u64>) -> (Value, Value) {
    if c.value().is_none() {
        return (
            base.filter(|_| !c.is_suppressed())
                .map_or(Value::Null, |b| json!(b)),
            Value::Null,
        );
    }
    let ci = num
        .zip(base)
        .and_then(|(k, n)| crate::report_tables::wilson(k, n));
    (
        base.map_or(Value::Null, |b| json!(b)),
        ci.map_or(Value::Null, |(l, h)| json!([l, h])),
    )
}

/// Barrier or contributor counts as the CSV's tables give them: id, label, count, flag.
fn terms(t: &[(String, Cell)], forms: &Forms, v: Vocab) -> Value {
    Value::Array(
        t.iter()
            .map(|(id, c)| {
                Obj::new()
                    .put("id", id.as_str())
                    .put("label", forms.vocab.label(v, id))
                    .count("count", c)
                    .done()
            })
            .collect(),
    )
}

/// The reports as JSON; a value that cannot be written is an error, never an empty
/// report. Suppressed counts are `null` with a `_suppressed` flag, as in the CSV.
pub fn json(reports: &[SuppressedReport], forms: &Forms) -> Result<String, serde_json::Error> {
    let v: Vec<Value> = reports
        .iter()
        .map(|r| {
            let rows: Vec<Value> = r
                .rows
                .iter()
                .map(|row| {
                    Obj::new()
                        .put("framework", row.framework.as_str())
                        .put("outcome_id", row.outcome_id.as_str())
                        .put("outcome_label", row.label.as_str())
                        .put("category", row.category.as_str())
                        .put("national_outcomes", json!(row.national))
                        .count("people_planned", &row.people_planned)
                        .count("reviewed", &row.reviewed)
                        .count("met", &row.met)
                        .count("partly_met", &row.partly_met)
                        .count("not_met", &row.not_met)
                        .count("no_longer_relevant", &row.no_longer_relevant)
                        .pct(
                            "met_pct",
                            &row.met_pct,
                            row.met.value(),
                            crate::report_tables::met_base(row),
                        )
                        .put("barriers", terms(&row.barriers, forms, Vocab::Barriers))
                        .put(
                            "contributors",
                            terms(&row.contributors, forms, Vocab::Contributors),
                        )
                        .done()
                })
                .collect();
            let measures: Vec<Value> = r
                .measures
                .iter()
                .map(|m| {
                    Obj::new()
                        .put("id", m.id.as_str())
                        .put("label", m.label.as_str())
                        .count("numerator", &m.numerator)
                        .count("denominator", &m.denominator)
                        .pct("pct", &m.pct, m.numerator.value(), m.denominator.value())
                        .put("how", m.how.as_str())
                        .done()
                })
                .collect();
            Obj::new()
                .put("level", r.level.as_str())
                .put("unit", r.unit.as_str())
                .put("period", r.period.label())
                .put("period_dates", r.period.describe())
                .put("as_of", r.as_of.to_string())
                .count("people", &r.people)
                .put("people_counts", crate::report_print::PEOPLE_COUNTS)
                .put(
                    "suppression",
                    json!({"applied": r.applied, "threshold": r.threshold,
                           "open_data": r.open_data, "rule": r.rule, "statement": r.statement(),
                           "convention": JSON_CONVENTION}),
                )
                .put("rows", rows)
                .put(
                    "overdue_reviews",
                    Obj::new()
                        .count("count", &r.overdue_reviews)
                        .put("how", OVERDUE_HOW)
                        .done(),
                )
                .put(
                    "plans_reviewed_on_time",
                    Obj::new()
                        .count("reviewed_on_time", &r.plans_reviewed_on_time)
                        .count("due", &r.plans_due)
                        .pct(
                            "pct",
                            &r.plans_on_time_pct,
                            r.plans_reviewed_on_time.value(),
                            r.plans_due.value(),
                        )
                        .put("how", ON_TIME_HOW)
                        .done(),
                )
                .put("local_measures", measures)
                .put("notes", json!(r.notes))
                .done()
        })
        .collect();
    serde_json::to_string_pretty(&v)
}

/// How the JSON report marks suppression, said in every report.
pub const JSON_CONVENTION: &str = "A suppressed count is null and its `<name>_suppressed` \
flag is true, as in the CSV tables; a percentage is null when suppressed (flag true) or when \
there is nothing to take a share of (flag false).";
