//! The journal of the shell settings Couper changed, so that Couper fails open: before it
//! turns a switch, it writes down the user's own value (and what it wrote) in the store;
//! when it stops, when the next `couper run` starts after a crash, or on `couper
//! restore`, each journaled switch gets the user's value back — unless the user changed
//! it by hand in the meantime (it no longer holds what Couper wrote): then the user's
//! new value stays, and only the entry goes.
//!
//! The journal is one JSON value in the store's key/value table, rewritten whole on
//! each change (it holds a few entries: one per work app).

use super::{Route, SteerError};
use crate::store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};

/// Where the journal is kept in the store.
pub const KEY: &str = "steer.journal";

/// Where the journal lives: the store, through the running service or opened directly.
pub trait Keep: Send + Sync + 'static {
    /// The journal's text, if any.
    fn load(&self) -> Result<Option<String>, StoreError>;
    /// Replaces the journal's text (durably, before it returns).
    fn save(&self, text: &str) -> Result<(), StoreError>;
}

impl Keep for crate::live::Live {
    fn load(&self) -> Result<Option<String>, StoreError> {
        self.recall(KEY)
    }

    fn save(&self, text: &str) -> Result<(), StoreError> {
        self.remember(KEY, text)
    }
}

impl Keep for Mutex<Store> {
    fn load(&self) -> Result<Option<String>, StoreError> {
        self.lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .state(KEY)
    }

    fn save(&self, text: &str) -> Result<(), StoreError> {
        self.lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .set_state(KEY, text)
    }
}

/// One switch Couper turned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// The route that turned it ("gnome", "plasma").
    pub route: String,
    /// The switch (the route's per-app key).
    pub key: String,
    /// The user's own value before Couper turned it; `None`: never set.
    pub original: Option<String>,
    /// What Couper wrote.
    pub ours: String,
}

/// What putting one switch back did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PutBack {
    /// The user's own value is back.
    Restored(Entry),
    /// The user changed it by hand while Couper ran: their new value stays.
    LeftAsChanged {
        /// The entry.
        entry: Entry,
        /// The value found.
        found: Option<String>,
    },
}

impl PutBack {
    /// What was done, as `couper restore` says it, in `lang`.
    pub fn said(&self, lang: crate::i18n::Lang) -> String {
        let shown = |v: &Option<String>| {
            v.clone()
                .unwrap_or_else(|| crate::t!(lang, "couper-value-unset"))
        };
        match self {
            PutBack::Restored(e) => crate::t!(
                lang,
                "couper-put-back",
                route = e.route.as_str(),
                key = e.key.as_str(),
                value = shown(&e.original)
            ),
            PutBack::LeftAsChanged { entry, found } => crate::t!(
                lang,
                "couper-left-as-changed",
                route = entry.route.as_str(),
                key = entry.key.as_str(),
                value = shown(found)
            ),
        }
    }
}

/// In English, for the log.
impl std::fmt::Display for PutBack {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.said(crate::i18n::Lang::En))
    }
}

/// The journal over a [`Keep`].
pub struct Journal {
    keep: Arc<dyn Keep>,
    /// One change at a time: read, journal, write.
    turn: tokio::sync::Mutex<()>,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Journal")
    }
}

impl Journal {
    /// The journal kept in `keep`.
    pub fn new(keep: Arc<dyn Keep>) -> Journal {
        Journal {
            keep,
            turn: tokio::sync::Mutex::new(()),
        }
    }

    /// The entries.
    pub fn entries(&self) -> Result<Vec<Entry>, SteerError> {
        match self.keep.load()? {
            None => Ok(Vec::new()),
            Some(text) if text.trim().is_empty() => Ok(Vec::new()),
            Some(text) => {
                serde_json::from_str(&text).map_err(|e| SteerError::Journal(e.to_string()))
            }
        }
    }

    fn store(&self, entries: &[Entry]) -> Result<(), SteerError> {
        let text =
            serde_json::to_string(entries).map_err(|e| SteerError::Journal(e.to_string()))?;
        Ok(self.keep.save(&text)?)
    }

    /// Sets `key` to `value` on `route`, journaling the user's own value first. A switch
    /// that already holds `value` is left alone (and not journaled): returns whether it
    /// was changed.
    pub async fn change<R: Route>(
        &self,
        route: &R,
        key: &str,
        value: &str,
    ) -> Result<bool, SteerError> {
        let _turn = self.turn.lock().await;
        let current = route.read(key).await?;
        let mut entries = self.entries()?;
        match entries
            .iter_mut()
            .find(|e| e.route == route.name() && e.key == key)
        {
            // Already journaled (a run that did not put it back): its original stays.
            Some(entry) => entry.ours = value.to_string(),
            None if current.as_deref() == Some(value) => return Ok(false),
            None => entries.push(Entry {
                route: route.name().to_string(),
                key: key.to_string(),
                original: current,
                ours: value.to_string(),
            }),
        }
        self.store(&entries)?;
        route.write(key, Some(value)).await?;
        Ok(true)
    }

    /// Puts `key` back on `route`, if Couper journaled it.
    pub async fn put_back<R: Route>(
        &self,
        route: &R,
        key: &str,
    ) -> Result<Option<PutBack>, SteerError> {
        let _turn = self.turn.lock().await;
        let mut entries = self.entries()?;
        let Some(index) = entries
            .iter()
            .position(|e| e.route == route.name() && e.key == key)
        else {
            return Ok(None);
        };
        let done = put_back_one(route, &entries[index]).await?;
        entries.remove(index);
        self.store(&entries)?;
        tracing::info!("{done}");
        Ok(Some(done))
    }

    /// Puts back every switch journaled for `route`.
    pub async fn put_back_all<R: Route>(&self, route: &R) -> Result<Vec<PutBack>, SteerError> {
        let keys: Vec<String> = self
            .entries()?
            .into_iter()
            .filter(|e| e.route == route.name())
            .map(|e| e.key)
            .collect();
        let mut done = Vec::new();
        let mut first_error = None;
        for key in keys {
            match self.put_back(route, &key).await {
                Ok(Some(d)) => done.push(d),
                Ok(None) => {}
                Err(e) => {
                    tracing::error!("{} {key}: cannot put it back: {e}", route.name());
                    first_error.get_or_insert(e);
                }
            }
        }
        first_error.map_or(Ok(done), Err)
    }
}

async fn put_back_one<R: Route>(route: &R, entry: &Entry) -> Result<PutBack, SteerError> {
    let found = route.read(&entry.key).await?;
    if found.as_deref() != Some(entry.ours.as_str()) {
        return Ok(PutBack::LeftAsChanged {
            entry: entry.clone(),
            found,
        });
    }
    route
        .put_back(&entry.key, entry.original.as_deref())
        .await?;
    Ok(PutBack::Restored(entry.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notification::Notification;
    use std::collections::{BTreeMap, BTreeSet};

    /// A route over an in-memory table.
    #[derive(Default)]
    struct Table(Mutex<BTreeMap<String, String>>);

    impl Route for Table {
        fn name(&self) -> &'static str {
            "table"
        }
        fn shows_critical_when_quiet(&self) -> bool {
            true
        }
        fn keys_for(&self, _: &[String]) -> BTreeSet<String> {
            BTreeSet::new()
        }
        fn key_of(&self, _: &Notification) -> Option<String> {
            None
        }
        async fn read(&self, key: &str) -> Result<Option<String>, SteerError> {
            Ok(self.0.lock().unwrap().get(key).cloned())
        }
        async fn write(&self, key: &str, value: Option<&str>) -> Result<(), SteerError> {
            let mut t = self.0.lock().unwrap();
            match value {
                Some(v) => t.insert(key.into(), v.into()),
                None => t.remove(key),
            };
            Ok(())
        }
        async fn withdraw(&self, _: &zbus::Connection, _: u32) -> Result<(), SteerError> {
            Ok(())
        }
    }

    fn journal() -> (Journal, tempfile::TempDir, Arc<Mutex<Store>>) {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(Mutex::new(
            Store::open(&dir.path().join("s.sqlite3")).unwrap(),
        ));
        (Journal::new(store.clone()), dir, store)
    }

    fn run<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn the_users_own_value_comes_back_and_an_unset_one_is_unset_again() {
        run(async {
            let (journal, _dir, _) = journal();
            let table = Table::default();
            table.write("slack", Some("true")).await.unwrap();
            journal.change(&table, "slack", "false").await.unwrap();
            journal.change(&table, "teams", "false").await.unwrap();
            assert_eq!(table.read("slack").await.unwrap().as_deref(), Some("false"));
            let done = journal.put_back_all(&table).await.unwrap();
            assert_eq!(done.len(), 2);
            assert_eq!(table.read("slack").await.unwrap().as_deref(), Some("true"));
            assert_eq!(table.read("teams").await.unwrap(), None);
            assert!(journal.entries().unwrap().is_empty());
        });
    }

    #[test]
    fn a_value_changed_by_hand_while_couper_ran_is_never_overwritten() {
        run(async {
            let (journal, _dir, _) = journal();
            let table = Table::default();
            journal.change(&table, "slack", "false").await.unwrap();
            table.write("slack", Some("maybe")).await.unwrap();
            let done = journal.put_back(&table, "slack").await.unwrap().unwrap();
            assert!(matches!(done, PutBack::LeftAsChanged { .. }), "{done}");
            assert_eq!(table.read("slack").await.unwrap().as_deref(), Some("maybe"));
        });
    }

    #[test]
    fn after_a_crash_the_next_run_keeps_the_first_original() {
        run(async {
            let (journal, dir, store) = journal();
            let table = Table::default();
            table.write("slack", Some("true")).await.unwrap();
            journal.change(&table, "slack", "false").await.unwrap();
            drop(journal);
            drop(store);
            // The next run, on the same store: the switch still holds Couper's value.
            let store = Arc::new(Mutex::new(
                Store::open(&dir.path().join("s.sqlite3")).unwrap(),
            ));
            let journal = Journal::new(store);
            journal.change(&table, "slack", "false").await.unwrap();
            journal.put_back_all(&table).await.unwrap();
            assert_eq!(table.read("slack").await.unwrap().as_deref(), Some("true"));
        });
    }

    #[test]
    fn a_switch_already_at_couper_s_value_is_not_journaled() {
        run(async {
            let (journal, _dir, _) = journal();
            let table = Table::default();
            table.write("slack", Some("false")).await.unwrap();
            journal.change(&table, "slack", "false").await.unwrap();
            assert!(journal.entries().unwrap().is_empty());
        });
    }
}
