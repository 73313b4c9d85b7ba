//! On call from the team's calendar (SPEC §8), served over HTTP by a server of the test's
//! own on 127.0.0.1: a weekly RRULE in New York time with an EXDATE, for a user in
//! Paris. Then the server answers 500, then garbage: the last good shifts stay, and the
//! status says since when the calendar is stale.
//!
//! Checked twice: with the live service's own refresh ([`Live::refresh_calendar`], what
//! `couper run` calls at start, on settings changes and every few hours), and through
//! `couper run` itself on a private session bus, its status read with `couper status`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::desktop;
use crate::files;
use crate::live as session;
use crate::probe;

use couper::live::Live;
use couper::on_call::Period;
use couper::store::Store;
use desktop::{Desktop, PATIENCE};
use files::{in_time, make_fifo};
use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};
use serde_json::Value;
use session::eventually;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What the test server answers.
#[derive(Clone)]
enum Answer {
    Calendar(String),
    Error500,
    Garbage,
}

/// An HTTP server on 127.0.0.1 answering every GET with the current [`Answer`]; it
/// serves at most 500 requests, then stops by itself.
struct Server {
    url: String,
    answer: Arc<Mutex<Answer>>,
}

impl Server {
    fn start(answer: Answer) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!(
            "http://127.0.0.1:{}/team-astreinte.ics",
            listener.local_addr().unwrap().port()
        );
        let answer = Arc::new(Mutex::new(answer));
        let serving = answer.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().take(500) {
                let Ok(mut stream) = stream else { continue };
                let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                let mut request = Vec::new();
                let mut buf = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let (status, body) = match serving.lock().unwrap().clone() {
                    Answer::Calendar(text) => ("200 OK", text),
                    Answer::Error500 => ("500 Internal Server Error", "oops".to_string()),
                    Answer::Garbage => ("200 OK", "<html><body>Maintenance</body></html>".into()),
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Type: text/calendar\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        Server { url, answer }
    }

    fn set(&self, answer: Answer) {
        *self.answer.lock().unwrap() = answer;
    }
}

fn paris() -> TimeZone {
    TimeZone::get("Europe/Paris").unwrap()
}

fn new_york() -> TimeZone {
    TimeZone::get("America/New_York").unwrap()
}

/// The Friday three weeks before today (or the one after that date), so that the
/// weekly shifts run from the past into the coming weeks.
fn first_friday() -> Date {
    let mut day = Timestamp::now()
        .to_zoned_datetime(paris())
        .date()
        .checked_sub(Span::new().days(21))
        .unwrap();
    while day.weekday() != Weekday::Friday {
        day = day.tomorrow().unwrap();
    }
    day
}

fn ics_date(d: Date) -> String {
    d.strftime("%Y%m%d").to_string()
}

/// The team's calendar: Gwen on call from Friday 12:00 to Monday 03:00 New York time
/// (Friday 18:00 to Monday 09:00 in Paris, most weeks), eight weeks but the second;
/// Bryan's shifts and a cancelled one are not hers.
fn team_calendar(first: Date) -> String {
    let week = |k: i64| first.checked_add(Span::new().days(7 * k)).unwrap();
    let monday = first.checked_add(Span::new().days(3)).unwrap();
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Ouest Digital//Astreintes//FR\r\n\
BEGIN:VEVENT\r\nUID:gwen-weekend@ouest.digital\r\nDTSTAMP:20260101T000000Z\r\n\
DTSTART;TZID=America/New_York:{}T120000\r\n\
DTEND;TZID=America/New_York:{}T030000\r\n\
RRULE:FREQ=WEEKLY;COUNT=8\r\n\
EXDATE;TZID=America/New_York:{}T120000\r\n\
SUMMARY:Astreinte week-end - Gwen\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:bryan-weekday@ouest.digital\r\nDTSTAMP:20260101T000000Z\r\n\
DTSTART;TZID=America/New_York:{}T120000\r\nDURATION:PT12H\r\n\
RRULE:FREQ=DAILY;COUNT=20\r\nSUMMARY:Astreinte semaine - Bryan\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nUID:gwen-cancelled@ouest.digital\r\nDTSTAMP:20260101T000000Z\r\n\
DTSTART:{}T100000Z\r\nDTEND:{}T200000Z\r\nSTATUS:CANCELLED\r\n\
SUMMARY:Astreinte Gwen (annulée)\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n",
        ics_date(first),
        ics_date(monday),
        ics_date(week(1)),
        ics_date(week(2).checked_add(Span::new().days(3)).unwrap()),
        ics_date(week(3).checked_add(Span::new().days(5)).unwrap()),
        ics_date(week(3).checked_add(Span::new().days(5)).unwrap()),
    )
}

/// Gwen's shifts as instants: weeks 0 and 2 to 7, Friday 12:00 to Monday 03:00 in New
/// York.
fn gwen_shifts(first: Date) -> Vec<Period> {
    [0i64, 2, 3, 4, 5, 6, 7]
        .iter()
        .map(|&k| {
            let friday = first.checked_add(Span::new().days(7 * k)).unwrap();
            let monday = friday.checked_add(Span::new().days(3)).unwrap();
            let at = |d: Date, h: i8| {
                d.to_datetime(jiff::civil::Time::constant(h, 0, 0, 0))
                    .to_zoned_datetime(new_york())
                    .unwrap()
                    .timestamp()
            };
            Period {
                start: at(friday, 12),
                end: at(monday, 3),
            }
        })
        .collect()
}

fn settings(url: &str, more: &str) -> String {
    format!(
        r#"timezone = "Europe/Paris"
holidays = "FR"

[hours]
mon = ["09:00-18:00"]
tue = ["09:00-18:00"]
wed = ["09:00-18:00"]
thu = ["09:00-18:00"]
fri = ["09:00-18:00"]

[on_call]
calendar = "{url}"
calendar_match = "gwen"
{more}"#
    )
}

/// The scheduled on-call periods the live service knows, around the shifts.
fn live_periods(live: &Live, first: Date) -> Vec<Period> {
    let from = first
        .checked_sub(Span::new().days(7))
        .unwrap()
        .to_zoned_datetime(paris())
        .unwrap()
        .timestamp();
    let to = first
        .checked_add(Span::new().days(70))
        .unwrap()
        .to_zoned_datetime(paris())
        .unwrap()
        .timestamp();
    live.read(|s| s.engine().on_call_schedule().periods(from, to))
}

#[test]
fn a_calendar_that_fails_keeps_its_last_good_shifts_and_says_since_when_it_is_stale() {
    let first = first_friday();
    let server = Server::start(Answer::Calendar(team_calendar(first)));
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("settings.toml");
    std::fs::write(&config, settings(&server.url, "")).unwrap();
    let store_path = dir.path().join("couper.sqlite3");
    let expected = gwen_shifts(first);

    let (live, _outcomes) = Live::open(&config, Store::open(&store_path).unwrap()).unwrap();
    live.refresh_calendar();
    assert_eq!(live_periods(&live, first), expected);
    let status = live.status();
    let calendar = status.calendar.clone().expect("a calendar status");
    assert_eq!(calendar.location, server.url);
    assert_eq!(calendar.shifts, 7);
    assert_eq!(calendar.stale_since, None);
    assert_eq!(status.calendar_stale_since, None);
    let read_at = calendar.fetched_at.expect("read");

    // The server fails: the shifts stay, and the calendar is stale since this read.
    server.set(Answer::Error500);
    let before = Timestamp::now();
    live.refresh_calendar();
    let after = Timestamp::now();
    assert_eq!(live_periods(&live, first), expected);
    let status = live.status();
    let since = status.calendar_stale_since.expect("stale");
    assert!(before <= since && since <= after);
    let calendar = status.calendar.unwrap();
    assert_eq!(calendar.fetched_at, Some(read_at), "the copy in use");
    assert!(
        calendar.error.as_deref().unwrap().contains("500"),
        "{calendar:?}"
    );

    // Then garbage: still the last good shifts, stale since the first failure.
    server.set(Answer::Garbage);
    live.refresh_calendar();
    assert_eq!(live_periods(&live, first), expected);
    let calendar = live.status().calendar.unwrap();
    assert_eq!(calendar.stale_since, Some(since));
    assert!(
        calendar
            .error
            .as_deref()
            .unwrap()
            .contains("not an iCalendar file"),
        "{calendar:?}"
    );
    assert_eq!(calendar.shifts, 7);
    drop(live);

    // Couper restarts while the calendar still fails: the copy kept in the store is used.
    let (live, _outcomes) = Live::open(&config, Store::open(&store_path).unwrap()).unwrap();
    live.refresh_calendar();
    assert_eq!(live_periods(&live, first), expected);
    assert_eq!(live.status().calendar_stale_since, Some(since));

    // A good read again: fresh.
    server.set(Answer::Calendar(team_calendar(first)));
    live.refresh_calendar();
    let calendar = live.status().calendar.unwrap();
    assert_eq!(calendar.stale_since, None);
    assert!(calendar.fetched_at.unwrap() > read_at);
    assert_eq!(live_periods(&live, first), expected);
}

#[test]
fn a_calendar_file_next_to_the_settings_is_read_too() {
    let dir = tempfile::tempdir().unwrap();
    let (live, config) = live_with_team_file(dir.path());
    assert_eq!(live.status().calendar.unwrap().shifts, 7);
    drop(config);
}

/// A live service whose settings name `team.ics` next to them, read once: returns it
/// and the settings file.
fn live_with_team_file(dir: &std::path::Path) -> (Arc<Live>, std::path::PathBuf) {
    let first = first_friday();
    std::fs::write(dir.join("team.ics"), team_calendar(first)).unwrap();
    let config = dir.join("settings.toml");
    std::fs::write(&config, settings("team.ics", "")).unwrap();
    let store = Store::open(&dir.join("couper.sqlite3")).unwrap();
    let (live, _outcomes) = Live::open(&config, store).unwrap();
    live.refresh_calendar();
    assert_eq!(live_periods(&live, first), gwen_shifts(first));
    (live, config)
}

/// The team's calendar with one more event of Gwen's: every second, with no end, since
/// 1 January 2020.
fn with_secondly_rule(first: Date) -> String {
    team_calendar(first).replace(
        "END:VCALENDAR",
        "BEGIN:VEVENT\r\nUID:runaway@ouest.digital\r\nDTSTAMP:20260101T000000Z\r\n\
DTSTART:20200101T000000Z\r\nDURATION:PT1S\r\nRRULE:FREQ=SECONDLY\r\n\
SUMMARY:Gwen every second\r\nEND:VEVENT\r\nEND:VCALENDAR",
    )
}

#[test]
fn issue_16_a_secondly_rule_from_2020_is_skipped_saying_why_while_notify_is_answered() {
    use couper::gate::{Gatekeeper, Verdict};
    let first = first_friday();
    let dir = tempfile::tempdir().unwrap();
    let (live, _config) = live_with_team_file(dir.path());
    std::fs::write(dir.path().join("team.ics"), with_secondly_rule(first)).unwrap();
    let reading = live.clone();
    let started = std::time::Instant::now();
    let refresh = std::thread::spawn(move || reading.refresh_calendar());
    let mut slowest = Duration::ZERO;
    while !refresh.is_finished() {
        let asked = std::time::Instant::now();
        let admission = live.notify(
            None,
            0,
            &couper::notification::Notification {
                app: "firefox".into(),
                summary: "personal".into(),
                ..Default::default()
            },
        );
        assert_eq!(admission.verdict, Verdict::Deliver);
        slowest = slowest.max(asked.elapsed());
    }
    refresh.join().unwrap();
    let took = started.elapsed();
    eprintln!("FIGURE refresh of a calendar with a SECONDLY rule from 2020: {took:?}");
    assert!(
        slowest < Duration::from_secs(1),
        "a Notify waited {slowest:?}"
    );
    assert!(took < Duration::from_secs(5), "the refresh took {took:?}");
    // Gwen's other shifts are in force; the runaway event is skipped, with its reason.
    assert_eq!(live_periods(&live, first), gwen_shifts(first));
    let calendar = live.status().calendar.unwrap();
    assert_eq!(calendar.error, None);
    assert_eq!(
        calendar.skipped,
        ["event \"Gwen every second\" skipped: it repeats more than 10000 times in the 460 days kept"]
    );
}

#[test]
fn issue_16_a_calendar_path_to_dev_zero_a_fifo_or_a_huge_file_is_refused_at_once_saying_why() {
    let first = first_friday();
    let dir = tempfile::tempdir().unwrap();
    let (live, config) = live_with_team_file(dir.path());

    let huge = dir.path().join("huge.ics");
    let mut text = team_calendar(first).replace("END:VCALENDAR", "");
    text.push_str(&"X-PADDING:0123456789abcdef\r\n".repeat(17 * 1024 * 1024 / 28));
    text.push_str("END:VCALENDAR\r\n");
    std::fs::write(&huge, text).unwrap();
    let fifo = dir.path().join("fifo.ics");
    make_fifo(&fifo);
    for (location, reason) in [
        ("/dev/zero", "it is a device, not a regular file"),
        ("fifo.ics", "it is a FIFO, not a regular file"),
        (
            "huge.ics",
            "it is larger than 16 MiB, the most Couper reads",
        ),
    ] {
        // The settings now name it, and the calendar is read again.
        std::fs::write(&config, settings(location, "")).unwrap();
        live.reload_settings();
        let reading = live.clone();
        in_time("refresh_calendar", move || reading.refresh_calendar());
        let calendar = live.status().calendar.unwrap();
        let error = calendar.error.unwrap_or_default();
        assert!(error.ends_with(reason), "{location}: {error}");
        assert!(error.contains("cannot read it"), "{location}: {error}");
    }
    // Back to the good file: its shifts again.
    std::fs::write(&config, settings("team.ics", "")).unwrap();
    live.reload_settings();
    live.refresh_calendar();
    assert_eq!(live_periods(&live, first), gwen_shifts(first));
}

#[tokio::test]
async fn couper_run_reads_the_calendar_and_its_status_says_when_it_goes_stale() {
    let first = first_friday();
    let server = Server::start(Answer::Calendar(team_calendar(first)));
    let desk = Desktop::start().await;
    let config = desk.dir().join("config/settings.toml");
    std::fs::create_dir_all(config.parent().unwrap()).unwrap();
    let store = desk.dir().join("data/couper.sqlite3");
    let text = settings(
        &server.url,
        &format!(
            "\n[auto_reply]\nen = \"Gate says: back {{next}}.\"\n\n[display]\ncommand = [\"dunst\", \"-config\", \"{}\", \"-verbosity\", \"crit\"]\n",
            desk.dunstrc().display()
        ),
    );
    std::fs::write(&config, &text).unwrap();
    let couper = |args: &[&str]| {
        let mut command = desk.app(env!("CARGO_BIN_EXE_couper"));
        command
            .args(args)
            .env("COUPER_CONFIG", &config)
            .env("COUPER_STORE", &store)
            .env("XDG_RUNTIME_DIR", desk.dir())
            .env_remove("COUPER_LOG");
        command
    };
    let log = std::fs::File::create(desk.dir().join("couper-run.log")).unwrap();
    let mut gate = couper(&["run"])
        .stdout(std::process::Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    let status = || async {
        let out = couper(&["status", "--json"]).output().await.ok()?;
        serde_json::from_slice::<Value>(&out.stdout).ok()
    };

    let calendar = eventually("couper run reads the calendar", || async {
        let s = status().await?;
        (s["calendar"]["shifts"] == 7).then(|| s["calendar"].clone())
    })
    .await;
    assert_eq!(calendar["stale_since"], Value::Null);
    let text_status = couper(&["status"]).output().await.unwrap();
    let text_status = String::from_utf8_lossy(&text_status.stdout).to_string();
    assert!(
        text_status.contains(&format!("calendar:    7 shifts from {}", server.url)),
        "{text_status}"
    );

    // The auto-reply comes from the gate (its template; this client has no settings).
    let reply = couper(&["reply", "--lang", "en"])
        .env("COUPER_CONFIG", desk.dir().join("none.toml"))
        .output()
        .await
        .unwrap();
    let reply = String::from_utf8_lossy(&reply.stdout).to_string();
    assert!(reply.starts_with("Gate says: back "), "{reply}");

    // The statement through the control interface: the calendar's periods.
    let conn = zbus::connection::Builder::address(desk.session_bus())
        .build()
        .await
        .unwrap();
    let proxy = couper::control::CouperProxy::new(&conn).await.unwrap();
    let statement: Value = serde_json::from_str(
        &proxy
            .report(r#"{"period": {"month": null}, "on_call": true}"#)
            .await
            .unwrap(),
    )
    .unwrap();
    let periods = statement["periods"].as_array().unwrap();
    assert!(!periods.is_empty(), "{statement}");
    assert!(periods
        .iter()
        .all(|p| p["origins"] == serde_json::json!(["calendar"])));

    // The server fails; the settings file is saved again, so the calendar is read again.
    server.set(Answer::Error500);
    std::fs::write(&config, format!("{text}\n# saved again\n")).unwrap();
    let since = eventually("the status says the calendar is stale", || async {
        let s = status().await?;
        s["calendar_stale_since"].as_str().map(str::to_string)
    })
    .await;
    let s = status().await.unwrap();
    assert_eq!(s["calendar"]["shifts"], 7, "the last good shifts stay");
    assert!(s["calendar"]["error"].as_str().unwrap().contains("500"));
    let text_status = couper(&["status"]).output().await.unwrap();
    let text_status = String::from_utf8_lossy(&text_status.stdout).to_string();
    assert!(
        text_status.contains("calendar:    stale since "),
        "{text_status}"
    );
    assert!(text_status.contains("(7 shifts)"), "{text_status}");

    // Garbage: still stale since the first failure, still the same shifts.
    server.set(Answer::Garbage);
    std::fs::write(&config, format!("{text}\n# saved once more\n")).unwrap();
    eventually("the garbage is read", || async {
        let s = status().await?;
        s["calendar"]["error"]
            .as_str()?
            .contains("not an iCalendar file")
            .then_some(())
    })
    .await;
    let s = status().await.unwrap();
    assert_eq!(s["calendar_stale_since"].as_str(), Some(since.as_str()));
    assert_eq!(s["calendar"]["shifts"], 7);

    // SIGTERM: the gate stops as a service manager stops it.
    let pid = i32::try_from(gate.id().unwrap()).unwrap();
    unsafe { libc::kill(pid, libc::SIGTERM) };
    tokio::time::timeout(PATIENCE, gate.wait())
        .await
        .expect("couper run stops")
        .unwrap();
}

/// `couper run` with `calendar = "PATH"` in its settings, and the calendar status.
async fn gate_with_calendar(path: &std::path::Path) -> session::Session {
    let more = format!("[on_call]\ncalendar = \"{}\"\n", path.display());
    let mut s = session::Session::new(|d| session::settings(d, session::ALWAYS, &more)).await;
    s.start().await;
    s
}

/// Waits until the gate's calendar status has `key` containing `text`.
async fn calendar_says(s: &session::Session, key: &str, text: &str) -> Value {
    eventually(&format!("the calendar's {key} says {text:?}"), || async {
        let status = s.status().await;
        let found = match &status["calendar"][key] {
            Value::String(said) => said.contains(text),
            Value::Array(said) => said
                .iter()
                .any(|v| v.as_str().is_some_and(|v| v.contains(text))),
            _ => false,
        };
        found.then_some(status)
    })
    .await
}

#[tokio::test]
async fn issue_16_couper_run_with_a_secondly_rule_from_2020_keeps_answering_and_says_why() {
    let first = first_friday();
    let dir = tempfile::tempdir().unwrap();
    let team = dir.path().join("team.ics");
    std::fs::write(&team, team_calendar(first)).unwrap();
    let mut s = gate_with_calendar(&team).await;
    calendar_says(&s, "location", "team.ics").await;
    let probe = probe::Probe::start(s.desk.session_bus()).await;

    // The runaway event comes in; the settings are saved again, so it is read again.
    std::fs::write(&team, with_secondly_rule(first)).unwrap();
    let text = std::fs::read_to_string(&s.settings).unwrap();
    s.edit_settings(&format!("{text}\n# saved again\n"));
    let status = calendar_says(&s, "skipped", "\"Gwen every second\" skipped").await;
    let seen = probe.finish().await;
    let resident = probe::resident_mib(s.gate_pid());
    eprintln!("FIGURE SECONDLY calendar: {seen:?}, {resident} MiB resident");
    assert!(seen.slowest < Duration::from_secs(1), "{seen:?}");
    assert!(resident < 100, "{resident} MiB resident");
    assert_eq!(status["calendar"]["error"], Value::Null, "{status}");
    let text = s.ok(&["status"]).await;
    assert!(
        text.contains("it repeats more than 10000 times in the 460 days kept"),
        "{text}"
    );
    probe::stops_on_sigterm(&mut s.gate.as_mut().unwrap().process).await;
}

#[tokio::test]
async fn issue_16_couper_run_with_a_calendar_on_dev_zero_or_a_fifo_says_why_and_stops_on_sigterm() {
    let mut s = gate_with_calendar(std::path::Path::new("/dev/zero")).await;
    let probe = probe::Probe::start(s.desk.session_bus()).await;
    calendar_says(&s, "error", "/dev/zero: cannot read it: it is a device").await;
    let resident = probe::resident_mib(s.gate_pid());

    let fifo = s.desk.dir().join("team.ics");
    make_fifo(&fifo);
    let text = std::fs::read_to_string(&s.settings).unwrap();
    s.edit_settings(&text.replace("/dev/zero", &fifo.display().to_string()));
    calendar_says(&s, "error", "it is a FIFO, not a regular file").await;
    let seen = probe.finish().await;
    eprintln!("FIGURE calendar on /dev/zero then a FIFO: {seen:?}, {resident} MiB resident");
    assert!(seen.slowest < Duration::from_secs(1), "{seen:?}");
    assert!(resident < 100, "{resident} MiB resident");
    probe::stops_on_sigterm(&mut s.gate.as_mut().unwrap().process).await;
}
