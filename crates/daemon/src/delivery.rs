//! One batch on its way to the sinks that take it, and its aggregated acknowledgement (Vector's finalizers): the
//! batch is shared by every sink task it is routed to, each reports when it holds the batch durably, and the
//! source is acknowledged once the last of them has, never before. If any of them cannot take it, the source is
//! told [`NotPersisted`] at once (and retries: at-least-once).
//!
//! This module never looks into the batch's bytes; it only counts sinks and updates the persistence metrics.

use std::collections::BTreeMap;
use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering::AcqRel;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::metrics::Metrics;
use crate::pipeline::{Ack, Batch, NotPersisted};

/// A batch shared by the sink tasks that take it (it dereferences to the [`Batch`]).
pub struct Delivery {
    batch: Batch,
    /// Taken by whoever settles the delivery: the last sink to hold it (Ok), the first that cannot (Err), or
    /// `Drop` (the sender is dropped unanswered, which the source reads as not persisted).
    ack: Mutex<Option<Ack>>,
    remaining: AtomicUsize,
    settled: std::sync::atomic::AtomicBool,
    queued: Instant,
    metrics: Arc<Metrics>,
}

impl std::ops::Deref for Delivery {
    type Target = Batch;
    fn deref(&self) -> &Batch {
        &self.batch
    }
}

impl Delivery {
    /// A delivery of `batch` to `sinks` sinks; counted in `logscrubd_queue_depth` until it is settled. With no
    /// sink at all (no sink takes its source) it is acknowledged at once: there is nothing to wait for.
    pub fn new(mut batch: Batch, sinks: usize, metrics: Arc<Metrics>) -> Arc<Self> {
        let ack = batch.ack.take();
        metrics.queue_depth.inc();
        let d = Arc::new(Delivery {
            batch,
            ack: Mutex::new(ack),
            remaining: AtomicUsize::new(sinks),
            settled: Default::default(),
            queued: Instant::now(),
            metrics,
        });
        if sinks == 0 {
            d.settle(true);
        }
        d
    }

    /// One of the sinks that take this batch holds it durably; after the last one the source is acknowledged.
    pub fn sink_done(&self) {
        if self.remaining.fetch_sub(1, AcqRel) == 1 {
            self.settle(true);
        }
    }

    /// A sink cannot take this batch (it failed, or its task is gone): the source is told now.
    pub fn fail(&self) {
        self.settle(false);
    }

    /// Whether the source was already answered with a failure (sinks may skip writing it).
    pub fn failed(&self) -> bool {
        self.settled.load(std::sync::atomic::Ordering::Acquire)
            && self.remaining.load(std::sync::atomic::Ordering::Acquire) > 0
    }

    fn settle(&self, ok: bool) {
        if self.settled.swap(true, AcqRel) {
            return;
        }
        let m = &self.metrics;
        m.queue_depth.dec();
        let ack = match self.ack.lock() {
            Ok(mut g) => g.take(),
            Err(p) => p.into_inner().take(),
        };
        if !ok {
            if let Some(a) = ack {
                let _ = a.send(Err(NotPersisted));
            }
            return;
        }
        let b = &self.batch;
        m.persisted_records.inc_by(b.records);
        m.persisted_bytes.inc_by(b.data.len() as u64);
        if !b.findings.is_empty() {
            let mut by_rule: BTreeMap<(String, String), u64> = BTreeMap::new();
            for (r, _) in &b.findings {
                let info = b.scrubber.rule(*r);
                *by_rule
                    .entry((info.id.clone(), info.class.clone()))
                    .or_default() += 1;
            }
            m.add_findings(&by_rule);
        }
        m.commit_seconds
            .observe(self.queued.elapsed().as_secs_f64());
        if let Some(a) = ack {
            // Counted before the answer goes out, so that a client reading /metrics after its 200 sees it.
            if !a.is_closed() {
                m.acknowledged_records.inc_by(b.records);
            }
            let _ = a.send(Ok(()));
        }
    }
}

impl Drop for Delivery {
    fn drop(&mut self) {
        // Never sent anywhere, or dropped by a sink task that stopped: the source learns it was not persisted.
        self.settle(false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(ack: Ack) -> Batch {
        let s = logscrub_engine::Scrubber::default_rules().unwrap();
        let mut b = crate::pipeline::BatchBuilder::new(Arc::from("t"), s, Arc::default());
        b.push_line(b"one");
        b.take(Some(ack))
    }

    #[test]
    fn acknowledged_after_the_last_sink_only() {
        let m = Arc::new(Metrics::default());
        let (tx, mut rx) = tokio::sync::oneshot::channel();
        let d = Delivery::new(batch(tx), 3, m.clone());
        d.sink_done();
        d.sink_done();
        assert!(
            rx.try_recv().is_err(),
            "acknowledged before every sink had it"
        );
        d.sink_done();
        assert!(matches!(rx.try_recv(), Ok(Ok(()))));
        assert!(m
            .render()
            .contains("logscrubd_acknowledged_records_total 1"));
        assert!(m.render().contains("logscrubd_queue_depth 0"));
    }

    #[test]
    fn one_failing_sink_answers_not_persisted_at_once() {
        let m = Arc::new(Metrics::default());
        let (tx, mut rx) = tokio::sync::oneshot::channel();
        let d = Delivery::new(batch(tx), 2, m.clone());
        d.fail();
        assert!(d.failed());
        assert!(matches!(rx.try_recv(), Ok(Err(NotPersisted))));
        d.sink_done();
        d.sink_done();
        assert!(m
            .render()
            .contains("logscrubd_acknowledged_records_total 0"));
        assert!(m.render().contains("logscrubd_persisted_records_total 0"));
    }

    #[test]
    fn dropped_unsettled_is_not_persisted() {
        let m = Arc::new(Metrics::default());
        let (tx, mut rx) = tokio::sync::oneshot::channel();
        drop(Delivery::new(batch(tx), 1, m.clone()));
        assert!(matches!(rx.try_recv(), Ok(Err(NotPersisted))));
        assert!(m.render().contains("logscrubd_queue_depth 0"));
    }
}
