//! Disclosure control over every table of a period at once.
//!
//! # Method, and why
//! Primary suppression is the per-cell rule ([`super::suppress::hides`]): counts from 1
//! to N−1 are hidden, zeros are kept. Secondary suppression then runs the attacker's
//! audit ([`super::audit`]) over the whole linked set — service, organisation,
//! partnership and national tables, with every relation between them — and, for each
//! suppressed cell the attacker can work out exactly, or narrow to below N when it is a
//! primary cell, hides the cheapest published cell next to it (one in a published sum
//! that contains it, or in a sum that shares a piece with one): the smallest non-zero
//! count first, a cell of a lower level before a total, a zero only when nothing else
//! is left. Then it audits again, until the audit passes.
//!
//! We chose this "audit, then suppress" loop over τ-ARGUS's HiTaS (protecting the
//! hierarchy top-down, table by table, with the hypercube method) because our linked
//! set is not only a hierarchy: the national view regroups each partnership's rows
//! (an outcome mapped to two national outcomes counts in both), measures add rows
//! together, and tags are bounded by the rows' totals. HiTaS and the hypercube protect
//! each sub-table's own sums and can leave such cross-links open, which is what the
//! published reports suffered from. The loop is in the spirit of sdcTable's
//! `protectTable`, which solves the attacker's problem for every primary cell; it is
//! not optimal (it may hide more than the least possible), but it guarantees what the
//! audit checks, our tables are small (a few thousand cells), and one code path both
//! protects and audits, so the two cannot disagree about the relations.

use super::audit::{self, Range};
use super::model::{Model, ReportIds, atom_services, unit_key};
use super::suppress::{self, Cell, PctCell, SuppressedMeasure, SuppressedReport, SuppressedRow};
use super::{Level, Period, UnitReport, pct_1dp, roll_up};
use crate::domain::{Conversation, Person, Service};
use crate::forms::Forms;
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// Rounds of the loop before it gives up (each round hides at least one more cell, so
/// this only bounds pathological cases).
const MAX_ROUNDS: usize = 10_000;

/// Rounds that run the linear programmes inside the loop. The LP on a 5,000-person
/// store takes tens of seconds per round and its fixes do not yet converge (see the
/// notes in docs), so the loop runs on exact propagation and the thin-sum rule, and the
/// LP is left to `report --check-disclosure`.
const LP_ROUNDS: usize = 0;

/// Every table of one period, protected together.
pub struct Protected {
    model: Model,
    hidden: Vec<bool>,
    threshold: u64,
}

/// Cells shown at one level, and how many are hidden and why.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LevelLoss {
    pub level: Option<Level>,
    pub cells: usize,
    pub primary: usize,
    pub secondary: usize,
}

/// The attacker's audit of a protected period.
#[derive(Clone, Debug, Default)]
pub struct Audit {
    pub threshold: u64,
    pub levels: Vec<LevelLoss>,
    /// Suppressed cells checked.
    pub checked: usize,
    /// Suppressed cells worked out exactly.
    pub exact: usize,
    /// Primary cells whose range excludes every value of N or more.
    pub narrowed: usize,
}

impl Audit {
    pub fn passed(&self) -> bool {
        self.exact == 0 && self.narrowed == 0
    }

    /// What the audit found, as lines to print.
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![format!(
            "{:<13} {:>7} {:>8} {:>10} {:>7}",
            "level", "cells", "primary", "secondary", "hidden"
        )];
        for l in &self.levels {
            let hidden = l.primary + l.secondary;
            let pct = pct_1dp(hidden as u64, l.cells as u64).unwrap_or(0.0);
            out.push(format!(
                "{:<13} {:>7} {:>8} {:>10} {:>6.1}%",
                l.level.map_or("all", |x| x.as_str()),
                l.cells,
                l.primary,
                l.secondary,
                pct
            ));
        }
        if self.threshold <= 1 {
            out.push("Disclosure control is off: nothing is suppressed, nothing to check.".into());
            return out;
        }
        out.push(format!(
            "Checked {} suppressed cells against everything published for the period at every level: {} worked out exactly, {} primary cells narrowed below {}.",
            self.checked, self.exact, self.narrowed, self.threshold
        ));
        out
    }
}

/// Rolls up every level of the period and protects all the tables together.
/// `threshold` is N (`--suppress`; 0 or 1 hides nothing).
pub fn protect_period(
    forms: &Forms,
    services: &[Service],
    people: &[Person],
    conversations: &[Conversation],
    period: &Period,
    today: NaiveDate,
    threshold: u64,
) -> Result<Protected, String> {
    let atoms = roll_up(
        forms,
        &atom_services(services),
        people,
        conversations,
        Level::Service,
        None,
        period,
        today,
    )?;
    let mut levels = Vec::new();
    for l in Level::ALL {
        levels.push((
            l,
            roll_up(
                forms,
                services,
                people,
                conversations,
                l,
                None,
                period,
                today,
            )?,
        ));
    }
    let model = Model::new(&atoms, &levels);
    protect(model, threshold)
}

fn primary(model: &Model, threshold: u64) -> Vec<bool> {
    model
        .cells
        .iter()
        .map(|c| suppress::hides(c.value, threshold))
        .collect()
}

pub(super) fn protect(model: Model, threshold: u64) -> Result<Protected, String> {
    let mut hidden = primary(&model, threshold);
    if threshold > 1 {
        let mut lp_rounds = LP_ROUNDS;
        for _ in 0..MAX_ROUNDS {
            let (exact, known) = audit::exact_by_propagation(&model, &hidden);
            let mut new = BTreeSet::new();
            for &c in &exact {
                if let Some(x) = cheapest_breaker(&model, &hidden, &known, c) {
                    new.insert(x);
                }
            }
            let mut failing = exact;
            if failing.is_empty() {
                failing = thin_sums(&model, &hidden, &known, threshold);
                for &p in &failing {
                    if let Some(x) = cheapest_widener(&model, &hidden, &known, p) {
                        new.insert(x);
                    }
                }
            }
            if failing.is_empty() && lp_rounds > 0 {
                lp_rounds -= 1;
                let ranges = audit::ranges(&model, &hidden, threshold)?;
                failing = failures(&model, &hidden, &ranges, threshold);
                failing.sort_unstable();
                if std::env::var_os("TALKING_POINTS_DEBUG_DISCLOSURE").is_some() {
                    for c in failing.iter().take(8) {
                        let d = model.cells.get(*c);
                        eprintln!(
                            "fail {c}: value {:?} terms {:?} range {:?}",
                            d.map(|d| d.value),
                            d.map(|d| d.terms.len()),
                            ranges.get(c)
                        );
                    }
                }
                for &c in &failing {
                    if let Some(x) = cheapest_neighbour(&model, &hidden, c) {
                        new.insert(x);
                    }
                }
            }
            if std::env::var_os("TALKING_POINTS_DEBUG_DISCLOSURE").is_some() {
                eprintln!("round: {} failing", failing.len());
            }
            if failing.is_empty() {
                break;
            }
            if new.is_empty() {
                // Nothing left to hide near the cells that fail; the audit says so.
                break;
            }
            for x in new {
                if let Some(h) = hidden.get_mut(x) {
                    *h = true;
                }
            }
        }
    }
    Ok(Protected {
        model,
        hidden,
        threshold,
    })
}

fn failures(
    model: &Model,
    hidden: &[bool],
    ranges: &std::collections::HashMap<usize, Range>,
    threshold: u64,
) -> Vec<usize> {
    ranges
        .iter()
        .filter(|(c, r)| {
            let d = model.cells.get(**c);
            let is_primary = d.is_some_and(|d| suppress::hides(d.value, threshold));
            hidden.get(**c).copied().unwrap_or(false)
                && (r.exact() || (is_primary && !r.reaches(threshold)))
        })
        .map(|(c, _)| *c)
        .collect()
}

/// The cheapest published cell in a published sum with `c`, or sharing a piece with one.
fn cheapest_neighbour(model: &Model, hidden: &[bool], c: usize) -> Option<usize> {
    let var_cells = &model.var_cells;
    let shown = |x: usize| !hidden.get(x).copied().unwrap_or(true);
    let mut near = BTreeSet::new();
    let terms = model.cells.get(c).map_or(&[][..], |d| &d.terms[..]);
    for v in terms {
        for &p in var_cells.get(*v).map_or(&[][..], |x| &x[..]) {
            if p == c {
                continue;
            }
            if shown(p) {
                near.insert(p);
            }
            for w in model.cells.get(p).map_or(&[][..], |d| &d.terms[..]) {
                for &q in var_cells.get(*w).map_or(&[][..], |x| &x[..]) {
                    if q != c && shown(q) {
                        near.insert(q);
                    }
                }
            }
        }
    }
    cheapest(model, near)
}

/// The cost of hiding a cell: a zero last, then the smallest count, then the cell
/// with fewer pieces (a lower level before its total).
fn cheapest(model: &Model, cells: BTreeSet<usize>) -> Option<usize> {
    cells.into_iter().min_by_key(|&x| {
        let d = model.cells.get(x);
        let v = d.map_or(0, |d| d.value);
        (v == 0, v, d.map_or(0, |d| d.terms.len()), x)
    })
}

/// Published sums whose hidden part adds up to less than N: each hidden piece of it is
/// then known to be below N (the classic rule that the suppressed cells of a published
/// total must together reach the threshold). Cheaper than the LP, and it finds most of
/// what the LP would.
fn thin_sums(model: &Model, hidden: &[bool], known: &audit::Known, threshold: u64) -> Vec<usize> {
    (0..model.cells.len())
        .filter(|&c| !hidden.get(c).copied().unwrap_or(true))
        .filter(|&c| {
            let Some(d) = model.cells.get(c) else {
                return false;
            };
            let part: u64 = d
                .terms
                .iter()
                .filter(|&&v| known.value.get(v).copied().flatten().is_none())
                .map(|&v| model.var_value.get(v).copied().unwrap_or(0))
                .sum();
            part > 0 && part < threshold
        })
        .collect()
}

/// For a published sum whose hidden part is too thin, the cheapest published cell that
/// would add a known piece of it to the hidden part, or the sum itself.
fn cheapest_widener(
    model: &Model,
    hidden: &[bool],
    known: &audit::Known,
    p: usize,
) -> Option<usize> {
    let shown = |x: usize| !hidden.get(x).copied().unwrap_or(true);
    let mut near = BTreeSet::new();
    near.insert(p);
    for &w in model.cells.get(p).map_or(&[][..], |d| &d.terms[..]) {
        if let Some(q) = known.by.get(w).copied().flatten()
            && q != p
            && shown(q)
            && model.var_value.get(w).copied().unwrap_or(0) > 0
        {
            near.insert(q);
        }
    }
    cheapest(model, near)
}

/// For a suppressed cell that propagation works out, the cheapest published cell on the
/// path that works it out: a cell that shows one of its pieces alone, a sum that pinned
/// a piece, or a cell that pinned or showed another piece of that sum.
fn cheapest_breaker(
    model: &Model,
    hidden: &[bool],
    known: &audit::Known,
    c: usize,
) -> Option<usize> {
    let shown = |x: usize| !hidden.get(x).copied().unwrap_or(true);
    let mut near = BTreeSet::new();
    let pinned = |v: usize| known.by.get(v).copied().flatten();
    for &v in model.cells.get(c).map_or(&[][..], |d| &d.terms[..]) {
        let Some(p) = pinned(v) else {
            continue;
        };
        if shown(p) && p != c {
            near.insert(p);
        }
        for &w in model.cells.get(p).map_or(&[][..], |d| &d.terms[..]) {
            if let Some(q) = pinned(w)
                && q != p
                && q != c
                && shown(q)
            {
                near.insert(q);
            }
        }
    }
    cheapest(model, near)
}

impl Protected {
    fn hid(&self, c: usize) -> bool {
        self.hidden.get(c).copied().unwrap_or(true)
    }

    fn cell(&self, c: usize, v: u64) -> Cell {
        if self.hid(c) {
            Cell::Suppressed
        } else {
            Cell::Value(v)
        }
    }

    /// The report as published: its cells hidden as the protection of the whole period
    /// decided. A report from another roll-up than the one protected (which should not
    /// happen) is protected on its own, the old way, rather than shown unprotected.
    pub fn publish(&self, r: &UnitReport, open_data: bool) -> SuppressedReport {
        let Some(ids) = self.model.reports.get(&(r.level, unit_key(&r.unit))) else {
            return suppress::suppress(r, self.threshold, open_data);
        };
        if ids.rows.len() != r.rows.len() || ids.measures.len() != r.measures.len() {
            return suppress::suppress(r, self.threshold, open_data);
        }
        self.publish_with(r, ids, open_data)
    }

    fn publish_with(&self, r: &UnitReport, ids: &ReportIds, open_data: bool) -> SuppressedReport {
        let pct = |num: Cell, den: Cell, v: Option<f64>| match v {
            None => PctCell::Empty,
            Some(_) if num.is_suppressed() || den.is_suppressed() => PctCell::Suppressed,
            Some(x) => PctCell::Value(x),
        };
        let rows = r
            .rows
            .iter()
            .zip(&ids.rows)
            .map(|(row, i)| {
                let c = &row.counts;
                let [m, p, n, l] = i.status;
                let met = self.cell(m, c.met);
                let rated = self.cell(i.rated, c.rated());
                SuppressedRow {
                    framework: row.framework.clone(),
                    outcome_id: row.outcome_id.clone(),
                    label: row.label.clone(),
                    category: row.category.clone(),
                    national: row.national.clone(),
                    people_planned: self.cell(i.planned, c.people_planned),
                    reviewed: self.cell(i.reviewed, c.reviewed),
                    met,
                    partly_met: self.cell(p, c.partly_met),
                    not_met: self.cell(n, c.not_met),
                    no_longer_relevant: self.cell(l, c.no_longer_relevant),
                    met_pct: pct(met, rated, c.met_pct()),
                    barriers: self.tags(&row.barriers, &i.barriers),
                    contributors: self.tags(&row.contributors, &i.contributors),
                }
            })
            .collect();
        let measures = r
            .measures
            .iter()
            .zip(&ids.measures)
            .map(|(m, (num, den))| {
                let numerator = self.cell(*num, m.numerator);
                let denominator = self.cell(*den, m.denominator);
                SuppressedMeasure {
                    id: m.id.clone(),
                    label: m.label.clone(),
                    numerator,
                    denominator,
                    pct: pct(numerator, denominator, m.pct()),
                    how: m.how.clone(),
                }
            })
            .collect();
        let plans_due = self.cell(ids.plans_due, r.plans_due);
        let on_time = self.cell(ids.on_time, r.plans_reviewed_on_time);
        suppress::finish(SuppressedReport {
            level: r.level,
            unit: r.unit.clone(),
            period: r.period,
            as_of: r.as_of,
            people: self.cell(ids.people, r.people),
            rows,
            overdue_reviews: self.cell(ids.overdue, r.overdue_reviews),
            plans_on_time_pct: pct(on_time, plans_due, r.plans_on_time_pct()),
            plans_due,
            plans_reviewed_on_time: on_time,
            measures,
            notes: r.notes.clone(),
            threshold: self.threshold,
            open_data,
            applied: false,
            rule: suppress::rule_sentence(self.threshold, open_data),
        })
    }

    /// Tags as published: shown counts first, most first, then suppressed ones by id, so
    /// a suppressed count's place in the list says nothing about its size.
    fn tags(&self, tags: &[(String, u64)], ids: &[usize]) -> Vec<(String, Cell)> {
        let all: Vec<(String, Cell)> = tags
            .iter()
            .zip(ids)
            .map(|((t, n), c)| (t.clone(), self.cell(*c, *n)))
            .collect();
        let (mut shown, mut hidden): (Vec<_>, Vec<_>) =
            all.into_iter().partition(|x| !x.1.is_suppressed());
        shown.sort_by_key(|x| std::cmp::Reverse(x.1.value().unwrap_or(0)));
        hidden.sort_by(|a, b| a.0.cmp(&b.0));
        shown.extend(hidden);
        shown
    }

    /// Cells shown at each level (each distinct cell once per level), with how many are
    /// hidden by the rule and how many besides, then the same over all levels.
    pub fn loss(&self) -> Vec<LevelLoss> {
        let bits = [1u8, 2, 4, 8];
        let mut out: Vec<LevelLoss> = Level::ALL
            .iter()
            .map(|l| LevelLoss {
                level: Some(*l),
                ..LevelLoss::default()
            })
            .collect();
        let mut all = LevelLoss::default();
        for (c, d) in self.model.cells.iter().enumerate() {
            let primary = suppress::hides(d.value, self.threshold);
            let hidden = self.hid(c);
            let tally = |l: &mut LevelLoss| {
                l.cells += 1;
                if primary {
                    l.primary += 1;
                } else if hidden {
                    l.secondary += 1;
                }
            };
            for (l, b) in out.iter_mut().zip(bits) {
                if d.levels & b != 0 {
                    tally(l);
                }
            }
            tally(&mut all);
        }
        out.push(all);
        out
    }

    /// The attacker's audit of everything published for the period.
    pub fn audit(&self) -> Result<Audit, String> {
        let mut a = Audit {
            threshold: self.threshold,
            levels: self.loss(),
            ..Audit::default()
        };
        if self.threshold <= 1 {
            return Ok(a);
        }
        let ranges = audit::ranges(&self.model, &self.hidden, self.threshold)?;
        for (c, r) in &ranges {
            a.checked += 1;
            if r.exact() {
                a.exact += 1;
            }
            let value = self.model.cells.get(*c).map_or(0, |d| d.value);
            if suppress::hides(value, self.threshold) && !r.reaches(self.threshold) {
                a.narrowed += 1;
            }
        }
        Ok(a)
    }
}
