//! `couper run` as a user meets it, with real parts only: the `couper` binary on a private
//! session bus and an Xvfb display (tests/common/desktop.rs), dunst on Couper's private bus
//! (`[display] command` in the settings), `notify-send`, `gdbus` and a zbus client as the
//! apps, the CLI as a user types it, and what dunst shows read back with `dunstctl`.
//!
//! Each test has its own display, buses, settings file and store, so they run in parallel.
//! Nothing sleeps for a fixed time: what belongs to another process (dunst's counts, the
//! gate's status) is polled with a backoff and a deadline.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/desktop.rs"]
mod desktop;

use std::collections::{BTreeSet, HashMap};
use std::future::Future;
use std::path::PathBuf;
use std::process::{Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use desktop::{Desktop, Dunst, PATIENCE};
use futures_util::StreamExt;
use jiff::{Timestamp, ToSpan};
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// The zone the settings are in, and the one the tests write local times in.
const ZONE: &str = "Europe/Paris";

/// Working time every day, around the clock.
const ALWAYS: &str = r#"[hours]
mon = ["00:00-24:00"]
tue = ["00:00-24:00"]
wed = ["00:00-24:00"]
thu = ["00:00-24:00"]
fri = ["00:00-24:00"]
sat = ["00:00-24:00"]
sun = ["00:00-24:00"]
"#;

/// No working time at all.
const NEVER: &str = "[hours]\n";

/// Slack is work, "bad buzz" is a crisis, and dunst (with the test dunstrc) draws.
fn settings(desk: &Desktop, hours: &str, more: &str) -> String {
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
struct Gate {
    process: Child,
    dunst: Dunst,
}

/// A desktop with a settings file and a store, and `couper run` on it when started.
struct Session {
    // Dropped first: the gate goes before its desktop.
    gate: Option<Gate>,
    runs: u32,
    settings: PathBuf,
    store: PathBuf,
    desk: Desktop,
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
    async fn new(text: impl FnOnce(&Desktop) -> String) -> Session {
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
    fn edit_settings(&self, text: &str) {
        let tmp = self.settings.with_extension("toml.new");
        std::fs::write(&tmp, text).unwrap();
        std::fs::rename(&tmp, &self.settings).unwrap();
    }

    /// A program on this session, with Couper's settings and store.
    fn command(&self, program: &str) -> Command {
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
    async fn couper(&self, args: &[&str]) -> Output {
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
    async fn ok(&self, args: &[&str]) -> String {
        let output = self.couper(args).await;
        assert!(
            output.status.success(),
            "couper {args:?}: {}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }

    async fn status(&self) -> Value {
        serde_json::from_str(&self.ok(&["status", "--json"]).await).expect("status JSON")
    }

    async fn held(&self) -> Vec<Value> {
        let held: Value =
            serde_json::from_str(&self.ok(&["held", "--json"]).await).expect("held JSON");
        held.as_array().expect("a list").clone()
    }

    /// Starts a `couper run` (not waiting for it).
    fn spawn_run(&mut self) -> Child {
        self.runs += 1;
        let log = self.desk.dir().join(format!("couper-run-{}.log", self.runs));
        let log = std::fs::File::create(log).unwrap();
        self.command(env!("CARGO_BIN_EXE_couper"))
            .arg("run")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("couper run")
    }

    /// Starts `couper run` and waits until it serves (its status names its display bus).
    async fn start(&mut self) {
        let process = std::sync::Mutex::new(self.spawn_run());
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
    fn dunst(&self) -> &Dunst {
        &self.gate.as_ref().expect("a running gate").dunst
    }

    fn gate_pid(&self) -> u32 {
        let gate = self.gate.as_ref().expect("a running gate");
        gate.process.id().expect("pid")
    }

    /// An app sends a notification (`notify-send ARGS`).
    async fn notify_send(&self, args: &[&str]) -> String {
        let output = self.desk.run("notify-send", args).await;
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }

    /// A Slack notification (its app name and desktop entry).
    async fn slack(&self, summary: &str, body: &str) {
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
    async fn personal(&self, summary: &str, then_shown: u32) {
        self.notify_send(&["-a", "whatsapp", summary, "personal"])
            .await;
        self.dunst().wait_displayed(then_shown).await;
    }

    /// A client of the session bus, as an app is.
    async fn app_connection(&self) -> zbus::Connection {
        zbus::connection::Builder::address(self.desk.session_bus())
            .build()
            .await
            .expect("session bus")
    }
}

/// Waits until `probe` gives something, polling with a backoff, for at most [`PATIENCE`].
async fn eventually<T, F, Fut>(what: &str, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = tokio::time::Instant::now() + PATIENCE;
    let mut pause = Duration::from_millis(10);
    loop {
        if let Some(value) = probe().await {
            return value;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "not in time: {what}"
        );
        tokio::time::sleep(pause).await;
        pause = (pause * 2).min(Duration::from_millis(200));
    }
}

/// The formatted messages of what dunst showed (`URGENCY summary|body`), sorted.
fn messages(shown: &[desktop::Shown]) -> Vec<String> {
    let mut messages: Vec<String> = shown.iter().map(|s| s.message.clone()).collect();
    messages.sort();
    messages
}

/// Notify over `conn`, as an app linked with a D-Bus library does; returns Couper's id.
async fn notify(
    conn: &zbus::Connection,
    app: &str,
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
            &(app, 0u32, "", summary, body, Vec::<&str>::new(), hints, -1i32),
        )
        .await
        .expect("Notify");
    reply.body().deserialize().expect("an id")
}

fn slack_hints() -> HashMap<&'static str, zbus::Variant<'static>> {
    HashMap::from([("desktop-entry", zbus::Variant::from("slack"))])
}

const DIGEST_BODY: &str = "Open Couper to read them.";

#[tokio::test]
async fn in_working_time_a_work_notification_reaches_dunst_and_its_action_reaches_the_app() {
    let mut s = Session::new(|d| settings(d, ALWAYS, "")).await;
    s.start().await;
    let display_bus = s.status().await["display_bus"]
        .as_str()
        .unwrap()
        .to_string();

    // dunst shows three of its own first, so its ids and Couper's differ from here on.
    for i in 0..3 {
        let posted = s
            .desk
            .app("notify-send")
            .env("DBUS_SESSION_BUS_ADDRESS", &display_bus)
            .args([&format!("straight to dunst {i}")])
            .status()
            .await
            .unwrap();
        assert!(posted.success());
    }
    let own = s.dunst().close_all_and_read().await;
    assert_eq!(own.len(), 3);

    s.notify_send(&[
        "-a",
        "slack",
        "-h",
        "string:desktop-entry:slack",
        "-u",
        "critical",
        "Deploy failed",
        "prod, 21:04",
    ])
    .await;
    s.notify_send(&["-a", "slack", "-u", "low", "Standup", "in 5 minutes"])
        .await;
    s.dunst().wait_displayed(2).await;
    let shown = s.dunst().close_all_and_read().await;
    let shown = &shown[3..];
    assert!(shown.iter().all(|n| n.app == "slack"), "{shown:?}");
    assert_eq!(
        messages(shown),
        ["CRITICAL Deploy failed|prod, 21:04", "LOW Standup|in 5 minutes"]
    );

    let mut app = s
        .desk
        .app("notify-send")
        .args([
            "-p",
            "--wait",
            "-a",
            "slack",
            "-h",
            "string:desktop-entry:slack",
            "--action=yes=Yes",
            "--action=no=No",
            "Deploy?",
            "approve the release",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .expect("notify-send");
    let mut out = BufReader::new(app.stdout.take().unwrap()).lines();
    let id: u32 = tokio::time::timeout(PATIENCE, out.next_line())
        .await
        .expect("notify-send printed no id")
        .unwrap()
        .expect("an id line")
        .parse()
        .expect("a number");
    s.dunst().wait_displayed(1).await;
    // Clicked as a user would: the test dunstrc's menu picks the first action, "Yes".
    s.dunst().action(0).await;
    let clicked = tokio::time::timeout(PATIENCE, out.next_line())
        .await
        .expect("the action did not reach notify-send")
        .unwrap();
    assert_eq!(clicked.as_deref(), Some("yes"));
    let _ = tokio::time::timeout(PATIENCE, app.wait()).await;

    // The app knows it by Couper's id, which is not dunst's.
    let history = s.dunst().history().await;
    let in_dunst = history.iter().find(|n| n.summary == "Deploy?").unwrap();
    assert_ne!(in_dunst.id, i64::from(id));
    assert_eq!(in_dunst.body, "approve the release");
    let explained = s.ok(&["explain", &id.to_string()]).await;
    assert!(explained.starts_with(&format!("#{id} slack")), "{explained}");
    assert!(explained.contains("Slack"), "{explained}");
}

#[tokio::test]
async fn off_holds_work_lets_personal_and_crises_through_and_on_brings_the_digest() {
    let mut s = Session::new(|d| settings(d, ALWAYS, "")).await;
    s.start().await;

    let said = s.ok(&["off"]).await;
    assert!(said.starts_with("Off"), "{said}");
    s.slack("Bryan", "On publie ?").await;
    s.personal("Dinner?", 1).await;
    assert_eq!(s.dunst().received().await, 1, "the Slack one was not shown");

    let held = s.held().await;
    assert_eq!(held.len(), 1, "{held:?}");
    assert_eq!(held[0]["notification"]["summary"], "Bryan");
    assert_eq!(held[0]["source"], "Slack");
    let listed = s.ok(&["held"]).await;
    assert!(
        listed.contains("Bryan") && listed.contains("Slack"),
        "{listed}"
    );

    // Crises from a work app get through while off: critical urgency, or a keyword.
    s.notify_send(&[
        "-a",
        "slack",
        "-u",
        "critical",
        "Prod is down",
        "since 21:04",
    ])
    .await;
    s.notify_send(&["-a", "slack", "-u", "low", "Bad buzz on Twitter", "look"])
        .await;
    s.dunst().wait_displayed(3).await;
    let shown = s.dunst().close_all_and_read().await;
    assert_eq!(
        messages(&shown),
        [
            "CRITICAL Bad buzz on Twitter|look",
            "CRITICAL Prod is down|since 21:04",
            "NORMAL Dinner?|personal",
        ]
    );
    assert_eq!(s.status().await["held"], 1);

    let said = s.ok(&["on"]).await;
    assert!(said.starts_with("Working"), "{said}");
    s.dunst().wait_displayed(1).await;
    let shown = s.dunst().close_all_and_read().await;
    assert_eq!(shown.len(), 4, "{shown:?}");
    assert_eq!(
        shown[3].message,
        format!("NORMAL While you were off: 1 held — Slack 1|{DIGEST_BODY}")
    );
    assert!(s.held().await.is_empty());
}

#[tokio::test]
async fn a_time_off_ending_in_a_few_seconds_releases_by_itself() {
    let today = Timestamp::now().in_tz(ZONE).unwrap().date();
    let time_off = |end: &str| format!("[[time_off]]\nstart = \"{today}T00:00\"\nend = \"{end}\"\n");
    let mut s = Session::new(|d| {
        let tomorrow = today.tomorrow().unwrap();
        settings(d, ALWAYS, &time_off(&format!("{tomorrow}T00:00")))
    })
    .await;
    s.start().await;
    s.slack("Weekly report", "due Monday").await;
    let status = s.status().await;
    assert_eq!((status["working"].as_bool(), status["held"].as_u64()), (Some(false), Some(1)));

    // The time off now ends three seconds from now, in the settings' zone.
    let end = (Timestamp::now().in_tz(ZONE).unwrap() + 3.seconds())
        .with()
        .subsec_nanosecond(0)
        .build()
        .unwrap();
    let end_text = end.strftime("%Y-%m-%dT%H:%M:%S").to_string();
    let end = end.timestamp();
    s.edit_settings(&settings(&s.desk, ALWAYS, &time_off(&end_text)));
    eventually("the edit is read", || async {
        let next = s.status().await["next_start"].as_str()?.parse::<Timestamp>();
        (next.ok()? == end).then_some(())
    })
    .await;
    assert_eq!(s.status().await["held"], 1);

    // Nobody does anything: the digest comes when the time off ends.
    s.dunst().wait_displayed(1).await;
    assert!(Timestamp::now() >= end, "released before the end of the time off");
    let shown = s.dunst().close_all_and_read().await;
    assert_eq!(
        messages(&shown),
        [format!(
            "NORMAL While you were off: 1 held — Slack 1|{DIGEST_BODY}"
        )]
    );
    let status = s.status().await;
    assert_eq!((status["working"].as_bool(), status["held"].as_u64()), (Some(true), Some(0)));
}

/// Whether `name` has an owner on the session bus.
async fn has_owner(conn: &zbus::Connection, name: &str) -> bool {
    let dbus = zbus::fdo::DBusProxy::new(conn).await.expect("bus");
    dbus.name_has_owner(name.try_into().expect("a name"))
        .await
        .expect("NameHasOwner")
}

fn kill(pid: u32, signal: libc::c_int) {
    // SAFETY: kill(2) on a process this test started (or, for the activated dunst, found
    // as the owner of a name on the test's own bus).
    let done = unsafe { libc::kill(pid as libc::pid_t, signal) };
    assert_eq!(done, 0, "kill {pid}");
}

#[tokio::test]
async fn after_a_kill_9_activation_shows_notifications_and_the_next_run_releases_each_held_once()
{
    let mut s = Session::new(|d| settings(d, ALWAYS, "")).await;
    s.start().await;
    s.ok(&["off"]).await;
    for summary in ["one", "two", "three"] {
        s.slack(summary, "held").await;
    }
    let ids: BTreeSet<u64> = s
        .held()
        .await
        .iter()
        .map(|h| h["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids.len(), 3);

    let app = s.app_connection().await;
    let mut gate = s.gate.take().unwrap();
    kill(gate.process.id().unwrap(), libc::SIGKILL);
    let _ = gate.process.wait().await;
    eventually("the name is freed", || async {
        (!has_owner(&app, "org.freedesktop.Notifications").await).then_some(())
    })
    .await;

    // Fail open: the bus activates the normal daemon, which shows what comes next, and
    // nothing that Couper held.
    s.slack("While Couper is down", "shown by dunst").await;
    let activated = Dunst::on(s.desk.session_bus());
    activated.wait_displayed(1).await;
    let shown = activated.close_all_and_read().await;
    assert_eq!(
        messages(&shown),
        ["NORMAL While Couper is down|shown by dunst"]
    );

    // The user stops it, as they would before starting Couper again.
    let dbus = zbus::fdo::DBusProxy::new(&app).await.unwrap();
    let pid = dbus
        .get_connection_unix_process_id("org.freedesktop.Notifications".try_into().unwrap())
        .await
        .expect("the activated daemon's pid");
    kill(pid, libc::SIGTERM);
    eventually("the activated daemon is gone", || async {
        (!has_owner(&app, "org.freedesktop.Notifications").await).then_some(())
    })
    .await;

    s.start().await;
    let still: BTreeSet<u64> = s
        .held()
        .await
        .iter()
        .map(|h| h["id"].as_u64().unwrap())
        .collect();
    assert_eq!(still, ids, "the new run holds the same ones");

    s.ok(&["on"]).await;
    s.dunst().wait_displayed(1).await;
    assert_eq!(s.ok(&["release", "--all"]).await, "released 0");
    s.personal("after", 2).await;
    let shown = s.dunst().close_all_and_read().await;
    assert_eq!(
        messages(&shown),
        [
            format!("NORMAL While you were off: 3 held — Slack 3|{DIGEST_BODY}"),
            "NORMAL after|personal".to_string(),
        ]
    );

    // The store's history: one release per held id, and nothing else released.
    let db = rusqlite::Connection::open(&s.store).unwrap();
    let mut query = db
        .prepare("SELECT id, COUNT(*) FROM history WHERE kind = 'release' GROUP BY id")
        .unwrap();
    let releases: Vec<(i64, i64)> = query
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        releases,
        ids.iter().map(|&id| (id as i64, 1)).collect::<Vec<_>>(),
        "one release per id"
    );
}

#[tokio::test]
async fn a_second_couper_run_refuses_in_one_line_and_the_first_keeps_serving() {
    let mut s = Session::new(|d| settings(d, ALWAYS, "")).await;
    s.start().await;
    let first = s.gate_pid();

    let second = s.couper(&["run"]).await;
    assert_eq!(second.status.code(), Some(1));
    let said = String::from_utf8_lossy(&second.stderr).trim().to_string();
    assert_eq!(said.lines().count(), 1, "{said}");
    assert!(
        said.starts_with(&format!(
            "couper: a Couper gate is already running in this session (pid {first}"
        )),
        "{said}"
    );
    assert!(said.contains("couper status"), "{said}");

    s.personal("still here", 1).await;
    assert_eq!(s.status().await["route"], "proxy");
}

#[tokio::test]
async fn a_broken_settings_edit_keeps_the_last_good_ones_and_a_valid_one_releases() {
    let mut s = Session::new(|d| settings(d, NEVER, "")).await;
    s.start().await;
    s.slack("before the edit", "held").await;
    assert_eq!(s.status().await["held"], 1);

    // A typo: refused, with its line, key and reason.
    s.edit_settings("timezone = \"Europe/Paris\"\n\n[hours]\nmon = [\"9h-18h\"]\n");
    let refused = eventually("the refusal shows in the status", || async {
        s.status().await["settings_refused"]
            .as_str()
            .map(str::to_string)
    })
    .await;
    assert!(refused.contains("settings.toml:4: hours.mon"), "{refused}");
    assert!(refused.contains("\"9h-18h\" is not HH:MM-HH:MM"), "{refused}");
    let text = s.ok(&["status"]).await;
    assert!(
        text.contains("(the last good settings stay)"),
        "{text}"
    );

    // Still the last good settings: Slack is work, it is not working time.
    s.slack("after the typo", "held").await;
    s.personal("marker", 1).await;
    assert_eq!(s.dunst().received().await, 1);
    let status = s.status().await;
    assert_eq!((status["working"].as_bool(), status["held"].as_u64()), (Some(false), Some(2)));

    // A valid edit that makes it working time releases them.
    s.edit_settings(&settings(&s.desk, ALWAYS, ""));
    s.dunst().wait_displayed(2).await;
    let shown = s.dunst().close_all_and_read().await;
    assert_eq!(
        messages(&shown),
        [
            "NORMAL marker|personal".to_string(),
            format!("NORMAL While you were off: 2 held — Slack 2|{DIGEST_BODY}"),
        ]
    );
    let status = s.status().await;
    assert_eq!(status["settings_refused"], Value::Null);
    assert_eq!((status["working"].as_bool(), status["held"].as_u64()), (Some(true), Some(0)));
}

#[tokio::test]
async fn a_1_mib_body_and_raw_bytes_in_hints_are_held_intact() {
    let mut s = Session::new(|d| settings(d, ALWAYS, "")).await;
    s.start().await;
    s.ok(&["off"]).await;
    let app = s.app_connection().await;

    let body: String = "é…x".repeat(1 << 20).chars().take(1 << 20).collect();
    let big = notify(&app, "slack", "A huge body", &body, slack_hints()).await;
    // Bytes that are no UTF-8, as gdbus sends them.
    let out = s
        .desk
        .run(
            "gdbus",
            &[
                "call",
                "--session",
                "--dest",
                "org.freedesktop.Notifications",
                "--object-path",
                "/org/freedesktop/Notifications",
                "--method",
                "org.freedesktop.Notifications.Notify",
                "slack",
                "0",
                "",
                "Raw bytes",
                "in a hint",
                "[]",
                "{'desktop-entry': <'slack'>, 'x-bytes': <[byte 0xff, 0xfe]>}",
                "-1",
            ],
        )
        .await;
    let raw: u32 = String::from_utf8_lossy(&out.stdout)
        .trim()
        .trim_start_matches("(uint32 ")
        .trim_end_matches(",)")
        .parse()
        .expect("gdbus printed the id");
    // A personal one with a huge body goes straight to dunst.
    let personal = notify(&app, "whatsapp", "A huge personal body", &body, HashMap::new()).await;
    assert!(personal > raw && raw > big);
    s.dunst().wait_displayed(1).await;
    assert_eq!(s.status().await["held"], 2);

    let held = s.held().await;
    let by_id = |id: u32| {
        held.iter()
            .find(|h| h["id"] == id)
            .unwrap_or_else(|| panic!("{id} is not held"))
    };
    assert_eq!(by_id(big)["notification"]["body"].as_str(), Some(body.as_str()));
    assert_eq!(
        by_id(raw)["notification"]["hints"]["x-bytes"],
        serde_json::json!({"bytes": [255, 254]})
    );

    s.ok(&["on"]).await;
    s.dunst().wait_displayed(2).await;
    let shown = s.dunst().close_all_and_read().await;
    assert_eq!(shown.len(), 2);
    assert!(shown.iter().any(|n| n.summary == "A huge personal body"));
    assert!(shown
        .iter()
        .any(|n| n.summary == "While you were off: 2 held — Slack 2"));
}

#[tokio::test]
async fn a_burst_of_10000_is_all_held_and_comes_back_as_one_digest() {
    const BURST: usize = 10_000;
    let mut s = Session::new(|d| settings(d, ALWAYS, "")).await;
    s.start().await;
    s.ok(&["off"]).await;
    let app = s.app_connection().await;

    let sent = Arc::new(AtomicUsize::new(0));
    let burst = {
        let (app, sent) = (app.clone(), sent.clone());
        tokio::spawn(async move {
            futures_util::stream::iter(0..BURST)
                .map(|i| {
                    let (app, sent) = (app.clone(), sent.clone());
                    async move {
                        let body = format!("message {i}");
                        let id = notify(&app, "slack", "Bryan", &body, slack_hints()).await;
                        sent.fetch_add(1, Ordering::Relaxed);
                        id
                    }
                })
                .buffer_unordered(32)
                .collect::<Vec<u32>>()
                .await
        })
    };
    // Couper keeps answering its user during the burst.
    eventually("a part of the burst is sent", || async {
        (sent.load(Ordering::Relaxed) >= BURST / 5).then_some(())
    })
    .await;
    let asked = tokio::time::Instant::now();
    let during = s.status().await;
    let answered = asked.elapsed();
    let mid_burst = sent.load(Ordering::Relaxed) < BURST;
    assert_eq!(during["working"], false);
    let ids: BTreeSet<u32> = tokio::time::timeout(Duration::from_secs(40), burst)
        .await
        .expect("the burst took too long")
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(ids.len(), BURST, "one id each");
    eprintln!("status answered in {answered:?} (during the burst: {mid_burst})");
    assert!(answered < Duration::from_secs(5), "{answered:?}");

    assert_eq!(s.status().await["held"], BURST);
    let held: BTreeSet<u32> = s
        .held()
        .await
        .iter()
        .map(|h| h["id"].as_u64().unwrap() as u32)
        .collect();
    assert_eq!(held, ids, "nothing held is lost");
    assert_eq!(s.dunst().received().await, 0);

    s.ok(&["on"]).await;
    s.dunst().wait_displayed(1).await;
    s.personal("after", 2).await;
    let shown = s.dunst().close_all_and_read().await;
    assert_eq!(
        messages(&shown),
        [
            "NORMAL after|personal".to_string(),
            format!("NORMAL While you were off: {BURST} held — Slack {BURST}|{DIGEST_BODY}"),
        ]
    );
    assert_eq!(s.status().await["held"], 0);
}
