//! The `org.freedesktop.Notifications` server Couper puts on the session bus (spec 1.2).
//!
//! It only translates: a `Notify` becomes a [`Notification`] handed to
//! [`Gatekeeper::notify`], whose verdict is applied as it is; a `CloseNotification` goes to
//! [`Gatekeeper::close`] and on to the display. It decides nothing.
//!
//! Calls are read from a message stream and answered here, the spec's methods and `Peer`'s;
//! every other call on Couper's names (the daemon's own interfaces and objects, properties,
//! introspection) goes to the display daemon and its answer comes back (`relay.rs`), so
//! that the daemon's tools work as if Couper were not there. As with an object server, the
//! stream exists before the name is requested, so no early call is lost. Calls are answered
//! one at a time, in the order they came: an app's `Notify` and its `CloseNotification` stay
//! in order; a forwarded call is passed on in a task of its own and holds up nothing.
//!
//! Couper's own notifications (the digest, its warnings) come here too, from a connection
//! of Couper's own process (notify-rust's): the caller's pid tells them apart
//! ([`crate::gate::Ours`]),
//! and they go to the display at once, never to the gatekeeper.

use std::sync::Arc;

use futures_util::StreamExt;
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;
use zbus::message::{Flags, Header, Type};
use zbus::{Connection, MatchRule, Message, MessageStream};

use super::downstream::{Closer, Request, Show};
use super::relay::{self, Forwarder};
use super::wire::{self, NotifyArgs};
use super::{Admission, GateError, Gatekeeper, Verdict, NOTIFICATIONS, PATH};

/// What `GetServerInformation` answers.
const NAME: &str = "Couper";
const VENDOR: &str = "Couper";
const SPEC_VERSION: &str = "1.2";

const PEER: &str = "org.freedesktop.DBus.Peer";
/// The spec's methods, which Couper answers itself and never passes to the daemon.
const SPEC_METHODS: [&str; 4] = [
    "Notify",
    "CloseNotification",
    "GetCapabilities",
    "GetServerInformation",
];

/// The server's state: where decisions and displays are asked for.
pub(crate) struct Server {
    pub(crate) session: Connection,
    pub(crate) gatekeeper: Arc<dyn Gatekeeper>,
    pub(crate) downstream: mpsc::Sender<Request>,
    /// What `GetCapabilities` answers: the display daemon's capabilities and what Couper
    /// handles itself ([`wire::advertised`]).
    pub(crate) capabilities: Vec<String>,
    /// Where every other call goes: the display daemon, on the private bus.
    pub(crate) daemon: Forwarder,
    /// Which callers are Couper's own process, when it speaks through this gate.
    pub(crate) ours: Option<crate::gate::Ours>,
}

/// The stream of method calls to Couper on the session bus. Create it before requesting
/// the name.
pub(crate) async fn calls(session: &Connection) -> Result<MessageStream, GateError> {
    let rule = MatchRule::builder().msg_type(Type::MethodCall).build()?;
    Ok(MessageStream::for_match_rule(rule, session, None).await?)
}

impl Server {
    /// Answers calls until `stop`, or until the session bus closes.
    pub(crate) async fn run(
        self,
        mut calls: MessageStream,
        stop: CancellationToken,
    ) -> Result<(), GateError> {
        loop {
            let call = tokio::select! {
                biased;
                () = stop.cancelled() => return Ok(()),
                call = calls.next() => call,
            };
            match call {
                Some(Ok(call)) => self.answer(&call).await,
                Some(Err(e)) => tracing::warn!("unreadable call on the session bus: {e}"),
                None => {
                    return Err(GateError::SessionBus(zbus::Error::InputOutput(
                        std::io::Error::from(std::io::ErrorKind::ConnectionAborted).into(),
                    )))
                }
            }
        }
    }

    async fn answer(&self, call: &Message) {
        let header = call.header();
        let path = header.path().map(|p| p.as_str()).unwrap_or_default();
        let interface = header.interface().map(|i| i.as_str());
        let member = header.member().map(|m| m.as_str()).unwrap_or_default();
        let ours = path == PATH;
        let spec =
            matches!(interface, Some(NOTIFICATIONS) | None) && SPEC_METHODS.contains(&member);
        let answered = match (interface, member) {
            // The daemon hears the spec's methods from Couper only, whatever the path.
            _ if spec && !ours => {
                self.fail(&header, "UnknownObject", &format!("no object at {path}"))
                    .await
            }
            (Some(NOTIFICATIONS) | None, "Notify") if ours => self.notify(call, &header).await,
            (Some(NOTIFICATIONS) | None, "CloseNotification") if ours => {
                self.close(call, &header).await
            }
            (Some(NOTIFICATIONS) | None, "GetCapabilities") if ours => {
                self.reply(&header, &self.capabilities).await
            }
            (Some(NOTIFICATIONS) | None, "GetServerInformation") if ours => {
                let version = env!("CARGO_PKG_VERSION");
                self.reply(&header, &(NAME, VENDOR, version, SPEC_VERSION))
                    .await
            }
            (Some(PEER) | None, "Ping") => self.reply(&header, &()).await,
            (Some(PEER) | None, "GetMachineId") => match machine_id() {
                Some(id) => self.reply(&header, &id).await,
                None => self.fail(&header, "Failed", "no machine id").await,
            },
            // The daemon's own: dunstctl, makoctl, swaync-client, properties, introspection
            // (the daemon's XML names the spec's interface, which Couper serves).
            _ => {
                let destination = relay::daemon_destination(&header);
                self.daemon.forward(call, destination).await;
                Ok(())
            }
        };
        if let Err(e) = answered {
            tracing::warn!(member, "could not answer a call: {e}");
        }
    }

    async fn notify(&self, call: &Message, header: &Header<'_>) -> zbus::Result<()> {
        let args: NotifyArgs = match call.body().deserialize() {
            Ok(args) => args,
            Err(e) => return self.fail(header, "InvalidArgs", &e.to_string()).await,
        };
        let (replaces_id, notification, extras) = wire::from_notify(args);
        if let Some(own) = self.own_caller(header).await {
            return self
                .notify_own(header, own, replaces_id, notification, extras)
                .await;
        }
        tracing::debug!(
            app = %notification.app,
            summary = %notification.summary,
            replaces_id,
            "Notify"
        );
        let caller = header.sender().map(|s| s.as_str());
        let asked = decide_here(|| self.gatekeeper.notify(caller, replaces_id, &notification));
        let Some(Admission { id, verdict }) = asked else {
            tracing::error!("the gatekeeper failed on a notification");
            return self.fail(header, "Failed", "Couper could not decide").await;
        };
        self.reply(header, &id).await?;
        let crisis = match verdict {
            Verdict::Drop => return Ok(()),
            Verdict::Hold => None,
            Verdict::Deliver => Some(false),
            Verdict::DeliverCrisis => Some(true),
        };
        let request = Request::Admitted {
            id,
            app: header.sender().map(|s| s.to_owned().into()),
            show: crisis.map(|crisis| Show {
                notification,
                extras,
                crisis,
            }),
        };
        if self.downstream.send(request).await.is_err() {
            tracing::error!(id, "the display side has stopped");
        }
        Ok(())
    }

    /// The caller, when it is Couper's own process speaking through this gate.
    async fn own_caller(&self, header: &Header<'_>) -> Option<zbus::names::OwnedUniqueName> {
        let ours = self.ours.as_ref()?;
        let caller = header.sender()?;
        ours.contains(&self.session, caller.as_str())
            .await
            .then(|| caller.to_owned().into())
    }

    /// Couper's own notification: to the display at once, answered with the gate's id.
    async fn notify_own(
        &self,
        header: &Header<'_>,
        app: zbus::names::OwnedUniqueName,
        replaces: u32,
        notification: crate::notification::Notification,
        extras: wire::Extras,
    ) -> zbus::Result<()> {
        tracing::debug!(summary = %notification.summary, "Couper's own Notify");
        let (done, answer) = tokio::sync::oneshot::channel();
        let request = Request::Voice {
            app,
            replaces,
            show: Show {
                notification,
                extras,
                // Its own urgency stands.
                crisis: false,
            },
            done,
        };
        if self.downstream.send(request).await.is_err() {
            return self
                .fail(header, "Failed", "the display side has stopped")
                .await;
        }
        match answer.await {
            Ok(Ok(id)) => self.reply(header, &id).await,
            Ok(Err(e)) => self.fail(header, "Failed", &e.to_string()).await,
            Err(_) => {
                self.fail(header, "Failed", "the display side has stopped")
                    .await
            }
        }
    }

    async fn close(&self, call: &Message, header: &Header<'_>) -> zbus::Result<()> {
        let id: u32 = match call.body().deserialize() {
            Ok(id) => id,
            Err(e) => return self.fail(header, "InvalidArgs", &e.to_string()).await,
        };
        let caller = header.sender().map(|s| s.as_str());
        let closed = if self.own_caller(header).await.is_some() {
            // Couper closing one of its own: never the gatekeeper's to decide.
            Some(id)
        } else {
            decide_here(|| self.gatekeeper.close(caller, id)).unwrap_or_else(|| {
                tracing::error!(id, "the gatekeeper failed on a close");
                Some(id)
            })
        };
        let Some(id) = closed else {
            // Another app's held notification: it stays.
            return self.reply(header, &()).await;
        };
        let request = Request::Close {
            id,
            by: Closer::App,
            done: None,
        };
        if self.downstream.send(request).await.is_err() {
            tracing::error!(id, "the display side has stopped");
        }
        self.reply(header, &()).await
    }

    async fn reply<B>(&self, header: &Header<'_>, body: &B) -> zbus::Result<()>
    where
        B: serde::Serialize + zbus::DynamicType,
    {
        if wants_no_reply(header) {
            return Ok(());
        }
        self.session.reply(header, body).await
    }

    async fn fail(&self, header: &Header<'_>, error: &str, text: &str) -> zbus::Result<()> {
        if wants_no_reply(header) {
            return Ok(());
        }
        let name = format!("org.freedesktop.DBus.Error.{error}");
        self.session.reply_error(header, name.as_str(), &text).await
    }
}

/// Asks the gatekeeper on this task, as the call's own step: a decision takes
/// microseconds and its store write tens of them, and calls are answered one at a time
/// anyway, so a hop to a blocking thread and back only added two thread wake-ups to
/// every call (issue 15). `None` if it panicked: the gate goes on, the call is answered
/// as failed.
fn decide_here<T>(ask: impl FnOnce() -> T) -> Option<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(ask)).ok()
}

fn wants_no_reply(header: &Header<'_>) -> bool {
    header.primary().flags().contains(Flags::NO_REPLY_EXPECTED)
}

fn machine_id() -> Option<String> {
    ["/etc/machine-id", "/var/lib/dbus/machine-id"]
        .iter()
        .find_map(|path| std::fs::read_to_string(path).ok())
        .map(|id| id.trim().to_string())
        .filter(|id| !id.is_empty())
}
