//! A timer on the wall clock. Couper's wakes are wall-clock instants (Monday 09:00), and
//! tokio's timers are monotonic: they do not count suspend and ignore clock changes. A
//! Linux `timerfd` on `CLOCK_REALTIME`, armed at an absolute instant with
//! `TFD_TIMER_CANCEL_ON_SET`, fires at that wall time even after a weekend of suspend, and
//! reports a change of the clock so the driver re-arms. Idle, it wakes only then.

use jiff::Timestamp;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use tokio::io::unix::AsyncFd;

/// What ended a wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wake {
    /// The instant it was armed at came.
    Fired,
    /// The wall clock was set: re-arm.
    ClockChanged,
}

/// A one-shot timer on the wall clock.
#[derive(Debug)]
pub struct WallTimer {
    fd: AsyncFd<OwnedFd>,
}

/// When nothing is due, the timer is still armed this far ahead, so that a change of
/// the clock is noticed.
const IDLE_AHEAD_SECS: i64 = 366 * 24 * 3600;

impl WallTimer {
    /// A new, disarmed timer. Needs a tokio runtime with I/O enabled.
    pub fn new() -> io::Result<WallTimer> {
        // SAFETY: plain syscall; the returned fd is checked and owned below.
        let fd = unsafe {
            libc::timerfd_create(libc::CLOCK_REALTIME, libc::TFD_NONBLOCK | libc::TFD_CLOEXEC)
        };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` is a fresh descriptor that nothing else owns.
        let owned = unsafe { OwnedFd::from_raw_fd(fd) };
        // SAFETY: `owned` is a valid, open descriptor, owned by the AsyncFd from here on;
        // its raw fd never changes.
        let fd = unsafe { AsyncFd::register_with_interest(owned, tokio::io::Interest::READABLE) }
            .map_err(|e| e.into_parts().1)?;
        Ok(WallTimer { fd })
    }

    /// Arms the timer at `at` (or, with `None`, far ahead, only to notice clock
    /// changes). An instant already past fires at once.
    pub fn arm(&self, at: Option<Timestamp>) -> io::Result<()> {
        let at = at.unwrap_or_else(|| {
            Timestamp::now()
                .checked_add(jiff::SignedDuration::from_secs(IDLE_AHEAD_SECS))
                .unwrap_or(Timestamp::MAX)
        });
        let mut nanos = at.subsec_nanosecond();
        let mut secs = at.as_second();
        if secs <= 0 && nanos <= 0 {
            // 0 would disarm the timer: the earliest instant that still fires.
            secs = 0;
            nanos = 1;
        }
        let spec = libc::itimerspec {
            it_interval: libc::timespec {
                tv_sec: 0,
                tv_nsec: 0,
            },
            it_value: libc::timespec {
                tv_sec: secs as libc::time_t,
                tv_nsec: nanos.max(0) as libc::c_long,
            },
        };
        // SAFETY: valid fd and a valid itimerspec; no old value requested.
        let rc = unsafe {
            libc::timerfd_settime(
                self.fd.get_ref().as_raw_fd(),
                libc::TFD_TIMER_ABSTIME | libc::TFD_TIMER_CANCEL_ON_SET,
                &spec,
                std::ptr::null_mut(),
            )
        };
        if rc < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    /// Waits until the armed instant or a change of the clock.
    pub async fn wait(&self) -> io::Result<Wake> {
        loop {
            let mut guard = self.fd.readable().await?;
            let mut count = [0u8; 8];
            // SAFETY: reading 8 bytes into an 8-byte buffer from a valid fd.
            let n = unsafe {
                libc::read(
                    self.fd.get_ref().as_raw_fd(),
                    count.as_mut_ptr().cast(),
                    count.len(),
                )
            };
            if n == 8 {
                return Ok(Wake::Fired);
            }
            let err = io::Error::last_os_error();
            match err.raw_os_error() {
                Some(libc::ECANCELED) => return Ok(Wake::ClockChanged),
                Some(libc::EAGAIN) => guard.clear_ready(),
                _ => return Err(err),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_instant_in_the_past_fires_at_once() {
        let timer = WallTimer::new().unwrap();
        timer
            .arm(Some(Timestamp::now() - jiff::SignedDuration::from_secs(5)))
            .unwrap();
        assert_eq!(timer.wait().await.unwrap(), Wake::Fired);
    }

    #[tokio::test]
    async fn a_near_instant_fires_at_its_wall_time() {
        let timer = WallTimer::new().unwrap();
        let at = Timestamp::now() + jiff::SignedDuration::from_millis(200);
        timer.arm(Some(at)).unwrap();
        assert_eq!(timer.wait().await.unwrap(), Wake::Fired);
        assert!(Timestamp::now() >= at, "fired early");
    }
}
