//! A proof that small counts are already protected, many at once.
//!
//! # Why
//! Secondary suppression ([`super::secondary`]) looks for a protection pattern for each
//! small count in turn. On a small store almost every count is small, so there are
//! hundreds of them, and most need no new hiding at all: the counts already hidden
//! leave room to move. A pattern programme per count found that room slowly (each
//! one grows its neighbourhood until the room is in it).
//!
//! # How
//! One linear programme per independent group of unknowns, over exactly the
//! constraints the attacker has ([`super::audit::published`]: every count still shown,
//! every relation, whole counts never negative), finds a single table consistent with
//! everything published that lifts as many of the given small counts as it can to N:
//! it maximises the sum over them of `min(count, N)`. When that table is whole numbers,
//! it is a table the attacker cannot rule out, now and after any further hiding (hiding
//! only drops constraints), so each small count it lifts to N has a table with its
//! value N or more, and it hides nothing new. A table that is not whole numbers proves
//! nothing and is not used; those counts get patterns of their own as before.

use super::audit::{self, Row};
use super::model::Model;
use microlp::{ComparisonOp, OptimizationDirection, Problem};
use std::collections::HashMap;

/// A change below this is no change (the solver's tolerances are around 1e-9).
const EPS: f64 = 1e-6;

/// For every cell, how much higher it is in a whole-number table consistent with
/// everything published under `hidden` (zero where no such table was found), the table
/// lifting the `targets` (hidden cells) towards `threshold`.
pub(super) fn lifts(model: &Model, hidden: &[bool], targets: &[usize], threshold: u64) -> Vec<f64> {
    let audit::Published {
        known,
        rows,
        mut parent,
    } = audit::published(model, hidden);
    let is_known = |v: usize| known.get(v).copied().flatten();
    let mut group_rows: HashMap<usize, Vec<&Row>> = HashMap::new();
    for r in &rows {
        if let Some(&(v, _)) = r.vars.first() {
            group_rows
                .entry(audit::find(&mut parent, v))
                .or_default()
                .push(r);
        }
    }
    // Each target's unknown pieces and how far it may usefully rise, by group.
    let mut group_targets: HashMap<usize, Vec<(Vec<usize>, f64)>> = HashMap::new();
    for &c in targets {
        let Some(d) = model.cells.get(c) else {
            continue;
        };
        if !hidden.get(c).copied().unwrap_or(false) {
            continue;
        }
        let offset: u64 = d.terms.iter().filter_map(|&v| is_known(v)).sum();
        let vars: Vec<usize> = d
            .terms
            .iter()
            .copied()
            .filter(|&v| is_known(v).is_none())
            .collect();
        let Some(&first) = vars.first() else {
            continue;
        };
        if offset >= threshold {
            continue;
        }
        let cap = (threshold - offset) as f64;
        group_targets
            .entry(audit::find(&mut parent, first))
            .or_default()
            .push((vars, cap));
    }
    let mut value: Vec<f64> = model.var_value.iter().map(|&x| x as f64).collect();
    for (g, ts) in group_targets {
        let group = group_rows.remove(&g).unwrap_or_default();
        if let Some(sol) = solve(model, &group, &ts) {
            for (v, x) in sol {
                if let Some(slot) = value.get_mut(v) {
                    *slot = x;
                }
            }
        }
    }
    model
        .cells
        .iter()
        .map(|d| {
            d.terms
                .iter()
                .map(|&v| {
                    value.get(v).copied().unwrap_or(0.0)
                        - model.var_value.get(v).copied().unwrap_or(0) as f64
                })
                .sum()
        })
        .collect()
}

/// The group's table lifting its targets, when the programme solves to whole numbers.
fn solve(
    model: &Model,
    group: &[&Row],
    targets: &[(Vec<usize>, f64)],
) -> Option<Vec<(usize, f64)>> {
    let mut p = Problem::new(OptimizationDirection::Maximize);
    let mut var = HashMap::new();
    let mut add = |p: &mut Problem, v: usize| {
        *var.entry(v).or_insert_with(|| {
            let min = model.var_min.get(v).copied().unwrap_or(0) as f64;
            p.add_var(0.0, (min, f64::INFINITY))
        })
    };
    for r in group {
        let expr: Vec<_> = r.vars.iter().map(|&(v, k)| (add(&mut p, v), k)).collect();
        p.add_constraint(expr, r.op, r.rhs);
    }
    for (vars, cap) in targets {
        // y <= sum(vars), y <= cap: y is min(count, N) less the known part.
        let y = p.add_var(1.0, (0.0, *cap));
        let mut expr: Vec<_> = vars.iter().map(|&v| (add(&mut p, v), -1.0)).collect();
        expr.push((y, 1.0));
        p.add_constraint(expr, ComparisonOp::Le, 0.0);
    }
    let s = p.solve().ok()?.into_solution().ok()?;
    let mut table: HashMap<usize, f64> = HashMap::with_capacity(var.len());
    for (&v, &x) in &var {
        let x = s.var_value(x);
        if (x - x.round()).abs() > EPS {
            return None;
        }
        table.insert(v, x.round());
    }
    // The rounded table is checked against every constraint exactly (whole numbers),
    // so the solver's tolerances cannot let a table the attacker could rule out through.
    let holds = group.iter().all(|r| {
        let lhs: f64 = r
            .vars
            .iter()
            .map(|(v, k)| k * table.get(v).copied().unwrap_or(0.0))
            .sum();
        match r.op {
            ComparisonOp::Eq => (lhs - r.rhs).abs() < 0.5,
            ComparisonOp::Le => lhs <= r.rhs + 0.5,
            ComparisonOp::Ge => lhs >= r.rhs - 0.5,
        }
    });
    let min_ok = table
        .iter()
        .all(|(&v, &x)| x >= model.var_min.get(v).copied().unwrap_or(0) as f64);
    (holds && min_ok).then(|| table.into_iter().collect())
}
