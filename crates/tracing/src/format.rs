//! Format-time scrubbing: wrappers around any `FormatFields` and any `FormatEvent` of tracing-subscriber.
//!
//! The wrapped formatter never sees a raw value: it is handed either the original event (the engine found nothing)
//! or a rebuilt one whose values are the scrubbed texts. Because the formatter itself still does all the
//! formatting, the output keeps its exact layout (text, compact, pretty, JSON with all its options) and JSON stays
//! JSON: the values are escaped by the formatter *after* they were scrubbed.

use std::fmt;

use logscrub_engine::Scrubber;
use tracing_core::span::Record;
use tracing_core::{Event, Subscriber};
use tracing_subscriber::field::RecordFields;
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields, FormattedFields};
use tracing_subscriber::registry::LookupSpan;

use crate::capture::{with_value_set, Core, ErrorForm};

/// A [`FormatFields`] that scrubs every field value before the wrapped field formatter `N` sees it.
///
/// tracing-subscriber formats a span's fields once, when the span is created or recorded, with the layer's
/// field formatter, and prints that stored text with every event inside the span. This wrapper is therefore what
/// keeps span fields clean. The field name is the engine's context, exactly like a JSON key: `password` makes the
/// whole value secret, `name` marks a person's name, `notes` lowers thresholds.
///
/// Formatting never fails here: tracing-subscriber prints a span's raw attributes to stderr when its field
/// formatter reports an error, so an error of the wrapped formatter is swallowed (what it wrote is kept).
#[derive(Debug, Clone)]
pub struct ScrubFields<N = tracing_subscriber::fmt::format::DefaultFields> {
    pub(crate) core: Core,
    pub(crate) inner: N,
}

impl<N> ScrubFields<N> {
    /// Wraps `inner` so that every field value it formats went through `scrubber` first.
    pub fn new(scrubber: Scrubber, inner: N) -> Self {
        ScrubFields {
            core: Core::new(scrubber),
            inner,
        }
    }

    pub(crate) fn with_core(core: Core, inner: N) -> Self {
        ScrubFields { core, inner }
    }

    /// Hands error values on as one text with their source chain (for field formatters that print only an
    /// error's own message, like tracing-subscriber's `JsonFields`).
    pub(crate) fn chain_errors(mut self) -> Self {
        self.core.errors = ErrorForm::Chain;
        self
    }

    /// The wrapped field formatter.
    pub fn inner(&self) -> &N {
        &self.inner
    }

    /// The scrubber in use.
    pub fn scrubber(&self) -> &Scrubber {
        &self.core.scrubber
    }

    /// Replaces the wrapped field formatter, keeping the scrubbing.
    pub fn map<N2>(self, f: impl FnOnce(N) -> N2) -> ScrubFields<N2> {
        ScrubFields {
            core: self.core,
            inner: f(self.inner),
        }
    }
}

impl<'writer, N> FormatFields<'writer> for ScrubFields<N>
where
    N: for<'w> FormatFields<'w> + 'static,
{
    fn format_fields<R: RecordFields>(&self, writer: Writer<'writer>, fields: R) -> fmt::Result {
        // Inside our own event formatter the event was scrubbed as a whole already.
        if self.core.in_event() {
            let _ = self.inner.format_fields(writer, fields);
            return Ok(());
        }
        let Some(cap) = self.core.capture(|v| fields.record(v)) else {
            let _ = self.inner.format_fields(writer, fields);
            return Ok(());
        };
        let holders = cap.holders(self.core.errors);
        if cap.items.is_empty() {
            return Ok(());
        }
        let mut writer = writer;
        let done = with_value_set(&cap.items, &holders, |values| {
            let record = Record::new(values);
            let _ = self.inner.format_fields(writer.by_ref(), &record);
        });
        if done.is_err() {
            // More fields than a value set can hold: format, then scrub the text as one line.
            fallback_fields(&self.core, &self.inner, writer, fields);
        }
        Ok(())
    }

    fn add_fields(
        &self,
        current: &'writer mut FormattedFields<Self>,
        fields: &Record<'_>,
    ) -> fmt::Result {
        let mut inner_fields = FormattedFields::<N>::new(std::mem::take(&mut current.fields));
        match self.core.capture(|v| fields.record(v)) {
            None => {
                let _ = self.inner.add_fields(&mut inner_fields, fields);
            }
            Some(cap) => {
                let holders = cap.holders(self.core.errors);
                if !cap.items.is_empty() {
                    let done = with_value_set(&cap.items, &holders, |values| {
                        let record = Record::new(values);
                        let _ = self.inner.add_fields(&mut inner_fields, &record);
                    });
                    if done.is_err() {
                        if !inner_fields.fields.is_empty() {
                            inner_fields.fields.push(' ');
                        }
                        let w = Writer::new(&mut inner_fields.fields);
                        fallback_fields(&self.core, &self.inner, w, fields);
                    }
                }
            }
        }
        current.fields = inner_fields.fields;
        Ok(())
    }
}

/// Formats with the wrapped formatter into a string and scrubs that text as one line.
fn fallback_fields<N, R>(core: &Core, inner: &N, mut writer: Writer<'_>, fields: R)
where
    N: for<'w> FormatFields<'w>,
    R: RecordFields,
{
    let mut text = String::new();
    let _ = inner.format_fields(Writer::new(&mut text), fields);
    let _ = writer.write_str(&scrub_text(core, &text));
}

fn scrub_text(core: &Core, text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    core.with_scratch(|s| core.scrubber.scrub_line(text.as_bytes(), &mut out, s));
    String::from_utf8_lossy(&out).into_owned()
}

/// A [`FormatEvent`] that scrubs the event's message and fields before the wrapped formatter `E` sees them.
///
/// Use it around any event formatter: tracing-subscriber's `Full`, `Compact`, `Pretty`, `Json` or your own. The
/// JSON formatter records event fields with its own visitor rather than through the field formatter, which is why
/// the event has to be scrubbed here and not only in [`ScrubFields`].
#[derive(Debug, Clone)]
pub struct ScrubEvents<E = tracing_subscriber::fmt::format::Format> {
    pub(crate) core: Core,
    pub(crate) inner: E,
}

impl<E> ScrubEvents<E> {
    /// Wraps `inner` so that every event it formats went through `scrubber` first.
    pub fn new(scrubber: Scrubber, inner: E) -> Self {
        ScrubEvents {
            core: Core::new(scrubber),
            inner,
        }
    }

    pub(crate) fn with_core(core: Core, inner: E) -> Self {
        ScrubEvents { core, inner }
    }

    /// Hands error values on as one text with their source chain (for event formatters that print only an
    /// error's own message, like tracing-subscriber's JSON format).
    pub(crate) fn chain_errors(mut self) -> Self {
        self.core.errors = ErrorForm::Chain;
        self
    }

    /// The wrapped event formatter.
    pub fn inner(&self) -> &E {
        &self.inner
    }

    /// The scrubber in use.
    pub fn scrubber(&self) -> &Scrubber {
        &self.core.scrubber
    }

    /// Replaces the wrapped event formatter (for example to change its options), keeping the scrubbing.
    pub fn map<E2>(self, f: impl FnOnce(E) -> E2) -> ScrubEvents<E2> {
        ScrubEvents {
            core: self.core,
            inner: f(self.inner),
        }
    }
}

impl<S, N, E> FormatEvent<S, N> for ScrubEvents<E>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
    E: FormatEvent<S, N>,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> fmt::Result {
        let _guard = self.core.enter_event();
        self.core.scrub_event(event, |ev| {
            self.inner.format_event(ctx, writer.by_ref(), ev)
        })
    }
}
