//! Writing to RT: changes, notes and escalations against the ticket's ETag (`If-Match`), each
//! applied exactly once even when replayed after a crash.
//!
//! - A change is one `PUT /ticket/N` with `If-Match: "VERSION"` (RT answers 412 when the
//!   ticket moved on), `PUT /ticket/N/steal` after it when RT says a ticket owned by someone
//!   else can only be stolen, and the change's reason as an internal comment. RT answers 200
//!   even when it refused part of a change: the message list is read for refusals, which are
//!   reported in RT's words. What RT has no place for is refused before anything is sent.
//! - A note is a correspond (public: RT mails the requestors) or a comment (internal; calls
//!   and failed contacts with casedesk's marker line first); an escalation a comment with the
//!   escalation marker. RT ignores `If-Match` on these (any value gives 412), so the version
//!   is checked first with `If-None-Match`. RT has no `Idempotency-Key` either: when the
//!   ticket moved on, its history after the version is searched for the same text by the
//!   same user — found, the earlier attempt landed and it is answered instead of posting
//!   twice. The change feed and the outbox stay as for casedesk's server.

use chrono::Utc;
use reqwest::Method;
use serde_json::{Map, Value, json};

use super::http::{etag_number, query, refusal, rejected};
use super::wire::{Collection, Part, Transaction};
use super::{RtClient, history, map};
use crate::api::{
    Case, CasePatch, ClientError, Escalation, Fetched, NewEscalation, NewNote, Note, NoteKind,
};
use crate::config::RtSettings;
use crate::domain::{CaseNumber, EscalationState, Party, Visibility};
use crate::sanitize::clean;

/// What RT says, with 200, when a ticket owned by someone else is given to oneself by a
/// `PUT {"Owner": me}`: the cue to `PUT /ticket/N/steal`.
const ONLY_UNOWNED: &str = "you can only take tickets that are unowned";

/// Refusals in RT's 200 answers about owners that the shared list does not catch (each
/// seen from RT 5.0.3: `PUT {"Owner":"nosuchuser"}`, reassigning another's ticket).
const OWNER_REFUSALS: [&str; 2] = ["does not exist", "you can only reassign"];

/// The HTTP status a refusal of RT's (or of this adapter's) is reported with: the change
/// cannot succeed by being sent again, so the outbox reports it and lets it go.
const REFUSED: u16 = 422;

impl RtClient {
    /// Changes a ticket that is still at `version`.
    pub async fn patch_case(
        &self,
        number: &CaseNumber,
        patch: &CasePatch,
        version: i64,
    ) -> Result<Case, ClientError> {
        let id = ticket_id(number)?;
        let plan = plan_patch(patch, &self.settings)?;
        // The first request carries the version; those after it follow from it.
        let mut if_match = Some(version);
        if !plan.fields.is_empty() {
            let said = self
                .put(
                    &format!("/ticket/{id}"),
                    Value::Object(plan.fields),
                    if_match,
                )
                .await?;
            if_match = None;
            let steal = said.iter().any(|m| m.to_lowercase().contains(ONLY_UNOWNED));
            let others: Vec<String> = said
                .into_iter()
                .filter(|m| !m.to_lowercase().contains(ONLY_UNOWNED))
                .collect();
            check(&others)?;
            if steal {
                let said = self
                    .put(&format!("/ticket/{id}/steal"), json!({}), None)
                    .await?;
                check(&said)?;
            }
        }
        if let Some(text) = plan.comment {
            if if_match.is_some() {
                self.unchanged(id, version).await?;
            }
            self.post(id, "comment", &text).await?;
        } else if if_match.is_some() {
            // Nothing to write: still the version is checked, as casedesk's server does.
            self.unchanged(id, version).await?;
        }
        self.reread(number).await
    }

    /// A public note as a correspond, an internal one as a comment.
    ///
    /// `key` is not sent: RT has no `Idempotency-Key`. The ticket's history after `version`
    /// plays its part (see the module's comment).
    pub async fn add_note(
        &self,
        number: &CaseNumber,
        note: &NewNote,
        version: i64,
        key: &str,
    ) -> Result<Note, ClientError> {
        let _ = key;
        let id = ticket_id(number)?;
        let post = note_post(note)?;
        let landed = self.post_once(id, version, &post).await?;
        Ok(Note {
            id: landed.id as i64,
            author: landed.creator.map(|c| c.id).unwrap_or_default(),
            party: Party::Support,
            visibility: post.visibility,
            kind: note.kind,
            body: note.body.trim().to_string(),
            created_at: landed.created.unwrap_or_else(Utc::now),
            email_from: None,
            mail: None,
            attachments: Vec::new(),
        })
    }

    /// An escalation as a comment with casedesk's marker (and the escalation custom field
    /// set to its kind, when the profile names one).
    pub async fn escalate(
        &self,
        number: &CaseNumber,
        escalation: &NewEscalation,
        version: i64,
        key: &str,
    ) -> Result<Escalation, ClientError> {
        let _ = key;
        let id = ticket_id(number)?;
        let reason = escalation.reason.trim();
        if reason.is_empty() {
            return Err(refused("an escalation needs a reason"));
        }
        let post = Post {
            endpoint: "comment",
            visibility: Visibility::Internal,
            text: escalation_text(escalation),
        };
        let landed = self.post_once(id, version, &post).await?;
        // Also after a replay: the comment may have landed and the field not.
        if let Some(field) = &self.settings.escalation_field {
            let said = self
                .put(
                    &format!("/ticket/{id}"),
                    json!({ "CustomFields": { field: escalation.kind.as_str() } }),
                    None,
                )
                .await?;
            // The comment stands: say so, or the user would think nothing was recorded.
            check(&said).map_err(|e| {
                refused(&format!(
                    "the escalation is recorded on ticket {id} as a comment, but RT did not set its custom field {field}: {}",
                    e.to_string().trim_start_matches("Request Tracker refused: ")
                ))
            })?;
        }
        Ok(Escalation {
            id: landed.id as i64,
            case_number: *number,
            kind: escalation.kind,
            state: EscalationState::Requested,
            reason: reason.to_string(),
            contact_method: escalation.contact_method,
            requested_by: landed.creator.map(|c| c.id).unwrap_or_default(),
            requested_at: landed.created.unwrap_or_else(Utc::now),
            acknowledged_by: None,
            acknowledged_at: None,
            closed_by: None,
            closed_at: None,
            resolution: None,
        })
    }

    /// Posts `post` to ticket `id` once: when the ticket moved on since `version`, the
    /// earlier attempt that landed is answered instead (else a conflict). The transaction it
    /// became.
    async fn post_once(
        &self,
        id: u32,
        version: i64,
        post: &Post,
    ) -> Result<Transaction, ClientError> {
        if let Err(moved) = self.unchanged(id, version).await {
            if !matches!(moved, ClientError::Conflict(_)) || version <= 0 {
                return Err(moved);
            }
            return match self.landed(id, version, post).await? {
                Some(earlier) => Ok(earlier),
                None => Err(moved),
            };
        }
        self.post(id, post.endpoint, &post.text).await?;
        self.landed(id, version, post).await?.ok_or_else(|| {
            self.http.protocol(format!(
                "RT accepted the {} on ticket {id} but its history does not show it",
                post.endpoint
            ))
        })
    }

    /// Ok when ticket `id` is still at `version` (`If-None-Match` answered 304); a conflict
    /// naming both versions when it moved on.
    async fn unchanged(&self, id: u32, version: i64) -> Result<(), ClientError> {
        if version <= 0 {
            // A ticket read from a list only: its version is not known.
            return Err(ClientError::Conflict(format!(
                "ticket {id} has not been read yet; read it again and retry"
            )));
        }
        let tag = format!("\"{version}\"");
        match self
            .http
            .get::<serde::de::IgnoredAny>(&format!("/ticket/{id}"), Some(&tag))
            .await?
        {
            Fetched::NotModified => Ok(()),
            Fetched::Fresh { etag, .. } => {
                let now = etag.as_deref().and_then(etag_number);
                if now == Some(version) {
                    return Ok(());
                }
                Err(ClientError::Conflict(match now {
                    Some(now) => format!("ticket {id} is at version {now}, not {version}"),
                    None => format!("ticket {id} is no longer at version {version}"),
                }))
            }
        }
    }

    /// The newest comment or correspond by this token's user on ticket `id` after `version`
    /// whose text is `post`'s: the note it became.
    async fn landed(
        &self,
        id: u32,
        version: i64,
        post: &Post,
    ) -> Result<Option<Transaction>, ClientError> {
        let Some(me) = self.http.user_id() else {
            return Err(self.http.protocol(
                "the token does not name its RT user (expected VERSION-USERID-SECRET)".into(),
            ));
        };
        let sql = landed_sql(id, version, me, post.endpoint);
        let path = format!(
            "/transactions?{}",
            query(&[
                ("query", &sql),
                ("fields", "Type,Creator,Created,ObjectId"),
                ("orderby", "id"),
                ("order", "DESC"),
                ("per_page", "100"),
            ])
        );
        let found: Collection<Transaction> = self.http.get_value(&path).await?;
        for txn in found.items {
            let parts: Collection<Part> = self
                .http
                .get_value(&format!(
                    "/transaction/{}/attachments?fields=ContentType,Content,TransactionId",
                    txn.id
                ))
                .await?;
            if same_text(&parts.items, &post.text) {
                return Ok(Some(txn));
            }
        }
        Ok(None)
    }

    /// `POST /ticket/N/comment` or `/correspond` with `text`, RT's refusals as errors.
    async fn post(&self, id: u32, endpoint: &str, text: &str) -> Result<(), ClientError> {
        let (said, _): (Vec<String>, _) = self
            .http
            .send(
                Method::POST,
                &format!("/ticket/{id}/{endpoint}"),
                &json!({ "Content": text, "ContentType": "text/plain" }),
                None,
            )
            .await?;
        check(&said)
    }

    /// A `PUT`: RT's message list.
    async fn put(
        &self,
        path: &str,
        body: Value,
        if_match: Option<i64>,
    ) -> Result<Vec<String>, ClientError> {
        let (said, _) = self.http.send(Method::PUT, path, &body, if_match).await?;
        Ok(said)
    }

    /// The ticket as it is now, after a change.
    async fn reread(&self, number: &CaseNumber) -> Result<Case, ClientError> {
        match self.case(number, None).await? {
            Fetched::Fresh { value, .. } => Ok(value),
            Fetched::NotModified => Err(self
                .http
                .protocol(format!("304 for ticket {number} without If-None-Match"))),
        }
    }
}

/// What a casedesk change becomes on RT: the ticket fields for one `PUT`, and the comment
/// recording why.
#[derive(Debug, Clone, PartialEq)]
struct PatchPlan {
    /// `Subject`, `Status`, `Owner`, the priority (custom field or number).
    fields: Map<String, Value>,
    /// The reason, as an internal comment.
    comment: Option<String>,
}

/// Plans `patch` for RT, or refuses it — before anything is sent — when it asks for what
/// RT has no place for.
fn plan_patch(patch: &CasePatch, settings: &RtSettings) -> Result<PatchPlan, ClientError> {
    if patch.description.is_some() {
        return Err(refused(
            "the description of a Request Tracker ticket is its first message and cannot be changed; add a note instead",
        ));
    }
    if patch.tier.is_some() {
        return Err(refused(
            "the contract tier is not changed from casedesk on Request Tracker (it is read from the ticket's tier custom field)",
        ));
    }
    if patch.contact_language.is_some() {
        return Err(refused(
            "Request Tracker mails the requestors itself: the contact's language is not kept on Request Tracker",
        ));
    }
    if !patch.add_problem_reports.is_empty() {
        return Err(refused(
            "problem reports are not available on Request Tracker",
        ));
    }
    let mut fields = Map::new();
    if let Some(subject) = &patch.subject {
        let subject = subject.trim();
        if subject.is_empty() {
            return Err(refused("a ticket needs a subject"));
        }
        fields.insert("Subject".into(), subject.into());
    }
    if let Some(status) = patch.status {
        fields.insert("Status".into(), settings.rt_status(status).into());
    }
    if let Some(p) = patch.priority
        && let Value::Object(set) = map::priority_fields(p, settings)
    {
        fields.extend(set);
    }
    if let Some(owner) = &patch.owner {
        let owner = owner.trim();
        fields.insert(
            "Owner".into(),
            if owner.is_empty() { "Nobody" } else { owner }.into(),
        );
    }
    Ok(PatchPlan {
        fields,
        comment: patch_comment(patch),
    })
}

/// The internal comment recording why a change was made, when the change says why: the
/// reason, a temporary downgrade, a close reason (RT has none of its own).
fn patch_comment(patch: &CasePatch) -> Option<String> {
    let mut what = Vec::new();
    if let Some(p) = patch.priority {
        what.push(if patch.temporary {
            format!("priority {p} (temporary, after failed contact attempts)")
        } else {
            format!("priority {p}")
        });
    }
    if let Some(close) = patch.close_reason {
        what.push(format!("close reason: {}", close.label()));
    }
    let reason = patch
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if reason.is_none() && patch.close_reason.is_none() && !patch.temporary {
        return None;
    }
    let mut text = String::new();
    if !what.is_empty() {
        text.push_str(&format!("casedesk: {}", what.join("; ")));
    }
    if let Some(reason) = reason {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&format!("Reason: {reason}"));
    }
    Some(text)
}

/// A comment or correspond to post.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Post {
    /// `comment` or `correspond`.
    endpoint: &'static str,
    /// How casedesk reads it back.
    visibility: Visibility,
    /// The text as sent, marker line included.
    text: String,
}

/// What a casedesk note becomes: a public note a correspond, an internal one a comment, a
/// call or a failed contact a comment opening with its marker line.
fn note_post(note: &NewNote) -> Result<Post, ClientError> {
    if note.from_customer {
        return Err(refused(
            "the customer's words come to Request Tracker by mail; they are not recorded from casedesk",
        ));
    }
    let body = note.body.trim();
    if body.is_empty() {
        return Err(refused("a note needs text"));
    }
    // Calls and failed contacts are comments whatever the visibility asked: RT would mail a
    // correspond to the requestors, and casedesk reads them back as internal.
    let (endpoint, visibility) = match (note.kind, note.visibility) {
        (NoteKind::Note, Visibility::Public) => ("correspond", Visibility::Public),
        _ => ("comment", Visibility::Internal),
    };
    Ok(Post {
        endpoint,
        visibility,
        text: history::note_text(note.kind, body),
    })
}

/// An escalation's comment: casedesk's marker line, then the reason.
fn escalation_text(e: &NewEscalation) -> String {
    history::escalation_comment(&NewEscalation {
        reason: e.reason.trim().to_string(),
        ..e.clone()
    })
}

/// TransactionSQL for the comments (or corresponds) user `me` made on ticket `id` after
/// transaction `version`.
fn landed_sql(id: u32, version: i64, me: u64, endpoint: &str) -> String {
    let kind = if endpoint == "correspond" {
        "Correspond"
    } else {
        "Comment"
    };
    format!(
        "ObjectType = 'RT::Ticket' AND ObjectId = {id} AND id > {version} AND Creator = {me} AND Type = '{kind}'"
    )
}

/// Whether a transaction's parts carry `text` (its plain-text part, compared without the
/// spaces and line endings mail may change).
fn same_text(parts: &[Part], text: &str) -> bool {
    parts
        .iter()
        .filter(|p| p.content_type.starts_with("text/plain"))
        .any(|p| normalized(&p.content) == normalized(text))
}

/// Text with CRLF as LF, each line's trailing spaces and the whole's outer blank lines gone.
fn normalized(text: &str) -> String {
    text.replace("\r\n", "\n")
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// The RT ticket id of a case number; a casedesk number (`2026-1122-000123`) is no ticket.
fn ticket_id(number: &CaseNumber) -> Result<u32, ClientError> {
    number.ticket_id().ok_or_else(|| {
        ClientError::NotFound(format!(
            "{number} is not a Request Tracker ticket number (expected 1234, #1234 or rt#1234)"
        ))
    })
}

/// Refusals in an RT message list (the shared words, and the owner refusals) as an error in
/// RT's words, in RT's order.
fn check(said: &[String]) -> Result<(), ClientError> {
    let words: Vec<String> = said
        .iter()
        .filter_map(|m| {
            refusal(std::slice::from_ref(m)).or_else(|| {
                let lower = m.to_lowercase();
                OWNER_REFUSALS
                    .iter()
                    .any(|r| lower.contains(r))
                    .then(|| clean(m, true).into_owned())
            })
        })
        .collect();
    if words.is_empty() {
        return Ok(());
    }
    Err(rejected(REFUSED, words.join("; ")))
}

/// A change this adapter refuses before sending, in words saying why.
fn refused(why: &str) -> ClientError {
    rejected(REFUSED, why.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{
        CloseReason, ContactMethod, ContractTier, EscalationKind, Priority, Status,
    };

    fn patch() -> CasePatch {
        CasePatch::default()
    }

    #[test]
    fn a_change_is_one_put_of_rts_fields_and_a_comment_saying_why() {
        let settings = RtSettings::default();
        let plan = plan_patch(
            &CasePatch {
                priority: Some(Priority::P1),
                reason: Some("  site down  ".into()),
                status: Some(Status::WaitingOnCustomer),
                owner: Some("agent1".into()),
                subject: Some(" Link down at Osaka ".into()),
                ..patch()
            },
            &settings,
        )
        .unwrap();
        assert_eq!(
            Value::Object(plan.fields),
            json!({"Subject": "Link down at Osaka", "Status": "stalled",
                   "CustomFields": {"Severity": "P1"}, "Owner": "agent1"})
        );
        assert_eq!(
            plan.comment.as_deref(),
            Some("casedesk: priority P1\nReason: site down")
        );

        let plan = plan_patch(
            &CasePatch {
                owner: Some(String::new()),
                ..patch()
            },
            &settings,
        )
        .unwrap();
        assert_eq!(Value::Object(plan.fields), json!({"Owner": "Nobody"}));
        assert_eq!(plan.comment, None);
    }

    #[test]
    fn closing_writes_rts_status_and_the_close_reason_as_a_comment() {
        let plan = plan_patch(
            &CasePatch {
                status: Some(Status::Closed),
                close_reason: Some(CloseReason::ConfirmedResolved),
                ..patch()
            },
            &RtSettings::default(),
        )
        .unwrap();
        assert_eq!(Value::Object(plan.fields), json!({"Status": "resolved"}));
        assert_eq!(
            plan.comment.as_deref(),
            Some("casedesk: close reason: Confirmed resolved")
        );
    }

    #[test]
    fn without_a_priority_field_the_priority_is_rts_number() {
        let settings = crate::config::RtSettingsFile {
            priority_field: Some(String::new()),
            ..Default::default()
        }
        .settings(vec!["Support".into()])
        .unwrap();
        let plan = plan_patch(
            &CasePatch {
                priority: Some(Priority::P2),
                temporary: true,
                reason: Some("no answer twice".into()),
                ..patch()
            },
            &settings,
        )
        .unwrap();
        assert_eq!(Value::Object(plan.fields), json!({"Priority": 62}));
        assert_eq!(
            plan.comment.as_deref(),
            Some(
                "casedesk: priority P2 (temporary, after failed contact attempts)\nReason: no answer twice"
            )
        );
    }

    #[test]
    fn what_rt_has_no_place_for_is_refused_before_sending() {
        let settings = RtSettings::default();
        for (p, words) in [
            (
                CasePatch {
                    tier: Some(ContractTier::Premium),
                    ..patch()
                },
                "contract tier",
            ),
            (
                CasePatch {
                    description: Some("x".into()),
                    ..patch()
                },
                "description",
            ),
            (
                CasePatch {
                    contact_language: Some(crate::domain::ContactLanguage::Ja),
                    ..patch()
                },
                "language",
            ),
            (
                CasePatch {
                    add_problem_reports: vec!["BUG-1".into()],
                    ..patch()
                },
                "problem reports",
            ),
            (
                CasePatch {
                    subject: Some("  ".into()),
                    ..patch()
                },
                "subject",
            ),
        ] {
            let e = plan_patch(&p, &settings).unwrap_err();
            assert!(
                matches!(&e, ClientError::Rejected(problem) if problem.status == 422),
                "{e:?}"
            );
            assert!(e.to_string().contains(words), "{e}");
        }
    }

    #[test]
    fn notes_become_corresponds_and_comments_with_casedesks_markers() {
        let note = |kind, visibility| NewNote {
            body: "  Called the NOC.\n".into(),
            visibility,
            kind,
            from_customer: false,
        };
        let p = note_post(&note(NoteKind::Note, Visibility::Public)).unwrap();
        assert_eq!(
            (p.endpoint, p.text.as_str()),
            ("correspond", "Called the NOC.")
        );
        let p = note_post(&note(NoteKind::Note, Visibility::Internal)).unwrap();
        assert_eq!(
            (p.endpoint, p.text.as_str()),
            ("comment", "Called the NOC.")
        );
        let p = note_post(&note(NoteKind::Call, Visibility::Public)).unwrap();
        assert_eq!(
            (p.endpoint, p.text.as_str(), p.visibility),
            (
                "comment",
                "[casedesk:call]\nCalled the NOC.",
                Visibility::Internal
            )
        );
        let p = note_post(&note(NoteKind::ContactFailed, Visibility::Internal)).unwrap();
        assert_eq!(p.text, "[casedesk:contact-failed]\nCalled the NOC.");
        let e = note_post(&NewNote {
            from_customer: true,
            ..note(NoteKind::Note, Visibility::Public)
        })
        .unwrap_err();
        assert!(e.to_string().contains("by mail"), "{e}");
        assert!(note_post(&note(NoteKind::Note, Visibility::Public)).is_ok());
        let e = note_post(&NewNote {
            body: " \n".into(),
            ..note(NoteKind::Note, Visibility::Public)
        })
        .unwrap_err();
        assert!(e.to_string().contains("needs text"), "{e}");
    }

    #[test]
    fn an_escalation_is_a_comment_opening_with_its_marker() {
        let e = NewEscalation {
            kind: EscalationKind::EngineerNow,
            reason: " Customer's core router is down \n".into(),
            contact_method: Some(ContactMethod::Phone),
        };
        assert_eq!(
            escalation_text(&e),
            "[casedesk:escalation kind=engineer_now contact=phone]\nCustomer's core router is down"
        );
        let e = NewEscalation {
            kind: EscalationKind::FasterProgress,
            reason: "slow".into(),
            contact_method: None,
        };
        assert_eq!(
            escalation_text(&e),
            "[casedesk:escalation kind=faster_progress]\nslow"
        );
    }

    #[test]
    fn an_earlier_attempt_is_recognised_by_its_text_in_rts_parts() {
        // `GET /transaction/57/attachments?fields=ContentType,Content,TransactionId` from
        // RT 5.0.3 after a correspond with a marker line, Japanese and trailing spaces.
        let parts: Collection<Part> = serde_json::from_str(
            r#"{"items":[{"id":"9","Content":"[casedesk:call]\nお電話しました。\n  line two  \n\n",
                "TransactionId":"57","ContentType":"text/plain",
                "_url":"http://127.0.0.1:18083/REST/2.0/attachment/9","type":"attachment","Subject":""}],
                "count":1,"pages":null,"page":1,"total":null,"per_page":20}"#,
        )
        .unwrap();
        assert!(same_text(
            &parts.items,
            "[casedesk:call]\r\nお電話しました。\n  line two"
        ));
        assert!(!same_text(
            &parts.items,
            "[casedesk:call]\nお電話しました。"
        ));
        assert!(!same_text(&parts.items, "お電話しました。\n  line two"));
        assert!(!same_text(&[], "x"));
        assert_eq!(
            landed_sql(1, 41, 31, "correspond"),
            "ObjectType = 'RT::Ticket' AND ObjectId = 1 AND id > 41 AND Creator = 31 AND Type = 'Correspond'"
        );
        assert!(landed_sql(1, 41, 31, "comment").ends_with("Type = 'Comment'"));
    }

    #[test]
    fn rts_200_answers_are_read_for_refusals_including_owner_ones() {
        // Message lists RT 5.0.3 answered with 200.
        let said = |m: &[&str]| m.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(check(&said(&["Ticket 1: Owner changed from Nobody to agent1"])).is_ok());
        assert!(check(&said(&[])).is_ok());
        let e = check(&said(&[
            "Ticket 1: Status 'bogus' isn't a valid status for this ticket.",
            "Ticket 1: Subject changed from 'Link down' to 'Link down (2)'",
        ]))
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "Request Tracker refused: Ticket 1: Status 'bogus' isn't a valid status for this ticket."
        );
        for words in [
            "Ticket 1: That user does not exist",
            "Ticket 1: You can only reassign tickets that you own or that are unowned",
            "Invalid value for custom field",
        ] {
            let e = check(&said(&[words])).unwrap_err();
            assert!(e.to_string().ends_with(words), "{e}");
        }
        assert!(ticket_id(&"rt#12".parse().unwrap()).is_ok());
        assert!(ticket_id(&"2026-1122-000123".parse().unwrap()).is_err());
    }
}
