//! The counting itself: conversations filed under their person in one pass, one walk
//! over each person's conversations in (date, id) order, and per-unit tallies that are
//! plain sums of per-person summaries (see the module documentation for how that lets
//! totals be kept up to date on save).

use super::{Counts, Level, NATIONAL_NOTE, OutcomeRow, Period, UnitReport, measures};
use crate::domain::{Conversation, Id, Person, PersonKind, ReviewedOutcome, Service, StageBody};
use crate::forms::{Forms, Framework, OutcomeDef, Vocab};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// A fast multiply-rotate hasher (the Fx hash) for the roll-up's in-memory maps. Keys are
/// the store's own ids and vocabulary strings, not input an attacker chooses per lookup,
/// so SipHash's flooding resistance buys nothing here and costs a third of the run.
#[derive(Clone, Copy, Default)]
pub(super) struct FxHasher(u64);

impl FxHasher {
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            for (to, from) in b.iter_mut().zip(chunk) {
                *to = *from;
            }
            self.add(u64::from_le_bytes(b));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

pub(super) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;
type FastSet<K> = HashSet<K, BuildHasherDefault<FxHasher>>;

/// The carer framework category whose outcomes say whether a carer is supported to
/// continue caring (a local measure).
pub(super) const CARING_ROLE_CATEGORY: &str = "managing_caring_role";

/// The next step that ends a planned outcome.
const CLOSE: &str = "close";

// ------------------------------------------------------------------ the rows counted

/// One framework outcome the roll-up counts.
pub(super) struct RowDef<'f> {
    pub framework: &'f Framework,
    pub outcome: &'f OutcomeDef,
    pub category_label: &'f str,
    /// In the carer framework's "managing the caring role" category.
    pub caring_role: bool,
}

/// The framework outcomes in report order (adult framework, carer framework, then any
/// other, each in form order) and how to find one from a conversation.
pub(super) struct Layout<'f> {
    pub rows: Vec<RowDef<'f>>,
    by_form: Vec<(&'f str, FastMap<&'f str, usize>)>,
    /// Outcome id → first row with that id, for a conversation whose form is not known.
    any: FastMap<&'f str, usize>,
}

impl<'f> Layout<'f> {
    pub fn new(forms: &'f Forms) -> Layout<'f> {
        let mut fws: Vec<&Framework> = Vec::new();
        let preferred = [PersonKind::Adult, PersonKind::Carer]
            .into_iter()
            .filter_map(|k| forms.framework_for(k));
        for f in preferred.chain(forms.frameworks.iter()) {
            if !fws.iter().any(|g| g.id == f.id) {
                fws.push(f);
            }
        }
        let mut rows = Vec::new();
        let mut by_form = Vec::new();
        let mut any = FastMap::default();
        for f in fws {
            let mut ids = FastMap::default();
            for o in &f.outcomes {
                let r = rows.len();
                ids.entry(o.id.as_str()).or_insert(r);
                any.entry(o.id.as_str()).or_insert(r);
                rows.push(RowDef {
                    framework: f,
                    outcome: o,
                    category_label: f
                        .category(&o.category)
                        .map_or(o.category.as_str(), |c| c.label.as_str()),
                    caring_role: f.person_kind == PersonKind::Carer
                        && o.category == CARING_ROLE_CATEGORY,
                });
            }
            by_form.push((f.id.as_str(), ids));
        }
        Layout { rows, by_form, any }
    }

    /// The row for an outcome recorded against `form`: that framework's outcome, or the
    /// first framework outcome with the id when the form does not have it.
    pub fn row_of(&self, form: &str, outcome: &str) -> Option<usize> {
        self.by_form
            .iter()
            .find(|(id, _)| *id == form)
            .and_then(|(_, ids)| ids.get(outcome))
            .or_else(|| self.any.get(outcome))
            .copied()
    }
}

// ------------------------------------------------------------------ units

pub(super) struct Units {
    /// Display names, sorted by name without regard to case.
    pub names: Vec<String>,
    /// Service id → index into `names`, for services in a selected unit.
    pub of_service: FastMap<Id, usize>,
    /// Every service id in the store.
    pub known: FastSet<Id>,
}

pub(super) fn unit_name(level: Level, s: &Service) -> &str {
    let n = match level {
        Level::Service => &s.name,
        Level::Organisation => &s.organisation,
        Level::Partnership | Level::National => &s.partnership,
    };
    match n.trim() {
        "" => "(none)",
        t => t,
    }
}

impl Units {
    pub(super) fn new(
        services: &[Service],
        level: Level,
        unit: Option<&str>,
    ) -> Result<Units, String> {
        // Lower-cased name → the display name (the first in sort order when spellings
        // differ only in case).
        let mut by_key: BTreeMap<String, &str> = BTreeMap::new();
        for s in services {
            let name = unit_name(level, s);
            let e = by_key.entry(name.to_lowercase()).or_insert(name);
            if name < *e {
                *e = name;
            }
        }
        let keys: Vec<&String> = match unit {
            None => by_key.keys().collect(),
            Some(u) => {
                let want = u.trim().to_lowercase();
                match by_key.get_key_value(&want) {
                    Some((k, _)) => vec![k],
                    None => {
                        let noun = level.unit_noun();
                        return Err(if by_key.is_empty() {
                            format!("there is no {noun} called `{u}`, as no {noun}s are set up yet")
                        } else {
                            let list: Vec<&str> = by_key.values().copied().collect();
                            format!(
                                "there is no {noun} called `{u}`; the {noun}s are: {}",
                                list.join(", ")
                            )
                        });
                    }
                }
            }
        };
        let index: HashMap<&str, usize> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.as_str(), i))
            .collect();
        let names = keys
            .iter()
            .map(|k| by_key.get(*k).copied().unwrap_or(k.as_str()).to_string())
            .collect();
        let mut of_service = FastMap::default();
        let mut known = FastSet::default();
        for s in services {
            known.insert(s.id);
            if let Some(&u) = index.get(unit_name(level, s).to_lowercase().as_str()) {
                of_service.entry(s.id).or_insert(u);
            }
        }
        Ok(Units {
            names,
            of_service,
            known,
        })
    }
}

// ------------------------------------------------------------------ one person

/// What the roll-up knows of one person and one outcome at the end of the walk.
#[derive(Clone, Copy, Default)]
pub(super) struct OutcomeState<'a> {
    /// In a plan dated on or before the period's end and not closed before it started.
    pub planned: bool,
    /// The latest review of the outcome dated within the period.
    pub latest: Option<&'a ReviewedOutcome>,
}

/// One person's contribution to their unit's totals for one period. Totals are sums of
/// these, so a save can subtract a person's old summary and add the new one.
#[derive(Default)]
pub(super) struct PersonSummary<'a> {
    /// (row, state) for every outcome the person's records touch.
    pub outcomes: Vec<(usize, OutcomeState<'a>)>,
    pub overdue: bool,
    pub plans_due: u64,
    pub plans_on_time: u64,
}

/// The dates a walk compares against.
#[derive(Clone, Copy)]
pub(super) struct Dates {
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// The earlier of today and the period's end.
    pub as_of: NaiveDate,
    pub today: NaiveDate,
}

impl Dates {
    /// The dates of `period` judged on `today`; an error when the period ends before
    /// it starts.
    pub(super) fn of(period: &Period, today: NaiveDate) -> Result<Dates, String> {
        let (start, end) = (period.start(), period.end());
        if end < start {
            return Err(format!(
                "the period `{}` ends before it starts; put the earlier date first",
                period.label()
            ));
        }
        Ok(Dates {
            start,
            end,
            as_of: today.min(end),
            today,
        })
    }
}

/// Buffers reused from person to person.
pub(super) struct Scratch<'a> {
    state: Vec<OutcomeState<'a>>,
    touched: Vec<usize>,
    /// The person's reviews that count, in date order.
    reviews: Vec<&'a Conversation>,
    /// Plans due in the period, with their agreed review dates.
    due: Vec<(&'a Conversation, NaiveDate)>,
}

impl<'a> Scratch<'a> {
    pub(super) fn new(rows: usize) -> Scratch<'a> {
        Scratch {
            state: vec![OutcomeState::default(); rows],
            touched: Vec::new(),
            reviews: Vec::new(),
            due: Vec::new(),
        }
    }

    fn at(&mut self, row: usize) -> Option<&mut OutcomeState<'a>> {
        let s = self.state.get_mut(row)?;
        if !s.planned && s.latest.is_none() && !self.touched.contains(&row) {
            self.touched.push(row);
        }
        Some(s)
    }
}

/// Walks one person's conversations, which must be sorted by (date, id).
pub(super) fn summarise<'a>(
    layout: &Layout<'_>,
    convs: &[&'a Conversation],
    d: Dates,
    sc: &mut Scratch<'a>,
) -> PersonSummary<'a> {
    sc.touched.clear();
    sc.reviews.clear();
    sc.due.clear();
    let mut last_plan: Option<&Conversation> = None;
    for c in convs {
        if c.date > d.end {
            break;
        }
        // Kept totals come here straight from a person's records, so the rule of which
        // conversations count is applied here too.
        if !c.counts() {
            continue;
        }
        match &c.body {
            StageBody::Assessment { .. } => {}
            StageBody::Planning {
                review_by,
                outcomes,
            } => {
                for o in outcomes {
                    if let Some(s) = layout.row_of(&c.form, &o.outcome).and_then(|r| sc.at(r)) {
                        s.planned = true;
                    }
                }
                if c.date <= d.as_of {
                    last_plan = Some(c);
                }
                if let Some(rb) = *review_by
                    && d.start <= rb
                    && rb <= d.end
                    && rb < d.today
                {
                    sc.due.push((*c, rb));
                }
            }
            StageBody::Review { outcomes } => {
                sc.reviews.push(*c);
                for o in outcomes {
                    let Some(s) = layout.row_of(&c.form, &o.outcome).and_then(|r| sc.at(r)) else {
                        continue;
                    };
                    if c.date < d.start {
                        if o.next.as_deref() == Some(CLOSE) {
                            s.planned = false;
                        }
                    } else {
                        s.latest = Some(o);
                    }
                }
            }
        }
    }

    // Has the plan been reviewed in full by `by`? The rule the caseload uses too.
    let reviews = &sc.reviews;
    let reviewed_by = |plan: &Conversation, by: NaiveDate| {
        super::rules::plan_reviewed_by(
            plan.place(),
            plan.outcome_id_iter(),
            reviews.iter().map(|r| (r.place(), r.outcome_id_iter())),
            by,
        )
    };
    let overdue = last_plan.is_some_and(|p| {
        super::rules::review_overdue(p.review_by(), reviewed_by(p, d.as_of), d.today, d.end)
    });
    let plans_due = sc.due.len() as u64;
    let plans_on_time = sc
        .due
        .iter()
        .filter(|(plan, rb)| reviewed_by(plan, *rb))
        .count() as u64;

    let mut outcomes = Vec::with_capacity(sc.touched.len());
    for &r in &sc.touched {
        if let Some(s) = sc.state.get_mut(r) {
            outcomes.push((r, *s));
            *s = OutcomeState::default();
        }
    }
    PersonSummary {
        outcomes,
        overdue,
        plans_due,
        plans_on_time,
    }
}

// ------------------------------------------------------------------ unit tallies

#[derive(Default)]
pub(super) struct RowTally<'a> {
    pub counts: Counts,
    pub barriers: FastMap<&'a str, u64>,
    pub contributors: FastMap<&'a str, u64>,
}

/// A unit's running totals: the sum of its people's summaries.
pub(super) struct Tally<'a> {
    pub people: u64,
    pub rows: Vec<RowTally<'a>>,
    pub overdue: u64,
    pub plans_due: u64,
    pub plans_on_time: u64,
    pub carers_rated: u64,
    pub carers_all_met: u64,
    /// Latest reviews whose status is none of the four counted.
    pub other_status: u64,
    pub other_names: BTreeSet<&'a str>,
}

fn bump<'a>(m: &mut FastMap<&'a str, u64>, tags: &'a [String]) {
    for (i, t) in tags.iter().enumerate() {
        // A tag listed twice in one review counts once.
        if !tags.get(..i).is_some_and(|before| before.contains(t)) {
            *m.entry(t.as_str()).or_insert(0) += 1;
        }
    }
}

impl<'a> Tally<'a> {
    pub(super) fn new(rows: usize) -> Tally<'a> {
        Tally {
            people: 0,
            rows: (0..rows).map(|_| RowTally::default()).collect(),
            overdue: 0,
            plans_due: 0,
            plans_on_time: 0,
            carers_rated: 0,
            carers_all_met: 0,
            other_status: 0,
            other_names: BTreeSet::new(),
        }
    }

    pub(super) fn add(&mut self, layout: &Layout<'_>, s: &PersonSummary<'a>) {
        let (mut caring_rated, mut caring_all_met) = (false, true);
        for (r, st) in &s.outcomes {
            let Some(row) = self.rows.get_mut(*r) else {
                continue;
            };
            if st.planned {
                row.counts.people_planned += 1;
            }
            let Some(o) = st.latest else {
                continue;
            };
            let c = &mut row.counts;
            let slot = match o.status.as_str() {
                "met" => &mut c.met,
                "partly_met" => &mut c.partly_met,
                "not_met" => &mut c.not_met,
                "no_longer_relevant" => &mut c.no_longer_relevant,
                other => {
                    self.other_status += 1;
                    self.other_names.insert(other);
                    continue;
                }
            };
            *slot += 1;
            c.reviewed += 1;
            bump(&mut row.barriers, &o.barriers);
            bump(&mut row.contributors, &o.contributors);
            if layout.rows.get(*r).is_some_and(|d| d.caring_role)
                && matches!(o.status.as_str(), "met" | "partly_met" | "not_met")
            {
                caring_rated = true;
                caring_all_met &= o.status == "met";
            }
        }
        if caring_rated {
            self.carers_rated += 1;
            if caring_all_met {
                self.carers_all_met += 1;
            }
        }
        self.overdue += u64::from(s.overdue);
        self.plans_due += s.plans_due;
        self.plans_on_time += s.plans_on_time;
    }
}

/// Vocabulary ids with counts, most first, ties in vocabulary order then by id.
fn ranked(m: &FastMap<&str, u64>, order: &HashMap<&str, usize>) -> Vec<(String, u64)> {
    let mut v: Vec<(&str, u64)> = m.iter().map(|(k, n)| (*k, *n)).collect();
    v.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| {
                let pa = order.get(a.0).copied().unwrap_or(usize::MAX);
                let pb = order.get(b.0).copied().unwrap_or(usize::MAX);
                pa.cmp(&pb)
            })
            .then_with(|| a.0.cmp(b.0))
    });
    v.into_iter().map(|(k, n)| (k.to_string(), n)).collect()
}

pub(super) fn merge<'a>(into: &mut FastMap<&'a str, u64>, from: &FastMap<&'a str, u64>) {
    for (k, n) in from {
        *into.entry(k).or_insert(0) += n;
    }
}

fn vocab_order(forms: &Forms, v: Vocab) -> HashMap<&str, usize> {
    forms
        .vocab
        .terms(v)
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect()
}

// ------------------------------------------------------------------ the entry point

/// Rolls the records up for one level and period: one [`UnitReport`] per unit of the
/// level, sorted by name (or just the unit named by `unit`, matched without regard to
/// case; an unknown name is an error listing the units there are). At the national level
/// the units are partnerships. A store with no services gives no reports. `today` is
/// the date overdue reviews are judged against.
#[allow(clippy::too_many_arguments)]
pub fn roll_up(
    forms: &Forms,
    services: &[Service],
    people: &[Person],
    conversations: &[Conversation],
    level: Level,
    unit: Option<&str>,
    period: &Period,
    today: NaiveDate,
) -> Result<Vec<UnitReport>, String> {
    let dates = Dates::of(period, today)?;
    let layout = Layout::new(forms);
    let units = Units::new(services, level, unit)?;
    let n_rows = layout.rows.len();
    let mut tallies: Vec<Tally> = units.names.iter().map(|_| Tally::new(n_rows)).collect();

    // People → slots; a slot's unit is None when the person's unit was not asked for.
    let mut slot_of: FastMap<Id, usize> =
        FastMap::with_capacity_and_hasher(people.len(), Default::default());
    let mut slot_unit: Vec<Option<usize>> = Vec::with_capacity(people.len());
    let mut no_service = 0u64;
    for p in people {
        if slot_of.contains_key(&p.id) {
            continue;
        }
        if !units.known.contains(&p.service) {
            no_service += 1;
        }
        let u = units.of_service.get(&p.service).copied();
        if let Some(t) = u.and_then(|u| tallies.get_mut(u)) {
            t.people += 1;
        }
        slot_of.insert(p.id, slot_unit.len());
        slot_unit.push(u);
    }

    // One pass files conversations under their person (a counting sort by slot).
    const NONE: usize = usize::MAX;
    let mut conv_slot: Vec<usize> = Vec::with_capacity(conversations.len());
    let mut starts = vec![0usize; slot_unit.len() + 1];
    let mut orphans = 0u64;
    for c in conversations {
        let s = match slot_of.get(&c.person) {
            // The one rule of which conversations count (a withdrawn one does not).
            _ if !c.counts() => NONE,
            Some(&s) if slot_unit.get(s).is_some_and(|u| u.is_some()) => s,
            Some(_) => NONE,
            None => {
                orphans += 1;
                NONE
            }
        };
        conv_slot.push(s);
        if s != NONE
            && let Some(n) = starts.get_mut(s + 1)
        {
            *n += 1;
        }
    }
    for i in 1..starts.len() {
        let before = starts.get(i - 1).copied().unwrap_or(0);
        if let Some(n) = starts.get_mut(i) {
            *n += before;
        }
    }
    let mut fill = starts.clone();
    let mut order = vec![0usize; starts.last().copied().unwrap_or(0)];
    for (i, &s) in conv_slot.iter().enumerate() {
        if let Some(f) = fill.get_mut(s)
            && let Some(o) = order.get_mut(*f)
        {
            *o = i;
            *f += 1;
        }
    }
    drop(conv_slot);

    // One walk per person.
    let mut scratch = Scratch::new(n_rows);
    let mut mine: Vec<&Conversation> = Vec::new();
    for (slot, unit) in slot_unit.iter().enumerate() {
        let Some(tally) = unit.and_then(|u| tallies.get_mut(u)) else {
            continue;
        };
        let (a, b) = (
            starts.get(slot).copied().unwrap_or(0),
            starts.get(slot + 1).copied().unwrap_or(0),
        );
        mine.clear();
        mine.extend(
            order
                .get(a..b)
                .unwrap_or(&[])
                .iter()
                .filter_map(|&i| conversations.get(i)),
        );
        mine.sort_unstable_by_key(|c| (c.date, c.id));
        let summary = summarise(&layout, &mine, dates, &mut scratch);
        tally.add(&layout, &summary);
    }

    Ok(reports(
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

/// The reports of a level's units from their tallies (the one place a tally becomes
/// rows, measures and notes). `anomalies` is (people of no known service, conversations
/// of no known person), said in every report's notes.
#[allow(clippy::too_many_arguments)]
pub(super) fn reports(
    forms: &Forms,
    layout: &Layout<'_>,
    level: Level,
    period: &Period,
    as_of: NaiveDate,
    names: &[String],
    tallies: &[Tally<'_>],
    anomalies: (u64, u64),
) -> Vec<UnitReport> {
    let (no_service, orphans) = anomalies;
    // Reports.
    let barrier_order = vocab_order(forms, Vocab::Barriers);
    let contributor_order = vocab_order(forms, Vocab::Contributors);
    let mut out = Vec::with_capacity(names.len());
    for (name, t) in names.iter().zip(tallies) {
        let counts: Vec<Counts> = t.rows.iter().map(|r| r.counts).collect();
        let measures = measures::build(layout, &counts, (t.carers_all_met, t.carers_rated));
        let mut notes = Vec::new();
        let rows = if level == Level::National {
            notes.push(NATIONAL_NOTE.to_string());
            let mut nationals: Vec<_> = forms.national.outcomes.iter().collect();
            nationals.sort_by_key(|n| n.number);
            nationals
                .into_iter()
                .map(|n| {
                    let mut c = Counts::default();
                    let mut barriers = FastMap::default();
                    let mut contributors = FastMap::default();
                    for (def, r) in layout.rows.iter().zip(&t.rows) {
                        if def.outcome.national.contains(&n.number) {
                            c += &r.counts;
                            merge(&mut barriers, &r.barriers);
                            merge(&mut contributors, &r.contributors);
                        }
                    }
                    OutcomeRow {
                        framework: "national".into(),
                        outcome_id: n.number.to_string(),
                        label: n.text.clone(),
                        category: "National outcome".into(),
                        national: vec![n.number],
                        counts: c,
                        barriers: ranked(&barriers, &barrier_order),
                        contributors: ranked(&contributors, &contributor_order),
                    }
                })
                .collect()
        } else {
            layout
                .rows
                .iter()
                .zip(&t.rows)
                .map(|(def, r)| OutcomeRow {
                    framework: def.framework.id.clone(),
                    outcome_id: def.outcome.id.clone(),
                    label: def.outcome.label.clone(),
                    category: def.category_label.to_string(),
                    national: def.outcome.national.clone(),
                    counts: r.counts,
                    barriers: ranked(&r.barriers, &barrier_order),
                    contributors: ranked(&r.contributors, &contributor_order),
                })
                .collect()
        };
        if t.other_status > 0 {
            let names: Vec<&str> = t.other_names.iter().copied().collect();
            notes.push(format!(
                "{} person-outcomes whose latest review had a status the roll-up does not \
                 count ({}) are left out of the reviewed counts.",
                t.other_status,
                names.join(", ")
            ));
        }
        if no_service > 0 {
            notes.push(format!(
                "{no_service} people belong to no service in this store and are counted in \
                 no unit."
            ));
        }
        if orphans > 0 {
            notes.push(format!(
                "{orphans} conversations belong to no person in this store and are not counted."
            ));
        }
        out.push(UnitReport {
            level,
            unit: name.clone(),
            period: *period,
            as_of,
            people: t.people,
            rows,
            overdue_reviews: t.overdue,
            plans_due: t.plans_due,
            plans_reviewed_on_time: t.plans_on_time,
            measures,
            notes,
        });
    }
    out
}
