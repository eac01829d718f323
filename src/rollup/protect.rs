//! Disclosure control over every table of a period at once.
//!
//! # Method, and why
//! Primary suppression is the per-cell rule ([`super::suppress::hides`]): counts from 1
//! to N−1 are hidden, zeros are kept. Secondary suppression ([`super::secondary`])
//! then finds, for each primary cell, a protection pattern over the whole linked set of
//! a period — service, organisation, partnership and national tables, with every
//! relation between them — and hides what the pattern moves; the module says why that
//! method and why it is enough. The attacker's audit ([`super::audit`]) checks the
//! result independently from the same model, so the two use one set of relations.

use super::audit;
use super::model::{Model, ReportIds, atom_services, unit_key};
use super::nested;
use super::secondary;
use super::suppress::{self, Cell, PctCell, SuppressedMeasure, SuppressedReport, SuppressedRow};
use super::{Level, Period, UnitReport, pct_1dp, roll_up};
use crate::domain::{Conversation, Person, Service};
use crate::forms::Forms;
use chrono::NaiveDate;

/// Every table of one period, protected together.
pub struct Protected {
    pub(super) model: Model,
    pub(super) hidden: Vec<bool>,
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

/// Rolls up every level of the period and protects all the tables together, with the
/// periods linked to it ([`super::nested`]): a report publishes its own slice.
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
    protect_linked(services, threshold, period, |units, level, p| {
        roll_up(forms, units, people, conversations, level, None, p, today)
    })
}

/// Protects together the tables `roll` makes of every level (and of each service on its
/// own, the model's atoms) for `period` and the periods linked to it: one path whether
/// the tables come from records or kept totals.
pub(crate) fn protect_linked(
    services: &[Service],
    threshold: u64,
    period: &Period,
    roll: impl Fn(&[Service], Level, &Period) -> Result<Vec<UnitReport>, String>,
) -> Result<Protected, String> {
    protect_linked_kept(services, threshold, period, roll, None)
}

/// [`protect_linked`], reusing a protection kept for exactly these tables (and keeping
/// a new one) when `cache` is given.
pub(crate) fn protect_linked_kept(
    services: &[Service],
    threshold: u64,
    period: &Period,
    roll: impl Fn(&[Service], Level, &Period) -> Result<Vec<UnitReport>, String>,
    cache: Option<&dyn super::protect_cache::ProtectionCache>,
) -> Result<Protected, String> {
    let periods = nested::linked(period);
    let atom_units = atom_services(services);
    let mut parts = Vec::with_capacity(periods.len());
    for p in &periods {
        let atoms = roll(&atom_units, Level::Service, p)?;
        let mut levels = Vec::new();
        for l in Level::ALL {
            levels.push((l, roll(services, l, p)?));
        }
        parts.push(Model::new(&p.label(), &atoms, &levels));
    }
    let (mut model, maps) = Model::join(parts);
    nested::relate(&mut model, &maps);
    model.finish();
    let Some(cache) = cache else {
        return protect(model, threshold);
    };
    use super::protect_cache::{fingerprint, fits};
    let key = fingerprint(&model, threshold);
    if let Some(hidden) = cache.get(&key)
        && fits(&hidden, &primary(&model, threshold))
    {
        return Ok(Protected {
            model,
            hidden,
            threshold,
        });
    }
    let p = protect(model, threshold)?;
    cache.put(&key, &p.hidden);
    Ok(p)
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
        let fixed = protect_people(&model, &mut hidden, threshold)?;
        secondary::protect(&model, &mut hidden, &fixed, threshold)?;
    }
    Ok(Protected {
        model,
        hidden,
        threshold,
    })
}

/// Decides which `people` cells are shown, before and apart from the period's own
/// protection, and returns the cells so decided.
///
/// A unit's people counts everyone on its records, so it is one number in every
/// period's tables. Were it protected with each period's other cells, a pattern of one
/// period could hide a people count that another period shows, and the reports of the
/// two periods together would give it away. So the people cells of every level are
/// protected first as a table of their own (sums of the atoms' people, no other
/// relation: nothing in it depends on the period, so every period gets the same
/// answer), and the period's protection then starts from that answer with those cells
/// fixed: it never hides a people cell, keeps a shown one exactly, and may move hidden
/// ones as the people table's own patterns do. Any protection the people cells further
/// need against the period's relations (a count is at most the people) is found by
/// hiding the period's cells, never people cells.
fn protect_people(model: &Model, hidden: &mut [bool], threshold: u64) -> Result<Vec<bool>, String> {
    let cells = model.people_cells();
    let table = model.sub_table(&cells);
    let mut sub: Vec<bool> = primary(&table, threshold);
    let none = vec![false; sub.len()];
    secondary::protect(&table, &mut sub, &none, threshold)?;
    let mut fixed = vec![false; model.cells.len()];
    for (&c, h) in cells.iter().zip(sub) {
        if let Some(x) = hidden.get_mut(c) {
            *x = h;
        }
        if let Some(f) = fixed.get_mut(c) {
            *f = true;
        }
    }
    Ok(fixed)
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
        let key = (r.period.label(), r.level, unit_key(&r.unit));
        let Some(ids) = self.model.reports.get(&key) else {
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
        let (checked, exact, narrowed) = attack(&self.model, &self.hidden, self.threshold)?;
        a.checked = checked;
        a.exact = exact;
        a.narrowed = narrowed;
        Ok(a)
    }
}

/// The attacker's audit of `model` published with `hidden`: suppressed cells checked,
/// worked out exactly, and primary cells narrowed below `threshold`.
pub(super) fn attack(
    model: &Model,
    hidden: &[bool],
    threshold: u64,
) -> Result<(usize, usize, usize), String> {
    let ranges = audit::ranges(model, hidden, threshold)?;
    let (mut checked, mut exact, mut narrowed) = (0, 0, 0);
    for (c, r) in &ranges {
        checked += 1;
        if r.exact() {
            exact += 1;
        }
        let value = model.cells.get(*c).map_or(0, |d| d.value);
        if suppress::hides(value, threshold) && !r.reaches(threshold) {
            narrowed += 1;
        }
    }
    Ok((checked, exact, narrowed))
}
