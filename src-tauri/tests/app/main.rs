//! The app suite: the built `couper-app` on a test desktop (Xvfb, a private session bus,
//! dunst). The tray as a panel drives it (`tray_panel`), one gate per session with real
//! processes (`one_gate`), and the settings window through WebDriver (`window_webdriver`).
//! One test binary rather than one per file: each binary links Tauri, zbus and tokio
//! again. `cargo test -p couper-app --test app tray_panel::` runs one file's tests.
// A test binary: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

// The shared helpers, declared once here; they refer to each other as `crate::desktop`.
#[path = "../common/app.rs"]
mod app;
#[path = "../../../tests/common/desktop.rs"]
mod desktop;
#[path = "../common/panel.rs"]
mod panel;
#[path = "../../../tests/common/poll.rs"]
mod poll;
#[path = "../common/webdriver.rs"]
mod webdriver;

mod one_gate;
mod tray_panel;
mod window_webdriver;
