//! One incoming message, decided and applied: matched to a case (case number in the subject,
//! or `In-Reply-To`/`References` to our mail), added as the customer's note, the case moved as
//! the guides say; held for an agent when the sender may not update the case; recorded once.

/// What the mailbox reader does with the message afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Disposition {
    /// Recorded (applied, held, answered or ignored): move it to the processed folder.
    Processed,
    /// It cannot be parsed: move it to the error folder (it is recorded for agents).
    Unparseable(String),
}
