//! Waiting on state that belongs to another process and has no change signal to wait on
//! (dunst's counts, a name on the bus, a window on the X server): polled with a short
//! backoff, from 10 ms up to 200 ms, until a deadline. One helper for every test binary;
//! where a signal exists, tests await it instead.
#![allow(dead_code)]

use std::fmt::Display;
use std::future::Future;
use std::time::{Duration, Instant};

const FIRST: Duration = Duration::from_millis(10);
const MOST: Duration = Duration::from_millis(200);

/// The pauses between two looks at something, up to a deadline.
pub struct Backoff {
    deadline: Instant,
    pause: Duration,
}

impl Backoff {
    /// Looks for at most `patience` from now.
    pub fn new(patience: Duration) -> Backoff {
        Backoff {
            deadline: Instant::now() + patience,
            pause: FIRST,
        }
    }

    /// Fails the test with `what` (what was last seen) once the deadline has passed, else
    /// pauses before the next look.
    pub async fn wait(&mut self, what: impl Display) {
        tokio::time::sleep(self.next(what)).await;
    }

    /// [`Backoff::wait`] for a test without a runtime (the shells' harness).
    pub fn wait_blocking(&mut self, what: impl Display) {
        std::thread::sleep(self.next(what));
    }

    fn next(&mut self, what: impl Display) -> Duration {
        assert!(Instant::now() < self.deadline, "not in time: {what}");
        let pause = self.pause;
        self.pause = (self.pause * 2).min(MOST);
        pause
    }
}

/// Waits until `probe` gives something, for at most `patience`.
pub async fn within<T, Fut>(what: &str, patience: Duration, mut probe: impl FnMut() -> Fut) -> T
where
    Fut: Future<Output = Option<T>>,
{
    let mut backoff = Backoff::new(patience);
    loop {
        if let Some(value) = probe().await {
            return value;
        }
        backoff.wait(what).await;
    }
}

/// Waits until `probe` gives something, for at most `patience`, blocking the thread.
pub fn within_blocking<T>(
    what: &str,
    patience: Duration,
    mut probe: impl FnMut() -> Option<T>,
) -> T {
    let mut backoff = Backoff::new(patience);
    loop {
        if let Some(value) = probe() {
            return value;
        }
        backoff.wait_blocking(what);
    }
}
