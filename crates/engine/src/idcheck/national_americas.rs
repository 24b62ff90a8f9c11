//! National identifiers and tax ids of the Americas: Canada, Brazil, Mexico, Argentina, Chile, the US.
//!
//! Pure checks of a candidate's format and check digits (sources: each rule's `source`); no I/O, no allocation
//! beyond the compacted copy of the candidate.

use super::checksum::{date_ok, luhn, varied, weighted};
use super::{compact, digits, two};

/// Canada Social Insurance Number: 9 digits, Luhn; 0 and 8 are not issued as first digits.
pub fn ca_sin(s: &[u8]) -> bool {
    digits(s, 9).is_some_and(|d| !matches!(d[0], 0 | 8) && varied(&d) && luhn(&d))
}

/// Brazil CPF: two mod-11 check digits over weights 10..2 and 11..2.
pub fn br_cpf(s: &[u8]) -> bool {
    let Some(d) = digits(s, 11) else {
        return false;
    };
    let dv = |n: usize| {
        let w: Vec<u32> = (2..=n as u32 + 1).rev().collect();
        (weighted(&d[..n], &w) * 10 % 11 % 10) as u8
    };
    varied(&d) && dv(9) == d[9] && dv(10) == d[10]
}

/// Brazil CNPJ: two mod-11 check digits over the weights 5..2,9..2 and 6..2,9..2.
pub fn br_cnpj(s: &[u8]) -> bool {
    let Some(d) = digits(s, 14) else {
        return false;
    };
    const W1: [u32; 12] = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
    const W2: [u32; 13] = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
    let dv = |w: &[u32]| {
        let r = weighted(&d[..w.len()], w) % 11;
        if r < 2 {
            0
        } else {
            (11 - r) as u8
        }
    };
    varied(&d) && dv(&W1) == d[12] && dv(&W2) == d[13]
}

/// The CURP/RFC character values: digits, letters with `Ñ` (written `&` in ASCII data) after `N`.
fn mx_value(b: u8) -> Option<u32> {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ ";
    ALPHABET.iter().position(|&a| a == b).map(|p| p as u32)
}

const MX_STATES: &[&[u8; 2]] = &[
    b"AS", b"BC", b"BS", b"CC", b"CH", b"CL", b"CM", b"CS", b"DF", b"DG", b"GR", b"GT", b"HG",
    b"JC", b"MC", b"MN", b"MS", b"NE", b"NL", b"NT", b"OC", b"PL", b"QR", b"QT", b"SL", b"SP",
    b"SR", b"TC", b"TL", b"TS", b"VZ", b"YN", b"ZS",
];

/// Mexico CURP: 4 letters, YYMMDD, sex H/M/X, state, 3 consonants, century character, check digit.
pub fn mx_curp(s: &[u8]) -> bool {
    let c = compact(s);
    if c.len() != 18
        || !c[..4].iter().all(u8::is_ascii_uppercase)
        || !c[4..10].iter().all(u8::is_ascii_digit)
        || !matches!(c[10], b'H' | b'M' | b'X')
        || !MX_STATES.iter().any(|st| st[..] == c[11..13])
        || !c[13..16]
            .iter()
            .all(|b| b.is_ascii_uppercase() && !b"AEIOU".contains(b))
        || !c[16].is_ascii_alphanumeric()
        || !c[17].is_ascii_digit()
    {
        return false;
    }
    let d: Vec<u32> = c[4..10].iter().map(|b| u32::from(b - b'0')).collect();
    let century = if c[16].is_ascii_digit() { 1900 } else { 2000 };
    if !date_ok(
        century + d[0] * 10 + d[1],
        d[2] * 10 + d[3],
        d[4] * 10 + d[5],
    ) {
        return false;
    }
    let Some(sum) = c[..17]
        .iter()
        .enumerate()
        .map(|(i, &b)| mx_value(b).map(|v| v * (18 - i as u32)))
        .sum::<Option<u32>>()
    else {
        return false;
    };
    (10 - sum % 10) % 10 == u32::from(c[17] - b'0')
}

/// Mexico RFC with homoclave: 3 (company) or 4 (person) letters, YYMMDD, 2 characters, mod-11 check character.
pub fn mx_rfc(s: &[u8]) -> bool {
    let c = compact_keep_amp(s);
    let letters = match c.len() {
        12 => 3,
        13 => 4,
        _ => return false,
    };
    if !c[..letters]
        .iter()
        .all(|b| b.is_ascii_uppercase() || *b == b'&')
        || !c[letters..letters + 6].iter().all(u8::is_ascii_digit)
        || !c[letters + 6..].iter().all(u8::is_ascii_alphanumeric)
    {
        return false;
    }
    let d: Vec<u32> = c[letters..letters + 6]
        .iter()
        .map(|b| u32::from(b - b'0'))
        .collect();
    if !date_ok(2000 + d[0] * 10 + d[1], d[2] * 10 + d[3], d[4] * 10 + d[5]) {
        return false;
    }
    // Companies are padded with a leading space to 12 characters before weighting 13..2.
    let mut padded = vec![b' '; 13 - c.len()];
    padded.extend_from_slice(&c[..c.len() - 1]);
    let Some(sum) = padded
        .iter()
        .enumerate()
        .map(|(i, &b)| mx_value(b).map(|v| v * (13 - i as u32)))
        .sum::<Option<u32>>()
    else {
        return false;
    };
    let check = (11 - sum % 11) % 11;
    let expect = if check == 10 {
        b'A'
    } else {
        b'0' + check as u8
    };
    c[c.len() - 1] == expect
}

fn compact_keep_amp(s: &[u8]) -> Vec<u8> {
    s.iter()
        .filter(|b| b.is_ascii_alphanumeric() || **b == b'&')
        .map(u8::to_ascii_uppercase)
        .collect()
}

/// Argentina CUIT/CUIL: type prefix (20, 23, 24, 27 people; 30, 33, 34 companies), 8 digits, mod-11 digit.
pub fn ar_cuit(s: &[u8]) -> bool {
    let Some(d) = digits(s, 11) else {
        return false;
    };
    if ![20, 23, 24, 25, 26, 27, 30, 33, 34].contains(&two(&d, 0)) {
        return false;
    }
    let r = weighted(&d[..10], &[5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11;
    let check = match r {
        0 => 0,
        1 => 9,
        r => 11 - r,
    };
    varied(&d[2..10]) && u32::from(d[10]) == check
}

/// Chile RUT/RUN: 7-8 digit body, check character from weights 2..7 from the right, mod 11 (10 is `K`).
pub fn cl_rut(s: &[u8]) -> bool {
    let c = compact(s);
    let Some((&check, body)) = c.split_last() else {
        return false;
    };
    if !(7..=8).contains(&body.len()) || !body.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let sum: u32 = body
        .iter()
        .rev()
        .enumerate()
        .map(|(i, b)| u32::from(b - b'0') * (2 + (i as u32 % 6)))
        .sum();
    let expect = match 11 - sum % 11 {
        11 => b'0',
        10 => b'K',
        v => b'0' + v as u8,
    };
    check == expect && varied(body)
}

/// US ITIN: area 9xx and a group in 50-65, 70-88, 90-92 or 94-99.
pub fn us_itin(s: &[u8]) -> bool {
    let Some(d) = digits(s, 9) else {
        return false;
    };
    let g = two(&d, 3);
    d[0] == 9 && matches!(g, 50..=65 | 70..=88 | 90..=92 | 94..=99) && varied(&d[5..])
}

/// US EIN: 9 digits whose first two are a prefix the IRS assigns.
pub fn us_ein(s: &[u8]) -> bool {
    let Some(d) = digits(s, 9) else {
        return false;
    };
    const PREFIXES: &[u32] = &[
        1, 2, 3, 4, 5, 6, 10, 11, 12, 13, 14, 15, 16, 20, 21, 22, 23, 24, 25, 26, 27, 30, 31, 32,
        33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 50, 51, 52, 53, 54, 55, 56,
        57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 71, 72, 73, 74, 75, 76, 77, 80, 81, 82, 83,
        84, 85, 86, 87, 88, 90, 91, 92, 93, 94, 95, 98, 99,
    ];
    PREFIXES.contains(&two(&d, 0)) && varied(&d[2..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canada_sin() {
        assert!(ca_sin(b"130 692 544"));
        assert!(!ca_sin(b"130 692 545"));
        assert!(!ca_sin(b"046 454 286"), "0 is only used for samples");
        assert!(!ca_sin(b"846454282"), "8 is not issued");
    }

    #[test]
    fn brazil() {
        assert!(br_cpf(b"111.444.777-35"));
        assert!(!br_cpf(b"111.444.777-36"));
        assert!(
            !br_cpf(b"111.111.111-11"),
            "one repeated digit passes mod 11 but is not issued"
        );
        assert!(br_cnpj(b"11.222.333/0001-81"));
        assert!(!br_cnpj(b"11.222.333/0001-82"));
    }

    #[test]
    fn mexico() {
        // python-stdnum's documented examples.
        assert!(mx_curp(b"BOXW310820HNERXN09"));
        assert!(!mx_curp(b"BOXW310820HNERXN08"));
        assert!(!mx_curp(b"BOXW311320HNERXN09"), "month 13");
        assert!(mx_rfc(b"GODE561231GR8"));
        assert!(!mx_rfc(b"GODE561231GR9"));
        assert!(!mx_rfc(b"GODE561331GR8"));
    }

    #[test]
    fn argentina_and_chile() {
        assert!(ar_cuit(b"20-05536168-2"));
        assert!(!ar_cuit(b"20-05536168-3"));
        assert!(!ar_cuit(b"10-05536168-2"), "10 is no type prefix");
        assert!(cl_rut(b"12.345.678-5"));
        assert!(!cl_rut(b"12.345.678-4"));
        assert!(cl_rut(b"12.345.670-K"));
        assert!(cl_rut(b"12345670k"), "a lower-case k is common");
    }

    #[test]
    fn us_taxpayer_numbers() {
        assert!(us_itin(b"912-70-1234"));
        assert!(!us_itin(b"912-69-1234"));
        assert!(!us_itin(b"812-70-1234"));
        assert!(us_ein(b"04-2103594"));
        assert!(!us_ein(b"07-2103594"), "07 is not assigned");
    }
}
