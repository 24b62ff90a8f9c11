//! Loading a scrubber from the same inputs as the CLI: the default rule pack, a rules directory, a policy file.

use std::path::{Path, PathBuf};

use logscrub_engine::{Key, PolicyConfig, RuleSet, Scrubber};

use crate::Error;

/// Builds a [`Scrubber`] from files, so that an application scrubs with exactly the rules, actions and
/// configuration its operators already use with the `logscrub` CLI.
///
/// * the default pack, unless [`ScrubberConfig::without_default_pack`];
/// * every `*.toml` file of [`ScrubberConfig::rules_dir`], in file-name order; a rule whose id exists already
///   replaces it (the engine's override rule);
/// * the policy file ([`ScrubberConfig::policy_file`], `logscrub.toml`): rule switches, actions, limits, and where
///   the pseudonym key comes from (`pseudonym.key_file` or `pseudonym.key_env`, id `pseudonym.key_id` or
///   `default`).
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

    /// Reads the files and compiles the scrubber; every engine problem is reported at once.
    pub fn build(&self) -> Result<Scrubber, Error> {
        let mut rules = if self.default_pack {
            RuleSet::default_pack()?
        } else {
            RuleSet::new()
        };
        if let Some(dir) = &self.rules_dir {
            let mut files = Vec::new();
            let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
            for entry in entries {
                let path = entry.map_err(|e| Error::io(dir, e))?.path();
                if path.extension().is_some_and(|x| x == "toml") {
                    files.push(path);
                }
            }
            files.sort();
            let mut problems = Vec::new();
            for path in files {
                let text = read(&path)?;
                if let Err(e) = rules.add_toml(&path.display().to_string(), &text) {
                    problems.extend(e.0);
                }
            }
            if !problems.is_empty() {
                return Err(logscrub_engine::Error(problems).into());
            }
        }
        let mut builder = Scrubber::builder().rules(rules);
        if let Some(file) = &self.policy_file {
            let text = read(file)?;
            let policy = PolicyConfig::from_toml(&file.display().to_string(), &text)
                .map_err(logscrub_engine::Error::from)?;
            if let Some(key) = load_key(&policy)? {
                builder = builder.key(key);
            }
            builder = builder.policy(policy);
        }
        Ok(builder.build()?)
    }
}

fn read(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|e| Error::io(path, e))
}

fn load_key(policy: &PolicyConfig) -> Result<Option<Key>, Error> {
    let src = &policy.pseudonym;
    let id = src.key_id.as_deref().unwrap_or("default");
    let bytes = if let Some(file) = &src.key_file {
        let path = Path::new(file);
        let mut bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        while bytes.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            bytes.pop();
        }
        bytes
    } else if let Some(var) = &src.key_env {
        match std::env::var_os(var) {
            Some(v) => v.into_encoded_bytes(),
            None => return Err(Error::MissingKeyEnv(var.clone())),
        }
    } else {
        return Ok(None);
    };
    Ok(Some(
        Key::new(id, &bytes).map_err(logscrub_engine::Error::from)?,
    ))
}
