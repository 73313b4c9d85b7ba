//! The proxy route kept standing. A display daemon that cannot start, or that dies, never
//! ends `couper run` or the app: Couper fails open (it gives the name back, so that the
//! session's own activation serves the apps) and says why in the status, then tries again
//! when the user asks ([`Live::retry`], [`Live::take_over`]) or the settings change. Held
//! notifications wait in the store meanwhile, and what is released then is posted to
//! whoever serves the session ([`crate::voice`]).

use crate::gate::{self, GateConfig, GateError, GateHandle, TakeOver};
use crate::live::{lock, Live};
use crate::notification::Notification;
use crate::steer::Screen;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;
use tokio_util::sync::CancellationToken;

/// A gate that ran at least this long before it failed is started again at once; one
/// that fails sooner waits for the user or the settings (no restart loop).
const RESTART_AFTER: Duration = Duration::from_secs(30);

/// The gate in force, if any: where the executor shows things.
#[derive(Debug, Clone)]
pub(super) struct ProxyScreen {
    gate: Arc<Mutex<Option<GateHandle>>>,
    session: zbus::Connection,
}

impl ProxyScreen {
    pub(super) fn new(session: zbus::Connection) -> ProxyScreen {
        ProxyScreen {
            gate: Arc::new(Mutex::new(None)),
            session,
        }
    }

    fn gate(&self) -> Option<GateHandle> {
        lock(&self.gate).clone()
    }
}

impl Screen for ProxyScreen {
    async fn show(&self, id: u32, n: &Notification, crisis: bool) -> Result<(), GateError> {
        match self.gate() {
            Some(gate) => gate.show(id, n, crisis).await,
            // Failed open: the session's own daemon shows it.
            None => crate::voice::post(&self.session, n, crisis)
                .await
                .map(|_| ())
                .map_err(GateError::SessionBus),
        }
    }

    async fn close(&self, id: u32) -> Result<(), GateError> {
        match self.gate() {
            Some(gate) => gate.close(id).await,
            None => Ok(()),
        }
    }
}

/// Keeps the proxy gate standing until `shutdown`: starts it, and after a failure (or
/// when it cannot start) stands aside and starts it again when asked. `first` is told
/// when the first attempt is over, either way. Ends with an error only when the session
/// bus itself is gone.
pub(super) async fn keep(
    live: Arc<Live>,
    base: GateConfig,
    screen: ProxyScreen,
    shutdown: CancellationToken,
    first: oneshot::Sender<()>,
) -> Result<(), GateError> {
    let mut first = Some(first);
    loop {
        let mut config = base.clone();
        config.display_command = lock(&live.service)
            .engine()
            .settings()
            .display
            .command
            .clone();
        if live
            .replace
            .swap(false, std::sync::atomic::Ordering::SeqCst)
        {
            config.take_over = TakeOver::Any;
        }
        let started = Instant::now();
        let failure = match gate::start(live.clone(), config, shutdown.child_token()).await {
            Ok(running) => {
                let handle = running.handle();
                *lock(&live.display) = Some((
                    handle.display_command().line(),
                    handle.display_bus_address().to_string(),
                ));
                *lock(&screen.gate) = Some(handle);
                live.set_not_gating(None);
                tracing::info!("Couper is running");
                if let Some(first) = first.take() {
                    let _ = first.send(());
                }
                let ended = running.wait().await;
                *lock(&screen.gate) = None;
                *lock(&live.display) = None;
                match ended {
                    Ok(()) => return Ok(()),
                    Err(e) => e,
                }
            }
            Err(e) => e,
        };
        if shutdown.is_cancelled() {
            return Ok(());
        }
        if let GateError::SessionBus(_) = failure {
            live.set_not_gating(Some(&failure));
            return Err(failure);
        }
        tracing::warn!("Couper stands aside (fails open): {failure}");
        live.set_not_gating(Some(&failure));
        if let Some(first) = first.take() {
            let _ = first.send(());
        }
        if started.elapsed() >= RESTART_AFTER {
            continue;
        }
        tokio::select! {
            () = shutdown.cancelled() => return Ok(()),
            () = live.retry.notified() => {}
        }
    }
}
