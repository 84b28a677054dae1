//! The case list's sort order (SPEC §2.9), shared by the server (in SQL) and the client (over
//! its cache), so a list sorts the same online and offline.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::types::CaseSummary;
use crate::domain::{ParseError, Priority, Status};

/// A column of the case list to sort by (SPEC §2.9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SortColumn {
    /// The next SLA deadline, most overdue first; then the open cases with no desk deadline
    /// (no target), by priority then age; then the resolved and closed.
    #[default]
    NextDue,
    /// What breaches next: the cases not yet breached, soonest first; then the breached, most
    /// overdue first; then the cases without a deadline as for [`SortColumn::NextDue`].
    Breaching,
    /// Case number.
    Number,
    /// Status, in workflow order.
    Status,
    /// Priority, P1 first.
    Priority,
    /// Site name.
    Site,
    /// Contact name.
    Contact,
    /// Last updated.
    Updated,
    /// Opened.
    Created,
    /// Platform.
    Platform,
    /// Owner.
    Owner,
    /// Subject.
    Subject,
    /// Contract tier.
    Tier,
}

impl SortColumn {
    /// Every column, in the queue's order.
    pub const ALL: [SortColumn; 13] = [
        SortColumn::NextDue,
        SortColumn::Breaching,
        SortColumn::Number,
        SortColumn::Status,
        SortColumn::Priority,
        SortColumn::Site,
        SortColumn::Contact,
        SortColumn::Updated,
        SortColumn::Created,
        SortColumn::Platform,
        SortColumn::Owner,
        SortColumn::Subject,
        SortColumn::Tier,
    ];

    /// The names, as an error message lists them.
    pub const NAMES: &'static str = "next_due, breaching, number, status, priority, site, contact, updated, created, platform, owner, subject or tier";

    /// The wire word.
    pub fn as_str(self) -> &'static str {
        match self {
            SortColumn::NextDue => "next_due",
            SortColumn::Breaching => "breaching",
            SortColumn::Number => "number",
            SortColumn::Status => "status",
            SortColumn::Priority => "priority",
            SortColumn::Site => "site",
            SortColumn::Contact => "contact",
            SortColumn::Updated => "updated",
            SortColumn::Created => "created",
            SortColumn::Platform => "platform",
            SortColumn::Owner => "owner",
            SortColumn::Subject => "subject",
            SortColumn::Tier => "tier",
        }
    }

    /// Compares two cases by this column, ascending; a missing value (no desk clock counting,
    /// no owner) is `None`: [`SortColumn::group`] has already put it last in both directions.
    fn key_cmp(self, a: &CaseSummary, b: &CaseSummary) -> Option<Ordering> {
        let nocase = |x: &str, y: &str| {
            Some(
                x.bytes()
                    .map(|c| c.to_ascii_lowercase())
                    .cmp(y.bytes().map(|c| c.to_ascii_lowercase())),
            )
        };
        match self {
            SortColumn::NextDue | SortColumn::Breaching => Some(a.next_due?.cmp(&b.next_due?)),
            SortColumn::Number => Some(a.number.cmp(&b.number)),
            SortColumn::Status => Some(a.status.cmp(&b.status)),
            SortColumn::Priority => Some(a.priority.cmp(&b.priority)),
            SortColumn::Site => nocase(&a.site_name, &b.site_name),
            SortColumn::Contact => nocase(&a.contact_name, &b.contact_name),
            SortColumn::Updated => Some(a.updated_at.cmp(&b.updated_at)),
            SortColumn::Created => Some(a.created_at.cmp(&b.created_at)),
            SortColumn::Platform => nocase(&a.platform, &b.platform),
            SortColumn::Owner => nocase(a.owner.as_deref()?, b.owner.as_deref()?),
            SortColumn::Subject => nocase(&a.subject, &b.subject),
            SortColumn::Tier => Some(a.tier.as_str().cmp(b.tier.as_str())),
        }
    }

    /// The group a case sorts in before its value, the same in both directions: the cases
    /// without a value last. For the deadline columns: with a deadline (for `Breaching`, the
    /// not yet breached before the breached), then open without one (no target), then
    /// resolved or closed. The server's SQL is [`SortColumn::group_sql`]'s.
    pub fn group(self, c: &CaseSummary) -> u8 {
        match self {
            SortColumn::NextDue | SortColumn::Breaching => match c.next_due {
                None if c.status.is_open() => 2,
                None => 3,
                Some(_) if self == SortColumn::Breaching && c.breached => 1,
                Some(_) => 0,
            },
            SortColumn::Owner => u8::from(c.owner.is_none()),
            _ => 0,
        }
    }

    /// [`SortColumn::group`] as SQL over the `cases` table; none for a column with one group.
    pub fn group_sql(self) -> Option<&'static str> {
        match self {
            SortColumn::NextDue => Some(
                "CASE WHEN next_due IS NOT NULL THEN 0 \
                 WHEN status NOT IN ('resolved', 'closed') THEN 2 ELSE 3 END",
            ),
            SortColumn::Breaching => Some(
                "CASE WHEN next_due IS NOT NULL THEN breached <> 0 \
                 WHEN status NOT IN ('resolved', 'closed') THEN 2 ELSE 3 END",
            ),
            SortColumn::Owner => Some("owner IS NULL"),
            _ => None,
        }
    }

    /// Whether equal values then go by priority and age (oldest first) in both directions, so
    /// that among the cases without a deadline a P1 comes first, not last.
    pub fn by_priority_then_age(self) -> bool {
        matches!(self, SortColumn::NextDue | SortColumn::Breaching)
    }
}

/// Which cases a list shows: by status (default: the open ones), priority and owner.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseFilter {
    /// Any of these statuses; empty means the open ones (or every one with `all`).
    pub statuses: Vec<Status>,
    /// Any of these priorities; empty means any.
    pub priorities: Vec<Priority>,
    /// This owner only; empty for the unassigned cases, as the server reads `owner=`.
    pub owner: Option<String>,
    /// Every status, closed ones too, when `statuses` is empty.
    pub all: bool,
}

impl CaseFilter {
    /// Whether a case passes.
    pub fn matches(&self, c: &CaseSummary) -> bool {
        let status_ok = if self.statuses.is_empty() {
            self.all || c.status.is_open()
        } else {
            self.statuses.contains(&c.status)
        };
        status_ok
            && (self.priorities.is_empty() || self.priorities.contains(&c.priority))
            && self.owner.as_deref().is_none_or(|o| owned_by(c, o))
    }

    /// The filter as `/v1/cases` query parameters.
    pub fn to_query(&self) -> String {
        let join = |items: Vec<&str>| items.join(",");
        let mut q = form_urlencoded::Serializer::new(String::new());
        if !self.statuses.is_empty() {
            q.append_pair(
                "status",
                &join(self.statuses.iter().map(|s| s.as_str()).collect()),
            );
        } else if !self.all {
            q.append_pair("open", "true");
        }
        if !self.priorities.is_empty() {
            q.append_pair(
                "priority",
                &join(self.priorities.iter().map(|p| p.as_str()).collect()),
            );
        }
        if let Some(owner) = &self.owner {
            q.append_pair("owner", owner);
        }
        q.finish()
    }
}

/// Whether `owner` owns a case; the empty name is nobody, as the server reads `owner=`.
pub fn owned_by(c: &CaseSummary, owner: &str) -> bool {
    match owner {
        "" => c.owner.is_none(),
        o => c.owner.as_deref() == Some(o),
    }
}

/// Whether a case matches a filter text: its number (with or without dashes), subject, site,
/// site ID, contact, serial or owner contains it, ignoring ASCII case; Japanese matches as
/// substrings.
pub fn text_matches(c: &CaseSummary, needle: &str) -> bool {
    let needle = needle.trim();
    if needle.is_empty() {
        return true;
    }
    let lower = needle.to_lowercase();
    let digits: String = needle.chars().filter(|ch| *ch != '-').collect();
    let number = c.number.to_string();
    (!digits.is_empty()
        && digits.chars().all(|ch| ch.is_ascii_digit())
        && number.replace('-', "").contains(&digits))
        || [
            Some(c.subject.as_str()),
            Some(c.site_name.as_str()),
            Some(c.site_id.as_str()),
            Some(c.contact_name.as_str()),
            c.serial_number.as_deref(),
            c.owner.as_deref(),
            Some(number.as_str()),
        ]
        .into_iter()
        .flatten()
        .any(|field| field.to_lowercase().contains(&lower))
}

/// A sort: a column and a direction, written `updated` or `updated:desc`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Sort {
    /// The column.
    pub column: SortColumn,
    /// Descending.
    pub desc: bool,
}

impl Sort {
    /// The order of two cases under this sort: its groups in both directions (missing values
    /// last), the value in the sort's direction, for the deadline columns priority then age,
    /// the case number breaking ties — the order the server's SQL gives.
    pub fn compare(self, a: &CaseSummary, b: &CaseSummary) -> Ordering {
        let col = self.column;
        let flip = |o: Ordering| if self.desc { o.reverse() } else { o };
        let by_priority_then_age = || {
            if col.by_priority_then_age() {
                (a.priority, a.created_at).cmp(&(b.priority, b.created_at))
            } else {
                Ordering::Equal
            }
        };
        col.group(a)
            .cmp(&col.group(b))
            .then_with(|| flip(col.key_cmp(a, b).unwrap_or(Ordering::Equal)))
            .then_with(by_priority_then_age)
            .then_with(|| flip(a.number.cmp(&b.number)))
    }

    /// As a query value: `updated:desc`.
    pub fn to_query(self) -> String {
        format!(
            "{}:{}",
            self.column.as_str(),
            if self.desc { "desc" } else { "asc" }
        )
    }
}

impl std::str::FromStr for Sort {
    type Err = ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let fail = || ParseError {
            what: "sort",
            input: s.to_string(),
            expected: "a column (next_due, breaching, number, status, priority, site, contact, updated, created, platform, owner, subject or tier), optionally with :asc or :desc",
        };
        let (column, dir) = s.trim().split_once(':').unwrap_or((s.trim(), "asc"));
        let column = SortColumn::ALL
            .into_iter()
            .find(|c| c.as_str() == column)
            .ok_or_else(fail)?;
        let desc = match dir {
            "asc" => false,
            "desc" => true,
            _ => return Err(fail()),
        };
        Ok(Sort { column, desc })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(owner: Option<&str>) -> CaseSummary {
        serde_json::from_value(serde_json::json!({
            "number": "2026-1124-000001", "subject": "s", "priority": "P2",
            "status": "open", "owner": owner, "tier": "tac-care", "channel": "web",
            "request_type": "technical_support", "site_name": "", "site_id": "",
            "account": "", "contact_name": "", "product": "", "platform": "",
            "serial_number": null, "created_at": "2026-11-20T01:00:00Z",
            "updated_at": "2026-11-24T01:00:00Z", "next_due": null,
            "breached": false, "temporarily_downgraded": false,
            "open_escalations": 0, "version": 1
        }))
        .unwrap()
    }

    #[test]
    fn an_empty_owner_filters_the_unassigned_as_the_server_does() {
        let nobody = CaseFilter {
            owner: Some(String::new()),
            ..CaseFilter::default()
        };
        assert!(nobody.matches(&owned(None)));
        assert!(!nobody.matches(&owned(Some("aiko"))));
        let aiko = CaseFilter {
            owner: Some("aiko".into()),
            ..CaseFilter::default()
        };
        assert!(aiko.matches(&owned(Some("aiko"))));
        assert!(!aiko.matches(&owned(None)));
        assert!(!aiko.matches(&owned(Some("ben"))));
        assert!(CaseFilter::default().matches(&owned(None)));
    }
}
