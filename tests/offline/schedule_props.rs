//! Property tests of the schedule: random weekly hours (some across midnight), public
//! holidays and time off, in zones with ordinary, half-hour and midnight DST changes,
//! at random instants of 2026-2027 (a third of them next to a DST change).
//!
//! Each case is checked against itself (next start / next end / segment / transitions
//! agree with `is_working`, minute by minute) and against a brute-force oracle that
//! builds six weeks of working periods from the raw settings, range by range.
#![allow(clippy::unwrap_used)]

use couper::schedule::{Schedule, Segment, HORIZON_DAYS};
use couper::settings::{DayRange, HolidayCalendar, Settings, TimeOff, TimeOffBound, WeeklyHours};
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{SignedDuration, Span, Timestamp};
use proptest::prelude::*;

const ZONES: [&str; 4] = [
    "Europe/Paris",
    "America/New_York",
    "Australia/Lord_Howe",
    // Changes at midnight: 24:00 -> 23:00 in April, 24:00 -> 01:00 in September.
    "America/Santiago",
];

/// How many days of periods the oracle builds after the instant.
const ORACLE_DAYS: i64 = 42;

/// Minute-by-minute checks cover stretches up to this long; longer ones are sampled.
const MINUTE_CHECK_LIMIT: i64 = 36 * 60;

fn minute() -> SignedDuration {
    SignedDuration::from_mins(1)
}

fn add_days(day: Date, n: i64) -> Date {
    day.checked_add(Span::new().days(n)).unwrap()
}

fn range() -> impl Strategy<Value = DayRange> {
    // Ordinary ranges, ranges across midnight, ranges ending at 24:00; boundaries on
    // random minutes, with a bias to the DST-prone early hours and to whole hours.
    prop_oneof![
        (0u16..1440, 1u16..720).prop_map(|(start, len)| DayRange {
            start,
            end: (start + len).min(1440),
        }),
        (1080u16..1440, 0u16..600).prop_map(|(start, end)| DayRange { start, end }),
        (0u16..240, 1u16..240).prop_map(|(start, len)| DayRange {
            start,
            end: start + len,
        }),
        (0u16..1440).prop_map(|start| DayRange { start, end: 1440 }),
        // Whole hours, so that ranges of consecutive days touch or overlap often.
        (0u16..24, 0u16..=24).prop_map(|(start, end)| DayRange {
            start: start * 60,
            end: end * 60,
        }),
    ]
    .prop_filter("start == end is refused when parsing", |r| r.start != r.end)
}

fn week() -> impl Strategy<Value = WeeklyHours> {
    proptest::array::uniform7(proptest::collection::vec(range(), 0..=3))
        .prop_map(|days| WeeklyHours { days })
}

/// Time off relative to the instant: (first day offset, start minute, length in
/// minutes, kind: 0 dates, 1 date-times, 2 date then date-time, 3 date-time then date).
fn time_off() -> impl Strategy<Value = (i64, u16, u32, u8)> {
    (-4i64..10, 0u16..1440, 0u32..(5 * 1440), 0u8..4)
}

#[derive(Debug, Clone)]
struct Case {
    zone: &'static str,
    hours: WeeklyHours,
    holidays: bool,
    extra: Option<i64>,
    time_off: Vec<(i64, u16, u32, u8)>,
    /// 0: anywhere in 2026-2027; 1: near a DST change of the zone.
    near_dst: bool,
    /// Seconds into 2026-2027, or minutes around a DST change.
    when: i64,
    /// Minute-aligned (to hit range boundaries exactly) or not.
    aligned: bool,
}

fn case() -> impl Strategy<Value = Case> {
    (
        proptest::sample::select(&ZONES[..]),
        week(),
        any::<bool>(),
        proptest::option::of(-3i64..10),
        proptest::collection::vec(time_off(), 0..=2),
        prop_oneof![2 => Just(false), 1 => Just(true)],
        0i64..(2 * 365 * 86_400),
        any::<bool>(),
    )
        .prop_map(
            |(zone, hours, holidays, extra, time_off, near_dst, when, aligned)| Case {
                zone,
                hours,
                holidays,
                extra,
                time_off,
                near_dst,
                when,
                aligned,
            },
        )
}

fn instant(case: &Case, zone: &TimeZone) -> Timestamp {
    let start_2026: Timestamp = "2026-01-01T00:00:00Z".parse().unwrap();
    let t = if case.near_dst {
        let changes: Vec<Timestamp> = zone
            .following(start_2026)
            .take(4)
            .map(|tr| tr.timestamp())
            .collect();
        let change = changes[(case.when % 4) as usize];
        // Within three days either side.
        let minutes = (case.when / 4) % (6 * 1440) - 3 * 1440;
        change + SignedDuration::from_mins(minutes)
    } else {
        start_2026 + SignedDuration::from_secs(case.when)
    };
    if case.aligned {
        Timestamp::from_second(t.as_second() - t.as_second().rem_euclid(60)).unwrap()
    } else {
        t
    }
}

fn settings(case: &Case, zone: &TimeZone, t: Timestamp) -> Settings {
    let today = zone.to_datetime(t).date();
    let at = |day: Date, minutes: u16| day.at((minutes / 60) as i8, (minutes % 60) as i8, 0, 0);
    let time_off = case
        .time_off
        .iter()
        .map(|&(offset, start_min, len, kind)| {
            let first = add_days(today, offset);
            let start = at(first, start_min);
            let end = zone
                .to_ambiguous_timestamp(start)
                .compatible()
                .unwrap()
                .to_zoned_datetime(zone.clone())
                .checked_add(SignedDuration::from_mins(i64::from(len)))
                .unwrap()
                .datetime();
            let (start, end) = match kind {
                0 => (
                    TimeOffBound::Date(first),
                    TimeOffBound::Date(add_days(first, i64::from(len / 1440))),
                ),
                1 => (TimeOffBound::DateTime(start), TimeOffBound::DateTime(end)),
                2 => (TimeOffBound::Date(first), TimeOffBound::DateTime(end)),
                _ => (
                    TimeOffBound::DateTime(start),
                    TimeOffBound::Date(end.date()),
                ),
            };
            TimeOff {
                start,
                end,
                label: None,
            }
        })
        .collect();
    Settings {
        timezone_name: case.zone.to_string(),
        timezone: zone.clone(),
        holidays: case.holidays.then_some(HolidayCalendar::France),
        extra_holidays: case.extra.map(|n| add_days(today, n)).into_iter().collect(),
        hours: case.hours.clone(),
        time_off,
        ..Settings::default()
    }
}

/// The oracle's own reading of a local time: in a fold the first occurrence, in a gap
/// the transition that the zone reports *preceding* the later reading.
fn oracle_resolve(zone: &TimeZone, dt: DateTime) -> Timestamp {
    let amb = zone.to_ambiguous_timestamp(dt);
    match amb.offset() {
        AmbiguousOffset::Gap { before, .. } => {
            let later = before.to_timestamp(dt).unwrap();
            zone.preceding(later + SignedDuration::from_nanos(1))
                .next()
                .unwrap()
                .timestamp()
        }
        _ => amb.earlier().unwrap(),
    }
}

/// Working periods whose ranges start on `first..=last`, built from the raw settings.
fn oracle_periods(settings: &Settings, first: Date, last: Date) -> Vec<(Timestamp, Timestamp)> {
    let zone = &settings.timezone;
    let holidays = |day: Date| {
        (settings.holidays.is_some()
            && couper::holidays::french_holidays(day.year()).contains(&day))
            || settings.extra_holidays.contains(&day)
    };
    let dated_off = |day: Date| {
        settings
            .time_off
            .iter()
            .any(|off| match (off.start, off.end) {
                (TimeOffBound::Date(a), TimeOffBound::Date(b)) => a <= day && day <= b,
                _ => false,
            })
    };
    let local = |day: Date, minutes: u16| {
        let day = add_days(day, i64::from(minutes / 1440));
        let minutes = minutes % 1440;
        oracle_resolve(
            zone,
            day.to_datetime(Time::new((minutes / 60) as i8, (minutes % 60) as i8, 0, 0).unwrap()),
        )
    };
    let mut pieces = Vec::new();
    let mut day = first;
    while day <= last {
        if !holidays(day) && !dated_off(day) {
            for r in settings.hours.day(day.weekday()) {
                let end = if r.end <= r.start {
                    r.end + 1440
                } else {
                    r.end
                };
                let (a, b) = (local(day, r.start), local(day, end));
                if a < b {
                    pieces.push((a, b));
                }
            }
        }
        day = add_days(day, 1);
    }
    pieces.sort();
    let mut merged: Vec<(Timestamp, Timestamp)> = Vec::new();
    for (a, b) in pieces {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    let cuts: Vec<(Timestamp, Timestamp)> = settings
        .time_off
        .iter()
        .filter_map(|off| {
            let start = match off.start {
                TimeOffBound::Date(_) if matches!(off.end, TimeOffBound::Date(_)) => return None,
                TimeOffBound::Date(d) => oracle_resolve(zone, d.to_datetime(Time::midnight())),
                TimeOffBound::DateTime(dt) => oracle_resolve(zone, dt),
            };
            let end = match off.end {
                TimeOffBound::Date(d) => {
                    oracle_resolve(zone, add_days(d, 1).to_datetime(Time::midnight()))
                }
                TimeOffBound::DateTime(dt) => oracle_resolve(zone, dt),
            };
            Some((start, end))
        })
        .collect();
    // Cut minute-aligned instants only: every boundary is on a whole minute.
    let mut out: Vec<(Timestamp, Timestamp)> = Vec::new();
    for (a, b) in merged {
        let mut from = a;
        let mut x = a;
        while x < b {
            let cut = cuts.iter().any(|&(s, e)| s <= x && x < e);
            if cut {
                if from < x {
                    out.push((from, x));
                }
                from = x + minute();
            }
            x += minute();
        }
        if from < b {
            out.push((from, b));
        }
    }
    out
}

fn check(case: &Case) -> Result<(), TestCaseError> {
    let zone = TimeZone::get(case.zone).unwrap();
    let t = instant(case, &zone);
    let settings = settings(case, &zone, t);
    let s = Schedule::new(&settings);
    let today = zone.to_datetime(t).date();

    let working = s.is_working(t);
    let segment = s.segment(t);
    prop_assert_eq!(segment.working, working);
    prop_assert!(segment.contains(t), "{:?} does not contain {}", segment, t);

    // Against the oracle, within the stretch it knows exactly.
    let periods = oracle_periods(&settings, add_days(today, -3), add_days(today, ORACLE_DAYS));
    let known_from = oracle_resolve(&zone, add_days(today, -2).to_datetime(Time::midnight()));
    let known_to = oracle_resolve(
        &zone,
        add_days(today, ORACLE_DAYS).to_datetime(Time::midnight()),
    );
    let oracle_working = |x: Timestamp| periods.iter().any(|&(a, b)| a <= x && x < b);
    prop_assert_eq!(working, oracle_working(t), "is_working at {}", t);
    let oracle_start = periods
        .iter()
        .map(|p| p.0)
        .find(|&a| a > t)
        .filter(|&a| a < known_to);
    let oracle_end = periods
        .iter()
        .map(|p| p.1)
        .find(|&b| b > t)
        .filter(|&b| b < known_to);
    let next_start = s.next_start(t);
    let next_end = s.next_end(t);
    match oracle_start {
        Some(a) => prop_assert_eq!(next_start, Some(a), "next_start after {}", t),
        None => prop_assert!(next_start.is_none_or(|a| a >= known_to)),
    }
    match oracle_end {
        Some(b) => prop_assert_eq!(next_end, Some(b), "next_end after {}", t),
        None => prop_assert!(next_end.is_none_or(|b| b >= known_to)),
    }
    let oracle_since = periods
        .iter()
        .flat_map(|&(a, b)| [a, b])
        .rfind(|&x| x <= t)
        .filter(|&x| x > known_from);
    if let Some(since) = oracle_since {
        prop_assert_eq!(segment.since, Some(since), "since of {}", t);
    }

    // Against itself, minute by minute.
    let until = if working { next_end } else { next_start };
    prop_assert_eq!(segment.until, until);
    if let Some(until) = until {
        prop_assert!(until > t);
        prop_assert_eq!(
            s.is_working(until),
            !working,
            "state at the change {}",
            until
        );
        let just_before = until - SignedDuration::from_nanos(1);
        prop_assert_eq!(s.is_working(just_before), working);
        let minutes = (until.as_second() - t.as_second()) / 60;
        let step = if minutes <= MINUTE_CHECK_LIMIT { 1 } else { 7 };
        let mut x = Timestamp::from_second(t.as_second() - t.as_second().rem_euclid(60)).unwrap();
        while x < until {
            if x > t {
                prop_assert_eq!(s.is_working(x), working, "at {} before {}", x, until);
            }
            x += SignedDuration::from_mins(step);
        }
        let transitions = s.transitions(t, until);
        prop_assert_eq!(transitions.len(), 1);
        prop_assert_eq!(transitions[0].at, until);
        prop_assert_eq!(transitions[0].working, !working);
    }
    if let Some(since) = segment.since {
        prop_assert!(since <= t);
        prop_assert_eq!(s.is_working(since), working);
        prop_assert_eq!(
            s.is_working(since - SignedDuration::from_nanos(1)),
            !working
        );
    }

    // Work day: the start day of the period, or the calendar day.
    let work_day = s.work_day(t);
    if !working {
        prop_assert_eq!(work_day, today);
    } else {
        prop_assert!(work_day <= today && work_day >= add_days(today, -HORIZON_DAYS - 1));
    }

    // Transitions over the next weeks alternate, match is_working, and chain next_*.
    let to = t + SignedDuration::from_hours(24 * 21);
    let transitions = s.transitions(t, to);
    let mut state = working;
    let mut at = t;
    for tr in &transitions {
        prop_assert_ne!(tr.working, state, "transitions alternate");
        prop_assert!(tr.at > at && tr.at <= to);
        prop_assert_eq!(s.is_working(tr.at), tr.working);
        let expected = if state {
            s.next_end(at)
        } else {
            s.next_start(at)
        };
        prop_assert_eq!(expected, Some(tr.at));
        state = tr.working;
        at = tr.at;
    }
    let after = if state {
        s.next_end(at)
    } else {
        s.next_start(at)
    };
    prop_assert!(
        after.is_none_or(|x| x > to),
        "a change after the last transition"
    );
    if let Some(oracle_to) = Some(to).filter(|&to| to < known_to) {
        let oracle: Vec<(Timestamp, bool)> = periods
            .iter()
            .flat_map(|&(a, b)| [(a, true), (b, false)])
            .filter(|&(x, _)| x > t && x <= oracle_to)
            .collect();
        let ours: Vec<(Timestamp, bool)> =
            transitions.iter().map(|tr| (tr.at, tr.working)).collect();
        prop_assert_eq!(ours, oracle);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, ..ProptestConfig::default() })]

    #[test]
    fn schedule_agrees_with_itself_and_the_oracle(case in case()) {
        check(&case)?;
    }
}

/// A segment from the cache answers every instant inside it like the schedule does.
#[test]
fn segment_of_a_week_of_instants_matches_is_working() {
    let zone = TimeZone::get("Europe/Paris").unwrap();
    let hours = WeeklyHours {
        days: std::array::from_fn(|i| match i {
            0..=4 => vec![
                DayRange {
                    start: 540,
                    end: 750,
                },
                DayRange {
                    start: 810,
                    end: 1080,
                },
            ],
            5 => vec![DayRange {
                start: 1320,
                end: 360,
            }],
            _ => vec![],
        }),
    };
    let s = Schedule::new(&Settings {
        timezone: zone,
        hours,
        ..Settings::default()
    });
    // The week of the autumn change, minute by minute, through cached segments.
    let mut t: Timestamp = "2026-10-21T00:00:00Z".parse().unwrap();
    let end: Timestamp = "2026-10-28T00:00:00Z".parse().unwrap();
    let mut cached: Option<Segment> = None;
    let mut misses = 0;
    while t < end {
        let segment = match cached.filter(|c| c.contains(t)) {
            Some(c) => c,
            None => {
                misses += 1;
                let c = s.segment(t);
                cached = Some(c);
                c
            }
        };
        assert_eq!(segment.working, s.is_working(t), "at {t}");
        t += minute();
    }
    // Mon-Fri two periods, Saturday night one: 2 * (5 * 2 + 1) edges, plus the first.
    assert_eq!(misses, 2 * (5 * 2 + 1) + 1);
}
