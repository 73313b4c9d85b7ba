//! A notification as Couper keeps it: what an app sent through `Notify`, in plain types
//! that serialize (the held queue stores it) and that the engine reads.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The urgency hint of the freedesktop spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Urgency {
    /// 0.
    Low,
    /// 1, the default.
    #[default]
    Normal,
    /// 2.
    Critical,
}

impl Urgency {
    /// The freedesktop byte value.
    pub fn as_byte(self) -> u8 {
        match self {
            Urgency::Low => 0,
            Urgency::Normal => 1,
            Urgency::Critical => 2,
        }
    }

    /// From the freedesktop byte value (anything above 2 is critical).
    pub fn from_byte(b: u8) -> Urgency {
        match b {
            0 => Urgency::Low,
            1 => Urgency::Normal,
            _ => Urgency::Critical,
        }
    }
}

/// A hint value, in the few shapes the freedesktop spec uses.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum HintValue {
    /// `s`
    Str(String),
    /// `b`
    Bool(bool),
    /// `y`
    Byte(u8),
    /// `i`
    Int(i32),
    /// `u`
    Uint(u32),
    /// `ay` and anything else kept as raw bytes.
    Bytes(Vec<u8>),
}

/// One notification.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Notification {
    /// `app_name`.
    pub app: String,
    /// `summary`.
    pub summary: String,
    /// `body`.
    #[serde(default)]
    pub body: String,
    /// `app_icon`.
    #[serde(default)]
    pub icon: String,
    /// `actions`, as the flat key/label list of the spec.
    #[serde(default)]
    pub actions: Vec<String>,
    /// The hints Couper keeps (urgency and image data are not among them).
    #[serde(default)]
    pub hints: BTreeMap<String, HintValue>,
    /// The urgency hint.
    #[serde(default)]
    pub urgency: Urgency,
    /// `expire_timeout` in ms; -1 the server's default.
    #[serde(default = "default_timeout")]
    pub expire_timeout: i32,
}

fn default_timeout() -> i32 {
    -1
}

/// `text` with markup tags removed and entities decoded (see
/// [`Notification::readable_body`]). A `<` that opens no tag (`a < b`, `<3`) stays.
pub fn readable(text: &str) -> std::borrow::Cow<'_, str> {
    if memchr::memchr2(b'<', b'&', text.as_bytes()).is_none() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut plain = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        let (before, from) = rest.split_at(open);
        plain.push_str(before);
        let opens_tag = from[1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
        match from.find('>') {
            Some(close) if opens_tag => rest = &from[close + 1..],
            _ => {
                plain.push('<');
                rest = &from[1..];
            }
        }
    }
    plain.push_str(rest);
    std::borrow::Cow::Owned(html_escape::decode_html_entities(&plain).into_owned())
}

/// The web browsers' app names and desktop entries (a work profile's `firefox-work` or
/// `chromium-work` begins with one).
const BROWSERS: [&str; 12] = [
    "chromium",
    "google-chrome",
    "chrome",
    "firefox",
    "brave",
    "microsoft-edge",
    "vivaldi",
    "opera",
    "epiphany",
    "librewolf",
    "floorp",
    "zen",
];

/// The browsers that begin the body with the site (Chromium and those built on it): only
/// from them does a leading site line say where the notification comes from.
const SITE_IN_BODY: [&str; 6] = [
    "chromium",
    "google-chrome",
    "chrome",
    "brave",
    "microsoft-edge",
    "vivaldi",
];

/// Whether one of `names` is `browser` or begins with it and a separator
/// (`chromium-work`, `firefox-esr`).
fn names_one_of<'a>(mut names: impl Iterator<Item = &'a str>, browsers: &[&str]) -> bool {
    // Compared in place, case-insensitively (the engine asks this on every
    // notification: no lowercase copy).
    names.any(|name| {
        // Most names are no browser's from their first letter.
        let first = name.as_bytes().first().map(u8::to_ascii_lowercase);
        browsers.iter().any(|b| {
            b.as_bytes().first() == first.as_ref()
                && name
                    .get(..b.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(b))
                && name
                    .get(b.len()..)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(['-', '_', ' ']))
        })
    })
}

/// The host a browser's site text names, lowercase, without scheme, port or path:
/// `https://Mail.Example.org/` and `mail.example.org:8443` are `mail.example.org`.
/// `None` when it is not a host name (letters, digits and `-` in dot-separated labels).
pub fn site_host(text: &str) -> Option<String> {
    let text = text.trim();
    let rest = match text.split_once("://") {
        Some((scheme, rest)) if !scheme.is_empty() && scheme.chars().all(char::is_alphanumeric) => {
            rest
        }
        Some(_) => return None,
        None => text,
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => host,
        Some(_) => return None,
        None => authority,
    };
    let host = host.strip_suffix('.').unwrap_or(host).to_lowercase();
    is_host(&host).then_some(host)
}

/// Whether `host` is a host name: dot-separated labels of letters, digits and `-`, none
/// empty nor starting or ending with `-`.
pub fn is_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.chars().count() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

/// Whether `host` is `site` or one of its subdomains: `www.linkedin.com` is on
/// `linkedin.com`, `evil-linkedin.com` is not. Both lowercase.
pub fn on_site(host: &str, site: &str) -> bool {
    host.strip_suffix(site)
        .is_some_and(|before| before.is_empty() || before.ends_with('.'))
}

/// The site line a Chromium-family browser begins the body with, and where the page's
/// text starts after it: `<a href="https://mail.example.org/">mail.example.org</a>\n\n`
/// (a server with `body-hyperlinks`) or `mail.example.org\n\n`.
fn leading_site(body: &str) -> Option<(String, usize)> {
    let (line, _) = body.split_once("\n\n")?;
    let after = line.len() + 2;
    if let Some(link) = line.strip_prefix("<a href=\"") {
        let (href, rest) = link.split_once('"')?;
        let text = rest.strip_prefix('>')?.strip_suffix("</a>")?;
        let host = site_host(&readable(href)).or_else(|| site_host(&readable(text)))?;
        return Some((host, after));
    }
    Some((site_host(&readable(line))?, after))
}

/// A notification as the engine reads it to decide, each part worked out once however
/// often it is asked for: the names its app goes by, whether a browser sent it (and one
/// that begins the body with the site), the site, and the page's text. A decision asks
/// for these several times (the work sources, the accounts, the crisis rules).
#[derive(Debug)]
pub struct Reading<'a> {
    /// The notification.
    pub n: &'a Notification,
    names: [Option<&'a str>; 3],
    browser: bool,
    site_in_body: bool,
    origin: Option<&'a str>,
    site: std::cell::OnceCell<Option<String>>,
    message: std::cell::OnceCell<std::borrow::Cow<'a, str>>,
}

impl<'a> Reading<'a> {
    fn new(n: &'a Notification) -> Reading<'a> {
        let names = n.names();
        let named = || names.iter().flatten().copied();
        let origin = match n.hints.get("x-kde-origin-name") {
            Some(HintValue::Str(origin)) => Some(origin.as_str()),
            _ => None,
        };
        let browser = names_one_of(named(), &BROWSERS);
        Reading {
            n,
            names,
            browser,
            // Those browsers are among the others.
            site_in_body: browser && origin.is_none() && names_one_of(named(), &SITE_IN_BODY),
            origin,
            site: std::cell::OnceCell::new(),
            message: std::cell::OnceCell::new(),
        }
    }

    /// The names the app goes by: see [`Notification::app_names`].
    pub fn app_names(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.names.iter().flatten().copied()
    }

    /// See [`Notification::from_browser`].
    pub fn from_browser(&self) -> bool {
        self.browser
    }

    /// See [`Notification::site`].
    pub fn site(&self) -> Option<&str> {
        self.site
            .get_or_init(|| match self.origin {
                Some(origin) => site_host(origin),
                None if self.site_in_body => leading_site(&self.n.body).map(|(host, _)| host),
                None => None,
            })
            .as_deref()
    }

    /// See [`Notification::message`].
    pub fn message(&self) -> &str {
        self.message.get_or_init(|| self.read_message())
    }

    fn into_message(mut self) -> std::borrow::Cow<'a, str> {
        match self.message.take() {
            Some(message) => message,
            None => self.read_message(),
        }
    }

    fn read_message(&self) -> std::borrow::Cow<'a, str> {
        let body = self.n.body.as_str();
        if self.site_in_body {
            if let Some((_, after)) = leading_site(body) {
                return std::borrow::Cow::Owned(readable(&body[after..]).into_owned());
            }
        }
        readable(body)
    }
}

impl Notification {
    /// The site a web browser says this notification is for, lowercase, without port:
    /// the `x-kde-origin-name` hint, else the leading site line of a Chromium-family
    /// browser's body. A page's own text never counts (Chromium puts the site before
    /// it; Firefox names none).
    pub fn site(&self) -> Option<String> {
        self.reading().site().map(str::to_string)
    }

    /// The page's text as the user reads it: the body without the leading site line
    /// (see [`Notification::site`]), markup removed and entities decoded. Accounts,
    /// keywords and senders are matched against it.
    pub fn message(&self) -> std::borrow::Cow<'_, str> {
        self.reading().into_message()
    }

    /// Whether a web browser sent it (by its app name or desktop entry). A page cannot
    /// set the urgency: the browser makes a `requireInteraction` notification critical.
    pub fn from_browser(&self) -> bool {
        self.reading().from_browser()
    }

    /// What is read of it to decide, worked out once: see [`Reading`].
    pub fn reading(&self) -> Reading<'_> {
        Reading::new(self)
    }

    /// The names the app goes by: its `app_name`, its desktop entry (without
    /// `.desktop`) and, for a reverse-DNS entry such as `com.slack.Slack`, its last part.
    pub fn app_names(&self) -> impl Iterator<Item = &str> {
        self.names().into_iter().flatten()
    }

    fn names(&self) -> [Option<&str>; 3] {
        let entry = self.desktop_entry().map(|mut e| {
            // `trim_end_matches(".desktop")`, without building a substring searcher
            // (this is asked for every notification).
            while let Some(rest) = e.strip_suffix(".desktop") {
                e = rest;
            }
            e
        });
        let last = entry.and_then(|e| e.rsplit_once('.').map(|(_, last)| last));
        [Some(self.app.as_str()), entry, last]
    }

    /// The body as the user reads it: markup tags removed (`<b>`, `<a href=…>`, as the
    /// spec's `body-markup` allows) and entities decoded (`&amp;` is `&`). Borrowed when
    /// there is neither.
    pub fn readable_body(&self) -> std::borrow::Cow<'_, str> {
        readable(&self.body)
    }

    /// The `desktop-entry` hint, if any.
    pub fn desktop_entry(&self) -> Option<&str> {
        match self.hints.get("desktop-entry") {
            Some(HintValue::Str(s)) => Some(s),
            _ => None,
        }
    }

    /// Whether the `x-couper-crisis` hint says true (a boolean, or "true"/1).
    pub fn crisis_hint(&self) -> bool {
        match self.hints.get("x-couper-crisis") {
            Some(HintValue::Bool(b)) => *b,
            Some(HintValue::Str(s)) => s.eq_ignore_ascii_case("true") || s == "1",
            Some(HintValue::Byte(b)) => *b != 0,
            Some(HintValue::Int(i)) => *i != 0,
            Some(HintValue::Uint(u)) => *u != 0,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_as_read_has_no_tags_and_no_entities_and_keeps_a_lone_less_than() {
        assert_eq!(readable("R&amp;D <b>team</b>"), "R&D team");
        assert_eq!(readable("a < b &lt;3 &#233;t&eacute;"), "a < b <3 été");
        assert!(matches!(
            readable("plain"),
            std::borrow::Cow::Borrowed("plain")
        ));
        let browser = |app: &str, entry: &str| Notification {
            app: app.into(),
            hints: [("desktop-entry".to_string(), HintValue::Str(entry.into()))].into(),
            ..Default::default()
        };
        assert!(browser("Firefox", "firefox-esr").from_browser());
        assert!(browser("Chromium", "chromium-work").from_browser());
        assert!(browser("x", "org.gnome.Epiphany").from_browser());
        assert!(!browser("Slack", "slack").from_browser());
        assert!(!browser("Chromecast helper", "chromecast").from_browser());
    }

    #[test]
    fn the_site_is_the_hint_or_a_chromium_bodys_leading_link_or_line() {
        let from = |entry: &str, body: &str| Notification {
            app: "x".into(),
            body: body.into(),
            hints: [("desktop-entry".to_string(), HintValue::Str(entry.into()))].into(),
            ..Default::default()
        };
        let link =
            "<a href=\"https://Mail.Example.org/\">mail.example.org</a>\n\nR&amp;D <b>news</b>";
        let n = from("chromium", link);
        assert_eq!(n.site().as_deref(), Some("mail.example.org"));
        assert_eq!(n.message(), "R&D news");
        let n = from("chromium-work", "127.0.0.1:8080\n\nBuild done\n\nall green");
        assert_eq!(n.site().as_deref(), Some("127.0.0.1"));
        assert_eq!(n.message(), "Build done\n\nall green");
        // A first line that is not a host, a body without the blank line, Firefox.
        for (entry, body) in [
            ("chromium", "Read linkedin.com now\n\nhi"),
            ("chromium", "linkedin.com"),
            ("firefox-esr", "linkedin.com\n\nhi"),
        ] {
            let n = from(entry, body);
            assert_eq!(n.site(), None, "{entry} {body:?}");
            assert_eq!(n.message(), body);
        }
        // The hint wins and leaves the body whole.
        let mut n = from("chromium", "linkedin.com\n\nhi");
        n.hints.insert(
            "x-kde-origin-name".into(),
            HintValue::Str("localhost:8080".into()),
        );
        assert_eq!(n.site().as_deref(), Some("localhost"));
        assert_eq!(n.message(), "linkedin.com\n\nhi");
        assert!(on_site("www.linkedin.com", "linkedin.com"));
        assert!(on_site("linkedin.com", "linkedin.com"));
        assert!(!on_site("evil-linkedin.com", "linkedin.com"));
        assert!(!on_site("linkedin.com.evil.example", "linkedin.com"));
        assert_eq!(site_host("https://a.b/c?d").as_deref(), Some("a.b"));
        assert_eq!(site_host("javascript:alert(1)"), None);
    }

    proptest::proptest! {
        /// Whatever the hosts: a subdomain of a site is on it, a host that merely ends
        /// with its text is not, and the site Chromium's leading link or line names is the
        /// one read back, whatever the page's text says after it.
        #[test]
        fn a_site_matches_on_a_label_boundary_and_is_read_from_the_leading_line_only(
            site in "[a-z0-9]{1,8}(\\.[a-z0-9]{1,8}){0,2}",
            sub in "[a-z0-9]{1,8}",
            page in "[ -~\n]{0,40}",
            port in proptest::option::of(1u16..),
            link in proptest::bool::ANY,
        ) {
            let subdomain = format!("{sub}.{site}");
            let lookalike = format!("{sub}{site}");
            proptest::prop_assert!(on_site(&site, &site));
            proptest::prop_assert!(on_site(&subdomain, &site));
            proptest::prop_assert!(!on_site(&lookalike, &site));
            let shown = match port {
                Some(port) => format!("{subdomain}:{port}"),
                None => subdomain.clone(),
            };
            let line = if link {
                format!("<a href=\"https://{shown}/\">{shown}</a>")
            } else {
                shown
            };
            let n = Notification {
                app: "Chromium".into(),
                body: format!("{line}\n\n{page}"),
                ..Default::default()
            };
            proptest::prop_assert_eq!(n.site(), Some(subdomain));
            proptest::prop_assert_eq!(n.message(), readable(&page));
        }
    }
}
