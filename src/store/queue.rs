//! The held queue of a scratch store (the replay's), in memory: the same rows and the
//! same answers as the `held` table of a durable store, without SQLite. A replay holds and
//! releases most of what it reads, and each of those was an insert, an update and a JSON
//! round trip of the notification; none of it must outlive the replay. The replay's
//! tests check that it says the very same lines on either.

use super::{from_ms, ms, read_reason, Held};
use crate::words::Lang;
use jiff::Timestamp;
use std::collections::BTreeMap;

/// A held row: the notification, and the connection that posted it.
#[derive(Debug, Clone)]
struct Row {
    held: Held,
    owner: Option<String>,
}

/// The held queue, by id.
#[derive(Debug, Default)]
pub(super) struct Queue {
    rows: BTreeMap<u32, Row>,
}

/// `t` as the `held` table keeps it: to the millisecond.
fn kept(t: Timestamp) -> Timestamp {
    from_ms(ms(t))
}

impl Queue {
    /// Holds `held`, or replaces the row of its id (keeping when it was first held, and
    /// its owner when `owner` is `None`), held again if it had been released.
    pub(super) fn hold(&mut self, held: Held, owner: Option<&str>) {
        let id = held.id;
        let mut new = held;
        new.held_at = kept(new.held_at);
        new.until = new.until.map(kept);
        new.released_at = None;
        match self.rows.get_mut(&id) {
            Some(row) => {
                new.held_at = row.held.held_at;
                row.held = new;
                if let Some(owner) = owner {
                    row.owner = Some(owner.to_string());
                }
            }
            None => {
                self.rows.insert(
                    id,
                    Row {
                        held: new,
                        owner: owner.map(str::to_string),
                    },
                );
            }
        }
    }

    /// Marks `ids` released at `at`, skipping those not held; the released ones, in the
    /// order asked, with their reasons in `lang`.
    pub(super) fn release(&mut self, ids: &[u32], at: Timestamp, lang: Lang) -> Vec<Held> {
        let at = kept(at);
        let mut released = Vec::with_capacity(ids.len());
        for id in ids {
            if let Some(row) = self.rows.get_mut(id) {
                if row.held.released_at.is_none() {
                    row.held.released_at = Some(at);
                    released.push(read(&row.held, lang));
                }
            }
        }
        released
    }

    /// Holds again those of `ids` released at `at`; how many.
    pub(super) fn put_back(&mut self, ids: &[u32], at: Timestamp) -> usize {
        let at = kept(at);
        let mut back = 0;
        for id in ids {
            if let Some(row) = self.rows.get_mut(id) {
                if row.held.released_at == Some(at) {
                    row.held.released_at = None;
                    back += 1;
                }
            }
        }
        back
    }

    /// Drops `id` if it is held (not released); whether it was.
    pub(super) fn withdraw(&mut self, id: u32) -> bool {
        let held = self
            .rows
            .get(&id)
            .is_some_and(|row| row.held.released_at.is_none());
        if held {
            self.rows.remove(&id);
        }
        held
    }

    /// Drops `id`, held or released; whether it was there.
    pub(super) fn remove(&mut self, id: u32) -> bool {
        self.rows.remove(&id).is_some()
    }

    /// Who posted held `id`, as [`super::Store::held_owner`] says it.
    pub(super) fn owner(&self, id: u32) -> Option<Option<String>> {
        self.rows
            .get(&id)
            .filter(|row| row.held.released_at.is_none())
            .map(|row| row.owner.clone())
    }

    /// The held ones with an id above `after`, oldest first, in `lang`.
    pub(super) fn held_after(&self, after: u32, lang: Lang) -> impl Iterator<Item = Held> + '_ {
        use std::ops::Bound::{Excluded, Unbounded};
        self.rows
            .range((Excluded(after), Unbounded))
            .map(|(_, row)| &row.held)
            .filter(|held| held.released_at.is_none())
            .map(move |held| read(held, lang))
    }

    /// Those released since `since`, newest release first (then by id), in `lang`.
    pub(super) fn released_since(&self, since: Timestamp, lang: Lang) -> Vec<Held> {
        let since = kept(since);
        let mut released: Vec<Held> = self
            .rows
            .values()
            .filter(|row| row.held.released_at.is_some_and(|at| at >= since))
            .map(|row| read(&row.held, lang))
            .collect();
        released.sort_by(|a, b| b.released_at.cmp(&a.released_at).then(a.id.cmp(&b.id)));
        released
    }

    /// Forgets those released before `before` (all released ones with `None`); how many.
    pub(super) fn purge_released(&mut self, before: Option<Timestamp>) -> usize {
        let before = before.map(kept);
        let len = self.rows.len();
        self.rows.retain(|_, row| match row.held.released_at {
            None => true,
            Some(at) => before.is_some_and(|before| at >= before),
        });
        len - self.rows.len()
    }

    /// The largest id in the queue (0: none).
    pub(super) fn max_id(&self) -> u32 {
        self.rows.keys().next_back().copied().unwrap_or(0)
    }
}

/// `held` as read back: its reason in `lang`.
fn read(held: &Held, lang: Lang) -> Held {
    let mut read = held.clone();
    read.reason = read_reason(&held.reason, lang);
    read
}
