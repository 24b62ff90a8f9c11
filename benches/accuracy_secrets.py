"""Credential classes of the accuracy corpus: provider tokens, cloud keys, CI tokens, private keys, connection
strings and passwords on command lines, each generated after the provider's documented format (prefix, alphabet,
length, embedded checksum or structure), never from the rule pack's patterns or examples.

`specs()` returns the classes (see accuracy_render.Spec); `negatives()` the look-alikes that must stay untouched
(documentation placeholders, hashes and ids of the same length and alphabet). Every value is random.
"""

import json
import random
import string
import uuid

import faker

from accuracy_codec import (B62, B64URL, DIGITS, HEX, LOWER, UPPER, b64, b64url, bech32_encode, convertbits,
                            crc32_base62_token)
from accuracy_render import Spec

R = random.Random()
_FK = {}


def fk():
    if "f" not in _FK:
        f = faker.Faker("en_US")
        f.seed_instance(R.randrange(1 << 30))
        _FK["f"] = f
    return _FK["f"]


def rs(alphabet, n):
    return "".join(R.choice(alphabet) for _ in range(n))


def hx(n):
    return rs(HEX, n)


def uid():
    return str(uuid.UUID(int=R.getrandbits(128), version=4))


def rb(n):
    return bytes(R.getrandbits(8) for _ in range(n))


def password():
    """Passwords as people and generators choose them; no quote, backslash, semicolon or space (those need
    quoting rules of their own in each carrier), and none of @ # ? / : % that a URL or a user/password@host
    argument would have to percent-encode."""
    r = R.random()
    if r < 0.35:
        return fk().password(length=R.randint(10, 24), special_chars=False)
    if r < 0.6:
        p = fk().password(length=R.randint(12, 20), special_chars=True)
        return "".join(c for c in p if c not in "\"'\\; `%&$()*^@#?/:")
    if r < 0.8:
        return R.choice(["Summer", "Winter", "Welcome", "Falcon", "Orange", "Tiger", "Rocket"]) + str(
            R.randint(10, 9999)) + R.choice(["!", "", "+", "", "."])
    return rs(string.ascii_letters + DIGITS, R.randint(16, 32))


def ab(*alts):
    return R.choice(alts)


# ------------------------------------------------------------------------------------------------ core providers

def aws_key_id():
    return ab("AKIA", "ASIA", "AIDA", "AROA", "AGPA", "ANPA", "AIPA") + rs(UPPER + "234567", 16)


def aws_secret():
    return rs(string.ascii_letters + DIGITS + "/+", 40)


def github():
    return crc32_base62_token(ab("ghp_", "gho_", "ghu_", "ghs_", "ghr_"), rs(B62, 30))


def github_fine():
    return "github_pat_" + rs(B62, 22) + "_" + rs(B62, 59)


def slack():
    t = R.random()
    if t < 0.4:
        return "xoxb-%s-%s-%s" % (R.randint(10 ** 9, 10 ** 12), R.randint(10 ** 11, 10 ** 13), rs(B62, 24))
    if t < 0.7:
        return "xoxp-%s-%s-%s-%s" % (R.randint(10 ** 9, 10 ** 12), R.randint(10 ** 9, 10 ** 12),
                                     R.randint(10 ** 11, 10 ** 13), hx(32))
    if t < 0.85:
        return "xapp-1-A%s-%s-%s" % (rs(UPPER + DIGITS, 10), R.randint(10 ** 12, 10 ** 13), hx(64))
    return "xoxe.xoxp-1-" + rs(B62 + "-", 140)


def slack_webhook():
    # the whole path after /services/ is the webhook's credential (workspace, channel hook and secret)
    frag = "https://hooks.slack.com/services/"
    sec = "T%s/B%s/%s" % (rs(UPPER + DIGITS, 10), rs(UPPER + DIGITS, 10), rs(B62, 24))
    return frag + sec, len(frag), len(frag) + len(sec)


def stripe():
    p = ab("sk_live_", "rk_live_", "sk_test_", "rk_test_", "sk_live_", "whsec_")
    if p == "whsec_":
        return p + rs(B62, 32)
    return p + rs(B62, ab(24, 34, 99))


def jwt_token(claims=None, alg=None):
    alg = alg or ab("HS256", "RS256", "ES256", "HS512")
    hdr = {"alg": alg, "typ": "JWT"}
    if alg.startswith(("RS", "ES")) and R.random() < 0.6:
        hdr["kid"] = hx(16)
    now = R.randint(1_690_000_000, 1_740_000_000)
    claims = claims or {"sub": str(R.randint(1000, 999999)), "iat": now, "exp": now + 3600,
                        "iss": ab("https://auth.acme.io", "accounts.example-idp.com", "api")}
    sig = rb({"HS256": 32, "HS512": 64, "RS256": 256, "ES256": 64}.get(alg, 32))
    return ".".join([b64url(json.dumps(hdr, separators=(",", ":")).encode()),
                     b64url(json.dumps(claims, separators=(",", ":")).encode()), b64url(sig)])


def basic_auth():
    u = fk().user_name()
    return "Basic " + b64(("%s:%s" % (u, password())).encode())


def auth_header():
    """An Authorization value; the scheme word (RFC 9110 auth-scheme) is not the secret, the credential is."""
    r = R.random()
    if r < 0.4:
        scheme, cred = "Bearer ", ab(jwt_token(), rs(B64URL, R.randint(32, 64)), rs(B62, 40))
    elif r < 0.7:
        scheme, cred = "Basic ", basic_auth()[len("Basic "):]
    elif r < 0.85:
        scheme, cred = "Token ", hx(40)
    else:
        scheme, cred = "", rs(B62, 32)
    return scheme + cred, len(scheme), len(scheme) + len(cred)


def bearer_prose():
    return ab(jwt_token(), rs(B64URL, R.randint(30, 60)), "ya29." + rs(B64URL, 120))


def pem_body(nbytes):
    return b64(b"\x30\x82" + rb(nbytes))


def private_key_block():
    kind = ab("RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY", "OPENSSH PRIVATE KEY", "DSA PRIVATE KEY",
              "ENCRYPTED PRIVATE KEY")
    body = pem_body(R.choice([120, 300, 600]))
    sep = ab("\n", "\\n", " ")
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    begin = "-----BEGIN %s-----" % kind
    end = "-----END %s-----" % kind
    inner = sep + sep.join(lines) + sep
    frag = begin + inner + end
    return frag, len(begin), len(begin) + len(inner)


def curl_user():
    u = fk().user_name()
    p = password()
    pre = "curl -s %s %s:" % (ab("-u", "--user"), u)
    frag = pre + p + " " + ab("https://api.internal/v1/health", "-X POST https://registry.corp/api", "ftp://files.int/")
    return frag, len(pre), len(pre) + len(p)


# ------------------------------------------------------------------------------------------------ cloud

def gcp_key():
    return "AIza" + rs(B64URL, 35)


def gcp_sa_key_id():
    v = hx(40)
    pre = '{"type": "service_account", "project_id": "%s-%d", "private_key_id": "' % (
        ab("billing", "shop", "data"), R.randint(100, 999))
    return pre + v + '", "client_id": "%d"}' % R.randint(10 ** 20, 10 ** 21), len(pre), len(pre) + 40


def google_oauth_secret():
    return "GOCSPX-" + rs(B64URL, 28)


def google_access():
    return "ya29." + rs(B64URL, R.randint(100, 200))


def google_refresh():
    return "1//0" + rs(B64URL, R.randint(90, 110))


def fcm_key():
    return "AAAA" + rs(B64URL, 7) + ":APA91b" + rs(B64URL, 134)


def azure_storage():
    key = b64(rb(64))
    acct = ab("stprod", "backups", "logsarchive") + str(R.randint(1, 99))
    pre = "DefaultEndpointsProtocol=https;AccountName=%s;AccountKey=" % acct
    return pre + key + ";EndpointSuffix=core.windows.net", len(pre), len(pre) + 88


def azure_sas_key():
    key = b64(rb(32))
    ns = ab("orders", "telemetry", "iot-hub") + str(R.randint(1, 9))
    pre = "Endpoint=sb://%s.servicebus.windows.net/;SharedAccessKeyName=%s;SharedAccessKey=" % (
        ns, ab("RootManageSharedAccessKey", "send", "listen"))
    return pre + key + (";EntityPath=events" if R.random() < 0.4 else ""), len(pre), len(pre) + 44


def azure_sas_sig():
    sig = quote_b64(b64(rb(32)))
    pre = "https://%s.blob.core.windows.net/%s/report.csv?sv=2022-11-02&ss=b&srt=co&sp=rl&se=2025-01-01T00:00:00Z" \
          "&st=2024-01-01T00:00:00Z&spr=https&sig=" % (ab("stprod1", "exports"), ab("reports", "backups"))
    return pre + sig, len(pre), len(pre) + len(sig)


def quote_b64(s):
    return s.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")


def azure_client_secret():
    return rs(B62 + "_~.-", 3) + rs(DIGITS, 1) + "Q~" + rs(B62 + "_~.-", 34)


def azure_identifiable():
    # Microsoft's identifiable key layout: 52 random, the JQQJ9 signature and a version character, one random
    # character, a date character A-L, 16 random, the 4-character provider signature (a letter first), 4 random
    return (rs(B62, 52) + "JQQJ9" + ab("9", "D", "H") + rs(B62, 1) + rs("ABCDEFGHIJKL", 1) + rs(B62, 16)
            + ab("AZDO", "AzFu", "APIM", "AzSe", "ACDb", "AzCa") + rs(B62, 4))


def azure_devops_legacy():
    return rs(LOWER + "234567", 52)


def aws_session():
    head = ab(b"\x21\x0a\x09origin_ec", b"\x17\x0a\x06er/aws")
    return b64(head + rb(R.choice([300, 450, 600])))


def alibaba():
    return "LTAI" + rs(B62, ab(16, 20))


def digitalocean():
    return ab("dop_v1_", "doo_v1_", "dor_v1_") + hx(64)


def vault():
    r = R.random()
    if r < 0.6:
        return "hvs.CAESI" + rs(B64URL, R.randint(80, 95))
    if r < 0.8:
        return "hvs." + rs(B62, 24)
    if r < 0.9:
        return "hvb.AAAAAQ" + rs(B64URL, 130)
    return "hvr." + rs(B62, 24)


def vault_legacy():
    return ab("s.", "b.") + rs(B62, 24)


def terraform():
    return rs(B62, 14) + ".atlasv1." + rs(B62, R.randint(60, 70))


def k8s_jwt():
    ns = ab("default", "kube-system", "payments", "monitoring")
    sa = ab("default", "deployer", "prometheus", "argocd-server")
    now = R.randint(1_690_000_000, 1_740_000_000)
    claims = {"aud": ["https://kubernetes.default.svc.cluster.local"], "exp": now + 31536000, "iat": now,
              "iss": "https://kubernetes.default.svc.cluster.local",
              "kubernetes.io": {"namespace": ns, "serviceaccount": {"name": sa, "uid": uid()}},
              "nbf": now, "sub": "system:serviceaccount:%s:%s" % (ns, sa)}
    if R.random() < 0.3:
        claims = {"iss": "kubernetes/serviceaccount", "kubernetes.io/serviceaccount/namespace": ns,
                  "kubernetes.io/serviceaccount/secret.name": sa + "-token-" + rs(LOWER + DIGITS, 5),
                  "kubernetes.io/serviceaccount/service-account.name": sa,
                  "sub": "system:serviceaccount:%s:%s" % (ns, sa)}
    return jwt_token(claims, "RS256")


def jwt_b64():
    return b64(jwt_token().encode())


def cloudflare_ca():
    return "v1.0-" + hx(24) + "-" + hx(146)


def heroku():
    return "HRKU-AA" + rs(B64URL, 58)


def fly():
    # "FlyV1" is the scheme word in front of the comma-separated macaroons
    tok = "fm2_" + b64(rb(R.choice([90, 150]))) + ",fm2_" + b64(rb(60))
    return "FlyV1 " + tok, 6, 6 + len(tok)


def supabase():
    return "sbp_" + hx(40)


def planetscale():
    return ab("pscale_tkn_", "pscale_pw_", "pscale_oauth_") + rs(B64URL, 43)


# ------------------------------------------------------------------------------------------------ CI / registries

def gitlab_pat():
    return "glpat-" + rs(B64URL, 20)


def gitlab_runner():
    return ab("glrt-", "glrt-", "GR1348941") + rs(B64URL, 20)


def gitlab_deploy():
    return "gldt-" + rs(B64URL, 20)


def gitlab_trigger():
    return "glptt-" + hx(40)


def gitlab_other():
    p = ab("glft-", "glimt-", "glagent-", "gloas-", "glsoat-", "glffct-")
    n = {"glimt-": 25, "glagent-": 50, "gloas-": 64}.get(p, 20)
    return p + rs(B64URL, n)


def npm():
    return crc32_base62_token("npm_", rs(B62, 30))


def pypi():
    ident = json.dumps({"nonce": hx(32), "version": 1}).encode()
    caveat = json.dumps({"version": 1, "permissions": ab("user", {"projects": ["acme-utils"]})}).encode()
    body = (b"\x02" + b"\x01\x08pypi.org" + b"\x02" + bytes([len(ident)]) + ident + b"\x00"
            + b"\x02" + bytes([len(caveat)]) + caveat + b"\x00" + b"\x00" + b"\x06\x20" + rb(32))
    return "pypi-" + b64url(body)


def rubygems():
    return "rubygems_" + hx(48)


def nuget():
    return "oy2" + rs(LOWER + DIGITS, 43)


def docker_pat():
    return ab("dckr_pat_", "dckr_oat_") + rs(B64URL, 27)


def bitbucket():
    return "ATBB" + rs(B62, 32)


def circleci():
    return ab("CCIPAT_", "CCIPRJ_") + rs(B62, 22) + "_" + hx(40)


def buildkite():
    return "bkua_" + hx(40)


def jfrog_key():
    return "AKCp" + rs(B62, 69)


def jfrog_ref():
    raw = ("reftkn:01:%d:%s" % (R.randint(1_700_000_000, 2_000_000_000), rs(B62, 27))).encode()
    return b64(raw)[:64]


def sonar():
    return ab("squ_", "sqp_", "sqa_") + hx(40)


# ------------------------------------------------------------------------------------------------ SaaS

def openai():
    r = R.random()
    if r < 0.4:
        return "sk-" + rs(B62, 20) + "T3BlbkFJ" + rs(B62, 20)
    p = ab("sk-proj-", "sk-svcacct-", "sk-admin-")
    return p + rs(B64URL, 74) + "T3BlbkFJ" + rs(B64URL, 74)


def openai_nomarker():
    return ab("sk-proj-", "sk-svcacct-", "sk-admin-") + rs(B64URL, R.choice([48, 64, 156]))


def anthropic():
    return ab("sk-ant-api03-", "sk-ant-oat01-", "sk-ant-ort01-") + rs(B64URL, 93) + "AA"


def anthropic_admin():
    return "sk-ant-admin01-" + rs(B64URL, 93) + "AA"


def twilio_pair():
    sid = ab("AC", "SK") + hx(32)
    sec = hx(32)
    pre = sid + ":"
    return pre + sec, len(pre), len(pre) + 32


def mailchimp():
    return hx(32) + "-us" + str(R.randint(1, 21))


def square():
    return ab("sq0atp-" + rs(B64URL, 22), "EAAA" + rs(B64URL, 60))


def braintree():
    return "access_token$%s$%s$%s" % (ab("production", "sandbox"), rs(LOWER + DIGITS, 16), hx(32))


def notion():
    return ab("ntn_" + rs(DIGITS, 11) + rs(B62, 35), "secret_" + rs(B62, 43))


def atlassian():
    return ab("ATATT3", "ATCTT3") + "xFfGF0" + rs(B64URL, 174) + "=" + rs("0123456789ABCDEF", 8)


def doppler():
    p = ab("dp.pt.", "dp.st.prd.", "dp.st.dev.", "dp.sa.", "dp.ct.", "dp.scim.", "dp.audit.")
    return p + rs(B62, 40 if p.startswith("dp.st") else 43)


def grafana_cloud():
    j = json.dumps({"o": str(R.randint(100000, 999999)), "n": "stack-%d-%s" % (R.randint(100000, 999999),
                    ab("hm-read", "logs-write", "alloy")), "k": rs(B62, 24), "m": {"r": ab("us", "eu", "prod-us-east-0")}},
                   separators=(",", ":"))
    return "glc_" + b64(j.encode()).rstrip("=")


def grafana_sa():
    return "glsa_" + rs(B62, 32) + "_" + hx(8)


def grafana_legacy():
    j = json.dumps({"k": rs(B62, 32), "n": ab("ci", "dashboard-sync", "backup"), "id": R.randint(1, 20)},
                   separators=(",", ":"))
    return b64(j.encode())


def newrelic():
    return ab("NRII-" + rs(B64URL, 32), "NRJS-" + hx(19), "NRRA-" + hx(42))


def sentry_org():
    j = json.dumps({"iat": R.randint(1_690_000_000, 1_740_000_000) + 0.5, "url": "https://sentry.io",
                    "region_url": "https://us.sentry.io", "org": ab("acme", "shopco", "initech")},
                   separators=(",", ":"))
    return "sntrys_" + b64(j.encode()).rstrip("=") + "_" + rs(B62 + "+/", 43)


def discord_bot():
    bot_id = str(R.randint(10 ** 17, 2 * 10 ** 18))
    return b64(bot_id.encode()).rstrip("=") + "." + rs(B64URL, 6) + "." + rs(B64URL, R.choice([27, 38]))


def discord_webhook():
    tok = rs(B64URL, 68)
    pre = "https://discord.com/api/webhooks/%d/" % R.randint(10 ** 17, 2 * 10 ** 18)
    return pre + tok, len(pre), len(pre) + 68


def telegram():
    bid = str(R.randint(10 ** 8, 8 * 10 ** 9))
    sec = "AA" + rs(B64URL, 33)
    return bid + ":" + sec, 0, len(bid) + 1 + 35


def mapbox():
    j = json.dumps({"u": fk().user_name(), "a": rs(LOWER + DIGITS, 25)}, separators=(",", ":"))
    return "sk." + b64url(j.encode()) + "." + rs(B64URL, 22)


def airtable():
    return "pat" + rs(B62, 14) + "." + hx(64)


def onepassword():
    j = json.dumps({"signInAddress": "my.1password.com", "userAuth": {"method": "SRPg-4096", "alg": "PBES2g-HS256",
                    "iterations": 650000, "salt": b64url(rb(16))}, "email": rs(LOWER, 13) + "@1passwordserviceaccounts.com",
                    "srpX": hx(64), "muk": {"alg": "A256GCM", "ext": True, "k": b64url(rb(32)), "key_ops": ["encrypt", "decrypt"],
                                           "kty": "oct", "kid": "mp"}, "secretKey": "A3-" + rs(UPPER + DIGITS, 6),
                    "throttleSecret": {"seed": hx(64), "uuid": rs(UPPER + DIGITS, 26)}, "deviceUuid": rs(LOWER + DIGITS, 26)},
                   separators=(",", ":"))
    return "ops_" + b64(j.encode()).rstrip("=")


def zapier():
    sec = rs(LOWER + DIGITS, 7)
    pre = "https://hooks.zapier.com/hooks/catch/%d/" % R.randint(1_000_000, 19_999_999)
    return pre + sec + "/", len(pre), len(pre) + 7


def teams():
    frag0 = "https://%s.webhook.office.com/webhookb2/" % ab("acme", "contoso", "initech")
    sec = "%s@%s/IncomingWebhook/%s/%s" % (uid(), uid(), hx(32), uid())
    return frag0 + sec, len(frag0), len(frag0) + len(sec)


def rp(prefix, alphabet, n):
    return lambda: prefix + rs(alphabet, n)


# ------------------------------------------------------------------------------------------------ keys

def der_len(n):
    if n < 128:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def der(tag, content):
    return bytes([tag]) + der_len(len(content)) + content


def der_int(nbytes):
    v = rb(nbytes)
    if v[0] & 0x80:
        v = b"\0" + v
    return der(0x02, v)


def rsa_pkcs1():
    return der(0x30, b"\x02\x01\x00" + der_int(256) + der(0x02, b"\x01\x00\x01") + b"".join(
        der_int(n) for n in (256, 128, 128, 128, 128, 128)))


def pkcs8_rsa():
    alg = der(0x30, der(0x06, bytes.fromhex("2a864886f70d010101")) + b"\x05\x00")
    return der(0x30, b"\x02\x01\x00" + alg + der(0x04, rsa_pkcs1()))


def sec1_ec():
    return der(0x30, b"\x02\x01\x01" + der(0x04, rb(32)) + der(0xA0, der(0x06, bytes.fromhex("2a8648ce3d030107")))
               + der(0xA1, der(0x03, b"\x00\x04" + rb(64))))


def pkcs8_ed25519():
    return der(0x30, b"\x02\x01\x00" + der(0x30, der(0x06, bytes.fromhex("2b6570"))) + der(0x04, der(0x04, rb(32))))


def der_b64():
    return b64(ab(rsa_pkcs1, pkcs8_rsa, sec1_ec, pkcs8_ed25519)())


def openssh_b64():
    def s(b):
        return len(b).to_bytes(4, "big") + b
    pub = s(b"ssh-ed25519") + s(rb(32))
    priv = rb(4) * 2 + s(b"ssh-ed25519") + s(rb(32)) + s(rb(64)) + s(b"deploy@ci") + b"\x01\x02\x03"
    data = b"openssh-key-v1\0" + s(b"none") + s(b"none") + s(b"") + (1).to_bytes(4, "big") + s(pub) + s(priv)
    return b64(data)


def b64_pem():
    kind = ab("RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY")
    body = b64(rsa_pkcs1() if kind.startswith("RSA") else sec1_ec())
    pem = "-----BEGIN %s-----\n%s\n-----END %s-----\n" % (kind, "\n".join(body[i:i + 64] for i in range(0, len(body), 64)), kind)
    return b64(pem.encode())


def age_key():
    return bech32_encode("age-secret-key-", convertbits(rb(32), 8, 5)).upper()


def wireguard():
    k = bytearray(rb(32))
    k[0] &= 248
    k[31] = (k[31] & 127) | 64
    v = b64(bytes(k))
    pre = ab("PrivateKey = ", "PrivateKey=", "[Interface] PrivateKey = ")
    return pre + v, len(pre), len(pre) + 44


def jwk():
    if R.random() < 0.5:
        d = b64url(rb(32))
        pre = '{"kty":"EC","crv":"P-256","x":"%s","y":"%s","d":"' % (b64url(rb(32)), b64url(rb(32)))
        return pre + d + '","kid":"%s"}' % hx(8), len(pre), len(pre) + len(d)
    d = b64url(rb(32))
    pre = '{"kty":"OKP","crv":"Ed25519","x":"%s","d":"' % b64url(rb(32))
    return pre + d + '","use":"sig"}', len(pre), len(pre) + len(d)


def pgp_block():
    body = b64(b"\x95\x03\xc6\x04" + rb(R.choice([200, 400])))
    sep = ab("\\n", "\n", " ")
    begin = "-----BEGIN PGP PRIVATE KEY BLOCK-----"
    end = "-----END PGP PRIVATE KEY BLOCK-----"
    inner = sep + sep + sep.join(body[i:i + 64] for i in range(0, len(body), 64)) + sep + "=" + rs(B62, 4) + sep
    return begin + inner + end, len(begin), len(begin) + len(inner)


def ssh2_block():
    body = b64(b"\x3f\x6f\xf9\xeb" + rb(300))
    sep = ab("\\n", "\n")
    begin = "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----"
    end = "---- END SSH2 ENCRYPTED PRIVATE KEY ----"
    inner = sep + 'Comment: "%d-bit rsa, %s"' % (2048, fk().user_name()) + sep
    s = len(begin) + len(inner)
    lines = sep.join(body[i:i + 70] for i in range(0, len(body), 70))
    return begin + inner + lines + sep + end, s, s + len(lines)


def putty_block():
    sep = ab("\\n", "\n")
    priv = b64(rb(48))
    head = sep.join(["PuTTY-User-Key-File-3: ssh-ed25519", "Encryption: none", "Comment: eddsa-key-%d" % R.randint(
        20200101, 20241231), "Public-Lines: 2", b64(rb(36)), b64(rb(15)), "Private-Lines: 1"]) + sep
    return head + priv + sep + "Private-MAC: " + hx(64), len(head), len(head) + len(priv)


# ------------------------------------------------------------------------------------------------ passwords in carriers

def cmd(template):
    """A command line with one password: template has {p} once."""
    def g():
        p = password()
        t = template() if callable(template) else template
        i = t.index("{p}")
        return t.replace("{p}", p), i, i + len(p)
    return g


def host():
    return ab("db01.internal", "db-replica-2", "pg-prod.acme.io", "mysql.svc.cluster.local", "localhost")


def user():
    return ab("admin", "root", "svc_app", "backup", fk().user_name())


def conn_string():
    return ab(
        "Server=tcp:%s,1433;Initial Catalog=orders;Persist Security Info=False;User ID=%s;Password={p};Encrypt=True;" % (host(), user()),
        "Driver={ODBC Driver 18 for SQL Server};Server=%s;Database=crm;Uid=%s;Pwd={p};" % (host(), user()),
        "jdbc:sqlserver://%s:1433;databaseName=billing;user=%s;password={p};encrypt=true" % (host(), user()),
        "Host=%s;Port=5432;Database=app;Username=%s;Password={p}" % (host(), user()),
        "Data Source=%s;User Id=%s;Password={p};Pooling=true" % (host(), user()),
        "Provider=SQLOLEDB;Data Source=%s;User ID=%s;PWD={p};" % (host(), user()))


def url_password():
    p = password()
    scheme = ab("postgres", "postgresql", "mysql", "mongodb+srv", "redis", "amqp", "https", "ftp", "smtp", "ldap", "rediss")
    pre = "%s://%s:" % (scheme, user())
    return pre + p + "@%s/%s" % (host(), ab("app", "0", "vhost", "")), len(pre), len(pre) + len(p)


def url_query():
    k = ab("token", "api_key", "access_token", "apikey", "X-Amz-Signature", "client_secret", "sig", "auth", "password",
           "key", "secret")
    v = hx(64) if k == "X-Amz-Signature" else ab(rs(B64URL, 32), rs(B62, 40), hx(40))
    pre = "https://%s/%s?%s=" % (ab("api.partner.com", "files.internal", "s3.amazonaws.com/bucket"), ab("v1/export", "download", "callback"), k)
    return pre + v + "&%s" % ab("format=json", "page=2", "X-Amz-Date=20240101T000000Z"), len(pre), len(pre) + len(v)


# ------------------------------------------------------------------------------------------------ the table

TOK_FMTS = ["plain", "plain", "json", "logfmt", "header", "access"]
CMD_FMTS = ["plain", "plain", "plain", "json", "logfmt"]


def S(name, group, gen, keys, phrases, hdr=None, fmts=None, cli=None, no_msg_=False):
    return Spec(name, group, gen, keys, phrases, hdr=hdr, fmts=fmts or TOK_FMTS, secret=True, cli=cli,
                no_msg=no_msg_)


def specs():
    BEARER = [("Authorization", "Bearer ")]
    APIKEY = [("X-Api-Key", ""), ("Authorization", "Bearer ")]
    cmdk = ["cmd", "command", "exec", "args", "shell"]
    cmdp = ["running", "exec:", "spawned", "$", "command line:", "+"]
    return [
        # core
        S("aws_access_key_id", "secret", aws_key_id, ["aws_access_key_id", "AccessKeyId", "accessKey", "AWS_ACCESS_KEY_ID"],
          ["using access key", "credentials for key", "AccessKeyId", "signed with"]),
        S("aws_secret_access_key", "secret", aws_secret, ["aws_secret_access_key", "SecretAccessKey", "secretAccessKey",
          "AWS_SECRET_ACCESS_KEY"], ["aws_secret_access_key =", "SecretAccessKey:"], fmts=["plain", "json", "logfmt", "header"]),
        S("github_token", "secret", github, ["GITHUB_TOKEN", "gh_token", "token", "github.token", "GH_PAT"],
          ["cloning with token", "token", "pushed using", "auth token"], hdr=[("Authorization", "token "), ("Authorization", "Bearer ")]),
        S("github_fine_grained_token", "secret", github_fine, ["GITHUB_PAT", "github_token", "pat"],
          ["fine-grained token", "using PAT", "token"], hdr=BEARER),
        S("slack_token", "secret", slack, ["SLACK_BOT_TOKEN", "slack_token", "botToken", "token"],
          ["posting with", "slack token", "bot token"], hdr=BEARER),
        S("slack_webhook", "secret", slack_webhook, ["webhook_url", "SLACK_WEBHOOK_URL", "url", "hook"],
          ["POST", "notifying", "webhook", "sending alert to"], fmts=["plain", "json", "logfmt"]),
        S("stripe_key", "secret", stripe, ["STRIPE_SECRET_KEY", "stripe_key", "apiKey", "secret_key", "webhook_secret"],
          ["stripe key", "charging with key", "using key"], hdr=BEARER),
        S("jwt", "secret", jwt_token, ["id_token", "jwt", "session", "access_token", "assertion"],
          ["token", "decoded jwt", "session token", "id_token="], hdr=BEARER),
        S("auth_header", "secret", auth_header, ["Authorization", "authorization", "headers.Authorization"],
          ["Authorization:", "authorization header"], hdr=[("Authorization", "")], fmts=["json", "logfmt", "header", "header"]),
        S("bearer_token", "secret", bearer_prose, ["auth", "header"], ["using Bearer ", "sent Bearer ", "got Bearer ",
          "retrying with Bearer "], fmts=["plain"], no_msg_=True),
        S("curl_user", "secret", curl_user, cmdk, cmdp, fmts=CMD_FMTS),
        S("private_key_pem", "secret", private_key_block, ["private_key", "key", "tls.key", "ssh_key", "pem"],
          ["loaded key", "private key", "key material:"], fmts=["plain", "json", "logfmt"]),
        S("password_assignment", "secret", password, ["password", "db_password", "client_secret", "api_key", "secret",
          "passwd", "token", "apiSecret", "smtp.password", "admin_password"], ["password=", "password:", "secret="],
          fmts=["json", "logfmt", "plain", "header"]),
        S("password_short_key", "secret", password, ["pass", "pw", "userpass", "pwd"], ["pass=", "pw="],
          fmts=["json", "logfmt", "plain"]),
        S("url_password", "url_credential", url_password, ["url", "dsn", "DATABASE_URL", "uri", "broker_url"],
          ["connecting to", "dsn", "opening", "failed to reach"], fmts=["plain", "plain", "json", "logfmt"]),
        S("url_query_secret", "url_credential", url_query, ["url", "callback", "redirect", "href"],
          ["GET", "fetching", "redirect to", "calling"], fmts=["plain", "json", "logfmt"]),
        # cloud
        S("gcp_api_key", "secret_cloud", gcp_key, ["GOOGLE_API_KEY", "apiKey", "key", "maps_api_key", "firebase.apiKey"],
          ["geocoding with key", "api key", "using key"], hdr=[("X-Goog-Api-Key", "")]),
        S("gcp_service_account_key_id", "secret_cloud", gcp_sa_key_id, ["credentials", "sa_json", "GOOGLE_CREDENTIALS"],
          ["loaded credentials", "service account file:"], fmts=["plain", "json", "logfmt"]),
        S("google_oauth_client_secret", "secret_cloud", google_oauth_secret, ["client_secret", "GOOGLE_CLIENT_SECRET", "clientSecret"],
          ["oauth client secret", "client secret"]),
        S("google_oauth_access_token", "secret_cloud", google_access, ["access_token", "token", "google_token"],
          ["access token", "refreshed token"], hdr=BEARER),
        S("google_oauth_refresh_token", "secret_cloud", google_refresh, ["refresh_token", "refreshToken"],
          ["refresh token", "stored refresh_token"]),
        S("fcm_server_key", "secret_cloud", fcm_key, ["FCM_SERVER_KEY", "server_key", "serverKey"],
          ["push via key", "fcm key"], hdr=[("Authorization", "key=")]),
        S("azure_storage_account_key", "secret_cloud", azure_storage, ["AZURE_STORAGE_CONNECTION_STRING", "connectionString",
          "storage_conn"], ["connecting with", "storage connection string", "conn="], fmts=["plain", "json", "logfmt"]),
        S("azure_shared_access_key", "secret_cloud", azure_sas_key, ["SERVICEBUS_CONNECTION", "connectionString", "eventhub_conn"],
          ["service bus connection", "connecting to"], fmts=["plain", "json", "logfmt"]),
        S("azure_sas_signature", "secret_cloud", azure_sas_sig, ["sas_url", "blob_url", "url"],
          ["uploading to", "GET", "SAS URL"], fmts=["plain", "json", "logfmt"]),
        S("azure_ad_client_secret", "secret_cloud", azure_client_secret, ["AZURE_CLIENT_SECRET", "client_secret", "clientSecret"],
          ["client secret", "app secret"]),
        S("azure_identifiable_key", "secret_cloud", azure_identifiable, ["AZURE_DEVOPS_PAT", "functionKey", "apiKey",
          "x-functions-key"], ["function key", "api key", "pat"], hdr=[("x-functions-key", ""), ("Ocp-Apim-Subscription-Key", "")]),
        S("azure_devops_pat", "secret_cloud", azure_devops_legacy, ["AZURE_DEVOPS_PAT", "azure_devops_token", "AZURE_DEVOPS_EXT_PAT"],
          ["Azure DevOps PAT", "azure devops token"]),
        S("aws_session_token", "secret_cloud", aws_session, ["aws_session_token", "SessionToken", "AWS_SESSION_TOKEN"],
          ["session token", "SessionToken:"], hdr=[("X-Amz-Security-Token", "")]),
        S("aws_mws_auth_token", "secret_cloud", lambda: "amzn.mws." + uid(), ["MWSAuthToken", "mws_auth_token"],
          ["mws token", "MWSAuthToken"]),
        S("alibaba_access_key_id", "secret_cloud", alibaba, ["ALIBABA_CLOUD_ACCESS_KEY_ID", "AccessKeyId", "access_key"],
          ["access key id", "AccessKeyId"]),
        S("digitalocean_token", "secret_cloud", digitalocean, ["DIGITALOCEAN_TOKEN", "do_token", "token"],
          ["doctl token", "token"], hdr=BEARER),
        S("hashicorp_vault_token", "secret_cloud", vault, ["VAULT_TOKEN", "vault_token", "client_token"],
          ["vault token", "renewed token"], hdr=[("X-Vault-Token", "")]),
        S("vault_legacy_token", "secret_cloud", vault_legacy, ["VAULT_TOKEN", "vault_token", "vault.token"],
          ["vault token", "Vault client token"], hdr=[("X-Vault-Token", "")]),
        S("terraform_cloud_token", "secret_cloud", terraform, ["TF_TOKEN_app_terraform_io", "ATLAS_TOKEN", "token"],
          ["terraform token", "token"], hdr=BEARER),
        S("kubernetes_service_account_token", "secret_cloud", k8s_jwt, ["token", "serviceAccountToken", "sa_token"],
          ["mounted token", "token", "kubectl --token"], hdr=BEARER),
        S("jwt_base64", "secret_cloud", jwt_b64, ["token", "data.token", "ca.token"], ["secret data token:", "token:"],
          fmts=["plain", "json", "logfmt"]),
        S("cloudflare_origin_ca_key", "secret_cloud", cloudflare_ca, ["CF_ORIGIN_CA_KEY", "origin_ca_key"],
          ["origin ca key"], hdr=[("X-Auth-User-Service-Key", "")]),
        S("heroku_api_key", "secret_cloud", heroku, ["HEROKU_API_KEY", "heroku_token"], ["heroku token"], hdr=BEARER),
        S("heroku_api_key_legacy", "secret_cloud", uid, ["HEROKU_API_KEY", "heroku_api_key", "heroku.apiKey"],
          ["heroku api key", "HEROKU_API_KEY="]),
        S("fly_io_token", "secret_cloud", fly, ["FLY_API_TOKEN", "fly_token"], ["fly token"], hdr=[("Authorization", "")]),
        S("supabase_token", "secret_cloud", supabase, ["SUPABASE_ACCESS_TOKEN", "supabase_token"], ["supabase token"], hdr=BEARER),
        S("planetscale_token", "secret_cloud", planetscale, ["PLANETSCALE_SERVICE_TOKEN", "pscale_token", "password"],
          ["planetscale token"]),
        # CI / registries
        S("gitlab_pat", "secret_ci", gitlab_pat, ["GITLAB_TOKEN", "private_token", "gitlab_pat"], ["gitlab token"],
          hdr=[("PRIVATE-TOKEN", ""), ("Authorization", "Bearer ")]),
        S("gitlab_runner_token", "secret_ci", gitlab_runner, ["runner_token", "CI_SERVER_TOKEN", "registration_token"],
          ["registering runner with", "runner token"]),
        S("gitlab_deploy_token", "secret_ci", gitlab_deploy, ["deploy_token", "CI_DEPLOY_PASSWORD"], ["deploy token"]),
        S("gitlab_pipeline_trigger_token", "secret_ci", gitlab_trigger, ["trigger_token", "token"], ["trigger token"]),
        S("gitlab_other_token", "secret_ci", gitlab_other, ["gitlab_token", "feed_token", "agent_token"], ["gitlab token"]),
        S("npm_token", "secret_ci", npm, ["NPM_TOKEN", "npm_token", "_authToken"], ["npm token", "publishing with"], hdr=BEARER),
        S("pypi_token", "secret_ci", pypi, ["PYPI_TOKEN", "TWINE_PASSWORD", "pypi_api_token"], ["uploading with", "pypi token"]),
        S("rubygems_api_key", "secret_ci", rubygems, ["GEM_HOST_API_KEY", "rubygems_api_key"], ["gem push key"],
          hdr=[("Authorization", "")]),
        S("nuget_api_key", "secret_ci", nuget, ["NUGET_API_KEY", "nuget_key"], ["nuget push -k", "api key"],
          hdr=[("X-NuGet-ApiKey", "")]),
        S("docker_hub_pat", "secret_ci", docker_pat, ["DOCKERHUB_TOKEN", "docker_password", "registry_token"],
          ["docker token"]),
        S("bitbucket_app_password", "secret_ci", bitbucket, ["BITBUCKET_APP_PASSWORD", "bb_token"], ["bitbucket app password"]),
        S("circleci_token", "secret_ci", circleci, ["CIRCLECI_TOKEN", "circle_token"], ["circleci token"],
          hdr=[("Circle-Token", "")]),
        S("circleci_legacy_token", "secret_ci", lambda: hx(40), ["CIRCLE_TOKEN", "CIRCLECI_API_TOKEN", "circle-token"],
          ["circleci token", "CircleCI API token"], hdr=[("Circle-Token", "")]),
        S("travis_ci_token", "secret_ci", lambda: rs(B64URL, 22), ["TRAVIS_API_TOKEN", "travis_token", "TRAVIS_TOKEN"],
          ["travis token", "Travis CI API token"], hdr=[("Travis-API-Version: 3 Authorization", "token ")]),
        S("buildkite_token", "secret_ci", buildkite, ["BUILDKITE_API_TOKEN", "buildkite_token"], ["buildkite token"], hdr=BEARER),
        S("jfrog_api_key", "secret_ci", jfrog_key, ["ARTIFACTORY_API_KEY", "jfrog_key"], ["artifactory key"],
          hdr=[("X-JFrog-Art-Api", "")]),
        S("jfrog_reference_token", "secret_ci", jfrog_ref, ["JFROG_ACCESS_TOKEN", "artifactory_token"], ["jfrog token"], hdr=BEARER),
        S("sonarqube_token", "secret_ci", sonar, ["SONAR_TOKEN", "sonar.login", "sonar_token"], ["sonar token"]),
        # SaaS
        S("openai_api_key", "secret_saas", openai, ["OPENAI_API_KEY", "openai_key", "apiKey"], ["openai key", "using key"], hdr=BEARER),
        S("openai_project_key", "secret_saas", openai_nomarker, ["OPENAI_API_KEY", "openai.api_key"], ["openai key"], hdr=BEARER),
        S("anthropic_api_key", "secret_saas", anthropic, ["ANTHROPIC_API_KEY", "anthropic_key", "x-api-key"],
          ["anthropic key"], hdr=[("x-api-key", "")]),
        S("anthropic_admin_key", "secret_saas", anthropic_admin, ["ANTHROPIC_ADMIN_KEY", "admin_key"], ["admin key"],
          hdr=[("x-api-key", "")]),
        S("huggingface_token", "secret_saas", rp("hf_", string.ascii_letters, 34), ["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"],
          ["hub token"], hdr=BEARER),
        S("huggingface_org_token", "secret_saas", rp("api_org_", string.ascii_letters, 34), ["HF_ORG_TOKEN", "hf_api_token"],
          ["org token"], hdr=BEARER),
        S("twilio_api_key", "secret_saas", rp("SK", HEX, 32), ["TWILIO_API_KEY", "api_key_sid"], ["twilio api key"]),
        S("twilio_auth_token", "secret_saas", lambda: hx(32), ["TWILIO_AUTH_TOKEN", "twilio_auth_token", "twilio.authToken"],
          ["twilio auth token", "Twilio authToken"]),
        S("twilio_credential_pair", "secret_saas", twilio_pair, ["twilio_credentials", "basic_auth"], ["twilio basic auth"],
          fmts=["plain", "json", "logfmt"]),
        S("sendgrid_api_key", "secret_saas", lambda: "SG." + rs(B64URL, 22) + "." + rs(B64URL, 43),
          ["SENDGRID_API_KEY", "sendgrid_key"], ["sendgrid key"], hdr=BEARER),
        S("mailgun_api_key", "secret_saas", rp("key-", HEX, 32), ["MAILGUN_API_KEY", "mailgun_key"], ["mailgun key"]),
        S("mailgun_private_key", "secret_saas", lambda: hx(32) + "-" + hx(8) + "-" + hx(8), ["MAILGUN_API_KEY",
          "mailgun_private_key"], ["mailgun api key", "Mailgun private key"]),
        S("mailchimp_api_key", "secret_saas", mailchimp, ["MAILCHIMP_API_KEY", "mc_key"], ["mailchimp key"]),
        S("datadog_api_key", "secret_saas", lambda: hx(32), ["DD_API_KEY", "datadog_api_key", "api_key"],
          ["datadog api key", "DD_API_KEY"], hdr=[("DD-API-KEY", "")]),
        S("datadog_app_key", "secret_saas", lambda: hx(40), ["DD_APP_KEY", "DD_APPLICATION_KEY", "datadog_app_key"],
          ["datadog application key", "DD_APP_KEY"], hdr=[("DD-APPLICATION-KEY", "")]),
        S("shopify_token", "secret_saas", lambda: ab("shpat_", "shpca_", "shppa_", "shpss_") + hx(32),
          ["SHOPIFY_ACCESS_TOKEN", "shopify_token"], ["shopify token"], hdr=[("X-Shopify-Access-Token", "")]),
        S("square_access_token", "secret_saas", square, ["SQUARE_ACCESS_TOKEN", "square_token"], ["square token"], hdr=BEARER),
        S("square_oauth_secret", "secret_saas", rp("sq0csp-", B64URL, 43), ["SQUARE_APP_SECRET", "square_secret"],
          ["square app secret"]),
        S("braintree_access_token", "secret_saas", braintree, ["BRAINTREE_ACCESS_TOKEN", "braintree_token"], ["braintree token"]),
        S("linear_api_key", "secret_saas", rp("lin_api_", B62, 40), ["LINEAR_API_KEY", "linear_key"], ["linear key"],
          hdr=[("Authorization", "")]),
        S("notion_token", "secret_saas", notion, ["NOTION_TOKEN", "notion_key"], ["notion token"], hdr=BEARER),
        S("atlassian_api_token", "secret_saas", atlassian, ["JIRA_API_TOKEN", "ATLASSIAN_TOKEN", "confluence_token"],
          ["jira token"]),
        S("figma_token", "secret_saas", rp("figd_", B64URL, 40), ["FIGMA_TOKEN", "figma_pat"], ["figma token"],
          hdr=[("X-Figma-Token", "")]),
        S("postman_api_key", "secret_saas", lambda: "PMAK-" + hx(24) + "-" + hx(34), ["POSTMAN_API_KEY", "postman_key"],
          ["postman key"], hdr=[("X-Api-Key", "")]),
        S("databricks_token", "secret_saas", lambda: "dapi" + hx(32) + ab("", "", "-2", "-3"), ["DATABRICKS_TOKEN", "db_token"],
          ["databricks token"], hdr=BEARER),
        S("doppler_token", "secret_saas", doppler, ["DOPPLER_TOKEN", "doppler_token"], ["doppler token"], hdr=BEARER),
        S("pulumi_token", "secret_saas", rp("pul-", HEX, 40), ["PULUMI_ACCESS_TOKEN", "pulumi_token"], ["pulumi token"],
          hdr=[("Authorization", "token ")]),
        S("grafana_cloud_token", "secret_saas", grafana_cloud, ["GRAFANA_CLOUD_TOKEN", "grafana_token"], ["grafana token"],
          hdr=BEARER),
        S("grafana_service_account_token", "secret_saas", grafana_sa, ["GRAFANA_SA_TOKEN", "grafana_token"],
          ["grafana token"], hdr=BEARER),
        S("grafana_api_key", "secret_saas", grafana_legacy, ["GRAFANA_API_KEY", "grafana_key"], ["grafana api key"], hdr=BEARER),
        S("newrelic_user_key", "secret_saas", rp("NRAK-", UPPER + DIGITS, 27), ["NEW_RELIC_API_KEY", "newrelic_key"],
          ["new relic key"], hdr=[("Api-Key", "")]),
        S("newrelic_key", "secret_saas", newrelic, ["NEW_RELIC_INSERT_KEY", "newrelic_key"], ["new relic key"],
          hdr=[("X-Insert-Key", "")]),
        S("newrelic_license_key", "secret_saas", lambda: hx(36) + "NRAL", ["NEW_RELIC_LICENSE_KEY", "license_key"],
          ["license key"]),
        S("sentry_org_token", "secret_saas", sentry_org, ["SENTRY_AUTH_TOKEN", "sentry_token"], ["sentry token"], hdr=BEARER),
        S("sentry_user_token", "secret_saas", rp("sntryu_", HEX, 64), ["SENTRY_AUTH_TOKEN", "sentry_token"], ["sentry token"],
          hdr=BEARER),
        S("discord_bot_token", "secret_saas", discord_bot, ["DISCORD_TOKEN", "DISCORD_BOT_TOKEN", "discord.token"],
          ["discord bot token", "Discord token"], hdr=[("Authorization", "Bot ")]),
        S("discord_webhook", "secret_saas", discord_webhook, ["webhook_url", "DISCORD_WEBHOOK"], ["posting to", "webhook"],
          fmts=["plain", "json", "logfmt"]),
        S("telegram_bot_token", "secret_saas", telegram, ["TELEGRAM_BOT_TOKEN", "bot_token", "telegram_token"],
          ["telegram bot token", "bot token"]),
        S("okta_api_token", "secret_saas", rp("00", B64URL, 40), ["OKTA_API_TOKEN", "okta_token", "OKTA_CLIENT_TOKEN"],
          ["okta token", "Okta API token"], hdr=[("Authorization", "SSWS ")]),
        S("auth0_client_secret", "secret_saas", lambda: rs(B64URL, 64), ["AUTH0_CLIENT_SECRET", "auth0_client_secret",
          "auth0.clientSecret"], ["auth0 client secret", "Auth0 secret"]),
        S("mapbox_secret_token", "secret_saas", mapbox, ["MAPBOX_SECRET_TOKEN", "mapbox_token"], ["mapbox token"]),
        S("contentful_token", "secret_saas", rp("CFPAT-", B64URL, 43), ["CONTENTFUL_MANAGEMENT_TOKEN", "cf_token"],
          ["contentful token"], hdr=BEARER),
        S("shippo_token", "secret_saas", lambda: ab("shippo_live_", "shippo_test_") + hx(40), ["SHIPPO_API_TOKEN", "shippo_key"],
          ["shippo token"], hdr=[("Authorization", "ShippoToken ")]),
        S("flutterwave_secret_key", "secret_saas", lambda: ab("FLWSECK-", "FLWSECK_TEST-") + hx(32) + "-X",
          ["FLW_SECRET_KEY", "flutterwave_key"], ["flutterwave key"], hdr=BEARER),
        S("airtable_pat", "secret_saas", airtable, ["AIRTABLE_TOKEN", "airtable_pat"], ["airtable token"], hdr=BEARER),
        S("plaid_access_token", "secret_saas", lambda: ab("access-production-", "access-development-", "access-sandbox-") + uid(),
          ["access_token", "plaid_access_token"], ["plaid token"]),
        S("onepassword_service_account_token", "secret_saas", onepassword, ["OP_SERVICE_ACCOUNT_TOKEN", "op_token"],
          ["1password token"], fmts=["plain", "json", "logfmt", "header"]),
        S("prefect_api_key", "secret_saas", rp("pnu_", B62, 36), ["PREFECT_API_KEY", "prefect_key"], ["prefect key"], hdr=BEARER),
        S("readme_api_key", "secret_saas", rp("rdme_", LOWER + DIGITS, 70), ["README_API_KEY", "readme_key"], ["readme key"]),
        S("facebook_access_token", "secret_saas", lambda: "EAA" + ab("B", "C", "G", "J") + rs(B62, R.randint(120, 200)),
          ["FB_ACCESS_TOKEN", "access_token", "page_token"], ["graph token", "page access token"], hdr=BEARER),
        S("dropbox_token", "secret_saas", rp("sl.", B64URL, 136), ["DROPBOX_TOKEN", "dropbox_access_token"], ["dropbox token"],
          hdr=BEARER),
        S("zapier_webhook", "secret_saas", zapier, ["zap_url", "webhook", "ZAPIER_HOOK"], ["POST", "triggering zap"],
          fmts=["plain", "json", "logfmt"]),
        S("teams_webhook", "secret_saas", teams, ["teams_webhook", "webhook_url"], ["POST", "notifying teams at"],
          fmts=["plain", "json", "logfmt"]),
        S("groq_api_key", "secret_saas", rp("gsk_", B62, 52), ["GROQ_API_KEY", "groq_key"], ["groq key"], hdr=BEARER),
        S("replicate_api_token", "secret_saas", rp("r8_", B62, 37), ["REPLICATE_API_TOKEN", "replicate_token"],
          ["replicate token"], hdr=BEARER),
        S("perplexity_api_key", "secret_saas", rp("pplx-", B62, 48), ["PERPLEXITY_API_KEY", "pplx_key"], ["perplexity key"],
          hdr=BEARER),
        S("xai_api_key", "secret_saas", rp("xai-", B62, 80), ["XAI_API_KEY", "grok_key"], ["xai key"], hdr=BEARER),
        S("openrouter_api_key", "secret_saas", rp("sk-or-v1-", HEX, 64), ["OPENROUTER_API_KEY", "or_key"], ["openrouter key"],
          hdr=BEARER),
        S("langsmith_api_key", "secret_saas", lambda: ab("lsv2_pt_", "lsv2_sk_") + hx(32) + "_" + hx(10),
          ["LANGSMITH_API_KEY", "LANGCHAIN_API_KEY"], ["langsmith key"], hdr=[("x-api-key", "")]),
        S("algolia_api_key", "secret_saas", lambda: hx(32), ["ALGOLIA_ADMIN_KEY", "ALGOLIA_API_KEY", "algolia_write_key"],
          ["algolia admin key", "Algolia API key"], hdr=[("X-Algolia-API-Key", "")]),
        # keys
        S("pgp_private_key", "secret_keys", pgp_block, ["private_key", "gpg_key", "signing_key"], ["imported key",
          "key block:"], fmts=["plain", "json", "logfmt"]),
        S("ssh2_private_key", "secret_keys", ssh2_block, ["private_key", "ssh_key"], ["key file:"], fmts=["plain", "json"]),
        S("putty_private_key", "secret_keys", putty_block, ["ppk", "key_file"], ["ppk contents:"], fmts=["plain", "json"]),
        S("openssh_key_base64", "secret_keys", openssh_b64, ["ssh_private_key", "SSH_KEY_B64", "deploy_key"],
          ["deploy key", "key body"]),
        S("der_private_key_base64", "secret_keys", der_b64, ["private_key", "signing_key_der", "key"], ["signing key",
          "key der"], fmts=["plain", "json", "logfmt", "header"]),
        S("base64_pem_private_key", "secret_keys", b64_pem, ["client-key-data", "tls.key", "private_key_b64"],
          ["client-key-data:", "tls.key:"], fmts=["plain", "json", "logfmt"]),
        S("age_secret_key", "secret_keys", age_key, ["SOPS_AGE_KEY", "age_key", "identity"], ["age identity"]),
        S("wireguard_private_key", "secret_keys", wireguard, ["wg_conf", "interface", "config"], ["wg0.conf:", "interface"],
          fmts=["plain", "json", "logfmt"]),
        S("jwk_private_key", "secret_keys", jwk, ["jwk", "signing_key", "key"], ["loaded jwk", "key:"],
          fmts=["plain", "json", "logfmt"]),
        S("gpg_passphrase_arg", "secret_keys", cmd(lambda: "gpg --batch --yes --pinentry-mode loopback --passphrase {p} "
          "--decrypt %s" % ab("backup.tar.gpg", "secrets.env.gpg")), cmdk, cmdp, fmts=CMD_FMTS),
        # connection strings and command lines
        S("connection_string_password", "connection_string", cmd(conn_string), ["ConnectionString", "connection_string",
          "db", "DB_CONN"], ["connecting with", "connection string:", "opening"], fmts=CMD_FMTS),
        S("kafka_jaas_password", "connection_string", cmd(lambda: 'sasl.jaas.config=org.apache.kafka.common.security.%s '
          'required username="%s" password="{p}";' % (ab("plain.PlainLoginModule", "scram.ScramLoginModule"), user())),
          ["config", "props"], ["consumer config:", "applying"], fmts=["plain", "plain", "logfmt", "json"]),
        S("ldap_bind_password_arg", "connection_string", cmd(lambda: "ldapsearch -x -H ldap://%s -D cn=%s,dc=corp,dc=local "
          "-w {p} -b dc=corp,dc=local uid=%s" % (host(), user(), fk().user_name())), cmdk, cmdp, fmts=CMD_FMTS),
        S("ldap_bind_password_setting", "connection_string", cmd(lambda: ab("bindpw {p}", "rootpw {p}", "bindpw  {p}")),
          ["line", "setting"], ["nslcd.conf:", "slapd.conf line 12:", "ldap.conf:"], fmts=["plain", "plain", "json"]),
        S("mysql_cli_password", "connection_string", cmd(lambda: ab("mysql -u %s -p{p} -h %s orders" % (user(), host()),
          "mysqldump --user=%s --password={p} --single-transaction crm" % user(),
          "mysqladmin -u%s -p{p} status" % user())), cmdk, cmdp, fmts=CMD_FMTS),
        S("sshpass_password", "connection_string", cmd(lambda: "sshpass -p {p} ssh -o StrictHostKeyChecking=no %s@%s"
          % (user(), host())), cmdk, cmdp, fmts=CMD_FMTS),
        S("redis_cli_password", "connection_string", cmd(lambda: ab("redis-cli -h %s -a {p} ping" % host(),
          "redis-cli --pass {p} -n 2 info" )), cmdk, cmdp, fmts=CMD_FMTS),
        S("redis_auth_command", "connection_string", cmd(lambda: ab('%d.%06d [0 unix:/run/redis/redis.sock] "AUTH" "{p}"' % (
          R.randint(1_700_000_000, 1_740_000_000), R.randint(0, 999999)), '"AUTH" "%s" "{p}"' % user())), ["cmd", "slowlog"], ["monitor:", "slowlog entry"],
          fmts=["plain", "plain", "json"]),
        S("mongo_cli_password", "connection_string", cmd(lambda: ab("mongosh --host %s -u %s -p {p} --authenticationDatabase admin"
          % (host(), user()), "mongodump --username %s --password {p} --db shop" % user())), cmdk, cmdp, fmts=CMD_FMTS),
        S("docker_login_password", "connection_string", cmd(lambda: "docker login -u %s -p {p} %s" % (user(), ab(
          "registry.gitlab.com", "ghcr.io", "myregistry.azurecr.io"))), cmdk, cmdp, fmts=CMD_FMTS),
        S("sqlplus_password", "connection_string", cmd(lambda: "sqlplus -s %s/{p}@//%s:1521/ORCLPDB1" % (user(), host())),
          cmdk, cmdp, fmts=CMD_FMTS),
        S("jdbc_oracle_password", "connection_string", cmd(lambda: "jdbc:oracle:thin:%s/{p}@%s:1521:ORCL" % (user(), host())),
          ["url", "jdbc_url", "datasource.url"], ["connecting to", "jdbc url"], fmts=CMD_FMTS),
        S("sqlcmd_password", "connection_string", cmd(lambda: "sqlcmd -S %s -U sa -P {p} -Q \"SELECT 1\"" % host()),
          cmdk, cmdp, fmts=["plain", "plain", "logfmt"]),
        S("smbclient_password", "connection_string", cmd(lambda: "smbclient //%s/share -U %s%%{p} -c ls" % (host(), user())),
          cmdk, cmdp, fmts=CMD_FMTS),
        S("openssl_pass_arg", "connection_string", cmd(lambda: ab("openssl pkcs12 -export -in cert.pem -inkey key.pem "
          "-out bundle.p12 -passout pass:{p}", "openssl rsa -in enc.key -passin pass:{p} -out plain.key")), cmdk, cmdp,
          fmts=CMD_FMTS),
        S("keytool_password_arg", "connection_string", cmd(lambda: ab("keytool -importkeystore -srckeystore a.p12 "
          "-srcstoretype PKCS12 -srcstorepass {p} -destkeystore b.jks", "keytool -list -keystore truststore.jks -storepass {p}",
          "jarsigner -keystore release.jks -storepass {p} app.apk release")), cmdk, cmdp, fmts=CMD_FMTS),
        S("powershell_securestring", "connection_string", cmd(lambda: '$pw = ConvertTo-SecureString "{p}" -AsPlainText -Force'),
          ["ScriptBlock", "command"], ["Executing pipeline:", "CommandInvocation:"], fmts=["plain", "plain", "json"]),
        S("htpasswd_password", "connection_string", cmd(lambda: "htpasswd -b%s /etc/nginx/.htpasswd %s {p}" % (ab("", "c", "B"),
          user())), cmdk, cmdp, fmts=CMD_FMTS),
        S("service_pass_field", "connection_string", password, ["DB_PASS", "SMTP_PASS", "RABBITMQ_DEFAULT_PASS", "REDIS_PASS",
          "MYSQL_ROOT_PASS", "POSTGRES_PASS", "LDAP_ADMIN_PASS"], ["DB_PASS="], fmts=["json", "logfmt", "plain"]),
    ]


# ------------------------------------------------------------------------------------------------ look-alikes

def negatives():
    """(kind, value, key) look-alikes: documentation placeholders under their real keys, and hashes/ids of a
    token's length and alphabet under keys that name them."""
    out = []
    ph = [
        ("OPENAI_API_KEY", "sk-..."), ("OPENAI_API_KEY", "sk-proj-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"),
        ("GITHUB_TOKEN", "ghp_" + "x" * 36), ("GITHUB_TOKEN", "ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"),
        ("GITHUB_TOKEN", "${{ secrets.GITHUB_TOKEN }}"), ("slack_token", "xoxb-your-bot-token"),
        ("slack_token", "xoxb-xxxxxxxxxxxx-xxxxxxxxxxxx-xxxxxxxxxxxxxxxxxxxxxxxx"), ("aws_access_key_id", "AKIAIOSFODNN7EXAMPLE"),
        ("aws_secret_access_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), ("STRIPE_SECRET_KEY", "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx"),
        ("STRIPE_SECRET_KEY", "sk_test_..."), ("api_key", "<YOUR_API_KEY>"), ("token", "$VAULT_TOKEN"),
        ("GITLAB_TOKEN", "glpat-XXXXXXXXXXXXXXXXXXXX"), ("GITLAB_TOKEN", "glpat-<your-token>"),
        ("NPM_TOKEN", "npm_" + "0" * 36), ("ANTHROPIC_API_KEY", "sk-ant-api03-..."), ("HF_TOKEN", "hf_xxx"),
        ("password", "********"), ("password", "${DB_PASSWORD}"), ("password", "<password>"), ("password", "[REDACTED]"),
        ("DD_API_KEY", "<DATADOG_API_KEY>"), ("SENDGRID_API_KEY", "SG.xxxxxxxx.yyyyyyyy"), ("client_secret", "{{ client_secret }}"),
        ("Authorization", "Bearer <token>"), ("Authorization", "Bearer ${TOKEN}"), ("GOOGLE_API_KEY", "AIzaSy" + "X" * 33),
        ("dsn", "mysql://root:${MYSQL_PASSWORD}@db/app"),
        ("cmd", "mysql -u root -p -h db01"), ("cmd", "curl -u user:pass https://example.com"),
        ("cmd", "sshpass -p $SSH_PASS ssh deploy@host"), ("cmd", "docker login -u $CI_REGISTRY_USER -p $CI_REGISTRY_PASSWORD"),
        ("private_key", "-----BEGIN PRIVATE KEY-----...-----END PRIVATE KEY-----"),
    ]
    for k, v in ph:
        out.append(("secret_placeholder", v, k))
    same = [
        ("commit", lambda: hx(40)), ("sha", lambda: hx(40)), ("etag", lambda: hx(32)), ("md5", lambda: hx(32)),
        ("digest", lambda: "sha256:" + hx(64)), ("integrity", lambda: "sha512-" + b64(rb(64))),
        ("request_id", uid), ("trace_id", lambda: hx(32)), ("span_id", lambda: hx(16)), ("nonce", lambda: b64(rb(32))),
        ("content_hash", lambda: b64(rb(32)).rstrip("=")), ("object_id", lambda: hx(24)), ("build_id", lambda: rs(LOWER + DIGITS, 52)),
        ("checksum", lambda: hx(64)), ("image", lambda: "registry.io/app@sha256:" + hx(64)), ("git_sha", lambda: hx(40)),
        ("correlation_id", uid), ("session_hash", lambda: hx(48)),
    ]
    for k, g in same:
        for _ in range(4):
            out.append(("secret_hash_lookalike", g(), k))
    return out
