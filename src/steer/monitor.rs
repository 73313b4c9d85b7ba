//! Watching notifications without owning the name: a monitor connection
//! (`org.freedesktop.DBus.Monitoring.BecomeMonitor`, as `dbus-monitor` uses) sees every
//! app's `Notify` call with its arguments, and the reply with the id the shell gave it,
//! matched by (caller, serial); and every `CloseNotification`. A monitor cannot send:
//! it only reads, and it cannot block anything.
//!
//! Calls from the name's owner do not count: on GNOME the helper that owns the name
//! forwards each call to the shell (`org.gnome.Shell`), and that second call is not a
//! second notification. The owner is followed through `NameOwnerChanged`. Couper's own
//! calls (its re-posts, withdrawals and digest) are not counted either. Apps address
//! their calls to the name or, as libnotify does, to its owner's unique name: both count.

use crate::gate::wire::{self, NotifyArgs};
use crate::gate::NOTIFICATIONS;
use crate::notification::Notification;
use std::collections::{HashMap, VecDeque};
use tokio::sync::mpsc;
use zbus::message::Type;
use zbus::names::OwnedUniqueName;

/// What the monitor saw.
#[derive(Debug, Clone, PartialEq)]
pub enum Seen {
    /// An app's notification, with the id the shell answered.
    Notify {
        /// The app's connection (its unique bus name).
        sender: String,
        /// The shell's id (the one the app got).
        shell_id: u32,
        /// `replaces_id` as the app sent it (a shell id; 0: none).
        replaces: u32,
        /// What was sent.
        notification: Notification,
    },
    /// An app withdrew notification `shell_id`, and the shell did not refuse it (GNOME
    /// refuses an id another app posted).
    Close {
        /// The app's connection (its unique bus name).
        sender: String,
        /// The shell's id.
        shell_id: u32,
    },
}

/// A call waiting for the shell's answer.
enum Call {
    Notify(u32, Notification),
    Close(u32),
}

/// Calls waiting for their reply, at most this many (a call whose reply never comes
/// is forgotten).
const PENDING_MAX: usize = 256;

/// Starts monitoring the session bus at `address` (`None`: the user's), ignoring calls
/// from `own` (Couper's own connection) and from the name's owner (`owner` now). The
/// monitor ends when the receiver is dropped or the bus goes away (the receiver then
/// ends).
pub async fn start(
    address: Option<&str>,
    own: OwnedUniqueName,
    owner: Option<String>,
) -> Result<mpsc::Receiver<Seen>, zbus::Error> {
    let builder = match address {
        Some(address) => zbus::connection::Builder::address(address),
        None => zbus::connection::Builder::session(),
    };
    let conn = builder.build().await?;
    // The stream first: nothing that comes after BecomeMonitor's reply is missed.
    let mut stream = zbus::MessageStream::from(&conn);
    let call = |member: &'static str| {
        zbus::MatchRule::builder()
            .msg_type(Type::MethodCall)
            .interface(NOTIFICATIONS)
            .member(member)
            .build()
    };
    let from_server = |kind: Type| {
        zbus::MatchRule::builder()
            .msg_type(kind)
            .sender(NOTIFICATIONS)
            .build()
    };
    let owners = zbus::MatchRule::builder()
        .msg_type(Type::Signal)
        .sender("org.freedesktop.DBus")
        .member("NameOwnerChanged")
        .arg(0, NOTIFICATIONS)
        .build();
    let rules = [
        call("Notify")?,
        call("CloseNotification")?,
        from_server(Type::MethodReturn)?,
        from_server(Type::Error)?,
        owners?,
    ];
    zbus::fdo::MonitoringProxy::new(&conn)
        .await?
        .become_monitor(&rules, 0)
        .await?;

    let (tx, rx) = mpsc::channel(256);
    tokio::spawn(async move {
        use futures_util::StreamExt;
        let _conn = conn;
        let mut pending = Pending {
            owner,
            ..Pending::default()
        };
        while let Some(message) = stream.next().await {
            let Ok(message) = message else { continue };
            if let Some(seen) = pending.read(&message, &own) {
                if tx.send(seen).await.is_err() {
                    return;
                }
            }
        }
    });
    Ok(rx)
}

/// `Notify` calls waiting for their reply, by (caller, serial).
#[derive(Default)]
struct Pending {
    /// The unique name that owns `org.freedesktop.Notifications`.
    owner: Option<String>,
    calls: HashMap<(String, u32), Call>,
    order: VecDeque<(String, u32)>,
}

impl Pending {
    /// Reads one monitored message; returns what it completes.
    fn read(&mut self, message: &zbus::Message, own: &OwnedUniqueName) -> Option<Seen> {
        let header = message.header();
        match message.message_type() {
            Type::MethodCall => {
                let sender = header.sender()?;
                if sender == own || self.owner.as_deref() == Some(sender.as_str()) {
                    return None;
                }
                let call = match header.member()?.as_str() {
                    "Notify" => {
                        let args: NotifyArgs = message.body().deserialize().ok()?;
                        let (replaces, notification, _extras) = wire::from_notify(args);
                        Call::Notify(replaces, notification)
                    }
                    "CloseNotification" => Call::Close(message.body().deserialize().ok()?),
                    _ => return None,
                };
                let key = (sender.to_string(), header.primary().serial_num().get());
                self.order.push_back(key.clone());
                self.calls.insert(key, call);
                while self.order.len() > PENDING_MAX {
                    if let Some(old) = self.order.pop_front() {
                        self.calls.remove(&old);
                    }
                }
                None
            }
            Type::MethodReturn | Type::Error => {
                let key = (
                    header.destination()?.to_string(),
                    header.reply_serial()?.get(),
                );
                let call = self.calls.remove(&key)?;
                if message.message_type() == Type::Error {
                    return None;
                }
                let sender = key.0;
                match call {
                    Call::Notify(replaces, notification) => Some(Seen::Notify {
                        sender,
                        shell_id: message.body().deserialize().ok()?,
                        replaces,
                        notification,
                    }),
                    Call::Close(shell_id) => Some(Seen::Close { sender, shell_id }),
                }
            }
            Type::Signal => {
                if header.member()?.as_str() == "NameOwnerChanged" {
                    let (name, _old, new): (String, String, String) =
                        message.body().deserialize().ok()?;
                    if name == NOTIFICATIONS {
                        self.owner = (!new.is_empty()).then_some(new);
                    }
                }
                None
            }
        }
    }
}
