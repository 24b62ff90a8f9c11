//! Shared test support: one planted value of every class of the default pack, and a capturing writer.
#![allow(dead_code)]

use std::error::Error as StdError;
use std::fmt;
use std::io;
use std::sync::{Arc, Mutex, Once};

pub mod recorder;

/// One planted value: logged as a field named `field`, and (in another form) inside a message.
#[derive(Debug, Clone, Copy)]
pub struct Plant {
    /// The placeholder class the engine writes for it.
    pub class: &'static str,
    /// The field name it is logged under (the engine's context).
    pub field: &'static str,
    /// The field's value.
    pub value: &'static str,
    /// The part of `value` that must never appear in the output.
    pub secret: &'static str,
    /// A free-text message containing another value of the class.
    pub message: &'static str,
    /// The part of `message` that must never appear in the output.
    pub message_secret: &'static str,
}

/// Defines [`PLANTS`] and, for each plant, a macro call with the field name as an identifier (tracing needs field
/// names at compile time).
macro_rules! plants {
    ($( $class:literal, $field:ident, $value:expr, $secret:literal, $msg:literal, $msg_secret:literal; )*) => {
        pub const PLANTS: &[Plant] = &[$(Plant {
            class: $class,
            field: stringify!($field),
            value: $value,
            secret: $secret,
            message: $msg,
            message_secret: $msg_secret,
        },)*];

        /// Logs one event per plant with the value as a field, beside two harmless fields.
        pub fn log_fields() {
            $( tracing::info!(order_id = 42u64, $field = $value, user = "bob", "checkout step"); )*
        }

        /// Like [`log_fields`], with the given values (one per plant, in order) instead of the planted ones.
        pub fn log_fields_with(values: &[String]) {
            let mut it = values.iter();
            $( tracing::info!(order_id = 42u64, $field = it.next().unwrap().as_str(), user = "bob", "checkout step"); )*
        }

        /// Logs one event per plant inside a span that carries the value as a field.
        pub fn log_spans() {
            $({
                let span = tracing::info_span!("checkout", $field = $value, order_id = 42u64);
                let _entered = span.enter();
                tracing::info!(user = "bob", "inside span");
            })*
        }

        /// Logs one event per plant with the value recorded into the span later (`Span::record`).
        pub fn log_span_records() {
            $({
                let span = tracing::info_span!("checkout", $field = tracing::field::Empty, order_id = 42u64);
                span.record(stringify!($field), $value);
                let _entered = span.enter();
                tracing::info!("recorded later");
            })*
        }
    };
}

plants! {
    "credit_card", card_number, "4012888888881881", "4012888888881881",
        "payment failed for card 4111 1111 1111 1111 (visa)", "4111 1111 1111 1111";
    "iban", iban, "DE89370400440532013000", "DE89370400440532013000",
        "refund to IBAN GB82 WEST 1234 5698 7654 32", "GB82 WEST 1234 5698 7654 32";
    "routing_number", routing_number, "021000021", "021000021",
        "wire via routing number 121000358 queued", "121000358";
    "bank_account", account_number, "0012345678", "0012345678",
        "bank account 9876543210 frozen", "9876543210";
    "aws_account_id", aws_account_id, "210987654321", "210987654321",
        "assumed role in AWS account 123456789012", "123456789012";
    "email", email, "jane.doe@example.com", "jane.doe@example.com",
        "sent receipt to bob+alerts@mail.example.co.uk", "bob+alerts@mail.example.co.uk";
    "phone", phone, "+447911123456", "7911123456",
        "call back at (415) 555-2671 today", "555-2671";
    "ssn", ssn, "078-05-1121", "078-05-1121",
        "applicant ssn 219-09-9999 verified", "219-09-9999";
    "uk_nino", nino, "AB123456C", "AB123456C",
        "NI number JG 10 37 95 B recorded", "JG 10 37 95 B";
    "ipv4", client_ip, "218.188.2.4", "218.188.2.4",
        "Invalid user webmaster from 173.234.31.186", "173.234.31.186";
    "ipv6", peer, "2001:db8:85a3::8a2e:370:7334", "2001:db8:85a3::8a2e:370:7334",
        "client 2607:f8b0:4005:80a::200e connected", "2607:f8b0:4005:80a::200e";
    "date_of_birth", dob, "1990-05-17", "1990-05-17",
        "customer born May 17, 1985 in Leeds", "May 17, 1985";
    "person_name", name, "Jane Doe", "Jane Doe",
        "cardholder: JOHN SMITH exp=12/27", "JOHN SMITH";
    "street_address", billing_address, "1600 Amphitheatre Parkway, Mountain View, CA 94043", "Amphitheatre",
        "shipping_address: 742 Evergreen Terrace, Springfield", "Evergreen";
    "aws_access_key_id", key_id, "AKIAQ7ZL3MXK2PV9RT4W", "AKIAQ7ZL3MXK2PV9RT4W",
        "using key AKIAR4N8WQ2ZT6YH3KPD for upload", "AKIAR4N8WQ2ZT6YH3KPD";
    "aws_secret_access_key", aws_secret_access_key, "q8Vd2LzR6nKx1TfW9bHc/3YpJ7mQs5GtE0aUoNiXr",
        "q8Vd2LzR6nKx1TfW9bHc/3YpJ7mQs5GtE0aUoNiXr",
        "aws_secret = 'kL9xQ2mP4vR7tY1wE3uI5oA8sD0fG6hJ2kL4zX7c'", "kL9xQ2mP4vR7tY1wE3uI5oA8sD0fG6hJ2kL4zX7c";
    "github_token", gh, "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", "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",
        "auth ghu_pLIix6MEOLeMa61EqJomTEI1JEzO3j3luGwJ", "ghu_pLIix6MEOLeMa61EqJomTEI1JEzO3j3luGwJ";
    "slack_token", slack, "xoxb-928374650123-4829105736482-Rk7fQ2mZpX9vLw3NcT8yHs4J", "Rk7fQ2mZpX9vLw3NcT8yHs4J",
        "refresh xoxe-1-My0xLTEtMjM0NTY3ODkwMTIzNC1hYmNkZWY", "My0xLTEtMjM0NTY3ODkwMTIzNC1hYmNkZWY";
    "slack_webhook", webhook, "https://hooks.slack.com/services/T0A1B2C3D/B4E5F6G7H/abcdEFGHijklMNOPqrstUVWX",
        "abcdEFGHijklMNOPqrstUVWX",
        "posting to https://hooks.slack.com/services/TAAAAAAAA/BBBBBBBBB/cccccccccccccccccccccccc", "cccccccccccccccccccccccc";
    "stripe_key", stripe, "sk_live_4eC39HqLyjWDarjtT1zdp7dc", "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
        "webhook secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    "jwt", jwt,
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        "token eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL2V4YW1wbGUuY29tIn0.c2lnbmF0dXJl seen", "eyJpc3MiOiJodHRwczovL2V4YW1wbGUuY29tIn0";
    "auth_header", authorization, "Bearer 9944b09199c62bcf9418ad846dd0e4bb", "9944b09199c62bcf9418ad846dd0e4bb",
        "Authorization: Bearer abcdef0123456789xyz", "abcdef0123456789xyz";
    "password", password, "Sup3rS3cret!", "Sup3rS3cret!",
        "login ok password=hunter2 user=bob", "hunter2";
    "private_key", pem,
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END RSA PRIVATE KEY-----",
        "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo",
        "loaded -----BEGIN PRIVATE KEY-----MIIEvQIBADANBgkqhkiG9w0BAQEFAASC-----END PRIVATE KEY-----", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC";
    "url_password", dsn, "postgres://app:s3cr3tPass@db.internal:5432/orders", "s3cr3tPass",
        "GET https://admin:Tr0ub4dor@example.com/login", "Tr0ub4dor";
    "url_secret", url, "https://maps.example.com/api?api_key=9f8e7d6c5b4a&q=paris", "9f8e7d6c5b4a",
        "GET /download?file=a.pdf&token=abc123def456 HTTP/1.1", "abc123def456";
}

/// Every secret planted, in fields and messages.
pub fn all_secrets() -> Vec<&'static str> {
    PLANTS
        .iter()
        .flat_map(|p| [p.secret, p.message_secret])
        .collect()
}

/// Asserts that no planted secret appears in `out`; names the class, never prints the output around it.
pub fn assert_no_secret(out: &str) {
    for p in PLANTS {
        assert!(
            !out.contains(p.secret),
            "raw {} value (field form) leaked",
            p.class
        );
        assert!(
            !out.contains(p.message_secret),
            "raw {} value (message form) leaked",
            p.class
        );
    }
}

/// A `MakeWriter` target that keeps everything written, shared between clones.
#[derive(Clone, Default)]
pub struct Buf(pub Arc<Mutex<Vec<u8>>>);

impl Buf {
    pub fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

impl io::Write for Buf {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Forwards `log` records to `tracing` (once per test process).
pub fn init_log_bridge() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| tracing_log::LogTracer::init().unwrap());
}

/// Parses every line of `out` as JSON (proving validity).
pub fn json_lines(out: &str) -> Vec<serde_json::Value> {
    out.lines()
        .map(|l| {
            serde_json::from_str(l).unwrap_or_else(|e| {
                panic!(
                    "output line is not valid JSON ({e}); line has {} bytes",
                    l.len()
                )
            })
        })
        .collect()
}

/// An error whose message and source carry planted values.
#[derive(Debug)]
pub struct PlantedError {
    pub message: &'static str,
    pub source: Option<Box<PlantedError>>,
}

impl fmt::Display for PlantedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message)
    }
}

impl StdError for PlantedError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static))
    }
}

/// Logs, per plant, an error whose two sources carry the planted message, and an error that carries it itself.
pub fn log_errors() {
    for p in PLANTS {
        let err = PlantedError {
            message: "checkout failed",
            source: Some(Box::new(PlantedError {
                message: p.message,
                source: Some(Box::new(PlantedError {
                    message: p.message,
                    source: None,
                })),
            })),
        };
        tracing::error!(error = &err as &(dyn StdError + 'static), "request failed");
        let top = PlantedError {
            message: p.message,
            source: None,
        };
        tracing::error!(error = &top as &(dyn StdError + 'static), "request failed");
    }
}

/// Logs every plant in every place a value can be: event fields, messages, span fields, `Span::record`, error
/// sources, `log` crate records; inside a root span, under an explicit parent, and as explicit roots.
pub fn log_everything() {
    let root = tracing::info_span!("request", route = "/checkout", attempt = 1i64);
    root.in_scope(|| {
        log_fields();
        log_spans();
        log_span_records();
        log_errors();
        for p in PLANTS {
            tracing::warn!(order_id = 7u64, "{}", p.message);
            log::warn!(target: "billing", "{}", p.message);
        }
        let child = tracing::info_span!(parent: &root, "child", step = 2u64);
        let detached = tracing::info_span!(parent: None, "detached", ok = true);
        for p in PLANTS {
            tracing::info!(parent: &child, "{}", p.message);
            tracing::info!(parent: None, "{}", p.message);
            detached.in_scope(|| tracing::info!(parent: &detached, "{}", p.message));
        }
    });
}
