//! Cases: create, read, list, change, and keep their derived SLA columns current. The query
//! side (summaries, the whole case, its clocks, the list) reads; the write side (open, change,
//! record history, refresh the derived columns) asks `domain::change` for the rules first.

mod query;
mod write;

pub use query::{CaseQuery, case_tag, get_case, list_cases, watch_due};
pub(super) use query::{SUMMARY_COLUMNS, clocks, summary, summary_from_row};
pub use write::{create_case, patch_case, refresh_clocks};
pub(super) use write::{expect_version, record, reindex, touch, write_report_facts};

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    /// A database with no cases, at the newest schema.
    pub(super) fn empty() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        for (_, sql) in crate::server::db::MIGRATIONS {
            conn.execute_batch(sql).unwrap();
        }
        conn
    }
}
