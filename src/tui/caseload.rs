//! The caseload: each person with their last conversation and next review due.

use crate::domain::{Conversation, Id, Person, PersonKind, Stage};
use chrono::NaiveDate;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub id: Id,
    pub name: String,
    pub kind: PersonKind,
    pub service: String,
    pub last: Option<NaiveDate>,
    /// The agreed review date of the latest plan not yet reviewed.
    pub review_due: Option<NaiveDate>,
}

impl Row {
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.review_due.is_some_and(|d| d < today)
    }
}

/// The next review due for a person: the latest plan's agreed date, unless a review
/// has been held since that plan.
pub fn review_due(convs: &[Conversation]) -> Option<NaiveDate> {
    let plan = convs
        .iter()
        .filter(|c| c.stage() == Stage::Planning)
        .max_by_key(|c| c.date)?;
    let reviewed = convs
        .iter()
        .any(|c| c.stage() == Stage::Review && c.date >= plan.date && c.id != plan.id);
    if reviewed { None } else { plan.review_by() }
}

pub fn row(p: &Person, service: &str, convs: &[Conversation]) -> Row {
    Row {
        id: p.id,
        name: p.name.clone(),
        kind: p.kind,
        service: service.to_string(),
        last: convs.iter().map(|c| c.date).max(),
        review_due: review_due(convs),
    }
}

/// Case-insensitive match on name, service or kind.
pub fn matches(r: &Row, filter: &str) -> bool {
    let f = filter.trim().to_lowercase();
    f.is_empty()
        || r.name.to_lowercase().contains(&f)
        || r.service.to_lowercase().contains(&f)
        || r.kind.as_str() == f
}
