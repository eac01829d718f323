//! Reading and checking form files, with every problem reported by file, line and column.

use super::{
    Category, Forms, Framework, National, NationalOutcome, OutcomeDef, Term, Vocab, Vocabularies,
};
use crate::domain::PersonKind;
use serde::Deserialize;
use serde_spanned::Spanned;
use std::collections::HashMap;
use std::fmt;
use std::ops::Range;
use std::path::Path;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormProblem {
    pub file: String,
    /// 1-based line and column; `None` for a problem with the set as a whole.
    pub line: Option<usize>,
    pub col: Option<usize>,
    pub message: String,
}

impl fmt::Display for FormProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.col) {
            (Some(l), Some(c)) => write!(f, "{}:{}:{}: {}", self.file, l, c, self.message),
            _ => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// Turns byte offsets into line and column (columns count characters, not bytes).
struct Locator<'a> {
    file: &'a str,
    text: &'a str,
}

impl Locator<'_> {
    fn at(&self, span: Option<Range<usize>>, message: impl Into<String>) -> FormProblem {
        let (line, col) = match span {
            Some(r) => {
                let start = r.start.min(self.text.len());
                // Spans come from the TOML parser and fall on character boundaries; be
                // defensive anyway, since a panic here would hide the real problem.
                let before = self.text.get(..start).unwrap_or(self.text);
                let line = before.matches('\n').count() + 1;
                let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                (Some(line), Some(col))
            }
            None => (None, None),
        };
        FormProblem {
            file: self.file.to_string(),
            line,
            col,
            message: message.into(),
        }
    }
}

#[derive(Deserialize)]
struct RawHead {
    #[serde(rename = "type")]
    kind: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFramework {
    #[serde(rename = "type")]
    _kind: String,
    id: Option<Spanned<String>>,
    version: Option<Spanned<i64>>,
    title: Option<Spanned<String>>,
    person_kind: Option<Spanned<String>>,
    source: Option<String>,
    #[serde(default)]
    category: Vec<Spanned<RawCategory>>,
    #[serde(default)]
    outcome: Vec<Spanned<RawOutcome>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCategory {
    id: Option<Spanned<String>>,
    label: Option<Spanned<String>>,
    #[serde(default)]
    process: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOutcome {
    id: Option<Spanned<String>>,
    label: Option<Spanned<String>>,
    category: Option<Spanned<String>>,
    national: Option<Spanned<Vec<Spanned<i64>>>>,
    #[serde(default)]
    prompts: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNational {
    #[serde(rename = "type")]
    _kind: String,
    #[serde(rename = "id")]
    _id: Option<String>,
    version: Option<Spanned<i64>>,
    title: Option<String>,
    #[serde(rename = "source")]
    _source: Option<String>,
    #[serde(default)]
    outcome: Vec<Spanned<RawNationalOutcome>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNationalOutcome {
    number: Option<Spanned<i64>>,
    text: Option<Spanned<String>>,
    #[serde(default)]
    expect: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawVocab {
    #[serde(rename = "type")]
    _kind: String,
    #[serde(rename = "id")]
    _id: Option<String>,
    version: Option<Spanned<i64>>,
    review_status: Option<TermList>,
    contributors: Option<TermList>,
    barriers: Option<TermList>,
    next_steps: Option<TermList>,
    action_owners: Option<TermList>,
    participants: Option<TermList>,
    resources: Option<TermList>,
}

type TermList = Spanned<Vec<Spanned<RawTerm>>>;

impl RawVocab {
    fn list(&self, v: Vocab) -> Option<&TermList> {
        match v {
            Vocab::ReviewStatus => self.review_status.as_ref(),
            Vocab::Contributors => self.contributors.as_ref(),
            Vocab::Barriers => self.barriers.as_ref(),
            Vocab::NextSteps => self.next_steps.as_ref(),
            Vocab::ActionOwners => self.action_owners.as_ref(),
            Vocab::Participants => self.participants.as_ref(),
            Vocab::Resources => self.resources.as_ref(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTerm {
    id: Option<Spanned<String>>,
    label: Option<Spanned<String>>,
}

/// A framework with the file it came from, its national references (for checking
/// against the national file) and where its id sits.
type ParsedFramework = (String, Framework, Vec<(u8, Range<usize>)>, usize);

enum Parsed {
    Framework(Framework, Vec<(u8, Range<usize>)>, usize),
    National(National),
    Vocab(Vocabularies),
}

fn nonempty(s: &Option<Spanned<String>>) -> Option<String> {
    s.as_ref()
        .map(|v| v.get_ref().trim().to_string())
        .filter(|v| !v.is_empty())
}

fn version(
    loc: &Locator,
    v: &Option<Spanned<i64>>,
    whole: Range<usize>,
    problems: &mut Vec<FormProblem>,
) -> u32 {
    match v {
        None => {
            problems.push(loc.at(Some(whole), "missing `version` (a whole number from 1)"));
            0
        }
        Some(v) if *v.get_ref() < 1 || *v.get_ref() > u32::MAX as i64 => {
            problems.push(loc.at(Some(v.span()), "`version` must be a whole number from 1"));
            0
        }
        Some(v) => *v.get_ref() as u32,
    }
}

fn parse_framework(loc: &Locator, problems: &mut Vec<FormProblem>) -> Option<Parsed> {
    let raw: RawFramework = match toml::from_str(loc.text) {
        Ok(r) => r,
        Err(e) => {
            problems.push(loc.at(e.span(), e.message().trim().to_string()));
            return None;
        }
    };
    let whole = 0..0;
    let id = nonempty(&raw.id);
    if id.is_none() {
        problems.push(loc.at(
            raw.id.as_ref().map(|s| s.span()).or(Some(whole.clone())),
            "missing form `id`",
        ));
    }
    let version = version(loc, &raw.version, whole.clone(), problems);
    let title = nonempty(&raw.title).unwrap_or_default();
    if title.is_empty() {
        problems.push(loc.at(
            raw.title.as_ref().map(|s| s.span()).or(Some(whole.clone())),
            "missing form `title`",
        ));
    }
    let person_kind = match &raw.person_kind {
        None => {
            problems.push(loc.at(
                Some(whole.clone()),
                "missing `person_kind` (adult or carer)",
            ));
            None
        }
        Some(k) => match k.get_ref().parse::<PersonKind>() {
            Ok(k) => Some(k),
            Err(_) => {
                problems.push(loc.at(
                    Some(k.span()),
                    format!("unknown person_kind `{}`; use adult or carer", k.get_ref()),
                ));
                None
            }
        },
    };

    let mut categories = Vec::new();
    let mut seen_cat: HashMap<String, Range<usize>> = HashMap::new();
    for c in &raw.category {
        let span = c.span();
        let c = c.get_ref();
        let Some(cid) = nonempty(&c.id) else {
            problems.push(loc.at(Some(span), "category has no `id`"));
            continue;
        };
        let id_span = c.id.as_ref().map(|s| s.span()).unwrap_or(span.clone());
        if let Some(first) = seen_cat.get(&cid) {
            let first_line = loc.at(Some(first.clone()), "").line.unwrap_or(0);
            problems.push(loc.at(
                Some(id_span),
                format!("duplicate category id `{cid}` (first at line {first_line})"),
            ));
            continue;
        }
        seen_cat.insert(cid.clone(), id_span.clone());
        let Some(label) = nonempty(&c.label) else {
            problems.push(loc.at(Some(id_span), format!("category `{cid}` has no `label`")));
            continue;
        };
        categories.push(Category {
            id: cid,
            label,
            process: c.process,
        });
    }
    if raw.category.is_empty() {
        problems.push(loc.at(Some(whole.clone()), "form has no [[category]]"));
    }

    let mut outcomes = Vec::new();
    let mut national_refs = Vec::new();
    let mut seen: HashMap<String, Range<usize>> = HashMap::new();
    for o in &raw.outcome {
        let span = o.span();
        let o = o.get_ref();
        let Some(oid) = nonempty(&o.id) else {
            problems.push(loc.at(Some(span), "outcome has no `id`"));
            continue;
        };
        let id_span = o.id.as_ref().map(|s| s.span()).unwrap_or(span.clone());
        if !oid
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
        {
            problems.push(loc.at(
                Some(id_span.clone()),
                format!("outcome id `{oid}` must use only a-z, 0-9 and _"),
            ));
        }
        if let Some(first) = seen.get(&oid) {
            let first_line = loc.at(Some(first.clone()), "").line.unwrap_or(0);
            problems.push(loc.at(
                Some(id_span),
                format!("duplicate outcome id `{oid}` (first at line {first_line})"),
            ));
            continue;
        }
        seen.insert(oid.clone(), id_span.clone());
        let label = nonempty(&o.label);
        if label.is_none() {
            problems.push(
                loc.at(
                    Some(
                        o.label
                            .as_ref()
                            .map(|l| l.span())
                            .unwrap_or(id_span.clone()),
                    ),
                    format!("outcome `{oid}` has no `label`"),
                ),
            );
        }
        let category = match &o.category {
            None => {
                problems.push(loc.at(
                    Some(id_span.clone()),
                    format!("outcome `{oid}` has no `category`"),
                ));
                String::new()
            }
            Some(c) => {
                if !seen_cat.contains_key(c.get_ref()) {
                    problems.push(loc.at(
                        Some(c.span()),
                        format!("outcome `{oid}` names unknown category `{}`", c.get_ref()),
                    ));
                }
                c.get_ref().clone()
            }
        };
        let mut national = Vec::new();
        match &o.national {
            None => problems.push(loc.at(
                Some(id_span.clone()),
                format!("outcome `{oid}` has no `national` outcome numbers"),
            )),
            Some(list) if list.get_ref().is_empty() => problems.push(loc.at(
                Some(list.span()),
                format!("outcome `{oid}` maps to no national outcome"),
            )),
            Some(list) => {
                for n in list.get_ref() {
                    let v = *n.get_ref();
                    if !(1..=255).contains(&v) {
                        problems.push(loc.at(
                            Some(n.span()),
                            format!("unknown national outcome {v} for `{oid}`"),
                        ));
                    } else {
                        national.push(v as u8);
                        national_refs.push((v as u8, n.span()));
                    }
                }
            }
        }
        outcomes.push(OutcomeDef {
            id: oid,
            label: label.unwrap_or_default(),
            category,
            national,
            prompts: o.prompts.clone(),
        });
    }
    if raw.outcome.is_empty() {
        problems.push(loc.at(Some(whole), "form has no [[outcome]]"));
    }
    let fw = Framework {
        id: id.unwrap_or_default(),
        version,
        title,
        person_kind: person_kind.unwrap_or(PersonKind::Adult),
        source: raw.source.unwrap_or_default(),
        categories,
        outcomes,
    };
    let kind_span = raw.id.as_ref().map_or(0, |s| s.span().start);
    Some(Parsed::Framework(fw, national_refs, kind_span))
}

fn parse_national(loc: &Locator, problems: &mut Vec<FormProblem>) -> Option<Parsed> {
    let raw: RawNational = match toml::from_str(loc.text) {
        Ok(r) => r,
        Err(e) => {
            problems.push(loc.at(e.span(), e.message().trim().to_string()));
            return None;
        }
    };
    let version = version(loc, &raw.version, 0..0, problems);
    let mut outcomes: Vec<NationalOutcome> = Vec::new();
    for o in &raw.outcome {
        let span = o.span();
        let o = o.get_ref();
        let number = match &o.number {
            Some(n) if (1..=255).contains(n.get_ref()) => *n.get_ref() as u8,
            Some(n) => {
                problems.push(loc.at(
                    Some(n.span()),
                    "national outcome `number` must be from 1 to 255",
                ));
                continue;
            }
            None => {
                problems.push(loc.at(Some(span), "national outcome has no `number`"));
                continue;
            }
        };
        if outcomes.iter().any(|x| x.number == number) {
            problems.push(loc.at(
                o.number.as_ref().map(|n| n.span()),
                format!("duplicate national outcome number {number}"),
            ));
            continue;
        }
        let Some(text) = nonempty(&o.text) else {
            problems.push(loc.at(
                Some(span),
                format!("national outcome {number} has no `text`"),
            ));
            continue;
        };
        outcomes.push(NationalOutcome {
            number,
            text,
            expect: o.expect.clone(),
        });
    }
    if outcomes.is_empty() && raw.outcome.is_empty() {
        problems.push(loc.at(Some(0..0), "no [[outcome]] national outcomes"));
    }
    outcomes.sort_by_key(|o| o.number);
    Some(Parsed::National(National {
        version,
        title: raw.title.unwrap_or_else(|| "National outcomes".into()),
        outcomes,
    }))
}

fn parse_vocab(loc: &Locator, problems: &mut Vec<FormProblem>) -> Option<Parsed> {
    let raw: RawVocab = match toml::from_str(loc.text) {
        Ok(r) => r,
        Err(e) => {
            problems.push(loc.at(e.span(), e.message().trim().to_string()));
            return None;
        }
    };
    let version = version(loc, &raw.version, 0..0, problems);
    let mut lists: HashMap<&'static str, Vec<Term>> = HashMap::new();
    for v in Vocab::ALL {
        let key = v.key();
        let Some(list) = raw.list(v) else {
            problems.push(loc.at(Some(0..0), format!("missing vocabulary [[{key}]]")));
            continue;
        };
        let mut terms: Vec<Term> = Vec::new();
        for t in list.get_ref() {
            let span = t.span();
            let t = t.get_ref();
            let Some(id) = nonempty(&t.id) else {
                problems.push(loc.at(Some(span), format!("a `{key}` entry has no `id`")));
                continue;
            };
            if terms.iter().any(|x| x.id == id) {
                problems.push(loc.at(
                    t.id.as_ref().map(|s| s.span()),
                    format!("duplicate `{key}` id `{id}`"),
                ));
                continue;
            }
            let Some(label) = nonempty(&t.label) else {
                problems.push(loc.at(
                    t.id.as_ref().map(|s| s.span()),
                    format!("`{key}` entry `{id}` has no `label`"),
                ));
                continue;
            };
            terms.push(Term { id, label });
        }
        for req in v.required() {
            if !terms.iter().any(|t| t.id == *req) {
                problems.push(loc.at(
                    Some(list.span()),
                    format!("`{key}` must include `{req}`: the roll-up depends on it"),
                ));
            }
        }
        lists.insert(v.key(), terms);
    }
    let mut take = |v: Vocab| lists.remove(v.key()).unwrap_or_default();
    Some(Parsed::Vocab(Vocabularies {
        version,
        review_status: take(Vocab::ReviewStatus),
        contributors: take(Vocab::Contributors),
        barriers: take(Vocab::Barriers),
        next_steps: take(Vocab::NextSteps),
        action_owners: take(Vocab::ActionOwners),
        participants: take(Vocab::Participants),
        resources: take(Vocab::Resources),
    }))
}

/// Checks a set of (file name, text) pairs and builds the forms when there is no problem.
pub fn check_sources(sources: &[(String, String)]) -> Result<Forms, Vec<FormProblem>> {
    let mut problems = Vec::new();
    let mut frameworks: Vec<ParsedFramework> = Vec::new();
    let mut national: Vec<(String, National)> = Vec::new();
    let mut vocab: Vec<(String, Vocabularies)> = Vec::new();
    // When a file cannot be read at all, "the set lacks X" would only repeat that.
    let mut unreadable = false;

    for (file, text) in sources {
        let loc = Locator { file, text };
        let head: RawHead = match toml::from_str(text) {
            Ok(h) => h,
            Err(e) => {
                problems.push(loc.at(e.span(), e.message().trim().to_string()));
                unreadable = true;
                continue;
            }
        };
        let parsed = match head.kind.as_ref().map(|k| (k.get_ref().as_str(), k.span())) {
            Some(("framework", _)) => parse_framework(&loc, &mut problems),
            Some(("national", _)) => parse_national(&loc, &mut problems),
            Some(("vocabularies", _)) => parse_vocab(&loc, &mut problems),
            Some((other, span)) => {
                problems.push(loc.at(
                    Some(span),
                    format!("unknown form type `{other}`; use framework, national or vocabularies"),
                ));
                None
            }
            None => {
                problems.push(loc.at(
                    Some(0..0),
                    "missing `type` (framework, national or vocabularies)",
                ));
                None
            }
        };
        match parsed {
            Some(Parsed::Framework(f, refs, at)) => frameworks.push((file.clone(), f, refs, at)),
            Some(Parsed::National(n)) => national.push((file.clone(), n)),
            Some(Parsed::Vocab(v)) => vocab.push((file.clone(), v)),
            None => unreadable = true,
        }
    }

    let set_problem = |message: String| FormProblem {
        file: "forms".into(),
        line: None,
        col: None,
        message,
    };
    if national.len() > 1 {
        problems.push(set_problem(format!(
            "more than one national outcomes file ({})",
            national
                .iter()
                .map(|n| n.0.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    if vocab.len() > 1 {
        problems.push(set_problem(format!(
            "more than one vocabularies file ({})",
            vocab
                .iter()
                .map(|n| n.0.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    // Check national numbers against the national file when there is one.
    let known: Vec<u8> = national
        .first()
        .map(|(_, n)| n.outcomes.iter().map(|o| o.number).collect())
        .unwrap_or_else(|| (1..=9).collect());
    for (file, fw, refs, at) in &frameworks {
        let text = sources
            .iter()
            .find(|(f, _)| f == file)
            .map_or("", |(_, t)| t.as_str());
        let loc = Locator { file, text };
        for (n, span) in refs {
            if !known.contains(n) {
                problems.push(loc.at(
                    Some(span.clone()),
                    format!("unknown national outcome {n} (the national outcomes are {})",
                        known.iter().map(|k| k.to_string()).collect::<Vec<_>>().join(", ")),
                ));
            }
        }
        if let Some((other, _, _, _)) = frameworks
            .iter()
            .find(|(f2, o, _, _)| f2 != file && o.id == fw.id && !fw.id.is_empty())
            && other < file
        {
            problems.push(loc.at(
                Some(*at..*at),
                format!("form id `{}` is also used by {other}", fw.id),
            ));
        }
    }
    if unreadable {
        return Err(problems);
    }
    for kind in [PersonKind::Adult, PersonKind::Carer] {
        let n = frameworks
            .iter()
            .filter(|f| f.1.person_kind == kind)
            .count();
        if n == 0 && !frameworks.is_empty() {
            problems.push(set_problem(format!("no framework form for {kind}s")));
        } else if n > 1 {
            problems.push(set_problem(format!(
                "more than one framework form for {kind}s"
            )));
        }
    }
    if frameworks.is_empty() {
        problems.push(set_problem(
            "no framework forms (type = \"framework\")".into(),
        ));
    }
    if national.is_empty() {
        problems.push(set_problem(
            "no national outcomes file (type = \"national\")".into(),
        ));
    }
    if vocab.is_empty() {
        problems.push(set_problem(
            "no vocabularies file (type = \"vocabularies\")".into(),
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Forms {
        frameworks: frameworks.into_iter().map(|f| f.1).collect(),
        national: national.remove(0).1,
        vocab: vocab.remove(0).1,
        origin: String::new(),
    })
}

/// Checks every `*.toml` file in a directory as one set of forms.
pub fn check_dir(dir: &Path) -> Result<Forms, Vec<FormProblem>> {
    let problem = |message: String| {
        vec![FormProblem {
            file: dir.display().to_string(),
            line: None,
            col: None,
            message,
        }]
    };
    let entries = std::fs::read_dir(dir)
        .map_err(|e| problem(format!("cannot read the forms directory: {e}")))?;
    let mut paths: Vec<_> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(problem("contains no .toml form files".into()));
    }
    let mut sources = Vec::new();
    let mut problems = Vec::new();
    for p in paths {
        match std::fs::read(&p) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(t) => sources.push((p.display().to_string(), t)),
                Err(_) => problems.push(FormProblem {
                    file: p.display().to_string(),
                    line: None,
                    col: None,
                    message: "is not UTF-8 text".into(),
                }),
            },
            Err(e) => problems.push(FormProblem {
                file: p.display().to_string(),
                line: None,
                col: None,
                message: format!("cannot be read: {e}"),
            }),
        }
    }
    match check_sources(&sources) {
        Ok(mut f) if problems.is_empty() => {
            f.origin = dir.display().to_string();
            Ok(f)
        }
        Ok(_) => Err(problems),
        Err(mut p) => {
            problems.append(&mut p);
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::EMBEDDED;

    fn embedded_sources() -> Vec<(String, String)> {
        EMBEDDED
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect()
    }

    fn with(file: &str, edit: impl Fn(&str) -> String) -> Vec<(String, String)> {
        embedded_sources()
            .into_iter()
            .map(|(n, t)| {
                if n.ends_with(file) {
                    let e = edit(&t);
                    (n, e)
                } else {
                    (n, t)
                }
            })
            .collect()
    }

    fn problems(sources: &[(String, String)]) -> Vec<FormProblem> {
        check_sources(sources).expect_err("expected problems")
    }

    #[test]
    fn the_built_in_forms_are_sound_and_complete() {
        let f = check_sources(&embedded_sources()).expect("sound");
        let adult = f.framework_for(PersonKind::Adult).unwrap();
        let carer = f.framework_for(PersonKind::Carer).unwrap();
        let ids = |fw: &Framework| fw.outcomes.iter().map(|o| o.id.clone()).collect::<Vec<_>>();
        assert_eq!(
            ids(adult),
            [
                "feeling_safe",
                "having_things_to_do",
                "seeing_people",
                "staying_well",
                "living_as_you_want",
                "dealing_with_stigma",
                "listened_to",
                "having_a_say",
                "treated_with_respect",
                "responded_to",
                "reliability",
                "confidence_morale",
                "skills",
                "mobility",
                "reduced_symptoms"
            ]
        );
        assert_eq!(
            ids(carer),
            [
                "cared_for_quality_of_life",
                "health_wellbeing",
                "life_of_own",
                "positive_relationship",
                "financial_freedom",
                "choices_in_caring",
                "informed_skilled_equipped",
                "satisfaction_in_caring",
                "partnership_with_services",
                "valued_respected",
                "say_in_services",
                "flexible_responsive",
                "relationship_with_practitioners",
                "accessible_available"
            ]
        );
        assert_eq!(adult.categories.len(), 3);
        assert_eq!(carer.categories.len(), 4);
        // The mapping DESIGN §2.1 spells out.
        let nat = |id: &str| adult.outcome(id).unwrap().national.clone();
        assert_eq!(nat("feeling_safe"), [7]);
        assert_eq!(nat("staying_well"), [1]);
        assert_eq!(nat("living_as_you_want"), [2]);
        assert_eq!(nat("seeing_people"), [2, 4]);
        assert_eq!(nat("reduced_symptoms"), [4]);
        for o in &adult.outcomes {
            assert!(!o.prompts.is_empty(), "{} has prompts", o.id);
            if adult.is_process(&o.id) {
                assert!(o.national.contains(&3), "{}", o.id);
            }
        }
        assert!(adult.is_process("listened_to") && !adult.is_process("mobility"));
        assert_eq!(
            adult.outcome("dealing_with_stigma").unwrap().label,
            "Dealing with stigma/discrimination"
        );
        assert_eq!(
            carer.outcome("accessible_available").unwrap().label,
            "Accessible, available and free at the point of need"
        );
        for o in carer
            .outcomes
            .iter()
            .filter(|o| !carer.is_process(&o.id) && o.id != "cared_for_quality_of_life")
        {
            assert!(o.national.contains(&6), "{} maps to 6", o.id);
        }
        assert_eq!(f.national.outcomes.len(), 9);
        assert!(f.national.outcomes[0].text.starts_with(
            "People are able to look after and improve their own health and wellbeing"
        ));
        assert!(f.national.outcomes.iter().all(|o| !o.expect.is_empty()));
        assert_eq!(
            f.vocab.ids(Vocab::ReviewStatus),
            ["met", "partly_met", "not_met", "no_longer_relevant"]
        );
        assert_eq!(f.vocab.ids(Vocab::Barriers).len(), 9);
        assert_eq!(
            f.vocab.ids(Vocab::NextSteps),
            ["continue", "revise", "close"]
        );
        assert_eq!(
            f.vocab.ids(Vocab::ActionOwners),
            ["person", "family_friends", "community", "service", "other"]
        );
        assert_eq!(
            f.vocab.ids(Vocab::Contributors),
            ["person", "family_friends", "community", "services"]
        );
    }

    #[test]
    fn bad_toml_is_reported_with_line_and_column() {
        let p = problems(&with("adult.toml", |t| {
            t.replacen("label = \"Feeling safe\"", "label = \"Feeling safe", 1)
        }));
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].file.ends_with("adult.toml"));
        assert!(p[0].line.is_some() && p[0].col.is_some());
    }

    #[test]
    fn a_duplicate_id_points_at_the_second_one() {
        let src = with("adult.toml", |t| {
            t.replacen("id = \"seeing_people\"", "id = \"feeling_safe\"", 1)
        });
        let text = &src.iter().find(|s| s.0.ends_with("adult.toml")).unwrap().1;
        let p = problems(&src);
        assert_eq!(p.len(), 1, "{p:?}");
        let second = text
            .lines()
            .enumerate()
            .filter(|(_, l)| l.starts_with("id = \"feeling_safe\""))
            .nth(1)
            .unwrap()
            .0
            + 1;
        assert_eq!(p[0].line, Some(second));
        assert_eq!(p[0].col, Some(6));
        assert!(
            p[0].message
                .contains("duplicate outcome id `feeling_safe` (first at line")
        );
    }

    #[test]
    fn every_problem_is_reported_not_just_the_first() {
        let p = problems(&with("adult.toml", |t| {
            t.replacen("national = [7]", "national = [10]", 1)
                .replacen("category = \"change\"", "category = \"chaneg\"", 1)
                .replacen("label = \"Reliability\"", "label = \"\"", 1)
        }));
        let msgs: Vec<&str> = p.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(p.len(), 3, "{msgs:?}");
        assert!(
            msgs.iter()
                .any(|m| m.contains("unknown national outcome 10"))
        );
        assert!(msgs.iter().any(|m| m.contains("unknown category `chaneg`")));
        assert!(
            msgs.iter()
                .any(|m| m.contains("`reliability` has no `label`"))
        );
    }

    #[test]
    fn required_vocabulary_ids_cannot_be_removed_but_labels_can_change() {
        let p = problems(&with("vocabularies.toml", |t| {
            t.replacen("id = \"partly_met\"", "id = \"partly\"", 1)
        }));
        assert!(
            p.iter()
                .any(|p| p.message.contains("must include `partly_met`")),
            "{p:?}"
        );
        let ok = check_sources(&with("vocabularies.toml", |t| {
            t.replacen("label = \"Met\"", "label = \"Achieved\"", 1)
        }));
        assert_eq!(
            ok.unwrap().vocab.label(Vocab::ReviewStatus, "met"),
            "Achieved"
        );
    }

    #[test]
    fn unknown_fields_and_types_are_problems() {
        let p = problems(&with("carer.toml", |t| {
            t.replacen("label = ", "lable = ", 1)
        }));
        assert!(p[0].message.contains("lable"), "{p:?}");
        let p = problems(&with("national.toml", |t| {
            t.replacen("type = \"national\"", "type = \"natonal\"", 1)
        }));
        assert!(
            p.iter()
                .any(|p| p.message.contains("unknown form type `natonal`")),
            "{p:?}"
        );
    }

    #[test]
    fn a_set_needs_a_framework_for_each_kind() {
        let src: Vec<_> = embedded_sources()
            .into_iter()
            .filter(|s| !s.0.ends_with("carer.toml"))
            .collect();
        let p = problems(&src);
        assert!(
            p.iter()
                .any(|p| p.message == "no framework form for carers"),
            "{p:?}"
        );
    }

    #[test]
    fn the_mapping_can_change_without_a_rebuild() {
        let f = check_sources(&with("adult.toml", |t| {
            t.replacen("national = [7]", "national = [7, 9]", 1)
        }))
        .unwrap();
        assert_eq!(
            f.framework("adult")
                .unwrap()
                .outcome("feeling_safe")
                .unwrap()
                .national,
            [7, 9]
        );
    }
}
