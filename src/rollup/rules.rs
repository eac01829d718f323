//! Rules the roll-up counts by that screens also show, in one place: who is overdue a
//! review, and which reviews sit behind an outcome's numbers.

use super::OutcomeRow;
use super::engine::Layout;
use crate::domain::{Conversation, Id, Place, Stage};
use crate::forms::Forms;
use chrono::NaiveDate;

/// Whether a plan's review is overdue: it has an agreed date before `today` and not
/// after `end` (the period's end), and the plan has not been reviewed in full since
/// (`reviewed_since_plan`, see [`plan_reviewed_by`]). See [`super::OVERDUE_HOW`].
pub fn review_overdue(
    review_by: Option<NaiveDate>,
    reviewed_since_plan: bool,
    today: NaiveDate,
    end: NaiveDate,
) -> bool {
    review_by.is_some_and(|rb| rb < today && rb <= end && !reviewed_since_plan)
}

/// Whether the plan at `plan` (its [`Place`]: by date, then recording order) that named the outcomes `planned` has been
/// reviewed in full by `by`: reviews of the person that come after the plan and are dated
/// up to `by` (at least one) together cover every outcome the plan named. `reviews` gives
/// each review's place and the outcome ids it covered; outcomes are matched by id, as the
/// editor offers and checks them (`validate::planned_outcomes`,
/// `validate::left_unreviewed`).
///
/// "After" is by date, then by recording order: a review recorded later the same day
/// reviews the plan, but one recorded before it does not. A practitioner who reviews the
/// old plan and then makes a new one that day has not reviewed the new one, even when it
/// carries the same outcomes over.
///
/// The one rule for "this plan has been reviewed", used both for the review still
/// awaited (`by` is the day counted to: the caseload, the Person screen and overdue
/// reviews) and for plans reviewed by their agreed date (`by` is that date). A partial
/// review therefore neither clears the agreed date nor counts as the plan reviewed on
/// time: otherwise one plan could be counted reviewed on time while its person is still
/// listed overdue for it, and the two measures would contradict each other.
pub fn plan_reviewed_by<'a>(
    plan: Place,
    planned: impl IntoIterator<Item = &'a str>,
    reviews: impl IntoIterator<Item = (Place, impl IntoIterator<Item = &'a str>)>,
    by: NaiveDate,
) -> bool {
    let (any, left) = crate::domain::conversation::unreviewed_after(plan, planned, reviews, by);
    any && left == 0
}

/// What the review rule reads of a conversation (a caseload index keeps only these).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Step {
    pub date: NaiveDate,
    pub id: Id,
    pub stage: Stage,
    pub review_by: Option<NaiveDate>,
    /// The outcome ids a plan named or a review covered.
    pub outcomes: Vec<String>,
}

impl Step {
    pub fn of(c: &Conversation) -> Step {
        Step {
            date: c.date,
            id: c.id,
            stage: c.stage(),
            review_by: c.review_by(),
            outcomes: c.outcome_ids().into_iter().map(String::from).collect(),
        }
    }

    /// Its [`Place`] among the person's conversations.
    pub fn place(&self) -> Place {
        (self.date, self.id)
    }
}

/// The review date still awaited for a person as of `as_of`: the agreed date of their
/// latest plan dated on or before `as_of`, until every outcome that plan named has been
/// reviewed since it (up to `as_of`); see [`plan_reviewed_by`].
pub fn review_due(convs: &[Conversation], as_of: NaiveDate) -> Option<NaiveDate> {
    let steps: Vec<Step> = convs.iter().filter(|c| c.counts()).map(Step::of).collect();
    review_due_of(&steps, as_of)
}

/// [`review_due`] over the steps of a person's conversations.
pub fn review_due_of(steps: &[Step], as_of: NaiveDate) -> Option<NaiveDate> {
    let plan = steps
        .iter()
        .filter(|c| c.stage == Stage::Planning && c.date <= as_of)
        .max_by_key(|c| c.place())?;
    let reviews = steps
        .iter()
        .filter(|c| c.stage == Stage::Review)
        .map(|c| (c.place(), c.outcomes.iter().map(String::as_str)));
    let planned = plan.outcomes.iter().map(String::as_str);
    if plan_reviewed_by(plan.place(), planned, reviews, as_of) {
        None
    } else {
        plan.review_by
    }
}

/// Which report row a reviewed outcome counts in, matched as the roll-up matches it
/// (by the conversation's form, then by outcome id).
pub struct RowMatcher<'f> {
    layout: Layout<'f>,
}

impl<'f> RowMatcher<'f> {
    pub fn new(forms: &'f Forms) -> RowMatcher<'f> {
        RowMatcher {
            layout: Layout::new(forms),
        }
    }

    /// Whether a review of `outcome` on a conversation of `form` counts in `row` (at
    /// the national level, in every national outcome its framework outcome maps to).
    pub fn counts_in(&self, row: &OutcomeRow, form: &str, outcome: &str) -> bool {
        let Some(def) = self
            .layout
            .row_of(form, outcome)
            .and_then(|r| self.layout.rows.get(r))
        else {
            return false;
        };
        if row.framework == "national" {
            let n: u8 = row.outcome_id.parse().unwrap_or(0);
            def.outcome.national.contains(&n)
        } else {
            def.framework.id == row.framework && def.outcome.id == row.outcome_id
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn step(n: u8, date: &str, stage: Stage, review_by: Option<&str>, outcomes: &[&str]) -> Step {
        Step {
            date: d(date),
            id: Id::from_parts(1_700_000_000_000 + u64::from(n), [n; 10]),
            stage,
            review_by: review_by.map(d),
            outcomes: outcomes.iter().map(|o| o.to_string()).collect(),
        }
    }

    fn plan(n: u8, date: &str, outcomes: &[&str]) -> Step {
        step(n, date, Stage::Planning, Some("2025-08-01"), outcomes)
    }

    fn review(n: u8, date: &str, outcomes: &[&str]) -> Step {
        step(n, date, Stage::Review, None, outcomes)
    }

    const THREE: [&str; 3] = ["seeing_people", "feeling_safe", "staying_well"];

    #[test]
    fn the_agreed_date_stands_until_every_planned_outcome_is_reviewed() {
        let as_of = d("2026-11-23");
        let mut steps = vec![plan(1, "2025-05-09", &THREE)];
        assert_eq!(review_due_of(&steps, as_of), Some(d("2025-08-01")));
        steps.push(review(2, "2025-09-01", &["seeing_people"]));
        assert_eq!(review_due_of(&steps, as_of), Some(d("2025-08-01")));
        // Before the second part of the review, the date still stands.
        assert_eq!(
            review_due_of(&steps, d("2025-09-30")),
            Some(d("2025-08-01"))
        );
        steps.push(review(3, "2025-10-01", &["feeling_safe", "staying_well"]));
        assert_eq!(review_due_of(&steps, as_of), None);
        assert_eq!(
            review_due_of(&steps, d("2025-09-30")),
            Some(d("2025-08-01"))
        );
    }

    #[test]
    fn reviews_before_the_plan_do_not_cover_it_and_a_new_plan_starts_again() {
        let as_of = d("2026-11-23");
        let steps = vec![
            plan(1, "2025-01-09", &["seeing_people"]),
            review(2, "2025-03-01", &["seeing_people", "feeling_safe"]),
            plan(3, "2025-05-09", &["seeing_people", "feeling_safe"]),
            review(4, "2025-06-01", &["feeling_safe"]),
        ];
        assert_eq!(review_due_of(&steps, as_of), Some(d("2025-08-01")));
    }

    #[test]
    fn a_plan_without_outcomes_needs_one_review() {
        let as_of = d("2026-11-23");
        let mut steps = vec![plan(1, "2025-05-09", &[])];
        assert_eq!(review_due_of(&steps, as_of), Some(d("2025-08-01")));
        steps.push(review(2, "2025-09-01", &["listened_to"]));
        assert_eq!(review_due_of(&steps, as_of), None);
    }

    #[test]
    fn reviewed_by_a_day_counts_only_reviews_up_to_that_day() {
        let reviews = [
            review(2, "2025-07-01", &["seeing_people", "staying_well"]),
            review(3, "2025-08-02", &["feeling_safe"]),
        ];
        let plan = plan(1, "2025-05-09", &THREE).place();
        let by = |day: &str| {
            let at = reviews
                .iter()
                .map(|s| (s.place(), s.outcomes.iter().map(String::as_str)));
            plan_reviewed_by(plan, THREE, at, d(day))
        };
        assert!(!by("2025-08-01"), "one outcome came a day late");
        assert!(by("2025-08-02"));
    }

    #[test]
    fn a_review_counts_for_a_plan_only_when_recorded_after_it() {
        let as_of = d("2026-11-23");
        // The old plan reviewed in full, then a new plan with the same outcomes, all on
        // one day: the review was of the old plan, so the new one is still awaited.
        let mut steps = vec![
            plan(1, "2025-05-09", &THREE),
            review(2, "2025-05-09", &THREE),
        ];
        assert_eq!(
            review_due_of(&steps, as_of),
            None,
            "reviewed later that day"
        );
        steps.push(plan(3, "2025-05-09", &THREE));
        assert_eq!(review_due_of(&steps, as_of), Some(d("2025-08-01")));
        // Recording order decides, not the order the steps are listed in.
        steps.swap(0, 2);
        assert_eq!(review_due_of(&steps, as_of), Some(d("2025-08-01")));
        steps.push(review(4, "2025-05-09", &THREE));
        assert_eq!(
            review_due_of(&steps, as_of),
            None,
            "its own review that day"
        );
    }
}
