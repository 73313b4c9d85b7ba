//! Real desktop shells for the steer route's tests: GNOME Shell headless (Wayland,
//! virtual monitor) and Plasma (plasmashell on Xvfb), each on a session bus of its
//! own, from Debian 12 (GNOME 43, Plasma 5.27: the host) or Debian 13 (GNOME 48, Plasma
//! 6.3: the chroot `scripts/trixie` makes, every program of the session run inside it,
//! this harness's directory bound at the same path there), run as an ordinary user (`couper-test`, made with `useradd` when the tests run as
//! root), with a fresh home and a fresh `XDG_RUNTIME_DIR` (an unclean GNOME stop leaves a
//! file there that disables extensions next time).
//!
//! What the shell showed is read back: on GNOME through a test-only extension
//! (`tests/fixtures/couper-test@couper.org`) that reports which notifications became
//! banners and which only went to the tray; on Plasma by the visible popup windows
//! (`xdotool`).
//!
//! Everything started here is ended on drop: the process groups spawned, and the
//! processes the session bus started for the shell (found by their environment, which
//! names this shell's own runtime directory).
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The user the shells (and tests/common/daemons.rs's sway) run as, when the tests run as
/// root.
pub const USER: &str = "couper-test";
/// The test extension's uuid (GNOME 43).
const PROBE: &str = "couper-test@couper.org";
/// The test extension's uuid (GNOME 45 and later).
const PROBE_45: &str = "couper-test-45@couper.org";

/// `on_both_debians!(case)` makes two tests of `fn case(debian: Debian)`: `case::debian_12`
/// on the host's shells and `case::debian_13` on the chroot's.
#[macro_export]
macro_rules! on_both_debians {
    ($case:ident) => {
        mod $case {
            #[test]
            fn debian_12() {
                super::$case($crate::shells::Debian::Twelve)
            }
            #[test]
            fn debian_13() {
                super::$case($crate::shells::Debian::Thirteen)
            }
        }
    };
}

/// Which Debian the shell comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Debian {
    /// Debian 12 (bookworm), the host: GNOME Shell 43, Plasma 5.27.
    Twelve,
    /// Debian 13 (trixie), in the chroot `scripts/trixie make` made: GNOME Shell 48,
    /// Plasma 6.3.
    Thirteen,
}

impl Debian {
    /// The root the shell's programs run in: `/` for the host, the chroot for trixie.
    fn root(self) -> Option<PathBuf> {
        match self {
            Debian::Twelve => Some(PathBuf::from("/")),
            Debian::Thirteen => {
                let out = Command::new(trixie_script()).arg("path").output().ok()?;
                let root = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
                root.join(".couper-packages").is_file().then_some(root)
            }
        }
    }
}

fn trixie_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/trixie")
}

/// Which shell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// GNOME Shell.
    Gnome,
    /// Plasma.
    Plasma,
}

/// A running shell in a session of its own.
pub struct Shell {
    kind: Kind,
    debian: Debian,
    /// The chroot the session's programs run in (Debian 13), or `None` for the host.
    chroot: Option<PathBuf>,
    root: PathBuf,
    uid: u32,
    gid: u32,
    display: Option<String>,
    groups: Vec<Child>,
}

/// What the GNOME probe saw of one notification.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Seen {
    /// The title (the summary).
    pub title: String,
    /// The body.
    pub body: String,
    /// 0 low, 1 normal, 3 critical (GNOME's scale).
    pub urgency: u8,
    /// A banner was asked for.
    pub banner: bool,
    /// It went to the tray (the notification list).
    pub tray: bool,
    /// It was closed or withdrawn since.
    pub destroyed: bool,
}

fn installed(system: &Path, program: &str) -> bool {
    std::env::var_os("PATH")
        .map(|paths| {
            std::env::split_paths(&paths).any(|p| {
                system
                    .join(p.strip_prefix("/").unwrap_or(&p))
                    .join(program)
                    .is_file()
            })
        })
        .unwrap_or(false)
}

/// The root of `debian`'s programs, or `None` (with a note) when it is not there: on CI
/// (`CI` set) a missing shell fails the test instead, since `scripts/setup --tests`
/// installs them all.
fn system(debian: Debian, programs: &[&str]) -> Option<PathBuf> {
    let root = debian
        .root()
        .filter(|root| programs.iter().all(|p| installed(root, p)));
    if root.is_none() {
        let what = format!(
            "{} of {debian:?} is not installed (scripts/setup --tests installs it{})",
            programs.join(", "),
            if debian == Debian::Thirteen {
                ", with scripts/trixie make"
            } else {
                ""
            }
        );
        assert!(std::env::var_os("CI").is_none(), "{what}");
        eprintln!("skipped: {what}");
    }
    root
}

/// The processes of a session whose runtime directory is `runtime_dir` (their environment
/// names it), this harness aside: what a session bus started for it, to end them.
pub fn processes_in(runtime_dir: &Path) -> Vec<i32> {
    let marker = format!("XDG_RUNTIME_DIR={}", runtime_dir.display());
    let me = std::process::id() as i32;
    std::fs::read_dir("/proc")
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
                .filter(|pid| *pid != me)
                .filter(|pid| {
                    std::fs::read(format!("/proc/{pid}/environ"))
                        .map(|env| env.split(|b| *b == 0).any(|var| var == marker.as_bytes()))
                        .unwrap_or(false)
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Polls `f` with a short backoff until it gives `Some`, for at most `timeout`.
pub fn wait_for<T>(what: &str, timeout: Duration, f: impl FnMut() -> Option<T>) -> T {
    crate::poll::within_blocking(what, timeout, f)
}

/// The ids a desktop runs with: [`USER`]'s when the tests run as root (made with `useradd`
/// if need be), else the harness's own.
pub fn test_user() -> (u32, u32) {
    // SAFETY: getuid/getgid cannot fail.
    let uid = unsafe { libc::getuid() };
    if uid != 0 {
        return (uid, unsafe { libc::getgid() });
    }
    let id = |flag: &str| {
        Command::new("id")
            .args([flag, USER])
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| {
                String::from_utf8_lossy(&o.stdout)
                    .trim()
                    .parse::<u32>()
                    .ok()
            })
    };
    if id("-u").is_none() {
        let made = Command::new("useradd")
            .args([
                "--system",
                "--no-create-home",
                "--shell",
                "/usr/sbin/nologin",
                USER,
            ])
            .status()
            .expect("useradd");
        assert!(
            made.success() || id("-u").is_some(),
            "useradd {USER} failed"
        );
    }
    (id("-u").expect("uid"), id("-g").expect("gid"))
}

impl Shell {
    /// GNOME Shell of `debian`, or `None` (with a note) when it is not installed.
    pub fn gnome(debian: Debian) -> Option<Shell> {
        let system = system(debian, &["gnome-shell", "gjs", "gdbus", "notify-send"])?;
        let mut shell = Shell::prepare(Kind::Gnome, debian, &system);
        let system = shell.root.join("system.conf");
        std::fs::write(
            &system,
            bus_config("system", &shell.root.join("run/system_bus"), None),
        )
        .expect("system bus config");
        shell.spawn_daemon(&system);
        shell.spawn_daemon(&shell.root.join("session.conf"));
        shell.wait_for_bus();
        let extensions = shell.root.join("home/.local/share/gnome-shell/extensions");
        // GNOME 45 and later load extensions as ES modules: a probe of their own.
        let probe = match debian {
            Debian::Twelve => PROBE,
            Debian::Thirteen => PROBE_45,
        };
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(probe),
            &extensions.join(probe),
        );
        shell.chown();
        shell.ok(
            "gsettings",
            &[
                "set",
                "org.gnome.shell",
                "enabled-extensions",
                &format!("['{probe}']"),
            ],
        );
        shell.ok(
            "gsettings",
            &["set", "org.gnome.shell", "disable-user-extensions", "false"],
        );
        let mut gnome = shell.command("gnome-shell");
        gnome.args([
            "--headless",
            "--wayland",
            "--no-x11",
            "--virtual-monitor",
            "1024x768",
        ]);
        shell.spawn(gnome);
        shell.wait_for_name("org.couper.TestShell", Duration::from_secs(30));
        shell.wait_for_name("org.freedesktop.Notifications", Duration::from_secs(30));
        // GNOME greets a session without a display manager with a notification: let it
        // come, then clear the slate.
        let _ = (0..20).find(|_| {
            std::thread::sleep(Duration::from_millis(100));
            shell.seen().iter().any(|s| s.title.contains("Screen Lock"))
        });
        shell.clear();
        Some(shell)
    }

    /// Plasma of `debian` on Xvfb, or `None` (with a note) when it is not installed.
    pub fn plasma(debian: Debian) -> Option<Shell> {
        let system = system(
            debian,
            &["plasmashell", "xdotool", "Xvfb", "gdbus", "notify-send"],
        )?;
        let mut shell = Shell::prepare(Kind::Plasma, debian, &system);
        // Tall: Plasma stacks popups up the screen and queues what does not fit, and
        // critical ones (crises) stay until closed.
        let mut xvfb = shell.root_command("Xvfb");
        xvfb.args([
            "-screen",
            "0",
            "1280x2400x24",
            "-nolisten",
            "tcp",
            "-displayfd",
            "1",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0);
        let mut child = xvfb.spawn().expect("Xvfb");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("Xvfb stdout"))
            .read_line(&mut line)
            .expect("Xvfb display");
        shell.display = Some(format!(":{}", line.trim()));
        shell.groups.push(child);
        shell.spawn_daemon(&shell.root.join("session.conf"));
        shell.wait_for_bus();
        shell.chown();
        shell.ok(
            "dbus-update-activation-environment",
            &[
                "DISPLAY",
                "XDG_RUNTIME_DIR",
                "HOME",
                "XDG_CONFIG_HOME",
                "XDG_DATA_HOME",
                "XDG_CACHE_HOME",
            ],
        );
        let mut plasma = shell.command("plasmashell");
        plasma.arg("--no-respawn");
        shell.spawn(plasma);
        shell.wait_for_name("org.freedesktop.Notifications", Duration::from_secs(60));
        shell.wait_for_name("org.kde.plasmashell", Duration::from_secs(60));
        // Plasma's first popup comes once its notification applet has loaded.
        std::thread::sleep(Duration::from_secs(2));
        Some(shell)
    }

    fn prepare(kind: Kind, debian: Debian, system: &Path) -> Shell {
        let (uid, gid) = test_user();
        let chroot = (debian == Debian::Thirteen).then(|| system.to_path_buf());
        if let Some(chroot) = &chroot {
            user_in(chroot, uid, gid);
        }
        let root = tempfile::Builder::new()
            .prefix("couper-shell-")
            .tempdir()
            .expect("temp dir")
            .keep();
        for dir in [
            "home/.config/couper",
            "home/.local/share/applications",
            "home/.cache",
            "run",
            "services",
        ] {
            std::fs::create_dir_all(root.join(dir)).expect("dir");
        }
        for app in ["slack", "teams", "firefox"] {
            std::fs::write(
                root.join(format!("home/.local/share/applications/{app}.desktop")),
                format!("[Desktop Entry]\nType=Application\nName={app}\nExec=true\n"),
            )
            .expect("desktop file");
        }
        // The session's activatable services, but none that would take the notification
        // name from the shell (dunst, Plasma's stand-in).
        for entry in std::fs::read_dir(system.join("usr/share/dbus-1/services"))
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
        std::fs::write(
            root.join("session.conf"),
            bus_config(
                "session",
                &root.join("run/bus"),
                Some(&root.join("services")),
            ),
        )
        .expect("session bus config");
        let shell = Shell {
            kind,
            debian,
            chroot,
            root,
            uid,
            gid,
            display: None,
            groups: Vec::new(),
        };
        std::fs::set_permissions(
            &shell.root,
            std::os::unix::fs::PermissionsExt::from_mode(0o755),
        )
        .expect("chmod");
        std::fs::set_permissions(
            shell.root.join("run"),
            std::os::unix::fs::PermissionsExt::from_mode(0o700),
        )
        .expect("chmod");
        shell.chown();
        shell
    }

    /// Gives the session's files to its user. The shell's own files come and go as the
    /// walk runs (KDE's `*.lock` files): a file that vanished under `chown -R` makes it
    /// fail, so it walks again; only a failure with nothing vanishing counts.
    fn chown(&self) {
        let owner = format!("{}:{}", self.uid, self.gid);
        let mut said = String::new();
        for _ in 0..5 {
            let out = Command::new("chown")
                .args(["-R", &owner])
                .arg(&self.root)
                .stderr(Stdio::piped())
                .output()
                .expect("chown");
            if out.status.success() {
                return;
            }
            said = String::from_utf8_lossy(&out.stderr).into_owned();
            if !said
                .lines()
                .all(|l| l.contains("No such file or directory"))
            {
                break;
            }
        }
        panic!("chown -R {owner} {}: {said}", self.root.display());
    }

    /// The session's home.
    pub fn home(&self) -> PathBuf {
        self.root.join("home")
    }

    /// The X display (Plasma).
    pub fn display(&self) -> Option<&str> {
        self.display.as_deref()
    }

    /// The session bus address.
    pub fn bus(&self) -> String {
        format!("unix:path={}", self.root.join("run/bus").display())
    }

    /// A command run as the harness's own user, in the chroot for Debian 13 (the X
    /// server, which as root may make `/tmp/.X11-unix`).
    fn root_command(&self, program: &str) -> Command {
        match &self.chroot {
            None => Command::new(program),
            Some(_) => {
                let mut c = Command::new(trixie_script());
                c.args(["exec", "--"]).arg(program);
                c
            }
        }
    }

    /// A command run as the session's user, in its environment (inside the chroot for
    /// Debian 13).
    pub fn command(&self, program: &str) -> Command {
        // SAFETY: getuid cannot fail.
        let root_user = unsafe { libc::getuid() } == 0;
        let mut command = match &self.chroot {
            None => Command::new(program),
            Some(_) => {
                let mut c = Command::new(trixie_script());
                c.arg("exec");
                if root_user {
                    c.args(["--user", &format!("{}:{}", self.uid, self.gid)]);
                }
                c.arg("--bind").arg(&self.root).arg("--").arg(program);
                c
            }
        };
        let home = self.home();
        command
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("LANG", "C.UTF-8")
            .env("HOME", &home)
            .env("USER", USER)
            .env("XDG_RUNTIME_DIR", self.root.join("run"))
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("XDG_CACHE_HOME", home.join(".cache"))
            .env("XDG_DATA_DIRS", "/usr/local/share:/usr/share")
            .env("DBUS_SESSION_BUS_ADDRESS", self.bus())
            .env(
                "DBUS_SYSTEM_BUS_ADDRESS",
                format!("unix:path={}", self.root.join("run/system_bus").display()),
            )
            .current_dir(&home);
        if let Some(display) = &self.display {
            command.env("DISPLAY", display);
        }
        if self.kind == Kind::Plasma {
            // What a Plasma login sets: Plasma 6's app index (and so every per-app
            // setting) needs it.
            command.env("XDG_MENU_PREFIX", "plasma-");
        }
        // The chroot's mounts need root: the script drops to the user inside.
        if root_user && self.chroot.is_none() {
            command.uid(self.uid).gid(self.gid);
        }
        command
    }

    fn spawn(&mut self, mut command: Command) {
        let log = std::fs::File::create(self.root.join(format!("log-{}", self.groups.len())))
            .expect("log");
        command
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .process_group(0);
        self.groups.push(command.spawn().expect("spawn"));
    }

    fn spawn_daemon(&mut self, config: &Path) {
        let mut bus = self.command("dbus-daemon");
        bus.arg(format!("--config-file={}", config.display()))
            .arg("--nofork");
        self.spawn(bus);
    }

    fn wait_for_bus(&self) {
        let socket = self.root.join("run/bus");
        wait_for("the session bus", Duration::from_secs(10), || {
            socket.exists().then_some(())
        });
        let system = self.root.join("run/system_bus");
        if self.kind == Kind::Gnome {
            wait_for("the system bus", Duration::from_secs(10), || {
                system.exists().then_some(())
            });
        }
    }

    /// Runs `program args` as the user; its output.
    pub fn run(&self, program: &str, args: &[&str]) -> Output {
        let mut command = self.command(program);
        command.args(args).stdin(Stdio::null());
        retry_busy(|| command.output()).unwrap_or_else(|e| panic!("{program}: {e}"))
    }

    /// Runs `program args` as the user and asserts it succeeded; its stdout.
    pub fn ok(&self, program: &str, args: &[&str]) -> String {
        let out = self.run(program, args);
        assert!(
            out.status.success(),
            "{program} {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    fn name_has_owner(&self, name: &str) -> bool {
        let out = self.run(
            "gdbus",
            &[
                "call",
                "--session",
                "--dest",
                "org.freedesktop.DBus",
                "--object-path",
                "/org/freedesktop/DBus",
                "--method",
                "org.freedesktop.DBus.NameHasOwner",
                name,
            ],
        );
        String::from_utf8_lossy(&out.stdout).contains("true")
    }

    /// Waits until `name` has an owner on the session bus.
    pub fn wait_for_name(&self, name: &str, timeout: Duration) {
        wait_for(name, timeout, || self.name_has_owner(name).then_some(()));
    }

    /// `notify-send -p ARGS`: the id the app got.
    pub fn notify(&self, args: &[&str]) -> u32 {
        let mut all = vec!["-p"];
        all.extend_from_slice(args);
        self.ok("notify-send", &all)
            .parse()
            .expect("notify-send -p prints the id")
    }

    /// `notify-send -p -w ARGS`, left running: an app that stays on the bus while its
    /// notification is shown (GNOME 46 and later take an app's notifications down when
    /// the process that posted them leaves the bus). The id it got, and the process.
    pub fn notify_alive(&self, args: &[&str]) -> (u32, Alive) {
        // libnotify 0.8.1 (Debian 12) prints the id with printf and no flush: line
        // buffering makes it come out before the wait.
        let mut command = self.command("stdbuf");
        command
            .args(["-oL", "notify-send", "-p", "-w"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .process_group(0);
        let mut child = retry_busy(|| command.spawn()).expect("notify-send");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("notify-send -p prints the id");
        let id = line.trim().parse().expect("an id");
        (id, Alive(child))
    }

    /// Writes Couper's settings file.
    pub fn settings(&self, text: &str) {
        let path = self.home().join(".config/couper/settings.toml");
        std::fs::write(&path, text).expect("settings");
        self.chown();
    }

    /// The couper binary, copied where the session's user can run it (the build tree
    /// may sit in a directory only root can enter).
    fn couper_bin(&self) -> String {
        let bin = self.root.join("couper");
        if !bin.exists() {
            std::fs::copy(env!("CARGO_BIN_EXE_couper"), &bin).expect("copy couper");
        }
        bin.display().to_string()
    }

    /// `couper ARGS` as the user.
    pub fn couper(&self, args: &[&str]) -> Output {
        self.run(&self.couper_bin(), args)
    }

    /// `couper ARGS`, asserting success; its stdout.
    pub fn couper_ok(&self, args: &[&str]) -> String {
        self.ok(&self.couper_bin(), args)
    }

    /// Starts `couper run` and waits until it answers on the steer route.
    pub fn start_couper(&self) -> Couper {
        let log = self.root.join("couper.log");
        let mut run = self.command(&self.couper_bin());
        run.arg("run")
            .env("COUPER_LOG", "couper=debug")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("log"))
            .process_group(0);
        let child = retry_busy(|| run.spawn()).expect("couper run");
        let couper = Couper { child, log };
        let want = match self.kind {
            Kind::Gnome => "gnome",
            Kind::Plasma => "plasma",
        };
        let status = wait_for(
            "couper run on the steer route",
            Duration::from_secs(20),
            || {
                let out = self.couper(&["status", "--json"]);
                let status: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
                (status["route"] == want).then_some(status)
            },
        );
        // The shell of the Debian asked for, recognised as such.
        let version = match (self.kind, self.debian) {
            (Kind::Gnome, Debian::Twelve) => "GNOME Shell 43.",
            (Kind::Gnome, Debian::Thirteen) => "GNOME Shell 48.",
            (Kind::Plasma, Debian::Twelve) => "Plasma 5.27.",
            (Kind::Plasma, Debian::Thirteen) => "Plasma 6.3.",
        };
        let reason = status["route_reason"].as_str().unwrap_or_default();
        assert!(reason.starts_with(version), "{reason}");
        couper
    }

    /// GNOME: a per-app notification setting.
    pub fn app_setting(&self, app: &str, key: &str) -> String {
        self.ok("gsettings", &["get", &app_schema(app), key])
    }

    /// GNOME: sets a per-app notification setting, as the user would.
    pub fn set_app_setting(&self, app: &str, key: &str, value: &str) {
        self.ok("gsettings", &["set", &app_schema(app), key, value]);
    }

    /// GNOME: what the probe saw since the last [`Shell::clear`].
    pub fn seen(&self) -> Vec<Seen> {
        let out = self.run(
            "gdbus",
            &[
                "call",
                "--session",
                "--dest",
                "org.couper.TestShell",
                "--object-path",
                "/org/couper/TestShell",
                "--method",
                "org.couper.TestShell.Seen",
            ],
        );
        let text = String::from_utf8_lossy(&out.stdout);
        serde_json::from_str(&gvariant_string(&text)).unwrap_or_default()
    }

    /// GNOME: the notification titled `title`, once the shell has it.
    pub fn seen_one(&self, title: &str) -> Seen {
        wait_for(title, Duration::from_secs(10), || {
            self.seen().into_iter().find(|s| s.title == title)
        })
    }

    /// GNOME: forgets what the probe saw and takes the banners off the screen.
    pub fn clear(&self) {
        self.ok(
            "gdbus",
            &[
                "call",
                "--session",
                "--dest",
                "org.couper.TestShell",
                "--object-path",
                "/org/couper/TestShell",
                "--method",
                "org.couper.TestShell.Clear",
            ],
        );
    }

    /// Plasma: the visible popup windows (336 px wide), by window id.
    pub fn popups(&self) -> BTreeSet<String> {
        // A window that closes during the search makes xdotool fail (BadWindow): what it
        // printed is still good.
        let out = self.run(
            "xdotool",
            &["search", "--onlyvisible", "--class", "plasmashell"],
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|w| {
                let geometry = self.run("xdotool", &["getwindowgeometry", w]);
                String::from_utf8_lossy(&geometry.stdout).contains("Geometry: 336x")
            })
            .map(str::to_string)
            .collect()
    }

    /// Plasma: whether a popup window that was not there before appears within `within`.
    pub fn new_popup(&self, before: &BTreeSet<String>, within: Duration) -> bool {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if self.popups().difference(before).next().is_some() {
                return true;
            }
            std::thread::sleep(Duration::from_millis(150));
        }
        false
    }

    /// Plasma: `plasmanotifyrc` as it is.
    pub fn plasmanotifyrc(&self) -> String {
        std::fs::read_to_string(self.home().join(".config/plasmanotifyrc")).unwrap_or_default()
    }

    /// Plasma: writes `plasmanotifyrc` as the user would have it.
    pub fn write_plasmanotifyrc(&self, text: &str) {
        std::fs::write(self.home().join(".config/plasmanotifyrc"), text).expect("plasmanotifyrc");
        self.chown();
    }

    /// The processes this shell's session started.
    fn session_processes(&self) -> Vec<i32> {
        processes_in(&self.root.join("run"))
    }
}

impl Drop for Shell {
    fn drop(&mut self) {
        for child in &self.groups {
            // SAFETY: signalling a process group this harness created.
            unsafe { libc::kill(-(child.id() as i32), libc::SIGKILL) };
        }
        for child in &mut self.groups {
            let _ = child.wait();
        }
        // The bus may still be starting a service as it dies: sweep until none is left.
        for _ in 0..20 {
            let left = self.session_processes();
            if left.is_empty() {
                break;
            }
            for pid in left {
                // SAFETY: signalling a process of this session, by its id.
                unsafe { libc::kill(pid, libc::SIGKILL) };
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        if std::env::var_os("COUPER_KEEP_SHELL").is_none() {
            let _ = std::fs::remove_dir_all(&self.root);
        } else {
            eprintln!("kept {}", self.root.display());
        }
    }
}

/// An app still running (see [`Shell::notify_alive`]); ended on drop.
pub struct Alive(Child);

impl Drop for Alive {
    fn drop(&mut self) {
        // SAFETY: signalling the process group this harness created.
        unsafe { libc::kill(-(self.0.id() as i32), libc::SIGKILL) };
        let _ = self.0.wait();
    }
}

/// A running `couper run`.
pub struct Couper {
    child: Child,
    log: PathBuf,
}

impl Couper {
    /// Stops it as systemd would (SIGTERM) and waits for it.
    pub fn stop(mut self) {
        // SAFETY: signalling our own child by its id.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(15);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                assert!(
                    status.success(),
                    "couper run ended with {status}: {}",
                    self.log()
                );
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("couper run did not stop: {}", self.log());
    }

    /// kill -9.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Its log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Couper {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs `f` again while it fails with "text file busy": the couper binary was just copied,
/// and another test's fork may still hold the copy's descriptor until it execs.
fn retry_busy<T>(mut f: impl FnMut() -> std::io::Result<T>) -> std::io::Result<T> {
    let mut tries = 0;
    loop {
        match f() {
            Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy && tries < 50 => {
                tries += 1;
                std::thread::sleep(Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

/// The string inside gdbus's `('…',)` or `("…",)`, unescaped.
fn gvariant_string(text: &str) -> String {
    let inner = text.trim().trim_start_matches('(').trim_end_matches(",)");
    let inner = inner.get(1..inner.len().saturating_sub(1)).unwrap_or("");
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                if let Some(c) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    out.push(c);
                }
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

fn app_schema(app: &str) -> String {
    format!("org.gnome.desktop.notifications.application:/org/gnome/desktop/notifications/application/{app}/")
}

fn bus_config(kind: &str, socket: &Path, services: Option<&Path>) -> String {
    let services = services
        .map(|d| format!("<servicedir>{}</servicedir>", d.display()))
        .unwrap_or_default();
    format!(
        r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>{kind}</type>
  <listen>unix:path={}</listen>
  <auth>EXTERNAL</auth>
  {services}
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
    <allow user="*"/>
  </policy>
</busconfig>
"#,
        socket.display()
    )
}

/// The harness's user in the chroot's own user database, with the host's ids.
fn user_in(chroot: &Path, uid: u32, gid: u32) {
    let add = |file: &str, line: String| {
        let path = chroot.join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        if !text.lines().any(|l| l.starts_with(&format!("{USER}:"))) {
            let mut text = text;
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            text.push_str(&line);
            std::fs::write(&path, text).expect("chroot user");
        }
    };
    add(
        "etc/passwd",
        format!("{USER}:x:{uid}:{gid}::/nonexistent:/usr/sbin/nologin\n"),
    );
    add("etc/group", format!("{USER}:x:{gid}:\n"));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("dir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
    }
}
