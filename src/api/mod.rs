//! The case API: its wire types, shared by the server and the client, and the HTTP client.

pub mod client;
pub mod query;
mod schema;
pub mod time;
pub mod types;

pub use client::{Client, ClientError, ClientOptions, Fetched, LiveEvent};
pub use query::{CaseFilter, Sort, SortColumn, text_matches};
pub use types::*;
