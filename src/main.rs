//! The `docshift` binary: parse arguments, run the command, map the outcome to an exit code
//! (0 success, 1 findings or failed build, 2 usage or configuration error).

use clap::Parser;
use docshift::cli::Cli;
use docshift::cmd::{run, Outcome};
use std::process::ExitCode;

/// Loading a large docset allocates strings and events per page on every core; glibc's malloc
/// was a fifth of a 10,000-page `diff`'s CPU time, and jemalloc cuts that `diff` from 2.5 s to
/// 2.0 s (docs/benchmarks.md).
#[cfg(all(not(target_env = "msvc"), not(feature = "heap-stages")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// The `heap-stages` build: jemalloc as above, counting the bytes allocated and not yet freed
/// (the live heap) and the most of them since the last stage ended, which it prints to
/// stderr at the end of each stage of a round. Peak RSS says how much memory a command
/// took; this says which stage holds it (docs/benchmarks.md).
#[cfg(all(not(target_env = "msvc"), feature = "heap-stages"))]
mod heap_stages {
    use std::alloc::{GlobalAlloc, Layout};
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
    use tikv_jemallocator::Jemalloc;

    static LIVE: AtomicUsize = AtomicUsize::new(0);
    static HIGH: AtomicUsize = AtomicUsize::new(0);

    /// Jemalloc, counting.
    struct Counting;

    fn grew(by: usize) {
        let live = LIVE.fetch_add(by, Relaxed) + by;
        HIGH.fetch_max(live, Relaxed);
    }

    // SAFETY: every call is passed on to jemalloc unchanged; the counters only observe it.
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            grew(layout.size());
            unsafe { Jemalloc.alloc(layout) }
        }
        unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
            grew(layout.size());
            unsafe { Jemalloc.alloc_zeroed(layout) }
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            LIVE.fetch_sub(layout.size(), Relaxed);
            unsafe { Jemalloc.dealloc(ptr, layout) }
        }
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            // Counted as the new block before the old one goes: a moving realloc holds both.
            grew(new_size);
            LIVE.fetch_sub(layout.size(), Relaxed);
            unsafe { Jemalloc.realloc(ptr, layout, new_size) }
        }
    }

    #[global_allocator]
    static ALLOCATOR: Counting = Counting;

    const MIB: usize = 1 << 20;

    /// Prints the live heap at the end of `stage` and the most it held since the last
    /// stage ended, then starts the next stage's high-water mark from now.
    fn report(stage: docshift::pipeline::Stage) {
        let live = LIVE.load(Relaxed);
        let high = HIGH.swap(live, Relaxed);
        eprintln!(
            "heap at the end of {}: {} MiB live, at most {} MiB during it",
            stage.label(),
            live / MIB,
            high / MIB
        );
    }

    /// Reports the live heap at the end of every stage from now on.
    pub(super) fn watch() {
        docshift::pipeline::set_stage_hook(report);
    }
}

/// For a one-shot `build`: jemalloc gives freed pages back to the system after 0.5 s instead
/// of 10 s. A build frees each page's document as it renders it while the search index
/// grows on other threads' arenas, and with the default the freed pages stayed resident
/// until the build was over (10,000 pages: peak RSS about 640 → 500 MiB). Not for `serve`,
/// where pages given back between edits are faulted in again on the next one (save-to-reload
/// about 7 ms slower at 10,000 pages; docs/benchmarks.md).
#[cfg(not(target_env = "msvc"))]
fn return_freed_memory_sooner() {
    /// Milliseconds (jemalloc's `ssize_t`).
    const DECAY_MS: isize = 500;
    // Arenas made from now on (rayon's threads get theirs when they first allocate), then
    // every arena that exists already (`MALLCTL_ARENAS_ALL` is 4096).
    for name in [
        &b"arenas.dirty_decay_ms\0"[..],
        &b"arena.4096.dirty_decay_ms\0"[..],
    ] {
        let mut value = DECAY_MS;
        // SAFETY: the names are NUL-terminated, and both take an `ssize_t` as new value and
        // read no old one. A failure leaves jemalloc as it was, which is only slower to give
        // memory back.
        unsafe {
            tikv_jemalloc_sys::mallctl(
                name.as_ptr().cast(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                (&raw mut value).cast(),
                std::mem::size_of::<isize>(),
            );
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    #[cfg(all(not(target_env = "msvc"), feature = "heap-stages"))]
    heap_stages::watch();
    #[cfg(not(target_env = "msvc"))]
    if matches!(cli.command, docshift::cli::Command::Build(_)) {
        return_freed_memory_sooner();
    }
    match run(cli.command) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Failure) => ExitCode::from(1),
        Err(err) => {
            eprintln!("error: {err}");
            let mut source = std::error::Error::source(&err);
            while let Some(cause) = source {
                eprintln!("  caused by: {cause}");
                source = cause.source();
            }
            if let Some(help) = err.help() {
                eprintln!("  help: {help}");
            }
            ExitCode::from(if err.is_usage() { 2 } else { 1 })
        }
    }
}
