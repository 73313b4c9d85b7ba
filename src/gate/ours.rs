//! Which callers on the session bus are Couper's own process (its own notifications,
//! posted through notify-rust on connections of their own), by the pid the bus gives.

use std::collections::HashSet;
use std::sync::Mutex;

use zbus::names::BusName;
use zbus::Connection;

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The connections found to be Couper's own process (by the pid the bus gives), and those
/// found not to be. Unique names are never reused on a bus, so an answer holds for good.
#[derive(Debug, Default)]
pub struct Ours {
    ours: Mutex<HashSet<String>>,
    others: Mutex<HashSet<String>>,
}

/// At most this many other callers are remembered (then forgotten at once and asked again).
const OTHERS_KEPT: usize = 1024;

impl Ours {
    /// Whether `caller` is a connection of this process.
    pub async fn contains(&self, session: &Connection, caller: &str) -> bool {
        if lock(&self.ours).contains(caller) {
            return true;
        }
        if lock(&self.others).contains(caller) {
            return false;
        }
        let pid = pid_of(session, caller).await;
        match pid {
            Ok(pid) if pid == std::process::id() => {
                lock(&self.ours).insert(caller.to_string());
                true
            }
            Ok(_) => {
                let mut others = lock(&self.others);
                if others.len() >= OTHERS_KEPT {
                    others.clear();
                }
                others.insert(caller.to_string());
                false
            }
            // Not known: an app, as before.
            Err(e) => {
                tracing::debug!(caller, "no pid for a caller: {e}");
                false
            }
        }
    }
}

/// The pid of the process behind connection `caller`, as the bus gives it.
async fn pid_of(session: &Connection, caller: &str) -> zbus::Result<u32> {
    let caller = BusName::try_from(caller)?;
    let bus = super::proxies::bus(session).await?;
    Ok(bus.get_connection_unix_process_id(caller).await?)
}
