//! The install base's import (SPEC §2.10): the rows an admin loads and the report per row.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The fields of an import row, in the order a CSV file's header must name them.
pub const IMPORT_COLUMNS: [&str; 6] = [
    "serial_number",
    "tier",
    "contract_end",
    "site_name",
    "site_id",
    "account",
];

/// One row of an install-base import: a serial number and its contract, as text, so that
/// every bad field is reported against its row instead of failing the whole batch.
///
/// Unknown members are ignored, so the JSON of `casedesk entitlements list --json` (which
/// adds `active`) imports as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EntitlementRow {
    /// Serial number: 1 to 64 characters, no control characters.
    #[serde(default)]
    pub serial_number: String,
    /// Contract tier: tac-care, tac-advanced, tac-premium, standard, premium or self_service.
    #[serde(default)]
    pub tier: String,
    /// Last day of the contract, `YYYY-MM-DD`.
    #[serde(default)]
    pub contract_end: String,
    /// Site name (required).
    #[serde(default)]
    pub site_name: String,
    /// Site ID (required).
    #[serde(default)]
    pub site_id: String,
    /// Customer account (required).
    #[serde(default)]
    pub account: String,
}

/// A batch of install-base rows to add or update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntitlementImport {
    /// The rows; row numbers in the report count from 1 in this order.
    pub rows: Vec<EntitlementRow>,
    /// Apply the good rows even when some are refused (default: a refused row stops them all).
    #[serde(default)]
    pub skip_bad: bool,
}

/// What an import did (or would have done) with one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RowOutcome {
    /// A serial the install base did not have.
    Added,
    /// A known serial whose contract changed.
    Updated,
    /// A known serial with the same contract.
    Unchanged,
    /// A row with a bad field, or a serial already given by an earlier row.
    Refused,
}

impl RowOutcome {
    /// The word in reports.
    pub const fn as_str(self) -> &'static str {
        match self {
            RowOutcome::Added => "added",
            RowOutcome::Updated => "updated",
            RowOutcome::Unchanged => "unchanged",
            RowOutcome::Refused => "refused",
        }
    }
}

/// One row's line of an import report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ImportedRow {
    /// The row's number in the batch, from 1 (a CSV file's first row after the header is 1).
    pub row: u32,
    /// The serial number as given.
    pub serial_number: String,
    /// What happened to it.
    pub outcome: RowOutcome,
    /// Why a row was refused: the field and the form expected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The answer to an import: counts, whether anything was written, and every row's outcome.
///
/// When `applied` is false nothing was written, and the counts say what the import would have
/// done had the refused rows been fixed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ImportReport {
    /// Whether the rows were written (false: a row was refused and `skip_bad` was not set).
    pub applied: bool,
    /// Rows that add a serial.
    pub added: u32,
    /// Rows that change a serial's contract.
    pub updated: u32,
    /// Rows equal to what the install base holds.
    pub unchanged: u32,
    /// Rows refused.
    pub refused: u32,
    /// Every row, in the order given.
    pub rows: Vec<ImportedRow>,
}
