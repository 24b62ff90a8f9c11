//! Phone number checks: national significant number lengths per country calling code (ITU-T E.164 assignments,
//! lengths as in libphonenumber's metadata), NANP area and exchange codes, extensions.
//!
//! Pure functions of the candidate bytes; they never look at context (the rules do) and never allocate beyond a
//! small digit buffer.

/// `(country code, shortest and longest national significant number)`. Codes not listed fall back to 4..=12.
const PLANS: &[(u16, u8, u8)] = &[
    (1, 10, 10),
    (7, 10, 10),
    (20, 8, 10),
    (27, 9, 9),
    (30, 10, 10),
    (31, 9, 9),
    (32, 8, 9),
    (33, 9, 9),
    (34, 9, 9),
    (36, 8, 9),
    (39, 6, 11),
    (40, 9, 9),
    (41, 9, 9),
    (43, 4, 13),
    (44, 7, 10),
    (45, 8, 8),
    (46, 7, 13),
    (47, 5, 8),
    (48, 9, 9),
    (49, 6, 13),
    (51, 8, 9),
    (52, 10, 10),
    (53, 6, 8),
    (54, 10, 11),
    (55, 10, 11),
    (56, 9, 9),
    (57, 8, 10),
    (58, 10, 10),
    (60, 8, 10),
    (61, 9, 9),
    (62, 7, 12),
    (63, 8, 10),
    (64, 8, 10),
    (65, 8, 8),
    (66, 8, 9),
    (81, 9, 10),
    (82, 8, 10),
    (84, 9, 10),
    (86, 10, 11),
    (90, 10, 10),
    (91, 10, 10),
    (92, 9, 10),
    (93, 9, 9),
    (94, 9, 9),
    (95, 7, 10),
    (98, 10, 10),
    (212, 9, 9),
    (213, 8, 9),
    (216, 8, 8),
    (220, 7, 7),
    (221, 9, 9),
    (225, 8, 10),
    (230, 7, 8),
    (233, 9, 9),
    (234, 8, 10),
    (237, 9, 9),
    (244, 9, 9),
    (249, 9, 9),
    (251, 9, 9),
    (254, 9, 10),
    (255, 9, 9),
    (256, 9, 9),
    (260, 9, 9),
    (263, 9, 10),
    (351, 9, 9),
    (352, 4, 11),
    (353, 7, 9),
    (354, 7, 9),
    (355, 8, 9),
    (356, 8, 8),
    (357, 8, 8),
    (358, 5, 12),
    (359, 8, 9),
    (370, 8, 8),
    (371, 8, 8),
    (372, 7, 8),
    (373, 8, 8),
    (374, 8, 8),
    (375, 9, 10),
    (376, 6, 9),
    (377, 8, 9),
    (380, 9, 9),
    (381, 8, 10),
    (382, 8, 8),
    (385, 8, 9),
    (386, 8, 8),
    (387, 8, 8),
    (389, 8, 8),
    (420, 9, 9),
    (421, 9, 9),
    (423, 7, 9),
    (852, 8, 8),
    (853, 8, 8),
    (855, 8, 9),
    (856, 8, 10),
    (880, 10, 10),
    (886, 8, 9),
    (960, 7, 7),
    (961, 7, 8),
    (962, 8, 9),
    (963, 8, 9),
    (964, 10, 10),
    (965, 8, 8),
    (966, 9, 9),
    (967, 7, 9),
    (968, 8, 8),
    (970, 9, 9),
    (971, 8, 9),
    (972, 8, 9),
    (973, 8, 8),
    (974, 8, 8),
    (975, 7, 8),
    (976, 8, 8),
    (977, 8, 10),
    (992, 9, 9),
    (993, 8, 8),
    (994, 9, 9),
    (995, 9, 9),
    (996, 9, 9),
    (998, 9, 9),
];

/// Two-digit country codes (E.164 codes are prefix-free: `1` and `7` have one digit, these two, the rest three).
const TWO_DIGIT: &[u16] = &[
    20, 27, 30, 31, 32, 33, 34, 36, 39, 40, 41, 43, 44, 45, 46, 47, 48, 49, 51, 52, 53, 54, 55, 56,
    57, 58, 60, 61, 62, 63, 64, 65, 66, 81, 82, 84, 86, 90, 91, 92, 93, 94, 95, 98,
];

/// The digits of a phone number without its extension (`x123`, `ext. 12`) and without a national trunk prefix
/// written in parentheses after the country code (`+44 (0)20 ...`).
pub(super) fn core_digits(s: &[u8]) -> Vec<u8> {
    let cut = s
        .iter()
        .position(|b| matches!(b, b'x' | b'X' | b'e' | b'E' | b'#'))
        .unwrap_or(s.len());
    let core = &s[..cut];
    let mut out = Vec::with_capacity(16);
    let mut i = 0;
    while i < core.len() {
        if core[i..].starts_with(b"(0)") && !out.is_empty() {
            i += 3;
            continue;
        }
        if core[i].is_ascii_digit() {
            out.push(core[i] - b'0');
        }
        i += 1;
    }
    out
}

/// Digit groups written with `-`, `.` or `/` like a date (2015-10-18, 18.10.2015) are not a phone number.
fn date_shaped(s: &[u8]) -> bool {
    let groups: Vec<usize> = s
        .split(|b| !b.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .map(<[u8]>::len)
        .collect();
    groups == [4, 2, 2] || groups == [2, 2, 4] || groups == [1, 2, 4] || groups == [2, 1, 4]
}

fn national_lengths(cc: u16) -> (usize, usize) {
    PLANS
        .iter()
        .find(|p| p.0 == cc)
        .map(|&(_, lo, hi)| (usize::from(lo), usize::from(hi)))
        .unwrap_or((4, 12))
}

/// Splits international digits (after `+` or `00`) into a country code and the national number.
fn split_cc(d: &[u8]) -> Option<(u16, &[u8])> {
    let first = *d.first()?;
    if first == 0 {
        return None;
    }
    if first == 1 || first == 7 {
        return Some((u16::from(first), &d[1..]));
    }
    let two = u16::from(first) * 10 + u16::from(*d.get(1)?);
    if TWO_DIGIT.contains(&two) {
        return Some((two, &d[2..]));
    }
    let three = two * 10 + u16::from(*d.get(2)?);
    Some((three, &d[3..]))
}

/// An international number (`+CC ...` or `00CC ...`) whose national part has a length the country uses.
fn international_ok(d: &[u8]) -> bool {
    let Some((cc, nsn)) = split_cc(d) else {
        return false;
    };
    let (lo, hi) = national_lengths(cc);
    (lo..=hi).contains(&nsn.len()) && (cc != 1 || nanp_ok(nsn))
}

/// NANP: area code and exchange code start with 2-9.
fn nanp_ok(d: &[u8]) -> bool {
    d.len() == 10 && d[0] >= 2 && d[3] >= 2
}

/// Any phone number next to phone context: 7-15 digits, not one repeated digit, not a date; international forms
/// must fit their country's numbering plan.
pub(super) fn phone(s: &[u8]) -> bool {
    let d = core_digits(s);
    if !(7..=15).contains(&d.len()) || d.iter().all(|&x| x == d[0]) || date_shaped(s) {
        return false;
    }
    if s.first() == Some(&b'+') {
        return international_ok(&d);
    }
    if d.len() > 9 && d[0] == 0 && d[1] == 0 {
        return international_ok(&d[2..]);
    }
    match d.len() {
        10 => true,
        // 1 + NANP, or a national number with its trunk prefix 0
        11 => d[0] == 1 || d[0] == 0,
        n => n >= 7,
    }
}

/// A North American number: optional `+1`, `1` or `001`, then a valid area code and exchange code.
pub(super) fn nanp(s: &[u8]) -> bool {
    let d = core_digits(s);
    if date_shaped(s) || d.iter().all(|&x| x == d[0]) {
        return false;
    }
    let rest: &[u8] = match d.len() {
        10 => &d,
        11 if d[0] == 1 => &d[1..],
        13 if d[..3] == [0, 0, 1] => &d[3..],
        _ => return false,
    };
    nanp_ok(rest)
}

/// An E.164 number written with `+`: a known country code and a national number of that country's length.
pub(super) fn e164(s: &[u8]) -> bool {
    let d = core_digits(s);
    s.first() == Some(&b'+') && (8..=15).contains(&d.len()) && international_ok(&d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_plans() {
        assert!(e164(b"+4915112345678"));
        assert!(e164(b"+34 912 34 56 78"));
        assert!(e164(b"+44 (0)20 7946 0958"));
        assert!(!e164(b"+3491234567"), "Spain has 9-digit numbers");
        assert!(!e164(b"+1 055 201 3344"), "NANP area codes start with 2-9");
        assert!(phone(b"090-1234-5678"));
        assert!(phone(b"0049 30 901820"));
        assert!(!phone(b"2015-10-18"));
    }

    #[test]
    fn nanp_forms() {
        assert!(nanp(b"555-201-3344x1234"));
        assert!(nanp(b"+1-555-201-3344"));
        assert!(nanp(b"001-555-201-3344"));
        assert!(nanp(b"(555)201-3344 ext. 12"));
        assert!(!nanp(b"155-201-3344"));
        assert!(!nanp(b"555-101-3344"));
    }
}
