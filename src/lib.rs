//! talking-points: record Talking Points personal outcomes conversations and roll them up.

pub mod bundle;
pub mod cli;
pub mod datapackage;
pub mod domain;
pub mod export;
pub mod export_stream;
pub mod forms;
pub mod outfile;
pub mod partnership_key;
pub mod plan_file;
pub mod plan_print;
pub mod record;
pub mod report;
pub mod report_print;
pub mod report_tables;
pub mod report_trend;
pub mod rollup;
pub mod rollup_read;
pub mod seed;
pub mod show;
pub mod store;
pub mod strict_json;
pub mod tabular;
pub mod text;
pub mod tui;
pub mod wrap;
