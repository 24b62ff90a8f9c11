//! Building the scrubber from the command line: the default pack, `--rules DIR`, the policy file and the
//! pseudonym key. This is where the CLI does the file and environment I/O that the engine must not do.

use std::fmt;
use std::path::Path;

use anyhow::{Context, Result};
use logscrub_engine::{Backend, ExampleFailureKind, Key, PolicyConfig, RuleSet, Scrubber};

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

/// Rule files of a directory, sorted by name so that overrides are deterministic.
pub fn rule_files(dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| {
            usage(format!(
                "cannot read rules directory {}: {e}",
                dir.display()
            ))
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(usage(format!(
            "rules directory {} holds no *.toml file",
            dir.display()
        )));
    }
    Ok(files)
}

/// The default pack plus the rules of `--rules DIR`, and the ids of the rules that came from DIR.
pub fn rule_set(args: &RuleArgs) -> Result<(RuleSet, Vec<String>)> {
    let mut set = RuleSet::default_pack().map_err(|e| usage(e.to_string()))?;
    let mut custom = Vec::new();
    if let Some(dir) = &args.rules {
        let mut problems = Vec::new();
        for file in rule_files(dir)? {
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read rule file {}", file.display()))?;
            let name = file.display().to_string();
            match set.add_toml(&name, &text) {
                Ok(()) => custom.extend(
                    set.rules()
                        .iter()
                        .filter(|r| r.file == name)
                        .map(|r| r.rule.id.clone()),
                ),
                Err(e) => problems.push(e.to_string()),
            }
        }
        if !problems.is_empty() {
            return Err(usage(problems.join("\n")));
        }
    }
    Ok((set, custom))
}

/// The policy file, or the default policy.
pub fn policy(args: &RuleArgs) -> Result<PolicyConfig> {
    match &args.config {
        None => Ok(PolicyConfig::default()),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| usage(format!("cannot read config {}: {e}", path.display())))?;
            PolicyConfig::from_toml(&path.display().to_string(), &text)
                .map_err(|e| usage(e.to_string()))
        }
    }
}

/// Reads the pseudonym key named by the policy, if any.
fn key(policy: &PolicyConfig) -> Result<Option<Key>> {
    let src = &policy.pseudonym;
    let id = src.key_id.clone().unwrap_or_else(|| "k1".to_string());
    let bytes = if let Some(file) = &src.key_file {
        let raw = std::fs::read(file)
            .map_err(|e| usage(format!("cannot read pseudonym key file {file}: {e}")))?;
        Some(raw.trim_ascii().to_vec())
    } else if let Some(var) = &src.key_env {
        match std::env::var_os(var) {
            Some(v) => Some(v.into_encoded_bytes().trim_ascii().to_vec()),
            None if policy.needs_key() => {
                return Err(usage(format!(
                    "the pseudonym key variable {var} is not set (refusing to start without a key)"
                )))
            }
            None => None,
        }
    } else {
        None
    };
    match bytes {
        None => Ok(None),
        Some(b) => Key::new(&id, &b)
            .map(Some)
            .map_err(|e| usage(e.to_string())),
    }
}

/// Builds the scrubber; custom rules must pass their own examples.
pub fn scrubber(args: &RuleArgs) -> Result<Scrubber> {
    scrubber_with_fallback_key(args, None)
}

/// Like [`scrubber`], with `fallback` as the key when the policy names none (scan's fixed salt, so that its
/// hashes are stable across runs).
pub fn scrubber_with_fallback_key(args: &RuleArgs, fallback: Option<Key>) -> Result<Scrubber> {
    let (set, custom) = rule_set(args)?;
    let policy = policy(args)?;
    let mut builder = Scrubber::builder()
        .rules(set)
        .policy(policy.clone())
        .backend(backend(args)?);
    if let Some(k) = key(&policy)?.or(fallback) {
        builder = builder.key(k);
    }
    let scrubber = builder.build().map_err(|e| usage(e.to_string()))?;
    let mut problems = Vec::new();
    for (i, info) in scrubber.rules().iter().enumerate() {
        if !custom.contains(&info.id) {
            continue;
        }
        for f in scrubber.check_examples(logscrub_engine::RuleRef(i as u16)) {
            problems.push(describe_failure(&scrubber, &f));
        }
    }
    if !problems.is_empty() {
        return Err(usage(problems.join("\n")));
    }
    Ok(scrubber)
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

/// One line saying which example of which rule failed and how to fix it.
pub fn describe_failure(s: &Scrubber, f: &logscrub_engine::ExampleFailure) -> String {
    let info = s.rule(f.rule);
    match f.kind {
        ExampleFailureKind::Missed => format!(
            "{}: rule `{}`: example {} is not found by the rule: {:?} (fix the pattern, validator or context)",
            info.file,
            info.id,
            f.index + 1,
            info.examples[f.index]
        ),
        ExampleFailureKind::NotIdempotent => format!(
            "{}: rule `{}`: example {} changes again when scrubbed twice: {:?}",
            info.file,
            info.id,
            f.index + 1,
            info.examples[f.index]
        ),
        ExampleFailureKind::Flagged => format!(
            "{}: rule `{}`: negative example {} is flagged: {:?} (tighten the pattern or add context)",
            info.file,
            info.id,
            f.index + 1,
            info.negative_examples[f.index]
        ),
    }
}
