//! Process metrics for Prometheus `/metrics`, kept in a `prometheus-client` registry and rendered in the
//! OpenMetrics text format (served as `application/openmetrics-text`).
//!
//! Every metric is named `logscrubd_*`. Fixed metrics are fields of [`Metrics`]; other code registers its own by
//! name with [`Metrics::counter`], [`Metrics::gauge`] and [`Metrics::histogram`] and sets series by label.
//! Only counts, durations, rule ids, classes, source and sink names appear here — never a scanned value, never a
//! hash, never a URL's credentials.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::AtomicBool;
use std::sync::{Mutex, MutexGuard};

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::{Metric, Registry};

/// Label pairs of one series, in the order they are rendered.
pub type Labels = Vec<(String, String)>;

/// A labelled counter family (a series per label set; `_total` is appended to the name when rendered).
pub type CounterFamily = Family<Labels, Counter>;
/// A labelled gauge family.
pub type GaugeFamily = Family<Labels, Gauge>;
/// A labelled histogram family with [`latency_buckets`] (seconds).
pub type HistogramFamily = Family<Labels, Histogram, fn() -> Histogram>;

/// `[("source", "web")]` → owned [`Labels`].
pub fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect()
}

/// Buckets for latencies in seconds: 0.5 ms doubling to about 16 s (a forward's retries can take that long).
pub fn latency_buckets() -> Histogram {
    Histogram::new(exponential_buckets(0.0005, 2.0, 16))
}

#[derive(Clone)]
enum Registered {
    Counter(CounterFamily),
    Gauge(GaugeFamily),
    Histogram(HistogramFamily),
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    match m.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    }
}

/// Per-source families, created up front so that every source shows every series (0 until it happens).
struct SourceFamilies {
    received_records: CounterFamily,
    received_bytes: CounterFamily,
    dropped: CounterFamily,
    rejected: CounterFamily,
    refused_connections: CounterFamily,
    up: GaugeFamily,
}

/// The counters and timings of one sink (see [`Metrics::sink`]).
#[derive(Clone, Debug)]
pub struct SinkStats {
    /// Errors the sink gave up on and returned to the writer (fatal, or a full disk that is retried later).
    pub errors: Counter,
    /// Failed attempts that the sink itself tried again (forward sinks).
    pub retries: Counter,
    /// Time to write and sync one group, in seconds.
    pub sync_seconds: Histogram,
    /// Batches waiting in the sink's lane (a slow sink shows here first).
    pub queued: Gauge,
}

impl SinkStats {
    /// Counters not attached to any registry (tests, sinks built outside the daemon).
    pub fn detached() -> Self {
        SinkStats {
            errors: Counter::default(),
            retries: Counter::default(),
            sync_seconds: latency_buckets(),
            queued: Gauge::default(),
        }
    }
}

/// Process-wide metrics shared by every task.
pub struct Metrics {
    registry: Mutex<Registry>,
    named: Mutex<HashMap<String, Registered>>,
    sources: SourceFamilies,
    known_sources: Mutex<BTreeSet<String>>,
    stopped: Mutex<BTreeSet<String>>,
    findings: CounterFamily,
    storage_full_gauge: Gauge,
    ready_gauge: Gauge,
    /// Records scrubbed.
    pub scrubbed_records: Counter,
    /// Records written to every sink and synced (per the fsync policy).
    pub persisted_records: Counter,
    /// Scrubbed bytes persisted.
    pub persisted_bytes: Counter,
    /// Records acknowledged upstream (HTTP 200, checkpoint advanced).
    pub acknowledged_records: Counter,
    /// fdatasync group commits.
    pub fsyncs: Counter,
    /// Successful reloads.
    pub reloads_ok: Counter,
    /// Refused reloads (the old configuration kept running).
    pub reloads_failed: Counter,
    /// Batches queued and not yet durable in every sink that takes them (nor failed).
    pub queue_depth: Gauge,
    /// Queue capacity in batches.
    pub queue_capacity: Gauge,
    /// Time from queueing a batch to its being durable in every sink that takes it, in seconds.
    pub commit_seconds: Histogram,
    /// Set when the writer is running and healthy.
    pub ready: AtomicBool,
    /// Set while the writer cannot write because the file system is full.
    pub storage_full: AtomicBool,
    /// Times the storage became full.
    pub storage_full_events: Counter,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Default for Metrics {
    fn default() -> Self {
        let mut r = Registry::with_prefix("logscrubd");
        fn reg<M: Metric + Clone>(r: &mut Registry, name: &str, help: &str, m: M) -> M {
            r.register(name, help, m.clone());
            m
        }
        let build_info = reg(
            &mut r,
            "build_info",
            "Always 1; the labels say which build runs.",
            GaugeFamily::default(),
        );
        build_info
            .get_or_create(&labels(&[("version", env!("CARGO_PKG_VERSION"))]))
            .set(1);
        let sources = SourceFamilies {
            received_records: reg(
                &mut r,
                "received_records",
                "Records received.",
                Default::default(),
            ),
            received_bytes: reg(
                &mut r,
                "received_bytes",
                "Raw bytes received.",
                Default::default(),
            ),
            dropped: reg(
                &mut r,
                "dropped_records",
                "Records dropped (UDP only: queue full or oversize).",
                Default::default(),
            ),
            rejected: reg(
                &mut r,
                "rejected_requests",
                "Requests answered 503 because the queue was full.",
                Default::default(),
            ),
            refused_connections: reg(
                &mut r,
                "refused_connections",
                "Connections closed on accept because the listener was at daemon.max_connections.",
                Default::default(),
            ),
            up: reg(
                &mut r,
                "source_up",
                "1 while the source runs, 0 once it stopped.",
                Default::default(),
            ),
        };
        Metrics {
            findings: reg(
                &mut r,
                "findings",
                "Sensitive values replaced, by rule.",
                Default::default(),
            ),
            storage_full_gauge: reg(
                &mut r,
                "storage_full",
                "1 while writes fail with no space left (nothing is acknowledged).",
                Gauge::default(),
            ),
            ready_gauge: reg(
                &mut r,
                "ready",
                "1 while the writer runs and can write.",
                Gauge::default(),
            ),
            storage_full_events: reg(
                &mut r,
                "storage_full_events",
                "Times the storage became full.",
                Counter::default(),
            ),
            scrubbed_records: reg(
                &mut r,
                "scrubbed_records",
                "Records scrubbed.",
                Counter::default(),
            ),
            persisted_records: reg(
                &mut r,
                "persisted_records",
                "Records persisted to every sink.",
                Counter::default(),
            ),
            persisted_bytes: reg(
                &mut r,
                "persisted_bytes",
                "Scrubbed bytes persisted.",
                Counter::default(),
            ),
            acknowledged_records: reg(
                &mut r,
                "acknowledged_records",
                "Records acknowledged upstream after persistence.",
                Counter::default(),
            ),
            fsyncs: reg(
                &mut r,
                "fsyncs",
                "Group commits (fdatasync rounds).",
                Counter::default(),
            ),
            reloads_ok: reg(
                &mut r,
                "reloads",
                "Successful configuration reloads.",
                Counter::default(),
            ),
            reloads_failed: reg(
                &mut r,
                "reload_failures",
                "Refused configuration reloads.",
                Counter::default(),
            ),
            queue_depth: reg(
                &mut r,
                "queue_depth",
                "Batches queued and not yet durable in every sink that takes them.",
                Gauge::default(),
            ),
            queue_capacity: reg(
                &mut r,
                "queue_capacity",
                "Queue capacity in batches.",
                Gauge::default(),
            ),
            commit_seconds: reg(
                &mut r,
                "commit_seconds",
                "Time from a batch being queued to being durable in every sink that takes it and the findings log.",
                latency_buckets(),
            ),
            sources,
            registry: Mutex::new(r),
            named: Mutex::new(HashMap::new()),
            known_sources: Mutex::new(BTreeSet::new()),
            stopped: Mutex::new(BTreeSet::new()),
            ready: AtomicBool::new(false),
            storage_full: AtomicBool::new(false),
        }
    }
}

impl Metrics {
    /// Registers (once) and returns a family by name, or `None` when the name is taken by another kind.
    fn named(
        &self,
        name: &str,
        help: &str,
        make: impl FnOnce() -> Registered,
    ) -> Option<Registered> {
        let name = name.strip_prefix("logscrubd_").unwrap_or(name);
        let mut named = lock(&self.named);
        if let Some(r) = named.get(name) {
            return Some(r.clone());
        }
        let fixed = [
            "build_info",
            "received_records",
            "received_bytes",
            "dropped_records",
            "rejected_requests",
            "refused_connections",
            "source_up",
            "findings",
            "storage_full",
            "ready",
            "storage_full_events",
            "scrubbed_records",
            "persisted_records",
            "persisted_bytes",
            "acknowledged_records",
            "fsyncs",
            "reloads",
            "reload_failures",
            "queue_depth",
            "queue_capacity",
            "commit_seconds",
        ];
        if fixed.contains(&name) {
            return None;
        }
        let m = make();
        let mut reg = lock(&self.registry);
        match &m {
            Registered::Counter(f) => reg.register(name, help, f.clone()),
            Registered::Gauge(f) => reg.register(name, help, f.clone()),
            Registered::Histogram(f) => reg.register(name, help, f.clone()),
        }
        named.insert(name.to_string(), m.clone());
        Some(m)
    }

    /// The counter family `logscrubd_<name>_total` (registered on first use; `help` of the first call wins).
    /// A name already used by another kind or by a fixed metric gives a family that is not rendered, and a
    /// warning.
    pub fn counter(&self, name: &str, help: &str) -> CounterFamily {
        let name = name.strip_suffix("_total").unwrap_or(name);
        match self.named(name, help, || Registered::Counter(CounterFamily::default())) {
            Some(Registered::Counter(f)) => f,
            _ => {
                tracing::warn!(
                    metric = name,
                    "metric name already used by another metric; not exported"
                );
                CounterFamily::default()
            }
        }
    }

    /// The gauge family `logscrubd_<name>` (see [`Metrics::counter`]).
    pub fn gauge(&self, name: &str, help: &str) -> GaugeFamily {
        match self.named(name, help, || Registered::Gauge(GaugeFamily::default())) {
            Some(Registered::Gauge(f)) => f,
            _ => {
                tracing::warn!(
                    metric = name,
                    "metric name already used by another metric; not exported"
                );
                GaugeFamily::default()
            }
        }
    }

    /// The histogram family `logscrubd_<name>` with [`latency_buckets`] (seconds; see [`Metrics::counter`]).
    pub fn histogram(&self, name: &str, help: &str) -> HistogramFamily {
        let make = || HistogramFamily::new_with_constructor(latency_buckets as fn() -> Histogram);
        match self.named(name, help, || Registered::Histogram(make())) {
            Some(Registered::Histogram(f)) => f,
            _ => {
                tracing::warn!(
                    metric = name,
                    "metric name already used by another metric; not exported"
                );
                make()
            }
        }
    }

    /// Error, retry, latency and lane series of the sink labelled `sink` (`logscrubd_sink_errors_total`,
    /// `logscrubd_sink_retries_total`, `logscrubd_sink_sync_seconds`, `logscrubd_sink_queue_depth`).
    pub fn sink(&self, sink: &str) -> SinkStats {
        let l = labels(&[("sink", sink)]);
        SinkStats {
            errors: self
                .counter(
                    "sink_errors",
                    "Sink errors returned to the writer (fatal, or disk full).",
                )
                .get_or_create_owned(&l),
            retries: self
                .counter(
                    "sink_retries",
                    "Failed sink attempts that were tried again.",
                )
                .get_or_create_owned(&l),
            sync_seconds: self
                .histogram(
                    "sink_sync_seconds",
                    "Time for a sink to write and sync one group.",
                )
                .get_or_create_owned(&l),
            queued: self
                .gauge(
                    "sink_queue_depth",
                    "Batches waiting in the sink's own queue (each sink runs in its own task).",
                )
                .get_or_create_owned(&l),
        }
    }

    /// First sight of a source: every per-source series exists from now on, `source_up` 1 unless it stopped.
    fn source(&self, source: &str) -> Labels {
        let l = labels(&[("source", source)]);
        let mut known = lock(&self.known_sources);
        if !known.contains(source) {
            known.insert(source.to_string());
            let s = &self.sources;
            for f in [
                &s.received_records,
                &s.received_bytes,
                &s.dropped,
                &s.rejected,
                &s.refused_connections,
            ] {
                let _ = f.get_or_create(&l);
            }
            if !lock(&self.stopped).contains(source) {
                s.up.get_or_create(&l).set(1);
            }
        }
        l
    }

    /// Records arrived at a source.
    pub fn received(&self, source: &str, records: u64, bytes: u64) {
        let l = self.source(source);
        self.sources
            .received_records
            .get_or_create(&l)
            .inc_by(records);
        self.sources.received_bytes.get_or_create(&l).inc_by(bytes);
    }

    /// Records dropped (UDP with a full queue, oversize datagrams).
    pub fn dropped(&self, source: &str, records: u64) {
        let l = self.source(source);
        self.sources.dropped.get_or_create(&l).inc_by(records);
    }

    /// A request refused with 503/429 because the queue was full.
    pub fn rejected(&self, source: &str) {
        let l = self.source(source);
        self.sources.rejected.get_or_create(&l).inc();
    }

    /// A connection closed on accept because the listener was at its connection cap.
    pub fn refused_connection(&self, source: &str) {
        let l = self.source(source);
        self.sources.refused_connections.get_or_create(&l).inc();
    }

    /// A source task ended while the daemon was not shutting down: `/readyz` answers 503 from now on.
    pub fn source_stopped(&self, source: &str) {
        lock(&self.stopped).insert(source.to_string());
        let l = self.source(source);
        self.sources.up.get_or_create(&l).set(0);
    }

    /// Sources that stopped.
    pub fn stopped_sources(&self) -> Vec<String> {
        lock(&self.stopped).iter().cloned().collect()
    }

    /// Dropped count of one source (tests and logs).
    pub fn dropped_count(&self, source: &str) -> u64 {
        self.sources
            .dropped
            .get(&labels(&[("source", source)]))
            .map_or(0, |c| c.get())
    }

    /// Adds findings by rule id and class.
    pub fn add_findings(&self, counts: &BTreeMap<(String, String), u64>) {
        for ((rule, class), n) in counts {
            self.findings
                .get_or_create(&labels(&[("rule", rule), ("class", class)]))
                .inc_by(*n);
        }
    }

    /// The OpenMetrics text exposition (ends with `# EOF`).
    pub fn render(&self) -> String {
        use std::sync::atomic::Ordering::Relaxed;
        self.storage_full_gauge
            .set(i64::from(self.storage_full.load(Relaxed)));
        self.ready_gauge.set(i64::from(self.ready.load(Relaxed)));
        let mut s = String::new();
        // Writing into a String cannot fail.
        let _ = encode(&mut s, &lock(&self.registry));
        s
    }
}

/// The `Content-Type` of [`Metrics::render`]'s output.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str, series: &str) -> Option<f64> {
        text.lines()
            .find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
    }

    #[test]
    fn fixed_and_per_source_series_render_with_their_values() {
        let m = Metrics::default();
        m.received("web", 3, 120);
        m.rejected("web");
        m.persisted_records.inc_by(3);
        m.queue_capacity.set(256);
        m.add_findings(&BTreeMap::from([(
            ("credit_card".into(), "card".into()),
            2,
        )]));
        let t = m.render();
        assert_eq!(
            value(&t, "logscrubd_received_records_total{source=\"web\"}"),
            Some(3.0)
        );
        assert_eq!(
            value(&t, "logscrubd_received_bytes_total{source=\"web\"}"),
            Some(120.0)
        );
        assert_eq!(
            value(&t, "logscrubd_dropped_records_total{source=\"web\"}"),
            Some(0.0)
        );
        assert_eq!(
            value(&t, "logscrubd_rejected_requests_total{source=\"web\"}"),
            Some(1.0)
        );
        assert_eq!(value(&t, "logscrubd_source_up{source=\"web\"}"), Some(1.0));
        assert_eq!(value(&t, "logscrubd_persisted_records_total"), Some(3.0));
        assert_eq!(value(&t, "logscrubd_queue_capacity"), Some(256.0));
        assert_eq!(
            value(
                &t,
                "logscrubd_findings_total{rule=\"credit_card\",class=\"card\"}"
            ),
            Some(2.0)
        );
        let version = format!(
            "logscrubd_build_info{{version=\"{}\"}}",
            env!("CARGO_PKG_VERSION")
        );
        assert_eq!(value(&t, &version), Some(1.0));
        assert!(t.ends_with("# EOF\n"));
        m.source_stopped("web");
        assert_eq!(
            value(&m.render(), "logscrubd_source_up{source=\"web\"}"),
            Some(0.0)
        );
    }

    #[test]
    fn named_metrics_register_once_and_refuse_taken_names() {
        let m = Metrics::default();
        let lag = m.gauge("kafka_consumer_lag", "Messages behind.");
        lag.get_or_create(&labels(&[("topic", "t"), ("partition", "0")]))
            .set(7);
        m.gauge("kafka_consumer_lag", "ignored")
            .get_or_create(&labels(&[("topic", "t"), ("partition", "1")]))
            .set(2);
        m.counter("kafka_commits_total", "Offset commits.")
            .get_or_create(&vec![])
            .inc();
        // Taken by a fixed metric, and by another kind: neither is rendered.
        m.counter("fsyncs", "x").get_or_create(&vec![]).inc_by(99);
        m.gauge("kafka_commits", "x").get_or_create(&vec![]).set(99);
        let s = m.sink("file_0");
        s.errors.inc();
        s.sync_seconds.observe(0.003);
        let t = m.render();
        assert_eq!(
            value(
                &t,
                "logscrubd_kafka_consumer_lag{topic=\"t\",partition=\"0\"}"
            ),
            Some(7.0)
        );
        assert_eq!(
            value(
                &t,
                "logscrubd_kafka_consumer_lag{topic=\"t\",partition=\"1\"}"
            ),
            Some(2.0)
        );
        assert_eq!(value(&t, "logscrubd_kafka_commits_total"), Some(1.0));
        assert_eq!(
            t.matches("# HELP logscrubd_kafka_consumer_lag Messages behind.")
                .count(),
            1
        );
        assert_eq!(value(&t, "logscrubd_fsyncs_total"), Some(0.0));
        assert!(!t.contains(" 99"), "{t}");
        assert_eq!(
            value(&t, "logscrubd_sink_errors_total{sink=\"file_0\"}"),
            Some(1.0)
        );
        assert_eq!(
            value(&t, "logscrubd_sink_retries_total{sink=\"file_0\"}"),
            Some(0.0)
        );
        assert_eq!(
            value(&t, "logscrubd_sink_sync_seconds_count{sink=\"file_0\"}"),
            Some(1.0)
        );
        assert_eq!(
            value(
                &t,
                "logscrubd_sink_sync_seconds_bucket{le=\"0.004\",sink=\"file_0\"}"
            )
            .or_else(|| value(
                &t,
                "logscrubd_sink_sync_seconds_bucket{sink=\"file_0\",le=\"0.004\"}"
            )),
            Some(1.0)
        );
    }

    #[test]
    fn label_values_are_escaped() {
        let m = Metrics::default();
        m.received("a\"b\nc", 1, 1);
        assert!(m.render().contains("{source=\"a\\\"b\\nc\"} 1"));
    }
}
