//! Plain aligned tables for terminal output, width-aware for Japanese text.

use comfy_table::{ContentArrangement, Table, presets};

/// A borderless table with a header row, as `ls -l` or `kubectl get` print.
pub fn plain(header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_style(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.iter().map(|h| h.to_uppercase()));
    for column in table.column_iter_mut() {
        column.set_padding((0, 2));
    }
    table
}

/// The table as text, trailing spaces trimmed, ending in a newline.
pub fn render(table: &Table) -> String {
    let mut text: String = table
        .lines()
        .map(|line| line.trim_end().to_string() + "\n")
        .collect();
    if text.is_empty() {
        text.push('\n');
    }
    text
}
