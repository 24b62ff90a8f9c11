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

use crate::budget::Budget;
use crate::metrics::Metrics;
use crate::pipeline::{BatchBuilder, Queue};
use crate::scrub::ScrubHandle;
use crate::streams::SharedStreams;
use std::time::Duration;

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
    /// Client bounds of this source's listener.
    pub limits: Limits,
}

/// Bounds on what one client can hold.
#[derive(Clone, Debug)]
pub struct Limits {
    /// The global in-flight memory budget.
    pub budget: Budget,
    /// Connections served at once by this listener.
    pub max_connections: usize,
    /// A connection idle this long is closed.
    pub idle_timeout: Duration,
    /// Longest time for one HTTP request body.
    pub request_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            budget: Budget::default(),
            max_connections: 1024,
            idle_timeout: Duration::from_secs(300),
            request_timeout: Duration::from_secs(60),
        }
    }
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

/// Takes a connection slot for `sock`, or closes it (counted) when every slot is taken.
pub fn admit<S>(
    cap: &Arc<tokio::sync::Semaphore>,
    ctx: &Ctx,
    sock: S,
) -> Option<(S, tokio::sync::OwnedSemaphorePermit)> {
    match cap.clone().try_acquire_owned() {
        Ok(p) => Some((sock, p)),
        Err(_) => {
            ctx.metrics.refused_connection(&ctx.name);
            drop(sock);
            None
        }
    }
}

/// Reads into `buf` unless the peer stays idle for `idle` (then `Ok(0)`, as at EOF).
pub async fn read_idle<R: tokio::io::AsyncRead + Unpin, B: bytes::BufMut>(
    r: &mut R,
    buf: &mut B,
    idle: Duration,
) -> std::io::Result<usize> {
    use tokio::io::AsyncReadExt;
    match tokio::time::timeout(idle, r.read_buf(buf)).await {
        Ok(n) => n,
        Err(_) => Ok(0),
    }
}

/// Accepts TCP connections (at most `max_connections` at once), performs the TLS handshake when configured (10 s
/// limit), and runs `handle` on each connection in its own task until shutdown begins.
pub async fn serve_tcp<F, Fut>(
    listener: tokio::net::TcpListener,
    tls: Option<tokio_rustls::TlsAcceptor>,
    ctx: Ctx,
    handle: F,
) where
    F: Fn(Conn, Ctx) -> Fut + Copy + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let mut sd = ctx.shutdown.clone();
    let cap = Arc::new(tokio::sync::Semaphore::new(ctx.limits.max_connections));
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
        let Some(permit) = admit(&cap, &ctx, sock) else {
            continue;
        };
        let sock = permit.0;
        let permit = permit.1;
        let ctx = ctx.clone();
        let tls = tls.clone();
        tokio::spawn(async move {
            let _permit = permit;
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

impl crate::config::SourceConfig {
    /// `check-config`'s environment checks of this source (`field`: `source[i]`), see [`crate::environment`]:
    /// its listen address is free, its TLS and token files readable (secrets owner-only), the directory of a
    /// Unix socket writable, a tailed file readable, Kafka brokers reachable.
    pub fn check_environment(
        &self,
        field: &str,
        cfg: &crate::config::Config,
        c: &mut crate::environment::Checks,
    ) {
        use crate::config::{SourceConfig as S, SyslogProtocol};
        let listen = format!("{field}.listen");
        let tls = format!("{field}.tls");
        match self {
            S::Stdin(_) => {}
            S::Tcp(t) => {
                c.tcp_listen(&listen, t.listen);
                c.tls(&tls, t.tls.as_ref());
            }
            S::Syslog(sy) => {
                match sy.protocol {
                    SyslogProtocol::Tcp => c.tcp_listen(&listen, sy.listen),
                    SyslogProtocol::Udp => c.udp_listen(&listen, sy.listen),
                }
                c.tls(&tls, sy.tls.as_ref());
            }
            S::Http(h) => {
                c.tcp_listen(&listen, h.listen);
                c.tls(&tls, h.tls.as_ref());
                if let Some(t) = &h.token_file {
                    c.secret_file(&format!("{field}.token_file"), t);
                }
            }
            S::Unix(u) => c.writable_parent(&format!("{field}.path"), &u.path),
            S::Tail(t) => {
                // A file that does not exist yet is waited for; one that exists must be readable.
                if t.path.exists() {
                    c.readable_file(&format!("{field}.path"), &t.path);
                }
                c.writable_dir(
                    &format!("{field} (checkpoints)"),
                    &cfg.daemon.data_dir.join("checkpoints"),
                );
            }
            S::Kafka(k) => k.check_environment(field, c),
        }
    }
}

/// What the started sources left running: tasks that end with their input (stdin), listener tasks, threads
/// (tail, Kafka) and the addresses bound.
#[derive(Default)]
pub struct Running {
    /// Tasks that end at the end of their input.
    pub finite: tokio::task::JoinSet<()>,
    /// Listener tasks, until shutdown.
    pub infinite: tokio::task::JoinSet<()>,
    /// Source threads (tail, Kafka).
    pub threads: Vec<std::thread::JoinHandle<()>>,
    /// Source name and local address of each listener bound.
    pub bound: Vec<(String, std::net::SocketAddr)>,
}

/// A source task that ends while the daemon is not stopping has stopped for good: `/readyz` says so.
struct Watched {
    name: Arc<str>,
    metrics: Arc<Metrics>,
    shutdown: watch::Receiver<bool>,
}

impl Watched {
    fn of(ctx: &Ctx) -> Self {
        Watched {
            name: ctx.name.clone(),
            metrics: ctx.metrics.clone(),
            shutdown: ctx.shutdown.clone(),
        }
    }

    fn stopped(&self) {
        if !*self.shutdown.borrow() {
            tracing::error!(source = %self.name, "source stopped");
            self.metrics.source_stopped(&self.name);
        }
    }

    async fn run(self, fut: impl std::future::Future<Output = ()>) {
        fut.await;
        self.stopped();
    }
}

impl crate::config::SourceConfig {
    /// Binds and starts this source, the `index`-th of the configuration, with its context; what it leaves
    /// running goes into `run`. Must be called inside the daemon's tokio runtime.
    pub async fn start(
        &self,
        index: usize,
        ctx: Ctx,
        run: &mut Running,
    ) -> Result<(), crate::app::DaemonError> {
        use crate::app::{setup, tls_for};
        use crate::config::{SourceConfig as S, SyslogProtocol};
        use tokio::net::UdpSocket;
        let name = ctx.name.to_string();
        let what = format!("source[{index}] ({name})");
        let w = Watched::of(&ctx);
        match self {
            S::Stdin(_) => {
                run.finite.spawn(stream::run_stdin(ctx));
            }
            S::Tcp(t) => {
                let l = bind_tcp(t.listen, &what, &name, run).await?;
                let tls = tls_for(&what, t.tls.as_ref(), false)?;
                run.infinite.spawn(w.run(stream::run_tcp(l, tls, ctx)));
            }
            S::Unix(u) => {
                let l = stream::bind_unix(&u.path)
                    .map_err(setup(format!("{what}: bind {}", u.path.display())))?;
                run.infinite.spawn(w.run(stream::run_unix(l, ctx)));
            }
            S::Syslog(sy) => match sy.protocol {
                SyslogProtocol::Tcp => {
                    let l = bind_tcp(sy.listen, &what, &name, run).await?;
                    let tls = tls_for(&what, sy.tls.as_ref(), false)?;
                    run.infinite.spawn(w.run(syslog::run_tcp(l, tls, ctx)));
                }
                SyslogProtocol::Udp => {
                    let u = UdpSocket::bind(sy.listen)
                        .await
                        .map_err(setup(format!("{what}: bind {}", sy.listen)))?;
                    run.bound
                        .push((name, u.local_addr().map_err(setup(&what))?));
                    run.infinite.spawn(w.run(syslog::run_udp(u, ctx)));
                }
            },
            S::Http(h) => {
                let l = bind_tcp(h.listen, &what, &name, run).await?;
                let tls = tls_for(&what, h.tls.as_ref(), true)?;
                let token = match &h.token_file {
                    Some(p) => Some(Arc::from(
                        crate::config::read_token(p)
                            .map_err(|m| crate::config::ConfigError::Invalid {
                                field: format!("source[{index}].token_file"),
                                message: m,
                            })?
                            .as_str(),
                    )),
                    None => None,
                };
                let (limits, shutdown) = (ctx.limits.clone(), ctx.shutdown.clone());
                let role = http::Role::Ingest {
                    ctx,
                    token,
                    max_body: h.max_body_bytes,
                };
                run.infinite
                    .spawn(w.run(http::serve(l, tls, role, limits, shutdown)));
            }
            S::Kafka(k) => {
                run.threads.push(crate::kafka::start_source(k, ctx, &what)?);
            }
            S::Tail(t) => {
                let t = t.clone();
                let rt = tokio::runtime::Handle::current();
                let h = std::thread::Builder::new()
                    .name(format!("tail-{name}"))
                    .spawn(move || {
                        tail::run(t, ctx, rt);
                        w.stopped();
                    })
                    .map_err(setup(&what))?;
                run.threads.push(h);
            }
        }
        Ok(())
    }
}

/// Binds a source's TCP listener and records its address under the source's name (tests and `/readyz` read it).
async fn bind_tcp(
    addr: std::net::SocketAddr,
    what: &str,
    name: &str,
    run: &mut Running,
) -> Result<tokio::net::TcpListener, crate::app::DaemonError> {
    use crate::app::setup;
    let l = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(setup(format!("{what}: bind {addr}")))?;
    run.bound
        .push((name.to_string(), l.local_addr().map_err(setup(what))?));
    Ok(l)
}
