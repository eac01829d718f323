//! Finding people by name, as a practitioner types it: without regard to case or
//! accents ("mairi" finds "Màiri"), best matches first.

use super::{Id, Person};
use unicode_normalization::UnicodeNormalization;

/// A name folded for matching: lower case, accents and other combining marks removed,
/// runs of white space made one space, trimmed.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s
        .nfkd()
        .filter(|c| !is_mark(*c))
        .flat_map(char::to_lowercase)
    {
        if c.is_whitespace() {
            space = !out.is_empty();
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Combining marks (accents and the like) in the blocks names use.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// How well a folded name matches a folded query; lower is better, `None` is no match.
fn rank(name: &str, query: &str) -> Option<u8> {
    if name == query {
        Some(0)
    } else if name.starts_with(query) {
        Some(1)
    } else if name
        .match_indices(query)
        .any(|(i, _)| name[..i].ends_with([' ', '-', '\'']))
    {
        Some(2)
    } else if name.contains(query) {
        Some(3)
    } else {
        None
    }
}

/// People whose name contains `query` (case- and accent-insensitive), best first: the
/// whole name, then names starting with it, then a word starting with it, then anywhere;
/// within each, by folded name and then id. An empty query matches nobody.
pub fn search_people<'a>(people: &'a [Person], query: &str) -> Vec<&'a Person> {
    let q = fold(query);
    if q.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<(u8, String, Id, &Person)> = people
        .iter()
        .filter_map(|p| {
            let name = fold(&p.name);
            rank(&name, &q).map(|r| (r, name, p.id, p))
        })
        .collect();
    hits.sort_by(|a, b| (a.0, &a.1, a.2).cmp(&(b.0, &b.1, b.2)));
    hits.into_iter().map(|h| h.3).collect()
}

/// Why a name did not pick out one person. The messages name nobody.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameLookup {
    Unknown,
    Ambiguous(usize),
}

impl std::fmt::Display for NameLookup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NameLookup::Unknown => f.write_str(
                "no person with that name or id is in this store; see `talking-points person list`",
            ),
            NameLookup::Ambiguous(n) => write!(
                f,
                "{n} people have that name; give the id instead (see `talking-points person list`)"
            ),
        }
    }
}

/// The one person `text` names: by id when it is an id, otherwise by their whole name
/// (case- and accent-insensitive). A part of a name is not enough, so that a typing slip
/// cannot link the wrong person.
pub fn person_named<'a>(people: &'a [Person], text: &str) -> Result<&'a Person, NameLookup> {
    if let Ok(id) = text.trim().parse::<Id>() {
        return people
            .iter()
            .find(|p| p.id == id)
            .ok_or(NameLookup::Unknown);
    }
    let q = fold(text);
    let mut same = people
        .iter()
        .filter(|p| !q.is_empty() && fold(&p.name) == q);
    match (same.next(), same.count()) {
        (None, _) => Err(NameLookup::Unknown),
        (Some(p), 0) => Ok(p),
        (Some(_), more) => Err(NameLookup::Ambiguous(more + 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::PersonKind;

    fn person(name: &str) -> Person {
        Person {
            id: Id::new(),
            name: name.into(),
            kind: PersonKind::Adult,
            service: Id::new(),
            dob: None,
            cares_for: None,
        }
    }

    #[test]
    fn folding_ignores_case_accents_and_spacing() {
        assert_eq!(fold("  Màiri   NicLeòid "), "mairi nicleoid");
        assert_eq!(fold("Zofia Wójcik"), "zofia wojcik");
        assert_eq!(fold("王秀英"), "王秀英");
    }

    #[test]
    fn search_ranks_whole_name_then_prefix_then_word_then_anywhere() {
        let people = vec![
            person("Annabel Ross"),
            person("Ross Ann"),
            person("Joanna Smith"),
            person("Ann"),
            person("Mary Ann-Marie Bell"),
            person("Peter Grant"),
        ];
        let names: Vec<&str> = search_people(&people, "ÁNN")
            .iter()
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "Ann",
                "Annabel Ross",
                "Mary Ann-Marie Bell",
                "Ross Ann",
                "Joanna Smith"
            ]
        );
        assert!(search_people(&people, "   ").is_empty());
        assert!(search_people(&people, "zzz").is_empty());
    }

    #[test]
    fn a_name_must_be_whole_and_unique_and_an_id_works_too() {
        let people = vec![
            person("Màiri MacLeod"),
            person("John Smith"),
            person("john  SMITH"),
        ];
        assert_eq!(
            person_named(&people, "mairi macleod").map(|p| p.id),
            Ok(people[0].id)
        );
        assert_eq!(
            person_named(&people, &people[1].id.to_string()).map(|p| p.id),
            Ok(people[1].id)
        );
        assert_eq!(
            person_named(&people, "John Smith").map(|p| p.id),
            Err(NameLookup::Ambiguous(2))
        );
        assert_eq!(
            person_named(&people, "Màiri").map(|p| p.id),
            Err(NameLookup::Unknown)
        );
        assert_eq!(
            person_named(&people, &Id::new().to_string()).map(|p| p.id),
            Err(NameLookup::Unknown)
        );
        let msg = NameLookup::Ambiguous(2).to_string();
        assert!(!msg.to_lowercase().contains("smith"));
    }
}
