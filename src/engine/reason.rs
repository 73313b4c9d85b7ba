//! The one-line human reason carried by every decision (SPEC §2), e.g.
//! `held: Slack is a work app and Saturday 21:04 is outside your hours; delivered Monday 09:00`.
//!
//! The engine keeps the reason structured ([`Why`]) and renders it only when someone
//! reads it, so a decision costs no string formatting.

use super::{CrisisWhy, Decision};
use crate::schedule::Schedule;
use crate::settings::{Settings, TimeOffBound};
use crate::t;
use crate::words::{month_name, weekday_long, Lang};
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
    /// A work app's, but its sources name sites and `site` is none of them.
    OtherSite {
        /// The app's name as sent.
        app: String,
        /// The site the browser named, if it named one.
        site: Option<String>,
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

/// Renders the reason of `d` in the zone of `settings`, in `lang`.
pub(super) fn render(
    d: &Decision,
    settings: &Settings,
    schedule: &Schedule,
    lang: Lang,
    phrases: &mut Phrases,
) -> String {
    let zone = &settings.timezone;
    let at = d.at.to_zoned_datetime(zone.clone());
    let source = d.source.as_deref().unwrap_or("");
    // A work site's decision names the site: "held: www.linkedin.com is a work site…".
    let site = d.site.as_deref();
    match &d.why {
        Why::Personal { app } => t!(lang, "reason-personal", app = app.as_str()),
        Why::OtherAccount { app } => t!(lang, "reason-other-account", app = app.as_str()),
        Why::OtherSite {
            app,
            site: Some(site),
        } => t!(
            lang,
            "reason-other-site",
            app = app.as_str(),
            site = site.as_str()
        ),
        Why::OtherSite { app, site: None } => t!(lang, "reason-no-site", app = app.as_str()),
        Why::Working {
            on_until: Some(until),
        } => {
            let until = phrases.short(&at, &until.to_zoned_datetime(zone.clone()), lang);
            match site {
                Some(site) => t!(
                    lang,
                    "reason-working-until-site",
                    site = site,
                    source = source,
                    until = until
                ),
                None => t!(lang, "reason-working-until", source = source, until = until),
            }
        }
        Why::Working { on_until: None } => match site {
            Some(site) => t!(
                lang,
                "reason-working-site",
                site = site,
                source = source,
                when = phrases.day_time(&at, lang)
            ),
            None => t!(
                lang,
                "reason-working",
                source = source,
                when = phrases.day_time(&at, lang)
            ),
        },
        Why::CrisisLetThrough { off_by_hand } => {
            let pass = if d.on_call {
                t!(lang, "reason-pass-on-call")
            } else {
                t!(lang, "reason-pass-always")
            };
            let crisis = crisis_words(d.crisis.as_ref(), lang);
            let outside = outside(&at, settings, schedule, *off_by_hand, lang, phrases);
            let rest = match site {
                Some(site) => t!(
                    lang,
                    "reason-crisis-why-site",
                    site = site,
                    source = source,
                    crisis = crisis,
                    outside = outside,
                    pass = pass
                ),
                None => t!(
                    lang,
                    "reason-crisis-why",
                    source = source,
                    crisis = crisis,
                    outside = outside,
                    pass = pass
                ),
            };
            t!(lang, "reason-crisis", rest = rest)
        }
        Why::Held {
            blocked_crisis,
            off_by_hand,
        } => {
            let outside = outside(&at, settings, schedule, *off_by_hand, lang, phrases);
            let when = d
                .until
                .map(|until| phrases.short(&at, &until.to_zoned_datetime(zone.clone()), lang));
            let line = match (when, site) {
                (Some(when), Some(site)) => t!(
                    lang,
                    "reason-held-site",
                    site = site,
                    source = source,
                    outside = outside,
                    when = when
                ),
                (Some(when), None) => t!(
                    lang,
                    "reason-held",
                    source = source,
                    outside = outside,
                    when = when
                ),
                (None, Some(site)) => t!(
                    lang,
                    "reason-held-until-back-site",
                    site = site,
                    source = source,
                    outside = outside
                ),
                (None, None) => t!(
                    lang,
                    "reason-held-until-back",
                    source = source,
                    outside = outside
                ),
            };
            blocked(line, *blocked_crisis, d, lang)
        }
        Why::Silenced {
            blocked_crisis,
            off_by_hand,
        } => {
            let outside = outside(&at, settings, schedule, *off_by_hand, lang, phrases);
            let line = match site {
                Some(site) => t!(
                    lang,
                    "reason-silenced-site",
                    site = site,
                    source = source,
                    outside = outside
                ),
                None => t!(lang, "reason-silenced", source = source, outside = outside),
            };
            blocked(line, *blocked_crisis, d, lang)
        }
    }
}

/// What a crisis let through says after "delivered as crisis: " (the report's
/// interruptions): `reason` without that start, in `lang`.
pub fn crisis_why(reason: &str, lang: Lang) -> &str {
    let start = t!(lang, "reason-crisis", rest = "");
    reason.strip_prefix(start.as_str()).unwrap_or(reason)
}

/// `line`, and why a crisis did not pass when it did not.
fn blocked(line: String, blocked_crisis: bool, d: &Decision, lang: Lang) -> String {
    if !blocked_crisis {
        return line;
    }
    t!(
        lang,
        "reason-blocked-crisis",
        line = line,
        crisis = crisis_words(d.crisis.as_ref(), lang)
    )
}

/// "Saturday 21:04 is outside your hours", or the more precise cause.
fn outside(
    at: &ZonedDateTime,
    settings: &Settings,
    schedule: &Schedule,
    off_by_hand: bool,
    lang: Lang,
    phrases: &mut Phrases,
) -> String {
    if off_by_hand {
        return t!(
            lang,
            "reason-off-by-hand",
            when = phrases.day_time(at, lang)
        );
    }
    if let Some(label) = time_off_label(settings, at) {
        return match label {
            Some(label) => t!(
                lang,
                "reason-time-off-label",
                when = phrases.day_time(at, lang),
                label = label
            ),
            None => t!(lang, "reason-time-off", when = phrases.day_time(at, lang)),
        };
    }
    if schedule.is_holiday(schedule.work_day(at.timestamp())) {
        return t!(lang, "reason-holiday", day = long_day(at, lang));
    }
    t!(
        lang,
        "reason-outside-hours",
        when = phrases.day_time(at, lang)
    )
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

fn crisis_words(why: Option<&CrisisWhy>, lang: Lang) -> String {
    match why {
        Some(CrisisWhy::Hint) => t!(lang, "crisis-hint"),
        Some(CrisisWhy::Critical) => t!(lang, "why-crisis-critical"),
        Some(CrisisWhy::Keyword(k)) => t!(lang, "why-crisis-keyword", keyword = k.as_str()),
        Some(CrisisWhy::Sender(s)) => t!(
            lang,
            "why-crisis-sender",
            sender = s.as_str(),
            vowel = if starts_with_vowel(s) { "yes" } else { "no" }
        ),
        Some(CrisisWhy::Repeat { count, minutes }) => t!(
            lang,
            "why-crisis-repeat",
            count = count.to_string(),
            minutes = minutes.to_string()
        ),
        None => t!(lang, "crisis-none"),
    }
}

/// Whether `name` starts with a vowel sound French elides before: "d'Alexandre".
fn starts_with_vowel(name: &str) -> bool {
    name.chars().next().is_some_and(|c| {
        c.to_lowercase()
            .next()
            .is_some_and(|c| "aeiouyàâäéèêëîïôöùûüœæ".contains(c))
    })
}

/// "Saturday 21:04" / "samedi 21:04".
/// The time phrases said last, by what they are made of: a run of notifications (a
/// replay's, a busy evening's) says the same minute, and the same return to work, many
/// times in a row. Each is the very text [`day_time`] and [`short`] give.
#[derive(Debug, Clone, Default)]
pub(super) struct Phrases {
    day_time: Option<((jiff::civil::Weekday, i8, i8, Lang), String)>,
    short: Option<((jiff::civil::Date, jiff::civil::DateTime, Lang), String)>,
}

impl Phrases {
    fn day_time(&mut self, at: &ZonedDateTime, lang: Lang) -> String {
        let key = (at.weekday(), at.hour(), at.minute(), lang);
        match &self.day_time {
            Some((kept, said)) if *kept == key => said.clone(),
            _ => {
                let said = day_time(at, lang);
                self.day_time = Some((key, said.clone()));
                said
            }
        }
    }

    fn short(&mut self, now: &ZonedDateTime, then: &ZonedDateTime, lang: Lang) -> String {
        let key = (now.date(), then.datetime(), lang);
        match &self.short {
            Some((kept, said)) if *kept == key => said.clone(),
            _ => {
                let said = short(now, then, lang);
                self.short = Some((key, said.clone()));
                said
            }
        }
    }
}

pub(crate) fn day_time(at: &ZonedDateTime, lang: Lang) -> String {
    t!(
        lang,
        "reason-day-time",
        day = weekday_long(at.weekday(), lang),
        time = hour_minute(at)
    )
}

/// "21:04": `strftime("%H:%M")`, written directly (every stored reason has one or two).
fn hour_minute(at: &ZonedDateTime) -> String {
    format!("{:02}:{:02}", at.hour(), at.minute())
}

/// "Monday 14 July" / "lundi 14 juillet".
fn long_day(at: &ZonedDateTime, lang: Lang) -> String {
    t!(
        lang,
        "reason-long-day",
        day = weekday_long(at.weekday(), lang),
        date = at.day().to_string(),
        month = month_name(at.month(), lang)
    )
}

/// `then` said from `now`: "18:00" the same day, "Monday 09:00" within a week,
/// "Monday 4 January 09:00" further.
pub(crate) fn short(now: &ZonedDateTime, then: &ZonedDateTime, lang: Lang) -> String {
    let time = hour_minute(then);
    if then.date() == now.date() {
        time
    } else if then.date() < now.date().saturating_add(jiff::Span::new().days(6)) {
        t!(
            lang,
            "reason-day-time",
            day = weekday_long(then.weekday(), lang),
            time = time
        )
    } else {
        t!(
            lang,
            "reason-when-later",
            day = weekday_long(then.weekday(), lang),
            date = then.day().to_string(),
            month = month_name(then.month(), lang),
            time = time
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::SignedDuration;

    #[test]
    fn the_kept_time_phrases_are_the_ones_said_afresh() {
        let zone = jiff::tz::TimeZone::get("Europe/Paris").expect("zone");
        let start: Timestamp = "2026-10-24T21:59:30Z".parse().expect("time");
        let mut phrases = Phrases::default();
        let mut said = std::collections::BTreeSet::new();
        // Steps of 20 s to 7 days, across the change of clocks, the languages in turn,
        // returns the same day, within the week and later.
        for i in 0..400i64 {
            let now =
                (start + SignedDuration::from_secs(i * i * 20)).to_zoned_datetime(zone.clone());
            let then =
                (start + SignedDuration::from_hours(i % 9 * 20)).to_zoned_datetime(zone.clone());
            for lang in [Lang::Fr, Lang::En, Lang::En] {
                let day_time_said = phrases.day_time(&now, lang);
                assert_eq!(day_time_said, day_time(&now, lang), "{now} {lang:?}");
                let short_said = phrases.short(&now, &then, lang);
                assert_eq!(
                    short_said,
                    short(&now, &then, lang),
                    "{now} {then} {lang:?}"
                );
                said.insert(day_time_said);
                said.insert(short_said);
            }
        }
        assert!(said.len() > 400, "{} phrases only", said.len());
    }
}
