//! Working time: the weekly hours, minus public holidays and time off, in the user's
//! zone. Answers `is_working(t)`, `next_start(t)`, `next_end(t)`, the work day of an
//! instant and the transitions between two instants, correct across DST (SPEC §3).
//! Manual modes are not here: the engine layers them on top.
//!
//! # Semantics
//!
//! - **Weekly ranges.** Each weekday has zero or more half-open ranges
//!   (`09:00-18:00` holds 09:00, not 18:00). A range whose end is not after its start
//!   crosses midnight and *belongs to the day it starts on* (night shifts); `24:00` is
//!   allowed as an end. Overlapping or touching ranges merge into one working period,
//!   across days too: `mon 22:00-24:00` and `tue 00:00-06:00` are one period.
//! - **Local time to instant.** Ranges are local times; the zone turns them into
//!   instants, never arithmetic on seconds. A local time in a DST gap (spring forward)
//!   maps to the first instant after the gap, i.e. the transition itself, for starts and
//!   ends alike (a range lying wholly in the gap is empty). A local time in a repeated
//!   hour (fall back) maps to its first occurrence, so the repeated hour is never counted
//!   twice as a start, and a range across the change lasts its real length.
//! - **Work day.** A range's *work day* is the local date it starts on. The work day of
//!   an instant is the work day of the first range of the merged period containing it
//!   (a shift begun Monday 22:00 is still Monday's at 03:00), or its local date when it
//!   is not working time. Date-time time off that cuts a period does not change the day
//!   it belongs to.
//! - **Public holidays** (built-in calendar and `extra_holidays`) and **time off by
//!   dates** (both bounds dates, inclusive) remove the ranges whose work day they cover,
//!   whole, including the part of a night shift past midnight; the night shift of the
//!   day before still runs into them.
//! - **Time off by date-times** removes working time inside `[start, end)` exactly,
//!   cutting ranges. With mixed bounds, a date start means 00:00 of that day and a date
//!   end means the end of that day (00:00 of the next).
//! - **Horizon.** Starts and ends are looked for on days up to [`HORIZON_DAYS`] from
//!   the instant asked about; beyond, the answer is `None`. A schedule with no weekly
//!   hours answers at once.
//!
//! # How it is computed
//!
//! Nothing is precomputed per date: for one day, the weekday's ranges (sorted, merged
//! in minutes) are turned into instants on demand and dropped when the day is off.
//! A walk over consecutive days merges those *pieces* into periods, cuts the date-time
//! time off out of them, and reports the edges. A walk over days `first..=last` knows
//! the exact state only between the latest possible end of the day before `first` and
//! the earliest possible start of the day after `last`; edges outside are ignored and
//! the window is widened when needed.

use crate::settings::{DayRange, HolidayCalendar, Settings, TimeOffBound};
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{Span, Timestamp};
use std::ops::ControlFlow;

/// How far ahead the schedule looks for a start or an end before saying "none".
pub const HORIZON_DAYS: i64 = 400;

/// How far back [`Schedule::segment`] and [`Schedule::work_day`] look, widening in
/// these steps until they find the start of the stretch (the last one is the horizon).
const LOOK_BACK_DAYS: [i64; 4] = [7, 35, 175, HORIZON_DAYS];

/// The last minute a range of the day before can end at (`end <= start <= 23:59`).
const LAST_MINUTE: Time = Time::constant(23, 59, 0, 0);

/// A change of working state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    /// When it happens.
    pub at: Timestamp,
    /// Working from `at` on.
    pub working: bool,
}

/// The maximal stretch of constant working state around an instant: what the engine
/// caches so that most decisions need no schedule query at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    /// Working time throughout the stretch.
    pub working: bool,
    /// When the stretch began (the last transition at or before the instant), `None`
    /// when it began more than [`HORIZON_DAYS`] before.
    pub since: Option<Timestamp>,
    /// When it ends (the next transition after the instant), `None` when it lasts past
    /// [`HORIZON_DAYS`].
    pub until: Option<Timestamp>,
}

impl Segment {
    /// Whether `t` lies in the stretch (`since <= t < until`, open where unknown).
    pub fn contains(&self, t: Timestamp) -> bool {
        self.since.is_none_or(|since| since <= t) && self.until.is_none_or(|until| t < until)
    }
}

/// The compiled schedule.
#[derive(Debug, Clone)]
pub struct Schedule {
    zone: TimeZone,
    /// Per weekday, Monday first: the ranges, sorted and merged.
    week: [Vec<WeekRange>; 7],
    /// No weekly hours at all: never working.
    empty: bool,
    calendar: Option<HolidayCalendar>,
    /// Sorted, without duplicates.
    extra_holidays: Vec<Date>,
    /// Time off by dates: inclusive, sorted, merged.
    days_off: Vec<(Date, Date)>,
    /// Time off by date-times: half-open instants, sorted, merged, non-empty.
    cuts: Vec<(Timestamp, Timestamp)>,
}

/// One merged range of a weekday, as local times.
#[derive(Debug, Clone, Copy)]
struct WeekRange {
    start: Time,
    end: Time,
    /// The end is on the next day.
    end_next_day: bool,
}

/// A range of one day, as instants.
#[derive(Debug, Clone, Copy)]
struct Piece {
    start: Timestamp,
    end: Timestamp,
    /// The work day: the date the range starts on.
    day: Date,
}

/// A period being merged during a walk.
#[derive(Debug, Clone, Copy)]
struct Period {
    start: Timestamp,
    end: Timestamp,
    day: Date,
}

/// A change of state seen by a walk.
#[derive(Debug, Clone, Copy)]
struct Edge {
    at: Timestamp,
    /// Working from `at` on.
    working: bool,
    /// The work day of the period the edge belongs to, when the walk saw its start.
    day: Option<Date>,
    /// Inside the window where the walk knows the state exactly.
    certain: bool,
}

/// What a walk knows about its window `(floor, ceiling)`.
#[derive(Debug, Clone, Copy)]
struct Window {
    floor: Timestamp,
    ceiling: Timestamp,
}

impl Window {
    fn knows(&self, at: Timestamp) -> bool {
        self.floor < at && at < self.ceiling
    }
}

impl Schedule {
    /// Compiles the schedule part of `settings`.
    pub fn new(settings: &Settings) -> Schedule {
        let zone = settings.timezone.clone();
        let week: [Vec<WeekRange>; 7] =
            std::array::from_fn(|i| compile_day(&settings.hours.days[i]));
        let empty = week.iter().all(Vec::is_empty);

        let mut extra_holidays = settings.extra_holidays.clone();
        extra_holidays.sort_unstable();
        extra_holidays.dedup();

        let mut days_off = Vec::new();
        let mut cuts = Vec::new();
        for off in &settings.time_off {
            match (off.start, off.end) {
                (TimeOffBound::Date(first), TimeOffBound::Date(last)) => {
                    if first <= last {
                        days_off.push((first, last));
                    }
                }
                (start, end) => {
                    let start = match start {
                        TimeOffBound::Date(d) => resolve(&zone, d.to_datetime(Time::midnight())),
                        TimeOffBound::DateTime(dt) => resolve(&zone, dt),
                    };
                    let end = match end {
                        TimeOffBound::Date(d) => d
                            .tomorrow()
                            .ok()
                            .and_then(|next| resolve(&zone, next.to_datetime(Time::midnight())))
                            .or(Some(Timestamp::MAX)),
                        TimeOffBound::DateTime(dt) => resolve(&zone, dt),
                    };
                    if let (Some(start), Some(end)) = (start, end) {
                        if start < end {
                            cuts.push((start, end));
                        }
                    }
                }
            }
        }
        Schedule {
            zone,
            week,
            empty,
            calendar: settings.holidays,
            extra_holidays,
            days_off: merge_days(days_off),
            cuts: merge_instants(cuts),
        }
    }

    /// The user's zone.
    pub fn zone(&self) -> &TimeZone {
        &self.zone
    }

    /// Whether `t` is working time.
    pub fn is_working(&self, t: Timestamp) -> bool {
        if self.empty {
            return false;
        }
        let today = self.local_date(t);
        // Only ranges of today and yesterday can contain `t`: older ones end before
        // today's 00:00, and yesterday's only when they cross midnight.
        let yesterday = today
            .yesterday()
            .ok()
            .filter(|day| self.has_night_range(*day));
        let covered = [yesterday, Some(today)]
            .into_iter()
            .flatten()
            .any(|day| self.pieces(day).any(|p| p.start <= t && t < p.end));
        covered && !self.is_cut(t)
    }

    /// The first instant strictly after `t` at which working time starts, within
    /// [`HORIZON_DAYS`].
    pub fn next_start(&self, t: Timestamp) -> Option<Timestamp> {
        self.next_edge(t, Some(true)).map(|e| e.at)
    }

    /// The first instant strictly after `t` at which working time ends, within
    /// [`HORIZON_DAYS`].
    pub fn next_end(&self, t: Timestamp) -> Option<Timestamp> {
        self.next_edge(t, Some(false)).map(|e| e.at)
    }

    /// The maximal stretch of constant state containing `t`, bounded by the horizon.
    pub fn segment(&self, t: Timestamp) -> Segment {
        let working = self.is_working(t);
        if self.empty {
            return Segment {
                working,
                since: None,
                until: None,
            };
        }
        Segment {
            working,
            since: self.last_edge(t, false).map(|e| e.at),
            until: self.next_edge(t, None).map(|e| e.at),
        }
    }

    /// The work day of `t`: the day its working period started on, or its calendar day.
    ///
    /// When the period started more than [`HORIZON_DAYS`] ago (hours around the
    /// clock), the day of the latest range containing `t`.
    pub fn work_day(&self, t: Timestamp) -> Date {
        let today = self.local_date(t);
        if !self.is_working(t) {
            return today;
        }
        if let Some(day) = self.last_edge(t, true).and_then(|e| e.day) {
            return day;
        }
        [Some(today), today.yesterday().ok()]
            .into_iter()
            .flatten()
            .find(|&day| self.pieces(day).any(|p| p.start <= t && t < p.end))
            .unwrap_or(today)
    }

    /// Every transition in `(from, to]`, in order.
    pub fn transitions(&self, from: Timestamp, to: Timestamp) -> Vec<Transition> {
        let mut out = Vec::new();
        if self.empty || from >= to {
            return out;
        }
        let (Some(first), Some(last)) = (
            add_days(self.local_date(from), -2),
            add_days(self.local_date(to), 1),
        ) else {
            return out;
        };
        let _ = self.walk(first, last, |edge| {
            if edge.at > to {
                return ControlFlow::Break(());
            }
            if edge.certain && edge.at > from {
                out.push(Transition {
                    at: edge.at,
                    working: edge.working,
                });
            }
            ControlFlow::Continue(())
        });
        out
    }

    /// Whether `date` is a public holiday (built-in calendar or extra date).
    pub fn is_holiday(&self, date: Date) -> bool {
        self.calendar
            .is_some_and(|calendar| crate::holidays::is_holiday(calendar, date))
            || self.extra_holidays.binary_search(&date).is_ok()
    }

    /// Whether the ranges whose work day is `date` are removed (holiday or time off by
    /// dates).
    pub fn is_day_off(&self, date: Date) -> bool {
        if self.is_holiday(date) {
            return true;
        }
        let i = self.days_off.partition_point(|&(_, last)| last < date);
        self.days_off
            .get(i)
            .is_some_and(|&(first, _)| first <= date)
    }

    /// The first certain edge strictly after `t`, of the given kind (`Some(true)`:
    /// a start).
    fn next_edge(&self, t: Timestamp, working: Option<bool>) -> Option<Edge> {
        if self.empty {
            return None;
        }
        let today = self.local_date(t);
        let first = add_days(today, -2)?;
        let last = add_days(today, HORIZON_DAYS).unwrap_or(Date::MAX);
        match self.walk(first, last, |edge| {
            if edge.at <= t {
                ControlFlow::Continue(())
            } else if !edge.certain {
                // Past the window's ceiling: nothing later is known.
                ControlFlow::Break(None)
            } else if working.is_none_or(|w| w == edge.working) {
                ControlFlow::Break(Some(edge))
            } else {
                ControlFlow::Continue(())
            }
        }) {
            ControlFlow::Break(found) => found,
            ControlFlow::Continue(()) => None,
        }
    }

    /// The last certain edge at or before `t`, widening the window backwards up to the
    /// horizon (and, with `need_day`, until the work day of its period is known too).
    fn last_edge(&self, t: Timestamp, need_day: bool) -> Option<Edge> {
        let today = self.local_date(t);
        let last = add_days(today, 1)?;
        for back in LOOK_BACK_DAYS {
            let Some(first) = add_days(today, -back) else {
                break;
            };
            let mut found = None;
            let _ = self.walk(first, last, |edge| {
                if edge.at > t {
                    return ControlFlow::Break(());
                }
                if edge.certain {
                    found = Some(edge);
                }
                ControlFlow::Continue(())
            });
            if found.is_some_and(|e| !need_day || e.day.is_some()) {
                return found;
            }
        }
        None
    }

    /// Walks the days `first..=last` in order, merging their pieces into periods,
    /// cutting the date-time time off out of them, and calls `f` with each edge in
    /// time order. Edges outside the window the walk can know are marked uncertain.
    fn walk<B>(
        &self,
        first: Date,
        last: Date,
        mut f: impl FnMut(Edge) -> ControlFlow<B>,
    ) -> ControlFlow<B> {
        // Ranges of days before `first` end by `first` 23:59; ranges of days after
        // `last` start at or after the next day's 00:00.
        let window = Window {
            floor: resolve(&self.zone, first.to_datetime(LAST_MINUTE)).unwrap_or(Timestamp::MAX),
            ceiling: last
                .tomorrow()
                .ok()
                .and_then(|next| resolve(&self.zone, next.to_datetime(Time::midnight())))
                .unwrap_or(Timestamp::MIN),
        };
        let mut open: Option<Period> = None;
        let mut day = first;
        loop {
            for piece in self.pieces(day) {
                match open.as_mut() {
                    Some(period) if piece.start <= period.end => {
                        period.end = period.end.max(piece.end);
                    }
                    _ => {
                        if let Some(done) = open.take() {
                            self.edges(done, window, &mut f)?;
                        }
                        open = Some(Period {
                            start: piece.start,
                            end: piece.end,
                            day: piece.day,
                        });
                    }
                }
            }
            if day >= last {
                break;
            }
            match day.tomorrow() {
                Ok(next) => day = next,
                Err(_) => break,
            }
        }
        match open {
            Some(done) => self.edges(done, window, &mut f),
            None => ControlFlow::Continue(()),
        }
    }

    /// The edges of one merged period once the time off by date-times is cut out.
    fn edges<B>(
        &self,
        period: Period,
        window: Window,
        f: &mut impl FnMut(Edge) -> ControlFlow<B>,
    ) -> ControlFlow<B> {
        let day = window.knows(period.start).then_some(period.day);
        let edge = |at: Timestamp, working: bool| Edge {
            at,
            working,
            day,
            certain: window.knows(at),
        };
        let mut from = period.start;
        let first_cut = self.cuts.partition_point(|&(_, end)| end <= period.start);
        for &(cut_start, cut_end) in &self.cuts[first_cut..] {
            if cut_start >= period.end {
                break;
            }
            if cut_start > from {
                f(edge(from, true))?;
                f(edge(cut_start, false))?;
            }
            from = from.max(cut_end);
            if from >= period.end {
                return ControlFlow::Continue(());
            }
        }
        f(edge(from, true))?;
        f(edge(period.end, false))
    }

    /// The ranges of `day` as instants, in start order; none on a day off.
    fn pieces(&self, day: Date) -> impl Iterator<Item = Piece> + '_ {
        let ranges: &[WeekRange] = if self.is_day_off(day) {
            &[]
        } else {
            &self.week[day.weekday().to_monday_zero_offset() as usize]
        };
        let next_day = day.tomorrow().ok();
        ranges.iter().filter_map(move |range| {
            let start = resolve(&self.zone, day.to_datetime(range.start))?;
            let end_day = if range.end_next_day { next_day? } else { day };
            let end = resolve(&self.zone, end_day.to_datetime(range.end))?;
            (start < end).then_some(Piece { start, end, day })
        })
    }

    /// Whether a range of `day`'s weekday ends on the next day.
    fn has_night_range(&self, day: Date) -> bool {
        self.week[day.weekday().to_monday_zero_offset() as usize]
            .iter()
            .any(|range| range.end_next_day)
    }

    /// Whether `t` is inside time off by date-times.
    fn is_cut(&self, t: Timestamp) -> bool {
        let i = self.cuts.partition_point(|&(_, end)| end <= t);
        self.cuts.get(i).is_some_and(|&(start, _)| start <= t)
    }

    fn local_date(&self, t: Timestamp) -> Date {
        self.zone.to_datetime(t).date()
    }
}

/// The instant of a local time in `zone`: in a gap (spring forward), the first
/// instant after it (the transition); in a fold (fall back), the first occurrence.
/// `None` only at the edges of the representable range.
pub fn resolve(zone: &TimeZone, local: DateTime) -> Option<Timestamp> {
    match zone.to_ambiguous_timestamp(local).offset() {
        AmbiguousOffset::Unambiguous { offset } => offset.to_timestamp(local).ok(),
        AmbiguousOffset::Fold { before, .. } => before.to_timestamp(local).ok(),
        AmbiguousOffset::Gap { after, .. } => {
            // Read with the later offset, the local time falls before the transition;
            // the zone says when that transition is.
            let before_gap = after.to_timestamp(local).ok()?;
            zone.following(before_gap).next().map(|tr| tr.timestamp())
        }
    }
}

/// A weekday's ranges as local times, sorted and merged (overlapping or touching).
fn compile_day(ranges: &[DayRange]) -> Vec<WeekRange> {
    // Minutes from the day's midnight; an end past 1440 is on the next day.
    let mut spans: Vec<(u16, u16)> = ranges
        .iter()
        .filter(|r| r.start < 1440 && r.end <= 1440)
        .map(|r| {
            let end = if r.end <= r.start {
                r.end + 1440
            } else {
                r.end
            };
            (r.start, end)
        })
        .collect();
    spans.sort_unstable();
    let mut merged: Vec<(u16, u16)> = Vec::with_capacity(spans.len());
    for (start, end) in spans {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
        .into_iter()
        .filter_map(|(start, end)| {
            let end_next_day = end >= 1440;
            Some(WeekRange {
                start: minute_time(start)?,
                end: minute_time(if end_next_day { end - 1440 } else { end })?,
                end_next_day,
            })
        })
        .collect()
}

fn minute_time(minutes: u16) -> Option<Time> {
    Time::new((minutes / 60) as i8, (minutes % 60) as i8, 0, 0).ok()
}

fn add_days(date: Date, days: i64) -> Option<Date> {
    date.checked_add(Span::new().try_days(days).ok()?).ok()
}

fn merge_days(mut ranges: Vec<(Date, Date)>) -> Vec<(Date, Date)> {
    ranges.sort_unstable();
    let mut merged: Vec<(Date, Date)> = Vec::with_capacity(ranges.len());
    for (first, last) in ranges {
        match merged.last_mut() {
            Some(prev) if first <= prev.1 || prev.1.tomorrow().is_ok_and(|d| d == first) => {
                prev.1 = prev.1.max(last);
            }
            _ => merged.push((first, last)),
        }
    }
    merged
}

fn merge_instants(mut ranges: Vec<(Timestamp, Timestamp)>) -> Vec<(Timestamp, Timestamp)> {
    ranges.sort_unstable();
    let mut merged: Vec<(Timestamp, Timestamp)> = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(prev) if start <= prev.1 => prev.1 = prev.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::{TimeOff, WeeklyHours};
    use jiff::civil::date;

    const PARIS: &str = "Europe/Paris";
    const NEW_YORK: &str = "America/New_York";
    const LORD_HOWE: &str = "Australia/Lord_Howe";

    /// `["09:00-18:00", ...]` per weekday, Monday first; ranges of a day separated by
    /// commas.
    fn hours(days: [&str; 7]) -> WeeklyHours {
        let parse = |hm: &str| {
            let (h, m) = hm.split_once(':').unwrap();
            h.parse::<u16>().unwrap() * 60 + m.parse::<u16>().unwrap()
        };
        WeeklyHours {
            days: days.map(|day| {
                day.split(',')
                    .filter(|r| !r.is_empty())
                    .map(|r| {
                        let (start, end) = r.split_once('-').unwrap();
                        DayRange {
                            start: parse(start),
                            end: parse(end),
                        }
                    })
                    .collect()
            }),
        }
    }

    fn settings(zone: &str, days: [&str; 7]) -> Settings {
        Settings {
            timezone_name: zone.to_string(),
            timezone: TimeZone::get(zone).unwrap(),
            hours: hours(days),
            ..Settings::default()
        }
    }

    fn schedule(zone: &str, days: [&str; 7]) -> Schedule {
        Schedule::new(&settings(zone, days))
    }

    fn office(zone: &str) -> Settings {
        let day = "09:00-18:00";
        settings(zone, [day, day, day, day, day, "", ""])
    }

    /// Sunday only.
    fn sunday(zone: &str, ranges: &str) -> Schedule {
        schedule(zone, ["", "", "", "", "", "", ranges])
    }

    /// Saturday only.
    fn saturday(zone: &str, ranges: &str) -> Schedule {
        schedule(zone, ["", "", "", "", "", ranges, ""])
    }

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn span(s: &Schedule, from: &str, to: &str) -> Vec<(Timestamp, bool)> {
        s.transitions(ts(from), ts(to))
            .into_iter()
            .map(|t| (t.at, t.working))
            .collect()
    }

    fn hours_between(a: Timestamp, b: Timestamp) -> f64 {
        (b.as_second() - a.as_second()) as f64 / 3600.0
    }

    // --- Europe/Paris: 2026-03-29 02:00 -> 03:00, 2026-10-25 03:00 -> 02:00 ---

    #[test]
    fn paris_range_starting_in_skipped_hour_starts_at_transition() {
        let s = sunday(PARIS, "02:30-05:00");
        assert_eq!(
            s.next_start(ts("2026-03-28T12:00:00+01:00")),
            Some(ts("2026-03-29T03:00:00+02:00"))
        );
        assert!(s.is_working(ts("2026-03-29T03:00:00+02:00")));
        assert!(!s.is_working(ts("2026-03-29T01:59:00+01:00")));
        assert_eq!(
            s.next_end(ts("2026-03-29T03:00:00+02:00")),
            Some(ts("2026-03-29T05:00:00+02:00"))
        );
    }

    #[test]
    fn paris_range_wholly_in_skipped_hour_is_empty() {
        let s = sunday(PARIS, "02:10-02:50");
        assert_eq!(
            span(&s, "2026-03-28T00:00:00Z", "2026-03-30T00:00:00Z"),
            vec![]
        );
        assert_eq!(
            s.next_start(ts("2026-03-28T00:00:00Z")),
            Some(ts("2026-04-05T02:10:00+02:00"))
        );
    }

    #[test]
    fn paris_range_ending_in_skipped_hour_ends_at_transition() {
        let s = saturday(PARIS, "22:00-02:30");
        assert_eq!(
            span(&s, "2026-03-28T12:00:00Z", "2026-03-29T12:00:00Z"),
            vec![
                (ts("2026-03-28T22:00:00+01:00"), true),
                (ts("2026-03-29T03:00:00+02:00"), false),
            ]
        );
    }

    #[test]
    fn paris_range_across_autumn_change_lasts_its_real_length() {
        let s = sunday(PARIS, "00:00-06:00");
        let start = s.next_start(ts("2026-10-24T12:00:00Z")).unwrap();
        let end = s.next_end(start).unwrap();
        assert_eq!(start, ts("2026-10-25T00:00:00+02:00"));
        assert_eq!(end, ts("2026-10-25T06:00:00+01:00"));
        assert_eq!(hours_between(start, end), 7.0);
    }

    #[test]
    fn paris_repeated_hour_is_not_a_second_start() {
        let s = sunday(PARIS, "02:00-02:30");
        assert_eq!(
            span(&s, "2026-10-24T12:00:00Z", "2026-10-26T00:00:00Z"),
            vec![
                (ts("2026-10-25T02:00:00+02:00"), true),
                (ts("2026-10-25T02:30:00+02:00"), false),
            ]
        );
        assert!(s.is_working(ts("2026-10-25T02:15:00+02:00")));
        assert!(!s.is_working(ts("2026-10-25T02:15:00+01:00")));
    }

    #[test]
    fn paris_range_starting_in_repeated_hour_covers_both_passes() {
        let s = sunday(PARIS, "02:30-03:00");
        assert_eq!(
            span(&s, "2026-10-24T12:00:00Z", "2026-10-26T00:00:00Z"),
            vec![
                (ts("2026-10-25T02:30:00+02:00"), true),
                (ts("2026-10-25T03:00:00+01:00"), false),
            ]
        );
    }

    #[test]
    fn paris_office_week_next_start_and_end_around_both_changes() {
        let s = Schedule::new(&office(PARIS));
        assert_eq!(
            s.next_start(ts("2026-03-27T18:00:00+01:00")),
            Some(ts("2026-03-30T09:00:00+02:00"))
        );
        assert_eq!(
            s.next_end(ts("2026-03-27T18:00:00+01:00")),
            Some(ts("2026-03-30T18:00:00+02:00"))
        );
        assert_eq!(
            s.next_start(ts("2026-10-23T18:00:00+02:00")),
            Some(ts("2026-10-26T09:00:00+01:00"))
        );
        assert_eq!(
            s.segment(ts("2026-10-25T02:30:00+01:00")),
            Segment {
                working: false,
                since: Some(ts("2026-10-23T18:00:00+02:00")),
                until: Some(ts("2026-10-26T09:00:00+01:00")),
            }
        );
    }

    // --- America/New_York: 2026-03-08 02:00 -> 03:00, 2026-11-01 02:00 -> 01:00 ---

    #[test]
    fn new_york_range_starting_in_skipped_hour_starts_at_transition() {
        let s = sunday(NEW_YORK, "02:30-04:00");
        assert_eq!(
            span(&s, "2026-03-07T12:00:00Z", "2026-03-09T12:00:00Z"),
            vec![
                (ts("2026-03-08T03:00:00-04:00"), true),
                (ts("2026-03-08T04:00:00-04:00"), false),
            ]
        );
    }

    #[test]
    fn new_york_night_shift_ending_in_skipped_hour_lasts_four_hours() {
        let s = saturday(NEW_YORK, "22:00-02:30");
        let start = s.next_start(ts("2026-03-07T12:00:00-05:00")).unwrap();
        let end = s.next_end(start).unwrap();
        assert_eq!(start, ts("2026-03-07T22:00:00-05:00"));
        assert_eq!(end, ts("2026-03-08T03:00:00-04:00"));
        assert_eq!(hours_between(start, end), 4.0);
    }

    #[test]
    fn new_york_night_shift_across_autumn_change_lasts_nine_hours() {
        let s = saturday(NEW_YORK, "22:00-06:00");
        let start = s.next_start(ts("2026-10-31T12:00:00-04:00")).unwrap();
        let end = s.next_end(start).unwrap();
        assert_eq!(start, ts("2026-10-31T22:00:00-04:00"));
        assert_eq!(end, ts("2026-11-01T06:00:00-05:00"));
        assert_eq!(hours_between(start, end), 9.0);
        assert!(s.is_working(ts("2026-11-01T01:30:00-04:00")));
        assert!(s.is_working(ts("2026-11-01T01:30:00-05:00")));
        assert_eq!(
            s.work_day(ts("2026-11-01T01:30:00-05:00")),
            date(2026, 10, 31)
        );
    }

    #[test]
    fn new_york_range_ending_in_repeated_hour_ends_at_first_pass() {
        let s = sunday(NEW_YORK, "00:00-01:30");
        assert_eq!(
            s.next_end(ts("2026-11-01T00:10:00-04:00")),
            Some(ts("2026-11-01T01:30:00-04:00"))
        );
        assert!(!s.is_working(ts("2026-11-01T01:10:00-05:00")));
        assert_eq!(
            s.next_start(ts("2026-11-01T01:10:00-05:00")),
            Some(ts("2026-11-08T00:00:00-05:00"))
        );
    }

    // --- Australia/Lord_Howe: 30-minute shifts. 2026-04-05 02:00 (+11) -> 01:30
    // (+10:30); 2026-10-04 02:00 (+10:30) -> 02:30 (+11) ---

    #[test]
    fn lord_howe_range_starting_in_skipped_half_hour_starts_at_transition() {
        let s = sunday(LORD_HOWE, "02:10-04:00");
        let start = s.next_start(ts("2026-10-03T00:00:00Z")).unwrap();
        assert_eq!(start, ts("2026-10-04T02:30:00+11:00"));
        assert_eq!(start, ts("2026-10-03T15:30:00Z"));
        assert_eq!(s.next_end(start), Some(ts("2026-10-04T04:00:00+11:00")));
        assert!(!s.is_working(ts("2026-10-04T01:59:00+10:30")));
    }

    #[test]
    fn lord_howe_range_across_autumn_change_lasts_its_real_length() {
        let s = sunday(LORD_HOWE, "01:00-03:00");
        let start = s.next_start(ts("2026-04-04T00:00:00Z")).unwrap();
        let end = s.next_end(start).unwrap();
        assert_eq!(start, ts("2026-04-05T01:00:00+11:00"));
        assert_eq!(end, ts("2026-04-05T03:00:00+10:30"));
        assert_eq!(hours_between(start, end), 2.5);
    }

    #[test]
    fn lord_howe_repeated_half_hour_is_not_a_second_start() {
        let s = sunday(LORD_HOWE, "01:45-01:50");
        assert_eq!(
            span(&s, "2026-04-04T00:00:00Z", "2026-04-06T00:00:00Z"),
            vec![
                (ts("2026-04-05T01:45:00+11:00"), true),
                (ts("2026-04-05T01:50:00+11:00"), false),
            ]
        );
        assert!(!s.is_working(ts("2026-04-05T01:47:00+10:30")));
    }

    #[test]
    fn lord_howe_office_week_next_start_over_both_changes() {
        let s = Schedule::new(&office(LORD_HOWE));
        assert_eq!(
            s.next_start(ts("2026-04-03T18:00:00+11:00")),
            Some(ts("2026-04-06T09:00:00+10:30"))
        );
        assert_eq!(
            s.next_start(ts("2026-10-02T18:00:00+10:30")),
            Some(ts("2026-10-05T09:00:00+11:00"))
        );
        assert_eq!(
            s.next_end(ts("2026-10-05T09:00:00+11:00")),
            Some(ts("2026-10-05T18:00:00+11:00"))
        );
    }

    // --- Ranges, midnight and merging ---

    #[test]
    fn night_shift_belongs_to_the_day_it_starts_on() {
        let s = schedule(PARIS, ["22:00-06:00", "", "", "", "", "", ""]);
        // Monday 2026-11-23.
        assert!(s.is_working(ts("2026-11-24T03:00:00+01:00")));
        assert!(!s.is_working(ts("2026-11-24T06:00:00+01:00")));
        assert!(!s.is_working(ts("2026-11-23T03:00:00+01:00")));
        assert_eq!(
            s.work_day(ts("2026-11-24T03:00:00+01:00")),
            date(2026, 11, 23)
        );
    }

    #[test]
    fn work_day_before_work_is_the_calendar_day() {
        let s = Schedule::new(&office(PARIS));
        assert_eq!(
            s.work_day(ts("2026-11-24T08:00:00+01:00")),
            date(2026, 11, 24)
        );
        assert_eq!(
            s.work_day(ts("2026-11-24T11:00:00+01:00")),
            date(2026, 11, 24)
        );
        assert_eq!(
            s.work_day(ts("2026-11-24T23:00:00+01:00")),
            date(2026, 11, 24)
        );
    }

    #[test]
    fn touching_ranges_merge_across_midnight() {
        let s = schedule(PARIS, ["22:00-24:00", "00:00-06:00", "", "", "", "", ""]);
        assert_eq!(
            span(&s, "2026-11-23T12:00:00+01:00", "2026-11-25T12:00:00+01:00"),
            vec![
                (ts("2026-11-23T22:00:00+01:00"), true),
                (ts("2026-11-24T06:00:00+01:00"), false),
            ]
        );
        assert_eq!(
            s.next_end(ts("2026-11-23T23:00:00+01:00")),
            Some(ts("2026-11-24T06:00:00+01:00"))
        );
        assert_eq!(
            s.work_day(ts("2026-11-24T03:00:00+01:00")),
            date(2026, 11, 23)
        );
        assert_eq!(
            s.segment(ts("2026-11-24T03:00:00+01:00")),
            Segment {
                working: true,
                since: Some(ts("2026-11-23T22:00:00+01:00")),
                until: Some(ts("2026-11-24T06:00:00+01:00")),
            }
        );
    }

    #[test]
    fn overlapping_and_touching_ranges_of_a_day_merge() {
        let s = schedule(
            PARIS,
            [
                "09:00-12:30,18:00-19:00,12:00-18:00",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
        );
        assert_eq!(
            span(&s, "2026-11-23T00:00:00+01:00", "2026-11-24T00:00:00+01:00"),
            vec![
                (ts("2026-11-23T09:00:00+01:00"), true),
                (ts("2026-11-23T19:00:00+01:00"), false),
            ]
        );
    }

    #[test]
    fn lunch_break_is_two_periods() {
        let s = schedule(PARIS, ["09:00-12:30,13:30-18:00", "", "", "", "", "", ""]);
        assert_eq!(
            s.next_start(ts("2026-11-23T12:30:00+01:00")),
            Some(ts("2026-11-23T13:30:00+01:00"))
        );
        assert!(!s.is_working(ts("2026-11-23T12:30:00+01:00")));
        assert!(s.is_working(ts("2026-11-23T12:29:59+01:00")));
    }

    #[test]
    fn range_may_end_at_24_00() {
        let s = schedule(PARIS, ["", "", "", "", "20:00-24:00", "", ""]);
        assert_eq!(
            s.next_end(ts("2026-11-27T21:00:00+01:00")),
            Some(ts("2026-11-28T00:00:00+01:00"))
        );
        assert!(s.is_working(ts("2026-11-27T23:59:59+01:00")));
        assert!(!s.is_working(ts("2026-11-28T00:00:00+01:00")));
    }

    #[test]
    fn night_shift_overlapping_next_morning_merges() {
        let s = schedule(PARIS, ["22:00-07:00", "06:00-10:00", "", "", "", "", ""]);
        assert_eq!(
            span(&s, "2026-11-23T12:00:00+01:00", "2026-11-25T00:00:00+01:00"),
            vec![
                (ts("2026-11-23T22:00:00+01:00"), true),
                (ts("2026-11-24T10:00:00+01:00"), false),
            ]
        );
        assert_eq!(
            s.work_day(ts("2026-11-24T09:00:00+01:00")),
            date(2026, 11, 23)
        );
    }

    #[test]
    fn start_exactly_at_t_is_not_next() {
        let s = Schedule::new(&office(PARIS));
        let nine = ts("2026-11-23T09:00:00+01:00");
        assert!(s.is_working(nine));
        assert_eq!(s.next_start(nine), Some(ts("2026-11-24T09:00:00+01:00")));
        assert_eq!(s.next_end(nine), Some(ts("2026-11-23T18:00:00+01:00")));
        assert_eq!(
            s.transitions(ts("2026-11-23T08:00:00+01:00"), nine),
            vec![Transition {
                at: nine,
                working: true
            }]
        );
    }

    #[test]
    fn saturday_segment_runs_from_friday_end_to_monday_start() {
        let s = Schedule::new(&office(PARIS));
        assert_eq!(
            s.segment(ts("2026-11-28T21:04:00+01:00")),
            Segment {
                working: false,
                since: Some(ts("2026-11-27T18:00:00+01:00")),
                until: Some(ts("2026-11-30T09:00:00+01:00")),
            }
        );
    }

    #[test]
    fn empty_hours_never_work() {
        let s = schedule(PARIS, ["", "", "", "", "", "", ""]);
        let t = ts("2026-11-23T10:00:00+01:00");
        assert!(!s.is_working(t));
        assert_eq!(s.next_start(t), None);
        assert_eq!(s.next_end(t), None);
        assert_eq!(
            s.segment(t),
            Segment {
                working: false,
                since: None,
                until: None
            }
        );
        assert_eq!(s.transitions(t, ts("2027-11-23T10:00:00+01:00")), vec![]);
    }

    #[test]
    fn hours_around_the_clock_never_end_within_horizon() {
        let day = "00:00-24:00";
        let s = schedule(PARIS, [day; 7]);
        let t = ts("2026-11-24T03:00:00+01:00");
        assert!(s.is_working(t));
        assert_eq!(s.next_end(t), None);
        assert_eq!(s.next_start(t), None);
        assert_eq!(s.work_day(t), date(2026, 11, 24));
        assert_eq!(
            s.segment(t),
            Segment {
                working: true,
                since: None,
                until: None
            }
        );
    }

    // --- Holidays and time off ---

    fn french_office() -> Schedule {
        Schedule::new(&Settings {
            holidays: Some(HolidayCalendar::France),
            ..office(PARIS)
        })
    }

    #[test]
    fn french_holidays_2026_are_not_working() {
        let s = french_office();
        for day in [date(2026, 4, 6), date(2026, 5, 14), date(2026, 5, 25)] {
            assert!(s.is_holiday(day), "{day}");
            let ten = resolve(s.zone(), day.at(10, 0, 0, 0)).unwrap();
            assert!(!s.is_working(ten), "{day}");
        }
        assert!(!s.is_holiday(date(2026, 4, 5)));
        assert_eq!(
            s.next_start(ts("2026-04-03T18:00:00+02:00")),
            Some(ts("2026-04-07T09:00:00+02:00"))
        );
        assert_eq!(
            s.next_start(ts("2026-05-13T18:00:00+02:00")),
            Some(ts("2026-05-15T09:00:00+02:00"))
        );
    }

    #[test]
    fn french_holidays_2027_are_not_working() {
        let s = french_office();
        for day in [date(2027, 3, 29), date(2027, 5, 6), date(2027, 5, 17)] {
            assert!(s.is_holiday(day), "{day}");
            let ten = resolve(s.zone(), day.at(10, 0, 0, 0)).unwrap();
            assert!(!s.is_working(ten), "{day}");
        }
        assert_eq!(
            s.next_start(ts("2027-03-26T18:00:00+01:00")),
            Some(ts("2027-03-30T09:00:00+02:00"))
        );
    }

    #[test]
    fn holiday_removes_the_night_shift_starting_on_it_only() {
        let night = "22:00-06:00";
        let s = Schedule::new(&Settings {
            holidays: Some(HolidayCalendar::France),
            ..settings(PARIS, [night; 7])
        });
        // Easter Monday 2026-04-06: Sunday's shift runs into it, Monday's does not run.
        assert!(s.is_working(ts("2026-04-06T05:00:00+02:00")));
        assert!(!s.is_working(ts("2026-04-06T23:00:00+02:00")));
        assert!(!s.is_working(ts("2026-04-07T05:00:00+02:00")));
        assert_eq!(
            s.next_start(ts("2026-04-06T06:00:00+02:00")),
            Some(ts("2026-04-07T22:00:00+02:00"))
        );
    }

    #[test]
    fn extra_holidays_are_days_off() {
        let s = Schedule::new(&Settings {
            extra_holidays: vec![date(2026, 5, 29)],
            ..office(PARIS)
        });
        assert!(s.is_holiday(date(2026, 5, 29)));
        assert!(!s.is_holiday(date(2026, 5, 25)));
        assert!(!s.is_working(ts("2026-05-29T10:00:00+02:00")));
        assert_eq!(
            s.next_start(ts("2026-05-28T18:00:00+02:00")),
            Some(ts("2026-06-01T09:00:00+02:00"))
        );
    }

    fn with_time_off(start: TimeOffBound, end: TimeOffBound) -> Schedule {
        Schedule::new(&Settings {
            time_off: vec![TimeOff {
                start,
                end,
                label: None,
            }],
            ..office(PARIS)
        })
    }

    #[test]
    fn time_off_by_dates_is_inclusive() {
        let s = with_time_off(
            TimeOffBound::Date(date(2026, 12, 24)),
            TimeOffBound::Date(date(2027, 1, 1)),
        );
        assert!(s.is_working(ts("2026-12-23T10:00:00+01:00")));
        assert!(!s.is_working(ts("2026-12-24T10:00:00+01:00")));
        assert!(!s.is_working(ts("2027-01-01T10:00:00+01:00")));
        assert!(!s.is_holiday(date(2026, 12, 24)));
        assert_eq!(
            s.next_start(ts("2026-12-23T18:00:00+01:00")),
            Some(ts("2027-01-04T09:00:00+01:00"))
        );
    }

    #[test]
    fn time_off_by_dates_removes_a_night_shift_starting_inside() {
        let night = "22:00-06:00";
        let s = Schedule::new(&Settings {
            time_off: vec![TimeOff {
                start: TimeOffBound::Date(date(2026, 11, 24)),
                end: TimeOffBound::Date(date(2026, 11, 24)),
                label: None,
            }],
            ..settings(PARIS, [night; 7])
        });
        assert!(s.is_working(ts("2026-11-24T05:00:00+01:00")));
        assert!(!s.is_working(ts("2026-11-25T05:00:00+01:00")));
    }

    #[test]
    fn time_off_by_date_times_cuts_exactly() {
        let s = with_time_off(
            TimeOffBound::DateTime(date(2026, 11, 27).at(12, 0, 0, 0)),
            TimeOffBound::DateTime(date(2026, 11, 27).at(15, 30, 0, 0)),
        );
        assert_eq!(
            span(&s, "2026-11-27T00:00:00+01:00", "2026-11-28T00:00:00+01:00"),
            vec![
                (ts("2026-11-27T09:00:00+01:00"), true),
                (ts("2026-11-27T12:00:00+01:00"), false),
                (ts("2026-11-27T15:30:00+01:00"), true),
                (ts("2026-11-27T18:00:00+01:00"), false),
            ]
        );
        assert_eq!(
            s.next_start(ts("2026-11-27T12:00:00+01:00")),
            Some(ts("2026-11-27T15:30:00+01:00"))
        );
        assert_eq!(
            s.segment(ts("2026-11-27T13:00:00+01:00")),
            Segment {
                working: false,
                since: Some(ts("2026-11-27T12:00:00+01:00")),
                until: Some(ts("2026-11-27T15:30:00+01:00")),
            }
        );
        assert_eq!(
            s.work_day(ts("2026-11-27T16:00:00+01:00")),
            date(2026, 11, 27)
        );
    }

    #[test]
    fn time_off_with_mixed_bounds_runs_to_the_end_of_the_last_day() {
        let s = with_time_off(
            TimeOffBound::DateTime(date(2026, 11, 26).at(14, 0, 0, 0)),
            TimeOffBound::Date(date(2026, 11, 27)),
        );
        assert!(s.is_working(ts("2026-11-26T13:59:00+01:00")));
        assert!(!s.is_working(ts("2026-11-26T14:00:00+01:00")));
        assert_eq!(
            s.next_start(ts("2026-11-26T14:00:00+01:00")),
            Some(ts("2026-11-30T09:00:00+01:00"))
        );
        let s = with_time_off(
            TimeOffBound::Date(date(2026, 11, 26)),
            TimeOffBound::DateTime(date(2026, 11, 27).at(11, 0, 0, 0)),
        );
        assert_eq!(
            s.next_start(ts("2026-11-25T18:00:00+01:00")),
            Some(ts("2026-11-27T11:00:00+01:00"))
        );
    }

    #[test]
    fn time_off_cutting_a_night_shift_keeps_its_work_day() {
        let s = Schedule::new(&Settings {
            time_off: vec![TimeOff {
                start: TimeOffBound::DateTime(date(2026, 11, 23).at(23, 0, 0, 0)),
                end: TimeOffBound::DateTime(date(2026, 11, 24).at(2, 0, 0, 0)),
                label: None,
            }],
            ..settings(PARIS, ["22:00-06:00", "", "", "", "", "", ""])
        });
        assert!(!s.is_working(ts("2026-11-24T01:00:00+01:00")));
        assert!(s.is_working(ts("2026-11-24T03:00:00+01:00")));
        assert_eq!(
            s.work_day(ts("2026-11-24T03:00:00+01:00")),
            date(2026, 11, 23)
        );
    }

    #[test]
    fn transitions_over_a_year_alternate() {
        let s = french_office();
        let all = s.transitions(ts("2026-01-01T00:00:00Z"), ts("2027-01-01T00:00:00Z"));
        assert!(all
            .windows(2)
            .all(|w| w[0].working != w[1].working && w[0].at < w[1].at));
        assert_eq!(all.first().map(|t| t.working), Some(true));
        // 261 weekdays in 2026, 9 French holidays fall on one of them.
        assert_eq!(all.len(), 2 * (261 - 9));
    }
}
