//! The GNOME Shell route: the per-app `show-banners` switch of
//! `org.gnome.desktop.notifications.application` (what Settings › Notifications ›
//! *app* › Notification Banners turns), read and written with `gsettings`, which GNOME
//! applies at once to the next notification.
//!
//! GNOME applies an app's switch only to the notifications it maps to a desktop file:
//! the `desktop-entry` hint, else the app name, each plus `.desktop`, as installed
//! (`FdoNotificationDaemonSource._getApp` in `js/ui/notificationDaemon.js`). Its key is
//! the desktop id lowercased, with anything but `a-z 0-9 -` made `-`
//! (`NotificationApplicationPolicy._canonicalizeId` in `js/ui/messageTray.js`). With
//! banners off, a notification goes to the list (the tray) without a banner; a critical
//! one still gets its banner.
//!
//! Withdrawals go to the shell itself (`org.gnome.Shell`): the helper that owns
//! `org.freedesktop.Notifications` refuses `CloseNotification` for an id another, still
//! connected, client posted.

use super::{desktop_ids, id_matches, lock, Route, SteerError};
use crate::notification::Notification;
use std::collections::BTreeSet;
use std::sync::Mutex;
use zbus::Connection;

const SCHEMA: &str = "org.gnome.desktop.notifications.application";
const SWITCH: &str = "show-banners";

/// The GNOME route.
#[derive(Debug)]
pub struct Gnome {
    /// The session bus for `gsettings` (dconf), when not the process's own.
    bus: Option<String>,
    /// The desktop ids installed, as last looked up.
    installed: Mutex<BTreeSet<String>>,
}

impl Gnome {
    /// The route on the session bus at `bus` (`None`: `DBUS_SESSION_BUS_ADDRESS`).
    pub fn new(bus: Option<String>) -> Gnome {
        Gnome {
            bus,
            installed: Mutex::new(desktop_ids()),
        }
    }

    fn schema_path(key: &str) -> String {
        format!("{SCHEMA}:/org/gnome/desktop/notifications/application/{key}/")
    }

    async fn gsettings(&self, args: &[&str]) -> Result<String, SteerError> {
        let mut command = tokio::process::Command::new("gsettings");
        command.args(args).kill_on_drop(true);
        if let Some(bus) = &self.bus {
            command.env("DBUS_SESSION_BUS_ADDRESS", bus);
        }
        let line = || format!("gsettings {}", args.join(" "));
        let out = command.output().await.map_err(|e| SteerError::Command {
            program: line(),
            detail: e.to_string(),
        })?;
        let stderr = String::from_utf8_lossy(&out.stderr);
        // Without dconf, GIO falls back to a memory backend and forgets every write.
        if !out.status.success() || stderr.contains("memory") {
            return Err(SteerError::Command {
                program: line(),
                detail: format!("{} {}", out.status, stderr.trim()),
            });
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    }
}

/// GNOME's key for desktop id `id`.
pub fn canonical(id: &str) -> String {
    let mut key = String::with_capacity(id.len());
    for c in id.to_lowercase().chars() {
        let c = if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' {
            c
        } else {
            '-'
        };
        if !(c == '-' && key.ends_with('-')) {
            key.push(c);
        }
    }
    key
}

impl Route for Gnome {
    fn name(&self) -> &'static str {
        "gnome"
    }

    fn shows_critical_when_quiet(&self) -> bool {
        true
    }

    fn keys_for(&self, apps: &[String]) -> BTreeSet<String> {
        let installed = desktop_ids();
        let keys = installed
            .iter()
            .filter(|id| apps.iter().any(|app| id_matches(id, app)))
            .map(|id| canonical(id))
            .collect();
        *lock(&self.installed) = installed;
        keys
    }

    fn key_of(&self, n: &Notification) -> Option<String> {
        let installed = lock(&self.installed);
        n.desktop_entry()
            .filter(|entry| installed.contains(*entry))
            .or_else(|| installed.contains(&n.app).then_some(n.app.as_str()))
            .map(canonical)
    }

    async fn read(&self, key: &str) -> Result<Option<String>, SteerError> {
        let path = Gnome::schema_path(key);
        Ok(Some(self.gsettings(&["get", &path, SWITCH]).await?))
    }

    async fn write(&self, key: &str, value: Option<&str>) -> Result<(), SteerError> {
        let path = Gnome::schema_path(key);
        match value {
            Some(v) => self.gsettings(&["set", &path, SWITCH, v]).await?,
            None => self.gsettings(&["reset", &path, SWITCH]).await?,
        };
        Ok(())
    }

    /// `gsettings` cannot tell a value the user set from the default: reset the key, and
    /// set it only if the default is not the user's value, so that dconf is left as it was
    /// whenever it can be.
    async fn put_back(&self, key: &str, original: Option<&str>) -> Result<(), SteerError> {
        self.write(key, None).await?;
        if let Some(original) = original {
            if self.read(key).await?.as_deref() != Some(original) {
                self.write(key, Some(original)).await?;
            }
        }
        Ok(())
    }

    async fn withdraw(&self, session: &Connection, shell_id: u32) -> Result<(), SteerError> {
        // The shell first: its notification helper refuses ids posted by another client
        // that is still connected.
        if super::close_notification(session, "org.gnome.Shell", shell_id)
            .await
            .is_err()
        {
            super::close_notification(session, crate::gate::NOTIFICATIONS, shell_id).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_canonical_as_gnome_makes_them() {
        assert_eq!(canonical("slack"), "slack");
        assert_eq!(canonical("com.slack.Slack"), "com-slack-slack");
        assert_eq!(canonical("org.gnome..Evolution"), "org-gnome-evolution");
    }
}
