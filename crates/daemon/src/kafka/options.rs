//! librdkafka properties: the operator's `librdkafka_options` (named as librdkafka names them, so Kafka users
//! recognise them) with our checks and fixed settings on top. Offsets are committed by logscrubd only after the
//! records are durable; the producer is idempotent with `acks=all`; TLS offers forward-secret AEAD suites only
//! (which also rules out anything below TLS 1.2); SASL PLAIN and SCRAM read their password from an owner-only file.
//!
//! The properties returned can hold a password: they are handed to librdkafka and never printed. Error messages
//! name the property and the fix, never a value of a secret property.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{invalid, KafkaSinkConfig, KafkaSourceConfig};
use crate::config::ConfigError;

/// TLS 1.2 suites offered to brokers: ECDHE key exchange with an AEAD cipher only (TLS 1.3 suites are all of
/// that kind). None of them exists before TLS 1.2, so older protocol versions cannot be negotiated.
pub const CIPHER_SUITES: &str = "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:\
ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256:\
ECDHE-RSA-AES128-GCM-SHA256";

/// Key exchange groups offered (as for our own listeners).
pub const CURVES: &str = "X25519:P-256:P-384";

/// Properties that hold a secret inline: refused, the secret comes from a file.
const INLINE_SECRETS: &[(&str, &str)] = &[
    (
        "sasl.password",
        "put the password in a file (chmod 600) and set sasl_password_file",
    ),
    (
        "ssl.key.password",
        "put the passphrase in a file (chmod 600) and set ssl_key_password_file",
    ),
    (
        "ssl.key.pem",
        "put the key in a file (chmod 600) and set ssl.key.location",
    ),
    (
        "ssl_key",
        "put the key in a file (chmod 600) and set ssl.key.location",
    ),
    (
        "ssl.keystore.password",
        "use ssl.key.location and ssl.certificate.location (PEM files)",
    ),
    (
        "sasl.oauthbearer.client.secret",
        "SASL OAUTHBEARER is not supported; use PLAIN or SCRAM",
    ),
];

/// Properties logscrubd sets itself (TLS policy): refused so that a configuration cannot weaken them.
const FIXED_TLS: &[&str] = &["ssl.cipher.suites", "ssl.curves.list", "ssl.sigalgs.list"];

/// Properties naming files of the operator (resolved against the configuration file's directory).
const PATH_PROPERTIES: &[&str] = &[
    "ssl.ca.location",
    "ssl.certificate.location",
    "ssl.key.location",
    "ssl.crl.location",
];

/// Makes relative paths absolute with `fix` (the configuration loader's rule).
pub fn resolve_paths(
    props: &mut BTreeMap<String, String>,
    sasl_password_file: &mut Option<PathBuf>,
    ssl_key_password_file: &mut Option<PathBuf>,
    fix: &dyn Fn(&mut PathBuf),
) {
    for k in PATH_PROPERTIES {
        if let Some(v) = props.get_mut(*k) {
            if v != "probe" && !v.is_empty() {
                let mut p = PathBuf::from(&*v);
                fix(&mut p);
                *v = p.display().to_string();
            }
        }
    }
    for p in [sasl_password_file, ssl_key_password_file]
        .into_iter()
        .flatten()
    {
        fix(p);
    }
}

/// Consumer properties for a source (`field`: `source[i]`).
pub fn consumer_properties(
    c: &KafkaSourceConfig,
    field: &str,
) -> Result<Vec<(String, String)>, ConfigError> {
    let mut p = common(
        &c.librdkafka_options,
        c.sasl_password_file.as_deref(),
        c.ssl_key_password_file.as_deref(),
        field,
    )?;
    require(&p, field, "group.id")?;
    for k in ["enable.auto.commit", "enable.auto.offset.store"] {
        if p.get(k).is_some_and(|v| !is_false(v)) {
            return Err(invalid(
                opt(field, k),
                "logscrubd commits offsets itself once the records are durable; remove this property",
            ));
        }
        p.insert(k.into(), "false".into());
    }
    // Nothing is skipped on a group's first start.
    p.entry("auto.offset.reset".into())
        .or_insert_with(|| "earliest".into());
    // The consumer lag per partition comes from librdkafka's statistics.
    p.entry("statistics.interval.ms".into())
        .or_insert_with(|| "5000".into());
    native_check(&p, field)?;
    Ok(p.into_iter().collect())
}

/// Producer properties for a sink (`field`: `sink[i]`).
pub fn producer_properties(
    c: &KafkaSinkConfig,
    field: &str,
) -> Result<Vec<(String, String)>, ConfigError> {
    let mut p = common(
        &c.librdkafka_options,
        c.sasl_password_file.as_deref(),
        c.ssl_key_password_file.as_deref(),
        field,
    )?;
    if p.get("enable.idempotence").is_some_and(|v| is_false(v)) {
        return Err(invalid(
            opt(field, "enable.idempotence"),
            "the producer is always idempotent (no duplicates or reordering from its own retries); remove it",
        ));
    }
    p.insert("enable.idempotence".into(), "true".into());
    for k in ["acks", "request.required.acks"] {
        if p.get(k).is_some_and(|v| v != "all" && v != "-1") {
            return Err(invalid(
                opt(field, k),
                "records are acknowledged upstream only once every in-sync replica has them: use `all` or remove it",
            ));
        }
    }
    p.remove("request.required.acks");
    p.insert("acks".into(), "all".into());
    native_check(&p, field)?;
    Ok(p.into_iter().collect())
}

/// Has librdkafka check every property name and value (no connection is made), so that `check-config` reports
/// a misspelt property. Its message names the property.
#[cfg(feature = "kafka")]
fn native_check(p: &BTreeMap<String, String>, field: &str) -> Result<(), ConfigError> {
    let mut cc = rdkafka::ClientConfig::new();
    for (k, v) in p {
        cc.set(k, v);
    }
    cc.create_native_config()
        .map(|_| ())
        .map_err(|e| invalid(format!("{field}.librdkafka_options"), e.to_string()))
}

#[cfg(not(feature = "kafka"))]
fn native_check(_: &BTreeMap<String, String>, _: &str) -> Result<(), ConfigError> {
    Ok(())
}

fn opt(field: &str, k: &str) -> String {
    format!("{field}.librdkafka_options.\"{k}\"")
}

fn is_false(v: &str) -> bool {
    v.eq_ignore_ascii_case("false") || v == "0"
}

fn require(p: &BTreeMap<String, String>, field: &str, k: &str) -> Result<(), ConfigError> {
    if p.get(k).is_none_or(|v| v.trim().is_empty()) {
        return Err(invalid(opt(field, k), "required"));
    }
    Ok(())
}

/// Checks shared by consumers and producers: brokers, security protocol, TLS policy, SASL credentials.
fn common(
    props: &BTreeMap<String, String>,
    sasl_password_file: Option<&Path>,
    ssl_key_password_file: Option<&Path>,
    field: &str,
) -> Result<BTreeMap<String, String>, ConfigError> {
    let mut p = props.clone();
    if p.contains_key("metadata.broker.list") && !p.contains_key("bootstrap.servers") {
        if let Some(v) = p.remove("metadata.broker.list") {
            p.insert("bootstrap.servers".into(), v);
        }
    }
    require(&p, field, "bootstrap.servers")?;
    for (k, fix) in INLINE_SECRETS {
        if p.contains_key(*k) {
            return Err(invalid(
                opt(field, k),
                format!("a secret in the configuration file: {fix}"),
            ));
        }
    }
    for k in FIXED_TLS {
        if p.contains_key(*k) {
            return Err(invalid(
                opt(field, k),
                "logscrubd offers forward-secret AEAD suites only (TLS 1.2+); remove this property",
            ));
        }
    }
    if p.get("enable.ssl.certificate.verification")
        .is_some_and(|v| is_false(v))
    {
        return Err(invalid(
            opt(field, "enable.ssl.certificate.verification"),
            "brokers' certificates are always verified; give their CA with ssl.ca.location",
        ));
    }
    if p.get("ssl.endpoint.identification.algorithm")
        .is_some_and(|v| v.eq_ignore_ascii_case("none"))
    {
        return Err(invalid(
            opt(field, "ssl.endpoint.identification.algorithm"),
            "the broker's host name is always checked against its certificate; remove this property",
        ));
    }
    let proto = p
        .get("security.protocol")
        .map(|v| v.to_ascii_lowercase())
        .unwrap_or_else(|| "plaintext".into());
    let (tls, sasl) = match proto.as_str() {
        "plaintext" => (false, false),
        "ssl" => (true, false),
        "sasl_ssl" => (true, true),
        "sasl_plaintext" if loopback_only(p.get("bootstrap.servers").map_or("", |s| s)) => {
            (false, true)
        }
        "sasl_plaintext" => {
            return Err(invalid(
                opt(field, "security.protocol"),
                "sasl_plaintext sends credentials and records unprotected; use sasl_ssl (allowed on loopback only)",
            ))
        }
        _ => {
            return Err(invalid(
                opt(field, "security.protocol"),
                "use plaintext, ssl or sasl_ssl",
            ))
        }
    };
    p.insert("security.protocol".into(), proto);
    if tls {
        p.insert("ssl.cipher.suites".into(), CIPHER_SUITES.into());
        p.insert("ssl.curves.list".into(), CURVES.into());
        p.insert(
            "ssl.endpoint.identification.algorithm".into(),
            "https".into(),
        );
    }
    if let Some(k) = p.get("ssl.key.location") {
        crate::util::check_private(Path::new(k))
            .map_err(|m| invalid(opt(field, "ssl.key.location"), m))?;
    }
    if let Some(f) = ssl_key_password_file {
        p.insert(
            "ssl.key.password".into(),
            read_secret(f).map_err(|m| invalid(format!("{field}.ssl_key_password_file"), m))?,
        );
    }
    if sasl {
        let mech = p
            .get("sasl.mechanisms")
            .or_else(|| p.get("sasl.mechanism"))
            .cloned()
            .unwrap_or_default();
        if !["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"].contains(&mech.as_str()) {
            return Err(invalid(
                opt(field, "sasl.mechanism"),
                "use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512",
            ));
        }
        require(&p, field, "sasl.username")?;
        let Some(f) = sasl_password_file else {
            return Err(invalid(
                format!("{field}.sasl_password_file"),
                "SASL needs the password: put it in a file (chmod 600) and name it here",
            ));
        };
        p.insert(
            "sasl.password".into(),
            read_secret(f).map_err(|m| invalid(format!("{field}.sasl_password_file"), m))?,
        );
    } else if sasl_password_file.is_some() {
        return Err(invalid(
            format!("{field}.sasl_password_file"),
            "set security.protocol = \"sasl_ssl\" to use SASL",
        ));
    }
    Ok(p)
}

/// Every bootstrap server is a loopback address.
fn loopback_only(servers: &str) -> bool {
    servers.split(',').all(|s| {
        let s = s.trim();
        let s = s.split_once("://").map_or(s, |(_, r)| r);
        let host = match s.rsplit_once(':') {
            Some((h, _)) => h.trim_start_matches('[').trim_end_matches(']'),
            None => s,
        };
        host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|a| a.is_loopback())
    })
}

/// Reads a secret file (owner-only, trimmed, not empty). The error never contains the secret.
fn read_secret(p: &Path) -> Result<String, String> {
    crate::util::check_private(p)?;
    let t = std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
    let t = t.trim_end_matches(['\n', '\r']).to_string();
    if t.is_empty() {
        return Err(format!("{} is empty", p.display()));
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(extra: &[(&str, &str)]) -> KafkaSourceConfig {
        let mut m = BTreeMap::new();
        m.insert("bootstrap.servers".to_string(), "broker:9093".to_string());
        m.insert("group.id".to_string(), "g".to_string());
        for (k, v) in extra {
            m.insert(k.to_string(), v.to_string());
        }
        KafkaSourceConfig {
            name: None,
            topics: vec!["raw".into()],
            format: Default::default(),
            librdkafka_options: m,
            sasl_password_file: None,
            ssl_key_password_file: None,
            commit_interval_ms: 500,
            linger_ms: 20,
            rebalance_drain_ms: 1000,
        }
    }

    fn props(c: &KafkaSourceConfig) -> BTreeMap<String, String> {
        consumer_properties(c, "source[0]")
            .unwrap()
            .into_iter()
            .collect()
    }

    #[test]
    fn offsets_are_ours_and_nothing_is_skipped_by_default() {
        let p = props(&source(&[]));
        assert_eq!(p["enable.auto.commit"], "false");
        assert_eq!(p["enable.auto.offset.store"], "false");
        assert_eq!(p["auto.offset.reset"], "earliest");
        let e = consumer_properties(&source(&[("enable.auto.commit", "true")]), "source[0]")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("enable.auto.commit") && e.contains("remove"),
            "{e}"
        );
        let e = consumer_properties(&source(&[("group.id", "")]), "source[0]")
            .unwrap_err()
            .to_string();
        assert!(e.contains("group.id"), "{e}");
    }

    #[test]
    fn tls_gets_forward_secret_suites_and_cannot_be_weakened() {
        let p = props(&source(&[("security.protocol", "SSL")]));
        assert_eq!(p["security.protocol"], "ssl");
        assert_eq!(p["ssl.cipher.suites"], CIPHER_SUITES);
        assert!(CIPHER_SUITES
            .split(':')
            .all(|s| s.starts_with("ECDHE-") && (s.contains("GCM") || s.contains("CHACHA20"))));
        for bad in [
            ("ssl.cipher.suites", "ALL"),
            ("enable.ssl.certificate.verification", "false"),
            ("ssl.endpoint.identification.algorithm", "none"),
        ] {
            let e = consumer_properties(&source(&[("security.protocol", "ssl"), bad]), "s")
                .unwrap_err()
                .to_string();
            assert!(e.contains(bad.0), "{e}");
        }
    }

    #[test]
    fn sasl_password_comes_from_an_owner_only_file_and_never_into_errors() {
        let e = consumer_properties(&source(&[("sasl.password", "hunter2-inline")]), "s")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("sasl_password_file") && !e.contains("hunter2"),
            "{e}"
        );
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("pw");
        std::fs::write(&f, "Sc4m-pass-file\n").unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o644)).unwrap();
        let mut c = source(&[
            ("security.protocol", "sasl_ssl"),
            ("sasl.mechanism", "SCRAM-SHA-512"),
            ("sasl.username", "scrubber"),
        ]);
        c.sasl_password_file = Some(f.clone());
        let e = consumer_properties(&c, "s").unwrap_err().to_string();
        assert!(e.contains("chmod 600") && !e.contains("Sc4m"), "{e}");
        std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(props(&c)["sasl.password"], "Sc4m-pass-file");
        // SASL without TLS only towards loopback brokers.
        let mut c2 = c.clone();
        c2.librdkafka_options
            .insert("security.protocol".into(), "sasl_plaintext".into());
        assert!(consumer_properties(&c2, "s").is_err());
        c2.librdkafka_options.insert(
            "bootstrap.servers".into(),
            "127.0.0.1:9092,localhost:9093".into(),
        );
        assert!(consumer_properties(&c2, "s").is_ok());
        c2.librdkafka_options
            .insert("sasl.mechanism".into(), "GSSAPI".into());
        assert!(consumer_properties(&c2, "s").is_err());
    }

    #[cfg(feature = "kafka")]
    #[test]
    fn a_misspelt_property_is_reported_by_name() {
        let e = consumer_properties(&source(&[("sesion.timeout.ms", "6000")]), "source[0]")
            .unwrap_err()
            .to_string();
        assert!(e.contains("sesion.timeout.ms"), "{e}");
    }

    #[test]
    fn producer_is_idempotent_with_acks_all() {
        let mut m = BTreeMap::new();
        m.insert("bootstrap.servers".to_string(), "b:9092".to_string());
        let mut c = KafkaSinkConfig {
            topic: "clean".into(),
            librdkafka_options: m,
            sasl_password_file: None,
            ssl_key_password_file: None,
            max_retries: 0,
            inputs: Vec::new(),
        };
        let p: BTreeMap<_, _> = producer_properties(&c, "sink[0]")
            .unwrap()
            .into_iter()
            .collect();
        assert_eq!(p["enable.idempotence"], "true");
        assert_eq!(p["acks"], "all");
        c.librdkafka_options.insert("acks".into(), "1".into());
        assert!(producer_properties(&c, "sink[0]").is_err());
        c.librdkafka_options.insert("acks".into(), "-1".into());
        c.librdkafka_options
            .insert("enable.idempotence".into(), "false".into());
        assert!(producer_properties(&c, "sink[0]").is_err());
    }
}
