//! TLS on the listeners: rcgen certificates (a CA, a server and a client certificate), a rustls client for
//! HTTPS and syslog over TLS, mTLS, and `openssl s_client` showing that TLS 1.1 and suites without forward
//! secrecy or AEAD are refused (skipped with a message when `openssl` is missing).

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use common::*;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};

fn client_config(
    pki: &Pki,
    client_cert: bool,
    versions: &[&'static rustls::SupportedProtocolVersion],
) -> Arc<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    for c in CertificateDer::pem_file_iter(pki.p("ca.pem")).unwrap() {
        roots.add(c.unwrap()).unwrap();
    }
    let b = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_protocol_versions(versions)
    .unwrap()
    .with_root_certificates(roots);
    let cfg = if client_cert {
        let certs: Vec<_> = CertificateDer::pem_file_iter(pki.p("client.pem"))
            .unwrap()
            .map(|c| c.unwrap())
            .collect();
        let key = PrivateKeyDer::from_pem_file(pki.p("client.key")).unwrap();
        b.with_client_auth_cert(certs, key).unwrap()
    } else {
        b.with_no_client_auth()
    };
    Arc::new(cfg)
}

fn tls_stream(
    cfg: Arc<rustls::ClientConfig>,
    addr: SocketAddr,
) -> rustls::StreamOwned<rustls::ClientConnection, TcpStream> {
    let sock = TcpStream::connect(addr).unwrap();
    sock.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let conn =
        rustls::ClientConnection::new(cfg, ServerName::try_from("localhost").unwrap()).unwrap();
    rustls::StreamOwned::new(conn, sock)
}

fn https_post(
    cfg: Arc<rustls::ClientConfig>,
    addr: SocketAddr,
    body: &str,
) -> std::io::Result<(u16, String)> {
    let mut s = tls_stream(cfg, addr);
    write!(
        s,
        "POST /ingest HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )?;
    let mut resp = Vec::new();
    match s.read_to_end(&mut resp) {
        Ok(_) => {}
        // rustls reports a peer closing without close_notify; the response is complete by then.
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof && !resp.is_empty() => {}
        Err(e) => return Err(e),
    }
    let (st, _, b) = parse_response(&resp);
    Ok((st, b))
}

#[test]
fn https_ingest_tls13_and_tls12() {
    let pki = Pki::new();
    let d = Daemon::start(&format!(
        "[[source]]\ntype = \"http\"\nname = \"web\"\nlisten = \"127.0.0.1:0\"\n{}[[sink]]\ntype = \"file\"\n",
        pki.tls_table(false)
    ));
    let addr = d.addr("web");
    let (st, body) = https_post(
        client_config(&pki, false, &[&rustls::version::TLS13]),
        addr,
        &format!("tls13 {CARD}\n"),
    )
    .unwrap();
    assert_eq!((st, body.as_str()), (200, "{\"accepted\":1}"));
    let (st, _) = https_post(
        client_config(&pki, false, &[&rustls::version::TLS12]),
        addr,
        &format!("tls12 {AWS}\n"),
    )
    .unwrap();
    assert_eq!(st, 200);
    assert_eq!(
        d.output(),
        "tls13 [REDACTED:credit_card]\ntls12 [REDACTED:aws_access_key_id]\n"
    );
    // Plain HTTP on the TLS port is refused.
    let r = std::panic::catch_unwind(|| http(addr, "POST", "/ingest", &[], b"plain\n"));
    assert!(r.map(|(st, _, _)| st != 200).unwrap_or(true));
    assert_no_raw_on_disk(&d.data());
}

#[test]
fn syslog_over_tls_with_client_certificates() {
    let pki = Pki::new();
    let d = Daemon::start(&format!(
        "[[source]]\ntype = \"syslog\"\nname = \"sl\"\nprotocol = \"tcp\"\nlisten = \"127.0.0.1:0\"\n{}[[sink]]\ntype = \"file\"\n",
        pki.tls_table(true)
    ));
    let addr = d.addr("sl");
    // Without a client certificate: the handshake fails, nothing is persisted.
    let mut s = tls_stream(client_config(&pki, false, &[&rustls::version::TLS13]), addr);
    let _ = writeln!(s, "<13>1 - h a - - - nocert {CARD}");
    let _ = s.flush();
    let mut buf = [0u8; 16];
    let r = s.read(&mut buf);
    assert!(
        r.is_err() || r.unwrap() == 0,
        "server must refuse a client without certificate"
    );
    drop(s);
    // With one: accepted.
    let mut s = tls_stream(client_config(&pki, true, &[&rustls::version::TLS13]), addr);
    let m = format!("<13>1 - h a - - - withcert {CARD}");
    write!(s, "{} {m}", m.len()).unwrap();
    s.flush().unwrap();
    let out = d.wait_lines(1);
    assert_eq!(out, "<13>1 - h a - - - withcert [REDACTED:credit_card]\n");
    s.conn.send_close_notify();
    let _ = s.flush();
    assert_no_raw_on_disk(&d.data());
}

/// Runs `openssl s_client` with extra arguments; true when a session was established.
fn s_client(addr: SocketAddr, ca: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new("openssl")
        .arg("s_client")
        .arg("-connect")
        .arg(addr.to_string())
        .arg("-CAfile")
        .arg(ca)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let ok = text.contains("Verify return code: 0 (ok)")
        && !text.contains("Cipher is (NONE)")
        && !text.contains("Cipher    : 0000");
    (ok, text)
}

#[test]
fn openssl_refuses_tls11_and_weak_suites() {
    if !has_tool("openssl") {
        eprintln!("SKIPPED openssl_refuses_tls11_and_weak_suites: `openssl` not installed (apt-get install openssl)");
        return;
    }
    let pki = Pki::new();
    let d = Daemon::start(&format!(
        "[[source]]\ntype = \"http\"\nname = \"web\"\nlisten = \"127.0.0.1:0\"\n{}[[sink]]\ntype = \"file\"\n",
        pki.tls_table(false)
    ));
    let addr = d.addr("web");
    let ca = pki.p("ca.pem");
    // Control: TLS 1.3 and TLS 1.2 with an ECDHE AEAD suite work.
    let (ok, text) = s_client(addr, &ca, &["-tls1_3"]);
    assert!(ok, "TLS 1.3 must work:\n{text}");
    let (ok, text) = s_client(
        addr,
        &ca,
        &["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"],
    );
    assert!(ok, "TLS 1.2 ECDHE-ECDSA-AES128-GCM must work:\n{text}");
    // TLS 1.1 (the client is allowed to offer it with SECLEVEL=0): refused by the server.
    let (ok, text) = s_client(addr, &ca, &["-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"]);
    assert!(!ok, "TLS 1.1 must be refused:\n{text}");
    assert!(
        text.contains("alert")
            || text.contains("wrong version")
            || text.contains("unsupported protocol"),
        "{text}"
    );
    // TLS 1.2 without forward secrecy (static RSA key exchange), and CBC without AEAD: refused.
    for suite in ["AES128-GCM-SHA256", "AES256-SHA", "ECDHE-ECDSA-AES128-SHA"] {
        let (ok, text) = s_client(
            addr,
            &ca,
            &["-tls1_2", "-cipher", &format!("{suite}:@SECLEVEL=0")],
        );
        assert!(!ok, "{suite} must be refused:\n{text}");
    }
}
