//! The golden thread above the person: partnership → organisation → service.

use super::Id;
use serde::{Deserialize, Serialize};

/// A service (team) and the organisation and partnership it belongs to. The partnership
/// structure is stored as one row per service because every question asked of it
/// ("which organisation is this team in?") starts from a service.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub id: Id,
    pub name: String,
    pub organisation: String,
    pub partnership: String,
}

impl Service {
    /// Service names are matched without regard to case or surrounding spaces, because
    /// people type them on the command line.
    pub fn matches(&self, name: &str) -> bool {
        self.name.trim().to_lowercase() == name.trim().to_lowercase()
    }
}
