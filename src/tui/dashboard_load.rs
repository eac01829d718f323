//! Each period's numbers for the dashboard, read once and kept while it is open.
//!
//! An ended financial year or quarter reads the store's kept totals at once. A period
//! still running walks every person's compact roll-up inputs, and protecting a period's
//! tables together (which cells a published report would also hide) solves a linear
//! programme per suppressed cell; both take seconds on a large store, so they run on a
//! thread of their own while the screen shows what it has: the true counts with the
//! small counts marked until the protection arrives, or a line saying the period is
//! being worked out. [`super::app::App::tick`] picks up what a thread sent.

use crate::domain::Service;
use crate::forms::Forms;
use crate::rollup::maintain::protect_kept;
use crate::rollup::{Period, Protected};
use crate::rollup_read::linked_totals;
use crate::store::scoped::ScopedReader;
use chrono::NaiveDate;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

/// The threshold the dashboard marks against: the published reports' default.
pub const THRESHOLD: u64 = 5;

/// How long a newly shown period waits for its thread before showing what it has.
pub const PATIENCE: std::time::Duration = std::time::Duration::from_millis(25);

/// Per-service totals and the conversations of no known person, or why not.
pub type Read = Result<crate::rollup::maintain::PeriodTotals, String>;

enum Msg {
    Totals(Read),
    Protected(Box<Result<Protected, String>>),
}

/// One period's numbers, as far as they have been worked out.
pub struct PeriodTotals {
    /// Per-service totals and the conversations of no known person.
    pub totals: Option<Read>,
    /// The period's tables protected together (an error leaves the small counts marked).
    pub protected: Option<Result<Protected, String>>,
    rx: Option<Receiver<Msg>>,
}

impl PeriodTotals {
    /// Starts working out `period`: kept totals of an ended period are read here, the
    /// rest on a thread.
    pub fn start(
        reader: &ScopedReader,
        forms: &Forms,
        services: &[Service],
        period: Period,
        today: NaiveDate,
    ) -> PeriodTotals {
        let mut totals = None;
        if period.end() < today
            && let Ok(Some(k)) = reader.kept_totals(&period, forms)
        {
            totals = Some(Ok((k.totals, k.orphans)));
        }
        let (tx, rx) = channel();
        let (reader, forms, services) = (reader.clone(), forms.clone(), services.to_vec());
        let had = totals.is_some();
        std::thread::spawn(move || {
            // Protection covers the period and those protected with it (a financial
            // year and its quarters), as a published report's does.
            let (linked, kept) = match linked_totals(&reader, &forms, &period, today) {
                Ok((l, k, _)) => (l, k),
                Err(e) => {
                    if !had {
                        let _ = tx.send(Msg::Totals(Err(e)));
                    }
                    return;
                }
            };
            let totals_of = |p: &Period| {
                let i = linked.iter().position(|x| x == p)?;
                kept.get(i).cloned()
            };
            if !had {
                let own = totals_of(&period)
                    .ok_or_else(|| "the numbers of this period could not be worked out".into());
                let _ = tx.send(Msg::Totals(own));
            }
            let p = protect_kept(
                &forms,
                &services,
                &totals_of,
                &period,
                today,
                THRESHOLD,
                Some(&reader),
                false,
            );
            let _ = tx.send(Msg::Protected(Box::new(p)));
        });
        PeriodTotals {
            totals,
            protected: None,
            rx: Some(rx),
        }
    }

    /// Takes in what the thread has sent; whether anything arrived.
    pub fn poll(&mut self) -> bool {
        let mut changed = false;
        while let Some(rx) = &self.rx {
            match rx.try_recv() {
                Ok(Msg::Totals(t)) => {
                    self.totals = Some(t);
                    changed = true;
                }
                Ok(Msg::Protected(p)) => {
                    self.protected = Some(*p);
                    changed = true;
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    self.rx = None;
                    if self.totals.is_none() {
                        self.totals = Some(Err(
                            "the numbers of this period could not be worked out".into(),
                        ));
                        changed = true;
                    }
                }
            }
        }
        changed
    }

    /// Takes in what the thread sends until it is done or `patience` has passed (a
    /// small store's period is ready well within it, so it shows complete at once).
    pub fn wait(&mut self, patience: std::time::Duration) {
        let end = std::time::Instant::now() + patience;
        while let Some(rx) = &self.rx {
            let left = end.saturating_duration_since(std::time::Instant::now());
            match rx.recv_timeout(left) {
                Ok(Msg::Totals(t)) => self.totals = Some(t),
                Ok(Msg::Protected(p)) => self.protected = Some(*p),
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => break,
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                    self.poll();
                    break;
                }
            }
        }
    }

    /// Whether the thread is still working.
    pub fn pending(&self) -> bool {
        self.rx.is_some()
    }
}

impl super::app::App {
    /// Between keys: brings in what the dashboard's threads have worked out; whether
    /// the screen changed.
    pub fn tick(&mut self) -> bool {
        let (forms, today) = (&self.forms, self.today);
        let Some(super::app::Screen::Dashboard(d)) = self.stack.last_mut() else {
            return false;
        };
        let Some(period) = d.periods.get(d.period).copied() else {
            return false;
        };
        let mut data = std::mem::take(&mut d.data);
        let changed = data
            .periods
            .get_mut(&period)
            .is_some_and(PeriodTotals::poll);
        if changed {
            d.compute(&mut data, forms, today);
        }
        d.data = data;
        changed
    }

    /// Waits (up to `limit`) until the dashboard on screen has everything it is working
    /// out, taking it in: for a screen read by a test or a script, which must not
    /// depend on how busy the machine is.
    pub fn settle(&mut self, limit: std::time::Duration) {
        let end = std::time::Instant::now() + limit;
        loop {
            self.tick();
            let pending = match self.stack.last() {
                Some(super::app::Screen::Dashboard(d)) => d
                    .periods
                    .get(d.period)
                    .and_then(|p| d.data.periods.get(p))
                    .is_some_and(PeriodTotals::pending),
                _ => false,
            };
            if !pending || std::time::Instant::now() >= end {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }
}
