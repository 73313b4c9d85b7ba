//! Engine behaviour, on real zones and a virtual clock.

use super::*;
use crate::notification::HintValue;
use crate::settings::{
    CrisisSettings, DayRange, OnCallSettings, Repeat, Settings, TimeOff, TimeOffBound, WeeklyHours,
    WorkApp,
};
use crate::words::Lang;
use jiff::tz::TimeZone;

fn paris() -> TimeZone {
    TimeZone::get("Europe/Paris").unwrap()
}

/// Paris local time "2026-11-30 09:00" as an instant.
fn at(local: &str) -> Timestamp {
    let dt: jiff::civil::DateTime = local.parse().unwrap();
    dt.to_zoned_datetime(paris()).unwrap().timestamp()
}

fn range(s: &str) -> DayRange {
    let (a, b) = s.split_once('-').unwrap();
    let m = |t: &str| {
        let (h, m) = t.split_once(':').unwrap();
        h.parse::<u16>().unwrap() * 60 + m.parse::<u16>().unwrap()
    };
    DayRange {
        start: m(a),
        end: m(b),
    }
}

fn settings() -> Settings {
    let mut hours = WeeklyHours::default();
    hours.days[0] = vec![range("09:00-12:30"), range("13:30-18:00")];
    for d in 1..4 {
        hours.days[d] = vec![range("09:00-18:00")];
    }
    hours.days[4] = vec![range("09:00-17:00")];
    Settings {
        timezone_name: "Europe/Paris".into(),
        timezone: paris(),
        hours,
        work_apps: vec![
            WorkApp {
                name: "Slack".into(),
                app: "slack".into(),
                account: None,
                sites: Vec::new(),
                off_hours: OffHours::Hold,
            },
            WorkApp {
                name: "LinkedIn".into(),
                app: "linkedin".into(),
                account: None,
                sites: Vec::new(),
                off_hours: OffHours::Drop,
            },
        ],
        crisis: CrisisSettings {
            keywords: vec!["crise".into(), "bad buzz".into()],
            ..CrisisSettings::default()
        },
        ..Settings::default()
    }
}

fn slack(summary: &str, body: &str) -> Notification {
    Notification {
        app: "Slack".into(),
        summary: summary.into(),
        body: body.into(),
        hints: [("desktop-entry".to_string(), HintValue::Str("slack".into()))].into(),
        ..Default::default()
    }
}

fn notify(e: &mut Engine, id: u32, n: &Notification, now: Timestamp) -> (Decision, Vec<Effect>) {
    let effects = e.handle(
        Event::Notify {
            id,
            notification: n,
            replacing: false,
        },
        now,
    );
    let decision = effects
        .iter()
        .find_map(|f| match f {
            Effect::Decided(d) => Some(d.clone()),
            _ => None,
        })
        .unwrap();
    (decision, effects)
}

fn releases(effects: &[Effect]) -> Vec<(Timestamp, Vec<u32>)> {
    effects
        .iter()
        .filter_map(|f| match f {
            Effect::Released(r) => Some((r.at, r.ids.clone())),
            _ => None,
        })
        .collect()
}

fn engine(settings: &Settings, now: Timestamp) -> Engine {
    Engine::new(settings, Mode::Auto, false, [], now)
}

#[test]
fn work_app_in_hours_is_delivered_and_personal_app_always() {
    let s = settings();
    let mut e = engine(&s, at("2026-11-30T10:00"));
    let (d, _) = notify(
        &mut e,
        1,
        &slack("Bryan", "On publie ?"),
        at("2026-11-30T10:00"),
    );
    assert_eq!(d.action, Action::Deliver);
    assert!(
        e.reason(&d, Lang::En).contains("within your hours"),
        "{}",
        e.reason(&d, Lang::En)
    );
    let whatsapp = Notification {
        app: "WhatsApp".into(),
        summary: "Maman".into(),
        ..Default::default()
    };
    let (d, _) = notify(&mut e, 2, &whatsapp, at("2026-11-28T22:00"));
    assert_eq!(d.action, Action::Deliver);
    assert_eq!(d.source, None);
    assert_eq!(
        e.reason(&d, Lang::En),
        "delivered: WhatsApp is not a work app"
    );
}

#[test]
fn saturday_night_is_held_until_monday_and_released_exactly_once() {
    let s = settings();
    let mut e = engine(&s, at("2026-11-28T21:00"));
    let (d, _) = notify(
        &mut e,
        1,
        &slack("Bryan", "On publie ?"),
        at("2026-11-28T21:04"),
    );
    assert_eq!(d.action, Action::Hold);
    assert_eq!(d.until, Some(at("2026-11-30T09:00")));
    assert_eq!(
        e.reason(&d, Lang::En),
        "held: Slack is a work app and Saturday 21:04 is outside your hours; delivered Monday 09:00"
    );
    // Nothing before its time.
    assert!(releases(&e.handle(Event::Tick, at("2026-11-30T08:59"))).is_empty());
    assert_eq!(e.next_wake(), Some(at("2026-11-30T09:00")));
    // A jump past the start releases at the start itself.
    let r = releases(&e.handle(Event::Tick, at("2026-11-30T11:00")));
    assert_eq!(r, vec![(at("2026-11-30T09:00"), vec![1])]);
    assert!(releases(&e.handle(Event::Tick, at("2026-12-01T11:00"))).is_empty());
}

#[test]
fn off_at_11_lasts_until_next_work_day() {
    let s = settings();
    for when in ["2026-11-30T11:00", "2026-11-30T16:00", "2026-11-30T08:00"] {
        let mut e = engine(&s, at(when));
        e.handle(Event::Mode(ModeRequest::Off { until: None }), at(when));
        let state = e.state();
        assert!(!state.working, "{when}");
        assert_eq!(
            state.mode,
            Mode::Off {
                since: at(when),
                until: Some(at("2026-12-01T09:00")),
                explicit: false
            },
            "off said {when}"
        );
        // Monday 14:00 is inside the hours but off: held.
        let (d, _) = notify(
            &mut e,
            1,
            &slack("Bryan", "?"),
            at("2026-11-30T18:30").max(at(when)),
        );
        assert_eq!(d.action, Action::Hold);
        assert_eq!(d.until, Some(at("2026-12-01T09:00")));
        let effects = e.handle(Event::Tick, at("2026-12-01T09:00"));
        assert_eq!(releases(&effects), vec![(at("2026-12-01T09:00"), vec![1])]);
        assert_eq!(e.state().mode, Mode::Auto);
    }
}

#[test]
fn off_during_a_lunch_break_still_means_the_rest_of_the_day() {
    let s = settings();
    let mut e = engine(&s, at("2026-11-30T12:45"));
    e.handle(
        Event::Mode(ModeRequest::Off { until: None }),
        at("2026-11-30T12:45"),
    );
    assert!(!e.state().working);
    e.handle(Event::Tick, at("2026-11-30T13:30"));
    assert!(!e.state().working, "13:30 must stay off");
}

#[test]
fn on_releases_at_once_and_ends_after_an_hour() {
    let s = settings();
    let mut e = engine(&s, at("2026-11-28T20:00"));
    notify(&mut e, 1, &slack("a", "b"), at("2026-11-28T20:00"));
    notify(&mut e, 2, &slack("c", "d"), at("2026-11-28T20:01"));
    let effects = e.handle(
        Event::Mode(ModeRequest::On { until: None }),
        at("2026-11-28T21:00"),
    );
    assert_eq!(
        releases(&effects),
        vec![(at("2026-11-28T21:00"), vec![1, 2])]
    );
    assert!(e.state().working);
    let (d, _) = notify(&mut e, 3, &slack("e", "f"), at("2026-11-28T21:30"));
    assert_eq!(d.action, Action::Deliver);
    assert!(e
        .reason(&d, Lang::En)
        .contains("you said you are working until 22:00"));
    let (d, _) = notify(&mut e, 4, &slack("g", "h"), at("2026-11-28T22:00"));
    assert_eq!(d.action, Action::Hold, "on lasts one hour");
    assert_eq!(e.state().mode, Mode::Auto);
}

#[test]
fn the_tray_toggle_sets_off_in_hours_and_on_outside() {
    let s = settings();
    let mut e = engine(&s, at("2026-11-30T10:00"));
    e.handle(Event::Mode(ModeRequest::Toggle), at("2026-11-30T10:00"));
    assert!(matches!(e.state().mode, Mode::Off { .. }));
    assert!(!e.state().working);
    e.handle(Event::Mode(ModeRequest::Toggle), at("2026-11-30T10:05"));
    assert!(matches!(e.state().mode, Mode::On { .. }));
    assert!(e.state().working);
}

#[test]
fn crises_pass_always_or_only_on_call() {
    let mut s = settings();
    let mut e = engine(&s, at("2026-11-28T21:00"));
    let (d, _) = notify(
        &mut e,
        1,
        &slack("Client", "C'est la CRISÉ totale"),
        at("2026-11-28T21:00"),
    );
    assert_eq!(d.action, Action::DeliverCrisis, "accents and case fold");
    let (d, _) = notify(
        &mut e,
        2,
        &slack("Client", "Un bad buzz sur la page"),
        at("2026-11-28T21:01"),
    );
    assert_eq!(d.action, Action::DeliverCrisis);
    assert_eq!(d.crisis, Some(CrisisWhy::Keyword("bad buzz".into())));

    s.crisis.pass = CrisisPass::OnCall;
    let mut e = engine(&s, at("2026-11-28T21:00"));
    let (d, _) = notify(
        &mut e,
        1,
        &slack("Client", "bad buzz"),
        at("2026-11-28T21:00"),
    );
    assert_eq!(d.action, Action::Hold);
    assert!(d.crisis.is_some(), "recognised, not let through");
    assert!(
        e.reason(&d, Lang::En).contains("only on call"),
        "{}",
        e.reason(&d, Lang::En)
    );
    e.handle(Event::OnCall(OnCallRequest::On), at("2026-11-28T21:05"));
    let (d, _) = notify(
        &mut e,
        2,
        &slack("Client", "bad buzz"),
        at("2026-11-28T21:06"),
    );
    assert_eq!(d.action, Action::DeliverCrisis);
    assert!(
        e.reason(&d, Lang::En).contains("you are on call"),
        "{}",
        e.reason(&d, Lang::En)
    );
}

#[test]
fn critical_urgency_and_the_hint_are_crises() {
    let s = settings();
    let mut e = engine(&s, at("2026-11-28T21:00"));
    let mut n = slack("Ops", "server down");
    n.urgency = Urgency::Critical;
    let (d, _) = notify(&mut e, 1, &n, at("2026-11-28T21:00"));
    assert_eq!(d.crisis, Some(CrisisWhy::Critical));
    let mut n = slack("Ops", "server down");
    n.hints
        .insert("x-couper-crisis".into(), HintValue::Bool(true));
    let (d, _) = notify(&mut e, 2, &n, at("2026-11-28T21:00"));
    assert_eq!(d.crisis, Some(CrisisWhy::Hint));
}

#[test]
fn a_browsers_critical_urgency_is_not_a_crisis_its_page_text_is_matched_as_read() {
    let mut s = settings();
    s.work_apps.push(WorkApp {
        name: "R&D mail".into(),
        app: "firefox".into(),
        account: Some("R&D".into()),
        sites: Vec::new(),
        off_hours: OffHours::Hold,
    });
    s.work_apps.push(WorkApp {
        name: "LinkedIn page".into(),
        app: "chromium".into(),
        account: None,
        sites: Vec::new(),
        off_hours: OffHours::Hold,
    });
    let saturday = at("2026-11-28T21:00");
    let mut e = engine(&s, saturday);
    // Chromium makes a page's requireInteraction critical: held, not let through.
    let mut page = Notification {
        app: "Chromium".into(),
        summary: "LinkedIn".into(),
        body: "<a href=\"https://www.linkedin.com/\">www.linkedin.com</a>\n\nNew message".into(),
        urgency: Urgency::Critical,
        hints: [(
            "desktop-entry".to_string(),
            HintValue::Str("chromium".into()),
        )]
        .into(),
        ..Default::default()
    };
    let (d, _) = notify(&mut e, 1, &page, saturday);
    assert_eq!((d.action, d.crisis), (Action::Hold, None));
    // A keyword in its text still is one, markup or not.
    page.body = "<b>Bad&nbsp;buzz</b> on the page".into();
    let (d, _) = notify(&mut e, 2, &page, saturday);
    assert_eq!(d.crisis, Some(CrisisWhy::Keyword("bad buzz".into())));
    // Firefox escapes `&` when the daemon reads markup: the account is matched as read.
    let mail = |body: &str| Notification {
        app: "Firefox".into(),
        summary: "Mail".into(),
        body: body.into(),
        ..Default::default()
    };
    let (d, _) = notify(&mut e, 3, &mail("to the R&amp;D team"), saturday);
    assert_eq!(d.source.as_deref(), Some("R&D mail"));
    let (d, _) = notify(&mut e, 4, &mail("to the family"), saturday);
    assert_eq!(d.action, Action::Deliver);
    assert_eq!(
        e.reason(&d, Lang::En),
        "delivered: Firefox is a work app, but not for this account"
    );
    // Any other app's critical urgency still is a crisis.
    let mut ops = slack("Ops", "server down");
    ops.urgency = Urgency::Critical;
    assert_eq!(
        notify(&mut e, 5, &ops, saturday).0.crisis,
        Some(CrisisWhy::Critical)
    );
}

#[test]
fn scheduled_shift_makes_on_call() {
    let mut s = settings();
    s.crisis.pass = CrisisPass::OnCall;
    s.on_call = OnCallSettings {
        shifts: vec![crate::settings::Shift {
            start: "2026-11-27T18:00".parse().unwrap(),
            end: "2026-11-30T09:00".parse().unwrap(),
        }],
        ..OnCallSettings::default()
    };
    let mut e = engine(&s, at("2026-11-28T21:00"));
    let (d, _) = notify(&mut e, 1, &slack("Client", "crise"), at("2026-11-28T21:00"));
    assert_eq!(d.action, Action::DeliverCrisis);
    assert!(d.on_call);
    let (d, _) = notify(&mut e, 2, &slack("Client", "crise"), at("2026-12-05T21:00"));
    assert_eq!(d.action, Action::Hold);
}

#[test]
fn repeat_sender_reaching_the_count_is_a_crisis() {
    let mut s = settings();
    s.crisis.repeat = Some(Repeat {
        count: 3,
        minutes: 10,
    });
    let mut e = engine(&s, at("2026-11-28T21:00"));
    let n = slack("Bryan", "tu es là ?");
    assert_eq!(
        notify(&mut e, 1, &n, at("2026-11-28T21:00")).0.action,
        Action::Hold
    );
    assert_eq!(
        notify(&mut e, 2, &n, at("2026-11-28T21:04")).0.action,
        Action::Hold
    );
    let (d, _) = notify(&mut e, 3, &n, at("2026-11-28T21:09"));
    assert_eq!(d.action, Action::DeliverCrisis);
    assert!(matches!(d.crisis, Some(CrisisWhy::Repeat { count: 3, .. })));
    // Outside the window it starts again.
    assert_eq!(
        notify(&mut e, 4, &n, at("2026-11-28T22:00")).0.action,
        Action::Hold
    );
}

#[test]
fn silenced_source_is_dropped_off_hours() {
    let s = settings();
    let mut e = engine(&s, at("2026-11-28T21:00"));
    let n = Notification {
        app: "LinkedIn".into(),
        summary: "Nouveau commentaire".into(),
        ..Default::default()
    };
    let (d, _) = notify(&mut e, 1, &n, at("2026-11-28T21:00"));
    assert_eq!(d.action, Action::Drop);
    assert!(e.reason(&d, Lang::En).starts_with("silenced: LinkedIn"));
    assert_eq!(e.state().held, 0);
}

#[test]
fn a_withdrawn_held_notification_is_never_released() {
    let s = settings();
    let mut e = engine(&s, at("2026-11-28T21:00"));
    notify(&mut e, 1, &slack("a", "b"), at("2026-11-28T21:00"));
    notify(&mut e, 2, &slack("c", "d"), at("2026-11-28T21:00"));
    let effects = e.handle(Event::Close { id: 1 }, at("2026-11-28T21:10"));
    assert_eq!(effects, vec![Effect::Withdrawn { id: 1 }]);
    let effects = e.handle(Event::Close { id: 7 }, at("2026-11-28T21:10"));
    assert_eq!(effects, vec![Effect::Close { id: 7 }]);
    let r = releases(&e.handle(Event::Tick, at("2026-11-30T09:00")));
    assert_eq!(r, vec![(at("2026-11-30T09:00"), vec![2])]);
}

#[test]
fn a_replacement_of_a_held_one_keeps_its_place() {
    let s = settings();
    let mut e = engine(&s, at("2026-11-28T21:00"));
    notify(&mut e, 1, &slack("a", "b"), at("2026-11-28T21:00"));
    notify(&mut e, 2, &slack("c", "d"), at("2026-11-28T21:01"));
    let effects = e.handle(
        Event::Notify {
            id: 1,
            notification: &slack("a", "b edited"),
            replacing: true,
        },
        at("2026-11-28T21:10"),
    );
    assert!(matches!(&effects[0], Effect::Decided(d) if d.action == Action::Hold && d.id == 1));
    assert_eq!(e.held().collect::<Vec<_>>(), vec![1, 2]);
    // A replacement that is now a crisis leaves the queue and is shown.
    let effects = e.handle(
        Event::Notify {
            id: 2,
            notification: &slack("c", "crise !"),
            replacing: true,
        },
        at("2026-11-28T21:11"),
    );
    assert!(matches!(&effects[0], Effect::Decided(d) if d.action == Action::DeliverCrisis));
    assert_eq!(e.held().collect::<Vec<_>>(), vec![1]);
}

#[test]
fn off_with_hours_around_the_clock_lasts_until_the_schedule_changes() {
    let mut s = settings();
    s.hours = WeeklyHours {
        days: std::array::from_fn(|_| vec![range("00:00-24:00")]),
    };
    let mut e = engine(&s, at("2026-11-28T21:00"));
    assert!(e.state().working);
    e.handle(
        Event::Mode(ModeRequest::Off { until: None }),
        at("2026-11-28T21:00"),
    );
    assert!(matches!(e.state().mode, Mode::Off { until: None, .. }));
    let (d, _) = notify(&mut e, 1, &slack("a", "b"), at("2026-11-28T21:01"));
    assert_eq!(d.action, Action::Hold);
    assert_eq!(d.until, None);
    assert!(e
        .reason(&d, Lang::En)
        .ends_with("delivered when you are back at work"));
    // The user changes the hours: off now ends at the next work day's start.
    let office = settings();
    let effects = e.handle(Event::Settings(&office), at("2026-11-28T21:30"));
    assert!(effects
        .iter()
        .any(|f| matches!(f, Effect::ModeChanged { .. })));
    let r = releases(&e.handle(Event::Tick, at("2026-11-30T10:00")));
    assert_eq!(r, vec![(at("2026-11-30T09:00"), vec![1])]);
}

#[test]
fn settings_that_make_it_working_time_release() {
    let s = settings();
    let mut e = engine(&s, at("2026-11-28T21:00"));
    notify(&mut e, 1, &slack("a", "b"), at("2026-11-28T21:00"));
    let mut weekend = settings();
    weekend.hours.days[5] = vec![range("20:00-23:00")];
    let effects = e.handle(Event::Settings(&weekend), at("2026-11-28T21:05"));
    assert_eq!(releases(&effects), vec![(at("2026-11-28T21:05"), vec![1])]);
}

#[test]
fn off_until_a_time_in_hours_resumes_then() {
    let s = settings();
    let mut e = engine(&s, at("2026-11-30T10:00"));
    e.handle(
        Event::Mode(ModeRequest::Off {
            until: Some(at("2026-11-30T14:00")),
        }),
        at("2026-11-30T10:00"),
    );
    let (d, _) = notify(&mut e, 1, &slack("a", "b"), at("2026-11-30T11:00"));
    assert_eq!(d.until, Some(at("2026-11-30T14:00")));
    let r = releases(&e.handle(Event::Tick, at("2026-11-30T15:00")));
    assert_eq!(r, vec![(at("2026-11-30T14:00"), vec![1])]);
}

#[test]
fn restored_held_ones_come_back_on_the_first_tick_in_hours() {
    let s = settings();
    let mut e = Engine::new(
        &s,
        Mode::Auto,
        false,
        [(4, at("2026-11-28T21:00")), (9, at("2026-11-29T10:00"))],
        at("2026-11-30T10:00"),
    );
    let r = releases(&e.handle(Event::Tick, at("2026-11-30T10:00")));
    assert_eq!(r, vec![(at("2026-11-30T10:00"), vec![4, 9])]);
}

#[test]
fn next_wake_follows_transitions_and_mode_ends() {
    let s = settings();
    let mut e = engine(&s, at("2026-11-30T10:00"));
    assert_eq!(e.next_wake(), Some(at("2026-11-30T12:30")));
    e.handle(Event::Tick, at("2026-11-30T12:30"));
    assert_eq!(e.next_wake(), Some(at("2026-11-30T13:30")));
    e.handle(
        Event::Mode(ModeRequest::On { until: None }),
        at("2026-11-30T12:40"),
    );
    assert_eq!(e.next_wake(), Some(at("2026-11-30T13:40")));
}

#[test]
fn a_clock_set_back_is_followed_and_nothing_is_released_twice() {
    let s = settings();
    let mut e = engine(&s, at("2026-11-28T21:00"));
    notify(&mut e, 1, &slack("a", "b"), at("2026-11-28T21:00"));
    // The clock wrongly jumps to Monday 10:00: released.
    let r = releases(&e.handle(Event::Tick, at("2026-11-30T10:00")));
    assert_eq!(r.len(), 1);
    // Set back to Saturday: not working again, and new work notifications are held.
    e.handle(Event::Tick, at("2026-11-28T21:05"));
    assert!(!e.state().working);
    let (d, _) = notify(&mut e, 2, &slack("c", "d"), at("2026-11-28T21:06"));
    assert_eq!(d.action, Action::Hold);
    let r = releases(&e.handle(Event::Tick, at("2026-11-30T09:00")));
    assert_eq!(r, vec![(at("2026-11-30T09:00"), vec![2])]);
}

#[test]
fn issue_14_a_reason_is_said_in_french_and_in_english_from_one_decision() {
    let mut s = settings();
    s.crisis.pass = CrisisPass::OnCall;
    let mut e = engine(&s, at("2026-11-28T21:00"));
    let (d, _) = notify(
        &mut e,
        1,
        &slack("Bryan", "On publie ?"),
        at("2026-11-28T21:04"),
    );
    assert_eq!(
        e.reason(&d, Lang::Fr),
        "retenue : Slack est une app de travail et samedi 21:04 est hors de vos horaires ; remise lundi 09:00"
    );
    let said = e.reason_said(&d);
    assert_eq!(said.en, e.reason(&d, Lang::En));
    assert_eq!(said.fr, e.reason(&d, Lang::Fr));
    assert_eq!(
        said.en,
        "held: Slack is a work app and Saturday 21:04 is outside your hours; delivered Monday 09:00"
    );

    // A crisis that does not pass, then one that does.
    let (d, _) = notify(
        &mut e,
        2,
        &slack("Client", "bad buzz"),
        at("2026-11-28T21:10"),
    );
    assert_eq!(
        e.reason(&d, Lang::Fr),
        "retenue : Slack est une app de travail et samedi 21:10 est hors de vos horaires ; \
         remise lundi 09:00 (une urgence : le mot d'urgence « bad buzz », mais les urgences \
         ne passent que pendant l'astreinte)"
    );
    e.handle(Event::OnCall(OnCallRequest::On), at("2026-11-28T21:15"));
    let (d, _) = notify(
        &mut e,
        3,
        &slack("Client", "bad buzz"),
        at("2026-11-28T21:16"),
    );
    let fr = e.reason(&d, Lang::Fr);
    assert_eq!(
        fr,
        "remise en urgence : Slack a envoyé le mot d'urgence « bad buzz » ; samedi 21:16 est \
         hors de vos horaires, et vous êtes d'astreinte"
    );
    assert_eq!(
        crisis_why(&fr, Lang::Fr),
        "Slack a envoyé le mot d'urgence « bad buzz » ; samedi 21:16 est hors de vos horaires, \
         et vous êtes d'astreinte"
    );
    assert_eq!(
        crisis_why(&e.reason(&d, Lang::En), Lang::En),
        "Slack sent the crisis keyword \"bad buzz\"; Saturday 21:16 is outside your hours, \
         and you are on call"
    );

    // Personal, and in working time.
    let whatsapp = Notification {
        app: "WhatsApp".into(),
        summary: "Maman".into(),
        ..Default::default()
    };
    let (d, _) = notify(&mut e, 4, &whatsapp, at("2026-11-28T22:00"));
    assert_eq!(
        e.reason(&d, Lang::Fr),
        "remise : WhatsApp n'est pas une app de travail"
    );
    let (d, _) = notify(&mut e, 5, &slack("Bryan", "ok"), at("2026-11-30T10:00"));
    assert_eq!(
        e.reason(&d, Lang::Fr),
        "remise : Slack est une app de travail et lundi 10:00 est dans vos horaires"
    );
}

#[test]
fn issue_14_a_hold_past_a_week_says_the_date_in_both_languages() {
    let mut s = settings();
    s.hours = WeeklyHours {
        days: std::array::from_fn(|i| {
            if i == 0 {
                vec![range("09:00-18:00")]
            } else {
                vec![]
            }
        }),
    };
    let mut e = engine(&s, at("2026-11-30T19:00"));
    let (d, _) = notify(&mut e, 1, &slack("a", "b"), at("2026-11-30T19:00"));
    assert_eq!(d.action, Action::Hold);
    assert_eq!(
        e.reason(&d, Lang::En),
        "held: Slack is a work app and Monday 19:00 is outside your hours; delivered Monday 7 December 09:00"
    );
    assert_eq!(
        e.reason(&d, Lang::Fr),
        "retenue : Slack est une app de travail et lundi 19:00 est hors de vos horaires ; remise lundi 7 décembre 09:00"
    );
}

/// A work source for `app` on `sites`.
fn on_sites(name: &str, app: &str, sites: &[&str]) -> WorkApp {
    WorkApp {
        name: name.into(),
        app: app.into(),
        account: None,
        sites: sites.iter().map(|s| s.to_string()).collect(),
        off_hours: OffHours::Hold,
    }
}

/// What Chromium sends for a page of `origin` (`https://host/`) to a server with
/// `body-hyperlinks`: the site as a link, then the page's text.
fn chromium(origin: &str, host: &str, title: &str, text: &str) -> Notification {
    Notification {
        app: "Chromium".into(),
        summary: title.into(),
        body: format!("<a href=\"{origin}\">{host}</a>\n\n{text}"),
        hints: [(
            "desktop-entry".to_string(),
            HintValue::Str("chromium".into()),
        )]
        .into(),
        ..Default::default()
    }
}

#[test]
fn a_work_site_matches_itself_and_its_subdomains_not_a_lookalike() {
    let mut s = settings();
    s.work_apps
        .push(on_sites("LinkedIn", "chromium", &["linkedin.com"]));
    let saturday = at("2026-11-28T21:00");
    let mut e = engine(&s, saturday);
    for (id, host) in [(1, "linkedin.com"), (2, "www.linkedin.com")] {
        let n = chromium(&format!("https://{host}/"), host, "LinkedIn", "New message");
        let (d, _) = notify(&mut e, id, &n, saturday);
        assert_eq!(
            (d.action, d.source.as_deref()),
            (Action::Hold, Some("LinkedIn")),
            "{host}"
        );
    }
    let lookalike = chromium(
        "https://evil-linkedin.com/",
        "evil-linkedin.com",
        "LinkedIn",
        "New message",
    );
    let (d, _) = notify(&mut e, 3, &lookalike, saturday);
    assert_eq!((d.action, d.source.as_deref()), (Action::Deliver, None));
    assert_eq!(
        e.reason(&d, Lang::En),
        "delivered: evil-linkedin.com is not one of Chromium's work sites"
    );
    assert_eq!(
        e.reason(&d, Lang::Fr),
        "remise : evil-linkedin.com n'est pas un site de travail pour Chromium"
    );
}

#[test]
fn a_work_sites_hold_says_the_site_as_the_browser_named_it() {
    let mut s = settings();
    s.work_apps
        .push(on_sites("LinkedIn", "chromium", &["linkedin.com"]));
    let saturday = at("2026-11-28T21:00");
    let mut e = engine(&s, saturday);
    let n = chromium(
        "https://www.linkedin.com/",
        "www.linkedin.com",
        "LinkedIn",
        "New message",
    );
    let (d, _) = notify(&mut e, 1, &n, saturday);
    assert_eq!(d.site.as_deref(), Some("www.linkedin.com"));
    assert_eq!(
        e.reason(&d, Lang::En),
        "held: www.linkedin.com is a work site (LinkedIn) and Saturday 21:00 is outside your hours; delivered Monday 09:00"
    );
    assert_eq!(
        e.reason(&d, Lang::Fr),
        "retenue : www.linkedin.com est un site de travail (LinkedIn) et samedi 21:00 est hors de vos horaires ; remise lundi 09:00"
    );
    let monday = at("2026-11-30T10:00");
    let (d, _) = notify(&mut e, 2, &n, monday);
    assert_eq!(
        e.reason(&d, Lang::En),
        "delivered: www.linkedin.com is a work site (LinkedIn) and Monday 10:00 is within your hours"
    );
}

#[test]
fn the_site_comes_from_the_origin_hint_or_the_leading_line_with_its_port_dropped() {
    let mut s = settings();
    s.work_apps
        .push(on_sites("Meta", "chromium", &["business.facebook.com"]));
    s.work_apps
        .push(on_sites("Local tools", "chromium", &["127.0.0.1"]));
    let saturday = at("2026-11-28T21:00");
    let mut e = engine(&s, saturday);
    // A server with `x-kde-origin-name`: the site in the hint, the body the page's text.
    let mut hinted = Notification {
        app: "Chromium".into(),
        summary: "Meta Business Suite".into(),
        body: "New comment".into(),
        ..Default::default()
    };
    hinted.hints.insert(
        "x-kde-origin-name".into(),
        HintValue::Str("business.facebook.com".into()),
    );
    let (d, _) = notify(&mut e, 1, &hinted, saturday);
    assert_eq!(d.source.as_deref(), Some("Meta"));
    // The hint is what counts: a body that begins like a site line is then the page's.
    hinted.hints.insert(
        "x-kde-origin-name".into(),
        HintValue::Str("localhost:8080".into()),
    );
    hinted.body = "business.facebook.com\n\nNew comment".into();
    let (d, _) = notify(&mut e, 2, &hinted, saturday);
    assert_eq!(d.action, Action::Deliver);
    // A server with neither: the site as the body's first line, `host:port`.
    let plain = Notification {
        app: "Chromium".into(),
        summary: "Build".into(),
        body: "127.0.0.1:8080\n\nBuild finished".into(),
        ..Default::default()
    };
    let (d, _) = notify(&mut e, 3, &plain, saturday);
    assert_eq!(
        (d.source.as_deref(), d.site.as_deref()),
        (Some("Local tools"), Some("127.0.0.1"))
    );
}

#[test]
fn a_page_that_mentions_a_work_host_in_its_text_is_not_work() {
    let mut s = settings();
    s.work_apps
        .push(on_sites("LinkedIn", "chromium", &["linkedin.com"]));
    s.work_apps
        .push(on_sites("LinkedIn", "firefox", &["linkedin.com"]));
    let saturday = at("2026-11-28T21:00");
    let mut e = engine(&s, saturday);
    let personal = chromium(
        "http://localhost:8080/",
        "localhost:8080",
        "Blog",
        "linkedin.com\n\nwww.linkedin.com is hiring",
    );
    let (d, _) = notify(&mut e, 1, &personal, saturday);
    assert_eq!(d.action, Action::Deliver);
    assert_eq!(
        e.reason(&d, Lang::En),
        "delivered: localhost is not one of Chromium's work sites"
    );
    // Firefox names no site: its body is all the page's, whatever it begins with.
    let firefox = Notification {
        app: "Firefox".into(),
        summary: "Blog".into(),
        body: "www.linkedin.com\n\nNew message".into(),
        hints: [(
            "desktop-entry".to_string(),
            HintValue::Str("firefox-esr".into()),
        )]
        .into(),
        ..Default::default()
    };
    let (d, _) = notify(&mut e, 2, &firefox, saturday);
    assert_eq!(d.action, Action::Deliver);
    assert_eq!(
        e.reason(&d, Lang::En),
        "delivered: Firefox is a work app only for its work sites, and this notification names no site"
    );
    assert_eq!(
        e.reason(&d, Lang::Fr),
        "remise : Firefox n'est une app de travail que pour ses sites de travail, et cette notification ne dit pas de quel site elle vient"
    );
}

#[test]
fn the_site_line_is_not_matched_against_accounts_or_keywords() {
    let mut s = settings();
    s.work_apps.push(WorkApp {
        name: "Crise mail".into(),
        app: "chromium".into(),
        account: Some("mail.crise.example".into()),
        sites: Vec::new(),
        off_hours: OffHours::Hold,
    });
    s.work_apps
        .push(on_sites("Crisis desk", "google-chrome", &["crise.example"]));
    let saturday = at("2026-11-28T21:00");
    let mut e = engine(&s, saturday);
    // The account is in the site line only: not this account.
    let n = chromium(
        "https://mail.crise.example/",
        "mail.crise.example",
        "Inbox",
        "Lunch?",
    );
    let (d, _) = notify(&mut e, 1, &n, saturday);
    assert_eq!(
        e.reason(&d, Lang::En),
        "delivered: Chromium is a work app, but not for this account"
    );
    // In the page's text, it is.
    let n = chromium(
        "https://mail.crise.example/",
        "mail.crise.example",
        "Inbox",
        "to mail.crise.example",
    );
    assert_eq!(
        notify(&mut e, 2, &n, saturday).0.source.as_deref(),
        Some("Crise mail")
    );
    // The keyword "crise" is in the site only: held, not a crisis; in the text, a crisis.
    let mut chrome = chromium("https://crise.example/", "crise.example", "Desk", "Lunch?");
    chrome.hints.insert(
        "desktop-entry".into(),
        HintValue::Str("google-chrome".into()),
    );
    chrome.app = "Google Chrome".into();
    let (d, _) = notify(&mut e, 3, &chrome, saturday);
    assert_eq!((d.action, d.crisis), (Action::Hold, None));
    chrome.body = chrome.body.replace("Lunch?", "Crise en cours");
    let (d, _) = notify(&mut e, 4, &chrome, saturday);
    assert_eq!(d.crisis, Some(CrisisWhy::Keyword("crise".into())));
    assert_eq!(d.action, Action::DeliverCrisis);
    assert_eq!(
        e.reason(&d, Lang::En),
        "delivered as crisis: crise.example (Crisis desk) sent the crisis keyword \"crise\"; Saturday 21:00 is outside your hours, and crises always get through"
    );
}

#[test]
fn a_work_sites_critical_urgency_is_held_whatever_the_browser_is_called() {
    let mut s = settings();
    s.work_apps
        .push(on_sites("LinkedIn", "chromium", &["linkedin.com"]));
    // A browser Couper does not know by name, made work by its sites.
    s.work_apps
        .push(on_sites("Intranet", "surf", &["intranet.example"]));
    let saturday = at("2026-11-28T21:00");
    let mut e = engine(&s, saturday);
    let mut required = chromium(
        "https://www.linkedin.com/",
        "www.linkedin.com",
        "LinkedIn",
        "Reply now",
    );
    required.urgency = Urgency::Critical;
    let (d, _) = notify(&mut e, 1, &required, saturday);
    assert_eq!((d.action, d.crisis), (Action::Hold, None));
    let mut surf = Notification {
        app: "surf".into(),
        summary: "Intranet".into(),
        body: "Reply now".into(),
        urgency: Urgency::Critical,
        ..Default::default()
    };
    surf.hints.insert(
        "x-kde-origin-name".into(),
        HintValue::Str("intranet.example".into()),
    );
    let (d, _) = notify(&mut e, 2, &surf, saturday);
    assert_eq!(
        (d.action, d.crisis, d.source.as_deref()),
        (Action::Hold, None, Some("Intranet"))
    );
    // The crisis hint still is one.
    required
        .hints
        .insert("x-couper-crisis".into(), HintValue::Bool(true));
    let (d, _) = notify(&mut e, 3, &required, saturday);
    assert_eq!(
        (d.action, d.crisis),
        (Action::DeliverCrisis, Some(CrisisWhy::Hint))
    );
}

#[test]
fn a_silenced_work_site_and_one_during_i_m_working_say_the_site() {
    let mut s = settings();
    let mut meta = on_sites("Meta", "chromium", &["facebook.com"]);
    meta.off_hours = OffHours::Drop;
    s.work_apps.push(meta);
    let saturday = at("2026-11-28T21:00");
    let mut e = engine(&s, saturday);
    let n = chromium(
        "https://business.facebook.com/",
        "business.facebook.com",
        "Meta Business Suite",
        "New comment",
    );
    let (d, _) = notify(&mut e, 1, &n, saturday);
    assert_eq!(d.action, Action::Drop);
    assert_eq!(
        e.reason(&d, Lang::En),
        "silenced: business.facebook.com is a work site (Meta) silenced outside your hours, and Saturday 21:00 is outside your hours"
    );
    assert_eq!(
        e.reason(&d, Lang::Fr),
        "mise en silence : business.facebook.com est un site de travail (Meta) qui se tait hors de vos horaires, et samedi 21:00 est hors de vos horaires"
    );
    e.handle(
        Event::Mode(ModeRequest::On {
            until: Some(at("2026-11-28T23:00")),
        }),
        saturday,
    );
    let (d, _) = notify(&mut e, 2, &n, saturday);
    assert_eq!(
        e.reason(&d, Lang::En),
        "delivered: business.facebook.com is a work site (Meta) and you said you are working until 23:00"
    );
}

#[test]
fn the_on_call_toggle_turns_the_manual_switch_the_other_way_round_in_one_step() {
    let mut e = engine(&settings(), at("2026-11-28T21:00"));
    let changed = |effects: &[Effect]| {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::OnCallChanged { on, .. } => Some(*on),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    let on = e.handle(Event::OnCall(OnCallRequest::Toggle), at("2026-11-28T21:01"));
    assert_eq!(changed(&on), [true]);
    assert!(e.state().on_call_manual);
    let again = e.handle(Event::OnCall(OnCallRequest::On), at("2026-11-28T21:02"));
    assert_eq!(
        changed(&again),
        [] as [bool; 0],
        "already on: nothing changes"
    );
    let off = e.handle(Event::OnCall(OnCallRequest::Toggle), at("2026-11-28T21:03"));
    assert_eq!(changed(&off), [false]);
    assert!(!e.state().on_call_manual);
}

#[test]
fn a_hold_across_a_change_of_clocks_is_expected_back_at_the_schedules_next_start() {
    // Paris springs forward on Sunday 2026-03-29 (02:00 is 03:00) and falls back on
    // Sunday 2026-10-25 (03:00 is 02:00 again); a Sunday range starts in each changed
    // hour. A hold's expected return, kept by the engine from its last refresh, is the
    // one the schedule computes afresh at every instant of both weekends.
    let mut s = settings();
    s.hours.days[6] = vec![range("02:30-04:00")];
    for (from, to) in [
        ("2026-03-27T18:00", "2026-03-30T10:00"),
        ("2026-10-23T18:00", "2026-10-26T10:00"),
    ] {
        let (from, to) = (at(from), at(to));
        let mut e = engine(&s, from);
        let mut now = from;
        let mut id = 0;
        let mut held = 0;
        while now < to {
            id += 1;
            let (d, _) = notify(&mut e, id, &slack("Bryan", "On publie ?"), now);
            if d.action == Action::Hold {
                held += 1;
                assert_eq!(d.until, e.schedule().next_start(now), "held at {now}");
            }
            now += SignedDuration::from_mins(7);
        }
        assert!(held > 400, "{held} held");
    }
    // The Sunday range that starts in the skipped hour starts at the change itself.
    let mut e = engine(&s, at("2026-03-28T20:00"));
    let (d, _) = notify(&mut e, 1, &slack("Bryan", "hi"), at("2026-03-28T20:00"));
    assert_eq!(d.until, Some("2026-03-29T01:00:00Z".parse().unwrap()));
}

#[test]
fn issue_15_a_stored_reason_said_again_is_the_one_its_rules_give() {
    let s = settings();
    let mut e = engine(&s, at("2026-11-28T21:00"));
    let n = slack("Bryan", "On publie ?");
    let (first, _) = notify(&mut e, 1, &n, at("2026-11-28T21:04"));
    let (second, _) = notify(&mut e, 2, &n, at("2026-11-28T21:04"));
    let said = e.reason_said(&first);
    // The same decision in the same second: the same words, both languages.
    assert_eq!(e.reason_said(&second), said);
    assert_eq!(said.fr, e.reason(&second, Lang::Fr));
    // New rules (the day becomes time off): the words follow them, not the last ones.
    let mut off = settings();
    off.time_off = vec![TimeOff {
        start: TimeOffBound::Date("2026-11-28".parse().unwrap()),
        end: TimeOffBound::Date("2026-11-28".parse().unwrap()),
        label: Some("Pont".into()),
    }];
    e.handle(Event::Settings(&off), at("2026-11-28T21:04"));
    let (third, _) = notify(&mut e, 3, &n, at("2026-11-28T21:04"));
    let again = e.reason_said(&third);
    assert_ne!(again, said);
    assert_eq!(again.en, e.reason(&third, Lang::En));
    assert!(again.en.contains("Pont"), "{}", again.en);
    // Another second: rendered anew.
    let (fourth, _) = notify(&mut e, 4, &n, at("2026-11-28T21:06"));
    assert!(e.reason_said(&fourth).en.contains("21:06"));
}

#[test]
fn issue_15_a_sender_is_one_whatever_the_case_of_its_app_and_others_are_apart() {
    assert_eq!(sender_key("Slack", "Bryan"), sender_key("slack", "Bryan"));
    assert_eq!(sender_key("ÉQUIPE", "Anne"), sender_key("équipe", "Anne"));
    assert_ne!(sender_key("Slack", "Bryan"), sender_key("Slack", "bryan"));
    // The boundary between app and summary is kept.
    assert_ne!(sender_key("ab", "c"), sender_key("a", "bc"));
    assert_ne!(sender_key("Slack", "Bryan"), sender_key("Teams", "Bryan"));
}
