//! Which notifications come from work (SPEC §1): a work source matches the notification's
//! `app_name` or its `desktop-entry` hint (case-insensitive; a reverse-DNS entry such as
//! `com.slack.Slack` also matches by its last part), narrowed, when the source names an
//! account, to notifications whose summary or body contains that text. Sources are tried
//! in file order; the first match wins.

use crate::notification::Notification;
use crate::settings::{OffHours, WorkApp};
use std::collections::HashMap;
use std::sync::Arc;

/// The app name of `couper alert` notifications.
pub const ALERT_APP: &str = "couper-alert";
/// The name of their built-in work source.
const ALERT_NAME: &str = "Couper alert";

#[derive(Debug, Clone)]
struct Source {
    name: Arc<str>,
    account: Option<String>,
    off_hours: OffHours,
}

/// The work sources, indexed by lowercase app.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sources {
    sources: Vec<Source>,
    by_app: HashMap<String, Vec<usize>>,
}

impl Sources {
    pub(crate) fn new(apps: &[WorkApp]) -> Sources {
        let mut sources = Sources::default();
        for (index, app) in apps.iter().enumerate() {
            sources.sources.push(Source {
                name: Arc::from(app.name.as_str()),
                account: app
                    .account
                    .as_deref()
                    .map(str::to_lowercase)
                    .filter(|a| !a.is_empty()),
                off_hours: app.off_hours,
            });
            sources
                .by_app
                .entry(app.app.to_lowercase())
                .or_default()
                .push(index);
        }
        // `couper alert` is always a work source, after the user's own.
        let index = sources.sources.len();
        sources.sources.push(Source {
            name: Arc::from(ALERT_NAME),
            account: None,
            off_hours: OffHours::Hold,
        });
        sources
            .by_app
            .entry(ALERT_APP.to_string())
            .or_default()
            .push(index);
        sources
    }

    /// The first source matching `n`, by index.
    pub(crate) fn find(&self, n: &Notification) -> Option<usize> {
        let mut best: Option<usize> = None;
        let mut text: Option<String> = None;
        for key in n.app_names() {
            let Some(candidates) = self.lookup(key) else {
                continue;
            };
            for &index in candidates {
                if best.is_some_and(|b| b <= index) {
                    break;
                }
                if self.account_matches(index, n, &mut text) {
                    best = Some(index);
                    break;
                }
            }
        }
        best
    }

    /// Whether some work source names `n`'s app, whatever its account.
    pub(crate) fn knows_app(&self, n: &Notification) -> bool {
        n.app_names().any(|key| self.lookup(key).is_some())
    }

    pub(crate) fn name(&self, index: usize) -> Arc<str> {
        self.sources
            .get(index)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| Arc::from(""))
    }

    pub(crate) fn off_hours(&self, index: usize) -> OffHours {
        self.sources
            .get(index)
            .map(|s| s.off_hours)
            .unwrap_or_default()
    }

    fn lookup(&self, key: &str) -> Option<&Vec<usize>> {
        if key.bytes().any(|b| b.is_ascii_uppercase()) || !key.is_ascii() {
            self.by_app.get(&key.to_lowercase())
        } else {
            self.by_app.get(key)
        }
    }

    fn account_matches(&self, index: usize, n: &Notification, text: &mut Option<String>) -> bool {
        let Some(account) = self.sources.get(index).and_then(|s| s.account.as_deref()) else {
            return true;
        };
        // The text as the user reads it: `R&D` matches a body a browser sent as `R&amp;D`.
        let text = text.get_or_insert_with(|| {
            let mut t = n.summary.to_lowercase();
            t.push('\n');
            t.push_str(&n.readable_body().to_lowercase());
            t
        });
        text.contains(account)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notification::HintValue;

    fn app(name: &str, app: &str, account: Option<&str>) -> WorkApp {
        WorkApp {
            name: name.into(),
            app: app.into(),
            account: account.map(Into::into),
            off_hours: OffHours::Hold,
        }
    }

    fn note(app: &str, entry: Option<&str>, summary: &str, body: &str) -> Notification {
        let mut n = Notification {
            app: app.into(),
            summary: summary.into(),
            body: body.into(),
            ..Default::default()
        };
        if let Some(e) = entry {
            n.hints
                .insert("desktop-entry".into(), HintValue::Str(e.into()));
        }
        n
    }

    #[test]
    fn app_name_and_desktop_entry_match_case_insensitively() {
        let s = Sources::new(&[app("Slack", "slack", None), app("Teams", "teams", None)]);
        assert_eq!(s.find(&note("Slack", None, "a", "b")), Some(0));
        assert_eq!(
            s.find(&note("notify-send", Some("slack"), "a", "b")),
            Some(0)
        );
        assert_eq!(
            s.find(&note("x", Some("com.microsoft.Teams"), "a", "b")),
            Some(1)
        );
        assert_eq!(s.find(&note("WhatsApp", None, "a", "b")), None);
    }

    #[test]
    fn account_narrows_a_browser_to_the_work_mailbox() {
        let s = Sources::new(&[app("Gmail (work)", "firefox", Some("Gwen@Ouest.Digital"))]);
        assert_eq!(
            s.find(&note("Firefox", None, "New mail", "to gwen@ouest.digital")),
            Some(0)
        );
        assert_eq!(
            s.find(&note("Firefox", None, "New mail", "to me@home.fr")),
            None
        );
    }

    #[test]
    fn first_matching_source_in_file_order_wins() {
        let s = Sources::new(&[
            app("LinkedIn page", "firefox", Some("Ouest Digital")),
            app("All browser", "firefox", None),
        ]);
        assert_eq!(s.find(&note("firefox", None, "Ouest Digital", "")), Some(0));
        assert_eq!(s.find(&note("firefox", None, "Other", "")), Some(1));
    }
}
