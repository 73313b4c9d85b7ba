//! The Plasma route: the per-app `ShowPopups` switch in `plasmanotifyrc`
//! (`[Applications][<desktop entry>]`, what System Settings › Notifications ›
//! Application Settings › *app* › Show popups turns). Plasma applies it at once only when
//! told: KConfig's change notification, the signal `org.kde.kconfig.notify.ConfigChanged`
//! on `/plasmanotifyrc` naming the group (nested groups joined by `\x1d`), which is what
//! System Settings sends; a bare file change is not seen until plasmashell restarts.
//!
//! Plasma applies an app's switch to the notifications whose `desktop-entry` hint names
//! it (the app name alone is not enough), and with popups off a critical notification
//! stays quiet too: crises are re-posted by Couper. The notification still goes to the
//! history. `Inhibit` is not used: it holds back every app, personal ones too.

use super::{desktop_ids, id_matches, Route, SteerError};
use crate::notification::Notification;
use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;
use zbus::Connection;

const SWITCH: &str = "ShowPopups";

/// The Plasma route.
#[derive(Debug)]
pub struct Plasma {
    file: PathBuf,
    /// Where to announce changes; `None` when there is no session (`couper restore`
    /// after the session ended).
    session: Option<Connection>,
}

impl Plasma {
    /// The route on `$XDG_CONFIG_HOME/plasmanotifyrc`, announcing changes on `session`.
    pub fn new(session: Option<Connection>) -> Plasma {
        let config = std::env::var_os("XDG_CONFIG_HOME")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
            .unwrap_or_else(|| PathBuf::from(".config"));
        Plasma {
            file: config.join("plasmanotifyrc"),
            session,
        }
    }

    fn text(&self) -> Result<String, SteerError> {
        match std::fs::read_to_string(&self.file) {
            Ok(text) => Ok(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
            Err(source) => Err(SteerError::Io {
                path: self.file.clone(),
                source,
            }),
        }
    }

    /// Replaces the file atomically, under KConfig's own lock file.
    fn replace(&self, text: &str) -> Result<(), SteerError> {
        let io = |source| SteerError::Io {
            path: self.file.clone(),
            source,
        };
        let dir = self.file.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(io)?;
        let _lock = LockFile::take(&self.file.with_extension("lock")).map_err(io)?;
        let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(io)?;
        temp.write_all(text.as_bytes()).map_err(io)?;
        temp.as_file().sync_all().map_err(io)?;
        temp.persist(&self.file).map_err(|e| io(e.error))?;
        Ok(())
    }

    async fn announce(&self, key: &str) -> Result<(), SteerError> {
        let Some(session) = &self.session else {
            return Ok(());
        };
        let mut changes: HashMap<String, Vec<Vec<u8>>> = HashMap::new();
        changes.insert(
            format!("Applications\u{1d}{key}"),
            vec![SWITCH.as_bytes().to_vec()],
        );
        session
            .emit_signal(
                None::<()>,
                "/plasmanotifyrc",
                "org.kde.kconfig.notify",
                "ConfigChanged",
                &changes,
            )
            .await?;
        Ok(())
    }
}

/// KConfig's lock (a `QLockFile`): created exclusively, removed on drop. One whose
/// writer is dead (the pid on its first line, as `QLockFile` writes it: a Couper killed
/// with -9 while writing) or that is more than ten seconds old is stale and taken over.
struct LockFile(PathBuf);

/// Whether the lock at `path` was left by a process that is gone.
fn writer_gone(path: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    let Some(pid) = text
        .lines()
        .next()
        .and_then(|l| l.trim().parse::<i32>().ok())
    else {
        return false;
    };
    // SAFETY: kill(2) with signal 0 only checks that the process exists.
    pid > 0
        && unsafe { libc::kill(pid, 0) } != 0
        && std::io::Error::last_os_error().raw_os_error() == Some(libc::ESRCH)
}

impl LockFile {
    fn take(path: &Path) -> std::io::Result<LockFile> {
        // 12 s: longer than a lock takes to become stale by its age.
        for _ in 0..600 {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(path)
            {
                Ok(mut f) => {
                    let _ = write!(f, "{}\ncouper\n\n", std::process::id());
                    return Ok(LockFile(path.to_path_buf()));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let stale = std::fs::metadata(path)
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| t.elapsed().ok())
                        .is_some_and(|age| age > Duration::from_secs(10))
                        || writer_gone(path);
                    if stale {
                        let _ = std::fs::remove_file(path);
                    } else {
                        std::thread::sleep(Duration::from_millis(20));
                    }
                }
                Err(e) => return Err(e),
            }
        }
        Err(std::io::Error::new(
            std::io::ErrorKind::WouldBlock,
            format!("{} stays locked", path.display()),
        ))
    }
}

impl Drop for LockFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn header(key: &str) -> String {
    format!("[Applications][{key}]")
}

/// The value of the switch of `key` in `text`.
fn get(text: &str, key: &str) -> Option<String> {
    let header = header(key);
    let mut inside = false;
    for line in text.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            inside = line == header;
        } else if inside {
            if let Some((k, v)) = line.split_once('=') {
                if k.trim() == SWITCH {
                    return Some(v.trim().to_string());
                }
            }
        }
    }
    None
}

/// `text` with the switch of `key` set to `value` (`None`: removed), all else as it was.
fn set(text: &str, key: &str, value: Option<&str>) -> String {
    let header = header(key);
    let mut out: Vec<String> = Vec::new();
    let mut inside = false;
    let mut found_group = false;
    let mut done = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            inside = trimmed == header;
            out.push(line.to_string());
            if inside {
                found_group = true;
                if let (Some(v), false) = (value, done) {
                    out.push(format!("{SWITCH}={v}"));
                    done = true;
                }
            }
            continue;
        }
        let is_switch = trimmed
            .split_once('=')
            .is_some_and(|(k, _)| k.trim() == SWITCH);
        if inside && is_switch {
            continue; // replaced (or removed) above
        }
        out.push(line.to_string());
    }
    if !found_group {
        if let Some(v) = value {
            if out.last().is_some_and(|l| !l.trim().is_empty()) {
                out.push(String::new());
            }
            out.push(header);
            out.push(format!("{SWITCH}={v}"));
        }
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}

/// The `[Applications][X]` groups of `text`.
fn groups(text: &str) -> impl Iterator<Item = &str> {
    text.lines().filter_map(|line| {
        line.trim()
            .strip_prefix("[Applications][")
            .and_then(|rest| rest.strip_suffix(']'))
    })
}

impl Route for Plasma {
    fn name(&self) -> &'static str {
        "plasma"
    }

    fn shows_critical_when_quiet(&self) -> bool {
        false
    }

    fn keys_for(&self, apps: &[String]) -> BTreeSet<String> {
        let text = self.text().unwrap_or_default();
        let seen: BTreeSet<String> = groups(&text).map(str::to_string).collect();
        desktop_ids()
            .into_iter()
            .chain(seen)
            .filter(|id| apps.iter().any(|app| id_matches(id, app)))
            .collect()
    }

    fn key_of(&self, n: &Notification) -> Option<String> {
        n.desktop_entry()
            .map(|e| e.trim_end_matches(".desktop").to_string())
    }

    async fn read(&self, key: &str) -> Result<Option<String>, SteerError> {
        Ok(get(&self.text()?, key))
    }

    async fn write(&self, key: &str, value: Option<&str>) -> Result<(), SteerError> {
        let text = self.text()?;
        self.replace(&set(&text, key, value))?;
        self.announce(key).await
    }

    async fn withdraw(&self, session: &Connection, shell_id: u32) -> Result<(), SteerError> {
        super::close_notification(session, crate::gate::NOTIFICATIONS, shell_id).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "[Applications][org.kde.kmail2]\nSeen=true\n\n[Applications][slack]\nSeen=true\n\n[DoNotDisturb]\nUntil=2026,1,1,0,0,0\n";

    #[test]
    fn the_switch_is_set_in_its_group_and_everything_else_kept() {
        let quiet = set(FILE, "slack", Some("false"));
        assert_eq!(get(&quiet, "slack").as_deref(), Some("false"));
        assert_eq!(get(&quiet, "org.kde.kmail2"), None);
        assert!(quiet.contains("[DoNotDisturb]\nUntil=2026,1,1,0,0,0"));
        assert_eq!(set(&quiet, "slack", None), FILE);
    }

    #[test]
    fn a_group_plasma_has_not_written_yet_is_added() {
        let quiet = set(FILE, "teams", Some("false"));
        assert!(
            quiet.ends_with("[Applications][teams]\nShowPopups=false\n"),
            "{quiet}"
        );
        assert_eq!(
            set("", "teams", Some("false")),
            "[Applications][teams]\nShowPopups=false\n"
        );
    }

    #[test]
    fn a_value_is_replaced_not_doubled() {
        let text = set(FILE, "slack", Some("false"));
        let text = set(&text, "slack", Some("true"));
        assert_eq!(text.matches("ShowPopups").count(), 1);
        assert_eq!(get(&text, "slack").as_deref(), Some("true"));
    }
}
