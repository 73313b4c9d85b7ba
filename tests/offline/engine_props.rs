//! Property tests of the engine and the Service: for random schedules and random
//! timelines (notifications, withdrawals, modes, restarts), every held notification is
//! released exactly once, never before its time, and only into working time.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use couper::engine::{Action, Effect, Engine, Event, Mode, ModeRequest};
use couper::notification::Notification;
use couper::service::{Outcome, Service};
use couper::settings::{DayRange, OffHours, Settings, WeeklyHours, WorkApp};
use couper::store::Store;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;
use std::collections::HashMap;

#[derive(Debug, Clone)]
enum Step {
    Notify {
        work: bool,
    },
    Close {
        back: u32,
    },
    Off,
    On,
    Auto,
    /// Only for the Service test: drop it and open it again (a crash).
    Restart,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => any::<bool>().prop_map(|work| Step::Notify { work }),
        1 => (1u32..5).prop_map(|back| Step::Close { back }),
        1 => Just(Step::Off),
        1 => Just(Step::On),
        1 => Just(Step::Auto),
        1 => Just(Step::Restart),
    ]
}

fn day() -> impl Strategy<Value = Vec<DayRange>> {
    prop::collection::vec(
        (0u16..1440, 1u16..1440).prop_filter_map("equal ends", |(s, e)| {
            let end = (s + e) % 1440;
            (end != s).then_some(DayRange {
                start: s,
                end: if end == 0 { 1440 } else { end },
            })
        }),
        0..3,
    )
}

fn settings() -> impl Strategy<Value = Settings> {
    (
        prop::array::uniform7(day()),
        prop_oneof![
            Just("Europe/Paris"),
            Just("America/New_York"),
            Just("Australia/Lord_Howe")
        ],
    )
        .prop_map(|(days, zone)| Settings {
            timezone_name: zone.into(),
            timezone: TimeZone::get(zone).unwrap(),
            hours: WeeklyHours { days },
            work_apps: vec![WorkApp {
                name: "Slack".into(),
                app: "slack".into(),
                account: None,
                sites: Vec::new(),
                off_hours: OffHours::Hold,
            }],
            ..Settings::default()
        })
}

fn note(work: bool) -> Notification {
    Notification {
        app: if work { "Slack" } else { "WhatsApp" }.into(),
        summary: "Bryan".into(),
        body: "On publie ?".into(),
        ..Default::default()
    }
}

/// Instants spread over a few weeks of 2026, DST changes included.
fn times(n: usize) -> impl Strategy<Value = Vec<i64>> {
    prop::collection::vec(0i64..(6 * 3600), n)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn engine_releases_each_hold_exactly_once_and_never_early(
        settings in settings(),
        steps in prop::collection::vec(step(), 1..60),
        gaps in times(60),
        start in 0i64..(300 * 86400),
    ) {
        let mut now: Timestamp = "2026-01-01T00:00:00Z".parse::<Timestamp>().unwrap()
            + SignedDuration::from_secs(start);
        let mut engine = Engine::new(&settings, Mode::Auto, false, [], now);
        let mut held_at: HashMap<u32, Timestamp> = HashMap::new();
        let mut released: HashMap<u32, Timestamp> = HashMap::new();
        let mut withdrawn = Vec::new();
        let mut next_id = 1;
        let check = |effects: Vec<Effect>, engine: &Engine,
                         held_at: &mut HashMap<u32, Timestamp>,
                         released: &mut HashMap<u32, Timestamp>,
                         withdrawn: &mut Vec<u32>| {
            for effect in effects {
                match effect {
                    Effect::Decided(d) if d.action == Action::Hold => {
                        held_at.entry(d.id).or_insert(d.at);
                    }
                    Effect::Released(r) => {
                        for id in r.ids {
                            let at = held_at.get(&id).copied();
                            prop_assert!(at.is_some(), "released {id} that was never held");
                            prop_assert!(r.at >= at.unwrap(), "released before it was held");
                            prop_assert!(!withdrawn.contains(&id), "released a withdrawn one");
                            prop_assert!(released.insert(id, r.at).is_none(), "released {id} twice");
                        }
                    }
                    Effect::Withdrawn { id } => withdrawn.push(id),
                    _ => {}
                }
            }
            // Whatever is still held is held outside working time.
            let state = engine.state();
            prop_assert!(!(state.working && state.held > 0), "held during working time");
            Ok(())
        };
        for (i, step) in steps.iter().enumerate() {
            now += SignedDuration::from_secs(gaps[i % gaps.len()]);
            let effects = match step {
                Step::Notify { work } => {
                    let n = note(*work);
                    let e = engine.handle(Event::Notify { id: next_id, notification: &n, replacing: false }, now);
                    next_id += 1;
                    e
                }
                Step::Close { back } => engine.handle(Event::Close { id: next_id.saturating_sub(*back) }, now),
                Step::Off => engine.handle(Event::Mode(ModeRequest::Off { until: None }), now),
                Step::On => engine.handle(Event::Mode(ModeRequest::On { until: None }), now),
                Step::Auto | Step::Restart => engine.handle(Event::Mode(ModeRequest::Auto), now),
            };
            check(effects, &engine, &mut held_at, &mut released, &mut withdrawn)?;
        }
        // The clock runs on: every hold is released once working time comes.
        for _ in 0..20 {
            let Some(next) = engine.next_transition() else { break };
            let effects = engine.handle(Event::Tick, next);
            check(effects, &engine, &mut held_at, &mut released, &mut withdrawn)?;
            if engine.state().held == 0 { break; }
        }
        if engine.state().held == 0 {
            for id in held_at.keys() {
                prop_assert!(released.contains_key(id) || withdrawn.contains(id), "{id} vanished");
            }
        }
    }

    #[test]
    fn service_releases_each_hold_exactly_once_across_crashes(
        settings in settings(),
        steps in prop::collection::vec(step(), 1..40),
        gaps in times(40),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("couper.sqlite3");
        let mut now: Timestamp = "2026-03-20T00:00:00Z".parse().unwrap();
        let (mut service, _) = Service::open(&settings, Store::open(&path).unwrap(), now).unwrap();
        let mut held = Vec::new();
        let mut released: HashMap<u32, usize> = HashMap::new();
        let count = |outcomes: &[Outcome], released: &mut HashMap<u32, usize>| {
            for o in outcomes {
                if let Outcome::Released { items, .. } = o {
                    for item in items {
                        *released.entry(item.id).or_default() += 1;
                    }
                }
            }
        };
        for (i, step) in steps.iter().enumerate() {
            now += SignedDuration::from_secs(gaps[i % gaps.len()]);
            let outcomes = match step {
                Step::Notify { work } => {
                    let a = service.notify(0, &note(*work), now).unwrap();
                    if a.decision.action == Action::Hold { held.push(a.id); }
                    a.outcomes
                }
                Step::Close { .. } => Vec::new(),
                Step::Off => service.set_mode(ModeRequest::Off { until: None }, now).unwrap(),
                Step::On => service.set_mode(ModeRequest::On { until: None }, now).unwrap(),
                Step::Auto => service.set_mode(ModeRequest::Auto, now).unwrap(),
                Step::Restart => {
                    drop(service);
                    let (s, outcomes) = Service::open(&settings, Store::open(&path).unwrap(), now).unwrap();
                    service = s;
                    outcomes
                }
            };
            count(&outcomes, &mut released);
        }
        let outcomes = service.release(&couper::engine::Which::All, now).unwrap();
        count(&outcomes, &mut released);
        drop(service);
        let (service, outcomes) = Service::open(&settings, Store::open(&path).unwrap(), now).unwrap();
        count(&outcomes, &mut released);
        prop_assert!(service.held().unwrap().is_empty());
        for id in &held {
            prop_assert_eq!(released.get(id).copied(), Some(1), "hold {} released {:?} times", id, released.get(id));
        }
        prop_assert_eq!(released.len(), held.len());
    }

    #[test]
    fn a_replay_says_the_same_lines_on_its_scratch_store_as_on_a_durable_one(
        settings in settings(),
        steps in prop::collection::vec(step(), 1..60),
        gaps in times(60),
        replacing in prop::collection::vec(any::<bool>(), 60),
    ) {
        // The timeline as `couper simulate` reads it: notifications (some replacing an
        // earlier one), withdrawals, modes, and releases by hand for the restarts.
        let mut now: Timestamp = "2026-03-20T00:00:00Z".parse().unwrap();
        let mut input = String::new();
        let mut posted = 0u32;
        for (i, step) in steps.iter().enumerate() {
            now += SignedDuration::from_secs(gaps[i % gaps.len()]);
            let event = match step {
                Step::Notify { work } => {
                    let n = note(*work);
                    let replaces = if replacing[i] && posted > 0 { posted } else { 0 };
                    if replaces == 0 {
                        posted += 1;
                    }
                    serde_json::json!({"notify": {"app": n.app, "summary": n.summary,
                        "body": format!("{} {i}", n.body), "replaces": replaces}})
                }
                Step::Close { back } => serde_json::json!({"close": posted.saturating_sub(*back)}),
                Step::Off => serde_json::json!({"mode": "off"}),
                Step::On => serde_json::json!({"mode": "on"}),
                Step::Auto => serde_json::json!({"mode": "auto"}),
                Step::Restart => serde_json::json!({"release": "all"}),
            };
            let mut line = event;
            line["at"] = now.to_string().into();
            input.push_str(&line.to_string());
            input.push('\n');
        }
        let dir = tempfile::tempdir().unwrap();
        let replay = |store: Store| {
            let mut out = Vec::new();
            couper::simulate::run(&settings, store, input.as_bytes(), &mut out).unwrap();
            String::from_utf8(out).unwrap()
        };
        let durable = replay(Store::open(&dir.path().join("durable.sqlite3")).unwrap());
        let scratch = replay(Store::open_scratch(&dir.path().join("scratch.sqlite3")).unwrap());
        prop_assert_eq!(&scratch, &durable);
        let notifications = steps.iter().filter(|s| matches!(s, Step::Notify { .. })).count();
        prop_assert!(durable.lines().count() >= notifications, "a line per notification at least");
    }
}
