//! The `couper` command as a user meets it: `check`, exit codes, the commands that need
//! a running gate when none runs, and, with a `couper run` on a test desktop
//! (tests/common/live.rs), what it reads and prints and what it leaves behind.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::live;

use std::os::fd::{FromRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use live::{eventually, has_owner, kill, settings, Session, ALWAYS};

fn couper(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_couper"));
    cmd.args(args).env_remove("COUPER_CONFIG");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    cmd.output().expect("couper runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn check_says_ok_for_a_good_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("settings.toml");
    std::fs::write(
        &path,
        "timezone = \"Europe/Paris\"\n[hours]\nmon = [\"09:00-18:00\"]\n",
    )
    .unwrap();
    let out = couper(&["check", "--config", path.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "ok");
}

#[test]
fn check_names_the_line_the_key_and_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("settings.toml");
    std::fs::write(
        &path,
        "timezone = \"Europe/Paris\"\n\n[hours]\nmon = [\"9h-18h\"]\n",
    )
    .unwrap();
    let out = couper(&["check", "--config", path.to_str().unwrap()], &[]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("settings.toml:4: hours.mon"), "{err}");
    assert!(err.contains("\"9h-18h\" is not HH:MM-HH:MM"), "{err}");
}

#[test]
fn couper_config_overrides_the_default_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.toml");
    std::fs::write(&path, "timezone = \"Mars/Olympus\"\n").unwrap();
    let out = couper(&["check"], &[("COUPER_CONFIG", path.to_str().unwrap())]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("mine.toml:1: timezone"), "{err}");
    assert!(err.contains("Mars/Olympus"), "{err}");
}

#[test]
fn check_of_a_missing_file_says_so() {
    let out = couper(&["check", "--config", "/nonexistent/couper.toml"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no such file"), "{}", stderr(&out));
}

#[test]
fn usage_errors_exit_2() {
    let out = couper(&["frobnicate"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let out = couper(&["on-call", "maybe"], &[]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn commands_without_a_gate_say_so_in_one_line() {
    // A session bus with no Couper on it.
    let out = Command::new("dbus-run-session")
        .args(["--", env!("CARGO_BIN_EXE_couper"), "status"])
        .output()
        .expect("dbus-run-session runs");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    let ours: Vec<&str> = err.lines().filter(|l| l.starts_with("couper:")).collect();
    assert_eq!(ours.len(), 1, "{err}");
    assert!(ours[0].contains("no Couper gate is running"), "{err}");
    for cmd in [
        &["off"][..],
        &["held"],
        &["release", "--all"],
        &["explain", "3"],
        &["alert", "x"],
    ] {
        let mut args = vec!["--", env!("CARGO_BIN_EXE_couper")];
        args.extend_from_slice(cmd);
        let out = Command::new("dbus-run-session")
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{cmd:?}");
        assert!(
            stderr(&out).contains("no Couper gate is running"),
            "{cmd:?}"
        );
    }
}

/// A pipe whose reader is already gone, as a child's stdout: its first write fails, as
/// `couper status | head` does once `head` has its line.
fn closed_pipe() -> Stdio {
    let mut fds = [0; 2];
    // SAFETY: pipe2(2) fills both descriptors, which are owned here from then on.
    let (reader, writer) = unsafe {
        assert_eq!(libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC), 0);
        (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1]))
    };
    drop(reader);
    Stdio::from(writer)
}

/// A command that printed into a closed pipe ended as a Unix tool does: no panic, no
/// message, exit 0.
fn ended_quietly(what: &str, out: &Output) {
    assert_eq!(out.status.code(), Some(0), "{what}: {}", stderr(out));
    assert_eq!(stderr(out), "", "{what}");
}

const SLACK_AT_WORK: &str = "timezone = \"Europe/Paris\"\n[hours]\nmon = [\"09:00-18:00\"]\n[[work_apps]]\nname = \"Slack\"\napp = \"slack\"\n";

/// A settings file with Slack as work, and a history of `couper simulate` with three
/// decisions: a Slack notification held at 08:30, released at 09:00, one delivered.
fn history(dir: &Path) -> (PathBuf, PathBuf) {
    let config = dir.join("settings.toml");
    std::fs::write(&config, SLACK_AT_WORK).unwrap();
    let store = dir.join("history.sqlite3");
    let mut child = Command::new(env!("CARGO_BIN_EXE_couper"))
        .args(["simulate", "--config", config.to_str().unwrap()])
        .args(["--history", store.to_str().unwrap()])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    std::io::Write::write_all(
        &mut child.stdin.take().unwrap(),
        br#"{"at":"2026-11-30T08:30:00+01:00","notify":{"app":"slack","summary":"Bryan","body":"On publie ?"}}
{"at":"2026-11-30T10:00:00+01:00","notify":{"app":"slack","summary":"Bryan","body":"Alors ?"}}
"#,
    )
    .unwrap();
    assert!(child.wait().unwrap().success());
    (config, store)
}

// Issue 16: `couper status | head` panicked with exit 101.
#[test]
fn commands_printing_into_a_closed_pipe_end_quietly() {
    let dir = tempfile::tempdir().unwrap();
    let (config, store) = history(dir.path());
    let config = config.to_str().unwrap();
    let run = |args: &[&str], input: Stdio| {
        Command::new(env!("CARGO_BIN_EXE_couper"))
            .args(args)
            .args(["--config", config])
            .stdin(input)
            .stdout(closed_pipe())
            .stderr(Stdio::piped())
            .output()
            .unwrap()
    };
    ended_quietly("check", &run(&["check"], Stdio::null()));
    let store = store.to_str().unwrap();
    ended_quietly(
        "report",
        &run(
            &["report", "--month", "2026-11", "--history", store],
            Stdio::null(),
        ),
    );
    let timeline = dir.path().join("timeline.jsonl");
    std::fs::write(
        &timeline,
        "{\"at\":\"2026-11-30T08:30:00+01:00\",\"notify\":{\"app\":\"slack\",\"summary\":\"x\"}}\n",
    )
    .unwrap();
    let timeline = std::fs::File::open(timeline).unwrap();
    ended_quietly("simulate", &run(&["simulate"], Stdio::from(timeline)));
}

// Issue 16: `couper status | head` panicked with exit 101.
#[tokio::test]
async fn status_and_held_into_a_closed_pipe_end_quietly() {
    let mut s = Session::new(|d| settings(d, ALWAYS, "")).await;
    s.start().await;
    for args in [&["status"][..], &["status", "--json"], &["held"], &["auto"]] {
        // Not `output()`, which would capture stdout.
        let child = s
            .command(env!("CARGO_BIN_EXE_couper"))
            .args(args)
            .stdout(closed_pipe())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let out = child.wait_with_output().await.unwrap();
        ended_quietly(&format!("{args:?}"), &out);
    }
}

/// The running gate's control interface, as a script or another front end calls it.
async fn control(s: &Session) -> couper::control::CouperProxy<'static> {
    couper::control::CouperProxy::new(&s.app_connection().await)
        .await
        .unwrap()
}

/// The message of a refusal from the control interface.
fn refusal(e: zbus::Error) -> String {
    match e {
        zbus::Error::FDO(e) => match *e {
            zbus::fdo::Error::InvalidArgs(message) => message,
            other => panic!("not a refusal: {other:?}"),
        },
        other => panic!("not a refusal: {other:?}"),
    }
}

// Issue 16: a full date-time was read as "the next 09:00".
#[tokio::test]
async fn off_until_a_full_date_time_lasts_until_that_instant() {
    let mut s = Session::new(|d| settings(d, ALWAYS, "")).await;
    s.start().await;
    // Three days ahead, 09:00 UTC: not the next 09:00 in any zone.
    let day = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(72))
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date();
    let until = format!("{day}T09:00:00+00:00");
    let instant: jiff::Timestamp = until.parse().unwrap();
    let said_until = |status: &serde_json::Value| -> jiff::Timestamp {
        status["mode"]["until"].as_str().unwrap().parse().unwrap()
    };

    s.ok(&["off", "--until", &until]).await;
    let status = s.status().await;
    assert_eq!(status["mode"]["mode"], "off");
    assert_eq!(said_until(&status), instant);

    let couper = control(&s).await;
    couper.set_mode("auto", "").await.unwrap();
    let local = instant.to_zoned_datetime(jiff::tz::TimeZone::get(live::ZONE).unwrap());
    let status: serde_json::Value = serde_json::from_str(
        &couper
            .set_mode("on", &local.strftime("%Y-%m-%d %H:%M").to_string())
            .await
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        said_until(&status),
        instant,
        "a local date-time, in the settings' zone"
    );

    // A date alone is neither an instant nor a time of day.
    let out = s.couper(&["off", "--until", &day.to_string()]).await;
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("is not a time: use HH:MM"), "{err}");
    let refused = couper.set_mode("off", &day.to_string()).await.unwrap_err();
    assert!(refusal(refused).contains("is not a time"));
    assert_eq!(s.status().await["mode"]["mode"], "on", "unchanged");
}

// Issue 16: `couper forget --before ""` erased the whole history.
#[test]
fn forget_with_a_blank_date_erases_nothing_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (config, store) = history(dir.path());
    let forget = |args: &[&str]| {
        let mut all = vec!["forget", "--config", config.to_str().unwrap()];
        all.extend_from_slice(args);
        couper(
            &all,
            &[
                ("COUPER_STORE", store.to_str().unwrap()),
                // No session bus, so no gate: the store is opened here.
                ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus"),
            ],
        )
    };
    for blank in ["", "   "] {
        let out = forget(&["--before", blank]);
        assert_eq!(out.status.code(), Some(1), "{blank:?}");
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(
            err.starts_with("couper: --before is empty: give a date"),
            "{err}"
        );
        assert!(out.stdout.is_empty());
    }
    assert_eq!(
        forget(&["--all", "--before", "2026-11-01"]).status.code(),
        Some(2)
    );
    let out = forget(&["--all"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "history erased (3 decisions)\n",
        "what the blank dates left"
    );
    let out = forget(&[]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "history erased (0 decisions)\n"
    );
}

// Issue 16: the control interface's `Forget("   ")` erased the whole history.
#[tokio::test]
async fn a_blank_date_erases_nothing_through_the_gate() {
    let mut s = Session::new(|d| settings(d, ALWAYS, "")).await;
    s.start().await;
    s.ok(&["alert", "Deploy", "tonight"]).await;

    let couper = control(&s).await;
    for blank in ["   ", ""] {
        let refused = couper.forget(blank).await.unwrap_err();
        assert!(
            refusal(refused).starts_with("--before is empty"),
            "{blank:?}"
        );
    }
    let out = s.couper(&["forget", "--before", ""]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with("couper: --before is empty"),
        "{}",
        stderr(&out)
    );

    assert_eq!(
        s.ok(&["forget"]).await,
        "history erased (1 decision)",
        "the alert was still there"
    );
    assert_eq!(
        couper.forget("all").await.unwrap(),
        0,
        "all of it, in words"
    );
}

/// The private bus directories (`couper-bus-*`) in `dir`.
fn bus_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("couper-bus-"))
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

// Issue 16: `couper-bus-*` directories stayed in /tmp after a kill -9.
#[tokio::test]
async fn after_a_kill_9_the_next_start_clears_the_private_bus_directory_left_behind() {
    let mut s = Session::new(|d| settings(d, ALWAYS, "")).await;
    // The session's $XDG_RUNTIME_DIR.
    let runtime = s.desk.dir().to_path_buf();
    s.start().await;
    let pid = s.gate_pid();
    let first = bus_dirs(&runtime);
    assert_eq!(first.len(), 1, "{first:?}");

    let app = s.app_connection().await;
    let mut gate = s.gate.take().unwrap();
    kill(pid, libc::SIGKILL);
    let _ = gate.process.wait().await;
    eventually("the name is freed", || async {
        (!has_owner(&app, "org.freedesktop.Notifications").await).then_some(())
    })
    .await;
    assert_eq!(
        bus_dirs(&runtime),
        first,
        "left behind, in $XDG_RUNTIME_DIR"
    );
    let in_tmp: Vec<PathBuf> = bus_dirs(&std::env::temp_dir())
        .into_iter()
        .filter(|d| d.to_string_lossy().contains(&format!("couper-bus-{pid}-")))
        .collect();
    assert_eq!(
        in_tmp,
        Vec::<PathBuf>::new(),
        "nothing in the temporary directory"
    );

    s.start().await;
    let now = bus_dirs(&runtime);
    assert_eq!(now.len(), 1, "only the running gate's: {now:?}");
    assert_ne!(now, first);
}

/// `env` with the locale `lang` alone deciding (`LC_ALL` and `LC_MESSAGES` empty).
fn locale(lang: &str) -> [(&str, &str); 3] {
    [("LC_ALL", ""), ("LC_MESSAGES", ""), ("LANG", lang)]
}

/// `couper ARGS` on the session `s` in the locale `lang`, which must succeed: its output.
async fn said_in(s: &Session, lang: &str, args: &[&str]) -> String {
    let out = s
        .command(env!("CARGO_BIN_EXE_couper"))
        .args(args)
        .envs(locale(lang))
        .output()
        .await
        .unwrap();
    assert!(out.status.success(), "couper {args:?}: {}", stderr(&out));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// A settings file starting with `first` that `couper check` refuses (its line 4), and
/// what `check` says of it in the locale `lang`.
fn check_refused(dir: &Path, first: &str, lang: &str) -> String {
    let path = dir.join("settings.toml");
    std::fs::write(
        &path,
        format!("{first}timezone = \"Europe/Paris\"\n\n[hours]\nmon = [\"9h-18h\"]\n"),
    )
    .unwrap();
    let out = couper(
        &["check", "--config", path.to_str().unwrap()],
        &locale(lang),
    );
    assert_eq!(out.status.code(), Some(1));
    stderr(&out)
}

#[tokio::test]
async fn issue_14_the_cli_speaks_french_under_a_french_locale_and_english_under_an_english_one() {
    let mut s = Session::new(|d| settings(d, ALWAYS, "")).await;
    s.start().await;
    let status = said_in(&s, "fr_FR.UTF-8", &["status"]).await;
    assert!(status.starts_with("Au travail"), "{status}");
    assert!(status.contains("\nmode :"), "{status}");
    assert!(status.contains("\nfuseau :"), "{status}");
    let status = said_in(&s, "en_US.UTF-8", &["status"]).await;
    assert!(status.starts_with("Working"), "{status}");
    assert!(status.contains("\ntime zone:"), "{status}");

    let off = said_in(&s, "fr_FR.UTF-8", &["off"]).await;
    assert!(off.starts_with("Déconnecté"), "{off}");
    let status = said_in(&s, "fr_FR.UTF-8", &["status"]).await;
    assert_eq!(status.lines().next(), Some(off.as_str()), "one wording");
    assert!(status.contains("\nmode :        déconnecté"), "{status}");
    assert!(said_in(&s, "en_US.UTF-8", &["status"])
        .await
        .starts_with("Off"));
    assert_eq!(
        said_in(&s, "fr_FR.UTF-8", &["held"]).await,
        "rien en attente"
    );
    assert_eq!(said_in(&s, "en_US.UTF-8", &["held"]).await, "nothing held");
    // Machine output stays as it was, whatever the language.
    let json: serde_json::Value =
        serde_json::from_str(&said_in(&s, "fr_FR.UTF-8", &["status", "--json"]).await).unwrap();
    assert_eq!(json["mode"]["mode"], "off");

    let help = couper(&["--help"], &locale("fr_FR.UTF-8"));
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("\nUtilisation : couper [OPTIONS] <COMMAND>\n"),
        "{help}"
    );
    assert!(help.contains("\nCommandes :\n"), "{help}");
    assert!(help.contains("Afficher l'aide"), "{help}");
    let help = couper(&["status", "--help"], &locale("en_US.UTF-8"));
    assert_eq!(help.status.code(), Some(0));
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(help.starts_with("Mode, working or not"), "{help}");
    assert!(help.contains("\nOptions:\n"), "{help}");

    let dir = tempfile::tempdir().unwrap();
    let fr = check_refused(dir.path(), "", "fr_FR.UTF-8");
    assert!(
        fr.contains("settings.toml:4: hours.mon: \"9h-18h\" n'est pas de la forme HH:MM-HH:MM"),
        "{fr}"
    );
    let en = check_refused(dir.path(), "", "en_US.UTF-8");
    assert!(en.contains("\"9h-18h\" is not HH:MM-HH:MM"), "{en}");
    let missing = couper(
        &["check", "--config", "/nonexistent/couper.toml"],
        &locale("fr_FR.UTF-8"),
    );
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr(&missing).contains(" : fichier introuvable"),
        "{}",
        stderr(&missing)
    );
}

#[tokio::test]
async fn issue_14_language_fr_in_the_settings_wins_over_an_english_locale_in_the_cli() {
    let mut s = Session::new(|d| format!("language = \"fr\"\n{}", settings(d, ALWAYS, ""))).await;
    s.start().await;
    let status = said_in(&s, "en_US.UTF-8", &["status"]).await;
    assert!(status.starts_with("Au travail"), "{status}");
    let help = said_in(&s, "en_US.UTF-8", &["--help"]).await;
    assert!(help.contains("\nCommandes :\n"), "{help}");
    let help = couper(
        &["--config", s.settings.to_str().unwrap(), "report", "--help"],
        &locale("en_US.UTF-8"),
    );
    assert!(
        String::from_utf8_lossy(&help.stdout).contains("Afficher l'aide"),
        "--config read before the help"
    );
    let out = s
        .command(env!("CARGO_BIN_EXE_couper"))
        .args(["report", "--at", "yesterday"])
        .envs(locale("en_US.UTF-8"))
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "couper: --at \"yesterday\" n'est pas une heure RFC 3339 (2026-11-27T17:30:00+01:00)\n"
    );

    let dir = tempfile::tempdir().unwrap();
    let fr = check_refused(dir.path(), "language = \"fr\"\n", "en_US.UTF-8");
    assert!(fr.contains("n'est pas de la forme HH:MM-HH:MM"), "{fr}");
}
