//! Scheduled on call (*astreinte*): explicit shifts and a rotation, in the user's zone.
//! The manual toggle is layered on top by the engine; calendar shifts (SPEC §8) are added
//! as extra shifts.
//!
//! Shifts are few: they are resolved to instants once, sorted and merged. A rotation is
//! endless, so its periods are never listed from `first`: a query computes, by
//! arithmetic on days, the few periods that can touch the instants it asks about, and
//! asks the zone for each one's start and end (local times, so a period across a DST
//! change lasts an hour more or less).

use crate::schedule::{resolve, HORIZON_DAYS};
use crate::settings::{OnCallSettings, Rotation, Shift};
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// One on-call period as instants, half-open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Period {
    /// Start (inclusive).
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub start: Timestamp,
    /// End (exclusive).
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub end: Timestamp,
}

/// The compiled on-call schedule.
#[derive(Debug, Clone)]
pub struct OnCallSchedule {
    zone: TimeZone,
    /// The shifts as instants: sorted, merged, none empty.
    shifts: Vec<Period>,
    rotation: Option<CompiledRotation>,
}

/// A rotation, ready for arithmetic.
#[derive(Debug, Clone)]
struct CompiledRotation {
    /// The start date of period 0: the first `start.weekday` on or after `first`.
    first_date: Date,
    /// `first_date` in days since 1970-01-01.
    first_day: i64,
    /// Days between the starts of two periods (`7 * every_weeks`).
    step_days: i64,
    /// Local start time.
    start: Time,
    /// Days from a period's start date to its end date (1..=7, or 0 the same day).
    end_after_days: i64,
    /// Local end time.
    end: Time,
}

impl OnCallSchedule {
    /// Compiles `settings` in `zone`, with `extra` shifts (from a calendar).
    ///
    /// Shifts are local date-times in `zone`: one that starts or ends in a skipped hour
    /// does so at the first instant after the gap; in a repeated hour, at its first
    /// occurrence. Shifts that end before they start are ignored.
    pub fn new(settings: &OnCallSettings, zone: &TimeZone, extra: &[Shift]) -> OnCallSchedule {
        let mut shifts: Vec<Period> = settings
            .shifts
            .iter()
            .chain(extra)
            .filter_map(|shift| {
                let start = resolve(zone, shift.start)?;
                let end = resolve(zone, shift.end)?;
                (start < end).then_some(Period { start, end })
            })
            .collect();
        merge(&mut shifts);
        OnCallSchedule {
            zone: zone.clone(),
            shifts,
            rotation: settings.rotation.as_ref().and_then(CompiledRotation::new),
        }
    }

    /// Whether `t` is inside a scheduled on-call period.
    pub fn is_on_call(&self, t: Timestamp) -> bool {
        let after = self.shifts.partition_point(|p| p.end <= t);
        if self.shifts.get(after).is_some_and(|p| p.start <= t) {
            return true;
        }
        self.rotation.as_ref().is_some_and(|rotation| {
            rotation
                .periods_touching(&self.zone, t, t)
                .any(|p| p.start <= t && t < p.end)
        })
    }

    /// The next instant strictly after `t` at which being on call starts or ends, if
    /// there is one within [`HORIZON_DAYS`].
    pub fn next_change(&self, t: Timestamp) -> Option<Timestamp> {
        let ceiling = plus(t, days(HORIZON_DAYS));
        // Most answers are within a week or two: look near first.
        for window in [days(8), days(64), days(HORIZON_DAYS)] {
            let to = plus(t, window).min(ceiling);
            if let Some(p) = self.merged_around(t, to, t, ceiling).first() {
                let change = if p.start > t { p.start } else { p.end };
                // An end at the ceiling is where the search stopped, not a change.
                return (change < ceiling).then_some(change);
            }
        }
        None
    }

    /// The merged periods that overlap `[from, to)`, in order.
    ///
    /// Periods are whole, not cut at `from` and `to`: shifts and rotation periods that
    /// overlap or touch are one period, however far it reaches, up to [`HORIZON_DAYS`]
    /// beyond `from` and `to` (only an endless chain, such as a weekly rotation lasting a
    /// week, reaches that far).
    pub fn periods(&self, from: Timestamp, to: Timestamp) -> Vec<Period> {
        if from >= to {
            return Vec::new();
        }
        let floor = plus(from, -days(HORIZON_DAYS));
        let ceiling = plus(to, days(HORIZON_DAYS));
        self.merged_around(from, to, floor, ceiling)
    }

    /// The merged periods overlapping `[from, to)`, grown to their whole extent (bounded
    /// by `floor` and `ceiling`, where they are cut).
    fn merged_around(
        &self,
        from: Timestamp,
        to: Timestamp,
        floor: Timestamp,
        ceiling: Timestamp,
    ) -> Vec<Period> {
        let (mut lo, mut hi) = (from, to);
        let mut step = days(8);
        let mut periods = Vec::new();
        loop {
            periods.clear();
            self.touching(lo, hi, &mut periods);
            merge(&mut periods);
            // A merged period reaching past the window may chain on to periods outside
            // it: widen the window until it does not (or a bound is hit).
            let grow_lo = lo > floor && periods.first().is_some_and(|p| p.start <= lo);
            let grow_hi = hi < ceiling && periods.last().is_some_and(|p| p.end >= hi);
            if !grow_lo && !grow_hi {
                break;
            }
            if grow_lo {
                lo = plus(lo, -step).max(floor);
            }
            if grow_hi {
                hi = plus(hi, step).min(ceiling);
            }
            step = step.saturating_mul(2);
        }
        periods.retain(|p| p.end > from && p.start < to);
        for p in &mut periods {
            p.start = p.start.max(floor);
            p.end = p.end.min(ceiling);
        }
        periods
    }

    /// Appends every shift and rotation period that overlaps or touches `[lo, hi]`,
    /// unmerged.
    fn touching(&self, lo: Timestamp, hi: Timestamp, out: &mut Vec<Period>) {
        let first = self.shifts.partition_point(|p| p.end < lo);
        out.extend(
            self.shifts
                .get(first..)
                .unwrap_or_default()
                .iter()
                .take_while(|p| p.start <= hi),
        );
        if let Some(rotation) = &self.rotation {
            out.extend(rotation.periods_touching(&self.zone, lo, hi));
        }
    }
}

impl CompiledRotation {
    fn new(rotation: &Rotation) -> Option<CompiledRotation> {
        let to_start = i64::from(rotation.start.weekday.since(rotation.first.weekday()));
        let first_date = rotation.first.checked_add(days(to_start)).ok()?;
        let mut end_after_days = i64::from(rotation.end.weekday.since(rotation.start.weekday));
        if end_after_days == 0 && rotation.end.time <= rotation.start.time {
            end_after_days = 7;
        }
        Some(CompiledRotation {
            first_date,
            first_day: day_number(first_date),
            step_days: 7 * i64::from(rotation.every_weeks.max(1)),
            start: rotation.start.time,
            end_after_days,
            end: rotation.end.time,
        })
    }

    /// The periods that overlap or touch `[lo, hi]`, in order.
    fn periods_touching<'a>(
        &'a self,
        zone: &'a TimeZone,
        lo: Timestamp,
        hi: Timestamp,
    ) -> impl Iterator<Item = Period> + 'a {
        // A period starts within two days of its start date in UTC and lasts at most
        // eight: only start dates in [day(lo) - 10, day(hi) + 2] can touch the window.
        let k_lo = div_ceil(utc_day(lo) - 10 - self.first_day, self.step_days).max(0);
        let k_hi = (utc_day(hi) + 2 - self.first_day).div_euclid(self.step_days);
        (k_lo..=k_hi)
            .filter_map(move |k| self.period(zone, k))
            .filter(move |p| p.end >= lo && p.start <= hi)
    }

    /// Period `k` (0 is the first), if it is not empty.
    fn period(&self, zone: &TimeZone, k: i64) -> Option<Period> {
        let date = self
            .first_date
            .checked_add(days(k.checked_mul(self.step_days)?))
            .ok()?;
        let end_date = date.checked_add(days(self.end_after_days)).ok()?;
        let start = resolve(zone, date.to_datetime(self.start))?;
        let end = resolve(zone, end_date.to_datetime(self.end))?;
        (start < end).then_some(Period { start, end })
    }
}

/// `numerator / divisor` rounded up, for a positive `divisor`.
fn div_ceil(numerator: i64, divisor: i64) -> i64 {
    -(-numerator).div_euclid(divisor)
}

/// Sorts `periods` and merges those that overlap or touch.
fn merge(periods: &mut Vec<Period>) {
    periods.sort_unstable();
    let mut merged: Vec<Period> = Vec::with_capacity(periods.len());
    for p in periods.drain(..) {
        match merged.last_mut() {
            Some(last) if p.start <= last.end => last.end = last.end.max(p.end),
            _ => merged.push(p),
        }
    }
    *periods = merged;
}

/// `n` days of 24 hours.
fn days(n: i64) -> SignedDuration {
    SignedDuration::from_hours(n.saturating_mul(24))
}

/// `t + d`, saturating at the ends of time.
fn plus(t: Timestamp, d: SignedDuration) -> Timestamp {
    t.saturating_add(d).unwrap_or(if d.is_negative() {
        Timestamp::MIN
    } else {
        Timestamp::MAX
    })
}

/// The UTC day of `t`, in days since 1970-01-01.
fn utc_day(t: Timestamp) -> i64 {
    t.as_second().div_euclid(86_400)
}

/// `date` in days since 1970-01-01.
fn day_number(date: Date) -> i64 {
    Date::constant(1970, 1, 1).duration_until(date).as_hours() / 24
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::WeekTime;
    use jiff::civil::{date, Weekday};

    fn paris() -> TimeZone {
        TimeZone::get("Europe/Paris").unwrap()
    }

    /// A local time in Paris, e.g. "2026-11-27T18:00".
    fn at(local: &str) -> Timestamp {
        resolve(&paris(), local.parse().unwrap()).unwrap()
    }

    fn period(start: &str, end: &str) -> Period {
        Period {
            start: at(start),
            end: at(end),
        }
    }

    fn shift(start: &str, end: &str) -> Shift {
        Shift {
            start: start.parse().unwrap(),
            end: end.parse().unwrap(),
        }
    }

    fn rotation(first: Date, every_weeks: u32, start: &str, end: &str) -> Rotation {
        let week_time = |s: &str| {
            let (day, time) = s.split_once(' ').unwrap();
            let weekday = match day {
                "mon" => Weekday::Monday,
                "fri" => Weekday::Friday,
                "sat" => Weekday::Saturday,
                "sun" => Weekday::Sunday,
                other => panic!("day {other}"),
            };
            WeekTime {
                weekday,
                time: time.parse().unwrap(),
            }
        };
        Rotation {
            first,
            every_weeks,
            start: week_time(start),
            end: week_time(end),
        }
    }

    fn schedule(shifts: &[Shift], rotation: Option<Rotation>) -> OnCallSchedule {
        let settings = OnCallSettings {
            shifts: shifts.to_vec(),
            rotation,
            ..OnCallSettings::default()
        };
        OnCallSchedule::new(&settings, &paris(), &[])
    }

    fn weekend_rotation(every_weeks: u32) -> OnCallSchedule {
        schedule(
            &[],
            Some(rotation(
                date(2026, 11, 27),
                every_weeks,
                "fri 18:00",
                "mon 09:00",
            )),
        )
    }

    #[test]
    fn rotation_is_on_call_at_its_periods_only() {
        let every_week = weekend_rotation(1);
        let every_third = weekend_rotation(3);
        // (local time, on call every week, on call every third week)
        let cases = [
            ("2026-11-20T20:00", false, false), // a Friday night before `first`
            ("2026-11-27T17:59", false, false),
            ("2026-11-27T18:00", true, true), // the first period starts
            ("2026-11-29T12:00", true, true),
            ("2026-11-30T08:59", true, true),
            ("2026-11-30T09:00", false, false), // ends, exclusive
            ("2026-12-01T12:00", false, false),
            ("2026-12-05T12:00", true, false), // second week
            ("2026-12-12T12:00", true, false), // third week
            ("2026-12-19T12:00", true, true),  // fourth week: the rotation's second period
            ("2026-12-26T12:00", true, false),
            ("2027-01-09T12:00", true, true),
            ("2027-11-20T12:00", true, true), // 51 weeks on: a multiple of 3
            ("2027-11-27T12:00", true, false), // 52 weeks on: not one
        ];
        for (local, week, third) in cases {
            assert_eq!(
                every_week.is_on_call(at(local)),
                week,
                "every week, {local}"
            );
            assert_eq!(
                every_third.is_on_call(at(local)),
                third,
                "every 3 weeks, {local}"
            );
        }
    }

    #[test]
    fn the_first_period_starts_on_the_first_start_weekday_on_or_after_first() {
        // `first` is a Wednesday: the first period is that Friday's.
        let s = schedule(
            &[],
            Some(rotation(date(2026, 11, 25), 2, "fri 18:00", "mon 09:00")),
        );
        assert_eq!(
            s.periods(at("2026-11-01T00:00"), at("2026-12-31T00:00")),
            [
                period("2026-11-27T18:00", "2026-11-30T09:00"),
                period("2026-12-11T18:00", "2026-12-14T09:00"),
                period("2026-12-25T18:00", "2026-12-28T09:00"),
            ]
        );
        assert!(
            !s.is_on_call(at("2026-11-23T08:00")),
            "the weekend before first"
        );
    }

    #[test]
    fn a_period_across_a_dst_change_lasts_an_hour_more_or_less() {
        let s = schedule(
            &[],
            Some(rotation(date(2026, 1, 2), 1, "fri 18:00", "mon 09:00")),
        );
        let hours = |from: &str| {
            let p = s.periods(at(from), at(from).saturating_add(days(1)).unwrap());
            assert_eq!(p.len(), 1, "{from}");
            p[0].end.duration_since(p[0].start).as_hours()
        };
        assert_eq!(hours("2026-10-16T18:00"), 63);
        assert_eq!(
            hours("2026-10-23T18:00"),
            64,
            "clocks go back on 25 October 2026"
        );
        assert_eq!(hours("2026-10-30T18:00"), 63);
        assert_eq!(
            hours("2027-03-26T18:00"),
            62,
            "clocks go forward on 28 March 2027"
        );
        assert_eq!(
            s.periods(at("2026-10-24T00:00"), at("2026-10-24T00:01")),
            [Period {
                start: "2026-10-23T16:00Z".parse().unwrap(),
                end: "2026-10-26T08:00Z".parse().unwrap(),
            }]
        );
    }

    #[test]
    fn shifts_in_a_gap_start_after_it_and_in_a_fold_at_the_first_occurrence() {
        let s = schedule(
            &[
                shift("2027-03-28T02:30", "2027-03-28T05:00"),
                shift("2026-10-25T02:30", "2026-10-25T04:00"),
            ],
            None,
        );
        assert_eq!(
            s.periods(at("2026-01-01T00:00"), at("2028-01-01T00:00")),
            [
                Period {
                    start: "2026-10-25T00:30Z".parse().unwrap(),
                    end: "2026-10-25T03:00Z".parse().unwrap(),
                },
                Period {
                    start: "2027-03-28T01:00Z".parse().unwrap(), // 03:00 CEST
                    end: "2027-03-28T03:00Z".parse().unwrap(),
                },
            ]
        );
    }

    #[test]
    fn shifts_merge_with_the_rotation() {
        let s = schedule(
            &[
                shift("2026-11-26T20:00", "2026-11-27T20:00"), // overlaps the start
                shift("2026-11-30T09:00", "2026-11-30T12:00"), // touches the end
                shift("2026-12-02T10:00", "2026-12-02T11:00"), // alone
                shift("2026-12-02T10:30", "2026-12-02T12:00"), // overlaps the one before
                shift("2026-12-03T10:00", "2026-12-03T09:00"), // backwards: ignored
            ],
            Some(rotation(date(2026, 11, 27), 3, "fri 18:00", "mon 09:00")),
        );
        /// A window and the merged periods overlapping it, as local times.
        type Case<'a> = ((&'a str, &'a str), &'a [(&'a str, &'a str)]);
        let cases: &[Case] = &[
            (
                ("2026-11-01T00:00", "2026-12-31T00:00"),
                &[
                    ("2026-11-26T20:00", "2026-11-30T12:00"),
                    ("2026-12-02T10:00", "2026-12-02T12:00"),
                    ("2026-12-18T18:00", "2026-12-21T09:00"),
                ],
            ),
            // A window inside a period gives the whole period.
            (
                ("2026-11-30T10:00", "2026-11-30T11:00"),
                &[("2026-11-26T20:00", "2026-11-30T12:00")],
            ),
            // Touching a window is not overlapping it.
            (("2026-11-30T12:00", "2026-12-02T10:00"), &[]),
            (("2026-12-02T11:00", "2026-12-02T11:00"), &[]),
        ];
        for ((from, to), expected) in cases {
            let expected: Vec<Period> = expected.iter().map(|(s, e)| period(s, e)).collect();
            assert_eq!(s.periods(at(from), at(to)), expected, "[{from}, {to})");
        }
        assert!(s.is_on_call(at("2026-11-30T11:59")));
        assert!(!s.is_on_call(at("2026-11-30T12:00")));
        assert!(!s.is_on_call(at("2026-12-03T09:30")));
    }

    #[test]
    fn next_change_walks_starts_and_ends_in_order() {
        let s = schedule(
            &[shift("2026-11-30T09:00", "2026-11-30T12:00")],
            Some(rotation(date(2026, 11, 27), 3, "fri 18:00", "mon 09:00")),
        );
        let expected = [
            "2026-11-27T18:00",
            "2026-11-30T12:00", // the rotation's end is merged with the shift
            "2026-12-18T18:00",
            "2026-12-21T09:00",
            "2027-01-08T18:00",
            "2027-01-11T09:00",
        ];
        let mut t = at("2026-11-01T00:00");
        for local in expected {
            let next = s.next_change(t);
            assert_eq!(next, Some(at(local)), "after {t}");
            t = at(local);
        }
        // From inside a period, and from exactly its start.
        assert_eq!(
            s.next_change(at("2026-11-28T00:00")),
            Some(at("2026-11-30T12:00"))
        );
        assert_eq!(
            s.next_change(at("2026-11-27T18:00")),
            Some(at("2026-11-30T12:00"))
        );
    }

    #[test]
    fn next_change_is_none_without_changes_within_the_horizon() {
        let nothing = schedule(&[], None);
        assert_eq!(nothing.next_change(at("2026-11-01T00:00")), None);
        assert!(!nothing.is_on_call(at("2026-11-01T00:00")));
        assert!(nothing
            .periods(at("2026-01-01T00:00"), at("2027-01-01T00:00"))
            .is_empty());

        let past = schedule(&[shift("2026-11-30T09:00", "2026-11-30T12:00")], None);
        assert_eq!(past.next_change(at("2026-12-01T00:00")), None);
        let far = schedule(&[shift("2028-11-30T09:00", "2028-11-30T12:00")], None);
        assert_eq!(far.next_change(at("2026-12-01T00:00")), None);

        // A weekly rotation lasting a week never ends.
        let always = schedule(
            &[],
            Some(rotation(date(2026, 11, 27), 1, "mon 09:00", "mon 09:00")),
        );
        assert!(always.is_on_call(at("2027-06-01T03:00")));
        assert_eq!(always.next_change(at("2027-06-01T03:00")), None);
        assert_eq!(
            always.next_change(at("2026-11-01T00:00")),
            Some(at("2026-11-30T09:00"))
        );
        let whole = always.periods(at("2027-06-01T00:00"), at("2027-06-02T00:00"));
        assert_eq!(whole.len(), 1);
        assert_eq!(whole[0].start, at("2026-11-30T09:00"));
        assert!(whole[0].end > at("2028-06-01T00:00"));
    }

    #[test]
    fn periods_across_a_month_boundary() {
        let s = schedule(
            &[shift("2026-12-31T22:00", "2027-01-01T06:00")],
            Some(rotation(date(2026, 11, 1), 1, "sat 08:00", "sun 20:00")),
        );
        assert_eq!(
            s.periods(at("2026-11-29T00:00"), at("2027-01-03T00:00")),
            [
                period("2026-11-28T08:00", "2026-11-29T20:00"),
                period("2026-12-05T08:00", "2026-12-06T20:00"),
                period("2026-12-12T08:00", "2026-12-13T20:00"),
                period("2026-12-19T08:00", "2026-12-20T20:00"),
                period("2026-12-26T08:00", "2026-12-27T20:00"),
                period("2026-12-31T22:00", "2027-01-01T06:00"),
                period("2027-01-02T08:00", "2027-01-03T20:00"),
            ]
        );
    }

    #[test]
    fn extra_shifts_count_like_shifts() {
        let settings = OnCallSettings::default();
        let s = OnCallSchedule::new(
            &settings,
            &paris(),
            &[shift("2026-11-28T10:00", "2026-11-28T11:00")],
        );
        assert!(s.is_on_call(at("2026-11-28T10:30")));
        assert_eq!(
            s.next_change(at("2026-11-28T10:30")),
            Some(at("2026-11-28T11:00"))
        );
    }

    #[test]
    fn queries_far_from_first_stay_cheap_and_right() {
        let s = weekend_rotation(3);
        // 3,000 periods after `first`, computed without walking from it.
        let date = date(2026, 11, 27).checked_add(days(7 * 3 * 3000)).unwrap();
        let start = resolve(&paris(), date.at(18, 0, 0, 0)).unwrap();
        assert!(s.is_on_call(start));
        assert!(!s.is_on_call(start.saturating_sub(SignedDuration::from_secs(1)).unwrap()));
    }
}
