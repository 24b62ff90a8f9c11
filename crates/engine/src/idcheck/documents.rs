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

/// The first line of a TD3 (passport) MRZ: `P`, a type character, the issuing state, then the holder's name
/// with `<<` between surname and given names (a given name must follow), padded with `<` to 44 characters.
pub fn mrz_td3_names(s: &[u8]) -> bool {
    s.len() == 44
        && s[0] == b'P'
        && (s[1].is_ascii_uppercase() || s[1] == b'<')
        && s[2..5].iter().all(|b| b.is_ascii_uppercase() || *b == b'<')
        && s[5..].iter().all(|b| b.is_ascii_uppercase() || *b == b'<')
        && s[5].is_ascii_uppercase()
        && s[5..]
            .windows(2)
            .position(|w| w == b"<<")
            .is_some_and(|p| s[5 + p..].iter().any(u8::is_ascii_uppercase))
}

/// UK (DVLA) driving licence number: 5 surname characters (`9`-padded), decade, month (+50 for women), day,
/// year, 2 initials (`9`-padded), a digit, 2 check characters.
pub fn gb_driving_licence(s: &[u8]) -> bool {
    let c = compact(s);
    if c.len() != 16
        || !c[..5].iter().all(|b| b.is_ascii_uppercase() || *b == b'9')
        || !c[0].is_ascii_uppercase()
        || !c[5..11].iter().all(u8::is_ascii_digit)
        || !c[11..13]
            .iter()
            .all(|b| b.is_ascii_uppercase() || *b == b'9')
        || !c[11].is_ascii_uppercase()
        || !c[13].is_ascii_digit()
        || !c[14..].iter().all(u8::is_ascii_alphanumeric)
    {
        return false;
    }
    let d: Vec<u32> = c[5..11].iter().map(|b| u32::from(b - b'0')).collect();
    let month = d[1] * 10 + d[2];
    let month = if month > 50 { month - 50 } else { month };
    date_ok_yy(d[0] * 10 + d[5], month, d[3] * 10 + d[4])
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
    fn mrz_names_and_uk_licence() {
        assert!(mrz_td3_names(
            b"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
        ));
        assert!(!mrz_td3_names(
            b"P<UTOERIKSSON<ANNA<MARIA<<<<<<<<<<<<<<<<<<<"
        ));
        assert!(!mrz_td3_names(
            b"P<UTOERIKSSONANNAMARIAXXXXXXXXXXXXXXXXXXXXXXX"
        ));
        assert!(
            gb_driving_licence(b"MORGA753116SM9IJ"),
            "the DVLA's sample layout"
        );
        assert!(gb_driving_licence(b"MORGA 753116 SM9IJ"));
        assert!(!gb_driving_licence(b"MORGA713316SM9IJ"), "month 13");
        assert!(!gb_driving_licence(b"12345753116SM9IJ"));
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
