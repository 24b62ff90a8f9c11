//! Validators: pure checks that confirm a regex candidate (checksums, formats, neighbours).
//!
//! A validator sees the candidate bytes and the line around them; it never allocates on the hot path except where
//! a format needs decoding (JWT headers). Validators decide; they never rewrite.

use std::net::Ipv6Addr;

use base64::Engine as _;

use crate::rules::ValidatorName;

mod phone;
mod street;

/// Runs validator `v` on `line[start..end]`.
pub(crate) fn check(v: ValidatorName, line: &[u8], start: usize, end: usize) -> bool {
    // A value in a URL query (access logs) is percent-encoded: `6759%206468...`, `Wei%C3%9Fgasse`. Validators see
    // the decoded bytes; only values holding `%` pay for the copy.
    let decoded;
    let s = if line[start..end].contains(&b'%') {
        decoded = percent_decode(
            &line[start..end],
            matches!(
                v,
                ValidatorName::PersonName | ValidatorName::Address | ValidatorName::StreetAddress
            ),
        );
        decoded.as_slice()
    } else if matches!(
        v,
        ValidatorName::PersonName | ValidatorName::Address | ValidatorName::StreetAddress
    ) && in_url_query(line, start)
    {
        decoded = percent_decode(&line[start..end], true);
        decoded.as_slice()
    } else {
        &line[start..end]
    };
    match v {
        ValidatorName::Luhn => {
            card(s)
                && digit_run_isolated(line, start, end)
                && line[..start].last() != Some(&b'+')
                && !after_iban_head(line, start)
        }
        ValidatorName::Iban => iban(s),
        ValidatorName::Aba => aba(s) && digit_run_isolated(line, start, end),
        ValidatorName::Ssn => ssn(s) && digit_run_isolated(line, start, end),
        ValidatorName::Nino => nino(s),
        ValidatorName::Ipv4 => ipv4(s) && dotted_run_isolated(line, start, end),
        ValidatorName::Ipv4Dashed => ipv4_dashed(s),
        ValidatorName::Ipv6 => {
            ipv6(s) && !continues_hex_groups(line, end) && !continues_dotted(line, end)
        }
        ValidatorName::Jwt => jwt(s),
        ValidatorName::GithubToken => github_token(s),
        ValidatorName::Entropy => looks_random(s) && !is_doc_placeholder(s),
        ValidatorName::PersonName => person_name(s),
        ValidatorName::Email => {
            email(s) && !line[..start].ends_with(b"://") && !ssh_target(line, start, end)
        }
        ValidatorName::Phone => {
            phone(s) && digit_run_isolated(line, start, end) && !access_log_status(line, start, s)
        }
        ValidatorName::PhoneNanp => {
            phone::nanp(s)
                && digit_run_isolated(line, start, end)
                && !access_log_status(line, start, s)
        }
        ValidatorName::E164 => phone::e164(s) && digit_run_isolated(line, start, end),
        ValidatorName::Ein => ein(s) && digit_run_isolated(line, start, end),
        ValidatorName::StreetAddress => address(s) && street::has_street_word(s),
        ValidatorName::Date => date(s),
        ValidatorName::Text => {
            !is_placeholder(s)
                && !is_object_text(s)
                && !is_doc_placeholder(s)
                && !glued_to_template(line, end)
                && !powershell_call(line, s, end)
                && !key_value_list(line, s, end)
        }
        ValidatorName::AccountNumber => {
            digit_run_isolated(line, start, end)
                && !access_log_status(line, start, s)
                && !digits_of(s).all(|d| Some(d) == digits_of(s).next())
        }
        ValidatorName::Address => address(s),
        ValidatorName::Credential => {
            credential(s)
                && !is_doc_placeholder(s)
                && !glued_to_template(line, end)
                && after_scheme_ok(line, start, s)
                && !scheme_before_credential(line, end)
        }
        ValidatorName::Token(t) => t.check(line, start, end),
        ValidatorName::Id(id) => crate::idcheck::check(id, line, start, end),
    }
}

/// Decodes `%XX` escapes (and `+` as a space when `plus_is_space`, as in a query string's words).
fn percent_decode(s: &[u8], plus_is_space: bool) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|v| v as u8);
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'%' if i + 2 < s.len() => match (hex(s[i + 1]), hex(s[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' if plus_is_space => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    out
}

/// Is `start` inside a URL query string (`?a=b&c=` before it, no space in between)?
fn in_url_query(line: &[u8], start: usize) -> bool {
    line[..start]
        .iter()
        .rev()
        .take_while(|&&b| b != b' ' && b != b'"')
        .any(|&b| b == b'?' || b == b'&')
}

/// `"GET /a HTTP/1.1" 404 5203`: an access log's status code and byte count after the request's closing quote
/// (Common/Combined Log Format) are not a phone or account number.
fn access_log_status(line: &[u8], start: usize, s: &[u8]) -> bool {
    start >= 2
        && line[start - 1] == b' '
        && line[start - 2] == b'"'
        && s.len() > 4
        && s[..3].iter().all(u8::is_ascii_digit)
        && (b'1'..=b'5').contains(&s[0])
        && s[3] == b' '
}

/// Digit groups after an IBAN's country code and check digits (`DE00 3704 0044 ...`, possibly a few groups back)
/// belong to that IBAN: a bad checksum does not make them a card.
fn after_iban_head(line: &[u8], start: usize) -> bool {
    let mut head = &line[..start];
    for _ in 0..8 {
        head = head.strip_suffix(b" ").unwrap_or(head);
        let n = head.len();
        if n < 4 {
            return false;
        }
        let tok = &head[n - 4..];
        let bounded = n == 4 || !head[n - 5].is_ascii_alphanumeric();
        if !bounded {
            return false;
        }
        if tok[..2].iter().all(u8::is_ascii_uppercase) && tok[2..].iter().all(u8::is_ascii_digit) {
            return true;
        }
        if !tok.iter().all(u8::is_ascii_alphanumeric) || head.get(n.wrapping_sub(5)) != Some(&b' ')
        {
            return false;
        }
        head = &head[..n - 4];
    }
    false
}

/// `::ffff:192.168.1`: an address cut short is followed by more dotted digits.
fn continues_dotted(line: &[u8], end: usize) -> bool {
    line.get(end) == Some(&b'.') && line.get(end + 1).is_some_and(u8::is_ascii_digit)
}

fn digits_of(s: &[u8]) -> impl Iterator<Item = u8> + '_ {
    s.iter().filter(|b| b.is_ascii_digit()).map(|b| b - b'0')
}

/// Rejects digit runs glued to other numbers: `blk_-6952295868487656571`, `1.4111111111111111`, `12,4111...`.
fn digit_run_isolated(line: &[u8], start: usize, end: usize) -> bool {
    if start >= 2 {
        let (p2, p1) = (line[start - 2], line[start - 1]);
        if p1 == b'-' && (p2.is_ascii_alphanumeric() || p2 == b'_') {
            return false;
        }
        if (p1 == b'.' || p1 == b',') && p2.is_ascii_digit() {
            return false;
        }
    }
    if end + 1 < line.len() {
        let (n1, n2) = (line[end], line[end + 1]);
        if (n1 == b'.' || n1 == b',' || n1 == b'-') && n2.is_ascii_digit() {
            return false;
        }
    }
    true
}

/// Rejects dotted quads that are part of a longer dotted number (`1.2.3.4.5`, OIDs).
fn dotted_run_isolated(line: &[u8], start: usize, end: usize) -> bool {
    if start >= 2 && line[start - 1] == b'.' && line[start - 2].is_ascii_alphanumeric() {
        return false;
    }
    if end + 1 < line.len() && line[end] == b'.' && line[end + 1].is_ascii_digit() {
        return false;
    }
    true
}

/// Luhn mod-10 over a digit sequence.
pub fn luhn(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, &d) in digits.iter().rev().enumerate() {
        let mut d = u32::from(d);
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum % 10 == 0
}

fn prefix_num(d: &[u8], n: usize) -> u32 {
    d.iter().take(n).fold(0, |a, &x| a * 10 + u32::from(x))
}

/// Issuer identification number ranges (ISO/IEC 7812) and the PAN lengths each network issues, as the networks
/// publish them: `(low, high, lengths)` where low and high have the same number of digits and compare with the
/// PAN's first digits.
const IIN_RANGES: &[(u32, u32, &[usize])] = &[
    (4, 4, &[13, 16, 19]),                       // Visa (and Visa Electron)
    (51, 55, &[16]),                             // Mastercard
    (2221, 2720, &[16]),                         // Mastercard 2-series
    (34, 34, &[15]),                             // American Express
    (37, 37, &[15]),                             // American Express
    (300, 305, &[14, 15, 16, 17, 18, 19]),       // Diners Club International
    (3095, 3095, &[14, 15, 16, 17, 18, 19]),     // Diners Club
    (36, 36, &[14, 15, 16, 17, 18, 19]),         // Diners Club
    (38, 39, &[14, 15, 16, 17, 18, 19]),         // Diners Club
    (3528, 3589, &[16, 17, 18, 19]),             // JCB
    (2131, 2131, &[15]),                         // JCB (15-digit legacy range)
    (1800, 1800, &[15]),                         // JCB (15-digit legacy range)
    (353, 353, &[16]),                           // RuPay (JCB co-brand)
    (356, 356, &[16]),                           // RuPay (JCB co-brand)
    (357111, 357111, &[16]),                     // LankaPay
    (50, 50, &[12, 13, 14, 15, 16, 17, 18, 19]), // Maestro, Dankort 5019, Verve 506099-506198
    (56, 69, &[12, 13, 14, 15, 16, 17, 18, 19]), // Maestro 56-58, 6x: Discover, UnionPay, RuPay, InterPayment
    (2200, 2204, &[16, 17, 18, 19]),             // Mir
    (2205, 2205, &[16]),                         // BORICA
    (1, 1, &[15]),                               // UATP
    (81, 81, &[16, 17, 18, 19]),                 // UnionPay 81
    (8600, 8600, &[16]),                         // UzCard
    (9792, 9792, &[16]),                         // Troy
    (9860, 9860, &[16]),                         // Humo
];

/// Does the card number start with a prefix that a card network issues at this length?
fn card_issuer_ok(d: &[u8]) -> bool {
    IIN_RANGES.iter().any(|&(lo, hi, lens)| {
        let n = lo.checked_ilog10().unwrap_or(0) as usize + 1;
        let p = prefix_num(d, n);
        (lo..=hi).contains(&p) && lens.contains(&d.len())
    })
}

/// Payment card: digits with at most one kind of separator, 13-19 digits, issuer prefix, Luhn.
fn card(s: &[u8]) -> bool {
    let mut sep: Option<u8> = None;
    let mut group = 0usize;
    let mut groups = 0usize;
    for &b in s {
        if b.is_ascii_digit() {
            group += 1;
        } else {
            if *sep.get_or_insert(b) != b || group < 3 {
                return false;
            }
            groups += 1;
            group = 0;
        }
    }
    if sep.is_some_and(|b| !matches!(b, b' ' | b'-' | b'+'))
        || (sep.is_some() && (group == 0 || groups > 5))
    {
        return false;
    }
    let d: Vec<u8> = digits_of(s).collect();
    if !(12..=19).contains(&d.len()) {
        return false;
    }
    if d.iter().all(|&x| x == d[0]) {
        return false;
    }
    card_issuer_ok(&d) && luhn(&d)
}

/// The IBAN length of each country that uses IBANs (SWIFT registry and the partial adopters).
fn iban_length(cc: &[u8]) -> Option<usize> {
    const TABLE: &[(&[u8; 2], usize)] = &[
        (b"AD", 24),
        (b"AE", 23),
        (b"AL", 28),
        (b"AT", 20),
        (b"AZ", 28),
        (b"BA", 20),
        (b"BE", 16),
        (b"BG", 22),
        (b"BH", 22),
        (b"BI", 27),
        (b"BR", 29),
        (b"BY", 28),
        (b"CH", 21),
        (b"CR", 22),
        (b"CY", 28),
        (b"CZ", 24),
        (b"DE", 22),
        (b"DJ", 27),
        (b"DK", 18),
        (b"DO", 28),
        (b"EE", 20),
        (b"EG", 29),
        (b"ES", 24),
        (b"FI", 18),
        (b"FK", 18),
        (b"FO", 18),
        (b"FR", 27),
        (b"GB", 22),
        (b"GE", 22),
        (b"GI", 23),
        (b"GL", 18),
        (b"GR", 27),
        (b"GT", 28),
        (b"HN", 28),
        (b"HR", 21),
        (b"HU", 28),
        (b"IE", 22),
        (b"IL", 23),
        (b"IQ", 23),
        (b"IS", 26),
        (b"IT", 27),
        (b"JO", 30),
        (b"KW", 30),
        (b"KZ", 20),
        (b"LB", 28),
        (b"LC", 32),
        (b"LI", 21),
        (b"LT", 20),
        (b"LU", 20),
        (b"LV", 21),
        (b"LY", 25),
        (b"MC", 27),
        (b"MD", 24),
        (b"ME", 22),
        (b"MK", 19),
        (b"MN", 20),
        (b"MR", 27),
        (b"MT", 31),
        (b"MU", 30),
        (b"NI", 28),
        (b"NL", 18),
        (b"NO", 15),
        (b"OM", 23),
        (b"PK", 24),
        (b"PL", 28),
        (b"PS", 29),
        (b"PT", 25),
        (b"QA", 29),
        (b"RO", 24),
        (b"RS", 22),
        (b"RU", 33),
        (b"SA", 24),
        (b"SC", 31),
        (b"SD", 18),
        (b"SE", 24),
        (b"SI", 19),
        (b"SK", 24),
        (b"SM", 27),
        (b"SO", 23),
        (b"ST", 25),
        (b"SV", 28),
        (b"TL", 23),
        (b"TN", 24),
        (b"TR", 26),
        (b"UA", 29),
        (b"VA", 22),
        (b"VG", 24),
        (b"XK", 20),
        (b"YE", 30),
        // Partial adopters (IBAN-like formats published by national banks).
        (b"AO", 25),
        (b"BF", 28),
        (b"BJ", 28),
        (b"CF", 27),
        (b"CG", 27),
        (b"CI", 28),
        (b"CM", 27),
        (b"CV", 25),
        (b"DZ", 26),
        (b"GA", 27),
        (b"GQ", 27),
        (b"GW", 25),
        (b"IR", 26),
        (b"KM", 27),
        (b"MA", 28),
        (b"MG", 27),
        (b"ML", 28),
        (b"MZ", 25),
        (b"NE", 28),
        (b"SN", 28),
        (b"TD", 27),
    ];
    TABLE.iter().find(|(c, _)| c[..] == *cc).map(|&(_, n)| n)
}

/// IBAN: the country's length and ISO 7064 mod 97-10 equal to 1.
pub fn iban(s: &[u8]) -> bool {
    let v: Vec<u8> = s
        .iter()
        .filter(|b| b.is_ascii_alphanumeric())
        .map(|b| b.to_ascii_uppercase())
        .collect();
    if v.len() < 15 || !v[0].is_ascii_alphabetic() || !v[1].is_ascii_alphabetic() {
        return false;
    }
    if !v[2].is_ascii_digit() || !v[3].is_ascii_digit() {
        return false;
    }
    if iban_length(&v[..2]) != Some(v.len()) {
        return false;
    }
    let mut rem: u32 = 0;
    for &b in v[4..].iter().chain(&v[..4]) {
        if b.is_ascii_digit() {
            rem = (rem * 10 + u32::from(b - b'0')) % 97;
        } else {
            rem = (rem * 100 + u32::from(b - b'A' + 10)) % 97;
        }
    }
    rem == 1
}

/// ABA routing number: Federal Reserve prefix and the 3-7-1 weighted checksum.
pub fn aba(s: &[u8]) -> bool {
    let d: Vec<u8> = digits_of(s).collect();
    if d.len() != 9 || d.iter().all(|&x| x == d[0]) {
        return false;
    }
    let p = prefix_num(&d, 2);
    if !(p <= 12 || (21..=32).contains(&p) || (61..=72).contains(&p) || p == 80) {
        return false;
    }
    let sum = 3 * (u32::from(d[0]) + u32::from(d[3]) + u32::from(d[6]))
        + 7 * (u32::from(d[1]) + u32::from(d[4]) + u32::from(d[7]))
        + (u32::from(d[2]) + u32::from(d[5]) + u32::from(d[8]));
    sum % 10 == 0
}

/// US SSN area/group/serial rules.
pub fn ssn(s: &[u8]) -> bool {
    let d: Vec<u8> = digits_of(s).collect();
    if d.len() != 9 {
        return false;
    }
    let area = prefix_num(&d, 3);
    let group = prefix_num(&d[3..], 2);
    let serial = prefix_num(&d[5..], 4);
    area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
}

/// UK National Insurance number prefix rules.
fn nino(s: &[u8]) -> bool {
    let v: Vec<u8> = s
        .iter()
        .filter(|b| b.is_ascii_alphanumeric())
        .map(|b| b.to_ascii_uppercase())
        .collect();
    if v.len() != 9 && v.len() != 8 {
        return false;
    }
    let (a, b) = (v[0], v[1]);
    if b"DFIQUV".contains(&a) || b"DFIQUVO".contains(&b) {
        return false;
    }
    let pre = [a, b];
    if [b"BG", b"GB", b"KN", b"NK", b"NT", b"TN", b"ZZ"]
        .iter()
        .any(|p| p[..] == pre[..])
    {
        return false;
    }
    v[2..8].iter().all(u8::is_ascii_digit) && (v.len() == 8 || b"ABCD".contains(&v[8]))
}

fn octets_ok(s: &[u8], sep: u8) -> bool {
    let parts: Vec<&[u8]> = s.split(|&b| b == sep).collect();
    parts.len() == 4
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.len() <= 3
                && p.iter().all(u8::is_ascii_digit)
                && p.iter().fold(0u32, |a, &x| a * 10 + u32::from(x - b'0')) <= 255
        })
}

fn ipv4(s: &[u8]) -> bool {
    octets_ok(s, b'.')
}

fn ipv4_dashed(s: &[u8]) -> bool {
    octets_ok(s, b'-')
}

/// A match followed by `:hex` is part of a longer colon-separated run (a 10-group hardware id), not an address.
fn continues_hex_groups(line: &[u8], end: usize) -> bool {
    line.get(end) == Some(&b':') && line.get(end + 1).is_some_and(u8::is_ascii_hexdigit)
}

/// `Token{a64f992`, `Surface(name=`, `android.os.BinderProxy@1b6da4d`: an object printed by `toString`, not a
/// secret.
fn is_object_text(s: &[u8]) -> bool {
    let ident = s
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'$'))
        .count();
    let object_id = s.get(ident) == Some(&b'@')
        && s.len() > ident + 1
        && s[ident + 1..].iter().all(u8::is_ascii_hexdigit)
        && s[..ident].contains(&b'.');
    ident > 0
        && s[0].is_ascii_alphabetic()
        && (object_id || matches!(s.get(ident), Some(b'{') | Some(b'(') | Some(b'[')))
}

fn ipv6(s: &[u8]) -> bool {
    let core = s.split(|&b| b == b'%').next().unwrap_or(s);
    let Ok(text) = std::str::from_utf8(core) else {
        return false;
    };
    if text.parse::<Ipv6Addr>().is_err() {
        return false;
    }
    let groups: Vec<&str> = text.split(':').filter(|g| !g.is_empty()).collect();
    // Six or more groups of exactly two hex digits are MAC/EUI hardware ids.
    if groups.len() >= 6 && groups.iter().all(|g| g.len() == 2) {
        return false;
    }
    groups.len() >= 2 && (text.contains("::") || groups.len() >= 7)
}

fn b64url_decode(part: &[u8]) -> Option<Vec<u8>> {
    let trimmed: &[u8] = match part.iter().position(|&b| b == b'=') {
        Some(i) => &part[..i],
        None => part,
    };
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(trimmed)
        .ok()
}

pub(crate) fn jwt(s: &[u8]) -> bool {
    let mut parts = s.split(|&b| b == b'.');
    let Some(header) = parts.next() else {
        return false;
    };
    let Some(header) = b64url_decode(header) else {
        return false;
    };
    match serde_json::from_slice::<serde_json::Value>(&header) {
        Ok(serde_json::Value::Object(map)) => map.contains_key("alg"),
        _ => false,
    }
}

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// GitHub's classic token checksum: the last 6 characters are the CRC32 of the 30 random characters in base62.
pub fn github_crc_ok(token: &[u8]) -> bool {
    let Some(us) = token.iter().position(|&b| b == b'_') else {
        return false;
    };
    let body = &token[us + 1..];
    if body.len() != 36 {
        return false;
    }
    let (random, check) = body.split_at(30);
    let mut crc = crc32fast::hash(random);
    let mut enc = [b'0'; 6];
    for slot in enc.iter_mut().rev() {
        *slot = BASE62[(crc % 62) as usize];
        crc /= 62;
    }
    enc == check
}

/// GitHub tokens: a valid checksum confirms; without one (fine-grained tokens, test fixtures) the body must look
/// random, so that placeholders such as `ghp_xxxxxxxx...` stay.
fn github_token(s: &[u8]) -> bool {
    github_crc_ok(s) || looks_random(s)
}

/// Common stand-ins that are not secrets.
pub(crate) fn is_placeholder(s: &[u8]) -> bool {
    let t = s.trim_ascii();
    if t.is_empty() {
        return true;
    }
    let lower: Vec<u8> = t.iter().map(u8::to_ascii_lowercase).collect();
    const WORDS: &[&[u8]] = &[
        b"null",
        b"none",
        b"nil",
        b"true",
        b"false",
        b"undefined",
        b"n/a",
        b"na",
        b"-",
        b"unknown",
        b"redacted",
        b"masked",
        b"hidden",
        b"changeme",
        b"example",
        b"empty",
        b"xxx",
        b"***",
        b"<redacted>",
        b"[redacted]",
        b"[filtered]",
        b"filtered",
        b"secret",
        b"password",
        b"token",
    ];
    if WORDS.contains(&lower.as_slice()) {
        return true;
    }
    if t.iter()
        .all(|&b| b == b'*' || b == b'x' || b == b'X' || b == b'.' || b == b'#')
    {
        return true;
    }
    // Template references: ${VAR}, {{ var }}, %(var)s, <token>, $VAR
    matches!(t.first(), Some(b'$') | Some(b'<'))
        || t.starts_with(b"{{")
        || t.starts_with(b"%(")
        || t.starts_with(b"[REDACTED")
        || t.starts_with(b"[PSEUDO")
}

/// A documentation stand-in for a key or token rather than a value (what README files and `.env.example` files
/// put under `GITHUB_TOKEN=`): an ellipsis (`sk-...`, `sk-ant-api03-...`), a template (`glpat-<your-token>`,
/// `xoxb-{{token}}`), "your" (`xoxb-your-bot-token`, `YOUR_API_KEY`), a body that is one character repeated after
/// the provider's prefix (`ghp_xxxx…`, `npm_0000…`, `SG.xxxxxxxx.yyyyyyyy`, `hf_xxx`) or a long run of `x`/`X`/`0`
/// (`AIzaSyXXXX…`), and the vendors' own documented fakes (`AKIAIOSFODNN7EXAMPLE`,
/// `wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY`). None of these occurs in a generated key: a random base62 body
/// has no run of eight equal characters and no upper-case `EXAMPLE`.
pub(crate) fn is_doc_placeholder(s: &[u8]) -> bool {
    let t = s.trim_ascii();
    let your = t.windows(4).any(|w| w.eq_ignore_ascii_case(b"your"));
    if t.ends_with(b"...")
        || t.ends_with("\u{2026}".as_bytes())
        || t.windows(2).any(|w| w == b"${" || w == b"{{")
        || (t.contains(&b'<') && t.contains(&b'>'))
        || your
        || memchr::memmem::find(t, b"EXAMPLE").is_some()
    {
        return true;
    }
    // The body after the prefix: every `_`/`-`/`.`-separated part after the first is one character repeated
    // (`ghp_xxxx`, `SG.xxxx.yyyy`). A part that is not (`Hdr-Pl4nted-000000`) makes it a real value.
    let mut parts = t
        .split(|&b| matches!(b, b'_' | b'-' | b'.'))
        .filter(|p| !p.is_empty());
    let first = parts.next().unwrap_or_default();
    let mut body = 0usize;
    let mut last: &[u8] = &[];
    let mut all_repeated = true;
    for p in parts {
        all_repeated &= p.iter().all(|&b| b == p[0]);
        body += p.len();
        last = p;
    }
    if all_repeated && !last.is_empty() {
        let long_enough = last.len() >= 6 || (last.len() >= 3 && b"xX0*#".contains(&last[0]));
        if long_enough && body >= first.len() {
            return true;
        }
    }
    // A run of `x`, `X` or `0` over the part of the value that should be random.
    let mut run = 0usize;
    let mut longest = 0usize;
    let mut prev = 0u8;
    for &b in t {
        run = if b == prev { run + 1 } else { 1 };
        prev = b;
        if matches!(b, b'x' | b'X' | b'0' | b'*') {
            longest = longest.max(run);
        }
    }
    longest >= 8 && longest * 2 >= t.len()
}

/// `ssh -o StrictHostKeyChecking=no admin@db01.internal`, `scp a.tgz deploy@host:/srv`, `git@github.com:org/repo`:
/// a login at a host, not a mailbox. The address is the argument of an ssh-family command (only options, their
/// arguments and paths between them), or is followed by `:/` or `:~` as in scp's `user@host:/path`. (`:` and a
/// word is left alone: in `curl -u ann@x.io:pw` the address is a login that is also a mailbox.)
fn ssh_target(line: &[u8], start: usize, end: usize) -> bool {
    if line.get(end) == Some(&b':') && matches!(line.get(end + 1), Some(b'/') | Some(b'~')) {
        return true;
    }
    const COMMANDS: &[&[u8]] = &[
        b"ssh",
        b"scp",
        b"sftp",
        b"rsync",
        b"ssh-copy-id",
        b"autossh",
        b"mosh",
        b"sshfs",
        b"sshpass",
    ];
    let before = &line[start.saturating_sub(200)..start];
    let mut words = before
        .split(|b| b.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
        .rev()
        .take(10)
        .peekable();
    while let Some(w) = words.next() {
        let name = w
            .rsplit(|&b| matches!(b, b'/' | b'"' | b'\'' | b'=' | b':'))
            .next()
            .unwrap_or(w);
        if COMMANDS.contains(&name) {
            return true;
        }
        let option = w.starts_with(b"-");
        // An option's argument: the word before it is an option (`-o StrictHostKeyChecking=no`, `-p 22`).
        let argument = words
            .peek()
            .is_some_and(|p| p.starts_with(b"-") && p.len() <= 3);
        let path = w.contains(&b'/') || (w.contains(&b'.') && !w.ends_with(b"."));
        if !(option || argument || path) {
            return false;
        }
    }
    false
}

/// `$pw = ConvertTo-SecureString "…" -AsPlainText`, `$pass = Read-Host -AsSecureString`: the value read under a
/// password key is a PowerShell command (an approved verb, `-`, a noun), not the password itself.
fn powershell_call(line: &[u8], s: &[u8], end: usize) -> bool {
    const VERBS: &[&[u8]] = &[
        b"get",
        b"set",
        b"new",
        b"read",
        b"convertto",
        b"convertfrom",
        b"import",
        b"export",
        b"invoke",
        b"add",
        b"remove",
        b"write",
        b"out",
        b"select",
        b"start",
        b"test",
        b"protect",
        b"unprotect",
        b"format",
    ];
    let Some(dash) = s.iter().position(|&b| b == b'-') else {
        return false;
    };
    let (verb, noun) = (&s[..dash], &s[dash + 1..]);
    VERBS.iter().any(|v| verb.eq_ignore_ascii_case(v))
        && verb.first().is_some_and(u8::is_ascii_uppercase)
        && noun.first().is_some_and(u8::is_ascii_uppercase)
        && noun.iter().all(u8::is_ascii_alphanumeric)
        && matches!(line.get(end), None | Some(b' ') | Some(b'"') | Some(b'\''))
}

/// `DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…` under a `connection_string` key: a list of
/// `key=value` settings, whose secret members (`AccountKey`, `Password`, `SharedAccessKey`) the rules for them
/// find. Read as one password it would redact the protocol and leave nothing more precise.
fn key_value_list(line: &[u8], s: &[u8], end: usize) -> bool {
    let Some(eq) = s.iter().position(|&b| b == b'=') else {
        return false;
    };
    let key = &s[..eq];
    key.len() >= 2
        && key[0].is_ascii_alphabetic()
        && key
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b' ' | b'_' | b'.'))
        && s.get(eq + 1).is_some_and(|&b| b != b'=')
        && (s.contains(&b';') || line.get(end) == Some(&b';'))
}

/// Authentication scheme words of an `Authorization` value (lower case).
const AUTH_SCHEMES: &[&[u8]] = &[
    b"bearer",
    b"basic",
    b"token",
    b"digest",
    b"negotiate",
    b"apikey",
    b"sso-key",
    b"hmac",
    b"aws4-hmac-sha256",
    b"key",
    b"bot",
    b"oauth",
    b"dpop",
];

/// An `Authorization` value after a scheme word: a known scheme (`Bearer`, `Basic`, `Token`, ...) takes any
/// credential; another word (`ShippoToken`, `SSWS`, `GenieKey`) only one that looks like a token (holds a digit,
/// or is long), so that `Authorization: none provided` is not a credential.
fn after_scheme_ok(line: &[u8], start: usize, s: &[u8]) -> bool {
    let before = &line[..start];
    let trimmed = before.trim_ascii_end();
    if trimmed.len() == before.len() {
        return true;
    }
    let word_start = trimmed
        .iter()
        .rposition(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_')))
        .map_or(0, |i| i + 1);
    let word = &trimmed[word_start..];
    if word.is_empty() || AUTH_SCHEMES.iter().any(|k| word.eq_ignore_ascii_case(k)) {
        return true;
    }
    s.iter().any(u8::is_ascii_digit) || s.len() >= 20
}

/// Is the value ending at `end` a scheme word with the credential after it (`ShippoToken [REDACTED:…]` in a line
/// scrubbed before, `Foo abc123def456`)? Then the credential is what a rule should take, not the word: a second
/// scrub must not take the scheme word the first one kept.
fn scheme_before_credential(line: &[u8], end: usize) -> bool {
    let rest = &line[end.min(line.len())..];
    let gap = rest
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    if gap == 0 {
        return false;
    }
    let next = &rest[gap..];
    let value = &line[..end];
    let word_len = value
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_alphabetic() || **b == b'-')
        .count();
    let scheme_shaped = word_len <= 24
        && value.len() > word_len
        && !value[value.len() - word_len - 1].is_ascii_alphanumeric();
    next.first() == Some(&b'[')
        || scheme_shaped
            && next.first().is_some_and(u8::is_ascii_alphanumeric)
            && next
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || b"._~+/=-".contains(b))
                .count()
                >= 6
}

/// A value cut off right before a template (`glpat-<your-token>`: the value reader stops at `<`).
fn glued_to_template(line: &[u8], end: usize) -> bool {
    line.get(end) == Some(&b'<') && line[end..].contains(&b'>')
}

/// A token that looks random enough to be a key: its longest `_`/`-`-separated part has several distinct
/// characters, so `ghp_xxxxxxxx...` and `sk_live_xxxxxxxx` stay.
fn looks_random(s: &[u8]) -> bool {
    if is_placeholder(s) {
        return false;
    }
    let Some(part) = s.split(|&b| b == b'_' || b == b'-').max_by_key(|p| p.len()) else {
        return false;
    };
    let mut seen = [false; 256];
    let mut distinct = 0;
    for &b in part {
        if !seen[b as usize] {
            seen[b as usize] = true;
            distinct += 1;
        }
    }
    distinct >= (part.len() / 3).clamp(4, 12)
}

/// A credential value: not a placeholder and not an authentication scheme's name on its own.
fn credential(s: &[u8]) -> bool {
    let lower: Vec<u8> = s.iter().map(u8::to_ascii_lowercase).collect();
    !is_placeholder(s) && !AUTH_SCHEMES.contains(&lower.as_slice())
}

fn person_name(s: &[u8]) -> bool {
    let t = s.trim_ascii();
    if t.is_empty() || t.len() > 80 || is_placeholder(t) {
        return false;
    }
    let mut letters = 0;
    for (i, &b) in t.iter().enumerate() {
        match b {
            b'a'..=b'z' | b'A'..=b'Z' | 0x80..=0xff => letters += 1,
            b' ' | b'\'' | b'-' | b',' => {}
            b'.' => {
                // initials ("J. Smith") and abbreviations ("Dr.", "B.Eng.", "Dipl.-Ing.") but not dotted
                // identifiers ("com.android.ui")
                if t.get(i + 1)
                    .is_some_and(|n| !matches!(n, b' ' | b',' | b'-') && !n.is_ascii_uppercase())
                {
                    return false;
                }
            }
            _ => return false,
        }
    }
    let words: Vec<&[u8]> = t.split(|&b| b == b' ').filter(|w| !w.is_empty()).collect();
    if words.len() == 1 {
        // One word: a capitalised name ("Smith", "SMITH"), not a process or class name ("android", "SurfaceView").
        let w = words[0];
        let inner_upper = w
            .windows(2)
            .any(|p| p[0].is_ascii_lowercase() && p[1].is_ascii_uppercase());
        return letters >= 2 && w[0].is_ascii_uppercase() && !inner_upper;
    }
    letters >= 2 && words.len() <= 6
}

fn email(s: &[u8]) -> bool {
    let Some(at) = s.iter().rposition(|&b| b == b'@') else {
        return false;
    };
    let (local, domain) = (&s[..at], &s[at + 1..]);
    if local.is_empty() || local.len() > 64 || local[0] == b'.' || local.ends_with(b".") {
        return false;
    }
    let Some(dot) = domain.iter().rposition(|&b| b == b'.') else {
        return false;
    };
    let tld = &domain[dot + 1..];
    if tld.len() < 2 || !tld.iter().all(u8::is_ascii_alphabetic) {
        return false;
    }
    const FILE_EXT: &[&[u8]] = &[
        b"png", b"jpg", b"jpeg", b"gif", b"svg", b"webp", b"js", b"css", b"java", b"class", b"txt",
        b"log", b"json", b"xml", b"html", b"py", b"rs", b"go",
    ];
    let tld_l: Vec<u8> = tld.iter().map(u8::to_ascii_lowercase).collect();
    !FILE_EXT.contains(&tld_l.as_slice()) && !domain.starts_with(b".") && !domain.contains(&b'_')
}

/// A street address: a few words (at least one space), several letters, not an address:port or IP.
fn address(s: &[u8]) -> bool {
    let t = s.trim_ascii();
    !is_placeholder(t)
        && t.contains(&b' ')
        && t.iter().any(u8::is_ascii_digit)
        && t.iter()
            .filter(|b| b.is_ascii_alphabetic() || **b >= 0x80)
            .count()
            >= 3
        && t.len() <= 200
}

fn phone(s: &[u8]) -> bool {
    phone::phone(s)
}

/// US Employer Identification Number `NN-NNNNNNN`: the two-digit prefix must be one the IRS assigns.
fn ein(s: &[u8]) -> bool {
    const INVALID: &[u32] = &[
        0, 7, 8, 9, 17, 18, 19, 28, 29, 49, 69, 70, 78, 79, 89, 96, 97,
    ];
    let d: Vec<u8> = digits_of(s).collect();
    d.len() == 9 && !INVALID.contains(&prefix_num(&d, 2)) && !d.iter().all(|&x| x == d[0])
}

/// Is `w` (lower-case ASCII) an English month name or its abbreviation (`may`, `sept`, `december`)?
fn month_word(w: &str) -> bool {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    w.len() >= 3 && MONTHS.iter().any(|m| m.starts_with(w))
}

/// A plausible calendar date: `1961-05-05` (with an ISO 8601 time and offset), `05/05/1961`, `5 May 1961`,
/// `5-MAY-1961`, `May 5, 1961`, `05-May`, `May-61`, compact `19610505`.
fn date(s: &[u8]) -> bool {
    let Ok(t) = std::str::from_utf8(s) else {
        return false;
    };
    // An ISO 8601 time (`T00:00:00+02:00`) after the date does not count.
    let date_part = match t.find(['T', 't', ':']) {
        Some(i) if i >= 8 && t.as_bytes()[..4].iter().all(u8::is_ascii_digit) => &t[..i.min(10)],
        _ => t,
    };
    let nums: Vec<&str> = date_part
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .collect();
    let words: Vec<String> = date_part
        .split(|c: char| !c.is_ascii_alphabetic())
        .filter(|p| !p.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let ordinal = |w: &str| matches!(w, "st" | "nd" | "rd" | "th" | "of");
    let month_named = match words.iter().filter(|w| !ordinal(w)).count() {
        0 => false,
        1 => words.iter().filter(|w| !ordinal(w)).all(|w| month_word(w)),
        _ => return false,
    };
    let n: Vec<u32> = nums.iter().filter_map(|p| p.parse().ok()).collect();
    let year_ok = |y: u32| (1900..=2100).contains(&y) || y < 100;
    let day = |d: u32| (1..=31).contains(&d);
    let month = |m: u32| (1..=12).contains(&m);
    if month_named {
        return match n.as_slice() {
            [d, y] => day(*d) && year_ok(*y),
            [x] => day(*x) || (nums[0].len() >= 2 && year_ok(*x)) || (1900..=2100).contains(x),
            _ => false,
        };
    }
    match n.as_slice() {
        [c] if nums[0].len() == 8 => {
            let (y, m, d) = (c / 10000, c / 100 % 100, c % 100);
            (1900..=2100).contains(&y) && month(m) && day(d)
        }
        [y, m, d] if nums[0].len() == 4 => (1900..=2100).contains(y) && month(*m) && day(*d),
        [a, b, y] => year_ok(*y) && day(*a) && day(*b) && (month(*a) || month(*b)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_accepts_test_cards_and_rejects_off_by_one() {
        assert!(card(b"4111111111111111"));
        assert!(card(b"4111 1111 1111 1111"));
        assert!(card(b"5500-0000-0000-0004"));
        assert!(card(b"378282246310005"));
        assert!(!card(b"4111111111111112"));
        assert!(!card(b"4111 1111-1111 1111"));
        assert!(!card(b"1234567812345670"), "no issuer starts with 1");
    }

    #[test]
    fn iban_checks_length_and_mod97() {
        assert!(iban(b"GB82WEST12345698765432"));
        assert!(iban(b"GB82 WEST 1234 5698 7654 32"));
        assert!(iban(b"DE89370400440532013000"));
        assert!(!iban(b"GB82WEST12345698765433"));
        assert!(!iban(b"GB82WEST1234569876543"));
    }

    #[test]
    fn aba_checksum() {
        assert!(aba(b"011000015"));
        assert!(aba(b"021000021"));
        assert!(!aba(b"021000022"));
    }

    #[test]
    fn ssn_rules() {
        assert!(ssn(b"123-45-6789"));
        assert!(!ssn(b"000-45-6789"));
        assert!(!ssn(b"666-45-6789"));
        assert!(!ssn(b"912-45-6789"));
        assert!(!ssn(b"123-00-6789"));
        assert!(!ssn(b"123-45-0000"));
    }

    #[test]
    fn github_checksum_round_trip() {
        // Build a token with a correct checksum and check that a flipped character breaks it.
        let random = b"abcdefghijABCDEFGHIJ0123456789";
        let mut crc = crc32fast::hash(random);
        let mut enc = [b'0'; 6];
        for slot in enc.iter_mut().rev() {
            *slot = BASE62[(crc % 62) as usize];
            crc /= 62;
        }
        let mut token = b"ghp_".to_vec();
        token.extend_from_slice(random);
        token.extend_from_slice(&enc);
        assert!(github_crc_ok(&token));
        token[5] = b'z';
        assert!(!github_crc_ok(&token));
    }

    #[test]
    fn ipv6_needs_real_address() {
        assert!(ipv6(b"2001:db8::1"));
        assert!(ipv6(b"fe80::1ff:fe23:4567:890a"));
        assert!(!ipv6(b"18:01:47"));
        assert!(!ipv6(b"::1"));
    }

    #[test]
    fn dates() {
        assert!(date(b"1990-05-17"));
        assert!(date(b"05/17/1990"));
        assert!(date(b"May 17, 1990"));
        assert!(!date(b"1990-13-17"));
        assert!(date(b"5-MAY-1961"));
        assert!(date(b"05-May"));
        assert!(date(b"May-61"));
        assert!(date(b"1961-05-05T00:00:00+02:00"));
        assert!(date(b"19610505"));
        assert!(date(b"5th of May 1961"));
        assert!(!date(b"19611305"));
        assert!(!date(b"Mayor 12"));
        assert!(!date(b"Monday-61"));
    }

    #[test]
    fn cards_of_every_network() {
        // Troy, UATP, Mir, UnionPay 19, Maestro 12 (Luhn-completed test numbers)
        for pan in [
            b"9792000000000001".as_slice(),
            b"122000000000003",
            b"2200000000000004",
            b"6200000000000000005",
            b"500000000009",
        ] {
            let mut d: Vec<u8> = pan.iter().map(|b| b - b'0').collect();
            // fix the check digit so that each case is Luhn-valid
            let last = d.len() - 1;
            for c in 0..10 {
                d[last] = c;
                if luhn(&d) {
                    break;
                }
            }
            assert!(card_issuer_ok(&d) && luhn(&d), "{pan:?}");
        }
        assert!(!card_issuer_ok(&[
            7, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
        ]));
        assert!(card(b"3782 822463 10005"));
        assert!(!card(b"4111_1111_1111_1111"));
    }

    #[test]
    fn person_names_and_honorifics() {
        assert!(person_name(b"Dipl.-Ing. Hans Meier"));
        assert!(person_name(b"Jane Roe, B.Eng."));
        assert!(person_name("Иван Петров".as_bytes()));
        assert!(!person_name(b"com.android.systemui"));
    }

    #[test]
    fn documentation_placeholders_are_not_keys() {
        for p in [
            &b"sk-..."[..],
            b"sk-ant-api03-...",
            b"ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            b"sk-proj-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
            b"xoxb-your-bot-token",
            b"glpat-<your-token>",
            b"npm_000000000000000000000000000000000000",
            b"SG.xxxxxxxx.yyyyyyyy",
            b"hf_xxx",
            b"AIzaSyXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
            b"AKIAIOSFODNN7EXAMPLE",
            b"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            b"xoxb-{{ slack_token }}",
        ] {
            assert!(is_doc_placeholder(p), "{}", String::from_utf8_lossy(p));
            assert!(!check(ValidatorName::Text, p, 0, p.len()));
        }
        for v in [
            &b"hunter2"[..],
            b"Tr0ub4dor&3",
            b"ghp_R2d9xK4mQp7Lw1Zt8Vb3Nc6Hy0Jf5Ga2Se4U",
            b"sk-proj-4fQ9zLm2Xw8Rt1Vb7Nc3Hy6Jd0Kp5Gs",
            b"a1b2c3d4e5f6",
            b"AKIA2E0A8F3B4C5D6E7F",
            b"Summer-000",
            b"5f4dcc3b5aa765d61d8327deb882cf99",
        ] {
            assert!(!is_doc_placeholder(v), "{}", String::from_utf8_lossy(v));
        }
        // A value that the reader cut right before a `<...>` template.
        let line = b"X-Gitlab-Token: glpat-<your-token>";
        assert!(!check(ValidatorName::Text, line, 16, 22));
    }

    #[test]
    fn url_encoded_values() {
        assert_eq!(
            percent_decode(b"Wei%C3%9Fgasse+12", true),
            "Weißgasse 12".as_bytes()
        );
        assert_eq!(percent_decode(b"%2B49%2030", false), b"+49 30");
        assert_eq!(percent_decode(b"100%", false), b"100%");
        let line = b"GET /a?name=Aron+Andersson&page=2";
        assert!(check(ValidatorName::PersonName, line, 12, 26));
        let line = b"GET /a?card=4111%201111%201111%201111&p=1";
        assert!(check(ValidatorName::Luhn, line, 12, 37));
        let line = b"GET /a?iban=GB82%20WEST%201234%205698%207654%2032&p=1";
        assert!(check(ValidatorName::Iban, line, 12, 49));
    }

    #[test]
    fn ein_prefixes() {
        assert!(ein(b"12-3456789"));
        assert!(!ein(b"07-3456789"));
    }
}
