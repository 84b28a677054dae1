//! Who may update a case by mail, what must never be answered automatically (no mail loops),
//! and the rate limit on automatic answers.

use chrono::{DateTime, TimeDelta, Utc};
use rusqlite::Connection;

use super::config::MailConfig;
use super::parse::Incoming;
use crate::server::store::{StoreError, mail_in};

/// Local parts of addresses that only machines send from.
const MACHINE_SENDERS: [&str; 6] = [
    "mailer-daemon",
    "postmaster",
    "noreply",
    "no-reply",
    "do-not-reply",
    "donotreply",
];

/// Why a message is neither applied nor answered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// It came from the desk's own address: answering it would loop.
    #[error("mail from our own address {0}")]
    OwnAddress(String),
    /// A machine sent it (RFC 3834).
    #[error("automatic mail (Auto-Submitted: {0})")]
    AutoSubmitted(String),
    /// A delivery report.
    #[error("a bounce (delivery report)")]
    Bounce,
    /// A mailing list's or bulk message.
    #[error("a list or bulk message")]
    List,
    /// Sent from an address only machines use.
    #[error("mail from the system address {0}")]
    SystemSender(String),
    /// Nobody to answer or credit.
    #[error("mail without a sender address")]
    NoSender,
}

/// Why the message must not be applied to a case or answered, if it must not: mail from the
/// desk itself, from machines, bounces, lists.
pub fn refusal(incoming: &Incoming, config: &MailConfig) -> Option<Refusal> {
    let sender = incoming.from_address.as_deref().unwrap_or("").trim();
    if sender.is_empty() {
        return Some(Refusal::NoSender);
    }
    if own_address(sender, config) {
        return Some(Refusal::OwnAddress(sender.to_string()));
    }
    if let Some(auto) = incoming
        .auto_submitted
        .as_deref()
        .map(str::trim)
        .filter(|a| !a.is_empty() && !a.eq_ignore_ascii_case("no"))
    {
        return Some(Refusal::AutoSubmitted(auto.to_string()));
    }
    if incoming.is_bounce
        || incoming
            .return_path
            .as_deref()
            .is_some_and(|p| p.trim() == "<>")
    {
        return Some(Refusal::Bounce);
    }
    if incoming.is_list {
        return Some(Refusal::List);
    }
    let local = sender.split('@').next().unwrap_or("");
    if MACHINE_SENDERS
        .iter()
        .any(|m| local.eq_ignore_ascii_case(m))
    {
        return Some(Refusal::SystemSender(sender.to_string()));
    }
    None
}

/// Whether `address` is the desk's own (`from`, or the mailbox login when it is an address).
pub fn own_address(address: &str, config: &MailConfig) -> bool {
    let address = address.trim();
    address.eq_ignore_ascii_case(config.from.email.as_ref())
        || (config.user.contains('@') && address.eq_ignore_ascii_case(config.user.trim()))
}

/// Whether `sender` may update a case whose contact is `contact`: the contact's own address,
/// or, when the desk trusts the account's domain, any address of that domain.
pub fn may_update(sender: &str, contact: &str, trust_domain: bool) -> bool {
    let (sender, contact) = (sender.trim(), contact.trim());
    if sender.is_empty() || contact.is_empty() {
        return false;
    }
    if sender.eq_ignore_ascii_case(contact) {
        return true;
    }
    let domain = |a: &str| a.rsplit_once('@').map(|(_, d)| d.to_ascii_lowercase());
    trust_domain && domain(sender).is_some_and(|d| !d.is_empty() && Some(d) == domain(contact))
}

/// Whether one more automatic answer to `sender` stays within `per_hour` in the hour up to
/// `at`.
pub fn answer_allowed(
    conn: &Connection,
    sender: &str,
    per_hour: u32,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let sent = mail_in::answers_since(conn, sender, at - TimeDelta::hours(1))?;
    Ok(sent < i64::from(per_hour))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contact_or_with_trust_the_contacts_domain_may_update() {
        assert!(may_update("Taro@Example.com", "taro@example.com", false));
        assert!(!may_update("hanako@example.com", "taro@example.com", false));
        assert!(may_update("hanako@example.com", "taro@example.com", true));
        assert!(!may_update("x@evil.test", "taro@example.com", true));
        assert!(!may_update("", "", true));
        assert!(!may_update("x@", "y@", true));
    }
}
