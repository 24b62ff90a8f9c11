//! [`ScrubLayer`]: tracing-subscriber's `fmt` layer with the scrubbing formatters locked in.

use std::any::TypeId;
use std::io;

use logscrub_engine::Scrubber;
use tracing_core::span::{Attributes, Id, Record};
use tracing_core::subscriber::Interest;
use tracing_core::{Dispatch, Event, LevelFilter, Metadata, Subscriber};
use tracing_subscriber::fmt::format::{
    Compact, DefaultFields, Format, Full, Json, JsonFields, Pretty,
};
use tracing_subscriber::fmt::time::{FormatTime, SystemTime};
use tracing_subscriber::fmt::writer::{MakeWriter, TestWriter};
use tracing_subscriber::fmt::{self, format::FmtSpan, FormatEvent, FormatFields};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::registry::LookupSpan;

use crate::capture::Core;
use crate::format::{ScrubEvents, ScrubFields};
use crate::writer::ScrubWriter;

/// The `fmt` layer of tracing-subscriber, with every value scrubbed while it is formatted.
///
/// Build it with [`crate::fmt_layer`]. It has the builder methods of `tracing_subscriber::fmt::Layer`
/// (`json()`, `compact()`, `pretty()`, `with_writer(..)`, `with_target(..)`, `without_time()`, ...) and keeps the
/// scrubbing across all of them. It is a separate type, not a `fmt::Layer`, on purpose: on a plain `fmt::Layer`,
/// `.json()` or `.event_format(..)` would silently swap the scrubbing formatter for an unscrubbed one. Here they
/// wrap the new formatter instead.
///
/// Type parameters are those of `fmt::Layer`: `N` the field formatter, `E` the event formatter, `W` the writer
/// (each wrapped by this crate's scrubbing types).
pub struct ScrubLayer<S, N = DefaultFields, E = Format<Full, SystemTime>, W = fn() -> io::Stdout> {
    inner: fmt::Layer<S, ScrubFields<N>, ScrubEvents<E>, W>,
    core: Core,
}

impl<S, N, E, W> std::fmt::Debug for ScrubLayer<S, N, E, W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScrubLayer")
            .field("scrubber", &self.core.scrubber)
            .finish_non_exhaustive()
    }
}

/// The scrubbing `fmt` layer with tracing-subscriber's defaults: the `Full` text format, written to stdout.
///
/// ```no_run
/// use tracing_subscriber::prelude::*;
/// let scrubber = logscrub_tracing::Scrubber::default_rules()?;
/// tracing_subscriber::registry().with(logscrub_tracing::fmt_layer(scrubber)).init();
/// # Ok::<(), logscrub_tracing::EngineError>(())
/// ```
pub fn fmt_layer<S>(scrubber: Scrubber) -> ScrubLayer<S>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    let core = Core::new(scrubber);
    let inner = fmt::layer()
        .fmt_fields(ScrubFields::with_core(core.clone(), DefaultFields::new()))
        .event_format(ScrubEvents::with_core(core.clone(), Format::default()));
    ScrubLayer { inner, core }
}

impl<S, N, E, W> ScrubLayer<S, N, E, W>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'w> FormatFields<'w> + 'static,
    W: for<'w> MakeWriter<'w> + 'static,
{
    /// The scrubber in use.
    pub fn scrubber(&self) -> &Scrubber {
        &self.core.scrubber
    }

    /// Writes to `make_writer` instead (a file, a `tracing-appender` writer, a test buffer ...).
    pub fn with_writer<W2>(self, make_writer: W2) -> ScrubLayer<S, N, E, W2>
    where
        W2: for<'w> MakeWriter<'w> + 'static,
    {
        ScrubLayer {
            inner: self.inner.with_writer(make_writer),
            core: self.core,
        }
    }

    /// Writes through libtest's capture (like `fmt::Layer::with_test_writer`).
    pub fn with_test_writer(self) -> ScrubLayer<S, N, E, TestWriter> {
        ScrubLayer {
            inner: self.inner.with_test_writer(),
            core: self.core,
        }
    }

    /// Also scrubs the finished bytes in the writer ([`ScrubWriter`]), with the same scrubber. Costs a second
    /// scan of every line; worth it when something else may write through the same writer, or as defence in
    /// depth while adopting a custom event formatter.
    pub fn with_backstop(self) -> ScrubLayer<S, N, E, ScrubWriter<W>> {
        let scrubber = self.core.scrubber.clone();
        ScrubLayer {
            inner: self.inner.map_writer(|w| ScrubWriter::new(scrubber, w)),
            core: self.core,
        }
    }

    /// Turns ANSI colours on or off (as `fmt::Layer::with_ansi`).
    pub fn with_ansi(self, ansi: bool) -> Self {
        ScrubLayer {
            inner: self.inner.with_ansi(ansi),
            core: self.core,
        }
    }

    /// Writes formatting and I/O errors to stderr or not (as `fmt::Layer::log_internal_errors`). The messages
    /// name the fields, never their values.
    pub fn log_internal_errors(self, yes: bool) -> Self {
        ScrubLayer {
            inner: self.inner.log_internal_errors(yes),
            core: self.core,
        }
    }

    /// Also logs span lifecycle events (as `fmt::Layer::with_span_events`).
    pub fn with_span_events(mut self, kind: FmtSpan) -> Self {
        self.inner.set_span_events(kind);
        self
    }

    /// Uses another event formatter; it is wrapped in [`ScrubEvents`], so it only ever sees scrubbed values.
    pub fn event_format<E2>(self, e: E2) -> ScrubLayer<S, N, E2, W>
    where
        E2: FormatEvent<S, ScrubFields<N>> + 'static,
    {
        let core = self.core;
        let c = core.clone();
        ScrubLayer {
            inner: self
                .inner
                .map_event_format(|_| ScrubEvents::with_core(c, e)),
            core,
        }
    }

    /// Changes the event formatter in place (as `fmt::Layer::map_event_format`), keeping the scrubbing.
    pub fn map_event_format<E2>(self, f: impl FnOnce(E) -> E2) -> ScrubLayer<S, N, E2, W>
    where
        E2: FormatEvent<S, ScrubFields<N>> + 'static,
    {
        ScrubLayer {
            inner: self.inner.map_event_format(|e| e.map(f)),
            core: self.core,
        }
    }

    /// Uses another field formatter for spans (and for event fields, for text formatters); it is wrapped in
    /// [`ScrubFields`].
    pub fn fmt_fields<N2>(self, n: N2) -> ScrubLayer<S, N2, E, W>
    where
        N2: for<'w> FormatFields<'w> + 'static,
    {
        ScrubLayer {
            inner: self.inner.map_fmt_fields(|f| f.map(|_| n)),
            core: self.core,
        }
    }
}

impl<S, N, L, T, W> ScrubLayer<S, N, Format<L, T>, W>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'w> FormatFields<'w> + 'static,
    W: for<'w> MakeWriter<'w> + 'static,
{
    fn map_format<L2, T2>(
        self,
        f: impl FnOnce(Format<L, T>) -> Format<L2, T2>,
    ) -> ScrubLayer<S, N, Format<L2, T2>, W>
    where
        Format<L2, T2>: FormatEvent<S, ScrubFields<N>> + 'static,
    {
        ScrubLayer {
            inner: self.inner.map_event_format(|e| e.map(f)),
            core: self.core,
        }
    }

    /// JSON output, one object per line (as `fmt::Layer::json`); values with findings become JSON strings, and an
    /// error is printed with its sources, `"error": "query failed: cannot connect to …"`.
    pub fn json(self) -> ScrubLayer<S, JsonFields, Format<Json, T>, W>
    where
        Format<Json, T>: FormatEvent<S, ScrubFields<JsonFields>> + 'static,
    {
        // tracing-subscriber's JSON visitor prints only an error's own message; hand errors on with their chain.
        ScrubLayer {
            inner: self
                .inner
                .map_fmt_fields(|f| f.map(|_| JsonFields::new()).chain_errors())
                .map_event_format(|e| e.map(Format::json).chain_errors()),
            core: self.core,
        }
    }

    /// The compact text format (as `fmt::Layer::compact`).
    pub fn compact(self) -> ScrubLayer<S, N, Format<Compact, T>, W>
    where
        Format<Compact, T>: FormatEvent<S, ScrubFields<N>> + 'static,
    {
        self.map_format(Format::compact)
    }

    /// The multi-line pretty format (as `fmt::Layer::pretty`).
    pub fn pretty(self) -> ScrubLayer<S, Pretty, Format<Pretty, T>, W>
    where
        Format<Pretty, T>: FormatEvent<S, ScrubFields<Pretty>> + 'static,
    {
        ScrubLayer {
            inner: self
                .inner
                .map_fmt_fields(|f| f.map(|_| Pretty::default()))
                .map_event_format(|e| e.map(Format::pretty)),
            core: self.core,
        }
    }

    /// Uses another timer for timestamps.
    pub fn with_timer<T2>(self, timer: T2) -> ScrubLayer<S, N, Format<L, T2>, W>
    where
        T2: FormatTime,
        Format<L, T2>: FormatEvent<S, ScrubFields<N>> + 'static,
    {
        self.map_format(|f| f.with_timer(timer))
    }

    /// No timestamps.
    pub fn without_time(self) -> ScrubLayer<S, N, Format<L, ()>, W>
    where
        Format<L, ()>: FormatEvent<S, ScrubFields<N>> + 'static,
    {
        self.map_format(Format::without_time)
    }
}

impl<S, N, L, T, W> ScrubLayer<S, N, Format<L, T>, W>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'w> FormatFields<'w> + 'static,
    W: for<'w> MakeWriter<'w> + 'static,
    Format<L, T>: FormatEvent<S, ScrubFields<N>> + 'static,
{
    /// Shows the event's target or not.
    pub fn with_target(self, yes: bool) -> Self {
        self.map_format(|f| f.with_target(yes))
    }

    /// Shows the level or not.
    pub fn with_level(self, yes: bool) -> Self {
        self.map_format(|f| f.with_level(yes))
    }

    /// Shows the source file or not.
    pub fn with_file(self, yes: bool) -> Self {
        self.map_format(|f| f.with_file(yes))
    }

    /// Shows the source line or not.
    pub fn with_line_number(self, yes: bool) -> Self {
        self.map_format(|f| f.with_line_number(yes))
    }

    /// Shows thread ids or not.
    pub fn with_thread_ids(self, yes: bool) -> Self {
        self.map_format(|f| f.with_thread_ids(yes))
    }

    /// Shows thread names or not.
    pub fn with_thread_names(self, yes: bool) -> Self {
        self.map_format(|f| f.with_thread_names(yes))
    }
}

impl<S, T, W> ScrubLayer<S, JsonFields, Format<Json, T>, W>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    W: for<'w> MakeWriter<'w> + 'static,
    Format<Json, T>: FormatEvent<S, ScrubFields<JsonFields>> + 'static,
{
    fn map_json(self, f: impl FnOnce(Format<Json, T>) -> Format<Json, T>) -> Self {
        ScrubLayer {
            inner: self.inner.map_event_format(|e| e.map(f)),
            core: self.core,
        }
    }

    /// Puts the event's fields at the top level of the object (as `fmt::Layer::flatten_event`).
    pub fn flatten_event(self, yes: bool) -> Self {
        self.map_json(|f| f.flatten_event(yes))
    }

    /// Includes the current span (as `fmt::Layer::with_current_span`).
    pub fn with_current_span(self, yes: bool) -> Self {
        self.map_json(|f| f.with_current_span(yes))
    }

    /// Includes the list of entered spans (as `fmt::Layer::with_span_list`).
    pub fn with_span_list(self, yes: bool) -> Self {
        self.map_json(|f| f.with_span_list(yes))
    }
}

impl<S, N, E, W> Layer<S> for ScrubLayer<S, N, E, W>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'w> FormatFields<'w> + 'static,
    E: FormatEvent<S, ScrubFields<N>> + 'static,
    W: for<'w> MakeWriter<'w> + 'static,
{
    fn on_register_dispatch(&self, subscriber: &Dispatch) {
        self.inner.on_register_dispatch(subscriber)
    }

    fn on_layer(&mut self, subscriber: &mut S) {
        self.inner.on_layer(subscriber)
    }

    fn register_callsite(&self, metadata: &'static Metadata<'static>) -> Interest {
        self.inner.register_callsite(metadata)
    }

    fn enabled(&self, metadata: &Metadata<'_>, ctx: Context<'_, S>) -> bool {
        self.inner.enabled(metadata, ctx)
    }

    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        self.inner.on_new_span(attrs, id, ctx)
    }

    fn max_level_hint(&self) -> Option<LevelFilter> {
        self.inner.max_level_hint()
    }

    fn on_record(&self, span: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        self.inner.on_record(span, values, ctx)
    }

    fn on_follows_from(&self, span: &Id, follows: &Id, ctx: Context<'_, S>) {
        self.inner.on_follows_from(span, follows, ctx)
    }

    fn event_enabled(&self, event: &Event<'_>, ctx: Context<'_, S>) -> bool {
        self.inner.event_enabled(event, ctx)
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        self.inner.on_event(event, ctx)
    }

    fn on_enter(&self, id: &Id, ctx: Context<'_, S>) {
        self.inner.on_enter(id, ctx)
    }

    fn on_exit(&self, id: &Id, ctx: Context<'_, S>) {
        self.inner.on_exit(id, ctx)
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        self.inner.on_close(id, ctx)
    }

    fn on_id_change(&self, old: &Id, new: &Id, ctx: Context<'_, S>) {
        self.inner.on_id_change(old, new, ctx)
    }

    unsafe fn downcast_raw(&self, id: TypeId) -> Option<*const ()> {
        if id == TypeId::of::<Self>() {
            Some(self as *const Self as *const ())
        } else {
            // SAFETY: forwarded unchanged; the inner layer upholds the contract for its own parts.
            unsafe { self.inner.downcast_raw(id) }
        }
    }
}
