//! Disclosure control on small hand-made tables: each differencing attack works on
//! primary suppression alone (so the audit sees it), and fails after protection.

use super::audit::{self, Range};
use super::model::{Ineq, Model};
use super::protect::protect;
use super::suppress::hides;
use proptest::prelude::*;
use std::collections::HashMap;

/// The audit's ranges when only the primary cells are hidden.
fn primary_only(model: &Model, n: u64) -> HashMap<usize, Range> {
    let hidden: Vec<bool> = model.cells.iter().map(|c| hides(c.value, n)).collect();
    audit::ranges(model, &hidden, n).expect("audit")
}

/// Whether some hidden cell is pinned, or some primary cell narrowed below `n`.
fn disclosed(model: &Model, ranges: &HashMap<usize, Range>, n: u64) -> bool {
    ranges
        .iter()
        .any(|(c, r)| r.exact() || (hides(model.cells[*c].value, n) && !r.reaches(n)))
}

/// Protects and audits: every primary is hidden and the audit passes.
fn assert_protected(model: Model, n: u64) {
    let primaries: Vec<usize> = (0..model.cells.len())
        .filter(|&c| hides(model.cells[c].value, n))
        .collect();
    let p = protect(model, n).expect("protect");
    let a = p.audit().expect("audit");
    assert!(a.passed(), "{:?}", a.lines());
    assert!(a.checked >= primaries.len(), "{:?}", a.lines());
}

const N: u64 = 5;

#[test]
fn within_a_row_reviewed_minus_shown_statuses() {
    // met, partly, not met, no longer relevant; reviewed = the four.
    let values = vec![12, 3, 9, 7];
    let cells = vec![vec![0], vec![1], vec![2], vec![3], vec![0, 1, 2, 3]];
    let m = Model::from_parts(values.clone(), cells.clone(), vec![]);
    let r = primary_only(&m, N);
    // Reviewed 31 minus the three shown statuses gives partly met = 3.
    assert_eq!(r.get(&1), Some(&Range { lo: 3, hi: Some(3) }));
    assert!(disclosed(&m, &r, N));
    assert_protected(Model::from_parts(values, cells, vec![]), N);
}

#[test]
fn across_levels_parent_minus_published_children() {
    // Two services of one organisation, two statuses each, and the organisation's
    // totals: the organisation's count minus the other service gives the hidden one.
    // vars: A.met, A.not, B.met, B.not
    let values = vec![2, 10, 20, 15];
    let cells = vec![
        vec![0],
        vec![1],
        vec![0, 1],
        vec![2],
        vec![3],
        vec![2, 3],
        vec![0, 2],
        vec![1, 3],
        vec![0, 1, 2, 3],
    ];
    let m = Model::from_parts(values.clone(), cells.clone(), vec![]);
    assert!(disclosed(&m, &primary_only(&m, N), N));
    assert_protected(Model::from_parts(values, cells, vec![]), N);
}

#[test]
fn the_national_regrouping() {
    // Framework rows r1, r2, r3 of two atoms; national outcome n1 = r1 + r2 and
    // n2 = r2 + r3 (r2 maps to both). vars: a.r1, a.r2, a.r3, b.r1, b.r2, b.r3.
    let values = vec![8, 1, 9, 6, 7, 11];
    let mut cells: Vec<Vec<usize>> = (0..6).map(|v| vec![v]).collect();
    cells.extend([
        vec![0, 3],       // partnership r1
        vec![1, 4],       // partnership r2
        vec![2, 5],       // partnership r3
        vec![0, 1, 3, 4], // national n1
        vec![1, 2, 4, 5], // national n2
    ]);
    let m = Model::from_parts(values.clone(), cells.clone(), vec![]);
    assert!(disclosed(&m, &primary_only(&m, N), N));
    assert_protected(Model::from_parts(values, cells, vec![]), N);
}

#[test]
fn a_zero_pins_a_sum() {
    // a = 0 is shown; a + b is hidden with b, so a + b minus the shown zero is b.
    // vars: a, b, c
    let values = vec![0, 3, 10];
    let cells = vec![vec![0], vec![1], vec![2], vec![0, 1], vec![0, 1, 2]];
    let m = Model::from_parts(values.clone(), cells.clone(), vec![]);
    // Without the zero, the total 13 minus c = 10 gives a + b = 3 and, with a = 0, b.
    let r = primary_only(&m, N);
    assert_eq!(r.get(&1), Some(&Range { lo: 3, hi: Some(3) }));
    assert_protected(Model::from_parts(values, cells, vec![]), N);
}

#[test]
fn a_tag_bounded_by_its_row() {
    // A barrier named in 4 of 5 reviews: tag ≤ reviewed. vars: met, not met, tag.
    let values = vec![2, 3, 4];
    let cells = vec![vec![0], vec![1], vec![0, 1], vec![2]];
    let ineqs = || vec![Ineq::new(vec![2], vec![0, 1])];
    let m = Model::from_parts(values.clone(), cells.clone(), ineqs());
    let hidden: Vec<bool> = m.cells.iter().map(|c| hides(c.value, N)).collect();
    // The attacker uses the bound: the tag is at most the shown reviewed count.
    let r = audit::ranges(&m, &hidden, 0).expect("audit");
    assert_eq!(r.get(&3), Some(&Range { lo: 0, hi: Some(5) }));
    // Protection lifts the tag within its bound (N = 5), or with its row (N = 6, when
    // reviewed is hidden too).
    assert_protected(Model::from_parts(values.clone(), cells.clone(), ineqs()), 5);
    assert_protected(Model::from_parts(values, cells, ineqs()), 6);
}

#[test]
fn the_audit_gives_the_true_range_of_a_safe_cell() {
    // A 2×2 table with all four inner cells hidden and margins shown: each inner cell
    // ranges over [max(0, row + col − total), min(row, col)].
    let values = vec![3, 7, 6, 4];
    let cells = vec![
        vec![0],
        vec![1],
        vec![2],
        vec![3],
        vec![0, 1],
        vec![2, 3],
        vec![0, 2],
        vec![1, 3],
    ];
    let m = Model::from_parts(values, cells, vec![]);
    let hidden = [true, true, true, true, false, false, false, false];
    let r = audit::ranges(&m, &hidden, 0).expect("audit");
    // x0: row 10, col 9, total 20 → [0, 9].
    assert_eq!(r.get(&0), Some(&Range { lo: 0, hi: Some(9) }));
    assert_eq!(
        r.get(&3),
        Some(&Range {
            lo: 1,
            hi: Some(10)
        })
    );
}

/// A random small hierarchy: atoms in organisations in one partnership, a few rows of
/// four statuses each, reviewed per row, national outcomes regrouping rows, and a
/// tag per row bounded by its row's reviewed count.
/// Variable values, cells as lists of variables, and (tag, its row's statuses).
type Table = (Vec<u64>, Vec<Vec<usize>>, Vec<(usize, Vec<usize>)>);

fn hierarchy() -> impl Strategy<Value = Table> {
    (2usize..5, 1usize..4, 1usize..3).prop_flat_map(|(atoms, rows, orgs)| {
        let n = atoms * rows * 5;
        (
            Just((atoms, rows, orgs)),
            proptest::collection::vec(prop_oneof![0u64..1, 1u64..6, 5u64..30], n),
        )
            .prop_map(|((atoms, rows, orgs), mut values)| {
                let var = |a: usize, r: usize, k: usize| (a * rows + r) * 5 + k;
                // A tag is at most its row's reviewed count.
                for a in 0..atoms {
                    for r in 0..rows {
                        let rev: u64 = (0..4).map(|k| values[var(a, r, k)]).sum();
                        let t = &mut values[var(a, r, 4)];
                        *t = (*t).min(rev);
                    }
                }
                let mut cells = Vec::new();
                let groups: Vec<Vec<usize>> = {
                    let mut g: Vec<Vec<usize>> = (0..atoms).map(|a| vec![a]).collect();
                    g.extend((0..orgs).map(|o| (0..atoms).filter(|a| a % orgs == o).collect()));
                    g.push((0..atoms).collect());
                    g
                };
                let row_sets: Vec<Vec<usize>> = {
                    let mut s: Vec<Vec<usize>> = (0..rows).map(|r| vec![r]).collect();
                    if rows > 1 {
                        s.push(vec![0, 1]);
                    }
                    s
                };
                for g in &groups {
                    for rs in &row_sets {
                        for k in 0..5 {
                            cells.push(
                                g.iter()
                                    .flat_map(|&a| rs.iter().map(move |&r| var(a, r, k)))
                                    .collect(),
                            );
                        }
                        cells.push(
                            g.iter()
                                .flat_map(|&a| {
                                    rs.iter()
                                        .flat_map(move |&r| (0..4).map(move |k| var(a, r, k)))
                                })
                                .collect(),
                        );
                    }
                }
                let ineqs = (0..atoms)
                    .flat_map(|a| {
                        (0..rows)
                            .map(move |r| (var(a, r, 4), (0..4).map(|k| var(a, r, k)).collect()))
                    })
                    .collect();
                (values, cells, ineqs)
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn protection_always_passes_the_audit((values, cells, ineqs) in hierarchy(), n in 3u64..8) {
        let ineqs = ineqs.into_iter().map(|(t, row)| Ineq::new(vec![t], row)).collect();
        assert_protected(Model::from_parts(values, cells, ineqs), n);
    }
}
