#![no_main]
//! `cargo +nightly fuzz run syslog_message`: see `logscrub_daemon::fuzzing::syslog_message` for what it checks.
libfuzzer_sys::fuzz_target!(|data: &[u8]| logscrub_daemon::fuzzing::syslog_message(data));
