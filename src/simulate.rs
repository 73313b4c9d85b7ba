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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Line {
    at: String,
    #[serde(default)]
    notify: Option<NotifyIn>,
    #[serde(default)]
    close: Option<u32>,
    #[serde(default)]
    mode: Option<String>,
    #[serde(default)]
    until: Option<String>,
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
struct NotifyIn {
    app: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    urgency: Option<String>,
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
    let mut store = Some(store);
    let mut service: Option<Service> = None;
    let mut last: Option<Timestamp> = None;
    for (index, line) in input.lines().enumerate() {
        let number = index + 1;
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let (at, event) = parse_line(&line).map_err(|reason| SimulateError::Line {
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
                write_outcomes(&outcomes, &zone, out)?;
                service.insert(s)
            }
        };
        match event {
            Input::Notify { replaces, n } => {
                let admitted = service.notify(replaces, &n, at)?;
                // Releases that became due before this notification come first.
                write_outcomes(&admitted.outcomes, &zone, out)?;
                let decision = DecisionOut {
                    at: stamp(at, &zone),
                    id: admitted.id,
                    decision: admitted.decision.action.word(),
                    until: admitted.decision.until.map(|u| stamp(u, &zone)),
                    work: admitted.work,
                    crisis: admitted.decision.crisis.is_some(),
                    reason: &admitted.reason,
                };
                writeln!(out, "{}", json(&decision))?;
            }
            Input::Close(id) => write_outcomes(&service.close(id, at)?, &zone, out)?,
            Input::Mode(request) => write_outcomes(&service.set_mode(request, at)?, &zone, out)?,
            Input::OnCall(on) => {
                let request = if on {
                    crate::engine::OnCallRequest::On
                } else {
                    crate::engine::OnCallRequest::Off
                };
                write_outcomes(&service.set_on_call(request, at)?, &zone, out)?
            }
            Input::Release(which) => write_outcomes(&service.release(&which, at)?, &zone, out)?,
        }
    }
    // The clock runs on to the last pending release.
    if let Some(service) = service.as_mut() {
        while service.status().state.held > 0 {
            let Some(next) = service.next_transition() else {
                break;
            };
            write_outcomes(&service.tick(next)?, &zone, out)?;
        }
    }
    out.flush()?;
    Ok(())
}

fn write_outcomes(
    outcomes: &[Outcome],
    zone: &TimeZone,
    out: &mut impl Write,
) -> std::io::Result<()> {
    for outcome in outcomes {
        if let Outcome::Released { at, items, .. } = outcome {
            if items.is_empty() {
                continue;
            }
            let line = ReleaseOut {
                at: stamp(*at, zone),
                released: items.iter().map(|h| h.id).collect(),
            };
            writeln!(out, "{}", json(&line))?;
        }
    }
    Ok(())
}

fn json(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// RFC 3339 with the offset of the user's zone.
fn stamp(t: Timestamp, zone: &TimeZone) -> String {
    t.to_zoned_datetime(zone.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
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
    let mut events = Vec::new();
    if let Some(n) = line.notify {
        events.push(Input::Notify {
            replaces: n.replaces.unwrap_or(0),
            n: notification(n)?,
        });
    }
    if let Some(id) = line.close {
        events.push(Input::Close(id));
    }
    if let Some(mode) = line.mode {
        events.push(Input::Mode(match mode.as_str() {
            "off" => ModeRequest::Off { until },
            "on" => ModeRequest::On { until },
            "auto" => ModeRequest::Auto,
            "toggle" => ModeRequest::Toggle,
            other => {
                return Err(format!(
                    "\"mode\": {other:?} is not one of \"off\", \"on\", \"auto\", \"toggle\""
                ))
            }
        }));
    } else if until.is_some() {
        return Err("\"until\" goes with \"mode\"".into());
    }
    if let Some(on) = line.on_call {
        events.push(Input::OnCall(on));
    }
    if let Some(release) = line.release {
        events.push(Input::Release(match release {
            ReleaseIn::All(s) if s == "all" => Which::All,
            ReleaseIn::All(s) => {
                return Err(format!(
                    "\"release\": {s:?} is neither \"all\" nor a list of ids"
                ))
            }
            ReleaseIn::Ids(ids) => Which::Ids(ids),
        }));
    }
    match events.len() {
        1 => Ok((at, events.remove(0))),
        0 => Err(
            "no event: expected one of \"notify\", \"close\", \"mode\", \"on_call\", \"release\""
                .into(),
        ),
        _ => Err("more than one event on one line".into()),
    }
}

fn notification(n: NotifyIn) -> Result<Notification, String> {
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
