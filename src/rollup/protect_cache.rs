//! Keeping the result of disclosure protection. Protecting a financial year with its
//! quarters solves thousands of linear programmes (a minute of CPU on a 100,000-person
//! store), while the tables of an ended period change only when its records do. So the
//! protection is kept under a fingerprint of everything it depends on — every count of
//! the linked tables, every relation between them, which cells are people counts, and
//! the threshold — and a later report of the same tables reuses it. Any change to a
//! count gives another fingerprint, so a kept answer can only be used for the very
//! tables it was worked out for; it is checked on the way back in, and recomputed if
//! anything about it is wrong.

use super::model::Model;

/// Where kept protections live (the store; nothing, in tests and read-only views):
/// values under 32-byte keys, each carrying its own checksum (see [`encode`]).
pub trait ProtectionCache {
    /// The value kept under `key`, if any.
    fn get_raw(&self, key: &[u8; 32]) -> Option<Vec<u8>>;
    /// Keeps `raw` under `key` (best effort: a failure only costs time later).
    fn put_raw(&self, key: &[u8; 32], raw: Vec<u8>);

    /// The hidden flags kept under `key`, if any.
    fn get(&self, key: &[u8; 32]) -> Option<Vec<bool>> {
        decode(key, &self.get_raw(key)?)
    }
    /// Keeps `hidden` under `key`.
    fn put(&self, key: &[u8; 32], hidden: &[bool]) {
        self.put_raw(key, encode(key, hidden));
    }
}

/// Bumped whenever the protection method changes, so answers of an older method are
/// never reused.
pub(super) const METHOD: &[u8] = b"talking-points protection v2";

/// The fingerprint of everything the protection of `model` at `threshold` depends on.
pub(super) fn fingerprint(model: &Model, threshold: u64) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    let mut n = |x: u64| {
        h.update(&x.to_le_bytes());
    };
    n(threshold);
    n(model.var_value.len() as u64);
    for (v, m) in model.var_value.iter().zip(&model.var_min) {
        n(*v);
        n(*m);
    }
    n(model.cells.len() as u64);
    for c in &model.cells {
        n(c.value);
        n(u64::from(c.levels));
        n(c.terms.len() as u64);
        for t in &c.terms {
            n(*t as u64);
        }
    }
    n(model.ineqs.len() as u64);
    for q in &model.ineqs {
        n(q.lhs.len() as u64);
        for t in &q.lhs {
            n(*t as u64);
        }
        n(q.rhs.len() as u64);
        for t in &q.rhs {
            n(*t as u64);
        }
        n(q.rhs_cell.map_or(u64::MAX, |c| c as u64));
    }
    let people = model.people_cells();
    n(people.len() as u64);
    for c in people {
        n(c as u64);
    }
    let mut out = blake3::Hasher::new();
    out.update(METHOD);
    out.update(h.finalize().as_bytes());
    *out.finalize().as_bytes()
}

/// A kept answer is taken only if it fits the model and hides at least every count
/// the primary rule hides.
pub(super) fn fits(hidden: &[bool], primary: &[bool]) -> bool {
    hidden.len() == primary.len() && hidden.iter().zip(primary).all(|(h, p)| *h || !*p)
}

/// The stored form: a version byte, the flags one per byte, and a checksum of both
/// with the key, so a damaged or misplaced value is never taken.
pub fn encode(key: &[u8; 32], hidden: &[bool]) -> Vec<u8> {
    let mut v = Vec::with_capacity(hidden.len() + 33);
    v.push(1u8);
    v.extend(hidden.iter().map(|h| u8::from(*h)));
    let sum = checksum(key, &v);
    v.extend_from_slice(&sum);
    v
}

pub fn decode(key: &[u8; 32], raw: &[u8]) -> Option<Vec<bool>> {
    let split = raw.len().checked_sub(32)?;
    let (body, sum) = raw.split_at(split);
    if body.first() != Some(&1) || checksum(key, body) != sum {
        return None;
    }
    body[1..]
        .iter()
        .map(|b| match b {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        })
        .collect()
}

pub(super) fn checksum(key: &[u8; 32], body: &[u8]) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    h.update(key);
    h.update(body);
    *h.finalize().as_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_damaged_or_misplaced_value_is_never_taken() {
        let key = [7u8; 32];
        let hidden = vec![true, false, true];
        let raw = encode(&key, &hidden);
        assert_eq!(decode(&key, &raw), Some(hidden));
        assert_eq!(decode(&[8u8; 32], &raw), None);
        for i in 0..raw.len() {
            let mut bad = raw.clone();
            bad[i] ^= 1;
            assert_eq!(decode(&key, &bad), None, "byte {i}");
        }
        assert_eq!(decode(&key, &raw[..10]), None);
    }

    #[test]
    fn an_answer_that_shows_a_small_count_does_not_fit() {
        assert!(fits(&[true, true, false], &[true, false, false]));
        assert!(!fits(&[false, true, false], &[true, false, false]));
        assert!(!fits(&[true, true], &[true, false, false]));
    }
}
