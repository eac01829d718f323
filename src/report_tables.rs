//! The report as rectangular tables for analysts' tools (`report --format csv --table`):
//! one header, one type per column, suppressed cells empty with a `_suppressed` flag
//! beside them so value columns stay numeric. Every percentage carries its base and a 95%
//! Wilson interval.

use crate::forms::{Forms, Vocab};
use crate::rollup::{Cell, PctCell, SuppressedReport, SuppressedRow};
use crate::tabular::{Field, Ty, V};

/// Bases below this are flagged in words in Markdown and HTML.
pub const SMALL_BASE: u64 = 30;

/// Whether a percentage's base is small enough to flag: above 0 and below [`SMALL_BASE`].
pub fn is_small_base(base: u64) -> bool {
    base > 0 && base < SMALL_BASE
}

/// The 95% Wilson score interval of `k` out of `n`, in percent to one decimal; `None`
/// when `n` is 0. Wilson rather than the normal approximation because it stays inside
/// 0–100 and behaves on the small bases these reports often have.
pub fn wilson(k: u64, n: u64) -> Option<(f64, f64)> {
    if n == 0 || k > n {
        return None;
    }
    let z = 1.959_963_984_540_054_f64;
    let (k, n) = (k as f64, n as f64);
    let p = k / n;
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denom;
    let r = |x: f64| (x * 1000.0).round() / 10.0;
    Some((r((centre - half).max(0.0)), r((centre + half).min(1.0))))
}

/// A percentage's base: the number it is a share of, when every part is published.
pub fn met_base(row: &SuppressedRow) -> Option<u64> {
    Some(row.met.value()? + row.partly_met.value()? + row.not_met.value()?)
}

fn cell(c: &Cell) -> [V; 2] {
    match c {
        Cell::Value(v) => [V::I(*v), V::B(false)],
        Cell::Suppressed => [V::Null, V::B(true)],
    }
}

/// pct, pct_suppressed, base, low, high.
fn pct_cols(p: &PctCell, num: Option<u64>, base: Option<u64>) -> [V; 5] {
    match p {
        PctCell::Value(v) => {
            let ci = num.zip(base).and_then(|(k, n)| wilson(k, n));
            [
                V::N(*v),
                V::B(false),
                base.map_or(V::Null, V::I),
                ci.map_or(V::Null, |c| V::N(c.0)),
                ci.map_or(V::Null, |c| V::N(c.1)),
            ]
        }
        PctCell::Suppressed => [V::Null, V::B(true), V::Null, V::Null, V::Null],
        PctCell::Empty => [V::Null, V::B(false), V::I(0), V::Null, V::Null],
    }
}

fn lead_fields() -> Vec<Field> {
    vec![
        Field::new("level", Ty::Str, "The level of the report.").allowed([
            "service",
            "organisation",
            "partnership",
            "national",
        ]),
        Field::new(
            "unit",
            Ty::Str,
            "The service, organisation or partnership (at the national level, the partnership).",
        ),
        Field::new("period", Ty::Str, "The period, as given to --period."),
    ]
}

fn lead(r: &SuppressedReport) -> Vec<V> {
    vec![
        V::s(r.level.as_str()),
        V::s(r.unit.clone()),
        V::s(r.period.label()),
    ]
}

fn count_fields(out: &mut Vec<Field>, name: &'static str, flag: &'static str, what: &str) {
    out.push(Field::new(
        name,
        Ty::Int,
        format!("{what} Empty when suppressed."),
    ));
    out.push(Field::new(
        flag,
        Ty::Bool,
        format!("Whether {name} is suppressed."),
    ));
}

fn pct_fields(out: &mut Vec<Field>, names: [&'static str; 5], what: &str) {
    out.push(Field::new(
        names[0],
        Ty::Num,
        format!(
            "{what} One decimal; empty when suppressed or when there is nothing to take a share of."
        ),
    ));
    out.push(Field::new(
        names[1],
        Ty::Bool,
        format!("Whether {} is suppressed.", names[0]),
    ));
    out.push(Field::new(
        names[2],
        Ty::Int,
        format!("The base of {}: the number it is a share of.", names[0]),
    ));
    out.push(Field::new(
        names[3],
        Ty::Num,
        format!("The lower end of the 95% Wilson interval of {}.", names[0]),
    ));
    out.push(Field::new(
        names[4],
        Ty::Num,
        format!("The upper end of the 95% Wilson interval of {}.", names[0]),
    ));
}

/// The columns naming which outcome a row is about.
fn outcome_ref_fields() -> [Field; 3] {
    [
        Field::new(
            "framework",
            Ty::Str,
            "The framework of the outcome (`national` at the national level).",
        ),
        Field::new(
            "outcome_id",
            Ty::Str,
            "The framework outcome id, or the national outcome number.",
        ),
        Field::new("outcome_label", Ty::Str, "The outcome's label."),
    ]
}

/// `--table outcomes`: one row per outcome (national outcome at the national level) per unit.
pub fn outcome_fields() -> Vec<Field> {
    let mut f = lead_fields();
    f.extend(outcome_ref_fields());
    f.extend([
        Field::new("category", Ty::Str, "The outcome's category label."),
        Field::new(
            "national_outcomes",
            Ty::List,
            "The national outcomes the outcome is mapped to.",
        ),
    ]);
    count_fields(
        &mut f,
        "people_planned",
        "people_planned_suppressed",
        "People with the outcome in a support plan that was not closed before the period.",
    );
    count_fields(
        &mut f,
        "reviewed",
        "reviewed_suppressed",
        "People whose latest review of the outcome in the period rated it.",
    );
    count_fields(&mut f, "met", "met_suppressed", "Of those reviewed, met.");
    count_fields(
        &mut f,
        "partly_met",
        "partly_met_suppressed",
        "Of those reviewed, partly met.",
    );
    count_fields(
        &mut f,
        "not_met",
        "not_met_suppressed",
        "Of those reviewed, not met.",
    );
    count_fields(
        &mut f,
        "no_longer_relevant",
        "no_longer_relevant_suppressed",
        "Of those reviewed, no longer relevant.",
    );
    pct_fields(
        &mut f,
        [
            "met_pct",
            "met_pct_suppressed",
            "met_pct_base",
            "met_pct_low95",
            "met_pct_high95",
        ],
        "met / (met + partly met + not met) x 100.",
    );
    f
}

pub fn outcome_rows(reports: &[SuppressedReport]) -> Vec<Vec<V>> {
    let mut out = Vec::new();
    for r in reports {
        for row in &r.rows {
            let mut v = lead(r);
            v.extend([
                V::s(row.framework.clone()),
                V::s(row.outcome_id.clone()),
                V::s(row.label.clone()),
                V::s(row.category.clone()),
                V::LI(row.national.clone().into()),
            ]);
            for c in [
                &row.people_planned,
                &row.reviewed,
                &row.met,
                &row.partly_met,
                &row.not_met,
                &row.no_longer_relevant,
            ] {
                v.extend(cell(c));
            }
            v.extend(pct_cols(&row.met_pct, row.met.value(), met_base(row)));
            out.push(v);
        }
    }
    out
}

/// `--table measures`: the unit-level figures.
pub fn measure_fields() -> Vec<Field> {
    let mut f = lead_fields();
    f.extend([
        Field::new("measure_id", Ty::Str, "Which figure: people, overdue_reviews, plans_reviewed_on_time, or a local measure's id."),
        Field::new("measure_label", Ty::Str, "The figure's label."),
    ]);
    count_fields(
        &mut f,
        "numerator",
        "numerator_suppressed",
        "The count (the numerator of a share).",
    );
    count_fields(
        &mut f,
        "denominator",
        "denominator_suppressed",
        "The number the count is a share of; empty for a plain count.",
    );
    pct_fields(
        &mut f,
        [
            "pct",
            "pct_suppressed",
            "pct_base",
            "pct_low95",
            "pct_high95",
        ],
        "numerator / denominator x 100.",
    );
    f.push(Field::new(
        "how",
        Ty::Str,
        "How the figure is counted, in words.",
    ));
    f
}

pub fn measure_rows(reports: &[SuppressedReport]) -> Vec<Vec<V>> {
    let mut out = Vec::new();
    for r in reports {
        let mut push = |id: &str,
                        label: &str,
                        num: &Cell,
                        den: Option<&Cell>,
                        pct: Option<&PctCell>,
                        how: &str| {
            let mut v = lead(r);
            v.extend([V::s(id.to_owned()), V::s(label.to_owned())]);
            v.extend(cell(num));
            match den {
                Some(d) => v.extend(cell(d)),
                None => v.extend([V::Null, V::B(false)]),
            }
            match pct {
                Some(p) => v.extend(pct_cols(p, num.value(), den.and_then(Cell::value))),
                None => v.extend([V::Null, V::B(false), V::Null, V::Null, V::Null]),
            }
            v.push(V::s(how.to_owned()));
            out.push(v);
        };
        push(
            "people",
            "People in the unit (everyone recorded in its services, whatever the period)",
            &r.people,
            None,
            None,
            "Every person whose service is in the unit, whether or not they had a conversation in the period.",
        );
        push(
            "overdue_reviews",
            "People with a review overdue",
            &r.overdue_reviews,
            None,
            None,
            crate::rollup::OVERDUE_HOW,
        );
        push(
            "plans_reviewed_on_time",
            "Plans reviewed by their agreed date",
            &r.plans_reviewed_on_time,
            Some(&r.plans_due),
            Some(&r.plans_on_time_pct),
            crate::rollup::ON_TIME_HOW,
        );
        for m in &r.measures {
            push(
                &m.id,
                &m.label,
                &m.numerator,
                Some(&m.denominator),
                Some(&m.pct),
                &m.how,
            );
        }
    }
    out
}

/// `--table barriers` or `--table contributors`.
pub fn term_fields(v: Vocab) -> Vec<Field> {
    let (id, label, what) = match v {
        Vocab::Barriers => ("barrier_id", "barrier_label", "what got in the way"),
        _ => ("contributor_id", "contributor_label", "who helped"),
    };
    let mut f = lead_fields();
    f.extend(outcome_ref_fields());
    f.extend([
        Field::new(id, Ty::Str, format!("The vocabulary id of {what}.")),
        Field::new(label, Ty::Str, "Its label."),
    ]);
    count_fields(
        &mut f,
        "count",
        "count_suppressed",
        &format!("Reviews counted for the outcome that named it ({what})."),
    );
    f
}

pub fn term_rows(reports: &[SuppressedReport], forms: &Forms, v: Vocab) -> Vec<Vec<V>> {
    let mut out = Vec::new();
    for r in reports {
        for row in &r.rows {
            let terms = if v == Vocab::Barriers {
                &row.barriers
            } else {
                &row.contributors
            };
            for (id, c) in terms {
                let mut x = lead(r);
                x.extend([
                    V::s(row.framework.clone()),
                    V::s(row.outcome_id.clone()),
                    V::s(row.label.clone()),
                    V::s(id.clone()),
                    V::s(forms.vocab.label(v, id).to_owned()),
                ]);
                x.extend(cell(c));
                out.push(x);
            }
        }
    }
    out
}

/// `--table notes`.
pub fn note_fields() -> Vec<Field> {
    let mut f = lead_fields();
    f.extend([
        Field::new("kind", Ty::Str, "`suppression` for the statement of how disclosure control was applied, `note` otherwise.").allowed(["suppression", "note"]),
        Field::new("text", Ty::Str, "The sentence."),
    ]);
    f
}

pub fn note_rows(reports: &[SuppressedReport]) -> Vec<Vec<V>> {
    let mut out = Vec::new();
    for r in reports {
        for n in &r.notes {
            let mut v = lead(r);
            v.extend([V::s("note"), V::s(n.clone())]);
            out.push(v);
        }
        let mut v = lead(r);
        v.extend([V::s("suppression"), V::s(r.statement())]);
        out.push(v);
    }
    out
}

/// `--table long`: every published count, one per row.
pub fn long_fields() -> Vec<Field> {
    let mut f = lead_fields();
    f.extend([
        Field::new("measure", Ty::Str, "Which count: people, overdue_reviews, plans_due, plans_reviewed_on_time, <local measure>_numerator / _denominator, people_planned, reviewed, met, partly_met, not_met, no_longer_relevant, barrier or contributor."),
        Field::new("framework", Ty::Str, "For outcome counts, the framework (`national` at the national level)."),
        Field::new("outcome_id", Ty::Str, "For outcome counts, the outcome id or national outcome number."),
        Field::new("term", Ty::Str, "For barrier and contributor counts, the vocabulary id."),
        Field::new("value", Ty::Int, "The count; empty when suppressed."),
        Field::new("suppressed", Ty::Bool, "Whether the count is suppressed."),
    ]);
    f
}

pub fn long_rows(reports: &[SuppressedReport]) -> Vec<Vec<V>> {
    let mut out = Vec::new();
    for r in reports {
        let mut push = |measure: String, fw: V, outcome: V, term: V, c: &Cell| {
            let mut v = lead(r);
            v.extend([V::s(measure), fw, outcome, term]);
            v.extend(cell(c));
            out.push(v);
        };
        let unit_counts = [
            ("people", &r.people),
            ("overdue_reviews", &r.overdue_reviews),
            ("plans_due", &r.plans_due),
            ("plans_reviewed_on_time", &r.plans_reviewed_on_time),
        ];
        for (m, c) in unit_counts {
            push(m.into(), V::Null, V::Null, V::Null, c);
        }
        for m in &r.measures {
            push(
                format!("{}_numerator", m.id),
                V::Null,
                V::Null,
                V::Null,
                &m.numerator,
            );
            push(
                format!("{}_denominator", m.id),
                V::Null,
                V::Null,
                V::Null,
                &m.denominator,
            );
        }
        for row in &r.rows {
            let fw = V::s(row.framework.clone());
            let id = V::s(row.outcome_id.clone());
            for (m, c) in [
                ("people_planned", &row.people_planned),
                ("reviewed", &row.reviewed),
                ("met", &row.met),
                ("partly_met", &row.partly_met),
                ("not_met", &row.not_met),
                ("no_longer_relevant", &row.no_longer_relevant),
            ] {
                push(m.into(), fw.clone(), id.clone(), V::Null, c);
            }
            for (t, c) in &row.barriers {
                push("barrier".into(), fw.clone(), id.clone(), V::s(t.clone()), c);
            }
            for (t, c) in &row.contributors {
                push(
                    "contributor".into(),
                    fw.clone(),
                    id.clone(),
                    V::s(t.clone()),
                    c,
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wilson_intervals_match_published_values() {
        // 3 of 4: the interval is wide; 300 of 400 narrow (Newcombe 1998, method 3).
        assert_eq!(wilson(3, 4), Some((30.1, 95.4)));
        assert_eq!(wilson(300, 400), Some((70.5, 79.0)));
        assert_eq!(wilson(0, 10), Some((0.0, 27.8)));
        assert_eq!(wilson(10, 10), Some((72.2, 100.0)));
        assert_eq!(wilson(1, 0), None);
    }

    #[test]
    fn small_bases_are_those_under_thirty() {
        assert!(is_small_base(4) && is_small_base(SMALL_BASE - 1));
        assert!(!is_small_base(SMALL_BASE) && !is_small_base(0));
    }
}
