//! casedesk — a terminal tool for technical-support desks.
//!
//! The library holds the pure core (`domain`, `sla`), the API's wire types and HTTP client
//! (`api`), the case API server (`server`), the client's configuration (`config`), local store
//! (`cache`) and sync (`sync`), the terminal interface (`tui`), and the command line (`cli`).

pub mod api;
pub mod backend;
pub mod cache;
pub mod cli;
pub mod config;
pub mod domain;
pub mod linebreak;
pub mod rt;
pub mod sanitize;
pub mod server;
pub mod sla;
mod sqlite;
pub mod sync;
pub mod term;
pub mod tui;
pub mod wallboard;
