//! Per-producer engine streams: one engine line stream per connection, syslog sender, HTTP container or OTLP
//! resource, so that a multi-line block (a PEM private key) that a shipper forwards one line per record is seen
//! as the block it is. journald, rsyslog, Docker's json-file driver and the OpenTelemetry SDKs all send
//! multi-line output this way.
//!
//! [`RecordStream`] is the daemon's seam over the engine's stream API: sources hand it whole records (or the
//! parts of an over-long one) and get scrubbed bytes and findings back. Only this module knows that it is built
//! on [`LineStream`] push/finish, so that it can move to the engine's record API without touching the sources.
//!
//! It never keeps raw bytes beyond what the engine's stream keeps pending, never logs them, and the keys of
//! [`StreamMap`] (sender names, container ids) live in memory only.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use logscrub_engine::{
    LineStream, Record, RecordFinding, RecordOutcome, RuleRef, Scratch, Scrubber,
};

/// Most streams one [`StreamMap`] keeps; the least recently used is dropped beyond it (a dropped stream only
/// forgets an open block, it never loses bytes: every record pushed was complete).
pub const DEFAULT_MAX_STREAMS: usize = 256;

/// The engine state of one producer. Records must be pushed in the order the producer sent them.
pub struct RecordStream {
    stream: LineStream,
    /// Inside an over-long record ([`RecordStream::part`] called, [`RecordStream::end`] not yet).
    open: bool,
}

impl RecordStream {
    /// A stream on `scrubber`.
    pub fn new(scrubber: &Scrubber) -> Self {
        RecordStream {
            stream: scrubber.stream().collect_findings(true),
            open: false,
        }
    }

    /// Scrubs one whole record (it may hold line breaks of its own) into `out`, without a terminator, and
    /// appends its findings (rule and the engine's keyed hash).
    pub fn record(&mut self, rec: &[u8], out: &mut Vec<u8>, findings: &mut Vec<(RuleRef, u64)>) {
        if self.open {
            // A record never continues a part: close the previous one first (defensive; callers do).
            self.end(out, findings);
            out.push(b'\n');
        }
        let start = out.len();
        self.stream.push(rec, out);
        self.stream.push(b"\n", out);
        if out.len() > start && out.last() == Some(&b'\n') {
            out.pop();
        }
        self.collect(findings);
    }

    /// Scrubs the next part of an over-long record: whatever the engine completed so far is appended to `out`;
    /// the engine keeps an overlap pending so that a value crossing the cut is scanned whole.
    pub fn part(&mut self, part: &[u8], out: &mut Vec<u8>, findings: &mut Vec<(RuleRef, u64)>) {
        self.open = true;
        self.stream.push(part, out);
        self.collect(findings);
    }

    /// Ends an over-long record begun with [`RecordStream::part`] (no terminator appended).
    pub fn end(&mut self, out: &mut Vec<u8>, findings: &mut Vec<(RuleRef, u64)>) {
        self.open = false;
        let start = out.len();
        self.stream.push(b"\n", out);
        if out.len() > start && out.last() == Some(&b'\n') {
            out.pop();
        }
        self.collect(findings);
    }

    /// Scrubs a structured record (an OTLP log record, a JSON body) through the engine's record API, its free
    /// text (the body, `log`/`message`) continuing this producer's stream. Producers that send structured records
    /// never send over-long parts; should one arrive inside a part anyway, the part is ended first and its last
    /// scrubbed bytes are appended to `flushed`.
    pub fn scrub_record(
        &mut self,
        scrubber: &Scrubber,
        record: &mut dyn Record,
        scratch: &mut Scratch,
        findings: &mut Vec<RecordFinding>,
        flushed: &mut Vec<u8>,
    ) -> RecordOutcome {
        if self.open {
            let mut f = Vec::new();
            self.end(flushed, &mut f);
            findings.extend(f.into_iter().map(|(rule, hash)| RecordFinding {
                path: String::new(),
                finding: logscrub_engine::Finding {
                    rule,
                    start: 0,
                    end: 0,
                    hash,
                },
            }));
        }
        scrubber.scrub_record_streamed(record, scratch, &mut self.stream, findings)
    }

    fn collect(&mut self, findings: &mut Vec<(RuleRef, u64)>) {
        findings.extend(
            self.stream
                .take_findings()
                .into_iter()
                .map(|f| (f.finding.rule, f.finding.hash)),
        );
    }
}

/// (last use, generation, stream).
type Entry = (u64, u64, Arc<Mutex<RecordStream>>);

/// Streams by producer key, bounded: the least recently used one is dropped beyond the limit.
pub struct StreamMap {
    /// Key -> (last use, generation, stream). The generation is kept here so that a lookup never waits for a
    /// stream that another task is using.
    map: HashMap<Vec<u8>, Entry>,
    tick: u64,
    max: usize,
}

impl Default for StreamMap {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_STREAMS)
    }
}

impl StreamMap {
    /// At most `max` streams (at least 1).
    pub fn new(max: usize) -> Self {
        StreamMap {
            map: HashMap::new(),
            tick: 0,
            max: max.max(1),
        }
    }

    /// Streams held.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// None held.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The stream of `key`, made with `scrubber` when there is none or when it belongs to another generation
    /// (a reload happened: the rules in force change at a record boundary).
    pub fn get(
        &mut self,
        key: &[u8],
        scrubber: &Scrubber,
        generation: u64,
    ) -> Arc<Mutex<RecordStream>> {
        self.tick += 1;
        let tick = self.tick;
        if let Some((used, g, s)) = self.map.get_mut(key) {
            *used = tick;
            if *g != generation {
                *g = generation;
                *s = Arc::new(Mutex::new(RecordStream::new(scrubber)));
            }
            return s.clone();
        }
        if self.map.len() >= self.max {
            if let Some(oldest) = self
                .map
                .iter()
                .min_by_key(|(_, (used, _, _))| *used)
                .map(|(k, _)| k.clone())
            {
                self.map.remove(&oldest);
            }
        }
        let s = Arc::new(Mutex::new(RecordStream::new(scrubber)));
        self.map.insert(key.to_vec(), (tick, generation, s.clone()));
        s
    }
}

/// A [`StreamMap`] shared by the tasks of one source (HTTP requests run concurrently). The map is locked only
/// to look a stream up; each stream has its own lock, held for one record.
pub type SharedStreams = Arc<Mutex<StreamMap>>;

/// Runs `f` on the stream of `key` in `streams`.
pub fn with_stream<T>(
    streams: &Mutex<StreamMap>,
    key: &[u8],
    scrubber: &Scrubber,
    generation: u64,
    f: impl FnOnce(&mut RecordStream) -> T,
) -> T {
    let s = match streams.lock() {
        Ok(mut m) => m.get(key, scrubber, generation),
        Err(p) => p.into_inner().get(key, scrubber, generation),
    };
    let mut g = match s.lock() {
        Ok(g) => g,
        Err(p) => p.into_inner(),
    };
    f(&mut g)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) const KEY_LINES: &[&str] = &[
        "-----BEGIN RSA PRIVATE KEY-----",
        "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun",
        "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK",
        "-----END RSA PRIVATE KEY-----",
    ];

    #[test]
    fn a_key_sent_one_line_per_record_is_redacted() {
        let s = Scrubber::default_rules().unwrap();
        let mut st = RecordStream::new(&s);
        let mut f = Vec::new();
        let mut outs = Vec::new();
        for l in KEY_LINES {
            let mut out = Vec::new();
            st.record(l.as_bytes(), &mut out, &mut f);
            outs.push(String::from_utf8(out).unwrap());
        }
        assert_eq!(outs[0], KEY_LINES[0]);
        assert_eq!(outs[1], "[REDACTED:private_key]");
        assert_eq!(outs[2], "[REDACTED:private_key]");
        assert_eq!(outs[3], KEY_LINES[3]);
    }

    #[test]
    fn records_keep_their_bytes_and_parts_join() {
        let s = Scrubber::default_rules().unwrap();
        let mut st = RecordStream::new(&s);
        let (mut out, mut f) = (Vec::new(), Vec::new());
        st.record(b"a\r", &mut out, &mut f);
        assert_eq!(out, b"a\r");
        out.clear();
        st.part(b"card 4111 11", &mut out, &mut f);
        st.part(b"11 1111 1111 ok", &mut out, &mut f);
        st.end(&mut out, &mut f);
        assert_eq!(out, b"card [REDACTED:credit_card] ok");
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn the_map_is_bounded_and_follows_generations() {
        let s = Scrubber::default_rules().unwrap();
        let mut m = StreamMap::new(2);
        let a = m.get(b"a", &s, 0);
        m.get(b"b", &s, 0);
        assert!(Arc::ptr_eq(&a, &m.get(b"a", &s, 0)));
        m.get(b"c", &s, 0);
        assert_eq!(m.len(), 2);
        // `b` was the least recently used.
        assert!(Arc::ptr_eq(&a, &m.get(b"a", &s, 0)));
        assert!(!Arc::ptr_eq(&a, &m.get(b"a", &s, 1)));
    }
}
