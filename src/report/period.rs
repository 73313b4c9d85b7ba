//! The days a report covers (a week, a month, a range of days) as instants in the
//! user's zone, what the control interface is asked, and instants as reports show them.

use super::ReportError;
use crate::words::Lang;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};
use serde::{Deserialize, Serialize};

/// A month, `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct YearMonth {
    /// Its first day.
    first: Date,
}

impl YearMonth {
    /// The month of `date`.
    pub fn of(date: Date) -> YearMonth {
        YearMonth {
            first: date.first_of_month(),
        }
    }

    /// Its first day.
    pub fn first_day(self) -> Date {
        self.first
    }

    /// Its last day.
    pub fn last_day(self) -> Date {
        self.first.last_of_month()
    }
}

impl std::str::FromStr for YearMonth {
    type Err = String;

    fn from_str(s: &str) -> Result<YearMonth, String> {
        let refuse = || format!("{s:?} is not a month: use YYYY-MM (2026-10)");
        let (year, month) = s.trim().split_once('-').ok_or_else(refuse)?;
        let year: i16 = year.parse().map_err(|_| refuse())?;
        let month: i8 = month.parse().map_err(|_| refuse())?;
        Date::new(year, month, 1)
            .map(|first| YearMonth { first })
            .map_err(|_| refuse())
    }
}

impl std::fmt::Display for YearMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.first.year(), self.first.month())
    }
}

impl Serialize for YearMonth {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<YearMonth, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// The days a report covers. In JSON: `{"week": null}` (this week), `{"week":
/// "2026-11-25"}` (the week of that day), `{"month": "2026-10"}`, `{"month": null}` (this
/// month), `{"range": ["2026-10-01", "2026-10-31"]}` (both days included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Period {
    /// The week (Monday to Sunday) of a day; `None`: today.
    Week(Option<Date>),
    /// A month; `None`: this month.
    Month(Option<YearMonth>),
    /// From a day to a day, both included.
    Range(Date, Date),
}

/// What the control interface's `report` is asked: the period, the kind of report and
/// the format. In JSON: `{"period": {"month": "2026-10"}, "on_call": true, "format":
/// "csv", "lang": "fr"}`; everything but `period` is optional.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Query {
    /// The days.
    pub period: Period,
    /// The on-call statement (its period must be a month) rather than the report.
    #[serde(default)]
    pub on_call: bool,
    /// `json` (default), `text` or `csv`.
    #[serde(default)]
    pub format: Format,
    /// The language of `text` and `csv` (default: the user's locale).
    #[serde(default)]
    pub lang: Option<Lang>,
}

/// A report's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// For tools.
    #[default]
    Json,
    /// For a person, in a terminal.
    Text,
    /// For a spreadsheet.
    Csv,
}

/// The days of a period as instants in the user's zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Days {
    /// The first day.
    pub first: Date,
    /// The last day (included).
    pub last: Date,
    /// The first day's start.
    pub from: Local,
    /// The day after the last one's start (excluded).
    pub to: Local,
}

impl Period {
    /// The days of the period, `today` being the user's date now.
    pub fn days(self, today: Date, zone: &TimeZone) -> Result<Days, ReportError> {
        let (first, last) = match self {
            Period::Week(day) => {
                let day = day.unwrap_or(today);
                let monday = day
                    .checked_sub(jiff::Span::new().days(day.weekday().to_monday_zero_offset()))
                    .map_err(|e| ReportError::Period(e.to_string()))?;
                let sunday = monday
                    .checked_add(jiff::Span::new().days(6))
                    .map_err(|e| ReportError::Period(e.to_string()))?;
                (monday, sunday)
            }
            Period::Month(month) => {
                let month = month.unwrap_or_else(|| YearMonth::of(today));
                (month.first_day(), month.last_day())
            }
            Period::Range(first, last) => {
                if last < first {
                    return Err(ReportError::Period(format!(
                        "--to {last} is before --from {first}"
                    )));
                }
                (first, last)
            }
        };
        let start = |d: Date| {
            d.to_zoned_datetime(zone.clone())
                .map(Local)
                .map_err(|e| ReportError::Period(e.to_string()))
        };
        let after = last
            .tomorrow()
            .map_err(|e| ReportError::Period(e.to_string()))?;
        Ok(Days {
            first,
            last,
            from: start(first)?,
            to: start(after)?,
        })
    }
}

/// An instant in the user's zone; in JSON, RFC 3339 with the zone's offset then
/// (`2026-10-31T18:00:00+01:00`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Local(pub ZonedDateTime);

impl Local {
    /// `t` in `zone`.
    pub fn at(t: Timestamp, zone: &TimeZone) -> Local {
        Local(t.to_zoned_datetime(zone.clone()))
    }

    /// The instant.
    pub fn timestamp(&self) -> Timestamp {
        self.0.timestamp()
    }
}

impl Serialize for Local {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0.strftime("%Y-%m-%dT%H:%M:%S%:z"))
    }
}
