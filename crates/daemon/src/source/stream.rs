//! Newline-delimited text sources: stdin, TCP (optionally TLS) and Unix stream sockets. One engine line stream
//! per connection, so CRLF, over-long lines and multi-line private keys are handled as the engine defines.
//!
//! Never logs received bytes; connection errors name the peer only.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;

use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::net::{TcpListener, UnixListener};
use tokio_rustls::TlsAcceptor;

use super::{read_idle, stopped, Ctx, DRAIN_IDLE};
use crate::config::{check_tls, ConfigError, TlsConfig};

/// Reads newline-delimited records from `r` until EOF or shutdown; sends one batch per read.
pub async fn pump<R: AsyncRead + Unpin>(mut r: R, ctx: Ctx) {
    let mut b = ctx.builder();
    let mut buf = bytes::BytesMut::with_capacity(64 * 1024);
    let mut sd = ctx.shutdown.clone();
    let mut draining = false;
    loop {
        let n = if draining {
            // Shutting down: take what the peer already sent, until it pauses or closes.
            buf.clear();
            match tokio::time::timeout(DRAIN_IDLE, r.read_buf(&mut buf)).await {
                Ok(n) => n,
                Err(_) => break,
            }
        } else {
            buf.clear();
            tokio::select! {
                n = read_idle(&mut r, &mut buf, ctx.limits.idle_timeout) => n,
                _ = stopped(&mut sd) => { draining = true; continue; }
            }
        };
        let n = match n {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) => {
                tracing::debug!(source = %ctx.name, error = %e, "read ended");
                break;
            }
        };
        let lines = b.push_stream(&buf[..n]);
        ctx.metrics.received(&ctx.name, lines, n as u64);
        if b.records() > 0 && ctx.queue.send(b.take(None)).await.is_err() {
            return;
        }
    }
    let lines = b.finish_stream();
    ctx.metrics.received(&ctx.name, lines, 0);
    if !b.is_empty() {
        let _ = ctx.queue.send(b.take(None)).await;
    }
}

/// `type = "stdin"`: ends at EOF.
pub async fn run_stdin(ctx: Ctx) {
    pump(tokio::io::stdin(), ctx).await;
}

/// `type = "tcp"`: one task per connection.
pub async fn run_tcp(listener: TcpListener, tls: Option<TlsAcceptor>, ctx: Ctx) {
    super::serve_tcp(listener, tls, ctx, pump::<super::Conn>).await;
}

/// `type = "unix"`: one task per connection.
pub async fn run_unix(listener: UnixListener, ctx: Ctx) {
    let mut sd = ctx.shutdown.clone();
    let cap = Arc::new(tokio::sync::Semaphore::new(ctx.limits.max_connections));
    loop {
        let sock = tokio::select! {
            r = listener.accept() => match r {
                Ok((s, _)) => s,
                Err(e) => {
                    tracing::warn!(source = %ctx.name, error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = stopped(&mut sd) => return,
        };
        let Some((sock, permit)) = super::admit(&cap, &ctx, sock) else {
            continue;
        };
        let ctx = ctx.clone();
        tokio::spawn(async move {
            let _permit = permit;
            pump(sock, ctx).await
        });
    }
}

/// Binds a Unix socket, replacing a stale socket file.
pub fn bind_unix(path: &std::path::Path) -> std::io::Result<UnixListener> {
    if let Ok(m) = std::fs::symlink_metadata(path) {
        use std::os::unix::fs::FileTypeExt;
        if m.file_type().is_socket() {
            std::fs::remove_file(path)?;
        }
    }
    UnixListener::bind(path)
}

/// The TLS acceptor of a listener, if configured.
pub fn acceptor(cfg: Option<Arc<rustls::ServerConfig>>) -> Option<TlsAcceptor> {
    cfg.map(TlsAcceptor::from)
}

// This source's configuration (`[[source]]`), re-exported by `crate::config`, and its validation.

/// `type = "stdin"`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct StdinSource {
    /// Name used in metrics and the findings log.
    #[serde(default)]
    pub name: Option<String>,
}

/// `type = "tcp"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TcpSource {
    /// Name used in metrics and the findings log.
    #[serde(default)]
    pub name: Option<String>,
    /// Listen address.
    pub listen: SocketAddr,
    /// TLS (recommended on anything but loopback).
    #[serde(default)]
    pub tls: Option<TlsConfig>,
}

/// `type = "unix"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnixSource {
    /// Name used in metrics and the findings log.
    #[serde(default)]
    pub name: Option<String>,
    /// Socket path (an old socket file there is replaced).
    pub path: PathBuf,
}

impl TcpSource {
    /// Checks what the schema cannot (`f`: `source[i]`): the TLS section.
    pub fn validate(&self, f: &str) -> Result<(), ConfigError> {
        check_tls(&format!("{f}.tls"), self.tls.as_ref())
    }
}
