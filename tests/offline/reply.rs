//! The auto-reply (SPEC §8) through the `couper` binary, in French and English: the next
//! start of working time in words, after a weekend, a public holiday, time off and "I'm
//! off", and never a word of why.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// Office hours with a lunch break on Mondays and a late start on Thursdays, French
/// holidays, a time off with a private label, and on call every weekend.
const SETTINGS: &str = r#"timezone = "Europe/Paris"
holidays = "FR"

[hours]
mon = ["09:00-12:30", "13:30-18:00"]
tue = ["09:00-18:00"]
wed = ["09:00-18:00"]
thu = ["09:30-18:00"]
fri = ["09:00-17:00"]

[[time_off]]
start = "2026-12-21"
end = "2027-01-01"
label = "Séminaire secret à Lisbonne"

[on_call]
rotation = { first = "2026-11-06", every_weeks = 1, start = "fri 18:00", end = "mon 09:00" }
"#;

/// Words the public must never read: the holiday's name, on call, the time off's label.
const PRIVATE: &[&str] = &[
    "armistice",
    "férié",
    "holiday",
    "astreinte",
    "on call",
    "on-call",
    "séminaire",
    "lisbonne",
    "congé",
    "time off",
];

struct Setup {
    dir: tempfile::TempDir,
}

impl Setup {
    fn new(settings: &str) -> Setup {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("settings.toml"), settings).unwrap();
        Setup { dir }
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("settings.toml")
    }

    fn store(&self) -> PathBuf {
        self.dir.path().join("couper.sqlite3")
    }

    /// `couper ARGS` with this setup's settings and store, no gate (no session bus).
    fn couper(&self, args: &[&str], input: &str) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_couper"))
            .args(args)
            .env("COUPER_CONFIG", self.config())
            .env("COUPER_STORE", self.store())
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env("LANG", "C.UTF-8")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("couper runs");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    /// `couper reply --lang LANG --at AT`, which must succeed.
    fn reply(&self, lang: &str, at: &str, more: &[&str]) -> String {
        let mut args = vec!["reply", "--lang", lang, "--at", at];
        args.extend(more);
        let out = self.couper(&args, "");
        assert!(
            out.status.success(),
            "couper {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout)
            .unwrap()
            .trim_end()
            .to_string();
        let lower = text.to_lowercase();
        for word in PRIVATE {
            assert!(!lower.contains(word), "{text:?} says {word:?}");
        }
        text
    }
}

#[test]
fn friday_at_17_30_the_reply_says_monday_morning() {
    let s = Setup::new(SETTINGS);
    let at = "2026-11-20T17:30:00+01:00";
    assert_eq!(
        s.reply("fr", at, &[]),
        "Merci pour votre message ! Nous vous répondrons lundi 23 novembre à 9 h."
    );
    assert_eq!(
        s.reply("en", at, &[]),
        "Thanks for your message! We will answer Monday 23 November at 9:00."
    );
}

#[test]
fn on_the_eve_of_a_public_holiday_the_reply_skips_it_without_naming_it() {
    // Wednesday 11 November is Armistice Day; Thursday starts at 9:30.
    let s = Setup::new(SETTINGS);
    let at = "2026-11-10T18:30:00+01:00";
    assert_eq!(
        s.reply("fr", at, &[]),
        "Merci pour votre message ! Nous vous répondrons jeudi 12 novembre à 9 h 30."
    );
    assert_eq!(
        s.reply("en", at, &[]),
        "Thanks for your message! We will answer Thursday 12 November at 9:30."
    );
}

#[test]
fn during_time_off_the_reply_says_the_first_day_back_with_its_year() {
    // Time off to 1 January (a holiday too), then a weekend: back on Monday 4 January.
    let s = Setup::new(SETTINGS);
    let at = "2026-12-22T10:00:00+01:00";
    assert_eq!(
        s.reply("fr", at, &[]),
        "Merci pour votre message ! Nous vous répondrons lundi 4 janvier 2027 à 9 h."
    );
    assert_eq!(
        s.reply("en", at, &[]),
        "Thanks for your message! We will answer Monday 4 January 2027 at 9:00."
    );
}

#[test]
fn after_im_off_the_reply_says_the_next_work_day_not_after_lunch() {
    let s = Setup::new(SETTINGS);
    let at = "2026-11-23T11:30:00+01:00";
    // Working on Monday morning: the next start after this stretch is after lunch.
    assert_eq!(
        s.reply("en", at, &[]),
        "Thanks for your message! We will answer Monday 23 November at 13:30."
    );
    // "I'm off" at 11:00, kept in a replay's store: back on Tuesday morning.
    let history = s.dir.path().join("history.sqlite3");
    let out = s.couper(
        &["simulate", "--history", history.to_str().unwrap()],
        "{\"at\":\"2026-11-23T11:00:00+01:00\",\"mode\":\"off\"}\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let history = history.to_str().unwrap();
    assert_eq!(
        s.reply("fr", at, &["--history", history]),
        "Merci pour votre message ! Nous vous répondrons mardi 24 novembre à 9 h."
    );
    assert_eq!(
        s.reply("en", at, &["--history", history]),
        "Thanks for your message! We will answer Tuesday 24 November at 9:00."
    );
}

#[test]
fn the_users_templates_are_used_and_the_first_of_the_month_is_1er() {
    let settings = format!(
        "{SETTINGS}\n[auto_reply]\nfr = \"Absente, je reviens {{next}}. Urgences : standard.\"\nen = \"Away; back {{next}}.\"\n"
    );
    let s = Setup::new(&settings);
    // Friday 27 November after hours: back Monday 30; Friday 26 February: Monday 1 March.
    assert_eq!(
        s.reply("fr", "2026-11-27T17:30:00+01:00", &[]),
        "Absente, je reviens lundi 30 novembre à 9 h. Urgences : standard."
    );
    assert_eq!(
        s.reply("fr", "2027-02-26T17:30:00+01:00", &[]),
        "Absente, je reviens lundi 1er mars à 9 h. Urgences : standard."
    );
    assert_eq!(
        s.reply("en", "2027-02-26T17:30:00+01:00", &[]),
        "Away; back Monday 1 March at 9:00."
    );
}

#[test]
fn with_no_hours_at_all_the_reply_says_as_soon_as_possible() {
    let s = Setup::new("timezone = \"Europe/Paris\"\n[hours]\n");
    let at = "2026-11-20T17:30:00+01:00";
    assert_eq!(
        s.reply("fr", at, &[]),
        "Merci pour votre message ! Nous vous répondrons dès que possible."
    );
    assert_eq!(
        s.reply("en", at, &[]),
        "Thanks for your message! We will answer as soon as possible."
    );
}

#[test]
fn the_language_follows_the_locale_and_a_wrong_at_is_refused() {
    let s = Setup::new(SETTINGS);
    let mut child = Command::new(env!("CARGO_BIN_EXE_couper"))
        .args(["reply", "--at", "2026-11-20T17:30:00+01:00"])
        .env("COUPER_CONFIG", s.config())
        .env("COUPER_STORE", s.store())
        .env_remove("LC_ALL")
        .env("LC_MESSAGES", "fr_FR.UTF-8")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut text = String::new();
    std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut text).unwrap();
    assert!(child.wait().unwrap().success());
    assert_eq!(
        text,
        "Merci pour votre message ! Nous vous répondrons lundi 23 novembre à 9 h.\n"
    );

    let out = s.couper(&["reply", "--at", "vendredi"], "");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not an RFC 3339 time"));
}
