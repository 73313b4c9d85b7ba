//! The tray app as a user starts it, for the tests: the built `couper-app` binary on a
//! test desktop (tests/common/desktop.rs: Xvfb, a private session bus, dunst), with its
//! settings, store, home and runtime dir in the desktop's temp dir, and the control
//! interface to read its status (what `couper status --json` prints).
#![allow(dead_code)]

use crate::desktop::{Desktop, PATIENCE};
use couper::control::CouperProxy;
use serde_json::Value;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;
use tokio::process::{Child, Command};

/// The built app.
pub const APP: &str = env!("CARGO_BIN_EXE_couper-app");

/// The app to measure: `$COUPER_APP` (e.g. the release build), else the test build.
pub fn app_under_test() -> String {
    std::env::var("COUPER_APP").unwrap_or_else(|_| APP.to_string())
}

/// The zone the settings are in.
pub const ZONE: &str = "Europe/Paris";

/// Settings for a test: `hours` (a `[hours]` table), Slack as a work app, and dunst with
/// the test dunstrc as the display daemon.
pub fn settings(desk: &Desktop, hours: &str) -> String {
    format!(
        r#"timezone = "{ZONE}"

{hours}
[[work_apps]]
name = "Slack"
app = "slack"

[display]
command = ["dunst", "-config", "{}", "-verbosity", "crit"]
"#,
        desk.dunstrc().display()
    )
}

/// Where the app keeps its files in a test.
pub struct Files {
    /// `COUPER_CONFIG`.
    pub settings: PathBuf,
    /// `COUPER_STORE`.
    pub store: PathBuf,
    /// `HOME`.
    pub home: PathBuf,
    /// `XDG_RUNTIME_DIR` (the tray icon's PNGs are written there).
    pub runtime: PathBuf,
    /// `XDG_CONFIG_HOME` (autostart's entry is written there).
    pub config: PathBuf,
}

impl Files {
    /// Lays out the app's files in the desktop's dir, with `settings` written.
    pub fn new(desk: &Desktop, settings: &str) -> Files {
        use std::os::unix::fs::PermissionsExt;
        let root = desk.dir();
        let files = Files {
            settings: root.join("couper/settings.toml"),
            store: root.join("couper/couper.sqlite3"),
            home: root.join("home"),
            runtime: root.join("runtime"),
            config: root.join("home/.config"),
        };
        for dir in [
            root.join("couper"),
            files.home.clone(),
            files.home.join(".cache"),
            files.runtime.clone(),
        ] {
            std::fs::create_dir_all(&dir).expect("app dir");
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))
                .expect("app dir mode");
        }
        std::fs::write(&files.settings, settings).expect("settings");
        files
    }

    /// The app's environment on `desk`: its bus, display, files, and English.
    pub fn env(&self, desk: &Desktop) -> Vec<(&'static str, String)> {
        let path = |p: &PathBuf| p.display().to_string();
        vec![
            ("DBUS_SESSION_BUS_ADDRESS", desk.session_bus().to_string()),
            ("DISPLAY", desk.display().to_string()),
            ("COUPER_CONFIG", path(&self.settings)),
            ("COUPER_STORE", path(&self.store)),
            ("HOME", path(&self.home)),
            ("XDG_RUNTIME_DIR", path(&self.runtime)),
            ("XDG_CONFIG_HOME", path(&self.config)),
            ("XDG_DATA_HOME", path(&self.home.join(".local/share"))),
            ("XDG_CACHE_HOME", path(&self.home.join(".cache"))),
            ("LANG", "C.UTF-8".into()),
            ("LC_ALL", String::new()),
            ("LC_MESSAGES", String::new()),
            // No accessibility bus to activate on the test bus.
            ("NO_AT_BRIDGE", "1".into()),
            ("GTK_A11Y", "none".into()),
            ("COUPER_LOG", "info".into()),
        ]
    }

    /// The settings file's text.
    pub fn settings_text(&self) -> String {
        std::fs::read_to_string(&self.settings).expect("settings file")
    }
}

/// Starts `couper-app` on `desk` (killed when dropped).
pub fn spawn(desk: &Desktop, files: &Files) -> Child {
    let mut command = Command::new(app_under_test());
    command
        .envs(files.env(desk))
        .stdin(Stdio::null())
        .kill_on_drop(true);
    command.spawn().expect("couper-app")
}

/// A client of the running gate's control interface on `desk`'s session bus.
pub async fn control(desk: &Desktop) -> CouperProxy<'static> {
    let conn = zbus::connection::Builder::address(desk.session_bus())
        .build()
        .await
        .expect("session bus");
    CouperProxy::new(&conn).await.expect("control proxy")
}

/// Waits until a Couper gate owns its name on `desk`'s bus.
pub async fn wait_for_gate(desk: &Desktop) {
    let conn = zbus::connection::Builder::address(desk.session_bus())
        .build()
        .await
        .expect("session bus");
    let dbus = zbus::fdo::DBusProxy::new(&conn).await.expect("dbus proxy");
    let deadline = tokio::time::Instant::now() + PATIENCE;
    let name = zbus::names::BusName::try_from(couper::control::NAME).expect("name");
    let mut pause = Duration::from_millis(20);
    while !dbus
        .name_has_owner(name.clone())
        .await
        .expect("NameHasOwner")
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "couper-app did not start its gate"
        );
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_millis(200));
    }
}

/// The status, as `couper status --json` prints it.
pub async fn status(couper: &CouperProxy<'_>) -> Value {
    serde_json::from_str(&couper.status().await.expect("Status")).expect("status JSON")
}

/// The held queue, as `couper held --json` prints it.
pub async fn held(couper: &CouperProxy<'_>) -> Value {
    serde_json::from_str(&couper.held().await.expect("Held")).expect("held JSON")
}
