//! The running daemon: what `couper run` runs, and what the tray app runs in-process. It
//! composes the pieces: the one-gate-per-session lock (the control name), the route in
//! front of the desktop (the proxy gate, kept standing by `proxy.rs`, or the steer
//! route), the executor that carries the Service's outcomes out on the display (digests,
//! replays, closes), a wall-clock timer that wakes only at transitions, and the watchers
//! (settings file, resume, the team's calendar). Every task is tracked and awaited at
//! shutdown. Front doors call [`Live`], the typed API; this module only wires it.

use crate::control::{self, Control};
use crate::gate::{self, GateConfig};
use crate::live::{Live, LiveError, REPLAY_GAP, REPLAY_MAX, SETTINGS_SETTLE};
use crate::notification::Notification;
use crate::service::{self, Outcome};
use crate::settings::ReleaseMode;
use crate::steer::Screen;
use crate::store::{Held, Store};
use crate::wall_timer::{Wake, WallTimer};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use zbus::fdo::{RequestNameFlags, RequestNameReply};

mod proxy;

/// How to run the live gate.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// The settings file.
    pub settings_path: PathBuf,
    /// The store file.
    pub store_path: PathBuf,
    /// The session bus (tests); `None`: `DBUS_SESSION_BUS_ADDRESS`.
    pub session_bus: Option<String>,
    /// Put Couper in front of whatever daemon holds the notification name, even one the
    /// user started (`couper run --replace`). A daemon that D-Bus activation started is
    /// replaced anyway.
    pub replace: bool,
    /// Refuse to start when a daemon the user started holds the name (`couper run`
    /// without `--replace`), rather than stand aside and say so (the app).
    pub refuse_user_daemon: bool,
}

/// Runs the gate until `shutdown` is cancelled or the gate fails.
pub async fn run(options: RunOptions, shutdown: CancellationToken) -> Result<(), LiveError> {
    start(options, shutdown).await?.wait().await
}

/// How long a stop waits for the daemon's tasks (a display that never answers).
const TASKS_PATIENCE: std::time::Duration = std::time::Duration::from_secs(5);

/// A running live gate (see [`start`]).
#[derive(Debug)]
pub struct Running {
    live: Arc<Live>,
    gate: Front,
    control: zbus::Connection,
    shutdown: CancellationToken,
    /// The executor, the timers and the watchers: awaited before the gate says it stopped.
    tasks: tokio_util::task::TaskTracker,
}

impl Running {
    /// The live service, for in-process front ends (the tray app).
    pub fn live(&self) -> Arc<Live> {
        self.live.clone()
    }

    /// Waits until the gate ends (`shutdown` cancelled, or a failure). When it returns,
    /// every task of the daemon has ended, what was released but not yet shown is held
    /// again, the Service changes no more (nothing is written after this), the names are
    /// released and the display daemon is gone.
    pub async fn wait(self) -> Result<(), LiveError> {
        let ended = match self.gate {
            Front::Proxy(keeper) => match keeper.await {
                Ok(ended) => ended.map_err(LiveError::from),
                Err(e) => Err(LiveError::Gate(gate::GateError::PrivateBus {
                    reason: format!("the gate's keeper failed: {e}"),
                })),
            },
            Front::Steer(steering) => {
                let ended = steering.wait().await;
                if let Err(e) = &ended {
                    let lost = crate::voice::Warning::ShellLost(e.to_string());
                    crate::voice::warn(&self.live, &lost).await;
                }
                ended.map_err(LiveError::from)
            }
        };
        self.shutdown.cancel();
        if tokio::time::timeout(TASKS_PATIENCE, self.tasks.wait())
            .await
            .is_err()
        {
            // A display that never answers: the Service is closed all the same.
            tracing::warn!("a task of the gate did not end in time; stopping without it");
        }
        self.live.close();
        let _ = self.control.release_name(control::NAME).await;
        tracing::info!("Couper stopped");
        ended
    }
}

/// What stands in front of the desktop: the proxy gate, or the steer route.
#[derive(Debug)]
enum Front {
    Proxy(tokio::task::JoinHandle<Result<(), gate::GateError>>),
    Steer(crate::steer::Steering),
}

/// Starts the live gate: settings, store, the control name (the one-gate-per-session
/// lock), the proxy gate, the timers and the settings watcher. Cancelling `shutdown`
/// stops it.
pub async fn start(options: RunOptions, shutdown: CancellationToken) -> Result<Running, LiveError> {
    let session_builder = || match &options.session_bus {
        Some(address) => zbus::connection::Builder::address(address.as_str()),
        None => zbus::connection::Builder::session(),
    };
    // Nothing is opened before these checks: opening the Service releases what became due
    // while Couper was away, and a gate that cannot start would never show it.
    let steer;
    {
        let probe = session_builder().build().await?;
        let dbus = zbus::fdo::DBusProxy::new(&probe).await?;
        let name = zbus::names::BusName::try_from(control::NAME)?;
        if dbus.name_has_owner(name).await.map_err(zbus::Error::from)? {
            return Err(LiveError::AlreadyRunning {
                owner: owner_of(&probe, control::NAME).await,
            });
        }
        steer = crate::steer::detect(&probe).await?;
        if steer.is_none() && options.refuse_user_daemon {
            gate::ensure_name_free(&probe, take_over(&options)).await?;
        }
    }
    let store = Store::open(&options.store_path)?;
    let settings_watch = watch_settings_file(&options.settings_path);
    let (live, outcomes) = Live::open(&options.settings_path, store)?;

    // The control name first: it is the one-gate-per-session lock.
    let builder = session_builder();
    let control = builder
        .serve_at(control::PATH, Control::new(live.clone()))
        .build()
        .await?;
    let reply = control
        .request_name_with_flags(control::NAME, RequestNameFlags::DO_NOT_QUEUE)
        .await;
    match reply {
        Ok(RequestNameReply::PrimaryOwner) | Ok(RequestNameReply::AlreadyOwner) => {}
        Ok(_) | Err(zbus::Error::NameTaken) => {
            return Err(LiveError::AlreadyRunning {
                owner: owner_of(&control, control::NAME).await,
            })
        }
        Err(e) => return Err(e.into()),
    }
    // Settings a steer route changed before a crash get the user's values back first.
    if let Err(e) = crate::steer::restore_all(
        live.clone(),
        Some(control.clone()),
        options.session_bus.clone(),
    )
    .await
    {
        tracing::error!("putting back the desktop settings of an earlier run: {e}");
    }

    let parts = Parts {
        live: live.clone(),
        control: control.clone(),
        outcomes,
        settings_watch,
        shutdown: shutdown.clone(),
    };
    if let Some((shell, reason)) = steer {
        let (steering, screen) = crate::steer::start_live(
            live.clone(),
            shell,
            reason,
            &control,
            options.session_bus.clone(),
            shutdown.clone(),
        )
        .await?;
        tracing::info!("Couper is running (steer route)");
        return Ok(parts.run(Front::Steer(steering), screen));
    }

    let config = GateConfig {
        session_bus: options.session_bus.clone(),
        take_over: take_over(&options),
        own_voice: true,
        ..GateConfig::default()
    };
    let screen = proxy::ProxyScreen::new(control.clone());
    let (first, first_done) = tokio::sync::oneshot::channel();
    let keeper = tokio::spawn(proxy::keep(
        live.clone(),
        config,
        screen.clone(),
        shutdown.clone(),
        first,
    ));
    // Returns once the gate serves, or has stood aside and said why.
    let _ = first_done.await;
    Ok(parts.run(Front::Proxy(keeper), screen))
}

/// What the daemon's tasks are made of, whatever the route.
struct Parts {
    live: Arc<Live>,
    control: zbus::Connection,
    outcomes: mpsc::UnboundedReceiver<Outcome>,
    settings_watch: Option<SettingsWatch>,
    shutdown: CancellationToken,
}

impl Parts {
    /// Starts the daemon's tasks in front of `gate`: the executor of outcomes on `screen`,
    /// the wall-clock timer and the watchers, all tracked.
    fn run(self, gate: Front, screen: impl Screen) -> Running {
        let Parts {
            live,
            control,
            outcomes,
            settings_watch,
            shutdown,
        } = self;
        let tasks = tokio_util::task::TaskTracker::new();
        tasks.spawn(execute(
            live.clone(),
            screen,
            control.clone(),
            outcomes,
            shutdown.clone(),
        ));
        tasks.spawn(timers(live.clone(), shutdown.clone()));
        tasks.spawn(watch_settings(
            live.clone(),
            settings_watch,
            shutdown.clone(),
        ));
        tasks.spawn(watch_sleep(live.clone(), shutdown.clone()));
        tasks.spawn(watch_calendar(live.clone(), shutdown.clone()));
        tasks.spawn(crate::voice::watch_warnings(live.clone(), shutdown.clone()));
        tasks.spawn(settle(shutdown.clone()));
        tasks.close();
        Running {
            live,
            gate,
            control,
            shutdown,
            tasks,
        }
    }
}

/// How long after start the start-up's pages are released: the watchers, the first
/// calendar read and the display daemon's first answers are done by then.
const START_UP_SETTLES: std::time::Duration = std::time::Duration::from_secs(3);

/// Once start-up is over, what it touched leaves the resident set
/// ([`crate::resident`]). Once only: an idle gate still has no wake-ups.
async fn settle(shutdown: CancellationToken) {
    tokio::select! {
        () = shutdown.cancelled() => return,
        () = tokio::time::sleep(START_UP_SETTLES) => {}
    }
    let before = crate::resident::resident_bytes();
    let released = crate::resident::release_start_up_pages();
    let after = crate::resident::resident_bytes();
    let mb =
        |b: Option<u64>| b.map_or_else(|| "?".to_string(), |b| format!("{:.1}", b as f64 / 1e6));
    tracing::info!(
        "start-up over: {:.1} MB of code mappings released, resident {} MB then {} MB",
        released as f64 / 1e6,
        mb(before),
        mb(after)
    );
}

/// What the proxy gate may replace, after `options`.
fn take_over(options: &RunOptions) -> gate::TakeOver {
    if options.replace {
        gate::TakeOver::Any
    } else {
        gate::TakeOver::Activated
    }
}

async fn owner_of(conn: &zbus::Connection, name: &str) -> String {
    let Ok(dbus) = zbus::fdo::DBusProxy::new(conn).await else {
        return String::new();
    };
    let Ok(bus_name) = zbus::names::BusName::try_from(name) else {
        return String::new();
    };
    match dbus.get_connection_unix_process_id(bus_name).await {
        Ok(pid) => {
            let cmd = std::fs::read_to_string(format!("/proc/{pid}/cmdline"))
                .map(|c| c.replace('\0', " ").trim().to_string())
                .unwrap_or_default();
            if cmd.is_empty() {
                format!(" (pid {pid})")
            } else {
                format!(" (pid {pid}: {cmd})")
            }
        }
        Err(_) => String::new(),
    }
}

/// Carries the Service's outcomes out on the display, in order, until `shutdown`. Then
/// what was released but not yet shown (a replay cut short, a release still queued) is
/// held again, for the next run to show once.
async fn execute(
    live: Arc<Live>,
    gate: impl Screen,
    control: zbus::Connection,
    mut outcomes: mpsc::UnboundedReceiver<Outcome>,
    shutdown: CancellationToken,
) {
    loop {
        let outcome = tokio::select! {
            biased;
            () = shutdown.cancelled() => break,
            outcome = outcomes.recv() => match outcome {
                Some(outcome) => outcome,
                None => return,
            },
        };
        let result = match outcome {
            Outcome::Show {
                id,
                notification,
                crisis,
            } => gate.show(id, &notification, crisis).await,
            Outcome::Released {
                items, mode, at, ..
            } => {
                let released = release(&live, &gate, items, mode, at, &shutdown).await;
                // What the released notifications took goes back to the system.
                crate::resident::return_freed_heap();
                released
            }
            Outcome::Close { id } => gate.close(id).await,
            Outcome::StateChanged => {
                live.changes.send_modify(|n| *n = n.wrapping_add(1));
                let status = serde_json::to_string(&live.status()).unwrap_or_default();
                if let Ok(emitter) =
                    zbus::object_server::SignalEmitter::new(&control, control::PATH)
                {
                    let _ = Control::state_changed(&emitter, &status).await;
                }
                Ok(())
            }
        };
        if let Err(e) = result {
            tracing::error!("display: {e}");
        }
    }
    while let Ok(outcome) = outcomes.try_recv() {
        if let Outcome::Released { items, at, .. } = outcome {
            live.put_back(&items, at);
        }
    }
}

/// Couper's own notification (the digest), whatever the route: as an app of the session
/// ([`crate::voice`]), to whoever serves it.
async fn post_own(live: &Arc<Live>, n: &Notification) -> Result<(), gate::GateError> {
    crate::voice::digest(live, n)
        .await
        .map(|_| ())
        .map_err(|e| gate::GateError::SessionBus(zbus::Error::Failure(e.to_string())))
}

async fn release(
    live: &Arc<Live>,
    gate: &impl Screen,
    items: Vec<Held>,
    mode: ReleaseMode,
    at: jiff::Timestamp,
    shutdown: &CancellationToken,
) -> Result<(), gate::GateError> {
    if items.is_empty() {
        return Ok(());
    }
    if mode == ReleaseMode::Replay && items.len() <= REPLAY_MAX {
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                tokio::select! {
                    () = tokio::time::sleep(REPLAY_GAP) => {}
                    () = shutdown.cancelled() => {
                        live.put_back(&items[i..], at);
                        return Ok(());
                    }
                }
            }
            let shown = gate.show(item.id, &item.notification, false).await;
            if shown.is_err() && shutdown.is_cancelled() {
                // The display went with the stop: this one was not shown either.
                live.put_back(&items[i..], at);
                return Ok(());
            }
            shown?;
        }
        return Ok(());
    }
    post_own(live, &service::digest(&items, live.read(|s| s.lang()))).await
}

/// Wakes the Service at each transition on the wall clock, and re-arms after a change of
/// the clock, a resume or any change of state.
async fn timers(live: Arc<Live>, shutdown: CancellationToken) {
    let timer = match WallTimer::new() {
        Ok(t) => t,
        Err(e) => {
            tracing::error!("wall-clock timer: {e}");
            return;
        }
    };
    loop {
        let wake = live.next_wake();
        if let Err(e) = timer.arm(wake) {
            tracing::error!("wall-clock timer: {e}");
            return;
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = live.rearm.notified() => {}
            fired = timer.wait() => match fired {
                Ok(Wake::Fired) => live.tick(),
                Ok(Wake::ClockChanged) => {
                    tracing::info!("the clock changed: re-arming");
                    live.tick();
                }
                Err(e) => {
                    tracing::error!("wall-clock timer: {e}");
                    return;
                }
            },
        }
    }
}

/// The settings file's watch, armed before the settings are first read so that no edit
/// falls between the read and the watch: the watcher, and one message per change.
struct SettingsWatch {
    _watcher: notify::RecommendedWatcher,
    changes: mpsc::UnboundedReceiver<()>,
}

/// Watches the directory of `path` (editors replace the file); `None`, said in the log,
/// when it cannot be watched.
fn watch_settings_file(path: &Path) -> Option<SettingsWatch> {
    use notify::Watcher;
    let dir = path.parent()?.to_path_buf();
    if let Err(e) = crate::store::create_private_dir(&dir) {
        tracing::warn!("{}: {e}: settings changes are not watched", dir.display());
        return None;
    }
    let name = path.file_name().map(|n| n.to_os_string());
    let (tx, changes) = mpsc::unbounded_channel();
    let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            let ours = event
                .paths
                .iter()
                .any(|p| p.file_name().map(|n| n.to_os_string()) == name);
            let change = !matches!(event.kind, notify::EventKind::Access(_));
            if ours && change {
                let _ = tx.send(());
            }
        }
    });
    let mut watcher = match watcher {
        Ok(w) => w,
        Err(e) => {
            tracing::warn!("settings changes are not watched: {e}");
            return None;
        }
    };
    if let Err(e) = watcher.watch(&dir, notify::RecursiveMode::NonRecursive) {
        tracing::warn!("{}: settings changes are not watched: {e}", dir.display());
        return None;
    }
    Some(SettingsWatch {
        _watcher: watcher,
        changes,
    })
}

/// Re-reads the settings whenever the file changes, as `watch` sees it.
async fn watch_settings(
    live: Arc<Live>,
    watch: Option<SettingsWatch>,
    shutdown: CancellationToken,
) {
    let Some(SettingsWatch {
        _watcher,
        changes: mut rx,
    }) = watch
    else {
        return;
    };
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            got = rx.recv() => {
                if got.is_none() {
                    return;
                }
                // One save makes several events, and an editor that writes in place
                // empties the file first: reload once the file has been quiet a moment,
                // never from a half-written file.
                loop {
                    match tokio::time::timeout(SETTINGS_SETTLE, rx.recv()).await {
                        Ok(Some(())) => continue,
                        Ok(None) => return,
                        Err(_) => break,
                    }
                }
                // Reading and compiling new settings takes a while (a long keyword
                // list): never on an async worker, which other tasks need.
                let reader = live.clone();
                if let Err(e) = tokio::task::spawn_blocking(move || reader.reload_settings()).await {
                    tracing::error!("settings reload: {e}");
                }
            }
        }
    }
}

/// logind's `PrepareForSleep(false)` on resume: tick and re-arm at once (the wall-clock
/// timer would fire anyway; this also catches a resume with no timer due). Without a
/// system bus (containers, tests) this does nothing.
async fn watch_sleep(live: Arc<Live>, shutdown: CancellationToken) {
    use futures_util::StreamExt;
    let Ok(system) = zbus::Connection::system().await else {
        return;
    };
    let Ok(rule) = zbus::MatchRule::builder()
        .msg_type(zbus::message::Type::Signal)
        .interface("org.freedesktop.login1.Manager")
        .member("PrepareForSleep")
        .build()
    else {
        return;
    };
    let Ok(mut stream) = zbus::MessageStream::for_match_rule(rule, &system, None).await else {
        return;
    };
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            message = stream.next() => {
                let Some(Ok(message)) = message else { return };
                if let Ok(false) = message.body().deserialize::<bool>() {
                    tracing::info!("resumed from sleep");
                    live.tick();
                }
            }
        }
    }
}

/// Reads the team's calendar at start, when the settings change and every few hours (a
/// periodic fetch; a failed read keeps the last good copy).
async fn watch_calendar(live: Arc<Live>, shutdown: CancellationToken) {
    // Expanding a calendar takes a while: on a blocking thread, the last good copy first.
    let mut restore = true;
    loop {
        let reader = live.clone();
        let first = std::mem::take(&mut restore);
        let read = move || {
            if first {
                reader.restore_calendar();
            }
            reader.refresh_calendar();
        };
        // A slow server does not hold up a stop: the read goes on on its blocking thread,
        // and changes nothing once the gate has stopped.
        tokio::select! {
            _ = shutdown.cancelled() => return,
            read = tokio::task::spawn_blocking(read) => {
                if let Err(e) = read {
                    tracing::error!("calendar: {e}");
                }
            }
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = live.calendar_kick.notified() => {}
            _ = tokio::time::sleep(crate::calendar::REFRESH_EVERY) => {}
        }
    }
}
