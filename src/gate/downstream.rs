//! The display side of the gate: Couper's connection to the display daemon on the private
//! bus.
//!
//! It forwards what the gate lets through, keeps the map between Couper's ids (the ones
//! apps know) and the daemon's, and relays the daemon's `ActionInvoked`,
//! `ActivationToken` and `NotificationClosed` to the app that sent that notification, with
//! Couper's id, as a signal addressed to that app alone (as GNOME Shell does). Actions on
//! Couper's own notifications (the digest) go to [`Gatekeeper::own_action`].
//!
//! The daemon's other signals (dunst's `PropertiesChanged` when it pauses, swaync's) are
//! emitted again on the session bus, as broadcasts from Couper (`relay.rs`).
//!
//! One task owns all of it and takes requests in order from one channel, so a `Notify` and
//! the `CloseNotification` that follows it reach the daemon in that order.

use std::collections::HashMap;
use std::sync::Arc;

use futures_util::StreamExt;
use tokio::sync::{mpsc, oneshot};
use tokio_util::sync::CancellationToken;
use tokio_util::task::AbortOnDropHandle;
use zbus::message::Type;
use zbus::names::OwnedUniqueName;
use zbus::{Connection, MatchRule, Message, MessageStream};

use super::proxies::{self, NotificationsProxy};
use super::relay;
use super::wire::{self, Extras};
use super::{GateError, Gatekeeper, NOTIFICATIONS, PATH};
use crate::notification::Notification;

/// What the rest of the gate asks of the display side.
pub(crate) enum Request {
    /// An app's notification was admitted with id `id` (not dropped): remember its app,
    /// and show it now if `show` says so.
    Admitted {
        id: u32,
        app: Option<OwnedUniqueName>,
        show: Option<Show>,
    },
    /// The service shows a notification now (a held one, released).
    Show {
        id: u32,
        notification: Notification,
        crisis: bool,
        done: oneshot::Sender<Result<(), GateError>>,
    },
    /// Couper's own process posted a notification as an app (`app`, a connection of
    /// this process): shown at once, in place of `replaces` if that one is its own.
    Voice {
        app: OwnedUniqueName,
        replaces: u32,
        show: Show,
        done: oneshot::Sender<Result<u32, GateError>>,
    },
    /// Couper posts a notification of its own.
    PostOwn {
        notification: Notification,
        done: oneshot::Sender<Result<u32, GateError>>,
    },
    /// Close a notification.
    Close {
        id: u32,
        by: Closer,
        done: Option<oneshot::Sender<Result<(), GateError>>>,
    },
}

/// Who closes a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Closer {
    /// An app, through `CloseNotification`: it may not close Couper's own notifications.
    App,
    /// The service.
    Service,
}

/// A notification to show now.
pub(crate) struct Show {
    pub(crate) notification: Notification,
    pub(crate) extras: Extras,
    pub(crate) crisis: bool,
}

/// Whose a notification is: where its signals go.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Owner {
    App(OwnedUniqueName),
    Couper,
}

/// `NotificationClosed` reason 3: closed by a call to `CloseNotification`.
const CLOSED_BY_CALL: u32 = 3;

/// The two-way map between Couper's ids and the daemon's, for what is on screen.
#[derive(Debug, Default)]
struct Shown {
    by_couper: HashMap<u32, u32>,
    by_daemon: HashMap<u32, u32>,
}

impl Shown {
    fn daemon_id(&self, id: u32) -> Option<u32> {
        self.by_couper.get(&id).copied()
    }

    fn couper_id(&self, daemon_id: u32) -> Option<u32> {
        self.by_daemon.get(&daemon_id).copied()
    }

    fn insert(&mut self, id: u32, daemon_id: u32) {
        if let Some(old) = self.by_couper.insert(id, daemon_id) {
            if old != daemon_id {
                self.by_daemon.remove(&old);
            }
        }
        if let Some(old) = self.by_daemon.insert(daemon_id, id) {
            if old != id {
                self.by_couper.remove(&old);
            }
        }
    }

    fn remove_daemon(&mut self, daemon_id: u32) -> Option<u32> {
        let id = self.by_daemon.remove(&daemon_id)?;
        self.by_couper.remove(&id);
        Some(id)
    }
}

/// The display side's state, owned by its task.
pub(crate) struct Downstream {
    /// The display daemon, by its unique name on the private bus.
    daemon: NotificationsProxy<'static>,
    session: Connection,
    gatekeeper: Arc<dyn Gatekeeper>,
    shown: Shown,
    owners: HashMap<u32, Owner>,
    own_ids: crate::ids::Ids,
    /// How the daemon is shown the site a browser names.
    site_form: wire::SiteForm,
}

/// Subscribes to the daemon's signals, all of them (before anything is forwarded, so none is
/// missed).
pub(crate) async fn subscribe(
    private: &Connection,
    daemon: &OwnedUniqueName,
) -> Result<MessageStream, GateError> {
    let rule = MatchRule::builder()
        .msg_type(Type::Signal)
        .sender(daemon.as_ref())
        .build()?;
    Ok(MessageStream::for_match_rule(rule, private, None).await?)
}

/// The display daemon, by its unique name on `private`'s bus.
pub(crate) async fn daemon(
    private: &Connection,
    daemon: &OwnedUniqueName,
) -> Result<NotificationsProxy<'static>, GateError> {
    Ok(proxies::notifications(private, daemon.clone()).await?)
}

/// The daemon's capabilities (Couper reports them as its own, with
/// [`wire::advertised`]'s).
pub(crate) async fn capabilities(
    daemon: &NotificationsProxy<'_>,
) -> Result<Vec<String>, GateError> {
    Ok(daemon.get_capabilities().await?)
}

/// The capabilities of `daemon` on `private`'s bus (see [`capabilities`]).
pub(crate) async fn capabilities_of(
    private: &Connection,
    daemon: &OwnedUniqueName,
) -> Result<Vec<String>, GateError> {
    capabilities(&self::daemon(private, daemon).await?).await
}

impl Downstream {
    pub(crate) fn new(
        daemon: NotificationsProxy<'static>,
        session: Connection,
        gatekeeper: Arc<dyn Gatekeeper>,
        site_form: wire::SiteForm,
    ) -> Downstream {
        Downstream {
            daemon,
            session,
            gatekeeper,
            shown: Shown::default(),
            owners: HashMap::new(),
            own_ids: crate::ids::Ids::new(crate::ids::Issuer::Gate),
            site_form,
        }
    }

    /// Applies requests and relays signals until `stop`, or until the private bus closes.
    pub(crate) async fn run(
        mut self,
        mut requests: mpsc::Receiver<Request>,
        signals: MessageStream,
        stop: CancellationToken,
    ) -> Result<(), GateError> {
        // The signal stream is drained by a task of its own: a stream left unread while this
        // one waits for the daemon's reply would stall the connection's reader, and that
        // reply with it.
        let (signal_tx, mut signal_rx) = mpsc::unbounded_channel();
        let _pump = AbortOnDropHandle::new(tokio::spawn(async move {
            let mut signals = signals;
            while let Some(message) = signals.next().await {
                if signal_tx.send(message).is_err() {
                    break;
                }
            }
        }));
        loop {
            tokio::select! {
                biased;
                () = stop.cancelled() => return Ok(()),
                request = requests.recv() => match request {
                    Some(request) => self.apply(request).await,
                    None => return Ok(()),
                },
                signal = signal_rx.recv() => match signal {
                    Some(Ok(message)) => self.relay(&message).await,
                    Some(Err(e)) => tracing::warn!("unreadable signal from the display daemon: {e}"),
                    None => {
                        return Err(GateError::PrivateBus {
                            reason: "Couper's connection to it closed".into(),
                        })
                    }
                },
            }
        }
    }

    async fn apply(&mut self, request: Request) {
        match request {
            Request::Admitted { id, app, show } => {
                match app {
                    Some(app) => self.owners.insert(id, Owner::App(app)),
                    None => self.owners.remove(&id),
                };
                if let Some(show) = show {
                    if let Err(e) = self
                        .forward(id, &show.notification, show.crisis, show.extras)
                        .await
                    {
                        tracing::warn!(id, "the display daemon did not take a notification: {e}");
                    }
                }
            }
            Request::Show {
                id,
                notification,
                crisis,
                done,
            } => {
                let outcome = self.forward(id, &notification, crisis, Vec::new()).await;
                let _ = done.send(outcome);
            }
            Request::Voice {
                app,
                replaces,
                show,
                done,
            } => {
                let owner = Owner::App(app);
                let id = if replaces != 0 && self.owners.get(&replaces) == Some(&owner) {
                    replaces
                } else {
                    self.own_id()
                };
                self.owners.insert(id, owner);
                let outcome = self
                    .forward(id, &show.notification, show.crisis, show.extras)
                    .await;
                if outcome.is_err() {
                    self.owners.remove(&id);
                }
                let _ = done.send(outcome.map(|()| id));
            }
            Request::PostOwn { notification, done } => {
                let id = self.own_id();
                self.owners.insert(id, Owner::Couper);
                let outcome = self.forward(id, &notification, false, Vec::new()).await;
                if outcome.is_err() {
                    self.owners.remove(&id);
                }
                let _ = done.send(outcome.map(|()| id));
            }
            Request::Close { id, by, done } => {
                let outcome = self.close(id, by).await;
                if let Err(e) = &outcome {
                    tracing::warn!(id, "closing a notification failed: {e}");
                }
                if let Some(done) = done {
                    let _ = done.send(outcome);
                }
            }
        }
    }

    /// Sends the notification to the daemon, in place of the one shown under `id` if any,
    /// in the daemon's form ([`wire::in_daemon_form`]).
    async fn forward(
        &mut self,
        id: u32,
        n: &Notification,
        crisis: bool,
        extras: Extras,
    ) -> Result<(), GateError> {
        let replaces = self.shown.daemon_id(id).unwrap_or(0);
        let n = wire::in_daemon_form(n, self.site_form);
        // Awaited: the next request is applied once the daemon has answered this one, which
        // keeps each app's order on the screen.
        let daemon_id = wire::notify_to(&self.daemon, &n, replaces, crisis, &extras).await?;
        self.shown.insert(id, daemon_id);
        tracing::debug!(id, daemon_id, crisis, "shown");
        Ok(())
    }

    async fn close(&mut self, id: u32, by: Closer) -> Result<(), GateError> {
        if by == Closer::App && self.owners.get(&id) == Some(&Owner::Couper) {
            return Ok(());
        }
        if let Some(daemon_id) = self.shown.daemon_id(id) {
            // The daemon answers with NotificationClosed, relayed to the app like any other.
            self.daemon.close_notification(daemon_id).await?;
        } else if let Some(Owner::App(app)) = self.owners.remove(&id) {
            // Held, never shown: the app still hears that it is gone.
            self.tell(&app, "NotificationClosed", &(id, CLOSED_BY_CALL))
                .await;
        }
        Ok(())
    }

    /// Relays one signal of the daemon: the spec's to the app concerned, the others to all.
    async fn relay(&mut self, message: &Message) {
        let header = message.header();
        let Some(member) = header.member() else {
            return;
        };
        let spec = header
            .interface()
            .is_some_and(|i| i.as_str() == NOTIFICATIONS)
            && header.path().is_some_and(|p| p.as_str() == PATH);
        if !spec {
            return relay::emit_again(message, &self.session).await;
        }
        match member.as_str() {
            "ActionInvoked" => {
                let Ok((daemon_id, key)) = message.body().deserialize::<(u32, String)>() else {
                    return;
                };
                let Some(id) = self.shown.couper_id(daemon_id) else {
                    return;
                };
                match self.owners.get(&id).cloned() {
                    Some(Owner::App(app)) => self.tell(&app, "ActionInvoked", &(id, key)).await,
                    Some(Owner::Couper) => {
                        let gatekeeper = self.gatekeeper.clone();
                        let asked = tokio::task::spawn_blocking(move || {
                            gatekeeper.own_action(id, &key);
                        });
                        if let Err(e) = asked.await {
                            tracing::error!(id, "the gatekeeper failed on an action: {e}");
                        }
                    }
                    None => {}
                }
            }
            "ActivationToken" => {
                let Ok((daemon_id, token)) = message.body().deserialize::<(u32, String)>() else {
                    return;
                };
                let Some(id) = self.shown.couper_id(daemon_id) else {
                    return;
                };
                if let Some(Owner::App(app)) = self.owners.get(&id).cloned() {
                    self.tell(&app, "ActivationToken", &(id, token)).await;
                }
            }
            "NotificationClosed" => {
                let Ok((daemon_id, reason)) = message.body().deserialize::<(u32, u32)>() else {
                    return;
                };
                let Some(id) = self.shown.remove_daemon(daemon_id) else {
                    return;
                };
                if let Some(Owner::App(app)) = self.owners.remove(&id) {
                    self.tell(&app, "NotificationClosed", &(id, reason)).await;
                }
            }
            // The daemon's own, on the spec's interface (swaync's OnDndToggle).
            _ => relay::emit_again(message, &self.session).await,
        }
    }

    /// Emits a signal of ours to `app` alone. An app that has gone simply does not get it.
    async fn tell<B>(&self, app: &OwnedUniqueName, signal: &str, body: &B)
    where
        B: serde::Serialize + zbus::DynamicType,
    {
        let sent = self
            .session
            .emit_signal(Some(app.as_ref()), PATH, NOTIFICATIONS, signal, body)
            .await;
        if let Err(e) = sent {
            tracing::debug!(%app, signal, "could not relay a signal: {e}");
        }
    }

    /// A fresh id for Couper's own notifications, from the gate's own range
    /// ([`Issuer::Gate`](crate::ids::Issuer::Gate)), which the service's never meet.
    fn own_id(&mut self) -> u32 {
        loop {
            let id = self.own_ids.take();
            if !self.owners.contains_key(&id) && self.shown.daemon_id(id).is_none() {
                return id;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replaced_daemon_id_no_longer_maps_back() {
        let mut shown = Shown::default();
        shown.insert(1000, 1);
        shown.insert(1000, 2);
        assert_eq!(shown.daemon_id(1000), Some(2));
        assert_eq!(shown.couper_id(1), None);
        assert_eq!(shown.remove_daemon(2), Some(1000));
        assert_eq!(shown.daemon_id(1000), None);
    }
}
