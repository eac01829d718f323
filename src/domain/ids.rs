//! Time-ordered identifiers (UUID v7), so that keys sort by creation time in the store.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Id(pub uuid::Uuid);

impl Id {
    /// A new id from the wall clock and OS randomness.
    pub fn new() -> Id {
        Id(uuid::Uuid::now_v7())
    }

    /// A reproducible id for synthetic data: a v7 layout from a fixed time and given bytes.
    pub fn from_parts(unix_millis: u64, random: [u8; 10]) -> Id {
        Id(uuid::Builder::from_unix_timestamp_millis(unix_millis, &random).into_uuid())
    }

    pub fn as_bytes(&self) -> &[u8; 16] {
        self.0.as_bytes()
    }

    pub fn from_slice(b: &[u8]) -> Option<Id> {
        uuid::Uuid::from_slice(b).ok().map(Id)
    }
}

impl Default for Id {
    fn default() -> Self {
        Id::new()
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.hyphenated())
    }
}

impl FromStr for Id {
    type Err = String;
    fn from_str(s: &str) -> Result<Id, String> {
        uuid::Uuid::parse_str(s.trim())
            .map(Id)
            .map_err(|_| format!("`{s}` is not a valid id"))
    }
}
