//! What makes the proxy invisible: everything that is not the spec's passes through Couper.
//!
//! Couper stands on two buses, the session's and the private one its display daemon runs
//! on. Besides the notifications it gates, three kinds of traffic cross:
//!
//! - **The daemon's own tools and settings.** Calls on the session bus to
//!   `org.freedesktop.Notifications` that are not the spec's four methods (dunstctl's
//!   `org.dunstproject.cmd0`, makoctl's `/fr/emersion/Mako`, properties, introspection), and
//!   calls to the other names the daemon owns on its bus, which Couper takes on the session
//!   bus for it ([`DaemonNames`]: swaync's `org.erikreider.swaync.cc`), go to the daemon; its
//!   reply or error comes back unchanged.
//! - **The session services the daemon uses** (`services.rs`: xfconf, the accessibility
//!   bus, dconf): Couper owns those names on the private bus and forwards the daemon's calls
//!   to the session.
//! - **Signals.** The daemon's (other than the spec's three, which `downstream.rs` relays to
//!   each app with Couper's ids) are emitted again on the session bus by Couper, which owns
//!   the names they are expected from; the session services' are emitted again on the
//!   private bus. Only broadcast signals cross.
//!
//! One piece of code forwards a call either way ([`Forwarder`]): it copies the call (path,
//! interface, member, body with its signature, file descriptors, flags) to the destination
//! on the other bus, and copies the reply or error back, in a task of its own, at most
//! [`CONCURRENT`] at a time and for at most [`FORWARD_TIMEOUT`]: a daemon that does not
//! answer its tool holds up nothing else, least of all the apps' `Notify`.

mod names;
mod services;

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::os::fd::AsFd;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::StreamExt;
use tokio::sync::{oneshot, Semaphore};
use tokio_util::sync::CancellationToken;
use tokio_util::task::{AbortOnDropHandle, TaskTracker};
use zbus::message::{self, Flags, Header, Type};
use zbus::names::{BusName, OwnedUniqueName, WellKnownName};
use zbus::{Connection, Message, MessageStream, Signature};

pub(crate) use names::DaemonNames;
pub(crate) use services::SessionServices;

use super::NOTIFICATIONS;

/// How long a forwarded call may wait for its answer: less than the 25 s a D-Bus library
/// waits by default, so the caller hears why.
pub(crate) const FORWARD_TIMEOUT: Duration = Duration::from_secs(20);
/// How many forwarded calls may wait for their answers at once, each way.
pub(crate) const CONCURRENT: usize = 32;
const BUS: &str = "org.freedesktop.DBus";

/// One bus connection's side of the relay: it sends copies of calls there and hands each
/// reply to the call waiting for it. Cheap to clone.
#[derive(Clone)]
pub(crate) struct Relay {
    conn: Connection,
    waiting: Waiting,
    _replies: Arc<AbortOnDropHandle<()>>,
}

/// The calls sent and not yet answered, by serial.
type Waiting = Arc<Mutex<HashMap<NonZeroU32, oneshot::Sender<Message>>>>;

/// Why a forwarded call got no answer.
#[derive(Debug)]
enum Unanswered {
    /// The call could not be copied or sent.
    NotSent(zbus::Error),
    /// The connection closed before the answer came.
    Closed,
}

impl Relay {
    /// The relay side on `conn`. It reads every reply `conn` receives (its own calls' are
    /// left to zbus), in the order they came: a peer that answers twice (mako 1.7 answers
    /// `ListNotifications` with its list, then with an error) is heard once, first answer
    /// first, as a D-Bus library hears it.
    pub(crate) fn new(conn: &Connection) -> Relay {
        let mut received = MessageStream::from(conn);
        let waiting = Waiting::default();
        let routed = waiting.clone();
        let replies = tokio::spawn(async move {
            while let Some(reply) = received.next().await {
                let Ok(reply) = reply else { continue };
                if !matches!(reply.message_type(), Type::MethodReturn | Type::Error) {
                    continue;
                }
                let Some(serial) = reply.header().reply_serial() else {
                    continue;
                };
                let waiter = routed.lock().ok().and_then(|mut w| w.remove(&serial));
                if let Some(waiter) = waiter {
                    let _ = waiter.send(reply);
                }
            }
            // Closed: whoever still waits hears it now.
            if let Ok(mut waiting) = routed.lock() {
                waiting.clear();
            }
        });
        Relay {
            conn: conn.clone(),
            waiting,
            _replies: Arc::new(AbortOnDropHandle::new(replies)),
        }
    }

    /// Sends a copy of `call` to `destination`, and returns its reply or error message;
    /// `None` for a call that expects no reply.
    async fn call(
        &self,
        call: &Message,
        destination: &BusName<'_>,
    ) -> Result<Option<Message>, Unanswered> {
        // Raw on purpose (a copy of an arbitrary call, sent as such, its reply read by serial
        // in `Relay::new`): no typed proxy knows the calls of a daemon's tools.
        let copy = copy_call(call, destination).map_err(Unanswered::NotSent)?;
        let header = copy.header();
        if header.primary().flags().contains(Flags::NO_REPLY_EXPECTED) {
            self.conn.send(&copy).await.map_err(Unanswered::NotSent)?;
            return Ok(None);
        }
        let serial = header.primary().serial_num();
        let (reply, answer) = oneshot::channel();
        let _forget = Forget {
            waiting: &self.waiting,
            serial,
        };
        if let Ok(mut waiting) = self.waiting.lock() {
            waiting.insert(serial, reply);
        }
        self.conn.send(&copy).await.map_err(Unanswered::NotSent)?;
        answer.await.map(Some).map_err(|_| Unanswered::Closed)
    }
}

/// Forgets a call's serial when its caller stops waiting (answered, timed out, cancelled).
struct Forget<'a> {
    waiting: &'a Waiting,
    serial: NonZeroU32,
}

impl Drop for Forget<'_> {
    fn drop(&mut self) {
        if let Ok(mut waiting) = self.waiting.lock() {
            waiting.remove(&self.serial);
        }
    }
}

/// Forwards calls that came on one connection (`back`) to the other bus (`ahead`), and
/// their answers back, each in a task of its own. Cheap to clone.
#[derive(Clone)]
pub(crate) struct Forwarder {
    back: Connection,
    ahead: Relay,
    limit: Arc<Semaphore>,
    tasks: TaskTracker,
    stop: CancellationToken,
}

impl Forwarder {
    /// Forwards to `ahead` what comes on `back`, in tasks of `tasks`, until `stop`.
    pub(crate) fn new(
        back: Connection,
        ahead: Relay,
        tasks: TaskTracker,
        stop: CancellationToken,
    ) -> Forwarder {
        Forwarder {
            back,
            ahead,
            limit: Arc::new(Semaphore::new(CONCURRENT)),
            tasks,
            stop,
        }
    }

    /// Forwards `call` to `destination` on the other bus, and its answer back to the
    /// caller. Returns at once: the call is passed on in a task of its own.
    pub(crate) async fn forward(&self, call: &Message, destination: BusName<'static>) {
        let Ok(permit) = self.limit.clone().try_acquire_owned() else {
            let text = format!("{CONCURRENT} calls are already waiting for an answer");
            self.refuse(&call.header(), "LimitsExceeded", &text).await;
            return;
        };
        let this = self.clone();
        let call = call.clone();
        self.tasks.spawn(async move {
            let _permit = permit;
            tokio::select! {
                () = this.stop.cancelled() => {}
                () = this.pass(&call, &destination) => {}
            }
        });
    }

    async fn pass(&self, call: &Message, destination: &BusName<'_>) {
        let header = call.header();
        let answered = tokio::time::timeout(FORWARD_TIMEOUT, self.ahead.call(call, destination));
        let reply = match answered.await {
            Ok(Ok(Some(reply))) => reply,
            Ok(Ok(None)) => return,
            Ok(Err(Unanswered::NotSent(e))) => {
                let text = format!("Couper could not pass the call on to {destination}: {e}");
                return self.refuse(&header, "Failed", &text).await;
            }
            Ok(Err(Unanswered::Closed)) => {
                let text = format!("{destination} went away before it answered");
                return self.refuse(&header, "NoReply", &text).await;
            }
            Err(_) => {
                let text = format!(
                    "{destination} did not answer within {} s",
                    FORWARD_TIMEOUT.as_secs()
                );
                return self.refuse(&header, "NoReply", &text).await;
            }
        };
        let sent = match copy_reply(&reply, &header) {
            Ok(answer) => self.back.send(&answer).await,
            Err(e) => Err(e),
        };
        if let Err(e) = sent {
            tracing::debug!(%destination, "could not pass an answer back: {e}");
        }
    }

    /// Answers `call` with `org.freedesktop.DBus.Error.<error>`, unless it expects no reply.
    async fn refuse(&self, call: &Header<'_>, error: &str, text: &str) {
        if call.primary().flags().contains(Flags::NO_REPLY_EXPECTED) {
            return;
        }
        tracing::debug!("a forwarded call failed: {text}");
        let name = format!("org.freedesktop.DBus.Error.{error}");
        if let Err(e) = self.back.reply_error(call, name.as_str(), &text).await {
            tracing::debug!("could not answer a forwarded call: {e}");
        }
    }
}

/// `call`, addressed to `destination`: same path, interface, member, flags, body and file
/// descriptors.
fn copy_call(call: &Message, destination: &BusName<'_>) -> zbus::Result<Message> {
    let header = call.header();
    let (Some(path), Some(member)) = (header.path(), header.member()) else {
        return Err(zbus::Error::MissingField);
    };
    // Raw on purpose: any call of a daemon's tool or a session service's client, passed on
    // as it came, which no typed proxy could know.
    let mut builder = Message::method_call(path.clone(), member.clone())
        .destination(destination.clone())
        .with_flags(header.primary().flags());
    if let Some(interface) = header.interface() {
        builder = builder.interface(interface.clone());
    }
    with_body_of(builder, call)
}

/// The answer to `call` that says what `reply` (a reply or an error from the other bus)
/// says.
fn copy_reply(reply: &Message, call: &Header<'_>) -> zbus::Result<Message> {
    // Raw on purpose: whatever the other side answered, passed back as it is.
    let builder = match reply.message_type() {
        Type::Error => {
            let header = reply.header();
            let name = header.error_name().ok_or(zbus::Error::MissingField)?;
            Message::error(call, name.to_owned())
        }
        _ => Message::method_return(call),
    };
    with_body_of(builder, reply)
}

/// Emits `signal` (received on the other bus) again on `on`, from `on`'s connection: same
/// path, interface, member, body and file descriptors. Only a broadcast signal is passed on
/// (one addressed to Couper was meant for Couper), and as a broadcast.
pub(crate) async fn emit_again(signal: &Message, on: &Connection) {
    let header = signal.header();
    if header.destination().is_some() {
        return;
    }
    let (Some(path), Some(interface), Some(member)) =
        (header.path(), header.interface(), header.member())
    else {
        return;
    };
    // Raw on purpose: any signal of the daemon or a session service, emitted again as it is.
    let builder = Message::signal(path.clone(), interface.clone(), member.clone());
    let sent = match with_body_of(builder, signal) {
        Ok(copy) => on.send(&copy).await,
        Err(e) => Err(e),
    };
    if let Err(e) = sent {
        tracing::debug!(%interface, %member, "could not pass a signal on: {e}");
    }
}

/// Builds the message with `from`'s body as it is: its bytes, in its byte order, with its
/// signature as its header spells it, and copies of its file descriptors.
fn with_body_of(builder: message::Builder<'_>, from: &Message) -> zbus::Result<Message> {
    let body = from.body();
    // zbus reads `(bbu)` (one structure) and `bbu` (three values) into one `Signature`, and
    // writes it back as `bbu`: a GLib peer then reads three values where one structure was
    // sent, and aborts (swaync-client did). The header's own spelling, in a structure of its
    // own, is written back as it was.
    let signature = match spelled_signature(from) {
        Some(spelled) if spelled.is_empty() => Signature::Unit,
        Some(spelled) => Signature::try_from(format!("({spelled})").as_str())
            .unwrap_or_else(|_| body.signature().clone()),
        None => body.signature().clone(),
    };
    let fds = body
        .data()
        .fds()
        .iter()
        .map(|fd| fd.as_fd().try_clone_to_owned().map(zbus::OwnedFd::from))
        .collect::<std::io::Result<Vec<_>>>()
        .map_err(|e| zbus::Error::InputOutput(Arc::new(e)))?;
    let builder = builder.endian(from.primary_header().endian_sig().into());
    // SAFETY: the bytes and the signature are those of a body zbus received and read, and
    // the message is built in that body's byte order; the descriptors are copies of that
    // body's, in the same order, so the indices in it still name the right ones.
    unsafe { builder.build_raw_body(body.data().bytes(), signature, fds) }
}

/// The body's signature as `message`'s header spells it (`None` if the header cannot be
/// read here; empty when it has no signature field, i.e. no body).
fn spelled_signature(message: &Message) -> Option<String> {
    /// The header field that holds the body's signature.
    const SIGNATURE_FIELD: u8 = 8;
    let bytes = message.data().bytes();
    let big_endian = *bytes.first()? == b'B';
    let u32_at = |at: usize| -> Option<usize> {
        let raw: [u8; 4] = bytes.get(at..at.checked_add(4)?)?.try_into().ok()?;
        let value = if big_endian {
            u32::from_be_bytes(raw)
        } else {
            u32::from_le_bytes(raw)
        };
        usize::try_from(value).ok()
    };
    // The fixed part (12 bytes), then the fields: an array of (code, variant), each aligned
    // to 8, whose length is at byte 12.
    let end = 16usize.checked_add(u32_at(12)?)?;
    let mut at = 16;
    while at < end {
        at = at.next_multiple_of(8);
        let code = *bytes.get(at)?;
        // The variant's own signature: one type.
        if *bytes.get(at + 1)? != 1 {
            return None;
        }
        let kind = *bytes.get(at + 2)?;
        at += 4;
        match kind {
            b'g' => {
                let len = usize::from(*bytes.get(at)?);
                if code == SIGNATURE_FIELD {
                    let spelled = bytes.get(at + 1..at + 1 + len)?;
                    return String::from_utf8(spelled.to_vec()).ok();
                }
                at += len + 2;
            }
            b's' | b'o' => {
                at = at.next_multiple_of(4);
                at += 4 + u32_at(at)? + 1;
            }
            b'u' => at = at.next_multiple_of(4) + 4,
            _ => return None,
        }
    }
    Some(String::new())
}

/// The unique name that owns `name` on `conn`'s bus, if any.
async fn owner_of(conn: &Connection, name: &str) -> Option<OwnedUniqueName> {
    let name = BusName::try_from(name).ok()?;
    let bus = super::proxies::bus(conn).await.ok()?;
    bus.get_name_owner(name).await.ok()
}

/// Where a call on the session bus that Couper does not answer itself goes on the private
/// bus: the name it was sent to when that is one of the daemon's own (taken for it by
/// [`DaemonNames`]), else the daemon's `org.freedesktop.Notifications`.
pub(crate) fn daemon_destination(call: &Header<'_>) -> BusName<'static> {
    match call.destination() {
        Some(BusName::WellKnown(name)) if name.as_str() != NOTIFICATIONS => {
            BusName::WellKnown(name.to_owned())
        }
        _ => BusName::WellKnown(WellKnownName::from_static_str_unchecked(NOTIFICATIONS)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call() -> Message {
        Message::method_call("/org/erikreider/swaync/cc", "GetSubscribeData")
            .destination("org.erikreider.swaync.cc")
            .sender(":1.7")
            .build(&())
            .unwrap()
    }

    #[test]
    fn one_structure_and_three_values_keep_their_signatures_when_copied() {
        let call = call();
        let header = call.header();
        let one = Message::method_return(&header)
            .build(&((true, false, 7u32),))
            .unwrap();
        let three = Message::method_return(&header)
            .build(&(true, false, 7u32))
            .unwrap();
        let none = Message::method_return(&header).build(&()).unwrap();
        for (reply, spelled) in [(one, "(bbu)"), (three, "bbu"), (none, "")] {
            assert_eq!(spelled_signature(&reply).as_deref(), Some(spelled));
            let copy = copy_reply(&reply, &header).unwrap();
            assert_eq!(spelled_signature(&copy).as_deref(), Some(spelled));
            assert_eq!(copy.body().data().bytes(), reply.body().data().bytes());
            assert_eq!(
                copy.header().reply_serial(),
                Some(header.primary().serial_num())
            );
        }
    }

    #[test]
    fn an_error_is_copied_with_its_name_and_text() {
        let call = call();
        let header = call.header();
        let error = Message::error(&header, "org.freedesktop.DBus.Error.UnknownMethod")
            .build(&("no such method",))
            .unwrap();
        let copy = copy_reply(&error, &header).unwrap();
        assert_eq!(copy.message_type(), Type::Error);
        let copied = copy.header();
        let name = copied.error_name().map(|n| n.as_str());
        assert_eq!(name, Some("org.freedesktop.DBus.Error.UnknownMethod"));
        assert_eq!(copy.body().deserialize::<&str>().unwrap(), "no such method");
    }

    #[test]
    fn a_copied_call_keeps_its_path_interface_member_flags_and_body() {
        let call = Message::method_call("/fr/emersion/Mako", "SetModes")
            .interface("fr.emersion.Mako")
            .destination(":1.4")
            .with_flags(Flags::NO_REPLY_EXPECTED)
            .build(&(vec!["do-not-disturb"],))
            .unwrap();
        let to = BusName::try_from(NOTIFICATIONS).unwrap();
        let copy = copy_call(&call, &to).unwrap();
        let header = copy.header();
        assert_eq!(header.path().map(|p| p.as_str()), Some("/fr/emersion/Mako"));
        assert_eq!(
            header.interface().map(|i| i.as_str()),
            Some("fr.emersion.Mako")
        );
        assert_eq!(header.member().map(|m| m.as_str()), Some("SetModes"));
        assert_eq!(
            header.destination().map(|d| d.as_str()),
            Some(NOTIFICATIONS)
        );
        assert!(header.primary().flags().contains(Flags::NO_REPLY_EXPECTED));
        assert_eq!(spelled_signature(&copy).as_deref(), Some("as"));
        assert_eq!(
            copy.body().deserialize::<Vec<String>>().unwrap(),
            ["do-not-disturb"]
        );
    }

    #[test]
    fn a_copied_call_carries_copies_of_its_file_descriptors() {
        use std::os::fd::AsRawFd;
        use std::os::unix::fs::MetadataExt;
        let file = tempfile::tempfile().unwrap();
        let call = Message::method_call("/org/freedesktop/Notifications", "Share")
            .interface("org.example.Daemon")
            .build(&(zbus::Fd::from(&file),))
            .unwrap();
        let to = BusName::try_from(NOTIFICATIONS).unwrap();
        let copy = copy_call(&call, &to).unwrap();
        let body = copy.body();
        let fds = body.data().fds();
        assert_eq!(fds.len(), 1);
        assert_ne!(fds[0].as_raw_fd(), file.as_raw_fd());
        let copied: std::fs::File = std::os::fd::OwnedFd::try_from(fds[0].try_to_owned().unwrap())
            .unwrap()
            .into();
        assert_eq!(
            copied.metadata().unwrap().ino(),
            file.metadata().unwrap().ino()
        );
    }
}
