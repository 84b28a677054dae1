//! The wallboard's state: the counts, the cases that breach next, what waits for a lead, how
//! fresh it all is, and which page shows. Pure: the runtime feeds it and draws it.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::api::{CaseSummary, Escalation, Rma, Stats};
use crate::config::DisplayZone;
use crate::sync::SyncStatus;
use crate::tui::text::Lang;

/// A page of the board.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// Big counts.
    Now,
    /// The cases that breach next.
    Next,
    /// Escalations waiting for a lead and RMAs past their return date.
    Waiting,
}

impl Page {
    /// Every page, in rotation order.
    pub const ALL: [Page; 3] = [Page::Now, Page::Next, Page::Waiting];

    /// Its name (also what `--page` takes).
    pub fn name(self) -> &'static str {
        match self {
            Page::Now => "now",
            Page::Next => "next",
            Page::Waiting => "waiting",
        }
    }

    /// Its label on the page indicator, in the interface's language.
    pub fn label(self, lang: Lang) -> &'static str {
        use crate::tui::text::Word;
        lang.word(match self {
            Page::Now => Word::PageNow,
            Page::Next => Word::PageNext,
            Page::Waiting => Word::PageWaiting,
        })
    }

    /// A page by name or number (1–3).
    pub fn parse(text: &str) -> Result<Page, String> {
        let t = text.trim().to_ascii_lowercase();
        Page::ALL
            .iter()
            .enumerate()
            .find(|(i, p)| p.name() == t || (i + 1).to_string() == t)
            .map(|(_, p)| *p)
            .ok_or_else(|| {
                format!("invalid --page '{text}': expected now, next or waiting (or 1–3)")
            })
    }
}

/// One count tile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tile {
    /// Open P1 cases.
    P1,
    /// Open P2 cases.
    P2,
    /// Open P3 cases.
    P3,
    /// Open P4 cases.
    P4,
    /// Open cases with a breached clock.
    Breached,
    /// Open cases due within the hour.
    DueSoon,
    /// Open cases nobody owns.
    Unassigned,
    /// Escalations requested or acknowledged.
    Escalations,
    /// RMAs past their return date.
    OverdueRmas,
}

impl Tile {
    /// The tiles in reading order.
    pub const ALL: [Tile; 9] = [
        Tile::P1,
        Tile::P2,
        Tile::P3,
        Tile::P4,
        Tile::Breached,
        Tile::DueSoon,
        Tile::Unassigned,
        Tile::Escalations,
        Tile::OverdueRmas,
    ];

    /// The config's name of the tile.
    pub fn key(self) -> &'static str {
        match self {
            Tile::P1 => "p1",
            Tile::P2 => "p2",
            Tile::P3 => "p3",
            Tile::P4 => "p4",
            Tile::Breached => "breached",
            Tile::DueSoon => "due_1h",
            Tile::Unassigned => "unassigned",
            Tile::Escalations => "escalations",
            Tile::OverdueRmas => "overdue_rmas",
        }
    }

    /// The tile's label in words.
    pub fn label(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::En, Tile::P1) => "P1 open",
            (Lang::En, Tile::P2) => "P2 open",
            (Lang::En, Tile::P3) => "P3 open",
            (Lang::En, Tile::P4) => "P4 open",
            (Lang::En, Tile::Breached) => "SLA breached",
            (Lang::En, Tile::DueSoon) => "Due within 1 hour",
            (Lang::En, Tile::Unassigned) => "Unassigned",
            (Lang::En, Tile::Escalations) => "Open escalations",
            (Lang::En, Tile::OverdueRmas) => "Overdue RMAs",
            (Lang::Ja, Tile::P1) => "P1 未完了",
            (Lang::Ja, Tile::P2) => "P2 未完了",
            (Lang::Ja, Tile::P3) => "P3 未完了",
            (Lang::Ja, Tile::P4) => "P4 未完了",
            (Lang::Ja, Tile::Breached) => "SLA 違反",
            (Lang::Ja, Tile::DueSoon) => "1 時間以内に期限",
            (Lang::Ja, Tile::Unassigned) => "未割り当て",
            (Lang::Ja, Tile::Escalations) => "エスカレーション",
            (Lang::Ja, Tile::OverdueRmas) => "返却期限切れ RMA",
        }
    }

    /// A label for narrow tiles.
    pub fn short_label(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::En, Tile::Breached) => "Breached",
            (Lang::En, Tile::DueSoon) => "Due < 1h",
            (Lang::En, Tile::Escalations) => "Escalations",
            (Lang::En, Tile::OverdueRmas) => "RMAs overdue",
            (Lang::Ja, Tile::DueSoon) => "1h 以内",
            (Lang::Ja, Tile::Escalations) => "エスカレ",
            (Lang::Ja, Tile::OverdueRmas) => "RMA 期限切れ",
            (lang, tile) => tile.label(lang),
        }
    }

    /// The tile's value in the server's counts.
    pub fn value(self, stats: &Stats) -> u64 {
        let prio = |p: &str| stats.open_by_priority.get(p).copied().unwrap_or(0);
        match self {
            Tile::P1 => prio("P1"),
            Tile::P2 => prio("P2"),
            Tile::P3 => prio("P3"),
            Tile::P4 => prio("P4"),
            Tile::Breached => stats.breached,
            Tile::DueSoon => stats.due_within_1h,
            Tile::Unassigned => stats.unassigned,
            Tile::Escalations => stats.open_escalations,
            Tile::OverdueRmas => stats.overdue_rmas,
        }
    }
}

/// How alarming a count is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// Nothing to see.
    Calm,
    /// Worth a look.
    Warn,
    /// Act now.
    Alert,
}

/// The counts from which a tile warns and alarms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thresholds(BTreeMap<Tile, (u64, u64)>);

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds(BTreeMap::from([
            (Tile::P1, (1, 1)),
            (Tile::P2, (3, 10)),
            (Tile::Breached, (1, 5)),
            (Tile::DueSoon, (1, 5)),
            (Tile::Unassigned, (5, 15)),
            (Tile::Escalations, (1, 5)),
            (Tile::OverdueRmas, (1, 3)),
        ]))
    }
}

impl Thresholds {
    /// The defaults with the config's `[wallboard.thresholds]` (`p2 = [3, 10]`) over them.
    pub fn configured(files: &BTreeMap<String, Vec<u64>>) -> Result<Thresholds, String> {
        let mut t = Thresholds::default();
        for (key, values) in files {
            let tile = Tile::ALL.iter().find(|t| t.key() == key).ok_or_else(|| {
                format!(
                    "[wallboard.thresholds] unknown tile '{key}': expected one of {}",
                    Tile::ALL.map(|t| t.key()).join(", ")
                )
            })?;
            match values.as_slice() {
                [warn, alert] if warn <= alert => {
                    t.0.insert(*tile, (*warn, *alert));
                }
                _ => {
                    return Err(format!(
                        "[wallboard.thresholds] {key} = {values:?}: expected [warn, alert] with warn ≤ alert, e.g. {key} = [1, 5]"
                    ));
                }
            }
        }
        Ok(t)
    }

    /// How alarming `value` is on `tile`.
    pub fn level(&self, tile: Tile, value: u64) -> Level {
        match self.0.get(&tile) {
            Some((_, alert)) if value >= *alert && value > 0 => Level::Alert,
            Some((warn, _)) if value >= *warn && value > 0 => Level::Warn,
            _ => Level::Calm,
        }
    }
}

/// What the board shows.
#[derive(Debug, Clone)]
pub struct Board {
    /// The server's counts, last fetched.
    pub stats: Option<Stats>,
    /// Open cases with a deadline, soonest first.
    pub next: Vec<CaseSummary>,
    /// Escalations waiting for a lead.
    pub escalations: Vec<Escalation>,
    /// RMAs past their return date.
    pub overdue_rmas: Vec<Rma>,
    /// The background sync.
    pub sync: SyncStatus,
    /// Now.
    pub now: DateTime<Utc>,
    /// The page shown.
    pub page: Page,
    /// Whether the page is pinned (no rotation).
    pub pinned: bool,
    /// How long a page shows.
    pub rotate: Duration,
    /// When the page was last turned.
    pub page_since: DateTime<Utc>,
    /// Tile colours.
    pub thresholds: Thresholds,
    /// The display zone.
    pub zone: DisplayZone,
    /// The language.
    pub lang: Lang,
}

/// How stale the data is, when it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Staleness {
    /// When the data was last confirmed by the server.
    pub last_update: Option<DateTime<Utc>>,
    /// How long ago that was, in whole minutes.
    pub minutes: i64,
    /// How loud the banner is.
    pub level: Level,
}

impl Board {
    /// A board at `now`.
    pub fn new(
        now: DateTime<Utc>,
        rotate: Duration,
        page: Option<Page>,
        zone: DisplayZone,
        lang: Lang,
        thresholds: Thresholds,
    ) -> Board {
        Board {
            stats: None,
            next: Vec::new(),
            escalations: Vec::new(),
            overdue_rmas: Vec::new(),
            sync: SyncStatus::default(),
            now,
            page: page.unwrap_or(Page::Now),
            pinned: page.is_some(),
            rotate,
            page_since: now,
            thresholds,
            zone,
            lang,
        }
    }

    /// Moves the clock on, turning the page when its time is up.
    pub fn tick(&mut self, now: DateTime<Utc>) {
        self.now = now;
        if self.pinned || self.rotate.is_zero() {
            return;
        }
        let shown = (now - self.page_since).to_std().unwrap_or_default();
        if shown >= self.rotate {
            self.turn(1);
        }
    }

    /// Shows the page `step` pages on (negative: back).
    pub fn turn(&mut self, step: isize) {
        let n = Page::ALL.len() as isize;
        let i = Page::ALL.iter().position(|p| *p == self.page).unwrap_or(0) as isize;
        self.page = Page::ALL[((i + step).rem_euclid(n)) as usize];
        self.page_since = self.now;
    }

    /// Takes in the cached cases: the open ones with a deadline, soonest first.
    pub fn set_cases(&mut self, mut cases: Vec<CaseSummary>) {
        cases.retain(|c| c.status.is_open() && c.next_due.is_some());
        cases.sort_by_key(|c| (c.next_due, c.priority));
        cases.truncate(100);
        self.next = cases;
    }

    /// Whether the data is stale: both the event stream and polling failed. Growing louder:
    /// a warning at first, an alert after five minutes.
    pub fn staleness(&self) -> Option<Staleness> {
        if self.sync.online || self.sync.connecting() {
            return None;
        }
        let last = self.sync.as_of.or(self.stats.as_ref().map(|s| s.at));
        let minutes = last.map_or(0, |t| (self.now - t).num_minutes().max(0));
        let level = if minutes >= 5 {
            Level::Alert
        } else {
            Level::Warn
        };
        Some(Staleness {
            last_update: last,
            minutes,
            level,
        })
    }

    /// The banner's words: `DATA STALE — last update 14:02 (7 min ago)`.
    pub fn stale_banner(&self) -> Option<String> {
        let s = self.staleness()?;
        use crate::tui::text::Word;
        let lang = self.lang;
        let when = match s.last_update {
            Some(t) => format!(
                "{} {} ({} {})",
                lang.word(Word::LastUpdate),
                self.zone.format(t, "%H:%M"),
                s.minutes,
                lang.word(Word::MinAgo)
            ),
            None => lang.word(Word::NoDataYet).to_string(),
        };
        Some(match self.lang {
            Lang::En => format!("DATA STALE — {when}"),
            Lang::Ja => format!("データが古くなっています — {when}"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn board() -> Board {
        Board::new(
            Utc::now(),
            Duration::from_secs(15),
            None,
            DisplayZone::named("UTC").unwrap(),
            Lang::En,
            Thresholds::default(),
        )
    }

    #[test]
    fn pages_rotate_unless_pinned() {
        let mut b = board();
        let t0 = b.now;
        b.tick(t0 + chrono::Duration::seconds(14));
        assert_eq!(b.page, Page::Now);
        b.tick(t0 + chrono::Duration::seconds(15));
        assert_eq!(b.page, Page::Next);
        b.turn(-2);
        assert_eq!(b.page, Page::Waiting);
        b.pinned = true;
        b.tick(t0 + chrono::Duration::seconds(600));
        assert_eq!(b.page, Page::Waiting);
        assert_eq!(Page::parse("2"), Ok(Page::Next));
        assert!(
            Page::parse("later")
                .unwrap_err()
                .contains("now, next or waiting")
        );
    }

    #[test]
    fn thresholds_from_config_and_levels() {
        let t =
            Thresholds::configured(&BTreeMap::from([("p3".to_string(), vec![10, 20])])).unwrap();
        assert_eq!(t.level(Tile::P3, 9), Level::Calm);
        assert_eq!(t.level(Tile::P3, 10), Level::Warn);
        assert_eq!(t.level(Tile::P3, 25), Level::Alert);
        assert_eq!(t.level(Tile::P1, 1), Level::Alert);
        assert_eq!(t.level(Tile::P1, 0), Level::Calm);
        let err =
            Thresholds::configured(&BTreeMap::from([("p9".to_string(), vec![1, 2])])).unwrap_err();
        assert!(err.contains("unknown tile 'p9'"), "{err}");
        let err =
            Thresholds::configured(&BTreeMap::from([("p2".to_string(), vec![5, 1])])).unwrap_err();
        assert!(err.contains("warn ≤ alert"), "{err}");
    }

    #[test]
    fn the_stale_banner_grows_louder_and_clears() {
        let mut b = board();
        assert_eq!(b.stale_banner(), None);
        let last = b.now - chrono::Duration::minutes(7);
        b.sync = SyncStatus {
            online: false,
            offline_since: Some(last),
            as_of: Some(last),
            ..SyncStatus::default()
        };
        let banner = b.stale_banner().unwrap();
        assert!(banner.starts_with("DATA STALE — last update"), "{banner}");
        assert!(banner.ends_with("(7 min ago)"), "{banner}");
        assert_eq!(b.staleness().unwrap().level, Level::Alert);
        b.sync.as_of = Some(b.now - chrono::Duration::minutes(1));
        assert_eq!(b.staleness().unwrap().level, Level::Warn);
        b.sync.online = true;
        assert_eq!(b.stale_banner(), None);
    }
}
