//! A protected period as published: for every report of every level, which of its
//! cells are hidden, in the report's own order.
//!
//! Finding a kept protection means rolling up and building the model of every table
//! of the period and those linked to it (a tenth of a second on a large store, even
//! when the answer itself is kept), while publishing needs only these marks. So the
//! marks are kept too, under a fingerprint of everything those tables are made from —
//! each linked period's per-service totals and the dates it is judged at, the
//! services, the forms, the threshold, and the roll-up's own source (`build.rs`) — and
//! a later report of the same inputs publishes from them without the model.
//! Publishing from marks checks them again ([`super::Protected::publish`]): marks that
//! do not fit a report's shape, or that would show a count the rule hides, are not used.

use super::model::{ReportIds, RowIds};
use super::{Level, UnitReport};
use foldhash::{HashMap, HashMapExt};

/// (period label, level, unit key) → the report's hidden flags, in [`slots`] order.
pub(super) type Marks = HashMap<(String, Level, String), Vec<bool>>;

/// The tables of a period and those linked to it, as the model is built from them:
/// per period, its label, the atoms' reports and each level's reports.
pub(super) type Rolled = Vec<(String, Vec<UnitReport>, Vec<(Level, Vec<UnitReport>)>)>;

/// Bumped whenever the marks' form or meaning changes.
const METHOD: &[u8] = b"talking-points published marks v1";

/// The fingerprint of `inputs` (everything the linked tables are made from) at
/// `threshold`, with the protection's method and the roll-up's source.
pub(super) fn key(threshold: u64, inputs: &dyn std::fmt::Debug) -> [u8; 32] {
    use std::io::Write;
    let mut h = blake3::Hasher::new();
    h.update(METHOD);
    h.update(super::protect_cache::METHOD);
    h.update(env!("TP_ROLLUP_SOURCE").as_bytes());
    h.update(&threshold.to_le_bytes());
    {
        // Debug output is complete and unambiguous for these plain structures (no
        // hash maps, whose order would vary).
        let mut w = std::io::BufWriter::with_capacity(1 << 16, &mut h);
        let _ = write!(w, "{inputs:?}");
        let _ = w.flush();
    }
    *h.finalize().as_bytes()
}

/// A report's cell ids in one fixed order: the order marks are kept in.
pub(super) fn slots(ids: &ReportIds) -> Vec<usize> {
    let mut out = vec![ids.people, ids.overdue, ids.plans_due, ids.on_time];
    for r in &ids.rows {
        out.push(r.planned);
        out.push(r.reviewed);
        out.extend(r.status);
        out.push(r.rated);
        out.extend(&r.barriers);
        out.extend(&r.contributors);
    }
    for (num, den) in &ids.measures {
        out.push(*num);
        out.push(*den);
    }
    out
}

/// Ids numbering `r`'s cells 0, 1, 2, … in [`slots`] order, so a report's marks are
/// read as its hidden flags.
pub(super) fn sequential(r: &UnitReport) -> ReportIds {
    let mut n = 0usize;
    let mut next = || {
        n += 1;
        n - 1
    };
    let (people, overdue, plans_due, on_time) = (next(), next(), next(), next());
    let rows = r
        .rows
        .iter()
        .map(|row| RowIds {
            planned: next(),
            reviewed: next(),
            status: [next(), next(), next(), next()],
            rated: next(),
            barriers: row.barriers.iter().map(|_| next()).collect(),
            contributors: row.contributors.iter().map(|_| next()).collect(),
        })
        .collect();
    let measures = r.measures.iter().map(|_| (next(), next())).collect();
    ReportIds {
        people,
        overdue,
        plans_due,
        on_time,
        rows,
        measures,
    }
}

/// The marks of every report a model holds, from its hidden flags.
pub(super) fn of(reports: &HashMap<(String, Level, String), ReportIds>, hidden: &[bool]) -> Marks {
    let mut out = Marks::with_capacity(reports.len());
    for (k, ids) in reports {
        let flags = slots(ids)
            .into_iter()
            .map(|c| hidden.get(c).copied().unwrap_or(true))
            .collect();
        out.insert(k.clone(), flags);
    }
    out
}

const FORM: u8 = 2;

fn level_byte(l: Level) -> u8 {
    Level::ALL.iter().position(|x| *x == l).unwrap_or(0) as u8
}

fn put_bytes(v: &mut Vec<u8>, b: &[u8]) {
    v.extend_from_slice(&(b.len() as u32).to_le_bytes());
    v.extend_from_slice(b);
}

/// The stored form: a form byte, the entries in key order, and a checksum of both with
/// the key, so a damaged or misplaced value is never taken.
pub(super) fn encode(key: &[u8; 32], marks: &Marks) -> Vec<u8> {
    let mut entries: Vec<_> = marks.iter().collect();
    entries.sort_by(|a, b| {
        (&a.0.0, level_byte(a.0.1), &a.0.2).cmp(&(&b.0.0, level_byte(b.0.1), &b.0.2))
    });
    let mut v = vec![FORM];
    v.extend_from_slice(&(entries.len() as u32).to_le_bytes());
    for ((label, level, unit), flags) in entries {
        put_bytes(&mut v, label.as_bytes());
        v.push(level_byte(*level));
        put_bytes(&mut v, unit.as_bytes());
        v.extend_from_slice(&(flags.len() as u32).to_le_bytes());
        v.extend(flags.iter().map(|h| u8::from(*h)));
    }
    let sum = super::protect_cache::checksum(key, &v);
    v.extend_from_slice(&sum);
    v
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (a, b) = self.0.split_at_checked(n)?;
        self.0 = b;
        Some(a)
    }
    fn u32(&mut self) -> Option<usize> {
        let b: [u8; 4] = self.take(4)?.try_into().ok()?;
        Some(u32::from_le_bytes(b) as usize)
    }
    fn text(&mut self) -> Option<String> {
        let n = self.u32()?;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }
}

pub(super) fn decode(key: &[u8; 32], raw: &[u8]) -> Option<Marks> {
    let split = raw.len().checked_sub(32)?;
    let (body, sum) = raw.split_at(split);
    if body.first() != Some(&FORM) || super::protect_cache::checksum(key, body) != sum {
        return None;
    }
    let mut r = Reader(body.get(1..)?);
    let count = r.u32()?;
    let mut out = Marks::with_capacity(count.min(1 << 16));
    for _ in 0..count {
        let label = r.text()?;
        let level = *Level::ALL.get(usize::from(*r.take(1)?.first()?))?;
        let unit = r.text()?;
        let n = r.u32()?;
        let flags = r
            .take(n)?
            .iter()
            .map(|b| match b {
                0 => Some(false),
                1 => Some(true),
                _ => None,
            })
            .collect::<Option<Vec<bool>>>()?;
        out.insert((label, level, unit), flags);
    }
    r.0.is_empty().then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn some_marks() -> Marks {
        let mut m = Marks::new();
        m.insert(
            ("2025-26".into(), Level::Service, "north team".into()),
            vec![true, false, false, true],
        );
        m.insert(
            ("2025-26 Q1".into(), Level::National, "(none)".into()),
            vec![false; 7],
        );
        m
    }

    #[test]
    fn marks_round_trip_and_a_damaged_or_misplaced_value_is_never_taken() {
        let key = [3u8; 32];
        let raw = encode(&key, &some_marks());
        assert_eq!(decode(&key, &raw), Some(some_marks()));
        assert_eq!(decode(&[4u8; 32], &raw), None);
        for i in 0..raw.len() {
            let mut bad = raw.clone();
            bad[i] ^= 1;
            assert_eq!(decode(&key, &bad), None, "byte {i}");
        }
        assert_eq!(decode(&key, &raw[..raw.len() - 1]), None);
        // The hidden flags' form is not read as marks.
        let flags = super::super::protect_cache::encode(&key, &[true, false]);
        assert_eq!(decode(&key, &flags), None);
    }
}
