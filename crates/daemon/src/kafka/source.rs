//! The Kafka source: one member of a consumer group. Records are scrubbed by the engine (value in the engine
//! stream of its partition, key and header values as fields), put into batches with their keys and headers, and
//! sent to the writer; a partition's offset is committed only once the batches holding its records are durable
//! in every sink (the acknowledgement every source gets from the writer).
//!
//! Rebalances: before partitions are revoked, the records already read are sent, the batches in flight get
//! `rebalance_drain_ms` to become durable, and what is durable is committed synchronously. Whatever is not is
//! never committed by this member (its assignment epoch is gone), so the partition's new owner reads it again:
//! duplicates, never loss. A crash leaves at most the uncommitted window (`commit_interval_ms` plus the batches
//! in flight) to be read again.
//!
//! One thread polls, scrubs and commits, so the rebalance callback (run inside `poll`) sees a consistent state.
//! Nothing raw leaves this module: not into a batch, not into a log line or metric (they name topics and
//! partitions only).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use rdkafka::client::ClientContext;
use rdkafka::config::{ClientConfig, RDKafkaLogLevel};
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer, ConsumerContext, Rebalance};
use rdkafka::error::KafkaResult;
use rdkafka::message::{BorrowedMessage, Headers, Message};
use rdkafka::statistics::Statistics;
use rdkafka::{Offset, TopicPartitionList};
use tokio::sync::oneshot;

use super::{KafkaSourceConfig, ValueFormat};
use crate::app::DaemonError;
use crate::config::ConfigError;
use crate::metrics::Metrics;
use crate::pipeline::{BatchBuilder, KeyedRecord, NotPersisted, Queue};
use crate::scrub::ScrubHandle;
use crate::streams::StreamMap;

/// (topic, partition).
type Tp = (String, i32);

/// Engine streams kept per partition (producers inside one partition, for JSON values that name theirs).
const STREAMS_PER_PARTITION: usize = 16;

/// Batches sent to the writer and not yet answered, oldest first (the writer answers in order).
struct InFlight {
    ack: oneshot::Receiver<Result<(), NotPersisted>>,
    /// Partition, its assignment epoch when read, and the offset to commit once durable (last offset + 1).
    offsets: Vec<(Tp, u64, i64)>,
}

struct State {
    name: Arc<str>,
    metrics: Arc<Metrics>,
    kafka: super::metrics::KafkaMetrics,
    scrub: ScrubHandle,
    queue: Option<Queue>,
    format: ValueFormat,
    max_batch_records: usize,
    commit_interval: Duration,
    drain: Duration,
    builder: Option<BatchBuilder>,
    /// The reload generation of the builder's scrubber.
    generation: u64,
    keyed: Vec<KeyedRecord>,
    /// Offsets of the records in `builder`, by partition.
    pending: HashMap<Tp, (u64, i64)>,
    /// Records and raw bytes in `builder` (for the counters).
    consumed: HashMap<Tp, u64>,
    received_bytes: u64,
    since: Instant,
    /// Assignment epoch of each partition assigned now.
    epochs: HashMap<Tp, u64>,
    next_epoch: u64,
    streams: HashMap<Tp, Arc<Mutex<StreamMap>>>,
    inflight: VecDeque<InFlight>,
    /// Durable, not yet committed: partition -> offset to commit.
    done: HashMap<Tp, i64>,
    last_commit: Instant,
    /// The writer failed: nothing more can be persisted.
    failed: bool,
}

impl State {
    /// Scrubs one record into the current batch.
    fn add(&mut self, m: &BorrowedMessage<'_>) {
        let tp = (m.topic().to_string(), m.partition());
        let Some(&epoch) = self.epochs.get(&tp) else {
            // Fetched before a revocation took effect: it will be read again by the partition's owner.
            return;
        };
        if self.builder.as_ref().is_none_or(|b| b.is_empty()) {
            // A batch begins. The builder (and its engine scratch) is kept from batch to batch and replaced only
            // when a reload brought another scrubber.
            let (scrubber, generation) = self.scrub.current();
            if self.builder.is_none() || generation != self.generation {
                self.builder = Some(
                    BatchBuilder::new(self.name.clone(), scrubber, self.metrics.clone())
                        .generation(generation),
                );
                self.generation = generation;
            }
            self.since = Instant::now();
        }
        let streams = self
            .streams
            .entry(tp.clone())
            .or_insert_with(|| Arc::new(Mutex::new(StreamMap::new(STREAMS_PER_PARTITION))))
            .clone();
        let Some(b) = self.builder.as_mut() else {
            return;
        };
        let value = m.payload().unwrap_or_default();
        let before = b.records();
        if self.format == ValueFormat::Json && is_json_object(value) {
            // The HTTP source's JSON record path: valid JSON out, its text field in this partition's stream.
            if crate::source::http::scrub_body(b, &streams, "application/json", value).is_err() {
                scrub_text(b, &streams, value);
            }
        }
        if b.records() == before {
            scrub_text(b, &streams, value);
        }
        let key = m.key().map(|k| {
            let mut out = Vec::with_capacity(k.len());
            b.scrub_field_into("key", k, &mut out);
            out
        });
        let mut headers = Vec::new();
        if let Some(hs) = m.headers() {
            for h in hs.iter() {
                let v = h.value.map(|v| {
                    let mut out = Vec::with_capacity(v.len());
                    b.scrub_field_into(h.key, v, &mut out);
                    out
                });
                headers.push((h.key.to_string(), v));
            }
        }
        self.keyed.push(KeyedRecord {
            end: b.len(),
            key,
            headers,
        });
        self.received_bytes += value.len() as u64;
        *self.consumed.entry(tp.clone()).or_default() += 1;
        self.pending.insert(tp, (epoch, m.offset() + 1));
    }

    /// Sends the current batch to the writer (waits while the queue is full: backpressure).
    fn flush(&mut self) {
        let Some(b) = self.builder.as_mut() else {
            return;
        };
        if b.is_empty() {
            return;
        }
        // Counted per batch, not per record (the counters take a lock).
        self.metrics.received(
            &self.name,
            b.records(),
            std::mem::take(&mut self.received_bytes),
        );
        for ((t, p), n) in self.consumed.drain() {
            self.kafka.consumed(&self.name, &t, p, n);
        }
        let (tx, rx) = oneshot::channel();
        let mut batch = b.take(Some(tx));
        batch.keyed = std::mem::take(&mut self.keyed);
        let offsets = self
            .pending
            .drain()
            .map(|(tp, (epoch, next))| (tp, epoch, next))
            .collect();
        let sent = match &self.queue {
            Some(q) => q.blocking_send(batch).is_ok(),
            None => false,
        };
        if sent {
            self.inflight.push_back(InFlight { ack: rx, offsets });
        } else {
            self.failed = true;
        }
    }

    /// Takes the answers the writer has given, in order; durable offsets of partitions still assigned in the
    /// same epoch become committable.
    fn reap(&mut self) {
        while let Some(f) = self.inflight.front_mut() {
            match f.ack.try_recv() {
                Ok(Ok(())) => {
                    if let Some(f) = self.inflight.pop_front() {
                        for (tp, epoch, next) in f.offsets {
                            if self.epochs.get(&tp) == Some(&epoch) {
                                let e = self.done.entry(tp).or_insert(next);
                                *e = (*e).max(next);
                            }
                        }
                    }
                }
                Err(oneshot::error::TryRecvError::Empty) => break,
                Ok(Err(NotPersisted)) | Err(oneshot::error::TryRecvError::Closed) => {
                    self.failed = true;
                    self.inflight.pop_front();
                }
            }
        }
    }

    /// Commits the durable offsets (asynchronously unless `sync`), at most every `commit_interval`.
    fn commit(&mut self, c: &BaseConsumer<SourceContext>, sync: bool) {
        if self.done.is_empty() || (!sync && self.last_commit.elapsed() < self.commit_interval) {
            return;
        }
        let mut tpl = TopicPartitionList::new();
        for ((t, p), next) in self.done.drain() {
            if tpl
                .add_partition_offset(&t, p, Offset::Offset(next))
                .is_err()
            {
                continue;
            }
        }
        self.last_commit = Instant::now();
        let mode = if sync {
            CommitMode::Sync
        } else {
            CommitMode::Async
        };
        match c.commit(&tpl, mode) {
            Ok(()) => self.kafka.commit(&self.name, true),
            Err(e) => {
                // Not committed: the records are read again after a rebalance (duplicates, not loss).
                self.kafka.commit(&self.name, false);
                tracing::warn!(source = %self.name, error = %e, "offset commit failed");
            }
        }
    }

    /// Waits (bounded) until no batch in flight holds a record of `tps` (all when `None`).
    fn drain(&mut self, tps: Option<&[Tp]>, max: Duration) {
        let deadline = Instant::now() + max;
        loop {
            self.reap();
            let busy = self.inflight.iter().any(|f| {
                f.offsets
                    .iter()
                    .any(|(tp, _, _)| tps.is_none_or(|t| t.contains(tp)))
            });
            if !busy || self.failed || Instant::now() >= deadline {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

fn scrub_text(b: &mut BatchBuilder, streams: &Mutex<StreamMap>, value: &[u8]) {
    let mut out = Vec::with_capacity(value.len() + 1);
    b.scrub_record_in(streams, b"text", value, &mut out);
    out.push(b'\n');
    b.append_scrubbed(&out, 1);
}

fn is_json_object(v: &[u8]) -> bool {
    v.iter().find(|c| !c.is_ascii_whitespace()) == Some(&b'{')
        && serde_json::from_slice::<&serde_json::value::RawValue>(v).is_ok()
}

/// librdkafka's callbacks: rebalances, statistics (consumer lag), logs and errors.
pub struct SourceContext {
    state: Mutex<State>,
}

impl SourceContext {
    fn lock(&self) -> MutexGuard<'_, State> {
        match self.state.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        }
    }
}

impl ClientContext for SourceContext {
    fn log(&self, level: RDKafkaLogLevel, fac: &str, msg: &str) {
        log_rdkafka(level, fac, msg);
    }

    fn error(&self, error: rdkafka::error::KafkaError, reason: &str) {
        tracing::warn!(error = %error, reason, "kafka consumer");
    }

    fn stats(&self, s: Statistics) {
        let st = self.lock();
        for (t, topic) in &s.topics {
            for (p, part) in &topic.partitions {
                if *p >= 0 {
                    st.kafka.lag(&st.name, t, *p, part.consumer_lag);
                }
            }
        }
    }
}

impl ConsumerContext for SourceContext {
    fn pre_rebalance(&self, c: &BaseConsumer<Self>, r: &Rebalance<'_>) {
        let mut st = self.lock();
        st.kafka.rebalance(&st.name);
        match r {
            Rebalance::Revoke(tpl) => {
                let tps: Vec<Tp> = tpl
                    .elements()
                    .iter()
                    .map(|e| (e.topic().to_string(), e.partition()))
                    .collect();
                st.flush();
                let drain = st.drain;
                st.drain(Some(&tps), drain);
                st.commit(c, true);
                for tp in &tps {
                    st.epochs.remove(tp);
                    st.streams.remove(tp);
                    let (name, m) = (st.name.clone(), st.kafka.clone());
                    m.assigned(&name, &tp.0, tp.1, false);
                }
                tracing::info!(source = %st.name, partitions = tps.len(), "partitions revoked");
            }
            Rebalance::Assign(tpl) => {
                for e in tpl.elements() {
                    let tp = (e.topic().to_string(), e.partition());
                    let epoch = st.next_epoch;
                    st.next_epoch += 1;
                    let (name, m) = (st.name.clone(), st.kafka.clone());
                    m.assigned(&name, &tp.0, tp.1, true);
                    st.epochs.insert(tp, epoch);
                }
                tracing::info!(source = %st.name, partitions = tpl.count(), "partitions assigned");
            }
            Rebalance::Error(e) => {
                tracing::warn!(source = %st.name, error = %e, "rebalance error");
            }
        }
    }

    fn commit_callback(&self, result: KafkaResult<()>, _offsets: &TopicPartitionList) {
        if let Err(e) = result {
            // Runs on the polling thread, possibly inside a commit made with the state held: no lock here.
            tracing::warn!(error = %e, "offset commit refused");
        }
    }
}

/// Maps librdkafka's log lines (they never carry record data) to `tracing`.
pub(crate) fn log_rdkafka(level: RDKafkaLogLevel, fac: &str, msg: &str) {
    match level {
        RDKafkaLogLevel::Emerg
        | RDKafkaLogLevel::Alert
        | RDKafkaLogLevel::Critical
        | RDKafkaLogLevel::Error => tracing::error!(facility = fac, "librdkafka: {msg}"),
        RDKafkaLogLevel::Warning => tracing::warn!(facility = fac, "librdkafka: {msg}"),
        RDKafkaLogLevel::Notice | RDKafkaLogLevel::Info => {
            tracing::info!(facility = fac, "librdkafka: {msg}")
        }
        RDKafkaLogLevel::Debug => tracing::debug!(facility = fac, "librdkafka: {msg}"),
    }
}

/// Creates the consumer, subscribes, and starts the polling thread.
pub fn start(
    cfg: &KafkaSourceConfig,
    ctx: crate::source::Ctx,
    what: &str,
) -> Result<std::thread::JoinHandle<()>, DaemonError> {
    let props = super::options::consumer_properties(cfg, what)?;
    let mut cc = ClientConfig::new();
    for (k, v) in props {
        cc.set(k, v);
    }
    let state = State {
        name: ctx.name.clone(),
        metrics: ctx.metrics.clone(),
        kafka: super::metrics::KafkaMetrics::new(&ctx.metrics),
        scrub: ctx.scrub.clone(),
        queue: Some(ctx.queue.clone()),
        format: cfg.format,
        max_batch_records: ctx.max_batch_records,
        commit_interval: Duration::from_millis(cfg.commit_interval_ms),
        drain: Duration::from_millis(cfg.rebalance_drain_ms),
        builder: None,
        generation: 0,
        keyed: Vec::new(),
        pending: HashMap::new(),
        consumed: HashMap::new(),
        received_bytes: 0,
        since: Instant::now(),
        epochs: HashMap::new(),
        next_epoch: 0,
        streams: HashMap::new(),
        inflight: VecDeque::new(),
        done: HashMap::new(),
        last_commit: Instant::now(),
        failed: false,
    };
    let consumer: BaseConsumer<SourceContext> = cc
        .create_with_context(SourceContext {
            state: Mutex::new(state),
        })
        .map_err(|e| ConfigError::Invalid {
            field: what.to_string(),
            message: format!("cannot create the Kafka consumer: {e}"),
        })?;
    let topics: Vec<&str> = cfg.topics.iter().map(String::as_str).collect();
    consumer
        .subscribe(&topics)
        .map_err(|e| ConfigError::Invalid {
            field: format!("{what}.topics"),
            message: format!("cannot subscribe: {e}"),
        })?;
    let linger = Duration::from_millis(cfg.linger_ms);
    let sd = ctx.shutdown.clone();
    drop(ctx);
    std::thread::Builder::new()
        .name(format!("kafka-{what}"))
        .spawn(move || run(consumer, linger, sd))
        .map_err(|e| DaemonError::Setup {
            what: format!("{what}: thread"),
            source: e,
        })
}

fn run(c: BaseConsumer<SourceContext>, linger: Duration, sd: tokio::sync::watch::Receiver<bool>) {
    let poll = linger.min(Duration::from_millis(100));
    loop {
        if *sd.borrow() {
            break;
        }
        let m = c.poll(poll);
        let mut st = c.context().lock();
        let idle = match &m {
            Some(Ok(msg)) => {
                st.add(msg);
                false
            }
            Some(Err(e)) => {
                tracing::warn!(source = %st.name, error = %e, "kafka consume error");
                true
            }
            None => true,
        };
        drop(m);
        let full = st
            .builder
            .as_ref()
            .is_some_and(|b| b.records() as usize >= st.max_batch_records);
        if full || idle || st.since.elapsed() >= linger {
            st.flush();
        }
        st.reap();
        st.commit(&c, false);
        if st.failed {
            break;
        }
    }
    // Shutdown (or the writer failed): send what was read, let it become durable, commit it, leave the group.
    let stopping = *sd.borrow();
    {
        let mut st = c.context().lock();
        if !st.failed {
            st.flush();
            st.drain(None, Duration::from_secs(25));
        }
        st.commit(&c, true);
        st.epochs.clear();
        st.queue = None;
        if !stopping {
            tracing::error!(source = %st.name, "source stopped");
            st.metrics.source_stopped(&st.name);
        }
    }
    drop(c);
}
