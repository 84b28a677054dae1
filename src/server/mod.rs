//! The case API server (`casedesk serve`): axum routes over a SQLite store.

pub mod db;
pub mod store;
