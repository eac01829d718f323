//! Rules the roll-up counts by that screens also show, in one place: who is overdue a
//! review, and which reviews sit behind an outcome's numbers.

use super::OutcomeRow;
use super::engine::Layout;
use crate::domain::{Conversation, Id, Stage};
use crate::forms::Forms;
use chrono::NaiveDate;

/// Whether a plan's review is overdue: it has an agreed date before `today` and not
/// after `end` (the period's end), and no review of the person has been held since the
/// plan (`reviewed_since_plan`). See [`super::OVERDUE_HOW`].
pub fn review_overdue(
    review_by: Option<NaiveDate>,
    reviewed_since_plan: bool,
    today: NaiveDate,
    end: NaiveDate,
) -> bool {
    review_by.is_some_and(|rb| rb < today && rb <= end && !reviewed_since_plan)
}

/// What the review rule reads of a conversation (a caseload index keeps only these).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Step {
    pub date: NaiveDate,
    pub id: Id,
    pub stage: Stage,
    pub review_by: Option<NaiveDate>,
}

impl Step {
    pub fn of(c: &Conversation) -> Step {
        Step {
            date: c.date,
            id: c.id,
            stage: c.stage(),
            review_by: c.review_by(),
        }
    }
}

/// The review date still awaited for a person as of `as_of`: the agreed date of their
/// latest plan dated on or before `as_of`, unless a review dated from that plan's date
/// up to `as_of` followed it.
pub fn review_due(convs: &[Conversation], as_of: NaiveDate) -> Option<NaiveDate> {
    let steps: Vec<Step> = convs.iter().map(Step::of).collect();
    review_due_of(&steps, as_of)
}

/// [`review_due`] over the steps of a person's conversations.
pub fn review_due_of(steps: &[Step], as_of: NaiveDate) -> Option<NaiveDate> {
    let plan = steps
        .iter()
        .filter(|c| c.stage == Stage::Planning && c.date <= as_of)
        .max_by_key(|c| (c.date, c.id))?;
    let reviewed = steps.iter().any(|c| {
        c.stage == Stage::Review && c.date >= plan.date && c.date <= as_of && c.id != plan.id
    });
    if reviewed { None } else { plan.review_by }
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
