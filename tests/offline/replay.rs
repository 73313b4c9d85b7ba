//! Replays through the `couper` binary, as a user runs them: a realistic week of a
//! community manager, every decision and release asserted (SPEC §7).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn replays() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/replays")
}

/// Runs `couper simulate` with `args`, feeding `input`, in English.
fn couper(args: &[&str], input: &str) -> Output {
    couper_in("C.UTF-8", args, input)
}

/// Runs `couper simulate` with `args`, feeding `input`, in the locale `lang`.
fn couper_in(lang: &str, args: &[&str], input: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_couper"))
        .args(args)
        .env_remove("COUPER_CONFIG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", lang)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("couper runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("input written");
    child.wait_with_output().expect("couper ends")
}

fn lines(text: &str) -> Vec<Value> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn week() -> (Vec<Value>, Output) {
    week_in("C.UTF-8")
}

/// The week replayed in the locale `lang`.
fn week_in(lang: &str) -> (Vec<Value>, Output) {
    let dir = replays();
    let input = std::fs::read_to_string(dir.join("week.jsonl")).unwrap();
    let config = dir.join("week.toml");
    let out = couper_in(
        lang,
        &["simulate", "--config", config.to_str().unwrap()],
        &input,
    );
    assert!(
        out.status.success(),
        "simulate failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (lines(&String::from_utf8_lossy(&out.stdout)), out)
}

#[test]
fn a_community_managers_week_is_decided_and_released_as_expected() {
    let (got, _) = week();
    let expected = lines(&std::fs::read_to_string(replays().join("week.expected.jsonl")).unwrap());
    // Reasons are asserted below; every other field exactly.
    let without_reason = without_reason(&got);
    for (i, (g, e)) in without_reason.iter().zip(&expected).enumerate() {
        assert_eq!(g, e, "output line {}", i + 1);
    }
    assert_eq!(without_reason.len(), expected.len(), "{got:#?}");
    // Every decision carries a reason; keys come in the spec's order.
    let (_, out) = week();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        if !line.contains("\"id\"") {
            continue;
        }
        let positions: Vec<usize> = ["at", "id", "decision", "until", "work", "crisis", "reason"]
            .iter()
            .filter_map(|k| line.find(&format!("\"{k}\":")))
            .collect();
        assert!(positions.windows(2).all(|w| w[0] < w[1]), "{line}");
        assert!(line.contains("\"reason\":\""), "{line}");
    }
}

/// The replay's lines without their human `reason` (every machine field).
fn without_reason(lines: &[Value]) -> Vec<Value> {
    lines
        .iter()
        .cloned()
        .map(|mut v| {
            if let Some(o) = v.as_object_mut() {
                o.remove("reason");
            }
            v
        })
        .collect()
}

/// The reason the replay gave for notification `id`.
fn reason_of(lines: &[Value], id: u64) -> String {
    lines
        .iter()
        .find(|v| v["id"] == id)
        .and_then(|v| v["reason"].as_str())
        .unwrap_or_else(|| panic!("no reason for notification {id}"))
        .to_string()
}

#[test]
fn reasons_say_why_in_the_users_words() {
    let (got, _) = week();
    let reason = |id: u64| reason_of(&got, id);
    assert_eq!(
        reason(1),
        "held: Slack is a work app and Monday 08:30 is outside your hours; delivered 09:00"
    );
    // Firefox is a work app for one mailbox; this one is for none of its accounts.
    assert_eq!(
        reason(5),
        "delivered: Firefox is a work app, but not for this account"
    );
    assert!(
        reason(7).starts_with("silenced: Agorapulse"),
        "{}",
        reason(7)
    );
    assert!(reason(8).contains("you said you are off"), "{}", reason(8));
    assert!(reason(10).contains("Alexandre Cherré"), "{}", reason(10));
    assert!(reason(10).contains("only on call"), "{}", reason(10));
    assert!(reason(11).contains("bad buzz"), "{}", reason(11));
    assert!(reason(11).contains("on call"), "{}", reason(11));
    assert!(reason(15).contains("3 notifications"), "{}", reason(15));
    assert!(
        reason(17).contains("you said you are working until 21:00"),
        "{}",
        reason(17)
    );
}

#[test]
fn issue_14_in_french_only_the_reasons_change() {
    let (en, _) = week();
    let (fr, _) = week_in("fr_FR.UTF-8");
    // The keys and every machine field stay as they are; the human reason is French.
    assert_eq!(without_reason(&fr), without_reason(&en));
    let reason = |id: u64| reason_of(&fr, id);
    assert_eq!(
        reason(1),
        "retenue : Slack est une app de travail et lundi 08:30 est hors de vos horaires ; remise 09:00"
    );
    assert_eq!(
        reason(5),
        "remise : Firefox est une app de travail, mais pas pour ce compte"
    );
    assert!(
        reason(7).starts_with("mise en silence : Agorapulse"),
        "{}",
        reason(7)
    );
    assert!(
        reason(8).contains("vous avez dit ne plus travailler"),
        "{}",
        reason(8)
    );
    assert!(
        reason(10).contains("un message d'Alexandre Cherré"),
        "{}",
        reason(10)
    );
    assert!(
        reason(17).contains("vous avez dit travailler jusqu'à 21:00"),
        "{}",
        reason(17)
    );
}

#[test]
fn a_malformed_line_stops_the_replay_and_names_its_number() {
    let config = replays().join("week.toml");
    let input = concat!(
        "{\"at\":\"2026-11-28T21:04:00+01:00\",\"notify\":{\"app\":\"Slack\",\"summary\":\"Bryan\"}}\n",
        "{\"at\":\"2026-11-28T21:05:00+01:00\",\"notify\":{\"app\":\"Slack\",\"summary\":\"x\",\"urgency\":\"urgent\"}}\n",
        "{\"at\":\"2026-11-28T21:06:00+01:00\",\"notify\":{\"app\":\"Slack\",\"summary\":\"y\"}}\n",
    );
    let out = couper(&["simulate", "--config", config.to_str().unwrap()], input);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 2"), "{stderr}");
    assert!(stderr.contains("urgency"), "{stderr}");
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");
    let stdout = lines(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(stdout.len(), 1, "only line 1 was decided: {stdout:?}");

    for (bad, what) in [
        ("not json\n", "line 1"),
        ("{\"at\":\"yesterday\",\"close\":1}\n", "RFC 3339"),
        ("{\"at\":\"2026-11-28T21:04:00\",\"close\":1}\n", "offset"),
        ("{\"at\":\"2026-11-28T21:04:00+01:00\"}\n", "no event"),
        (
            "{\"at\":\"2026-11-28T21:04:00+01:00\",\"mode\":\"sleep\"}\n",
            "mode",
        ),
        (
            "{\"at\":\"2026-11-28T21:04:00+01:00\",\"close\":1,\"x\":2}\n",
            "unknown field",
        ),
    ] {
        let out = couper(&["simulate", "--config", config.to_str().unwrap()], bad);
        assert_eq!(out.status.code(), Some(1), "{bad}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(what), "{bad} -> {stderr}");
    }
}

#[test]
fn lines_out_of_time_order_are_refused() {
    let config = replays().join("week.toml");
    let input = concat!(
        "{\"at\":\"2026-11-28T21:04:00+01:00\",\"close\":1}\n",
        "{\"at\":\"2026-11-28T21:00:00+01:00\",\"close\":2}\n",
    );
    let out = couper(&["simulate", "--config", config.to_str().unwrap()], input);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("line 2"));
}

#[test]
fn a_hold_with_no_known_start_has_no_until_and_no_release() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("settings.toml");
    std::fs::write(
        &config,
        "timezone = \"Europe/Paris\"\n[hours]\n[[work_apps]]\nname = \"Slack\"\napp = \"slack\"\n",
    )
    .unwrap();
    let input = "{\"at\":\"2026-11-28T21:04:00+01:00\",\"notify\":{\"app\":\"Slack\",\"summary\":\"Bryan\"}}\n";
    let out = couper(&["simulate", "--config", config.to_str().unwrap()], input);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got = lines(&String::from_utf8_lossy(&out.stdout));
    assert_eq!(got.len(), 1);
    assert_eq!(got[0]["decision"], "hold");
    assert!(got[0].get("until").is_none());
}

#[test]
fn history_kept_with_history_path_survives_the_replay() {
    let dir = tempfile::tempdir().unwrap();
    let history = dir.path().join("history.sqlite3");
    let input = std::fs::read_to_string(replays().join("week.jsonl")).unwrap();
    let config = replays().join("week.toml");
    let out = couper(
        &[
            "simulate",
            "--config",
            config.to_str().unwrap(),
            "--history",
            history.to_str().unwrap(),
        ],
        &input,
    );
    assert!(out.status.success());
    let store = couper::store::Store::open(&history).unwrap();
    assert!(store.held().unwrap().is_empty(), "everything was released");
    let explained = store.history_of(10).unwrap();
    assert_eq!(explained.len(), 2, "held, then released: {explained:?}");
    // Without --history the replay keeps no history (a throwaway store): the same lines.
    let scratch = couper(&["simulate", "--config", config.to_str().unwrap()], &input);
    assert!(scratch.status.success());
    assert_eq!(
        String::from_utf8_lossy(&scratch.stdout),
        String::from_utf8_lossy(&out.stdout)
    );
}
