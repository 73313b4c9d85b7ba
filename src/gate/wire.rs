//! The freedesktop `Notify` arguments, to and from Couper's [`Notification`].
//!
//! A [`Notification`] keeps what the engine reads and the queue stores. Hints it cannot keep
//! (image data, odd types) are set aside as *extras*: forwarded untouched when the
//! notification is delivered at once, lost when it is held.

use std::borrow::Cow;
use std::collections::HashMap;

use zbus::{OwnedVariant, Variant};

use super::proxies::NotificationsProxy;
use crate::notification::{HintValue, Notification, Urgency};

/// `Notify(app_name, replaces_id, app_icon, summary, body, actions, hints, expire_timeout)`.
pub(crate) type NotifyArgs = (
    String,
    u32,
    String,
    String,
    String,
    Vec<String>,
    HashMap<String, OwnedVariant>,
    i32,
);

/// Hints forwarded as they came, when the notification is delivered at once.
pub(crate) type Extras = Vec<(String, OwnedVariant)>;

/// The hint in which a browser names the site of a notification (KDE's, which Chromium
/// sends when the server advertises it, leaving the body alone).
pub(crate) const ORIGIN_HINT: &str = "x-kde-origin-name";

/// The capabilities Couper answers to `GetCapabilities`: the display daemon's own, plus
/// what Couper handles itself ([`ORIGIN_HINT`], which it turns back into the daemon's
/// form when the daemon does not know it: [`SiteForm`]).
pub(crate) fn advertised(daemon: &[String]) -> Vec<String> {
    let mut caps = daemon.to_vec();
    if !caps.iter().any(|c| c == ORIGIN_HINT) {
        caps.push(ORIGIN_HINT.to_string());
    }
    caps
}

/// How the display daemon is shown the site a browser names in [`ORIGIN_HINT`]: as the
/// browser itself would have shown it to that daemon, so that what the user sees is the
/// same with Couper as without.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum SiteForm {
    /// The daemon knows the hint: forwarded as it is.
    #[default]
    Hint,
    /// The body begins with a link to the site and a blank line (Chromium's form for a
    /// daemon with `body-hyperlinks`).
    Link,
    /// The body begins with the site and a blank line; `escaped` when the daemon reads
    /// markup (`body-markup`), so the site's text is escaped as the body's is.
    Line {
        /// The daemon reads markup.
        escaped: bool,
    },
}

impl SiteForm {
    /// The form for a daemon with capabilities `daemon`.
    pub(crate) fn of(daemon: &[String]) -> SiteForm {
        let has = |cap: &str| daemon.iter().any(|c| c == cap);
        if has(ORIGIN_HINT) {
            SiteForm::Hint
        } else if has("body-hyperlinks") {
            SiteForm::Link
        } else {
            SiteForm::Line {
                escaped: has("body-markup"),
            }
        }
    }
}

/// `n` as the daemon shows it in `form`: with [`ORIGIN_HINT`] taken out and the site put
/// at the head of the body, unless the daemon knows the hint.
pub(crate) fn in_daemon_form(n: &Notification, form: SiteForm) -> Cow<'_, Notification> {
    let Some(HintValue::Str(site)) = n.hints.get(ORIGIN_HINT) else {
        return Cow::Borrowed(n);
    };
    let head = match form {
        SiteForm::Hint => return Cow::Borrowed(n),
        SiteForm::Link => {
            let href = if site.contains("://") {
                site.clone()
            } else {
                format!("https://{site}/")
            };
            format!("<a href=\"{}\">{}</a>\n\n", escaped(&href), escaped(site))
        }
        SiteForm::Line { escaped: true } => format!("{}\n\n", escaped(site)),
        SiteForm::Line { escaped: false } => format!("{site}\n\n"),
    };
    let mut shown = n.clone();
    shown.hints.remove(ORIGIN_HINT);
    shown.body.insert_str(0, &head);
    Cow::Owned(shown)
}

/// `text` with the markup characters escaped.
fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

/// An app's `Notify` call: its `replaces_id`, the notification, and the hints set aside.
pub(crate) fn from_notify(args: NotifyArgs) -> (u32, Notification, Extras) {
    let (app, replaces_id, icon, summary, body, actions, hints, expire_timeout) = args;
    let mut n = Notification {
        app,
        summary,
        body,
        icon,
        actions,
        expire_timeout,
        ..Notification::default()
    };
    let mut extras = Vec::new();
    for (key, value) in hints {
        if key == "urgency" {
            if let Some(level) = integer(&value) {
                n.urgency = Urgency::from_byte(u8::try_from(level.clamp(0, 2)).unwrap_or(1));
            }
            continue;
        }
        match hint_value(&value) {
            Some(kept) => {
                n.hints.insert(key, kept);
            }
            None if !matches!(&*value, Variant::Fd(_)) => extras.push((key, value)),
            None => {}
        }
    }
    (replaces_id, n, extras)
}

/// Sends `n` with `Notify` to `destination` on `conn` (in place of notification
/// `replaces`, 0 for none), as the display gets it: see [`notify_to`].
pub(crate) async fn notify(
    conn: &zbus::Connection,
    destination: &str,
    n: &Notification,
    replaces: u32,
    crisis: bool,
    extras: &Extras,
) -> zbus::Result<u32> {
    let server = super::proxies::notifications(conn, destination).await?;
    notify_to(&server, n, replaces, crisis, extras).await
}

/// Sends `n` with `Notify` to `server` (in place of notification `replaces`, 0 for none),
/// as the display gets it: the text cut for the display, the hints of [`display_hints`].
/// Returns the id the server gave it, once it has answered.
pub(crate) async fn notify_to(
    server: &NotificationsProxy<'_>,
    n: &Notification,
    replaces: u32,
    crisis: bool,
    extras: &Extras,
) -> zbus::Result<u32> {
    server
        .notify(
            &n.app,
            replaces,
            &n.icon,
            &display_text(&n.summary),
            &display_text(&n.body),
            &n.actions,
            &display_hints(n, crisis, extras),
            n.expire_timeout,
        )
        .await
}

/// The hints to send the display daemon: the kept ones, the urgency (critical for a
/// crisis), and the extras.
pub(crate) fn display_hints<'a>(
    n: &'a Notification,
    crisis: bool,
    extras: &'a Extras,
) -> HashMap<&'a str, Variant<'a>> {
    let mut hints: HashMap<&str, Variant<'_>> = n
        .hints
        .iter()
        .map(|(key, value)| (key.as_str(), variant(value)))
        .collect();
    for (key, value) in extras {
        if let Ok(value) = Variant::try_from(value) {
            hints.insert(key.as_str(), value);
        }
    }
    let urgency = if crisis { Urgency::Critical } else { n.urgency };
    hints.insert("urgency", Variant::from(urgency.as_byte()));
    hints
}

/// The longest summary or body sent to the display daemon, in bytes. A popup shows a few
/// lines; dunst 1.9 cuts its formatted text at 50,000 bytes, mid-character, and then
/// aborts on `dunstctl history` (GLib refuses the invalid UTF-8). The queue keeps the
/// whole text.
pub(crate) const DISPLAY_TEXT_MAX: usize = 16 * 1024;

/// `text` as the display daemon gets it: cut at a character boundary, with an ellipsis,
/// when it is longer than [`DISPLAY_TEXT_MAX`].
pub(crate) fn display_text(text: &str) -> Cow<'_, str> {
    if text.len() <= DISPLAY_TEXT_MAX {
        return Cow::Borrowed(text);
    }
    let mut end = DISPLAY_TEXT_MAX - '…'.len_utf8();
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    Cow::Owned(format!("{}…", &text[..end]))
}

fn variant(value: &HintValue) -> Variant<'_> {
    match value {
        HintValue::Str(s) => Variant::from(s.as_str()),
        HintValue::Bool(b) => Variant::from(*b),
        HintValue::Byte(b) => Variant::from(*b),
        HintValue::Int(i) => Variant::from(*i),
        HintValue::Uint(u) => Variant::from(*u),
        HintValue::Bytes(bytes) => Variant::from(bytes),
    }
}

/// The value as a [`HintValue`], if it has one of its shapes.
fn hint_value(value: &Variant<'_>) -> Option<HintValue> {
    Some(match value {
        Variant::Str(s) => HintValue::Str(s.as_str().to_string()),
        Variant::Bool(b) => HintValue::Bool(*b),
        Variant::U8(b) => HintValue::Byte(*b),
        Variant::I32(i) => HintValue::Int(*i),
        Variant::U32(u) => HintValue::Uint(*u),
        Variant::Array(array) if array.element_signature().to_string() == "y" => HintValue::Bytes(
            array
                .inner()
                .iter()
                .map(|v| match v {
                    Variant::U8(b) => Some(*b),
                    _ => None,
                })
                .collect::<Option<Vec<u8>>>()?,
        ),
        Variant::Variant(inner) => return hint_value(inner),
        _ => return None,
    })
}

/// An integer hint of any width (apps send the urgency as `y`, `i` or `u`).
fn integer(value: &Variant<'_>) -> Option<i64> {
    match value {
        Variant::U8(v) => Some(i64::from(*v)),
        Variant::I16(v) => Some(i64::from(*v)),
        Variant::U16(v) => Some(i64::from(*v)),
        Variant::I32(v) => Some(i64::from(*v)),
        Variant::U32(v) => Some(i64::from(*v)),
        Variant::I64(v) => Some(*v),
        Variant::U64(v) => i64::try_from(*v).ok(),
        Variant::Variant(inner) => integer(inner),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(hints: Vec<(&str, OwnedVariant)>) -> NotifyArgs {
        (
            "Slack".into(),
            7,
            "slack".into(),
            "Gwen".into(),
            "On est en crise".into(),
            vec!["default".into(), "Open".into()],
            hints.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
            -1,
        )
    }

    #[test]
    fn notify_arguments_become_a_notification() {
        let image = OwnedVariant::try_from(Variant::from(zbus::Structure::from((
            1i32,
            1i32,
            4i32,
            true,
            8i32,
            4i32,
            vec![0u8, 1, 2, 3],
        ))))
        .unwrap();
        let (replaces, n, extras) = from_notify(args(vec![
            ("urgency", OwnedVariant::from(2u8)),
            (
                "desktop-entry",
                OwnedVariant::from(zbus::Str::from("slack")),
            ),
            ("x-couper-crisis", OwnedVariant::from(true)),
            ("image-data", image),
        ]));
        assert_eq!(replaces, 7);
        assert_eq!(n.app, "Slack");
        assert_eq!(n.icon, "slack");
        assert_eq!(n.summary, "Gwen");
        assert_eq!(n.urgency, Urgency::Critical);
        assert_eq!(n.desktop_entry(), Some("slack"));
        assert!(n.crisis_hint());
        assert!(!n.hints.contains_key("urgency"));
        assert!(!n.hints.contains_key("image-data"));
        assert_eq!(extras.len(), 1);
        assert_eq!(extras[0].0, "image-data");
    }

    #[test]
    fn a_huge_text_is_cut_for_the_display_at_a_character_boundary() {
        assert_eq!(display_text("short"), "short");
        let huge = "é…x".repeat(DISPLAY_TEXT_MAX);
        let shown = display_text(&huge);
        assert!(shown.len() <= DISPLAY_TEXT_MAX, "{}", shown.len());
        assert!(shown.len() > DISPLAY_TEXT_MAX - 8);
        assert!(shown.ends_with('…'));
        assert!(huge.starts_with(shown.trim_end_matches('…')));
    }

    fn caps(list: &[&str]) -> Vec<String> {
        list.iter().map(|c| c.to_string()).collect()
    }

    fn from_chromium(site: &str) -> Notification {
        let mut n = Notification {
            app: "Chromium".into(),
            summary: "Inbox".into(),
            body: "3 new messages".into(),
            ..Notification::default()
        };
        n.hints
            .insert(ORIGIN_HINT.into(), HintValue::Str(site.into()));
        n
    }

    #[test]
    fn couper_advertises_the_daemon_s_capabilities_and_the_origin_hint_once() {
        let dunst = caps(&["actions", "body", "body-hyperlinks", "body-markup"]);
        let mut expected = dunst.clone();
        expected.push(ORIGIN_HINT.into());
        assert_eq!(advertised(&dunst), expected);
        let plasma = caps(&["body", ORIGIN_HINT, "actions"]);
        assert_eq!(advertised(&plasma), plasma);
    }

    #[test]
    fn a_daemon_without_the_origin_hint_is_shown_the_site_as_chromium_would_show_it() {
        let n = from_chromium("mail.example.org");
        let dunst = SiteForm::of(&caps(&["body", "body-hyperlinks", "body-markup"]));
        assert_eq!(dunst, SiteForm::Link);
        let shown = in_daemon_form(&n, dunst);
        assert_eq!(
            shown.body,
            "<a href=\"https://mail.example.org/\">mail.example.org</a>\n\n3 new messages"
        );
        assert!(
            !shown.hints.contains_key(ORIGIN_HINT),
            "the hint is dropped"
        );
        assert_eq!(shown.summary, "Inbox");
        // Couper reads it back as it reads Chromium's own form.
        assert_eq!(shown.site().as_deref(), Some("mail.example.org"));
        assert_eq!(shown.message(), "3 new messages");

        let plain = SiteForm::of(&caps(&["body"]));
        assert_eq!(plain, SiteForm::Line { escaped: false });
        assert_eq!(
            in_daemon_form(&n, plain).body,
            "mail.example.org\n\n3 new messages"
        );
        let odd = from_chromium("a&b.example");
        let markup = SiteForm::of(&caps(&["body", "body-markup"]));
        assert_eq!(
            in_daemon_form(&odd, markup).body,
            "a&amp;b.example\n\n3 new messages"
        );
    }

    #[test]
    fn a_daemon_that_knows_the_origin_hint_and_a_notification_without_it_are_left_alone() {
        let n = from_chromium("mail.example.org");
        let plasma = SiteForm::of(&caps(&["body", "body-hyperlinks", ORIGIN_HINT]));
        assert!(matches!(in_daemon_form(&n, plasma), Cow::Borrowed(_)));
        let mut slack = n.clone();
        slack.hints.clear();
        assert!(matches!(
            in_daemon_form(&slack, SiteForm::Link),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn urgency_sent_as_an_int_is_understood() {
        let (_, n, _) = from_notify(args(vec![("urgency", OwnedVariant::from(0i32))]));
        assert_eq!(n.urgency, Urgency::Low);
    }

    #[test]
    fn display_hints_carry_urgency_and_crisis_makes_it_critical() {
        let (_, n, extras) = from_notify(args(vec![(
            "sound-name",
            OwnedVariant::from(zbus::Str::from("bell")),
        )]));
        let hints = display_hints(&n, false, &extras);
        assert_eq!(hints.get("urgency"), Some(&Variant::from(1u8)));
        assert_eq!(hints.get("sound-name"), Some(&Variant::from("bell")));
        let hints = display_hints(&n, true, &extras);
        assert_eq!(hints.get("urgency"), Some(&Variant::from(2u8)));
    }
}
