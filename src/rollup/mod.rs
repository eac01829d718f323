//! The roll-up (DESIGN §3, issue 4 parts 1, 2 and 4): personal outcomes counted per
//! service, organisation, partnership and national outcome, with local measures and
//! disclosure control. Pure: the inputs are slices of domain values and the forms, the
//! output is plain data for the report, export and dashboard code to render.
//!
//! # Rules, as implemented
//! * **People, not conversations.** For each person and framework outcome, the *latest*
//!   review of that outcome dated within the period counts once, with its status.
//!   "Latest" orders conversations by date and then by id (ids are time-ordered UUID v7),
//!   so two reviews on the same day resolve to the one recorded last.
//! * **`people_planned`**: people with the outcome in a plan dated on or before the
//!   period's last day, and not closed. *Our reading of "closed"*: a review of that
//!   outcome with next step `close`, recorded after the plan (in the order above) and
//!   dated before the period starts. A close inside the period does not take the person
//!   out (they were planned for part of it); a later plan that names the outcome again
//!   reopens it. A plan superseded by another that leaves the outcome out is not a close.
//! * **`reviewed`**: person-outcomes whose latest review in the period has one of the
//!   four statuses the roll-up counts; `met`, `partly_met`, `not_met` and
//!   `no_longer_relevant` split it, so they always add up to it. Process outcomes are
//!   counted as reviewed without a plan. A latest review whose status is none of the four
//!   (a partnership may add statuses to its vocabulary) is left out and said in a note.
//! * **`met_pct`** = met / (met + partly met + not met) × 100, one decimal, rounded half
//!   away from zero; no longer relevant is out of the denominator.
//! * **Units**: a person belongs to the unit of their service (service name, its
//!   organisation or its partnership). Unit names are matched without regard to case or
//!   surrounding spaces, as they are typed on the command line.
//! * **National view**: one block per partnership; the framework-outcome counts are added
//!   into each national outcome the forms map the outcome to, so an outcome mapped to two
//!   national outcomes counts in both (every national report carries a note saying so).
//! * **Overdue reviews** ([`OVERDUE_HOW`]) count people; **plans reviewed by their agreed
//!   date** ([`ON_TIME_HOW`]) count plans.
//!
//! # Cost, and keeping totals up to date
//! One pass files conversation indices under their person (a counting sort through a
//! person → slot map), each person's few conversations are sorted by (date, id), and one
//! walk over them gives that person's contribution (`engine::PersonSummary`: for
//! each outcome, planned or not and the latest review in the period; overdue or not; plans
//! due and reviewed on time), which is added into the unit's tallies. Everything is linear
//! in people + conversations.
//!
//! Because a unit's totals are a plain sum of independent per-person contributions, they
//! can be kept up to date as records are saved instead of rescanned: keep, for each open
//! (period, level) view, the per-person summaries (in effect a (person, outcome) →
//! latest-state map) and the unit tallies; when a conversation of person P is saved,
//! recompute P's summary from P's conversations alone (`Store::conversations_of`),
//! subtract P's old summary from P's unit's tallies and add the new one. Moving a person
//! to another service is a subtract from the old unit and an add to the new one.

mod audit;
mod engine;
pub mod maintain;
mod marks;
mod measures;
mod model;
mod nested;
mod period;
mod protect;
pub mod protect_cache;
mod secondary;
mod suppress;
mod witness;

#[cfg(test)]
mod disclosure_tests;
#[cfg(test)]
mod nested_tests;
#[cfg(test)]
mod tests;

pub mod rules;

pub use audit::Range;
pub use engine::roll_up;
pub use nested::linked as linked_periods;
pub use period::{Period, financial_year, quarter};
pub use protect::{Audit, LevelLoss, Protected, protect_period};
pub use suppress::{Cell, PctCell, SuppressedMeasure, SuppressedReport, SuppressedRow, suppress};

use chrono::NaiveDate;
use std::fmt;
use std::ops::AddAssign;

/// How overdue reviews are counted (for reports to print beside the number).
pub const OVERDUE_HOW: &str = "People whose latest support plan (dated on or before the \
    earlier of today and the period's end) has an agreed review date that is before today \
    and not after the period's end, and not every outcome that plan named has been reviewed \
    since: by reviews after the plan (a later date, or the same day recorded after it) dated \
    up to the earlier of today and the period's end, so a review of only some of them, or one \
    made before a new plan the same day, leaves the person overdue; each person counts once, \
    as on the caseload.";

/// How plans reviewed by their agreed date are counted.
pub const ON_TIME_HOW: &str = "Of plans whose agreed review date falls within the period \
    and is before today, those reviewed in full by then: every outcome the plan named was \
    reviewed in reviews after the plan (a later date, or the same day recorded after it) \
    dated up to and including the agreed review date (the rule that keeps a person overdue); \
    each plan counts once.";

/// The note every national report carries.
pub const NATIONAL_NOTE: &str = "Counts are person-outcomes added into every national \
    outcome the forms map each framework outcome to: an outcome mapped to two national \
    outcomes counts in both, and a person reviewed on two outcomes that map to the same \
    national outcome counts twice there, so rows do not add up to a number of people.";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Level {
    Service,
    Organisation,
    Partnership,
    National,
}

impl Level {
    pub const ALL: [Level; 4] = [
        Level::Service,
        Level::Organisation,
        Level::Partnership,
        Level::National,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Level::Service => "service",
            Level::Organisation => "organisation",
            Level::Partnership => "partnership",
            Level::National => "national",
        }
    }

    /// `service`, `organisation` (or `organization`), `partnership` or `national`.
    pub fn parse(s: &str) -> Result<Level, String> {
        match s.trim().to_lowercase().as_str() {
            "service" => Ok(Level::Service),
            "organisation" | "organization" => Ok(Level::Organisation),
            "partnership" => Ok(Level::Partnership),
            "national" => Ok(Level::National),
            _ => Err(format!(
                "level `{s}` is not known; use service, organisation, partnership or national"
            )),
        }
    }

    /// What one unit of the level is called (national reports are per partnership).
    pub fn unit_noun(&self) -> &'static str {
        match self {
            Level::Service => "service",
            Level::Organisation => "organisation",
            Level::Partnership | Level::National => "partnership",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A percentage to one decimal place, rounded half away from zero, computed in whole
/// numbers so that 1/16 is 6.3 (not 6.2 from binary rounding); `None` when `den` is 0.
pub fn pct_1dp(num: u64, den: u64) -> Option<f64> {
    if den == 0 {
        return None;
    }
    let (n, d) = (u128::from(num), u128::from(den));
    let tenths = (n * 2000 + d) / (2 * d);
    Some(tenths as f64 / 10.0)
}

/// The counts for one outcome in one unit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub people_planned: u64,
    pub reviewed: u64,
    pub met: u64,
    pub partly_met: u64,
    pub not_met: u64,
    pub no_longer_relevant: u64,
}

impl Counts {
    /// met / (met + partly met + not met) × 100, one decimal; `None` with no such reviews.
    pub fn met_pct(&self) -> Option<f64> {
        pct_1dp(self.met, self.rated())
    }

    /// met + partly met + not met: the reviews `met_pct` is a share of.
    pub fn rated(&self) -> u64 {
        self.met + self.partly_met + self.not_met
    }
}

impl AddAssign<&Counts> for Counts {
    fn add_assign(&mut self, o: &Counts) {
        self.people_planned += o.people_planned;
        self.reviewed += o.reviewed;
        self.met += o.met;
        self.partly_met += o.partly_met;
        self.not_met += o.not_met;
        self.no_longer_relevant += o.no_longer_relevant;
    }
}

/// One outcome (or, at the national level, one national outcome) in a unit's report.
#[derive(Clone, Debug, PartialEq)]
pub struct OutcomeRow {
    /// The framework the outcome is in (`adult`, `carer`), or `national`.
    pub framework: String,
    /// The framework outcome id, or at the national level the national outcome number.
    pub outcome_id: String,
    /// The outcome's label, or at the national level the national outcome's text.
    pub label: String,
    /// The category's label (`National outcome` at the national level).
    pub category: String,
    /// The national outcomes the forms map the outcome to (the number itself at the
    /// national level).
    pub national: Vec<u8>,
    pub counts: Counts,
    /// Barrier vocabulary ids named in the counted reviews, most often named first (ties
    /// in vocabulary order). Label them with `forms.vocab.label(Vocab::Barriers, id)`.
    pub barriers: Vec<(String, u64)>,
    /// Contributor vocabulary ids (who helped) in the counted reviews, ordered likewise.
    pub contributors: Vec<(String, u64)>,
}

/// A local measure in the spirit of the Community Care Outcomes Framework (seed 001).
#[derive(Clone, Debug, PartialEq)]
pub struct Measure {
    pub id: String,
    pub label: String,
    pub numerator: u64,
    pub denominator: u64,
    /// How it was computed, in one sentence, for the report to print.
    pub how: String,
    /// For measures made from outcome rows, the counts of each row it was made from, so
    /// disclosure control can suppress it consistently with those rows; empty otherwise.
    pub parts: Vec<Counts>,
    /// For those measures, the rows (indices into a non-national report's rows) `parts`
    /// come from, so disclosure control can relate the measure to the row cells.
    pub rows: Vec<usize>,
}

impl Measure {
    /// numerator / denominator × 100, one decimal; `None` when the denominator is 0.
    pub fn pct(&self) -> Option<f64> {
        pct_1dp(self.numerator, self.denominator)
    }
}

/// The roll-up of one unit (one service, organisation or partnership; at the national
/// level, one partnership's national view) for one period.
#[derive(Clone, Debug, PartialEq)]
pub struct UnitReport {
    pub level: Level,
    pub unit: String,
    pub period: Period,
    /// The date overdue reviews are counted at: the earlier of today and the period's end.
    pub as_of: NaiveDate,
    /// People in the unit (whatever their records).
    pub people: u64,
    /// Framework outcomes (adult framework then carer framework, in form order) or, at
    /// the national level, the national outcomes in number order.
    pub rows: Vec<OutcomeRow>,
    /// People with a review overdue: see [`OVERDUE_HOW`].
    pub overdue_reviews: u64,
    /// Plans whose agreed review date falls within the period: see [`ON_TIME_HOW`].
    pub plans_due: u64,
    /// Of `plans_due`, those reviewed on or before the agreed date.
    pub plans_reviewed_on_time: u64,
    pub measures: Vec<Measure>,
    /// Sentences a report should print with the numbers (the national double-counting
    /// note; records the roll-up could not place).
    pub notes: Vec<String>,
}

impl UnitReport {
    /// The share of plans reviewed by their agreed date, one decimal.
    pub fn plans_on_time_pct(&self) -> Option<f64> {
        pct_1dp(self.plans_reviewed_on_time, self.plans_due)
    }
}
