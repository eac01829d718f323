//! What a screen asks for when an action changes more than its own state. Screens
//! return effects; the runner ([`super::runner`]) alone performs them, so only the
//! runner reads or writes the store.

use super::app::{Prompt, Screen};
use super::editor::Draft;
use crate::domain::{Conversation, Id, Person};

/// After a conversation is saved: stay in the editor, leave it, or leave and quit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AfterSave {
    Stay,
    Leave,
    Quit,
}

impl AfterSave {
    /// What follows a save (or an edit with nothing to save): the one rule for both.
    pub fn effects(self) -> Vec<Effect> {
        match self {
            AfterSave::Stay => Vec::new(),
            AfterSave::Leave => vec![Effect::Leave, Effect::RefreshPerson],
            AfterSave::Quit => vec![Effect::Leave, Effect::RefreshPerson, Effect::Quit],
        }
    }
}

#[derive(Debug)]
pub enum Effect {
    /// A line for the footer (empty clears it).
    Status(String),
    /// A question that must be answered before anything else.
    Ask(Prompt),
    /// Open a screen built from what is already in memory.
    Open(Screen),
    /// Leave the screen on top.
    Leave,
    Quit,
    /// The editor's words changed: a draft is due.
    DraftChanged,
    /// Read the whole caseload from the store.
    LoadCaseload,
    /// Read one person's caseload row again.
    ReloadRow(Id),
    /// Read a person and their conversations and open their screen.
    OpenPerson(Id),
    /// Read the person on screen again (after a save or a withdrawal).
    RefreshPerson,
    /// Read what the dashboard needs and open it.
    LoadDashboard,
    /// Read the services and open the form to add a person.
    OpenAddPerson,
    /// Ask the editor on screen to build its conversation and save it.
    SaveEditor(AfterSave),
    /// Check a built conversation against the person's history and save it (a review
    /// that leaves planned outcomes unreviewed asks first).
    SaveConversation(Box<Conversation>, AfterSave),
    /// The same, when the person using it has said a partial review is what they mean.
    SavePartialReview(Box<Conversation>, AfterSave),
    /// Withdraw a conversation as recorded in error.
    Withdraw {
        id: Id,
        reason: String,
    },
    /// Add the first service (by the rule `org add` uses), then open the form for the
    /// first person.
    AddService {
        partnership: String,
        organisation: String,
        service: String,
    },
    /// Search the store's adults by part of a name for the carer form's picker.
    SearchCaredFor(String),
    /// Add a checked person and select them on the caseload.
    AddPerson(Box<Person>),
    /// Write the editor's words as a draft, if they changed since the last one.
    WriteDraft,
    RemoveDraft,
    /// Continue a draft from an earlier session.
    ResumeDraft(Box<Draft>),
    /// Write the person's own copy of their current plan.
    WritePlanCopy(Box<Person>),
    /// Read every revision of a conversation for the conversation view.
    LoadRevisions(Id),
}
