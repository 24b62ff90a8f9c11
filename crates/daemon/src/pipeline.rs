//! The path from a source to durable storage: sources scrub records into a [`Batch`] (with [`BatchBuilder`]) and
//! send it through the [`Queue`], which puts it into the bounded lane of every sink that takes its source. Each
//! sink runs in its own task ([`crate::writer`]): it writes groups of batches, syncs them (group commit), and
//! reports; a batch is acknowledged once every sink that takes it holds it durably ([`crate::delivery`]).
//!
//! Raw bytes exist only in memory, inside a source, until the engine has rewritten them: a [`Batch`] holds
//! scrubbed bytes only. The sinks never see a raw value, and nothing here formats log bytes into messages.

use std::sync::Arc;

use logscrub_engine::{
    Finding, LineStream, Record, RecordFinding, RecordOutcome, RuleRef, Scratch, Scrubber,
};
use tokio::sync::{mpsc, oneshot};

use crate::delivery::Delivery;
use crate::metrics::Metrics;
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

/// The sending half of the queue: one bounded channel per sink task (a lane), and which sources each takes.
/// A batch is sent to every lane whose sink takes its source (Vector's fanout); a full lane holds back only the
/// sources routed to it, so a slow sink never stalls the sinks of other sources.
#[derive(Clone)]
pub struct Queue {
    lanes: Arc<[Lane]>,
    metrics: Arc<Metrics>,
}

/// One sink task's channel and the sources its sink takes (empty: all).
pub struct Lane {
    /// Source names (the sink's `inputs`); empty takes every source.
    pub inputs: Vec<String>,
    /// The channel to the sink's task.
    pub tx: mpsc::Sender<Arc<Delivery>>,
    /// Batches waiting in this lane (`logscrubd_sink_queue_depth`).
    pub depth: prometheus_client::metrics::gauge::Gauge,
}

impl Lane {
    fn takes(&self, source: &str) -> bool {
        self.inputs.is_empty() || self.inputs.iter().any(|i| i == source)
    }
}

impl Queue {
    /// One lane that takes every source (tests, a single consumer).
    pub fn new(tx: mpsc::Sender<Arc<Delivery>>, metrics: Arc<Metrics>) -> Self {
        Self::lanes(
            vec![Lane {
                inputs: Vec::new(),
                tx,
                depth: Default::default(),
            }],
            metrics,
        )
    }

    /// A queue over these lanes (see [`crate::writer::start`]).
    pub fn lanes(lanes: Vec<Lane>, metrics: Arc<Metrics>) -> Self {
        Queue {
            lanes: lanes.into(),
            metrics,
        }
    }

    fn targets<'a>(&'a self, source: &'a str) -> impl Iterator<Item = &'a Lane> + 'a {
        self.lanes.iter().filter(move |l| l.takes(source))
    }

    fn delivery(&self, b: Batch) -> Arc<Delivery> {
        let n = self.targets(&b.source).count();
        Delivery::new(b, n, self.metrics.clone())
    }

    /// Sends, waiting while a lane it goes to is full (backpressure for pull sources). Lanes are filled one
    /// after the other, so a lane that has room gets the batch while a slower one is still full.
    pub async fn send(&self, b: Batch) -> Result<(), NotPersisted> {
        let d = self.delivery(b);
        for l in self.targets(&d.source) {
            l.depth.inc();
            if l.tx.send(d.clone()).await.is_err() {
                l.depth.dec();
                d.fail();
                return Err(NotPersisted);
            }
        }
        Ok(())
    }

    /// Sends from a blocking thread (not a runtime thread).
    pub fn blocking_send(&self, b: Batch) -> Result<(), NotPersisted> {
        let d = self.delivery(b);
        for l in self.targets(&d.source) {
            l.depth.inc();
            if l.tx.blocking_send(d.clone()).is_err() {
                l.depth.dec();
                d.fail();
                return Err(NotPersisted);
            }
        }
        Ok(())
    }

    /// Sends without waiting, to every lane or to none; gives the batch back when a lane is full or closed.
    pub fn try_send(&self, b: Batch) -> Result<(), Box<Batch>> {
        let source = b.source.clone();
        let mut permits = Vec::new();
        for l in self.targets(&source) {
            match l.tx.try_reserve() {
                Ok(p) => permits.push((p, l)),
                Err(_) => return Err(Box::new(b)),
            }
        }
        let d = Delivery::new(b, permits.len(), self.metrics.clone());
        for (p, l) in permits {
            l.depth.inc();
            p.send(d.clone());
        }
        Ok(())
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
