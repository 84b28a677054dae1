//! Held and unparseable mail for agents: listed, released into a case, or discarded.
