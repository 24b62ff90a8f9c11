#![no_main]
//! `cargo +nightly fuzz run kv_reader`: see `logscrub_daemon::fuzzing::kv_reader` for what it checks.
libfuzzer_sys::fuzz_target!(|data: &[u8]| logscrub_daemon::fuzzing::kv_reader(data));
