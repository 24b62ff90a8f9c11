//! Identifier validators: national ids and tax ids, bank, health and document numbers, crypto wallet addresses.
//!
//! Each check is a pure function of the candidate bytes (plus the bytes around it, to reject digit runs glued to
//! other numbers); it decides, it never rewrites, and it never keeps or reports the value. Rule files name a
//! check by its snake_case name (`validator = "br_cpf"`); [`IdValidator`] is the one place that lists them.

mod bank;
mod checksum;
mod documents;
mod health;
mod national_americas;
mod national_europe;
mod national_world;
mod vat;
mod wallet;

use serde::{Deserialize, Serialize};

/// The identifier checks a rule can name as its `validator`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdValidator {
    // The Americas.
    /// Canada SIN: 9 digits, Luhn, first digit 1-7 or 9.
    CaSin,
    /// Brazil CPF: 11 digits, two mod-11 check digits.
    BrCpf,
    /// Brazil CNPJ: 14 digits, two mod-11 check digits.
    BrCnpj,
    /// Mexico CURP: 18 characters, birth date, sex, state, check digit.
    MxCurp,
    /// Mexico RFC: 12 (company) or 13 (person) characters, date, mod-11 check character.
    MxRfc,
    /// Argentina CUIT/CUIL: 11 digits, type prefix, mod-11.
    ArCuit,
    /// Chile RUT/RUN: body and mod-11 check character (0-9, K).
    ClRut,
    /// US ITIN: 9xx-(50-65|70-88|90-92|94-99)-xxxx.
    UsItin,
    /// US EIN: 9 digits with an IRS campus prefix.
    UsEin,
    // Asia, Oceania, Africa, Middle East.
    /// India Aadhaar: 12 digits, not starting 0/1, Verhoeff.
    InAadhaar,
    /// India PAN: AAAAA9999A with a holder-type fourth letter.
    InPan,
    /// India GSTIN: state code, PAN, entity number, `Z`, Luhn mod 36 check character.
    InGstin,
    /// China resident identity number: region, birth date, ISO 7064 MOD 11-2.
    CnResidentId,
    /// Japan My Number: 12 digits, mod-11 check digit.
    JpMyNumber,
    /// South Korea RRN: birth date, sex/century digit, check digit.
    KrRrn,
    /// Australia TFN: 9 digits, weighted mod 11.
    AuTfn,
    /// Australia Medicare card number: 10-11 digits, weighted check digit.
    AuMedicare,
    /// South Africa id number: birth date, citizenship digit, Luhn.
    ZaId,
    /// Turkey TC Kimlik: 11 digits, two check digits.
    TrTckn,
    /// Saudi Arabia national/iqama id: 10 digits starting 1 or 2, Luhn.
    SaNationalId,
    /// Indonesia NIK: province code, birth date (day + 40 for women), serial.
    IdNik,
    /// Russia INN: 10 or 12 digits with their check digits.
    RuInn,
    /// Russia SNILS: 11 digits, mod-101 check number.
    RuSnils,
    // Europe.
    /// Germany Steuer-ID: 11 digits, digit repetition rule, ISO 7064 MOD 11,10.
    DeSteuerId,
    /// France NIR (INSEE number): sex, birth year/month, department, mod-97 key.
    FrNir,
    /// France SIREN (9 digits) or SIRET (14): Luhn (La Poste: digit sum divisible by 5).
    FrSiren,
    /// Spain DNI or NIE: 8 digits (or X/Y/Z + 7) and the mod-23 letter.
    EsDni,
    /// Spain CIF/NIF of companies: type letter, 7 digits, check digit or letter.
    EsCif,
    /// Italy codice fiscale: 16 characters with the birth date inside and a check letter (omocodia allowed).
    ItCodiceFiscale,
    /// Netherlands BSN: 9 digits, 11-proef.
    NlBsn,
    /// Belgium national register number: birth date, serial, mod-97.
    BeNationalNumber,
    /// Poland PESEL: birth date (century in the month), weighted check digit.
    PlPesel,
    /// Sweden personnummer / samordningsnummer: birth date, Luhn.
    SePersonnummer,
    /// Denmark CPR: birth date and the century rule of the seventh digit.
    DkCpr,
    /// Finland HETU: birth date, century sign, mod-31 check character.
    FiHetu,
    /// Norway fødselsnummer / D-number: birth date, two mod-11 check digits.
    NoFodselsnummer,
    /// Portugal NIF: 9 digits, type prefix, mod-11.
    PtNif,
    /// Ireland PPSN: 7 digits, mod-23 check letter, optional second letter.
    IePpsn,
    /// Austria social insurance number: serial, check digit, birth date.
    AtSvnr,
    /// Czech/Slovak birth number: birth date (month + 50/20), divisible by 11.
    CzBirthNumber,
    /// Romania CNP: sex/century, birth date, county, weighted check digit.
    RoCnp,
    /// Greece AMKA: birth date, Luhn.
    GrAmka,
    /// Hungary tax id (adóazonosító jel): 8, days since 1867, weighted mod 11.
    HuTaxId,
    /// Hungary TAJ (social insurance): 9 digits, 3-7 weighted mod 10.
    HuTaj,
    /// Bulgaria EGN: birth date (century in the month), weighted mod 11.
    BgEgn,
    /// Croatia OIB: 11 digits, ISO 7064 MOD 11,10.
    HrOib,
    /// Slovenia EMŠO: birth date, region, weighted mod 11.
    SiEmso,
    /// Estonia isikukood and Lithuania asmens kodas: sex/century, birth date, two-stage mod 11.
    BalticPersonalCode,
    /// Latvia personas kods: birth date and century digit (or 32… since 2017), check digit.
    LvPersonalCode,
    /// Luxembourg matricule: birth date, Luhn and Verhoeff check digits.
    LuMatricule,
    /// EU VAT number: country prefix and that country's length and check digits.
    EuVat,
    // Documents.
    /// ICAO 9303 document number: 9 characters and the 7-3-1 check digit (German Personalausweis).
    IcaoDocument,
    /// ICAO 9303 TD3 passport MRZ second line with its four check digits and the composite one.
    MrzTd3,
    /// ICAO 9303 TD3 passport MRZ first line: type, issuing state, the holder's names.
    MrzTd3Names,
    /// UK (DVLA) driving licence number: surname, birth date, initials, check characters.
    GbDrivingLicence,
    /// A passport number under a passport key: 6-9 letters and digits with at least one digit.
    PassportNumber,
    /// A driver's licence number under a licence key: 4-20 letters and digits with at least one digit.
    LicenceNumber,
    // Bank.
    /// SWIFT/BIC: bank code, a real ISO country, location, optional branch.
    SwiftBic,
    /// Mexico CLABE: 18 digits, 3-7-1 weighted check digit.
    MxClabe,
    // Health.
    /// UK NHS number: 10 digits, mod 11.
    GbNhs,
    /// US NPI: 10 digits starting 1 or 2, Luhn with the 80840 prefix.
    UsNpi,
    /// US Medicare Beneficiary Identifier: 11 characters, each position's character class.
    UsMbi,
    /// US DEA registration: type letter, initial, 7 digits with the check digit.
    UsDea,
    /// Ontario health card (OHIP): 10 digits, Luhn, optional version letters.
    CaOhip,
    /// British Columbia PHN: 10 digits starting 9, weighted mod 11.
    CaBcPhn,
    /// Quebec RAMQ health insurance number: 4 letters, birth date (month + 50 for women), 2 digits.
    CaRamq,
    /// Australia Individual Healthcare Identifier (800360…), HPI-I, HPI-O: 16 digits, Luhn.
    AuIhi,
    // Crypto.
    /// Bitcoin legacy address: Base58Check, version 0x00 (P2PKH) or 0x05 (P2SH).
    BtcBase58,
    /// Segwit address (bc1…, ltc1…): Bech32 for version 0, Bech32m for later versions.
    Segwit,
    /// Litecoin legacy address: Base58Check, version 0x30 (L) or 0x32 (M).
    LtcBase58,
    /// Dogecoin address: Base58Check, version 0x1e (D) or 0x16 (9/A).
    DogeBase58,
    /// Tron address: Base58Check, version 0x41 (T).
    TronAddress,
    /// XRP Ledger classic address: Base58Check in Ripple's alphabet, version 0x00 (r).
    XrpAddress,
    /// Ethereum address: 0x and 40 hex digits; mixed case must carry a valid EIP-55 checksum.
    EthAddress,
    /// Ethereum address in mixed case with a valid EIP-55 checksum.
    EthChecksummed,
    /// Monero standard address or subaddress: Monero's block Base58 with a Keccak-256 checksum.
    MoneroAddress,
    /// Bitcoin WIF private key: Base58Check, version 0x80.
    BtcWif,
    /// BIP-32 extended private key (xprv/yprv/zprv/tprv): Base58Check, 78 bytes.
    Bip32Private,
    /// BIP-32 extended public key (xpub/ypub/zpub/tpub): Base58Check, 78 bytes.
    Bip32Public,
}

/// Runs check `v` on `line[start..end]`.
pub(crate) fn check(v: IdValidator, line: &[u8], start: usize, end: usize) -> bool {
    use IdValidator as V;
    let s = &line[start..end];
    // Wallet strings carry their own checksums and often sit in paths (`wpkh(xpub…/0/*)`): no neighbour rule.
    let wallet: Option<fn(&[u8]) -> bool> = match v {
        V::BtcBase58 => Some(wallet::btc_base58),
        V::Segwit => Some(wallet::segwit),
        V::LtcBase58 => Some(wallet::ltc_base58),
        V::DogeBase58 => Some(wallet::doge_base58),
        V::TronAddress => Some(wallet::tron_address),
        V::XrpAddress => Some(wallet::xrp_address),
        V::EthAddress => Some(wallet::eth_address),
        V::EthChecksummed => Some(wallet::eth_checksummed),
        V::MoneroAddress => Some(wallet::monero_address),
        V::BtcWif => Some(wallet::btc_wif),
        V::Bip32Private => Some(wallet::bip32_private),
        V::Bip32Public => Some(wallet::bip32_public),
        _ => None,
    };
    if let Some(f) = wallet {
        return f(s);
    }
    if !isolated(line, start, end) {
        return false;
    }
    match v {
        V::CaSin => national_americas::ca_sin(s),
        V::BrCpf => national_americas::br_cpf(s),
        V::BrCnpj => national_americas::br_cnpj(s),
        V::MxCurp => national_americas::mx_curp(s),
        V::MxRfc => national_americas::mx_rfc(s),
        V::ArCuit => national_americas::ar_cuit(s),
        V::ClRut => national_americas::cl_rut(s),
        V::UsItin => national_americas::us_itin(s),
        V::UsEin => national_americas::us_ein(s),
        V::InAadhaar => national_world::in_aadhaar(s),
        V::InPan => national_world::in_pan(s),
        V::InGstin => national_world::in_gstin(s),
        V::CnResidentId => national_world::cn_resident_id(s),
        V::JpMyNumber => national_world::jp_my_number(s),
        V::KrRrn => national_world::kr_rrn(s),
        V::AuTfn => national_world::au_tfn(s),
        V::AuMedicare => national_world::au_medicare(s),
        V::ZaId => national_world::za_id(s),
        V::TrTckn => national_world::tr_tckn(s),
        V::SaNationalId => national_world::sa_national_id(s),
        V::IdNik => national_world::id_nik(s),
        V::RuInn => national_world::ru_inn(s),
        V::RuSnils => national_world::ru_snils(s),
        V::DeSteuerId => national_europe::de_steuer_id(s),
        V::FrNir => national_europe::fr_nir(s),
        V::FrSiren => national_europe::fr_siren(s),
        V::EsDni => national_europe::es_dni(s),
        V::EsCif => national_europe::es_cif(s),
        V::ItCodiceFiscale => national_europe::it_codice_fiscale(s),
        V::NlBsn => national_europe::nl_bsn(s),
        V::BeNationalNumber => national_europe::be_national_number(s),
        V::PlPesel => national_europe::pl_pesel(s),
        V::SePersonnummer => national_europe::se_personnummer(s),
        V::DkCpr => national_europe::dk_cpr(s),
        V::FiHetu => national_europe::fi_hetu(s),
        V::NoFodselsnummer => national_europe::no_fodselsnummer(s),
        V::PtNif => national_europe::pt_nif(s),
        V::IePpsn => national_europe::ie_ppsn(s),
        V::AtSvnr => national_europe::at_svnr(s),
        V::CzBirthNumber => national_europe::cz_birth_number(s),
        V::RoCnp => national_europe::ro_cnp(s),
        V::GrAmka => national_europe::gr_amka(s),
        V::HuTaxId => national_europe::hu_tax_id(s),
        V::HuTaj => national_europe::hu_taj(s),
        V::BgEgn => national_europe::bg_egn(s),
        V::HrOib => national_europe::hr_oib(s),
        V::SiEmso => national_europe::si_emso(s),
        V::BalticPersonalCode => national_europe::baltic_personal_code(s),
        V::LvPersonalCode => national_europe::lv_personal_code(s),
        V::LuMatricule => national_europe::lu_matricule(s),
        V::EuVat => vat::eu_vat(s),
        V::IcaoDocument => documents::icao_document(s),
        V::MrzTd3 => documents::mrz_td3(s),
        V::MrzTd3Names => documents::mrz_td3_names(s),
        V::GbDrivingLicence => documents::gb_driving_licence(s),
        V::PassportNumber => documents::passport_number(s),
        V::LicenceNumber => documents::licence_number(s),
        V::SwiftBic => bank::swift_bic(s),
        V::MxClabe => bank::mx_clabe(s),
        V::GbNhs => health::gb_nhs(s),
        V::UsNpi => health::us_npi(s),
        V::UsMbi => health::us_mbi(s),
        V::UsDea => health::us_dea(s),
        V::CaOhip => health::ca_ohip(s),
        V::CaBcPhn => health::ca_bc_phn(s),
        V::CaRamq => health::ca_ramq(s),
        V::AuIhi => health::au_ihi(s),
        // Handled above.
        V::BtcBase58
        | V::Segwit
        | V::LtcBase58
        | V::DogeBase58
        | V::TronAddress
        | V::XrpAddress
        | V::EthAddress
        | V::EthChecksummed
        | V::MoneroAddress
        | V::BtcWif
        | V::Bip32Private
        | V::Bip32Public => false,
    }
}

/// Rejects candidates glued to other numbers: `blk_-6952295868487656571`, `1.44051401359`, `44051401359.5`,
/// `2024-44051401359`. Separators inside the candidate are the pattern's business.
fn isolated(line: &[u8], start: usize, end: usize) -> bool {
    if start >= 2 {
        let (p2, p1) = (line[start - 2], line[start - 1]);
        if p1 == b'-' && (p2.is_ascii_alphanumeric() || p2 == b'_') {
            return false;
        }
        if matches!(p1, b'.' | b',' | b'/') && p2.is_ascii_digit() {
            return false;
        }
    }
    if end + 1 < line.len() {
        let (n1, n2) = (line[end], line[end + 1]);
        if matches!(n1, b'.' | b',' | b'-' | b'/') && n2.is_ascii_digit() {
            return false;
        }
    }
    true
}

/// The letters (upper-cased) and digits of a candidate, separators (space, `-`, `.`, `/`) dropped.
fn compact(s: &[u8]) -> Vec<u8> {
    s.iter()
        .filter(|b| b.is_ascii_alphanumeric())
        .map(u8::to_ascii_uppercase)
        .collect()
}

/// The digit values of a candidate made of digits and separators only, with exactly `len` digits.
fn digits(s: &[u8], len: usize) -> Option<Vec<u8>> {
    let c = compact(s);
    (c.len() == len && c.iter().all(u8::is_ascii_digit))
        .then(|| c.iter().map(|b| b - b'0').collect())
}

/// Two digit values as a number.
fn two(d: &[u8], at: usize) -> u32 {
    u32::from(d[at]) * 10 + u32::from(d[at + 1])
}

/// The value of an ASCII digit or letter in the ICAO/ISO way: 0-9, then A = 10 … Z = 35.
fn alnum_value(b: u8) -> Option<u32> {
    match b {
        b'0'..=b'9' => Some(u32::from(b - b'0')),
        b'A'..=b'Z' => Some(u32::from(b - b'A') + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glued_numbers_are_not_ids() {
        let line = b"blk_-11144477735 1.11144477735 11144477735.5 x 11144477735";
        let at = |needle_end: usize| check(IdValidator::BrCpf, line, needle_end - 11, needle_end);
        assert!(!at(16), "after `_-`");
        assert!(!at(30), "after `1.`");
        assert!(!at(42), "before `.5`");
        assert!(at(line.len()), "on its own");
    }

    #[test]
    fn names_in_rule_files_are_snake_case() {
        let v: IdValidator = serde_json::from_str("\"br_cpf\"").unwrap();
        assert_eq!(v, IdValidator::BrCpf);
        let v: IdValidator = serde_json::from_str("\"baltic_personal_code\"").unwrap();
        assert_eq!(v, IdValidator::BalticPersonalCode);
    }
}
