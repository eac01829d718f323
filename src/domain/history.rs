//! How each outcome went over time for one person: at every review that counts, its
//! status and the person's own words. The interface shows it at the next review and on
//! the Person screen, so change over time is visible where the conversation happens.

use super::{Conversation, Id, StageBody};
use chrono::NaiveDate;

/// One outcome at one review.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reviewed {
    pub date: NaiveDate,
    /// The review conversation it was recorded in.
    pub conversation: Id,
    /// The review status id (`met`, `partly_met`, …).
    pub status: String,
    /// What the person said about the change, in their words (may be empty).
    pub words: String,
}

/// One outcome's reviews, oldest first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutcomeHistory {
    pub outcome: String,
    pub reviews: Vec<Reviewed>,
}

/// The reviews that count, each in its latest version, oldest first (by date, then id
/// so two reviews on one day keep one order). A conversation may appear more than once
/// (its revisions); the version a merge would keep is the one used, and a withdrawn
/// conversation counts nowhere ([`Conversation::counts`]).
pub fn reviews(conversations: &[Conversation]) -> Vec<&Conversation> {
    let mut latest: Vec<&Conversation> = Vec::new();
    for c in conversations {
        match latest.iter_mut().find(|k| k.id == c.id) {
            Some(k) if c.supersedes(k) => *k = c,
            Some(_) => {}
            None => latest.push(c),
        }
    }
    latest.retain(|c| c.counts() && matches!(c.body, StageBody::Review { .. }));
    latest.sort_by_key(|c| (c.date, c.id));
    latest
}

/// Each reviewed outcome's history, in the order the outcomes were first reviewed.
pub fn outcome_histories(conversations: &[Conversation]) -> Vec<OutcomeHistory> {
    let mut out: Vec<OutcomeHistory> = Vec::new();
    for c in reviews(conversations) {
        let StageBody::Review { outcomes } = &c.body else {
            continue;
        };
        for o in outcomes {
            let point = Reviewed {
                date: c.date,
                conversation: c.id,
                status: o.status.clone(),
                words: o.own_words.clone(),
            };
            match out.iter_mut().find(|h| h.outcome == o.outcome) {
                Some(h) => h.reviews.push(point),
                None => out.push(OutcomeHistory {
                    outcome: o.outcome.clone(),
                    reviews: vec![point],
                }),
            }
        }
    }
    out
}

/// One outcome's reviews, oldest first (empty when it was never reviewed).
pub fn history_of(conversations: &[Conversation], outcome: &str) -> Vec<Reviewed> {
    outcome_histories(conversations)
        .into_iter()
        .find(|h| h.outcome == outcome)
        .map(|h| h.reviews)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ReviewedOutcome, Withdrawal};

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
    }

    fn review(n: u8, date: &str, outcomes: &[(&str, &str, &str)]) -> Conversation {
        Conversation {
            id: Id::from_parts(1_700_000_000_000 + u64::from(n), [n; 10]),
            person: Id::from_parts(1_700_000_000_000, [0; 10]),
            date: d(date),
            practitioner: "J. Byrne".into(),
            participants: vec!["person".into()],
            form: "adult".into(),
            form_version: 1,
            revision: 0,
            consent: None,
            withdrawn: None,
            body: StageBody::Review {
                outcomes: outcomes
                    .iter()
                    .map(|(o, s, w)| ReviewedOutcome {
                        outcome: o.to_string(),
                        status: s.to_string(),
                        own_words: w.to_string(),
                        ..Default::default()
                    })
                    .collect(),
            },
        }
    }

    fn statuses(h: &[Reviewed]) -> Vec<(String, &str)> {
        h.iter()
            .map(|r| (r.date.to_string(), r.status.as_str()))
            .collect()
    }

    #[test]
    fn each_outcome_lists_its_reviews_oldest_first_whatever_order_they_come_in() {
        let later = review(2, "2026-02-01", &[("safe", "met", "I lock the door now")]);
        let earlier = review(
            1,
            "2025-08-01",
            &[
                ("safe", "not_met", "scared at night"),
                ("seeing_people", "partly_met", ""),
            ],
        );
        let h = outcome_histories(&[later, earlier]);
        assert_eq!(h.len(), 2);
        assert_eq!(h[0].outcome, "safe");
        assert_eq!(
            statuses(&h[0].reviews),
            vec![
                ("2025-08-01".to_string(), "not_met"),
                ("2026-02-01".to_string(), "met")
            ]
        );
        assert_eq!(h[0].reviews[1].words, "I lock the door now");
        assert_eq!(
            statuses(&h[1].reviews),
            vec![("2025-08-01".to_string(), "partly_met")]
        );
    }

    #[test]
    fn a_withdrawn_review_is_left_out() {
        let kept = review(1, "2025-08-01", &[("safe", "partly_met", "")]);
        let mut wrong = review(2, "2025-09-01", &[("safe", "met", "wrong person")]);
        wrong.withdrawn = Some(Withdrawal {
            by: "Ali".into(),
            at: "2025-09-02T00:00:00Z".into(),
            reason: "wrong person".into(),
        });
        let h = history_of(&[kept, wrong], "safe");
        assert_eq!(statuses(&h), vec![("2025-08-01".to_string(), "partly_met")]);
    }

    #[test]
    fn only_the_latest_revision_of_a_review_is_used() {
        let first = review(1, "2025-08-01", &[("safe", "not_met", "typo")]);
        let mut corrected = first.clone();
        corrected.revision = 1;
        corrected.body = review(1, "2025-08-01", &[("safe", "met", "corrected")]).body;
        for pair in [
            vec![first.clone(), corrected.clone()],
            vec![corrected.clone(), first.clone()],
        ] {
            let h = history_of(&pair, "safe");
            assert_eq!(h.len(), 1);
            assert_eq!(h[0].status, "met");
            assert_eq!(h[0].words, "corrected");
        }
    }

    #[test]
    fn assessments_and_plans_are_not_reviews_and_an_unreviewed_outcome_has_none() {
        let mut plan = review(1, "2025-05-01", &[]);
        plan.body = StageBody::Planning {
            review_by: None,
            outcomes: vec![],
        };
        assert!(outcome_histories(&[plan]).is_empty());
        let r = review(2, "2025-08-01", &[("safe", "met", "")]);
        assert!(history_of(&[r], "seeing_people").is_empty());
    }
}
