//! The queue: every cached case, cut down by the saved view, sorted, then narrowed by the live
//! filter. Each stage keeps the one before it, so typing a filter only scans what the last
//! keystroke left, and a refresh keeps the selected case selected.

use chrono::{DateTime, Utc};

use super::views::View;
use crate::api::CaseSummary;
use crate::api::query::Sort;
use crate::domain::CaseNumber;

/// A case with what the filter searches, prepared once per load.
#[derive(Debug, Clone)]
pub struct Row {
    /// The case.
    pub case: CaseSummary,
    /// Subject, site, site ID, contact, serial, owner, number and the cached RMA numbers,
    /// lower-cased, NUL-separated so a needle cannot match across two fields.
    haystack: String,
    /// The case number without dashes.
    digits: String,
}

impl Row {
    /// Prepares a case for filtering.
    pub fn new(case: CaseSummary) -> Row {
        let number = case.number.to_string();
        let fields = [
            case.subject.as_str(),
            case.site_name.as_str(),
            case.site_id.as_str(),
            case.contact_name.as_str(),
            case.serial_number.as_deref().unwrap_or(""),
            case.owner.as_deref().unwrap_or(""),
            number.as_str(),
        ];
        Row {
            haystack: fields.join("\0").to_lowercase(),
            digits: number.replace('-', ""),
            case,
        }
    }

    /// Adds the case's RMA numbers (known from its cached detail; the summary has none) to
    /// what the filter searches.
    pub fn with_rmas(mut self, rmas: &[String]) -> Row {
        for rma in rmas {
            self.haystack.push('\0');
            self.haystack.push_str(&rma.to_lowercase());
        }
        self
    }

    fn matches(&self, needle: &Needle) -> bool {
        (needle.digits_only && self.digits.contains(&needle.digits))
            || self.haystack.contains(&needle.lower)
    }
}

/// A filter text, prepared once per keystroke; same meaning as [`crate::api::text_matches`].
struct Needle {
    lower: String,
    digits: String,
    digits_only: bool,
}

impl Needle {
    fn new(text: &str) -> Needle {
        let text = text.trim();
        let digits: String = text.chars().filter(|c| *c != '-').collect();
        Needle {
            lower: text.to_lowercase(),
            digits_only: !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()),
            digits,
        }
    }
}

/// The queue's state.
#[derive(Debug, Default)]
pub struct Queue {
    rows: Vec<Row>,
    /// Rows in the view, sorted.
    in_view: Vec<u32>,
    /// Rows in the view that pass the filter, in sort order.
    shown: Vec<u32>,
    /// The filter the shown rows pass.
    filter: String,
    /// The sort.
    pub sort: Sort,
    /// The selected position in the shown rows.
    selected: usize,
    /// The first shown row on screen.
    pub offset: usize,
}

impl Queue {
    /// Replaces the cases (a reload from the cache), keeping the selected case selected.
    pub fn set_rows(&mut self, rows: Vec<Row>, view: &View, me: Option<&str>, now: DateTime<Utc>) {
        let keep = self.selected_number().cloned();
        let at = self.selected;
        self.rows = rows;
        // The old positions index the old rows: forget them before anything reads them.
        self.in_view.clear();
        self.shown.clear();
        self.selected = 0;
        self.apply_view(view, me, now);
        // A selected case that left the view leaves the selection on the row that took its
        // place, not at the top.
        self.selected = at.min(self.shown.len().saturating_sub(1));
        if let Some(number) = keep {
            self.select_number(&number);
        }
    }

    /// Whether a case is among the shown rows.
    pub fn shows(&self, number: &CaseNumber) -> bool {
        self.shown
            .iter()
            .any(|&i| &self.rows[i as usize].case.number == number)
    }

    /// Where a case is among the shown rows.
    pub fn position_of(&self, number: &CaseNumber) -> Option<usize> {
        self.shown
            .iter()
            .position(|&i| &self.rows[i as usize].case.number == number)
    }

    /// Whether the saved view holds a case (shown or hidden by the live filter).
    pub fn in_view(&self, number: &CaseNumber) -> bool {
        self.in_view
            .iter()
            .any(|&i| &self.rows[i as usize].case.number == number)
    }

    /// Recomputes which cases the view holds and their order.
    pub fn apply_view(&mut self, view: &View, me: Option<&str>, now: DateTime<Utc>) {
        let keep = self.selected_number().cloned();
        let rows = &self.rows;
        let mut in_view: Vec<u32> = (0..rows.len() as u32)
            .filter(|&i| view.matches(&rows[i as usize].case, me, now))
            .collect();
        let sort = self.sort;
        in_view.sort_by(|&a, &b| sort.compare(&rows[a as usize].case, &rows[b as usize].case));
        self.in_view = in_view;
        let filter = std::mem::take(&mut self.filter);
        self.shown.clear();
        self.refilter(&filter, false);
        self.filter = filter;
        match keep {
            Some(number) => {
                self.select_number(&number);
            }
            None => self.selected = 0,
        }
    }

    /// Sets the live filter; a filter that extends the last one only narrows what is shown.
    pub fn set_filter(&mut self, text: &str) {
        if text == self.filter {
            return;
        }
        let keep = self.selected_number().cloned();
        let narrowing = !self.filter.is_empty() && text.starts_with(self.filter.as_str());
        self.refilter(text, narrowing);
        self.filter = text.to_string();
        self.selected = 0;
        if let Some(number) = keep {
            self.select_number(&number);
        }
    }

    fn refilter(&mut self, text: &str, narrowing: bool) {
        if text.trim().is_empty() {
            self.shown = self.in_view.clone();
            return;
        }
        let needle = Needle::new(text);
        let rows = &self.rows;
        if narrowing {
            self.shown.retain(|&i| rows[i as usize].matches(&needle));
        } else {
            self.shown = self
                .in_view
                .iter()
                .copied()
                .filter(|&i| rows[i as usize].matches(&needle))
                .collect();
        }
    }

    /// The live filter.
    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// How many cases the view holds, and how many pass the filter.
    pub fn counts(&self) -> (usize, usize) {
        (self.in_view.len(), self.shown.len())
    }

    /// Every cached case (for looking one up by number).
    pub fn all(&self) -> impl Iterator<Item = &CaseSummary> {
        self.rows.iter().map(|r| &r.case)
    }

    /// The shown cases, in their order.
    pub fn shown_cases(&self) -> impl Iterator<Item = &CaseSummary> {
        self.shown.iter().map(|&i| &self.rows[i as usize].case)
    }

    /// The shown case at a position.
    pub fn shown(&self, position: usize) -> Option<&CaseSummary> {
        let i = *self.shown.get(position)?;
        Some(&self.rows[i as usize].case)
    }

    /// How many cases are shown.
    pub fn len(&self) -> usize {
        self.shown.len()
    }

    /// Whether none is shown.
    pub fn is_empty(&self) -> bool {
        self.shown.is_empty()
    }

    /// The selected position.
    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The selected case.
    pub fn selected_case(&self) -> Option<&CaseSummary> {
        self.shown(self.selected)
    }

    fn selected_number(&self) -> Option<&CaseNumber> {
        self.selected_case().map(|c| &c.number)
    }

    /// Selects a case by number if it is shown; `false` when it is not.
    pub fn select_number(&mut self, number: &CaseNumber) -> bool {
        let rows = &self.rows;
        match self
            .shown
            .iter()
            .position(|&i| &rows[i as usize].case.number == number)
        {
            Some(p) => {
                self.selected = p;
                true
            }
            None => {
                self.selected = self.selected.min(self.shown.len().saturating_sub(1));
                false
            }
        }
    }

    /// Moves the selection by `delta` rows, stopping at the ends.
    pub fn move_by(&mut self, delta: isize) {
        let last = self.shown.len().saturating_sub(1);
        self.selected = self.selected.saturating_add_signed(delta).min(last);
    }

    /// Selects the first or the last row.
    pub fn select_edge(&mut self, last: bool) {
        self.selected = if last {
            self.shown.len().saturating_sub(1)
        } else {
            0
        };
    }

    /// Keeps the selected row within `height` rows from `offset`, and returns the offset.
    pub fn scroll_into_view(&mut self, height: usize) -> usize {
        if height == 0 {
            return self.offset;
        }
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(self.shown.len().saturating_sub(height));
        self.offset
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::api::text_matches;

    pub(crate) fn summary(n: u32, subject: &str, site: &str) -> CaseSummary {
        let json = serde_json::json!({
            "number": format!("2026-1120-{n:06}"),
            "subject": subject, "priority": "P3", "status": "open", "owner": null,
            "tier": "tac-care", "channel": "web", "request_type": "technical_support",
            "site_name": site, "site_id": "S-1", "account": "A", "contact_name": "佐藤 花子",
            "product": "X", "platform": "Linux", "serial_number": "FTX1234",
            "created_at": "2026-11-20T00:00:00Z", "updated_at": "2026-11-20T00:00:00Z",
            "next_due": null, "breached": false, "temporarily_downgraded": false,
            "open_escalations": 0, "version": 1
        });
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn prepared_rows_match_as_text_matches_does() {
        let cases = [
            summary(1, "VPN トンネルが切断される", "東京本社"),
            summary(2, "Backup job fails with E1234", "Osaka DC"),
        ];
        for needle in [
            "トンネル",
            "vpn",
            "osaka",
            "2026",
            "000002",
            "1120000002",
            "2026-1120-000002",
            "佐藤",
            "ftx",
            "e12",
            "s-1",
            "none",
        ] {
            for c in &cases {
                assert_eq!(
                    Row::new(c.clone()).matches(&Needle::new(needle)),
                    text_matches(c, needle),
                    "{needle} on {}",
                    c.subject
                );
            }
        }
    }

    #[test]
    fn the_filter_matches_site_ids_and_the_cached_rma_numbers() {
        let mut other_site = summary(2, "Backup job fails", "Osaka DC");
        other_site.site_id = "OSA-0042".into();
        let rows = vec![
            Row::new(summary(1, "VPN down", "東京本社")).with_rmas(&["R21000007".into()]),
            Row::new(other_site),
        ];
        let view = View::defaults().pop().unwrap();
        let mut q = Queue::default();
        q.set_rows(rows, &view, None, Utc::now());
        let shown = |q: &Queue| -> Vec<String> {
            (0..q.len())
                .map(|i| q.shown(i).unwrap().subject.clone())
                .collect()
        };
        q.set_filter("osa-0042");
        assert_eq!(shown(&q), ["Backup job fails"], "a site ID, any case");
        q.set_filter("R21000007");
        assert_eq!(shown(&q), ["VPN down"], "an RMA number as written");
        q.set_filter("r2100000");
        assert_eq!(shown(&q), ["VPN down"], "part of one, lower-case");
        q.set_filter("21000007");
        assert_eq!(shown(&q), ["VPN down"], "its digits alone");
        q.set_filter("R21000008");
        assert!(q.is_empty());
    }

    #[test]
    fn a_smaller_reload_with_the_selection_past_its_end_does_not_panic() {
        let view = View::defaults().pop().unwrap();
        let rows = |n: u32| {
            (1..=n)
                .map(|i| Row::new(summary(i, "s", "x")))
                .collect::<Vec<_>>()
        };
        let mut q = Queue::default();
        q.set_rows(rows(40), &view, None, Utc::now());
        q.select_edge(true);
        q.set_rows(rows(3), &view, None, Utc::now());
        assert_eq!(q.len(), 3);
        assert!(q.selected() < 3);
        q.set_rows(Vec::new(), &view, None, Utc::now());
        assert!(q.selected_case().is_none());
    }

    #[test]
    fn filtering_narrows_and_widens_and_keeps_the_selection() {
        let rows: Vec<Row> = (1..=50)
            .map(|n| {
                Row::new(summary(
                    n,
                    &format!("case {n}"),
                    if n % 2 == 0 { "東京" } else { "大阪" },
                ))
            })
            .collect();
        let mut q = Queue::default();
        let view = View::defaults().pop().unwrap();
        q.set_rows(rows.clone(), &view, None, Utc::now());
        assert_eq!(q.counts(), (50, 50));
        q.move_by(3);
        let picked = q.selected_case().unwrap().number;
        q.set_filter("東");
        assert_eq!(q.len(), 25);
        q.set_filter("東京");
        assert_eq!(q.len(), 25);
        q.set_filter("case 1");
        assert_eq!(q.len(), 11, "1, 10–19");
        q.set_filter("");
        assert_eq!(q.len(), 50);
        q.select_number(&picked);
        q.set_rows(rows, &view, None, Utc::now());
        assert_eq!(q.selected_case().unwrap().number, picked);
    }
}
