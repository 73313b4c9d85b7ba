//! Which notifications come from work (SPEC §1): a work source matches the notification's
//! `app_name` or its `desktop-entry` hint (case-insensitive; a reverse-DNS entry such as
//! `com.slack.Slack` also matches by its last part), narrowed, when the source names an
//! account, to notifications whose summary or body contains that text, and, when it names
//! sites, to notifications whose site (as the browser says it, [`Notification::site`]) is
//! one of them or a subdomain of one. Sources are tried in file order; the first match
//! wins.

use crate::notification::{on_site, Notification};
use crate::settings::{OffHours, WorkApp};
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// The app name of `couper alert` notifications.
pub const ALERT_APP: &str = "couper-alert";
/// The name of their built-in work source.
const ALERT_NAME: &str = "Couper alert";

#[derive(Debug, Clone)]
struct Source {
    name: Arc<str>,
    account: Option<String>,
    /// Lowercase hosts; empty: every site.
    sites: Vec<String>,
    off_hours: OffHours,
}

/// App names up to this long are lowercased without allocating.
const SHORT_KEY: usize = 64;

/// Why no work source matched a notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Miss {
    /// No source names its app.
    App,
    /// Its app's sources name sites, and its site (if it says one) is none of them.
    Site(Option<String>),
    /// Its app's sources are for other accounts.
    Account,
}

/// The work sources, indexed by lowercase app.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sources {
    sources: Vec<Source>,
    /// Hashed with Fx: the keys are short app names the user wrote, looked up on every
    /// notification, where SipHash's resistance to chosen keys buys nothing.
    by_app: FxHashMap<String, Vec<usize>>,
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
                sites: app.sites.iter().map(|s| s.to_lowercase()).collect(),
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
            sites: Vec::new(),
            off_hours: OffHours::Hold,
        });
        sources
            .by_app
            .entry(ALERT_APP.to_string())
            .or_default()
            .push(index);
        sources
    }

    /// The first source matching `n`, by index, or why none of its app's did.
    pub(crate) fn find(&self, n: &Notification) -> Result<usize, Miss> {
        let mut best: Option<usize> = None;
        let mut miss = Miss::App;
        let mut text: Option<String> = None;
        let mut site: Option<Option<String>> = None;
        for key in n.app_names() {
            let Some(candidates) = self.lookup(key) else {
                continue;
            };
            for &index in candidates {
                if best.is_some_and(|b| b <= index) {
                    break;
                }
                if !self.site_matches(index, n, &mut site) {
                    if miss == Miss::App {
                        miss = Miss::Site(site.clone().flatten());
                    }
                    continue;
                }
                if self.account_matches(index, n, &mut text) {
                    best = Some(index);
                    break;
                }
                // The nearest miss: the site was right (or any), the account was not.
                miss = Miss::Account;
            }
        }
        best.ok_or(miss)
    }

    /// Whether source `index` names sites (a browser's, whose urgency is not a crisis).
    pub(crate) fn names_sites(&self, index: usize) -> bool {
        self.sources.get(index).is_some_and(|s| !s.sites.is_empty())
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
        if !key.is_ascii() {
            return self.by_app.get(&key.to_lowercase());
        }
        if !key.bytes().any(|b| b.is_ascii_uppercase()) {
            return self.by_app.get(key);
        }
        // Most names are short ASCII (`Slack`, `WorkApp12`): lowercased on the stack.
        let mut buffer = [0u8; SHORT_KEY];
        match buffer.get_mut(..key.len()) {
            Some(lower) => {
                lower.copy_from_slice(key.as_bytes());
                lower.make_ascii_lowercase();
                let lower = std::str::from_utf8(lower).ok()?;
                self.by_app.get(lower)
            }
            None => self.by_app.get(&key.to_ascii_lowercase()),
        }
    }

    /// Whether `n`'s site is one of source `index`'s (any site when it names none).
    fn site_matches(
        &self,
        index: usize,
        n: &Notification,
        site: &mut Option<Option<String>>,
    ) -> bool {
        let Some(source) = self.sources.get(index).filter(|s| !s.sites.is_empty()) else {
            return true;
        };
        let Some(host) = site.get_or_insert_with(|| n.site()) else {
            return false;
        };
        source.sites.iter().any(|s| on_site(host, s))
    }

    fn account_matches(&self, index: usize, n: &Notification, text: &mut Option<String>) -> bool {
        let Some(account) = self.sources.get(index).and_then(|s| s.account.as_deref()) else {
            return true;
        };
        // The text as the user reads it: `R&D` matches a body a browser sent as `R&amp;D`,
        // and the site line the browser put first is not the page's text.
        let text = text.get_or_insert_with(|| {
            let mut t = n.summary.to_lowercase();
            t.push('\n');
            t.push_str(&n.message().to_lowercase());
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
            sites: Vec::new(),
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
        assert_eq!(s.find(&note("Slack", None, "a", "b")), Ok(0));
        assert_eq!(s.find(&note("notify-send", Some("slack"), "a", "b")), Ok(0));
        assert_eq!(
            s.find(&note("x", Some("com.microsoft.Teams"), "a", "b")),
            Ok(1)
        );
        assert_eq!(s.find(&note("WhatsApp", None, "a", "b")), Err(Miss::App));
    }

    #[test]
    fn account_narrows_a_browser_to_the_work_mailbox() {
        let s = Sources::new(&[app("Gmail (work)", "firefox", Some("Gwen@Ouest.Digital"))]);
        assert_eq!(
            s.find(&note("Firefox", None, "New mail", "to gwen@ouest.digital")),
            Ok(0)
        );
        assert_eq!(
            s.find(&note("Firefox", None, "New mail", "to me@home.fr")),
            Err(Miss::Account)
        );
    }

    #[test]
    fn first_matching_source_in_file_order_wins() {
        let s = Sources::new(&[
            app("LinkedIn page", "firefox", Some("Ouest Digital")),
            app("All browser", "firefox", None),
        ]);
        assert_eq!(s.find(&note("firefox", None, "Ouest Digital", "")), Ok(0));
        assert_eq!(s.find(&note("firefox", None, "Other", "")), Ok(1));
    }

    #[test]
    fn a_site_source_says_the_site_it_missed_and_an_account_miss_is_nearer() {
        let mut linkedin = app("LinkedIn", "chromium", None);
        linkedin.sites = vec!["linkedin.com".into()];
        let s = Sources::new(&[linkedin.clone()]);
        let page = |line: &str| note("Chromium", Some("chromium"), "t", &format!("{line}\n\nhi"));
        assert_eq!(s.find(&page("fr.linkedin.com")), Ok(0));
        assert_eq!(
            s.find(&page("notlinkedin.com")),
            Err(Miss::Site(Some("notlinkedin.com".into())))
        );
        assert_eq!(
            s.find(&note("Chromium", None, "t", "hi")),
            Err(Miss::Site(None))
        );
        let s = Sources::new(&[linkedin, app("Mail", "chromium", Some("gwen@"))]);
        assert_eq!(s.find(&page("localhost:8080")), Err(Miss::Account));
        assert!(s.names_sites(0) && !s.names_sites(1));
    }
}
