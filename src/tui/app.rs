//! The interface's state and how actions change it. Nothing here draws or reads the
//! terminal, so every behaviour can be tested without one.

use super::caseload::{self, Row};
use super::editor::{Draft, Editor, Focus};
use super::field::Input;
use super::theme::Theme;
use crate::domain::{
    Conversation, Id, Person, PersonKind, Stage, validate_conversation, validate_person,
};
use crate::forms::Forms;
use crate::store::Store;
use chrono::NaiveDate;
use ratatui_textarea::Input as TaInput;

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
}

#[derive(Clone, Debug)]
pub struct PersonView {
    pub person: Person,
    pub service: String,
    pub cares_for: Option<String>,
    pub conversations: Vec<Conversation>,
    pub selected: usize,
}

#[derive(Clone, Debug)]
pub struct AddPerson {
    pub fields: Vec<(String, Input)>,
    pub focus: usize,
    pub service_ids: Vec<Id>,
    pub adult_ids: Vec<Option<Id>>,
}

#[derive(Clone, Debug)]
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
    Dashboard(Box<super::dashboard::Dashboard>),
}

impl Screen {
    pub fn name(&self) -> &'static str {
        match self {
            Screen::Caseload => "Caseload",
            Screen::Person(_) | Screen::View { .. } => "Person",
            Screen::Editor(e) => e.title(),
            Screen::AddPerson(_) => "Add person",
            Screen::Dashboard(_) => "Dashboard",
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
}

pub struct App {
    pub store: Store,
    pub forms: Forms,
    pub theme: Theme,
    pub today: NaiveDate,
    pub practitioner: String,
    pub rows: Vec<Row>,
    pub filter: String,
    pub filtering: bool,
    pub selected: usize,
    pub stack: Vec<Screen>,
    pub help: bool,
    pub prompt: Option<Prompt>,
    pub status: String,
    pub size: (u16, u16),
    pub quit: bool,
    /// The editor changed since the draft was last written.
    pub draft_pending: bool,
    /// What the dashboard reads, loaded when it is opened.
    pub dash_data: Option<super::dashboard::Data>,
    /// Ctrl-C was pressed once; the next one quits.
    pub interrupted: bool,
    /// Where the person's copy of their plan is written (the documents folder if unset).
    pub copy_dir: Option<std::path::PathBuf>,
    /// The caseload lines not read yet (the rest is read on scroll or filter).
    pub more_rows: Option<super::caseload_load::MoreRows>,
}

const DRAFT_KEY: &str = "editor";
/// The practitioner last named in this store, offered in the next conversation.
const PRACTITIONER_KEY: &str = "practitioner";

impl App {
    pub fn new(store: Store, forms: Forms, theme: Theme, today: NaiveDate) -> anyhow::Result<App> {
        let mut app = App {
            store,
            forms,
            theme,
            today,
            practitioner: crate::store::guard::os_account(),
            rows: Vec::new(),
            filter: String::new(),
            filtering: false,
            selected: 0,
            stack: vec![Screen::Caseload],
            help: false,
            prompt: None,
            status: String::new(),
            size: (80, 24),
            quit: false,
            draft_pending: false,
            dash_data: None,
            interrupted: false,
            copy_dir: None,
            more_rows: None,
        };
        if let Some(name) = app.store.load_draft::<String>(PRACTITIONER_KEY)?
            && !name.trim().is_empty()
        {
            app.practitioner = name;
        }
        app.reload()?;
        if let Some(d) = app.store.load_draft::<Draft>(DRAFT_KEY)? {
            app.prompt = Some(Prompt::Recover(Box::new(d)));
        }
        Ok(app)
    }

    /// Rebuilds the caseload from the store.
    pub fn reload(&mut self) -> anyhow::Result<()> {
        use super::caseload_load::{PAGE, first_page};
        self.more_rows = None;
        if let Some((rows, more)) = first_page(&self.store, self.today, PAGE)? {
            self.rows = rows;
            self.more_rows = more;
            return Ok(());
        }
        let services: std::collections::HashMap<Id, String> = self
            .store
            .services()?
            .into_iter()
            .map(|s| (s.id, s.name))
            .collect();
        let mut by_person: std::collections::HashMap<Id, Vec<Conversation>> =
            std::collections::HashMap::new();
        for c in self.store.conversations()? {
            by_person.entry(c.person).or_default().push(c);
        }
        let mut rows: Vec<Row> = self
            .store
            .people()?
            .iter()
            .map(|p| {
                let convs = by_person.get(&p.id).map_or(&[][..], |v| v.as_slice());
                caseload::row(
                    p,
                    services.get(&p.service).map_or("?", |s| s),
                    convs,
                    self.today,
                )
            })
            .collect();
        rows.sort_by_cached_key(|r| r.name.to_lowercase());
        self.rows = rows;
        Ok(())
    }

    /// Refreshes one person's caseload row (after a save) without rescanning the store.
    pub fn reload_row(&mut self, id: &Id) -> anyhow::Result<()> {
        let Some(p) = self.store.person(id)? else {
            self.rows.retain(|r| r.id != *id);
            return Ok(());
        };
        let service = self
            .store
            .service(&p.service)?
            .map_or("?".to_string(), |s| s.name);
        let row = caseload::row(&p, &service, &self.store.conversations_of(id)?, self.today);
        let sorts_in = self.sorts_in_loaded(&row.name, &row.id);
        match self.rows.iter_mut().find(|r| r.id == *id) {
            Some(r) => *r = row,
            None if sorts_in => {
                self.rows.push(row);
                self.rows.sort_by_cached_key(|r| r.name.to_lowercase());
            }
            None => {}
        }
        Ok(())
    }

    pub fn screen(&self) -> &Screen {
        self.stack.last().unwrap_or(&Screen::Caseload)
    }

    fn screen_mut(&mut self) -> &mut Screen {
        if self.stack.is_empty() {
            self.stack.push(Screen::Caseload);
        }
        let n = self.stack.len() - 1;
        &mut self.stack[n]
    }

    pub fn visible_rows(&self) -> Vec<&Row> {
        self.rows
            .iter()
            .filter(|r| caseload::matches(r, &self.filter))
            .collect()
    }

    pub fn editor(&self) -> Option<&Editor> {
        match self.screen() {
            Screen::Editor(e) => Some(e),
            _ => None,
        }
    }

    fn editor_mut(&mut self) -> Option<&mut Editor> {
        match self.screen_mut() {
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
            Screen::Caseload => self.filtering,
            Screen::Editor(e) => e.typing(),
            Screen::AddPerson(a) => a.fields.get(a.focus).is_some_and(|f| f.1.is_text()),
            _ => false,
        }
    }

    fn person_view(&self, id: &Id) -> anyhow::Result<Option<PersonView>> {
        let Some(person) = self.store.person(id)? else {
            return Ok(None);
        };
        let service = self
            .store
            .service(&person.service)?
            .map_or("?".to_string(), |s| s.name);
        let cares_for = match person.cares_for {
            Some(c) => self.store.person(&c)?.map(|p| p.name),
            None => None,
        };
        let conversations = self.store.conversations_of(id)?;
        let selected = conversations.len().saturating_sub(1);
        Ok(Some(PersonView {
            person,
            service,
            cares_for,
            conversations,
            selected,
        }))
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
        if let Err(e) = self.try_update(a) {
            self.status = format!("{e}");
        }
        if self.stack.len() != depth && self.status == before {
            self.status.clear();
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

    fn try_update(&mut self, a: Action) -> anyhow::Result<()> {
        if let Action::Resize(w, h) = a {
            self.size = (w, h);
            return Ok(());
        }
        if let Some(p) = self.prompt.clone() {
            return self.answer(p, a);
        }
        if self.help {
            // Any key closes help; it changes nothing else.
            self.help = false;
            return Ok(());
        }
        if a == Action::Help {
            self.help = true;
            return Ok(());
        }
        match self.screen().clone_kind() {
            Kind::Caseload => self.caseload(a),
            Kind::Person => self.person(a),
            Kind::View => self.view(a),
            Kind::Editor => self.edit(a),
            Kind::AddPerson => self.add_person(a),
            Kind::Dashboard => self.dashboard(a),
        }
    }

    fn answer(&mut self, p: Prompt, a: Action) -> anyhow::Result<()> {
        let key = match a {
            Action::Answer(c) => Some(c),
            Action::Back => Some('\x1b'),
            Action::Enter => Some('\n'),
            Action::Save => Some('s'),
            _ => None,
        };
        let Some(key) = key else { return Ok(()) };
        // Letter answers are either case; a typed reason keeps its case.
        let lower = key.to_ascii_lowercase();
        match p {
            Prompt::Withdraw { id, mut reason } => match key {
                '\x1b' => {
                    self.prompt = None;
                    self.status = "Not withdrawn.".into();
                }
                '\n' if reason.trim().is_empty() => {
                    self.status = "A reason is required: type why, then Enter.".into();
                }
                '\n' => {
                    self.prompt = None;
                    self.store.withdraw_conversation(&id, reason.trim(), None)?;
                    self.refresh_person()?;
                    self.reload_row_of_person()?;
                    self.status =
                        "Withdrawn: it counts nowhere now, and its history is kept.".into();
                }
                '\x08' => {
                    reason.pop();
                    self.prompt = Some(Prompt::Withdraw { id, reason });
                }
                c if !c.is_control() => {
                    reason.push(c);
                    self.prompt = Some(Prompt::Withdraw { id, reason });
                }
                _ => {}
            },
            Prompt::LeaveEditor | Prompt::Quit => match lower {
                's' => {
                    self.prompt = None;
                    if self.save()? {
                        self.leave_editor(p == Prompt::Quit)?;
                    }
                }
                'd' => {
                    self.prompt = None;
                    self.store.remove_draft(DRAFT_KEY)?;
                    self.draft_pending = false;
                    self.leave_editor(p == Prompt::Quit)?;
                    self.status = "Not saved: the words were discarded.".into();
                }
                '\x1b' | 'n' => self.prompt = None,
                _ => {}
            },
            Prompt::Recover(d) => match lower {
                '\n' | 'y' | 'c' => {
                    self.prompt = None;
                    self.resume(&d)?;
                }
                'd' => {
                    self.prompt = None;
                    self.store.remove_draft(DRAFT_KEY)?;
                    self.status = "The draft was discarded.".into();
                }
                _ => {}
            },
        }
        Ok(())
    }

    fn resume(&mut self, d: &Draft) -> anyhow::Result<()> {
        let Some(view) = self.person_view(&d.person)? else {
            self.status =
                "The draft's person is no longer in the store; the draft was kept.".into();
            return Ok(());
        };
        let Some(mut ed) = Editor::new(
            d.stage,
            &view.person,
            &view.conversations,
            &self.forms,
            self.today,
            &self.practitioner,
        ) else {
            return Ok(());
        };
        ed.restore(d);
        self.stack.truncate(1);
        self.stack.push(Screen::Person(view));
        self.stack.push(Screen::Editor(Box::new(ed)));
        self.status = "Draft restored. Ctrl-S saves it.".into();
        Ok(())
    }

    fn leave_editor(&mut self, then_quit: bool) -> anyhow::Result<()> {
        if matches!(self.screen(), Screen::Editor(_)) {
            self.stack.pop();
        }
        self.refresh_person()?;
        if then_quit {
            self.quit = true;
        }
        Ok(())
    }

    /// Refreshes the caseload row of the person on screen.
    fn reload_row_of_person(&mut self) -> anyhow::Result<()> {
        if let Screen::Person(v) = self.screen() {
            let id = v.person.id;
            self.reload_row(&id)?;
        }
        Ok(())
    }

    /// Writes the person's own copy of their plan and says where it went.
    fn plan_copy(&mut self, person: &crate::domain::Person) -> anyhow::Result<()> {
        let Some(dir) = self.copy_dir.clone().or_else(crate::plan_file::default_dir) else {
            self.status = "No documents or home folder was found to write the copy to.".into();
            return Ok(());
        };
        self.status =
            match crate::plan_file::write_copy(&self.store, &self.forms, person, &dir, self.today)?
            {
                Some(path) => format!("The person's copy of their plan: {}", path.display()),
                None => "No support plan yet: record a plan first.".into(),
            };
        Ok(())
    }

    fn refresh_person(&mut self) -> anyhow::Result<()> {
        let id = match self.screen() {
            Screen::Person(v) => Some(v.person.id),
            _ => None,
        };
        if let Some(id) = id
            && let Some(v) = self.person_view(&id)?
        {
            *self.screen_mut() = Screen::Person(v);
        }
        Ok(())
    }

    fn caseload(&mut self, a: Action) -> anyhow::Result<()> {
        self.load_rows_for(&a)?;
        let n = self.visible_rows().len();
        let page = self.size.1.saturating_sub(6).max(1) as usize;
        if self.filtering {
            match a {
                Action::Type(i) => {
                    use ratatui_textarea::Key;
                    match i.key {
                        Key::Char(c) if !i.ctrl && !i.alt => self.filter.push(c),
                        Key::Backspace => {
                            self.filter.pop();
                        }
                        _ => {}
                    }
                    self.selected = 0;
                }
                Action::Paste(t) => {
                    self.filter.extend(t.chars().filter(|c| !c.is_control()));
                    self.selected = 0;
                }
                Action::Enter => self.filtering = false,
                Action::Back => {
                    self.filtering = false;
                    self.filter.clear();
                    self.selected = 0;
                }
                Action::Up | Action::Down => {
                    self.filtering = false;
                    return self.caseload(a);
                }
                _ => {}
            }
            return Ok(());
        }
        match a {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(n.saturating_sub(1)),
            Action::PageUp => self.selected = self.selected.saturating_sub(page),
            Action::PageDown => self.selected = (self.selected + page).min(n.saturating_sub(1)),
            Action::Top => self.selected = 0,
            Action::Bottom => self.selected = n.saturating_sub(1),
            Action::Filter => self.filtering = true,
            Action::Back if !self.filter.is_empty() => {
                self.filter.clear();
                self.selected = 0;
            }
            Action::Enter => {
                let id = self.visible_rows().get(self.selected).map(|r| r.id);
                if let Some(id) = id
                    && let Some(v) = self.person_view(&id)?
                {
                    self.stack.push(Screen::Person(v));
                }
            }
            Action::AddPerson => self.open_add_person()?,
            Action::Dashboard => {
                let mut data = super::dashboard::Data::load(&self.store)?;
                let d = super::dashboard::Dashboard::new(&mut data, &self.forms, self.today);
                self.dash_data = Some(data);
                self.stack.push(Screen::Dashboard(Box::new(d)));
            }
            Action::Quit | Action::Back => self.quit = true,
            _ => {}
        }
        Ok(())
    }

    fn person(&mut self, a: Action) -> anyhow::Result<()> {
        let Screen::Person(v) = self.screen_mut() else {
            return Ok(());
        };
        let n = v.conversations.len();
        match a {
            Action::Up => v.selected = v.selected.saturating_sub(1),
            Action::Down => v.selected = (v.selected + 1).min(n.saturating_sub(1)),
            Action::Top => v.selected = 0,
            Action::Bottom => v.selected = n.saturating_sub(1),
            Action::Enter if n > 0 => {
                let view = Screen::View {
                    person: v.clone(),
                    conversation: v.selected.min(n - 1),
                    scroll: 0,
                    history: None,
                };
                self.stack.push(view);
            }
            Action::Start(stage) => {
                let v = v.clone();
                self.start(stage, &v);
            }
            Action::PlanCopy => {
                let person = v.person.clone();
                self.plan_copy(&person)?;
            }
            Action::Withdraw => match v.conversations.get(v.selected) {
                Some(c) if !c.counts() => {
                    self.status = "This conversation is already withdrawn.".into();
                }
                Some(c) => {
                    self.prompt = Some(Prompt::Withdraw {
                        id: c.id,
                        reason: String::new(),
                    });
                }
                None => self.status = "There is no conversation to withdraw.".into(),
            },
            Action::Back => {
                let id = v.person.id;
                self.stack.pop();
                self.reload_row(&id)?;
            }
            Action::Quit => self.quit = true,
            _ => {}
        }
        Ok(())
    }

    fn start(&mut self, stage: Stage, v: &PersonView) {
        if stage == Stage::Review && !v.conversations.iter().any(|c| c.stage() == Stage::Planning) {
            self.status =
                "No plan yet: the review will rate only the experience of support.".into();
        } else {
            self.status.clear();
        }
        match Editor::new(
            stage,
            &v.person,
            &v.conversations,
            &self.forms,
            self.today,
            &self.practitioner,
        ) {
            Some(e) => self.stack.push(Screen::Editor(Box::new(e))),
            None => self.status = format!("The forms have no framework for {}s.", v.person.kind),
        }
    }

    fn view(&mut self, a: Action) -> anyhow::Result<()> {
        let store = &self.store;
        let Some(Screen::View {
            person,
            conversation,
            scroll,
            history,
        }) = self.stack.last_mut()
        else {
            return Ok(());
        };
        let n = person.conversations.len();
        if matches!(a, Action::Left | Action::Right) {
            *history = None;
        }
        match a {
            Action::Up => *scroll = scroll.saturating_sub(1),
            Action::Down => *scroll = scroll.saturating_add(1),
            Action::PageUp => *scroll = scroll.saturating_sub(10),
            Action::PageDown => *scroll = scroll.saturating_add(10),
            Action::Left if *conversation > 0 => {
                *conversation -= 1;
                *scroll = 0;
            }
            Action::Right if *conversation + 1 < n => {
                *conversation += 1;
                *scroll = 0;
            }
            Action::History => {
                *scroll = 0;
                *history = match history {
                    Some(_) => None,
                    None => match person.conversations.get(*conversation) {
                        Some(c) => Some(store.history_of(&c.id)?),
                        None => None,
                    },
                };
            }
            Action::Back | Action::Enter => {
                self.stack.pop();
            }
            Action::Quit => self.quit = true,
            _ => {}
        }
        Ok(())
    }

    fn edit(&mut self, a: Action) -> anyhow::Result<()> {
        let Some(ed) = self.editor_mut() else {
            return Ok(());
        };
        let mut changed = false;
        let mut after: Option<Prompt> = None;
        let mut pop = false;
        let mut quit = false;
        match a {
            Action::Save => {
                if self.save()? {
                    self.leave_editor(false)?;
                }
                return Ok(());
            }
            Action::NextOutcome => ed.next_outcome(1),
            Action::PrevOutcome => ed.next_outcome(-1),
            Action::PageDown => ed.context_scroll = ed.context_scroll.saturating_add(5),
            Action::PageUp => ed.context_scroll = ed.context_scroll.saturating_sub(5),
            Action::Type(i) => {
                if let Some(input) = ed.focused_input_mut() {
                    match input {
                        Input::Text(t) => changed = t.input(i),
                        Input::Line(t) => {
                            use ratatui_textarea::Key;
                            // One line only: Enter moves on rather than breaking it.
                            if i.key == Key::Enter {
                                ed.next_field();
                            } else {
                                changed = t.input(i);
                            }
                        }
                        _ => {}
                    }
                }
            }
            Action::Paste(text) => {
                if let Some(input) = ed.focused_input_mut() {
                    match input {
                        Input::Text(t) => changed = t.insert_str(super::field::pasted_text(&text)),
                        // One line: a pasted line break becomes a space.
                        Input::Line(t) => changed = t.insert_str(super::field::pasted_line(&text)),
                        _ => {}
                    }
                }
            }
            Action::Up if ed.focus == Focus::List => ed.move_selection(-1),
            Action::Down if ed.focus == Focus::List => ed.move_selection(1),
            Action::Top if ed.focus == Focus::List => ed.move_selection(-10_000),
            Action::Bottom if ed.focus == Focus::List => ed.move_selection(10_000),
            Action::Up | Action::PrevField => ed.prev_field(),
            Action::Down | Action::NextField | Action::Enter => {
                if a == Action::Enter
                    && let Some(i) = ed.focused_input_mut()
                    && !i.is_text()
                {
                    changed = i.toggle();
                } else {
                    ed.next_field();
                }
            }
            Action::Left | Action::Right => {
                if let Some(i) = ed.focused_input_mut() {
                    changed = i.step(a == Action::Right);
                }
            }
            Action::Toggle => {
                if let Some(i) = ed.focused_input_mut() {
                    changed = i.toggle();
                }
            }
            Action::Back => {
                if ed.focus != Focus::List {
                    ed.focus = Focus::List;
                } else if ed.dirty {
                    after = Some(Prompt::LeaveEditor);
                } else {
                    pop = true;
                }
            }
            Action::Quit => {
                if ed.dirty {
                    after = Some(Prompt::Quit);
                } else {
                    quit = true;
                }
            }
            _ => {}
        }
        if changed {
            ed.dirty = true;
            self.draft_pending = true;
            self.status.clear();
        }
        if after.is_some() {
            self.prompt = after;
        }
        if pop {
            self.stack.pop();
            self.refresh_person()?;
        }
        if quit {
            self.quit = true;
        }
        Ok(())
    }

    /// Ctrl-S: checks the conversation and saves it. `Saved` is shown only after the
    /// store has flushed it to disk.
    pub fn save(&mut self) -> anyhow::Result<bool> {
        let Some(ed) = self.editor() else {
            return Ok(false);
        };
        let conv = match ed.build(&self.forms) {
            Ok(c) => c,
            Err((row, field, msg)) => {
                self.focus_on(row, field_index(self.editor(), row, field));
                self.status = format!("Not saved. {msg}");
                return Ok(false);
            }
        };
        let history: Vec<Conversation> = self
            .store
            .conversations_of(&ed.person.id)?
            .into_iter()
            .filter(|c| c.id != conv.id)
            .collect();
        let earlier: Vec<&Conversation> = history.iter().collect();
        let problems = validate_conversation(&conv, &ed.person, &self.forms, &earlier, self.today);
        if let Some(p) = problems.first() {
            let at = ed.locate(&conv, &p.field);
            let msg = match p.field.as_str() {
                "outcomes" => "nothing is recorded yet: write in at least one outcome".to_string(),
                _ => p.message.clone(),
            };
            if let Some((row, i)) = at {
                self.focus_on(row, Some(i));
            }
            self.status = format!("Not saved: {msg}.");
            return Ok(false);
        }
        let mut conv = conv;
        if let Some(old) = self.store.conversation(&conv.id)? {
            conv.revision = old.revision + 1;
        }
        self.store.save_conversations(std::slice::from_ref(&conv))?;
        self.store.remove_draft(DRAFT_KEY)?;
        self.draft_pending = false;
        if let Some(ed) = self.editor_mut() {
            ed.dirty = false;
        }
        if conv.practitioner != self.practitioner && !conv.practitioner.is_empty() {
            self.store
                .save_draft(PRACTITIONER_KEY, &conv.practitioner)?;
            self.practitioner = conv.practitioner.clone();
        }
        self.status = saved_message(&conv);
        let id = conv.person;
        self.reload_row(&id)?;
        Ok(true)
    }

    fn focus_on(&mut self, row: usize, field: Option<usize>) {
        if let Some(ed) = self.editor_mut() {
            ed.selected = row.min(ed.entries.len().saturating_sub(1));
            ed.focus = field.map_or(Focus::List, Focus::Field);
        }
    }

    /// Writes the editor's words as a draft, if they changed since the last one.
    pub fn write_draft(&mut self) -> anyhow::Result<()> {
        if !self.draft_pending {
            return Ok(());
        }
        if let Some(ed) = self.editor()
            && ed.dirty
        {
            let d = ed.draft(chrono::Local::now().format("%Y-%m-%d %H:%M").to_string());
            self.store.save_draft(DRAFT_KEY, &d)?;
        }
        self.draft_pending = false;
        Ok(())
    }

    fn open_add_person(&mut self) -> anyhow::Result<()> {
        self.load_rows(None)?;
        let services = self.store.services()?;
        if services.is_empty() {
            self.status =
                "There are no services yet: add one with `talking-points org add`.".into();
            return Ok(());
        }
        let service_opts: Vec<(String, String)> = services
            .iter()
            .map(|s| (s.id.to_string(), s.name.clone()))
            .collect();
        let mut adults: Vec<&Row> = self
            .rows
            .iter()
            .filter(|r| r.kind == PersonKind::Adult)
            .collect();
        adults.sort_by(|a, b| a.name.cmp(&b.name));
        let mut cares = vec![("".to_string(), "nobody named".to_string())];
        cares.extend(adults.iter().map(|r| (r.id.to_string(), r.name.clone())));
        let first = service_opts.first().map(|s| s.0.clone());
        let a = AddPerson {
            fields: vec![
                ("Name".into(), Input::line("")),
                (
                    "Kind".into(),
                    Input::choice(
                        vec![
                            ("adult".into(), "adult".into()),
                            ("carer".into(), "carer".into()),
                        ],
                        Some("adult"),
                    ),
                ),
                (
                    "Service".into(),
                    Input::choice(service_opts, first.as_deref()),
                ),
                ("Date of birth (YYYY-MM-DD)".into(), Input::line("")),
                ("Cares for (carers)".into(), Input::choice(cares, Some(""))),
            ],
            focus: 0,
            service_ids: services.iter().map(|s| s.id).collect(),
            adult_ids: adults.iter().map(|r| Some(r.id)).collect(),
        };
        self.stack.push(Screen::AddPerson(a));
        Ok(())
    }

    fn add_person(&mut self, a: Action) -> anyhow::Result<()> {
        let Screen::AddPerson(form) = self.screen_mut() else {
            return Ok(());
        };
        let n = form.fields.len();
        match a {
            Action::Type(i) => {
                use ratatui_textarea::Key;
                if let Some((_, Input::Line(t))) = form.fields.get_mut(form.focus) {
                    if i.key == Key::Enter {
                        form.focus = (form.focus + 1).min(n - 1);
                    } else {
                        t.input(i);
                    }
                }
            }
            Action::Paste(text) => {
                if let Some((_, Input::Line(t))) = form.fields.get_mut(form.focus) {
                    t.insert_str(super::field::pasted_line(&text));
                }
            }
            Action::NextField | Action::Down => form.focus = (form.focus + 1) % n,
            Action::PrevField | Action::Up => form.focus = (form.focus + n - 1) % n,
            Action::Left | Action::Right | Action::Toggle => {
                if let Some((_, i)) = form.fields.get_mut(form.focus) {
                    i.step(a != Action::Left);
                }
            }
            Action::Enter => {
                if form.focus + 1 < n {
                    form.focus += 1;
                } else {
                    return self.save_person();
                }
            }
            Action::Save => return self.save_person(),
            Action::Back => {
                self.stack.pop();
            }
            _ => {}
        }
        Ok(())
    }

    fn dashboard(&mut self, a: Action) -> anyhow::Result<()> {
        use super::dashboard::Part;
        let (forms, today) = (&self.forms, self.today);
        let Some(data) = self.dash_data.as_mut() else {
            self.stack.pop();
            return Ok(());
        };
        let n = self.stack.len();
        let Some(Screen::Dashboard(d)) = self.stack.get_mut(n.wrapping_sub(1)) else {
            return Ok(());
        };
        let rows = d.report.as_ref().map_or(0, |r| r.rows.len());
        if d.stories.is_some() {
            match a {
                Action::Up => d.story_scroll = d.story_scroll.saturating_sub(1),
                Action::Down => d.story_scroll = d.story_scroll.saturating_add(1),
                Action::PageUp => d.story_scroll = d.story_scroll.saturating_sub(10),
                Action::PageDown => d.story_scroll = d.story_scroll.saturating_add(10),
                Action::Back | Action::Enter => d.stories = None,
                _ => {}
            }
            return Ok(());
        }
        match a {
            Action::NextField => d.next_part(true),
            Action::PrevField => d.next_part(false),
            Action::Left | Action::Right if d.part != Part::Outcomes => {
                d.step(a == Action::Right, data, forms, today)
            }
            Action::Up => {
                d.part = Part::Outcomes;
                d.selected = d.selected.saturating_sub(1);
            }
            Action::Down => {
                d.part = Part::Outcomes;
                d.selected = (d.selected + 1).min(rows.saturating_sub(1));
            }
            Action::PageUp => d.selected = d.selected.saturating_sub(10),
            Action::PageDown => d.selected = (d.selected + 10).min(rows.saturating_sub(1)),
            Action::Enter if d.part == Part::Outcomes => d.open_stories(data, forms),
            Action::Enter => d.part = Part::Outcomes,
            Action::Back => {
                self.stack.pop();
                self.dash_data = None;
            }
            Action::Quit => self.quit = true,
            _ => {}
        }
        Ok(())
    }

    fn save_person(&mut self) -> anyhow::Result<()> {
        let Screen::AddPerson(form) = self.screen() else {
            return Ok(());
        };
        let get = |i: usize| form.fields.get(i).map(|f| &f.1);
        let name = get(0).map(|i| i.string()).unwrap_or_default();
        let kind = if get(1).and_then(|i| i.chosen()).as_deref() == Some("carer") {
            PersonKind::Carer
        } else {
            PersonKind::Adult
        };
        let service = get(2)
            .and_then(|i| i.chosen())
            .and_then(|s| s.parse::<Id>().ok());
        let dob_text = get(3).map(|i| i.string()).unwrap_or_default();
        let cares_for = get(4)
            .and_then(|i| i.chosen())
            .and_then(|s| s.parse::<Id>().ok());
        let dob = match dob_text.trim() {
            "" => None,
            s => match crate::domain::dates::parse_date(s) {
                Ok(d) => Some(d),
                Err(m) => {
                    self.status = format!("Not added: date of birth {m}.");
                    if let Screen::AddPerson(f) = self.screen_mut() {
                        f.focus = 3;
                    }
                    return Ok(());
                }
            },
        };
        let Some(service) = service else {
            self.status = "Not added: choose a service.".into();
            return Ok(());
        };
        let p = Person {
            id: Id::new(),
            name: name.trim().to_string(),
            kind,
            service,
            dob,
            cares_for: if kind == PersonKind::Carer {
                cares_for
            } else {
                None
            },
        };
        let known: Vec<(Id, PersonKind)> = self.rows.iter().map(|r| (r.id, r.kind)).collect();
        let problems = validate_person(&p, self.today, |id| {
            known.iter().find(|k| k.0 == *id).map(|k| k.1)
        });
        if let Some(pr) = problems.first() {
            self.status = format!("Not added: {}.", pr.message);
            return Ok(());
        }
        self.store.add_person(&p)?;
        self.stack.pop();
        self.reload_row(&p.id)?;
        self.filter.clear();
        self.selected = self.rows.iter().position(|r| r.id == p.id).unwrap_or(0);
        self.status = format!("Added {}.", p.name);
        Ok(())
    }
}

/// What the footer says after a save, in words that agree with the numbers.
fn saved_message(c: &Conversation) -> String {
    let n = c.outcome_ids().len();
    let what = match c.stage() {
        Stage::Assessment => "assessment",
        Stage::Planning => "support plan",
        Stage::Review => "review",
    };
    let outcomes = if n == 1 {
        "1 outcome".to_string()
    } else {
        format!("{n} outcomes")
    };
    let mut m = format!("Saved: the {what}, {outcomes}.");
    if c.stage() == Stage::Planning && c.review_by().is_none() {
        m.push_str(" No review date was set.");
    }
    m
}

fn field_index(ed: Option<&Editor>, row: usize, k: super::editor::FieldKind) -> Option<usize> {
    ed?.entries
        .get(row)?
        .fields
        .iter()
        .position(|f| f.kind == k)
}

/// The screen's kind, to dispatch on without holding a borrow.
enum Kind {
    Caseload,
    Person,
    View,
    Editor,
    AddPerson,
    Dashboard,
}

impl Screen {
    fn clone_kind(&self) -> Kind {
        match self {
            Screen::Caseload => Kind::Caseload,
            Screen::Person(_) => Kind::Person,
            Screen::View { .. } => Kind::View,
            Screen::Editor(_) => Kind::Editor,
            Screen::AddPerson(_) => Kind::AddPerson,
            Screen::Dashboard(_) => Kind::Dashboard,
        }
    }
}
