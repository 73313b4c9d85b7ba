//! The replay (`couper simulate`, SPEC §7): JSON lines in, JSON lines out, the same
//! Service and engine as the live gate, on a virtual clock and a store of its own (a
//! temporary file, or `--history PATH` to keep it for reports).

use crate::engine::{ModeRequest, Which};
use crate::notification::{HintValue, Notification, Urgency};
use crate::service::{Outcome, Service};
use crate::settings::Settings;
use crate::store::{Store, StoreError};
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{BufRead, Write};

/// Why a replay stopped.
#[derive(Debug, thiserror::Error)]
pub enum SimulateError {
    /// An input line was refused.
    #[error("line {line}: {reason}")]
    Line {
        /// 1-based.
        line: usize,
        /// Why.
        reason: String,
    },
    /// Reading or writing failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One input line. Its short texts are borrowed from the line when they can be (no
/// escapes): a replay reads a hundred thousand.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Line<'a> {
    #[serde(borrow)]
    at: Cow<'a, str>,
    #[serde(default, borrow)]
    notify: Option<NotifyIn<'a>>,
    #[serde(default)]
    close: Option<u32>,
    #[serde(default, borrow)]
    mode: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    until: Option<Cow<'a, str>>,
    #[serde(default)]
    on_call: Option<bool>,
    #[serde(default)]
    release: Option<ReleaseIn>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum ReleaseIn {
    All(String),
    Ids(Vec<u32>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NotifyIn<'a> {
    app: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    body: String,
    #[serde(default, borrow)]
    urgency: Option<Cow<'a, str>>,
    #[serde(default)]
    hints: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    replaces: Option<u32>,
    #[serde(default)]
    actions: Vec<String>,
    #[serde(default)]
    icon: String,
}

/// One output line for a notification.
#[derive(Debug, Serialize)]
struct DecisionOut<'a> {
    at: String,
    id: u32,
    decision: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    until: Option<String>,
    work: bool,
    crisis: bool,
    reason: &'a str,
}

/// One output line for a release.
#[derive(Debug, Serialize)]
struct ReleaseOut {
    at: String,
    released: Vec<u32>,
}

enum Input {
    Notify { replaces: u32, n: Notification },
    Close(u32),
    Mode(ModeRequest),
    OnCall(bool),
    Release(Which),
}

/// Runs the replay of `input` with `settings` on `store`, writing to `out`.
pub fn run(
    settings: &Settings,
    store: Store,
    input: impl BufRead,
    out: &mut impl Write,
) -> Result<(), SimulateError> {
    let zone = settings.timezone.clone();
    // Instants of lines and releases, and the expected returns of holds, apart: each
    // mostly moves forward.
    let mut stamps = Stamper::new(&zone);
    let mut untils = Stamper::new(&zone);
    let mut store = Some(store);
    let mut service: Option<Service> = None;
    let mut last: Option<Timestamp> = None;
    let mut input = input;
    // One buffer for every line, as `lines()` would split them.
    let mut buffer = String::new();
    let mut number = 0;
    loop {
        buffer.clear();
        if input.read_line(&mut buffer)? == 0 {
            break;
        }
        number += 1;
        let line = buffer.strip_suffix('\n').unwrap_or(&buffer);
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() {
            continue;
        }
        let (at, event) = parse_line(line).map_err(|reason| SimulateError::Line {
            line: number,
            reason,
        })?;
        if let Some(previous) = last.filter(|p| at < *p) {
            return Err(SimulateError::Line {
                line: number,
                reason: format!(
                    "\"at\" {} is earlier than the line before ({}): lines must be in time order",
                    stamp(at, &zone),
                    stamp(previous, &zone)
                ),
            });
        }
        last = Some(at);
        let service = match service.as_mut() {
            Some(s) => s,
            None => {
                // The Service starts at the first line's instant.
                let Some(store) = store.take() else {
                    return Err(std::io::Error::other("the store was already taken").into());
                };
                let (mut s, outcomes) = Service::open(settings, store, at)?;
                // The team's calendar, from the copy kept in the store (SPEC §8).
                crate::calendar::restore(&mut s, at)?;
                write_outcomes(&outcomes, &mut stamps, out)?;
                service.insert(s)
            }
        };
        match event {
            Input::Notify { replaces, n } => {
                let admitted = service.notify(replaces, &n, at)?;
                // Releases that became due before this notification come first.
                write_outcomes(&admitted.outcomes, &mut stamps, out)?;
                let decision = DecisionOut {
                    at: stamps.stamp(at),
                    id: admitted.id,
                    decision: admitted.decision.action.word(),
                    until: admitted.decision.until.map(|u| untils.stamp(u)),
                    work: admitted.work,
                    crisis: admitted.decision.crisis.is_some(),
                    reason: &admitted.reason,
                };
                write_json(out, &decision)?;
            }
            Input::Close(id) => write_outcomes(&service.close(id, at)?, &mut stamps, out)?,
            Input::Mode(request) => {
                write_outcomes(&service.set_mode(request, at)?, &mut stamps, out)?
            }
            Input::OnCall(on) => {
                let request = if on {
                    crate::engine::OnCallRequest::On
                } else {
                    crate::engine::OnCallRequest::Off
                };
                write_outcomes(&service.set_on_call(request, at)?, &mut stamps, out)?
            }
            Input::Release(which) => {
                write_outcomes(&service.release(&which, at)?, &mut stamps, out)?
            }
        }
    }
    // The clock runs on to the last pending release.
    if let Some(service) = service.as_mut() {
        while service.status().state.held > 0 {
            let Some(next) = service.next_transition() else {
                break;
            };
            write_outcomes(&service.tick(next)?, &mut stamps, out)?;
        }
    }
    out.flush()?;
    Ok(())
}

fn write_outcomes(
    outcomes: &[Outcome],
    stamps: &mut Stamper,
    out: &mut impl Write,
) -> std::io::Result<()> {
    for outcome in outcomes {
        if let Outcome::Released { at, items, .. } = outcome {
            if items.is_empty() {
                continue;
            }
            let line = ReleaseOut {
                at: stamps.stamp(*at),
                released: items.iter().map(|h| h.id).collect(),
            };
            write_json(out, &line)?;
        }
    }
    Ok(())
}

/// `value` as one JSON line, written straight to `out`.
fn write_json(out: &mut impl Write, value: &impl Serialize) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

/// RFC 3339 with the offset of the user's zone.
fn stamp(t: Timestamp, zone: &TimeZone) -> String {
    t.to_zoned_datetime(zone.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// [`stamp`] for instants that mostly move forward, as a replay's do: the zone's offset
/// is kept with the stretch it holds for (up to the zone's next transition), so a line
/// asks the zone nothing until the clock reaches that transition.
struct Stamper {
    zone: TimeZone,
    /// The offset, from the first instant it was asked for up to the next transition
    /// (`None`: the zone has no later one).
    kept: Option<(Timestamp, Option<Timestamp>, jiff::tz::Offset)>,
}

impl Stamper {
    fn new(zone: &TimeZone) -> Stamper {
        Stamper {
            zone: zone.clone(),
            kept: None,
        }
    }

    fn stamp(&mut self, t: Timestamp) -> String {
        let offset = match self.kept {
            Some((from, to, offset)) if from <= t && to.is_none_or(|to| t < to) => offset,
            _ => {
                let offset = self.zone.to_offset(t);
                let next = self.zone.following(t).next().map(|tr| tr.timestamp());
                self.kept = Some((t, next, offset));
                offset
            }
        };
        let local = offset.to_datetime(t);
        let seconds = offset.seconds();
        // Written by hand where it is plainly four-digit years and whole minutes of
        // offset; anything else as `stamp` writes it.
        if !(0..=9999).contains(&local.year()) || seconds % 60 != 0 {
            return stamp(t, &self.zone);
        }
        let minutes = seconds.unsigned_abs() / 60;
        // Digits into place, not `format!` (a tenth of a replay went to its padding).
        let mut text = *b"0000-00-00T00:00:00+00:00";
        let mut put = |at: usize, width: usize, value: u32| {
            let mut value = value;
            for i in (at..at + width).rev() {
                text[i] = b'0' + (value % 10) as u8;
                value /= 10;
            }
        };
        put(0, 4, local.year().unsigned_abs().into());
        put(5, 2, local.month().unsigned_abs().into());
        put(8, 2, local.day().unsigned_abs().into());
        put(11, 2, local.hour().unsigned_abs().into());
        put(14, 2, local.minute().unsigned_abs().into());
        put(17, 2, local.second().unsigned_abs().into());
        put(20, 2, minutes / 60);
        put(23, 2, minutes % 60);
        if seconds < 0 {
            text[19] = b'-';
        }
        text.iter().map(|&b| char::from(b)).collect()
    }
}

fn parse_time(field: &str, value: &str) -> Result<Timestamp, String> {
    value.parse::<Timestamp>().map_err(|_| {
        format!("\"{field}\": {value:?} is not an RFC 3339 time with an offset (2026-11-28T21:04:00+01:00)")
    })
}

fn parse_line(text: &str) -> Result<(Timestamp, Input), String> {
    let line: Line = serde_json::from_str(text).map_err(|e| {
        let message = e.to_string();
        // serde_json appends " at line 1 column N": keep only the column.
        match message.rsplit_once(" at line ") {
            Some((head, tail)) => match tail.split_once(" column ") {
                Some((_, col)) => format!("{head} (column {col})"),
                None => head.to_string(),
            },
            None => message,
        }
    })?;
    let at = parse_time("at", &line.at)?;
    let until = line
        .until
        .as_deref()
        .map(|u| parse_time("until", u))
        .transpose()?;
    // One event a line: the first found, and a second one refused.
    let mut event: Option<Input> = None;
    let mut found = |input: Input| match event.replace(input) {
        None => Ok(()),
        Some(_) => Err("more than one event on one line".to_string()),
    };
    if let Some(n) = line.notify {
        found(Input::Notify {
            replaces: n.replaces.unwrap_or(0),
            n: notification(n)?,
        })?;
    }
    if let Some(id) = line.close {
        found(Input::Close(id))?;
    }
    if let Some(mode) = line.mode {
        found(Input::Mode(match mode.as_ref() {
            "off" => ModeRequest::Off { until },
            "on" => ModeRequest::On { until },
            "auto" => ModeRequest::Auto,
            "toggle" => ModeRequest::Toggle,
            other => {
                return Err(format!(
                    "\"mode\": {other:?} is not one of \"off\", \"on\", \"auto\", \"toggle\""
                ))
            }
        }))?;
    } else if until.is_some() {
        return Err("\"until\" goes with \"mode\"".into());
    }
    if let Some(on) = line.on_call {
        found(Input::OnCall(on))?;
    }
    if let Some(release) = line.release {
        found(Input::Release(match release {
            ReleaseIn::All(s) if s == "all" => Which::All,
            ReleaseIn::All(s) => {
                return Err(format!(
                    "\"release\": {s:?} is neither \"all\" nor a list of ids"
                ))
            }
            ReleaseIn::Ids(ids) => Which::Ids(ids),
        }))?;
    }
    match event {
        Some(event) => Ok((at, event)),
        None => Err(
            "no event: expected one of \"notify\", \"close\", \"mode\", \"on_call\", \"release\""
                .into(),
        ),
    }
}

fn notification(n: NotifyIn<'_>) -> Result<Notification, String> {
    let urgency = match n.urgency.as_deref() {
        None | Some("normal") => Urgency::Normal,
        Some("low") => Urgency::Low,
        Some("critical") => Urgency::Critical,
        Some(other) => {
            return Err(format!(
                "\"urgency\": {other:?} is not one of \"low\", \"normal\", \"critical\""
            ))
        }
    };
    let mut hints = BTreeMap::new();
    for (key, value) in n.hints {
        let hint = match value {
            serde_json::Value::String(s) => HintValue::Str(s),
            serde_json::Value::Bool(b) => HintValue::Bool(b),
            serde_json::Value::Number(num) => {
                match num.as_i64().and_then(|v| i32::try_from(v).ok()) {
                    Some(v) => HintValue::Int(v),
                    None => return Err(format!("\"hints\".{key}: {num} is not a 32-bit integer")),
                }
            }
            other => {
                return Err(format!(
                    "\"hints\".{key}: {other} is not a string, a boolean or an integer"
                ))
            }
        };
        hints.insert(key, hint);
    }
    if n.app.is_empty() {
        return Err("\"notify\".app is empty".into());
    }
    Ok(Notification {
        app: n.app,
        summary: n.summary,
        body: n.body,
        icon: n.icon,
        actions: n.actions,
        hints,
        urgency,
        expire_timeout: -1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::SignedDuration;

    #[test]
    fn kept_offsets_write_what_the_zone_says_across_both_changes_of_clocks_in_paris() {
        let paris = TimeZone::get("Europe/Paris").expect("zone");
        let mut stamper = Stamper::new(&paris);
        // Each minute (and each second near the change) from the day before to the day
        // after, forward, as a replay goes; then back and forth over the changes.
        for (from, to) in [
            ("2026-03-28T00:00:00Z", "2026-03-30T00:00:00Z"),
            ("2026-10-24T00:00:00Z", "2026-10-26T00:00:00Z"),
        ] {
            let (from, to): (Timestamp, Timestamp) =
                (from.parse().expect("time"), to.parse().expect("time"));
            let mut t = from;
            while t < to {
                assert_eq!(stamper.stamp(t), stamp(t, &paris), "{t}");
                t += SignedDuration::from_mins(1);
            }
        }
        let change: Timestamp = "2026-03-29T01:00:00Z".parse().expect("time");
        assert_eq!(stamper.stamp(change), "2026-03-29T03:00:00+02:00");
        let before = change - SignedDuration::from_secs(1);
        assert_eq!(stamper.stamp(before), "2026-03-29T01:59:59+01:00");
        let change: Timestamp = "2026-10-25T01:00:00Z".parse().expect("time");
        for t in [
            change,
            change - SignedDuration::from_secs(1),
            change + SignedDuration::from_hours(24 * 200),
            change - SignedDuration::from_hours(24 * 200),
            change,
        ] {
            assert_eq!(stamper.stamp(t), stamp(t, &paris), "{t}");
        }
        assert_eq!(stamper.stamp(change), "2026-10-25T02:00:00+01:00");
        // West of Greenwich: the offset's sign.
        let new_york = TimeZone::get("America/New_York").expect("zone");
        let mut west = Stamper::new(&new_york);
        let t: Timestamp = "2026-11-28T21:04:05Z".parse().expect("time");
        assert_eq!(west.stamp(t), "2026-11-28T16:04:05-05:00");
        assert_eq!(west.stamp(t), stamp(t, &new_york));
        // A zone without changes, an offset with seconds of the past, a far year.
        let mut utc = Stamper::new(&TimeZone::UTC);
        let t: Timestamp = "2026-11-28T21:04:00Z".parse().expect("time");
        assert_eq!(utc.stamp(t), "2026-11-28T21:04:00+00:00");
        let old: Timestamp = "1890-01-01T00:00:00Z".parse().expect("time");
        assert_eq!(stamper.stamp(old), stamp(old, &paris));
        assert_eq!(stamper.stamp(Timestamp::MAX), stamp(Timestamp::MAX, &paris));
    }
}
