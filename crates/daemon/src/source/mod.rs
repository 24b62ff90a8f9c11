//! Sources: they receive raw records, frame them, have the engine scrub them into a [`Batch`] and put it on the
//! bounded queue. Pull sources (stdin, TCP, Unix, syslog over TCP, tail) wait when the queue is full, which stops
//! reading and pushes back on the sender; HTTP answers 503 with `Retry-After`; UDP drops and counts.
//!
//! A source never writes raw bytes anywhere: not to disk, not to the daemon's own logs (errors name the peer and
//! the I/O error only), not into metrics.
//!
//! [`Batch`]: crate::pipeline::Batch

pub mod http;
pub mod rfc6587;
pub mod stream;
pub mod syslog;
pub mod tail;

use std::path::PathBuf;
use std::sync::Arc;

use tokio::sync::watch;

use crate::metrics::Metrics;
use crate::pipeline::{BatchBuilder, Queue};
use crate::scrub::ScrubHandle;
use crate::streams::SharedStreams;

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
    /// The per-producer engine streams of this source (HTTP containers, OTLP resources, UDP senders).
    pub streams: SharedStreams,
}

impl Ctx {
    /// A batch builder with the scrubber in force now.
    pub fn builder(&self) -> BatchBuilder {
        let (scrubber, generation) = self.scrub.current();
        BatchBuilder::new(self.name.clone(), scrubber, self.metrics.clone()).generation(generation)
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

/// A connection's byte stream, plain or TLS, so that one accept loop serves every TCP source.
pub type Conn = Box<dyn tokio::io::AsyncRead + Unpin + Send>;

/// Accepts TCP connections, performs the TLS handshake when configured (10 s limit), and runs `handle` on each
/// connection in its own task until shutdown begins.
pub async fn serve_tcp<F, Fut>(
    listener: tokio::net::TcpListener,
    tls: Option<tokio_rustls::TlsAcceptor>,
    ctx: Ctx,
    handle: F,
) where
    F: Fn(Conn, Ctx) -> Fut + Copy + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    use std::time::Duration;
    let mut sd = ctx.shutdown.clone();
    loop {
        let (sock, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(x) => x,
                Err(e) => {
                    tracing::warn!(source = %ctx.name, error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = stopped(&mut sd) => return,
        };
        let ctx = ctx.clone();
        let tls = tls.clone();
        tokio::spawn(async move {
            match tls {
                Some(acc) => match tokio::time::timeout(Duration::from_secs(10), acc.accept(sock))
                    .await
                {
                    Ok(Ok(s)) => handle(Box::new(s), ctx).await,
                    Ok(Err(e)) => {
                        tracing::info!(source = %ctx.name, %peer, error = %e, "TLS handshake refused")
                    }
                    Err(_) => tracing::info!(source = %ctx.name, %peer, "TLS handshake timed out"),
                },
                None => handle(Box::new(sock), ctx).await,
            }
        });
    }
}
