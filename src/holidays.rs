//! Built-in public-holiday calendars (SPEC §3), computed for any year.
//!
//! The schedule asks [`is_holiday`] once per day it looks at, so the check is a few
//! integer operations and allocates nothing; [`holidays`] lists a year's dates for
//! reports and the settings screen. Easter, which moves, comes from the anonymous
//! Gregorian algorithm (Meeus/Jones/Butcher), valid for every proleptic Gregorian year.

use crate::settings::HolidayCalendar;
use jiff::civil::Date;

/// A French public holiday (metropolitan France).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FrenchHoliday {
    /// 1 January.
    NewYear,
    /// The day after Easter Sunday.
    EasterMonday,
    /// 1 May.
    LabourDay,
    /// 8 May.
    VictoryInEurope,
    /// Easter + 39 days, a Thursday.
    Ascension,
    /// Easter + 50 days (Pentecost Monday).
    WhitMonday,
    /// 14 July.
    BastilleDay,
    /// 15 August.
    Assumption,
    /// 1 November.
    AllSaints,
    /// 11 November.
    Armistice,
    /// 25 December.
    Christmas,
}

impl FrenchHoliday {
    /// Its French name, as on a calendar ("lundi de Pâques").
    pub fn name_fr(self) -> &'static str {
        match self {
            FrenchHoliday::NewYear => "jour de l'An",
            FrenchHoliday::EasterMonday => "lundi de Pâques",
            FrenchHoliday::LabourDay => "fête du Travail",
            FrenchHoliday::VictoryInEurope => "Victoire 1945",
            FrenchHoliday::Ascension => "Ascension",
            FrenchHoliday::WhitMonday => "lundi de Pentecôte",
            FrenchHoliday::BastilleDay => "fête nationale",
            FrenchHoliday::Assumption => "Assomption",
            FrenchHoliday::AllSaints => "Toussaint",
            FrenchHoliday::Armistice => "Armistice 1918",
            FrenchHoliday::Christmas => "Noël",
        }
    }

    /// Its English name ("Easter Monday").
    pub fn name_en(self) -> &'static str {
        match self {
            FrenchHoliday::NewYear => "New Year's Day",
            FrenchHoliday::EasterMonday => "Easter Monday",
            FrenchHoliday::LabourDay => "Labour Day",
            FrenchHoliday::VictoryInEurope => "Victory in Europe Day",
            FrenchHoliday::Ascension => "Ascension Day",
            FrenchHoliday::WhitMonday => "Whit Monday",
            FrenchHoliday::BastilleDay => "Bastille Day",
            FrenchHoliday::Assumption => "Assumption Day",
            FrenchHoliday::AllSaints => "All Saints' Day",
            FrenchHoliday::Armistice => "Armistice Day",
            FrenchHoliday::Christmas => "Christmas Day",
        }
    }
}

/// Easter Sunday of `year` (Gregorian). Years outside jiff's range (-9999..=9999) are
/// clamped to it.
pub fn easter(year: i16) -> Date {
    let year = year.clamp(Date::MIN.year(), Date::MAX.year());
    let (month, day) = easter_month_day(i32::from(year));
    // Always a valid date: month is 3 or 4, day within it, year in range.
    Date::new(year, month, day).unwrap_or(Date::MIN)
}

/// The anonymous Gregorian algorithm; Euclidean division keeps it right for year <= 0.
fn easter_month_day(y: i32) -> (i8, i8) {
    let a = y.rem_euclid(19);
    let b = y.div_euclid(100);
    let c = y.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let n = h + l - 7 * m + 114;
    // n is in 107..=150: month 3 or 4, day 1..=31.
    ((n / 31) as i8, (n % 31 + 1) as i8)
}

/// Which French public holiday `date` is, if any.
pub fn french_holiday(date: Date) -> Option<FrenchHoliday> {
    let fixed = match (date.month(), date.day()) {
        (1, 1) => Some(FrenchHoliday::NewYear),
        (5, 1) => Some(FrenchHoliday::LabourDay),
        (5, 8) => Some(FrenchHoliday::VictoryInEurope),
        (7, 14) => Some(FrenchHoliday::BastilleDay),
        (8, 15) => Some(FrenchHoliday::Assumption),
        (11, 1) => Some(FrenchHoliday::AllSaints),
        (11, 11) => Some(FrenchHoliday::Armistice),
        (12, 25) => Some(FrenchHoliday::Christmas),
        _ => None,
    };
    if fixed.is_some() {
        return fixed;
    }
    // Easter is 22 March..25 April, so the movable feasts fall in March..June.
    if !(3..=6).contains(&date.month()) {
        return None;
    }
    let after_easter = date.day_of_year() - easter(date.year()).day_of_year();
    match after_easter {
        1 => Some(FrenchHoliday::EasterMonday),
        39 => Some(FrenchHoliday::Ascension),
        50 => Some(FrenchHoliday::WhitMonday),
        _ => None,
    }
}

/// The French public holidays of `year`, in date order.
pub fn french_holidays(year: i16) -> Vec<Date> {
    let Ok(first) = Date::new(year, 1, 1) else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(11);
    let mut day = first;
    while day.year() == year {
        if french_holiday(day).is_some() {
            out.push(day);
        }
        match day.tomorrow() {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    out
}

/// Whether `date` is a public holiday in `calendar`.
pub fn is_holiday(calendar: HolidayCalendar, date: Date) -> bool {
    match calendar {
        HolidayCalendar::France => french_holiday(date).is_some(),
    }
}

/// The public holidays of `year` in `calendar`, in date order.
pub fn holidays(calendar: HolidayCalendar, year: i16) -> Vec<Date> {
    match calendar {
        HolidayCalendar::France => french_holidays(year),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn easter_matches_known_dates() {
        let known = [
            (2000, date(2000, 4, 23)),
            (2008, date(2008, 3, 23)),
            (2011, date(2011, 4, 24)),
            (2019, date(2019, 4, 21)),
            (2024, date(2024, 3, 31)),
            (2025, date(2025, 4, 20)),
            (2026, date(2026, 4, 5)),
            (2027, date(2027, 3, 28)),
            (2038, date(2038, 4, 25)),
            (2285, date(2285, 3, 22)),
        ];
        for (year, expected) in known {
            assert_eq!(easter(year), expected, "{year}");
        }
    }

    #[test]
    fn easter_is_always_a_sunday_between_22_march_and_25_april() {
        for year in [-9999, -1, 0, 1, 1583, 1900, 2100, 4000, 9999] {
            let e = easter(year);
            assert_eq!(e.weekday(), jiff::civil::Weekday::Sunday, "{year}");
            assert!(e >= date(e.year(), 3, 22) && e <= date(e.year(), 4, 25));
        }
    }

    #[test]
    fn french_holidays_2026() {
        assert_eq!(
            french_holidays(2026),
            vec![
                date(2026, 1, 1),
                date(2026, 4, 6),
                date(2026, 5, 1),
                date(2026, 5, 8),
                date(2026, 5, 14),
                date(2026, 5, 25),
                date(2026, 7, 14),
                date(2026, 8, 15),
                date(2026, 11, 1),
                date(2026, 11, 11),
                date(2026, 12, 25),
            ]
        );
    }

    #[test]
    fn french_movable_feasts_2027() {
        let names: Vec<_> = french_holidays(2027)
            .into_iter()
            .filter_map(|d| french_holiday(d).map(|h| (d, h.name_en())))
            .collect();
        assert_eq!(names.len(), 11);
        assert!(names.contains(&(date(2027, 3, 29), "Easter Monday")));
        assert!(names.contains(&(date(2027, 5, 6), "Ascension Day")));
        assert!(names.contains(&(date(2027, 5, 17), "Whit Monday")));
    }

    #[test]
    fn easter_sunday_itself_is_not_a_holiday() {
        assert_eq!(french_holiday(date(2026, 4, 5)), None);
        assert_eq!(
            french_holiday(date(2026, 4, 6)).map(FrenchHoliday::name_fr),
            Some("lundi de Pâques")
        );
    }
}
