//! The one place effects are performed, and so the one place the interface reads or
//! writes the store. Screens say what they need ([`Effect`]); the runner does it and
//! feeds back what a screen must know (a refused save, a loaded screen). The event loop
//! and the tests both go through it.

use super::app::{App, Prompt, Screen};
use super::caseload::{self, Row};
use super::dashboard::{Dashboard, Data};
use super::editor::{Draft, Editor};
use super::effect::{AfterSave, Effect};
use super::screens::add_person::AddPerson;
use super::screens::editor::saved_message;
use super::screens::person::PersonView;
use crate::domain::validate::left_unreviewed;
use crate::domain::{Conversation, Id, Person};
use crate::store::Store;
use chrono::NaiveDate;
use std::collections::{HashMap, VecDeque};

/// Where the editor's unsaved words are kept between sessions.
const DRAFT_KEY: &str = "editor";
/// The practitioner last named in this store, offered in the next conversation.
const PRACTITIONER_KEY: &str = "practitioner";

/// Performs effects in order; an effect's own follow-ups run before the next one. The
/// first store error stops the rest and is returned (the footer shows it).
pub fn perform(app: &mut App, effects: Vec<Effect>) -> anyhow::Result<()> {
    let mut queue: VecDeque<Effect> = effects.into();
    while let Some(e) = queue.pop_front() {
        for next in perform_one(app, e)?.into_iter().rev() {
            queue.push_front(next);
        }
    }
    Ok(())
}

/// What the interface reads when it opens: the practitioner remembered in this store,
/// the caseload, and a draft left by an earlier session (offered as a question).
pub fn open(app: &mut App) -> anyhow::Result<()> {
    if let Some(name) = app.store.load_draft::<String>(PRACTITIONER_KEY)?
        && !name.trim().is_empty()
    {
        app.practitioner = name;
    }
    perform(app, vec![Effect::LoadCaseload])?;
    if app.store.services()?.is_empty() {
        // A newcomer sets up the first service here rather than quitting for `org add`.
        perform(app, vec![Effect::OpenAddPerson])?;
    }
    if let Some(d) = app.store.load_draft::<Draft>(DRAFT_KEY)? {
        app.prompt = Some(Prompt::Recover(Box::new(d)));
    }
    Ok(())
}

fn perform_one(app: &mut App, e: Effect) -> anyhow::Result<Vec<Effect>> {
    match e {
        Effect::Status(s) => app.status = s,
        Effect::Ask(p) => app.prompt = Some(p),
        Effect::Open(s) => app.stack.push(s),
        Effect::Leave => {
            // The caseload is never left: Esc there quits instead.
            if app.stack.len() > 1 {
                app.stack.pop();
            }
        }
        Effect::Quit => app.quit = true,
        Effect::DraftChanged => app.draft_pending = true,
        Effect::LoadCaseload => {
            use super::caseload_load::{PAGE, first_page};
            app.caseload.more = None;
            match first_page(&app.store, app.today, PAGE)? {
                Some((rows, more)) => {
                    app.caseload.rows = rows;
                    app.caseload.more = more;
                }
                None => app.caseload.rows = load_caseload(&app.store, app.today)?,
            }
        }
        Effect::ReloadRow(id) => reload_row(app, &id)?,
        Effect::OpenPerson(id) => {
            if let Some(v) = person_view(&app.store, &id)? {
                app.stack.push(Screen::Person(v));
            }
        }
        Effect::RefreshPerson => refresh_person(app)?,
        Effect::LoadDashboard => {
            let data = load_dashboard(&app.store)?;
            let d = Dashboard::new(data, &app.forms, app.today);
            app.stack.push(Screen::Dashboard(Box::new(d)));
        }
        Effect::OpenAddPerson => {
            super::caseload_load::load_rows(&app.store, &mut app.caseload, app.today, None)?;
            let services = app.store.services()?;
            if services.is_empty() {
                // With no service a person cannot be added: the first service comes first.
                app.stack
                    .push(Screen::AddService(super::service_form::ServiceForm::new()));
            } else {
                let form = AddPerson::new(&services, &app.caseload.rows);
                app.stack.push(Screen::AddPerson(form));
            }
        }
        Effect::SaveEditor(after) => {
            let (ctx, stack, _) = app.parts();
            if let Some(Screen::Editor(ed)) = stack.last_mut() {
                return Ok(ed.save(&ctx, after));
            }
        }
        Effect::SaveConversation(conv, after) => {
            return save_conversation(app, *conv, after, false);
        }
        Effect::SavePartialReview(conv, after) => {
            return save_conversation(app, *conv, after, true);
        }
        Effect::Withdraw { id, reason } => {
            app.store.withdraw_conversation(&id, &reason, None)?;
            refresh_person(app)?;
            if let Some(Screen::Person(v)) = app.stack.last() {
                let id = v.person.id;
                reload_row(app, &id)?;
            }
            app.status = "Withdrawn: it counts nowhere now, and its history is kept.".into();
        }
        Effect::AddService {
            partnership,
            organisation,
            service,
        } => match app
            .store
            .add_new_service(&partnership, &organisation, &service)?
        {
            Ok(svc) => {
                if matches!(app.stack.last(), Some(Screen::AddService(_))) {
                    app.stack.pop();
                }
                return Ok(vec![
                    Effect::OpenAddPerson,
                    Effect::Status(format!(
                        "Added the service {}. Now add the first person.",
                        svc.name
                    )),
                ]);
            }
            Err(m) => {
                if let Some(Screen::AddService(form)) = app.stack.last_mut() {
                    form.focus_first_blank();
                }
                app.status = format!("Not added: {m}.");
            }
        },
        Effect::SearchCaredFor(query) => {
            let results = search_cared_for(&app.store, &query)?;
            if let Some(Screen::AddPerson(form)) = app.stack.last_mut() {
                form.picker.set_results(results);
            }
        }
        Effect::AddPerson(p) => {
            app.store.add_person(&p)?;
            app.stack.pop();
            reload_row(app, &p.id)?;
            app.caseload.select(&p.id);
            app.status = format!("Added {}.", p.name);
        }
        Effect::WriteDraft => write_draft(app)?,
        Effect::RemoveDraft => {
            app.store.remove_draft(DRAFT_KEY)?;
            app.draft_pending = false;
        }
        Effect::ResumeDraft(d) => resume(app, &d)?,
        Effect::WritePlanCopy(person) => plan_copy(app, &person)?,
        Effect::LoadRevisions(id) => {
            let revisions = app.store.history_of(&id)?;
            if let Some(Screen::View { history, .. }) = app.stack.last_mut() {
                *history = Some(revisions);
            }
        }
    }
    Ok(Vec::new())
}

/// The whole caseload, read from the store, in name order.
pub fn load_caseload(store: &Store, today: NaiveDate) -> anyhow::Result<Vec<Row>> {
    let services: HashMap<Id, String> = store
        .services()?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let mut by_person: HashMap<Id, Vec<Conversation>> = HashMap::new();
    for c in store.conversations()? {
        by_person.entry(c.person).or_default().push(c);
    }
    let mut rows: Vec<Row> = store
        .people()?
        .iter()
        .map(|p| {
            let convs = by_person.get(&p.id).map_or(&[][..], |v| v.as_slice());
            caseload::row(p, services.get(&p.service).map_or("?", |s| s), convs, today)
        })
        .collect();
    rows.sort_by_cached_key(|r| r.name.to_lowercase());
    Ok(rows)
}

/// What the dashboard reads to open: a little (services, the span of dates, read-only
/// scoped reads); each period's totals are read when it is first shown.
pub fn load_dashboard(store: &Store) -> anyhow::Result<Data> {
    Ok(Data::load(store)?)
}

/// Before the caseload handles an action: reads the lines it will show.
pub fn prefetch(app: &mut App, a: &super::app::Action) -> anyhow::Result<()> {
    if matches!(app.stack.last(), None | Some(Screen::Caseload)) && app.prompt.is_none() {
        let rows = app.size.1;
        super::caseload_load::load_rows_for(&app.store, &mut app.caseload, app.today, rows, a)?;
    }
    Ok(())
}

/// Refreshes one person's caseload row (after a save) without rescanning the store.
pub fn reload_row(app: &mut App, id: &Id) -> anyhow::Result<()> {
    let Some(p) = app.store.person(id)? else {
        app.caseload.rows.retain(|r| r.id != *id);
        return Ok(());
    };
    let service = app
        .store
        .service(&p.service)?
        .map_or("?".to_string(), |s| s.name);
    let convs = app.store.conversations_of(id)?;
    app.caseload
        .put_row(caseload::row(&p, &service, &convs, app.today));
    Ok(())
}

/// The adults whose name holds `query` (only an adult can be cared for), each with
/// their service's name to tell people of the same name apart.
fn search_cared_for(store: &Store, query: &str) -> anyhow::Result<Vec<super::picker::Choice>> {
    let services: std::collections::HashMap<Id, String> = store
        .services()?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    Ok(store
        .search_people(query)?
        .into_iter()
        .filter(|p| p.kind == crate::domain::PersonKind::Adult)
        .map(|p| super::picker::Choice {
            detail: services.get(&p.service).cloned().unwrap_or_default(),
            id: p.id,
            name: p.name,
        })
        .collect())
}

/// A person's screen as the store has them now.
fn person_view(store: &Store, id: &Id) -> anyhow::Result<Option<PersonView>> {
    let Some(person) = store.person(id)? else {
        return Ok(None);
    };
    let service = store
        .service(&person.service)?
        .map_or("?".to_string(), |s| s.name);
    let cares_for = match person.cares_for {
        Some(c) => store.person(&c)?.map(|p| p.name),
        None => None,
    };
    let carers = store.carers_of(id)?.into_iter().map(|p| p.name).collect();
    let conversations = store.conversations_of(id)?;
    Ok(Some(PersonView::new(
        person,
        service,
        cares_for,
        carers,
        conversations,
    )))
}

/// Reads again every person's screen and conversation view that is open (an edit may
/// be saved from the view, over the person's screen). A person's screen keeps the
/// conversation selected when there are as many as before (an edit, a withdrawal), and
/// selects the latest when one was added.
fn refresh_person(app: &mut App) -> anyhow::Result<()> {
    // Each person is read once, however many of their screens are open.
    let mut read: HashMap<Id, Option<PersonView>> = HashMap::new();
    for i in 0..app.stack.len() {
        let id = match &app.stack[i] {
            Screen::Person(v) | Screen::View { person: v, .. } => v.person.id,
            _ => continue,
        };
        let fresh = match read.get(&id) {
            Some(v) => v.clone(),
            None => {
                let v = person_view(&app.store, &id)?;
                read.insert(id, v.clone());
                v
            }
        };
        let Some(mut fresh) = fresh else {
            continue;
        };
        match &mut app.stack[i] {
            Screen::Person(v) => {
                let was = v.conversations.get(v.selected).map(|c| c.id);
                if fresh.conversations.len() == v.conversations.len()
                    && let Some(at) = fresh.conversations.iter().position(|c| Some(c.id) == was)
                {
                    fresh.selected = at;
                }
                *v = fresh;
            }
            Screen::View {
                person,
                conversation,
                history,
                ..
            } => {
                let was = person.conversations.get(*conversation).map(|c| c.id);
                if let Some(at) = fresh.conversations.iter().position(|c| Some(c.id) == was) {
                    *conversation = at;
                }
                *history = None;
                *person = fresh;
            }
            _ => {}
        }
    }
    Ok(())
}

/// Checks a conversation by the rule `record` uses ([`crate::record::to_keep`]: a
/// conversation already kept is corrected as its next revision) and saves it with the
/// store call `record` makes. `Saved` is shown only after the store has flushed it to
/// disk; a refusal puts the editor's focus on the problem.
fn save_conversation(
    app: &mut App,
    conv: Conversation,
    after: AfterSave,
    partial_ok: bool,
) -> anyhow::Result<Vec<Effect>> {
    let Some(Screen::Editor(ed)) = app.stack.last() else {
        return Ok(Vec::new());
    };
    let person: Person = ed.person.clone();
    let history: Vec<Conversation> = app
        .store
        .conversations_of(&person.id)?
        .into_iter()
        .filter(|c| c.id != conv.id)
        .collect();
    let earlier: Vec<&Conversation> = history.iter().collect();
    let kept = app.store.conversation(&conv.id)?;
    let checked = crate::record::to_keep(
        conv.clone(),
        kept.as_ref(),
        &person,
        &app.forms,
        &earlier,
        app.today,
    );
    let conv = match checked {
        Ok(c) => c,
        Err(p) => {
            return Ok(match app.stack.last_mut() {
                Some(Screen::Editor(ed)) => vec![ed.refused(&conv, &p)],
                _ => Vec::new(),
            });
        }
    };
    let left = left_unreviewed(&conv, &earlier);
    if left > 0 && !partial_ok {
        return Ok(vec![Effect::Ask(Prompt::PartialReview {
            conversation: Box::new(conv),
            after,
            left,
        })]);
    }
    app.store.save_conversations(std::slice::from_ref(&conv))?;
    app.store.remove_draft(DRAFT_KEY)?;
    app.draft_pending = false;
    let mut corrected = false;
    if let Some(Screen::Editor(ed)) = app.stack.last_mut() {
        ed.dirty = false;
        if let Some(x) = ed.editing.as_mut() {
            corrected = true;
            x.rebase(&conv, &ed.entries);
        }
    }
    // The practitioner offered next is whoever records here, not whoever held a
    // conversation that was corrected.
    if !corrected && conv.practitioner != app.practitioner && !conv.practitioner.is_empty() {
        app.store.save_draft(PRACTITIONER_KEY, &conv.practitioner)?;
        app.practitioner = conv.practitioner.clone();
    }
    app.status = saved_message(&conv, corrected);
    reload_row(app, &conv.person)?;
    Ok(after.effects())
}

/// Writes the editor's words as a draft, if they changed since the last one.
fn write_draft(app: &mut App) -> anyhow::Result<()> {
    if !app.draft_pending {
        return Ok(());
    }
    if let Some(ed) = app.editor()
        && ed.dirty
    {
        let d = ed.draft(chrono::Local::now().format("%Y-%m-%d %H:%M").to_string());
        app.store.save_draft(DRAFT_KEY, &d)?;
    }
    app.draft_pending = false;
    Ok(())
}

/// Opens a draft from an earlier session over its person's screen: a new
/// conversation's in a fresh editor, an edit's in an editor on the conversation it
/// changes, as the store has it now.
fn resume(app: &mut App, d: &Draft) -> anyhow::Result<()> {
    let Some(mut view) = person_view(&app.store, &d.person)? else {
        app.status = "The draft's person is no longer in the store; the draft was kept.".into();
        return Ok(());
    };
    let mut status = "Draft restored. Ctrl-S saves it.";
    let ed = match &d.editing {
        None => Editor::new(
            d.stage,
            &view.person,
            &view.conversations,
            &app.forms,
            app.today,
            &app.practitioner,
        ),
        Some(edited) => {
            let Some(i) = view
                .conversations
                .iter()
                .position(|c| c.id == d.conversation && c.counts())
            else {
                app.status = "The conversation the draft changes is no longer there to edit (withdrawn or erased); the draft was kept.".into();
                return Ok(());
            };
            if view.conversations[i].revision != edited.revision {
                status = "Draft restored, but the conversation was changed since: check it before Ctrl-S saves it.";
            }
            view.selected = i;
            let c = &view.conversations[i];
            Editor::edit(
                c,
                &view.person,
                &view.conversations[..i],
                &app.forms,
                app.today,
            )
        }
    };
    let Some(mut ed) = ed else {
        return Ok(());
    };
    ed.restore(d);
    app.stack.truncate(1);
    app.stack.push(Screen::Person(view));
    app.stack.push(Screen::Editor(Box::new(ed)));
    app.status = status.into();
    Ok(())
}

/// Writes the person's own copy of their plan and says where it went.
fn plan_copy(app: &mut App, person: &Person) -> anyhow::Result<()> {
    let Some(dir) = app.copy_dir.clone().or_else(crate::plan_file::default_dir) else {
        app.status = "No documents or home folder was found to write the copy to.".into();
        return Ok(());
    };
    app.status =
        match crate::plan_file::write_copy(&app.store, &app.forms, person, &dir, app.today)? {
            Some(path) => format!("The person's copy of their plan: {}", path.display()),
            None => "No support plan yet: record a plan first.".into(),
        };
    Ok(())
}
