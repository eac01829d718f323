//! The interface's shell: the stack of screens, the question and help over them, and
//! the footer. An action goes to the question if one is open, else to the screen on top;
//! what it returns is performed by the [runner](super::runner). Nothing here draws,
//! reads the terminal or touches the store, so every behaviour can be tested without
//! a terminal.

use super::caseload::Row;
use super::dashboard::Dashboard;
use super::editor::{Draft, Editor};
use super::effect::{AfterSave, Effect};
use super::keymap::Context;
use super::runner;
use super::screens::caseload::Caseload;
use super::screens::view::Reading;
use super::screens::{Component, Ctx, prompt};
use super::theme::Theme;
use crate::domain::{Conversation, Id, Stage};
use crate::forms::Forms;
use crate::store::Store;
use chrono::NaiveDate;
use ratatui_textarea::Input as TaInput;

pub use super::screens::add_person::AddPerson;
pub use super::screens::person::PersonView;

/// What a key press means, once the keymap has read it in context.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    Enter,
    Back,
    NextField,
    PrevField,
    Left,
    Right,
    Toggle,
    Save,
    Help,
    Quit,
    /// Ctrl-C: asks once, then quits (keeping unsaved words as a draft).
    Interrupt,
    /// In the editor: the next outcome, straight into its first field.
    NextOutcome,
    PrevOutcome,
    Filter,
    AddPerson,
    Start(Stage),
    /// Open the dashboard (from the caseload).
    Dashboard,
    /// A key for the focused text field.
    Type(TaInput),
    /// Pasted text, whole.
    Paste(String),
    /// An answer to a question on screen (y, n, s, d …).
    Answer(char),
    Resize(u16, u16),
    /// On the person screen: write the person's own copy of their current plan.
    PlanCopy,
    /// On the person screen: withdraw the selected conversation as recorded in error.
    Withdraw,
    /// In the conversation view: show or hide its earlier revisions.
    History,
    /// On the person screen or in the conversation view: open the conversation in the
    /// editor; saving makes a new revision of it.
    Edit,
}

#[derive(Debug)]
pub enum Screen {
    Caseload,
    Person(PersonView),
    View {
        person: PersonView,
        conversation: usize,
        scroll: u16,
        /// Every version of the conversation, oldest first, while they are shown.
        history: Option<Vec<Conversation>>,
    },
    Editor(Box<Editor>),
    AddPerson(AddPerson),
    /// The first service, offered while the store has none.
    AddService(super::service_form::ServiceForm),
    Dashboard(Box<Dashboard>),
}

impl Screen {
    /// The screen as a component. The caseload's state is the app's own (it is always
    /// open) and the conversation view's is in this variant's fields, so those two are
    /// dispatched by name; a new screen needs only a line in each of these two.
    pub fn component(&self) -> Option<&dyn Component> {
        match self {
            Screen::Person(v) => Some(v),
            Screen::Editor(e) => Some(e.as_ref()),
            Screen::AddPerson(a) => Some(a),
            Screen::AddService(s) => Some(s),
            Screen::Dashboard(d) => Some(d.as_ref()),
            Screen::Caseload | Screen::View { .. } => None,
        }
    }

    pub fn component_mut(&mut self) -> Option<&mut dyn Component> {
        match self {
            Screen::Person(v) => Some(v),
            Screen::Editor(e) => Some(e.as_mut()),
            Screen::AddPerson(a) => Some(a),
            Screen::AddService(s) => Some(s),
            Screen::Dashboard(d) => Some(d.as_mut()),
            Screen::Caseload | Screen::View { .. } => None,
        }
    }

    pub fn name(&self) -> String {
        match self {
            Screen::Caseload => "Caseload".into(),
            Screen::Person(_) | Screen::View { .. } => "Person".into(),
            Screen::Editor(e) => e.title(),
            Screen::AddPerson(_) => "Add person".into(),
            Screen::AddService(_) => "Add service".into(),
            Screen::Dashboard(_) => "Dashboard".into(),
        }
    }

    /// The name in as few words, for a narrow title row.
    pub fn short_name(&self) -> String {
        match self {
            Screen::Editor(e) => e.short_title(),
            s => s.name(),
        }
    }
}

/// A question that must be answered before anything else.
#[derive(Clone, Debug, PartialEq)]
pub enum Prompt {
    /// Leaving an editor with unsaved words: save, discard or stay.
    LeaveEditor,
    /// A draft from an earlier session: continue it or discard it.
    Recover(Box<Draft>),
    /// Quit with unsaved words.
    Quit,
    /// Why a conversation is withdrawn as recorded in error (typed; required).
    Withdraw { id: Id, reason: String },
    /// A review that leaves some of the plan's outcomes unreviewed: save it as it is,
    /// or go back and review the rest.
    PartialReview {
        conversation: Box<Conversation>,
        after: AfterSave,
        left: usize,
    },
}

pub struct App {
    pub store: Store,
    pub forms: Forms,
    pub theme: Theme,
    pub today: NaiveDate,
    pub practitioner: String,
    /// The bottom screen, always open; its state reads as the app's own (`app.rows`).
    pub caseload: Caseload,
    pub stack: Vec<Screen>,
    pub help: bool,
    /// How far the help is scrolled, when it does not fit the window.
    pub help_scroll: u16,
    pub prompt: Option<Prompt>,
    pub status: String,
    pub size: (u16, u16),
    pub quit: bool,
    /// The editor changed since the draft was last written.
    pub draft_pending: bool,
    /// Ctrl-C was pressed once; the next one quits.
    pub interrupted: bool,
    /// Where the person's copy of their plan is written (the documents folder if unset).
    pub copy_dir: Option<std::path::PathBuf>,
    /// A throwaway demo store (deleted on quit): the title says so.
    pub demo: bool,
}

/// The caseload is the bottom screen and is always there: its fields (`rows`, `filter`,
/// `filtering`, `selected`) read and change as the app's own.
impl std::ops::Deref for App {
    type Target = Caseload;
    fn deref(&self) -> &Caseload {
        &self.caseload
    }
}

impl std::ops::DerefMut for App {
    fn deref_mut(&mut self) -> &mut Caseload {
        &mut self.caseload
    }
}

impl App {
    pub fn new(store: Store, forms: Forms, theme: Theme, today: NaiveDate) -> anyhow::Result<App> {
        let mut app = App {
            store,
            forms,
            theme,
            today,
            practitioner: crate::store::guard::os_account(),
            caseload: Caseload::default(),
            stack: vec![Screen::Caseload],
            help: false,
            help_scroll: 0,
            prompt: None,
            status: String::new(),
            size: (80, 24),
            quit: false,
            draft_pending: false,
            interrupted: false,
            copy_dir: None,
            demo: false,
        };
        runner::open(&mut app)?;
        Ok(app)
    }

    /// What every screen may read (never the store).
    pub fn ctx(&self) -> Ctx<'_> {
        Ctx {
            forms: &self.forms,
            theme: &self.theme,
            today: self.today,
            practitioner: &self.practitioner,
            size: self.size,
        }
    }

    /// The read-only context beside the screens it is lent to.
    pub(super) fn parts(&mut self) -> (Ctx<'_>, &mut Vec<Screen>, &mut Caseload) {
        let ctx = Ctx {
            forms: &self.forms,
            theme: &self.theme,
            today: self.today,
            practitioner: &self.practitioner,
            size: self.size,
        };
        (ctx, &mut self.stack, &mut self.caseload)
    }

    /// Rebuilds the caseload from the store.
    pub fn reload(&mut self) -> anyhow::Result<()> {
        runner::perform(self, vec![Effect::LoadCaseload])
    }

    /// Refreshes one person's caseload row (after a save) without rescanning the store.
    pub fn reload_row(&mut self, id: &Id) -> anyhow::Result<()> {
        runner::perform(self, vec![Effect::ReloadRow(*id)])
    }

    /// Writes the editor's words as a draft, if they changed since the last one.
    pub fn write_draft(&mut self) -> anyhow::Result<()> {
        runner::perform(self, vec![Effect::WriteDraft])
    }

    pub fn screen(&self) -> &Screen {
        self.stack.last().unwrap_or(&Screen::Caseload)
    }

    pub fn visible_rows(&self) -> Vec<&Row> {
        self.caseload.visible_rows()
    }

    pub fn editor(&self) -> Option<&Editor> {
        match self.screen() {
            Screen::Editor(e) => Some(e),
            _ => None,
        }
    }

    /// Whether keys go to a text field (so letters type rather than command).
    pub fn typing(&self) -> bool {
        if self.prompt.is_some() {
            return false;
        }
        match self.screen() {
            Screen::Caseload => self.caseload.typing(),
            Screen::View { .. } => false,
            s => s.component().is_some_and(|c| c.typing()),
        }
    }

    /// The keymap contexts of the screen on top (or the question over it), most
    /// particular first.
    pub fn contexts(&self) -> Vec<Context> {
        if self.prompt.is_some() {
            return vec![Context::Prompt];
        }
        match self.screen() {
            Screen::Caseload => self.caseload.contexts(),
            Screen::View { .. } => vec![Context::View],
            s => s.component().map_or_else(Vec::new, |c| c.contexts()),
        }
    }

    /// Applies one action. Errors from the store become the status line, never a crash.
    /// A message belongs to the screen that made it: leaving that screen clears it.
    pub fn update(&mut self, a: Action) {
        let depth = self.stack.len();
        let before = self.status.clone();
        if a == Action::Interrupt {
            self.interrupt();
            return;
        }
        if !matches!(a, Action::Resize(..)) {
            self.interrupted = false;
        }
        if let Err(e) = runner::prefetch(self, &a) {
            self.status = format!("{e}");
        }
        let effects = self.handle(a);
        if let Err(e) = runner::perform(self, effects) {
            self.status = format!("{e}");
        }
        if self.stack.len() != depth && self.status == before {
            self.status.clear();
        }
    }

    /// What an action changes in the shell or the screen on top, and the effects it
    /// asks for. Nothing here reaches the store.
    pub fn handle(&mut self, a: Action) -> Vec<Effect> {
        if let Action::Resize(w, h) = a {
            self.size = (w, h);
            return Vec::new();
        }
        if let Some(p) = self.prompt.take() {
            let (p, effects) = prompt::answer(p, a);
            self.prompt = p;
            return effects;
        }
        if self.help {
            // A help too long for the window scrolls; any other key closes it and
            // changes nothing else.
            match super::help::scrolled(self, self.help_scroll, &a) {
                Some(s) => self.help_scroll = s,
                None => self.help = false,
            }
            return Vec::new();
        }
        if a == Action::Help {
            self.help = true;
            self.help_scroll = 0;
            return Vec::new();
        }
        let (ctx, stack, caseload) = self.parts();
        match stack.last_mut() {
            None | Some(Screen::Caseload) => caseload.update(a, &ctx),
            Some(Screen::View {
                person,
                conversation,
                scroll,
                history,
            }) => Reading {
                person,
                conversation,
                scroll,
                history,
            }
            .update(a, &ctx),
            Some(s) => s
                .component_mut()
                .map_or_else(Vec::new, |c| c.update(a, &ctx)),
        }
    }

    /// Ctrl-C once says what a second one does; a second quits. Unsaved words are kept
    /// as a draft on the way out, so nothing typed is lost.
    fn interrupt(&mut self) {
        if self.interrupted || matches!(self.prompt, Some(Prompt::Quit)) {
            if self.editor().is_some_and(|e| e.dirty) {
                self.draft_pending = true;
            }
            self.quit = true;
            return;
        }
        self.interrupted = true;
        self.status = if self.editor().is_some_and(|e| e.dirty) {
            "Ctrl-C again quits; the unsaved words are kept as a draft.".into()
        } else {
            "Ctrl-C again quits.".into()
        };
    }
}
