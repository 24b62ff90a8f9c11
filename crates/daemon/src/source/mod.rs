//! Sources: they receive raw records, frame them, have the engine scrub them into a [`Batch`] and put it on the
//! bounded queue. Pull sources (stdin, TCP, Unix, syslog over TCP, tail) wait when the queue is full, which stops
//! reading and pushes back on the sender; HTTP answers 503 with `Retry-After`; UDP drops and counts.
//!
//! A source never writes raw bytes anywhere: not to disk, not to the daemon's own logs (errors name the peer and
//! the I/O error only), not into metrics.
//!
//! [`Batch`]: crate::pipeline::Batch

pub mod http;
pub mod stream;
pub mod syslog;
pub mod tail;

use std::path::PathBuf;
use std::sync::Arc;

use tokio::sync::watch;

use crate::metrics::Metrics;
use crate::pipeline::{BatchBuilder, Queue};
use crate::scrub::ScrubHandle;

/// What every source task needs.
#[derive(Clone)]
pub struct Ctx {
    /// The source's name (metrics, findings log, checkpoints).
    pub name: Arc<str>,
    /// The queue to the writer.
    pub queue: Queue,
    /// The scrubber in force.
    pub scrub: ScrubHandle,
    /// Counters.
    pub metrics: Arc<Metrics>,
    /// Becomes `true` on SIGTERM.
    pub shutdown: watch::Receiver<bool>,
    /// Most records per batch for pull sources.
    pub max_batch_records: usize,
    /// `Retry-After` seconds for 503.
    pub retry_after_secs: u64,
    /// The data directory (checkpoints).
    pub data_dir: PathBuf,
}

impl Ctx {
    /// A batch builder with the scrubber in force now.
    pub fn builder(&self) -> BatchBuilder {
        BatchBuilder::new(self.name.clone(), self.scrub.get(), self.metrics.clone())
    }

    /// Has shutdown begun?
    pub fn stopping(&self) -> bool {
        *self.shutdown.borrow()
    }
}

/// At shutdown, a connection is still read until the peer has been idle this long (or closes), so that what it
/// already sent is persisted.
pub const DRAIN_IDLE: std::time::Duration = std::time::Duration::from_millis(500);

/// Waits until shutdown begins.
pub async fn stopped(rx: &mut watch::Receiver<bool>) {
    while !*rx.borrow() {
        if rx.changed().await.is_err() {
            // The sender is gone: the daemon is ending.
            return;
        }
    }
}
