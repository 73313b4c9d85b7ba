//! On-call hours: periods from several origins merged into one timeline, and a period's
//! hours split into night (21:00-06:00), Sunday and public-holiday hours by local time,
//! counted as elapsed time (a local day or night across a DST change lasts an hour more
//! or less, and is counted so).

use crate::on_call::Period;
use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

/// A length of time; in JSON, hours as a number rounded to the hundredth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Hours(pub SignedDuration);

impl Hours {
    /// In hours, rounded to the hundredth.
    pub fn rounded(self) -> f64 {
        (self.0.as_secs_f64() / 36.0).round() / 100.0
    }
}

impl Serialize for Hours {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.rounded())
    }
}

// In TypeScript: a number of hours, as it serializes.
#[cfg(feature = "ts")]
crate::ts_bindings::plain!(Hours, "number");

/// Where an on-call period comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// The settings' `shifts` and `rotation`.
    Schedule,
    /// The team's calendar.
    Calendar,
    /// Toggled by hand.
    Manual,
}

/// A period's hours: all of them, and those of each category (which overlap).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Split {
    /// Every hour, once.
    pub hours: Hours,
    /// Between 21:00 and 06:00.
    pub night_hours: Hours,
    /// On a Sunday.
    pub sunday_hours: Hours,
    /// On a public holiday.
    pub holiday_hours: Hours,
}

impl Split {
    /// The hours of `[start, end)` in `zone`, `is_holiday` telling the public holidays.
    pub fn of(
        start: Timestamp,
        end: Timestamp,
        zone: &TimeZone,
        is_holiday: impl Fn(Date) -> bool,
    ) -> Split {
        let mut split = Split {
            hours: Hours(start.duration_until(end).max(SignedDuration::ZERO)),
            ..Split::default()
        };
        if start >= end {
            return split;
        }
        let first = start.to_zoned_datetime(zone.clone()).date();
        let last = end.to_zoned_datetime(zone.clone()).date();
        // The night that started the day before `first` may run into it.
        let mut day = first.yesterday().unwrap_or(first);
        while day <= last {
            let Ok(next) = day.tomorrow() else { break };
            let overlap = |a: Option<Timestamp>, b: Option<Timestamp>| match (a, b) {
                (Some(a), Some(b)) => overlap(start, end, a, b),
                _ => SignedDuration::ZERO,
            };
            let midnight = local(zone, day, Time::midnight());
            let next_midnight = local(zone, next, Time::midnight());
            split.night_hours.0 += overlap(
                local(zone, day, Time::constant(21, 0, 0, 0)),
                local(zone, next, Time::constant(6, 0, 0, 0)),
            );
            if day.weekday() == Weekday::Sunday {
                split.sunday_hours.0 += overlap(midnight, next_midnight);
            }
            if is_holiday(day) {
                split.holiday_hours.0 += overlap(midnight, next_midnight);
            }
            day = next;
        }
        split
    }

    /// The sum of `splits`.
    pub fn sum<'a>(splits: impl Iterator<Item = &'a Split>) -> Split {
        splits.fold(Split::default(), |mut total, s| {
            total.hours.0 += s.hours.0;
            total.night_hours.0 += s.night_hours.0;
            total.sunday_hours.0 += s.sunday_hours.0;
            total.holiday_hours.0 += s.holiday_hours.0;
            total
        })
    }
}

/// The instant of `time` on `date` in `zone` (midnight: the day's first instant).
fn local(zone: &TimeZone, date: Date, time: Time) -> Option<Timestamp> {
    if time == Time::midnight() {
        return date
            .to_zoned_datetime(zone.clone())
            .ok()
            .map(|z| z.timestamp());
    }
    date.to_datetime(time)
        .to_zoned_datetime(zone.clone())
        .ok()
        .map(|z| z.timestamp())
}

fn overlap(a: Timestamp, b: Timestamp, c: Timestamp, d: Timestamp) -> SignedDuration {
    let start = a.max(c);
    let end = b.min(d);
    if start < end {
        start.duration_until(end)
    } else {
        SignedDuration::ZERO
    }
}

/// Merges the periods of several origins into one timeline: periods that overlap or
/// touch become one, labelled with every origin that contributed to it.
pub fn merge(sources: &[(Origin, Vec<Period>)]) -> Vec<(Period, Vec<Origin>)> {
    let mut all: Vec<(Period, Origin)> = sources
        .iter()
        .flat_map(|(origin, periods)| periods.iter().map(move |p| (*p, *origin)))
        .filter(|(p, _)| p.start < p.end)
        .collect();
    all.sort();
    let mut out: Vec<(Period, Vec<Origin>)> = Vec::new();
    for (p, origin) in all {
        match out.last_mut() {
            Some((last, origins)) if p.start <= last.end => {
                last.end = last.end.max(p.end);
                if !origins.contains(&origin) {
                    origins.push(origin);
                    origins.sort();
                }
            }
            _ => out.push((p, vec![origin])),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paris() -> TimeZone {
        TimeZone::get("Europe/Paris").unwrap()
    }

    fn at(s: &str) -> Timestamp {
        s.parse::<jiff::civil::DateTime>()
            .unwrap()
            .to_zoned_datetime(paris())
            .unwrap()
            .timestamp()
    }

    fn hours(h: f64) -> Hours {
        Hours(SignedDuration::from_secs_f64(h * 3600.0))
    }

    #[test]
    fn a_weekend_across_the_october_change_lasts_64_hours() {
        // Friday 23 Oct 2026 18:00 to Monday 26 Oct 09:00; clocks go back on Sunday 25.
        let split = Split::of(
            at("2026-10-23T18:00"),
            at("2026-10-26T09:00"),
            &paris(),
            |_| false,
        );
        assert_eq!(split.hours, hours(64.0));
        // Nights: Fri 21-06 (9), Sat 21-06 across the change (10), Sun 21-06 (9).
        assert_eq!(split.night_hours, hours(28.0));
        // Sunday 25 October lasts 25 hours.
        assert_eq!(split.sunday_hours, hours(25.0));
        assert_eq!(split.holiday_hours, hours(0.0));
    }

    #[test]
    fn a_holiday_on_a_sunday_counts_in_both_columns_and_the_total_once() {
        let sunday = Date::constant(2026, 11, 1);
        let split = Split::of(
            at("2026-10-31T20:00"),
            at("2026-11-01T08:00"),
            &paris(),
            |d| d == sunday,
        );
        assert_eq!(split.hours, hours(12.0));
        assert_eq!(split.night_hours, hours(9.0));
        assert_eq!(split.sunday_hours, hours(8.0));
        assert_eq!(split.holiday_hours, hours(8.0));
    }

    #[test]
    fn overlapping_origins_merge_into_one_period() {
        let p = |a: &str, b: &str| Period {
            start: at(a),
            end: at(b),
        };
        let merged = merge(&[
            (
                Origin::Schedule,
                vec![p("2026-10-02T18:00", "2026-10-05T09:00")],
            ),
            (
                Origin::Manual,
                vec![p("2026-10-05T08:00", "2026-10-05T10:00")],
            ),
            (
                Origin::Calendar,
                vec![p("2026-10-10T08:00", "2026-10-10T10:00")],
            ),
        ]);
        assert_eq!(
            merged,
            [
                (
                    p("2026-10-02T18:00", "2026-10-05T10:00"),
                    vec![Origin::Schedule, Origin::Manual]
                ),
                (
                    p("2026-10-10T08:00", "2026-10-10T10:00"),
                    vec![Origin::Calendar]
                ),
            ]
        );
    }
}
