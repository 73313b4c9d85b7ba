//! The text forms of the values a user writes: `09:00-18:00`, `2026-12-24`,
//! `2026-11-27T18:00`, `fri 18:00`. Each parser says in one line why a text is refused.
//! Their written forms (in `save.rs`) are what these parsers read back.

use crate::i18n::Said;
use crate::settings::{DayRange, TimeOffBound, WeekTime};
use crate::t;
use jiff::civil::{Date, DateTime, Time, Weekday};

/// The weekday keys of `[hours]` and of week times, Monday first.
pub(in crate::settings) const WEEKDAY_KEYS: [&str; 7] =
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// `HH:MM` (or `H:MM`) as raw numbers, not yet checked against the clock.
fn clock(text: &str) -> Option<(u32, u32)> {
    let (hours, minutes) = text.trim().split_once(':')?;
    let digits = |s: &str, len: std::ops::RangeInclusive<usize>| {
        (len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    Some((digits(hours, 1..=2)?, digits(minutes, 2..=2)?))
}

/// A range of a day, `HH:MM-HH:MM`; `24:00` only as an end.
pub(super) fn parse_range(text: &str) -> Result<DayRange, Said> {
    let value = format!("{text:?}");
    let shape = || Said::both(|lang| t!(lang, "settings-not-range", value = &value));
    let (start, end) = text.split_once('-').ok_or_else(shape)?;
    let (start, end) = (
        clock(start).ok_or_else(shape)?,
        clock(end).ok_or_else(shape)?,
    );
    let minutes = |(h, m): (u32, u32)| h * 60 + m;
    if start == (24, 0) {
        return Err(Said::both(|lang| {
            t!(lang, "settings-range-24-start", value = &value)
        }));
    }
    for (h, m) in [start, end] {
        if m > 59 || h > 24 || (h == 24 && m > 0) {
            let time = format!("{h:02}:{m:02}");
            return Err(Said::both(|lang| {
                t!(
                    lang,
                    "settings-range-not-time",
                    value = &value,
                    time = &time
                )
            }));
        }
    }
    if start == end {
        return Err(Said::both(|lang| {
            t!(lang, "settings-range-same", value = &value)
        }));
    }
    let start = minutes(start);
    // `22:00-00:00` ends at midnight: the same as `22:00-24:00`.
    let end = match minutes(end) {
        0 => 1440,
        end => end,
    };
    Ok(DayRange {
        start: u16::try_from(start).map_err(|_| shape())?,
        end: u16::try_from(end).map_err(|_| shape())?,
    })
}

/// A calendar date, `YYYY-MM-DD`.
pub(super) fn parse_date(text: &str) -> Result<Date, Said> {
    let value = format!("{text:?}");
    let shape = || Said::both(|lang| t!(lang, "settings-not-date", value = &value));
    let parts: Vec<&str> = text.trim().split('-').collect();
    let [year, month, day] = parts.as_slice() else {
        return Err(shape());
    };
    let number = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<i16>().ok())
            .flatten()
    };
    let (Some(year), Some(month), Some(day)) = (number(year, 4), number(month, 2), number(day, 2))
    else {
        return Err(shape());
    };
    let (Ok(month), Ok(day)) = (i8::try_from(month), i8::try_from(day)) else {
        return Err(shape());
    };
    Date::new(year, month, day)
        .map_err(|_| Said::both(|lang| t!(lang, "settings-not-calendar-day", value = &value)))
}

/// A local date-time, `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS`.
pub(super) fn parse_datetime(text: &str) -> Result<DateTime, Said> {
    let value = format!("{text:?}");
    let shape = || Said::both(|lang| t!(lang, "settings-not-datetime", value = &value));
    let (date, time) = text.trim().split_once(['T', 't', ' ']).ok_or_else(shape)?;
    let date = parse_date(date)?;
    let (hour_minute, second) = match time.match_indices(':').nth(1) {
        Some((at, _)) => (&time[..at], Some(&time[at + 1..])),
        None => (time, None),
    };
    let (hour, minute) = clock(hour_minute).ok_or_else(shape)?;
    let second = match second {
        None => 0,
        Some(s) if s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse::<i8>().map_err(|_| shape())?
        }
        Some(_) => return Err(shape()),
    };
    let (Ok(hour), Ok(minute)) = (i8::try_from(hour), i8::try_from(minute)) else {
        return Err(shape());
    };
    let time = Time::new(hour, minute, second, 0).map_err(|_| {
        let time = format!("{hour:02}:{minute:02}");
        Said::both(|lang| {
            t!(
                lang,
                "settings-datetime-not-time",
                value = &value,
                time = &time
            )
        })
    })?;
    Ok(date.to_datetime(time))
}

/// One end of a time-off period: a date, or a date-time when it has a time.
pub(super) fn parse_time_off_bound(text: &str) -> Result<TimeOffBound, Said> {
    if text.trim().len() > 10 {
        parse_datetime(text).map(TimeOffBound::DateTime)
    } else {
        parse_date(text).map(TimeOffBound::Date)
    }
}

/// A time in the week, `fri 18:00`.
pub(super) fn parse_week_time(text: &str) -> Result<WeekTime, Said> {
    let value = format!("{text:?}");
    let shape = || Said::both(|lang| t!(lang, "settings-not-week-time", value = &value));
    let mut words = text.split_whitespace();
    let (Some(day), Some(time), None) = (words.next(), words.next(), words.next()) else {
        return Err(shape());
    };
    let weekday = weekday(day).ok_or_else(|| {
        let (day, days) = (format!("{day:?}"), WEEKDAY_KEYS.join(", "));
        Said::both(|lang| {
            t!(
                lang,
                "settings-not-weekday",
                value = &value,
                day = &day,
                days = &days
            )
        })
    })?;
    let (hour, minute) = clock(time).ok_or_else(shape)?;
    let time = match (i8::try_from(hour), i8::try_from(minute)) {
        (Ok(hour), Ok(minute)) => Time::new(hour, minute, 0, 0).ok(),
        _ => None,
    }
    .ok_or_else(|| {
        Said::both(|lang| {
            t!(
                lang,
                "settings-week-time-not-time",
                value = &value,
                time = time
            )
        })
    })?;
    Ok(WeekTime { weekday, time })
}

/// `mon`…`sun`, or the full English name, in any case.
fn weekday(word: &str) -> Option<Weekday> {
    const FULL: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    let word = word.to_ascii_lowercase();
    let index = WEEKDAY_KEYS
        .iter()
        .zip(FULL)
        .position(|(short, full)| word == *short || word == full)?;
    Weekday::from_monday_zero_offset(i8::try_from(index).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_reads_hours_and_minutes() {
        let range = parse_range("09:00-12:30").unwrap();
        assert_eq!((range.start, range.end), (540, 750));
        assert_eq!(
            parse_range("9:00 - 18:00").unwrap().to_string(),
            "09:00-18:00"
        );
    }

    #[test]
    fn a_range_may_end_at_24_00_or_cross_midnight() {
        assert_eq!(parse_range("18:00-24:00").unwrap().end, 1440);
        assert_eq!(parse_range("22:00-00:00").unwrap().end, 1440);
        let night = parse_range("22:00-06:00").unwrap();
        assert!(night.crosses_midnight());
        assert_eq!(night.minutes(), 480);
    }

    #[test]
    fn a_range_refuses_impossible_clock_times() {
        assert_eq!(
            parse_range("9h-18h").unwrap_err().en,
            "\"9h-18h\" is not HH:MM-HH:MM"
        );
        assert!(parse_range("24:00-08:00")
            .unwrap_err()
            .en
            .contains("24:00 is allowed only as an end"));
        assert!(parse_range("08:00-25:00")
            .unwrap_err()
            .en
            .contains("25:00 is not a time of day"));
        assert!(parse_range("08:60-09:00")
            .unwrap_err()
            .en
            .contains("08:60 is not a time of day"));
        assert!(parse_range("08:00-24:30").is_err());
        assert_eq!(
            parse_range("09:00-09:00").unwrap_err().en,
            "\"09:00-09:00\" starts and ends at the same time"
        );
    }

    #[test]
    fn dates_must_be_on_the_calendar() {
        assert_eq!(
            parse_date("2026-12-24").unwrap(),
            jiff::civil::date(2026, 12, 24)
        );
        assert_eq!(
            parse_date("24/12/2026").unwrap_err().en,
            "\"24/12/2026\" is not a date (YYYY-MM-DD)"
        );
        assert_eq!(
            parse_date("2026-02-30").unwrap_err().en,
            "\"2026-02-30\" is not a day of the calendar"
        );
    }

    #[test]
    fn date_times_take_minutes_with_or_without_seconds() {
        let expected = jiff::civil::date(2026, 11, 27).at(18, 0, 0, 0);
        assert_eq!(parse_datetime("2026-11-27T18:00").unwrap(), expected);
        assert_eq!(parse_datetime("2026-11-27T18:00:00").unwrap(), expected);
        assert!(parse_datetime("2026-11-27").is_err());
        assert!(parse_datetime("2026-11-27T18:00+01:00").is_err());
        assert!(parse_datetime("2026-11-27T25:00").is_err());
    }

    #[test]
    fn week_times_name_a_day_and_a_time() {
        let friday = parse_week_time("fri 18:00").unwrap();
        assert_eq!(friday.weekday, Weekday::Friday);
        assert_eq!(friday.time, Time::constant(18, 0, 0, 0));
        assert_eq!(
            parse_week_time("Monday 09:00").unwrap().weekday,
            Weekday::Monday
        );
        assert!(parse_week_time("fri").is_err());
        assert!(parse_week_time("fry 18:00")
            .unwrap_err()
            .en
            .contains("\"fry\" is not a day"));
        assert!(parse_week_time("fri 24:00").is_err());
    }

    #[test]
    fn time_off_bounds_are_dates_or_date_times() {
        assert_eq!(
            parse_time_off_bound("2026-12-24").unwrap(),
            TimeOffBound::Date(jiff::civil::date(2026, 12, 24))
        );
        assert_eq!(
            parse_time_off_bound("2026-12-24T14:00").unwrap(),
            TimeOffBound::DateTime(jiff::civil::date(2026, 12, 24).at(14, 0, 0, 0))
        );
    }
}
