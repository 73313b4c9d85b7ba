//! A notification as Couper keeps it: what an app sent through `Notify`, in plain types
//! that serialize (the held queue stores it) and that the engine reads.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The urgency hint of the freedesktop spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Urgency {
    /// 0.
    Low,
    /// 1, the default.
    #[default]
    Normal,
    /// 2.
    Critical,
}

impl Urgency {
    /// The freedesktop byte value.
    pub fn as_byte(self) -> u8 {
        match self {
            Urgency::Low => 0,
            Urgency::Normal => 1,
            Urgency::Critical => 2,
        }
    }

    /// From the freedesktop byte value (anything above 2 is critical).
    pub fn from_byte(b: u8) -> Urgency {
        match b {
            0 => Urgency::Low,
            1 => Urgency::Normal,
            _ => Urgency::Critical,
        }
    }
}

/// A hint value, in the few shapes the freedesktop spec uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HintValue {
    /// `s`
    Str(String),
    /// `b`
    Bool(bool),
    /// `y`
    Byte(u8),
    /// `i`
    Int(i32),
    /// `u`
    Uint(u32),
    /// `ay` and anything else kept as raw bytes.
    Bytes(Vec<u8>),
}

/// One notification.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Notification {
    /// `app_name`.
    pub app: String,
    /// `summary`.
    pub summary: String,
    /// `body`.
    #[serde(default)]
    pub body: String,
    /// `app_icon`.
    #[serde(default)]
    pub icon: String,
    /// `actions`, as the flat key/label list of the spec.
    #[serde(default)]
    pub actions: Vec<String>,
    /// The hints Couper keeps (urgency and image data are not among them).
    #[serde(default)]
    pub hints: BTreeMap<String, HintValue>,
    /// The urgency hint.
    #[serde(default)]
    pub urgency: Urgency,
    /// `expire_timeout` in ms; -1 the server's default.
    #[serde(default = "default_timeout")]
    pub expire_timeout: i32,
}

fn default_timeout() -> i32 {
    -1
}

/// `text` with markup tags removed and entities decoded (see
/// [`Notification::readable_body`]). A `<` that opens no tag (`a < b`, `<3`) stays.
pub fn readable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(['<', '&']) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut plain = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        let (before, from) = rest.split_at(open);
        plain.push_str(before);
        let opens_tag = from[1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
        match from.find('>') {
            Some(close) if opens_tag => rest = &from[close + 1..],
            _ => {
                plain.push('<');
                rest = &from[1..];
            }
        }
    }
    plain.push_str(rest);
    std::borrow::Cow::Owned(html_escape::decode_html_entities(&plain).into_owned())
}

/// The web browsers' app names and desktop entries (a work profile's `firefox-work` or
/// `chromium-work` begins with one).
const BROWSERS: [&str; 12] = [
    "chromium",
    "google-chrome",
    "chrome",
    "firefox",
    "brave",
    "microsoft-edge",
    "vivaldi",
    "opera",
    "epiphany",
    "librewolf",
    "floorp",
    "zen",
];

impl Notification {
    /// Whether a web browser sent it (by its app name or desktop entry). A page cannot
    /// set the urgency: the browser makes a `requireInteraction` notification critical.
    pub fn from_browser(&self) -> bool {
        self.app_names().any(|name| {
            let name = name.to_ascii_lowercase();
            BROWSERS.iter().any(|b| {
                name.strip_prefix(b)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(['-', '_', ' ']))
            })
        })
    }

    /// The names the app goes by: its `app_name`, its desktop entry (without
    /// `.desktop`) and, for a reverse-DNS entry such as `com.slack.Slack`, its last part.
    pub fn app_names(&self) -> impl Iterator<Item = &str> {
        let entry = self.desktop_entry().map(|e| e.trim_end_matches(".desktop"));
        let last = entry.and_then(|e| e.rsplit_once('.').map(|(_, last)| last));
        [Some(self.app.as_str()), entry, last].into_iter().flatten()
    }

    /// The body as the user reads it: markup tags removed (`<b>`, `<a href=…>`, as the
    /// spec's `body-markup` allows) and entities decoded (`&amp;` is `&`). Borrowed when
    /// there is neither.
    pub fn readable_body(&self) -> std::borrow::Cow<'_, str> {
        readable(&self.body)
    }

    /// The `desktop-entry` hint, if any.
    pub fn desktop_entry(&self) -> Option<&str> {
        match self.hints.get("desktop-entry") {
            Some(HintValue::Str(s)) => Some(s),
            _ => None,
        }
    }

    /// Whether the `x-couper-crisis` hint says true (a boolean, or "true"/1).
    pub fn crisis_hint(&self) -> bool {
        match self.hints.get("x-couper-crisis") {
            Some(HintValue::Bool(b)) => *b,
            Some(HintValue::Str(s)) => s.eq_ignore_ascii_case("true") || s == "1",
            Some(HintValue::Byte(b)) => *b != 0,
            Some(HintValue::Int(i)) => *i != 0,
            Some(HintValue::Uint(u)) => *u != 0,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_as_read_has_no_tags_and_no_entities_and_keeps_a_lone_less_than() {
        assert_eq!(readable("R&amp;D <b>team</b>"), "R&D team");
        assert_eq!(readable("a < b &lt;3 &#233;t&eacute;"), "a < b <3 été");
        assert!(matches!(
            readable("plain"),
            std::borrow::Cow::Borrowed("plain")
        ));
        let browser = |app: &str, entry: &str| Notification {
            app: app.into(),
            hints: [("desktop-entry".to_string(), HintValue::Str(entry.into()))].into(),
            ..Default::default()
        };
        assert!(browser("Firefox", "firefox-esr").from_browser());
        assert!(browser("Chromium", "chromium-work").from_browser());
        assert!(browser("x", "org.gnome.Epiphany").from_browser());
        assert!(!browser("Slack", "slack").from_browser());
        assert!(!browser("Chromecast helper", "chromecast").from_browser());
    }
}
