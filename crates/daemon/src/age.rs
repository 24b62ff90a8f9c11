//! Encryption at rest of closed segments in the `age` v1 format (<https://age-encryption.org/v1>) to X25519
//! recipients (`age1...`), with the `age` crate (the reference Rust implementation, shared with `rage`). Files
//! decrypt with the `age` / `rage` command line tools.
//!
//! The daemon holds only public keys: it cannot read what it wrote. This module never logs file contents or the
//! file key.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// An X25519 recipient.
#[derive(Clone)]
pub struct Recipient(age::x25519::Recipient);

impl std::fmt::Debug for Recipient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Recipient(age1...)")
    }
}

impl PartialEq for Recipient {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_string() == other.0.to_string()
    }
}

impl Eq for Recipient {}

/// A recipient string that is not a valid `age1...` X25519 recipient.
#[derive(Debug, thiserror::Error)]
#[error("not an age X25519 recipient (age1...): {0}")]
pub struct BadRecipient(String);

impl std::str::FromStr for Recipient {
    type Err = BadRecipient;

    /// Parses a Bech32 `age1...` string (checksum verified).
    fn from_str(s: &str) -> Result<Self, BadRecipient> {
        s.trim()
            .parse::<age::x25519::Recipient>()
            .map(Recipient)
            .map_err(|e| BadRecipient(e.to_string()))
    }
}

/// Encrypts `input` to `output` (created owner-only, must not exist), fsyncs it.
pub fn encrypt_file(input: &Path, output: &Path, recipients: &[Recipient]) -> std::io::Result<()> {
    let enc =
        age::Encryptor::with_recipients(recipients.iter().map(|r| &r.0 as &dyn age::Recipient))
            .map_err(std::io::Error::other)?;
    let mut inp = File::open(input)?;
    let mut out = crate::util::private_file()
        .write(true)
        .create_new(true)
        .open(output)?;
    {
        let buffered = std::io::BufWriter::with_capacity(64 * 1024, &mut out);
        let mut w = enc.wrap_output(buffered)?;
        std::io::copy(&mut inp, &mut w)?;
        w.finish()?.flush()?;
    }
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
    use std::io::Read;

    // From the age specification's test vectors / age-keygen output format.
    const R: &str = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";

    #[test]
    fn parses_recipients_and_rejects_bad_ones() {
        assert!(R.parse::<Recipient>().is_ok());
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
    fn round_trips_through_an_identity_and_is_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let id = age::x25519::Identity::generate();
        let r: Recipient = id.to_public().to_string().parse().unwrap();
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("seg.log");
        let data: Vec<u8> = (0..64 * 1024 + 10).map(|i| b'a' + (i % 26) as u8).collect();
        std::fs::write(&p, &data).unwrap();
        let o = age_path(&p);
        encrypt_file(&p, &o, &[r]).unwrap();
        let enc = std::fs::read(&o).unwrap();
        assert!(enc.starts_with(b"age-encryption.org/v1\n-> X25519 "));
        assert!(!enc.windows(26).any(|w| w == b"abcdefghijklmnopqrstuvwxyz"));
        assert_eq!(
            std::fs::metadata(&o).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let dec = age::Decryptor::new(&enc[..]).unwrap();
        let mut r = dec
            .decrypt(std::iter::once(&id as &dyn age::Identity))
            .unwrap();
        let mut back = Vec::new();
        r.read_to_end(&mut back).unwrap();
        assert_eq!(back, data);
        assert!(
            encrypt_file(&p, &o, &[R.parse().unwrap()]).is_err(),
            "existing output refused"
        );
    }
}
