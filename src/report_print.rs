//! The reports people read and print: Markdown, and one self-contained HTML page that
//! fits A4. Both have a title naming the partnership, period and date produced; rows are
//! grouped by framework and category; every percentage shows its base, with small bases
//! flagged in words.

use crate::forms::{Forms, Vocab};
use crate::report_tables::{SMALL_BASE, is_small_base, met_base};
use crate::rollup::{Cell, PctCell, SuppressedReport, SuppressedRow};
use chrono::NaiveDate;
use std::fmt::Write as _;

/// What a printed report says about itself.
#[derive(Clone, Debug)]
pub struct Meta {
    /// The partnership (or partnerships) the report is about.
    pub partnership: String,
    pub produced: NaiveDate,
}

/// The title: partnership, period(s) and date produced.
pub fn title(reports: &[SuppressedReport], meta: &Meta) -> String {
    let periods: Vec<String> = crate::report_trend::periods(reports)
        .iter()
        .map(|p| p.label())
        .collect();
    let level = reports.first().map_or("", |r| r.level.as_str());
    format!(
        "Personal outcomes report ({level} level): {}, {}, produced {}",
        meta.partnership,
        periods.join(", "),
        meta.produced.format("%-d %B %Y")
    )
}

/// What a report's count of people counts. It does not depend on the period (the
/// disclosure model relies on planned, reviewed and overdue never exceeding it, which a
/// count of people seen in the period would break), so it says so.
pub const PEOPLE_COUNTS: &str = "everyone in the unit's services on the records when the \
report was produced, not only those seen in the period; the same in every period";

/// The heading of one unit's block; says what its count of people counts.
pub fn heading(r: &SuppressedReport) -> String {
    let noun = r.level.unit_noun();
    let mut c = noun.chars();
    let noun_cap = c
        .next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default();
    format!(
        "{noun_cap} {}: {} ({}); {} people on the {noun}'s records when produced (everyone in \
         its services, not only those seen in the period)",
        r.unit,
        r.period.label(),
        r.period.describe(),
        r.people.render(r.open_data)
    )
}

/// A percentage with its base, e.g. `75.0 (of 4; small base)`.
pub fn pct_with_base(p: &PctCell, base: Option<u64>, open_data: bool) -> String {
    match (p, base) {
        (PctCell::Value(v), Some(n)) if is_small_base(n) => format!("{v:.1} (of {n}; small base)"),
        (PctCell::Value(v), Some(n)) => format!("{v:.1} (of {n})"),
        _ => p.render(open_data),
    }
}

/// The sentence printed under tables that show small bases.
pub fn small_base_note() -> String {
    format!(
        "Small base: fewer than {SMALL_BASE} people. Treat such a share with caution: it can be far from \
         the true one (3 of 4 is 75%, but anything from about 30% to 95% is consistent with \
         it), so do not compare it with shares of large bases. CSV and JSON give each \
         share's 95% interval."
    )
}

fn group_label(row: &SuppressedRow, forms: &Forms) -> String {
    if row.framework == "national" {
        return "National Health and Wellbeing Outcomes".into();
    }
    let fw = forms
        .framework(&row.framework)
        .map_or(row.framework.as_str(), |f| f.title.as_str());
    format!("{fw}: {}", row.category)
}

/// Consecutive rows with the same framework and category, in report order.
fn groups<'r>(r: &'r SuppressedReport, forms: &Forms) -> Vec<(String, Vec<&'r SuppressedRow>)> {
    let mut out: Vec<(String, Vec<&SuppressedRow>)> = Vec::new();
    for row in &r.rows {
        let g = group_label(row, forms);
        match out.last_mut() {
            Some((label, rows)) if *label == g => rows.push(row),
            _ => out.push((g, vec![row])),
        }
    }
    out
}

fn national(n: &[u8]) -> String {
    n.iter().map(u8::to_string).collect::<Vec<_>>().join(", ")
}

fn counts(row: &SuppressedRow, open: bool) -> [String; 6] {
    [
        row.people_planned.render(open),
        row.reviewed.render(open),
        row.met.render(open),
        row.partly_met.render(open),
        row.not_met.render(open),
        row.no_longer_relevant.render(open),
    ]
}

/// Unit-level figures: (label, count, of, share with base, how).
fn measures(r: &SuppressedReport) -> Vec<(String, String, String, String, String)> {
    let o = r.open_data;
    let mut v = vec![
        (
            "People with a review overdue".to_string(),
            r.overdue_reviews.render(o),
            String::new(),
            String::new(),
            crate::rollup::OVERDUE_HOW.to_string(),
        ),
        (
            "Plans reviewed by their agreed date".to_string(),
            r.plans_reviewed_on_time.render(o),
            r.plans_due.render(o),
            pct_with_base(&r.plans_on_time_pct, r.plans_due.value(), o),
            crate::rollup::ON_TIME_HOW.to_string(),
        ),
    ];
    for m in &r.measures {
        v.push((
            m.label.clone(),
            m.numerator.render(o),
            m.denominator.render(o),
            pct_with_base(&m.pct, m.denominator.value(), o),
            m.how.clone(),
        ));
    }
    v
}

/// The three barriers most named for each outcome: (outcome, barrier label, count).
fn top_barriers(r: &SuppressedReport, forms: &Forms) -> Vec<(String, String, String)> {
    let mut v = Vec::new();
    for row in &r.rows {
        for (id, c) in row
            .barriers
            .iter()
            .filter(|b| b.1 != Cell::Value(0))
            .take(3)
        {
            v.push((
                row.label.clone(),
                forms.vocab.label(Vocab::Barriers, id).to_string(),
                c.render(r.open_data),
            ));
        }
    }
    v
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|")
}

pub fn markdown(reports: &[SuppressedReport], forms: &Forms, meta: &Meta) -> String {
    let mut out = format!("# {}\n\n", md_escape(&title(reports, meta)));
    out.push_str(&crate::report_trend::markdown(reports));
    for r in reports {
        let o = r.open_data;
        let _ = writeln!(out, "## {}\n", md_escape(&heading(r)));
        for (label, rows) in groups(r, forms) {
            let _ = writeln!(out, "### {}\n", md_escape(&label));
            out.push_str("| Outcome | National | Planned | Reviewed | Met | Partly met | Not met | No longer relevant | Met % |\n");
            out.push_str("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
            for row in rows {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    md_escape(&row.label),
                    national(&row.national),
                    counts(row, o).join(" | "),
                    pct_with_base(&row.met_pct, met_base(row), o)
                );
            }
            out.push('\n');
        }
        out.push_str("### Measures\n\n| Measure | Count | Of | % |\n|---|---:|---:|---:|\n");
        for (label, n, d, p, _) in measures(r) {
            let _ = writeln!(out, "| {} | {n} | {d} | {p} |", md_escape(&label));
        }
        out.push('\n');
        let barriers = top_barriers(r, forms);
        if !barriers.is_empty() {
            out.push_str("### What got in the way (the three barriers most named per outcome)\n\n| Outcome | Barrier | Reviews naming it |\n|---|---|---:|\n");
            for (outcome, b, n) in barriers {
                let _ = writeln!(out, "| {} | {} | {n} |", md_escape(&outcome), md_escape(&b));
            }
            out.push('\n');
        }
        out.push_str("### Notes\n\n");
        for (label, _, _, _, how) in measures(r) {
            let _ = writeln!(out, "- {}: {}", md_escape(&label), md_escape(&how));
        }
        for n in &r.notes {
            let _ = writeln!(out, "- {}", md_escape(n));
        }
        let _ = writeln!(out, "- {}", md_escape(&small_base_note()));
        let _ = writeln!(out, "- {}\n", md_escape(&r.statement()));
    }
    out
}

pub(crate) fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A stacked bar of met / partly met / not met; nothing is drawn for a suppressed row.
fn bar(row: &SuppressedRow) -> String {
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
        "<svg width=\"100%\" height=\"10\" preserveAspectRatio=\"none\" viewBox=\"0 0 200 12\" role=\"img\" aria-label=\"met {m}, partly met {p}, not met {n}\">\
<rect x=\"0\" width=\"{wm:.1}\" height=\"12\" fill=\"#1b7837\"/>\
<rect x=\"{wm:.1}\" width=\"{wp:.1}\" height=\"12\" fill=\"#f1b84b\"/>\
<rect x=\"{:.1}\" width=\"{wn:.1}\" height=\"12\" fill=\"#b2182b\"/></svg>",
        wm + wp
    )
}

const STYLE: &str = "@page { size: A4; margin: 12mm; }\n\
body { font-family: sans-serif; font-size: 9pt; color: #111; max-width: 186mm; margin: auto; }\n\
h1 { font-size: 14pt; } h2 { font-size: 11pt; margin-top: 1.5em; break-after: avoid; }\n\
table { border-collapse: collapse; width: 100%; table-layout: fixed; margin-bottom: 1em; }\n\
caption { text-align: left; font-weight: bold; padding: 4px 0; }\n\
tr { break-inside: avoid; }\n\
th, td { border-bottom: 1px solid #ccc; padding: 2px 3px; text-align: right; overflow-wrap: anywhere; vertical-align: top; }\n\
th[scope=row], td.l, th.l { text-align: left; }\n\
th[scope=row] { font-weight: normal; }\n\
thead th { font-size: 8pt; overflow-wrap: normal; vertical-align: bottom; }\n\
th[scope=rowgroup] { text-align: left; background: #eee; }\n\
col.outcome { width: 24%; } col.nat { width: 7%; } col.n { width: 7.5%; } col.pct { width: 13%; } col.bar { width: 11%; }\n\
.sup { color: #555; font-style: italic; }\n\
.small { font-style: italic; }\n\
.key span { display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 12px; }\n";

pub fn html(reports: &[SuppressedReport], forms: &Forms, meta: &Meta) -> String {
    let t = esc(&title(reports, meta));
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<h1>{t}</h1>\n\
<p class=\"key\">Bars: <span style=\"background:#1b7837\"></span>met <span style=\"background:#f1b84b\"></span>partly met <span style=\"background:#b2182b\"></span>not met</p>\n"
    );
    out.push_str(&crate::report_trend::html(reports, esc));
    for r in reports {
        let o = r.open_data;
        let _ = writeln!(out, "<section>\n<h2>{}</h2>", esc(&heading(r)));
        let _ = writeln!(
            out,
            "<table>\n<caption>Personal outcomes, {} {}, {}: people by outcome, grouped by framework and category</caption>\n\
<colgroup><col class=\"outcome\"><col class=\"nat\"><col class=\"n\"><col class=\"n\"><col class=\"n\"><col class=\"n\"><col class=\"n\"><col class=\"n\"><col class=\"pct\"><col class=\"bar\"></colgroup>\n\
<thead><tr><th scope=\"col\" class=\"l\">Outcome</th><th scope=\"col\">National</th><th scope=\"col\">Planned</th><th scope=\"col\">Reviewed</th><th scope=\"col\">Met</th><th scope=\"col\">Partly met</th><th scope=\"col\">Not met</th><th scope=\"col\">No longer relevant</th><th scope=\"col\">Met % (base)</th><th scope=\"col\">Met / partly / not</th></tr></thead>",
            esc(r.level.unit_noun()),
            esc(&r.unit),
            esc(&r.period.label())
        );
        for (label, rows) in groups(r, forms) {
            let _ = writeln!(
                out,
                "<tbody>\n<tr><th scope=\"rowgroup\" colspan=\"10\">{}</th></tr>",
                esc(&label)
            );
            for row in rows {
                let cells: String = counts(row, o)
                    .iter()
                    .map(|c| format!("<td>{c}</td>"))
                    .collect();
                let pct = pct_with_base(&row.met_pct, met_base(row), o);
                let pct = if pct.contains("small base") {
                    format!("<span class=\"small\">{}</span>", esc(&pct))
                } else {
                    esc(&pct)
                };
                let _ = writeln!(
                    out,
                    "<tr><th scope=\"row\">{}</th><td>{}</td>{cells}<td>{pct}</td><td>{}</td></tr>",
                    esc(&row.label),
                    esc(&national(&row.national)),
                    bar(row)
                );
            }
            out.push_str("</tbody>\n");
        }
        out.push_str("</table>\n");
        let _ = writeln!(
            out,
            "<table>\n<caption>Measures, {} {}</caption>\n<colgroup><col style=\"width:52%\"><col><col><col style=\"width:24%\"></colgroup>\n\
<thead><tr><th scope=\"col\" class=\"l\">Measure</th><th scope=\"col\">Count</th><th scope=\"col\">Of</th><th scope=\"col\">% (base)</th></tr></thead>\n<tbody>",
            esc(r.level.unit_noun()),
            esc(&r.unit)
        );
        for (label, n, d, p, _) in measures(r) {
            let _ = writeln!(
                out,
                "<tr><th scope=\"row\">{}</th><td>{n}</td><td>{d}</td><td>{}</td></tr>",
                esc(&label),
                esc(&p)
            );
        }
        out.push_str("</tbody>\n</table>\n");
        let barriers = top_barriers(r, forms);
        if !barriers.is_empty() {
            let _ = writeln!(
                out,
                "<table>\n<caption>What got in the way: the three barriers most named for each outcome, {} {}</caption>\n\
<colgroup><col style=\"width:45%\"><col style=\"width:40%\"><col></colgroup>\n\
<thead><tr><th scope=\"col\" class=\"l\">Outcome</th><th scope=\"col\" class=\"l\">Barrier</th><th scope=\"col\">Reviews naming it</th></tr></thead>\n<tbody>",
                esc(r.level.unit_noun()),
                esc(&r.unit)
            );
            for (outcome, b, n) in barriers {
                let _ = writeln!(
                    out,
                    "<tr><th scope=\"row\">{}</th><td class=\"l\">{}</td><td>{n}</td></tr>",
                    esc(&outcome),
                    esc(&b)
                );
            }
            out.push_str("</tbody>\n</table>\n");
        }
        out.push_str("<ul>\n");
        for (label, _, _, _, how) in measures(r) {
            let _ = writeln!(out, "<li>{}: {}</li>", esc(&label), esc(&how));
        }
        for n in &r.notes {
            let _ = writeln!(out, "<li>{}</li>", esc(n));
        }
        let _ = writeln!(out, "<li>{}</li>", esc(&small_base_note()));
        let _ = writeln!(out, "<li>{}</li>", esc(&r.statement()));
        out.push_str("</ul>\n</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}
