//! The case API's wire types, shared by the server and the client.

mod schema;
pub mod types;

pub use types::*;
