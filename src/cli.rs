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
    Run,
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
}
