//! The case API: its wire types, shared by the server and the client, and the HTTP client.

pub mod client;
mod install_base;
pub mod macros;
mod new_case;
mod people;
pub mod query;
pub mod reports;
mod schema;
pub mod time;
pub mod types;

pub use client::{Client, ClientError, ClientOptions, Fetched, LiveEvent, MailWaiting};
pub use install_base::{
    EntitlementImport, EntitlementRow, IMPORT_COLUMNS, ImportReport, ImportedRow, RowOutcome,
};
pub use macros::{MACRO_NAME_FORM, Macro, MacroChanges, MacroError, MacroSet, check_macro_name};
pub use people::{OwnerRefusal, Person, UnknownOwner, check_owner, owner_matches};
pub use query::{CaseFilter, Sort, SortColumn, text_matches};
pub use types::*;
