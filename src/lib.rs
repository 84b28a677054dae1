//! casedesk — a terminal tool for technical-support desks.
//!
//! The library holds the pure core (`domain`, `sla`) and the command line (`cli`); the server,
//! client, cache and TUI arrive as their own modules.

pub mod cli;
pub mod domain;
pub mod sla;
