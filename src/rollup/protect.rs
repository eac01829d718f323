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
    how: How,
    threshold: u64,
}

enum How {
    /// The model of every table and its hidden cells.
    Whole {
        model: Box<Model>,
        hidden: Vec<bool>,
    },
    /// Kept marks of every report ([`super::marks`]), which publish the same.
    Marked(super::marks::Marks),
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
    kept: Option<Kept<'_>>,
) -> Result<Protected, String> {
    use super::marks;
    if let Some(k) = &kept
        && !k.whole
        && let Some(m) = k
            .cache
            .get_raw(&k.marks_key)
            .and_then(|raw| marks::decode(&k.marks_key, &raw))
    {
        return Ok(Protected {
            how: How::Marked(m),
            threshold,
        });
    }
    let periods = nested::linked(period);
    let atom_units = atom_services(services);
    let mut rolled: marks::Rolled = Vec::with_capacity(periods.len());
    for p in &periods {
        let atoms = roll(&atom_units, Level::Service, p)?;
        let mut levels = Vec::new();
        for l in Level::ALL {
            levels.push((l, roll(services, l, p)?));
        }
        rolled.push((p.label(), atoms, levels));
    }
    let model = model_of(&rolled);
    let Some(k) = kept else {
        return protect(model, threshold);
    };
    use super::protect_cache::{fingerprint, fits};
    let key = fingerprint(&model, threshold);
    let p = match k.cache.get(&key) {
        Some(hidden) if fits(&hidden, &primary(&model, threshold)) => Protected {
            how: How::Whole {
                model: Box::new(model),
                hidden,
            },
            threshold,
        },
        _ => {
            let p = protect(model, threshold)?;
            if let How::Whole { hidden, .. } = &p.how {
                k.cache.put(&key, hidden);
            }
            p
        }
    };
    if let How::Whole { model, hidden } = &p.how {
        let m = marks::of(&model.reports, hidden);
        k.cache
            .put_raw(&k.marks_key, marks::encode(&k.marks_key, &m));
    }
    Ok(p)
}

/// Where a protection is kept, and the key its marks are kept under.
pub(crate) struct Kept<'a> {
    pub cache: &'a dyn super::protect_cache::ProtectionCache,
    /// [`super::marks::key`] of everything the linked tables are made from.
    pub marks_key: [u8; 32],
    /// The whole model is wanted (an audit), not marks.
    pub whole: bool,
}

/// The model of every table rolled, related across levels and periods.
fn model_of(rolled: &super::marks::Rolled) -> Model {
    let parts = rolled
        .iter()
        .map(|(label, atoms, levels)| Model::new(label, atoms, levels))
        .collect();
    let (mut model, maps) = Model::join(parts);
    nested::relate(&mut model, &maps);
    model.finish();
    model
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
        how: How::Whole {
            model: Box::new(model),
            hidden,
        },
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
    /// The model and its hidden cells, unless the protection was read as marks.
    pub(super) fn whole(&self) -> Option<(&Model, &[bool])> {
        match &self.how {
            How::Whole { model, hidden } => Some((model, hidden)),
            How::Marked(_) => None,
        }
    }

    #[cfg(test)]
    pub(super) fn from_marks(marks: super::marks::Marks, threshold: u64) -> Protected {
        Protected {
            how: How::Marked(marks),
            threshold,
        }
    }

    #[cfg(test)]
    pub(super) fn into_whole(self) -> (Model, Vec<bool>) {
        match self.how {
            How::Whole { model, hidden } => (*model, hidden),
            How::Marked(_) => panic!("a protection read as marks has no model"),
        }
    }

    /// The report as published: its cells hidden as the protection of the whole period
    /// decided. A report from another roll-up than the one protected (which should not
    /// happen) is protected on its own, the old way, rather than shown unprotected; kept
    /// marks that do not fit it, or would show a count the rule hides, hide every cell.
    pub fn publish(&self, r: &UnitReport, open_data: bool) -> SuppressedReport {
        let key = (r.period.label(), r.level, unit_key(&r.unit));
        match &self.how {
            How::Whole { model, hidden } => {
                let Some(ids) = model.reports.get(&key) else {
                    return suppress::suppress(r, self.threshold, open_data);
                };
                if ids.rows.len() != r.rows.len() || ids.measures.len() != r.measures.len() {
                    return suppress::suppress(r, self.threshold, open_data);
                }
                let cell = |c: usize, v: u64| {
                    if hidden.get(c).copied().unwrap_or(true) {
                        Cell::Suppressed
                    } else {
                        Cell::Value(v)
                    }
                };
                self.publish_with(r, ids, &cell, open_data)
            }
            How::Marked(marks) => {
                let Some(flags) = marks.get(&key) else {
                    return suppress::suppress(r, self.threshold, open_data);
                };
                let ids = super::marks::sequential(r);
                let fits = std::cell::Cell::new(super::marks::slots(&ids).len() == flags.len());
                let cell = |c: usize, v: u64| {
                    if flags.get(c).copied().unwrap_or(true) {
                        Cell::Suppressed
                    } else {
                        if suppress::hides(v, self.threshold) {
                            fits.set(false);
                        }
                        Cell::Value(v)
                    }
                };
                let out = self.publish_with(r, &ids, &cell, open_data);
                if fits.get() {
                    out
                } else {
                    self.publish_with(r, &ids, &|_, _| Cell::Suppressed, open_data)
                }
            }
        }
    }

    fn publish_with(
        &self,
        r: &UnitReport,
        ids: &ReportIds,
        cell: &dyn Fn(usize, u64) -> Cell,
        open_data: bool,
    ) -> SuppressedReport {
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
                let met = cell(m, c.met);
                let rated = cell(i.rated, c.rated());
                SuppressedRow {
                    framework: row.framework.clone(),
                    outcome_id: row.outcome_id.clone(),
                    label: row.label.clone(),
                    category: row.category.clone(),
                    national: row.national.clone(),
                    people_planned: cell(i.planned, c.people_planned),
                    reviewed: cell(i.reviewed, c.reviewed),
                    met,
                    partly_met: cell(p, c.partly_met),
                    not_met: cell(n, c.not_met),
                    no_longer_relevant: cell(l, c.no_longer_relevant),
                    met_pct: pct(met, rated, c.met_pct()),
                    barriers: tags(&row.barriers, &i.barriers, cell),
                    contributors: tags(&row.contributors, &i.contributors, cell),
                }
            })
            .collect();
        let measures = r
            .measures
            .iter()
            .zip(&ids.measures)
            .map(|(m, (num, den))| {
                let numerator = cell(*num, m.numerator);
                let denominator = cell(*den, m.denominator);
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
        let plans_due = cell(ids.plans_due, r.plans_due);
        let on_time = cell(ids.on_time, r.plans_reviewed_on_time);
        suppress::finish(SuppressedReport {
            level: r.level,
            unit: r.unit.clone(),
            period: r.period,
            as_of: r.as_of,
            people: cell(ids.people, r.people),
            rows,
            overdue_reviews: cell(ids.overdue, r.overdue_reviews),
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

    /// Cells shown at each level (each distinct cell once per level), with how many are
    /// hidden by the rule and how many besides, then the same over all levels; nothing
    /// for a protection read as marks (it has no model to count cells in).
    pub fn loss(&self) -> Vec<LevelLoss> {
        let Some((model, hidden)) = self.whole() else {
            return Vec::new();
        };
        let bits = [1u8, 2, 4, 8];
        let mut out: Vec<LevelLoss> = Level::ALL
            .iter()
            .map(|l| LevelLoss {
                level: Some(*l),
                ..LevelLoss::default()
            })
            .collect();
        let mut all = LevelLoss::default();
        for (c, d) in model.cells.iter().enumerate() {
            let primary = suppress::hides(d.value, self.threshold);
            let hidden = hidden.get(c).copied().unwrap_or(true);
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
        let Some((model, hidden)) = self.whole() else {
            return Err("this protection was read from kept marks and has no model to audit; run the check again".into());
        };
        let (checked, exact, narrowed) = attack(model, hidden, self.threshold)?;
        a.checked = checked;
        a.exact = exact;
        a.narrowed = narrowed;
        Ok(a)
    }
}

/// Tags as published: shown counts first, most first, then suppressed ones by id, so
/// a suppressed count's place in the list says nothing about its size.
fn tags(
    tags: &[(String, u64)],
    ids: &[usize],
    cell: &dyn Fn(usize, u64) -> Cell,
) -> Vec<(String, Cell)> {
    let all: Vec<(String, Cell)> = tags
        .iter()
        .zip(ids)
        .map(|((t, n), c)| (t.clone(), cell(*c, *n)))
        .collect();
    let (mut shown, mut hidden): (Vec<_>, Vec<_>) =
        all.into_iter().partition(|x| !x.1.is_suppressed());
    shown.sort_by_key(|x| std::cmp::Reverse(x.1.value().unwrap_or(0)));
    hidden.sort_by(|a, b| a.0.cmp(&b.0));
    shown.extend(hidden);
    shown
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
