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
use crate::words::{month_name, weekday_long, Lang};
use jiff::tz::TimeZone;
use jiff::Timestamp;

/// The French template when the settings have none.
pub const DEFAULT_FR: &str = "Merci pour votre message ! Nous vous répondrons {next}.";
/// The English template when the settings have none.
pub const DEFAULT_EN: &str = "Thanks for your message! We will answer {next}.";

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
    let year = if then.year() == this_year {
        String::new()
    } else {
        format!(" {}", then.year())
    };
    let (hour, minute) = (then.hour(), then.minute());
    match lang {
        Lang::Fr => {
            let day = if then.day() == 1 {
                "1er".to_string()
            } else {
                then.day().to_string()
            };
            let time = if minute == 0 {
                format!("{hour} h")
            } else {
                format!("{hour} h {minute:02}")
            };
            format!("{weekday} {day} {month}{year} à {time}")
        }
        Lang::En => format!(
            "{weekday} {} {month}{year} at {hour}:{minute:02}",
            then.day()
        ),
    }
}

/// The auto-reply of `settings` in `lang`, `next` being the next start of working time
/// (`None`: none known, said "as soon as possible").
pub fn text(settings: &Settings, next: Option<Timestamp>, now: Timestamp, lang: Lang) -> String {
    let template = match lang {
        Lang::Fr => settings.auto_reply.fr.as_deref().unwrap_or(DEFAULT_FR),
        Lang::En => settings.auto_reply.en.as_deref().unwrap_or(DEFAULT_EN),
    };
    let words = match (next, lang) {
        (Some(next), _) => next_in_words(next, now, &settings.timezone, lang),
        (None, Lang::Fr) => "dès que possible".to_string(),
        (None, Lang::En) => "as soon as possible".to_string(),
    };
    template.replace("{next}", &words)
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
/// or empty for the user's locale.
pub fn lang(asked: &str) -> Result<Lang, String> {
    match asked.trim().to_ascii_lowercase().as_str() {
        "" => Ok(Lang::from_env()),
        "fr" => Ok(Lang::Fr),
        "en" => Ok(Lang::En),
        other => Err(format!(
            "{other:?} is not a language Couper speaks: fr or en"
        )),
    }
}
