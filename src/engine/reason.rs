//! The one-line human reason carried by every decision (SPEC §2), e.g.
//! `held: Slack is a work app and Saturday 21:04 is outside your hours; delivered Monday 09:00`.
//!
//! The engine keeps the reason structured ([`Why`]) and renders it only when someone
//! reads it, so a decision costs no string formatting.

use super::{CrisisWhy, Decision};
use crate::schedule::Schedule;
use crate::settings::{Settings, TimeOffBound};
use jiff::{Timestamp, ZonedDateTime};

/// Why a decision was taken, beyond its action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// Not a work source.
    Personal {
        /// The app's name as sent.
        app: String,
    },
    /// A work app's, but for none of the accounts its sources name.
    OtherAccount {
        /// The app's name as sent.
        app: String,
    },
    /// A work source during working time.
    Working {
        /// When the user said "I'm working" until this instant.
        on_until: Option<Timestamp>,
    },
    /// A crisis let through outside working time.
    CrisisLetThrough {
        /// The user had said "I'm off".
        off_by_hand: bool,
    },
    /// Held outside working time.
    Held {
        /// A crisis that did not pass (not on call).
        blocked_crisis: bool,
        /// The user had said "I'm off".
        off_by_hand: bool,
    },
    /// Silenced outside working time.
    Silenced {
        /// A crisis that did not pass (not on call).
        blocked_crisis: bool,
        /// The user had said "I'm off".
        off_by_hand: bool,
    },
}

/// Renders the reason of `d` in the zone of `settings`.
pub(super) fn render(d: &Decision, settings: &Settings, schedule: &Schedule) -> String {
    let zone = &settings.timezone;
    let at = d.at.to_zoned_datetime(zone.clone());
    let source = d.source.as_deref().unwrap_or("");
    match &d.why {
        Why::Personal { app } => format!("delivered: {app} is not a work app"),
        Why::OtherAccount { app } => {
            format!("delivered: {app} is a work app, but not for this account")
        }
        Why::Working {
            on_until: Some(until),
        } => format!(
            "delivered: {source} is a work app and you said you are working until {}",
            short(&at, &until.to_zoned_datetime(zone.clone()))
        ),
        Why::Working { on_until: None } => format!(
            "delivered: {source} is a work app and {} is within your hours",
            day_time(&at)
        ),
        Why::CrisisLetThrough { off_by_hand } => {
            let pass = if d.on_call {
                "you are on call"
            } else {
                "crises always get through"
            };
            format!(
                "delivered as crisis: {source} sent {}; {}, and {pass}",
                crisis_words(d.crisis.as_ref()),
                outside(&at, settings, schedule, *off_by_hand)
            )
        }
        Why::Held {
            blocked_crisis,
            off_by_hand,
        } => {
            let mut line = format!(
                "held: {source} is a work app and {}",
                outside(&at, settings, schedule, *off_by_hand)
            );
            match d.until {
                Some(until) => {
                    line.push_str("; delivered ");
                    line.push_str(&short(&at, &until.to_zoned_datetime(zone.clone())));
                }
                None => line.push_str("; delivered when you are back at work"),
            }
            if *blocked_crisis {
                line.push_str(&format!(
                    " (a crisis: {}, but crises get through only on call)",
                    crisis_words(d.crisis.as_ref())
                ));
            }
            line
        }
        Why::Silenced {
            blocked_crisis,
            off_by_hand,
        } => {
            let mut line = format!(
                "silenced: {source} is silenced outside your hours and {}",
                outside(&at, settings, schedule, *off_by_hand)
            );
            if *blocked_crisis {
                line.push_str(&format!(
                    " (a crisis: {}, but crises get through only on call)",
                    crisis_words(d.crisis.as_ref())
                ));
            }
            line
        }
    }
}

/// "Saturday 21:04 is outside your hours", or the more precise cause.
fn outside(
    at: &ZonedDateTime,
    settings: &Settings,
    schedule: &Schedule,
    off_by_hand: bool,
) -> String {
    if off_by_hand {
        return format!("you said you are off ({})", day_time(at));
    }
    if let Some(label) = time_off_label(settings, at) {
        return match label {
            Some(label) => format!("{} is time off ({label})", day_time(at)),
            None => format!("{} is time off", day_time(at)),
        };
    }
    if schedule.is_holiday(schedule.work_day(at.timestamp())) {
        return format!("{} is a public holiday", long_day(at));
    }
    format!("{} is outside your hours", day_time(at))
}

/// `Some(label)` when `at` falls in a time-off period.
fn time_off_label(settings: &Settings, at: &ZonedDateTime) -> Option<Option<String>> {
    let date = at.date();
    let local = at.datetime();
    settings.time_off.iter().find_map(|off| {
        let after_start = match off.start {
            TimeOffBound::Date(d) => date >= d,
            TimeOffBound::DateTime(dt) => local >= dt,
        };
        let before_end = match off.end {
            TimeOffBound::Date(d) => date <= d,
            TimeOffBound::DateTime(dt) => local < dt,
        };
        (after_start && before_end).then(|| off.label.clone())
    })
}

fn crisis_words(why: Option<&CrisisWhy>) -> String {
    match why {
        Some(CrisisWhy::Hint) => "an alert marked as crisis".into(),
        Some(CrisisWhy::Critical) => "a critical notification".into(),
        Some(CrisisWhy::Keyword(k)) => format!("the crisis keyword \"{k}\""),
        Some(CrisisWhy::Sender(s)) => format!("a message from {s}"),
        Some(CrisisWhy::Repeat { count, minutes }) => {
            format!("{count} notifications from the same sender within {minutes} minutes")
        }
        None => "a notification".into(),
    }
}

/// "Saturday 21:04".
pub(crate) fn day_time(at: &ZonedDateTime) -> String {
    at.strftime("%A %H:%M").to_string()
}

/// "Monday 14 July".
fn long_day(at: &ZonedDateTime) -> String {
    at.strftime("%A %-d %B").to_string()
}

/// `then` said from `now`: "18:00" the same day, "Monday 09:00" within a week,
/// "Monday 4 January 09:00" further.
pub(crate) fn short(now: &ZonedDateTime, then: &ZonedDateTime) -> String {
    if then.date() == now.date() {
        then.strftime("%H:%M").to_string()
    } else if then.date() < now.date().saturating_add(jiff::Span::new().days(6)) {
        then.strftime("%A %H:%M").to_string()
    } else {
        then.strftime("%A %-d %B %H:%M").to_string()
    }
}
