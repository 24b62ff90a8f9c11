#![no_main]
//! `cargo +nightly fuzz run http_body`: see `logscrub_daemon::fuzzing::http_body` for what it checks.
libfuzzer_sys::fuzz_target!(|data: &[u8]| logscrub_daemon::fuzzing::http_body(data));
