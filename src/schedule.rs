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
        // today's 00:00.
        let covered = [today.yesterday().ok(), Some(today)]
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
        self.days_off.get(i).is_some_and(|&(first, _)| first <= date)
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
            let end = if r.end <= r.start { r.end + 1440 } else { r.end };
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
