//! [`ScrubWriter`]: a `MakeWriter` backstop that scrubs the finished bytes of any formatter.

use std::io;
use std::sync::{Arc, Mutex};

use logscrub_engine::{LineStream, Scrubber};
use tracing_core::Metadata;
use tracing_subscriber::fmt::writer::MakeWriter;

/// How many idle line streams a writer keeps for reuse (one per concurrently writing thread is enough).
const MAX_IDLE: usize = 64;

/// Wraps any [`MakeWriter`] so that every line written through it is scrubbed by the engine's line stream, the
/// same code path as the CLI.
///
/// This is the backstop: it sees only finished text, so it cannot use the field names a formatter had (it reads
/// `key=value` and JSON keys back out of the text instead, like the CLI does), and colour codes around field names
/// can hide a key from it. Its strength is that it works with *any* formatter, including third-party ones you
/// cannot wrap in [`crate::ScrubEvents`], and with anything else that writes through the same writer.
///
/// Each writer handed out keeps a line that has no terminator yet until more bytes arrive or the writer is
/// dropped, so a value is never split across two scans. Multi-line private keys inside one event are handled by
/// the engine's [`LineStream`]. Line streams are pooled and reused across events, like one long stream: a key
/// block left open at the end of an event also swallows following lines that are pure key material, exactly as
/// the CLI would on the same file, and ends at the first ordinary log line.
pub struct ScrubWriter<M> {
    inner: M,
    scrubber: Scrubber,
    idle: Arc<Mutex<Vec<Slot>>>,
}

impl<M> std::fmt::Debug for ScrubWriter<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScrubWriter")
            .field("scrubber", &self.scrubber)
            .finish_non_exhaustive()
    }
}

impl<M: Clone> Clone for ScrubWriter<M> {
    fn clone(&self) -> Self {
        ScrubWriter {
            inner: self.inner.clone(),
            scrubber: self.scrubber.clone(),
            idle: Arc::new(Mutex::new(Vec::new())),
        }
    }
}

/// A line stream and its output buffer, reused across events.
struct Slot {
    stream: LineStream,
    out: Vec<u8>,
}

impl<M> ScrubWriter<M> {
    /// Scrubs everything written through `inner` with `scrubber`.
    pub fn new(scrubber: Scrubber, inner: M) -> Self {
        ScrubWriter {
            inner,
            scrubber,
            idle: Arc::new(Mutex::new(Vec::new())),
        }
    }

    /// The wrapped `MakeWriter`.
    pub fn inner(&self) -> &M {
        &self.inner
    }

    fn slot(&self) -> Slot {
        let reused = self.idle.lock().ok().and_then(|mut v| v.pop());
        reused.unwrap_or_else(|| Slot {
            stream: self.scrubber.stream(),
            out: Vec::new(),
        })
    }

    fn wrap<W: io::Write>(&self, inner: W) -> ScrubbingWriter<'_, W> {
        ScrubbingWriter {
            inner,
            slot: Some(self.slot()),
            idle: &self.idle,
        }
    }
}

impl<'a, M> MakeWriter<'a> for ScrubWriter<M>
where
    M: MakeWriter<'a>,
{
    type Writer = ScrubbingWriter<'a, M::Writer>;

    fn make_writer(&'a self) -> Self::Writer {
        self.wrap(self.inner.make_writer())
    }

    fn make_writer_for(&'a self, meta: &Metadata<'_>) -> Self::Writer {
        self.wrap(self.inner.make_writer_for(meta))
    }
}

/// The writer [`ScrubWriter`] hands out: complete lines are scrubbed and passed on as they arrive; a trailing
/// partial line is passed on when the writer is dropped.
pub struct ScrubbingWriter<'a, W: io::Write> {
    inner: W,
    slot: Option<Slot>,
    idle: &'a Mutex<Vec<Slot>>,
}

impl<W: io::Write> std::fmt::Debug for ScrubbingWriter<'_, W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScrubbingWriter").finish_non_exhaustive()
    }
}

impl<W: io::Write> io::Write for ScrubbingWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let Some(slot) = self.slot.as_mut() else {
            return Err(io::Error::other("scrubbing writer already finished"));
        };
        slot.out.clear();
        slot.stream.push(buf, &mut slot.out);
        if !slot.out.is_empty() {
            let r = self.inner.write_all(&slot.out);
            slot.out.clear();
            r?;
        }
        Ok(buf.len())
    }

    /// Flushes the wrapped writer. A partial line stays held back (flushing it would split a value in two).
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

impl<W: io::Write> Drop for ScrubbingWriter<'_, W> {
    fn drop(&mut self) {
        if let Some(mut slot) = self.slot.take() {
            slot.out.clear();
            slot.stream.finish(&mut slot.out);
            if !slot.out.is_empty() {
                // Drop cannot report an error; the formatter already reported its own write errors.
                let _ = self.inner.write_all(&slot.out);
            }
            slot.out.clear();
            if slot.out.capacity() > 64 * 1024 {
                slot.out = Vec::new();
            }
            if let Ok(mut idle) = self.idle.lock() {
                if idle.len() < MAX_IDLE {
                    idle.push(slot);
                }
            }
        }
    }
}
