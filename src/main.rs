//! `couper`: maps each command to the library and errors to exit codes
//! (0 success, 1 refused input with a one-line reason on stderr, 2 usage).

use anyhow::Context;
use couper::cli::{self, Cli, Command};
use couper::control::CouperProxy;
use couper::settings;
use couper::t;
use couper::words::Lang;
use std::process::ExitCode;

fn main() -> ExitCode {
    // The settings' language (else the locale's), for the help too: --config is read
    // before clap parses the rest.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = cli::language(cli::config_in(&args).as_deref());
    let cli = cli::parse_from(args, lang);
    match run(cli, lang) {
        Ok(code) => code,
        // Its reader has what it wanted (`couper status | head`): nothing more to say.
        Err(e) if e.chain().any(|cause| cause.is::<StdoutClosed>()) => ExitCode::SUCCESS,
        Err(e) => {
            tell(format_args!("couper: {}", one_line(&e)));
            ExitCode::from(1)
        }
    }
}

/// stdout was closed before the command had printed all (a pipe whose reader ended).
///
/// Every command prints through [`say`], and `main` ends quietly on this error with exit
/// 0, as ripgrep does. Rather than SIGPIPE set back to its default: `couper run` and the
/// tray app's gate write to sockets and to their children's pipes, where a reader gone
/// must be an error to handle, not the end of the gate.
#[derive(Debug, thiserror::Error)]
#[error("stdout is closed")]
struct StdoutClosed;

/// Prints `text` and a newline on stdout.
fn say(text: impl std::fmt::Display) -> anyhow::Result<()> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(StdoutClosed.into()),
        done => done.context("cannot write to stdout"),
    }
}

/// Prints `text` and a newline on stderr, if it can (a closed stderr is no reason to stop).
fn tell(text: impl std::fmt::Display) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{text}");
}

/// A writer that notes when its reader has gone (`couper simulate | head`).
struct Watched<W> {
    inner: W,
    closed: bool,
}

impl<W: std::io::Write> Watched<W> {
    fn note<T>(&mut self, done: std::io::Result<T>) -> std::io::Result<T> {
        if let Err(e) = &done {
            self.closed |= e.kind() == std::io::ErrorKind::BrokenPipe;
        }
        done
    }
}

impl<W: std::io::Write> std::io::Write for Watched<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let done = self.inner.write(buf);
        self.note(done)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        let done = self.inner.flush();
        self.note(done)
    }
}

/// The error and its causes on one line; a cause the message already quotes (an error
/// that wraps another and says its text) is not said twice.
fn one_line(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line.replace('\n', "; ")
}

/// The settings at `path`, or why not in `lang` (the error's Display is English, for logs).
fn load(path: &std::path::Path, lang: Lang) -> anyhow::Result<settings::Settings> {
    settings::load(path).map_err(|e| anyhow::anyhow!(e.said(lang)))
}

/// The store's default path, or why there is none.
fn store_path(lang: Lang) -> anyhow::Result<std::path::PathBuf> {
    couper::store::default_path().ok_or_else(|| anyhow::anyhow!(t!(lang, "couper-no-data-dir")))
}

fn run(cli: Cli, lang: Lang) -> anyhow::Result<ExitCode> {
    let path = settings::default_path(cli.config.as_deref())
        .ok_or_else(|| anyhow::anyhow!(t!(lang, "couper-no-settings-path")))?;
    match cli.command {
        Command::Check if !path.exists() => {
            tell(t!(
                lang,
                "couper-no-such-file",
                path = path.display().to_string()
            ));
            Ok(ExitCode::from(1))
        }
        Command::Check => match settings::load(&path) {
            Ok(_) => {
                say(t!(lang, "couper-ok"))?;
                Ok(ExitCode::SUCCESS)
            }
            Err(e) => {
                tell(e.said(lang));
                Ok(ExitCode::from(1))
            }
        },
        Command::Simulate { json: _, history } => {
            let settings = load(&path, lang)?;
            let dir;
            let mut store = match history {
                Some(path) => couper::store::Store::open(&path)?,
                None => {
                    dir = tempfile::tempdir().context(t!(lang, "couper-no-temp-dir"))?;
                    couper::store::Store::open_scratch(&dir.path().join("simulate.sqlite3"))?
                }
            };
            if let Some(location) = &settings.on_call.calendar {
                // The team's calendar is read once; the replay uses that copy.
                let text = couper::calendar::fetch(&couper::calendar::locate(location, &path))?;
                let copy = couper::calendar::Copy {
                    location: location.clone(),
                    fetched_at: jiff::Timestamp::now(),
                    text,
                };
                couper::calendar::keep_in(&mut store, &copy)?;
            }
            let stdin = std::io::stdin().lock();
            let mut stdout = Watched {
                inner: std::io::BufWriter::new(std::io::stdout().lock()),
                closed: false,
            };
            let done = couper::simulate::run(&settings, store, stdin, &mut stdout)
                .map_err(anyhow::Error::from)
                .and_then(|()| Ok(std::io::Write::flush(&mut stdout)?));
            match done {
                Err(_) if stdout.closed => Err(StdoutClosed.into()),
                done => done.map(|()| ExitCode::SUCCESS),
            }
        }
        Command::Run { replace } => {
            couper::live::init_logs();
            let store_path = store_path(lang)?;
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()?;
            let ran = runtime.block_on(async {
                let shutdown = tokio_util::sync::CancellationToken::new();
                let stop = shutdown.clone();
                tokio::spawn(async move {
                    let mut term =
                        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                            .ok();
                    tokio::select! {
                        _ = tokio::signal::ctrl_c() => {}
                        _ = async { match term.as_mut() { Some(t) => { t.recv().await; } None => std::future::pending().await } } => {}
                    }
                    stop.cancel();
                });
                let options = couper::daemon::RunOptions {
                    settings_path: path,
                    store_path,
                    session_bus: None,
                    replace,
                    refuse_user_daemon: true,
                };
                match couper::daemon::run(options, shutdown).await {
                    Err(e @ couper::live::LiveError::AlreadyRunning { .. }) => {
                        Err(already_running(e, lang).await)
                    }
                    // Said in the CLI's language (Display stays English, for the log).
                    Err(e) => Err(anyhow::anyhow!(e.said(lang))),
                    Ok(()) => Ok(()),
                }
            });
            // A read still under way on a blocking thread (a calendar server that is slow
            // to answer) does not keep a stopped gate alive.
            runtime.shutdown_timeout(std::time::Duration::from_secs(1));
            ran?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Restore => restore(lang),
        Command::Forget { before, all: _ } => forget(&path, before.as_deref(), lang),
        Command::Report(args) => report(&path, &args, lang),
        Command::Reply {
            lang: asked,
            history,
            at,
        } => reply(&path, asked, history, at, lang),
        Command::Browser(action) => {
            say(couper::browser::run(&action, &path, lang)?)?;
            Ok(ExitCode::SUCCESS)
        }
        command => client(command, lang),
    }
}

/// Why `couper run` does not start next to another gate: the tray app's own gate is named
/// as such; another `couper run` keeps the gate's own message.
async fn already_running(e: couper::live::LiveError, lang: Lang) -> anyhow::Error {
    let app = match zbus::Connection::session().await {
        Ok(conn) => couper::control::app_gate(&conn).await,
        Err(_) => None,
    };
    match app {
        Some(pid) => anyhow::anyhow!(t!(lang, "couper-app-gates", pid = pid.to_string())),
        None => anyhow::anyhow!(e.said(lang)),
    }
}

/// `couper restore`: puts back every desktop setting a steer route changed and journaled
/// (after a crash or a kill -9; a gate that stops puts them back itself).
fn restore(lang: Lang) -> anyhow::Result<ExitCode> {
    let store_path = store_path(lang)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let session = zbus::Connection::session().await.ok();
        if let Some(conn) = &session {
            if running_gate(conn).await?.is_some() {
                anyhow::bail!(t!(lang, "couper-gate-restores"));
            }
        }
        let store = couper::store::Store::open(&store_path)?;
        let keep: std::sync::Arc<dyn couper::steer::Keep> =
            std::sync::Arc::new(std::sync::Mutex::new(store));
        let done = couper::steer::restore_all(keep, session, None).await?;
        if done.is_empty() {
            say(t!(lang, "couper-nothing-to-restore"))?;
        }
        for line in done {
            say(line.said(lang))?;
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// `--at` as given, or now.
fn instant(at: Option<&str>, lang: Lang) -> anyhow::Result<jiff::Timestamp> {
    match at {
        Some(text) => text
            .parse()
            .map_err(|_| anyhow::anyhow!(t!(lang, "couper-bad-at", at = format!("{text:?}")))),
        None => Ok(jiff::Timestamp::now()),
    }
}

/// The store given with `--history` (it must exist), or Couper's own.
fn history_store(
    history: Option<&std::path::Path>,
    lang: Lang,
) -> anyhow::Result<couper::store::Store> {
    let path = match history {
        Some(path) if !path.exists() => anyhow::bail!(t!(
            lang,
            "couper-no-such-store",
            path = path.display().to_string()
        )),
        Some(path) => path.to_path_buf(),
        None => store_path(lang)?,
    };
    Ok(couper::store::Store::open(&path)?)
}

/// `couper report`: read from the store directly (a running gate keeps writing to it;
/// SQLite lets both in).
fn report(
    settings_path: &std::path::Path,
    args: &cli::ReportArgs,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let query = args.query(lang).map_err(anyhow::Error::msg)?;
    let now = instant(args.at.as_deref(), lang)?;
    let settings = load(settings_path, lang)?;
    let store = history_store(args.history.as_deref(), lang)?;
    let out = couper::report::answer(&settings, &store, &query, now)?;
    say(out.strip_suffix('\n').unwrap_or(&out))?;
    Ok(ExitCode::SUCCESS)
}

/// `couper reply`: the running gate's answer, or computed here from the settings and
/// the store (with `--history` or `--at`, or when no gate runs).
fn reply(
    settings_path: &std::path::Path,
    asked: Option<String>,
    history: Option<std::path::PathBuf>,
    at: Option<String>,
    cli_lang: Lang,
) -> anyhow::Result<ExitCode> {
    let lang = couper::reply::lang(asked.as_deref().unwrap_or(""), cli_lang)
        .map_err(anyhow::Error::msg)?;
    if history.is_none() && at.is_none() {
        if let Some(text) = reply_from_gate(lang) {
            say(text)?;
            return Ok(ExitCode::SUCCESS);
        }
    }
    let now = instant(at.as_deref(), cli_lang)?;
    let settings = load(settings_path, cli_lang)?;
    let store = history_store(history.as_deref(), cli_lang)?;
    say(couper::reply::without_gate(&settings, &store, now, lang)?)?;
    Ok(ExitCode::SUCCESS)
}

/// The running gate's auto-reply, if a gate runs in this session.
fn reply_from_gate(lang: Lang) -> Option<String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .ok()?;
    runtime.block_on(async move {
        let conn = zbus::Connection::session().await.ok()?;
        let couper = running_gate(&conn).await.ok()??;
        couper.reply(lang.tag()).await.ok()
    })
}

/// The running gate's control interface on `conn`, if a gate runs there.
async fn running_gate(conn: &zbus::Connection) -> anyhow::Result<Option<CouperProxy<'static>>> {
    let dbus = zbus::fdo::DBusProxy::new(conn).await?;
    let name = zbus::names::BusName::try_from(couper::control::NAME)?;
    if !dbus.name_has_owner(name).await? {
        return Ok(None);
    }
    Ok(Some(CouperProxy::new(conn).await?))
}

/// A refusal from the gate as its one-line message.
fn refused(e: zbus::Error) -> anyhow::Error {
    use zbus::DBusError;
    match e {
        zbus::Error::MethodError(_, Some(message), _) => anyhow::anyhow!(message),
        // zbus hands the org.freedesktop.DBus.Error.* names over as `FDO`.
        zbus::Error::FDO(e) => match e.description() {
            Some(message) => anyhow::anyhow!(message.to_string()),
            None => anyhow::Error::from(*e),
        },
        other => anyhow::Error::from(other),
    }
}

/// `couper forget`: the running gate erases its history; with no gate running, the store
/// is opened here (`before` read in the settings' zone). Without `before`, all of it.
fn forget(
    settings_path: &std::path::Path,
    before: Option<&str>,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    if let Some(text) = before.filter(|text| text.trim().is_empty()) {
        // Refused here, whatever the zone: the gate reads "" as "all of it".
        couper::service::parse_before_in(text, &jiff::tz::TimeZone::UTC, lang)
            .map_err(anyhow::Error::msg)?;
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let erased = runtime.block_on(async move {
        if let Ok(conn) = zbus::Connection::session().await {
            if let Some(couper) = running_gate(&conn).await? {
                let asked = couper
                    .forget(before.unwrap_or(couper::live::FORGET_ALL))
                    .await;
                return anyhow::Ok(asked.map_err(refused)? as usize);
            }
        }
        let before = match before {
            None => None,
            Some(text) => {
                let zone = load(settings_path, lang)?.timezone;
                let before = couper::service::parse_before_in(text, &zone, lang);
                Some(before.map_err(anyhow::Error::msg)?)
            }
        };
        Ok(couper::store::Store::open(&store_path(lang)?)?.forget(before)?)
    })?;
    match before {
        None => say(t!(lang, "couper-erased", count = erased))?,
        Some(date) => say(t!(
            lang,
            "couper-erased-before",
            date = date.trim(),
            count = erased
        ))?,
    }
    Ok(ExitCode::SUCCESS)
}

/// The commands that talk to the running gate over its control interface.
fn client(command: Command, lang: Lang) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let conn = zbus::Connection::session()
            .await
            .context(t!(lang, "couper-no-session-bus"))?;
        let Some(couper) = running_gate(&conn).await? else {
            anyhow::bail!(t!(lang, "couper-no-gate"));
        };
        let now = jiff::Timestamp::now;
        match command {
            Command::Status { json } => {
                let status = couper.status().await.map_err(refused)?;
                print_json_or(json, &status, |s| cli::status_text(s, now(), lang))?;
            }
            Command::Off { until } => {
                let status = couper
                    .set_mode("off", until.as_deref().unwrap_or(""))
                    .await
                    .map_err(refused)?;
                say(cli::status_line(&status, now(), lang)?)?;
            }
            Command::On { until } => {
                let status = couper
                    .set_mode("on", until.as_deref().unwrap_or(""))
                    .await
                    .map_err(refused)?;
                say(cli::status_line(&status, now(), lang)?)?;
            }
            Command::Auto => {
                let status = couper.set_mode("auto", "").await.map_err(refused)?;
                say(cli::status_line(&status, now(), lang)?)?;
            }
            Command::OnCall { state } => {
                let status = match state.as_str() {
                    "toggle" => couper.toggle_on_call().await,
                    on => couper.set_on_call(on == "on").await,
                }
                .map_err(refused)?;
                say(cli::status_line(&status, now(), lang)?)?;
            }
            Command::Held { json } => {
                // Page by page: the queue may be more than one D-Bus message holds.
                let held = couper::control::held_all(&couper).await.map_err(refused)?;
                let status = couper.status().await.map_err(refused)?;
                print_json_or(json, &held, |h| cli::held_text(h, &status, now(), lang))?;
            }
            Command::Release { ids, all } => {
                if ids.is_empty() && !all {
                    anyhow::bail!(t!(lang, "couper-release-which"));
                }
                let n = couper.release(&ids, all).await.map_err(refused)?;
                say(t!(lang, "couper-released", count = n))?;
            }
            Command::Explain { id } => {
                let explained = couper.explain(id).await.map_err(refused)?;
                let status = couper.status().await.map_err(refused)?;
                if explained == "null" {
                    anyhow::bail!(t!(lang, "couper-unknown-id", id = id));
                }
                say(cli::explain_text(&explained, &status, now(), lang)?)?;
            }
            Command::Alert {
                crisis,
                title,
                body,
            } => {
                let answer = couper
                    .alert(&title, body.as_deref().unwrap_or(""), crisis)
                    .await
                    .map_err(refused)?;
                say(cli::alert_text(&answer, lang)?)?;
            }
            Command::Run { .. }
            | Command::Restore
            | Command::Forget { .. }
            | Command::Check
            | Command::Simulate { .. }
            | Command::Report(_)
            | Command::Reply { .. }
            | Command::Browser(_) => {}
        }
        Ok(ExitCode::SUCCESS)
    })
}

fn print_json_or(
    json: bool,
    text: &str,
    human: impl FnOnce(&str) -> anyhow::Result<String>,
) -> anyhow::Result<()> {
    if json {
        say(text)
    } else {
        say(human(text)?)
    }
}
