//! `settings.toml`: what a file means, every way a file is refused (line, key, reason),
//! and saving back without losing what the user wrote.
// A test binary: a panic is a failed test.
#![allow(clippy::unwrap_used)]

use couper::settings::{
    self, atomic_write, parse, to_toml, CrisisPass, DayRange, HolidayCalendar, LoadError, OffHours,
    ReleaseMode, Repeat, Rotation, Settings, Shift, TimeOff, TimeOffBound, WeekTime, WeeklyHours,
    WorkApp,
};
use jiff::civil::{date, time, Weekday};

use crate::files as hostile;
use crate::live as session;
use crate::probe;

/// The example file of SPEC §5, verbatim.
const SPEC_EXAMPLE: &str = r#"timezone = "Europe/Paris"
holidays = "FR"                       # optional
extra_holidays = ["2026-05-29"]       # optional

[hours]                               # a missing day is a day off
mon = ["09:00-12:30", "13:30-18:00"]
tue = ["09:00-18:00"]
wed = ["09:00-18:00"]
thu = ["09:00-18:00"]
fri = ["09:00-17:00"]

[[time_off]]
start = "2026-12-24"
end = "2027-01-01"
label = "Noël"

[[work_apps]]
name = "Slack"
app = "slack"                          # app_name or desktop-entry, case-insensitive
off_hours = "hold"                     # hold (default) | drop

[[work_apps]]
name = "Gmail (work account)"
app = "firefox"
account = "gwen@ouest.digital"         # must appear in summary or body

[crisis]
pass = "always"                        # always (default) | on_call
critical_urgency = true
keywords = ["crise", "bad buzz"]
senders = ["Alexandre Cherré"]
repeat = { count = 3, minutes = 10 }   # optional

[on_call]
shifts = [{ start = "2026-11-27T18:00", end = "2026-11-30T09:00" }]
rotation = { first = "2026-11-27", every_weeks = 3, start = "fri 18:00", end = "mon 09:00" }
calendar = "https://calendar.example/team-astreinte.ics"   # optional, section 8
calendar_match = "Gwen"                # events whose summary names this are my shifts

[auto_reply]                           # optional, section 8
fr = "Merci pour votre message ! Nous vous répondrons {next}."
en = "Thanks for your message! We will answer {next}."

[release]
mode = "digest"                        # digest (default) | replay

[display]                              # optional: the daemon Couper draws through (Linux)
command = ["dunst"]                    # default: found from the D-Bus activation files
"#;

fn range(text: &str) -> DayRange {
    let (start, end) = text.split_once('-').unwrap();
    let minutes = |t: &str| {
        let (h, m) = t.split_once(':').unwrap();
        h.parse::<u16>().unwrap() * 60 + m.parse::<u16>().unwrap()
    };
    DayRange {
        start: minutes(start),
        end: minutes(end),
    }
}

fn example() -> Settings {
    parse(SPEC_EXAMPLE, "settings.toml").unwrap()
}

mod reading {
    use super::*;

    #[test]
    fn spec_example_parses_to_its_values() {
        let s = example();
        assert_eq!(s.timezone_name, "Europe/Paris");
        assert_eq!(s.timezone, jiff::tz::TimeZone::get("Europe/Paris").unwrap());
        assert_eq!(s.holidays, Some(HolidayCalendar::France));
        assert_eq!(s.extra_holidays, vec![date(2026, 5, 29)]);
        assert_eq!(
            s.hours.day(Weekday::Monday),
            [range("09:00-12:30"), range("13:30-18:00")]
        );
        assert_eq!(s.hours.day(Weekday::Tuesday), [range("09:00-18:00")]);
        assert_eq!(s.hours.day(Weekday::Friday), [range("09:00-17:00")]);
        assert!(s.hours.day(Weekday::Saturday).is_empty());
        assert!(s.hours.day(Weekday::Sunday).is_empty());
        assert_eq!(
            s.time_off,
            vec![TimeOff {
                start: TimeOffBound::Date(date(2026, 12, 24)),
                end: TimeOffBound::Date(date(2027, 1, 1)),
                label: Some("Noël".to_string()),
            }]
        );
        assert_eq!(
            s.work_apps,
            vec![
                WorkApp {
                    name: "Slack".to_string(),
                    app: "slack".to_string(),
                    account: None,
                    sites: Vec::new(),
                    off_hours: OffHours::Hold,
                },
                WorkApp {
                    name: "Gmail (work account)".to_string(),
                    app: "firefox".to_string(),
                    account: Some("gwen@ouest.digital".to_string()),
                    sites: Vec::new(),
                    off_hours: OffHours::Hold,
                },
            ]
        );
        assert_eq!(s.crisis.pass, CrisisPass::Always);
        assert!(s.crisis.critical_urgency);
        assert_eq!(s.crisis.keywords, ["crise", "bad buzz"]);
        assert_eq!(s.crisis.senders, ["Alexandre Cherré"]);
        assert_eq!(
            s.crisis.repeat,
            Some(Repeat {
                count: 3,
                minutes: 10
            })
        );
        assert_eq!(
            s.on_call.shifts,
            vec![Shift {
                start: date(2026, 11, 27).at(18, 0, 0, 0),
                end: date(2026, 11, 30).at(9, 0, 0, 0),
            }]
        );
        assert_eq!(
            s.on_call.rotation,
            Some(Rotation {
                first: date(2026, 11, 27),
                every_weeks: 3,
                start: WeekTime {
                    weekday: Weekday::Friday,
                    time: time(18, 0, 0, 0),
                },
                end: WeekTime {
                    weekday: Weekday::Monday,
                    time: time(9, 0, 0, 0),
                },
            })
        );
        assert_eq!(
            s.on_call.calendar.as_deref(),
            Some("https://calendar.example/team-astreinte.ics")
        );
        assert_eq!(s.on_call.calendar_match.as_deref(), Some("Gwen"));
        assert_eq!(
            s.auto_reply.fr.as_deref(),
            Some("Merci pour votre message ! Nous vous répondrons {next}.")
        );
        assert_eq!(
            s.auto_reply.en.as_deref(),
            Some("Thanks for your message! We will answer {next}.")
        );
        assert_eq!(s.release.mode, ReleaseMode::Digest);
        assert_eq!(s.display.command, Some(vec!["dunst".to_string()]));
    }

    #[test]
    fn an_empty_file_means_the_defaults() {
        let s = parse("", "settings.toml").unwrap();
        assert_eq!(s, Settings::default());
        assert_eq!(s.hours, WeeklyHours::office());
        assert!(s.crisis.critical_urgency);
        assert_eq!(s.crisis.pass, CrisisPass::Always);
        assert_eq!(s.release.mode, ReleaseMode::Digest);
        assert_eq!(s.display.command, None);
        assert!(s.work_apps.is_empty());
    }

    #[test]
    fn an_hours_table_without_a_day_makes_it_a_day_off() {
        let s = parse("[hours]\nmon = [\"09:00-12:00\"]\n", "settings.toml").unwrap();
        assert_eq!(s.hours.day(Weekday::Monday), [range("09:00-12:00")]);
        assert!(s.hours.day(Weekday::Tuesday).is_empty());

        let none = parse("[hours]\n", "settings.toml").unwrap();
        assert_eq!(none.hours, WeeklyHours::default());
    }

    #[test]
    fn a_work_app_holds_by_default_and_its_app_is_lowercase() {
        let s = parse("[[work_apps]]\nname = \"Slack\"\napp = \" Slack \"\n", "s").unwrap();
        assert_eq!(s.work_apps[0].app, "slack");
        assert_eq!(s.work_apps[0].name, "Slack");
        assert_eq!(s.work_apps[0].off_hours, OffHours::Hold);
    }

    #[test]
    fn night_shift_ranges_and_24_00_are_read() {
        let s = parse("[hours]\nfri = [\"22:00-06:00\", \"18:00-24:00\"]\n", "s").unwrap();
        let fri = s.hours.day(Weekday::Friday);
        assert!(fri[0].crosses_midnight());
        assert_eq!(fri[1].end, 1440);
    }

    #[test]
    fn shifts_take_minutes_seconds_or_toml_date_times() {
        let text = r#"
[on_call]
shifts = [
  { start = "2026-11-27T18:00", end = "2026-11-28T09:00:00" },
  { start = 2026-12-04T18:00:00, end = 2026-12-05T09:00 },
]
"#;
        let shifts = parse(text, "s").unwrap().on_call.shifts;
        assert_eq!(shifts[0].start, date(2026, 11, 27).at(18, 0, 0, 0));
        assert_eq!(shifts[0].end, date(2026, 11, 28).at(9, 0, 0, 0));
        assert_eq!(shifts[1].start, date(2026, 12, 4).at(18, 0, 0, 0));
        assert_eq!(shifts[1].end, date(2026, 12, 5).at(9, 0, 0, 0));
    }

    #[test]
    fn time_off_takes_dates_or_date_times() {
        let text = "[[time_off]]\nstart = \"2026-12-24T14:00\"\nend = \"2026-12-26\"\n";
        let period = &parse(text, "s").unwrap().time_off[0];
        assert_eq!(
            period.start,
            TimeOffBound::DateTime(date(2026, 12, 24).at(14, 0, 0, 0))
        );
        assert_eq!(period.end, TimeOffBound::Date(date(2026, 12, 26)));
        assert_eq!(period.label, None);
    }

    #[test]
    fn a_one_day_time_off_is_allowed() {
        let text = "[[time_off]]\nstart = 2026-05-15\nend = 2026-05-15\n";
        assert_eq!(parse(text, "s").unwrap().time_off.len(), 1);
    }

    #[test]
    fn a_rotation_without_every_weeks_is_weekly() {
        let text = "[on_call]\nrotation = { first = \"2026-11-27\", start = \"fri 18:00\", end = \"mon 09:00\" }\n";
        let rotation = parse(text, "s").unwrap().on_call.rotation.unwrap();
        assert_eq!(rotation.every_weeks, 1);
    }
}

mod refusals {
    use super::*;

    /// The one refusal of `text`, as (line, key, reason).
    fn refused(text: &str) -> (usize, String, String) {
        let all = refused_all(text);
        assert_eq!(all.len(), 1, "expected one refusal, got {all:#?}");
        all.into_iter().next().unwrap()
    }

    fn refused_all(text: &str) -> Vec<(usize, String, String)> {
        let refusals = parse(text, "settings.toml").expect_err("the file should be refused");
        refusals
            .0
            .into_iter()
            .map(|r| {
                assert_eq!(r.file, "settings.toml");
                (r.line.expect("a line"), r.key, r.reason.en)
            })
            .collect()
    }

    fn is(line: usize, key: &str, reason: &str) -> (usize, String, String) {
        (line, key.to_string(), reason.to_string())
    }

    #[test]
    fn a_refusal_reads_file_line_key_and_reason() {
        let text = "timezone = \"Europe/Paris\"\n\n[hours]\nmon = [\"9h-18h\"]\n";
        let refusals = parse(text, "settings.toml").unwrap_err();
        assert_eq!(
            refusals.to_string(),
            "settings.toml:4: hours.mon: \"9h-18h\" is not HH:MM-HH:MM"
        );
    }

    #[test]
    fn issue_16_a_file_with_100_000_empty_keywords_is_refused_in_seconds_line_by_line() {
        // One keyword a line, each refused with its line: the lines are counted once.
        let keywords = "  \"\",\n".repeat(100_000);
        let text = format!("[crisis]\nkeywords = [\n{keywords}]\n");
        let started = std::time::Instant::now();
        let all = refused_all(&text);
        let took = started.elapsed();
        assert_eq!(all.len(), 100_000);
        assert_eq!(
            all[99_999],
            is(
                100_002,
                "crisis.keywords",
                "empty entry (it would match everything)"
            )
        );
        assert!(took < std::time::Duration::from_secs(10), "{took:?}");
    }

    #[test]
    fn a_toml_syntax_error_names_its_line() {
        let (line, key, reason) = refused("timezone = \"Europe/Paris\"\n[hours\nmon = []\n");
        assert_eq!((line, key.as_str()), (2, ""));
        assert!(reason.starts_with("not valid TOML: "), "{reason}");
    }

    #[test]
    fn a_duplicate_key_is_named() {
        let text = "[release]\nmode = \"digest\"\nmode = \"replay\"\n";
        assert_eq!(refused(text), is(3, "", "duplicate key \"mode\""));
    }

    #[test]
    fn an_unknown_top_level_key_is_named() {
        let (line, key, reason) = refused("timezone = \"UTC\"\n\ntimezon = \"UTC\"\n");
        assert_eq!((line, key.as_str()), (3, "timezon"));
        assert!(
            reason.starts_with("unknown key \"timezon\"; known keys: timezone, "),
            "{reason}"
        );
    }

    #[test]
    fn an_unknown_key_in_a_table_gives_its_dotted_path() {
        let (line, key, reason) = refused("[crisis]\npass = \"always\"\nkeyword = []\n");
        assert_eq!((line, key.as_str()), (3, "crisis.keyword"));
        assert!(reason.starts_with("unknown key \"keyword\""), "{reason}");
    }

    #[test]
    fn an_unknown_key_in_the_second_work_app_is_numbered_from_one() {
        let text = "[[work_apps]]\nname = \"a\"\napp = \"a\"\n\n[[work_apps]]\nname = \"b\"\napp = \"b\"\nhour = 3\n";
        let (line, key, reason) = refused(text);
        assert_eq!((line, key.as_str()), (8, "work_apps[2].hour"));
        assert!(reason.starts_with("unknown key \"hour\""), "{reason}");
    }

    #[test]
    fn an_unknown_key_inside_an_inline_table_on_a_later_line() {
        let text = "[on_call]\nshifts = [\n  { start = \"2026-11-27T18:00\", end = \"2026-11-30T09:00\" },\n  { start = \"2026-12-04T18:00\", stop = \"2026-12-07T09:00\" },\n]\n";
        let (line, key, reason) = refused(text);
        assert_eq!((line, key.as_str()), (4, "on_call.shifts[2].stop"));
        assert!(reason.starts_with("unknown key \"stop\""), "{reason}");
    }

    #[test]
    fn an_unknown_weekday_in_hours_lists_the_days() {
        assert_eq!(
            refused("[hours]\nmonday = [\"09:00-18:00\"]\n"),
            is(
                2,
                "hours.monday",
                "unknown weekday \"monday\"; the days are mon, tue, wed, thu, fri, sat, sun"
            )
        );
    }

    #[test]
    fn a_value_of_the_wrong_type_is_refused() {
        let (line, key, reason) = refused("[crisis]\ncritical_urgency = \"yes\"\n");
        assert_eq!((line, key.as_str()), (2, "crisis.critical_urgency"));
        assert!(reason.contains("expected a boolean"), "{reason}");
    }

    #[test]
    fn a_missing_key_names_its_table() {
        let text = "[[work_apps]]\nname = \"Slack\"\n";
        assert_eq!(
            refused(text),
            is(1, "work_apps[1].app", "missing key \"app\"")
        );
    }

    #[test]
    fn a_range_that_is_not_hh_mm_is_refused() {
        assert_eq!(
            refused("[hours]\nmon = [\"09:00-12:30\", \"9h-18h\"]\n"),
            is(2, "hours.mon", "\"9h-18h\" is not HH:MM-HH:MM")
        );
    }

    #[test]
    fn impossible_hours_and_minutes_are_refused() {
        let text = "[hours]\nmon = [\"25:00-26:00\"]\ntue = [\"09:60-18:00\"]\nwed = [\"24:00-08:00\"]\nthu = [\"08:00-24:00\"]\n";
        assert_eq!(
            refused_all(text),
            vec![
                is(
                    2,
                    "hours.mon",
                    "\"25:00-26:00\": 25:00 is not a time of day (00:00 to 23:59, or 24:00 as an end)"
                ),
                is(
                    3,
                    "hours.tue",
                    "\"09:60-18:00\": 09:60 is not a time of day (00:00 to 23:59, or 24:00 as an end)"
                ),
                is(4, "hours.wed", "\"24:00-08:00\": 24:00 is allowed only as an end"),
            ]
        );
    }

    #[test]
    fn a_range_with_equal_ends_is_refused() {
        assert_eq!(
            refused("[hours]\nfri = [\"09:00-09:00\"]\n"),
            is(
                2,
                "hours.fri",
                "\"09:00-09:00\" starts and ends at the same time"
            )
        );
    }

    #[test]
    fn an_unknown_time_zone_is_refused() {
        assert_eq!(
            refused("timezone = \"Europe/Pariss\"\n"),
            is(
                1,
                "timezone",
                "unknown time zone \"Europe/Pariss\" (an IANA name such as \"Europe/Paris\")"
            )
        );
    }

    #[test]
    fn an_unknown_holiday_calendar_says_which_are_known() {
        assert_eq!(
            refused("holidays = \"DE\"\n"),
            is(
                1,
                "holidays",
                "unknown holiday calendar \"DE\"; known: \"FR\""
            )
        );
    }

    #[test]
    fn a_bad_date_names_the_line_of_its_array_element() {
        let text =
            "extra_holidays = [\n  \"2026-05-29\",\n  \"2026-02-30\",\n  \"29/05/2026\",\n]\n";
        assert_eq!(
            refused_all(text),
            vec![
                is(
                    3,
                    "extra_holidays",
                    "\"2026-02-30\" is not a day of the calendar"
                ),
                is(
                    4,
                    "extra_holidays",
                    "\"29/05/2026\" is not a date (YYYY-MM-DD)"
                ),
            ]
        );
    }

    #[test]
    fn a_time_off_that_ends_before_it_starts_is_refused() {
        let text = "[[time_off]]\nstart = \"2026-12-24\"\nend = \"2026-12-20\"\nlabel = \"Noël\"\n";
        assert_eq!(
            refused(text),
            is(
                3,
                "time_off[1].end",
                "ends (2026-12-20) before it starts (2026-12-24)"
            )
        );
    }

    #[test]
    fn a_time_off_bound_with_a_utc_offset_is_refused() {
        let text = "[[time_off]]\nstart = 2026-12-24T14:00:00+01:00\nend = \"2026-12-26\"\n";
        let (line, key, reason) = refused(text);
        assert_eq!((line, key.as_str()), (2, "time_off[1].start"));
        assert!(reason.contains("has a UTC offset"), "{reason}");
    }

    #[test]
    fn an_unknown_off_hours_is_refused() {
        let text = "[[work_apps]]\nname = \"Slack\"\napp = \"slack\"\noff_hours = \"keep\"\n";
        assert_eq!(
            refused(text),
            is(
                4,
                "work_apps[1].off_hours",
                "\"keep\" is not one of \"hold\", \"drop\""
            )
        );
    }

    #[test]
    fn an_unknown_crisis_pass_is_refused() {
        assert_eq!(
            refused("[crisis]\npass = \"never\"\n"),
            is(
                2,
                "crisis.pass",
                "\"never\" is not one of \"always\", \"on_call\""
            )
        );
    }

    #[test]
    fn a_repeat_needs_two_notifications_and_some_minutes() {
        let text = "[crisis]\nrepeat = { count = 1,\n  minutes = 0 }\n";
        assert_eq!(
            refused_all(text),
            vec![
                is(2, "crisis.repeat.count", "count must be at least 2, not 1"),
                is(
                    3,
                    "crisis.repeat.minutes",
                    "minutes must be at least 1, not 0"
                ),
            ]
        );
    }

    #[test]
    fn a_rotation_every_zero_weeks_is_refused() {
        let text = "[on_call]\nrotation = { first = \"2026-11-27\", every_weeks = 0, start = \"fri 18:00\", end = \"mon 09:00\" }\n";
        assert_eq!(
            refused(text),
            is(
                2,
                "on_call.rotation.every_weeks",
                "every_weeks must be at least 1, not 0"
            )
        );
    }

    #[test]
    fn bad_week_times_are_refused() {
        let text = "[on_call.rotation]\nfirst = \"2026-11-27\"\nstart = \"friday 6pm\"\nend = \"lun 09:00\"\n";
        assert_eq!(
            refused_all(text),
            vec![
                is(
                    3,
                    "on_call.rotation.start",
                    "\"friday 6pm\" is not a day and a time like \"fri 18:00\""
                ),
                is(
                    4,
                    "on_call.rotation.end",
                    "\"lun 09:00\": \"lun\" is not a day (mon, tue, wed, thu, fri, sat, sun)"
                ),
            ]
        );
    }

    #[test]
    fn a_shift_that_does_not_end_after_it_starts_is_refused() {
        let text = "[on_call]\nshifts = [\n  { start = \"2026-11-27T18:00\", end = \"2026-11-30T09:00\" },\n  { start = \"2026-12-04T18:00\", end = \"2026-12-04T08:00\" },\n  { start = \"2026-12-11T18:00\", end = \"2026-12-11T18:00\" },\n]\n";
        assert_eq!(
            refused_all(text),
            vec![
                is(
                    4,
                    "on_call.shifts[2].end",
                    "ends (2026-12-04T08:00:00) before it starts (2026-12-04T18:00:00)"
                ),
                is(
                    5,
                    "on_call.shifts[3].end",
                    "starts and ends at the same time (2026-12-11T18:00:00)"
                ),
            ]
        );
    }

    #[test]
    fn an_unknown_release_mode_is_refused() {
        assert_eq!(
            refused("[release]\nmode = \"batch\"\n"),
            is(
                2,
                "release.mode",
                "\"batch\" is not one of \"digest\", \"replay\""
            )
        );
    }

    #[test]
    fn a_work_app_with_an_empty_name_or_app_is_refused_with_its_other_faults() {
        let text = "[[work_apps]]\nname = \"\"\napp = \"  \"\noff_hours = \"mute\"\n";
        assert_eq!(
            refused_all(text),
            vec![
                is(2, "work_apps[1].name", "empty name"),
                is(3, "work_apps[1].app", "empty app"),
                is(
                    4,
                    "work_apps[1].off_hours",
                    "\"mute\" is not one of \"hold\", \"drop\""
                ),
            ]
        );
    }

    #[test]
    fn work_sites_are_read_as_lowercase_hosts_once_each() {
        let s = parse(
            "[[work_apps]]\nname = \"Work sites\"\napp = \"chromium\"\nsites = [\"LinkedIn.com\", \"business.facebook.com.\", \"linkedin.com\", \"127.0.0.1\"]\n",
            "s",
        )
        .unwrap();
        assert_eq!(
            s.work_apps[0].sites,
            ["linkedin.com", "business.facebook.com", "127.0.0.1"]
        );
        let none = parse("[[work_apps]]\nname = \"Slack\"\napp = \"slack\"\n", "s").unwrap();
        assert!(none.work_apps[0].sites.is_empty());
    }

    #[test]
    fn a_bad_work_site_is_refused_saying_what_to_write_in_both_languages() {
        let text = "[[work_apps]]\nname = \"LinkedIn\"\napp = \"chromium\"\nsites = [\n  \"https://www.linkedin.com/feed\",\n  \"\",\n  \"linked in\",\n  \"*.facebook.com\",\n]\n";
        assert_eq!(
            refused_all(text),
            vec![
                is(
                    5,
                    "work_apps[1].sites",
                    "\"https://www.linkedin.com/feed\" is not a site as Couper wants it: write the host alone, www.linkedin.com (its subdomains are included)"
                ),
                is(
                    6,
                    "work_apps[1].sites",
                    "empty site (leave it out, or write a host such as \"linkedin.com\")"
                ),
                is(
                    7,
                    "work_apps[1].sites",
                    "\"linked in\" is not a site: write a host such as \"linkedin.com\" (its subdomains are included)"
                ),
                is(
                    8,
                    "work_apps[1].sites",
                    "\"*.facebook.com\" is not a site as Couper wants it: write the host alone, facebook.com (its subdomains are included)"
                ),
            ]
        );
        let refusals = parse(text, "settings.toml").unwrap_err();
        assert_eq!(
            refusals.0[2].reason.fr,
            "\"linked in\" n'est pas un site : écrivez un hôte comme « linkedin.com » (ses sous-domaines sont compris)"
        );
    }

    #[test]
    fn an_empty_display_command_is_refused() {
        let (line, key, reason) = refused("[display]\ncommand = []\n");
        assert_eq!((line, key.as_str()), (2, "display.command"));
        assert!(reason.starts_with("the command is empty"), "{reason}");
    }

    #[test]
    fn several_errors_are_reported_at_once_in_file_order() {
        let text = r#"timezone = "Mars/Olympus"

[hours]
mon = ["9h-18h"]
tue = ["09:00-18:00"]

[[work_apps]]
name = "Slack"
app = "slack"
off_hours = "later"

[crisis]
pass = "sometimes"

[release]
mode = "all"
"#;
        let refusals = parse(text, "settings.toml").unwrap_err();
        let lines: Vec<_> = refusals
            .0
            .iter()
            .map(|r| (r.line, r.key.as_str()))
            .collect();
        assert_eq!(
            lines,
            [
                (Some(1), "timezone"),
                (Some(4), "hours.mon"),
                (Some(10), "work_apps[1].off_hours"),
                (Some(13), "crisis.pass"),
                (Some(16), "release.mode"),
            ]
        );
        assert_eq!(refusals.to_string().lines().count(), 5);
    }
}

mod saving {
    use super::*;

    /// Every line of `before` that is not in `after`, and the reverse.
    fn changed_lines<'a>(before: &'a str, after: &'a str) -> (Vec<&'a str>, Vec<&'a str>) {
        let gone = before
            .lines()
            .filter(|l| !after.lines().any(|a| a == *l))
            .collect();
        let came = after
            .lines()
            .filter(|l| !before.lines().any(|b| b == *l))
            .collect();
        (gone, came)
    }

    #[test]
    fn a_fresh_file_reads_back_as_the_same_settings() {
        for settings in [example(), Settings::default()] {
            let text = to_toml(&settings, None);
            assert_eq!(parse(&text, "saved").unwrap(), settings, "{text}");
        }
    }

    #[test]
    fn a_fresh_file_has_the_spec_layout() {
        let text = to_toml(&example(), None);
        let headers: Vec<&str> = text.lines().filter(|l| l.starts_with('[')).collect();
        assert_eq!(
            headers,
            [
                "[hours]  # a missing day is a day off",
                "[[time_off]]",
                "[[work_apps]]",
                "[[work_apps]]",
                "[crisis]",
                "[on_call]",
                "[auto_reply]",
                "[release]",
                "[display]",
            ]
        );
        assert!(text
            .contains("shifts = [{ start = \"2026-11-27T18:00\", end = \"2026-11-30T09:00\" }]"));
        assert!(text.contains("start = \"fri 18:00\", end = \"mon 09:00\""));
    }

    #[test]
    fn saving_an_unchanged_file_changes_nothing() {
        assert_eq!(to_toml(&example(), Some(SPEC_EXAMPLE)), SPEC_EXAMPLE);
    }

    #[test]
    fn a_save_that_changes_one_value_keeps_comments_and_order() {
        let mut settings = example();
        settings.release.mode = ReleaseMode::Replay;
        let saved = to_toml(&settings, Some(SPEC_EXAMPLE));
        assert_eq!(
            changed_lines(SPEC_EXAMPLE, &saved),
            (
                vec!["mode = \"digest\"                        # digest (default) | replay"],
                vec!["mode = \"replay\"                        # digest (default) | replay"],
            )
        );
        assert_eq!(parse(&saved, "saved").unwrap(), settings);
    }

    #[test]
    fn a_value_written_differently_but_unchanged_is_kept_as_written() {
        let text = "# my settings\ntimezone = \"UTC\"\n\n[[work_apps]]\nname = \"Slack\"\napp = \"Slack\"  # as shown\n\n[[time_off]]\nstart = 2026-12-24\nend = 2026-12-26\n";
        let mut settings = parse(text, "s").unwrap();
        settings.crisis.keywords.push("crise".to_string());
        let saved = to_toml(&settings, Some(text));
        assert!(saved.starts_with(text), "{saved}");
        assert_eq!(parse(&saved, "saved").unwrap(), settings);
    }

    #[test]
    fn removing_a_work_app_keeps_the_comments_of_the_others() {
        let text = "[[work_apps]]  # chat\nname = \"Slack\"\napp = \"slack\"\n\n[[work_apps]]  # mail\nname = \"Mail\"\napp = \"thunderbird\"\n\n[[work_apps]]  # tickets\nname = \"Jira\"\napp = \"jira\"\n";
        let mut settings = parse(text, "s").unwrap();
        settings.work_apps.remove(1);
        let saved = to_toml(&settings, Some(text));
        assert_eq!(
            saved,
            "[[work_apps]]  # chat\nname = \"Slack\"\napp = \"slack\"\n\n[[work_apps]]  # tickets\nname = \"Jira\"\napp = \"jira\"\n"
        );
    }

    #[test]
    fn an_added_work_app_comes_after_the_others_and_before_the_next_table() {
        let mut settings = example();
        settings.work_apps.push(WorkApp {
            name: "Teams".to_string(),
            app: "teams".to_string(),
            account: None,
            sites: Vec::new(),
            off_hours: OffHours::Drop,
        });
        let saved = to_toml(&settings, Some(SPEC_EXAMPLE));
        let teams = saved.find("name = \"Teams\"").unwrap();
        assert!(saved.find("name = \"Gmail (work account)\"").unwrap() < teams);
        assert!(teams < saved.find("[crisis]").unwrap());
        assert_eq!(parse(&saved, "saved").unwrap(), settings);
    }

    #[test]
    fn a_new_table_is_appended_and_emptied_tables_keep_their_comments() {
        let text = "timezone = \"UTC\"\n\n[display]  # my daemon\ncommand = [\"dunst\"]\n";
        let mut settings = parse(text, "s").unwrap();
        settings.display.command = None;
        settings.on_call.calendar_match = Some("Gwen".to_string());
        let saved = to_toml(&settings, Some(text));
        assert!(saved.contains("[display]  # my daemon\n"), "{saved}");
        assert!(!saved.contains("dunst"), "{saved}");
        assert!(
            saved
                .trim_end()
                .ends_with("[on_call]\ncalendar_match = \"Gwen\""),
            "{saved}"
        );
        assert_eq!(parse(&saved, "saved").unwrap(), settings);
    }

    #[test]
    fn removed_keys_are_removed() {
        let mut settings = example();
        settings.holidays = None;
        settings.crisis.repeat = None;
        settings.on_call = Default::default();
        settings.auto_reply = Default::default();
        let saved = to_toml(&settings, Some(SPEC_EXAMPLE));
        assert!(!saved.contains("\nholidays = "), "{saved}");
        assert!(!saved.contains("repeat"), "{saved}");
        assert!(!saved.contains("shifts"), "{saved}");
        assert!(saved.contains("extra_holidays = [\"2026-05-29\"]       # optional"));
        assert_eq!(parse(&saved, "saved").unwrap(), settings);
    }

    #[test]
    fn a_file_that_does_not_validate_is_still_edited_in_place() {
        let text = "# keep me\ntimezone = \"Mars/Olympus\"\n[release]\nmode = \"digest\"  # note\n";
        let mut settings = Settings {
            timezone_name: "UTC".to_string(),
            timezone: jiff::tz::TimeZone::UTC,
            ..Settings::default()
        };
        settings.release.mode = ReleaseMode::Replay;
        let saved = to_toml(&settings, Some(text));
        assert!(
            saved.starts_with("# keep me\ntimezone = \"UTC\"\n"),
            "{saved}"
        );
        assert!(saved.contains("mode = \"replay\"  # note"), "{saved}");
        assert_eq!(parse(&saved, "saved").unwrap(), settings);
    }

    #[test]
    fn saving_over_one_file_reads_back_as_the_other() {
        let base = example();
        let mut variants = Vec::new();
        let mut s = base.clone();
        s.hours = WeeklyHours::office();
        variants.push(s);
        let mut s = base.clone();
        s.hours.days = Default::default();
        variants.push(s);
        let mut s = base.clone();
        s.work_apps.clear();
        s.time_off.clear();
        variants.push(s);
        let mut s = base.clone();
        s.work_apps.reverse();
        s.work_apps[0].account = None;
        s.work_apps[1].account = Some("x@example.org".to_string());
        variants.push(s);
        let mut s = base.clone();
        s.crisis.pass = CrisisPass::OnCall;
        s.crisis.critical_urgency = false;
        s.on_call.rotation = None;
        s.on_call.shifts.push(Shift {
            start: date(2026, 12, 4).at(18, 0, 30, 0),
            end: date(2026, 12, 7).at(9, 0, 0, 0),
        });
        variants.push(s);
        let mut s = base.clone();
        s.time_off.push(TimeOff {
            start: TimeOffBound::DateTime(date(2027, 2, 1).at(14, 0, 0, 0)),
            end: TimeOffBound::Date(date(2027, 2, 3)),
            label: Some("dentiste \"urgent\"".to_string()),
        });
        s.timezone_name = "America/New_York".to_string();
        s.timezone = jiff::tz::TimeZone::get("America/New_York").unwrap();
        variants.push(s);
        variants.push(Settings::default());

        for (i, variant) in variants.iter().enumerate() {
            for existing in [
                SPEC_EXAMPLE.to_string(),
                to_toml(&Settings::default(), None),
            ] {
                let saved = to_toml(variant, Some(&existing));
                assert_eq!(
                    parse(&saved, "saved").as_ref(),
                    Ok(variant),
                    "variant {i}:\n{saved}"
                );
                // And back again, over what was just saved.
                let back = to_toml(&base, Some(&saved));
                assert_eq!(
                    parse(&back, "back").as_ref(),
                    Ok(&base),
                    "variant {i} back:\n{back}"
                );
            }
        }
    }
}

mod files {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &std::path::Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn atomic_write_creates_private_dirs_and_a_0600_file() {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("config/couper/settings.toml");
        atomic_write(&path, b"timezone = \"UTC\"\n").unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "timezone = \"UTC\"\n"
        );
        assert_eq!(mode(&path), 0o600);
        assert_eq!(mode(path.parent().unwrap()), 0o700);
    }

    #[test]
    fn atomic_write_replaces_the_whole_file_and_leaves_no_temporary_file() {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("settings.toml");
        std::fs::write(&path, "x".repeat(100_000)).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        atomic_write(&path, b"short\n").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "short\n");
        assert_eq!(mode(&path), 0o600);
        let names: Vec<_> = std::fs::read_dir(temp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["settings.toml"]);
    }

    #[test]
    fn a_failed_atomic_write_leaves_the_old_file_whole() {
        let temp = tempfile::tempdir().unwrap();
        // The target is a non-empty directory: the rename fails after the bytes are written.
        let path = temp.path().join("settings.toml");
        std::fs::create_dir(&path).unwrap();
        std::fs::write(path.join("keep"), "old").unwrap();
        assert!(atomic_write(&path, b"new").is_err());
        assert_eq!(std::fs::read_to_string(path.join("keep")).unwrap(), "old");
        let names: Vec<_> = std::fs::read_dir(temp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["settings.toml"], "no temporary file left behind");
    }

    #[test]
    fn atomic_write_through_a_symlink_replaces_its_target() {
        let temp = tempfile::tempdir().unwrap();
        let target = temp.path().join("dotfiles/settings.toml");
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(&target, "old").unwrap();
        let link = temp.path().join("settings.toml");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        atomic_write(&link, b"new").unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
    }

    #[test]
    fn save_then_load_gives_the_same_settings() {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("settings.toml");
        std::fs::write(&path, SPEC_EXAMPLE).unwrap();
        let mut settings = settings::load(&path).unwrap();
        settings.crisis.keywords.push("urgent".to_string());
        settings::save(&path, &settings).unwrap();
        assert_eq!(settings::load(&path).unwrap(), settings);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("# events whose summary names this are my shifts"));
    }

    #[test]
    fn a_file_that_does_not_parse_is_refused_by_load() {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("settings.toml");
        std::fs::write(&path, "[hours]\nmon = [\"9h-18h\"]\n").unwrap();
        match settings::load(&path) {
            Err(LoadError::Refused(refusals)) => {
                assert_eq!(refusals.0.len(), 1);
                assert_eq!(refusals.0[0].line, Some(2));
                assert!(refusals
                    .to_string()
                    .starts_with(&format!("{}:2: hours.mon: ", path.display())));
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        // The file is left as the user wrote it.
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "[hours]\nmon = [\"9h-18h\"]\n"
        );
    }

    #[test]
    fn save_never_overwrites_a_file_that_does_not_validate() {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("settings.toml");
        let half_edited = "[hours]\nmon = [\"09:00-\"]\n";
        std::fs::write(&path, half_edited).unwrap();
        let error = settings::save(&path, &example()).unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidData);
        assert!(error.to_string().contains("hours.mon"), "{error}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), half_edited);
    }

    #[test]
    fn a_missing_file_loads_the_defaults() {
        let temp = tempfile::tempdir().unwrap();
        let settings = settings::load(&temp.path().join("absent.toml")).unwrap();
        assert_eq!(settings, Settings::default());
    }
}

/// Issue 16: a settings file that is a FIFO, a device or huge never blocks, never fills
/// the memory, and never stops Couper: the last good settings stay, and the refusal
/// says why.
mod hostile_files {
    use super::hostile::{in_time, make_fifo};
    use super::*;
    use couper::live::Live;
    use couper::store::Store;
    use std::path::Path;
    use std::time::Duration;

    const GOOD: &str = "timezone = \"Europe/Paris\"\n[crisis]\nkeywords = [\"panne\"]\n";

    fn dev_zero(path: &Path) {
        let _ = std::fs::remove_file(path);
        std::os::unix::fs::symlink("/dev/zero", path).unwrap();
    }

    /// A 5 MiB file of comments: valid TOML, over the 4 MiB cap.
    fn huge(path: &Path) {
        let line = format!("# {}\n", "x".repeat(1022));
        let _ = std::fs::remove_file(path);
        std::fs::write(path, format!("{GOOD}{}", line.repeat(5 * 1024))).unwrap();
    }

    type Make = fn(&Path);

    /// Ways a settings file cannot be read, and the reason given for each.
    const UNREADABLE: [(Make, &str); 3] = [
        (make_fifo, "it is a FIFO, not a regular file"),
        (dev_zero, "it is a device, not a regular file"),
        (huge, "it is larger than 4 MiB, the most Couper reads"),
    ];

    #[test]
    fn issue_16_load_refuses_a_fifo_a_device_and_a_huge_file_at_once() {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("settings.toml");
        for (make, reason) in UNREADABLE {
            make(&path);
            let loading = path.clone();
            let error = in_time("load", move || settings::load(&loading)).unwrap_err();
            assert!(matches!(error, LoadError::Read(_)), "{error:?}");
            let expected = format!("{}: cannot read: {reason}", path.display());
            assert_eq!(error.to_string(), expected);
            let saving = path.clone();
            let saved = in_time("save", move || {
                settings::save(&saving, &Settings::default())
            });
            assert!(saved.unwrap_err().to_string().contains(reason));
        }
    }

    #[test]
    fn issue_16_at_start_an_unreadable_file_starts_on_the_last_good_copy_and_says_why() {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("settings.toml");
        let store = temp.path().join("couper.sqlite3");
        std::fs::write(&path, GOOD).unwrap();
        let good = settings::load(&path).unwrap();
        drop(Live::open(&path, Store::open(&store).unwrap()).unwrap());
        for (make, reason) in UNREADABLE {
            make(&path);
            let (opening, store) = (path.clone(), store.clone());
            let (live, _outcomes) = in_time("Live::open", move || {
                Live::open(&opening, Store::open(&store).unwrap())
            })
            .unwrap_or_else(|e| panic!("{reason}: Couper does not start: {e}"));
            assert_eq!(live.settings(), good, "{reason}");
            let refused = live
                .status()
                .settings_refused
                .expect("the refusal is shown");
            assert!(refused.contains(reason), "{refused}");
        }
    }

    #[test]
    fn issue_16_without_a_good_copy_an_unreadable_file_still_stops_couper_run_with_the_reason() {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("settings.toml");
        make_fifo(&path);
        let store = Store::open(&temp.path().join("couper.sqlite3")).unwrap();
        let opening = path.clone();
        let error = in_time("Live::open", move || Live::open(&opening, store)).unwrap_err();
        assert!(
            error
                .to_string()
                .ends_with("it is a FIFO, not a regular file"),
            "{error}"
        );
    }

    #[test]
    fn issue_16_while_120_000_keywords_compile_every_notify_is_answered_within_a_second() {
        use couper::gate::{Gatekeeper, Verdict};
        use couper::notification::Notification;
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("settings.toml");
        // Never working time: a work notification is held unless it is a crisis.
        let base = "timezone = \"Europe/Paris\"\n[hours]\n\n[[work_apps]]\nname = \"Slack\"\napp = \"slack\"\n";
        std::fs::write(&path, format!("{base}[crisis]\nkeywords = [\"panne\"]\n")).unwrap();
        let store = Store::open(&temp.path().join("couper.sqlite3")).unwrap();
        let (live, _outcomes) = Live::open(&path, store).unwrap();
        let keywords: Vec<String> = (0..120_000).map(|i| format!("\"mot{i}\"")).collect();
        std::fs::write(
            &path,
            format!("{base}[crisis]\nkeywords = [{}]\n", keywords.join(", ")),
        )
        .unwrap();
        let slack = |body: &str| Notification {
            app: "slack".into(),
            summary: "Canal #prod".into(),
            body: body.into(),
            ..Default::default()
        };

        let reloading = live.clone();
        let started = std::time::Instant::now();
        let reload = std::thread::spawn(move || reloading.reload_settings());
        let mut answered = 0;
        let mut slowest = Duration::ZERO;
        while !reload.is_finished() {
            let asked = std::time::Instant::now();
            live.notify(None, 0, &slack("on en parle demain"));
            slowest = slowest.max(asked.elapsed());
            answered += 1;
        }
        reload.join().unwrap();
        let reloading = started.elapsed();
        // Compiled under the lock, one Notify would wait for most of the reload; beside
        // it, each waits a few milliseconds (the bound is the machine's load).
        eprintln!("slowest Notify {slowest:?} of {answered}, reload {reloading:?}");
        assert!(
            slowest * 4 < reloading,
            "a Notify waited {slowest:?} of a {reloading:?} reload"
        );
        assert!(answered > 1, "{answered} answered while compiling");
        // The new keywords are in force.
        assert_eq!(live.settings().crisis.keywords.len(), 120_000);
        let crisis = live.notify(None, 0, &slack("alerte mot119999 en prod"));
        assert_eq!(crisis.verdict, Verdict::DeliverCrisis);
        assert_eq!(live.notify(None, 0, &slack("panne")).verdict, Verdict::Hold);
    }

    #[test]
    fn issue_16_a_running_gate_refuses_a_fifo_or_dev_zero_and_keeps_its_settings() {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("settings.toml");
        std::fs::write(&path, GOOD).unwrap();
        let store = Store::open(&temp.path().join("couper.sqlite3")).unwrap();
        let (live, _outcomes) = Live::open(&path, store).unwrap();
        let good = live.settings();
        for (make, reason) in UNREADABLE {
            make(&path);
            let reloading = live.clone();
            in_time("reload_settings", move || reloading.reload_settings());
            assert_eq!(live.settings(), good);
            let refused = live
                .status()
                .settings_refused
                .expect("the refusal is shown");
            assert!(refused.contains(reason), "{refused}");
        }
        // A good file again: read, and the refusal is gone.
        std::fs::remove_file(&path).unwrap();
        std::fs::write(&path, GOOD.replace("panne", "crise")).unwrap();
        live.reload_settings();
        assert_eq!(live.settings().crisis.keywords, ["crise"]);
        assert_eq!(live.status().settings_refused, None);
    }
}

mod round_trip {
    use super::*;
    use couper::settings::{
        AutoReply, CrisisSettings, DisplaySettings, OnCallSettings, ReleaseSettings,
    };
    use jiff::civil::{Date, DateTime};
    use proptest::collection::vec;
    use proptest::prelude::*;

    fn a_date() -> impl Strategy<Value = Date> {
        (2025i16..2029, 1i8..=12, 1i8..=28).prop_map(|(y, m, d)| date(y, m, d))
    }

    fn a_datetime() -> impl Strategy<Value = DateTime> {
        (a_date(), 0i8..24, 0i8..60, prop_oneof![Just(0i8), 0i8..60])
            .prop_map(|(d, h, m, s)| d.at(h, m, s, 0))
    }

    fn a_weekday() -> impl Strategy<Value = Weekday> {
        (0i8..7).prop_map(|i| Weekday::from_monday_zero_offset(i).unwrap())
    }

    fn a_week_time() -> impl Strategy<Value = WeekTime> {
        (a_weekday(), 0i8..24, 0i8..60).prop_map(|(weekday, h, m)| WeekTime {
            weekday,
            time: time(h, m, 0, 0),
        })
    }

    fn a_range() -> impl Strategy<Value = DayRange> {
        (0u16..1440, 1u16..=1440)
            .prop_filter("ends differ", |(s, e)| s != e)
            .prop_map(|(start, end)| DayRange { start, end })
    }

    fn text() -> impl Strategy<Value = String> {
        "[A-Za-z0-9 \"'#é{}\\\\-]{1,10}".prop_filter("not blank", |s| !s.trim().is_empty())
    }

    fn a_bound(day: Date, with_time: bool) -> TimeOffBound {
        if with_time {
            TimeOffBound::DateTime(day.at(14, 30, 0, 0))
        } else {
            TimeOffBound::Date(day)
        }
    }

    fn a_time_off() -> impl Strategy<Value = TimeOff> {
        (
            a_date(),
            0i32..20,
            any::<bool>(),
            any::<bool>(),
            proptest::option::of(text()),
        )
            .prop_map(|(start, days, start_time, end_time, label)| {
                let end = start.checked_add(jiff::Span::new().days(days + 1)).unwrap();
                TimeOff {
                    start: a_bound(start, start_time),
                    end: a_bound(end, end_time),
                    label,
                }
            })
    }

    /// A site as the parser keeps it: a lowercase host, subdomains and IPs included.
    fn a_site() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?){0,3}",
            Just("127.0.0.1".to_string()),
            Just("business.facebook.com".to_string()),
            Just("bücher.example".to_string()),
        ]
    }

    fn a_work_app() -> impl Strategy<Value = WorkApp> {
        (
            text(),
            "[a-z][a-z.-]{0,8}",
            proptest::option::of(text()),
            proptest::collection::btree_set(a_site(), 0..3),
            any::<bool>(),
        )
            .prop_map(|(name, app, account, sites, drop)| WorkApp {
                name,
                app,
                account,
                sites: sites.into_iter().collect(),
                off_hours: if drop { OffHours::Drop } else { OffHours::Hold },
            })
    }

    fn some_settings() -> impl Strategy<Value = Settings> {
        let zones = prop_oneof![
            Just("UTC"),
            Just("Europe/Paris"),
            Just("America/New_York"),
            Just("Asia/Tokyo")
        ];
        let first = (
            zones,
            any::<bool>(),
            vec(a_date(), 0..3),
            proptest::array::uniform7(vec(a_range(), 0..3)),
            vec(a_time_off(), 0..3),
            vec(a_work_app(), 0..4),
        );
        let crisis = (
            any::<bool>(),
            any::<bool>(),
            vec(text(), 0..3),
            vec(text(), 0..2),
            proptest::option::of((2u32..10, 1u32..120)),
        )
            .prop_map(|(on_call, critical_urgency, keywords, senders, repeat)| {
                CrisisSettings {
                    pass: if on_call {
                        CrisisPass::OnCall
                    } else {
                        CrisisPass::Always
                    },
                    critical_urgency,
                    keywords,
                    senders,
                    repeat: repeat.map(|(count, minutes)| Repeat { count, minutes }),
                }
            });
        let on_call = (
            vec((a_datetime(), 1i64..100), 0..3),
            proptest::option::of((a_date(), 1u32..5, a_week_time(), a_week_time())),
            proptest::option::of(text()),
            proptest::option::of(text()),
        )
            .prop_map(
                |(shifts, rotation, calendar, calendar_match)| OnCallSettings {
                    shifts: shifts
                        .into_iter()
                        .map(|(start, hours)| Shift {
                            start,
                            end: start.checked_add(jiff::Span::new().hours(hours)).unwrap(),
                        })
                        .collect(),
                    rotation: rotation.map(|(first, every_weeks, start, end)| Rotation {
                        first,
                        every_weeks,
                        start,
                        end,
                    }),
                    calendar,
                    calendar_match,
                },
            );
        let rest = (
            proptest::option::of(".{0,12}"),
            proptest::option::of(".{0,12}"),
            any::<bool>(),
            proptest::option::of(vec(text(), 1..3)),
            proptest::option::of(prop_oneof![
                Just(couper::words::Lang::En),
                Just(couper::words::Lang::Fr)
            ]),
        );
        (first, crisis, on_call, rest).prop_map(
            |(
                (zone, france, extra_holidays, days, time_off, work_apps),
                crisis,
                on_call,
                (fr, en, replay, command, language),
            )| {
                Settings {
                    timezone_name: zone.to_string(),
                    timezone: jiff::tz::TimeZone::get(zone).unwrap(),
                    holidays: france.then_some(HolidayCalendar::France),
                    extra_holidays,
                    hours: WeeklyHours { days },
                    time_off,
                    work_apps,
                    crisis,
                    on_call,
                    auto_reply: AutoReply { fr, en },
                    release: ReleaseSettings {
                        mode: if replay {
                            ReleaseMode::Replay
                        } else {
                            ReleaseMode::Digest
                        },
                    },
                    display: DisplaySettings { command },
                    language,
                }
            },
        )
    }

    proptest! {
        #[test]
        fn what_is_saved_reads_back_the_same(a in some_settings(), b in some_settings()) {
            let fresh = to_toml(&a, None);
            prop_assert_eq!(parse(&fresh, "fresh"), Ok(a), "{}", fresh);
            let over = to_toml(&b, Some(&fresh));
            prop_assert_eq!(parse(&over, "over"), Ok(b.clone()), "{}", over);
            let over_spec = to_toml(&b, Some(SPEC_EXAMPLE));
            prop_assert_eq!(parse(&over_spec, "spec"), Ok(b.clone()), "{}", over_spec);
            prop_assert_eq!(to_toml(&b, Some(&over)), over);
        }
    }
}

/// Issue 16 on a real bus with real dunst: `couper run` while its settings file turns
/// hostile. Throughout, an app's `Notify` and the status are answered within a second,
/// and the gate's resident memory stays under 100 MiB.
mod hostile_gate {
    use super::hostile::make_fifo;
    use super::probe::{resident_mib, stops_on_sigterm, Probe};
    use super::session::{eventually, settings, Session, ALWAYS, NEVER};
    use serde_json::Value;
    use std::time::Duration;

    const MEMORY_MIB: u64 = 100;

    /// Waits until the gate's status says the settings are refused for `reason`.
    async fn refused_for(s: &Session, reason: &str) {
        eventually(&format!("the refusal says {reason:?}"), || async {
            let status = s.status().await;
            let refused = status["settings_refused"].as_str()?.to_string();
            refused.contains(reason).then_some(())
        })
        .await;
    }

    /// `couper run` with working time `hours`, its settings text, and a probe on it.
    async fn probed_gate(hours: &str) -> (Session, String, Probe) {
        let mut s = Session::new(|d| settings(d, hours, "")).await;
        let good = std::fs::read_to_string(&s.settings).unwrap();
        s.start().await;
        let probe = Probe::start(s.desk.session_bus()).await;
        (s, good, probe)
    }

    fn replace_with_symlink_to_dev_zero(path: &std::path::Path) {
        let link = path.with_extension("link");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        std::fs::rename(&link, path).unwrap();
    }

    #[tokio::test]
    async fn issue_16_couper_run_keeps_answering_when_its_settings_become_a_fifo_or_dev_zero() {
        let (mut s, good, probe) = probed_gate(ALWAYS).await;

        // A FIFO where the file was: refused at once, nobody writes to it.
        std::fs::remove_file(&s.settings).unwrap();
        make_fifo(&s.settings);
        refused_for(&s, "it is a FIFO, not a regular file").await;
        // A symlink to /dev/zero: refused, no memory taken.
        replace_with_symlink_to_dev_zero(&s.settings);
        refused_for(&s, "it is a device, not a regular file").await;
        let resident = resident_mib(s.gate_pid());

        // The good file back: in force again, the refusal gone.
        s.edit_settings(&good.replace("bad buzz", "panne serveur"));
        eventually("the good file is read again", || async {
            s.status().await["settings_refused"].is_null().then_some(())
        })
        .await;
        let seen = probe.finish().await;
        eprintln!("FIGURE settings FIFO and /dev/zero: {seen:?}, {resident} MiB resident");
        assert!(seen.slowest < Duration::from_secs(1), "{seen:?}");
        assert!(seen.answered > 0, "{seen:?}");
        assert!(resident < MEMORY_MIB, "{resident} MiB resident");

        // SIGTERM: the gate stops.
        stops_on_sigterm(&mut s.gate.as_mut().unwrap().process).await;
    }

    #[tokio::test]
    async fn issue_16_couper_run_starts_on_the_last_good_settings_when_the_file_is_a_fifo() {
        let mut s = Session::new(|d| settings(d, ALWAYS, "")).await;
        s.start().await;
        stops_on_sigterm(&mut s.gate.take().unwrap().process).await;

        std::fs::remove_file(&s.settings).unwrap();
        make_fifo(&s.settings);
        s.start().await;
        let status = s.status().await;
        let refused = status["settings_refused"].as_str().unwrap_or_default();
        assert!(
            refused.ends_with("cannot read: it is a FIFO, not a regular file"),
            "{status}"
        );
        let text = s.ok(&["status"]).await;
        assert!(text.contains("it is a FIFO, not a regular file"), "{text}");
        // Couper says once that it refused the file.
        s.dunst().wait_displayed(1).await;
        // The last good settings are in force: Slack is a work app, working time always.
        s.slack("Réunion", "à 15 h").await;
        s.personal("perso", 3).await;
    }

    #[tokio::test]
    async fn issue_16_120_000_keywords_saved_while_running_take_effect_and_notify_waits_for_none() {
        let (s, good, probe) = probed_gate(NEVER).await;

        let keywords: Vec<String> = (0..120_000).map(|i| format!("\"mot{i}\"")).collect();
        let long = good.replace("\"bad buzz\"", &keywords.join(", "));
        assert!(long.len() > 1_400_000);
        s.edit_settings(&long);
        let conn = s.app_connection().await;
        let control = couper::control::CouperProxy::new(&conn).await.unwrap();
        eventually("the 120,000 keywords are in force", || async {
            let view: Value = serde_json::from_str(&control.settings().await.ok()?).ok()?;
            let keywords = view["form"]["crisis"]["keywords"].as_array()?.len();
            (keywords == 120_000).then_some(())
        })
        .await;
        let seen = probe.finish().await;
        let resident = resident_mib(s.gate_pid());
        eprintln!("FIGURE 120,000 keywords saved: {seen:?}, {resident} MiB resident");

        // Outside working time, Slack is held unless it names a keyword.
        s.slack("Canal #prod", "alerte mot119999 en prod").await;
        // The probe's notifications are shown too: close them until the crisis comes.
        eventually("dunst shows the crisis", || async {
            s.dunst().close_all().await;
            let shown = s.dunst().history().await;
            shown
                .iter()
                .any(|n| {
                    n.message
                        .starts_with("CRITICAL Canal #prod|alerte mot119999")
                })
                .then_some(())
        })
        .await;
        assert!(s.held().await.is_empty());
        assert!(seen.slowest < Duration::from_secs(1), "{seen:?}");
        assert!(resident < 2 * MEMORY_MIB, "{resident} MiB resident");
    }
}
