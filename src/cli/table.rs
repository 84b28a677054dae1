//! Plain aligned tables for terminal output, width-aware for Japanese text.

use std::sync::OnceLock;

use comfy_table::{ContentArrangement, Table, presets};

use crate::term::text::Lang;

/// The language of the headers, once a command has read its config.
static LANGUAGE: OnceLock<Lang> = OnceLock::new();

/// Sets the headers' language from the config's `[tui] language` (else `LANG`), once.
pub fn set_language(configured: Option<&str>) {
    let lang = Lang::choose(configured, |k| std::env::var(k).ok()).unwrap_or_default();
    let _ = LANGUAGE.set(lang);
}

/// The headers' language (and the output's): as set, else from `LANG`.
pub fn language() -> Lang {
    *LANGUAGE.get_or_init(|| Lang::choose(None, |k| std::env::var(k).ok()).unwrap_or_default())
}

/// A borderless table with a header row, as `ls -l` or `kubectl get` print.
pub fn plain(header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_style(presets::NOTHING)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(header.iter().map(|h| language().table_header(h)));
    for column in table.column_iter_mut() {
        column.set_padding((0, 2));
    }
    table
}

/// A table that, written to a terminal, fits its width: the columns named in `shrink`
/// (subjects, sites) are cut with `…` instead of wrapping mid-row; the others (numbers,
/// countdowns) are always whole. Piped output keeps every character.
pub fn fitted(header: &[&str], shrink: &[&str]) -> Table {
    let mut table = plain(header);
    table
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_truncation_indicator("…");
    let mut names = comfy_table::Row::from(header.iter().map(|h| language().table_header(h)));
    names.max_height(1);
    table.set_header(names);
    for (column, name) in table.column_iter_mut().zip(header) {
        if !shrink.contains(name) {
            column.set_constraint(comfy_table::ColumnConstraint::ContentWidth);
        }
    }
    table
}

/// Adds a row that stays on one line (cut to fit when the table is [`fitted`]).
pub fn add_line(table: &mut Table, cells: Vec<String>) {
    let mut row = comfy_table::Row::from(cells);
    row.max_height(1);
    table.add_row(row);
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
