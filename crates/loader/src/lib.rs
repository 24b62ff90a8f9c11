//! # logscrub-loader
//!
//! One way to turn files and the environment into a [`Scrubber`]: the default pack, rule files and directories, a
//! policy, and the pseudonym key. The CLI, the daemon and `logscrub-tracing` all load through [`Sources`], so one
//! policy gives the same rules, the same key id and the same pseudonyms whichever way a log arrives.
//!
//! The engine does no I/O; this crate does the reading, and only that. It never prints a key or a value: errors
//! name the file, the variable or the rule, and what to do.
//!
//! Defaults, the same everywhere:
//! * the default pack is on; rule directories add their `*.toml` files in name order, and a rule whose id exists
//!   already replaces it;
//! * custom rules (from the files given here) must pass their own examples, or loading fails;
//! * the pseudonym key comes from `pseudonym.key_file` or `pseudonym.key_env`, surrounding ASCII white space
//!   trimmed in both cases, with id `pseudonym.key_id` or [`DEFAULT_KEY_ID`];
//! * a key source that is named but cannot be read is an error (never a silent random key), and so is a
//!   `pseudonym` action without a key source.
//!
//! ```no_run
//! let loaded = logscrub_loader::Sources::new()
//!     .rules("/etc/logscrub/rules")
//!     .policy_file("/etc/logscrub/logscrub.toml")
//!     .load()?;
//! let scrubber = loaded.scrubber;
//! # Ok::<(), logscrub_loader::LoadError>(())
//! ```

#![deny(missing_docs)]

use std::path::{Path, PathBuf};

use logscrub_engine::{Backend, Key, PolicyConfig, RuleRef, RuleSet, Scrubber};

/// The key id written into pseudonyms when the policy names none.
pub const DEFAULT_KEY_ID: &str = "k1";

/// Why loading failed. Each message names the file, variable or rule, and the fix.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A file or directory could not be read.
    #[error("cannot read {what} {}: {source}", path.display())]
    Read {
        /// What the file is for (`rule file`, `policy file`, ...).
        what: &'static str,
        /// The path.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A rules directory without any rule file.
    #[error("rules directory {} holds no *.toml file", .0.display())]
    EmptyRulesDir(PathBuf),
    /// The policy names an environment variable for the key that is not set.
    #[error("the pseudonym key variable {0} is not set (refusing to start without a key: export it, or remove pseudonym.key_env from the policy)")]
    MissingKeyEnv(String),
    /// A `pseudonym` action without a key source.
    #[error("the pseudonym action needs a key: set pseudonym.key_file or pseudonym.key_env in the policy")]
    KeyNeeded,
    /// The rules, the policy or the key are invalid (every problem, with file and rule id).
    #[error(transparent)]
    Engine(#[from] logscrub_engine::Error),
    /// Custom rules whose own examples fail (each line names the rule and the example's number, never its text).
    #[error("{}", .0.join("\n"))]
    Examples(Vec<String>),
}

impl From<logscrub_engine::Problem> for LoadError {
    fn from(p: logscrub_engine::Problem) -> Self {
        LoadError::Engine(p.into())
    }
}

/// Where the rules and the policy come from.
#[derive(Debug, Clone)]
pub struct Sources {
    default_pack: bool,
    rule_paths: Vec<PathBuf>,
    policy_file: Option<PathBuf>,
    policy: Option<PolicyConfig>,
    backend: Backend,
    fallback_key: Option<Key>,
}

impl Default for Sources {
    fn default() -> Self {
        Self::new()
    }
}

/// The result of a load.
#[derive(Debug)]
pub struct Loaded {
    /// The compiled scrubber.
    pub scrubber: Scrubber,
    /// The policy in force.
    pub policy: PolicyConfig,
    /// Ids of the rules that came from the given files (not the default pack).
    pub custom_rules: Vec<String>,
}

impl Sources {
    /// The default pack and the default policy (every rule on, `redact`).
    pub fn new() -> Self {
        Sources {
            default_pack: true,
            rule_paths: Vec::new(),
            policy_file: None,
            policy: None,
            backend: Backend::default(),
            fallback_key: None,
        }
    }

    /// Adds rules from a file, or from every `*.toml` file of a directory.
    pub fn rules(mut self, path: impl Into<PathBuf>) -> Self {
        self.rule_paths.push(path.into());
        self
    }

    /// Reads the policy from `file` (wins over [`Sources::policy`]).
    pub fn policy_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.policy_file = Some(file.into());
        self
    }

    /// Uses `policy` (a policy embedded in another configuration file).
    pub fn policy(mut self, policy: PolicyConfig) -> Self {
        self.policy = Some(policy);
        self
    }

    /// Starts from no rules instead of the default pack.
    pub fn without_default_pack(mut self) -> Self {
        self.default_pack = false;
        self
    }

    /// The prefilter backend.
    pub fn backend(mut self, backend: Backend) -> Self {
        self.backend = backend;
        self
    }

    /// The key to use when the policy names no key source (`logscrub scan` uses a fixed, documented salt so that
    /// its fingerprints are stable across runs). A key source the policy names always wins.
    pub fn fallback_key(mut self, key: Key) -> Self {
        self.fallback_key = Some(key);
        self
    }

    /// The rule set (default pack plus the given files) and the ids of the rules from the files.
    pub fn rule_set(&self) -> Result<(RuleSet, Vec<String>), LoadError> {
        let mut set = if self.default_pack {
            RuleSet::default_pack()?
        } else {
            RuleSet::new()
        };
        let mut custom = Vec::new();
        let mut problems = Vec::new();
        for path in &self.rule_paths {
            for file in rule_files(path)? {
                let text = read(&file, "rule file")?;
                let name = file.display().to_string();
                match set.add_toml(&name, &text) {
                    Ok(()) => custom.extend(
                        set.rules()
                            .iter()
                            .filter(|r| r.file == name)
                            .map(|r| r.rule.id.clone()),
                    ),
                    Err(e) => problems.extend(e.0),
                }
            }
        }
        if !problems.is_empty() {
            return Err(logscrub_engine::Error(problems).into());
        }
        Ok((set, custom))
    }

    /// The policy in force.
    pub fn read_policy(&self) -> Result<PolicyConfig, LoadError> {
        match (&self.policy_file, &self.policy) {
            (Some(path), _) => {
                let text = read(path, "policy file")?;
                Ok(PolicyConfig::from_toml(&path.display().to_string(), &text)?)
            }
            (None, Some(p)) => Ok(p.clone()),
            (None, None) => Ok(PolicyConfig::default()),
        }
    }

    /// Reads everything and compiles the scrubber; custom rules must pass their own examples.
    pub fn load(&self) -> Result<Loaded, LoadError> {
        let (set, custom_rules) = self.rule_set()?;
        let policy = self.read_policy()?;
        let mut builder = Scrubber::builder()
            .rules(set)
            .policy(policy.clone())
            .backend(self.backend);
        let key = match read_key(&policy) {
            Err(LoadError::KeyNeeded) if self.fallback_key.is_some() => None,
            other => other?,
        };
        if let Some(key) = key.or_else(|| self.fallback_key.clone()) {
            builder = builder.key(key);
        }
        let scrubber = builder.build()?;
        let mut failures = Vec::new();
        for (i, info) in scrubber.rules().iter().enumerate() {
            if custom_rules.contains(&info.id) {
                failures.extend(
                    scrubber
                        .check_examples(RuleRef(i as u16))
                        .iter()
                        .map(|f| f.describe(&scrubber)),
                );
            }
        }
        if !failures.is_empty() {
            return Err(LoadError::Examples(failures));
        }
        Ok(Loaded {
            scrubber,
            policy,
            custom_rules,
        })
    }
}

/// The pseudonym key the policy names, read and trimmed; `None` when it names none and needs none.
pub fn read_key(policy: &PolicyConfig) -> Result<Option<Key>, LoadError> {
    let src = &policy.pseudonym;
    let id = src.key_id.as_deref().unwrap_or(DEFAULT_KEY_ID);
    let bytes = if let Some(file) = &src.key_file {
        read_bytes(Path::new(file), "pseudonym key file")?
    } else if let Some(var) = &src.key_env {
        match std::env::var_os(var) {
            Some(v) => v.into_encoded_bytes(),
            None => return Err(LoadError::MissingKeyEnv(var.clone())),
        }
    } else if policy.needs_key() {
        return Err(LoadError::KeyNeeded);
    } else {
        return Ok(None);
    };
    Ok(Some(Key::new(id, bytes.trim_ascii())?))
}

/// A file itself, or a directory's `*.toml` files sorted by name (so overrides are deterministic).
pub fn rule_files(path: &Path) -> Result<Vec<PathBuf>, LoadError> {
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let entries = std::fs::read_dir(path).map_err(|source| LoadError::Read {
        what: "rules directory",
        path: path.to_path_buf(),
        source,
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(LoadError::EmptyRulesDir(path.to_path_buf()));
    }
    Ok(files)
}

fn read(path: &Path, what: &'static str) -> Result<String, LoadError> {
    std::fs::read_to_string(path).map_err(|source| LoadError::Read {
        what,
        path: path.to_path_buf(),
        source,
    })
}

fn read_bytes(path: &Path, what: &'static str) -> Result<Vec<u8>, LoadError> {
    std::fs::read(path).map_err(|source| LoadError::Read {
        what,
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("logscrub-loader-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&d).expect("temp dir");
        d
    }

    fn pseudonym_of(scrubber: &Scrubber) -> Vec<u8> {
        let mut out = Vec::new();
        let mut scratch = scrubber.scratch();
        scrubber.scrub_line(b"mail ann@example.com", &mut out, &mut scratch);
        out
    }

    #[test]
    fn a_key_from_a_file_or_the_environment_gives_the_same_pseudonyms() {
        let d = temp("key");
        let key = "0123456789abcdef0123456789abcdef";
        std::fs::write(d.join("key"), format!("  {key}\n")).expect("write");
        let policy = |src: &str| {
            PolicyConfig::from_toml(
                "p.toml",
                &format!("[actions.default]\naction = \"pseudonym\"\n[pseudonym]\n{src}\n"),
            )
            .expect("policy")
        };
        let from_file = Sources::new()
            .policy(policy(&format!(
                "key_file = {:?}",
                d.join("key").display().to_string()
            )))
            .load()
            .expect("loads");
        let var = format!("LOGSCRUB_LOADER_TEST_KEY_{}", std::process::id());
        std::env::set_var(&var, format!("{key} \t"));
        let from_env = Sources::new()
            .policy(policy(&format!("key_env = {var:?}")))
            .load()
            .expect("loads");
        let a = pseudonym_of(&from_file.scrubber);
        assert_eq!(a, pseudonym_of(&from_env.scrubber));
        assert!(
            String::from_utf8_lossy(&a).contains(":k1:"),
            "default key id"
        );
    }

    #[test]
    fn a_missing_key_is_an_error_that_names_the_variable() {
        let p = PolicyConfig::from_toml(
            "p.toml",
            "[pseudonym]\nkey_env = \"LOGSCRUB_NO_SUCH_VAR_X\"\n",
        )
        .expect("policy");
        let err = Sources::new().policy(p).load().expect_err("no key");
        assert!(err.to_string().contains("LOGSCRUB_NO_SUCH_VAR_X"), "{err}");
        let p = PolicyConfig::from_toml("p.toml", "[actions.default]\naction = \"pseudonym\"\n")
            .expect("policy");
        assert!(matches!(
            Sources::new().policy(p).load(),
            Err(LoadError::KeyNeeded)
        ));
    }

    #[test]
    fn custom_rules_must_pass_their_examples() {
        let d = temp("rules");
        std::fs::write(
            d.join("mine.toml"),
            "[[rule]]\nid = \"order_code\"\nclass = \"order_code\"\ncategory = \"secret\"\npattern = '''ORD-\\d{6}'''\nkeywords = [\"ORD-\"]\nexamples = [\"order ORD-12\"]\nnegative_examples = [\"fine\"]\n",
        )
        .expect("write");
        let err = Sources::new().rules(&d).load().expect_err("example fails");
        let msg = err.to_string();
        assert!(
            msg.contains("order_code") && msg.contains("example 1"),
            "{msg}"
        );
        assert!(!msg.contains("ORD-12"), "never the example's text: {msg}");
    }
}
