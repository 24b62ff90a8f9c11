//! TLS for every TCP listener, with rustls and the *ring* provider: TLS 1.2 and 1.3 only, forward-secret AEAD
//! suites only (ECDHE with AES-GCM or ChaCha20-Poly1305 for 1.2; the 1.3 suites), optional client certificates.
//!
//! Errors name the file and the problem; key material is never printed.

use std::sync::Arc;

use rustls::crypto::ring as ring_provider;
use rustls::crypto::CryptoProvider;
use rustls::server::WebPkiClientVerifier;
use rustls::{RootCertStore, ServerConfig};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};

use crate::config::TlsConfig;

/// A TLS setup problem (file and cause).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct TlsError(String);

/// The provider: only forward-secret AEAD suites, only ECDHE groups.
pub fn provider() -> CryptoProvider {
    use ring_provider::cipher_suite::*;
    CryptoProvider {
        cipher_suites: vec![
            TLS13_AES_256_GCM_SHA384,
            TLS13_AES_128_GCM_SHA256,
            TLS13_CHACHA20_POLY1305_SHA256,
            TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
            TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
            TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
            TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
            TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        ],
        kx_groups: vec![
            ring_provider::kx_group::X25519,
            ring_provider::kx_group::SECP256R1,
            ring_provider::kx_group::SECP384R1,
        ],
        ..ring_provider::default_provider()
    }
}

/// Builds the server configuration for one listener (`alpn_http`: announce `http/1.1`).
pub fn server_config(t: &TlsConfig, alpn_http: bool) -> Result<Arc<ServerConfig>, TlsError> {
    let certs: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&t.cert)
        .map_err(|e| TlsError(format!("cert: cannot read {}: {e}", t.cert.display())))?
        .collect::<Result<_, _>>()
        .map_err(|e| TlsError(format!("cert: {}: {e}", t.cert.display())))?;
    if certs.is_empty() {
        return Err(TlsError(format!(
            "cert: {} holds no PEM certificate",
            t.cert.display()
        )));
    }
    let key = PrivateKeyDer::from_pem_file(&t.key).map_err(|e| {
        TlsError(format!(
            "key: cannot load a private key from {}: {e}",
            t.key.display()
        ))
    })?;
    let provider = Arc::new(provider());
    let builder = ServerConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|e| TlsError(format!("protocol versions: {e}")))?;
    let builder = match &t.client_ca {
        Some(ca) => {
            let mut roots = RootCertStore::empty();
            for c in CertificateDer::pem_file_iter(ca)
                .map_err(|e| TlsError(format!("client_ca: cannot read {}: {e}", ca.display())))?
            {
                let c = c.map_err(|e| TlsError(format!("client_ca: {}: {e}", ca.display())))?;
                roots
                    .add(c)
                    .map_err(|e| TlsError(format!("client_ca: {}: {e}", ca.display())))?;
            }
            let v = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .map_err(|e| TlsError(format!("client_ca: {}: {e}", ca.display())))?;
            builder.with_client_cert_verifier(v)
        }
        None => builder.with_no_client_auth(),
    };
    let mut cfg = builder
        .with_single_cert(certs, key)
        .map_err(|e| TlsError(format!("cert/key: {}: {e}", t.key.display())))?;
    if alpn_http {
        cfg.alpn_protocols = vec![b"http/1.1".to_vec()];
    }
    Ok(Arc::new(cfg))
}
