//! The sink tasks: one thread per sink (and one for the findings log), each with its own bounded lane of
//! [`Delivery`]s from the [`Queue`]. A task takes what is waiting in its lane (up to `max_group_batches`), writes
//! it, syncs once (group commit) and reports each batch done; the batch's source is acknowledged when every sink
//! that takes it has reported (see [`crate::delivery`]). So a forward that waits for its receiver holds back only
//! the batches routed to it, while the file sink keeps writing and syncing.
//!
//! A full file system (ENOSPC, EDQUOT) is waited out per sink: what the sink wrote of the group is rolled back
//! and the group is written again every 500 ms, nothing of it is acknowledged meanwhile, and
//! `logscrubd_storage_full` is 1 while any sink waits. Any other error is fatal: the batches of that sink are
//! answered [`crate::pipeline::NotPersisted`] and the error is returned, which stops the daemon.
//!
//! Sinks only see scrubbed bytes; nothing here reads or logs them.

use std::sync::atomic::AtomicUsize;
use std::sync::atomic::Ordering::{AcqRel, Relaxed};
use std::sync::Arc;
use std::time::Duration;

use prometheus_client::metrics::gauge::Gauge;
use tokio::sync::{mpsc, oneshot};

use crate::delivery::Delivery;
use crate::metrics::Metrics;
use crate::pipeline::{Lane, Queue, WriterError};
use crate::sink::Sink;

/// One sink to run in its own task.
pub struct SinkTask {
    /// The metrics label (`file_0`, `http_1`, `findings`), also the thread's name.
    pub label: String,
    /// The sources it takes (empty: all).
    pub inputs: Vec<String>,
    /// The sink itself.
    pub sink: Box<dyn Sink>,
    /// Batches waiting for it (`logscrubd_sink_queue_depth`).
    pub depth: Gauge,
}

/// The outcome of the writer: `Ok` once every sink task drained its lane and closed its sink (every [`Queue`]
/// clone is gone), the first fatal sink error otherwise.
pub type Outcome = oneshot::Receiver<Result<(), WriterError>>;

/// Starts one thread per sink, each reading a lane of `capacity` batches. Returns the queue the sources send to
/// and the writer's outcome.
pub fn start(
    sinks: Vec<SinkTask>,
    metrics: Arc<Metrics>,
    capacity: usize,
    max_group: usize,
    rt: tokio::runtime::Handle,
) -> std::io::Result<(Queue, Outcome)> {
    let (done_tx, done_rx) = std::sync::mpsc::channel::<Result<(), WriterError>>();
    let full = Arc::new(FullSinks::default());
    let mut lanes = Vec::new();
    let n = sinks.len();
    metrics.ready.store(true, Relaxed);
    for t in sinks {
        let (tx, rx) = mpsc::channel(capacity.max(1));
        lanes.push(Lane {
            inputs: t.inputs,
            tx,
            depth: t.depth.clone(),
        });
        let task = LaneTask {
            rx,
            sink: t.sink,
            depth: t.depth,
            max_group: max_group.max(1),
            metrics: metrics.clone(),
            full: full.clone(),
            rt: rt.clone(),
        };
        let done = done_tx.clone();
        std::thread::Builder::new()
            .name(format!("sink-{}", t.label))
            .spawn(move || {
                let _ = done.send(task.run());
            })?;
    }
    drop(done_tx);
    let (out_tx, out_rx) = oneshot::channel();
    {
        let metrics = metrics.clone();
        std::thread::Builder::new()
            .name("writer".into())
            .spawn(move || {
                let mut r = Ok(());
                for _ in 0..n {
                    match done_rx.recv() {
                        Ok(Ok(())) => {}
                        Ok(Err(e)) => {
                            r = Err(e);
                            break;
                        }
                        Err(_) => break,
                    }
                }
                metrics.ready.store(false, Relaxed);
                let _ = out_tx.send(r);
            })?;
    }
    Ok((Queue::lanes(lanes, metrics), out_rx))
}

/// How many sink tasks are waiting for space (drives `logscrubd_storage_full` and readiness).
#[derive(Default)]
struct FullSinks(AtomicUsize);

impl FullSinks {
    fn enter(&self, m: &Metrics, e: &WriterError) {
        if self.0.fetch_add(1, AcqRel) == 0 {
            m.storage_full.store(true, Relaxed);
            m.storage_full_events.inc();
            m.ready.store(false, Relaxed);
            tracing::error!(error = %e, "storage full: not acknowledging until space returns");
        }
    }

    fn leave(&self, m: &Metrics) {
        if self.0.fetch_sub(1, AcqRel) == 1 {
            m.storage_full.store(false, Relaxed);
            m.ready.store(true, Relaxed);
            tracing::info!("storage writable again: acknowledging");
        }
    }
}

struct LaneTask {
    rx: mpsc::Receiver<Arc<Delivery>>,
    sink: Box<dyn Sink>,
    depth: Gauge,
    max_group: usize,
    metrics: Arc<Metrics>,
    full: Arc<FullSinks>,
    rt: tokio::runtime::Handle,
}

impl LaneTask {
    fn run(mut self) -> Result<(), WriterError> {
        let mut group: Vec<Arc<Delivery>> = Vec::new();
        loop {
            let first = self.rt.block_on(async {
                tokio::time::timeout(Duration::from_millis(500), self.rx.recv()).await
            });
            match first {
                Err(_) => {
                    if let Err(e) = self.sink.tick() {
                        return Err(self.stop(group, e));
                    }
                    continue;
                }
                Ok(None) => break,
                Ok(Some(d)) => group.push(d),
            }
            while group.len() < self.max_group {
                match self.rx.try_recv() {
                    Ok(d) => group.push(d),
                    Err(_) => break,
                }
            }
            self.depth.dec_by(group.len() as i64);
            let mut waiting = false;
            loop {
                match self.commit(&group) {
                    Ok(()) => break,
                    Err(e) if is_storage_full(&e) => {
                        // Nothing of this group is acknowledged; what was written is rolled back and the group
                        // is written again until space returns. Its sources wait (their lanes fill), HTTP answers
                        // 503, health keeps being served.
                        if !waiting {
                            waiting = true;
                            self.full.enter(&self.metrics, &e);
                        }
                        let _ = self.sink.rollback();
                        std::thread::sleep(Duration::from_millis(500));
                    }
                    Err(e) => {
                        if waiting {
                            self.full.leave(&self.metrics);
                        }
                        return Err(self.stop(group, e));
                    }
                }
            }
            if waiting {
                self.full.leave(&self.metrics);
            }
            for d in group.drain(..) {
                d.sink_done();
            }
        }
        self.sink.close()
    }

    fn commit(&mut self, group: &[Arc<Delivery>]) -> Result<(), WriterError> {
        for d in group {
            if !d.failed() {
                self.sink.write_batch(d)?;
            }
        }
        if self.sink.sync()? {
            self.metrics.fsyncs.inc();
        }
        Ok(())
    }

    /// A fatal error: this sink's batches (the group and all still in its lane) are answered not persisted.
    fn stop(&mut self, group: Vec<Arc<Delivery>>, e: WriterError) -> WriterError {
        self.metrics.ready.store(false, Relaxed);
        for d in group {
            d.fail();
        }
        self.rx.close();
        while let Ok(d) = self.rx.try_recv() {
            self.depth.dec();
            d.fail();
        }
        e
    }
}

/// ENOSPC or EDQUOT: the file system is full, which can end without the daemon doing anything.
fn is_storage_full(e: &WriterError) -> bool {
    matches!(
        e.source.raw_os_error(),
        Some(libc::ENOSPC) | Some(libc::EDQUOT)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::BatchBuilder;
    use std::sync::Mutex;

    /// Records what it was given; `sync` fails when `fail`, or blocks while `hold` is locked.
    #[derive(Clone, Default)]
    struct Probe {
        written: Arc<Mutex<Vec<u8>>>,
        hold: Arc<Mutex<()>>,
        fail: bool,
    }
    impl Sink for Probe {
        fn write(&mut self, d: &[u8]) -> Result<(), WriterError> {
            self.written.lock().unwrap().extend_from_slice(d);
            Ok(())
        }
        fn sync(&mut self) -> Result<bool, WriterError> {
            let _g = self.hold.lock().unwrap();
            if self.fail {
                return Err(WriterError {
                    what: "test sink".into(),
                    source: std::io::Error::other("disk broken"),
                });
            }
            Ok(false)
        }
        fn tick(&mut self) -> Result<(), WriterError> {
            Ok(())
        }
        fn close(&mut self) -> Result<(), WriterError> {
            Ok(())
        }
    }

    fn task(label: &str, inputs: &[&str], p: &Probe) -> SinkTask {
        SinkTask {
            label: label.into(),
            inputs: inputs.iter().map(|s| s.to_string()).collect(),
            sink: Box::new(p.clone()),
            depth: Gauge::default(),
        }
    }

    fn batch(source: &str, line: &[u8], metrics: &Arc<Metrics>) -> crate::pipeline::Batch {
        let s = logscrub_engine::Scrubber::default_rules().unwrap();
        let mut b = BatchBuilder::new(Arc::from(source), s, metrics.clone());
        b.push_line(line);
        b.take(None)
    }

    fn rt() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap()
    }

    #[test]
    fn a_stalled_sink_holds_back_only_its_own_sources() {
        let rt = rt();
        let metrics = Arc::new(Metrics::default());
        let (file, slow) = (Probe::default(), Probe::default());
        let stall = slow.hold.lock().unwrap();
        let (q, _outcome) = start(
            vec![task("file", &[], &file), task("slow", &["b"], &slow)],
            metrics.clone(),
            4,
            8,
            rt.handle().clone(),
        )
        .unwrap();
        rt.block_on(async {
            let both = tokio::spawn({
                let (q, b) = (q.clone(), batch("b", b"to both", &metrics));
                async move { q.send_and_wait(b).await }
            });
            // "a" goes to the file sink only: acknowledged although the slow sink is stuck in its sync.
            let a = batch("a", b"to file only", &metrics);
            tokio::time::timeout(Duration::from_secs(10), q.send_and_wait(a))
                .await
                .expect("a stalled sink held back another source")
                .unwrap();
            let got = String::from_utf8(file.written.lock().unwrap().clone()).unwrap();
            assert!(got.contains("to both\n"), "{got}");
            assert!(got.contains("to file only\n"), "{got}");
            // "b" waits for the slow sink too.
            tokio::time::sleep(Duration::from_millis(200)).await;
            assert!(!both.is_finished(), "acknowledged before every sink had it");
            drop(stall);
            both.await.unwrap().unwrap();
        });
        assert_eq!(slow.written.lock().unwrap().as_slice(), b"to both\n");
    }

    #[test]
    fn a_fatal_sink_error_answers_not_persisted_and_is_the_outcome() {
        let rt = rt();
        let metrics = Arc::new(Metrics::default());
        let bad = Probe {
            fail: true,
            ..Probe::default()
        };
        let (q, outcome) = start(
            vec![task("bad", &[], &bad)],
            metrics.clone(),
            4,
            8,
            rt.handle().clone(),
        )
        .unwrap();
        let r = rt.block_on(q.send_and_wait(batch("a", b"x", &metrics)));
        assert!(r.is_err());
        drop(q);
        let e = rt.block_on(outcome).unwrap().unwrap_err();
        assert!(e.to_string().contains("disk broken"), "{e}");
        assert!(!metrics.ready.load(Relaxed));
    }

    #[test]
    fn the_outcome_is_ok_once_every_queue_is_gone() {
        let rt = rt();
        let metrics = Arc::new(Metrics::default());
        let p = Probe::default();
        let (q, outcome) = start(
            vec![task("a", &[], &p), task("b", &[], &p)],
            metrics.clone(),
            4,
            8,
            rt.handle().clone(),
        )
        .unwrap();
        rt.block_on(q.send_and_wait(batch("s", b"x", &metrics)))
            .unwrap();
        assert_eq!(p.written.lock().unwrap().as_slice(), b"x\nx\n");
        drop(q);
        rt.block_on(outcome).unwrap().unwrap();
    }
}
