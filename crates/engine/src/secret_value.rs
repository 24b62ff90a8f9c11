//! Where an unquoted secret value ends. A password may hold any punctuation (`Tr0ub4dor&3`, `p@ss;word!x`), so
//! the end is decided from the syntax around the value, not from the first `&` or `;`:
//!
//! * in a URL query or a form body (the key follows `?` or `&`), `&` and `#` separate parameters;
//! * after a JSON-style quoted key (`"pass":hunter2`), `,`, `}` and `]` end it;
//! * anywhere else (logfmt, `key: value` text), white space ends it, and `,`, `;` or `&` only when the next
//!   field's `key=` follows (`user=bob,password=x,role=admin`).
//!
//! Quotes and escaped line breaks (`\n` inside a JSON string) always end it. This module only measures; it never
//! decides whether a value is sensitive.

use std::ops::Range;

/// The extent of the unquoted value that starts at `value.start`, read as a secret.
pub(crate) fn secret_extent(line: &[u8], value: Range<usize>) -> Range<usize> {
    let start = value.start;
    debug_assert!(value.end >= start);
    let syntax = syntax_before(line, start);
    let mut end = start;
    while end < line.len() {
        let b = line[end];
        let stop = match b {
            b' ' | b'\t' | b'\r' | b'\n' | b'"' | b'\'' | b'<' | b'>' => true,
            b'\\' => matches!(line.get(end + 1), Some(b'"' | b'n' | b'r' | b't' | b'\\')),
            b'&' | b'#' if syntax == Syntax::Query => true,
            b',' | b'}' | b']' if syntax == Syntax::JsonKey => true,
            b';' if syntax == Syntax::SemicolonList => true,
            b',' | b';' | b'&' => next_is_key(line, end + 1),
            _ => false,
        };
        if stop {
            break;
        }
        end += 1;
    }
    // A closing bracket the value did not open belongs to the text around it: `(password=abc)`.
    while end > start {
        let last = line[end - 1];
        let opener = match last {
            b')' => b'(',
            b']' => b'[',
            b'}' => b'{',
            _ => break,
        };
        if line[start..end - 1].contains(&opener) {
            break;
        }
        end -= 1;
    }
    start..end
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Syntax {
    Query,
    JsonKey,
    /// The key follows a `;`: a member of an ODBC / ADO.NET / JDBC settings list (`…;User ID=app;Password=x;`),
    /// where `;` separates members (a password holding `;` is written in braces, `{p;w}`).
    SemicolonList,
    Text,
}

/// Looks left of the value: the separator, the key, and what precedes the key.
fn syntax_before(line: &[u8], value_start: usize) -> Syntax {
    let mut i = value_start;
    while i > 0 && line[i - 1] == b' ' {
        i -= 1;
    }
    if i == 0 || !matches!(line[i - 1], b'=' | b':') {
        return Syntax::Text;
    }
    let sep = i - 1;
    if sep > 0 && matches!(line[sep - 1], b'"' | b'\'') {
        return Syntax::JsonKey;
    }
    let mut k = sep;
    while k > 0
        && (line[k - 1].is_ascii_alphanumeric()
            || matches!(line[k - 1], b'_' | b'-' | b'.' | b'[' | b']'))
    {
        k -= 1;
    }
    match k.checked_sub(1).map(|p| line[p]) {
        Some(b'?') | Some(b'&') if line[sep] == b'=' => Syntax::Query,
        Some(b';') if line[sep] == b'=' => Syntax::SemicolonList,
        _ => Syntax::Text,
    }
}

/// Does a `key=` (or `key:` followed by a space) start at `at`?
fn next_is_key(line: &[u8], at: usize) -> bool {
    let mut i = at;
    while i < line.len() && line[i] == b' ' {
        i += 1;
    }
    let k = i;
    while i < line.len()
        && (line[i].is_ascii_alphanumeric() || matches!(line[i], b'_' | b'-' | b'.'))
    {
        i += 1;
    }
    i > k
        && line[k].is_ascii_alphabetic()
        && match line.get(i) {
            Some(b'=') => true,
            Some(b':') => line.get(i + 1) == Some(&b' '),
            _ => false,
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(line: &str, key: &str) -> String {
        let start = line.find(key).expect("key") + key.len();
        let r = secret_extent(line.as_bytes(), start..start);
        line[r].to_string()
    }

    #[test]
    fn punctuation_inside_a_password_is_kept() {
        assert_eq!(
            value("password=Tr0ub4dor&3 user=bob", "password="),
            "Tr0ub4dor&3"
        );
        assert_eq!(value("password=p@ss;word!x", "password="), "p@ss;word!x");
        assert_eq!(value("db_password: a,b;c", "db_password: "), "a,b;c");
    }

    #[test]
    fn the_next_field_ends_it() {
        assert_eq!(
            value("user=bob,password=hunter2,role=admin", "password="),
            "hunter2"
        );
        assert_eq!(value("password=hunter2&user=bob", "password="), "hunter2");
        assert_eq!(value("(password=abc)", "password="), "abc");
    }

    #[test]
    fn connection_string_members_end_at_semicolons() {
        assert_eq!(
            value(r#""Server=db;Uid=app;Pwd=Fcr8Zn;" ok"#, "Pwd="),
            "Fcr8Zn"
        );
        assert_eq!(
            value("Server=db;Password=Wint3r+;Encrypt=True;", "Password="),
            "Wint3r+"
        );
        // Without a list around it, `;` inside a password stays part of it.
        assert_eq!(value("password=p@ss;word!x", "password="), "p@ss;word!x");
    }

    #[test]
    fn query_and_json_syntax() {
        assert_eq!(value("GET /login?password=a;b&next=/x", "password="), "a;b");
        assert_eq!(value("GET /login?x=1&password=a#frag", "password="), "a");
        assert_eq!(value(r#"{"pass":hunter2,"x":1}"#, r#""pass":"#), "hunter2");
        assert_eq!(value(r#"{"msg":"password=abc\nnext"}"#, "password="), "abc");
    }
}
