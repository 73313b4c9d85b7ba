//! The steer route at work: it starts the monitor, turns the switches as the state asks
//! (through the journal), carries out what the Service decided on each notification the
//! monitor saw (the [`plan`](super::plan)), and shows, posts and closes Couper's own
//! notifications for the live executor. It fails open: when it stops, every switch it
//! turned is put back.

use super::gnome;
use super::journal::{self, Journal, Keep};
use super::monitor;
use super::plasma;
use super::{lock, plan, repost, steered_apps, Route, Screen, Shell, SteerError, Step, QUIET};
use crate::gate::{Admission, GateError, Gatekeeper, NOTIFICATIONS};
use crate::notification::{Notification, Urgency};
use crate::settings::Settings;
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use zbus::Connection;

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
    order: VecDeque<u32>,
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

    fn is_ours(&self, shell_id: u32) -> bool {
        let maps = lock(&self.inner);
        maps.copies.values().any(|s| *s == shell_id)
    }
}

/// What a front end shows about the active route.
#[derive(Debug, Clone)]
pub struct RouteInfo {
    /// The shell steered.
    pub shell: Shell,
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
    let (steering, handle, ids) = match shell {
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
            (steering, ShellHandle::Gnome(handle), ids)
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
            (steering, ShellHandle::Plasma(handle), ids)
        }
    };
    live.set_route(RouteInfo { shell, reason, ids });
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
    /// Couper's own connections (its voice, notify-rust's): what they post is not an app's.
    ours: crate::gate::Ours,
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
        ours: crate::gate::Ours::default(),
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
    let dbus = crate::gate::proxies::bus(session).await.ok()?;
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
        Ok(crate::voice::post(&self.session, n, false).await?)
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
        let sender = match &event {
            monitor::Seen::Notify { sender, .. } | monitor::Seen::Close { sender, .. } => sender,
        };
        if self.ours.contains(&self.session, sender).await {
            // Couper's own (the digest, a warning): the shell shows it, nothing to decide.
            return;
        }
        match event {
            monitor::Seen::Notify {
                sender,
                shell_id,
                replaces,
                notification,
            } => {
                // The shell refuses another app's id (GNOME answers an error, and nothing
                // is seen); where it does not, the Service makes it a new one.
                let replaces = self.ids.couper_id(replaces).unwrap_or(0);
                let gatekeeper = self.gatekeeper.clone();
                let n = notification.clone();
                let admission: Admission = match tokio::task::spawn_blocking(move || {
                    gatekeeper.notify(Some(&sender), replaces, &n)
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
            monitor::Seen::Close { sender, shell_id } => {
                if let Some(id) = self.ids.couper_id(shell_id) {
                    let gatekeeper = self.gatekeeper.clone();
                    let _ =
                        tokio::task::spawn_blocking(move || gatekeeper.close(Some(&sender), id))
                            .await;
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
