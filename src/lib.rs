//! talking-points: record Talking Points personal outcomes conversations and roll them up.

pub mod domain;
pub mod forms;
pub mod store;
pub mod record;
pub mod cli;
pub mod seed;
pub mod tui;
pub mod export;
