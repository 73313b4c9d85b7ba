//! Couper's tray app. The gate runs in this process (`couper::live`, the same as
//! `couper run`); the tray says whether you are at work, off or on call and has the
//! one-click "I'm off"; the settings window (`ui/`) edits the settings through the
//! commands of docs/ipc.md. This crate is wiring: every rule is in the `couper` crate.
//!
//! One Couper per session: the gate's control name on the session bus is the lock. A
//! second start asks the running one to show its window, and exits.
#![deny(missing_docs)]

mod commands;
mod error;
mod follow;
mod tray;
mod window;

pub use error::CommandError;

use couper::control::CouperProxy;
use couper::live::{Live, LiveError, RunOptions, Running};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tauri::{AppHandle, Manager, RunEvent, Runtime, WindowEvent};
use tauri_plugin_autostart::{MacosLauncher, ManagerExt};
use tokio_util::sync::CancellationToken;

/// Where the store remembers that the app ran once (autostart is switched on then).
const FIRST_RUN_DONE: &str = "app.first_run_done";

/// How long the gate may take to stop at Quit (release its names, stop the display
/// daemon) before the process ends anyway.
const STOP_PATIENCE: Duration = Duration::from_secs(5);

/// Runs the app: starts the gate, or shows the window of the one already running.
pub fn run() -> ExitCode {
    couper::live::init_logs();
    let options = match run_options() {
        Ok(options) => options,
        Err(e) => {
            eprintln!("couper-app: {e}");
            return ExitCode::from(1);
        }
    };
    let shutdown = CancellationToken::new();
    let started =
        tauri::async_runtime::block_on(couper::live::start(options.clone(), shutdown.clone()));
    match started {
        Ok(running) => {
            run_app(tauri::Builder::default(), Gate::started(running, shutdown));
            ExitCode::SUCCESS
        }
        Err(LiveError::AlreadyRunning { .. }) => show_the_running_one(&options),
        Err(e) => {
            eprintln!("couper-app: {e}");
            ExitCode::from(1)
        }
    }
}

/// The gate the app drives: the live service, and what stops it.
pub struct Gate {
    live: Arc<Live>,
    /// Until [`Gate::watch`] takes it.
    running: Mutex<Option<Running>>,
    /// Stops the gate.
    shutdown: CancellationToken,
    /// Cancelled when the user quits (the gate's end is then no failure).
    quitting: CancellationToken,
    /// Closed when the gate has ended.
    ended: Mutex<Option<tokio::sync::oneshot::Receiver<()>>>,
}

impl Gate {
    fn started(running: Running, shutdown: CancellationToken) -> Gate {
        Gate {
            live: running.live(),
            running: Mutex::new(Some(running)),
            shutdown,
            quitting: CancellationToken::new(),
            ended: Mutex::new(None),
        }
    }

    /// A live service with no gate in front of a desktop (the commands' tests).
    #[cfg(test)]
    fn detached(live: Arc<Live>) -> Gate {
        Gate {
            live,
            running: Mutex::new(None),
            shutdown: CancellationToken::new(),
            quitting: CancellationToken::new(),
            ended: Mutex::new(None),
        }
    }

    /// Waits for the gate to end: if it ends by itself (the session bus is gone), the app
    /// ends with it rather than showing a tray that gates nothing.
    fn watch<R: Runtime>(&self, app: AppHandle<R>) {
        let Some(running) = lock(&self.running).take() else {
            return;
        };
        let (ended, ended_rx) = tokio::sync::oneshot::channel();
        *lock(&self.ended) = Some(ended_rx);
        let quitting = self.quitting.clone();
        tauri::async_runtime::spawn(async move {
            let result = running.wait().await;
            let _ = ended.send(());
            if !quitting.is_cancelled() {
                match result {
                    Ok(()) => tracing::error!("the gate stopped"),
                    Err(e) => tracing::error!("the gate stopped: {e}"),
                }
                app.exit(1);
            }
        });
    }

    /// Stops the gate and waits (a little) until its names are released and the
    /// display daemon is gone.
    fn stop(&self) {
        self.quitting.cancel();
        self.shutdown.cancel();
        let Some(ended) = lock(&self.ended).take() else {
            return;
        };
        let stopped = tauri::async_runtime::block_on(async {
            tokio::time::timeout(STOP_PATIENCE, ended).await
        });
        match stopped {
            Ok(_) => tracing::info!("Couper stopped"),
            Err(_) => tracing::warn!("the gate did not stop in time"),
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Runs the app on `builder` (the real runtime, or `tauri::test::mock_builder()`) until
/// Quit: the app lives in the tray, with or without its window.
pub fn run_app<R: Runtime>(builder: tauri::Builder<R>, gate: Gate) {
    let app = match build_app(builder, gate, context()) {
        Ok(app) => app,
        Err(e) => {
            eprintln!("couper-app: {e}");
            std::process::exit(1);
        }
    };
    app.run(|app, event| match event {
        // No window open is no reason to stop: only Quit (an exit with a code) is.
        RunEvent::ExitRequested { api, code, .. } if code.is_none() => api.prevent_exit(),
        RunEvent::WindowEvent {
            label,
            event: WindowEvent::CloseRequested { api, .. },
            ..
        } => {
            api.prevent_close();
            window::hide(app, &label);
        }
        RunEvent::Exit => app.state::<Gate>().stop(),
        _ => {}
    });
}

/// What tauri-build generated: the config, the capabilities, the window's assets.
#[allow(clippy::unwrap_used)] // the generated code unwraps its own constants
fn context<R: Runtime>() -> tauri::Context<R> {
    tauri::tauri_build_context!()
}

/// The app, built: plugins, state, commands, and at setup the tray and the tasks that
/// follow the live state.
fn build_app<R: Runtime>(
    builder: tauri::Builder<R>,
    gate: Gate,
    context: tauri::Context<R>,
) -> tauri::Result<tauri::App<R>> {
    let live = gate.live.clone();
    // A gate in front of a desktop gets the tray; a detached one (the commands' tests, on
    // the mock runtime) only the window's commands.
    let desktop = lock(&gate.running).is_some();
    builder
        .plugin(tauri_plugin_autostart::init(
            MacosLauncher::LaunchAgent,
            None,
        ))
        .plugin(tauri_plugin_clipboard_manager::init())
        .manage(live.clone())
        .manage(gate)
        .invoke_handler(tauri::generate_handler![
            commands::status,
            commands::set_mode,
            commands::set_on_call,
            commands::held,
            commands::release,
            commands::dismiss,
            commands::seen_apps,
            commands::get_settings,
            commands::validate_settings,
            commands::preview,
            commands::save_settings,
            commands::add_work_app,
            commands::diagnostics,
            commands::get_autostart,
            commands::set_autostart,
            commands::locale,
            commands::report,
            commands::report_csv,
            commands::reply,
        ])
        .setup(move |app| {
            let handle = app.handle();
            if desktop {
                tray::create_tray(handle, &follow::look_now(&live))?;
                autostart_on_first_run(handle, &live);
                stop_on_signals(handle.clone());
            }
            handle.state::<Gate>().watch(handle.clone());
            tauri::async_runtime::spawn(follow::follow(handle.clone(), live.clone()));
            tauri::async_runtime::spawn(window::serve_requests(handle.clone(), live.clone()));
            Ok(())
        })
        .build(context)
}

/// Autostart is on by default: switched on at the first run, then left to the user.
fn autostart_on_first_run<R: Runtime>(app: &AppHandle<R>, live: &Live) {
    match live.recall(FIRST_RUN_DONE) {
        Ok(Some(_)) => {}
        Ok(None) => {
            if let Err(e) = app.autolaunch().enable() {
                tracing::warn!("cannot start Couper with the session: {e}");
            }
            let now = jiff::Timestamp::now().to_string();
            if let Err(e) = live.remember(FIRST_RUN_DONE, &now) {
                tracing::warn!("{e}");
            }
        }
        Err(e) => tracing::warn!("{e}"),
    }
}

/// SIGTERM and SIGINT quit as the menu does: the gate stops cleanly.
fn stop_on_signals<R: Runtime>(app: AppHandle<R>) {
    use tokio::signal::unix::{signal, SignalKind};
    tauri::async_runtime::spawn(async move {
        let (Ok(mut term), Ok(mut int)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) else {
            return;
        };
        tokio::select! {
            _ = term.recv() => {}
            _ = int.recv() => {}
        }
        app.exit(0);
    });
}

/// Another Couper runs in this session: ask it to show its window.
fn show_the_running_one(options: &RunOptions) -> ExitCode {
    let asked = tauri::async_runtime::block_on(async {
        let conn = match &options.session_bus {
            Some(address) => {
                zbus::connection::Builder::address(address.as_str())
                    .build()
                    .await?
            }
            None => zbus::Connection::session().await?,
        };
        CouperProxy::new(&conn).await?.open_window("hours").await
    });
    match asked {
        Ok(()) => ExitCode::SUCCESS,
        Err(zbus::Error::MethodError(name, _, _))
            if name.as_str() == "org.freedesktop.DBus.Error.NotSupported" =>
        {
            eprintln!(
                "couper-app: Couper already runs without a window in this session (couper run): \
                 stop it first (systemctl --user stop couper) to use the app"
            );
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("couper-app: Couper already runs in this session, and did not answer: {e}");
            ExitCode::from(1)
        }
    }
}

fn run_options() -> anyhow::Result<RunOptions> {
    use anyhow::Context;
    Ok(RunOptions {
        settings_path: couper::settings::default_path(None)
            .context("no settings path: set COUPER_CONFIG")?,
        store_path: couper::store::default_path().context("no data directory for the store")?,
        session_bus: None,
    })
}

#[cfg(test)]
mod tests;
