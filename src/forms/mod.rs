//! Outcome frameworks as forms: TOML files in `forms/`, embedded in the binary as the
//! defaults and replaceable with `--forms DIR`, so a partnership can change a mapping or
//! a vocabulary without a rebuild.

mod parse;

pub use parse::{FormProblem, check_dir, check_sources};

use crate::domain::PersonKind;
use std::path::Path;

/// The default forms, compiled in so the binary works anywhere.
pub const EMBEDDED: [(&str, &str); 4] = [
    ("forms/adult.toml", include_str!("../../forms/adult.toml")),
    ("forms/carer.toml", include_str!("../../forms/carer.toml")),
    (
        "forms/national.toml",
        include_str!("../../forms/national.toml"),
    ),
    (
        "forms/vocabularies.toml",
        include_str!("../../forms/vocabularies.toml"),
    ),
];

#[derive(Clone, Debug, PartialEq)]
pub struct Category {
    pub id: String,
    pub label: String,
    /// Process outcomes are asked at review as the experience of support, with no plan.
    pub process: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct OutcomeDef {
    pub id: String,
    pub label: String,
    pub category: String,
    pub national: Vec<u8>,
    pub prompts: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Framework {
    pub id: String,
    pub version: u32,
    pub title: String,
    pub person_kind: PersonKind,
    pub source: String,
    pub categories: Vec<Category>,
    pub outcomes: Vec<OutcomeDef>,
}

impl Framework {
    pub fn outcome(&self, id: &str) -> Option<&OutcomeDef> {
        self.outcomes.iter().find(|o| o.id == id)
    }

    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// Whether an outcome is a process outcome (reviewable without a plan).
    pub fn is_process(&self, outcome: &str) -> bool {
        self.outcome(outcome)
            .and_then(|o| self.category(&o.category))
            .is_some_and(|c| c.process)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct NationalOutcome {
    pub number: u8,
    pub text: String,
    pub expect: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct National {
    pub version: u32,
    pub title: String,
    pub outcomes: Vec<NationalOutcome>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    pub id: String,
    pub label: String,
}

/// The shared vocabularies that tag free text so it can be counted.
#[derive(Clone, Debug, PartialEq)]
pub struct Vocabularies {
    pub version: u32,
    pub review_status: Vec<Term>,
    pub contributors: Vec<Term>,
    pub barriers: Vec<Term>,
    pub next_steps: Vec<Term>,
    pub action_owners: Vec<Term>,
    pub participants: Vec<Term>,
    pub resources: Vec<Term>,
}

/// Which vocabulary a tag is checked against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Vocab {
    ReviewStatus,
    Contributors,
    Barriers,
    NextSteps,
    ActionOwners,
    Participants,
    Resources,
}

impl Vocab {
    pub const ALL: [Vocab; 7] = [
        Vocab::ReviewStatus,
        Vocab::Contributors,
        Vocab::Barriers,
        Vocab::NextSteps,
        Vocab::ActionOwners,
        Vocab::Participants,
        Vocab::Resources,
    ];

    /// The key in `vocabularies.toml`.
    pub fn key(&self) -> &'static str {
        match self {
            Vocab::ReviewStatus => "review_status",
            Vocab::Contributors => "contributors",
            Vocab::Barriers => "barriers",
            Vocab::NextSteps => "next_steps",
            Vocab::ActionOwners => "action_owners",
            Vocab::Participants => "participants",
            Vocab::Resources => "resources",
        }
    }

    /// Ids the program's own logic depends on (roll-up counts statuses; `close` ends a
    /// plan), so a partnership may relabel them but not remove them.
    pub fn required(&self) -> &'static [&'static str] {
        match self {
            Vocab::ReviewStatus => &["met", "partly_met", "not_met", "no_longer_relevant"],
            Vocab::NextSteps => &["continue", "revise", "close"],
            _ => &[],
        }
    }
}

impl Vocabularies {
    pub fn terms(&self, v: Vocab) -> &[Term] {
        match v {
            Vocab::ReviewStatus => &self.review_status,
            Vocab::Contributors => &self.contributors,
            Vocab::Barriers => &self.barriers,
            Vocab::NextSteps => &self.next_steps,
            Vocab::ActionOwners => &self.action_owners,
            Vocab::Participants => &self.participants,
            Vocab::Resources => &self.resources,
        }
    }

    pub fn contains(&self, v: Vocab, id: &str) -> bool {
        self.terms(v).iter().any(|t| t.id == id)
    }

    pub fn label<'a>(&'a self, v: Vocab, id: &'a str) -> &'a str {
        self.terms(v)
            .iter()
            .find(|t| t.id == id)
            .map_or(id, |t| t.label.as_str())
    }

    pub fn ids(&self, v: Vocab) -> Vec<&str> {
        self.terms(v).iter().map(|t| t.id.as_str()).collect()
    }
}

/// A complete, checked set of forms.
#[derive(Clone, Debug, PartialEq)]
pub struct Forms {
    pub frameworks: Vec<Framework>,
    pub national: National,
    pub vocab: Vocabularies,
    /// Where the forms came from, for messages (`embedded` or a directory).
    pub origin: String,
}

impl Forms {
    /// The forms compiled into the binary. They are checked by the test suite, so a
    /// failure here is a build defect, reported rather than panicked on.
    pub fn embedded() -> Result<Forms, Vec<FormProblem>> {
        let sources: Vec<(String, String)> = EMBEDDED
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        let mut f = check_sources(&sources)?;
        f.origin = "embedded".into();
        Ok(f)
    }

    /// Every `*.toml` in `dir`, checked as one set.
    pub fn load_dir(dir: &Path) -> Result<Forms, Vec<FormProblem>> {
        check_dir(dir)
    }

    pub fn framework(&self, id: &str) -> Option<&Framework> {
        self.frameworks.iter().find(|f| f.id == id)
    }

    pub fn framework_for(&self, kind: PersonKind) -> Option<&Framework> {
        self.frameworks.iter().find(|f| f.person_kind == kind)
    }

    pub fn national_outcome(&self, n: u8) -> Option<&NationalOutcome> {
        self.national.outcomes.iter().find(|o| o.number == n)
    }
}
