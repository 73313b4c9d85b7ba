//! The steer route: on GNOME Shell and KDE Plasma the shell owns
//! `org.freedesktop.Notifications` and never hands it over, so Couper cannot stand in
//! front of it (the proxy route). It steers the shell instead:
//!
//! - it **watches** every `Notify` and its reply (the id the app got) with a monitor
//!   connection (`monitor.rs`) and feeds each to the same Service, through the same
//!   [`Gatekeeper`] seam as the proxy gate;
//! - outside working time it turns the **banners of work apps off** with the shell's own
//!   per-app settings (a [`Route`]: `gnome.rs`, `plasma.rs`), and back on when work starts;
//!   every value it changes is journaled first, with the user's own value, so that it
//!   comes back when Couper stops, or after a crash when the next `couper run` starts,
//!   or with `couper restore` (`journal.rs`);
//! - for what the shell cannot tell apart by app (an account inside a browser, an app
//!   the shell maps to no desktop file) it **withdraws** the banner right after it
//!   appeared (`CloseNotification`) and Couper holds it;
//! - crises are **re-posted** under Couper's own identity with critical urgency.
//!
//! The Service decides; a route only applies. What a decision means on a shell is the
//! pure [`plan`] below; which apps' switches to turn is [`steered_apps`]; `driver.rs`
//! runs it all for `couper run`. `docs/routes.md` says what each shell does with its
//! switches, and how the same seam would work on Windows 11 and macOS.

mod driver;
pub mod gnome;
pub mod journal;
pub mod monitor;
pub mod plasma;

use crate::gate::{proxies, GateError, GateHandle, Verdict, NOTIFICATIONS};
use crate::notification::{HintValue, Notification, Urgency};
use crate::settings::Settings;
use crate::store::StoreError;
use std::collections::BTreeSet;
use std::future::Future;
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use zbus::Connection;

pub use driver::{restore_all, start, start_live, Handle, Ids, RouteInfo, ShellHandle, Steering};
pub use journal::{Journal, Keep};

/// The value Couper writes to a work app's banner switch outside working time (GNOME's
/// `show-banners`, Plasma's `ShowPopups`).
pub const QUIET: &str = "false";

/// Why steering failed.
#[derive(Debug, thiserror::Error)]
pub enum SteerError {
    /// The session bus failed.
    #[error("session bus: {0}")]
    Bus(#[from] zbus::Error),
    /// A helper program (gsettings) failed.
    #[error("{program}: {detail}")]
    Command {
        /// The command line.
        program: String,
        /// What it said, or why it could not run.
        detail: String,
    },
    /// A settings file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The journal could not be kept in the store.
    #[error("journal: {0}")]
    Store(#[from] StoreError),
    /// The journal in the store is unreadable.
    #[error("journal: {0}")]
    Journal(String),
    /// The notification monitor stopped (the session bus went away).
    #[error("the notification monitor stopped: {0}")]
    Monitor(String),
}

impl From<SteerError> for GateError {
    fn from(e: SteerError) -> GateError {
        match e {
            SteerError::Bus(e) => GateError::Bus(e),
            other => GateError::PrivateBus {
                reason: other.to_string(),
            },
        }
    }
}

/// The desktop shells Couper can steer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shell {
    /// GNOME Shell (its notifications are served by `gjs …/org.gnome.Shell.Notifications`).
    Gnome,
    /// KDE Plasma (`plasmashell`).
    Plasma,
}

/// One shell's switches: the seam every steer route implements. It applies what the
/// Service decided; it decides nothing.
pub trait Route: Send + Sync + 'static {
    /// The route's name, as `couper status` shows it and the journal keeps it.
    fn name(&self) -> &'static str;
    /// Whether the shell still shows a critical notification from an app whose banners
    /// are off (GNOME does; Plasma does not).
    fn shows_critical_when_quiet(&self) -> bool;
    /// The per-app keys of the installed apps that match these work apps (an app name or
    /// desktop id, as in settings, any case).
    fn keys_for(&self, apps: &[String]) -> BTreeSet<String>;
    /// The per-app key the shell applies to `n`, if it maps `n` to an app at all.
    fn key_of(&self, n: &Notification) -> Option<String>;
    /// The banner switch of `key` now: `None` when the user never set it.
    fn read(&self, key: &str) -> impl Future<Output = Result<Option<String>, SteerError>> + Send;
    /// Sets the banner switch of `key` (`None`: back to unset), and makes the shell apply
    /// it at once.
    fn write(
        &self,
        key: &str,
        value: Option<&str>,
    ) -> impl Future<Output = Result<(), SteerError>> + Send;
    /// Puts the user's own value back (`None`: unset). By default, a plain write.
    fn put_back(
        &self,
        key: &str,
        original: Option<&str>,
    ) -> impl Future<Output = Result<(), SteerError>> + Send {
        self.write(key, original)
    }
    /// Withdraws notification `shell_id`, whoever posted it.
    fn withdraw(
        &self,
        session: &Connection,
        shell_id: u32,
    ) -> impl Future<Output = Result<(), SteerError>> + Send;
}

/// What a front end can do on the screen, whatever the route: the live executor carries
/// the Service's outcomes out through this (the proxy gate's handle, or the steer
/// route's [`Handle`]).
pub trait Screen: Clone + Send + Sync + 'static {
    /// Shows notification `id` now (released, replayed, or `couper alert`).
    fn show(
        &self,
        id: u32,
        n: &Notification,
        crisis: bool,
    ) -> impl Future<Output = Result<(), GateError>> + Send;
    /// Closes notification `id` if Couper shows it.
    fn close(&self, id: u32) -> impl Future<Output = Result<(), GateError>> + Send;
}

impl Screen for GateHandle {
    fn show(
        &self,
        id: u32,
        n: &Notification,
        crisis: bool,
    ) -> impl Future<Output = Result<(), GateError>> + Send {
        GateHandle::show(self, id, n, crisis)
    }

    fn close(&self, id: u32) -> impl Future<Output = Result<(), GateError>> + Send {
        GateHandle::close(self, id)
    }
}

/// What the route does with one notification the shell already has, given the
/// Service's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The shell does the right thing by itself.
    Nothing,
    /// Take it off the screen (and out of the shell's list).
    Withdraw,
    /// Post a copy under Couper's identity; `withdraw` the original first when it is on
    /// screen as an ordinary banner.
    Repost {
        /// With critical urgency (a crisis).
        critical: bool,
        /// Withdraw the original first.
        withdraw: bool,
    },
}

/// What the route does with a notification the shell has, given the Service's `verdict`,
/// whether the shell applied one of Couper's quiet switches to it (`quieted`: then it went
/// to the shell's list without a banner), its urgency, and whether the shell shows
/// critical ones from quiet apps anyway.
///
/// - deliver: it is on screen, unless a quiet switch caught it (the instant working time
///   starts, before the switches are back): then a copy is posted;
/// - deliver as crisis: on screen with critical urgency, whatever the switches;
/// - hold: in the shell's list without a banner when a switch caught it, else withdrawn
///   (Couper holds it);
/// - drop: withdrawn.
pub fn plan(verdict: Verdict, quieted: bool, critical: bool, shows_critical: bool) -> Step {
    let on_screen = !quieted || (critical && shows_critical);
    match verdict {
        Verdict::Deliver if on_screen => Step::Nothing,
        Verdict::Deliver => Step::Repost {
            critical: false,
            withdraw: false,
        },
        Verdict::DeliverCrisis if on_screen && critical => Step::Nothing,
        Verdict::DeliverCrisis => Step::Repost {
            critical: true,
            withdraw: on_screen,
        },
        Verdict::Hold if on_screen => Step::Withdraw,
        Verdict::Hold => Step::Nothing,
        Verdict::Drop => Step::Withdraw,
    }
}

/// The work apps whose switches Couper turns: those the shell can tell apart by app.
/// A source narrowed to an account (a mailbox inside a browser) shares its app with
/// personal notifications: its switch stays the user's, and its notifications are
/// withdrawn one by one instead.
pub fn steered_apps(settings: &Settings) -> Vec<String> {
    settings
        .work_apps
        .iter()
        .filter(|w| w.account.as_deref().is_none_or(str::is_empty))
        .map(|w| w.app.clone())
        .collect()
}

/// The bus names each shell owns, beside (or instead of) the notification name: GNOME
/// serves `org.freedesktop.Notifications` from a helper that also owns
/// `org.gnome.Shell.Notifications` (run as `gjs …` in GNOME 43, `gjs -m …` since 45), and
/// the shell itself is `org.gnome.Shell`; Plasma's shell owns `org.kde.plasmashell`.
const SHELL_NAMES: [(&str, Shell); 3] = [
    ("org.gnome.Shell.Notifications", Shell::Gnome),
    ("org.gnome.Shell", Shell::Gnome),
    ("org.kde.plasmashell", Shell::Plasma),
];

/// Which shell owns `org.freedesktop.Notifications` on `session`, if a steerable one.
/// Returns the shell and a one-line reason for `couper status`.
///
/// A shell is recognised by what it is on the bus, never by a command line: the owner of
/// the notification name is the connection that owns one of the shell's own names, or
/// calls itself the shell in `GetServerInformation` while that shell is on the bus. Nobody
/// owning the name yet while a shell is on the bus means that shell (GNOME starts its
/// helper on demand). Nothing here starts a service by activation.
pub async fn detect(session: &Connection) -> Result<Option<(Shell, String)>, zbus::Error> {
    let dbus = proxies::bus(session).await?;
    let owner = |name: &'static str| {
        let dbus = dbus.clone();
        async move {
            let name = zbus::names::BusName::try_from(name).ok()?;
            dbus.get_name_owner(name).await.ok().map(|o| o.to_string())
        }
    };
    let mut shells = Vec::new();
    for (name, shell) in SHELL_NAMES {
        if let Some(unique) = owner(name).await {
            shells.push((unique, shell));
        }
    }
    let notifications = owner(NOTIFICATIONS).await;
    let info = server_information(session).await;
    let Some(shell) = recognise(
        notifications.as_deref(),
        &shells,
        info.as_ref().map(|(name, _)| name.as_str()),
    ) else {
        return Ok(None);
    };
    let version = info
        .map(|(_, version)| format!(" {version}"))
        .unwrap_or_default();
    let reason = match shell {
        Shell::Gnome => format!(
            "GNOME Shell{version} owns {NOTIFICATIONS}: Couper watches it and turns work apps' \
             banners off outside working hours through GNOME's per-app notification settings"
        ),
        Shell::Plasma => format!(
            "Plasma{version} owns {NOTIFICATIONS}: Couper watches it and turns work apps' \
             popups off outside working hours through Plasma's per-app notification settings"
        ),
    };
    Ok(Some((shell, reason)))
}

/// The shell behind the notification name, from who owns it (`owner`, a unique name), the
/// shells' own names on the bus (`shells`: unique name and shell) and the server's
/// `GetServerInformation` name.
fn recognise(
    owner: Option<&str>,
    shells: &[(String, Shell)],
    server: Option<&str>,
) -> Option<Shell> {
    let on_bus = |shell: Shell| shells.iter().any(|(_, s)| *s == shell);
    match owner {
        Some(owner) => shells
            .iter()
            .find(|(unique, _)| unique == owner)
            .map(|(_, shell)| *shell)
            // Another connection of the shell's (a helper of a later version): it must say
            // it is that shell, and that shell must be on the bus.
            .or_else(|| {
                let named = match server? {
                    "gnome-shell" => Shell::Gnome,
                    "Plasma" => Shell::Plasma,
                    _ => return None,
                };
                on_bus(named).then_some(named)
            }),
        // Nobody owns it yet: the shell may be starting, or serve it on demand.
        None => shells.first().map(|(_, shell)| *shell),
    }
}

/// What `GetServerInformation` says: the server's name and version. Asked only of an
/// owner that is there (a call to an unowned name would start a daemon by activation).
async fn server_information(session: &Connection) -> Option<(String, String)> {
    let dbus = proxies::bus(session).await.ok()?;
    let name = zbus::names::BusName::try_from(NOTIFICATIONS).ok()?;
    if !dbus.name_has_owner(name).await.ok()? {
        return None;
    }
    let server = proxies::notifications(session, NOTIFICATIONS).await.ok()?;
    let (name, _vendor, version, _spec) = server.get_server_information().await.ok()?;
    Some((name, version))
}

/// The ids of the installed desktop files (`slack` for `slack.desktop`; a file in a
/// subdirectory `kde/foo.desktop` is `kde-foo`), from `$XDG_DATA_HOME` and
/// `$XDG_DATA_DIRS`, as the shells find them.
pub fn desktop_ids() -> BTreeSet<String> {
    let mut dirs = Vec::new();
    let home = std::env::var_os("HOME").map(PathBuf::from);
    match std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
        Some(d) => dirs.push(PathBuf::from(d)),
        None => dirs.extend(home.map(|h| h.join(".local/share"))),
    }
    let data_dirs = std::env::var("XDG_DATA_DIRS")
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "/usr/local/share:/usr/share".into());
    dirs.extend(data_dirs.split(':').map(PathBuf::from));
    let mut ids = BTreeSet::new();
    for dir in dirs {
        collect_desktop_ids(&dir.join("applications"), "", &mut ids, 0);
    }
    ids
}

fn collect_desktop_ids(dir: &std::path::Path, prefix: &str, ids: &mut BTreeSet<String>, depth: u8) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if path.is_dir() && depth < 3 {
            collect_desktop_ids(&path, &format!("{prefix}{name}-"), ids, depth + 1);
        } else if let Some(stem) = name.strip_suffix(".desktop") {
            ids.insert(format!("{prefix}{stem}"));
        }
    }
}

/// Whether desktop id `id` belongs to work app `app` (as settings name it): the same,
/// any case, or its last reverse-DNS part (`com.slack.Slack` for `slack`) — the engine's
/// own matching.
pub fn id_matches(id: &str, app: &str) -> bool {
    let id = id.trim_end_matches(".desktop");
    id.eq_ignore_ascii_case(app)
        || id
            .rsplit_once('.')
            .is_some_and(|(_, last)| last.eq_ignore_ascii_case(app))
}

/// Locks `m`, whatever a panicking holder left (the data here stays consistent).
/// Withdraws notification `shell_id` by calling `CloseNotification` on `destination`
/// (the shell itself, or whoever owns the freedesktop name).
pub(crate) async fn close_notification(
    session: &Connection,
    destination: &str,
    shell_id: u32,
) -> zbus::Result<()> {
    proxies::notifications(session, destination)
        .await?
        .close_notification(shell_id)
        .await
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The copy Couper posts under its own identity: "Slack — summary", with the body, the
/// app's icon, and critical urgency for a crisis.
pub fn repost(n: &Notification, critical: bool) -> Notification {
    let from = if n.app.is_empty() || n.app == crate::engine::ALERT_APP {
        n.desktop_entry().unwrap_or("")
    } else {
        n.app.as_str()
    };
    let mut hints = std::collections::BTreeMap::new();
    hints.insert("x-couper-repost".to_string(), HintValue::Bool(true));
    Notification {
        app: "Couper".into(),
        summary: if from.is_empty() {
            n.summary.clone()
        } else {
            format!("{from} — {}", n.summary)
        },
        body: n.body.clone(),
        icon: n.icon.clone(),
        actions: Vec::new(),
        hints,
        urgency: if critical {
            Urgency::Critical
        } else {
            n.urgency
        },
        expire_timeout: n.expire_timeout,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on_bus(names: &[(&str, Shell)]) -> Vec<(String, Shell)> {
        names.iter().map(|(u, s)| (u.to_string(), *s)).collect()
    }

    #[test]
    fn gnome_is_known_by_its_helper_s_name_whatever_runs_it() {
        // GNOME 43 (`gjs …`) and 45+ (`gjs -m …`) alike: the helper owns both names.
        let shells = on_bus(&[(":1.7", Shell::Gnome), (":1.3", Shell::Gnome)]);
        assert_eq!(
            recognise(Some(":1.7"), &shells, Some("gnome-shell")),
            Some(Shell::Gnome)
        );
        assert_eq!(recognise(Some(":1.3"), &shells, None), Some(Shell::Gnome));
    }

    #[test]
    fn plasma_is_known_by_its_shell_s_name() {
        let shells = on_bus(&[(":1.4", Shell::Plasma)]);
        assert_eq!(
            recognise(Some(":1.4"), &shells, Some("Plasma")),
            Some(Shell::Plasma)
        );
    }

    #[test]
    fn a_daemon_in_a_shell_s_session_is_not_the_shell() {
        // dunst took the name on a GNOME desktop: the proxy route's refusal names it.
        let shells = on_bus(&[(":1.3", Shell::Gnome)]);
        assert_eq!(recognise(Some(":1.9"), &shells, Some("dunst")), None);
        // A daemon calling itself the shell while no shell is on the bus is not one.
        assert_eq!(recognise(Some(":1.9"), &[], Some("gnome-shell")), None);
        assert_eq!(recognise(Some(":1.9"), &[], None), None);
    }

    #[test]
    fn another_connection_of_the_shell_that_says_so_is_the_shell() {
        let shells = on_bus(&[(":1.3", Shell::Gnome)]);
        assert_eq!(
            recognise(Some(":1.8"), &shells, Some("gnome-shell")),
            Some(Shell::Gnome)
        );
    }

    #[test]
    fn nobody_owning_the_name_in_a_shell_s_session_means_that_shell() {
        let shells = on_bus(&[(":1.3", Shell::Gnome)]);
        assert_eq!(recognise(None, &shells, None), Some(Shell::Gnome));
        assert_eq!(recognise(None, &[], None), None);
    }

    #[test]
    fn a_held_notification_the_shell_kept_quiet_stays_in_its_list() {
        assert_eq!(plan(Verdict::Hold, true, false, true), Step::Nothing);
    }

    #[test]
    fn a_held_notification_on_screen_is_withdrawn() {
        // An account inside a browser: the shell showed it as any other.
        assert_eq!(plan(Verdict::Hold, false, false, true), Step::Withdraw);
        // A critical one GNOME shows even from a quiet app, held while not on call.
        assert_eq!(plan(Verdict::Hold, true, true, true), Step::Withdraw);
        // Plasma keeps critical ones from quiet apps quiet too.
        assert_eq!(plan(Verdict::Hold, true, true, false), Step::Nothing);
    }

    #[test]
    fn a_crisis_is_reposted_with_critical_urgency_unless_already_on_screen_so() {
        assert_eq!(
            plan(Verdict::DeliverCrisis, true, false, true),
            Step::Repost {
                critical: true,
                withdraw: false
            }
        );
        assert_eq!(
            plan(Verdict::DeliverCrisis, true, true, true),
            Step::Nothing
        );
        assert_eq!(
            plan(Verdict::DeliverCrisis, true, true, false),
            Step::Repost {
                critical: true,
                withdraw: false
            }
        );
        // An ordinary banner on screen is replaced by the critical copy, not doubled.
        assert_eq!(
            plan(Verdict::DeliverCrisis, false, false, true),
            Step::Repost {
                critical: true,
                withdraw: true
            }
        );
    }

    #[test]
    fn dropped_ones_are_withdrawn_and_delivered_ones_left_alone() {
        assert_eq!(plan(Verdict::Drop, true, false, true), Step::Withdraw);
        assert_eq!(plan(Verdict::Deliver, false, false, true), Step::Nothing);
        assert_eq!(
            plan(Verdict::Deliver, true, false, false),
            Step::Repost {
                critical: false,
                withdraw: false
            }
        );
    }

    #[test]
    fn only_work_apps_without_an_account_get_their_switch_turned() {
        let settings = crate::settings::parse(
            "[[work_apps]]\nname = \"Slack\"\napp = \"slack\"\n\n\
             [[work_apps]]\nname = \"Gmail\"\napp = \"firefox\"\naccount = \"me@work.example\"\n",
            "t",
        )
        .unwrap();
        assert_eq!(steered_apps(&settings), vec!["slack".to_string()]);
    }

    #[test]
    fn desktop_ids_match_work_apps_as_the_engine_does() {
        assert!(id_matches("slack", "Slack"));
        assert!(id_matches("com.slack.Slack", "slack"));
        assert!(!id_matches("slackware-tool", "slack"));
    }

    #[test]
    fn a_repost_says_whose_it_is_under_couper_s_name() {
        let n = Notification {
            app: "slack".into(),
            summary: "Server down".into(),
            ..Default::default()
        };
        let copy = repost(&n, true);
        assert_eq!(copy.app, "Couper");
        assert_eq!(copy.summary, "slack — Server down");
        assert_eq!(copy.urgency, Urgency::Critical);
    }
}
