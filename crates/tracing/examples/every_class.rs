//! Logs one value of every class of the default rule pack, first as text, then as JSON, and shows what reaches
//! stdout. Run: `cargo run -p logscrub-tracing --example every_class`.
//!
//! Every value below comes from the `examples` of the rules in `rules/*.toml`; none of them is real.

use std::error::Error;
use std::fmt;

use tracing_subscriber::prelude::*;

/// An error whose source carries a credential, as a database driver's error might.
#[derive(Debug)]
struct QueryError {
    source: ConnectError,
}

#[derive(Debug)]
struct ConnectError;

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("query failed")
    }
}

impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cannot connect to postgres://app:s3cr3tPass@db.internal:5432/orders")
    }
}

impl Error for QueryError {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&self.source)
    }
}

impl Error for ConnectError {}

fn log_everything() {
    // Structured fields: the field name is the engine's context (`name`, `password`, `dob` ...).
    tracing::info!(
        name = "Jane Doe",
        card = 4012888888881881u64,
        iban = "DE89370400440532013000",
        routing_number = "021000021",
        account_number = "0012345678",
        aws_account_id = "210987654321",
        email = "jane.doe@example.com",
        phone = "+447911123456",
        ssn = "078-05-1121",
        nino = "AB123456C",
        "customer updated"
    );
    tracing::info!(
        client_ip = "218.188.2.4",
        peer = "2001:db8:85a3::8a2e:370:7334",
        dob = "1990-05-17",
        billing_address = "1600 Amphitheatre Parkway, Mountain View, CA 94043",
        "profile"
    );
    tracing::warn!(
        key_id = "AKIAQ7ZL3MXK2PV9RT4W",
        aws_secret_access_key = "q8Vd2LzR6nKx1TfW9bHc/3YpJ7mQs5GtE0aUoNiXr",
        gh = "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",
        slack = "xoxb-928374650123-4829105736482-Rk7fQ2mZpX9vLw3NcT8yHs4J",
        stripe = "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
        password = "Sup3rS3cret!",
        "credentials loaded"
    );
    // In messages, spans and errors.
    let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
    let span = tracing::info_span!(
        "request",
        authorization = "Bearer 9944b09199c62bcf9418ad846dd0e4bb"
    );
    let _entered = span.enter();
    tracing::info!("token {jwt} accepted");
    tracing::info!(
        "posting to https://hooks.slack.com/services/T0A1B2C3D/B4E5F6G7H/abcdEFGHijklMNOPqrstUVWX"
    );
    tracing::info!("GET https://maps.example.com/api?api_key=9f8e7d6c5b4a&q=paris");
    tracing::info!(
        pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n-----END RSA PRIVATE KEY-----",
        "key rotated"
    );
    let err = QueryError {
        source: ConnectError,
    };
    tracing::error!(error = &err as &(dyn Error + 'static), "checkout failed");
    // Through the `log` crate.
    log::warn!("refund to IBAN GB82 WEST 1234 5698 7654 32 queued");
}

fn main() -> Result<(), Box<dyn Error>> {
    tracing_log::LogTracer::init()?;
    let scrubber = logscrub_tracing::Scrubber::default_rules()?;

    println!("--- text ---");
    let text = tracing_subscriber::registry().with(logscrub_tracing::fmt_layer(scrubber.clone()));
    tracing::subscriber::with_default(text, log_everything);

    println!("--- json ---");
    let json = tracing_subscriber::registry().with(logscrub_tracing::fmt_layer(scrubber).json());
    tracing::subscriber::with_default(json, log_everything);
    Ok(())
}
