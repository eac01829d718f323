//! The command line, declared with clap.

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

pub(crate) fn date_arg(s: &str) -> Result<NaiveDate, String> {
    crate::record::parse_date(s)
}

#[derive(Parser, Debug)]
#[command(
    name = "talking-points",
    version,
    about = "Hold and record Talking Points personal outcomes conversations, and roll them up.",
    long_about = "Hold and record Talking Points personal outcomes conversations: what matters to a \
person and why, at assessment, support planning and review. Records stay on this machine.\n\n\
With no command, opens the terminal interface on the store."
)]
pub struct Cli {
    /// The store directory (created owner-only when new).
    #[arg(long, global = true, env = "TALKING_POINTS_STORE", value_name = "DIR")]
    pub store: Option<PathBuf>,

    /// Use the forms in DIR instead of the built-in ones.
    #[arg(long, global = true, env = "TALKING_POINTS_FORMS", value_name = "DIR")]
    pub forms: Option<PathBuf>,

    /// Colours in the terminal interface (auto honours NO_COLOR).
    #[arg(long, global = true, value_enum, default_value_t = ColorMode::Auto)]
    pub color: ColorMode,

    /// ASCII borders and symbols only.
    #[arg(long, global = true)]
    pub ascii: bool,

    /// Open a store even though other accounts can reach its files (a deliberate shared
    /// set-up); without it such a store is refused.
    #[arg(long, global = true)]
    pub allow_shared_permissions: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorMode {
    Auto,
    #[value(name = "16")]
    Sixteen,
    None,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Open the interface on a fresh temporary store filled with demo data.
    Demo(DemoArgs),
    /// The partnership structure: partnerships, organisations and services.
    #[command(subcommand)]
    Org(OrgCommand),
    /// People: supported adults and unpaid carers.
    #[command(subcommand)]
    Person(PersonCommand),
    /// Add conversations given as JSON (FILE, or - for standard input); all or nothing.
    Record {
        /// The JSON file of conversations (one object or an array); - reads standard
        /// input.
        #[arg(value_name = "FILE|-")]
        file: PathBuf,
    },
    /// Conversations already recorded: withdraw one recorded in error, or see its
    /// earlier revisions.
    #[command(subcommand)]
    Conversation(super::conversation::ConversationCommand),
    /// Fill the store with deterministic synthetic data for demos and benchmarks.
    Seed(SeedArgs),
    /// Check every record in the store; exit 0 when all are sound.
    Verify,
    /// Outcome tables for a service, organisation, partnership or the national outcomes.
    Report(ReportArgs),
    /// One pseudonymised row per outcome per conversation, for analysis.
    Export(ExportArgs),
    /// Write the store's services, people and conversations to one checked file.
    Bundle {
        /// The bundle file to write (created owner-only).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Merge bundles into this store, all or nothing.
    Merge {
        /// The bundle files, checked before anything is merged.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// The outcome frameworks and vocabularies.
    #[command(subcommand)]
    Forms(FormsCommand),
    /// Write the whole store (secret key, drafts and audit included) to one checked file.
    Backup {
        /// The backup file (written owner-only under a temporary name, then renamed).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Fill a new or empty store from a backup file; a damaged backup is refused whole.
    Restore {
        /// The backup file, as `backup --out` wrote it.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Recover every sound record of a damaged store (--store) into a new store.
    Salvage {
        /// The new store to fill (a new or empty directory).
        #[arg(long, value_name = "NEWSTORE")]
        out: PathBuf,
    },
    /// The audit log: who created, corrected, exported, merged or erased what, and when.
    Audit(super::privacy::AuditArgs),
    /// The partnership key behind the pseudonyms in exports: export, import, fingerprint.
    #[command(subcommand)]
    Key(super::key::KeyCommand),
}

#[derive(Args, Debug)]
pub struct DemoArgs {
    /// How many synthetic people the demo store holds.
    #[arg(long, default_value_t = 300)]
    pub people: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LevelArg {
    Service,
    Organisation,
    Partnership,
    National,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Table,
    Csv,
    Json,
    Md,
    Html,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// What the rows are: each service, organisation or partnership, or the national
    /// outcomes across the whole store.
    #[arg(long, value_enum)]
    pub level: LevelArg,
    /// One unit of the level by name (default: every unit).
    #[arg(long, value_name = "NAME")]
    pub unit: Option<String>,
    /// 2025-26, 2025-26-Q3 or 2025-04-01..2025-09-30; several, comma-separated
    /// (2023-24,2024-25,2025-26), for a trend side by side.
    #[arg(long, value_name = "P[,P...]", value_parser = crate::report_trend::parse)]
    pub period: crate::report_trend::Periods,
    /// A table for the terminal, CSV, JSON, Markdown or HTML (printable).
    #[arg(long, value_enum, default_value_t = ReportFormat::Table)]
    pub format: ReportFormat,
    /// Counts from 1 to N-1 are suppressed (0 turns suppression off).
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub suppress: u64,
    /// Mark suppressed cells `c` (open data) rather than `*`.
    #[arg(long)]
    pub open_data: bool,
    /// Which table `--format csv` writes (each is one rectangular table).
    #[arg(long, value_enum, default_value_t = ReportTable::Outcomes)]
    pub table: ReportTable,
    /// CSV for Excel: starts with a UTF-8 byte-order mark.
    #[arg(long)]
    pub excel: bool,
    /// Instead of the report, check every suppressed cell of the period (every level)
    /// against everything published, and print the cells lost per level; exit 1 if any
    /// could be worked out.
    #[arg(long)]
    pub check_disclosure: bool,
    /// Write to FILE (created owner-only) instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportTable {
    /// One row per outcome per unit.
    Outcomes,
    /// One row per unit-level figure: people, overdue reviews, plans on time, local measures.
    Measures,
    /// One row per barrier named per outcome per unit.
    Barriers,
    /// One row per contributor named per outcome per unit.
    Contributors,
    /// The notes and the suppression statement of each unit.
    Notes,
    /// Every count as one long table: level, unit, period, measure, outcome_id, term, value.
    Long,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Csv,
    Jsonl,
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// CSV (one table) or JSON Lines (one object per line).
    #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
    pub format: ExportFormat,
    /// Add the free text (own words, why, statement, helped, hindered).
    #[arg(long)]
    pub include_text: bool,
    /// CSV for Excel: starts with a UTF-8 byte-order mark.
    #[arg(long)]
    pub excel: bool,
    /// Write to FILE, or a data package (CSVs, datapackage.json, schema.sql) into DIR. A
    /// path is a FILE when it is an existing file or ends in .csv, .jsonl or .json;
    /// otherwise a directory (created owner-only).
    #[arg(long, value_name = "FILE|DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct SeedArgs {
    /// How many people to make.
    #[arg(long, value_name = "N")]
    pub people: usize,
    /// The same seed always gives the same data.
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
}

#[derive(Subcommand, Debug)]
pub enum OrgCommand {
    /// Add a service, with its organisation and partnership; prints the service id.
    Add {
        /// The health and social care partnership the organisation belongs to.
        #[arg(long, value_name = "P")]
        partnership: String,
        /// The organisation (council, health board, provider) that runs the service.
        #[arg(long, value_name = "O")]
        organisation: String,
        /// The service's name, unique in the store; people are added to it by name.
        #[arg(long, value_name = "S")]
        service: String,
    },
    /// List partnerships, organisations and services.
    List {
        /// Print JSON (one array of services with their ids) instead of a table.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum PersonCommand {
    /// Add a person; prints only the new id.
    Add {
        /// The person's name, as they like it written.
        #[arg(long, value_name = "N")]
        name: String,
        /// The service that supports them, by name (see `org list`).
        #[arg(long, value_name = "S")]
        service: String,
        /// A supported adult, or an unpaid carer (who has the carers' outcomes).
        #[arg(long, value_enum, default_value_t = KindArg::Adult)]
        kind: KindArg,
        /// For a carer: the person they care for, by id or by whole name (case and
        /// accents aside); a name more than one person has needs the id.
        #[arg(long, value_name = "ID|NAME")]
        cares_for: Option<String>,
        /// Date of birth, YYYY-MM-DD.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = date_arg)]
        dob: Option<NaiveDate>,
    },
    /// List people, optionally of one service.
    List {
        /// Only the people of this service, by name.
        #[arg(long, value_name = "S")]
        service: Option<String>,
        /// Print JSON (one array of people with their ids) instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Everything recorded about one person.
    Show {
        /// The person's id (as `person list` prints it).
        id: String,
        /// Print the person and their conversations as JSON, in the shape `record`
        /// reads.
        #[arg(long)]
        json: bool,
        /// Also show conversations withdrawn as recorded in error.
        #[arg(long)]
        withdrawn: bool,
    },
    /// The person's own copy of their current support plan: their words, the actions,
    /// the review date and who to contact (no ids or codes).
    Plan(super::conversation::PlanArgs),
    /// Subject access: everything held about one person, as Markdown or JSON.
    Export(super::privacy::SubjectArgs),
    /// Erase one person and every record about them, for good (needs --yes).
    Erase(super::privacy::EraseArgs),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    Adult,
    Carer,
}

#[derive(Subcommand, Debug)]
pub enum FormsCommand {
    /// List the forms in use.
    List,
    /// Check form files (DIR, or the forms in use) and report every problem.
    Check {
        /// A folder of form files to check before use (default: the forms in use).
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}
