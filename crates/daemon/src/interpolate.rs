//! `${VAR}` in the configuration file: replaced by the environment variable's value before the TOML is parsed,
//! so that secrets and per-host values (a token path, a listen address) need not be written into the file.
//!
//! `${VAR:-default}` uses `default` when `VAR` is unset or empty; `$${` is a literal `${`; a `$` not followed by
//! `{` stays as it is. An unset variable without a default is an error naming the file, the line and the
//! variable (never a value); a value holding a line break is refused, so that it cannot add TOML tables.

use crate::config::ConfigError;

/// Replaces every `${VAR}` of `text` (the file `path`) with `env(VAR)`.
pub fn interpolate(
    path: &str,
    text: &str,
    env: impl Fn(&str) -> Option<String>,
) -> Result<String, ConfigError> {
    let err = |at: usize, message: String| ConfigError::Parse {
        path: path.to_string(),
        message: format!("line {}: {message}", text[..at].matches('\n').count() + 1),
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let at = text.len() - rest.len() + i;
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix("$${") {
            out.push_str("${");
            rest = after;
            continue;
        }
        let Some(body) = tail.strip_prefix("${") else {
            out.push('$');
            rest = &tail[1..];
            continue;
        };
        let Some(end) = body.find('}') else {
            return Err(err(
                at,
                "`${` without a closing `}` (write `$${` for a literal `${`)".into(),
            ));
        };
        let inner = &body[..end];
        let (name, default) = match inner.split_once(":-") {
            Some((n, d)) => (n, Some(d)),
            None => (inner, None),
        };
        let valid = !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !valid {
            return Err(err(
                at,
                "`${...}` must name an environment variable (letters, digits, `_`)".into(),
            ));
        }
        let value = match (env(name).filter(|v| !v.is_empty()), default) {
            (Some(v), _) => v,
            (None, Some(d)) => d.to_string(),
            (None, None) => {
                return Err(err(
                    at,
                    format!("environment variable {name} is not set (set it, or write ${{{name}:-default}})"),
                ))
            }
        };
        if value.contains(['\n', '\r']) {
            return Err(err(
                at,
                format!("environment variable {name} holds a line break, which is refused"),
            ));
        }
        out.push_str(&value);
        rest = &body[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(k: &str) -> Option<String> {
        match k {
            "TOKEN_FILE" => Some("/run/secrets/token".into()),
            "EMPTY" => Some(String::new()),
            "MULTI" => Some("a\n[[sink]]".into()),
            _ => None,
        }
    }

    #[test]
    fn variables_defaults_and_escapes() {
        let t = "token_file = \"${TOKEN_FILE}\"\nlisten = \"${LISTEN:-127.0.0.1:8080}\"\nx = \"${EMPTY:-d}\"\n\
                 re = \"^a$\"\nlit = \"$${NOT}\"\n";
        assert_eq!(
            interpolate("c.toml", t, env).unwrap(),
            "token_file = \"/run/secrets/token\"\nlisten = \"127.0.0.1:8080\"\nx = \"d\"\n\
             re = \"^a$\"\nlit = \"${NOT}\"\n"
        );
    }

    #[test]
    fn errors_name_the_file_line_and_variable_never_a_value() {
        let e = interpolate("c.toml", "a = 1\nb = \"${MISSING}\"\n", env).unwrap_err();
        assert_eq!(
            e.to_string(),
            "c.toml: line 2: environment variable MISSING is not set (set it, or write ${MISSING:-default})"
        );
        let e = interpolate("c.toml", "b = \"${MULTI}\"\n", env)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("line 1") && e.contains("MULTI") && !e.contains("[[sink]]"),
            "{e}"
        );
        assert!(interpolate("c.toml", "b = \"${OPEN\n", env).is_err());
        assert!(interpolate("c.toml", "b = \"${1X}\"", env).is_err());
        assert!(interpolate("c.toml", "b = \"${}\"", env).is_err());
    }
}
