//! The live gatekeeper: the Service on the wall clock, and the typed API every front door
//! calls (the control interface for the CLI, the tray app's commands, the gate through
//! [`Gatekeeper`]). It reads the clock, and only it; what runs around it (the routes, the
//! executor of outcomes, timers and watchers) is composed in `daemon.rs`.

use crate::engine::{OnCallRequest, Which, ALERT_APP};
use crate::gate::{self, Admission, Gatekeeper, Verdict};
use crate::i18n::{Lang, Said};
use crate::ids::Issuer;
use crate::notification::{HintValue, Notification};
use crate::service::{self, Admitted, Explanation, Outcome, Service, Status};
use crate::settings::{self, Settings};
use crate::store::{Held, SeenApp, Store, StoreError};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::{mpsc, Notify};

/// In replay mode, at most this many are shown one by one; a larger release is a digest.
pub const REPLAY_MAX: usize = 20;
/// The pause between two replayed notifications.
pub(crate) const REPLAY_GAP: Duration = Duration::from_millis(1500);
/// How long the settings file must stay unchanged before it is read again.
pub(crate) const SETTINGS_SETTLE: Duration = Duration::from_millis(100);
/// Where the last good settings text is kept in the store.
const LAST_GOOD: &str = "settings.last_good";

/// Why `couper run` could not start or stopped. Display says it in English, for the
/// logs; [`LiveError::said`] in the reader's language.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    /// Another gate runs in this session.
    #[error("a Couper gate is already running in this session{owner}; use `couper status`, or stop it before starting another")]
    AlreadyRunning {
        /// " (pid N: command)", when known.
        owner: String,
    },
    /// The settings were refused and no good copy is known.
    #[error(transparent)]
    Settings(#[from] settings::LoadError),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The gate failed.
    #[error(transparent)]
    Gate(#[from] gate::GateError),
    /// The steer route failed.
    #[error(transparent)]
    Steer(#[from] crate::steer::SteerError),
    /// The session bus failed.
    #[error("session bus: {0}")]
    Bus(#[from] zbus::Error),
    /// A system call failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done.
        what: &'static str,
        /// Why.
        source: std::io::Error,
    },
}

impl LiveError {
    /// Why, in `lang`: a refused settings file says every refusal on its own line. What
    /// the system or the bus says stays in its own words.
    pub fn said(&self, lang: Lang) -> String {
        match self {
            LiveError::AlreadyRunning { owner } => {
                crate::t!(lang, "gate-already-running", owner = owner.as_str())
            }
            LiveError::Settings(e) => {
                format!(
                    "{}\n{}",
                    crate::t!(lang, "gate-settings-refused"),
                    e.said(lang)
                )
            }
            other => other.to_string(),
        }
    }
}

/// Why [`Live::set_mode`] changed nothing.
#[derive(Debug, thiserror::Error)]
pub enum ModeError {
    /// Not a mode, or an end that is not a time to come (said in the gate's language).
    #[error("{0}")]
    Refused(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Why [`Live::forget`] erased nothing.
#[derive(Debug, thiserror::Error)]
pub enum ForgetError {
    /// The date was not understood (said in the gate's language).
    #[error("{0}")]
    Date(String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The status as front ends show it: the Service's, plus the route and the settings.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LiveStatus {
    /// Mode, working, on call, held...
    #[serde(flatten)]
    pub status: Status,
    /// The gate route: "proxy", "gnome" / "plasma" (the steer route), or "none" while
    /// Couper stands aside.
    pub route: Route,
    /// Why this route.
    pub route_reason: String,
    /// The display daemon Couper draws through.
    pub display: Option<String>,
    /// Why Couper does not gate the session now (it failed open), when it does not.
    pub not_gating: Option<NotGating>,
    /// The private bus the display daemon listens on (for diagnostics and tests).
    pub display_bus: Option<String>,
    /// The settings file.
    pub settings_path: PathBuf,
    /// The last refusal of a settings edit, while the file stays refused, in the gate's
    /// language (its settings' `language`, else its locale), every refusal after "; ".
    pub settings_refused: Option<String>,
    /// The team's calendar, when the settings name one.
    pub calendar: Option<crate::calendar::CalendarStatus>,
    /// Since when the calendar cannot be read (its last good copy is in use).
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub calendar_stale_since: Option<Timestamp>,
    /// While the store cannot keep notifications: since when, why, and how many were
    /// shown at once rather than kept (fail open). Cleared by the next one it keeps.
    #[serde(default)]
    pub store_failure: Option<StoreFailure>,
}

/// The store could not keep a notification, so it was shown at once (SPEC: nothing is
/// lost; a hold that is not on disk is no hold).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StoreFailure {
    /// The first failure of this run of them.
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub since: Timestamp,
    /// The last failure, as the store said it (its file and SQLite's words).
    pub error: String,
    /// How many notifications were shown unkept since then.
    pub shown_unkept: u32,
}

/// How Couper stands in front of the desktop's notifications.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Route {
    /// In front of the display daemon (the proxy gate).
    Proxy,
    /// Steering GNOME Shell.
    Gnome,
    /// Steering Plasma.
    Plasma,
    /// Standing aside: it failed open.
    None,
}

impl From<crate::steer::Shell> for Route {
    fn from(shell: crate::steer::Shell) -> Route {
        match shell {
            crate::steer::Shell::Gnome => Route::Gnome,
            crate::steer::Shell::Plasma => Route::Plasma,
        }
    }
}

impl std::fmt::Display for Route {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Route::Proxy => "proxy",
            Route::Gnome => "gnome",
            Route::Plasma => "plasma",
            Route::None => "none",
        })
    }
}

/// Why Couper does not gate this session now, and what would put it in front.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NotGating {
    /// Why, in one line, in the gate's language.
    pub reason: String,
    /// The daemon the user started that holds the name, which [`Live::take_over`]
    /// would replace (with their consent).
    pub replace: Option<String>,
}

impl NotGating {
    pub(crate) fn from(e: &gate::GateError) -> NotGating {
        NotGating {
            reason: e.to_string(),
            replace: match e {
                gate::GateError::NameTaken { owner, .. } => Some(owner.clone()),
                _ => None,
            },
        }
    }
}

/// The answer to `alert`.
#[derive(Debug, Clone, Serialize)]
pub struct AlertAnswer {
    /// Its id.
    pub id: u32,
    /// deliver, hold or drop.
    pub decision: &'static str,
    /// Let through as a crisis.
    pub crisis: bool,
    /// Why.
    pub reason: String,
}

/// The live service shared by the gate, the control interface and the timers.
pub struct Live {
    pub(crate) service: Mutex<Service>,
    pub(crate) outcomes: mpsc::UnboundedSender<Outcome>,
    pub(crate) rearm: Notify,
    pub(crate) settings_path: PathBuf,
    /// The last refusal of a settings edit, in both languages: the status says it in the
    /// language of the settings in force when it is read.
    pub(crate) refusal: Mutex<Option<Said>>,
    /// The display daemon's command line and private bus address.
    pub(crate) display: Mutex<Option<(String, String)>>,
    pub(crate) changes: tokio::sync::watch::Sender<u64>,
    /// The team's calendar as last read (SPEC §8), and the nudge to read it again.
    pub(crate) calendar: Mutex<Option<crate::calendar::CalendarStatus>>,
    pub(crate) calendar_kick: Notify,
    /// How many were shown unkept: the next fail-open id ([`Issuer::FailOpen`]).
    pub(crate) fail_open: AtomicU32,
    /// The steer route in force, if any (`None`: the proxy route).
    pub(crate) route: Mutex<Option<crate::steer::RouteInfo>>,
    /// Requests to show the window on a tab (`open_window` on the control interface),
    /// for a front end that has a window; `couper run` has none.
    pub(crate) windows: tokio::sync::broadcast::Sender<String>,
    /// Why the proxy route stands aside, while it does; its reason in both languages.
    pub(crate) not_gating: Mutex<Option<(NotGating, Said)>>,
    /// A nudge to the proxy route to try again.
    pub(crate) retry: Notify,
    /// The next try may replace a daemon the user started (they said so).
    pub(crate) replace: std::sync::atomic::AtomicBool,
    /// While the store fails to keep notifications (see [`StoreFailure`]).
    pub(crate) store_failure: Mutex<Option<StoreFailure>>,
    /// Set once the daemon has stopped ([`Live::close`]): the Service changes no more.
    stopped: std::sync::atomic::AtomicBool,
}

impl std::fmt::Debug for Live {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Live")
            .field("settings_path", &self.settings_path)
            .finish_non_exhaustive()
    }
}

/// What [`Live::forget`] and the control interface's `Forget` take to erase all of the
/// history: said in so many words, never an empty date.
pub const FORGET_ALL: &str = "all";

/// How much notification text one page of the held queue carries at most (a D-Bus
/// message holds at most 128 MiB, and one notification's text is not bounded by much
/// less).
pub const HELD_PAGE_BYTES: usize = 16 << 20;

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Live {
    /// Opens the live service: settings (or the last good copy), store, queue.
    /// Returns it with the receiver of the outcomes to carry out.
    pub fn open(
        settings_path: &Path,
        store: Store,
    ) -> Result<(Arc<Live>, mpsc::UnboundedReceiver<Outcome>), LiveError> {
        let (settings, refusal, text) = load_start(settings_path, &store)?;
        let now = Timestamp::now();
        let (mut service, outcomes) = Service::open(&settings, store, now)?;
        if let Some(text) = text {
            service.remember(LAST_GOOD, &text)?;
        }
        let (tx, rx) = mpsc::unbounded_channel();
        let live = Arc::new(Live {
            service: Mutex::new(service),
            outcomes: tx,
            rearm: Notify::new(),
            settings_path: settings_path.to_path_buf(),
            refusal: Mutex::new(refusal),
            display: Mutex::new(None),
            changes: tokio::sync::watch::Sender::new(0),
            calendar: Mutex::new(None),
            calendar_kick: Notify::new(),
            fail_open: AtomicU32::new(0),
            route: Mutex::new(None),
            windows: tokio::sync::broadcast::Sender::new(4),
            not_gating: Mutex::new(None),
            retry: Notify::new(),
            replace: std::sync::atomic::AtomicBool::new(false),
            store_failure: Mutex::new(None),
            stopped: std::sync::atomic::AtomicBool::new(false),
        });
        live.send(outcomes);
        Ok((live, rx))
    }

    pub(crate) fn send(&self, outcomes: Vec<Outcome>) {
        for outcome in outcomes {
            let _ = self.outcomes.send(outcome);
        }
        self.rearm.notify_one();
    }

    /// Runs `f` on the Service at the wall clock's now, and carries its outcomes out.
    /// Any change of the state (a transition of the schedule on a tick, a hold, on call
    /// starting) is announced to front ends, whether or not the Service said so.
    fn with<T>(
        &self,
        f: impl FnOnce(&mut Service, Timestamp) -> Result<(T, Vec<Outcome>), StoreError>,
    ) -> Result<T, StoreError> {
        let (value, outcomes) = {
            let mut service = self.change()?;
            let before = service.engine().state();
            let (value, mut outcomes) = f(&mut service, Timestamp::now())?;
            if service.engine().state() != before && !outcomes.contains(&Outcome::StateChanged) {
                outcomes.push(Outcome::StateChanged);
            }
            (value, outcomes)
        };
        self.send(outcomes);
        Ok(value)
    }

    /// The Service, to change it: refused once the daemon has stopped.
    fn change(&self) -> Result<MutexGuard<'_, Service>, StoreError> {
        let service = lock(&self.service);
        if self.stopped.load(Ordering::SeqCst) {
            return Err(StoreError::Stopped {
                path: service.store().path().to_path_buf(),
            });
        }
        Ok(service)
    }

    /// Ends the Service's changes, once the daemon's tasks are done: the counts kept in
    /// memory are written, then nothing more is (a read still under way on a blocking
    /// thread, or a front door that still holds the service, changes nothing).
    pub(crate) fn close(&self) {
        let mut service = lock(&self.service);
        if let Err(e) = service.write_seen() {
            tracing::error!("writing the counts of apps seen: {e}");
        }
        self.stopped.store(true, Ordering::SeqCst);
    }

    /// Holds `items` again, released at `at` but never shown (the daemon stopped in the
    /// middle of a replay): the next release shows them, each once.
    pub(crate) fn put_back(&self, items: &[Held], at: Timestamp) {
        let ids: Vec<u32> = items.iter().map(|h| h.id).collect();
        match self.with(|s, _| {
            s.put_back(&ids, at)
                .map(|n| (n, vec![Outcome::StateChanged]))
        }) {
            Ok(n) => tracing::info!("{n} released but not shown are held again"),
            Err(e) => tracing::error!("holding again what was not shown: {e}"),
        }
    }

    /// A receiver that changes whenever the status does (mode, working time, on call,
    /// held count, settings): front ends re-read [`Live::status`] then.
    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<u64> {
        self.changes.subscribe()
    }

    /// The auto-reply in `lang`, with the next start of working time as of now.
    pub fn reply(&self, lang: crate::words::Lang) -> String {
        self.tick();
        self.read(|s| {
            let engine = s.engine();
            crate::reply::text(engine.settings(), engine.next_start(), engine.now(), lang)
        })
    }

    /// A report or the on-call statement, read on a connection of its own so that the
    /// gate goes on deciding meanwhile.
    pub fn report(
        &self,
        query: &crate::report::Query,
    ) -> Result<String, crate::report::ReportError> {
        let (settings, path) = self.read(|s| {
            (
                s.engine().settings().clone(),
                s.store().path().to_path_buf(),
            )
        });
        let store = Store::open(&path)?;
        crate::report::answer(&settings, &store, query, Timestamp::now())
    }

    /// Reads the team's calendar again and applies it: a good read replaces the calendar
    /// shifts; a failed one keeps the last good copy and marks it stale. Blocking (an
    /// HTTP read takes up to 30 s): call it off the async threads.
    pub fn refresh_calendar(&self) {
        let rules = self.read(|s| s.engine().rules());
        let read = rules
            .settings()
            .on_call
            .calendar
            .as_deref()
            .map(|l| crate::calendar::fetch(&crate::calendar::locate(l, &self.settings_path)));
        self.swap_calendar(rules.settings(), read);
    }

    /// Puts the last good copy of the calendar in force at start, before the first read.
    /// Blocking, as [`Live::refresh_calendar`].
    pub(crate) fn restore_calendar(&self) {
        let rules = self.read(|s| s.engine().rules());
        self.swap_calendar(rules.settings(), None);
    }

    /// Parses and expands `read` (a read of the calendar `settings` name; `None`: the last
    /// good copy only) with the Service unlocked, then swaps its shifts in under the lock.
    fn swap_calendar(
        &self,
        settings: &Settings,
        read: Option<Result<String, crate::calendar::CalendarError>>,
    ) {
        let location = settings.on_call.calendar.as_deref();
        let kept = match location {
            Some(l) => match self.read(|s| crate::calendar::kept_json(s.store())) {
                Ok(json) => json.and_then(|json| crate::calendar::copy_of(&json, l)),
                Err(e) => {
                    tracing::error!("calendar: {e}");
                    None
                }
            },
            None => None,
        };
        let prepared = crate::calendar::prepare(settings, read, kept, Timestamp::now());
        match self.with(|s, now| crate::calendar::apply(s, prepared, now)) {
            // A read of a calendar the settings no longer name changes nothing.
            Ok(None) if location.is_some() => {}
            Ok(status) => *lock(&self.calendar) = status,
            Err(e) => tracing::error!("calendar: {e}"),
        }
    }

    /// Requests to show the window on a tab (`"held"`, `"hours"`…), as the control
    /// interface's `open_window` receives them: a front end with a window listens here.
    pub fn window_requests(&self) -> tokio::sync::broadcast::Receiver<String> {
        self.windows.subscribe()
    }

    /// Asks the front end that has a window to show it on `tab`. False when no front end
    /// listens (`couper run` has no window).
    pub fn open_window(&self, tab: &str) -> bool {
        self.windows.send(tab.to_string()).is_ok()
    }

    /// Keeps a front end's own value in the store (e.g. the tray app's first run).
    pub fn remember(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.change()?.remember(key, value)
    }

    /// A value kept with [`Live::remember`].
    pub fn recall(&self, key: &str) -> Result<Option<String>, StoreError> {
        lock(&self.service).store().state(key)
    }

    /// The gate's language: the `language` of the settings in force, else the locale's.
    /// What the gate answers a person (refusals, the status's texts) is said in it.
    pub fn lang(&self) -> Lang {
        lock(&self.service).lang()
    }

    /// The settings in force.
    pub fn settings(&self) -> Settings {
        lock(&self.service).engine().settings().clone()
    }

    /// The settings file.
    pub fn settings_path(&self) -> &Path {
        &self.settings_path
    }

    /// Runs a read-only query on the Service (previews, reports).
    pub fn read<T>(&self, f: impl FnOnce(&Service) -> T) -> T {
        f(&lock(&self.service))
    }

    /// The status for front ends.
    pub fn status(&self) -> LiveStatus {
        let (status, lang) = {
            let service = lock(&self.service);
            (service.status(), service.lang())
        };
        // One lock at a time, each released before the next: a guard taken twice in one
        // expression lives to its end and deadlocks the second (std mutexes do not nest).
        let (display, display_bus) = lock(&self.display).clone().unzip();
        let settings_refused = lock(&self.refusal)
            .as_ref()
            .map(|said| said.get(lang).to_string());
        let calendar = lock(&self.calendar).clone();
        let calendar_stale_since = calendar.as_ref().and_then(|c| c.stale_since);
        let not_gating = lock(&self.not_gating)
            .as_ref()
            .map(|(why, said)| NotGating {
                reason: said.get(lang).to_string(),
                replace: why.replace.clone(),
            });
        let (route, route_reason) = match (lock(&self.route).as_ref(), &not_gating) {
            (Some(steer), _) => (Route::from(steer.shell), steer.reason.clone()),
            (None, Some(why)) => (Route::None, why.reason.clone()),
            (None, None) => (Route::Proxy, crate::t!(lang, "gate-proxy-reason")),
        };
        LiveStatus {
            status,
            route,
            route_reason,
            display,
            not_gating,
            display_bus,
            settings_path: self.settings_path.clone(),
            settings_refused,
            calendar,
            calendar_stale_since,
            store_failure: lock(&self.store_failure).clone(),
        }
    }

    /// `off`, `on`, `auto` or `toggle`, with an optional end as the user typed it.
    /// Refused in the gate's language.
    pub fn set_mode(&self, mode: &str, until: &str) -> Result<(), ModeError> {
        let until = until.trim();
        let result = self.with(|s, now| {
            let zone = s.engine().settings().timezone.clone();
            let lang = s.lang();
            let until = if until.is_empty() {
                None
            } else {
                match service::parse_until_in(until, now, &zone, lang) {
                    Ok(t) => Some(t),
                    Err(e) => return Ok((Err(e), Vec::new())),
                }
            };
            let request = match service::mode_request_in(mode, until, lang) {
                Ok(r) => r,
                Err(e) => return Ok((Err(e), Vec::new())),
            };
            s.set_mode(request, now).map(|o| (Ok(()), o))
        });
        result?.map_err(ModeError::Refused)
    }

    /// Erases the history before `before` as the user typed it (see
    /// [`service::parse_before`]), or all of it when `before` is exactly [`FORGET_ALL`].
    /// An empty or blank date (`""`, `"   "`, as an unset variable gives) is refused,
    /// never read as "all". Returns how many decisions were erased.
    pub fn forget(&self, before: &str) -> Result<usize, ForgetError> {
        let before = if before == FORGET_ALL {
            None
        } else {
            let (zone, lang) = self.read(|s| (s.engine().settings().timezone.clone(), s.lang()));
            Some(service::parse_before_in(before, &zone, lang).map_err(ForgetError::Date)?)
        };
        Ok(self.with(|s, _| s.forget(before).map(|n| (n, Vec::new())))?)
    }

    /// The manual on-call switch: on, off, or the other way round from now (in one step
    /// under the Service's lock).
    pub fn set_on_call(&self, request: OnCallRequest) -> Result<(), StoreError> {
        self.with(|s, now| s.set_on_call(request, now).map(|o| ((), o)))
    }

    /// The held queue.
    pub fn held(&self) -> Result<Vec<Held>, StoreError> {
        lock(&self.service).held()
    }

    /// A page of the held queue, a JSON list of [`Held`]: those with an id above `after`,
    /// oldest first, as many as fit in [`HELD_PAGE_BYTES`] of text (at least one); and
    /// the last id in it (0: the queue has no more).
    pub fn held_page(&self, after: u32) -> Result<(String, u32), StoreError> {
        lock(&self.service)
            .store()
            .held_page_json(after, HELD_PAGE_BYTES)
    }

    /// Releases `ids` (or all); returns how many.
    pub fn release(&self, ids: Vec<u32>, all: bool) -> Result<u32, StoreError> {
        let which = if all { Which::All } else { Which::Ids(ids) };
        self.with(|s, now| {
            let outcomes = s.release(&which, now)?;
            let count = outcomes
                .iter()
                .map(|o| match o {
                    Outcome::Released { items, .. } => items.len() as u32,
                    _ => 0,
                })
                .sum();
            Ok((count, outcomes))
        })
    }

    /// Drops a held notification without showing it.
    pub fn dismiss(&self, id: u32) -> Result<(), StoreError> {
        self.with(|s, now| s.dismiss(id, now).map(|o| ((), o)))
    }

    /// The decision on `id`.
    /// On the steer route, `id` is first taken as the id the app got from the shell.
    pub fn explain(&self, id: u32) -> Result<Option<Explanation>, StoreError> {
        let id = lock(&self.route)
            .as_ref()
            .and_then(|r| r.ids.couper_id(id))
            .unwrap_or(id);
        lock(&self.service).explain(id)
    }

    /// Asks the proxy route to try again to stand in front of the display (after it
    /// failed open). Does nothing while it stands.
    pub fn retry(&self) {
        if lock(&self.not_gating).is_some() {
            self.retry.notify_one();
        }
    }

    /// Puts Couper in front of the daemon the user started (with their consent: the
    /// tray's button), as `couper run --replace` does. Does nothing while Couper gates.
    pub fn take_over(&self) {
        if lock(&self.not_gating).is_some() {
            self.replace.store(true, Ordering::SeqCst);
            self.retry.notify_one();
        }
    }

    /// Records why the proxy route stands aside (`None`: it stands in front again).
    pub(crate) fn set_not_gating(&self, failure: Option<&gate::GateError>) {
        let why = failure.map(|e| (NotGating::from(e), Said::both(|lang| e.said(lang))));
        let changed = {
            let mut now = lock(&self.not_gating);
            let changed = *now != why;
            *now = why;
            changed
        };
        if changed {
            let _ = self.outcomes.send(Outcome::StateChanged);
        }
    }

    /// Records the steer route in force (for the status and `explain`).
    pub fn set_route(&self, route: crate::steer::RouteInfo) {
        *lock(&self.route) = Some(route);
    }

    /// The apps seen recently.
    pub fn seen_apps(&self) -> Result<Vec<SeenApp>, StoreError> {
        lock(&self.service).seen_apps(50)
    }

    /// `couper alert`: an alert from Couper's built-in work source.
    pub fn alert(&self, title: &str, body: &str, crisis: bool) -> Result<AlertAnswer, StoreError> {
        let mut n = Notification {
            app: ALERT_APP.into(),
            summary: title.into(),
            body: body.into(),
            icon: "dialog-warning".into(),
            ..Default::default()
        };
        if crisis {
            n.hints
                .insert("x-couper-crisis".into(), HintValue::Bool(true));
        }
        self.with(|s, now| {
            let admitted = s.notify(0, &n, now)?;
            let answer = AlertAnswer {
                id: admitted.id,
                decision: admitted.decision.action.word(),
                crisis: admitted.decision.action == crate::engine::Action::DeliverCrisis,
                reason: admitted.reason.clone(),
            };
            Ok((answer, admitted.outcomes))
        })
    }

    /// Re-reads the settings file: a valid change takes effect at once, an invalid one is
    /// refused and the last good settings stay. What new settings need (the keyword
    /// matcher, the schedule) is compiled before the Service is locked: the gate goes on
    /// answering meanwhile. Blocking: call it off the async threads.
    pub fn reload_settings(&self) {
        let text = match settings::read(&self.settings_path) {
            Ok(text) => text.unwrap_or_default(),
            Err(e) => {
                tracing::warn!("settings refused, the last good ones stay: {e}");
                *lock(&self.refusal) = Some(Said::both(|lang| e.said(lang)));
                let _ = self.outcomes.send(Outcome::StateChanged);
                return;
            }
        };
        match settings::parse(&text, &self.settings_path.display().to_string()) {
            Ok(new) => {
                *lock(&self.refusal) = None;
                let same = self.read(|s| s.engine().settings() == &new);
                let rules = (!same).then(|| crate::engine::Rules::new(&new));
                let result = self.with(|s, now| {
                    let Some(rules) = &rules else {
                        return Ok(((), vec![Outcome::StateChanged]));
                    };
                    s.remember(LAST_GOOD, &text)?;
                    // Front ends show the settings too: say so even when the state stays.
                    s.set_rules(rules, now).map(|mut o| {
                        o.push(Outcome::StateChanged);
                        ((), o)
                    })
                });
                match result {
                    Ok(()) => tracing::info!("settings reloaded"),
                    Err(e) => tracing::error!("settings reload: {e}"),
                }
                // The calendar may be another one, or the user wants it read again: read
                // it once the new settings are in force, not before.
                self.calendar_kick.notify_one();
                // Another display daemon may be named, or the user fixed the cause.
                self.retry();
            }
            Err(refusals) => {
                let said = Said::both(|lang| one_line(&refusals.lines(lang)));
                tracing::warn!("settings refused, the last good ones stay: {}", said.en);
                *lock(&self.refusal) = Some(said);
                let _ = self.outcomes.send(Outcome::StateChanged);
            }
        }
    }

    /// Time passed.
    pub(crate) fn tick(&self) {
        if let Err(e) = self.with(|s, now| s.tick(now).map(|o| ((), o))) {
            tracing::error!("tick: {e}");
        }
    }

    pub(crate) fn next_wake(&self) -> Option<Timestamp> {
        lock(&self.service).next_wake()
    }
}

impl Gatekeeper for Live {
    fn notify(&self, caller: Option<&str>, replaces_id: u32, n: &Notification) -> Admission {
        let result = self.with(|s, now| {
            let admitted: Admitted = s.notify_from(caller, replaces_id, n, now)?;
            let id = admitted.id;
            // The gate shows this one itself, from the verdict.
            let outcomes = admitted
                .outcomes
                .iter()
                .filter(|o| !matches!(o, Outcome::Show { id: shown, .. } if *shown == id))
                .cloned()
                .collect();
            Ok((admitted, outcomes))
        });
        match result {
            Ok(admitted) => {
                tracing::debug!(id = admitted.id, reason = %admitted.reason, "decided");
                if admitted.work && lock(&self.store_failure).take().is_some() {
                    tracing::info!("the store keeps notifications again");
                    self.send(vec![Outcome::StateChanged]);
                }
                Admission {
                    id: admitted.id,
                    verdict: match admitted.decision.action {
                        crate::engine::Action::Deliver => Verdict::Deliver,
                        crate::engine::Action::DeliverCrisis => Verdict::DeliverCrisis,
                        crate::engine::Action::Hold => Verdict::Hold,
                        crate::engine::Action::Drop => Verdict::Drop,
                    },
                }
            }
            Err(e) => {
                // Fail open: a notification Couper cannot keep is shown, never lost;
                // the status says so until the store keeps one again.
                tracing::error!("cannot keep a notification, showing it: {e}");
                {
                    let mut failure = lock(&self.store_failure);
                    let failure = failure.get_or_insert_with(|| StoreFailure {
                        since: Timestamp::now(),
                        error: String::new(),
                        shown_unkept: 0,
                    });
                    failure.error = e.to_string();
                    failure.shown_unkept = failure.shown_unkept.saturating_add(1);
                }
                self.send(vec![Outcome::StateChanged]);
                Admission {
                    id: Issuer::FailOpen.nth(self.fail_open.fetch_add(1, Ordering::Relaxed)),
                    verdict: Verdict::Deliver,
                }
            }
        }
    }

    fn close(&self, caller: Option<&str>, id: u32) -> Option<u32> {
        let closed = self.with(|s, now| {
            s.close_from(caller, id, now).map(|o| match o {
                Some((id, outcomes)) => (Some(id), outcomes),
                None => (None, Vec::new()),
            })
        });
        closed.unwrap_or_else(|e| {
            // The queue could not be written: it keeps the notification (released later).
            tracing::error!("close {id}: {e}");
            Some(id)
        })
    }
}

/// Reads the settings at start. A refused or unreadable file (no permission, a FIFO, a
/// device, too large) falls back to the last good copy kept in the store (and says so);
/// with no good copy, Couper does not start.
fn load_start(
    path: &Path,
    store: &Store,
) -> Result<(Settings, Option<Said>, Option<String>), LiveError> {
    let refused = match settings::read(path) {
        Ok(None) => return Ok((Settings::default(), None, None)),
        Ok(Some(text)) => match settings::parse(&text, &path.display().to_string()) {
            Ok(settings) => return Ok((settings, None, Some(text))),
            Err(refusals) => settings::LoadError::Refused(refusals),
        },
        // Unreadable (permissions, a FIFO, a device, too large) is refused as invalid is.
        Err(e) => settings::LoadError::Read(e),
    };
    let last_good = store.state(LAST_GOOD)?;
    match last_good.and_then(|t| settings::parse(&t, "last good settings").ok()) {
        Some(good) => {
            let said = Said::both(|lang| one_line(&refused.said(lang)));
            tracing::warn!("settings refused, using the last good ones: {}", said.en);
            Ok((good, Some(said), None))
        }
        None => Err(refused.into()),
    }
}

/// Refusals one a line, as one line: "a; b".
fn one_line(lines: &str) -> String {
    lines.replace('\n', "; ")
}

/// Logs to stderr, filtered by `COUPER_LOG` (default `info`; notification text only at
/// `debug`), for `couper run` and the tray app alike.
pub fn init_logs() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("COUPER_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colours only on a terminal: the journal and log files get plain text.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::control::SettingsView;

    fn open(settings: &str) -> (tempfile::TempDir, Arc<Live>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        std::fs::write(&path, settings).unwrap();
        let store = Store::open(&dir.path().join("couper.sqlite3")).unwrap();
        let (live, _outcomes) = Live::open(&path, store).unwrap();
        (dir, live)
    }

    #[test]
    fn a_refused_settings_edit_is_said_in_the_language_of_the_settings_in_force() {
        let (_dir, live) = open("language = \"fr\"\n");
        std::fs::write(
            live.settings_path(),
            "language = \"fr\"\n[hours]\nmon = [\"9h\"]\n",
        )
        .unwrap();
        live.reload_settings();
        let refused = live.status().settings_refused.unwrap();
        assert!(
            refused.ends_with("hours.mon: \"9h\" n'est pas de la forme HH:MM-HH:MM"),
            "{refused}"
        );
        assert_eq!(
            SettingsView::of(&live).refused.as_deref(),
            Some(refused.as_str())
        );
        // The same edit under English settings is said in English.
        let (_dir, live) = open("language = \"en\"\n");
        std::fs::write(
            live.settings_path(),
            "language = \"en\"\n[hours]\nmon = [\"9h\"]\n",
        )
        .unwrap();
        live.reload_settings();
        let refused = live.status().settings_refused.unwrap();
        assert!(refused.ends_with("\"9h\" is not HH:MM-HH:MM"), "{refused}");
    }

    #[test]
    fn why_couper_stands_aside_is_said_in_the_language_of_the_settings_in_force() {
        let (_dir, live) = open("language = \"fr\"\n");
        live.set_not_gating(Some(&gate::GateError::NameTaken {
            owner: "dunst".into(),
            pid: Some(42),
        }));
        let status = live.status();
        let why = status.not_gating.unwrap();
        assert!(
            why.reason.starts_with(
                "org.freedesktop.Notifications est détenu par dunst (pid 42), que vous avez lancé"
            ),
            "{}",
            why.reason
        );
        assert_eq!(why.replace.as_deref(), Some("dunst"));
        assert_eq!(status.route_reason, why.reason);
        live.set_not_gating(None);
        assert_eq!(
            live.status().route_reason,
            "aucun shell de bureau ne détient org.freedesktop.Notifications : Couper le détient et affiche les notifications par le démon d'affichage, sur un bus privé"
        );
    }

    #[test]
    fn a_start_refused_without_a_good_copy_is_said_in_the_readers_language() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        std::fs::write(&path, "[hours]\nmon = [\"9h\"]\n").unwrap();
        let store = Store::open(&dir.path().join("couper.sqlite3")).unwrap();
        let refused = Live::open(&path, store).unwrap_err();
        let said = refused.said(Lang::Fr);
        assert!(
            said.starts_with("les réglages sont refusés et aucune bonne copie n'est connue :\n"),
            "{said}"
        );
        assert!(
            said.ends_with("n'est pas de la forme HH:MM-HH:MM"),
            "{said}"
        );
        let running = LiveError::AlreadyRunning {
            owner: " (pid 7: couper run)".into(),
        };
        assert_eq!(
            running.said(Lang::Fr),
            "une porte Couper tourne déjà dans cette session (pid 7: couper run) ; utilisez `couper status`, ou arrêtez-la avant d'en lancer une autre"
        );
        assert_eq!(running.said(Lang::En), running.to_string());
    }
}
