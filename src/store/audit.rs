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

/// The OS account running this process, without asking the system for names of people.
pub fn os_user() -> String {
    for var in ["USER", "LOGNAME", "USERNAME"] {
        if let Ok(u) = std::env::var(var)
            && !u.trim().is_empty()
        {
            return u;
        }
    }
    // Fall back to the numeric uid, read from procfs where there is one.
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(1).map(|u| format!("uid {u}")))
        })
        .unwrap_or_else(|| "unknown".into())
}
