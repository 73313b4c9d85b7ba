//! The typed clients through which Couper calls the other programs of the session: the
//! notification servers (a display daemon on the private bus, a desktop shell or Couper's
//! own gate on the session bus), the bus itself and the accessibility bus launcher.
//!
//! Each call here is one Couper makes itself, of a known method with known arguments. What
//! Couper only passes on (a daemon's own tools' calls, the session services' calls) is
//! copied as it came, in `relay.rs`, and never goes through these.
//!
//! None of these proxies keeps a cache of properties ([`CacheProperties::No`]): what
//! Couper asks, it asks when it needs it. A call has the flags a plain method call has:
//! the bus may start a service by activation only where Couper calls a well-known name,
//! as it did before these proxies; a unique name is never activated.

use std::collections::HashMap;

use zbus::names::BusName;
use zbus::proxy::CacheProperties;
use zbus::{Connection, Variant};

/// `org.freedesktop.Notifications`, the client side of the spec's methods.
#[zbus::proxy(
    interface = "org.freedesktop.Notifications",
    default_service = "org.freedesktop.Notifications",
    default_path = "/org/freedesktop/Notifications"
)]
pub(crate) trait Notifications {
    /// Shows a notification (in place of `replaces_id`, 0 for none); returns its id.
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &self,
        app_name: &str,
        replaces_id: u32,
        app_icon: &str,
        summary: &str,
        body: &str,
        actions: &[String],
        hints: &HashMap<&str, Variant<'_>>,
        expire_timeout: i32,
    ) -> zbus::Result<u32>;

    /// Withdraws notification `id`.
    fn close_notification(&self, id: u32) -> zbus::Result<()>;

    /// What the server can do (`body-markup`, `actions`…).
    fn get_capabilities(&self) -> zbus::Result<Vec<String>>;

    /// Name, vendor, version and spec version.
    fn get_server_information(&self) -> zbus::Result<(String, String, String, String)>;
}

/// at-spi2-core's launcher of the session's accessibility bus.
#[zbus::proxy(
    interface = "org.a11y.Bus",
    default_service = "org.a11y.Bus",
    default_path = "/org/a11y/bus"
)]
pub(crate) trait AccessibilityBus {
    /// The accessibility bus's address.
    fn get_address(&self) -> zbus::Result<String>;
}

/// The notification server `destination` on `conn`'s bus (a unique name, or a well-known
/// one such as `org.freedesktop.Notifications` or `org.gnome.Shell`).
pub(crate) async fn notifications<'a, D>(
    conn: &Connection,
    destination: D,
) -> zbus::Result<NotificationsProxy<'a>>
where
    D: TryInto<BusName<'a>>,
    D::Error: Into<zbus::Error>,
{
    NotificationsProxy::builder(conn)
        .destination(destination)
        .cache_properties(CacheProperties::No)
        .build()
        .await
}

/// The bus's own interface, `org.freedesktop.DBus`, on `conn`'s bus.
pub(crate) async fn bus(conn: &Connection) -> zbus::Result<zbus::fdo::DBusProxy<'static>> {
    zbus::fdo::DBusProxy::builder(conn)
        .cache_properties(CacheProperties::No)
        .build()
        .await
}

/// The session's accessibility bus launcher on `conn`'s bus.
pub(crate) async fn accessibility_bus(
    conn: &Connection,
) -> zbus::Result<AccessibilityBusProxy<'static>> {
    AccessibilityBusProxy::builder(conn)
        .cache_properties(CacheProperties::No)
        .build()
        .await
}
