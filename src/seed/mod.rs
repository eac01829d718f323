//! Deterministic, realistic synthetic data: one partnership, its organisations and
//! services, supported adults and unpaid carers, and their assessments, plans and
//! reviews over the financial years 2023-24 to 2025-26.
//!
//! Everything is drawn from ChaCha8 streams keyed by the seed: stream 0 for the
//! partnership structure and stream `i + 1` for person `i`, and every date and id is
//! derived from that data, never from the clock, so the same seed gives byte-identical
//! records on any day.

mod data;
mod names;
mod text;

use crate::domain::{
    Action, AssessedOutcome, Conversation, Id, Person, PersonKind, PlannedOutcome, ReviewedOutcome,
    Service, StageBody,
};
use crate::forms::{Forms, Framework, OutcomeDef, Vocab};
use crate::store::{Batch, Store};
use chrono::{Datelike, NaiveDate, TimeDelta, Weekday};
use names::{Culture, Sex};
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::VecDeque;

pub struct SeedOptions {
    pub people: usize,
    pub seed: u64,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SeedSummary {
    pub services: usize,
    pub people: usize,
    pub conversations: usize,
}

pub const PARTNERSHIP: &str = "Glenmore Health and Social Care Partnership";
const ORGANISATIONS: [&str; 3] = [
    "Glenmore Council",
    "NHS Glenmore",
    "Glenmore Carers and Community Trust",
];

/// People per store transaction: large enough to amortise sled's commit, small enough
/// to keep memory flat at 100,000 people.
const BATCH: usize = 500;
/// One carer for every four adults.
const CARER_SHARE: f64 = 0.2;
/// Adults a new carer may be linked to: recent ones, so carer and cared-for are seen
/// around the same time.
const POOL: usize = 400;

// ------------------------------------------------------------------ dates and randomness

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// The first and last days conversations may fall on (FY 2023-24 to 2025-26).
fn first_day() -> NaiveDate {
    ymd(2023, 4, 1)
}

fn last_day() -> NaiveDate {
    ymd(2026, 3, 31)
}

fn add_days(d: NaiveDate, n: i64) -> NaiveDate {
    TimeDelta::try_days(n)
        .and_then(|t| d.checked_add_signed(t))
        .unwrap_or(d)
}

/// Practitioners work weekdays: a weekend date moves to the Monday (or back to the
/// Friday, at the end of the period).
fn workday(d: NaiveDate) -> NaiveDate {
    let fwd = match d.weekday() {
        Weekday::Sat => 2,
        Weekday::Sun => 1,
        _ => return d,
    };
    let monday = add_days(d, fwd);
    if monday <= last_day() {
        monday
    } else {
        add_days(d, fwd - 3)
    }
}

/// Index of the financial year (0 = 2023-24) a date falls in.
fn fy_index(d: NaiveDate) -> usize {
    if d < ymd(2024, 4, 1) {
        0
    } else if d < ymd(2025, 4, 1) {
        1
    } else {
        2
    }
}

/// Milliseconds since 1970 for a date and minute of the day (for time-ordered ids).
fn millis(d: NaiveDate, minute: i64) -> u64 {
    // 719_163 is the day number of 1970-01-01 counted from 0001-01-01.
    let days = i64::from(d.num_days_from_ce()) - 719_163;
    u64::try_from(days * 86_400_000 + minute * 60_000).unwrap_or(0)
}

fn id_at<R: RngCore>(r: &mut R, millis: u64) -> Id {
    let mut b = [0u8; 10];
    r.fill_bytes(&mut b);
    Id::from_parts(millis, b)
}

/// True with probability `p` (never panics, whatever `p` is).
pub(crate) fn chance<R: Rng>(r: &mut R, p: f64) -> bool {
    r.random::<f64>() < p
}

/// A whole number in `lo..=hi` (just `lo` when the range is empty).
pub(crate) fn between<R: Rng>(r: &mut R, lo: i64, hi: i64) -> i64 {
    if hi <= lo {
        lo
    } else {
        r.random_range(lo..=hi)
    }
}

pub(crate) fn index<R: Rng>(r: &mut R, n: usize) -> usize {
    if n == 0 { 0 } else { r.random_range(0..n) }
}

pub(crate) fn pick_str<R: Rng>(r: &mut R, xs: &[&'static str]) -> &'static str {
    xs.get(index(r, xs.len())).copied().unwrap_or("")
}

/// An index drawn in proportion to the weights (0 when they are all zero).
pub(crate) fn weighted<R: Rng>(r: &mut R, w: &[f64]) -> usize {
    let total: f64 = w.iter().filter(|x| x.is_finite() && **x > 0.0).sum();
    if total <= 0.0 {
        return 0;
    }
    let mut x = r.random::<f64>() * total;
    for (i, wi) in w.iter().enumerate() {
        if wi.is_finite() && *wi > 0.0 {
            if x < *wi {
                return i;
            }
            x -= wi;
        }
    }
    w.iter()
        .rposition(|x| x.is_finite() && *x > 0.0)
        .unwrap_or(0)
}

/// Up to `k` distinct indices, drawn in proportion to the weights.
fn weighted_distinct<R: Rng>(r: &mut R, w: &[f64], k: usize) -> Vec<usize> {
    let mut w = w.to_vec();
    let mut out = Vec::with_capacity(k);
    while out.len() < k && w.iter().any(|x| *x > 0.0) {
        let i = weighted(r, &w);
        if let Some(wi) = w.get_mut(i) {
            *wi = 0.0;
        }
        out.push(i);
    }
    out
}

/// A value from a triangular distribution on `lo..hi` peaking at `mode`.
fn triangular<R: Rng>(r: &mut R, lo: f64, hi: f64, mode: f64) -> f64 {
    let u = r.random::<f64>();
    let span = hi - lo;
    if span <= 0.0 {
        return lo;
    }
    let f = (mode - lo) / span;
    if u < f {
        lo + (u * span * (mode - lo)).sqrt()
    } else {
        hi - ((1.0 - u) * span * (hi - mode)).sqrt()
    }
}

// ------------------------------------------------------------------ the partnership

#[derive(Clone, Copy)]
enum Ages {
    Older,
    Working,
    Young,
    Mixed,
}

struct ServiceDef {
    name: &'static str,
    org: usize,
    /// Relative share of adults and of carers supported by the service.
    adults: f64,
    carers: f64,
    ages: Ages,
    /// Outcomes people in this service most often talk about.
    focus: &'static [&'static str],
    /// How people refer to the team.
    team: &'static str,
}

const SERVICES: &[ServiceDef] = &[
    ServiceDef {
        name: "Reablement",
        org: 0,
        adults: 12.0,
        carers: 0.0,
        ages: Ages::Older,
        focus: &[
            "mobility",
            "skills",
            "confidence_morale",
            "living_as_you_want",
        ],
        team: "the reablement team",
    },
    ServiceDef {
        name: "Home Care",
        org: 0,
        adults: 14.0,
        carers: 2.0,
        ages: Ages::Older,
        focus: &[
            "living_as_you_want",
            "feeling_safe",
            "staying_well",
            "seeing_people",
        ],
        team: "the carers",
    },
    ServiceDef {
        name: "Occupational Therapy",
        org: 1,
        adults: 9.0,
        carers: 0.0,
        ages: Ages::Older,
        focus: &["mobility", "skills", "feeling_safe", "living_as_you_want"],
        team: "the OT",
    },
    ServiceDef {
        name: "Community Mental Health",
        org: 1,
        adults: 10.0,
        carers: 4.0,
        ages: Ages::Working,
        focus: &[
            "confidence_morale",
            "dealing_with_stigma",
            "having_things_to_do",
            "seeing_people",
            "staying_well",
        ],
        team: "the CPN",
    },
    ServiceDef {
        name: "District Nursing",
        org: 1,
        adults: 9.0,
        carers: 0.0,
        ages: Ages::Older,
        focus: &["reduced_symptoms", "staying_well", "living_as_you_want"],
        team: "the nurses",
    },
    ServiceDef {
        name: "Carers Centre",
        org: 2,
        adults: 0.0,
        carers: 70.0,
        ages: Ages::Mixed,
        focus: &[
            "health_wellbeing",
            "life_of_own",
            "informed_skilled_equipped",
        ],
        team: "the Carers Centre",
    },
    ServiceDef {
        name: "Day Opportunities",
        org: 0,
        adults: 5.0,
        carers: 2.0,
        ages: Ages::Mixed,
        focus: &["having_things_to_do", "seeing_people", "skills"],
        team: "the day centre",
    },
    ServiceDef {
        name: "Hospital Discharge Team",
        org: 1,
        adults: 8.0,
        carers: 4.0,
        ages: Ages::Older,
        focus: &[
            "living_as_you_want",
            "mobility",
            "feeling_safe",
            "partnership_with_services",
        ],
        team: "the discharge team",
    },
    ServiceDef {
        name: "Sensory Impairment",
        org: 0,
        adults: 5.0,
        carers: 0.0,
        ages: Ages::Older,
        focus: &[
            "skills",
            "feeling_safe",
            "seeing_people",
            "confidence_morale",
        ],
        team: "the sensory team",
    },
    ServiceDef {
        name: "Learning Disability Team",
        org: 0,
        adults: 6.0,
        carers: 8.0,
        ages: Ages::Young,
        focus: &[
            "living_as_you_want",
            "skills",
            "having_things_to_do",
            "dealing_with_stigma",
            "seeing_people",
            "choices_in_caring",
        ],
        team: "my social worker",
    },
    ServiceDef {
        name: "Older People's Team",
        org: 0,
        adults: 12.0,
        carers: 6.0,
        ages: Ages::Older,
        focus: &[
            "feeling_safe",
            "living_as_you_want",
            "seeing_people",
            "staying_well",
            "cared_for_quality_of_life",
        ],
        team: "my social worker",
    },
    ServiceDef {
        name: "Community Link Workers",
        org: 2,
        adults: 8.0,
        carers: 4.0,
        ages: Ages::Mixed,
        focus: &[
            "seeing_people",
            "having_things_to_do",
            "staying_well",
            "confidence_morale",
            "financial_freedom",
        ],
        team: "my link worker",
    },
];

fn age_for<R: Rng>(r: &mut R, a: Ages) -> u32 {
    let x = match a {
        Ages::Older => {
            if chance(r, 0.85) {
                triangular(r, 65.0, 101.0, 84.0)
            } else {
                triangular(r, 40.0, 65.0, 60.0)
            }
        }
        Ages::Working => triangular(r, 18.0, 80.0, 42.0),
        Ages::Young => triangular(r, 18.0, 72.0, 28.0),
        Ages::Mixed => {
            if chance(r, 0.5) {
                triangular(r, 18.0, 70.0, 45.0)
            } else {
                triangular(r, 60.0, 101.0, 80.0)
            }
        }
    };
    (x as u32).clamp(18, 100)
}

/// Damps barriers that would make no sense for an outcome (a bus timetable getting in
/// the way of partnership with services).
fn plausible(barrier: &str, outcome: &str) -> f64 {
    let fits: &[&str] = match barrier {
        "transport" => &[
            "seeing_people",
            "having_things_to_do",
            "staying_well",
            "confidence_morale",
            "mobility",
            "life_of_own",
            "health_wellbeing",
            "cared_for_quality_of_life",
        ],
        "housing" => &[
            "living_as_you_want",
            "feeling_safe",
            "mobility",
            "skills",
            "health_wellbeing",
            "financial_freedom",
        ],
        "money" => &[
            "financial_freedom",
            "life_of_own",
            "having_things_to_do",
            "seeing_people",
            "staying_well",
            "living_as_you_want",
            "health_wellbeing",
            "cared_for_quality_of_life",
        ],
        _ => return 1.0,
    };
    if fits.contains(&outcome) { 1.0 } else { 0.1 }
}

/// How much likelier than usual an outcome is met in a service: makes reports worth
/// drilling into (reliability in home care, reablement's change outcomes …).
fn service_shift(service: &str, outcome: &str) -> f64 {
    let general = match outcome {
        "seeing_people" => -0.08,
        "dealing_with_stigma" => -0.12,
        "having_things_to_do" => -0.03,
        "life_of_own" => -0.10,
        "financial_freedom" => -0.08,
        "health_wellbeing" => -0.06,
        "informed_skilled_equipped" => 0.10,
        _ => 0.0,
    };
    let specific = match (service, outcome) {
        ("Reablement", "mobility" | "skills" | "confidence_morale") => 0.12,
        ("Home Care", "reliability") => -0.18,
        ("Home Care", "responded_to") => -0.06,
        ("Hospital Discharge Team", "responded_to") => -0.08,
        ("Hospital Discharge Team", "living_as_you_want") => 0.06,
        ("Community Mental Health", "confidence_morale") => -0.05,
        ("District Nursing", "reduced_symptoms") => 0.07,
        ("Community Link Workers", "having_things_to_do" | "seeing_people") => 0.12,
        ("Carers Centre", "valued_respected" | "relationship_with_practitioners") => 0.10,
        ("Carers Centre", "accessible_available") => 0.05,
        (s, "accessible_available") if s != "Carers Centre" => -0.06,
        ("Sensory Impairment", "skills") => 0.06,
        ("Occupational Therapy", "responded_to") => -0.07,
        _ => 0.0,
    };
    general + specific
}

// ------------------------------------------------------------------ people and words

#[derive(Clone, Copy, PartialEq, Eq)]
enum Relation {
    /// The cared-for person is the carer's partner.
    Spouse,
    /// … the carer's parent.
    Parent,
    /// … the carer's child.
    Child,
    Sibling,
    Friend,
}

/// What a carer needs to know about an adult generated earlier to care for them.
struct AdultRef {
    id: Id,
    known: String,
    sex: Sex,
    age: u32,
    culture: Culture,
    family: &'static str,
    first: NaiveDate,
    service: &'static str,
}

/// The person's circumstances that their words refer to, fixed for the person so their
/// words hang together from assessment to review.
struct Cx {
    town: &'static str,
    rel: String,
    rel_name: String,
    hobby: &'static str,
    group: &'static str,
    pet: String,
    worker: &'static str,
    team: &'static str,
    cf: String,
    cf_he: &'static str,
    cf_him: &'static str,
    cf_his: &'static str,
    cond: &'static str,
    label: String,
    /// Where the person worships or meets folk on their day of rest.
    worship: &'static str,
    /// The person's service, for words that only fit some services.
    service: &'static str,
    carer: bool,
    culture: Culture,
}

impl Cx {
    fn slot<'a, R: Rng>(&'a self, r: &mut R, name: &str) -> &'a str {
        match name {
            "town" => self.town,
            "rel" => &self.rel,
            "rel_name" => &self.rel_name,
            "hobby" => self.hobby,
            "group" => self.group,
            "pet" => &self.pet,
            "worker" => self.worker,
            "team" => self.team,
            "cf" => &self.cf,
            "cf_he" => self.cf_he,
            "cf_him" => self.cf_him,
            "cf_his" => self.cf_his,
            "cond" => self.cond,
            "label" => &self.label,
            "worship" => self.worship,
            "place" => pick_str(r, &text::PLACES),
            "day" => pick_str(r, &text::DAYS),
            "time" => pick_str(r, &text::TIMES),
            "worry" => pick_str(r, &text::WORRIES),
            "task" => pick_str(r, &text::TASKS),
            "symptom" => pick_str(r, &text::SYMPTOMS),
            "when" => pick_str(r, &text::WHEN),
            _ => "",
        }
    }

    /// Fills a template's `{slot}`s; a capitalised slot name capitalises the value.
    fn fill<R: Rng>(&self, r: &mut R, tpl: &str) -> String {
        let mut out = String::with_capacity(tpl.len() + 24);
        let mut rest = tpl;
        while let Some((before, after)) = rest.split_once('{') {
            out.push_str(before);
            let Some((name, tail)) = after.split_once('}') else {
                out.push_str(after);
                return out;
            };
            let value = self.slot(r, &name.to_ascii_lowercase());
            if name.starts_with(|c: char| c.is_ascii_uppercase()) {
                let mut cs = value.chars();
                if let Some(c) = cs.next() {
                    out.extend(c.to_uppercase());
                    out.push_str(cs.as_str());
                }
            } else {
                out.push_str(value);
            }
            rest = tail;
        }
        out.push_str(rest);
        out
    }

    /// A template without its `@a,b|` prefix, when it suits this person: the prefix
    /// lists the services or conditions the words fit (long-cane training only in the
    /// sensory team, a memory café only with dementia).
    fn eligible(&self, tpl: &'static str) -> Option<&'static str> {
        match tpl.strip_prefix('@').and_then(|t| t.split_once('|')) {
            Some((only, text)) => only
                .split(',')
                .any(|x| x == self.service || x == self.cond)
                .then_some(text),
            None => Some(tpl),
        }
    }

    /// A template from a bank that suits this person ("" when none does).
    fn pick<R: Rng>(&self, r: &mut R, bank: &[&'static str]) -> &'static str {
        let ok: Vec<&'static str> = bank.iter().filter_map(|t| self.eligible(t)).collect();
        pick_str(r, &ok)
    }

    /// Fills a template picked from a bank.
    fn fill_any<R: Rng>(&self, r: &mut R, bank: &[&'static str]) -> String {
        let tpl = self.pick(r, bank);
        self.fill(r, tpl)
    }

    /// Whether a text entry tagged 0 (anyone), 1 (adults) or 2 (carers) suits.
    fn suits(&self, who: u8) -> bool {
        who == 0 || (who == 2) == self.carer
    }
}

fn pronouns(sex: Sex) -> (&'static str, &'static str, &'static str) {
    match sex {
        Sex::Female => ("she", "her", "her"),
        Sex::Male => ("he", "him", "his"),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    Met,
    Partly,
    Not,
    NoLonger,
}

impl Status {
    fn id(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Partly => "partly_met",
            Status::Not => "not_met",
            Status::NoLonger => "no_longer_relevant",
        }
    }
}

/// An outcome carried in a plan.
struct Item<'f> {
    def: &'f OutcomeDef,
    statement: String,
}

/// Per-person habits that shape every conversation with them.
struct Habits {
    /// Index in the service's team of the person's usual practitioner.
    worker: usize,
    family: bool,
    carer: bool,
    advocate: bool,
    interpreter: bool,
    /// How things tend to go for this person (shifts review statuses).
    shift: f64,
}

struct Fw<'f> {
    fw: &'f Framework,
    main: Vec<&'f OutcomeDef>,
    process: Vec<&'f OutcomeDef>,
}

impl<'f> Fw<'f> {
    fn new(fw: &'f Framework) -> Option<Fw<'f>> {
        let main: Vec<_> = fw
            .outcomes
            .iter()
            .filter(|o| !fw.is_process(&o.id))
            .collect();
        let process: Vec<_> = fw
            .outcomes
            .iter()
            .filter(|o| fw.is_process(&o.id))
            .collect();
        // A review needs planned outcomes, and a plan needs outcomes that are not
        // process outcomes; a form without them cannot be seeded.
        (!main.is_empty()).then_some(Fw { fw, main, process })
    }
}

struct Svc {
    id: Id,
    def: &'static ServiceDef,
    team: Vec<(String, &'static str)>,
}

struct Gen<'f> {
    forms: &'f Forms,
    seed: u64,
    people: usize,
    adult: Fw<'f>,
    carer: Option<Fw<'f>>,
    services: Vec<Svc>,
    adult_w: Vec<f64>,
    carer_w: Vec<f64>,
}

/// One person's records while they are being made.
struct Made<'g, 'f> {
    g: &'g Gen<'f>,
    fw: &'g Fw<'f>,
    person: Person,
    cx: Cx,
    svc: &'g Svc,
    habits: Habits,
    convs: Vec<Conversation>,
    last_ms: u64,
}

impl<'f> Gen<'f> {
    fn rng(&self, stream: u64) -> ChaCha8Rng {
        let mut r = ChaCha8Rng::seed_from_u64(self.seed);
        r.set_stream(stream);
        r
    }

    /// When person `i` first comes to a service. People arrive in the order they are
    /// made, so their time-ordered ids, and most store keys, arrive in order too, which
    /// keeps a bulk load fast; more arrive each year as the approach beds in.
    fn first_contact<R: Rng>(&self, r: &mut R, i: usize) -> NaiveDate {
        const CUMULATIVE: [f64; 4] = [0.0, 0.28, 0.61, 1.0];
        let u = ((i as f64 + r.random::<f64>()) / self.people.max(1) as f64).clamp(0.0, 1.0);
        let fy = CUMULATIVE[1..].iter().position(|c| u < *c).unwrap_or(2);
        let (lo, hi) = (CUMULATIVE[fy], CUMULATIVE[fy + 1]);
        let start = ymd(2023 + fy as i32, 4, 1);
        let days = (ymd(2024 + fy as i32, 4, 1) - start).num_days();
        let day = (((u - lo) / (hi - lo)) * days as f64) as i64;
        workday(add_days(start, day.clamp(0, days - 1)))
    }

    /// Makes person `i` and their conversations.
    fn person(&self, i: usize, pool: &mut VecDeque<AdultRef>) -> (Person, Vec<Conversation>) {
        let mut r = self.rng(i as u64 + 1);
        let r = &mut r;
        let carer_fw = self.carer.as_ref().filter(|_| chance(r, CARER_SHARE));
        let fw = carer_fw.unwrap_or(&self.adult);
        let is_carer = carer_fw.is_some();
        let cared = if is_carer && !pool.is_empty() && chance(r, 0.85) {
            let k = index(r, pool.len());
            pool.swap_remove_back(k)
        } else {
            None
        };
        let svc_i = weighted(
            r,
            if is_carer {
                &self.carer_w
            } else {
                &self.adult_w
            },
        );
        let Some(svc) = self.services.get(svc_i).or(self.services.first()) else {
            // There are always services; an empty list would be a build defect.
            return (self.empty_person(r), Vec::new());
        };
        let def = svc.def;

        // Who they are.
        let (culture, sex, age, family, first);
        let mut cf_bits = None;
        if is_carer {
            let rel;
            let (cared_sex, cared_age, cared_name, cared_service);
            match &cared {
                Some(a) => {
                    rel = relation_for_cared_age(r, a.age);
                    culture = if chance(r, 0.95) {
                        a.culture
                    } else {
                        Culture::pick(r)
                    };
                    sex = carer_sex(r, rel, a.sex);
                    age = carer_age(r, rel, a.age);
                    let share = match rel {
                        Relation::Spouse => 0.8,
                        Relation::Parent => {
                            if sex == Sex::Male {
                                0.9
                            } else {
                                0.45
                            }
                        }
                        Relation::Child => 0.85,
                        Relation::Sibling => 0.6,
                        Relation::Friend => 0.0,
                    };
                    family = if culture == a.culture && chance(r, share) {
                        a.family
                    } else {
                        names::family_name(r, culture)
                    };
                    let f = add_days(a.first, between(r, 0, 200));
                    first = if f <= last_day() {
                        workday(f)
                    } else {
                        self.first_contact(r, i)
                    };
                    cared_sex = a.sex;
                    cared_age = a.age;
                    cared_name = a.known.clone();
                    cared_service = a.service;
                }
                None => {
                    culture = Culture::pick(r);
                    sex = if chance(r, 0.68) {
                        Sex::Female
                    } else {
                        Sex::Male
                    };
                    age = triangular(r, 20.0, 90.0, 60.0).clamp(18.0, 95.0) as u32;
                    rel = relation_for_carer_age(r, age);
                    cared_sex = match rel {
                        Relation::Spouse if chance(r, 0.92) => opposite(sex),
                        _ => {
                            if chance(r, 0.5) {
                                Sex::Female
                            } else {
                                Sex::Male
                            }
                        }
                    };
                    cared_age = cared_age_for(r, rel, age);
                    family = names::family_name(r, culture);
                    first = self.first_contact(r, i);
                    let born = first.year() - cared_age as i32;
                    cared_name = names::first_name(r, culture, cared_sex, born).to_string();
                    cared_service = "";
                }
            }
            cf_bits = Some((rel, cared_sex, cared_age, cared_name, cared_service));
        } else {
            culture = Culture::pick(r);
            age = age_for(r, def.ages);
            sex = if chance(r, if age >= 65 { 0.6 } else { 0.5 }) {
                Sex::Female
            } else {
                Sex::Male
            };
            family = names::family_name(r, culture);
            first = self.first_contact(r, i);
        }
        let born = first.year() - age as i32;
        let (name, known) = names::full_name(r, culture, sex, born, family);
        let dob = chance(r, 0.93).then(|| {
            let back = i64::from(age) * 365 + i64::from(age / 4) + between(r, 0, 364);
            add_days(first, -back)
        });
        let person_ms = millis(first, between(r, 8 * 60, 8 * 60 + 50));
        let id = id_at(r, person_ms);
        let person = Person {
            id,
            name,
            kind: if is_carer {
                PersonKind::Carer
            } else {
                PersonKind::Adult
            },
            service: svc.id,
            dob,
            cares_for: cared.as_ref().map(|a| a.id),
        };

        // Their circumstances, for their words.
        let worker = index(r, svc.team.len());
        let worker_name = svc.team.get(worker).map_or("the worker", |t| t.1);
        let (rel, rel_name) = relative(r, culture, age, born);
        let pet = format!(
            "my {} {}",
            pick_str(r, &text::PETS),
            pick_str(r, &text::PET_NAMES)
        );
        let mut cx = Cx {
            town: pick_str(r, &text::TOWNS),
            rel,
            rel_name,
            hobby: pick_str(r, &text::HOBBIES),
            group: pick_str(r, &text::GROUPS),
            pet,
            worker: worker_name,
            team: def.team,
            cf: String::new(),
            cf_he: "they",
            cf_him: "them",
            cf_his: "their",
            cond: "",
            label: String::new(),
            worship: match culture {
                Culture::Pakistani | Culture::Arabic => "the mosque on a Friday",
                Culture::Sikh => "the gurdwara",
                Culture::Chinese => "the Chinese church",
                Culture::Polish => "Mass on a Sunday",
                _ => "church on a Sunday",
            },
            service: def.name,
            carer: is_carer,
            culture,
        };
        if let Some((rel, cs, ca, cname, cservice)) = cf_bits {
            cx.cf = cared_for_phrase(r, rel, cs, &cname, culture);
            (cx.cf_he, cx.cf_him, cx.cf_his) = pronouns(cs);
            cx.cond = condition(r, ca, cservice);
        }
        let older = age >= 65;
        let habits = Habits {
            worker,
            family: chance(r, if older { 0.35 } else { 0.2 }),
            carer: !is_carer && chance(r, if older { 0.25 } else { 0.1 }),
            advocate: !is_carer
                && chance(
                    r,
                    match def.name {
                        "Learning Disability Team" | "Community Mental Health" => 0.18,
                        _ => 0.04,
                    },
                ),
            interpreter: chance(r, culture.interpreter_chance(age))
                || (def.name == "Sensory Impairment" && chance(r, 0.15)),
            shift: [-0.12, 0.0, 0.10]
                .get(weighted(r, &[0.25, 0.5, 0.25]))
                .copied()
                .unwrap_or(0.0),
        };

        if !is_carer {
            pool.push_back(AdultRef {
                id,
                known: known.to_string(),
                sex,
                age,
                culture,
                family,
                first,
                service: def.name,
            });
            if pool.len() > POOL {
                pool.pop_front();
            }
        }

        let mut m = Made {
            g: self,
            fw,
            person,
            cx,
            svc,
            habits,
            convs: Vec::with_capacity(5),
            last_ms: person_ms,
        };
        m.circuit(r, first, age);
        (m.person, m.convs)
    }

    /// Only reached if the service list were empty, which [`generate`] rules out.
    fn empty_person<R: Rng>(&self, r: &mut R) -> Person {
        Person {
            id: id_at(r, millis(first_day(), 0)),
            name: "Unknown".into(),
            kind: PersonKind::Adult,
            service: Id::from_parts(0, [0; 10]),
            dob: None,
            cares_for: None,
        }
    }
}

fn opposite(s: Sex) -> Sex {
    match s {
        Sex::Female => Sex::Male,
        Sex::Male => Sex::Female,
    }
}

fn relation_for_cared_age<R: Rng>(r: &mut R, cared_age: u32) -> Relation {
    let (rels, w): ([Relation; 5], [f64; 5]) = (
        [
            Relation::Spouse,
            Relation::Parent,
            Relation::Child,
            Relation::Sibling,
            Relation::Friend,
        ],
        if cared_age >= 70 {
            [45.0, 48.0, 0.0, 3.0, 4.0]
        } else if cared_age >= 40 {
            [55.0, 15.0, 12.0, 10.0, 8.0]
        } else {
            [18.0, 0.0, 70.0, 9.0, 3.0]
        },
    );
    rels.get(weighted(r, &w))
        .copied()
        .unwrap_or(Relation::Spouse)
}

fn relation_for_carer_age<R: Rng>(r: &mut R, carer_age: u32) -> Relation {
    let rels = [
        Relation::Spouse,
        Relation::Parent,
        Relation::Child,
        Relation::Sibling,
        Relation::Friend,
    ];
    let w = if carer_age >= 65 {
        [70.0, 3.0, 15.0, 8.0, 4.0]
    } else if carer_age >= 40 {
        [25.0, 50.0, 15.0, 5.0, 5.0]
    } else {
        [20.0, 50.0, 15.0, 10.0, 5.0]
    };
    rels.get(weighted(r, &w))
        .copied()
        .unwrap_or(Relation::Spouse)
}

fn carer_sex<R: Rng>(r: &mut R, rel: Relation, cared: Sex) -> Sex {
    let female = match rel {
        Relation::Spouse => {
            return if chance(r, 0.92) {
                opposite(cared)
            } else {
                cared
            };
        }
        Relation::Parent => 0.65,
        Relation::Child => 0.7,
        Relation::Sibling => 0.6,
        Relation::Friend => 0.65,
    };
    if chance(r, female) {
        Sex::Female
    } else {
        Sex::Male
    }
}

fn carer_age<R: Rng>(r: &mut R, rel: Relation, cared: u32) -> u32 {
    let c = i64::from(cared);
    let a = match rel {
        Relation::Spouse => c + between(r, -6, 6),
        Relation::Parent => c - between(r, 24, 36),
        Relation::Child => c + between(r, 22, 36),
        Relation::Sibling => c + between(r, -8, 8),
        Relation::Friend => c + between(r, -15, 10),
    };
    u32::try_from(a.clamp(18, 95)).unwrap_or(50)
}

fn cared_age_for<R: Rng>(r: &mut R, rel: Relation, carer: u32) -> u32 {
    let c = i64::from(carer);
    let a = match rel {
        Relation::Spouse => c + between(r, -6, 6),
        Relation::Parent => c + between(r, 24, 36),
        Relation::Child => c - between(r, 22, 36),
        Relation::Sibling => c + between(r, -8, 8),
        Relation::Friend => c + between(r, -10, 15),
    };
    u32::try_from(a.clamp(5, 101)).unwrap_or(60)
}

/// How a carer names the person they care for.
fn cared_for_phrase<R: Rng>(
    r: &mut R,
    rel: Relation,
    sex: Sex,
    name: &str,
    culture: Culture,
) -> String {
    let f = sex == Sex::Female;
    match rel {
        Relation::Spouse => {
            let word = if chance(r, 0.15) {
                "partner"
            } else if f {
                "wife"
            } else {
                "husband"
            };
            format!("my {word} {name}")
        }
        Relation::Parent => {
            let formal = culture == Culture::Scottish && chance(r, 0.2);
            match (f, formal) {
                (true, false) => "my mum".into(),
                (true, true) => "my mother".into(),
                (false, false) => "my dad".into(),
                (false, true) => "my father".into(),
            }
        }
        Relation::Child => format!("my {} {name}", if f { "daughter" } else { "son" }),
        Relation::Sibling => format!("my {} {name}", if f { "sister" } else { "brother" }),
        Relation::Friend => {
            let word = if chance(r, 0.5) {
                "friend"
            } else {
                "neighbour"
            };
            format!("my {word} {name}")
        }
    }
}

fn condition<R: Rng>(r: &mut R, age: u32, service: &str) -> &'static str {
    match service {
        "Learning Disability Team" => {
            if chance(r, 0.5) {
                "learning disability"
            } else {
                "autism"
            }
        }
        "Community Mental Health" => {
            if chance(r, 0.7) {
                "mental health"
            } else {
                "addiction"
            }
        }
        _ if age >= 60 => pick_str(r, &text::CONDITIONS_OLDER),
        _ => pick_str(r, &text::CONDITIONS_YOUNGER),
    }
}

/// The person's closest family member or friend, named the way they would.
fn relative<R: Rng>(r: &mut R, culture: Culture, age: u32, born: i32) -> (String, String) {
    let (word, sex, gap): (&str, Sex, i32) = if age >= 60 {
        match weighted(r, &[35.0, 25.0, 8.0, 10.0, 8.0, 5.0, 9.0]) {
            0 => ("daughter", Sex::Female, 28),
            1 => ("son", Sex::Male, 28),
            2 => ("niece", Sex::Female, 30),
            3 => ("neighbour", Sex::Female, 10),
            4 => ("granddaughter", Sex::Female, 55),
            5 => ("grandson", Sex::Male, 55),
            _ => ("friend", Sex::Female, 0),
        }
    } else {
        match weighted(r, &[30.0, 10.0, 15.0, 10.0, 15.0, 20.0]) {
            0 => ("mum", Sex::Female, -28),
            1 => ("dad", Sex::Male, -30),
            2 => ("sister", Sex::Female, 2),
            3 => ("brother", Sex::Male, -2),
            4 => (
                "partner",
                if chance(r, 0.5) {
                    Sex::Female
                } else {
                    Sex::Male
                },
                0,
            ),
            _ => ("pal", Sex::Male, 0),
        }
    };
    let name = names::first_name(r, culture, sex, born + gap);
    (format!("my {word} {name}"), name.to_string())
}

// ------------------------------------------------------------------ the circuit

impl<'g, 'f> Made<'g, 'f> {
    fn vocab_has(&self, v: Vocab, id: &str) -> bool {
        self.g.forms.vocab.contains(v, id)
    }

    /// The time of a conversation on `date`, always after the person's previous one.
    fn stamp<R: Rng>(&mut self, r: &mut R, date: NaiveDate) -> u64 {
        let ms = millis(date, between(r, 9 * 60, 16 * 60 + 30)).max(self.last_ms + 15 * 60_000);
        self.last_ms = ms;
        ms
    }

    fn practitioner<R: Rng>(&self, r: &mut R) -> String {
        let team = &self.svc.team;
        let i = if chance(r, 0.88) {
            self.habits.worker
        } else {
            index(r, team.len())
        };
        team.get(i)
            .or(team.first())
            .map_or_else(|| "Duty worker".to_string(), |t| t.0.clone())
    }

    fn participants<R: Rng>(&self, r: &mut R) -> Vec<String> {
        let h = &self.habits;
        let wanted = [
            ("person", true),
            ("carer", h.carer && chance(r, 0.7)),
            ("family", h.family && chance(r, 0.6)),
            ("advocate", h.advocate && chance(r, 0.85)),
            ("interpreter", h.interpreter && chance(r, 0.95)),
            ("friend", chance(r, 0.03)),
            ("other", chance(r, 0.01)),
        ];
        wanted
            .iter()
            .filter(|(id, yes)| *yes && self.vocab_has(Vocab::Participants, id))
            .map(|(id, _)| id.to_string())
            .collect()
    }

    fn push<R: Rng>(&mut self, r: &mut R, date: NaiveDate, body: StageBody) {
        let ms = self.stamp(r, date);
        let c = Conversation {
            id: id_at(r, ms),
            person: self.person.id,
            date,
            practitioner: self.practitioner(r),
            participants: self.participants(r),
            form: self.fw.fw.id.clone(),
            form_version: self.fw.fw.version,
            revision: 0,
            consent: None,
            withdrawn: None,
            body,
        };
        self.convs.push(c);
    }

    fn set_label(&mut self, o: &OutcomeDef) {
        self.cx.label.clear();
        self.cx.label.push_str(&o.label.to_lowercase());
    }

    /// Words in the person's own language, with the English, now and then.
    fn foreign<R: Rng>(&self, r: &mut R, outcome: &str) -> Option<String> {
        if !chance(r, self.cx.culture.own_language_chance()) {
            return None;
        }
        let options: Vec<&text::Foreign> = text::FOREIGN
            .iter()
            .filter(|f| f.culture == self.cx.culture && f.outcome == outcome)
            .collect();
        let f = options.get(index(r, options.len()))?;
        Some(format!("{} — \"{}\"", f.text, f.english))
    }

    fn outcome_weights(&self, age: u32) -> Vec<f64> {
        let focus = self.svc.def.focus;
        self.fw
            .main
            .iter()
            .map(|o| {
                let id = o.id.as_str();
                let mut w = match id {
                    "dealing_with_stigma" => 0.5,
                    "health_wellbeing" | "life_of_own" => 3.0,
                    "cared_for_quality_of_life" | "choices_in_caring" => 2.0,
                    "informed_skilled_equipped" => 2.0,
                    "satisfaction_in_caring" => 0.8,
                    _ => 1.0,
                };
                if focus.contains(&id) {
                    w *= 3.5;
                }
                match id {
                    "feeling_safe" | "mobility" | "staying_well" | "living_as_you_want"
                        if age >= 75 =>
                    {
                        w *= 1.6
                    }
                    "dealing_with_stigma" | "having_things_to_do" if age < 50 => w *= 1.5,
                    "mobility" if age < 50 => w *= 0.5,
                    _ => {}
                }
                w
            })
            .collect()
    }

    fn assessed<R: Rng>(&mut self, r: &mut R, o: &OutcomeDef, priority: bool) -> AssessedOutcome {
        self.set_label(o);
        let t = text::outcome(&o.id).unwrap_or(&text::GENERIC);
        let cx = &self.cx;
        let own_words = if chance(r, 0.96) {
            match self.foreign(r, &o.id) {
                Some(f) => f,
                None => {
                    let mut s = cx.fill_any(r, &t.own);
                    if chance(r, 0.22) {
                        let extras: Vec<&str> = text::EXTRAS
                            .iter()
                            .filter(|e| cx.suits(e.0))
                            .map(|e| e.1)
                            .collect();
                        let e = pick_str(r, &extras);
                        if !e.is_empty() {
                            s.push(' ');
                            s.push_str(&cx.fill(r, e));
                        }
                    }
                    if chance(r, 0.01) {
                        s.push(' ');
                        s.push_str(pick_str(r, &text::EMOJI));
                    }
                    s
                }
            }
        } else {
            String::new()
        };
        let why = if chance(r, 0.85) {
            cx.fill_any(r, &t.why)
        } else {
            String::new()
        };
        let (mut strengths, mut resources) = (String::new(), Vec::new());
        if chance(r, 0.75) {
            let n = if chance(r, 0.35) { 2 } else { 1 };
            for _ in 0..n {
                let bank = if cx.carer && chance(r, 0.5) {
                    &text::CARER_STRENGTHS
                } else {
                    &text::STRENGTHS
                };
                let Some((res, words)) = bank.get(index(r, bank.len())) else {
                    continue;
                };
                if resources.iter().any(|x: &String| x == res) {
                    continue;
                }
                if !strengths.is_empty() {
                    strengths.push(' ');
                }
                strengths.push_str(&cx.fill(r, words));
                if self.vocab_has(Vocab::Resources, res) {
                    resources.push(res.to_string());
                }
            }
        }
        AssessedOutcome {
            outcome: o.id.clone(),
            own_words,
            why,
            strengths,
            resources,
            priority,
        }
    }

    fn statement<R: Rng>(&mut self, r: &mut R, o: &OutcomeDef, not: Option<&str>) -> String {
        self.set_label(o);
        let t = text::outcome(&o.id).unwrap_or(&text::GENERIC);
        let mut s = self.cx.fill_any(r, &t.statement);
        // A revised outcome gets new words where the bank allows.
        for _ in 0..3 {
            if Some(s.as_str()) != not {
                break;
            }
            s = self.cx.fill_any(r, &t.statement);
        }
        s
    }

    fn planned<R: Rng>(
        &mut self,
        r: &mut R,
        item: &Item,
        date: NaiveDate,
        review_by: NaiveDate,
    ) -> PlannedOutcome {
        self.set_label(item.def);
        let t = text::outcome(&item.def.id).unwrap_or(&text::GENERIC);
        let n = [1, 2, 3]
            .get(weighted(r, &[0.3, 0.5, 0.2]))
            .copied()
            .unwrap_or(1);
        let fallback_owner = self
            .g
            .forms
            .vocab
            .action_owners
            .first()
            .map(|t| t.id.as_str());
        let bank: Vec<(&str, &str)> = t
            .actions
            .iter()
            .filter_map(|(o, w)| self.cx.eligible(w).map(|w| (*o, w)))
            .collect();
        let mut actions = Vec::new();
        for k in weighted_distinct(r, &vec![1.0; bank.len()], n) {
            let Some((owner, what)) = bank.get(k) else {
                continue;
            };
            let who = if self.vocab_has(Vocab::ActionOwners, owner) {
                owner.to_string()
            } else if let Some(f) = fallback_owner {
                f.to_string()
            } else {
                continue;
            };
            let latest = (review_by - date).num_days() - 7;
            let by = chance(r, 0.8).then(|| add_days(date, between(r, 7, latest.max(7))));
            actions.push(Action {
                who,
                what: self.cx.fill(r, what),
                by,
            });
        }
        PlannedOutcome {
            outcome: item.def.id.clone(),
            statement: item.statement.clone(),
            actions,
        }
    }

    fn status<R: Rng>(&self, r: &mut R, outcome: &str, process: bool, shift: f64) -> Status {
        let [mut met, mut partly, mut not, nlr] = if process {
            [56.0, 28.0, 13.0, 3.0]
        } else {
            [44.0, 31.0, 15.0, 10.0]
        };
        let s = shift + self.habits.shift + service_shift(self.svc.def.name, outcome);
        met = (met + 100.0 * s).max(1.5);
        partly = (partly - 40.0 * s).max(1.5);
        not = (not - 60.0 * s).max(1.5);
        match weighted(r, &[met, partly, not, nlr]) {
            0 => Status::Met,
            1 => Status::Partly,
            2 => Status::Not,
            _ => Status::NoLonger,
        }
    }

    fn barriers<R: Rng>(&self, r: &mut R, outcome: &str, n: usize, process: bool) -> Vec<String> {
        let ids = self.g.forms.vocab.ids(Vocab::Barriers);
        let interp = self.habits.interpreter;
        let w: Vec<f64> = ids
            .iter()
            .map(|b| {
                if process {
                    // The experience of support is let down by services, not by health.
                    return match *b {
                        "service_unavailable_or_delayed" => 4.0,
                        "communication" => 3.0,
                        "other" => 0.3,
                        "health_change"
                        | "carer_or_family_circumstances"
                        | "money"
                        | "housing"
                        | "transport"
                        | "person_chose_differently" => 0.0,
                        _ => 0.3,
                    };
                }
                let base = match *b {
                    "health_change" => 3.0,
                    "service_unavailable_or_delayed" => 3.0,
                    "transport" => 1.3,
                    "money" => 1.0,
                    "housing" => 0.6,
                    "carer_or_family_circumstances" => 1.2,
                    "person_chose_differently" => 0.8,
                    "communication" => 0.9,
                    "other" => 0.6,
                    _ => 0.5,
                };
                let boost = match (*b, outcome) {
                    ("transport", "seeing_people" | "having_things_to_do" | "life_of_own") => 3.0,
                    ("housing", "living_as_you_want") => 5.0,
                    ("money", "financial_freedom" | "life_of_own" | "having_things_to_do") => 3.0,
                    (
                        "health_change",
                        "reduced_symptoms" | "mobility" | "staying_well" | "health_wellbeing",
                    ) => 2.0,
                    ("service_unavailable_or_delayed", "reliability" | "responded_to") => 3.0,
                    ("communication", "listened_to" | "partnership_with_services") => 3.0,
                    ("carer_or_family_circumstances", _) if self.cx.carer => 2.0,
                    ("communication", _) if interp => 3.0,
                    _ => 1.0,
                };
                base * boost * plausible(b, outcome)
            })
            .collect();
        weighted_distinct(r, &w, n)
            .into_iter()
            .filter_map(|i| ids.get(i).map(|s| s.to_string()))
            .collect()
    }

    fn contributors<R: Rng>(&self, r: &mut R, n: usize, process: bool) -> Vec<String> {
        let ids = self.g.forms.vocab.ids(Vocab::Contributors);
        let link = self.svc.def.name == "Community Link Workers";
        let w: Vec<f64> = ids
            .iter()
            .map(|c| match *c {
                "services" if process => 8.0,
                "person" if process => 1.0,
                "family_friends" if process => 0.6,
                _ if process => 0.0,
                "person" => 3.0,
                "family_friends" => 2.5,
                "community" if link => 3.0,
                "community" => 1.5,
                "services" => 3.0,
                _ => 0.5,
            })
            .collect();
        weighted_distinct(r, &w, n)
            .into_iter()
            .filter_map(|i| ids.get(i).map(|s| s.to_string()))
            .collect()
    }

    fn reviewed<R: Rng>(&mut self, r: &mut R, o: &OutcomeDef, status: Status) -> ReviewedOutcome {
        self.set_label(o);
        // Process outcomes are the experience of support: what helped and hindered is
        // about services, and there is no next step because nothing was planned.
        let process = self.fw.fw.is_process(&o.id);
        let cx = &self.cx;
        let mut out = ReviewedOutcome {
            outcome: o.id.clone(),
            status: status.id().to_string(),
            ..Default::default()
        };

        // What helped, and who.
        let p_helped = match (status, process) {
            (Status::Met, false) => 0.9,
            (Status::Partly, false) => 0.75,
            (Status::Not, false) => 0.3,
            (Status::NoLonger, false) => 0.15,
            (Status::Met, true) => 0.4,
            (Status::Partly, true) => 0.25,
            _ => 0.0,
        };
        if chance(r, p_helped) {
            let n = if !process && chance(r, 0.4) { 2 } else { 1 };
            let tags = self.contributors(r, n, process);
            let specific: &[(&str, &str)] = match (process, text::outcome(&o.id)) {
                (false, Some(t)) => &t.helped,
                _ => &[],
            };
            let generic = if process {
                &text::PROCESS_HELPED
            } else {
                &text::HELPED
            };
            let mut words = Vec::new();
            for tag in &tags {
                let mine: Vec<&'static str> = specific
                    .iter()
                    .filter(|h| h.0 == tag)
                    .map(|h| h.1)
                    .collect();
                let mut line = if chance(r, 0.65) {
                    cx.pick(r, &mine)
                } else {
                    ""
                };
                if line.is_empty() {
                    let any: Vec<&'static str> = generic
                        .iter()
                        .filter(|h| h.0 == tag && cx.suits(h.1))
                        .map(|h| h.2)
                        .collect();
                    line = cx.pick(r, &any);
                }
                if !line.is_empty() {
                    words.push(cx.fill(r, line));
                }
            }
            out.helped = words.join(" ");
            out.contributors = tags;
        }

        // What got in the way.
        let p_hindered = match (status, process) {
            (Status::Met, false) => 0.08,
            (Status::Partly, false) => 0.85,
            (Status::Not, false) => 0.95,
            (Status::NoLonger, false) => 0.5,
            (Status::Partly, true) => 0.4,
            (Status::Not, true) => 0.7,
            _ => 0.0,
        };
        if chance(r, p_hindered) {
            let n = if !process && chance(r, 0.3) { 2 } else { 1 };
            let tags = self.barriers(r, &o.id, n, process);
            let mut words = Vec::new();
            for tag in &tags {
                let lines: Vec<&'static str> = text::HINDERED
                    .iter()
                    .filter(|h| h.0 == tag && cx.suits(h.1))
                    .map(|h| h.2)
                    .collect();
                let line = cx.pick(r, &lines);
                if !line.is_empty() {
                    words.push(cx.fill(r, line));
                }
            }
            out.hindered = words.join(" ");
            out.barriers = tags;
        }

        // Their words about the change.
        if chance(r, 0.88) {
            let foreign = if status == Status::Met {
                self.foreign(r, "")
            } else {
                None
            };
            out.own_words = match foreign {
                Some(f) => f,
                None => {
                    let mut line = "";
                    if process {
                        let t = text::process(&o.id).unwrap_or(&text::GENERIC_PROCESS);
                        line = match status {
                            Status::Met => cx.pick(r, &t.good),
                            Status::Partly => cx.pick(r, &t.mixed),
                            Status::Not => cx.pick(r, &t.poor),
                            Status::NoLonger => {
                                "I've not had enough to do with them lately to say."
                            }
                        };
                    } else if chance(r, 0.55) {
                        let specific: &[&str] = match (status, text::outcome(&o.id)) {
                            (Status::Met, Some(t)) => &t.met,
                            (Status::Partly | Status::Not, Some(t)) => &t.unmet,
                            _ => &[],
                        };
                        line = cx.pick(r, specific);
                    }
                    if line.is_empty() {
                        line = cx.pick(
                            r,
                            match status {
                                Status::Met => &text::REVIEW_MET,
                                Status::Partly => &text::REVIEW_PARTLY,
                                Status::Not => &text::REVIEW_NOT,
                                Status::NoLonger => &text::REVIEW_NLR,
                            },
                        );
                    }
                    let mut s = cx.fill(r, line);
                    if status == Status::Met && chance(r, 0.04) {
                        s.push(' ');
                        s.push_str(pick_str(r, &text::EMOJI));
                    }
                    s
                }
            };
        }

        // Next step.
        if !process {
            let w = match status {
                Status::Met => [0.22, 0.03, 0.75],
                Status::Partly => [0.55, 0.35, 0.10],
                Status::Not => [0.35, 0.55, 0.10],
                Status::NoLonger => [0.0, 0.1, 0.9],
            };
            let id = ["continue", "revise", "close"]
                .get(weighted(r, &w))
                .copied()
                .unwrap_or("close");
            out.next =
                (chance(r, 0.97) && self.vocab_has(Vocab::NextSteps, id)).then(|| id.to_string());
        }
        out
    }

    /// Assessment, plan, review and sometimes a second plan and review.
    fn circuit<R: Rng>(&mut self, r: &mut R, first: NaiveDate, age: u32) {
        let fw = self.fw;

        // Assessment: two to five outcomes, some of them priorities for the plan.
        let k = [2, 3, 4, 5]
            .get(weighted(r, &[0.2, 0.35, 0.3, 0.15]))
            .copied()
            .unwrap_or(3);
        let picks = weighted_distinct(r, &self.outcome_weights(age), k);
        let n_pri = [1, 2, 3]
            .get(weighted(r, &[0.25, 0.45, 0.3]))
            .copied()
            .unwrap_or(1);
        let chosen: Vec<(&'f OutcomeDef, bool)> = picks
            .iter()
            .enumerate()
            .filter_map(|(n, i)| fw.main.get(*i).map(|o| (*o, n < n_pri)))
            .collect();
        let outcomes: Vec<AssessedOutcome> = chosen
            .iter()
            .map(|(o, pri)| self.assessed(r, o, *pri))
            .collect();
        self.push(r, first, StageBody::Assessment { outcomes });

        let mut items: Vec<Item<'f>> = Vec::new();
        for (o, pri) in &chosen {
            if (*pri || chance(r, 0.1)) && items.len() < 4 {
                let statement = self.statement(r, o, None);
                items.push(Item { def: o, statement });
            }
        }
        if items.is_empty() || !chance(r, 0.88) {
            return;
        }

        let mut plan_date = workday(add_days(first, between(r, 7, 28)));
        for cycle in 0..2 {
            if plan_date > last_day() || items.is_empty() {
                return;
            }
            let review_by = workday(add_days(plan_date, between(r, 56, 112)));
            let planned: Vec<PlannedOutcome> = items
                .iter()
                .map(|it| self.planned(r, it, plan_date, review_by))
                .collect();
            self.push(
                r,
                plan_date,
                StageBody::Planning {
                    review_by: Some(review_by),
                    outcomes: planned,
                },
            );

            // Most plans are reviewed, some late, some never (overdue).
            if chance(r, if cycle == 0 { 0.17 } else { 0.25 }) {
                return;
            }
            let late = chance(r, 0.3);
            let offset = if late {
                between(r, 10, 120)
            } else {
                between(r, -14, 4)
            };
            let review_date = workday(add_days(review_by, offset));
            if review_date > last_day() || review_date <= plan_date {
                return;
            }
            let shift = fy_index(review_date) as f64 * 0.025 + if cycle == 1 { 0.05 } else { 0.0 }
                - if late { 0.03 } else { 0.0 };
            let mut reviewed = Vec::new();
            for it in &items {
                let st = self.status(r, &it.def.id, false, shift);
                reviewed.push(self.reviewed(r, it.def, st));
            }
            if chance(r, 0.8) && !fw.process.is_empty() {
                let n = usize::try_from(between(r, 2, 4)).unwrap_or(2);
                for i in weighted_distinct(r, &vec![1.0; fw.process.len()], n) {
                    if let Some(o) = fw.process.get(i) {
                        let st = self.status(r, &o.id, true, shift);
                        reviewed.push(self.reviewed(r, o, st));
                    }
                }
            }
            let nexts: Vec<(String, Option<String>)> = reviewed
                .iter()
                .map(|o| (o.outcome.clone(), o.next.clone()))
                .collect();
            self.push(r, review_date, StageBody::Review { outcomes: reviewed });
            if cycle == 1 {
                return;
            }

            // A second cycle for outcomes still being worked on, and now and then for
            // something new.
            let mut next_items = Vec::new();
            for it in items.drain(..) {
                let next = nexts
                    .iter()
                    .find(|n| n.0 == it.def.id)
                    .and_then(|n| n.1.as_deref());
                match next {
                    Some("revise") => {
                        let statement = self.statement(r, it.def, Some(&it.statement));
                        next_items.push(Item {
                            def: it.def,
                            statement,
                        });
                    }
                    Some("continue") => {
                        let statement = if chance(r, 0.7) {
                            it.statement
                        } else {
                            self.statement(r, it.def, Some(&it.statement))
                        };
                        next_items.push(Item {
                            def: it.def,
                            statement,
                        });
                    }
                    _ => {}
                }
            }
            let go_on = if next_items.is_empty() {
                chance(r, 0.08)
            } else {
                chance(r, 0.45)
            };
            if !go_on {
                return;
            }
            if next_items.is_empty() || chance(r, 0.3) {
                let taken: Vec<&str> = next_items.iter().map(|i| i.def.id.as_str()).collect();
                let w: Vec<f64> = self
                    .outcome_weights(age)
                    .iter()
                    .zip(&fw.main)
                    .map(|(w, o)| {
                        if taken.contains(&o.id.as_str()) {
                            0.0
                        } else {
                            *w
                        }
                    })
                    .collect();
                if let Some(o) = weighted_distinct(r, &w, 1)
                    .first()
                    .and_then(|i| fw.main.get(*i))
                {
                    let statement = self.statement(r, o, None);
                    next_items.push(Item { def: o, statement });
                }
            }
            items = next_items;
            plan_date = if chance(r, 0.2) {
                // Things changed enough to talk it all through again first.
                let again = workday(add_days(review_date, between(r, 7, 30)));
                if again > last_day() {
                    return;
                }
                let defs: Vec<&'f OutcomeDef> = items.iter().map(|i| i.def).collect();
                let outcomes = defs.iter().map(|o| self.assessed(r, o, true)).collect();
                self.push(r, again, StageBody::Assessment { outcomes });
                workday(add_days(again, between(r, 5, 21)))
            } else if chance(r, 0.4) {
                review_date
            } else {
                workday(add_days(review_date, between(r, 1, 21)))
            };
        }
    }
}

// ------------------------------------------------------------------ entry point

/// Generates into `store`, calling `progress(done_people)` now and then (the CLI wires
/// it to indicatif).
pub fn generate(
    store: &Store,
    forms: &Forms,
    opts: &SeedOptions,
    progress: &mut dyn FnMut(usize),
) -> anyhow::Result<SeedSummary> {
    let adult = forms
        .framework_for(PersonKind::Adult)
        .and_then(Fw::new)
        .ok_or_else(|| {
            anyhow::anyhow!("the forms have no adult framework with outcomes to seed from")
        })?;
    let carer = forms.framework_for(PersonKind::Carer).and_then(Fw::new);

    // The partnership structure, from stream 0.
    let mut r = ChaCha8Rng::seed_from_u64(opts.seed);
    let base = millis(ymd(2023, 3, 1), 9 * 60);
    let mut services = Vec::with_capacity(SERVICES.len());
    let mut new_services = Vec::new();
    for (i, def) in SERVICES.iter().enumerate() {
        // Drawn whether or not it is used, so reuse does not shift later draws.
        let fresh = id_at(&mut r, base + i as u64 * 60_000);
        let id = match store.find_service(def.name)? {
            Some(s) => s.id,
            None => {
                let s = Service {
                    id: fresh,
                    name: def.name.to_string(),
                    organisation: ORGANISATIONS.get(def.org).copied().unwrap_or("").into(),
                    partnership: PARTNERSHIP.into(),
                };
                new_services.push(s);
                fresh
            }
        };
        let total_w: f64 = SERVICES.iter().map(|s| s.adults + s.carers / 4.0).sum();
        let share = (def.adults + def.carers / 4.0) / total_w.max(1.0);
        // Caseloads of roughly 150 people over three years per practitioner.
        let size = ((opts.people as f64 * share / 150.0).ceil() as usize).clamp(3, 40);
        let mut team: Vec<(String, &'static str)> = Vec::with_capacity(size);
        for _ in 0..size * 3 {
            if team.len() >= size {
                break;
            }
            let p = names::practitioner(&mut r);
            if !team.iter().any(|t| t.0 == p.0) {
                team.push(p);
            }
        }
        services.push(Svc { id, def, team });
    }
    let g = Gen {
        forms,
        seed: opts.seed,
        people: opts.people,
        adult,
        carer,
        adult_w: SERVICES.iter().map(|s| s.adults).collect(),
        carer_w: SERVICES.iter().map(|s| s.carers).collect(),
        services,
    };

    if !new_services.is_empty() {
        store.write_unflushed(&Batch {
            services: new_services.iter().collect(),
            ..Default::default()
        })?;
    }

    // People are made on a second thread while the store writes the previous batch;
    // the bounded channel keeps at most a few batches in memory.
    let total = opts.people;
    let (tx, rx) = std::sync::mpsc::sync_channel::<(Vec<Person>, Vec<Conversation>)>(2);
    let gen_ref = &g;
    let conversations = std::thread::scope(|s| -> anyhow::Result<usize> {
        // Owned here so that it is dropped, and the maker stops, if a write fails.
        let rx = rx;
        s.spawn(move || {
            let mut pool = VecDeque::with_capacity(POOL + 1);
            let mut start = 0;
            while start < total {
                let n = BATCH.min(total - start);
                let mut people = Vec::with_capacity(n);
                let mut convs = Vec::with_capacity(n * 4);
                for i in start..start + n {
                    let (p, cs) = gen_ref.person(i, &mut pool);
                    people.push(p);
                    convs.extend(cs);
                }
                if tx.send((people, convs)).is_err() {
                    return;
                }
                start += n;
            }
        });
        let (mut done, mut conversations) = (0, 0);
        for (people, convs) in rx.iter() {
            store.write_unflushed(&Batch {
                services: Vec::new(),
                people: people.iter().collect(),
                conversations: convs.iter().collect(),
                ..Default::default()
            })?;
            done += people.len();
            conversations += convs.len();
            progress(done);
        }
        Ok(conversations)
    })?;
    store.flush()?;
    store.log("seed", "store", &format!("{} people", opts.people))?;
    Ok(SeedSummary {
        services: g.services.len(),
        people: opts.people,
        conversations,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Stage, validate_conversation, validate_person};
    use std::collections::{HashMap, HashSet};

    fn forms() -> Forms {
        Forms::embedded().expect("embedded forms are sound")
    }

    fn seeded(people: usize, seed: u64) -> (tempfile::TempDir, Store, SeedSummary) {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(&dir.path().join("s")).expect("store opens");
        let mut calls = Vec::new();
        let summary = generate(&store, &forms(), &SeedOptions { people, seed }, &mut |n| {
            calls.push(n)
        })
        .expect("seeding works");
        assert_eq!(calls.last().copied().unwrap_or(0), people);
        assert!(calls.windows(2).all(|w| w[0] < w[1]));
        (dir, store, summary)
    }

    fn texts(c: &Conversation) -> Vec<&str> {
        let mut out: Vec<&str> = vec![&c.practitioner];
        match &c.body {
            StageBody::Assessment { outcomes } => {
                for o in outcomes {
                    out.extend([o.own_words.as_str(), &o.why, &o.strengths]);
                }
            }
            StageBody::Planning { outcomes, .. } => {
                for o in outcomes {
                    out.push(&o.statement);
                    out.extend(o.actions.iter().map(|a| a.what.as_str()));
                }
            }
            StageBody::Review { outcomes } => {
                for o in outcomes {
                    out.extend([o.helped.as_str(), &o.hindered, &o.own_words]);
                }
            }
        }
        out
    }

    #[test]
    fn every_record_is_valid() {
        let f = forms();
        let (_dir, store, summary) = seeded(300, 1);
        let people = store.people().unwrap();
        assert_eq!(people.len(), 300);
        assert_eq!(summary.people, 300);
        assert_eq!(summary.services, 12);
        assert_eq!(store.services().unwrap().len(), 12);
        assert_eq!(store.conversation_count(), summary.conversations);
        assert!(summary.conversations > 600, "{summary:?}");
        let kinds: HashMap<Id, PersonKind> = people.iter().map(|p| (p.id, p.kind)).collect();
        let services: HashSet<Id> = store.services().unwrap().iter().map(|s| s.id).collect();
        let today = ymd(2026, 11, 23);
        for p in &people {
            assert!(services.contains(&p.service));
            let problems = validate_person(p, today, |id| kinds.get(id).copied());
            assert!(problems.is_empty(), "{}: {problems:?}", p.name);
            if let Some(dob) = p.dob {
                assert!(dob <= ymd(2008, 3, 31), "{} born {dob}", p.name);
            }
            let convs = store.conversations_of(&p.id).unwrap();
            assert!(!convs.is_empty());
            assert_eq!(convs[0].stage(), Stage::Assessment);
            let fw = f.framework_for(p.kind).unwrap();
            for (i, c) in convs.iter().enumerate() {
                let earlier: Vec<&Conversation> = convs[..i].iter().collect();
                for day in [today, ymd(2031, 1, 1)] {
                    let problems = validate_conversation(c, p, &f, &earlier, day);
                    assert!(problems.is_empty(), "{}: {problems:?}\n{c:#?}", p.name);
                }
                assert!(c.date >= first_day() && c.date <= last_day(), "{}", c.date);
                assert!(!matches!(c.date.weekday(), Weekday::Sat | Weekday::Sun));
                assert_eq!(
                    (c.form.as_str(), c.form_version),
                    (fw.id.as_str(), fw.version)
                );
                assert!(c.participants.iter().any(|x| x == "person"));
                for t in texts(c) {
                    assert!(!t.contains(['{', '}', '@', '|']), "unfilled slot: {t}");
                    assert_eq!(t, t.trim(), "stray spaces: {t:?}");
                }
            }
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_data() {
        let (_a, s1, _) = seeded(150, 42);
        let (_b, s2, _) = seeded(150, 42);
        let (_c, s3, _) = seeded(150, 43);
        assert_eq!(s1.services().unwrap(), s2.services().unwrap());
        assert_eq!(s1.people().unwrap(), s2.people().unwrap());
        assert_eq!(s1.conversations().unwrap(), s2.conversations().unwrap());
        assert_ne!(s1.people().unwrap(), s3.people().unwrap());
        assert_ne!(s1.conversations().unwrap(), s3.conversations().unwrap());
        // Byte-identical too, as serialised for interchange.
        let json = |s: &Store| serde_json::to_string(&s.conversations().unwrap()).unwrap();
        assert_eq!(json(&s1), json(&s2));
    }

    #[test]
    fn an_existing_service_is_reused() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s")).unwrap();
        let mine = Service {
            id: Id::new(),
            name: "reablement ".into(),
            organisation: "Our council".into(),
            partnership: "Our HSCP".into(),
        };
        store.add_service(&mine).unwrap();
        let s = generate(
            &store,
            &forms(),
            &SeedOptions {
                people: 40,
                seed: 3,
            },
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(s.services, 12);
        let all = store.services().unwrap();
        assert_eq!(all.len(), 12);
        assert!(all.contains(&mine));
        // Seeding again with the same seed rewrites the same records.
        generate(
            &store,
            &forms(),
            &SeedOptions {
                people: 40,
                seed: 3,
            },
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(store.people_count(), 40);
        assert_eq!(store.services().unwrap().len(), 12);
    }

    #[test]
    fn no_people_still_sets_up_the_partnership() {
        let (_d, store, s) = seeded(0, 9);
        assert_eq!(
            s,
            SeedSummary {
                services: 12,
                people: 0,
                conversations: 0
            }
        );
        let orgs: HashSet<String> = store
            .services()
            .unwrap()
            .into_iter()
            .map(|s| s.organisation)
            .collect();
        assert_eq!(orgs.len(), 3);
        assert!(
            store
                .audit_entries()
                .unwrap()
                .iter()
                .any(|a| a.action == "seed")
        );
    }

    #[test]
    fn the_spread_is_believable() {
        let (_d, store, _) = seeded(1500, 2026);
        let people = store.people().unwrap();
        let services: HashMap<Id, String> = store
            .services()
            .unwrap()
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect();
        let by_id: HashMap<Id, &Person> = people.iter().map(|p| (p.id, p)).collect();

        // About one carer for every four adults, mostly at the Carers Centre, mostly
        // linked to an adult in the store.
        let carers: Vec<&Person> = people
            .iter()
            .filter(|p| p.kind == PersonKind::Carer)
            .collect();
        let adults = people.len() - carers.len();
        let ratio = carers.len() as f64 / adults as f64;
        assert!((0.2..0.32).contains(&ratio), "carers per adult {ratio}");
        let at_centre = carers
            .iter()
            .filter(|c| services.get(&c.service).map(String::as_str) == Some("Carers Centre"))
            .count();
        assert!(
            at_centre * 10 > carers.len() * 6,
            "{at_centre} of {}",
            carers.len()
        );
        let linked = carers
            .iter()
            .filter(|c| {
                c.cares_for
                    .and_then(|id| by_id.get(&id))
                    .is_some_and(|a| a.kind == PersonKind::Adult)
            })
            .count();
        assert!(
            linked * 10 > carers.len() * 7,
            "{linked} of {}",
            carers.len()
        );
        let cared: HashSet<Id> = carers.iter().filter_map(|c| c.cares_for).collect();
        assert!(
            cared.len() * 10 > linked * 9,
            "mostly one carer per cared-for person"
        );

        // Many older people, nobody under 18 or over 100 at first contact.
        let convs = store.conversations().unwrap();
        let mut first: HashMap<Id, NaiveDate> = HashMap::new();
        for c in &convs {
            first.entry(c.person).or_insert(c.date);
        }
        let ages: Vec<i64> = people
            .iter()
            .filter(|p| p.kind == PersonKind::Adult)
            .filter_map(|p| {
                Some((first.get(&p.id)?.signed_duration_since(p.dob?).num_days()) / 365)
            })
            .collect();
        assert!(ages.iter().all(|a| (18..=101).contains(a)), "{ages:?}");
        let over_65 = ages.iter().filter(|a| **a >= 65).count();
        assert!(over_65 * 2 > ages.len(), "{over_65} of {}", ages.len());
        let with_dob = people.iter().filter(|p| p.dob.is_some()).count();
        assert!(with_dob * 10 > people.len() * 8 && with_dob < people.len());

        // Statuses of planned outcomes near met 45 / partly 30 / not 15 / no longer 10.
        let f = forms();
        let mut counts: HashMap<&str, usize> = HashMap::new();
        let mut process = 0;
        let mut reviews = 0;
        let mut reviews_with_process = 0;
        for c in &convs {
            if let StageBody::Review { outcomes } = &c.body {
                reviews += 1;
                let fw = f.framework(&c.form).unwrap();
                let n = outcomes
                    .iter()
                    .filter(|o| fw.is_process(&o.outcome))
                    .count();
                process += n;
                if n >= 2 {
                    reviews_with_process += 1;
                }
                for o in outcomes.iter().filter(|o| !fw.is_process(&o.outcome)) {
                    *counts.entry(o.status.as_str()).or_default() += 1;
                    if o.status == "not_met" {
                        assert!(!o.barriers.is_empty() || o.hindered.is_empty());
                    }
                }
            }
        }
        let total: usize = counts.values().sum();
        let pct = |s: &str| counts.get(s).copied().unwrap_or(0) as f64 * 100.0 / total as f64;
        let spread = [
            pct("met"),
            pct("partly_met"),
            pct("not_met"),
            pct("no_longer_relevant"),
        ];
        for (got, want) in spread.iter().zip([45.0, 30.0, 15.0, 10.0]) {
            assert!((got - want).abs() < 6.0, "status spread {spread:?}");
        }
        assert!(process > 0 && reviews_with_process * 10 > reviews * 7);

        // Barriers mostly where outcomes were not fully met; tags from the vocabularies.
        let mut with_barriers = HashMap::<bool, (usize, usize)>::new();
        for c in &convs {
            if let StageBody::Review { outcomes } = &c.body {
                for o in outcomes {
                    let e = with_barriers.entry(o.status == "met").or_default();
                    e.0 += 1;
                    e.1 += usize::from(!o.barriers.is_empty());
                }
            }
        }
        let (met_n, met_b) = with_barriers[&true];
        let (un_n, un_b) = with_barriers[&false];
        assert!((met_b as f64 / met_n as f64) < 0.15);
        assert!((un_b as f64 / un_n as f64) > 0.6);

        // Interpreters and other languages appear, and the words vary.
        assert!(
            convs
                .iter()
                .any(|c| c.participants.iter().any(|p| p == "interpreter"))
        );
        assert!(people.iter().any(|p| {
            p.name
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
        }));
        assert!(people.iter().any(|p| p.name.contains(['ò', 'à', 'ù', 'ì'])));
        let own: Vec<&str> = convs
            .iter()
            .flat_map(|c| match &c.body {
                StageBody::Assessment { outcomes } => {
                    outcomes.iter().map(|o| o.own_words.as_str()).collect()
                }
                _ => Vec::new(),
            })
            .filter(|s| !s.is_empty())
            .collect();
        let distinct: HashSet<&str> = own.iter().copied().collect();
        assert!(
            distinct.len() * 4 > own.len(),
            "{} distinct of {}",
            distinct.len(),
            own.len()
        );
        assert!(
            own.iter().any(|s| s.contains(" — \"")),
            "some words in another language"
        );
    }

    #[test]
    fn some_reviews_are_overdue_and_some_late() {
        let (_d, store, _) = seeded(600, 5);
        let convs = store.conversations().unwrap();
        let mut by_person: HashMap<Id, Vec<&Conversation>> = HashMap::new();
        for c in &convs {
            by_person.entry(c.person).or_default().push(c);
        }
        let (mut plans, mut overdue, mut late, mut on_time, mut second) = (0, 0, 0, 0, 0);
        for cs in by_person.values() {
            let n_plans = cs.iter().filter(|c| c.stage() == Stage::Planning).count();
            if n_plans > 1 {
                second += 1;
            }
            for (i, c) in cs.iter().enumerate() {
                let Some(by) = c.review_by() else { continue };
                plans += 1;
                let review = cs[i + 1..].iter().find(|x| x.stage() == Stage::Review);
                match review {
                    None if by < last_day() => overdue += 1,
                    Some(r) if r.date > by => late += 1,
                    Some(_) => on_time += 1,
                    None => {}
                }
            }
        }
        assert!(overdue * 10 > plans, "{overdue} overdue of {plans}");
        assert!(late > 0 && on_time > late, "{late} late, {on_time} on time");
        assert!(second * 10 > by_person.len(), "{second} second cycles");
    }

    /// `cargo test --release --lib seed::tests::time_10k -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn time_10k() {
        let started = std::time::Instant::now();
        let (_d, _store, s) = seeded(10_000, 1);
        eprintln!("{s:?} in {:.2} s", started.elapsed().as_secs_f64());
    }
}
