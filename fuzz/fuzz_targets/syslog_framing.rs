#![no_main]
//! `cargo +nightly fuzz run syslog_framing`: see `logscrub_daemon::fuzzing::syslog_framing` for what it checks.
libfuzzer_sys::fuzz_target!(|data: &[u8]| logscrub_daemon::fuzzing::syslog_framing(data));
