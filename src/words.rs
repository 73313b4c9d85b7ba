//! Times said in the user's language: "Wed 09:00" / "mer. 09:00". Couper speaks French
//! and English; everything it says about time is formatted here, in the user's zone.

use jiff::civil::Weekday;
use jiff::ZonedDateTime;
use serde::{Deserialize, Serialize};

/// A language Couper speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// French.
    Fr,
}

impl Lang {
    /// From a locale such as `fr_FR.UTF-8` or `en-GB`: French for `fr*`, else English.
    pub fn from_locale(locale: &str) -> Lang {
        if locale.to_ascii_lowercase().starts_with("fr") {
            Lang::Fr
        } else {
            Lang::En
        }
    }

    /// From the environment (`LC_ALL`, `LC_MESSAGES`, `LANG`).
    pub fn from_env() -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty())
            .map(|v| Lang::from_locale(&v))
            .unwrap_or_default()
    }
}

/// The short weekday name: "Wed" / "mer.".
pub fn weekday_short(day: Weekday, lang: Lang) -> &'static str {
    let i = day.to_monday_zero_offset() as usize;
    match lang {
        Lang::En => ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][i],
        Lang::Fr => ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."][i],
    }
}

/// The full weekday name: "Wednesday" / "mercredi".
pub fn weekday_long(day: Weekday, lang: Lang) -> &'static str {
    let i = day.to_monday_zero_offset() as usize;
    match lang {
        Lang::En => [
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
            "Sunday",
        ][i],
        Lang::Fr => [
            "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
        ][i],
    }
}

/// The month's name: "November" / "novembre".
pub fn month_name(month: i8, lang: Lang) -> &'static str {
    let i = (month.clamp(1, 12) - 1) as usize;
    match lang {
        Lang::En => [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ][i],
        Lang::Fr => [
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ][i],
    }
}

/// `then` said from `now`, short: "18:00" the same day, "Wed 09:00" within a week,
/// "Wed 2 Dec 09:00" further.
pub fn short(now: &ZonedDateTime, then: &ZonedDateTime, lang: Lang) -> String {
    let time = then.strftime("%H:%M").to_string();
    if then.date() == now.date() {
        return time;
    }
    let day = weekday_short(then.weekday(), lang);
    let within_week = then
        .date()
        .since(now.date())
        .map(|span| span.get_days() < 7)
        .unwrap_or(false);
    if within_week {
        format!("{day} {time}")
    } else {
        let month = month_name(then.month(), lang);
        let month: String = month.chars().take(3).collect();
        format!("{day} {} {month} {time}", then.day())
    }
}
