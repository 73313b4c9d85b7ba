//! The live gate's figures (issue 15), measured in one run, side by side with their
//! floor, with real parts only: `couper run` (built with the bench profile) on a private
//! session bus, apps calling it over D-Bus.
//!
//! - The floor: the round trip of `Peer.Ping` to Couper, which it answers without
//!   deciding anything, made just before each `Notify` measured (the same burst of Pings
//!   for the burst).
//! - Every kind of `Notify` (personal, work delivered, held, crisis, replaced), answered
//!   with p99 under 1 ms and median under 3 times the Ping's, whatever the display
//!   daemon's speed: here a daemon that takes 10 ms to answer each call, one at a time
//!   (this binary itself, started by Couper as its display daemon with `--slow-daemon`).
//! - A burst of 1,000 from one app, all in flight at once: the same targets, and what
//!   reaches the daemon keeps the app's order.
//! - The resident memory (`VmRSS`) of `couper run` idle (target under 10 MB) and with
//!   10,000 held (under 20 MB), and after their release as one digest (through dunst).
//!
//! Run it with `cargo bench --bench gate` (or `scripts/bench`): Cargo gives the bench the
//! `couper` binary it built as `CARGO_BIN_EXE_couper`; that is the binary measured. Like
//! the tests, the bench starts its own Xvfb display, buses and dunst
//! (tests/common/desktop.rs): it needs what `scripts/setup --tests` installs, and nothing
//! of the user's session. Each figure is printed as a `FIGURE ...` line.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/desktop.rs"]
mod desktop;
#[path = "../tests/common/live.rs"]
mod live;
#[path = "../tests/common/poll.rs"]
mod poll;

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use live::{eventually, notify, notify_replacing, settings, slack_hints, Session, ALWAYS, NEVER};

/// How long the slow display daemon takes to answer each `Notify`.
const DAEMON_DELAY_MS: u64 = 10;
/// Sequential calls per kind of notification (and Pings), after the warm-up.
const CALLS: usize = 500;
const WARM_UP: usize = 50;
/// The burst from one app.
const BURST: usize = 1_000;
/// Held in all before the memory is read again.
const HELD: usize = 10_000;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--slow-daemon") {
        let log = PathBuf::from(&args[at + 1]);
        return slow_daemon(&log);
    }
    // `cargo test --all-targets` runs bench binaries without `--bench`: the figures
    // are for `cargo bench`, not a smoke test.
    if !args.iter().any(|a| a == "--bench") {
        println!("gate bench: run it with `cargo bench --bench gate`");
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run());
}

async fn run() {
    println!("couper: {}", env!("CARGO_BIN_EXE_couper"));
    println!("display daemon: {DAEMON_DELAY_MS} ms per Notify, one at a time");

    // Working time around the clock: personal, work delivered, replaced.
    let working = slow_session(ALWAYS).await;
    let app = working.app_connection().await;
    calls(&app, WARM_UP, Kind::Personal).await;
    for (what, kind) in [
        ("personal", Kind::Personal),
        ("work, delivered", Kind::Work),
        ("work, replaced", Kind::Replaced),
    ] {
        let mut measured = calls(&app, CALLS, kind).await;
        say_floor(&format!("beside {what}"), &measured.pings);
        say_notify(what, &mut measured.times, &measured.pings);
    }
    // All in flight at once, each call queues behind those sent before it: its floor is
    // the same burst of Pings.
    let ping_burst = burst(BURST, |_| ping(&app)).await;
    say_floor(&format!("a burst of {BURST} all in flight"), &ping_burst);
    let mut notify_burst = burst(BURST, |i| {
        let app = &app;
        async move {
            notify(app, "slack", "Bryan", &format!("burst {i}"), slack_hints()).await;
        }
    })
    .await;
    say_notify(
        &format!("burst of {BURST} from one app, all in flight"),
        &mut notify_burst,
        &ping_burst,
    );
    let order = daemon_log(
        &working.desk.dir().join("daemon.log"),
        WARM_UP + 3 * CALLS + BURST,
    )
    .await;
    let sent: Vec<String> = (0..BURST).map(|i| format!("burst {i}")).collect();
    let shown: Vec<String> = order
        .into_iter()
        .filter(|b| b.starts_with("burst "))
        .collect();
    println!(
        "FIGURE burst order at the display daemon (target: as sent): {}",
        if shown == sent {
            "as sent".to_string()
        } else {
            format!("NOT as sent ({} of {BURST} arrived)", shown.len())
        }
    );
    working.ok(&["auto"]).await;
    drop(working);

    // Outside working time: held, and crises (which always get through).
    let off = slow_session(NEVER).await;
    let app = off.app_connection().await;
    calls(&app, WARM_UP, Kind::Held).await;
    for (what, kind) in [
        ("work, held", Kind::Held),
        ("crisis, delivered", Kind::Crisis),
    ] {
        let mut measured = calls(&app, CALLS, kind).await;
        say_floor(&format!("beside {what}"), &measured.pings);
        say_notify(what, &mut measured.times, &measured.pings);
    }
    drop(off);

    // Memory, with dunst: no working time at all.
    let mut hold = Session::new(|d| settings(d, NEVER, "")).await;
    hold.start().await;
    let pid = hold.gate_pid();
    // Idle: start-up is over once the gate has released what it touched (resident.rs).
    eventually("start-up is over", || async {
        hold.run_log().contains("start-up over").then_some(())
    })
    .await;
    let idle = settled_rss(pid).await;
    println!("FIGURE couper run resident memory, idle (target < 10 MB): {idle:.1} MB");
    let hold_app = hold.app_connection().await;
    futures_util::stream::iter(0..HELD)
        .map(|i| {
            let app = hold_app.clone();
            async move {
                let body = format!("message {i}");
                notify(&app, "slack", "Bryan", &body, slack_hints()).await
            }
        })
        .buffer_unordered(32)
        .collect::<Vec<u32>>()
        .await;
    assert_eq!(hold.status().await["held"], HELD);
    let held = settled_rss(pid).await;
    println!("FIGURE couper run resident memory, {HELD} held (target < 20 MB): {held:.1} MB");

    hold.ok(&["on"]).await;
    hold.dunst().wait_displayed(1).await;
    eventually("the release is done", || async {
        (hold.status().await["held"] == 0).then_some(())
    })
    .await;
    let released = settled_rss(pid).await;
    println!(
        "FIGURE couper run resident memory, after releasing them as one digest: {released:.1} MB"
    );
}

/// `couper run` with `hours`, Slack as work, "bad buzz" a crisis that always gets through,
/// drawing through the slow daemon (this binary), which logs what it is asked to show.
async fn slow_session(hours: &str) -> Session {
    let mut session = Session::new(|d| {
        let log = d.dir().join("daemon.log");
        format!(
            r#"timezone = "Europe/Paris"

{hours}

[[work_apps]]
name = "Slack"
app = "slack"

[crisis]
pass = "always"
keywords = ["bad buzz"]

[display]
command = ["{}", "--slow-daemon", "{}"]
"#,
            std::env::current_exe().expect("exe").display(),
            log.display()
        )
    })
    .await;
    session.start().await;
    session
}

#[derive(Clone, Copy)]
enum Kind {
    Personal,
    Work,
    Replaced,
    Held,
    Crisis,
}

/// `n` sequential `Notify` calls of `kind`, each just after a `Peer.Ping`: the round trip
/// of each, as the app sees it, and of the Pings beside them, so that the floor is taken at
/// the same moments as what it is the floor of (on a shared machine it moves by half from
/// one second to the next).
async fn calls(app: &zbus::Connection, n: usize, kind: Kind) -> Measured {
    let mut times = Vec::with_capacity(n);
    let mut pings = Vec::with_capacity(n);
    let mut last = 0;
    for i in 0..n {
        let body = format!("message {i}");
        let t0 = Instant::now();
        ping(app).await;
        pings.push(t0.elapsed());
        let t0 = Instant::now();
        last = match kind {
            Kind::Personal => notify(app, "firefox", "Anne", &body, HashMap::new()).await,
            Kind::Work | Kind::Held => notify(app, "slack", "Bryan", &body, slack_hints()).await,
            Kind::Replaced => {
                notify_replacing(app, "slack", last, "Bryan", &body, slack_hints()).await
            }
            Kind::Crisis => {
                notify(
                    app,
                    "slack",
                    "Bryan",
                    &format!("bad buzz {i}"),
                    slack_hints(),
                )
                .await
            }
        };
        times.push(t0.elapsed());
    }
    Measured { times, pings }
}

/// Round trips of `Notify` calls, and of the Pings made beside them.
struct Measured {
    times: Vec<Duration>,
    pings: Vec<Duration>,
}

/// `n` calls made by `call` (given its index) from one app, all sent before any answer is
/// read; each call's time from its sending to its answer.
async fn burst<F: std::future::Future>(n: usize, call: impl Fn(usize) -> F) -> Vec<Duration> {
    let calls: futures_util::stream::FuturesOrdered<_> = (0..n)
        .map(|i| {
            let called = call(i);
            async move {
                let t0 = Instant::now();
                called.await;
                t0.elapsed()
            }
        })
        .collect();
    calls.collect().await
}

/// One `Peer.Ping` to Couper.
async fn ping(app: &zbus::Connection) {
    app.call_method(
        Some("org.freedesktop.Notifications"),
        "/org/freedesktop/Notifications",
        Some("org.freedesktop.DBus.Peer"),
        "Ping",
        &(),
    )
    .await
    .expect("Ping");
}

fn say_floor(when: &str, floor: &[Duration]) {
    let mut floor = floor.to_vec();
    println!(
        "FIGURE floor: Peer.Ping round trip to Couper, {when} ({} calls): median {}, p99 {}",
        floor.len(),
        ms(percentile(&mut floor, 50)),
        ms(percentile(&mut floor, 99))
    );
}

fn say_notify(what: &str, times: &mut [Duration], floor: &[Duration]) {
    let ping = percentile(&mut floor.to_vec(), 50);
    let (median, p99) = (percentile(times, 50), percentile(times, 99));
    println!(
        "FIGURE Notify, {what} ({} calls): median {} = {:.1}x Ping (target < 3x), p99 {} (target < 1 ms)",
        times.len(),
        ms(median),
        median.as_secs_f64() / ping.as_secs_f64(),
        ms(p99)
    );
}

/// Waits until the slow daemon has been asked to show `n` notifications; their bodies, in
/// the order it was asked.
async fn daemon_log(log: &Path, n: usize) -> Vec<String> {
    let patience = Duration::from_millis(DAEMON_DELAY_MS * n as u64 * 2) + desktop::PATIENCE;
    poll::within("the display daemon shows all", patience, || async {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        (lines.len() >= n).then_some(lines)
    })
    .await
}

/// A display daemon that takes [`DAEMON_DELAY_MS`] to answer each `Notify`, one call at
/// a time, and writes each body it was asked to show, in order, as a line of `log`.
fn slow_daemon(log: &Path) {
    let log = std::fs::File::create(log).expect("daemon log");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let daemon = SlowDaemon {
            next: std::sync::atomic::AtomicU32::new(1),
            log: tokio::sync::Mutex::new(log),
        };
        let _conn = zbus::connection::Builder::session()
            .serve_at("/org/freedesktop/Notifications", daemon)
            .name("org.freedesktop.Notifications")
            .build()
            .await
            .expect("connect");
        std::future::pending::<()>().await;
    });
}

struct SlowDaemon {
    next: std::sync::atomic::AtomicU32,
    /// Held while a call is answered: one at a time, as a daemon that draws each.
    log: tokio::sync::Mutex<std::fs::File>,
}

#[zbus::interface(name = "org.freedesktop.Notifications")]
impl SlowDaemon {
    #[allow(clippy::too_many_arguments)]
    async fn notify(
        &self,
        _app_name: String,
        replaces_id: u32,
        _app_icon: String,
        _summary: String,
        body: String,
        _actions: Vec<String>,
        _hints: HashMap<String, zbus::OwnedVariant>,
        _expire_timeout: i32,
    ) -> u32 {
        let mut log = self.log.lock().await;
        writeln!(log, "{body}").expect("log");
        tokio::time::sleep(Duration::from_millis(DAEMON_DELAY_MS)).await;
        if replaces_id != 0 {
            return replaces_id;
        }
        self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    }

    async fn close_notification(&self, _id: u32) {}

    fn get_capabilities(&self) -> Vec<String> {
        vec!["body".into(), "actions".into()]
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "slow".into(),
            "couper-bench".into(),
            "1".into(),
            "1.2".into(),
        )
    }
}

/// The `p`th percentile (nearest rank).
fn percentile(times: &mut [Duration], p: usize) -> Duration {
    times.sort_unstable();
    let rank = (times.len() * p).div_ceil(100).max(1);
    times[rank - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

/// `VmRSS` of `pid` in MB (10^6 bytes), once it has stopped changing for a moment.
async fn settled_rss(pid: u32) -> f64 {
    let mut last = rss_kb(pid);
    loop {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let now = rss_kb(pid);
        if now == last {
            return now as f64 * 1024.0 / 1e6;
        }
        last = now;
    }
}

fn rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc status");
    let fields: HashMap<&str, &str> = status
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k, v.trim()))
        .collect();
    fields["VmRSS"]
        .trim_end_matches(" kB")
        .parse()
        .expect("VmRSS in kB")
}
