//! [`Scrubbed`]: a `Subscriber` around a whole layer stack that scrubs every event, span and record once, before
//! any layer of the stack sees it.
//!
//! A layer cannot change an event for its siblings (tokio-rs/tracing#1349), but whoever *calls* the layers can
//! choose what to hand them. `Scrubbed` sits between the dispatcher and the stack (`registry().with(..)...`): it
//! records each value, passes it through [`Scrubber::scrub_field`] with its field name as context, and calls the
//! stack with a rebuilt event, rebuilt span attributes or a rebuilt `Record` over the same static metadata, whose
//! values are the scrubbed texts. Every layer in the stack (fmt, tracing-opentelemetry, a JSON file layer, Sentry,
//! filters) therefore sees the same scrubbed values, and the engine runs once per value, not once per layer.
//!
//! It must never hand the stack a value the engine did not see: the stack always gets the rebuilt values (the text
//! that was scanned), never the originals re-rendered. It never drops an event or a span.

use std::any::TypeId;

use logscrub_engine::Scrubber;
use tracing_core::span::{Attributes, Current, Id, Record};
use tracing_core::subscriber::Interest;
use tracing_core::{Dispatch, Event, LevelFilter, Metadata, Subscriber};

use crate::capture::{rebuild_event, with_callsite_values, with_value_set, Core, MAX_FIELDS};

/// A subscriber (usually `registry().with(..)` with all its layers) whose every layer sees only scrubbed values.
///
/// Build it with [`scrubbed`] and install it like any subscriber (`.init()`, `set_global_default`,
/// `with_default`).
///
/// * **Events**: the message and every field are scrubbed; the stack gets a rebuilt event with the same metadata
///   (level, target, name, fields, callsite) and the same parent (contextual, explicit or root).
/// * **Spans**: the fields given at creation are scrubbed; the stack gets rebuilt `Attributes` with the same
///   metadata and parent, so span ids, names and the span tree are unchanged.
/// * **`Span::record`**: the recorded values are scrubbed and handed on as a rebuilt `Record`.
/// * **Kinds**: a value without findings keeps its kind (a `u64` stays a `u64`, a `bool` a `bool`, a `&str` a
///   string, an error an error with its source chain); a value with a finding becomes its scrubbed text.
/// * Everything else (`enabled`, `register_callsite`, `enter`, `exit`, `clone_span`, `try_close`, `current_span`,
///   `downcast_raw`, ...) is forwarded unchanged, so `EnvFilter`, per-layer filters, `Span::context()` of
///   tracing-opentelemetry and `tracing-log`'s bridge work as before.
///
/// `Scrubbed` does not implement `LookupSpan` on purpose: a layer added *on top* of it (`scrubbed(..).with(l)`)
/// would be called with the original values. Put every layer inside.
///
/// `Layer::event_enabled` hooks of the stack are asked with the scrubbed event as well (after scrubbing), so no
/// layer sees a raw value there either.
pub struct Scrubbed<S> {
    inner: S,
    core: Core,
}

impl<S> std::fmt::Debug for Scrubbed<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scrubbed")
            .field("scrubber", &self.core.scrubber)
            .finish_non_exhaustive()
    }
}

/// Wraps a subscriber (a whole layer stack) so that every layer in it sees only scrubbed values.
///
/// ```no_run
/// use tracing_subscriber::prelude::*;
///
/// let scrubber = logscrub_tracing::Scrubber::default_rules()?;
/// let stack = tracing_subscriber::registry()
///     .with(tracing_subscriber::fmt::layer())          // the plain fmt layer: it is handed scrubbed values
///     .with(tracing_subscriber::fmt::layer().json());  // and so is every other layer here
/// logscrub_tracing::scrubbed(scrubber, stack).init();
/// # Ok::<(), logscrub_tracing::EngineError>(())
/// ```
pub fn scrubbed<S: Subscriber>(scrubber: Scrubber, inner: S) -> Scrubbed<S> {
    Scrubbed {
        inner,
        core: Core::new(scrubber),
    }
}

impl<S> Scrubbed<S> {
    /// The scrubber in use.
    pub fn scrubber(&self) -> &Scrubber {
        &self.core.scrubber
    }

    /// The wrapped subscriber.
    pub fn get_ref(&self) -> &S {
        &self.inner
    }
}

impl<S: Subscriber> Scrubbed<S> {
    fn rebuilt_attributes(&self, attrs: &Attributes<'_>) -> Id {
        let cap = self.core.capture_all(|v| attrs.record(v));
        let holders = cap.holders(self.core.errors);
        let meta = attrs.metadata();
        with_callsite_values(meta.fields(), &cap.items, &holders, |values| {
            let rebuilt = if attrs.is_root() {
                Attributes::new_root(meta, values)
            } else if let Some(parent) = attrs.parent() {
                Attributes::child_of(parent.clone(), meta, values)
            } else {
                Attributes::new(meta, values)
            };
            self.inner.new_span(&rebuilt)
        })
    }
}

impl<S: Subscriber> Subscriber for Scrubbed<S> {
    fn on_register_dispatch(&self, subscriber: &Dispatch) {
        self.inner.on_register_dispatch(subscriber)
    }

    fn register_callsite(&self, metadata: &'static Metadata<'static>) -> Interest {
        self.inner.register_callsite(metadata)
    }

    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        self.inner.enabled(metadata)
    }

    fn max_level_hint(&self) -> Option<LevelFilter> {
        self.inner.max_level_hint()
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        self.rebuilt_attributes(span)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let cap = self.core.capture_all(|v| values.record(v));
        if cap.items.is_empty() {
            // The record holds no value at all (only empty fields): nothing to scrub, nothing to hand on.
            return;
        }
        let holders = cap.holders(self.core.errors);
        // A record is incremental: recording its fields in several parts is the same as recording them at once.
        for (items, holders) in cap.items.chunks(MAX_FIELDS).zip(holders.chunks(MAX_FIELDS)) {
            let _ = with_value_set(items, holders, |values| {
                self.inner.record(span, &Record::new(values))
            });
        }
    }

    fn record_follows_from(&self, span: &Id, follows: &Id) {
        self.inner.record_follows_from(span, follows)
    }

    /// Always `true` here: the stack's own `event_enabled` is asked in [`Subscriber::event`], with the scrubbed
    /// event, so that no layer's filter sees a raw value.
    fn event_enabled(&self, _event: &Event<'_>) -> bool {
        true
    }

    fn event(&self, event: &Event<'_>) {
        let cap = self.core.capture_all(|v| event.record(v));
        let holders = cap.holders(self.core.errors);
        rebuild_event(event, &cap, &holders, |rebuilt| {
            if self.inner.event_enabled(rebuilt) {
                self.inner.event(rebuilt);
            }
        });
    }

    fn enter(&self, span: &Id) {
        self.inner.enter(span)
    }

    fn exit(&self, span: &Id) {
        self.inner.exit(span)
    }

    fn clone_span(&self, id: &Id) -> Id {
        self.inner.clone_span(id)
    }

    #[allow(deprecated)]
    fn drop_span(&self, id: Id) {
        self.inner.drop_span(id)
    }

    fn try_close(&self, id: Id) -> bool {
        self.inner.try_close(id)
    }

    fn current_span(&self) -> Current {
        self.inner.current_span()
    }

    unsafe fn downcast_raw(&self, id: TypeId) -> Option<*const ()> {
        if id == TypeId::of::<Self>() {
            Some(self as *const Self as *const ())
        } else {
            // SAFETY: forwarded unchanged; the wrapped subscriber upholds the contract for its own parts.
            unsafe { self.inner.downcast_raw(id) }
        }
    }
}
