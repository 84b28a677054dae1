//! Writes: every change goes into the outbox on disk, then to the server in order.

use std::collections::HashMap;

use chrono::Utc;

use super::{Desk, DeskError};
use crate::api::{Case, CasePatch, ClientError};
use crate::cache::{OutboxEntry, OutboxState, PendingChange};
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
    /// Whether the server stopped answering partway (the rest stays pending).
    pub unreachable: bool,
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
        let entry = self.cache().enqueue(number, &change, base, Utc::now())?;
        let report = self.flush_outbox().await?;
        Ok(outcome(&entry, &report))
    }

    /// The case's version on the server, or in the cache when the server is unreachable.
    async fn current_version(&self, number: &CaseNumber) -> Result<i64, DeskError> {
        let etag = self.cache().detail(number)?.and_then(|c| c.etag);
        match self.fetch_detail(number, etag.as_deref()).await {
            Ok(_) => {}
            Err(e) if e.is_unreachable() => {}
            Err(e) => return Err(e),
        }
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
        // Case → (the base version our accepted entries were made against, its version now).
        let mut chained: HashMap<CaseNumber, (i64, i64)> = HashMap::new();
        for entry in entries
            .into_iter()
            .filter(|e| e.state == OutboxState::Pending)
        {
            let version = match chained.get(&entry.case_number) {
                Some(&(base, now)) if entry.base_version == base => now,
                _ => entry.base_version,
            };
            self.cache().outbox_attempt(entry.id)?;
            match self.send_entry(&entry, version).await {
                Ok(new_version) => {
                    self.cache().outbox_remove(entry.id)?;
                    if let Some(v) = new_version {
                        chained.insert(entry.case_number, (entry.base_version, v));
                    }
                    report
                        .sent
                        .push((entry.id, entry.case_number, entry.change.describe()));
                }
                Err(DeskError::Client(e)) if e.is_unreachable() => {
                    report.unreachable = true;
                    break;
                }
                Err(DeskError::Client(ClientError::Conflict(detail))) => {
                    if self.already_applied(&entry).await {
                        self.cache().outbox_remove(entry.id)?;
                        report
                            .sent
                            .push((entry.id, entry.case_number, entry.change.describe()));
                        continue;
                    }
                    self.cache()
                        .outbox_mark(entry.id, OutboxState::Conflicted, Some(&detail))?;
                    report.conflicted.push((entry.id, detail));
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

    /// Sends one entry with `If-Match: version`; returns the case's version afterwards (read
    /// back into the cache), when it could be learnt.
    async fn send_entry(
        &self,
        entry: &OutboxEntry,
        version: i64,
    ) -> Result<Option<i64>, DeskError> {
        let client = self.client()?;
        let number = &entry.case_number;
        let key = entry.idempotency_key.as_str();
        let result = match &entry.change {
            PendingChange::Note(note) => {
                client.add_note(number, note, version, key).await.map(drop)
            }
            PendingChange::Escalation(e) => {
                client.escalate(number, e, version, key).await.map(drop)
            }
            PendingChange::Patch(patch) => {
                let case = self.observe(client.patch_case(number, patch, version).await)?;
                self.cache().put_detail(&case, None, Utc::now())?;
                return Ok(Some(case.summary.version));
            }
        };
        self.observe(result)?;
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
    async fn already_applied(&self, entry: &OutboxEntry) -> bool {
        let PendingChange::Patch(patch) = &entry.change else {
            return false;
        };
        if entry.attempts == 0 {
            return false;
        }
        let Ok(client) = self.client() else {
            return false;
        };
        match client.case(&entry.case_number, None).await {
            Ok(crate::api::Fetched::Fresh { value, .. }) => patch_holds(patch, &value),
            _ => false,
        }
    }

    /// Puts a conflicted or failed entry back against the case's current version and sends
    /// the outbox.
    pub async fn retry(&self, id: i64) -> Result<Submitted, DeskError> {
        let entry = self.outbox_entry(id)?;
        self.fetch_detail(&entry.case_number, None).await?;
        let version = self
            .cache()
            .summary(&entry.case_number)?
            .map(|s| s.version)
            .ok_or_else(|| {
                DeskError::NotCached(format!("case {} is not cached", entry.case_number))
            })?;
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

/// What became of `entry` in a flush.
fn outcome(entry: &OutboxEntry, report: &FlushReport) -> Submitted {
    if report.sent.iter().any(|(id, ..)| *id == entry.id) {
        Submitted::Sent
    } else if let Some((_, why)) = report.conflicted.iter().find(|(id, _)| *id == entry.id) {
        Submitted::Conflicted(entry.id, why.clone())
    } else if let Some((_, why)) = report.failed.iter().find(|(id, _)| *id == entry.id) {
        Submitted::Failed(entry.id, why.clone())
    } else {
        Submitted::Queued(entry.id)
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
