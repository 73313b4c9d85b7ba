//! `couper run` on a test desktop (tests/common/desktop.rs), driven as a user drives it:
//! its settings file and store in the desktop's directory, the `couper` binary run with
//! `COUPER_CONFIG` and `COUPER_STORE`, the CLI for everything else, and a zbus client as an
//! app. Shared by tests/desktop/live_gate.rs and benches/gate.rs (the binary is
//! `CARGO_BIN_EXE_couper`: the debug build for tests, the release build for benches).
#![allow(dead_code)]

use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;
use std::process::{Output, Stdio};

use crate::desktop::{self, Desktop, Dunst, PATIENCE};
use serde_json::Value;
use tokio::process::{Child, Command};

/// The zone the settings are in, and the one the tests write local times in.
pub const ZONE: &str = "Europe/Paris";

/// Working time every day, around the clock.
pub const ALWAYS: &str = r#"[hours]
mon = ["00:00-24:00"]
tue = ["00:00-24:00"]
wed = ["00:00-24:00"]
thu = ["00:00-24:00"]
fri = ["00:00-24:00"]
sat = ["00:00-24:00"]
sun = ["00:00-24:00"]
"#;

/// No working time at all.
pub const NEVER: &str = "[hours]\n";

/// Slack is work, "bad buzz" is a crisis, and dunst (with the test dunstrc) draws.
pub fn settings(desk: &Desktop, hours: &str, more: &str) -> String {
    format!(
        r#"timezone = "{ZONE}"

{hours}
{more}
[[work_apps]]
name = "Slack"
app = "slack"

[crisis]
keywords = ["bad buzz"]

[display]
command = ["dunst", "-config", "{}", "-verbosity", "crit"]
"#,
        desk.dunstrc().display()
    )
}

/// `couper run` and the dunst it draws through.
pub struct Gate {
    pub process: Child,
    pub dunst: Dunst,
}

/// A desktop with a settings file and a store, and `couper run` on it when started.
pub struct Session {
    // Dropped first: the gate goes before its desktop.
    pub gate: Option<Gate>,
    runs: u32,
    pub settings: PathBuf,
    pub store: PathBuf,
    pub desk: Desktop,
}

impl Drop for Session {
    fn drop(&mut self) {
        if std::thread::panicking() {
            for run in 1..=self.runs {
                let log = self.desk.dir().join(format!("couper-run-{run}.log"));
                let text = std::fs::read_to_string(&log).unwrap_or_default();
                eprintln!("--- couper run #{run} said:\n{text}");
            }
        }
    }
}

impl Session {
    /// A desktop with the settings `text(desktop)`; no gate yet.
    pub async fn new(text: impl FnOnce(&Desktop) -> String) -> Session {
        let desk = Desktop::start().await;
        let settings = desk.dir().join("config/settings.toml");
        std::fs::create_dir_all(settings.parent().unwrap()).unwrap();
        std::fs::write(&settings, text(&desk)).unwrap();
        let store = desk.dir().join("data/couper.sqlite3");
        Session {
            gate: None,
            runs: 0,
            settings,
            store,
            desk,
        }
    }

    /// Replaces the settings file as an editor or the app does (write, then rename).
    pub fn edit_settings(&self, text: &str) {
        let tmp = self.settings.with_extension("toml.new");
        std::fs::write(&tmp, text).unwrap();
        std::fs::rename(&tmp, &self.settings).unwrap();
    }

    /// A program on this session, with Couper's settings and store.
    pub fn command(&self, program: &str) -> Command {
        let mut command = self.desk.app(program);
        command
            .env("COUPER_CONFIG", &self.settings)
            .env("COUPER_STORE", &self.store)
            // Where Couper's private bus keeps its socket (a kill -9 leaves it behind).
            .env("XDG_RUNTIME_DIR", self.desk.dir())
            .env_remove("COUPER_LOG");
        command
    }

    /// Runs `couper ARGS` to its end.
    pub async fn couper(&self, args: &[&str]) -> Output {
        let output = self
            .command(env!("CARGO_BIN_EXE_couper"))
            .args(args)
            .output();
        tokio::time::timeout(PATIENCE, output)
            .await
            .unwrap_or_else(|_| panic!("couper {args:?} did not end"))
            .expect("couper")
    }

    /// Runs `couper ARGS`, which must succeed, and returns what it printed.
    pub async fn ok(&self, args: &[&str]) -> String {
        let output = self.couper(args).await;
        assert!(
            output.status.success(),
            "couper {args:?}: {}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }

    pub async fn status(&self) -> Value {
        serde_json::from_str(&self.ok(&["status", "--json"]).await).expect("status JSON")
    }

    pub async fn held(&self) -> Vec<Value> {
        let held: Value =
            serde_json::from_str(&self.ok(&["held", "--json"]).await).expect("held JSON");
        held.as_array().expect("a list").clone()
    }

    /// Starts a `couper run` (not waiting for it).
    pub fn spawn_run(&mut self) -> Child {
        self.spawn_run_with(&[], &[])
    }

    /// Starts `couper run ARGS` with `env` on top of the session's (not waiting for it).
    pub fn spawn_run_with(&mut self, args: &[&str], env: &[(&str, &str)]) -> Child {
        self.runs += 1;
        let log = self
            .desk
            .dir()
            .join(format!("couper-run-{}.log", self.runs));
        let log = std::fs::File::create(log).unwrap();
        self.command(env!("CARGO_BIN_EXE_couper"))
            .arg("run")
            .args(args)
            .envs(env.iter().copied())
            .env("COUPER_LOG", "couper=info")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("couper run")
    }

    /// What the last `couper run` logged so far.
    pub fn run_log(&self) -> String {
        let log = self
            .desk
            .dir()
            .join(format!("couper-run-{}.log", self.runs));
        std::fs::read_to_string(log).unwrap_or_default()
    }

    /// Starts `couper run` and waits until it serves (its status names its display bus).
    pub async fn start(&mut self) {
        let process = self.spawn_run();
        self.serving(process).await;
    }

    /// Stops the running gate as the session does (SIGTERM), waits for it to end, and
    /// starts another on the same bus and store.
    pub async fn restart(&mut self) {
        self.stop().await;
        self.start().await;
    }

    /// Stops the running gate as the session does (SIGTERM) and waits for it to end.
    pub async fn stop(&mut self) {
        let mut gate = self.gate.take().expect("a running gate");
        kill(gate.process.id().expect("pid"), libc::SIGTERM);
        let _ = gate.process.wait().await;
    }

    /// Waits until `process` (a `couper run`) serves, and keeps it as the session's gate.
    pub async fn serving(&mut self, process: Child) {
        let process = std::sync::Mutex::new(process);
        let display_bus = eventually("couper run serves", || async {
            if let Ok(Some(status)) = process.lock().unwrap().try_wait() {
                panic!("couper run ended: {status}");
            }
            let output = self.couper(&["status", "--json"]).await;
            let status: Value = serde_json::from_slice(&output.stdout).ok()?;
            status["display_bus"].as_str().map(str::to_string)
        })
        .await;
        let process = process.into_inner().unwrap();
        self.gate = Some(Gate {
            process,
            dunst: Dunst::on(&display_bus),
        });
    }

    /// The dunst behind the running gate.
    pub fn dunst(&self) -> &Dunst {
        &self.gate.as_ref().expect("a running gate").dunst
    }

    pub fn gate_pid(&self) -> u32 {
        let gate = self.gate.as_ref().expect("a running gate");
        gate.process.id().expect("pid")
    }

    /// An app sends a notification (`notify-send ARGS`).
    pub async fn notify_send(&self, args: &[&str]) -> String {
        let output = self.desk.run("notify-send", args).await;
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }

    /// A Slack notification (its app name and desktop entry).
    pub async fn slack(&self, summary: &str, body: &str) {
        self.notify_send(&[
            "-a",
            "slack",
            "-h",
            "string:desktop-entry:slack",
            summary,
            body,
        ])
        .await;
    }

    /// A personal notification, and waits until dunst shows `then_shown`: whatever was sent
    /// before it and not held would be shown by then too.
    pub async fn personal(&self, summary: &str, then_shown: u32) {
        self.notify_send(&["-a", "whatsapp", summary, "personal"])
            .await;
        self.dunst().wait_displayed(then_shown).await;
    }

    /// A client of the session bus, as an app is.
    pub async fn app_connection(&self) -> zbus::Connection {
        zbus::connection::Builder::address(self.desk.session_bus())
            .build()
            .await
            .expect("session bus")
    }
}

/// Waits until `probe` gives something, polling with a backoff, for at most [`PATIENCE`].
pub async fn eventually<T, F, Fut>(what: &str, probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    desktop::eventually_async(what, probe).await
}

/// The formatted messages of what dunst showed (`URGENCY summary|body`), sorted.
pub fn messages(shown: &[desktop::Shown]) -> Vec<String> {
    let mut messages: Vec<String> = shown.iter().map(|s| s.message.clone()).collect();
    messages.sort();
    messages
}

/// Notify over `conn`, as an app linked with a D-Bus library does; returns Couper's id.
pub async fn notify(
    conn: &zbus::Connection,
    app: &str,
    summary: &str,
    body: &str,
    hints: HashMap<&str, zbus::Variant<'_>>,
) -> u32 {
    notify_replacing(conn, app, 0, summary, body, hints).await
}

/// [`notify`] with a `replaces_id`.
pub async fn notify_replacing(
    conn: &zbus::Connection,
    app: &str,
    replaces_id: u32,
    summary: &str,
    body: &str,
    hints: HashMap<&str, zbus::Variant<'_>>,
) -> u32 {
    let reply = conn
        .call_method(
            Some("org.freedesktop.Notifications"),
            "/org/freedesktop/Notifications",
            Some("org.freedesktop.Notifications"),
            "Notify",
            &(
                app,
                replaces_id,
                "",
                summary,
                body,
                Vec::<&str>::new(),
                hints,
                -1i32,
            ),
        )
        .await
        .expect("Notify");
    reply.body().deserialize().expect("an id")
}

/// CloseNotification(`id`) over `conn`, as an app withdraws a notification.
pub async fn close_notification(conn: &zbus::Connection, id: u32) {
    conn.call_method(
        Some("org.freedesktop.Notifications"),
        "/org/freedesktop/Notifications",
        Some("org.freedesktop.Notifications"),
        "CloseNotification",
        &id,
    )
    .await
    .expect("CloseNotification");
}

/// The desktop entry Slack sends.
pub fn slack_hints() -> HashMap<&'static str, zbus::Variant<'static>> {
    HashMap::from([("desktop-entry", zbus::Variant::from("slack"))])
}

/// Whether `name` has an owner on the session bus.
pub async fn has_owner(conn: &zbus::Connection, name: &str) -> bool {
    let dbus = zbus::fdo::DBusProxy::new(conn).await.expect("bus");
    dbus.name_has_owner(name.try_into().expect("a name"))
        .await
        .expect("NameHasOwner")
}

pub fn kill(pid: u32, signal: libc::c_int) {
    // SAFETY: kill(2) on a process this test started (or, for the activated dunst, found
    // as the owner of a name on the test's own bus).
    let done = unsafe { libc::kill(pid as libc::pid_t, signal) };
    assert_eq!(done, 0, "kill {pid}");
}

/// The arguments of a `Notify` call, as a monitor reads them.
pub type NotifyArgs = (
    String,
    u32,
    String,
    String,
    String,
    Vec<String>,
    HashMap<String, zbus::OwnedVariant>,
    i32,
);
