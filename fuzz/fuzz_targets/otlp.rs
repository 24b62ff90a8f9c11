#![no_main]
//! `cargo +nightly fuzz run otlp`: see `logscrub_daemon::fuzzing::otlp` for what it checks.
libfuzzer_sys::fuzz_target!(|data: &[u8]| logscrub_daemon::fuzzing::otlp(data));
