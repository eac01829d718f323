//! `export` to a file or standard output, one conversation at a time: rows are written as
//! they are made, so memory stays near the size of the people and the index, not of the
//! whole extract (a team store's export is hundreds of megabytes).

use crate::export::{Rows, outcome_fields, write_jsonl_row};
use crate::forms::Forms;
use crate::store::{Store, StoreError};
use crate::tabular::{Val, csv_writer, write_csv_row};
use std::io::Write;

/// Why a streamed export stopped.
#[derive(Debug)]
pub enum StreamError {
    /// Writing the output failed.
    Io(std::io::Error),
    /// Reading the store failed.
    Store(StoreError),
}

impl From<std::io::Error> for StreamError {
    fn from(e: std::io::Error) -> Self {
        StreamError::Io(e)
    }
}

impl From<csv::Error> for StreamError {
    fn from(e: csv::Error) -> Self {
        StreamError::Io(e.into())
    }
}

impl From<StoreError> for StreamError {
    fn from(e: StoreError) -> Self {
        StreamError::Store(e)
    }
}

/// The layout of the rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// CSV with a header (and a byte-order mark first when `excel`).
    Csv { excel: bool },
    /// One JSON object per line.
    Jsonl,
}

/// Writes the row-level export of `store` to `w` (the same bytes as the data package's
/// `outcomes.csv` for CSV) and returns how many outcome rows it wrote.
pub fn outcome_rows(
    store: &Store,
    forms: &Forms,
    format: Format,
    include_text: bool,
    w: &mut dyn Write,
) -> Result<usize, StreamError> {
    let secret = store.secret()?;
    let services = store.services()?;
    let mut unread = None;
    let people = store
        .each_person()
        .map_while(|p| p.map_err(|e| unread = Some(e)).ok());
    let rows = Rows::new(forms, &secret, &services, people, include_text);
    if let Some(e) = unread {
        return Err(e.into());
    }
    // The date index gives conversations in the roll-up's order, so sequences can be
    // counted as they go by.
    let mut sequencer = crate::export::Sequencer::default();
    let fields = outcome_fields(forms, include_text);
    let mut n = 0;
    match format {
        Format::Csv { excel } => {
            let mut out = csv_writer(w, excel)?;
            out.write_record(fields.iter().map(|f| f.name))?;
            let mut scratch = String::new();
            store.each_conversation(|c| {
                if !rows.exports(c) {
                    return Ok(());
                }
                let seq = sequencer.next(c);
                rows.outcome_rows(c, seq, |r: &[Val]| {
                    n += 1;
                    write_csv_row(&mut out, r, &mut scratch).map_err(StreamError::from)
                })
            })?;
            out.flush()?;
        }
        Format::Jsonl => {
            store.each_conversation(|c| {
                if !rows.exports(c) {
                    return Ok(());
                }
                let seq = sequencer.next(c);
                rows.outcome_rows(c, seq, |r: &[Val]| {
                    n += 1;
                    write_jsonl_row(&mut *w, &fields, r).map_err(StreamError::from)
                })
            })?;
        }
    }
    Ok(n)
}
