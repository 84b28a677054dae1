//! The reports screen for leads (`D`, `:report`): SLA attainment by a grouping, the
//! first-response histogram, created against resolved per day, the backlog by age and the load
//! per owner, for a period that moves back and forward by its own length. The four reports
//! arrive together from one effect (`effects/reports.rs`); the screen keeps the last ones while
//! the next are fetched, and an answer to an earlier question is dropped.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::app::{App, Effect, Overlay};
use super::keymap::Command;
use crate::api::ClientError;
use crate::api::reports::{
    BacklogReport, DEFAULT_PERIOD_DAYS, Grouping, LoadReport, ReportHeader, ReportQuery,
    ResponseReport, SlaReport,
};
use crate::sync::DeskError;

/// The longer period `3` switches to, in days (`7` switches back to a week).
pub const LONG_DAYS: i64 = 30;

/// Lines `PageUp`/`PageDown` scroll a part by.
const PAGE: usize = 10;

/// A part of the screen: all side by side when the window is large, one at a time (Tab)
/// when it is not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// SLA attainment per group, a bar per clock with the target line.
    Sla,
    /// The first-response-time histogram and its median, p90 and max.
    Response,
    /// Cases created, resolved and closed per day.
    Flow,
    /// Open cases now by age and by priority.
    Backlog,
    /// Per owner: open, urgent, breaching, notes and calls.
    Load,
}

impl Section {
    /// Every part, in the order Tab visits them.
    pub const ALL: [Section; 5] = [
        Section::Sla,
        Section::Response,
        Section::Flow,
        Section::Backlog,
        Section::Load,
    ];

    fn step(self, forward: bool) -> Section {
        let n = Section::ALL.len();
        let i = Section::ALL.iter().position(|s| *s == self).unwrap_or(0);
        Section::ALL[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }]
    }
}

/// The four reports of one period.
#[derive(Debug, Clone, PartialEq)]
pub struct Reports {
    /// Attainment per clock, split by the screen's grouping.
    pub sla: SlaReport,
    /// First-response times, wall clock then business hours.
    pub response: ResponseReport,
    /// Open cases now and at the end of each day, with each day's flow.
    pub backlog: BacklogReport,
    /// Per owner.
    pub load: LoadReport,
    /// When the oldest of the four was fetched, when the cache answered for the server.
    pub cached_at: Option<DateTime<Utc>>,
}

/// What the screen asks the desk for: the SLA report's query (with its grouping) and the
/// other three's (the same period, not grouped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportsRequest {
    /// `GET /v1/reports/sla`.
    pub sla: ReportQuery,
    /// `response`, `backlog` and `load`.
    pub rest: ReportQuery,
}

/// Why the screen shows no reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The token's role may not read reports (403, or known before asking).
    NeedsLead,
    /// The backend has no reports (Request Tracker), or the server refused: its words.
    Refused(String),
    /// Offline, and this period is not in the cache.
    NotCached,
}

impl Problem {
    /// The problem a desk error stands for.
    pub fn of(e: &DeskError) -> Problem {
        match e {
            DeskError::Client(ClientError::Forbidden(_)) => Problem::NeedsLead,
            DeskError::NotCached(_) => Problem::NotCached,
            e => Problem::Refused(e.to_string()),
        }
    }
}

/// What the screen shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Shown {
    /// Nothing yet: the first answer is awaited.
    Loading,
    /// The reports.
    Ready(Box<Reports>),
    /// Why there are none.
    Problem(Problem),
}

/// The reports screen on top of the panes.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportsScreen {
    /// How many days the period covers (7 or [`LONG_DAYS`]).
    pub days: i64,
    /// The period's last day; `None`: today, as the server counts days.
    pub end: Option<NaiveDate>,
    /// How the SLA part is split.
    pub by: Grouping,
    /// The part Tab has chosen (the one shown when they do not all fit; the one that scrolls).
    pub section: Section,
    /// Lines the chosen part is scrolled down.
    pub scroll: usize,
    /// What is shown.
    pub shown: Shown,
    /// The question the screen waits for an answer to (`None`: not waiting).
    pub asked: Option<ReportsRequest>,
    /// The question what is shown answers.
    pub answered: Option<ReportsRequest>,
}

impl Default for ReportsScreen {
    fn default() -> Self {
        ReportsScreen {
            days: DEFAULT_PERIOD_DAYS,
            end: None,
            by: Grouping::Priority,
            section: Section::Sla,
            scroll: 0,
            shown: Shown::Loading,
            asked: None,
            answered: None,
        }
    }
}

impl ReportsScreen {
    /// The reports shown, if any.
    pub fn reports(&self) -> Option<&Reports> {
        match &self.shown {
            Shown::Ready(r) => Some(r),
            _ => None,
        }
    }

    /// The header of the reports shown.
    fn header(&self) -> Option<&ReportHeader> {
        self.reports().map(|r| &r.sla.header)
    }

    /// Today as the server counts days: in the zone of the last answer (UTC before one).
    fn today(&self, now: DateTime<Utc>) -> NaiveDate {
        let zone = self
            .header()
            .and_then(|h| h.zone.parse::<chrono_tz::Tz>().ok())
            .unwrap_or(chrono_tz::UTC);
        now.with_timezone(&zone).date_naive()
    }

    /// The period's last day.
    fn last_day(&self, now: DateTime<Utc>) -> NaiveDate {
        self.end.unwrap_or_else(|| self.today(now))
    }

    /// The question for the screen's period and grouping. The default week ending today is
    /// asked without dates, as `casedesk report` asks it, so the two share the offline copy.
    pub fn request(&self, now: DateTime<Utc>) -> ReportsRequest {
        let (from, to) = if self.end.is_none() && self.days == DEFAULT_PERIOD_DAYS {
            (None, None)
        } else {
            let last = self.last_day(now);
            (Some(last - Duration::days(self.days - 1)), self.end)
        };
        let rest = ReportQuery {
            from,
            to,
            zone: None,
            by: None,
        };
        ReportsRequest {
            sla: ReportQuery {
                by: Some(self.by),
                ..rest.clone()
            },
            rest,
        }
    }

    /// Moves the period back (or forward) by its length; forward stops at today.
    fn shift(&mut self, forward: bool, now: DateTime<Utc>) {
        let step = Duration::days(self.days);
        let last = self.last_day(now);
        let today = self.today(now);
        let moved = if forward { last + step } else { last - step };
        self.end = (moved < today).then_some(moved);
    }

    /// Asks for the screen's reports (again).
    fn ask(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        let request = self.request(now);
        self.asked = Some(request.clone());
        vec![Effect::Reports(request)]
    }
}

/// Opens the reports screen and asks for the last week's reports; a token known not to be a
/// lead's is told at once, without asking.
pub fn open(app: &mut App) -> Vec<Effect> {
    let mut screen = ReportsScreen::default();
    let not_lead = app.me.is_some() && !app.is_lead();
    let effects = if not_lead {
        screen.shown = Shown::Problem(Problem::NeedsLead);
        Vec::new()
    } else {
        screen.ask(app.now)
    };
    app.overlay = Some(Overlay::Reports(Box::new(screen)));
    effects
}

/// The reports arrived for `request`: shown when the screen still asks that question.
pub fn arrived(
    app: &mut App,
    request: ReportsRequest,
    result: Result<Box<Reports>, DeskError>,
) -> Vec<Effect> {
    let Some(Overlay::Reports(screen)) = &mut app.overlay else {
        return Vec::new();
    };
    if screen.asked.as_ref() != Some(&request) {
        return Vec::new();
    }
    screen.asked = None;
    screen.answered = Some(request);
    screen.shown = match result {
        Ok(reports) => Shown::Ready(reports),
        Err(e) => Shown::Problem(Problem::of(&e)),
    };
    let lines = lines_in(screen);
    screen.scroll = screen.scroll.min(lines.saturating_sub(1));
    Vec::new()
}

/// How many lines the chosen part has (what it can scroll through).
fn lines_in(screen: &ReportsScreen) -> usize {
    screen.reports().map_or(0, |r| {
        crate::tui::ui::reports::line_count(screen.section, r)
    })
}

/// A key on the reports screen.
pub fn key(app: &mut App, mut screen: ReportsScreen, key: KeyEvent) -> Vec<Effect> {
    let plain = !key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    let now = app.now;
    let mut effects = Vec::new();
    let period_changed = match key.code {
        KeyCode::Char('[') if plain => {
            screen.shift(false, now);
            true
        }
        KeyCode::Char(']') if plain => {
            screen.shift(true, now);
            true
        }
        KeyCode::Char('7') if plain => {
            screen.days = DEFAULT_PERIOD_DAYS;
            true
        }
        KeyCode::Char('3') if plain => {
            screen.days = LONG_DAYS;
            true
        }
        KeyCode::Char('g') if plain => {
            let i = Grouping::ALL
                .iter()
                .position(|g| *g == screen.by)
                .map_or(0, |i| (i + 1) % Grouping::ALL.len());
            screen.by = Grouping::ALL[i];
            true
        }
        _ => false,
    };
    if period_changed {
        let request = screen.request(now);
        if screen.answered.as_ref() == Some(&request) {
            // Back to what is shown (`]` on the current week): nothing to wait for.
            screen.asked = None;
        } else if screen.asked.as_ref() != Some(&request) {
            effects = screen.ask(now);
        }
        app.overlay = Some(Overlay::Reports(Box::new(screen)));
        return effects;
    }
    let lines = lines_in(&screen);
    let last = lines.saturating_sub(1);
    match app.settings.keys.command(&key) {
        Some(Command::Back | Command::Quit) => return Vec::new(),
        // A token known not to be a lead's is not sent to be refused again.
        Some(Command::Refresh) if app.me.is_none() || app.is_lead() => {
            effects = screen.ask(now);
        }
        Some(Command::NextPane | Command::PrevPane) => {
            screen.section = screen
                .section
                .step(app.settings.keys.command(&key) == Some(Command::NextPane));
            screen.scroll = 0;
        }
        Some(Command::Down) => screen.scroll = (screen.scroll + 1).min(last),
        Some(Command::Up) => screen.scroll = screen.scroll.saturating_sub(1),
        Some(Command::PageDown) => screen.scroll = (screen.scroll + PAGE).min(last),
        Some(Command::PageUp) => screen.scroll = screen.scroll.saturating_sub(PAGE),
        Some(Command::Top) => screen.scroll = 0,
        Some(Command::Bottom) => screen.scroll = last,
        _ => {}
    }
    app.overlay = Some(Overlay::Reports(Box::new(screen)));
    effects
}

#[cfg(test)]
mod tests;
