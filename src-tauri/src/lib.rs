//! Couper's tray app. The gate runs in this process (`couper::live`, the same as
//! `couper run`); the tray says whether you are at work, off or on call and has the
//! one-click "I'm off"; the settings window (`ui/`) edits the settings through the
//! commands of docs/ipc.md. This crate is wiring: every rule is in the `couper` crate.
//!
//! One gate per session, and one app. The app owns `org.couper.Couper.App` first (its own
//! lock): a second start finds it, asks the running app to show its window, and exits.
//! Then the gate's control name is the gate's lock: when a headless `couper run` already
//! gates the session, the app becomes its front door (the tray and the window over the
//! control interface, [`backend::Backend::Remote`]) instead of starting a second gate.
#![deny(missing_docs)]

mod backend;
mod commands;
mod door;
mod error;
mod follow;
mod tray;
mod window;

pub use error::CommandError;

use backend::{Backend, Remote};
use couper::daemon::{RunOptions, Running};
use couper::live::{Live, LiveError};
use door::{front_door, headless_gate_gone, show_the_running_app, Claim, Door};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Duration;
use tauri::{AppHandle, Manager, RunEvent, Runtime, WindowEvent};
use tauri_plugin_autostart::{MacosLauncher, ManagerExt};
use tokio_util::sync::CancellationToken;

/// Where the store remembers that the app ran once (autostart is switched on then).
const FIRST_RUN_DONE: &str = "app.first_run_done";

/// How long the gate may take to stop at Quit (release its names, stop the display
/// daemon) before the process ends anyway.
const STOP_PATIENCE: Duration = Duration::from_secs(5);

/// Runs the app: starts the gate, or becomes the front door of the headless one already
/// running, or shows the window of the app already running.
pub fn run() -> ExitCode {
    couper::live::init_logs();
    // `--window`: show the window at once (the applications menu starts the app so; the
    // session's autostart does not, and the app stays in the tray).
    let mut window_now = false;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--window" => window_now = true,
            other => {
                eprintln!("couper-app: unknown argument {other:?} (usage: couper-app [--window])");
                return ExitCode::from(2);
            }
        }
    }
    let options = match run_options() {
        Ok(options) => options,
        Err(e) => {
            eprintln!("couper-app: {e}");
            return ExitCode::from(1);
        }
    };
    let door = match tauri::async_runtime::block_on(Door::claim(&options)) {
        Ok(Claim::Ours(door)) => {
            if window_now {
                // Served once the app is up, as a second start's request is.
                let _ = door.ask.send(window::Tab::Hours.name().to_string());
            }
            door
        }
        Ok(Claim::Taken(conn)) => return show_the_running_app(&conn),
        Err(e) => {
            eprintln!("couper-app: session bus: {e}");
            return ExitCode::from(1);
        }
    };
    let shutdown = CancellationToken::new();
    let started =
        tauri::async_runtime::block_on(couper::daemon::start(options.clone(), shutdown.clone()));
    match started {
        Ok(running) => {
            run_app(
                tauri::Builder::default(),
                Gate::started(running, shutdown, door),
            );
            ExitCode::SUCCESS
        }
        Err(LiveError::AlreadyRunning { owner }) => {
            match tauri::async_runtime::block_on(front_door(&door)) {
                Ok(Some(remote)) => {
                    tracing::info!(
                        "couper run already gates this session{owner}: the app is its front door"
                    );
                    run_app(tauri::Builder::default(), Gate::front_door(remote, door));
                    ExitCode::SUCCESS
                }
                Ok(None) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!(
                        "couper-app: Couper already runs in this session{owner}, and did not answer: {e}"
                    );
                    ExitCode::from(1)
                }
            }
        }
        Err(e) => {
            eprintln!("couper-app: {e}");
            ExitCode::from(1)
        }
    }
}

/// The gate the app drives, and what stops it when it runs here.
pub struct Gate {
    backend: Backend,
    /// In front of a desktop (tray, window requests); not in the commands' tests.
    desktop: bool,
    /// The app's own name (none in the commands' tests).
    door: Mutex<Option<Door>>,
    /// The in-process gate, until [`Gate::watch`] takes it.
    running: Mutex<Option<Running>>,
    /// Stops the in-process gate.
    shutdown: CancellationToken,
    /// Cancelled when the user quits (the gate's end is then no failure).
    quitting: CancellationToken,
    /// Closed when the in-process gate has ended.
    ended: Mutex<Option<tokio::sync::oneshot::Receiver<()>>>,
}

impl Gate {
    fn started(running: Running, shutdown: CancellationToken, door: Door) -> Gate {
        Gate {
            backend: Backend::Local(running.live()),
            desktop: true,
            door: Mutex::new(Some(door)),
            running: Mutex::new(Some(running)),
            shutdown,
            quitting: CancellationToken::new(),
            ended: Mutex::new(None),
        }
    }

    fn front_door(remote: Remote, door: Door) -> Gate {
        Gate {
            backend: Backend::Remote(remote),
            desktop: true,
            door: Mutex::new(Some(door)),
            running: Mutex::new(None),
            shutdown: CancellationToken::new(),
            quitting: CancellationToken::new(),
            ended: Mutex::new(None),
        }
    }

    /// A gate with no desktop (the commands' tests).
    #[cfg(test)]
    fn detached(backend: Backend) -> Gate {
        Gate {
            backend,
            desktop: false,
            door: Mutex::new(None),
            running: Mutex::new(None),
            shutdown: CancellationToken::new(),
            quitting: CancellationToken::new(),
            ended: Mutex::new(None),
        }
    }

    /// Waits for the gate to end: if it ends by itself (the session bus is gone, or the
    /// headless gate stopped), the app ends with it rather than showing a tray that gates
    /// nothing.
    fn watch<R: Runtime>(&self, app: AppHandle<R>) {
        if let Backend::Remote(remote) = &self.backend {
            let (remote, quitting) = (remote.clone(), self.quitting.clone());
            tauri::async_runtime::spawn(async move {
                let why = headless_gate_gone(&remote).await;
                if !quitting.is_cancelled() {
                    tracing::error!(
                        "{why}: the app ends with it (start it again to run the gate in the app)"
                    );
                    app.exit(1);
                }
            });
            return;
        }
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

    /// Stops the in-process gate and waits (a little) until its names are released and
    /// the display daemon is gone. A headless gate goes on.
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
/// follow the gate's state.
fn build_app<R: Runtime>(
    builder: tauri::Builder<R>,
    gate: Gate,
    context: tauri::Context<R>,
) -> tauri::Result<tauri::App<R>> {
    let backend = gate.backend.clone();
    // A gate in front of a desktop gets the tray; a detached one (the commands' tests, on
    // the mock runtime) only the window's commands.
    let desktop = gate.desktop;
    // The requests go to the window; the connection stays with the gate (the name).
    let door = lock(&gate.door)
        .as_mut()
        .and_then(|door| door.requests.take());
    builder
        .plugin(tauri_plugin_autostart::init(
            MacosLauncher::LaunchAgent,
            None,
        ))
        .plugin(tauri_plugin_clipboard_manager::init())
        .manage(backend.clone())
        .manage(gate)
        .invoke_handler(tauri::generate_handler![
            commands::status,
            commands::set_mode,
            commands::set_on_call,
            commands::retry,
            commands::held,
            commands::release,
            commands::dismiss,
            commands::seen_apps,
            commands::get_settings,
            commands::validate_settings,
            commands::preview,
            commands::save_settings,
            commands::add_work_app,
            commands::browser_profiles,
            commands::add_browser_profile,
            commands::remove_browser_profile,
            commands::diagnostics,
            commands::get_autostart,
            commands::set_autostart,
            commands::locale,
            commands::report,
            commands::report_csv,
            commands::reply,
            commands::forget,
        ])
        .setup(move |app| {
            let handle = app.handle();
            if desktop {
                let first = tauri::async_runtime::block_on(tray::look_now(&backend))
                    .map_err(|e| tauri::Error::Anyhow(anyhow::anyhow!("{e}")))?;
                // A headless gate is started with the session by its own service. (Before
                // the tray: once the panel shows the item, the entry is written.)
                if let Some(live) = backend.local() {
                    autostart_on_first_run(handle, live);
                }
                tray::create_tray(handle, &first)?;
                window::create_for_automation(handle);
                stop_on_signals(handle.clone());
            }
            handle.state::<Gate>().watch(handle.clone());
            tauri::async_runtime::spawn(follow::follow(handle.clone(), backend.clone()));
            if let Some(requests) = door {
                tauri::async_runtime::spawn(window::serve_door(handle.clone(), requests));
            }
            if let Some(live) = backend.local() {
                tauri::async_runtime::spawn(window::serve_requests(handle.clone(), live.clone()));
            }
            Ok(())
        })
        .build(context)
}

/// Autostart is on by default: switched on at the first run, then left to the user. An
/// entry that is on is written again at each start, so that it starts this binary (the
/// packaged one after a first run of a build from source, say).
fn autostart_on_first_run<R: Runtime>(app: &AppHandle<R>, live: &Live) {
    match live.recall(FIRST_RUN_DONE) {
        Ok(Some(_)) => {
            let autolaunch = app.autolaunch();
            if autolaunch.is_enabled().unwrap_or(false) {
                if let Err(e) = autolaunch.enable() {
                    tracing::warn!("cannot update Couper's start with the session: {e}");
                }
            }
        }
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

fn run_options() -> anyhow::Result<RunOptions> {
    use anyhow::Context;
    Ok(RunOptions {
        settings_path: couper::settings::default_path(None)
            .context("no settings path: set COUPER_CONFIG")?,
        store_path: couper::store::default_path().context("no data directory for the store")?,
        // A daemon the user started is named in the tray and the window, with a button
        // that puts Couper in front of it; one the session activated is replaced.
        ..RunOptions::default()
    })
}

#[cfg(test)]
mod tests;
