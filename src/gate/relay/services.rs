//! The session services the display daemon uses, served to it on Couper's private bus.
//!
//! The daemon's session bus is Couper's private one, so what it would find on the user's
//! session bus (its settings in xfconf, the accessibility bus, GSettings' writer) Couper
//! offers there: it owns each of those names on the private bus, forwards the calls to the
//! session, and emits the services' signals again on the private bus. It is set up before
//! the daemon starts, which reads its settings as it starts.

use std::collections::HashMap;
use std::time::Duration;

use futures_util::stream::{self, SelectAll};
use futures_util::StreamExt;
use tokio_util::sync::{CancellationToken, DropGuard};
use tokio_util::task::TaskTracker;
use zbus::fdo::{RequestNameFlags, RequestNameReply};
use zbus::message::Type;
use zbus::names::{BusName, OwnedUniqueName, OwnedWellKnownName, WellKnownName};
use zbus::{Connection, MatchRule, Message, MessageStream};

use super::{emit_again, owner_of, Forwarder, Relay, BUS};
use crate::gate::GateError;

/// The session services the display daemon reaches through Couper, its own session bus
/// being Couper's private one. Couper owns each of them on the private bus, if the session
/// has an owner for it or can start one, and forwards the calls to the session, and the
/// service's signals back.
///
/// - `org.xfce.Xfconf`: xfce4-notifyd's settings (channel `xfce4-notifyd`: do not disturb,
///   theme, position…), read when it starts and followed through `PropertyChanged`.
/// - `org.a11y.Bus`: where GTK and Qt ask for the accessibility bus, and whether it is on
///   (`org.a11y.Status`). The daemon also gets the address as `AT_SPI_BUS_ADDRESS`.
/// - `ca.desrt.dconf`: GSettings' writer. A GTK daemon writes its settings through it
///   (swaync keeps its do-not-disturb there) and hears changes by its `Notify` signal (the
///   theme and fonts of GTK on Wayland); dconf reads its file without the bus.
///
/// Left out: `org.freedesktop.portal.Desktop`. None of the five daemons uses a portal (GTK 3
/// does only for file choosers, colour pickers and screenshots, or in a sandbox), and a
/// portal answers on a request object named after the caller's bus name, which a relay does
/// not keep.
const SESSION_SERVICES: [&str; 3] = ["org.xfce.Xfconf", "org.a11y.Bus", "ca.desrt.dconf"];

/// The accessibility bus launcher's name (at-spi2-core).
const ACCESSIBILITY: &str = "org.a11y.Bus";
/// How long the session's accessibility bus launcher has to give its address.
const ACCESSIBILITY_TIMEOUT: Duration = Duration::from_secs(3);

/// How long the session services' relay has to end when the gate stops.
const STOP_GRACE: Duration = Duration::from_secs(1);

/// The session services Couper serves on the private bus for the display daemon (see
/// [`SESSION_SERVICES`]), from before the daemon starts until the gate stops. Dropping it
/// stops the relay.
///
/// Each service has a connection of its own to the private bus, which owns its name there:
/// a GDBus client calls the unique name that owns the service, not the service's name, and
/// hears signals only from that owner, so each call that connection gets is the service's,
/// and the service's signals are emitted from it.
pub(crate) struct SessionServices {
    accessibility_bus: Option<String>,
    tasks: TaskTracker,
    stop: CancellationToken,
    _stop_on_drop: DropGuard,
}

impl SessionServices {
    /// Takes on the private bus (at `private_bus`) the session services the session has (an
    /// owner, or an activation file), and starts relaying their calls and signals; asks the
    /// session for the accessibility bus address. Call it before the daemon starts, so that
    /// it finds them at once. A service that cannot be offered is left out, with a note in
    /// the log: the gate runs without it.
    pub(crate) async fn offer(session: &Connection, private_bus: &str) -> SessionServices {
        let stop = CancellationToken::new();
        let tasks = TaskTracker::new();
        let present = present_on(session, &SESSION_SERVICES).await;
        let mut offered = Vec::new();
        if !present.is_empty() {
            let to_session = Relay::new(session);
            for name in &present {
                match offer_one(name, private_bus, &to_session, &tasks, &stop).await {
                    Ok(conn) => offered.push((name.clone(), conn)),
                    Err(e) => tracing::warn!(
                        service = %name,
                        "the display daemon will not reach this session service: {e}"
                    ),
                }
            }
        }
        if !offered.is_empty() {
            let names: Vec<&str> = offered.iter().map(|(name, _)| name.as_str()).collect();
            tracing::info!(services = ?names, "the display daemon reaches these session services through Couper");
            match ServiceSignals::subscribe(session, offered).await {
                Ok(signals) => {
                    tasks.spawn(signals.relay(stop.clone()));
                }
                Err(e) => tracing::warn!(
                    "the session services' signals will not reach the display daemon: {e}"
                ),
            }
        }
        let accessibility_bus = if present.iter().any(|name| name == ACCESSIBILITY) {
            accessibility_bus(session).await
        } else {
            None
        };
        SessionServices {
            accessibility_bus,
            tasks,
            _stop_on_drop: stop.clone().drop_guard(),
            stop,
        }
    }

    /// The display daemon's environment: `AT_SPI_BUS_ADDRESS` when the session has an
    /// accessibility bus, then `extra` (which wins).
    pub(crate) fn daemon_env(&self, extra: &[(String, String)]) -> Vec<(String, String)> {
        let accessibility = self
            .accessibility_bus
            .iter()
            .map(|address| ("AT_SPI_BUS_ADDRESS".to_string(), address.clone()));
        accessibility.chain(extra.iter().cloned()).collect()
    }

    /// Relays until `stop`, then ends its tasks.
    pub(crate) async fn serve_until(self, stop: CancellationToken) {
        stop.cancelled().await;
        self.stop.cancel();
        self.tasks.close();
        let _ = tokio::time::timeout(STOP_GRACE, self.tasks.wait()).await;
    }
}

/// Which of `names` the session bus has: an owner now, or an activation file.
async fn present_on(session: &Connection, names: &[&str]) -> Vec<String> {
    let mut known = Vec::new();
    match crate::gate::proxies::bus(session).await {
        Ok(bus) => {
            for (list, listed) in [
                ("ListNames", bus.list_names().await),
                ("ListActivatableNames", bus.list_activatable_names().await),
            ] {
                match listed {
                    Ok(listed) => known.extend(listed),
                    Err(e) => tracing::debug!("{list} on the session bus: {e}"),
                }
            }
        }
        Err(e) => tracing::debug!("the session bus's own interface: {e}"),
    }
    names
        .iter()
        .filter(|name| known.iter().any(|k| k.as_str() == **name))
        .map(|name| name.to_string())
        .collect()
}

/// Connects to the private bus for service `name`, takes the name there and forwards every
/// call that comes to that connection to the service on the session bus.
async fn offer_one(
    name: &str,
    private_bus: &str,
    to_session: &Relay,
    tasks: &TaskTracker,
    stop: &CancellationToken,
) -> Result<Connection, GateError> {
    let conn = zbus::connection::Builder::address(private_bus)
        .build()
        .await?;
    // Listening before the name is taken, so that no call is lost.
    let rule = MatchRule::builder().msg_type(Type::MethodCall).build()?;
    let calls = MessageStream::for_match_rule(rule, &conn, None).await?;
    let service = OwnedWellKnownName::try_from(name)?;
    match conn
        .request_name_with_flags(service.as_ref(), RequestNameFlags::DO_NOT_QUEUE)
        .await?
    {
        RequestNameReply::PrimaryOwner | RequestNameReply::AlreadyOwner => {}
        reply => {
            return Err(GateError::PrivateBus {
                reason: format!("{name} is taken there ({reply:?})"),
            })
        }
    }
    let forwarder = Forwarder::new(
        conn.clone(),
        to_session.clone(),
        tasks.clone(),
        stop.clone(),
    );
    let destination = BusName::from(WellKnownName::from(service));
    tasks.spawn(answer_calls(calls, forwarder, destination, stop.clone()));
    Ok(conn)
}

/// Forwards every call that comes on one service's connection to the service.
async fn answer_calls(
    mut calls: MessageStream,
    forwarder: Forwarder,
    service: BusName<'static>,
    stop: CancellationToken,
) {
    loop {
        let call = tokio::select! {
            biased;
            () = stop.cancelled() => return,
            call = calls.next() => match call {
                Some(Ok(call)) => call,
                Some(Err(_)) => continue,
                None => return,
            },
        };
        forwarder.forward(&call, service.clone()).await;
    }
}

/// The offered services' signals on the session bus, who owns each service there now, and
/// the private connection each one's signals are emitted again from.
struct ServiceSignals {
    offered: Vec<(String, Connection)>,
    owners: HashMap<String, OwnedUniqueName>,
    /// One stream per service (signals from it, by name), each tagged with its index.
    signals: SelectAll<stream::BoxStream<'static, (usize, zbus::Result<Message>)>>,
    /// `NameOwnerChanged` for each service.
    changes: SelectAll<MessageStream>,
}

impl ServiceSignals {
    async fn subscribe(
        session: &Connection,
        offered: Vec<(String, Connection)>,
    ) -> Result<ServiceSignals, GateError> {
        let mut signals = SelectAll::new();
        let mut changes = SelectAll::new();
        let mut owners = HashMap::new();
        for (index, (name, _)) in offered.iter().enumerate() {
            let rule = MatchRule::builder()
                .msg_type(Type::Signal)
                .sender(name.as_str())
                .build()?;
            let stream = MessageStream::for_match_rule(rule, session, None).await?;
            signals.push(stream.map(move |m| (index, m)).boxed());
            let rule = MatchRule::builder()
                .msg_type(Type::Signal)
                .sender(BUS)
                .interface(BUS)
                .member("NameOwnerChanged")
                .arg(0, name.as_str())
                .build()?;
            changes.push(MessageStream::for_match_rule(rule, session, None).await?);
            if let Some(owner) = owner_of(session, name).await {
                owners.insert(name.clone(), owner);
            }
        }
        Ok(ServiceSignals {
            offered,
            owners,
            signals,
            changes,
        })
    }

    /// Emits the services' broadcast signals again on the private bus, until `stop`.
    async fn relay(mut self, stop: CancellationToken) {
        loop {
            tokio::select! {
                biased;
                () = stop.cancelled() => return,
                change = self.changes.next() => match change {
                    Some(Ok(change)) => self.owner_changed(&change),
                    Some(Err(_)) => {}
                    None => return,
                },
                signal = self.signals.next() => match signal {
                    Some((index, Ok(signal))) if self.is_from(index, &signal) => {
                        if let Some((_, private)) = self.offered.get(index) {
                            emit_again(&signal, private).await;
                        }
                    }
                    Some(_) => {}
                    None => return,
                },
            }
        }
    }

    fn owner_changed(&mut self, change: &Message) {
        let Ok((name, _, new)) = change.body().deserialize::<(String, String, String)>() else {
            return;
        };
        match OwnedUniqueName::try_from(new) {
            Ok(owner) => self.owners.insert(name, owner),
            Err(_) => self.owners.remove(&name),
        };
    }

    /// Whether `signal`, read from the stream of service `index`, is that service's. A
    /// stream subscribed by a well-known name gets every signal the connection receives
    /// (zbus cannot tell a name's owner), so the sender is checked here; a process that owns
    /// two of the services has its signals passed on once, by the first.
    fn is_from(&self, index: usize, signal: &Message) -> bool {
        let header = signal.header();
        let Some(sender) = header.sender() else {
            return false;
        };
        let first = self
            .offered
            .iter()
            .position(|(name, _)| self.owners.get(name).is_some_and(|o| o == sender));
        first == Some(index)
    }
}

/// The session's accessibility bus address, from its launcher, if it answers in time.
async fn accessibility_bus(session: &Connection) -> Option<String> {
    let asked = async {
        crate::gate::proxies::accessibility_bus(session)
            .await?
            .get_address()
            .await
    };
    match tokio::time::timeout(ACCESSIBILITY_TIMEOUT, asked).await {
        Ok(Ok(address)) => Some(address).filter(|a| !a.is_empty()),
        Ok(Err(e)) => {
            tracing::info!("the session's accessibility bus did not give its address: {e}");
            None
        }
        Err(_) => {
            tracing::info!(
                "the session's accessibility bus did not give its address within {} s",
                ACCESSIBILITY_TIMEOUT.as_secs()
            );
            None
        }
    }
}
