//! Forwarding sinks: HTTP NDJSON (`POST` of each group of scrubbed records, retried with backoff until a 2xx)
//! and syslog over TCP (RFC 6587 octet counting, one frame per scrubbed record), both optionally over TLS.
//!
//! They run on the writer thread like every sink: a group is acknowledged upstream only after the forward
//! succeeded, so a down receiver means backpressure, not loss. They only ever send scrubbed bytes, and never
//! log them (errors name the URL or address and the error only).

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName};

use crate::config::{HttpForwardSink, SyslogForwardSink};
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

/// Backoff between attempts: 100 ms doubling to 5 s.
fn backoff(attempt: u32) -> Duration {
    Duration::from_millis((100u64 << attempt.min(6)).min(5000))
}

/// `type = "http"`: POSTs each group as NDJSON; a 2xx completes it, anything else is retried.
pub struct HttpForward {
    url: String,
    ep: Endpoint,
    path: String,
    token: Option<String>,
    max_retries: u32,
    buf: Vec<u8>,
    stats: SinkStats,
}

impl HttpForward {
    /// From the configuration (the token file is read here); retries count in `stats`.
    pub fn new(cfg: &HttpForwardSink, stats: SinkStats) -> Result<Self, WriterError> {
        let (tls, host, port, path) =
            parse_url(&cfg.url).map_err(|e| err(format!("http sink {}", cfg.url), e))?;
        let tls = match (tls, &cfg.ca_file) {
            (false, _) => None,
            (true, Some(ca)) => Some(client_tls(ca).map_err(|e| err("http sink ca_file", e))?),
            (true, None) => return Err(err("http sink", "https needs ca_file")),
        };
        let token = match &cfg.token_file {
            Some(p) => {
                Some(crate::config::read_token(p).map_err(|e| err("http sink token_file", e))?)
            }
            None => None,
        };
        Ok(HttpForward {
            url: cfg.url.clone(),
            ep: Endpoint {
                host,
                port,
                tls,
                timeout: Duration::from_secs(cfg.timeout_secs.max(1)),
            },
            path,
            token,
            max_retries: cfg.max_retries,
            buf: Vec::new(),
            stats,
        })
    }

    fn post_once(&self) -> std::io::Result<u16> {
        let mut s = self.ep.connect()?;
        let mut head = format!(
            "POST {} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-ndjson\r\nContent-Length: {}\r\nConnection: close\r\n",
            self.path,
            self.ep.host,
            self.buf.len()
        );
        if let Some(t) = &self.token {
            head.push_str("Authorization: Bearer ");
            head.push_str(t);
            head.push_str("\r\n");
        }
        head.push_str("\r\n");
        s.write_all(head.as_bytes())?;
        s.write_all(&self.buf)?;
        s.flush()?;
        // The status line is enough: "HTTP/1.1 200 ...".
        let mut resp = Vec::new();
        let mut chunk = [0u8; 512];
        while !resp.windows(2).any(|w| w == b"\r\n") && resp.len() < 4096 {
            let n = s.read(&mut chunk)?;
            if n == 0 {
                break;
            }
            resp.extend_from_slice(&chunk[..n]);
        }
        let line = String::from_utf8_lossy(&resp);
        line.split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .ok_or_else(|| std::io::Error::other("no HTTP status line"))
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
        self.sync().map(|_| ())
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
        assert!(parse_url("ftp://x").is_err());
        assert!(parse_url("http://:80/").is_err());
    }
}
