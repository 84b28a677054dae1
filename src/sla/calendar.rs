//! Working calendars: a time zone, weekly working windows and holidays, read from TOML.
//!
//! A calendar answers one question for the arithmetic in [`super::worktime`]: which real
//! instants are working time on a given local date. Windows are local wall times, so a window
//! that a spring-forward skips is shorter and a fall-back one is longer.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use toml::Spanned;

use super::duration::SlaDuration;
use super::source::{line_of, toml_error};
use super::worktime::YearIndex;

/// Minutes in a day; a window may end here (`24:00`).
const DAY_MINUTES: u16 = 24 * 60;

/// One working window on a weekday, in local minutes since midnight: `start < end <= 24:00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Window {
    start: u16,
    end: u16,
}

impl Window {
    /// Minutes of local wall time this window covers (before any DST shift).
    pub fn minutes(self) -> u16 {
        self.end - self.start
    }
}

impl FromStr for Window {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let err = || {
            format!(
                "invalid working window '{text}': expected HH:MM-HH:MM with the start before the \
                 end, e.g. 09:00-17:00 (an end of 24:00 is allowed)"
            )
        };
        let (start, end) = text.trim().split_once('-').ok_or_else(err)?;
        let start = parse_clock(start)
            .filter(|&m| m < DAY_MINUTES)
            .ok_or_else(err)?;
        let end = parse_clock(end).ok_or_else(err)?;
        if start >= end {
            return Err(err());
        }
        Ok(Window { start, end })
    }
}

impl fmt::Display for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hm = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
        write!(f, "{}-{}", hm(self.start), hm(self.end))
    }
}

impl<'de> Deserialize<'de> for Window {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// `HH:MM` as minutes since midnight, with `24:00` as the one time past the last minute.
fn parse_clock(text: &str) -> Option<u16> {
    let (h, m) = text.trim().split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    let minutes = h * 60 + m;
    (m < 60 && minutes <= DAY_MINUTES).then_some(minutes)
}

/// A day (or run of days) off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holiday {
    /// First day off.
    pub from: NaiveDate,
    /// Last day off (inclusive; equal to `from` for a single date).
    pub to: NaiveDate,
    /// What the day is, for people.
    pub name: String,
}

/// A working calendar: where working time is, and how long a business day is.
pub struct Calendar {
    name: String,
    description: String,
    zone: Tz,
    /// Working windows by weekday, Monday first; sorted, merged where they touch.
    week: [Vec<Window>; 7],
    /// Holidays in date order, as given (for listing).
    holidays: Vec<Holiday>,
    /// Merged, sorted, non-overlapping day-off ranges (for lookup).
    days_off: Vec<(NaiveDate, NaiveDate)>,
    business_day_secs: i64,
    continuous: bool,
    index: YearIndex,
}

impl fmt::Debug for Calendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Calendar")
            .field("name", &self.name)
            .field("zone", &self.zone)
            .field("business_day_secs", &self.business_day_secs)
            .finish_non_exhaustive()
    }
}

/// Why a calendar definition was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The file is not TOML of the expected shape; the message names the file and line.
    #[error("{message}")]
    Syntax {
        /// `file, line L, column C: problem`.
        message: String,
    },
    /// A calendar that parses but cannot be used.
    #[error("{source_name}, line {line}: calendar '{calendar}': {problem}")]
    Invalid {
        /// The file (or built-in) the text came from.
        source_name: String,
        /// 1-based line of the calendar's table.
        line: usize,
        /// The calendar's name.
        calendar: String,
        /// What is wrong and what is expected.
        problem: String,
    },
    /// A calendar name that is not defined.
    #[error("unknown calendar '{name}': expected one of {known}")]
    Unknown {
        /// The name asked for.
        name: String,
        /// The names that exist, comma-separated.
        known: String,
    },
}

impl Calendar {
    /// The calendar's name, e.g. `jp-business`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A one-line description for listings.
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The IANA zone its windows are written in.
    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// Working seconds in one business day.
    pub fn business_day_secs(&self) -> i64 {
        self.business_day_secs
    }

    /// Whether every instant is working time (a 24x7 calendar), so arithmetic is plain addition.
    pub fn is_continuous(&self) -> bool {
        self.continuous
    }

    /// The working windows on a weekday (0 = Monday).
    pub fn windows(&self, weekday_from_monday: usize) -> &[Window] {
        self.week
            .get(weekday_from_monday)
            .map_or(&[], Vec::as_slice)
    }

    /// The holidays as defined, in date order.
    pub fn holidays(&self) -> &[Holiday] {
        &self.holidays
    }

    /// The holiday covering `date`, if any.
    pub fn holiday_on(&self, date: NaiveDate) -> Option<&Holiday> {
        self.holidays
            .iter()
            .find(|h| h.from <= date && date <= h.to)
    }

    /// Whether `date` is a day off.
    pub fn is_day_off(&self, date: NaiveDate) -> bool {
        let i = self.days_off.partition_point(|&(_, to)| to < date);
        self.days_off.get(i).is_some_and(|&(from, _)| from <= date)
    }

    /// The instant the local date `date` begins.
    pub(crate) fn day_start(&self, date: NaiveDate) -> DateTime<Utc> {
        self.resolve(date.and_hms_opt(0, 0, 0).unwrap_or_default(), false)
    }

    /// The local date an instant falls on.
    pub(crate) fn local_date(&self, t: DateTime<Utc>) -> NaiveDate {
        t.with_timezone(&self.zone).date_naive()
    }

    /// The working intervals of a local date as real instants, in order and non-overlapping.
    pub(crate) fn intervals(&self, date: NaiveDate) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let windows = &self.week[date.weekday().num_days_from_monday() as usize];
        if windows.is_empty() || self.is_day_off(date) {
            return Vec::new();
        }
        let day_start = self.day_start(date);
        let day_end = date
            .succ_opt()
            .map_or(day_start, |next| self.day_start(next));
        let mut out = Vec::with_capacity(windows.len());
        let mut floor = day_start;
        for w in windows {
            let start = self.at(date, w.start, false).max(floor);
            let end = if w.end == DAY_MINUTES {
                day_end
            } else {
                self.at(date, w.end, true)
            }
            .min(day_end);
            if end > start {
                out.push((start, end));
                floor = end;
            }
        }
        out
    }

    /// The instant of a local wall time on `date`.
    fn at(&self, date: NaiveDate, minutes: u16, prefer_late: bool) -> DateTime<Utc> {
        let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
        self.resolve(
            midnight + Duration::minutes(i64::from(minutes)),
            prefer_late,
        )
    }

    /// Maps a local wall time to an instant. A time repeated by a fall-back takes its first
    /// occurrence for a window's start and its second for a window's end, so the window grows; a
    /// time skipped by a spring-forward becomes the instant the gap ends, so the window shrinks.
    fn resolve(&self, local: NaiveDateTime, prefer_late: bool) -> DateTime<Utc> {
        match self.zone.from_local_datetime(&local) {
            LocalResult::Single(t) => t.with_timezone(&Utc),
            LocalResult::Ambiguous(early, late) => {
                if prefer_late { late } else { early }.with_timezone(&Utc)
            }
            LocalResult::None => {
                // Transitions fall on whole minutes; no gap in the tz database exceeds a day.
                let mut probe = local;
                for _ in 0..=DAY_MINUTES {
                    probe += Duration::minutes(1);
                    if let Some(t) = self.zone.from_local_datetime(&probe).earliest() {
                        return t.with_timezone(&Utc);
                    }
                }
                // Unreachable with real zone data; the naive reading keeps arithmetic monotonic.
                Utc.from_utc_datetime(&local)
            }
        }
    }
}

/// The named calendars a server or command knows, built-ins first, then the user's file.
#[derive(Debug, Clone, Default)]
pub struct Calendars {
    by_name: HashMap<String, Arc<Calendar>>,
    order: Vec<String>,
}

impl Calendars {
    /// The built-in calendars: `24x7`, `jp-business` and `us-pacific-business`.
    pub fn builtin() -> Self {
        let mut set = Calendars::default();
        for (name, text) in super::builtin::CALENDARS {
            // The built-in files are tested to load; failing here is a build defect, not input.
            let loaded = parse_calendars(name, text).unwrap_or_else(|e| panic!("{e}"));
            set.extend(loaded);
        }
        set
    }

    /// The built-ins, with the calendars of a user's TOML file added (a same-named one replaces
    /// the built-in).
    pub fn with_file(source_name: &str, text: &str) -> Result<Self, CalendarError> {
        let mut set = Calendars::builtin();
        set.extend(parse_calendars(source_name, text)?);
        Ok(set)
    }

    /// Adds or replaces calendars.
    pub fn extend(&mut self, calendars: impl IntoIterator<Item = Calendar>) {
        for cal in calendars {
            if !self.by_name.contains_key(&cal.name) {
                self.order.push(cal.name.clone());
            }
            self.by_name.insert(cal.name.clone(), Arc::new(cal));
        }
    }

    /// The calendar of that name, or an error listing the ones that exist.
    pub fn get(&self, name: &str) -> Result<Arc<Calendar>, CalendarError> {
        self.by_name
            .get(name)
            .cloned()
            .ok_or_else(|| CalendarError::Unknown {
                name: name.to_string(),
                known: self.order.join(", "),
            })
    }

    /// The calendars a server published as specs (`GET /v1/calendars`), rebuilt through the
    /// same TOML reader that loads a file, so a client checks them exactly as a server would.
    pub fn from_specs(specs: &[CalendarSpec]) -> Result<Self, CalendarError> {
        #[derive(serde::Serialize)]
        struct File<'a> {
            calendar: &'a [CalendarSpec],
        }
        let text =
            toml::to_string(&File { calendar: specs }).map_err(|e| CalendarError::Syntax {
                message: format!("calendars from the server: {e}"),
            })?;
        let mut set = Calendars::default();
        set.extend(parse_calendars("calendars from the server", &text)?);
        Ok(set)
    }

    /// Every calendar, in definition order.
    pub fn iter(&self) -> impl Iterator<Item = &Arc<Calendar>> {
        self.order.iter().filter_map(|n| self.by_name.get(n))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarFile {
    #[serde(default)]
    calendar: Vec<Spanned<CalendarDef>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CalendarDef {
    name: String,
    #[serde(default)]
    description: String,
    zone: Zone,
    business_day: Option<SlaDuration>,
    #[serde(default)]
    hours: WeekDef,
    #[serde(default)]
    holiday: Vec<HolidayDef>,
}

/// An IANA zone name, checked as it is read so the error points at its line.
struct Zone(Tz);

impl<'de> Deserialize<'de> for Zone {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        name.parse().map(Zone).map_err(|_| {
            serde::de::Error::custom(format!(
                "unknown time zone '{name}': expected an IANA name such as Asia/Tokyo or America/Los_Angeles"
            ))
        })
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct WeekDef {
    #[serde(default)]
    mon: Vec<Window>,
    #[serde(default)]
    tue: Vec<Window>,
    #[serde(default)]
    wed: Vec<Window>,
    #[serde(default)]
    thu: Vec<Window>,
    #[serde(default)]
    fri: Vec<Window>,
    #[serde(default)]
    sat: Vec<Window>,
    #[serde(default)]
    sun: Vec<Window>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HolidayDef {
    date: Option<NaiveDate>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    #[serde(default)]
    name: String,
}

/// Reads every `[[calendar]]` of a TOML text. `source_name` names the file in errors.
pub fn parse_calendars(source_name: &str, text: &str) -> Result<Vec<Calendar>, CalendarError> {
    let file: CalendarFile = toml::from_str(text).map_err(|e| CalendarError::Syntax {
        message: toml_error(source_name, text, &e),
    })?;
    let mut seen = HashMap::new();
    file.calendar
        .into_iter()
        .map(|spanned| {
            let line = line_of(text, spanned.span().start);
            let def = spanned.into_inner();
            let name = def.name.clone();
            let invalid = |problem: String| CalendarError::Invalid {
                source_name: source_name.to_string(),
                line,
                calendar: name.clone(),
                problem,
            };
            if let Some(first) = seen.insert(name.clone(), line) {
                return Err(invalid(format!(
                    "defined twice (first at line {first}); expected each name once"
                )));
            }
            build(def).map_err(invalid)
        })
        .collect()
}

fn build(def: CalendarDef) -> Result<Calendar, String> {
    if def.name.trim().is_empty() || def.name.chars().any(char::is_whitespace) {
        return Err("expected a name without spaces, e.g. jp-business".into());
    }
    let Zone(zone) = def.zone;
    let h = def.hours;
    let mut week = [h.mon, h.tue, h.wed, h.thu, h.fri, h.sat, h.sun];
    for (day, windows) in DAY_KEYS.iter().zip(week.iter_mut()) {
        *windows = merge_windows(std::mem::take(windows)).map_err(|(a, b)| {
            format!("{day}: windows {a} and {b} overlap; expected separate windows")
        })?;
    }
    let longest_day = week
        .iter()
        .map(|ws| ws.iter().map(|w| i64::from(w.minutes()) * 60).sum::<i64>())
        .max()
        .unwrap_or(0);
    if longest_day == 0 {
        return Err(
            "has no working time in its week, so no target could ever come due; expected at \
             least one window such as mon = [\"09:00-17:00\"]"
                .into(),
        );
    }
    let business_day_secs = match def.business_day {
        None => longest_day,
        Some(SlaDuration::Working { minutes }) if minutes > 0 => i64::from(minutes) * 60,
        Some(other) => {
            return Err(format!(
                "business_day '{other}': expected a length of working time such as 8h or 7h30m"
            ));
        }
    };
    let mut holidays = def
        .holiday
        .into_iter()
        .map(|h| match (h.date, h.from, h.to) {
            (Some(date), None, None) => Ok(Holiday {
                from: date,
                to: date,
                name: h.name,
            }),
            (None, Some(from), Some(to)) if from <= to => Ok(Holiday {
                from,
                to,
                name: h.name,
            }),
            _ => Err(format!(
                "holiday '{}': expected either date = \"YYYY-MM-DD\" or from = and to = with \
                 from not after to",
                h.name
            )),
        })
        .collect::<Result<Vec<_>, _>>()?;
    holidays.sort_by_key(|h| (h.from, h.to));
    let days_off = merge_ranges(&holidays);
    let continuous = holidays.is_empty()
        && week.iter().all(|ws| {
            ws == &[Window {
                start: 0,
                end: DAY_MINUTES,
            }]
        });
    Ok(Calendar {
        name: def.name,
        description: def.description,
        zone,
        week,
        holidays,
        days_off,
        business_day_secs,
        continuous,
        index: YearIndex::new(),
    })
}

/// The TOML keys of the weekdays, Monday first.
pub const DAY_KEYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Sorts windows and joins those that touch (`09:00-12:00` + `12:00-17:00`); overlaps are refused.
fn merge_windows(mut windows: Vec<Window>) -> Result<Vec<Window>, (Window, Window)> {
    windows.sort();
    let mut out: Vec<Window> = Vec::with_capacity(windows.len());
    for w in windows {
        match out.last_mut() {
            Some(last) if w.start < last.end => return Err((*last, w)),
            Some(last) if w.start == last.end => last.end = w.end,
            _ => out.push(w),
        }
    }
    Ok(out)
}

/// Day-off ranges merged where they overlap or touch, for binary search.
fn merge_ranges(holidays: &[Holiday]) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out: Vec<(NaiveDate, NaiveDate)> = Vec::new();
    for h in holidays {
        match out.last_mut() {
            Some(last) if h.from <= last.1.succ_opt().unwrap_or(last.1) => {
                last.1 = last.1.max(h.to)
            }
            _ => out.push((h.from, h.to)),
        }
    }
    out
}

/// A calendar written out in the shape of its TOML definition, for the API and for clients
/// that rebuild it offline with [`parse_calendars`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Deserialize)]
pub struct CalendarSpec {
    /// Name.
    pub name: String,
    /// Description.
    pub description: String,
    /// IANA zone.
    pub zone: String,
    /// Business-day length, e.g. `8h`.
    pub business_day: String,
    /// Windows by weekday key (`mon` … `sun`).
    pub hours: std::collections::BTreeMap<String, Vec<String>>,
    /// Holidays as `{from, to, name}`.
    pub holiday: Vec<HolidaySpec>,
}

/// A holiday in [`CalendarSpec`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, Deserialize)]
pub struct HolidaySpec {
    /// First day off.
    pub from: NaiveDate,
    /// Last day off.
    pub to: NaiveDate,
    /// Name.
    pub name: String,
}

impl Calendar {
    /// The calendar as its definition.
    pub fn spec(&self) -> CalendarSpec {
        CalendarSpec {
            name: self.name.clone(),
            description: self.description.clone(),
            zone: self.zone.name().to_string(),
            business_day: SlaDuration::minutes(
                u32::try_from(self.business_day_secs / 60).unwrap_or(u32::MAX),
            )
            .to_string(),
            hours: DAY_KEYS
                .iter()
                .zip(&self.week)
                .filter(|(_, ws)| !ws.is_empty())
                .map(|(day, ws)| {
                    (
                        day.to_string(),
                        ws.iter().map(ToString::to_string).collect(),
                    )
                })
                .collect(),
            holiday: self
                .holidays
                .iter()
                .map(|h| HolidaySpec {
                    from: h.from,
                    to: h.to,
                    name: h.name.clone(),
                })
                .collect(),
        }
    }

    pub(crate) fn index(&self) -> &YearIndex {
        &self.index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Result<Calendar, CalendarError> {
        parse_calendars("test.toml", text).map(|mut v| v.remove(0))
    }

    #[test]
    fn builtin_calendars_load_and_are_listed_in_order() {
        let cals = Calendars::builtin();
        let names: Vec<&str> = cals.iter().map(|c| c.name()).collect();
        assert_eq!(names, ["24x7", "jp-business", "us-pacific-business"]);
        assert!(cals.get("24x7").unwrap().is_continuous());
        let jp = cals.get("jp-business").unwrap();
        assert_eq!(jp.business_day_secs(), 8 * 3600);
        let date = |s: &str| s.parse::<NaiveDate>().unwrap();
        for off in [
            "2026-05-06",
            "2026-09-22",
            "2026-12-29",
            "2027-01-03",
            "2030-12-31",
        ] {
            assert!(jp.is_day_off(date(off)), "{off}");
        }
        for on in ["2026-05-07", "2026-09-24", "2026-12-28", "2027-01-04"] {
            assert!(!jp.is_day_off(date(on)), "{on}");
        }
        assert!(
            jp.holiday_on(date("2026-09-22"))
                .unwrap()
                .name
                .contains("国民の休日")
        );
    }

    #[test]
    fn several_windows_a_day_and_a_window_ending_at_midnight() {
        let cal = one(
            "[[calendar]]\nname = \"split\"\nzone = \"Asia/Tokyo\"\n[calendar.hours]\n\
             mon = [\"13:00-18:00\", \"08:00-12:00\"]\ntue = [\"18:00-24:00\"]\n",
        )
        .unwrap();
        assert_eq!(cal.windows(0).len(), 2);
        assert_eq!(cal.windows(0)[0].to_string(), "08:00-12:00");
        // Default business day: the longest day's working time (Monday, 9h).
        assert_eq!(cal.business_day_secs(), 9 * 3600);
        let tue = "2026-11-24".parse::<NaiveDate>().unwrap();
        let wed = tue.succ_opt().unwrap();
        let intervals = cal.intervals(tue);
        assert_eq!(intervals, vec![(intervals[0].0, cal.day_start(wed))]);
    }

    #[test]
    fn touching_windows_merge_and_overlapping_ones_are_refused() {
        let cal = one("[[calendar]]\nname = \"x\"\nzone = \"UTC\"\n[calendar.hours]\nmon = [\"09:00-12:00\", \"12:00-17:00\"]\n")
            .unwrap();
        assert_eq!(
            cal.windows(0),
            &[Window {
                start: 540,
                end: 1020
            }]
        );
        let err = one("[[calendar]]\nname = \"x\"\nzone = \"UTC\"\n[calendar.hours]\nmon = [\"09:00-12:00\", \"11:00-17:00\"]\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 1") && err.contains("overlap"), "{err}");
    }

    #[test]
    fn a_calendar_without_working_time_is_refused_at_load() {
        let err = one("# mine\n\n[[calendar]]\nname = \"never\"\nzone = \"UTC\"\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("line 3") && err.contains("no working time"),
            "{err}"
        );
    }

    #[test]
    fn malformed_files_name_the_line_and_the_expected_form() {
        let cases = [
            (
                "[[calendar]]\nname = \"x\"\nzone = \"Asia/Tokio\"\n[calendar.hours]\nmon = [\"09:00-17:00\"]\n",
                "line 3",
                "IANA",
            ),
            (
                "[[calendar]]\nname = \"x\"\nzone = \"UTC\"\n[calendar.hours]\nmon = [\"17:00-09:00\"]\n",
                "line 5",
                "HH:MM-HH:MM",
            ),
            (
                "[[calendar]]\nname = \"x\"\nzone = \"UTC\"\n[calendar.hours]\nmon = [\"09:00-24:30\"]\n",
                "line 5",
                "24:00",
            ),
            (
                "[[calendar]]\nname = \"x\"\nzone = \"UTC\"\n[calendar.hours]\nmonday = [\"09:00-17:00\"]\n",
                "line 5",
                "mon",
            ),
            (
                "[[calendar]]\nname = \"x\"\nzone = \"UTC\"\n[calendar.hours]\nmon = [\"09:00-17:00\"]\n[[calendar.holiday]]\ndate = \"2026-02-30\"\n",
                "line 7",
                "",
            ),
            (
                "[[calendar]]\nname = \"x\"\nzone = \"UTC\"\nbusiness_day = \"2bd\"\n[calendar.hours]\nmon = [\"09:00-17:00\"]\n",
                "line 1",
                "8h",
            ),
            ("[[calendar]\nname = \"x\"\n", "line 1", ""),
        ];
        for (text, line, hint) in cases {
            let err = one(text).unwrap_err().to_string();
            assert!(err.starts_with("test.toml") && !err.contains('\n'), "{err}");
            assert!(
                err.contains(line) && err.contains(hint),
                "want {line} and {hint:?} in: {err}"
            );
        }
    }

    #[test]
    fn holidays_may_be_ranges_and_a_user_file_replaces_a_builtin() {
        let text = "[[calendar]]\nname = \"jp-business\"\nzone = \"Asia/Tokyo\"\n[calendar.hours]\n\
                    mon = [\"08:30-17:30\"]\n[[calendar.holiday]]\nfrom = \"2026-08-13\"\nto = \"2026-08-16\"\nname = \"お盆 Obon\"\n";
        let cals = Calendars::with_file("site.toml", text).unwrap();
        let jp = cals.get("jp-business").unwrap();
        assert_eq!(jp.business_day_secs(), 9 * 3600);
        assert!(jp.is_day_off("2026-08-14".parse().unwrap()));
        assert_eq!(cals.iter().count(), 3);
        let err = cals.get("jp-busines").unwrap_err().to_string();
        assert!(
            err.contains("expected one of 24x7, jp-business, us-pacific-business"),
            "{err}"
        );
    }
}
