#!/usr/bin/env python3
"""Generates the labelled accuracy corpus for `cargo bench -p logscrub-benches --bench accuracy`.

Every output line is one JSON object: {"class", "fmt", "line", "start", "end"} where start..end are the byte
offsets (UTF-8) of the one sensitive value in `line`, or {"class": "neg:<kind>", "start": -1, "end": -1} for a
look-alike that must stay untouched. Values come from two generators (faker, mimesis) and from generators written
here after the published specifications (Luhn over ISO/IEC 7812 IIN ranges, ISO 13616 IBANs with mod 97-10, SSA's
SSN rules, ABA 3-7-1, HMRC NINO prefixes, national numbering plans as in libphonenumber's metadata). Formats:
plain text, JSON, logfmt, access log and HTTP header lines, with several templates per format and class.

It is seeded: the same command gives the same file. It must never contain a real person's data: every value is
random or comes from the generators' fake data.

The credential and identifier classes of the rule pack (provider tokens, private keys, connection strings,
national and tax ids, bank, health and document ids, wallet addresses) come from accuracy_secrets.py and
accuracy_ids.py (values after the providers' documented formats and the national check-digit specifications,
accuracy_codec.py) in the templates of accuracy_render.py, with their look-alikes: wrong check digits next to the
id's own context words, documentation placeholders under real key names, hashes and ids of a token's length. They
are drawn from their own seeded generators after the original classes, so the lines of those classes and of their
negatives are the same as before they were added. Every row has a "group" (the rule category it measures).

    pip install faker mimesis
    python3 benches/accuracy_gen.py --seed 7 > benches/accuracy_corpus.jsonl
"""

import argparse
import ipaddress
import json
import random
import string
import sys

import faker
from mimesis import Address, Person
from mimesis.locales import Locale

import accuracy_ids
import accuracy_render
import accuracy_secrets

R = random.Random()
FAKERS = {}
MIMESIS = {}
FAKER_LOCALES = ["en_US", "en_GB", "de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pl_PL", "pt_BR", "tr_TR",
                 "sv_SE", "da_DK", "cs_CZ", "ja_JP", "en_IN", "en_AU", "ru_RU"]
MIMESIS_LOCALES = [Locale.EN, Locale.DE, Locale.FR, Locale.ES, Locale.IT, Locale.NL, Locale.PL, Locale.PT_BR,
                   Locale.TR, Locale.SV, Locale.CS, Locale.EN_GB, Locale.EN_AU, Locale.DA, Locale.FI]


def fk(loc=None):
    loc = loc or R.choice(FAKER_LOCALES)
    if loc not in FAKERS:
        f = faker.Faker(loc)
        f.seed_instance(R.randrange(1 << 30))
        FAKERS[loc] = f
    return FAKERS[loc]


def mz(loc=None):
    loc = loc or R.choice(MIMESIS_LOCALES)
    if loc not in MIMESIS:
        MIMESIS[loc] = (Person(loc, seed=R.randrange(1 << 30)), Address(loc, seed=R.randrange(1 << 30)))
    return MIMESIS[loc]


def digits(n):
    return "".join(R.choice(string.digits) for _ in range(n))


# ------------------------------------------------------------------------------------------------ spec values

def luhn_complete(prefix, length):
    body = prefix + digits(length - len(prefix) - 1)
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


def luhn_ok(num):
    total = 0
    for i, ch in enumerate(reversed(num)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


# (network, IIN range low, high, lengths): ISO/IEC 7812 issuer ranges as the networks publish them.
IIN = [
    ("visa", 4, 4, [16, 13, 19]),
    ("mastercard", 51, 55, [16]),
    ("mastercard2", 2221, 2720, [16]),
    ("amex", 34, 34, [15]), ("amex", 37, 37, [15]),
    ("discover", 6011, 6011, [16, 19]), ("discover", 644, 649, [16, 19]), ("discover", 65, 65, [16, 19]),
    ("jcb", 3528, 3589, [16, 17, 18, 19]),
    ("diners", 300, 305, [14, 16, 19]), ("diners", 36, 36, [14, 16, 19]), ("diners", 38, 39, [16, 19]),
    ("maestro", 50, 50, [12, 13, 16, 19]), ("maestro", 56, 58, [12, 13, 15, 16, 18, 19]),
    ("maestro", 6759, 6759, [16, 18, 19]), ("maestro", 676770, 676774, [12, 16, 19]),
    ("unionpay", 62, 62, [16, 17, 18, 19]), ("unionpay", 81, 81, [16, 17, 18, 19]),
    ("mir", 2200, 2204, [16, 17, 18, 19]),
    ("rupay", 60, 60, [16]), ("rupay", 6521, 6522, [16]), ("rupay", 508, 508, [16]), ("rupay", 353, 353, [16]),
    ("rupay", 356, 356, [16]),
    ("troy", 9792, 9792, [16]),
    ("verve", 506099, 506198, [16, 18, 19]), ("verve", 650002, 650027, [16, 18, 19]),
    ("uatp", 1, 1, [15]),
    ("dankort", 5019, 5019, [16]),
    ("interpayment", 636, 636, [16, 17, 18, 19]),
    ("instapayment", 637, 639, [16]),
    ("borica", 2205, 2205, [16]),
    ("humo", 9860, 9860, [16]),
    ("uzcard", 8600, 8600, [16]),
    ("lankapay", 357111, 357111, [16]),
]


def group_card(num):
    n = len(num)
    style = R.random()
    sep = R.choice([" ", "-"])
    if style < 0.45:
        return num
    if n == 15 and R.random() < 0.7:
        return sep.join([num[:4], num[4:10], num[10:]])
    if n == 14 and R.random() < 0.6:
        return sep.join([num[:4], num[4:10], num[10:]])
    return sep.join(num[i:i + 4] for i in range(0, n, 4))


def card():
    if R.random() < 0.2:
        f = fk("en_US")
        num = f.credit_card_number()
    else:
        _, lo, hi, lens = R.choice(IIN)
        num = luhn_complete(str(R.randint(lo, hi)), R.choice(lens))
    return group_card(num)


# ISO 13616 registry: country, BBAN as (length, kind) runs: n digits, a upper letters, c alphanumerics.
IBAN_FMT = {
    "DE": [(18, "n")], "GB": [(4, "a"), (14, "n")], "FR": [(10, "n"), (11, "c"), (2, "n")],
    "ES": [(20, "n")], "IT": [(1, "a"), (10, "n"), (12, "c")], "NL": [(4, "a"), (10, "n")],
    "BE": [(12, "n")], "CH": [(5, "n"), (12, "c")], "AT": [(16, "n")], "PL": [(24, "n")],
    "SE": [(20, "n")], "NO": [(11, "n")], "DK": [(14, "n")], "FI": [(14, "n")], "IE": [(4, "a"), (14, "n")],
    "PT": [(21, "n")], "GR": [(7, "n"), (16, "c")], "CZ": [(20, "n")], "HU": [(24, "n")], "RO": [(4, "a"), (16, "c")],
    "TR": [(5, "n"), (1, "n"), (16, "c")], "SA": [(2, "n"), (18, "c")], "AE": [(19, "n")], "BR": [(23, "n"), (1, "a"), (1, "c")],
    "LU": [(3, "n"), (13, "c")], "MT": [(4, "a"), (5, "n"), (18, "c")], "SK": [(20, "n")], "HR": [(17, "n")],
    "LT": [(16, "n")], "LV": [(4, "a"), (13, "c")], "EE": [(16, "n")], "IL": [(19, "n")], "KW": [(4, "a"), (22, "c")],
    "QA": [(4, "a"), (21, "c")], "UA": [(6, "n"), (19, "c")], "MC": [(10, "n"), (11, "c"), (2, "n")],
}


def iban_check(cc, bban):
    s = bban + cc + "00"
    num = "".join(str(int(ch, 36)) for ch in s)
    return "%02d" % (98 - int(num) % 97)


def iban_raw(bad=False):
    if R.random() < 0.2 and not bad:
        ib = fk(R.choice(["de_DE", "en_GB", "fr_FR", "es_ES", "it_IT", "nl_NL"])).iban()
        cc, chk, bban = ib[:2], ib[2:4], ib[4:]
    else:
        cc = R.choice(sorted(IBAN_FMT))
        bban = ""
        for n, kind in IBAN_FMT[cc]:
            pool = {"n": string.digits, "a": string.ascii_uppercase, "c": string.digits + string.ascii_uppercase}[kind]
            bban += "".join(R.choice(pool) for _ in range(n))
        chk = iban_check(cc, bban)
    if bad:
        chk = "%02d" % ((int(chk) + R.randint(1, 96)) % 97 + 2)
        if chk == iban_check(cc, bban):
            chk = "%02d" % ((int(chk) + 1) % 97 + 2)
    return cc + chk + bban


def iban(bad=False):
    ib = iban_raw(bad)
    if R.random() < 0.4:
        return " ".join(ib[i:i + 4] for i in range(0, len(ib), 4))
    return ib


def ssn_digits():
    while True:
        area = R.randint(1, 899)
        if area != 666:
            break
    return "%03d%02d%04d" % (area, R.randint(1, 99), R.randint(1, 9999))


def ssn():
    d = ssn_digits() if R.random() < 0.8 else fk("en_US").ssn().replace("-", "")
    sep = R.choice(["-", "-", "-", " ", ".", ""])
    return d[:3] + sep + d[3:5] + sep + d[5:]


def aba():
    while True:
        prefix = R.choice(["0%d" % R.randint(0, 9), "1%d" % R.randint(0, 2), "2%d" % R.randint(1, 9), "3%d" % R.randint(0, 2),
                           "6%d" % R.randint(1, 9), "7%d" % R.randint(0, 2), "80"])
        body = prefix + digits(6)
        w = [3, 7, 1, 3, 7, 1, 3, 7]
        s = sum(int(c) * k for c, k in zip(body, w))
        chk = (10 - s % 10) % 10
        num = body + str(chk)
        if len(set(num)) > 1:
            return num


def nino():
    first = "ABCEGHJKLMNOPRSTWXYZ"
    second = "ABCEGHJKLMNPRSTWXYZ"
    while True:
        p = R.choice(first) + R.choice(second)
        if p not in ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ"):
            break
    d = digits(6)
    sfx = R.choice("ABCD")
    if R.random() < 0.4:
        return "%s %s %s %s %s" % (p, d[:2], d[2:4], d[4:], sfx)
    return p + d + sfx


# Numbering plans (libphonenumber metadata): country code, national significant number lengths and the leading
# digits of mobile ranges, with the national grouping used when written with separators.
PLANS = [
    ("49", [("15", 11, [3, 4, 4]), ("17", 11, [3, 8]), ("30", 10, [2, 8]), ("89", 10, [2, 4, 4])]),
    ("44", [("7", 10, [4, 6]), ("20", 10, [2, 4, 4]), ("161", 10, [3, 3, 4])]),
    ("33", [("6", 9, [1, 2, 2, 2, 2]), ("1", 9, [1, 2, 2, 2, 2])]),
    ("34", [("6", 9, [3, 3, 3]), ("91", 9, [3, 2, 2, 2])]),
    ("39", [("3", 10, [3, 3, 4]), ("06", 9, [2, 3, 4])]),
    ("31", [("6", 9, [1, 8]), ("20", 9, [2, 3, 4])]),
    ("81", [("90", 10, [2, 4, 4]), ("3", 9, [1, 4, 4])]),
    ("91", [("9", 10, [5, 5]), ("8", 10, [5, 5])]),
    ("55", [("119", 11, [2, 5, 4]), ("21", 10, [2, 4, 4])]),
    ("61", [("4", 9, [3, 3, 3]), ("2", 9, [1, 4, 4])]),
    ("86", [("13", 11, [3, 4, 4]), ("10", 10, [2, 4, 4])]),
    ("52", [("55", 10, [2, 4, 4]), ("33", 10, [2, 4, 4])]),
    ("7", [("9", 10, [3, 3, 2, 2]), ("495", 10, [3, 3, 2, 2])]),
    ("82", [("10", 10, [2, 4, 4]), ("2", 9, [1, 4, 4])]),
    ("46", [("7", 9, [2, 3, 2, 2]), ("8", 9, [1, 3, 3, 2])]),
    ("41", [("7", 9, [2, 3, 2, 2]), ("44", 9, [2, 3, 2, 2])]),
    ("48", [("5", 9, [3, 3, 3]), ("22", 9, [2, 3, 2, 2])]),
    ("27", [("8", 9, [2, 3, 4]), ("11", 9, [2, 3, 4])]),
    ("234", [("80", 10, [3, 3, 4])]),
    ("65", [("9", 8, [4, 4]), ("6", 8, [4, 4])]),
    ("852", [("9", 8, [4, 4])]),
    ("353", [("8", 9, [2, 3, 4])]),
    ("351", [("9", 9, [3, 3, 3])]),
    ("32", [("4", 9, [3, 2, 2, 2])]),
    ("43", [("66", 11, [3, 8]), ("1", 10, [1, 9])]),
    ("90", [("5", 10, [3, 3, 2, 2])]),
    ("971", [("5", 9, [2, 3, 4])]),
    ("20", [("10", 10, [2, 4, 4])]),
    ("62", [("81", 11, [3, 4, 4])]),
    ("63", [("9", 10, [3, 3, 4])]),
]


def nanp_digits():
    npa = str(R.randint(2, 9)) + str(R.randint(0, 8)) + str(R.randint(0, 9))
    nxx = str(R.randint(2, 9)) + digits(2)
    return npa, nxx, digits(4)


def phone_us():
    if R.random() < 0.15:
        return fk("en_US").phone_number()
    a, b, c = nanp_digits()
    forms = [
        f"({a}) {b}-{c}", f"({a}){b}-{c}", f"{a}-{b}-{c}", f"{a}.{b}.{c}", f"+1 {a} {b} {c}", f"+1-{a}-{b}-{c}",
        f"1-{a}-{b}-{c}", f"001-{a}-{b}-{c}", f"+1 ({a}) {b}-{c}", f"{a} {b} {c}", f"+1{a}{b}{c}", f"{a}{b}{c}",
        f"{a}-{b}-{c}x{R.randint(1, 99999)}", f"{a}.{b}.{c} ext. {R.randint(1, 9999)}", f"({a}) {b}-{c} ext {R.randint(1, 999)}",
        f"1{a}{b}{c}",
    ]
    return R.choice(forms)


def phone_intl():
    if R.random() < 0.2:
        f = fk(R.choice(["de_DE", "fr_FR", "en_GB", "ja_JP", "es_ES", "it_IT", "nl_NL", "pt_BR", "en_IN"]))
        return f.phone_number()
    cc, ranges = R.choice(PLANS)
    lead, n, groups = R.choice(ranges)
    nsn = lead + digits(n - len(lead))
    parts, i = [], 0
    for g in groups:
        parts.append(nsn[i:i + g])
        i += g
    style = R.random()
    if style < 0.3:
        return "+" + cc + nsn
    if style < 0.55:
        return "+" + cc + " " + " ".join(parts)
    if style < 0.7:
        return "+" + cc + "-" + "-".join(parts)
    if style < 0.8:
        return "00" + cc + " " + " ".join(parts)
    if style < 0.9 and cc not in ("39",):
        # national format with trunk prefix 0
        return "0" + "-".join(parts) if R.random() < 0.5 else "0" + " ".join(parts)
    return "+" + cc + " (0)" + " ".join(parts)


def ipv4():
    while True:
        a = ipaddress.IPv4Address(R.getrandbits(32))
        if not (a.is_multicast or a.is_reserved or a.is_unspecified):
            return str(a)


def ipv6():
    r = R.random()
    if r < 0.5:
        return str(ipaddress.IPv6Address((0x2001 << 112) | (0x0db8 << 96) | R.getrandbits(64)))
    if r < 0.7:
        return fk().ipv6()
    if r < 0.85:
        return "fe80::%x:%x:%x:%x" % tuple(R.getrandbits(16) for _ in range(4))
    return "::ffff:" + ipv4()


def email():
    r = R.random()
    if r < 0.5:
        return fk().email()
    if r < 0.8:
        return mz()[0].email()
    return fk().user_name() + "+" + R.choice(["billing", "tag", "x1"]) + "@" + fk().domain_name()


HONORIFICS = ["Mr", "Mrs", "Ms", "Dr.", "Prof.", "Mr.", "Mrs.", "Dr", "Herr", "Frau", "Mme", "Sr.", "Dipl.-Ing.", "Sir"]
DEGREES = ["PhD", "MD", "B.Eng.", "M.Sc.", "Jr.", "III", "Esq.", "MBA"]


def person_name():
    r = R.random()
    if r < 0.4:
        n = fk().name()
    elif r < 0.75:
        n = mz()[0].full_name()
    elif r < 0.85:
        n = R.choice(HONORIFICS) + " " + fk(R.choice(["en_US", "en_GB", "de_DE"])).name()
    elif r < 0.92:
        n = fk(R.choice(["en_US", "en_GB", "de_DE"])).name() + ", " + R.choice(DEGREES)
    else:
        n = fk().first_name() + " " + fk().last_name()
    if R.random() < 0.08:
        n = n.upper()
    return n


def street_address():
    r = R.random()
    if r < 0.35:
        return fk(R.choice(["en_US", "en_GB", "en_AU", "en_US"])).street_address()
    if r < 0.6:
        return fk(R.choice(["de_DE", "fr_FR", "es_ES", "it_IT", "nl_NL", "pl_PL", "pt_BR", "sv_SE", "da_DK"])).street_address()
    if r < 0.85:
        return mz()[1].address()
    if r < 0.92:
        f = fk("en_GB")
        return "Flat %d, %s" % (R.randint(1, 40), f.street_address())
    f = fk("de_DE")
    return "%s %d/%d" % (f.street_name(), R.randint(1, 200), R.randint(1, 9))


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def dob():
    d = fk().date_of_birth(minimum_age=18, maximum_age=90)
    y, m, dd = d.year, d.month, d.day
    mon = MONTHS[m - 1]
    forms = [
        f"{y:04d}-{m:02d}-{dd:02d}", f"{m:02d}/{dd:02d}/{y}", f"{dd:02d}.{m:02d}.{y}", f"{dd}/{m}/{y}",
        f"{mon} {dd}, {y}", f"{dd} {mon} {y}", f"{dd}-{mon[:3].upper()}-{y}", f"{dd:02d}-{mon[:3]}-{y}",
        f"{y:04d}{m:02d}{dd:02d}", f"{y:04d}-{m:02d}-{dd:02d}T00:00:00Z", f"{y:04d}-{m:02d}-{dd:02d}T00:00:00+02:00",
        f"{mon[:3]} {dd} {y}", f"{dd} {mon[:3]} {y}", f"{y}/{m:02d}/{dd:02d}", f"{m}-{dd}-{y % 100:02d}",
        f"{mon[:3]}-{y % 100:02d}", f"{dd:02d}-{mon[:3]}",
    ]
    return R.choice(forms)


def aws_account():
    return digits(12)


def bank_account():
    return str(R.randint(1, 9)) + digits(R.randint(7, 13))


def tax_id():
    r = R.random()
    if r < 0.5:
        return ssn_digits()
    if r < 0.75:
        d = ssn_digits()
        return d[:3] + "-" + d[3:5] + "-" + d[5:]
    # US EIN: two-digit IRS campus prefix, seven digits
    return "%02d-%s" % (R.choice([10, 12, 20, 27, 30, 35, 46, 52, 61, 77, 81, 94]), digits(7))


# ------------------------------------------------------------------------------------------------ contexts

# Per class: field keys (as written in JSON/logfmt/headers), and prose phrases that precede the value.
CTX = {
    "credit_card": (
        ["card", "card_number", "cardNumber", "pan", "payment_card", "cc_num", "creditCard", "card.number",
         "primary_account_number", "card_no"],
        ["charging card", "refund issued to", "card", "payment with", "declined card", "tokenised PAN",
         "card number", "customer paid using", "authorization for", "stored card"],
    ),
    "iban": (["iban", "IBAN", "beneficiary_iban", "payee.iban", "accountIban", "debtor_account"],
             ["refund to IBAN", "SEPA transfer to", "iban", "credit account", "beneficiary account", "payout to"]),
    "routing_number": (["routing_number", "aba", "routingNumber", "bank_routing", "rtn"],
                       ["routing number", "ABA", "routing no.", "RTN", "wire via routing"]),
    "ssn": (["ssn", "social_security_number", "SSN", "tax_id", "tin", "taxpayer_id", "applicant.ssn"],
            ["ssn", "SSN:", "social security number", "taxpayer id", "TIN", "tax id", "soc sec no"]),
    "uk_nino": (["nino", "ni_number", "nationalInsurance"], ["NI number", "NINO", "national insurance no", "ref"]),
    "ipv4": (["client_ip", "ip", "remote_addr", "src", "peer"], ["from", "connection from", "client", "rhost=", "blocked"]),
    "ipv6": (["client_ip", "ip6", "remote_addr", "src_addr"], ["from", "peer", "client", "listening on", "route via"]),
    "email": (["email", "user_email", "contactEmail", "to", "reply_to"],
              ["sent receipt to", "From:", "invite sent to", "email", "bounce for", "user"]),
    "phone": (["phone", "phone_number", "mobile", "to", "msisdn", "contact.phone", "callbackNumber", "tel", "whatsapp"],
              ["call back at", "callback number", "dialing", "sms sent to", "call forwarded to", "whatsapp",
               "msisdn", "phone", "mobile:", "reach me at", "Tel.", "contact number", "text message to"]),
    "person_name": (["name", "display_name", "cardholder_name", "fullName", "customer.name", "full_name",
                     "holderName", "contact_name", "passenger_name", "recipient", "payer_name", "patientName"],
                    ["cardholder name", "signed by", "welcome back,", "account holder", "passenger", "Dear",
                     "ticket opened by", "customer", "shipment for", "patient"]),
    "street_address": (["address", "billing_address", "shipping.address", "streetAddress", "addr", "address_line1",
                        "delivery_address", "home_addr"],
                       ["shipping to", "billing address", "address changed to", "geocode lookup for", "deliver to",
                        "ship to", "lives at", "new address:", "pickup at", "address"]),
    "date_of_birth": (["dob", "date_of_birth", "birthDate", "birthday", "DOB", "patient.dob", "born_on"],
                      ["dob", "born", "date of birth", "birthday", "DOB:", "birth date", "born on"]),
    "aws_account_id": (["account_id", "AccountId", "owner_account", "awsAccountId", "recipientAccountId",
                        "aws_account", "source_account"],
                       ["access granted to account", "AWS account", "assumed role in account", "account id",
                        "cross-account from", "aws account"]),
    "bank_account": (["account_number", "acct", "bank_account", "accountNo", "acct_no"],
                     ["account number", "acct", "bank account", "debited account no", "A/C"]),
}

GEN = {
    "credit_card": card, "iban": iban, "routing_number": aba, "ssn": ssn, "uk_nino": nino, "ipv4": ipv4,
    "ipv6": ipv6, "email": email, "phone": None, "person_name": person_name, "street_address": street_address,
    "date_of_birth": dob, "aws_account_id": aws_account, "bank_account": bank_account,
}

SERVICES = ["billing", "checkout", "crm", "auth", "notify", "support", "ledger", "api-gw", "kyc", "shipping"]
LEVELS = ["INFO", "WARN", "DEBUG", "ERROR", "info", "warn"]
TAILS = ["", " ok", " status=200", " (retry 2)", " signup complete", " done in 35ms", " queued", " for review",
         " and notified", " - flagged", " request_id=8f14e45f"]
PATHS = ["/api/v1/customers", "/checkout", "/v2/payments", "/account/update", "/support/ticket", "/users/lookup"]


def ts():
    return "2024-%02d-%02dT%02d:%02d:%02d.%03dZ" % (R.randint(1, 12), R.randint(1, 28), R.randint(0, 23),
                                                    R.randint(0, 59), R.randint(0, 59), R.randint(0, 999))


def syslog_ts():
    return "%s %2d %02d:%02d:%02d" % (R.choice(["Jan", "Feb", "Mar", "Jun", "Oct", "Dec"]), R.randint(1, 28),
                                      R.randint(0, 23), R.randint(0, 59), R.randint(0, 59))


def render(fmt, cls, value):
    """Returns (line, start, end): one line of format `fmt` carrying `value` once."""
    keys, phrases = CTX[cls]
    key = R.choice(keys)
    svc = R.choice(SERVICES)
    if fmt == "json":
        pre_fields = R.choice([
            '{"ts":"%s","level":"%s","svc":"%s",' % (ts(), R.choice(LEVELS).lower(), svc),
            '{"timestamp": "%s", "service": "%s", "event": "update", ' % (ts(), svc),
            '{"level":"info","msg":"record saved",',
        ])
        if "." in key and R.random() < 0.5:
            outer, inner = key.split(".", 1)
            head = pre_fields + '"%s":{"%s":"' % (outer, inner)
            tail = '"},"ok":true}'
        elif R.random() < 0.25:
            # the value inside a free-text message
            head = pre_fields + '"msg":"%s %s' % (R.choice(phrases), "")
            tail = '%s"}' % R.choice(TAILS)
        else:
            head = pre_fields + '"%s":"' % key
            tail = '","attempt":%d}' % R.randint(1, 3)
        line = head + value + tail
        # JSON must stay valid: values with quotes are not generated
        return line, len(head.encode()), len(head.encode()) + len(value.encode())
    if fmt == "logfmt":
        quoted = " " in value or R.random() < 0.3
        pre = R.choice(["time=%s level=%s svc=%s " % (ts(), R.choice(LEVELS).lower(), svc),
                        "ts=%s lvl=info caller=%s.go:%d " % (ts(), svc, R.randint(10, 400)),
                        "level=debug component=%s " % svc])
        k = key.replace(".", "_")
        if R.random() < 0.2:
            head = pre + 'msg="%s ' % R.choice(phrases)
            tail = '%s"' % R.choice(TAILS)
        elif quoted:
            head = pre + '%s="' % k
            tail = '"' + R.choice(["", " status=ok", " attempt=2", " result=updated"])
        else:
            head = pre + "%s=" % k
            tail = R.choice(["", " status=ok", " attempt=2", " result=updated"])
        return head + value + tail, len(head.encode()), len(head.encode()) + len(value.encode())
    if fmt == "access":
        from urllib.parse import quote
        v = quote(value, safe="@+:") if R.random() < 0.5 else value.replace(" ", "+")
        head = '%s - - [%s] "GET %s?%s=' % (R.choice(["proxy-3.int", "lb01", "gw.internal"]), syslog_ts(),
                                            R.choice(PATHS), key.replace(".", "_").lower())
        tail = '&page=%d HTTP/1.1" %d %d "-" "Mozilla/5.0 (X11; Linux x86_64)"' % (
            R.randint(1, 9), R.choice([200, 302, 404, 500]), R.randint(100, 99999))
        return head + v + tail, len(head.encode()), len(head.encode()) + len(v.encode())
    if fmt == "header":
        hname = "X-" + "-".join(w.capitalize() for w in key.replace(".", "_").replace("-", "_").split("_"))
        head = R.choice(["> ", "< ", "", "header "]) + hname + ": "
        return head + value, len(head.encode()), len(head.encode()) + len(value.encode())
    # plain text: the value after a prose phrase
    head = R.choice([
        "%s %s [%s] " % (ts(), R.choice(LEVELS), svc),
        "%s host %s[%d]: " % (syslog_ts(), svc, R.randint(100, 30000)),
        "[%s] %s: " % (R.choice(LEVELS), svc),
        "",
    ]) + R.choice(phrases) + R.choice([" ", " ", ": ", " \""])
    q = head.endswith('"')
    tail = ('"' if q else "") + R.choice(TAILS)
    return head + value + tail, len(head.encode()), len(head.encode()) + len(value.encode())


FORMATS = ["plain", "plain", "json", "logfmt", "access", "header"]


def negatives(n):
    """Look-alikes that must stay untouched, each in a random format without a sensitive context."""
    def non_luhn16():
        while True:
            v = str(R.randint(1, 9)) + digits(15)
            if not luhn_ok(v):
                return v

    def partial_mapped():
        a = ipv4().rsplit(".", 1)[0]
        return "::ffff:" + a

    kinds = {
        "uuid": lambda: "%08x-%04x-%04x-%04x-%012x" % (R.getrandbits(32), R.getrandbits(16), R.getrandbits(16),
                                                        R.getrandbits(16), R.getrandbits(48)),
        "sha1": lambda: "%040x" % R.getrandbits(160),
        "sha256": lambda: "%064x" % R.getrandbits(256),
        "md5": lambda: "%032x" % R.getrandbits(128),
        "build_id": lambda: R.choice(["build-", "b", "ci#", "job/"]) + digits(R.randint(5, 10)),
        "version": lambda: R.choice(["v", "", "version "]) + "%d.%d.%d" % (R.randint(0, 20), R.randint(0, 40), R.randint(0, 300)) + R.choice(["", "-rc1", "+build.7", "-beta.2"]),
        "timestamp": lambda: R.choice([ts(), str(R.randint(1_400_000_000, 1_800_000_000)), str(R.randint(1_400_000_000_000, 1_800_000_000_000))]),
        "order_number": lambda: R.choice(["ORD-", "#", "order ", "PO"]) + digits(R.randint(6, 12)),
        "non_luhn_16": non_luhn16,
        "bad_iban": lambda: iban(bad=True),
        "placeholder": lambda: R.choice(["xxxx-xxxx-xxxx-xxxx", "<card number>", "****", "N/A", "${CARD}",
                                         "0000 0000 0000 0000", "XXX-XX-XXXX", "[REDACTED]", "null", "{{ssn}}",
                                         "555-0100", "example.com", "user@example"]),
        "partial_ipv4_mapped": partial_mapped,
        "duration_ms": lambda: "%d ms" % R.randint(1000, 99_999_999),
        "port_pair": lambda: "%d:%d" % (R.randint(1024, 65535), R.randint(1024, 65535)),
        "hex_id": lambda: "0x%x" % R.getrandbits(R.choice([32, 48, 64])),
        "ratio": lambda: "%d/%d" % (R.randint(1, 999), R.randint(1, 999)),
        "k8s_pod": lambda: "%s-%s-%s" % (R.choice(SERVICES), "%010x" % R.getrandbits(40), "".join(R.choice("bcdfghjklmnpqrstvwxz2456789") for _ in range(5))),
    }
    keys = ["id", "trace_id", "build", "version", "order", "ref", "checksum", "event_id", "sequence", "value", "msg",
            "request_id", "node", "job"]
    out = []
    names = sorted(kinds)
    for i in range(n):
        kind = names[i % len(names)]
        value = kinds[kind]()
        fmt = R.choice(FORMATS)
        k = R.choice(keys)
        if fmt == "json":
            line = '{"ts":"%s","level":"info","%s":"%s","msg":"processed"}' % (ts(), k, value)
        elif fmt == "logfmt":
            line = 'time=%s level=info %s="%s" status=ok' % (ts(), k, value)
        elif fmt == "access":
            line = 'lb01 - - [%s] "GET %s/%s HTTP/1.1" %d %d "-" "curl/8.1"' % (
                syslog_ts(), R.choice(PATHS), value.replace(" ", "%20"), R.choice([200, 404, 304]), R.randint(100, 99999))
        elif fmt == "header":
            line = "X-%s: %s" % (k.replace("_", "-").title(), value)
        else:
            line = "%s %s [%s] %s %s %s" % (ts(), R.choice(LEVELS), R.choice(SERVICES),
                                           R.choice(["processed", "job", "got", "saw", "cache key", "id"]), value,
                                           R.choice(["", "ok", "in 12ms", "(retry)"]))
        out.append({"class": "neg:" + kind, "fmt": fmt, "line": line, "start": -1, "end": -1})
    return out


ACCOUNT_CLASSES = {"credit_card", "iban", "routing_number", "bank_account", "aws_account_id"}


def new_classes(seed, n):
    """Rows of the credential and identifier classes and their look-alikes, from generators seeded apart from
    the original classes' (adding them leaves the original lines as they were)."""
    NR = random.Random(seed * 7919 + 1)
    accuracy_secrets.R.seed(seed * 7919 + 2)
    accuracy_ids.R.seed(seed * 7919 + 3)
    out = []

    def add(cls, group, spec, item, fmt, neg=False):
        line, s, e = accuracy_render.render(NR, fmt, spec, item)
        if "\n" in line or "\r" in line:
            return
        if neg:
            out.append({"class": cls, "group": group, "fmt": fmt, "line": line, "start": -1, "end": -1})
        else:
            out.append({"class": cls, "group": group, "fmt": fmt, "line": line, "start": s, "end": e})

    specs = accuracy_secrets.specs() + accuracy_ids.specs()
    for spec in specs:
        for _ in range(n):
            add(spec.name, spec.group, spec, spec.gen(), NR.choice(spec.fmts))
    # look-alikes: a wrong check digit right next to the id's own context words
    for spec in specs:
        if spec.bad is None:
            continue
        for _ in range(max(4, n // 10)):
            add("neg:bad_check:" + spec.group, spec.group, spec, spec.bad(), NR.choice(spec.fmts), neg=True)
    # documentation placeholders under the key a real config uses; hashes and ids of a token's length
    for kind, value, key in accuracy_secrets.negatives():
        spec = accuracy_render.Spec(kind, "secret", None, [key], [key + "=", key + ":"], secret=True)
        for _ in range(2):
            add("neg:" + kind, "secret", spec, value, NR.choice(["plain", "json", "logfmt", "header"]), neg=True)
    for _ in range(max(4, n // 10)):
        for key, value in accuracy_ids.hashlike():
            spec = accuracy_render.Spec(key, "national_id", None, [key], [key, key + ":"])
            add("neg:id_lookalike", "national_id", spec, value, NR.choice(accuracy_render.FORMATS), neg=True)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--per-class", type=int, default=240)
    ap.add_argument("--negatives", type=int, default=1200)
    ap.add_argument("--per-new-class", type=int, default=100,
                    help="lines per credential / identifier class (and a tenth of that in wrong-check look-alikes)")
    a = ap.parse_args()
    R.seed(a.seed)
    rows = []
    for cls in sorted(CTX):
        for i in range(a.per_class):
            if cls == "phone":
                value = (phone_us() if i % 2 == 0 else phone_intl()).strip()
                sub = "phone_us" if i % 2 == 0 else "phone_intl"
            elif cls == "ssn" and i % 4 == 3:
                value, sub = tax_id(), "tax_id"
            else:
                value, sub = GEN[cls]().strip(), cls
            fmt = R.choice(FORMATS)
            line, s, e = render(fmt, cls, value)
            if "\n" in line:
                continue
            rows.append({"class": sub, "fmt": fmt, "line": line, "start": s, "end": e})
    rows.extend(negatives(a.negatives))
    for r in rows:
        r["group"] = "account" if r["class"] in ACCOUNT_CLASSES else "personal"
    rows.extend(new_classes(a.seed, a.per_new_class))
    for r in rows:
        sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
