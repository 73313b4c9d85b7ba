//! The real app under Xvfb, driven through WebDriver (tauri-driver + WebKitWebDriver) on
//! a private session bus with dunst: the settings window built from `ui/` edits the hours
//! and saves, and the gate follows: the file on disk, the status (`couper status --json`),
//! and what happens to a work app's notification (`notify-send` as Slack, `couper held`).
//!
//! It needs the real window: `ui/dist` built by `cd ui && npm ci && npm run build`
//! (`scripts/test` does it first).

use crate::app;
use crate::desktop;
use crate::webdriver;

use app::{control, held, status, wait_for_gate, Files, APP};
use desktop::{Desktop, Dunst, PATIENCE};
use futures_util::StreamExt;
use std::path::Path;
use webdriver::Session;

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

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_hours_saved_in_the_window_put_a_work_app_on_hold() {
    let dist = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/dist/index.html");
    let page = std::fs::read_to_string(&dist).expect("ui/dist: build the window first");
    assert!(
        !page.contains("couper-stand-in"),
        "ui/dist is the stand-in: run `cd ui && npm ci && npm run build`, then rebuild"
    );

    let desk = Desktop::start().await;
    let files = Files::new(&desk, &app::settings(&desk, ALWAYS));
    let session = Session::start(APP, files.env(&desk)).await;
    wait_for_gate(&desk).await;
    let couper = control(&desk).await;

    // Working time: Slack is delivered, and shown by dunst.
    let before = status(&couper).await;
    assert_eq!(before["working"], true, "{before}");
    let dunst = Dunst::on(before["display_bus"].as_str().expect("display bus"));
    slack(&desk, "Avant").await;
    dunst.wait_displayed(1).await;
    assert_eq!(held(&couper).await, serde_json::json!([]));

    // Today's hours become a range that does not hold now, in the window.
    let zone = jiff::tz::TimeZone::get(app::ZONE).expect("zone");
    let now = jiff::Timestamp::now().to_zoned_datetime(zone);
    let today = WEEKDAYS[now.weekday().to_monday_zero_offset() as usize];
    let (start, end) = if now.hour() < 12 {
        ("23:00", "23:30")
    } else {
        ("00:30", "01:00")
    };
    couper.open_window("hours").await.expect("open the window");
    session.by_test_id("tab-hours").click();
    let first = session.by_test_id(&format!("hours-{today}-0-start"));
    assert_eq!(first.value(), "00:00");
    first.clear().type_text(start);
    session
        .by_test_id(&format!("hours-{today}-0-end"))
        .clear()
        .type_text(end);

    // Saving puts them in force: the gate says so on the bus.
    let mut changes = couper.receive_state_changed().await.expect("StateChanged");
    session.by_test_id("save").click();
    let deadline = tokio::time::Instant::now() + PATIENCE;
    loop {
        let status = status(&couper).await;
        if status["working"] == false {
            break;
        }
        tokio::time::timeout_at(deadline, changes.next())
            .await
            .unwrap_or_else(|_| panic!("the saved hours were not put in force: {status}"))
            .expect("the gate's signals ended");
    }
    let text = files.settings_text();
    let line = format!("{today} = [\"{start}-{end}\"]");
    assert!(text.contains(&line), "no {line:?} in\n{text}");
    let after = status(&couper).await;
    assert_eq!(after["mode"]["mode"], "auto", "{after}");

    // Now Slack is held, not shown.
    slack(&desk, "Après").await;
    until_held(&couper, &mut changes).await;
    let queue = held(&couper).await;
    assert_eq!(queue[0]["notification"]["summary"], "Bryan", "{queue}");
    assert_eq!(queue[0]["notification"]["body"], "Après", "{queue}");
    assert_eq!(dunst.displayed().await, 1, "dunst shows the held one");

    // The window shows it too: a screenshot for the record.
    let shot = session.screenshot();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    std::fs::write(dir.join("app-hours-saved.png"), shot).expect("screenshot");

    // The Report tab: the week's heatmap (7 x 24 cells), the held one in the week's
    // figures, and the month's on-call statement (on call by hand, still on, counts).
    let on = couper.set_on_call(true).await.expect("on call");
    assert!(status(&couper).await["on_call"] == true, "{on}");
    session.by_test_id("tab-report").click();
    session.by_test_id("heatmap");
    let cells = until_page(&session, "168 heatmap cells", CELLS, |v| v == 168).await;
    assert_eq!(cells, 168);
    let rows = until_page(&session, "Slack in the week's figures", SLACK_HELD, |v| {
        v.as_u64().is_some_and(|n| n >= 1)
    })
    .await;
    assert!(rows.as_u64() >= Some(1), "{rows}");
    until_page(&session, "the on-call statement", STATEMENT, |v| v == true).await;
    session.end();
}

/// The heatmap's cells.
const CELLS: &str =
    r#"return document.querySelectorAll('[data-testid="heatmap"] [data-testid^="cell-"]').length;"#;

/// Slack's held count in the week's figures, or null.
const SLACK_HELD: &str = r#"
for (const row of document.querySelectorAll('[data-testid="report-apps"] tbody tr')) {
  if (row.querySelector('th').textContent.trim().toLowerCase() === 'slack') {
    return parseInt(row.querySelectorAll('td')[0].textContent.replace(/\D/g, ''), 10);
  }
}
return null;"#;

/// Whether the on-call statement's table shows a period.
const STATEMENT: &str = r#"
const table = document.querySelector('[data-testid="statement"]');
return !!table && !!table.querySelector('[data-testid="statement-0"]');"#;

/// Runs `script` in the window until its value satisfies `done` (the page loads the report
/// from the gate by itself: polled, with a short backoff, until a deadline).
async fn until_page(
    session: &Session,
    what: &str,
    script: &str,
    done: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let mut backoff = desktop::Backoff::new(PATIENCE);
    loop {
        let value = session.script(script);
        if done(&value) {
            return value;
        }
        backoff
            .wait(format_args!("the window never showed {what}: {value}"))
            .await;
    }
}

/// Issue 14: the digest's **Show held**, clicked in dunst, opens the window on the Held tab.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_14_show_held_on_the_digest_opens_the_window_on_the_held_tab() {
    let desk = Desktop::start().await;
    let files = Files::new(&desk, &app::settings(&desk, "[hours]\n"));
    let session = Session::start(APP, files.env(&desk)).await;
    wait_for_gate(&desk).await;
    let couper = control(&desk).await;
    let dunst = Dunst::on(status(&couper).await["display_bus"].as_str().expect("bus"));
    let mut changes = couper.receive_state_changed().await.expect("StateChanged");
    slack(&desk, "Tard").await;
    until_held(&couper, &mut changes).await;
    // The window is on another tab.
    couper.open_window("hours").await.expect("open the window");
    session.by_test_id("tab-hours").click();
    until_page(&session, "the Hours tab", HELD_TAB, |v| v == "false").await;

    // Released by hand while off: the digest; its body clicked in dunst.
    let id = held(&couper).await[0]["id"].as_u64().expect("id") as u32;
    couper.release(&[id], false).await.expect("release");
    dunst.wait_displayed(1).await;
    dunst.action(0).await;
    until_page(&session, "the Held tab", HELD_TAB, |v| v == "true").await;
    session.end();
}

/// Slack says "Bryan: `body`" (`notify-send` as Slack).
async fn slack(desk: &Desktop, body: &str) {
    desk.run(
        "notify-send",
        &[
            "-a",
            "slack",
            "-h",
            "string:desktop-entry:slack",
            "Bryan",
            body,
        ],
    )
    .await;
}

/// Waits until something is held, on the gate's `StateChanged` signals.
async fn until_held(
    couper: &couper::control::CouperProxy<'_>,
    changes: &mut (impl futures_util::Stream + Unpin),
) {
    let deadline = tokio::time::Instant::now() + PATIENCE;
    while held(couper).await.as_array().map_or(0, Vec::len) == 0 {
        tokio::time::timeout_at(deadline, changes.next())
            .await
            .expect("the notification was not held")
            .expect("the gate's signals ended");
    }
}

/// Whether the Held tab is the one shown.
const HELD_TAB: &str =
    r#"return document.getElementById('tab-held')?.getAttribute('aria-selected') ?? null;"#;
