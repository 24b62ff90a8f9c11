//! A tolerant key/value reader for one log line: JSON members, logfmt pairs, `Key: value` text.
//!
//! It never fails and never allocates per byte: it finds `=` and `:` separators, reads the key to the left and the
//! value to the right, and records byte ranges. Broken JSON, mixed formats and binary simply yield fewer fields.
//! Field names steer detection (a `password` key, a free-form `notes` key); nothing here decides what is sensitive.

use std::ops::Range;

/// One key/value pair found in a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Field {
    /// The key, normalized: ASCII lower-case letters and digits only.
    pub key: FieldKey,
    /// The value's bytes (inside the quotes when quoted).
    pub value: Range<usize>,
    /// The value was quoted (`"..."`, `\"...\"` or `'...'`).
    pub quoted: bool,
}

/// Lower-cases and drops everything but ASCII letters and digits, so `Full_Name`, `full-name` and `fullName`
/// compare equal. An HTTP header's `X-` prefix is dropped too, so `X-Passport-No` is the field `passport_no`.
pub(crate) fn normalize_key(key: &[u8]) -> String {
    normalized_bytes(key).map(char::from).collect()
}

/// The bytes of a normalized key: its ASCII letters and digits, lower-cased, without an `X-` prefix.
fn normalized_bytes(key: &[u8]) -> impl Iterator<Item = u8> + '_ {
    without_x_prefix(key)
        .iter()
        .filter(|b| b.is_ascii_alphanumeric())
        .map(|b| b.to_ascii_lowercase())
}

/// `X-Api-Key` → `Api-Key`: the `X-` of a custom HTTP header (RFC 6648 names the convention) says nothing about
/// the value, and a field rule for `api_key` or `dl_number` should read `X-Api-Key` and `X-Dl-Number`. Rule
/// fields and keywords go through the same normalization, so a rule written with `x-vault-token` still matches.
fn without_x_prefix(key: &[u8]) -> &[u8] {
    match key {
        [b'x' | b'X', b'-', rest @ ..] if rest.first().is_some_and(u8::is_ascii_alphabetic) => rest,
        _ => key,
    }
}

/// Longest key the reader takes (longer runs are not taken for keys).
const MAX_KEY: usize = 64;

/// A normalized key held inline: every line with fields would otherwise cost an allocation per field.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct FieldKey {
    buf: [u8; MAX_KEY],
    len: u8,
}

impl FieldKey {
    /// [`normalize_key`] without the allocation; `None` for a key longer than the reader takes.
    fn normalized(key: &[u8]) -> Option<FieldKey> {
        let mut k = FieldKey {
            buf: [0; MAX_KEY],
            len: 0,
        };
        for b in normalized_bytes(key) {
            *k.buf.get_mut(k.len as usize)? = b;
            k.len += 1;
        }
        Some(k)
    }

    pub fn as_str(&self) -> &str {
        // Only ASCII letters and digits are ever stored.
        std::str::from_utf8(&self.buf[..self.len as usize]).unwrap_or_default()
    }
}

impl std::ops::Deref for FieldKey {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for FieldKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.as_str().fmt(f)
    }
}

fn is_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'@' | b'$')
}

/// Reads every field of `line` into `out` (cleared first).
pub(crate) fn read_fields(line: &[u8], out: &mut Vec<Field>) {
    out.clear();
    for sep in memchr::memchr2_iter(b'=', b':', line) {
        // A field inside another's quoted value (`"msg": "a=b"`) is kept too: the innermost one gives context.
        if let Some(f) = field_at(line, sep) {
            out.push(f);
        }
    }
}

fn field_at(line: &[u8], sep: usize) -> Option<Field> {
    // `==`, `:=`, `://`, `::` are not key/value separators.
    let next = line.get(sep + 1).copied();
    if matches!(next, Some(b'=') | Some(b'/') | Some(b':')) {
        return None;
    }
    if sep > 0 && matches!(line[sep - 1], b'=' | b':' | b'!' | b'<' | b'>') {
        return None;
    }
    // ---- key, right to left
    let mut k_end = sep;
    while k_end > 0 && line[k_end - 1] == b' ' && sep - k_end < 1 {
        k_end -= 1;
    }
    if k_end > 0 && (line[k_end - 1] == b'"' || line[k_end - 1] == b'\'') {
        let q = line[k_end - 1];
        let mut k_start = k_end - 1;
        while k_start > 0 && line[k_start - 1] != q {
            k_start -= 1;
            if k_end - k_start > 64 {
                return None;
            }
        }
        if k_start == 0 {
            return None;
        }
        let mut key = &line[k_start..k_end - 1];
        if key.last() == Some(&b'\\') {
            key = &key[..key.len() - 1];
        }
        // Text between two unrelated quotes is not a key (`}?token=a&sig=b"=`).
        if key.iter().any(|b| b"=&?{}[]<>,;".contains(b)) {
            return None;
        }
        return value_after(line, sep, FieldKey::normalized(key)?);
    }
    let mut k_start = k_end;
    while k_start > 0 && is_key_byte(line[k_start - 1]) && k_end - k_start < 64 {
        k_start -= 1;
    }
    let key = &line[k_start..k_end];
    if key.is_empty() || !key.iter().any(u8::is_ascii_alphabetic) {
        return None;
    }
    let query = line[sep] == b'='
        && k_start > 0
        && matches!(line[k_start - 1], b'?' | b'&')
        && k_end == sep;
    let mut f = value_after(line, sep, FieldKey::normalized(key)?)?;
    if query && !f.quoted {
        // A URL query or form parameter runs to the next `&` (`addr=Flat+23,+High+St&page=2`): `,` `;` `)`
        // are ordinary bytes of its value.
        let v = f.value.start;
        f.value.end = line[v..]
            .iter()
            .position(|&b| {
                matches!(
                    b,
                    b' ' | b'\t' | b'&' | b'#' | b'"' | b'\'' | b'\\' | b'<' | b'>'
                )
            })
            .map_or(line.len(), |i| v + i);
    }
    Some(f)
}

fn value_after(line: &[u8], sep: usize, key: FieldKey) -> Option<Field> {
    if key.is_empty() {
        return None;
    }
    let mut v = sep + 1;
    while v < line.len() && line[v] == b' ' {
        v += 1;
    }
    if v >= line.len() {
        return Some(Field {
            key,
            value: v..v,
            quoted: false,
        });
    }
    match line[v] {
        b'"' => {
            let start = v + 1;
            let end = find_close_quote(line, start, b'"');
            Some(Field {
                key,
                value: start..end,
                quoted: true,
            })
        }
        b'\\' if line.get(v + 1) == Some(&b'"') => {
            // A JSON document escaped inside a JSON string: the value ends at the next `\"`.
            let start = v + 2;
            let end = memchr::memmem::find(&line[start..], b"\\\"")
                .map(|i| start + i)
                .unwrap_or(line.len());
            Some(Field {
                key,
                value: start..end,
                quoted: true,
            })
        }
        b'\'' => {
            let start = v + 1;
            let end = memchr::memchr(b'\'', &line[start..])
                .map(|i| start + i)
                .unwrap_or(line.len());
            Some(Field {
                key,
                value: start..end,
                quoted: true,
            })
        }
        _ => {
            let end = line[v..]
                .iter()
                .position(|&b| is_token_end(b))
                .map(|i| v + i)
                .unwrap_or(line.len());
            Some(Field {
                key,
                value: v..end,
                quoted: false,
            })
        }
    }
}

/// Does a key end at `end`: is it followed (after a closing quote, a backslash or spaces) by `=` or `:`?
pub(crate) fn ends_key(line: &[u8], end: usize) -> bool {
    line[end.min(line.len())..]
        .iter()
        .take(4)
        .find(|b| !matches!(b, b'"' | b'\'' | b'\\' | b' '))
        .is_some_and(|b| *b == b'=' || *b == b':')
}

/// Bytes that end an unquoted value.
pub(crate) fn is_token_end(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b',' | b';' | b'&' | b'}' | b']' | b')' | b'"' | b'\'' | b'\\'
    )
}

/// Index of the closing quote `q` starting the search at `from`, skipping backslash escapes.
fn find_close_quote(line: &[u8], from: usize, q: u8) -> usize {
    let mut i = from;
    while i < line.len() {
        match line[i] {
            b'\\' => i += 2,
            b if b == q => return i,
            _ => i += 1,
        }
    }
    line.len()
}

/// Lower-case words that belong inside a name or an address (`Ludwig van Beethoven`, `rue de la Paix`,
/// `ul. Długa`); any other lower-case word ends the phrase (`name=Jane Roe signup complete` stops at `signup`).
const PHRASE_PARTICLES: &[&[u8]] = &[
    b"van", b"von", b"der", b"den", b"de", b"da", b"di", b"del", b"della", b"dei", b"des", b"du",
    b"la", b"le", b"dos", b"das", b"do", b"bin", b"ibn", b"al", b"ter", b"ten", b"zu", b"y", b"e",
    b"am", b"an", b"im", b"auf", b"of", b"rue", b"via", b"calle", b"rua", b"ul.", b"ul", b"al.",
    b"str.", b"apt", b"apt.", b"no.", b"nr.",
];

/// Does a further word continue a phrase: it starts with a digit, an upper-case or non-ASCII letter, or is a
/// particle? A word of punctuation only (`-`, `|`) or a plain lower-case word (a log message going on) does not.
fn continues_phrase(word: &[u8]) -> bool {
    match word.first() {
        Some(b) if b.is_ascii_digit() || b.is_ascii_uppercase() || *b >= 0x80 => true,
        Some(b'(') | Some(b'#') => word.len() > 1 && word[1].is_ascii_alphanumeric(),
        Some(b) if b.is_ascii_lowercase() => {
            let w = word.strip_suffix(b",").unwrap_or(word);
            PHRASE_PARTICLES.iter().any(|p| w.eq_ignore_ascii_case(p))
        }
        _ => false,
    }
}

/// Extends an unquoted value over further words separated by single spaces (names, addresses), stopping at
/// punctuation that ends a phrase, at a word that is the next key (`name=Ann Lee age=4` stops before `age`), or at
/// a word that does not continue a name or an address (`name=Jane Roe signup complete` keeps `signup complete`).
pub(crate) fn extend_phrase(line: &[u8], value: Range<usize>) -> Range<usize> {
    let mut end = value.end;
    loop {
        if end + 1 >= line.len() || line[end] != b' ' {
            break;
        }
        let w = end + 1;
        let wend = line[w..]
            .iter()
            .position(|&b| {
                matches!(
                    b,
                    b' ' | b'\t' | b';' | b'&' | b'}' | b']' | b'"' | b'|' | b'=' | b':'
                )
            })
            .map(|i| w + i)
            .unwrap_or(line.len());
        if wend == w
            || matches!(line.get(wend), Some(b'=') | Some(b':'))
            || !continues_phrase(&line[w..wend])
        {
            break;
        }
        // a comma may sit inside an address ("1 Main St, Springfield"): the next word continues the phrase
        end = wend;
    }
    // never end on trailing punctuation, except the dot of an abbreviation (`Esq.`, `Jr.`, `B.Eng.`)
    while end > value.start && matches!(line[end - 1], b',' | b'.') {
        if line[end - 1] == b'.' && ends_with_abbreviation(&line[value.start..end - 1]) {
            break;
        }
        end -= 1;
    }
    value.start..end
}

/// `Esq`, `Jr`, `B.Eng`, `Dipl.-Ing`: the last word is a short capitalised abbreviation or holds a dot itself.
fn ends_with_abbreviation(s: &[u8]) -> bool {
    let word = s.rsplit(|&b| b == b' ').next().unwrap_or(s);
    let letters = word.iter().filter(|b| b.is_ascii_alphabetic()).count();
    word.first().is_some_and(u8::is_ascii_uppercase)
        && (word.contains(&b'.') || (1..=3).contains(&letters))
        && word
            .iter()
            .all(|b| b.is_ascii_alphabetic() || matches!(b, b'.' | b'-'))
}

/// The field whose value holds `start..end`: the innermost (shortest) one. A match that begins exactly where an
/// unquoted value begins belongs to that field even when it runs past the value's first word: a value written
/// with spaces (`sin=293 718 540`, or `sin=293+718+540` in the URL-decoded view) is read by the reader as its
/// first word only.
pub(crate) fn enclosing(fields: &[Field], start: usize, end: usize) -> Option<&Field> {
    fields
        .iter()
        .filter(|f| {
            f.value.start < f.value.end
                && f.value.start <= start
                && (end <= f.value.end || (!f.quoted && f.value.start == start))
        })
        .min_by_key(|f| f.value.end - f.value.start)
}

/// Whether `pos` lies inside a JSON string literal of a JSON object or array in `line`: `Some(true)` inside a
/// string, `Some(false)` in a JSON value position outside strings, `None` when `pos` is not inside JSON at all.
/// Used to know whether a replacement needs quotes to keep the document valid (a card number as a bare JSON
/// number). Text around embedded JSON (`2024-01-01 INFO {"a":1} tail`) is not JSON.
#[cfg(test)]
pub(crate) fn in_json_string(line: &[u8], pos: usize) -> Option<bool> {
    let mut from = 0;
    loop {
        // The first `{"` or `["`: one memchr2 pass (a substring finder built per call cost more than the scan).
        let hay = &line[from..];
        let rel = memchr::memchr2_iter(b'{', b'[', hay).find(|&i| hay.get(i + 1) == Some(&b'"'))?;
        let start = from + rel;
        if pos < start {
            return None;
        }
        let mut in_str = false;
        let mut depth = 0usize;
        let mut i = start;
        while i < pos {
            match line[i] {
                b'\\' if in_str => i += 1,
                b'"' => in_str = !in_str,
                b'{' | b'[' if !in_str => depth += 1,
                b'}' | b']' if !in_str => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        if i >= pos {
            return Some(in_str);
        }
        from = i + 1;
    }
}

/// Is `start..end` in a JSON value position (after `:`, `[` or `,`, before `,`, `}` or `]`)?
pub(crate) fn json_value_position(line: &[u8], start: usize, end: usize) -> bool {
    let before = line[..start]
        .iter()
        .rev()
        .find(|b| !b.is_ascii_whitespace());
    let after = line[end..].iter().find(|b| !b.is_ascii_whitespace());
    matches!(before, Some(b':') | Some(b'[') | Some(b','))
        && matches!(after, Some(b',') | Some(b'}') | Some(b']'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(s: &str) -> Vec<(String, String)> {
        let mut v = Vec::new();
        read_fields(s.as_bytes(), &mut v);
        v.into_iter()
            .map(|f| (f.key.as_str().to_string(), s[f.value].to_string()))
            .collect()
    }

    #[test]
    fn json_members() {
        let f = fields(r#"{"user_name": "Ann Lee", "card": 4111, "x": "a:b"}"#);
        assert!(f.contains(&("username".into(), "Ann Lee".into())));
        assert!(f.contains(&("card".into(), "4111".into())));
        assert!(f.contains(&("x".into(), "a:b".into())));
    }

    #[test]
    fn logfmt_and_text() {
        let f = fields(r#"level=info name="Ann Lee" pwd=hunter2 Notes: hello"#);
        assert!(f.contains(&("name".into(), "Ann Lee".into())));
        assert!(f.contains(&("pwd".into(), "hunter2".into())));
        assert!(f.contains(&("notes".into(), "hello".into())));
    }

    #[test]
    fn urls_and_times_are_not_fields() {
        let f = fields("at 18:01:47 GET https://example.com/a");
        assert!(f.iter().all(|(k, _)| k != "https" && k != "18"), "{f:?}");
    }

    #[test]
    fn escaped_json_inside_json() {
        let f = fields(r#"{"msg": "{\"password\": \"s3cr3t\"}"}"#);
        assert!(f.contains(&("password".into(), "s3cr3t".into())), "{f:?}");
    }

    #[test]
    fn phrases_stop_at_the_name() {
        let line = b"name=Jane Roe signup complete";
        assert_eq!(&line[extend_phrase(line, 5..9)], b"Jane Roe");
        let line = b"name=Ludwig van Beethoven, Jr. ok";
        assert_eq!(
            &line[extend_phrase(line, 5..11)],
            b"Ludwig van Beethoven, Jr."
        );
        let line = b"address=10 High Street, London - flagged";
        assert_eq!(&line[extend_phrase(line, 8..10)], b"10 High Street, London");
        let line = b"name=Ann Lee age=4";
        assert_eq!(&line[extend_phrase(line, 5..8)], b"Ann Lee");
    }

    #[test]
    fn json_string_state() {
        let line = br#"{"a": "x", "b": 12}"#;
        assert_eq!(in_json_string(line, 7), Some(true));
        assert_eq!(in_json_string(line, 16), Some(false));
        assert_eq!(in_json_string(b"plain 12", 6), None);
    }
}
