//! Writes: every change goes into the outbox on disk, then to the server in order.

use chrono::Utc;

use super::{Desk, DeskError};
use crate::api::{Case, CasePatch, ClientError};
use crate::cache::{OutboxEntry, OutboxState, Owner, PendingChange};
use crate::domain::CaseNumber;

/// What became of a submitted change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Submitted {
    /// The server has it.
    Sent,
    /// The server could not be reached; it waits in the outbox under this id.
    Queued(i64),
    /// The case changed since the version the change was made against; kept in the outbox.
    Conflicted(i64, String),
    /// The server refused it; kept in the outbox with the server's words.
    Failed(i64, String),
    /// The server refused it for good (403: the role may not; 422: the value is not
    /// acceptable): sending again cannot succeed, so it has left the outbox.
    Refused(String),
}

/// What became of a new case.
#[derive(Debug, Clone, PartialEq)]
pub enum Opening {
    /// The server opened it: the case as the server returned it.
    Opened(Box<Case>),
    /// The server could not be reached; it waits in the outbox under this id and reference.
    Queued(i64, String),
}

/// A change the server refused for good, no longer in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The outbox entry it was.
    pub id: i64,
    /// Its case (`None`: a case to be opened).
    pub case: Option<CaseNumber>,
    /// What the change was.
    pub what: String,
    /// The server's words.
    pub why: String,
}

/// What a flush of the outbox did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FlushReport {
    /// Entries the server accepted, described.
    pub sent: Vec<(i64, CaseNumber, String)>,
    /// Entries now conflicted.
    pub conflicted: Vec<(i64, String)>,
    /// Entries now failed.
    pub failed: Vec<(i64, String)>,
    /// Entries refused for good and taken out of the outbox: id, case (`None`: a new case),
    /// what the change was, and the server's words.
    pub refused: Vec<Refusal>,
    /// Whether the server stopped answering partway (the rest stays pending).
    pub unreachable: bool,
    /// Entries written for another server or person: not sent, kept (see [`Foreign`]).
    pub foreign: Vec<Foreign>,
    /// Entries that did not say for whom they were written, now bound to this server and
    /// person (from a cache older than that record) — how many.
    pub bound: usize,
    /// Whom this flush sent for, once the server said.
    pub owner: Option<Owner>,
}

/// An outbox entry written for another server or person than the profile's now: never sent
/// here, kept until the user discards or exports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Foreign {
    /// The entry.
    pub id: i64,
    /// Its case, or provisional reference.
    pub reference: String,
    /// What the change is.
    pub what: String,
    /// Whom it was written for.
    pub owner: Owner,
}

impl Desk {
    /// Makes a change to a case: into the outbox, then — if the server answers — to the
    /// server. `base_version` is the version the user saw; `None` takes the server's current
    /// one (or, offline, the cached one).
    pub async fn submit(
        &self,
        number: &CaseNumber,
        change: PendingChange,
        base_version: Option<i64>,
    ) -> Result<Submitted, DeskError> {
        let base = match base_version {
            Some(v) => v,
            None => self.current_version(number).await?,
        };
        let entry = self
            .cache()
            .enqueue(Some(number), &change, base, Utc::now())?;
        let report = self.flush_outbox().await?;
        Ok(outcome(&entry, &report))
    }

    /// Makes several changes to one case in one step (a macro's note and patch): all go into
    /// the outbox, in order, against the same `base_version` before any is sent, so the flush
    /// chains them (each goes with the version the one before made). One outcome per change.
    pub async fn submit_all(
        &self,
        number: &CaseNumber,
        changes: &[PendingChange],
        base_version: i64,
    ) -> Result<Vec<Submitted>, DeskError> {
        let entries = self.enqueue_all(number, changes, base_version)?;
        let report = self.flush_outbox().await?;
        Ok(entries.iter().map(|e| outcome(e, &report)).collect())
    }

    /// Queues `changes` to `number` against `base_version` in one cache transaction: all or
    /// none. Under one lock, too: a background flush between two of them would send the
    /// first alone and leave the next on a version the case no longer has.
    fn enqueue_all(
        &self,
        number: &CaseNumber,
        changes: &[PendingChange],
        base_version: i64,
    ) -> Result<Vec<OutboxEntry>, DeskError> {
        let now = Utc::now();
        Ok(self.cache().batch(|cache| {
            changes
                .iter()
                .map(|change| cache.enqueue(Some(number), change, base_version, now))
                .collect()
        })?)
    }

    /// Changes to several cases, one case after another (bulk actions, `cases set` with
    /// several numbers): once the server has stopped answering, the rest are only queued
    /// rather than dialled again for each case.
    pub fn submit_many(&self) -> SubmitMany<'_> {
        SubmitMany {
            desk: self,
            offline: false,
        }
    }

    /// Brings the cached detail of `number` up to the server's (revalidated with its ETag);
    /// an unreachable server leaves the cached copy as it is.
    pub(super) async fn revalidate_detail(&self, number: &CaseNumber) -> Result<(), DeskError> {
        let etag = self.cache().detail(number)?.and_then(|c| c.etag);
        match self.fetch_detail(number, etag.as_deref()).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_unreachable() => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// The case's version on the server, or in the cache when the server is unreachable.
    async fn current_version(&self, number: &CaseNumber) -> Result<i64, DeskError> {
        self.revalidate_detail(number).await?;
        self.cached_version(number)
    }

    /// The case's version as cached.
    fn cached_version(&self, number: &CaseNumber) -> Result<i64, DeskError> {
        self.cache()
            .summary(number)?
            .map(|s| s.version)
            .ok_or_else(|| {
                DeskError::NotCached(format!(
                    "case {number} is not in the cache and the server cannot be reached: a change can be queued only for a case seen before (run `casedesk sync` when online)"
                ))
            })
    }

    /// Sends the pending outbox entries in order. Entries of one case made against the same
    /// version are chained: after the first is accepted the next goes with the new version.
    pub async fn flush_outbox(&self) -> Result<FlushReport, DeskError> {
        let mut report = FlushReport::default();
        let entries = self.cache().outbox()?;
        if !entries.iter().any(|e| e.state == OutboxState::Pending) {
            return Ok(report);
        }
        // Only what was written for this server and this person is sent here.
        let owner = match self.owner().await {
            Ok(owner) => owner,
            Err(e) if e.is_unreachable() => {
                report.unreachable = true;
                return Ok(report);
            }
            Err(e) => return Err(e),
        };
        report.bound = self.cache().outbox_bind_unowned(&owner)?;
        let entries = self.cache().outbox()?;
        report.owner = Some(owner.clone());
        for id in entries
            .into_iter()
            .filter(|e| e.state == OutboxState::Pending)
            .map(|e| e.id)
        {
            // Read again: sending an earlier entry of its case may have moved its base on.
            let Some(entry) = self.cache().outbox_entry(id)? else {
                continue;
            };
            if let Some(theirs) = entry.owner.as_ref().filter(|o| **o != owner) {
                report.foreign.push(Foreign {
                    id: entry.id,
                    reference: entry.reference(),
                    what: entry.change.describe(),
                    owner: theirs.clone(),
                });
                continue;
            }
            self.cache().outbox_attempt(entry.id)?;
            let sent = match entry.case_number {
                // A new case: no version to chain; the server gives it its number.
                None => self
                    .send_new_case(&entry)
                    .await
                    .map(|number| (number, None)),
                Some(number) => self
                    .send_entry(&entry, &number, entry.base_version)
                    .await
                    .map(|new_version| (number, new_version)),
            };
            match sent {
                Ok((number, new_version)) => {
                    crash_point("sent");
                    self.cache().outbox_sent(&entry, new_version)?;
                    crash_point("removed");
                    report
                        .sent
                        .push((entry.id, number, entry.change.describe()));
                }
                Err(DeskError::Client(e)) if e.is_unreachable() => {
                    report.unreachable = true;
                    break;
                }
                Err(DeskError::Client(ClientError::Conflict(detail))) => {
                    if let Some(number) = entry.case_number
                        && let Some(version) = self.already_applied(&entry).await
                    {
                        // Our own write, applied before the answer was lost: the entries
                        // chained on it move on to the version it made — only when nothing
                        // else changed the case since (otherwise they conflict, honestly).
                        let made = (version == entry.base_version + 1).then_some(version);
                        self.cache().outbox_sent(&entry, made)?;
                        report
                            .sent
                            .push((entry.id, number, entry.change.describe()));
                        continue;
                    }
                    self.cache()
                        .outbox_mark(entry.id, OutboxState::Conflicted, Some(&detail))?;
                    report.conflicted.push((entry.id, detail));
                }
                Err(DeskError::Client(e)) if refused_for_good(&e) => {
                    // Sending it again cannot succeed: it leaves the outbox, reported once.
                    self.cache().outbox_remove(entry.id)?;
                    report.refused.push(Refusal {
                        id: entry.id,
                        case: entry.case_number,
                        what: entry.change.describe(),
                        why: e.to_string(),
                    });
                }
                Err(DeskError::Client(e)) => {
                    let words = e.to_string();
                    self.cache()
                        .outbox_mark(entry.id, OutboxState::Failed, Some(&words))?;
                    report.failed.push((entry.id, words));
                }
                Err(e) => return Err(e),
            }
        }
        Ok(report)
    }

    /// This server and the token's person, as the server says (asked once per desk, and
    /// remembered in the cache so entries queued offline are stamped with it).
    pub async fn owner(&self) -> Result<Owner, DeskError> {
        if let Some(owner) = self.owner_memo() {
            return Ok(owner);
        }
        self.server()?;
        self.me().await?;
        self.owner_memo().ok_or_else(|| {
            DeskError::Client(ClientError::Unreachable {
                url: self.server().map(str::to_string).unwrap_or_default(),
                detail: "the server did not say who the token belongs to".into(),
            })
        })
    }

    /// Sends one entry with `If-Match: version`; returns the case's version afterwards (read
    /// back into the cache), when it could be learnt.
    async fn send_entry(
        &self,
        entry: &OutboxEntry,
        number: &CaseNumber,
        version: i64,
    ) -> Result<Option<i64>, DeskError> {
        self.server()?;
        let key = entry.idempotency_key.as_str();
        match &entry.change {
            PendingChange::Note(note) => {
                self.call(async |client| client.add_note(number, note, version, key).await)
                    .await?;
            }
            PendingChange::Escalation(e) => {
                self.call(async |client| client.escalate(number, e, version, key).await)
                    .await?;
            }
            PendingChange::Patch(patch) => {
                let case = self
                    .call(async |client| client.patch_case(number, patch, version).await)
                    .await?;
                self.cache().put_detail(&case, None, Utc::now())?;
                return Ok(Some(case.summary.version));
            }
            PendingChange::Create(_) => return Ok(None),
            PendingChange::Attach { upload, .. } => {
                self.send_upload(number, *upload, key).await?;
            }
        }
        // The write's answer does not carry the new version: read the case back.
        let etag = self.cache().detail(number)?.and_then(|c| c.etag);
        match self.fetch_detail(number, etag.as_deref()).await {
            Ok(_) => Ok(self.cache().summary(number)?.map(|s| s.version)),
            Err(_) => Ok(None),
        }
    }

    /// After a 412 on a change sent before: whether the server already holds it (the process
    /// died after the server applied it and before the outbox learnt so). Only a patch can
    /// tell; notes and escalations carry an `Idempotency-Key` and are replayed instead.
    /// The case's version now, when it holds the patch.
    async fn already_applied(&self, entry: &OutboxEntry) -> Option<i64> {
        let PendingChange::Patch(patch) = &entry.change else {
            return None;
        };
        if entry.attempts == 0 {
            return None;
        }
        let number = entry.case_number.as_ref()?;
        // A probe: its failure leaves the entry to be replayed, and says nothing new about
        // the link (the send that led here was observed).
        match self
            .call_unobserved(async |client| client.case(number, None).await)
            .await
        {
            Ok(crate::api::Fetched::Fresh { value, .. }) => {
                patch_holds(patch, &value).then_some(value.summary.version)
            }
            _ => None,
        }
    }

    /// Opens a case: into the outbox under a provisional reference, then — if the server
    /// answers — opened there. The entry's `Idempotency-Key` makes it open once however often
    /// it is sent (a crash between the server's answer and the outbox learning of it included).
    /// A case the server refuses at once is taken back out, so the caller can fix the input.
    pub async fn open_case(&self, case: &crate::api::NewCase) -> Result<Opening, DeskError> {
        let change = PendingChange::Create(Box::new(case.clone()));
        let entry = self.cache().enqueue(None, &change, 0, Utc::now())?;
        let report = self.flush_outbox().await?;
        // A sent new case is reported under the number the server gave it.
        if let Some((_, number, _)) = report.sent.iter().find(|(id, ..)| *id == entry.id) {
            let case = self.cache().detail(number)?.map(|c| c.case);
            return match case {
                Some(case) => Ok(Opening::Opened(Box::new(case))),
                None => Err(DeskError::NotCached(format!(
                    "case {number} was opened but could not be read back from the cache"
                ))),
            };
        }
        if let Some(r) = report.refused.iter().find(|r| r.id == entry.id) {
            return Err(DeskError::Refused(r.why.clone()));
        }
        if let Some((_, why)) = report.failed.iter().find(|(id, _)| *id == entry.id) {
            self.cache().outbox_remove(entry.id)?;
            return Err(DeskError::Refused(why.clone()));
        }
        Ok(Opening::Queued(entry.id, entry.reference()))
    }

    /// Sends a queued new case; on success it is in the cache under its number.
    async fn send_new_case(&self, entry: &OutboxEntry) -> Result<CaseNumber, DeskError> {
        let PendingChange::Create(new) = &entry.change else {
            return Err(DeskError::NotCached(format!(
                "outbox entry {} has no case number",
                entry.id
            )));
        };
        let case = self
            .call(async |client| {
                client
                    .casedesk("new cases")?
                    .create_case(new, &entry.idempotency_key)
                    .await
            })
            .await?;
        let number = case.summary.number;
        // A crash before the entry leaves the outbox sends it again: the key replays the case.
        self.cache().put_detail(&case, None, Utc::now())?;
        Ok(number)
    }

    /// Puts a conflicted or failed entry back against the case's current version and sends
    /// the outbox.
    pub async fn retry(&self, id: i64) -> Result<Submitted, DeskError> {
        let entry = self.outbox_entry(id)?;
        // A case still to be opened has no version to catch up with.
        let version = match &entry.case_number {
            None => 0,
            Some(number) => {
                self.fetch_detail(number, None).await?;
                self.cache()
                    .summary(number)?
                    .map(|s| s.version)
                    .ok_or_else(|| DeskError::NotCached(format!("case {number} is not cached")))?
            }
        };
        self.cache().outbox_rebase(id, version)?;
        let report = self.flush_outbox().await?;
        Ok(outcome(&entry, &report))
    }

    /// Drops an entry from the outbox; returns it.
    pub fn discard(&self, id: i64) -> Result<OutboxEntry, DeskError> {
        let entry = self.outbox_entry(id)?;
        self.cache().outbox_remove(id)?;
        Ok(entry)
    }

    fn outbox_entry(&self, id: i64) -> Result<OutboxEntry, DeskError> {
        self.cache().outbox_entry(id)?.ok_or_else(|| {
            DeskError::NotCached(format!(
                "no outbox entry {id}: `casedesk outbox list` shows the ids"
            ))
        })
    }
}

/// For the crash tests of a debug build: `CASEDESK_TEST_CRASH=sent:2` aborts the process
/// when the second entry has been accepted by the server and not yet taken out of the outbox,
/// `removed:2` right after it was. Release builds have no such hook.
fn crash_point(at: &str) {
    #[cfg(debug_assertions)]
    {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static SENT: AtomicUsize = AtomicUsize::new(0);
        static REMOVED: AtomicUsize = AtomicUsize::new(0);
        let Ok(spec) = std::env::var("CASEDESK_TEST_CRASH") else {
            return;
        };
        let counter = if at == "sent" { &SENT } else { &REMOVED };
        let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
        if spec.split_once(':') == Some((at, n.to_string().as_str())) {
            std::process::abort();
        }
    }
    #[cfg(not(debug_assertions))]
    let _ = at;
}

/// Changes made case by case, remembering whether the server answers (see
/// [`Desk::submit_many`]).
pub struct SubmitMany<'a> {
    desk: &'a Desk,
    offline: bool,
}

impl SubmitMany<'_> {
    /// Makes `changes` to `number` in one step as [`Desk::submit_all`] does, against
    /// `base_version` (`None`: the server's current one, or the cached one offline). One
    /// outcome per change; once the server is away they are queued without dialling it.
    pub async fn submit(
        &mut self,
        number: &CaseNumber,
        changes: &[PendingChange],
        base_version: Option<i64>,
    ) -> Result<Vec<Submitted>, DeskError> {
        let desk = self.desk;
        let base = match base_version {
            Some(v) => v,
            None if self.offline => desk.cached_version(number)?,
            None => desk.current_version(number).await?,
        };
        let entries = desk.enqueue_all(number, changes, base)?;
        if self.offline {
            return Ok(entries.iter().map(|e| Submitted::Queued(e.id)).collect());
        }
        let report = desk.flush_outbox().await?;
        self.offline = report.unreachable;
        Ok(entries.iter().map(|e| outcome(e, &report)).collect())
    }

    /// Plans `m` on `number` as [`Desk::plan_macro`] does; once the server is away, on the
    /// cached detail without dialling it.
    pub async fn plan_macro(
        &self,
        m: &crate::api::Macro,
        number: &CaseNumber,
        me: &str,
        zone: &crate::config::DisplayZone,
    ) -> Result<Result<super::macros::Planned, super::macros::MacroRefusal>, DeskError> {
        if !self.offline {
            self.desk.revalidate_detail(number).await?;
        }
        self.desk.plan_cached_macro(m, number, me, zone)
    }
}

/// What became of `entry` in a flush.
fn outcome(entry: &OutboxEntry, report: &FlushReport) -> Submitted {
    if report.sent.iter().any(|(id, ..)| *id == entry.id) {
        Submitted::Sent
    } else if let Some((_, why)) = report.conflicted.iter().find(|(id, _)| *id == entry.id) {
        Submitted::Conflicted(entry.id, why.clone())
    } else if let Some((_, why)) = report.failed.iter().find(|(id, _)| *id == entry.id) {
        Submitted::Failed(entry.id, why.clone())
    } else if let Some(r) = report.refused.iter().find(|r| r.id == entry.id) {
        Submitted::Refused(r.why.clone())
    } else {
        Submitted::Queued(entry.id)
    }
}

/// Whether the server refused a change for good: the role may not (403) or the value is not
/// acceptable (422). A conflict with the case's state (409, 412) may pass once the case moves
/// on, and a lost link or a busy server passes later: those stay in the outbox.
fn refused_for_good(e: &ClientError) -> bool {
    match e {
        ClientError::Forbidden(_) => true,
        ClientError::Rejected(problem) => problem.status == 422,
        _ => false,
    }
}

/// Whether a case already shows everything a patch asks for.
fn patch_holds(patch: &CasePatch, case: &Case) -> bool {
    let s = &case.summary;
    patch.status.is_none_or(|v| s.status == v)
        && patch.priority.is_none_or(|v| s.priority == v)
        && patch
            .owner
            .as_ref()
            .is_none_or(|o| s.owner.as_deref().unwrap_or("") == o)
        && patch.tier.is_none_or(|v| s.tier == v)
        && patch.subject.as_ref().is_none_or(|v| &s.subject == v)
        && patch
            .description
            .as_ref()
            .is_none_or(|v| &case.description == v)
}
