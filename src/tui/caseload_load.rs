//! Loading the caseload a page at a time from the store's caseload index: the first
//! screenful at start, the rest as the list is scrolled past what is loaded, filtered,
//! or wanted whole (a picker of every adult). A store without the index (one the
//! interface could not upgrade) is read whole, as before.

use super::app::Action;
use super::caseload::Row;
use super::screens::caseload::Caseload;
use crate::domain::Id;
use crate::store::Store;
use crate::store::caseload_index::{Entry, Page};
use chrono::NaiveDate;
use std::collections::{HashMap, HashSet};

/// Lines read at start and per page after: several screenfuls of a tall window.
pub const PAGE: usize = 200;

/// Where the loaded part of the caseload ends, while some of it is still unread.
#[derive(Clone, Debug)]
pub struct MoreRows {
    /// The index key of the last line loaded.
    pub after: Vec<u8>,
    /// How many people the caseload lists in all.
    pub total: usize,
    services: HashMap<Id, String>,
}

/// A caseload line from its kept index entry, as of `today`.
pub fn row_of(e: Entry, service: &str, today: NaiveDate) -> Row {
    let review_due = e.review_due(today);
    Row {
        id: e.id,
        name: e.name,
        kind: e.kind,
        service: service.to_string(),
        last: e.last,
        review_due,
    }
}

fn rows_of(
    page: Page,
    services: &HashMap<Id, String>,
    today: NaiveDate,
) -> (Vec<Row>, Option<Vec<u8>>) {
    let rows = page
        .entries
        .into_iter()
        .map(|e| {
            let s = services
                .get(&e.service)
                .map_or("?", |s| s.as_str())
                .to_string();
            row_of(e, &s, today)
        })
        .collect();
    (rows, page.next)
}

/// The first page of the caseload and what it takes to read on; `None` when the store
/// keeps no caseload index.
pub fn first_page(
    store: &Store,
    today: NaiveDate,
    limit: usize,
) -> anyhow::Result<Option<(Vec<Row>, Option<MoreRows>)>> {
    let (Some(total), Some(page)) = (
        store.caseload_count()?,
        store.caseload_index_page(None, limit)?,
    ) else {
        return Ok(None);
    };
    let services: HashMap<Id, String> = store
        .services()?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let (rows, next) = rows_of(page, &services, today);
    let more = next.map(|after| MoreRows {
        after,
        total: total as usize,
        services,
    });
    Ok(Some((rows, more)))
}

/// Reads on until at least `want` lines are loaded (`None`: all of them). Only the
/// runner calls this: it reads the store.
pub fn load_rows(
    store: &Store,
    cl: &mut Caseload,
    today: NaiveDate,
    want: Option<usize>,
) -> anyhow::Result<()> {
    while let Some(more) = cl.more.take() {
        if want.is_some_and(|w| cl.rows.len() >= w) {
            cl.more = Some(more);
            break;
        }
        let limit = match want {
            Some(w) => (w - cl.rows.len()).max(PAGE),
            None => usize::MAX,
        };
        let Some(page) = store.caseload_index_page(Some(&more.after), limit)? else {
            // The index went away (a verify dropped it): read the caseload whole.
            cl.rows = super::runner::load_caseload(store, today)?;
            return Ok(());
        };
        let (rows, next) = rows_of(page, &more.services, today);
        // A line saved since the first page may already be here.
        let have: HashSet<Id> = cl.rows.iter().map(|r| r.id).collect();
        cl.rows
            .extend(rows.into_iter().filter(|r| !have.contains(&r.id)));
        cl.more = next.map(|after| MoreRows { after, ..more });
    }
    Ok(())
}

/// Before the caseload handles a key: reads what the key will show (a filter looks at
/// everyone; a move down at the next screenful).
pub fn load_rows_for(
    store: &Store,
    cl: &mut Caseload,
    today: NaiveDate,
    rows_on_screen: u16,
    a: &Action,
) -> anyhow::Result<()> {
    if cl.more.is_none() {
        return Ok(());
    }
    let page = rows_on_screen.max(1) as usize;
    match a {
        _ if cl.filtering || !cl.filter.is_empty() => load_rows(store, cl, today, None),
        Action::Filter | Action::Bottom | Action::AddPerson => load_rows(store, cl, today, None),
        Action::Down | Action::PageDown => {
            let want = cl.selected + 2 * page + 1;
            load_rows(store, cl, today, Some(want))
        }
        _ => Ok(()),
    }
}

impl Caseload {
    /// How many people the caseload lists (loaded or not).
    pub fn people_total(&self) -> usize {
        match &self.more {
            Some(m) => m.total.max(self.rows.len()),
            None => self.rows.len(),
        }
    }

    /// Whether a line not loaded yet would sort among the loaded ones (a person added
    /// or renamed): past the loaded part it comes with a later page instead.
    pub fn sorts_in_loaded(&self, name: &str, id: &Id) -> bool {
        match &self.more {
            Some(m) => crate::store::caseload_index::name_key(name, id) <= m.after,
            None => true,
        }
    }
}
