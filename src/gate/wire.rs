//! The freedesktop `Notify` arguments, to and from Couper's [`Notification`].
//!
//! A [`Notification`] keeps what the engine reads and the queue stores. Hints it cannot keep
//! (image data, odd types) are set aside as *extras*: forwarded untouched when the
//! notification is delivered at once, lost when it is held.

use std::borrow::Cow;
use std::collections::HashMap;

use zbus::{OwnedVariant, Variant};

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
/// `replaces`, 0 for none), as the display gets it: the text cut for the display, the
/// hints of [`display_hints`]. Returns the id the server gave it.
pub(crate) async fn notify(
    conn: &zbus::Connection,
    destination: &str,
    n: &Notification,
    replaces: u32,
    crisis: bool,
    extras: &Extras,
) -> zbus::Result<u32> {
    let reply = conn
        .call_method(
            Some(destination),
            super::PATH,
            Some(super::NOTIFICATIONS),
            "Notify",
            &(
                n.app.as_str(),
                replaces,
                n.icon.as_str(),
                display_text(&n.summary),
                display_text(&n.body),
                &n.actions,
                display_hints(n, crisis, extras),
                n.expire_timeout,
            ),
        )
        .await?;
    reply.body().deserialize()
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
