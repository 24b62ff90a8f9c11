//! Kafka: a consumer-group source and an idempotent producer sink, so that N `logscrubd` instances in one group
//! read a raw topic, scrub, and write a clean topic with at-least-once delivery (partitions move to the survivors
//! when one dies; Kafka does the clustering, we add none).
//!
//! This module holds what does not need librdkafka: the configuration types ([`KafkaSourceConfig`],
//! [`KafkaSinkConfig`]), the checks on librdkafka properties ([`options`]) and the counters ([`metrics`]). The
//! client code ([`source`], [`sink`]) is behind the cargo feature `kafka` (librdkafka is built from source); a
//! daemon built without it refuses a Kafka source or sink with a message that says how to get one.
//!
//! Nothing here ever logs or counts record bytes: keys, values and header values are raw until the engine has
//! scrubbed them, and only the scrubbed forms leave the source.

pub mod metrics;
pub mod options;
#[cfg(feature = "kafka")]
pub mod sink;
#[cfg(feature = "kafka")]
pub mod source;

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Deserialize;

/// How a record value is scrubbed.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum ValueFormat {
    /// Text (it may span lines), in the engine stream of its partition (default).
    #[default]
    Text,
    /// A JSON object: kept valid JSON, its `log`/`message`/`msg` text in the partition's stream as for HTTP
    /// NDJSON. A value that is not a JSON object is scrubbed as text.
    Json,
}

/// `[[source]] type = "kafka"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KafkaSourceConfig {
    /// Name used in metrics and the findings log.
    #[serde(default)]
    pub name: Option<String>,
    /// Topics to subscribe to (a name starting with `^` is a regular expression, as in librdkafka).
    pub topics: Vec<String>,
    /// How record values are scrubbed.
    #[serde(default)]
    pub format: ValueFormat,
    /// librdkafka consumer properties by their librdkafka names (`bootstrap.servers`, `group.id`,
    /// `auto.offset.reset`, `security.protocol`, `ssl.ca.location`, `sasl.mechanism`, `sasl.username` ...).
    /// `bootstrap.servers` and `group.id` are required; offsets are always committed by logscrubd after the
    /// records are durable, so `enable.auto.commit` and `enable.auto.offset.store` cannot be turned on.
    #[serde(default)]
    pub librdkafka_options: BTreeMap<String, String>,
    /// SASL: a file (owner-only) holding the password (`sasl.password` itself is refused in the configuration).
    #[serde(default)]
    pub sasl_password_file: Option<PathBuf>,
    /// TLS client key: a file (owner-only) holding the key's passphrase (`ssl.key.password` is refused).
    #[serde(default)]
    pub ssl_key_password_file: Option<PathBuf>,
    /// Most milliseconds between offset commits of acknowledged records (the window re-read after a crash).
    #[serde(default = "default_commit_interval_ms")]
    pub commit_interval_ms: u64,
    /// Most milliseconds records wait in the source before their batch goes to the writer.
    #[serde(default = "default_linger_ms")]
    pub linger_ms: u64,
    /// On a rebalance, how long the revoked partitions' batches already sent may take to become durable and be
    /// committed before the partitions are let go (what is not committed by then is re-read by the new owner).
    #[serde(default = "default_rebalance_drain_ms")]
    pub rebalance_drain_ms: u64,
}

fn default_commit_interval_ms() -> u64 {
    500
}
fn default_linger_ms() -> u64 {
    20
}
fn default_rebalance_drain_ms() -> u64 {
    5000
}

/// `[[sink]] type = "kafka"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KafkaSinkConfig {
    /// The topic written.
    pub topic: String,
    /// librdkafka producer properties by their librdkafka names (`bootstrap.servers` required). The producer is
    /// always idempotent with `acks=all`; `enable.idempotence=false` and other `acks` are refused.
    #[serde(default)]
    pub librdkafka_options: BTreeMap<String, String>,
    /// SASL password file (owner-only), as for the source.
    #[serde(default)]
    pub sasl_password_file: Option<PathBuf>,
    /// TLS client key passphrase file (owner-only), as for the source.
    #[serde(default)]
    pub ssl_key_password_file: Option<PathBuf>,
    /// Attempts per record before the daemon gives up and exits (0 = retry forever: backpressure, not loss).
    #[serde(default)]
    pub max_retries: u32,
    /// Names of the sources this sink takes; empty (the default): every source.
    #[serde(default)]
    pub inputs: Vec<String>,
}

impl KafkaSourceConfig {
    /// Paths the operator provides, made relative to the configuration file's directory.
    pub fn resolve_relative(&mut self, fix: &dyn Fn(&mut PathBuf)) {
        options::resolve_paths(
            &mut self.librdkafka_options,
            &mut self.sasl_password_file,
            &mut self.ssl_key_password_file,
            fix,
        );
    }

    /// Checks what the schema cannot (`field`: e.g. `source[2]`).
    pub fn validate(&self, field: &str) -> Result<(), crate::config::ConfigError> {
        built_with_kafka(field)?;
        if self.topics.is_empty() || self.topics.iter().any(|t| t.is_empty()) {
            return Err(invalid(
                format!("{field}.topics"),
                "name at least one topic (no empty names)",
            ));
        }
        for (v, f) in [
            (self.commit_interval_ms, "commit_interval_ms"),
            (self.linger_ms, "linger_ms"),
        ] {
            if v == 0 {
                return Err(invalid(format!("{field}.{f}"), "must be at least 1"));
            }
        }
        options::consumer_properties(self, field).map(|_| ())
    }
}

impl KafkaSinkConfig {
    /// Paths the operator provides, made relative to the configuration file's directory.
    pub fn resolve_relative(&mut self, fix: &dyn Fn(&mut PathBuf)) {
        options::resolve_paths(
            &mut self.librdkafka_options,
            &mut self.sasl_password_file,
            &mut self.ssl_key_password_file,
            fix,
        );
    }

    /// Checks what the schema cannot (`field`: e.g. `sink[1]`).
    pub fn validate(&self, field: &str) -> Result<(), crate::config::ConfigError> {
        built_with_kafka(field)?;
        if self.topic.is_empty() {
            return Err(invalid(format!("{field}.topic"), "name the topic to write"));
        }
        options::producer_properties(self, field).map(|_| ())
    }
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> crate::config::ConfigError {
    crate::config::ConfigError::Invalid {
        field: field.into(),
        message: message.into(),
    }
}

impl KafkaSourceConfig {
    /// `check-config`: secret and certificate files readable (secrets owner-only), brokers reachable.
    pub fn check_environment(&self, field: &str, c: &mut crate::environment::Checks) {
        check_client_environment(
            field,
            &self.librdkafka_options,
            [&self.sasl_password_file, &self.ssl_key_password_file],
            c,
        );
    }
}

impl KafkaSinkConfig {
    /// `check-config`: secret and certificate files readable (secrets owner-only), brokers reachable.
    pub fn check_environment(&self, field: &str, c: &mut crate::environment::Checks) {
        check_client_environment(
            field,
            &self.librdkafka_options,
            [&self.sasl_password_file, &self.ssl_key_password_file],
            c,
        );
    }
}

fn check_client_environment(
    field: &str,
    options: &BTreeMap<String, String>,
    secrets: [&Option<PathBuf>; 2],
    c: &mut crate::environment::Checks,
) {
    for (p, name) in secrets
        .iter()
        .zip(["sasl_password_file", "ssl_key_password_file"])
    {
        if let Some(p) = p {
            c.secret_file(&format!("{field}.{name}"), p);
        }
    }
    let opt = |k: &str| format!("{field}.librdkafka_options.\"{k}\"");
    for k in ["ssl.ca.location", "ssl.certificate.location"] {
        if let Some(p) = options.get(k) {
            c.readable_file(&opt(k), std::path::Path::new(p));
        }
    }
    if let Some(p) = options.get("ssl.key.location") {
        c.secret_file(&opt("ssl.key.location"), std::path::Path::new(p));
    }
    let servers = options
        .get("bootstrap.servers")
        .or_else(|| options.get("metadata.broker.list"));
    for (host, port) in servers.map(|s| bootstrap_servers(s)).unwrap_or_default() {
        c.reachable(&opt("bootstrap.servers"), &host, port, "the Kafka broker");
    }
}

/// `host:port` of each entry of a `bootstrap.servers` list (`PROTOCOL://` prefixes dropped, 9092 by default).
fn bootstrap_servers(list: &str) -> Vec<(String, u16)> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .filter_map(|s| {
            let s = s.split_once("://").map_or(s, |(_, r)| r);
            let (h, p) = match s.rsplit_once(':') {
                Some((h, p)) if !h.ends_with(']') || h.starts_with('[') => (h, p.parse().ok()?),
                _ => (s, 9092),
            };
            Some((
                h.trim_start_matches('[').trim_end_matches(']').to_string(),
                p,
            ))
        })
        .collect()
}

/// Refuses a Kafka component in a daemon built without the `kafka` feature.
fn built_with_kafka(field: &str) -> Result<(), crate::config::ConfigError> {
    if cfg!(feature = "kafka") {
        Ok(())
    } else {
        Err(invalid(
            field,
            "this logscrubd was built without Kafka support; rebuild with \
             `cargo build --release -p logscrub-daemon --features kafka`",
        ))
    }
}

/// Starts a Kafka source on its own thread (polling, scrubbing, committing).
#[cfg(feature = "kafka")]
pub fn start_source(
    cfg: &KafkaSourceConfig,
    ctx: crate::source::Ctx,
    what: &str,
) -> Result<std::thread::JoinHandle<()>, crate::app::DaemonError> {
    source::start(cfg, ctx, what)
}

/// Without the `kafka` feature: refused (validation already says so).
#[cfg(not(feature = "kafka"))]
pub fn start_source(
    _cfg: &KafkaSourceConfig,
    _ctx: crate::source::Ctx,
    what: &str,
) -> Result<std::thread::JoinHandle<()>, crate::app::DaemonError> {
    Err(built_with_kafka(what).unwrap_err().into())
}

/// Opens a Kafka sink (the producer connects in the background).
#[cfg(feature = "kafka")]
pub fn open_sink(
    cfg: &KafkaSinkConfig,
    metrics: std::sync::Arc<crate::metrics::Metrics>,
    stats: &crate::metrics::SinkStats,
    what: &str,
) -> Result<Box<dyn crate::sink::Sink>, crate::app::DaemonError> {
    Ok(Box::new(sink::KafkaSink::open(cfg, metrics, stats, what)?))
}

/// Without the `kafka` feature: refused (validation already says so).
#[cfg(not(feature = "kafka"))]
pub fn open_sink(
    _cfg: &KafkaSinkConfig,
    _metrics: std::sync::Arc<crate::metrics::Metrics>,
    _stats: &crate::metrics::SinkStats,
    what: &str,
) -> Result<Box<dyn crate::sink::Sink>, crate::app::DaemonError> {
    Err(built_with_kafka(what).unwrap_err().into())
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    const CFG: &str = r#"
[[source]]
type = "kafka"
topics = ["raw"]
[source.librdkafka_options]
"bootstrap.servers" = "127.0.0.1:9092"
"group.id" = "g"

[[sink]]
type = "kafka"
topic = "clean"
[sink.librdkafka_options]
"bootstrap.servers" = "127.0.0.1:9092"
"#;

    #[test]
    fn kafka_sections_parse_and_validate_as_the_build_allows() {
        let c = Config::parse("t.toml", CFG).unwrap();
        assert_eq!(c.sources[0].name(0), "kafka-0");
        let r = c.validate();
        if cfg!(feature = "kafka") {
            r.unwrap();
        } else {
            let e = r.unwrap_err().to_string();
            assert!(
                e.contains("source[0]") && e.contains("--features kafka"),
                "{e}"
            );
        }
        let bad = CFG.replace("topics = [\"raw\"]", "topics = []");
        let e = Config::parse("t.toml", &bad)
            .unwrap()
            .validate()
            .unwrap_err();
        assert!(e.to_string().contains("source[0]"), "{e}");
    }

    #[test]
    fn check_config_names_unreachable_brokers_and_open_secret_files() {
        assert_eq!(
            super::bootstrap_servers(" SSL://k1:9093, k2 ,[::1]:9094"),
            vec![
                ("k1".to_string(), 9093),
                ("k2".to_string(), 9092),
                ("::1".to_string(), 9094)
            ]
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let d = tempfile::tempdir().unwrap();
        let pw = d.path().join("pw");
        std::fs::write(&pw, "hunter2-kafka\n").unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&pw, std::fs::Permissions::from_mode(0o644)).unwrap();
        let text = format!(
            "[[source]]\ntype = \"stdin\"\n[[sink]]\ntype = \"kafka\"\ntopic = \"clean\"\n\
             sasl_password_file = \"{}\"\n[sink.librdkafka_options]\n\"bootstrap.servers\" = \"127.0.0.1:{port}\"\n",
            pw.display()
        );
        let cfg = Config::parse("t", &text).unwrap();
        let mut c = crate::environment::Checks::new(false);
        cfg.sinks[0].check_environment("sink[0]", &cfg, &mut c);
        let p: Vec<String> = c.problems().iter().map(|p| p.to_string()).collect();
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(
            p[0].starts_with("sink[0].sasl_password_file: ") && p[0].contains("chmod 600"),
            "{p:?}"
        );
        assert!(!p[0].contains("hunter2-kafka"), "{p:?}");
        assert!(
            p[1].starts_with("sink[0].librdkafka_options.\"bootstrap.servers\": cannot connect to the Kafka broker 127.0.0.1:"),
            "{p:?}"
        );
        let mut c = crate::environment::Checks::new(true);
        cfg.sinks[0].check_environment("sink[0]", &cfg, &mut c);
        assert_eq!(c.problems().len(), 1, "offline: no broker check");
    }
}
