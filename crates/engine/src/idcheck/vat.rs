//! EU VAT identification numbers: the two-letter prefix (EL for Greece) and each member state's length and
//! check digits, as the national tax administrations publish them (VIES lists the formats).
//!
//! Pure checks; no I/O. A country whose check digit is not public (Cyprus's letter aside) is checked on format.

use super::checksum::{iso7064_mod11_10, luhn, mod_of, varied, weighted};
use super::national_europe::{cz_birth_number, es_cif, es_dni, ie_ppsn, pt_nif};
use super::{compact, two};

/// An EU VAT number: prefix, then the country's format and check.
pub fn eu_vat(s: &[u8]) -> bool {
    let c = compact(s);
    if c.len() < 4 {
        return false;
    }
    let (cc, body) = c.split_at(2);
    let all_digits = body.iter().all(u8::is_ascii_digit);
    let d: Vec<u8> = if all_digits {
        body.iter().map(|b| b - b'0').collect()
    } else {
        Vec::new()
    };
    let n = d.len();
    let ok = match cc {
        b"AT" => at(body),
        b"BE" => all_digits && n == 10 && d[0] <= 1 && 97 - mod_of(&d[..8], 97) == two(&d, 8),
        b"BG" => all_digits && bg(&d),
        b"CY" => cy(body),
        b"CZ" => all_digits && cz(&d, body),
        b"DE" => all_digits && n == 9 && d[0] != 0 && iso7064_mod11_10(&d),
        b"DK" => {
            all_digits && n == 8 && d[0] != 0 && weighted(&d, &[2, 7, 6, 5, 4, 3, 2, 1]) % 11 == 0
        }
        b"EE" => all_digits && n == 9 && weighted(&d, &[3, 7, 1, 3, 7, 1, 3, 7, 1]) % 10 == 0,
        b"EL" => {
            all_digits
                && n == 9
                && weighted(&d[..8], &[256, 128, 64, 32, 16, 8, 4, 2]) % 11 % 10 == u32::from(d[8])
        }
        b"ES" => es_cif(body) || es_dni(body) || es_entity_nif(body),
        b"FI" => all_digits && n == 8 && weighted(&d, &[7, 9, 10, 5, 8, 4, 2, 1]) % 11 == 0,
        b"FR" => fr(body),
        b"HR" => all_digits && n == 11 && iso7064_mod11_10(&d),
        b"HU" => all_digits && n == 8 && weighted(&d, &[9, 7, 3, 1, 9, 7, 3, 1]) % 10 == 0,
        b"IE" => ie_ppsn(body) || ie_old(body),
        b"IT" => all_digits && n == 11 && it(&d),
        b"LT" => all_digits && lt(&d),
        b"LU" => all_digits && n == 8 && mod_of(&d[..6], 89) == two(&d, 6),
        b"LV" => {
            all_digits
                && n == 11
                && d[0] > 3
                && weighted(&d, &[9, 1, 4, 8, 3, 10, 2, 5, 7, 6, 1]) % 11 == 3
        }
        b"MT" => {
            all_digits && n == 8 && d[0] != 0 && weighted(&d, &[3, 4, 6, 7, 8, 9, 10, 1]) % 37 == 0
        }
        b"NL" => nl(body),
        b"PL" => {
            all_digits
                && n == 10
                && weighted(&d[..9], &[6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11 == u32::from(d[9])
        }
        b"PT" => pt_nif(body),
        b"RO" => all_digits && ro(&d),
        b"SE" => all_digits && n == 12 && &body[10..] == b"01" && luhn(&d[..10]),
        b"SI" => all_digits && n == 8 && si(&d),
        b"SK" => {
            all_digits
                && n == 10
                && d[0] != 0
                && matches!(d[2], 2 | 3 | 4 | 7 | 8 | 9)
                && mod_of(&d, 11) == 0
        }
        _ => false,
    };
    ok && varied(body)
}

/// Austria: U and 8 digits, the last a check over weights 1,2 with digit sums.
fn at(body: &[u8]) -> bool {
    if body.len() != 9 || body[0] != b'U' || !body[1..].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let d: Vec<u32> = body[1..].iter().map(|b| u32::from(b - b'0')).collect();
    let sum: u32 = d[..7]
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            if i % 2 == 1 {
                x * 2 / 10 + x * 2 % 10
            } else {
                x
            }
        })
        .sum();
    (10 - (sum + 4) % 10) % 10 == d[7]
}

/// Bulgaria: 9 digits (companies, weights 1..8 then 3..10) or 10 (people, the EGN weights).
fn bg(d: &[u8]) -> bool {
    match d.len() {
        9 => {
            let mut r = weighted(&d[..8], &[1, 2, 3, 4, 5, 6, 7, 8]) % 11;
            if r == 10 {
                r = weighted(&d[..8], &[3, 4, 5, 6, 7, 8, 9, 10]) % 11 % 10;
            }
            r == u32::from(d[8])
        }
        10 => weighted(&d[..9], &[2, 4, 8, 5, 10, 9, 7, 3, 6]) % 11 % 10 == u32::from(d[9]),
        _ => false,
    }
}

/// Cyprus: 8 digits (not starting 2 or 4, except 12) and a check letter.
fn cy(body: &[u8]) -> bool {
    if body.len() != 9 || !body[..8].iter().all(u8::is_ascii_digit) || !body[8].is_ascii_uppercase()
    {
        return false;
    }
    const ODD: [u32; 10] = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21];
    let sum: u32 = body[..8]
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let x = (b - b'0') as usize;
            if i % 2 == 0 {
                ODD[x]
            } else {
                x as u32
            }
        })
        .sum();
    body[8] == b'A' + (sum % 26) as u8
}

/// Czechia: 8 digits (companies, weights 8..2) or a birth number (9-10 digits).
fn cz(d: &[u8], body: &[u8]) -> bool {
    match d.len() {
        8 => {
            let r = weighted(&d[..7], &[8, 7, 6, 5, 4, 3, 2]) % 11;
            d[0] != 9 && (11 - r) % 10 == u32::from(d[7])
        }
        9 | 10 => cz_birth_number(body),
        _ => false,
    }
}

/// Spain: the NIF of entities starting K, L, M (DNI letter over 7 digits).
fn es_entity_nif(body: &[u8]) -> bool {
    if body.len() != 9 || !b"KLM".contains(&body[0]) {
        return false;
    }
    let mut v = b"0".to_vec();
    v.extend_from_slice(&body[1..]);
    es_dni(&v)
}

/// France: a 2-character key and the 9-digit SIREN; a numeric key is (12 + 3·(SIREN mod 97)) mod 97.
fn fr(body: &[u8]) -> bool {
    if body.len() != 11 || !body[2..].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let siren: Vec<u8> = body[2..].iter().map(|b| b - b'0').collect();
    if body[..2].iter().all(u8::is_ascii_digit) {
        let key = u32::from(body[0] - b'0') * 10 + u32::from(body[1] - b'0');
        key == (12 + 3 * mod_of(&siren, 97)) % 97
    } else {
        body[..2]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() && !matches!(b, b'I' | b'O'))
            && luhn(&siren)
    }
}

/// Ireland's pre-2013 format: digit, letter or `+`/`*`, 5 digits, check letter.
fn ie_old(body: &[u8]) -> bool {
    body.len() == 8
        && body[0].is_ascii_digit()
        && body[1].is_ascii_uppercase()
        && body[2..7].iter().all(u8::is_ascii_digit)
        && body[7].is_ascii_uppercase()
}

/// Italy: 7-digit company number, office code (001-100, 120, 121, 888, 999), Luhn.
fn it(d: &[u8]) -> bool {
    let office = u32::from(d[7]) * 100 + two(d, 8);
    d[..7].iter().any(|&x| x != 0)
        && (matches!(office, 1..=100) || matches!(office, 120 | 121 | 888 | 999))
        && luhn(d)
}

/// Lithuania: 9 digits (8th is 1) or 12 (11th is 1), the two-stage mod 11 of the personal codes.
fn lt(d: &[u8]) -> bool {
    let n = d.len();
    if !(n == 9 || n == 12) || d[n - 2] != 1 {
        return false;
    }
    let body = &d[..n - 1];
    let w1: Vec<u32> = (0..body.len()).map(|i| (i as u32 % 9) + 1).collect();
    let mut r = weighted(body, &w1) % 11;
    if r == 10 {
        let w2: Vec<u32> = (0..body.len()).map(|i| ((i as u32 + 2) % 9) + 1).collect();
        r = weighted(body, &w2) % 11;
    }
    r % 10 == u32::from(d[n - 1])
}

/// Netherlands: 9 digits, B, 2 digits; the old 11-proef or the mod 97 of the whole number (since 2020).
fn nl(body: &[u8]) -> bool {
    if body.len() != 12 || body[9] != b'B' {
        return false;
    }
    let digits_ok = body[..9].iter().chain(&body[10..]).all(u8::is_ascii_digit);
    if !digits_ok {
        return false;
    }
    let d: Vec<u8> = body[..9].iter().map(|b| b - b'0').collect();
    let proef = weighted(&d[..8], &[9, 8, 7, 6, 5, 4, 3, 2]) % 11 == u32::from(d[8]);
    // NL + number with letters as two-digit values (N = 23, L = 21, B = 11), mod 97 == 1.
    let mut r = mod_of(&[2, 3, 2, 1], 97);
    for &b in body {
        if b.is_ascii_digit() {
            r = (r * 10 + u32::from(b - b'0')) % 97;
        } else {
            r = (r * 100 + u32::from(b - b'A') + 10) % 97;
        }
    }
    proef || r == 1
}

/// Romania: 2-10 digits, the last a check over weights 7,5,3,2,1,7,5,3,2 aligned to the right.
fn ro(d: &[u8]) -> bool {
    let n = d.len();
    if !(2..=10).contains(&n) {
        return false;
    }
    const W: [u32; 9] = [7, 5, 3, 2, 1, 7, 5, 3, 2];
    let sum = weighted(&d[..n - 1], &W[10 - n..]);
    sum * 10 % 11 % 10 == u32::from(d[n - 1])
}

/// Slovenia: 8 digits (not starting 0), weights 8..2, check 11 - r (10 → 0, 11 invalid).
fn si(d: &[u8]) -> bool {
    let r = weighted(&d[..7], &[8, 7, 6, 5, 4, 3, 2]) % 11;
    let check = match 11 - r {
        11 => return false,
        10 => 0,
        c => c,
    };
    d[0] != 0 && check == u32::from(d[7])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_samples_pass_and_altered_ones_fail() {
        for good in [
            "ATU13585627",
            "BE0428759497",
            "DE136695976",
            "DK13585628",
            "EE100594102",
            "EL094259216",
            "ESB64717838",
            "FI20774740",
            "FR23334175221",
            "HR33392005961",
            "HU12892312",
            "IT00743110157",
            "LU15027442",
            "LV40003521600",
            "MT11679112",
            "NL004495445B01",
            "PL8567346215",
            "PT501964843",
            "RO18547290",
            "SE123456789701",
            "SI50223054",
            "SK2022749619",
            "CZ25123891",
            "LT119511515",
            "IE6433435F",
            "BG175074752",
            "CY10259033P",
        ] {
            assert!(eu_vat(good.as_bytes()), "{good}");
        }
        for bad in [
            "ATU13585628",
            "BE0428759498",
            "DE136695977",
            "DK13585629",
            "FI20774741",
            "FR23334175222",
            "IT00743110158",
            "NL004495446B01",
            "PL8567346216",
            "SE123456789702",
            "XX123456789",
        ] {
            assert!(!eu_vat(bad.as_bytes()), "{bad}");
        }
    }
}
