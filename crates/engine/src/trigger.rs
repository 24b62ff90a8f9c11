//! Byte-class triggers: one pass over a line computes a few cheap shape features (digit runs, dotted digits,
//! colon groups, which bytes occur), and a keyword-less rule runs its regex only on lines whose features can hold
//! a match. This is what keeps rules such as cards, IPs and phones off most lines.
//!
//! Triggers must never reject a line the rule could match: each feature is a necessary condition of the rule's
//! pattern, documented next to the rule.

use crate::rules::TriggerConfig;

/// Shape features of one line.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Features {
    /// ASCII digits in the line.
    pub digits: usize,
    /// Longest run of digits where single spaces or dashes between digits do not break the run
    /// (`4111 1111-1111` counts 12).
    pub digit_run: usize,
    /// How many times a digit, a dot and a digit follow each other (`10.0.0.1` has 3).
    pub dotted: usize,
    /// Most colons in one white-space separated token; `::` counts as 8 (an IPv6 address needs 7, or `::`).
    pub colons: usize,
    /// Which bytes occur (a 256-bit set).
    present: [u64; 4],
}

impl Features {
    /// Computes the features of `line` in one pass.
    pub fn of(line: &[u8]) -> Features {
        let mut f = Features::default();
        let mut run = 0usize;
        let mut sep = false;
        let mut token_colons = 0usize;
        let (mut p1, mut p2) = (0u8, 0u8);
        for &b in line {
            f.present[(b >> 6) as usize] |= 1u64 << (b & 63);
            if b.is_ascii_digit() {
                f.digits += 1;
                run = if sep || p1.is_ascii_digit() {
                    run + 1
                } else {
                    1
                };
                sep = false;
                if run > f.digit_run {
                    f.digit_run = run;
                }
                if p1 == b'.' && p2.is_ascii_digit() {
                    f.dotted += 1;
                }
            } else if (b == b' ' || b == b'-') && p1.is_ascii_digit() {
                sep = true;
            } else {
                sep = false;
                run = 0;
                if b == b':' {
                    token_colons += if p1 == b':' { 8 } else { 1 };
                    if token_colons > f.colons {
                        f.colons = token_colons;
                    }
                } else if b == b' ' || b == b'\t' {
                    token_colons = 0;
                }
            }
            p2 = p1;
            p1 = b;
        }
        f
    }

    /// Does byte `b` occur?
    pub fn has(&self, b: u8) -> bool {
        self.present[(b >> 6) as usize] & (1u64 << (b & 63)) != 0
    }
}

/// A compiled trigger: every condition set must hold.
#[derive(Debug, Clone, Default)]
pub(crate) struct Trigger {
    digits: usize,
    digit_run: usize,
    dotted: usize,
    colons: usize,
    bytes: Vec<u8>,
}

impl Trigger {
    /// From the rule file's `trigger` table.
    pub fn new(c: &TriggerConfig) -> Trigger {
        Trigger {
            digits: c.digits.unwrap_or(0),
            digit_run: c.digit_run.unwrap_or(0),
            dotted: c.dotted.unwrap_or(0),
            colons: c.colons.unwrap_or(0),
            bytes: c.bytes.clone().unwrap_or_default().into_bytes(),
        }
    }

    /// Is at least one condition given?
    pub fn is_set(&self) -> bool {
        self.digits + self.digit_run + self.dotted + self.colons > 0 || !self.bytes.is_empty()
    }

    /// Can a line with these features hold a match?
    pub fn fires(&self, f: &Features) -> bool {
        f.digits >= self.digits
            && f.digit_run >= self.digit_run
            && f.dotted >= self.dotted
            && f.colons >= self.colons
            && (self.bytes.is_empty() || self.bytes.iter().any(|&b| f.has(b)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn features_of_typical_shapes() {
        let f = Features::of(b"card 4111 1111-1111 1111 at 10.0.0.1 fe80::1 18:01:47");
        assert_eq!(f.digit_run, 16);
        assert_eq!(f.dotted, 3);
        assert!(f.colons >= 8);
        assert!(f.has(b'.') && !f.has(b'@'));
        let g = Features::of(b"18:01:47 a--1 2");
        assert_eq!(g.colons, 2);
        assert_eq!(g.digit_run, 2, "`1 2`: one space joins digits");
    }
}
