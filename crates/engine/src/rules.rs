//! Rules as data: the plain, serde-friendly types that rule files deserialize into.
//!
//! Nothing here compiles or matches; [`crate::Scrubber`] does that once, validating everything and reporting every
//! problem with its file and rule id. The schema is documented for rule authors in `rules/README.md`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Problem};

/// What kind of sensitive data a rule finds. Policies switch categories off or give them an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Payment cards, IBANs, routing and bank account numbers, cloud account ids.
    Account,
    /// Passwords and tokens carried inside URLs.
    UrlCredential,
    /// API keys, tokens, private keys, passwords.
    Secret,
    /// E-mail, phone, addresses, names, dates of birth, IP addresses.
    Personal,
    /// National identifiers and tax ids (SSN, NINO, CPF, Aadhaar, ...), passports and driver's licences.
    NationalId,
    /// Health identifiers (NHS number, NPI, Medicare MBI, DEA number).
    Health,
    /// Crypto wallet addresses and keys.
    Crypto,
}

impl Category {
    /// Every category, in display order.
    pub const ALL: [Category; 7] = [
        Category::Account,
        Category::UrlCredential,
        Category::Secret,
        Category::Personal,
        Category::NationalId,
        Category::Health,
        Category::Crypto,
    ];

    /// The name used in rule files and configuration.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Account => "account",
            Category::UrlCredential => "url_credential",
            Category::Secret => "secret",
            Category::Personal => "personal",
            Category::NationalId => "national_id",
            Category::Health => "health",
            Category::Crypto => "crypto",
        }
    }
}

/// How a rule finds its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    /// A regular expression (with an optional `secret` group), confirmed by a validator and context.
    #[default]
    Pattern,
    /// The value of a field whose name is listed in `fields` (JSON key, logfmt key, `Key: value`).
    Field,
    /// A block between a `begin` and an `end` pattern, possibly spread over many lines (PEM keys).
    Block,
}

/// Named checks that confirm a candidate after the regex matched. Each is a pure function of the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValidatorName {
    /// Payment card: 13-19 digits, a known issuer prefix, consistent grouping, Luhn checksum.
    Luhn,
    /// IBAN: the country's length and the ISO 7064 mod-97 checksum.
    Iban,
    /// US ABA routing number: 9 digits, weights 3-7-1, known Federal Reserve prefix.
    Aba,
    /// US SSN: no 000/666/9xx area, no 00 group, no 0000 serial.
    Ssn,
    /// UK National Insurance number: valid prefix letters and suffix.
    Nino,
    /// IPv4 dotted quad not part of a longer dotted number (versions, OIDs).
    Ipv4,
    /// An IPv4 address spelled with dashes inside a host name (`ip-10-1-2-3`).
    Ipv4Dashed,
    /// IPv6 address as `std::net` parses it, with enough groups to rule out times and paths.
    Ipv6,
    /// JWT: base64url header that decodes to a JSON object with `alg`.
    Jwt,
    /// GitHub token: checks the CRC32 checksum of the classic formats.
    GithubToken,
    /// The value looks like a secret rather than a placeholder (enough distinct characters).
    Entropy,
    /// The value looks like a person's name (letters, a few words).
    PersonName,
    /// E-mail address with a plausible domain.
    Email,
    /// Phone number: 10-15 digits, not a date or a version.
    Phone,
    /// A calendar date with plausible day, month and year.
    Date,
    /// A free-text value that is not empty nor a placeholder (passwords).
    Text,
    /// A street address: several words with letters.
    Address,
    /// A credential value: not a placeholder nor a bare scheme word (`Bearer`).
    Credential,
    /// An account number: a digit run not glued to other numbers (`blk_-123...`), not one repeated digit.
    AccountNumber,
    /// NANP phone: optional `+1`/`1`/`001`, area and exchange codes 2-9, optional extension.
    PhoneNanp,
    /// `+` and a country code whose national number length fits (ITU-T E.164, libphonenumber lengths).
    #[serde(rename = "e164")]
    E164,
    /// US Employer Identification Number: a prefix the IRS assigns.
    Ein,
    /// A street address in prose: the `address` shape and a street-type word (USPS Pub. 28 and others).
    StreetAddress,
    /// Provider token structure and checksums (`provider_token`, `slack_token`, `pypi_macaroon`, ...): see
    /// [`crate::tokencheck::TokenCheck`].
    #[serde(untagged)]
    Token(crate::tokencheck::TokenCheck),
    /// National, tax, bank, health, document and wallet identifiers ([`crate::idcheck`]), written by their own
    /// snake_case names (`br_cpf`, `gb_nhs`, `btc_base58`, ...). Untagged, so it must stay among the last variants.
    #[serde(untagged)]
    Id(crate::idcheck::IdValidator),
}

/// Context keywords that must (or may) appear shortly before a match.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextConfig {
    /// Words (ASCII case-insensitive) that signal the class, e.g. `routing`, `aba`.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// How many bytes before the match to look for a keyword.
    #[serde(default = "default_window")]
    pub window: usize,
    /// When true, a match without a keyword (or a listed field name, or a free-form field) is dropped.
    #[serde(default)]
    pub required: bool,
}

fn default_window() -> usize {
    48
}

/// How field names in `fields` are compared with a field's key (after lower-casing and dropping `_ - .` and spaces).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldMatch {
    /// The normalized key equals a listed name.
    #[default]
    Exact,
    /// The normalized key ends with a listed name (`db_password` matches `password`).
    Suffix,
}

/// The shape of a field value that a `field` rule takes when the value is not quoted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueShape {
    /// One token, up to white space or `, ; & } ]`.
    #[default]
    Token,
    /// Several words separated by single spaces (names, addresses), up to punctuation or the next key.
    Phrase,
}

/// One rule as written in a rule file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleConfig {
    /// Unique id, `snake_case`. Findings and statistics name it.
    pub id: String,
    /// The class written in placeholders, e.g. `credit_card` in `[REDACTED:credit_card]`.
    pub class: String,
    /// The category, for policies and listings.
    pub category: Category,
    /// One sentence for `logscrub rules list`.
    #[serde(default)]
    pub description: String,
    /// The source of truth for the format: the provider's documented token format or the national
    /// specification (a URL or a document name), for `rules list` and `rules/README.md`.
    #[serde(default)]
    pub source: String,
    /// The service or vendor whose credential this is (`github`, `aws`, `stripe`), for `rules list --provider`.
    #[serde(default)]
    pub provider: Option<String>,
    /// ISO 3166-1 alpha-2 codes of the countries whose identifier this is (`["BR"]`), for `rules list --country`.
    #[serde(default)]
    pub countries: Vec<String>,
    /// How the rule finds values.
    #[serde(default)]
    pub kind: RuleKind,
    /// The regex (kind `pattern`). A named group `secret` marks the part to replace.
    #[serde(default)]
    pub pattern: Option<String>,
    /// Block start (kind `block`).
    #[serde(default)]
    pub begin: Option<String>,
    /// Block end (kind `block`).
    #[serde(default)]
    pub end: Option<String>,
    /// Literals (ASCII case-insensitive); the rule only runs on lines holding one of them.
    #[serde(default)]
    pub keywords: Vec<String>,
    /// For a rule without keywords: a regex that matches wherever `pattern` finds a value the validator accepts,
    /// used in the prefilter instead of `pattern` (cheaper, or more selective when the validator is strict).
    /// Without it the rule's own `pattern` is the prefilter.
    #[serde(default)]
    pub prefilter: Option<String>,
    /// A named check run on the secret part of each match.
    #[serde(default)]
    pub validator: Option<ValidatorName>,
    /// Context keywords before the match.
    #[serde(default)]
    pub context: Option<ContextConfig>,
    /// Field names: for `field` rules the fields whose value is sensitive; for `pattern` rules, keys that count as
    /// context (a `routing_number` key makes an ABA match certain).
    #[serde(default)]
    pub fields: Vec<String>,
    /// How `fields` are compared with keys.
    #[serde(default)]
    pub field_match: FieldMatch,
    /// The shape of an unquoted value (kind `field`).
    #[serde(default)]
    pub value: ValueShape,
    /// Minimum length of a field value to be taken (kind `field`).
    #[serde(default)]
    pub min_len: usize,
    /// A match inside a field whose key contains one of these words is ignored (`trace`, `span`, ...).
    #[serde(default)]
    pub exclude_fields: Vec<String>,
    /// Inside a free-form field (`name`, `notes`, ...) the context requirement is waived.
    #[serde(default)]
    pub freeform: bool,
    /// Higher wins when two findings overlap.
    #[serde(default = "default_priority")]
    pub priority: u8,
    /// Lines that must produce a finding of this rule.
    #[serde(default)]
    pub examples: Vec<String>,
    /// Lines that must not produce a finding of this rule.
    #[serde(default)]
    pub negative_examples: Vec<String>,
    /// Examples with the exact output the whole pack must give for them (`input` may span several lines, e.g. a
    /// key logged one line per record); `rules check` runs them through the line stream on every backend.
    #[serde(default)]
    pub expected: Vec<ExpectedExample>,
}

/// An example input and the exact output the scrubber must write for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExpectedExample {
    /// The input, lines separated by `\n`.
    pub input: String,
    /// The output, byte for byte.
    pub output: String,
}

fn default_priority() -> u8 {
    50
}

/// Settings that apply to a whole rule pack rather than to one rule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackSettings {
    /// Field names whose values are free text typed by people (`name`, `notes`, ...). Rules marked `freeform`
    /// fire there without their usual context keyword.
    #[serde(default)]
    pub freeform_fields: Vec<String>,
}

/// One rule file: a list of `[[rule]]` tables and optional `[pack]` settings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    /// Pack-wide settings.
    #[serde(default)]
    pub pack: Option<PackSettings>,
    /// The rules.
    #[serde(default, rename = "rule")]
    pub rules: Vec<RuleConfig>,
}

/// A rule together with the file it came from, for error messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourcedRule {
    /// Where the rule was defined (a path, or `builtin:NAME` for the embedded pack).
    pub file: String,
    /// The rule.
    pub rule: RuleConfig,
}

/// An ordered set of rules, ready to be compiled by [`crate::ScrubberBuilder`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleSet {
    rules: Vec<SourcedRule>,
    by_id: BTreeMap<String, usize>,
    freeform_fields: Vec<String>,
}

/// The default pack, embedded at build time from every `*.toml` file of the repository's `rules/` directory (see
/// `build.rs`), sorted by file name.
const DEFAULT_PACK: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/default_pack.rs"));

impl RuleSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// The default rule pack shipped with logscrub.
    pub fn default_pack() -> Result<Self, Error> {
        let mut set = RuleSet::new();
        let mut problems = Vec::new();
        for (name, text) in DEFAULT_PACK {
            if let Err(e) = set.add_toml(name, text) {
                problems.extend(e.0);
            }
        }
        if problems.is_empty() {
            Ok(set)
        } else {
            Err(Error(problems))
        }
    }

    /// Parses one rule file's text and adds its rules. A rule whose id already exists *from another file*
    /// replaces it (this is how `--rules DIR` overrides the default pack); a duplicate within one file is an error.
    pub fn add_toml(&mut self, file: &str, text: &str) -> Result<(), Error> {
        let parsed: RuleFile = toml::from_str(text).map_err(|e| Problem::Parse {
            file: file.to_string(),
            message: e.message().to_string()
                + &e.span()
                    .map(|s| format!(" (line {})", line_of(text, s.start)))
                    .unwrap_or_default(),
        })?;
        let mut problems = Vec::new();
        if let Some(pack) = parsed.pack {
            for f in pack.freeform_fields {
                if !self.freeform_fields.contains(&f) {
                    self.freeform_fields.push(f);
                }
            }
        }
        let mut seen_here: BTreeMap<String, ()> = BTreeMap::new();
        for rule in parsed.rules {
            if seen_here.insert(rule.id.clone(), ()).is_some() {
                problems.push(Problem::Duplicate {
                    file: file.to_string(),
                    rule: rule.id.clone(),
                    first: file.to_string(),
                });
                continue;
            }
            self.insert(SourcedRule {
                file: file.to_string(),
                rule,
            });
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error(problems))
        }
    }

    /// Adds or replaces one rule.
    pub fn insert(&mut self, sourced: SourcedRule) {
        match self.by_id.get(&sourced.rule.id) {
            Some(&i) => self.rules[i] = sourced,
            None => {
                self.by_id.insert(sourced.rule.id.clone(), self.rules.len());
                self.rules.push(sourced);
            }
        }
    }

    /// The rules in definition order.
    pub fn rules(&self) -> &[SourcedRule] {
        &self.rules
    }

    /// Free-form field names collected from every file's `[pack]` table.
    pub fn freeform_fields(&self) -> &[String] {
        &self.freeform_fields
    }

    /// Looks a rule up by id.
    pub fn get(&self, id: &str) -> Option<&SourcedRule> {
        self.by_id.get(id).map(|&i| &self.rules[i])
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}
