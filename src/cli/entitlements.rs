//! `casedesk entitlements import` and `list`: the install base an admin loads (SPEC §2.10).

use std::path::{Path, PathBuf};

use chrono::Utc;
use clap::Subcommand;

use super::client::{GlobalArgs, block_on, casedesk_client, load_profile};
use super::{CliError, table, write_out};
use crate::api::{EntitlementRow, IMPORT_COLUMNS, ImportReport, Role};
use crate::sanitize::clean;
use crate::server::store::{self, Caller};

/// `casedesk entitlements` subcommands.
#[derive(Debug, Subcommand)]
pub enum EntitlementsCommand {
    /// Add and update serial numbers' contracts from a CSV or JSON file (admin).
    Import {
        /// CSV with the header serial_number,tier,contract_end,site_name,site_id,account, or
        /// (.json, or text starting with `[`) a JSON array of objects with those fields.
        file: PathBuf,
        /// Write into this server database file directly (on the server host, e.g. while the
        /// server is stopped) instead of over the API.
        #[arg(long, value_name = "PATH")]
        db: Option<PathBuf>,
        /// Apply the good rows even when some are refused.
        #[arg(long)]
        skip_bad: bool,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// The install base, by serial number.
    List {
        /// Only contracts that have ended.
        #[arg(long)]
        expired: bool,
        /// Print a JSON array of entitlements.
        #[arg(long)]
        json: bool,
    },
}

/// Runs an `entitlements` subcommand.
pub fn run(
    cmd: EntitlementsCommand,
    global: &GlobalArgs,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    match cmd {
        EntitlementsCommand::Import {
            file,
            db,
            skip_bad,
            json,
        } => import(&file, db.as_deref(), skip_bad, json, global, out),
        EntitlementsCommand::List { expired, json } => list(expired, json, global, out),
    }
}

/// The header a CSV file must start with.
fn expected_header() -> String {
    IMPORT_COLUMNS.join(",")
}

/// Reads the rows of an import file; the error is one line naming the file and the problem.
pub fn read_rows(path: &Path) -> Result<Vec<EntitlementRow>, CliError> {
    let bytes = std::fs::read(path).map_err(|e| {
        CliError::Usage(format!(
            "cannot read {}: {e}; expected a CSV or JSON file of entitlements",
            path.display()
        ))
    })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        CliError::Usage(format!(
            "{} is not UTF-8 text: expected CSV or JSON in UTF-8 (a spreadsheet's \"CSV UTF-8\")",
            path.display()
        ))
    })?;
    let json_name = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    parse_rows(&text, json_name).map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))
}

/// Parses an import file's text: JSON when `json_name` or when it starts with `[`, else CSV.
pub fn parse_rows(text: &str, json_name: bool) -> Result<Vec<EntitlementRow>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rows = if json_name || text.trim_start().starts_with('[') {
        serde_json::from_str::<Vec<EntitlementRow>>(text).map_err(|e| {
            format!(
                "not a JSON array of entitlements ({e}): expected [{{\"serial_number\": \"…\", \"tier\": \"…\", \"contract_end\": \"YYYY-MM-DD\", \"site_name\": \"…\", \"site_id\": \"…\", \"account\": \"…\"}}, …]"
            )
        })?
    } else {
        parse_csv(text)?
    };
    if rows.is_empty() {
        return Err("no entitlements in the file: expected at least one row".into());
    }
    Ok(rows)
}

fn parse_csv(text: &str) -> Result<Vec<EntitlementRow>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| {
            format!(
                "cannot read the header ({e}): expected {}",
                expected_header()
            )
        })?
        .iter()
        .map(str::to_string)
        .collect();
    if header.iter().all(String::is_empty) {
        return Err(format!(
            "the file is empty: expected the header {} and a row per serial number",
            expected_header()
        ));
    }
    if header != IMPORT_COLUMNS {
        return Err(format!(
            "the header is '{}': expected exactly {}",
            header.join(","),
            expected_header()
        ));
    }
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let row = i + 1;
        let record = record.map_err(|e| format!("row {row}: {e}"))?;
        let line = record.position().map_or(0, |p| p.line());
        if record.len() != IMPORT_COLUMNS.len() {
            return Err(format!(
                "row {row} (line {line}) has {} fields: expected {} ({})",
                record.len(),
                IMPORT_COLUMNS.len(),
                expected_header()
            ));
        }
        let field = |i: usize| record.get(i).unwrap_or_default().to_string();
        rows.push(EntitlementRow {
            serial_number: field(0),
            tier: field(1),
            contract_end: field(2),
            site_name: field(3),
            site_id: field(4),
            account: field(5),
        });
    }
    Ok(rows)
}

/// `casedesk entitlements import FILE`.
fn import(
    file: &Path,
    db: Option<&Path>,
    skip_bad: bool,
    json: bool,
    global: &GlobalArgs,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let rows = read_rows(file)?;
    let report = match db {
        Some(path) => import_into_db(path, &rows, skip_bad)?,
        None => {
            let (_, profile) = load_profile(global)?;
            let client = casedesk_client(&profile, "entitlements")?;
            block_on(async { Ok(client.import_entitlements(&rows, skip_bad).await?) })?
        }
    };
    let text = if json {
        to_json(&report)?
    } else {
        render_report(&report)
    };
    write_out(out, &text)?;
    if report.applied {
        Ok(())
    } else {
        Err(CliError::Usage(format!(
            "{} row(s) refused, nothing applied: fix them or use --skip-bad",
            report.refused
        )))
    }
}

/// Writes straight into a server's database, with the same store function the API uses.
fn import_into_db(
    path: &Path,
    rows: &[EntitlementRow],
    skip_bad: bool,
) -> Result<ImportReport, CliError> {
    // Opening a missing path would create an empty database: a typo must not do that.
    if !path.is_file() {
        return Err(CliError::Usage(format!(
            "no database at {}: expected the server's database file (as given to casedesk serve --db)",
            path.display()
        )));
    }
    let db = super::serve::open_db(path)?;
    let caller = Caller {
        name: "admin (--db)".into(),
        role: Role::Admin,
    };
    let now = chrono::SubsecRound::trunc_subsecs(Utc::now(), 3);
    db.write_blocking(|tx| store::import_entitlements(tx, rows, skip_bad, &caller, now))
        .map_err(|e| CliError::Failed(e.to_string()))
}

/// The report as the terminal shows it: a line per row, then the counts.
pub fn render_report(report: &ImportReport) -> String {
    let row_width = report.rows.len().to_string().len();
    let serial_width = report
        .rows
        .iter()
        .map(|r| unicode_width::UnicodeWidthStr::width(r.serial_number.as_str()))
        .max()
        .unwrap_or(1)
        .clamp(1, store::SERIAL_MAX);
    let mut text = String::new();
    for r in &report.rows {
        let serial = if r.serial_number.is_empty() {
            "-".to_string()
        } else {
            clean(&r.serial_number, true).into_owned()
        };
        let pad =
            serial_width.saturating_sub(unicode_width::UnicodeWidthStr::width(serial.as_str()));
        let line = match &r.reason {
            Some(reason) => format!("{}: {reason}", r.outcome.as_str()),
            None => r.outcome.as_str().to_string(),
        };
        text.push_str(&format!(
            "row {:<row_width$}  {serial}{}  {}\n",
            r.row,
            " ".repeat(pad),
            clean(&line, true)
        ));
    }
    let outcome = match (report.applied, report.refused) {
        (false, _) => "nothing applied: fix the refused rows or use --skip-bad",
        (true, 0) => "applied",
        (true, _) => "applied without the refused rows",
    };
    text.push_str(&format!(
        "{} added, {} updated, {} unchanged, {} refused — {outcome}\n",
        report.added, report.updated, report.unchanged, report.refused
    ));
    text
}

/// `casedesk entitlements list`.
fn list(
    expired: bool,
    json: bool,
    global: &GlobalArgs,
    out: &mut dyn std::io::Write,
) -> Result<(), CliError> {
    let (_, profile) = load_profile(global)?;
    let client = casedesk_client(&profile, "entitlements")?;
    let list = block_on(async { Ok(client.entitlements(expired.then_some(true)).await?) })?;
    if json {
        return write_out(out, &to_json(&list)?);
    }
    let mut t = table::fitted(
        &[
            "serial",
            "tier",
            "contract end",
            "active",
            "site",
            "account",
        ],
        &["site", "account"],
    );
    for e in &list {
        table::add_line(
            &mut t,
            vec![
                clean(&e.serial_number, true).into_owned(),
                e.tier.to_string(),
                e.contract_end.to_string(),
                if e.active { "yes" } else { "EXPIRED" }.to_string(),
                format!(
                    "{} ({})",
                    clean(&e.site_name, true),
                    clean(&e.site_id, true)
                ),
                clean(&e.account, true).into_owned(),
            ],
        );
    }
    let mut text = table::render(&t);
    text.push_str(&format!("{} entitlement(s)\n", list.len()));
    write_out(out, &text)
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String, CliError> {
    super::json_text(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::RowOutcome;

    const HEADER: &str = "serial_number,tier,contract_end,site_name,site_id,account";

    #[test]
    fn csv_with_quotes_bom_and_crlf() {
        let text = format!(
            "\u{feff}{HEADER}\r\nFOC1,tac-care,2027-03-31,\"Tokyo, HQ\",TKY-01,\"Acme \"\"Japan\"\"\"\r\n\r\n JN2 , premium ,2026-01-31,横浜物流センター,YKH-LOG05,ネクストリンク株式会社\r\n"
        );
        let rows = parse_rows(&text, false).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].site_name, "Tokyo, HQ");
        assert_eq!(rows[0].account, "Acme \"Japan\"");
        assert_eq!(rows[1].serial_number, "JN2");
        assert_eq!(rows[1].tier, "premium");
        assert_eq!(rows[1].site_name, "横浜物流センター");
    }

    #[test]
    fn a_wrong_header_names_the_expected_one() {
        let e = parse_rows("serial,tier,end\nFOC1,standard,2027-01-01\n", false).unwrap_err();
        assert_eq!(
            e,
            format!("the header is 'serial,tier,end': expected exactly {HEADER}")
        );
        let e = parse_rows("", false).unwrap_err();
        assert!(
            e.starts_with("the file is empty: expected the header"),
            "{e}"
        );
        let e = parse_rows(&format!("{HEADER}\n"), false).unwrap_err();
        assert!(e.starts_with("no entitlements in the file"), "{e}");
    }

    #[test]
    fn a_row_with_missing_fields_is_named_with_its_line() {
        let text = format!("{HEADER}\nFOC1,standard,2027-01-01,a,b,c\nFOC2,standard\n");
        let e = parse_rows(&text, false).unwrap_err();
        assert!(
            e.starts_with("row 2 (line 3) has 2 fields: expected 6"),
            "{e}"
        );
    }

    #[test]
    fn json_by_name_or_by_its_bracket() {
        let text = r#" [{"serial_number":"FOC1","tier":"standard","contract_end":"2027-01-01",
            "site_name":"a","site_id":"b","account":"c","active":true}]"#;
        let rows = parse_rows(text, false).unwrap();
        assert_eq!(rows[0].serial_number, "FOC1");
        assert_eq!(rows[0].account, "c");
        let e = parse_rows("{}", true).unwrap_err();
        assert!(e.starts_with("not a JSON array of entitlements"), "{e}");
    }

    #[test]
    fn the_report_lists_rows_then_counts() {
        let report = ImportReport {
            applied: false,
            added: 1,
            updated: 0,
            unchanged: 0,
            refused: 1,
            rows: vec![
                crate::api::ImportedRow {
                    row: 1,
                    serial_number: "FOC1".into(),
                    outcome: RowOutcome::Added,
                    reason: None,
                },
                crate::api::ImportedRow {
                    row: 2,
                    serial_number: "FOC123".into(),
                    outcome: RowOutcome::Refused,
                    reason: Some("invalid tier 'gold': expected tac-care".into()),
                },
            ],
        };
        assert_eq!(
            render_report(&report),
            "row 1  FOC1    added\n\
             row 2  FOC123  refused: invalid tier 'gold': expected tac-care\n\
             1 added, 0 updated, 0 unchanged, 1 refused — nothing applied: fix the refused rows or use --skip-bad\n"
        );
    }
}
