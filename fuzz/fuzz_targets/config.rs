#![no_main]
//! `cargo +nightly fuzz run config`: see `logscrub_daemon::fuzzing::config` for what it checks.
libfuzzer_sys::fuzz_target!(|data: &[u8]| logscrub_daemon::fuzzing::config(data));
