//! Secondary suppression by protection patterns, one per primary cell.
//!
//! # Method, and why
//! The published tables of a period are one linked set: every cell is a sum of the same
//! base variables ([`super::model`]), across rows, units and levels, with the national
//! view regrouping rows and tags bounded by their row's total. Hierarchical methods
//! (τ-ARGUS's HiTaS, the hypercube) protect each sub-table's own sums one at a time and
//! can leave such cross-links open, so we protect the whole set at once, in the manner
//! of Fischetti and Salazar's model as sdcTable's `protectTable` solves it, one primary
//! cell at a time:
//!
//! For a primary cell `p` with value `v` (1 to N−1) we look for a *pattern*: a change
//! `d` of the base variables such that `x + d` is another table the attacker cannot rule
//! out, in which `p` is at least N. That means
//! * `sum(d over p) >= N − v` (the attacker cannot exclude values of N or more),
//! * `d_x >= −x` (counts stay non-negative) and every public inequality of the model
//!   still holds for `x + d`,
//! * every published cell whose sum `d` changes is suppressed.
//!
//! A linear programme picks `d` minimising `sum(w_c · |sum(d over c)|)` over the cells
//! still shown, `w_c` being the cost of hiding `c`: already hidden cells are free, small
//! counts are cheaper than large ones, lower levels cheaper than totals, and zeros dear
//! (a zero stays shown unless nothing else protects). Every shown cell the optimum
//! moves is then suppressed.
//!
//! Why this is enough. Suppressing more cells only drops constraints from the
//! attacker's problem, so a pattern found early is still a table the attacker cannot
//! rule out at the end. Hence, at the end, every primary cell has a table with its value
//! at N or more (so its range reaches N and it is not exact), and every secondary cell
//! was suppressed because some pattern moved it (so it has two possible values too). A
//! primary that an earlier pattern already lifts by `N − v` needs no programme of its
//! own. The attacker's audit ([`super::audit`]) checks this independently: it does not
//! see the patterns, only the published cells, and it works from the same model, so
//! the relations both use are one set.
//!
//! To keep each programme small, `d` is restricted to the variables near `p` (reached
//! from `p` through shared cells and inequalities, a few steps out) and is zero
//! elsewhere. That does not weaken the argument: every cell or inequality that touches a
//! variable allowed to move is in the programme, and nothing else changes. When the
//! neighbourhood is too small for a pattern, it grows.
//!
//! The optimum of such a programme is normally a whole-number change (the sums form a
//! network-like system), so `x + d` is a table of whole counts; one that is not is
//! solved again with whole-number changes (branch and bound on the same small
//! programme), so the guarantee holds for an attacker who knows counts are whole
//! numbers, not only for the linear relaxation the audit solves.

use super::Level;
use super::model::Model;
use super::suppress;
use super::witness;
use microlp::{ComparisonOp, Error as LpError, OptimizationDirection, Problem, Variable};
use std::collections::{BTreeSet, HashMap};

/// A change below this is no change (the solver's tolerances are around 1e-9).
const EPS: f64 = 1e-6;

/// How many variables a pattern may first move, and how many when the first hides
/// new cells (it grows further only when that is too few).
const FIRST_CAP: usize = 60;
const WIDE_CAP: usize = 300;

/// Patterns between two searches for a table proving many primaries protected at once
/// ([`super::witness`]): each pattern hides cells, which frees room for others.
const PROOF_EVERY: usize = 32;

/// The most unprotected primaries a search for such a table takes on.
const PROOF_MAX_TARGETS: usize = 3000;

/// Bounds of a whole-number change (far beyond any count).
const WHOLE_MAX: f64 = 1.0e9;

/// The cost of hiding a zero, against about 1 to 20 for a count.
const ZERO_COST: f64 = 200.0;

/// What the protection did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Outcome {
    /// Programmes solved (one per primary not already protected by an earlier pattern).
    pub patterns: usize,
    /// Patterns whose change is not whole numbers.
    pub fractional: usize,
    /// Whole-number tables sought to show many primaries protected at once.
    pub proofs: usize,
}

/// The cost of hiding a shown cell.
fn cost(model: &Model, c: usize) -> f64 {
    let Some(d) = model.cells.get(c) else {
        return ZERO_COST;
    };
    if d.value == 0 {
        return ZERO_COST;
    }
    let level = match d.top_level() {
        Some(Level::National) => 8.0,
        Some(Level::Partnership) => 4.0,
        Some(Level::Organisation) => 2.0,
        _ => 1.0,
    };
    (1.0 + (d.value as f64).ln()) * level
}

/// Hides, besides the primary cells already in `hidden`, the cells that protect them.
/// Cells marked in `fixed` keep the visibility they have: a pattern never hides one,
/// and one shown keeps its sum exactly (a hard constraint, not a cost).
pub(super) fn protect(
    model: &Model,
    hidden: &mut [bool],
    fixed: &[bool],
    threshold: u64,
) -> Result<Outcome, String> {
    let mut out = Outcome::default();
    let primaries: Vec<usize> = (0..model.cells.len())
        .filter(|&c| {
            model
                .cells
                .get(c)
                .is_some_and(|d| suppress::hides(d.value, threshold))
        })
        .collect();
    // The largest lift each primary has had in a pattern so far.
    let mut lifted = vec![0.0f64; model.cells.len()];
    // Lower cells first: their patterns move the totals above them, often lifting
    // those (measured: fewer programmes than totals first).
    let mut order = primaries.clone();
    order.sort_by_key(|&c| {
        let d = model.cells.get(c);
        (d.map_or(0, |d| d.terms.len()), d.map_or(0, |d| d.value), c)
    });
    // Patterns since the last proof; the first unprotected primary triggers one.
    let mut since = usize::MAX;
    let mut every = PROOF_EVERY;
    // A small count is protected once something can lift it to the threshold.
    let protected = |lifted: &[f64], c: usize| {
        let v = model.cells.get(c).map_or(0, |d| d.value);
        lifted.get(c).copied().unwrap_or(0.0) >= (threshold - v) as f64 - EPS
    };
    let unlifted = |lifted: &[f64]| -> Vec<usize> {
        primaries
            .iter()
            .copied()
            .filter(|&c| !protected(lifted, c))
            .collect()
    };
    for p in order {
        let Some(def) = model.cells.get(p) else {
            continue;
        };
        let need = (threshold - def.value) as f64;
        if protected(&lifted, p) {
            continue;
        }
        if since >= every {
            since = 0;
            let targets = unlifted(&lifted);
            // On larger stores the groups are large and the search dearer than the
            // patterns it spares (measured on 5,000 people): patterns alone, there.
            if targets.len() > PROOF_MAX_TARGETS {
                every = usize::MAX;
            } else {
                out.proofs += 1;
                let found = witness::lifts(model, hidden, &targets, threshold);
                for (l, f) in lifted.iter_mut().zip(found) {
                    *l = l.max(f);
                }
                // A search costs about as much as a few dozen patterns, so searches
                // grow apart: a few per protection however many patterns it takes.
                every = every.saturating_mul(2);
                if protected(&lifted, p) {
                    continue;
                }
            }
        }
        let d = pattern(model, hidden, fixed, p, need)?;
        out.patterns += 1;
        since = since.saturating_add(1);
        if !whole(&d) {
            out.fractional += 1;
        }
        let mut touched = BTreeSet::new();
        for v in d.keys() {
            touched.extend(model.var_cells.get(*v).into_iter().flatten().copied());
        }
        for c in touched {
            let Some(cd) = model.cells.get(c) else {
                continue;
            };
            let s: f64 = cd.terms.iter().filter_map(|v| d.get(v)).sum();
            if s.abs() > EPS
                && !fixed.get(c).copied().unwrap_or(false)
                && let Some(h) = hidden.get_mut(c)
            {
                *h = true;
            }
            if let Some(l) = lifted.get_mut(c) {
                *l = l.max(s);
            }
        }
    }
    Ok(out)
}

/// Up to about `cap` variables near `p`, nearest first: those of `p`, then those
/// sharing a shown cell with them (through the smallest cells first), and so on. Only
/// shown cells and inequalities constrain a pattern, so only they lead anywhere: a
/// variable reached through a hidden cell alone can move freely without moving `p`'s
/// variables, and adding it would only crowd out the ones a pattern needs (on a small
/// store almost every cell is hidden, and such links filled the neighbourhood). An
/// inequality leads from its smaller side to its larger side (raising a count may need
/// its bound raised; lowering one never does), and with `both` the other way too
/// (lowering a bound may need its counts lowered: a hidden people count that only moves
/// within its hidden siblings, its shown totals kept, must lower a sibling).
fn neighbourhood(model: &Model, hidden: &[bool], p: usize, cap: usize, both: bool) -> Vec<usize> {
    let mut seen: BTreeSet<usize> = model
        .cells
        .get(p)
        .map(|d| d.terms.iter().copied().collect())
        .unwrap_or_default();
    let mut frontier: Vec<usize> = seen.iter().copied().collect();
    while !frontier.is_empty() && seen.len() < cap {
        // The next ring, smallest cells first.
        let mut links: Vec<&[usize]> = Vec::new();
        for &v in &frontier {
            for &c in model.var_cells.get(v).into_iter().flatten() {
                if let Some(d) = model.cells.get(c)
                    && !hidden.get(c).copied().unwrap_or(true)
                {
                    links.push(&d.terms);
                }
            }
            for &q in model.var_ineqs.get(v).into_iter().flatten() {
                if let Some(iq) = model.ineqs.get(q) {
                    if iq.lhs.contains(&v) {
                        links.push(&iq.rhs);
                    } else if both {
                        links.push(&iq.lhs);
                    }
                }
            }
        }
        links.sort_by_key(|l| l.len());
        let mut next = Vec::new();
        for l in links {
            if seen.len() >= cap {
                break;
            }
            for &w in l {
                if seen.insert(w) {
                    next.push(w);
                }
            }
        }
        frontier = next;
    }
    seen.into_iter().collect()
}

fn whole(d: &HashMap<usize, f64>) -> bool {
    d.values().all(|x| (x - x.round()).abs() <= EPS)
}

/// The cheapest pattern lifting `p` by `need` found near `p`, as variable → change
/// (non-zero only). A pattern that hides nothing new is as cheap as any; otherwise a
/// wider neighbourhood is tried too, and the cheaper kept. A pattern that is not whole
/// numbers is solved again with whole-number changes.
fn pattern(
    model: &Model,
    hidden: &[bool],
    fixed: &[bool],
    p: usize,
    need: f64,
) -> Result<HashMap<usize, f64>, String> {
    let all = model.var_value.len();
    let mut best: Option<(Solved, Vec<usize>)> = None;
    let mut cap = FIRST_CAP;
    let mut both = false;
    loop {
        let vars = neighbourhood(model, hidden, p, cap, both);
        let n = vars.len();
        if let Some(s) = solve_pattern(model, hidden, fixed, p, need, &vars, false)?
            && best.as_ref().is_none_or(|b| s.cost < b.0.cost - EPS)
        {
            best = Some((s, vars));
        }
        let done = match &best {
            Some((b, _)) => b.cost <= EPS || cap >= WIDE_CAP,
            None => false,
        };
        if done {
            break;
        }
        // Fewer than asked for: everything `p` leads to is in already. With no pattern
        // found yet, follow inequalities both ways from the same size before giving up.
        if n >= all || n < cap {
            if best.is_none() && !both {
                both = true;
                continue;
            }
            break;
        }
        cap = cap.saturating_mul(5).max(n + 1);
    }
    let Some((mut s, vars)) = best else {
        return Err(
            "disclosure control could not find cells to protect a small count; report the store's seed and size to the maintainers"
                .into(),
        );
    };
    if !whole(&s.change)
        && let Some(w) = solve_pattern(model, hidden, fixed, p, need, &vars, true)?
    {
        s = w;
    }
    Ok(s.change)
}

/// A pattern and what it costs.
struct Solved {
    cost: f64,
    change: HashMap<usize, f64>,
}

/// The pattern programme over the variables `vars` (sorted); `None` when infeasible.
#[allow(clippy::too_many_arguments)]
fn solve_pattern(
    model: &Model,
    hidden: &[bool],
    fixed: &[bool],
    p: usize,
    need: f64,
    vars: &[usize],
    integer: bool,
) -> Result<Option<Solved>, String> {
    let mut lp = Problem::new(OptimizationDirection::Minimize);
    let idx: HashMap<usize, usize> = vars.iter().enumerate().map(|(i, &v)| (v, i)).collect();
    // Bounds from non-negativity and from inequalities with one moving variable.
    let mut lo: Vec<f64> = vars
        .iter()
        .map(|&v| -(model.var_value.get(v).copied().unwrap_or(0) as f64))
        .collect();
    let mut hi: Vec<f64> = vec![f64::INFINITY; vars.len()];
    let mut rows: Vec<(Vec<(usize, f64)>, f64)> = Vec::new();
    let mut ineqs = BTreeSet::new();
    for &v in vars {
        ineqs.extend(model.var_ineqs.get(v).into_iter().flatten().copied());
    }
    for q in ineqs {
        let Some(iq) = model.ineqs.get(q) else {
            continue;
        };
        let slack = model.slack(iq) as f64;
        let mut expr: Vec<(usize, f64)> = Vec::new();
        for v in &iq.lhs {
            if let Some(&i) = idx.get(v) {
                expr.push((i, 1.0));
            }
        }
        for v in &iq.rhs {
            if let Some(&i) = idx.get(v) {
                expr.push((i, -1.0));
            }
        }
        match expr.as_slice() {
            [] => {}
            [(i, k)] if *k > 0.0 => {
                if let Some(h) = hi.get_mut(*i) {
                    *h = h.min(slack);
                }
            }
            [(i, _)] => {
                if let Some(l) = lo.get_mut(*i) {
                    *l = l.max(-slack);
                }
            }
            _ => rows.push((expr, slack)),
        }
    }
    let mut cells = BTreeSet::new();
    for &v in vars {
        cells.extend(model.var_cells.get(v).into_iter().flatten().copied());
    }
    // A shown zero is a sum of counts that can only rise, so `|sum d|` is `sum d`: its
    // cost goes straight onto its variables (and a fixed one keeps them at zero), with
    // no extra variable or row. On a small store most shown cells are zeros, and this
    // keeps the programme a fraction of the size, with the same optimum.
    let mut obj = vec![0.0f64; vars.len()];
    let mut costed = Vec::new();
    for c in cells {
        let Some(cd) = model.cells.get(c) else {
            continue;
        };
        if hidden.get(c).copied().unwrap_or(true) {
            continue;
        }
        if cd.value != 0 {
            costed.push(c);
            continue;
        }
        let fix = fixed.get(c).copied().unwrap_or(false);
        let k = cost(model, c);
        for v in &cd.terms {
            let Some(&i) = idx.get(v) else { continue };
            if fix {
                if let Some(h) = hi.get_mut(i) {
                    *h = h.min(0.0);
                }
            } else if let Some(o) = obj.get_mut(i) {
                *o += k;
            }
        }
    }
    let d: Vec<Variable> = lo
        .iter()
        .zip(&hi)
        .zip(&obj)
        .map(|((&l, &h), &k)| {
            if integer {
                let b = |x: f64| x.clamp(-WHOLE_MAX, WHOLE_MAX) as i32;
                lp.add_integer_var(k, (b(l), b(h)))
            } else {
                lp.add_var(k, (l, h))
            }
        })
        .collect();
    let dv = |i: usize| d.get(i).copied();
    for (expr, slack) in rows {
        let e: Vec<(Variable, f64)> = expr
            .into_iter()
            .filter_map(|(i, k)| Some((dv(i)?, k)))
            .collect();
        lp.add_constraint(e, ComparisonOp::Le, slack);
    }
    for c in costed {
        let Some(cd) = model.cells.get(c) else {
            continue;
        };
        let sum: Vec<(Variable, f64)> = cd
            .terms
            .iter()
            .filter_map(|v| dv(*idx.get(v)?))
            .map(|x| (x, 1.0))
            .collect();
        if fixed.get(c).copied().unwrap_or(false) {
            lp.add_constraint(sum, ComparisonOp::Eq, 0.0);
            continue;
        }
        // |sum d| <= t, t costed.
        let t = lp.add_var(cost(model, c), (0.0, f64::INFINITY));
        let mut up = sum.clone();
        up.push((t, -1.0));
        lp.add_constraint(up, ComparisonOp::Le, 0.0);
        let mut down = sum;
        down.push((t, 1.0));
        lp.add_constraint(down, ComparisonOp::Ge, 0.0);
    }
    let lift: Vec<(Variable, f64)> = model
        .cells
        .get(p)
        .map(|cd| {
            cd.terms
                .iter()
                .filter_map(|v| dv(*idx.get(v)?))
                .map(|x| (x, 1.0))
                .collect()
        })
        .unwrap_or_default();
    lp.add_constraint(lift, ComparisonOp::Ge, need);
    match lp.solve() {
        Ok(outcome) => match outcome.into_solution() {
            Ok(s) => Ok(Some(Solved {
                cost: s.objective(),
                change: vars
                    .iter()
                    .zip(&d)
                    .map(|(&v, &x)| (v, s.var_value(x)))
                    .filter(|(_, x)| x.abs() > EPS)
                    .collect(),
            })),
            Err(_) => Err("disclosure control could not finish its calculation".into()),
        },
        Err(LpError::Infeasible) => Ok(None),
        Err(e) => Err(format!("disclosure control could not be worked out ({e})")),
    }
}
