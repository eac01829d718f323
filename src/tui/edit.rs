//! Editing a saved conversation. The editor is filled from the conversation as it was
//! saved, and saving lays only the fields changed since over that conversation, so
//! whatever the editor does not show is carried over as it was: the consent, actions
//! beyond the editor's slots, outcomes or choices the forms no longer offer, the form
//! it was recorded against.

use super::editor::{ACTION_SLOTS, Editor, Entry, FieldKind, Unreadable, assessed, reviewed};
use super::field::{Input, Value};
use crate::domain::{
    AssessedOutcome, Conversation, Person, PlannedOutcome, ReviewedOutcome, StageBody,
};
use crate::forms::Forms;
use chrono::NaiveDate;
use std::collections::HashMap;

/// The conversation being edited and what each field showed when it was opened.
#[derive(Clone, Debug)]
pub struct Editing {
    pub original: Conversation,
    /// Each field's value as filled from the original, by outcome ("" for the
    /// conversation's own details) and field.
    baseline: HashMap<(String, FieldKind), Value>,
}

impl Editing {
    /// Whether field `k` of `e` differs from what it showed when opened.
    pub fn changed(&self, e: &Entry, k: FieldKind) -> bool {
        e.field(k)
            .is_some_and(|i| self.baseline.get(&(e.outcome.clone(), k)) != Some(&i.value()))
    }

    /// Whether any field of `e` was changed.
    pub fn entry_changed(&self, e: &Entry) -> bool {
        e.fields.iter().any(|f| self.changed(e, f.kind))
    }

    /// Whether `c`, as built, is the conversation as it was saved.
    pub fn unchanged(&self, c: &Conversation) -> bool {
        *c == self.original
    }

    /// After a save: the saved version is what later changes are made to.
    pub fn rebase(&mut self, saved: &Conversation, ed_entries: &[Entry]) {
        self.original = saved.clone();
        self.baseline = snapshot(ed_entries);
    }

    /// The original with the changed fields of `ed` laid over it; `built` is what the
    /// fields alone say (used for outcomes the original did not have).
    pub fn overlay(&self, ed: &Editor, built: Conversation) -> Result<Conversation, Unreadable> {
        let o = &self.original;
        let head = &ed.entries[0];
        let mut c = o.clone();
        if self.changed(head, FieldKind::Date) {
            c.date = built.date;
        }
        if self.changed(head, FieldKind::Practitioner) {
            c.practitioner = built.practitioner.clone();
        }
        if self.changed(head, FieldKind::Participants) {
            c.participants = kept_unknown(
                head.field(FieldKind::Participants),
                &o.participants,
                built.participants.clone(),
            );
        }
        c.body = match (&o.body, built.body) {
            (StageBody::Assessment { outcomes: old }, StageBody::Assessment { outcomes: new }) => {
                StageBody::Assessment {
                    outcomes: merge(
                        ed,
                        self,
                        old,
                        new,
                        |o| &o.outcome,
                        |o, row| Ok(self.assessed_over(o, &ed.entries[row])),
                    )?,
                }
            }
            (
                StageBody::Planning {
                    review_by,
                    outcomes: old,
                },
                StageBody::Planning {
                    review_by: new_by,
                    outcomes: new,
                },
            ) => StageBody::Planning {
                review_by: if self.changed(head, FieldKind::ReviewBy) {
                    new_by
                } else {
                    *review_by
                },
                outcomes: merge(
                    ed,
                    self,
                    old,
                    new,
                    |o| &o.outcome,
                    |o, row| self.planned_over(ed, o, row),
                )?,
            },
            (StageBody::Review { outcomes: old }, StageBody::Review { outcomes: new }) => {
                StageBody::Review {
                    outcomes: merge(
                        ed,
                        self,
                        old,
                        new,
                        |o| &o.outcome,
                        |o, row| Ok(self.reviewed_over(o, &ed.entries[row])),
                    )?,
                }
            }
            // The editor is opened at the conversation's own stage, so this is not
            // reached; if it were, nothing would be changed.
            (_, _) => o.body.clone(),
        };
        Ok(c)
    }

    fn assessed_over(&self, o: &AssessedOutcome, e: &Entry) -> AssessedOutcome {
        let now = assessed(e);
        let ch = |k| self.changed(e, k);
        AssessedOutcome {
            outcome: o.outcome.clone(),
            own_words: pick(ch(FieldKind::OwnWords), now.own_words, &o.own_words),
            why: pick(ch(FieldKind::Why), now.why, &o.why),
            strengths: pick(ch(FieldKind::Strengths), now.strengths, &o.strengths),
            resources: if ch(FieldKind::Resources) {
                kept_unknown(e.field(FieldKind::Resources), &o.resources, now.resources)
            } else {
                o.resources.clone()
            },
            priority: pick(ch(FieldKind::Priority), now.priority, &o.priority),
        }
    }

    fn planned_over(
        &self,
        ed: &Editor,
        o: &PlannedOutcome,
        row: usize,
    ) -> Result<PlannedOutcome, Unreadable> {
        let e = &ed.entries[row];
        let ch = |k| self.changed(e, k);
        let mut actions = Vec::new();
        for i in 0..ACTION_SLOTS {
            let (who, what, by) = (
                FieldKind::ActionWho(i),
                FieldKind::ActionWhat(i),
                FieldKind::ActionBy(i),
            );
            let old = o.actions.get(i);
            if !(ch(who) || ch(what) || ch(by)) {
                actions.extend(old.cloned());
                continue;
            }
            // An action whose fields were all emptied is left out.
            if let Some(mut a) = ed.action(row, i)? {
                if let Some(old) = old {
                    if !ch(who) {
                        a.who = old.who.clone();
                    }
                    if !ch(what) {
                        a.what = old.what.clone();
                    }
                    if !ch(by) {
                        a.by = old.by;
                    }
                }
                actions.push(a);
            }
        }
        // The editor offers a few action rows; the rest are kept as they were.
        actions.extend(o.actions.iter().skip(ACTION_SLOTS).cloned());
        let statement = e
            .field(FieldKind::Statement)
            .map(Input::string)
            .unwrap_or_default();
        Ok(PlannedOutcome {
            outcome: o.outcome.clone(),
            statement: pick(ch(FieldKind::Statement), statement, &o.statement),
            actions,
        })
    }

    fn reviewed_over(&self, o: &ReviewedOutcome, e: &Entry) -> ReviewedOutcome {
        let now = reviewed(e);
        let ch = |k| self.changed(e, k);
        ReviewedOutcome {
            outcome: o.outcome.clone(),
            status: pick(ch(FieldKind::Status), now.status, &o.status),
            helped: pick(ch(FieldKind::Helped), now.helped, &o.helped),
            contributors: if ch(FieldKind::Contributors) {
                kept_unknown(
                    e.field(FieldKind::Contributors),
                    &o.contributors,
                    now.contributors,
                )
            } else {
                o.contributors.clone()
            },
            hindered: pick(ch(FieldKind::Hindered), now.hindered, &o.hindered),
            barriers: if ch(FieldKind::Barriers) {
                kept_unknown(e.field(FieldKind::Barriers), &o.barriers, now.barriers)
            } else {
                o.barriers.clone()
            },
            own_words: pick(ch(FieldKind::ReviewWords), now.own_words, &o.own_words),
            next: pick(ch(FieldKind::Next), now.next, &o.next),
        }
    }
}

fn pick<T: Clone>(changed: bool, now: T, was: &T) -> T {
    if changed { now } else { was.clone() }
}

/// A changed tag list: what is ticked now, then any of the saved ids the field does
/// not offer (from other forms), which it could not have shown or unticked.
fn kept_unknown(input: Option<&Input>, was: &[String], mut now: Vec<String>) -> Vec<String> {
    if let Some(Input::Tags { options, .. }) = input {
        now.extend(
            was.iter()
                .filter(|id| !options.iter().any(|(o, _)| o == *id))
                .cloned(),
        );
    }
    now
}

/// The outcomes after an edit, in the saved order: one not shown or not changed is kept
/// as it was, one emptied is left out, one changed is `over` it; outcomes written in
/// during the edit follow.
fn merge<T: Clone>(
    ed: &Editor,
    x: &Editing,
    old: &[T],
    new: Vec<T>,
    id: impl Fn(&T) -> &String,
    mut over: impl FnMut(&T, usize) -> Result<T, Unreadable>,
) -> Result<Vec<T>, Unreadable> {
    let mut out = Vec::with_capacity(old.len() + new.len());
    for o in old {
        let row = ed
            .entries
            .iter()
            .position(|e| !e.is_header() && e.outcome == *id(o));
        match row {
            Some(r) if x.entry_changed(&ed.entries[r]) => {
                if ed.entries[r].touched() {
                    out.push(over(o, r)?);
                }
            }
            _ => out.push(o.clone()),
        }
    }
    out.extend(
        new.into_iter()
            .filter(|n| !old.iter().any(|o| id(o) == id(n))),
    );
    Ok(out)
}

/// Every field's value, by outcome and field.
fn snapshot(entries: &[Entry]) -> HashMap<(String, FieldKind), Value> {
    entries
        .iter()
        .flat_map(|e| {
            e.fields
                .iter()
                .map(|f| ((e.outcome.clone(), f.kind), f.input.value()))
        })
        .collect()
}

fn set(e: &mut Entry, k: FieldKind, v: Value) {
    if let Some(f) = e.fields.iter_mut().find(|f| f.kind == k) {
        f.input.restore(&v);
    }
}

fn words(s: &str) -> Value {
    Value::Text(s.to_string())
}

fn date(d: Option<NaiveDate>) -> Value {
    Value::Text(d.map_or_else(String::new, |d| d.to_string()))
}

impl Editor {
    /// An editor filled from saved conversation `c`. `before` is the person's history
    /// as it stood when `c` was recorded (what it may draw on: the words said earlier,
    /// the outcomes a review may cover); `today` is what `today` and `+2w` count from.
    pub fn edit(
        c: &Conversation,
        person: &Person,
        before: &[Conversation],
        forms: &Forms,
        today: NaiveDate,
    ) -> Option<Editor> {
        let mut ed = Editor::new(c.stage(), person, before, forms, c.date, &c.practitioner)?;
        ed.today = today;
        ed.conversation = c.id;
        // The date field is already the conversation's: `Editor::new` was given it.
        let head = &mut ed.entries[0];
        set(
            head,
            FieldKind::Participants,
            Value::Tags(c.participants.clone()),
        );
        if let StageBody::Planning { review_by, .. } = &c.body {
            // A plan saved without a review date said so on purpose.
            let by = review_by.map_or_else(|| "none".to_string(), |d| d.to_string());
            set(head, FieldKind::ReviewBy, words(&by));
        }
        let row = |ed: &Editor, id: &str| {
            ed.entries
                .iter()
                .position(|e| !e.is_header() && e.outcome == id)
        };
        match &c.body {
            StageBody::Assessment { outcomes } => {
                for o in outcomes {
                    let Some(r) = row(&ed, &o.outcome) else {
                        continue;
                    };
                    let e = &mut ed.entries[r];
                    set(e, FieldKind::OwnWords, words(&o.own_words));
                    set(e, FieldKind::Why, words(&o.why));
                    set(e, FieldKind::Strengths, words(&o.strengths));
                    set(e, FieldKind::Resources, Value::Tags(o.resources.clone()));
                    set(e, FieldKind::Priority, Value::Bool(o.priority));
                }
            }
            StageBody::Planning { outcomes, .. } => {
                for o in outcomes {
                    let Some(r) = row(&ed, &o.outcome) else {
                        continue;
                    };
                    let e = &mut ed.entries[r];
                    set(e, FieldKind::Statement, words(&o.statement));
                    for (i, a) in o.actions.iter().take(ACTION_SLOTS).enumerate() {
                        set(
                            e,
                            FieldKind::ActionWho(i),
                            Value::Choice(Some(a.who.clone())),
                        );
                        set(e, FieldKind::ActionWhat(i), words(&a.what));
                        set(e, FieldKind::ActionBy(i), date(a.by));
                    }
                }
            }
            StageBody::Review { outcomes } => {
                for o in outcomes {
                    let Some(r) = row(&ed, &o.outcome) else {
                        continue;
                    };
                    let e = &mut ed.entries[r];
                    set(e, FieldKind::Status, Value::Choice(Some(o.status.clone())));
                    set(e, FieldKind::Helped, words(&o.helped));
                    set(
                        e,
                        FieldKind::Contributors,
                        Value::Tags(o.contributors.clone()),
                    );
                    set(e, FieldKind::Hindered, words(&o.hindered));
                    set(e, FieldKind::Barriers, Value::Tags(o.barriers.clone()));
                    set(e, FieldKind::ReviewWords, words(&o.own_words));
                    set(e, FieldKind::Next, Value::Choice(o.next.clone()));
                }
            }
        }
        ed.editing = Some(Box::new(Editing {
            original: c.clone(),
            baseline: snapshot(&ed.entries),
        }));
        Some(ed)
    }
}

#[cfg(test)]
mod tests;
