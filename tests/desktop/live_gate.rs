//! `couper run` as a user meets it, with real parts only: the `couper` binary on a private
//! session bus and an Xvfb display (tests/common/desktop.rs), dunst on Couper's private bus
//! (`[display] command` in the settings), `notify-send`, `gdbus` and a zbus client as the
//! apps, the CLI as a user types it, and what dunst shows read back with `dunstctl`.
//!
//! Each test has its own display, buses, settings file and store, so they run in parallel.
//! Nothing sleeps for a fixed time: what belongs to another process (dunst's counts, the
//! gate's status) is polled with a backoff and a deadline.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::desktop;
use crate::live;

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use desktop::{Dunst, PATIENCE};
use futures_util::StreamExt;
use jiff::{Timestamp, ToSpan};
use live::{
    close_notification, eventually, has_owner, kill, messages, notify, notify_replacing, settings,
    slack_hints, Session, ALWAYS, NEVER, ZONE,
};
use serde_json::Value;

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
        [
            "CRITICAL Deploy failed|prod, 21:04",
            "LOW Standup|in 5 minutes"
        ]
    );

    let app = s
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
    s.dunst().wait_displayed(1).await;
    // Clicked as a user would: the test dunstrc's menu picks the first action, "Yes".
    s.dunst().action(0).await;
    let output = tokio::time::timeout(PATIENCE, app.wait_with_output())
        .await
        .expect("the action did not reach notify-send")
        .unwrap();
    // notify-send prints the id it was answered, then the action it heard for that id.
    let printed = String::from_utf8_lossy(&output.stdout);
    let printed: Vec<&str> = printed.lines().collect();
    let [id, clicked] = printed[..] else {
        panic!("notify-send printed {printed:?}");
    };
    assert_eq!(clicked, "yes");
    let id: u32 = id.parse().expect("an id");

    // The app knows it by Couper's id, which is not dunst's.
    let history = s.dunst().history().await;
    let in_dunst = history.iter().find(|n| n.summary == "Deploy?").unwrap();
    assert_ne!(in_dunst.id, i64::from(id));
    assert_eq!(in_dunst.body, "approve the release");
    let explained = s.ok(&["explain", &id.to_string()]).await;
    assert!(
        explained.starts_with(&format!("#{id} slack")),
        "{explained}"
    );
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
    let time_off =
        |end: &str| format!("[[time_off]]\nstart = \"{today}T00:00\"\nend = \"{end}\"\n");
    let mut s = Session::new(|d| {
        let tomorrow = today.tomorrow().unwrap();
        settings(d, ALWAYS, &time_off(&format!("{tomorrow}T00:00")))
    })
    .await;
    s.start().await;
    s.slack("Weekly report", "due Monday").await;
    let status = s.status().await;
    assert_eq!(
        (status["working"].as_bool(), status["held"].as_u64()),
        (Some(false), Some(1))
    );

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
        let next = s.status().await["next_start"]
            .as_str()?
            .parse::<Timestamp>();
        (next.ok()? == end).then_some(())
    })
    .await;
    assert_eq!(s.status().await["held"], 1);

    // Nobody does anything: the digest comes when the time off ends.
    s.dunst().wait_displayed(1).await;
    assert!(
        Timestamp::now() >= end,
        "released before the end of the time off"
    );
    let shown = s.dunst().close_all_and_read().await;
    assert_eq!(
        messages(&shown),
        [format!(
            "NORMAL While you were off: 1 held — Slack 1|{DIGEST_BODY}"
        )]
    );
    let status = s.status().await;
    assert_eq!(
        (status["working"].as_bool(), status["held"].as_u64()),
        (Some(true), Some(0))
    );
}

#[tokio::test]
async fn after_a_kill_9_activation_shows_notifications_and_the_next_run_releases_each_held_once() {
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

/// Issue 15: a stop waits for every task of the daemon. Stopped (SIGTERM, as at logout)
/// in the middle of a replay, Couper shows nothing more, holds again what it had not
/// shown yet, says it stopped last, and the next run shows each of those once.
#[tokio::test]
async fn issue_15_a_stop_in_the_middle_of_a_replay_holds_again_what_was_not_shown() {
    let mut s = Session::new(|d| settings(d, ALWAYS, "[release]\nmode = \"replay\"\n")).await;
    s.start().await;
    s.ok(&["off"]).await;
    for summary in ["one", "two", "three", "four"] {
        s.slack(summary, "held").await;
    }
    assert_eq!(s.held().await.len(), 4);

    // The replay shows one now and the next 1.5 s later: the stop comes in between.
    s.ok(&["on"]).await;
    let dunst = s.dunst();
    eventually("the replay starts", || async {
        (dunst.displayed().await > 0).then_some(())
    })
    .await;
    s.stop().await;
    let log = s.run_log();
    assert_eq!(
        log.lines()
            .rfind(|l| !l.trim().is_empty())
            .map(|l| l.ends_with("Couper stopped")),
        Some(true),
        "\"Couper stopped\" is the last thing said:\n{log}"
    );

    // What the store says once it stopped: released (shown) ones, and held ones.
    let db = rusqlite::Connection::open(&s.store).unwrap();
    let summaries = |sql: &str| -> BTreeSet<String> {
        let mut query = db.prepare(sql).unwrap();
        let rows = query.query_map([], |row| row.get::<_, String>(0)).unwrap();
        rows.collect::<Result<_, _>>().unwrap()
    };
    let released = summaries("SELECT summary FROM held WHERE released_at IS NOT NULL");
    let held = summaries("SELECT summary FROM held WHERE released_at IS NULL");
    assert!(!released.is_empty(), "the first one was shown, so released");
    assert!(
        !held.is_empty(),
        "nothing is held again ({released:?} released): what the replay had not shown was lost, or it had ended"
    );
    assert_eq!(released.len() + held.len(), 4, "{released:?} {held:?}");
    let releases: i64 = db
        .query_row(
            "SELECT COUNT(*) FROM history WHERE kind = 'release'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        releases as usize,
        released.len(),
        "a release only for what was shown"
    );
    drop(db);

    // The next run (still working, still "on") shows the rest, each once, in order.
    s.start().await;
    s.dunst().wait_displayed(held.len() as u32).await;
    let shown = s.dunst().close_all_and_read().await;
    let again: Vec<String> = shown.into_iter().map(|shown| shown.message).collect();
    let expected: Vec<String> = ["one", "two", "three", "four"]
        .into_iter()
        .filter(|summary| held.contains(*summary))
        .map(|summary| format!("NORMAL {summary}|held"))
        .collect();
    assert_eq!(again, expected, "the rest, each once, in order");
    assert!(s.held().await.is_empty());
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
    assert!(
        refused.contains("\"9h-18h\" is not HH:MM-HH:MM"),
        "{refused}"
    );
    let text = s.ok(&["status"]).await;
    assert!(text.contains("(the last good settings stay)"), "{text}");
    // And said on screen, once (issue 14).
    s.dunst().wait_displayed(1).await;
    s.dunst().close_all().await;

    // Still the last good settings: Slack is work, it is not working time.
    s.slack("after the typo", "held").await;
    s.personal("marker", 1).await;
    assert_eq!(
        s.dunst().received().await,
        2,
        "the warning and the marker only"
    );
    let status = s.status().await;
    assert_eq!(
        (status["working"].as_bool(), status["held"].as_u64()),
        (Some(false), Some(2))
    );

    // A valid edit that makes it working time releases them.
    s.edit_settings(&settings(&s.desk, ALWAYS, ""));
    s.dunst().wait_displayed(2).await;
    let mut shown = s.dunst().close_all_and_read().await;
    shown.retain(|n| n.summary != "Your settings edit was refused");
    assert_eq!(
        messages(&shown),
        [
            format!("NORMAL While you were off: 2 held — Slack 2|{DIGEST_BODY}"),
            "NORMAL marker|personal".to_string(),
        ]
    );
    let status = s.status().await;
    assert_eq!(status["settings_refused"], Value::Null);
    assert_eq!(
        (status["working"].as_bool(), status["held"].as_u64()),
        (Some(true), Some(0))
    );
}

// Issue 14: the refusal of an edit is said in the language of the settings in force.
#[tokio::test]
async fn a_refused_settings_edit_is_said_in_french_when_the_settings_speak_french() {
    let french = |d: &desktop::Desktop| format!("language = \"fr\"\n{}", settings(d, NEVER, ""));
    let mut s = Session::new(french).await;
    s.start().await;

    s.edit_settings(
        "language = \"fr\"\ntimezone = \"Europe/Paris\"\n\n[hours]\nmon = [\"9h-18h\"]\n",
    );
    let refused = eventually("the refusal shows in the status", || async {
        s.status().await["settings_refused"]
            .as_str()
            .map(str::to_string)
    })
    .await;
    assert!(
        refused
            .ends_with("settings.toml:5: hours.mon: \"9h-18h\" n'est pas de la forme HH:MM-HH:MM"),
        "{refused}"
    );
    // The warning on screen says it in French too.
    s.dunst().wait_displayed(1).await;
    let shown = s.dunst().close_all_and_read().await;
    assert_eq!(
        messages(&shown),
        [format!(
            "NORMAL Votre modification des réglages est refusée|{refused}. Les derniers bons réglages restent en vigueur."
        )]
    );
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
                "--",
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
    let personal = notify(
        &app,
        "whatsapp",
        "A huge personal body",
        &body,
        HashMap::new(),
    )
    .await;
    assert!(personal > raw && raw > big);
    s.dunst().wait_displayed(1).await;
    assert_eq!(s.status().await["held"], 2);

    let held = s.held().await;
    let by_id = |id: u32| {
        held.iter()
            .find(|h| h["id"] == id)
            .unwrap_or_else(|| panic!("{id} is not held"))
    };
    assert_eq!(
        by_id(big)["notification"]["body"].as_str(),
        Some(body.as_str())
    );
    assert_eq!(
        by_id(raw)["notification"]["hints"]["x-bytes"],
        serde_json::json!({"bytes": [255, 254]})
    );

    s.ok(&["on"]).await;
    s.dunst().wait_displayed(2).await;
    let shown = s.dunst().close_all_and_read().await;
    assert_eq!(shown.len(), 2);
    // The display gets a popup's worth of it, cut between characters.
    let huge = shown
        .iter()
        .find(|n| n.summary == "A huge personal body")
        .expect("the personal one was shown");
    assert!(huge.body.len() <= 16 * 1024, "{}", huge.body.len());
    assert!(huge.body.ends_with('…'));
    assert!(body.starts_with(huge.body.trim_end_matches('…')));
    assert!(shown
        .iter()
        .any(|n| n.summary == "While you were off: 2 held — Slack 2"));
    assert_eq!(s.status().await["held"], 0);
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
            format!("NORMAL While you were off: {BURST} held — Slack {BURST}|{DIGEST_BODY}"),
            "NORMAL after|personal".to_string(),
        ]
    );
    assert_eq!(s.status().await["held"], 0);
}

/// The pid of whoever owns the notification name on the session bus.
async fn notification_owner(app: &zbus::Connection) -> Option<u32> {
    let dbus = zbus::fdo::DBusProxy::new(app).await.unwrap();
    dbus.get_connection_unix_process_id("org.freedesktop.Notifications".try_into().unwrap())
        .await
        .ok()
}

/// Whether process `pid` is gone (or a zombie).
fn gone(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|stat| {
            stat.rsplit_once(')')
                .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z'))
        })
        .unwrap_or(true)
}

#[tokio::test]
async fn a_daemon_activated_before_couper_is_replaced_within_2_s_and_nothing_held_is_lost() {
    let mut s = Session::new(|d| settings(d, ALWAYS, "")).await;
    s.start().await;
    // Off for two seconds only: the held one is due when the next run starts.
    let until = (Timestamp::now() + 2.seconds()).to_string();
    s.ok(&["off", "--until", &until]).await;
    s.slack("Bryan", "held").await;
    assert_eq!(s.status().await["held"], 1);

    let app = s.app_connection().await;
    let mut gate = s.gate.take().unwrap();
    kill(gate.process.id().unwrap(), libc::SIGKILL);
    let _ = gate.process.wait().await;
    eventually("the name is freed", || async {
        (!has_owner(&app, "org.freedesktop.Notifications").await).then_some(())
    })
    .await;
    // At login, before Couper: an app's notification activates dunst on the session bus.
    s.notify_send(&["-a", "whatsapp", "Dinner?", "8pm"]).await;
    let activated = Dunst::on(s.desk.session_bus());
    activated.wait_displayed(1).await;
    let plain = notification_owner(&app).await.expect("the activated dunst");
    let until: Timestamp = until.parse().unwrap();
    eventually("the off period is over", || async {
        (Timestamp::now() > until).then_some(())
    })
    .await;

    // Couper starts: nobody asked for that daemon, so Couper takes the name over and runs
    // dunst behind itself.
    let started = std::time::Instant::now();
    let process = s.spawn_run();
    let mine = process.id().unwrap();
    eventually("Couper owns the name", || async {
        (notification_owner(&app).await == Some(mine)).then_some(())
    })
    .await;
    let gating = started.elapsed();
    eprintln!("from start to gating: {gating:?}");
    assert!(gating < Duration::from_secs(2), "{gating:?}");
    s.serving(process).await;
    eventually("the plain daemon ended", || async {
        gone(plain).then_some(())
    })
    .await;

    // What was held came back once, through the daemon behind Couper.
    s.dunst().wait_displayed(1).await;
    let shown = s.dunst().close_all_and_read().await;
    assert_eq!(
        messages(&shown),
        [format!(
            "NORMAL While you were off: 1 held — Slack 1|{DIGEST_BODY}"
        )]
    );
    // And the session is gated: off hours, a work notification is held.
    s.ok(&["off"]).await;
    s.slack("Late", "held").await;
    assert_eq!(s.status().await["held"], 1);
    s.personal("Personal", 1).await;
}

#[tokio::test]
async fn a_daemon_the_user_started_is_named_and_replace_puts_couper_in_front_of_it() {
    let mut s = Session::new(|d| settings(d, NEVER, "")).await;
    let app = s.app_connection().await;
    // As `exec dunst` in an i3 config.
    let mut theirs = s
        .desk
        .app("dunst")
        .args(["-config", &s.desk.dunstrc().display().to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let their_pid = theirs.id().unwrap();
    eventually("their dunst owns the name", || async {
        (notification_owner(&app).await == Some(their_pid)).then_some(())
    })
    .await;

    // Couper names it, with what would put Couper in front of it, and touches nothing.
    let refused = s.couper(&["run"]).await;
    assert_eq!(refused.status.code(), Some(1));
    let said = String::from_utf8_lossy(&refused.stderr).trim().to_string();
    assert_eq!(said.lines().count(), 1, "{said}");
    assert!(
        said.starts_with(&format!(
            "couper: org.freedesktop.Notifications is owned by dunst (pid {their_pid}), which \
             you started: `couper run --replace` puts Couper in front of it"
        )),
        "{said}"
    );
    assert_eq!(notification_owner(&app).await, Some(their_pid));

    // With the user's consent.
    let started = std::time::Instant::now();
    let process = s.spawn_run_with(&["--replace"], &[]);
    let mine = process.id().unwrap();
    eventually("Couper owns the name", || async {
        (notification_owner(&app).await == Some(mine)).then_some(())
    })
    .await;
    eprintln!(
        "from couper run --replace to gating: {:?}",
        started.elapsed()
    );
    s.serving(process).await;
    let _ = tokio::time::timeout(PATIENCE, theirs.wait())
        .await
        .expect("their dunst ends");
    s.slack("Evening", "held").await;
    assert_eq!(s.status().await["held"], 1);
    s.personal("Personal", 1).await;
}

#[tokio::test]
async fn with_no_daemon_that_can_start_couper_fails_open_says_why_and_tries_again_on_a_settings_change(
) {
    let mut s = Session::new(|d| {
        settings(d, NEVER, "").replace(
            "command = [\"dunst\"",
            "command = [\"/nonexistent/notifyd\"",
        )
    })
    .await;
    let app = s.app_connection().await;
    let mut process = s.spawn_run();
    // It keeps running, stands aside and says why.
    let status = eventually("couper run says why it does not gate", || async {
        let output = s.couper(&["status", "--json"]).await;
        let status: Value = serde_json::from_slice(&output.stdout).ok()?;
        (status["route"] == "none").then_some(status)
    })
    .await;
    let why = status["not_gating"]["reason"].as_str().unwrap();
    assert!(
        why.starts_with("cannot start /nonexistent/notifyd"),
        "{why}"
    );
    assert!(
        process.try_wait().unwrap().is_none(),
        "couper run keeps running"
    );
    let text = s.ok(&["status"]).await;
    assert!(
        text.contains("route:       none (cannot start /nonexistent/notifyd"),
        "{text}"
    );
    // The session's own activation serves the apps meanwhile (Couper's warning may have
    // brought its daemon already).
    assert_ne!(notification_owner(&app).await, process.id());
    s.slack("While Couper stands aside", "shown").await;
    let activated = Dunst::on(s.desk.session_bus());
    // With Couper's warning that it stands aside (issue 14).
    activated.wait_displayed(2).await;

    // The user names a daemon that works: Couper tries again, takes the name from the one
    // the session activated, and gates.
    let good = settings(&s.desk, NEVER, "");
    let edited = std::time::Instant::now();
    s.edit_settings(&good);
    let mine = process.id().unwrap();
    eventually("Couper owns the name", || async {
        (notification_owner(&app).await == Some(mine)).then_some(())
    })
    .await;
    eprintln!("from the settings edit to gating: {:?}", edited.elapsed());
    s.serving(process).await;
    assert_eq!(s.status().await["not_gating"], Value::Null);
    s.slack("Evening", "held").await;
    assert_eq!(s.status().await["held"], 1);
}

/// A session with mako and dunst both installed (an activation file each, in a data
/// directory of its own) and no `[display] command`: Couper chooses. `env` is the
/// session's kind; returns the display daemon Couper draws through, and its log.
async fn chosen_daemon(env: &[(&str, &str)]) -> (String, String) {
    let mut s = Session::new(|d| {
        let text = settings(d, NEVER, "");
        text[..text.find("[display]").unwrap()].to_string()
    })
    .await;
    let data = s.desk.dir().join("data-home");
    let services = data.join("dbus-1/services");
    std::fs::create_dir_all(&services).unwrap();
    std::fs::write(
        services.join("fr.emersion.mako.service"),
        "[D-BUS Service]\nName=org.freedesktop.Notifications\nExec=/usr/bin/mako\n",
    )
    .unwrap();
    std::fs::write(
        services.join("org.knopwob.dunst.service"),
        format!(
            "[D-BUS Service]\nName=org.freedesktop.Notifications\nExec=/usr/bin/dunst -config {} \
             -verbosity crit\n",
            s.desk.dunstrc().display()
        ),
    )
    .unwrap();
    let none = s.desk.dir().join("no-system-data");
    let mut all = vec![
        ("XDG_DATA_HOME", data.to_str().unwrap()),
        ("XDG_DATA_DIRS", none.to_str().unwrap()),
    ];
    all.extend_from_slice(env);
    let process = s.spawn_run_with(&[], &all);
    s.serving(process).await;
    let display = s.status().await["display"].as_str().unwrap().to_string();
    s.slack("Evening", "held").await;
    assert_eq!(s.status().await["held"], 1, "it gates");
    (display, s.run_log())
}

#[tokio::test]
async fn in_an_x11_session_with_mako_and_dunst_installed_dunst_draws() {
    if !std::path::Path::new("/usr/bin/mako").exists() {
        assert!(std::env::var_os("CI").is_none(), "mako is not installed");
        eprintln!("skipped: mako is not installed (scripts/setup --tests installs it)");
        return;
    }
    let (display, log) = chosen_daemon(&[("XDG_CURRENT_DESKTOP", "i3")]).await;
    assert!(display.starts_with("/usr/bin/dunst"), "{display}");
    assert!(!log.contains("mako"), "mako was not even tried: {log}");
}

#[tokio::test]
async fn a_daemon_that_fails_to_start_is_passed_over_for_the_next() {
    if !std::path::Path::new("/usr/bin/mako").exists() {
        assert!(std::env::var_os("CI").is_none(), "mako is not installed");
        eprintln!("skipped: mako is not installed (scripts/setup --tests installs it)");
        return;
    }
    // The session says sway, but its compositor is gone: mako, the better fit, fails for
    // real ("failed to create display"); dunst draws on the X display instead.
    let (display, log) = chosen_daemon(&[
        ("XDG_CURRENT_DESKTOP", "sway"),
        ("WAYLAND_DISPLAY", "wayland-couper-gone"),
    ])
    .await;
    assert!(display.starts_with("/usr/bin/dunst"), "{display}");
    assert!(
        log.contains("the display daemon did not start") && log.contains("/usr/bin/mako"),
        "{log}"
    );
}

#[tokio::test]
async fn an_editor_writing_in_place_is_read_once_it_is_done() {
    let today = Timestamp::now().in_tz(ZONE).unwrap().date();
    let time_off = format!(
        "[[time_off]]\nstart = \"{}\"\nend = \"{}\"\n",
        today.yesterday().unwrap(),
        today.tomorrow().unwrap().tomorrow().unwrap()
    );
    let mut s = Session::new(|d| settings(d, ALWAYS, &time_off)).await;
    s.start().await;
    s.slack("Bryan", "held").await;
    assert_eq!(s.status().await["held"], 1);

    // Another zone, the same time off. The editor empties the file and writes it in two
    // goes; what it has written before the time off alone would make it working time.
    let text = settings(&s.desk, ALWAYS, &time_off).replace(ZONE, "Europe/Brussels");
    let (before, after) = text.split_at(text.find("[[time_off]]").unwrap());
    {
        use std::io::Write;
        let mut file = std::fs::File::create(&s.settings).unwrap();
        file.write_all(before.as_bytes()).unwrap();
        file.flush().unwrap();
        // A slow writer: the pause is the point.
        std::thread::sleep(Duration::from_millis(30));
        file.write_all(after.as_bytes()).unwrap();
    }
    eventually("the edit is read", || async {
        (s.status().await["timezone"] == "Europe/Brussels").then_some(())
    })
    .await;
    let status = s.status().await;
    assert_eq!(
        (status["working"].as_bool(), status["held"].as_u64()),
        (Some(false), Some(1)),
        "a half-written file was applied"
    );
    s.personal("marker", 1).await;
    assert_eq!(s.dunst().received().await, 1, "no digest");
}

/// `dist/couper.service`: systemd's own check when `systemd-analyze` is installed, and
/// always the choices the unit must keep.
#[test]
fn the_systemd_user_unit_runs_couper_in_the_graphical_session_and_passes_verify() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/dist/couper.service");
    let text = std::fs::read_to_string(path).unwrap();
    let mut unit: HashMap<(String, String), String> = HashMap::new();
    let mut section = String::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.to_string();
            continue;
        }
        let (key, value) = line.split_once('=').expect("key=value");
        let old = unit.insert((section.clone(), key.to_string()), value.to_string());
        assert!(old.is_none(), "{key} twice in [{section}]");
    }
    let get = |section: &str, key: &str| {
        unit.get(&(section.to_string(), key.to_string()))
            .map(String::as_str)
            .unwrap_or_else(|| panic!("no {key} in [{section}]"))
    };
    assert_eq!(get("Service", "Type"), "dbus");
    assert_eq!(get("Service", "BusName"), "org.couper.Couper");
    assert_eq!(get("Service", "ExecStart"), "%h/.local/bin/couper run");
    assert_eq!(get("Service", "Restart"), "on-failure");
    assert_eq!(get("Unit", "PartOf"), "graphical-session.target");
    assert_eq!(get("Unit", "After"), "graphical-session.target");
    assert_eq!(get("Install", "WantedBy"), "graphical-session.target");

    let Ok(analyze) = which("systemd-analyze") else {
        eprintln!("systemd-analyze is not installed: the unit was only parsed");
        return;
    };
    // %h/.local/bin/couper must exist for the check: a home of the test's own.
    let home = tempfile::tempdir().unwrap();
    let bin = home.path().join(".local/bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_couper"), bin.join("couper")).unwrap();
    // Couper's unit on its own: the user units of other notification daemons installed
    // here (mako's, swaync's…) all claim org.freedesktop.Notifications, which systemd
    // refuses to load together.
    let units = home.path().join("units");
    std::fs::create_dir(&units).unwrap();
    for entry in std::fs::read_dir("/usr/lib/systemd/user")
        .into_iter()
        .flatten()
        .flatten()
    {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        if !text
            .lines()
            .any(|l| l.trim() == "BusName=org.freedesktop.Notifications")
        {
            std::os::unix::fs::symlink(entry.path(), units.join(entry.file_name())).unwrap();
        }
    }
    let output = std::process::Command::new(analyze)
        .args(["--user", "verify", path])
        .env("HOME", home.path())
        .env("XDG_RUNTIME_DIR", home.path())
        .env("SYSTEMD_UNIT_PATH", &units)
        .output()
        .unwrap();
    // systemd only warns about what it ignores: a warning is a failure here.
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success() && said.trim().is_empty(), "{said}");
}

/// `program`'s path, from `PATH`.
fn which(program: &str) -> Result<PathBuf, ()> {
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
        .ok_or(())
}

/// Summaries and bodies of what is held, in order.
async fn held_texts(s: &Session) -> Vec<(u64, String, String)> {
    s.held()
        .await
        .iter()
        .map(|h| {
            let n = &h["notification"];
            let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
            (
                h["id"].as_u64().unwrap_or_default(),
                text(&n["summary"]),
                text(&n["body"]),
            )
        })
        .collect()
}

#[tokio::test]
async fn another_app_cannot_replace_or_withdraw_a_held_notification_its_own_app_can() {
    let mut s = Session::new(|d| settings(d, NEVER, "")).await;
    s.start().await;
    let a = s.app_connection().await;
    let b = s.app_connection().await;
    let held = notify(&a, "Slack", "Bryan", "On publie ?", slack_hints()).await;
    let theirs = (
        u64::from(held),
        "Bryan".to_string(),
        "On publie ?".to_string(),
    );

    // B names A's id, as a guess or a stale id: a new notification of its own.
    let other = notify_replacing(&b, "whatsapp", held, "Hi", "personal", HashMap::new()).await;
    assert_ne!(other, held, "B got A's id back");
    // B calling itself Slack: a new held one; A's text is untouched.
    let posing = notify_replacing(&b, "Slack", held, "Bryan", "effacé", slack_hints()).await;
    assert_ne!(posing, held);
    // B withdraws A's id: ignored.
    close_notification(&b, held).await;
    let texts = held_texts(&s).await;
    assert_eq!(
        texts,
        [
            theirs.clone(),
            (u64::from(posing), "Bryan".to_string(), "effacé".to_string())
        ]
    );
    assert_eq!(s.status().await["held"], 2);
    assert_eq!(
        s.dunst().received().await,
        1,
        "only B's personal one was shown"
    );

    // What is on screen is the display's to replace, as without Couper: a key binding's
    // `notify-send -r ID` comes from a new connection each time.
    let volume = notify(&b, "volume", "Volume 40%", "", HashMap::new()).await;
    let key = s.app_connection().await;
    let again = notify_replacing(&key, "volume", volume, "Volume 50%", "", HashMap::new()).await;
    assert_eq!(again, volume, "the bubble is updated in place");
    // …and `dunstify -r 2593`, an id the script chose, sent by each key press.
    let first = notify_replacing(&b, "volume", 4_000_000, "Volume 60%", "", HashMap::new()).await;
    let second =
        notify_replacing(&key, "volume", 4_000_000, "Volume 70%", "", HashMap::new()).await;
    assert_eq!(second, first, "one bubble for the script's id");
    // `dunstify -C 2593` closes it.
    s.dunst().wait_displayed(3).await;
    close_notification(&key, 4_000_000).await;
    s.dunst().wait_displayed(2).await;

    // A itself still replaces its own (in place) and withdraws it.
    let again = notify_replacing(&a, "Slack", held, "Bryan", "Le visuel ?", slack_hints()).await;
    assert_eq!(again, held, "a replacement by its own app keeps the id");
    assert_eq!(held_texts(&s).await[0].2, "Le visuel ?");
    close_notification(&a, held).await;
    let texts = held_texts(&s).await;
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert_eq!(texts[0].0, u64::from(posing));

    // A Couper restarted on the same bus still knows who posted what is held.
    s.restart().await;
    close_notification(&a, posing).await;
    assert_eq!(held_texts(&s).await.len(), 1, "A cannot withdraw B's");
    close_notification(&b, posing).await;
    assert!(
        s.held().await.is_empty(),
        "B withdraws its own after a restart"
    );
}

#[tokio::test]
async fn a_held_queue_bigger_than_a_dbus_message_is_listed_whole() {
    use couper::notification::Notification;
    use couper::store::{Held, HistoryEntry, Kind, Store};
    let mut s = Session::new(|d| settings(d, NEVER, "")).await;
    // 130 MiB of held text, more than the 128 MiB one D-Bus message may carry, written
    // in the store as holds are (posting it through the bus takes a minute in a debug
    // build).
    let body = "x".repeat(1 << 20);
    let at = Timestamp::now();
    let mut store = Store::open(&s.store).unwrap();
    for id in 1..=130u32 {
        let notification = Notification {
            app: "Slack".into(),
            summary: format!("Rapport {id}"),
            body: body.clone(),
            ..Default::default()
        };
        let held = Held {
            id,
            held_at: at,
            source: Some("Slack".into()),
            notification,
            crisis: false,
            until: None,
            reason: "held: Slack is a work app".into(),
            released_at: None,
        };
        let entry = HistoryEntry {
            at,
            kind: Kind::Hold,
            id: Some(id),
            app: "Slack".into(),
            source: Some("Slack".into()),
            crisis: false,
            working: false,
            on_call: false,
            reason: held.reason.clone(),
        };
        store.hold(&held, &entry).unwrap();
    }
    drop(store);
    s.start().await;
    assert_eq!(s.status().await["held"], 130);
    let listed: Vec<u64> = s
        .held()
        .await
        .iter()
        .filter_map(|h| h["id"].as_u64())
        .collect();
    assert_eq!(
        listed,
        (1..=130).collect::<Vec<u64>>(),
        "every held one, oldest first"
    );
}

#[tokio::test]
async fn once_the_disk_is_full_work_is_shown_and_status_counts_only_what_is_held() {
    let mut s = Session::new(|d| settings(d, NEVER, "")).await;
    // A disk with room for about 1.5 MiB of store: the file size limit of the process,
    // as a full disk refuses writes (EFBIG, with SIGXFSZ ignored, instead of ENOSPC).
    let mut command = s.command(env!("CARGO_BIN_EXE_couper"));
    command
        .arg("run")
        .env("COUPER_LOG", "couper=info")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    // SAFETY: only async-signal-safe calls (signal, setrlimit) between fork and exec.
    unsafe {
        command.pre_exec(|| {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit {
                rlim_cur: 1536 * 1024,
                rlim_max: 1536 * 1024,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let process = command.spawn().expect("couper run");
    s.serving(process).await;
    let app = s.app_connection().await;
    let body = "x".repeat(256 * 1024);
    for i in 0..12 {
        notify(&app, "Slack", &format!("Rapport {i}"), &body, slack_hints()).await;
    }
    let held = s.held().await.len();
    assert!(held < 12, "the disk was not full: {held} held");
    // What could not be held was shown instead, never lost…
    s.dunst().wait_displayed((12 - held) as u32).await;
    // …and is not counted as held.
    assert_eq!(s.status().await["held"].as_u64(), Some(held as u64));
}

#[tokio::test]
async fn a_work_sites_require_interaction_is_held_and_an_escaped_account_matches() {
    const BROWSERS: &str = r#"
[[work_apps]]
name = "LinkedIn page"
app = "chromium"

[[work_apps]]
name = "R&D mail"
app = "firefox"
account = "R&D"
"#;
    let mut s = Session::new(|d| settings(d, NEVER, BROWSERS)).await;
    s.start().await;
    // As Chromium sends a page's requireInteraction notification to dunst: critical,
    // the site as a link at the start of the body.
    s.notify_send(&[
        "-a",
        "Chromium",
        "-h",
        "string:desktop-entry:chromium",
        "-u",
        "critical",
        "LinkedIn",
        "<a href=\"https://www.linkedin.com/\">www.linkedin.com</a>\n\nNouveau message",
    ])
    .await;
    // As Firefox sends a mail's notification to a daemon that reads markup: escaped.
    let firefox = ["-a", "Firefox", "-h", "string:desktop-entry:firefox-esr"];
    let mut mail = firefox.to_vec();
    mail.extend(["Mail", "Pour l'équipe R&amp;D"]);
    s.notify_send(&mail).await;
    let mut family = firefox.to_vec();
    family.extend(["-p", "Mail", "Pour la famille"]);
    let id = s.notify_send(&family).await;
    s.dunst().wait_displayed(1).await;
    let shown = s.dunst().close_all_and_read().await;
    assert_eq!(messages(&shown), ["NORMAL Mail|Pour la famille"]);
    let held: Vec<String> = s
        .held()
        .await
        .iter()
        .map(|h| h["source"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(held, ["LinkedIn page", "R&D mail"]);
    let explained = s.ok(&["explain", &id]).await;
    assert!(
        explained.contains("Firefox is a work app, but not for this account"),
        "{explained}"
    );
}

/// Issue 15: the on-call toggle is decided in the gate, in one step: `couper on-call
/// toggle` and a tool calling `ToggleOnCall` turn it the other way round each time.
#[tokio::test]
async fn issue_15_on_call_toggle_turns_the_switch_the_other_way_round_from_any_door() {
    let mut s = Session::new(|d| settings(d, ALWAYS, "")).await;
    s.start().await;
    assert_eq!(s.status().await["on_call_manual"], false);
    let said = s.ok(&["on-call", "toggle"]).await;
    assert!(said.contains("On call"), "{said}");
    assert_eq!(s.status().await["on_call_manual"], true);

    let out = s
        .desk
        .run(
            "gdbus",
            &[
                "call",
                "--session",
                "--dest",
                "org.couper.Couper",
                "--object-path",
                "/org/couper/Couper",
                "--method",
                "org.couper.Couper1.ToggleOnCall",
            ],
        )
        .await;
    assert!(out.status.success(), "{out:?}");
    assert_eq!(s.status().await["on_call_manual"], false);
    s.ok(&["on-call", "toggle"]).await;
    s.ok(&["on-call", "on"]).await;
    assert_eq!(s.status().await["on_call_manual"], true, "on stays on");
}

#[tokio::test]
async fn forget_through_the_running_gate_erases_the_history_and_keeps_what_is_held() {
    let mut s = Session::new(|d| settings(d, NEVER, "")).await;
    s.start().await;
    // Holds are committed before the app gets its answer: both are in the store now.
    s.slack("Bryan", "On publie ?").await;
    s.slack("Bryan", "Le visuel ?").await;
    let held_in = |report: &str| -> Value {
        let report: Value = serde_json::from_str(report).unwrap();
        report["total"]["held"].clone()
    };
    assert_eq!(held_in(&s.ok(&["report", "--json"]).await), 2);

    let refused = s.couper(&["forget", "--before", "last week"]).await;
    assert_eq!(refused.status.code(), Some(1));
    let said = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(said.lines().count(), 1, "{said}");
    assert!(
        said.starts_with("couper: --before \"last week\" is not a date"),
        "{said}"
    );

    let said = s.ok(&["forget", "--before", "2026-01-01"]).await;
    assert_eq!(
        said.trim(),
        "history before 2026-01-01 erased (0 decisions)"
    );
    let said = s.ok(&["forget"]).await;
    assert_eq!(said.trim(), "history erased (2 decisions)");
    assert_eq!(held_in(&s.ok(&["report", "--json"]).await), 0);
    // What is held is not history yet: both still come back when work starts.
    let held = s.held().await;
    assert_eq!(held.len(), 2, "{held:?}");
}

#[tokio::test]
async fn a_run_refused_for_its_settings_says_why_once_on_one_line() {
    let s = Session::new(|_| "[display]\ncommand = \"dunst\"\n".to_string()).await;
    let out = s.couper(&["run"]).await;
    assert_eq!(out.status.code(), Some(1));
    let said = String::from_utf8_lossy(&out.stderr);
    let said: Vec<&str> = said.lines().filter(|l| l.starts_with("couper:")).collect();
    assert_eq!(said.len(), 1, "{said:?}");
    assert!(
        said[0].ends_with(":2: display.command: wrong type: string \"dunst\", expected an array"),
        "{said:?}"
    );
    assert_eq!(said[0].matches("display.command").count(), 1, "{said:?}");
}

// Couper's own voice (issue 14, part 1): its notifications are posted with notify-rust,
// as an app of the session, and its gate knows them for its own.

/// Every `Notify` call on the session bus, with its sender and summary (a monitor, as
/// `dbus-monitor` is).
async fn notify_calls(s: &Session) -> tokio::sync::mpsc::UnboundedReceiver<(String, String)> {
    let monitor = s.app_connection().await;
    monitor
        .call_method(
            Some("org.freedesktop.DBus"),
            "/org/freedesktop/DBus",
            Some("org.freedesktop.DBus.Monitoring"),
            "BecomeMonitor",
            &(vec!["type='method_call',member='Notify'"], 0u32),
        )
        .await
        .expect("BecomeMonitor");
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let mut calls = zbus::MessageStream::from(&monitor);
    tokio::spawn(async move {
        let _monitor = &monitor;
        while let Some(Ok(call)) = calls.next().await {
            let header = call.header();
            if header.member().map(|m| m.as_str()) != Some("Notify") {
                continue;
            }
            let sender = header.sender().map(|s| s.to_string()).unwrap_or_default();
            let Ok((_, _, _, summary, ..)) = call.body().deserialize::<live::NotifyArgs>() else {
                continue;
            };
            if tx.send((sender, summary)).is_err() {
                return;
            }
        }
    });
    rx
}

async fn owner_of(conn: &zbus::Connection, name: &str) -> String {
    let dbus = zbus::fdo::DBusProxy::new(conn).await.unwrap();
    dbus.get_name_owner(name.try_into().unwrap())
        .await
        .unwrap()
        .to_string()
}

/// A dunstrc whose context menu (dmenu) picks the action labelled `label`, as a user
/// picks it in the menu; returns the settings naming it.
fn settings_picking(s: &desktop::Desktop, hours: &str, label: &str) -> String {
    let pick = s.dir().join("pick");
    std::fs::write(&pick, format!("#!/bin/sh\nexec grep -m1 -F '{label}'\n")).unwrap();
    std::os::unix::fs::PermissionsExt::set_mode(
        &mut std::fs::metadata(&pick).unwrap().permissions(),
        0o755,
    );
    std::fs::set_permissions(&pick, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let dunstrc = s.dir().join("dunstrc-pick");
    std::fs::write(
        &dunstrc,
        desktop::DUNSTRC.replace(
            "dmenu = /usr/bin/head -n 1",
            &format!("dmenu = {}", pick.display()),
        ),
    )
    .unwrap();
    settings(s, hours, "").replace(
        &s.dunstrc().display().to_string(),
        &dunstrc.display().to_string(),
    )
}

#[tokio::test]
async fn issue_14_the_digest_comes_from_couper_s_own_connection_once_unheld_and_release_all_empties_the_queue(
) {
    let mut s = Session::new(|d| settings_picking(d, NEVER, "Release all")).await;
    s.start().await;
    s.slack("first", "held").await;
    s.slack("second", "held").await;
    let held = s.held().await;
    assert_eq!(held.len(), 2, "{held:?}");
    let mut calls = notify_calls(&s).await;

    // One released by hand while off: the digest says so, and is not held itself.
    let first = held[0]["id"].as_u64().unwrap().to_string();
    s.ok(&["release", &first]).await;
    s.dunst().wait_displayed(1).await;
    let (sender, summary) = tokio::time::timeout(PATIENCE, calls.recv())
        .await
        .expect("the monitor saw no Notify")
        .expect("the digest's Notify");
    assert!(
        summary.starts_with("While you were off: 1 held"),
        "{summary}"
    );
    let app = s.app_connection().await;
    let control = owner_of(&app, "org.couper.Couper").await;
    assert_ne!(
        sender, control,
        "the digest comes from a connection of its own"
    );
    let dbus = zbus::fdo::DBusProxy::new(&app).await.unwrap();
    let pid = dbus
        .get_connection_unix_process_id(sender.as_str().try_into().unwrap())
        .await
        .unwrap();
    assert_eq!(pid, s.gate_pid(), "the digest's connection is Couper's own");
    assert_eq!(s.held().await.len(), 1, "the digest is not held");
    assert_eq!(s.dunst().received().await, 1, "shown once");
    let seen: String = app
        .call_method(
            Some("org.couper.Couper"),
            "/org/couper/Couper",
            Some("org.couper.Couper1"),
            "SeenApps",
            &(),
        )
        .await
        .unwrap()
        .body()
        .deserialize()
        .unwrap();
    assert!(!seen.contains("Couper"), "not a seen app: {seen}");

    // "Release all", picked in dunst's menu: the queue empties.
    let display_bus = s.status().await["display_bus"]
        .as_str()
        .unwrap()
        .to_string();
    let picking = s
        .desk
        .app("dunstctl")
        .arg("context")
        .env("DBUS_SESSION_BUS_ADDRESS", display_bus)
        .status();
    let picked = tokio::time::timeout(PATIENCE, picking)
        .await
        .expect("dunstctl context hung")
        .unwrap();
    assert!(picked.success());
    eventually("Release all empties the queue", || async {
        s.held().await.is_empty().then_some(())
    })
    .await;
    // Picked, the digest is gone; the second one's digest comes in its place, shown.
    let (_, summary) = tokio::time::timeout(PATIENCE, calls.recv())
        .await
        .expect("no second digest")
        .unwrap();
    assert!(
        summary.starts_with("While you were off: 1 held"),
        "{summary}"
    );
    s.dunst().wait_displayed(1).await;
    let shown = s.dunst().close_all_and_read().await;
    assert_eq!(shown.last().unwrap().summary, summary, "{shown:?}");
}

#[tokio::test]
async fn issue_14_show_held_on_the_digest_of_a_headless_run_says_to_run_couper_held() {
    let mut s = Session::new(|d| settings(d, NEVER, "")).await;
    s.start().await;
    s.slack("one", "held").await;
    let id = s.held().await[0]["id"].as_u64().unwrap().to_string();
    s.ok(&["release", &id]).await;
    s.dunst().wait_displayed(1).await;
    // Its body, clicked: no window runs here, so Couper says which command shows them.
    s.dunst().action(0).await;
    s.dunst().wait_displayed(2).await;
    let shown = s.dunst().close_all_and_read().await;
    assert_eq!(
        shown[1].message, "NORMAL No Couper window runs here|`couper held` in a terminal shows it.",
        "{shown:?}"
    );
}

#[tokio::test]
async fn issue_14_a_refused_settings_edit_warns_once_per_cause() {
    let mut s = Session::new(|d| settings(d, NEVER, "")).await;
    s.start().await;
    let app = s.app_connection().await;
    let rule = zbus::MatchRule::builder()
        .msg_type(zbus::message::Type::Signal)
        .interface("org.couper.Couper1")
        .member("StateChanged")
        .build()
        .unwrap();
    let mut changes = zbus::MessageStream::for_match_rule(rule, &app, None)
        .await
        .unwrap();
    let good = settings(&s.desk, NEVER, "");
    let broken =
        |hours: &str| good.replace("[hours]\n", &format!("[hours]\nmon = [\"{hours}\"]\n"));

    s.edit_settings(&broken("9h-18h"));
    s.dunst().wait_displayed(1).await;
    // The same mistake again: read (the status is announced), not said again.
    s.edit_settings(&broken("9h-18h"));
    changes.next().await.unwrap().unwrap();
    // Another one: said.
    s.edit_settings(&broken("25:00-26:00"));
    s.dunst().wait_displayed(2).await;
    let shown = s.dunst().close_all_and_read().await;
    assert_eq!(shown.len(), 2, "{shown:?}");
    for (warning, value) in shown.iter().zip(["9h-18h", "25:00-26:00"]) {
        assert_eq!(
            warning.summary, "Your settings edit was refused",
            "{shown:?}"
        );
        assert!(
            warning.body.contains("settings.toml:") && warning.body.contains(value),
            "{shown:?}"
        );
    }
    // Its action opens the Diagnostics tab (headless: says which command shows it).
    assert_eq!(s.dunst().received().await, 2);
}

#[tokio::test]
async fn issue_14_failing_open_warns_once_per_cause_through_the_session_s_own_daemon() {
    let failing = |d: &desktop::Desktop, daemon: &str| {
        settings(d, NEVER, "").replace("command = [\"dunst\"", &format!("command = [\"{daemon}\""))
    };
    let mut s = Session::new(|d| failing(d, "/nonexistent/notifyd")).await;
    let _process = s.spawn_run();
    let activated = Dunst::on(s.desk.session_bus());
    // Posted anyway: the session's activation brings its own daemon, which shows it.
    activated.wait_displayed(1).await;
    // Another daemon named, that fails too: another cause, said too.
    s.edit_settings(&failing(&s.desk, "/nonexistent/otherd"));
    activated.wait_displayed(2).await;
    let shown = activated.close_all_and_read().await;
    assert_eq!(shown.len(), 2, "{shown:?}");
    for (warning, daemon) in shown.iter().zip(["notifyd", "otherd"]) {
        assert_eq!(
            warning.summary, "Couper is not holding notifications",
            "{shown:?}"
        );
        assert!(
            warning
                .body
                .starts_with(&format!("cannot start /nonexistent/{daemon}")),
            "{shown:?}"
        );
    }
}

/// Off, one Slack notification held, then on: what `couper held`, `couper explain` and
/// the digest on dunst say, with `couper run` in the locale `env` and the settings
/// starting with `first` (a top-level key such as `language = "fr"`).
async fn said_while_off(first: &str, env: &[(&str, &str)]) -> (String, String, String) {
    let first = first.to_string();
    let mut s = Session::new(|d| format!("{first}{}", settings(d, ALWAYS, ""))).await;
    let mut env = env.to_vec();
    env.extend([("LC_ALL", ""), ("LC_MESSAGES", "")]);
    let process = s.spawn_run_with(&[], &env);
    s.serving(process).await;
    s.ok(&["off"]).await;
    s.slack("Bryan", "On publie ?").await;
    let held = eventually("the Slack one is held", || async {
        let held = s.held().await;
        (held.len() == 1).then_some(held)
    })
    .await;
    let reason = held[0]["reason"].as_str().unwrap().to_string();
    let id = held[0]["id"].as_u64().unwrap().to_string();
    let explained = s.ok(&["explain", &id]).await;
    s.ok(&["on"]).await;
    s.dunst().wait_displayed(1).await;
    let shown = s.dunst().close_all_and_read().await;
    assert_eq!(shown.len(), 1, "{shown:?}");
    (reason, explained, shown[0].message.clone())
}

const FR_DIGEST: &str =
    "NORMAL En votre absence : 1 retenue — Slack 1|Ouvrez Couper pour les lire.";
const FR_HELD: &str =
    "retenue : Slack est une app de travail et vous avez dit ne plus travailler (";

#[tokio::test]
async fn issue_14_digest_and_reasons_in_french_under_a_french_locale() {
    let (reason, explained, digest) = said_while_off("", &[("LANG", "fr_FR.UTF-8")]).await;
    assert!(reason.starts_with(FR_HELD), "{reason}");
    assert!(explained.contains(&reason), "{explained}");
    assert_eq!(digest, FR_DIGEST);
}

#[tokio::test]
async fn issue_14_digest_and_reasons_in_english_under_an_english_locale() {
    let (reason, explained, digest) = said_while_off("", &[("LANG", "en_US.UTF-8")]).await;
    assert!(
        reason.starts_with("held: Slack is a work app and you said you are off ("),
        "{reason}"
    );
    assert!(explained.contains(&reason), "{explained}");
    assert_eq!(
        digest,
        format!("NORMAL While you were off: 1 held — Slack 1|{DIGEST_BODY}")
    );
}

#[tokio::test]
async fn issue_14_digest_language_fr_in_the_settings_wins_over_an_english_locale() {
    let (reason, explained, digest) =
        said_while_off("language = \"fr\"\n", &[("LANG", "en_US.UTF-8")]).await;
    assert!(reason.starts_with(FR_HELD), "{reason}");
    assert!(explained.contains(&reason), "{explained}");
    assert_eq!(digest, FR_DIGEST);
}

/// Serves `page(path)` as HTML on a port of 127.0.0.1 (so `localhost` too) from a thread
/// of the test's own, for as long as the test runs; returns the port and the paths asked
/// for, as they come.
fn serve_pages(page: fn(&str) -> Option<String>) -> (u16, std::sync::mpsc::Receiver<String>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = listener.local_addr().unwrap().port();
    let (asked, paths) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            let _ = reader.read_line(&mut request);
            // The rest of the head, up to its blank line.
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let path = request.split(' ').nth(1).unwrap_or("/").to_string();
            let reply = match page(&path) {
                Some(html) => format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n{html}",
                    html.len()
                ),
                None => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .to_string(),
            };
            let _ = stream.write_all(reply.as_bytes());
            let _ = asked.send(path);
        }
    });
    (port, paths)
}

/// How long a browser may take on a busy machine (to start, to post, to run a page's
/// handler): longer than dunst's patience.
const BROWSER_PATIENCE: Duration = Duration::from_secs(90);

/// Waits for the pages to ask for each of `wanted`, in any order (what their `onclick`
/// or `onclose` fetches); if they do not, says what Couper and Chromium logged.
async fn pages_ask(s: &Session, paths: &mut std::sync::mpsc::Receiver<String>, wanted: &[&str]) {
    let mut missing: BTreeSet<&str> = wanted.iter().copied().collect();
    let deadline = std::time::Instant::now() + BROWSER_PATIENCE;
    while !missing.is_empty() {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match tokio::task::block_in_place(|| paths.recv_timeout(left)) {
            Ok(asked) => {
                missing.remove(asked.as_str());
            }
            Err(_) => {
                let chromium =
                    std::fs::read_to_string(s.desk.dir().join("chromium.log")).unwrap_or_default();
                panic!(
                    "the pages did not ask for {missing:?}\n{}\nchromium said:\n{chromium}",
                    s.run_log()
                )
            }
        }
    }
}

/// A page that posts `notifications` (JavaScript `new Notification(…)` arguments) once
/// loaded; each tells its click and its close by asking for `/clicked/TAG`, `/closed/TAG`.
fn notifying_page(notifications: &[&str]) -> String {
    let posts: String = notifications
        .iter()
        .map(|n| {
            format!(
                "{{ const n = new Notification({n});\n\
                 n.onclick = () => fetch('/clicked/' + n.tag);\n\
                 n.onclose = () => fetch('/closed/' + n.tag); }}\n"
            )
        })
        .collect();
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>page</title></head><body><script>\n\
         Notification.requestPermission().then(() => {{\n{posts}}});\n</script></body></html>"
    )
}

/// The pages of the real-browser test: a work site's (on 127.0.0.1) and a personal one's
/// (on localhost) that mentions the work host in its text.
fn browser_pages(path: &str) -> Option<String> {
    match path {
        "/work" => Some(notifying_page(&[
            r#""Work message", {body: "A new comment on the page", tag: "work"}"#,
            r#""Work urgent", {body: "Reply before Monday", tag: "urgent", requireInteraction: true}"#,
        ])),
        "/personal" => Some(notifying_page(&[
            r#""Personal message", {body: "Dinner at 8? Notes on 127.0.0.1", tag: "home"}"#,
        ])),
        path if path.starts_with("/clicked/") || path.starts_with("/closed/") => {
            Some(String::new())
        }
        _ => None,
    }
}

/// Debian's Chromium, non-headless on the test's display, with a fresh profile that
/// grants notifications to the two test origins.
fn chromium(s: &Session, port: u16, urls: &[String]) -> tokio::process::Child {
    let profile = s.desk.dir().join("chromium-profile");
    grant_chromium_notifications(&profile, port);
    let home = s.desk.dir().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let mut command = s.desk.app("/usr/bin/chromium");
    command
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env_remove("WAYLAND_DISPLAY")
        .arg(format!("--user-data-dir={}", profile.display()))
        .args([
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-gpu",
            "--password-store=basic",
            "--ozone-platform=x11",
        ])
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(s.desk.dir().join("chromium.log")).unwrap());
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        // Chromium's sandbox refuses to run as root.
        command.arg("--no-sandbox");
    }
    command.args(urls).spawn().expect("chromium")
}

/// A fresh Chromium profile at `profile` that grants notifications to the two test
/// origins on `port`.
fn grant_chromium_notifications(profile: &std::path::Path, port: u16) {
    std::fs::create_dir_all(profile.join("Default")).unwrap();
    let granted: serde_json::Map<String, Value> = ["127.0.0.1", "localhost"]
        .iter()
        .map(|host| {
            (
                format!("http://{host}:{port},*"),
                serde_json::json!({ "setting": 1 }),
            )
        })
        .collect();
    let preferences = serde_json::json!({
        "profile": { "content_settings": { "exceptions": { "notifications": granted } } }
    });
    std::fs::write(profile.join("Default/Preferences"), preferences.to_string()).unwrap();
}

/// Issue 13, with Debian's Chromium as a user runs it (what it sends: app "Chromium",
/// `desktop-entry` "chromium", the site in `x-kde-origin-name` since Couper advertises it,
/// the body the page's text alone, a `requireInteraction` one with critical urgency).
/// dunst, which does not know the hint, is shown the site as Chromium would have shown
/// it: a link before the text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_13_in_chromium_a_work_sites_notifications_are_held_and_a_personal_sites_shown() {
    if !std::path::Path::new("/usr/bin/chromium").exists() {
        panic!("/usr/bin/chromium is missing: run scripts/setup --tests");
    }
    const SITES: &str = r#"
[release]
mode = "replay"

[[work_apps]]
name = "Work site"
app = "chromium"
sites = ["127.0.0.1"]
"#;
    let mut s = Session::new(|d| settings(d, NEVER, SITES)).await;
    s.start().await;
    let (port, mut paths) = serve_pages(browser_pages);
    let mut browser = chromium(
        &s,
        port,
        &[
            format!("http://127.0.0.1:{port}/work"),
            format!("http://localhost:{port}/personal"),
        ],
    );
    // Chromium takes its time to start on a busy machine: a longer patience than dunst's.
    let deadline = tokio::time::Instant::now() + BROWSER_PATIENCE;
    let held = loop {
        let held = s.held().await;
        if held.len() >= 2 && s.dunst().received().await >= 1 {
            break held;
        }
        if tokio::time::Instant::now() > deadline {
            let log =
                std::fs::read_to_string(s.desk.dir().join("chromium.log")).unwrap_or_default();
            panic!(
                "Chromium's notifications did not all come: held {held:?}, shown {}\n{}\nchromium said:\n{log}",
                s.dunst().received().await,
                s.run_log()
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    // Couper advertises x-kde-origin-name: Chromium names the site there and leaves the
    // page's text alone.
    for h in &held {
        assert_eq!(
            h["notification"]["hints"]["x-kde-origin-name"]["str"],
            format!("127.0.0.1:{port}"),
            "{h}"
        );
        let body = h["notification"]["body"].as_str().unwrap_or_default();
        assert!(!body.contains("127.0.0.1"), "{body:?}");
    }
    // Clicked in dunst: the page's onclick runs, through Couper.
    s.dunst().wait_displayed(1).await;
    s.dunst().action(0).await;
    pages_ask(&s, &mut paths, &["/clicked/home"]).await;
    let shown = s.dunst().close_all_and_read().await;
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert!(
        shown[0].message.starts_with("NORMAL Personal message|")
            && shown[0].message.contains("Dinner at 8? Notes on 127.0.0.1"),
        "{shown:?}"
    );
    let reasons: Vec<&str> = held
        .iter()
        .map(|h| h["reason"].as_str().unwrap_or_default())
        .collect();
    assert!(
        reasons
            .iter()
            .all(|r| r.starts_with("held: 127.0.0.1 is a work site (Work site) and ")),
        "{reasons:?}"
    );
    let mut held: Vec<(String, String, String)> = held
        .iter()
        .map(|h| {
            let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
            (
                text(&h["notification"]["summary"]),
                text(&h["source"]),
                text(&h["notification"]["urgency"]),
            )
        })
        .collect();
    held.sort();
    // The page's requireInteraction came critical, and is held all the same.
    assert_eq!(
        held,
        [
            ("Work message".into(), "Work site".into(), "normal".into()),
            ("Work urgent".into(), "Work site".into(), "critical".into()),
        ]
    );
    // Back at work: each comes back with its title and the page's text.
    s.ok(&["on"]).await;
    s.dunst().wait_displayed(2).await;
    let shown = s.dunst().close_all_and_read().await;
    let released: Vec<desktop::Shown> = shown
        .into_iter()
        .filter(|n| n.summary.starts_with("Work"))
        .collect();
    let released = messages(&released);
    assert_eq!(
        released,
        [
            format!("CRITICAL Work urgent|127.0.0.1:{port}\n\nReply before Monday"),
            format!("NORMAL Work message|127.0.0.1:{port}\n\nA new comment on the page"),
        ]
    );
    // Closed in dunst once released: the page's onclose runs for each.
    pages_ask(&s, &mut paths, &["/closed/work", "/closed/urgent"]).await;
    kill(browser.id().expect("pid"), libc::SIGTERM);
    let _ = tokio::time::timeout(PATIENCE, browser.wait()).await;
}

/// The test's home for the browsers and `couper browser` (never the user's own).
fn browser_home(s: &Session) -> PathBuf {
    let home = s.desk.dir().join("home");
    std::fs::create_dir_all(&home).unwrap();
    home
}

/// `command` with the test's home and XDG directories, on X11 only.
fn at_home<'a>(
    command: &'a mut tokio::process::Command,
    home: &std::path::Path,
) -> &'a mut tokio::process::Command {
    command
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env_remove("WAYLAND_DISPLAY")
}

/// `couper browser ARGS` in the test's home, to its end.
async fn couper_browser(s: &Session, args: &[&str]) -> std::process::Output {
    let home = browser_home(s);
    let mut command = s.command(env!("CARGO_BIN_EXE_couper"));
    at_home(&mut command, &home).arg("browser").args(args);
    tokio::time::timeout(PATIENCE, command.output())
        .await
        .unwrap_or_else(|_| panic!("couper browser {args:?} did not end"))
        .expect("couper")
}

/// `couper browser ARGS`, which must succeed: what it said.
async fn couper_browser_ok(s: &Session, args: &[&str]) -> String {
    let out = couper_browser(s, args).await;
    let said = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(
        out.status.success(),
        "couper browser {args:?}: {said}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    said
}

fn needs(program: &str) {
    if !std::path::Path::new(program).exists() {
        panic!("{program} is missing: run scripts/setup --tests");
    }
}

/// Issue 13: `couper browser add` makes a menu entry that desktop-file-validate accepts,
/// a work source in the settings (the user's comments stay), a profile; `list` says it;
/// `remove` takes entry and source away and leaves the profile's data where it says.
#[tokio::test]
async fn issue_13_couper_browser_add_makes_a_valid_menu_entry_and_a_work_source_and_remove_keeps_the_data(
) {
    needs("/usr/bin/firefox-esr");
    needs("/usr/lib/chromium/chromium");
    let s = Session::new(|d| format!("# My own words\n{}", settings(d, NEVER, ""))).await;
    let home = browser_home(&s);
    let applications = home.join(".local/share/applications");
    for (browser, name, profile) in [
        (
            "firefox",
            "Firefox (work)",
            home.join(".config/mozilla/firefox/couper-work"),
        ),
        (
            "chromium",
            "Chromium (work)",
            home.join(".local/share/couper/chromium-work"),
        ),
    ] {
        let said = couper_browser_ok(&s, &["add", browser]).await;
        let entry = applications.join(format!("couper-{browser}-work.desktop"));
        assert!(
            said.starts_with(&format!(
                "{name} is made: its menu entry {}",
                entry.display()
            )),
            "{said}"
        );
        let validated = std::process::Command::new("desktop-file-validate")
            .arg(&entry)
            .output()
            .expect("desktop-file-validate (desktop-file-utils)");
        assert!(
            validated.status.success() && validated.stdout.is_empty(),
            "{}{}",
            String::from_utf8_lossy(&validated.stdout),
            String::from_utf8_lossy(&validated.stderr)
        );
        let text = std::fs::read_to_string(&entry).unwrap();
        assert!(text.contains(&format!("\nName={name}\n")), "{text}");
        assert!(profile.is_dir(), "no profile at {}", profile.display());
        // Made twice: one source still.
        couper_browser_ok(&s, &["add", browser]).await;
    }
    // Firefox made its profile itself: its profile manager lists it.
    let ini = std::fs::read_to_string(home.join(".config/mozilla/firefox/profiles.ini")).unwrap();
    assert!(ini.contains("Name=couper-work\n"), "{ini}");
    let text = std::fs::read_to_string(&s.settings).unwrap();
    assert!(text.starts_with("# My own words\n"), "{text}");
    assert_eq!(
        text.matches("app = \"couper-firefox-work\"").count(),
        1,
        "{text}"
    );
    assert_eq!(
        text.matches("app = \"couper-chromium-work\"").count(),
        1,
        "{text}"
    );
    assert_eq!(s.ok(&["check"]).await, "ok");
    let listed = couper_browser_ok(&s, &["list"]).await;
    assert_eq!(listed.lines().count(), 2, "{listed}");
    assert!(
        listed.starts_with("Firefox (work): menu entry "),
        "{listed}"
    );

    let said = couper_browser_ok(&s, &["remove", "firefox"]).await;
    let kept = home.join(".config/mozilla/firefox/couper-work");
    assert_eq!(
        said,
        format!(
            "Firefox (work) is removed from the menu and the work sources; its profile's data stays in {}",
            kept.display()
        )
    );
    assert!(kept.is_dir());
    assert!(!applications.join("couper-firefox-work.desktop").exists());
    let text = std::fs::read_to_string(&s.settings).unwrap();
    assert!(text.starts_with("# My own words\n"), "{text}");
    assert!(!text.contains("couper-firefox-work"), "{text}");
    assert!(text.contains("couper-chromium-work"), "{text}");
    assert!(text.contains("app = \"slack\""), "{text}");
    let listed = couper_browser_ok(&s, &["list"]).await;
    assert!(
        listed.starts_with("Chromium (work): ") && listed.lines().count() == 1,
        "{listed}"
    );
}

/// Held ones come back one by one (not as a digest).
const REPLAY: &str = "[release]\nmode = \"replay\"\n";

/// The page of the work profile tests, the same in both profiles, on one site.
fn profile_pages(path: &str) -> Option<String> {
    match path {
        "/same" => Some(notifying_page(&[
            r#""Same page", {body: "The same site in either profile", tag: "same"}"#,
        ])),
        path if path.starts_with("/clicked/") || path.starts_with("/closed/") => {
            Some(String::new())
        }
        _ => None,
    }
}

/// Starts the work profile that `couper browser add BROWSER` made, as its menu entry's
/// `Exec` says (with the test's home), plus `more` arguments, once `before_start` has had
/// its profile.
fn start_work_profile(
    s: &Session,
    browser: &str,
    before_start: impl FnOnce(&std::path::Path),
    more: &[String],
) -> tokio::process::Child {
    let home = browser_home(s);
    let entry = home.join(format!(
        ".local/share/applications/couper-{browser}-work.desktop"
    ));
    let text = std::fs::read_to_string(&entry).unwrap();
    let profile = couper::browser::entry_value(&text, "X-Couper-Profile").expect("its profile");
    before_start(std::path::Path::new(&profile));
    let exec = couper::browser::exec_args(&text);
    let mut command = s.desk.app(&exec[0]);
    at_home(&mut command, &home)
        .args(&exec[1..])
        .args(more)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(s.desk.dir().join(format!("{browser}-work.log"))).unwrap());
    command.spawn().expect("the work profile's browser")
}

/// Waits until `held` are held and `shown` reached dunst; the browsers' logs if not.
async fn wait_for_browsers(s: &Session, held: usize, shown: u32, logs: &[&str]) -> Vec<Value> {
    // Browsers take their time to start on a busy machine: a longer patience than dunst's.
    let deadline = tokio::time::Instant::now() + BROWSER_PATIENCE;
    loop {
        let now_held = s.held().await;
        if now_held.len() >= held && s.dunst().received().await >= shown {
            return now_held;
        }
        if tokio::time::Instant::now() > deadline {
            let said: String = logs
                .iter()
                .map(|log| {
                    let text = std::fs::read_to_string(s.desk.dir().join(log)).unwrap_or_default();
                    format!("--- {log}:\n{text}\n")
                })
                .collect();
            panic!(
                "the browsers' notifications did not all come: held {now_held:?}, shown {}\n{}\n{said}",
                s.dunst().received().await,
                s.run_log()
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// What the work profile's notification must be once held, and the personal one once shown.
async fn work_held_personal_shown(
    s: &mut Session,
    held: &[Value],
    source: &str,
    entry: &str,
    personal_class: &str,
) {
    assert_eq!(held.len(), 1, "{held:?}");
    let h = &held[0];
    assert_eq!(h["source"], source, "{h}");
    assert_eq!(h["notification"]["summary"], "Same page", "{h}");
    assert_eq!(
        h["notification"]["hints"]["desktop-entry"]["str"], entry,
        "{h}"
    );
    let reason = h["reason"].as_str().unwrap_or_default();
    assert!(
        reason.starts_with("held: ") && reason.contains(source),
        "{reason}"
    );
    // Its windows have its menu entry's StartupWMClass; the personal profile's do not.
    let windows = |class: &str| {
        let mut search = s.desk.app("xdotool");
        search.args(["search", "--class", &format!("^{class}$")]);
        async move {
            let found = tokio::time::timeout(PATIENCE, search.output())
                .await
                .expect("xdotool did not end")
                .expect("xdotool");
            String::from_utf8_lossy(&found.stdout).lines().count()
        }
    };
    assert!(windows(entry).await > 0, "no window of class {entry}");
    assert!(
        windows(personal_class).await > 0,
        "no window of class {personal_class}"
    );
    s.dunst().wait_displayed(1).await;
    let shown = s.dunst().close_all_and_read().await;
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert!(
        shown[0].message.starts_with("NORMAL Same page|")
            && shown[0].message.contains("The same site in either profile"),
        "{shown:?}"
    );
    // Back at work: the work profile's comes back with its title and text.
    s.ok(&["on"]).await;
    s.dunst().wait_displayed(1).await;
    // dunst's history keeps the personal one: the rest is what was released.
    let released: Vec<desktop::Shown> = s
        .dunst()
        .close_all_and_read()
        .await
        .into_iter()
        .filter(|n| n.id != shown[0].id)
        .collect();
    assert_eq!(released.len(), 1, "{released:?}");
    assert!(
        released[0].message.starts_with("NORMAL Same page|")
            && released[0]
                .message
                .contains("The same site in either profile"),
        "{released:?}"
    );
}

/// Issue 13, the work profile in Chromium: started as its menu entry says, the page's
/// notification is held off hours (no site named anywhere: the profile is work), while
/// the same page in the personal profile (Debian's `chromium`, as a user runs it) is
/// shown at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_13_chromium_s_work_profile_made_by_couper_is_work_whatever_the_site_and_the_personal_profile_is_not(
) {
    needs("/usr/bin/chromium");
    needs("/usr/lib/chromium/chromium");
    let mut s = Session::new(|d| settings(d, NEVER, REPLAY)).await;
    let (port, _paths) = serve_pages(profile_pages);
    let url = format!("http://127.0.0.1:{port}/same");
    // Made before the gate starts, so that it reads the source at once.
    couper_browser_ok(&s, &["add", "chromium"]).await;
    s.start().await;
    let mut more: Vec<String> = [
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-gpu",
        "--password-store=basic",
        "--ozone-platform=x11",
    ]
    .map(String::from)
    .to_vec();
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } == 0 {
        more.push("--no-sandbox".into());
    }
    more.push(url.clone());
    let mut work = start_work_profile(
        &s,
        "chromium",
        |profile| grant_chromium_notifications(profile, port),
        &more,
    );
    let mut personal = chromium(&s, port, &[url]);
    let held = wait_for_browsers(&s, 1, 1, &["chromium-work.log", "chromium.log"]).await;
    work_held_personal_shown(
        &mut s,
        &held,
        "Chromium (work)",
        "couper-chromium-work",
        "chromium",
    )
    .await;
    for browser in [&mut work, &mut personal] {
        kill(browser.id().expect("pid"), libc::SIGTERM);
        let _ = tokio::time::timeout(PATIENCE, browser.wait()).await;
    }
}

/// A Firefox profile's `user.js` for the tests: notifications through the desktop's
/// daemon, granted to every site, and no first-run pages.
fn firefox_user_js(profile: &std::path::Path) {
    std::fs::create_dir_all(profile).unwrap();
    let prefs = [
        ("alerts.useSystemBackend", "true"),
        ("permissions.default.desktop-notification", "1"),
        ("dom.webnotifications.requireuserinteraction", "false"),
        ("browser.shell.checkDefaultBrowser", "false"),
        ("browser.aboutwelcome.enabled", "false"),
        ("browser.startup.homepage_override.mstone", "\"ignore\""),
        ("datareporting.policy.dataSubmissionEnabled", "false"),
        ("toolkit.telemetry.reportingpolicy.firstRun", "false"),
        ("app.update.disabledForTesting", "true"),
        ("browser.sessionstore.resume_from_crash", "false"),
    ];
    let text: String = prefs
        .iter()
        .map(|(key, value)| format!("user_pref(\"{key}\", {value});\n"))
        .collect();
    std::fs::write(profile.join("user.js"), text).unwrap();
}

/// Issue 13, the work profile in Firefox (which names no site at all): started as its
/// menu entry says, non-headless on the test's display, the page's notification is held
/// off hours, while the same page in a personal profile of plain `firefox-esr` is shown
/// at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_13_firefox_s_work_profile_made_by_couper_is_work_and_a_personal_profile_is_not() {
    needs("/usr/bin/firefox-esr");
    let mut s = Session::new(|d| settings(d, NEVER, REPLAY)).await;
    let (port, _paths) = serve_pages(profile_pages);
    let url = format!("http://127.0.0.1:{port}/same");
    // Made before the gate starts, so that it reads the source at once.
    couper_browser_ok(&s, &["add", "firefox"]).await;
    s.start().await;
    let mut work = start_work_profile(&s, "firefox", firefox_user_js, std::slice::from_ref(&url));
    let home = browser_home(&s);
    let personal_profile = home.join("firefox-personal");
    firefox_user_js(&personal_profile);
    let mut command = s.desk.app("/usr/bin/firefox-esr");
    at_home(&mut command, &home)
        .arg("--profile")
        .arg(&personal_profile)
        .arg(&url)
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(s.desk.dir().join("firefox.log")).unwrap());
    let mut personal = command.spawn().expect("firefox-esr");
    let held = wait_for_browsers(&s, 1, 1, &["firefox-work.log", "firefox.log"]).await;
    work_held_personal_shown(
        &mut s,
        &held,
        "Firefox (work)",
        "couper-firefox-work",
        "firefox-esr",
    )
    .await;
    for browser in [&mut work, &mut personal] {
        kill(browser.id().expect("pid"), libc::SIGTERM);
        let _ = tokio::time::timeout(PATIENCE, browser.wait()).await;
    }
}

/// Issue 15: a notification whose hold the store cannot write is not answered as held: it
/// is shown at once (fail open), and `couper status` says the store fails until it keeps
/// one again. The store is locked here by another program's write transaction, as a
/// backup tool or an `sqlite3` shell can hold it; the gate's write gives up after its busy
/// timeout.
#[tokio::test]
async fn issue_15_a_hold_the_store_cannot_write_is_shown_at_once_and_the_status_says_so() {
    let mut s = Session::new(|d| settings(d, NEVER, "")).await;
    s.start().await;
    s.slack("Kept", "held as usual").await;
    assert_eq!(s.held().await.len(), 1);

    let other = rusqlite::Connection::open(&s.store).expect("the store, from another program");
    other
        .execute_batch("BEGIN EXCLUSIVE; CREATE TABLE other_tool (x);")
        .expect("lock the store");
    s.slack("Unkept", "shown rather than lost").await;
    s.dunst().wait_displayed(1).await;
    let shown = s.dunst().close_all_and_read().await;
    assert_eq!(messages(&shown), ["NORMAL Unkept|shown rather than lost"]);
    other.execute_batch("ROLLBACK").expect("unlock");

    let status = s.status().await;
    let failure = &status["store_failure"];
    assert_eq!(failure["shown_unkept"], 1, "{status:#}");
    assert!(
        failure["error"].as_str().unwrap_or("").contains("locked"),
        "{status:#}"
    );
    let said = s.ok(&["status"]).await;
    assert!(
        said.contains("cannot keep notifications since") && said.contains("1 was shown at once"),
        "{said}"
    );
    assert_eq!(
        s.held().await.len(),
        1,
        "the unkept one is not counted as held"
    );

    // The store keeps the next one: held, and the status no longer speaks of a failure.
    s.slack("Kept again", "held").await;
    let held = s.held().await;
    assert_eq!(held.len(), 2);
    assert!(s.status().await["store_failure"].is_null());
}
