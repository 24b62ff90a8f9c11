//! A layer that records every value it is handed (events, `event_enabled`, new spans, `Span::record`), with the
//! kind it was recorded as, the metadata and the parent span: what any third-party layer could see.
#![allow(dead_code)]

use std::error::Error as StdError;
use std::fmt;
use std::sync::{Arc, Mutex};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::registry::LookupSpan;

/// A value as the layer received it.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Str(String),
    Debug(String),
    U64(u64),
    I64(i64),
    U128(u128),
    I128(i128),
    F64(f64),
    Bool(bool),
    Bytes(Vec<u8>),
    /// The error's message, then each source's.
    Error(Vec<String>),
}

impl Val {
    pub fn kind(&self) -> &'static str {
        match self {
            Val::Str(_) => "str",
            Val::Debug(_) => "debug",
            Val::U64(_) => "u64",
            Val::I64(_) => "i64",
            Val::U128(_) => "u128",
            Val::I128(_) => "i128",
            Val::F64(_) => "f64",
            Val::Bool(_) => "bool",
            Val::Bytes(_) => "bytes",
            Val::Error(_) => "error",
        }
    }

    /// The value as text (what a formatter would print).
    pub fn text(&self) -> String {
        match self {
            Val::Str(s) | Val::Debug(s) => s.clone(),
            Val::U64(v) => v.to_string(),
            Val::I64(v) => v.to_string(),
            Val::U128(v) => v.to_string(),
            Val::I128(v) => v.to_string(),
            Val::F64(v) => v.to_string(),
            Val::Bool(v) => v.to_string(),
            Val::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
            Val::Error(parts) => parts.join(": "),
        }
    }
}

/// One call the layer received.
#[derive(Debug, Clone, PartialEq)]
pub struct Seen {
    /// `event`, `event_enabled`, `new_span` or `record`.
    pub hook: &'static str,
    pub name: &'static str,
    pub level: Level,
    pub target: &'static str,
    /// The parent span's name (for a span: its parent; for an event: the span it belongs to; for a record: the
    /// span recorded into).
    pub parent: Option<&'static str>,
    pub fields: Vec<(&'static str, Val)>,
    /// For a record: what `Record::len()` said.
    pub record_len: Option<usize>,
}

impl Seen {
    pub fn field(&self, name: &str) -> Option<&Val> {
        self.fields.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    /// Everything but the values: hook, metadata, parent, field names and kinds.
    pub fn shape(&self) -> String {
        let fields: Vec<String> = self
            .fields
            .iter()
            .map(|(n, v)| format!("{n}:{}", v.kind()))
            .collect();
        format!(
            "{} {} {} {} parent={:?} [{}]",
            self.hook,
            self.level,
            self.target,
            self.name,
            self.parent,
            fields.join(" ")
        )
    }
}

/// The recording layer; clones share what was recorded.
#[derive(Clone, Default)]
pub struct Recorder(pub Arc<Mutex<Vec<Seen>>>);

impl Recorder {
    pub fn seen(&self) -> Vec<Seen> {
        self.0.lock().unwrap().clone()
    }

    /// Every value it was handed, as one text (to search for planted values).
    pub fn dump(&self) -> String {
        let mut out = String::new();
        for s in self.seen() {
            for (n, v) in &s.fields {
                out.push_str(&format!("{n}={}\n", v.text()));
            }
        }
        out
    }

    fn push(&self, seen: Seen) {
        self.0.lock().unwrap().push(seen);
    }
}

struct Collect<'a>(&'a mut Vec<(&'static str, Val)>);

impl Visit for Collect<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.0
            .push((field.name(), Val::Debug(format!("{value:?}"))));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name(), Val::Str(value.to_owned())));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.push((field.name(), Val::U64(value)));
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.push((field.name(), Val::I64(value)));
    }
    fn record_u128(&mut self, field: &Field, value: u128) {
        self.0.push((field.name(), Val::U128(value)));
    }
    fn record_i128(&mut self, field: &Field, value: i128) {
        self.0.push((field.name(), Val::I128(value)));
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.0.push((field.name(), Val::F64(value)));
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.push((field.name(), Val::Bool(value)));
    }
    fn record_bytes(&mut self, field: &Field, value: &[u8]) {
        self.0.push((field.name(), Val::Bytes(value.to_vec())));
    }
    fn record_error(&mut self, field: &Field, value: &(dyn StdError + 'static)) {
        let mut parts = Vec::new();
        let mut next = Some(value);
        while let Some(e) = next {
            parts.push(e.to_string());
            next = e.source();
        }
        self.0.push((field.name(), Val::Error(parts)));
    }
}

impl<S> Layer<S> for Recorder
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    fn on_new_span(&self, attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        let mut fields = Vec::new();
        attrs.record(&mut Collect(&mut fields));
        let meta = attrs.metadata();
        let parent = ctx.span(id).and_then(|s| s.parent()).map(|p| p.name());
        self.push(Seen {
            hook: "new_span",
            name: meta.name(),
            level: *meta.level(),
            target: meta.target(),
            parent,
            fields,
            record_len: None,
        });
    }

    fn on_record(&self, id: &Id, values: &Record<'_>, ctx: Context<'_, S>) {
        let mut fields = Vec::new();
        values.record(&mut Collect(&mut fields));
        let Some(span) = ctx.span(id) else { return };
        let meta = span.metadata();
        self.push(Seen {
            hook: "record",
            name: meta.name(),
            level: *meta.level(),
            target: meta.target(),
            parent: Some(meta.name()),
            fields,
            record_len: Some(values.len()),
        });
    }

    fn event_enabled(&self, event: &Event<'_>, ctx: Context<'_, S>) -> bool {
        self.push(seen_event("event_enabled", event, &ctx));
        true
    }

    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        self.push(seen_event("event", event, &ctx));
    }
}

fn seen_event<S>(hook: &'static str, event: &Event<'_>, ctx: &Context<'_, S>) -> Seen
where
    S: Subscriber + for<'a> LookupSpan<'a>,
{
    let mut fields = Vec::new();
    event.record(&mut Collect(&mut fields));
    let meta = event.metadata();
    Seen {
        hook,
        name: meta.name(),
        level: *meta.level(),
        target: meta.target(),
        parent: ctx.event_span(event).map(|s| s.name()),
        fields,
        record_len: None,
    }
}
