//! Wiring: loads and validates the configuration, opens sinks, starts the sink tasks, the sources and the
//! operations listener, and handles signals (SIGTERM/SIGINT drain and exit, SIGHUP reloads rules and policy).
//!
//! This module never sees log bytes. A fatal writer error stops every source and is returned, so `main` exits
//! non-zero with the sink, the path and the I/O error named.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::watch;

use crate::config::{Config, ConfigError};
use crate::findings::{record_reload, FindingsLog};
use crate::metrics::Metrics;
use crate::pipeline::WriterError;
use crate::scrub::{build_scrubber, ScrubHandle};
use crate::source::{self, http, stream, Ctx};
use crate::writer::SinkTask;

/// Why the daemon stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum DaemonError {
    /// The configuration is invalid.
    #[error("invalid configuration: {0}")]
    Config(#[from] ConfigError),
    /// A listener or directory could not be set up.
    #[error("{what}: {source}")]
    Setup {
        /// What was being set up.
        what: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The writer failed (disk full, I/O error): nothing more is accepted.
    #[error("storage failure, stopped accepting: {0}")]
    Writer(#[from] WriterError),
    /// The writer did not drain in time at shutdown.
    #[error(
        "shutdown timed out after {0} s with records still queued; they were not acknowledged"
    )]
    DrainTimeout(u64),
}

/// Maps an I/O error of setting up `what` (a listener, a directory, a thread).
pub(crate) fn setup(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> DaemonError {
    let what = what.into();
    move |source| DaemonError::Setup { what, source }
}

/// Loads, validates and compiles everything a configuration needs, without starting anything.
pub fn check(path: &Path) -> Result<(Config, logscrub_engine::Scrubber), ConfigError> {
    let cfg = Config::load(path)?;
    cfg.validate()?;
    let s = build_scrubber(&cfg)?;
    Ok((cfg, s))
}

/// Addresses actually bound (useful when the configuration asks for port 0).
#[derive(Debug, Default, Clone)]
pub struct Bound {
    /// Source name and local address.
    pub sources: Vec<(String, std::net::SocketAddr)>,
    /// The operations listener.
    pub metrics: Option<std::net::SocketAddr>,
}

/// Runs the daemon until SIGTERM/SIGINT, until every finite source (stdin) has ended, or until a fatal error.
pub async fn run(config_path: PathBuf) -> Result<(), DaemonError> {
    let (cfg, scrubber) = check(&config_path)?;
    // Build what the engine would otherwise build inside the first requests (its keyword DFA, the rule regexes).
    scrubber.warm_up();
    let data_dir = cfg.daemon.data_dir.clone();
    crate::util::private_dir(&data_dir)
        .map_err(setup(format!("data_dir {}", data_dir.display())))?;
    let metrics = Arc::new(Metrics::default());
    metrics.queue_capacity.set(cfg.daemon.queue_capacity as i64);

    let mut sinks: Vec<SinkTask> = Vec::new();
    for (i, s) in cfg.sinks.iter().enumerate() {
        let label = crate::sink::label(i, s);
        let stats = metrics.sink(&label);
        let sink = s.build(i, &cfg, &metrics, &stats)?;
        sinks.push(SinkTask {
            label,
            inputs: s.inputs().to_vec(),
            depth: stats.queued.clone(),
            sink: Box::new(crate::sink::Instrumented::new(sink, stats)),
        });
    }
    if cfg.findings.enabled {
        let key = match &cfg.findings.hash_key_file {
            Some(p) => Some(
                std::fs::read(p)
                    .map_err(setup(format!("findings.hash_key_file {}", p.display())))?,
            ),
            None => None,
        };
        let log = FindingsLog::open(cfg.data_path(&cfg.findings.path), key.as_deref())?;
        let stats = metrics.sink("findings");
        sinks.push(SinkTask {
            label: "findings".into(),
            inputs: Vec::new(),
            depth: stats.queued.clone(),
            sink: Box::new(crate::sink::Instrumented::new(Box::new(log), stats)),
        });
    }
    let reload_log = cfg.data_path(&cfg.findings.reload_log);

    // One task per sink: a slow forward holds back only the sources routed to it.
    let rt = tokio::runtime::Handle::current();
    let (queue, mut wdone_rx) = crate::writer::start(
        sinks,
        metrics.clone(),
        cfg.daemon.queue_capacity,
        cfg.daemon.max_group_batches,
        rt.clone(),
    )
    .map_err(setup("sink threads"))?;

    let (sd_tx, sd_rx) = watch::channel(false);
    let scrub = ScrubHandle::new(scrubber);
    let mut run = source::Running::default();

    let limits = source::Limits {
        budget: crate::budget::Budget::new(cfg.daemon.max_inflight_bytes),
        max_connections: cfg.daemon.max_connections,
        idle_timeout: Duration::from_secs(cfg.daemon.idle_timeout_secs),
        request_timeout: Duration::from_secs(cfg.daemon.request_timeout_secs),
    };
    for (i, s) in cfg.sources.iter().enumerate() {
        let name = s.name(i);
        let ctx = Ctx {
            name: Arc::from(name.as_str()),
            queue: queue.clone(),
            scrub: scrub.clone(),
            metrics: metrics.clone(),
            shutdown: sd_rx.clone(),
            max_batch_records: cfg.daemon.max_batch_records,
            retry_after_secs: cfg.daemon.retry_after_secs,
            data_dir: data_dir.clone(),
            streams: Arc::default(),
            limits: limits.clone(),
        };
        s.start(i, ctx, &mut run).await?;
    }
    drop(queue);
    let source::Running {
        mut finite,
        mut infinite,
        threads: tail_threads,
        bound: sources,
    } = run;
    let mut bound = Bound {
        sources,
        metrics: None,
    };

    if let Some(addr) = cfg.metrics.listen {
        let l = TcpListener::bind(addr)
            .await
            .map_err(setup(format!("metrics.listen {addr}")))?;
        bound.metrics = Some(l.local_addr().map_err(setup("metrics.listen"))?);
        let role = http::Role::Ops {
            metrics: metrics.clone(),
            shutdown: sd_rx.clone(),
        };
        let tls = tls_for("metrics", cfg.metrics.tls.as_ref(), true)?;
        infinite.spawn(http::serve(l, tls, role, limits.clone(), sd_rx.clone()));
    }
    write_bound(&data_dir, &bound);
    tracing::info!(
        sources = cfg.sources.len(),
        sinks = cfg.sinks.len(),
        "logscrubd started"
    );

    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).map_err(setup("SIGTERM handler"))?;
    let mut int = signal(SignalKind::interrupt()).map_err(setup("SIGINT handler"))?;
    let mut hup = signal(SignalKind::hangup()).map_err(setup("SIGHUP handler"))?;
    let has_finite = !finite.is_empty();
    let only_finite = has_finite && infinite.is_empty() && tail_threads.is_empty();

    let mut writer_result: Option<Result<(), WriterError>> = None;
    loop {
        tokio::select! {
            _ = term.recv() => { tracing::info!("SIGTERM: draining"); break; }
            _ = int.recv() => { tracing::info!("SIGINT: draining"); break; }
            _ = hup.recv() => reload(&config_path, &scrub, &metrics, &reload_log),
            r = &mut wdone_rx => {
                writer_result = Some(r.unwrap_or(Ok(())));
                break;
            }
            Some(_) = finite.join_next(), if has_finite => {
                if finite.is_empty() && only_finite {
                    tracing::info!("input ended: draining");
                    break;
                }
            }
        }
    }

    // Stop every source; in-flight HTTP requests finish; the queue closes when the last sender is gone.
    let _ = sd_tx.send(true);
    let timeout = Duration::from_secs(cfg.daemon.shutdown_timeout_secs);
    if let Some(r) = writer_result {
        // The writer already ended (only on failure): nothing can be persisted any more.
        infinite.abort_all();
        finite.abort_all();
        r?;
        return Ok(());
    }
    let drain = async {
        while finite.join_next().await.is_some() {}
        while infinite.join_next().await.is_some() {}
        wdone_rx.await.unwrap_or(Ok(()))
    };
    match tokio::time::timeout(timeout, drain).await {
        Ok(r) => r?,
        Err(_) => return Err(DaemonError::DrainTimeout(cfg.daemon.shutdown_timeout_secs)),
    }
    for h in tail_threads {
        let _ = h.join();
    }
    tracing::info!("logscrubd stopped");
    Ok(())
}

/// The TLS acceptor of a listener's `tls` section (`what` names the section in errors).
pub(crate) fn tls_for(
    what: &str,
    t: Option<&crate::config::TlsConfig>,
    http: bool,
) -> Result<Option<tokio_rustls::TlsAcceptor>, DaemonError> {
    match t {
        None => Ok(None),
        Some(t) => {
            let c = crate::tls::server_config(t, http).map_err(|e| ConfigError::Invalid {
                field: format!("{what}.tls"),
                message: e.to_string(),
            })?;
            Ok(stream::acceptor(Some(c)))
        }
    }
}

/// Writes `bound.json` in the data directory: the addresses actually bound (for port 0 and tests).
fn write_bound(dir: &Path, b: &Bound) {
    let v = serde_json::json!({
        "pid": std::process::id(),
        "sources": b.sources.iter().map(|(n, a)| (n.clone(), a.to_string())).collect::<std::collections::BTreeMap<_, _>>(),
        "metrics": b.metrics.map(|a| a.to_string()),
    });
    let tmp = dir.join("bound.json.tmp");
    if crate::util::write_private(&tmp, v.to_string().as_bytes()).is_ok() {
        let _ = std::fs::rename(&tmp, dir.join("bound.json"));
    }
}

/// SIGHUP: re-reads the configuration and swaps the rules and policy atomically; a bad configuration keeps the
/// old one running. Source and sink changes need a restart (logged).
fn reload(path: &Path, scrub: &ScrubHandle, metrics: &Metrics, log: &Path) {
    match check(path) {
        Ok((_cfg, s)) => {
            scrub.set(s);
            metrics.reloads_ok.inc();
            tracing::info!(
                "SIGHUP: rules and policy reloaded (source and sink changes need a restart)"
            );
            if let Err(e) = record_reload(log, true, "rules and policy reloaded") {
                tracing::warn!(error = %e, "cannot append to the reload record");
            }
        }
        Err(e) => {
            metrics.reloads_failed.inc();
            let why = e.without_values();
            tracing::error!(error = %why, "SIGHUP: new configuration refused; the old one keeps running");
            if let Err(e2) = record_reload(log, false, &why) {
                tracing::warn!(error = %e2, "cannot append to the reload record");
            }
        }
    }
}
