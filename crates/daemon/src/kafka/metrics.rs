//! Kafka counters, kept in one place so that the exposition can move (to `prometheus-client`) by changing
//! [`KafkaMetrics::render`] only: consumer lag and assignment per partition, consumed records, offset commits,
//! rebalances, produced records and produce errors.
//!
//! Labels are source names, topic names and partition numbers only; never a key, a value or a header.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Mutex;

/// (source, topic, partition).
type Tp = (String, String, i32);

/// A per-partition metric family: name, type, help, value.
type Family = (
    &'static str,
    &'static str,
    &'static str,
    fn(&PartitionCounters) -> i64,
);

#[derive(Debug, Default, Clone, Copy)]
struct PartitionCounters {
    consumed: u64,
    /// Latest consumer lag from librdkafka's statistics (-1: unknown).
    lag: i64,
    assigned: bool,
}

#[derive(Debug, Default)]
struct Inner {
    partitions: BTreeMap<Tp, PartitionCounters>,
    /// By source: commits, failed commits, rebalances.
    sources: BTreeMap<String, [u64; 3]>,
    /// By sink topic: produced, produce errors (each failed delivery, retried).
    sinks: BTreeMap<String, [u64; 2]>,
}

/// The Kafka part of [`crate::metrics::Metrics`].
#[derive(Debug, Default)]
pub struct KafkaMetrics(Mutex<Inner>);

impl KafkaMetrics {
    fn with<T>(&self, f: impl FnOnce(&mut Inner) -> T) -> T {
        match self.0.lock() {
            Ok(mut g) => f(&mut g),
            Err(p) => f(&mut p.into_inner()),
        }
    }

    /// Records read from a partition.
    pub fn consumed(&self, source: &str, topic: &str, partition: i32, n: u64) {
        self.with(|m| {
            m.partitions
                .entry((source.into(), topic.into(), partition))
                .or_default()
                .consumed += n
        });
    }

    /// A partition was assigned to (true) or revoked from (false) this member.
    pub fn assigned(&self, source: &str, topic: &str, partition: i32, yes: bool) {
        self.with(|m| {
            let c = m
                .partitions
                .entry((source.into(), topic.into(), partition))
                .or_default();
            c.assigned = yes;
            if !yes {
                c.lag = -1;
            }
        });
    }

    /// The consumer lag of a partition (records between the committed position and the end).
    pub fn lag(&self, source: &str, topic: &str, partition: i32, lag: i64) {
        self.with(|m| {
            if let Some(c) = m
                .partitions
                .get_mut(&(source.into(), topic.into(), partition))
            {
                if c.assigned {
                    c.lag = lag;
                }
            }
        });
    }

    /// An offset commit (ok or failed).
    pub fn commit(&self, source: &str, ok: bool) {
        self.with(|m| m.sources.entry(source.into()).or_default()[usize::from(!ok)] += 1);
    }

    /// A rebalance (assignment or revocation) seen by a source.
    pub fn rebalance(&self, source: &str) {
        self.with(|m| m.sources.entry(source.into()).or_default()[2] += 1);
    }

    /// Records delivered to a sink topic.
    pub fn produced(&self, topic: &str, n: u64) {
        self.with(|m| m.sinks.entry(topic.into()).or_default()[0] += n);
    }

    /// A failed delivery (the record is produced again).
    pub fn produce_error(&self, topic: &str) {
        self.with(|m| m.sinks.entry(topic.into()).or_default()[1] += 1);
    }

    /// Partitions currently assigned to a source (tests, logs).
    pub fn assigned_partitions(&self, source: &str) -> Vec<(String, i32)> {
        self.with(|m| {
            m.partitions
                .iter()
                .filter(|((s, _, _), c)| s == source && c.assigned)
                .map(|((_, t, p), _)| (t.clone(), *p))
                .collect()
        })
    }

    /// Appends the Prometheus text exposition (nothing when no Kafka component runs).
    pub fn render(&self, s: &mut String) {
        let m = self.with(|m| (m.partitions.clone(), m.sources.clone(), m.sinks.clone()));
        let (parts, sources, sinks) = m;
        if !parts.is_empty() || !sources.is_empty() {
            let fam: [Family; 3] = [
                (
                    "logscrubd_kafka_consumed_records_total",
                    "counter",
                    "Records read from a partition.",
                    |c| c.consumed as i64,
                ),
                (
                    "logscrubd_kafka_consumer_lag",
                    "gauge",
                    "Records between the consumer's position and the partition's end (-1: unknown).",
                    |c| c.lag,
                ),
                (
                    "logscrubd_kafka_assigned",
                    "gauge",
                    "1 while the partition is assigned to this member.",
                    |c| i64::from(c.assigned),
                ),
            ];
            for (name, kind, help, get) in fam {
                let _ = writeln!(s, "# HELP {name} {help}\n# TYPE {name} {kind}");
                for ((src, t, p), c) in &parts {
                    let _ = writeln!(
                        s,
                        "{name}{{source=\"{}\",topic=\"{}\",partition=\"{p}\"}} {}",
                        esc(src),
                        esc(t),
                        get(c)
                    );
                }
            }
            for (i, (name, help)) in [
                (
                    "logscrubd_kafka_commits_total",
                    "Offset commits of durable records.",
                ),
                (
                    "logscrubd_kafka_commit_failures_total",
                    "Offset commits the group refused or that failed.",
                ),
                (
                    "logscrubd_kafka_rebalances_total",
                    "Partition assignments and revocations.",
                ),
            ]
            .into_iter()
            .enumerate()
            {
                let _ = writeln!(s, "# HELP {name} {help}\n# TYPE {name} counter");
                for (src, c) in &sources {
                    let _ = writeln!(s, "{name}{{source=\"{}\"}} {}", esc(src), c[i]);
                }
            }
        }
        if !sinks.is_empty() {
            for (i, (name, help)) in [
                (
                    "logscrubd_kafka_produced_records_total",
                    "Records delivered to a topic (acks=all).",
                ),
                (
                    "logscrubd_kafka_produce_errors_total",
                    "Failed deliveries (each is produced again).",
                ),
            ]
            .into_iter()
            .enumerate()
            {
                let _ = writeln!(s, "# HELP {name} {help}\n# TYPE {name} counter");
                for (t, c) in &sinks {
                    let _ = writeln!(s, "{name}{{topic=\"{}\"}} {}", esc(t), c[i]);
                }
            }
        }
    }
}

fn esc(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}
