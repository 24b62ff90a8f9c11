//! Progress on stderr while inputs are read: an `indicatif` bar with percent, total, rate and ETA when the input
//! sizes are known, a spinner with bytes and rate otherwise; plain lines every 2 s when asked for on a stderr that
//! is not a terminal. It counts bytes only and never prints anything read.

use std::io::{self, IsTerminal, Read};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// When to show progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// When stderr is a terminal and every input is a file.
    Auto,
    /// `--progress`: always (plain lines when stderr is not a terminal).
    Always,
    /// `--no-progress`.
    Never,
}

impl When {
    /// From the `--progress` / `--no-progress` flags.
    pub fn from_flags(progress: bool, no_progress: bool) -> When {
        match (progress, no_progress) {
            (_, true) => When::Never,
            (true, false) => When::Always,
            (false, false) => When::Auto,
        }
    }
}

/// A progress display shared by the reading threads (cheap to clone).
#[derive(Clone, Default)]
pub struct Progress {
    inner: Option<Arc<Inner>>,
}

struct Inner {
    bar: Option<ProgressBar>,
    plain: Option<Plain>,
}

struct Plain {
    bytes: AtomicU64,
    total: Option<u64>,
    start: Instant,
    last: Mutex<Instant>,
}

impl Progress {
    /// A display for inputs of `total` bytes (None: unknown), or none at all.
    pub fn new(when: When, total: Option<u64>, all_files: bool) -> Progress {
        let terminal = io::stderr().is_terminal();
        let show = match when {
            When::Never => false,
            When::Always => true,
            When::Auto => terminal && all_files,
        };
        if !show {
            return Progress::default();
        }
        if !terminal {
            let now = Instant::now();
            return Progress {
                inner: Some(Arc::new(Inner {
                    bar: None,
                    plain: Some(Plain {
                        bytes: AtomicU64::new(0),
                        total,
                        start: now,
                        last: Mutex::new(now),
                    }),
                })),
            };
        }
        let bar = match total {
            Some(t) => ProgressBar::with_draw_target(Some(t), ProgressDrawTarget::stderr()).with_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {wide_bar} {binary_bytes}/{binary_total_bytes} ({percent}%) \
                     {binary_bytes_per_sec}, ETA {eta}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            ),
            None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()).with_style(
                ProgressStyle::with_template("{spinner} [{elapsed_precise}] {binary_bytes} read, {binary_bytes_per_sec}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            ),
        };
        bar.enable_steady_tick(Duration::from_millis(200));
        Progress {
            inner: Some(Arc::new(Inner {
                bar: Some(bar),
                plain: None,
            })),
        }
    }

    /// Counts `n` bytes read.
    pub fn inc(&self, n: u64) {
        let Some(inner) = &self.inner else { return };
        if let Some(bar) = &inner.bar {
            bar.inc(n);
        }
        if let Some(p) = &inner.plain {
            let bytes = p.bytes.fetch_add(n, Ordering::Relaxed) + n;
            let Ok(mut last) = p.last.lock() else { return };
            if last.elapsed() >= Duration::from_secs(2) {
                *last = Instant::now();
                let secs = p.start.elapsed().as_secs_f64().max(1e-9);
                let rate = bytes as f64 / secs;
                match p.total {
                    Some(t) if t > 0 => eprintln!(
                        "logscrub: {:.1} of {:.1} MB ({:.0}%), {:.1} MB/s, ETA {:.0} s",
                        bytes as f64 / 1e6,
                        t as f64 / 1e6,
                        (bytes as f64 / t as f64 * 100.0).min(100.0),
                        rate / 1e6,
                        t.saturating_sub(bytes) as f64 / rate.max(1.0)
                    ),
                    _ => eprintln!(
                        "logscrub: {:.1} MB read, {:.1} MB/s",
                        bytes as f64 / 1e6,
                        rate / 1e6
                    ),
                }
            }
        }
    }

    /// Wraps a reader so that the bytes read from it are counted.
    pub fn counting<R: Read>(&self, r: R) -> Counting<R> {
        Counting {
            inner: r,
            progress: self.clone(),
        }
    }

    /// Removes the bar (before the final report is printed).
    pub fn finish(&self) {
        if let Some(bar) = self.inner.as_ref().and_then(|i| i.bar.as_ref()) {
            bar.finish_and_clear();
        }
    }
}

/// A reader that counts what it reads into a [`Progress`].
pub struct Counting<R> {
    inner: R,
    progress: Progress,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.inc(n as u64);
        Ok(n)
    }
}
