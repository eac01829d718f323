//! People: supported adults and unpaid carers.

use super::Id;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PersonKind {
    Adult,
    Carer,
}

impl PersonKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            PersonKind::Adult => "adult",
            PersonKind::Carer => "carer",
        }
    }
}

impl fmt::Display for PersonKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for PersonKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_lowercase().as_str() {
            "adult" => Ok(PersonKind::Adult),
            "carer" => Ok(PersonKind::Carer),
            _ => Err(format!("kind `{s}` is not known; use adult or carer")),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: Id,
    pub name: String,
    pub kind: PersonKind,
    pub service: Id,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dob: Option<NaiveDate>,
    /// For a carer: the person they care for, when that person is known to the store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cares_for: Option<Id>,
}
