//! The generated files shipped under `crates/cli/dist/`: man pages (clap_mangen) and shell completions
//! (clap_complete), both from the one command definition. `cargo run -p logscrub-cli --example gen-dist` writes
//! them; a test fails when the committed copies are out of date. Nothing here runs in the `logscrub` binary.

use clap_complete::Shell;

/// Every generated file: its path under `crates/cli/dist/` and its contents.
pub fn files() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let cmd = crate::command();
    man_pages(&cmd, "logscrub", &mut out);
    for shell in [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::Elvish,
        Shell::PowerShell,
    ] {
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut crate::command(), "logscrub", &mut buf);
        let name = match shell {
            Shell::Bash => "logscrub.bash".to_string(),
            Shell::Zsh => "_logscrub".to_string(),
            Shell::Fish => "logscrub.fish".to_string(),
            Shell::Elvish => "logscrub.elv".to_string(),
            _ => "_logscrub.ps1".to_string(),
        };
        out.push((format!("completions/{name}"), buf));
    }
    out
}

/// `logscrub.1`, then `logscrub-scan.1`, `logscrub-rules-check.1`, ... for every subcommand.
fn man_pages(cmd: &clap::Command, name: &str, out: &mut Vec<(String, Vec<u8>)>) {
    // clap keeps names as `&'static str`; the generator runs once, so leaking a few names is fine.
    let static_name: &'static str = Box::leak(name.to_string().into_boxed_str());
    let cmd = cmd.clone().name(static_name).bin_name(static_name);
    let mut buf = Vec::new();
    if clap_mangen::Man::new(cmd.clone()).render(&mut buf).is_ok() {
        out.push((format!("man/{name}.1"), buf));
    }
    for sub in cmd.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        man_pages(sub, &format!("{name}-{}", sub.get_name()), out);
    }
}
