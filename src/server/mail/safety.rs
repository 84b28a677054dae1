//! Who may update a case by mail, what must never be answered automatically (no mail loops),
//! and the rate limit on automatic answers.
