//! What the desk knows about a serial number while a case is taken in (SPEC §2.11): its
//! contract, and the cases already open for it (the guides ask for one issue per case).

use super::{Desk, DeskError};
use crate::api::{CaseSummary, ClientError, Entitlement};

/// The most open cases of one serial listed as possible duplicates.
const DUPLICATES_SHOWN: usize = 20;

/// A serial number as the desk knows it.
#[derive(Debug, Clone, PartialEq)]
pub struct SerialCheck {
    /// The serial, as looked up.
    pub serial: String,
    /// Its contract: `Some(None)` when the server has none on file, `None` when the server
    /// could not be asked.
    pub entitlement: Option<Option<Entitlement>>,
    /// Open cases of the same serial, newest first.
    pub open_cases: Vec<CaseSummary>,
}

impl SerialCheck {
    /// The warning a new case for this serial deserves, if any (SPEC §2.10): no active
    /// contract, or none on file.
    pub fn warning(&self) -> Option<String> {
        match &self.entitlement {
            Some(Some(e)) if !e.active => Some(format!(
                "serial {} has no active contract (ended {}): the case will be flagged",
                e.serial_number, e.contract_end
            )),
            Some(None) => Some(format!(
                "serial {} has no contract on file: the case will be flagged",
                self.serial
            )),
            _ => None,
        }
    }
}

impl Desk {
    /// Looks a serial up: its contract on the server, and its open cases (the server's list,
    /// or the cache's when the server cannot be reached).
    pub async fn check_serial(&self, serial: &str) -> Result<SerialCheck, DeskError> {
        let serial = serial.trim().to_string();
        let mut reachable = true;
        let entitlement = if self.has_server() {
            match self
                .call(async |client| client.casedesk("entitlements")?.entitlement(&serial).await)
                .await
            {
                Ok(e) => Some(Some(e)),
                Err(DeskError::Client(ClientError::NotFound(_))) => Some(None),
                Err(e) if e.is_unreachable() => {
                    reachable = false;
                    None
                }
                Err(e) => return Err(e),
            }
        } else {
            reachable = false;
            None
        };
        let same = |c: &CaseSummary| {
            c.serial_number
                .as_deref()
                .is_some_and(|s| s.eq_ignore_ascii_case(&serial))
        };
        let mut open_cases = None;
        if reachable && self.has_server() {
            let q: String = form_urlencoded::byte_serialize(serial.as_bytes()).collect();
            let query = format!("open=true&q={q}&sort=created:desc&limit=100");
            match self.call(async |client| client.cases(&query).await).await {
                Ok(page) => open_cases = Some(page.items.into_iter().filter(same).collect()),
                Err(e) if e.is_unreachable() => {}
                Err(e) => return Err(e),
            }
        }
        let mut open_cases: Vec<CaseSummary> = match open_cases {
            Some(cases) => cases,
            None => self
                .cache()
                .summaries()?
                .into_iter()
                .filter(|c| same(c) && c.status.is_open())
                .collect(),
        };
        open_cases.sort_by_key(|c| std::cmp::Reverse(c.created_at));
        open_cases.truncate(DUPLICATES_SHOWN);
        Ok(SerialCheck {
            serial,
            entitlement,
            open_cases,
        })
    }
}
