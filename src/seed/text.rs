//! Word banks for synthetic conversations. Templates hold `{slot}`s that are filled from
//! the person's own circumstances (their town, family, hobby, the person they care for)
//! or from small random banks, so that thousands of people do not all say the same
//! thing and one person's words hang together from assessment to review.
//!
//! A slot written with a capital (`{Cf}`) is filled and capitalised, for the start of a
//! sentence.

use super::data;
use super::names::Culture;
use std::sync::LazyLock;

const WORDS: &str = include_str!("data/words.txt");
const OUTCOMES: &str = include_str!("data/outcomes.txt");
const PROCESS_DATA: &str = include_str!("data/process.txt");
const FOREIGN_DATA: &str = include_str!("data/foreign.txt");

/// Words for one framework outcome.
pub struct OutcomeText {
    pub id: &'static str,
    /// What matters, in the person's words (assessment).
    pub own: Vec<&'static str>,
    /// Why it matters.
    pub why: Vec<&'static str>,
    /// The personal outcome as a plan statement.
    pub statement: Vec<&'static str>,
    /// Plan actions: (action owner id, what will be done).
    pub actions: Vec<(&'static str, &'static str)>,
    /// What helped: (contributor id, words).
    pub helped: Vec<(&'static str, &'static str)>,
    /// The person's words at review when the outcome was met.
    pub met: Vec<&'static str>,
    /// The person's words at review when it was partly or not met.
    pub unmet: Vec<&'static str>,
}

/// Words for a process outcome, asked at review as the experience of support.
pub struct ProcessText {
    pub id: &'static str,
    pub good: Vec<&'static str>,
    pub mixed: Vec<&'static str>,
    pub poor: Vec<&'static str>,
}

pub fn outcome(id: &str) -> Option<&'static OutcomeText> {
    ADULT.iter().chain(CARER.iter()).find(|o| o.id == id)
}

pub fn process(id: &str) -> Option<&'static ProcessText> {
    PROCESS.iter().find(|o| o.id == id)
}

/// Used for outcomes a partnership has added to its own forms.
pub static GENERIC: LazyLock<OutcomeText> =
    LazyLock::new(|| data::outcome_text(OUTCOMES, "generic"));

pub static GENERIC_PROCESS: LazyLock<ProcessText> =
    LazyLock::new(|| data::process_text(PROCESS_DATA, "generic"));

static ADULT: LazyLock<Vec<OutcomeText>> = LazyLock::new(|| data::outcome_texts(OUTCOMES, "adult"));

static CARER: LazyLock<Vec<OutcomeText>> = LazyLock::new(|| data::outcome_texts(OUTCOMES, "carer"));

static PROCESS: LazyLock<Vec<ProcessText>> =
    LazyLock::new(|| data::process_texts(PROCESS_DATA, "process"));

/// Strengths named at assessment, tagged with the resource they come from.
pub static STRENGTHS: LazyLock<Vec<(&'static str, &'static str)>> =
    LazyLock::new(|| data::pairs(WORDS, "strengths"));

/// Strengths only a carer would name.
pub static CARER_STRENGTHS: LazyLock<Vec<(&'static str, &'static str)>> =
    LazyLock::new(|| data::pairs(WORDS, "carer_strengths"));

/// What got in the way, by barrier id. The third field: 0 anyone, 1 adults, 2 carers.
pub static HINDERED: LazyLock<Vec<(&'static str, u8, &'static str)>> =
    LazyLock::new(|| data::triples(WORDS, "hindered"));

/// What helped, by contributor id, for any outcome.
pub static HELPED: LazyLock<Vec<(&'static str, u8, &'static str)>> =
    LazyLock::new(|| data::triples(WORDS, "helped"));

/// What helped with a process outcome (the experience of support).
pub static PROCESS_HELPED: LazyLock<Vec<(&'static str, u8, &'static str)>> =
    LazyLock::new(|| data::triples(WORDS, "process_helped"));

/// The person's words at review, by status, for any outcome.
pub static REVIEW_MET: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| data::list(WORDS, "review_met"));
pub static REVIEW_PARTLY: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| data::list(WORDS, "review_partly"));
pub static REVIEW_NOT: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| data::list(WORDS, "review_not"));
pub static REVIEW_NLR: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| data::list(WORDS, "review_nlr"));

/// An occasional second sentence for what matters at assessment.
pub static EXTRAS: LazyLock<Vec<(u8, &'static str)>> =
    LazyLock::new(|| data::numbered(WORDS, "extras"));

pub static EMOJI: LazyLock<Vec<&'static str>> = LazyLock::new(|| data::list(WORDS, "emoji"));

/// A phrase recorded in the person's own language with an English rendering. An empty
/// outcome means words at review (thanks, things are better).
pub struct Foreign {
    pub culture: Culture,
    pub outcome: &'static str,
    pub text: &'static str,
    pub english: &'static str,
}

pub static FOREIGN: LazyLock<Vec<Foreign>> =
    LazyLock::new(|| data::foreign(FOREIGN_DATA, "foreign", Culture::named));

// ------------------------------------------------------------------ slot banks

pub static TOWNS: LazyLock<Vec<&'static str>> = LazyLock::new(|| data::list(WORDS, "towns"));
pub static PLACES: LazyLock<Vec<&'static str>> = LazyLock::new(|| data::list(WORDS, "places"));
pub static DAYS: LazyLock<Vec<&'static str>> = LazyLock::new(|| data::list(WORDS, "days"));
pub static TIMES: LazyLock<Vec<&'static str>> = LazyLock::new(|| data::list(WORDS, "times"));
pub static WORRIES: LazyLock<Vec<&'static str>> = LazyLock::new(|| data::list(WORDS, "worries"));
pub static TASKS: LazyLock<Vec<&'static str>> = LazyLock::new(|| data::list(WORDS, "tasks"));
pub static SYMPTOMS: LazyLock<Vec<&'static str>> = LazyLock::new(|| data::list(WORDS, "symptoms"));
pub static WHEN: LazyLock<Vec<&'static str>> = LazyLock::new(|| data::list(WORDS, "when"));
pub static HOBBIES: LazyLock<Vec<&'static str>> = LazyLock::new(|| data::list(WORDS, "hobbies"));
pub static GROUPS: LazyLock<Vec<&'static str>> = LazyLock::new(|| data::list(WORDS, "groups"));
/// Dogs, because the templates walk them.
pub static PETS: LazyLock<Vec<&'static str>> = LazyLock::new(|| data::list(WORDS, "pets"));
pub static PET_NAMES: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| data::list(WORDS, "pet_names"));
/// Conditions of the person a carer cares for: (for older people, for younger people).
pub static CONDITIONS_OLDER: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| data::list(WORDS, "conditions_older"));
pub static CONDITIONS_YOUNGER: LazyLock<Vec<&'static str>> =
    LazyLock::new(|| data::list(WORDS, "conditions_younger"));
