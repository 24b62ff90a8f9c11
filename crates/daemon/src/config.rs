//! The daemon's configuration file (`logscrubd.toml`): parsing, safe defaults and validation.
//!
//! Every option has a default that is safe (fsync on, loopback listeners, bounded queues). Unknown fields are
//! refused so that a typo never silently falls back to a default. Validation names the offending field.
//!
//! This module must never read or print log data; it only deals with operator-written configuration. It never
//! prints key material or bearer tokens either (only the paths they are read from).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use logscrub_engine::PolicyConfig;
use serde::Deserialize;
use thiserror::Error;

/// A configuration problem, naming the field and what to do.
#[derive(Debug, Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{path}: cannot read the configuration file: {source}")]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not valid TOML or does not follow the schema.
    #[error("{path}: {message}")]
    Parse {
        /// The file.
        path: String,
        /// The parser's message (names the field).
        message: String,
    },
    /// A field has an invalid value.
    #[error("{field}: {message}")]
    Invalid {
        /// The dotted path of the field, e.g. `source[2].tls.cert`.
        field: String,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// The rules or the policy do not compile.
    #[error("scrub: {0}")]
    Scrub(String),
}

impl ConfigError {
    /// The error without any text quoted from the configuration: for the reload record and the SIGHUP log line.
    /// A TOML error quotes the offending line, which can hold a secret (a token, a password in a URL); this keeps
    /// the file, the line and column, and the parser's description with quoted values elided.
    pub fn without_values(&self) -> String {
        match self {
            ConfigError::Read { .. } => self.to_string(),
            ConfigError::Parse { path, message } => {
                let described: Vec<&str> = message
                    .lines()
                    .map(str::trim_end)
                    .filter(|l| {
                        let t = l.trim_start();
                        !t.is_empty()
                            && !t.starts_with('|')
                            && !t.split_once('|').is_some_and(|(n, _)| {
                                !n.trim().is_empty() && n.trim().bytes().all(|b| b.is_ascii_digit())
                            })
                    })
                    .collect();
                format!("{path}: {}", elide_quoted(&described.join("; ")))
            }
            ConfigError::Invalid { field, message } => {
                format!("{field}: {}", elide_quoted(message))
            }
            ConfigError::Scrub(m) => format!("scrub: {}", elide_quoted(m)),
        }
    }
}

/// Replaces what stands between double or single quotes by `…` (field names in backticks stay).
fn elide_quoted(s: &str) -> String {
    // serde names a value it did not expect in backticks (`unknown variant `<value>``): that is text from the file.
    let s = &elide_after(s, "unknown variant `");
    let mut out = String::with_capacity(s.len());
    let mut open: Option<char> = None;
    for c in s.chars() {
        match open {
            Some(q) if c == q => {
                out.push('…');
                out.push(c);
                open = None;
            }
            Some(_) => {}
            None => {
                out.push(c);
                if c == '"' || c == '\'' {
                    open = Some(c);
                }
            }
        }
    }
    if open.is_some() {
        out.push('…');
    }
    out
}

/// Replaces what follows each `marker` up to the next backtick by `…`.
fn elide_after(s: &str, marker: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(marker) {
        out.push_str(&rest[..i + marker.len()]);
        rest = &rest[i + marker.len()..];
        match rest.find('`') {
            Some(end) => {
                out.push('…');
                rest = &rest[end..];
            }
            None => {
                out.push('…');
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// A [`ConfigError::Invalid`] of `field`.
pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        field: field.into(),
        message: message.into(),
    }
}

/// The whole configuration file.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Process-wide settings.
    #[serde(default)]
    pub daemon: DaemonConfig,
    /// Rules and policy (the same policy format as the `logscrub` CLI).
    #[serde(default)]
    pub scrub: ScrubConfig,
    /// The findings log (activity record).
    #[serde(default)]
    pub findings: FindingsConfig,
    /// The Prometheus / health endpoint.
    #[serde(default)]
    pub metrics: MetricsConfig,
    /// Inputs.
    #[serde(default, rename = "source")]
    pub sources: Vec<SourceConfig>,
    /// Outputs.
    #[serde(default, rename = "sink")]
    pub sinks: Vec<SinkConfig>,
}

/// `[daemon]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DaemonConfig {
    /// Directory for segments, checkpoints, the findings log and the reload record.
    pub data_dir: PathBuf,
    /// Capacity of the queue between sources and the writer, in batches.
    pub queue_capacity: usize,
    /// Most batches written together before one fsync (group commit).
    pub max_group_batches: usize,
    /// Most records a pull source (stdin, TCP, tail) puts in one batch.
    pub max_batch_records: usize,
    /// Seconds SIGTERM waits for the queue to drain before giving up.
    pub shutdown_timeout_secs: u64,
    /// `Retry-After` seconds sent with 503 when the queue is full.
    pub retry_after_secs: u64,
    /// Most connections each listener (tcp, unix, syslog tcp, http, metrics) serves at once; more are closed on
    /// accept and counted.
    pub max_connections: usize,
    /// A connection that sends nothing for this long is closed (stream and syslog sources; HTTP while it waits
    /// for a request head).
    pub idle_timeout_secs: u64,
    /// Longest time an HTTP client may take to send one request body.
    pub request_timeout_secs: u64,
    /// Global budget of in-flight bytes (request bodies, long messages) beyond 64 KiB per connection. A request
    /// that cannot get its share is answered 503 with `Retry-After`; a stream connection waits.
    pub max_inflight_bytes: usize,
}

impl Default for DaemonConfig {
    fn default() -> Self {
        DaemonConfig {
            data_dir: PathBuf::from("/var/lib/logscrubd"),
            queue_capacity: 256,
            max_group_batches: 64,
            max_batch_records: 512,
            shutdown_timeout_secs: 30,
            retry_after_secs: 1,
            max_connections: 1024,
            idle_timeout_secs: 300,
            request_timeout_secs: 60,
            max_inflight_bytes: 256 << 20,
        }
    }
}

/// `[scrub]`: which rules and which policy. The policy uses the CLI's policy file format.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ScrubConfig {
    /// Load the built-in rule pack.
    pub default_pack: bool,
    /// Extra rule files (TOML, see rules/README.md).
    pub rule_files: Vec<PathBuf>,
    /// A policy file (`[rules]`, `[actions]`, `[pseudonym]`, `[limits]`), as for the CLI.
    pub policy_file: Option<PathBuf>,
    /// The same policy inline (`[scrub.policy.actions]` ...). Refused together with `policy_file`.
    pub policy: Option<PolicyConfig>,
}

impl Default for ScrubConfig {
    fn default() -> Self {
        ScrubConfig {
            default_pack: true,
            rule_files: Vec::new(),
            policy_file: None,
            policy: None,
        }
    }
}

/// `[findings]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FindingsConfig {
    /// Write the findings log.
    pub enabled: bool,
    /// Its path (relative paths are under `daemon.data_dir`).
    pub path: PathBuf,
    /// The record of configuration reloads (relative paths are under `daemon.data_dir`).
    pub reload_log: PathBuf,
    /// A file (0600, outside `data_dir`) holding the key of the findings hashes, for hashes that stay the same
    /// across restarts. Unset: a random key per process.
    pub hash_key_file: Option<PathBuf>,
}

impl Default for FindingsConfig {
    fn default() -> Self {
        FindingsConfig {
            enabled: true,
            path: PathBuf::from("findings.jsonl"),
            reload_log: PathBuf::from("reloads.jsonl"),
            hash_key_file: None,
        }
    }
}

/// `[metrics]`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct MetricsConfig {
    /// Address for `/metrics`, `/healthz`, `/readyz` (plain HTTP; keep it on loopback or a private network).
    /// Unset: no metrics endpoint.
    pub listen: Option<SocketAddr>,
    /// TLS for this listener too (same rules as the sources).
    pub tls: Option<TlsConfig>,
}

/// TLS settings of a TCP listener.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsConfig {
    /// Server certificate chain (PEM).
    pub cert: PathBuf,
    /// Server private key (PEM, PKCS#8, PKCS#1 or SEC1).
    pub key: PathBuf,
    /// CA bundle (PEM) for client certificates; set to require mTLS.
    #[serde(default)]
    pub client_ca: Option<PathBuf>,
}

// Each source's configuration lives with the source.
pub use crate::source::http::HttpSource;
pub use crate::source::stream::{StdinSource, TcpSource, UnixSource};
pub use crate::source::syslog::{SyslogProtocol, SyslogSource};
pub use crate::source::tail::{StartAt, TailSource};

/// One `[[source]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SourceConfig {
    /// Standard input, newline-delimited.
    Stdin(StdinSource),
    /// Newline-delimited text over TCP (optionally TLS).
    Tcp(TcpSource),
    /// Newline-delimited text over a Unix stream socket.
    Unix(UnixSource),
    /// Syslog RFC 5424 / RFC 3164.
    Syslog(SyslogSource),
    /// HTTP POST `/ingest` (NDJSON, JSON array, plain text) and OTLP/HTTP JSON `/v1/logs`.
    Http(HttpSource),
    /// A file followed across rotation and truncation.
    Tail(TailSource),
    /// A Kafka consumer group (cargo feature `kafka`).
    Kafka(crate::kafka::KafkaSourceConfig),
}

/// When the file sink calls `fdatasync`.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum FsyncPolicy {
    /// After every group of batches, before acknowledging it (default; at-least-once holds across power loss).
    #[default]
    Always,
    /// Never explicitly: acknowledgements only mean "handed to the kernel". Faster; survives a daemon crash but
    /// not a power loss.
    Never,
}

/// One `[[sink]]`.
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SinkConfig {
    /// Rotated segment files.
    File(FileSink),
    /// Standard output (not durable; does not delay acknowledgements beyond a flush).
    Stdout(StdoutSink),
    /// HTTP NDJSON forward (`POST`), retried until a 2xx.
    Http(HttpForwardSink),
    /// Syslog forward over TCP/TLS with RFC 6587 octet counting.
    Syslog(SyslogForwardSink),
    /// A Kafka topic (cargo feature `kafka`).
    Kafka(crate::kafka::KafkaSinkConfig),
}

impl SinkConfig {
    /// The sources this sink takes (empty: all).
    pub fn inputs(&self) -> &[String] {
        match self {
            SinkConfig::File(c) => &c.inputs,
            SinkConfig::Stdout(c) => &c.inputs,
            SinkConfig::Http(c) => &c.inputs,
            SinkConfig::Syslog(c) => &c.inputs,
            SinkConfig::Kafka(c) => &c.inputs,
        }
    }
}

// The forward sinks' configuration lives with them.
pub use crate::forward::{HttpForwardSink, SyslogForwardSink};

/// `type = "file"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSink {
    /// Directory (relative paths are under `daemon.data_dir`).
    #[serde(default = "default_sink_dir")]
    pub dir: PathBuf,
    /// Segment file name prefix.
    #[serde(default = "default_prefix")]
    pub prefix: String,
    /// Rotate when a segment reaches this size.
    #[serde(default = "default_max_bytes")]
    pub max_bytes: u64,
    /// Rotate when a segment is this old (seconds, 0 = never by time).
    #[serde(default = "default_max_age")]
    pub max_age_secs: u64,
    /// Keep at most this many closed segments (0 = unlimited).
    #[serde(default)]
    pub retain_files: usize,
    /// Delete closed segments older than this (seconds, 0 = forever).
    #[serde(default)]
    pub retain_secs: u64,
    /// When to fdatasync.
    #[serde(default)]
    pub fsync: FsyncPolicy,
    /// age X25519 recipients (`age1...`): each closed segment is encrypted to them (`.log.age`) and the
    /// plaintext removed. The daemon holds only these public keys and cannot read what it wrote.
    #[serde(default)]
    pub encrypt_to: Vec<String>,
    /// Names of the sources this sink takes; empty (the default): every source.
    #[serde(default)]
    pub inputs: Vec<String>,
}

fn default_sink_dir() -> PathBuf {
    PathBuf::from("out")
}
fn default_prefix() -> String {
    "scrubbed".to_string()
}
fn default_max_bytes() -> u64 {
    64 * 1024 * 1024
}
fn default_max_age() -> u64 {
    3600
}

/// `type = "stdout"`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct StdoutSink {
    /// Names of the sources this sink takes; empty (the default): every source.
    #[serde(default)]
    pub inputs: Vec<String>,
}

impl SourceConfig {
    /// The configured name or `<type>-<index>`.
    pub fn name(&self, index: usize) -> String {
        let (n, kind) = match self {
            SourceConfig::Stdin(s) => (&s.name, "stdin"),
            SourceConfig::Tcp(s) => (&s.name, "tcp"),
            SourceConfig::Unix(s) => (&s.name, "unix"),
            SourceConfig::Syslog(s) => (&s.name, "syslog"),
            SourceConfig::Http(s) => (&s.name, "http"),
            SourceConfig::Tail(s) => (&s.name, "tail"),
            SourceConfig::Kafka(s) => (&s.name, "kafka"),
        };
        n.clone().unwrap_or_else(|| format!("{kind}-{index}"))
    }
}

impl Config {
    /// Reads a configuration file, replaces `${VAR}` from the environment ([`crate::interpolate`]) and parses it
    /// (no validation beyond the schema).
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Read {
            path: path.display().to_string(),
            source: e,
        })?;
        let text = crate::interpolate::interpolate(&path.display().to_string(), &text, |k| {
            std::env::var(k).ok()
        })?;
        let mut cfg = Config::parse(&path.display().to_string(), &text)?;
        cfg.resolve_relative(path.parent().unwrap_or(Path::new(".")));
        Ok(cfg)
    }

    /// Parses configuration text; `name` is used in error messages.
    pub fn parse(name: &str, text: &str) -> Result<Config, ConfigError> {
        toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: name.to_string(),
            message: e.to_string().trim_end().to_string(),
        })
    }

    /// Makes paths of files the operator provides (policy, rules, TLS, token) relative to the config file's
    /// directory when they are relative; data paths are resolved against `data_dir` at use.
    fn resolve_relative(&mut self, base: &Path) {
        let fix = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        fix(&mut self.daemon.data_dir);
        if let Some(p) = self.findings.hash_key_file.as_mut() {
            fix(p);
        }
        if let Some(p) = self.scrub.policy_file.as_mut() {
            fix(p);
        }
        for p in &mut self.scrub.rule_files {
            fix(p);
        }
        if let Some(t) = self.metrics.tls.as_mut() {
            fix(&mut t.cert);
            fix(&mut t.key);
            if let Some(c) = t.client_ca.as_mut() {
                fix(c);
            }
        }
        for s in &mut self.sinks {
            match s {
                SinkConfig::Http(h) => {
                    if let Some(p) = h.ca_file.as_mut() {
                        fix(p);
                    }
                    if let Some(p) = h.token_file.as_mut() {
                        fix(p);
                    }
                }
                SinkConfig::Syslog(sy) => {
                    if let Some(p) = sy.ca_file.as_mut() {
                        fix(p);
                    }
                }
                SinkConfig::Kafka(k) => k.resolve_relative(&fix),
                _ => {}
            }
        }
        for s in &mut self.sources {
            let tls = match s {
                SourceConfig::Tcp(t) => t.tls.as_mut(),
                SourceConfig::Syslog(t) => t.tls.as_mut(),
                SourceConfig::Http(t) => {
                    if let Some(p) = t.token_file.as_mut() {
                        fix(p);
                    }
                    t.tls.as_mut()
                }
                SourceConfig::Tail(t) => {
                    fix(&mut t.path);
                    None
                }
                SourceConfig::Unix(u) => {
                    fix(&mut u.path);
                    None
                }
                SourceConfig::Stdin(_) => None,
                SourceConfig::Kafka(k) => {
                    k.resolve_relative(&fix);
                    None
                }
            };
            if let Some(t) = tls {
                fix(&mut t.cert);
                fix(&mut t.key);
                if let Some(c) = t.client_ca.as_mut() {
                    fix(c);
                }
            }
        }
    }

    /// A path under `data_dir` unless absolute.
    pub fn data_path(&self, p: &Path) -> PathBuf {
        if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.daemon.data_dir.join(p)
        }
    }

    /// Checks values that the schema cannot: sizes, duplicates, TLS files, tokens; the first problem (see
    /// [`Config::problems`] for all). Does not build the scrubber (see [`crate::scrub::build_scrubber`]).
    pub fn validate(&self) -> Result<(), ConfigError> {
        match self.problems().into_iter().next() {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Every problem [`Config::validate`] checks for, in file order (after one problem in a source or sink, the
    /// rest of that section is not checked).
    pub fn problems(&self) -> Vec<ConfigError> {
        let mut errs = Vec::new();
        let d = &self.daemon;
        for (v, f) in [
            (d.queue_capacity as u64, "daemon.queue_capacity"),
            (d.max_group_batches as u64, "daemon.max_group_batches"),
            (d.max_batch_records as u64, "daemon.max_batch_records"),
            (d.max_connections as u64, "daemon.max_connections"),
            (d.idle_timeout_secs, "daemon.idle_timeout_secs"),
            (d.request_timeout_secs, "daemon.request_timeout_secs"),
        ] {
            if v == 0 {
                errs.push(invalid(f, "must be at least 1"));
            }
        }
        if d.max_inflight_bytes < 1 << 20 {
            errs.push(invalid(
                "daemon.max_inflight_bytes",
                "must be at least 1048576 (1 MiB)",
            ));
        }
        if self.sources.is_empty() {
            errs.push(invalid(
                "source",
                "no [[source]] configured; add at least one (stdin, tcp, unix, syslog, http, tail)",
            ));
        }
        if self.sinks.is_empty() {
            errs.push(invalid(
                "sink",
                "no [[sink]] configured; add at least one (file, stdout)",
            ));
        }
        if self.scrub.policy.is_some() && self.scrub.policy_file.is_some() {
            errs.push(invalid(
                "scrub.policy",
                "set either scrub.policy_file or an inline [scrub.policy], not both",
            ));
        }
        if let Err(e) = check_tls("metrics.tls", self.metrics.tls.as_ref()) {
            errs.push(e);
        }
        if let Some(f) = &self.findings.hash_key_file {
            if let Err(m) = crate::util::check_private(f) {
                errs.push(invalid("findings.hash_key_file", m));
            }
        }
        if let Some(f) = self
            .scrub
            .policy
            .as_ref()
            .and_then(|p| p.pseudonym.key_file.as_ref())
        {
            if let Err(m) = crate::util::check_private(Path::new(f)) {
                errs.push(invalid("scrub.policy.pseudonym.key_file", m));
            }
        }
        let mut names = std::collections::BTreeSet::new();
        let mut stdin = 0;
        for (i, s) in self.sources.iter().enumerate() {
            if let Err(e) = self.check_source(i, s, &mut names, &mut stdin) {
                errs.push(e);
            }
        }
        let mut dirs = std::collections::BTreeSet::new();
        let names: Vec<String> = (0..self.sources.len())
            .map(|i| self.sources[i].name(i))
            .collect();
        for (i, s) in self.sinks.iter().enumerate() {
            if let Err(e) = self.check_sink(i, s, &names, &mut dirs) {
                errs.push(e);
            }
        }
        errs
    }

    fn check_source(
        &self,
        i: usize,
        s: &SourceConfig,
        names: &mut std::collections::BTreeSet<String>,
        stdin: &mut usize,
    ) -> Result<(), ConfigError> {
        let name = s.name(i);
        let f = format!("source[{i}]");
        if !names.insert(name.clone()) {
            return Err(invalid(
                format!("{f}.name"),
                format!("the name `{name}` is used twice; names must be unique"),
            ));
        }
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        {
            return Err(invalid(
                format!("{f}.name"),
                "use only letters, digits, `-`, `_` and `.`",
            ));
        }
        match s {
            SourceConfig::Stdin(_) => {
                *stdin += 1;
                if *stdin > 1 {
                    return Err(invalid(f, "only one stdin source is possible"));
                }
            }
            SourceConfig::Tcp(t) => t.validate(&f)?,
            SourceConfig::Syslog(t) => t.validate(&f)?,
            SourceConfig::Http(h) => h.validate(&f)?,
            SourceConfig::Tail(t) => t.validate(&f)?,
            SourceConfig::Unix(_) => {}
            SourceConfig::Kafka(k) => k.validate(&f)?,
        }
        Ok(())
    }

    fn check_sink(
        &self,
        i: usize,
        s: &SinkConfig,
        names: &[String],
        dirs: &mut std::collections::BTreeSet<(PathBuf, String)>,
    ) -> Result<(), ConfigError> {
        let f = format!("sink[{i}]");
        for (j, input) in s.inputs().iter().enumerate() {
            if !names.contains(input) {
                return Err(invalid(
                    format!("{f}.inputs[{j}]"),
                    format!("no source has this name (sources: {})", names.join(", ")),
                ));
            }
        }
        match s {
            SinkConfig::Http(h) => h.validate(&f)?,
            SinkConfig::Syslog(sy) => sy.validate(&f)?,
            SinkConfig::Kafka(k) => k.validate(&f)?,
            _ => {}
        }
        if let SinkConfig::File(fs) = s {
            if fs.max_bytes < 1024 {
                return Err(invalid(format!("{f}.max_bytes"), "must be at least 1024"));
            }
            if fs.prefix.is_empty()
                || !fs
                    .prefix
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b))
            {
                return Err(invalid(
                    format!("{f}.prefix"),
                    "use only letters, digits, `-` and `_`",
                ));
            }
            for (k, r) in fs.encrypt_to.iter().enumerate() {
                r.parse::<crate::age::Recipient>()
                    .map_err(|e| invalid(format!("{f}.encrypt_to[{k}]"), e.to_string()))?;
            }
            if !dirs.insert((self.data_path(&fs.dir), fs.prefix.clone())) {
                return Err(invalid(
                    format!("{f}.dir"),
                    "two file sinks write the same directory with the same prefix",
                ));
            }
        }
        Ok(())
    }
}

/// A listener's `tls` section: the key owner-only, the certificate and key load (`field`: e.g. `source[0].tls`).
pub fn check_tls(field: &str, tls: Option<&TlsConfig>) -> Result<(), ConfigError> {
    if let Some(t) = tls {
        crate::util::check_private(&t.key).map_err(|m| invalid(format!("{field}.key"), m))?;
        crate::tls::server_config(t, false).map_err(|e| invalid(field, e.to_string()))?;
    }
    Ok(())
}

/// Reads a bearer token file (trimmed), refusing one that other users can read. The error never contains the
/// token.
pub fn read_token(p: &Path) -> Result<String, String> {
    crate::util::check_private(p)?;
    let t = std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
    let t = t.trim().to_string();
    if t.len() < 16 {
        return Err(format!(
            "the token in {} is shorter than 16 characters",
            p.display()
        ));
    }
    if !t.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(format!(
            "the token in {} must be printable ASCII without spaces",
            p.display()
        ));
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_without_values_quote_nothing_from_the_file() {
        let e = Config::parse(
            "/etc/l.toml",
            "[daemon]\nqueue_capacity = 1\nsecret = \"hunter2-operator-secret\n",
        )
        .unwrap_err();
        assert!(e.to_string().contains("hunter2-operator-secret"), "{e}");
        let w = e.without_values();
        assert!(!w.contains("hunter2"), "{w}");
        assert!(
            w.starts_with("/etc/l.toml: ") && w.contains("line 3"),
            "{w}"
        );
        let e = Config::parse("x", "[daemon]\nqueue_capacity = \"p4ssw0rd-value\"\n").unwrap_err();
        assert!(
            !e.without_values().contains("p4ssw0rd"),
            "{}",
            e.without_values()
        );
    }
}
