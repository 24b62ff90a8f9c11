//! Travel and identity document numbers: the ICAO 9303 check digit, passport machine-readable zones, and the
//! shape of passport and driver's licence numbers taken from fields that name them.
//!
//! Pure checks; no I/O.

use super::alnum_value;
use super::checksum::date_ok_yy;
use super::compact;

/// ICAO 9303 check digit: weights 7, 3, 1 repeating, `<` counting 0.
pub fn icao_digit(chars: &[u8]) -> Option<u8> {
    let mut sum = 0u32;
    for (i, &b) in chars.iter().enumerate() {
        let v = if b == b'<' { 0 } else { alnum_value(b)? };
        sum += v * [7, 3, 1][i % 3];
    }
    Some((sum % 10) as u8)
}

fn icao_ok(chars: &[u8], check: u8) -> bool {
    let want = if check == b'<' {
        0
    } else {
        check.wrapping_sub(b'0')
    };
    icao_digit(chars) == Some(want)
}

/// A 9-character document number and its ICAO check digit (German Personalausweis and passport serials).
pub fn icao_document(s: &[u8]) -> bool {
    let c = compact(s);
    c.len() == 10
        && c[..9].iter().any(u8::is_ascii_digit)
        && c[9].is_ascii_digit()
        && icao_ok(&c[..9], c[9])
}

/// The second line of a TD3 (passport) MRZ: document number, nationality, birth date, sex, expiry, personal
/// number, each with its check digit, and the composite check digit.
pub fn mrz_td3(s: &[u8]) -> bool {
    if s.len() != 44
        || !s
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'<')
    {
        return false;
    }
    let birth = &s[13..19];
    if !birth.iter().all(u8::is_ascii_digit) || !s[21..27].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let b: Vec<u32> = birth.iter().map(|x| u32::from(x - b'0')).collect();
    if !date_ok_yy(b[0] * 10 + b[1], b[2] * 10 + b[3], b[4] * 10 + b[5]) {
        return false;
    }
    let mut composite = s[..10].to_vec();
    composite.extend_from_slice(&s[13..20]);
    composite.extend_from_slice(&s[21..43]);
    matches!(s[20], b'M' | b'F' | b'X' | b'<')
        && s[10..13]
            .iter()
            .all(|x| x.is_ascii_uppercase() || *x == b'<')
        && icao_ok(&s[..9], s[9])
        && icao_ok(&s[13..19], s[19])
        && icao_ok(&s[21..27], s[27])
        && icao_ok(&s[28..42], s[42])
        && icao_ok(&composite, s[43])
}

/// A passport number taken from a passport field: 6-9 letters and digits, at least one digit, not one repeated
/// character.
pub fn passport_number(s: &[u8]) -> bool {
    let c = compact(s);
    c.len() == s.len()
        && (6..=9).contains(&c.len())
        && c.iter().any(u8::is_ascii_digit)
        && c.iter().any(|&b| b != c[0])
}

/// A driver's licence number taken from a licence field: 4-20 letters and digits (spaces or dashes between
/// groups), at least one digit, not one repeated character.
pub fn licence_number(s: &[u8]) -> bool {
    let c = compact(s);
    (4..=20).contains(&c.len())
        && s.iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b' ' | b'-'))
        && c.iter().any(u8::is_ascii_digit)
        && c.iter().any(|&b| b != c[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icao_specimen() {
        // The ICAO 9303 part 4 specimen passport (Anna Maria Eriksson, Utopia).
        assert!(mrz_td3(b"L898902C36UTO7408122F1204159ZE184226B<<<<<10"));
        assert!(!mrz_td3(b"L898902C36UTO7408122F1204159ZE184226B<<<<<11"));
        assert!(!mrz_td3(b"L898902C46UTO7408122F1204159ZE184226B<<<<<10"));
        assert!(icao_document(b"L898902C36"));
        assert!(!icao_document(b"L898902C37"));
    }

    #[test]
    fn field_shapes() {
        assert!(passport_number(b"C01X00T47"));
        assert!(!passport_number(b"XXXXXXXXX"));
        assert!(!passport_number(b"unknown"));
        assert!(licence_number(b"D123-4567-8901"));
        assert!(!licence_number(b"n/a"));
    }
}
