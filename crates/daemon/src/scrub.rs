//! Builds the engine's [`Scrubber`] from the `[scrub]` configuration and holds the current one so that SIGHUP
//! can swap it atomically.
//!
//! Detection and rewriting live in the engine only; this module never inspects log bytes itself. It reads the
//! pseudonym key (file or environment) and passes the bytes to the engine; it never prints them.

use std::sync::{Arc, RwLock};

use logscrub_engine::{Key, PolicyConfig, RuleSet, Scrubber};

use crate::config::{Config, ConfigError};

/// Compiles the rules and policy of `cfg`, reporting every problem.
pub fn build_scrubber(cfg: &Config) -> Result<Scrubber, ConfigError> {
    let sc = &cfg.scrub;
    let mut rules = if sc.default_pack {
        RuleSet::default_pack().map_err(|e| ConfigError::Scrub(e.to_string()))?
    } else {
        RuleSet::new()
    };
    for f in &sc.rule_files {
        let text = std::fs::read_to_string(f).map_err(|e| ConfigError::Invalid {
            field: "scrub.rule_files".into(),
            message: format!("cannot read {}: {e}", f.display()),
        })?;
        rules
            .add_toml(&f.display().to_string(), &text)
            .map_err(|e| ConfigError::Scrub(e.to_string()))?;
    }
    if rules.rules().is_empty() {
        return Err(ConfigError::Invalid {
            field: "scrub.default_pack".into(),
            message: "no rules loaded: enable the default pack or add rule_files".into(),
        });
    }
    let policy = match (&sc.policy_file, &sc.policy) {
        (Some(p), _) => {
            let text = std::fs::read_to_string(p).map_err(|e| ConfigError::Invalid {
                field: "scrub.policy_file".into(),
                message: format!("cannot read {}: {e}", p.display()),
            })?;
            PolicyConfig::from_toml(&p.display().to_string(), &text)
                .map_err(|e| ConfigError::Scrub(e.to_string()))?
        }
        (None, Some(p)) => p.clone(),
        (None, None) => PolicyConfig::default(),
    };
    let key = load_key(&policy)?;
    let mut b = Scrubber::builder().rules(rules).policy(policy);
    if let Some(k) = key {
        b = b.key(k);
    }
    b.build().map_err(|e| ConfigError::Scrub(e.to_string()))
}

fn load_key(policy: &PolicyConfig) -> Result<Option<Key>, ConfigError> {
    let ks = &policy.pseudonym;
    let bytes = if let Some(f) = &ks.key_file {
        let raw = std::fs::read(f).map_err(|e| ConfigError::Invalid {
            field: "scrub.policy.pseudonym.key_file".into(),
            message: format!("cannot read {f}: {e}"),
        })?;
        Some(trim(&raw).to_vec())
    } else if let Some(v) = &ks.key_env {
        match std::env::var_os(v) {
            Some(val) => Some(trim(val.as_encoded_bytes()).to_vec()),
            None => {
                return Err(ConfigError::Invalid {
                    field: "scrub.policy.pseudonym.key_env".into(),
                    message: format!("the environment variable {v} is not set"),
                })
            }
        }
    } else {
        None
    };
    match bytes {
        Some(b) => {
            let id = ks.key_id.as_deref().unwrap_or("k1");
            Key::new(id, &b)
                .map(Some)
                .map_err(|e| ConfigError::Scrub(e.to_string()))
        }
        None if policy.needs_key() => Err(ConfigError::Invalid {
            field: "scrub.policy.pseudonym".into(),
            message: "the pseudonym action needs a key: set key_file or key_env".into(),
        }),
        None => Ok(None),
    }
}

fn trim(b: &[u8]) -> &[u8] {
    let s = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let e = b
        .iter()
        .rposition(|c| !c.is_ascii_whitespace())
        .map_or(s, |i| i + 1);
    &b[s..e.max(s)]
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
