//! On call from the team's calendar (SPEC §8): `[on_call] calendar` is an iCalendar file
//! or an http(s) URL; its events whose summary contains `calendar_match` are the user's
//! on-call shifts, added to `shifts` and `rotation`.
//!
//! The file is parsed by the `icalendar` crate and recurring events are expanded by the
//! `rrule` crate, in the event's own zone (`TZID`); then each occurrence becomes a
//! [`Shift`] in the user's zone, over a window around now (60 days back, 400 ahead).
//! Nothing here reads the clock: callers give `now`.
//!
//! A calendar that cannot be read, or is not an iCalendar file, never takes shifts away:
//! the last good copy is kept in the store (with the time it was read) and used until a
//! good read replaces it, and [`CalendarStatus::stale_since`] says since when the reads
//! fail. What `couper run` does after each read is [`apply`]; `couper simulate` and the
//! reports use [`stored`] and [`shifts`].
//!
//! Choices where RFC 5545 leaves room:
//! - Times without a zone (floating) and all-day dates are in the user's zone.
//! - A recurring event's length is the *nominal* length of its first occurrence: a
//!   weekly Friday 18:00 → Monday 09:00 shift ends at 09:00 every Monday, across DST
//!   changes too, as calendar apps show it.
//! - `STATUS:CANCELLED` events are not shifts; an occurrence moved by a `RECURRENCE-ID`
//!   override is replaced by the override.
//! - Without `calendar_match`, every event of the calendar is a shift (a calendar of
//!   one's own shifts). Matching ignores case and accents, like crisis keywords.
//! - An event that cannot be understood (an unknown `TZID`, a broken `RRULE`), or that
//!   repeats more than [`MAX_OCCURRENCES`] times in the window, is skipped, logged and
//!   named in [`CalendarStatus::skipped`]; the rest of the calendar is used.
//! - A recurrence is expanded over the window only, whatever its start: a rule of fixed
//!   period starts again just before the window.
//!
//! Reading, parsing and expanding happen before the Service is locked ([`prepare`]);
//! [`apply`] only swaps the shifts in. A file path is read as the settings file is
//! (`userfile.rs`): regular files only, at most 16 MiB, never blocking on a FIFO.

use crate::i18n::{Lang, Said};
use crate::service::{Outcome, Service};
use crate::settings::Shift;
use crate::store::{Store, StoreError};
use crate::t;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use std::time::Duration;

mod ics;

pub use ics::{expand_calendar, shifts, Expanded, MAX_OCCURRENCES};

/// How often a running gate reads the calendar again.
pub const REFRESH_EVERY: Duration = Duration::from_secs(3 * 3600);
/// How far back shifts are expanded, in days.
pub const WINDOW_BACK_DAYS: i64 = 60;
/// How far ahead shifts are expanded, in days.
pub const WINDOW_AHEAD_DAYS: i64 = 400;
/// How long an HTTP read may take.
const HTTP_TIMEOUT: Duration = Duration::from_secs(30);
/// The largest calendar read.
const MAX_BYTES: u64 = 16 * 1024 * 1024;
/// Where the last good copy is kept in the store.
const LAST_GOOD: &str = "calendar.last_good";
/// Where the current run of failed reads is kept in the store.
const FAILING: &str = "calendar.failing";

/// Why a calendar could not be used. Display says it in English, for the logs;
/// [`CalendarError::said`] in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// The file could not be read.
    #[error("{location}: cannot read it: {}", reason.en)]
    Read {
        /// The file or URL.
        location: String,
        /// Why, in both languages (the system's words stay its own).
        reason: Said,
    },
    /// The server answered with an error, or could not be reached.
    #[error("{location}: {}", reason.en)]
    Http {
        /// The URL.
        location: String,
        /// The status, or the transport error (in its own words).
        reason: Said,
    },
    /// What was read is not an iCalendar file.
    #[error("{location}: not an iCalendar file: {}", reason.en)]
    Invalid {
        /// The file or URL.
        location: String,
        /// Why, in both languages (the parser's words stay its own).
        reason: Said,
    },
}

impl CalendarError {
    /// `location: why`, in `lang`.
    pub fn said(&self, lang: Lang) -> String {
        match self {
            CalendarError::Read { location, reason } => t!(
                lang,
                "calendar-cannot-read",
                location = location.as_str(),
                why = reason.get(lang)
            ),
            CalendarError::Http { location, reason } => t!(
                lang,
                "calendar-http",
                location = location.as_str(),
                why = reason.get(lang)
            ),
            CalendarError::Invalid { location, reason } => t!(
                lang,
                "calendar-not-icalendar",
                location = location.as_str(),
                why = reason.get(lang)
            ),
        }
    }
}

/// Reads the calendar at `location`: an `http://` or `https://` URL, a `file://` URL or
/// a file path (`~/` is the home directory). Blocking: up to 30 s for a URL.
pub fn fetch(location: &str) -> Result<String, CalendarError> {
    let lower = location.to_ascii_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") {
        return fetch_http(location);
    }
    let path = if let Some(rest) = location.strip_prefix("file://") {
        std::path::PathBuf::from(rest)
    } else if let Some(rest) = location.strip_prefix("~/") {
        directories::BaseDirs::new()
            .map(|d| d.home_dir().join(rest))
            .unwrap_or_else(|| std::path::PathBuf::from(location))
    } else {
        std::path::PathBuf::from(location)
    };
    crate::userfile::read(&path, MAX_BYTES).map_err(|e| CalendarError::Read {
        location: location.to_string(),
        reason: Said::both(|lang| e.why.said(lang)),
    })
}

/// `location` as written in the settings file at `settings_path`: a relative file path
/// is relative to the settings file's folder; URLs and absolute paths stay as they are.
pub fn locate(location: &str, settings_path: &std::path::Path) -> String {
    let lower = location.to_ascii_lowercase();
    let is_url = ["http://", "https://", "file://"]
        .iter()
        .any(|scheme| lower.starts_with(scheme));
    if is_url || location.starts_with("~/") || std::path::Path::new(location).is_absolute() {
        return location.to_string();
    }
    match settings_path.parent() {
        Some(dir) => dir.join(location).display().to_string(),
        None => location.to_string(),
    }
}

fn fetch_http(url: &str) -> Result<String, CalendarError> {
    let http = |reason: Said| CalendarError::Http {
        location: url.to_string(),
        reason,
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(HTTP_TIMEOUT))
        .http_status_as_error(false)
        .user_agent(concat!("couper/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut response = agent
        .get(url)
        .header("Accept", "text/calendar")
        .call()
        .map_err(|e| http(Said::same(e.to_string())))?;
    let status = response.status();
    if !status.is_success() {
        let status = status.to_string();
        return Err(http(Said::both(|lang| {
            t!(lang, "calendar-server-answered", status = status.as_str())
        })));
    }
    response
        .body_mut()
        .with_config()
        .limit(MAX_BYTES)
        .read_to_string()
        .map_err(|e| http(Said::same(e.to_string())))
}

/// The window of shifts a gate keeps at `now`: 60 days back, 400 ahead.
pub fn window(now: Timestamp) -> (Timestamp, Timestamp) {
    let day = SignedDuration::from_hours(24);
    (
        now.saturating_sub(day * WINDOW_BACK_DAYS as i32)
            .unwrap_or(now),
        now.saturating_add(day * WINDOW_AHEAD_DAYS as i32)
            .unwrap_or(now),
    )
}

/// The last good copy of a calendar, as kept in the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Copy {
    /// The file or URL it was read from.
    pub location: String,
    /// When it was read.
    pub fetched_at: Timestamp,
    /// The iCalendar text.
    pub text: String,
}

/// A run of failed reads, as kept in the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Failing {
    location: String,
    since: Timestamp,
    /// Why, as [`Said::to_stored`] keeps it (a plain line from an older Couper reads as
    /// the same in both languages).
    error: String,
}

/// What `couper status` says about the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CalendarStatus {
    /// The file or URL.
    pub location: String,
    /// When the copy in use was read (`None`: no good copy yet).
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub fetched_at: Option<Timestamp>,
    /// Since when reading it fails (`None`: the last read was good).
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub stale_since: Option<Timestamp>,
    /// Why the last read failed, in the gate's language.
    pub error: Option<String>,
    /// How many shifts it gives in the window around now.
    pub shifts: usize,
    /// The events of the copy in use that were skipped, each with its reason, in the
    /// gate's language.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<String>,
}

/// The last good copy kept in `store` for `location`, if any.
pub fn stored(store: &Store, location: &str) -> Result<Option<Copy>, StoreError> {
    Ok(kept_json(store)?.and_then(|json| copy_of(&json, location)))
}

/// The last good copy as kept in `store`, not parsed yet (a copy may be 16 MiB: read it
/// under the Service's lock, parse it with [`copy_of`] outside).
pub fn kept_json(store: &Store) -> Result<Option<String>, StoreError> {
    store.state(LAST_GOOD)
}

/// The copy kept as `json` (see [`kept_json`]), if it is the copy of `location`.
pub fn copy_of(json: &str, location: &str) -> Option<Copy> {
    serde_json::from_str::<Copy>(json)
        .ok()
        .filter(|copy| copy.location == location)
}

/// Keeps `copy` in `service`'s store as the last good copy.
pub fn keep(service: &mut Service, copy: &Copy) -> Result<(), StoreError> {
    service.remember(LAST_GOOD, &serde_json::to_string(copy).unwrap_or_default())
}

/// Keeps `copy` in `store` as the last good copy (before a Service opens it:
/// `couper simulate` reads the calendar once, then replays with it).
pub fn keep_in(store: &mut Store, copy: &Copy) -> Result<(), StoreError> {
    store.set_state(LAST_GOOD, &serde_json::to_string(copy).unwrap_or_default())
}

/// The shifts of `store`'s last good copy of the calendar of `settings` over
/// `[from, to)` (for reports): none without a calendar or a good copy.
pub fn stored_shifts(
    store: &Store,
    settings: &crate::settings::Settings,
    from: Timestamp,
    to: Timestamp,
) -> Result<Vec<Shift>, StoreError> {
    let Some(location) = settings.on_call.calendar.as_deref() else {
        return Ok(Vec::new());
    };
    Ok(stored(store, location)?
        .and_then(|copy| {
            shifts(
                &copy.text,
                settings.on_call.calendar_match.as_deref(),
                &settings.timezone,
                from,
                to,
            )
            .ok()
        })
        .unwrap_or_default())
}

/// A read of the calendar, parsed and expanded around `now` before the Service is locked
/// (a large calendar takes a while): [`apply`] only swaps it in.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The file or URL the settings named when it was read.
    location: Option<String>,
    /// The read and what it gave: the copy to keep (as stored), when it was read, and its
    /// shifts. `None`: no read (at start, the last good copy only).
    read: Option<Result<(String, Timestamp, Expanded), CalendarError>>,
    /// The last good copy's shifts, for when the read failed or there was none.
    last_good: Expanded,
    /// When the last good copy was read.
    kept_at: Option<Timestamp>,
}

/// Parses and expands `read`, a read of the calendar `settings` name (`None`: no read, the
/// last good copy only), and the last good copy `kept`, over the window around `now`.
/// Pure: call it before locking the Service.
pub fn prepare(
    settings: &crate::settings::Settings,
    read: Option<Result<String, CalendarError>>,
    kept: Option<Copy>,
    now: Timestamp,
) -> Prepared {
    let location = settings.on_call.calendar.clone();
    let matching = settings.on_call.calendar_match.as_deref();
    let zone = &settings.timezone;
    let (from, to) = window(now);
    let expand = |text: &str| expand_calendar(text, matching, zone, from, to);
    let read = match (&location, read) {
        (Some(location), Some(read)) => Some(read.and_then(|text| {
            let found = expand(&text).map_err(|reason| CalendarError::Invalid {
                location: location.clone(),
                reason,
            })?;
            // Serialised here, not under the lock: a copy may be 16 MiB.
            let copy = Copy {
                location: location.clone(),
                fetched_at: now,
                text,
            };
            Ok((serde_json::to_string(&copy).unwrap_or_default(), now, found))
        })),
        _ => None,
    };
    let good_read = matches!(read, Some(Ok(_)));
    let kept = kept.filter(|copy| location.as_deref() == Some(copy.location.as_str()));
    let kept_at = kept.as_ref().map(|copy| copy.fetched_at);
    let last_good = match kept {
        Some(copy) if !good_read => expand(&copy.text).unwrap_or_default(),
        _ => Expanded::default(),
    };
    Prepared {
        location,
        read,
        last_good,
        kept_at,
    }
}

/// Applies a prepared read of the calendar to the running `service` at `now`: a good
/// read becomes the shifts and the last good copy; a failed or invalid one keeps the last
/// good copy and marks the calendar stale since the first failure. Returns the status to
/// show, and the outcomes to carry out.
///
/// A read of a location that is no longer the settings' (they changed meanwhile) is
/// ignored; without a calendar in the settings, the calendar shifts are cleared.
pub fn apply(
    service: &mut Service,
    prepared: Prepared,
    now: Timestamp,
) -> Result<(Option<CalendarStatus>, Vec<Outcome>), StoreError> {
    let Some(current) = service.engine().settings().on_call.calendar.clone() else {
        let outcomes = service.set_calendar_shifts(Vec::new());
        return Ok((None, outcomes));
    };
    if prepared.location.as_deref() != Some(current.as_str()) {
        return Ok((None, Vec::new()));
    }
    let location = current.as_str();
    let mut fetched_at = prepared.kept_at;
    let found = match prepared.read {
        Some(Ok((copy, at, found))) => {
            service.remember(LAST_GOOD, &copy)?;
            fetched_at = Some(at);
            service.remember(FAILING, "")?;
            tracing::info!("calendar {location}: {} shifts", found.shifts.len());
            found
        }
        Some(Err(error)) => {
            tracing::warn!("calendar: {error}; the last good copy stays");
            let message = Said::both(|lang| error.said(lang)).to_stored();
            let failing = failing(service.store(), location)?;
            let since = failing.map_or(now, |f| f.since);
            let record = Failing {
                location: location.to_string(),
                since,
                error: message,
            };
            service.remember(FAILING, &serde_json::to_string(&record).unwrap_or_default())?;
            prepared.last_good
        }
        None => prepared.last_good,
    };
    let failing = failing(service.store(), location)?;
    let status = CalendarStatus {
        location: location.to_string(),
        fetched_at,
        stale_since: failing.as_ref().map(|f| f.since),
        error: failing.map(|f| Said::from_stored(&f.error).get(service.lang()).to_string()),
        shifts: found.shifts.len(),
        skipped: found
            .skipped
            .iter()
            .map(|said| said.get(service.lang()).to_string())
            .collect(),
    };
    let outcomes = service.set_calendar_shifts(found.shifts);
    Ok((Some(status), outcomes))
}

/// Loads the last good copy into `service` at start, before the first read: shifts are
/// known at once, even when the calendar cannot be reached.
pub fn restore(
    service: &mut Service,
    now: Timestamp,
) -> Result<(Option<CalendarStatus>, Vec<Outcome>), StoreError> {
    let settings = service.engine().settings();
    let kept = match &settings.on_call.calendar {
        Some(location) => stored(service.store(), location)?,
        None => None,
    };
    let prepared = prepare(settings, None, kept, now);
    apply(service, prepared, now)
}

fn failing(store: &Store, location: &str) -> Result<Option<Failing>, StoreError> {
    Ok(store
        .state(FAILING)?
        .and_then(|json| serde_json::from_str::<Failing>(&json).ok())
        .filter(|f| f.location == location))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_calendar_that_cannot_be_read_is_said_in_the_gates_language() {
        let dir = tempfile::tempdir().unwrap();
        let settings = crate::settings::parse(
            "language = \"fr\"\ntimezone = \"Europe/Paris\"\n[on_call]\ncalendar = \"/dev/zero\"\n",
            "settings.toml",
        )
        .unwrap();
        let read = fetch("/dev/zero");
        let refused = read.clone().unwrap_err();
        assert_eq!(
            refused.said(Lang::Fr),
            "/dev/zero : lecture impossible : c'est un périphérique, pas un fichier ordinaire"
        );
        assert_eq!(
            refused.to_string(),
            "/dev/zero: cannot read it: it is a device, not a regular file"
        );
        let now: Timestamp = "2026-11-28T21:00:00+01:00".parse().unwrap();
        let store = Store::open(&dir.path().join("couper.sqlite3")).unwrap();
        let (mut service, _) = Service::open(&settings, store, now).unwrap();
        let prepared = prepare(&settings, Some(read), None, now);
        let (status, _) = apply(&mut service, prepared, now).unwrap();
        let status = status.unwrap();
        assert_eq!(status.stale_since, Some(now));
        assert_eq!(
            status.error.as_deref(),
            Some(
                "/dev/zero : lecture impossible : c'est un périphérique, pas un fichier ordinaire"
            )
        );
    }

    #[test]
    fn a_server_error_is_said_in_the_readers_language() {
        let refused = CalendarError::Http {
            location: "https://example.org/team.ics".into(),
            reason: Said::both(|lang| t!(lang, "calendar-server-answered", status = "404")),
        };
        assert_eq!(
            refused.said(Lang::Fr),
            "https://example.org/team.ics : le serveur a répondu 404"
        );
        assert_eq!(
            refused.to_string(),
            "https://example.org/team.ics: the server answered 404"
        );
    }
}
