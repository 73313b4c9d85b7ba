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

impl Notification {
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
