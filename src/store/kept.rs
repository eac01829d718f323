//! The roll-up's own trees, kept in step with the records in the same transaction.
//!
//! * `rollup_inputs`: person id → that person's roll-up inputs (the person and their
//!   conversations without names, dates of birth or free text, in date order), so a
//!   roll-up of a running period or a date range reads these small records instead of
//!   whole conversations.
//! * `rollup_totals`: (period, service id) → the service's totals for that financial
//!   year or quarter as they stand once it has ended, so the report of an ended year or
//!   quarter reads a few totals. A state record says which periods are kept and under
//!   which forms layout.
//!
//! Every write re-derives each changed person's contribution from that person's inputs
//! (old and new) with the roll-up's own rules ([`Contributions`]) and applies the
//! difference, so no path needs rules of its own. These trees are derived: backups
//! leave them out, and `verify` recomputes and compares them. Values are CBOR behind a
//! one-byte version and a CRC-32, not record envelopes, so salvage never takes them for
//! records.

use super::envelope::{Kind, decode};
use super::{Batch, Result, Store, StoreError};
use crate::domain::{Conversation, Id, Person};
use crate::forms::Forms;
use crate::rollup::Period;
use crate::rollup::maintain::{
    Contributions, PersonInputs, Totals, layout_fingerprint, periods_between,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sled::transaction::{ConflictableTransactionError, TransactionalTree};
use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

pub const INPUTS: &str = "rollup_inputs";
pub const TOTALS: &str = "rollup_totals";
/// The trees that are derived from the records and rebuilt from them.
pub const DERIVED: [&str; 3] = [INPUTS, TOTALS, super::caseload_index::TREE];
const STATE: &[u8] = b"!state";
const VERSION: u8 = 1;

/// Whether a tree name is one of the derived trees.
pub fn is_derived(name: &[u8]) -> bool {
    DERIVED.iter().any(|d| d.as_bytes() == name)
}

/// Which periods are kept, under which layout; written last by a rebuild.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptState {
    pub layout: String,
    /// Kept periods as (financial year's first calendar year, quarter or 0 for the year).
    pub periods: Vec<(i32, u8)>,
    /// Conversations of no known person when the trees were built (they make the kept
    /// trees unusable: such records are counted only by a full recompute).
    pub orphans: u64,
    /// The format of the kept caseload index ([`super::caseload_index::FORMAT`]); a
    /// state written before the index, or under an older format, says another (0 before
    /// it existed), and the index is then rebuilt on open.
    #[serde(default)]
    pub caseload_format: u8,
}

impl KeptState {
    /// Whether the caseload index is kept in the format this version reads.
    pub fn caseload_current(&self) -> bool {
        self.caseload_format == super::caseload_index::FORMAT
    }
}

/// Why kept roll-up trees are worked out again from the records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutOfDate {
    /// None are kept (a store made by an earlier version).
    NotKept,
    /// The forms or the counting rules changed since they were kept.
    Rules,
    /// Records or today fall in a financial year or quarter not yet kept.
    Periods,
    /// The caseload index is of an older format.
    Caseload,
}

impl KeptState {
    pub fn periods(&self) -> Vec<Period> {
        self.periods.iter().map(|&(y, q)| from_pair(y, q)).collect()
    }
}

fn pair(p: &Period) -> Option<(i32, u8)> {
    match *p {
        Period::Year(y) => Some((y, 0)),
        Period::Quarter(y, q) => Some((y, q)),
        Period::Range(..) => None,
    }
}

fn from_pair(y: i32, q: u8) -> Period {
    if q == 0 {
        Period::Year(y)
    } else {
        Period::Quarter(y, q)
    }
}

/// The first five bytes of every kept total of period `p`.
fn period_prefix(p: &Period) -> Vec<u8> {
    let (y, q) = pair(p).unwrap_or((0, 9));
    let mut k = Vec::with_capacity(21);
    k.extend_from_slice(&y.to_be_bytes());
    k.push(q);
    k
}

fn totals_key(p: &Period, service: &Id) -> Vec<u8> {
    let mut k = period_prefix(p);
    k.extend_from_slice(service.as_bytes());
    k
}

pub(crate) fn pack<T: Serialize>(v: &T) -> Vec<u8> {
    let mut body = Vec::new();
    // Writing into a Vec cannot fail; an empty body is refused on reading.
    let _ = ciborium::into_writer(v, &mut body);
    let mut out = Vec::with_capacity(body.len() + 5);
    out.push(VERSION);
    out.extend_from_slice(&crc32fast::hash(&body).to_be_bytes());
    out.extend_from_slice(&body);
    out
}

pub(crate) fn unpack<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    let (head, body) = (bytes.get(..5)?, bytes.get(5..)?);
    if head.first() != Some(&VERSION) || head.get(1..5)? != crc32fast::hash(body).to_be_bytes() {
        return None;
    }
    ciborium::from_reader(body).ok()
}

/// The forms totals are kept under: the embedded ones (reports under other forms roll
/// up from the inputs instead).
fn kept_forms() -> Option<&'static Forms> {
    static FORMS: OnceLock<Option<Forms>> = OnceLock::new();
    FORMS.get_or_init(|| Forms::embedded().ok()).as_ref()
}

fn damaged(what: &str) -> StoreError {
    StoreError::Rejected(format!(
        "the kept roll-up {what} cannot be read; run `talking-points verify` to see what is wrong"
    ))
}

/// What a write needs to keep the trees in step (none when they are not kept).
pub(crate) struct Plan {
    contributions: Contributions<'static>,
    periods: Vec<Period>,
}

/// Kept totals of one period: per service id, and conversations of no known person.
pub struct KeptTotals {
    pub totals: Vec<(Id, Totals)>,
    pub orphans: u64,
}

/// What a rebuild did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rebuilt {
    pub people: usize,
    pub conversations: usize,
    pub periods: usize,
}

/// The kept roll-up trees, read on their own.
#[derive(Clone)]
pub struct KeptTrees {
    inputs: sled::Tree,
    totals: sled::Tree,
}

impl KeptTrees {
    /// See [`Store::kept_state`].
    pub fn state(&self) -> Result<Option<KeptState>> {
        Ok(self
            .totals
            .get(STATE)?
            .and_then(|v| unpack::<KeptState>(&v)))
    }

    /// See [`Store::kept_totals`].
    pub fn totals(&self, period: &Period, forms: &Forms) -> Result<Option<KeptTotals>> {
        let Some(state) = self.state()? else {
            return Ok(None);
        };
        let Some(p) = pair(period) else {
            return Ok(None);
        };
        if state.orphans > 0
            || !state.periods.contains(&p)
            || state.layout != layout_fingerprint(forms)
        {
            return Ok(None);
        }
        let mut totals = Vec::new();
        for kv in self.totals.scan_prefix(period_prefix(period)) {
            let (k, v) = kv?;
            let id = k
                .get(5..)
                .and_then(Id::from_slice)
                .ok_or_else(|| damaged("totals"))?;
            totals.push((id, unpack(&v).ok_or_else(|| damaged("totals"))?));
        }
        Ok(Some(KeptTotals {
            totals,
            orphans: state.orphans,
        }))
    }

    fn complete(&self) -> Result<bool> {
        Ok(self.state()?.is_some_and(|s| s.orphans == 0))
    }

    /// See [`Store::kept_inputs`].
    pub fn all_inputs(&self) -> Result<Option<(Vec<Person>, Vec<Conversation>)>> {
        if !self.complete()? {
            return Ok(None);
        }
        let mut people = Vec::new();
        let mut convs = Vec::new();
        for kv in self.inputs.iter() {
            let (_, v) = kv?;
            let i: PersonInputs = unpack(&v).ok_or_else(|| damaged("inputs"))?;
            people.push(i.person);
            convs.extend(i.conversations);
        }
        Ok(Some((people, convs)))
    }

    /// See [`Store::each_kept_input`].
    pub fn each_input(&self, f: &mut dyn FnMut(&PersonInputs)) -> Result<bool> {
        if !self.complete()? {
            return Ok(false);
        }
        for kv in self.inputs.iter() {
            let (_, v) = kv?;
            let i: PersonInputs = unpack(&v).ok_or_else(|| damaged("inputs"))?;
            f(&i);
        }
        Ok(true)
    }
}

impl Store {
    pub(crate) fn kept_inputs_tree(&self) -> Result<sled::Tree> {
        Ok(self.db.open_tree(INPUTS)?)
    }

    pub(crate) fn kept_totals_tree(&self) -> Result<sled::Tree> {
        Ok(self.db.open_tree(TOTALS)?)
    }

    /// The kept roll-up trees, for reads (also apart from the store, see
    /// [`super::scoped::ScopedReader`]).
    pub fn kept_trees(&self) -> Result<KeptTrees> {
        Ok(KeptTrees {
            inputs: self.kept_inputs_tree()?,
            totals: self.kept_totals_tree()?,
        })
    }

    /// The state of the kept trees; `None` when they are not kept (a store made by an
    /// earlier version, or a rebuild that did not finish).
    pub fn kept_state(&self) -> Result<Option<KeptState>> {
        self.kept_trees()?.state()
    }

    pub(crate) fn kept_plan(&self) -> Result<Option<Plan>> {
        let (Some(state), Some(forms)) = (self.kept_state()?, kept_forms()) else {
            return Ok(None);
        };
        if state.layout != layout_fingerprint(forms) {
            return Ok(None);
        }
        Ok(Some(Plan {
            contributions: Contributions::new(forms),
            periods: state.periods(),
        }))
    }

    /// The kept totals of an ended financial year or quarter, when they are kept under
    /// `forms` and no conversation is missing its person.
    pub fn kept_totals(&self, period: &Period, forms: &Forms) -> Result<Option<KeptTotals>> {
        self.kept_trees()?.totals(period, forms)
    }

    /// Every person's roll-up inputs, from the kept tree; `None` when it is not kept.
    pub fn kept_inputs(&self) -> Result<Option<(Vec<Person>, Vec<Conversation>)>> {
        self.kept_trees()?.all_inputs()
    }

    /// Calls `f` with each person's kept inputs; `false` when they are not kept.
    pub fn each_kept_input(&self, f: &mut dyn FnMut(&PersonInputs)) -> Result<bool> {
        self.kept_trees()?.each_input(f)
    }

    /// One person's kept roll-up inputs.
    pub fn kept_inputs_of(&self, person: &Id) -> Result<Option<PersonInputs>> {
        match self.kept_inputs_tree()?.get(person.as_bytes())? {
            Some(v) => Ok(Some(unpack(&v).ok_or_else(|| damaged("inputs"))?)),
            None => Ok(None),
        }
    }

    /// The first and last conversation dates, from the date index (no record read).
    fn date_span(&self) -> Result<Option<(NaiveDate, NaiveDate)>> {
        self.scoped()?.date_span()
    }

    /// The periods worth keeping: financial years (with their quarters) from the
    /// earliest conversation to the latest one or today, whichever is later, but none
    /// beyond next year (a mistyped far-off date is rolled up from the inputs).
    fn wanted_periods(&self, today: NaiveDate) -> Result<Vec<Period>> {
        let (first, last) = self.date_span()?.unwrap_or((today, today));
        let cap = Period::year_of(today)
            .end()
            .checked_add_days(chrono::Days::new(366))
            .unwrap_or(today);
        Ok(periods_between(first.min(today), last.max(today).min(cap)))
    }

    /// Brings the kept trees up to date when they are not kept (a store made by an
    /// earlier version) or do not cover the records' dates; `None` when they already
    /// were. A store whose records cannot all be read is left without kept trees (its
    /// reports recompute from the records, and `verify` names the damage).
    pub fn bring_kept_up_to_date(&self, today: NaiveDate) -> Result<Option<Rebuilt>> {
        let Some(why) = self.kept_out_of_date(today)? else {
            return Ok(None);
        };
        if why == OutOfDate::Periods
            && let Some(r) = self.extend_kept_periods(today)?
        {
            return Ok(Some(r));
        }
        match self.rebuild_kept(today) {
            Ok(r) => Ok(Some(r)),
            Err(StoreError::Damaged { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Why the kept trees must be worked out again from the records, or `None` when they
    /// are up to date (what [`Self::bring_kept_up_to_date`] goes by).
    pub fn kept_out_of_date(&self, today: NaiveDate) -> Result<Option<OutOfDate>> {
        let Some(state) = self.kept_state()? else {
            return Ok(Some(OutOfDate::NotKept));
        };
        if kept_forms().is_some_and(|forms| state.layout != layout_fingerprint(forms)) {
            return Ok(Some(OutOfDate::Rules));
        }
        // Before the periods: only when they are the one reason can the trees be extended.
        if !state.caseload_current() {
            return Ok(Some(OutOfDate::Caseload));
        }
        let wanted = self.wanted_periods(today)?;
        if !wanted
            .iter()
            .filter_map(pair)
            .all(|p| state.periods.contains(&p))
        {
            return Ok(Some(OutOfDate::Periods));
        }
        Ok(None)
    }

    /// Adds the totals of periods not kept yet (a quarter has begun, or a record was
    /// dated in one) from the kept inputs, without decoding a record: every write keeps
    /// a person's inputs whatever the period. Called when the periods are the one reason
    /// the trees are out of date ([`Self::kept_out_of_date`]). `None` when they cannot be
    /// extended so (a conversation of no known person, an input that cannot be read or a
    /// person without one): they are then rebuilt whole.
    fn extend_kept_periods(&self, today: NaiveDate) -> Result<Option<Rebuilt>> {
        let (Some(mut state), Some(forms)) = (self.kept_state()?, kept_forms()) else {
            return Ok(None);
        };
        if state.orphans > 0 {
            return Ok(None);
        }
        let new: Vec<Period> = self
            .wanted_periods(today)?
            .into_iter()
            .filter(|p| pair(p).is_some_and(|k| !state.periods.contains(&k)))
            .collect();
        let contributions = Contributions::new(forms);
        let mut totals: BTreeMap<Vec<u8>, Totals> = BTreeMap::new();
        let (mut people, mut conversations) = (0, 0);
        for kv in self.kept_inputs_tree()?.iter() {
            let (_, v) = kv?;
            let Some(i) = unpack::<PersonInputs>(&v) else {
                return Ok(None);
            };
            people += 1;
            conversations += i.conversations.len();
            for period in &new {
                totals
                    .entry(totals_key(period, &i.person.service))
                    .or_default()
                    .apply(&contributions.of(&i, period), false);
            }
        }
        if people != self.people_count() {
            return Ok(None);
        }
        let totals_tree = self.kept_totals_tree()?;
        // Whatever an interrupted extension left for these periods goes first.
        let mut batch = sled::Batch::default();
        for period in &new {
            for kv in totals_tree.scan_prefix(period_prefix(period)) {
                batch.remove(kv?.0);
            }
        }
        for (k, t) in totals.iter().filter(|(_, t)| !t.is_zero()) {
            batch.insert(&k[..], pack(t));
        }
        totals_tree.apply_batch(batch)?;
        state.periods.extend(new.iter().filter_map(pair));
        self.flush()?;
        totals_tree.insert(STATE, pack(&state))?;
        self.flush()?;
        Ok(Some(Rebuilt {
            people,
            conversations,
            periods: state.periods.len(),
        }))
    }

    /// Recomputes the kept trees from the records (see [`Self::wanted_periods`]).
    pub fn rebuild_kept(&self, today: NaiveDate) -> Result<Rebuilt> {
        let (inputs_tree, totals_tree) = (self.kept_inputs_tree()?, self.kept_totals_tree()?);
        let caseload_tree = self.caseload_tree()?;
        totals_tree.remove(STATE)?;
        let Some(forms) = kept_forms() else {
            return Ok(Rebuilt::default());
        };
        let periods = self.wanted_periods(today)?;
        let (expected, state) = self.expected_kept(forms, &periods)?;
        inputs_tree.clear()?;
        totals_tree.clear()?;
        caseload_tree.clear()?;
        let mut batch = sled::Batch::default();
        let mut n = 0;
        for (id, i) in &expected.inputs {
            batch.insert(id.as_bytes(), pack(i));
            n += 1;
            if n % 10_000 == 0 {
                inputs_tree.apply_batch(std::mem::take(&mut batch))?;
            }
        }
        inputs_tree.apply_batch(batch)?;
        let mut batch = sled::Batch::default();
        for (k, t) in &expected.totals {
            batch.insert(&k[..], pack(t));
        }
        totals_tree.apply_batch(batch)?;
        let mut batch = sled::Batch::default();
        for (n, (k, v)) in expected.caseload.iter().enumerate() {
            batch.insert(&k[..], &v[..]);
            if n % 10_000 == 9_999 {
                caseload_tree.apply_batch(std::mem::take(&mut batch))?;
            }
        }
        caseload_tree.apply_batch(batch)?;
        self.flush()?;
        totals_tree.insert(STATE, pack(&state))?;
        self.flush()?;
        Ok(Rebuilt {
            people: expected.inputs.len(),
            conversations: expected
                .inputs
                .values()
                .map(|i| i.conversations.len())
                .sum(),
            periods: state.periods.len(),
        })
    }

    /// The kept trees as the records say they should be.
    fn expected_kept(&self, forms: &Forms, periods: &[Period]) -> Result<(Expected, KeptState)> {
        let people = self.people()?;
        // Only what the roll-up reads is held (no free text): a team store's records
        // would not fit in memory whole.
        let mut by_person: HashMap<Id, Vec<Conversation>> = HashMap::new();
        for kv in self.conversations.iter() {
            let (k, v) = kv?;
            let c: Conversation = self.decode(Kind::Conversation, &k, &v)?;
            by_person
                .entry(c.person)
                .or_default()
                .push(crate::rollup::maintain::into_conversation_input(c));
        }
        let contributions = Contributions::new(forms);
        let mut inputs = BTreeMap::new();
        let mut totals: BTreeMap<Vec<u8>, Totals> = BTreeMap::new();
        let mut lines = Vec::with_capacity(people.len());
        for p in &people {
            let convs = by_person.remove(&p.id).unwrap_or_default();
            lines.push(super::caseload_index::Entry::new(p, &convs));
            let i = PersonInputs::of_inputs(p, convs);
            for period in periods {
                let t = contributions.of(&i, period);
                totals
                    .entry(totals_key(period, &p.service))
                    .or_default()
                    .apply(&t, false);
            }
            inputs.insert(p.id, i);
        }
        let orphans = by_person.values().map(|v| v.len() as u64).sum();
        totals.retain(|_, t| !t.is_zero());
        let state = KeptState {
            layout: layout_fingerprint(forms),
            periods: periods.iter().filter_map(pair).collect(),
            orphans,
            caseload_format: super::caseload_index::FORMAT,
        };
        let caseload = super::caseload_index::expected_lines(lines);
        Ok((
            Expected {
                inputs,
                totals,
                caseload,
            },
            state,
        ))
    }

    /// The checks `verify` makes of the kept trees: recomputed from the records, every
    /// person's inputs and every kept total must match. Nothing is said of a store whose
    /// trees are not kept (reports then recompute).
    pub(crate) fn verify_kept_rollups(&self) -> Result<Vec<super::VerifyIssue>> {
        let mut issues = Vec::new();
        let Some(state) = self.kept_state()? else {
            return Ok(issues);
        };
        let Some(forms) = kept_forms() else {
            return Ok(issues);
        };
        let issue = |tree: &'static str, key: String, problem: String| super::VerifyIssue {
            tree,
            key,
            problem,
        };
        let fix = "they are recomputed from the records when the store is next opened";
        // The kept periods are compared as kept (a rebuild today may keep more).
        let (expected, want) = match self.expected_kept(forms, &state.periods()) {
            Ok(x) => x,
            // Damaged records are named by the record checks.
            Err(_) => return Ok(issues),
        };
        if want.layout != state.layout || want.orphans != state.orphans {
            issues.push(issue(
                TOTALS,
                "state".into(),
                format!("says the totals were kept under other forms or other records; {fix}"),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for kv in self.kept_inputs_tree()?.iter() {
            let (k, v) = kv?;
            let id = Id::from_slice(&k);
            let got: Option<PersonInputs> = unpack(&v);
            let key = super::show_key(&k);
            match (id.and_then(|id| expected.inputs.get(&id)), got) {
                (None, _) => issues.push(issue(
                    INPUTS,
                    key,
                    format!("is kept for a person the store does not hold; {fix}"),
                )),
                (Some(_), None) => {
                    issues.push(issue(INPUTS, key, format!("cannot be read; {fix}")))
                }
                (Some(want), Some(got)) if *want != got => issues.push(issue(
                    INPUTS,
                    key,
                    format!("differs from the person's records; {fix}"),
                )),
                _ => {}
            }
            if let Some(id) = id {
                seen.insert(id);
            }
        }
        for id in expected.inputs.keys().filter(|id| !seen.contains(id)) {
            issues.push(issue(
                INPUTS,
                id.to_string(),
                format!("is missing for a person in the store; {fix}"),
            ));
        }
        let mut stored: BTreeMap<Vec<u8>, Option<Totals>> = BTreeMap::new();
        for kv in self.kept_totals_tree()?.iter() {
            let (k, v) = kv?;
            if &k[..] != STATE {
                stored.insert(k.to_vec(), unpack(&v));
            }
        }
        let name = |k: &[u8]| {
            let (y, q) = (
                k.get(..4)
                    .and_then(|b| b.try_into().ok())
                    .map(i32::from_be_bytes)
                    .unwrap_or(0),
                k.get(4).copied().unwrap_or(0),
            );
            let service = k.get(5..).and_then(Id::from_slice);
            format!(
                "{} of service {}",
                from_pair(y, q).label(),
                service.map(|s| s.to_string()).unwrap_or_else(|| "?".into())
            )
        };
        let keys: std::collections::BTreeSet<&Vec<u8>> =
            stored.keys().chain(expected.totals.keys()).collect();
        for k in keys {
            // Only periods kept now are compared (a rebuild with a later today keeps more).
            let (y, q) = (
                k.get(..4)
                    .and_then(|b| b.try_into().ok())
                    .map(i32::from_be_bytes)
                    .unwrap_or(0),
                k.get(4).copied().unwrap_or(0),
            );
            if !state.periods.contains(&(y, q)) {
                if stored.contains_key(k) {
                    issues.push(issue(
                        TOTALS,
                        name(k),
                        format!("is kept for a period that is not kept; {fix}"),
                    ));
                }
                continue;
            }
            let want = expected.totals.get(k);
            match (stored.get(k), want) {
                (Some(None), _) => {
                    issues.push(issue(TOTALS, name(k), format!("cannot be read; {fix}")))
                }
                (Some(Some(got)), Some(want)) if got != want => issues.push(issue(
                    TOTALS,
                    name(k),
                    format!(
                        "differ from the totals recomputed from the records ({}); {fix}",
                        differences(got, want)
                    ),
                )),
                (Some(Some(got)), None) if !got.is_zero() => issues.push(issue(
                    TOTALS,
                    name(k),
                    format!("are kept where the records give none; {fix}"),
                )),
                (None, Some(_)) => {
                    issues.push(issue(TOTALS, name(k), format!("are missing; {fix}")))
                }
                _ => {}
            }
        }
        if state.caseload_current() {
            let stored = self.caseload_contents()?;
            let keys: std::collections::BTreeSet<&Vec<u8>> =
                stored.keys().chain(expected.caseload.keys()).collect();
            for k in keys {
                let problem = match (stored.get(k), expected.caseload.get(k)) {
                    (Some(a), Some(b)) if a != b => "differs from the person's records",
                    (Some(_), None) => "is kept for a person or name the store does not hold",
                    (None, Some(_)) => "is missing for a person in the store",
                    _ => continue,
                };
                issues.push(issue(
                    super::caseload_index::TREE,
                    super::caseload_index::show(k),
                    format!("{problem}; {fix}"),
                ));
            }
        }
        if !issues.is_empty() {
            // Derived data that disagrees with the records is dropped, never trusted.
            self.kept_totals_tree()?.remove(STATE)?;
            self.flush()?;
        }
        Ok(issues)
    }
}

/// Which parts of two totals differ, in words.
fn differences(got: &Totals, want: &Totals) -> String {
    let mut d = Vec::new();
    let mut num = |what: &str, a: u64, b: u64| {
        if a != b {
            d.push(format!("{what} {a} kept, {b} recomputed"));
        }
    };
    num("people", got.people, want.people);
    num("overdue reviews", got.overdue, want.overdue);
    num("plans due", got.plans_due, want.plans_due);
    num(
        "plans reviewed on time",
        got.plans_on_time,
        want.plans_on_time,
    );
    num("carers rated", got.carers_rated, want.carers_rated);
    num("carers all met", got.carers_all_met, want.carers_all_met);
    num("uncounted statuses", got.other_status, want.other_status);
    if got.rows != want.rows {
        d.push("outcome counts".into());
    }
    if got.other_names != want.other_names {
        d.push("names of uncounted statuses".into());
    }
    d.join("; ")
}

struct Expected {
    inputs: BTreeMap<Id, PersonInputs>,
    totals: BTreeMap<Vec<u8>, Totals>,
    caseload: BTreeMap<Vec<u8>, Vec<u8>>,
}

type TxResult<T> = std::result::Result<T, ConflictableTransactionError<String>>;

fn tx_damaged(what: &str) -> ConflictableTransactionError<String> {
    ConflictableTransactionError::Abort(format!(
        "the kept roll-up {what} cannot be read; run `talking-points verify` (it drops them, and the next open works them out again), then save again; nothing was saved"
    ))
}

impl Plan {
    /// Inside the write's transaction: re-derives each changed person's inputs and
    /// contribution and applies the difference to the totals.
    pub(crate) fn apply(
        &self,
        b: &Batch,
        was_named: &BTreeMap<Id, String>,
        people: &TransactionalTree,
        inputs: &TransactionalTree,
        totals: &TransactionalTree,
        caseload: &TransactionalTree,
    ) -> TxResult<()> {
        let mut changed: BTreeMap<Id, (Option<&Person>, Vec<&Conversation>)> = BTreeMap::new();
        for p in &b.people {
            changed.entry(p.id).or_default().0 = Some(*p);
        }
        for c in &b.conversations {
            changed.entry(c.person).or_default().1.push(*c);
        }
        let mut deltas: BTreeMap<Vec<u8>, Totals> = BTreeMap::new();
        for (id, (person, convs)) in changed {
            let old: Option<PersonInputs> = match inputs.get(id.as_bytes())? {
                Some(v) => Some(unpack(&v).ok_or_else(|| tx_damaged("inputs"))?),
                None => None,
            };
            // The whole record (with the name the caseload lists) from this write, or
            // as held.
            let full: Person = match person {
                Some(p) => p.clone(),
                None => match people.get(id.as_bytes())? {
                    Some(v) => match decode::<Person>(Kind::Person, &v) {
                        Ok(p) => p,
                        Err(_) => return Err(tx_damaged("inputs")),
                    },
                    None => continue,
                },
            };
            let person = crate::rollup::maintain::person_input(&full);
            let mut new = old.clone().unwrap_or(PersonInputs {
                person: person.clone(),
                conversations: Vec::new(),
            });
            new.person = person;
            // Periods that end before the earliest date a change touches (a new
            // version's or the one it replaces) are unchanged for a person who stays.
            let mut from = None::<NaiveDate>;
            let mut touch = |d: NaiveDate| from = Some(from.map_or(d, |f| f.min(d)));
            for c in convs {
                if let Some(was) = new.conversations.iter().find(|x| x.id == c.id) {
                    touch(was.date);
                }
                touch(c.date);
                new.put(c);
            }
            super::caseload_index::put(
                caseload,
                &super::caseload_index::Entry::new(&full, &new.conversations),
                was_named.get(&id).map(String::as_str),
            )?;
            if old.as_ref() == Some(&new) {
                continue;
            }
            let same_person = old.as_ref().is_some_and(|o| o.person == new.person);
            let from = if same_person { from } else { None };
            self.difference(old.as_ref(), Some(&new), from, &mut deltas);
            inputs.insert(id.as_bytes(), pack(&new))?;
        }
        apply_deltas(deltas, totals)
    }

    /// Inside an erasure's transaction: takes the person's contribution away.
    pub(crate) fn erase(
        &self,
        person: &Person,
        inputs: &TransactionalTree,
        totals: &TransactionalTree,
        caseload: &TransactionalTree,
    ) -> TxResult<()> {
        super::caseload_index::remove(caseload, &person.id, &person.name)?;
        let person = &person.id;
        let Some(v) = inputs.remove(person.as_bytes())? else {
            return Ok(());
        };
        let old: PersonInputs = unpack(&v).ok_or_else(|| tx_damaged("inputs"))?;
        let mut deltas = BTreeMap::new();
        self.difference(Some(&old), None, None, &mut deltas);
        apply_deltas(deltas, totals)
    }

    fn difference(
        &self,
        old: Option<&PersonInputs>,
        new: Option<&PersonInputs>,
        unchanged_before: Option<NaiveDate>,
        deltas: &mut BTreeMap<Vec<u8>, Totals>,
    ) {
        for period in &self.periods {
            if unchanged_before.is_some_and(|d| period.end() < d) {
                continue;
            }
            if let Some(o) = old {
                let t = self.contributions.of(o, period);
                deltas
                    .entry(totals_key(period, &o.person.service))
                    .or_default()
                    .apply(&t, true);
            }
            if let Some(n) = new {
                let t = self.contributions.of(n, period);
                deltas
                    .entry(totals_key(period, &n.person.service))
                    .or_default()
                    .apply(&t, false);
            }
        }
    }
}

fn apply_deltas(deltas: BTreeMap<Vec<u8>, Totals>, totals: &TransactionalTree) -> TxResult<()> {
    for (k, d) in deltas {
        if d.is_zero() {
            continue;
        }
        let mut cur: Totals = match totals.get(&k)? {
            Some(v) => unpack(&v).ok_or_else(|| tx_damaged("totals"))?,
            None => Totals::default(),
        };
        cur.apply(&d, false);
        if cur.is_zero() {
            totals.remove(&k[..])?;
        } else {
            totals.insert(&k[..], pack(&cur))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{PersonKind, PlannedOutcome, ReviewedOutcome, Service, Stage, StageBody};

    /// A caseload line as the earlier format kept it: steps without outcome ids.
    #[derive(Serialize)]
    struct OldStep {
        date: NaiveDate,
        id: Id,
        stage: Stage,
        review_by: Option<NaiveDate>,
    }

    #[derive(Serialize)]
    struct OldEntry {
        id: Id,
        name: String,
        kind: PersonKind,
        service: Id,
        last: Option<NaiveDate>,
        steps: Vec<OldStep>,
    }

    /// The state as the earlier version wrote it.
    #[derive(Serialize)]
    struct OldState {
        layout: String,
        periods: Vec<(i32, u8)>,
        orphans: u64,
        caseload: bool,
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn id(n: u8) -> Id {
        Id::from_parts(1_700_000_000_000 + u64::from(n), [n; 10])
    }

    fn conv(n: u8, date: &str, body: StageBody) -> Conversation {
        Conversation {
            id: id(n),
            person: id(10),
            date: d(date),
            practitioner: "J. Byrne".into(),
            participants: vec![],
            form: "adult".into(),
            form_version: 1,
            revision: 0,
            consent: None,
            withdrawn: None,
            body,
        }
    }

    /// Every kept total, key and bytes, without the state record.
    fn kept_totals(store: &Store) -> Vec<(Vec<u8>, Vec<u8>)> {
        store
            .kept_totals_tree()
            .expect("tree")
            .iter()
            .map(|kv| kv.expect("read"))
            .filter(|(k, _)| &k[..] != STATE)
            .map(|(k, v)| (k.to_vec(), v.to_vec()))
            .collect()
    }

    #[test]
    fn periods_not_yet_kept_are_added_from_the_inputs_as_a_whole_rebuild_keeps_them() {
        let today = d("2026-11-23");
        let dir = tempfile::tempdir().expect("temp");
        let store = Store::open(&dir.path().join("store")).expect("open");
        let forms = Forms::embedded().expect("forms");
        let opts = crate::seed::SeedOptions {
            people: 80,
            seed: 11,
        };
        crate::seed::generate(&store, &forms, &opts, &mut |_| {}).expect("seed");
        store.rebuild_kept(today).expect("rebuild");
        let whole = kept_totals(&store);
        let kept = store.kept_state().expect("state").expect("kept");
        // The store as it was before 2025-26 began: that year and its quarters not kept
        // (and, as an interrupted extension would leave it, one stale total of it).
        let totals = store.kept_totals_tree().expect("tree");
        let year = 2025i32.to_be_bytes();
        let dropped: Vec<_> = totals
            .scan_prefix(year)
            .map(|kv| kv.expect("kv").0)
            .collect();
        assert!(dropped.len() > 4, "the year has totals to add back");
        for k in &dropped[1..] {
            totals.remove(k).expect("remove");
        }
        totals
            .insert(&dropped[0], pack(&Totals::default()))
            .expect("stale");
        let mut before = kept.clone();
        before.periods.retain(|(y, _)| *y != 2025);
        totals.insert(STATE, pack(&before)).expect("state");

        assert_eq!(
            store.kept_out_of_date(today).expect("state"),
            Some(OutOfDate::Periods)
        );
        // No record is read: one made unreadable for the while would stop a rebuild.
        let (k, v) = store.conversations.first().expect("read").expect("one");
        store
            .conversations
            .insert(&k, &b"damaged"[..])
            .expect("damage");
        let r = store.bring_kept_up_to_date(today).expect("extend");
        store.conversations.insert(&k, v).expect("mend");
        assert_eq!(r.map(|r| r.people), Some(80));
        assert_eq!(kept_totals(&store), whole);
        let mut after = store.kept_state().expect("state").expect("kept").periods;
        let mut want = kept.periods;
        after.sort();
        want.sort();
        assert_eq!(after, want);
        assert_eq!(store.kept_out_of_date(today).expect("state"), None);
        assert!(store.verify().expect("verify").is_sound());
    }

    #[test]
    fn a_caseload_index_in_the_earlier_format_is_rebuilt_on_open() {
        let today = d("2026-11-23");
        let dir = tempfile::tempdir().expect("temp");
        let store = Store::open(&dir.path().join("store")).expect("open");
        store
            .add_service(&Service {
                id: id(1),
                name: "Reablement".into(),
                organisation: "Glenmore Council".into(),
                partnership: "Glenmore HSCP".into(),
            })
            .expect("service");
        store
            .add_person(&Person {
                id: id(10),
                name: "Morag MacLeod".into(),
                kind: PersonKind::Adult,
                service: id(1),
                dob: None,
                cares_for: None,
            })
            .expect("person");
        let planned = |o: &str| PlannedOutcome {
            outcome: o.into(),
            ..Default::default()
        };
        let plan = conv(
            20,
            "2025-05-09",
            StageBody::Planning {
                review_by: Some(d("2025-08-01")),
                outcomes: vec![planned("seeing_people"), planned("feeling_safe")],
            },
        );
        let review = conv(
            21,
            "2025-09-01",
            StageBody::Review {
                outcomes: vec![ReviewedOutcome {
                    outcome: "seeing_people".into(),
                    status: "met".into(),
                    ..Default::default()
                }],
            },
        );
        store.save_conversations(&[plan, review]).expect("save");
        store.bring_kept_up_to_date(today).expect("kept");
        assert!(store.caseload_indexed().expect("read"));

        // As the earlier version left it: its state, and lines without outcome ids.
        let tree = store.caseload_tree().expect("tree");
        for kv in tree.scan_prefix(b"n") {
            let (k, v) = kv.expect("read");
            let e: super::super::caseload_index::Entry = unpack(&v).expect("an entry");
            let old = OldEntry {
                id: e.id,
                name: e.name,
                kind: e.kind,
                service: e.service,
                last: e.last,
                steps: e
                    .steps
                    .into_iter()
                    .map(|s| OldStep {
                        date: s.date,
                        id: s.id,
                        stage: s.stage,
                        review_by: s.review_by,
                    })
                    .collect(),
            };
            tree.insert(k, pack(&old)).expect("write");
        }
        let state = store.kept_state().expect("read").expect("kept");
        let old = OldState {
            layout: state.layout,
            periods: state.periods,
            orphans: state.orphans,
            caseload: true,
        };
        store
            .kept_totals_tree()
            .expect("tree")
            .insert(STATE, pack(&old))
            .expect("write");

        // Not read as it stands (the interface reads the records whole), rebuilt on open.
        assert!(!store.caseload_indexed().expect("read"));
        assert!(store.caseload_index_page(None, 10).expect("read").is_none());
        assert!(store.bring_kept_up_to_date(today).expect("open").is_some());
        let page = store
            .caseload_index_page(None, 10)
            .expect("read")
            .expect("kept again");
        assert_eq!(page.entries.len(), 1);
        // One of the two planned outcomes reviewed: the agreed date still stands.
        assert_eq!(page.entries[0].review_due(today), Some(d("2025-08-01")));
        assert!(store.verify().expect("verify").is_sound());
    }
}
