//! The check-digit algorithms that many identifiers share (Luhn, Verhoeff, ISO 7064, weighted sums) and the
//! calendar check for dates written inside ids.
//!
//! Pure arithmetic over digit values (0-9, or character values where a scheme says so); nothing here knows which
//! identifier it serves and nothing allocates.

/// Luhn mod 10 over digit values, the last one being the check digit.
pub fn luhn(d: &[u8]) -> bool {
    luhn_sum(d) % 10 == 0
}

/// The Luhn check digit that completes `body`.
pub fn luhn_digit(body: &[u8]) -> u8 {
    let mut with = body.to_vec();
    with.push(0);
    ((10 - luhn_sum(&with) % 10) % 10) as u8
}

fn luhn_sum(d: &[u8]) -> u32 {
    d.iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            let x = u32::from(x);
            if i % 2 == 1 {
                let y = x * 2;
                if y > 9 {
                    y - 9
                } else {
                    y
                }
            } else {
                x
            }
        })
        .sum()
}

/// Luhn mod N over character values (0..n), the last one being the check character (GSTIN uses N = 36).
pub fn luhn_mod_n(values: &[u32], n: u32) -> bool {
    let sum: u32 = values
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &v)| {
            let a = v * if i % 2 == 1 { 2 } else { 1 };
            a / n + a % n
        })
        .sum();
    sum % n == 0
}

const VERHOEFF_D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/// Verhoeff (dihedral group D5) over digit values, the last one being the check digit.
pub fn verhoeff(d: &[u8]) -> bool {
    let mut c = 0u8;
    for (i, &x) in d.iter().rev().enumerate() {
        c = VERHOEFF_D[c as usize][VERHOEFF_P[i % 8][x as usize] as usize];
    }
    c == 0
}

/// ISO 7064 MOD 11,10 (German Steuer-ID, Croatian OIB, German VAT): the last digit completes the chain.
pub fn iso7064_mod11_10(d: &[u8]) -> bool {
    let Some((&check, body)) = d.split_last() else {
        return false;
    };
    let mut product = 10u32;
    for &x in body {
        let mut sum = (u32::from(x) + product) % 10;
        if sum == 0 {
            sum = 10;
        }
        product = (2 * sum) % 11;
    }
    (11 - product) % 10 == u32::from(check)
}

/// ISO 7064 MOD 11-2 check value (0-10, 10 written `X`) of digit values.
pub fn iso7064_mod11_2(body: &[u8]) -> u32 {
    let mut sum = 0u32;
    for &x in body {
        sum = ((sum + u32::from(x)) * 2) % 11;
    }
    (12 - sum) % 11
}

/// Σ weight·digit.
pub fn weighted(d: &[u8], w: &[u32]) -> u32 {
    d.iter().zip(w).map(|(&x, &w)| u32::from(x) * w).sum()
}

/// The remainder of a long decimal number (digit values) modulo `m`.
pub fn mod_of(d: &[u8], m: u32) -> u32 {
    d.iter().fold(0, |r, &x| (r * 10 + u32::from(x)) % m)
}

/// The number that digit values spell.
pub fn num(d: &[u8]) -> u64 {
    d.iter().fold(0, |r, &x| r * 10 + u64::from(x))
}

/// A real calendar date (proleptic Gregorian).
pub fn date_ok(year: u32, month: u32, day: u32) -> bool {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// A real date when only the last two digits of the year are known (19yy or 20yy).
pub fn date_ok_yy(yy: u32, month: u32, day: u32) -> bool {
    date_ok(1900 + yy, month, day) || date_ok(2000 + yy, month, day)
}

/// Not every digit the same (`000000000`, `111111111`): such runs are fillers, not identifiers.
pub fn varied(d: &[u8]) -> bool {
    d.iter().any(|&x| Some(&x) != d.first())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ds(s: &str) -> Vec<u8> {
        s.bytes().map(|b| b - b'0').collect()
    }

    #[test]
    fn luhn_and_its_digit() {
        assert!(luhn(&ds("79927398713")));
        assert!(!luhn(&ds("79927398710")));
        assert_eq!(luhn_digit(&ds("7992739871")), 3);
    }

    #[test]
    fn verhoeff_textbook_value() {
        assert!(verhoeff(&ds("2363")));
        assert!(!verhoeff(&ds("2364")));
        assert!(!verhoeff(&ds("3263")), "a transposition is caught");
    }

    #[test]
    fn iso7064() {
        assert!(iso7064_mod11_10(&ds("86095742719")));
        assert!(!iso7064_mod11_10(&ds("86095742718")));
        // ORCID's documented example 0000-0002-1825-0097 uses MOD 11-2.
        assert_eq!(iso7064_mod11_2(&ds("000000021825009")), 7);
    }

    #[test]
    fn calendar() {
        assert!(date_ok(2000, 2, 29));
        assert!(!date_ok(1900, 2, 29));
        assert!(!date_ok(2021, 4, 31));
        assert!(!date_ok(2021, 13, 1));
        assert!(date_ok_yy(0, 2, 29));
    }
}
