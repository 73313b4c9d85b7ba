//! The auto-reply (SPEC §8): the text the public waiting for an answer gets, with
//! `{next}` replaced by the next start of working time in words, in the user's zone and
//! language: "mardi 26 novembre à 9 h", "Tuesday 26 November at 9:00".
//!
//! The next start is the engine's ([`Engine::next_start`]): it follows the schedule,
//! public holidays, time off and a manual "I'm off". The words say a date and a time,
//! nothing else: never why (a holiday's name, a time-off label, on call), since the
//! reader is a stranger. Relative words ("tomorrow") are left out on purpose: a reply
//! copied at 23:59 and sent at 00:01 would lie.

use crate::engine::Engine;
use crate::settings::Settings;
use crate::store::{Store, StoreError};
use crate::t;
use crate::words::{month_name, weekday_long, Lang};
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// `next` in words, seen from `now` in `zone`: "mardi 26 novembre à 9 h" /
/// "Tuesday 26 November at 9:00", with the year when it is not `now`'s.
///
/// ```
/// use couper::reply::next_in_words;
/// use couper::words::Lang;
/// let zone = jiff::tz::TimeZone::get("Europe/Paris").unwrap();
/// let now: jiff::Timestamp = "2026-11-20T18:00:00+01:00".parse().unwrap();
/// let next: jiff::Timestamp = "2026-11-24T09:30:00+01:00".parse().unwrap();
/// assert_eq!(next_in_words(next, now, &zone, Lang::Fr), "mardi 24 novembre à 9 h 30");
/// assert_eq!(next_in_words(next, now, &zone, Lang::En), "Tuesday 24 November at 9:30");
/// ```
pub fn next_in_words(next: Timestamp, now: Timestamp, zone: &TimeZone, lang: Lang) -> String {
    let then = next.to_zoned_datetime(zone.clone());
    let this_year = now.to_zoned_datetime(zone.clone()).year();
    let weekday = weekday_long(then.weekday(), lang);
    let month = month_name(then.month(), lang);
    let time = t!(
        lang,
        "reply-time",
        hour = then.hour().to_string(),
        minute = then.minute(),
        minutes = format!("{:02}", then.minute())
    );
    if then.year() == this_year {
        t!(
            lang,
            "reply-next",
            weekday = weekday,
            day = then.day(),
            month = month,
            time = time
        )
    } else {
        t!(
            lang,
            "reply-next-year",
            weekday = weekday,
            day = then.day(),
            month = month,
            year = then.year().to_string(),
            time = time
        )
    }
}

/// The auto-reply of `settings` in `lang`, `next` being the next start of working time
/// (`None`: none known, said "as soon as possible"). The settings' template says
/// `{next}` where the words go; without one, the catalogue's `reply-default`.
pub fn text(settings: &Settings, next: Option<Timestamp>, now: Timestamp, lang: Lang) -> String {
    let words = match next {
        Some(next) => next_in_words(next, now, &settings.timezone, lang),
        None => t!(lang, "reply-soon"),
    };
    let template = match lang {
        Lang::Fr => settings.auto_reply.fr.as_deref(),
        Lang::En => settings.auto_reply.en.as_deref(),
    };
    match template {
        Some(template) => template.replace("{next}", &words),
        None => t!(lang, "reply-default", next = words),
    }
}

/// The auto-reply at `now` without a running gate: the settings, and the manual mode
/// kept in `store` (read only: nothing is released or written).
pub fn without_gate(
    settings: &Settings,
    store: &Store,
    now: Timestamp,
    lang: Lang,
) -> Result<String, StoreError> {
    let engine = Engine::new(settings, store.mode()?, store.on_call()?, [], now);
    Ok(text(settings, engine.next_start(), now, lang))
}

/// The language asked for on the command line or the control interface: `fr`, `en`,
/// or empty for `otherwise` (the CLI's language: the settings', else the locale's).
/// Refused in `otherwise`.
pub fn lang(asked: &str, otherwise: Lang) -> Result<Lang, String> {
    match asked.trim().to_ascii_lowercase().as_str() {
        "" => Ok(otherwise),
        "fr" => Ok(Lang::Fr),
        "en" => Ok(Lang::En),
        other => Err(t!(
            otherwise,
            "couper-bad-lang",
            lang = format!("{other:?}")
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_of_the_month_a_full_hour_and_another_year_in_both_languages() {
        let zone = TimeZone::get("Europe/Paris").unwrap();
        let now: Timestamp = "2026-12-20T18:00:00+01:00".parse().unwrap();
        let next: Timestamp = "2027-01-01T09:00:00+01:00".parse().unwrap();
        assert_eq!(
            next_in_words(next, now, &zone, Lang::Fr),
            "vendredi 1er janvier 2027 à 9 h"
        );
        assert_eq!(
            next_in_words(next, now, &zone, Lang::En),
            "Friday 1 January 2027 at 9:00"
        );
        let settings = Settings::default();
        assert_eq!(
            text(&settings, None, now, Lang::Fr),
            "Merci pour votre message ! Nous vous répondrons dès que possible."
        );
        assert_eq!(
            text(&settings, None, now, Lang::En),
            "Thanks for your message! We will answer as soon as possible."
        );
    }
}
