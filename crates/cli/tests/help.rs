//! The binary's own surface: `--help` documents exit codes and examples, bad flags give clap's usage and exit 2.
//! (Having an integration test here also makes `cargo test --workspace` build the `logscrub` binary that the
//! end-to-end tests in `tests/` run.)

use std::process::Command;

#[test]
fn help_documents_exit_codes() {
    let out = Command::new(env!("CARGO_BIN_EXE_logscrub"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("EXIT CODES"), "{text}");
    assert!(text.contains("scan"), "{text}");
}

#[test]
fn bad_flag_is_a_usage_error() {
    let out = Command::new(env!("CARGO_BIN_EXE_logscrub"))
        .arg("--no-such-flag")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Usage"));
}
