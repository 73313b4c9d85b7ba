//! The `couper` command as a user meets it: `check`, exit codes, and the commands that
//! need a running gate when none runs.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Output};

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
