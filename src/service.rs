//! The Service: the engine plus everything that must outlive a crash. Every front door
//! (the gate, the replay, the control interface, the tray) calls this API and nothing
//! else; it turns the engine's effects into store writes (a hold is committed before
//! `notify` returns) and into [`Outcome`]s the driver carries out on a desktop.
//!
//! The Service reads no clock: every call takes `now`.

use crate::engine::{
    Action, Decision, Effect, Engine, Event, Mode, ModeRequest, OnCallRequest, ReleaseCause, State,
    Which,
};
use crate::ids::{Ids, Issuer};
use crate::notification::Notification;
use crate::settings::{ReleaseMode, Settings};
use crate::store::{Held, HistoryEntry, Kind, SeenApp, Store, StoreError};
use crate::words::Lang;
use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, VecDeque};

/// What the driver must do on the desktop.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Show this notification now (a decision to deliver).
    Show {
        /// Its id.
        id: u32,
        /// What to show.
        notification: Notification,
        /// Let through as a crisis: show with critical urgency.
        crisis: bool,
    },
    /// Held notifications come back: show a digest or replay them.
    Released {
        /// The instant of the release.
        at: Timestamp,
        /// The notifications, oldest first.
        items: Vec<Held>,
        /// What started it.
        cause: ReleaseCause,
        /// Digest or replay, from the settings.
        mode: ReleaseMode,
    },
    /// The app withdrew a shown notification: close it.
    Close {
        /// Its id.
        id: u32,
    },
    /// Mode, on call or working state changed: front ends refresh.
    StateChanged,
}

/// The answer to `notify`.
#[derive(Debug, Clone, PartialEq)]
pub struct Admitted {
    /// The id to answer the app with.
    pub id: u32,
    /// The decision.
    pub decision: Decision,
    /// Whether a work source matched.
    pub work: bool,
    /// Its reason, in the Service's language ([`Service::lang`]).
    pub reason: String,
    /// What to carry out (releases that became due first, then this notification's).
    pub outcomes: Vec<Outcome>,
}

/// What `couper explain` shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// The id.
    pub id: u32,
    /// The app.
    pub app: String,
    /// Each decision and release, in order.
    pub events: Vec<HistoryEntry>,
}

/// The state for `couper status` and the tray.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Status {
    /// Engine state: mode, working, until, on call, held count.
    #[serde(flatten)]
    pub state: State,
    /// The next start of working time, if any.
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub next_start: Option<Timestamp>,
    /// The user's zone.
    pub timezone: String,
}

/// How many personal decisions are remembered (in memory only) for `explain`.
const PERSONAL_REMEMBERED: usize = 512;

/// How many ids that apps chose themselves are remembered (see [`Service::notify_from`]).
const CHOSEN_REMEMBERED: usize = 256;

/// Who sent a call: the unique bus name of the app's connection, as the bus tells it.
/// `None` is a front door that speaks for the user (a replay, the tray): it may reach
/// any notification.
pub type Caller<'a> = Option<&'a str>;

/// The Service. See the module documentation.
#[derive(Debug)]
pub struct Service {
    engine: Engine,
    store: Store,
    /// The ids the Service gives ([`Issuer::Service`]), going on from the store's last.
    ids: Ids,
    personal: VecDeque<(u32, HistoryEntry)>,
    /// Seen-apps counts not yet written: app → (count, last seen).
    seen: HashMap<String, (u64, Timestamp)>,
    /// Seen-sites counts not yet written: (browser, site) → (count, last seen).
    seen_sites: HashMap<(String, String), (u64, Timestamp)>,
    seen_unwritten: usize,
    /// Ids apps chose themselves (`replaces_id` above any Couper gave, as `dunstify -r
    /// 2593` sends every time) → the Couper id that stands for it, in the order seen.
    chosen: VecDeque<(u32, u32)>,
    /// The locale's language, read once: the process's environment does not change, and
    /// reading it took three `getenv`s under a lock per notification.
    locale: Lang,
}

impl Drop for Service {
    fn drop(&mut self) {
        if let Err(e) = self.write_seen() {
            tracing::warn!("seen apps: {e}");
        }
    }
}

/// How many notifications are counted in memory before the seen-apps list is written
/// (and it is written when the gate stops, and before the window reads it). A batch
/// writes one row per app in it, so a busy desktop's few apps cost a write each per
/// batch: at 32, a replay spent more on these counts than on deciding. A crash loses at
/// most this many counts of a list that only orders the window's suggestions.
const SEEN_WRITE_EVERY: usize = 256;

impl Service {
    /// Opens the service on `store` with `settings` at `now`: restores the mode, the
    /// on-call toggle and the held queue, and releases what became due while Couper was
    /// not running.
    pub fn open(
        settings: &Settings,
        store: Store,
        now: Timestamp,
    ) -> Result<(Service, Vec<Outcome>), StoreError> {
        let mode = store.mode()?;
        let on_call = store.on_call()?;
        let held: Vec<(u32, Timestamp)> = store
            .held()?
            .into_iter()
            .map(|h| (h.id, h.held_at))
            .collect();
        let ids = Ids::after(Issuer::Service, store.max_id()?);
        // The engine starts at `now`: a mode that ended while Couper was down ends now.
        let engine = Engine::new(settings, mode, on_call, held, now);
        let mut service = Service {
            engine,
            store,
            ids,
            personal: VecDeque::new(),
            seen: HashMap::new(),
            seen_sites: HashMap::new(),
            seen_unwritten: 0,
            chosen: VecDeque::new(),
            locale: Lang::from_env(),
        };
        service.store.set_reader(service.lang());
        service.forget_old_releases(now)?;
        let effects = service.engine.handle(Event::Tick, now);
        let mut outcomes = Vec::new();
        if service.engine.state().mode != mode {
            let state = service.engine.state();
            service.store.set_mode(state.mode, now, state.working)?;
        }
        service.apply(effects, &mut outcomes)?;
        Ok((service, outcomes))
    }

    /// An app sent `n`; `replaces_id` as sent (0: none). For the user (see [`Caller`]).
    pub fn notify(
        &mut self,
        replaces_id: u32,
        n: &Notification,
        now: Timestamp,
    ) -> Result<Admitted, StoreError> {
        self.notify_from(None, replaces_id, n, now)
    }

    /// `caller` sent `n`; `replaces_id` as sent (0: none). A replacement reaches a held
    /// notification only from the connection that posted it: naming another's held id
    /// is a new notification.
    /// A hold that cannot be written is not counted (the gate then delivers it).
    pub fn notify_from(
        &mut self,
        caller: Caller<'_>,
        replaces_id: u32,
        n: &Notification,
        now: Timestamp,
    ) -> Result<Admitted, StoreError> {
        let result = self.admit(caller, replaces_id, n, now);
        if result.is_err() {
            self.resync_held();
        }
        result
    }

    /// After a failed write, the engine's queue follows the store again.
    fn resync_held(&mut self) {
        match self.store.held() {
            Ok(held) => self
                .engine
                .resync_held(held.into_iter().map(|h| (h.id, h.held_at))),
            Err(e) => tracing::error!("the held queue cannot be read back: {e}"),
        }
    }

    /// The Couper id that `id`, as an app sent it, stands for: an id the app chose itself,
    /// as a key binding's script sends each time (`dunstify -r 2593`), is the
    /// notification Couper gave for the first such call, as a daemon would keep it.
    pub fn stands_for(&self, id: u32) -> u32 {
        if self.ids.gave(id) {
            return id;
        }
        self.chosen
            .iter()
            .find(|(c, _)| *c == id)
            .map_or(id, |&(_, couper)| couper)
    }

    /// Whether `caller` may replace or withdraw notification `id`. A held one, only the
    /// connection that posted it (see README, "Replacing and withdrawing"); what is on
    /// screen or gone is the display's to replace, as without Couper (a script's
    /// `notify-send -r ID`, from a new connection each time, updates its own bubble).
    fn may_touch(&self, caller: Caller<'_>, id: u32) -> Result<bool, StoreError> {
        let Some(caller) = caller else {
            return Ok(true);
        };
        Ok(match self.store.held_owner(id)? {
            Some(Some(owner)) => owner == caller,
            // Held before Couper kept who posted it, or not held.
            Some(None) | None => true,
        })
    }

    fn admit(
        &mut self,
        caller: Caller<'_>,
        replaces_id: u32,
        n: &Notification,
        now: Timestamp,
    ) -> Result<Admitted, StoreError> {
        let target = self.stands_for(replaces_id);
        let replacing = self.ids.gave(target) && self.may_touch(caller, target)?;
        if replaces_id != 0 && !replacing {
            tracing::debug!(
                replaces_id,
                "a replacement of another's notification: a new one"
            );
        }
        let id = if replacing {
            target
        } else {
            let id = self.ids.take();
            if replaces_id != 0 && !self.ids.gave(replaces_id) {
                self.chosen.retain(|(c, _)| *c != replaces_id);
                self.chosen.push_back((replaces_id, id));
                if self.chosen.len() > CHOSEN_REMEMBERED {
                    self.chosen.pop_front();
                }
            }
            id
        };
        let effects = self.engine.handle(
            Event::Notify {
                id,
                notification: n,
                replacing,
            },
            now,
        );
        let mut outcomes = Vec::new();
        let mut admitted = None;
        let mut rest = Vec::new();
        for effect in effects {
            match effect {
                Effect::Decided(decision) => {
                    let lang = self.lang();
                    let (reason, stored) = if decision.source.is_none() || self.store.is_scratch() {
                        // Personal: kept in memory only, for `explain` in this language; or
                        // in the replay's store, which is read in this language only.
                        let reason = self.engine.reason(&decision, lang);
                        (reason.clone(), reason)
                    } else {
                        // Stored: in both languages, read later in the reader's.
                        let said = self.engine.reason_said(&decision);
                        (said.get(lang).to_string(), said.to_stored())
                    };
                    self.record_decision(&decision, stored, n, replacing, caller)?;
                    if matches!(decision.action, Action::Deliver | Action::DeliverCrisis) {
                        // Releases due before it were pushed first; keep the order.
                        self.apply(std::mem::take(&mut rest), &mut outcomes)?;
                        outcomes.push(Outcome::Show {
                            id,
                            notification: n.clone(),
                            crisis: decision.action == Action::DeliverCrisis,
                        });
                    }
                    admitted = Some((decision, reason));
                }
                other => rest.push(other),
            }
        }
        self.apply(rest, &mut outcomes)?;
        self.count_seen(n, now)?;
        let (decision, reason) = admitted.ok_or_else(|| StoreError::Corrupt {
            path: self.store.path().to_path_buf(),
            what: "decision",
            detail: "the engine made none".into(),
        })?;
        Ok(Admitted {
            id,
            work: decision.source.is_some(),
            decision,
            reason,
            outcomes,
        })
    }

    fn record_decision(
        &mut self,
        d: &Decision,
        reason: String,
        n: &Notification,
        replacing: bool,
        caller: Caller<'_>,
    ) -> Result<(), StoreError> {
        let state = self.engine.state();
        let entry = HistoryEntry {
            at: d.at,
            kind: match d.action {
                Action::Deliver => Kind::Deliver,
                Action::DeliverCrisis => Kind::Crisis,
                Action::Hold => Kind::Hold,
                Action::Drop => Kind::Drop,
            },
            id: Some(d.id),
            app: n.app.clone(),
            source: d.source.as_deref().map(str::to_string),
            crisis: d.crisis.is_some(),
            working: state.working,
            on_call: d.on_call,
            reason,
        };
        if d.source.is_none() {
            // Personal: nothing stored beyond the seen-apps count.
            if self.personal.len() >= PERSONAL_REMEMBERED {
                self.personal.pop_front();
            }
            self.personal.push_back((d.id, entry));
            if replacing {
                self.store.remove_held(d.id)?;
            }
            return Ok(());
        }
        match d.action {
            Action::Hold => self.store.hold_owned(
                Held {
                    id: d.id,
                    held_at: d.at,
                    source: entry.source.clone(),
                    notification: n.clone(),
                    crisis: entry.crisis,
                    until: d.until,
                    reason: entry.reason.clone(),
                    released_at: None,
                },
                caller,
                &entry,
            ),
            _ => {
                if replacing {
                    self.store.remove_held(d.id)?;
                }
                self.store.record(&entry)
            }
        }
    }

    /// The app withdrew notification `id` (for the user: see [`Caller`]).
    pub fn close(&mut self, id: u32, now: Timestamp) -> Result<Vec<Outcome>, StoreError> {
        self.run(Event::Close { id }, now)
    }

    /// `caller` withdrew notification `id` (as the app knows it: see
    /// [`Service::stands_for`]). A held one, only the connection that posted it may: from
    /// any other, the withdrawal is ignored (`None`). Otherwise the Couper id withdrawn.
    pub fn close_from(
        &mut self,
        caller: Caller<'_>,
        id: u32,
        now: Timestamp,
    ) -> Result<Option<(u32, Vec<Outcome>)>, StoreError> {
        let id = self.stands_for(id);
        if !self.may_touch(caller, id)? {
            tracing::debug!(id, "a withdrawal of another's notification: ignored");
            return Ok(None);
        }
        self.run(Event::Close { id }, now).map(|o| Some((id, o)))
    }

    /// A manual mode: `off`, `on`, `auto`, or the tray's toggle.
    pub fn set_mode(
        &mut self,
        request: ModeRequest,
        now: Timestamp,
    ) -> Result<Vec<Outcome>, StoreError> {
        self.run(Event::Mode(request), now)
    }

    /// The manual on-call switch.
    pub fn set_on_call(
        &mut self,
        request: OnCallRequest,
        now: Timestamp,
    ) -> Result<Vec<Outcome>, StoreError> {
        self.run(Event::OnCall(request), now)
    }

    /// New, validated settings.
    pub fn set_settings(
        &mut self,
        settings: &Settings,
        now: Timestamp,
    ) -> Result<Vec<Outcome>, StoreError> {
        let outcomes = self.run(Event::Settings(settings), now);
        self.store.set_reader(self.lang());
        outcomes
    }

    /// New settings compiled beside the Service ([`Rules::new`](crate::engine::Rules::new)):
    /// swapped in without compiling them here, where every app's `Notify` waits.
    pub fn set_rules(
        &mut self,
        rules: &crate::engine::Rules,
        now: Timestamp,
    ) -> Result<Vec<Outcome>, StoreError> {
        let outcomes = self.run(Event::Rules(rules), now);
        self.store.set_reader(self.lang());
        outcomes
    }

    /// Releases held notifications by hand.
    pub fn release(&mut self, which: &Which, now: Timestamp) -> Result<Vec<Outcome>, StoreError> {
        self.run(Event::Release(which), now)
    }

    /// Holds again `ids`, released at `at` but never shown (see [`Store::put_back`]);
    /// the engine's queue is read back from the store. Returns how many came back.
    pub fn put_back(&mut self, ids: &[u32], at: Timestamp) -> Result<usize, StoreError> {
        let back = self.store.put_back(ids, at);
        self.resync_held();
        back
    }

    /// Time passed (a timer fired).
    pub fn tick(&mut self, now: Timestamp) -> Result<Vec<Outcome>, StoreError> {
        self.forget_old_releases(now)?;
        self.run(Event::Tick, now)
    }

    /// Forgets the content of notifications released more than
    /// [`RELEASED_KEPT_DAYS`](crate::store::RELEASED_KEPT_DAYS) ago: bodies are kept only
    /// while the list in the app needs them.
    fn forget_old_releases(&mut self, now: Timestamp) -> Result<(), StoreError> {
        let kept = jiff::SignedDuration::from_hours(24 * crate::store::RELEASED_KEPT_DAYS);
        if let Ok(before) = now.checked_sub(kept) {
            self.store.purge_released(before)?;
        }
        Ok(())
    }

    /// Erases the history before `before` (all of it with `None`): see
    /// [`Store::forget`](crate::store::Store::forget). Returns how many decisions went.
    pub fn forget(&mut self, before: Option<Timestamp>) -> Result<usize, StoreError> {
        // Counts still in memory are history too: written first, erased with the rest.
        self.write_seen()?;
        self.store.forget(before)
    }

    /// Dismisses a held notification without showing it.
    pub fn dismiss(&mut self, id: u32, now: Timestamp) -> Result<Vec<Outcome>, StoreError> {
        // To the engine, a dismissal is a withdrawal.
        self.run(Event::Close { id }, now).map(|outcomes| {
            outcomes
                .into_iter()
                .filter(|o| !matches!(o, Outcome::Close { .. }))
                .collect()
        })
    }

    fn run(&mut self, event: Event<'_>, now: Timestamp) -> Result<Vec<Outcome>, StoreError> {
        let effects = self.engine.handle(event, now);
        let mut outcomes = Vec::new();
        if let Err(e) = self.apply(effects, &mut outcomes) {
            self.resync_held();
            return Err(e);
        }
        Ok(outcomes)
    }

    fn apply(
        &mut self,
        effects: Vec<Effect>,
        outcomes: &mut Vec<Outcome>,
    ) -> Result<(), StoreError> {
        let mode = self.engine.settings().release.mode;
        for effect in effects {
            match effect {
                Effect::Decided(_) => {}
                Effect::Released(release) => {
                    let items = self
                        .store
                        .release(&release.ids, release.at, release.cause)?;
                    outcomes.push(Outcome::Released {
                        at: release.at,
                        items,
                        cause: release.cause,
                        mode,
                    });
                    outcomes.push(Outcome::StateChanged);
                }
                Effect::Withdrawn { id } => {
                    let working = self.engine.state().working;
                    self.store.withdraw(id, self.engine.now(), working)?;
                    outcomes.push(Outcome::StateChanged);
                }
                Effect::Close { id } => outcomes.push(Outcome::Close { id }),
                Effect::ModeChanged { at, mode } => {
                    let working = self.engine.state().working;
                    self.store.set_mode(mode, at, working)?;
                    outcomes.push(Outcome::StateChanged);
                }
                Effect::OnCallChanged { at, on } => {
                    self.store.set_on_call(on, at)?;
                    outcomes.push(Outcome::StateChanged);
                }
            }
        }
        Ok(())
    }

    /// When the driver must call [`Service::tick`] next.
    pub fn next_wake(&self) -> Option<Timestamp> {
        self.engine.next_wake()
    }

    /// The next change of working time (ignoring on call).
    pub fn next_transition(&self) -> Option<Timestamp> {
        self.engine.next_transition()
    }

    /// The state now.
    pub fn status(&self) -> Status {
        Status {
            state: self.engine.state(),
            next_start: self.engine.next_start(),
            timezone: self.engine.settings().timezone_name.clone(),
        }
    }

    /// The held queue, oldest first.
    pub fn held(&self) -> Result<Vec<Held>, StoreError> {
        self.store.held()
    }

    /// The decision(s) on notification `id`.
    /// Their reasons are in the Service's language ([`Service::lang`]).
    pub fn explain(&self, id: u32) -> Result<Option<Explanation>, StoreError> {
        let lang = self.lang();
        let said = |entry: &HistoryEntry| HistoryEntry {
            reason: entry.reason_in(lang),
            ..entry.clone()
        };
        if let Some((_, entry)) = self.personal.iter().rev().find(|(i, _)| *i == id) {
            return Ok(Some(Explanation {
                id,
                app: entry.app.clone(),
                events: vec![said(entry)],
            }));
        }
        let events = self.store.history_of(id)?;
        Ok(events.first().map(|first| Explanation {
            id,
            app: first.app.clone(),
            events: events.iter().map(said).collect(),
        }))
    }

    /// The language the Service speaks: the settings' `language`, else the locale's.
    /// Reasons are stored in both; this is the one they are read in.
    pub fn lang(&self) -> Lang {
        self.engine.settings().language.unwrap_or(self.locale)
    }

    /// Counts one notification for the seen-apps list, and the site it names for a
    /// browser's (the host only: nothing of the text). Counts are written in batches: they
    /// are a convenience for the window, not something a crash must keep, and a write per
    /// notification doubled the cost of a delivery.
    fn count_seen(&mut self, n: &Notification, now: Timestamp) -> Result<(), StoreError> {
        // Looked up before it is copied: most apps are seen already.
        let entry = match self.seen.get_mut(&n.app) {
            Some(entry) => entry,
            None => self.seen.entry(n.app.clone()).or_insert((0, now)),
        };
        entry.0 += 1;
        entry.1 = now;
        if let Some(site) = n.site() {
            let entry = self
                .seen_sites
                .entry((n.app.clone(), site))
                .or_insert((0, now));
            entry.0 += 1;
            entry.1 = now;
        }
        self.seen_unwritten += 1;
        if self.seen_unwritten >= SEEN_WRITE_EVERY {
            self.write_seen()?;
        }
        Ok(())
    }

    /// Writes the seen-apps and seen-sites counts not yet in the store.
    pub fn write_seen(&mut self) -> Result<(), StoreError> {
        // Tried again after as many notifications again when the store fails.
        self.seen_unwritten = 0;
        if !self.seen.is_empty() || !self.seen_sites.is_empty() {
            // In one transaction; kept in memory until it is written.
            self.store.seen_counts(
                self.seen
                    .iter()
                    .map(|(app, (count, last))| (app.as_str(), *count, *last)),
                self.seen_sites.iter().map(|((app, site), (count, last))| {
                    (app.as_str(), site.as_str(), *count, *last)
                }),
            )?;
            self.seen.clear();
            self.seen_sites.clear();
        }
        Ok(())
    }

    /// The apps seen recently, newest first, each with the sites it named.
    pub fn seen_apps(&mut self, limit: usize) -> Result<Vec<SeenApp>, StoreError> {
        self.write_seen()?;
        self.store.seen_apps(limit)
    }

    /// The engine, for read-only queries (schedule previews, reports).
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The store, for read-only queries (reports).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The mode in force.
    pub fn mode(&self) -> Mode {
        self.engine.state().mode
    }

    /// Keeps a value in the store (e.g. the last good settings text).
    pub fn remember(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.store.set_state(key, value)
    }

    /// Replaces the on-call shifts that come from the team's calendar (SPEC §8; see
    /// `calendar.rs`). Being on call may change now: front ends refresh.
    pub fn set_calendar_shifts(&mut self, shifts: Vec<crate::settings::Shift>) -> Vec<Outcome> {
        self.engine.set_extra_shifts(shifts);
        vec![Outcome::StateChanged]
    }
}

/// The mode a front end asks for by name: `off`, `on`, `auto` or `toggle`. Refused in
/// English; [`mode_request_in`] says why in the reader's language.
pub fn mode_request(name: &str, until: Option<Timestamp>) -> Result<ModeRequest, String> {
    mode_request_in(name, until, Lang::En)
}

/// [`mode_request`], refused in `lang`.
pub fn mode_request_in(
    name: &str,
    until: Option<Timestamp>,
    lang: Lang,
) -> Result<ModeRequest, String> {
    match name {
        "off" => Ok(ModeRequest::Off { until }),
        "on" => Ok(ModeRequest::On { until }),
        "auto" if until.is_none() => Ok(ModeRequest::Auto),
        "toggle" if until.is_none() => Ok(ModeRequest::Toggle),
        "auto" | "toggle" => Err(crate::t!(lang, "request-mode-no-end", mode = name)),
        other => Err(crate::t!(
            lang,
            "request-not-a-mode",
            mode = format!("{other:?}")
        )),
    }
}

/// Reads an end time as a user types it, in `zone`: a bare time, `HH:MM` or `HH:MM:SS`
/// (its next occurrence), or a full date-time, `YYYY-MM-DD HH:MM`, `YYYY-MM-DDTHH:MM`
/// (in `zone`) or RFC 3339 (that instant, which must be after `now`). Anything else,
/// a date alone included, is refused (in English; [`parse_until_in`] says why in the
/// reader's language).
pub fn parse_until(text: &str, now: Timestamp, zone: &TimeZone) -> Result<Timestamp, String> {
    parse_until_in(text, now, zone, Lang::En)
}

/// [`parse_until`], refused in `lang`.
pub fn parse_until_in(
    text: &str,
    now: Timestamp,
    zone: &TimeZone,
    lang: Lang,
) -> Result<Timestamp, String> {
    let text = text.trim();
    let refuse = || crate::t!(lang, "request-until-not-a-time", text = format!("{text:?}"));
    if let Some(time) = bare_time(text) {
        let today = now.to_zoned_datetime(zone.clone()).date();
        let t = local_instant(today.to_datetime(time), zone).ok_or_else(refuse)?;
        if t > now {
            return Ok(t);
        }
        let tomorrow = today.tomorrow().map_err(|_| refuse())?;
        return local_instant(tomorrow.to_datetime(time), zone).ok_or_else(refuse);
    }
    let t = parse_date_time(text, zone).ok_or_else(refuse)?;
    if t <= now {
        return Err(crate::t!(
            lang,
            "request-until-past",
            text = format!("{text:?}")
        ));
    }
    Ok(t)
}

/// `HH:MM` or `HH:MM:SS`, and nothing more (jiff's own parser would take the time out
/// of a full date-time).
fn bare_time(text: &str) -> Option<jiff::civil::Time> {
    let fields: Vec<&str> = text.split(':').collect();
    let two_digits = |f: &&str| f.len() == 2 && f.bytes().all(|b| b.is_ascii_digit());
    if !(2..=3).contains(&fields.len()) || !fields.iter().all(two_digits) {
        return None;
    }
    text.parse().ok()
}

/// Reads the date `couper forget --before` takes, in `zone`: `YYYY-MM-DD` (the start of
/// that day), `YYYY-MM-DD HH:MM` or RFC 3339. A blank one is refused: it is not "all".
/// Refused in English; [`parse_before_in`] says why in the reader's language.
pub fn parse_before(text: &str, zone: &TimeZone) -> Result<Timestamp, String> {
    parse_before_in(text, zone, Lang::En)
}

/// [`parse_before`], refused in `lang`.
pub fn parse_before_in(text: &str, zone: &TimeZone, lang: Lang) -> Result<Timestamp, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err(crate::t!(lang, "request-before-empty"));
    }
    parse_instant(text, zone).ok_or_else(|| {
        crate::t!(
            lang,
            "request-before-not-a-date",
            text = format!("{text:?}")
        )
    })
}

/// RFC 3339, or a local date-time or date (its midnight) in `zone`.
fn parse_instant(text: &str, zone: &TimeZone) -> Option<Timestamp> {
    if let Some(t) = parse_date_time(text, zone) {
        return Some(t);
    }
    let date = text.parse::<jiff::civil::Date>().ok()?;
    local_instant(date.to_datetime(jiff::civil::Time::midnight()), zone)
}

/// RFC 3339, or a local date-time in `zone` (`YYYY-MM-DD HH:MM`, `YYYY-MM-DDTHH:MM`).
fn parse_date_time(text: &str, zone: &TimeZone) -> Option<Timestamp> {
    if let Ok(t) = text.parse::<Timestamp>() {
        return Some(t);
    }
    if let Ok(zoned) = text.parse::<jiff::ZonedDateTime>() {
        return Some(zoned.timestamp());
    }
    // jiff reads a date alone as its midnight: that is not a date-time.
    if !text.contains([' ', 'T', 't']) {
        return None;
    }
    let dt = text
        .replacen(' ', "T", 1)
        .parse::<jiff::civil::DateTime>()
        .ok()?;
    local_instant(dt, zone)
}

/// A local time in `zone` (in a gap, the instant after it; in a fold, the first).
fn local_instant(dt: jiff::civil::DateTime, zone: &TimeZone) -> Option<Timestamp> {
    zone.to_ambiguous_timestamp(dt).compatible().ok()
}

/// The digest notification for a release, in `lang`: "While you were off: 12 held —
/// Slack 7, Teams 5", with an action that opens the list.
pub fn digest(items: &[Held], lang: Lang) -> Notification {
    let mut per_app: BTreeMap<&str, usize> = BTreeMap::new();
    for item in items {
        let name = item
            .source
            .as_deref()
            .unwrap_or(item.notification.app.as_str());
        *per_app.entry(name).or_default() += 1;
    }
    let mut counts: Vec<(&str, usize)> = per_app.into_iter().collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let list = counts
        .iter()
        .map(|(name, n)| crate::t!(lang, "digest-app", app = *name, count = n.to_string()))
        .collect::<Vec<_>>()
        .join(", ");
    let show = crate::t!(lang, "digest-show");
    let show_held = crate::t!(lang, "digest-show-held");
    Notification {
        app: "Couper".into(),
        summary: crate::t!(lang, "digest-summary", count = items.len(), list = list),
        body: crate::t!(lang, "digest-body"),
        icon: "couper".into(),
        actions: vec!["default".into(), show, "open".into(), show_held],
        hints: BTreeMap::new(),
        urgency: crate::notification::Urgency::Normal,
        expire_timeout: -1,
    }
}

/// The list the digest opens where no window runs, in `lang`: the last release's first
/// ten (`released`, newest first), and how many more. `None` when none.
pub fn held_list(released: &[Held], lang: Lang) -> Option<Notification> {
    if released.is_empty() {
        return None;
    }
    let lines: Vec<String> = released
        .iter()
        .take(10)
        .map(|h| {
            let name = h.source.as_deref().unwrap_or(&h.notification.app);
            crate::t!(
                lang,
                "held-list-line",
                app = name,
                summary = h.notification.summary.as_str()
            )
        })
        .collect();
    let more = released.len().saturating_sub(10);
    let mut body = lines.join("\n");
    if more > 0 {
        body.push('\n');
        body.push_str(&crate::t!(lang, "held-list-more", count = more.to_string()));
    }
    Some(Notification {
        app: "Couper".into(),
        summary: crate::t!(lang, "held-list-summary"),
        body,
        icon: "couper".into(),
        ..Default::default()
    })
}

/// What the settings window shows under the hours: where the schedule goes next.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Preview {
    /// Working time now, by the schedule (manual modes aside).
    pub working: bool,
    /// When the current working period ends, if working.
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub next_end: Option<Timestamp>,
    /// The next start of working time after now (or after the current period).
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub next_start: Option<Timestamp>,
    /// "Next: off at 18:00, back Wed 09:00", in the language asked for.
    pub text: String,
    /// The next three on-call periods.
    pub on_call: Vec<crate::on_call::Period>,
}

/// The preview of `settings` at `now`, computed by the schedule itself.
pub fn preview(settings: &Settings, now: Timestamp, lang: Lang) -> Preview {
    use crate::words::short;
    let schedule = crate::schedule::Schedule::new(settings);
    let zone = settings.timezone.clone();
    let here = now.to_zoned_datetime(zone.clone());
    let say = |t: Timestamp| short(&here, &t.to_zoned_datetime(zone.clone()), lang);
    let working = schedule.is_working(now);
    let next_end = if working {
        schedule.next_end(now)
    } else {
        None
    };
    let next_start = schedule.next_start(next_end.unwrap_or(now));
    let text = match (working, next_end, next_start) {
        (true, Some(end), Some(start)) => crate::t!(
            lang,
            "preview-off-and-back",
            end = say(end),
            start = say(start)
        ),
        (true, Some(end), None) => crate::t!(lang, "preview-off", end = say(end)),
        (true, None, _) => crate::t!(lang, "preview-around-the-clock"),
        (false, _, Some(start)) => crate::t!(lang, "preview-back", start = say(start)),
        (false, _, None) => crate::t!(lang, "preview-never"),
    };
    let on_call = crate::on_call::OnCallSchedule::new(&settings.on_call, &zone, &[])
        .periods(
            now,
            now.saturating_add(jiff::SignedDuration::from_hours(24 * 400))
                .unwrap_or(now),
        )
        .into_iter()
        .filter(|p| p.end > now)
        .take(3)
        .collect();
    Preview {
        working,
        next_end,
        next_start,
        text,
        on_call,
    }
}

#[cfg(test)]
mod preview_tests {
    use super::*;
    use crate::words::Lang;

    #[test]
    fn the_preview_says_when_work_ends_and_starts_again() {
        let settings = crate::settings::parse(
            "timezone = \"Europe/Paris\"\n[hours]\nmon = [\"09:00-18:00\"]\nwed = [\"09:00-18:00\"]\n",
            "t",
        )
        .unwrap();
        let monday_noon: Timestamp = "2026-11-30T12:00:00+01:00".parse().unwrap();
        let p = preview(&settings, monday_noon, Lang::En);
        assert_eq!(p.text, "Next: off at 18:00, back Wed 09:00");
        let p = preview(&settings, monday_noon, Lang::Fr);
        assert_eq!(p.text, "Ensuite : fin à 18:00, retour mer. 09:00");
        let sunday: Timestamp = "2026-11-29T12:00:00+01:00".parse().unwrap();
        assert_eq!(
            preview(&settings, sunday, Lang::En).text,
            "Next: back at work Mon 09:00"
        );
    }
}

#[cfg(test)]
mod seen_tests {
    use super::*;

    #[test]
    fn seen_apps_count_every_notification_and_survive_a_restart() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("couper.sqlite3");
        let settings = crate::settings::parse("timezone = \"Europe/Paris\"\n", "t").unwrap();
        let now: Timestamp = "2026-11-28T21:00:00+01:00".parse().unwrap();
        let n = Notification {
            app: "WhatsApp".into(),
            summary: "Maman".into(),
            ..Default::default()
        };
        {
            let (mut service, _) =
                Service::open(&settings, Store::open(&path).unwrap(), now).unwrap();
            for _ in 0..40 {
                service.notify(0, &n, now).unwrap();
            }
            assert_eq!(service.seen_apps(10).unwrap()[0].count, 40);
            for _ in 0..5 {
                service.notify(0, &n, now).unwrap();
            }
        }
        let (mut service, _) = Service::open(&settings, Store::open(&path).unwrap(), now).unwrap();
        let seen = service.seen_apps(10).unwrap();
        assert_eq!((seen[0].app.as_str(), seen[0].count), ("WhatsApp", 45));
    }

    #[test]
    fn seen_counts_the_store_refused_are_kept_and_written_whole_once_it_takes_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("couper.sqlite3");
        let settings = crate::settings::parse("timezone = \"Europe/Paris\"\n", "t").unwrap();
        let now: Timestamp = "2026-11-28T21:00:00+01:00".parse().unwrap();
        let (mut service, _) = Service::open(&settings, Store::open(&path).unwrap(), now).unwrap();
        let whatsapp = Notification {
            app: "WhatsApp".into(),
            summary: "Maman".into(),
            ..Default::default()
        };
        let linkedin = Notification {
            app: "Chromium".into(),
            summary: "Inbox".into(),
            body: "www.linkedin.com\n\nUn message".into(),
            ..Default::default()
        };
        service.notify(0, &whatsapp, now).unwrap();
        service.notify(0, &linkedin, now).unwrap();
        // The disk refuses the sites (as a full one would) after the apps went in.
        let other = rusqlite::Connection::open(&path).unwrap();
        other
            .execute_batch(
                "CREATE TRIGGER refuse BEFORE INSERT ON seen_sites
                 BEGIN SELECT RAISE(ABORT, 'disk full'); END;",
            )
            .unwrap();
        assert!(service.write_seen().is_err());
        let counted: i64 = other
            .query_row("SELECT count(*) FROM seen_apps", [], |r| r.get(0))
            .unwrap();
        assert_eq!(
            counted, 0,
            "all or nothing: no app counted without its sites"
        );
        other.execute_batch("DROP TRIGGER refuse;").unwrap();
        service.notify(0, &whatsapp, now).unwrap();
        let seen = service.seen_apps(10).unwrap();
        let count = |app: &str| seen.iter().find(|a| a.app == app).map(|a| a.count);
        assert_eq!(count("WhatsApp"), Some(2));
        assert_eq!(count("Chromium"), Some(1));
        let chromium = seen.iter().find(|a| a.app == "Chromium").unwrap();
        assert_eq!(chromium.sites.len(), 1, "{:?}", chromium.sites);
    }

    #[test]
    fn a_browser_s_sites_are_seen_by_host_alone_and_forgotten_with_the_history() {
        use crate::notification::HintValue;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("couper.sqlite3");
        let settings = crate::settings::parse("timezone = \"Europe/Paris\"\n", "t").unwrap();
        let now: Timestamp = "2026-11-28T21:00:00+01:00".parse().unwrap();
        let chromium = |body: &str| Notification {
            app: "Chromium".into(),
            summary: "Inbox".into(),
            body: body.into(),
            ..Default::default()
        };
        let mut firefox = Notification {
            app: "Firefox".into(),
            summary: "Hi".into(),
            body: "see mail.example.org".into(),
            ..Default::default()
        };
        let mut hinted = chromium("secret text");
        hinted.hints.insert(
            "x-kde-origin-name".into(),
            HintValue::Str("https://www.linkedin.com/".into()),
        );
        {
            let (mut service, _) =
                Service::open(&settings, Store::open(&path).unwrap(), now).unwrap();
            let linked = "<a href=\"https://mail.example.org/\">mail.example.org</a>\n\nsecret";
            service.notify(0, &chromium(linked), now).unwrap();
            service
                .notify(0, &chromium("mail.example.org\n\nsecret"), now)
                .unwrap();
            service.notify(0, &hinted, now).unwrap();
            service.notify(0, &firefox, now).unwrap();
            firefox.body = "no site".into();
            service.notify(0, &firefox, now).unwrap();
        }
        let (mut service, _) = Service::open(&settings, Store::open(&path).unwrap(), now).unwrap();
        let seen = service.seen_apps(10).unwrap();
        let sites = |app: &str| -> Vec<(String, u64)> {
            seen.iter()
                .find(|a| a.app == app)
                .unwrap()
                .sites
                .iter()
                .map(|s| (s.site.clone(), s.count))
                .collect()
        };
        let mut chromium_sites = sites("Chromium");
        chromium_sites.sort();
        assert_eq!(
            chromium_sites,
            [
                ("mail.example.org".into(), 2),
                ("www.linkedin.com".into(), 1)
            ]
        );
        assert!(sites("Firefox").is_empty(), "a page's text names no site");
        for file in std::fs::read_dir(dir.path()).unwrap() {
            let stored = std::fs::read(file.unwrap().path()).unwrap();
            assert!(
                !stored.windows(6).any(|w| w == b"secret"),
                "the text is not kept"
            );
        }
        service.notify(0, &hinted, now).unwrap();
        service.forget(None).unwrap();
        assert!(service.seen_apps(10).unwrap().is_empty(), "all forgotten");
    }
}

#[cfg(test)]
mod owner_tests {
    use super::*;

    fn slack() -> (Settings, Timestamp) {
        let settings = crate::settings::parse(
            "timezone = \"Europe/Paris\"\n[hours]\nmon = [\"09:00-18:00\"]\n[[work_apps]]\nname = \"Slack\"\napp = \"slack\"\n",
            "t",
        )
        .unwrap();
        // A Saturday: Slack is held.
        (settings, "2026-11-28T21:00:00+01:00".parse().unwrap())
    }

    fn note(body: &str) -> Notification {
        Notification {
            app: "Slack".into(),
            summary: "Bryan".into(),
            body: body.into(),
            ..Default::default()
        }
    }

    #[test]
    fn once_the_store_is_full_what_could_not_be_held_is_not_counted_held() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("couper.sqlite3");
        let (settings, now) = slack();
        let (mut service, _) = Service::open(&settings, Store::open(&path).unwrap(), now).unwrap();
        service
            .notify_from(Some(":1.7"), 0, &note("kept"), now)
            .unwrap();
        service.store.fill_up_after(0);
        let big = "x".repeat(64 * 1024);
        let mut refused = 0;
        for _ in 0..5 {
            if service
                .notify_from(Some(":1.7"), 0, &note(&big), now)
                .is_err()
            {
                refused += 1;
            }
        }
        assert_eq!(refused, 5, "a full store refuses each hold");
        assert_eq!(
            service.status().state.held,
            1,
            "the count follows the store"
        );
        assert_eq!(service.held().unwrap().len(), 1);
    }

    #[test]
    fn a_withdrawal_from_another_connection_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (settings, now) = slack();
        let store = Store::open(&dir.path().join("couper.sqlite3")).unwrap();
        let (mut service, _) = Service::open(&settings, store, now).unwrap();
        let id = service
            .notify_from(Some(":1.7"), 0, &note("a"), now)
            .unwrap()
            .id;
        assert_eq!(service.close_from(Some(":1.9"), id, now).unwrap(), None);
        assert_eq!(service.status().state.held, 1);
        assert!(service.close_from(Some(":1.7"), id, now).unwrap().is_some());
        assert_eq!(service.status().state.held, 0);
    }
}

#[cfg(test)]
mod release_tests {
    use super::*;

    #[test]
    fn released_bodies_are_forgotten_after_a_week() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("couper.sqlite3");
        let settings = crate::settings::parse(
            "timezone = \"Europe/Paris\"\n[hours]\nmon = [\"09:00-18:00\"]\n[[work_apps]]\nname = \"Slack\"\napp = \"slack\"\n",
            "t",
        )
        .unwrap();
        let saturday: Timestamp = "2026-11-28T21:00:00+01:00".parse().unwrap();
        let (mut service, _) =
            Service::open(&settings, Store::open(&path).unwrap(), saturday).unwrap();
        let n = Notification {
            app: "Slack".into(),
            summary: "Bryan".into(),
            body: "On publie ?".into(),
            ..Default::default()
        };
        service.notify(0, &n, saturday).unwrap();
        let monday: Timestamp = "2026-11-30T09:30:00+01:00".parse().unwrap();
        service.tick(monday).unwrap();
        assert_eq!(service.store().released_since(saturday).unwrap().len(), 1);
        let next_week: Timestamp = "2026-12-07T10:00:00+01:00".parse().unwrap();
        service.tick(next_week).unwrap();
        assert!(service.store().released_since(saturday).unwrap().is_empty());
    }
}

#[cfg(test)]
mod parse_tests {
    use super::*;

    fn paris() -> TimeZone {
        TimeZone::get("Europe/Paris").unwrap()
    }

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    // Issue 16: a full date-time was read as "the next 09:00".
    #[test]
    fn until_a_full_date_time_is_that_instant() {
        let now = at("2026-12-02T10:00:00+01:00");
        let zone = paris();
        for (text, then) in [
            ("2026-12-06T09:00:00+00:00", "2026-12-06T09:00:00Z"),
            ("2026-12-06T09:00:00Z", "2026-12-06T09:00:00Z"),
            ("2026-12-06 09:00", "2026-12-06T08:00:00Z"),
            ("2026-12-06T09:00", "2026-12-06T08:00:00Z"),
            ("2026-12-06T09:00[America/New_York]", "2026-12-06T14:00:00Z"),
        ] {
            assert_eq!(parse_until(text, now, &zone), Ok(at(then)), "{text}");
        }
    }

    #[test]
    fn until_a_bare_time_is_its_next_occurrence() {
        let now = at("2026-12-02T10:00:00+01:00");
        let zone = paris();
        assert_eq!(
            parse_until("21:00", now, &zone),
            Ok(at("2026-12-02T21:00:00+01:00"))
        );
        assert_eq!(
            parse_until(" 09:00:30 ", now, &zone),
            Ok(at("2026-12-03T09:00:30+01:00"))
        );
    }

    #[test]
    fn until_anything_else_is_refused_in_one_line() {
        let now = at("2026-12-02T10:00:00+01:00");
        let zone = paris();
        for text in [
            "2026-12-06",
            "9h",
            "9:00",
            "25:00",
            "tomorrow",
            "",
            "09:00:00:00",
        ] {
            let refused = parse_until(text, now, &zone).unwrap_err();
            assert!(refused.starts_with("--until"), "{text}: {refused}");
            assert!(
                refused.contains("is not a time: use HH:MM"),
                "{text}: {refused}"
            );
        }
        assert_eq!(
            parse_until("2026-12-01T09:00:00+01:00", now, &zone),
            Err("--until \"2026-12-01T09:00:00+01:00\" is already past".into())
        );
    }

    // Issue 16: `couper forget --before ""` erased the whole history.
    #[test]
    fn before_a_blank_date_is_refused_naming_the_flag() {
        for text in ["", "   ", "\t"] {
            let refused = parse_before(text, &paris()).unwrap_err();
            assert!(
                refused.starts_with("--before is empty"),
                "{text:?}: {refused}"
            );
            assert!(!refused.contains('\n'));
        }
        assert_eq!(
            parse_before("2026-11-01", &paris()),
            Ok(at("2026-11-01T00:00:00+01:00"))
        );
    }

    #[test]
    fn a_request_is_refused_in_the_readers_language() {
        let now = at("2026-12-02T10:00:00+01:00");
        let zone = paris();
        assert_eq!(
            parse_until_in("9h", now, &zone, Lang::Fr),
            Err("--until \"9h\" n'est pas une heure : écrivez HH:MM, AAAA-MM-JJ HH:MM ou RFC 3339 (2026-11-30T09:00:00+01:00)".into())
        );
        assert_eq!(
            parse_until_in("2026-12-01T09:00:00+01:00", now, &zone, Lang::Fr),
            Err("--until \"2026-12-01T09:00:00+01:00\" est déjà passé".into())
        );
        assert_eq!(
            parse_before_in("last week", &zone, Lang::Fr),
            Err("--before \"last week\" n'est pas une date : écrivez AAAA-MM-JJ, AAAA-MM-JJ HH:MM ou RFC 3339".into())
        );
        assert!(parse_before_in(" ", &zone, Lang::Fr)
            .unwrap_err()
            .starts_with("--before est vide : donnez une date"));
        assert_eq!(
            mode_request_in("pause", None, Lang::Fr),
            Err("\"pause\" n'est pas un mode : off, on, auto ou toggle".into())
        );
        assert_eq!(
            mode_request_in("auto", Some(now), Lang::Fr),
            Err("auto ne prend pas d'heure de fin".into())
        );
        // The English ones are still what the CLI's tests expect.
        assert_eq!(
            mode_request("pause", None),
            Err("\"pause\" is not a mode: off, on, auto or toggle".into())
        );
    }
}

#[cfg(test)]
mod language_tests {
    use super::*;

    fn slack() -> (Settings, Timestamp) {
        let settings = crate::settings::parse(
            "timezone = \"Europe/Paris\"\n[hours]\nmon = [\"09:00-18:00\"]\n[[work_apps]]\nname = \"Slack\"\napp = \"slack\"\n",
            "t",
        )
        .unwrap();
        (settings, "2026-11-28T21:00:00+01:00".parse().unwrap())
    }

    fn note(body: &str) -> Notification {
        Notification {
            app: "Slack".into(),
            summary: "Bryan".into(),
            body: body.into(),
            ..Default::default()
        }
    }

    #[test]
    fn issue_14_the_settings_language_says_the_reason_the_held_queue_and_the_digest() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("couper.sqlite3");
        let (mut settings, now) = slack();
        settings.language = Some(Lang::Fr);
        let (mut service, _) = Service::open(&settings, Store::open(&path).unwrap(), now).unwrap();
        let admitted = service.notify(0, &note("On publie ?"), now).unwrap();
        let fr = "retenue : Slack est une app de travail et samedi 21:00 est hors de vos \
                  horaires ; remise lundi 09:00";
        assert_eq!(admitted.reason, fr);
        assert_eq!(service.held().unwrap()[0].reason, fr);
        let (page, _) = service.store().held_page_json(0, 1 << 20).unwrap();
        assert!(page.contains(fr), "{page}");
        let explained = service.explain(admitted.id).unwrap().unwrap();
        assert_eq!(explained.events[0].reason, fr);
        let said = digest(&service.held().unwrap(), service.lang());
        assert_eq!(said.summary, "En votre absence : 1 retenue — Slack 1");
        assert_eq!(said.body, "Ouvrez Couper pour les lire.");

        // The same store read in English once the settings say so.
        settings.language = Some(Lang::En);
        service.set_settings(&settings, now).unwrap();
        let en = "held: Slack is a work app and Saturday 21:00 is outside your hours; \
                  delivered Monday 09:00";
        assert_eq!(service.held().unwrap()[0].reason, en);
        assert_eq!(
            service.explain(admitted.id).unwrap().unwrap().events[0].reason,
            en
        );
        service.notify(0, &note("Et là ?"), now).unwrap();
        let said = digest(&service.held().unwrap(), Lang::En);
        assert_eq!(said.summary, "While you were off: 2 held — Slack 2");
        let fr_digest = digest(&service.held().unwrap(), Lang::Fr);
        assert_eq!(fr_digest.summary, "En votre absence : 2 retenues — Slack 2");
    }
}
