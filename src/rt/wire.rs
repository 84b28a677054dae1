//! RT REST 2's JSON as it comes: ids as strings in lists and numbers in a single read, numbers
//! as strings, unset dates as `1970-01-01T00:00:00Z`, the requestor key singular.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer};

/// A link to another record (`{"id": "root", "type": "user", "_url": …}`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Link {
    /// The record's id or name (a user's name, a queue's id).
    #[serde(deserialize_with = "text")]
    pub id: String,
    /// `user`, `queue`, `ticket`, …
    #[serde(rename = "type", default)]
    pub kind: String,
    /// Expanded fields asked for with `fields[Queue]=Name`.
    #[serde(rename = "Name", default)]
    pub name: Option<String>,
}

/// A custom field on a ticket with its values.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CustomFieldValues {
    /// The field's id.
    #[serde(deserialize_with = "text")]
    pub id: String,
    /// The field's name.
    pub name: String,
    /// Its values (one for a single-value select).
    #[serde(default)]
    pub values: Vec<String>,
}

/// A ticket as `GET /ticket/N` or a list with `fields=` gives it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Ticket {
    /// The ticket id.
    #[serde(deserialize_with = "number")]
    pub id: u64,
    /// Subject.
    #[serde(rename = "Subject", default)]
    pub subject: String,
    /// RT status (`new`, `open`, `stalled`, …).
    #[serde(rename = "Status", default)]
    pub status: String,
    /// Owner (`Nobody` when none).
    #[serde(rename = "Owner", default)]
    pub owner: Option<Link>,
    /// Queue.
    #[serde(rename = "Queue", default)]
    pub queue: Option<Link>,
    /// Requestors (the key is singular).
    #[serde(rename = "Requestor", default)]
    pub requestors: Vec<Link>,
    /// Numeric priority.
    #[serde(rename = "Priority", default, deserialize_with = "optional_number")]
    pub priority: Option<u64>,
    /// Custom fields and their values.
    #[serde(rename = "CustomFields", default)]
    pub custom_fields: Vec<CustomFieldValues>,
    /// RT's own due date, when set.
    #[serde(rename = "Due", default, deserialize_with = "date")]
    pub due: Option<DateTime<Utc>>,
    /// Created.
    #[serde(rename = "Created", default, deserialize_with = "date")]
    pub created: Option<DateTime<Utc>>,
    /// Last updated.
    #[serde(rename = "LastUpdated", default, deserialize_with = "date")]
    pub last_updated: Option<DateTime<Utc>>,
    /// Resolved, when it was.
    #[serde(rename = "Resolved", default, deserialize_with = "date")]
    pub resolved: Option<DateTime<Utc>>,
    /// The SLA level RT applies, when configured.
    #[serde(rename = "SLA", default)]
    pub sla: Option<String>,
}

impl Ticket {
    /// The values of the custom field `name` (none when the ticket lacks it).
    pub fn field(&self, name: &str) -> &[String] {
        self.custom_fields
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
            .map_or(&[], |f| f.values.as_slice())
    }

    /// The owner's name, `None` for `Nobody`.
    pub fn owner_name(&self) -> Option<&str> {
        self.owner
            .as_ref()
            .map(|o| o.id.as_str())
            .filter(|o| *o != "Nobody")
    }
}

/// A transaction of a ticket's history.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Transaction {
    /// The transaction id (RT's ETag of the ticket is its newest transaction's id).
    #[serde(deserialize_with = "number")]
    pub id: u64,
    /// `Create`, `Correspond`, `Comment`, `Status`, `Set`, `CustomField`, `Take`, …
    #[serde(rename = "Type", default)]
    pub kind: String,
    /// The field a `Set` changed.
    #[serde(rename = "Field", default)]
    pub field: String,
    /// The old value.
    #[serde(rename = "OldValue", default)]
    pub old_value: String,
    /// The new value.
    #[serde(rename = "NewValue", default)]
    pub new_value: String,
    /// Free data (a comment's subject, a mail's message id).
    #[serde(rename = "Data", default)]
    pub data: String,
    /// When.
    #[serde(rename = "Created", default, deserialize_with = "date")]
    pub created: Option<DateTime<Utc>>,
    /// Who.
    #[serde(rename = "Creator", default)]
    pub creator: Option<Link>,
    /// The ticket, in `/transactions` searches.
    #[serde(rename = "ObjectId", default, deserialize_with = "optional_number")]
    pub object_id: Option<u64>,
}

/// A MIME part of a transaction (`/ticket/N/attachments?fields=…`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Part {
    /// The attachment id.
    #[serde(deserialize_with = "number")]
    pub id: u64,
    /// The transaction it belongs to.
    #[serde(
        rename = "TransactionId",
        default,
        deserialize_with = "optional_link_number"
    )]
    pub transaction: Option<u64>,
    /// Its MIME type.
    #[serde(rename = "ContentType", default)]
    pub content_type: String,
    /// Its text (plain in collections).
    #[serde(rename = "Content", default)]
    pub content: String,
    /// Its file name, for a file.
    #[serde(rename = "Filename", default)]
    pub filename: String,
}

/// A page of a collection.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Collection<T> {
    /// The rows.
    #[serde(default = "Vec::new")]
    pub items: Vec<T>,
    /// Rows over all pages.
    #[serde(default, deserialize_with = "optional_number")]
    pub total: Option<u64>,
    /// This page.
    #[serde(default, deserialize_with = "optional_number")]
    pub page: Option<u64>,
    /// Pages (RT sends `0.0` for none).
    #[serde(default, deserialize_with = "optional_number")]
    pub pages: Option<u64>,
}

/// A user (`GET /user/NAME`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct User {
    /// Login name.
    #[serde(rename = "Name", default)]
    pub name: String,
    /// Real name.
    #[serde(rename = "RealName", default)]
    pub real_name: String,
    /// E-mail.
    #[serde(rename = "EmailAddress", default)]
    pub email: String,
    /// Whether an agent (`1`) or an end user (`0`, `""`).
    #[serde(rename = "Privileged", default, deserialize_with = "optional_number")]
    pub privileged: Option<u64>,
}

/// A text that may come as a JSON string or number.
fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::String(s) => s,
        other => other.to_string(),
    })
}

/// A non-negative integer that may come as a string (`"41"`), a number, or a float (`0.0`).
fn optional_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::Number(n) => n.as_u64().or_else(|| n.as_f64().map(|f| f as u64)),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

/// A required integer id.
fn number<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    optional_number(d)?.ok_or_else(|| serde::de::Error::custom("expected a numeric id"))
}

/// An id given as a number or as a link object (`{"id": "43", …}`).
fn optional_link_number<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    Ok(match serde_json::Value::deserialize(d)? {
        serde_json::Value::Object(o) => o.get("id").and_then(|v| match v {
            serde_json::Value::Number(n) => n.as_u64(),
            serde_json::Value::String(s) => s.parse().ok(),
            _ => None,
        }),
        serde_json::Value::Number(n) => n.as_u64(),
        serde_json::Value::String(s) => s.parse().ok(),
        _ => None,
    })
}

/// An RT date: ISO-8601 UTC; RT's "unset" (`1970-01-01T00:00:00Z`) and empty read as `None`.
fn date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    let Some(text) = Option::<String>::deserialize(d)? else {
        return Ok(None);
    };
    if text.is_empty() || text.starts_with("1970-01-01") {
        return Ok(None);
    }
    DateTime::parse_from_rfc3339(&text)
        .map(|t| Some(t.with_timezone(&Utc)))
        .map_err(|e| serde::de::Error::custom(format!("date {text:?}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_real_ticket_reads_with_rts_quirks() {
        let t: Ticket = serde_json::from_str(
            r#"{"id":1,"Subject":"Link down","Status":"open","Priority":"60",
                "Owner":{"id":"Nobody","type":"user","_url":"x"},
                "Requestor":[{"id":"alice@example.test","type":"user","_url":"x"}],
                "CustomFields":[{"id":"2","name":"Severity","values":["P2"],"type":"customfield","_url":"x"}],
                "Due":"1970-01-01T00:00:00Z","Created":"2026-11-26T19:20:32Z",
                "LastUpdated":"2026-11-26T19:20:32Z"}"#,
        )
        .unwrap();
        assert_eq!(t.id, 1);
        assert_eq!(t.priority, Some(60));
        assert_eq!(t.owner_name(), None);
        assert_eq!(t.due, None);
        assert_eq!(t.field("severity"), ["P2".to_string()]);
        let listed: Collection<Ticket> =
            serde_json::from_str(r#"{"items":[{"id":"7"}],"total":1,"pages":0.0}"#).unwrap();
        assert_eq!(listed.items[0].id, 7);
        assert_eq!(listed.pages, Some(0));
    }
}
