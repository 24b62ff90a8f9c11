//! Kafka series, registered by name through [`crate::metrics::Metrics`] (kept in this one place): consumer lag
//! and assignment per partition, consumed records, offset commits, rebalances, produced records and produce
//! errors.
//!
//! Labels are source names, topic names and partition numbers only; never a key, a value or a header.

use crate::metrics::{labels, CounterFamily, GaugeFamily, Metrics};

/// The Kafka families (cheap to clone; every clone updates the same series).
#[derive(Clone)]
pub struct KafkaMetrics {
    consumed: CounterFamily,
    lag: GaugeFamily,
    assigned: GaugeFamily,
    commits: CounterFamily,
    commit_failures: CounterFamily,
    rebalances: CounterFamily,
    produced: CounterFamily,
    produce_errors: CounterFamily,
}

fn part(source: &str, topic: &str, partition: i32) -> crate::metrics::Labels {
    labels(&[
        ("source", source),
        ("topic", topic),
        ("partition", &partition.to_string()),
    ])
}

impl KafkaMetrics {
    /// Registers (once per process) and returns the families.
    pub fn new(m: &Metrics) -> Self {
        KafkaMetrics {
            consumed: m.counter("kafka_consumed_records", "Records read from a partition."),
            lag: m.gauge(
                "kafka_consumer_lag",
                "Records between the committed offset and the partition's end (-1: unknown), from librdkafka's statistics.",
            ),
            assigned: m.gauge(
                "kafka_assigned",
                "1 while the partition is assigned to this member.",
            ),
            commits: m.counter(
                "kafka_commits",
                "Offset commits of durable records (requests made).",
            ),
            commit_failures: m.counter(
                "kafka_commit_failures",
                "Offset commits that failed (their records are read again: duplicates, not loss).",
            ),
            rebalances: m.counter(
                "kafka_rebalances",
                "Partition assignments and revocations.",
            ),
            produced: m.counter(
                "kafka_produced_records",
                "Records delivered to a topic (acks=all).",
            ),
            produce_errors: m.counter(
                "kafka_produce_errors",
                "Failed deliveries (each record is produced again).",
            ),
        }
    }

    /// Records read from a partition.
    pub fn consumed(&self, source: &str, topic: &str, partition: i32, n: u64) {
        self.consumed
            .get_or_create(&part(source, topic, partition))
            .inc_by(n);
    }

    /// A partition was assigned to (true) or revoked from (false) this member.
    pub fn assigned(&self, source: &str, topic: &str, partition: i32, yes: bool) {
        let l = part(source, topic, partition);
        self.assigned.get_or_create(&l).set(i64::from(yes));
        if !yes {
            self.lag.get_or_create(&l).set(-1);
        }
    }

    /// The consumer lag of a partition assigned to this member.
    pub fn lag(&self, source: &str, topic: &str, partition: i32, lag: i64) {
        let l = part(source, topic, partition);
        if self.assigned.get_or_create(&l).get() == 1 {
            self.lag.get_or_create(&l).set(lag);
        }
    }

    /// An offset commit (ok or failed).
    pub fn commit(&self, source: &str, ok: bool) {
        let f = if ok {
            &self.commits
        } else {
            &self.commit_failures
        };
        f.get_or_create(&labels(&[("source", source)])).inc();
    }

    /// A rebalance (assignment or revocation) seen by a source.
    pub fn rebalance(&self, source: &str) {
        self.rebalances
            .get_or_create(&labels(&[("source", source)]))
            .inc();
    }

    /// Records delivered to a sink topic.
    pub fn produced(&self, topic: &str, n: u64) {
        self.produced
            .get_or_create(&labels(&[("topic", topic)]))
            .inc_by(n);
    }

    /// A failed delivery (the record is produced again).
    pub fn produce_error(&self, topic: &str) {
        self.produce_errors
            .get_or_create(&labels(&[("topic", topic)]))
            .inc();
    }
}
