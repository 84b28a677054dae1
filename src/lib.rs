//! casedesk — a terminal tool for technical-support desks.
//!
//! The library holds the pure core (`domain`, `sla`), the API's wire types (`api`), the case
//! API server (`server`) and the command line (`cli`).

pub mod api;
pub mod cli;
pub mod domain;
pub mod server;
pub mod sla;
