//! Conversations at the three stages of the Talking Points circuit (DESIGN §2.2).
//!
//! The serialised shape of [`Conversation`] is the documented interchange format (the
//! README's `record` JSON), so what goes in through `record` comes out of
//! `person show --json` in the same shape.

use super::Id;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Assessment,
    Planning,
    Review,
}

impl Stage {
    pub const ALL: [Stage; 3] = [Stage::Assessment, Stage::Planning, Stage::Review];

    pub fn as_str(&self) -> &'static str {
        match self {
            Stage::Assessment => "assessment",
            Stage::Planning => "planning",
            Stage::Review => "review",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversation {
    pub id: Id,
    pub person: Id,
    pub date: NaiveDate,
    pub practitioner: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<String>,
    /// The form (framework) id and version the outcomes were recorded against.
    pub form: String,
    pub form_version: u32,
    /// Bumped on every change, so that merging two stores can keep the newest.
    #[serde(default)]
    pub revision: u32,
    #[serde(flatten)]
    pub body: StageBody,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "stage", rename_all = "lowercase")]
pub enum StageBody {
    Assessment {
        outcomes: Vec<AssessedOutcome>,
    },
    Planning {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        review_by: Option<NaiveDate>,
        outcomes: Vec<PlannedOutcome>,
    },
    Review {
        outcomes: Vec<ReviewedOutcome>,
    },
}

impl Conversation {
    pub fn stage(&self) -> Stage {
        match self.body {
            StageBody::Assessment { .. } => Stage::Assessment,
            StageBody::Planning { .. } => Stage::Planning,
            StageBody::Review { .. } => Stage::Review,
        }
    }

    /// The framework outcome ids this conversation talks about, in order.
    pub fn outcome_ids(&self) -> Vec<&str> {
        match &self.body {
            StageBody::Assessment { outcomes } => {
                outcomes.iter().map(|o| o.outcome.as_str()).collect()
            }
            StageBody::Planning { outcomes, .. } => {
                outcomes.iter().map(|o| o.outcome.as_str()).collect()
            }
            StageBody::Review { outcomes } => outcomes.iter().map(|o| o.outcome.as_str()).collect(),
        }
    }

    pub fn review_by(&self) -> Option<NaiveDate> {
        match &self.body {
            StageBody::Planning { review_by, .. } => *review_by,
            _ => None,
        }
    }
}

/// An outcome discussed at assessment: what matters and why, in the person's own words.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessedOutcome {
    pub outcome: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub own_words: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub why: String,
    /// Strengths and resources the person can draw on, as they described them.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub strengths: String,
    /// Where those strengths come from (personal, family/friends, community).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    pub priority: bool,
}

/// A personal outcome in a support plan, as a statement in the person's words.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedOutcome {
    pub outcome: String,
    pub statement: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<Action>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    pub who: String,
    pub what: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<NaiveDate>,
}

/// How far an outcome was met at review, what helped and what got in the way.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewedOutcome {
    pub outcome: String,
    pub status: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub helped: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contributors: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hindered: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub barriers: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub own_words: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}
