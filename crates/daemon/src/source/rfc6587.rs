//! RFC 6587 syslog framing over TCP as a `tokio-util` [`Decoder`]: octet counting (`MSG-LEN SP SYSLOG-MSG`) and
//! LF framing (non-transparent), mixed per message as senders do.
//!
//! A frame is taken for octet counting only when it starts with `DIGITS SP <`: a syslog message always begins
//! with its PRI, so an LF-framed line that merely begins with a digit (`2026-12-01 ...`, `404 not found`) stays
//! an LF-framed line instead of being mistaken for a count.
//!
//! Nothing is ever cut without context: a message longer than the frame limit (either framing) comes out in
//! [`Frame::Part`]s that the source feeds to one engine stream, which scans them in overlapping windows. Memory
//! stays bounded by the limit. This module never looks inside a message beyond its framing and never logs bytes.

use bytes::{Buf, BytesMut};
use tokio_util::codec::Decoder;

/// One unit of framed input.
#[derive(Debug, PartialEq, Eq)]
pub enum Frame {
    /// A whole message, framing removed (a trailing CR or LF too).
    Msg(BytesMut),
    /// A piece of a message longer than the limit; `first` holds its header, `last` ends it.
    Part {
        /// The bytes.
        bytes: BytesMut,
        /// The message starts with this piece.
        first: bool,
        /// The message ends with this piece.
        last: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Between messages.
    Start,
    /// Inside an over-long octet-counted message: this many bytes of it are still to come.
    Counted(usize),
    /// Inside an over-long LF-framed message.
    Lf,
}

/// The decoder. `max_frame` bounds a [`Frame::Msg`] and each [`Frame::Part`].
#[derive(Debug)]
pub struct Rfc6587 {
    max_frame: usize,
    state: State,
}

/// Most digits of an octet count (up to 999 999 999 bytes).
const MAX_COUNT_DIGITS: usize = 9;

impl Rfc6587 {
    /// A decoder with frames of at most `max_frame` bytes (at least 64).
    pub fn new(max_frame: usize) -> Self {
        Rfc6587 {
            max_frame: max_frame.max(64),
            state: State::Start,
        }
    }

    /// `Some(Some((header_len, count)))`: octet counting; `Some(None)`: LF framing; `None`: need more bytes.
    fn octet_count(buf: &[u8]) -> Option<Option<(usize, usize)>> {
        let digits = buf.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 || digits > MAX_COUNT_DIGITS || buf[0] == b'0' {
            return Some(None);
        }
        match buf.get(digits) {
            None => return None,
            Some(b' ') => {}
            Some(_) => return Some(None),
        }
        match buf.get(digits + 1) {
            None => None,
            Some(b'<') => {
                let n = std::str::from_utf8(&buf[..digits]).ok()?.parse().ok()?;
                Some(Some((digits + 1, n)))
            }
            Some(_) => Some(None),
        }
    }
}

fn trim_nl(mut m: BytesMut) -> BytesMut {
    while matches!(m.last(), Some(b'\n' | b'\r')) {
        m.truncate(m.len() - 1);
    }
    m
}

impl Decoder for Rfc6587 {
    type Item = Frame;
    type Error = std::io::Error;

    fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<Frame>, Self::Error> {
        match self.state {
            State::Counted(left) => {
                if buf.is_empty() {
                    return Ok(None);
                }
                let n = left.min(self.max_frame).min(buf.len());
                if n < left && n < self.max_frame {
                    // Wait for a full piece: fewer, larger parts.
                    return Ok(None);
                }
                let bytes = buf.split_to(n);
                let last = n == left;
                self.state = if last {
                    State::Start
                } else {
                    State::Counted(left - n)
                };
                let bytes = if last { trim_nl(bytes) } else { bytes };
                Ok(Some(Frame::Part {
                    bytes,
                    first: false,
                    last,
                }))
            }
            State::Lf => match memchr_nl(buf) {
                Some(nl) => {
                    let bytes = trim_nl(buf.split_to(nl + 1));
                    self.state = State::Start;
                    Ok(Some(Frame::Part {
                        bytes,
                        first: false,
                        last: true,
                    }))
                }
                None if buf.len() >= self.max_frame => Ok(Some(Frame::Part {
                    bytes: buf.split_to(buf.len()),
                    first: false,
                    last: false,
                })),
                None => Ok(None),
            },
            State::Start => {
                if buf.is_empty() {
                    return Ok(None);
                }
                match Self::octet_count(buf) {
                    None => Ok(None),
                    Some(Some((head, count))) => {
                        if count <= self.max_frame {
                            if buf.len() < head + count {
                                buf.reserve(head + count - buf.len());
                                return Ok(None);
                            }
                            buf.advance(head);
                            return Ok(Some(Frame::Msg(trim_nl(buf.split_to(count)))));
                        }
                        // Longer than a frame: stream it in parts.
                        if buf.len() < head + self.max_frame {
                            return Ok(None);
                        }
                        buf.advance(head);
                        let bytes = buf.split_to(self.max_frame);
                        self.state = State::Counted(count - self.max_frame);
                        Ok(Some(Frame::Part {
                            bytes,
                            first: true,
                            last: false,
                        }))
                    }
                    Some(None) => match memchr_nl(buf) {
                        Some(nl) => Ok(Some(Frame::Msg(trim_nl(buf.split_to(nl + 1))))),
                        None if buf.len() >= self.max_frame => {
                            self.state = State::Lf;
                            Ok(Some(Frame::Part {
                                bytes: buf.split_to(buf.len()),
                                first: true,
                                last: false,
                            }))
                        }
                        None => Ok(None),
                    },
                }
            }
        }
    }

    fn decode_eof(&mut self, buf: &mut BytesMut) -> Result<Option<Frame>, Self::Error> {
        if let Some(f) = self.decode(buf)? {
            return Ok(Some(f));
        }
        let rest = trim_nl(buf.split_to(buf.len()));
        match std::mem::replace(&mut self.state, State::Start) {
            // The peer closed inside a long message: end it with what came.
            State::Counted(_) | State::Lf => Ok(Some(Frame::Part {
                bytes: rest,
                first: false,
                last: true,
            })),
            State::Start if rest.is_empty() => Ok(None),
            // A last LF-framed message without LF, or a count the peer never completed.
            State::Start => Ok(Some(Frame::Msg(rest))),
        }
    }
}

fn memchr_nl(b: &[u8]) -> Option<usize> {
    b.iter().position(|&c| c == b'\n')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(codec: &mut Rfc6587, chunks: &[&[u8]]) -> Vec<Frame> {
        let mut buf = BytesMut::new();
        let mut out = Vec::new();
        for c in chunks {
            buf.extend_from_slice(c);
            while let Some(f) = codec.decode(&mut buf).unwrap() {
                out.push(f);
            }
        }
        while let Some(f) = codec.decode_eof(&mut buf).unwrap() {
            out.push(f);
        }
        out
    }

    fn msg(s: &[u8]) -> Frame {
        Frame::Msg(BytesMut::from(s))
    }

    #[test]
    fn octet_counting_and_lf_mixed() {
        let f = frames(
            &mut Rfc6587::new(1024),
            &[b"9 <13>hello6 <1>abc<13>plain\r\n11 <13>par", b"tial"],
        );
        assert_eq!(
            f,
            vec![
                msg(b"<13>hello"),
                msg(b"<1>abc"),
                msg(b"<13>plain"),
                msg(b"<13>partial")
            ]
        );
    }

    #[test]
    fn a_line_that_begins_with_a_digit_is_lf_framed() {
        let f = frames(
            &mut Rfc6587::new(1024),
            &[b"2026-12-01 started\n404 not found\n", b"7 ", b"items\n1"],
        );
        assert_eq!(
            f,
            vec![
                msg(b"2026-12-01 started"),
                msg(b"404 not found"),
                msg(b"7 items"),
                msg(b"1")
            ]
        );
    }

    #[test]
    fn long_messages_come_in_parts_in_both_framings() {
        let mut c = Rfc6587::new(64);
        let body = vec![b'x'; 150];
        let mut counted = format!("{} <13>", body.len() + 4).into_bytes();
        counted.extend_from_slice(&body);
        let mut lf = b"<13>".to_vec();
        lf.extend_from_slice(&body);
        lf.push(b'\n');
        // The LF-framed one arrives in small reads, as a slow sender's would.
        let mut chunks: Vec<&[u8]> = vec![&counted];
        chunks.extend(lf.chunks(50));
        chunks.push(b"<13>short\n");
        let f = frames(&mut c, &chunks);
        let sizes: Vec<(usize, bool, bool)> = f
            .iter()
            .filter_map(|f| match f {
                Frame::Part { bytes, first, last } => Some((bytes.len(), *first, *last)),
                Frame::Msg(_) => None,
            })
            .collect();
        assert_eq!(sizes.iter().map(|s| s.0).sum::<usize>(), 2 * 154);
        assert!(sizes[0].1 && !sizes[0].2);
        assert_eq!(sizes.iter().filter(|s| s.2).count(), 2);
        assert_eq!(f.last(), Some(&msg(b"<13>short")));
    }
}
