//! Working time: the weekly hours, minus public holidays and time off, in the user's
//! zone. Answers `is_working(t)`, `next_start(t)`, `next_end(t)`, the work day of an
//! instant and the transitions between two instants, correct across DST (SPEC §3).
//! Manual modes are not here: the engine layers them on top.

use crate::settings::Settings;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// How far ahead the schedule looks for a start or an end before saying "none".
pub const HORIZON_DAYS: i64 = 400;

/// A change of working state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    /// When it happens.
    pub at: Timestamp,
    /// Working from `at` on.
    pub working: bool,
}

/// The compiled schedule.
#[derive(Debug, Clone)]
pub struct Schedule {
    zone: TimeZone,
}

impl Schedule {
    /// Compiles the schedule part of `settings`.
    pub fn new(settings: &Settings) -> Schedule {
        Schedule {
            zone: settings.timezone.clone(),
        }
    }

    /// The user's zone.
    pub fn zone(&self) -> &TimeZone {
        &self.zone
    }

    /// Whether `t` is working time.
    pub fn is_working(&self, t: Timestamp) -> bool {
        let _ = t;
        false
    }

    /// The first instant strictly after `t` at which working time starts, within
    /// [`HORIZON_DAYS`].
    pub fn next_start(&self, t: Timestamp) -> Option<Timestamp> {
        let _ = t;
        None
    }

    /// The first instant strictly after `t` at which working time ends, within
    /// [`HORIZON_DAYS`].
    pub fn next_end(&self, t: Timestamp) -> Option<Timestamp> {
        let _ = t;
        None
    }

    /// The work day of `t`: the day its working period started on, or its calendar day.
    pub fn work_day(&self, t: Timestamp) -> Date {
        t.to_zoned_datetime(self.zone.clone()).date()
    }

    /// Every transition in `(from, to]`, in order.
    pub fn transitions(&self, from: Timestamp, to: Timestamp) -> Vec<Transition> {
        let _ = (from, to);
        Vec::new()
    }

    /// Whether `date` is a public holiday (built-in calendar or extra date).
    pub fn is_holiday(&self, date: Date) -> bool {
        let _ = date;
        false
    }
}
