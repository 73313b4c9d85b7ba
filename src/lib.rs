//! Couper: a desktop notification gatekeeper for the right to disconnect.
//!
//! The crate holds everything without a window: the settings, the schedule, the pure
//! decision engine, the SQLite store, the service that ties them together, the replay
//! and the Linux gate. The tray app (`src-tauri/`) and the `couper` command both call it.
#![deny(missing_docs)]

pub mod browser;
pub mod calendar;
pub mod cli;
pub mod control;
pub mod crisis;
pub mod daemon;
pub mod engine;
pub mod gate;
pub mod holidays;
pub mod i18n;
pub mod ids;
pub mod live;
pub mod notification;
pub mod on_call;
pub mod reply;
pub mod report;
pub mod resident;
pub mod schedule;
pub mod service;
pub mod settings;
pub mod simulate;
pub mod steer;
pub mod store;
#[cfg(feature = "ts")]
pub mod ts_bindings;
pub mod userfile;
pub mod voice;
pub mod wall_timer;
pub mod words;
