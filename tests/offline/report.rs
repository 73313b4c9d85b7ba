//! Reports and on-call statements (SPEC §8) through the `couper` binary, as a user makes
//! them: October 2026 is replayed with `couper simulate --history`, then reported on with
//! `couper report --history`. Every figure is known by hand and asserted, in text, JSON
//! and CSV.
//!
//! The month (tests/replays/october.toml, .jsonl, .ics), Europe/Paris, 09:00-18:00 on
//! weekdays, crises always let through:
//! - a weekend rotation every other week: Fri 9 Oct 18:00 - Mon 12 Oct 09:00 (63 h, Monday
//!   12 a company holiday: 9 holiday hours) and Fri 23 Oct 18:00 - Mon 26 Oct 09:00 (64 h:
//!   clocks go back on Sunday 25, a 25-hour Sunday and a 10-hour night);
//! - a night shift from the team's calendar (London times): Wed 14 Oct 20:00 - Thu 08:00;
//! - on call by hand on Sat 17 Oct, 10:00-16:30;
//! - a shift across the month's edge, Sat 31 Oct 08:00 - Mon 2 Nov 08:00: 16 h in October,
//!   32 h in November, with All Saints' Day (a holiday on a Sunday);
//! - three crises: Sat 10 Oct 22:15 and Sun 25 Oct 02:30 (the repeated hour) on call,
//!   Wed 21 Oct 23:00 not;
//! - "I'm working" Tue 20 Oct 18:30-20:00 (all outside the hours) and Thu 22 Oct
//!   17:30-18:30 (half of it).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

fn replays() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/replays")
}

const CONFIG: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/replays/october.toml");

/// `couper ARGS` with `input` on stdin, in a clean environment (English unless `env`
/// says otherwise).
fn couper(args: &[&str], env: &[(&str, &str)], input: &str) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_couper"));
    command
        .args(args)
        .env_remove("COUPER_CONFIG")
        .env_remove("COUPER_STORE")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("couper runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("input written");
    child.wait_with_output().expect("couper ends")
}

/// The store of the replayed October, made once for all the tests.
fn october() -> &'static Path {
    static STORE: OnceLock<PathBuf> = OnceLock::new();
    STORE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-october");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let store = dir.join("history.sqlite3");
        let input = std::fs::read_to_string(replays().join("october.jsonl")).unwrap();
        let out = couper(
            &[
                "simulate",
                "--config",
                CONFIG,
                "--history",
                store.to_str().unwrap(),
            ],
            &[],
            &input,
        );
        assert!(
            out.status.success(),
            "simulate: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        store
    })
}

/// `couper report --config october.toml --history STORE ARGS`, which must succeed.
fn report_with(args: &[&str], env: &[(&str, &str)]) -> String {
    let mut all = vec![
        "report",
        "--config",
        CONFIG,
        "--history",
        october().to_str().unwrap(),
    ];
    all.extend(args);
    let out = couper(&all, env, "");
    assert!(
        out.status.success(),
        "couper {all:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn report(args: &[&str]) -> String {
    report_with(args, &[])
}

fn report_json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.push("--json");
    serde_json::from_str(&report(&all)).unwrap()
}

#[test]
fn the_month_report_in_english_text_has_every_figure() {
    let text = report(&["--month", "2026-10", "--lang", "en"]);
    let expected = r#"Couper report, Thu 1 Oct 2026 to Sat 31 Oct 2026 (Europe/Paris)

Work notifications
  app         held  silenced  delivered  crises
  Slack          3         0          2       2
  Teams          1         0          1       1
  Agorapulse     0         2          0       0
  Outlook        1         0          0       0
  total          5         2          3       3

Off-hours interruptions: 3 (crises let through outside your hours)
  Sat 10 Oct 22:15  Slack  on call  Slack sent the crisis keyword "crise"; Saturday 22:15 is outside your hours, and you are on call
  Wed 21 Oct 23:00  Teams           Teams sent the crisis keyword "bad buzz"; Wednesday 23:00 is outside your hours, and crises always get through
  Sun 25 Oct 02:30  Slack  on call  Slack sent a critical notification; Sunday 02:30 is outside your hours, and you are on call

Worked outside your hours: 2 times, 2.00 h
  Tue 20 Oct 18:30  Tue 20 Oct 20:00  1.50 h  1.50 h outside your hours
  Thu 22 Oct 17:30  Thu 22 Oct 18:30  1.00 h  0.50 h outside your hours

On call: 161.50 h
  Fri 9 Oct 18:00   Mon 12 Oct 09:00  63.00 h  schedule
  Wed 14 Oct 20:00  Thu 15 Oct 08:00  12.00 h  calendar
  Sat 17 Oct 10:00  Sat 17 Oct 16:30   6.50 h  by hand
  Fri 23 Oct 18:00  Mon 26 Oct 09:00  64.00 h  schedule
  Sat 31 Oct 08:00  Sun 1 Nov 00:00   16.00 h  schedule
"#;
    assert_eq!(text, expected);
}

#[test]
fn the_month_report_in_french_text_follows_the_locale() {
    let text = report_with(&["--month", "2026-10"], &[("LANG", "fr_FR.UTF-8")]);
    let expected = r#"Rapport Couper, du jeu. 1 oct. 2026 au sam. 31 oct. 2026 (Europe/Paris)

Notifications de travail
  appli       retenues  silencieuses  distribuées  crises
  Slack              3             0            2       2
  Teams              1             0            1       1
  Agorapulse         0             2            0       0
  Outlook            1             0            0       0
  total              5             2            3       3

Interruptions hors horaires : 3 (crises passées hors de vos horaires)
  sam. 10 oct. 22:15  Slack  d'astreinte  Slack a envoyé le mot d'urgence « crise » ; samedi 22:15 est hors de vos horaires, et vous êtes d'astreinte
  mer. 21 oct. 23:00  Teams               Teams a envoyé le mot d'urgence « bad buzz » ; mercredi 23:00 est hors de vos horaires, et les urgences passent toujours
  dim. 25 oct. 02:30  Slack  d'astreinte  Slack a envoyé une notification critique ; dimanche 02:30 est hors de vos horaires, et vous êtes d'astreinte

Travail choisi hors horaires : 2 fois, 2,00 h
  mar. 20 oct. 18:30  mar. 20 oct. 20:00  1,50 h  dont 1,50 h hors horaires
  jeu. 22 oct. 17:30  jeu. 22 oct. 18:30  1,00 h  dont 0,50 h hors horaires

Astreinte : 161,50 h
  ven. 9 oct. 18:00   lun. 12 oct. 09:00  63,00 h  planning
  mer. 14 oct. 20:00  jeu. 15 oct. 08:00  12,00 h  calendrier
  sam. 17 oct. 10:00  sam. 17 oct. 16:30   6,50 h  à la main
  ven. 23 oct. 18:00  lun. 26 oct. 09:00  64,00 h  planning
  sam. 31 oct. 08:00  dim. 1 nov. 00:00   16,00 h  planning
"#;
    assert_eq!(text, expected);
}

/// One on-call period as the JSON has it.
fn period(start: &str, end: &str, whole: (&str, &str), origin: &str, h: [f64; 4]) -> Value {
    json!({
        "start": start, "end": end, "period_start": whole.0, "period_end": whole.1,
        "origins": [origin],
        "hours": h[0], "night_hours": h[1], "sunday_hours": h[2], "holiday_hours": h[3],
    })
}

fn october_periods() -> Value {
    json!([
        period(
            "2026-10-09T18:00:00+02:00",
            "2026-10-12T09:00:00+02:00",
            ("2026-10-09T18:00:00+02:00", "2026-10-12T09:00:00+02:00"),
            "schedule",
            [63.0, 27.0, 24.0, 9.0]
        ),
        period(
            "2026-10-14T20:00:00+02:00",
            "2026-10-15T08:00:00+02:00",
            ("2026-10-14T20:00:00+02:00", "2026-10-15T08:00:00+02:00"),
            "calendar",
            [12.0, 9.0, 0.0, 0.0]
        ),
        period(
            "2026-10-17T10:00:00+02:00",
            "2026-10-17T16:30:00+02:00",
            ("2026-10-17T10:00:00+02:00", "2026-10-17T16:30:00+02:00"),
            "manual",
            [6.5, 0.0, 0.0, 0.0]
        ),
        // Across the October change: 64 h, a 10-hour night, a 25-hour Sunday.
        period(
            "2026-10-23T18:00:00+02:00",
            "2026-10-26T09:00:00+01:00",
            ("2026-10-23T18:00:00+02:00", "2026-10-26T09:00:00+01:00"),
            "schedule",
            [64.0, 28.0, 25.0, 0.0]
        ),
        // Across the month's edge: October's part only.
        period(
            "2026-10-31T08:00:00+01:00",
            "2026-11-01T00:00:00+01:00",
            ("2026-10-31T08:00:00+01:00", "2026-11-02T08:00:00+01:00"),
            "schedule",
            [16.0, 3.0, 0.0, 0.0]
        ),
    ])
}

fn crisis(at: &str, app: &str, on_call: bool, why: &str) -> Value {
    json!({"at": at, "app": app, "on_call": on_call, "why": why})
}

fn saturday_crisis() -> Value {
    crisis(
        "2026-10-10T22:15:00+02:00",
        "Slack",
        true,
        "Slack sent the crisis keyword \"crise\"; Saturday 22:15 is outside your hours, and you are on call",
    )
}

fn repeated_hour_crisis() -> Value {
    crisis(
        "2026-10-25T02:30:00+01:00",
        "Slack",
        true,
        "Slack sent a critical notification; Sunday 02:30 is outside your hours, and you are on call",
    )
}

#[test]
fn the_month_report_in_json_has_every_figure() {
    let r = report_json(&["--month", "2026-10"]);
    assert_eq!(r["timezone"], "Europe/Paris");
    assert_eq!(
        r["days"],
        json!({"first": "2026-10-01", "last": "2026-10-31",
               "from": "2026-10-01T00:00:00+02:00", "to": "2026-11-01T00:00:00+01:00"})
    );
    // A notification replaced while held (Slack, Mon 12 Oct) counts once.
    assert_eq!(
        r["apps"],
        json!([
            {"app": "Slack", "held": 3, "silenced": 0, "delivered": 2, "crises": 2},
            {"app": "Teams", "held": 1, "silenced": 0, "delivered": 1, "crises": 1},
            {"app": "Agorapulse", "held": 0, "silenced": 2, "delivered": 0, "crises": 0},
            {"app": "Outlook", "held": 1, "silenced": 0, "delivered": 0, "crises": 0},
        ])
    );
    assert_eq!(
        r["total"],
        json!({"held": 5, "silenced": 2, "delivered": 3, "crises": 3})
    );
    assert_eq!(
        r["interruptions"],
        json!([
            saturday_crisis(),
            crisis(
                "2026-10-21T23:00:00+02:00",
                "Teams",
                false,
                "Teams sent the crisis keyword \"bad buzz\"; Wednesday 23:00 is outside your hours, and crises always get through"
            ),
            repeated_hour_crisis(),
        ])
    );
    assert_eq!(
        r["worked_outside"],
        json!([
            {"start": "2026-10-20T18:30:00+02:00", "end": "2026-10-20T20:00:00+02:00",
             "hours": 1.5, "outside_hours": 1.5},
            {"start": "2026-10-22T17:30:00+02:00", "end": "2026-10-22T18:30:00+02:00",
             "hours": 1.0, "outside_hours": 0.5},
        ])
    );
    assert_eq!(r["on_call"], october_periods());
    assert_eq!(
        r["on_call_hours"],
        json!({"hours": 161.5, "night_hours": 67.0, "sunday_hours": 49.0, "holiday_hours": 9.0})
    );
    // The week chart: every work decision in its local hour (the personal one is not).
    let cells = r["by_hour"].as_array().unwrap();
    let sum = |key: &str| cells.iter().map(|c| c[key].as_u64().unwrap()).sum::<u64>();
    assert_eq!((sum("held"), sum("delivered"), sum("crises")), (7, 3, 3));
    assert_eq!(
        cells[0],
        json!({"date": "2026-10-01", "hour": 10, "held": 0, "delivered": 1, "crises": 0})
    );
    assert!(cells.contains(
        &json!({"date": "2026-10-25", "hour": 2, "held": 0, "delivered": 0, "crises": 1})
    ));
}

#[test]
fn the_month_report_in_french_csv_opens_in_a_spreadsheet() {
    let csv = report(&["--month", "2026-10", "--csv", "--lang", "fr"]);
    let expected = "\u{feff}rubrique;appli;retenues;silencieuses;distribuées;crises;début;fin;heures;heures hors horaires;astreinte;origine;motif\r\n\
appli;Slack;3;0;2;2;;;;;;;\r\n\
appli;Teams;1;0;1;1;;;;;;;\r\n\
appli;Agorapulse;0;2;0;0;;;;;;;\r\n\
appli;Outlook;1;0;0;0;;;;;;;\r\n\
total;;5;2;3;3;;;;;;;\r\n\
interruption;Slack;;;;;2026-10-10 22:15;;;;oui;;\"Slack a envoyé le mot d'urgence « crise » ; samedi 22:15 est hors de vos horaires, et vous êtes d'astreinte\"\r\n\
interruption;Teams;;;;;2026-10-21 23:00;;;;non;;\"Teams a envoyé le mot d'urgence « bad buzz » ; mercredi 23:00 est hors de vos horaires, et les urgences passent toujours\"\r\n\
interruption;Slack;;;;;2026-10-25 02:30;;;;oui;;\"Slack a envoyé une notification critique ; dimanche 02:30 est hors de vos horaires, et vous êtes d'astreinte\"\r\n\
travail hors horaires;;;;;;2026-10-20 18:30;2026-10-20 20:00;1,50;1,50;;;\r\n\
travail hors horaires;;;;;;2026-10-22 17:30;2026-10-22 18:30;1,00;0,50;;;\r\n\
astreinte;;;;;;2026-10-09 18:00;2026-10-12 09:00;63,00;;;planning;\r\n\
astreinte;;;;;;2026-10-14 20:00;2026-10-15 08:00;12,00;;;calendrier;\r\n\
astreinte;;;;;;2026-10-17 10:00;2026-10-17 16:30;6,50;;;à la main;\r\n\
astreinte;;;;;;2026-10-23 18:00;2026-10-26 09:00;64,00;;;planning;\r\n\
astreinte;;;;;;2026-10-31 08:00;2026-11-01 00:00;16,00;;;planning;\r\n";
    assert_eq!(csv, expected);
}

#[test]
fn the_month_report_in_english_csv_uses_commas_and_points() {
    let csv = report(&["--month", "2026-10", "--csv", "--lang", "en"]);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "\u{feff}section,app,held,silenced,delivered,crises,start,end,hours,hours outside your hours,on call,origin,reason"
    );
    assert_eq!(lines[1], "app,Slack,3,0,2,2,,,,,,,");
    assert_eq!(lines[5], "total,,5,2,3,3,,,,,,,");
    assert_eq!(
        lines[6],
        "interruption,Slack,,,,,2026-10-10 22:15,,,,yes,,\"Slack sent the crisis keyword \"\"crise\"\"; Saturday 22:15 is outside your hours, and you are on call\""
    );
    assert_eq!(
        lines[10],
        "worked outside your hours,,,,,,2026-10-22 17:30,2026-10-22 18:30,1.00,0.50,,,"
    );
    assert_eq!(
        lines[14],
        "on call,,,,,,2026-10-23 18:00,2026-10-26 09:00,64.00,,,schedule,"
    );
    assert_eq!(lines.len(), 17, "16 rows and the last line end");
}

#[test]
fn the_october_statement_in_text_splits_night_sunday_and_holiday_hours() {
    let en = report(&["--on-call", "--month", "2026-10", "--lang", "en"]);
    let expected = r#"On-call statement, October 2026 (Europe/Paris)

  start             end                hours  night  Sunday  holiday  origin
  Fri 9 Oct 18:00   Mon 12 Oct 09:00   63.00  27.00   24.00     9.00  schedule
  Wed 14 Oct 20:00  Thu 15 Oct 08:00   12.00   9.00    0.00     0.00  calendar
  Sat 17 Oct 10:00  Sat 17 Oct 16:30    6.50   0.00    0.00     0.00  by hand
  Fri 23 Oct 18:00  Mon 26 Oct 09:00   64.00  28.00   25.00     0.00  schedule
  Sat 31 Oct 08:00  Sun 1 Nov 00:00    16.00   3.00    0.00     0.00  schedule  (whole period: Sat 31 Oct 08:00 – Mon 2 Nov 08:00)
  total                               161.50  67.00   49.00     9.00

Interventions (crises let through while on call): 2
  Sat 10 Oct 22:15  Slack  Slack sent the crisis keyword "crise"; Saturday 22:15 is outside your hours, and you are on call
  Sun 25 Oct 02:30  Slack  Slack sent a critical notification; Sunday 02:30 is outside your hours, and you are on call
"#;
    assert_eq!(en, expected);

    let fr = report(&["--on-call", "--month", "2026-10", "--lang", "fr"]);
    let expected = r#"Relevé d'astreinte, octobre 2026 (Europe/Paris)

  début               fin                 heures   nuit  dimanche  férié  origine
  ven. 9 oct. 18:00   lun. 12 oct. 09:00   63,00  27,00     24,00   9,00  planning
  mer. 14 oct. 20:00  jeu. 15 oct. 08:00   12,00   9,00      0,00   0,00  calendrier
  sam. 17 oct. 10:00  sam. 17 oct. 16:30    6,50   0,00      0,00   0,00  à la main
  ven. 23 oct. 18:00  lun. 26 oct. 09:00   64,00  28,00     25,00   0,00  planning
  sam. 31 oct. 08:00  dim. 1 nov. 00:00    16,00   3,00      0,00   0,00  planning    (période entière : sam. 31 oct. 08:00 – lun. 2 nov. 08:00)
  total                                   161,50  67,00     49,00   9,00

Interventions (crises passées pendant l'astreinte) : 2
  sam. 10 oct. 22:15  Slack  Slack a envoyé le mot d'urgence « crise » ; samedi 22:15 est hors de vos horaires, et vous êtes d'astreinte
  dim. 25 oct. 02:30  Slack  Slack a envoyé une notification critique ; dimanche 02:30 est hors de vos horaires, et vous êtes d'astreinte
"#;
    assert_eq!(fr, expected);
}

#[test]
fn the_october_statement_in_json_has_every_period_and_intervention() {
    let s = report_json(&["--on-call", "--month", "2026-10"]);
    assert_eq!(s["month"], "2026-10");
    assert_eq!(s["periods"], october_periods());
    assert_eq!(
        s["total"],
        json!({"hours": 161.5, "night_hours": 67.0, "sunday_hours": 49.0, "holiday_hours": 9.0})
    );
    assert_eq!(
        s["interventions"],
        json!([saturday_crisis(), repeated_hour_crisis()])
    );
}

#[test]
fn the_october_statement_in_csv_has_a_header_a_row_per_period_a_total_and_the_interventions() {
    let fr = report(&["--on-call", "--month", "2026-10", "--csv", "--lang", "fr"]);
    let expected = "\u{feff}ligne;début;fin;heures;heures de nuit;heures du dimanche;heures fériées;origine;début de la période;fin de la période;appli;motif\r\n\
période;2026-10-09 18:00;2026-10-12 09:00;63,00;27,00;24,00;9,00;planning;2026-10-09 18:00;2026-10-12 09:00;;\r\n\
période;2026-10-14 20:00;2026-10-15 08:00;12,00;9,00;0,00;0,00;calendrier;2026-10-14 20:00;2026-10-15 08:00;;\r\n\
période;2026-10-17 10:00;2026-10-17 16:30;6,50;0,00;0,00;0,00;à la main;2026-10-17 10:00;2026-10-17 16:30;;\r\n\
période;2026-10-23 18:00;2026-10-26 09:00;64,00;28,00;25,00;0,00;planning;2026-10-23 18:00;2026-10-26 09:00;;\r\n\
période;2026-10-31 08:00;2026-11-01 00:00;16,00;3,00;0,00;0,00;planning;2026-10-31 08:00;2026-11-02 08:00;;\r\n\
total;;;161,50;67,00;49,00;9,00;;;;;\r\n\
intervention;2026-10-10 22:15;;;;;;;;;Slack;\"Slack a envoyé le mot d'urgence « crise » ; samedi 22:15 est hors de vos horaires, et vous êtes d'astreinte\"\r\n\
intervention;2026-10-25 02:30;;;;;;;;;Slack;\"Slack a envoyé une notification critique ; dimanche 02:30 est hors de vos horaires, et vous êtes d'astreinte\"\r\n";
    assert_eq!(fr, expected);

    let en = report_with(
        &["--on-call", "--month", "2026-10", "--csv"],
        &[("LANG", "en_GB.UTF-8")],
    );
    let expected = "\u{feff}row,start,end,hours,night hours,Sunday hours,holiday hours,origin,period start,period end,app,reason\r\n\
period,2026-10-09 18:00,2026-10-12 09:00,63.00,27.00,24.00,9.00,schedule,2026-10-09 18:00,2026-10-12 09:00,,\r\n\
period,2026-10-14 20:00,2026-10-15 08:00,12.00,9.00,0.00,0.00,calendar,2026-10-14 20:00,2026-10-15 08:00,,\r\n\
period,2026-10-17 10:00,2026-10-17 16:30,6.50,0.00,0.00,0.00,by hand,2026-10-17 10:00,2026-10-17 16:30,,\r\n\
period,2026-10-23 18:00,2026-10-26 09:00,64.00,28.00,25.00,0.00,schedule,2026-10-23 18:00,2026-10-26 09:00,,\r\n\
period,2026-10-31 08:00,2026-11-01 00:00,16.00,3.00,0.00,0.00,schedule,2026-10-31 08:00,2026-11-02 08:00,,\r\n\
total,,,161.50,67.00,49.00,9.00,,,,,\r\n\
intervention,2026-10-10 22:15,,,,,,,,,Slack,\"Slack sent the crisis keyword \"\"crise\"\"; Saturday 22:15 is outside your hours, and you are on call\"\r\n\
intervention,2026-10-25 02:30,,,,,,,,,Slack,\"Slack sent a critical notification; Sunday 02:30 is outside your hours, and you are on call\"\r\n";
    assert_eq!(en, expected);
}

#[test]
fn a_shift_across_the_months_edge_counts_in_each_month_for_its_own_part() {
    let november = report_json(&["--on-call", "--month", "2026-11"]);
    let periods = november["periods"].as_array().unwrap();
    // All Saints' Day is a Sunday: its hours count as Sunday and as holiday, once in
    // the total.
    assert_eq!(
        periods[0],
        period(
            "2026-11-01T00:00:00+01:00",
            "2026-11-02T08:00:00+01:00",
            ("2026-10-31T08:00:00+01:00", "2026-11-02T08:00:00+01:00"),
            "schedule",
            [32.0, 15.0, 24.0, 24.0]
        )
    );
    assert_eq!(
        periods.len(),
        3,
        "and the rotation's 6-9 and 20-23 November"
    );
    assert_eq!(
        november["total"],
        json!({"hours": 158.0, "night_hours": 69.0, "sunday_hours": 72.0, "holiday_hours": 24.0})
    );
    assert_eq!(november["interventions"], json!([]));
    let october = report_json(&["--on-call", "--month", "2026-10"]);
    let october_part = october["periods"][4]["hours"].as_f64().unwrap();
    let november_part = periods[0]["hours"].as_f64().unwrap();
    assert_eq!(october_part + november_part, 48.0, "the whole shift, once");
}

#[test]
fn a_week_and_a_range_of_days_count_their_own_days() {
    // The week of the October change: Monday 19 to Sunday 25.
    let week = report_json(&["--week", "2026-10-21"]);
    assert_eq!(week["days"]["first"], "2026-10-19");
    assert_eq!(week["days"]["last"], "2026-10-25");
    assert_eq!(
        week["total"],
        json!({"held": 0, "silenced": 0, "delivered": 1, "crises": 2})
    );
    assert_eq!(week["worked_outside"].as_array().unwrap().len(), 2);
    // Friday 23 18:00 to the end of Sunday 25 (a 25-hour day): 6 + 24 + 25 hours.
    assert_eq!(week["on_call_hours"]["hours"], 55.0);

    let range = report_json(&["--from", "2026-10-09", "--to", "2026-10-12"]);
    assert_eq!(
        range["total"],
        json!({"held": 1, "silenced": 0, "delivered": 0, "crises": 1})
    );
    assert_eq!(range["on_call_hours"]["hours"], 63.0);
    assert_eq!(range["on_call_hours"]["holiday_hours"], 9.0);
}

#[test]
fn wrong_periods_are_refused_with_one_line() {
    let run = |args: &[&str]| {
        let mut all = vec![
            "report",
            "--config",
            CONFIG,
            "--history",
            october().to_str().unwrap(),
        ];
        all.extend(args);
        couper(&all, &[], "")
    };
    let out = run(&["--from", "2026-10-12", "--to", "2026-10-09"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "couper: --to 2026-10-09 is before --from 2026-10-12\n"
    );
    let out = run(&["--month", "2026-13"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not a month: use YYYY-MM"));
    // The statement is made for a month: with a week, it is a usage error.
    assert_eq!(run(&["--on-call", "--week"]).status.code(), Some(2));

    let out = couper(
        &[
            "report",
            "--config",
            CONFIG,
            "--history",
            "/nonexistent/h.sqlite3",
        ],
        &[],
        "",
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "couper: /nonexistent/h.sqlite3: no such store\n"
    );
}

/// The statement of `month` for a history replayed from `timeline` with `config`.
fn statement_of(config: &str, timeline: &str, month: &str) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let settings = dir.path().join("settings.toml");
    std::fs::write(&settings, config).unwrap();
    let store = dir.path().join("history.sqlite3");
    let (settings, store) = (settings.to_str().unwrap(), store.to_str().unwrap());
    let out = couper(
        &["simulate", "--config", settings, "--history", store],
        &[],
        timeline,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = couper(
        &[
            "report",
            "--config",
            settings,
            "--history",
            store,
            "--on-call",
            "--month",
            month,
            "--json",
        ],
        &[],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// A weekend shift (Sat 31 Oct 08:00 - Mon 2 Nov 08:00) and one ending Mon 1 June 09:00,
/// each touched by a toggle by hand across the month's edge from it.
const TOUCHING_TOGGLES: &str = r#"timezone = "Europe/Paris"
[hours]
mon = ["09:00-18:00"]
[on_call]
shifts = [
  { start = "2026-05-30T08:00", end = "2026-06-01T09:00" },
  { start = "2026-10-31T08:00", end = "2026-11-02T08:00" },
]
"#;

const TOGGLES: &str = r#"{"at":"2026-06-01T09:00:00+02:00","on_call":true}
{"at":"2026-06-01T10:30:00+02:00","on_call":false}
{"at":"2026-10-30T22:00:00+01:00","on_call":true}
{"at":"2026-10-31T08:00:00+01:00","on_call":false}
"#;

// Issue 16: the toggle was merged with the shift only in the month where it happened.
#[test]
fn a_toggle_by_hand_touching_a_shift_across_the_months_edge_makes_one_period_in_both_months() {
    for (months, whole, length) in [
        // Fri 30 Oct 22:00 - Sat 31 Oct 08:00 by hand, then the weekend shift.
        (
            ["2026-10", "2026-11"],
            ["2026-10-30T22:00:00+01:00", "2026-11-02T08:00:00+01:00"],
            58.0,
        ),
        // The mirror: the shift ends Mon 1 June 09:00, then 09:00-10:30 by hand.
        (
            ["2026-05", "2026-06"],
            ["2026-05-30T08:00:00+02:00", "2026-06-01T10:30:00+02:00"],
            50.5,
        ),
    ] {
        let mut hours = 0.0;
        for month in months {
            let statement = statement_of(TOUCHING_TOGGLES, TOGGLES, month);
            let periods = statement["periods"].as_array().unwrap();
            assert_eq!(periods.len(), 1, "{month}: {periods:?}");
            let p = &periods[0];
            assert_eq!(
                (json!([p["period_start"], p["period_end"]]), &p["origins"]),
                (json!(whole), &json!(["schedule", "manual"])),
                "{month}: the whole period, schedule + by hand"
            );
            hours += p["hours"].as_f64().unwrap();
        }
        assert_eq!(hours, length, "{months:?}: the whole period, once");
    }
}
