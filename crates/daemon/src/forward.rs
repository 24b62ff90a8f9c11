//! Forwarding sinks: HTTP NDJSON (`POST` of each group of scrubbed records, retried with backoff until a 2xx)
//! and syslog over TCP (RFC 6587 octet counting, one frame per scrubbed record), both optionally over TLS.
//!
//! Each component is here whole: its configuration (`[[sink]] type = "http"` / `"syslog"`), its validation, its
//! environment check and the sink. Each runs in its own sink task: a group is acknowledged upstream only after
//! the forward succeeded, so a down receiver means backpressure for the sources routed to it, not loss, and the
//! other sinks go on. They only ever send scrubbed bytes, and never log them (errors name the URL or address and
//! the error only).

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};
use serde::Deserialize;

use crate::config::ConfigError;
use crate::metrics::SinkStats;
use crate::pipeline::WriterError;
use crate::sink::Sink;

fn err(what: impl Into<String>, e: impl std::fmt::Display) -> WriterError {
    WriterError {
        what: what.into(),
        source: std::io::Error::other(e.to_string()),
    }
}

trait Stream: Read + Write + Send {}
impl<T: Read + Write + Send> Stream for T {}

/// Where to connect, and how.
struct Endpoint {
    host: String,
    port: u16,
    tls: Option<Arc<rustls::ClientConfig>>,
    timeout: Duration,
}

impl Endpoint {
    fn connect(&self) -> std::io::Result<Box<dyn Stream>> {
        let addr = (self.host.as_str(), self.port)
            .to_socket_addrs()?
            .next()
            .ok_or_else(|| std::io::Error::other("no address"))?;
        let sock = TcpStream::connect_timeout(&addr, self.timeout)?;
        sock.set_read_timeout(Some(self.timeout))?;
        sock.set_write_timeout(Some(self.timeout))?;
        sock.set_nodelay(true)?;
        match &self.tls {
            None => Ok(Box::new(sock)),
            Some(cfg) => {
                let name =
                    ServerName::try_from(self.host.clone()).map_err(std::io::Error::other)?;
                let conn = rustls::ClientConnection::new(cfg.clone(), name)
                    .map_err(std::io::Error::other)?;
                Ok(Box::new(rustls::StreamOwned::new(conn, sock)))
            }
        }
    }
}

/// A rustls client configuration with the same protocol and suite limits as the listeners, trusting `ca_file`.
pub fn client_tls(ca_file: &std::path::Path) -> Result<Arc<rustls::ClientConfig>, String> {
    let mut roots = rustls::RootCertStore::empty();
    for c in CertificateDer::pem_file_iter(ca_file)
        .map_err(|e| format!("cannot read {}: {e}", ca_file.display()))?
    {
        let c = c.map_err(|e| format!("{}: {e}", ca_file.display()))?;
        roots
            .add(c)
            .map_err(|e| format!("{}: {e}", ca_file.display()))?;
    }
    let cfg = rustls::ClientConfig::builder_with_provider(Arc::new(crate::tls::provider()))
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(cfg))
}

/// Splits `http://host:port/path` or `https://...`.
pub fn parse_url(url: &str) -> Result<(bool, String, u16, String), String> {
    let (tls, rest) = if let Some(r) = url.strip_prefix("https://") {
        (true, r)
    } else if let Some(r) = url.strip_prefix("http://") {
        (false, r)
    } else {
        return Err("the URL must start with http:// or https://".into());
    };
    let (hostport, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    // `user:password@` is sent as basic authentication (see [`userinfo`]), not part of the host.
    let hostport = hostport.rsplit_once('@').map_or(hostport, |(_, h)| h);
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || h.starts_with('[') => {
            (h, p.parse::<u16>().map_err(|_| "invalid port".to_string())?)
        }
        _ => (hostport, if tls { 443 } else { 80 }),
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() {
        return Err("the URL has no host".into());
    }
    Ok((tls, host.to_string(), port, path.to_string()))
}

/// The `user:password` of an `http://user:password@host/` URL.
fn userinfo(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split('/').next()?;
    Some(authority.rsplit_once('@')?.0)
}

/// `type = "http"` sink.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpForwardSink {
    /// `http://host:port/path` or `https://...`.
    pub url: String,
    /// CA bundle (PEM) to verify an `https` receiver.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// Bearer token file sent as `Authorization: Bearer ...`.
    #[serde(default)]
    pub token_file: Option<PathBuf>,
    /// Attempts before the daemon gives up and exits (0 = retry forever: backpressure, not loss).
    #[serde(default)]
    pub max_retries: u32,
    /// Connect/read/write timeout in seconds.
    #[serde(default = "default_fwd_timeout")]
    pub timeout_secs: u64,
    /// Names of the sources this sink takes; empty (the default): every source.
    #[serde(default)]
    pub inputs: Vec<String>,
}

/// `type = "syslog"` sink.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyslogForwardSink {
    /// `host:port` of the receiver (TCP).
    pub address: String,
    /// CA bundle (PEM): set to use TLS and verify the receiver.
    #[serde(default)]
    pub ca_file: Option<PathBuf>,
    /// Attempts before the daemon gives up and exits (0 = retry forever).
    #[serde(default)]
    pub max_retries: u32,
    /// Connect/write timeout in seconds.
    #[serde(default = "default_fwd_timeout")]
    pub timeout_secs: u64,
    /// Names of the sources this sink takes; empty (the default): every source.
    #[serde(default)]
    pub inputs: Vec<String>,
}

fn default_fwd_timeout() -> u64 {
    10
}

fn invalid(field: String, message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        field,
        message: message.into(),
    }
}

impl HttpForwardSink {
    /// Checks what the schema cannot (`field`: `sink[i]`): the URL, TLS needs a CA file that loads, the token
    /// file.
    pub fn validate(&self, f: &str) -> Result<(), ConfigError> {
        let (tls, ..) = parse_url(&self.url).map_err(|m| invalid(format!("{f}.url"), m))?;
        match (&self.ca_file, tls) {
            (Some(ca), _) => {
                client_tls(ca).map_err(|m| invalid(format!("{f}.ca_file"), m))?;
            }
            (None, true) => {
                return Err(invalid(
                    format!("{f}.ca_file"),
                    "an https URL needs ca_file",
                ))
            }
            (None, false) => {}
        }
        if let Some(p) = &self.token_file {
            crate::config::read_token(p).map_err(|m| invalid(format!("{f}.token_file"), m))?;
        }
        Ok(())
    }
}

impl SyslogForwardSink {
    /// Checks what the schema cannot (`field`: `sink[i]`): `host:port`, a CA file that loads.
    pub fn validate(&self, f: &str) -> Result<(), ConfigError> {
        if self
            .address
            .rsplit_once(':')
            .and_then(|(_, p)| p.parse::<u16>().ok())
            .is_none()
        {
            return Err(invalid(format!("{f}.address"), "use host:port"));
        }
        if let Some(ca) = &self.ca_file {
            client_tls(ca).map_err(|m| invalid(format!("{f}.ca_file"), m))?;
        }
        Ok(())
    }
}

impl HttpForwardSink {
    /// `check-config`: the CA and token files are readable (the token owner-only) and the receiver accepts a
    /// TCP connection (unless offline).
    pub fn check_environment(&self, field: &str, c: &mut crate::environment::Checks) {
        if let Some(ca) = &self.ca_file {
            c.readable_file(&format!("{field}.ca_file"), ca);
        }
        if let Some(t) = &self.token_file {
            c.secret_file(&format!("{field}.token_file"), t);
        }
        if let Ok((_, host, port, _)) = parse_url(&self.url) {
            c.reachable(&format!("{field}.url"), &host, port, "the HTTP receiver");
        }
    }
}

impl SyslogForwardSink {
    /// `check-config`: the CA file is readable and the receiver accepts a TCP connection (unless offline).
    pub fn check_environment(&self, field: &str, c: &mut crate::environment::Checks) {
        if let Some(ca) = &self.ca_file {
            c.readable_file(&format!("{field}.ca_file"), ca);
        }
        if let Some((h, p)) = self.address.rsplit_once(':') {
            if let Ok(port) = p.parse::<u16>() {
                let host = h.trim_start_matches('[').trim_end_matches(']');
                c.reachable(
                    &format!("{field}.address"),
                    host,
                    port,
                    "the syslog receiver",
                );
            }
        }
    }
}

/// Backoff between attempts: 100 ms doubling to 5 s.
fn backoff(attempt: u32) -> Duration {
    Duration::from_millis((100u64 << attempt.min(6)).min(5000))
}

/// `type = "http"`: POSTs each group as NDJSON with a hyper HTTP/1.1 client; a 2xx completes it, anything else
/// is retried. The writer sends one group at a time, so one kept-alive connection is the whole pool: it is
/// reused while the receiver keeps it open and re-established (with TLS when `https`) when it is gone.
pub struct HttpForward {
    url: String,
    ep: Endpoint,
    uri: hyper::Uri,
    authority: String,
    token: Option<hyper::header::HeaderValue>,
    max_retries: u32,
    buf: Vec<u8>,
    stats: SinkStats,
    rt: tokio::runtime::Handle,
    conn: Option<hyper::client::conn::http1::SendRequest<http_body_util::Full<bytes::Bytes>>>,
}

impl HttpForward {
    /// From the configuration (the token file is read here); retries count in `stats`. Must be called inside
    /// the daemon's tokio runtime, which then drives the connections.
    pub fn new(cfg: &HttpForwardSink, stats: SinkStats) -> Result<Self, WriterError> {
        let what = || format!("http sink {}", cfg.url);
        let (tls, host, port, path) = parse_url(&cfg.url).map_err(|e| err(what(), e))?;
        let tls = match (tls, &cfg.ca_file) {
            (false, _) => None,
            (true, Some(ca)) => Some(client_tls(ca).map_err(|e| err("http sink ca_file", e))?),
            (true, None) => return Err(err("http sink", "https needs ca_file")),
        };
        let token = match &cfg.token_file {
            Some(p) => {
                let t = crate::config::read_token(p).map_err(|e| err("http sink token_file", e))?;
                let mut v =
                    hyper::header::HeaderValue::try_from(format!("Bearer {t}")).map_err(|_| {
                        err(
                            "http sink token_file",
                            "the token is not a valid header value",
                        )
                    })?;
                v.set_sensitive(true);
                Some(v)
            }
            None => userinfo(&cfg.url).and_then(|u| {
                use base64::Engine as _;
                let b = base64::engine::general_purpose::STANDARD.encode(u);
                let mut v = hyper::header::HeaderValue::try_from(format!("Basic {b}")).ok()?;
                v.set_sensitive(true);
                Some(v)
            }),
        };
        let authority = if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        let uri = path.parse::<hyper::Uri>().map_err(|e| err(what(), e))?;
        let rt = tokio::runtime::Handle::try_current()
            .map_err(|_| err(what(), "needs the tokio runtime"))?;
        Ok(HttpForward {
            url: cfg.url.clone(),
            ep: Endpoint {
                host,
                port,
                tls,
                timeout: Duration::from_secs(cfg.timeout_secs.max(1)),
            },
            uri,
            authority,
            token,
            max_retries: cfg.max_retries,
            buf: Vec::new(),
            stats,
            rt,
            conn: None,
        })
    }

    /// A ready connection: the kept one if the receiver still holds it open, else a new one.
    async fn ready_conn(
        &mut self,
    ) -> std::io::Result<
        &mut hyper::client::conn::http1::SendRequest<http_body_util::Full<bytes::Bytes>>,
    > {
        use hyper_util::rt::TokioIo;
        if let Some(c) = self.conn.as_mut() {
            if c.ready().await.is_err() {
                self.conn = None;
            }
        }
        if self.conn.is_none() {
            let addr = tokio::net::lookup_host((self.ep.host.as_str(), self.ep.port))
                .await?
                .next()
                .ok_or_else(|| std::io::Error::other("no address"))?;
            let tcp = tokio::net::TcpStream::connect(addr).await?;
            tcp.set_nodelay(true)?;
            let sender = match &self.ep.tls {
                None => {
                    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(tcp))
                        .await
                        .map_err(std::io::Error::other)?;
                    tokio::spawn(conn);
                    sender
                }
                Some(cfg) => {
                    let name = ServerName::try_from(self.ep.host.clone())
                        .map_err(std::io::Error::other)?;
                    let tls = tokio_rustls::TlsConnector::from(cfg.clone())
                        .connect(name, tcp)
                        .await?;
                    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(tls))
                        .await
                        .map_err(std::io::Error::other)?;
                    tokio::spawn(conn);
                    sender
                }
            };
            self.conn = Some(sender);
        }
        self.conn
            .as_mut()
            .ok_or_else(|| std::io::Error::other("no connection"))
    }

    async fn post(&mut self, body: bytes::Bytes) -> std::io::Result<u16> {
        use http_body_util::BodyExt as _;
        let mut req = hyper::Request::post(self.uri.clone())
            .header(hyper::header::HOST, self.authority.as_str())
            .header(hyper::header::CONTENT_TYPE, "application/x-ndjson")
            .body(http_body_util::Full::new(body))
            .map_err(std::io::Error::other)?;
        if let Some(t) = &self.token {
            req.headers_mut()
                .insert(hyper::header::AUTHORIZATION, t.clone());
        }
        let c = self.ready_conn().await?;
        let resp = c.send_request(req).await.map_err(std::io::Error::other)?;
        let status = resp.status().as_u16();
        // Read the (small) answer so that the connection can carry the next group; a large one is not ours to
        // read, and the connection is dropped instead.
        match http_body_util::Limited::new(resp.into_body(), 64 * 1024)
            .collect()
            .await
        {
            Ok(_) => {}
            Err(_) => self.conn = None,
        }
        Ok(status)
    }

    fn post_once(&mut self) -> std::io::Result<u16> {
        let body = bytes::Bytes::copy_from_slice(&self.buf);
        let timeout = self.ep.timeout;
        let rt = self.rt.clone();
        let r = rt.block_on(async { tokio::time::timeout(timeout, self.post(body)).await });
        match r {
            Ok(Ok(st)) => Ok(st),
            Ok(Err(e)) => {
                self.conn = None;
                Err(e)
            }
            Err(_) => {
                self.conn = None;
                Err(std::io::Error::new(
                    std::io::ErrorKind::TimedOut,
                    "no answer within timeout_secs",
                ))
            }
        }
    }
}

impl Sink for HttpForward {
    fn write(&mut self, data: &[u8]) -> Result<(), WriterError> {
        self.buf.extend_from_slice(data);
        Ok(())
    }

    fn sync(&mut self) -> Result<bool, WriterError> {
        if self.buf.is_empty() {
            return Ok(false);
        }
        let mut attempt = 0;
        loop {
            match self.post_once() {
                Ok(st) if (200..300).contains(&st) => {
                    self.buf.clear();
                    return Ok(false);
                }
                Ok(st) => {
                    tracing::warn!(url = %self.url, status = st, attempt, "forward refused; retrying")
                }
                Err(e) => {
                    tracing::warn!(url = %self.url, error = %e, attempt, "forward failed; retrying")
                }
            }
            attempt += 1;
            if self.max_retries > 0 && attempt > self.max_retries {
                return Err(err(
                    format!("http sink {}", self.url),
                    format!("gave up after {attempt} attempts"),
                ));
            }
            self.stats.retries.inc();
            std::thread::sleep(backoff(attempt));
        }
    }

    fn tick(&mut self) -> Result<(), WriterError> {
        Ok(())
    }

    fn close(&mut self) -> Result<(), WriterError> {
        let r = self.sync().map(|_| ());
        self.conn = None;
        r
    }
}

/// `type = "syslog"`: one RFC 6587 octet-counted frame per record over a kept-open TCP (or TLS) connection.
pub struct SyslogForward {
    addr: String,
    ep: Endpoint,
    conn: Option<Box<dyn Stream>>,
    max_retries: u32,
    buf: Vec<u8>,
    stats: SinkStats,
}

impl SyslogForward {
    /// From the configuration; retries count in `stats`.
    pub fn new(cfg: &SyslogForwardSink, stats: SinkStats) -> Result<Self, WriterError> {
        let (host, port) = cfg
            .address
            .rsplit_once(':')
            .and_then(|(h, p)| {
                Some((
                    h.trim_start_matches('[').trim_end_matches(']').to_string(),
                    p.parse().ok()?,
                ))
            })
            .ok_or_else(|| err("syslog sink", "address must be host:port"))?;
        let tls = match &cfg.ca_file {
            Some(ca) => Some(client_tls(ca).map_err(|e| err("syslog sink ca_file", e))?),
            None => None,
        };
        Ok(SyslogForward {
            addr: cfg.address.clone(),
            ep: Endpoint {
                host,
                port,
                tls,
                timeout: Duration::from_secs(cfg.timeout_secs.max(1)),
            },
            conn: None,
            max_retries: cfg.max_retries,
            buf: Vec::new(),
            stats,
        })
    }
}

impl Sink for SyslogForward {
    fn write(&mut self, data: &[u8]) -> Result<(), WriterError> {
        for rec in data.split_inclusive(|&c| c == b'\n') {
            let r = rec.strip_suffix(b"\n").unwrap_or(rec);
            self.buf
                .extend_from_slice(format!("{} ", r.len()).as_bytes());
            self.buf.extend_from_slice(r);
        }
        Ok(())
    }

    fn sync(&mut self) -> Result<bool, WriterError> {
        if self.buf.is_empty() {
            return Ok(false);
        }
        let mut attempt = 0;
        loop {
            let r = (|| -> std::io::Result<()> {
                if self.conn.is_none() {
                    self.conn = Some(self.ep.connect()?);
                }
                let c = self
                    .conn
                    .as_mut()
                    .ok_or_else(|| std::io::Error::other("no connection"))?;
                c.write_all(&self.buf)?;
                c.flush()
            })();
            match r {
                Ok(()) => {
                    self.buf.clear();
                    return Ok(false);
                }
                Err(e) => {
                    // A partial write may duplicate frames on retry: at-least-once.
                    self.conn = None;
                    tracing::warn!(address = %self.addr, error = %e, attempt, "syslog forward failed; retrying");
                }
            }
            attempt += 1;
            if self.max_retries > 0 && attempt > self.max_retries {
                return Err(err(
                    format!("syslog sink {}", self.addr),
                    format!("gave up after {attempt} attempts"),
                ));
            }
            self.stats.retries.inc();
            std::thread::sleep(backoff(attempt));
        }
    }

    fn tick(&mut self) -> Result<(), WriterError> {
        Ok(())
    }

    fn close(&mut self) -> Result<(), WriterError> {
        self.sync()?;
        self.conn = None;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(
            parse_url("https://logs.example:8443/ingest").unwrap(),
            (true, "logs.example".into(), 8443, "/ingest".into())
        );
        assert_eq!(
            parse_url("http://127.0.0.1").unwrap(),
            (false, "127.0.0.1".into(), 80, "/".into())
        );
        assert_eq!(
            parse_url("http://[::1]:9/x").unwrap(),
            (false, "::1".into(), 9, "/x".into())
        );
        assert_eq!(
            parse_url("http://logger:pw@127.0.0.1:1/ingest").unwrap(),
            (false, "127.0.0.1".into(), 1, "/ingest".into())
        );
        assert_eq!(
            userinfo("http://logger:pw@127.0.0.1:1/a@b"),
            Some("logger:pw")
        );
        assert_eq!(userinfo("http://127.0.0.1:1/a@b"), None);
        assert!(parse_url("ftp://x").is_err());
        assert!(parse_url("http://:80/").is_err());
    }
}
