//! Crypto wallet addresses and keys with their checksums: Base58Check (Bitcoin, Litecoin, Dogecoin, Tron, XRP,
//! WIF and BIP-32 keys), Bech32/Bech32m segwit addresses, Ethereum's EIP-55 mixed case, Monero's block Base58.
//!
//! Pure checks; decoding goes through the `bs58` and `bech32` crates, hashing through `sha2` and `sha3`. A
//! candidate that does not decode is simply not an address.

use sha2::{Digest as _, Sha256};
use sha3::Keccak256;

/// The payload of a Base58Check string (version byte(s) included, checksum removed) if its double SHA-256
/// checksum holds.
fn base58check(s: &[u8], alphabet: &bs58::Alphabet) -> Option<Vec<u8>> {
    if s.len() > 120 {
        return None;
    }
    let mut raw = bs58::decode(s).with_alphabet(alphabet).into_vec().ok()?;
    if raw.len() < 5 {
        return None;
    }
    let check = raw.split_off(raw.len() - 4);
    let hash = Sha256::digest(Sha256::digest(&raw));
    (hash[..4] == check[..]).then_some(raw)
}

/// A 21-byte Base58Check address payload whose version byte is one of `versions`.
fn address_with_version(s: &[u8], versions: &[u8], alphabet: &bs58::Alphabet) -> bool {
    base58check(s, alphabet).is_some_and(|p| p.len() == 21 && versions.contains(&p[0]))
}

/// Bitcoin P2PKH (0x00, `1…`) or P2SH (0x05, `3…`).
pub fn btc_base58(s: &[u8]) -> bool {
    address_with_version(s, &[0x00, 0x05], bs58::Alphabet::BITCOIN)
}

/// Litecoin P2PKH (0x30, `L…`) or P2SH (0x32, `M…`).
pub fn ltc_base58(s: &[u8]) -> bool {
    address_with_version(s, &[0x30, 0x32], bs58::Alphabet::BITCOIN)
}

/// Dogecoin P2PKH (0x1e, `D…`) or P2SH (0x16, `9…`/`A…`).
pub fn doge_base58(s: &[u8]) -> bool {
    address_with_version(s, &[0x1e, 0x16], bs58::Alphabet::BITCOIN)
}

/// Tron (0x41, `T…`).
pub fn tron_address(s: &[u8]) -> bool {
    address_with_version(s, &[0x41], bs58::Alphabet::BITCOIN)
}

/// XRP Ledger classic address (0x00 in Ripple's alphabet, `r…`).
pub fn xrp_address(s: &[u8]) -> bool {
    address_with_version(s, &[0x00], bs58::Alphabet::RIPPLE)
}

/// Segwit address of Bitcoin (`bc`) or Litecoin (`ltc`): Bech32 for witness version 0, Bech32m above, with a
/// valid program length.
pub fn segwit(s: &[u8]) -> bool {
    let Ok(text) = std::str::from_utf8(s) else {
        return false;
    };
    match bech32::segwit::decode(text) {
        Ok((hrp, _, _)) => matches!(hrp.to_lowercase().as_str(), "bc" | "ltc"),
        Err(_) => false,
    }
}

/// EIP-55: letter `i` of the lower-case hex address is upper case iff nibble `i` of its Keccak-256 is >= 8.
fn eip55_ok(hex: &[u8]) -> bool {
    let lower: Vec<u8> = hex.iter().map(u8::to_ascii_lowercase).collect();
    let hash = Keccak256::digest(&lower);
    hex.iter().enumerate().all(|(i, &b)| {
        let nibble = (hash[i / 2] >> (if i % 2 == 0 { 4 } else { 0 })) & 0x0f;
        !b.is_ascii_alphabetic() || b.is_ascii_uppercase() == (nibble >= 8)
    })
}

fn eth_hex(s: &[u8]) -> Option<&[u8]> {
    let hex = s.strip_prefix(b"0x").or_else(|| s.strip_prefix(b"0X"))?;
    (hex.len() == 40 && hex.iter().all(u8::is_ascii_hexdigit)).then_some(hex)
}

fn mixed_case(hex: &[u8]) -> bool {
    hex.iter().any(u8::is_ascii_lowercase) && hex.iter().any(u8::is_ascii_uppercase)
}

/// Ethereum address: 0x and 40 hex digits, not all one digit; mixed case must carry a valid EIP-55 checksum.
pub fn eth_address(s: &[u8]) -> bool {
    eth_hex(s).is_some_and(|h| {
        h.iter().any(|&b| b != h[0])
            && h.iter().filter(|b| b.is_ascii_digit()).count() < 40
            && (!mixed_case(h) || eip55_ok(h))
    })
}

/// Ethereum address in mixed case whose EIP-55 checksum holds.
pub fn eth_checksummed(s: &[u8]) -> bool {
    eth_hex(s).is_some_and(|h| mixed_case(h) && eip55_ok(h))
}

/// Monero's Base58: 8-byte blocks become 11 characters; a last partial block of n bytes becomes
/// `ENCODED[n]` characters.
fn monero_base58_decode(s: &[u8]) -> Option<Vec<u8>> {
    const ENCODED: [usize; 9] = [0, 2, 3, 5, 6, 7, 9, 10, 11];
    const ALPHABET: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    let mut out = Vec::with_capacity(s.len() * 8 / 11 + 8);
    for block in s.chunks(11) {
        let size = ENCODED.iter().position(|&n| n == block.len())?;
        let mut value: u128 = 0;
        for &c in block {
            let digit = ALPHABET.iter().position(|&a| a == c)? as u128;
            value = value * 58 + digit;
        }
        if size < 8 && value >> (8 * size) != 0 || value > u128::from(u64::MAX) {
            return None;
        }
        out.extend_from_slice(&value.to_be_bytes()[16 - size..]);
    }
    Some(out)
}

/// Monero standard address (network byte 0x12, `4…`) or subaddress (0x2a, `8…`): 95 characters, spend and view
/// keys, the first 4 bytes of Keccak-256 as checksum.
pub fn monero_address(s: &[u8]) -> bool {
    if s.len() != 95 {
        return false;
    }
    monero_base58_decode(s).is_some_and(|d| {
        d.len() == 69 && matches!(d[0], 0x12 | 0x2a) && Keccak256::digest(&d[..65])[..4] == d[65..]
    })
}

/// Bitcoin WIF private key: version 0x80, 32 key bytes, and 0x01 when the public key is compressed.
pub fn btc_wif(s: &[u8]) -> bool {
    base58check(s, bs58::Alphabet::BITCOIN)
        .is_some_and(|p| p[0] == 0x80 && (p.len() == 33 || (p.len() == 34 && p[33] == 0x01)))
}

fn bip32(s: &[u8], versions: &[[u8; 4]]) -> Option<Vec<u8>> {
    base58check(s, bs58::Alphabet::BITCOIN)
        .filter(|p| p.len() == 78 && versions.iter().any(|v| p[..4] == v[..]))
}

/// BIP-32 extended private key (xprv, yprv, zprv, tprv): 78 bytes whose key data starts with 0x00.
pub fn bip32_private(s: &[u8]) -> bool {
    const V: [[u8; 4]; 4] = [
        [0x04, 0x88, 0xAD, 0xE4],
        [0x04, 0x9D, 0x78, 0x78],
        [0x04, 0xB2, 0x43, 0x0C],
        [0x04, 0x35, 0x83, 0x94],
    ];
    bip32(s, &V).is_some_and(|p| p[45] == 0x00)
}

/// BIP-32 extended public key (xpub, ypub, zpub, tpub): 78 bytes whose key is a compressed point (02/03).
pub fn bip32_public(s: &[u8]) -> bool {
    const V: [[u8; 4]; 4] = [
        [0x04, 0x88, 0xB2, 0x1E],
        [0x04, 0x9D, 0x7C, 0xB2],
        [0x04, 0xB2, 0x47, 0x46],
        [0x04, 0x35, 0x87, 0xCF],
    ];
    bip32(s, &V).is_some_and(|p| matches!(p[45], 0x02 | 0x03))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bitcoin_base58check() {
        assert!(
            btc_base58(b"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"),
            "the genesis block address"
        );
        assert!(!btc_base58(b"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb"));
        assert!(
            btc_base58(b"3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy"),
            "the BIP-13 style example"
        );
        assert!(
            !ltc_base58(b"1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"),
            "wrong version for Litecoin"
        );
    }

    #[test]
    fn segwit_bech32_and_bech32m() {
        assert!(
            segwit(b"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4"),
            "BIP-173 test vector"
        );
        assert!(
            segwit(b"bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0"),
            "BIP-350 test vector"
        );
        assert!(!segwit(b"bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5"));
        // A version 1 program with a Bech32 (not Bech32m) checksum is invalid under BIP-350.
        assert!(!segwit(
            b"bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx"
        ));
    }

    #[test]
    fn ethereum_eip55() {
        assert!(
            eth_checksummed(b"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"),
            "EIP-55 test vector"
        );
        assert!(
            eth_checksummed(b"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"),
            "EIP-55 test vector"
        );
        assert!(!eth_checksummed(
            b"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"
        ));
        assert!(eth_address(b"0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"));
        assert!(!eth_address(b"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"));
        assert!(!eth_address(b"0x0000000000000000000000000000000000000000"));
    }

    #[test]
    fn monero() {
        assert!(monero_address(b"44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A"), "the Monero project's donation address");
        assert!(!monero_address(b"44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3B"));
    }

    #[test]
    fn keys() {
        assert!(
            btc_wif(b"5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ"),
            "the Bitcoin wiki's WIF example"
        );
        assert!(!btc_wif(
            b"5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTK"
        ));
        assert!(!btc_base58(
            b"5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ"
        ));
    }
}
