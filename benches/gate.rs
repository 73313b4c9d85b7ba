//! The live gate's figures, measured in one run, side by side, with real parts only:
//!
//! - the round-trip of `Notify` as an app sees it, straight to dunst and through
//!   `couper run` on the deliver path (Slack in working time), median and p99 of
//!   sequential calls from one zbus client, and their ratio (target: under 1.5). The two
//!   are measured in alternating rounds, so that the machine's load falls on both alike;
//! - the hold path's round-trip (Slack outside working time: the hold is committed to
//!   SQLite before the answer), median and p99 (target: p99 under 5 ms);
//! - the resident memory (`VmRSS`) of `couper run` idle, and after 10,000 held (targets:
//!   under 20 MB and under 40 MB), and after their release as one digest.
//!
//! Run it with `cargo bench --bench gate` (or `scripts/bench`). Cargo builds the `couper`
//! binary with the bench profile, which has the release settings, into
//! `target/release/couper`, and gives its path to the bench as `CARGO_BIN_EXE_couper`:
//! that is the binary measured. Like the tests, the bench starts its own Xvfb display,
//! session buses and dunst (tests/common/desktop.rs): it needs what
//! `scripts/setup --tests` installs, and nothing of the user's session.
//!
//! Each figure is printed as a `FIGURE ...` line.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/desktop.rs"]
mod desktop;
#[path = "../tests/common/live.rs"]
mod live;
#[path = "../tests/common/poll.rs"]
mod poll;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use desktop::{Desktop, Dunst};
use futures_util::StreamExt;
use live::{eventually, notify, settings, slack_hints, Session, ALWAYS, NEVER};

/// The tests' dunst, but showing one notification at a time: dunst redraws every shown
/// one on each `Notify` (its answer waits for it), so a pile of 200 on screen would
/// measure dunst's drawing, not the way to it.
const DUNSTRC: &str = r#"[global]
    notification_limit = 1
    history_length = 50

[urgency_low]
    timeout = 0

[urgency_normal]
    timeout = 0

[urgency_critical]
    timeout = 0
"#;

/// Rounds of the deliver comparison, each with this many calls per path.
const ROUNDS: usize = 10;
const PER_ROUND: usize = 200;
/// Calls before measuring, per path (dunst's activation, caches).
const WARM_UP: usize = 50;
/// Sequential calls on the hold path.
const HOLDS: usize = 2_000;
/// Held in all before the memory is read again.
const HELD: usize = 10_000;

fn main() {
    // `cargo test --all-targets` runs bench binaries without `--bench`: the figures
    // are for `cargo bench`, not a smoke test.
    if !std::env::args().any(|a| a == "--bench") {
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

    // Straight: an app's session bus on which dunst is activated, as on a desktop
    // without Couper.
    let straight = Desktop::start().await;
    std::fs::write(straight.dunstrc(), DUNSTRC).expect("dunstrc");
    let straight_app = connect(straight.session_bus()).await;
    let straight_dunst = Dunst::on(straight.session_bus());

    // Through Couper: working time around the clock, Slack is work: every call is
    // decided, recorded, answered, and forwarded to dunst on Couper's private bus.
    let mut deliver = Session::new(|d| {
        std::fs::write(d.dunstrc(), DUNSTRC).expect("dunstrc");
        settings(d, ALWAYS, "")
    })
    .await;
    deliver.start().await;
    let deliver_app = deliver.app_connection().await;
    let display_bus = deliver.status().await["display_bus"]
        .as_str()
        .expect("display bus")
        .to_string();
    let mut monitor = Monitor::on(&display_bus).await;

    sequential(&straight_app, WARM_UP).await;
    through_couper(&deliver_app, &mut monitor, WARM_UP).await;
    drain(&straight_dunst).await;
    drain(deliver.dunst()).await;
    let (mut direct, mut through, mut shown) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        direct.extend(sequential(&straight_app, PER_ROUND).await);
        drain(&straight_dunst).await;
        let (answered, accepted) = through_couper(&deliver_app, &mut monitor, PER_ROUND).await;
        through.extend(answered);
        shown.extend(accepted);
        drain(deliver.dunst()).await;
    }
    let (direct_median, direct_p99) = (percentile(&mut direct, 50), percentile(&mut direct, 99));
    let (through_median, through_p99) =
        (percentile(&mut through, 50), percentile(&mut through, 99));
    let calls = ROUNDS * PER_ROUND;
    println!(
        "FIGURE Notify round-trip straight to dunst ({calls} sequential calls): median {}, p99 {}",
        ms(direct_median),
        ms(direct_p99)
    );
    println!(
        "FIGURE Notify round-trip through couper run, deliver path ({calls} sequential calls): median {}, p99 {}",
        ms(through_median),
        ms(through_p99)
    );
    println!(
        "FIGURE deliver path / straight ratio (target < 1.5): median {:.2}, p99 {:.2}",
        through_median.as_secs_f64() / direct_median.as_secs_f64(),
        through_p99.as_secs_f64() / direct_p99.as_secs_f64()
    );
    if !shown.is_empty() {
        let (shown_median, shown_p99) = (percentile(&mut shown, 50), percentile(&mut shown, 99));
        println!(
            "FIGURE Notify through couper run until dunst accepted it (end to end): median {}, p99 {}; / straight: median {:.2}, p99 {:.2}",
            ms(shown_median),
            ms(shown_p99),
            shown_median.as_secs_f64() / direct_median.as_secs_f64(),
            shown_p99.as_secs_f64() / direct_p99.as_secs_f64()
        );
    }
    drop(deliver);
    drop(straight);

    // The hold path: no working time at all.
    let mut hold = Session::new(|d| settings(d, NEVER, "")).await;
    hold.start().await;
    let pid = hold.gate_pid();
    let idle = settled_rss(pid).await;
    println!("FIGURE couper run resident memory, idle (target < 20 MB): {idle:.1} MB");

    let hold_app = hold.app_connection().await;
    let mut holds = sequential(&hold_app, HOLDS).await;
    println!(
        "FIGURE hold path round-trip, commit included ({HOLDS} sequential calls, target p99 < 5 ms): median {}, p99 {}",
        ms(percentile(&mut holds, 50)),
        ms(percentile(&mut holds, 99))
    );

    // The rest of the 10,000 as a burst, 32 calls in flight.
    futures_util::stream::iter(HOLDS..HELD)
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
    println!("FIGURE couper run resident memory, {HELD} held (target < 40 MB): {held:.1} MB");

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

async fn connect(address: &str) -> zbus::Connection {
    zbus::connection::Builder::address(address)
        .build()
        .await
        .expect("session bus")
}

/// `n` sequential Notify calls through Couper: the round-trip the app sees (Couper answers
/// once it has decided and recorded), and, when the private bus can be monitored, the time
/// until dunst answered Couper's forwarded call (end to end).
async fn through_couper(
    app: &zbus::Connection,
    monitor: &mut Option<Monitor>,
    n: usize,
) -> (Vec<Duration>, Vec<Duration>) {
    let (mut answered, mut accepted) = (Vec::with_capacity(n), Vec::with_capacity(n));
    for i in 0..n {
        let body = format!("through {i}");
        let t0 = Instant::now();
        notify(app, "slack", "Bryan", &body, slack_hints()).await;
        answered.push(t0.elapsed());
        if let Some(m) = monitor.as_mut() {
            accepted.push(m.answered(&body).await.duration_since(t0));
        }
    }
    (answered, accepted)
}

/// `n` sequential Notify calls from Slack; the round-trip of each.
async fn sequential(app: &zbus::Connection, n: usize) -> Vec<Duration> {
    let mut times = Vec::with_capacity(n);
    for i in 0..n {
        let body = format!("message {i}");
        let t0 = Instant::now();
        notify(app, "slack", "Bryan", &body, slack_hints()).await;
        times.push(t0.elapsed());
    }
    times
}

/// Closes all that dunst shows or keeps waiting, until nothing more comes (what Couper
/// forwards arrives just after its answer), so that each round starts from an empty
/// screen.
async fn drain(dunst: &Dunst) {
    let mut quiet = 0;
    while quiet < 2 {
        let pending = dunst.count("displayed").await + dunst.count("waiting").await;
        if pending == 0 {
            quiet += 1;
            tokio::time::sleep(Duration::from_millis(50)).await;
        } else {
            quiet = 0;
            dunst.close_all().await;
        }
    }
}

/// A monitor of Couper's private bus: when dunst answers each `Notify` Couper forwards.
struct Monitor {
    seen: tokio::sync::mpsc::UnboundedReceiver<(Instant, zbus::Message)>,
}

impl Monitor {
    /// Becomes a monitor of the bus at `address` (`None`, with a note, if refused).
    async fn on(address: &str) -> Option<Monitor> {
        let conn = connect(address).await;
        let mut stream = zbus::MessageStream::from(&conn);
        let rules = vec!["type='method_call',member='Notify'", "type='method_return'"];
        let became = conn
            .call_method(
                Some("org.freedesktop.DBus"),
                "/org/freedesktop/DBus",
                Some("org.freedesktop.DBus.Monitoring"),
                "BecomeMonitor",
                &(rules, 0u32),
            )
            .await;
        if let Err(e) = became {
            println!("(no end-to-end figure: cannot monitor Couper's private bus: {e})");
            return None;
        }
        let (tx, seen) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(async move {
            let _conn = conn;
            // Each message is stamped as it passes, not when it is looked at.
            while let Some(Ok(message)) = stream.next().await {
                if tx.send((Instant::now(), message)).is_err() {
                    return;
                }
            }
        });
        Some(Monitor { seen })
    }

    /// When the daemon answered the forwarded `Notify` whose body is `body`.
    async fn answered(&mut self, body: &str) -> Instant {
        type Args = live::NotifyArgs;
        let mut call = None;
        loop {
            let (at, message) = tokio::time::timeout(desktop::PATIENCE, self.seen.recv())
                .await
                .expect("dunst did not answer Couper in time")
                .expect("the monitor ended");
            let header = message.header();
            match message.message_type() {
                zbus::message::Type::MethodCall => {
                    if let Ok(args) = message.body().deserialize::<Args>() {
                        if args.4 == body {
                            let sender = header.sender().map(|s| s.to_string());
                            call = Some((header.primary().serial_num(), sender));
                        }
                    }
                }
                zbus::message::Type::MethodReturn => {
                    if let Some((serial, sender)) = &call {
                        let to = header.destination().map(|d| d.to_string());
                        if header.reply_serial() == Some(*serial) && &to == sender {
                            return at;
                        }
                    }
                }
                _ => {}
            }
        }
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
