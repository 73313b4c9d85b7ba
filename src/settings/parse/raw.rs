//! Stage one: the file as TOML gives it, before any value is checked.
//!
//! Unknown keys are refused everywhere (`deny_unknown_fields`), so a typo never passes
//! silently. Values that stage two checks keep their span, so its refusals name the
//! right line; a missing table or key is its default, so older files keep loading.

use serde::Deserialize;
use toml::Spanned;

/// A list of strings, each with its place in the file.
pub(super) type SpannedStrings = Vec<Spanned<String>>;

/// The whole file.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct Settings {
    pub timezone: Option<Spanned<String>>,
    pub language: Option<Spanned<String>>,
    pub holidays: Option<Spanned<String>>,
    pub extra_holidays: Vec<Spanned<toml::Value>>,
    /// `None` when the file has no `[hours]` table at all (office hours then).
    pub hours: Option<Hours>,
    pub time_off: Vec<TimeOff>,
    pub work_apps: Vec<WorkApp>,
    pub crisis: Crisis,
    pub on_call: OnCall,
    pub auto_reply: AutoReply,
    pub release: Release,
    pub display: Display,
}

/// `[hours]`: a missing day is a day off.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct Hours {
    pub mon: SpannedStrings,
    pub tue: SpannedStrings,
    pub wed: SpannedStrings,
    pub thu: SpannedStrings,
    pub fri: SpannedStrings,
    pub sat: SpannedStrings,
    pub sun: SpannedStrings,
}

impl Hours {
    /// The days, Monday first.
    pub fn days(&self) -> [&SpannedStrings; 7] {
        [
            &self.mon, &self.tue, &self.wed, &self.thu, &self.fri, &self.sat, &self.sun,
        ]
    }
}

/// One `[[time_off]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct TimeOff {
    pub start: Spanned<toml::Value>,
    pub end: Spanned<toml::Value>,
    pub label: Option<String>,
}

/// One `[[work_apps]]`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct WorkApp {
    pub name: Spanned<String>,
    pub app: Spanned<String>,
    pub account: Option<Spanned<String>>,
    #[serde(default)]
    pub sites: SpannedStrings,
    pub off_hours: Option<Spanned<String>>,
}

/// `[crisis]`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct Crisis {
    pub pass: Option<Spanned<String>>,
    pub critical_urgency: Option<bool>,
    pub keywords: SpannedStrings,
    pub senders: SpannedStrings,
    pub repeat: Option<Spanned<Repeat>>,
}

/// `crisis.repeat`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Repeat {
    pub count: Spanned<i64>,
    pub minutes: Spanned<i64>,
}

/// `[on_call]`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct OnCall {
    pub shifts: Vec<Spanned<Shift>>,
    pub rotation: Option<Spanned<Rotation>>,
    pub calendar: Option<Spanned<String>>,
    pub calendar_match: Option<Spanned<String>>,
}

/// One of `on_call.shifts`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Shift {
    pub start: Spanned<toml::Value>,
    pub end: Spanned<toml::Value>,
}

/// `on_call.rotation`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct Rotation {
    pub first: Spanned<toml::Value>,
    /// One week when left out.
    pub every_weeks: Option<Spanned<i64>>,
    pub start: Spanned<String>,
    pub end: Spanned<String>,
}

/// `[auto_reply]`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct AutoReply {
    pub fr: Option<String>,
    pub en: Option<String>,
}

/// `[release]`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct Release {
    pub mode: Option<Spanned<String>>,
}

/// `[display]`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct Display {
    pub command: Option<Spanned<Vec<String>>>,
}
