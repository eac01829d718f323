//! The append-only audit trail: who created, changed, exported or erased which record,
//! and when. It holds ids and the OS user, never a name or any free text.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// RFC 3339 time in UTC.
    pub at: String,
    /// The operating-system account that made the change.
    pub user: String,
    /// `create`, `change`, `export`, `erase`, `merge` …
    pub action: String,
    /// `service`, `person`, `conversation`, `store` …
    pub record: String,
    pub id: String,
}
