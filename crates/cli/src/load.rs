//! Building the scrubber from the command line: the default pack, `--rules DIR`, the policy file and the
//! pseudonym key. This is where the CLI does the file and environment I/O that the engine must not do.

use std::fmt;

use anyhow::Result;
use logscrub_engine::{Backend, Key, PolicyConfig, RuleSet, Scrubber};
use logscrub_loader::Sources;

use crate::RuleArgs;

/// A problem with the user's flags, configuration or rules (exit code 2), as opposed to an I/O failure.
#[derive(Debug)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

fn usage(msg: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(UsageError(msg.into()))
}

/// Where the rules and the policy come from, per the flags. Loading itself is `logscrub-loader`'s, shared with
/// the daemon and the tracing layer, so one policy behaves the same everywhere.
fn sources(args: &RuleArgs) -> Result<Sources> {
    let mut src = Sources::new().backend(backend(args)?);
    if let Some(dir) = &args.rules {
        src = src.rules(dir);
    }
    if let Some(file) = &args.config {
        src = src.policy_file(file);
    }
    Ok(src)
}

/// The default pack plus the rules of `--rules DIR`, and the ids of the rules that came from DIR.
pub fn rule_set(args: &RuleArgs) -> Result<(RuleSet, Vec<String>)> {
    sources(args)?.rule_set().map_err(|e| usage(e.to_string()))
}

/// The policy file, or the default policy.
pub fn policy(args: &RuleArgs) -> Result<PolicyConfig> {
    sources(args)?
        .read_policy()
        .map_err(|e| usage(e.to_string()))
}

/// Builds the scrubber; custom rules must pass their own examples.
pub fn scrubber(args: &RuleArgs) -> Result<Scrubber> {
    scrubber_with_fallback_key(args, None)
}

/// Like [`scrubber`], with `fallback` as the key when the policy names none (scan's fixed salt, so that its
/// hashes are stable across runs).
pub fn scrubber_with_fallback_key(args: &RuleArgs, fallback: Option<Key>) -> Result<Scrubber> {
    let mut src = sources(args)?;
    if let Some(k) = fallback {
        src = src.fallback_key(k);
    }
    src.load()
        .map(|l| l.scrubber)
        .map_err(|e| usage(e.to_string()))
}

/// The backend `--backend` names (default: pure Rust); a backend this build lacks is a usage error.
pub fn backend(args: &RuleArgs) -> Result<Backend> {
    let b: Backend = args.backend.map(Backend::from).unwrap_or_default();
    if !Backend::compiled().contains(&b) {
        return Err(usage(format!(
            "--backend {b}: this logscrub was built without it; rebuild with `cargo build --release --features vectorscan` \
             (needs cmake and libboost-dev) or use --backend rust"
        )));
    }
    Ok(b)
}

/// One line saying which example of which rule failed and how to fix it (never the example's text).
pub fn describe_failure(s: &Scrubber, f: &logscrub_engine::ExampleFailure) -> String {
    f.describe(s)
}
