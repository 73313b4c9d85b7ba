//! The control interface: how the CLI (and later the tray) talk to a running gate, on the
//! session bus as `org.couper.Couper` (`/org/couper/Couper`, interface
//! `org.couper.Couper1`). The name is also the single-instance lock: one gate per
//! session. Answers are JSON strings (the types of `service.rs`, serialized), so any tool
//! can read them; the interface only translates and calls the live service.

use crate::live::Live;
use std::sync::Arc;
use zbus::object_server::SignalEmitter;

/// The bus name of a running gate.
pub const NAME: &str = "org.couper.Couper";
/// Its object path.
pub const PATH: &str = "/org/couper/Couper";

/// The served object.
pub struct Control {
    live: Arc<Live>,
}

impl Control {
    /// Serves `live`.
    pub fn new(live: Arc<Live>) -> Control {
        Control { live }
    }
}

fn failed(e: impl std::fmt::Display) -> zbus::fdo::Error {
    zbus::fdo::Error::Failed(e.to_string())
}

fn refused(e: impl std::fmt::Display) -> zbus::fdo::Error {
    zbus::fdo::Error::InvalidArgs(e.to_string())
}

fn json(value: &impl serde::Serialize) -> zbus::fdo::Result<String> {
    serde_json::to_string(value).map_err(failed)
}

#[zbus::interface(name = "org.couper.Couper1")]
impl Control {
    /// Mode, working or not, on call, next transition, held count, route (JSON).
    async fn status(&self) -> zbus::fdo::Result<String> {
        json(&self.live.status())
    }

    /// `off`, `on`, `auto` or `toggle`, with an optional end (`""`: none). Returns the
    /// new status.
    async fn set_mode(&self, mode: &str, until: &str) -> zbus::fdo::Result<String> {
        self.live.set_mode(mode, until).map_err(refused)?;
        json(&self.live.status())
    }

    /// The manual on-call toggle. Returns the new status.
    async fn set_on_call(&self, on: bool) -> zbus::fdo::Result<String> {
        self.live.set_on_call(on).map_err(failed)?;
        json(&self.live.status())
    }

    /// The held queue, oldest first (JSON).
    async fn held(&self) -> zbus::fdo::Result<String> {
        json(&self.live.held().map_err(failed)?)
    }

    /// Releases `ids`, or all with `all`. Returns how many were released.
    async fn release(&self, ids: Vec<u32>, all: bool) -> zbus::fdo::Result<u32> {
        self.live.release(ids, all).map_err(failed)
    }

    /// Drops a held notification without showing it.
    async fn dismiss(&self, id: u32) -> zbus::fdo::Result<()> {
        self.live.dismiss(id).map_err(failed)
    }

    /// The decision and reason for notification `id` (JSON; `null` when unknown).
    async fn explain(&self, id: u32) -> zbus::fdo::Result<String> {
        json(&self.live.explain(id).map_err(failed)?)
    }

    /// Sends an alert through the gate. Returns its id and decision (JSON).
    async fn alert(&self, title: &str, body: &str, crisis: bool) -> zbus::fdo::Result<String> {
        json(&self.live.alert(title, body, crisis).map_err(failed)?)
    }

    /// The apps seen recently, newest first (JSON).
    async fn seen_apps(&self) -> zbus::fdo::Result<String> {
        json(&self.live.seen_apps().map_err(failed)?)
    }

    /// The auto-reply text in `lang` (`fr`, `en`, or `""` for the gate's locale), with
    /// the next start of working time in words (SPEC §8).
    async fn reply(&self, lang: &str) -> zbus::fdo::Result<String> {
        let lang = crate::reply::lang(lang).map_err(refused)?;
        Ok(self.live.reply(lang))
    }

    /// A report or the on-call statement: `query` is a JSON [`crate::report::Query`]
    /// (`{"period": {"month": "2026-10"}, "on_call": true, "format": "csv"}`). Returns
    /// JSON, text or CSV as asked.
    async fn report(&self, query: &str) -> zbus::fdo::Result<String> {
        let query: crate::report::Query = serde_json::from_str(query).map_err(refused)?;
        let live = self.live.clone();
        tokio::task::spawn_blocking(move || live.report(&query))
            .await
            .map_err(failed)?
            .map_err(|e| match e {
                crate::report::ReportError::Period(_) => refused(e),
                crate::report::ReportError::Store(_) => failed(e),
            })
    }

    /// Erases the history before `before` (`YYYY-MM-DD`, `YYYY-MM-DD HH:MM` or RFC 3339
    /// in the gate's zone; `""`: all of it). Returns how many decisions were erased.
    async fn forget(&self, before: &str) -> zbus::fdo::Result<u32> {
        match self.live.forget(before) {
            Ok(n) => Ok(u32::try_from(n).unwrap_or(u32::MAX)),
            Err(e @ crate::live::ForgetError::Date(_)) => Err(refused(e)),
            Err(e) => Err(failed(e)),
        }
    }

    /// Shows the tray app's window on `tab` (`hours`, `apps`, `crisis`, `held`,
    /// `diagnostics`): what a second start of the app asks of the first one. Refused by a
    /// gate without a window (`couper run`).
    async fn open_window(&self, tab: &str) -> zbus::fdo::Result<()> {
        if self.live.open_window(tab) {
            Ok(())
        } else {
            Err(zbus::fdo::Error::NotSupported(
                "this gate runs without a window (couper run)".into(),
            ))
        }
    }

    /// Emitted with the new status (JSON) whenever mode, working time, on call or the
    /// held count change.
    #[zbus(signal)]
    pub async fn state_changed(emitter: &SignalEmitter<'_>, status: &str) -> zbus::Result<()>;
}

/// The client side, for the CLI and other tools.
#[zbus::proxy(
    interface = "org.couper.Couper1",
    default_service = "org.couper.Couper",
    default_path = "/org/couper/Couper"
)]
pub trait Couper {
    /// See [`Control::status`].
    fn status(&self) -> zbus::Result<String>;
    /// See [`Control::set_mode`].
    fn set_mode(&self, mode: &str, until: &str) -> zbus::Result<String>;
    /// See [`Control::set_on_call`].
    fn set_on_call(&self, on: bool) -> zbus::Result<String>;
    /// See [`Control::held`].
    fn held(&self) -> zbus::Result<String>;
    /// See [`Control::release`].
    fn release(&self, ids: &[u32], all: bool) -> zbus::Result<u32>;
    /// See [`Control::dismiss`].
    fn dismiss(&self, id: u32) -> zbus::Result<()>;
    /// See [`Control::explain`].
    fn explain(&self, id: u32) -> zbus::Result<String>;
    /// See [`Control::alert`].
    fn alert(&self, title: &str, body: &str, crisis: bool) -> zbus::Result<String>;
    /// See [`Control::seen_apps`].
    fn seen_apps(&self) -> zbus::Result<String>;
    /// See [`Control::reply`].
    fn reply(&self, lang: &str) -> zbus::Result<String>;
    /// See [`Control::report`].
    fn report(&self, query: &str) -> zbus::Result<String>;
    /// See [`Control::forget`].
    fn forget(&self, before: &str) -> zbus::Result<u32>;
    /// See [`Control::open_window`].
    fn open_window(&self, tab: &str) -> zbus::Result<()>;
    /// See [`Control::state_changed`].
    #[zbus(signal)]
    fn state_changed(&self, status: &str) -> zbus::Result<()>;
}
