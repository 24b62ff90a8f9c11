//! The operator's policy: which rules run, what replaces a finding, and what happens when a line cannot be scanned
//! normally. Parsed from TOML text here; reading files and the environment (the pseudonym key) is the caller's job,
//! so the engine stays free of I/O.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::Problem;
use crate::rules::Category;

/// What replaces a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// `[REDACTED:<class>]`.
    #[default]
    Redact,
    /// Every letter and digit but the last `keep_last` becomes `*`; separators stay (`**** **** **** 1111`).
    Mask {
        /// How many trailing letters/digits stay readable.
        #[serde(default = "default_keep_last")]
        keep_last: usize,
    },
    /// `[PSEUDO:<class>:<key id>:<token>]`, where the token is a truncated HMAC-SHA256 of the value under the
    /// operator's key: equal values give equal tokens across lines and runs.
    Pseudonym {
        /// Hex characters of the HMAC kept in the token (8-64).
        #[serde(default = "default_token_len")]
        length: usize,
    },
    /// The whole value of the field holding the finding is emptied (the finding alone outside fields).
    Remove,
}

fn default_keep_last() -> usize {
    4
}
fn default_token_len() -> usize {
    16
}

/// What to do with a line longer than `max_line_bytes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LongLinePolicy {
    /// Scan it in overlapping windows of `max_line_bytes` (the default: nothing passes unscanned, memory stays
    /// bounded).
    #[default]
    Window,
    /// Replace the whole line with `[REDACTED:long_line]`.
    Mask,
    /// Drop the line (the line break stays, so line numbers hold) and count it.
    Drop,
}

/// Where the pseudonym key comes from. The engine never reads it: the CLI or daemon does, and passes the bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeySource {
    /// A file holding the key (at least 16 bytes; surrounding white space is trimmed).
    #[serde(default)]
    pub key_file: Option<String>,
    /// An environment variable holding the key.
    #[serde(default)]
    pub key_env: Option<String>,
    /// A short id written into every pseudonym so that tokens from different keys are told apart.
    #[serde(default)]
    pub key_id: Option<String>,
}

/// Limits on one line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Longest line scanned in one piece (bytes). Default 1 MiB.
    #[serde(default = "default_max_line")]
    pub max_line_bytes: usize,
    /// What happens to longer lines.
    #[serde(default)]
    pub long_line: LongLinePolicy,
}

fn default_max_line() -> usize {
    1 << 20
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_line_bytes: default_max_line(),
            long_line: LongLinePolicy::Window,
        }
    }
}

/// `[rules]` in the configuration file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSwitches {
    /// Rule ids switched off.
    #[serde(default)]
    pub disable: Vec<String>,
    /// Categories switched off.
    #[serde(default)]
    pub disable_categories: Vec<Category>,
}

/// `[actions]` in the configuration file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Actions {
    /// The action for every finding not named below.
    #[serde(default)]
    pub default: Action,
    /// Per category.
    #[serde(default)]
    pub categories: BTreeMap<Category, Action>,
    /// Per rule id (wins over the category).
    #[serde(default)]
    pub rules: BTreeMap<String, Action>,
}

/// The whole policy file (`logscrub.toml`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyConfig {
    /// Which rules run.
    #[serde(default)]
    pub rules: RuleSwitches,
    /// What replaces findings.
    #[serde(default)]
    pub actions: Actions,
    /// Where the pseudonym key comes from.
    #[serde(default)]
    pub pseudonym: KeySource,
    /// Line limits.
    #[serde(default)]
    pub limits: Limits,
}

impl PolicyConfig {
    /// Parses a policy file's text; `file` names it in errors.
    pub fn from_toml(file: &str, text: &str) -> Result<Self, Problem> {
        toml::from_str(text).map_err(|e| Problem::Parse {
            file: file.to_string(),
            message: e.message().to_string(),
        })
    }

    /// Does any rule or category use the pseudonym action?
    pub fn needs_key(&self) -> bool {
        let is_p = |a: &Action| matches!(a, Action::Pseudonym { .. });
        is_p(&self.actions.default)
            || self.actions.categories.values().any(is_p)
            || self.actions.rules.values().any(is_p)
    }
}

/// A key for pseudonyms and finding hashes, with the id written into tokens.
#[derive(Clone, PartialEq, Eq)]
pub struct Key {
    pub(crate) id: String,
    pub(crate) bytes: Vec<u8>,
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material.
        f.debug_struct("Key")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl Key {
    /// A key from raw bytes (at least 16) and an id made of letters, digits, `-` and `_`.
    pub fn new(id: &str, bytes: &[u8]) -> Result<Self, Problem> {
        if bytes.len() < 16 {
            return Err(Problem::Policy(format!(
                "the pseudonym key `{id}` has {} bytes; use at least 16 (for example `head -c 32 /dev/urandom | base64`)",
                bytes.len()
            )));
        }
        if id.is_empty()
            || !id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            return Err(Problem::Policy(format!(
                "key id `{id}` must be non-empty and use only letters, digits, `-` and `_`"
            )));
        }
        Ok(Key {
            id: id.to_string(),
            bytes: bytes.to_vec(),
        })
    }

    /// The key's id.
    pub fn id(&self) -> &str {
        &self.id
    }
}
