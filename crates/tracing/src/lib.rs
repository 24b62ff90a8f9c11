//! # logscrub-tracing
//!
//! Removes card numbers, IBANs, credentials in URLs, API keys, private keys and personal data from a Rust
//! application's `tracing` output *inside the process*, before any writer sees an event. Detection is the
//! logscrub engine's, with the same rules, actions and configuration as the `logscrub` CLI: this crate only decides
//! which bytes to hand to the engine and hands the result on.
//!
//! ```no_run
//! use tracing_subscriber::prelude::*;
//!
//! let scrubber = logscrub_tracing::Scrubber::default_rules()?;
//! let stack = tracing_subscriber::registry()
//!     .with(tracing_subscriber::EnvFilter::new("info"))
//!     .with(tracing_subscriber::fmt::layer())
//!     .with(tracing_subscriber::fmt::layer().json().with_writer(std::io::stderr)); // tracing-opentelemetry, Sentry ...
//! logscrub_tracing::scrubbed(scrubber, stack).init(); // every layer above sees only scrubbed values
//!
//! tracing::info!(name = "Jane Doe", card = 4111111111111111u64, "charged {}", "https://u:pw@example.com/");
//! # Ok::<(), logscrub_tracing::EngineError>(())
//! ```
//!
//! ## Why it is built this way
//!
//! A `tracing` layer cannot change an event for the layers beside it (tokio-rs/tracing#1349): a "scrubbing layer"
//! stacked next to `fmt` would scrub nothing that `fmt` prints. So the scrubbing has to happen before the layers
//! are called, where the text is made, or where it is written:
//!
//! 0. **Dispatch time** ([`scrubbed`] → [`Scrubbed`]) — for stacks with more than one output (fmt beside
//!    tracing-opentelemetry, Sentry, a JSON file layer). A `Subscriber` around the whole stack: each value of an
//!    event, of a new span and of a `Span::record` is rendered, passed through [`Scrubber::scrub_field`] with its
//!    field name as context, and the stack is called with a rebuilt event, span `Attributes` or `Record` over the
//!    same static metadata and the same parent, holding the scrubbed values. The engine runs once per value, and
//!    every layer — filters included — sees the same scrubbed values.
//! 1. **Format time** ([`fmt_layer`], [`ScrubEvents`], [`ScrubFields`]) — when tracing-subscriber's `fmt` layer is
//!    the only output. The same scrubbing, done inside the formatter, so that it costs nothing for the layers
//!    it does not serve. The formatter does the rest as always, so the output layout is unchanged and the JSON
//!    formatter still escapes every string: JSON stays valid. A number with a finding (a card number logged as
//!    `u64`) becomes a string, `"[REDACTED:credit_card]"`, rather than invalid JSON.
//! 2. **Write time** ([`ScrubWriter`]) — the backstop. It wraps any `MakeWriter` and scrubs the finished bytes line
//!    by line with the engine's [`LineStream`], like the CLI does on a file. It works with any formatter, including
//!    third-party ones, but only sees text: it recovers `key=value` and JSON keys from the text, and colour codes
//!    around a key can hide it.
//!
//! The field name is the engine's context in 0 and 1: a `password` field is secret whatever it holds, a `name`
//! field is a person's name, a card number in a `notes` field is found without a "card" keyword.
//!
//! ## Which one to use
//!
//! * more than one layer that sees values (tracing-opentelemetry, opentelemetry-appender-tracing, sentry-tracing,
//!   a JSON file layer through tracing-appender, your own): wrap the stack in [`scrubbed`], with the plain
//!   layers inside (not [`fmt_layer`], which would scan every value a second time).
//! * tracing-subscriber's own formats (full, compact, pretty, JSON) as the only output: [`fmt_layer`], optionally
//!   `.json()` etc.
//! * a third-party or hand-written `FormatEvent`: put it into the layer with [`ScrubLayer::event_format`] (it then
//!   only sees scrubbed values); if it bypasses the event's values (reads them some other way), add
//!   [`ScrubLayer::with_backstop`].
//! * a layer you cannot change at all that reads values some other way than through the event (another crate's
//!   writer, a `Box<dyn Write>` that several things write to): give it a [`ScrubWriter`] as its writer.
//! * both together ([`ScrubLayer::with_backstop`]) for defence in depth, at the cost of a second scan per line.
//!
//! ## Cost
//!
//! Every field costs one engine call. Values an application logs again and again (`method="GET"`, `status=200`, a
//! fixed message) are remembered per thread once the engine has found nothing in them under that field name, and
//! are not scanned again; the memo compares every byte of the value and never holds a value with a finding. See the
//! README for measured figures.
//!
//! ## What is covered
//!
//! The message and every field, whatever way it was recorded (`record_str`, `record_debug` for `?x` and `%x`,
//! `record_error` with each error of the source chain, `record_bytes`, integers and floats), span fields (given at
//! creation and recorded later with `Span::record`), and events of the `log` crate forwarded with `tracing-log`.
//! Booleans are passed through: they cannot carry a value. Names, targets, levels and span names are static
//! metadata written in the code, and are not scanned.
//!
//! ## What this crate does not do
//!
//! It does not detect anything itself and it never drops an event: a value the engine does not flag is printed as
//! is.
//!
//! ## Writing off the logging thread
//!
//! [`NonBlocking`] moves the *writing* to a worker thread (scrubbing stays in the formatter, so only scrubbed
//! bytes are queued). Its queue is bounded and, unlike the usual non-blocking writers, it **blocks** when full: a
//! lost log line is worse than a slow one. Dropping is opt-in ([`NonBlockingBuilder::lossy`]) and counted
//! ([`NonBlocking::dropped`]).
//!
//! ```no_run
//! use tracing_subscriber::prelude::*;
//! let scrubber = logscrub_tracing::Scrubber::default_rules()?;
//! let (writer, _guard) = logscrub_tracing::NonBlocking::new(std::io::stdout())?;
//! tracing_subscriber::registry().with(logscrub_tracing::fmt_layer(scrubber).with_writer(writer)).init();
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`LineStream`]: logscrub_engine::LineStream

#![deny(missing_docs)]

mod capture;
mod config;
mod error;
mod format;
mod layer;
mod non_blocking;
mod subscriber;
mod writer;

pub use config::ScrubberConfig;
pub use error::Error;
pub use format::{ScrubEvents, ScrubFields};
pub use layer::{fmt_layer, ScrubLayer};
pub use non_blocking::{NonBlocking, NonBlockingBuilder, WorkerGuard};
pub use subscriber::{scrubbed, Scrubbed};
pub use writer::{ScrubWriter, ScrubbingWriter};

/// The engine's compiled scrubber, re-exported so that `logscrub_tracing::Scrubber::default_rules()` works without
/// a second dependency.
pub use logscrub_engine::Scrubber;

/// The engine's error (rules or policy rejected), re-exported for `Scrubber::default_rules()?`.
pub use logscrub_engine::Error as EngineError;
