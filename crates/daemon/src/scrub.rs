//! Builds the engine's [`Scrubber`] from the `[scrub]` configuration and holds the current one so that SIGHUP
//! can swap it atomically.
//!
//! Detection and rewriting live in the engine only; this module never inspects log bytes itself. It reads the
//! pseudonym key (file or environment) and passes the bytes to the engine; it never prints them.

use std::sync::{Arc, RwLock};

use logscrub_engine::Scrubber;
use logscrub_loader::{LoadError, Sources};

use crate::config::{Config, ConfigError};

/// Compiles the rules and policy of `cfg`, reporting every problem. Loading is `logscrub-loader`'s, shared with
/// the CLI and the tracing layer: the same defaults (key id, key trimming, custom rules checked against their own
/// examples) everywhere.
pub fn build_scrubber(cfg: &Config) -> Result<Scrubber, ConfigError> {
    let sc = &cfg.scrub;
    let mut src = Sources::new();
    if !sc.default_pack {
        src = src.without_default_pack();
    }
    for f in &sc.rule_files {
        src = src.rules(f);
    }
    if let Some(p) = &sc.policy_file {
        src = src.policy_file(p);
    } else if let Some(p) = &sc.policy {
        src = src.policy(p.clone());
    }
    let (rules, _) = src.rule_set().map_err(load_error)?;
    if rules.rules().is_empty() {
        return Err(ConfigError::Invalid {
            field: "scrub.default_pack".into(),
            message: "no rules loaded: enable the default pack or add rule_files".into(),
        });
    }
    src.load().map(|l| l.scrubber).map_err(load_error)
}

fn load_error(e: LoadError) -> ConfigError {
    let field = match &e {
        LoadError::Read { what, .. } if what.starts_with("pseudonym") => {
            "scrub.policy.pseudonym.key_file"
        }
        LoadError::Read { what, .. } if what.starts_with("policy") => "scrub.policy_file",
        LoadError::Read { .. } | LoadError::EmptyRulesDir(_) => "scrub.rule_files",
        LoadError::MissingKeyEnv(_) => "scrub.policy.pseudonym.key_env",
        LoadError::KeyNeeded => "scrub.policy.pseudonym",
        LoadError::Engine(_) | LoadError::Examples(_) => return ConfigError::Scrub(e.to_string()),
    };
    ConfigError::Invalid {
        field: field.into(),
        message: e.to_string(),
    }
}

/// The scrubber currently in force, swapped whole on reload. Sources take a clone per connection or request, so
/// a reload never changes the rules in the middle of a record. The generation counts reloads, so that
/// per-producer streams ([`crate::streams`]) made with an older scrubber are replaced at a record boundary.
#[derive(Clone)]
pub struct ScrubHandle(Arc<RwLock<(Scrubber, u64)>>);

impl ScrubHandle {
    /// Holds `s`.
    pub fn new(s: Scrubber) -> Self {
        ScrubHandle(Arc::new(RwLock::new((s, 0))))
    }

    /// The current scrubber.
    pub fn get(&self) -> Scrubber {
        self.current().0
    }

    /// The current scrubber and its generation.
    pub fn current(&self) -> (Scrubber, u64) {
        match self.0.read() {
            Ok(g) => g.clone(),
            Err(p) => p.into_inner().clone(),
        }
    }

    /// Replaces the scrubber (a new generation).
    pub fn set(&self, s: Scrubber) {
        let mut g = match self.0.write() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        let generation = g.1 + 1;
        *g = (s, generation);
    }
}
