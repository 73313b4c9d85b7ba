//! What stays in memory once Couper has started (issue 15: `couper run` under 10 MB
//! resident when idle).
//!
//! Most of an idle gate's resident set is not its own data but the pages of its code
//! (and of libc's) that start-up touched: reading the settings and the catalogues,
//! migrating the store, taking the bus names, starting the display daemon. Linux maps
//! file pages by 64 KB around each fault ("fault-around"), so start-up leaves nearly the
//! whole executable mapped although an idle gate runs none of it. Once start-up is over,
//! [`release_start_up_pages`] tells the kernel that those mappings are no longer needed
//! (`madvise(MADV_DONTNEED)`). The pages stay in the page cache: what a later
//! notification runs comes back as a minor fault, in microseconds, and only that.
//!
//! Only segments that can never have been written are touched, the executable code and
//! the read-only data of each loaded object (`PT_LOAD` without `PF_W`): dropping a
//! mapping of them loses nothing, since every page reads back the same from the file
//! (Linux refuses to write an executable that is running, and an upgrade replaces the
//! file rather than rewriting it). Writable segments (relocated data, the heap, the
//! stacks) are never touched. The kernel's own vDSO is left alone. After a release of
//! held notifications, [`return_freed_heap`] gives back what they took.

use std::ffi::CStr;

/// Stops mapping the pages of every loaded object's code and read-only data, so that
/// only what runs from now on is resident. Returns how many bytes of mappings were
/// released (0 where this is not Linux).
pub fn release_start_up_pages() -> usize {
    imp::release()
}

/// Gives the heap's free memory back to the system (after a release of many held
/// notifications, say): the allocator otherwise keeps it for later.
pub fn return_freed_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages of glibc's own heap.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The resident set of this process, in bytes, as `/proc/self/statm` counts it.
pub fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * page_size() as u64)
}

fn page_size() -> usize {
    // SAFETY: sysconf only reads a constant of the system.
    let size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    usize::try_from(size)
        .ok()
        .filter(|&s| s > 0)
        .unwrap_or(4096)
}

/// `[start, end)` shrunk to whole pages.
fn whole_pages(start: usize, end: usize, page: usize) -> Option<(usize, usize)> {
    let start = start.checked_add(page - 1)? / page * page;
    let end = end / page * page;
    (end > start).then_some((start, end))
}

#[cfg(target_os = "linux")]
mod imp {
    use super::{page_size, whole_pages, CStr};

    pub(super) fn release() -> usize {
        let mut released = Released {
            page: page_size(),
            bytes: 0,
        };
        // SAFETY: `each` only reads the program headers the loader hands it, and the
        // pointer to `released` outlives the call.
        unsafe {
            libc::dl_iterate_phdr(
                Some(each),
                (&mut released as *mut Released).cast::<libc::c_void>(),
            );
        }
        released.bytes
    }

    struct Released {
        page: usize,
        bytes: usize,
    }

    unsafe extern "C" fn each(
        info: *mut libc::dl_phdr_info,
        _size: libc::size_t,
        data: *mut libc::c_void,
    ) -> libc::c_int {
        // SAFETY: the loader passes a valid `dl_phdr_info` for the call's duration, and
        // `data` is the `Released` that `release` gave.
        let (info, released) = unsafe { (&*info, &mut *data.cast::<Released>()) };
        let name = if info.dlpi_name.is_null() {
            &[][..]
        } else {
            // SAFETY: a non-null name is a NUL-terminated string owned by the loader.
            unsafe { CStr::from_ptr(info.dlpi_name) }.to_bytes()
        };
        if name.starts_with(b"linux-vdso") || name.starts_with(b"linux-gate") {
            return 0;
        }
        for i in 0..usize::from(info.dlpi_phnum) {
            // SAFETY: `dlpi_phdr` points to `dlpi_phnum` program headers.
            let header = unsafe { &*info.dlpi_phdr.add(i) };
            if header.p_type != libc::PT_LOAD || header.p_flags & libc::PF_W != 0 {
                continue;
            }
            let start = (info.dlpi_addr as usize).wrapping_add(header.p_vaddr as usize);
            let Some(end) = start.checked_add(header.p_filesz as usize) else {
                continue;
            };
            let Some((start, end)) = whole_pages(start, end, released.page) else {
                continue;
            };
            // SAFETY: the range lies inside a read-only segment mapped from its file:
            // dropping its pages discards nothing that cannot be read back.
            let done = unsafe {
                libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_DONTNEED)
            };
            if done == 0 {
                released.bytes += end - start;
            }
        }
        0
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    pub(super) fn release() -> usize {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_pages_shrink_inward() {
        assert_eq!(whole_pages(0, 8192, 4096), Some((0, 8192)));
        assert_eq!(whole_pages(1, 8192, 4096), Some((4096, 8192)));
        assert_eq!(whole_pages(4096, 8191, 4096), None);
        assert_eq!(whole_pages(100, 200, 4096), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn released_pages_leave_the_resident_set_and_the_code_still_runs() {
        // Touch a good part of this binary's code and data first, as start-up does.
        let said = crate::t!(crate::words::Lang::Fr, "reason-pass-on-call");
        let before = resident_bytes().expect("statm");
        let released = release_start_up_pages();
        let after = resident_bytes().expect("statm");
        assert!(released > 1 << 20, "released {released} bytes");
        assert!(after < before, "resident {before} then {after} bytes");
        // What runs after is read back from the page cache, the same as before.
        assert_eq!(
            crate::t!(crate::words::Lang::Fr, "reason-pass-on-call"),
            said
        );
        let text: String = (0..1000).map(|i| format!("{i}")).collect();
        assert!(text.starts_with("0123"));
    }
}
