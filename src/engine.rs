//! The decision engine: pure, sans-IO, with no clock of its own (SPEC §2).
//!
//! A driver (the live gate, the replay, a test) feeds it `(event, now)` and gets back
//! effects: a decision with its reason for each notification, releases of held ones,
//! withdrawals, mode changes. It tells the driver when it next needs to be woken
//! ([`Engine::next_wake`]). Nothing here reads a clock, a file or a socket, so every
//! decision Couper makes can be tested in microseconds.
//!
//! Time only moves forward inside the engine: each call first runs the clock on to
//! `now`, stopping at every transition on the way (a start of working time releases the
//! held notifications *at that instant*, a manual mode ends at its instant), then applies
//! the event.

use crate::crisis::{CrisisMatcher, Found};
use crate::notification::{Notification, Reading, Urgency};
use crate::on_call::OnCallSchedule;
use crate::schedule::Schedule;
use crate::settings::{CrisisPass, OffHours, Settings, Shift};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

mod reason;
mod sources;

pub use reason::{crisis_why, Why};
pub use sources::ALERT_APP;
use sources::{Miss, Sources};

/// How long `on` ("I'm working") lasts when no `--until` is given.
pub const ON_DEFAULT: SignedDuration = SignedDuration::from_hours(1);

/// The manual mode, persisted across restarts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "mode", rename_all = "lowercase")]
pub enum Mode {
    /// Follow the schedule.
    Auto,
    /// Not working time, whatever the schedule says.
    Off {
        /// When the user said it.
        #[cfg_attr(feature = "ts", ts(as = "String"))]
        since: Timestamp,
        /// When it ends by itself; `None`: when the user changes it.
        #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
        until: Option<Timestamp>,
        /// Whether `until` was given by the user (`--until`) rather than computed.
        explicit: bool,
    },
    /// Working time, whatever the schedule says.
    On {
        /// When it ends.
        #[cfg_attr(feature = "ts", ts(as = "String"))]
        until: Timestamp,
    },
}

/// What the user asks for (`couper off|on|auto`, the tray).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModeRequest {
    /// "I'm off", until the next work day's first start or `until`.
    Off {
        /// `--until`.
        until: Option<Timestamp>,
    },
    /// "I'm working", for an hour or until `until`.
    On {
        /// `--until`.
        until: Option<Timestamp>,
    },
    /// Back to the schedule.
    Auto,
    /// The tray's one-click item: `Off` during working time, `On` outside it.
    Toggle,
}

/// The manual on-call switch (`couper on-call`, the tray's item, the window).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnCallRequest {
    /// On call now, by hand.
    On,
    /// Not on call by hand (a scheduled period still counts).
    Off,
    /// The tray's one-click item: the other way round from now, decided here, in one step
    /// with the switch (never read by a front end, then set).
    Toggle,
}

/// Which held notifications to release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Which {
    /// All of them.
    All,
    /// These ids (unknown ones are ignored).
    Ids(Vec<u32>),
}

/// Something that happened, at an instant given alongside.
#[derive(Debug, Clone, Copy)]
pub enum Event<'a> {
    /// An app sent a notification; `replacing` when it replaces the notification `id`.
    Notify {
        /// The notification's id (assigned by the driver).
        id: u32,
        /// What was sent.
        notification: &'a Notification,
        /// Whether it replaces the notification with this id.
        replacing: bool,
    },
    /// The app withdrew notification `id` (`CloseNotification`).
    Close {
        /// Its id.
        id: u32,
    },
    /// A manual mode.
    Mode(ModeRequest),
    /// The manual on-call switch.
    OnCall(OnCallRequest),
    /// New settings (already validated), compiled here.
    Settings(&'a Settings),
    /// New settings already compiled beside the engine ([`Rules::new`]): swapped in
    /// without the cost of compiling them.
    Rules(&'a Rules),
    /// A manual release (`couper release`).
    Release(&'a Which),
    /// Only time passed.
    Tick,
}

/// What to do with a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Show it now.
    Deliver,
    /// Show it now with critical urgency, marked as let through.
    DeliverCrisis,
    /// Keep it and show it at the next start of working time.
    Hold,
    /// Do not show it; history only.
    Drop,
}

impl Action {
    /// The word of the replay format: `deliver`, `hold` or `drop`.
    pub fn word(self) -> &'static str {
        match self {
            Action::Deliver | Action::DeliverCrisis => "deliver",
            Action::Hold => "hold",
            Action::Drop => "drop",
        }
    }
}

/// Why a notification is a crisis (SPEC §4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CrisisWhy {
    /// The `x-couper-crisis` hint or `couper alert --crisis`.
    Hint,
    /// Critical urgency.
    Critical,
    /// A keyword, as the user wrote it.
    Keyword(String),
    /// A sender, as the user wrote it.
    Sender(String),
    /// The same sender sent `count` within `minutes`.
    Repeat {
        /// The count reached.
        count: u32,
        /// The window.
        minutes: u32,
    },
}

/// The decision on one notification.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The notification's id.
    pub id: u32,
    /// When it was decided.
    pub at: Timestamp,
    /// What to do.
    pub action: Action,
    /// The work source that matched (its name), if any.
    pub source: Option<Arc<str>>,
    /// The site the browser named, when the source that matched names sites.
    pub site: Option<String>,
    /// Whether and why it is a crisis, let through or not.
    pub crisis: Option<CrisisWhy>,
    /// On `Hold`: when it is expected to be released.
    pub until: Option<Timestamp>,
    /// Whether the user was on call at `at`.
    pub on_call: bool,
    /// The structured reason; [`Engine::reason`] renders it.
    pub why: Why,
}

/// A release of held notifications.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    /// When (the start of working time it belongs to, or the manual release's instant).
    pub at: Timestamp,
    /// The ids, in the order they were held.
    pub ids: Vec<u32>,
    /// What started it.
    pub cause: ReleaseCause,
}

/// What started a release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReleaseCause {
    /// Working time started by the schedule (or a mode ending).
    Schedule,
    /// The user said `on`.
    ManualOn,
    /// The user released by hand.
    Manual,
    /// New settings made it working time.
    Settings,
}

/// What the driver must carry out.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// A notification was decided.
    Decided(Decision),
    /// Held notifications come back.
    Released(Release),
    /// A held notification was withdrawn by its app: drop it from the queue.
    Withdrawn {
        /// Its id.
        id: u32,
    },
    /// A notification that is not held was withdrawn: forward the close.
    Close {
        /// Its id.
        id: u32,
    },
    /// The manual mode changed (persist it).
    ModeChanged {
        /// When.
        at: Timestamp,
        /// The new mode.
        mode: Mode,
    },
    /// The manual on-call toggle changed (persist it).
    OnCallChanged {
        /// When.
        at: Timestamp,
        /// The new value.
        on: bool,
    },
}

/// A snapshot of the effective state, for `couper status` and the tray.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct State {
    /// The manual mode.
    pub mode: Mode,
    /// Whether it is working time now (schedule and mode).
    pub working: bool,
    /// When that changes, if known.
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub until: Option<Timestamp>,
    /// Whether the user is on call now (scheduled or by hand).
    pub on_call: bool,
    /// The manual on-call toggle.
    pub on_call_manual: bool,
    /// How many notifications are held.
    pub held: usize,
}

/// Settings compiled for fast decisions: the schedule, the work sources and the crisis
/// matcher. Compiling can take a while (a keyword list of 100,000 takes most of a
/// second), so a running gate builds them beside the engine, which keeps deciding, and
/// swaps them in at once with [`Event::Rules`]; a clone is cheap (shared).
#[derive(Debug, Clone)]
pub struct Rules(Arc<RulesParts>);

#[derive(Debug)]
struct RulesParts {
    settings: Settings,
    schedule: Schedule,
    sources: Sources,
    crisis: CrisisMatcher,
}

impl Rules {
    /// Compiles `settings`.
    pub fn new(settings: &Settings) -> Rules {
        Rules(Arc::new(RulesParts {
            schedule: Schedule::new(settings),
            sources: Sources::new(&settings.work_apps),
            crisis: CrisisMatcher::new(&settings.crisis),
            settings: settings.clone(),
        }))
    }

    /// The settings they were compiled from.
    pub fn settings(&self) -> &Settings {
        &self.0.settings
    }
}

/// The rules in force, and the on-call schedule (which the calendar's shifts change).
#[derive(Debug, Clone)]
struct Compiled {
    rules: Arc<RulesParts>,
    on_call: OnCallSchedule,
}

impl Compiled {
    fn new(rules: &Rules, extra_shifts: &[Shift]) -> Compiled {
        let settings = rules.settings();
        Compiled {
            on_call: OnCallSchedule::new(&settings.on_call, &settings.timezone, extra_shifts),
            rules: rules.0.clone(),
        }
    }
}

/// The engine. See the module documentation.
#[derive(Debug, Clone)]
pub struct Engine {
    c: Compiled,
    extra_shifts: Vec<Shift>,
    mode: Mode,
    on_call_manual: bool,
    /// Held ids and when they were held, in id order.
    held: BTreeMap<u32, Timestamp>,
    /// Recent notifications per sender (app, summary), for the repeat rule, by
    /// [`sender_key`].
    recent: rustc_hash::FxHashMap<u64, VecDeque<Timestamp>>,
    /// The engine's clock: the latest instant it was given.
    now: Timestamp,
    /// Effective working state at `now`.
    working: bool,
    /// When the effective working state or the mode next changes (cache).
    next_change: Option<Timestamp>,
    /// The last reason stored, and what it was rendered from (cache): one source's
    /// notifications in the same second share their reason (a burst, a busy channel).
    last_said: Option<(SaidOf, crate::i18n::Said)>,
    /// The time phrases of the reasons said last.
    phrases: reason::Phrases,
}

/// What a stored reason is rendered from, beyond the rules: the decision without its id.
/// Instants are kept to the second (the reason shows minutes; the time-off bounds it
/// compares with are to the second).
#[derive(Debug, Clone, PartialEq, Eq)]
struct SaidOf {
    at: i64,
    until: Option<i64>,
    action: Action,
    source: Option<Arc<str>>,
    site: Option<String>,
    crisis: Option<CrisisWhy>,
    on_call: bool,
    why: Why,
}

impl SaidOf {
    fn of(d: &Decision) -> SaidOf {
        SaidOf {
            at: d.at.as_second(),
            until: d.until.map(Timestamp::as_second),
            action: d.action,
            source: d.source.clone(),
            site: d.site.clone(),
            crisis: d.crisis.clone(),
            on_call: d.on_call,
            why: d.why.clone(),
        }
    }
}

/// The repeat rule's key for a sender: its app (in any case) and summary, hashed to 64
/// bits without copying either (every notification is counted). Two senders whose keys
/// collide would count together; among the few thousand kept that has a chance of about
/// one in 10^12, and an app gains nothing by it that repeating itself would not give.
fn sender_key(app: &str, summary: &str) -> u64 {
    use std::hash::Hasher;
    let mut key = rustc_hash::FxHasher::default();
    let mut chars = 0;
    for c in app.chars().flat_map(char::to_lowercase) {
        key.write_u32(u32::from(c));
        chars += 1;
    }
    key.write_usize(chars);
    key.write(summary.as_bytes());
    key.write_usize(summary.len());
    key.finish()
}

/// Bound on the senders remembered for the repeat rule.
const RECENT_SENDERS_MAX: usize = 4096;

impl Engine {
    /// A new engine at `now` with `settings`, in `mode`, with the manual on-call toggle
    /// and the notifications already held (id, when held), as restored from the store.
    pub fn new(
        settings: &Settings,
        mode: Mode,
        on_call_manual: bool,
        held: impl IntoIterator<Item = (u32, Timestamp)>,
        now: Timestamp,
    ) -> Engine {
        let mut engine = Engine {
            c: Compiled::new(&Rules::new(settings), &[]),
            extra_shifts: Vec::new(),
            mode,
            on_call_manual,
            held: held.into_iter().collect(),
            recent: rustc_hash::FxHashMap::default(),
            now,
            working: false,
            next_change: None,
            last_said: None,
            phrases: reason::Phrases::default(),
        };
        engine.refresh();
        engine
    }

    /// Handles `event` at `now`. Time normally runs forward; an earlier `now` means the
    /// wall clock was set back, and the engine follows it.
    pub fn handle(&mut self, event: Event<'_>, now: Timestamp) -> Vec<Effect> {
        let mut effects = Vec::new();
        self.advance(now, &mut effects);
        let now = self.now;
        match event {
            Event::Notify {
                id,
                notification,
                replacing,
            } => {
                let decision = self.decide(id, notification, replacing, now);
                effects.push(Effect::Decided(decision));
            }
            Event::Close { id } => {
                if self.held.remove(&id).is_some() {
                    effects.push(Effect::Withdrawn { id });
                } else {
                    effects.push(Effect::Close { id });
                }
            }
            Event::Mode(request) => self.set_mode(request, now, &mut effects),
            Event::OnCall(request) => {
                let on = match request {
                    OnCallRequest::On => true,
                    OnCallRequest::Off => false,
                    OnCallRequest::Toggle => !self.on_call_manual,
                };
                if on != self.on_call_manual {
                    self.on_call_manual = on;
                    effects.push(Effect::OnCallChanged { at: now, on });
                }
            }
            Event::Settings(settings) => self.set_rules(&Rules::new(settings), now, &mut effects),
            Event::Rules(rules) => self.set_rules(rules, now, &mut effects),
            Event::Release(which) => {
                let ids: Vec<u32> = match which {
                    Which::All => self.held.keys().copied().collect(),
                    Which::Ids(ids) => ids
                        .iter()
                        .copied()
                        .filter(|id| self.held.contains_key(id))
                        .collect(),
                };
                self.release(ids, ReleaseCause::Manual, &mut effects);
            }
            // Held ones restored at start during working time come back now.
            Event::Tick => self.release_if_working(ReleaseCause::Schedule, &mut effects),
        }
        effects
    }

    fn set_rules(&mut self, rules: &Rules, now: Timestamp, effects: &mut Vec<Effect>) {
        self.c = Compiled::new(rules, &self.extra_shifts);
        self.last_said = None;
        self.recompute_off_end(now, effects);
        self.refresh();
        self.release_if_working(ReleaseCause::Settings, effects);
    }

    /// The next instant the engine needs to be woken at: a start or end of working
    /// time, a mode ending, or on call starting or ending.
    pub fn next_wake(&self) -> Option<Timestamp> {
        let on_call = self.c.on_call.next_change(self.now);
        match (self.next_change, on_call) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The next instant working time changes, ignoring on call (for the replay's
    /// "clock runs on to the last pending release").
    pub fn next_transition(&self) -> Option<Timestamp> {
        self.next_change
    }

    /// The effective state now.
    pub fn state(&self) -> State {
        State {
            mode: self.mode,
            working: self.working,
            until: self.next_change,
            on_call: self.is_on_call(self.now),
            on_call_manual: self.on_call_manual,
            held: self.held.len(),
        }
    }

    /// The engine's clock.
    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.c.rules.settings
    }

    /// The rules in force (a cheap, shared copy).
    pub fn rules(&self) -> Rules {
        Rules(self.c.rules.clone())
    }

    /// The compiled schedule in force.
    pub fn schedule(&self) -> &Schedule {
        &self.c.rules.schedule
    }

    /// The on-call schedule in force (without the manual toggle).
    pub fn on_call_schedule(&self) -> &OnCallSchedule {
        &self.c.on_call
    }

    /// Replaces the shifts that come from the team's calendar.
    pub fn set_extra_shifts(&mut self, shifts: Vec<Shift>) {
        self.extra_shifts = shifts;
        self.c.on_call = OnCallSchedule::new(
            &self.c.rules.settings.on_call,
            &self.c.rules.settings.timezone,
            &self.extra_shifts,
        );
    }

    /// Puts the queue back to what the store holds (after a write failed: a hold that
    /// could not be kept was delivered instead, a release that could not be written is
    /// still to come).
    pub fn resync_held(&mut self, held: impl IntoIterator<Item = (u32, Timestamp)>) {
        self.held = held.into_iter().collect();
    }

    /// The ids held now, oldest first.
    pub fn held(&self) -> impl Iterator<Item = u32> + '_ {
        self.held.keys().copied()
    }

    /// The one-line human reason for `decision`, in the user's zone, in `lang`.
    pub fn reason(&mut self, decision: &Decision, lang: crate::words::Lang) -> String {
        reason::render(
            decision,
            &self.c.rules.settings,
            &self.c.rules.schedule,
            lang,
            &mut self.phrases,
        )
    }

    /// [`Engine::reason`] in both languages, to be stored and read in the reader's.
    pub fn reason_said(&mut self, decision: &Decision) -> crate::i18n::Said {
        let of = SaidOf::of(decision);
        if let Some((last, said)) = &self.last_said {
            if *last == of {
                return said.clone();
            }
        }
        let said = crate::i18n::Said::both(|lang| self.reason(decision, lang));
        self.last_said = Some((of, said.clone()));
        said
    }

    /// The next start of effective working time after `now`, given the mode.
    pub fn next_start(&self) -> Option<Timestamp> {
        if self.working {
            // The next start after the current working stretch ends.
            return self
                .next_change
                .and_then(|end| self.next_start_from(end, self.mode_after(end)));
        }
        self.next_start_from(self.now, self.mode)
    }

    fn is_on_call(&self, t: Timestamp) -> bool {
        self.on_call_manual || self.c.on_call.is_on_call(t)
    }

    /// The mode in force just after `t` (an `On`/`Off` that ended by `t` is `Auto`).
    fn mode_after(&self, t: Timestamp) -> Mode {
        match self.mode {
            Mode::On { until } if until <= t => Mode::Auto,
            Mode::Off {
                until: Some(until), ..
            } if until <= t => Mode::Auto,
            mode => mode,
        }
    }

    /// The first instant at or after `t` that is working time under `mode`, where `t`
    /// itself is not (or is the end of a manual mode).
    fn next_start_from(&self, t: Timestamp, mode: Mode) -> Option<Timestamp> {
        let schedule = &self.c.rules.schedule;
        match mode {
            Mode::Auto => schedule.next_start(t),
            Mode::On { .. } => Some(t),
            Mode::Off { until: None, .. } => None,
            Mode::Off {
                until: Some(until), ..
            } => {
                let from = until.max(t);
                if schedule.is_working(from) {
                    Some(from)
                } else {
                    schedule.next_start(from)
                }
            }
        }
    }

    /// Working under `mode` at `t`.
    fn working_at(&self, mode: Mode, t: Timestamp) -> bool {
        match mode {
            Mode::Auto => self.c.rules.schedule.is_working(t),
            Mode::On { until } => t < until || self.c.rules.schedule.is_working(t),
            Mode::Off { until, .. } => match until {
                Some(until) if until <= t => self.c.rules.schedule.is_working(t),
                _ => false,
            },
        }
    }

    /// Recomputes the working state and the next change at `self.now`.
    fn refresh(&mut self) {
        let now = self.now;
        self.mode = self.mode_after(now);
        self.working = self.working_at(self.mode, now);
        self.next_change = match self.mode {
            Mode::Auto => {
                if self.working {
                    self.c.rules.schedule.next_end(now)
                } else {
                    self.c.rules.schedule.next_start(now)
                }
            }
            Mode::On { until } => Some(until),
            Mode::Off { until, .. } => until,
        };
    }

    /// Runs the clock on to `now`, stopping at every change on the way. A clock set
    /// back is followed (the state is recomputed at the earlier instant); what was
    /// already released stays released.
    fn advance(&mut self, now: Timestamp, effects: &mut Vec<Effect>) {
        if now < self.now {
            self.now = now;
            let before = self.mode;
            self.refresh();
            if self.mode != before {
                effects.push(Effect::ModeChanged {
                    at: now,
                    mode: self.mode,
                });
            }
            return;
        }
        while let Some(change) = self.next_change {
            if change > now {
                break;
            }
            let before = self.mode;
            self.now = change;
            self.refresh();
            if self.mode != before {
                effects.push(Effect::ModeChanged {
                    at: change,
                    mode: self.mode,
                });
            }
            self.release_if_working(ReleaseCause::Schedule, effects);
        }
        if now > self.now {
            self.now = now;
        }
        self.prune_recent();
    }

    fn release_if_working(&mut self, cause: ReleaseCause, effects: &mut Vec<Effect>) {
        if self.working && !self.held.is_empty() {
            let ids = self.held.keys().copied().collect();
            self.release(ids, cause, effects);
        }
    }

    fn release(&mut self, ids: Vec<u32>, cause: ReleaseCause, effects: &mut Vec<Effect>) {
        if ids.is_empty() {
            return;
        }
        for id in &ids {
            self.held.remove(id);
        }
        effects.push(Effect::Released(Release {
            at: self.now,
            ids,
            cause,
        }));
    }

    fn set_mode(&mut self, request: ModeRequest, now: Timestamp, effects: &mut Vec<Effect>) {
        let request = match request {
            ModeRequest::Toggle if self.working => ModeRequest::Off { until: None },
            ModeRequest::Toggle => ModeRequest::On { until: None },
            other => other,
        };
        let mode = match request {
            ModeRequest::Auto | ModeRequest::Toggle => Mode::Auto,
            ModeRequest::On { until } => Mode::On {
                until: until
                    .filter(|u| *u > now)
                    .unwrap_or_else(|| now.saturating_add(ON_DEFAULT).unwrap_or(now)),
            },
            ModeRequest::Off { until: Some(until) } => Mode::Off {
                since: now,
                until: Some(until),
                explicit: true,
            },
            ModeRequest::Off { until: None } => Mode::Off {
                since: now,
                until: self.off_end(now),
                explicit: false,
            },
        };
        self.mode = mode;
        effects.push(Effect::ModeChanged { at: now, mode });
        self.refresh();
        let cause = if matches!(request, ModeRequest::On { .. }) {
            ReleaseCause::ManualOn
        } else {
            ReleaseCause::Schedule
        };
        self.release_if_working(cause, effects);
    }

    /// When "I'm off" said at `since` ends by itself: the first start of working time on
    /// a later work day than `since`'s.
    fn off_end(&self, since: Timestamp) -> Option<Timestamp> {
        let schedule = &self.c.rules.schedule;
        let day = schedule.work_day(since);
        let mut t = since;
        loop {
            let start = schedule.next_start(t)?;
            if schedule.work_day(start) > day {
                return Some(start);
            }
            t = start;
        }
    }

    /// After new settings, an "I'm off" with a computed end follows the new schedule.
    fn recompute_off_end(&mut self, now: Timestamp, effects: &mut Vec<Effect>) {
        if let Mode::Off {
            since,
            explicit: false,
            until,
        } = self.mode
        {
            let end = self.off_end(since);
            if end != until {
                self.mode = match end {
                    Some(end) if end <= now => Mode::Auto,
                    end => Mode::Off {
                        since,
                        until: end,
                        explicit: false,
                    },
                };
                effects.push(Effect::ModeChanged {
                    at: now,
                    mode: self.mode,
                });
            }
        }
    }

    fn decide(&mut self, id: u32, n: &Notification, replacing: bool, now: Timestamp) -> Decision {
        let on_call = self.is_on_call(now);
        let n = &n.reading();
        let found = self.c.rules.sources.find(n);
        let Ok(index) = found else {
            if replacing {
                self.held.remove(&id);
            }
            return Decision {
                id,
                at: now,
                action: Action::Deliver,
                source: None,
                crisis: None,
                until: None,
                on_call,
                site: None,
                why: match found {
                    Err(Miss::App) | Ok(_) => Why::Personal {
                        app: n.n.app.clone(),
                    },
                    Err(Miss::Account) => Why::OtherAccount {
                        app: n.n.app.clone(),
                    },
                    Err(Miss::Site(site)) => Why::OtherSite {
                        app: n.n.app.clone(),
                        site,
                    },
                },
            };
        };
        let names_sites = self.c.rules.sources.names_sites(index);
        // The site said in the reason: the work site it matched.
        let site = if names_sites {
            n.site().map(str::to_string)
        } else {
            None
        };
        let source = self.c.rules.sources.name(index);
        let off_hours = self.c.rules.sources.off_hours(index);
        let crisis = self.crisis(n, now, names_sites);
        let off_by_hand = matches!(self.mode, Mode::Off { .. });
        let (action, until, why) = if self.working {
            let on_until = match self.mode {
                Mode::On { until } => Some(until),
                _ => None,
            };
            (Action::Deliver, None, Why::Working { on_until })
        } else if crisis.is_some()
            && (self.c.rules.settings.crisis.pass == CrisisPass::Always || on_call)
        {
            (
                Action::DeliverCrisis,
                None,
                Why::CrisisLetThrough { off_by_hand },
            )
        } else {
            let blocked_crisis = crisis.is_some();
            match off_hours {
                OffHours::Drop => (
                    Action::Drop,
                    None,
                    Why::Silenced {
                        blocked_crisis,
                        off_by_hand,
                    },
                ),
                OffHours::Hold => (
                    Action::Hold,
                    self.hold_until(now),
                    Why::Held {
                        blocked_crisis,
                        off_by_hand,
                    },
                ),
            }
        };
        if action == Action::Hold {
            // A replacement of a held one is updated in place: same id, same place.
            self.held.entry(id).or_insert(now);
        } else if replacing {
            self.held.remove(&id);
        }
        Decision {
            id,
            at: now,
            action,
            source: Some(source),
            site,
            crisis,
            until,
            on_call,
            why,
        }
    }

    /// When a notification held at `now` (the engine's clock) is expected back: the next
    /// start of effective working time. Following the schedule outside working time,
    /// that is the cached next change (no start lies between the last refresh and
    /// `now`, or the clock would have stopped there), so most holds ask the schedule
    /// nothing.
    fn hold_until(&self, now: Timestamp) -> Option<Timestamp> {
        match (self.mode, self.working, self.next_change) {
            (Mode::Auto, false, Some(start)) if start > now => Some(start),
            (mode, _, _) => self.next_start_from(now, mode),
        }
    }

    /// Whether `n` is a crisis (SPEC §4); `names_sites`: its source names sites, so it
    /// comes from a browser whatever its name.
    fn crisis(&mut self, n: &Reading<'_>, now: Timestamp, names_sites: bool) -> Option<CrisisWhy> {
        let repeat = self.count_repeat(n.n, now);
        let settings = &self.c.rules.settings.crisis;
        if n.n.crisis_hint() {
            return Some(CrisisWhy::Hint);
        }
        // A browser's critical urgency is its page's `requireInteraction`, not a crisis.
        let browser = names_sites || n.from_browser();
        if settings.critical_urgency && n.n.urgency == Urgency::Critical && !browser {
            return Some(CrisisWhy::Critical);
        }
        // The page's text: the site line the browser put first is not matched.
        match self.c.rules.crisis.find(&n.n.summary, n.message()) {
            Some(Found::Keyword(keyword)) => Some(CrisisWhy::Keyword(keyword.to_string())),
            Some(Found::Sender(sender)) => Some(CrisisWhy::Sender(sender.to_string())),
            None => repeat,
        }
    }

    /// Counts this notification for the repeat rule; `Some` when it reaches the count.
    fn count_repeat(&mut self, n: &Notification, now: Timestamp) -> Option<CrisisWhy> {
        let rule = self.c.rules.settings.crisis.repeat?;
        let window = SignedDuration::from_mins(i64::from(rule.minutes));
        let key = sender_key(&n.app, &n.summary);
        if self.recent.len() >= RECENT_SENDERS_MAX && !self.recent.contains_key(&key) {
            self.recent.clear();
        }
        let times = self.recent.entry(key).or_default();
        times.push_back(now);
        while times
            .front()
            .is_some_and(|t| now.duration_since(*t) >= window)
        {
            times.pop_front();
        }
        let count = times.len();
        (count >= rule.count as usize).then_some(CrisisWhy::Repeat {
            count: rule.count,
            minutes: rule.minutes,
        })
    }

    /// Forgets repeat-rule entries that fell out of their window.
    fn prune_recent(&mut self) {
        if self.recent.len() < RECENT_SENDERS_MAX / 2 {
            return;
        }
        let Some(rule) = self.c.rules.settings.crisis.repeat else {
            self.recent.clear();
            return;
        };
        let window = SignedDuration::from_mins(i64::from(rule.minutes));
        let now = self.now;
        self.recent.retain(|_, times| {
            times
                .back()
                .is_some_and(|t| now.duration_since(*t) < window)
        });
    }
}

#[cfg(test)]
mod tests;
