//! Loading a scrubber from the same inputs as the CLI: the default rule pack, a rules directory, a policy file.

use std::path::PathBuf;

use logscrub_engine::Scrubber;
use logscrub_loader::Sources;

use crate::Error;

/// Builds a [`Scrubber`] from files, so that an application scrubs with exactly the rules, actions and
/// configuration its operators already use with the `logscrub` CLI.
///
/// * the default pack, unless [`ScrubberConfig::without_default_pack`];
/// * every `*.toml` file of [`ScrubberConfig::rules_dir`], in file-name order; a rule whose id exists already
///   replaces it (the engine's override rule);
/// * the policy file ([`ScrubberConfig::policy_file`], `logscrub.toml`): rule switches, actions, limits, and where
///   the pseudonym key comes from (`pseudonym.key_file` or `pseudonym.key_env`, id `pseudonym.key_id` or
///   `k1`, the same default as the CLI and the daemon).
///
/// ```no_run
/// let scrubber = logscrub_tracing::ScrubberConfig::new()
///     .rules_dir("/etc/logscrub/rules")
///     .policy_file("/etc/logscrub/logscrub.toml")
///     .build()?;
/// # Ok::<(), logscrub_tracing::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ScrubberConfig {
    default_pack: bool,
    rules_dir: Option<PathBuf>,
    policy_file: Option<PathBuf>,
}

impl Default for ScrubberConfig {
    fn default() -> Self {
        Self::new()
    }
}

impl ScrubberConfig {
    /// The default pack and the default policy (every rule on, `redact`).
    pub fn new() -> Self {
        ScrubberConfig {
            default_pack: true,
            rules_dir: None,
            policy_file: None,
        }
    }

    /// Adds (or overrides) rules from every `*.toml` file in `dir`.
    pub fn rules_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.rules_dir = Some(dir.into());
        self
    }

    /// Reads the policy from `file`.
    pub fn policy_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.policy_file = Some(file.into());
        self
    }

    /// Starts from no rules instead of the default pack (only the rules directory's rules run).
    pub fn without_default_pack(mut self) -> Self {
        self.default_pack = false;
        self
    }

    /// Reads the files and compiles the scrubber; every engine problem is reported at once. Loading is
    /// `logscrub-loader`'s, shared with the CLI and the daemon: the same key id, key trimming and checks of custom
    /// rules' examples everywhere. The scrubber is warmed up ([`Scrubber::warm_up`]): what the engine would build on
    /// first need is built here, so that no logging call later pays for it.
    pub fn build(&self) -> Result<Scrubber, Error> {
        let mut src = Sources::new();
        if !self.default_pack {
            src = src.without_default_pack();
        }
        if let Some(dir) = &self.rules_dir {
            src = src.rules(dir);
        }
        if let Some(file) = &self.policy_file {
            src = src.policy_file(file);
        }
        let scrubber = src.load()?.scrubber;
        scrubber.warm_up();
        Ok(scrubber)
    }
}
