//! Syslog: RFC 5424 and RFC 3164 messages over TCP (RFC 6587 octet counting and LF framing, optionally TLS) and
//! UDP (one message per datagram).
//!
//! The header (PRI, version, timestamp, host, app, procid, msgid; or the RFC 3164 timestamp, host and tag) is
//! kept byte for byte; the MSG part is scrubbed as text in its sender's stream, and RFC 5424 structured data goes
//! through the engine's record API, one call per message ([`sd`]: each parameter value under `SD-ID.name`). A
//! message whose header cannot be parsed is scrubbed whole after its PRI: when unsure, scrub more. UDP is the
//! only lossy input; its drops are counted.
//!
//! Never logs message bytes.

use std::net::SocketAddr;
use std::sync::Mutex;

use serde::Deserialize;
use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::net::{TcpListener, UdpSocket};
use tokio_rustls::TlsAcceptor;

mod sd;

use super::rfc6587::{Frame, Rfc6587};
use super::{read_idle, stopped, Ctx, DRAIN_IDLE};
use crate::config::{check_tls, invalid, ConfigError, TlsConfig};
use crate::pipeline::BatchBuilder;
use crate::streams::StreamMap;

/// Largest message taken in one frame; a longer one (either framing) comes in parts of this size that one engine
/// stream scans with overlap.
pub const MAX_FRAME: usize = 1 << 20;

/// Scrubs one syslog message (without its framing) into `out`, keeping header bytes. `streams` holds the engine
/// stream of each sender (`conn` names the connection or peer; the sender is its host, app and process), so that
/// a private key logged one line per message is found as the block it is.
pub fn scrub_message(
    b: &mut BatchBuilder,
    streams: &Mutex<StreamMap>,
    conn: &[u8],
    msg: &[u8],
    out: &mut Vec<u8>,
) {
    let Some(pri_end) = pri_end(msg) else {
        b.scrub_record_in(streams, conn, msg, out);
        return;
    };
    let rest = &msg[pri_end..];
    if let Some(h) = parse_5424(rest) {
        // PRI, VERSION and TIMESTAMP as they are; the fields that name the sender are scrubbed.
        out.extend_from_slice(&msg[..pri_end + h.fields[1].0]);
        for (k, name) in [
            (1, "hostname"),
            (2, "app_name"),
            (3, "procid"),
            (4, "msgid"),
        ] {
            scrub_header_field(b, name, h.field(rest, k), out);
            out.push(b' ');
        }
        match h.sd {
            SdSpan::Nil => out.push(b'-'),
            SdSpan::Elements(end) => scrub_sd(b, &rest[h.header_end..end], out),
        }
        if let Some(m) = h.msg_start {
            out.push(b' ');
            let key = sender_key(
                conn,
                &[h.field(rest, 1), h.field(rest, 2), h.field(rest, 3)],
            );
            b.scrub_record_in(streams, &key, &rest[m..], out);
        }
        return;
    }
    if let Some(h) = header_3164(rest) {
        out.extend_from_slice(&msg[..pri_end + h.host.0]);
        scrub_header_field(b, "hostname", &rest[h.host.0..h.host.1], out);
        out.extend_from_slice(&rest[h.host.1..h.tag.0]);
        scrub_header_field(b, "tag", &rest[h.tag.0..h.tag.1], out);
        out.extend_from_slice(&rest[h.tag.1..h.len]);
        let key = sender_key(conn, &[&rest[h.host.0..h.host.1], &rest[h.tag.0..h.tag.1]]);
        b.scrub_record_in(streams, &key, &rest[h.len..], out);
        return;
    }
    out.extend_from_slice(&msg[..pri_end]);
    b.scrub_record_in(streams, conn, rest, out);
}

/// Scrubs a header field (HOSTNAME, APP-NAME, PROCID, MSGID, the RFC 3164 tag) with its name as the key, keeping
/// the field's shape: printable ASCII without spaces, `-` when nothing is left.
fn scrub_header_field(b: &mut BatchBuilder, name: &str, value: &[u8], out: &mut Vec<u8>) {
    if value.is_empty() || value == b"-" {
        out.extend_from_slice(value);
        return;
    }
    let start = out.len();
    b.scrub_field_into(name, value, out);
    if out.len() == start {
        out.push(b'-');
        return;
    }
    for c in &mut out[start..] {
        if !c.is_ascii_graphic() {
            *c = b'_';
        }
    }
}

/// The stream key of a sender: the connection (or peer) and the header fields naming the sender.
fn sender_key(conn: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let mut k = conn.to_vec();
    for p in parts {
        k.push(0);
        k.extend_from_slice(p);
    }
    k
}

/// `<digits>` at the start: the index after `>`.
fn pri_end(m: &[u8]) -> Option<usize> {
    if m.first() != Some(&b'<') {
        return None;
    }
    let close = m.iter().take(5).position(|&c| c == b'>')?;
    if close < 2 || !m[1..close].iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(close + 1)
}

enum SdSpan {
    Nil,
    Elements(usize),
}

struct Header5424 {
    /// End of `VERSION SP TS SP HOST SP APP SP PROCID SP MSGID SP` (start of SD).
    header_end: usize,
    /// Spans of TIMESTAMP, HOSTNAME, APP-NAME, PROCID, MSGID.
    fields: [(usize, usize); 5],
    sd: SdSpan,
    /// Start of MSG (after the space following SD).
    msg_start: Option<usize>,
}

fn parse_5424(r: &[u8]) -> Option<Header5424> {
    // VERSION: 1-3 digits, not starting with 0.
    let sp = r.iter().take(4).position(|&c| c == b' ')?;
    if sp == 0 || !r[..sp].iter().all(u8::is_ascii_digit) || r[0] == b'0' {
        return None;
    }
    let mut i = sp + 1;
    let mut fields = [(0, 0); 5];
    for f in &mut fields {
        let len = r[i..].iter().position(|&c| c == b' ')?;
        if len == 0 || !r[i..i + len].iter().all(|c| c.is_ascii_graphic()) {
            return None;
        }
        *f = (i, i + len);
        i += len + 1;
    }
    let header_end = i;
    let sd;
    if r.get(i) == Some(&b'-') {
        sd = SdSpan::Nil;
        i += 1;
    } else if r.get(i) == Some(&b'[') {
        while r.get(i) == Some(&b'[') {
            i = sd_element_end(r, i)?;
        }
        sd = SdSpan::Elements(i);
    } else {
        return None;
    }
    let msg_start = match r.get(i) {
        None => None,
        Some(b' ') => Some(i + 1),
        Some(_) => return None,
    };
    Some(Header5424 {
        header_end,
        fields,
        sd,
        msg_start,
    })
}

impl Header5424 {
    /// Header field `k` (0 TIMESTAMP, 1 HOSTNAME, 2 APP-NAME, 3 PROCID, 4 MSGID) of `r`.
    fn field<'a>(&self, r: &'a [u8], k: usize) -> &'a [u8] {
        let (s, e) = self.fields[k];
        &r[s..e]
    }
}

/// From `[` at `i`, the index after the matching `]` (quoted values may hold escaped `"`, `\`, `]`).
fn sd_element_end(r: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    let mut quoted = false;
    while i < r.len() {
        let c = r[i];
        if quoted {
            if c == b'\\' {
                i += 2;
                continue;
            }
            if c == b'"' {
                quoted = false;
            }
        } else if c == b'"' {
            quoted = true;
        } else if c == b']' {
            return Some(i + 1);
        }
        i += 1;
    }
    None
}

/// Copies structured data with each SD-PARAM value scrubbed through the engine's record API (one call per
/// message, each value under its `SD-ID.name` path). Structured data that does not follow the grammar is scrubbed
/// as text: when unsure, scrub more.
fn scrub_sd(b: &mut BatchBuilder, sd: &[u8], out: &mut Vec<u8>) {
    match sd::StructuredData::parse(sd) {
        Some(mut data) => {
            b.scrub_record(&mut data);
            data.write_to(out);
        }
        None => b.scrub_into(sd, out),
    }
}

/// An RFC 3164 header: its length and the spans of HOST and TAG (empty when absent).
struct Header3164 {
    len: usize,
    host: (usize, usize),
    tag: (usize, usize),
}

/// RFC 3164: `Mmm dd hh:mm:ss HOST ` and an optional `TAG[pid]: `.
fn header_3164(r: &[u8]) -> Option<Header3164> {
    const MONTHS: [&[u8]; 12] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov",
        b"Dec",
    ];
    if r.len() < 16 || !MONTHS.contains(&&r[..3]) || r[3] != b' ' || r[15] != b' ' {
        return None;
    }
    let t = &r[4..15];
    let ok = (t[0] == b' ' || t[0].is_ascii_digit())
        && t[1].is_ascii_digit()
        && t[2] == b' '
        && t[5] == b':'
        && t[8] == b':'
        && [3, 4, 6, 7, 9, 10].iter().all(|&k| t[k].is_ascii_digit());
    if !ok {
        return None;
    }
    let mut i = 16;
    let none = |len| Header3164 {
        len,
        host: (len, len),
        tag: (len, len),
    };
    let Some(hl) = r[i..].iter().take(256).position(|&c| c == b' ') else {
        return Some(none(16));
    };
    if hl == 0 || !r[i..i + hl].iter().all(|c| c.is_ascii_graphic()) {
        return Some(none(16));
    }
    let host = (i, i + hl);
    i += hl + 1;
    let no_tag = Header3164 {
        len: i,
        host,
        tag: (i, i),
    };
    // TAG: up to 48 alphanumerics / `-_./`, optional `[digits]`, then `:` and optional space.
    let tag_len = r[i..]
        .iter()
        .take(48)
        .position(|c| !(c.is_ascii_alphanumeric() || b"-_./".contains(c)))
        .unwrap_or(0);
    let mut j = i + tag_len;
    if tag_len > 0 && r.get(j) == Some(&b'[') {
        let pl = r[j + 1..].iter().take(11).position(|&c| c == b']');
        match pl {
            Some(pl) if r[j + 1..j + 1 + pl].iter().all(u8::is_ascii_digit) => j += pl + 2,
            _ => return Some(no_tag),
        }
    }
    if tag_len > 0 && r.get(j) == Some(&b':') {
        let tag = (i, j);
        j += 1;
        if r.get(j) == Some(&b' ') {
            j += 1;
        }
        return Some(Header3164 { len: j, host, tag });
    }
    Some(no_tag)
}

/// What the connection keeps while an over-long message comes in parts: the sender's stream key and the
/// scrubbed bytes of the message so far.
struct LongMessage {
    key: Vec<u8>,
    out: Vec<u8>,
}

/// Scrubbed output of one long message is written as a record once it reaches this size (the engine's stream
/// keeps its overlap, so nothing is scanned without context; the stored record gains a line break there).
const MAX_HELD_OUTPUT: usize = MAX_FRAME;

/// Scrubs the first part of an over-long message: its header like [`scrub_message`] does, and the start of MSG
/// in the sender's stream. Returns what the following parts need.
fn begin_long(
    b: &mut BatchBuilder,
    streams: &Mutex<StreamMap>,
    conn: &[u8],
    part: &[u8],
) -> LongMessage {
    let mut out = Vec::new();
    let mut key = conn.to_vec();
    let mut body = part;
    if let Some(pri_end) = pri_end(part) {
        let rest = &part[pri_end..];
        if let Some(h) = parse_5424(rest).filter(|h| h.msg_start.is_some()) {
            out.extend_from_slice(&part[..pri_end + h.fields[1].0]);
            for (k, name) in [
                (1, "hostname"),
                (2, "app_name"),
                (3, "procid"),
                (4, "msgid"),
            ] {
                scrub_header_field(b, name, h.field(rest, k), &mut out);
                out.push(b' ');
            }
            match h.sd {
                SdSpan::Nil => out.push(b'-'),
                SdSpan::Elements(end) => scrub_sd(b, &rest[h.header_end..end], &mut out),
            }
            out.push(b' ');
            key = sender_key(
                conn,
                &[h.field(rest, 1), h.field(rest, 2), h.field(rest, 3)],
            );
            body = &rest[h.msg_start.unwrap_or(rest.len())..];
        } else if let Some(h) = header_3164(rest) {
            out.extend_from_slice(&part[..pri_end + h.host.0]);
            scrub_header_field(b, "hostname", &rest[h.host.0..h.host.1], &mut out);
            out.extend_from_slice(&rest[h.host.1..h.tag.0]);
            scrub_header_field(b, "tag", &rest[h.tag.0..h.tag.1], &mut out);
            out.extend_from_slice(&rest[h.tag.1..h.len]);
            key = sender_key(conn, &[&rest[h.host.0..h.host.1], &rest[h.tag.0..h.tag.1]]);
            body = &rest[h.len..];
        } else {
            out.extend_from_slice(&part[..pri_end]);
            body = rest;
        }
    }
    b.scrub_part_in(streams, &key, body, false, &mut out);
    LongMessage { key, out }
}

/// One syslog TCP connection, framed by the RFC 6587 codec.
pub async fn pump_tcp<R: AsyncRead + Unpin>(mut r: R, ctx: Ctx) {
    use tokio_util::codec::Decoder;
    let mut codec = Rfc6587::new(MAX_FRAME);
    let mut inbuf = bytes::BytesMut::with_capacity(64 * 1024);
    let streams = Mutex::new(StreamMap::default());
    let mut long: Option<LongMessage> = None;
    // What this connection holds beyond 64 KiB (a long message's frame and scrubbed output) is leased from the
    // global budget; when it is used up, the connection waits before reading more.
    let mut lease = ctx.limits.budget.lease();
    let mut b = ctx.builder();
    let mut out = Vec::new();
    let mut sd = ctx.shutdown.clone();
    let mut draining = false;
    let mut eof = false;
    while !eof {
        if inbuf.capacity() - inbuf.len() < 16 * 1024 {
            inbuf.reserve(64 * 1024);
        }
        let held = inbuf.capacity() + long.as_ref().map_or(0, |l| l.out.capacity());
        lease.cover(held).await;
        let n = if draining {
            // Shutting down: take what the peer already sent, until it pauses or closes.
            match tokio::time::timeout(DRAIN_IDLE, r.read_buf(&mut inbuf)).await {
                Ok(n) => n,
                Err(_) => Ok(0),
            }
        } else {
            tokio::select! {
                n = read_idle(&mut r, &mut inbuf, ctx.limits.idle_timeout) => n,
                _ = stopped(&mut sd) => { draining = true; continue; }
            }
        };
        let n = match n {
            Ok(0) => {
                eof = true;
                0
            }
            Ok(n) => n,
            Err(e) => {
                tracing::debug!(source = %ctx.name, error = %e, "read ended");
                eof = true;
                0
            }
        };
        let mut count = 0;
        loop {
            let f = if eof {
                codec.decode_eof(&mut inbuf)
            } else {
                codec.decode(&mut inbuf)
            };
            let f = match f {
                Ok(Some(f)) => f,
                Ok(None) => break,
                Err(e) => {
                    tracing::debug!(source = %ctx.name, error = %e, "framing ended");
                    eof = true;
                    break;
                }
            };
            match f {
                Frame::Msg(m) => {
                    out.clear();
                    scrub_message(&mut b, &streams, b"", &m, &mut out);
                    out.push(b'\n');
                    b.append_scrubbed(&out, 1);
                    count += 1;
                }
                Frame::Part { bytes, first, last } => {
                    let lm = match (first, long.take()) {
                        (false, Some(mut lm)) => {
                            b.scrub_part_in(&streams, &lm.key, &bytes, false, &mut lm.out);
                            lm
                        }
                        // A continuation without a start (never produced by the codec): treat it as a start.
                        _ => begin_long(&mut b, &streams, b"", &bytes),
                    };
                    let mut lm = lm;
                    if last {
                        b.scrub_part_in(&streams, &lm.key, b"", true, &mut lm.out);
                        lm.out.push(b'\n');
                        b.append_scrubbed(&lm.out, 1);
                        count += 1;
                    } else {
                        if lm.out.len() >= MAX_HELD_OUTPUT {
                            lm.out.push(b'\n');
                            b.append_scrubbed(&lm.out, 1);
                            lm.out.clear();
                        }
                        long = Some(lm);
                    }
                }
            }
        }
        ctx.metrics.received(&ctx.name, count, n as u64);
        if b.records() > 0 && ctx.queue.send(b.take(None)).await.is_err() {
            return;
        }
        if inbuf.is_empty() && inbuf.capacity() > 256 * 1024 {
            inbuf = bytes::BytesMut::with_capacity(64 * 1024);
        }
        lease.shrink_to(inbuf.capacity() + long.as_ref().map_or(0, |l| l.out.capacity()));
    }
    if let Some(mut lm) = long.take() {
        b.scrub_part_in(&streams, &lm.key, b"", true, &mut lm.out);
        lm.out.push(b'\n');
        b.append_scrubbed(&lm.out, 1);
    }
    if !b.is_empty() {
        let _ = ctx.queue.send(b.take(None)).await;
    }
}

/// `type = "syslog"`, `protocol = "tcp"`.
pub async fn run_tcp(listener: TcpListener, tls: Option<TlsAcceptor>, ctx: Ctx) {
    super::serve_tcp(listener, tls, ctx, pump_tcp::<super::Conn>).await;
}

/// `type = "syslog"`, `protocol = "udp"`: lossy by nature; a full queue drops and counts.
pub async fn run_udp(sock: UdpSocket, ctx: Ctx) {
    let mut sd = ctx.shutdown.clone();
    let mut buf = vec![0u8; 65_536];
    let mut out = Vec::new();
    loop {
        let (n, peer) = tokio::select! {
            r = sock.recv_from(&mut buf) => match r {
                Ok(x) => x,
                Err(e) => {
                    tracing::debug!(source = %ctx.name, error = %e, "recv failed");
                    continue;
                }
            },
            _ = stopped(&mut sd) => return,
        };
        let mut b = ctx.builder();
        let mut bytes = n as u64;
        let streams = &ctx.streams;
        let mut add = |b: &mut BatchBuilder, d: &[u8], peer: std::net::SocketAddr| {
            out.clear();
            let mut m = d;
            while let Some(x) = m.strip_suffix(b"\n").or_else(|| m.strip_suffix(b"\r")) {
                m = x;
            }
            scrub_message(b, streams, peer.to_string().as_bytes(), m, &mut out);
            out.push(b'\n');
            b.append_scrubbed(&out, 1);
        };
        add(&mut b, &buf[..n], peer);
        // Take whatever else is already waiting, to batch under load.
        while (b.records() as usize) < ctx.max_batch_records {
            match sock.try_recv(&mut buf) {
                Ok(n) => {
                    bytes += n as u64;
                    add(&mut b, &buf[..n], peer);
                }
                Err(_) => break,
            }
        }
        let records = b.records();
        ctx.metrics.received(&ctx.name, records, bytes);
        if ctx.queue.try_send(b.take(None)).is_err() {
            ctx.metrics.dropped(&ctx.name, records);
        }
    }
}

// This source's configuration (`[[source]]`), re-exported by `crate::config`, and its validation.

/// Which syslog transport.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum SyslogProtocol {
    /// TCP (RFC 6587: octet counting or LF framing), optionally TLS.
    Tcp,
    /// UDP (one message per datagram; lossy, drops are counted).
    Udp,
}

/// `type = "syslog"`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyslogSource {
    /// Name used in metrics and the findings log.
    #[serde(default)]
    pub name: Option<String>,
    /// `tcp` or `udp`.
    pub protocol: SyslogProtocol,
    /// Listen address.
    pub listen: SocketAddr,
    /// TLS (TCP only).
    #[serde(default)]
    pub tls: Option<TlsConfig>,
}

impl SyslogSource {
    /// Checks what the schema cannot (`f`: `source[i]`): TLS only over TCP, the TLS section.
    pub fn validate(&self, f: &str) -> Result<(), ConfigError> {
        if self.protocol == SyslogProtocol::Udp && self.tls.is_some() {
            return Err(invalid(
                format!("{f}.tls"),
                "TLS is only possible with protocol = \"tcp\"",
            ));
        }
        check_tls(&format!("{f}.tls"), self.tls.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn scrub(msg: &[u8]) -> String {
        let s = logscrub_engine::Scrubber::default_rules().unwrap();
        let mut b = BatchBuilder::new(Arc::from("t"), s, Arc::default());
        let mut out = Vec::new();
        scrub_message(&mut b, &Mutex::default(), b"", msg, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn rfc5424_keeps_header_and_scrubs_msg_and_sd() {
        let m = br#"<13>1 2026-11-28T10:00:00.000Z host app 42 ID7 [meta password="hunter2hunter2" x="a\]b"] card 4111 1111 1111 1111 ok"#;
        let out = scrub(m);
        assert!(
            out.starts_with("<13>1 2026-11-28T10:00:00.000Z host app 42 ID7 [meta password=\""),
            "{out}"
        );
        assert!(!out.contains("hunter2hunter2"), "{out}");
        assert!(out.contains(r#"x="a\]b"]"#), "{out}");
        assert!(out.ends_with(" card [REDACTED:credit_card] ok"), "{out}");
        assert!(!out.contains("4111 1111"));
    }

    /// Fails on main: each SD-PARAM was scrubbed as a bare field, so `Authorization="Basic ..."` was not seen
    /// as an authorization header, and every `\x` was unescaped to `x` (a clean `C:\temp` became `C:temp`).
    #[test]
    fn sd_params_go_through_the_record_api_and_keep_their_bytes() {
        let m = br#"<13>1 2026-12-01T10:00:00Z host app 42 ID7 [req@1 path="C:\temp\new" Authorization="Basic dXNlcjpwYXNzd29yZA==" n="3"][sec@2 api_key="k-73914682aa"] done"#;
        let s = logscrub_engine::Scrubber::default_rules().unwrap();
        let mut b = BatchBuilder::new(Arc::from("t"), s, Arc::default());
        let mut out = Vec::new();
        scrub_message(&mut b, &Mutex::default(), b"", m, &mut out);
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains(r#"path="C:\temp\new""#), "{out}");
        assert!(!out.contains("dXNlcjpwYXNzd29yZA"), "{out}");
        assert!(!out.contains("73914682aa"), "{out}");
        assert!(out.contains(r#" n="3"]"#), "{out}");
        assert!(out.ends_with("] done"), "{out}");
        assert_eq!(b.take(None).findings.len(), 2, "{out}");
    }

    #[test]
    fn rfc5424_nil_sd_and_no_msg() {
        assert_eq!(scrub(b"<13>1 - - - - - -"), "<13>1 - - - - - -");
        assert_eq!(
            scrub(b"<13>1 - h a - - - AKIAQ7ZL3MXK2PV9RT4W"),
            "<13>1 - h a - - - [REDACTED:aws_access_key_id]"
        );
    }

    #[test]
    fn rfc3164_keeps_header() {
        let out = scrub(
            b"<34>Oct 11 22:14:15 mymachine su[230]: 'su root' failed for 4111 1111 1111 1111",
        );
        assert_eq!(
            out,
            "<34>Oct 11 22:14:15 mymachine su[230]: 'su root' failed for [REDACTED:credit_card]"
        );
    }

    #[test]
    fn header_fields_are_scrubbed_keeping_their_shape() {
        let out = scrub(
            b"<13>1 2026-11-28T10:00:00.000Z postgres://app:s3cr3tPass@db.internal:5432/orders AKIAQ7ZL3MXK2PV9RT4W 4111111111111111 AKIAQ7ZL3MXK2PV9RT4W - ok",
        );
        for raw in ["s3cr3tPass", "AKIAQ7ZL3MXK2PV9RT4W", "4111111111111111"] {
            assert!(!out.contains(raw), "{out}");
        }
        // Still six space-separated header fields before SD and MSG.
        let f: Vec<&str> = out.splitn(8, ' ').collect();
        assert_eq!(f.len(), 8, "{out}");
        assert_eq!(f[0], "<13>1");
        assert_eq!(&f[6..], ["-", "ok"], "{out}");
        assert!(f[3].starts_with("[REDACTED:"), "{out}");
        let out = scrub(b"<34>Oct 11 22:14:15 AKIAQ7ZL3MXK2PV9RT4W AKIAQ7ZL3MXK2PV9RT4W[230]: hi");
        assert_eq!(
            out,
            "<34>Oct 11 22:14:15 [REDACTED:aws_access_key_id] [REDACTED:aws_access_key_id][230]: hi"
        );
    }

    #[test]
    fn unparsable_header_is_scrubbed_whole() {
        let out = scrub(b"<13>garbage 4111 1111 1111 1111");
        assert_eq!(out, "<13>garbage [REDACTED:credit_card]");
        let out = scrub(b"no pri postgres://app:s3cr3tPass@db.internal:5432/orders");
        assert!(!out.contains("s3cr3tPass"), "{out}");
    }

    #[tokio::test]
    async fn udp_drops_are_counted_when_the_queue_is_full() {
        use crate::metrics::Metrics;
        use crate::pipeline::Queue;
        use crate::scrub::ScrubHandle;
        let metrics = Arc::new(Metrics::default());
        let (tx, mut rx) = tokio::sync::mpsc::channel(1);
        let (sd_tx, sd_rx) = tokio::sync::watch::channel(false);
        let ctx = Ctx {
            name: Arc::from("udp"),
            queue: Queue::new(tx, metrics.clone()),
            scrub: ScrubHandle::new(logscrub_engine::Scrubber::default_rules().unwrap()),
            metrics: metrics.clone(),
            shutdown: sd_rx,
            max_batch_records: 1,
            retry_after_secs: 1,
            data_dir: std::env::temp_dir(),
            streams: Arc::default(),
            limits: Default::default(),
        };
        let sock = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let addr = sock.local_addr().unwrap();
        let task = tokio::spawn(run_udp(sock, ctx));
        let client = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        // The first datagram fills the queue (nobody reads it); the next ones are dropped and counted.
        client.send_to(b"<13>1 - h a - - - one", addr).unwrap();
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        while metrics.render().contains("logscrubd_queue_depth 0") {
            assert!(
                tokio::time::Instant::now() < deadline,
                "first datagram not queued"
            );
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        for _ in 0..3 {
            client.send_to(b"<13>1 - h a - - - more", addr).unwrap();
        }
        let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
        while metrics.dropped_count("udp") < 3 {
            assert!(tokio::time::Instant::now() < deadline, "drops not counted");
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        assert_eq!(metrics.dropped_count("udp"), 3);
        assert_eq!(rx.recv().await.unwrap().data, b"<13>1 - h a - - - one\n");
        sd_tx.send(true).unwrap();
        task.await.unwrap();
    }
}
