//! The store: one SQLite file that outlives crashes. It keeps the held queue (with the
//! notifications' content, the only place bodies are kept), the history of decisions
//! (no bodies, no summaries), the manual mode and on-call toggle, and the seen-apps list
//! (name and count only, and for a browser the hosts of the sites it named).
//!
//! Every write is one transaction, committed before the call returns: a hold written
//! here survives a kill -9 one instruction later (WAL journal; `synchronous=NORMAL`
//! is durable against a process crash, which is what a desktop session meets). The file
//! and its directory are readable by the user alone. The schema is versioned with
//! `PRAGMA user_version` (rusqlite_migration).

use crate::engine::{Mode, ReleaseCause};
use crate::i18n::Said;
use crate::notification::Notification;
use crate::words::Lang;
use jiff::Timestamp;
use rusqlite::{params, Connection, OptionalExtension};
use rusqlite_migration::{Migrations, M};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

mod queue;

/// The schema, one entry per version. Never edit a released entry: add one.
const MIGRATIONS: &[M<'static>] = &[
    M::up(
        "CREATE TABLE held (
        id INTEGER PRIMARY KEY,
        held_at INTEGER NOT NULL,
        app TEXT NOT NULL,
        source TEXT,
        summary TEXT NOT NULL,
        notification TEXT NOT NULL,
        crisis INTEGER NOT NULL DEFAULT 0,
        until INTEGER,
        reason TEXT NOT NULL,
        released_at INTEGER
    );
    CREATE INDEX held_pending ON held(released_at, id);
    CREATE TABLE history (
        seq INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        id INTEGER,
        app TEXT NOT NULL DEFAULT '',
        source TEXT,
        crisis INTEGER NOT NULL DEFAULT 0,
        working INTEGER NOT NULL DEFAULT 0,
        on_call INTEGER NOT NULL DEFAULT 0,
        reason TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX history_at ON history(at);
    CREATE INDEX history_id ON history(id);
    CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE seen_apps (
        app TEXT PRIMARY KEY,
        count INTEGER NOT NULL,
        last_seen INTEGER NOT NULL
    );",
    ),
    // 2: reports find the mode, on-call and crisis rows of a period, and the last one
    // before it, without scanning the period's other rows.
    M::up("CREATE INDEX history_kind_at ON history(kind, at);"),
    // 3: the bus connection that posted each held notification: only it may replace or
    // withdraw it (NULL for one held before).
    M::up("ALTER TABLE held ADD COLUMN owner TEXT;"),
    // 4: the sites a browser's notifications named (the host only, never the text), per
    // browser, for the window's "This is work".
    M::up(
        "CREATE TABLE seen_sites (
        app TEXT NOT NULL,
        site TEXT NOT NULL,
        count INTEGER NOT NULL,
        last_seen INTEGER NOT NULL,
        PRIMARY KEY (app, site)
    );",
    ),
];

/// How many sites are listed for each app seen.
pub const SITES_LISTED: usize = 20;

/// How long released notifications stay listed in the app after their release.
pub const RELEASED_KEPT_DAYS: i64 = 7;

/// A store error, naming the file.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused.
    #[error("{path}: {source}")]
    Sqlite {
        /// The database file.
        path: PathBuf,
        /// Why.
        source: rusqlite::Error,
    },
    /// The schema could not be brought up to date.
    #[error("{path}: cannot migrate the schema: {source}")]
    Migration {
        /// The database file.
        path: PathBuf,
        /// Why.
        source: rusqlite_migration::Error,
    },
    /// The directory or permissions could not be set up.
    #[error("{path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A stored value could not be read back.
    #[error("{path}: corrupt {what}: {detail}")]
    Corrupt {
        /// The database file.
        path: PathBuf,
        /// Which value.
        what: &'static str,
        /// Why.
        detail: String,
    },
    /// The gate has stopped: it changes nothing more (nothing is written after it said
    /// it stopped).
    #[error("{path}: the gate has stopped")]
    Stopped {
        /// The database file.
        path: PathBuf,
    },
}

/// What kind of event a history row records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A work notification delivered in working time.
    Deliver,
    /// A crisis let through outside working time (an off-hours interruption).
    Crisis,
    /// A work notification held.
    Hold,
    /// A work notification silenced.
    Drop,
    /// A held notification released.
    Release,
    /// A held notification withdrawn by its app.
    Withdraw,
    /// The manual mode changed (`reason` holds the mode as JSON).
    Mode,
    /// The manual on-call toggle changed (`reason` says on or off).
    OnCall,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Deliver => "deliver",
            Kind::Crisis => "crisis",
            Kind::Hold => "hold",
            Kind::Drop => "drop",
            Kind::Release => "release",
            Kind::Withdraw => "withdraw",
            Kind::Mode => "mode",
            Kind::OnCall => "on_call",
        }
    }

    fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "deliver" => Kind::Deliver,
            "crisis" => Kind::Crisis,
            "hold" => Kind::Hold,
            "drop" => Kind::Drop,
            "release" => Kind::Release,
            "withdraw" => Kind::Withdraw,
            "mode" => Kind::Mode,
            "on_call" => Kind::OnCall,
            _ => return None,
        })
    }
}

/// One history row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryEntry {
    /// When.
    pub at: Timestamp,
    /// What.
    pub kind: Kind,
    /// The notification's id, for notification events.
    pub id: Option<u32>,
    /// The app's name as sent.
    pub app: String,
    /// The work source's name.
    pub source: Option<String>,
    /// Recognised as a crisis.
    pub crisis: bool,
    /// Working time at `at`.
    pub working: bool,
    /// On call at `at`.
    pub on_call: bool,
    /// The one-line reason, as stored: for a decision or a withdrawal, a [`Said`] (both
    /// languages, [`Said::to_stored`]) or an older plain English line; read it with
    /// [`HistoryEntry::reason_in`]. A mode change keeps the mode as JSON, a release its
    /// cause, the on-call toggle `on` or `off`.
    pub reason: String,
}

impl HistoryEntry {
    /// The reason in `lang`: a decision's or withdrawal's in that language, any other
    /// row's as stored.
    pub fn reason_in(&self, lang: Lang) -> String {
        match self.kind {
            Kind::Deliver | Kind::Crisis | Kind::Hold | Kind::Drop | Kind::Withdraw => {
                Said::from_stored(&self.reason).get(lang).to_string()
            }
            Kind::Release | Kind::Mode | Kind::OnCall => self.reason.clone(),
        }
    }
}

/// A held (or recently released) notification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Held {
    /// Its id.
    pub id: u32,
    /// When it was held.
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub held_at: Timestamp,
    /// The work source's name.
    pub source: Option<String>,
    /// The notification itself.
    pub notification: Notification,
    /// Recognised as a crisis that did not pass.
    pub crisis: bool,
    /// When it is expected back.
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub until: Option<Timestamp>,
    /// Why it was held: read from the store in its reader's language
    /// ([`Store::set_reader`]); written as given, a [`Said`] as stored
    /// ([`Said::to_stored`]) for both languages, or a plain line.
    pub reason: String,
    /// When it was released, if it was.
    #[cfg_attr(feature = "ts", ts(as = "Option<String>"))]
    pub released_at: Option<Timestamp>,
}

/// An app seen by Couper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SeenApp {
    /// The app's name as sent.
    pub app: String,
    /// How many notifications.
    pub count: u64,
    /// The last one.
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub last_seen: Timestamp,
    /// For a browser: the sites its notifications named, newest first (at most
    /// [`SITES_LISTED`]).
    #[serde(default)]
    pub sites: Vec<SeenSite>,
}

/// A site a browser's notifications named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SeenSite {
    /// The host, lowercase (`mail.example.org`).
    pub site: String,
    /// How many notifications.
    pub count: u64,
    /// The last one.
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    pub last_seen: Timestamp,
}

/// The SQLite store.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// The language held notifications' reasons are read in.
    reader: Lang,
    /// A scratch store's held queue, in memory (`None`: the `held` table). A scratch
    /// store also keeps no history of decisions, nor counts of the apps seen.
    queue: Option<queue::Queue>,
}

/// The default store path: the platform data dir (`~/.local/share/couper/couper.sqlite3`).
pub fn default_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("COUPER_STORE").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    directories::ProjectDirs::from("", "", "couper")
        .map(|dirs| dirs.data_dir().join("couper.sqlite3"))
}

fn ms(t: Timestamp) -> i64 {
    t.as_millisecond()
}

fn from_ms(v: i64) -> Timestamp {
    Timestamp::from_millisecond(v).unwrap_or(Timestamp::UNIX_EPOCH)
}

impl Store {
    /// Opens (creating it if needed) the store at `path`, readable by the user alone,
    /// and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Store::open_with(path, true)
    }

    /// Opens a scratch store (the replay's temporary database): the answers of a durable
    /// store, without waiting for the disk, since nothing in it must survive a crash. Its
    /// held queue is in memory, and it keeps no history of decisions nor counts of the
    /// apps seen, since nothing reads them back (the replay's file is thrown away: `couper
    /// simulate --history PATH` keeps one in a durable store): its history reads answer
    /// nothing.
    pub fn open_scratch(path: &Path) -> Result<Store, StoreError> {
        Store::open_with(path, false)
    }

    fn open_with(path: &Path, durable: bool) -> Result<Store, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            create_private_dir(dir).map_err(|source| StoreError::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let sqlite = |source| StoreError::Sqlite {
            path: path.to_path_buf(),
            source,
        };
        let mut conn = Connection::open(path).map_err(sqlite)?;
        set_private(path).map_err(|source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        if !durable {
            conn.pragma_update(None, "locking_mode", "EXCLUSIVE")
                .and_then(|_| conn.pragma_update(None, "cache_size", -16384))
                .map_err(sqlite)?;
        }
        let (journal, synchronous) = if durable {
            ("WAL", "NORMAL")
        } else {
            ("MEMORY", "OFF")
        };
        conn.pragma_update(None, "journal_mode", journal)
            .map_err(sqlite)?;
        conn.pragma_update(None, "synchronous", synchronous)
            .map_err(sqlite)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(sqlite)?;
        // Room for every statement below and the writes' own three.
        conn.set_prepared_statement_cache_capacity(32);
        Migrations::from_slice(MIGRATIONS)
            .to_latest(&mut conn)
            .map_err(|source| StoreError::Migration {
                path: path.to_path_buf(),
                source,
            })?;
        if !durable {
            // A scratch store is one long transaction: each write below is a savepoint
            // inside it, exactly as it is a transaction of its own in a durable store.
            conn.execute_batch("BEGIN;").map_err(sqlite)?;
        }
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            reader: Lang::chosen(None),
            queue: (!durable).then(queue::Queue::default),
        })
    }

    /// Held notifications' reasons are read in `lang` from now on (the locale's until
    /// told: the Service tells it the settings' language).
    pub fn set_reader(&mut self, lang: Lang) {
        self.reader = lang;
    }

    /// The language held notifications' reasons are read in.
    pub fn reader(&self) -> Lang {
        self.reader
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self, source: rusqlite::Error) -> StoreError {
        StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    /// Holds `n` (or updates the held one with the same id in place) and records the
    /// decision, in one committed transaction.
    pub fn hold(&mut self, held: &Held, entry: &HistoryEntry) -> Result<(), StoreError> {
        self.hold_owned(held.clone(), None, entry)
    }

    /// [`Store::hold`], with the bus connection that posted it (`owner`), which alone may
    /// replace or withdraw it.
    pub fn hold_owned(
        &mut self,
        held: Held,
        owner: Option<&str>,
        entry: &HistoryEntry,
    ) -> Result<(), StoreError> {
        if let Some(queue) = self.queue.as_mut() {
            queue.hold(held, owner);
            return Ok(());
        }
        let json = serde_json::to_string(&held.notification).map_err(|e| StoreError::Corrupt {
            path: self.path.clone(),
            what: "notification",
            detail: e.to_string(),
        })?;
        let tx = Write::begin(&self.conn).map_err(|e| StoreError::Sqlite {
            path: self.path.clone(),
            source: e,
        })?;
        let result = tx
            .prepare_cached(
                "INSERT INTO held (id, held_at, app, source, summary, notification, crisis, until, reason, owner)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                 ON CONFLICT(id) DO UPDATE SET app = ?3, source = ?4, summary = ?5,
                    notification = ?6, crisis = ?7, until = ?8, reason = ?9, released_at = NULL,
                    owner = coalesce(?10, owner)",
            )
            .and_then(|mut insert| {
                insert.execute(params![
                    held.id,
                    ms(held.held_at),
                    held.notification.app,
                    held.source,
                    held.notification.summary,
                    json,
                    held.crisis,
                    held.until.map(ms),
                    held.reason,
                    owner,
                ])
            })
            .and_then(|_| insert_history(&tx, entry))
            .and_then(|_| tx.commit());
        result.map_err(|e| self.err(e))
    }

    /// Records one history row.
    pub fn record(&mut self, entry: &HistoryEntry) -> Result<(), StoreError> {
        if self.queue.is_some() {
            return Ok(());
        }
        insert_history(&self.conn, entry).map_err(|e| self.err(e))
    }

    /// Records several history rows in one transaction.
    pub fn record_all(&mut self, entries: &[HistoryEntry]) -> Result<(), StoreError> {
        if self.queue.is_some() {
            return Ok(());
        }
        let path = self.path.clone();
        let err = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = Write::begin(&self.conn).map_err(err)?;
        for entry in entries {
            insert_history(&tx, entry).map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    /// Marks `ids` released at `at` and records it, in one transaction; returns the
    /// released notifications, oldest first. Ids already released are skipped, so a
    /// release happens exactly once.
    pub fn release(
        &mut self,
        ids: &[u32],
        at: Timestamp,
        cause: ReleaseCause,
    ) -> Result<Vec<Held>, StoreError> {
        if let Some(queue) = self.queue.as_mut() {
            return Ok(queue.release(ids, at, self.reader));
        }
        let path = self.path.clone();
        let err = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let reader = self.reader;
        let tx = Write::begin(&self.conn).map_err(err)?;
        let mut released = Vec::with_capacity(ids.len());
        {
            // Marked and read back in one statement; a row that cannot be read undoes
            // the whole release (the write is dropped uncommitted).
            let mut mark = tx.prepare_cached(RELEASE_ONE).map_err(err)?;
            let reason = serde_json::to_string(&cause).unwrap_or_default();
            for &id in ids {
                let row = mark
                    .query_row(params![id, ms(at)], |row| held_from_row(row, reader))
                    .optional()
                    .map_err(err)?;
                let Some(held) = row else { continue };
                let held = held.map_err(|detail| StoreError::Corrupt {
                    path: path.clone(),
                    what: "held notification",
                    detail,
                })?;
                insert_history(
                    &tx,
                    &HistoryEntry {
                        at,
                        kind: Kind::Release,
                        id: Some(id),
                        app: held.notification.app.clone(),
                        source: held.source.clone(),
                        crisis: held.crisis,
                        working: true,
                        on_call: false,
                        reason: reason.clone(),
                    },
                )
                .map_err(err)?;
                released.push(held);
            }
        }
        tx.commit().map_err(err)?;
        Ok(released)
    }

    /// Undoes the release at `at` of `ids`, which were never shown (Couper stopped in the
    /// middle of a replay): they are held again, and their release is no longer in the
    /// history, so the next release shows each of them once. Returns how many came back.
    pub fn put_back(&mut self, ids: &[u32], at: Timestamp) -> Result<usize, StoreError> {
        if let Some(queue) = self.queue.as_mut() {
            return Ok(queue.put_back(ids, at));
        }
        let path = self.path.clone();
        let err = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = Write::begin(&self.conn).map_err(err)?;
        let mut back = 0;
        {
            let mut unmark = tx
                .prepare_cached(
                    "UPDATE held SET released_at = NULL WHERE id = ?1 AND released_at = ?2",
                )
                .map_err(err)?;
            let mut unsay = tx
                .prepare_cached(
                    "DELETE FROM history WHERE kind = 'release' AND id = ?1 AND at = ?2",
                )
                .map_err(err)?;
            for &id in ids {
                if unmark.execute(params![id, ms(at)]).map_err(err)? == 1 {
                    unsay.execute(params![id, ms(at)]).map_err(err)?;
                    back += 1;
                }
            }
        }
        tx.commit().map_err(err)?;
        Ok(back)
    }

    /// Drops held `id` from the queue because its app withdrew it (or the user dismissed
    /// it), and records that, in one transaction. Returns whether it was held.
    pub fn withdraw(&mut self, id: u32, at: Timestamp, working: bool) -> Result<bool, StoreError> {
        if let Some(queue) = self.queue.as_mut() {
            return Ok(queue.withdraw(id));
        }
        let path = self.path.clone();
        let err = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = Write::begin(&self.conn).map_err(err)?;
        let row: Option<(String, Option<String>)> = tx
            .prepare_cached("SELECT app, source FROM held WHERE id = ?1 AND released_at IS NULL")
            .and_then(|mut s| {
                s.query_row(params![id], |r| Ok((r.get(0)?, r.get(1)?)))
                    .optional()
            })
            .map_err(err)?;
        let Some((app, source)) = row else {
            return Ok(false);
        };
        tx.prepare_cached("DELETE FROM held WHERE id = ?1")
            .and_then(|mut s| s.execute(params![id]))
            .map_err(err)?;
        insert_history(
            &tx,
            &HistoryEntry {
                at,
                kind: Kind::Withdraw,
                id: Some(id),
                app,
                source,
                crisis: false,
                working,
                on_call: false,
                reason: Said::both(|lang| crate::t!(lang, "reason-withdrawn")).to_stored(),
            },
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(true)
    }

    /// Drops `id` from the queue (withdrawn by its app, or dismissed by the user).
    pub fn remove_held(&mut self, id: u32) -> Result<bool, StoreError> {
        if let Some(queue) = self.queue.as_mut() {
            return Ok(queue.remove(id));
        }
        self.conn
            .execute("DELETE FROM held WHERE id = ?1", params![id])
            .map(|n| n > 0)
            .map_err(|e| self.err(e))
    }

    /// Who posted held `id`: `None` when it is not held, `Some(None)` when it was held
    /// before Couper kept owners.
    pub fn held_owner(&self, id: u32) -> Result<Option<Option<String>>, StoreError> {
        if let Some(queue) = &self.queue {
            return Ok(queue.owner(id));
        }
        self.conn
            .prepare_cached("SELECT owner FROM held WHERE id = ?1 AND released_at IS NULL")
            .and_then(|mut s| s.query_row(params![id], |r| r.get(0)).optional())
            .map_err(|e| self.err(e))
    }

    /// Caps the file at its size now plus `pages` pages, as a full disk would (tests).
    #[cfg(test)]
    pub(crate) fn fill_up_after(&self, pages: u32) {
        let count: u32 = self
            .conn
            .query_row("PRAGMA page_count", [], |r| r.get(0))
            .expect("page_count");
        self.conn
            .query_row(
                &format!("PRAGMA max_page_count = {}", count + pages),
                [],
                |_| Ok(()),
            )
            .expect("max_page_count");
    }

    /// The notifications held now, oldest first.
    pub fn held(&self) -> Result<Vec<Held>, StoreError> {
        if let Some(queue) = &self.queue {
            return Ok(queue.held_after(0, self.reader).collect());
        }
        self.query_held("released_at IS NULL ORDER BY id")
    }

    /// The notifications held now with an id above `after`, oldest first, as a JSON list
    /// of [`Held`], as many as `max_bytes` of their stored text allows (at least one):
    /// the queue page by page. Also the last id in it (0: none). Each notification's
    /// stored JSON goes into the list as it is, and rows past the budget are not read.
    pub fn held_page_json(
        &self,
        after: u32,
        max_bytes: usize,
    ) -> Result<(String, u32), StoreError> {
        /// [`Held`] with its notification as stored.
        #[derive(Serialize)]
        struct Row<'a> {
            id: u32,
            held_at: Timestamp,
            source: Option<String>,
            notification: &'a serde_json::value::RawValue,
            crisis: bool,
            until: Option<Timestamp>,
            reason: String,
            released_at: Option<Timestamp>,
        }
        let corrupt = |detail: String| StoreError::Corrupt {
            path: self.path.clone(),
            what: "held notification",
            detail,
        };
        if let Some(queue) = &self.queue {
            let mut page = Page::new(max_bytes);
            for held in queue.held_after(after, self.reader) {
                let json = serde_json::to_string(&held.notification)
                    .map_err(|e| corrupt(e.to_string()))?;
                if page.full_before(json.len()) {
                    break;
                }
                page.push(held.id, &held).map_err(corrupt)?;
            }
            return Ok(page.end());
        }
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {HELD_COLUMNS} FROM held
                 WHERE released_at IS NULL AND id > ?1 ORDER BY id"
            ))
            .map_err(|e| self.err(e))?;
        let mut rows = stmt.query(params![after]).map_err(|e| self.err(e))?;
        let mut page = Page::new(max_bytes);
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let get = |e| self.err(e);
            let json: String = row.get(3).map_err(get)?;
            if page.full_before(json.len()) {
                break;
            }
            let notification: &serde_json::value::RawValue =
                serde_json::from_str(&json).map_err(|e| corrupt(e.to_string()))?;
            let item = Row {
                id: row.get(0).map_err(get)?,
                held_at: from_ms(row.get(1).map_err(get)?),
                source: row.get(2).map_err(get)?,
                notification,
                crisis: row.get(4).map_err(get)?,
                until: row.get::<_, Option<i64>>(5).map_err(get)?.map(from_ms),
                reason: read_reason(&row.get::<_, String>(6).map_err(get)?, self.reader),
                released_at: row.get::<_, Option<i64>>(7).map_err(get)?.map(from_ms),
            };
            page.push(item.id, &item).map_err(corrupt)?;
        }
        Ok(page.end())
    }

    /// The notifications released since `since`, newest release first.
    pub fn released_since(&self, since: Timestamp) -> Result<Vec<Held>, StoreError> {
        if let Some(queue) = &self.queue {
            return Ok(queue.released_since(since, self.reader));
        }
        self.query_held(&format!(
            "released_at >= {} ORDER BY released_at DESC, id",
            ms(since)
        ))
    }

    /// Forgets the content of notifications released before `before`.
    pub fn purge_released(&mut self, before: Timestamp) -> Result<usize, StoreError> {
        if let Some(queue) = self.queue.as_mut() {
            return Ok(queue.purge_released(Some(before)));
        }
        self.conn
            .execute(
                "DELETE FROM held WHERE released_at IS NOT NULL AND released_at < ?1",
                params![ms(before)],
            )
            .map_err(|e| self.err(e))
    }

    fn query_held(&self, condition: &str) -> Result<Vec<Held>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {HELD_COLUMNS} FROM held WHERE {condition}"
            ))
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |row| held_from_row(row, self.reader))
            .map_err(|e| self.err(e))?;
        let mut out = Vec::new();
        for row in rows {
            out.push(
                row.map_err(|e| self.err(e))?
                    .map_err(|detail| StoreError::Corrupt {
                        path: self.path.clone(),
                        what: "held notification",
                        detail,
                    })?,
            );
        }
        Ok(out)
    }

    /// The largest notification id the store knows (held or in the history).
    pub fn max_id(&self) -> Result<u32, StoreError> {
        let queued = self.queue.as_ref().map_or(0, queue::Queue::max_id);
        self.conn
            .query_row(
                "SELECT max(coalesce((SELECT max(id) FROM held), 0),
                            coalesce((SELECT max(id) FROM history), 0))",
                [],
                |row| row.get::<_, i64>(0),
            )
            .map(|v| u32::try_from(v).unwrap_or(u32::MAX).max(queued))
            .map_err(|e| self.err(e))
    }

    /// Whether this is a scratch store (the replay's, [`Store::open_scratch`]): its held
    /// queue in memory, no history (of decisions, of apps seen), and the reasons it is
    /// given kept as they are, since it is read in the replay's one language only.
    pub fn is_scratch(&self) -> bool {
        self.queue.is_some()
    }

    /// The history rows of notification `id`, in order.
    pub fn history_of(&self, id: u32) -> Result<Vec<HistoryEntry>, StoreError> {
        self.query_history("id = ?1 ORDER BY seq", params![id])
    }

    /// The history rows in `[from, to)`, in order.
    pub fn history_between(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        self.query_history(
            "at >= ?1 AND at < ?2 ORDER BY at, seq",
            params![ms(from), ms(to)],
        )
    }

    /// The rows of `kind` in `[from, to)`, in order (reports: crises, modes, on call).
    pub fn history_of_kind(
        &self,
        kind: Kind,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        self.query_history(
            "kind = ?1 AND at >= ?2 AND at < ?3 ORDER BY at, seq",
            params![kind.as_str(), ms(from), ms(to)],
        )
    }

    /// The last row of `kind` before `t` (reports: the mode or on-call toggle in force
    /// when a period starts).
    pub fn last_of_kind_before(
        &self,
        kind: Kind,
        t: Timestamp,
    ) -> Result<Option<HistoryEntry>, StoreError> {
        let mut rows = self.query_history(
            "kind = ?1 AND at < ?2 ORDER BY at DESC, seq DESC LIMIT 1",
            params![kind.as_str(), ms(t)],
        )?;
        Ok(rows.pop())
    }

    /// Calls `f` with each work decision in `[from, to)` (delivered, let through as a
    /// crisis, held, silenced): its instant, kind, notification id and work source (the
    /// app's name when none), in no particular order. For reports, which count a
    /// month's decisions in one pass without keeping them.
    pub fn each_decision(
        &self,
        from: Timestamp,
        to: Timestamp,
        mut f: impl FnMut(Timestamp, Kind, u32, &str),
    ) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT at, kind, id, coalesce(source, app) FROM history
                 WHERE kind IN ('deliver', 'crisis', 'hold', 'drop') AND at >= ?1 AND at < ?2",
            )
            .map_err(|e| self.err(e))?;
        let mut rows = stmt
            .query(params![ms(from), ms(to)])
            .map_err(|e| self.err(e))?;
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let read = (|| -> rusqlite::Result<()> {
                let kind = Kind::parse(row.get_ref(1)?.as_str()?).unwrap_or(Kind::Deliver);
                let id = row.get::<_, Option<u32>>(2)?.unwrap_or(0);
                let source = row.get_ref(3)?.as_str()?;
                f(from_ms(row.get(0)?), kind, id, source);
                Ok(())
            })();
            read.map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    fn query_history(
        &self,
        condition: &str,
        params: impl rusqlite::Params,
    ) -> Result<Vec<HistoryEntry>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT at, kind, id, app, source, crisis, working, on_call, reason
                 FROM history WHERE {condition}"
            ))
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params, |row| {
                let kind: String = row.get(1)?;
                Ok(HistoryEntry {
                    at: from_ms(row.get(0)?),
                    kind: Kind::parse(&kind).unwrap_or(Kind::Deliver),
                    id: row.get(2)?,
                    app: row.get(3)?,
                    source: row.get(4)?,
                    crisis: row.get(5)?,
                    working: row.get(6)?,
                    on_call: row.get(7)?,
                    reason: row.get(8)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// Erases the history before `before` (all of it with `None`): the decisions, the
    /// content of notifications already released, and the apps seen only before then. The
    /// held queue is left alone: it is not history yet. One transaction; returns how many
    /// decisions were erased.
    pub fn forget(&mut self, before: Option<Timestamp>) -> Result<usize, StoreError> {
        if let Some(queue) = self.queue.as_mut() {
            queue.purge_released(before);
        }
        let before = before.map_or(i64::MAX, ms);
        let tx = Write::begin(&self.conn).map_err(|e| StoreError::Sqlite {
            path: self.path.clone(),
            source: e,
        })?;
        let erased = tx
            .execute("DELETE FROM history WHERE at < ?1", params![before])
            .and_then(|n| {
                tx.execute(
                    "DELETE FROM held WHERE released_at IS NOT NULL AND released_at < ?1",
                    params![before],
                )?;
                tx.execute(
                    "DELETE FROM seen_apps WHERE last_seen < ?1",
                    params![before],
                )?;
                tx.execute(
                    "DELETE FROM seen_sites WHERE last_seen < ?1",
                    params![before],
                )?;
                Ok(n)
            })
            .and_then(|n| tx.commit().map(|()| n));
        erased.map_err(|e| self.err(e))
    }

    /// Counts notifications per app (`app`, how many, the last at) and per app and site,
    /// in one transaction: all of them or, when the store fails, none.
    pub fn seen_counts<'a>(
        &mut self,
        apps: impl IntoIterator<Item = (&'a str, u64, Timestamp)>,
        sites: impl IntoIterator<Item = (&'a str, &'a str, u64, Timestamp)>,
    ) -> Result<(), StoreError> {
        // The replay's scratch store keeps no history, and these counts are history.
        if self.is_scratch() {
            return Ok(());
        }
        let count = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        let counted = Write::begin(&self.conn).and_then(|tx| {
            {
                let mut stmt = tx.prepare_cached(
                    "INSERT INTO seen_apps (app, count, last_seen) VALUES (?1, ?3, ?2)
                     ON CONFLICT(app) DO UPDATE SET count = count + ?3, last_seen = max(last_seen, ?2)",
                )?;
                for (app, n, at) in apps {
                    stmt.execute(params![app, ms(at), count(n)])?;
                }
                let mut stmt = tx.prepare_cached(
                    "INSERT INTO seen_sites (app, site, count, last_seen) VALUES (?1, ?2, ?4, ?3)
                     ON CONFLICT(app, site) DO UPDATE SET count = count + ?4, last_seen = max(last_seen, ?3)",
                )?;
                for (app, site, n, at) in sites {
                    stmt.execute(params![app, site, ms(at), count(n)])?;
                }
            }
            tx.commit()
        });
        counted.map_err(|e| self.err(e))
    }

    /// The apps seen, newest first, each with the sites it named.
    pub fn seen_apps(&self, limit: usize) -> Result<Vec<SeenApp>, StoreError> {
        let mut stmt = self
            .conn
            .prepare("SELECT app, count, last_seen FROM seen_apps ORDER BY last_seen DESC LIMIT ?1")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![limit as i64], |row| {
                Ok(SeenApp {
                    app: row.get(0)?,
                    count: row.get::<_, i64>(1)?.max(0) as u64,
                    last_seen: from_ms(row.get(2)?),
                    sites: Vec::new(),
                })
            })
            .map_err(|e| self.err(e))?;
        let mut apps: Vec<SeenApp> = rows.collect::<Result<_, _>>().map_err(|e| self.err(e))?;
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT site, count, last_seen FROM seen_sites WHERE app = ?1
                 ORDER BY last_seen DESC, site LIMIT ?2",
            )
            .map_err(|e| self.err(e))?;
        for app in &mut apps {
            let rows = stmt
                .query_map(params![app.app, SITES_LISTED as i64], |row| {
                    Ok(SeenSite {
                        site: row.get(0)?,
                        count: row.get::<_, i64>(1)?.max(0) as u64,
                        last_seen: from_ms(row.get(2)?),
                    })
                })
                .map_err(|e| self.err(e))?;
            app.sites = rows.collect::<Result<_, _>>().map_err(|e| self.err(e))?;
        }
        Ok(apps)
    }

    /// The persisted manual mode (auto when none).
    pub fn mode(&self) -> Result<Mode, StoreError> {
        Ok(self
            .state("mode")?
            .and_then(|v| serde_json::from_str(&v).ok())
            .unwrap_or(Mode::Auto))
    }

    /// Persists the manual mode and records the change.
    pub fn set_mode(&mut self, mode: Mode, at: Timestamp, working: bool) -> Result<(), StoreError> {
        let value = serde_json::to_string(&mode).unwrap_or_default();
        self.set_state("mode", &value)?;
        self.record(&HistoryEntry {
            at,
            kind: Kind::Mode,
            id: None,
            app: String::new(),
            source: None,
            crisis: false,
            working,
            on_call: false,
            reason: value,
        })
    }

    /// The persisted manual on-call toggle.
    pub fn on_call(&self) -> Result<bool, StoreError> {
        Ok(self.state("on_call")?.as_deref() == Some("true"))
    }

    /// Persists the manual on-call toggle and records the change.
    pub fn set_on_call(&mut self, on: bool, at: Timestamp) -> Result<(), StoreError> {
        self.set_state("on_call", if on { "true" } else { "false" })?;
        self.record(&HistoryEntry {
            at,
            kind: Kind::OnCall,
            id: None,
            app: String::new(),
            source: None,
            crisis: false,
            working: false,
            on_call: on,
            reason: if on { "on" } else { "off" }.into(),
        })
    }

    /// A free-form persisted value.
    pub fn state(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row(
                "SELECT value FROM state WHERE key = ?1",
                params![key],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.err(e))
    }

    /// Sets a free-form persisted value.
    pub fn set_state(&mut self, key: &str, value: &str) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO state (key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = ?2",
                params![key, value],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }
}

/// A page of the held queue as a JSON list, up to a budget of notification text (at
/// least one item).
struct Page {
    out: String,
    last: u32,
    bytes: usize,
    max_bytes: usize,
}

impl Page {
    fn new(max_bytes: usize) -> Page {
        Page {
            out: String::from("["),
            last: 0,
            bytes: 0,
            max_bytes,
        }
    }

    /// Counts a notification of `len` bytes; whether the page is full without it.
    fn full_before(&mut self, len: usize) -> bool {
        self.bytes = self.bytes.saturating_add(len);
        self.bytes > self.max_bytes && self.last != 0
    }

    fn push(&mut self, id: u32, item: &impl Serialize) -> Result<(), String> {
        if self.last != 0 {
            self.out.push(',');
        }
        self.out
            .push_str(&serde_json::to_string(item).map_err(|e| e.to_string())?);
        self.last = id;
        Ok(())
    }

    /// The list, and the last id in it (0: none).
    fn end(mut self) -> (String, u32) {
        self.out.push(']');
        (self.out, self.last)
    }
}

const HELD_COLUMNS: &str = "id, held_at, source, notification, crisis, until, reason, released_at";

/// Marks held notification `?1` released at `?2`, unless it was already, and returns it
/// as [`held_from_row`] reads it.
const RELEASE_ONE: &str = "UPDATE held SET released_at = ?2 WHERE id = ?1 AND released_at IS NULL
     RETURNING id, held_at, source, notification, crisis, until, reason, released_at";

type HeldRow = Result<Held, String>;

fn held_from_row(row: &rusqlite::Row<'_>, lang: Lang) -> rusqlite::Result<HeldRow> {
    let json: String = row.get(3)?;
    let notification: Notification = match serde_json::from_str(&json) {
        Ok(n) => n,
        Err(e) => return Ok(Err(e.to_string())),
    };
    Ok(Ok(Held {
        id: row.get(0)?,
        held_at: from_ms(row.get(1)?),
        source: row.get(2)?,
        notification,
        crisis: row.get(4)?,
        until: row.get::<_, Option<i64>>(5)?.map(from_ms),
        reason: read_reason(&row.get::<_, String>(6)?, lang),
        released_at: row.get::<_, Option<i64>>(7)?.map(from_ms),
    }))
}

/// One write, atomic: a savepoint (a transaction of its own in a durable store, a part
/// of the one long transaction of a scratch store), rolled back when dropped uncommitted.
/// Its three statements are prepared once and kept in the connection's cache, where
/// rusqlite's `Savepoint` parses them again on every write.
struct Write<'c> {
    conn: &'c Connection,
    done: bool,
}

impl<'c> Write<'c> {
    fn begin(conn: &'c Connection) -> rusqlite::Result<Write<'c>> {
        conn.prepare_cached("SAVEPOINT couper_write")?.execute([])?;
        Ok(Write { conn, done: false })
    }

    fn commit(mut self) -> rusqlite::Result<()> {
        self.conn
            .prepare_cached("RELEASE couper_write")?
            .execute([])?;
        self.done = true;
        Ok(())
    }
}

impl std::ops::Deref for Write<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        self.conn
    }
}

impl Drop for Write<'_> {
    fn drop(&mut self) {
        if !self.done {
            for undo in ["ROLLBACK TO couper_write", "RELEASE couper_write"] {
                let _ = self
                    .conn
                    .prepare_cached(undo)
                    .and_then(|mut stmt| stmt.execute([]));
            }
        }
    }
}

/// A stored reason in `lang`.
fn read_reason(stored: &str, lang: Lang) -> String {
    Said::from_stored(stored).get(lang).to_string()
}

fn insert_history(conn: &Connection, entry: &HistoryEntry) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO history (at, kind, id, app, source, crisis, working, on_call, reason)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        ms(entry.at),
        entry.kind.as_str(),
        entry.id,
        entry.app,
        entry.source,
        entry.crisis,
        entry.working,
        entry.on_call,
        entry.reason,
    ])
    .map(|_| ())
}

/// Creates `dir` (and parents) with mode 0700 for the parts it creates.
pub(crate) fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dir)
    }
}

fn set_private(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(id: u32, at: Timestamp) -> Held {
        Held {
            id,
            held_at: at,
            source: Some("Slack".into()),
            notification: Notification {
                app: "Slack".into(),
                summary: format!("Bryan {id}"),
                body: "On publie ?".into(),
                ..Default::default()
            },
            crisis: false,
            until: None,
            reason: "held".into(),
            released_at: None,
        }
    }

    fn entry(id: u32, at: Timestamp) -> HistoryEntry {
        HistoryEntry {
            at,
            kind: Kind::Hold,
            id: Some(id),
            app: "Slack".into(),
            source: Some("Slack".into()),
            crisis: false,
            working: false,
            on_call: false,
            reason: "held".into(),
        }
    }

    #[test]
    fn the_held_queue_read_in_pages_is_the_whole_queue_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("couper.sqlite3")).unwrap();
        let t: Timestamp = "2026-11-28T20:04:00Z".parse().unwrap();
        for id in 1..=7 {
            store.hold(&held(id, t), &entry(id, t)).unwrap();
        }
        store.release(&[3], t, ReleaseCause::Schedule).unwrap();
        // A budget of about two notifications a page.
        let one = serde_json::to_string(&held(1, t).notification)
            .unwrap()
            .len();
        let (mut all, mut after, mut pages) = (Vec::new(), 0, 0);
        loop {
            let (page, last) = store.held_page_json(after, one * 2).unwrap();
            let page: Vec<Held> = serde_json::from_str(&page).unwrap();
            if last == 0 {
                assert!(page.is_empty());
                break;
            }
            assert!(!page.is_empty() && page.len() <= 2, "{page:?}");
            after = last;
            pages += 1;
            all.extend(page);
        }
        assert_eq!(all, store.held().unwrap());
        assert_eq!(pages, 3);
        // One bigger than the budget still comes, alone.
        let (page, last) = store.held_page_json(0, 1).unwrap();
        assert_eq!(last, 1);
        assert_eq!(serde_json::from_str::<Vec<Held>>(&page).unwrap().len(), 1);
    }

    #[test]
    fn issue_14_a_stored_reason_is_read_in_the_readers_language_and_an_old_one_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("couper.sqlite3");
        let t: Timestamp = "2026-11-28T20:04:00Z".parse().unwrap();
        let said = Said {
            en: "held: Slack is a work app".into(),
            fr: "retenue : Slack est une app de travail".into(),
        };
        {
            let mut store = Store::open(&path).unwrap();
            let mut one = held(1, t);
            one.reason = said.to_stored();
            let mut first = entry(1, t);
            first.reason = said.to_stored();
            store.hold(&one, &first).unwrap();
            // A row an older Couper wrote: a plain English line.
            let mut old = held(2, t);
            old.reason = "held: Teams is a work app".into();
            let mut second = entry(2, t);
            second.reason = old.reason.clone();
            store.hold(&old, &second).unwrap();
        }
        let mut store = Store::open(&path).unwrap();
        let reasons = |store: &Store| -> Vec<String> {
            store
                .held()
                .unwrap()
                .into_iter()
                .map(|h| h.reason)
                .collect()
        };
        let paged = |store: &Store| -> Vec<String> {
            let (page, _) = store.held_page_json(0, 1 << 20).unwrap();
            let page: Vec<Held> = serde_json::from_str(&page).unwrap();
            page.into_iter().map(|h| h.reason).collect()
        };
        store.set_reader(Lang::Fr);
        let fr = vec![
            "retenue : Slack est une app de travail".to_string(),
            "held: Teams is a work app".to_string(),
        ];
        assert_eq!(reasons(&store), fr);
        assert_eq!(paged(&store), fr);
        store.set_reader(Lang::En);
        let en = vec![
            "held: Slack is a work app".to_string(),
            "held: Teams is a work app".to_string(),
        ];
        assert_eq!(reasons(&store), en);
        assert_eq!(paged(&store), en);
        // The log's rows too, each in the language asked for.
        let history = store.history_of(1).unwrap();
        assert_eq!(history[0].reason_in(Lang::Fr), said.fr);
        assert_eq!(history[0].reason_in(Lang::En), said.en);
        assert_eq!(
            store.history_of(2).unwrap()[0].reason_in(Lang::Fr),
            "held: Teams is a work app"
        );
        // A withdrawal is said in both; a release keeps its cause as it is.
        store.withdraw(2, t, false).unwrap();
        let released = store.release(&[1], t, ReleaseCause::Schedule).unwrap();
        assert_eq!(released[0].reason, said.en);
        let withdrawn = store.history_of(2).unwrap().pop().unwrap();
        assert_eq!(withdrawn.kind, Kind::Withdraw);
        assert_eq!(
            withdrawn.reason_in(Lang::En),
            "withdrawn by its app before release"
        );
        assert_eq!(
            withdrawn.reason_in(Lang::Fr),
            "retirée par son app avant d'être remise"
        );
        let release = store.history_of(1).unwrap().pop().unwrap();
        assert_eq!(release.kind, Kind::Release);
        assert_eq!(release.reason_in(Lang::Fr), release.reason);
    }

    #[test]
    fn a_hold_survives_reopening_and_is_released_exactly_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data/couper.sqlite3");
        let t: Timestamp = "2026-11-28T20:04:00Z".parse().unwrap();
        {
            let mut store = Store::open(&path).unwrap();
            store.hold(&held(1, t), &entry(1, t)).unwrap();
            store.hold(&held(2, t), &entry(2, t)).unwrap();
        }
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.held().unwrap().len(), 2);
        assert_eq!(store.max_id().unwrap(), 2);
        let first = store.release(&[1, 2], t, ReleaseCause::Schedule).unwrap();
        assert_eq!(first.len(), 2);
        let again = store.release(&[1, 2], t, ReleaseCause::Schedule).unwrap();
        assert!(again.is_empty(), "released twice");
        assert!(store.held().unwrap().is_empty());
        assert_eq!(store.released_since(t).unwrap().len(), 2);
    }

    #[test]
    fn a_release_that_meets_an_unreadable_row_releases_none_of_them() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("s.sqlite3")).unwrap();
        let t: Timestamp = "2026-11-28T20:04:00Z".parse().unwrap();
        store.hold(&held(1, t), &entry(1, t)).unwrap();
        store.hold(&held(2, t), &entry(2, t)).unwrap();
        store
            .conn
            .execute("UPDATE held SET notification = 'not json' WHERE id = 2", [])
            .unwrap();
        let refused = store.release(&[1, 2], t, ReleaseCause::Schedule);
        assert!(
            matches!(refused, Err(StoreError::Corrupt { .. })),
            "{refused:?}"
        );
        // The first was not marked released on its own: both are still pending, and
        // neither has a release in the history.
        let pending: i64 = store
            .conn
            .query_row(
                "SELECT count(*) FROM held WHERE released_at IS NULL",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(pending, 2);
        assert!(store.released_since(t).unwrap().is_empty());
        for id in [1, 2] {
            assert!(store
                .history_of(id)
                .unwrap()
                .iter()
                .all(|e| e.kind != Kind::Release));
        }
        // Once the row is readable again, the release goes through, once.
        store
            .conn
            .execute(
                "UPDATE held SET notification = (SELECT notification FROM held WHERE id = 1) WHERE id = 2",
                [],
            )
            .unwrap();
        assert_eq!(
            store
                .release(&[1, 2], t, ReleaseCause::Schedule)
                .unwrap()
                .len(),
            2
        );
    }

    #[test]
    fn a_replacement_updates_the_held_one_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("s.sqlite3")).unwrap();
        let t: Timestamp = "2026-11-28T20:04:00Z".parse().unwrap();
        store.hold(&held(1, t), &entry(1, t)).unwrap();
        let mut newer = held(1, t);
        newer.notification.body = "Finalement non".into();
        store.hold(&newer, &entry(1, t)).unwrap();
        let all = store.held().unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].notification.body, "Finalement non");
    }

    #[cfg(unix)]
    #[test]
    fn the_files_are_readable_by_the_user_alone() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new/couper.sqlite3");
        let _store = Store::open(&path).unwrap();
        let file = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        let parent = std::fs::metadata(path.parent().unwrap())
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(file, 0o600);
        assert_eq!(parent, 0o700);
    }

    #[test]
    fn only_a_durable_store_counts_the_apps_seen() {
        let dir = tempfile::tempdir().unwrap();
        let t: Timestamp = "2026-11-28T20:04:00Z".parse().unwrap();
        for durable in [true, false] {
            let mut store =
                Store::open_with(&dir.path().join(format!("s{durable}.sqlite3")), durable).unwrap();
            store
                .seen_counts(
                    [("Slack", 2, t), ("Chromium", 1, t)],
                    [("Chromium", "www.linkedin.com", 1, t)],
                )
                .unwrap();
            let apps: Vec<_> = store
                .seen_apps(10)
                .unwrap()
                .into_iter()
                .map(|a| (a.app, a.count, a.sites.len()))
                .collect();
            let expected = if durable {
                vec![("Slack".to_string(), 2, 0), ("Chromium".to_string(), 1, 1)]
            } else {
                Vec::new()
            };
            assert_eq!(apps, expected, "durable {durable}");
        }
    }

    #[test]
    fn a_scratch_store_answers_for_its_held_queue_as_a_durable_one_does() {
        let dir = tempfile::tempdir().unwrap();
        let t: Timestamp = "2026-11-28T20:04:00.123456Z".parse().unwrap();
        let later = |s: i64| t + jiff::SignedDuration::from_secs(s);
        let said = Said {
            en: "held: Slack".into(),
            fr: "retenue : Slack".into(),
        };
        // Every answer about the held queue, in order, after the same writes.
        let run = |mut store: Store| -> Vec<String> {
            store.set_reader(Lang::Fr);
            let mut said_then = Vec::new();
            let mut say = |what: String| said_then.push(what);
            for id in 1..=5 {
                let mut h = held(id, t);
                h.reason = said.to_stored();
                h.until = Some(later(3600));
                store.hold_owned(h, Some(":1.7"), &entry(id, t)).unwrap();
            }
            // (The history, which a scratch store does not keep, knows no more ids here.)
            say(format!("{:?}", store.max_id().unwrap()));
            // Replaced, by its owner who is not named: held again, first held at `t`.
            let mut newer = held(2, later(60));
            newer.notification.body = "Plus tard".into();
            store.hold_owned(newer, None, &entry(2, later(60))).unwrap();
            say(format!("{:?}", store.held_owner(2).unwrap()));
            say(format!(
                "{:?}",
                store.release(&[4, 2, 9, 2], later(120), ReleaseCause::Manual)
            ));
            say(format!(
                "{:?}",
                store.put_back(&[2, 3], later(120)).unwrap()
            ));
            say(format!(
                "{:?}",
                store.withdraw(3, later(130), false).unwrap()
            ));
            say(format!(
                "{:?}",
                store.withdraw(4, later(130), false).unwrap()
            ));
            say(format!("{:?}", store.held_owner(4).unwrap()));
            say(format!("{:?}", store.remove_held(5).unwrap()));
            say(format!("{:?}", store.remove_held(5).unwrap()));
            say(format!("{:?}", store.held_page_json(0, 1).unwrap()));
            say(format!(
                "{:?}",
                store.held_page_json(1, usize::MAX).unwrap()
            ));
            say(format!(
                "{:?}",
                store.release(&[1], later(200), ReleaseCause::Manual)
            ));
            say(format!("{:?}", store.released_since(later(120)).unwrap()));
            say(format!("{:?}", store.purge_released(later(150)).unwrap()));
            say(format!("{:?}", store.released_since(t).unwrap()));
            store.forget(None).unwrap();
            say(format!("{:?}", store.released_since(t).unwrap()));
            say(format!("{:?}", store.held().unwrap()));
            say(format!("{:?}", store.max_id().unwrap()));
            said_then
        };
        let durable = run(Store::open(&dir.path().join("d.sqlite3")).unwrap());
        let scratch = run(Store::open_scratch(&dir.path().join("s.sqlite3")).unwrap());
        for (d, s) in durable.iter().zip(&scratch) {
            assert_eq!(d, s);
        }
        assert_eq!(durable.len(), scratch.len());
        // Not vacuous: the queue said something of each.
        assert_eq!(durable[0], "5");
        assert!(durable[2].contains("retenue : Slack"), "{durable:?}");
        assert_eq!(durable[3], "1", "2 put back");
        assert!(
            durable.last().is_some_and(|last| last == "2"),
            "{durable:?}"
        );
    }

    #[test]
    fn a_write_that_fails_half_way_leaves_nothing_and_the_next_write_lands() {
        let dir = tempfile::tempdir().unwrap();
        let t: Timestamp = "2026-11-28T20:04:00Z".parse().unwrap();
        for durable in [true, false] {
            let path = dir.path().join(format!("w{durable}.sqlite3"));
            let mut store = Store::open_with(&path, durable).unwrap();
            // A row is written, then the write gives up before its end.
            let tx = Write::begin(&store.conn).unwrap();
            tx.execute("INSERT INTO state (key, value) VALUES ('half', 'done')", [])
                .unwrap();
            drop(tx);
            assert_eq!(store.state("half").unwrap(), None, "durable {durable}");
            store.hold(&held(8, t), &entry(8, t)).unwrap();
            assert_eq!(store.held().unwrap().len(), 1, "durable {durable}");
            // The replay's scratch store keeps no history; the durable one does.
            let history = usize::from(durable);
            assert_eq!(
                store.history_of(8).unwrap().len(),
                history,
                "durable {durable}"
            );
        }
        // The durable store's write was committed: it is there once reopened.
        let store = Store::open(&dir.path().join("wtrue.sqlite3")).unwrap();
        assert_eq!(store.held().unwrap().len(), 1);
    }

    #[test]
    fn mode_and_on_call_persist() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.sqlite3");
        let t: Timestamp = "2026-11-28T20:04:00Z".parse().unwrap();
        {
            let mut store = Store::open(&path).unwrap();
            store
                .set_mode(
                    Mode::Off {
                        since: t,
                        until: None,
                        explicit: false,
                    },
                    t,
                    false,
                )
                .unwrap();
            store.set_on_call(true, t).unwrap();
            store.seen_counts([("Slack", 1, t)], []).unwrap();
            store.seen_counts([("Slack", 1, t)], []).unwrap();
        }
        let store = Store::open(&path).unwrap();
        assert!(matches!(store.mode().unwrap(), Mode::Off { .. }));
        assert!(store.on_call().unwrap());
        assert_eq!(store.seen_apps(10).unwrap()[0].count, 2);
    }

    #[test]
    fn forget_before_a_date_erases_the_sites_seen_only_before_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("s.sqlite3")).unwrap();
        let monday: Timestamp = "2026-11-23T10:00:00Z".parse().unwrap();
        let friday: Timestamp = "2026-11-27T10:00:00Z".parse().unwrap();
        store.seen_counts([("Chromium", 3, friday)], []).unwrap();
        for (site, at) in [
            ("old.example.org", monday),
            ("mail.example.org", monday),
            ("mail.example.org", friday),
        ] {
            store.seen_counts([], [("Chromium", site, 1, at)]).unwrap();
        }
        store
            .forget(Some("2026-11-25T00:00:00Z".parse().unwrap()))
            .unwrap();
        let sites = &store.seen_apps(10).unwrap()[0].sites;
        assert_eq!(
            sites,
            &[SeenSite {
                site: "mail.example.org".into(),
                count: 2,
                last_seen: friday,
            }]
        );
    }
}
