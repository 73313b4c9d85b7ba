//! The notification ids Couper answers apps with. Three issuers share the `u32` space,
//! each in a range of its own, so that an id says who gave it and two issuers never give
//! the same one:
//!
//! - the Service (what is held or delivered, and kept in the store), counting up from 1;
//! - fail open (a notification shown unkept because the store failed);
//! - the gate itself (notifications it shows in Couper's own voice), counting down from
//!   `u32::MAX`.
//!
//! 0 is no id: in `Notify` it means "replaces nothing".

use std::ops::RangeInclusive;

/// Who gave a notification id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Issuer {
    /// The Service.
    Service,
    /// Fail open.
    FailOpen,
    /// The gate.
    Gate,
}

impl Issuer {
    /// The ids this issuer gives.
    pub const fn range(self) -> RangeInclusive<u32> {
        match self {
            Issuer::Service => 1..=0x7FFF_FFFF,
            Issuer::FailOpen => 0x8000_0000..=0x8000_FFFF,
            Issuer::Gate => 0x8001_0000..=u32::MAX,
        }
    }

    /// Who gave `id` (`None` for 0).
    pub fn of(id: u32) -> Option<Issuer> {
        [Issuer::Service, Issuer::FailOpen, Issuer::Gate]
            .into_iter()
            .find(|issuer| issuer.range().contains(&id))
    }

    /// Whether this issuer counts down from the top of its range.
    const fn counts_down(self) -> bool {
        matches!(self, Issuer::Gate)
    }

    /// Where the count starts.
    const fn first(self) -> u32 {
        if self.counts_down() {
            *self.range().end()
        } else {
            *self.range().start()
        }
    }

    /// The `n`th id of this issuer, wrapping within its range.
    pub fn nth(self, n: u32) -> u32 {
        let range = self.range();
        let len = range.end() - range.start() + 1;
        let step = n % len;
        if self.counts_down() {
            range.end() - step
        } else {
            range.start() + step
        }
    }
}

/// Hands out one issuer's ids in turn, wrapping within its range.
#[derive(Debug, Clone)]
pub struct Ids {
    issuer: Issuer,
    next: u32,
}

impl Ids {
    /// From the first id of `issuer`.
    pub fn new(issuer: Issuer) -> Ids {
        Ids {
            issuer,
            next: issuer.first(),
        }
    }

    /// Going on after `last`, an id this issuer gave before (from the store); from the
    /// first when `last` is none of its ids.
    pub fn after(issuer: Issuer, last: u32) -> Ids {
        let mut ids = Ids::new(issuer);
        if issuer.range().contains(&last) {
            ids.next = last;
            ids.take();
        }
        ids
    }

    /// The id the next [`Ids::take`] gives.
    pub fn peek(&self) -> u32 {
        self.next
    }

    /// The next id.
    pub fn take(&mut self) -> u32 {
        let id = self.next;
        let range = self.issuer.range();
        self.next = if self.issuer.counts_down() {
            if id == *range.start() {
                *range.end()
            } else {
                id - 1
            }
        } else if id == *range.end() {
            *range.start()
        } else {
            id + 1
        };
        id
    }

    /// Whether `id` is one this counter gave already (since it last wrapped).
    pub fn gave(&self, id: u32) -> bool {
        let range = self.issuer.range();
        if !range.contains(&id) {
            return false;
        }
        if self.issuer.counts_down() {
            id > self.next
        } else {
            id < self.next
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_ranges_share_no_id_and_leave_out_only_zero() {
        let all = [Issuer::Service, Issuer::FailOpen, Issuer::Gate];
        for a in all {
            for b in all {
                if a != b {
                    let (ra, rb) = (a.range(), b.range());
                    assert!(
                        ra.end() < rb.start() || rb.end() < ra.start(),
                        "{a:?} {b:?}"
                    );
                }
            }
        }
        assert_eq!(Issuer::of(0), None);
        for id in [
            1,
            0x7FFF_FFFF,
            0x8000_0000,
            0x8000_FFFF,
            0x8001_0000,
            u32::MAX,
        ] {
            assert!(Issuer::of(id).is_some(), "{id:#x}");
        }
    }

    #[test]
    fn each_issuer_counts_its_way_and_wraps_inside_its_range() {
        let mut service = Ids::new(Issuer::Service);
        assert_eq!((service.take(), service.take()), (1, 2));
        assert!(service.gave(2) && !service.gave(3) && !service.gave(u32::MAX));
        let mut last = Ids::after(Issuer::Service, 0x7FFF_FFFF);
        assert_eq!(last.take(), 1, "wraps to the first");
        assert_eq!(Ids::after(Issuer::Service, 41).take(), 42);
        assert_eq!(Ids::after(Issuer::Service, 0).take(), 1);

        let mut gate = Ids::new(Issuer::Gate);
        assert_eq!((gate.take(), gate.take()), (u32::MAX, u32::MAX - 1));
        assert!(gate.gave(u32::MAX) && !gate.gave(u32::MAX - 2) && !gate.gave(5));
        let mut bottom = Ids::after(Issuer::Gate, 0x8001_0000);
        assert_eq!(bottom.take(), u32::MAX, "wraps to the top");

        assert_eq!(Issuer::FailOpen.nth(0), 0x8000_0000);
        assert_eq!(Issuer::FailOpen.nth(0x1_0000), 0x8000_0000, "wraps");
        assert_eq!(
            Issuer::of(Issuer::FailOpen.nth(12_345)),
            Some(Issuer::FailOpen)
        );
    }
}
