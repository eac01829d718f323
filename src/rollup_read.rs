//! The roll-up of a level and period as reports and disclosure control need it, read
//! through the store's narrow interface: an ended financial year or quarter from kept
//! totals, anything else (a running period, a date range, other forms) from the
//! roll-up inputs. Both give the same reports as rolling up the records themselves.
//! Disclosure protection reads the same way the totals of every period protected with
//! this one (a financial year and its quarters).

use crate::domain::Service;
use crate::forms::Forms;
use crate::rollup::maintain::{
    PeriodTotals, PersonInputs, TotalsBuilder, protect_kept, roll_up_kept, totals_from,
};
use crate::rollup::{Level, Period, Protected, UnitReport, protect_period, roll_up};
use crate::store::StoreError;
use crate::store::kept::KeptTotals;
use crate::store::records::{Records, RollupInputs};
use crate::store::scoped::ScopedReader;
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
/// level protected together at `threshold`; `audit` keeps the protection's model for
/// [`Protected::audit`] (otherwise kept marks may publish without it).
#[allow(clippy::too_many_arguments)]
pub fn rolled_up(
    records: &dyn Records,
    forms: &Forms,
    level: Level,
    unit: Option<&str>,
    period: &Period,
    today: NaiveDate,
    threshold: u64,
    audit: bool,
) -> Result<RolledUp, String> {
    let services = records.services().map_err(|e| e.to_string())?;
    let (linked, kept, was_kept) = linked_totals(records, forms, period, today)?;
    let index = linked.iter().position(|p| p == period).unwrap_or(0);
    let Some((totals, orphans)) = kept.get(index) else {
        return Err("the totals of the period could not be read".into());
    };
    let reports = roll_up_kept(
        forms, &services, totals, *orphans, level, unit, period, today,
    )?;
    let totals_of = |p: &Period| {
        let i = linked.iter().position(|x| x == p)?;
        kept.get(i).cloned()
    };
    let protected = protect_kept(
        forms,
        &services,
        &totals_of,
        period,
        today,
        threshold,
        records.protection_cache(),
        audit,
    )?;
    Ok(RolledUp {
        services,
        reports,
        protected,
        source: if was_kept.get(index).copied().unwrap_or(false) {
            Source::KeptTotals
        } else {
            Source::Inputs
        },
    })
}

/// What a period's per-service totals are read from: the store, or reads held apart
/// from it.
pub trait TotalsSource {
    fn kept_totals(&self, period: &Period, forms: &Forms)
    -> Result<Option<KeptTotals>, StoreError>;
    fn each_rollup_input(&self, f: &mut dyn FnMut(&PersonInputs)) -> Result<bool, StoreError>;
    fn rollup_inputs(&self) -> Result<RollupInputs, StoreError>;
}

impl<T: Records + ?Sized> TotalsSource for T {
    fn kept_totals(
        &self,
        period: &Period,
        forms: &Forms,
    ) -> Result<Option<KeptTotals>, StoreError> {
        Records::kept_totals(self, period, forms)
    }
    fn each_rollup_input(&self, f: &mut dyn FnMut(&PersonInputs)) -> Result<bool, StoreError> {
        Records::each_rollup_input(self, f)
    }
    fn rollup_inputs(&self) -> Result<RollupInputs, StoreError> {
        Records::rollup_inputs(self)
    }
}

impl TotalsSource for ScopedReader {
    fn kept_totals(
        &self,
        period: &Period,
        forms: &Forms,
    ) -> Result<Option<KeptTotals>, StoreError> {
        ScopedReader::kept_totals(self, period, forms)
    }
    fn each_rollup_input(&self, f: &mut dyn FnMut(&PersonInputs)) -> Result<bool, StoreError> {
        ScopedReader::each_rollup_input(self, f)
    }
    fn rollup_inputs(&self) -> Result<RollupInputs, StoreError> {
        ScopedReader::rollup_inputs(self)
    }
}

/// The totals of `period` and of every period protected with it (a financial year and
/// its quarters), in [`crate::rollup::linked_periods`] order, with whether each was
/// kept: kept totals of an ended year or quarter, the rest from one walk over every
/// person's roll-up inputs.
#[allow(clippy::type_complexity)]
pub fn linked_totals<S: TotalsSource + ?Sized>(
    src: &S,
    forms: &Forms,
    period: &Period,
    today: NaiveDate,
) -> Result<(Vec<Period>, Vec<PeriodTotals>, Vec<bool>), String> {
    let err = |e: StoreError| e.to_string();
    let linked = crate::rollup::linked_periods(period);
    let mut kept: Vec<Option<PeriodTotals>> = Vec::with_capacity(linked.len());
    for p in &linked {
        let k = if p.end() < today {
            src.kept_totals(p, forms).map_err(err)?
        } else {
            None
        };
        kept.push(k.map(|k| (k.totals, k.orphans)));
    }
    let was_kept: Vec<bool> = kept.iter().map(Option::is_some).collect();
    let missing: Vec<usize> = (0..linked.len())
        .filter(|&i| kept.get(i).is_some_and(Option::is_none))
        .collect();
    if !missing.is_empty() {
        let mut builders = Vec::with_capacity(missing.len());
        for &i in &missing {
            if let Some(p) = linked.get(i) {
                builders.push(TotalsBuilder::new(forms, p, today)?);
            }
        }
        let walked = src
            .each_rollup_input(&mut |input| {
                for b in builders.iter_mut() {
                    b.add(input);
                }
            })
            .map_err(err)?;
        if walked {
            for (&i, b) in missing.iter().zip(builders) {
                if let Some(slot) = kept.get_mut(i) {
                    *slot = Some((b.finish(), 0));
                }
            }
        } else {
            let inputs = src.rollup_inputs().map_err(err)?;
            for &i in &missing {
                if let (Some(p), Some(slot)) = (linked.get(i), kept.get_mut(i)) {
                    *slot = Some(totals_from(
                        forms,
                        &inputs.people,
                        &inputs.conversations,
                        p,
                        today,
                    )?);
                }
            }
        }
    }
    let kept: Option<Vec<PeriodTotals>> = kept.into_iter().collect();
    let kept = kept.ok_or_else(|| "the totals of a linked period could not be read".to_string())?;
    Ok((linked, kept, was_kept))
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
