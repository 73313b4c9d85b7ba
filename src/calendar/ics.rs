//! From iCalendar text to on-call shifts: the `icalendar` crate parses, the `rrule`
//! crate expands recurrences in each event's own zone (`TZID`), and each occurrence
//! becomes a [`Shift`] in the user's zone. The choices where RFC 5545 leaves room are in
//! the parent module's documentation.

use crate::i18n::Said;
use crate::settings::Shift;
use crate::t;
use chrono::{Datelike, TimeZone as _, Timelike};
use icalendar::{CalendarDateTime, Component as _, DatePerhapsTime, Event, Property};
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Span, Timestamp, Unit, ZonedDateTime};
use std::collections::{HashMap, HashSet};

/// The most occurrences of one event in the window: more is not an on-call rota (it is
/// more than 20 a day over the 460 days kept), and the event is skipped, saying so.
pub const MAX_OCCURRENCES: usize = 10_000;
/// The most occurrences of a recurrence looked at before the window, for the rules that
/// cannot skip ahead to it (monthly, yearly, a `COUNT` with `BY…` parts).
const MAX_BEFORE_WINDOW: usize = 100_000;

/// The user's shifts in calendar `text`: the occurrences overlapping `[from, to)` of the
/// events whose summary contains `matching` (every event with `None`), as local times in
/// `zone`, sorted. Refused when `text` is not an iCalendar file.
pub fn shifts(
    text: &str,
    matching: Option<&str>,
    zone: &TimeZone,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<Shift>, Said> {
    expand_calendar(text, matching, zone, from, to).map(|e| e.shifts)
}

/// What a calendar gives over a window: its shifts, and the events skipped, each with
/// its reason (an unknown zone, a broken or runaway `RRULE`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expanded {
    /// The shifts, sorted.
    pub shifts: Vec<Shift>,
    /// `"event \"…\" skipped: why"`, one per skipped event, in both languages.
    pub skipped: Vec<Said>,
}

/// [`shifts`], with the events skipped and why.
pub fn expand_calendar(
    text: &str,
    matching: Option<&str>,
    zone: &TimeZone,
    from: Timestamp,
    to: Timestamp,
) -> Result<Expanded, Said> {
    let text = text.trim_start_matches('\u{feff}');
    let unfolded = icalendar::parser::unfold(text);
    let components = icalendar::parser::read_components(&unfolded)
        .map_err(|e| same(e.lines().next().unwrap_or("unreadable").trim()))?;
    if components.first().map(|c| c.name.as_str()) != Some("VCALENDAR") {
        return Err(Said::both(|lang| t!(lang, "calendar-not-vcalendar")));
    }
    let calendar = icalendar::Calendar::from(components);
    let events: Vec<&Event> = calendar.events().collect();
    let needle = matching.map(crate::crisis::fold);
    // Occurrences moved or cancelled by an override, by UID.
    let mut overridden: HashMap<&str, Vec<Timestamp>> = HashMap::new();
    for event in &events {
        if let (Some(uid), Some(id)) = (event.get_uid(), event.get_recurrence_id()) {
            if let Some(t) = instant_of(&id, zone) {
                overridden.entry(uid).or_default().push(t);
            }
        }
    }
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for event in events {
        if event
            .property_value("STATUS")
            .is_some_and(|s| s.eq_ignore_ascii_case("CANCELLED"))
        {
            continue;
        }
        let summary = event.get_summary().unwrap_or("");
        if let Some(needle) = &needle {
            if !crate::crisis::fold(summary).contains(needle.as_str()) {
                continue;
            }
        }
        let skip = match event.get_recurrence_id() {
            Some(_) => &[][..],
            None => event
                .get_uid()
                .and_then(|uid| overridden.get(uid))
                .map_or(&[][..], Vec::as_slice),
        };
        match occurrences(event, zone, from, to, skip) {
            Ok(found) => out.extend(found),
            Err(reason) => {
                tracing::warn!("calendar: event {summary:?} skipped: {}", reason.en);
                let summary = format!("{summary:?}");
                skipped.push(Said::both(|lang| {
                    t!(
                        lang,
                        "calendar-event-skipped",
                        summary = summary.as_str(),
                        why = reason.get(lang)
                    )
                }));
            }
        }
    }
    out.sort_by_key(|s| (s.start, s.end));
    out.dedup();
    Ok(Expanded {
        shifts: out,
        skipped,
    })
}

/// An event's start or end, read in its zone.
struct When {
    /// The instant, in the zone the event is expressed in.
    at: ZonedDateTime,
    /// The zone's name for the `rrule` crate (`None`: UTC).
    tzid: Option<String>,
    /// A date without a time (an all-day event).
    all_day: bool,
}

/// What a library says, the same in both languages.
fn same(e: impl std::fmt::Display) -> Said {
    Said::same(e.to_string())
}

fn when(value: &DatePerhapsTime, zone: &TimeZone) -> Result<When, Said> {
    let local = |naive: &chrono::NaiveDateTime| {
        DateTime::new(
            naive.year() as i16,
            naive.month() as i8,
            naive.day() as i8,
            naive.hour() as i8,
            naive.minute() as i8,
            naive.second().min(59) as i8,
            0,
        )
        .map_err(same)
    };
    let user_zone = || zone.iana_name().map(str::to_string);
    Ok(match value {
        DatePerhapsTime::DateTime(CalendarDateTime::Utc(utc)) => When {
            at: Timestamp::from_second(utc.timestamp())
                .map_err(same)?
                .to_zoned_datetime(TimeZone::UTC),
            tzid: None,
            all_day: false,
        },
        DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone { date_time, tzid }) => {
            let name = tzid.trim_start_matches('/');
            let tz = TimeZone::get(name).map_err(|_| {
                let tzid = format!("{tzid:?}");
                Said::both(|lang| t!(lang, "calendar-unknown-zone", zone = tzid.as_str()))
            })?;
            When {
                at: local(date_time)?.to_zoned_datetime(tz).map_err(same)?,
                tzid: Some(name.to_string()),
                all_day: false,
            }
        }
        DatePerhapsTime::DateTime(CalendarDateTime::Floating(naive)) => When {
            at: local(naive)?
                .to_zoned_datetime(zone.clone())
                .map_err(same)?,
            tzid: user_zone(),
            all_day: false,
        },
        DatePerhapsTime::Date(date) => When {
            at: Date::new(date.year() as i16, date.month() as i8, date.day() as i8)
                .map_err(same)?
                .to_zoned_datetime(zone.clone())
                .map_err(same)?,
            tzid: user_zone(),
            all_day: true,
        },
    })
}

fn instant_of(value: &DatePerhapsTime, zone: &TimeZone) -> Option<Timestamp> {
    when(value, zone).ok().map(|w| w.at.timestamp())
}

/// The occurrences of `event` overlapping `[from, to)`, as shifts in `zone`, leaving out
/// its `EXDATE`s and the starts in `skip` (overridden occurrences).
fn occurrences(
    event: &Event,
    zone: &TimeZone,
    from: Timestamp,
    to: Timestamp,
    skip: &[Timestamp],
) -> Result<Vec<Shift>, Said> {
    let start = event
        .get_start()
        .ok_or_else(|| Said::both(|lang| t!(lang, "calendar-no-dtstart")))?;
    let start = when(&start, zone)?;
    let length = length(event, &start, zone)?;
    let first_end = start
        .at
        .checked_add(length)
        .map_err(|e| its("calendar-its-end", e))?;
    let exact = start.at.duration_until(&first_end);
    if !exact.is_positive() {
        return Err(Said::both(|lang| t!(lang, "calendar-ends-before-start")));
    }
    let mut starts: Vec<Timestamp> = Vec::new();
    match event.property_value("RRULE") {
        Some(rule) => starts.extend(expand(rule, &start, from, to, exact)?),
        None => starts.push(start.at.timestamp()),
    }
    for rdate in dates(event, "RDATE", zone) {
        if let Exclusion::At(t) = rdate {
            starts.push(t);
        }
    }
    let mut excluded_at: HashSet<Timestamp> = skip.iter().copied().collect();
    let mut excluded_on: HashSet<Date> = HashSet::new();
    for x in dates(event, "EXDATE", zone) {
        match x {
            Exclusion::At(at) => excluded_at.insert(at),
            Exclusion::On(date) => excluded_on.insert(date),
        };
    }
    let event_zone = start.at.time_zone().clone();
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for t in starts {
        if !seen.insert(t) || excluded_at.contains(&t) {
            continue;
        }
        let begin = t.to_zoned_datetime(event_zone.clone());
        if excluded_on.contains(&begin.date()) {
            continue;
        }
        let end = begin
            .checked_add(length)
            .map_err(|e| its("calendar-its-end", e))?;
        if end.timestamp() <= from || begin.timestamp() >= to {
            continue;
        }
        if out.len() == MAX_OCCURRENCES {
            return Err(too_many());
        }
        out.push(Shift {
            start: t.to_zoned_datetime(zone.clone()).datetime(),
            end: end.timestamp().to_zoned_datetime(zone.clone()).datetime(),
        });
    }
    Ok(out)
}

/// The nominal length of an event: from `DTEND`, else `DURATION`, else a day for an
/// all-day event.
/// "its DTEND: why" and the like: what the event has wrong, the library's words after.
fn its(id: &'static str, e: impl std::fmt::Display) -> Said {
    let why = e.to_string();
    Said::both(|lang| crate::i18n::text(lang, id, [("why", why.as_str().into())]))
}

fn length(event: &Event, start: &When, zone: &TimeZone) -> Result<Span, Said> {
    if let Some(end) = event.get_end() {
        let end = when(&end, zone)?
            .at
            .with_time_zone(start.at.time_zone().clone());
        return start
            .at
            .until((Unit::Day, &end))
            .map_err(|e| its("calendar-its-dtend", e));
    }
    if let Some(duration) = event.property_value("DURATION") {
        let duration = duration.trim().trim_start_matches('+');
        return duration.parse::<Span>().map_err(|e| {
            let (duration, why) = (format!("{duration:?}"), e.to_string());
            Said::both(|lang| {
                t!(
                    lang,
                    "calendar-its-duration",
                    duration = duration.as_str(),
                    why = why.as_str()
                )
            })
        });
    }
    if start.all_day {
        return Ok(Span::new().days(1));
    }
    Err(Said::both(|lang| t!(lang, "calendar-no-end")))
}

/// The starts of the recurrence `rule` from `start` that may overlap `[from, to)`,
/// expanded by the `rrule` crate in the event's zone, only over that window: a rule of
/// fixed period (secondly to weekly) starts again at its last period before the window,
/// whatever its `DTSTART`, so a `FREQ=SECONDLY` from 2020 costs its window, not six
/// years of seconds. Refused beyond [`MAX_OCCURRENCES`] in the window.
fn expand(
    rule: &str,
    start: &When,
    from: Timestamp,
    to: Timestamp,
    exact: SignedDuration,
) -> Result<Vec<Timestamp>, Said> {
    let tz: rrule::Tz = match &start.tzid {
        None => rrule::Tz::UTC,
        Some(name) => name
            .parse::<chrono_tz::Tz>()
            .map_err(|_| {
                let name = format!("{name:?}");
                Said::both(|lang| t!(lang, "calendar-rrule-zone", zone = name.as_str()))
            })?
            .into(),
    };
    let at = |t: Timestamp| {
        tz.timestamp_opt(t.as_second(), 0)
            .single()
            .ok_or_else(|| its("calendar-out-of-range", t))
    };
    let text = rule;
    let rule = rule
        .parse::<rrule::RRule<rrule::Unvalidated>>()
        .map_err(|e| its("calendar-its-rrule", e))?;
    // An occurrence that started up to its length (and a day) before `from` still runs.
    let lo = from
        .saturating_sub(exact + SignedDuration::from_hours(24))
        .unwrap_or(from)
        .max(start.at.timestamp());
    let Some((dt_start, rule)) = skip_ahead(rule, at(start.at.timestamp())?, at(lo)?, text) else {
        return Ok(Vec::new());
    };
    let rule = rule
        .validate(dt_start)
        .map_err(|e| its("calendar-its-rrule", e))?;
    let set = rrule::RRuleSet::new(dt_start).rrule(rule);
    let mut found = Vec::new();
    let mut before_window = 0;
    for date in &set {
        let Ok(t) = Timestamp::from_second(date.timestamp()) else {
            continue;
        };
        if t > to {
            break;
        }
        if t < lo {
            before_window += 1;
            if before_window > MAX_BEFORE_WINDOW {
                return Err(Said::both(|lang| {
                    t!(
                        lang,
                        "calendar-rrule-before-window",
                        count = MAX_BEFORE_WINDOW.to_string()
                    )
                }));
            }
            continue;
        }
        if found.len() == MAX_OCCURRENCES {
            return Err(too_many());
        }
        found.push(t);
    }
    Ok(found)
}

fn too_many() -> Said {
    let days = (super::WINDOW_BACK_DAYS + super::WINDOW_AHEAD_DAYS).to_string();
    Said::both(|lang| {
        t!(
            lang,
            "calendar-too-many",
            count = MAX_OCCURRENCES.to_string(),
            days = days.as_str()
        )
    })
}

/// `rule` from `dt_start`, started again at its last whole period at or before `lo`
/// when its period is fixed (`SECONDLY` to `WEEKLY`, counted in local time as the
/// `rrule` crate does) and nothing depends on the occurrences skipped (no `COUNT`, or a
/// `COUNT` of one occurrence a period, then lowered by the periods skipped). `None`: no
/// occurrence is left from `lo` on.
fn skip_ahead(
    mut rule: rrule::RRule<rrule::Unvalidated>,
    dt_start: chrono::DateTime<rrule::Tz>,
    lo: chrono::DateTime<rrule::Tz>,
    text: &str,
) -> Option<(
    chrono::DateTime<rrule::Tz>,
    rrule::RRule<rrule::Unvalidated>,
)> {
    use rrule::Frequency;
    let unit: i64 = match rule.get_freq() {
        Frequency::Secondly => 1,
        Frequency::Minutely => 60,
        Frequency::Hourly => 3600,
        Frequency::Daily => 86_400,
        Frequency::Weekly => 7 * 86_400,
        Frequency::Monthly | Frequency::Yearly => return Some((dt_start, rule)),
    };
    let period = unit * i64::from(rule.get_interval().max(1));
    let (first, target) = (dt_start.naive_local(), lo.naive_local());
    // One period to spare, so nothing that overlaps the window is skipped.
    let periods = (target - first).num_seconds() / period - 1;
    let by_parts = text.to_ascii_uppercase().contains("BY");
    if periods <= 0 || (rule.get_count().is_some() && by_parts) {
        return Some((dt_start, rule));
    }
    if rule.get_until().is_some_and(|until| *until < lo) {
        return None;
    }
    // A local time in a gap of the zone (a DST change) is no start: one period earlier.
    let found = (0..4).find_map(|back| {
        let n = periods - back;
        let local = first.checked_add_signed(chrono::TimeDelta::try_seconds(n * period)?)?;
        let start = dt_start.timezone().from_local_datetime(&local).earliest()?;
        Some((n, start))
    });
    let Some((skipped, start)) = found else {
        return Some((dt_start, rule));
    };
    if let Some(count) = rule.get_count() {
        let left = i64::from(count) - skipped;
        if left <= 0 {
            return None;
        }
        rule = rule.count(u32::try_from(left).ok()?);
    }
    Some((start, rule))
}

/// An `EXDATE` or `RDATE` value: an instant, or a whole date (in the event's zone).
enum Exclusion {
    At(Timestamp),
    On(Date),
}

/// The values of the multi-valued date property `name` (`EXDATE`, `RDATE`).
fn dates<'a>(
    event: &'a Event,
    name: &str,
    zone: &'a TimeZone,
) -> impl Iterator<Item = Exclusion> + 'a {
    event
        .multi_properties()
        .get(name)
        .into_iter()
        .flatten()
        .flat_map(move |property| {
            let params: Vec<(String, String)> = property
                .params()
                .values()
                .map(|p| (p.key().to_string(), p.value().to_string()))
                .collect();
            property
                .value()
                .split(',')
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .filter_map(move |value| {
                    let mut single = Property::new(name_of(property), value);
                    for (key, val) in &params {
                        single.add_parameter(key, val);
                    }
                    let parsed = DatePerhapsTime::from_property(&single)?;
                    let read = when(&parsed, zone).ok()?;
                    Some(if read.all_day {
                        Exclusion::On(read.at.date())
                    } else {
                        Exclusion::At(read.at.timestamp())
                    })
                })
                .collect::<Vec<_>>()
        })
}

fn name_of(property: &Property) -> String {
    property.key().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paris() -> TimeZone {
        TimeZone::get("Europe/Paris").unwrap()
    }

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn shift(start: &str, end: &str) -> Shift {
        Shift {
            start: start.parse().unwrap(),
            end: end.parse().unwrap(),
        }
    }

    const WEEKLY: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n\
BEGIN:VEVENT\r\nUID:rota-1\r\nDTSTAMP:20261001T000000Z\r\n\
DTSTART;TZID=America/New_York:20261016T120000\r\n\
DTEND;TZID=America/New_York:20261019T030000\r\n\
RRULE:FREQ=WEEKLY;COUNT=4\r\n\
EXDATE;TZID=America/New_York:20261023T120000\r\n\
SUMMARY:Astreinte Gwen\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:other\r\nDTSTAMP:20261001T000000Z\r\n\
DTSTART:20261017T080000Z\r\nDTEND:20261017T180000Z\r\nSUMMARY:Astreinte Bryan\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";

    #[test]
    fn a_weekly_rule_in_new_york_gives_shifts_in_paris_minus_its_exdate() {
        let got = shifts(
            WEEKLY,
            Some("gwen"),
            &paris(),
            at("2026-10-01T00:00:00Z"),
            at("2026-12-01T00:00:00Z"),
        )
        .unwrap();
        // Friday 12:00 in New York is 18:00 in Paris, except the week between the
        // two DST changes (Europe changes on 25 Oct, America on 1 Nov): 17:00.
        assert_eq!(
            got,
            [
                shift("2026-10-16T18:00", "2026-10-19T09:00"),
                shift("2026-10-30T17:00", "2026-11-02T09:00"),
                shift("2026-11-06T18:00", "2026-11-09T09:00"),
            ]
        );
    }

    fn one_rule(rule: &str, start: &str) -> String {
        format!(
            "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:r\n\
DTSTART;TZID=Europe/Paris:{start}\nDURATION:PT30M\nRRULE:{rule}\nSUMMARY:Gwen\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:one\nDTSTART:20261105T080000Z\nDTEND:20261105T180000Z\nSUMMARY:Gwen once\nEND:VEVENT\n\
END:VCALENDAR\n"
        )
    }

    /// The shifts of `rule` from `start` (Paris) over the window, expanded by `rrule`
    /// from its `DTSTART` on, as before the skip ahead.
    fn expanded_from_the_start(
        rule: &str,
        start: &str,
        from: Timestamp,
        to: Timestamp,
    ) -> Vec<Shift> {
        let tz: rrule::Tz = chrono_tz::Europe::Paris.into();
        let local: DateTime = start.parse().unwrap();
        let t0 = local.to_zoned_datetime(paris()).unwrap().timestamp();
        let at = |t: Timestamp| tz.timestamp_opt(t.as_second(), 0).single().unwrap();
        let rule = rule
            .parse::<rrule::RRule<rrule::Unvalidated>>()
            .unwrap()
            .validate(at(t0))
            .unwrap();
        let lo = from - SignedDuration::from_hours(25);
        let dates = rrule::RRuleSet::new(at(t0))
            .rrule(rule)
            .after(at(lo.max(t0)))
            .before(at(to))
            .all(u16::MAX)
            .dates;
        dates
            .iter()
            .map(|d| Timestamp::from_second(d.timestamp()).unwrap())
            .filter(|t| *t + SignedDuration::from_mins(30) > from && *t < to)
            .map(|t| Shift {
                start: t.to_zoned_datetime(paris()).datetime(),
                end: (t + SignedDuration::from_mins(30))
                    .to_zoned_datetime(paris())
                    .datetime(),
            })
            .collect()
    }

    #[test]
    fn rules_started_years_ago_give_the_same_shifts_when_skipped_ahead() {
        let (from, to) = (at("2026-10-01T00:00:00Z"), at("2026-12-01T00:00:00Z"));
        let once = shift("2026-11-05T09:00", "2026-11-05T19:00");
        for rule in [
            "FREQ=HOURLY;INTERVAL=7",
            "FREQ=DAILY;INTERVAL=3",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR",
            "FREQ=MINUTELY;INTERVAL=97;BYHOUR=3",
            "FREQ=DAILY;COUNT=2450",
            "FREQ=DAILY;UNTIL=20261020T000000Z",
            "FREQ=DAILY;UNTIL=20250101T000000Z",
            "FREQ=HOURLY;INTERVAL=5;COUNT=11000;BYMINUTE=0",
            "FREQ=MONTHLY;BYDAY=1SA",
        ] {
            let got = shifts(
                &one_rule(rule, "20200301T023000"),
                Some("gwen"),
                &paris(),
                from,
                to,
            )
            .unwrap();
            let mut expected = expanded_from_the_start(rule, "2020-03-01T02:30", from, to);
            expected.push(once);
            expected.sort_by_key(|s| (s.start, s.end));
            assert_eq!(got, expected, "{rule}");
        }
    }

    #[test]
    fn issue_16_a_secondly_rule_from_2020_is_skipped_in_milliseconds_saying_why() {
        let (from, to) = super::super::window(at("2026-12-02T03:00:00Z"));
        let started = std::time::Instant::now();
        let got = expand_calendar(
            &one_rule("FREQ=SECONDLY", "20200101T000000"),
            None,
            &paris(),
            from,
            to,
        )
        .unwrap();
        let took = started.elapsed();
        // The other event stays; the runaway one is skipped with its reason.
        assert_eq!(got.shifts, [shift("2026-11-05T09:00", "2026-11-05T19:00")]);
        assert_eq!(
            got.skipped
                .iter()
                .map(|s| s.en.as_str())
                .collect::<Vec<_>>(),
            ["event \"Gwen\" skipped: it repeats more than 10000 times in the 460 days kept"]
        );
        // It took about 50 s of CPU before (six years of seconds to reach the window).
        assert!(took < std::time::Duration::from_secs(2), "{took:?}");
    }

    #[test]
    fn a_skipped_event_says_why_in_both_languages() {
        let text = "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:r\n\
DTSTART:20261001T090000Z\nSUMMARY:Gwen\nEND:VEVENT\nEND:VCALENDAR\n";
        let (from, to) = (at("2026-09-01T00:00:00Z"), at("2026-12-01T00:00:00Z"));
        let got = expand_calendar(text, None, &paris(), from, to).unwrap();
        assert_eq!(
            got.skipped,
            [Said {
                en: "event \"Gwen\" skipped: it has neither DTEND nor DURATION".into(),
                fr: "événement \"Gwen\" ignoré : il n'a ni DTEND ni DURATION".into(),
            }]
        );
        let not_one = expand_calendar("<html>oops</html>", None, &paris(), from, to);
        assert!(not_one.is_err());
    }

    #[test]
    fn an_event_with_more_than_10_000_rdates_in_the_window_is_skipped() {
        let rdates: Vec<String> = (0..=MAX_OCCURRENCES as i64)
            .map(|i| {
                (at("2026-10-02T00:00:00Z") + SignedDuration::from_mins(i))
                    .strftime("%Y%m%dT%H%M%SZ")
                    .to_string()
            })
            .collect();
        let text = format!(
            "BEGIN:VCALENDAR\nVERSION:2.0\nBEGIN:VEVENT\nUID:r\nDTSTART:20261001T000000Z\n\
DURATION:PT1M\nRDATE:{}\nSUMMARY:Gwen\nEND:VEVENT\nEND:VCALENDAR\n",
            rdates.join(",")
        );
        let (from, to) = (at("2026-09-01T00:00:00Z"), at("2026-12-01T00:00:00Z"));
        let got = expand_calendar(&text, None, &paris(), from, to).unwrap();
        assert_eq!(got.shifts, []);
        assert_eq!(
            got.skipped
                .iter()
                .map(|s| s.en.as_str())
                .collect::<Vec<_>>(),
            ["event \"Gwen\" skipped: it repeats more than 10000 times in the 460 days kept"]
        );
    }

    #[test]
    fn garbage_is_not_a_calendar() {
        for text in ["<html>oops</html>", "", "BEGIN:VEVENT\r\nEND:VEVENT\r\n"] {
            assert!(
                shifts(
                    text,
                    None,
                    &paris(),
                    at("2026-10-01T00:00:00Z"),
                    at("2026-12-01T00:00:00Z")
                )
                .is_err(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn all_day_floating_and_cancelled_events() {
        let text = "BEGIN:VCALENDAR\nVERSION:2.0\n\
BEGIN:VEVENT\nUID:a\nDTSTART;VALUE=DATE:20261225\nDTEND;VALUE=DATE:20261227\nSUMMARY:Astreinte de Gwén\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:b\nDTSTART:20261228T200000\nDURATION:PT10H\nSUMMARY:GWEN nuit\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:c\nDTSTART:20261229T200000\nDURATION:PT10H\nSTATUS:CANCELLED\nSUMMARY:Gwen\nEND:VEVENT\n\
END:VCALENDAR\n";
        let got = shifts(
            text,
            Some("Gwen"),
            &paris(),
            at("2026-12-01T00:00:00Z"),
            at("2027-01-31T00:00:00Z"),
        )
        .unwrap();
        assert_eq!(
            got,
            [
                shift("2026-12-25T00:00", "2026-12-27T00:00"),
                shift("2026-12-28T20:00", "2026-12-29T06:00"),
            ]
        );
    }

    #[test]
    fn an_override_replaces_its_occurrence() {
        let text = "BEGIN:VCALENDAR\nVERSION:2.0\n\
BEGIN:VEVENT\nUID:w\nDTSTART;TZID=Europe/Paris:20261106T180000\nDTEND;TZID=Europe/Paris:20261109T090000\nRRULE:FREQ=WEEKLY;COUNT=3\nSUMMARY:Gwen\nEND:VEVENT\n\
BEGIN:VEVENT\nUID:w\nRECURRENCE-ID;TZID=Europe/Paris:20261113T180000\nDTSTART;TZID=Europe/Paris:20261113T200000\nDTEND;TZID=Europe/Paris:20261116T080000\nSUMMARY:Gwen\nEND:VEVENT\n\
END:VCALENDAR\n";
        let got = shifts(
            text,
            Some("Gwen"),
            &paris(),
            at("2026-11-01T00:00:00Z"),
            at("2026-12-31T00:00:00Z"),
        )
        .unwrap();
        assert_eq!(
            got,
            [
                shift("2026-11-06T18:00", "2026-11-09T09:00"),
                shift("2026-11-13T20:00", "2026-11-16T08:00"),
                shift("2026-11-20T18:00", "2026-11-23T09:00"),
            ]
        );
    }
}
