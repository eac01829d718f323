//! Publishing roll-ups: the same suppressed numbers as an aligned terminal table, CSV,
//! JSON, Markdown or one self-contained HTML page.

use crate::forms::{Forms, Vocab};
use crate::rollup::{Cell, NATIONAL_NOTE, ON_TIME_HOW, OVERDUE_HOW, PctCell, SuppressedReport};
use serde_json::{Value, json};
use std::fmt::Write as _;
use unicode_width::UnicodeWidthStr;

fn national(n: &[u8]) -> String {
    n.iter()
        .map(|x| x.to_string())
        .collect::<Vec<_>>()
        .join(";")
}

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
    format!(
        "{} {}: {} ({}), {} people",
        capitalise(r.level.unit_noun()),
        r.unit,
        r.period.label(),
        r.period.describe(),
        cell(&r.people, r)
    )
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
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
    let mut out = String::new();
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
                "rows": r.rows.iter().map(|row| json!({
                    "outcome_id": row.outcome_id, "outcome_label": row.label,
                    "category": row.category, "national_outcomes": row.national,
                    "people_planned": jcell(&row.people_planned, r), "reviewed": jcell(&row.reviewed, r),
                    "met": jcell(&row.met, r), "partly_met": jcell(&row.partly_met, r),
                    "not_met": jcell(&row.not_met, r), "no_longer_relevant": jcell(&row.no_longer_relevant, r),
                    "met_pct": jpct(&row.met_pct, r),
                    "barriers": row.barriers.iter().map(|(k, c)| (k.clone(), jcell(c, r))).collect::<serde_json::Map<_, _>>(),
                    "contributors": row.contributors.iter().map(|(k, c)| (k.clone(), jcell(c, r))).collect::<serde_json::Map<_, _>>(),
                })).collect::<Vec<_>>(),
                "overdue_reviews": {"count": jcell(&r.overdue_reviews, r), "how": OVERDUE_HOW},
                "plans_reviewed_on_time": {"reviewed_on_time": jcell(&r.plans_reviewed_on_time, r),
                    "due": jcell(&r.plans_due, r), "pct": jpct(&r.plans_on_time_pct, r), "how": ON_TIME_HOW},
                "local_measures": r.measures.iter().map(|m| json!({
                    "id": m.id, "label": m.label, "numerator": jcell(&m.numerator, r),
                    "denominator": jcell(&m.denominator, r), "pct": jpct(&m.pct, r), "how": m.how})).collect::<Vec<_>>(),
                "notes": r.notes,
            })
        })
        .collect();
    serde_json::to_string_pretty(&v)
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|")
}

pub fn markdown(reports: &[SuppressedReport], forms: &Forms) -> String {
    let mut out = String::new();
    for r in reports {
        let _ = writeln!(out, "## {}\n", md_escape(&heading(r)));
        let _ = writeln!(
            out,
            "| Outcome | National | Planned | Reviewed | Met | Partly met | Not met | No longer relevant | Met % |"
        );
        let _ = writeln!(out, "|---|---|---:|---:|---:|---:|---:|---:|---:|");
        for row in &r.rows {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                md_escape(&row.label),
                national(&row.national).replace(';', ", "),
                counts(row, r).join(" | ")
            );
        }
        out.push('\n');
        for l in footer(r, forms) {
            let _ = writeln!(out, "- {}", md_escape(&l));
        }
        out.push('\n');
    }
    out
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A stacked bar of met / partly met / not met; nothing is drawn for a suppressed row.
fn bar(row: &crate::rollup::SuppressedRow) -> String {
    let (Some(m), Some(p), Some(n)) =
        (row.met.value(), row.partly_met.value(), row.not_met.value())
    else {
        return "<span class=\"sup\">suppressed</span>".into();
    };
    let total = (m + p + n) as f64;
    if total == 0.0 {
        return String::new();
    }
    let w = |v: u64| v as f64 / total * 200.0;
    let (wm, wp, wn) = (w(m), w(p), w(n));
    format!(
        "<svg width=\"130\" height=\"10\" preserveAspectRatio=\"none\" viewBox=\"0 0 200 12\" role=\"img\" aria-label=\"met {m}, partly met {p}, not met {n}\">\
<rect x=\"0\" width=\"{wm:.1}\" height=\"12\" fill=\"#1b7837\"/>\
<rect x=\"{wm:.1}\" width=\"{wp:.1}\" height=\"12\" fill=\"#f1b84b\"/>\
<rect x=\"{:.1}\" width=\"{wn:.1}\" height=\"12\" fill=\"#b2182b\"/></svg>",
        wm + wp
    )
}

pub fn html(reports: &[SuppressedReport], forms: &Forms) -> String {
    let mut out = String::from(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<title>Personal outcomes report</title>\n<style>\n\
@page { size: A4; margin: 15mm; }\n\
body { font-family: sans-serif; font-size: 10pt; color: #111; max-width: 180mm; margin: auto; }\n\
h1 { font-size: 16pt; } h2 { font-size: 12pt; margin-top: 1.5em; page-break-after: avoid; }\n\
table { border-collapse: collapse; width: 100%; page-break-inside: auto; }\n\
tr { page-break-inside: avoid; }\n\
th, td { border-bottom: 1px solid #ccc; padding: 2px 4px; text-align: right; }\n\
th:first-child, td:first-child { text-align: left; width: 40%; }\n\
.sup { color: #555; font-style: italic; }\n\
.key span { display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 12px; }\n\
</style>\n</head>\n<body>\n<h1>Personal outcomes report</h1>\n\
<p class=\"key\">Bars: <span style=\"background:#1b7837\"></span>met <span style=\"background:#f1b84b\"></span>partly met <span style=\"background:#b2182b\"></span>not met</p>\n",
    );
    for r in reports {
        let _ = writeln!(out, "<section>\n<h2>{}</h2>", esc(&heading(r)));
        out.push_str("<table>\n<thead><tr><th>Outcome</th><th>National</th><th>Planned</th><th>Reviewed</th><th>Met</th><th>Partly</th><th>Not met</th><th>No longer relevant</th><th>Met %</th><th>Met / partly / not</th></tr></thead>\n<tbody>\n");
        for row in &r.rows {
            let cells: String = counts(row, r)
                .iter()
                .map(|c| format!("<td>{c}</td>"))
                .collect();
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td>{cells}<td>{}</td></tr>",
                esc(&row.label),
                esc(&national(&row.national).replace(';', ", ")),
                bar(row)
            );
        }
        out.push_str("</tbody>\n</table>\n<ul>\n");
        for l in footer(r, forms) {
            let _ = writeln!(out, "<li>{}</li>", esc(&l));
        }
        out.push_str("</ul>\n</section>\n");
    }
    let _ = writeln!(out, "<p class=\"sup\">{}</p>", esc(NATIONAL_NOTE));
    out.push_str("</body>\n</html>\n");
    out
}
