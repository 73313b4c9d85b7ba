//! The offline suite: the tests that need no bus, display or shell: property tests of
//! the engine and the schedule, replays, the auto-reply, reports and store upgrades
//! through the `couper` binary. One test binary rather than one per file: each binary
//! links zbus, tokio and rusqlite again. `cargo test --test offline replay::` runs one
//! file's tests.

mod engine_props;
mod replay;
mod reply;
mod report;
mod schedule_props;
mod upgrade;
