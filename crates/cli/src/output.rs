//! Where results go and what a failing output means: a closed pipe (`logscrub ... | head`) ends any subcommand
//! quietly with 0; a closed stdout (`logscrub >&-`) or a failing one (`> /dev/full`) is exit 3 with a message.
//! It never decides what is written, only whether the writing worked.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Result;

/// The reader of our output went away (EPIPE). Not an error for the user: the run ends quietly with 0.
#[derive(Debug)]
pub struct PipeClosed;

impl std::fmt::Display for PipeClosed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("output closed")
    }
}
impl std::error::Error for PipeClosed {}

/// Is this error, anywhere in its chain, a closed pipe?
pub fn is_pipe_closed(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<PipeClosed>().is_some()
            || c.downcast_ref::<io::Error>()
                .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(io::ErrorKind::BrokenPipe))
    })
}

static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);

/// Records that fd 1 was closed when the process started (Rust's runtime has since reopened it on /dev/null).
pub fn mark_stdout_closed() {
    STDOUT_CLOSED.store(true, Ordering::Relaxed);
}

/// Fails when standard output is closed (`logscrub >&-`): it was at start-up, or file descriptor 1 is not open.
/// Otherwise the run would lose all its output and exit 0.
pub fn check_stdout_open() -> Result<()> {
    // SAFETY: fcntl(F_GETFD) only queries the descriptor's flags; it touches no memory.
    let r = unsafe { libc::fcntl(1, libc::F_GETFD) };
    if r == -1 || STDOUT_CLOSED.load(Ordering::Relaxed) {
        anyhow::bail!(
            "standard output is closed; redirect it to a file (or /dev/null), or use --report-path where offered"
        );
    }
    Ok(())
}

/// Maps a write error on `name` to a closed pipe or an error that names the output.
pub fn write_error(e: io::Error, name: &str) -> anyhow::Error {
    if e.kind() == io::ErrorKind::BrokenPipe {
        PipeClosed.into()
    } else {
        anyhow::Error::new(e).context(format!("cannot write to {name}"))
    }
}

/// A report destination: stdout or `--report-path FILE`.
pub struct Report {
    /// Buffered writer.
    pub w: io::BufWriter<Box<dyn Write + Send>>,
    /// Its name for messages.
    pub name: String,
}

impl Report {
    /// stdout, or the file at `path` (created or truncated).
    pub fn open(path: Option<&Path>) -> Result<Report> {
        Ok(match path {
            None => {
                check_stdout_open()?;
                Report {
                    w: io::BufWriter::with_capacity(64 * 1024, Box::new(io::stdout())),
                    name: "stdout".to_string(),
                }
            }
            Some(p) => {
                let f = File::create(p).map_err(|e| {
                    anyhow::anyhow!("cannot create report file {}: {e}", p.display())
                })?;
                Report {
                    w: io::BufWriter::with_capacity(64 * 1024, Box::new(f)),
                    name: p.display().to_string(),
                }
            }
        })
    }

    /// Flushes, mapping errors.
    pub fn flush(&mut self) -> Result<()> {
        self.w.flush().map_err(|e| write_error(e, &self.name))
    }
}
