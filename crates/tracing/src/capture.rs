//! Field capture and rebuild: the one place where tracing values meet the engine.
//!
//! A `tracing` event cannot be changed in place, and a layer cannot change it for its siblings
//! (tokio-rs/tracing#1349). What a formatter, or a subscriber standing in front of the layers, *can* do is decide
//! which values it hands on. So every value of an event (or of a span's fields, or of a record) is first rendered
//! to text exactly as a formatter would render it, the texts of one event go through the engine's record API as
//! one record ([`Scrubber::scrub_record`], each value under its field's name as its path, so the name is its
//! context), and a new event (or `Attributes`, or `Record`) is built over the same static metadata
//! from the scrubbed texts. The formatters rebuild only when the engine found something; the scrubbing subscriber
//! always does, so that no layer renders an original value itself. Values keep their kind when nothing was found
//! in them (a `u64` stays a number for the JSON formatter); a value with a finding becomes text, which is why a
//! scrubbed card number logged as `u64` comes out as a JSON *string*.
//!
//! Nothing here decides what is sensitive: every byte goes through the engine.

use std::cell::{Cell, RefCell};
use std::error::Error as StdError;
use std::fmt::{self, Write as _};
use std::sync::atomic::{AtomicU64, Ordering};

use logscrub_engine::{PathSegment, Record, RecordFinding, RecordVisitor, Scratch, Scrubber};
use tracing_core::callsite::Callsite;
use tracing_core::field::{display, DisplayValue, Field, FieldSet, Value, ValueSet, Visit};
use tracing_core::subscriber::Interest;
use tracing_core::{identify_callsite, metadata, Event, Level, Metadata};

/// How many error sources we follow; a longer chain is cut (the cut part is not printed at all).
const MAX_SOURCES: usize = 64;

/// How many per-scrubber states (scratch + memo) one thread keeps (one per scrubber in use on that thread).
const MAX_STATES_PER_THREAD: usize = 4;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

thread_local! {
    /// Scratch buffers (and the memo) are tied to one compiled scrubber; keyed by [`Core::id`] so that two layers
    /// with different rules on one thread never share one.
    static STATE: RefCell<Vec<(u64, State)>> = const { RefCell::new(Vec::new()) };
    /// A reusable capture buffer, taken out while in use so that an event logged from inside a `Debug` impl
    /// (re-entrancy) simply gets a fresh one instead of a `RefCell` panic.
    static CAPTURE: Cell<Option<Box<Capture>>> = const { Cell::new(None) };
    /// The id of the core whose event formatter is running on this thread (0: none). The event was scrubbed as a
    /// whole already, so the field formatter of the same core passes its fields through instead of scanning them
    /// twice.
    static IN_EVENT: Cell<u64> = const { Cell::new(0) };
}

/// The shared state of one scrubbing layer: the compiled scrubber and an id for the thread-local caches.
#[derive(Clone, Debug)]
pub(crate) struct Core {
    pub(crate) scrubber: Scrubber,
    pub(crate) id: u64,
    /// How error values are handed on.
    pub(crate) errors: ErrorForm,
}

/// How a rebuilt value set carries an error value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum ErrorForm {
    /// As an error (`record_error`), with its source chain, for visitors that walk the chain themselves (the text
    /// formatters, tracing-opentelemetry).
    #[default]
    Error,
    /// As one text, `error: source: source ...` (`record_debug`), for visitors that print only an error's own
    /// message (tracing-subscriber's JSON formatter): the chain is then not lost.
    Chain,
}

impl Core {
    pub(crate) fn new(scrubber: Scrubber) -> Self {
        Core {
            scrubber,
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            errors: ErrorForm::Error,
        }
    }

    /// Runs `f` with this thread's scratch for this scrubber.
    pub(crate) fn with_scratch<R>(&self, f: impl FnOnce(&mut Scratch) -> R) -> R {
        self.with_state(|st| f(&mut st.scratch))
    }

    /// Runs `f` with this thread's scratch and clean-value memo for this scrubber.
    fn with_state<R>(&self, f: impl FnOnce(&mut State) -> R) -> R {
        let taken = STATE
            .try_with(|s| {
                let mut v = s.try_borrow_mut().ok()?;
                let i = v.iter().position(|(id, _)| *id == self.id)?;
                Some(v.swap_remove(i).1)
            })
            .ok()
            .flatten();
        let mut scratch = match taken {
            Some(s) => s,
            None => State {
                scratch: self.scrubber.scratch(),
                clean: CleanMemo::default(),
                found: Vec::new(),
            },
        };
        let r = f(&mut scratch);
        let _ = STATE.try_with(|s| {
            if let Ok(mut v) = s.try_borrow_mut() {
                if v.len() >= MAX_STATES_PER_THREAD {
                    v.remove(0);
                }
                v.push((self.id, scratch));
            }
        });
        r
    }

    /// Marks this core's event formatter as running on this thread until the guard drops.
    pub(crate) fn enter_event(&self) -> EventGuard {
        let prev = IN_EVENT.try_with(|c| c.replace(self.id)).unwrap_or(0);
        EventGuard { prev }
    }

    /// Is this core's event formatter running on this thread (so the fields were scrubbed already)?
    pub(crate) fn in_event(&self) -> bool {
        IN_EVENT.try_with(|c| c.get() == self.id).unwrap_or(false)
    }

    /// Captures and scrubs every value recorded by `record`. Returns `None` when the original values can be
    /// formatted as they are (nothing found, and no error chain to flatten), else the capture holding the scrubbed
    /// texts.
    pub(crate) fn capture(&self, record: impl FnOnce(&mut dyn Visit)) -> Option<CaptureGuard> {
        let cap = self.capture_all(record);
        let flatten = self.errors == ErrorForm::Chain && cap.chained_errors;
        if cap.findings == 0 && !flatten {
            None
        } else {
            Some(cap)
        }
    }

    /// Captures and scrubs every value recorded by `record`, whatever the engine found.
    pub(crate) fn capture_all(&self, record: impl FnOnce(&mut dyn Visit)) -> CaptureGuard {
        let mut cap = take_capture();
        self.with_state(|state| {
            let mut c = Collector {
                cap: &mut cap,
                state,
            };
            record(&mut c);
            cap.scrub(&self.scrubber, state);
        });
        CaptureGuard(cap)
    }

    /// Runs `f` on `event`, or on a copy of it with scrubbed values when the engine found something in it.
    pub(crate) fn scrub_event<R>(&self, event: &Event<'_>, f: impl FnOnce(&Event<'_>) -> R) -> R {
        match self.capture(|v| event.record(v)) {
            None => f(event),
            Some(cap) => rebuild_event(event, &cap, &cap.holders(self.errors), f),
        }
    }
}

/// Runs `f` on a copy of `event` (same metadata, same parent) holding the captured values instead of its own.
pub(crate) fn rebuild_event<R>(
    event: &Event<'_>,
    cap: &Capture,
    holders: &[Holder<'_>],
    f: impl FnOnce(&Event<'_>) -> R,
) -> R {
    let meta = event.metadata();
    with_callsite_values(meta.fields(), &cap.items, holders, |values| {
        let rebuilt = if event.is_contextual() {
            Event::new(meta, values)
        } else {
            // An explicit parent, or `None` for an explicit root.
            Event::new_child_of(event.parent().cloned(), meta, values)
        };
        f(&rebuilt)
    })
}

/// Restores the previous "event formatter running" mark.
pub(crate) struct EventGuard {
    prev: u64,
}

impl Drop for EventGuard {
    fn drop(&mut self) {
        let _ = IN_EVENT.try_with(|c| c.set(self.prev));
    }
}

/// Too many fields to rebuild a record's value set (more than [`MAX_FIELDS`]); the caller splits the record or
/// falls back to scrubbing the formatted text as a line.
#[derive(Debug)]
pub(crate) struct Unbuildable;

/// The most fields a rebuilt record may have in one value set. Events and span attributes have no such limit.
pub(crate) const MAX_FIELDS: usize = 128;

fn take_capture() -> Box<Capture> {
    let mut cap = CAPTURE
        .try_with(Cell::take)
        .ok()
        .flatten()
        .unwrap_or_default();
    cap.clear();
    cap
}

fn put_capture(cap: Box<Capture>) {
    // Do not keep a buffer that grew huge because of one giant event.
    if cap.text.capacity() <= 64 * 1024
        && cap.raw.capacity() <= 64 * 1024
        && cap.raw_values.capacity() <= 64 * 1024
    {
        let _ = CAPTURE.try_with(|c| c.set(Some(cap)));
    }
}

/// A capture with findings; returns its buffers to the thread when dropped.
pub(crate) struct CaptureGuard(Box<Capture>);

impl std::ops::Deref for CaptureGuard {
    type Target = Capture;
    fn deref(&self) -> &Capture {
        &self.0
    }
}

impl Drop for CaptureGuard {
    fn drop(&mut self) {
        put_capture(std::mem::take(&mut self.0));
    }
}

/// What kind of value a field held, so that an unchanged value is handed on as the same kind. No `Debug`: it
/// holds raw numbers.
#[derive(Clone, Copy)]
enum Kind {
    Str,
    Debug,
    U64(u64),
    I64(i64),
    U128(u128),
    I128(i128),
    F64(f64),
    Bool(bool),
    Bytes,
    /// An error: `parts` segments (the error, then each source), indices into `Capture::segments`.
    Error {
        first: usize,
        parts: usize,
    },
}

/// One recorded field: its kind and where its scrubbed text is.
pub(crate) struct Item {
    pub(crate) field: Field,
    kind: Kind,
    start: usize,
    end: usize,
    changed: bool,
    /// The piece holding its value ([`NO_PIECE`] for a boolean or an error, whose parts are in `segments`).
    piece: usize,
}

const NO_PIECE: usize = usize::MAX;

/// One value to scrub: a field's rendered value, or one part of an error's chain. While capturing, `start..end`
/// is its raw text in `Capture::raw_values`; after [`Capture::scrub`], its scrubbed text in `Capture::text`.
struct Piece {
    name: &'static str,
    /// Which part of an error's chain (0 for the error itself); `None` for a plain value.
    part: Option<usize>,
    start: usize,
    end: usize,
    bytes: bool,
    /// The clean-value memo knows it: not scanned again.
    clean: bool,
    replaced: Option<Vec<u8>>,
}

/// The scrubbed texts of one event's (or record's) values. Its `Debug` shows sizes only: `raw` holds unscrubbed
/// text.
#[derive(Default)]
pub(crate) struct Capture {
    /// The value being rendered (reused).
    raw: String,
    /// Every raw value, one after the other, until [`Capture::scrub`] has run.
    raw_values: Vec<u8>,
    pieces: Vec<Piece>,
    /// Every scrubbed value, one after the other.
    text: Vec<u8>,
    pub(crate) items: Vec<Item>,
    /// Error parts: byte ranges into `text`.
    segments: Vec<(usize, usize)>,
    findings: usize,
    /// Some error value has at least one source.
    chained_errors: bool,
}

impl fmt::Debug for Capture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Capture")
            .field("fields", &self.items.len())
            .field("findings", &self.findings)
            .finish_non_exhaustive()
    }
}

impl Capture {
    fn clear(&mut self) {
        self.raw.clear();
        self.raw_values.clear();
        self.pieces.clear();
        self.text.clear();
        self.items.clear();
        self.segments.clear();
        self.findings = 0;
        self.chained_errors = false;
    }

    /// Scrubs every captured value as one record (the memo's clean values skipped), then lays the scrubbed
    /// texts out in `text` and points items and error segments at them.
    fn scrub(&mut self, scrubber: &Scrubber, state: &mut State) {
        if self.pieces.iter().any(|p| !p.clean) {
            state.found.clear();
            let outcome = scrubber.scrub_record(
                &mut Pieces {
                    raw: &self.raw_values,
                    pieces: &mut self.pieces,
                },
                &mut state.scratch,
                &mut state.found,
            );
            self.findings += outcome.findings + outcome.unscanned;
        }
        self.text.clear();
        for p in &mut self.pieces {
            let raw = &self.raw_values[p.start..p.end];
            let start = self.text.len();
            match &p.replaced {
                Some(r) => self.text.extend_from_slice(r),
                None => {
                    if !p.clean {
                        state.clean.remember(p.name, raw);
                    }
                    self.text.extend_from_slice(raw);
                }
            }
            p.start = start;
            p.end = self.text.len();
        }
        let at = self.text.len();
        for it in &mut self.items {
            match self.pieces.get(it.piece) {
                Some(p) => {
                    (it.start, it.end) = (p.start, p.end);
                    it.changed = p.replaced.is_some();
                }
                None => {
                    (it.start, it.end) = (at, at);
                    if let Kind::Error { first, parts } = it.kind {
                        it.changed = self.segments[first..first + parts]
                            .iter()
                            .any(|&(piece, _)| self.pieces[piece].replaced.is_some());
                    }
                }
            }
        }
        for seg in &mut self.segments {
            let p = &self.pieces[seg.0];
            *seg = (p.start, p.end);
        }
    }

    fn str_at(&self, start: usize, end: usize) -> Text<'_> {
        let bytes = &self.text[start..end];
        match std::str::from_utf8(bytes) {
            Ok(s) => Text::Borrowed(s),
            Err(_) => Text::Owned(String::from_utf8_lossy(bytes).into_owned()),
        }
    }

    /// The values to hand on, one per item.
    pub(crate) fn holders(&self, errors: ErrorForm) -> Vec<Holder<'_>> {
        self.items
            .iter()
            .map(|it| match it.kind {
                Kind::Str => match self.str_at(it.start, it.end) {
                    Text::Borrowed(s) => Holder::Str(s),
                    Text::Owned(s) => Holder::String(s),
                },
                Kind::Debug => self.display_at(it.start, it.end),
                Kind::Bytes => Holder::Bytes(&self.text[it.start..it.end]),
                Kind::Bool(b) => Holder::Bool(b),
                Kind::U64(_) | Kind::I64(_) | Kind::U128(_) | Kind::I128(_) | Kind::F64(_)
                    if it.changed =>
                {
                    self.display_at(it.start, it.end)
                }
                Kind::U64(v) => Holder::U64(v),
                Kind::I64(v) => Holder::I64(v),
                Kind::U128(v) => Holder::U128(v),
                Kind::I128(v) => Holder::I128(v),
                Kind::F64(v) => Holder::F64(v),
                Kind::Error { first, parts } if errors == ErrorForm::Chain => {
                    let mut text = String::new();
                    for (i, &(s, e)) in self.segments[first..first + parts].iter().enumerate() {
                        if i > 0 {
                            text.push_str(": ");
                        }
                        text.push_str(&self.str_at(s, e).into_string());
                    }
                    Holder::DisplayOwned(display(text))
                }
                Kind::Error { first, parts } => {
                    let mut err: Option<ScrubbedError> = None;
                    for &(s, e) in self.segments[first..first + parts].iter().rev() {
                        err = Some(ScrubbedError {
                            message: self.str_at(s, e).into_string(),
                            source: err.map(Box::new),
                        });
                    }
                    match err {
                        Some(e) => Holder::Error(Box::new(e)),
                        None => Holder::Str(""),
                    }
                }
            })
            .collect()
    }

    fn display_at(&self, start: usize, end: usize) -> Holder<'_> {
        match self.str_at(start, end) {
            Text::Borrowed(s) => Holder::Display(display(s)),
            Text::Owned(s) => Holder::DisplayOwned(display(s)),
        }
    }
}

enum Text<'a> {
    Borrowed(&'a str),
    Owned(String),
}

impl Text<'_> {
    fn into_string(self) -> String {
        match self {
            Text::Borrowed(s) => s.to_owned(),
            Text::Owned(s) => s,
        }
    }
}

/// A scrubbed value in a form `tracing` can record (its `Value` trait is sealed, so we pick among its impls).
pub(crate) enum Holder<'a> {
    /// Recorded with `record_str`, like the original string.
    Str(&'a str),
    String(String),
    /// Recorded with `record_debug`, printing the scrubbed text as the original `Debug` output was printed.
    Display(DisplayValue<&'a str>),
    DisplayOwned(DisplayValue<String>),
    U64(u64),
    I64(i64),
    U128(u128),
    I128(i128),
    F64(f64),
    Bool(bool),
    Bytes(&'a [u8]),
    /// Recorded with `record_error`, so formatters still print the source chain (scrubbed).
    Error(Box<dyn StdError + Send + Sync + 'static>),
}

impl Holder<'_> {
    fn as_value(&self) -> &dyn Value {
        match self {
            Holder::Str(v) => v,
            Holder::String(v) => v,
            Holder::Display(v) => v,
            Holder::DisplayOwned(v) => v,
            Holder::U64(v) => v,
            Holder::I64(v) => v,
            Holder::U128(v) => v,
            Holder::I128(v) => v,
            Holder::F64(v) => v,
            Holder::Bool(v) => v,
            Holder::Bytes(v) => v,
            Holder::Error(v) => v,
        }
    }
}

/// Builds a value set over the callsite's own `fields` (an event's or a span's metadata) from the captured values
/// and runs `f` on it. Every field of the set has a slot, as `tracing`'s own macros build it; fields without a
/// captured value stay empty. No limit on the number of fields.
pub(crate) fn with_callsite_values<R>(
    fields: &FieldSet,
    items: &[Item],
    holders: &[Holder<'_>],
    f: impl FnOnce(&ValueSet<'_>) -> R,
) -> R {
    const ON_STACK: usize = 32;
    fn fill<'a>(
        slots: &mut [Option<&'a dyn Value>],
        fields: &FieldSet,
        items: &[Item],
        holders: &'a [Holder<'_>],
    ) {
        for (item, holder) in items.iter().zip(holders) {
            // The items were recorded from this very callsite; the check only guards the index.
            if fields.contains(&item.field) {
                if let Some(slot) = slots.get_mut(item.field.index()) {
                    *slot = Some(holder.as_value());
                }
            }
        }
    }
    let n = fields.len();
    if n <= ON_STACK {
        let mut slots: [Option<&dyn Value>; ON_STACK] = [None; ON_STACK];
        fill(&mut slots[..n], fields, items, holders);
        f(&fields.value_set_all(&slots[..n]))
    } else {
        let mut slots: Vec<Option<&dyn Value>> = vec![None; n];
        fill(&mut slots, fields, items, holders);
        f(&fields.value_set_all(&slots))
    }
}

/// Builds a value set holding exactly the captured values (for a `Record`, whose field set is not at hand) and
/// runs `f` on it. At most [`MAX_FIELDS`] items; unused slots hold a field of another callsite, which every
/// `ValueSet` method skips, so `len()` and `is_empty()` stay exact.
pub(crate) fn with_value_set<R>(
    items: &[Item],
    holders: &[Holder<'_>],
    f: impl FnOnce(&ValueSet<'_>) -> R,
) -> Result<R, Unbuildable> {
    let (Some(first), Some(pad)) = (items.first(), PADDING_META.fields().iter().next()) else {
        return Err(Unbuildable);
    };
    // Only the callsite matters for a value set whose fields are given explicitly.
    let set = FieldSet::new(&[], first.field.callsite());
    macro_rules! build {
        ($n:expr) => {{
            let mut values: [(&Field, Option<&dyn Value>); $n] = [(&pad, None); $n];
            for (slot, (item, holder)) in values.iter_mut().zip(items.iter().zip(holders)) {
                *slot = (&item.field, Some(holder.as_value()));
            }
            Ok(f(&set.value_set(&values)))
        }};
    }
    match items.len() {
        0 => Err(Unbuildable),
        1..=8 => build!(8),
        9..=32 => build!(32),
        33..=MAX_FIELDS => build!(MAX_FIELDS),
        _ => Err(Unbuildable),
    }
}

/// The callsite of the padding field: never registered, never enabled, never dispatched.
struct PaddingCallsite;

static PADDING_CALLSITE: PaddingCallsite = PaddingCallsite;

static PADDING_META: Metadata<'static> = Metadata::new(
    "logscrub_tracing padding",
    "logscrub_tracing",
    Level::TRACE,
    None,
    None,
    None,
    FieldSet::new(&["padding"], identify_callsite!(&PADDING_CALLSITE)),
    metadata::Kind::EVENT,
);

impl Callsite for PaddingCallsite {
    fn set_interest(&self, _: Interest) {}

    fn metadata(&self) -> &Metadata<'_> {
        &PADDING_META
    }
}

/// An error rebuilt from scrubbed texts: same `Display`, same chain of sources, none of the raw values.
#[derive(Debug)]
pub(crate) struct ScrubbedError {
    message: String,
    source: Option<Box<ScrubbedError>>,
}

impl fmt::Display for ScrubbedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl StdError for ScrubbedError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

/// One thread's working state for one scrubber.
struct State {
    scratch: Scratch,
    clean: CleanMemo,
    /// The findings of the last record (reused; the layer only needs to know whether there were any).
    found: Vec<RecordFinding>,
}

/// Remembers short (field name, value) pairs in which the engine found nothing, so that the values an application
/// logs over and over (`method="GET"`, `status=200`, a fixed message) are not scanned again.
///
/// This is memoization, not detection: `scrub_field` is a pure function of the scrubber, the key and the value,
/// and an entry is only used when the key and *every byte* of the value are equal. Only values in which the
/// engine found nothing are kept, so the memo never holds a finding. Direct-mapped and bounded: a miss simply asks
/// the engine. Entries are stored in place, so that remembering a value (every miss, when values change in every
/// event) allocates nothing.
#[derive(Default)]
struct CleanMemo {
    slots: Vec<Option<MemoEntry>>,
}

/// A field name and a value (its first `len` bytes) in which the engine found nothing under that name.
#[derive(Clone, Copy)]
struct MemoEntry {
    name: &'static str,
    len: u8,
    bytes: [u8; CleanMemo::MAX_VALUE],
}

impl CleanMemo {
    const SLOTS: usize = 512;
    const MAX_VALUE: usize = 64;

    /// A cheap multiplicative hash (collisions only cost a miss: entries are compared in full). The name is
    /// hashed by address: field names are `&'static str` per callsite.
    fn slot(name: &str, value: &[u8]) -> usize {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mix = |h: u64, w: u64| (h.rotate_left(5) ^ w).wrapping_mul(K);
        let mut h = mix(name.as_ptr() as u64, name.len() as u64);
        let mut chunks = value.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            h = mix(h, u64::from_le_bytes(w));
        }
        let mut w = [0u8; 8];
        let rest = chunks.remainder();
        w[..rest.len()].copy_from_slice(rest);
        h = mix(h, u64::from_le_bytes(w) ^ ((value.len() as u64) << 56));
        (h >> 32) as usize % Self::SLOTS
    }

    fn is_clean(&self, name: &str, value: &[u8]) -> bool {
        if value.len() > Self::MAX_VALUE || self.slots.is_empty() {
            return false;
        }
        matches!(
            &self.slots[Self::slot(name, value)],
            Some(e) if e.name == name && e.bytes[..usize::from(e.len)] == *value
        )
    }

    fn remember(&mut self, name: &'static str, value: &[u8]) {
        if value.len() > Self::MAX_VALUE {
            return;
        }
        if self.slots.is_empty() {
            self.slots.resize(Self::SLOTS, None);
        }
        let Ok(len) = u8::try_from(value.len()) else {
            return;
        };
        let mut bytes = [0u8; Self::MAX_VALUE];
        bytes[..value.len()].copy_from_slice(value);
        self.slots[Self::slot(name, value)] = Some(MemoEntry { name, len, bytes });
    }
}

/// The captured values of one event as an engine record: each value under its field's name (an error's parts
/// under `name[i]`), so the name is its context. Values the memo knows to be clean are not visited.
struct Pieces<'a> {
    raw: &'a [u8],
    pieces: &'a mut [Piece],
}

impl Record for Pieces<'_> {
    fn visit(&mut self, v: &mut dyn RecordVisitor) {
        for p in self.pieces.iter_mut().filter(|p| !p.clean) {
            let raw = &self.raw[p.start..p.end];
            let key = [PathSegment::Key(p.name)];
            let with_part;
            let path: &[PathSegment<'_>] = match p.part {
                None => &key,
                Some(i) => {
                    with_part = [PathSegment::Key(p.name), PathSegment::Index(i)];
                    &with_part
                }
            };
            p.replaced = match std::str::from_utf8(raw) {
                Ok(text) if !p.bytes => v.visit_str(path, text).map(String::into_bytes),
                _ => v.visit_bytes(path, raw),
            };
        }
    }
}

/// Renders each value to text and keeps it, raw, for the engine (see [`Capture::scrub`]).
struct Collector<'a> {
    cap: &'a mut Capture,
    state: &'a mut State,
}

impl Collector<'_> {
    /// Keeps `value` as a piece to scrub; returns its index.
    fn piece(&mut self, field: &Field, value: &[u8], bytes: bool, part: Option<usize>) -> usize {
        let name = field.name();
        let start = self.cap.raw_values.len();
        self.cap.raw_values.extend_from_slice(value);
        self.cap.pieces.push(Piece {
            name,
            part,
            start,
            end: self.cap.raw_values.len(),
            bytes,
            clean: !bytes && self.state.clean.is_clean(name, value),
            replaced: None,
        });
        self.cap.pieces.len() - 1
    }

    fn push(&mut self, field: &Field, kind: Kind, value: &[u8]) {
        let piece = self.piece(field, value, matches!(kind, Kind::Bytes), None);
        self.cap.items.push(Item {
            field: field.clone(),
            kind,
            start: 0,
            end: 0,
            changed: false,
            piece,
        });
    }

    /// Renders `v` with `Display`/`Debug` into the reusable buffer, then keeps it.
    fn push_rendered(&mut self, field: &Field, kind: Kind, v: fmt::Arguments<'_>) {
        let mut raw = std::mem::take(&mut self.cap.raw);
        raw.clear();
        // Writing into a String only fails if a user's Debug impl fails; we keep what was written.
        let _ = raw.write_fmt(v);
        self.push(field, kind, raw.as_bytes());
        self.cap.raw = raw;
    }
}

impl Visit for Collector<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.push(field, Kind::Str, value.as_bytes());
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.push_rendered(field, Kind::Debug, format_args!("{value:?}"));
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.push_rendered(field, Kind::U64(value), format_args!("{value}"));
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.push_rendered(field, Kind::I64(value), format_args!("{value}"));
    }

    fn record_u128(&mut self, field: &Field, value: u128) {
        self.push_rendered(field, Kind::U128(value), format_args!("{value}"));
    }

    fn record_i128(&mut self, field: &Field, value: i128) {
        self.push_rendered(field, Kind::I128(value), format_args!("{value}"));
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        self.push_rendered(field, Kind::F64(value), format_args!("{value:?}"));
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        // `true`/`false` cannot carry a value; nothing to scan.
        self.cap.items.push(Item {
            field: field.clone(),
            kind: Kind::Bool(value),
            start: 0,
            end: 0,
            changed: false,
            piece: NO_PIECE,
        });
    }

    fn record_bytes(&mut self, field: &Field, value: &[u8]) {
        self.push(field, Kind::Bytes, value);
    }

    fn record_error(&mut self, field: &Field, value: &(dyn StdError + 'static)) {
        let first = self.cap.segments.len();
        let mut parts = 0;
        let mut next: Option<&(dyn StdError + 'static)> = Some(value);
        let mut raw = std::mem::take(&mut self.cap.raw);
        while let Some(err) = next {
            if parts == MAX_SOURCES {
                break;
            }
            raw.clear();
            let _ = write!(raw, "{err}");
            // Until the capture is scrubbed, a segment names its piece.
            let piece = self.piece(field, raw.as_bytes(), false, Some(parts));
            self.cap.segments.push((piece, piece));
            parts += 1;
            next = err.source();
        }
        if parts > 1 {
            self.cap.chained_errors = true;
        }
        self.cap.raw = raw;
        self.cap.items.push(Item {
            field: field.clone(),
            kind: Kind::Error { first, parts },
            start: 0,
            end: 0,
            changed: false,
            piece: NO_PIECE,
        });
    }
}
