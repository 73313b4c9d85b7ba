//! What the tray and the window drive: the gate running in this process ([`Backend::Local`]),
//! or, when a headless `couper run` already gates the session, that gate over its control
//! interface ([`Backend::Remote`]: the app is its front door). The same calls give the same
//! answers either way: the remote ones are the JSON of `couper status --json` and friends,
//! decoded into the `couper` crate's types.

use crate::error::CommandError;
use couper::control::{CouperProxy, SettingsView, INVALID_FORM, IO_FAILED, REFUSED};
use couper::engine::OnCallRequest;
use couper::live::{Live, LiveStatus, ModeError};
use couper::settings::form::FieldError;
use couper::store::{Held, SeenApp};
use couper::words::Lang;
use futures_util::StreamExt;
use jiff::tz::TimeZone;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;
use std::sync::Arc;

type Result<T> = std::result::Result<T, CommandError>;

/// The gate the app drives.
#[derive(Debug, Clone)]
pub enum Backend {
    /// The gate runs in this process.
    Local(Arc<Live>),
    /// A headless `couper run` gates the session; the app is its front door.
    Remote(Remote),
}

/// A headless gate, over its control interface.
#[derive(Debug, Clone)]
pub struct Remote {
    couper: CouperProxy<'static>,
    /// The language of the gate's settings as last read (at first the locale's): what
    /// the app says of a gate that does not answer is said in it.
    lang: Arc<std::sync::Mutex<Lang>>,
}

impl Remote {
    /// The gate that owns `org.couper.Couper` on the proxy's bus.
    pub fn new(couper: CouperProxy<'static>) -> Remote {
        Remote {
            couper,
            lang: Arc::new(std::sync::Mutex::new(Lang::chosen(None))),
        }
    }

    /// The control interface.
    pub fn proxy(&self) -> &CouperProxy<'static> {
        &self.couper
    }

    fn lang(&self) -> Lang {
        *self.lang.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn heard(&self, lang: Lang) {
        *self.lang.lock().unwrap_or_else(|p| p.into_inner()) = lang;
    }

    /// A D-Bus error of the gate, as the kind the window knows, said in its language.
    fn error(&self, e: zbus::Error) -> CommandError {
        remote_error_in(e, self.lang())
    }

    /// An answer of the gate, decoded from its JSON.
    fn decode<T: DeserializeOwned>(&self, answer: zbus::Result<String>) -> Result<T> {
        let text = answer.map_err(|e| self.error(e))?;
        decode_json(&text, self.lang())
    }
}

/// Changes of the gate's state, as they come.
pub enum Changes {
    /// The in-process gate's change notification.
    Local(tokio::sync::watch::Receiver<u64>),
    /// The headless gate's `StateChanged` signal, and its name's owner (a restarted gate
    /// is read afresh).
    Remote {
        /// `StateChanged`.
        signals: Box<couper::control::StateChangedStream>,
        /// The owner of `org.couper.Couper`.
        owners: Box<zbus::proxy::OwnerChangedStream<'static>>,
    },
}

impl Changes {
    /// Waits for the next change; false when there will be none (the gate is gone).
    pub async fn next(&mut self) -> bool {
        match self {
            Changes::Local(changes) => changes.changed().await.is_ok(),
            Changes::Remote { signals, owners } => loop {
                tokio::select! {
                    signal = signals.next() => return signal.is_some(),
                    owner = owners.next() => match owner {
                        // A gate (again): read it.
                        Some(Some(_)) => return true,
                        // Gone, for now: nothing to read until it is back.
                        Some(None) => continue,
                        None => return false,
                    },
                }
            },
        }
    }
}

impl Backend {
    /// Whether the gate is a headless `couper run` this app is the front door of.
    pub fn is_remote(&self) -> bool {
        matches!(self, Backend::Remote(_))
    }

    /// The in-process gate, if the gate runs here.
    pub fn local(&self) -> Option<&Arc<Live>> {
        match self {
            Backend::Local(live) => Some(live),
            Backend::Remote(_) => None,
        }
    }

    /// Subscribes to the gate's changes (before reading the state, so none is missed).
    pub async fn changes(&self) -> Result<Changes> {
        match self {
            Backend::Local(live) => Ok(Changes::Local(live.subscribe())),
            Backend::Remote(remote) => Ok(Changes::Remote {
                signals: Box::new(
                    remote
                        .couper
                        .receive_state_changed()
                        .await
                        .map_err(|e| bus_error(e, remote.lang()))?,
                ),
                owners: Box::new(
                    remote
                        .couper
                        .inner()
                        .receive_owner_changed()
                        .await
                        .map_err(|e| bus_error(e, remote.lang()))?,
                ),
            }),
        }
    }

    /// Mode, working or not, on call, held count, route: `couper status --json`.
    pub async fn status(&self) -> Result<LiveStatus> {
        match self {
            Backend::Local(live) => Ok(live.status()),
            Backend::Remote(remote) => remote.decode(remote.couper.status().await),
        }
    }

    /// The language Couper speaks to the user: the settings' `language` when set, else
    /// the locale's (`Lang::chosen`), for the tray, the window and the auto-reply alike.
    pub async fn lang(&self) -> Lang {
        let setting = match self {
            Backend::Local(live) => live.settings().language,
            Backend::Remote(remote) => {
                let setting = self.settings().await.ok().and_then(|view| {
                    view.form
                        .get("language")
                        .and_then(|tag| tag.as_str())
                        .and_then(Lang::from_tag)
                });
                let lang = Lang::chosen(setting);
                remote.heard(lang);
                return lang;
            }
        };
        Lang::chosen(setting)
    }

    /// The zone the status's times are said in.
    pub fn zone(&self, status: &LiveStatus) -> TimeZone {
        match self {
            Backend::Local(live) => live.settings().timezone,
            Backend::Remote(_) => zone_named(&status.status.timezone),
        }
    }

    /// `off`, `on`, `auto` or `toggle`, with an optional end as the user typed it.
    pub async fn set_mode(&self, mode: &str, until: &str) -> Result<LiveStatus> {
        match self {
            Backend::Local(live) => {
                live.set_mode(mode, until).map_err(|e| match e {
                    ModeError::Refused(message) => CommandError::Refused { message },
                    ModeError::Store(e) => e.into(),
                })?;
                Ok(live.status())
            }
            Backend::Remote(remote) => remote.decode(remote.couper.set_mode(mode, until).await),
        }
    }

    /// The manual on-call switch, on or off (the window).
    pub async fn set_on_call(&self, on: bool) -> Result<LiveStatus> {
        match self {
            Backend::Local(live) => {
                live.set_on_call(if on {
                    OnCallRequest::On
                } else {
                    OnCallRequest::Off
                })?;
                Ok(live.status())
            }
            Backend::Remote(remote) => remote.decode(remote.couper.set_on_call(on).await),
        }
    }

    /// The manual on-call switch the other way round from now, in one step in the gate
    /// (the tray's item).
    pub async fn toggle_on_call(&self) -> Result<LiveStatus> {
        match self {
            Backend::Local(live) => {
                live.set_on_call(OnCallRequest::Toggle)?;
                Ok(live.status())
            }
            Backend::Remote(remote) => remote.decode(remote.couper.toggle_on_call().await),
        }
    }

    /// After Couper failed open: tries again to stand in front of the display; with
    /// `replace`, in front of the daemon the user started (their consent).
    pub async fn retry(&self, replace: bool) -> Result<LiveStatus> {
        match self {
            Backend::Local(live) => {
                if replace {
                    live.take_over();
                } else {
                    live.retry();
                }
                Ok(live.status())
            }
            Backend::Remote(remote) => remote.decode(remote.couper.retry(replace).await),
        }
    }

    /// The held queue, oldest first.
    pub async fn held(&self) -> Result<Vec<Held>> {
        match self {
            Backend::Local(live) => Ok(live.held()?),
            Backend::Remote(remote) => {
                remote.decode(couper::control::held_all(&remote.couper).await)
            }
        }
    }

    /// Releases `ids`, or all of them; says how many.
    pub async fn release(&self, ids: Vec<u32>, all: bool) -> Result<u32> {
        match self {
            Backend::Local(live) => Ok(live.release(ids, all)?),
            Backend::Remote(remote) => remote
                .couper
                .release(&ids, all)
                .await
                .map_err(|e| remote.error(e)),
        }
    }

    /// Drops a held notification without showing it.
    pub async fn dismiss(&self, id: u32) -> Result<()> {
        match self {
            Backend::Local(live) => Ok(live.dismiss(id)?),
            Backend::Remote(remote) => remote.couper.dismiss(id).await.map_err(|e| remote.error(e)),
        }
    }

    /// The apps seen recently, newest first.
    pub async fn seen_apps(&self) -> Result<Vec<SeenApp>> {
        match self {
            Backend::Local(live) => Ok(live.seen_apps()?),
            Backend::Remote(remote) => remote.decode(remote.couper.seen_apps().await),
        }
    }

    /// The settings in force, their file, and the last refusal of a hand edit.
    pub async fn settings(&self) -> Result<SettingsView> {
        match self {
            Backend::Local(live) => Ok(SettingsView::of(live)),
            Backend::Remote(remote) => remote.decode(remote.couper.settings().await),
        }
    }

    /// Validates and saves an edited form (atomically, keeping the user's comments); the
    /// new settings are in force when it returns.
    pub async fn save_settings(&self, form: &Value) -> Result<()> {
        match self {
            Backend::Local(live) => {
                // New settings compile (a long keyword list takes a while) off the async
                // workers, which go on serving the tray and the window meanwhile.
                let (live, form) = (live.clone(), form.clone());
                blocking(live.lang(), move || {
                    couper::control::save_form(&live, &form)
                })
                .await
            }
            Backend::Remote(remote) => {
                // Checked here first: the same rules, and no round trip for a typo.
                couper::settings::form::settings_of(form)?;
                remote
                    .couper
                    .save_settings(&form.to_string())
                    .await
                    .map_err(|e| remote.error(e))
            }
        }
    }

    /// Makes a seen app a work app (held off hours), and returns the new form.
    pub async fn add_work_app(&self, app: &str) -> Result<Value> {
        match self {
            Backend::Local(live) => {
                let (live, app) = (live.clone(), app.to_string());
                blocking(live.lang(), move || {
                    couper::control::add_work_app(&live, &app)
                })
                .await
            }
            Backend::Remote(remote) => remote.decode(remote.couper.add_work_app(app).await),
        }
    }

    /// Makes (`add`) or removes `browser`'s work profile (`couper browser add|remove`)
    /// in `dirs`, on the gate's settings file, and puts the new settings in force.
    /// Returns what `couper browser` says of it.
    pub async fn browser_profile(
        &self,
        dirs: couper::browser::Dirs,
        browser: couper::browser::Browser,
        add: bool,
    ) -> Result<String> {
        let view = self.settings().await?;
        let lang = self.lang().await;
        let path = view.path.clone();
        let said = blocking(lang, move || {
            let done = if add {
                couper::browser::add(browser, &dirs, &path, lang)
            } else {
                couper::browser::remove(browser, &dirs, &path, lang)
            };
            done.map_err(|e| CommandError::Refused {
                message: e.to_string(),
            })
        })
        .await?;
        match self {
            Backend::Local(live) => live.reload_settings(),
            Backend::Remote(remote) => {
                // The headless gate reads its file again as it saves it.
                let settings =
                    couper::settings::load(&view.path).map_err(|e| CommandError::Refused {
                        message: e.said(lang),
                    })?;
                let form = couper::settings::form::form_of(&settings);
                remote
                    .couper
                    .save_settings(&form.to_string())
                    .await
                    .map_err(|e| remote.error(e))?;
            }
        }
        Ok(said)
    }

    /// Each browser's work profile in `dirs`, with the settings in force for its source.
    pub async fn browser_profiles(
        &self,
        dirs: couper::browser::Dirs,
    ) -> Result<Vec<couper::browser::ProfileInfo>> {
        let view = self.settings().await?;
        let settings = couper::settings::form::settings_of(&view.form)?;
        Ok(couper::browser::profiles(&dirs, &settings))
    }

    /// A report or the on-call statement: `query` is a [`couper::report::Query`] as JSON.
    /// A period that is not one is refused on the `month` field.
    pub async fn report(&self, query: &Value) -> Result<String> {
        match self {
            Backend::Local(live) => {
                // Refused in the language the query asks for, else the gate's.
                let lang = live.lang();
                let query = couper::report::Query::from_value(query.clone())
                    .map_err(|e| invalid("month", e.said(lang)))?;
                let lang = query.lang.unwrap_or(lang);
                live.report(&query).map_err(|e| match e {
                    couper::report::ReportError::Store(e) => e.into(),
                    other => invalid("month", other.said(lang)),
                })
            }
            Backend::Remote(remote) => remote
                .couper
                .report(&query.to_string())
                .await
                .map_err(|e| on_field("month", remote.error(e))),
        }
    }

    /// The auto-reply text in `lang`.
    pub async fn reply(&self, lang: Lang) -> Result<String> {
        match self {
            Backend::Local(live) => Ok(live.reply(lang)),
            Backend::Remote(remote) => {
                let lang = match lang {
                    Lang::Fr => "fr",
                    Lang::En => "en",
                };
                remote.couper.reply(lang).await.map_err(|e| remote.error(e))
            }
        }
    }

    /// Erases the history before `before` (`YYYY-MM-DD`, `YYYY-MM-DD HH:MM` or RFC 3339;
    /// `"all"`: all of it; an empty or blank date is refused). Returns how many decisions were erased. A date that is not one is
    /// refused on the `before` field.
    pub async fn forget(&self, before: &str) -> Result<u32> {
        match self {
            Backend::Local(live) => match live.forget(before) {
                Ok(n) => Ok(u32::try_from(n).unwrap_or(u32::MAX)),
                Err(couper::live::ForgetError::Date(message)) => Err(invalid("before", message)),
                Err(couper::live::ForgetError::Store(e)) => Err(e.into()),
            },
            Backend::Remote(remote) => remote
                .couper
                .forget(before)
                .await
                .map_err(|e| on_field("before", remote.error(e))),
        }
    }
}

/// The zone named `name` (an IANA name, as the status gives it); the system's if unknown.
fn zone_named(name: &str) -> TimeZone {
    TimeZone::get(name).unwrap_or_else(|_| TimeZone::system())
}

/// Runs `f` on a blocking thread, for what may take long (compiling new settings); a
/// thread that failed is said in `lang`.
async fn blocking<T, E>(
    lang: Lang,
    f: impl FnOnce() -> std::result::Result<T, E> + Send + 'static,
) -> Result<T>
where
    T: Send + 'static,
    E: Into<CommandError> + Send + 'static,
{
    match tokio::task::spawn_blocking(f).await {
        Ok(answer) => answer.map_err(Into::into),
        Err(e) => Err(CommandError::Io {
            message: couper::t!(lang, "app-not-saved", why = e.to_string()),
        }),
    }
}

/// An answer of the control interface, decoded from its JSON; one the app cannot read is
/// said in `lang`.
fn decode_json<T: DeserializeOwned>(text: &str, lang: Lang) -> Result<T> {
    serde_json::from_str(text).map_err(|e| CommandError::Io {
        message: couper::t!(lang, "app-gate-unreadable", why = e.to_string()),
    })
}

/// A field's refusal, as the engine says it.
#[derive(Deserialize)]
struct Field {
    key: String,
    message: String,
}

/// The bus failed: the gate is gone or did not answer.
fn bus_error(e: zbus::Error, lang: Lang) -> CommandError {
    CommandError::Io {
        message: couper::t!(lang, "app-gate-silent", why = e.to_string()),
    }
}

/// The name and message of a D-Bus error reply (zbus gives those of `org.freedesktop.DBus`
/// as [`zbus::fdo::Error`]s, the others as they came).
pub fn error_reply(e: &zbus::Error) -> Option<(String, String)> {
    use zbus::DBusError;
    match e {
        zbus::Error::MethodError(name, message, _) => Some((
            name.to_string(),
            message.clone().unwrap_or_else(|| name.to_string()),
        )),
        zbus::Error::FDO(e) => Some((
            e.name().to_string(),
            e.description().unwrap_or_default().to_string(),
        )),
        _ => None,
    }
}

/// A D-Bus error of the control interface, as the kind the window knows: what the app
/// says itself in `lang` (the gate's refusals come in the gate's words).
pub fn remote_error_in(e: zbus::Error, lang: Lang) -> CommandError {
    let Some((name, message)) = error_reply(&e) else {
        return bus_error(e, lang);
    };
    match name.as_str() {
        INVALID_FORM => match serde_json::from_str::<Vec<Field>>(&message) {
            Ok(fields) => CommandError::Invalid {
                fields: fields
                    .into_iter()
                    .map(|f| FieldError {
                        key: f.key,
                        message: f.message,
                    })
                    .collect(),
            },
            Err(_) => CommandError::Refused { message },
        },
        IO_FAILED => CommandError::Io { message },
        name if REFUSED.contains(&name) => CommandError::Refused { message },
        "org.freedesktop.DBus.Error.ServiceUnknown" | "org.freedesktop.DBus.Error.NoReply" => {
            CommandError::Io {
                message: couper::t!(lang, "app-gate-silent", why = message),
            }
        }
        _ => CommandError::Store { message },
    }
}

fn invalid(key: &str, message: String) -> CommandError {
    CommandError::Invalid {
        fields: vec![FieldError {
            key: key.into(),
            message,
        }],
    }
}

/// A refusal of one argument, told on its field.
fn on_field(key: &str, e: CommandError) -> CommandError {
    match e {
        CommandError::Refused { message } => invalid(key, message),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::tests::ALWAYS;
    use couper::store::Store;
    use zbus::names::OwnedErrorName;

    /// A live service on a temp dir (no gate in front of a desktop).
    fn live(settings: &str) -> (Arc<Live>, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.toml");
        std::fs::write(&path, settings).unwrap();
        let store = Store::open(&dir.path().join("store.sqlite3")).unwrap();
        let (live, _outcomes) = Live::open(&path, store).unwrap();
        (live, dir)
    }

    #[test]
    fn the_status_a_headless_gate_sends_reads_back_as_the_local_one() {
        let (live, _dir) = live(ALWAYS);
        live.set_mode("off", "").unwrap();
        live.alert("Deploy", "tonight", false).unwrap();
        let local = live.status();
        let sent = serde_json::to_string(&local).unwrap();
        let read: LiveStatus = decode_json(&sent, Lang::En).unwrap();
        assert_eq!(read.status, local.status);
        assert_eq!(read.settings_path, local.settings_path);
        assert_eq!(read.route, local.route);
        assert_eq!(
            serde_json::to_value(&read).unwrap(),
            serde_json::to_value(&local).unwrap()
        );
        let zone = zone_named(&read.status.timezone);
        assert_eq!(zone.iana_name(), Some("Europe/Paris"));
    }

    #[test]
    fn the_held_queue_and_seen_apps_read_back() {
        let (live, _dir) = live(ALWAYS);
        live.set_mode("off", "").unwrap();
        live.alert("Deploy", "tonight", false).unwrap();
        let held = live.held().unwrap();
        assert_eq!(held.len(), 1);
        let read: Vec<Held> =
            decode_json(&serde_json::to_string(&held).unwrap(), Lang::En).unwrap();
        assert_eq!(read, held);
        let seen = live.seen_apps().unwrap();
        let read: Vec<SeenApp> =
            decode_json(&serde_json::to_string(&seen).unwrap(), Lang::En).unwrap();
        assert_eq!(read, seen);
        let view = SettingsView::of(&live);
        let read: SettingsView =
            decode_json(&serde_json::to_string(&view).unwrap(), Lang::En).unwrap();
        assert_eq!(read, view);
    }

    /// An error reply as zbus hands it to a proxy's caller.
    fn method_error(name: &str, message: &str) -> zbus::Error {
        let msg = zbus::Message::method_call("/", "Nope").build(&()).unwrap();
        let reply = zbus::Error::MethodError(
            OwnedErrorName::try_from(name).unwrap(),
            Some(message.into()),
            msg,
        );
        zbus::Error::from(zbus::fdo::Error::from(reply))
    }

    #[test]
    fn the_gates_refusals_keep_their_kind_and_fields() {
        let invalid = remote_error_in(
            method_error(
                INVALID_FORM,
                r#"[{"key":"hours.mon","message":"\"9h\" is not HH:MM-HH:MM"}]"#,
            ),
            Lang::En,
        );
        assert_eq!(
            serde_json::to_value(&invalid).unwrap(),
            serde_json::json!({
                "kind": "invalid",
                "fields": [{ "key": "hours.mon", "message": "\"9h\" is not HH:MM-HH:MM" }]
            })
        );
        let refused = remote_error_in(
            method_error(
                "org.freedesktop.DBus.Error.InvalidArgs",
                "\"soon\" is not a time",
            ),
            Lang::En,
        );
        assert_eq!(
            serde_json::to_value(&refused).unwrap(),
            serde_json::json!({ "kind": "refused", "message": "\"soon\" is not a time" })
        );
        let before = on_field(
            "before",
            remote_error_in(
                method_error("org.freedesktop.DBus.Error.InvalidArgs", "not a date"),
                Lang::En,
            ),
        );
        assert_eq!(
            serde_json::to_value(&before).unwrap()["fields"][0]["key"],
            "before"
        );
        let store = remote_error_in(
            method_error("org.freedesktop.DBus.Error.Failed", "disk full"),
            Lang::En,
        );
        assert_eq!(serde_json::to_value(&store).unwrap()["kind"], "store");
        let io = remote_error_in(method_error(IO_FAILED, "read-only"), Lang::En);
        assert_eq!(serde_json::to_value(&io).unwrap()["kind"], "io");
    }

    #[test]
    fn a_gate_that_does_not_answer_is_said_in_the_users_language() {
        let gone = remote_error_in(
            method_error("org.freedesktop.DBus.Error.ServiceUnknown", "no such name"),
            Lang::Fr,
        );
        assert_eq!(
            serde_json::to_value(&gone).unwrap(),
            serde_json::json!({ "kind": "io", "message": "couper run n'a pas répondu : no such name" })
        );
    }

    #[tokio::test]
    async fn the_window_is_refused_in_the_language_of_the_settings() {
        let (live, _dir) = live(&format!("language = \"fr\"\n{ALWAYS}"));
        let backend = Backend::Local(live.clone());
        let month = serde_json::json!({ "period": { "month": "2026-13" }, "on_call": true });
        let refused = backend.report(&month).await.unwrap_err();
        assert_eq!(
            serde_json::to_value(&refused).unwrap()["fields"][0],
            serde_json::json!({
                "key": "month",
                "message": "\"2026-13\" n'est pas un mois : écrivez AAAA-MM (2026-10)"
            })
        );
        let refused = backend.forget("someday").await.unwrap_err();
        assert_eq!(
            serde_json::to_value(&refused).unwrap()["fields"][0]["message"],
            "--before \"someday\" n'est pas une date : écrivez AAAA-MM-JJ, AAAA-MM-JJ HH:MM ou RFC 3339"
        );
        let refused = backend.set_mode("pause", "").await.unwrap_err();
        assert_eq!(
            serde_json::to_value(&refused).unwrap()["message"],
            "\"pause\" n'est pas un mode : off, on, auto ou toggle"
        );
    }

    #[tokio::test]
    async fn forgetting_with_a_date_that_is_not_one_is_refused_on_its_field() {
        let (live, _dir) = live(ALWAYS);
        let backend = Backend::Local(live.clone());
        live.alert("Deploy", "tonight", false).unwrap();
        let refused = backend.forget("someday").await.unwrap_err();
        assert_eq!(
            serde_json::to_value(&refused).unwrap()["fields"][0]["key"],
            "before"
        );
        let blank = backend.forget("").await.unwrap_err();
        assert_eq!(
            serde_json::to_value(&blank).unwrap()["fields"][0]["key"],
            "before",
            "an empty date erases nothing"
        );
        assert_eq!(backend.forget("all").await.unwrap(), 1);
        assert_eq!(backend.forget("all").await.unwrap(), 0);
    }
}
