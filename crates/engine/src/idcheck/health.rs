//! Health identifiers: UK NHS number, US NPI, Medicare MBI and DEA registration, Canadian provincial health
//! card numbers, the Australian healthcare identifiers.
//!
//! Pure checks; no I/O.

use super::checksum::{date_ok_yy, luhn, varied, weighted};
use super::{compact, digits, two};

/// UK NHS number: 10 digits, weights 10..2, check 11 - r (11 → 0, 10 never issued).
pub fn gb_nhs(s: &[u8]) -> bool {
    digits(s, 10).is_some_and(|d| {
        let check = match 11 - weighted(&d[..9], &[10, 9, 8, 7, 6, 5, 4, 3, 2]) % 11 {
            11 => 0,
            10 => return false,
            c => c,
        };
        varied(&d) && check == u32::from(d[9])
    })
}

/// US NPI: 10 digits starting 1 or 2, Luhn over 80840 followed by the number.
pub fn us_npi(s: &[u8]) -> bool {
    digits(s, 10).is_some_and(|d| {
        let mut full = vec![8, 0, 8, 4, 0];
        full.extend_from_slice(&d);
        matches!(d[0], 1 | 2) && varied(&d[1..]) && luhn(&full)
    })
}

/// US Medicare Beneficiary Identifier: C A AN N A AN N A A N N, letters without S, L, O, I, B, Z.
pub fn us_mbi(s: &[u8]) -> bool {
    let c: Vec<u8> = s.iter().filter(|&&b| b != b'-').copied().collect();
    if c.len() != 11 {
        return false;
    }
    let letter = |b: u8| b.is_ascii_uppercase() && !b"SLOIBZ".contains(&b);
    let digit = |b: u8| b.is_ascii_digit();
    c[0].is_ascii_digit()
        && c[0] != b'0'
        && letter(c[1])
        && (letter(c[2]) || digit(c[2]))
        && digit(c[3])
        && letter(c[4])
        && (letter(c[5]) || digit(c[5]))
        && digit(c[6])
        && letter(c[7])
        && letter(c[8])
        && digit(c[9])
        && digit(c[10])
}

/// US DEA registration number: registrant type letter, last-name initial (or 9), 6 digits and a check digit
/// ((d1 + d3 + d5) + 2 (d2 + d4 + d6)) mod 10.
pub fn us_dea(s: &[u8]) -> bool {
    if s.len() != 9
        || !b"ABCDEFGHJKLMPRSTUX".contains(&s[0])
        || !(s[1].is_ascii_uppercase() || s[1] == b'9')
        || !s[2..].iter().all(u8::is_ascii_digit)
    {
        return false;
    }
    let d: Vec<u32> = s[2..].iter().map(|b| u32::from(b - b'0')).collect();
    varied(&s[2..]) && (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10 == d[6]
}

/// Ontario health card (OHIP): 10 digits with a Luhn check digit, then an optional 2-letter version code.
pub fn ca_ohip(s: &[u8]) -> bool {
    let c = compact(s);
    let (num, version) = c.split_at(c.len().min(10));
    num.len() == 10
        && num.iter().all(u8::is_ascii_digit)
        && num[0] != b'0'
        && (version.is_empty()
            || (version.len() == 2 && version.iter().all(u8::is_ascii_uppercase)))
        && {
            let d: Vec<u8> = num.iter().map(|b| b - b'0').collect();
            varied(&d) && luhn(&d)
        }
}

/// British Columbia Personal Health Number: 10 digits starting 9, weights 2,4,8,5,10,9,7,3 mod 11.
pub fn ca_bc_phn(s: &[u8]) -> bool {
    digits(s, 10).is_some_and(|d| {
        let sum: u32 = d[1..9]
            .iter()
            .zip([2u32, 4, 8, 5, 10, 9, 7, 3])
            .map(|(&x, w)| u32::from(x) * w % 11)
            .sum();
        d[0] == 9 && varied(&d[1..]) && (11 - sum % 11) % 11 == u32::from(d[9])
    })
}

/// Quebec RAMQ health insurance number: 3 letters of the surname, 1 of the first name, YYMMDD (month + 50 for
/// women), a 2-digit sequence.
pub fn ca_ramq(s: &[u8]) -> bool {
    let c = compact(s);
    if c.len() != 12
        || !c[..4].iter().all(u8::is_ascii_uppercase)
        || !c[4..].iter().all(u8::is_ascii_digit)
    {
        return false;
    }
    let d: Vec<u8> = c[4..].iter().map(|b| b - b'0').collect();
    let month = two(&d, 2);
    let month = if month > 50 { month - 50 } else { month };
    date_ok_yy(two(&d, 0), month, two(&d, 4))
}

/// Australian Individual Healthcare Identifier (800360), HPI-I (800361) and HPI-O (800362): 16 digits, Luhn.
pub fn au_ihi(s: &[u8]) -> bool {
    digits(s, 16).is_some_and(|d| {
        d[..5] == [8, 0, 0, 3, 6] && (0..=2).contains(&d[5]) && varied(&d[6..]) && luhn(&d)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nhs() {
        assert!(gb_nhs(b"943 476 5919"), "the NHS Digital sample");
        assert!(!gb_nhs(b"943 476 5918"));
    }

    #[test]
    fn us() {
        assert!(us_npi(b"1234567893"), "the CMS sample");
        assert!(!us_npi(b"1234567894"));
        assert!(us_mbi(b"1EG4-TE5-MK73"), "the CMS sample");
        assert!(!us_mbi(b"1SG4-TE5-MK73"), "S is never used");
        assert!(!us_mbi(b"0EG4-TE5-MK73"));
        assert!(us_dea(b"AB1234563"));
        assert!(!us_dea(b"AB1234564"));
        assert!(!us_dea(b"QB1234563"), "Q is no registrant type");
    }

    #[test]
    fn canada_and_australia() {
        assert!(ca_ohip(b"1234-567-897 AB"));
        assert!(ca_ohip(b"1234567897"));
        assert!(!ca_ohip(b"1234-567-898 AB"));
        assert!(ca_bc_phn(b"9698 658 215"));
        assert!(!ca_bc_phn(b"9698 658 216"));
        assert!(ca_ramq(b"TREM 5506 1512"));
        assert!(!ca_ramq(b"TREM 5513 1512"));
        assert!(au_ihi(b"8003 6012 3456 7894"));
        assert!(au_ihi(b"8003619876543213"));
        assert!(!au_ihi(b"8003 6012 3456 7895"));
        assert!(
            !au_ihi(b"8004 6012 3456 7891"),
            "not a healthcare identifier prefix"
        );
    }
}
