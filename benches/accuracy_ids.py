"""Identifier classes of the accuracy corpus: national ids and tax ids (G20 and EU), bank identifiers, health
identifiers, identity documents and crypto wallet addresses, each generated after its national or published
specification (structure, embedded birth date, check-digit algorithm) and logged next to the words a real service
writes, in the country's languages. Never derived from the rule pack's patterns or examples.

`specs()` returns the classes (accuracy_render.Spec); a class's `bad` gives the same shape with a wrong check
digit, a look-alike that must stay untouched even next to its context words. Every value is random.
"""

import datetime
import hashlib
import random
import string

import faker

from accuracy_codec import (B58, DIGITS, HEX, RIPPLE58, UPPER, b58check, eip55, icao_digit, iso7064_mod11_10,
                            keccak256, luhn_digit, monero_b58, segwit_address, verhoeff_digit, weighted)
from accuracy_render import FORMATS, Spec

R = random.Random()
_FK = {}


def fk(loc):
    if loc not in _FK:
        f = faker.Faker(loc)
        f.seed_instance(R.randrange(1 << 30))
        _FK[loc] = f
    return _FK[loc]


def dg(n):
    return "".join(R.choice(DIGITS) for _ in range(n))


def up(n, alphabet=UPPER):
    return "".join(R.choice(alphabet) for _ in range(n))


def birth(lo=1935, hi=2012):
    d0 = datetime.date(lo, 1, 1).toordinal()
    return datetime.date.fromordinal(R.randint(d0, datetime.date(hi, 12, 28).toordinal()))


def corrupt_at(v, idx):
    """`v` with the character at idx (a check digit or letter) replaced by another of its kind."""
    ch = v[idx]
    pool = DIGITS if ch.isdigit() else UPPER
    alt = R.choice([c for c in pool if c != ch])
    return v[:idx] + alt + v[idx + 1:]


def corrupt_last(v):
    for i in range(len(v) - 1, -1, -1):
        if v[i].isalnum():
            return corrupt_at(v, i)
    return v


def sep_groups(v, groups, seps):
    out, i = [], 0
    for g in groups:
        out.append(v[i:i + g])
        i += g
    s = R.choice(seps)
    return s.join(out)


# ------------------------------------------------------------------------------------------------ Americas

def ca_sin():
    body = R.choice("1234567") + dg(7)
    v = body + luhn_digit(body)
    return sep_groups(v, [3, 3, 3], ["-", " ", ""])


def cpf_digits():
    while True:
        b = dg(9)
        if len(set(b)) > 1:
            break
    r = weighted(b, range(10, 1, -1)) % 11
    d1 = "0" if r < 2 else str(11 - r)
    r = weighted(b + d1, range(11, 1, -1)) % 11
    d2 = "0" if r < 2 else str(11 - r)
    return b + d1 + d2


def br_cpf():
    d = cpf_digits()
    return "%s.%s.%s-%s" % (d[:3], d[3:6], d[6:9], d[9:])


def cnpj_digits():
    b = dg(8) + R.choice(["0001", "0002", "0003"])
    w1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
    r = weighted(b, w1) % 11
    d1 = "0" if r < 2 else str(11 - r)
    r = weighted(b + d1, [6] + w1) % 11
    d2 = "0" if r < 2 else str(11 - r)
    return b + d1 + d2


def br_cnpj():
    d = cnpj_digits()
    return "%s.%s.%s/%s-%s" % (d[:2], d[2:5], d[5:8], d[8:12], d[12:])


CURP_STATES = ["AS", "BC", "BS", "CC", "CL", "CM", "CS", "CH", "DF", "DG", "GT", "GR", "HG", "JC", "MC", "MN", "MS",
               "NT", "NL", "OC", "PL", "QT", "QR", "SP", "SL", "SR", "TC", "TS", "TL", "VZ", "YN", "ZS", "NE"]
CONS = "BCDFGHJKLMNPQRSTVWXYZ"


def curp():
    d = birth(1940, 2010)
    s = R.choice(UPPER.replace("Ñ", "")) + R.choice("AEIOU") + R.choice(UPPER) + R.choice(UPPER)
    s += d.strftime("%y%m%d") + R.choice("HM") + R.choice(CURP_STATES) + up(3, CONS)
    s += R.choice(DIGITS) if d.year < 2000 else R.choice(UPPER)
    table = "0123456789ABCDEFGHIJKLMNÑOPQRSTUVWXYZ"
    total = sum(table.index(c) * (18 - i) for i, c in enumerate(s))
    return s + str((10 - total % 10) % 10)


def rfc():
    d = birth(1940, 2005)
    person = R.random() < 0.7
    head = (up(4) if person else up(3)) + d.strftime("%y%m%d") + up(2, UPPER + DIGITS)
    table = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ Ñ"
    s = head if person else " " + head
    total = sum(table.index(c) * (13 - i) for i, c in enumerate(s))
    r = total % 11
    chk = "0" if r == 0 else ("A" if 11 - r == 10 else str(11 - r))
    return head + chk


def cuit():
    while True:
        t = R.choice(["20", "23", "24", "27", "30", "33"])
        b = t + dg(8)
        r = 11 - weighted(b, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11
        if r == 10:
            continue
        c = "0" if r == 11 else str(r)
        return "%s-%s-%s" % (b[:2], b[2:], c) if R.random() < 0.7 else b + c


def rut():
    body = str(R.randint(5_000_000, 25_999_999))
    s = sum(int(c) * w for c, w in zip(reversed(body), [2, 3, 4, 5, 6, 7] * 2))
    r = 11 - s % 11
    c = "0" if r == 11 else ("K" if r == 10 else str(r))
    if R.random() < 0.6:
        b = "{:,}".format(int(body)).replace(",", ".")
        return b + "-" + c
    return body + "-" + c


def itin():
    g = R.choice(list(range(50, 66)) + list(range(70, 89)) + [90, 91, 92] + list(range(94, 100)))
    v = "9%s-%02d-%s" % (dg(2), g, dg(4))
    return v if R.random() < 0.7 else v.replace("-", "")


def ein():
    p = R.choice([1, 2, 3, 4, 5, 6, 10, 12, 20, 27, 30, 35, 38, 45, 46, 52, 54, 61, 65, 71, 77, 81, 86, 91, 94, 98])
    return "%02d-%s" % (p, dg(7))


# ------------------------------------------------------------------------------------------------ Asia-Pacific, Africa, Russia

def aadhaar():
    b = R.choice("23456789") + dg(10)
    v = b + verhoeff_digit(b)
    return sep_groups(v, [4, 4, 4], [" ", "", "-", " "])


def pan():
    return up(3) + R.choice("PCHFATBLJG") + up(1) + dg(4) + up(1)


CN_REGIONS = ["110101", "110105", "310104", "310115", "440106", "440305", "320102", "330106", "510104", "420102",
              "370202", "210102", "500103", "610113", "350203", "120101"]


def cn_id():
    d = birth(1940, 2010)
    b = R.choice(CN_REGIONS) + d.strftime("%Y%m%d") + dg(3)
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return b + "10X98765432"[weighted(b, w) % 11]


def my_number():
    b = dg(11)
    s = sum(int(c) * (n + 1 if n <= 6 else n - 5) for n, c in zip(range(1, 12), reversed(b)))
    r = s % 11
    v = b + ("0" if r <= 1 else str(11 - r))
    return sep_groups(v, [4, 4, 4], [" ", "", "-"])


def kr_rrn():
    d = birth(1940, 2019)
    s = R.choice("12") if d.year < 2000 else R.choice("34")
    b = d.strftime("%y%m%d") + s + dg(5)
    c = (11 - weighted(b, [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]) % 11) % 10
    v = b + str(c)
    return v[:6] + "-" + v[6:] if R.random() < 0.8 else v


def tfn():
    while True:
        b = dg(9)
        if weighted(b, [1, 4, 3, 7, 5, 8, 6, 9, 10]) % 11 == 0 and b[0] != "0":
            return sep_groups(b, [3, 3, 3], [" ", "", "-"])


def au_medicare():
    b = R.choice("23456") + dg(7)
    c = str(weighted(b, [1, 3, 7, 9, 1, 3, 7, 9]) % 10)
    v = b + c + R.choice("123456789")
    if R.random() < 0.5:
        return "%s %s %s" % (v[:4], v[4:9], v[9])
    return v


def za_id():
    d = birth(1940, 2005)
    b = d.strftime("%y%m%d") + dg(4) + R.choice("01") + "8"
    return b + luhn_digit(b)


def tckn():
    d = [R.randint(1, 9)] + [R.randint(0, 9) for _ in range(8)]
    d10 = ((d[0] + d[2] + d[4] + d[6] + d[8]) * 7 - (d[1] + d[3] + d[5] + d[7])) % 10
    d11 = (sum(d) + d10) % 10
    return "".join(map(str, d)) + str(d10) + str(d11)


def sa_id():
    b = R.choice("12") + dg(8)
    return b + luhn_digit(b)


ID_PROVINCES = [11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61, 62, 63, 64, 65, 71, 72,
                73, 74, 75, 76, 81, 82, 91, 94]


def nik():
    d = birth(1950, 2005)
    day = d.day + (40 if R.random() < 0.5 else 0)
    return "%02d%02d%02d%02d%s%s%04d" % (R.choice(ID_PROVINCES), R.randint(1, 79), R.randint(1, 40), day,
                                         d.strftime("%m"), d.strftime("%y"), R.randint(1, 2999))


def inn():
    if R.random() < 0.5:
        b = dg(9)
        return b + str(weighted(b, [2, 4, 10, 3, 5, 9, 4, 6, 8]) % 11 % 10)
    b = dg(10)
    n11 = str(weighted(b, [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) % 11 % 10)
    n12 = str(weighted(b + n11, [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]) % 11 % 10)
    return b + n11 + n12


def snils():
    while True:
        b = dg(9)
        if int(b) > 1001998:
            break
    s = weighted(b, range(9, 0, -1))
    if s < 100:
        c = s
    elif s in (100, 101):
        c = 0
    else:
        c = s % 101
        if c == 100:
            c = 0
    v = "%s-%s-%s %02d" % (b[:3], b[3:6], b[6:], c)
    return v if R.random() < 0.7 else v.replace("-", "").replace(" ", "")


GST_STATES = ["01", "03", "06", "07", "08", "09", "10", "19", "21", "23", "24", "27", "29", "32", "33", "36", "37"]


def gstin():
    alpha = DIGITS + UPPER
    b = R.choice(GST_STATES) + pan() + R.choice("123456789ABC") + "Z"
    total = 0
    for i, c in enumerate(b):
        p = alpha.index(c) * (2 if i % 2 else 1)
        total += p // 36 + p % 36
    return b + alpha[(36 - total % 36) % 36]


# ------------------------------------------------------------------------------------------------ Europe

def steuer_id():
    while True:
        digs = R.sample(DIGITS, 9)
        if digs[0] == "0":
            continue
        dup = R.choice(digs[1:])
        b = digs + [dup]
        R.shuffle(b)
        if b[0] == "0":
            continue
        b = "".join(b)
        v = b + iso7064_mod11_10(b)
        return sep_groups(v, [2, 3, 3, 3], [" ", "", " "])


AUSWEIS_ALPHA = "CFGHJKLMNPRTVWXYZ0123456789"


def personalausweis():
    b = R.choice("LMNPRTVWXY") + "".join(R.choice(AUSWEIS_ALPHA) for _ in range(8))
    return b + icao_digit(b)


def nir():
    d = birth(1940, 2005)
    dept = R.choice(["%02d" % R.randint(1, 95), "2A", "2B", "75", "69", "13"])
    while dept == "20":
        dept = "%02d" % R.randint(1, 95)
    b = R.choice("12") + d.strftime("%y%m") + dept + "%03d" % R.randint(1, 990) + "%03d" % R.randint(1, 999)
    n = int(b.replace("2A", "19").replace("2B", "18"))
    key = "%02d" % (97 - n % 97)
    if R.random() < 0.5:
        return "%s %s %s %s %s %s %s" % (b[0], b[1:3], b[3:5], b[5:7], b[7:10], b[10:13], key)
    return b + key


def dni():
    letters = "TRWAGMYFPDXBNJZSQVHLCKE"
    if R.random() < 0.7:
        n = dg(8)
        return n + letters[int(n) % 23]
    p = R.choice("XYZ")
    n = dg(7)
    return p + n + letters[int(str("XYZ".index(p)) + n) % 23]


def cif():
    t = R.choice("ABCDEFGHJNPQRSUVW")
    b = "%02d" % R.randint(1, 99) + dg(5)
    even = sum(int(b[i]) for i in (1, 3, 5))
    odd = sum(sum(divmod(int(b[i]) * 2, 10)) for i in (0, 2, 4, 6))
    c = (10 - (even + odd) % 10) % 10
    if t in "KPQRSNW":
        ctl = "JABCDEFGHI"[c]
    elif t in "ABEH":
        ctl = str(c)
    else:
        ctl = R.choice([str(c), "JABCDEFGHI"[c]])
    return t + b + ctl


CF_ODD = {c: v for c, v in zip("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                                [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3,
                                 6, 8, 12, 14, 16, 10, 22, 25, 24, 23])}


def codice_fiscale():
    d = birth(1940, 2005)
    day = d.day + (40 if R.random() < 0.5 else 0)
    b = up(3, CONS) + up(3, CONS) + d.strftime("%y") + "ABCDEHLMPRST"[d.month - 1] + "%02d" % day
    b += R.choice(["H501", "F205", "L219", "A662", "G273", "D612", "C351", "Z404"])
    total = 0
    for i, c in enumerate(b):
        if i % 2 == 0:
            total += CF_ODD[c]
        else:
            total += int(c) if c.isdigit() else ord(c) - 65
    return b + chr(65 + total % 26)


def bsn():
    while True:
        b = dg(8)
        s = weighted(b, range(9, 1, -1))
        c = s % 11
        if c < 10 and b[0] != "0":
            return b + str(c)


def be_nn():
    d = birth(1940, 2010)
    seq = "%03d" % R.randint(1, 997)
    b = d.strftime("%y%m%d") + seq
    base = int(("2" if d.year >= 2000 else "") + b)
    c = "%02d" % (97 - base % 97)
    if R.random() < 0.6:
        return "%s.%s.%s-%s.%s" % (b[:2], b[2:4], b[4:6], seq, c)
    return b + c


def pesel():
    d = birth(1940, 2015)
    m = d.month + (20 if d.year >= 2000 else 0)
    b = d.strftime("%y") + "%02d" % m + d.strftime("%d") + dg(4)
    c = (10 - weighted(b, [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]) % 10) % 10
    return b + str(c)


def personnummer():
    d = birth(1940, 2010)
    day = d.day + (60 if R.random() < 0.1 else 0)
    b = d.strftime("%y%m") + "%02d" % day + dg(3)
    v = b + luhn_digit(b)
    r = R.random()
    if r < 0.5:
        return v[:6] + "-" + v[6:]
    if r < 0.8:
        return d.strftime("%Y")[:2] + v
    return d.strftime("%Y")[:2] + v[:6] + "-" + v[6:]


def cpr():
    if R.random() < 0.7:
        d = birth(1937, 1999)
        c7 = R.choice("0123")
    else:
        d = birth(2000, 2020)
        c7 = R.choice("4")
    v = d.strftime("%d%m%y") + c7 + dg(3)
    return v[:6] + "-" + v[6:] if R.random() < 0.8 else v


def hetu():
    d = birth(1940, 2015)
    sign = R.choice("-YXWVU") if d.year < 2000 else R.choice("ABCDEF")
    ind = "%03d" % R.randint(2, 899)
    n = int(d.strftime("%d%m%y") + ind)
    return d.strftime("%d%m%y") + sign + ind + "0123456789ABCDEFHJKLMNPRSTUVWXY"[n % 31]


def fodselsnummer():
    while True:
        d = birth(1940, 1999)
        day = d.day + (40 if R.random() < 0.1 else 0)
        b = "%02d" % day + d.strftime("%m%y") + "%03d" % R.randint(0, 499)
        k1 = 11 - weighted(b, [3, 7, 6, 1, 8, 9, 4, 5, 2]) % 11
        k1 = 0 if k1 == 11 else k1
        if k1 == 10:
            continue
        k2 = 11 - weighted(b + str(k1), [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11
        k2 = 0 if k2 == 11 else k2
        if k2 == 10:
            continue
        v = b + str(k1) + str(k2)
        return v if R.random() < 0.7 else v[:6] + " " + v[6:]


def pt_nif():
    while True:
        b = R.choice("12356") + dg(7)
        c = 11 - weighted(b, range(9, 1, -1)) % 11
        c = 0 if c >= 10 else c
        v = b + str(c)
        return v if R.random() < 0.7 else "%s %s %s" % (v[:3], v[3:6], v[6:])


def ppsn():
    b = dg(7)
    second = R.choice(["", "", "A", "W", "H"])
    s = weighted(b, range(8, 1, -1)) + (9 * (ord(second) - 64) if second and second != "W" else 0)
    chk = "WABCDEFGHIJKLMNOPQRSTUV"[s % 23]
    return b + chk + second


def svnr():
    while True:
        serial = str(R.randint(100, 999))
        d = birth(1940, 2010)
        date = d.strftime("%d%m%y")
        c = weighted(serial + date, [3, 7, 9, 5, 8, 4, 2, 1, 6]) % 11
        if c == 10:
            continue
        v = serial + str(c) + date
        return v if R.random() < 0.6 else v[:4] + " " + v[4:]


def rodne_cislo():
    while True:
        d = birth(1954, 2010)
        m = d.month + (50 if R.random() < 0.5 else 0)
        b = d.strftime("%y") + "%02d" % m + d.strftime("%d") + "%03d" % R.randint(0, 999)
        r = int(b) % 11
        if r == 10:
            continue
        v = b + str(r)
        return v[:6] + "/" + v[6:] if R.random() < 0.7 else v


def cnp():
    d = birth(1940, 2010)
    s = R.choice("12") if d.year < 2000 else R.choice("56")
    b = s + d.strftime("%y%m%d") + "%02d" % R.randint(1, 46) + "%03d" % R.randint(1, 999)
    c = weighted(b, [2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9]) % 11
    return b + ("1" if c == 10 else str(c))


def amka():
    d = birth(1940, 2010)
    b = d.strftime("%d%m%y") + dg(4)
    return b + luhn_digit(b)


def hu_tax():
    while True:
        d = birth(1940, 2005)
        days = (d - datetime.date(1867, 1, 1)).days
        b = "8" + "%05d" % days + "%03d" % R.randint(0, 999)
        c = sum(int(ch) * (i + 1) for i, ch in enumerate(b)) % 11
        if c < 10:
            return b + str(c)


def taj():
    b = dg(8)
    c = sum(int(ch) * (3 if i % 2 == 0 else 7) for i, ch in enumerate(b)) % 10
    v = b + str(c)
    return v if R.random() < 0.5 else "%s %s %s" % (v[:3], v[3:6], v[6:])


def egn():
    d = birth(1940, 2015)
    m = d.month + (40 if d.year >= 2000 else 0)
    b = d.strftime("%y") + "%02d" % m + d.strftime("%d") + dg(3)
    c = weighted(b, [2, 4, 8, 5, 10, 9, 7, 3, 6]) % 11
    return b + ("0" if c == 10 else str(c))


def oib():
    b = R.choice("123456789") + dg(9)
    return b + iso7064_mod11_10(b)


def emso():
    while True:
        d = birth(1940, 2010)
        b = d.strftime("%d%m") + d.strftime("%Y")[1:] + R.choice(["50", "10", "30", "38"]) + "%03d" % R.randint(0, 999)
        m = weighted(b, [7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) % 11
        k = 0 if m == 0 else 11 - m
        if k < 10:
            return b + str(k)


def baltic_code():
    d = birth(1940, 2010)
    g = R.choice("34") if d.year < 2000 else R.choice("56")
    b = g + d.strftime("%y%m%d") + "%03d" % R.randint(0, 999)
    c = weighted(b, [1, 2, 3, 4, 5, 6, 7, 8, 9, 1]) % 11
    if c == 10:
        c = weighted(b, [3, 4, 5, 6, 7, 8, 9, 1, 2, 3]) % 11
        if c == 10:
            c = 0
    return b + str(c)


def lv_code():
    while True:
        d = birth(1940, 2010)
        cent = "1" if d.year < 2000 else "2"
        b = d.strftime("%d%m%y") + cent + dg(3)
        c = (1101 - weighted(b, [1, 6, 3, 7, 9, 10, 5, 8, 4, 2])) % 11
        if c < 10:
            v = b + str(c)
            return v[:6] + "-" + v[6:] if R.random() < 0.8 else v


def lu_matricule():
    d = birth(1940, 2010)
    b = d.strftime("%Y%m%d") + dg(3)
    return b + luhn_digit(b) + verhoeff_digit(b)


def fr_siren():
    b = dg(8)
    siren = b + luhn_digit(b)
    if R.random() < 0.5:
        return " ".join([siren[:3], siren[3:6], siren[6:]]) if R.random() < 0.4 else siren
    body = siren + dg(4)
    return body + luhn_digit(body)


def vat():
    """An EU VAT number of one member state, with its national check digits."""
    cc = R.choice(["DE", "FR", "IT", "NL", "BE", "AT", "PL", "SE", "DK", "FI", "ES", "PT", "HU", "LU", "SK", "HR", "EL",
                   "SI", "EE", "IE"])
    if cc == "DE":
        b = R.choice("123456789") + dg(7)
        n = b + iso7064_mod11_10(b)
    elif cc == "FR":
        b = dg(8)
        siren = b + luhn_digit(b)
        n = "%02d" % ((12 + 3 * (int(siren) % 97)) % 97) + siren
    elif cc == "IT":
        b = dg(7) + "%03d" % R.randint(1, 100)
        n = b + luhn_digit(b)
    elif cc == "NL":
        n = bsn() + "B" + "%02d" % R.randint(1, 3)
    elif cc == "BE":
        b = "0" + R.choice("123456789") + dg(6)
        n = b + "%02d" % (97 - int(b) % 97)
    elif cc == "AT":
        while True:
            b = dg(7)
            s = 0
            for i, ch in enumerate(b):
                v = int(ch) * (2 if i % 2 else 1)
                s += v // 10 + v % 10
            c = (10 - (s + 4) % 10) % 10
            n = "U" + b + str(c)
            break
    elif cc == "PL":
        while True:
            b = dg(9)
            c = weighted(b, [6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11
            if c < 10:
                n = b + str(c)
                break
    elif cc == "SE":
        b = R.choice("5789") + dg(8)
        n = b + luhn_digit(b) + "01"
    elif cc == "DK":
        while True:
            b = R.choice("123456789") + dg(7)
            if weighted(b, [2, 7, 6, 5, 4, 3, 2, 1]) % 11 == 0:
                n = b
                break
    elif cc == "FI":
        while True:
            b = dg(7)
            r = weighted(b, [7, 9, 10, 5, 8, 4, 2]) % 11
            if r != 1:
                n = b + str(0 if r == 0 else 11 - r)
                break
    elif cc == "ES":
        n = dni() if R.random() < 0.5 else cif()
    elif cc == "PT":
        n = pt_nif().replace(" ", "")
    elif cc == "HU":
        b = dg(7)
        n = b + str((10 - weighted(b, [9, 7, 3, 1, 9, 7, 3]) % 10) % 10)
    elif cc == "LU":
        b = dg(6)
        n = b + "%02d" % (int(b) % 89)
    elif cc == "SK":
        while True:
            b = R.choice("123456789") + dg(1) + R.choice("2346789") + dg(7)
            if int(b) % 11 == 0:
                n = b
                break
    elif cc == "HR":
        n = oib()
    elif cc == "EL":
        b = dg(8)
        n = b + str(sum(int(c) * 2 ** (8 - i) for i, c in enumerate(b)) % 11 % 10)
    elif cc == "SI":
        while True:
            b = R.choice("123456789") + dg(6)
            r = 11 - weighted(b, [8, 7, 6, 5, 4, 3, 2]) % 11
            if r != 11:
                n = b + str(0 if r == 10 else r)
                break
    elif cc == "EE":
        b = "10" + dg(6)
        n = b + str((10 - weighted(b, [3, 7, 1, 3, 7, 1, 3, 7]) % 10) % 10)
    else:
        b = R.choice("1234789") + dg(6)
        n = b + "WABCDEFGHIJKLMNOPQRSTUV"[weighted(b, range(8, 1, -1)) % 23]
    return cc + (" " if R.random() < 0.15 else "") + n


# ------------------------------------------------------------------------------------------------ health

def nhs():
    while True:
        b = R.choice("4679") + dg(8)
        r = 11 - weighted(b, range(10, 1, -1)) % 11
        if r == 10:
            continue
        v = b + ("0" if r == 11 else str(r))
        return sep_groups(v, [3, 3, 4], [" ", "-", ""])


def npi():
    b = R.choice("12") + dg(8)
    return b + luhn_digit("80840" + b)


def mbi():
    a = "ACDEFGHJKMNPQRTUVWXY"
    an = a + DIGITS
    pick = R.choice
    v = pick("123456789") + pick(a) + pick(an) + pick(DIGITS) + pick(a) + pick(an) + pick(DIGITS) + pick(a) + pick(a) + \
        pick(DIGITS) + pick(DIGITS)
    return v if R.random() < 0.6 else "%s-%s-%s" % (v[:4], v[4:7], v[7:])


def dea():
    d = dg(6)
    c = (int(d[0]) + int(d[2]) + int(d[4]) + 2 * (int(d[1]) + int(d[3]) + int(d[5]))) % 10
    return R.choice("ABCDEFGHJKLMPRSTUX") + R.choice(UPPER + "9") + d + str(c)


def ohip():
    b = R.choice("123456789") + dg(8)
    v = b + luhn_digit(b)
    if R.random() < 0.5:
        v = "%s-%s-%s" % (v[:4], v[4:7], v[7:]) if R.random() < 0.5 else v
        return v + (R.choice(["", "-"]) + up(2) if R.random() < 0.6 else "")
    return v


def bc_phn():
    while True:
        b = "9" + dg(8)
        s = sum((int(c) * w) % 11 for c, w in zip(b[1:], [2, 4, 8, 5, 10, 9, 7, 3]))
        c = 11 - s % 11
        if c < 10:
            v = b + str(c)
            return v if R.random() < 0.6 else "%s %s %s" % (v[:4], v[4:7], v[7:])


def ramq():
    d = birth(1940, 2010)
    m = d.month + (50 if R.random() < 0.5 else 0)
    v = up(4) + d.strftime("%y") + "%02d" % m + d.strftime("%d") + dg(2)
    return v if R.random() < 0.6 else "%s %s %s" % (v[:4], v[4:8], v[8:])


def ihi():
    b = R.choice(["800360", "800361", "800362"]) + dg(9)
    v = b + luhn_digit(b)
    return v if R.random() < 0.5 else " ".join(v[i:i + 4] for i in range(0, 16, 4))


# ------------------------------------------------------------------------------------------------ bank

BIC_COUNTRIES = ["DE", "FR", "GB", "US", "ES", "IT", "NL", "CH", "BE", "SE", "JP", "CN", "SG", "HK", "AU", "CA", "MX", "BR"]


def bic():
    v = up(4) + R.choice(BIC_COUNTRIES) + R.choice(UPPER + DIGITS) + R.choice(UPPER + DIGITS.replace("0", ""))
    return v + (R.choice(["XXX", up(1) + dg(2)]) if R.random() < 0.5 else "")


def sort_code():
    sc = "%02d-%02d-%02d" % (R.randint(1, 99), R.randint(0, 99), R.randint(0, 99))
    acct = dg(8)
    mid = R.choice([" ", " account ", ", acc ", " / ", " a/c "])
    return sc + mid + acct


def bsb():
    return "%03d-%03d" % (R.randint(10, 999), R.randint(0, 999)) + R.choice([" ", " acct ", " account "]) + dg(R.randint(6, 9))


def ca_transit():
    if R.random() < 0.6:
        return dg(5) + "-" + R.choice(["001", "002", "003", "004", "006", "010", "016", "039", "815", "828"])
    return "0" + R.choice(["001", "002", "003", "004", "006", "010"]) + dg(5)


def clabe():
    b = R.choice(["002", "012", "014", "021", "030", "036", "044", "058", "072", "127", "137", "646"]) + dg(14)
    s = sum((int(c) * w) % 10 for c, w in zip(b, [3, 7, 1] * 6))
    return b + str((10 - s % 10) % 10)


# ------------------------------------------------------------------------------------------------ documents

def passport_generic():
    return R.choice([up(2) + dg(7), up(1) + dg(8), dg(9), up(1) + up(1, UPPER + DIGITS) + dg(6), up(2) + dg(6)])


def us_passport():
    return dg(9) if R.random() < 0.5 else up(1) + dg(8)


def mrz_line2():
    doc = (up(2) + dg(7)) if R.random() < 0.5 else dg(9)
    d = birth(1940, 2005)
    exp = datetime.date(R.randint(2025, 2034), R.randint(1, 12), R.randint(1, 28))
    nat = R.choice(["UTO", "D<<", "GBR", "FRA", "USA", "NLD", "ITA", "ESP", "CAN"])
    pn = "<" * 14 if R.random() < 0.6 else (dg(9) + "<" * 5)
    pchk = "<" if pn == "<" * 14 and R.random() < 0.5 else icao_digit(pn)
    parts = [doc + icao_digit(doc), nat, d.strftime("%y%m%d") + icao_digit(d.strftime("%y%m%d")), R.choice("MF<"),
             exp.strftime("%y%m%d") + icao_digit(exp.strftime("%y%m%d")), pn + pchk]
    line = "".join(parts)
    comp = parts[0] + parts[2] + parts[4] + parts[5]
    return line + icao_digit(comp)


def mrz_line1():
    f = fk(R.choice(["en_US", "de_DE", "fr_FR", "nl_NL"]))
    sur = "".join(c for c in f.last_name().upper() if c.isalpha() and c.isascii())
    giv = "<".join("".join(c for c in w.upper() if c.isalpha() and c.isascii()) for w in f.first_name().split())
    s = "P<" + R.choice(["UTO", "D<<", "GBR", "FRA", "USA", "NLD"]) + sur + "<<" + giv
    return (s + "<" * 44)[:44]


US_DL = [lambda: up(1) + dg(7), lambda: dg(9), lambda: up(1) + dg(12), lambda: dg(8), lambda: up(1) + dg(11),
         lambda: dg(7), lambda: up(1) + dg(8), lambda: dg(12), lambda: up(2) + dg(6)]


def us_dl():
    return R.choice(US_DL)()


def gb_dl():
    f = fk("en_GB")
    sur = ("".join(c for c in f.last_name().upper() if c.isalpha()) + "99999")[:5]
    d = birth(1940, 2005)
    m = d.month + (50 if R.random() < 0.5 else 0)
    ini = (f.first_name()[0] + R.choice([f.first_name()[0], "9"])).upper()
    return sur + d.strftime("%y")[0] + "%02d" % m + d.strftime("%d") + d.strftime("%y")[1] + ini + "9" + up(2, UPPER + DIGITS)


# ------------------------------------------------------------------------------------------------ wallets

def btc_legacy():
    return b58check(bytes([R.choice([0x00, 0x05])]) + rb(20))


def rb(n):
    return bytes(R.getrandbits(8) for _ in range(n))


def segwit():
    hrp = R.choice(["bc", "bc", "ltc"])
    r = R.random()
    if r < 0.5:
        return segwit_address(hrp, 0, rb(20))
    if r < 0.75:
        return segwit_address(hrp, 0, rb(32))
    return segwit_address(hrp, 1, rb(32))


def ltc_legacy():
    return b58check(bytes([R.choice([0x30, 0x32])]) + rb(20))


def doge():
    return b58check(bytes([R.choice([0x1E, 0x16])]) + rb(20))


def tron():
    return b58check(b"\x41" + rb(20))


def xrp():
    return b58check(b"\x00" + rb(20), RIPPLE58)


def eth_mixed():
    while True:
        a = eip55(rb(20).hex())
        if any(c.isupper() for c in a) and any(c.islower() for c in a[2:]):
            return a


def eth_lower():
    a = "0x" + rb(20).hex()
    return a if R.random() < 0.8 else "0x" + a[2:].upper()


def monero():
    tag = R.choice([0x12, 0x2A])
    data = bytes([tag]) + rb(64)
    return monero_b58(data + keccak256(data)[:4])


def wif():
    key = rb(32)
    if R.random() < 0.5:
        return b58check(b"\x80" + key)
    return b58check(b"\x80" + key + b"\x01")


BIP32 = {"xprv": "0488ade4", "yprv": "049d7878", "zprv": "04b2430c", "tprv": "04358394",
         "xpub": "0488b21e", "ypub": "049d7cb2", "zpub": "04b24746", "tpub": "043587cf"}


def bip32(private):
    name = R.choice(["xprv", "yprv", "zprv", "tprv"] if private else ["xpub", "ypub", "zpub", "tpub"])
    depth = R.randint(0, 4)
    body = bytes.fromhex(BIP32[name]) + bytes([depth]) + (rb(4) if depth else bytes(4)) + (rb(4) if depth else bytes(4))
    body += rb(32) + ((b"\x00" + rb(32)) if private else (bytes([R.choice([2, 3])]) + rb(32)))
    return b58check(body)


def bad_b58(gen, alphabet=B58):
    """A Base58Check value with one of its checksum characters changed."""
    def g():
        v = gen()
        i = R.randrange(len(v) - 4, len(v))
        return v[:i] + R.choice([c for c in alphabet if c != v[i]]) + v[i + 1:]
    return g


def bad_digit(gen, n):
    """The value with its n-th digit (0-based, separators not counted), the check digit, changed."""
    def g():
        v = gen()
        pos = [i for i, c in enumerate(v) if c.isdigit()][n]
        return corrupt_at(v, pos)
    return g


def bad_vat():
    while True:
        v = vat()
        if not v.startswith(("NL", "SE")):
            return corrupt_last(v)


def bad_eip55():
    a = eth_mixed()
    letters = [i for i, c in enumerate(a) if i > 1 and c.isalpha()]
    i = R.choice(letters)
    return a[:i] + a[i].swapcase() + a[i + 1:]


def bad_bech32():
    v = segwit()
    i = R.randrange(len(v) - 6, len(v))
    alts = [c for c in "qpzry9x8gf2tvdw0s3jn54khce6mua7l" if c != v[i]]
    return v[:i] + R.choice(alts) + v[i + 1:]


# ------------------------------------------------------------------------------------------------ the table

def I(name, group, gen, keys, phrases, bad="last", fmts=None, hdr=None, no_msg=False):
    if bad == "last":
        b = lambda: corrupt_last(gen())
    elif isinstance(bad, int):
        b = (lambda idx: lambda: corrupt_at(gen(), idx))(bad)
    else:
        b = bad
    return Spec(name, group, gen, keys, phrases, fmts=fmts or FORMATS, bad=b, hdr=hdr, no_msg=no_msg)


def specs():
    return [
        # Americas
        I("ca_sin", "national_id", ca_sin, ["sin", "social_insurance_number", "SIN", "nas", "employee.sin"],
          ["SIN", "social insurance number", "NAS", "numéro d'assurance sociale", "SIN:"]),
        I("br_cpf", "national_id", br_cpf, ["cpf", "documento", "cliente.cpf", "taxId"], ["CPF", "cpf do titular",
          "CPF:", "documento", "cliente"]),
        I("br_cpf_bare", "national_id", cpf_digits, ["cpf", "nr_cpf", "cpfCliente"], ["CPF", "cpf do cliente",
          "CPF nº", "cadastro de pessoas físicas"]),
        I("br_cnpj", "national_id", br_cnpj, ["cnpj", "empresa.cnpj", "taxId"], ["CNPJ", "CNPJ da empresa", "cnpj:"]),
        I("br_cnpj_bare", "national_id", cnpj_digits, ["cnpj", "nr_cnpj"], ["CNPJ", "CNPJ do fornecedor"]),
        I("mx_curp", "national_id", curp, ["curp", "CURP", "solicitante.curp"], ["CURP", "CURP del solicitante", "curp:"]),
        I("mx_rfc", "national_id", rfc, ["rfc", "RFC", "rfc_emisor", "rfcReceptor"], ["RFC", "RFC del emisor",
          "RFC receptor", "registro federal de contribuyentes"]),
        I("ar_cuit", "national_id", cuit, ["cuit", "cuil", "CUIT"], ["CUIT", "CUIL", "CUIT del contribuyente"]),
        I("cl_rut", "national_id", rut, ["rut", "RUT", "run", "rut_cliente"], ["RUT", "RUN", "RUT del cliente", "rut:"]),
        I("us_itin", "national_id", itin, ["itin", "ITIN", "taxpayer_itin"], ["ITIN", "individual taxpayer identification number",
          "ITIN:"], bad=None),
        I("us_ein", "national_id", ein, ["ein", "EIN", "fein", "employer_id"], ["EIN", "FEIN", "employer identification number",
          "employer id"], bad=None),
        # Asia-Pacific, Africa, Russia
        I("in_aadhaar", "national_id", aadhaar, ["aadhaar", "aadhaar_number", "uid", "aadhaarNo"],
          ["Aadhaar", "Aadhaar no.", "आधार संख्या", "UIDAI", "aadhaar number"]),
        I("in_pan", "national_id", pan, ["pan", "pan_number", "PAN", "panNo"], ["PAN", "PAN card", "income tax PAN",
          "पैन"], bad=None),
        I("cn_resident_id", "national_id", cn_id, ["id_card", "sfzh", "shenfenzheng", "idNumber"],
          ["身份证号", "身份证", "ID card", "居民身份证号码"]),
        I("jp_my_number", "national_id", my_number, ["my_number", "mynumber", "kojin_bango"], ["マイナンバー", "個人番号",
          "My Number", "マイナンバー:"]),
        I("kr_rrn", "national_id", kr_rrn, ["rrn", "jumin", "resident_registration_number"], ["주민등록번호", "RRN",
          "resident registration number"]),
        I("au_tfn", "national_id", tfn, ["tfn", "tax_file_number", "TFN"], ["TFN", "tax file number", "TFN:"]),
        I("au_medicare", "health", au_medicare, ["medicare", "medicare_number", "medicareNo"], ["Medicare card",
          "Medicare number", "medicare no"], bad=bad_digit(au_medicare, 8)),
        I("za_id", "national_id", za_id, ["id_number", "sa_id", "identity_number", "rsa_id"], ["ID number",
          "identity number", "SA ID", "RSA ID no"]),
        I("tr_tckn", "national_id", tckn, ["tckn", "tc_kimlik_no", "tcKimlik", "kimlik_no"], ["TC Kimlik No",
          "T.C. kimlik numarası", "TCKN", "kimlik no"]),
        I("sa_national_id", "national_id", sa_id, ["national_id", "iqama", "iqama_number", "nationalId"],
          ["national id", "iqama", "رقم الهوية", "هوية", "iqama no"]),
        I("id_nik", "national_id", nik, ["nik", "NIK", "no_ktp", "ktp"], ["NIK", "nomor induk kependudukan", "KTP",
          "NIK:"], bad=None),
        I("ru_inn", "national_id", inn, ["inn", "INN", "taxpayer_inn"], ["ИНН", "INN", "ИНН налогоплательщика"]),
        I("ru_snils", "national_id", snils, ["snils", "SNILS"], ["СНИЛС", "SNILS", "страховой номер"]),
        I("in_gstin", "national_id", gstin, ["gstin", "GSTIN", "gst_number", "gstNo"], ["GSTIN", "GST number",
          "GSTIN of supplier"]),
        # Europe
        I("de_steuer_id", "national_id", steuer_id, ["steuer_id", "steuerid", "tax_id", "idnr"], ["Steuer-ID",
          "Steueridentifikationsnummer", "steuerliche Identifikationsnummer", "IdNr"]),
        I("de_personalausweis", "national_id", personalausweis, ["ausweisnummer", "personalausweis", "id_card_number"],
          ["Ausweisnummer", "Personalausweis Nr.", "Personalausweisnummer", "Ausweis"]),
        I("fr_nir", "national_id", nir, ["nir", "numero_securite_sociale", "insee", "secu"], ["NIR",
          "numéro de sécurité sociale", "n° INSEE", "sécu", "numéro de sécu"]),
        I("es_dni_nie", "national_id", dni, ["dni", "nie", "nif", "documento"], ["DNI", "NIE", "NIF", "DNI del titular"]),
        I("es_cif", "national_id", cif, ["cif", "nif_empresa", "CIF"], ["CIF", "NIF de la empresa", "CIF:"]),
        I("it_codice_fiscale", "national_id", codice_fiscale, ["codice_fiscale", "codiceFiscale", "cf"],
          ["codice fiscale", "C.F.", "CF", "cod. fiscale"]),
        I("nl_bsn", "national_id", bsn, ["bsn", "burgerservicenummer", "BSN"], ["BSN", "burgerservicenummer",
          "sofinummer", "BSN:"]),
        I("be_national_number", "national_id", be_nn, ["rijksregisternummer", "national_number", "numero_national", "insz"],
          ["rijksregisternummer", "numéro national", "national number", "INSZ"]),
        I("pl_pesel", "national_id", pesel, ["pesel", "PESEL", "nr_pesel"], ["PESEL", "numer PESEL", "PESEL:"]),
        I("se_personnummer", "national_id", personnummer, ["personnummer", "pnr", "personal_number"], ["personnummer",
          "pers.nr", "samordningsnummer", "personnummer:"]),
        I("dk_cpr", "national_id", cpr, ["cpr", "cpr_nummer", "CPR"], ["CPR", "CPR-nummer", "cpr nr"], bad=None),
        I("fi_hetu", "national_id", hetu, ["hetu", "henkilotunnus", "ssn_fi"], ["henkilötunnus", "HETU",
          "personbeteckning", "hetu:"]),
        I("no_fodselsnummer", "national_id", fodselsnummer, ["fodselsnummer", "fnr", "personnummer_no"],
          ["fødselsnummer", "fnr", "personnummer", "D-nummer"]),
        I("pt_nif", "national_id", pt_nif, ["nif", "contribuinte", "NIF"], ["NIF", "número de contribuinte", "contribuinte n.º"]),
        I("ie_ppsn", "national_id", ppsn, ["ppsn", "pps_number", "PPSN"], ["PPS number", "PPSN", "Personal Public Service Number"],
          bad=7),
        I("at_svnr", "national_id", svnr, ["svnr", "sozialversicherungsnummer", "sv_nummer"], ["SVNR",
          "Sozialversicherungsnummer", "SV-Nummer"], bad=bad_digit(svnr, 3)),
        I("cz_sk_birth_number", "national_id", rodne_cislo, ["rodne_cislo", "rc", "birth_number"], ["rodné číslo", "RČ",
          "rodne cislo", "birth number"]),
        I("ro_cnp", "national_id", cnp, ["cnp", "CNP", "cod_numeric_personal"], ["CNP", "cod numeric personal", "CNP:"]),
        I("gr_amka", "national_id", amka, ["amka", "AMKA"], ["ΑΜΚΑ", "AMKA", "αριθμός μητρώου κοινωνικής ασφάλισης"]),
        I("hu_tax_id", "national_id", hu_tax, ["adoazonosito", "adoazonosito_jel", "hu_tax_id"], ["adóazonosító jel",
          "adóazonosító", "tax id"]),
        I("hu_taj", "health", taj, ["taj", "taj_szam", "TAJ"], ["TAJ szám", "TAJ", "társadalombiztosítási azonosító jel"]),
        I("bg_egn", "national_id", egn, ["egn", "EGN"], ["ЕГН", "EGN", "единен граждански номер"]),
        I("hr_oib", "national_id", oib, ["oib", "OIB"], ["OIB", "osobni identifikacijski broj", "OIB:"]),
        I("si_emso", "national_id", emso, ["emso", "EMSO"], ["EMŠO", "EMSO", "enotna matična številka občana"]),
        I("ee_isikukood", "national_id", baltic_code, ["isikukood", "ee_personal_code"], ["isikukood", "Estonian personal code"]),
        I("lt_asmens_kodas", "national_id", baltic_code, ["asmens_kodas", "ak"], ["asmens kodas", "a.k."]),
        I("lv_personas_kods", "national_id", lv_code, ["personas_kods", "pk"], ["personas kods", "p.k."]),
        I("lu_matricule", "national_id", lu_matricule, ["matricule", "numero_identification", "lu_national_id"],
          ["matricule", "numéro d'identification national", "Matrikelnummer"]),
        I("eu_vat", "national_id", vat, ["vat", "vat_number", "vatId", "ust_idnr", "tva_intracom", "btw_nummer"],
          ["VAT", "VAT number", "USt-IdNr.", "n° TVA", "partita IVA", "BTW-nummer", "NIF-IVA", "VAT reg. no."], bad=bad_vat),
        I("fr_siren_siret", "national_id", fr_siren, ["siren", "siret", "SIRET"], ["SIREN", "SIRET", "n° SIRET"]),
        # health
        I("gb_nhs_number", "health", nhs, ["nhs_number", "nhsNumber", "nhs_no", "patient.nhs_number"], ["NHS number",
          "NHS No", "NHS no.", "patient NHS number"]),
        I("us_npi", "health", npi, ["npi", "NPI", "provider_npi", "prescriber_npi"], ["NPI", "provider NPI", "NPI #"]),
        I("us_mbi", "health", mbi, ["mbi", "medicare_id", "medicareBeneficiaryId"], ["MBI", "Medicare Beneficiary Identifier",
          "Medicare ID", "medicare number"], bad=None),
        I("us_dea", "health", dea, ["dea", "dea_number", "deaNumber", "prescriber_dea"], ["DEA", "DEA number", "DEA #",
          "DEA registration"]),
        I("ca_ohip", "health", ohip, ["ohip", "health_card", "healthCardNumber"], ["OHIP", "health card", "OHIP number",
          "Ontario health card"], bad=bad_digit(ohip, 9)),
        I("ca_bc_phn", "health", bc_phn, ["phn", "personal_health_number", "bc_phn"], ["PHN", "personal health number",
          "BC Services Card"]),
        I("ca_ramq", "health", ramq, ["ramq", "nam", "numero_assurance_maladie"], ["RAMQ", "numéro d'assurance maladie",
          "carte RAMQ", "NAM"], bad=None),
        I("au_ihi", "health", ihi, ["ihi", "hpi_i", "hpio", "healthcare_identifier"], ["IHI", "HPI-I", "HPI-O",
          "healthcare identifier"]),
        # bank
        I("swift_bic", "bank", bic, ["swift", "bic", "swift_code", "beneficiary_bic", "bicfi"], ["SWIFT", "BIC",
          "SWIFT code", "BIC/SWIFT", "swift:"], bad=None),
        I("gb_sort_code", "bank", sort_code, ["sort_code", "bank_details", "sortCode"], ["sort code", "sort-code",
          "sort code/account"], bad=None),
        I("au_bsb_account", "bank", bsb, ["bsb", "bank_details", "bsbAccount"], ["BSB", "BSB number", "BSB/account"],
          bad=None),
        I("ca_bank_transit", "bank", ca_transit, ["transit_number", "transit", "routing_transit"], ["transit number",
          "transit no.", "institution and transit"], bad=None),
        I("mx_clabe", "bank", clabe, ["clabe", "CLABE", "clabe_interbancaria"], ["CLABE", "CLABE interbancaria",
          "cuenta CLABE"]),
        # documents
        I("passport_number_field", "documents", passport_generic, ["passport", "passport_number", "passportNo",
          "passport_no", "traveller.passport"], ["passport"], bad=None, fmts=["json", "logfmt", "access"], no_msg=True),
        I("us_passport", "documents", us_passport, ["us_passport", "passport_number"], ["US passport", "U.S. passport no.",
          "passport number"], bad=None),
        I("uk_passport", "documents", lambda: dg(9), ["uk_passport_number", "hmpo_passport"], ["UK passport", "British passport",
          "HM passport no", "HMPO passport"], bad=None),
        I("passport_mrz", "documents", mrz_line2, ["mrz", "mrz_line2", "mrz2"], ["MRZ", "mrz line 2:", "scanned MRZ"]),
        I("passport_mrz_names", "documents", mrz_line1, ["mrz_line1", "mrz1"], ["MRZ", "mrz line 1:"], bad=None),
        I("drivers_license_field", "documents", us_dl, ["drivers_license", "dl_number", "driverLicenseNumber", "license_no",
          "driving_licence_number"], ["driver's license"], bad=None, fmts=["json", "logfmt", "access"], no_msg=True),
        I("us_drivers_license", "documents", us_dl, ["drivers_license", "driver_license_no", "dl_number"], ["driver's license", "drivers license #", "DL#",
          "driver license number"], bad=None),
        I("gb_driving_licence", "documents", gb_dl, ["driving_licence", "dvla_licence", "licence_number"],
          ["driving licence", "DVLA licence number", "driving licence no"], bad=None),
        # wallets
        I("btc_address", "crypto", btc_legacy, ["btc_address", "address", "wallet", "payout_address"], ["bitcoin address",
          "send BTC to", "wallet", "deposit address"], bad=bad_b58(btc_legacy)),
        I("segwit_address", "crypto", segwit, ["btc_address", "address", "wallet", "destination"], ["bitcoin address",
          "withdraw to", "wallet", "deposit address"], bad=bad_bech32),
        I("ltc_address", "crypto", ltc_legacy, ["ltc_address", "address", "wallet"], ["litecoin address", "LTC to"],
          bad=bad_b58(ltc_legacy)),
        I("doge_address", "crypto", doge, ["doge_address", "address", "wallet"], ["dogecoin address", "DOGE to"],
          bad=bad_b58(doge)),
        I("tron_address", "crypto", tron, ["trx_address", "usdt_trc20", "wallet"], ["TRON address", "TRC20 deposit"],
          bad=bad_b58(tron)),
        I("xrp_address", "crypto", xrp, ["xrp_address", "destination", "wallet"], ["XRP address", "ripple wallet"],
          bad=bad_b58(xrp, RIPPLE58)),
        I("eth_address_checksummed", "crypto", eth_mixed, ["eth_address", "from", "to", "wallet", "contract"],
          ["ETH address", "transfer to", "wallet", "sender"], bad=bad_eip55),
        I("eth_address_context", "crypto", eth_lower, ["eth_address", "wallet_address", "from", "to"],
          ["ETH wallet", "wallet address", "ethereum address"], bad=None,
          fmts=["plain", "plain", "json", "logfmt", "access"]),
        I("monero_address", "crypto", monero, ["xmr_address", "wallet", "address"], ["monero address", "XMR payout to"],
          bad=bad_b58(monero)),
        I("btc_wif_private_key", "crypto", wif, ["wif", "private_key", "privkey"], ["WIF", "imported private key",
          "dumpprivkey"], bad=bad_b58(wif)),
        I("bip32_extended_private_key", "crypto", lambda: bip32(True), ["xprv", "extended_private_key", "master_key"],
          ["xprv", "extended private key"], bad=bad_b58(lambda: bip32(True))),
        I("bip32_extended_public_key", "crypto", lambda: bip32(False), ["xpub", "extended_public_key", "account_xpub"],
          ["xpub", "watch-only xpub"], bad=bad_b58(lambda: bip32(False))),
    ]


def hashlike():
    """Neutral look-alikes of identifiers: order numbers, timestamps and ids of a national id's length."""
    return [
        ("order_id", dg(11)), ("ticket", dg(9)), ("seq", dg(10)), ("ts_ms", str(R.randint(1_600_000_000_000, 1_800_000_000_000))),
        ("invoice", "INV-" + dg(8)), ("sku", up(3) + dg(6)), ("tx_hash", "0x" + hashlib.sha256(rb(8)).hexdigest()),
        ("block_hash", hashlib.sha256(rb(8)).hexdigest()), ("build", dg(8) + "." + dg(4)),
        ("container", HEX[R.randrange(16)] + "".join(R.choice(HEX) for _ in range(11))),
    ]


_ = string
