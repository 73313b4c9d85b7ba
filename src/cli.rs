//! The `couper` command line (SPEC §6): its arguments, parsed with clap. `main.rs` maps
//! each command to the library and errors to exit codes (0 ok, 1 refused, 2 usage).

use crate::live::LiveStatus;
use crate::t;
use crate::words::Lang;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime as Zoned};
use serde_json::Value;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Couper: holds work notifications outside your working hours.
#[derive(Debug, Parser)]
#[command(name = "couper", version, about, propagate_version = true)]
pub struct Cli {
    /// The settings file (default: $COUPER_CONFIG, else ~/.config/couper/settings.toml).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the gatekeeper without the tray (what a systemd user service starts).
    Run {
        /// Put Couper in front of the notification daemon you started (it then runs
        /// behind Couper). One that the session started on demand is replaced anyway.
        #[arg(long)]
        replace: bool,
    },
    /// Mode, working or not, on call or not, next transition, held count, route.
    Status {
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
    },
    /// "I'm off": not working time until the next work day (or --until).
    Off {
        /// When it ends (RFC 3339, or HH:MM, or "YYYY-MM-DD HH:MM" in your zone).
        #[arg(long, value_name = "TIME")]
        until: Option<String>,
    },
    /// "I'm working": working time for an hour (or --until); releases what is held.
    On {
        /// When it ends.
        #[arg(long, value_name = "TIME")]
        until: Option<String>,
    },
    /// Follow the schedule again.
    Auto,
    /// Manual on call.
    #[command(name = "on-call")]
    OnCall {
        /// on, off, or toggle.
        #[arg(value_parser = ["on", "off", "toggle"])]
        state: String,
    },
    /// The held queue.
    Held {
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
    },
    /// Release held notifications now.
    Release {
        /// The ids to release.
        ids: Vec<u32>,
        /// Release all of them.
        #[arg(long, conflicts_with = "ids")]
        all: bool,
    },
    /// The decision and its reason for one notification.
    Explain {
        /// The notification's id.
        id: u32,
    },
    /// Send an alert through the gate (for scripts and on-call tools).
    Alert {
        /// Mark it as a crisis.
        #[arg(long)]
        crisis: bool,
        /// The title.
        title: String,
        /// The body.
        body: Option<String>,
    },
    /// Validate a settings file; exit 1 with the reasons.
    Check,
    /// Replay a timeline of JSON lines from stdin with no desktop at all.
    Simulate {
        /// Accepted for symmetry: the output is always JSON lines.
        #[arg(long)]
        json: bool,
        /// Keep the replay's store (its history) in this file instead of a temporary one.
        #[arg(long, value_name = "PATH")]
        history: Option<PathBuf>,
    },
    /// Erase the history (all of it, or what came before a date): the decisions the
    /// reports are made of, released notifications, the apps seen. Held ones stay.
    Forget {
        /// Only before this day (YYYY-MM-DD, its start in your zone), or instant
        /// ("YYYY-MM-DD HH:MM", RFC 3339). A blank one is refused.
        #[arg(long, value_name = "DATE", conflicts_with = "all")]
        before: Option<String>,
        /// All of it (what `couper forget` alone does too), for scripts that say so.
        #[arg(long)]
        all: bool,
    },
    /// Put back every desktop setting the steer route changed (after a crash).
    Restore,
    /// The disconnection report (this week by default), or the on-call statement.
    Report(ReportArgs),
    /// The auto-reply: when you will answer, in words, for the people waiting.
    Reply {
        /// fr or en (default: your locale).
        #[arg(long, value_parser = ["fr", "en"])]
        lang: Option<String>,
        /// Read this store instead of asking the running gate.
        #[arg(long, value_name = "PATH")]
        history: Option<PathBuf>,
        /// As of this instant (RFC 3339) rather than now, from the settings and the
        /// store, without asking the running gate (to check what a reply will say).
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
    },
    /// A work profile for a browser: its own menu entry, everything it shows is work.
    #[command(subcommand)]
    Browser(crate::browser::Action),
}

/// `couper report`'s arguments (SPEC §8).
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// This week (Monday to Sunday), or the week of DAY (YYYY-MM-DD).
    #[arg(long, value_name = "DAY", num_args = 0..=1, default_missing_value = "",
          conflicts_with_all = ["month", "from"])]
    pub week: Option<String>,
    /// This month, or MONTH (YYYY-MM).
    #[arg(long, value_name = "MONTH", num_args = 0..=1, default_missing_value = "",
          conflicts_with = "from")]
    pub month: Option<String>,
    /// From this day (YYYY-MM-DD), with --to.
    #[arg(long, value_name = "DAY", requires = "to")]
    pub from: Option<String>,
    /// To this day (YYYY-MM-DD), included.
    #[arg(long, value_name = "DAY", requires = "from")]
    pub to: Option<String>,
    /// The on-call statement of a month (this month without --month).
    #[arg(long = "on-call", conflicts_with_all = ["week", "from"])]
    pub on_call: bool,
    /// For tools: JSON.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// For a spreadsheet: CSV (`;` and decimal commas in French).
    #[arg(long)]
    pub csv: bool,
    /// fr or en (default: your locale).
    #[arg(long, value_parser = ["fr", "en"])]
    pub lang: Option<String>,
    /// The store to read (default: Couper's own), e.g. a `couper simulate --history` file.
    #[arg(long, value_name = "PATH")]
    pub history: Option<PathBuf>,
    /// Make it as of this instant (RFC 3339): "this week" and "this month" are its.
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
}

impl ReportArgs {
    /// The control interface's query for these arguments; `lang` is the CLI's language
    /// (the report's without `--lang`, and the one refusals are said in).
    pub fn query(&self, lang: Lang) -> Result<crate::report::Query, String> {
        use crate::report::{Format, Period, Query};
        let day = |flag: &str, text: &str| {
            text.parse::<jiff::civil::Date>().map_err(|_| {
                t!(
                    lang,
                    "couper-bad-day",
                    flag = flag,
                    day = format!("{text:?}")
                )
            })
        };
        fn some(text: &Option<String>) -> Option<&str> {
            text.as_deref().filter(|t| !t.is_empty())
        }
        let period = if let (Some(from), Some(to)) = (&self.from, &self.to) {
            Period::Range(day("from", from)?, day("to", to)?)
        } else if self.month.is_some() || self.on_call {
            let month = some(&self.month)
                .map(|text| {
                    text.parse()
                        .map_err(|_| t!(lang, "couper-bad-month", month = format!("{text:?}")))
                })
                .transpose()?;
            Period::Month(month)
        } else {
            Period::Week(some(&self.week).map(|d| day("week", d)).transpose()?)
        };
        Ok(Query {
            period,
            on_call: self.on_call,
            format: if self.json {
                Format::Json
            } else if self.csv {
                Format::Csv
            } else {
                Format::Text
            },
            lang: Some(crate::reply::lang(
                self.lang.as_deref().unwrap_or(""),
                lang,
            )?),
        })
    }
}

// The CLI's language, and its --help in it.

/// The language the CLI speaks with the settings file at `config` (`--config`, else
/// `$COUPER_CONFIG`, else the default path): the file's `language` when it sets one (even
/// a file refused for another reason), else the locale's (`LC_ALL`, `LC_MESSAGES`, `LANG`).
pub fn language(config: Option<&Path>) -> Lang {
    Lang::chosen(
        crate::settings::default_path(config).and_then(|p| crate::settings::language_of(&p)),
    )
}

/// The `--config PATH` (or `--config=PATH`) among `args`, read before clap parses them so
/// that `--help` and clap's refusals already speak the file's language.
pub fn config_in(args: &[OsString]) -> Option<PathBuf> {
    let mut args = args.iter().skip(1);
    let mut found = None;
    while let Some(arg) = args.next() {
        if arg == "--" {
            break;
        }
        if arg == "--config" {
            found = args.next().map(PathBuf::from);
        } else if let Some(path) = arg.to_str().and_then(|a| a.strip_prefix("--config=")) {
            found = Some(PathBuf::from(path));
        }
    }
    found
}

/// Parses `args` (the program's name first) with the help in `lang`. As clap does, it
/// prints the help or the version and exits 0 when asked, and exits 2 on a usage error
/// (clap's own messages, "error: unexpected argument", stay in English).
pub fn parse_from(args: Vec<OsString>, lang: Lang) -> Cli {
    let mut cmd = command(lang);
    let matches = cmd
        .try_get_matches_from_mut(args)
        .unwrap_or_else(|e| e.exit());
    Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.format(&mut cmd).exit())
}

/// The command line with every text of its help from the catalogue in `lang`: each
/// command's summary (`cli-<command>`), each argument's (`cli-<command>-<argument>`, or
/// `cli-arg-<argument>` for --config, --help and --version, which every command has),
/// the headings and the usage's.
pub fn command(lang: Lang) -> clap::Command {
    let mut cmd = Cli::command();
    // Built first, so that clap's own --help, --version and `help` are there to be said
    // too; a built command is not built again when it parses.
    cmd.build();
    say_help(cmd, None, lang)
}

/// Every catalogue id the help of `cmd` (built) says, as [`command`] says them: its
/// summary's, its arguments', then its subcommands' in turn.
pub fn help_ids(cmd: &clap::Command) -> Vec<String> {
    fn walk(cmd: &clap::Command, name: Option<&str>, ids: &mut Vec<String>) {
        ids.push(about_id(name));
        for arg in cmd.get_arguments() {
            ids.push(arg_id(name, arg.get_id().as_str()));
        }
        for sub in cmd.get_subcommands() {
            walk(sub, Some(&sub_name(name, sub.get_name())), ids);
        }
    }
    let mut ids = Vec::new();
    walk(cmd, None, &mut ids);
    ids
}

/// The id of the summary of the command `name` (`None`: `couper` itself).
fn about_id(name: Option<&str>) -> String {
    match name {
        None => "cli-about".to_string(),
        Some(name) => format!("cli-{name}"),
    }
}

/// The name in ids of the subcommand `sub` of the command `name` (`browser-add`). Those
/// of a `help` (`couper help browser add`) are the commands they help with.
fn sub_name(name: Option<&str>, sub: &str) -> String {
    let parent = name
        .filter(|name| *name != "help")
        .map(|name| name.strip_suffix("-help").unwrap_or(name));
    match parent {
        None => sub.to_string(),
        Some(parent) => format!("{parent}-{sub}"),
    }
}

/// The id of argument `arg` of the command `name` (`None`: `couper` itself).
fn arg_id(name: Option<&str>, arg: &str) -> String {
    let arg = arg.replace('_', "-");
    match name {
        Some(name) if !["config", "help", "version"].contains(&arg.as_str()) => {
            format!("cli-{name}-{arg}")
        }
        _ => format!("cli-arg-{arg}"),
    }
}

/// `cmd`, the command `name` (`None`: `couper` itself), with its help said in `lang`,
/// and its subcommands'.
fn say_help(cmd: clap::Command, name: Option<&str>, lang: Lang) -> clap::Command {
    let say = |id: &str| crate::i18n::text(lang, id, []);
    let template = help_template(&cmd, lang);
    cmd.about(say(&about_id(name)))
        .long_about(None)
        .help_template(template)
        .mut_args(|arg| {
            let text = say(&arg_id(name, arg.get_id().as_str()));
            arg.help(text)
                .long_help(None)
                // "[possible values: fr, en]" is clap's English: the help says them.
                .hide_possible_values(true)
        })
        .mut_subcommands(|sub| {
            let name = sub_name(name, sub.get_name());
            say_help(sub, Some(&name), lang)
        })
}

/// The layout of `cmd`'s help, as clap's own but with its headings in `lang`.
fn help_template(cmd: &clap::Command, lang: Lang) -> String {
    let styles = cmd.get_styles();
    let styled = |style: &clap::builder::styling::Style, text: String| {
        format!("{}{text}{}", style.render(), style.render_reset())
    };
    // clap's headings end in ":"; French puts a space before it.
    let heading = |id: &str| {
        let colon = match lang {
            Lang::Fr => " :",
            Lang::En => ":",
        };
        styled(
            styles.get_header(),
            format!("{}{colon}", crate::i18n::text(lang, id, [])),
        )
    };
    let mut sections = Vec::new();
    if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
        sections.push(format!(
            "{}\n{{subcommands}}",
            heading("cli-heading-commands")
        ));
    }
    if cmd.get_positionals().any(|a| !a.is_hide_set()) {
        sections.push(format!(
            "{}\n{{positionals}}",
            heading("cli-heading-arguments")
        ));
    }
    if cmd
        .get_arguments()
        .any(|a| !a.is_positional() && !a.is_hide_set())
    {
        sections.push(format!("{}\n{{options}}", heading("cli-heading-options")));
    }
    let usage = styled(styles.get_usage(), t!(lang, "cli-usage"));
    if sections.is_empty() {
        format!("{{before-help}}{{about-with-newline}}\n{usage} {{usage}}{{after-help}}")
    } else {
        format!(
            "{{before-help}}{{about-with-newline}}\n{usage} {{usage}}\n\n{}{{after-help}}",
            sections.join("\n\n")
        )
    }
}

// What the commands print for a person, in the CLI's language. The gate answers in
// JSON; these only lay it out, in the user's zone, its times said as the tray says them
// (`words::short`).

fn parse<T: serde::de::DeserializeOwned>(text: &str, lang: Lang) -> anyhow::Result<T> {
    serde_json::from_str(text)
        .map_err(|e| anyhow::anyhow!(t!(lang, "couper-unreadable", why = e.to_string())))
}

/// How the commands say times: in the status's zone, seen from now.
struct Clock {
    zone: TimeZone,
    now: Zoned,
    lang: Lang,
}

impl Clock {
    fn new(timezone: &str, now: Timestamp, lang: Lang) -> Clock {
        let zone = TimeZone::get(timezone).unwrap_or_else(|_| TimeZone::system());
        Clock {
            now: now.to_zoned_datetime(zone.clone()),
            zone,
            lang,
        }
    }

    fn of(status: &str, now: Timestamp, lang: Lang) -> anyhow::Result<Clock> {
        let status: LiveStatus = parse(status, lang)?;
        Ok(Clock::new(&status.status.timezone, now, lang))
    }

    fn zoned(&self, t: Timestamp) -> Zoned {
        t.to_zoned_datetime(self.zone.clone())
    }

    fn say(&self, t: Timestamp) -> String {
        crate::words::short(&self.now, &self.zoned(t), self.lang)
    }

    /// A time as the gate's JSON gives it.
    fn say_json(&self, value: &Value) -> Option<String> {
        Some(self.say(value.as_str()?.parse().ok()?))
    }
}

/// The state's line, in the very words of the tray's tooltip: "Working until 18:00",
/// "Déconnecté jusqu'à mar. 09:00 · 2 en attente · D'astreinte"; "Not gating" too while
/// the gate stands aside. What `couper status` says first and `off`, `on`, `auto` and
/// `on-call` say alone.
pub fn status_line(status: &str, now: Timestamp, lang: Lang) -> anyhow::Result<String> {
    let status: LiveStatus = parse(status, lang)?;
    Ok(line_of(&status, now, lang))
}

fn line_of(status: &LiveStatus, now: Timestamp, lang: Lang) -> String {
    let clock = Clock::new(&status.status.timezone, now, lang);
    let state = &status.status.state;
    let until = state.until.map(|t| clock.zoned(t));
    let mut line = crate::words::summary(
        state.working,
        until.as_ref(),
        &clock.now,
        state.held,
        state.on_call,
        lang,
    );
    if status.not_gating.is_some() {
        line.push_str(crate::words::SEPARATOR);
        line.push_str(&t!(lang, "state-not-gating"));
    }
    line
}

/// The labels of `couper status`'s lines.
const STATUS_LABELS: [&str; 10] = [
    "couper-status-mode",
    "couper-status-on-call",
    "couper-status-held",
    "couper-status-next-start",
    "couper-status-route",
    "couper-status-settings",
    "couper-status-refused",
    "couper-status-store",
    "couper-status-calendar",
    "couper-status-zone",
];

/// `couper status`: the state's line, then one line each, labels aligned.
pub fn status_text(status: &str, now: Timestamp, lang: Lang) -> anyhow::Result<String> {
    use crate::engine::Mode;
    let s: LiveStatus = parse(status, lang)?;
    let clock = Clock::new(&s.status.timezone, now, lang);
    let state = &s.status.state;
    let mut rows: Vec<(String, String)> = Vec::new();
    let mut row = |label: String, value: String| rows.push((label, value));
    row(
        t!(lang, "couper-status-mode"),
        match state.mode {
            Mode::Auto => t!(lang, "couper-mode-auto"),
            Mode::Off { until: None, .. } => t!(lang, "couper-mode-off"),
            Mode::Off {
                until: Some(until), ..
            } => t!(lang, "couper-mode-off-until", until = clock.say(until)),
            Mode::On { until } => t!(lang, "couper-mode-on", until = clock.say(until)),
        },
    );
    row(
        t!(lang, "couper-status-on-call"),
        match (state.on_call, state.on_call_manual) {
            (true, true) => t!(lang, "couper-on-call-by-hand"),
            (true, false) => t!(lang, "couper-yes"),
            (false, _) => t!(lang, "couper-no"),
        },
    );
    row(t!(lang, "couper-status-held"), state.held.to_string());
    if let Some(next) = s.status.next_start {
        row(t!(lang, "couper-status-next-start"), clock.say(next));
    }
    let why = s
        .display
        .clone()
        .or_else(|| (!s.route_reason.is_empty()).then(|| s.route_reason.clone()))
        .unwrap_or_else(|| t!(lang, "couper-no-display"));
    row(
        t!(lang, "couper-status-route"),
        format!("{} ({why})", s.route),
    );
    row(
        t!(lang, "couper-status-settings"),
        s.settings_path.display().to_string(),
    );
    if let Some(refused) = &s.settings_refused {
        row(
            t!(lang, "couper-status-refused"),
            t!(lang, "couper-refused-keeps", why = refused.as_str()),
        );
    }
    if let Some(failure) = &s.store_failure {
        row(
            t!(lang, "couper-status-store"),
            t!(
                lang,
                "couper-store-failing",
                since = clock.say(failure.since),
                error = failure.error.as_str(),
                count = failure.shown_unkept
            ),
        );
    }
    if let Some(calendar) = &s.calendar {
        row(
            t!(lang, "couper-status-calendar"),
            calendar_line(calendar, &clock),
        );
    }
    row(t!(lang, "couper-status-zone"), s.status.timezone.clone());

    // The same column whichever lines there are: after the longest label of all.
    let width = STATUS_LABELS
        .iter()
        .map(|id| crate::i18n::text(lang, id, []).chars().count())
        .max()
        .unwrap_or(0)
        + 2;
    let mut out = line_of(&s, now, lang);
    for (label, value) in rows {
        let pad = width - label.chars().count();
        out.push_str(&format!("\n{label}{:pad$}{value}", ""));
    }
    Ok(out)
}

/// The team's calendar in `couper status`: how many shifts, when read, or since when it
/// is stale.
fn calendar_line(calendar: &crate::calendar::CalendarStatus, clock: &Clock) -> String {
    let lang = clock.lang;
    let shifts = calendar.shifts as u64;
    let read = calendar.fetched_at.map(|t| clock.say(t));
    let mut line = match (calendar.stale_since, read) {
        (Some(since), read) => {
            let why = calendar
                .error
                .clone()
                .unwrap_or_else(|| t!(lang, "couper-calendar-cannot-read"));
            let since = clock.say(since);
            match read {
                Some(read) => t!(
                    lang,
                    "couper-calendar-stale",
                    since = since,
                    why = why,
                    read = read,
                    shifts = shifts
                ),
                None => t!(
                    lang,
                    "couper-calendar-stale-no-copy",
                    since = since,
                    why = why,
                    shifts = shifts
                ),
            }
        }
        (None, Some(read)) => t!(
            lang,
            "couper-calendar-read",
            shifts = shifts,
            location = calendar.location.as_str(),
            read = read
        ),
        (None, None) => t!(
            lang,
            "couper-calendar-no-copy",
            shifts = shifts,
            location = calendar.location.as_str()
        ),
    };
    // Events of the copy in use that could not be used (a runaway RRULE...).
    if let Some(first) = calendar.skipped.first() {
        line.push_str("; ");
        line.push_str(&match calendar.skipped.len() - 1 {
            0 => t!(lang, "couper-calendar-skipped", first = first.as_str()),
            more => t!(
                lang,
                "couper-calendar-skipped-more",
                first = first.as_str(),
                more = more as u64
            ),
        });
    }
    line
}

/// `couper held`.
pub fn held_text(held: &str, status: &str, now: Timestamp, lang: Lang) -> anyhow::Result<String> {
    let clock = Clock::of(status, now, lang)?;
    let items: Value = parse(held, lang)?;
    let items = items.as_array().cloned().unwrap_or_default();
    if items.is_empty() {
        return Ok(t!(lang, "couper-nothing-held"));
    }
    let mut out = format!(
        "{:>6}  {:<16}  {:<20}  {}\n",
        t!(lang, "couper-held-id"),
        t!(lang, "couper-held-at"),
        t!(lang, "couper-held-from"),
        t!(lang, "couper-held-summary")
    );
    for item in &items {
        let from = item["source"]
            .as_str()
            .or(item["notification"]["app"].as_str())
            .unwrap_or("?");
        out.push_str(&format!(
            "{:>6}  {:<16}  {:<20}  {}\n",
            item["id"].as_u64().unwrap_or(0),
            clock.say_json(&item["held_at"]).unwrap_or_default(),
            from,
            item["notification"]["summary"].as_str().unwrap_or("")
        ));
    }
    Ok(out.trim_end().to_string())
}

/// `couper explain ID`.
pub fn explain_text(
    explained: &str,
    status: &str,
    now: Timestamp,
    lang: Lang,
) -> anyhow::Result<String> {
    let clock = Clock::of(status, now, lang)?;
    let e: Value = parse(explained, lang)?;
    let mut out = format!("#{} {}\n", e["id"], e["app"].as_str().unwrap_or(""));
    for event in e["events"].as_array().cloned().unwrap_or_default() {
        let kind = event["kind"].as_str().unwrap_or("");
        let reason = match kind {
            "release" => t!(
                lang,
                "couper-explain-released",
                why = event["reason"].as_str().unwrap_or("").trim_matches('"')
            ),
            "withdraw" => t!(lang, "couper-explain-withdrawn"),
            _ => event["reason"].as_str().unwrap_or("").to_string(),
        };
        out.push_str(&format!(
            "  {}  {reason}\n",
            clock.say_json(&event["at"]).unwrap_or_default()
        ));
    }
    Ok(out.trim_end().to_string())
}

/// `couper alert`.
pub fn alert_text(answer: &str, lang: Lang) -> anyhow::Result<String> {
    let a: Value = parse(answer, lang)?;
    Ok(format!(
        "#{} {}",
        a["id"],
        a["reason"].as_str().unwrap_or("")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Mode, State};

    /// The help ids of `cmd` that the catalogue lacks in `lang`.
    fn missing(cmd: &clap::Command, lang: Lang) -> Vec<String> {
        let mut cmd = cmd.clone();
        cmd.build();
        let mut ids = help_ids(&cmd);
        ids.extend(
            ["cli-usage", "cli-heading-commands", "cli-heading-arguments"].map(String::from),
        );
        ids.push("cli-heading-options".into());
        ids.into_iter()
            .filter(|id| crate::i18n::text(lang, id, []) == *id)
            .collect()
    }

    #[test]
    fn every_command_and_argument_has_its_help_in_both_languages() {
        let cmd = Cli::command();
        for lang in [Lang::En, Lang::Fr] {
            assert_eq!(missing(&cmd, lang), Vec::<String>::new(), "{lang:?}");
        }
        // An argument added without its texts is found.
        let more = cmd.mut_subcommand("status", |s| {
            s.arg(clap::Arg::new("frobnicate").long("frobnicate"))
        });
        assert_eq!(missing(&more, Lang::Fr), ["cli-status-frobnicate"]);
        let ids = help_ids(&{
            let mut c = Cli::command();
            c.build();
            c
        });
        for id in [
            "cli-on-call-state",
            "cli-report-on-call",
            "cli-arg-help",
            "cli-help",
        ] {
            assert!(ids.iter().any(|i| i == id), "{id} not walked: {ids:?}");
        }
    }

    #[test]
    fn the_help_is_french_in_french_and_stays_what_help2man_reads_in_english() {
        let en = command(Lang::En).render_help().to_string();
        assert!(
            en.starts_with("Couper: a desktop notification gatekeeper"),
            "{en}"
        );
        for part in [
            "\nUsage: couper [OPTIONS] <COMMAND>\n",
            "\nCommands:\n",
            "\nOptions:\n",
        ] {
            assert!(en.contains(part), "{part:?} in {en}");
        }
        assert!(en.contains("  -h, --help           Print help\n"), "{en}");
        let mut fr = command(Lang::Fr);
        let text = fr.render_help().to_string();
        assert!(text.contains("\nUtilisation : couper"), "{text}");
        assert!(text.contains("\nCommandes :\n"), "{text}");
        assert!(text.contains("Afficher l'aide"), "{text}");
        assert!(!text.contains("cli-"), "{text}");
        let release = fr
            .find_subcommand_mut("release")
            .map(|c| c.render_help().to_string())
            .unwrap_or_default();
        assert!(
            release.contains("\nArguments :\n  [IDS]...  Les numéros à libérer"),
            "{release}"
        );
        // Whichever language, the same command line.
        let cli = Cli::from_arg_matches(
            &command(Lang::Fr).get_matches_from(["couper", "on-call", "on", "--config", "x"]),
        );
        assert!(matches!(
            cli,
            Ok(Cli { command: Command::OnCall { ref state }, .. }) if state == "on"
        ));
    }

    #[test]
    fn lang_wins_for_report_and_reply_and_without_it_they_speak_the_clis_language() {
        let report = |args: &[&str]| {
            let mut all = vec!["couper", "report"];
            all.extend_from_slice(args);
            match Cli::try_parse_from(all) {
                Ok(Cli {
                    command: Command::Report(args),
                    ..
                }) => args,
                other => panic!("{other:?}"),
            }
        };
        let lang = |args: &[&str], cli| report(args).query(cli).map(|q| q.lang);
        assert_eq!(lang(&["--lang", "en"], Lang::Fr), Ok(Some(Lang::En)));
        assert_eq!(lang(&[], Lang::Fr), Ok(Some(Lang::Fr)));
        assert_eq!(crate::reply::lang("", Lang::Fr), Ok(Lang::Fr));
        assert_eq!(crate::reply::lang("EN", Lang::Fr), Ok(Lang::En));
        assert_eq!(
            crate::reply::lang("de", Lang::Fr),
            Err("\"de\" n'est pas une langue que Couper parle : fr ou en".to_string())
        );
        assert_eq!(
            report(&["--month", "oct"]).query(Lang::Fr).map(|_| ()),
            Err("--month \"oct\" n'est pas un mois : écrivez AAAA-MM (2026-10)".to_string())
        );
        assert_eq!(
            report(&["--week", "x"]).query(Lang::En).map(|_| ()),
            Err("--week \"x\" is not a day: use YYYY-MM-DD".to_string())
        );
    }

    #[test]
    fn config_is_found_before_clap_parses() {
        let args = |a: &[&str]| a.iter().map(OsString::from).collect::<Vec<_>>();
        assert_eq!(
            config_in(&args(&["couper", "--config", "a.toml", "--help"])),
            Some(PathBuf::from("a.toml"))
        );
        assert_eq!(
            config_in(&args(&["couper", "check", "--config=b.toml"])),
            Some(PathBuf::from("b.toml"))
        );
        assert_eq!(
            config_in(&args(&["couper", "alert", "--", "--config"])),
            None
        );
    }

    #[test]
    fn the_settings_language_is_found_even_in_a_refused_file() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("settings.toml");
        let write = |text: &str| std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
        write("language = \"fr\"\ntimezone = \"Mars/Olympus\"\n");
        assert_eq!(language(Some(&path)), Lang::Fr, "refused, but TOML");
        write("# mine\nlanguage = 'fr'  # French\n[hours\nmon = 9h\n");
        assert_eq!(language(Some(&path)), Lang::Fr, "not TOML at all");
        write("[hours]\nlanguage = \"fr\"\n");
        assert_eq!(
            language(Some(&path)),
            Lang::from_env(),
            "not a top-level key: the locale's"
        );
    }

    fn status(mode: Mode, working: bool, until: &str, held: usize, on_call: bool) -> String {
        let at = |t: &str| t.parse::<Timestamp>().ok();
        let status = LiveStatus {
            status: crate::service::Status {
                state: State {
                    mode,
                    working,
                    until: at(until),
                    on_call,
                    on_call_manual: on_call,
                    held,
                },
                next_start: at("2026-12-01T09:00:00+01:00"),
                timezone: "Europe/Paris".into(),
            },
            route: crate::live::Route::Proxy,
            route_reason: "no desktop shell".into(),
            display: Some("dunst".into()),
            not_gating: None,
            display_bus: None,
            settings_path: "/home/me/.config/couper/settings.toml".into(),
            settings_refused: None,
            calendar: None,
            calendar_stale_since: None,
            store_failure: None,
        };
        serde_json::to_string(&status).unwrap_or_default()
    }

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap_or(Timestamp::UNIX_EPOCH)
    }

    #[test]
    fn status_says_the_state_then_each_detail_in_the_language_asked() {
        let now = at("2026-11-30T19:00:00+01:00");
        let off = Mode::Off {
            since: now,
            until: Some(at("2026-12-01T09:00:00+01:00")),
            explicit: false,
        };
        let s = status(off, false, "2026-12-01T09:00:00+01:00", 2, true);
        let en = status_text(&s, now, Lang::En).unwrap_or_default();
        assert_eq!(
            en,
            "Off until Tue 09:00 · 2 held · On call\n\
             mode:        off until Tue 09:00 (you said so)\n\
             on call:     yes (set by hand)\n\
             held:        2\n\
             next start:  Tue 09:00\n\
             route:       proxy (dunst)\n\
             settings:    /home/me/.config/couper/settings.toml\n\
             time zone:   Europe/Paris"
        );
        let fr = status_text(&s, now, Lang::Fr).unwrap_or_default();
        assert_eq!(
            fr,
            "Déconnecté jusqu'à mar. 09:00 · 2 en attente · D'astreinte\n\
             mode :        déconnecté jusqu'à mar. 09:00 (à votre demande)\n\
             astreinte :   oui (à la main)\n\
             en attente :  2\n\
             reprise :     mar. 09:00\n\
             route :       proxy (dunst)\n\
             réglages :    /home/me/.config/couper/settings.toml\n\
             fuseau :      Europe/Paris"
        );
        let working = status(Mode::Auto, true, "2026-11-30T18:00:00+01:00", 0, false);
        let now = at("2026-11-30T11:00:00+01:00");
        assert_eq!(
            status_line(&working, now, Lang::Fr).unwrap_or_default(),
            "Au travail jusqu'à 18:00"
        );
        assert_eq!(
            status_line(&working, now, Lang::En).unwrap_or_default(),
            "Working until 18:00"
        );
    }

    #[test]
    fn an_unreadable_answer_is_said_in_the_language_asked() {
        let e = status_line("{", Timestamp::UNIX_EPOCH, Lang::Fr).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("la porte a répondu quelque chose d'illisible : "),
            "{e}"
        );
    }
}
