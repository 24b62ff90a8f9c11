//! The `logscrub` binary: everything lives in the library (`src/lib.rs`) so that the man-page and completion
//! generator (`examples/gen-dist.rs`) and the tests see the same command definition.
//!
//! The one thing done here: note whether stdout was closed when the process started. Rust's runtime reopens a
//! closed fd 1 as /dev/null before `main`, which would turn `logscrub >&-` into a run that silently loses all
//! its output; a constructor in `.init_array` runs before that and records the truth.

use std::sync::atomic::{AtomicBool, Ordering};

static STDOUT_CLOSED_AT_START: AtomicBool = AtomicBool::new(false);

#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array"]
static RECORD_STDOUT: extern "C" fn() = record_stdout;

#[cfg(target_os = "linux")]
extern "C" fn record_stdout() {
    // SAFETY: fcntl(F_GETFD) only queries the descriptor's flags; it touches no memory.
    if unsafe { libc::fcntl(1, libc::F_GETFD) } == -1 {
        STDOUT_CLOSED_AT_START.store(true, Ordering::Relaxed);
    }
}

fn main() -> std::process::ExitCode {
    logscrub_cli::main(STDOUT_CLOSED_AT_START.load(Ordering::Relaxed))
}
