//! The roll-up of a level and period as reports and disclosure control need it, read
//! through the store's narrow interface: an ended financial year or quarter from kept
//! totals, anything else (a running period, a date range, other forms) from the
//! roll-up inputs. Both give the same reports as rolling up the records themselves.

use crate::domain::Service;
use crate::forms::Forms;
use crate::rollup::maintain::{TotalsBuilder, protect_kept, roll_up_kept, totals_from};
use crate::rollup::{Level, Period, Protected, UnitReport, protect_period, roll_up};
use crate::store::records::Records;
use chrono::NaiveDate;

/// Where a roll-up was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// Kept per-service totals of an ended year or quarter.
    KeptTotals,
    /// Every person's roll-up inputs.
    Inputs,
    /// Whole records (the full recompute).
    Records,
}

pub struct RolledUp {
    pub services: Vec<Service>,
    pub reports: Vec<UnitReport>,
    pub protected: Protected,
    pub source: Source,
}

/// Rolls up `level` (or one `unit` of it) for `period`, judged on `today`, with every
/// level protected together at `threshold`.
#[allow(clippy::too_many_arguments)]
pub fn rolled_up(
    records: &dyn Records,
    forms: &Forms,
    level: Level,
    unit: Option<&str>,
    period: &Period,
    today: NaiveDate,
    threshold: u64,
) -> Result<RolledUp, String> {
    let err = |e: crate::store::StoreError| e.to_string();
    let services = records.services().map_err(err)?;
    if period.end() < today
        && let Some(k) = records.kept_totals(period, forms).map_err(err)?
    {
        let reports = roll_up_kept(
            forms, &services, &k.totals, k.orphans, level, unit, period, today,
        )?;
        let protected = protect_kept(
            forms, &services, &k.totals, k.orphans, period, today, threshold,
        )?;
        return Ok(RolledUp {
            services,
            reports,
            protected,
            source: Source::KeptTotals,
        });
    }
    // Any other period: one walk per person gives per-service totals, which every
    // level and disclosure protection then read like kept ones.
    let mut builder = TotalsBuilder::new(forms, period, today)?;
    let (totals, orphans) = if records
        .each_rollup_input(&mut |i| builder.add(i))
        .map_err(err)?
    {
        (builder.finish(), 0)
    } else {
        let inputs = records.rollup_inputs().map_err(err)?;
        totals_from(forms, &inputs.people, &inputs.conversations, period, today)?
    };
    let reports = roll_up_kept(
        forms, &services, &totals, orphans, level, unit, period, today,
    )?;
    let protected = protect_kept(forms, &services, &totals, orphans, period, today, threshold)?;
    Ok(RolledUp {
        services,
        reports,
        protected,
        source: Source::Inputs,
    })
}

/// The full recompute: the same roll-up from people and conversations as given.
#[allow(clippy::too_many_arguments)]
pub fn rolled_up_from(
    forms: &Forms,
    services: Vec<Service>,
    people: &[crate::domain::Person],
    conversations: &[crate::domain::Conversation],
    level: Level,
    unit: Option<&str>,
    period: &Period,
    today: NaiveDate,
    threshold: u64,
) -> Result<RolledUp, String> {
    let reports = roll_up(
        forms,
        &services,
        people,
        conversations,
        level,
        unit,
        period,
        today,
    )?;
    let protected = protect_period(
        forms,
        &services,
        people,
        conversations,
        period,
        today,
        threshold,
    )?;
    Ok(RolledUp {
        services,
        reports,
        protected,
        source: Source::Records,
    })
}
