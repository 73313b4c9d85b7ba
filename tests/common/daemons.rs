//! The standalone display daemons behind Couper's gate, for `tests/desktop/gate_daemons.rs`.
//!
//! A [`Session`] is a session bus of the test's own, with a home, config, cache and
//! runtime directory of its own, whose activation files are the system's minus every
//! notification daemon (with dunst, mako, swaync, xfce4-notifyd and notification-daemon
//! installed, five files claim the name: the test names its daemon), so that the session
//! services the daemons use (xfconfd, at-spi2-core's bus launcher, dconf) start on it as on
//! a desktop; and a screen: an Xvfb display, or a headless sway (run as an ordinary user,
//! `couper-test`, since sway refuses root; clients use the absolute path of its socket).
//!
//! The daemons' own tools (`dunstctl`, `makoctl`, `swaync-client`, `xfconf-query`) run on
//! that session bus, where Couper owns the notification name: what they get, they get
//! through Couper.
//!
//! Everything is unique per [`Session`], so tests run in parallel; on drop every process
//! started for it ends: those spawned here, and those the session bus started (found by
//! their environment, which names this session's own runtime directory).
#![allow(dead_code)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::sync::Arc;

use couper::gate::{self, Gate, GateConfig};
use tokio::io::BufReader;
use tokio::process::{Child, ChildStdout, Command};

pub use crate::desktop::eventually_async;
use crate::desktop::{self, Keeper, PATIENCE};
use crate::shells::{processes_in, test_user};

/// The user sway runs as when the tests run as root.
const USER: &str = "couper-test";

/// Whether `programs` are all installed (a name is looked up in `PATH`, a path taken as it
/// is). When one is not, says why the test does not run, and fails on CI (`CI` set), where
/// `scripts/setup --tests` installs them all.
pub fn installed(daemon: &str, programs: &[&str]) -> bool {
    let missing: Vec<&str> = programs
        .iter()
        .copied()
        .filter(|p| find_program(p).is_none())
        .collect();
    if missing.is_empty() {
        return true;
    }
    cannot_run(&format!(
        "{daemon}: {} not installed (scripts/setup --tests installs it)",
        missing.join(", ")
    ));
    false
}

/// Says why a test cannot run here; on CI, fails it.
pub fn cannot_run(why: &str) {
    assert!(std::env::var_os("CI").is_none(), "{why}");
    eprintln!("skipped: {why}");
}

fn find_program(program: &str) -> Option<PathBuf> {
    let path = Path::new(program);
    if path.is_absolute() {
        return path.is_file().then(|| path.to_path_buf());
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

/// The program an activation file of the system starts (`Exec=`'s first word), e.g.
/// xfce4-notifyd's, whose path depends on the architecture.
pub fn activated_program(service_file: &str) -> Option<String> {
    let text =
        std::fs::read_to_string(Path::new("/usr/share/dbus-1/services").join(service_file)).ok()?;
    text.lines()
        .find_map(|l| l.trim().strip_prefix("Exec="))
        .and_then(|exec| exec.split_whitespace().next())
        .map(str::to_string)
}

/// What the daemon draws on.
enum Screen {
    X11 {
        display: String,
        _xvfb: Child,
        _out: BufReader<ChildStdout>,
    },
    Wayland {
        socket: PathBuf,
        sway: Child,
    },
}

/// A session of the test's own: its bus, its directories, its screen.
pub struct Session {
    dir: tempfile::TempDir,
    _bus: Child,
    _bus_out: BufReader<ChildStdout>,
    bus: String,
    screen: Screen,
}

impl Session {
    /// A session on an Xvfb display.
    pub async fn x11() -> Session {
        let dir = session_dir();
        let (xvfb, out, display) = desktop::xvfb().await;
        let screen = Screen::X11 {
            display,
            _xvfb: xvfb,
            _out: out,
        };
        Session::with_bus(dir, screen).await
    }

    /// A session on a headless sway, or `None` (with the reason) when sway cannot run here.
    pub async fn wayland() -> Option<Session> {
        if !installed("sway", &["sway"]) {
            return None;
        }
        let dir = session_dir();
        let (uid, gid) = test_user();
        let run = dir.path().join("sway");
        std::fs::create_dir(&run).expect("sway dir");
        std::fs::set_permissions(&run, std::fs::Permissions::from_mode(0o700)).expect("chmod");
        std::os::unix::fs::chown(&run, Some(uid), Some(gid)).expect("chown");
        let config = dir.path().join("sway.conf");
        std::fs::write(&config, "xwayland disable\n").expect("sway config");
        let log = std::fs::File::create(dir.path().join("sway.log")).expect("sway log");
        let mut sway = Command::new("sway");
        sway.arg("-c")
            .arg(&config)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &run)
            .env("XDG_RUNTIME_DIR", &run)
            .env("WLR_BACKENDS", "headless")
            .env("WLR_LIBINPUT_NO_DEVICES", "1")
            .env("WLR_RENDERER", "pixman")
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .kill_on_drop(true);
        // SAFETY: getuid cannot fail.
        if unsafe { libc::getuid() } == 0 {
            sway.uid(uid).gid(gid);
        }
        let mut sway = sway.spawn().expect("sway");
        let socket = eventually("sway's Wayland socket", || {
            let socket = std::fs::read_dir(&run).ok()?.flatten().find_map(|e| {
                let name = e.file_name().to_string_lossy().to_string();
                (name.starts_with("wayland-") && !name.ends_with(".lock")).then(|| e.path())
            });
            let ended = matches!(sway.try_wait(), Ok(Some(_)));
            match (socket, ended) {
                (Some(socket), _) => Some(Some(socket)),
                (None, true) => Some(None),
                (None, false) => None,
            }
        })
        .await;
        let Some(socket) = socket else {
            let log = std::fs::read_to_string(dir.path().join("sway.log")).unwrap_or_default();
            let last = log.lines().rev().take(5).collect::<Vec<_>>();
            cannot_run(&format!("sway did not start here: {last:?}"));
            return None;
        };
        Some(Session::with_bus(dir, Screen::Wayland { socket, sway }).await)
    }

    async fn with_bus(dir: tempfile::TempDir, screen: Screen) -> Session {
        let root = dir.path();
        for sub in [
            "home/.config",
            "home/.cache",
            "home/.local/share",
            "run",
            "services",
        ] {
            std::fs::create_dir_all(root.join(sub)).expect("session dir");
        }
        std::fs::set_permissions(root.join("run"), std::fs::Permissions::from_mode(0o700))
            .expect("chmod");
        // The system's session services, but none that would take the notification name.
        for entry in std::fs::read_dir("/usr/share/dbus-1/services")
            .expect("services")
            .flatten()
        {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            if !text
                .lines()
                .any(|l| l.trim() == "Name=org.freedesktop.Notifications")
            {
                let _ = std::fs::copy(entry.path(), root.join("services").join(entry.file_name()));
            }
        }
        let config = root.join("session.conf");
        std::fs::write(
            &config,
            desktop::bus_config(&root.join("run"), &root.join("services")),
        )
        .expect("bus config");
        let mut bus = Command::new("dbus-daemon");
        bus.arg(format!("--config-file={}", config.display()))
            .args(["--nofork", "--print-address=1"]);
        // What the bus gives the services it starts: this session's directories.
        for (key, value) in session_env(root) {
            bus.env(key, value);
        }
        if let Screen::X11 { display, .. } = &screen {
            bus.env("DISPLAY", display);
        }
        let (bus, bus_out, address) = desktop::spawn_and_read_line(bus, "dbus-daemon").await;
        Session {
            dir,
            _bus: bus,
            _bus_out: bus_out,
            bus: address,
            screen,
        }
    }

    /// The session bus address.
    pub fn bus(&self) -> &str {
        &self.bus
    }

    /// The session's own directory.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// `$XDG_CONFIG_HOME`.
    pub fn config_home(&self) -> PathBuf {
        self.dir.path().join("home/.config")
    }

    /// The X display, on an X11 session.
    pub fn display(&self) -> Option<&str> {
        match &self.screen {
            Screen::X11 { display, .. } => Some(display),
            Screen::Wayland { .. } => None,
        }
    }

    /// The Wayland socket (an absolute path), on a Wayland session.
    pub fn wayland_display(&self) -> Option<&Path> {
        match &self.screen {
            Screen::X11 { .. } => None,
            Screen::Wayland { socket, .. } => Some(socket),
        }
    }

    /// The environment of the session's programs: its directories and its screen.
    fn env(&self) -> Vec<(String, String)> {
        let mut env = session_env(self.dir.path());
        match &self.screen {
            Screen::X11 { display, .. } => env.push(("DISPLAY".into(), display.clone())),
            Screen::Wayland { socket, .. } => {
                env.push(("WAYLAND_DISPLAY".into(), socket.display().to_string()));
                env.push(("GDK_BACKEND".into(), "wayland".into()));
            }
        }
        env
    }

    /// The gate's configuration: `command` as the display daemon, on this session.
    pub fn gate_config(&self, command: &[impl AsRef<str>]) -> GateConfig {
        GateConfig {
            display_command: Some(command.iter().map(|a| a.as_ref().to_string()).collect()),
            session_bus: Some(self.bus.clone()),
            display_env: self.env(),
            start_timeout: PATIENCE,
            ..GateConfig::default()
        }
    }

    /// Starts the gate in-process with `command` as the display daemon (it stops when
    /// dropped).
    pub async fn start_gate(&self, keeper: Arc<Keeper>, command: &[impl AsRef<str>]) -> Gate {
        let shutdown = tokio_util::sync::CancellationToken::new();
        let config = self.gate_config(command);
        let line = config.display_command.clone().unwrap_or_default().join(" ");
        gate::start(keeper, config, shutdown)
            .await
            .unwrap_or_else(|e| panic!("the gate with {line}: {e}"))
    }

    /// Starts the gate in-process with `command` as the display daemon, and a [`Keeper`]
    /// whose questions nobody reads.
    pub async fn gate(&self, command: &[impl AsRef<str>]) -> Gate {
        let (keeper, _questions) = Keeper::new();
        self.start_gate(keeper, command).await
    }

    /// dunst with a test configuration (nothing expires).
    pub fn dunst_argv(&self) -> Vec<String> {
        let dunstrc = self.dir.path().join("dunstrc");
        std::fs::write(&dunstrc, desktop::DUNSTRC).expect("dunstrc");
        vec![
            "dunst".into(),
            "-config".into(),
            dunstrc.display().to_string(),
            "-verbosity".into(),
            "crit".into(),
        ]
    }

    /// A program of the session (an app, a daemon's tool), on its bus and screen.
    pub fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command
            .envs(self.env())
            .env("DBUS_SESSION_BUS_ADDRESS", &self.bus)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        command
    }

    /// Runs a program to its end (at most [`PATIENCE`]: a tool that hangs fails the test).
    pub async fn run(&self, program: &str, args: &[&str]) -> Output {
        tokio::time::timeout(PATIENCE, self.command(program).args(args).output())
            .await
            .unwrap_or_else(|_| panic!("{program} {args:?} did not end"))
            .unwrap_or_else(|e| panic!("{program}: {e}"))
    }

    /// Runs a program, asserts it succeeded, and returns its output, trimmed.
    pub async fn ok(&self, program: &str, args: &[&str]) -> String {
        let out = self.run(program, args).await;
        assert!(
            out.status.success(),
            "{program} {args:?}: {}\n{}{}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
}

/// `couper run` on a [`Session`], as a user runs it there: its settings file and store in
/// the session's directory, the CLI for everything else. Ended when dropped; its log is
/// printed when a test fails.
pub struct CouperRun<'s> {
    session: &'s Session,
    process: std::sync::Mutex<Child>,
    config: PathBuf,
    store: PathBuf,
    log: PathBuf,
    display_bus: String,
}

impl Session {
    /// Starts `couper run` with the settings `settings` and `env` on top of the session's,
    /// and waits until it serves (its status names its private bus).
    pub async fn couper_run(&self, settings: &str, env: &[(&str, &str)]) -> CouperRun<'_> {
        let config = self.dir().join("couper/settings.toml");
        std::fs::create_dir_all(self.dir().join("couper")).expect("couper dir");
        std::fs::write(&config, settings).expect("settings");
        let store = self.dir().join("couper/couper.sqlite3");
        let log = self.dir().join("couper/run.log");
        let process = self
            .command(env!("CARGO_BIN_EXE_couper"))
            .arg("run")
            .envs(env.iter().copied())
            .env("COUPER_CONFIG", &config)
            .env("COUPER_STORE", &store)
            .env("COUPER_LOG", "couper=info")
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("log"))
            .spawn()
            .expect("couper run");
        let mut run = CouperRun {
            session: self,
            process: std::sync::Mutex::new(process),
            config,
            store,
            log,
            display_bus: String::new(),
        };
        run.display_bus = eventually_async("couper run to serve", || async {
            let ended = run.process.lock().expect("lock").try_wait();
            if let Ok(Some(status)) = ended {
                panic!("couper run ended: {status}\n{}", run.log());
            }
            let out = run.couper(&["status", "--json"]).await;
            let status: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
            status["display_bus"].as_str().map(str::to_string)
        })
        .await;
        run
    }
}

impl CouperRun<'_> {
    /// Runs `couper ARGS` (the CLI) on the session, to its end.
    pub async fn couper(&self, args: &[&str]) -> Output {
        let command = self
            .session
            .command(env!("CARGO_BIN_EXE_couper"))
            .args(args)
            .env("COUPER_CONFIG", &self.config)
            .env("COUPER_STORE", &self.store)
            .output();
        tokio::time::timeout(PATIENCE, command)
            .await
            .unwrap_or_else(|_| panic!("couper {args:?} did not end"))
            .expect("couper")
    }

    /// Runs `couper ARGS`, which must succeed, and returns what it printed.
    pub async fn ok(&self, args: &[&str]) -> String {
        let out = self.couper(args).await;
        assert!(
            out.status.success(),
            "couper {args:?}: {}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// `couper status --json`.
    pub async fn status(&self) -> serde_json::Value {
        serde_json::from_str(&self.ok(&["status", "--json"]).await).expect("status JSON")
    }

    /// Couper's private bus, where the display daemon runs.
    pub fn display_bus(&self) -> &str {
        &self.display_bus
    }

    /// What `couper run` logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for CouperRun<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("--- couper run said:\n{}", self.log());
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Screen::Wayland { sway, .. } = &mut self.screen {
            let _ = sway.start_kill();
        }
        for pid in processes_in(&self.dir.path().join("run")) {
            // SAFETY: signalling, by its id, a process this session's bus started.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
    }
}

/// Polls `f` with a short backoff until it gives `Some`, for at most [`PATIENCE`]: for
/// state that belongs to another process and has no change signal to wait on.
pub async fn eventually<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    eventually_async(what, || std::future::ready(f())).await
}

/// A fresh directory for a session, that an ordinary user can traverse (sway's socket is
/// in it).
fn session_dir() -> tempfile::TempDir {
    let dir = tempfile::Builder::new()
        .prefix("couper-daemons-")
        .tempdir()
        .expect("temp dir");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    dir
}

/// The session's directories, as environment variables.
fn session_env(root: &Path) -> Vec<(String, String)> {
    let at = |sub: &str| root.join(sub).display().to_string();
    vec![
        ("HOME".into(), at("home")),
        ("XDG_CONFIG_HOME".into(), at("home/.config")),
        ("XDG_CACHE_HOME".into(), at("home/.cache")),
        ("XDG_DATA_HOME".into(), at("home/.local/share")),
        ("XDG_RUNTIME_DIR".into(), at("run")),
    ]
}
