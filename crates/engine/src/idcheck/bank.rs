//! Bank identifiers beyond IBAN and ABA (see `validate.rs` for those): SWIFT/BIC codes and the Mexican CLABE.
//!
//! Pure checks; no I/O.

use super::checksum::{varied, weighted};
use super::digits;

/// ISO 3166-1 alpha-2 codes (and XK, Kosovo, which SWIFT uses).
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ \
BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET \
FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR \
IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN \
MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY \
QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR \
TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW";

/// Is `cc` (two upper-case letters) an ISO 3166-1 country code?
pub fn is_country(cc: &[u8]) -> bool {
    cc.len() == 2 && COUNTRIES.split(' ').any(|c| c.as_bytes() == cc)
}

/// SWIFT/BIC (ISO 9362): 4-letter institution, ISO country, 2-character location (second not `0`, which marks
/// test codes), optional 3-character branch.
pub fn swift_bic(s: &[u8]) -> bool {
    (s.len() == 8 || s.len() == 11)
        && s[..6].iter().all(u8::is_ascii_uppercase)
        && s[6..]
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && is_country(&s[4..6])
        && s[7] != b'0'
}

/// Mexico CLABE: 18 digits (bank, branch, account), weights 3, 7, 1 mod 10 as the last digit.
pub fn mx_clabe(s: &[u8]) -> bool {
    digits(s, 18).is_some_and(|d| {
        let w: Vec<u32> = (0..17).map(|i| [3, 7, 1][i % 3]).collect();
        varied(&d[3..]) && (10 - weighted(&d[..17], &w) % 10) % 10 == u32::from(d[17])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bic() {
        assert!(swift_bic(b"DEUTDEFF"));
        assert!(swift_bic(b"NEDSZAJJXXX"));
        assert!(!swift_bic(b"DEUTQQFF"), "QQ is no country");
        assert!(!swift_bic(b"DEUTDEF0"), "test BIC");
        assert!(!swift_bic(b"DEUTDEFFX"));
    }

    #[test]
    fn clabe() {
        assert!(mx_clabe(b"002010077777777771"));
        assert!(!mx_clabe(b"002010077777777772"));
    }
}
