//! A URL-decoded view of a line, for values written percent-encoded or `+`-encoded in a URL or a form body
//! (`?ssn=078%2D05%2D1120`, `address=Flat+23,+0+High+St&page=2`, `P%3CUTO...` in a query).
//!
//! Rules match bytes, so such values are invisible to them as they are written. Detection runs a second time over
//! this view (see `Scrubber::url_view_pass`) and its findings are mapped back to the line through [`build`]'s
//! map, whose entries are the starts of whole escapes: a finding can never begin or end inside `%2D`. Only text
//! that really is URL-encoded is decoded: a `%` with two hex digits, and a `+` inside a query parameter's value
//! (after `?key=` or `&key=`); a `+` anywhere else (`+0100`, `+49 30 ...`, `a+b`) stays a `+`.
//!
//! This module only reads and copies bytes; it never decides what is sensitive and never keeps what it decodes.

/// Bytes that end a URL (or a form body) written in a log line.
fn ends_url(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'"' | b'\'' | b'<' | b'>' | b'\\')
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|v| v as u8)
}

/// The byte that the `%XX` escape at `i` stands for, when the view decodes it: printable ASCII other than `"`
/// and `\` (which would change where the line's own quoted strings end), or a byte of a UTF-8 sequence.
fn percent_escape(line: &[u8], i: usize) -> Option<u8> {
    if line.get(i) != Some(&b'%') {
        return None;
    }
    let b = hex(*line.get(i + 1)?)? * 16 + hex(*line.get(i + 2)?)?;
    ((0x20..0x7f).contains(&b) && b != b'"' && b != b'\\' || b >= 0x80).then_some(b)
}

/// Is the `+` at `p` inside a query parameter's value? `tok` is where the URL-like token holding `p` starts.
/// The nearest `=`, `&` or `?` before `p` must be `=`, and its key must follow a `?` or `&` (or open a form body
/// that goes on with `&key=`).
fn plus_in_query_value(line: &[u8], tok: usize, p: usize) -> bool {
    let Some(eq) = line[tok..p]
        .iter()
        .rposition(|&b| matches!(b, b'=' | b'&' | b'?'))
        .map(|i| tok + i)
    else {
        return false;
    };
    if line[eq] != b'=' {
        return false;
    }
    let key_start = line[tok..eq]
        .iter()
        .rposition(|b| {
            !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'[' | b']'))
        })
        .map_or(tok, |i| tok + i + 1);
    if key_start == eq {
        return false;
    }
    match key_start.checked_sub(1).map(|i| line[i]) {
        Some(b'?') | Some(b'&') => true,
        // `a=b+c&d=e`: a form body, when the token goes on with `&key=`.
        _ if key_start == tok => {
            let end = line[p..]
                .iter()
                .position(|&b| ends_url(b))
                .map_or(line.len(), |i| p + i);
            memchr::memchr(b'&', &line[p..end]).is_some_and(|a| {
                let rest = &line[p + a + 1..end];
                let k = rest
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
                    .count();
                k > 0 && rest.get(k) == Some(&b'=')
            })
        }
        _ => false,
    }
}

/// Does `line` hold anything the view would decode? One `memchr2` pass for lines without `%` and `+`; the tokens
/// around a `+` are read once each (linear in the line's length).
pub(crate) fn needs_view(line: &[u8]) -> bool {
    let mut classified_to = 0;
    for p in memchr::memchr2_iter(b'%', b'+', line) {
        if line[p] == b'%' {
            if percent_escape(line, p).is_some() {
                return true;
            }
            continue;
        }
        if p < classified_to {
            continue;
        }
        let tok = line[classified_to..p]
            .iter()
            .rposition(|&b| ends_url(b))
            .map_or(classified_to, |i| classified_to + i + 1);
        if plus_in_query_value(line, tok, p) {
            return true;
        }
        // The other `+` of this parameter are in the same position: skip to where the next one may start (an
        // `&` or `?`, as `build` decides) or to the token's end.
        classified_to = line[p..]
            .iter()
            .position(|&b| ends_url(b) || matches!(b, b'&' | b'?'))
            .map_or(line.len(), |i| p + i);
    }
    false
}

/// What [`build`] decoded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Decoded {
    /// At least one `%XX` escape.
    pub percent: bool,
    /// At least one `+` of a query value (as a space, or kept when `plus_is_space` is false).
    pub plus: bool,
}

impl Decoded {
    /// Whether the view differs from the line.
    pub fn any(self, plus_is_space: bool) -> bool {
        self.percent || (plus_is_space && self.plus)
    }
}

/// Writes the decoded view of `line` into `view` (cleared first) and, for each of its bytes, the offset in `line`
/// where the byte's escape (or the byte itself) starts into `map`. A query value's `+` becomes a space when
/// `plus_as_space`; without it the `+` stays, for the values that clients put in a query with their `/` and `=`
/// escaped but their `+` not (base64 keys: `AAAAC3Nz%2Fab+cd%3D`).
pub(crate) fn build(
    line: &[u8],
    view: &mut Vec<u8>,
    map: &mut Vec<u32>,
    plus_as_space: bool,
) -> Decoded {
    view.clear();
    map.clear();
    let mut decoded = Decoded::default();
    let mut tok = 0;
    let mut i = 0;
    // Whether the `+` of the current token are spaces, decided at its first `+`.
    let mut plus_is_space: Option<bool> = None;
    while i < line.len() {
        let b = line[i];
        if ends_url(b) {
            tok = i + 1;
            plus_is_space = None;
        } else if b == b'%' {
            if let Some(d) = percent_escape(line, i) {
                map.push(i as u32);
                view.push(d);
                decoded.percent = true;
                i += 3;
                continue;
            }
        } else if b == b'+' {
            // A `+` in a query value: every later `+` of the same parameter is one too (`a=1+2+3`); a new `&`
            // or `?` may start a parameter, so the question is asked again after it.
            let space = *plus_is_space.get_or_insert_with(|| plus_in_query_value(line, tok, i));
            if space {
                decoded.plus = true;
                if plus_as_space {
                    map.push(i as u32);
                    view.push(b' ');
                    i += 1;
                    continue;
                }
            }
        } else if matches!(b, b'&' | b'?') {
            plus_is_space = None;
        }
        map.push(i as u32);
        view.push(b);
        i += 1;
    }
    decoded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(s: &str) -> Option<String> {
        let (mut v, mut m) = (Vec::new(), Vec::new());
        build(s.as_bytes(), &mut v, &mut m, true)
            .any(true)
            .then(|| {
                assert_eq!(v.len(), m.len());
                String::from_utf8(v).unwrap()
            })
    }

    #[test]
    fn decodes_escapes_and_query_plus_only() {
        assert_eq!(
            view("GET /a?ssn=078%2D05%2D1120&p=1 HTTP/1.1").as_deref(),
            Some("GET /a?ssn=078-05-1120&p=1 HTTP/1.1")
        );
        assert_eq!(
            view("POST /u?addr=Flat+23,+0+High+St&n=A+B x+y").as_deref(),
            Some("POST /u?addr=Flat 23, 0 High St&n=A B x+y")
        );
        assert_eq!(
            view("body name=Ann+Lee&city=Bath").as_deref(),
            Some("body name=Ann Lee&city=Bath")
        );
        assert_eq!(view("tz=+0100 call +49 30 1234 a+b=c"), None);
        assert_eq!(view("load 50% done, 100%"), None);
        // Quotes, backslashes and control bytes stay encoded: the line's own strings end where they did.
        assert_eq!(view("q=%22a%5C%0A"), None);
        assert_eq!(view("n=Wei%C3%9F").as_deref(), Some("n=Weiß"));
    }

    #[test]
    fn needs_view_agrees_with_build() {
        for s in [
            "GET /a?ssn=078%2D05%2D1120&p=1",
            "POST /u?addr=Flat+23&x=1",
            "tz=+0100 call +49 30 1234 a+b=c",
            "x=1&y=2+3",
            "plain line with no escapes",
            "GET /?a=b c=d+e",
            "q=%22",
            "id=a+b c&d=e",
            "a+b&c=d+e",
            "GET /x?q=a+b",
        ] {
            let (mut v, mut m) = (Vec::new(), Vec::new());
            assert_eq!(
                needs_view(s.as_bytes()),
                build(s.as_bytes(), &mut v, &mut m, true).any(true),
                "{s}"
            );
        }
    }

    #[test]
    fn map_points_at_escape_starts() {
        let line = b"?a=1%2D2";
        let (mut v, mut m) = (Vec::new(), Vec::new());
        assert!(build(line, &mut v, &mut m, true).any(true));
        assert_eq!(v, b"?a=1-2");
        assert_eq!(m, vec![0, 1, 2, 3, 4, 7]);
        // `+` kept: only the escapes are decoded
        let line = b"?k=ab+c%2Fd%3D";
        let d = build(line, &mut v, &mut m, false);
        assert_eq!(
            d,
            Decoded {
                percent: true,
                plus: true
            }
        );
        assert_eq!(v, b"?k=ab+c/d=");
        assert_eq!(m, vec![0, 1, 2, 3, 4, 5, 6, 7, 10, 11]);
    }
}
