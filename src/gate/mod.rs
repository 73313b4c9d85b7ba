//! The Linux gate, proxy route: Couper stands between apps and the user's display daemon.
//!
//! Couper owns `org.freedesktop.Notifications` on the session bus and starts the user's own
//! display daemon (dunst, mako, …) on a private `dbus-daemon` of its own, so the daemon
//! draws on the user's screen but hears only what Couper forwards. The gate decides
//! nothing: each `Notify` goes through the [`Gatekeeper`] seam (the service) and the gate
//! applies its [`Verdict`]. The service shows held notifications later, and posts its own
//! (the digest), through a [`GateHandle`].
//!
//! ```text
//!  app ──Notify──▶ server ──▶ Gatekeeper::notify ──▶ Admission { id, verdict }
//!   ▲                │ Deliver / DeliverCrisis
//!   │                ▼
//!   │           downstream ──Notify──▶ display daemon (on Couper's private bus)
//!   └─ActionInvoked(Couper's id)── downstream ◀──ActionInvoked(daemon's id)──┘
//! ```
//!
//! It fails open: if Couper dies, the kernel closes its socket and the bus frees the name
//! (D-Bus activation brings the normal daemon back on the next notification), and its
//! children end with it (see `child.rs`).
//!
//! ```no_run
//! # use std::sync::Arc;
//! # use couper::gate::{self, Admission, GateConfig, Gatekeeper, Verdict};
//! # use couper::notification::Notification;
//! # struct Service;
//! # impl Gatekeeper for Service {
//! #     fn notify(&self, _: Option<&str>, _: u32, _: &Notification) -> Admission { Admission { id: 1, verdict: Verdict::Deliver } }
//! #     fn close(&self, _: Option<&str>, id: u32) -> Option<u32> { Some(id) }
//! #     fn own_action(&self, _: u32, _: &str) {}
//! # }
//! # async fn example() -> Result<(), gate::GateError> {
//! let shutdown = tokio_util::sync::CancellationToken::new();
//! let gate = gate::start(Arc::new(Service), GateConfig::default(), shutdown.clone()).await?;
//! let handle = gate.handle(); // for releases and the digest
//! gate.wait().await // until `shutdown` is cancelled, or the gate fails
//! # }
//! ```

mod child;
mod display;
mod downstream;
mod error;
mod ours;
mod owner;
mod private_bus;
pub(crate) mod proxies;
mod relay;
mod server;
pub(crate) mod wire;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;
use zbus::fdo::{RequestNameFlags, RequestNameReply};
use zbus::Connection;

pub use display::{
    candidates_in, display_candidates, display_command, find_in, service_dirs, DisplayCommand,
    Session,
};
pub use error::GateError;
pub use ours::Ours;
pub use owner::{holder, Holder};

use crate::notification::Notification;
use downstream::{Closer, Downstream, Request};
use private_bus::PrivateBus;

/// The notifications waiting for the display daemon, at the most, before the gate waits
/// for it: a burst of several thousand, far more than anyone reads, and bounded, so that
/// an app that floods a stuck daemon cannot take all memory. Tokio allocates a channel's
/// slots as they fill, not up front.
const QUEUE: usize = 16_384;

/// The well-known name of the freedesktop notification service.
pub const NOTIFICATIONS: &str = "org.freedesktop.Notifications";
/// Its object path.
const PATH: &str = "/org/freedesktop/Notifications";

/// How long a call to the display daemon may take before Couper gives up on it.
const DISPLAY_CALL_TIMEOUT: Duration = Duration::from_secs(10);
/// How long the gate's tasks have to finish on a stop.
const STOP_GRACE: Duration = Duration::from_secs(3);
/// How long a daemon Couper replaces has to give the name up after SIGTERM.
const TAKE_OVER_TIMEOUT: Duration = Duration::from_secs(5);

/// What the gate asks for each notification. Implemented by the Service.
///
/// The methods are called from a blocking thread (`spawn_blocking`), one call at a time
/// for `notify` and `close`, in the order the apps' calls came.
pub trait Gatekeeper: Send + Sync + 'static {
    /// An app called Notify from connection `caller` (its unique bus name). `replaces_id`
    /// as sent (0 = none). Returns the id to answer with and what to do. Must have
    /// committed a hold durably before returning.
    fn notify(&self, caller: Option<&str>, replaces_id: u32, n: &Notification) -> Admission;
    /// An app called CloseNotification(id) from connection `caller`. Returns the Couper
    /// id withdrawn (the one `id` stands for), or `None` when the id is another app's held
    /// one and the call changes nothing.
    fn close(&self, caller: Option<&str>, id: u32) -> Option<u32>;
    /// The user invoked `action_key` on a notification the gate posted in its own voice
    /// ([`GateHandle::post_own`]). Nothing by default: the live gate posts its own
    /// notifications as an app of the session ([`crate::voice`]), whose actions come back
    /// there.
    fn own_action(&self, _id: u32, _action_key: &str) {}
}

/// The gatekeeper's answer to one `Notify`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Admission {
    /// The id the app is answered with (and later knows the notification by).
    pub id: u32,
    /// What the gate does with it.
    pub verdict: Verdict,
}

/// What the gate does with a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Show it now, as it came.
    Deliver,
    /// Show it now with critical urgency.
    DeliverCrisis,
    /// Show nothing now (the service keeps it and may [`GateHandle::show`] it later).
    Hold,
    /// Show nothing.
    Drop,
}

/// How to start the gate.
#[derive(Debug, Clone)]
pub struct GateConfig {
    /// `[display] command` from settings; `None` finds the daemon from the D-Bus activation
    /// files.
    pub display_command: Option<Vec<String>>,
    /// The session bus to serve on; `None` is the user's (`DBUS_SESSION_BUS_ADDRESS`).
    pub session_bus: Option<String>,
    /// Environment for the display daemon, on top of Couper's own (e.g. the `DISPLAY` of a
    /// test's Xvfb).
    pub display_env: Vec<(String, String)>,
    /// How long the private bus and the display daemon may take to start.
    pub start_timeout: Duration,
    /// What to do when another daemon holds the name.
    pub take_over: TakeOver,
    /// Couper's own process posts its notifications (the digest, its warnings) through
    /// this gate as an app of the session: a `Notify` from a connection of this process
    /// is forwarded to the display at once, never decided, held or counted. The live
    /// daemon sets it; off, every caller is an app (in-process tests post from here).
    pub own_voice: bool,
}

/// What the gate does when another display daemon holds `org.freedesktop.Notifications`
/// as it starts (see `owner.rs`). Never a desktop shell: that is the steer route's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TakeOver {
    /// Refuse with [`GateError::NameTaken`].
    #[default]
    Never,
    /// Replace a daemon that D-Bus activation started (nobody asked for it); refuse one
    /// the user started.
    Activated,
    /// Replace whatever daemon holds it (`couper run --replace`: the user said so).
    Any,
}

impl Default for GateConfig {
    fn default() -> Self {
        GateConfig {
            display_command: None,
            session_bus: None,
            display_env: Vec::new(),
            start_timeout: Duration::from_secs(10),
            take_over: TakeOver::Never,
            own_voice: false,
        }
    }
}

/// What the service uses to show and close notifications through a running gate.
/// Cheap to clone.
#[derive(Debug, Clone)]
pub struct GateHandle {
    requests: mpsc::Sender<Request>,
    display_bus: Arc<str>,
    display: Arc<DisplayCommand>,
}

impl GateHandle {
    /// Shows notification `id` now (a held one, released), with critical urgency if
    /// `crisis`. It replaces what is shown under `id`, if anything. Its actions reach the
    /// app that sent it if that app is still connected, and are ignored otherwise.
    pub async fn show(&self, id: u32, n: &Notification, crisis: bool) -> Result<(), GateError> {
        let (done, answer) = oneshot::channel();
        self.ask(Request::Show {
            id,
            notification: n.clone(),
            crisis,
            done,
        })
        .await?;
        answer.await.map_err(|_| GateError::Stopped)?
    }

    /// Posts Couper's own notification (e.g. the digest) and returns its id. Actions
    /// invoked on it go to [`Gatekeeper::own_action`]. Its ids count down from `u32::MAX`,
    /// apart from the service's.
    pub async fn post_own(&self, n: &Notification) -> Result<u32, GateError> {
        let (done, answer) = oneshot::channel();
        self.ask(Request::PostOwn {
            notification: n.clone(),
            done,
        })
        .await?;
        answer.await.map_err(|_| GateError::Stopped)?
    }

    /// Closes notification `id`: on screen if it is shown; a held one's app is told it is
    /// closed.
    pub async fn close(&self, id: u32) -> Result<(), GateError> {
        let (done, answer) = oneshot::channel();
        self.ask(Request::Close {
            id,
            by: Closer::Service,
            done: Some(done),
        })
        .await?;
        answer.await.map_err(|_| GateError::Stopped)?
    }

    /// The address of Couper's private bus, where the display daemon runs (diagnostics,
    /// and tests that read the daemon's state with its own tools).
    pub fn display_bus_address(&self) -> &str {
        &self.display_bus
    }

    /// The display daemon and where it was found (diagnostics).
    pub fn display_command(&self) -> &DisplayCommand {
        &self.display
    }

    async fn ask(&self, request: Request) -> Result<(), GateError> {
        self.requests
            .send(request)
            .await
            .map_err(|_| GateError::Stopped)
    }
}

/// A running gate. Dropping it stops the gate, as cancelling its shutdown token does.
#[derive(Debug)]
pub struct Gate {
    handle: GateHandle,
    supervisor: JoinHandle<Result<(), GateError>>,
    stop: CancellationToken,
}

impl Gate {
    /// The handle the service uses for releases and its own notifications.
    pub fn handle(&self) -> GateHandle {
        self.handle.clone()
    }

    /// Waits until the gate ends: `Ok` when the shutdown token given to [`start`] was
    /// cancelled; an error when it failed (the display daemon or a bus went away). Either
    /// way the name is released and the children are gone when this returns.
    pub async fn wait(mut self) -> Result<(), GateError> {
        let ended = (&mut self.supervisor).await;
        ended.unwrap_or_else(|e| {
            Err(GateError::PrivateBus {
                reason: format!("the gate's supervisor failed: {e}"),
            })
        })
    }
}

impl Drop for Gate {
    fn drop(&mut self) {
        // A gate dropped without `wait` stops too (its supervisor still cleans up).
        self.stop.cancel();
    }
}

/// Starts the gate, then waits until it ends (see [`Gate::wait`]). For `couper run`.
pub async fn run(
    gatekeeper: Arc<dyn Gatekeeper>,
    config: GateConfig,
    shutdown: CancellationToken,
) -> Result<(), GateError> {
    start(gatekeeper, config, shutdown).await?.wait().await
}

/// Starts the gate: finds the display daemon, starts it on a private bus, serves
/// `org.freedesktop.Notifications` on the session bus and takes the name. Returns when the
/// gate is serving, or with the reason it cannot (e.g. [`GateError::NameTaken`], checked
/// before anything is started). Cancelling `shutdown` stops it.
///
/// Call it from a task that lives on a runtime thread (not `spawn_blocking`): the children
/// are tied to the thread that spawns them.
pub async fn start(
    gatekeeper: Arc<dyn Gatekeeper>,
    config: GateConfig,
    shutdown: CancellationToken,
) -> Result<Gate, GateError> {
    let session = session_bus(config.session_bus.as_deref()).await?;
    let replacing = match owner::holder(&session).await? {
        None => None,
        Some(holder) if replaceable(&holder, config.take_over) => Some(holder),
        Some(holder) => return Err(holder.taken()),
    };
    let candidates = candidates(&config, replacing.as_ref())?;

    let mut bus = PrivateBus::start(config.start_timeout).await?;
    let private = match zbus::connection::Builder::address(bus.address())
        .method_timeout(DISPLAY_CALL_TIMEOUT)
        .build()
        .await
    {
        Ok(private) => private,
        Err(e) => {
            child::stop(&mut bus.child).await;
            return Err(e.into());
        }
    };
    // What the daemon uses of the session (xfconf, the accessibility bus), served on the
    // private bus before it starts (relay.rs); its environment gets AT_SPI_BUS_ADDRESS.
    let services = relay::SessionServices::offer(&session, bus.address()).await;
    let config = GateConfig {
        display_env: services.daemon_env(&config.display_env),
        ..config
    };
    // The best fit first; one that fails to start makes way for the next.
    let mut failed = Vec::new();
    let mut started = None;
    for candidate in candidates {
        match display::start(
            &candidate,
            &bus,
            &private,
            &config.display_env,
            config.start_timeout,
        )
        .await
        {
            // It owns the name; it serves once it answers (mako takes the name, then
            // fails to open its display and exits without answering).
            Ok(mut daemon) => {
                match downstream::capabilities_of(&private, &daemon.unique_name).await {
                    Ok(_) => {
                        started = Some((candidate, daemon));
                        break;
                    }
                    Err(e) => {
                        child::stop(&mut daemon.child).await;
                        let line = candidate.line();
                        let e = GateError::DisplayExited {
                            command: line.clone(),
                            status: format!("it took the name but did not answer: {e}"),
                        };
                        tracing::warn!(command = %line, "the display daemon did not start: {e}");
                        failed.push(e);
                    }
                }
            }
            Err(e) => {
                let line = candidate.line();
                tracing::warn!(command = %line, "the display daemon did not start: {e}");
                failed.push(e);
            }
        }
    }
    let Some((display, daemon)) = started else {
        child::stop(&mut bus.child).await;
        return Err(match failed.len() {
            1 => failed.remove(0),
            _ => GateError::NoneStarted {
                tried: failed.iter().map(ToString::to_string).collect(),
            },
        });
    };
    let mut children = Children { bus, daemon };

    let stop = shutdown.child_token();
    let tracker = TaskTracker::new();
    let (failures, failed) = mpsc::channel(4);
    let serving = serve(
        gatekeeper,
        config.own_voice,
        &session,
        &private,
        &children,
        (replacing.as_ref(), config.take_over),
        services,
        (&stop, &tracker, &failures),
    )
    .await;
    let requests = match serving {
        Ok(requests) => requests,
        Err(e) => {
            finish(&stop, &tracker, &session, &mut children).await;
            return Err(e);
        }
    };
    tracing::info!(
        display = %children.daemon.command,
        "Couper owns {NOTIFICATIONS}"
    );

    let handle = GateHandle {
        requests,
        display_bus: children.bus.address().into(),
        display: Arc::new(display),
    };
    let supervisor = tokio::spawn(supervise(children, session, stop.clone(), tracker, failed));
    Ok(Gate {
        handle,
        supervisor,
        stop,
    })
}

/// Whether `take_over` lets Couper replace `holder`.
fn replaceable(holder: &Holder, take_over: TakeOver) -> bool {
    match take_over {
        TakeOver::Never => false,
        TakeOver::Activated => holder.activated,
        TakeOver::Any => true,
    }
}

/// The daemons to try, best first: settings' command, else the one being replaced (its own
/// command line, so that the same daemon draws behind Couper), then the activation files'.
fn candidates(
    config: &GateConfig,
    replacing: Option<&Holder>,
) -> Result<Vec<DisplayCommand>, GateError> {
    let found = display::display_candidates(config.display_command.clone());
    let theirs = replacing
        .filter(|_| config.display_command.is_none())
        .filter(|h| h.argv.first().is_some_and(|p| !display::is_couper(p)))
        .map(|h| DisplayCommand {
            argv: h.argv.clone(),
            found_in: None,
        });
    match (found, theirs) {
        (Ok(mut all), Some(theirs)) => {
            all.retain(|c| c.argv != theirs.argv);
            all.insert(0, theirs);
            Ok(all)
        }
        (Ok(all), None) => Ok(all),
        (Err(_), Some(theirs)) => Ok(vec![theirs]),
        (Err(e), None) => Err(e),
    }
}

/// The gate's children: the private bus and the display daemon on it.
struct Children {
    bus: PrivateBus,
    daemon: display::RunningDisplay,
}

impl Children {
    async fn stop(&mut self) {
        child::stop(&mut self.daemon.child).await;
        child::stop(&mut self.bus.child).await;
    }
}

async fn session_bus(address: Option<&str>) -> Result<Connection, GateError> {
    let builder = match address {
        Some(address) => zbus::connection::Builder::address(address),
        None => zbus::connection::Builder::session(),
    };
    builder.build().await.map_err(GateError::SessionBus)
}

/// Starts the display side and the server, then takes the name. Returns the display side's
/// request channel.
#[allow(clippy::too_many_arguments)]
async fn serve(
    gatekeeper: Arc<dyn Gatekeeper>,
    own_voice: bool,
    session: &Connection,
    private: &Connection,
    children: &Children,
    (replacing, policy): (Option<&Holder>, TakeOver),
    services: relay::SessionServices,
    (stop, tracker, failures): (&CancellationToken, &TaskTracker, &mpsc::Sender<GateError>),
) -> Result<mpsc::Sender<Request>, GateError> {
    let daemon = &children.daemon.unique_name;
    let daemon_side = downstream::daemon(private, daemon).await?;
    let daemon_capabilities = downstream::capabilities(&daemon_side).await?;
    let capabilities = wire::advertised(&daemon_capabilities);
    let signals = downstream::subscribe(private, daemon).await?;
    // Apps are answered before their notification is drawn; a daemon that takes its
    // time (dunst redraws, a slow one takes 10 ms a call) only lengthens this queue, and
    // never the apps' wait, until it holds QUEUE.
    let (requests, inbox) = mpsc::channel(QUEUE);
    let display_side = Downstream::new(
        daemon_side,
        session.clone(),
        gatekeeper.clone(),
        wire::SiteForm::of(&daemon_capabilities),
    );
    let failed = failures.clone();
    let stopped = stop.clone();
    tracker.spawn(async move {
        if let Err(e) = display_side.run(inbox, signals, stopped).await {
            let _ = failed.try_send(e);
        }
    });

    // Serve before taking the name, so that no early call is lost.
    let calls = server::calls(session).await?;
    let server = server::Server {
        session: session.clone(),
        gatekeeper,
        downstream: requests.clone(),
        capabilities,
        ours: own_voice.then(Ours::default),
        daemon: relay::Forwarder::new(
            session.clone(),
            relay::Relay::new(private),
            tracker.clone(),
            stop.clone(),
        ),
    };
    let failed = failures.clone();
    let stopped = stop.clone();
    tracker.spawn(async move {
        if let Err(e) = server.run(calls, stopped).await {
            let _ = failed.try_send(e);
        }
    });

    // The daemon's other names (swaync's control centre) are Couper's on the session bus too,
    // and its session services live as long as the gate (relay.rs).
    let names = relay::DaemonNames::take(session, private, daemon).await?;
    tracker.spawn(names.follow(stop.clone()));
    tracker.spawn(services.serve_until(stop.clone()));

    match replacing {
        Some(holder) => take_over(session, holder).await?,
        None => take_name(session, policy).await?,
    }
    Ok(requests)
}

/// Takes the name, which nobody held when the gate started. If a daemon took it since
/// (an app's call found it free while Couper started its own, and the bus started one),
/// it is taken over as one found at the start would have been, when `policy` allows.
async fn take_name(session: &Connection, policy: TakeOver) -> Result<(), GateError> {
    let taken = session
        .request_name_with_flags(NOTIFICATIONS, RequestNameFlags::DO_NOT_QUEUE)
        .await;
    match taken {
        Ok(RequestNameReply::PrimaryOwner | RequestNameReply::AlreadyOwner) => Ok(()),
        Ok(_) | Err(zbus::Error::NameTaken) => match owner::holder(session).await {
            Ok(Some(holder)) if replaceable(&holder, policy) => take_over(session, &holder).await,
            Ok(Some(holder)) => Err(holder.taken()),
            _ => Err(GateError::NameTaken {
                owner: "another program".into(),
                pid: None,
            }),
        },
        Err(e) => Err(GateError::SessionBus(e)),
    }
}

/// Takes the name from `holder`: Couper queues for it (or replaces it, if the holder
/// allows that), the holder gets SIGTERM, and the bus hands the name straight to Couper
/// as the holder lets go, so that no call finds the name free and starts yet another
/// daemon by activation. What the old daemon still showed goes with it; nothing Couper
/// holds is touched.
async fn take_over(session: &Connection, holder: &Holder) -> Result<(), GateError> {
    let rule = zbus::MatchRule::builder()
        .msg_type(zbus::message::Type::Signal)
        .sender("org.freedesktop.DBus")
        .interface("org.freedesktop.DBus")
        .member("NameOwnerChanged")
        .arg(0, NOTIFICATIONS)
        .build()?;
    let mut changes = zbus::MessageStream::for_match_rule(rule, session, None).await?;
    let reply = session
        .request_name_with_flags(NOTIFICATIONS, RequestNameFlags::REPLACE_EXISTING)
        .await
        .map_err(GateError::SessionBus)?;
    let end_holder = || {
        if let Some(pid) = holder.pid.and_then(|p| libc::pid_t::try_from(p).ok()) {
            // SAFETY: plain kill(2) of the process the bus named as the holder.
            unsafe {
                libc::kill(pid, libc::SIGTERM);
            }
        }
    };
    tracing::info!(
        holder = %holder.program,
        pid = holder.pid,
        activated = holder.activated,
        "taking {NOTIFICATIONS} over"
    );
    end_holder();
    if matches!(
        reply,
        RequestNameReply::PrimaryOwner | RequestNameReply::AlreadyOwner
    ) {
        return Ok(());
    }
    let me = session.unique_name().map(|n| n.to_string());
    let acquired = async {
        use futures_util::StreamExt;
        while let Some(Ok(message)) = changes.next().await {
            if let Ok((_, _, new)) = message.body().deserialize::<(String, String, String)>() {
                if Some(&new) == me.as_ref() {
                    return true;
                }
            }
        }
        false
    };
    match tokio::time::timeout(TAKE_OVER_TIMEOUT, acquired).await {
        Ok(true) => Ok(()),
        _ => {
            let _ = session.release_name(NOTIFICATIONS).await;
            Err(GateError::TakeOverFailed {
                owner: holder.program.clone(),
                pid: holder.pid,
            })
        }
    }
}

/// Runs until the gate stops or fails, then releases the name and ends the children.
async fn supervise(
    mut children: Children,
    session: Connection,
    stop: CancellationToken,
    tracker: TaskTracker,
    mut failed: mpsc::Receiver<GateError>,
) -> Result<(), GateError> {
    let outcome = tokio::select! {
        () = stop.cancelled() => Ok(()),
        status = children.daemon.child.wait() => Err(GateError::DisplayExited {
            command: children.daemon.command.clone(),
            status: child::status_text(status),
        }),
        status = children.bus.child.wait() => Err(GateError::PrivateBus {
            reason: format!("it exited ({})", child::status_text(status)),
        }),
        Some(e) = failed.recv() => Err(e),
    };
    if let Err(e) = &outcome {
        tracing::error!("the gate stops: {e}");
    }
    finish(&stop, &tracker, &session, &mut children).await;
    outcome
}

/// Stops the tasks, gives the name back, and ends the children (display daemon first).
async fn finish(
    stop: &CancellationToken,
    tracker: &TaskTracker,
    session: &Connection,
    children: &mut Children,
) {
    stop.cancel();
    tracker.close();
    if tokio::time::timeout(STOP_GRACE, tracker.wait())
        .await
        .is_err()
    {
        tracing::warn!("the gate's tasks did not end in time");
    }
    if let Err(e) = session.release_name(NOTIFICATIONS).await {
        tracing::debug!("releasing {NOTIFICATIONS}: {e}");
    }
    children.stop().await;
}

/// Fails with [`GateError::NameTaken`] when another program owns
/// `org.freedesktop.Notifications` on `session` and `take_over` does not let Couper
/// replace it. [`start`] checks it too; this lets a caller check before it does what
/// cannot be undone (the service releasing what became due while Couper was away, which
/// a gate that cannot start would never show).
pub async fn ensure_name_free(session: &Connection, take_over: TakeOver) -> Result<(), GateError> {
    match owner::holder(session).await? {
        Some(holder) if !replaceable(&holder, take_over) => Err(holder.taken()),
        _ => Ok(()),
    }
}
