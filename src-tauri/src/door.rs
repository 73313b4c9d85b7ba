//! Where the app stands in the session: its own name (`org.couper.Couper.App`, the
//! one-app lock, serving `OpenWindow` to a second start), what a second start asks the
//! first, and, when a headless `couper run` gates the session, the front door's view of
//! that gate: whether it answers, and when it is gone for good.

use crate::backend::Remote;
use couper::control::{AppProxy, CouperProxy};
use couper::daemon::RunOptions;
use std::process::ExitCode;
use std::time::Duration;
use tokio::sync::mpsc;
use zbus::fdo::{RequestNameFlags, RequestNameReply};

/// How long a front door waits for a headless gate that went away to come back (a
/// `systemctl --user restart couper`) before it ends too.
const RESTART_PATIENCE: Duration = Duration::from_secs(5);

/// The app's own name on the session bus, and the requests to show its window.
pub(crate) struct Door {
    /// Owns the name while the app runs.
    pub(crate) conn: zbus::Connection,
    /// Until the app's window task takes them.
    pub(crate) requests: Option<mpsc::UnboundedReceiver<String>>,
    /// Asks the app's own window task, as a second start does (`couper-app --window`).
    pub(crate) ask: mpsc::UnboundedSender<String>,
}

/// Whether the app's name was free.
pub(crate) enum Claim {
    /// It is ours now.
    Ours(Door),
    /// Another app owns it: ask it, on this connection.
    Taken(zbus::Connection),
}

/// The app's interface on its own name: what a second start asks.
struct AppWindow {
    requests: mpsc::UnboundedSender<String>,
}

#[zbus::interface(name = "org.couper.App1")]
impl AppWindow {
    /// Shows the window, in front, on `tab`.
    async fn open_window(&self, tab: &str) -> zbus::fdo::Result<()> {
        self.requests
            .send(tab.to_string())
            .map_err(|_| zbus::fdo::Error::Failed("the app is quitting".into()))
    }
}

impl Door {
    /// Serves the app's interface and takes its name, unless another app has it.
    pub(crate) async fn claim(options: &RunOptions) -> zbus::Result<Claim> {
        let (tx, requests) = mpsc::unbounded_channel();
        let builder = match &options.session_bus {
            Some(address) => zbus::connection::Builder::address(address.as_str()),
            None => zbus::connection::Builder::session(),
        };
        let conn = builder
            .serve_at(
                couper::control::APP_PATH,
                AppWindow {
                    requests: tx.clone(),
                },
            )
            .build()
            .await?;
        let reply = conn
            .request_name_with_flags(couper::control::APP_NAME, RequestNameFlags::DO_NOT_QUEUE)
            .await;
        match reply {
            Ok(RequestNameReply::PrimaryOwner) | Ok(RequestNameReply::AlreadyOwner) => {
                Ok(Claim::Ours(Door {
                    conn,
                    requests: Some(requests),
                    ask: tx,
                }))
            }
            Ok(_) | Err(zbus::Error::NameTaken) => Ok(Claim::Taken(conn)),
            Err(e) => Err(e),
        }
    }
}

/// Returns when the headless gate is gone for good: its name has no owner, and none came
/// back within [`RESTART_PATIENCE`] (a restart keeps the front door).
pub(crate) async fn headless_gate_gone(remote: &Remote) -> String {
    use futures_util::StreamExt;
    let mut owners = match remote.proxy().inner().receive_owner_changed().await {
        Ok(owners) => owners,
        Err(e) => return format!("cannot follow couper run: {e}"),
    };
    let mut present = gate_owned(remote).await;
    loop {
        if present {
            match owners.next().await {
                Some(owner) => present = owner.is_some(),
                None => return "the session bus is gone".into(),
            }
            continue;
        }
        tracing::warn!("couper run went away: waiting for it to come back");
        match tokio::time::timeout(RESTART_PATIENCE, owners.next()).await {
            Ok(Some(Some(_))) => {
                tracing::info!("couper run is back");
                present = true;
            }
            Ok(Some(None)) => {}
            Ok(None) => return "the session bus is gone".into(),
            Err(_) => return "couper run stopped".into(),
        }
    }
}

/// Whether a gate owns the control name now.
async fn gate_owned(remote: &Remote) -> bool {
    let conn = remote.proxy().inner().connection();
    let Ok(dbus) = zbus::fdo::DBusProxy::new(conn).await else {
        return false;
    };
    let Ok(name) = zbus::names::BusName::try_from(couper::control::NAME) else {
        return false;
    };
    dbus.name_has_owner(name).await.unwrap_or(false)
}

/// A gate already runs in this session: if it is an app's own gate (an older app that
/// does not own the app's name), it shows its window (`None`: nothing left to do here);
/// if it is a headless `couper run`, the app becomes its front door.
pub(crate) async fn front_door(door: &Door) -> zbus::Result<Option<Remote>> {
    let couper = CouperProxy::new(&door.conn).await?;
    match couper.open_window("hours").await {
        Ok(()) => Ok(None),
        Err(zbus::Error::FDO(e)) if matches!(*e, zbus::fdo::Error::NotSupported(_)) => {
            // Read once now: a gate that does not answer is said at start, not in the tray.
            couper.status().await?;
            Ok(Some(Remote::new(couper)))
        }
        Err(e) => Err(e),
    }
}

/// Another app runs in this session: ask it to show its window.
pub(crate) fn show_the_running_app(conn: &zbus::Connection) -> ExitCode {
    let asked = tauri::async_runtime::block_on(async {
        AppProxy::new(conn).await?.open_window("hours").await
    });
    match asked {
        Ok(()) => {
            tracing::info!("Couper already runs in this session: its window is shown");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!(
                "couper-app: the Couper app already runs in this session, and did not answer: {e}"
            );
            ExitCode::from(1)
        }
    }
}
