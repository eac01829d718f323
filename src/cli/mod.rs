//! The scriptable surface. Each command opens what it needs, does one job and says so
//! in plain words; failures are one sentence on stderr with exit code 1 (2 for usage).

pub mod args;
pub mod conversation;
pub mod key;
pub mod privacy;
// Shared with the interface, so they live outside the command line.
pub use crate::{show, text};
pub mod trust;

use crate::domain::{Id, Person, PersonKind, Service, validate_person};
use crate::export_stream::{Format, StreamError};
use crate::forms::Forms;
use crate::store::Store;
use args::{Cli, Command, FormsCommand, KindArg, OrgCommand, PersonCommand};
use chrono::NaiveDate;
use serde_json::json;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// A failure to report: one sentence, and the exit code.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub code: i32,
}

impl Failure {
    pub fn new(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            code: 1,
        }
    }
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            code: 2,
        }
    }
}

impl From<crate::store::StoreError> for Failure {
    fn from(e: crate::store::StoreError) -> Self {
        Failure::new(e.to_string())
    }
}

impl From<crate::outfile::OutError> for Failure {
    fn from(e: crate::outfile::OutError) -> Self {
        Failure::new(e.to_string())
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            // The reader (`| head`) has what it wanted; that is not a failure.
            return Failure {
                message: String::new(),
                code: 0,
            };
        }
        Failure::new(format!("could not write the output: {e}"))
    }
}

type Out<'a> = &'a mut dyn Write;

/// Today, for the "not in the future" checks. `TALKING_POINTS_TODAY` fixes it for tests
/// and for replaying records entered on another day.
pub fn today() -> NaiveDate {
    std::env::var("TALKING_POINTS_TODAY")
        .ok()
        .and_then(|s| crate::record::parse_date(&s).ok())
        .unwrap_or_else(|| chrono::Local::now().date_naive())
}

pub fn default_store() -> Result<PathBuf, Failure> {
    directories::ProjectDirs::from("scot", "talking-points", "talking-points")
        .map(|d| d.data_dir().join("store"))
        .ok_or_else(|| {
            Failure::new("cannot find a home directory for the store; give one with --store DIR")
        })
}

pub fn load_forms(dir: Option<&Path>) -> Result<Forms, Failure> {
    let res = match dir {
        Some(d) => Forms::load_dir(d),
        None => Forms::embedded(),
    };
    res.map_err(|problems| {
        let first = problems.first().map(|p| p.to_string()).unwrap_or_default();
        Failure::new(format!(
            "the forms have {} problem(s), the first: {first}; run `talking-points forms check` to see them all",
            problems.len()
        ))
    })
}

fn store_path(cli: &Cli) -> Result<PathBuf, Failure> {
    match &cli.store {
        Some(p) => Ok(p.clone()),
        None => default_store(),
    }
}

static EXITS_AFTER_RUN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Said by the program's `main`, which ends the process as soon as [`run`] returns: the
/// store's database is then left open to the end instead of being closed, as closing
/// flushes and sled's closing flush can wait forever on a full disk. (Callers that run
/// many commands in one process, like the tests, keep the normal close.)
pub fn exit_after_run() {
    EXITS_AFTER_RUN.store(true, std::sync::atomic::Ordering::Relaxed);
}

fn store_options(cli: &Cli) -> crate::store::StoreOptions {
    crate::store::StoreOptions {
        allow_shared_permissions: cli.allow_shared_permissions,
        // An export reads each record once.
        reads_once: matches!(cli.command, Some(args::Command::Export(_))),
    }
}

pub(crate) fn open_store(cli: &Cli) -> Result<Store, Failure> {
    let store = Store::open_with(&store_path(cli)?, &store_options(cli))?;
    if EXITS_AFTER_RUN.load(std::sync::atomic::Ordering::Relaxed) {
        store.keep_until_exit();
    }
    keep_rollups(&store, false)?;
    Ok(store)
}

/// As [`open_store`], for a merge: a store that a merge into it when empty left
/// unfinished opens too, for the same merge to start it again.
fn open_merge_store(cli: &Cli) -> Result<Store, Failure> {
    let store = Store::open_for_merge(&store_path(cli)?, &store_options(cli))?;
    if EXITS_AFTER_RUN.load(std::sync::atomic::Ordering::Relaxed) {
        store.keep_until_exit();
    }
    if store.unfinished_import()?.is_none() {
        keep_rollups(&store, false)?;
    }
    Ok(store)
}

/// Brings the store's kept roll-up totals up to date (a store made by an earlier
/// version has none; records dated outside the kept years need more), saying why when
/// it is work a user would otherwise wait on without a word. After `seed` or `merge`
/// (`quiet`) the work is part of the command and goes unsaid.
fn keep_rollups(store: &Store, quiet: bool) -> Result<(), Failure> {
    if let Some(files) = store.unfinished_merge()? {
        eprintln!(
            "a merge of {} into this store was interrupted: what it wrote is whole, and `talking-points merge` of the same files again completes it",
            files.join(", ")
        );
    }
    use crate::store::kept::OutOfDate;
    let why = if quiet || store.holds_no_people() {
        None
    } else {
        store.kept_out_of_date(today())?
    };
    let said = match why {
        Some(OutOfDate::NotKept) => Some(
            "this store keeps no roll-up totals yet (it was made by an earlier version); working them out once from its records...",
        ),
        // The other reasons cost as much on a large store: a pause is said, not silent.
        Some(OutOfDate::Rules) => Some(
            "the forms or the counting rules changed since this store's roll-up totals were kept; working them out again once from its records...",
        ),
        Some(OutOfDate::Periods) => Some(
            "a financial year or quarter this store keeps no totals for yet has begun or been recorded in; adding its roll-up totals once...",
        ),
        Some(OutOfDate::Caseload) => Some(
            "this store's caseload index is of an earlier version; working it out again once from its records...",
        ),
        None => None,
    };
    if let Some(said) = said {
        eprintln!("{said}");
    }
    if let Some(r) = store.bring_kept_up_to_date(today())?
        && said.is_some()
    {
        eprintln!(
            "roll-up totals are now kept for {} people and {} conversations over {} financial years and quarters",
            r.people, r.conversations, r.periods
        );
    }
    Ok(())
}

fn parse_id(s: &str) -> Result<Id, Failure> {
    s.parse::<Id>().map_err(|_| {
        Failure::usage(format!(
            "`{}` is not a person id; ids look like 0190a0c2-8a1b-7c3d-9e4f-123456789abc",
            crate::domain::quote(s)
        ))
    })
}

pub fn run(cli: Cli, out: Out, err: &mut dyn Write) -> Result<(), Failure> {
    let Some(command) = &cli.command else {
        let forms = load_forms(cli.forms.as_deref())?;
        return interface(&cli, open_store(&cli)?, forms, false);
    };
    match command {
        Command::Forms(FormsCommand::List) => forms_list(&load_forms(cli.forms.as_deref())?, out),
        Command::Forms(FormsCommand::Check { dir }) => {
            forms_check(dir.as_deref().or(cli.forms.as_deref()), out, err)
        }
        Command::Org(OrgCommand::Add {
            partnership,
            organisation,
            service,
        }) => org_add(&open_store(&cli)?, partnership, organisation, service, out),
        Command::Org(OrgCommand::List { json }) => org_list(&open_store(&cli)?, *json, out),
        Command::Person(PersonCommand::Add {
            name,
            service,
            kind,
            cares_for,
            dob,
        }) => {
            let store = open_store(&cli)?;
            let cares_for = cares_for
                .as_deref()
                .map(|t| conversation::cares_for(&store, t))
                .transpose()?;
            let kind = match kind {
                KindArg::Adult => PersonKind::Adult,
                KindArg::Carer => PersonKind::Carer,
            };
            person_add(&store, name, service, kind, cares_for, *dob, out)
        }
        Command::Person(PersonCommand::List { service, json }) => {
            person_list(&open_store(&cli)?, service.as_deref(), *json, out)
        }
        Command::Person(PersonCommand::Show {
            id,
            json,
            withdrawn,
        }) => {
            let id = parse_id(id)?;
            let forms = load_forms(cli.forms.as_deref())?;
            person_show(&open_store(&cli)?, &forms, &id, (*json, *withdrawn), out)
        }
        Command::Person(PersonCommand::Plan(a)) => {
            let forms = load_forms(cli.forms.as_deref())?;
            conversation::plan(&open_store(&cli)?, &forms, a, out)
        }
        Command::Conversation(c) => {
            let forms = load_forms(cli.forms.as_deref())?;
            conversation::run(&open_store(&cli)?, &forms, c, out)
        }
        Command::Record { file } => {
            let forms = load_forms(cli.forms.as_deref())?;
            record(&open_store(&cli)?, &forms, file, out)
        }
        Command::Seed(a) => {
            let forms = load_forms(cli.forms.as_deref())?;
            seed(open_store(&cli)?, &forms, a.people, a.seed, out, err)
        }
        Command::Verify => trust::verify(&cli, out),
        Command::Report(a) => {
            let forms = load_forms(cli.forms.as_deref())?;
            report(&open_store(&cli)?, &forms, a, out)
        }
        Command::Export(a) => {
            let forms = load_forms(cli.forms.as_deref())?;
            export(&open_store(&cli)?, &forms, a, out)
        }
        Command::Bundle { out: file } => bundle(&open_store(&cli)?, file, out),
        Command::Merge { files } => {
            let forms = load_forms(cli.forms.as_deref())?;
            let store = open_merge_store(&cli)?;
            let bulk = store.takes_bulk_merge()?;
            merge(&store, &forms, files, out)?;
            keep_rollups(&store, true)?;
            if bulk {
                // A bulk load leaves the files twice the size they need be, which every
                // open pays for.
                store.tidy()?;
            }
            Ok(())
        }
        Command::Demo(a) => demo(&cli, a.people, out, err),
        Command::Backup { out: file } => trust::backup(&open_store(&cli)?, file, out),
        Command::Restore { file } => trust::restore(&cli, file, out),
        Command::Salvage { out: to } => trust::salvage(&cli, to, out),
        Command::Person(PersonCommand::Export(a)) => {
            let forms = load_forms(cli.forms.as_deref())?;
            privacy::subject_access(&open_store(&cli)?, &forms, a, out)
        }
        Command::Person(PersonCommand::Erase(a)) => privacy::erase(&store_path(&cli)?, a, out),
        Command::Audit(a) => privacy::audit(&open_store(&cli)?, a, out),
        Command::Key(k) => key::run(&cli, k, out),
    }
}

/// Pretty JSON on standard output, for the `--json` listings.
fn print_json(out: Out, v: &impl serde::Serialize) -> Result<(), Failure> {
    let text = serde_json::to_string_pretty(v)
        .map_err(|e| Failure::new(format!("could not write the listing as JSON: {e}")))?;
    writeln!(out, "{text}")?;
    Ok(())
}

fn forms_list(forms: &Forms, out: Out) -> Result<(), Failure> {
    writeln!(out, "Forms ({})", forms.origin)?;
    for f in &forms.frameworks {
        writeln!(
            out,
            "  {:<12} v{:<3} {} ({}s): {} outcomes in {} categories",
            f.id,
            f.version,
            f.title,
            f.person_kind,
            f.outcomes.len(),
            f.categories.len()
        )?;
    }
    writeln!(
        out,
        "  {:<12} v{:<3} {}: {} outcomes",
        "national",
        forms.national.version,
        forms.national.title,
        forms.national.outcomes.len()
    )?;
    writeln!(
        out,
        "  {:<12} v{:<3} vocabularies:",
        "vocabularies", forms.vocab.version
    )?;
    for v in crate::forms::Vocab::ALL {
        writeln!(out, "    {:<14} {}", v.key(), forms.vocab.ids(v).join(", "))?;
    }
    Ok(())
}

fn forms_check(dir: Option<&Path>, out: Out, err: &mut dyn Write) -> Result<(), Failure> {
    let res = match dir {
        Some(d) => Forms::load_dir(d),
        None => Forms::embedded(),
    };
    match res {
        Ok(f) => {
            writeln!(
                out,
                "forms in {} are sound: {} frameworks, {} national outcomes",
                if dir.is_some() {
                    f.origin.as_str()
                } else {
                    "the built-in set"
                },
                f.frameworks.len(),
                f.national.outcomes.len()
            )?;
            Ok(())
        }
        Err(problems) => {
            for p in &problems {
                writeln!(err, "{p}")?;
            }
            Err(Failure::new(format!(
                "{} problem(s) found in the forms; fix them and check again",
                problems.len()
            )))
        }
    }
}

fn org_add(store: &Store, p: &str, o: &str, s: &str, out: Out) -> Result<(), Failure> {
    match store.add_new_service(p, o, s)? {
        Ok(svc) => writeln!(out, "{}", svc.id)?,
        Err(crate::store::service_add::NotAdded::Taken(m)) => return Err(Failure::new(m)),
        Err(crate::store::service_add::NotAdded::Invalid(m)) => return Err(Failure::usage(m)),
    }
    Ok(())
}

fn org_list(store: &Store, json: bool, out: Out) -> Result<(), Failure> {
    let mut services = store.services()?;
    services.sort_by(|a, b| {
        (&a.partnership, &a.organisation, &a.name).cmp(&(&b.partnership, &b.organisation, &b.name))
    });
    if json {
        let v: Vec<_> = services
            .iter()
            .map(|s| json!({"id": s.id, "partnership": s.partnership, "organisation": s.organisation, "service": s.name}))
            .collect();
        print_json(out, &v)?;
        return Ok(());
    }
    if services.is_empty() {
        writeln!(
            out,
            "No services yet; add one with `talking-points org add`."
        )?;
    }
    let (mut lp, mut lo) = (None, None);
    for s in &services {
        if lp != Some(&s.partnership) {
            writeln!(out, "{}", text::safe(&s.partnership))?;
            lp = Some(&s.partnership);
            lo = None;
        }
        if lo != Some(&s.organisation) {
            writeln!(out, "  {}", text::safe(&s.organisation))?;
            lo = Some(&s.organisation);
        }
        let n = store.people_in_service(&s.id)?.len();
        writeln!(out, "    {}  ({n} people)", text::safe(&s.name))?;
    }
    Ok(())
}

fn person_add(
    store: &Store,
    name: &str,
    service: &str,
    kind: PersonKind,
    cares_for: Option<Id>,
    dob: Option<NaiveDate>,
    out: Out,
) -> Result<(), Failure> {
    let Some(svc) = store.find_service(service)? else {
        return Err(Failure::new(format!(
            "there is no service named `{}`; see `talking-points org list` or add it with `talking-points org add`",
            crate::domain::quote(service)
        )));
    };
    let p = Person {
        id: Id::new(),
        name: name.trim().to_string(),
        kind,
        service: svc.id,
        dob,
        cares_for,
    };
    let cared_for = match cares_for {
        Some(id) => store.person(&id)?,
        None => None,
    };
    let problems = validate_person(&p, today(), |id| {
        cared_for.as_ref().filter(|c| c.id == *id).map(|c| c.kind)
    });
    if let Some(pr) = problems.first() {
        return Err(Failure::new(format!(
            "cannot add the person: {}",
            pr.message
        )));
    }
    store.add_person(&p)?;
    writeln!(out, "{}", p.id)?;
    Ok(())
}

fn service_names(store: &Store) -> Result<std::collections::HashMap<Id, Service>, Failure> {
    Ok(store.services()?.into_iter().map(|s| (s.id, s)).collect())
}

fn person_list(store: &Store, service: Option<&str>, json: bool, out: Out) -> Result<(), Failure> {
    let services = service_names(store)?;
    let mut people = match service {
        Some(name) => {
            let Some(s) = services.values().find(|s| s.matches(name)) else {
                return Err(Failure::new(format!(
                    "there is no service named `{}`; see `talking-points org list`",
                    crate::domain::quote(name)
                )));
            };
            store.people_in_service(&s.id)?
        }
        None => store.people()?,
    };
    people.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then(a.id.cmp(&b.id))
    });
    let svc = |p: &Person| {
        services
            .get(&p.service)
            .map_or("?".to_string(), |s| s.name.clone())
    };
    if json {
        let v: Vec<_> = people
            .iter()
            .map(|p| {
                json!({"id": p.id, "name": p.name, "kind": p.kind, "service": svc(p),
                       "dob": p.dob, "cares_for": p.cares_for})
            })
            .collect();
        print_json(out, &v)?;
        return Ok(());
    }
    if people.is_empty() {
        writeln!(
            out,
            "No people yet; add one with `talking-points person add`."
        )?;
        return Ok(());
    }
    let rows: Vec<Vec<String>> = people
        .iter()
        .map(|p| {
            vec![
                p.id.to_string(),
                p.name.clone(),
                p.kind.to_string(),
                svc(p),
                p.dob.map(|d| d.to_string()).unwrap_or_default(),
            ]
        })
        .collect();
    write!(
        out,
        "{}",
        text::table(&["ID", "NAME", "KIND", "SERVICE", "BORN"], &rows)
    )?;
    Ok(())
}

fn person_show(
    store: &Store,
    forms: &Forms,
    id: &Id,
    (json, withdrawn): (bool, bool),
    out: Out,
) -> Result<(), Failure> {
    let Some(p) = store.person(id)? else {
        return Err(Failure::new(format!(
            "no person with id {id} is in this store; see `talking-points person list`"
        )));
    };
    let mut convs = store.conversations_of(id)?;
    let all = convs.len();
    if !withdrawn {
        convs.retain(|c| c.counts());
    }
    let hidden = all - convs.len();
    let carers = store.carers_of(id)?;
    let service = store.service(&p.service)?;
    let cares_for = match p.cares_for {
        Some(cf) => store.person(&cf)?,
        None => None,
    };
    if json {
        let v = json!({
            "person": {"id": p.id, "name": p.name, "kind": p.kind,
                       "service": service.as_ref().map(|s| s.name.clone()),
                       "organisation": service.as_ref().map(|s| s.organisation.clone()),
                       "partnership": service.as_ref().map(|s| s.partnership.clone()),
                       "dob": p.dob, "cares_for": p.cares_for,
                       "cared_for_by": carers.iter().map(|c| c.id).collect::<Vec<_>>()},
            "conversations": convs,
            "withdrawn_not_shown": hidden,
        });
        print_json(out, &v)?;
        return Ok(());
    }
    let svc = service.map_or("(service missing)".to_string(), |s| {
        format!("{} ({}, {})", s.name, s.organisation, s.partnership)
    });
    let cf = cares_for.map(|c| format!("{} ({})", c.name, c.id));
    let by: Vec<String> = carers
        .iter()
        .map(|c| format!("{} ({})", c.name, c.id))
        .collect();
    write!(
        out,
        "{}",
        show::person_text(&p, &svc, (cf.as_deref(), &by), &convs, forms)
    )?;
    if hidden > 0 {
        writeln!(
            out,
            "\n{hidden} conversation(s) withdrawn as recorded in error are not shown; add --withdrawn to see them."
        )?;
    }
    Ok(())
}

fn record(store: &Store, forms: &Forms, file: &Path, out: Out) -> Result<(), Failure> {
    let text = if file.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map_err(|e| {
            Failure::new(format!("could not read standard input as UTF-8 text: {e}"))
        })?;
        s
    } else {
        let bytes = std::fs::read(file)
            .map_err(|e| Failure::new(format!("cannot read {}: {e}", file.display())))?;
        String::from_utf8(bytes)
            .map_err(|_| Failure::new(format!("{} is not UTF-8 text", file.display())))?
    };
    let incoming = crate::record::parse(&text)
        .map_err(|e| Failure::new(format!("{e}; nothing was recorded")))?;
    let convs = crate::record::prepare(incoming, forms, store, today())
        .map_err(|e| Failure::new(format!("{e}; nothing was recorded")))?;
    if convs.is_empty() {
        writeln!(out)?;
        return Ok(());
    }
    store.save_conversations(&convs)?;
    for c in &convs {
        writeln!(out, "{}", c.id)?;
    }
    Ok(())
}

/// Seeds the store, keeps its roll-up totals, and tidies its files (see
/// [`Store::tidy`]), all within the time it reports.
fn seed(
    store: Store,
    forms: &Forms,
    people: usize,
    seed: u64,
    out: Out,
    err: &mut dyn Write,
) -> Result<(), Failure> {
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(people as u64),
        indicatif::ProgressDrawTarget::stderr(),
    );
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} {wide_bar} {pos}/{len} people, {eta} left")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message("seeding");
    if people < 2000 {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let started = std::time::Instant::now();
    let summary = crate::seed::generate(
        &store,
        forms,
        &crate::seed::SeedOptions { people, seed },
        &mut |done| bar.set_position(done as u64),
    )
    .map_err(|e| Failure::new(format!("seeding failed: {e}")))?;
    bar.finish_and_clear();
    keep_rollups(&store, true)?;
    store.tidy()?;
    let _ = err;
    writeln!(
        out,
        "seeded {} people and {} conversations in {} services ({:.1} s)",
        summary.people,
        summary.conversations,
        summary.services,
        started.elapsed().as_secs_f64()
    )?;
    Ok(())
}

fn bundle(store: &Store, file: &Path, out: Out) -> Result<(), Failure> {
    let contents = crate::bundle::contents_of(store)?;
    let bytes = crate::bundle::encode(&contents)
        .map_err(|e| Failure::new(format!("could not make the bundle: {e}")))?;
    crate::outfile::write_bytes(file, &bytes)?;
    let counts = format!(
        "{} services, {} people, {} conversations",
        contents.services.len(),
        contents.people.len(),
        contents.conversations.len()
    );
    store.log("bundle", "store", &counts)?;
    writeln!(out, "bundled {counts} into {}", file.display())?;
    Ok(())
}

fn merge(store: &Store, forms: &Forms, files: &[PathBuf], out: Out) -> Result<(), Failure> {
    let bar =
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::hidden());
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} {wide_bar} {pos}/{len} records, {eta} left")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message("merging");
    let mut shown = false;
    let summary = crate::bundle::merge(store, files, forms, today(), &mut |done, total| {
        if !shown {
            bar.set_length(total);
            if total >= 5000 {
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
            shown = true;
        }
        if done % 256 == 0 || done == total {
            bar.set_position(done);
        }
    })
    .map_err(|e| Failure::new(e.to_string()))?;
    bar.finish_and_clear();
    for f in &summary.files {
        writeln!(out, "{}", f.line(&format!("merged {}", f.path.display())))?;
    }
    for c in &summary.total.conflicts {
        writeln!(out, "{c}")?;
    }
    writeln!(out, "{}", summary.total.line("total"))?;
    Ok(())
}

fn report(store: &Store, forms: &Forms, a: &args::ReportArgs, out: Out) -> Result<(), Failure> {
    use crate::rollup::Level;
    if a.format != args::ReportFormat::Csv && (a.table != args::ReportTable::Outcomes || a.excel) {
        return Err(Failure::usage(
            "--table and --excel apply to --format csv; add --format csv or leave them out",
        ));
    }
    let level = match a.level {
        args::LevelArg::Service => Level::Service,
        args::LevelArg::Organisation => Level::Organisation,
        args::LevelArg::Partnership => Level::Partnership,
        args::LevelArg::National => Level::National,
    };
    // Each period is rolled up and protected as in a report of it alone.
    let mut per_period = Vec::new();
    let mut services = Vec::new();
    for period in &a.period.0 {
        let rolled = crate::rollup_read::rolled_up(
            store,
            forms,
            level,
            a.unit.as_deref(),
            period,
            today(),
            a.suppress,
            a.check_disclosure,
        )
        .map_err(Failure::new)?;
        if rolled.reports.is_empty() {
            return Err(Failure::new(
                "there is nothing to report: the store has no services yet",
            ));
        }
        if a.check_disclosure {
            check_disclosure(&rolled.protected, period, out)?;
            continue;
        }
        per_period.push(
            rolled
                .reports
                .iter()
                .map(|r| rolled.protected.publish(r, a.open_data))
                .collect(),
        );
        services = rolled.services;
    }
    if a.check_disclosure {
        return Ok(());
    }
    let mut published = crate::report_trend::interleave(per_period);
    crate::report_trend::align_people(&mut published);
    let text = match a.format {
        args::ReportFormat::Table => crate::report::table(&published, forms),
        args::ReportFormat::Csv => {
            use crate::report::CsvTable;
            let table = match a.table {
                args::ReportTable::Outcomes => CsvTable::Outcomes,
                args::ReportTable::Measures => CsvTable::Measures,
                args::ReportTable::Barriers => CsvTable::Barriers,
                args::ReportTable::Contributors => CsvTable::Contributors,
                args::ReportTable::Notes => CsvTable::Notes,
                args::ReportTable::Long => CsvTable::Long,
            };
            crate::report::csv(&published, forms, table, a.excel)?
        }
        args::ReportFormat::Json => crate::report::json(&published, forms)
            .map_err(|e| Failure::new(format!("could not write the report as JSON: {e}")))?,
        args::ReportFormat::Md => {
            crate::report_print::markdown(&published, forms, &print_meta(&services, level, &a.unit))
        }
        args::ReportFormat::Html => {
            crate::report_print::html(&published, forms, &print_meta(&services, level, &a.unit))
        }
    };
    match &a.out {
        Some(path) => crate::outfile::write_bytes(path, text.as_bytes())?,
        None => out.write_all(text.as_bytes())?,
    }
    store.log("report", "store", level.as_str())?;
    Ok(())
}

/// The partnership(s) a printed report is about, and today.
fn print_meta(
    services: &[Service],
    level: crate::rollup::Level,
    unit: &Option<String>,
) -> crate::report_print::Meta {
    use crate::rollup::Level;
    let mut names: Vec<&str> = services
        .iter()
        .filter(|s| {
            let name = match level {
                Level::Service => &s.name,
                Level::Organisation => &s.organisation,
                Level::Partnership | Level::National => &s.partnership,
            };
            unit.as_ref()
                .is_none_or(|u| u.trim().to_lowercase() == name.trim().to_lowercase())
        })
        .map(|s| s.partnership.trim())
        .collect();
    names.sort_unstable();
    names.dedup();
    crate::report_print::Meta {
        partnership: names.join(" and "),
        produced: today(),
    }
}

fn check_disclosure(
    p: &crate::rollup::Protected,
    period: &crate::rollup::Period,
    out: Out,
) -> Result<(), Failure> {
    let audit = p.audit().map_err(Failure::new)?;
    writeln!(out, "Disclosure check, period {}:", period.label())?;
    for l in audit.lines() {
        writeln!(out, "{l}")?;
    }
    if audit.passed() {
        Ok(())
    } else {
        Err(Failure::new(
            "some suppressed counts can be worked out from what is published; do not publish these tables",
        ))
    }
}

fn export(store: &Store, forms: &Forms, a: &args::ExportArgs, out: Out) -> Result<(), Failure> {
    let rows = match &a.out {
        Some(dir) if crate::datapackage::is_package_dir(dir) => {
            let x = crate::export::extract(
                forms,
                &store.secret()?,
                &store.services()?,
                &store.people()?,
                &store.conversations()?,
                a.include_text,
            );
            let created = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            crate::datapackage::write(
                dir,
                forms,
                &x,
                a.include_text,
                a.excel,
                &created,
                &today().to_string(),
            )?;
            x.outcomes.len()
        }
        Some(path) => {
            let mut n = 0;
            crate::outfile::write_private(path, |w| stream(store, forms, a, w).map(|k| n = k))?
                .map_err(|e| match e {
                    StreamError::Io(e) => {
                        Failure::new(format!("cannot write {}: {e}", path.display()))
                    }
                    StreamError::Store(e) => Failure::from(e),
                })?;
            n
        }
        None => stream(store, forms, a, out).map_err(|e| match e {
            StreamError::Io(e) => Failure::from(e),
            StreamError::Store(e) => Failure::from(e),
        })?,
    };
    let what = if a.include_text {
        "rows with text"
    } else {
        "rows"
    };
    store.log("export", "store", &format!("{rows} {what}"))?;
    Ok(())
}

/// The row-level export, streamed to `w`; how many rows it wrote.
fn stream(
    store: &Store,
    forms: &Forms,
    a: &args::ExportArgs,
    w: &mut dyn Write,
) -> Result<usize, StreamError> {
    let format = match a.format {
        args::ExportFormat::Csv => Format::Csv { excel: a.excel },
        args::ExportFormat::Jsonl => Format::Jsonl,
    };
    crate::export_stream::outcome_rows(store, forms, format, a.include_text, w)
}

pub(crate) fn verify(store: &Store, out: Out) -> Result<(), Failure> {
    let r = store.verify()?;
    if r.is_sound() {
        writeln!(
            out,
            "store is sound: {} services, {} people, {} conversations, {} audit entries",
            r.services, r.people, r.conversations, r.audit_entries
        )?;
        store.log("verify", "store", "")?;
        return Ok(());
    }
    for i in &r.issues {
        writeln!(out, "{} {}: {}", i.tree, i.key, i.problem)?;
    }
    Err(Failure::new(format!(
        "{} damaged or inconsistent record(s) found (listed above); {}, or restore a backup",
        r.issues.len(),
        crate::store::errors::SALVAGE_HINT
    )))
}

/// Whether colour is wanted: `--color none`, or `auto` with `NO_COLOR` set, turns it off.
pub fn wants_color(mode: args::ColorMode) -> bool {
    match mode {
        args::ColorMode::None => false,
        args::ColorMode::Sixteen => true,
        args::ColorMode::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

fn interface(cli: &Cli, store: Store, forms: Forms, demo: bool) -> Result<(), Failure> {
    let theme = crate::tui::theme::Theme::new(wants_color(cli.color), cli.ascii);
    let mut app = crate::tui::app::App::new(store, forms, theme, today())
        .map_err(|e| Failure::new(e.to_string()))?;
    app.demo = demo;
    crate::tui::run(app).map_err(|e| Failure::new(e.to_string()))
}

fn demo(cli: &Cli, people: usize, out: Out, err: &mut dyn Write) -> Result<(), Failure> {
    let dir = std::env::temp_dir().join(format!("talking-points-demo-{}", Id::new()));
    let result = (|| {
        let forms = load_forms(cli.forms.as_deref())?;
        let mut sink = std::io::sink();
        seed(Store::open(&dir)?, &forms, people, 2026, &mut sink, err)?;
        let _ = out;
        interface(cli, Store::open(&dir)?, forms, true)
    })();
    // The demo store holds only synthetic people; it goes when the demo ends.
    let _ = std::fs::remove_dir_all(&dir);
    result
}
