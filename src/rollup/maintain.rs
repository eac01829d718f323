//! Totals kept up to date as records are saved. Every unit's totals are a plain sum of
//! independent per-person contributions (see the module documentation), so the store
//! keeps, per service and financial year or quarter, the sum of its people's
//! contributions, and on every change re-derives the changed person's contribution from
//! that person's records with the same walk and tally the full roll-up uses
//! ([`summarise`], [`Tally::add`]): a rule changed there changes both paths alike.
//!
//! # What is exact
//! A person's contribution to a period depends on today only through overdue reviews
//! and plans due, and only while the period has not ended: once today is past the
//! period's end, "before today" holds for every date in it. So totals are kept as they
//! stand after the period's end, and used only for periods that have ended; a period
//! still running (or a date range) is rolled up from the compact per-person inputs
//! ([`person_input`], [`conversation_input`]) instead. "Latest review in the period" is
//! not additive across quarters, so a year is kept as its own total, never summed from
//! its quarters.

use super::engine::{self, Dates, FastMap, Layout, Scratch, Tally, Units, summarise};
use super::protect::Protected;
use super::{Level, Period, UnitReport};
use crate::domain::{Conversation, Id, Person, Service, StageBody};
use crate::forms::Forms;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What the roll-up reads of a person: the record without name, date of birth or
/// links to others (whatever else the record carries is kept, so a field that comes to
/// matter to a counting rule is there).
pub fn person_input(p: &Person) -> Person {
    let mut p = p.clone();
    p.name.clear();
    p.dob = None;
    p.cares_for = None;
    p
}

/// What the roll-up reads of a conversation: the record without any free text (the
/// person's words, statements, actions, who was there). Vocabulary ids (status, next
/// step, barriers, contributors) and dates stay; so does any other field, for the same
/// reason as in [`person_input`].
pub fn conversation_input(c: &Conversation) -> Conversation {
    into_conversation_input(c.clone())
}

/// [`conversation_input`] of a record that is not needed whole afterwards.
pub fn into_conversation_input(mut c: Conversation) -> Conversation {
    c.practitioner.clear();
    c.participants.clear();
    match &mut c.body {
        StageBody::Assessment { outcomes } => {
            for o in outcomes {
                o.own_words.clear();
                o.why.clear();
                o.strengths.clear();
                o.resources.clear();
            }
        }
        StageBody::Planning { outcomes, .. } => {
            for o in outcomes {
                o.statement.clear();
                o.actions.clear();
            }
        }
        StageBody::Review { outcomes } => {
            for o in outcomes {
                o.helped.clear();
                o.hindered.clear();
                o.own_words.clear();
            }
        }
    }
    c
}

/// One person's roll-up inputs: [`person_input`] and their [`conversation_input`]s in
/// (date, id) order, the order the walk needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonInputs {
    pub person: Person,
    pub conversations: Vec<Conversation>,
}

impl PersonInputs {
    pub fn new(person: &Person, conversations: &[Conversation]) -> PersonInputs {
        PersonInputs::of_inputs(
            person,
            conversations.iter().map(conversation_input).collect(),
        )
    }

    /// From conversations already reduced to their [`conversation_input`]s.
    pub fn of_inputs(person: &Person, mut conversations: Vec<Conversation>) -> PersonInputs {
        conversations.sort_by_key(|c| (c.date, c.id));
        PersonInputs {
            person: person_input(person),
            conversations,
        }
    }

    /// Puts a conversation in (replacing the one with its id), keeping the order.
    pub fn put(&mut self, c: &Conversation) {
        self.conversations.retain(|x| x.id != c.id);
        let c = conversation_input(c);
        let at = self
            .conversations
            .partition_point(|x| (x.date, x.id) < (c.date, c.id));
        self.conversations.insert(at, c);
    }
}

/// One outcome row's part of a [`Totals`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowTotals {
    /// people planned, reviewed, met, partly met, not met, no longer relevant.
    pub counts: [u64; 6],
    pub barriers: BTreeMap<String, u64>,
    pub contributors: BTreeMap<String, u64>,
}

/// A service's totals for one period, or one person's part of them. Sums and
/// differences wrap, so a change applied as (new − old) is exact in any order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub people: u64,
    /// By row of the forms' layout; rows with nothing are left out.
    pub rows: BTreeMap<u32, RowTotals>,
    pub overdue: u64,
    pub plans_due: u64,
    pub plans_on_time: u64,
    pub carers_rated: u64,
    pub carers_all_met: u64,
    pub other_status: u64,
    /// Uncounted statuses, with how many people named each.
    pub other_names: BTreeMap<String, u64>,
}

fn add_map(into: &mut BTreeMap<String, u64>, from: &BTreeMap<String, u64>, sub: bool) {
    for (k, n) in from {
        let e = into.entry(k.clone()).or_insert(0);
        *e = if sub {
            e.wrapping_sub(*n)
        } else {
            e.wrapping_add(*n)
        };
        if *e == 0 {
            into.remove(k);
        }
    }
}

impl Totals {
    /// Adds (or, with `sub`, takes away) another total.
    pub fn apply(&mut self, o: &Totals, sub: bool) {
        let f = |a: &mut u64, b: u64| {
            *a = if sub {
                a.wrapping_sub(b)
            } else {
                a.wrapping_add(b)
            }
        };
        f(&mut self.people, o.people);
        f(&mut self.overdue, o.overdue);
        f(&mut self.plans_due, o.plans_due);
        f(&mut self.plans_on_time, o.plans_on_time);
        f(&mut self.carers_rated, o.carers_rated);
        f(&mut self.carers_all_met, o.carers_all_met);
        f(&mut self.other_status, o.other_status);
        add_map(&mut self.other_names, &o.other_names, sub);
        for (r, row) in &o.rows {
            let mine = self.rows.entry(*r).or_default();
            for (a, b) in mine.counts.iter_mut().zip(row.counts) {
                f(a, b);
            }
            add_map(&mut mine.barriers, &row.barriers, sub);
            add_map(&mut mine.contributors, &row.contributors, sub);
            if *mine == RowTotals::default() {
                self.rows.remove(r);
            }
        }
    }

    pub fn is_zero(&self) -> bool {
        *self == Totals::default()
    }

    fn of_tally(t: &Tally<'_>) -> Totals {
        let mut rows = BTreeMap::new();
        for (i, r) in t.rows.iter().enumerate() {
            let c = &r.counts;
            let counts = [
                c.people_planned,
                c.reviewed,
                c.met,
                c.partly_met,
                c.not_met,
                c.no_longer_relevant,
            ];
            let own = |m: &FastMap<&str, u64>| -> BTreeMap<String, u64> {
                m.iter().map(|(k, n)| (k.to_string(), *n)).collect()
            };
            let row = RowTotals {
                counts,
                barriers: own(&r.barriers),
                contributors: own(&r.contributors),
            };
            if row != RowTotals::default() {
                rows.insert(i as u32, row);
            }
        }
        Totals {
            people: t.people,
            rows,
            overdue: t.overdue,
            plans_due: t.plans_due,
            plans_on_time: t.plans_on_time,
            carers_rated: t.carers_rated,
            carers_all_met: t.carers_all_met,
            other_status: t.other_status,
            other_names: t.other_names.iter().map(|n| (n.to_string(), 1)).collect(),
        }
    }
}

fn absorb<'a>(t: &mut Tally<'a>, o: &'a Totals) {
    t.people += o.people;
    t.overdue += o.overdue;
    t.plans_due += o.plans_due;
    t.plans_on_time += o.plans_on_time;
    t.carers_rated += o.carers_rated;
    t.carers_all_met += o.carers_all_met;
    t.other_status += o.other_status;
    t.other_names.extend(
        o.other_names
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(k, _)| k.as_str()),
    );
    for (r, row) in &o.rows {
        let Some(mine) = t.rows.get_mut(*r as usize) else {
            continue;
        };
        let c = &mut mine.counts;
        let [pp, rv, met, pm, nm, nlr] = row.counts;
        c.people_planned += pp;
        c.reviewed += rv;
        c.met += met;
        c.partly_met += pm;
        c.not_met += nm;
        c.no_longer_relevant += nlr;
        for (k, n) in &row.barriers {
            *mine.barriers.entry(k.as_str()).or_insert(0) += n;
        }
        for (k, n) in &row.contributors {
            *mine.contributors.entry(k.as_str()).or_insert(0) += n;
        }
    }
}

/// Bumped whenever a counting rule changes what a person contributes, so totals kept
/// under an earlier rule are recomputed on open rather than read.
const RULES: &[u8] =
    b"rules 3: a plan is reviewed once every outcome it named is, by reviews recorded after it";

/// The forms' outcome layout and the counting rules, as a fingerprint: totals kept
/// under one layout and rules are read only under the same ones.
pub fn layout_fingerprint(forms: &Forms) -> String {
    let layout = Layout::new(forms);
    let mut h = blake3::Hasher::new();
    h.update(RULES);
    for r in &layout.rows {
        h.update(r.framework.id.as_bytes());
        h.update(b"\0");
        h.update(r.outcome.id.as_bytes());
        h.update(if r.caring_role { b"\x01" } else { b"\x00" });
    }
    h.finalize().to_hex()[..16].to_string()
}

/// The periods totals are kept for: every financial year from the one holding `first`
/// to the one holding `last`, each with its four quarters.
pub fn periods_between(first: NaiveDate, last: NaiveDate) -> Vec<Period> {
    let mut out = Vec::new();
    let mut y = Period::year_of(first);
    while y.start() <= last {
        out.push(y);
        let mut q = Period::quarter_of(y.start());
        while q.end() <= y.end() {
            out.push(q);
            match q.end().succ_opt() {
                Some(d) => q = Period::quarter_of(d),
                None => break,
            }
        }
        match y.end().succ_opt() {
            Some(d) => y = Period::year_of(d),
            None => break,
        }
    }
    out
}

/// Works out people's contributions to kept periods, reusing its buffers.
pub struct Contributions<'f> {
    layout: Layout<'f>,
}

impl<'f> Contributions<'f> {
    pub fn new(forms: &'f Forms) -> Contributions<'f> {
        Contributions {
            layout: Layout::new(forms),
        }
    }

    /// One person's contribution to `period` as it stands once the period has ended.
    pub fn of(&self, p: &PersonInputs, period: &Period) -> Totals {
        let end = period.end();
        let after = end.succ_opt().unwrap_or(end);
        match Dates::of(period, after) {
            Ok(dates) => self.at(p, dates),
            Err(_) => Totals::default(),
        }
    }

    fn at(&self, p: &PersonInputs, dates: Dates) -> Totals {
        let end = dates.end;
        if p.conversations.first().is_none_or(|c| c.date > end) {
            // Nothing recorded by the period's end: the person only counts as one.
            return Totals {
                people: 1,
                ..Totals::default()
            };
        }
        let n = self.layout.rows.len();
        let mut scratch = Scratch::new(n);
        let convs: Vec<&Conversation> = p.conversations.iter().collect();
        let summary = summarise(&self.layout, &convs, dates, &mut scratch);
        let mut t = Tally::new(n);
        t.people = 1;
        t.add(&self.layout, &summary);
        Totals::of_tally(&t)
    }
}

/// Per-service totals of any period judged on `today`, added up one person's inputs at
/// a time (so the inputs need not all be held at once).
pub struct TotalsBuilder<'f> {
    contributions: Contributions<'f>,
    dates: Dates,
    totals: BTreeMap<Id, Totals>,
}

impl<'f> TotalsBuilder<'f> {
    pub fn new(forms: &'f Forms, period: &Period, today: NaiveDate) -> Result<Self, String> {
        Ok(TotalsBuilder {
            contributions: Contributions::new(forms),
            dates: Dates::of(period, today)?,
            totals: BTreeMap::new(),
        })
    }

    /// Adds one person, whose conversations must be in (date, id) order.
    pub fn add(&mut self, p: &PersonInputs) {
        let t = self.contributions.at(p, self.dates);
        self.totals
            .entry(p.person.service)
            .or_default()
            .apply(&t, false);
    }

    pub fn finish(self) -> Vec<(Id, Totals)> {
        self.totals.into_iter().collect()
    }
}

/// Per-service totals of any period judged on `today`, worked out from people and
/// conversations (one walk per person), with the number of conversations of no known
/// person: what [`roll_up_kept`] and [`protect_kept`] read for a period that is not kept.
pub fn totals_from(
    forms: &Forms,
    people: &[Person],
    conversations: &[Conversation],
    period: &Period,
    today: NaiveDate,
) -> Result<(Vec<(Id, Totals)>, u64), String> {
    let mut builder = TotalsBuilder::new(forms, period, today)?;
    let mut mine: FastMap<Id, Vec<&Conversation>> = FastMap::default();
    for c in conversations {
        mine.entry(c.person).or_default().push(c);
    }
    let mut seen: FastMap<Id, ()> = FastMap::default();
    for p in people {
        if seen.insert(p.id, ()).is_some() {
            continue;
        }
        let convs: Vec<Conversation> = mine
            .remove(&p.id)
            .unwrap_or_default()
            .into_iter()
            .cloned()
            .collect();
        builder.add(&PersonInputs::new(p, &convs));
    }
    let orphans = mine.values().map(|v| v.len() as u64).sum();
    Ok((builder.finish(), orphans))
}

/// The roll-up of a period from per-service totals (kept ones of an ended period, or
/// [`totals_from`]): the same reports [`super::roll_up`] gives from the records.
/// `orphans` counts conversations of no known person; `today` is as for `roll_up`.
#[allow(clippy::too_many_arguments)]
pub fn roll_up_kept(
    forms: &Forms,
    services: &[Service],
    totals: &[(Id, Totals)],
    orphans: u64,
    level: Level,
    unit: Option<&str>,
    period: &Period,
    today: NaiveDate,
) -> Result<Vec<UnitReport>, String> {
    let dates = Dates::of(period, today)?;
    let layout = Layout::new(forms);
    let units = Units::new(services, level, unit)?;
    let mut tallies: Vec<Tally> = units
        .names
        .iter()
        .map(|_| Tally::new(layout.rows.len()))
        .collect();
    let mut no_service = 0;
    for (sid, t) in totals {
        if !units.known.contains(sid) {
            no_service += t.people;
        }
        if let Some(tally) = units.of_service.get(sid).and_then(|u| tallies.get_mut(*u)) {
            absorb(tally, t);
        }
    }
    Ok(engine::reports(
        forms,
        &layout,
        level,
        period,
        dates.as_of,
        &units.names,
        &tallies,
        (no_service, orphans),
    ))
}

/// A period's per-service totals and its count of conversations of no known person.
pub type PeriodTotals = (Vec<(Id, Totals)>, u64);

/// Disclosure protection of a period from per-service totals: the tables
/// [`super::protect_period`] protects, made by [`roll_up_kept`] instead of from the
/// records, then protected by the same code. `totals_of` gives the totals (and
/// orphans) of each period linked to `period`. Unless `whole` is asked for (an audit
/// needs the model), kept marks of the very same tables are used when there are some.
#[allow(clippy::too_many_arguments)]
pub fn protect_kept(
    forms: &Forms,
    services: &[Service],
    totals_of: &dyn Fn(&Period) -> Option<PeriodTotals>,
    period: &Period,
    today: NaiveDate,
    threshold: u64,
    cache: Option<&dyn super::protect_cache::ProtectionCache>,
    whole: bool,
) -> Result<Protected, String> {
    let missing = || "the totals of a linked period are missing".to_string();
    let kept = match cache {
        Some(cache) => {
            // Everything the linked tables are made from, for the key of their marks.
            let mut inputs = Vec::new();
            for p in super::nested::linked(period) {
                let (totals, orphans) = totals_of(&p).ok_or_else(missing)?;
                let as_of = Dates::of(&p, today)?.as_of;
                inputs.push((p.label(), as_of, orphans, totals));
            }
            Some(super::protect::Kept {
                cache,
                marks_key: super::marks::key(threshold, &(forms, services, &inputs)),
                whole,
            })
        }
        None => None,
    };
    super::protect::protect_linked_kept(
        services,
        threshold,
        period,
        |units, level, p| {
            let (totals, orphans) = totals_of(p).ok_or_else(missing)?;
            roll_up_kept(forms, units, &totals, orphans, level, None, p, today)
        },
        kept,
    )
}
