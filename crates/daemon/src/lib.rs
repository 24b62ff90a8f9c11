//! # logscrub-daemon
//!
//! `logscrubd` receives logs over the protocols shippers already speak (stdin, TCP and Unix text, syslog
//! RFC 5424/3164 over TCP and UDP, HTTP NDJSON/JSON/text, OTLP/HTTP logs, file tail; Kafka with the `kafka`
//! feature), scrubs them with
//! `logscrub-engine`, persists only the scrubbed result, and acknowledges upstream only once it is durable.
//!
//! The daemon is a thin shell: it frames, calls the engine, persists, acknowledges. Nothing here detects or
//! rewrites sensitive values itself, and no raw value is ever written to disk, to the daemon's logs, to metrics,
//! to the findings log or into an error message.
//!
//! Shape: [`source`] tasks scrub records into [`pipeline::Batch`]es and send them through the
//! [`pipeline::Queue`] into the bounded lane of every [`sink`] that takes their source; each sink (and the
//! [`findings`] log) runs in its own task ([`writer`]), writes groups of batches and syncs them (group commit);
//! a batch is acknowledged once every sink that takes it has it durably ([`delivery`]). [`app`] wires it
//! together and handles signals.

#![deny(missing_docs)]

pub mod age;
pub mod app;
pub mod budget;
pub mod config;
pub mod delivery;
pub mod environment;
pub mod findings;
pub mod forward;
#[doc(hidden)]
pub mod fuzzing;
pub mod interpolate;
pub mod kafka;
pub mod metrics;
pub mod otlp;
pub mod pipeline;
pub mod scrub;
pub mod sink;
pub mod source;
pub mod streams;
pub mod tls;
pub mod util;
pub mod writer;
