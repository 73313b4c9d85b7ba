//! The tray app's figures, measured with real parts only: the time from the process's
//! start to its tray item registered with a StatusNotifierWatcher, and the resident
//! memory of `couper-app` (`VmRSS`) with its window never opened (target: under 60 MB)
//! and once opened, alone and with its helpers (WebKit's processes, the display daemon
//! and its private bus; `Pss`, so shared pages are not counted twice).
//!
//! Run it with `cargo bench -p couper-app --bench app` (or `scripts/bench`): Cargo builds
//! `couper-app` with the bench profile (the release settings) and that is the binary
//! measured (`$COUPER_APP` names another). Like the tests, it starts its own Xvfb
//! display, session bus, dunst and panel (tests/common): it needs what
//! `scripts/setup --tests` installs. Each figure is printed as a `FIGURE ...` line.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/app.rs"]
mod app;
#[path = "../../tests/common/desktop.rs"]
mod desktop;
#[path = "../tests/common/panel.rs"]
mod panel;
#[path = "../../tests/common/poll.rs"]
mod poll;

use app::{control, spawn, until_window_shows, wait_for_gate, Files};
use desktop::Desktop;
use panel::Panel;
use std::time::{Duration, Instant};

fn main() {
    // `cargo test --all-targets` runs bench binaries without `--bench`: the figures are
    // for `cargo bench`, not a smoke test.
    if !std::env::args().any(|a| a == "--bench") {
        println!("app bench: run it with `cargo bench -p couper-app --bench app`");
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(run());
}

/// Five starts, timed to the tray; the last one also measured for memory. The app goes
/// on setting up after its item registers (and WebKit after the window maps): each
/// reading waits a few seconds for it to settle, as a figure should.
async fn run() {
    println!("couper-app: {}", app::app_under_test());
    let mut starts = Vec::new();
    for run in 0..5 {
        let desk = Desktop::start().await;
        let mut panel = Panel::start(desk.session_bus()).await;
        let files = Files::new(&desk, &app::settings(&desk, app::EVERY_DAY));
        let started = Instant::now();
        let mut couper_app = spawn(&desk, &files);
        let item = panel.next_item().await;
        starts.push(started.elapsed());
        if run < 4 {
            continue;
        }
        wait_for_gate(&desk).await;
        let pid = couper_app.id().expect("pid");
        // The app goes on setting up after its item registers: let it settle.
        item.menu().await;
        tokio::time::sleep(Duration::from_secs(3)).await;
        let (closed, closed_all) = (rss_kib(pid, "VmRSS:"), tree_kib(pid, "Pss:"));
        control(&desk)
            .await
            .open_window("hours")
            .await
            .expect("open");
        until_window_shows(&desk).await;
        tokio::time::sleep(Duration::from_secs(3)).await;
        let (open, open_all) = (rss_kib(pid, "VmRSS:"), tree_kib(pid, "Pss:"));
        println!(
            "FIGURE app VmRSS window never opened: {} MiB (target: under 60 MB); with its helpers (PSS) {} MiB",
            closed / 1024,
            closed_all / 1024
        );
        println!(
            "FIGURE app VmRSS window open: {} MiB; with its helpers (PSS) {} MiB",
            open / 1024,
            open_all / 1024
        );
        let _ = couper_app.start_kill();
    }
    starts.sort();
    println!(
        "FIGURE start to tray (process start to SNI item registered), 5 runs: median {:?}, min {:?}, max {:?}",
        starts[2], starts[0], starts[4]
    );
}

/// A field of `pid`'s memory (`VmRSS:` from status, `Pss:` from smaps_rollup), in KiB.
fn rss_kib(pid: u32, field: &str) -> u64 {
    let file = if field == "Pss:" {
        "smaps_rollup"
    } else {
        "status"
    };
    std::fs::read_to_string(format!("/proc/{pid}/{file}"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// The same field for `pid` and all its descendants, added up, in KiB.
fn tree_kib(pid: u32, field: &str) -> u64 {
    let children: Vec<u32> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|p| {
            std::fs::read_to_string(format!("/proc/{p}/stat"))
                .ok()
                .and_then(|s| {
                    let after = s.rsplit_once(')')?.1.to_string();
                    after.split_whitespace().nth(1)?.parse::<u32>().ok()
                })
                == Some(pid)
        })
        .collect();
    rss_kib(pid, field)
        + children
            .into_iter()
            .map(|child| tree_kib(child, field))
            .sum::<u64>()
}
