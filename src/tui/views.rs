//! Saved views of the queue, switched by number keys: seven defaults, and a team's own from the
//! config's `[tui.views.N]` tables.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::api::CaseSummary;
use crate::api::query::{CaseFilter, Sort, SortColumn, owned_by};
use crate::config::ViewFile;
use crate::domain::{Priority, Status};
use crate::sla::SlaDuration;
use crate::term::text::Lang;

/// One saved view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    /// The number key that shows it.
    pub key: u8,
    /// Its name.
    pub name: String,
    /// Which statuses, priorities and owner, as the case list filters them (one matcher for the
    /// command line, the server's list and the views).
    pub filter: CaseFilter,
    /// Only the signed-in person's cases (nobody's when nobody is signed in).
    pub mine: bool,
    /// Next deadline within this many seconds, or breached
    /// ([`crate::sla::due::breaching_or_due_within`]).
    pub due_within: Option<i64>,
    /// Only cases with a desk deadline (counting or breached), not the ones with no target.
    pub deadline: bool,
    /// Only cases with an open escalation.
    pub escalated: bool,
    /// The sort it starts with.
    pub sort: Sort,
}

impl View {
    fn new(key: u8, name: &str) -> View {
        View {
            key,
            name: name.to_string(),
            filter: CaseFilter::default(),
            mine: false,
            due_within: None,
            deadline: false,
            escalated: false,
            sort: Sort::default(),
        }
    }

    /// Whether a case belongs in the view for `me` at `now`: its [`View::filter`], whose it is,
    /// then the deadline and escalation conditions a list filter does not have.
    pub fn matches(&self, c: &CaseSummary, me: Option<&str>, now: DateTime<Utc>) -> bool {
        let due_ok = self.due_within.is_none_or(|within| {
            crate::sla::due::breaching_or_due_within(c.breached, c.next_due, now, within)
        });
        // An empty name would read as "unassigned"; nobody is signed in as "".
        let mine_ok = || !self.mine || me.is_some_and(|m| !m.is_empty() && owned_by(c, m));
        self.filter.matches(c)
            && mine_ok()
            && due_ok
            && (!self.deadline || c.breached || c.next_due.is_some())
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
        mine.mine = true;
        let mut unassigned = View::new(2, names[1]);
        unassigned.filter.owner = Some(String::new());
        let mut urgent = View::new(3, names[2]);
        urgent.filter.priorities = vec![Priority::P1, Priority::P2];
        // On call, what breaches next comes first; the breached follow as their own group.
        let mut breaching = View::new(4, names[3]);
        breaching.deadline = true;
        breaching.sort = Sort {
            column: SortColumn::Breaching,
            desc: false,
        };
        let mut waiting = View::new(5, names[4]);
        waiting.filter.statuses = vec![Status::WaitingOnCustomer];
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
        match file.owner.as_deref() {
            None => {}
            Some("me") => view.mine = true,
            // The list filter's word for nobody's.
            Some("none" | "") => view.filter.owner = Some(String::new()),
            Some(person) => view.filter.owner = Some(person.to_string()),
        }
        view.filter.statuses = file
            .status
            .iter()
            .map(|s| s.parse::<Status>().map_err(|e| e.for_flag("status")))
            .collect::<Result<_, _>>()?;
        view.filter.priorities = file
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
        view.filter.all = file.all;
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
    /// A case on the desk at 2026-11-24T05:00Z, due `next_due` minutes from then.
    fn summary(
        n: u32,
        status: &str,
        priority: &str,
        owner: Option<&str>,
        next_due: Option<i64>,
        breached: bool,
        open_escalations: u32,
    ) -> CaseSummary {
        let now: DateTime<Utc> = "2026-11-24T05:00:00Z".parse().unwrap();
        serde_json::from_value(serde_json::json!({
            "number": format!("2026-1124-{n:06}"), "subject": "s", "priority": priority,
            "status": status, "owner": owner, "tier": "tac-care", "channel": "web",
            "request_type": "technical_support", "site_name": "", "site_id": "",
            "account": "", "contact_name": "", "product": "", "platform": "",
            "serial_number": null, "created_at": "2026-11-20T01:00:00Z",
            "updated_at": "2026-11-24T01:00:00Z",
            "next_due": next_due.map(|m| now + chrono::Duration::minutes(m)),
            "breached": breached, "temporarily_downgraded": false,
            "open_escalations": open_escalations, "version": 1
        }))
        .unwrap()
    }

    #[test]
    fn every_view_shows_what_its_list_filter_and_conditions_say() {
        let now: DateTime<Utc> = "2026-11-24T05:00:00Z".parse().unwrap();
        let desk = [
            summary(1, "open", "P1", Some("aiko"), Some(30), false, 0),
            summary(2, "new", "P2", None, Some(-10), true, 0),
            summary(3, "waiting_on_customer", "P3", Some("ben"), None, false, 0),
            summary(4, "open", "P4", None, None, false, 1),
            summary(5, "closed", "P1", Some("aiko"), None, false, 0),
            summary(
                6,
                "waiting_on_engineering",
                "P2",
                Some("aiko"),
                Some(600),
                false,
                2,
            ),
        ];
        let shown = |view: &View, me: Option<&str>| -> Vec<u32> {
            desk.iter()
                .filter(|c| view.matches(c, me, now))
                .map(|c| c.number.to_string()[10..].parse().unwrap())
                .collect()
        };
        let views = View::defaults();
        let want: [&[u32]; 7] = [
            &[1, 6],
            &[2, 4],
            &[1, 2, 6],
            &[1, 2, 6],
            &[3],
            &[4, 6],
            &[1, 2, 3, 4, 6],
        ];
        for (view, want) in views.iter().zip(want) {
            assert_eq!(shown(view, Some("aiko")), want, "view {}", view.key);
        }
        assert_eq!(
            shown(&views[0], None),
            [0u32; 0],
            "mine with nobody signed in"
        );
        assert_eq!(
            shown(&views[0], Some("")),
            [0u32; 0],
            "nobody is signed in as ''"
        );
        // The views with no conditions of their own show exactly what their list filter does.
        for view in views
            .iter()
            .filter(|v| !v.mine && !v.deadline && !v.escalated && v.due_within.is_none())
        {
            let by_filter: Vec<u32> = desk
                .iter()
                .filter(|c| view.filter.matches(c))
                .map(|c| c.number.to_string()[10..].parse().unwrap())
                .collect();
            assert_eq!(shown(view, Some("aiko")), by_filter, "view {}", view.key);
        }
        let files = BTreeMap::from([
            (
                "8".to_string(),
                ViewFile {
                    name: "Nobody's, all, due in 1h".into(),
                    owner: Some("none".into()),
                    all: true,
                    due_within: Some("1h".into()),
                    ..ViewFile::default()
                },
            ),
            (
                "9".to_string(),
                ViewFile {
                    name: "Ben's".into(),
                    owner: Some("ben".into()),
                    status: vec!["waiting_on_customer".into()],
                    ..ViewFile::default()
                },
            ),
        ]);
        let views = View::configured(&files, Lang::En).unwrap();
        assert_eq!(shown(&views[7], Some("aiko")), [2]);
        assert_eq!(shown(&views[8], Some("aiko")), [3]);
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
