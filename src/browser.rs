//! `couper browser`: a work profile for Firefox or Chromium (issue 13). Firefox names no
//! site in its notifications, so the sure way to tell work from personal in a browser is
//! what its users advise each other: a profile of its own for work. Couper makes one with
//! an identity of its own, so that everything it shows is work, whatever the site:
//!
//! - the profile: Firefox's made by Firefox itself (`-CreateProfile`, registered in its
//!   `profiles.ini` beside the others), Chromium's a `--user-data-dir` under Couper's
//!   data directory;
//! - a menu entry, `$XDG_DATA_HOME/applications/couper-<browser>-work.desktop`, "Firefox
//!   (work)" / "Chromium (work)", that starts the browser with that profile and its own
//!   identity: Firefox with `MOZ_DESKTOP_FILE_NAME` (its `desktop-entry` hint) and
//!   `--class`; Chromium's real binary (Debian's `/usr/bin/chromium` wrapper forces the
//!   hint to "chromium") with `CHROME_DESKTOP` and `--class`. Both then send the hint
//!   `couper-<browser>-work`, and their windows have that class (`StartupWMClass`);
//! - a `[[work_apps]]` source for that identity, saved as the window saves (the user's
//!   comments and the rest of the file stay).
//!
//! Removing it takes the menu entry and the source away and leaves the profile's data
//! where it is.

use crate::settings::{self, OffHours, Settings, WorkApp};
use crate::t;
use crate::words::Lang;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// `couper browser`'s commands.
#[derive(Debug, clap::Subcommand)]
pub enum Action {
    /// Make a work profile: a menu entry "Firefox (work)" with its own profile, a work
    /// source.
    Add {
        /// firefox or chromium.
        #[arg(value_parser = browser_name())]
        browser: Browser,
    },
    /// Remove a work profile's menu entry and work source (its data stays).
    Remove {
        /// firefox or chromium.
        #[arg(value_parser = browser_name())]
        browser: Browser,
    },
    /// The work profiles made.
    List,
}

/// The command line's `firefox` or `chromium`, as a [`Browser`].
fn browser_name() -> impl clap::builder::TypedValueParser<Value = Browser> {
    use clap::builder::TypedValueParser;
    clap::builder::PossibleValuesParser::new(["firefox", "chromium"]).map(|name| {
        match name.as_str() {
            "chromium" => Browser::Chromium,
            _ => Browser::Firefox,
        }
    })
}

/// A browser Couper makes work profiles for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Browser {
    /// Mozilla Firefox (Debian's `firefox-esr`).
    Firefox,
    /// Chromium.
    Chromium,
}

impl Browser {
    /// Both, in the order they are listed.
    pub const ALL: [Browser; 2] = [Browser::Firefox, Browser::Chromium];

    /// Its name on the command line and over IPC: `firefox` or `chromium`.
    pub fn name(self) -> &'static str {
        match self {
            Browser::Firefox => "firefox",
            Browser::Chromium => "chromium",
        }
    }

    /// The browser named `name` ([`Browser::name`]).
    pub fn from_name(name: &str) -> Option<Browser> {
        Browser::ALL.into_iter().find(|b| b.name() == name)
    }

    /// Its name for people.
    pub fn label(self) -> &'static str {
        match self {
            Browser::Firefox => "Firefox",
            Browser::Chromium => "Chromium",
        }
    }

    /// The work profile's identity: its `desktop-entry` hint, window class and menu
    /// entry's name (without `.desktop`), and the work source's `app`.
    pub fn identity(self) -> &'static str {
        match self {
            Browser::Firefox => "couper-firefox-work",
            Browser::Chromium => "couper-chromium-work",
        }
    }

    /// The menu entry's file name.
    pub fn entry_file(self) -> String {
        format!("{}.desktop", self.identity())
    }

    /// The programs to look for, in order: on `PATH` by name, then at known paths.
    /// Chromium's real binary comes first: Debian's and Fedora's `chromium` on `PATH` are
    /// wrappers that set the `desktop-entry` hint to their own.
    fn programs(
        self,
    ) -> (
        &'static [&'static str],
        &'static [&'static str],
        &'static [&'static str],
    ) {
        match self {
            Browser::Firefox => (
                &[],
                &["firefox-esr", "firefox"],
                &[
                    "/usr/lib/firefox-esr/firefox-esr",
                    "/usr/lib/firefox/firefox",
                    "/opt/firefox/firefox",
                ],
            ),
            Browser::Chromium => (
                &[
                    "/usr/lib/chromium/chromium",
                    "/usr/lib/chromium-browser/chromium-browser",
                    "/usr/lib64/chromium-browser/chromium-browser",
                ],
                &["chromium", "chromium-browser"],
                &[],
            ),
        }
    }

    /// What [`find`] looks for, said in the refusal.
    fn looked_for(self) -> String {
        let (first, names, last) = self.programs();
        first
            .iter()
            .chain(names)
            .chain(last)
            .copied()
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The browser's program: the first of its programs found (an executable file), on
/// `path` (a `PATH` value) for the names.
pub fn find(browser: Browser, path: Option<&std::ffi::OsStr>) -> Option<PathBuf> {
    let (first, names, last) = browser.programs();
    let dirs: Vec<PathBuf> = path
        .map(std::env::split_paths)
        .into_iter()
        .flatten()
        .collect();
    let on_path = names
        .iter()
        .flat_map(|name| dirs.iter().map(move |dir| dir.join(name)));
    first
        .iter()
        .map(PathBuf::from)
        .chain(on_path)
        .chain(last.iter().map(PathBuf::from))
        .find(|candidate| executable(candidate))
}

fn executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.is_absolute()
        && std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Where a user's files are: from the environment (`HOME`, `XDG_CONFIG_HOME`,
/// `XDG_DATA_HOME`, `PATH`).
#[derive(Debug, Clone)]
pub struct Dirs {
    /// `$HOME`.
    pub home: PathBuf,
    /// `$XDG_CONFIG_HOME`, else `~/.config`.
    pub config: PathBuf,
    /// `$XDG_DATA_HOME`, else `~/.local/share`.
    pub data: PathBuf,
    /// `$PATH`.
    pub path: Option<OsString>,
}

impl Dirs {
    /// This user's.
    pub fn from_env() -> Option<Dirs> {
        let base = directories::BaseDirs::new()?;
        Some(Dirs {
            home: base.home_dir().to_path_buf(),
            config: base.config_dir().to_path_buf(),
            data: base.data_dir().to_path_buf(),
            path: std::env::var_os("PATH"),
        })
    }

    /// The menu entries' directory.
    pub fn applications(&self) -> PathBuf {
        self.data.join("applications")
    }

    /// The menu entry of `browser`'s work profile.
    pub fn entry(&self, browser: Browser) -> PathBuf {
        self.applications().join(browser.entry_file())
    }

    /// Where Firefox keeps its profiles and `profiles.ini`: `~/.mozilla/firefox` when it
    /// is there (older installs keep using it), else `$XDG_CONFIG_HOME/mozilla/firefox`
    /// (where Firefox 153 makes it).
    pub fn firefox_root(&self) -> PathBuf {
        let legacy = self.home.join(".mozilla/firefox");
        if legacy.is_dir() {
            legacy
        } else {
            self.config.join("mozilla/firefox")
        }
    }

    /// Where `browser`'s work profile is made.
    pub fn profile(&self, browser: Browser) -> PathBuf {
        match browser {
            Browser::Firefox => self.firefox_root().join("couper-work"),
            Browser::Chromium => self.data.join("couper/chromium-work"),
        }
    }
}

/// The command line that starts `program` as `browser`'s work profile at `profile`,
/// with `env` first for the identity, as the menu entry's `Exec` says it (without its
/// `%u`).
pub fn command_line(browser: Browser, program: &Path, profile: &Path) -> Vec<String> {
    let program = program.display().to_string();
    let profile = profile.display().to_string();
    let id = browser.identity();
    match browser {
        Browser::Firefox => vec![
            "env".into(),
            format!("MOZ_DESKTOP_FILE_NAME={id}"),
            program,
            "--class".into(),
            id.into(),
            "--profile".into(),
            profile,
        ],
        Browser::Chromium => vec![
            "env".into(),
            format!("CHROME_DESKTOP={id}.desktop"),
            program,
            format!("--user-data-dir={profile}"),
            format!("--class={id}"),
        ],
    }
}

/// The menu entry of `browser`'s work profile at `profile`, started with `program`.
pub fn entry_text(browser: Browser, program: &Path, profile: &Path) -> String {
    let label = browser.label();
    let say = |lang: Lang, id: &str| crate::i18n::text(lang, id, [("browser", label.into())]);
    let mut exec: Vec<String> = command_line(browser, program, profile)
        .iter()
        .map(|arg| exec_quoted(arg))
        .collect();
    exec.push("%u".into());
    let icon = match browser {
        Browser::Firefox => program
            .file_name()
            .and_then(|n| n.to_str())
            .filter(|n| *n == "firefox-esr")
            .unwrap_or("firefox"),
        Browser::Chromium => "chromium",
    };
    let mut text = String::from("[Desktop Entry]\nType=Application\nVersion=1.4\n");
    for (key, id) in [
        ("Name", "browser-entry-name"),
        ("GenericName", "browser-entry-generic"),
        ("Comment", "browser-entry-comment"),
    ] {
        text.push_str(&format!("{key}={}\n", escaped(&say(Lang::En, id))));
        text.push_str(&format!("{key}[fr]={}\n", escaped(&say(Lang::Fr, id))));
    }
    text.push_str(&format!(
        "Exec={}\nIcon={icon}\nTerminal=false\nStartupNotify=true\nStartupWMClass={}\n\
         Categories=Network;WebBrowser;\nX-Couper-Profile={}\n",
        escaped(&exec.join(" ")),
        browser.identity(),
        escaped(&profile.display().to_string())
    ));
    text
}

/// `arg` as one argument of an `Exec` key: quoted when it holds a reserved character,
/// `%` doubled (before the string escapes of [`escaped`]).
fn exec_quoted(arg: &str) -> String {
    const RESERVED: &[char] = &[
        ' ', '\t', '\n', '"', '\'', '\\', '>', '<', '~', '|', '&', ';', '$', '*', '?', '#', '(',
        ')', '`',
    ];
    let arg = arg.replace('%', "%%");
    if !arg.is_empty() && !arg.contains(RESERVED) {
        return arg;
    }
    let mut quoted = String::from("\"");
    for c in arg.chars() {
        if matches!(c, '"' | '`' | '$' | '\\') {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}

/// `value` with a desktop entry's string escapes.
fn escaped(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out
}

/// The value of `key` in the `[Desktop Entry]` group of `text`, its escapes undone.
pub fn entry_value(text: &str, key: &str) -> Option<String> {
    let mut in_group = false;
    for line in text.lines() {
        let line = line.trim_start();
        if line.starts_with('[') {
            in_group = line.trim_end() == "[Desktop Entry]";
            continue;
        }
        let Some((k, value)) = line.split_once('=') else {
            continue;
        };
        if in_group && k.trim_end() == key {
            let mut out = String::new();
            let mut chars = value.trim_start().chars();
            while let Some(c) = chars.next() {
                if c != '\\' {
                    out.push(c);
                    continue;
                }
                match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some('r') => out.push('\r'),
                    Some('s') => out.push(' '),
                    Some(other) => out.push(other),
                    None => {}
                }
            }
            return Some(out);
        }
    }
    None
}

/// The arguments a menu entry's `Exec` starts, its field codes (`%u`) left out.
pub fn exec_args(text: &str) -> Vec<String> {
    let exec = entry_value(text, "Exec").unwrap_or_default();
    let mut args = Vec::new();
    let mut chars = exec.chars().peekable();
    loop {
        while chars.next_if(|c| *c == ' ').is_some() {}
        if chars.peek().is_none() {
            break;
        }
        let (mut arg, mut code) = (String::new(), false);
        let mut quoted = false;
        while let Some(c) = chars.next() {
            match c {
                '"' => quoted = !quoted,
                '\\' if quoted => arg.extend(chars.next()),
                ' ' if !quoted => break,
                '%' => match chars.next() {
                    Some('%') => arg.push('%'),
                    _ => code = true,
                },
                c => arg.push(c),
            }
        }
        if !code {
            args.push(arg);
        }
    }
    args
}

/// The work source of `browser`'s work profile, named in `lang`.
pub fn work_app(browser: Browser, lang: Lang) -> WorkApp {
    WorkApp {
        name: t!(lang, "browser-entry-name", browser = browser.label()),
        app: browser.identity().to_string(),
        account: None,
        sites: Vec::new(),
        off_hours: OffHours::Hold,
    }
}

fn is_source_of(app: &WorkApp, browser: Browser) -> bool {
    app.app.eq_ignore_ascii_case(browser.identity())
}

/// `settings` with `browser`'s work profile among the work sources, last; `None` when it
/// already is.
pub fn with_source(settings: &Settings, browser: Browser, lang: Lang) -> Option<Settings> {
    if settings.work_apps.iter().any(|a| is_source_of(a, browser)) {
        return None;
    }
    let mut settings = settings.clone();
    settings.work_apps.push(work_app(browser, lang));
    Some(settings)
}

/// `settings` without `browser`'s work profile's sources; `None` when it has none.
pub fn without_source(settings: &Settings, browser: Browser) -> Option<Settings> {
    let mut settings = settings.clone();
    let before = settings.work_apps.len();
    settings.work_apps.retain(|a| !is_source_of(a, browser));
    (settings.work_apps.len() != before).then_some(settings)
}

/// Runs `couper browser …` with the settings at `settings_path`: what to say.
pub fn run(action: &Action, settings_path: &Path, lang: Lang) -> anyhow::Result<String> {
    let dirs = Dirs::from_env().ok_or_else(|| anyhow::anyhow!(t!(lang, "browser-no-home")))?;
    match *action {
        Action::Add { browser } => add(browser, &dirs, settings_path, lang),
        Action::Remove { browser } => remove(browser, &dirs, settings_path, lang),
        Action::List => list(&dirs, settings_path, lang),
    }
}

/// Makes `browser`'s work profile (or makes its entry and source again, keeping the
/// profile): see the module's documentation.
pub fn add(
    browser: Browser,
    dirs: &Dirs,
    settings_path: &Path,
    lang: Lang,
) -> anyhow::Result<String> {
    let label = browser.label();
    let program = find(browser, dirs.path.as_deref())
        .ok_or_else(|| anyhow::anyhow!(not_installed(browser, lang)))?;
    let loaded = settings::load(settings_path).map_err(|e| anyhow::anyhow!(e.said(lang)))?;
    let profile = dirs.profile(browser);
    make_profile(browser, &program, &profile).map_err(|why| {
        anyhow::anyhow!(t!(
            lang,
            "browser-profile-failed",
            browser = label,
            why = why
        ))
    })?;
    let entry = dirs.entry(browser);
    let written = std::fs::create_dir_all(dirs.applications()).and_then(|()| {
        settings::atomic_write(&entry, entry_text(browser, &program, &profile).as_bytes())
    });
    written.map_err(|e| {
        anyhow::anyhow!(t!(
            lang,
            "browser-entry-failed",
            entry = entry.display().to_string(),
            why = e.to_string()
        ))
    })?;
    #[cfg(unix)]
    {
        // A menu entry is read by everyone's menus, as those the packages install.
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(&entry, std::fs::Permissions::from_mode(0o644));
    }
    if let Some(changed) = with_source(&loaded, browser, lang) {
        settings::save(settings_path, &changed)?;
    }
    Ok(t!(
        lang,
        "browser-added",
        name = t!(lang, "browser-entry-name", browser = label),
        entry = entry.display().to_string(),
        profile = profile.display().to_string(),
        settings = settings_path.display().to_string()
    ))
}

/// Why there is no work profile to make: `browser` is not installed.
fn not_installed(browser: Browser, lang: Lang) -> String {
    t!(
        lang,
        "browser-not-installed",
        browser = browser.label(),
        looked = browser.looked_for()
    )
}

/// Makes the profile directory: Firefox's by Firefox (`-CreateProfile`, so that its
/// profile manager lists it), Chromium's as a private directory Chromium fills.
fn make_profile(browser: Browser, program: &Path, profile: &Path) -> Result<(), String> {
    if profile.is_dir() {
        return Ok(());
    }
    if browser == Browser::Firefox {
        create_firefox_profile(program, profile)?;
        if profile.is_dir() {
            return Ok(());
        }
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(profile).map_err(|e| e.to_string())
}

/// `firefox -CreateProfile "couper-work DIR"`, headless (it needs no display then), given
/// 30 seconds.
fn create_firefox_profile(program: &Path, profile: &Path) -> Result<(), String> {
    let mut child = std::process::Command::new(program)
        .arg("--headless")
        .arg("-CreateProfile")
        .arg(format!("couper-work {}", profile.display()))
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("{}: {e}", program.display()))?;
    let pid = child.id();
    let (done, wait) = std::sync::mpsc::channel();
    let stderr = child.stderr.take();
    std::thread::spawn(move || {
        let mut said = String::new();
        if let Some(mut stderr) = stderr {
            let _ = std::io::Read::read_to_string(&mut stderr, &mut said);
        }
        let _ = done.send((child.wait(), said));
    });
    match wait.recv_timeout(std::time::Duration::from_secs(30)) {
        Ok((Ok(status), _)) if status.success() => Ok(()),
        Ok((Ok(status), said)) => Err(format!("{status}: {}", said.trim())),
        Ok((Err(e), _)) => Err(e.to_string()),
        Err(_) => {
            // SAFETY: kill has no preconditions; `pid` is the child's, not yet waited for.
            unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
            Err("-CreateProfile did not finish within 30 s".into())
        }
    }
}

/// Removes `browser`'s work profile's menu entry and work source; its data stays.
pub fn remove(
    browser: Browser,
    dirs: &Dirs,
    settings_path: &Path,
    lang: Lang,
) -> anyhow::Result<String> {
    let label = browser.label();
    let entry = dirs.entry(browser);
    let text = std::fs::read_to_string(&entry).ok();
    let profile = text
        .as_deref()
        .and_then(|t| entry_value(t, "X-Couper-Profile"))
        .map(PathBuf::from)
        .unwrap_or_else(|| dirs.profile(browser));
    let loaded = settings::load(settings_path).map_err(|e| anyhow::anyhow!(e.said(lang)))?;
    let changed = without_source(&loaded, browser);
    if text.is_none() && changed.is_none() {
        return Ok(t!(lang, "browser-none-to-remove", browser = label));
    }
    if text.is_some() {
        std::fs::remove_file(&entry).or_else(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Ok(()),
            _ => Err(e),
        })?;
    }
    if let Some(changed) = changed {
        settings::save(settings_path, &changed)?;
    }
    Ok(t!(
        lang,
        "browser-removed",
        name = t!(lang, "browser-entry-name", browser = label),
        profile = profile.display().to_string()
    ))
}

/// What the settings window shows of a browser's work profile.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProfileInfo {
    /// `firefox` or `chromium` ([`Browser::name`]).
    #[cfg_attr(feature = "ts", ts(type = "\"firefox\" | \"chromium\""))]
    pub browser: &'static str,
    /// Its name for people: "Firefox".
    pub label: &'static str,
    /// Whether its program is found here.
    pub installed: bool,
    /// Whether its work profile's menu entry is there.
    pub made: bool,
    /// Whether the settings have its work source.
    pub source: bool,
    /// Where the profile's data is (or would be made).
    pub profile: PathBuf,
}

/// Each browser's work profile, as [`list`] reads them, with `settings` for the sources.
pub fn profiles(dirs: &Dirs, settings: &Settings) -> Vec<ProfileInfo> {
    Browser::ALL
        .into_iter()
        .map(|browser| {
            let text = std::fs::read_to_string(dirs.entry(browser)).ok();
            let profile = text
                .as_deref()
                .and_then(|t| entry_value(t, "X-Couper-Profile"))
                .map(PathBuf::from)
                .unwrap_or_else(|| dirs.profile(browser));
            ProfileInfo {
                browser: browser.name(),
                label: browser.label(),
                installed: find(browser, dirs.path.as_deref()).is_some(),
                made: text.is_some(),
                source: settings.work_apps.iter().any(|a| is_source_of(a, browser)),
                profile,
            }
        })
        .collect()
}

/// The work profiles made: one line each.
pub fn list(dirs: &Dirs, settings_path: &Path, lang: Lang) -> anyhow::Result<String> {
    let loaded = settings::load(settings_path).map_err(|e| anyhow::anyhow!(e.said(lang)))?;
    let mut lines = Vec::new();
    for browser in Browser::ALL {
        let entry = dirs.entry(browser);
        let Ok(text) = std::fs::read_to_string(&entry) else {
            continue;
        };
        let profile = entry_value(&text, "X-Couper-Profile")
            .map(PathBuf::from)
            .unwrap_or_else(|| dirs.profile(browser));
        let id = if loaded.work_apps.iter().any(|a| is_source_of(a, browser)) {
            "browser-list-item"
        } else {
            "browser-list-item-not-work"
        };
        lines.push(crate::i18n::text(
            lang,
            id,
            [
                (
                    "name",
                    t!(lang, "browser-entry-name", browser = browser.label()).into(),
                ),
                ("entry", entry.display().to_string().into()),
                ("profile", profile.display().to_string().into()),
                ("app", browser.identity().into()),
            ],
        ));
    }
    if lines.is_empty() {
        return Ok(t!(lang, "browser-list-none"));
    }
    Ok(lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_firefox_entry_starts_its_profile_with_its_own_identity_in_both_languages() {
        let text = entry_text(
            Browser::Firefox,
            Path::new("/usr/bin/firefox-esr"),
            Path::new("/home/gwen/.config/mozilla/firefox/couper-work"),
        );
        for line in [
            "[Desktop Entry]\n",
            "\nType=Application\n",
            "\nName=Firefox (work)\n",
            "\nName[fr]=Firefox (travail)\n",
            "\nExec=env MOZ_DESKTOP_FILE_NAME=couper-firefox-work /usr/bin/firefox-esr --class couper-firefox-work --profile /home/gwen/.config/mozilla/firefox/couper-work %u\n",
            "\nIcon=firefox-esr\n",
            "\nStartupWMClass=couper-firefox-work\n",
            "\nX-Couper-Profile=/home/gwen/.config/mozilla/firefox/couper-work\n",
        ] {
            assert!(text.contains(line), "{line:?} not in\n{text}");
        }
        assert!(
            !text.contains("MimeType"),
            "links of other apps stay with the usual browser"
        );
    }

    #[test]
    fn the_chromium_entry_starts_the_real_binary_with_its_own_data_dir() {
        let text = entry_text(
            Browser::Chromium,
            Path::new("/usr/lib/chromium/chromium"),
            Path::new("/home/gwen/.local/share/couper/chromium-work"),
        );
        assert!(
            text.contains("\nExec=env CHROME_DESKTOP=couper-chromium-work.desktop /usr/lib/chromium/chromium --user-data-dir=/home/gwen/.local/share/couper/chromium-work --class=couper-chromium-work %u\n"),
            "{text}"
        );
        assert!(
            text.contains("\nName=Chromium (work)\nName[fr]=Chromium (travail)\n"),
            "{text}"
        );
        assert!(
            text.contains("\nStartupWMClass=couper-chromium-work\n"),
            "{text}"
        );
    }

    #[test]
    fn a_profile_path_with_spaces_quotes_and_percents_comes_back_whole_from_exec() {
        let profile = Path::new("/home/Gwen Le \"Bihan\"/50% $HOME\\x/work");
        for browser in Browser::ALL {
            let text = entry_text(browser, Path::new("/opt/my browser/run"), profile);
            let args = exec_args(&text);
            assert_eq!(
                args,
                command_line(browser, Path::new("/opt/my browser/run"), profile),
                "{text}"
            );
            assert_eq!(
                entry_value(&text, "X-Couper-Profile").as_deref(),
                profile.to_str()
            );
        }
    }

    #[test]
    fn adding_a_work_profile_adds_its_source_once_and_removing_takes_only_it_away() {
        let text = "# My hours\ntimezone = \"Europe/Paris\"\n\n# Chat\n[[work_apps]]\nname = \"Slack\"\napp = \"slack\"\n";
        let settings = settings::parse(text, "settings.toml").unwrap();
        let added = with_source(&settings, Browser::Firefox, Lang::Fr).unwrap();
        let saved = settings::to_toml(&added, Some(text));
        assert!(saved.starts_with("# My hours\ntimezone = \"Europe/Paris\"\n\n# Chat\n[[work_apps]]\nname = \"Slack\"\napp = \"slack\"\n"), "{saved}");
        assert!(
            saved.contains(
                "[[work_apps]]\nname = \"Firefox (travail)\"\napp = \"couper-firefox-work\""
            ),
            "{saved}"
        );
        let again = settings::parse(&saved, "settings.toml").unwrap();
        assert_eq!(with_source(&again, Browser::Firefox, Lang::En), None);
        assert_eq!(
            again.work_apps.last(),
            Some(&work_app(Browser::Firefox, Lang::Fr))
        );
        let removed = without_source(&again, Browser::Firefox).unwrap();
        assert_eq!(settings::to_toml(&removed, Some(&saved)), text);
        assert_eq!(without_source(&settings, Browser::Chromium), None);
    }

    #[test]
    fn a_browser_not_installed_is_refused_in_one_line_in_both_languages() {
        assert_eq!(
            not_installed(Browser::Firefox, Lang::En),
            "Firefox is not installed here (looked for firefox-esr, firefox, \
             /usr/lib/firefox-esr/firefox-esr, /usr/lib/firefox/firefox, /opt/firefox/firefox)"
        );
        let fr = not_installed(Browser::Chromium, Lang::Fr);
        assert!(
            fr.starts_with(
                "Chromium n'est pas installé ici (cherché : /usr/lib/chromium/chromium, "
            ),
            "{fr}"
        );
        assert!(!fr.contains('\n'));
    }

    #[test]
    fn a_browser_is_found_on_path_first_for_firefox_and_as_its_real_binary_for_chromium() {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("firefox");
        std::fs::write(&bin, "#!/bin/sh\n").unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
        let path = std::env::join_paths([dir.path()]).unwrap();
        assert_eq!(find(Browser::Firefox, Some(&path)), Some(bin.clone()));
        // Not executable: not a program.
        std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o644)).unwrap();
        let found = find(Browser::Firefox, Some(&path));
        assert_ne!(found, Some(bin));
        assert!(Browser::Chromium
            .looked_for()
            .starts_with("/usr/lib/chromium/chromium, "));
    }

    #[test]
    fn profiles_say_which_browser_is_installed_made_and_a_work_source() {
        let home = tempfile::tempdir().unwrap();
        let bin = home.path().join("bin");
        std::fs::create_dir_all(&bin).unwrap();
        let firefox = bin.join("firefox");
        std::fs::write(&firefox, "#!/bin/sh\n").unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&firefox, std::fs::Permissions::from_mode(0o755)).unwrap();
        let dirs = Dirs {
            home: home.path().to_path_buf(),
            config: home.path().join(".config"),
            data: home.path().join(".local/share"),
            path: Some(std::env::join_paths([&bin]).unwrap()),
        };
        let settings = settings::parse("timezone = \"Europe/Paris\"\n", "settings.toml").unwrap();
        let before = profiles(&dirs, &settings);
        assert_eq!(before.len(), 2);
        assert_eq!(before[0].browser, "firefox");
        assert!(before[0].installed && !before[0].made && !before[0].source);
        assert_eq!(
            before[0].profile,
            home.path().join(".config/mozilla/firefox/couper-work")
        );
        let made = Path::new("/somewhere/else/work");
        std::fs::create_dir_all(dirs.applications()).unwrap();
        std::fs::write(
            dirs.entry(Browser::Firefox),
            entry_text(Browser::Firefox, &firefox, made),
        )
        .unwrap();
        let settings = with_source(&settings, Browser::Firefox, Lang::En).unwrap();
        let after = profiles(&dirs, &settings);
        assert!(after[0].made && after[0].source, "{after:?}");
        assert_eq!(after[0].profile, made);
        assert_eq!(after[1].browser, "chromium");
        assert!(!after[1].made && !after[1].source, "{after:?}");
        assert_eq!(Browser::from_name("chromium"), Some(Browser::Chromium));
        assert_eq!(Browser::from_name("opera"), None);
        let json = serde_json::to_value(&after[0]).unwrap();
        assert_eq!(json["browser"], "firefox");
        assert_eq!(json["profile"], "/somewhere/else/work");
    }
}
