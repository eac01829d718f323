//! The seed generator's word and name banks, kept as text files embedded at build time
//! (`src/seed/data/*.txt`) rather than as Rust.
//!
//! Format: a `[section]` line starts a bank; each following line is one entry, its
//! fields separated by tabs; blank lines and lines starting with `#` are skipped. Order
//! matters: the generator picks entries by position, so the same seed gives the same
//! data only while the files keep their order.

use super::names::Culture;
use super::text::{OutcomeText, ProcessText};

/// The entries of one section, each split into its tab-separated fields; empty when
/// the section is missing (a unit test checks every section the generator names).
fn rows(text: &'static str, name: &str) -> Vec<Vec<&'static str>> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if let Some(s) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            inside = s == name;
            continue;
        }
        if inside && !line.trim().is_empty() && !line.starts_with('#') {
            out.push(line.split('\t').collect());
        }
    }
    out
}

fn field(row: &[&'static str], i: usize) -> &'static str {
    row.get(i).copied().unwrap_or("")
}

fn number(row: &[&'static str], i: usize) -> u8 {
    field(row, i).parse().unwrap_or(0)
}

pub fn list(text: &'static str, name: &str) -> Vec<&'static str> {
    rows(text, name).iter().map(|r| field(r, 0)).collect()
}

pub fn pairs(text: &'static str, name: &str) -> Vec<(&'static str, &'static str)> {
    rows(text, name)
        .iter()
        .map(|r| (field(r, 0), field(r, 1)))
        .collect()
}

pub fn triples(text: &'static str, name: &str) -> Vec<(&'static str, u8, &'static str)> {
    rows(text, name)
        .iter()
        .map(|r| (field(r, 0), number(r, 1), field(r, 2)))
        .collect()
}

pub fn numbered(text: &'static str, name: &str) -> Vec<(u8, &'static str)> {
    rows(text, name)
        .iter()
        .map(|r| (number(r, 0), field(r, 1)))
        .collect()
}

/// The entries of one section whose first field is `key`, without it.
fn keyed<'r>(
    rows: &'r [Vec<&'static str>],
    key: &'r str,
) -> impl Iterator<Item = &'r [&'static str]> {
    rows.iter()
        .filter(move |r| field(r, 0) == key)
        .map(|r| r.get(1..).unwrap_or(&[]))
}

fn texts(rows: &[Vec<&'static str>], key: &str) -> Vec<&'static str> {
    keyed(rows, key).map(|r| field(r, 0)).collect()
}

fn tagged(rows: &[Vec<&'static str>], key: &str) -> Vec<(&'static str, &'static str)> {
    keyed(rows, key)
        .map(|r| (field(r, 0), field(r, 1)))
        .collect()
}

/// The sections named `<kind> <id>`, in file order.
fn ids(text: &'static str, kind: &str) -> Vec<&'static str> {
    text.lines()
        .filter_map(|l| l.strip_prefix('[').and_then(|l| l.strip_suffix(']')))
        .filter_map(|s| s.strip_prefix(kind).and_then(|r| r.strip_prefix(' ')))
        .collect()
}

pub fn outcome_text(text: &'static str, section: &str) -> OutcomeText {
    outcome_with_id(text, section, "")
}

fn outcome_with_id(text: &'static str, section: &str, id: &'static str) -> OutcomeText {
    let r = rows(text, section);
    OutcomeText {
        id,
        own: texts(&r, "own"),
        why: texts(&r, "why"),
        statement: texts(&r, "statement"),
        actions: tagged(&r, "actions"),
        helped: tagged(&r, "helped"),
        met: texts(&r, "met"),
        unmet: texts(&r, "unmet"),
    }
}

pub fn outcome_texts(text: &'static str, kind: &str) -> Vec<OutcomeText> {
    ids(text, kind)
        .into_iter()
        .map(|id| outcome_with_id(text, &format!("{kind} {id}"), id))
        .collect()
}

pub fn process_text(text: &'static str, section: &str) -> ProcessText {
    process_with_id(text, section, "")
}

fn process_with_id(text: &'static str, section: &str, id: &'static str) -> ProcessText {
    let r = rows(text, section);
    ProcessText {
        id,
        good: texts(&r, "good"),
        mixed: texts(&r, "mixed"),
        poor: texts(&r, "poor"),
    }
}

pub fn process_texts(text: &'static str, kind: &str) -> Vec<ProcessText> {
    ids(text, kind)
        .into_iter()
        .map(|id| process_with_id(text, &format!("{kind} {id}"), id))
        .collect()
}

pub fn foreign(
    text: &'static str,
    name: &str,
    culture: fn(&str) -> Option<Culture>,
) -> Vec<super::text::Foreign> {
    rows(text, name)
        .iter()
        .filter_map(|r| {
            Some(super::text::Foreign {
                culture: culture(field(r, 0))?,
                outcome: field(r, 1),
                text: field(r, 2),
                english: field(r, 3),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::{names, text};

    #[test]
    fn every_bank_is_present_and_its_entries_have_their_fields() {
        let lists: [(&str, usize); 16] = [
            ("towns", text::TOWNS.len()),
            ("places", text::PLACES.len()),
            ("days", text::DAYS.len()),
            ("times", text::TIMES.len()),
            ("worries", text::WORRIES.len()),
            ("tasks", text::TASKS.len()),
            ("hobbies", text::HOBBIES.len()),
            ("groups", text::GROUPS.len()),
            ("emoji", text::EMOJI.len()),
            ("review_met", text::REVIEW_MET.len()),
            ("strengths", text::STRENGTHS.len()),
            ("hindered", text::HINDERED.len()),
            ("helped", text::HELPED.len()),
            ("extras", text::EXTRAS.len()),
            ("foreign", text::FOREIGN.len()),
            ("generic own", text::GENERIC.own.len()),
        ];
        for (name, n) in lists {
            assert!(n > 0, "the {name} bank is empty");
        }
        for o in ["feeling_safe", "seeing_people"] {
            let t = text::outcome(o).expect("outcome words");
            assert!(!t.own.is_empty() && !t.statement.is_empty() && !t.actions.is_empty());
            assert!(
                t.actions
                    .iter()
                    .all(|(who, what)| !who.is_empty() && !what.is_empty())
            );
        }
        assert!(
            text::HINDERED
                .iter()
                .all(|(id, _, s)| !id.is_empty() && !s.is_empty())
        );
        let r = &mut <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(1);
        for c in [names::Culture::Gaelic, names::Culture::Ukrainian] {
            let family = names::family_name(r, c);
            assert!(!family.is_empty());
            assert!(!names::first_name(r, c, names::Sex::Female, 1950).is_empty());
        }
        assert_eq!(
            names::Culture::named("Gaelic"),
            Some(names::Culture::Gaelic)
        );
        assert_eq!(names::Culture::named("Klingon"), None);
    }
}
