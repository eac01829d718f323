//! Conversations at the three stages of the Talking Points circuit (DESIGN §2.2).
//!
//! The serialised shape of [`Conversation`] is the documented interchange format (the
//! README's `record` JSON), so what goes in through `record` comes out of
//! `person show --json` in the same shape.

use super::Id;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A conversation's place among its person's conversations, in the order the roll-up
/// uses for "latest" and "since": by date, then by when it was recorded (ids are
/// time-ordered). The export's `sequence` column numbers them in this order.
pub type Place = (NaiveDate, Id);

/// Of the outcomes `planned` by the plan at `plan`, how many no review after it (by
/// [`Place`]) dated up to `by` covered, and whether there was such a review at all. The
/// one count behind "reviewed in full" (`rollup::rules::plan_reviewed_by`) and what a
/// partial review leaves for later (`validate::left_unreviewed`).
pub fn unreviewed_after<'a>(
    plan: Place,
    planned: impl IntoIterator<Item = &'a str>,
    reviews: impl IntoIterator<Item = (Place, impl IntoIterator<Item = &'a str>)>,
    by: NaiveDate,
) -> (bool, usize) {
    let mut left: Vec<&str> = planned.into_iter().collect();
    let mut any = false;
    for (at, outcomes) in reviews {
        if plan < at && at.0 <= by {
            any = true;
            for o in outcomes {
                left.retain(|p| *p != o);
            }
        }
    }
    (any, left.len())
}

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

/// Read by [`super::conversation_de`] (in one pass, not through serde's buffering of a
/// flattened tagged enum); written as derived.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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
    /// Whether the person agreed to the conversation being recorded and shared; absent
    /// on records made before it was asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<Consent>,
    /// Set when the conversation was recorded in error and withdrawn: it is kept (for
    /// the person's own access to their records) but counts nowhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<Withdrawal>,
    #[serde(flatten)]
    pub body: StageBody,
}

/// Consent given at the conversation: to record what was said, and to share it with
/// others involved in the person's support.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Consent {
    pub record: bool,
    pub share: bool,
}

impl Consent {
    /// The consent as one word for exports: `record_and_share`, `record_only` or `none`.
    pub fn as_str(&self) -> &'static str {
        match (self.record, self.share) {
            (true, true) => "record_and_share",
            (true, false) => "record_only",
            (false, _) => "none",
        }
    }
}

/// Who withdrew a conversation recorded in error, when (UTC, RFC 3339) and why.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Withdrawal {
    pub by: String,
    pub at: String,
    pub reason: String,
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
    /// Its [`Place`] among the person's conversations.
    pub fn place(&self) -> Place {
        (self.date, self.id)
    }

    pub fn stage(&self) -> Stage {
        match self.body {
            StageBody::Assessment { .. } => Stage::Assessment,
            StageBody::Planning { .. } => Stage::Planning,
            StageBody::Review { .. } => Stage::Review,
        }
    }

    /// The framework outcome ids this conversation talks about, in order.
    pub fn outcome_ids(&self) -> Vec<&str> {
        self.outcome_id_iter().collect()
    }

    /// The outcome ids it covers, in order, without collecting them.
    pub fn outcome_id_iter(&self) -> impl Iterator<Item = &str> + '_ {
        let (a, p, r): (&[AssessedOutcome], &[PlannedOutcome], &[ReviewedOutcome]) =
            match &self.body {
                StageBody::Assessment { outcomes } => (outcomes, &[], &[]),
                StageBody::Planning { outcomes, .. } => (&[], outcomes, &[]),
                StageBody::Review { outcomes } => (&[], &[], outcomes),
            };
        let a = a.iter().map(|o| o.outcome.as_str());
        let p = p.iter().map(|o| o.outcome.as_str());
        a.chain(p).chain(r.iter().map(|o| o.outcome.as_str()))
    }

    /// Whether this conversation counts in the caseload, reports, roll-ups and exports:
    /// the one rule every count goes through (a withdrawn conversation counts nowhere).
    pub fn counts(&self) -> bool {
        self.withdrawn.is_none()
    }

    /// Which of two versions of one conversation a merge keeps: a withdrawal wins over
    /// any version that is not withdrawn (it says the record should not exist), then
    /// the higher revision, then the greater JSON, so the result does not depend on the
    /// order the versions arrive in.
    pub fn supersedes(&self, other: &Conversation) -> bool {
        let rank = |c: &Conversation| (c.withdrawn.is_some(), c.revision);
        match rank(self).cmp(&rank(other)) {
            std::cmp::Ordering::Equal => {
                serde_json::to_vec(self).unwrap_or_default()
                    > serde_json::to_vec(other).unwrap_or_default()
            }
            o => o == std::cmp::Ordering::Greater,
        }
    }

    /// The next revision of this conversation, withdrawn as recorded in error by `by`
    /// at `at` (RFC 3339) for `reason`. Refused when the reason is blank or the
    /// conversation is already withdrawn.
    pub fn withdraw(&self, by: &str, at: &str, reason: &str) -> Result<Conversation, String> {
        if self.withdrawn.is_some() {
            return Err(format!("conversation {} is already withdrawn", self.id));
        }
        if reason.trim().is_empty() {
            return Err(
                "say why the conversation was recorded in error with --reason TEXT".to_string(),
            );
        }
        let mut next = self.clone();
        next.revision = self.revision.saturating_add(1);
        next.withdrawn = Some(Withdrawal {
            by: by.trim().to_string(),
            at: at.to_string(),
            reason: reason.trim().to_string(),
        });
        Ok(next)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn old_record() -> &'static str {
        r#"{"id":"0190a0c2-8a1b-7c3d-9e4f-123456789abc","person":"0190a0c2-8a1b-7c3d-9e4f-123456789abd","date":"2025-05-02","practitioner":"J. Byrne","form":"adult","form_version":1,"revision":2,"stage":"assessment","outcomes":[{"outcome":"seeing_people"}]}"#
    }

    #[test]
    fn records_made_before_consent_and_withdrawal_load_and_write_back_unchanged() {
        let c: Conversation = serde_json::from_str(old_record()).expect("old record loads");
        assert_eq!(c.consent, None);
        assert!(c.counts());
        assert_eq!(serde_json::to_string(&c).expect("json"), old_record());
    }

    #[test]
    fn a_withdrawal_is_the_next_revision_needs_a_reason_and_happens_once() {
        let c: Conversation = serde_json::from_str(old_record()).expect("loads");
        assert!(c.withdraw("Ali", "2026-01-01T00:00:00Z", "  ").is_err());
        let w = c
            .withdraw("Ali", "2026-01-01T00:00:00Z", " wrong person ")
            .expect("withdrawn");
        assert_eq!(w.revision, 3);
        assert!(!w.counts());
        assert_eq!(
            w.withdrawn.as_ref().map(|x| x.reason.as_str()),
            Some("wrong person")
        );
        assert!(w.withdraw("Ali", "2026-01-02T00:00:00Z", "again").is_err());
    }

    #[test]
    fn a_withdrawal_wins_a_merge_over_any_version_not_withdrawn_in_either_order() {
        let c: Conversation = serde_json::from_str(old_record()).expect("loads");
        let w = c
            .withdraw("Ali", "2026-01-01T00:00:00Z", "wrong")
            .expect("w");
        let mut later = c.clone();
        later.revision = 9;
        assert!(w.supersedes(&later) && !later.supersedes(&w));
        assert!(later.supersedes(&c) && !c.supersedes(&later));
        // Equal rank: the greater JSON, so exactly one of two different versions wins.
        let mut other = c.clone();
        other.practitioner = "K. Byrne".into();
        assert!(c.supersedes(&other) != other.supersedes(&c));
        assert!(!c.supersedes(&c));
    }
}
