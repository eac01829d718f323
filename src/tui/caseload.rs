//! The caseload: each person with their last conversation and next review due.

use crate::domain::{Conversation, Id, Person, PersonKind};
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
    /// Overdue by the roll-up's own rule, as of today.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        crate::rollup::rules::review_overdue(self.review_due, false, today, today)
    }
}

/// The next review due for a person, by the roll-up's rule, as of `today`, from the
/// conversations that count (a withdrawn plan or review changes nothing).
pub fn review_due(convs: &[Conversation], today: NaiveDate) -> Option<NaiveDate> {
    crate::rollup::rules::review_due(convs, today)
}

pub fn row(p: &Person, service: &str, convs: &[Conversation], today: NaiveDate) -> Row {
    Row {
        id: p.id,
        name: p.name.clone(),
        kind: p.kind,
        service: service.to_string(),
        last: convs.iter().filter(|c| c.counts()).map(|c| c.date).max(),
        review_due: review_due(convs, today),
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
