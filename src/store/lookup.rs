//! Finding people: by name as it is typed (for the interface's picker and the command
//! line), and the carers linked to a person.

use super::{Result, Store};
use crate::domain::search::{NameLookup, person_named, search_people};
use crate::domain::{Id, Person};

impl Store {
    /// People whose name contains `query`, case- and accent-insensitive, best matches
    /// first (see [`search_people`]).
    pub fn search_people(&self, query: &str) -> Result<Vec<Person>> {
        let people = self.people()?;
        Ok(search_people(&people, query).into_iter().cloned().collect())
    }

    /// The one person `text` names, by id or by whole name (see [`person_named`]).
    pub fn person_named(&self, text: &str) -> Result<std::result::Result<Person, NameLookup>> {
        let people = self.people()?;
        Ok(person_named(&people, text).cloned())
    }

    /// The carers whose record names this person as the one they care for.
    pub fn carers_of(&self, id: &Id) -> Result<Vec<Person>> {
        let mut out: Vec<Person> = self
            .people()?
            .into_iter()
            .filter(|p| p.cares_for == Some(*id))
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
        Ok(out)
    }
}
