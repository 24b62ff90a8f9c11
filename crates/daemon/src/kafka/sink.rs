//! The Kafka sink: an idempotent producer with `acks=all`. `write_batch` hands every record (with its key and
//! headers, so that partition order holds) to librdkafka; `sync` waits for the delivery report of each one, and
//! a record whose delivery failed is produced again after a pause, so the writer (and with it every source)
//! waits instead of dropping: the batch is acknowledged upstream only once all its records are in the topic.
//!
//! Records of sources without keys are the lines of the batch. This sink only ever sees scrubbed bytes and
//! never logs them: errors name the topic and librdkafka's error.

use std::sync::atomic::{AtomicU64, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rdkafka::client::ClientContext;
use rdkafka::config::{ClientConfig, RDKafkaLogLevel};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::{DeliveryResult, Header, Message, OwnedHeaders, OwnedMessage};
use rdkafka::producer::{BaseProducer, BaseRecord, Producer, ProducerContext};

use super::metrics::KafkaMetrics;
use super::KafkaSinkConfig;
use crate::app::DaemonError;
use crate::config::ConfigError;
use crate::metrics::Metrics;
use crate::pipeline::{Batch, WriterError};
use crate::sink::Sink;

/// Delivery reports, shared with librdkafka's callback.
#[derive(Default)]
struct Deliveries {
    /// Records handed to librdkafka and not yet reported.
    outstanding: AtomicU64,
    /// Records whose delivery failed (to be produced again), with how many attempts they had.
    failed: Mutex<Vec<(OwnedMessage, u32)>>,
    /// Delivered since the last [`KafkaSink::sync`].
    delivered: AtomicU64,
}

/// The producer's callbacks.
pub struct SinkContext {
    deliveries: Arc<Deliveries>,
    kafka: KafkaMetrics,
    topic: String,
}

impl ClientContext for SinkContext {
    fn log(&self, level: RDKafkaLogLevel, fac: &str, msg: &str) {
        super::source::log_rdkafka(level, fac, msg);
    }
    fn error(&self, error: KafkaError, reason: &str) {
        tracing::warn!(topic = %self.topic, error = %error, reason, "kafka producer");
    }
}

impl ProducerContext for SinkContext {
    /// The attempt number of the record.
    type DeliveryOpaque = Box<u32>;

    fn delivery(&self, r: &DeliveryResult<'_>, attempt: Box<u32>) {
        match r {
            Ok(_) => {
                self.deliveries.delivered.fetch_add(1, SeqCst);
            }
            Err((e, m)) => {
                self.kafka.produce_error(&self.topic);
                tracing::warn!(topic = %self.topic, error = %e, attempt = *attempt, "delivery failed; producing the record again");
                let mut g = match self.deliveries.failed.lock() {
                    Ok(g) => g,
                    Err(p) => p.into_inner(),
                };
                g.push((m.detach(), *attempt));
            }
        }
        self.deliveries.outstanding.fetch_sub(1, SeqCst);
    }
}

/// `type = "kafka"` sink.
pub struct KafkaSink {
    producer: BaseProducer<SinkContext>,
    deliveries: Arc<Deliveries>,
    kafka: KafkaMetrics,
    topic: String,
    what: String,
    max_retries: u32,
    /// `logscrubd_sink_retries_total{sink}`: records produced again after a failed delivery.
    retries: prometheus_client::metrics::counter::Counter,
}

impl KafkaSink {
    /// Creates the producer (it connects in the background).
    pub fn open(
        cfg: &KafkaSinkConfig,
        metrics: Arc<Metrics>,
        stats: &crate::metrics::SinkStats,
        what: &str,
    ) -> Result<Self, DaemonError> {
        let props = super::options::producer_properties(cfg, what)?;
        let mut cc = ClientConfig::new();
        for (k, v) in props {
            cc.set(k, v);
        }
        let deliveries = Arc::new(Deliveries::default());
        let producer = cc
            .create_with_context(SinkContext {
                deliveries: deliveries.clone(),
                kafka: KafkaMetrics::new(&metrics),
                topic: cfg.topic.clone(),
            })
            .map_err(|e| ConfigError::Invalid {
                field: what.to_string(),
                message: format!("cannot create the Kafka producer: {e}"),
            })?;
        Ok(KafkaSink {
            producer,
            deliveries,
            kafka: KafkaMetrics::new(&metrics),
            topic: cfg.topic.clone(),
            what: format!("{what} (kafka topic {})", cfg.topic),
            max_retries: cfg.max_retries,
            retries: stats.retries.clone(),
        })
    }

    fn fail(&self, e: impl std::fmt::Display) -> WriterError {
        WriterError {
            what: self.what.clone(),
            source: std::io::Error::other(e.to_string()),
        }
    }

    /// Hands one record to librdkafka, waiting while its queue is full (backpressure).
    fn produce(
        &self,
        key: Option<&[u8]>,
        value: &[u8],
        headers: Option<OwnedHeaders>,
        attempt: u32,
    ) -> Result<(), WriterError> {
        let mut rec = BaseRecord::with_opaque_to(&self.topic, Box::new(attempt)).payload(value);
        if let Some(k) = key {
            rec = rec.key(k);
        }
        if let Some(h) = headers {
            rec = rec.headers(h);
        }
        loop {
            match self.producer.send(rec) {
                Ok(()) => {
                    self.deliveries.outstanding.fetch_add(1, SeqCst);
                    return Ok(());
                }
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), r)) => {
                    rec = r;
                    self.producer.poll(Duration::from_millis(50));
                }
                Err((e, _)) => return Err(self.fail(e)),
            }
        }
    }
}

fn owned_headers(h: &[(String, Option<Vec<u8>>)]) -> Option<OwnedHeaders> {
    if h.is_empty() {
        return None;
    }
    let mut o = OwnedHeaders::new_with_capacity(h.len());
    for (k, v) in h {
        o = o.insert(Header {
            key: k,
            value: v.as_ref(),
        });
    }
    Some(o)
}

impl Sink for KafkaSink {
    fn write(&mut self, data: &[u8]) -> Result<(), WriterError> {
        for line in data.split_inclusive(|&c| c == b'\n') {
            let line = line.strip_suffix(b"\n").unwrap_or(line);
            self.produce(None, line, None, 1)?;
        }
        Ok(())
    }

    fn write_batch(&mut self, b: &Batch) -> Result<(), WriterError> {
        if b.keyed.is_empty() {
            return self.write(&b.data);
        }
        let mut start = 0;
        for r in &b.keyed {
            let end = r.end.min(b.data.len()).max(start);
            let rec = &b.data[start..end];
            let value = rec.strip_suffix(b"\n").unwrap_or(rec);
            self.produce(r.key.as_deref(), value, owned_headers(&r.headers), 1)?;
            start = end;
        }
        Ok(())
    }

    /// Waits until every record handed over is delivered; failed ones are produced again (with a pause that
    /// grows to 5 s) until delivered, or until `max_retries` attempts when it is set.
    fn sync(&mut self) -> Result<bool, WriterError> {
        let mut pause = Duration::from_millis(100);
        let mut last_log = Instant::now();
        loop {
            self.producer.poll(Duration::from_millis(20));
            if let Some(e) = self.producer.client().fatal_error() {
                return Err(self.fail(format!("fatal producer error: {e:?}")));
            }
            if self.deliveries.outstanding.load(SeqCst) > 0 {
                if last_log.elapsed() > Duration::from_secs(30) {
                    tracing::warn!(topic = %self.topic, outstanding = self.deliveries.outstanding.load(SeqCst), "waiting for delivery reports");
                    last_log = Instant::now();
                }
                continue;
            }
            let failed = {
                let mut g = match self.deliveries.failed.lock() {
                    Ok(g) => g,
                    Err(p) => p.into_inner(),
                };
                std::mem::take(&mut *g)
            };
            if failed.is_empty() {
                break;
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_secs(5));
            for (m, attempt) in failed {
                if self.max_retries > 0 && attempt >= self.max_retries {
                    return Err(self.fail(format!(
                        "a record was not delivered after {attempt} attempts (max_retries)"
                    )));
                }
                let headers = m.headers().map(|h| h.as_borrowed().detach());
                let value = m.payload().unwrap_or_default();
                self.retries.inc();
                self.produce(m.key(), value, headers, attempt + 1)?;
            }
        }
        let n = self.deliveries.delivered.swap(0, SeqCst);
        if n > 0 {
            self.kafka.produced(&self.topic, n);
        }
        Ok(false)
    }

    fn tick(&mut self) -> Result<(), WriterError> {
        self.producer.poll(Duration::ZERO);
        Ok(())
    }

    fn close(&mut self) -> Result<(), WriterError> {
        self.sync()?;
        self.producer
            .flush(Duration::from_secs(30))
            .map_err(|e| self.fail(e))
    }
}
