//! The attacker's audit: for every suppressed cell, the smallest and largest value
//! consistent with everything published for the period, at every level.
//!
//! # Method
//! The attacker knows every published cell of every level, that each is a sum of the
//! same base variables ([`super::model`]), that every variable is a non-negative
//! integer, and the public inequalities listed there. Two steps:
//! 1. **Exact propagation**: a published sum with a single unknown variable pins it;
//!    repeated until nothing changes. This is exact (each step is implied by the
//!    equalities) and cheap, and it finds most of what differencing finds.
//! 2. **Linear programming** with `microlp` (pure Rust, maintained fork of `minilp`):
//!    the unknown variables are split into independent groups (those linked by a
//!    published sum, an inequality or a suppressed cell); for each suppressed cell two
//!    LPs over its group give the least and greatest value of the cell.
//!
//! Every inequality of the model is used, always (a tag is at most its row's reviewed
//! count whether or not that is shown). Each LP solution is a table the attacker cannot
//! rule out, so it widens the range seen for *every* suppressed cell of its group: LPs
//! pushing all cells down and up together, then all cells not yet shown safe up
//! together, show most cells safe, and a cell gets LPs of its own only if still open.
//! The audit does not see how the protection chose its cells.
//!
//! What it could miss: the LP relaxes integrality. Its bounds are rounded inwards
//! (`ceil` of the minimum, `floor` of the maximum), which is exact when the relaxation
//! has integral optima at these bounds, as it does for purely hierarchical sums (their
//! constraint matrices are totally unimodular); the national regrouping and the tag
//! inequalities break that structure, so in principle the integer range could be
//! narrower than the one reported (the protection guards against this on its side: its
//! witness tables are whole numbers). The percentages' one-decimal values are treated as
//! if their numerator and denominator were published (a percentage is shown only when
//! both are), which is stronger than a real attacker, not weaker. Knowledge from outside
//! the tables, and differences between periods, are out of its scope.

use super::model::Model;
use microlp::{ComparisonOp, Error as LpError, OptimizationDirection, Problem};
use std::collections::HashMap;

/// The attacker's bounds on one suppressed cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Range {
    pub lo: u64,
    /// `None`: no upper bound.
    pub hi: Option<u64>,
}

impl Range {
    pub fn exact(&self) -> bool {
        self.hi.is_some_and(|h| h <= self.lo)
    }

    /// Whether values of `n` or more are still possible.
    pub fn reaches(&self, n: u64) -> bool {
        self.hi.is_none_or(|h| h >= n)
    }
}

/// What the attacker knows for sure: variables pinned by a published sum whose other
/// variables are known, repeated until nothing changes (a worklist, so linear in the
/// size of the sums).
pub(super) struct Known {
    pub value: Vec<Option<u64>>,
}

pub(super) fn propagate(model: &Model, hidden: &[bool]) -> Known {
    let n = model.var_value.len();
    let mut k = Known {
        value: vec![None; n],
    };
    let shown = |c: usize| !hidden.get(c).copied().unwrap_or(true);
    let mut unknown: Vec<usize> = model.cells.iter().map(|d| d.terms.len()).collect();
    let mut sum = vec![0u64; model.cells.len()];
    let mut queue: Vec<usize> = (0..model.cells.len())
        .filter(|&c| shown(c) && unknown.get(c) == Some(&1))
        .collect();
    // Pins `v` to `x`, and queues the shown sums left with one unknown.
    let mut pin = |k: &mut Known, queue: &mut Vec<usize>, sum: &mut [u64], v: usize, x: u64| {
        if let Some(slot) = k.value.get_mut(v) {
            *slot = Some(x);
        }
        for &c2 in model.var_cells.get(v).map_or(&[][..], |x| &x[..]) {
            if let (Some(u), Some(s2)) = (unknown.get_mut(c2), sum.get_mut(c2)) {
                *u = u.saturating_sub(1);
                *s2 += x;
                if *u == 1 && shown(c2) {
                    queue.push(c2);
                }
            }
        }
    };
    // A shown zero is a sum of counts that are never negative, so each of them is zero.
    for (c, d) in model.cells.iter().enumerate() {
        if d.value != 0 || !shown(c) {
            continue;
        }
        for &v in &d.terms {
            if k.value.get(v).copied().flatten().is_none()
                && model.var_min.get(v).copied().unwrap_or(0) == 0
            {
                pin(&mut k, &mut queue, &mut sum, v, 0);
            }
        }
    }
    while let Some(c) = queue.pop() {
        // The one unknown left in a shown sum is what the sum lacks.
        let (Some(d), Some(&left)) = (model.cells.get(c), sum.get(c)) else {
            continue;
        };
        let mut open = d
            .terms
            .iter()
            .copied()
            .filter(|&v| k.value.get(v).copied().flatten().is_none());
        let (Some(v), None) = (open.next(), open.next()) else {
            continue;
        };
        pin(
            &mut k,
            &mut queue,
            &mut sum,
            v,
            d.value.saturating_sub(left),
        );
    }
    k
}

pub(super) fn find(parent: &mut [usize], mut x: usize) -> usize {
    while let Some(&p) = parent.get(x) {
        if p == x {
            break;
        }
        let gp = parent.get(p).copied().unwrap_or(p);
        if let Some(s) = parent.get_mut(x) {
            *s = gp;
        }
        x = gp;
    }
    x
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb
        && let Some(s) = parent.get_mut(ra)
    {
        *s = rb;
    }
}

/// A linear constraint over unknown variables: `sum(vars) op rhs`.
pub(super) struct Row {
    pub vars: Vec<(usize, f64)>,
    pub op: ComparisonOp,
    pub rhs: f64,
}

/// What a reader has: the variables pinned by published sums, every published sum and
/// inequality as a constraint over the unknown ones, and the unknowns linked into
/// independent groups (union-find `parent`).
pub(super) struct Published {
    pub known: Vec<Option<u64>>,
    pub rows: Vec<Row>,
    pub parent: Vec<usize>,
}

/// The attacker's constraints for `model` published with `hidden`: one source for the
/// audit and for the protection's proof that a cell is already protected.
pub(super) fn published(model: &Model, hidden: &[bool]) -> Published {
    let known = propagate(model, hidden).value;
    let n = model.var_value.len();
    let is_known = |v: usize| known.get(v).copied().flatten();
    let mut parent: Vec<usize> = (0..n).collect();
    let mut rows: Vec<Row> = Vec::new();
    let link = |parent: &mut Vec<usize>, vars: &[usize]| {
        let mut first = None;
        for &v in vars {
            if is_known(v).is_none() {
                match first {
                    None => first = Some(v),
                    Some(f) => union(parent, f, v),
                }
            }
        }
    };
    for (c, d) in model.cells.iter().enumerate() {
        let hid = hidden.get(c).copied().unwrap_or(true);
        link(&mut parent, &d.terms);
        if hid {
            continue;
        }
        let mut vars = Vec::new();
        let mut rhs = d.value as f64;
        for &v in &d.terms {
            match is_known(v) {
                Some(x) => rhs -= x as f64,
                None => vars.push((v, 1.0)),
            }
        }
        if !vars.is_empty() {
            rows.push(Row {
                vars,
                op: ComparisonOp::Eq,
                rhs,
            });
        }
    }
    for q in &model.ineqs {
        let mut vars = Vec::new();
        let mut rhs = 0.0;
        for &v in &q.lhs {
            match is_known(v) {
                Some(x) => rhs -= x as f64,
                None => vars.push((v, 1.0)),
            }
        }
        match q
            .rhs_cell
            .filter(|&c| !hidden.get(c).copied().unwrap_or(true))
        {
            Some(c) => rhs += model.cells.get(c).map_or(0, |d| d.value) as f64,
            None => {
                for &v in &q.rhs {
                    match is_known(v) {
                        Some(x) => rhs += x as f64,
                        None => vars.push((v, -1.0)),
                    }
                }
            }
        }
        if vars.is_empty() {
            continue;
        }
        let all: Vec<usize> = vars.iter().map(|x| x.0).collect();
        link(&mut parent, &all);
        rows.push(Row {
            vars,
            op: ComparisonOp::Le,
            rhs,
        });
    }
    Published {
        known,
        rows,
        parent,
    }
}

/// The attacker's range for every suppressed cell (cell id → range), or the sentence
/// saying why it could not be worked out. With a `threshold` above 1 a range is only
/// worked out as far as needed to show the cell is safe (see [`group_ranges`]); with 0
/// it is each cell's true least and greatest value.
pub(super) fn ranges(
    model: &Model,
    hidden: &[bool],
    threshold: u64,
) -> Result<HashMap<usize, Range>, String> {
    let Published {
        known,
        rows,
        mut parent,
    } = published(model, hidden);
    let is_known = |v: usize| known.get(v).copied().flatten();
    // Group the constraints and the suppressed cells by their group of unknowns.
    let mut group_rows: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        if let Some(&(v, _)) = r.vars.first() {
            group_rows.entry(find(&mut parent, v)).or_default().push(i);
        }
    }
    let mut out = HashMap::new();
    let mut group_cells: HashMap<usize, Vec<usize>> = HashMap::new();
    for (c, d) in model.cells.iter().enumerate() {
        if !hidden.get(c).copied().unwrap_or(false) {
            continue;
        }
        let offset: u64 = d.terms.iter().filter_map(|&v| is_known(v)).sum();
        match d.terms.iter().find(|&&v| is_known(v).is_none()) {
            None => {
                out.insert(
                    c,
                    Range {
                        lo: offset,
                        hi: Some(offset),
                    },
                );
            }
            Some(&v) => group_cells.entry(find(&mut parent, v)).or_default().push(c),
        }
    }
    for (g, cells) in group_cells {
        let idx = group_rows.remove(&g).unwrap_or_default();
        let group: Vec<&Row> = idx.iter().filter_map(|&i| rows.get(i)).collect();
        let targets: Vec<Target> = cells
            .iter()
            .filter_map(|&c| {
                let d = model.cells.get(c)?;
                Some(Target {
                    cell: c,
                    value: d.value,
                    offset: d.terms.iter().filter_map(|&v| is_known(v)).sum(),
                    vars: d
                        .terms
                        .iter()
                        .copied()
                        .filter(|&v| is_known(v).is_none())
                        .collect(),
                })
            })
            .collect();
        let found = group_ranges(model, &group, &targets, threshold)?;
        out.extend(found);
    }
    Ok(out)
}

/// A suppressed cell to bound: its true value, its known part and its unknown pieces.
struct Target {
    cell: usize,
    value: u64,
    offset: u64,
    vars: Vec<usize>,
}

/// What the solutions seen so far prove about one target.
#[derive(Clone, Copy)]
struct Seen {
    lo: f64,
    hi: f64,
}

/// The ranges of a group's targets. Each LP solution is a point the attacker cannot rule
/// out, so every solution widens the range seen for *every* target in the group; an LP
/// is solved for a target only while what has been seen does not yet show it is safe
/// (another whole value possible, and N or more for a primary cell). With `threshold`
/// 0 every target's true minimum and maximum is computed.
fn group_ranges(
    model: &Model,
    group: &[&Row],
    targets: &[Target],
    threshold: u64,
) -> Result<Vec<(usize, Range)>, String> {
    let full = threshold == 0;
    let mut seen: Vec<Seen> = targets
        .iter()
        .map(|t| Seen {
            lo: t.value as f64,
            hi: t.value as f64,
        })
        .collect();
    let mut unbounded = vec![false; targets.len()];
    // `seen` is in whole-cell units (the known part included).
    let safe = |t: &Target, s: &Seen, unb: bool| {
        let v = t.value as f64;
        let other = unb || s.hi >= v + 1.0 - 1e-6 || s.lo <= v - 1.0 + 1e-6;
        let reach =
            unb || !super::suppress::hides(t.value, threshold) || s.hi >= threshold as f64 - 1e-6;
        other && reach
    };
    let record = |sol: &HashMap<usize, f64>, seen: &mut Vec<Seen>| {
        for (t, s) in targets.iter().zip(seen.iter_mut()) {
            let x: f64 = t.offset as f64 + t.vars.iter().filter_map(|v| sol.get(v)).sum::<f64>();
            s.lo = s.lo.min(x);
            s.hi = s.hi.max(x);
        }
    };
    // First push everything down together, then up; then, while it helps, push up
    // together the targets not yet shown safe; then each target on its own. Every
    // solution is a table the attacker cannot rule out, so it widens every target's
    // range, and most targets are shown safe without a programme of their own.
    let all: Vec<usize> = targets
        .iter()
        .flat_map(|t| t.vars.iter().copied())
        .collect();
    if !full {
        for dir in [
            OptimizationDirection::Minimize,
            OptimizationDirection::Maximize,
        ] {
            if let Some((_, sol)) = solve(model, group, &all, dir)? {
                record(&sol, &mut seen);
            }
        }
        let mut open = usize::MAX;
        loop {
            let left: Vec<usize> = targets
                .iter()
                .zip(&seen)
                .filter(|(t, s)| !safe(t, s, false))
                .flat_map(|(t, _)| t.vars.iter().copied())
                .collect();
            let n = targets
                .iter()
                .zip(&seen)
                .filter(|(t, s)| !safe(t, s, false))
                .count();
            if n == 0 || n >= open {
                break;
            }
            open = n;
            match solve(model, group, &left, OptimizationDirection::Maximize)? {
                Some((_, sol)) => record(&sol, &mut seen),
                None => break,
            }
        }
    }
    for i in 0..targets.len() {
        let Some(t) = targets.get(i) else { continue };
        let done = |seen: &Vec<Seen>, unb: &Vec<bool>| {
            !full
                && seen
                    .get(i)
                    .is_some_and(|s| safe(t, s, unb.get(i).copied().unwrap_or(false)))
        };
        if done(&seen, &unbounded) {
            continue;
        }
        match solve(model, group, &t.vars, OptimizationDirection::Maximize)? {
            None => {
                if let Some(u) = unbounded.get_mut(i) {
                    *u = true;
                }
            }
            Some((obj, sol)) => {
                record(&sol, &mut seen);
                if let Some(s) = seen.get_mut(i) {
                    s.hi = obj + t.offset as f64;
                }
            }
        }
        if done(&seen, &unbounded) {
            continue;
        }
        if let Some((obj, sol)) = solve(model, group, &t.vars, OptimizationDirection::Minimize)? {
            record(&sol, &mut seen);
            if let Some(s) = seen.get_mut(i) {
                s.lo = obj + t.offset as f64;
            }
        }
    }
    Ok(targets
        .iter()
        .zip(&seen)
        .zip(&unbounded)
        .map(|((t, s), unb)| {
            let lo = (s.lo - 1e-6).ceil().max(0.0) as u64;
            let hi = (s.hi + 1e-6).floor().max(0.0) as u64;
            (
                t.cell,
                Range {
                    lo,
                    hi: if *unb { None } else { Some(hi) },
                },
            )
        })
        .collect())
}

/// An optimum's objective and the values of the variables.
type Optimum = (f64, HashMap<usize, f64>);

/// The optimum of `sum(target)` over the group's constraints and the solution's values;
/// `None` when unbounded.
fn solve(
    model: &Model,
    group: &[&Row],
    target: &[usize],
    dir: OptimizationDirection,
) -> Result<Option<Optimum>, String> {
    let mut p = Problem::new(dir);
    let mut var = HashMap::new();
    let mut obj: HashMap<usize, f64> = HashMap::new();
    for &v in target {
        *obj.entry(v).or_insert(0.0) += 1.0;
    }
    let mut add = |p: &mut Problem, v: usize| {
        *var.entry(v).or_insert_with(|| {
            let min = model.var_min.get(v).copied().unwrap_or(0) as f64;
            p.add_var(obj.get(&v).copied().unwrap_or(0.0), (min, f64::INFINITY))
        })
    };
    for &v in target {
        add(&mut p, v);
    }
    for r in group {
        let expr: Vec<_> = r.vars.iter().map(|&(v, k)| (add(&mut p, v), k)).collect();
        p.add_constraint(expr, r.op, r.rhs);
    }
    match p.solve() {
        Ok(outcome) => match outcome.into_solution() {
            Ok(s) => {
                let values = var.iter().map(|(&v, &x)| (v, s.var_value(x))).collect();
                Ok(Some((s.objective(), values)))
            }
            Err(_) => Err("the disclosure check could not finish its calculation".into()),
        },
        Err(LpError::Unbounded) => Ok(None),
        Err(e) => Err(format!("the disclosure check could not be solved ({e})")),
    }
}
