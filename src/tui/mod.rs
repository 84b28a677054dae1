//! The terminal user interface (SPEC §5). Built so far: themes and the colour depth they are
//! drawn at; the panes, the key map and the event loop come next.

pub mod theme;
