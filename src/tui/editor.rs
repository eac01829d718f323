//! The conversation editor: the outcome list on one side, the fields of the selected
//! outcome on the other. The first entry holds the conversation's own details (date,
//! practitioner, who took part, and for a plan the review date).

use super::field::{Input, Value};
use crate::domain::{
    Action as PlanAction, AssessedOutcome, Conversation, Id, Person, PlannedOutcome,
    ReviewedOutcome, Stage, StageBody, validate,
};
use crate::forms::{Forms, Vocab};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const DATE_LABEL: &str = "Date (YYYY-MM-DD or today)";

/// Action rows offered per planned outcome; more can be added from the command line.
pub const ACTION_SLOTS: usize = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum FieldKind {
    Date,
    Practitioner,
    Participants,
    ReviewBy,
    OwnWords,
    Why,
    Strengths,
    Resources,
    Priority,
    Statement,
    ActionWho(usize),
    ActionWhat(usize),
    ActionBy(usize),
    Status,
    Helped,
    Contributors,
    Hindered,
    Barriers,
    ReviewWords,
    Next,
}

#[derive(Clone, Debug)]
pub struct Field {
    pub kind: FieldKind,
    pub label: String,
    pub input: Input,
}

/// One row of the outcome list.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The framework outcome id; empty for the conversation's own details.
    pub outcome: String,
    pub label: String,
    pub category: String,
    pub prompts: Vec<String>,
    /// Read-only words from earlier conversations, shown above the fields.
    pub context: Vec<(String, String)>,
    /// Marked a priority at assessment (offered first when planning).
    pub priority_hint: bool,
    pub fields: Vec<Field>,
}

impl Entry {
    pub fn is_header(&self) -> bool {
        self.outcome.is_empty()
    }

    /// Whether anything has been recorded for this outcome.
    pub fn touched(&self) -> bool {
        self.fields.iter().any(|f| !f.input.is_blank())
    }

    pub fn field(&self, k: FieldKind) -> Option<&Input> {
        self.fields.iter().find(|f| f.kind == k).map(|f| &f.input)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Focus {
    List,
    Field(usize),
}

#[derive(Clone, Debug)]
pub struct Editor {
    pub stage: Stage,
    pub person: Person,
    pub conversation: Id,
    pub entries: Vec<Entry>,
    pub selected: usize,
    pub focus: Focus,
    /// Changed since the last save (or since opening).
    pub dirty: bool,
    /// How far the earlier words above the fields are scrolled (PgDn/PgUp).
    pub context_scroll: u16,
    /// The day `today` and `+2w` in a date field count from.
    pub today: NaiveDate,
    /// Set when the editor was opened on a saved conversation: saving corrects it.
    pub editing: Option<Box<super::edit::Editing>>,
}

/// A field that cannot be read, by list row and field, and why.
pub type Unreadable = (usize, FieldKind, String);

/// What a draft keeps: every value typed, by outcome and field.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub stage: Stage,
    pub person: Id,
    pub conversation: Id,
    pub selected: usize,
    pub saved_at: String,
    pub values: BTreeMap<String, Vec<(FieldKind, Value)>>,
    /// Set when the draft holds changes to a saved conversation rather than a new one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub editing: Option<Edited>,
}

/// Which saved conversation a draft changes: its date and the revision the changes
/// were made to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edited {
    pub date: NaiveDate,
    pub revision: u32,
}

fn terms(forms: &Forms, v: Vocab) -> Vec<(String, String)> {
    forms
        .vocab
        .terms(v)
        .iter()
        .map(|t| (t.id.clone(), t.label.clone()))
        .collect()
}

fn f(kind: FieldKind, label: &str, input: Input) -> Field {
    Field {
        kind,
        label: label.into(),
        input,
    }
}

pub(crate) fn stage_title(s: Stage) -> &'static str {
    match s {
        Stage::Assessment => "Assessment",
        Stage::Planning => "Plan",
        Stage::Review => "Review",
    }
}

/// A conversation at `s`, as a sentence names it ("the assessment").
pub fn stage_noun(s: Stage) -> &'static str {
    match s {
        Stage::Assessment => "assessment",
        Stage::Planning => "support plan",
        Stage::Review => "review",
    }
}

fn text(e: &Entry, k: FieldKind) -> String {
    e.field(k).map(|i| i.string()).unwrap_or_default()
}

fn tags(e: &Entry, k: FieldKind) -> Vec<String> {
    e.field(k).map(|i| i.tag_ids()).unwrap_or_default()
}

/// An assessed outcome as its fields say.
pub(super) fn assessed(e: &Entry) -> AssessedOutcome {
    AssessedOutcome {
        outcome: e.outcome.clone(),
        own_words: text(e, FieldKind::OwnWords),
        why: text(e, FieldKind::Why),
        strengths: text(e, FieldKind::Strengths),
        resources: tags(e, FieldKind::Resources),
        priority: e.field(FieldKind::Priority).is_some_and(|i| i.flag()),
    }
}

/// A reviewed outcome as its fields say.
pub(super) fn reviewed(e: &Entry) -> ReviewedOutcome {
    ReviewedOutcome {
        outcome: e.outcome.clone(),
        status: e
            .field(FieldKind::Status)
            .and_then(|i| i.chosen())
            .unwrap_or_default(),
        helped: text(e, FieldKind::Helped),
        contributors: tags(e, FieldKind::Contributors),
        hindered: text(e, FieldKind::Hindered),
        barriers: tags(e, FieldKind::Barriers),
        own_words: text(e, FieldKind::ReviewWords),
        next: e.field(FieldKind::Next).and_then(|i| i.chosen()),
    }
}

impl Editor {
    /// A fresh editor for `person` at `stage`, offering what earlier conversations said.
    pub fn new(
        stage: Stage,
        person: &Person,
        history: &[Conversation],
        forms: &Forms,
        today: NaiveDate,
        practitioner: &str,
    ) -> Option<Editor> {
        let fw = forms.framework_for(person.kind)?;
        // What a review may cover: the rule the save checks.
        let earlier: Vec<&Conversation> = history.iter().collect();
        let plannable = crate::domain::validate::planned_outcomes(&earlier, today);
        let mut header = vec![
            f(FieldKind::Date, DATE_LABEL, Input::line(&today.to_string())),
            f(
                FieldKind::Practitioner,
                "Practitioner",
                Input::line(practitioner),
            ),
            f(
                FieldKind::Participants,
                "Who took part",
                Input::tags(
                    terms(forms, Vocab::Participants)
                        .into_iter()
                        .filter(|(id, _)| validate::participant_allowed(person.kind, id))
                        .collect(),
                    &["person".to_string()],
                ),
            ),
        ];
        if stage == Stage::Planning {
            // Three months on is the usual review; `none` says there is deliberately none.
            let offer = today
                .checked_add_months(chrono::Months::new(3))
                .map_or_else(String::new, |d| d.to_string());
            header.push(f(
                FieldKind::ReviewBy,
                "Review by (+3m or none)",
                Input::line(&offer),
            ));
        }
        let mut entries = vec![Entry {
            outcome: String::new(),
            label: "About this conversation".into(),
            category: String::new(),
            prompts: vec![],
            context: vec![],
            priority_hint: false,
            fields: header,
        }];

        // What the person said before, newest first, for context.
        let latest_assessed = |id: &str| {
            history.iter().rev().find_map(|c| match &c.body {
                StageBody::Assessment { outcomes } => outcomes.iter().find(|o| o.outcome == id),
                _ => None,
            })
        };
        let latest_planned = |id: &str| {
            history.iter().rev().find_map(|c| match &c.body {
                StageBody::Planning { outcomes, .. } => outcomes.iter().find(|o| o.outcome == id),
                _ => None,
            })
        };

        let mut outcomes: Vec<Entry> = Vec::new();
        for o in &fw.outcomes {
            let cat = fw.category(&o.category);
            let process = cat.is_some_and(|c| c.process);
            let assessed = latest_assessed(&o.id);
            let planned = latest_planned(&o.id);
            let mut context = Vec::new();
            if let Some(a) = assessed {
                if !a.own_words.is_empty() {
                    context.push(("Said at assessment".to_string(), a.own_words.clone()));
                }
                if stage == Stage::Planning && !a.why.is_empty() {
                    context.push(("Why it matters".to_string(), a.why.clone()));
                }
            }
            if stage == Stage::Review
                && let Some(p) = planned
            {
                context.push(("Plan".to_string(), p.statement.clone()));
            }
            if stage == Stage::Review {
                context.extend(super::history_view::review_context(history, &o.id, forms));
            }
            let fields = match stage {
                Stage::Assessment => vec![
                    f(
                        FieldKind::OwnWords,
                        "What matters, in their words",
                        Input::text(""),
                    ),
                    f(FieldKind::Why, "Why it matters", Input::text("")),
                    f(
                        FieldKind::Strengths,
                        "Strengths and resources",
                        Input::text(""),
                    ),
                    f(
                        FieldKind::Resources,
                        "Resources from",
                        Input::tags(terms(forms, Vocab::Resources), &[]),
                    ),
                    f(
                        FieldKind::Priority,
                        "A priority for the plan",
                        Input::Toggle(false),
                    ),
                ],
                Stage::Planning => {
                    let mut v = vec![f(
                        FieldKind::Statement,
                        "Outcome, in their words",
                        Input::text(""),
                    )];
                    for i in 0..ACTION_SLOTS {
                        let n = i + 1;
                        v.push(f(
                            FieldKind::ActionWho(i),
                            &format!("Action {n}: who"),
                            Input::choice(terms(forms, Vocab::ActionOwners), None),
                        ));
                        v.push(f(
                            FieldKind::ActionWhat(i),
                            &format!("Action {n}: what"),
                            Input::text(""),
                        ));
                        v.push(f(
                            FieldKind::ActionBy(i),
                            &format!("Action {n}: by (date or +2w)"),
                            Input::line(""),
                        ));
                    }
                    v
                }
                Stage::Review => {
                    let status = f(
                        FieldKind::Status,
                        "Status",
                        Input::choice(terms(forms, Vocab::ReviewStatus), None),
                    );
                    if process {
                        vec![
                            status,
                            f(FieldKind::ReviewWords, "In their words", Input::text("")),
                        ]
                    } else {
                        vec![
                            status,
                            f(FieldKind::Helped, "What helped", Input::text("")),
                            f(
                                FieldKind::Contributors,
                                "Who contributed",
                                Input::tags(terms(forms, Vocab::Contributors), &[]),
                            ),
                            f(FieldKind::Hindered, "What got in the way", Input::text("")),
                            f(
                                FieldKind::Barriers,
                                "Barriers",
                                Input::tags(terms(forms, Vocab::Barriers), &[]),
                            ),
                            f(
                                FieldKind::ReviewWords,
                                "In their words, about the change",
                                Input::text(""),
                            ),
                            f(
                                FieldKind::Next,
                                "Next step",
                                Input::choice(terms(forms, Vocab::NextSteps), None),
                            ),
                        ]
                    }
                }
            };
            let planned_before = plannable.contains(o.id.as_str());
            // A review covers what was planned, then the experience of support.
            if stage == Stage::Review && !process && !planned_before {
                continue;
            }
            outcomes.push(Entry {
                outcome: o.id.clone(),
                label: o.label.clone(),
                category: cat.map_or(o.category.clone(), |c| c.label.clone()),
                prompts: o.prompts.clone(),
                context,
                priority_hint: stage == Stage::Planning && assessed.is_some_and(|a| a.priority),
                fields,
            });
        }
        if stage == Stage::Planning {
            // Priorities from the assessment are the starting points, so they come first.
            outcomes.sort_by_key(|e| !e.priority_hint);
        }
        entries.extend(outcomes);
        // Start on the conversation's own details, so the date, the practitioner and who
        // took part are seen before anything is recorded; Ctrl-N goes on to the outcomes.
        let selected = 0;
        Some(Editor {
            stage,
            person: person.clone(),
            conversation: Id::new(),
            entries,
            selected,
            focus: Focus::List,
            dirty: false,
            context_scroll: 0,
            today,
            editing: None,
        })
    }

    /// Ctrl-N / Ctrl-P: the next (or previous) outcome, with the focus in its first field.
    pub fn next_outcome(&mut self, delta: isize) {
        let n = self.entries.len() as isize;
        let to = (self.selected as isize + delta).clamp(0, n - 1) as usize;
        self.selected = to;
        self.context_scroll = 0;
        self.focus = if self.entries[to].fields.is_empty() {
            Focus::List
        } else {
            Focus::Field(0)
        };
    }

    /// The screen's name: the stage, or which saved conversation is being edited.
    pub fn title(&self) -> String {
        match &self.editing {
            Some(x) => format!(
                "Editing the {} of {}",
                stage_noun(self.stage),
                x.original.date
            ),
            None => stage_title(self.stage).to_string(),
        }
    }

    /// The title in as few words ("Edit: review 2026-06-09").
    pub fn short_title(&self) -> String {
        match &self.editing {
            Some(x) => format!("Edit: {} {}", stage_noun(self.stage), x.original.date),
            None => stage_title(self.stage).to_string(),
        }
    }

    pub fn entry(&self) -> &Entry {
        &self.entries[self.selected.min(self.entries.len() - 1)]
    }

    pub fn focused_input(&self) -> Option<&Input> {
        match self.focus {
            Focus::Field(i) => self.entry().fields.get(i).map(|f| &f.input),
            Focus::List => None,
        }
    }

    pub fn focused_input_mut(&mut self) -> Option<&mut Input> {
        let sel = self.selected.min(self.entries.len() - 1);
        match self.focus {
            Focus::Field(i) => self.entries[sel].fields.get_mut(i).map(|f| &mut f.input),
            Focus::List => None,
        }
    }

    pub fn typing(&self) -> bool {
        self.focused_input().is_some_and(|i| i.is_text())
    }

    pub fn move_selection(&mut self, delta: isize) {
        let n = self.entries.len() as isize;
        self.selected = (self.selected as isize + delta).clamp(0, n - 1) as usize;
        self.focus = Focus::List;
        self.context_scroll = 0;
    }

    /// Tab: into the fields from the list, then field by field, then on to the next
    /// outcome's list row.
    pub fn next_field(&mut self) {
        let n = self.entry().fields.len();
        self.focus = match self.focus {
            Focus::List if n > 0 => Focus::Field(0),
            Focus::Field(i) if i + 1 < n => Focus::Field(i + 1),
            _ => {
                if self.selected + 1 < self.entries.len() {
                    self.selected += 1;
                    self.context_scroll = 0;
                }
                Focus::List
            }
        };
    }

    pub fn prev_field(&mut self) {
        self.focus = match self.focus {
            Focus::Field(0) | Focus::List => Focus::List,
            Focus::Field(i) => Focus::Field(i - 1),
        };
    }

    fn header_text(&self, k: FieldKind) -> String {
        self.entries[0]
            .field(k)
            .map(|i| i.string())
            .unwrap_or_default()
    }

    /// A date typed in field `k` of list row `row`, or why it cannot be read.
    pub(super) fn date_of(
        &self,
        row: usize,
        k: FieldKind,
        s: &str,
        what: &str,
    ) -> Result<NaiveDate, Unreadable> {
        crate::domain::dates::resolve(s, self.today).map_err(|m| (row, k, format!("{what}: {m}")))
    }

    /// Action `i` of the planned outcome in list row `row`, if any of its fields is
    /// filled in.
    pub(super) fn action(&self, row: usize, i: usize) -> Result<Option<PlanAction>, Unreadable> {
        let e = &self.entries[row];
        let who = e.field(FieldKind::ActionWho(i)).and_then(|x| x.chosen());
        let what = text(e, FieldKind::ActionWhat(i));
        let by = text(e, FieldKind::ActionBy(i));
        if who.is_none() && what.trim().is_empty() && by.trim().is_empty() {
            return Ok(None);
        }
        let by = match by.trim() {
            "" => None,
            s => Some(self.date_of(row, FieldKind::ActionBy(i), s, "Action date")?),
        };
        Ok(Some(PlanAction {
            who: who.unwrap_or_default(),
            what,
            by,
        }))
    }

    /// The conversation as recorded so far, with the field of the first problem that
    /// stops it being built (an unreadable date). When editing a saved conversation,
    /// only the fields changed here replace its own.
    pub fn build(&self, forms: &Forms) -> Result<Conversation, Unreadable> {
        let built = self.build_fresh(forms)?;
        match &self.editing {
            Some(x) => x.overlay(self, built),
            None => Ok(built),
        }
    }

    /// The conversation exactly as the fields say.
    fn build_fresh(&self, forms: &Forms) -> Result<Conversation, Unreadable> {
        let date = self.date_of(
            0,
            FieldKind::Date,
            &self.header_text(FieldKind::Date),
            "Date",
        )?;
        let review_by = match self.header_text(FieldKind::ReviewBy).trim() {
            _ if self.stage != Stage::Planning => None,
            "" => {
                return Err((
                    0,
                    FieldKind::ReviewBy,
                    "Review by: a plan needs a review date; write a date, +3m, or none".into(),
                ));
            }
            s if s.eq_ignore_ascii_case("none") => None,
            s => Some(self.date_of(0, FieldKind::ReviewBy, s, "Review by")?),
        };
        let fw = forms.framework_for(self.person.kind);
        let touched: Vec<(usize, &Entry)> = self
            .entries
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(_, e)| e.touched())
            .collect();
        let body = match self.stage {
            Stage::Assessment => StageBody::Assessment {
                outcomes: touched.iter().map(|(_, e)| assessed(e)).collect(),
            },
            Stage::Planning => {
                let mut outcomes = Vec::new();
                for (row, e) in &touched {
                    let mut actions = Vec::new();
                    for i in 0..ACTION_SLOTS {
                        actions.extend(self.action(*row, i)?);
                    }
                    outcomes.push(PlannedOutcome {
                        outcome: e.outcome.clone(),
                        statement: text(e, FieldKind::Statement),
                        actions,
                    });
                }
                StageBody::Planning {
                    review_by,
                    outcomes,
                }
            }
            Stage::Review => StageBody::Review {
                outcomes: touched.iter().map(|(_, e)| reviewed(e)).collect(),
            },
        };
        Ok(Conversation {
            id: self.conversation,
            person: self.person.id,
            date,
            practitioner: self.header_text(FieldKind::Practitioner).trim().to_string(),
            participants: self.entries[0]
                .field(FieldKind::Participants)
                .map(|i| i.tag_ids())
                .unwrap_or_default(),
            form: fw.map_or_else(String::new, |f| f.id.clone()),
            form_version: fw.map_or(0, |f| f.version),
            revision: 0,
            consent: None,
            withdrawn: None,
            body,
        })
    }

    /// Finds the list row and field a validation problem path points at
    /// (`outcomes[2].status` → that outcome's Status field).
    pub fn locate(&self, conv: &Conversation, field: &str) -> Option<(usize, usize)> {
        let header = |k: FieldKind| {
            self.entries[0]
                .fields
                .iter()
                .position(|f| f.kind == k)
                .map(|i| (0, i))
        };
        match field.split(['[', '.']).next()? {
            "date" => return header(FieldKind::Date),
            "practitioner" => return header(FieldKind::Practitioner),
            "participants" => return header(FieldKind::Participants),
            "review_by" => return header(FieldKind::ReviewBy),
            _ => {}
        }
        let rest = field.strip_prefix("outcomes[")?;
        let (n, tail) = rest.split_once(']')?;
        let n: usize = n.parse().ok()?;
        let id = *conv.outcome_ids().get(n)?;
        let row = self.entries.iter().position(|e| e.outcome == id)?;
        let kind = match tail.trim_start_matches('.').split(['[', '.']).next()? {
            "status" => FieldKind::Status,
            "statement" => FieldKind::Statement,
            "contributors" => FieldKind::Contributors,
            "barriers" => FieldKind::Barriers,
            "next" => FieldKind::Next,
            "resources" => FieldKind::Resources,
            "actions" => {
                let j: usize = tail.split('[').nth(1)?.split(']').next()?.parse().ok()?;
                if tail.ends_with(".what") {
                    FieldKind::ActionWhat(j)
                } else if tail.ends_with(".by") {
                    FieldKind::ActionBy(j)
                } else {
                    FieldKind::ActionWho(j)
                }
            }
            _ => return Some((row, 0)),
        };
        let i = self.entries[row]
            .fields
            .iter()
            .position(|f| f.kind == kind)
            .unwrap_or(0);
        Some((row, i))
    }

    pub fn draft(&self, saved_at: String) -> Draft {
        Draft {
            stage: self.stage,
            person: self.person.id,
            conversation: self.conversation,
            selected: self.selected,
            saved_at,
            values: self
                .entries
                .iter()
                // An edit's outcome emptied on purpose is kept as empty.
                .filter(|e| {
                    e.is_header()
                        || e.touched()
                        || self.editing.as_ref().is_some_and(|x| x.entry_changed(e))
                })
                .map(|e| {
                    (
                        e.outcome.clone(),
                        e.fields.iter().map(|f| (f.kind, f.input.value())).collect(),
                    )
                })
                .collect(),
            editing: self.editing.as_ref().map(|x| Edited {
                date: x.original.date,
                revision: x.original.revision,
            }),
        }
    }

    /// Puts a draft's values back into a fresh editor for the same person and stage.
    pub fn restore(&mut self, d: &Draft) {
        self.conversation = d.conversation;
        for e in &mut self.entries {
            if let Some(values) = d.values.get(&e.outcome) {
                for (k, v) in values {
                    if let Some(fl) = e.fields.iter_mut().find(|f| f.kind == *k) {
                        fl.input.restore(v);
                    }
                }
            }
        }
        self.selected = d.selected.min(self.entries.len() - 1);
        self.dirty = true;
    }
}
