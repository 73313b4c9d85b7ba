//! Upgrades keep what the user had: a store written by Couper 0.1.0 (tests/fixtures/
//! store-0.1.0.sql, dumped from a real session) and one of the schema before it are opened
//! by today's code; the held queue, its bodies, the history, the last good settings and
//! the apps seen are all still there, and the held ones are released once, at the start
//! of work, as they would have been without the upgrade.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use couper::store::Store;
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const FIXTURE: &str = include_str!("../fixtures/store-0.1.0.sql");
const SETTINGS: &str = "tests/fixtures/store-0.1.0-settings.toml";

/// Schema 1 differed from 0.1.0's schema 2 by one index only (migration 2): the same
/// store without it, marked as schema 1.
fn schema_1() -> String {
    let sql = FIXTURE.replace("PRAGMA user_version = 2;", "PRAGMA user_version = 1;");
    let index = "CREATE INDEX history_kind_at ON history(kind, at);\n";
    assert!(sql.contains(index));
    sql.replace(index, "")
}

/// Writes `sql` as a store file the way the old version left it on disk (0600 in 0700).
fn old_store(dir: &Path, sql: &str) -> PathBuf {
    let data = dir.join("couper");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700)).unwrap();
    let path = data.join("couper.sqlite3");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(sql).unwrap();
    drop(conn);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    path
}

fn user_version(path: &Path) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap()
}

fn check_kept(sql: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = old_store(dir.path(), sql);
    let store = Store::open(&path).unwrap();

    let held = store.held().unwrap();
    let bodies: Vec<(u32, &str, &str)> = held
        .iter()
        .map(|h| {
            (
                h.id,
                h.notification.summary.as_str(),
                h.notification.body.as_str(),
            )
        })
        .collect();
    assert_eq!(
        bodies,
        [
            (1, "Client ACME", "Can you post the visual tonight?"),
            (2, "Client ACME", "Second thought: tomorrow 9:00"),
            (3, "Lea", "Weekly numbers are in"),
        ]
    );
    // The next notification does not reuse an id the apps already hold.
    assert_eq!(store.max_id().unwrap(), 5);

    let from = "2026-11-25T00:00:00+01:00".parse().unwrap();
    let to = "2026-11-26T00:00:00+01:00".parse().unwrap();
    let kinds: Vec<String> = store
        .history_between(from, to)
        .unwrap()
        .iter()
        .map(|e| format!("{:?} {}", e.kind, e.app))
        .collect();
    assert_eq!(kinds.len(), 6, "{kinds:?}");
    assert_eq!(store.history_of(5).unwrap().len(), 1, "the crisis");

    let last_good = store.state("settings.last_good").unwrap().unwrap();
    assert_eq!(last_good, std::fs::read_to_string(SETTINGS).unwrap());
    assert!(couper::settings::parse(&last_good, "last good").is_ok());
    let apps: Vec<(String, u64)> = store
        .seen_apps(10)
        .unwrap()
        .into_iter()
        .map(|a| (a.app, a.count))
        .collect();
    assert_eq!(apps, [("Slack".to_string(), 4), ("Firefox".to_string(), 1)]);
    drop(store);

    // 4: the sites a browser named are counted from the upgrade on (none before).
    let mut store = Store::open(&path).unwrap();
    assert!(store.seen_apps(10).unwrap()[1].sites.is_empty());
    let at = "2026-11-26T10:00:00Z".parse().unwrap();
    store
        .seen_counts([], [("Firefox", "mail.example.org", 1, at)])
        .unwrap();
    assert_eq!(
        store.seen_apps(10).unwrap()[1].sites[0].site,
        "mail.example.org"
    );
    drop(store);

    // 3: held notifications know the connection that posted them (NULL for these).
    assert_eq!(user_version(&path), 4, "migrated to today's schema");
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "still readable by the user alone");
}

#[test]
fn a_store_written_by_couper_0_1_0_keeps_its_held_queue_history_and_settings() {
    check_kept(FIXTURE);
}

#[test]
fn a_store_of_the_schema_before_is_migrated_and_keeps_everything() {
    let sql = schema_1();
    check_kept(&sql);
}

/// `couper simulate --history STORE` on `lines`: the replay's output.
fn replay(store: &Path, lines: &str) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_couper"))
        .args(["simulate", "--config", SETTINGS, "--history"])
        .arg(store)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(lines.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// What a replay that starts at `at` (Paris time, 26 or 27 Nov) releases: the line, or "".
fn released_by(store: &Path, at: &str) -> String {
    let line = format!("{{\"at\":\"2026-11-{at}:00+01:00\",\"mode\":\"auto\"}}\n");
    replay(store, &line).trim().to_string()
}

#[test]
fn after_an_upgrade_what_was_held_is_released_once_when_work_starts() {
    let released = |at| format!(r#"{{"at":"2026-11-{at}:00+01:00","released":[1,2,3]}}"#);
    for sql in [FIXTURE.to_string(), schema_1()] {
        let dir = tempfile::tempdir().unwrap();
        let path = old_store(dir.path(), &sql);
        // Held on Wednesday afternoon; Thursday's work starts at 09:00 (the settings'
        // hours). Upgraded at 08:00, they come back at 09:00, not before.
        let early = dir.path().join("early.sqlite3");
        std::fs::copy(&path, &early).unwrap();
        assert_eq!(released_by(&early, "26T08:00"), released("26T09:00"));
        // Upgraded (and first started) during working time: at once; then never again.
        assert_eq!(released_by(&path, "26T09:30"), released("26T09:30"));
        assert_eq!(released_by(&path, "27T09:30"), "", "released once");
    }
}

#[test]
fn the_report_of_the_upgrade_week_counts_what_0_1_0_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let path = old_store(dir.path(), FIXTURE);
    let out = Command::new(env!("CARGO_BIN_EXE_couper"))
        .args([
            "report",
            "--week",
            "2026-11-25",
            "--json",
            "--config",
            SETTINGS,
        ])
        .arg("--history")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let slack = report["apps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["app"] == "Slack")
        .unwrap_or_else(|| panic!("no Slack row in {report}"));
    assert_eq!(slack["held"], 3, "{report}");
    assert_eq!(slack["crises"], 1, "{report}");
}

#[test]
fn forget_with_no_gate_running_erases_the_history_in_the_store_and_keeps_the_held_queue() {
    let dir = tempfile::tempdir().unwrap();
    let path = old_store(dir.path(), FIXTURE);
    let forget = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_couper"))
            .arg("forget")
            .args(args)
            .args(["--config", SETTINGS])
            .env("COUPER_STORE", &path)
            // No session bus: no gate to ask, the store is opened directly.
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
            .output()
            .unwrap()
    };
    // 14:17 in Paris that day: everything recorded was after 14:00, before 15:00.
    let out = forget(&["--before", "2026-11-25 14:00"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "history before 2026-11-25 14:00 erased (0 decisions)"
    );
    let out = forget(&["--before", "2026-11-25 15:00"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "history before 2026-11-25 15:00 erased (6 decisions)"
    );
    let store = Store::open(&path).unwrap();
    let all = "2000-01-01T00:00:00Z".parse().unwrap();
    let end = "2100-01-01T00:00:00Z".parse().unwrap();
    assert!(store.history_between(all, end).unwrap().is_empty());
    assert!(
        store.seen_apps(10).unwrap().is_empty(),
        "the apps seen go too"
    );
    assert_eq!(store.held().unwrap().len(), 3, "held ones are not history");
}
