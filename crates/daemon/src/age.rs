//! Encryption at rest of closed segments in the `age` v1 format (<https://age-encryption.org/v1>) to X25519
//! recipients (`age1...`), written with *ring* primitives (X25519, HKDF-SHA256, ChaCha20-Poly1305, HMAC-SHA256)
//! so that no further crypto dependency is needed. Files decrypt with the `age` / `rage` command line tools.
//!
//! The daemon holds only public keys: it cannot read what it wrote. This module never logs file contents or the
//! file key.

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD_NO_PAD;
use base64::Engine as _;
use ring::aead::{Aad, LessSafeKey, Nonce, UnboundKey, CHACHA20_POLY1305};
use ring::agreement::{agree_ephemeral, EphemeralPrivateKey, UnparsedPublicKey, X25519};
use ring::rand::{SecureRandom, SystemRandom};
use ring::{hkdf, hmac};

const CHUNK: usize = 64 * 1024;

/// An X25519 recipient.
#[derive(Clone, PartialEq, Eq)]
pub struct Recipient([u8; 32]);

impl std::fmt::Debug for Recipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Recipient(age1...)")
    }
}

/// A recipient string that is not a valid `age1...` X25519 recipient.
#[derive(Debug, thiserror::Error)]
#[error("not an age X25519 recipient (age1...): {0}")]
pub struct BadRecipient(String);

const CHARSET: &[u8; 32] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";

fn polymod(values: &[u8]) -> u32 {
    const GEN: [u32; 5] = [
        0x3b6a_57b2,
        0x2650_8e6d,
        0x1ea1_19fa,
        0x3d42_33dd,
        0x2a14_62b3,
    ];
    let mut chk: u32 = 1;
    for &v in values {
        let b = chk >> 25;
        chk = ((chk & 0x1ff_ffff) << 5) ^ u32::from(v);
        for (i, g) in GEN.iter().enumerate() {
            if (b >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    }
    chk
}

impl std::str::FromStr for Recipient {
    type Err = BadRecipient;

    /// Parses a Bech32 `age1...` string (checksum verified).
    fn from_str(s: &str) -> Result<Self, BadRecipient> {
        let bad = |why: &str| BadRecipient(why.to_string());
        let lower = s.trim().to_ascii_lowercase();
        let (hrp, data) = lower.rsplit_once('1').ok_or_else(|| bad("no separator"))?;
        if hrp != "age" {
            return Err(bad("the prefix must be age1"));
        }
        let mut vals = Vec::with_capacity(data.len());
        for c in data.bytes() {
            let v = CHARSET
                .iter()
                .position(|&x| x == c)
                .ok_or_else(|| bad("invalid character"))?;
            vals.push(v as u8);
        }
        if vals.len() < 6 {
            return Err(bad("too short"));
        }
        let mut check: Vec<u8> = hrp.bytes().map(|b| b >> 5).collect();
        check.push(0);
        check.extend(hrp.bytes().map(|b| b & 31));
        check.extend_from_slice(&vals);
        if polymod(&check) != 1 {
            return Err(bad("bad checksum"));
        }
        let payload = &vals[..vals.len() - 6];
        let mut acc: u32 = 0;
        let mut bits = 0;
        let mut out = Vec::with_capacity(32);
        for &v in payload {
            acc = (acc << 5) | u32::from(v);
            bits += 5;
            if bits >= 8 {
                bits -= 8;
                out.push((acc >> bits) as u8);
            }
        }
        if bits >= 5 || (acc & ((1 << bits) - 1)) != 0 {
            return Err(bad("bad padding"));
        }
        let key: [u8; 32] = out
            .try_into()
            .map_err(|_| bad("the key must be 32 bytes"))?;
        Ok(Recipient(key))
    }
}

struct Len(usize);
impl hkdf::KeyType for Len {
    fn len(&self) -> usize {
        self.0
    }
}

fn hkdf32(salt: &[u8], ikm: &[u8], info: &[u8]) -> Result<[u8; 32], ring::error::Unspecified> {
    let mut out = [0u8; 32];
    let info = [info];
    hkdf::Salt::new(hkdf::HKDF_SHA256, salt)
        .extract(ikm)
        .expand(&info, Len(32))?
        .fill(&mut out)?;
    Ok(out)
}

fn crypto_err(_: ring::error::Unspecified) -> std::io::Error {
    std::io::Error::other("age encryption failed (crypto error)")
}

/// Writes the age header for `recipients` and returns the payload key material (file key).
fn header(
    recipients: &[Recipient],
    rng: &SystemRandom,
) -> Result<(Vec<u8>, [u8; 16]), std::io::Error> {
    let mut file_key = [0u8; 16];
    rng.fill(&mut file_key).map_err(crypto_err)?;
    let mut h = b"age-encryption.org/v1\n".to_vec();
    for r in recipients {
        let eph = EphemeralPrivateKey::generate(&X25519, rng).map_err(crypto_err)?;
        let share = eph.compute_public_key().map_err(crypto_err)?;
        let share = share.as_ref().to_vec();
        let shared = agree_ephemeral(eph, &UnparsedPublicKey::new(&X25519, r.0), |s| s.to_vec())
            .map_err(crypto_err)?;
        if shared.iter().all(|&b| b == 0) {
            return Err(std::io::Error::other("age: low-order recipient key"));
        }
        let mut salt = share.clone();
        salt.extend_from_slice(&r.0);
        let wrap = hkdf32(&salt, &shared, b"age-encryption.org/v1/X25519").map_err(crypto_err)?;
        let key = LessSafeKey::new(UnboundKey::new(&CHACHA20_POLY1305, &wrap).map_err(crypto_err)?);
        let mut body = file_key.to_vec();
        key.seal_in_place_append_tag(
            Nonce::assume_unique_for_key([0; 12]),
            Aad::empty(),
            &mut body,
        )
        .map_err(crypto_err)?;
        h.extend_from_slice(b"-> X25519 ");
        h.extend_from_slice(STANDARD_NO_PAD.encode(&share).as_bytes());
        h.push(b'\n');
        // Body lines of 64 columns, the last one shorter (43 characters here).
        let b64 = STANDARD_NO_PAD.encode(&body);
        for c in b64.as_bytes().chunks(64) {
            h.extend_from_slice(c);
            h.push(b'\n');
        }
        if b64.len() % 64 == 0 {
            h.push(b'\n');
        }
    }
    h.extend_from_slice(b"---");
    let mac_key = hkdf32(&[], &file_key, b"header").map_err(crypto_err)?;
    let tag = hmac::sign(&hmac::Key::new(hmac::HMAC_SHA256, &mac_key), &h);
    h.push(b' ');
    h.extend_from_slice(STANDARD_NO_PAD.encode(tag.as_ref()).as_bytes());
    h.push(b'\n');
    Ok((h, file_key))
}

/// Encrypts `input` to `output` (created, must not exist), fsyncs it.
pub fn encrypt_file(input: &Path, output: &Path, recipients: &[Recipient]) -> std::io::Result<()> {
    let rng = SystemRandom::new();
    let (head, file_key) = header(recipients, &rng)?;
    let mut nonce = [0u8; 16];
    rng.fill(&mut nonce).map_err(crypto_err)?;
    let pk = hkdf32(&nonce, &file_key, b"payload").map_err(crypto_err)?;
    let key = LessSafeKey::new(UnboundKey::new(&CHACHA20_POLY1305, &pk).map_err(crypto_err)?);

    let mut inp = File::open(input)?;
    let total = inp.metadata()?.len();
    let mut out = crate::util::private_file()
        .write(true)
        .create_new(true)
        .open(output)?;
    let mut w = std::io::BufWriter::with_capacity(CHUNK + 64, &mut out);
    w.write_all(&head)?;
    w.write_all(&nonce)?;
    let mut done: u64 = 0;
    let mut counter: u128 = 0;
    let mut buf = Vec::with_capacity(CHUNK + 16);
    loop {
        let n = ((total - done) as usize).min(CHUNK);
        buf.clear();
        buf.resize(n, 0);
        inp.read_exact(&mut buf)?;
        done += n as u64;
        let last = done == total;
        let mut nb = [0u8; 12];
        nb[..11].copy_from_slice(&counter.to_be_bytes()[5..16]);
        nb[11] = u8::from(last);
        key.seal_in_place_append_tag(Nonce::assume_unique_for_key(nb), Aad::empty(), &mut buf)
            .map_err(crypto_err)?;
        w.write_all(&buf)?;
        counter += 1;
        if last {
            break;
        }
    }
    w.flush()?;
    drop(w);
    out.sync_all()
}

/// `path` with `.age` appended.
pub fn age_path(path: &Path) -> PathBuf {
    let mut s = path.as_os_str().to_os_string();
    s.push(".age");
    PathBuf::from(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    // From the age specification's test vectors / age-keygen output format.
    const R: &str = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";

    #[test]
    fn parses_recipients_and_rejects_bad_ones() {
        let r: Recipient = R.parse().unwrap();
        assert_eq!(r.0.len(), 32);
        assert!(
            "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8q"
                .parse::<Recipient>()
                .is_err()
        );
        assert!(
            "bob1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"
                .parse::<Recipient>()
                .is_err()
        );
        assert!("age1".parse::<Recipient>().is_err());
    }

    #[test]
    fn writes_the_age_v1_layout() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("seg.log");
        let data = vec![b'a'; CHUNK + 10];
        std::fs::write(&p, &data).unwrap();
        let o = age_path(&p);
        encrypt_file(&p, &o, &[R.parse().unwrap()]).unwrap();
        let enc = std::fs::read(&o).unwrap();
        let text = String::from_utf8_lossy(&enc);
        assert!(text.starts_with("age-encryption.org/v1\n-> X25519 "));
        let hdr_end = enc.windows(4).position(|w| w == b"--- ").unwrap();
        let nl = hdr_end + enc[hdr_end..].iter().position(|&c| c == b'\n').unwrap() + 1;
        // nonce + two chunks with a 16-byte tag each.
        assert_eq!(enc.len() - nl, 16 + data.len() + 2 * 16);
        assert!(!enc.windows(16).any(|w| w == [b'a'; 16]));
    }
}
