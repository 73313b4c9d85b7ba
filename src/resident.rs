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
//! Only segments mapped read-only are touched, the executable code and the read-only
//! data of each loaded object (`PT_LOAD` without `PF_W`), and in them only the pages
//! that are still the file's own (`/proc/self/pagemap`; a page something wrote, text
//! relocations or a debugger's breakpoint, is a private copy and stays): dropping a
//! mapping of those loses nothing, since every page reads back the same from the file
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

/// `/proc/self/pagemap`: the page is present.
#[cfg(target_os = "linux")]
const PRESENT: u64 = 1 << 63;
/// `/proc/self/pagemap`: the page is the file's own (not a private, written copy).
#[cfg(target_os = "linux")]
const FILE_PAGE: u64 = 1 << 61;

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
    use super::{FILE_PAGE, PRESENT};
    use std::os::unix::fs::FileExt;

    pub(super) fn release() -> usize {
        let page = page_size();
        let mut segments: Vec<(usize, usize)> = Vec::new();
        // SAFETY: `each` only reads the program headers the loader hands it, and the
        // pointer to `segments` outlives the call.
        unsafe {
            libc::dl_iterate_phdr(
                Some(each),
                (&mut segments as *mut Vec<(usize, usize)>).cast::<libc::c_void>(),
            );
        }
        // Only pages that are still the file's own are let go: a page some code wrote
        // (text relocations, a debugger's breakpoint, a hook) is a private copy, kept.
        let Ok(pagemap) = std::fs::File::open("/proc/self/pagemap") else {
            return 0;
        };
        let mut released = 0;
        for (start, end) in segments {
            let Some((start, end)) = whole_pages(start, end, page) else {
                continue;
            };
            let pages = (end - start) / page;
            let mut entries = vec![0u8; pages * 8];
            if pagemap
                .read_exact_at(&mut entries, (start / page * 8) as u64)
                .is_err()
            {
                continue;
            }
            let file_own = |i: usize| {
                let mut entry = [0u8; 8];
                entry.copy_from_slice(&entries[i * 8..i * 8 + 8]);
                let entry = u64::from_le_bytes(entry);
                entry & PRESENT != 0 && entry & FILE_PAGE != 0
            };
            let mut i = 0;
            while i < pages {
                if !file_own(i) {
                    i += 1;
                    continue;
                }
                let first = i;
                while i < pages && file_own(i) {
                    i += 1;
                }
                let (from, len) = (start + first * page, (i - first) * page);
                // SAFETY: these pages lie in a read-only segment and are the file's own
                // (pagemap): dropping them discards nothing that cannot be read back.
                let done =
                    unsafe { libc::madvise(from as *mut libc::c_void, len, libc::MADV_DONTNEED) };
                if done == 0 {
                    released += len;
                }
            }
        }
        released
    }

    unsafe extern "C" fn each(
        info: *mut libc::dl_phdr_info,
        _size: libc::size_t,
        data: *mut libc::c_void,
    ) -> libc::c_int {
        // SAFETY: the loader passes a valid `dl_phdr_info` for the call's duration, and
        // `data` is the list that `release` gave.
        let (info, segments) = unsafe { (&*info, &mut *data.cast::<Vec<(usize, usize)>>()) };
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
            if let Some(end) = start.checked_add(header.p_filesz as usize) {
                segments.push((start, end));
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

    /// Whether the page holding `at` is present and a private copy, by pagemap.
    #[cfg(target_os = "linux")]
    fn private_copy(at: usize) -> bool {
        use std::os::unix::fs::FileExt;
        let page = page_size();
        let mut entry = [0u8; 8];
        let pagemap = std::fs::File::open("/proc/self/pagemap").expect("pagemap");
        pagemap
            .read_exact_at(&mut entry, (at / page * 8) as u64)
            .expect("an entry");
        let entry = u64::from_le_bytes(entry);
        entry & PRESENT != 0 && entry & FILE_PAGE == 0
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_read_only_page_something_wrote_is_kept() {
        // A page of this binary's read-only data, written once (its own byte put back),
        // as text relocations or a debugger's breakpoint do: now a private copy.
        static TEXT: &str = "Couper: a page of read-only data, written once by this test";
        let at = TEXT.as_ptr() as usize;
        let page = page_size();
        let start = at / page * page;
        // SAFETY: the page is made writable, its byte written back unchanged, and made
        // read-only again before anything else reads it through another path.
        unsafe {
            assert_eq!(
                libc::mprotect(
                    start as *mut libc::c_void,
                    page,
                    libc::PROT_READ | libc::PROT_WRITE
                ),
                0
            );
            let byte = std::ptr::read_volatile(at as *const u8);
            std::ptr::write_volatile(at as *mut u8, byte);
            assert_eq!(
                libc::mprotect(start as *mut libc::c_void, page, libc::PROT_READ),
                0
            );
        }
        assert!(private_copy(at));
        release_start_up_pages();
        assert!(private_copy(at), "the written page was let go");
        assert!(TEXT.starts_with("Couper: a page"));
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
