//! Reports (SPEC §8): the disconnection report of a week, a month or any days, and the
//! monthly on-call statement, computed from the history in the store and the settings.
//! Front ends (the CLI, the control interface, the window) only show what is built here.
//!
//! What a report counts:
//! - **work notifications** per work source (the app's name when none): held, silenced,
//!   delivered in working time, and crises let through outside it. A notification
//!   replaced while held counts once;
//! - **off-hours interruptions**: the crises let through outside working time, with
//!   their time, app and why;
//! - **work outside your hours**: the periods of "I'm working" (`on`), with the part
//!   outside the weekly hours;
//! - **on call**: the periods of the period, scheduled (`shifts`, `rotation`), from the
//!   team's calendar (its last good copy in the store) or toggled by hand (from the
//!   history), merged where they overlap, each hour counted once.
//!
//! Scheduled and calendar periods are computed from the settings in force when the
//! report is made; hand toggles come from the history as they happened.
//!
//! The on-call statement splits each period's hours into night (21:00-06:00), Sunday
//! and public-holiday hours, by local time in the user's zone and counted as elapsed
//! time (a night across the October change lasts 10 hours). The three are independent
//! columns: a Sunday night hour counts as night and as Sunday, a holiday on a Sunday
//! counts in both; the total counts each hour once. A period across a month's edge is
//! counted in each month for its own part.

use crate::on_call::OnCallSchedule;
use crate::schedule::Schedule;
use crate::settings::{OnCallSettings, Settings};
use crate::store::{HistoryEntry, Kind, Store, StoreError};
use crate::words::Lang;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

mod hours;
mod period;
mod render;

pub use hours::{Hours, Origin};
pub use period::{Days, Format, Local, NotAMonth, Period, Query, YearMonth};
pub use render::{csv, statement_csv, statement_text, text};

/// Why a report could not be made. Display says it in English, for the logs;
/// [`ReportError::said`] in the reader's language.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The period asked for does not exist, in both languages.
    #[error("{}", .0.en)]
    Period(crate::i18n::Said),
    /// The query is not one (not JSON, or not a query), in both languages.
    #[error("{}", .0.en)]
    Query(crate::i18n::Said),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ReportError {
    /// Why, in `lang` (a store's failure in its own words).
    pub fn said(&self, lang: Lang) -> String {
        match self {
            ReportError::Period(said) | ReportError::Query(said) => said.get(lang).to_string(),
            ReportError::Store(e) => e.to_string(),
        }
    }
}

/// The work notifications of one app (or of all).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Figures {
    /// Held outside working time.
    pub held: u64,
    /// Silenced outside working time.
    pub silenced: u64,
    /// Delivered in working time.
    pub delivered: u64,
    /// Crises let through outside working time.
    pub crises: u64,
}

impl Figures {
    fn total(&self) -> u64 {
        self.held + self.silenced + self.delivered + self.crises
    }

    fn add(&mut self, kind: Kind, n: u64) {
        match kind {
            Kind::Hold => self.held += n,
            Kind::Drop => self.silenced += n,
            Kind::Deliver => self.delivered += n,
            Kind::Crisis => self.crises += n,
            _ => {}
        }
    }
}

/// One app's figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AppFigures {
    /// The work source's name (the app's when none).
    pub app: String,
    /// Its figures.
    #[serde(flatten)]
    pub figures: Figures,
}

/// A crisis let through outside working time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Interruption {
    /// When.
    pub at: Local,
    /// The work source (or app).
    pub app: String,
    /// Whether the user was on call (an intervention).
    pub on_call: bool,
    /// Why it got through, as decided, in the report's language.
    pub why: String,
}

/// A period of "I'm working" (`on`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct WorkedOutside {
    /// Start (within the report's days).
    pub start: Local,
    /// End (within the report's days).
    pub end: Local,
    /// Its length.
    pub hours: Hours,
    /// The part outside the weekly hours.
    pub outside_hours: Hours,
}

/// One on-call period, cut to the report's days.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OnCallPeriod {
    /// Start of the part counted here.
    pub start: Local,
    /// End of the part counted here.
    pub end: Local,
    /// Start of the whole period (before `start` when it began earlier).
    pub period_start: Local,
    /// End of the whole period (after `end` when it goes on).
    pub period_end: Local,
    /// Where it comes from.
    pub origins: Vec<Origin>,
    /// The part's hours, split by category.
    #[serde(flatten)]
    pub hours: hours::Split,
}

/// A quarter of an hour's work notifications, for the week chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct HourCell {
    /// The local day.
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub date: Date,
    /// The local hour (0-23).
    pub hour: i8,
    /// Held or silenced.
    pub held: u64,
    /// Delivered in working time.
    pub delivered: u64,
    /// Crises let through.
    pub crises: u64,
}

/// The disconnection report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Report {
    /// The user's zone.
    pub timezone: String,
    /// The days.
    pub days: Days,
    /// Per app, most notifications first.
    pub apps: Vec<AppFigures>,
    /// All apps.
    pub total: Figures,
    /// Crises let through outside working time.
    pub interruptions: Vec<Interruption>,
    /// The times the user chose to work outside their hours.
    pub worked_outside: Vec<WorkedOutside>,
    /// The on-call periods.
    pub on_call: Vec<OnCallPeriod>,
    /// Their hours, split by category.
    pub on_call_hours: hours::Split,
    /// Work notifications per local day and hour (non-empty cells only).
    pub by_hour: Vec<HourCell>,
}

/// The monthly on-call statement.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Statement {
    /// The user's zone.
    pub timezone: String,
    /// The month.
    pub month: YearMonth,
    /// The days.
    pub days: Days,
    /// Each on-call period, cut to the month.
    pub periods: Vec<OnCallPeriod>,
    /// Their hours.
    pub total: hours::Split,
    /// The crises let through while on call.
    pub interventions: Vec<Interruption>,
}

/// The report of `period` from `store`, with `settings`, made at `now`; what is said
/// in words (why a crisis got through) in `lang`.
pub fn build(
    settings: &Settings,
    store: &Store,
    period: Period,
    now: Timestamp,
    lang: Lang,
) -> Result<Report, ReportError> {
    let zone = &settings.timezone;
    let today = now.to_zoned_datetime(zone.clone()).date();
    let days = period.days(today, zone)?;
    let (from, to) = (days.from.timestamp(), days.to.timestamp());

    let counted = count(store, zone, from, to)?;
    let per_app = counted.per_app;
    let mut total = Figures::default();
    for figures in per_app.values() {
        total.held += figures.held;
        total.silenced += figures.silenced;
        total.delivered += figures.delivered;
        total.crises += figures.crises;
    }
    let mut apps: Vec<AppFigures> = per_app
        .into_iter()
        .map(|(app, figures)| AppFigures { app, figures })
        .collect();
    apps.sort_by(|a, b| {
        b.figures
            .total()
            .cmp(&a.figures.total())
            .then_with(|| a.app.cmp(&b.app))
    });

    let interruptions = interruptions(store, zone, from, to, false, lang)?;
    let worked_outside = worked_outside(settings, store, from, to, now)?;
    let on_call = on_call_periods(settings, store, from, to, now)?;
    let on_call_hours = hours::Split::sum(on_call.iter().map(|p| &p.hours));
    let by_hour = counted.by_hour;
    Ok(Report {
        timezone: settings.timezone_name.clone(),
        days,
        apps,
        total,
        interruptions,
        worked_outside,
        on_call,
        on_call_hours,
        by_hour,
    })
}

/// The on-call statement of `month` from `store`, with `settings`, made at `now`; what
/// is said in words in `lang`.
pub fn statement(
    settings: &Settings,
    store: &Store,
    month: Option<YearMonth>,
    now: Timestamp,
    lang: Lang,
) -> Result<Statement, ReportError> {
    let zone = &settings.timezone;
    let today = now.to_zoned_datetime(zone.clone()).date();
    let month = month.unwrap_or_else(|| YearMonth::of(today));
    let days = Period::Month(Some(month)).days(today, zone)?;
    let (from, to) = (days.from.timestamp(), days.to.timestamp());
    let periods = on_call_periods(settings, store, from, to, now)?;
    let total = hours::Split::sum(periods.iter().map(|p| &p.hours));
    Ok(Statement {
        timezone: settings.timezone_name.clone(),
        month,
        days,
        periods,
        total,
        interventions: interruptions(store, zone, from, to, true, lang)?,
    })
}

/// The crises let through outside working time in `[from, to)` (only those while on
/// call with `on_call_only`).
fn interruptions(
    store: &Store,
    zone: &TimeZone,
    from: Timestamp,
    to: Timestamp,
    on_call_only: bool,
    lang: Lang,
) -> Result<Vec<Interruption>, StoreError> {
    Ok(store
        .history_of_kind(Kind::Crisis, from, to)?
        .into_iter()
        .filter(|row| row.on_call || !on_call_only)
        .map(|row| Interruption {
            at: Local::at(row.at, zone),
            app: row.source.clone().unwrap_or_else(|| row.app.clone()),
            on_call: row.on_call,
            why: crate::engine::crisis_why(&row.reason_in(lang), lang).to_string(),
        })
        .collect())
}

/// The periods of `on` mode overlapping `[from, to)`, cut to it.
fn worked_outside(
    settings: &Settings,
    store: &Store,
    from: Timestamp,
    to: Timestamp,
    now: Timestamp,
) -> Result<Vec<WorkedOutside>, StoreError> {
    use crate::engine::Mode;
    let rows = store
        .last_of_kind_before(Kind::Mode, from)?
        .into_iter()
        .chain(store.history_of_kind(Kind::Mode, from, to)?);
    let modes: Vec<(Timestamp, Option<Mode>)> = rows
        .map(|row| (row.at, serde_json::from_str::<Mode>(&row.reason).ok()))
        .collect();
    let schedule = Schedule::new(settings);
    let zone = &settings.timezone;
    let mut out = Vec::new();
    for (i, (at, mode)) in modes.iter().enumerate() {
        let Some(Mode::On { until }) = mode else {
            continue;
        };
        let next = modes.get(i + 1).map(|(t, _)| *t);
        let end = next
            .map_or(*until, |n| n.min(*until))
            .min(to)
            .min(now.max(from));
        let start = (*at).max(from);
        if start >= end {
            continue;
        }
        let length = start.duration_until(end);
        let working = working_within(&schedule, start, end);
        out.push(WorkedOutside {
            start: Local::at(start, zone),
            end: Local::at(end, zone),
            hours: Hours(length),
            outside_hours: Hours(length - working),
        });
    }
    Ok(out)
}

/// How much of `[start, end)` is working time by the weekly hours (holidays and time
/// off included, manual modes aside).
fn working_within(schedule: &Schedule, start: Timestamp, end: Timestamp) -> SignedDuration {
    let mut total = SignedDuration::ZERO;
    let mut since = schedule.is_working(start).then_some(start);
    for change in schedule.transitions(start, end) {
        match (change.working, since) {
            (true, None) => since = Some(change.at),
            (false, Some(s)) => {
                total += s.duration_until(change.at);
                since = None;
            }
            _ => {}
        }
    }
    if let Some(s) = since {
        total += s.duration_until(end);
    }
    total
}

/// The on-call periods overlapping `[from, to)`, merged across origins and cut to it.
///
/// Each is merged whole, whatever month its parts fall in: a toggle by hand just before
/// the month that touches a rotation in it makes one period in both months' statements.
/// So the window read grows to the extent of the merged periods that overlap `[from,
/// to)` (within the schedule's horizon), until that extent no longer changes.
fn on_call_periods(
    settings: &Settings,
    store: &Store,
    from: Timestamp,
    to: Timestamp,
    now: Timestamp,
) -> Result<Vec<OnCallPeriod>, StoreError> {
    let zone = &settings.timezone;
    let horizon = SignedDuration::from_hours(24 * crate::schedule::HORIZON_DAYS);
    let floor = from.saturating_sub(horizon).unwrap_or(from);
    let ceiling = to.saturating_add(horizon).unwrap_or(to);
    let (mut lo, mut hi) = (from, to);
    let merged = loop {
        let merged = merged_periods(settings, store, lo, hi, now)?;
        let (mut grown_lo, mut grown_hi) = (lo, hi);
        for (period, _) in merged.iter().filter(|(p, _)| p.end > from && p.start < to) {
            grown_lo = grown_lo.min(period.start.max(floor));
            grown_hi = grown_hi.max(period.end.min(ceiling));
        }
        if (grown_lo, grown_hi) == (lo, hi) {
            break merged;
        }
        (lo, hi) = (grown_lo, grown_hi);
    };
    let schedule = Schedule::new(settings);
    Ok(merged
        .into_iter()
        .filter_map(|(period, origins)| {
            let start = period.start.max(from);
            let end = period.end.min(to);
            (start < end).then(|| OnCallPeriod {
                start: Local::at(start, zone),
                end: Local::at(end, zone),
                period_start: Local::at(period.start, zone),
                period_end: Local::at(period.end, zone),
                origins,
                hours: hours::Split::of(start, end, zone, |d| schedule.is_holiday(d)),
            })
        })
        .collect())
}

/// How far past a window its periods are read, so that those touching it (ending at its
/// start, starting at its end) are merged with it: the store keeps milliseconds.
const TOUCHING: SignedDuration = SignedDuration::from_secs(1);

/// The scheduled, calendar and manual periods overlapping or touching `[from, to)`, each
/// whole, merged across origins.
fn merged_periods(
    settings: &Settings,
    store: &Store,
    from: Timestamp,
    to: Timestamp,
    now: Timestamp,
) -> Result<Vec<(crate::on_call::Period, Vec<Origin>)>, StoreError> {
    let zone = &settings.timezone;
    let from = from.saturating_sub(TOUCHING).unwrap_or(from);
    let to = to.saturating_add(TOUCHING).unwrap_or(to);
    let scheduled = OnCallSchedule::new(&settings.on_call, zone, &[]).periods(from, to);
    let calendar_shifts = crate::calendar::stored_shifts(
        store,
        settings,
        from.saturating_sub(SignedDuration::from_hours(24 * 8))
            .unwrap_or(from),
        to.saturating_add(SignedDuration::from_hours(24 * 8))
            .unwrap_or(to),
    )?;
    let calendar =
        OnCallSchedule::new(&OnCallSettings::default(), zone, &calendar_shifts).periods(from, to);
    let manual = manual_periods(store, from, to, now)?;
    Ok(hours::merge(&[
        (Origin::Schedule, scheduled),
        (Origin::Calendar, calendar),
        (Origin::Manual, manual),
    ]))
}

/// The periods on call by hand overlapping `[from, to)`, from the history (whole, as
/// far as the history goes; one still on ends at `now`).
fn manual_periods(
    store: &Store,
    from: Timestamp,
    to: Timestamp,
    now: Timestamp,
) -> Result<Vec<crate::on_call::Period>, StoreError> {
    let before = store.last_of_kind_before(Kind::OnCall, from)?;
    let mut rows: Vec<HistoryEntry> = before.into_iter().collect();
    rows.extend(store.history_of_kind(Kind::OnCall, from, to)?);
    let mut out = Vec::new();
    let mut on_since: Option<Timestamp> = None;
    for row in &rows {
        match (row.on_call, on_since) {
            (true, None) => on_since = Some(row.at),
            (false, Some(start)) => {
                out.push(crate::on_call::Period { start, end: row.at });
                on_since = None;
            }
            _ => {}
        }
    }
    if let Some(start) = on_since {
        // Still on at the end of the period: it ends with the next "off", or now.
        let end = store
            .history_of_kind(Kind::OnCall, to, now.max(to))?
            .into_iter()
            .find(|row| !row.on_call)
            .map_or(now, |row| row.at);
        if end > start {
            out.push(crate::on_call::Period { start, end });
        }
    }
    out.retain(|p| p.end > from && p.start < to);
    Ok(out)
}

/// A period's work decisions, counted.
struct Counted {
    per_app: BTreeMap<String, Figures>,
    by_hour: Vec<HourCell>,
}

/// Counts the work decisions in `[from, to)` in one pass: per app and kind, each
/// notification once per kind (a replacement is the same notification); and per local
/// day and hour for the week chart.
fn count(
    store: &Store,
    zone: &TimeZone,
    from: Timestamp,
    to: Timestamp,
) -> Result<Counted, StoreError> {
    let mut apps: HashMap<String, Figures> = HashMap::new();
    let mut seen: HashSet<(u32, u8)> = HashSet::new();
    // Per UTC quarter of an hour, then turned into local hours (every zone's offset is
    // a whole number of quarters).
    let mut quarters: BTreeMap<i64, [u64; 3]> = BTreeMap::new();
    store.each_decision(from, to, |at, kind, id, app| {
        if id != 0 && !seen.insert((id, kind as u8)) {
            return;
        }
        match apps.get_mut(app) {
            Some(figures) => figures.add(kind, 1),
            None => {
                let mut figures = Figures::default();
                figures.add(kind, 1);
                apps.insert(app.to_string(), figures);
            }
        }
        let column = match kind {
            Kind::Hold | Kind::Drop => 0,
            Kind::Deliver => 1,
            _ => 2,
        };
        quarters.entry(at.as_second().div_euclid(900)).or_default()[column] += 1;
    })?;
    let mut cells: BTreeMap<(Date, i8), HourCell> = BTreeMap::new();
    for (quarter, [held, delivered, crises]) in quarters {
        let Ok(start) = Timestamp::from_second(quarter * 900) else {
            continue;
        };
        let local = start.to_zoned_datetime(zone.clone());
        let key = (local.date(), local.hour());
        let cell = cells.entry(key).or_insert_with(|| HourCell {
            date: key.0,
            hour: key.1,
            held: 0,
            delivered: 0,
            crises: 0,
        });
        cell.held += held;
        cell.delivered += delivered;
        cell.crises += crises;
    }
    Ok(Counted {
        per_app: apps.into_iter().collect(),
        by_hour: cells.into_values().collect(),
    })
}

/// Answers the control interface's `report`: the report or statement `query` asks for,
/// as JSON, text or CSV.
pub fn answer(
    settings: &Settings,
    store: &Store,
    query: &Query,
    now: Timestamp,
) -> Result<String, ReportError> {
    let lang = query
        .lang
        .unwrap_or_else(|| Lang::chosen(settings.language));
    if query.on_call {
        let month = match query.period {
            Period::Month(month) => month,
            _ => {
                return Err(ReportError::Period(crate::i18n::Said::both(|lang| {
                    crate::t!(lang, "report-statement-month")
                })))
            }
        };
        let statement = statement(settings, store, month, now, lang)?;
        return Ok(match query.format {
            Format::Json => serde_json::to_string(&statement).unwrap_or_default(),
            Format::Text => statement_text(&statement, lang),
            Format::Csv => statement_csv(&statement, lang),
        });
    }
    let report = build(settings, store, query.period, now, lang)?;
    Ok(match query.format {
        Format::Json => serde_json::to_string(&report).unwrap_or_default(),
        Format::Text => text(&report, lang),
        Format::Csv => csv(&report, lang),
    })
}
