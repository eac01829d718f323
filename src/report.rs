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

fn jcell(c: &Cell, r: &SuppressedReport) -> Value {
    match c.value() {
        Some(v) => json!(v),
        None => json!(cell(c, r)),
    }
}

fn jpct(c: &PctCell, r: &SuppressedReport) -> Value {
    match c {
        PctCell::Value(v) => json!(v),
        PctCell::Empty => Value::Null,
        PctCell::Suppressed => json!(pct(c, r)),
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

/// The reports as JSON; a value that cannot be written is an error, never an empty
/// report.
pub fn json(reports: &[SuppressedReport]) -> Result<String, serde_json::Error> {
    let v: Vec<Value> = reports
        .iter()
        .map(|r| {
            json!({
                "level": r.level.as_str(),
                "unit": r.unit,
                "period": r.period.label(),
                "period_dates": r.period.describe(),
                "as_of": r.as_of,
                "people": jcell(&r.people, r),
                "suppression": {"applied": r.applied, "threshold": r.threshold,
                                "open_data": r.open_data, "rule": r.rule, "statement": r.statement()},
                "rows": r.rows.iter().map(|row| { let (base, ci) = jbase(&row.met_pct, row.met.value(), crate::report_tables::met_base(row)); json!({
                    "outcome_id": row.outcome_id, "outcome_label": row.label,
                    "category": row.category, "national_outcomes": row.national,
                    "people_planned": jcell(&row.people_planned, r), "reviewed": jcell(&row.reviewed, r),
                    "met": jcell(&row.met, r), "partly_met": jcell(&row.partly_met, r),
                    "not_met": jcell(&row.not_met, r), "no_longer_relevant": jcell(&row.no_longer_relevant, r),
                    "met_pct": jpct(&row.met_pct, r), "met_pct_base": base, "met_pct_ci95": ci,
                    "barriers": row.barriers.iter().map(|(k, c)| (k.clone(), jcell(c, r))).collect::<serde_json::Map<_, _>>(),
                    "contributors": row.contributors.iter().map(|(k, c)| (k.clone(), jcell(c, r))).collect::<serde_json::Map<_, _>>(),
                })}).collect::<Vec<_>>(),
                "overdue_reviews": {"count": jcell(&r.overdue_reviews, r), "how": OVERDUE_HOW},
                "plans_reviewed_on_time": {"reviewed_on_time": jcell(&r.plans_reviewed_on_time, r),
                    "due": jcell(&r.plans_due, r), "pct": jpct(&r.plans_on_time_pct, r),
                    "pct_base": jbase(&r.plans_on_time_pct, r.plans_reviewed_on_time.value(), r.plans_due.value()).0,
                    "pct_ci95": jbase(&r.plans_on_time_pct, r.plans_reviewed_on_time.value(), r.plans_due.value()).1,
                    "how": ON_TIME_HOW},
                "local_measures": r.measures.iter().map(|m| { let (base, ci) = jbase(&m.pct, m.numerator.value(), m.denominator.value()); json!({
                    "id": m.id, "label": m.label, "numerator": jcell(&m.numerator, r),
                    "denominator": jcell(&m.denominator, r), "pct": jpct(&m.pct, r),
                    "pct_base": base, "pct_ci95": ci, "how": m.how})}).collect::<Vec<_>>(),
                "notes": r.notes,
            })
        })
        .collect();
    serde_json::to_string_pretty(&v)
}
