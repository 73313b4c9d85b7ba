//! Scheduled on call (*astreinte*): explicit shifts and a rotation, in the user's zone.
//! The manual toggle is layered on top by the engine; calendar shifts (SPEC §8) are added
//! as extra shifts.

use crate::settings::{OnCallSettings, Shift};
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// One on-call period as instants, half-open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Period {
    /// Start (inclusive).
    pub start: Timestamp,
    /// End (exclusive).
    pub end: Timestamp,
}

/// The compiled on-call schedule.
#[derive(Debug, Clone)]
pub struct OnCallSchedule {
    zone: TimeZone,
}

impl OnCallSchedule {
    /// Compiles `settings` in `zone`, with `extra` shifts (from a calendar).
    pub fn new(settings: &OnCallSettings, zone: &TimeZone, extra: &[Shift]) -> OnCallSchedule {
        let _ = (settings, extra);
        OnCallSchedule { zone: zone.clone() }
    }

    /// Whether `t` is inside a scheduled on-call period.
    pub fn is_on_call(&self, t: Timestamp) -> bool {
        let _ = (t, &self.zone);
        false
    }

    /// The next instant strictly after `t` at which being on call starts or ends.
    pub fn next_change(&self, t: Timestamp) -> Option<Timestamp> {
        let _ = t;
        None
    }

    /// The merged periods that overlap `[from, to)`, in order.
    pub fn periods(&self, from: Timestamp, to: Timestamp) -> Vec<Period> {
        let _ = (from, to);
        Vec::new()
    }
}
