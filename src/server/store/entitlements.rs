//! The install base (SPEC §2.10): serial number → support contract, looked up by cases and
//! loaded by an admin's import.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, OptionalExtension, Row};
use serde::Serialize;

use super::{Caller, StoreError, col};
use crate::api::{Entitlement, EntitlementRow, ImportReport, ImportedRow, Role, RowOutcome};
use crate::domain::ContractTier;

/// Longest serial number accepted.
pub const SERIAL_MAX: usize = 64;

/// Longest site name, site ID or account accepted.
const TEXT_MAX: usize = 200;

const COLUMNS: &str = "serial_number, tier, contract_end, site_name, site_id, account";

fn from_row(r: &Row, at: DateTime<Utc>) -> rusqlite::Result<Entitlement> {
    let end: NaiveDate = col(r, 2)?;
    Ok(Entitlement {
        serial_number: r.get(0)?,
        tier: col(r, 1)?,
        contract_end: end,
        site_name: r.get(3)?,
        site_id: r.get(4)?,
        account: r.get(5)?,
        active: at.date_naive() <= end,
    })
}

/// The support contract of a serial number, as of `at`.
pub fn entitlement(
    conn: &Connection,
    serial: &str,
    at: DateTime<Utc>,
) -> Result<Option<Entitlement>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM entitlements WHERE serial_number = ?1"
    ))?;
    Ok(stmt
        .query_row([serial.trim()], |r| from_row(r, at))
        .optional()?)
}

/// Every entitlement, by serial number; `expired` keeps only lapsed (true) or active (false)
/// contracts as of `at`.
pub fn list_entitlements(
    conn: &Connection,
    expired: Option<bool>,
    at: DateTime<Utc>,
) -> Result<Vec<Entitlement>, StoreError> {
    // Dates are stored as YYYY-MM-DD, which compares in date order as text.
    let filter = match expired {
        None => "",
        Some(true) => "WHERE contract_end < ?1",
        Some(false) => "WHERE contract_end >= ?1",
    };
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM entitlements {filter} ORDER BY serial_number"
    ))?;
    let today = at.date_naive().to_string();
    let rows = if expired.is_some() {
        stmt.query_map([today], |r| from_row(r, at))?
            .collect::<Result<Vec<_>, _>>()?
    } else {
        stmt.query_map([], |r| from_row(r, at))?
            .collect::<Result<Vec<_>, _>>()?
    };
    Ok(rows)
}

/// Records (or replaces) a serial's support contract.
pub fn put_entitlement(conn: &Connection, e: &Entitlement) -> Result<(), StoreError> {
    conn.execute(
        &format!("INSERT OR REPLACE INTO entitlements ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
        (
            &e.serial_number,
            e.tier.as_str(),
            e.contract_end.to_string(),
            &e.site_name,
            &e.site_id,
            &e.account,
        ),
    )?;
    Ok(())
}

/// A contract as stored, without the `active` flag that depends on the day it is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contract {
    /// Serial number, trimmed.
    pub serial_number: String,
    /// Tier.
    pub tier: ContractTier,
    /// Last day.
    pub contract_end: NaiveDate,
    /// Site name, trimmed.
    pub site_name: String,
    /// Site ID, trimmed.
    pub site_id: String,
    /// Account, trimmed.
    pub account: String,
}

/// A required one-line text field, trimmed, or why it is refused.
fn text_field(name: &str, value: &str, max: usize) -> Result<String, String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(format!("{name} is missing: expected a non-empty value"));
    }
    if value.chars().any(char::is_control) {
        return Err(format!(
            "{name} '{}' holds control characters (a line break or tab): expected one line of text",
            value.escape_debug()
        ));
    }
    if value.chars().count() > max {
        return Err(format!(
            "{name} is {} characters long: expected at most {max}",
            value.chars().count()
        ));
    }
    Ok(value.to_string())
}

/// Checks one import row; the error names the field and the form expected.
pub fn check_row(row: &EntitlementRow) -> Result<Contract, String> {
    let serial_number = text_field("serial_number", &row.serial_number, SERIAL_MAX)?;
    let tier: ContractTier = row
        .tier
        .parse()
        .map_err(|e: crate::domain::ParseError| e.for_flag("tier"))?;
    let end = row.contract_end.trim();
    // Exactly YYYY-MM-DD: chrono alone would also take 2027-3-31, which spreadsheets misread.
    let contract_end = NaiveDate::parse_from_str(end, "%Y-%m-%d")
        .ok()
        .filter(|_| end.len() == 10)
        .ok_or_else(|| {
            format!("contract_end '{end}': expected a date YYYY-MM-DD, e.g. 2027-03-31")
        })?;
    Ok(Contract {
        serial_number,
        tier,
        contract_end,
        site_name: text_field("site_name", &row.site_name, TEXT_MAX)?,
        site_id: text_field("site_id", &row.site_id, TEXT_MAX)?,
        account: text_field("account", &row.account, TEXT_MAX)?,
    })
}

/// The change-feed payload of an applied import.
#[derive(Debug, Serialize)]
struct Imported<'a> {
    by: &'a str,
    added: u32,
    updated: u32,
    unchanged: u32,
    refused: u32,
}

/// Adds and updates the install base from `rows` (admin only), reporting every row.
///
/// A refused row stops the whole batch unless `skip_bad`: then nothing is written and the
/// report says `applied: false`, with what the other rows would have done. Rows are checked
/// and compared before anything is written, so a caller's transaction is all or nothing. An
/// applied import that changed something emits `entitlements.imported` and marks the cases of
/// the changed serials as changed, so clients refetch their entitlement.
pub fn import_entitlements(
    conn: &Connection,
    rows: &[EntitlementRow],
    skip_bad: bool,
    caller: &Caller,
    at: DateTime<Utc>,
) -> Result<ImportReport, StoreError> {
    caller.require(Role::Admin, "import entitlements")?;
    let mut report = ImportReport {
        applied: false,
        added: 0,
        updated: 0,
        unchanged: 0,
        refused: 0,
        rows: Vec::with_capacity(rows.len()),
    };
    let mut writes = Vec::new();
    // Serials compare as SQLite's NOCASE does (ASCII case folded), so a file cannot hold the
    // same serial twice under two spellings.
    let mut first_row: HashMap<String, u32> = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let checked = check_row(row).and_then(|contract| {
            let key = contract.serial_number.to_ascii_lowercase();
            match first_row.get(&key) {
                Some(first) => Err(format!(
                    "serial_number {} is already given by row {first}: expected each serial once per import",
                    contract.serial_number
                )),
                None => Ok((key, contract)),
            }
        });
        let (outcome, reason) = match checked {
            Err(reason) => {
                // A duplicate of this row is still a duplicate even if this row is refused.
                let serial = row.serial_number.trim();
                if !serial.is_empty() {
                    first_row
                        .entry(serial.to_ascii_lowercase())
                        .or_insert(number);
                }
                (RowOutcome::Refused, Some(reason))
            }
            Ok((key, contract)) => {
                first_row.insert(key, number);
                let outcome = match stored(conn, &contract.serial_number)? {
                    None => RowOutcome::Added,
                    Some(old) if old == contract => RowOutcome::Unchanged,
                    Some(_) => RowOutcome::Updated,
                };
                if outcome != RowOutcome::Unchanged {
                    writes.push(contract);
                }
                (outcome, None)
            }
        };
        match outcome {
            RowOutcome::Added => report.added += 1,
            RowOutcome::Updated => report.updated += 1,
            RowOutcome::Unchanged => report.unchanged += 1,
            RowOutcome::Refused => report.refused += 1,
        }
        report.rows.push(ImportedRow {
            row: number,
            serial_number: row.serial_number.trim().to_string(),
            outcome,
            reason,
        });
    }
    if report.refused > 0 && !skip_bad {
        return Ok(report);
    }
    report.applied = true;
    if writes.is_empty() {
        return Ok(report);
    }
    let mut put = conn.prepare_cached(&format!(
        "INSERT OR REPLACE INTO entitlements ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
    ))?;
    for c in &writes {
        put.execute((
            &c.serial_number,
            c.tier.as_str(),
            c.contract_end.to_string(),
            &c.site_name,
            &c.site_id,
            &c.account,
        ))?;
    }
    let seq = super::emit(
        conn,
        at,
        "entitlements.imported",
        None,
        &Imported {
            by: &caller.name,
            added: report.added,
            updated: report.updated,
            unchanged: report.unchanged,
            refused: report.refused,
        },
    )?;
    // A case shows its serial's entitlement and whether it is unentitled: the cases of a
    // changed serial go on the change feed, so clients fetch them again.
    let mut touch =
        conn.prepare_cached("UPDATE cases SET change_seq = ?1 WHERE serial_number = ?2")?;
    for c in &writes {
        touch.execute((seq, &c.serial_number))?;
    }
    Ok(report)
}

/// The contract stored for a serial, to compare an import row with.
fn stored(conn: &Connection, serial: &str) -> Result<Option<Contract>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM entitlements WHERE serial_number = ?1"
    ))?;
    Ok(stmt
        .query_row([serial], |r| {
            Ok(Contract {
                serial_number: r.get(0)?,
                tier: col(r, 1)?,
                contract_end: col(r, 2)?,
                site_name: r.get(3)?,
                site_id: r.get(4)?,
                account: r.get(5)?,
            })
        })
        .optional()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(serial: &str, tier: &str, end: &str) -> EntitlementRow {
        EntitlementRow {
            serial_number: serial.into(),
            tier: tier.into(),
            contract_end: end.into(),
            site_name: "東京本社".into(),
            site_id: "TKY-HQ01".into(),
            account: "ネクストリンク株式会社".into(),
        }
    }

    fn db() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(include_str!("../migrations/001_initial.sql"))
            .unwrap();
        conn
    }

    fn admin() -> Caller {
        Caller {
            name: "root".into(),
            role: Role::Admin,
        }
    }

    fn at() -> DateTime<Utc> {
        "2026-11-25T00:00:00Z".parse().unwrap()
    }

    #[test]
    fn a_good_row_is_trimmed_and_typed() {
        let c = check_row(&row("  FOC2455VHBE ", " TAC-Care", "2027-03-31")).unwrap();
        assert_eq!(c.serial_number, "FOC2455VHBE");
        assert_eq!(c.tier, ContractTier::TacCare);
        assert_eq!(c.contract_end.to_string(), "2027-03-31");
        assert_eq!(c.site_id, "TKY-HQ01");
    }

    #[test]
    fn each_bad_field_is_named_with_the_form_expected() {
        let cases = [
            (
                row("", "standard", "2027-03-31"),
                "serial_number is missing",
            ),
            (
                row("A\u{7}B", "standard", "2027-03-31"),
                "serial_number 'A\\u{7}B' holds control",
            ),
            (
                row(&"X".repeat(65), "standard", "2027-03-31"),
                "expected at most 64",
            ),
            (
                row("FOC1", "gold", "2027-03-31"),
                "invalid tier 'gold': expected tac-care, tac-advanced, tac-premium, standard, premium or self_service",
            ),
            (
                row("FOC1", "premium", "2027/03/31"),
                "contract_end '2027/03/31': expected a date YYYY-MM-DD",
            ),
            (
                row("FOC1", "premium", "2027-3-31"),
                "expected a date YYYY-MM-DD",
            ),
            (
                row("FOC1", "premium", "2027-02-30"),
                "expected a date YYYY-MM-DD",
            ),
        ];
        for (r, expected) in cases {
            let e = check_row(&r).unwrap_err();
            assert!(e.contains(expected), "{r:?}: {e}");
        }
        let mut r = row("FOC1", "premium", "2027-03-31");
        r.account = "  ".into();
        assert_eq!(
            check_row(&r).unwrap_err(),
            "account is missing: expected a non-empty value"
        );
        assert!(check_row(&row(&"X".repeat(64), "premium", "2027-03-31")).is_ok());
    }

    #[test]
    fn an_import_reports_each_row_and_applies_only_when_clean() {
        let conn = db();
        let first = [
            row("FOC1", "tac-care", "2027-03-31"),
            row("FOC2", "premium", "2025-01-31"),
        ];
        let r = import_entitlements(&conn, &first, false, &admin(), at()).unwrap();
        assert!(r.applied);
        assert_eq!((r.added, r.updated, r.unchanged, r.refused), (2, 0, 0, 0));

        let second = [
            row("foc1", "tac-care", "2027-03-31"),
            row("FOC2", "premium", "2027-01-31"),
            row("FOC3", "gold", "2027-03-31"),
            row("FOC4", "standard", "2027-03-31"),
            row("Foc4", "standard", "2027-03-31"),
        ];
        let r = import_entitlements(&conn, &second, false, &admin(), at()).unwrap();
        assert!(!r.applied);
        assert_eq!((r.added, r.updated, r.unchanged, r.refused), (1, 2, 0, 2));
        assert_eq!(
            r.rows[0].outcome,
            RowOutcome::Updated,
            "the serial's spelling changed"
        );
        assert!(
            r.rows[4]
                .reason
                .as_deref()
                .unwrap()
                .contains("already given by row 4")
        );
        assert!(
            entitlement(&conn, "FOC4", at()).unwrap().is_none(),
            "nothing applied"
        );
        assert_eq!(
            entitlement(&conn, "FOC2", at())
                .unwrap()
                .unwrap()
                .contract_end
                .to_string(),
            "2025-01-31"
        );

        let r = import_entitlements(&conn, &second, true, &admin(), at()).unwrap();
        assert!(r.applied);
        assert_eq!(
            entitlement(&conn, "FOC4", at()).unwrap().unwrap().tier,
            ContractTier::Standard
        );
        let again = import_entitlements(&conn, &second[..2], false, &admin(), at()).unwrap();
        assert_eq!((again.added, again.updated, again.unchanged), (0, 0, 2));

        let expired = list_entitlements(&conn, Some(true), at()).unwrap();
        assert!(expired.is_empty(), "{expired:?}");
        let all = list_entitlements(&conn, None, at()).unwrap();
        let serials: Vec<_> = all.iter().map(|e| e.serial_number.as_str()).collect();
        assert_eq!(serials, ["foc1", "FOC2", "FOC4"]);
    }

    #[test]
    fn only_an_admin_imports() {
        let conn = db();
        let agent = Caller {
            name: "tanaka".into(),
            role: Role::Agent,
        };
        let e = import_entitlements(&conn, &[], false, &agent, at()).unwrap_err();
        assert!(e.to_string().contains("the role admin"), "{e}");
    }
}
