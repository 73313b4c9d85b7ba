//! Which notifications come from work (SPEC §1): a work source matches the notification's
//! `app_name` or its `desktop-entry` hint (case-insensitive; a reverse-DNS entry such as
//! `com.slack.Slack` also matches by its last part), narrowed, when the source names an
//! account, to notifications whose summary or body contains that text, and, when it names
//! sites, to notifications whose site (as the browser says it, [`Notification::site`]) is
//! one of them or a subdomain of one. Sources are tried in file order; the first match
//! wins.

use crate::notification::{on_site, Reading};
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
    account: Option<Account>,
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
                account: app.account.as_deref().and_then(Account::new),
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
    pub(crate) fn find(&self, n: &Reading<'_>) -> Result<usize, Miss> {
        let mut best: Option<usize> = None;
        let mut miss = Miss::App;
        let mut text: Option<String> = None;
        for key in n.app_names() {
            let Some(candidates) = self.lookup(key) else {
                continue;
            };
            for &index in candidates {
                if best.is_some_and(|b| b <= index) {
                    break;
                }
                if !self.site_matches(index, n) {
                    if miss == Miss::App {
                        miss = Miss::Site(n.site().map(str::to_string));
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
    fn site_matches(&self, index: usize, n: &Reading<'_>) -> bool {
        let Some(source) = self.sources.get(index).filter(|s| !s.sites.is_empty()) else {
            return true;
        };
        let Some(host) = n.site() else {
            return false;
        };
        source.sites.iter().any(|s| on_site(host, s))
    }

    fn account_matches(&self, index: usize, n: &Reading<'_>, text: &mut Option<String>) -> bool {
        let Some(account) = self.sources.get(index).and_then(|s| s.account.as_ref()) else {
            return true;
        };
        // The text as the user reads it: `R&D` matches a body a browser sent as `R&amp;D`,
        // and the site line the browser put first is not the page's text.
        let (summary, message) = (n.n.summary.as_str(), n.message());
        if let Some(ascii) = &account.ascii {
            if ascii_lowercase_is_lowercase(summary) && ascii_lowercase_is_lowercase(message) {
                return ascii.is_match(summary) || ascii.is_match(message);
            }
        }
        let text = text.get_or_insert_with(|| {
            let mut t = summary.to_lowercase();
            t.push('\n');
            t.push_str(&message.to_lowercase());
            t
        });
        text.contains(&account.lowercase)
    }
}

/// A source's account: the text, lowercase, that the summary or body must contain.
#[derive(Debug, Clone)]
struct Account {
    lowercase: String,
    /// For an ASCII account on one line (most are: an address, a page's name): a search
    /// that ignores ASCII case, so the text is not lowercased into a copy first.
    ascii: Option<aho_corasick::AhoCorasick>,
}

impl Account {
    fn new(account: &str) -> Option<Account> {
        let lowercase = account.to_lowercase();
        if lowercase.is_empty() {
            return None;
        }
        let ascii = (lowercase.is_ascii() && !lowercase.contains('\n'))
            .then(|| {
                aho_corasick::AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .build([lowercase.as_str()])
                    .ok()
            })
            .flatten();
        Some(Account { lowercase, ascii })
    }
}

/// Whether lowercasing `text` lowercases its ASCII letters and makes no other ASCII:
/// true unless it holds one of the two characters whose lowercase is ASCII, `İ` (`i`
/// and a dot above) and the Kelvin sign `K` (`k`). Then an ASCII text is found in
/// `text.to_lowercase()` exactly where a search that ignores ASCII case finds it in
/// `text`: every other character lowercases to characters that are not ASCII.
fn ascii_lowercase_is_lowercase(text: &str) -> bool {
    // Their UTF-8 begins with 0xC4 (U+0100..U+013F) or 0xE2 (U+2000..U+2FFF).
    text.is_ascii()
        || memchr::memchr2_iter(0xC4, 0xE2, text.as_bytes()).all(|at| {
            let rest = text.as_bytes().get(at..).unwrap_or_default();
            !rest.starts_with("\u{130}".as_bytes()) && !rest.starts_with("\u{212A}".as_bytes())
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notification::{HintValue, Notification};

    fn app(name: &str, app: &str, account: Option<&str>) -> WorkApp {
        WorkApp {
            name: name.into(),
            app: app.into(),
            account: account.map(Into::into),
            sites: Vec::new(),
            off_hours: OffHours::Hold,
        }
    }

    fn find(s: &Sources, n: &Notification) -> Result<usize, Miss> {
        s.find(&n.reading())
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
        assert_eq!(find(&s, &note("Slack", None, "a", "b")), Ok(0));
        assert_eq!(
            find(&s, &note("notify-send", Some("slack"), "a", "b")),
            Ok(0)
        );
        assert_eq!(
            find(&s, &note("x", Some("com.microsoft.Teams"), "a", "b")),
            Ok(1)
        );
        assert_eq!(find(&s, &note("WhatsApp", None, "a", "b")), Err(Miss::App));
    }

    #[test]
    fn only_two_characters_lowercase_to_ascii() {
        let to_ascii: Vec<char> = (0..=u32::from(char::MAX))
            .filter_map(char::from_u32)
            .filter(|c| !c.is_ascii() && c.to_lowercase().any(|l| l.is_ascii()))
            .collect();
        assert_eq!(to_ascii, ['\u{130}', '\u{212A}']);
    }

    proptest::proptest! {
        /// The search that ignores ASCII case matches exactly where the lowercase copy
        /// contains the account, whatever the text's characters.
        #[test]
        fn an_account_matches_as_in_the_lowercase_text(
            account in "(gwen@ouest|Gwen|k|i|ouest digital|[a-zA-Z@. ]){1,3}",
            summary in "(\u{212A}|\u{130}|GWEN@OUEST|Gwen|é|ß|Σ|[a-zA-Z@. \n]){0,8}",
            body in "(\u{212A}|\u{130}|gwen@ouest|K|I|&amp;|<b>|[a-zA-Z@. \n]){0,8}",
        ) {
            let s = Sources::new(&[app("Mail", "mail", Some(&account))]);
            let n = note("mail", None, &summary, &body);
            let text = format!("{}\n{}", summary.to_lowercase(), n.message().to_lowercase());
            let expected = text.contains(&account.to_lowercase());
            proptest::prop_assert_eq!(find(&s, &n).is_ok(), expected);
        }
    }

    #[test]
    fn account_narrows_a_browser_to_the_work_mailbox() {
        let s = Sources::new(&[app("Gmail (work)", "firefox", Some("Gwen@Ouest.Digital"))]);
        assert_eq!(
            find(
                &s,
                &note("Firefox", None, "New mail", "to gwen@ouest.digital")
            ),
            Ok(0)
        );
        assert_eq!(
            find(&s, &note("Firefox", None, "New mail", "to me@home.fr")),
            Err(Miss::Account)
        );
    }

    #[test]
    fn first_matching_source_in_file_order_wins() {
        let s = Sources::new(&[
            app("LinkedIn page", "firefox", Some("Ouest Digital")),
            app("All browser", "firefox", None),
        ]);
        assert_eq!(find(&s, &note("firefox", None, "Ouest Digital", "")), Ok(0));
        assert_eq!(find(&s, &note("firefox", None, "Other", "")), Ok(1));
    }

    #[test]
    fn a_site_source_says_the_site_it_missed_and_an_account_miss_is_nearer() {
        let mut linkedin = app("LinkedIn", "chromium", None);
        linkedin.sites = vec!["linkedin.com".into()];
        let s = Sources::new(&[linkedin.clone()]);
        let page = |line: &str| note("Chromium", Some("chromium"), "t", &format!("{line}\n\nhi"));
        assert_eq!(find(&s, &page("fr.linkedin.com")), Ok(0));
        assert_eq!(
            find(&s, &page("notlinkedin.com")),
            Err(Miss::Site(Some("notlinkedin.com".into())))
        );
        assert_eq!(
            find(&s, &note("Chromium", None, "t", "hi")),
            Err(Miss::Site(None))
        );
        let s = Sources::new(&[linkedin, app("Mail", "chromium", Some("gwen@"))]);
        assert_eq!(find(&s, &page("localhost:8080")), Err(Miss::Account));
        assert!(s.names_sites(0) && !s.names_sites(1));
    }
}
