//! The non-blocking writer loses nothing by default, and counts what it drops when told to drop.

mod common;

use std::io;
use std::sync::{Arc, Condvar, Mutex};

use common::*;
use logscrub_tracing::{fmt_layer, NonBlocking, NonBlockingBuilder, Scrubber};
use tracing_subscriber::prelude::*;

/// A writer that blocks until the gate is opened, then appends to a shared buffer.
#[derive(Clone)]
struct Gated {
    open: Arc<(Mutex<bool>, Condvar)>,
    buf: Buf,
}

impl Gated {
    fn new() -> Self {
        Gated {
            open: Arc::new((Mutex::new(false), Condvar::new())),
            buf: Buf::default(),
        }
    }
    fn open(&self) {
        *self.open.0.lock().unwrap() = true;
        self.open.1.notify_all();
    }
}

impl io::Write for Gated {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        let mut open = self.open.0.lock().unwrap();
        while !*open {
            open = self.open.1.wait(open).unwrap();
        }
        drop(open);
        self.buf.write(b)
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn log_through(writer: NonBlocking, events: usize) {
    let layer = fmt_layer(Scrubber::default_rules().unwrap())
        .without_time()
        .with_ansi(false)
        .with_writer(writer);
    tracing::subscriber::with_default(tracing_subscriber::registry().with(layer), || {
        for i in 0..events {
            tracing::info!(i, password = "Sup3rS3cret!", "event");
        }
    });
}

#[test]
fn by_default_a_full_queue_blocks_and_nothing_is_lost() {
    let gated = Gated::new();
    let (writer, guard) = NonBlockingBuilder::default()
        .capacity(2)
        .finish(gated.clone())
        .unwrap();
    let w = writer.clone();
    // 50 events through a queue of 2 with the writer stalled: the producer has to wait for the worker.
    let producer = std::thread::spawn(move || log_through(w, 50));
    // It cannot have finished: at most 3 events fit (queue + the one stalled in the worker).
    assert!(!producer.is_finished());
    gated.open();
    producer.join().unwrap();
    drop(guard);
    let out = gated.buf.text();
    assert_eq!(out.lines().count(), 50);
    assert_eq!(writer.dropped(), 0);
    assert_no_secret(&out);
    assert!(out
        .lines()
        .all(|l| l.ends_with("password=\"[REDACTED:password]\"")));
}

#[test]
fn lossy_mode_drops_when_full_and_counts_every_drop() {
    let gated = Gated::new();
    let (writer, guard) = NonBlockingBuilder::default()
        .capacity(1)
        .lossy(true)
        .finish(gated.clone())
        .unwrap();
    // The worker holds at most one event (stalled in write) and the queue one more: the rest are dropped.
    log_through(writer.clone(), 20);
    gated.open();
    drop(guard);
    let written = gated.buf.text().lines().count() as u64;
    assert!(writer.dropped() >= 18, "dropped {}", writer.dropped());
    assert_eq!(written + writer.dropped(), 20);
}

#[test]
fn writing_after_the_worker_stopped_is_an_error_and_counted() {
    let buf = Buf::default();
    let (mut writer, guard) = NonBlocking::new(buf.clone()).unwrap();
    drop(guard);
    assert!(io::Write::write(&mut writer, b"late\n").is_err());
    assert_eq!(writer.dropped(), 1);
}
