//! SARIF 2.1.0 output written as the findings arrive, in the shape GitHub code scanning accepts: artifact URIs
//! relative to `%SRCROOT%` (the current directory) and percent-encoded, a `partialFingerprints` entry that is
//! stable across runs, `security-severity`, tags and help text per rule, a result cap with a notification when it
//! is reached, and compact JSON (one result per line).
//!
//! The document is streamed: the head (tool and rules) first, then each result, then the tail (invocation with
//! notifications), so memory does not grow with the number of results. No scanned value is ever written.

use std::io::{self, Write};
use std::path::{Component, Path};

use logscrub_engine::{Category, RuleInfo, Scrubber};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::json;

use super::pipeline::Hit;
use super::report::{Reporter, Summary};
use super::Located;

/// Characters kept as they are in a URI path segment (RFC 3986 unreserved, plus sub-delims that are harmless in
/// a path); everything else, including `#`, `?`, `%`, space and non-ASCII, is percent-encoded.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b'@');

/// The base URI id results are relative to.
pub const SRCROOT: &str = "%SRCROOT%";

/// An artifact location: a relative URI with `uriBaseId` for paths under the current directory, an absolute
/// `file://` URI otherwise, and `stdin` (relative, no file behind it) for standard input.
pub fn artifact_location(path: Option<&Path>, cwd: &Path) -> serde_json::Value {
    let Some(path) = path else {
        return json!({ "uri": "stdin", "description": { "text": "standard input" } });
    };
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let abs = normalize(&abs);
    match abs.strip_prefix(cwd) {
        Ok(rel) => json!({ "uri": encode_path(rel), "uriBaseId": SRCROOT }),
        Err(_) => json!({ "uri": format!("file://{}", encode_path(&abs)) }),
    }
}

/// `a/./b/../c` → `a/c`, without touching the file system (symlinks are not resolved).
fn normalize(p: &Path) -> std::path::PathBuf {
    let mut out = std::path::PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// Each segment percent-encoded, joined by `/` (a leading `/` for an absolute path).
pub fn encode_path(p: &Path) -> String {
    let mut s = String::new();
    for c in p.components() {
        match c {
            Component::RootDir => s.push('/'),
            Component::Normal(seg) => {
                if !s.is_empty() && !s.ends_with('/') {
                    s.push('/');
                }
                let seg = seg.to_string_lossy();
                s.extend(utf8_percent_encode(&seg, SEGMENT));
            }
            _ => {}
        }
    }
    s
}

/// GitHub's `security-severity` (0.0–10.0, above 9 is critical, 7–8.9 high, 4–6.9 medium) by category.
pub fn security_severity(c: Category) -> &'static str {
    match c {
        Category::Secret => "9.0",
        Category::UrlCredential => "8.5",
        Category::Crypto => "8.0",
        Category::Account => "7.5",
        Category::NationalId => "7.5",
        Category::Health => "6.5",
        Category::Personal => "5.0",
    }
}

fn level(c: Category) -> &'static str {
    if security_severity(c).parse::<f32>().unwrap_or(0.0) >= 7.0 {
        "error"
    } else {
        "warning"
    }
}

fn rule_descriptor(r: &RuleInfo) -> serde_json::Value {
    let help = format!(
        "{} This value should not be in a log: remove it where the log line is written, or pipe the log through \
         `logscrub` before it is stored. To accept it, add its rule id, path or hash to a `--allowlist` file.",
        r.description
    );
    let markdown = format!(
        "**{}** ({}): {}\n\nThis value should not be in a log. Remove it where the log line is written, or pipe the \
         log through `logscrub` before it is stored (`my-service 2>&1 | logscrub > service.log`). To accept it, \
         add its rule id (`{}`), path or hash to a `--allowlist` file.",
        r.class,
        r.category.as_str(),
        r.description,
        r.id
    );
    json!({
        "id": r.id,
        "name": r.class,
        "shortDescription": { "text": format!("{} ({})", r.class, r.category.as_str()) },
        "fullDescription": { "text": r.description },
        "help": { "text": help, "markdown": markdown },
        "defaultConfiguration": { "level": level(r.category) },
        "properties": {
            "security-severity": security_severity(r.category),
            "tags": ["security", "sensitive-data", r.category.as_str()],
            "precision": "high",
            "category": r.category.as_str(),
        },
    })
}

/// Streams one SARIF log.
pub struct SarifReporter {
    scrubber: Scrubber,
    cwd: std::path::PathBuf,
    first: bool,
}

impl SarifReporter {
    /// A reporter for results located relative to `cwd`.
    pub fn new(scrubber: &Scrubber, cwd: std::path::PathBuf) -> Self {
        SarifReporter {
            scrubber: scrubber.clone(),
            cwd,
            first: true,
        }
    }

    fn head(&self) -> serde_json::Value {
        let rules: Vec<_> = self.scrubber.rules().iter().map(rule_descriptor).collect();
        let mut root = String::from("file://");
        root.push_str(&encode_path(&self.cwd));
        if !root.ends_with('/') {
            root.push('/');
        }
        json!({
            "tool": { "driver": {
                "name": "logscrub",
                "informationUri": "https://example.invalid/logscrub",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "originalUriBaseIds": { SRCROOT: { "uri": root } },
            "columnKind": "unicodeCodePoints",
        })
    }
}

impl Reporter for SarifReporter {
    fn begin(&mut self, w: &mut dyn Write) -> io::Result<()> {
        // The run object is written by hand around the streamed results: its head's members, then "results".
        let head = serde_json::to_string(&self.head()).map_err(io::Error::from)?;
        let head = head.strip_suffix('}').unwrap_or(&head);
        writeln!(
            w,
            "{{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{head},\"results\":["
        )
    }

    fn hit(&mut self, w: &mut dyn Write, at: &Located, hit: &Hit) -> io::Result<()> {
        let r = self.scrubber.rule(hit.rule);
        let mut region = json!({
            "startLine": hit.line,
            "startColumn": hit.col,
            "endColumn": hit.end_col.max(hit.col + 1),
        });
        if let Some(c) = &hit.context {
            region["snippet"] = json!({ "text": c });
        }
        let result = json!({
            "ruleId": r.id,
            "ruleIndex": hit.rule.0,
            "level": level(r.category),
            "message": { "text": format!(
                "{} ({}) at line {}, column {}; value hash {:016x}",
                r.class, r.category.as_str(), hit.line, hit.col, hit.hash
            ) },
            "locations": [{ "physicalLocation": {
                "artifactLocation": artifact_location(at.path, &self.cwd),
                "region": region,
            }}],
            "partialFingerprints": { "logscrubFinding/v1": at.fingerprint(r, hit) },
        });
        if !self.first {
            w.write_all(b",\n")?;
        }
        self.first = false;
        serde_json::to_writer(&mut *w, &result).map_err(io::Error::from)
    }

    fn end(&mut self, w: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        let mut notes = Vec::new();
        if summary.truncated() {
            notes.push(json!({
                "level": "warning",
                "message": { "text": format!(
                    "--max-results {} reached: {} findings, {} reported (GitHub code scanning accepts at most 25000 \
                     results per run); raise --max-results, or use --summary for counts per rule",
                    summary.max_results, summary.total, summary.reported
                ) },
            }));
        }
        for r in &summary.refused {
            notes.push(json!({ "level": "error", "message": { "text": r } }));
        }
        let invocation = json!({
            "executionSuccessful": summary.refused.is_empty(),
            "toolExecutionNotifications": notes,
            "properties": {
                "findings": summary.total,
                "reported": summary.reported,
                "allowlisted": summary.allowlisted,
                "baselined": summary.baselined,
            },
        });
        write!(w, "\n],\"invocations\":[")?;
        serde_json::to_writer(&mut *w, &invocation).map_err(io::Error::from)?;
        w.write_all(b"]}]}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_relative_encoded_uris() {
        let cwd = Path::new("/srv/app");
        let v = artifact_location(Some(Path::new("logs/my app#1.log")), cwd);
        assert_eq!(v["uri"], "logs/my%20app%231.log");
        assert_eq!(v["uriBaseId"], SRCROOT);
        let v = artifact_location(Some(Path::new("/srv/app/./x/../ü.log")), cwd);
        assert_eq!(v["uri"], "%C3%BC.log");
        let v = artifact_location(Some(Path::new("/var/log/a b.log")), cwd);
        assert_eq!(v["uri"], "file:///var/log/a%20b.log");
        assert!(v.get("uriBaseId").is_none());
        assert_eq!(artifact_location(None, cwd)["uri"], "stdin");
    }
}
