//! The wallboard's state: the counts, the cases that breach next, what waits for a lead, how
//! fresh it all is, and which page shows. Pure: the runtime feeds it and draws it.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::trend::TrendGap;
use crate::api::reports::Trend;
use crate::api::{CaseSummary, Escalation, Rma, Stats};
use crate::config::DisplayZone;
use crate::domain::Priority;
use crate::sync::SyncStatus;
use crate::term::text::Lang;
use crate::term::urgency::Urgency;

/// A page of the board.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// Big counts.
    Now,
    /// The cases that breach next.
    Next,
    /// Escalations waiting for a lead and RMAs past their return date.
    Waiting,
    /// This week's SLA attainment against last week's, and the breaches of 14 days.
    Trend,
}

impl Page {
    /// Every page, in rotation order.
    pub const ALL: [Page; 4] = [Page::Now, Page::Next, Page::Waiting, Page::Trend];

    /// Its name (also what `--page` takes).
    pub fn name(self) -> &'static str {
        match self {
            Page::Now => "now",
            Page::Next => "next",
            Page::Waiting => "waiting",
            Page::Trend => "trend",
        }
    }

    /// Its label on the page indicator, in the interface's language.
    pub fn label(self, lang: Lang) -> &'static str {
        use crate::term::text::Word;
        lang.word(match self {
            Page::Now => Word::PageNow,
            Page::Next => Word::PageNext,
            Page::Waiting => Word::PageWaiting,
            Page::Trend => Word::PageTrend,
        })
    }

    /// A page by name or number (1–4).
    pub fn parse(text: &str) -> Result<Page, String> {
        let t = text.trim().to_ascii_lowercase();
        Page::ALL
            .iter()
            .enumerate()
            .find(|(i, p)| p.name() == t || (i + 1).to_string() == t)
            .map(|(_, p)| *p)
            .ok_or_else(|| {
                format!("invalid --page '{text}': expected now, next, waiting or trend (or 1–4)")
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
        use crate::term::text::Word;
        lang.word(match self {
            Tile::P1 => Word::TileP1,
            Tile::P2 => Word::TileP2,
            Tile::P3 => Word::TileP3,
            Tile::P4 => Word::TileP4,
            Tile::Breached => Word::TileBreached,
            Tile::DueSoon => Word::TileDueSoon,
            Tile::Unassigned => Word::TileUnassigned,
            Tile::Escalations => Word::TileEscalations,
            Tile::OverdueRmas => Word::TileOverdueRmas,
        })
    }

    /// A label for narrow tiles.
    pub fn short_label(self, lang: Lang) -> &'static str {
        use crate::term::text::Word;
        match self {
            Tile::Breached => lang.word(Word::TileBreachedShort),
            Tile::DueSoon => lang.word(Word::TileDueSoonShort),
            Tile::Escalations => lang.word(Word::TileEscalationsShort),
            Tile::OverdueRmas => lang.word(Word::TileOverdueRmasShort),
            tile => tile.label(lang),
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
    /// For the demo's desk (some 225 open cases of 400, 26 of them P1): there, a count that
    /// would be alarming on a small desk is the daily load. Only the breaches alarm; the P1 load
    /// and the cases about to breach warn; the rest is calm.
    pub fn demo() -> Thresholds {
        Thresholds(BTreeMap::from([
            (Tile::P1, (15, 40)),
            (Tile::P2, (80, 150)),
            (Tile::Breached, (10, 30)),
            (Tile::DueSoon, (5, 15)),
            (Tile::Unassigned, (50, 100)),
            (Tile::Escalations, (15, 30)),
            (Tile::OverdueRmas, (10, 25)),
        ]))
    }

    /// `self` with the config's `[wallboard.thresholds]` (`p2 = [3, 10]`) over it.
    pub fn configured(self, files: &BTreeMap<String, Vec<u64>>) -> Result<Thresholds, String> {
        let mut t = self;
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
    /// Open cases with a deadline, soonest first (the breached among them too: see
    /// [`Board::upcoming`] and [`Board::overdue`]).
    pub next: Vec<CaseSummary>,
    /// The open cases' counts for the tiles that do not change with the clock, as cached.
    pub open: OpenCounts,
    /// Escalations waiting for a lead.
    pub escalations: Vec<Escalation>,
    /// RMAs past their return date.
    pub overdue_rmas: Vec<Rma>,
    /// The desk's SLA trend, last fetched (kept through a failed fetch: the stale banner says
    /// the server is away).
    pub trend: Option<Trend>,
    /// When the trend shown was fetched, if it is the cached copy (the server unreachable).
    pub trend_cached_at: Option<DateTime<Utc>>,
    /// Why there is no trend to show, when there is none.
    pub trend_gap: Option<TrendGap>,
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

/// Counts of the cached open cases that only a change of the cases moves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenCounts {
    /// Open cases by priority, P1 first.
    pub by_priority: [u64; 4],
    /// Open cases nobody owns.
    pub unassigned: u64,
    /// Open cases the server says are breached but that have no next deadline (so are not
    /// among the rows); counted with the breached.
    pub breached_undated: u64,
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
            open: OpenCounts::default(),
            escalations: Vec::new(),
            overdue_rmas: Vec::new(),
            trend: None,
            trend_cached_at: None,
            trend_gap: None,
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

    /// Takes in the cached cases: the open ones with a deadline, soonest first. All of them:
    /// a long tail of breaches must not crowd out the cases about to breach. A case's deadline
    /// is the server's `next_due`, which leaves out the RMA return clock (the customer's to
    /// keep, SPEC §2.5): an overdue RMA is on the waiting page, never a desk breach here.
    pub fn set_cases(&mut self, mut cases: Vec<CaseSummary>) {
        cases.retain(|c| c.status.is_open());
        let mut open = OpenCounts::default();
        for c in &cases {
            let i = Priority::ALL.iter().position(|p| *p == c.priority);
            if let Some(n) = i.and_then(|i| open.by_priority.get_mut(i)) {
                *n += 1;
            }
            open.unassigned += u64::from(c.owner.is_none());
            open.breached_undated += u64::from(c.breached && c.next_due.is_none());
        }
        self.open = open;
        cases.retain(|c| c.next_due.is_some());
        cases.sort_by_key(|c| (c.next_due, c.priority));
        self.next = cases;
    }

    /// Whether a case on the board is breached now: the server says so, or its deadline has
    /// passed since (the board ticks between refreshes).
    fn is_breached(&self, c: &CaseSummary) -> bool {
        c.breached
            || c.next_due
                .is_some_and(|d| crate::sla::past_due(d, self.now))
    }

    /// The cases not yet breached, soonest first: what breaches next.
    pub fn upcoming(&self) -> Vec<&CaseSummary> {
        self.next.iter().filter(|c| !self.is_breached(c)).collect()
    }

    /// A tile's count now, `None` before the server's first counts. The cases' tiles count the
    /// cached cases, as the rows do, at this second: "breached" is the breached rows (and the
    /// breached cases with no deadline), never a count the server took earlier. Only the
    /// escalations and the overdue RMAs, which the cache does not hold, are the server's
    /// (`/v1/stats`, refreshed with the lists).
    pub fn tile_value(&self, tile: Tile) -> Option<u64> {
        let stats = self.stats.as_ref()?;
        let count = |n: usize| n as u64;
        Some(match tile {
            Tile::P1 => self.open.by_priority[0],
            Tile::P2 => self.open.by_priority[1],
            Tile::P3 => self.open.by_priority[2],
            Tile::P4 => self.open.by_priority[3],
            Tile::Breached => count(self.overdue().len()) + self.open.breached_undated,
            Tile::DueSoon => count(
                self.upcoming()
                    .into_iter()
                    .filter(|c| Urgency::of_case(c, self.now) == Urgency::DueSoon)
                    .count(),
            ),
            Tile::Unassigned => self.open.unassigned,
            Tile::Escalations | Tile::OverdueRmas => tile.value(stats),
        })
    }

    /// The breached cases, most overdue first.
    pub fn overdue(&self) -> Vec<&CaseSummary> {
        // `next` is soonest first, so the earliest deadline (the longest overdue) leads.
        self.next.iter().filter(|c| self.is_breached(c)).collect()
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
        use crate::term::text::Word;
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
        Some(lang.word(Word::DataStale).replace("{when}", &when))
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// An English board on UTC with the default thresholds, refreshed every 15 s.
    pub(in crate::wallboard) fn board() -> Board {
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
        assert_eq!(b.page, Page::Trend, "back past the first page to the last");
        b.turn(1);
        assert_eq!(b.page, Page::Now);
        b.turn(2);
        assert_eq!(b.page, Page::Waiting);
        b.pinned = true;
        b.tick(t0 + chrono::Duration::seconds(600));
        assert_eq!(b.page, Page::Waiting);
        assert_eq!(Page::parse("2"), Ok(Page::Next));
        assert_eq!(Page::parse("trend"), Ok(Page::Trend));
        assert_eq!(Page::parse("4"), Ok(Page::Trend));
        assert!(Page::parse("5").is_err());
        assert!(
            Page::parse("later")
                .unwrap_err()
                .contains("now, next, waiting or trend")
        );
    }

    #[test]
    fn thresholds_from_config_and_levels() {
        let t = Thresholds::default()
            .configured(&BTreeMap::from([("p3".to_string(), vec![10, 20])]))
            .unwrap();
        assert_eq!(t.level(Tile::P3, 9), Level::Calm);
        assert_eq!(t.level(Tile::P3, 10), Level::Warn);
        assert_eq!(t.level(Tile::P3, 25), Level::Alert);
        assert_eq!(t.level(Tile::P1, 1), Level::Alert);
        assert_eq!(t.level(Tile::P1, 0), Level::Calm);
        let err = Thresholds::default()
            .configured(&BTreeMap::from([("p9".to_string(), vec![1, 2])]))
            .unwrap_err();
        assert!(err.contains("unknown tile 'p9'"), "{err}");
        let err = Thresholds::default()
            .configured(&BTreeMap::from([("p2".to_string(), vec![5, 1])]))
            .unwrap_err();
        assert!(err.contains("warn ≤ alert"), "{err}");
    }

    /// An open case due `minutes` from the board's now (negative: past), breached or not as the
    /// server says.
    fn case(number: &str, minutes: i64, breached: bool, now: DateTime<Utc>) -> CaseSummary {
        let due = now + chrono::Duration::minutes(minutes);
        serde_json::from_value(serde_json::json!({
            "number": number, "subject": "", "priority": "P2", "status": "open",
            "owner": null, "tier": "tac-advanced", "channel": "web",
            "request_type": "technical_support", "site_name": "", "site_id": "S-1",
            "account": "ACME", "contact_name": "", "product": "", "platform": "",
            "serial_number": "", "created_at": now, "updated_at": now,
            "next_due": due, "breached": breached, "temporarily_downgraded": false,
            "open_escalations": 0, "version": 1
        }))
        .unwrap()
    }

    fn numbers(cases: Vec<&CaseSummary>) -> Vec<String> {
        cases.iter().map(|c| c.number.to_string()).collect()
    }

    #[test]
    fn next_splits_the_not_yet_breached_from_the_breached() {
        let mut b = board();
        let now = b.now;
        // More breaches than the board once kept (100), all older than the case due in 5 min.
        let mut cases: Vec<CaseSummary> = (0..150)
            .map(|i| case(&format!("2026-1101-{:06}", i + 1), -10_000 + i, true, now))
            .collect();
        cases.push(case("2026-1124-000005", 5, false, now));
        cases.push(case("2026-1124-000090", 90, false, now));
        cases.push(case("2026-1124-000030", 30, false, now));
        b.set_cases(cases);
        assert_eq!(
            numbers(b.upcoming()),
            ["2026-1124-000005", "2026-1124-000030", "2026-1124-000090"],
            "soonest first, none breached"
        );
        let overdue = b.overdue();
        assert_eq!(overdue.len(), 150);
        assert_eq!(
            overdue[0].number.to_string(),
            "2026-1101-000001",
            "most overdue first"
        );
        assert_eq!(overdue[149].number.to_string(), "2026-1101-000150");

        // Six minutes on, the case due in five has breached, before the server says so.
        b.tick(now + chrono::Duration::minutes(6));
        assert_eq!(
            numbers(b.upcoming()),
            ["2026-1124-000030", "2026-1124-000090"]
        );
        assert_eq!(b.overdue().len(), 151);
    }

    /// Stale counts from the server (taken before three deadlines passed, or frozen offline)
    /// never contradict the rows: the cases' tiles count the cached cases at this second; only
    /// the escalations and overdue RMAs, which the cache does not hold, are the server's.
    #[test]
    fn the_case_tiles_count_the_rows_not_stale_server_counts() {
        let mut b = board();
        let now = b.now;
        b.stats = Some(
            serde_json::from_value(serde_json::json!({
                "open_by_priority": {"P1": 9, "P2": 9, "P3": 9, "P4": 9},
                "open_by_status": {}, "breached": 40, "due_within_1h": 30, "unassigned": 20,
                "open_escalations": 4, "overdue_rmas": 2, "seq": 1, "at": now
            }))
            .unwrap(),
        );
        let mut undated = case("2026-1124-000009", 0, true, now);
        undated.next_due = None;
        let mut closed = case("2026-1124-000010", -60, true, now);
        closed.status = crate::domain::Status::Closed;
        b.set_cases(vec![
            case("2026-1124-000001", -30, true, now),
            case("2026-1124-000002", -5, false, now),
            case("2026-1124-000003", 10, false, now),
            case("2026-1124-000004", 60, false, now),
            case("2026-1124-000005", 61, false, now),
            undated,
            closed,
        ]);
        let tiles = |b: &Board| Tile::ALL.map(|t| b.tile_value(t).unwrap());
        // P2 ×6 open, none owned; breached: the two overdue rows and the undated one; due
        // soon: the cases due in 10 and 60 minutes.
        assert_eq!(b.overdue().len(), 2);
        assert_eq!(tiles(&b), [0, 6, 0, 0, 3, 2, 6, 4, 2]);
        // Ten minutes on, the case due in 10 has breached: the tile follows the rows.
        b.tick(now + chrono::Duration::minutes(10) + chrono::Duration::seconds(1));
        assert_eq!(b.overdue().len(), 3);
        assert_eq!(tiles(&b), [0, 6, 0, 0, 4, 2, 6, 4, 2]);
        b.stats = None;
        assert_eq!(
            b.tile_value(Tile::Breached),
            None,
            "before the first counts"
        );
    }

    #[test]
    fn a_case_at_its_due_instant_has_not_breached_yet() {
        let mut b = board();
        let now = b.now;
        b.set_cases(vec![case("2026-1124-000007", 0, false, now)]);
        assert_eq!(numbers(b.upcoming()), ["2026-1124-000007"]);
        assert!(b.overdue().is_empty());
        b.tick(now + chrono::Duration::seconds(1));
        assert!(b.upcoming().is_empty());
        assert_eq!(b.overdue().len(), 1);
    }

    /// A case whose only overdue clock is the RMA return: the server's `next_due` is its desk
    /// clock (in an hour), not breached. The board lists it by that, never among the breached,
    /// however overdue its RMA (which the waiting page lists).
    #[test]
    fn an_overdue_rma_return_is_not_a_desk_breach() {
        let mut b = board();
        let now = b.now;
        b.set_cases(vec![case("2026-1120-000012", 60, false, now)]);
        b.overdue_rmas = vec![
            serde_json::from_value(serde_json::json!({
                "number": "R21056835", "status": "replacement_shipped",
                "case_number": "2026-1120-000012", "account": "ACME Japan",
                "serial_number": "FTX2231A0KQ", "part_number": "NXA-PAC-1100W",
                "analysis": null, "created_at": now - chrono::Duration::days(20),
                "issued_at": now - chrono::Duration::days(19),
                "return_due": now - chrono::Duration::days(4), "overdue": true
            }))
            .unwrap(),
        ];
        assert_eq!(numbers(b.upcoming()), ["2026-1120-000012"]);
        assert!(b.overdue().is_empty());
    }

    /// The demo's desk, as `casedesk demo` seeds it: with the defaults 7 of 9 tiles said ALERT.
    /// With the demo's thresholds only the breaches alarm, and a few counts warn.
    #[test]
    fn the_demos_thresholds_keep_alert_meaningful() {
        let counts = [
            (Tile::P1, 26),
            (Tile::P2, 71),
            (Tile::P3, 58),
            (Tile::P4, 70),
            (Tile::Breached, 47),
            (Tile::DueSoon, 6),
            (Tile::Unassigned, 39),
            (Tile::Escalations, 12),
            (Tile::OverdueRmas, 5),
        ];
        let levels = |t: &Thresholds, level: Level| {
            counts
                .iter()
                .filter(|(tile, n)| t.level(*tile, *n) == level)
                .map(|(tile, _)| *tile)
                .collect::<Vec<_>>()
        };
        assert_eq!(levels(&Thresholds::default(), Level::Alert).len(), 7);
        let demo = Thresholds::demo();
        assert_eq!(levels(&demo, Level::Alert), [Tile::Breached]);
        assert_eq!(levels(&demo, Level::Warn), [Tile::P1, Tile::DueSoon]);
        // A quiet demo desk is calm; a config still overrides the demo's values.
        assert!(
            counts
                .iter()
                .all(|(t, _)| demo.level(*t, 1) != Level::Alert)
        );
        let t = demo
            .configured(&BTreeMap::from([("breached".to_string(), vec![1, 2])]))
            .unwrap();
        assert_eq!(t.level(Tile::Breached, 2), Level::Alert);
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
