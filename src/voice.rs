//! Couper's own voice: the notifications Couper itself writes (the digest, its warnings),
//! posted with notify-rust as an app of the session, through `org.freedesktop.Notifications`
//! on the session bus, whoever serves it: Couper's own gate on the proxy route (which knows
//! its own process and forwards them at once, see `gate/server.rs`), the session's daemon
//! while that route has failed open. Their actions come back through notify-rust's response
//! handling: **Show held** (or a warning's **Details**) opens the window on its tab,
//! **Release all** releases.
//!
//! Apps' notifications that Couper shows again (a release while it fails open, the steer
//! route's copies) keep their own words and hints: [`post`] sends them as they are.

use std::sync::Arc;

use jiff::Timestamp;
use notify_rust::NotificationResponse;
use tokio_util::sync::CancellationToken;
use zbus::Connection;

use crate::gate::{wire, NOTIFICATIONS};
use crate::live::{Live, LiveStatus};
use crate::notification::{Notification, Urgency};
use crate::t;
use crate::words::Lang;

/// How long the calendar may stay unread before Couper says so.
pub const CALENDAR_STALE_AFTER: jiff::SignedDuration = jiff::SignedDuration::from_hours(24);

/// The digest's actions: its body and **Show held** open the Held tab, **Release all**
/// releases everything held.
pub(crate) const OPEN: &str = "open";
pub(crate) const RELEASE: &str = "release";

/// Posts `n` on `session` (with critical urgency for a `crisis`) as it is, hints and all;
/// returns the id the server gave it.
pub async fn post(session: &Connection, n: &Notification, crisis: bool) -> zbus::Result<u32> {
    wire::notify(session, NOTIFICATIONS, n, 0, crisis, &wire::Extras::new()).await
}

/// Why a notification of Couper's own could not be posted.
#[derive(Debug, thiserror::Error)]
#[error("posting Couper's own notification: {0}")]
pub struct VoiceError(#[from] notify_rust::error::Error);

/// Why Couper warns the user, beside the digest; each cause is said once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// Couper stands aside (fails open): no display daemon could start, or one the user
    /// started holds the name. The reason, in one line.
    NotGating(String),
    /// The steer route lost the desktop shell.
    ShellLost(String),
    /// The on-call calendar cannot be read since then (its last good copy is in use).
    CalendarStale(Timestamp),
    /// A settings edit was refused: the refusal, with its line.
    SettingsRefused(String),
}

impl Warning {
    /// The window's tab that says more (see `ui/src/App.svelte`'s tabs).
    pub fn tab(&self) -> &'static str {
        match self {
            Warning::NotGating(_) | Warning::ShellLost(_) | Warning::SettingsRefused(_) => {
                "diagnostics"
            }
            Warning::CalendarStale(_) => "crisis",
        }
    }

    /// The warning as a notification, in `lang`; `zone` says the calendar's time.
    pub fn notification(&self, lang: Lang, zone: &jiff::tz::TimeZone) -> Notification {
        let (summary, body) = match self {
            Warning::NotGating(why) => (
                t!(lang, "warning-not-gating-summary"),
                t!(lang, "warning-not-gating-body", why = why.as_str()),
            ),
            Warning::ShellLost(why) => (
                t!(lang, "warning-shell-lost-summary"),
                t!(lang, "warning-shell-lost-body", why = why.as_str()),
            ),
            Warning::CalendarStale(since) => {
                let now = Timestamp::now().to_zoned_datetime(zone.clone());
                let when = crate::words::short(&now, &since.to_zoned_datetime(zone.clone()), lang);
                (
                    t!(lang, "warning-calendar-stale-summary"),
                    t!(lang, "warning-calendar-stale-body", since = when),
                )
            }
            Warning::SettingsRefused(refusal) => (
                t!(lang, "warning-settings-refused-summary"),
                t!(
                    lang,
                    "warning-settings-refused-body",
                    why = refusal.as_str()
                ),
            ),
        };
        let details = t!(lang, "warning-details");
        Notification {
            app: "Couper".into(),
            summary,
            body,
            icon: "dialog-warning".into(),
            actions: vec![OPEN.into(), details],
            expire_timeout: -1,
            ..Notification::default()
        }
    }
}

/// The warnings due in `status` at `now`, and when the next one may fall due (the
/// calendar's day) if nothing else changes.
pub fn due(status: &LiveStatus, now: Timestamp) -> (Vec<Warning>, Option<Timestamp>) {
    due_from(
        status.not_gating.as_ref().map(|why| why.reason.as_str()),
        status.settings_refused.as_deref(),
        status.calendar_stale_since,
        now,
    )
}

/// [`due`] from the status's three causes.
fn due_from(
    not_gating: Option<&str>,
    refused: Option<&str>,
    stale_since: Option<Timestamp>,
    now: Timestamp,
) -> (Vec<Warning>, Option<Timestamp>) {
    let mut due = Vec::new();
    let mut next = None;
    if let Some(why) = not_gating {
        due.push(Warning::NotGating(why.to_string()));
    }
    if let Some(refusal) = refused {
        due.push(Warning::SettingsRefused(refusal.to_string()));
    }
    if let Some(since) = stale_since {
        let at = since.checked_add(CALENDAR_STALE_AFTER).unwrap_or(since);
        if at <= now {
            due.push(Warning::CalendarStale(since));
        } else {
            next = Some(at);
        }
    }
    (due, next)
}

/// The cause last said of each kind: a warning is said when its cause differs.
#[derive(Debug, Default)]
pub struct Said {
    not_gating: Option<String>,
    refused: Option<String>,
    stale: Option<Timestamp>,
    shell: Option<String>,
}

impl Said {
    /// Whether `warning` is new (and remembers it): at most once per cause.
    pub fn first(&mut self, warning: &Warning) -> bool {
        fn remember<T: PartialEq + Clone>(slot: &mut Option<T>, cause: &T) -> bool {
            if slot.as_ref() == Some(cause) {
                return false;
            }
            *slot = Some(cause.clone());
            true
        }
        match warning {
            Warning::NotGating(why) => remember(&mut self.not_gating, why),
            Warning::SettingsRefused(line) => remember(&mut self.refused, line),
            Warning::CalendarStale(since) => remember(&mut self.stale, since),
            Warning::ShellLost(why) => remember(&mut self.shell, why),
        }
    }
}

/// Says the warnings as they fall due, each once per cause, until `shutdown`: at every
/// change of the status, and when the calendar's day is over.
pub(crate) async fn watch_warnings(live: Arc<Live>, shutdown: CancellationToken) {
    let mut changes = live.subscribe();
    let mut said = Said::default();
    loop {
        let (due, next) = due(&live.status(), Timestamp::now());
        for warning in due.iter().filter(|w| said.first(w)) {
            warn(&live, warning).await;
        }
        let wait = next
            .and_then(|at| at.duration_since(Timestamp::now()).try_into().ok())
            .unwrap_or(std::time::Duration::MAX);
        tokio::select! {
            () = shutdown.cancelled() => return,
            changed = changes.changed() => if changed.is_err() { return },
            () = sleep(wait) => {}
        }
    }
}

async fn sleep(wait: std::time::Duration) {
    match tokio::time::Instant::now().checked_add(wait) {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// Says `warning` now, and logs it: when no daemon can show it (Couper failed open and
/// none serves the session), the log is all that is left.
pub(crate) async fn warn(live: &Arc<Live>, warning: &Warning) {
    let (zone, lang) = live.read(|s| (s.engine().settings().timezone.clone(), s.lang()));
    let n = warning.notification(lang, &zone);
    tracing::warn!("{}: {}", n.summary, n.body);
    if let Err(e) = say(live, &n, warning.tab()).await {
        tracing::warn!("the warning could not be shown: {e}");
    }
}

/// Posts the digest, with its actions in the user's language: Show held, Release all.
pub(crate) async fn digest(live: &Arc<Live>, n: &Notification) -> Result<u32, VoiceError> {
    let lang = live.read(|s| s.lang());
    let show = t!(lang, "digest-show-held");
    let release = t!(lang, "digest-release-all");
    let mut n = n.clone();
    n.actions = vec![
        "default".into(),
        show.clone(),
        OPEN.into(),
        show,
        RELEASE.into(),
        release,
    ];
    say(live, &n, "held").await
}

/// Posts `n` with notify-rust and carries out the action the user picks on it: its body
/// or [`OPEN`] shows the window on `tab`, [`RELEASE`] releases everything held.
async fn say(live: &Arc<Live>, n: &Notification, tab: &'static str) -> Result<u32, VoiceError> {
    let handle = to_notify_rust(n).show_async().await?;
    let id = handle.id();
    let live = live.clone();
    tokio::spawn(async move {
        let mut picked = None;
        handle
            .wait_for_action_async(|response| picked = Some(response.clone()))
            .await;
        match picked {
            Some(NotificationResponse::Default) => open(&live, tab).await,
            Some(NotificationResponse::Action(key)) if key == OPEN => open(&live, tab).await,
            Some(NotificationResponse::Action(key)) if key == RELEASE => {
                let releaser = live.clone();
                match tokio::task::spawn_blocking(move || releaser.release(Vec::new(), true)).await
                {
                    Ok(Ok(count)) => tracing::info!(count, "released from the digest"),
                    Ok(Err(e)) => tracing::error!("release from the digest: {e}"),
                    Err(e) => tracing::error!("release from the digest: {e}"),
                }
            }
            _ => {}
        }
    });
    Ok(id)
}

/// Shows the window on `tab`; with no window to show (`couper run`), says which command
/// shows the same in a terminal.
async fn open(live: &Arc<Live>, tab: &'static str) {
    if live.open_window(tab) {
        return;
    }
    let command = match tab {
        "held" => "couper held",
        "hours" => "couper check",
        _ => "couper status",
    };
    let lang = live.read(|s| s.lang());
    let summary = t!(lang, "no-window-summary");
    let body = t!(lang, "no-window-body", command = command);
    tracing::info!("{summary}: {body}");
    let n = Notification {
        app: "Couper".into(),
        summary,
        body,
        icon: "couper".into(),
        expire_timeout: -1,
        ..Notification::default()
    };
    if let Err(e) = to_notify_rust(&n).show_async().await {
        tracing::warn!("{e}");
    }
}

fn to_notify_rust(n: &Notification) -> notify_rust::Notification {
    let mut out = notify_rust::Notification::new();
    out.appname(&n.app)
        .summary(&n.summary)
        .body(&n.body)
        .icon(&n.icon)
        .urgency(match n.urgency {
            Urgency::Low => notify_rust::Urgency::Low,
            Urgency::Normal => notify_rust::Urgency::Normal,
            Urgency::Critical => notify_rust::Urgency::Critical,
        })
        .timeout(match n.expire_timeout {
            0 => notify_rust::Timeout::Never,
            ms if ms > 0 => notify_rust::Timeout::Milliseconds(ms.unsigned_abs()),
            _ => notify_rust::Timeout::Default,
        });
    for pair in n.actions.chunks_exact(2) {
        out.action(&pair[0], &pair[1]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_warning_is_said_once_per_cause() {
        let mut said = Said::default();
        let refused = |line: &str| Warning::SettingsRefused(line.into());
        assert!(said.first(&refused("settings.toml:3: bad")));
        assert!(!said.first(&refused("settings.toml:3: bad")));
        assert!(said.first(&refused("settings.toml:9: worse")));
        assert!(said.first(&Warning::NotGating("no daemon".into())));
        assert!(!said.first(&Warning::NotGating("no daemon".into())));
    }

    #[test]
    fn a_calendar_unread_for_a_day_is_due_at_the_end_of_that_day_not_before() {
        let since: Timestamp = "2026-12-01T08:00:00Z".parse().expect("since");
        let at = |t: &str| t.parse::<Timestamp>().expect("now");
        let (due, next) = due_from(None, None, Some(since), at("2026-12-02T07:59:00Z"));
        assert!(due.is_empty(), "{due:?}");
        assert_eq!(next, Some(at("2026-12-02T08:00:00Z")));
        let (due, next) = due_from(None, None, Some(since), at("2026-12-02T08:00:00Z"));
        assert_eq!(due, [Warning::CalendarStale(since)]);
        assert_eq!(next, None);
    }

    #[test]
    fn every_warning_has_french_and_english_words_and_a_tab() {
        let zone = jiff::tz::TimeZone::get("Europe/Paris").expect("zone");
        for warning in [
            Warning::NotGating("no display daemon could start".into()),
            Warning::ShellLost("the session bus closed".into()),
            Warning::CalendarStale(Timestamp::UNIX_EPOCH),
            Warning::SettingsRefused("settings.toml:3: bad".into()),
        ] {
            let en = warning.notification(Lang::En, &zone);
            let fr = warning.notification(Lang::Fr, &zone);
            assert_ne!(en.summary, fr.summary);
            assert_eq!(en.actions[0], OPEN);
            assert!(["diagnostics", "crisis"].contains(&warning.tab()));
        }
    }
}
