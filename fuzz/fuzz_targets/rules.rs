#![no_main]
//! `cargo +nightly fuzz run rules`: see `logscrub_daemon::fuzzing::rules` for what it checks.
libfuzzer_sys::fuzz_target!(|data: &[u8]| logscrub_daemon::fuzzing::rules(data));
