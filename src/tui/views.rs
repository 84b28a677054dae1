//! Saved views of the queue, switched by number keys: seven defaults, and a team's own from the
//! config's `[tui.views.N]` tables.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::text::Lang;
use crate::api::CaseSummary;
use crate::api::query::{Sort, SortColumn};
use crate::config::ViewFile;
use crate::domain::{Priority, Status};
use crate::sla::SlaDuration;

/// Whose cases a view shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OwnerFilter {
    /// The signed-in person's.
    Me,
    /// Nobody's.
    Unassigned,
    /// This person's.
    Person(String),
}

/// One saved view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    /// The number key that shows it.
    pub key: u8,
    /// Its name.
    pub name: String,
    /// Whose cases.
    pub owner: Option<OwnerFilter>,
    /// Any of these statuses; empty means the open ones (or all with `all`).
    pub statuses: Vec<Status>,
    /// Any of these priorities; empty means any.
    pub priorities: Vec<Priority>,
    /// Next deadline within this many seconds, or breached.
    pub due_within: Option<i64>,
    /// Only cases with a desk deadline (counting or breached), not the ones with no target.
    pub deadline: bool,
    /// Only cases with an open escalation.
    pub escalated: bool,
    /// Resolved and closed too.
    pub all: bool,
    /// The sort it starts with.
    pub sort: Sort,
}

impl View {
    fn new(key: u8, name: &str) -> View {
        View {
            key,
            name: name.to_string(),
            owner: None,
            statuses: Vec::new(),
            priorities: Vec::new(),
            due_within: None,
            deadline: false,
            escalated: false,
            all: false,
            sort: Sort::default(),
        }
    }

    /// Whether a case belongs in the view for `me` at `now`.
    pub fn matches(&self, c: &CaseSummary, me: Option<&str>, now: DateTime<Utc>) -> bool {
        let status_ok = if self.statuses.is_empty() {
            self.all || c.status.is_open()
        } else {
            self.statuses.contains(&c.status)
        };
        let owner_ok = match &self.owner {
            None => true,
            Some(OwnerFilter::Me) => me.is_some() && c.owner.as_deref() == me,
            Some(OwnerFilter::Unassigned) => c.owner.is_none(),
            Some(OwnerFilter::Person(p)) => c.owner.as_deref() == Some(p.as_str()),
        };
        let due_ok = self.due_within.is_none_or(|within| {
            c.breached
                || c.next_due
                    .is_some_and(|due| (due - now).num_seconds() <= within)
        });
        status_ok
            && owner_ok
            && due_ok
            && (!self.deadline || c.breached || c.next_due.is_some())
            && (self.priorities.is_empty() || self.priorities.contains(&c.priority))
            && (!self.escalated || c.open_escalations > 0)
    }

    /// The seven views every desk starts with, named in English.
    pub fn defaults() -> Vec<View> {
        View::defaults_in(Lang::En)
    }

    /// The seven views every desk starts with, named in `lang`.
    pub fn defaults_in(lang: Lang) -> Vec<View> {
        let names = lang.text().views;
        let mut mine = View::new(1, names[0]);
        mine.owner = Some(OwnerFilter::Me);
        let mut unassigned = View::new(2, names[1]);
        unassigned.owner = Some(OwnerFilter::Unassigned);
        let mut urgent = View::new(3, names[2]);
        urgent.priorities = vec![Priority::P1, Priority::P2];
        // On call, what breaches next comes first; the breached follow as their own group.
        let mut breaching = View::new(4, names[3]);
        breaching.deadline = true;
        breaching.sort = Sort {
            column: SortColumn::Breaching,
            desc: false,
        };
        let mut waiting = View::new(5, names[4]);
        waiting.statuses = vec![Status::WaitingOnCustomer];
        let mut escalated = View::new(6, names[5]);
        escalated.escalated = true;
        let all_open = View::new(7, names[6]);
        vec![
            mine, unassigned, urgent, breaching, waiting, escalated, all_open,
        ]
    }

    /// The defaults (named in `lang`) with the config's views over them, by number.
    pub fn configured(files: &BTreeMap<String, ViewFile>, lang: Lang) -> Result<Vec<View>, String> {
        let mut views = View::defaults_in(lang);
        for (key, file) in files {
            let n: u8 = key
                .parse()
                .ok()
                .filter(|n| (1..=9).contains(n))
                .ok_or_else(|| {
                    format!("[tui.views.{key}]: a view is named by its number key, 1 to 9")
                })?;
            let view = View::from_file(n, file).map_err(|e| format!("[tui.views.{key}] {e}"))?;
            views.retain(|v| v.key != n);
            views.push(view);
        }
        views.sort_by_key(|v| v.key);
        Ok(views)
    }

    fn from_file(key: u8, file: &ViewFile) -> Result<View, String> {
        let mut view = View::new(key, &file.name);
        view.owner = file.owner.as_deref().map(|o| match o {
            "me" => OwnerFilter::Me,
            "none" | "" => OwnerFilter::Unassigned,
            person => OwnerFilter::Person(person.to_string()),
        });
        view.statuses = file
            .status
            .iter()
            .map(|s| s.parse::<Status>().map_err(|e| e.for_flag("status")))
            .collect::<Result<_, _>>()?;
        view.priorities = file
            .priority
            .iter()
            .map(|s| s.parse::<Priority>().map_err(|e| e.for_flag("priority")))
            .collect::<Result<_, _>>()?;
        view.due_within = file
            .due_within
            .as_deref()
            .map(|d| {
                d.parse::<SlaDuration>()
                    // A business day counts as 8 hours here: a view is a rough cut, not a clock.
                    .map(|d| d.seconds(8 * 3600))
                    .map_err(|e| format!("due_within: {e}"))
            })
            .transpose()?;
        view.escalated = file.escalated;
        view.all = file.all;
        if let Some(sort) = &file.sort {
            view.sort = sort
                .parse()
                .map_err(|e: crate::domain::ParseError| e.for_flag("sort"))?;
        }
        Ok(view)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_adds_and_replaces_views_and_names_bad_values() {
        let mut files = BTreeMap::new();
        files.insert(
            "8".to_string(),
            ViewFile {
                name: "Night shift P1".into(),
                priority: vec!["P1".into()],
                due_within: Some("2h".into()),
                ..ViewFile::default()
            },
        );
        files.insert(
            "1".to_string(),
            ViewFile {
                name: "Mine, all".into(),
                owner: Some("me".into()),
                all: true,
                ..ViewFile::default()
            },
        );
        let views = View::configured(&files, Lang::En).unwrap();
        assert_eq!(views.len(), 8);
        assert_eq!(views[0].name, "Mine, all");
        assert_eq!(views[7].due_within, Some(7200));

        let bad = BTreeMap::from([(
            "3".to_string(),
            ViewFile {
                name: "x".into(),
                priority: vec!["P9".into()],
                ..ViewFile::default()
            },
        )]);
        let err = View::configured(&bad, Lang::En).unwrap_err();
        assert!(
            err.contains("[tui.views.3]") && err.contains("P1, P2, P3 or P4"),
            "{err}"
        );
        let bad_key = BTreeMap::from([("0".to_string(), ViewFile::default())]);
        assert!(
            View::configured(&bad_key, Lang::En)
                .unwrap_err()
                .contains("1 to 9")
        );
    }
    #[test]
    fn view_4_is_what_breaches_next_then_the_breached_without_the_no_target() {
        let now: DateTime<Utc> = "2026-11-24T05:00:00Z".parse().unwrap();
        let case = |n: u32, next_due: Option<i64>, breached: bool| -> CaseSummary {
            serde_json::from_value(serde_json::json!({
                "number": format!("2026-1124-{n:06}"), "subject": "s", "priority": "P2",
                "status": "open", "owner": null, "tier": "tac-care", "channel": "web",
                "request_type": "technical_support", "site_name": "", "site_id": "",
                "account": "", "contact_name": "", "product": "", "platform": "",
                "serial_number": null, "created_at": "2026-11-20T01:00:00Z",
                "updated_at": "2026-11-24T01:00:00Z",
                "next_due": next_due.map(|m| now + chrono::Duration::minutes(m)),
                "breached": breached, "temporarily_downgraded": false,
                "open_escalations": 0, "version": 1
            }))
            .unwrap()
        };
        let desk = [
            case(1, Some(-600), true),
            case(2, Some(-15), true),
            case(3, Some(5), false),
            case(4, None, false),
            case(5, Some(3 * 24 * 60), false),
            case(6, Some(45), false),
        ];
        let view = View::defaults().remove(3);
        assert_eq!(view.key, 4);
        assert_eq!(view.name, "Breaching next");
        let mut shown: Vec<&CaseSummary> =
            desk.iter().filter(|c| view.matches(c, None, now)).collect();
        shown.sort_by(|a, b| view.sort.compare(a, b));
        let order: Vec<u32> = shown
            .iter()
            .map(|c| c.number.to_string()[10..].parse().unwrap())
            .collect();
        // Due in 5 minutes is the first row, not behind the breached.
        assert_eq!(order, [3, 6, 5, 1, 2]);
    }
}
