//! A financial year and its four quarters, protected as one linked set.
//!
//! # Why, and how
//! A year's report and its quarters' reports are published separately, yet a reader who
//! has both can relate them: a person-outcome counts in a period with the status of its
//! latest review there, so each status (and each barrier or contributor, and carers
//! rated or with every outcome met) counted in the year is counted in one of the
//! quarters (year ≤ sum of the quarters), and everyone reviewed in the last quarter has
//! their latest review of the year there (last quarter ≤ year); whoever is reviewed in a
//! quarter is reviewed in the year (a quarter's reviewed ≤ the year's); a quarter's
//! planned is at most the year's (planned by the quarter's end and not closed before
//! its start); overdue reviews are judged at the period's end, the same day for the year
//! and its last quarter (equal); plans due and reviewed on time are counted by the
//! plan's agreed date, so the year's are the sum of its quarters'. Protected one period
//! at a time, those relations narrow hidden cells: with suppression below 5, a year's
//! `met` of 9 beside quarters published as 0, 5, 0 and `*` leaves the hidden quarter no
//! value but 4.
//!
//! We chose to protect the five periods together as one model (each period's own
//! cells and relations, one people variable per atom shared by all five, and the
//! relations above between them), with the same protection patterns and the same
//! attacker's audit as a single period ([`super::secondary`], [`super::audit`]). A report
//! of the year or of any of its quarters then publishes its own slice of that one
//! protection, so reports produced separately, in any order, are consistent with each
//! other, and the audit of any of them checks everything the five publish together.
//! Other choices were weaker or dearer: refusing to publish a quarter once its year
//! was published loses the quarterly reports partnerships need; protecting a quarter
//! against the year's published cells depends on the order of release; hiding a cell in
//! every period when one hides it does not stop narrowing through shown cells.
//!
//! A relation is added only where the true counts keep it (a vocabulary status outside
//! the four counted can break "reviewed in a quarter, reviewed in the year"), since a
//! relation that can fail is not one a reader can rely on. The price is time: the
//! linked set is five periods' tables, so protecting a year or quarter costs several
//! times one period alone. A date range, or periods of different years, are not nested
//! this way and are protected on their own.

use super::Period;
use super::model::{Base, Model, VarKey};
use foldhash::HashMap;
use std::collections::BTreeMap;

/// The periods protected together with `p`, `p`'s own year first: a financial year or
/// quarter gives the year and its four quarters, anything else only itself.
pub fn linked(p: &Period) -> Vec<Period> {
    match *p {
        Period::Year(y) | Period::Quarter(y, _) => {
            let mut v = vec![Period::Year(y)];
            v.extend((1..=4).map(|q| Period::Quarter(y, q)));
            v
        }
        Period::Range(..) => vec![*p],
    }
}

/// Adds the relations between a year (`maps[0]`) and its quarters (`maps[1..=4]`, in
/// order) to the joined model.
pub(super) fn relate(m: &mut Model, maps: &[HashMap<VarKey, usize>]) {
    let [year, q1, q2, q3, q4] = maps else {
        return;
    };
    let quarters = [q1, q2, q3, q4];
    // Sorted, so that the model (and so the protection) is the same on every run.
    let keys: BTreeMap<&VarKey, usize> = year.iter().map(|(k, v)| (k, *v)).collect();
    let get = |q: &HashMap<VarKey, usize>, k: &VarKey| q.get(k).copied();
    let all_q = |k: &VarKey| -> Vec<usize> { quarters.iter().filter_map(|q| get(q, k)).collect() };
    for (k, &y) in &keys {
        match k.1 {
            Base::People => {}
            Base::Met
            | Base::Partly
            | Base::Not
            | Base::Nlr
            | Base::Barrier(_)
            | Base::Contributor(_)
            | Base::CarersRated
            | Base::CarersAllMet => {
                m.relate(vec![y], all_q(k));
                if let Some(v) = get(q4, k) {
                    m.relate(vec![v], vec![y]);
                }
            }
            Base::Planned => {
                for q in &quarters {
                    if let Some(v) = get(q, k) {
                        m.relate(vec![v], vec![y]);
                    }
                }
            }
            Base::Overdue => {
                let v: Vec<usize> = get(q4, k).into_iter().collect();
                m.relate(v.clone(), vec![y]);
                m.relate(vec![y], v);
            }
            Base::PlansDue | Base::OnTime => {
                m.relate(vec![y], all_q(k));
                m.relate(all_q(k), vec![y]);
            }
        }
    }
    // Reviewed (the four statuses) of each quarter at most the year's, row by row.
    let statuses = [Base::Met, Base::Partly, Base::Not, Base::Nlr];
    let mut rows: Vec<(usize, usize)> = keys
        .keys()
        .filter(|k| k.1 == Base::Met)
        .map(|k| (k.0, k.2))
        .collect();
    rows.sort_unstable();
    for (a, r) in rows {
        let of = |q: &HashMap<VarKey, usize>| -> Vec<usize> {
            statuses
                .iter()
                .filter_map(|b| get(q, &(a, *b, r)))
                .collect()
        };
        let y = of(year);
        for q in &quarters {
            m.relate(of(q), y.clone());
        }
    }
}
