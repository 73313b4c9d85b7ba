//! Times said in the user's language: "Wed 09:00" / "mer. 09:00". Couper speaks French
//! and English; everything it says about time is formatted here, in the user's zone.

use jiff::civil::Weekday;
use jiff::ZonedDateTime;

pub use crate::i18n::Lang;

/// The days' keys in the catalogue, Monday first.
const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// The names of the days (short and full, Monday first) and of the months (full and
/// short) in one language, read from the catalogue once: every reason says one.
struct Names {
    days_short: [String; 7],
    days: [String; 7],
    months: [String; 12],
    months_short: [String; 12],
}

static NAMES: std::sync::LazyLock<[Names; 2]> =
    std::sync::LazyLock::new(|| [Names::of(Lang::En), Names::of(Lang::Fr)]);

impl Names {
    fn of(lang: Lang) -> Names {
        let say = |id: String| crate::i18n::text(lang, &id, []);
        Names {
            days_short: DAYS.map(|d| say(format!("day-short-{d}"))),
            days: DAYS.map(|d| say(format!("day-{d}"))),
            months: std::array::from_fn(|m| say(format!("month-{}", m + 1))),
            months_short: std::array::from_fn(|m| say(format!("month-short-{}", m + 1))),
        }
    }

    fn get(lang: Lang) -> &'static Names {
        &NAMES[lang as usize]
    }
}

fn month_index(month: i8) -> usize {
    usize::try_from(month.clamp(1, 12) - 1).unwrap_or(0)
}

/// The short weekday name: "Wed" / "mer.".
pub fn weekday_short(day: Weekday, lang: Lang) -> &'static str {
    &Names::get(lang).days_short[day.to_monday_zero_offset() as usize]
}

/// The full weekday name: "Wednesday" / "mercredi".
pub fn weekday_long(day: Weekday, lang: Lang) -> &'static str {
    &Names::get(lang).days[day.to_monday_zero_offset() as usize]
}

/// The month's name: "November" / "novembre".
pub fn month_name(month: i8, lang: Lang) -> &'static str {
    &Names::get(lang).months[month_index(month)]
}

/// The month's short name: "Nov" / "nov.".
pub fn month_short(month: i8, lang: Lang) -> &'static str {
    &Names::get(lang).months_short[month_index(month)]
}

/// `then` said from `now`, short: "18:00" the same day, "Wed 09:00" within the coming
/// week, "Wed 2 Dec 09:00" further or in the past. The tray, the CLI and the window all say times so.
pub fn short(now: &ZonedDateTime, then: &ZonedDateTime, lang: Lang) -> String {
    let time = then.strftime("%H:%M").to_string();
    if then.date() == now.date() {
        return crate::t!(lang, "when-today", time = time);
    }
    let day = weekday_short(then.weekday(), lang);
    // A past day always has its date: "Mon 18:05" would read as the Monday to come.
    let within_week = then
        .date()
        .since(now.date())
        .map(|span| (1..7).contains(&span.get_days()))
        .unwrap_or(false);
    if within_week {
        crate::t!(lang, "when-this-week", day = day, time = time)
    } else {
        crate::t!(
            lang,
            "when-later",
            day = day,
            date = then.day().to_string(),
            month = month_short(then.month(), lang),
            time = time
        )
    }
}

/// The state of the day in one line, as the tray's item, the CLI's status and the
/// window's header say it: "Off until Tue 09:00", "Au travail jusqu'à 18:00".
pub fn state_line(
    working: bool,
    until: Option<&ZonedDateTime>,
    now: &ZonedDateTime,
    lang: Lang,
) -> String {
    match (working, until.map(|u| short(now, u, lang))) {
        (true, Some(until)) => crate::t!(lang, "state-working-until", until = until),
        (true, None) => crate::t!(lang, "state-working"),
        (false, Some(until)) => crate::t!(lang, "state-off-until", until = until),
        (false, None) => crate::t!(lang, "state-off"),
    }
}

/// Between the parts of a summary, as between those of the window's status line.
pub const SEPARATOR: &str = " · ";

/// The state in one line with what matters besides: "Off until Tue 09:00 · 12 held ·
/// On call". The tray's tooltip and `couper status` say it so, in these words.
pub fn summary(
    working: bool,
    until: Option<&ZonedDateTime>,
    now: &ZonedDateTime,
    held: usize,
    on_call: bool,
    lang: Lang,
) -> String {
    let mut parts = vec![state_line(working, until, now, lang)];
    if held > 0 {
        parts.push(crate::t!(lang, "state-held", count = held));
    }
    if on_call {
        parts.push(crate::t!(lang, "state-on-call"));
    }
    parts.join(SEPARATOR)
}
