//! A throwaway desktop for the gate's tests: an Xvfb display (a free one, from
//! `-displayfd`), a private `dbus-daemon` standing for the user's session bus, a dunst
//! configuration, and helpers to run real apps (`notify-send`, `gdbus`) on that session
//! and to read back what dunst shows with `dunstctl` on the gate's private bus.
//!
//! The session bus activates dunst (with the test dunstrc, on the test display) for
//! `org.freedesktop.Notifications`, as a desktop with dunst installed does: what apps meet
//! when no gate owns the name.
//!
//! Everything is unique per [`Desktop`], so tests run in parallel; every process is killed
//! when its owner is dropped.
#![allow(dead_code)]

use std::collections::HashSet;
use std::process::{Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use couper::gate::{self, Admission, Gate, GateConfig, GateError, GateHandle, Gatekeeper, Verdict};
use couper::notification::Notification;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, ChildStdout, Command};
use tokio::sync::mpsc;

pub use crate::poll::Backoff;

/// How long anything outside the test's control (a process starting, dunst updating) may take.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// dunst for tests: nothing expires; each urgency writes itself in front of the message so
/// the history tells it; the context menu (dmenu) picks the first action, as a user would
/// click it.
pub const DUNSTRC: &str = r#"[global]
    dmenu = /usr/bin/head -n 1
    history_length = 50

[urgency_low]
    timeout = 0
    format = "LOW %s|%b"

[urgency_normal]
    timeout = 0
    format = "NORMAL %s|%b"

[urgency_critical]
    timeout = 0
    format = "CRITICAL %s|%b"
"#;

/// An X display and a session bus of the test's own.
pub struct Desktop {
    dir: tempfile::TempDir,
    _xvfb: Child,
    _xvfb_out: BufReader<ChildStdout>,
    display: String,
    _bus: Child,
    _bus_out: BufReader<ChildStdout>,
    session_bus: String,
}

impl Desktop {
    /// Starts Xvfb and the session bus.
    pub async fn start() -> Desktop {
        let dir = tempfile::tempdir().expect("temp dir");
        let (xvfb, xvfb_out, display) = xvfb().await;

        let dunstrc = dir.path().join("dunstrc");
        std::fs::write(&dunstrc, DUNSTRC).expect("dunstrc");
        let services = dir.path().join("services");
        std::fs::create_dir(&services).expect("service dir");
        std::fs::write(
            services.join("org.knopwob.dunst.service"),
            format!(
                "[D-BUS Service]\nName=org.freedesktop.Notifications\n\
                 Exec=/usr/bin/env DISPLAY={display} dunst -config {} -verbosity crit\n",
                dunstrc.display()
            ),
        )
        .expect("activation file");

        let config = dir.path().join("session.conf");
        std::fs::write(&config, bus_config(dir.path(), &services)).expect("bus config");
        let mut bus = Command::new("dbus-daemon");
        bus.arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--print-address=1"]);
        let (bus, bus_out, session_bus) = spawn_and_read_line(bus, "dbus-daemon").await;

        Desktop {
            dir,
            _xvfb: xvfb,
            _xvfb_out: xvfb_out,
            display,
            _bus: bus,
            _bus_out: bus_out,
            session_bus,
        }
    }

    /// The session bus address (what apps get as `DBUS_SESSION_BUS_ADDRESS`).
    pub fn session_bus(&self) -> &str {
        &self.session_bus
    }

    /// A directory of the test's own, removed with the desktop.
    pub fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// The test dunstrc.
    pub fn dunstrc(&self) -> std::path::PathBuf {
        self.dir.path().join("dunstrc")
    }

    /// The X display, e.g. `:3`.
    pub fn display(&self) -> &str {
        &self.display
    }

    /// The gate's configuration for this desktop: dunst with the test dunstrc, drawing on
    /// this display.
    pub fn gate_config(&self) -> GateConfig {
        let dunstrc = self.dir.path().join("dunstrc").display().to_string();
        GateConfig {
            display_command: Some(vec![
                "dunst".into(),
                "-config".into(),
                dunstrc,
                "-verbosity".into(),
                "crit".into(),
            ]),
            session_bus: Some(self.session_bus.clone()),
            display_env: vec![("DISPLAY".into(), self.display.clone())],
            start_timeout: PATIENCE,
            ..GateConfig::default()
        }
    }

    /// Starts the gate in-process on this desktop (it stops when dropped).
    pub async fn start_gate(&self, keeper: Arc<Keeper>) -> Result<Gate, GateError> {
        let shutdown = tokio_util::sync::CancellationToken::new();
        self.start_gate_until(keeper, shutdown).await
    }

    /// Starts the gate in-process on this desktop, until `shutdown` is cancelled.
    pub async fn start_gate_until(
        &self,
        keeper: Arc<Keeper>,
        shutdown: tokio_util::sync::CancellationToken,
    ) -> Result<Gate, GateError> {
        gate::start(keeper, self.gate_config(), shutdown).await
    }

    /// An app's command, on this session and display.
    pub fn app(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command
            .env("DBUS_SESSION_BUS_ADDRESS", &self.session_bus)
            .env("DISPLAY", &self.display)
            .stdin(Stdio::null())
            .kill_on_drop(true);
        command
    }

    /// Runs an app to its end and returns its output (panics if it fails or hangs).
    pub async fn run(&self, program: &str, args: &[&str]) -> Output {
        let output = tokio::time::timeout(PATIENCE, self.app(program).args(args).output())
            .await
            .unwrap_or_else(|_| panic!("{program} {args:?} did not end"))
            .unwrap_or_else(|e| panic!("{program}: {e}"));
        assert!(
            output.status.success(),
            "{program} {args:?}: {}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }
}

/// Starts an Xvfb on a free display; returns it, its output (kept open) and the display,
/// e.g. `:3`.
pub async fn xvfb() -> (Child, BufReader<ChildStdout>, String) {
    let mut xvfb = Command::new("Xvfb");
    xvfb.args([
        "-displayfd",
        "1",
        "-nolisten",
        "tcp",
        "-screen",
        "0",
        "1024x768x24",
    ]);
    let (xvfb, out, number) = spawn_and_read_line(xvfb, "Xvfb").await;
    (xvfb, out, format!(":{number}"))
}

/// Spawns `command` with stdout piped and reads its first line (the display number, or the
/// bus address).
pub async fn spawn_and_read_line(
    mut command: Command,
    what: &str,
) -> (Child, BufReader<ChildStdout>, String) {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {what}: {e}"));
    let mut out = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    tokio::time::timeout(PATIENCE, out.read_line(&mut line))
        .await
        .unwrap_or_else(|_| panic!("{what} said nothing"))
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    let line = line.trim().to_string();
    assert!(!line.is_empty(), "{what} ended before it started");
    (child, out, line)
}

/// A session bus's configuration: listening in `listen`, activating from `services`.
pub fn bus_config(listen: &std::path::Path, services: &std::path::Path) -> String {
    format!(
        r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={listen}</listen>
  <servicedir>{services}</servicedir>
  <auth>EXTERNAL</auth>
  <!-- A session bus's limits, as dbus's own session.conf sets them (the defaults are a
       system bus's: 128 calls awaiting replies per connection). -->
  <limit name="max_replies_per_connection">50000</limit>
  <limit name="max_match_rules_per_connection">50000</limit>
  <limit name="max_names_per_connection">50000</limit>
  <limit name="max_incoming_bytes">1000000000</limit>
  <limit name="max_outgoing_bytes">1000000000</limit>
  <limit name="max_message_size">1000000000</limit>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#,
        listen = listen.display(),
        services = services.display(),
    )
}

/// Polls `probe` with a short backoff until it gives `Some`, for at most [`PATIENCE`]: for
/// state that belongs to another process and has no change signal to wait on.
pub async fn eventually_async<T, F>(what: &str, probe: impl FnMut() -> F) -> T
where
    F: std::future::Future<Output = Option<T>>,
{
    crate::poll::within(what, PATIENCE, probe).await
}

/// What the test gatekeeper was asked.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// `notify`, and what it answered.
    Notified {
        id: u32,
        verdict: Verdict,
        notification: Notification,
    },
    /// `close`.
    Closed(u32),
    /// `own_action`.
    OwnAction(u32, String),
}

/// A tiny gatekeeper: holds when the summary says HOLD, crisis when CRISIS, drops when
/// DROP, else delivers. Its ids start at 1000, far from dunst's, so a relayed signal with
/// the wrong id would not reach its app.
pub struct Keeper {
    next_id: AtomicU32,
    issued: Mutex<HashSet<u32>>,
    events: mpsc::UnboundedSender<Event>,
}

impl Keeper {
    /// The keeper and what it will be asked.
    pub fn new() -> (Arc<Keeper>, mpsc::UnboundedReceiver<Event>) {
        let (events, asked) = mpsc::unbounded_channel();
        let keeper = Keeper {
            next_id: AtomicU32::new(1000),
            issued: Mutex::new(HashSet::new()),
            events,
        };
        (Arc::new(keeper), asked)
    }
}

impl Gatekeeper for Keeper {
    fn notify(&self, _caller: Option<&str>, replaces_id: u32, n: &Notification) -> Admission {
        let mut issued = self.issued.lock().expect("lock");
        let id = if issued.contains(&replaces_id) {
            replaces_id
        } else {
            let id = self.next_id.fetch_add(1, Ordering::SeqCst);
            issued.insert(id);
            id
        };
        let verdict = if n.summary.contains("HOLD") {
            Verdict::Hold
        } else if n.summary.contains("CRISIS") {
            Verdict::DeliverCrisis
        } else if n.summary.contains("DROP") {
            Verdict::Drop
        } else {
            Verdict::Deliver
        };
        let _ = self.events.send(Event::Notified {
            id,
            verdict,
            notification: n.clone(),
        });
        Admission { id, verdict }
    }

    fn close(&self, _caller: Option<&str>, id: u32) -> Option<u32> {
        let _ = self.events.send(Event::Closed(id));
        Some(id)
    }

    fn own_action(&self, id: u32, action_key: &str) {
        let _ = self
            .events
            .send(Event::OwnAction(id, action_key.to_string()));
    }
}

/// The next event, or a panic after [`PATIENCE`].
pub async fn next_event(events: &mut mpsc::UnboundedReceiver<Event>) -> Event {
    tokio::time::timeout(PATIENCE, events.recv())
        .await
        .expect("the gatekeeper was not asked in time")
        .expect("the gatekeeper is gone")
}

/// One notification in dunst's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown {
    /// dunst's id.
    pub id: i64,
    /// `app_name`.
    pub app: String,
    /// The summary.
    pub summary: String,
    /// The body.
    pub body: String,
    /// The formatted text: `URGENCY summary|body` with the test dunstrc.
    pub message: String,
}

/// dunst as `dunstctl` sees it, on the gate's private bus.
pub struct Dunst {
    address: String,
}

impl Dunst {
    /// The dunst behind `gate`.
    pub fn of(gate: &GateHandle) -> Dunst {
        Dunst::on(gate.display_bus_address())
    }

    /// The dunst on the bus at `address` (a gate's private bus, or the session bus when
    /// dunst was activated there).
    pub fn on(address: &str) -> Dunst {
        Dunst {
            address: address.to_string(),
        }
    }

    async fn ctl(&self, args: &[&str]) -> String {
        let output = tokio::time::timeout(
            PATIENCE,
            Command::new("dunstctl")
                .args(args)
                .env("DBUS_SESSION_BUS_ADDRESS", &self.address)
                .stdin(Stdio::null())
                .kill_on_drop(true)
                .output(),
        )
        .await
        .expect("dunstctl hung")
        .expect("dunstctl");
        assert!(
            output.status.success(),
            "dunstctl {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }

    /// `dunstctl count displayed|waiting|history`.
    pub async fn count(&self, which: &str) -> u32 {
        let text = self.ctl(&["count", which]).await;
        text.parse()
            .unwrap_or_else(|_| panic!("dunstctl count {which}: {text:?}"))
    }

    /// How many notifications dunst shows now.
    pub async fn displayed(&self) -> u32 {
        self.count("displayed").await
    }

    /// How many notifications dunst has received and kept (waiting, shown, or in history).
    pub async fn received(&self) -> u32 {
        self.count("waiting").await + self.count("displayed").await + self.count("history").await
    }

    /// Waits until dunst shows `n` notifications. dunst's state belongs to another process
    /// and has no change signal, so this polls, with a short backoff and a deadline.
    pub async fn wait_displayed(&self, n: u32) {
        let mut backoff = Backoff::new(PATIENCE);
        loop {
            let now = self.displayed().await;
            if now == n {
                return;
            }
            backoff
                .wait(format_args!("dunst shows {now} notifications, not {n}"))
                .await;
        }
    }

    /// Invokes the notification at `position` as a click would (with the test dunstrc, the
    /// first action of a notification that has several).
    pub async fn action(&self, position: u32) {
        self.ctl(&["action", &position.to_string()]).await;
    }

    /// Closes everything shown (what waits is shown next).
    pub async fn close_all(&self) {
        self.ctl(&["close-all"]).await;
    }

    /// Closes everything shown and returns dunst's history, oldest first.
    pub async fn close_all_and_read(&self) -> Vec<Shown> {
        self.ctl(&["close-all"]).await;
        self.wait_displayed(0).await;
        self.history().await
    }

    /// dunst's history, oldest first.
    pub async fn history(&self) -> Vec<Shown> {
        let json = self.ctl(&["history"]).await;
        let value: serde_json::Value = serde_json::from_str(&json).expect("history JSON");
        let field = |entry: &serde_json::Value, key: &str| entry[key]["data"].clone();
        let mut shown: Vec<Shown> = value["data"][0]
            .as_array()
            .expect("history list")
            .iter()
            .map(|entry| Shown {
                id: field(entry, "id").as_i64().expect("id"),
                app: field(entry, "appname")
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                summary: field(entry, "summary")
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                body: field(entry, "body")
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                message: field(entry, "message")
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            })
            .collect();
        shown.reverse();
        shown
    }
}
