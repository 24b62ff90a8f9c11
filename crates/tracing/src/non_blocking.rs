//! [`NonBlocking`]: moves the writing (not the scrubbing) to a worker thread, without losing events by default.
//!
//! The popular non-blocking writers drop events when their queue is full unless told otherwise. For logs that
//! may be evidence (an audit trail, an incident), a silent drop is a worse failure than a slow logger, so this
//! one blocks the logging thread when its bounded queue is full. Dropping is an explicit choice
//! ([`NonBlockingBuilder::lossy`]), and every dropped event is counted ([`NonBlocking::dropped`]).
//!
//! Scrubbing stays in the logging thread (in the formatter): only scrubbed bytes ever enter the queue.

use std::io;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::sync::Arc;
use std::thread::JoinHandle;

use tracing_subscriber::fmt::writer::MakeWriter;

use crate::Error;

enum Msg {
    Line(Vec<u8>),
    Shutdown,
}

/// Configures a [`NonBlocking`] writer.
#[derive(Debug, Clone)]
pub struct NonBlockingBuilder {
    capacity: usize,
    lossy: bool,
    thread_name: String,
}

impl Default for NonBlockingBuilder {
    fn default() -> Self {
        NonBlockingBuilder {
            capacity: 8192,
            lossy: false,
            thread_name: "logscrub-writer".to_string(),
        }
    }
}

impl NonBlockingBuilder {
    /// How many events the queue holds before writers block (or drop, if lossy). At least 1; default 8192.
    pub fn capacity(mut self, events: usize) -> Self {
        self.capacity = events.max(1);
        self
    }

    /// `true`: drop an event when the queue is full instead of waiting, and count it. Default `false`.
    pub fn lossy(mut self, lossy: bool) -> Self {
        self.lossy = lossy;
        self
    }

    /// The worker thread's name.
    pub fn thread_name(mut self, name: impl Into<String>) -> Self {
        self.thread_name = name.into();
        self
    }

    /// Starts the worker thread writing to `writer`. Keep the guard alive as long as you log: dropping it
    /// writes out what is queued, flushes, and stops the worker.
    pub fn finish<W>(self, writer: W) -> Result<(NonBlocking, WorkerGuard), Error>
    where
        W: io::Write + Send + 'static,
    {
        let (tx, rx) = mpsc::sync_channel(self.capacity);
        let dropped = Arc::new(AtomicU64::new(0));
        let handle = std::thread::Builder::new()
            .name(self.thread_name)
            .spawn(move || worker(rx, writer))
            .map_err(Error::Thread)?;
        Ok((
            NonBlocking {
                tx: tx.clone(),
                dropped: dropped.clone(),
                lossy: self.lossy,
            },
            WorkerGuard {
                tx,
                handle: Some(handle),
            },
        ))
    }
}

fn worker<W: io::Write>(rx: Receiver<Msg>, mut writer: W) {
    while let Ok(msg) = rx.recv() {
        match msg {
            // A failed write cannot be reported to anyone from here; the bytes are scrubbed, so printing them
            // to stderr would be safe, but stderr may be the very thing that failed.
            Msg::Line(bytes) => {
                let _ = writer.write_all(&bytes);
            }
            Msg::Shutdown => break,
        }
    }
    let _ = writer.flush();
}

/// A `MakeWriter` that hands events to a worker thread through a bounded queue. Cheap to clone.
///
/// Each `write` call is one queue entry; tracing-subscriber's `fmt` layer writes each event with a single call.
#[derive(Debug, Clone)]
pub struct NonBlocking {
    tx: SyncSender<Msg>,
    dropped: Arc<AtomicU64>,
    lossy: bool,
}

impl NonBlocking {
    /// Blocking when full, capacity 8192: `NonBlockingBuilder::default().finish(writer)`.
    pub fn new<W>(writer: W) -> Result<(NonBlocking, WorkerGuard), Error>
    where
        W: io::Write + Send + 'static,
    {
        NonBlockingBuilder::default().finish(writer)
    }

    /// Events lost so far: dropped because the queue was full (lossy mode only), or written after the worker
    /// stopped.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }
}

impl io::Write for NonBlocking {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let msg = Msg::Line(buf.to_vec());
        let sent = if self.lossy {
            match self.tx.try_send(msg) {
                Ok(()) => Ok(()),
                Err(TrySendError::Full(_)) => {
                    self.dropped.fetch_add(1, Ordering::Relaxed);
                    return Ok(buf.len());
                }
                Err(TrySendError::Disconnected(_)) => Err(()),
            }
        } else {
            self.tx.send(msg).map_err(|_| ())
        };
        match sent {
            Ok(()) => Ok(buf.len()),
            Err(()) => {
                self.dropped.fetch_add(1, Ordering::Relaxed);
                Err(io::Error::new(
                    io::ErrorKind::BrokenPipe,
                    "the log writer thread has stopped",
                ))
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for NonBlocking {
    type Writer = NonBlocking;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Stops the worker when dropped, after it has written everything queued before.
#[derive(Debug)]
pub struct WorkerGuard {
    tx: SyncSender<Msg>,
    handle: Option<JoinHandle<()>>,
}

impl Drop for WorkerGuard {
    fn drop(&mut self) {
        // Queued behind every event sent so far, so those are written first.
        let _ = self.tx.send(Msg::Shutdown);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}
