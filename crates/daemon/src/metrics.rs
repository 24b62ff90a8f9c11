//! Counters for Prometheus `/metrics`, rendered by hand in the text exposition format.
//!
//! Only counts, rule ids, classes and source names appear here — never a scanned value, never a hash.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::Mutex;

/// Per-source counters.
#[derive(Debug, Default, Clone, Copy)]
struct SourceCounters {
    received_records: u64,
    received_bytes: u64,
    dropped: u64,
    rejected: u64,
    refused_connections: u64,
}

/// Process-wide counters shared by every task.
#[derive(Debug, Default)]
pub struct Metrics {
    sources: Mutex<BTreeMap<String, SourceCounters>>,
    findings: Mutex<BTreeMap<(String, String), u64>>,
    stopped: Mutex<std::collections::BTreeSet<String>>,
    /// Records scrubbed.
    pub scrubbed_records: AtomicU64,
    /// Records written to every sink and synced (per the fsync policy).
    pub persisted_records: AtomicU64,
    /// Scrubbed bytes persisted.
    pub persisted_bytes: AtomicU64,
    /// Records acknowledged upstream (HTTP 200, checkpoint advanced).
    pub acknowledged_records: AtomicU64,
    /// fdatasync group commits.
    pub fsyncs: AtomicU64,
    /// Successful reloads.
    pub reloads_ok: AtomicU64,
    /// Refused reloads (the old configuration kept running).
    pub reloads_failed: AtomicU64,
    /// Batches waiting in the queue.
    pub queue_depth: AtomicU64,
    /// Queue capacity in batches.
    pub queue_capacity: AtomicU64,
    /// Set when the writer is running and healthy.
    pub ready: AtomicBool,
    /// Set while the writer cannot write because the file system is full.
    pub storage_full: AtomicBool,
    /// Times the storage became full.
    pub storage_full_events: AtomicU64,
    /// Kafka sources and sinks.
    pub kafka: crate::kafka::metrics::KafkaMetrics,
}

impl Metrics {
    fn with_source(&self, source: &str, f: impl FnOnce(&mut SourceCounters)) {
        let mut g = match self.sources.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        f(g.entry(source.to_string()).or_default());
    }

    /// Records arrived at a source.
    pub fn received(&self, source: &str, records: u64, bytes: u64) {
        self.with_source(source, |c| {
            c.received_records += records;
            c.received_bytes += bytes;
        });
    }

    /// Records dropped (UDP with a full queue, oversize datagrams).
    pub fn dropped(&self, source: &str, records: u64) {
        self.with_source(source, |c| c.dropped += records);
    }

    /// A request refused with 503/429 because the queue was full.
    pub fn rejected(&self, source: &str) {
        self.with_source(source, |c| c.rejected += 1);
    }

    /// A connection closed on accept because the listener was at its connection cap.
    pub fn refused_connection(&self, source: &str) {
        self.with_source(source, |c| c.refused_connections += 1);
    }

    /// A source task ended while the daemon was not shutting down: `/readyz` answers 503 from now on.
    pub fn source_stopped(&self, source: &str) {
        let mut g = match self.stopped.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        g.insert(source.to_string());
    }

    /// Sources that stopped.
    pub fn stopped_sources(&self) -> Vec<String> {
        match self.stopped.lock() {
            Ok(g) => g.iter().cloned().collect(),
            Err(p) => p.into_inner().iter().cloned().collect(),
        }
    }

    /// Dropped count of one source (tests and logs).
    pub fn dropped_count(&self, source: &str) -> u64 {
        match self.sources.lock() {
            Ok(g) => g.get(source).map_or(0, |c| c.dropped),
            Err(p) => p.into_inner().get(source).map_or(0, |c| c.dropped),
        }
    }

    /// Adds findings by rule id and class.
    pub fn add_findings(&self, counts: &BTreeMap<(String, String), u64>) {
        let mut g = match self.findings.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        for (k, v) in counts {
            *g.entry(k.clone()).or_default() += v;
        }
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut s = String::new();
        let sources = match self.sources.lock() {
            Ok(g) => g.clone(),
            Err(p) => p.into_inner().clone(),
        };
        let findings = match self.findings.lock() {
            Ok(g) => g.clone(),
            Err(p) => p.into_inner().clone(),
        };
        let per_source =
            |s: &mut String, name: &str, help: &str, get: &dyn Fn(&SourceCounters) -> u64| {
                let _ = writeln!(s, "# HELP {name} {help}\n# TYPE {name} counter");
                for (src, c) in &sources {
                    let _ = writeln!(s, "{name}{{source=\"{}\"}} {}", esc(src), get(c));
                }
            };
        per_source(
            &mut s,
            "logscrubd_received_records_total",
            "Records received.",
            &|c| c.received_records,
        );
        per_source(
            &mut s,
            "logscrubd_received_bytes_total",
            "Raw bytes received.",
            &|c| c.received_bytes,
        );
        per_source(
            &mut s,
            "logscrubd_dropped_records_total",
            "Records dropped (UDP only: queue full or oversize).",
            &|c| c.dropped,
        );
        per_source(
            &mut s,
            "logscrubd_rejected_requests_total",
            "Requests answered 503 because the queue was full.",
            &|c| c.rejected,
        );
        per_source(
            &mut s,
            "logscrubd_refused_connections_total",
            "Connections closed on accept because the listener was at daemon.max_connections.",
            &|c| c.refused_connections,
        );
        let stopped = self.stopped_sources();
        let _ = writeln!(
            s,
            "# HELP logscrubd_source_up 1 while the source runs, 0 once it stopped.\n# TYPE logscrubd_source_up gauge"
        );
        for src in sources.keys() {
            let up = u8::from(!stopped.contains(src));
            let _ = writeln!(s, "logscrubd_source_up{{source=\"{}\"}} {up}", esc(src));
        }
        let _ = writeln!(
            s,
            "# HELP logscrubd_findings_total Sensitive values replaced, by rule.\n# TYPE logscrubd_findings_total counter"
        );
        for ((rule, class), n) in &findings {
            let _ = writeln!(
                s,
                "logscrubd_findings_total{{rule=\"{}\",class=\"{}\"}} {n}",
                esc(rule),
                esc(class)
            );
        }
        let _ = writeln!(
            s,
            "# HELP logscrubd_storage_full 1 while writes fail with no space left (nothing is acknowledged).\n# TYPE logscrubd_storage_full gauge\nlogscrubd_storage_full {}",
            u8::from(self.storage_full.load(Relaxed))
        );
        let counters: [(&str, &str, &AtomicU64); 8] = [
            (
                "logscrubd_storage_full_total",
                "Times the storage became full.",
                &self.storage_full_events,
            ),
            (
                "logscrubd_scrubbed_records_total",
                "Records scrubbed.",
                &self.scrubbed_records,
            ),
            (
                "logscrubd_persisted_records_total",
                "Records persisted to every sink.",
                &self.persisted_records,
            ),
            (
                "logscrubd_persisted_bytes_total",
                "Scrubbed bytes persisted.",
                &self.persisted_bytes,
            ),
            (
                "logscrubd_acknowledged_records_total",
                "Records acknowledged upstream after persistence.",
                &self.acknowledged_records,
            ),
            (
                "logscrubd_fsyncs_total",
                "Group commits (fdatasync rounds).",
                &self.fsyncs,
            ),
            (
                "logscrubd_reloads_total",
                "Successful configuration reloads.",
                &self.reloads_ok,
            ),
            (
                "logscrubd_reload_failures_total",
                "Refused configuration reloads.",
                &self.reloads_failed,
            ),
        ];
        for (name, help, v) in counters {
            let _ = writeln!(
                s,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {}",
                v.load(Relaxed)
            );
        }
        for (name, help, v) in [
            (
                "logscrubd_queue_depth",
                "Batches waiting for the writer.",
                &self.queue_depth,
            ),
            (
                "logscrubd_queue_capacity",
                "Queue capacity in batches.",
                &self.queue_capacity,
            ),
        ] {
            let _ = writeln!(
                s,
                "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {}",
                v.load(Relaxed)
            );
        }
        self.kafka.render(&mut s);
        s
    }
}

fn esc(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}
