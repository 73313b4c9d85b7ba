//! The tray app as a user starts it, for the tests: the built `couper-app` binary on a
//! test desktop (tests/common/desktop.rs: Xvfb, a private session bus, dunst), with its
//! settings, store, home and runtime dir in the desktop's temp dir, and the control
//! interface to read its status (what `couper status --json` prints).
#![allow(dead_code)]

use crate::desktop::{Backoff, Desktop, PATIENCE};
use couper::control::CouperProxy;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use tokio::process::{Child, Command};

/// The built app.
pub const APP: &str = env!("CARGO_BIN_EXE_couper-app");

/// The app to measure: `$COUPER_APP` (e.g. the release build), else the test build.
pub fn app_under_test() -> String {
    std::env::var("COUPER_APP").unwrap_or_else(|_| APP.to_string())
}

/// The zone the settings are in.
pub const ZONE: &str = "Europe/Paris";

/// Working time every day but the last minute of it, so that "I'm off" has a next start.
pub const EVERY_DAY: &str = r#"[hours]
mon = ["00:00-23:59"]
tue = ["00:00-23:59"]
wed = ["00:00-23:59"]
thu = ["00:00-23:59"]
fri = ["00:00-23:59"]
sat = ["00:00-23:59"]
sun = ["00:00-23:59"]
"#;

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
    command(desk, files).spawn().expect("couper-app")
}

/// The app started with `args`.
pub fn spawn_with(desk: &Desktop, files: &Files, args: &[&str]) -> Child {
    command(desk, files).args(args).spawn().expect("couper-app")
}

/// The app's command on the test desktop, with its files.
pub fn command(desk: &Desktop, files: &Files) -> Command {
    let mut command = Command::new(app_under_test());
    command
        .envs(files.env(desk))
        .stdin(Stdio::null())
        .kill_on_drop(true);
    command
}

/// The names of `pid`'s descendants that are WebKit's processes (the web and network
/// processes a webview starts).
pub fn webkit_processes(pid: u32) -> Vec<String> {
    let parent_of = |p: u32| -> Option<(u32, String)> {
        let stat = std::fs::read_to_string(format!("/proc/{p}/stat")).ok()?;
        // "PID (COMM) STATE PPID ...": COMM may hold spaces and parentheses.
        let (head, tail) = stat.rsplit_once(')')?;
        let comm = head.split_once('(')?.1.to_string();
        let ppid = tail.split_whitespace().nth(1)?.parse().ok()?;
        Some((ppid, comm))
    };
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(p) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<u32>().ok())
        else {
            continue;
        };
        let Some((mut up, comm)) = parent_of(p) else {
            continue;
        };
        if !comm.starts_with("WebKit") {
            continue;
        }
        while up > 1 && up != pid {
            up = parent_of(up).map_or(0, |(ppid, _)| ppid);
        }
        if up == pid {
            found.push(comm);
        }
    }
    found.sort();
    found
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
    let mut backoff = Backoff::new(PATIENCE);
    let name = zbus::names::BusName::try_from(couper::control::NAME).expect("name");
    while !dbus
        .name_has_owner(name.clone())
        .await
        .expect("NameHasOwner")
    {
        backoff.wait("couper-app did not start its gate").await;
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

/// The `couper` CLI (the root package's binary): `$COUPER_CLI`, else built once for these
/// tests (`cargo build -p couper --bin couper`, a no-op when it is up to date). Blocking:
/// call it off the async threads.
pub fn couper_cli() -> PathBuf {
    static CLI: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    CLI.get_or_init(|| {
        if let Some(cli) = std::env::var_os("COUPER_CLI") {
            return PathBuf::from(cli);
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let output = std::process::Command::new(env!("CARGO"))
            .current_dir(&root)
            .args([
                "build",
                "-p",
                "couper",
                "--bin",
                "couper",
                "--message-format=json-render-diagnostics",
            ])
            .stdin(Stdio::null())
            .stderr(Stdio::inherit())
            .output()
            .expect("cargo build -p couper");
        assert!(
            output.status.success(),
            "cargo build -p couper --bin couper failed"
        );
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|line| serde_json::from_str::<Value>(line).ok())
            .filter(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == "couper")
            .find_map(|m| m["executable"].as_str().map(PathBuf::from))
            .expect("cargo did not say where the couper binary is")
    })
    .clone()
}

/// `couper ARGS` on `desk`, as the user who runs the app (the same files), run to its end.
pub async fn couper(desk: &Desktop, files: &Files, args: &[&str]) -> std::process::Output {
    let cli = tokio::task::spawn_blocking(couper_cli)
        .await
        .expect("couper_cli");
    tokio::time::timeout(
        PATIENCE,
        Command::new(cli)
            .args(args)
            .envs(files.env(desk))
            // What a terminal has: no log filter (a refusal is one line).
            .env_remove("COUPER_LOG")
            .stdin(Stdio::null())
            .kill_on_drop(true)
            .output(),
    )
    .await
    .unwrap_or_else(|_| panic!("couper {args:?} did not end"))
    .expect("couper")
}

/// Starts the headless `couper run` on `desk`, with the app's files (killed when dropped;
/// what it says goes to `couper-run.log` in the desktop's dir).
pub async fn spawn_couper_run(desk: &Desktop, files: &Files) -> Child {
    let cli = tokio::task::spawn_blocking(couper_cli)
        .await
        .expect("couper_cli");
    let log = std::fs::File::create(desk.dir().join("couper-run.log")).expect("log");
    Command::new(cli)
        .arg("run")
        .envs(files.env(desk))
        .stdin(Stdio::null())
        .stderr(log)
        .kill_on_drop(true)
        .spawn()
        .expect("couper run")
}

/// The pid of the connection that owns `name` on `desk`'s bus.
pub async fn owner_pid(desk: &Desktop, name: &str) -> u32 {
    try_owner_pid(desk, name)
        .await
        .unwrap_or_else(|| panic!("nobody owns {name}"))
}

/// The pid of `name`'s owner on `desk`'s bus, if it has one.
pub async fn try_owner_pid(desk: &Desktop, name: &str) -> Option<u32> {
    let conn = zbus::connection::Builder::address(desk.session_bus())
        .build()
        .await
        .expect("session bus");
    let dbus = zbus::fdo::DBusProxy::new(&conn).await.expect("dbus proxy");
    let bus_name = zbus::names::BusName::try_from(name.to_string()).expect("name");
    dbus.get_connection_unix_process_id(bus_name).await.ok()
}

/// The app's visible top-level windows on the test display (X state belongs to the X
/// server: read with xdotool).
pub async fn visible_windows(desk: &Desktop) -> Vec<String> {
    let output = desk
        .app("xdotool")
        .args(["search", "--onlyvisible", "--name", "^Couper$"])
        .output()
        .await
        .expect("xdotool");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// Waits until the app's window shows (the X server has no signal a test can wait on:
/// polled, with a short backoff, until a deadline).
pub async fn until_window_shows(desk: &Desktop) {
    let mut backoff = Backoff::new(PATIENCE);
    while visible_windows(desk).await.is_empty() {
        backoff
            .wait("the running app did not show its window")
            .await;
    }
}
