//! The desktop suite: every test that runs real buses, display daemons, shells or the
//! `couper` binary on a test desktop (the proxy gate in-process and through `couper run`,
//! the display daemons' own tools, settings and the calendar end to end, the CLI, the
//! steer route on GNOME Shell and Plasma). One test binary rather than one per file: each
//! binary links zbus, tokio and rusqlite again. `cargo test --test desktop live_gate::`
//! runs one file's tests.
// A test binary: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

// The shared helpers (tests/common/, also used by benches/gate.rs), declared once here;
// they refer to each other as `crate::desktop`, `crate::poll`, `crate::shells`.
#[path = "../common/daemons.rs"]
mod daemons;
#[path = "../common/desktop.rs"]
mod desktop;
#[path = "../common/files.rs"]
mod files;
#[path = "../common/live.rs"]
mod live;
#[path = "../common/poll.rs"]
mod poll;
#[path = "../common/probe.rs"]
mod probe;
// `on_both_debians!`, for the steer modules below.
#[macro_use]
#[path = "../common/shells.rs"]
mod shells;

mod calendar;
mod cli;
mod gate_daemons;
mod gate_proxy;
mod live_gate;
mod settings;
mod steer_gnome;
mod steer_plasma;
