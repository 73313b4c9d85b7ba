//! The days a report covers (a week, a month, a range of days) as instants in the
//! user's zone, what the control interface is asked, and instants as reports show them.

use super::ReportError;
use crate::i18n::Said;
use crate::t;
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

/// Why a text is not a month: the text as given. Display says it in English;
/// [`NotAMonth::said`] in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAMonth(pub String);

impl NotAMonth {
    /// `"2026-13" is not a month: use YYYY-MM (2026-10)`, in `lang`.
    pub fn said(&self, lang: Lang) -> String {
        t!(lang, "report-not-a-month", text = format!("{:?}", self.0))
    }
}

impl std::fmt::Display for NotAMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.said(Lang::En))
    }
}

impl std::error::Error for NotAMonth {}

/// In English, for a caller that keeps refusals as text.
impl From<NotAMonth> for String {
    fn from(e: NotAMonth) -> String {
        e.to_string()
    }
}

impl From<NotAMonth> for ReportError {
    fn from(e: NotAMonth) -> ReportError {
        ReportError::Period(Said::both(|lang| e.said(lang)))
    }
}

impl std::str::FromStr for YearMonth {
    type Err = NotAMonth;

    fn from_str(s: &str) -> Result<YearMonth, NotAMonth> {
        let refuse = || NotAMonth(s.to_string());
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

// In TypeScript: `YYYY-MM`, as it serializes.
#[cfg(feature = "ts")]
crate::ts_bindings::plain!(YearMonth, "string");

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

impl Query {
    /// The query `text` says, as the control interface receives it (JSON). Refused in
    /// both languages: a month that is not one as such, anything else as not a query.
    pub fn from_json(text: &str) -> Result<Query, ReportError> {
        let value = serde_json::from_str(text).map_err(|e| {
            let why = e.to_string();
            ReportError::Query(Said::both(|lang| {
                t!(lang, "report-query-not-json", why = why.as_str())
            }))
        })?;
        Query::from_value(value)
    }

    /// The query `value` says (the window's, already JSON); refused as [`Query::from_json`].
    pub fn from_value(value: serde_json::Value) -> Result<Query, ReportError> {
        let month = value
            .pointer("/period/month")
            .and_then(serde_json::Value::as_str)
            .map(str::to_string);
        serde_json::from_value(value).map_err(|e| {
            if let Some(Err(not_a_month)) = month.map(|m| m.parse::<YearMonth>()) {
                return not_a_month.into();
            }
            let why = e.to_string();
            ReportError::Query(Said::both(|lang| {
                t!(lang, "report-query-not-a-query", why = why.as_str())
            }))
        })
    }
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
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Days {
    /// The first day.
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub first: Date,
    /// The last day (included).
    #[cfg_attr(feature = "ts", ts(as = "String"))]
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
                    .map_err(out_of_range)?;
                let sunday = monday
                    .checked_add(jiff::Span::new().days(6))
                    .map_err(out_of_range)?;
                (monday, sunday)
            }
            Period::Month(month) => {
                let month = month.unwrap_or_else(|| YearMonth::of(today));
                (month.first_day(), month.last_day())
            }
            Period::Range(first, last) => {
                if last < first {
                    return Err(ReportError::Period(Said::both(|lang| {
                        t!(
                            lang,
                            "report-to-before-from",
                            first = first.to_string(),
                            last = last.to_string()
                        )
                    })));
                }
                (first, last)
            }
        };
        let start = |d: Date| {
            d.to_zoned_datetime(zone.clone())
                .map(Local)
                .map_err(out_of_range)
        };
        let after = last.tomorrow().map_err(out_of_range)?;
        Ok(Days {
            first,
            last,
            from: start(first)?,
            to: start(after)?,
        })
    }
}

/// A period past the calendar's ends (jiff's words follow, in English).
fn out_of_range(e: jiff::Error) -> ReportError {
    let why = e.to_string();
    ReportError::Period(Said::both(|lang| {
        t!(lang, "report-period-out-of-range", why = why.as_str())
    }))
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

// In TypeScript: RFC 3339 with the offset, as it serializes.
#[cfg(feature = "ts")]
crate::ts_bindings::plain!(Local, "string");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_that_is_not_one_is_refused_in_the_readers_language() {
        let refused = "2026-13".parse::<YearMonth>().unwrap_err();
        assert_eq!(
            refused.said(Lang::Fr),
            "\"2026-13\" n'est pas un mois : écrivez AAAA-MM (2026-10)"
        );
        assert_eq!(
            String::from(refused),
            "\"2026-13\" is not a month: use YYYY-MM (2026-10)"
        );
        // As the control interface receives it: the month is named, not serde's words.
        let query = Query::from_json(r#"{"period": {"month": "octobre"}}"#).unwrap_err();
        assert_eq!(
            query.said(Lang::Fr),
            "\"octobre\" n'est pas un mois : écrivez AAAA-MM (2026-10)"
        );
        let query = Query::from_json("{").unwrap_err();
        assert!(query
            .said(Lang::Fr)
            .starts_with("la demande de rapport n'est pas du JSON : "));
    }

    #[test]
    fn a_range_that_ends_before_it_starts_is_refused_in_the_readers_language() {
        let day = |s: &str| s.parse::<Date>().unwrap();
        let period = Period::Range(day("2026-10-31"), day("2026-10-01"));
        let refused = period
            .days(day("2026-11-02"), &TimeZone::get("Europe/Paris").unwrap())
            .unwrap_err();
        assert_eq!(
            refused.said(Lang::Fr),
            "--to 2026-10-01 est avant --from 2026-10-31"
        );
        assert_eq!(
            refused.to_string(),
            "--to 2026-10-01 is before --from 2026-10-31"
        );
    }
}
