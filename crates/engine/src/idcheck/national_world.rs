//! National identifiers of Asia, Oceania, Africa and the Middle East: India, China, Japan, South Korea,
//! Australia, South Africa, Turkey, Saudi Arabia, Indonesia, Russia.
//!
//! Pure checks of a candidate's format, embedded birth date and check digits; no I/O.

use super::checksum::{
    date_ok, date_ok_yy, iso7064_mod11_2, luhn, luhn_mod_n, varied, verhoeff, weighted,
};
use super::{alnum_value, compact, digits, two};

/// India Aadhaar: 12 digits, first 2-9, Verhoeff; palindromes are not issued.
pub fn in_aadhaar(s: &[u8]) -> bool {
    digits(s, 12)
        .is_some_and(|d| d[0] >= 2 && verhoeff(&d) && !d.iter().eq(d.iter().rev()) && varied(&d))
}

/// India PAN: 3 letters, the holder type (P person, C company, H HUF, F firm, A AOP, T trust, B BOI, L local
/// authority, J juridical person, G government), the name initial, 4 digits (not 0000), a letter.
pub fn in_pan(s: &[u8]) -> bool {
    s.len() == 10
        && s[..5].iter().all(u8::is_ascii_uppercase)
        && b"ABCFGHJLPT".contains(&s[3])
        && s[5..9].iter().all(u8::is_ascii_digit)
        && &s[5..9] != b"0000"
        && s[9].is_ascii_uppercase()
}

/// India GSTIN: state code, the holder's PAN, entity number, `Z`, Luhn mod 36 check character.
pub fn in_gstin(s: &[u8]) -> bool {
    let c = compact(s);
    if c.len() != 15 || !c[..2].iter().all(u8::is_ascii_digit) || !in_pan(&c[2..12]) {
        return false;
    }
    let state = u32::from(c[0] - b'0') * 10 + u32::from(c[1] - b'0');
    if !(matches!(state, 1..=38) || state == 97 || state == 99) || c[12] == b'0' || c[13] != b'Z' {
        return false;
    }
    c.iter()
        .map(|&b| alnum_value(b))
        .collect::<Option<Vec<u32>>>()
        .is_some_and(|v| luhn_mod_n(&v, 36))
}

/// China resident identity number: 6-digit region (first digit 1-8), YYYYMMDD, 3-digit sequence, ISO 7064
/// MOD 11-2 check (`X` for 10).
pub fn cn_resident_id(s: &[u8]) -> bool {
    let c = compact(s);
    if c.len() != 18 || !c[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let d: Vec<u8> = c[..17].iter().map(|b| b - b'0').collect();
    let year = two(&d, 6) * 100 + two(&d, 8);
    if !(1..=8).contains(&d[0]) || !(1900..=2100).contains(&year) {
        return false;
    }
    if !date_ok(year, two(&d, 10), two(&d, 12)) {
        return false;
    }
    let check = iso7064_mod11_2(&d);
    c[17]
        == if check == 10 {
            b'X'
        } else {
            b'0' + check as u8
        }
}

/// Japan My Number (individual number): 12 digits, weights 6..2,7..2, check = -Σ mod 11 (0 for 10 and 11).
pub fn jp_my_number(s: &[u8]) -> bool {
    digits(s, 12).is_some_and(|d| {
        let sum = weighted(&d[..11], &[6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2]);
        let r = sum % 11;
        let check = if r <= 1 { 0 } else { 11 - r };
        varied(&d) && u32::from(d[11]) == check
    })
}

/// South Korea RRN: YYMMDD, a sex/century digit, a place code up to 96, check digit (weights 2..9,2..5).
pub fn kr_rrn(s: &[u8]) -> bool {
    let Some(d) = digits(s, 13) else {
        return false;
    };
    let century = match d[6] {
        1 | 2 | 5 | 6 => 1900,
        3 | 4 | 7 | 8 => 2000,
        _ => 1800,
    };
    if !date_ok(century + two(&d, 0), two(&d, 2), two(&d, 4)) || two(&d, 7) > 96 {
        return false;
    }
    let sum = weighted(&d[..12], &[2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]);
    (11 - sum % 11) % 10 == u32::from(d[12])
}

/// Australia Tax File Number: 9 digits, weights 1,4,3,7,5,8,6,9,10, sum divisible by 11.
pub fn au_tfn(s: &[u8]) -> bool {
    digits(s, 9)
        .is_some_and(|d| varied(&d) && weighted(&d, &[1, 4, 3, 7, 5, 8, 6, 9, 10]) % 11 == 0)
}

/// Australia Medicare card number: first digit 2-6, check digit (weights 1,3,7,9) as the 9th digit, an issue
/// number, optionally the individual reference number.
pub fn au_medicare(s: &[u8]) -> bool {
    let c = compact(s);
    if !(c.len() == 10 || c.len() == 11) || !c.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let d: Vec<u8> = c.iter().map(|b| b - b'0').collect();
    (2..=6).contains(&d[0])
        && d[9] != 0
        && weighted(&d[..8], &[1, 3, 7, 9, 1, 3, 7, 9]) % 10 == u32::from(d[8])
}

/// South Africa identity number: YYMMDD, 4-digit sequence, citizenship 0-2, a digit, Luhn.
pub fn za_id(s: &[u8]) -> bool {
    digits(s, 13)
        .is_some_and(|d| date_ok_yy(two(&d, 0), two(&d, 2), two(&d, 4)) && d[10] <= 2 && luhn(&d))
}

/// Turkey TC Kimlik No: 11 digits, not starting 0, two check digits.
pub fn tr_tckn(s: &[u8]) -> bool {
    let Some(d) = digits(s, 11) else {
        return false;
    };
    let odd: i32 = [0, 2, 4, 6, 8].iter().map(|&i| i32::from(d[i])).sum();
    let even: i32 = [1, 3, 5, 7].iter().map(|&i| i32::from(d[i])).sum();
    let c10 = (odd * 7 - even).rem_euclid(10);
    let c11 = d[..10].iter().map(|&x| i32::from(x)).sum::<i32>() % 10;
    d[0] != 0 && c10 == i32::from(d[9]) && c11 == i32::from(d[10])
}

/// Saudi Arabia national id (1…) or iqama (2…): 10 digits, Luhn.
pub fn sa_national_id(s: &[u8]) -> bool {
    digits(s, 10).is_some_and(|d| matches!(d[0], 1 | 2) && varied(&d[1..]) && luhn(&d))
}

/// Indonesia NIK: province code 11-94, regency, district, DDMMYY (day + 40 for women), serial not 0000.
pub fn id_nik(s: &[u8]) -> bool {
    digits(s, 16).is_some_and(|d| {
        let day = two(&d, 6);
        let day = if day > 40 { day - 40 } else { day };
        (11..=94).contains(&two(&d, 0))
            && date_ok_yy(two(&d, 10), two(&d, 8), day)
            && d[12..].iter().any(|&x| x != 0)
    })
}

/// Russia INN: 10 digits (organisations, one check digit) or 12 (people, two).
pub fn ru_inn(s: &[u8]) -> bool {
    let c = compact(s);
    if !c.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let d: Vec<u8> = c.iter().map(|b| b - b'0').collect();
    let check = |w: &[u32]| (weighted(&d, w) % 11 % 10) as u8;
    varied(&d)
        && match d.len() {
            10 => check(&[2, 4, 10, 3, 5, 9, 4, 6, 8]) == d[9],
            12 => {
                check(&[7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) == d[10]
                    && check(&[3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) == d[11]
            }
            _ => false,
        }
}

/// Russia SNILS: 9 digits and a 2-digit check number (Σ dᵢ·(9-i), mod 101, 100 → 00); checked above 001-001-998.
pub fn ru_snils(s: &[u8]) -> bool {
    let Some(d) = digits(s, 11) else {
        return false;
    };
    let n: u64 = d[..9].iter().fold(0, |a, &x| a * 10 + u64::from(x));
    if n <= 1_001_998 || !varied(&d[..9]) {
        return false;
    }
    let sum = weighted(&d[..9], &[9, 8, 7, 6, 5, 4, 3, 2, 1]);
    let check = match sum {
        0..=99 => sum,
        100 | 101 => 0,
        _ => match sum % 101 {
            100 => 0,
            r => r,
        },
    };
    check == two(&d, 9)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn india() {
        assert!(in_aadhaar(b"2341 2341 2346"));
        assert!(!in_aadhaar(b"2341 2341 2347"));
        assert!(!in_aadhaar(b"1234 1234 1234"), "must not start with 1");
        assert!(in_pan(b"ACUPA7085R"));
        assert!(!in_pan(b"ABMXA3211G"), "X is no holder type");
        assert!(!in_pan(b"ACUPA0000R"));
    }

    #[test]
    fn india_gstin() {
        assert!(in_gstin(b"27AAPFU0939F1ZV"), "python-stdnum's sample");
        assert!(!in_gstin(b"27AAPFU0939F1ZW"));
        assert!(!in_gstin(b"47AAPFU0939F1ZV"), "no state 47");
        assert!(!in_gstin(b"27AAPXU0939F1ZV"), "X is no PAN holder type");
    }

    #[test]
    fn china() {
        assert!(cn_resident_id(b"11010519491231002X"));
        assert!(cn_resident_id(b"360426199101010071"));
        assert!(!cn_resident_id(b"360426199101010072"));
        assert!(!cn_resident_id(b"360426199113010071"), "month 13");
    }

    #[test]
    fn japan_and_korea() {
        assert!(jp_my_number(b"6214 9832 0257"));
        assert!(!jp_my_number(b"6214 9832 0258"));
        assert!(kr_rrn(b"971013-9019902"));
        assert!(!kr_rrn(b"971013-9019903"));
        assert!(!kr_rrn(b"971313-9019902"));
    }

    #[test]
    fn australia() {
        assert!(au_tfn(b"123 456 782"));
        assert!(!au_tfn(b"123 456 781"));
        assert!(!au_tfn(b"999 999 999"));
        assert!(au_medicare(b"2123 45670 1"));
        assert!(!au_medicare(b"2123 45680 1"));
    }

    #[test]
    fn south_africa_turkey_saudi() {
        assert!(za_id(b"7503305044089"));
        assert!(!za_id(b"8503305044089"));
        assert!(tr_tckn(b"17291716060"));
        assert!(tr_tckn(b"10000000146"));
        assert!(!tr_tckn(b"17291716050"));
        assert!(sa_national_id(b"1045739206"));
        assert!(!sa_national_id(b"1045739207"));
        assert!(!sa_national_id(b"3000000004"), "only 1 and 2 are issued");
    }

    #[test]
    fn indonesia_and_russia() {
        assert!(id_nik(b"3171011708450001"));
        assert!(!id_nik(b"9971011708450001"));
        assert!(!id_nik(b"3171011713450001"), "month 13");
        assert!(ru_inn(b"123456789047"));
        assert!(ru_inn(b"1234567894"));
        assert!(!ru_inn(b"123456789037"));
        assert!(!ru_inn(b"1234567895"));
        assert!(ru_snils(b"112-233-445 95"));
        assert!(!ru_snils(b"112-233-445 96"));
    }
}
