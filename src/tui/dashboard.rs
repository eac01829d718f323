//! The team lead's dashboard: how personal outcomes are being met across a unit, with
//! the cells that a published report would suppress marked, and the stories behind a
//! number a keypress away (pseudonymous keys, never names).

use crate::domain::{Conversation, Id, Service, StageBody};
use crate::forms::{Forms, Vocab};
use crate::rollup::maintain::roll_up_kept;
use crate::rollup::{Level, Period, SuppressedReport, UnitReport};
use crate::store::Store;
use crate::store::scoped::ScopedReader;
use chrono::NaiveDate;
use std::collections::HashMap;

/// Which selector or list has the focus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    Level,
    Unit,
    Period,
    Outcomes,
}

/// One person's words behind a number.
#[derive(Clone, Debug, PartialEq)]
pub struct Story {
    pub key: String,
    pub date: NaiveDate,
    /// The framework outcome the review was about.
    pub outcome: String,
    pub status: String,
    pub own_words: String,
    pub helped: String,
    pub hindered: String,
}

#[derive(Debug)]
pub struct Dashboard {
    pub level: Level,
    pub units: Vec<String>,
    pub unit: usize,
    pub periods: Vec<Period>,
    pub period: usize,
    pub part: Part,
    pub selected: usize,
    pub report: Option<UnitReport>,
    pub published: Option<SuppressedReport>,
    pub error: Option<String>,
    /// The stories behind the selected outcome, when open.
    pub stories: Option<(String, Vec<Story>)>,
    pub story_scroll: u16,
    /// What the numbers and stories are read from, opened when the dashboard opens.
    pub data: Data,
    /// The marks show only the small counts: what else a published report would hide
    /// is still being worked out.
    pub marks_pending: bool,
}

/// What the dashboard reads: a little when it opens (services, the span of dates), then
/// each period's per-service totals when it is first shown (kept totals of an ended
/// year or quarter; the compact roll-up inputs of one still running), and the words
/// behind a number only when asked for.
#[derive(Default)]
pub struct Data {
    pub services: Vec<Service>,
    pub secret: Vec<u8>,
    /// The first and last conversation dates.
    pub span: Option<(NaiveDate, NaiveDate)>,
    /// Read-only: the dashboard cannot write to the store.
    pub reader: Option<ScopedReader>,
    /// Each period shown so far: its per-service totals, the conversations of no known
    /// person, and its tables protected together as a published report would hide them.
    pub periods: HashMap<Period, PeriodTotals>,
}

impl std::fmt::Debug for Data {
    // Sizes only: a debug line never carries a name or a person's words.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Data")
            .field("services", &self.services.len())
            .field("periods", &self.periods.len())
            .finish_non_exhaustive()
    }
}

impl Data {
    /// What the dashboard needs to open (no record of a person is read).
    pub fn load(store: &Store) -> crate::store::Result<Data> {
        let reader = store.scoped()?;
        Ok(Data {
            services: store.services()?,
            secret: store.secret()?,
            span: reader.date_span()?,
            reader: Some(reader),
            periods: HashMap::new(),
        })
    }
}

pub use super::dashboard_load::{PeriodTotals, THRESHOLD};

/// Financial years and quarters covering the data, in time order (each year before its
/// quarters), so ← is earlier and → later.
pub fn periods(span: Option<(NaiveDate, NaiveDate)>, today: NaiveDate) -> Vec<Period> {
    let (first, last) = span.unwrap_or((today, today));
    let fy = |d: NaiveDate| Period::parse(&crate::rollup::financial_year(d)).ok();
    let mut out = Vec::new();
    let (Some(Period::Year(a)), Some(Period::Year(b))) = (fy(first), fy(last)) else {
        return out;
    };
    for y in a..=b {
        out.push(Period::Year(y));
        for q in 1..=4 {
            out.push(Period::Quarter(y, q));
        }
    }
    out
}

fn units(level: Level, services: &[Service]) -> Vec<String> {
    let mut v: Vec<String> = services
        .iter()
        .map(|s| match level {
            Level::Service => s.name.clone(),
            Level::Organisation => s.organisation.clone(),
            Level::Partnership | Level::National => s.partnership.clone(),
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

impl Dashboard {
    pub fn new(mut data: Data, forms: &Forms, today: NaiveDate) -> Dashboard {
        let periods = periods(data.span, today);
        // Start on the latest complete financial year with data.
        let period = periods
            .iter()
            .rposition(|p| matches!(p, Period::Year(_)) && p.end() < today)
            .unwrap_or(periods.len().saturating_sub(1));
        let mut d = Dashboard {
            level: Level::Service,
            units: units(Level::Service, &data.services),
            unit: 0,
            periods,
            period,
            part: Part::Outcomes,
            selected: 0,
            report: None,
            published: None,
            error: None,
            stories: None,
            story_scroll: 0,
            marks_pending: false,
            data: Data::default(),
        };
        d.compute(&mut data, forms, today);
        d.data = data;
        d
    }

    pub fn compute(&mut self, data: &mut Data, forms: &Forms, today: NaiveDate) {
        self.report = None;
        self.published = None;
        self.error = None;
        let (Some(unit), Some(period)) = (self.units.get(self.unit), self.periods.get(self.period))
        else {
            self.error = Some("There is nothing to show yet: no services or conversations.".into());
            return;
        };
        let services = &data.services;
        let Some(reader) = data.reader.as_ref() else {
            self.error = Some("There is nothing to show yet: no services or conversations.".into());
            return;
        };
        let pt = data.periods.entry(*period).or_insert_with(|| {
            let mut pt = PeriodTotals::start(reader, forms, services, *period, today);
            pt.wait(super::dashboard_load::PATIENCE);
            pt
        });
        pt.poll();
        let (totals, orphans) = match &pt.totals {
            Some(Ok((t, o))) => (t, *o),
            Some(Err(e)) => {
                self.error = Some(e.clone());
                return;
            }
            None => {
                self.error = Some(format!(
                    "Working out the numbers of {} from every person's records…",
                    period.label()
                ));
                return;
            }
        };
        match roll_up_kept(
            forms,
            services,
            totals,
            orphans,
            self.level,
            Some(unit),
            period,
            today,
        ) {
            Ok(mut r) if !r.is_empty() => {
                let mut r = r.remove(0);
                // The marks come from the whole period protected together, as a report
                // would publish it, not from this one table on its own; until that is
                // worked out, the small counts are marked.
                self.marks_pending = pt.protected.is_none();
                let mut p = match &pt.protected {
                    Some(Ok(prot)) => prot.publish(&r, false),
                    _ => crate::rollup::suppress(&r, THRESHOLD, false),
                };
                // Outcomes nobody in the unit has (a carers' centre has no adult rows)
                // would only push the ones that matter off a small screen.
                let keep: Vec<bool> = r
                    .rows
                    .iter()
                    .map(|row| row.counts.people_planned > 0 || row.counts.reviewed > 0)
                    .collect();
                if keep.iter().any(|k| *k) {
                    let mut i = 0;
                    r.rows.retain(|_| {
                        i += 1;
                        keep[i - 1]
                    });
                    let mut j = 0;
                    p.rows.retain(|_| {
                        j += 1;
                        keep[j - 1]
                    });
                }
                self.published = Some(p);
                self.selected = self.selected.min(r.rows.len().saturating_sub(1));
                self.report = Some(r);
            }
            Ok(_) => self.error = Some("Nothing to show for this unit.".into()),
            Err(e) => self.error = Some(e),
        }
    }

    /// ←/→ on a selector.
    pub fn step(&mut self, forward: bool, data: &mut Data, forms: &Forms, today: NaiveDate) {
        let cyc = |i: usize, n: usize| {
            if n == 0 {
                0
            } else if forward {
                (i + 1) % n
            } else {
                (i + n - 1) % n
            }
        };
        match self.part {
            Part::Level => {
                let i = Level::ALL
                    .iter()
                    .position(|l| *l == self.level)
                    .unwrap_or(0);
                self.level = Level::ALL[cyc(i, Level::ALL.len())];
                self.units = units(self.level, &data.services);
                self.unit = 0;
            }
            Part::Unit => self.unit = cyc(self.unit, self.units.len()),
            // Periods run in time order and stop at either end.
            Part::Period if forward && self.period + 1 < self.periods.len() => self.period += 1,
            Part::Period if !forward && self.period > 0 => self.period -= 1,
            Part::Period => return,
            Part::Outcomes => return,
        }
        self.selected = 0;
        self.compute(data, forms, today);
    }

    pub fn next_part(&mut self, forward: bool) {
        const ORDER: [Part; 4] = [Part::Level, Part::Unit, Part::Period, Part::Outcomes];
        let i = ORDER.iter().position(|p| *p == self.part).unwrap_or(0);
        self.part = ORDER[if forward { (i + 1) % 4 } else { (i + 3) % 4 }];
    }

    /// The stories behind the selected outcome: each person's latest review of it in
    /// the period, in the unit, with a pseudonymous key.
    pub fn open_stories(&mut self, data: &Data, forms: &Forms) {
        let (Some(r), Some(period)) = (&self.report, self.periods.get(self.period)) else {
            return;
        };
        let Some(row) = r.rows.get(self.selected) else {
            return;
        };
        let unit = self.units.get(self.unit).cloned().unwrap_or_default();
        let in_unit: Vec<Id> = data
            .services
            .iter()
            .filter(|s| {
                let name = match self.level {
                    Level::Service => s.name.as_str(),
                    Level::Organisation => s.organisation.as_str(),
                    _ => s.partnership.as_str(),
                };
                name == unit
            })
            .map(|s| s.id)
            .collect();
        // Only the unit's conversations in the period are read, and only those that
        // count tell a story.
        let read = match data.reader.as_ref() {
            Some(r) => r.unit_conversations(&in_unit, period.start(), period.end()),
            None => Ok(Vec::new()),
        };
        let conversations = match read {
            Ok(mut cs) => {
                cs.retain(Conversation::counts);
                cs
            }
            Err(e) => {
                self.error = Some(e.to_string());
                return;
            }
        };
        // The reviews behind a row are those the roll-up counts in it: matched by the
        // same rule (at the national level, every framework outcome mapped to it).
        let matcher = crate::rollup::rules::RowMatcher::new(forms);
        let mut latest: HashMap<(Id, String), Story> = HashMap::new();
        for c in &conversations {
            let StageBody::Review { outcomes } = &c.body else {
                continue;
            };
            for o in outcomes
                .iter()
                .filter(|o| matcher.counts_in(row, &c.form, &o.outcome))
            {
                let story = Story {
                    key: crate::export::person_key(&data.secret, &c.person)[..8].to_string(),
                    date: c.date,
                    outcome: forms
                        .framework(&c.form)
                        .and_then(|f| f.outcome(&o.outcome))
                        .map_or_else(|| o.outcome.clone(), |d| d.label.clone()),
                    status: forms
                        .vocab
                        .label(Vocab::ReviewStatus, &o.status)
                        .to_string(),
                    own_words: o.own_words.clone(),
                    helped: o.helped.clone(),
                    hindered: o.hindered.clone(),
                };
                let k = (c.person, format!("{}/{}", c.form, o.outcome));
                if latest.get(&k).is_none_or(|s| s.date <= c.date) {
                    latest.insert(k, story);
                }
            }
        }
        let mut stories: Vec<Story> = latest.into_values().collect();
        stories.sort_by(|a, b| b.date.cmp(&a.date).then(a.key.cmp(&b.key)));
        self.stories = Some((row.label.clone(), stories));
        self.story_scroll = 0;
    }
}
