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
    let extras = wire::Extras::new();
    let hints = wire::display_hints(n, crisis, &extras);
    let reply = session
        .call_method(
            Some(NOTIFICATIONS),
            "/org/freedesktop/Notifications",
            Some(NOTIFICATIONS),
            "Notify",
            &(
                n.app.as_str(),
                0u32,
                n.icon.as_str(),
                wire::display_text(&n.summary),
                wire::display_text(&n.body),
                &n.actions,
                hints,
                n.expire_timeout,
            ),
        )
        .await?;
    reply.body().deserialize::<u32>()
}
