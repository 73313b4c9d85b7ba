//! Stage one and two of reading `settings.toml`: raw TOML with spans, then the
//! validated [`Settings`](super::Settings). Every refusal names the file, the line, the
//! key and the reason: `settings.toml:9: hours.mon: "9h-18h" is not HH:MM-HH:MM`.
//!
//! Stage one (`serde` into the `raw` structs, unknown keys denied everywhere) stops at
//! the first problem, so a syntax error, an unknown key or a value of the wrong TOML type
//! is one refusal. Stage two checks every value it understands and collects all its
//! refusals, so the user fixes the file in one pass.

mod forms;
mod raw;

pub(super) use forms::WEEKDAY_KEYS;

use super::{
    CrisisPass, CrisisSettings, DisplaySettings, HolidayCalendar, OffHours, OnCallSettings,
    ReleaseMode, Repeat, Rotation, Settings, Shift, TimeOff, TimeOffBound, WeeklyHours, WorkApp,
};
use crate::i18n::Said;
use crate::t;
use crate::words::Lang;
use forms::{parse_date, parse_datetime, parse_range, parse_time_off_bound, parse_week_time};
use jiff::tz::TimeZone;
use std::ops::Range;
use toml::Spanned;

/// One reason a settings file was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The file name as given to [`parse`].
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// The dotted key (`hours.mon`, `work_apps[2].off_hours`), or empty for a syntax error.
    pub key: String,
    /// Why, in one line, in both languages.
    pub reason: Said,
}

impl Refusal {
    /// `file:line: key: reason`, the reason in `lang`.
    pub fn line(&self, lang: Lang) -> String {
        let mut out = self.file.clone();
        if let Some(line) = self.line {
            out.push_str(&format!(":{line}"));
        }
        if !self.key.is_empty() {
            out.push_str(&format!(": {}", self.key));
        }
        out.push_str(&format!(": {}", self.reason.get(lang)));
        out
    }
}

/// In English, for the logs: [`Refusal::line`] says it in the reader's language.
impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.line(Lang::En))
    }
}

/// Every reason a file was refused, one per line when displayed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusals(pub Vec<Refusal>);

impl Refusals {
    /// One refusal a line, the reasons in `lang`.
    pub fn lines(&self, lang: Lang) -> String {
        self.0
            .iter()
            .map(|r| r.line(lang))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// In English, for the logs: [`Refusals::lines`] says them in the reader's language.
impl std::fmt::Display for Refusals {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.lines(Lang::En))
    }
}

impl std::error::Error for Refusals {}

/// Parses and validates the text of a settings file; `file` names it in refusals.
///
/// Keys inside arrays of tables are numbered from 1 in refusals (`work_apps[1]` is the
/// first `[[work_apps]]`), as a user counts them. Refusals come in file order.
pub fn parse(text: &str, file: &str) -> Result<Settings, Refusals> {
    let raw: raw::Settings = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(error) => return Err(Refusals(vec![toml_refusal(&error, text, file)])),
    };
    let mut check = Check {
        text,
        file,
        refusals: Vec::new(),
        lines: None,
    };
    let settings = check.settings(raw);
    if check.refusals.is_empty() {
        Ok(settings)
    } else {
        check.refusals.sort_by_key(|r| r.line);
        Err(Refusals(check.refusals))
    }
}

/// The 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    Lines::new(text).line(offset)
}

/// Where the lines of a text end, found once: a file with a refusal on each of its
/// 100,000 lines is not read 100,000 times over.
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Lines {
        Lines(
            text.bytes()
                .enumerate()
                .filter_map(|(i, b)| (b == b'\n').then_some(i))
                .collect(),
        )
    }

    /// The 1-based line of byte `offset`.
    fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|&newline| newline < offset) + 1
    }
}

/// `prefix.name`, or `name` at the top.
fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

/// Stage two: the raw values checked one by one, refusals collected.
struct Check<'a> {
    text: &'a str,
    file: &'a str,
    refusals: Vec<Refusal>,
    /// The text's lines, once a refusal needs them.
    lines: Option<Lines>,
}

impl Check<'_> {
    fn refuse(&mut self, span: Range<usize>, key: &str, reason: Said) {
        self.refusals.push(Refusal {
            file: self.file.to_string(),
            line: Some(
                self.lines
                    .get_or_insert_with(|| Lines::new(self.text))
                    .line(span.start),
            ),
            key: key.to_string(),
            reason,
        });
    }

    /// Converts one spanned value, recording the refusal at its line when it fails.
    fn value<T, U>(
        &mut self,
        key: &str,
        value: &Spanned<T>,
        convert: impl FnOnce(&T) -> Result<U, Said>,
    ) -> Option<U> {
        match convert(value.get_ref()) {
            Ok(converted) => Some(converted),
            Err(reason) => {
                self.refuse(value.span(), key, reason);
                None
            }
        }
    }

    fn settings(&mut self, raw: raw::Settings) -> Settings {
        let mut settings = Settings::default();
        if let Some(name) = &raw.timezone {
            if let Some(zone) = self.value("timezone", name, |name| time_zone(name)) {
                settings.timezone = zone;
                settings.timezone_name = name.get_ref().clone();
            }
        }
        if let Some(language) = &raw.language {
            settings.language = self.value("language", language, |tag| {
                Lang::from_tag(tag).ok_or_else(|| {
                    let value = format!("{tag:?}");
                    Said::both(|lang| t!(lang, "settings-not-language", value = &value))
                })
            });
        }
        if let Some(calendar) = &raw.holidays {
            settings.holidays = self.value("holidays", calendar, |name| holiday_calendar(name));
        }
        for day in &raw.extra_holidays {
            if let Some(date) = self.value("extra_holidays", day, date_value) {
                settings.extra_holidays.push(date);
            }
        }
        if let Some(hours) = &raw.hours {
            settings.hours = self.hours(hours);
        }
        for (i, period) in raw.time_off.iter().enumerate() {
            if let Some(period) = self.time_off(&format!("time_off[{}]", i + 1), period) {
                settings.time_off.push(period);
            }
        }
        for (i, app) in raw.work_apps.iter().enumerate() {
            if let Some(app) = self.work_app(&format!("work_apps[{}]", i + 1), app) {
                settings.work_apps.push(app);
            }
        }
        settings.crisis = self.crisis(&raw.crisis);
        settings.on_call = self.on_call(&raw.on_call);
        settings.auto_reply.fr = raw.auto_reply.fr.clone();
        settings.auto_reply.en = raw.auto_reply.en.clone();
        if let Some(mode) = &raw.release.mode {
            let mode = self.value("release.mode", mode, |mode| match mode.as_str() {
                "digest" => Ok(ReleaseMode::Digest),
                "replay" => Ok(ReleaseMode::Replay),
                other => Err(not_one_of(other, &["digest", "replay"])),
            });
            settings.release.mode = mode.unwrap_or_default();
        }
        settings.display = self.display(&raw.display);
        settings
    }

    fn hours(&mut self, raw: &raw::Hours) -> WeeklyHours {
        let mut hours = WeeklyHours::default();
        for (i, (name, ranges)) in WEEKDAY_KEYS.iter().zip(raw.days()).enumerate() {
            let key = format!("hours.{name}");
            for range in ranges {
                if let Some(range) = self.value(&key, range, |text| parse_range(text)) {
                    hours.days[i].push(range);
                }
            }
        }
        hours
    }

    fn time_off(&mut self, key: &str, raw: &raw::TimeOff) -> Option<TimeOff> {
        let start = self.value(&join(key, "start"), &raw.start, |v| {
            text_value(v, Expected::DateOrDateTime).and_then(|t| parse_time_off_bound(&t))
        });
        let end = self.value(&join(key, "end"), &raw.end, |v| {
            text_value(v, Expected::DateOrDateTime).and_then(|t| parse_time_off_bound(&t))
        });
        let (start, end) = (start?, end?);
        if let Some(reason) = time_off_order(start, end) {
            self.refuse(raw.end.span(), &join(key, "end"), reason);
            return None;
        }
        Some(TimeOff {
            start,
            end,
            label: raw.label.clone(),
        })
    }

    fn work_app(&mut self, key: &str, raw: &raw::WorkApp) -> Option<WorkApp> {
        let name = self.value(&join(key, "name"), &raw.name, |name| {
            not_empty(name, |lang| t!(lang, "settings-empty-name")).map(|()| name.clone())
        });
        let app = self.value(&join(key, "app"), &raw.app, |app| {
            not_empty(app, |lang| t!(lang, "settings-empty-app"))
                .map(|()| app.trim().to_lowercase())
        });
        // Outer `None`: refused (every key is still checked, so all refusals are told).
        let account = match &raw.account {
            Some(account) => self
                .value(&join(key, "account"), account, |account| {
                    not_empty(account, |lang| t!(lang, "settings-empty-account"))
                        .map(|()| account.clone())
                })
                .map(Some),
            None => Some(None),
        };
        // Each site checked, all refusals told; `None` when one is refused. Each once.
        let checked: Vec<Option<String>> = raw
            .sites
            .iter()
            .map(|site| self.value(&join(key, "sites"), site, |site| work_site(site)))
            .collect();
        let sites = checked
            .into_iter()
            .collect::<Option<Vec<String>>>()
            .map(|list| {
                let mut unique: Vec<String> = Vec::with_capacity(list.len());
                for site in list {
                    if !unique.contains(&site) {
                        unique.push(site);
                    }
                }
                unique
            });
        let off_hours = match &raw.off_hours {
            Some(off_hours) => {
                self.value(&join(key, "off_hours"), off_hours, |v| match v.as_str() {
                    "hold" => Ok(OffHours::Hold),
                    "drop" => Ok(OffHours::Drop),
                    other => Err(not_one_of(other, &["hold", "drop"])),
                })
            }
            None => Some(OffHours::default()),
        };
        Some(WorkApp {
            name: name?,
            app: app?,
            account: account?,
            sites: sites?,
            off_hours: off_hours?,
        })
    }

    fn crisis(&mut self, raw: &raw::Crisis) -> CrisisSettings {
        let mut crisis = CrisisSettings::default();
        if let Some(pass) = &raw.pass {
            let pass = self.value("crisis.pass", pass, |pass| match pass.as_str() {
                "always" => Ok(CrisisPass::Always),
                "on_call" => Ok(CrisisPass::OnCall),
                other => Err(not_one_of(other, &["always", "on_call"])),
            });
            crisis.pass = pass.unwrap_or_default();
        }
        if let Some(critical) = raw.critical_urgency {
            crisis.critical_urgency = critical;
        }
        for (list, key, out) in [
            (&raw.keywords, "crisis.keywords", &mut crisis.keywords),
            (&raw.senders, "crisis.senders", &mut crisis.senders),
        ] {
            for word in list {
                let word = self.value(key, word, |word| {
                    not_empty(word, |lang| t!(lang, "settings-empty-entry")).map(|()| word.clone())
                });
                out.extend(word);
            }
        }
        if let Some(repeat) = &raw.repeat {
            let count = self.value("crisis.repeat.count", &repeat.get_ref().count, |&n| {
                at_least(n, 2, "count")
            });
            let minutes = self.value("crisis.repeat.minutes", &repeat.get_ref().minutes, |&n| {
                at_least(n, 1, "minutes")
            });
            if let (Some(count), Some(minutes)) = (count, minutes) {
                crisis.repeat = Some(Repeat { count, minutes });
            }
        }
        crisis
    }

    fn on_call(&mut self, raw: &raw::OnCall) -> OnCallSettings {
        let mut on_call = OnCallSettings::default();
        for (i, shift) in raw.shifts.iter().enumerate() {
            let key = format!("on_call.shifts[{}]", i + 1);
            let shift = shift.get_ref();
            let start = self.value(&join(&key, "start"), &shift.start, |v| {
                text_value(v, Expected::DateTime).and_then(|t| parse_datetime(&t))
            });
            let end = self.value(&join(&key, "end"), &shift.end, |v| {
                text_value(v, Expected::DateTime).and_then(|t| parse_datetime(&t))
            });
            let (Some(start), Some(end)) = (start, end) else {
                continue;
            };
            if let Some(reason) = backwards(start, end, &start.to_string(), &end.to_string()) {
                self.refuse(shift.end.span(), &join(&key, "end"), reason);
                continue;
            }
            on_call.shifts.push(Shift { start, end });
        }
        if let Some(rotation) = &raw.rotation {
            let rotation = rotation.get_ref();
            let first = self.value("on_call.rotation.first", &rotation.first, |v| {
                text_value(v, Expected::Date).and_then(|t| parse_date(&t))
            });
            let every_weeks = match &rotation.every_weeks {
                Some(n) => self.value("on_call.rotation.every_weeks", n, |&n| {
                    at_least(n, 1, "every_weeks")
                }),
                None => Some(1),
            };
            let start = self.value("on_call.rotation.start", &rotation.start, |t| {
                parse_week_time(t)
            });
            let end = self.value("on_call.rotation.end", &rotation.end, |t| {
                parse_week_time(t)
            });
            if let (Some(first), Some(every_weeks), Some(start), Some(end)) =
                (first, every_weeks, start, end)
            {
                on_call.rotation = Some(Rotation {
                    first,
                    every_weeks,
                    start,
                    end,
                });
            }
        }
        if let Some(calendar) = &raw.calendar {
            on_call.calendar = self.value("on_call.calendar", calendar, |c| {
                not_empty(c, |lang| t!(lang, "settings-empty-calendar")).map(|()| c.clone())
            });
        }
        if let Some(name) = &raw.calendar_match {
            on_call.calendar_match = self.value("on_call.calendar_match", name, |n| {
                not_empty(n, |lang| t!(lang, "settings-empty-calendar-match")).map(|()| n.clone())
            });
        }
        on_call
    }

    fn display(&mut self, raw: &raw::Display) -> DisplaySettings {
        let Some(command) = &raw.command else {
            return DisplaySettings::default();
        };
        let command = self.value("display.command", command, |words| match words.first() {
            None => Err(Said::both(|lang| t!(lang, "settings-command-empty"))),
            Some(program) if program.trim().is_empty() => {
                Err(Said::both(|lang| t!(lang, "settings-program-empty")))
            }
            Some(_) => Ok(words.clone()),
        });
        DisplaySettings { command }
    }
}

/// The zone named `name` in the time-zone database.
fn time_zone(name: &str) -> Result<TimeZone, Said> {
    if name.trim().is_empty() {
        return Err(Said::both(|lang| t!(lang, "settings-timezone-empty")));
    }
    TimeZone::get(name).map_err(|_| {
        let value = format!("{name:?}");
        Said::both(|lang| t!(lang, "settings-timezone-unknown", value = &value))
    })
}

/// The built-in holiday calendar called `name`.
fn holiday_calendar(name: &str) -> Result<HolidayCalendar, Said> {
    if name.eq_ignore_ascii_case("FR") {
        Ok(HolidayCalendar::France)
    } else {
        let value = format!("{name:?}");
        Err(Said::both(|lang| {
            t!(lang, "settings-holidays-unknown", value = &value)
        }))
    }
}

/// `"x" is not one of "a", "b"`.
fn not_one_of(value: &str, known: &[&str]) -> Said {
    let known: Vec<String> = known.iter().map(|k| format!("{k:?}")).collect();
    let (value, known) = (format!("{value:?}"), known.join(", "));
    Said::both(|lang| t!(lang, "settings-not-one-of", value = &value, known = &known))
}

/// A work site as written (`linkedin.com`, `Business.Facebook.com`), as the host it
/// matches, lowercase. A URL, a path, a port or a pattern is refused with what to write.
fn work_site(site: &str) -> Result<String, Said> {
    let value = format!("{site:?}");
    let trimmed = site.trim();
    if trimmed.is_empty() {
        return Err(Said::both(|lang| t!(lang, "settings-empty-site")));
    }
    let host = trimmed.strip_suffix('.').unwrap_or(trimmed).to_lowercase();
    if crate::notification::is_host(&host) {
        return Ok(host);
    }
    // What to write instead, when the site is there inside a URL or pattern.
    let inner = trimmed.trim_start_matches("*.");
    match crate::notification::site_host(inner) {
        Some(host) => Err(Said::both(|lang| {
            t!(
                lang,
                "settings-site-host-only",
                value = &value,
                host = &host
            )
        })),
        None => Err(Said::both(|lang| {
            t!(lang, "settings-not-site", value = &value)
        })),
    }
}

/// Refuses a blank `text`, saying `why` (only then).
fn not_empty(text: &str, why: impl Fn(Lang) -> String) -> Result<(), Said> {
    if text.trim().is_empty() {
        Err(Said::both(why))
    } else {
        Ok(())
    }
}

fn at_least(n: i64, min: u32, key: &str) -> Result<u32, Said> {
    if n < i64::from(min) {
        return Err(Said::both(|lang| {
            t!(lang, "settings-at-least", key = key, min = min, value = n)
        }));
    }
    u32::try_from(n)
        .map_err(|_| Said::both(|lang| t!(lang, "settings-too-large", key = key, value = n)))
}

/// What a date value may be.
#[derive(Clone, Copy)]
enum Expected {
    DateOrDateTime,
    DateTime,
    Date,
}

/// The text of a date or date-time written as a string or as a TOML local date-time.
fn text_value(value: &toml::Value, what: Expected) -> Result<String, Said> {
    match value {
        toml::Value::String(text) => Ok(text.clone()),
        toml::Value::Datetime(datetime) if datetime.offset.is_some() => {
            let value = datetime.to_string();
            Err(Said::both(|lang| {
                t!(lang, "settings-has-offset", value = &value)
            }))
        }
        toml::Value::Datetime(datetime) => Ok(datetime.to_string()),
        other => {
            let found = other.type_str();
            Err(Said::both(|lang| match what {
                Expected::DateOrDateTime => {
                    t!(lang, "settings-expected-date-or-datetime", found = found)
                }
                Expected::DateTime => t!(lang, "settings-expected-datetime", found = found),
                Expected::Date => t!(lang, "settings-expected-date", found = found),
            }))
        }
    }
}

fn date_value(value: &toml::Value) -> Result<jiff::civil::Date, Said> {
    text_value(value, Expected::Date).and_then(|text| parse_date(&text))
}

/// Why a time-off period is backwards, if it is.
fn time_off_order(start: TimeOffBound, end: TimeOffBound) -> Option<Said> {
    let first = match start {
        TimeOffBound::Date(date) => date.to_datetime(jiff::civil::Time::midnight()),
        TimeOffBound::DateTime(datetime) => datetime,
    };
    // A date end is inclusive: the period runs to the end of that day.
    let after = match end {
        TimeOffBound::Date(date) => match date.tomorrow() {
            Ok(next) => next.to_datetime(jiff::civil::Time::midnight()),
            Err(_) => return None,
        },
        TimeOffBound::DateTime(datetime) => datetime,
    };
    backwards(first, after, &bound_text(start), &bound_text(end))
}

/// Why a period from `start` to `end` (exclusive) is empty, if it is.
fn backwards(
    start: jiff::civil::DateTime,
    end: jiff::civil::DateTime,
    start_text: &str,
    end_text: &str,
) -> Option<Said> {
    if end < start {
        Some(Said::both(|lang| {
            t!(
                lang,
                "settings-ends-before-start",
                end = end_text,
                start = start_text
            )
        }))
    } else if end == start {
        Some(Said::both(|lang| {
            t!(lang, "settings-starts-ends-same", start = start_text)
        }))
    } else {
        None
    }
}

fn bound_text(bound: TimeOffBound) -> String {
    match bound {
        TimeOffBound::Date(date) => date.to_string(),
        TimeOffBound::DateTime(datetime) => datetime.to_string(),
    }
}

/// Turns a stage-one error (syntax, unknown key, wrong type) into one refusal. TOML's own
/// detail stays in English; what Couper says around it is in both languages.
fn toml_refusal(error: &toml::de::Error, text: &str, file: &str) -> Refusal {
    let span = error.span();
    let line = span.as_ref().map(|span| line_of(text, span.start));
    let message = error.message().trim().replace('\n', " ");
    let refusal = |key: String, reason: Said| Refusal {
        file: file.to_string(),
        line,
        key,
        reason,
    };
    let Ok(document) = toml_edit::Document::parse(text) else {
        let reason = match (&span, message.as_str()) {
            (Some(span), "duplicate key") => {
                let key = format!("{:?}", text.get(span.clone()).unwrap_or(""));
                Said::both(|lang| t!(lang, "settings-duplicate-key", key = &key))
            }
            _ => Said::both(|lang| t!(lang, "settings-not-toml", detail = &message)),
        };
        return refusal(String::new(), reason);
    };
    let path = span
        .and_then(|span| path_at(document.as_table(), span.start))
        .unwrap_or_default();
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (name, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let name = format!("{name:?}");
        let known = expected
            .trim_start_matches(", expected ")
            .trim_start_matches("one of ")
            .replace(['`'], "");
        let parent = path.rsplit_once('.').map_or("", |(parent, _)| parent);
        let reason = if parent == "hours" {
            let days = WEEKDAY_KEYS.join(", ");
            Said::both(|lang| t!(lang, "settings-unknown-weekday", name = &name, days = &days))
        } else if known.is_empty() || known.starts_with("there are no fields") {
            Said::both(|lang| t!(lang, "settings-unknown-key", name = &name))
        } else {
            Said::both(|lang| {
                t!(
                    lang,
                    "settings-unknown-key-known",
                    name = &name,
                    known = &known
                )
            })
        };
        return refusal(path, reason);
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or(rest);
        let quoted = format!("{name:?}");
        return refusal(
            join(&path, name),
            Said::both(|lang| t!(lang, "settings-missing-key", name = &quoted)),
        );
    }
    refusal(path, plain_type_words(&message))
}

/// Rewords serde's type names in the user's words.
fn plain_type_words(message: &str) -> Said {
    let mut detail = message.to_string();
    for (rust, plain) in [
        ("expected i64", "expected a whole number"),
        ("expected a sequence", "expected an array"),
        ("sequence", "array"),
        ("expected a map", "expected a table"),
    ] {
        detail = detail.replace(rust, plain);
    }
    if let Some(at) = detail.find("expected struct ") {
        detail.truncate(at);
        detail.push_str("expected a table");
    }
    match detail.strip_prefix("invalid type: ") {
        Some(rest) => Said::both(|lang| t!(lang, "settings-wrong-type", detail = rest)),
        None => Said::both(|lang| t!(lang, "settings-bad-value", detail = &detail)),
    }
}

/// The dotted key at byte `at`: the smallest key, value or table header containing it.
fn path_at(root: &toml_edit::Table, at: usize) -> Option<String> {
    let mut best = None;
    visit_table(root, "", at, &mut best);
    best.map(|(_, path)| path)
}

type Best = Option<(usize, String)>;

fn consider(span: Option<Range<usize>>, path: &str, at: usize, best: &mut Best) {
    let Some(span) = span else { return };
    let inside = span.contains(&at) || (span.is_empty() && span.start == at);
    let better = match best {
        None => true,
        Some((len, old)) => span.len() < *len || (span.len() == *len && path.len() > old.len()),
    };
    if inside && better {
        *best = Some((span.len(), path.to_string()));
    }
}

fn visit_table(table: &dyn toml_edit::TableLike, prefix: &str, at: usize, best: &mut Best) {
    for (name, item) in table.iter() {
        let path = join(prefix, name);
        consider(table.key(name).and_then(|key| key.span()), &path, at, best);
        consider(item.span(), &path, at, best);
        match item {
            toml_edit::Item::Table(table) => visit_table(table, &path, at, best),
            toml_edit::Item::ArrayOfTables(tables) => {
                for (i, table) in tables.iter().enumerate() {
                    let path = format!("{path}[{}]", i + 1);
                    consider(table.span(), &path, at, best);
                    visit_table(table, &path, at, best);
                }
            }
            toml_edit::Item::Value(value) => visit_value(value, &path, at, best),
            toml_edit::Item::None => {}
        }
    }
}

fn visit_value(value: &toml_edit::Value, path: &str, at: usize, best: &mut Best) {
    match value {
        toml_edit::Value::InlineTable(table) => visit_table(table, path, at, best),
        toml_edit::Value::Array(values) => {
            for (i, value) in values.iter().enumerate() {
                // Only tables in an array are numbered: `hours.mon` names the whole list.
                let path = if value.is_inline_table() {
                    format!("{path}[{}]", i + 1)
                } else {
                    path.to_string()
                };
                consider(value.span(), &path, at, best);
                visit_value(value, &path, at, best);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_counted_from_one() {
        let text = "a = 1\nb = 2\n";
        assert_eq!(line_of(text, 0), 1);
        assert_eq!(line_of(text, 6), 2);
        assert_eq!(line_of(text, 99), 3);
    }

    #[test]
    fn the_path_at_an_offset_is_the_innermost_key() {
        let text = "x = 1\n[[work_apps]]\nname = \"a\"\n[[work_apps]]\nname = \"b\"\n\
                    [on_call]\nshifts = [\n  { start = \"s\" },\n  { end = \"e\" },\n]\n";
        let document = toml_edit::Document::parse(text).unwrap();
        let at = |needle: &str| path_at(document.as_table(), text.find(needle).unwrap());
        assert_eq!(at("x =").as_deref(), Some("x"));
        assert_eq!(at("\"b\"").as_deref(), Some("work_apps[2].name"));
        assert_eq!(at("end").as_deref(), Some("on_call.shifts[2].end"));
        assert_eq!(at("{ start").as_deref(), Some("on_call.shifts[1]"));
    }

    #[test]
    fn serde_type_names_are_said_in_plain_words() {
        assert_eq!(
            plain_type_words("invalid type: string \"x\", expected i64").en,
            "wrong type: string \"x\", expected a whole number"
        );
        assert_eq!(
            plain_type_words("invalid type: integer `3`, expected struct Repeat").en,
            "wrong type: integer `3`, expected a table"
        );
    }

    #[test]
    fn refusals_come_in_file_order_whatever_the_check_order() {
        // `release` is checked after `crisis`, but written first here.
        let text = "[release]\nmode = \"x\"\n[crisis]\npass = \"y\"\n";
        let keys: Vec<String> = parse(text, "f")
            .unwrap_err()
            .0
            .into_iter()
            .map(|r| r.key)
            .collect();
        assert_eq!(keys, ["release.mode", "crisis.pass"]);
    }
}
