//! What the drawing tests (TUI and wallboard snapshots) share: the fixed instant, case
//! summaries built from a common base, and reading a drawn buffer as text.

use chrono::{DateTime, Duration, Utc};
use ratatui::buffer::Buffer;
use serde_json::{Value, json};
use unicode_width::UnicodeWidthStr;

use casedesk::api::CaseSummary;

/// The fixed instant every drawing test runs at: a Tuesday, 05:00 UTC (14:00 in Tokyo).
pub const NOW: &str = "2026-11-24T05:00:00Z";

/// [`NOW`] as an instant.
pub fn now() -> DateTime<Utc> {
    NOW.parse().unwrap()
}

/// `now` moved by `minutes`, as the API writes instants.
pub fn at(minutes: i64) -> String {
    (now() + Duration::minutes(minutes)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A case summary as JSON: common fields, then `over` on top.
pub fn summary_json(over: Value) -> Value {
    let mut base = json!({
        "number": "2026-1124-000101",
        "subject": "",
        "priority": "P3",
        "status": "open",
        "owner": "tanaka",
        "tier": "tac-advanced",
        "channel": "web",
        "request_type": "technical_support",
        "site_name": "",
        "site_id": "S-0001",
        "account": "ACME Japan",
        "contact_name": "",
        "product": "NX-9300",
        "platform": "NX-9300",
        "serial_number": "FTX2231A0KQ",
        "created_at": at(-26 * 60),
        "updated_at": at(-90),
        "next_due": null,
        "breached": false,
        "temporarily_downgraded": false,
        "open_escalations": 0,
        "version": 3
    });
    let (Value::Object(base_map), Value::Object(over)) = (&mut base, over) else {
        unreachable!()
    };
    base_map.extend(over);
    base
}

/// A case summary: common fields, then `over` on top.
pub fn summary(over: Value) -> CaseSummary {
    serde_json::from_value(summary_json(over)).unwrap()
}

/// One row of the buffer as text (wide glyphs once), untrimmed.
pub fn row_text(buf: &Buffer, y: u16) -> String {
    let mut line = String::new();
    let mut skip = 0usize;
    for x in buf.area.left()..buf.area.right() {
        let symbol = buf[(x, y)].symbol();
        if skip > 0 {
            skip -= 1;
            continue;
        }
        line.push_str(symbol);
        skip = symbol.width().saturating_sub(1);
    }
    line
}

/// The x of the first cell of `needle` in row `y`: the column on screen, wide glyphs counting
/// two.
pub fn find_in_row(buf: &Buffer, y: u16, needle: &str) -> Option<u16> {
    let row = row_text(buf, y);
    let byte = row.find(needle)?;
    Some(row[..byte].width() as u16)
}

/// The first row holding `needle`, and its column.
pub fn find(buf: &Buffer, needle: &str) -> Option<(u16, u16)> {
    (buf.area.top()..buf.area.bottom()).find_map(|y| find_in_row(buf, y, needle).map(|x| (x, y)))
}
