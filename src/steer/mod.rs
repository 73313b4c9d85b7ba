//! The steer route: on GNOME Shell and KDE Plasma the shell owns
//! `org.freedesktop.Notifications` and never hands it over, so Couper cannot stand in
//! front of it (the proxy route). It steers the shell instead:
//!
//! - it **watches** every `Notify` and its reply (the id the app got) with a monitor
//!   connection (`monitor.rs`) and feeds each to the same Service, through the same
//!   [`Gatekeeper`] seam as the proxy gate;
//! - outside working time it turns the **banners of work apps off** with the shell's own
//!   per-app settings (a [`Route`]: `gnome.rs`, `plasma.rs`), and back on when work starts;
//!   every value it changes is journaled first, with the user's own value, so that it
//!   comes back when Couper stops, or after a crash when the next `couper run` starts,
//!   or with `couper restore` (`journal.rs`);
//! - for what the shell cannot tell apart by app (an account inside a browser, an app
//!   the shell maps to no desktop file) it **withdraws** the banner right after it
//!   appeared (`CloseNotification`) and Couper holds it;
//! - crises are **re-posted** under Couper's own identity with critical urgency.
//!
//! The Service decides; a route only applies. What a decision means on a shell is the
//! pure [`plan`] below; which apps' switches to turn is [`steered_apps`].

pub mod gnome;
pub mod journal;
pub mod monitor;
pub mod plasma;

use crate::gate::{Admission, GateError, GateHandle, Gatekeeper, Verdict, NOTIFICATIONS};
use crate::notification::{HintValue, Notification, Urgency};
use crate::settings::Settings;
use crate::store::StoreError;
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::future::Future;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use zbus::Connection;

pub use journal::{Journal, Keep};

/// The value Couper writes to a work app's banner switch outside working time (GNOME's
/// `show-banners`, Plasma's `ShowPopups`).
pub const QUIET: &str = "false";

/// Why steering failed.
#[derive(Debug, thiserror::Error)]
pub enum SteerError {
    /// The session bus failed.
    #[error("session bus: {0}")]
    Bus(#[from] zbus::Error),
    /// A helper program (gsettings) failed.
    #[error("{program}: {detail}")]
    Command {
        /// The command line.
        program: String,
        /// What it said, or why it could not run.
        detail: String,
    },
    /// A settings file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The journal could not be kept in the store.
    #[error("journal: {0}")]
    Store(#[from] StoreError),
    /// The journal in the store is unreadable.
    #[error("journal: {0}")]
    Journal(String),
    /// The notification monitor stopped (the session bus went away).
    #[error("the notification monitor stopped: {0}")]
    Monitor(String),
}

impl From<SteerError> for GateError {
    fn from(e: SteerError) -> GateError {
        match e {
            SteerError::Bus(e) => GateError::Bus(e),
            other => GateError::PrivateBus {
                reason: other.to_string(),
            },
        }
    }
}

/// The desktop shells Couper can steer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    /// GNOME Shell (its notifications are served by `gjs …/org.gnome.Shell.Notifications`).
    Gnome,
    /// KDE Plasma (`plasmashell`).
    Plasma,
}

/// One shell's switches: the seam every steer route implements. It applies what the
/// Service decided; it decides nothing.
pub trait Route: Send + Sync + 'static {
    /// The route's name, as `couper status` shows it and the journal keeps it.
    fn name(&self) -> &'static str;
    /// Whether the shell still shows a critical notification from an app whose banners
    /// are off (GNOME does; Plasma does not).
    fn shows_critical_when_quiet(&self) -> bool;
    /// The per-app keys of the installed apps that match these work apps (an app name or
    /// desktop id, as in settings, any case).
    fn keys_for(&self, apps: &[String]) -> BTreeSet<String>;
    /// The per-app key the shell applies to `n`, if it maps `n` to an app at all.
    fn key_of(&self, n: &Notification) -> Option<String>;
    /// The banner switch of `key` now: `None` when the user never set it.
    fn read(&self, key: &str) -> impl Future<Output = Result<Option<String>, SteerError>> + Send;
    /// Sets the banner switch of `key` (`None`: back to unset), and makes the shell apply
    /// it at once.
    fn write(
        &self,
        key: &str,
        value: Option<&str>,
    ) -> impl Future<Output = Result<(), SteerError>> + Send;
    /// Puts the user's own value back (`None`: unset). By default, a plain write.
    fn put_back(
        &self,
        key: &str,
        original: Option<&str>,
    ) -> impl Future<Output = Result<(), SteerError>> + Send {
        self.write(key, original)
    }
    /// Withdraws notification `shell_id`, whoever posted it.
    fn withdraw(
        &self,
        session: &Connection,
        shell_id: u32,
    ) -> impl Future<Output = Result<(), SteerError>> + Send;
}

/// What a front end can do on the screen, whatever the route: the live executor carries
/// the Service's outcomes out through this (the proxy gate's handle, or the steer
/// route's [`Handle`]).
pub trait Screen: Clone + Send + Sync + 'static {
    /// Shows notification `id` now (released, replayed, or `couper alert`).
    fn show(
        &self,
        id: u32,
        n: &Notification,
        crisis: bool,
    ) -> impl Future<Output = Result<(), GateError>> + Send;
    /// Posts Couper's own notification (the digest); returns the id it is shown under.
    fn post_own(&self, n: &Notification) -> impl Future<Output = Result<u32, GateError>> + Send;
    /// Closes notification `id` if Couper shows it.
    fn close(&self, id: u32) -> impl Future<Output = Result<(), GateError>> + Send;
}

impl Screen for GateHandle {
    fn show(
        &self,
        id: u32,
        n: &Notification,
        crisis: bool,
    ) -> impl Future<Output = Result<(), GateError>> + Send {
        GateHandle::show(self, id, n, crisis)
    }

    fn post_own(&self, n: &Notification) -> impl Future<Output = Result<u32, GateError>> + Send {
        GateHandle::post_own(self, n)
    }

    fn close(&self, id: u32) -> impl Future<Output = Result<(), GateError>> + Send {
        GateHandle::close(self, id)
    }
}

/// What the route does with one notification the shell already has, given the
/// Service's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The shell does the right thing by itself.
    Nothing,
    /// Take it off the screen (and out of the shell's list).
    Withdraw,
    /// Post a copy under Couper's identity; `withdraw` the original first when it is on
    /// screen as an ordinary banner.
    Repost {
        /// With critical urgency (a crisis).
        critical: bool,
        /// Withdraw the original first.
        withdraw: bool,
    },
}

/// What the route does with a notification the shell has, given the Service's `verdict`,
/// whether the shell applied one of Couper's quiet switches to it (`quieted`: then it went
/// to the shell's list without a banner), its urgency, and whether the shell shows
/// critical ones from quiet apps anyway.
///
/// - deliver: it is on screen, unless a quiet switch caught it (the instant working time
///   starts, before the switches are back): then a copy is posted;
/// - deliver as crisis: on screen with critical urgency, whatever the switches;
/// - hold: in the shell's list without a banner when a switch caught it, else withdrawn
///   (Couper holds it);
/// - drop: withdrawn.
pub fn plan(verdict: Verdict, quieted: bool, critical: bool, shows_critical: bool) -> Step {
    let on_screen = !quieted || (critical && shows_critical);
    match verdict {
        Verdict::Deliver if on_screen => Step::Nothing,
        Verdict::Deliver => Step::Repost {
            critical: false,
            withdraw: false,
        },
        Verdict::DeliverCrisis if on_screen && critical => Step::Nothing,
        Verdict::DeliverCrisis => Step::Repost {
            critical: true,
            withdraw: on_screen,
        },
        Verdict::Hold if on_screen => Step::Withdraw,
        Verdict::Hold => Step::Nothing,
        Verdict::Drop => Step::Withdraw,
    }
}

/// The work apps whose switches Couper turns: those the shell can tell apart by app.
/// A source narrowed to an account (a mailbox inside a browser) shares its app with
/// personal notifications: its switch stays the user's, and its notifications are
/// withdrawn one by one instead.
pub fn steered_apps(settings: &Settings) -> Vec<String> {
    settings
        .work_apps
        .iter()
        .filter(|w| w.account.as_deref().is_none_or(str::is_empty))
        .map(|w| w.app.clone())
        .collect()
}

/// Which shell owns `org.freedesktop.Notifications` on `session`, if a steerable one.
/// Returns the shell and a one-line reason for `couper status`.
pub async fn detect(session: &Connection) -> Result<Option<(Shell, String)>, zbus::Error> {
    let dbus = zbus::fdo::DBusProxy::new(session).await?;
    let has = |name: &'static str| {
        let dbus = dbus.clone();
        async move {
            match zbus::names::BusName::try_from(name) {
                Ok(name) => dbus.name_has_owner(name).await.unwrap_or(false),
                Err(_) => false,
            }
        }
    };
    let owner_program = match zbus::names::BusName::try_from(NOTIFICATIONS) {
        Ok(name) => match dbus.get_connection_unix_process_id(name).await {
            Ok(pid) => program_of(pid),
            Err(_) => None,
        },
        Err(_) => None,
    };
    let shell = match owner_program.as_deref() {
        Some("gnome-shell") => Some(Shell::Gnome),
        Some(p) if p.contains("org.gnome.Shell.Notifications") => Some(Shell::Gnome),
        Some("plasmashell") => Some(Shell::Plasma),
        Some(_) => None,
        // Nobody owns it yet: the shell may be starting, or serve it on demand.
        None if has("org.gnome.Shell").await => Some(Shell::Gnome),
        None if has("org.kde.plasmashell").await => Some(Shell::Plasma),
        None => None,
    };
    let Some(shell) = shell else {
        return Ok(None);
    };
    let version = server_version(session).await;
    let reason = match shell {
        Shell::Gnome => format!(
            "GNOME Shell{version} owns {NOTIFICATIONS}: Couper watches it and turns work apps' \
             banners off outside working hours through GNOME's per-app notification settings"
        ),
        Shell::Plasma => format!(
            "Plasma{version} owns {NOTIFICATIONS}: Couper watches it and turns work apps' \
             popups off outside working hours through Plasma's per-app notification settings"
        ),
    };
    Ok(Some((shell, reason)))
}

/// " 43.9", from `GetServerInformation`, or nothing.
async fn server_version(session: &Connection) -> String {
    let reply = session
        .call_method(
            Some(NOTIFICATIONS),
            "/org/freedesktop/Notifications",
            Some(NOTIFICATIONS),
            "GetServerInformation",
            &(),
        )
        .await;
    reply
        .ok()
        .and_then(|r| {
            r.body()
                .deserialize::<(String, String, String, String)>()
                .ok()
        })
        .map(|(_, _, version, _)| format!(" {version}"))
        .unwrap_or_default()
}

/// The program behind `pid`: its `argv[0]` file name, or for an interpreter (gjs) the
/// script it runs.
fn program_of(pid: u32) -> Option<String> {
    let raw = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
    let args: Vec<String> = raw
        .split(|b| *b == 0)
        .filter(|a| !a.is_empty())
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    let base = |a: &String| a.rsplit('/').next().unwrap_or(a).to_string();
    match args.first().map(base).as_deref() {
        Some("gjs") | Some("gjs-console") => args.get(1).map(base),
        Some(first) => Some(first.to_string()),
        None => None,
    }
}

/// The ids of the installed desktop files (`slack` for `slack.desktop`; a file in a
/// subdirectory `kde/foo.desktop` is `kde-foo`), from `$XDG_DATA_HOME` and
/// `$XDG_DATA_DIRS`, as the shells find them.
pub fn desktop_ids() -> BTreeSet<String> {
    let mut dirs = Vec::new();
    let home = std::env::var_os("HOME").map(PathBuf::from);
    match std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        Some(d) => dirs.push(PathBuf::from(d)),
        None => dirs.extend(home.map(|h| h.join(".local/share"))),
    }
    let data_dirs = std::env::var("XDG_DATA_DIRS")
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "/usr/local/share:/usr/share".into());
    dirs.extend(data_dirs.split(':').map(PathBuf::from));
    let mut ids = BTreeSet::new();
    for dir in dirs {
        collect_desktop_ids(&dir.join("applications"), "", &mut ids, 0);
    }
    ids
}

fn collect_desktop_ids(dir: &std::path::Path, prefix: &str, ids: &mut BTreeSet<String>, depth: u8) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if path.is_dir() && depth < 3 {
            collect_desktop_ids(&path, &format!("{prefix}{name}-"), ids, depth + 1);
        } else if let Some(stem) = name.strip_suffix(".desktop") {
            ids.insert(format!("{prefix}{stem}"));
        }
    }
}

/// Whether desktop id `id` belongs to work app `app` (as settings name it): the same,
/// any case, or its last reverse-DNS part (`com.slack.Slack` for `slack`) — the engine's
/// own matching.
pub fn id_matches(id: &str, app: &str) -> bool {
    let id = id.trim_end_matches(".desktop");
    id.eq_ignore_ascii_case(app)
        || id
            .rsplit_once('.')
            .is_some_and(|(_, last)| last.eq_ignore_ascii_case(app))
}

/// The copy Couper posts under its own identity: "Slack — summary", with the body, the
/// app's icon, and critical urgency for a crisis.
pub fn repost(n: &Notification, critical: bool) -> Notification {
    let from = if n.app.is_empty() || n.app == crate::engine::ALERT_APP {
        n.desktop_entry().unwrap_or("")
    } else {
        n.app.as_str()
    };
    let mut hints = std::collections::BTreeMap::new();
    hints.insert("x-couper-repost".to_string(), HintValue::Bool(true));
    Notification {
        app: "Couper".into(),
        summary: if from.is_empty() {
            n.summary.clone()
        } else {
            format!("{from} — {}", n.summary)
        },
        body: n.body.clone(),
        icon: n.icon.clone(),
        actions: Vec::new(),
        hints,
        urgency: if critical {
            Urgency::Critical
        } else {
            n.urgency
        },
        expire_timeout: n.expire_timeout,
    }
}

/// How many id pairs are remembered (the shell's ids of this run, for `explain`,
/// replacements and withdrawals).
const IDS_REMEMBERED: usize = 4096;

/// The two id spaces of the steer route: the shell answers the app with its own id;
/// Couper keeps its own (durable, never reused). This maps them, for this run.
#[derive(Debug, Default)]
pub struct Ids {
    inner: Mutex<IdMaps>,
}

#[derive(Debug, Default)]
struct IdMaps {
    to_couper: HashMap<u32, u32>,
    to_shell: HashMap<u32, u32>,
    /// Couper's copies on screen (crisis re-posts, replays, alerts): Couper id → shell id.
    copies: HashMap<u32, u32>,
    /// Couper's own posts (the digest), by shell id.
    own: VecDeque<u32>,
    order: VecDeque<u32>,
}

/// Locks `m`, whatever a panicking holder left (the data here stays consistent).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Ids {
    /// Couper's id for the shell's `shell_id`, if seen in this run.
    pub fn couper_id(&self, shell_id: u32) -> Option<u32> {
        lock(&self.inner).to_couper.get(&shell_id).copied()
    }

    /// The shell's id of Couper's `id`, if seen in this run.
    pub fn shell_id(&self, id: u32) -> Option<u32> {
        lock(&self.inner).to_shell.get(&id).copied()
    }

    fn link(&self, shell_id: u32, id: u32) {
        let mut maps = lock(&self.inner);
        maps.to_couper.insert(shell_id, id);
        maps.to_shell.insert(id, shell_id);
        maps.order.push_back(shell_id);
        while maps.order.len() > IDS_REMEMBERED {
            if let Some(old) = maps.order.pop_front() {
                if let Some(c) = maps.to_couper.remove(&old) {
                    maps.to_shell.remove(&c);
                    maps.copies.remove(&c);
                }
            }
        }
    }

    fn copy(&self, id: u32, shell_id: u32) -> Option<u32> {
        lock(&self.inner).copies.insert(id, shell_id)
    }

    fn take_copy(&self, id: u32) -> Option<u32> {
        lock(&self.inner).copies.remove(&id)
    }

    fn own(&self, shell_id: u32) {
        let mut maps = lock(&self.inner);
        maps.own.push_back(shell_id);
        while maps.own.len() > 64 {
            maps.own.pop_front();
        }
    }

    fn is_ours(&self, shell_id: u32) -> bool {
        let maps = lock(&self.inner);
        maps.own.contains(&shell_id) || maps.copies.values().any(|s| *s == shell_id)
    }
}

/// What a front end shows about the active route.
#[derive(Debug, Clone)]
pub struct RouteInfo {
    /// "gnome" or "plasma".
    pub name: &'static str,
    /// Why this route.
    pub reason: String,
    /// The id maps of this run.
    pub ids: Arc<Ids>,
}

/// The steer route's handle for the live executor: shows, posts and closes through the
/// shell. Cheap to clone.
pub struct Handle<R: Route> {
    shared: Arc<Shared<R>>,
}

impl<R: Route> Clone for Handle<R> {
    fn clone(&self) -> Self {
        Handle {
            shared: self.shared.clone(),
        }
    }
}

impl<R: Route> std::fmt::Debug for Handle<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handle")
            .field("route", &self.shared.route.name())
            .finish_non_exhaustive()
    }
}

fn hint_variant(v: &HintValue) -> zbus::Variant<'_> {
    use zbus::Variant as Value;
    match v {
        HintValue::Str(s) => Value::from(s.as_str()),
        HintValue::Bool(b) => Value::from(*b),
        HintValue::Byte(b) => Value::from(*b),
        HintValue::Int(i) => Value::from(*i),
        HintValue::Uint(u) => Value::from(*u),
        HintValue::Bytes(b) => Value::from(b.as_slice()),
    }
}

impl<R: Route> Screen for Handle<R> {
    /// Under Couper's identity, so that it shows whatever an app's switch says at that
    /// instant (a replay comes as working time starts, as the switches turn back).
    async fn show(&self, id: u32, n: &Notification, crisis: bool) -> Result<(), GateError> {
        // A held one the shell still lists is replaced by its replay, not doubled.
        let original = self.shared.ids.shell_id(id);
        Ok(self
            .shared
            .post_copy(id, &repost(n, crisis), original)
            .await?)
    }

    async fn post_own(&self, n: &Notification) -> Result<u32, GateError> {
        let shell_id = self.shared.notify(n).await?;
        self.shared.ids.own(shell_id);
        Ok(shell_id)
    }

    async fn close(&self, id: u32) -> Result<(), GateError> {
        if let Some(shell_id) = self.shared.ids.take_copy(id) {
            self.shared
                .route
                .withdraw(&self.shared.session, shell_id)
                .await?;
        }
        Ok(())
    }
}

/// The steer route's handle, whichever the shell.
#[derive(Debug, Clone)]
pub enum ShellHandle {
    /// On GNOME.
    Gnome(Handle<gnome::Gnome>),
    /// On Plasma.
    Plasma(Handle<plasma::Plasma>),
}

impl Screen for ShellHandle {
    async fn show(&self, id: u32, n: &Notification, crisis: bool) -> Result<(), GateError> {
        match self {
            ShellHandle::Gnome(h) => h.show(id, n, crisis).await,
            ShellHandle::Plasma(h) => h.show(id, n, crisis).await,
        }
    }

    async fn post_own(&self, n: &Notification) -> Result<u32, GateError> {
        match self {
            ShellHandle::Gnome(h) => h.post_own(n).await,
            ShellHandle::Plasma(h) => h.post_own(n).await,
        }
    }

    async fn close(&self, id: u32) -> Result<(), GateError> {
        match self {
            ShellHandle::Gnome(h) => h.close(id).await,
            ShellHandle::Plasma(h) => h.close(id).await,
        }
    }
}

/// Starts the steer route for `shell` in front of the live service, on `session` (its
/// control connection: Couper's own calls come from it and are not counted), and
/// records it for the status. `bus` is the session bus address when not the process's.
pub async fn start_live(
    live: Arc<crate::live::Live>,
    shell: Shell,
    reason: String,
    session: &Connection,
    bus: Option<String>,
    shutdown: CancellationToken,
) -> Result<(Steering, ShellHandle), SteerError> {
    let keep: Arc<dyn Keep> = live.clone();
    let gatekeeper: Arc<dyn Gatekeeper> = live.clone();
    let reader = live.clone();
    let state: Arc<dyn Fn() -> (bool, Settings) + Send + Sync> = Arc::new(move || {
        reader.read(|s| (s.status().state.working, s.engine().settings().clone()))
    });
    let changes = live.subscribe();
    let (steering, handle, ids, name) = match shell {
        Shell::Gnome => {
            let route = gnome::Gnome::new(bus.clone());
            let (steering, handle, ids) = start(
                route,
                session.clone(),
                bus,
                gatekeeper,
                keep,
                state,
                changes,
                shutdown,
            )
            .await?;
            (steering, ShellHandle::Gnome(handle), ids, "gnome")
        }
        Shell::Plasma => {
            let route = plasma::Plasma::new(Some(session.clone()));
            let (steering, handle, ids) = start(
                route,
                session.clone(),
                bus,
                gatekeeper,
                keep,
                state,
                changes,
                shutdown,
            )
            .await?;
            (steering, ShellHandle::Plasma(handle), ids, "plasma")
        }
    };
    live.set_route(RouteInfo { name, reason, ids });
    Ok((steering, handle))
}

/// Puts back every desktop setting journaled in `keep`, on every route (after a crash,
/// at the next start, and for `couper restore`). `session` announces changes to Plasma;
/// `bus` is the session bus for GNOME's `gsettings`, when not the process's.
pub async fn restore_all(
    keep: Arc<dyn Keep>,
    session: Option<Connection>,
    bus: Option<String>,
) -> Result<Vec<journal::PutBack>, SteerError> {
    let journal = Journal::new(keep);
    let routes: BTreeSet<String> = journal.entries()?.into_iter().map(|e| e.route).collect();
    let mut done = Vec::new();
    let mut first_error = None;
    for route in routes {
        let result = match route.as_str() {
            "gnome" => journal.put_back_all(&gnome::Gnome::new(bus.clone())).await,
            "plasma" => {
                journal
                    .put_back_all(&plasma::Plasma::new(session.clone()))
                    .await
            }
            other => Err(SteerError::Journal(format!("unknown route {other:?}"))),
        };
        match result {
            Ok(d) => done.extend(d),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    first_error.map_or(Ok(done), Err)
}

/// A running steer route. Dropping it stops it; [`Steering::wait`] also puts the user's
/// settings back.
#[derive(Debug)]
pub struct Steering {
    tasks: TaskTracker,
    stop: CancellationToken,
    done: tokio::sync::oneshot::Receiver<Result<(), SteerError>>,
}

impl Steering {
    /// Waits until `shutdown` is cancelled or the route fails; every setting Couper
    /// changed has the user's value again when this returns.
    pub async fn wait(mut self) -> Result<(), SteerError> {
        let (_, never) = tokio::sync::oneshot::channel();
        let done = std::mem::replace(&mut self.done, never);
        let ended = done.await.unwrap_or(Ok(()));
        self.stop.cancel();
        self.tasks.close();
        self.tasks.wait().await;
        ended
    }
}

impl Drop for Steering {
    fn drop(&mut self) {
        self.stop.cancel();
    }
}

/// Everything the steer route's tasks share.
struct Shared<R: Route> {
    route: R,
    session: Connection,
    journal: Journal,
    gatekeeper: Arc<dyn Gatekeeper>,
    ids: Arc<Ids>,
    /// The keys Couper has quieted now.
    quiet: Mutex<BTreeSet<String>>,
}

/// Starts the steer route on `session` with `route`: the monitor, the switches
/// (quiet now if it is not working time), and the listener for actions on Couper's own
/// notifications. `state` tells whether it is working time and which apps are work
/// apps; `changes` wakes the route when that may have changed.
#[allow(clippy::too_many_arguments)]
pub async fn start<R: Route>(
    route: R,
    session: Connection,
    monitor_bus: Option<String>,
    gatekeeper: Arc<dyn Gatekeeper>,
    keep: Arc<dyn Keep>,
    state: Arc<dyn Fn() -> (bool, Settings) + Send + Sync>,
    mut changes: tokio::sync::watch::Receiver<u64>,
    shutdown: CancellationToken,
) -> Result<(Steering, Handle<R>, Arc<Ids>), SteerError> {
    let ids = Arc::new(Ids::default());
    let own_name = session
        .unique_name()
        .map(|n| n.to_owned())
        .ok_or_else(|| SteerError::Monitor("the session connection has no name".into()))?;
    let owner = name_owner(&session).await;
    let mut seen = monitor::start(monitor_bus.as_deref(), own_name, owner).await?;
    let mut actions = action_signals(&session).await?;
    let shared = Arc::new(Shared {
        route,
        session: session.clone(),
        journal: Journal::new(keep),
        gatekeeper,
        ids: ids.clone(),
        quiet: Mutex::new(BTreeSet::new()),
    });
    shared.reconcile(&state).await?;

    let stop = shutdown.child_token();
    let tasks = TaskTracker::new();
    let (done_tx, done) = tokio::sync::oneshot::channel();

    let monitor_lost = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let lost = monitor_lost.clone();
    let watcher = shared.clone();
    let stopped = stop.clone();
    tasks.spawn(async move {
        loop {
            tokio::select! {
                () = stopped.cancelled() => return,
                got = seen.recv() => match got {
                    Some(event) => watcher.on_seen(event).await,
                    None => {
                        tracing::error!("the notification monitor stopped");
                        lost.store(true, std::sync::atomic::Ordering::Relaxed);
                        stopped.cancel();
                        return;
                    }
                },
            }
        }
    });

    let listener = shared.clone();
    let stopped = stop.clone();
    tasks.spawn(async move {
        use futures_util::StreamExt;
        loop {
            tokio::select! {
                () = stopped.cancelled() => return,
                message = actions.next() => {
                    let Some(Ok(message)) = message else { return };
                    if let Ok((id, key)) = message.body().deserialize::<(u32, String)>() {
                        if listener.ids.is_ours(id) {
                            let gatekeeper = listener.gatekeeper.clone();
                            let _ = tokio::task::spawn_blocking(move || gatekeeper.own_action(id, &key)).await;
                        }
                    }
                }
            }
        }
    });

    let switches = shared.clone();
    let stopped = stop.clone();
    tasks.spawn(async move {
        let mut result = Ok(());
        loop {
            tokio::select! {
                () = stopped.cancelled() => break,
                changed = changes.changed() => {
                    if changed.is_err() {
                        break;
                    }
                    if let Err(e) = switches.reconcile(&state).await {
                        tracing::error!("steering the shell's settings: {e}");
                    }
                }
            }
        }
        // Fail open: the user's own values come back.
        if let Err(e) = switches.restore().await {
            tracing::error!("putting the shell's settings back: {e}");
            result = Err(e);
        }
        if result.is_ok() && monitor_lost.load(std::sync::atomic::Ordering::Relaxed) {
            result = Err(SteerError::Monitor("the session bus closed".into()));
        }
        let _ = done_tx.send(result);
    });
    tasks.close();

    let handle = Handle { shared };
    Ok((Steering { tasks, stop, done }, handle, ids))
}

/// The unique name that owns `org.freedesktop.Notifications` now, if any.
async fn name_owner(session: &Connection) -> Option<String> {
    let dbus = zbus::fdo::DBusProxy::new(session).await.ok()?;
    let name = zbus::names::BusName::try_from(NOTIFICATIONS).ok()?;
    dbus.get_name_owner(name).await.ok().map(|o| o.to_string())
}

/// `ActionInvoked` signals from the notification service (for Couper's own posts).
async fn action_signals(session: &Connection) -> Result<zbus::MessageStream, SteerError> {
    let rule = zbus::MatchRule::builder()
        .msg_type(zbus::message::Type::Signal)
        .interface(NOTIFICATIONS)
        .member("ActionInvoked")
        .build()?;
    Ok(zbus::MessageStream::for_match_rule(rule, session, std::num::NonZeroUsize::new(64)).await?)
}

impl<R: Route> Shared<R> {
    /// Posts `n` from Couper's own connection; returns the shell's id.
    async fn notify(&self, n: &Notification) -> Result<u32, SteerError> {
        let mut hints: HashMap<&str, zbus::Variant<'_>> = n
            .hints
            .iter()
            .map(|(k, v)| (k.as_str(), hint_variant(v)))
            .collect();
        hints.insert("urgency", zbus::Variant::from(n.urgency.as_byte()));
        let reply = self
            .session
            .call_method(
                Some(NOTIFICATIONS),
                "/org/freedesktop/Notifications",
                Some(NOTIFICATIONS),
                "Notify",
                &(
                    n.app.as_str(),
                    0u32,
                    n.icon.as_str(),
                    n.summary.as_str(),
                    n.body.as_str(),
                    &n.actions,
                    hints,
                    n.expire_timeout,
                ),
            )
            .await?;
        Ok(reply.body().deserialize::<u32>()?)
    }

    /// Posts a copy of Couper's notification `id` (a crisis, a replayed one, an alert),
    /// withdrawing `original` (the shell's own) first, and any earlier copy after.
    async fn post_copy(
        &self,
        id: u32,
        n: &Notification,
        original: Option<u32>,
    ) -> Result<(), SteerError> {
        if let Some(shell_id) = original {
            self.route.withdraw(&self.session, shell_id).await?;
        }
        let shell_id = self.notify(n).await?;
        if let Some(previous) = self.ids.copy(id, shell_id) {
            self.route.withdraw(&self.session, previous).await?;
        }
        Ok(())
    }

    /// Turns the switches to what the state asks: work apps quiet outside working time,
    /// all back to the user's values in working time.
    async fn reconcile(
        &self,
        state: &Arc<dyn Fn() -> (bool, Settings) + Send + Sync>,
    ) -> Result<(), SteerError> {
        let (working, settings) = state();
        let wanted = if working {
            BTreeSet::new()
        } else {
            self.route.keys_for(&steered_apps(&settings))
        };
        let quiet = lock(&self.quiet).clone();
        let mut first_error = None;
        for key in quiet.difference(&wanted) {
            match self.journal.put_back(&self.route, key).await {
                Ok(_) => {
                    lock(&self.quiet).remove(key);
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        for key in wanted.difference(&quiet) {
            match self.journal.change(&self.route, key, QUIET).await {
                Ok(changed) => {
                    if changed {
                        tracing::info!(route = self.route.name(), key, "banners off");
                    }
                    lock(&self.quiet).insert(key.clone());
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    /// Puts back every switch Couper turned, journaled ones from earlier runs included.
    async fn restore(&self) -> Result<(), SteerError> {
        let result = self.journal.put_back_all(&self.route).await;
        lock(&self.quiet).clear();
        result.map(|_| ())
    }

    async fn on_seen(&self, event: monitor::Seen) {
        match event {
            monitor::Seen::Notify {
                shell_id,
                replaces,
                notification,
            } => {
                let replaces = self.ids.couper_id(replaces).unwrap_or(0);
                let gatekeeper = self.gatekeeper.clone();
                let n = notification.clone();
                let admission: Admission = match tokio::task::spawn_blocking(move || {
                    gatekeeper.notify(replaces, &n)
                })
                .await
                {
                    Ok(a) => a,
                    Err(e) => {
                        tracing::error!("deciding on a notification: {e}");
                        return;
                    }
                };
                self.ids.link(shell_id, admission.id);
                let quieted = self
                    .route
                    .key_of(&notification)
                    .is_some_and(|key| lock(&self.quiet).contains(&key));
                let step = plan(
                    admission.verdict,
                    quieted,
                    notification.urgency == Urgency::Critical,
                    self.route.shows_critical_when_quiet(),
                );
                tracing::debug!(shell_id, id = admission.id, ?step, "steered");
                if let Err(e) = self
                    .carry_out(step, admission.id, shell_id, &notification)
                    .await
                {
                    tracing::error!("steering notification {shell_id}: {e}");
                }
            }
            monitor::Seen::Close { shell_id } => {
                if let Some(id) = self.ids.couper_id(shell_id) {
                    let gatekeeper = self.gatekeeper.clone();
                    let _ = tokio::task::spawn_blocking(move || gatekeeper.close(id)).await;
                }
            }
        }
    }

    async fn carry_out(
        &self,
        step: Step,
        id: u32,
        shell_id: u32,
        n: &Notification,
    ) -> Result<(), SteerError> {
        match step {
            Step::Nothing => Ok(()),
            Step::Withdraw => self.route.withdraw(&self.session, shell_id).await,
            Step::Repost { critical, withdraw } => {
                let original = withdraw.then_some(shell_id);
                self.post_copy(id, &repost(n, critical), original).await
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_notification_the_shell_kept_quiet_stays_in_its_list() {
        assert_eq!(plan(Verdict::Hold, true, false, true), Step::Nothing);
    }

    #[test]
    fn a_held_notification_on_screen_is_withdrawn() {
        // An account inside a browser: the shell showed it as any other.
        assert_eq!(plan(Verdict::Hold, false, false, true), Step::Withdraw);
        // A critical one GNOME shows even from a quiet app, held while not on call.
        assert_eq!(plan(Verdict::Hold, true, true, true), Step::Withdraw);
        // Plasma keeps critical ones from quiet apps quiet too.
        assert_eq!(plan(Verdict::Hold, true, true, false), Step::Nothing);
    }

    #[test]
    fn a_crisis_is_reposted_with_critical_urgency_unless_already_on_screen_so() {
        assert_eq!(
            plan(Verdict::DeliverCrisis, true, false, true),
            Step::Repost {
                critical: true,
                withdraw: false
            }
        );
        assert_eq!(
            plan(Verdict::DeliverCrisis, true, true, true),
            Step::Nothing
        );
        assert_eq!(
            plan(Verdict::DeliverCrisis, true, true, false),
            Step::Repost {
                critical: true,
                withdraw: false
            }
        );
        // An ordinary banner on screen is replaced by the critical copy, not doubled.
        assert_eq!(
            plan(Verdict::DeliverCrisis, false, false, true),
            Step::Repost {
                critical: true,
                withdraw: true
            }
        );
    }

    #[test]
    fn dropped_ones_are_withdrawn_and_delivered_ones_left_alone() {
        assert_eq!(plan(Verdict::Drop, true, false, true), Step::Withdraw);
        assert_eq!(plan(Verdict::Deliver, false, false, true), Step::Nothing);
        assert_eq!(
            plan(Verdict::Deliver, true, false, false),
            Step::Repost {
                critical: false,
                withdraw: false
            }
        );
    }

    #[test]
    fn only_work_apps_without_an_account_get_their_switch_turned() {
        let settings = crate::settings::parse(
            "[[work_apps]]\nname = \"Slack\"\napp = \"slack\"\n\n\
             [[work_apps]]\nname = \"Gmail\"\napp = \"firefox\"\naccount = \"me@work.example\"\n",
            "t",
        )
        .unwrap();
        assert_eq!(steered_apps(&settings), vec!["slack".to_string()]);
    }

    #[test]
    fn desktop_ids_match_work_apps_as_the_engine_does() {
        assert!(id_matches("slack", "Slack"));
        assert!(id_matches("com.slack.Slack", "slack"));
        assert!(!id_matches("slackware-tool", "slack"));
    }

    #[test]
    fn a_repost_says_whose_it_is_under_couper_s_name() {
        let n = Notification {
            app: "slack".into(),
            summary: "Server down".into(),
            ..Default::default()
        };
        let copy = repost(&n, true);
        assert_eq!(copy.app, "Couper");
        assert_eq!(copy.summary, "slack — Server down");
        assert_eq!(copy.urgency, Urgency::Critical);
    }
}
