//! Trend reports: `report --period 2023-24,2024-25,2025-26` puts several periods side by
//! side. Each period is rolled up and protected exactly as a report of that period alone
//! (every level of the period together, [`crate::rollup::protect_period`]), so a cell
//! shows the same number or marker in a trend as in its single-period report, and the
//! CSV and JSON are the single-period tables one after the other (each row names its
//! period). Table, Markdown and HTML open with one side-by-side table per unit
//! (reviewed and met % for each period), then give each period's full tables.
//!
//! # Differencing between periods
//! Each period is protected on its own (the disclosure model relates the tables of one
//! period). Across periods the roll-up gives no equations to difference: a person-outcome
//! counts once in a period, with the status of its *latest* review dated in that period
//! (see [`crate::rollup`]), so a year is not the sum of its quarters: someone reviewed as
//! met in Q1 and not met in Q3 counts in Q1's met, Q3's not met and the year's not met
//! only. Periods that do not overlap count different reviews and share no cell.
//!
//! Two things do tie periods, and the trend handles or states them:
//! * `people` (everyone on the unit's records) does not depend on the period, so it is
//!   one number in every period: the protection decides its cells apart from the period
//!   (see `protect_people` in the roll-up), so every period shows or hides them alike,
//!   in a trend and in separate reports; [`align_people`] stays as a guard.
//! * Nested periods (a year beside its quarters) admit inequalities: each status count of
//!   the year is at least its count in the quarter ending with the year (everyone
//!   reviewed then has their latest review of the year there), and at most the sum of the
//!   four quarters' counts; the year's reviewed is at least any quarter's. These narrow a
//!   hidden cell and at an edge can pin it: with suppression below 5, a year's `met` of 9
//!   beside Q1–Q3 published as 0, 5 and 0 leaves a hidden Q4 `met` (1 to 4, and at
//!   least 9 − 5) no value but 4. The per-period
//!   protection does not see these inequalities, so a year and its own quarters are
//!   better published in separate releases, or the nested tables need protecting
//!   together; until they are, a trend refuses periods that overlap ([`parse`]).

use crate::rollup::{Cell, Period, SuppressedReport, SuppressedRow};
use std::fmt::Write as _;

/// One or more periods, as given to `--period` (comma-separated).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Periods(pub Vec<Period>);

/// Reads `2025-26`, or several periods separated by commas; two periods with the same
/// dates are refused.
pub fn parse(s: &str) -> Result<Periods, String> {
    let mut out: Vec<Period> = Vec::new();
    for part in s.split(',') {
        let part = part.trim();
        if part.is_empty() {
            return Err(
                "a period is missing between commas; give periods such as 2024-25,2025-26".into(),
            );
        }
        let p = Period::parse(part)?;
        if let Some(q) = out
            .iter()
            .find(|q| (q.start(), q.end()) == (p.start(), p.end()))
        {
            return Err(format!(
                "the period {} is given twice (as {} and {}); give each period once",
                p.describe(),
                q.label(),
                p.label()
            ));
        }
        // Overlapping periods tie their counts by inequalities that per-period protection
        // does not see, so a trend refuses them rather than publish a narrowable cell.
        if let Some(q) = out
            .iter()
            .find(|q| q.start() <= p.end() && p.start() <= q.end())
        {
            return Err(format!(
                "the periods {} and {} overlap, and a year beside its own quarters can give away a suppressed count; put only periods that do not overlap side by side",
                q.label(),
                p.label()
            ));
        }
        out.push(p);
    }
    Ok(Periods(out))
}

/// The periods' reports unit by unit: each unit's periods next to each other, in the
/// order given. `per_period[i]` holds period i's reports, units in the same order.
pub fn interleave(per_period: Vec<Vec<SuppressedReport>>) -> Vec<SuppressedReport> {
    let mut units: Vec<String> = Vec::new();
    for r in per_period.iter().flatten() {
        if !units.contains(&r.unit) {
            units.push(r.unit.clone());
        }
    }
    let mut out = Vec::new();
    for u in &units {
        for reports in &per_period {
            out.extend(reports.iter().filter(|r| &r.unit == u).cloned());
        }
    }
    out
}

/// The periods of `reports`, in order of first appearance.
pub fn periods(reports: &[SuppressedReport]) -> Vec<Period> {
    let mut out: Vec<Period> = Vec::new();
    for r in reports {
        if !out.contains(&r.period) {
            out.push(r.period);
        }
    }
    out
}

/// One unit's side-by-side table: for each outcome, per period, reviewed and met %.
struct Side<'r> {
    unit: &'r str,
    noun: &'static str,
    periods: Vec<Period>,
    rows: Vec<(&'r SuppressedRow, Vec<Option<&'r SuppressedRow>>)>,
    open: bool,
}

fn sides(reports: &[SuppressedReport]) -> Vec<Side<'_>> {
    let periods = periods(reports);
    if periods.len() < 2 {
        return Vec::new();
    }
    let mut out: Vec<Side> = Vec::new();
    for r in reports {
        if out.iter().any(|s| s.unit == r.unit) {
            continue;
        }
        let of_unit: Vec<Option<&SuppressedReport>> = periods
            .iter()
            .map(|p| reports.iter().find(|x| x.unit == r.unit && x.period == *p))
            .collect();
        let rows = r
            .rows
            .iter()
            .map(|row| {
                let cells = of_unit
                    .iter()
                    .map(|u| {
                        u.and_then(|u| {
                            u.rows.iter().find(|x| {
                                x.framework == row.framework && x.outcome_id == row.outcome_id
                            })
                        })
                    })
                    .collect();
                (row, cells)
            })
            .collect();
        out.push(Side {
            unit: &r.unit,
            noun: r.level.unit_noun(),
            periods: periods.clone(),
            rows,
            open: r.open_data,
        });
    }
    out
}

fn reviewed(row: Option<&SuppressedRow>, open: bool) -> String {
    row.map_or(String::new(), |r| r.reviewed.render(open))
}

fn met_pct(row: Option<&SuppressedRow>, open: bool) -> String {
    row.map_or(String::new(), |r| {
        crate::report_print::pct_with_base(&r.met_pct, crate::report_tables::met_base(r), open)
    })
}

fn caption(s: &Side) -> String {
    let labels: Vec<String> = s.periods.iter().map(Period::label).collect();
    format!(
        "Trend, {} {}: people reviewed and the share met, {}",
        s.noun,
        s.unit,
        labels.join(", ")
    )
}

const NOTE: &str = "Each period is counted and protected as in its own report: a person's \
latest review in the period counts, so a year is not the sum of its quarters.";

/// Hides a unit's `people` in every period when any period hides it: it is the same
/// number in each, so one shown would give away the others.
pub fn align_people(reports: &mut [SuppressedReport]) {
    let hidden: Vec<String> = reports
        .iter()
        .filter(|r| r.people.is_suppressed())
        .map(|r| r.unit.clone())
        .collect();
    for r in reports.iter_mut() {
        if hidden.contains(&r.unit) && !r.people.is_suppressed() {
            r.people = Cell::Suppressed;
            r.applied = true;
        }
    }
}

/// The side-by-side tables as plain text (empty for one period).
pub fn text(reports: &[SuppressedReport]) -> String {
    let mut out = String::new();
    for s in sides(reports) {
        let mut header = vec!["Outcome".to_string()];
        for p in &s.periods {
            header.push(format!("{} reviewed", p.label()));
            header.push(format!("{} met %", p.label()));
        }
        let rows: Vec<Vec<String>> = s
            .rows
            .iter()
            .map(|(row, cells)| {
                let mut v = vec![row.label.clone()];
                for c in cells {
                    v.push(reviewed(*c, s.open));
                    v.push(met_pct(*c, s.open));
                }
                v
            })
            .collect();
        let _ = writeln!(out, "{}", caption(&s));
        let head: Vec<&str> = header.iter().map(String::as_str).collect();
        out.push_str(&crate::cli::text::table(&head, &rows));
        let _ = writeln!(out, "{NOTE}\n");
    }
    out
}

/// The side-by-side tables in Markdown (empty for one period).
pub fn markdown(reports: &[SuppressedReport]) -> String {
    let esc = |s: &str| s.replace('|', "\\|");
    let mut out = String::new();
    for s in sides(reports) {
        let _ = writeln!(out, "## {}\n", esc(&caption(&s)));
        out.push_str("| Outcome |");
        for p in &s.periods {
            let _ = write!(out, " {0} reviewed | {0} met % |", p.label());
        }
        out.push_str("\n|---|");
        out.push_str(&"---:|---:|".repeat(s.periods.len()));
        out.push('\n');
        for (row, cells) in &s.rows {
            let _ = write!(out, "| {} |", esc(&row.label));
            for c in cells {
                let _ = write!(out, " {} | {} |", reviewed(*c, s.open), met_pct(*c, s.open));
            }
            out.push('\n');
        }
        let _ = writeln!(out, "\n{NOTE}\n");
    }
    out
}

/// The side-by-side tables in HTML (empty for one period).
pub fn html(reports: &[SuppressedReport], esc: fn(&str) -> String) -> String {
    let mut out = String::new();
    for s in sides(reports) {
        let _ = writeln!(
            out,
            "<section>\n<table>\n<caption>{}</caption>\n<thead><tr><th scope=\"col\" class=\"l\" rowspan=\"2\">Outcome</th>",
            esc(&caption(&s))
        );
        for p in &s.periods {
            let _ = write!(
                out,
                "<th scope=\"colgroup\" colspan=\"2\">{}</th>",
                esc(&p.label())
            );
        }
        out.push_str("</tr>\n<tr>");
        for _ in &s.periods {
            out.push_str("<th scope=\"col\">Reviewed</th><th scope=\"col\">Met % (base)</th>");
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for (row, cells) in &s.rows {
            let _ = write!(out, "<tr><th scope=\"row\">{}</th>", esc(&row.label));
            for c in cells {
                let _ = write!(
                    out,
                    "<td>{}</td><td>{}</td>",
                    esc(&reviewed(*c, s.open)),
                    esc(&met_pct(*c, s.open))
                );
            }
            out.push_str("</tr>\n");
        }
        let _ = writeln!(out, "</tbody>\n</table>\n<p>{}</p>\n</section>", esc(NOTE));
    }
    out
}
