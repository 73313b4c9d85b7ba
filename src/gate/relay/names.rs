//! The display daemon's own names, besides the spec's, taken for it on the session bus.

use futures_util::StreamExt;
use tokio_util::sync::CancellationToken;
use zbus::fdo::{RequestNameFlags, RequestNameReply};
use zbus::message::Type;
use zbus::names::{OwnedUniqueName, OwnedWellKnownName};
use zbus::{Connection, MatchRule, MessageStream};

use super::{owner_of, BUS};
use crate::gate::{GateError, NOTIFICATIONS};

/// The names the display daemon owns on the private bus besides the spec's (swaync's
/// `org.erikreider.swaync.cc`), which Couper takes on the session bus for it, so that calls
/// to them reach Couper, which forwards them (see `server.rs`). A name someone else owns on
/// the session is left to them. They are given back when the gate stops.
pub(crate) struct DaemonNames {
    session: Connection,
    daemon: OwnedUniqueName,
    changes: MessageStream,
    taken: Vec<OwnedWellKnownName>,
}

impl DaemonNames {
    /// Takes on the session bus the names `daemon` owns now on `private`'s bus, and starts
    /// following its names.
    pub(crate) async fn take(
        session: &Connection,
        private: &Connection,
        daemon: &OwnedUniqueName,
    ) -> Result<DaemonNames, GateError> {
        let rule = MatchRule::builder()
            .msg_type(Type::Signal)
            .sender(BUS)
            .interface(BUS)
            .member("NameOwnerChanged")
            .build()?;
        let changes = MessageStream::for_match_rule(rule, private, None).await?;
        let mut names = DaemonNames {
            session: session.clone(),
            daemon: daemon.clone(),
            changes,
            taken: Vec::new(),
        };
        let bus = crate::gate::proxies::bus(private).await?;
        let listed = bus.list_names().await.map_err(zbus::Error::from)?;
        for name in listed {
            if names.is_daemon_own(&name) && owner_of(private, &name).await.as_ref() == Some(daemon)
            {
                names.mirror(&name).await;
            }
        }
        Ok(names)
    }

    /// Follows the daemon's names until `stop`, then gives back those taken.
    pub(crate) async fn follow(mut self, stop: CancellationToken) {
        loop {
            let change = tokio::select! {
                biased;
                () = stop.cancelled() => break,
                change = self.changes.next() => match change {
                    Some(Ok(change)) => change,
                    Some(Err(_)) => continue,
                    None => break,
                },
            };
            let Ok((name, old, new)) = change.body().deserialize::<(String, String, String)>()
            else {
                continue;
            };
            if !self.is_daemon_own(&name) {
                continue;
            }
            if new == self.daemon.as_str() {
                self.mirror(&name).await;
            } else if old == self.daemon.as_str() {
                self.give_back(&name).await;
            }
        }
        for name in std::mem::take(&mut self.taken) {
            let _ = self.session.release_name(name.as_ref()).await;
        }
    }

    /// A well-known name the daemon may own for itself (not the spec's, which Couper serves,
    /// nor the bus's).
    fn is_daemon_own(&self, name: &str) -> bool {
        !name.starts_with(':') && name != NOTIFICATIONS && name != BUS
    }

    async fn mirror(&mut self, name: &str) {
        let Ok(name) = OwnedWellKnownName::try_from(name) else {
            return;
        };
        if self.taken.contains(&name) {
            return;
        }
        let taken = self
            .session
            .request_name_with_flags(name.as_ref(), RequestNameFlags::DO_NOT_QUEUE)
            .await;
        match taken {
            Ok(RequestNameReply::PrimaryOwner | RequestNameReply::AlreadyOwner) => {
                tracing::info!(%name, "the display daemon's name is Couper's on the session bus");
                self.taken.push(name);
            }
            Ok(_) | Err(zbus::Error::NameTaken) => {
                tracing::warn!(%name, "the display daemon's name is someone else's on the session bus: calls to it do not reach the daemon");
            }
            Err(e) => tracing::warn!(%name, "could not take the display daemon's name: {e}"),
        }
    }

    async fn give_back(&mut self, name: &str) {
        let Some(at) = self.taken.iter().position(|t| t.as_str() == name) else {
            return;
        };
        let name = self.taken.remove(at);
        let _ = self.session.release_name(name.as_ref()).await;
    }
}
