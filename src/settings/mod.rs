//! The user's settings, as typed values.
//!
//! `settings.toml` belongs to the user: it is parsed in two stages (raw TOML, then
//! these validated types, see `parse.rs`), every refusal names the file, the line, the
//! key and the reason, and the app saves it back through `toml_edit` so the user's
//! comments and key order survive (`save.rs`). Everything here is plain data: the
//! schedule, the matchers and the engine compile it into what they need.

pub mod form;
mod parse;
mod save;

pub use parse::{parse, Refusal, Refusals};
pub use save::{atomic_write, save, to_toml};

use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::TimeZone;
use std::path::{Path, PathBuf};

/// Validated settings. Built by [`parse`] or [`Settings::default`].
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The IANA name of the user's zone, as written (or the system's).
    pub timezone_name: String,
    /// The zone itself; all schedule arithmetic happens in it.
    pub timezone: TimeZone,
    /// The built-in public-holiday calendar, if any.
    pub holidays: Option<HolidayCalendar>,
    /// Extra days off that count as public holidays.
    pub extra_holidays: Vec<Date>,
    /// The weekly hours.
    pub hours: WeeklyHours,
    /// Time off: no working time inside.
    pub time_off: Vec<TimeOff>,
    /// The work sources, in file order (the first match wins).
    pub work_apps: Vec<WorkApp>,
    /// What counts as a crisis, and who it reaches.
    pub crisis: CrisisSettings,
    /// Scheduled on-call periods.
    pub on_call: OnCallSettings,
    /// Auto-reply templates (section 8).
    pub auto_reply: AutoReply,
    /// How held notifications come back.
    pub release: ReleaseSettings,
    /// The display daemon Couper draws through on Linux.
    pub display: DisplaySettings,
    /// The language Couper speaks (`language = "fr"`), over the locale's; `None`: the
    /// locale's (`LC_ALL`, `LC_MESSAGES`, `LANG`).
    pub language: Option<crate::words::Lang>,
}

/// A built-in public-holiday calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HolidayCalendar {
    /// Metropolitan France: 1 Jan, Easter Monday, 1 May, 8 May, Ascension, Whit Monday,
    /// 14 Jul, 15 Aug, 1 Nov, 11 Nov, 25 Dec.
    France,
}

/// One range of a day, in minutes from that day's midnight, half-open.
///
/// `end <= start` means the range crosses midnight and ends on the next day
/// (`22:00-06:00` is `start = 1320, end = 360`). `end == 1440` is `24:00`.
/// `start == end` never happens (refused when parsing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DayRange {
    /// Minutes from midnight, 0..1440.
    pub start: u16,
    /// Minutes from midnight, 1..=1440.
    pub end: u16,
}

impl DayRange {
    /// Whether the range ends on the next calendar day.
    pub fn crosses_midnight(&self) -> bool {
        self.end <= self.start
    }

    /// Length in minutes (a range across midnight counts into the next day).
    pub fn minutes(&self) -> u32 {
        if self.crosses_midnight() {
            1440 - u32::from(self.start) + u32::from(self.end)
        } else {
            u32::from(self.end - self.start)
        }
    }
}

impl std::fmt::Display for DayRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:02}:{:02}-{:02}:{:02}",
            self.start / 60,
            self.start % 60,
            self.end / 60,
            self.end % 60
        )
    }
}

/// The weekly hours: for each weekday, Monday first, its ranges as written.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WeeklyHours {
    /// Index 0 is Monday, 6 is Sunday.
    pub days: [Vec<DayRange>; 7],
}

impl WeeklyHours {
    /// The ranges written for `weekday`.
    pub fn day(&self, weekday: Weekday) -> &[DayRange] {
        &self.days[weekday.to_monday_zero_offset() as usize]
    }

    /// Monday to Friday, 09:00-18:00: the hours when the file has no `[hours]` table.
    pub fn office() -> WeeklyHours {
        let day = vec![DayRange {
            start: 9 * 60,
            end: 18 * 60,
        }];
        WeeklyHours {
            days: [
                day.clone(),
                day.clone(),
                day.clone(),
                day.clone(),
                day,
                Vec::new(),
                Vec::new(),
            ],
        }
    }
}

/// One end of a time-off period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeOffBound {
    /// A whole day (inclusive at both ends).
    Date(Date),
    /// An exact local time.
    DateTime(DateTime),
}

/// A period with no working time (holidays, sick leave...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeOff {
    /// First day (inclusive) or first instant (inclusive).
    pub start: TimeOffBound,
    /// Last day (inclusive) or end instant (exclusive).
    pub end: TimeOffBound,
    /// The user's label, e.g. "Noël".
    pub label: Option<String>,
}

/// What happens to a work source's notifications outside working time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OffHours {
    /// Keep it and deliver it at the next start of working time.
    #[default]
    Hold,
    /// Do not show it; keep it in the history only.
    Drop,
}

/// A work source: an app, optionally narrowed to an account or to sites.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkApp {
    /// The user's name for it ("Gmail (work account)").
    pub name: String,
    /// The `app_name` or `desktop-entry` it matches, case-insensitive.
    pub app: String,
    /// Text that must appear in the summary or body.
    pub account: Option<String>,
    /// For a browser: the sites (hosts, lowercase) it is work for, subdomains included;
    /// empty for every site.
    pub sites: Vec<String>,
    /// Hold or drop off hours.
    pub off_hours: OffHours,
}

/// Whether crises get through always or only on call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CrisisPass {
    /// Always let crises through.
    #[default]
    Always,
    /// Only while on call.
    OnCall,
}

/// The repeat-sender rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Repeat {
    /// How many notifications from the same sender...
    pub count: u32,
    /// ...within how many minutes.
    pub minutes: u32,
}

/// Section 4 of the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrisisSettings {
    /// Always or only on call.
    pub pass: CrisisPass,
    /// Critical urgency makes a crisis.
    pub critical_urgency: bool,
    /// Whole words or phrases, case- and accent-insensitive.
    pub keywords: Vec<String>,
    /// Summaries naming one of these are crises.
    pub senders: Vec<String>,
    /// The repeat-sender rule, if any.
    pub repeat: Option<Repeat>,
}

impl Default for CrisisSettings {
    fn default() -> Self {
        CrisisSettings {
            pass: CrisisPass::Always,
            critical_urgency: true,
            keywords: Vec::new(),
            senders: Vec::new(),
            repeat: None,
        }
    }
}

/// A time in the week: "fri 18:00".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekTime {
    /// The day.
    pub weekday: Weekday,
    /// The local time on that day.
    pub time: Time,
}

/// One explicit on-call shift, in local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shift {
    /// Start (inclusive).
    pub start: DateTime,
    /// End (exclusive).
    pub end: DateTime,
}

/// A rotation: every `every_weeks` weeks from the week of `first`, from `start` to the
/// next `end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rotation {
    /// A day of the first period's starting week; the first period starts on the first
    /// `start.weekday` on or after it.
    pub first: Date,
    /// Period of the rotation, in weeks (>= 1).
    pub every_weeks: u32,
    /// When each period starts.
    pub start: WeekTime,
    /// When it ends (the first such time after the start).
    pub end: WeekTime,
}

/// Scheduled on call.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OnCallSettings {
    /// Explicit shifts.
    pub shifts: Vec<Shift>,
    /// A rotation.
    pub rotation: Option<Rotation>,
    /// An iCalendar file or URL (section 8).
    pub calendar: Option<String>,
    /// Events whose summary contains this are the user's shifts.
    pub calendar_match: Option<String>,
}

/// Auto-reply templates; `{next}` is the next start of work in words.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AutoReply {
    /// French template.
    pub fr: Option<String>,
    /// English template.
    pub en: Option<String>,
}

/// How held notifications come back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReleaseMode {
    /// One summary notification and the list in the app.
    #[default]
    Digest,
    /// Each one again, oldest first, at a bounded rate.
    Replay,
}

/// `[release]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReleaseSettings {
    /// Digest or replay.
    pub mode: ReleaseMode,
}

/// `[display]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DisplaySettings {
    /// The display daemon's command line; `None`: found from D-Bus activation files.
    pub command: Option<Vec<String>>,
}

impl Default for Settings {
    /// What a missing file means: the system's zone, office hours, no work apps.
    fn default() -> Self {
        let timezone = TimeZone::system();
        Settings {
            timezone_name: timezone.iana_name().unwrap_or("UTC").to_string(),
            timezone,
            holidays: None,
            extra_holidays: Vec::new(),
            hours: WeeklyHours::office(),
            time_off: Vec::new(),
            work_apps: Vec::new(),
            crisis: CrisisSettings::default(),
            on_call: OnCallSettings::default(),
            auto_reply: AutoReply::default(),
            release: ReleaseSettings::default(),
            display: DisplaySettings::default(),
            language: None,
        }
    }
}

/// Where the settings file is: `--config`, else `COUPER_CONFIG`, else the platform
/// config dir (`~/.config/couper/settings.toml` on Linux).
pub fn default_path(explicit: Option<&Path>) -> Option<PathBuf> {
    if let Some(path) = explicit {
        return Some(path.to_path_buf());
    }
    if let Some(path) = std::env::var_os("COUPER_CONFIG").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    directories::ProjectDirs::from("", "", "couper")
        .map(|dirs| dirs.config_dir().join("settings.toml"))
}

/// Why a settings file could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read (or is not a regular file, or is too large).
    #[error(transparent)]
    Read(#[from] crate::userfile::ReadError),
    /// The file was read and refused.
    #[error("{0}")]
    Refused(Refusals),
}

impl LoadError {
    /// Why, in `lang`: every refusal on its own line (Display says it in English).
    pub fn said(&self, lang: crate::words::Lang) -> String {
        match self {
            LoadError::Read(e) => e.said(lang),
            LoadError::Refused(refusals) => refusals.lines(lang),
        }
    }
}

/// The language the settings file at `path` chooses (its `language` key), read leniently:
/// a file refused for another reason still says its refusals in the user's language,
/// even one that is not TOML at all further down (its top-level `language = "fr"` line
/// is looked for). `None` when there is no such file, no such key, or it cannot be read.
pub fn language_of(path: &Path) -> Option<crate::words::Lang> {
    let text = read(path).ok()??;
    let tag = match toml::from_str::<toml::Table>(&text) {
        Ok(table) => table.get("language")?.as_str()?.to_string(),
        Err(_) => language_line(&text)?,
    };
    crate::words::Lang::from_tag(&tag)
}

/// The value of a top-level `language = "…"` line, before the first table, in a text
/// that does not parse as a whole.
fn language_line(text: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .take_while(|line| !line.starts_with('['))
        .find_map(|line| {
            let (key, value) = line.split_once('=')?;
            let key = key.trim().trim_matches(['"', '\'']);
            let value = value.split('#').next()?.trim();
            let value = value.strip_prefix(['"', '\''])?.strip_suffix(['"', '\''])?;
            (key == "language").then(|| value.to_string())
        })
}

/// Reads and validates the file at `path`. A missing file gives the defaults.
pub fn load(path: &Path) -> Result<Settings, LoadError> {
    match read(path)? {
        Some(text) => parse(&text, &display_name(path)).map_err(LoadError::Refused),
        None => Ok(Settings::default()),
    }
}

/// The text of the settings file at `path`, `None` when there is none: read without
/// blocking (a FIFO is refused at once), a regular file only, at most
/// [`SETTINGS_MAX_BYTES`](crate::userfile::SETTINGS_MAX_BYTES).
pub fn read(path: &Path) -> Result<Option<String>, crate::userfile::ReadError> {
    match crate::userfile::read(path, crate::userfile::SETTINGS_MAX_BYTES) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.is_missing() => Ok(None),
        Err(e) => Err(e),
    }
}

/// The name used in messages: the path as given.
fn display_name(path: &Path) -> String {
    path.display().to_string()
}
