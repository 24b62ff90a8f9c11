//! HTTP: the ingest listener (`POST /ingest` with NDJSON, a JSON array or plain text; `POST /v1/logs` with
//! OTLP/HTTP JSON) and the operations listener (`/metrics`, `/healthz`, `/readyz`).
//!
//! A request is answered 200 only once its scrubbed records are durable in every sink. A full queue is answered
//! 503 with `Retry-After`; the body is then dropped from memory and never persisted. Responses and the
//! daemon's own logs never echo the body. Both listeners can use TLS.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{header, Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use logscrub_engine::JsonText;
use serde::Deserialize;
use serde_json::value::RawValue;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::{oneshot, watch};
use tokio_rustls::TlsAcceptor;

use super::{stopped, Ctx};
use crate::budget::Lease;
use crate::config::{check_tls, invalid, read_token, ConfigError, TlsConfig};
use crate::metrics::Metrics;
use crate::pipeline::BatchBuilder;
use crate::streams::StreamMap;

/// What a listener serves.
#[derive(Clone)]
pub enum Role {
    /// Log ingest.
    Ingest {
        /// Source context.
        ctx: Ctx,
        /// Required bearer token.
        token: Option<Arc<str>>,
        /// Body limit.
        max_body: usize,
    },
    /// `/metrics`, `/healthz`, `/readyz`.
    Ops {
        /// Counters.
        metrics: Arc<Metrics>,
        /// Becomes true on shutdown (then `/readyz` fails).
        shutdown: watch::Receiver<bool>,
    },
}

type Resp = Response<Full<Bytes>>;

fn resp(status: StatusCode, body: impl Into<Bytes>) -> Resp {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = status;
    r
}

fn json(status: StatusCode, body: String) -> Resp {
    let mut r = resp(status, body);
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    r
}

/// Serves `role` on `listener` until shutdown; in-flight requests finish (graceful shutdown).
pub async fn serve(
    listener: TcpListener,
    tls: Option<TlsAcceptor>,
    role: Role,
    limits: super::Limits,
    mut shutdown: watch::Receiver<bool>,
) {
    let cap = Arc::new(tokio::sync::Semaphore::new(limits.max_connections));
    let (metrics, name): (Arc<Metrics>, Arc<str>) = match &role {
        Role::Ingest { ctx, .. } => (ctx.metrics.clone(), ctx.name.clone()),
        Role::Ops { metrics, .. } => (metrics.clone(), Arc::from("metrics")),
    };
    // Waiting for a request head counts as idle; hyper closes the connection after this.
    let head_timeout = limits.idle_timeout.min(Duration::from_secs(30));
    loop {
        let (sock, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(x) => x,
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            _ = stopped(&mut shutdown) => return,
        };
        let Ok(permit) = cap.clone().try_acquire_owned() else {
            metrics.refused_connection(&name);
            drop(sock);
            continue;
        };
        let role = role.clone();
        let tls = tls.clone();
        let sd = shutdown.clone();
        tokio::spawn(async move {
            let _permit = permit;
            match tls {
                Some(acc) => {
                    match tokio::time::timeout(Duration::from_secs(10), acc.accept(sock)).await {
                        Ok(Ok(s)) => conn(s, role, sd, head_timeout).await,
                        Ok(Err(e)) => tracing::info!(%peer, error = %e, "TLS handshake refused"),
                        Err(_) => tracing::info!(%peer, "TLS handshake timed out"),
                    }
                }
                None => conn(sock, role, sd, head_timeout).await,
            }
        });
    }
}

async fn conn<S: AsyncRead + AsyncWrite + Unpin + Send + 'static>(
    s: S,
    role: Role,
    mut shutdown: watch::Receiver<bool>,
    head_timeout: Duration,
) {
    let svc = service_fn(move |req| {
        let role = role.clone();
        async move { Ok::<_, Infallible>(handle(req, role).await) }
    });
    let c = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(head_timeout)
        .serve_connection(TokioIo::new(s), svc);
    tokio::pin!(c);
    tokio::select! {
        r = c.as_mut() => { if let Err(e) = r { tracing::debug!(error = %e, "http connection ended"); } }
        _ = stopped(&mut shutdown) => {
            c.as_mut().graceful_shutdown();
            let _ = c.await;
        }
    }
}

async fn handle(req: Request<Incoming>, role: Role) -> Resp {
    match role {
        Role::Ops { metrics, shutdown } => match (req.method(), req.uri().path()) {
            (&Method::GET, "/metrics") => {
                let mut r = resp(StatusCode::OK, metrics.render());
                r.headers_mut().insert(
                    header::CONTENT_TYPE,
                    header::HeaderValue::from_static(crate::metrics::CONTENT_TYPE),
                );
                r
            }
            (&Method::GET, "/healthz") => resp(StatusCode::OK, "ok\n"),
            (&Method::GET, "/readyz") => {
                if metrics.ready.load(Relaxed)
                    && !*shutdown.borrow()
                    && metrics.stopped_sources().is_empty()
                {
                    resp(StatusCode::OK, "ready\n")
                } else {
                    resp(StatusCode::SERVICE_UNAVAILABLE, "not ready\n")
                }
            }
            _ => resp(StatusCode::NOT_FOUND, "not found\n"),
        },
        Role::Ingest {
            ctx,
            token,
            max_body,
        } => ingest(req, ctx, token, max_body).await,
    }
}

/// Constant-time comparison (`subtle`) of the presented token with the expected one; the scheme is
/// case-insensitive (RFC 7235).
fn token_ok(req: &Request<Incoming>, token: &str) -> bool {
    let Some(v) = req.headers().get(header::AUTHORIZATION) else {
        return false;
    };
    bearer_matches(v.as_bytes(), token.as_bytes())
}

fn bearer_matches(value: &[u8], want: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    let Some((scheme, given)) = value.split_at_checked(7) else {
        return false;
    };
    if !scheme.eq_ignore_ascii_case(b"bearer ") {
        return false;
    }
    given.ct_eq(want).into()
}

/// Reads the body up to `max` bytes within `timeout`, leasing what it holds from the memory budget. A larger body
/// is answered 413 after discarding (bounded) what follows, so that the client sees the answer; a body the budget
/// cannot hold now is answered 503 with `Retry-After`.
async fn read_body(
    mut body: Incoming,
    max: usize,
    lease: &mut Lease,
    timeout: Duration,
    ctx: &Ctx,
) -> Result<Bytes, Resp> {
    let mut buf = bytes::BytesMut::new();
    let mut too_large = false;
    let mut seen = 0usize;
    let deadline = tokio::time::Instant::now() + timeout;
    loop {
        let f = match tokio::time::timeout_at(deadline, body.frame()).await {
            Ok(Some(Ok(f))) => f,
            Ok(None) => break,
            Ok(Some(Err(_))) => {
                return Err(resp(StatusCode::BAD_REQUEST, "cannot read the body\n"))
            }
            Err(_) => {
                return Err(resp(
                    StatusCode::REQUEST_TIMEOUT,
                    "the body did not arrive in time\n",
                ))
            }
        };
        if let Ok(d) = f.into_data() {
            seen = seen.saturating_add(d.len());
            if seen > max {
                too_large = true;
                buf = bytes::BytesMut::new();
                lease.shrink_to(0);
                if seen > max.saturating_mul(4) {
                    break;
                }
            } else {
                if !lease.try_cover(buf.len() + d.len()) {
                    ctx.metrics.rejected(&ctx.name);
                    return Err(unavailable(ctx, "memory budget in use, retry later\n"));
                }
                buf.extend_from_slice(&d);
            }
        }
    }
    if too_large {
        return Err(resp(StatusCode::PAYLOAD_TOO_LARGE, "body too large\n"));
    }
    Ok(buf.freeze())
}

/// Decompresses a gzip body, refusing more than `max` bytes of output (no decompression bombs) and leasing the
/// output from the memory budget as it grows.
pub(crate) fn gunzip(
    body: &[u8],
    max: usize,
    lease: &mut Lease,
) -> Result<Bytes, (StatusCode, &'static str)> {
    use std::io::Read;
    let mut out = Vec::new();
    let mut d = flate2::read::MultiGzDecoder::new(body).take(max as u64 + 1);
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = match d.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(_) => return Err((StatusCode::BAD_REQUEST, "invalid gzip body\n")),
        };
        if out.len() + n > max {
            return Err((
                StatusCode::PAYLOAD_TOO_LARGE,
                "body too large once decompressed\n",
            ));
        }
        if !lease.try_cover(body.len() + out.len() + n) {
            return Err((
                StatusCode::SERVICE_UNAVAILABLE,
                "memory budget in use, retry later\n",
            ));
        }
        out.extend_from_slice(&chunk[..n]);
    }
    Ok(Bytes::from(out))
}

/// Reads and discards a rejected request's body (bounded), so that the client reads the answer instead of a
/// connection reset.
async fn discard(req: Request<Incoming>, max_body: usize) {
    let _ = tokio::time::timeout(
        Duration::from_secs(5),
        Limited::new(req.into_body(), max_body).collect(),
    )
    .await;
}

async fn ingest(
    req: Request<Incoming>,
    ctx: Ctx,
    token: Option<Arc<str>>,
    max_body: usize,
) -> Resp {
    let (early, req) = precheck(req, &ctx, token.as_deref());
    if let Some(r) = early {
        discard(req, max_body).await;
        return r;
    }
    ingest_checked(req, ctx, max_body).await
}

fn precheck(
    req: Request<Incoming>,
    ctx: &Ctx,
    token: Option<&str>,
) -> (Option<Resp>, Request<Incoming>) {
    let path = req.uri().path();
    if path != "/ingest" && path != "/v1/logs" {
        return (Some(resp(StatusCode::NOT_FOUND, "not found\n")), req);
    }
    if req.method() != Method::POST {
        let mut r = resp(StatusCode::METHOD_NOT_ALLOWED, "use POST\n");
        r.headers_mut()
            .insert(header::ALLOW, header::HeaderValue::from_static("POST"));
        return (Some(r), req);
    }
    if let Some(t) = token {
        if !token_ok(&req, t) {
            let mut r = resp(StatusCode::UNAUTHORIZED, "missing or wrong bearer token\n");
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
            return (Some(r), req);
        }
    }
    if ctx.stopping() {
        return (Some(unavailable(ctx, "shutting down\n")), req);
    }
    if ctx.metrics.storage_full.load(Relaxed) {
        ctx.metrics.rejected(&ctx.name);
        return (Some(unavailable(ctx, "storage full, retry later\n")), req);
    }
    (None, req)
}

async fn ingest_checked(req: Request<Incoming>, ctx: Ctx, max_body: usize) -> Resp {
    let path = req.uri().path().to_string();
    let ctype = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let encoding = req
        .headers()
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("identity")
        .trim()
        .to_ascii_lowercase();
    let gzip = match encoding.as_str() {
        "identity" | "" => false,
        "gzip" | "x-gzip" => true,
        _ => {
            return resp(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "use Content-Encoding gzip or none\n",
            )
        }
    };
    // Held until the request is answered: the raw body, then its scrubbed batch.
    let mut lease = ctx.limits.budget.lease();
    let body = match read_body(
        req.into_body(),
        max_body,
        &mut lease,
        ctx.limits.request_timeout,
        &ctx,
    )
    .await
    {
        Ok(b) => b,
        Err(r) => return r,
    };
    let body = if gzip {
        match gunzip(&body, max_body, &mut lease) {
            Ok(b) => b,
            Err((StatusCode::SERVICE_UNAVAILABLE, msg)) => {
                ctx.metrics.rejected(&ctx.name);
                return unavailable(&ctx, msg);
            }
            Err((st, msg)) => return resp(st, msg),
        }
    } else {
        body
    };
    let is_otlp = path == "/v1/logs";
    let proto = ctype.starts_with("application/x-protobuf");
    if is_otlp && !proto && !ctype.starts_with("application/json") {
        return resp(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "use application/json or application/x-protobuf\n",
        );
    }
    let body_len = body.len() as u64;
    let mut b = ctx.builder();
    let streams = ctx.streams.clone();
    // Scrubbing a large body is CPU work: keep it off the I/O threads.
    let work = tokio::task::spawn_blocking(move || {
        let parsed = match (is_otlp, proto) {
            (true, true) => {
                crate::otlp::scrub_protobuf(&mut b, &streams, &body).map_err(|e| e.to_string())
            }
            (true, false) => {
                crate::otlp::scrub_json(&mut b, &streams, &body).map_err(|e| e.to_string())
            }
            _ => scrub_body(&mut b, &streams, &ctype, &body),
        };
        (parsed, b)
    })
    .await;
    let Ok((parsed, mut b)) = work else {
        return resp(StatusCode::INTERNAL_SERVER_ERROR, "internal error\n");
    };
    if let Err(msg) = parsed {
        return resp(StatusCode::BAD_REQUEST, format!("{msg}\n"));
    }
    let records = b.records();
    ctx.metrics.received(&ctx.name, records, body_len);
    let (tx, rx) = oneshot::channel();
    if let Err(_batch) = ctx.queue.try_send(b.take(Some(tx))) {
        ctx.metrics.rejected(&ctx.name);
        return unavailable(&ctx, "queue full, retry later\n");
    }
    match rx.await {
        Ok(Ok(())) => {
            if is_otlp {
                // ExportLogsServiceResponse: an empty message means full success.
                if proto {
                    let mut r = resp(StatusCode::OK, Bytes::new());
                    r.headers_mut().insert(
                        header::CONTENT_TYPE,
                        header::HeaderValue::from_static("application/x-protobuf"),
                    );
                    return r;
                }
                return json(StatusCode::OK, "{}".to_string());
            }
            json(StatusCode::OK, format!("{{\"accepted\":{records}}}"))
        }
        _ => unavailable(&ctx, "not persisted, retry later\n"),
    }
}

fn unavailable(ctx: &Ctx, msg: &'static str) -> Resp {
    let mut r = resp(StatusCode::SERVICE_UNAVAILABLE, msg);
    if let Ok(v) = header::HeaderValue::from_str(&ctx.retry_after_secs.to_string()) {
        r.headers_mut().insert(header::RETRY_AFTER, v);
    }
    r
}

/// `/ingest` bodies: a JSON array (each element one record), a single JSON object, or newline-delimited text
/// (NDJSON or plain lines). Records keep their bytes; line breaks inside a pretty-printed element become spaces.
///
/// `streams` holds the engine stream of each producer across requests: plain text bodies share the source's
/// stream, and a JSON record carrying its text in `log` (Docker's json-file driver), `message` or `msg` is
/// scrubbed in the stream of its container (`container_id`, `container_name`, `stream`), so a private key sent
/// one line per record is found.
pub fn scrub_body(
    b: &mut BatchBuilder,
    streams: &Mutex<StreamMap>,
    ctype: &str,
    body: &[u8],
) -> Result<(), String> {
    let first = body.iter().find(|c| !c.is_ascii_whitespace()).copied();
    let is_json = ctype.starts_with("application/json");
    if is_json && first == Some(b'[') {
        let items: Vec<&RawValue> = serde_json::from_slice(body)
            .map_err(|e| format!("not a JSON array: line {} column {}", e.line(), e.column()))?;
        for it in items {
            push_json(b, streams, it.get());
        }
        return Ok(());
    }
    if is_json && first == Some(b'{') && serde_json::from_slice::<&RawValue>(body).is_ok() {
        let it: &RawValue = serde_json::from_slice(body).map_err(|_| "invalid JSON".to_string())?;
        push_json(b, streams, it.get());
        return Ok(());
    }
    // Newline-delimited: JSON object lines go through the record path, other lines through the source's text
    // stream (one record per line).
    let mut out = Vec::new();
    for line in body.split_inclusive(|&c| c == b'\n') {
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        let trimmed = line.strip_suffix(b"\r").unwrap_or(line);
        if trimmed.first() == Some(&b'{') {
            if let Ok(text) = std::str::from_utf8(trimmed) {
                if serde_json::from_str::<&RawValue>(text).is_ok() {
                    push_json(b, streams, text);
                    continue;
                }
            }
        }
        out.clear();
        b.scrub_record_in(streams, b"text", line, &mut out);
        out.push(b'\n');
        b.append_scrubbed(&out, 1);
    }
    Ok(())
}

/// The top-level members of a JSON record that carry its text (Docker's json-file driver writes `log`; other
/// shippers `message` or `msg`): scanned as log text in the stream of the record's producer.
const TEXT_FIELDS: &[&str] = &["log", "message", "msg"];

/// The fields of a JSON record that say which producer it came from.
#[derive(serde::Deserialize)]
struct Envelope<'a> {
    #[serde(borrow, default)]
    container_id: Option<&'a RawValue>,
    #[serde(borrow, default)]
    container_name: Option<&'a RawValue>,
    #[serde(borrow, default)]
    stream: Option<&'a RawValue>,
}

/// One JSON record (valid JSON text), scrubbed through the engine's record API in one call: every value with its
/// key path as context, its text fields ([`TEXT_FIELDS`]) in the stream of its producer (container and stream),
/// so a private key sent one line per record is found. Every byte the engine did not replace is kept.
fn push_json(b: &mut BatchBuilder, streams: &Mutex<StreamMap>, raw: &str) {
    let one_line;
    let raw = if raw.contains(['\n', '\r']) {
        // Valid JSON has no raw line breaks inside strings: outside them they are only white space.
        one_line = raw.replace(['\n', '\r'], " ");
        one_line.as_str()
    } else {
        raw
    };
    let Ok(record) = JsonText::parse(raw) else {
        // Callers pass valid JSON; anything else is scrubbed as a line (never kept unscanned).
        b.push_line(raw.as_bytes());
        return;
    };
    let mut record = record.text_fields(TEXT_FIELDS);
    let mut flushed = Vec::new();
    b.scrub_record_streamed(streams, &producer_key(raw), &mut record, &mut flushed);
    let mut out = Vec::with_capacity(raw.len() + 32);
    record.write_to(&mut out);
    b.push_scrubbed_record(&out);
}

/// The stream key of a JSON record's producer: its container id, container name and stream, when present.
fn producer_key(raw: &str) -> Vec<u8> {
    let env: Option<Envelope> = serde_json::from_str(raw).ok();
    let mut key = b"json".to_vec();
    let parts = env.map_or([None; 3], |e| [e.container_id, e.container_name, e.stream]);
    for part in parts {
        key.push(0);
        if let Some(p) = part {
            key.extend_from_slice(p.get().as_bytes());
        }
    }
    key
}

// This source's configuration (`[[source]]`), re-exported by `crate::config`, and its validation.

/// `type = "http"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpSource {
    /// Name used in metrics and the findings log.
    #[serde(default)]
    pub name: Option<String>,
    /// Listen address.
    pub listen: SocketAddr,
    /// TLS (recommended on anything but loopback).
    #[serde(default)]
    pub tls: Option<TlsConfig>,
    /// A file holding the bearer token clients must send (`Authorization: Bearer ...`).
    #[serde(default)]
    pub token_file: Option<PathBuf>,
    /// Largest accepted request body.
    #[serde(default = "default_max_body")]
    pub max_body_bytes: usize,
}

fn default_max_body() -> usize {
    16 * 1024 * 1024
}

impl HttpSource {
    /// Checks what the schema cannot (`f`: `source[i]`): the TLS section, the token file, the body limit.
    pub fn validate(&self, f: &str) -> Result<(), ConfigError> {
        check_tls(&format!("{f}.tls"), self.tls.as_ref())?;
        if let Some(p) = &self.token_file {
            read_token(p).map_err(|m| invalid(format!("{f}.token_file"), m))?;
        }
        if self.max_body_bytes == 0 {
            return Err(invalid(format!("{f}.max_body_bytes"), "must be at least 1"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::Queue;
    use crate::scrub::ScrubHandle;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::sync::mpsc;

    /// Fails on main: the JSON-aware line pass did not take `"password"  :  "..."` (spaces around the colon)
    /// nor a list under a `password` key as that field's value. Every value now goes through the engine's record
    /// API under its key path, one call per record, and every other byte is kept.
    #[test]
    fn json_records_go_through_the_record_api_with_their_key_paths() {
        let s = logscrub_engine::Scrubber::default_rules().unwrap();
        let mut b = BatchBuilder::new(Arc::from("t"), s, Arc::default());
        let body = concat!(
            "{\"user\": \"ann\", \"password\"  :  \"hunter2 horse\", \"n\": 1}\n",
            "{\"password\":[\"hunter2x\",\"s3cretxy\"],\"ok\":true}\n",
            "plain line\n",
        );
        scrub_body(
            &mut b,
            &Mutex::default(),
            "application/x-ndjson",
            body.as_bytes(),
        )
        .unwrap();
        let batch = b.take(None);
        assert_eq!(
            String::from_utf8(batch.data).unwrap(),
            concat!(
                "{\"user\": \"ann\", \"password\"  :  \"[REDACTED:password]\", \"n\": 1}\n",
                "{\"password\":[\"[REDACTED:password]\",\"[REDACTED:password]\"],\"ok\":true}\n",
                "plain line\n",
            )
        );
        assert_eq!(batch.findings.len(), 3);
        assert_eq!(batch.records, 3);
    }

    async fn start(
        cap: usize,
    ) -> (
        std::net::SocketAddr,
        mpsc::Receiver<Arc<crate::delivery::Delivery>>,
        Ctx,
        watch::Sender<bool>,
    ) {
        let metrics = Arc::new(Metrics::default());
        let (tx, rx) = mpsc::channel(cap);
        let (sd_tx, sd_rx) = watch::channel(false);
        let ctx = Ctx {
            name: Arc::from("web"),
            queue: Queue::new(tx, metrics.clone()),
            scrub: ScrubHandle::new(logscrub_engine::Scrubber::default_rules().unwrap()),
            metrics,
            shutdown: sd_rx.clone(),
            max_batch_records: 10,
            retry_after_secs: 7,
            data_dir: std::env::temp_dir(),
            streams: Arc::default(),
            limits: Default::default(),
        };
        let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = l.local_addr().unwrap();
        let role = Role::Ingest {
            ctx: ctx.clone(),
            token: None,
            max_body: 1 << 20,
        };
        tokio::spawn(serve(l, None, role, Default::default(), sd_rx));
        (addr, rx, ctx, sd_tx)
    }

    async fn post(addr: std::net::SocketAddr, body: &str) -> String {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        let req = format!(
            "POST /ingest HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        s.write_all(req.as_bytes()).await.unwrap();
        let mut out = Vec::new();
        s.read_to_end(&mut out).await.unwrap();
        String::from_utf8_lossy(&out).into_owned()
    }

    #[tokio::test]
    async fn full_queue_answers_503_with_retry_after() {
        let (addr, mut rx, ctx, _sd) = start(1).await;
        // Fill the queue with one batch nobody consumes.
        let mut b = ctx.builder();
        b.push_line(b"filler");
        ctx.queue.try_send(b.take(None)).map_err(|_| ()).unwrap();
        let r = post(addr, "x 4111 1111 1111 1111\n").await;
        assert!(r.starts_with("HTTP/1.1 503"), "{r}");
        assert!(r.to_ascii_lowercase().contains("retry-after: 7"), "{r}");
        assert!(!r.contains("4111"));
        // Nothing of the refused request is queued: only the filler is there.
        let only = rx.recv().await.unwrap();
        assert_eq!(only.data, b"filler\n");
        assert!(rx.try_recv().is_err());
        let m = ctx.metrics.render();
        assert!(
            m.contains("logscrubd_rejected_requests_total{source=\"web\"} 1"),
            "{m}"
        );
    }

    #[tokio::test]
    async fn answer_waits_for_the_writer_acknowledgement() {
        let (addr, mut rx, _ctx, _sd) = start(4).await;
        let req = tokio::spawn(post(addr, "a 4111 1111 1111 1111\nb\n"));
        let batch = rx.recv().await.unwrap();
        assert_eq!(batch.records, 2);
        assert_eq!(batch.data, b"a [REDACTED:credit_card]\nb\n");
        // Not acknowledged yet: the client has no answer.
        assert!(!req.is_finished());
        tokio::task::yield_now().await;
        assert!(!req.is_finished());
        batch.sink_done();
        let r = req.await.unwrap();
        assert!(r.starts_with("HTTP/1.1 200"), "{r}");
        assert!(r.ends_with("{\"accepted\":2}"), "{r}");
    }

    #[tokio::test]
    async fn gzip_bodies_are_decompressed_with_a_limit() {
        use std::io::Write;
        let (addr, mut rx, _ctx, _sd) = start(4).await;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(b"z 4111 1111 1111 1111\n").unwrap();
        let body = gz.finish().unwrap();
        let send = |body: Vec<u8>| async move {
            let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
            let head = format!(
                "POST /ingest HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Encoding: gzip\r\nContent-Length: {}\r\n\r\n",
                body.len()
            );
            s.write_all(head.as_bytes()).await.unwrap();
            s.write_all(&body).await.unwrap();
            let mut out = Vec::new();
            s.read_to_end(&mut out).await.unwrap();
            String::from_utf8_lossy(&out).into_owned()
        };
        let req = tokio::spawn(send(body));
        let batch = rx.recv().await.unwrap();
        assert_eq!(batch.data, b"z [REDACTED:credit_card]\n");
        batch.sink_done();
        assert!(req.await.unwrap().starts_with("HTTP/1.1 200"));
        // 2 MiB of zeros compress to a few KiB but exceed the 1 MiB limit once decompressed.
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&vec![b'0'; 2 << 20]).unwrap();
        let r = send(gz.finish().unwrap()).await;
        assert!(r.starts_with("HTTP/1.1 413"), "{r}");
        let r = send(b"not gzip".to_vec()).await;
        assert!(r.starts_with("HTTP/1.1 400"), "{r}");
    }

    #[test]
    fn bearer_scheme_is_case_insensitive_and_the_token_exact() {
        assert!(bearer_matches(b"Bearer tok-123", b"tok-123"));
        assert!(bearer_matches(b"bearer tok-123", b"tok-123"));
        assert!(bearer_matches(b"BEARER tok-123", b"tok-123"));
        assert!(!bearer_matches(b"Bearer tok-124", b"tok-123"));
        assert!(!bearer_matches(b"Bearer tok-1234", b"tok-123"));
        assert!(!bearer_matches(b"Basic tok-123", b"tok-123"));
        assert!(!bearer_matches(b"Bear", b"tok-123"));
    }

    #[tokio::test]
    async fn failed_persistence_answers_503() {
        let (addr, mut rx, _ctx, _sd) = start(4).await;
        let req = tokio::spawn(post(addr, "x\n"));
        let batch = rx.recv().await.unwrap();
        batch.fail();
        let r = req.await.unwrap();
        assert!(r.starts_with("HTTP/1.1 503"), "{r}");
    }
}
