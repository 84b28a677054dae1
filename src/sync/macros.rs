//! Applying a macro to a case: its text filled from the case (in the contact's language), its
//! changes checked, as the note and the patch that then go through the outbox like any change.
//! Shared by the TUI's picker, `casedesk cases note --macro` and bulk actions. Also the team's
//! macros as the desk holds them: from the server (revalidated with the cached copy's ETag),
//! from the cache offline, merged with the config's personal ones.

use chrono::{DateTime, Utc};

use super::{Desk, DeskError};
use crate::api::{Case, CasePatch, Macro, MacroSet, NewNote};
use crate::cache::PendingChange;
use crate::config::DisplayZone;
use crate::domain::macros::FillError;
use crate::domain::{CaseNumber, ContactLanguage, Priority, RmaStatus, Visibility};
use crate::sla::ClockKind;

/// The cache document holding `GET /v1/macros`.
pub(super) const MACROS: &str = "macros";

/// The API path of the team's macros.
pub(super) const MACROS_PATH: &str = "/v1/macros";

/// What a macro does to one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MacroPlan {
    /// The note, its text filled in (none when the macro's text is empty).
    pub note: Option<NewNote>,
    /// The field changes (none when the macro changes nothing).
    pub patch: Option<CasePatch>,
}

/// A macro planned on a case: its changes in the order they are sent, and the case's version
/// they were planned on.
pub type Planned = (Vec<PendingChange>, i64);

/// Why a macro cannot be applied to a case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MacroRefusal {
    /// A placeholder has no value for the case, or is unknown.
    #[error("macro {name}: {error}")]
    Fill {
        /// The macro.
        name: String,
        /// Which placeholder and why.
        error: FillError,
    },
    /// Its changes are refused by the case's rules (a priority change without a reason, a
    /// status move the workflow does not allow).
    #[error("macro {name}: {why}")]
    Change {
        /// The macro.
        name: String,
        /// The rule's words.
        why: String,
    },
}

/// Plans `m` on `case` for the person `me`, due times shown in `zone`.
///
/// The text is the Japanese one when the case's contact reads Japanese, else the English one
/// (the other when that one is empty). A status or priority the case already has is not
/// changed again; an owner of `me` is the person planning.
pub fn plan(
    m: &Macro,
    case: &Case,
    me: &str,
    zone: &DisplayZone,
) -> Result<MacroPlan, MacroRefusal> {
    let refuse = |why: String| MacroRefusal::Change {
        name: m.name.clone(),
        why,
    };
    let patch = patch(m, case, me).map_err(refuse)?;
    let wants_ja = case.contact_language == Some(ContactLanguage::Ja);
    let text = m.text(wants_ja);
    // The language actually written: the other one when the wanted one's text is empty.
    let wanted = if wants_ja { &m.text_ja } else { &m.text_en };
    let ja = wants_ja != wanted.trim().is_empty();
    let note = if text.trim().is_empty() {
        None
    } else {
        let priority = m.changes.priority.unwrap_or(case.summary.priority);
        let body =
            crate::domain::macros::fill(text, |name| value(name, case, priority, me, *zone, ja))
                .map_err(|error| MacroRefusal::Fill {
                    name: m.name.clone(),
                    error,
                })?;
        Some(NewNote {
            body,
            visibility: m.changes.visibility.unwrap_or(Visibility::Public),
            kind: Default::default(),
            from_customer: false,
        })
    };
    Ok(MacroPlan { note, patch })
}

impl MacroPlan {
    /// The plan as outbox changes, in the order they are sent: the note, then the patch.
    pub fn into_changes(self) -> Vec<PendingChange> {
        self.note
            .map(PendingChange::Note)
            .into_iter()
            .chain(self.patch.map(PendingChange::Patch))
            .collect()
    }
}

/// The field changes of `m` on `case`, checked by the case's rules; `None` when nothing moves.
fn patch(m: &Macro, case: &Case, me: &str) -> Result<Option<CasePatch>, String> {
    let c = &m.changes;
    let mut patch = CasePatch::default();
    if let Some(to) = c.status.filter(|to| *to != case.summary.status) {
        let linked = !case.problem_reports.is_empty();
        crate::domain::change::status(case.summary.status, to, None, linked)
            .map_err(|e| e.to_string())?;
        patch.status = Some(to);
    }
    if let Some(to) = c.priority.filter(|to| *to != case.summary.priority) {
        let reason = crate::domain::change::priority_reason(c.reason.as_deref())
            .map_err(|e| e.to_string())?;
        patch.priority = Some(to);
        patch.reason = Some(reason.to_string());
    }
    if let Some(owner) = &c.owner {
        let owner = match owner.trim() {
            "me" => me.to_string(),
            other => other.to_string(),
        };
        if case.summary.owner.as_deref().unwrap_or("") != owner {
            patch.owner = Some(owner);
        }
    }
    Ok((patch != CasePatch::default()).then_some(patch))
}

/// What placeholder `name` stands for on `case`, in Japanese when `ja`; `None` when the case
/// has no value for it (no RMA yet, no clock due).
fn value(
    name: &str,
    case: &Case,
    priority: Priority,
    me: &str,
    zone: DisplayZone,
    ja: bool,
) -> Option<String> {
    let s = &case.summary;
    match name {
        "case" => Some(s.number.to_string()),
        "subject" => Some(s.subject.clone()),
        "contact" => Some(s.contact_name.clone()),
        "priority" => Some(priority.as_str().to_string()),
        "priority_label" => Some(
            if ja {
                priority.japanese()
            } else {
                priority.label()
            }
            .into(),
        ),
        "first_response_due" => {
            due(case, ClockKind::FirstResponse, false).map(|t| instant(t, zone, ja))
        }
        "next_update_due" => due(case, ClockKind::Update, false)
            .or_else(|| due(case, ClockKind::FirstResponse, true))
            .map(|t| instant(t, zone, ja)),
        "rma" => newest_rma(case).map(|r| r.number.to_string()),
        "return_due" => newest_rma(case)
            .and_then(|r| r.return_due)
            .map(|t| day(t, zone, ja)),
        "me" => Some(me.to_string()),
        _ => None,
    }
}

/// The due instant of the case's clock of `kind`, if it has one; with `counting`, only while
/// that clock counts (a first response already given is not "next").
fn due(case: &Case, kind: ClockKind, counting: bool) -> Option<DateTime<Utc>> {
    case.clocks
        .clocks
        .iter()
        .find(|c| c.kind == kind && (c.counting || !counting))
        .and_then(|c| c.due)
}

/// The newest RMA of the case that was not cancelled.
fn newest_rma(case: &Case) -> Option<&crate::api::Rma> {
    case.rmas
        .iter()
        .filter(|r| r.status != RmaStatus::Cancelled)
        .max_by_key(|r| r.created_at)
}

/// An instant for the customer: `2026-11-26 14:00 JST`, `2026年11月26日 14:00 JST`.
fn instant(t: DateTime<Utc>, zone: DisplayZone, ja: bool) -> String {
    zone.format(
        t,
        if ja {
            "%Y年%-m月%-d日 %H:%M %Z"
        } else {
            "%Y-%m-%d %H:%M %Z"
        },
    )
}

/// A day for the customer: `2026-12-10`, `2026年12月10日`.
fn day(t: DateTime<Utc>, zone: DisplayZone, ja: bool) -> String {
    zone.format(t, if ja { "%Y年%-m月%-d日" } else { "%Y-%m-%d" })
}

/// A macro as the desk knows it: the team's, or a personal one from the config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownMacro {
    /// The macro.
    pub def: Macro,
    /// Whether it comes from the config's `[[macros]]` (hiding the team's of the same name).
    pub personal: bool,
}

/// The team's macros with `personal` ones over those of the same name, sorted by name.
pub fn merge(team: Vec<Macro>, personal: &[Macro]) -> Vec<KnownMacro> {
    let mut all: Vec<KnownMacro> = personal
        .iter()
        .map(|m| KnownMacro {
            def: m.clone(),
            personal: true,
        })
        .collect();
    all.extend(
        team.into_iter()
            .filter(|t| !personal.iter().any(|p| p.name == t.name))
            .map(|def| KnownMacro {
                def,
                personal: false,
            }),
    );
    all.sort_by(|a, b| a.def.name.cmp(&b.def.name));
    all
}

impl Desk {
    /// The team's macros: revalidated with the server (when it answers) into the cache, then
    /// read from it; empty when never learnt.
    pub async fn team_macros(&self) -> Result<Vec<Macro>, DeskError> {
        if self.has_server() {
            match self.refresh_macros().await {
                Ok(()) => {}
                // Offline: the set as last cached.
                Err(e) if e.is_unreachable() => {}
                Err(e) => return Err(e),
            }
        }
        self.cached_team_macros()
    }

    /// Keeps `set` (with its ETag) as the team's macros, as the server answered a write.
    pub fn cache_team_macros(&self, set: &MacroSet, etag: Option<&str>) -> Result<(), DeskError> {
        self.cache().put_document(MACROS, set, etag, Utc::now())?;
        Ok(())
    }

    /// The team's macros as last cached, without asking the server.
    pub fn cached_team_macros(&self) -> Result<Vec<Macro>, DeskError> {
        Ok(self
            .cache()
            .document::<MacroSet>(MACROS)?
            .map(|(s, _)| s.macros)
            .unwrap_or_default())
    }

    /// Plans `m` on case `number` as the server has it now (the cached detail revalidated;
    /// as cached when the server does not answer): the changes to submit, in order, and the
    /// version they are made against. A refusal (a placeholder without a value, a change the
    /// case's rules refuse) comes before anything is queued.
    pub async fn plan_macro(
        &self,
        m: &Macro,
        number: &CaseNumber,
        me: &str,
        zone: &DisplayZone,
    ) -> Result<Result<Planned, MacroRefusal>, DeskError> {
        self.revalidate_detail(number).await?;
        self.plan_cached_macro(m, number, me, zone)
    }

    /// [`Desk::plan_macro`] on the cached detail, without asking the server.
    pub(super) fn plan_cached_macro(
        &self,
        m: &Macro,
        number: &CaseNumber,
        me: &str,
        zone: &DisplayZone,
    ) -> Result<Result<Planned, MacroRefusal>, DeskError> {
        let case = self
            .cache()
            .detail(number)?
            .ok_or_else(|| {
                DeskError::NotCached(format!(
                    "case {number} is not in the cache and the server cannot be reached: nothing was queued"
                ))
            })?
            .case;
        Ok(plan(m, &case, me, zone).map(|p| (p.into_changes(), case.summary.version)))
    }

    /// Every macro known: the team's ([`Desk::team_macros`]) and the config's `personal`
    /// ones, which hide the team's of the same name; sorted by name.
    pub async fn macros(&self, personal: &[Macro]) -> Result<Vec<KnownMacro>, DeskError> {
        Ok(merge(self.team_macros().await?, personal))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::MacroChanges;
    use crate::domain::Status;

    /// An open P1 case for Taro in Tokyo: first response due 05:00 UTC, an issued RMA.
    fn case(language: &str, rmas: serde_json::Value) -> Case {
        let clock = |kind: &str, due: &str, counting: bool| {
            serde_json::json!({
                "kind": kind, "state": "running", "target": "1h 24x7", "calendar": "24x7",
                "started_at": "2026-11-26T04:00:00Z", "due": due, "met_at": null,
                "remaining_secs": 3600, "remaining_working_secs": 3600, "counting": counting,
                "earlier_breaches": 0,
            })
        };
        let json = serde_json::json!({
            "number": "2026-1126-000101",
            "subject": "BGP flaps", "priority": "P1", "status": "open", "owner": null,
            "tier": "tac-care", "channel": "web", "request_type": "technical_support",
            "site_name": "Tokyo", "site_id": "S-1", "account": "A", "contact_name": "山田 太郎",
            "product": "X", "platform": "Linux", "serial_number": "FTX1234",
            "created_at": "2026-11-26T04:00:00Z", "updated_at": "2026-11-26T04:00:00Z",
            "next_due": null, "breached": false, "temporarily_downgraded": false,
            "open_escalations": 0, "version": 3,
        });
        let detail = serde_json::json!({
            "description": "", "software_version": "", "contact_email": "",
            "contact_phone": "", "preferred_contact": "phone", "user_type": "business_user",
            "contact_language": language,
            "problem_reports": [], "attachments": [], "entitlement": null,
            "unentitled": false, "close_reason": null, "notes": [], "history": [],
            "escalations": [], "rmas": rmas,
            "clocks": {"at": "2026-11-26T04:00:00Z", "clocks": [
                clock("first_response", "2026-11-26T05:00:00Z", true),
                clock("update", "2026-11-26T08:30:00Z", false),
            ], "p1_contact": {
                "failing_since": null, "downgrade_available_at": null,
                "downgrade_available": false, "temporarily_downgraded": false}},
        });
        let mut json = json;
        if let (Some(v), serde_json::Value::Object(d)) = (json.as_object_mut(), detail) {
            v.extend(d);
        }
        serde_json::from_value(json).unwrap()
    }

    fn rma(number: &str, status: &str, created: &str, due: &str) -> serde_json::Value {
        serde_json::json!({
            "number": number, "status": status, "case_number": "2026-1126-000101",
            "account": "A", "serial_number": "FGL1", "part_number": "P-1",
            "analysis": null, "created_at": created,
            "issued_at": created, "return_due": due, "overdue": false,
        })
    }

    fn text(name: &str, en: &str, ja: &str) -> Macro {
        Macro {
            name: name.into(),
            text_en: en.into(),
            text_ja: ja.into(),
            changes: MacroChanges::default(),
        }
    }

    fn tokyo() -> DisplayZone {
        DisplayZone::named("Asia/Tokyo").unwrap()
    }

    fn body(m: &Macro, c: &Case) -> String {
        plan(m, c, "sato", &tokyo()).unwrap().note.unwrap().body
    }

    #[test]
    fn every_placeholder_is_filled_from_the_case_in_english() {
        let c = case(
            "en",
            serde_json::json!([
                rma(
                    "R21000001",
                    "issued",
                    "2026-11-20T00:00:00Z",
                    "2026-12-04T00:00:00Z"
                ),
                rma(
                    "R21000002",
                    "issued",
                    "2026-11-25T00:00:00Z",
                    "2026-12-09T15:00:00Z"
                ),
                rma(
                    "R21000003",
                    "cancelled",
                    "2026-11-26T00:00:00Z",
                    "2026-12-10T00:00:00Z"
                ),
            ]),
        );
        let m = text(
            "all",
            "{case}|{subject}|{contact}|{priority}|{priority_label}|{first_response_due}|{next_update_due}|{rma}|{return_due}|{me}",
            "",
        );
        assert_eq!(
            body(&m, &c),
            "2026-1126-000101|BGP flaps|山田 太郎|P1|Critical|2026-11-26 14:00 JST|2026-11-26 17:30 JST|R21000002|2026-12-10|sato"
        );
    }

    #[test]
    fn a_japanese_contact_gets_the_japanese_text_with_japanese_dates() {
        let c = case(
            "ja",
            serde_json::json!([rma(
                "R21000002",
                "issued",
                "2026-11-25T00:00:00Z",
                "2026-12-09T15:00:00Z"
            )]),
        );
        let m = text(
            "ack",
            "EN {priority_label}",
            "{contact} 様 {priority_label} {first_response_due} {return_due}",
        );
        assert_eq!(
            body(&m, &c),
            "山田 太郎 様 緊急 2026年11月26日 14:00 JST 2026年12月10日"
        );
        // No Japanese text: the English one, with English words.
        let m = text("ack", "EN {priority_label}", "");
        assert_eq!(body(&m, &c), "EN Critical");
        // An English contact and only a Japanese text: that one, in Japanese words.
        let c = case("en", serde_json::json!([]));
        let m = text("ack", " ", "{priority_label}");
        assert_eq!(body(&m, &c), "緊急");
    }

    #[test]
    fn a_missing_rma_is_refused_by_name() {
        let c = case("en", serde_json::json!([]));
        let m = text("rma-issued", "RMA {rma} by {return_due}", "");
        let refusal = plan(&m, &c, "sato", &tokyo()).unwrap_err();
        assert_eq!(
            refusal,
            MacroRefusal::Fill {
                name: "rma-issued".into(),
                error: FillError::Missing("rma".into())
            }
        );
        assert!(
            refusal.to_string().starts_with("macro rma-issued: {rma}"),
            "{refusal}"
        );
    }

    #[test]
    fn changes_become_a_checked_patch() {
        let c = case("en", serde_json::json!([]));
        let mut m = text("resolved", "", "");
        m.changes.status = Some(Status::Resolved);
        m.changes.owner = Some("me".into());
        m.changes.visibility = Some(Visibility::Internal);
        let p = plan(&m, &c, "sato", &tokyo()).unwrap();
        assert_eq!(p.note, None);
        let patch = p.patch.unwrap();
        assert_eq!(
            (patch.status, patch.owner.as_deref()),
            (Some(Status::Resolved), Some("sato"))
        );

        // A status the workflow does not allow from open, named.
        m.changes.status = Some(Status::New);
        let e = plan(&m, &c, "sato", &tokyo()).unwrap_err();
        assert!(matches!(e, MacroRefusal::Change { .. }), "{e}");
        // The status the case already has: nothing to change.
        m.changes = MacroChanges {
            status: Some(Status::Open),
            ..MacroChanges::default()
        };
        assert_eq!(plan(&m, &c, "sato", &tokyo()).unwrap().patch, None);
        // A priority without a reason.
        m.changes = MacroChanges {
            priority: Some(Priority::P2),
            ..MacroChanges::default()
        };
        let e = plan(&m, &c, "sato", &tokyo()).unwrap_err();
        assert!(e.to_string().contains("needs a reason"), "{e}");
        m.changes.reason = Some("impact confirmed with the customer".into());
        m.text_en = "Now {priority} ({priority_label})".into();
        let p = plan(&m, &c, "sato", &tokyo()).unwrap();
        assert_eq!(p.note.unwrap().body, "Now P2 (High)");
        assert_eq!(p.patch.unwrap().priority, Some(Priority::P2));
    }

    #[test]
    fn personal_macros_hide_the_teams_of_the_same_name() {
        let team = vec![text("ack", "team", ""), text("zeta", "z", "")];
        let all = merge(team, &[text("ack", "mine", ""), text("mine", "m", "")]);
        let shown: Vec<(&str, &str, bool)> = all
            .iter()
            .map(|k| (k.def.name.as_str(), k.def.text_en.as_str(), k.personal))
            .collect();
        assert_eq!(
            shown,
            [
                ("ack", "mine", true),
                ("mine", "m", true),
                ("zeta", "z", false)
            ]
        );
    }
}
