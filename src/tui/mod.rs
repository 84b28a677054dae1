//! The terminal user interface (SPEC §5): the case queue, the case detail, the SLA clocks and
//! the escalation options, over the background sync and the cache.
//!
//! Data flows one way: terminal events, ticks and sync news become [`app::Msg`]s; the pure
//! [`app::App`] changes and returns [`app::Effect`]s; the [`runtime`] carries those out (through
//! [`effects`]) and draws a frame only when the screen would change.

pub mod actions;
pub mod alerts;
pub mod app;
pub mod attachments;
pub mod bulk;
pub mod detail_loads;
pub mod drafts;
pub mod effects;
pub mod external;
pub mod failure;
pub mod form;
pub mod input;
pub mod intake;
pub mod keymap;
pub mod macros;
pub mod mail;
pub mod picker;
pub mod queue;
pub mod reports;
pub mod rma;
pub mod runtime;
pub mod search;
pub mod settings;
pub mod timeline;
pub mod ui;
pub mod viewer;
pub mod views;
