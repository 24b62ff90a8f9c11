//! Provider token checks: the structure and checksums that a credential's issuer defines (Slack's id segments,
//! PyPI's macaroon header, age's Bech32 checksum, Discord's snowflake, Kubernetes' claims, keys and JWTs wrapped
//! in base64), and the placeholder test that keeps documentation samples (`xoxb-xxxx`, `xoxb-my-bot-token`,
//! `sk_live_1234567890abcdef`) out of the findings.
//!
//! Every check is a pure function of the candidate bytes (and the line around them). A check decodes at most a
//! short prefix of the value into a small buffer; it never rewrites, stores or reports the value.

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::validate::{is_placeholder, jwt};

/// The named token checks, written in rule files as `validator = "<name>"` next to the general validators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenCheck {
    /// A provider's random token body: enough distinct characters, no run of six equal characters, not mostly
    /// consecutive letters/digits (`1234567890abcdef`), no documentation word (`example`, `your`, `xxxxx`, a
    /// `my`/`token` segment).
    ProviderToken,
    /// Slack tokens: id segments of at least 8 digits, a random final segment of at least 16 characters.
    SlackToken,
    /// PyPI API tokens: the body is a base64url macaroon (version 2) whose location is `pypi.org` or
    /// `test.pypi.org`.
    PypiMacaroon,
    /// age X25519 secret keys: Bech32 with the `age-secret-key-` prefix and a valid checksum.
    AgeBech32,
    /// Discord bot tokens: the first part is the bot's numeric user id (a snowflake) in base64.
    DiscordToken,
    /// Kubernetes service-account tokens: a JWT whose claims name `kubernetes.io` or a `system:serviceaccount`.
    KubernetesJwt,
    /// A token that carries a base64 JSON object after its prefix (`glc_`, `sntrys_`, legacy Grafana keys).
    Base64Json,
    /// Base64 of `user:password` (registry `auth` entries), where the password is not a placeholder.
    BasicCredential,
    /// Base64 of a PEM private key block (`LS0tLS1CRUdJTi...` in Kubernetes secrets and kubeconfigs).
    Base64PrivateKey,
    /// Base64 of a JWT (`ZXlKaGJHY2lPaU...`, a service-account token in a Secret's `data`).
    Base64Jwt,
    /// A password typed on a command line or in a connection string: not a placeholder, a template, help text
    /// (`<user:password>`) or an environment variable's name.
    PasswordValue,
}

impl TokenCheck {
    /// Runs the check on `line[start..end]`.
    pub(crate) fn check(self, line: &[u8], start: usize, end: usize) -> bool {
        let s = &line[start..end];
        match self {
            TokenCheck::ProviderToken => provider_token(s),
            TokenCheck::SlackToken => slack_token(s),
            TokenCheck::PypiMacaroon => pypi_macaroon(s),
            TokenCheck::AgeBech32 => age_bech32(s),
            TokenCheck::DiscordToken => discord_token(s),
            TokenCheck::KubernetesJwt => kubernetes_jwt(s),
            TokenCheck::Base64Json => base64_json(s),
            TokenCheck::BasicCredential => basic_credential(s),
            TokenCheck::Base64PrivateKey => base64_private_key(s),
            TokenCheck::Base64Jwt => base64_jwt(s),
            TokenCheck::PasswordValue => password_value(s),
        }
    }
}

/// Words that only documentation, templates and tests put into a token.
const DOC_WORDS: &[&[u8]] = &[
    b"xxxxx",
    b"example",
    b"sample",
    b"dummy",
    b"placeholder",
    b"redacted",
    b"changeme",
    b"your",
    b"insert",
    b"replace",
    b"fake",
];

/// Whole `-`/`_`/`.` segments that mark a made-up token (`xoxb-my-bot-token`, `sk_live_foo`).
const DOC_SEGMENTS: &[&[u8]] = &[
    b"my", b"here", b"foo", b"bar", b"baz", b"token", b"abc", b"xxx",
];

fn contains_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle))
}

/// The rank of an ASCII letter or digit in `0-9a-z` (case-insensitive), for spotting `123456` and `abcdef`.
fn rank(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'z' => Some(b - b'a' + 10),
        b'A'..=b'Z' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Six or more equal characters (`xxxxxx`, `000000`): a random body of 40 base62 characters holds such a run with
/// a probability below 1e-7, a typed sample almost always.
fn has_repeat_run(s: &[u8]) -> bool {
    let mut same = 1;
    for w in s.windows(2) {
        same = if w[0] == w[1] { same + 1 } else { 1 };
        if same >= 6 {
            return true;
        }
    }
    false
}

/// Three quarters or more of the segment are runs of four or more consecutive letters/digits, up or down
/// (`1234567890abcdef`, `AbCdEfGhIjKl`): typed by hand. A partly sequential body (`51Hq8ZtLmNoPqRsTuVwXyZ12`, a
/// test suite's value) still counts as a token.
fn mostly_typed(seg: &[u8]) -> bool {
    const MIN_RUN: usize = 4;
    let mut covered = 0;
    let (mut up, mut down) = (1, 1);
    let mut flush = |run: usize| {
        if run >= MIN_RUN {
            covered += run;
        }
    };
    for w in seg.windows(2) {
        let step = match (rank(w[0]), rank(w[1])) {
            (Some(a), Some(b)) => i16::from(b) - i16::from(a),
            _ => 0,
        };
        if step == 1 {
            up += 1;
        } else {
            flush(up);
            up = 1;
        }
        if step == -1 {
            down += 1;
        } else {
            flush(down);
            down = 1;
        }
    }
    flush(up);
    flush(down);
    !seg.is_empty() && covered * 4 >= seg.len() * 3
}

/// No documentation word anywhere (`example`, `your`, `xxxxx`) and no made-up segment (`my`, `token`, `here`).
fn free_of_doc_words(s: &[u8]) -> bool {
    !is_placeholder(s)
        && !DOC_WORDS.iter().any(|w| contains_ci(s, w))
        && !s
            .split(|&b| matches!(b, b'-' | b'_' | b'.'))
            .any(|seg| DOC_SEGMENTS.iter().any(|w| seg.eq_ignore_ascii_case(w)))
}

/// A random body: enough distinct characters in its longest `-`/`_`/`.` segment and no typed run.
fn random_body(s: &[u8]) -> bool {
    let longest = s
        .split(|&b| matches!(b, b'-' | b'_' | b'.'))
        .max_by_key(|seg| seg.len())
        .unwrap_or_default();
    let mut seen = [false; 256];
    let distinct = longest
        .iter()
        .filter(|&&b| !std::mem::replace(&mut seen[b as usize], true))
        .count();
    distinct >= (longest.len() / 3).clamp(4, 12) && !has_repeat_run(s) && !mostly_typed(longest)
}

/// A provider token as issued: random, not a documentation sample.
pub fn provider_token(s: &[u8]) -> bool {
    free_of_doc_words(s) && random_body(s)
}

/// Slack: `xoxb-<team id>-<bot id>-<24 random>`, `xoxp-<ids>-<32 hex>`, `xapp-1-<app id>-<digits>-<64 hex>`,
/// `xoxe-1-<random>`. Ids are long digit runs; a short one (`xoxb-12345-abcd234`) is a sample.
fn slack_token(s: &[u8]) -> bool {
    let parts: Vec<&[u8]> = s.split(|&b| b == b'-').collect();
    let Some((last, middle)) = parts.split_last() else {
        return false;
    };
    if parts.len() < 3 || last.len() < 16 {
        return false;
    }
    let short_id = middle[1..]
        .iter()
        .any(|p| p.iter().all(u8::is_ascii_digit) && p.len() > 1 && p.len() < 8);
    // Team and bot ids are often sequential in samples and real alike; only the secret segment must be random.
    !short_id && free_of_doc_words(s) && random_body(last)
}

/// Decodes the longest prefix of `s` that is whole base64 quanta (either alphabet, padding dropped), at most
/// `max` characters of it.
fn b64_prefix(s: &[u8], max: usize) -> Option<Vec<u8>> {
    let body: &[u8] = match s.iter().position(|&b| b == b'=') {
        Some(i) => &s[..i],
        None => s,
    };
    let n = body.len().min(max);
    let n = if n % 4 == 1 { n - 1 } else { n };
    let body = &body[..n];
    let url = body.iter().any(|&b| b == b'-' || b == b'_');
    let engine = if url {
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
    } else {
        &base64::engine::general_purpose::STANDARD_NO_PAD
    };
    engine.decode(body).ok()
}

/// PyPI: `pypi-` + base64url macaroon v2: version byte 2, location field (type 1) `pypi.org` or
/// `test.pypi.org`, then the identifier field (type 2).
fn pypi_macaroon(s: &[u8]) -> bool {
    let Some(body) = s.strip_prefix(b"pypi-") else {
        return false;
    };
    let Some(d) = b64_prefix(body, 32) else {
        return false;
    };
    if d.len() < 4 || d[0] != 2 || d[1] != 1 {
        return false;
    }
    let n = usize::from(d[2]);
    let Some(location) = d.get(3..3 + n) else {
        return false;
    };
    (location == b"pypi.org" || location == b"test.pypi.org") && d.get(3 + n) == Some(&2)
}

const BECH32: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";

fn bech32_polymod(values: impl Iterator<Item = u8>) -> u32 {
    const GEN: [u32; 5] = [
        0x3b6a_57b2,
        0x2650_8e6d,
        0x1ea1_19fa,
        0x3d42_33dd,
        0x2a14_62b3,
    ];
    let mut chk: u32 = 1;
    for v in values {
        let top = chk >> 25;
        chk = ((chk & 0x01ff_ffff) << 5) ^ u32::from(v);
        for (i, g) in GEN.iter().enumerate() {
            if (top >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    }
    chk
}

/// Bech32 (BIP 173) checksum of `hrp1data`, case-insensitive but not mixed-case.
pub fn bech32_ok(s: &[u8]) -> bool {
    if s.iter().any(u8::is_ascii_lowercase) && s.iter().any(u8::is_ascii_uppercase) {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    let Some(sep) = lower.iter().rposition(|&b| b == b'1') else {
        return false;
    };
    let (hrp, data) = (&lower[..sep], &lower[sep + 1..]);
    if hrp.is_empty() || data.len() < 6 {
        return false;
    }
    let mut values = Vec::with_capacity(data.len());
    for c in data {
        match BECH32.iter().position(|x| x == c) {
            Some(v) => values.push(v as u8),
            None => return false,
        }
    }
    let expanded = hrp
        .iter()
        .map(|c| c >> 5)
        .chain(std::iter::once(0))
        .chain(hrp.iter().map(|c| c & 31));
    bech32_polymod(expanded.chain(values)) == 1
}

/// age: `AGE-SECRET-KEY-1` + 58 Bech32 characters (32 key bytes and the checksum).
fn age_bech32(s: &[u8]) -> bool {
    s.len() >= 16 && s[..15].eq_ignore_ascii_case(b"age-secret-key-") && bech32_ok(s)
}

/// Discord: `<base64 of the bot's user id>.<timestamp>.<hmac>`; the id is a 17-20 digit snowflake.
fn discord_token(s: &[u8]) -> bool {
    let Some(id) = s.split(|&b| b == b'.').next() else {
        return false;
    };
    match b64_prefix(id, 32) {
        Some(d) => (17..=20).contains(&d.len()) && d.iter().all(u8::is_ascii_digit) && d[0] != b'0',
        None => false,
    }
}

/// Kubernetes: a JWT whose claims are Kubernetes' (`kubernetes.io` in projected tokens,
/// `kubernetes/serviceaccount` as the legacy issuer, `system:serviceaccount:` subjects).
fn kubernetes_jwt(s: &[u8]) -> bool {
    if !jwt(s) {
        return false;
    }
    let Some(claims) = s
        .split(|&b| b == b'.')
        .nth(1)
        .and_then(|p| b64_prefix(p, 8192))
    else {
        return false;
    };
    [
        &b"kubernetes.io"[..],
        b"kubernetes/serviceaccount",
        b"system:serviceaccount:",
    ]
    .iter()
    .any(|w| contains_ci(&claims, w))
}

fn is_json_object(bytes: &[u8]) -> bool {
    matches!(
        serde_json::from_slice::<serde_json::Value>(bytes),
        Ok(serde_json::Value::Object(_))
    )
}

/// A base64 JSON object starting at the first `eyJ` (`{"`): with `_` as a base64url character, or as the
/// separator before a secret part (`sntrys_<json>_<secret>`).
fn base64_json(s: &[u8]) -> bool {
    let Some(at) = s.windows(3).position(|w| w == b"eyJ") else {
        return false;
    };
    let rest = &s[at..];
    let b64 = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-');
    let with_underscore = rest.iter().take_while(|b| b64(b) || **b == b'_').count();
    let without = rest.iter().take_while(|b| b64(b)).count();
    [with_underscore, without]
        .iter()
        .any(|&n| b64_prefix(&rest[..n], 4096).is_some_and(|d| is_json_object(&d)))
}

/// `user:password` in base64, printable, with a password that is not a placeholder.
fn basic_credential(s: &[u8]) -> bool {
    let Some(d) = b64_prefix(s, 1024) else {
        return false;
    };
    let Some(colon) = d.iter().position(|&b| b == b':') else {
        return false;
    };
    colon > 0
        && d.len() > colon + 1
        && d.iter().all(|b| b.is_ascii_graphic() || *b == b' ')
        && password_value(&d[colon + 1..])
}

/// `-----BEGIN ... PRIVATE KEY...-----` in base64.
fn base64_private_key(s: &[u8]) -> bool {
    b64_prefix(s, 64)
        .is_some_and(|d| d.starts_with(b"-----BEGIN") && contains_ci(&d, b"PRIVATE KEY"))
}

/// A JWT in base64: the decoded text starts with a JWT header holding `alg`.
fn base64_jwt(s: &[u8]) -> bool {
    b64_prefix(s, 1200).is_some_and(|d| d.starts_with(b"eyJ") && d.contains(&b'.') && jwt(&d))
}

/// A typed password rather than a stand-in: not a placeholder (`$PASS`, `<password>`, `***`), not help text
/// (`password>`), not a format directive (`%s`), not an environment variable's name (`API_TOKEN`) or a word that
/// names the field (`password`, `pass`, `secret`).
pub fn password_value(s: &[u8]) -> bool {
    const WORDS: &[&[u8]] = &[
        b"pass",
        b"passwd",
        b"pwd",
        b"pw",
        b"passphrase",
        b"apikey",
        b"api_key",
        b"user",
        b"username",
        b"mypassword",
        b"mypass",
        b"pass123",
        b"secret123",
    ];
    let t = s.trim_ascii();
    if is_placeholder(t)
        || t.iter()
            .any(|b| matches!(b, b'<' | b'>' | b'{' | b'}' | b'`'))
        || t.starts_with(b"%")
        || t.ends_with(b"...")
        || contains_ci(t, b"your")
        || WORDS.iter().any(|w| t.eq_ignore_ascii_case(w))
    {
        return false;
    }
    let env_name = t.len() >= 3
        && t.contains(&b'_')
        && t.iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_');
    !env_name
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bech32_encode(hrp: &str, data5: &[u8]) -> String {
        let expanded: Vec<u8> = hrp
            .bytes()
            .map(|c| c >> 5)
            .chain(std::iter::once(0))
            .chain(hrp.bytes().map(|c| c & 31))
            .chain(data5.iter().copied())
            .chain([0u8; 6])
            .collect();
        let pm = bech32_polymod(expanded.into_iter()) ^ 1;
        let mut out = format!("{hrp}1");
        for &d in data5 {
            out.push(BECH32[d as usize] as char);
        }
        for i in 0..6 {
            out.push(BECH32[((pm >> (5 * (5 - i))) & 31) as usize] as char);
        }
        out
    }

    #[test]
    fn bech32_accepts_its_own_encoding_and_rejects_a_flipped_character() {
        let data: Vec<u8> = (0..52u32).map(|i| ((i * 7 + 3) % 32) as u8).collect();
        let key = bech32_encode("age-secret-key-", &data).to_ascii_uppercase();
        assert!(age_bech32(key.as_bytes()), "{key}");
        let mut bad = key.into_bytes();
        let i = bad.len() - 10;
        bad[i] = if bad[i] == b'Q' { b'P' } else { b'Q' };
        assert!(!age_bech32(&bad));
        // BIP 173's own test vector.
        assert!(bech32_ok(b"A12UEL5L"));
        assert!(!bech32_ok(b"A12UeL5L"), "mixed case is invalid");
    }

    #[test]
    fn placeholders_are_not_provider_tokens() {
        assert!(provider_token(
            b"xoxb-2918475730-3384756102934-q8ZrT2mVxK4pLw9NcB7sHd1F"
        ));
        assert!(!provider_token(b"xoxb-my-bot-token"));
        assert!(!provider_token(b"sk_live_1234567890abcdefGHIJklmn"));
        assert!(
            provider_token(b"sk_live_51Hq8ZtLmNoPqRsTuVwXyZ12"),
            "partly sequential test-suite value"
        );
        assert!(!provider_token(b"glpat-xxxxxxxxxxxxxxxxxxxx"));
        assert!(!provider_token(b"shpat_00000000000000000000000000000000"));
        assert!(!provider_token(b"dop_v1_your_token_here"));
    }

    #[test]
    fn slack_ids_must_be_long() {
        assert!(slack_token(
            b"xoxb-2918475730-3384756102934-q8ZrT2mVxK4pLw9NcB7sHd1F"
        ));
        assert!(!slack_token(b"xoxb-12345-abcd234"));
        assert!(!slack_token(b"xoxb-12345-67890-q8ZrT2mVxK4pLw9NcB7sHd1F"));
        assert!(!slack_token(
            b"xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx"
        ));
        assert!(slack_token(
            b"xoxb-123456789012-1234567890123-QwErTyUiOpAsDfGhJkLzXcVb"
        ));
    }

    #[test]
    fn pypi_header_names_pypi() {
        assert!(pypi_macaroon(
            b"pypi-AgEIcHlwaS5vcmcCJGQ3ZjRhYjE2LTk5NzAtNGM4ZS1iZDU2LWI2ZGE5NjM5YzQ3NwACKlszLCJ"
        ));
        assert!(!pypi_macaroon(b"pypi-AgEJcHlwaS5vcmcCJGQ3ZjRhYjE2"));
    }

    #[test]
    fn discord_id_is_a_snowflake() {
        // base64 of "812345678901234567"
        assert!(discord_token(b"ODEyMzQ1Njc4OTAxMjM0NTY3.GhT2sQ.abc"));
        // base64 of "hello world, this!"
        assert!(!discord_token(b"aGVsbG8gd29ybGQsIHRoaXMh.GhT2sQ.abc"));
    }

    #[test]
    fn passwords_are_not_help_text() {
        assert!(password_value(b"s3cret!"));
        assert!(password_value(b"Hunter22"));
        assert!(!password_value(b"password>"));
        assert!(!password_value(b"$PASSWORD"));
        assert!(!password_value(b"API_TOKEN"));
        assert!(!password_value(b"your_password"));
        assert!(!password_value(b"pass"));
        assert!(!password_value(b"%s"));
    }

    #[test]
    fn base64_wrappers() {
        let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
        assert!(base64_private_key(
            b64("-----BEGIN RSA PRIVATE KEY-----\nMIIE").as_bytes()
        ));
        assert!(!base64_private_key(
            b64("-----BEGIN CERTIFICATE-----\nMIIE").as_bytes()
        ));
        assert!(basic_credential(b64("deploy:Zk29xLq").as_bytes()));
        assert!(!basic_credential(b64("deploy:<password>").as_bytes()));
        assert!(!basic_credential(b64("no colon here").as_bytes()));
        let j = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";
        assert!(base64_jwt(b64(j).as_bytes()));
        assert!(!base64_jwt(b64("eyJub3QiOiJhIGp3dCJ9.x.y").as_bytes()));
        let json = b64(r#"{"o":"123","n":"stack-read","k":"Zx81"}"#);
        assert!(base64_json(format!("glc_{json}").as_bytes()));
        assert!(!base64_json(b"glc_eyJub3QganNvbg"));
    }
}
