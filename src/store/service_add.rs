//! Adding a service: the one rule `org add` and the interface's first-service form both
//! go through (the names must be given, and a service name is unique in the store).

use super::{Result, Store};
use crate::domain::{Id, Service};

/// Why a service was not added, in one sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotAdded {
    /// A name is missing or unusable (a usage error at the command line).
    Invalid(String),
    /// A service of that name is already in the store.
    Taken(String),
}

impl std::fmt::Display for NotAdded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotAdded::Invalid(m) | NotAdded::Taken(m) => f.write_str(m),
        }
    }
}

impl Store {
    /// Adds a new service, or says in one sentence why it cannot be added (a name left
    /// empty, or a service of that name already there).
    pub fn add_new_service(
        &self,
        partnership: &str,
        organisation: &str,
        service: &str,
    ) -> Result<std::result::Result<Service, NotAdded>> {
        let svc = Service {
            id: Id::new(),
            name: service.trim().to_string(),
            organisation: organisation.trim().to_string(),
            partnership: partnership.trim().to_string(),
        };
        if let Some(problem) = crate::domain::validate::validate_service(&svc).first() {
            return Ok(Err(NotAdded::Invalid(problem.message.clone())));
        }
        if let Some(existing) = self.find_service(service)? {
            return Ok(Err(NotAdded::Taken(format!(
                "a service named {} already exists (in {}); service names must be unique",
                existing.name, existing.organisation
            ))));
        }
        self.add_service(&svc)?;
        Ok(Ok(svc))
    }
}
