//! Couper's own voice: a notification posted as an ordinary client of the session's
//! notification service (`org.freedesktop.Notifications` on the session bus), whoever
//! serves it — the shell on the steer routes, the session's own daemon while the proxy
//! route has failed open. One path for every route.

use crate::gate::{wire, NOTIFICATIONS};
use crate::notification::Notification;
use zbus::Connection;

/// Posts `n` on `session` (with critical urgency for a `crisis`); returns the id the
/// server gave it.
pub async fn post(session: &Connection, n: &Notification, crisis: bool) -> zbus::Result<u32> {
    wire::notify(session, NOTIFICATIONS, n, 0, crisis, &wire::Extras::new()).await
}
