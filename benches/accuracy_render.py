"""Log-line templates for the credential and identifier classes of the accuracy corpus (benches/accuracy_gen.py).

A class is a `Spec`: its generator, the field keys and prose phrases a real service logs next to such a value,
and optional header names and command-line templates. `render` puts one value into one line of a format (plain
text, JSON, logfmt, access log, header) and returns the byte range of the sensitive part. A generator returns
either the value itself or `(fragment, start, end)`: a larger piece of text (a connection string, a command line,
a key file) of which only `fragment[start:end]` is sensitive.

It must never derive a value or a template from the rule pack.
"""

import json
from urllib.parse import quote

FORMATS = ["plain", "plain", "json", "logfmt", "access", "header"]
SERVICES = ["billing", "checkout", "crm", "auth", "notify", "deploy", "ledger", "api-gw", "kyc", "worker", "ci-runner",
            "gateway", "payroll", "clinic", "onboarding"]
LEVELS = ["INFO", "WARN", "DEBUG", "ERROR", "info", "warn"]
TAILS = ["", " ok", " status=200", " (retry 2)", " done in 35ms", " queued", " for review", " - flagged",
         " request_id=8f14e45f", " attempt=3", " rotated"]
PATHS = ["/api/v1/customers", "/v2/verify", "/account/update", "/kyc/submit", "/hooks/ingest", "/users/lookup",
         "/api/integrations", "/admin/settings"]


class Spec:
    """One labelled class: `gen()` gives a value (or fragment), keys/phrases give its context."""

    def __init__(self, name, group, gen, keys, phrases, hdr=None, fmts=None, secret=False, bad=None, cli=None,
                 no_msg=False):
        self.name = name
        self.group = group
        self.gen = gen
        self.keys = keys
        self.phrases = phrases
        self.hdr = hdr
        self.fmts = fmts or FORMATS
        self.secret = secret
        self.bad = bad
        self.cli = cli or []
        self.no_msg = no_msg


def ts(R):
    return "2024-%02d-%02dT%02d:%02d:%02d.%03dZ" % (R.randint(1, 12), R.randint(1, 28), R.randint(0, 23),
                                                    R.randint(0, 59), R.randint(0, 59), R.randint(0, 999))


def syslog_ts(R):
    return "%s %2d %02d:%02d:%02d" % (R.choice(["Jan", "Feb", "Mar", "Jun", "Oct", "Dec"]), R.randint(1, 28),
                                      R.randint(0, 23), R.randint(0, 59), R.randint(0, 59))


def split(item):
    if isinstance(item, tuple):
        frag, s, e = item
        return frag[:s], frag[s:e], frag[e:]
    return "", item, ""


def jesc(s):
    return json.dumps(s, ensure_ascii=False)[1:-1]


def _out(head, parts, tail):
    pre, val, post = parts
    line = head + pre + val + post + tail
    s = len((head + pre).encode())
    return line, s, s + len(val.encode())


def render(R, fmt, spec, item):
    """Returns (line, start, end) for `item` (value or fragment) of `spec` in format `fmt`."""
    pre, val, post = split(item)
    if fmt != "json":
        # a multi-line value (a key file) is logged with its line breaks escaped
        pre, val, post = (p.replace("\n", "\\n") for p in (pre, val, post))
    key = R.choice(spec.keys)
    svc = R.choice(SERVICES)
    phrase = R.choice(spec.phrases)
    if fmt == "json":
        parts = (jesc(pre), jesc(val), jesc(post))
        head0 = R.choice([
            '{"ts":"%s","level":"%s","svc":"%s",' % (ts(R), R.choice(LEVELS).lower(), svc),
            '{"timestamp": "%s", "service": "%s", "event": "config", ' % (ts(R), svc),
            '{"level":"debug","msg":"request",',
            '{"@timestamp":"%s","log.level":"info","service.name":"%s",' % (ts(R), svc),
        ])
        r = R.random()
        if r < 0.25 and not spec.no_msg:
            return _out(head0 + '"msg":"%s ' % jesc(phrase), parts, '%s"}' % R.choice(TAILS))
        if r < 0.4:
            outer = R.choice(["env", "config", "data", "payload", "customer", "settings"])
            return _out(head0 + '"%s":{"%s":"' % (outer, key), parts, '"},"ok":true}')
        return _out(head0 + '"%s":"' % key, parts, '","attempt":%d}' % R.randint(1, 3))
    if fmt == "logfmt":
        pre_f = R.choice(["time=%s level=%s svc=%s " % (ts(R), R.choice(LEVELS).lower(), svc),
                          "ts=%s lvl=info caller=%s.go:%d " % (ts(R), svc, R.randint(10, 400)),
                          "level=debug component=%s " % svc])
        k = key.replace(".", "_").replace(" ", "_")
        whole = pre + val + post
        needs_q = any(c in whole for c in ' "=')
        if R.random() < 0.2 and not spec.no_msg:
            parts = tuple(p.replace('"', '\\"') for p in (pre, val, post))
            return _out(pre_f + 'msg="%s ' % phrase.replace('"', '\\"'), parts, '%s"' % R.choice(TAILS))
        if needs_q or R.random() < 0.3:
            parts = tuple(p.replace('"', '\\"') for p in (pre, val, post))
            return _out(pre_f + '%s="' % k, parts, '"' + R.choice(["", " status=ok", " attempt=2"]))
        return _out(pre_f + "%s=" % k, (pre, val, post), R.choice(["", " status=ok", " attempt=2", " result=ok"]))
    if fmt == "access":
        qk = key.replace(".", "_").replace(" ", "_")
        if R.random() < 0.5:
            parts = tuple(quote(p, safe="@+:") for p in (pre, val, post))
        else:
            parts = tuple(p.replace(" ", "+") for p in (pre, val, post))
        head = '%s - - [%s] "%s %s?%s=' % (R.choice(["proxy-3.int", "lb01", "gw.internal", "edge-7"]),
                                          syslog_ts(R), R.choice(["GET", "POST"]), R.choice(PATHS), qk)
        tail = '&page=%d HTTP/1.1" %d %d "-" "%s"' % (
            R.randint(1, 9), R.choice([200, 302, 401, 500]), R.randint(100, 99999),
            R.choice(["Mozilla/5.0 (X11; Linux x86_64)", "python-requests/2.31.0", "curl/8.4.0", "okhttp/4.12.0"]))
        return _out(head, parts, tail)
    if fmt == "header":
        if spec.hdr and R.random() < 0.8:
            hname, hpre = R.choice(spec.hdr)
        else:
            hname = "X-" + "-".join(w.capitalize() for w in key.replace(".", "_").replace("-", "_").split("_") if w)
            hpre = ""
        head = R.choice(["> ", "< ", "", "header ", "-H '"]) + hname + ": " + hpre
        tail = "'" if head.startswith("-H '") else ""
        return _out(head, (pre, val, post), tail)
    # plain text
    prefix = R.choice([
        "%s %s [%s] " % (ts(R), R.choice(LEVELS), svc),
        "%s host %s[%d]: " % (syslog_ts(R), svc, R.randint(100, 30000)),
        "[%s] %s: " % (R.choice(LEVELS), svc),
        "",
    ])
    r = R.random()
    if spec.cli and r < 0.35:
        return _out(prefix + R.choice(spec.cli), (pre, val, post), R.choice(TAILS))
    if spec.secret and r < 0.55 and not spec.no_msg:
        k = key.replace(".", "_")
        form = R.choice(["export %s=" % k.upper(), "%s=" % k.upper(), "  %s: " % k, "%s = " % k,
                         "set %s=" % k.upper(), "env %s=" % k.upper()])
        return _out(prefix + form, (pre, val, post), R.choice(["", "", " # from vault", " (masked: no)"]))
    if phrase.endswith(" "):
        sep = ""
    elif phrase.endswith((":", "=")):
        sep = R.choice([" ", ""])
    else:
        sep = R.choice([" ", " ", ": ", " \"", "="])
    head = prefix + phrase + sep
    q = head.endswith('"')
    return _out(head, (pre, val, post), ('"' if q else "") + R.choice(TAILS))
