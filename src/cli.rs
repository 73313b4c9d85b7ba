//! The `couper` command line (SPEC §6): its arguments, parsed with clap. `main.rs` maps
//! each command to the library and errors to exit codes (0 ok, 1 refused, 2 usage).

use clap::{Parser, Subcommand};
use std::path::PathBuf;

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
        /// on or off.
        #[arg(value_parser = ["on", "off"])]
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
    /// The control interface's query for these arguments.
    pub fn query(&self) -> Result<crate::report::Query, String> {
        use crate::report::{Format, Period, Query};
        let day = |flag: &str, text: &str| {
            text.parse::<jiff::civil::Date>()
                .map_err(|_| format!("--{flag} {text:?} is not a day: use YYYY-MM-DD"))
        };
        fn some(text: &Option<String>) -> Option<&str> {
            text.as_deref().filter(|t| !t.is_empty())
        }
        let period = if let (Some(from), Some(to)) = (&self.from, &self.to) {
            Period::Range(day("from", from)?, day("to", to)?)
        } else if self.month.is_some() || self.on_call {
            Period::Month(some(&self.month).map(str::parse).transpose()?)
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
            lang: self.lang.as_deref().map(crate::reply::lang).transpose()?,
        })
    }
}

// What the commands print for a person. The gate answers in JSON; these only lay it
// out, in the user's zone.

use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde_json::Value;

fn zone_of(status: &Value) -> TimeZone {
    status["timezone"]
        .as_str()
        .and_then(|name| TimeZone::get(name).ok())
        .unwrap_or_else(TimeZone::system)
}

fn when(value: &Value, zone: &TimeZone) -> Option<String> {
    let t: Timestamp = value.as_str()?.parse().ok()?;
    let now = Timestamp::now().to_zoned_datetime(zone.clone());
    let then = t.to_zoned_datetime(zone.clone());
    Some(if then.date() == now.date() {
        then.strftime("%H:%M").to_string()
    } else {
        then.strftime("%a %-d %b %H:%M").to_string()
    })
}

fn parse(text: &str) -> anyhow::Result<Value> {
    serde_json::from_str(text)
        .map_err(|e| anyhow::anyhow!("the gate answered something unreadable: {e}"))
}

/// "Working until 18:00" / "Off until Tue 1 Dec 09:00", with on call and held.
pub fn status_line(status: &str) -> anyhow::Result<String> {
    let s = parse(status)?;
    let zone = zone_of(&s);
    let working = s["working"].as_bool().unwrap_or(false);
    let mut line = String::from(if working { "Working" } else { "Off" });
    if let Some(until) = when(&s["until"], &zone) {
        line.push_str(&format!(" until {until}"));
    }
    let mode = s["mode"]["mode"].as_str().unwrap_or("auto");
    if mode != "auto" {
        line.push_str(&format!(" (you said {mode})"));
    }
    if s["on_call"].as_bool().unwrap_or(false) {
        line.push_str(", on call");
    }
    let held = s["held"].as_u64().unwrap_or(0);
    if held > 0 {
        line.push_str(&format!(", {held} held"));
    }
    Ok(line)
}

/// `couper status`.
pub fn status_text(status: &str) -> anyhow::Result<String> {
    let s = parse(status)?;
    let zone = zone_of(&s);
    let mut out = status_line(status)?;
    out.push('\n');
    let mode = s["mode"]["mode"].as_str().unwrap_or("auto");
    out.push_str(&format!("mode:        {mode}\n"));
    let manual = if s["on_call_manual"].as_bool().unwrap_or(false) {
        " (set by hand)"
    } else {
        ""
    };
    let on_call = if s["on_call"].as_bool().unwrap_or(false) {
        "yes"
    } else {
        "no"
    };
    out.push_str(&format!("on call:     {on_call}{manual}\n"));
    out.push_str(&format!(
        "held:        {}\n",
        s["held"].as_u64().unwrap_or(0)
    ));
    if let Some(next) = when(&s["next_start"], &zone) {
        out.push_str(&format!("next start:  {next}\n"));
    }
    out.push_str(&format!(
        "route:       {} ({})\n",
        s["route"].as_str().unwrap_or("?"),
        s["display"]
            .as_str()
            .or(s["route_reason"].as_str())
            .unwrap_or("no display daemon")
    ));
    out.push_str(&format!(
        "settings:    {}\n",
        s["settings_path"].as_str().unwrap_or("?")
    ));
    if let Some(refused) = s["settings_refused"].as_str() {
        out.push_str(&format!(
            "refused:     {refused} (the last good settings stay)\n"
        ));
    }
    if let Some(line) = calendar_line(&s["calendar"], &zone) {
        out.push_str(&format!("calendar:    {line}\n"));
    }
    out.push_str(&format!(
        "time zone:   {}",
        s["timezone"].as_str().unwrap_or("?")
    ));
    Ok(out)
}

/// The team's calendar in `couper status`: how many shifts, when read, or since when it
/// is stale.
fn calendar_line(calendar: &Value, zone: &TimeZone) -> Option<String> {
    let location = calendar["location"].as_str()?;
    let shifts = calendar["shifts"].as_u64().unwrap_or(0);
    let copy = match when(&calendar["fetched_at"], zone) {
        Some(read) => format!("the copy read {read}"),
        None => "no good copy yet".to_string(),
    };
    let mut line = match when(&calendar["stale_since"], zone) {
        Some(since) => format!(
            "stale since {since}: {}; using {copy} ({shifts} shifts)",
            calendar["error"].as_str().unwrap_or("cannot read it")
        ),
        None => format!("{shifts} shifts from {location}, {copy}"),
    };
    // Events of the copy in use that could not be used (a runaway RRULE...).
    let skipped: Vec<&str> = calendar["skipped"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if let Some(first) = skipped.first() {
        line.push_str(&format!("; {first}"));
        if skipped.len() > 1 {
            line.push_str(&format!(" (and {} more)", skipped.len() - 1));
        }
    }
    Some(line)
}

/// `couper held`.
pub fn held_text(held: &str, status: &str) -> anyhow::Result<String> {
    let zone = zone_of(&parse(status)?);
    let items = parse(held)?;
    let items = items.as_array().cloned().unwrap_or_default();
    if items.is_empty() {
        return Ok("nothing held".into());
    }
    let mut out = format!(
        "{:>6}  {:<16}  {:<20}  {}\n",
        "id", "held", "from", "summary"
    );
    for item in &items {
        let from = item["source"]
            .as_str()
            .or(item["notification"]["app"].as_str())
            .unwrap_or("?");
        out.push_str(&format!(
            "{:>6}  {:<16}  {:<20}  {}\n",
            item["id"].as_u64().unwrap_or(0),
            when(&item["held_at"], &zone).unwrap_or_default(),
            from,
            item["notification"]["summary"].as_str().unwrap_or("")
        ));
    }
    Ok(out.trim_end().to_string())
}

/// `couper explain ID`.
pub fn explain_text(explained: &str, status: &str) -> anyhow::Result<String> {
    let zone = zone_of(&parse(status)?);
    let e = parse(explained)?;
    let mut out = format!("#{} {}\n", e["id"], e["app"].as_str().unwrap_or(""));
    for event in e["events"].as_array().cloned().unwrap_or_default() {
        let kind = event["kind"].as_str().unwrap_or("");
        let reason = match kind {
            "release" => format!(
                "released ({})",
                event["reason"].as_str().unwrap_or("").trim_matches('"')
            ),
            "withdraw" => "withdrawn by its app".to_string(),
            _ => event["reason"].as_str().unwrap_or("").to_string(),
        };
        out.push_str(&format!(
            "  {}  {reason}\n",
            when(&event["at"], &zone).unwrap_or_default()
        ));
    }
    Ok(out.trim_end().to_string())
}

/// `couper alert`.
pub fn alert_text(answer: &str) -> anyhow::Result<String> {
    let a = parse(answer)?;
    Ok(format!(
        "#{} {}",
        a["id"],
        a["reason"].as_str().unwrap_or("")
    ))
}
