//! Disclosure control for aggregate reports (DESIGN §3, issue 4 part 4).
//!
//! * Counts from 1 to N−1 (N = the threshold; 0 turns it off) are suppressed; zeros are
//!   kept.
//! * A percentage whose numerator or denominator is suppressed is suppressed.
//! * Secondary suppression: in an outcome row, met + partly met + not met + no longer
//!   relevant = reviewed. When `reviewed` is shown and exactly one of the four is
//!   suppressed, it could be worked out from the total, so the smallest other non-zero
//!   cell of the four is suppressed too (the first in that order on a tie). When
//!   `reviewed` is itself suppressed the row is safe.
//! * Measures made from outcome rows ([`Measure::parts`]) are suppressed consistently
//!   with those rows: the numerator (met) when `met` is suppressed in any source row or
//!   in their sum, the denominator (met + partly met + not met) when any status cell is,
//!   since otherwise the two could be subtracted to recover a hidden cell.
//!
//! The suppressed values are dropped, not carried, so a renderer cannot leak them. The
//! rows and measures are in the same order as the [`UnitReport`]'s, so the dashboard can
//! pair a true number with whether it would be suppressed.

use super::{Counts, Level, Measure, OutcomeRow, Period, UnitReport, pct_1dp};
use chrono::NaiveDate;
use std::iter::once;

/// A count as published: its value, or suppressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cell {
    Value(u64),
    Suppressed,
}

/// What a suppressed count is shown as: `*`, or `c` for open data.
pub fn marker(open_data: bool) -> &'static str {
    if open_data { "c" } else { "*" }
}

impl Cell {
    pub fn value(&self) -> Option<u64> {
        match self {
            Cell::Value(v) => Some(*v),
            Cell::Suppressed => None,
        }
    }

    pub fn is_suppressed(&self) -> bool {
        matches!(self, Cell::Suppressed)
    }

    /// The number, or `*` (`c` with `open_data`).
    pub fn render(&self, open_data: bool) -> String {
        match self {
            Cell::Value(v) => v.to_string(),
            Cell::Suppressed => marker(open_data).to_string(),
        }
    }
}

/// A percentage as published.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PctCell {
    Value(f64),
    Suppressed,
    /// Nothing to take a share of (a zero denominator).
    Empty,
}

impl PctCell {
    pub fn value(&self) -> Option<f64> {
        match self {
            PctCell::Value(v) => Some(*v),
            _ => None,
        }
    }

    pub fn is_suppressed(&self) -> bool {
        matches!(self, PctCell::Suppressed)
    }

    /// One decimal (`66.7`), `*` (`c` with `open_data`), or an empty string.
    pub fn render(&self, open_data: bool) -> String {
        match self {
            PctCell::Value(v) => format!("{v:.1}"),
            PctCell::Suppressed => marker(open_data).to_string(),
            PctCell::Empty => String::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SuppressedRow {
    pub framework: String,
    pub outcome_id: String,
    pub label: String,
    pub category: String,
    pub national: Vec<u8>,
    pub people_planned: Cell,
    pub reviewed: Cell,
    pub met: Cell,
    pub partly_met: Cell,
    pub not_met: Cell,
    pub no_longer_relevant: Cell,
    pub met_pct: PctCell,
    pub barriers: Vec<(String, Cell)>,
    pub contributors: Vec<(String, Cell)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SuppressedMeasure {
    pub id: String,
    pub label: String,
    pub numerator: Cell,
    pub denominator: Cell,
    pub pct: PctCell,
    pub how: String,
}

/// A [`UnitReport`] ready to publish.
#[derive(Clone, Debug, PartialEq)]
pub struct SuppressedReport {
    pub level: Level,
    pub unit: String,
    pub period: Period,
    pub as_of: NaiveDate,
    pub people: Cell,
    pub rows: Vec<SuppressedRow>,
    pub overdue_reviews: Cell,
    pub plans_due: Cell,
    pub plans_reviewed_on_time: Cell,
    pub plans_on_time_pct: PctCell,
    pub measures: Vec<SuppressedMeasure>,
    pub notes: Vec<String>,
    pub threshold: u64,
    pub open_data: bool,
    /// Whether any count or percentage was suppressed.
    pub applied: bool,
    /// The rule used, in one sentence.
    pub rule: String,
}

impl SuppressedReport {
    /// What a suppressed cell shows.
    pub fn marker(&self) -> &'static str {
        marker(self.open_data)
    }

    /// The sentence every output prints: whether suppression was applied, and how.
    pub fn statement(&self) -> String {
        if self.threshold <= 1 {
            self.rule.clone()
        } else if self.applied {
            format!("Suppression was applied. {}", self.rule)
        } else {
            format!("No count needed suppressing. {}", self.rule)
        }
    }
}

/// The rule in one sentence.
pub fn rule_sentence(threshold: u64, open_data: bool) -> String {
    let m = marker(open_data);
    match threshold {
        0 => "Disclosure control is off (threshold 0): every count is shown as it is.".into(),
        1 => "Disclosure control suppresses nothing at threshold 1: every count is shown as \
              it is."
            .into(),
        t => {
            let small = if t == 2 {
                "Counts of 1 are".to_string()
            } else {
                format!("Counts from 1 to {} are", t - 1)
            };
            format!(
                "{small} shown as `{m}` and zeros are kept; a percentage made from a \
                 suppressed count is shown as `{m}`; and where a suppressed count could be \
                 worked out, or narrowed below {t}, from other counts published for the \
                 period at any level (service, organisation, partnership or national), more \
                 counts are shown as `{m}` too."
            )
        }
    }
}

#[derive(Clone, Copy)]
struct Rule {
    threshold: u64,
}

/// The primary rule, the one place it lives: counts from 1 to N−1 are hidden.
pub(super) fn hides(v: u64, threshold: u64) -> bool {
    v >= 1 && v < threshold
}

impl Rule {
    fn hides(&self, v: u64) -> bool {
        hides(v, self.threshold)
    }

    fn cell(&self, v: u64) -> Cell {
        if self.hides(v) {
            Cell::Suppressed
        } else {
            Cell::Value(v)
        }
    }

    fn pct(&self, num: Cell, den: Cell, value: Option<f64>) -> PctCell {
        match value {
            None => PctCell::Empty,
            Some(_) if num.is_suppressed() || den.is_suppressed() => PctCell::Suppressed,
            Some(v) => PctCell::Value(v),
        }
    }
}

/// A row's counts after primary and secondary suppression.
struct RowCells {
    planned: Cell,
    reviewed: Cell,
    /// met, partly met, not met, no longer relevant.
    status: [Cell; 4],
}

impl RowCells {
    fn new(c: &Counts, rule: Rule) -> RowCells {
        let values = [c.met, c.partly_met, c.not_met, c.no_longer_relevant];
        let mut hidden = values.map(|v| rule.hides(v));
        let mut reviewed = rule.cell(c.reviewed);
        if !reviewed.is_suppressed() && hidden.iter().filter(|h| **h).count() == 1 {
            let next = values
                .iter()
                .zip(hidden)
                .enumerate()
                .filter(|(_, (v, h))| !*h && **v > 0)
                .min_by_key(|(i, (v, _))| (**v, *i))
                .map(|(i, _)| i);
            match next.and_then(|i| hidden.get_mut(i)) {
                Some(h) => *h = true,
                // No other non-zero cell (only when the counts do not add up): hide the
                // total instead, so nothing can be subtracted.
                None => reviewed = Cell::Suppressed,
            }
        }
        let mut status = [Cell::Suppressed; 4];
        for ((s, v), h) in status.iter_mut().zip(values).zip(hidden) {
            if !h {
                *s = Cell::Value(v);
            }
        }
        RowCells {
            planned: rule.cell(c.people_planned),
            reviewed,
            status,
        }
    }

    fn met(&self) -> Cell {
        self.status[0]
    }

    /// Whether met, partly met or not met (the denominator of `met_pct`) is hidden.
    fn rated_hidden(&self) -> bool {
        self.status.iter().take(3).any(Cell::is_suppressed)
    }

    fn any_status_hidden(&self) -> bool {
        self.status.iter().any(Cell::is_suppressed)
    }
}

fn tags(t: &[(String, u64)], rule: Rule) -> Vec<(String, Cell)> {
    t.iter().map(|(k, n)| (k.clone(), rule.cell(*n))).collect()
}

fn row(r: &OutcomeRow, rule: Rule) -> SuppressedRow {
    let cells = RowCells::new(&r.counts, rule);
    let met_pct = match r.counts.met_pct() {
        None => PctCell::Empty,
        Some(_) if cells.rated_hidden() => PctCell::Suppressed,
        Some(v) => PctCell::Value(v),
    };
    let [met, partly_met, not_met, no_longer_relevant] = cells.status;
    SuppressedRow {
        framework: r.framework.clone(),
        outcome_id: r.outcome_id.clone(),
        label: r.label.clone(),
        category: r.category.clone(),
        national: r.national.clone(),
        people_planned: cells.planned,
        reviewed: cells.reviewed,
        met,
        partly_met,
        not_met,
        no_longer_relevant,
        met_pct,
        barriers: tags(&r.barriers, rule),
        contributors: tags(&r.contributors, rule),
    }
}

fn measure(m: &Measure, rule: Rule) -> SuppressedMeasure {
    let mut num_hidden = rule.hides(m.numerator);
    let mut den_hidden = rule.hides(m.denominator);
    if !m.parts.is_empty() {
        let mut total = Counts::default();
        for p in &m.parts {
            total += p;
        }
        for c in m.parts.iter().chain(once(&total)) {
            let cells = RowCells::new(c, rule);
            num_hidden |= cells.met().is_suppressed();
            den_hidden |= cells.any_status_hidden();
        }
    }
    let hide = |h: bool, v: u64| if h { Cell::Suppressed } else { Cell::Value(v) };
    let numerator = hide(num_hidden, m.numerator);
    let denominator = hide(den_hidden, m.denominator);
    SuppressedMeasure {
        id: m.id.clone(),
        label: m.label.clone(),
        numerator,
        denominator,
        pct: rule.pct(numerator, denominator, m.pct()),
        how: m.how.clone(),
    }
}

/// Applies disclosure control to a report. `threshold` is N (`--suppress`, 0 = off);
/// `open_data` shows suppressed cells as `c` instead of `*`.
pub fn suppress(report: &UnitReport, threshold: u64, open_data: bool) -> SuppressedReport {
    let rule = Rule { threshold };
    let rows: Vec<SuppressedRow> = report.rows.iter().map(|r| row(r, rule)).collect();
    let measures: Vec<SuppressedMeasure> =
        report.measures.iter().map(|m| measure(m, rule)).collect();
    let plans_due = rule.cell(report.plans_due);
    let plans_reviewed_on_time = rule.cell(report.plans_reviewed_on_time);
    let out = SuppressedReport {
        level: report.level,
        unit: report.unit.clone(),
        period: report.period,
        as_of: report.as_of,
        people: rule.cell(report.people),
        overdue_reviews: rule.cell(report.overdue_reviews),
        plans_on_time_pct: rule.pct(
            plans_reviewed_on_time,
            plans_due,
            pct_1dp(report.plans_reviewed_on_time, report.plans_due),
        ),
        plans_due,
        plans_reviewed_on_time,
        rows,
        measures,
        notes: report.notes.clone(),
        threshold,
        open_data,
        applied: false,
        rule: rule_sentence(threshold, open_data),
    };
    finish(out)
}

/// Sets whether anything was suppressed.
pub(super) fn finish(out: SuppressedReport) -> SuppressedReport {
    let applied = any_suppressed(&out);
    SuppressedReport { applied, ..out }
}

fn any_suppressed(r: &SuppressedReport) -> bool {
    let cells = [
        r.people,
        r.overdue_reviews,
        r.plans_due,
        r.plans_reviewed_on_time,
    ];
    cells.iter().any(Cell::is_suppressed)
        || r.plans_on_time_pct.is_suppressed()
        || r.rows.iter().any(|x| {
            [
                x.people_planned,
                x.reviewed,
                x.met,
                x.partly_met,
                x.not_met,
                x.no_longer_relevant,
            ]
            .iter()
            .any(Cell::is_suppressed)
                || x.met_pct.is_suppressed()
                || x.barriers
                    .iter()
                    .chain(&x.contributors)
                    .any(|t| t.1.is_suppressed())
        })
        || r.measures.iter().any(|m| {
            m.numerator.is_suppressed() || m.denominator.is_suppressed() || m.pct.is_suppressed()
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use Cell::{Suppressed as S, Value as V};

    fn counts(planned: u64, met: u64, partly: u64, not: u64, nlr: u64) -> Counts {
        Counts {
            people_planned: planned,
            reviewed: met + partly + not + nlr,
            met,
            partly_met: partly,
            not_met: not,
            no_longer_relevant: nlr,
        }
    }

    fn report(rows: Vec<Counts>) -> UnitReport {
        UnitReport {
            level: Level::Service,
            unit: "Reablement".into(),
            period: Period::Year(2025),
            as_of: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
            people: 40,
            rows: rows
                .into_iter()
                .enumerate()
                .map(|(i, counts)| OutcomeRow {
                    framework: "adult".into(),
                    outcome_id: format!("o{i}"),
                    label: format!("Outcome {i}"),
                    category: "Quality of life".into(),
                    national: vec![1],
                    counts,
                    barriers: vec![("transport".into(), 7), ("money".into(), 2)],
                    contributors: vec![("services".into(), 0)],
                })
                .collect(),
            overdue_reviews: 6,
            plans_due: 10,
            plans_reviewed_on_time: 8,
            measures: Vec::new(),
            notes: Vec::new(),
        }
    }

    fn cells(r: &SuppressedRow) -> [Cell; 6] {
        [
            r.people_planned,
            r.reviewed,
            r.met,
            r.partly_met,
            r.not_met,
            r.no_longer_relevant,
        ]
    }

    #[test]
    fn small_counts_are_suppressed_and_zeros_kept() {
        // planned 30, met 20, partly 6, not 0, nlr 4 (reviewed 30): only nlr is small,
        // so the next smallest non-zero cell, partly met (6), goes too; not met (0) stays.
        let s = suppress(&report(vec![counts(30, 20, 6, 0, 4)]), 5, false);
        assert_eq!(cells(&s.rows[0]), [V(30), V(30), V(20), S, V(0), S]);
        assert_eq!(s.rows[0].met_pct, PctCell::Suppressed);
        assert_eq!(s.rows[0].met_pct.render(false), "*");
        assert_eq!(
            s.rows[0].barriers,
            vec![("transport".into(), V(7)), ("money".into(), S)]
        );
        assert_eq!(s.rows[0].contributors, vec![("services".into(), V(0))]);
        assert!(s.applied);
        assert!(
            s.statement().starts_with("Suppression was applied."),
            "{}",
            s.statement()
        );
        assert!(s.rule.contains("Counts from 1 to 4"), "{}", s.rule);
    }

    #[test]
    fn secondary_suppression_picks_the_next_smallest() {
        // met 3 is hidden; of partly 9, not 7, nlr 12 the smallest non-zero is not met.
        let s = suppress(&report(vec![counts(31, 3, 9, 7, 12)]), 5, false);
        assert_eq!(cells(&s.rows[0]), [V(31), V(31), S, V(9), S, V(12)]);
        // Two cells hidden by the rule already: nothing more.
        let s = suppress(&report(vec![counts(20, 2, 3, 10, 5)]), 5, false);
        assert_eq!(cells(&s.rows[0]), [V(20), V(20), S, S, V(10), V(5)]);
        // Ties go to the first in order (met, partly, not, nlr).
        let s = suppress(&report(vec![counts(20, 6, 6, 1, 6)]), 5, false);
        assert_eq!(cells(&s.rows[0]), [V(20), V(19), S, V(6), S, V(6)]);
    }

    #[test]
    fn a_row_with_a_suppressed_total_is_safe() {
        // reviewed 4 is hidden, so met 4 cannot be worked out; nothing else is hidden.
        let s = suppress(&report(vec![counts(9, 4, 0, 0, 0)]), 5, false);
        assert_eq!(cells(&s.rows[0]), [V(9), S, S, V(0), V(0), V(0)]);
        assert_eq!(s.rows[0].met_pct, PctCell::Suppressed);
        // Everything zero: nothing to hide, no percentage.
        let s = suppress(&report(vec![counts(0, 0, 0, 0, 0)]), 5, false);
        assert_eq!(cells(&s.rows[0]), [V(0); 6]);
        assert_eq!(s.rows[0].met_pct, PctCell::Empty);
        assert_eq!(s.rows[0].met_pct.render(false), "");
    }

    #[test]
    fn open_data_marks_with_c() {
        let s = suppress(&report(vec![counts(31, 3, 9, 7, 12)]), 5, true);
        assert_eq!(s.rows[0].met.render(true), "c");
        assert_eq!(s.marker(), "c");
        assert!(
            s.rule.contains("`c`") && !s.rule.contains('*'),
            "{}",
            s.rule
        );
        assert_eq!(s.rows[0].partly_met.render(true), "9");
    }

    #[test]
    fn threshold_zero_turns_it_off() {
        let r = report(vec![counts(3, 1, 1, 0, 1)]);
        let s = suppress(&r, 0, false);
        assert_eq!(cells(&s.rows[0]), [V(3), V(3), V(1), V(1), V(0), V(1)]);
        assert_eq!(s.rows[0].met_pct, PctCell::Value(50.0));
        assert!(!s.applied);
        assert!(s.statement().contains("off"), "{}", s.statement());
        // A threshold of 10 hides more.
        let s = suppress(&report(vec![counts(30, 20, 6, 0, 4)]), 10, true);
        assert_eq!(cells(&s.rows[0]), [V(30), V(30), V(20), S, V(0), S]);
        assert_eq!(s.rows[0].barriers[0].1, S);
        assert!(s.rule.contains("1 to 9"));
        // Nothing small: not applied, and it says so.
        let mut r = report(vec![counts(30, 10, 10, 10, 0)]);
        r.rows[0].barriers.clear();
        let s = suppress(&r, 5, false);
        assert!(!s.applied, "{s:?}");
        assert!(s.statement().starts_with("No count needed suppressing."));
    }

    #[test]
    fn plans_and_percentages() {
        let mut r = report(vec![]);
        r.plans_due = 12;
        r.plans_reviewed_on_time = 3;
        r.overdue_reviews = 0;
        let s = suppress(&r, 5, false);
        assert_eq!((s.plans_due, s.plans_reviewed_on_time), (V(12), S));
        assert_eq!(s.plans_on_time_pct, PctCell::Suppressed);
        assert_eq!(s.overdue_reviews, V(0));
        r.plans_reviewed_on_time = 9;
        let s = suppress(&r, 5, false);
        assert_eq!(s.plans_on_time_pct, PctCell::Value(75.0));
        assert_eq!(s.plans_on_time_pct.render(false), "75.0");
    }

    #[test]
    fn measures_follow_their_rows() {
        // The row hides not met (4) and nlr (2). Showing the measure's denominator
        // (met + partly + not = 30) beside reviewed (32) would give nlr away.
        let c = counts(40, 20, 6, 4, 2);
        let m = Measure {
            id: "feeling_safe".into(),
            label: "x".into(),
            numerator: c.met,
            denominator: c.rated(),
            how: "h".into(),
            parts: vec![c],
            rows: vec![0],
        };
        let mut r = report(vec![c]);
        r.measures = vec![m.clone()];
        let s = suppress(&r, 5, false);
        assert_eq!(cells(&s.rows[0]), [V(40), V(32), V(20), V(6), S, S]);
        let sm = &s.measures[0];
        assert_eq!(
            (sm.numerator, sm.denominator, sm.pct),
            (V(20), S, PctCell::Suppressed)
        );
        // With nothing hidden in the row, the measure is shown in full.
        let c = counts(40, 20, 6, 5, 0);
        let m = Measure {
            numerator: c.met,
            denominator: c.rated(),
            parts: vec![c],
            ..m
        };
        r.measures = vec![m];
        let s = suppress(&r, 5, false);
        let sm = &s.measures[0];
        assert_eq!((sm.numerator, sm.denominator), (V(20), V(31)));
        assert_eq!(sm.pct, PctCell::Value(64.5));
    }
}
