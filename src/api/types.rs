//! The JSON shapes of the case API (SPEC §4), shared by the server and the client.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{
    AnalysisRequest, CaseNumber, Channel, CloseReason, ContactLanguage, ContactMethod,
    ContractTier, EscalationKind, EscalationState, Party, Priority, RequestType, RmaNumber,
    RmaStatus, Status, UserType, Visibility,
};
use crate::sla::ClockReport;

/// What a token may do.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Reads everything, writes nothing (the wallboard).
    Viewer,
    /// Works cases: notes, status, priority, taking ownership, escalating, RMAs.
    Agent,
    /// Also handles escalations and reassigns others' cases.
    Lead,
    /// Also manages tokens.
    Admin,
}

impl Role {
    /// Every role, least powerful first.
    pub const ALL: [Role; 4] = [Role::Viewer, Role::Agent, Role::Lead, Role::Admin];

    /// The wire word.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Agent => "agent",
            Role::Lead => "lead",
            Role::Admin => "admin",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = crate::domain::ParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| crate::domain::ParseError {
                what: "role",
                input: s.to_string(),
                expected: "viewer, agent, lead or admin",
            })
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A case as the queue shows it: the list columns of SPEC §2.9 and the next SLA deadline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CaseSummary {
    /// Case number.
    pub number: CaseNumber,
    /// One-line subject.
    pub subject: String,
    /// Priority.
    pub priority: Priority,
    /// Status.
    pub status: Status,
    /// The engineer who owns it, if any.
    pub owner: Option<String>,
    /// Contract tier.
    pub tier: ContractTier,
    /// How it came in.
    pub channel: Channel,
    /// What is asked for.
    pub request_type: RequestType,
    /// Site name.
    pub site_name: String,
    /// Site ID.
    pub site_id: String,
    /// Customer account.
    pub account: String,
    /// Customer contact's name.
    pub contact_name: String,
    /// Product.
    pub product: String,
    /// Platform (hardware type).
    pub platform: String,
    /// Serial number or software support reference.
    pub serial_number: Option<String>,
    /// When it was opened.
    #[serde(deserialize_with = "super::time::instant")]
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    #[serde(deserialize_with = "super::time::instant")]
    pub updated_at: DateTime<Utc>,
    /// The earliest due instant of a clock counting now (in the past when breached).
    #[serde(default, deserialize_with = "super::time::optional_instant")]
    pub next_due: Option<DateTime<Utc>>,
    /// Whether a clock counting now is breached.
    pub breached: bool,
    /// Temporarily downgraded from P1 after failed contact.
    pub temporarily_downgraded: bool,
    /// Open escalations on the case.
    pub open_escalations: u32,
    /// Version for `If-Match`.
    pub version: i64,
    /// RT's own Due, where the backend has one (shown beside casedesk's clocks). Always
    /// written (null when none): the cache packs summaries with postcard, which cannot read
    /// back a skipped field.
    #[serde(default)]
    pub backend_due: Option<DateTime<Utc>>,
}

/// A note on a case's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Note {
    /// Note id.
    pub id: i64,
    /// Who wrote it (the token's name, or the customer's name).
    pub author: String,
    /// Support or customer.
    pub party: Party,
    /// Public or internal.
    pub visibility: Visibility,
    /// What kind of entry: a note, a logged call or a failed contact attempt.
    pub kind: NoteKind,
    /// The text.
    pub body: String,
    /// When it was added.
    pub created_at: DateTime<Utc>,
    /// The sender's address, when the note came in by mail (`[EMAIL]` on screen); the full
    /// original is kept on the server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email_from: Option<String>,
    /// The mail that carries this public note to the contact, when the mail channel is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mail: Option<NoteMail>,
    /// Files that came with it (by mail).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<NoteAttachment>,
}

/// Where the mail carrying a public note stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct NoteMail {
    /// `queued`, `sent` or `failed`.
    pub state: String,
    /// To whom: `Name <addr>`.
    pub to: String,
    /// Why it failed: the mail server's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A file kept with a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct NoteAttachment {
    /// Its id.
    pub id: i64,
    /// The file name, sanitized.
    pub name: String,
    /// Bytes.
    pub size: u64,
    /// MIME type.
    pub content_type: String,
    /// SHA-256 of the content, hex.
    pub sha256: String,
}

/// A case's mail channel: where its mail goes, and every mail sent or queued for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CaseMail {
    /// The contact's mailbox, `Name <addr>`: where public notes are mailed.
    pub to: String,
    /// The language of mail to the contact: `en` or `ja`.
    pub language: String,
    /// Outgoing mail for the case, oldest first.
    #[serde(default)]
    pub outgoing: Vec<OutgoingMail>,
}

/// One mail the desk sent or will send for a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OutgoingMail {
    /// `acknowledgement`, `note`, `priority_changed`, `rma_issued`, `resolved`, `auto_closed`.
    pub kind: String,
    /// `queued`, `sent` or `failed`.
    pub state: String,
    /// The note it carries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note_id: Option<i64>,
    /// Why it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
    /// When the mail server accepted it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<DateTime<Utc>>,
}

/// What a timeline entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    /// A written note.
    #[default]
    Note,
    /// A phone call with the customer (counts as a response and an update).
    Call,
    /// An attempt to reach the customer that failed (P1 reachability).
    ContactFailed,
}

/// An escalation request (SPEC §2.7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Escalation {
    /// Escalation id.
    pub id: i64,
    /// The case.
    pub case_number: CaseNumber,
    /// Which option.
    pub kind: EscalationKind,
    /// Where it stands.
    pub state: EscalationState,
    /// Why, in the requester's words.
    pub reason: String,
    /// For `engineer_now`: how the customer wants to be contacted.
    pub contact_method: Option<ContactMethod>,
    /// Who asked.
    pub requested_by: String,
    /// When.
    pub requested_at: DateTime<Utc>,
    /// The lead who acknowledged it.
    pub acknowledged_by: Option<String>,
    /// When it was acknowledged.
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// Who resolved or declined it.
    pub closed_by: Option<String>,
    /// When it was resolved or declined.
    pub closed_at: Option<DateTime<Utc>>,
    /// The lead's words on resolving or declining.
    pub resolution: Option<String>,
}

/// A return merchandise authorisation (SPEC §2.8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Rma {
    /// RMA number.
    pub number: RmaNumber,
    /// Where it stands.
    pub status: RmaStatus,
    /// The case it belongs to.
    pub case_number: CaseNumber,
    /// Customer account.
    pub account: String,
    /// Serial number of the defective unit.
    pub serial_number: String,
    /// Part number of the replacement.
    pub part_number: String,
    /// Optional analysis of the returned unit.
    pub analysis: Option<AnalysisRequest>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was issued (the return clock starts).
    pub issued_at: Option<DateTime<Utc>>,
    /// When the defective unit is due back.
    pub return_due: Option<DateTime<Utc>>,
    /// Whether the unit is past its return date and still not back.
    pub overdue: bool,
    /// When the defective unit came back; absent until then, and for an RMA that moved past
    /// `defective_received` without stopping there (the receipt was never recorded).
    #[serde(default)]
    pub received_at: Option<DateTime<Utc>>,
    /// When the analysis result is due: receipt + 30 calendar days (repair) or + 15 (failure
    /// analysis, preliminary result); absent without an analysis request or a recorded receipt.
    #[serde(default)]
    pub analysis_due: Option<DateTime<Utc>>,
}

/// Support contract for a serial number (SPEC §2.10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Entitlement {
    /// Serial number.
    pub serial_number: String,
    /// Contract tier.
    pub tier: ContractTier,
    /// Last day of the contract.
    pub contract_end: NaiveDate,
    /// Site name.
    pub site_name: String,
    /// Site ID.
    pub site_id: String,
    /// Customer account.
    pub account: String,
    /// Whether support is active today.
    pub active: bool,
}

/// A file on a case: its content is fetched apart, from `GET /v1/attachments/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Attachment {
    /// Its id (0 for a file listed by a server that predates attachment content).
    #[serde(default)]
    pub id: i64,
    /// File name, sanitized: no path, no control characters.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// Media type, as sniffed from the content when the uploader did not know it.
    pub content_type: String,
    /// SHA-256 of the content, lowercase hex.
    #[serde(default)]
    pub sha256: String,
    /// Who added it (a token's name, or the contact for mail).
    #[serde(default)]
    pub added_by: String,
    /// When it was added.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub added_at: Option<DateTime<Utc>>,
    /// The note it came with (a customer's mail), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note_id: Option<i64>,
}

/// An entry of the case history beyond notes: who changed what, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct HistoryEntry {
    /// When.
    pub at: DateTime<Utc>,
    /// Who (a token's name, or `system` for the server's own jobs).
    pub actor: String,
    /// What happened, in words (`status open → resolved`, `priority P3 → P1`).
    pub summary: String,
    /// The reason given, if any.
    pub reason: Option<String>,
}

/// A case with everything on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Case {
    /// The queue's view of the case.
    #[serde(flatten)]
    pub summary: CaseSummary,
    /// Full description.
    pub description: String,
    /// Software version.
    pub software_version: String,
    /// Contact e-mail.
    pub contact_email: String,
    /// Contact phone.
    pub contact_phone: String,
    /// Preferred contact method.
    pub preferred_contact: ContactMethod,
    /// The language of mail to the contact; null: the server's `[mail] language`.
    #[serde(default)]
    pub contact_language: Option<ContactLanguage>,
    /// Who the customer is.
    pub user_type: UserType,
    /// Engineering bug numbers linked to the case.
    pub problem_reports: Vec<String>,
    /// The case's files, oldest first (uploaded ones and those that came by mail).
    pub attachments: Vec<Attachment>,
    /// The entitlement of the serial number, if known.
    pub entitlement: Option<Entitlement>,
    /// Flagged: opened for a serial with no active contract.
    pub unentitled: bool,
    /// Close reason, when closed.
    pub close_reason: Option<CloseReason>,
    /// Notes, oldest first.
    pub notes: Vec<Note>,
    /// Status, priority, owner and tier changes, oldest first.
    pub history: Vec<HistoryEntry>,
    /// Escalations, oldest first.
    pub escalations: Vec<Escalation>,
    /// RMAs, oldest first.
    pub rmas: Vec<Rma>,
    /// The SLA clocks as computed now.
    pub clocks: ClockReport,
    /// The mail channel for this case: present when the server mails the contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mail: Option<CaseMail>,
}

/// A request to open a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCase {
    /// One-line subject (required).
    pub subject: String,
    /// Description.
    #[serde(default)]
    pub description: String,
    /// Priority.
    pub priority: Priority,
    /// Contract tier (default: from the serial's entitlement, else standard).
    #[serde(default)]
    pub tier: Option<ContractTier>,
    /// Channel (default web).
    #[serde(default)]
    pub channel: Option<Channel>,
    /// Request type (default technical_support).
    #[serde(default)]
    pub request_type: Option<RequestType>,
    /// Site name.
    #[serde(default)]
    pub site_name: String,
    /// Site ID.
    #[serde(default)]
    pub site_id: String,
    /// Account.
    #[serde(default)]
    pub account: String,
    /// Contact name.
    #[serde(default)]
    pub contact_name: String,
    /// Contact e-mail.
    #[serde(default)]
    pub contact_email: String,
    /// Contact phone.
    #[serde(default)]
    pub contact_phone: String,
    /// Preferred contact method (default email).
    #[serde(default)]
    pub preferred_contact: Option<ContactMethod>,
    /// The language of mail to the contact, `en` or `ja` (default: the server's `[mail]
    /// language`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_language: Option<ContactLanguage>,
    /// User type (default business_user).
    #[serde(default)]
    pub user_type: Option<UserType>,
    /// Product.
    #[serde(default)]
    pub product: String,
    /// Platform.
    #[serde(default)]
    pub platform: String,
    /// Software version.
    #[serde(default)]
    pub software_version: String,
    /// Serial number.
    #[serde(default)]
    pub serial_number: Option<String>,
    /// Owner (default: unassigned).
    #[serde(default)]
    pub owner: Option<String>,
}

/// A change to a case; absent fields are left alone. Needs `If-Match`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CasePatch {
    /// New priority; needs `reason`.
    #[serde(default)]
    pub priority: Option<Priority>,
    /// Marks a P1 → P2 change as the temporary downgrade after failed contact.
    #[serde(default)]
    pub temporary: bool,
    /// New status; closing needs `close_reason`.
    #[serde(default)]
    pub status: Option<Status>,
    /// Why the case is closed.
    #[serde(default)]
    pub close_reason: Option<CloseReason>,
    /// New owner; an empty string unassigns.
    #[serde(default)]
    pub owner: Option<String>,
    /// New contract tier.
    #[serde(default)]
    pub tier: Option<ContractTier>,
    /// Why (required with a priority change, recorded for any change).
    #[serde(default)]
    pub reason: Option<String>,
    /// New subject.
    #[serde(default)]
    pub subject: Option<String>,
    /// New description.
    #[serde(default)]
    pub description: Option<String>,
    /// Engineering bug numbers to link.
    #[serde(default)]
    pub add_problem_reports: Vec<String>,
    /// The language of mail to the contact from now on, `en` or `ja`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_language: Option<ContactLanguage>,
}

/// A new note, call or failed contact attempt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewNote {
    /// The text (at most 64 KiB).
    pub body: String,
    /// Public or internal.
    pub visibility: Visibility,
    /// Note (default), call or contact_failed.
    #[serde(default)]
    pub kind: NoteKind,
    /// Set when recording the customer's words (an e-mail reply); the author is then the contact.
    #[serde(default)]
    pub from_customer: bool,
}

/// A new escalation request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEscalation {
    /// Which option.
    pub kind: EscalationKind,
    /// Why (required).
    pub reason: String,
    /// For `engineer_now`: phone or email (required there).
    #[serde(default)]
    pub contact_method: Option<ContactMethod>,
}

/// A lead's action on an escalation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EscalationPatch {
    /// acknowledged, resolved or declined.
    pub state: EscalationState,
    /// What was done, or why declined.
    #[serde(default)]
    pub resolution: Option<String>,
}

/// A new RMA on a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRma {
    /// Serial of the defective unit (default: the case's serial).
    #[serde(default)]
    pub serial_number: Option<String>,
    /// Part number of the replacement (required).
    pub part_number: String,
    /// Optional analysis request.
    #[serde(default)]
    pub analysis: Option<AnalysisRequest>,
    /// Issue at once (default true); the return clock starts when issued.
    #[serde(default = "yes")]
    pub issue: bool,
}

fn yes() -> bool {
    true
}

/// A change to an RMA: a status move (forward only, or cancelled), the analysis request, or
/// both; at least one of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RmaPatch {
    /// New status: a later stage of requested → issued → replacement_shipped →
    /// defective_received → closed, or cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<RmaStatus>,
    /// Set or change the analysis request (refused once the RMA is closed or cancelled).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analysis: Option<AnalysisRequest>,
}

/// An incoming mail an agent decides about: held (the sender may not update the case) or
/// unreadable (it could not be parsed). The original message is read apart, at
/// `/v1/mail/{id}/raw`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct HeldMail {
    /// Its id.
    pub id: i64,
    /// `held`, `error`, `released` or `discarded`.
    pub state: String,
    /// When it was taken from the mailbox.
    pub received_at: DateTime<Utc>,
    /// The sender's address (empty when unreadable).
    pub sender: String,
    /// The subject.
    pub subject: String,
    /// The case it is about, when one was found.
    pub case_number: Option<String>,
    /// Why it was held, or why it could not be read.
    pub reason: Option<String>,
    /// The original message's size in bytes.
    pub size: u64,
    /// The agent who released or discarded it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    /// When it was released or discarded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<DateTime<Utc>>,
    /// The note it became, once released.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note_id: Option<i64>,
}

/// Held or unreadable mail, newest first, and whether the server runs its mail channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MailList {
    /// False when the server has no `[mail]`: nothing new arrives (mail kept from before is
    /// still listed, and may be discarded but not released).
    pub enabled: bool,
    /// The messages.
    pub items: Vec<HeldMail>,
}

/// Releases held mail into a case as the customer's note.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MailRelease {
    /// The case to add it to (default: the case it was matched to).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case: Option<String>,
}

/// A page of a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Page<T> {
    /// The rows.
    pub items: Vec<T>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
    /// Rows matching the filters, over all pages.
    pub total: u64,
}

/// What changed since a sequence number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Changes {
    /// Changed cases, in change order.
    pub cases: Vec<CaseSummary>,
    /// Case numbers removed since (cases are never deleted today; kept for clients to honour).
    pub removed: Vec<CaseNumber>,
    /// Pass as `since` next time.
    pub seq: i64,
    /// More changes wait beyond `limit`.
    pub more: bool,
}

/// Counts for the wallboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Stats {
    /// Open cases by priority (`P1`…`P4`).
    pub open_by_priority: BTreeMap<String, u64>,
    /// Open cases by status.
    pub open_by_status: BTreeMap<String, u64>,
    /// Open cases with a breached clock counting.
    pub breached: u64,
    /// Open cases with a clock due within the next hour.
    pub due_within_1h: u64,
    /// Open cases with no owner.
    pub unassigned: u64,
    /// Escalations requested or acknowledged.
    pub open_escalations: u64,
    /// RMAs whose defective unit is overdue.
    pub overdue_rmas: u64,
    /// The change sequence these counts reflect.
    pub seq: i64,
    /// When the counts were taken.
    pub at: DateTime<Utc>,
}

/// What a search found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SearchResults {
    /// Matching cases, best first.
    pub cases: Vec<CaseSummary>,
    /// Matching RMAs.
    pub rmas: Vec<Rma>,
}

/// A token as listed (the secret is never shown again).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TokenInfo {
    /// The person.
    pub name: String,
    /// What it may do.
    pub role: Role,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Who a token belongs to (`GET /v1/me`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Me {
    /// The person.
    pub name: String,
    /// What they may do.
    pub role: Role,
}

/// `GET /v1/me` as the server answers it: who the token belongs to, and which server this is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Identity {
    /// The person the token belongs to.
    pub name: String,
    /// What they may do.
    pub role: Role,
    /// The server's stable id, made once when its database was created; absent from a server
    /// older than this field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server_id: Option<String>,
}

/// An RFC 9457 problem document: every error the API returns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    /// A stable URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short human summary.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What exactly went wrong and what is expected.
    pub detail: String,
    /// The request field at fault, if one is.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub field: Option<String>,
}
