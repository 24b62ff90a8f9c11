//! The path from a source to durable storage: sources scrub records into a [`Batch`] (with [`BatchBuilder`]),
//! send it over a bounded queue, and the single writer thread ([`run_writer`]) writes groups of batches to every
//! sink, syncs them (group commit), appends the findings log, and only then acknowledges each batch.
//!
//! Raw bytes exist only in memory, inside a source, until the engine has rewritten them: a [`Batch`] holds
//! scrubbed bytes only. The writer never sees a raw value, and nothing here formats log bytes into messages.

use std::collections::BTreeMap;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;
use std::time::Duration;

use logscrub_engine::{
    Finding, LineStream, Record, RecordFinding, RecordOutcome, RuleRef, Scratch, Scrubber,
};
use tokio::sync::{mpsc, oneshot};

use crate::findings::FindingsLog;
use crate::metrics::Metrics;
use crate::sink::Sink;
use crate::streams::{with_stream, StreamMap};

/// Why a batch was not persisted (the writer failed; the daemon is exiting).
#[derive(Debug, Clone, Copy, thiserror::Error)]
#[error("the writer failed; the batch was not persisted")]
pub struct NotPersisted;

/// The acknowledgement a source waits for.
pub type Ack = oneshot::Sender<Result<(), NotPersisted>>;

/// Scrubbed records of one source, ready to persist.
pub struct Batch {
    /// Source name.
    pub source: Arc<str>,
    /// Scrubbed records, each ending with `\n`.
    pub data: Vec<u8>,
    /// How many records.
    pub records: u64,
    /// Findings (rule and keyed hash; never the value).
    pub findings: Vec<(RuleRef, u64)>,
    /// The scrubber that produced the findings (to name their rules).
    pub scrubber: Scrubber,
    /// Signalled once the batch is durable in every sink.
    pub ack: Option<Ack>,
    /// Record boundaries, keys and headers (already scrubbed) of a keyed source (Kafka); empty for the others,
    /// whose records are the lines of `data`.
    pub keyed: Vec<KeyedRecord>,
}

/// One record of a keyed source: where it ends in [`Batch::data`] (after its `\n`), its key and its headers.
/// Key and header values are scrubbed by the engine before they are put here.
#[derive(Debug, Clone, Default)]
pub struct KeyedRecord {
    /// Offset in `data` just past this record's terminating `\n`.
    pub end: usize,
    /// The record key.
    pub key: Option<Vec<u8>>,
    /// Header names and values.
    pub headers: Vec<(String, Option<Vec<u8>>)>,
}

/// Accumulates scrubbed records for one source.
pub struct BatchBuilder {
    source: Arc<str>,
    scrubber: Scrubber,
    /// Made at the first line scrubbed here: an engine scratch holds a regex cache per rule (over a MiB with the
    /// default pack), and a connection that never sends a line should not cost that.
    scratch: Option<Scratch>,
    stream: Option<LineStream>,
    data: Vec<u8>,
    records: u64,
    findings: Vec<(RuleRef, u64)>,
    tmp: Vec<Finding>,
    record_findings: Vec<RecordFinding>,
    metrics: Arc<Metrics>,
    generation: u64,
}

impl BatchBuilder {
    /// A builder with the scrubber in force now.
    pub fn new(source: Arc<str>, scrubber: Scrubber, metrics: Arc<Metrics>) -> Self {
        BatchBuilder {
            scratch: None,
            source,
            scrubber,
            stream: None,
            data: Vec::new(),
            records: 0,
            findings: Vec::new(),
            tmp: Vec::new(),
            record_findings: Vec::new(),
            metrics,
            generation: 0,
        }
    }

    /// Which reload generation the scrubber is (see [`crate::scrub::ScrubHandle::current`]).
    pub fn generation(mut self, generation: u64) -> Self {
        self.generation = generation;
        self
    }

    /// Scrubs one whole record of producer `key` with that producer's stream in `streams` (so a block spread
    /// over records is found) into `out`, without a terminator, recording findings in this batch.
    pub fn scrub_record_in(
        &mut self,
        streams: &std::sync::Mutex<StreamMap>,
        key: &[u8],
        record: &[u8],
        out: &mut Vec<u8>,
    ) {
        let findings = &mut self.findings;
        with_stream(streams, key, &self.scrubber, self.generation, |s| {
            s.record(record, out, findings)
        });
    }

    /// Like [`BatchBuilder::scrub_record_in`] for one part of an over-long record (`last`: the record ends with
    /// it). The engine keeps an overlap between parts, so a value crossing a cut is scanned whole.
    pub fn scrub_part_in(
        &mut self,
        streams: &std::sync::Mutex<StreamMap>,
        key: &[u8],
        part: &[u8],
        last: bool,
        out: &mut Vec<u8>,
    ) {
        let findings = &mut self.findings;
        with_stream(streams, key, &self.scrubber, self.generation, |s| {
            s.part(part, out, findings);
            if last {
                s.end(out, findings);
            }
        });
    }

    /// Scrubs every value of a structured record in place through the engine's record API (each value with its
    /// key path as context), recording findings in this batch. The caller encodes the record and adds it.
    pub fn scrub_record(&mut self, record: &mut dyn Record) -> RecordOutcome {
        self.record_findings.clear();
        let scratch = self.scratch.get_or_insert_with(|| self.scrubber.scratch());
        let o = self
            .scrubber
            .scrub_record(record, scratch, &mut self.record_findings);
        self.take_record_findings();
        o
    }

    /// Like [`BatchBuilder::scrub_record`], with the record's free text (an OTLP body, a JSON record's `log`)
    /// continuing the stream of producer `key` in `streams`, so that a block spread over records is found.
    /// Bytes of an over-long part that the producer's stream still held are appended to `flushed`.
    pub fn scrub_record_streamed(
        &mut self,
        streams: &std::sync::Mutex<StreamMap>,
        key: &[u8],
        record: &mut dyn Record,
        flushed: &mut Vec<u8>,
    ) -> RecordOutcome {
        self.record_findings.clear();
        let (scrubber, scratch, found) = (
            &self.scrubber,
            self.scratch.get_or_insert_with(|| self.scrubber.scratch()),
            &mut self.record_findings,
        );
        let o = with_stream(streams, key, scrubber, self.generation, |s| {
            s.scrub_record(scrubber, record, scratch, found, flushed)
        });
        self.take_record_findings();
        o
    }

    fn take_record_findings(&mut self) {
        self.findings.extend(
            self.record_findings
                .drain(..)
                .map(|f| (f.finding.rule, f.finding.hash)),
        );
    }

    /// Adds one record that was scrubbed already (with [`BatchBuilder::scrub_record`]), terminated with `\n`.
    pub fn push_scrubbed_record(&mut self, record: &[u8]) {
        self.data.extend_from_slice(record);
        self.data.push(b'\n');
        self.records += 1;
    }

    /// The scrubber this builder uses.
    pub fn scrubber(&self) -> &Scrubber {
        &self.scrubber
    }

    /// Records currently held.
    pub fn records(&self) -> u64 {
        self.records
    }

    /// Scrubbed bytes currently held.
    pub fn len(&self) -> usize {
        self.data.len()
    }

    /// Nothing held.
    pub fn is_empty(&self) -> bool {
        self.records == 0 && self.data.is_empty()
    }

    fn stream(&mut self) -> &mut LineStream {
        let sc = &self.scrubber;
        self.stream
            .get_or_insert_with(|| sc.stream().collect_findings(true))
    }

    /// Feeds raw newline-delimited bytes; complete lines are scrubbed (multi-line private keys and over-long
    /// lines are handled by the engine's line stream). Returns the number of lines completed.
    pub fn push_stream(&mut self, raw: &[u8]) -> u64 {
        let mut out = std::mem::take(&mut self.data);
        let s = self.stream();
        let before = s.stats().lines;
        s.push(raw, &mut out);
        let n = s.stats().lines - before;
        let lf = s.take_findings();
        self.data = out;
        self.findings
            .extend(lf.into_iter().map(|f| (f.finding.rule, f.finding.hash)));
        self.records += n;
        n
    }

    /// Ends the stream: a final line without terminator is scrubbed and terminated.
    pub fn finish_stream(&mut self) -> u64 {
        let Some(mut s) = self.stream.take() else {
            return 0;
        };
        let before = s.stats().lines;
        let had = self.data.len();
        s.finish(&mut self.data);
        let n = s.stats().lines - before;
        if self.data.len() > had && self.data.last() != Some(&b'\n') {
            self.data.push(b'\n');
        }
        self.findings.extend(
            s.take_findings()
                .into_iter()
                .map(|f| (f.finding.rule, f.finding.hash)),
        );
        self.records += n;
        n
    }

    /// Scrubs one record that is a single line (no terminator) and adds it with `\n`.
    pub fn push_line(&mut self, line: &[u8]) {
        self.tmp.clear();
        self.scrubber.scrub_line_findings(
            line,
            &mut self.data,
            self.scratch.get_or_insert_with(|| self.scrubber.scratch()),
            &mut self.tmp,
        );
        self.data.push(b'\n');
        self.findings
            .extend(self.tmp.iter().map(|f| (f.rule, f.hash)));
        self.records += 1;
    }

    /// Scrubs one record that may span several lines (a syslog message with embedded newlines, a multi-line
    /// text body) and adds it with a final `\n`.
    pub fn push_record(&mut self, record: &[u8]) {
        if memchr_nl(record).is_none() {
            self.push_line(record);
            return;
        }
        let mut s = self.scrubber.stream().collect_findings(true);
        s.push(record, &mut self.data);
        s.finish(&mut self.data);
        if self.data.last() != Some(&b'\n') {
            self.data.push(b'\n');
        }
        self.findings.extend(
            s.take_findings()
                .into_iter()
                .map(|f| (f.finding.rule, f.finding.hash)),
        );
        self.records += 1;
    }

    /// Appends already-scrubbed bytes produced by a caller using [`BatchBuilder::scrub_into`] and friends.
    pub fn append_scrubbed(&mut self, bytes: &[u8], records: u64) {
        self.data.extend_from_slice(bytes);
        self.records += records;
    }

    /// Scrubs a line into `out` (no terminator), recording findings in this batch.
    pub fn scrub_into(&mut self, line: &[u8], out: &mut Vec<u8>) {
        self.tmp.clear();
        self.scrubber.scrub_line_findings(
            line,
            out,
            self.scratch.get_or_insert_with(|| self.scrubber.scratch()),
            &mut self.tmp,
        );
        self.findings
            .extend(self.tmp.iter().map(|f| (f.rule, f.hash)));
    }

    /// Scrubs text that may span several lines into `out` (no terminator added), recording findings. Lines
    /// are scrubbed by the engine's line stream, so a private key spread over lines is found.
    pub fn scrub_text_into(&mut self, text: &[u8], out: &mut Vec<u8>) {
        if memchr_nl(text).is_none() {
            self.scrub_into(text, out);
            return;
        }
        let mut s = self.scrubber.stream().collect_findings(true);
        s.push(text, out);
        s.finish(out);
        self.findings.extend(
            s.take_findings()
                .into_iter()
                .map(|f| (f.finding.rule, f.finding.hash)),
        );
    }

    /// Scrubs a structured field's value with its key as context into `out`, recording findings.
    pub fn scrub_field_into(&mut self, key: &str, value: &[u8], out: &mut Vec<u8>) {
        self.tmp.clear();
        self.scrubber.scan_field(
            key,
            value,
            self.scratch.get_or_insert_with(|| self.scrubber.scratch()),
            &mut self.tmp,
        );
        if self.tmp.is_empty() {
            out.extend_from_slice(value);
        } else {
            self.scrubber.scrub_field(
                key,
                value,
                out,
                self.scratch.get_or_insert_with(|| self.scrubber.scratch()),
            );
            self.findings
                .extend(self.tmp.iter().map(|f| (f.rule, f.hash)));
        }
    }

    /// Takes the batch accumulated so far (lines still pending in the stream stay for the next batch).
    pub fn take(&mut self, ack: Option<Ack>) -> Batch {
        self.metrics.scrubbed_records.inc_by(self.records);
        let b = Batch {
            source: self.source.clone(),
            data: std::mem::take(&mut self.data),
            records: self.records,
            findings: std::mem::take(&mut self.findings),
            scrubber: self.scrubber.clone(),
            ack,
            keyed: Vec::new(),
        };
        self.records = 0;
        b
    }
}

fn memchr_nl(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'\n')
}

/// The sending half of the queue, with the metrics it updates.
#[derive(Clone)]
pub struct Queue {
    tx: mpsc::Sender<Batch>,
    metrics: Arc<Metrics>,
}

impl Queue {
    /// Wraps a sender.
    pub fn new(tx: mpsc::Sender<Batch>, metrics: Arc<Metrics>) -> Self {
        Queue { tx, metrics }
    }

    /// Sends, waiting while the queue is full (backpressure for pull sources).
    pub async fn send(&self, b: Batch) -> Result<(), NotPersisted> {
        self.metrics.queue_depth.inc();
        self.tx.send(b).await.map_err(|_| {
            self.metrics.queue_depth.dec();
            NotPersisted
        })
    }

    /// Sends from a blocking thread.
    pub fn blocking_send(&self, b: Batch) -> Result<(), NotPersisted> {
        self.metrics.queue_depth.inc();
        self.tx.blocking_send(b).map_err(|_| {
            self.metrics.queue_depth.dec();
            NotPersisted
        })
    }

    /// Sends without waiting; gives the batch back when the queue is full or closed.
    pub fn try_send(&self, b: Batch) -> Result<(), Box<Batch>> {
        self.metrics.queue_depth.inc();
        self.tx.try_send(b).map_err(|e| {
            self.metrics.queue_depth.dec();
            Box::new(match e {
                mpsc::error::TrySendError::Full(b) | mpsc::error::TrySendError::Closed(b) => b,
            })
        })
    }

    /// Sends a batch and waits until it is durable.
    pub async fn send_and_wait(&self, mut b: Batch) -> Result<(), NotPersisted> {
        let (tx, rx) = oneshot::channel();
        b.ack = Some(tx);
        self.send(b).await?;
        rx.await.map_err(|_| NotPersisted)?
    }
}

/// A fatal writer error: the daemon stops accepting and exits non-zero.
#[derive(Debug, thiserror::Error)]
#[error("{what}: {source}")]
pub struct WriterError {
    /// What was being done (a sink and path).
    pub what: String,
    /// The I/O error.
    pub source: std::io::Error,
}

/// The writer loop: group commit of batches to every sink, then findings, then acknowledgements. Runs on its own
/// thread until every sender is gone and the queue is empty, or until an I/O error (returned; every batch not
/// yet durable is answered [`NotPersisted`]).
pub fn run_writer(
    mut rx: mpsc::Receiver<Batch>,
    mut sinks: Vec<Box<dyn Sink>>,
    mut findings: Option<FindingsLog>,
    metrics: Arc<Metrics>,
    max_group: usize,
    rt: tokio::runtime::Handle,
) -> Result<(), WriterError> {
    metrics.ready.store(true, Relaxed);
    let res = (|| {
        let mut group: Vec<Batch> = Vec::new();
        loop {
            let first = rt.block_on(async {
                tokio::time::timeout(Duration::from_millis(500), rx.recv()).await
            });
            match first {
                Err(_) => {
                    for s in &mut sinks {
                        s.tick()?;
                    }
                    continue;
                }
                Ok(None) => break,
                Ok(Some(b)) => group.push(b),
            }
            while group.len() < max_group {
                match rx.try_recv() {
                    Ok(b) => group.push(b),
                    Err(_) => break,
                }
            }
            metrics.queue_depth.dec_by(group.len() as i64);
            let mut progress = Progress::default();
            loop {
                match commit(
                    &mut group,
                    &mut sinks,
                    findings.as_mut(),
                    &metrics,
                    &mut progress,
                ) {
                    Ok(()) => break,
                    Err(e) if is_storage_full(&e) => {
                        // Disk full: nothing of this group is acknowledged; what was written is rolled back, the
                        // group is kept and retried until space returns. Sources wait (the queue fills), HTTP
                        // answers 503, health keeps being served.
                        if !metrics.storage_full.swap(true, Relaxed) {
                            metrics.storage_full_events.inc();
                            tracing::error!(error = %e, "storage full: not acknowledging until space returns");
                        }
                        metrics.ready.store(false, Relaxed);
                        for (s, done) in sinks.iter_mut().zip(&progress.sinks_done) {
                            if !done {
                                let _ = s.rollback();
                            }
                        }
                        if let Some(f) = findings.as_mut() {
                            let _ = f.reopen();
                        }
                        std::thread::sleep(Duration::from_millis(500));
                    }
                    Err(e) => {
                        for b in group.drain(..) {
                            if let Some(a) = b.ack {
                                let _ = a.send(Err(NotPersisted));
                            }
                        }
                        return Err(e);
                    }
                }
            }
            if metrics.storage_full.swap(false, Relaxed) {
                tracing::info!("storage writable again: acknowledging");
                metrics.ready.store(true, Relaxed);
            }
        }
        for s in &mut sinks {
            s.close()?;
        }
        Ok(())
    })();
    metrics.ready.store(false, Relaxed);
    if res.is_err() {
        rx.close();
        while let Ok(b) = rx.try_recv() {
            if let Some(a) = b.ack {
                let _ = a.send(Err(NotPersisted));
            }
        }
    }
    res
}

/// ENOSPC or EDQUOT: the file system is full, which can end without the daemon doing anything.
fn is_storage_full(e: &WriterError) -> bool {
    matches!(
        e.source.raw_os_error(),
        Some(libc::ENOSPC) | Some(libc::EDQUOT)
    )
}

/// How far the commit of one group got, so that a retry after a full disk does not write a step twice.
#[derive(Default)]
struct Progress {
    /// Sinks that have the group, written and synced.
    sinks_done: Vec<bool>,
    findings_done: bool,
}

fn commit(
    group: &mut Vec<Batch>,
    sinks: &mut [Box<dyn Sink>],
    findings: Option<&mut FindingsLog>,
    metrics: &Metrics,
    progress: &mut Progress,
) -> Result<(), WriterError> {
    let started = std::time::Instant::now();
    progress.sinks_done.resize(sinks.len(), false);
    for (s, done) in sinks.iter_mut().zip(progress.sinks_done.iter_mut()) {
        if *done {
            continue;
        }
        for b in group.iter() {
            if s.accepts(&b.source) {
                s.write_batch(b)?;
            }
        }
        if s.sync()? {
            metrics.fsyncs.inc();
        }
        *done = true;
    }
    let mut by_rule: BTreeMap<(String, String), u64> = BTreeMap::new();
    if let Some(f) = findings.filter(|_| !progress.findings_done) {
        for b in group.iter() {
            f.append(&b.source, &b.scrubber, &b.findings)?;
        }
        f.sync()?;
        progress.findings_done = true;
    }
    for b in group.iter() {
        for (r, _) in &b.findings {
            let info = b.scrubber.rule(*r);
            *by_rule
                .entry((info.id.clone(), info.class.clone()))
                .or_default() += 1;
        }
    }
    metrics.add_findings(&by_rule);
    metrics
        .commit_seconds
        .observe(started.elapsed().as_secs_f64());
    for b in group.drain(..) {
        metrics.persisted_records.inc_by(b.records);
        metrics.persisted_bytes.inc_by(b.data.len() as u64);
        if let Some(a) = b.ack {
            // Counted before the answer goes out, so that a client reading /metrics after its 200 sees it.
            if !a.is_closed() {
                metrics.acknowledged_records.inc_by(b.records);
            }
            let _ = a.send(Ok(()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Failing;
    impl Sink for Failing {
        fn write(&mut self, _: &[u8]) -> Result<(), WriterError> {
            Ok(())
        }
        fn sync(&mut self) -> Result<bool, WriterError> {
            Err(WriterError {
                what: "test sink".into(),
                source: std::io::Error::other("disk full"),
            })
        }
        fn tick(&mut self) -> Result<(), WriterError> {
            Ok(())
        }
        fn close(&mut self) -> Result<(), WriterError> {
            Ok(())
        }
    }

    #[test]
    fn sync_failure_answers_not_persisted_and_stops_the_writer() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let metrics = Arc::new(Metrics::default());
        let (tx, rx) = mpsc::channel(4);
        let q = Queue::new(tx, metrics.clone());
        let s = Scrubber::default_rules().unwrap();
        let mut b = BatchBuilder::new(Arc::from("t"), s, metrics.clone());
        b.push_line(b"a");
        let (atx, arx) = oneshot::channel();
        q.try_send(b.take(Some(atx))).map_err(|_| ()).unwrap();
        let h = rt.handle().clone();
        let w = std::thread::spawn(move || {
            run_writer(rx, vec![Box::new(Failing)], None, metrics, 8, h)
        });
        let ack = rt.block_on(arx).unwrap();
        assert!(ack.is_err());
        let r = w.join().unwrap();
        assert!(r.unwrap_err().to_string().contains("disk full"));
        drop(q);
    }
}
