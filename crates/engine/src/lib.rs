//! # logscrub-engine
//!
//! Finds sensitive values in log lines (payment cards, IBANs, credentials in URLs, API keys, private keys,
//! personal data) and rewrites only those bytes. Everything else — every other byte, line break and line — stays
//! as it was, JSON stays valid JSON, and scrubbing twice gives the same bytes as scrubbing once.
//!
//! The engine is a pure library: no I/O, no async, no global state. The CLI, the `tracing` integration and the
//! daemon are thin shells around it, so a value is detected the same way whichever way the log arrives.
//!
//! ## Shape
//!
//! * [`RuleSet`] holds rules as data (TOML, see `rules/README.md`); [`PolicyConfig`] says which rules run and what
//!   replaces a finding ([`Action`]).
//! * [`Scrubber`] is the compiled, immutable, `Send + Sync` result. Build it once ([`Scrubber::builder`]).
//! * [`Scratch`] holds per-thread buffers; [`Scrubber::scrub_line`] rewrites one line with it.
//! * [`LineStream`] scrubs a byte stream in bounded memory: line framing, CRLF, over-long lines, private keys
//!   spread over many lines. [`Scrubber::safe_cut`] tells a caller that splits a stream where it may cut.
//! * [`Record`] and [`Scrubber::scrub_record`] scrub structured records (JSON bodies, OTLP attributes, syslog
//!   structured data, `tracing` fields) value by value, with each value's key as context; free text in a record
//!   can continue its producer's stream ([`Scrubber::scrub_record_streamed`]). [`JsonText`] is JSON text as a
//!   record that keeps every byte it does not replace.
//!
//! Every path produces one list of findings in input coordinates, and the rewrite consumes that list and nothing
//! else: what `scan` reports is exactly what the filter replaces.
//!
//! ```
//! use logscrub_engine::Scrubber;
//! let scrubber = Scrubber::default_rules().unwrap();
//! let mut scratch = scrubber.scratch();
//! let mut out = Vec::new();
//! scrubber.scrub_line(br#"{"card": 4111111111111111, "user": "ann"}"#, &mut out, &mut scratch);
//! assert_eq!(out, br#"{"card": "[REDACTED:credit_card]", "user": "ann"}"#);
//! ```
//!
//! ## Why it is shaped this way
//!
//! A scrubber sits in front of every log stream, so most lines must cost almost nothing. Every rule therefore has
//! a prefilter (its keywords, or for a keyword-less rule its own pattern), and all prefilters run as one
//! multi-pattern automaton over a whole block of lines at once ([`Backend::Rust`]: regex-automata's lazy DFA;
//! [`Backend::Vectorscan`] with the `vectorscan` feature). A line no prefilter reports is copied as it is; on the
//! others only the reported rules run their regex. Validators (Luhn, mod-97, ABA, ...) and context (keywords
//! before the value, the field's key) then keep precision high, so that trace ids, UUIDs and hashes are left
//! alone.
//!
//! Findings never carry the value: a rule, a byte range and a keyed hash. Nothing in this crate formats a
//! scanned value into an error or a `Debug` string.

#![deny(missing_docs)]

mod compile;
mod error;
mod examples;
mod fields;
pub mod idcheck;
mod json_record;
mod keywords;
pub mod placeholder;
mod policy;
mod prefilter;
mod record;
mod resolve;
mod rewrite;
mod rule_regex;
mod rules;
mod scrubber;
mod secret_value;
mod stream;
pub mod tokencheck;
mod url_view;
pub mod validate;
#[cfg(feature = "vectorscan")]
pub(crate) mod vectorscan;

pub use compile::{RuleInfo, ScrubberBuilder};
pub use error::{Error, Problem};
pub use examples::{ExampleFailure, ExampleFailureKind};
pub use json_record::{JsonText, JsonTextError};
pub use policy::{
    Action, Actions, Key, KeySource, Limits, LongLinePolicy, PolicyConfig, RuleSwitches,
};
pub use prefilter::Backend;
pub use record::{render_path, PathSegment, Record, RecordFinding, RecordOutcome, RecordVisitor};
pub use rules::{
    Category, ContextConfig, ExpectedExample, FieldMatch, PackSettings, RuleConfig, RuleFile,
    RuleKind, RuleSet, SourcedRule, ValidatorName, ValueShape,
};
pub use scrubber::{Finding, RuleRef, Scratch, Scrubber};
pub use stream::{LineFinding, LineStream, Stats};

/// Entry point for the key/value reader's fuzz target (`fuzz/`): `(normalized key, value range, quoted)` of every
/// field of `line`. Not a stable API.
#[doc(hidden)]
pub fn fuzz_read_fields(line: &[u8]) -> Vec<(String, std::ops::Range<usize>, bool)> {
    let mut v = Vec::new();
    fields::read_fields(line, &mut v);
    v.into_iter()
        .map(|f| (f.key.as_str().to_string(), f.value, f.quoted))
        .collect()
}
