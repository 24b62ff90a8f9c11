//! Values written the way URLs and forms write them (percent escapes, `+` for a space), custom `X-` headers,
//! documentation placeholders under secret keys, and the collateral these used to cause (issues 10 and 11).
//!
//! Every case scrubs twice (the second pass must change nothing) and, for JSON, checks the output still parses.
//! The values are made up for these tests and differ from the rule files' examples.

use logscrub_engine::Scrubber;

fn scrubber() -> &'static Scrubber {
    static S: std::sync::OnceLock<Scrubber> = std::sync::OnceLock::new();
    S.get_or_init(|| Scrubber::default_rules().expect("the default pack compiles"))
}

/// Scrubs through the stream (the CLI's path) and through `scrub_line`; both must agree and be idempotent.
fn scrub(line: &str) -> String {
    let s = scrubber();
    let mut scratch = s.scratch();
    let mut out = Vec::new();
    s.scrub_line(line.as_bytes(), &mut out, &mut scratch);
    let mut st = s.stream();
    let mut streamed = Vec::new();
    st.push(line.as_bytes(), &mut streamed);
    st.push(b"\n", &mut streamed);
    st.finish(&mut streamed);
    assert_eq!(
        String::from_utf8_lossy(&streamed).trim_end_matches('\n'),
        String::from_utf8_lossy(&out),
        "the stream and scrub_line differ for {line:?}"
    );
    // A whole line in one push goes through the block prefilter (the CLI's path).
    let mut st = s.stream();
    let mut blocked = Vec::new();
    st.push(format!("{line}\n").as_bytes(), &mut blocked);
    st.finish(&mut blocked);
    assert_eq!(
        blocked, streamed,
        "a line pushed whole and one pushed in parts differ for {line:?}"
    );
    let mut again = Vec::new();
    s.scrub_line(&out, &mut again, &mut scratch);
    assert_eq!(out, again, "scrubbing twice differs from once for {line:?}");
    String::from_utf8(out).expect("UTF-8 in, UTF-8 out")
}

/// `value` is replaced by one placeholder and `before` / `after` stay byte for byte.
fn found(before: &str, value: &str, after: &str) -> String {
    let line = format!("{before}{value}{after}");
    let out = scrub(&line);
    assert!(
        out.starts_with(before) && out.ends_with(after),
        "the text around {value:?} changed:\n  in:  {line}\n  out: {out}"
    );
    let middle = &out[before.len()..out.len() - after.len()];
    assert!(
        middle.starts_with("[REDACTED:")
            && middle.ends_with(']')
            && middle.matches('[').count() == 1,
        "expected {value:?} replaced whole:\n  in:  {line}\n  out: {out}"
    );
    out
}

fn untouched(line: &str) {
    assert_eq!(scrub(line), line, "a line without a value was changed");
}

const GET: &str = "gw.internal - - [01/Mar/2025:10:00:00 +0000] \"GET /v1/lookup?";
const TAIL: &str = "&page=2 HTTP/1.1\" 200 512 \"-\" \"curl/8.4.0\"";

#[test]
fn percent_encoded_values_in_a_query_are_found_whole() {
    found(&format!("{GET}ssn="), "412%2D67%2D3091", TAIL);
    found(&format!("{GET}email="), "priya.patel%40mailbox.org", TAIL);
    found(&format!("{GET}nas="), "293%20718%20540", TAIL);
    found(
        &format!("{GET}iban="),
        "GB82%20WEST%201234%205698%207654%2032",
        TAIL,
    );
    // lower-case hex digits are escapes too
    found(&format!("{GET}ssn="), "412%2d67%2d3091", TAIL);
}

#[test]
fn plus_encoded_values_in_a_query_or_form_body_are_found_whole() {
    found(&format!("{GET}card="), "4539+1488+0343+6467", TAIL);
    found(&format!("{GET}sin="), "293+718+540", TAIL);
    // a comma is part of a query value: the address and the degree are not cut at it
    found(
        &format!("{GET}address_line1="),
        "Flat+7,+22+Baker+Street",
        "&city=London",
    );
    found(&format!("{GET}full_name="), "Maria+Garcia,+Ph.D.", TAIL);
    // base64 with its `/` and `=` escaped but its `+` left raw (read as `+`, not as a space)
    found(
        &format!("{GET}deploy_key="),
        "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZYK3Du5%2FGlA5vvB+wjR%2FBm7Qj13HUSRH40BDAAJrblRVlKBlaF1kxJgLuNRUSochqZoBrSGetZz2oV728Vodgwu3zgnWu8AE5xdcZDx97LC1gOw3vJcS3S5qrrlLro0vn6KcWihMnvdSGCnPEHmwgOnXShwQ%2FKtqQg%3D%3D",
        TAIL,
    );
    // a form body: no `?`, parameters joined by `&`
    found("body: iban=", "GB82+WEST+1234+5698+7654+32", "&submit=1");
}

#[test]
fn encoded_values_inside_json_keep_the_document_valid() {
    let line = r#"{"url":"/v1/verify?ssn=412%2D67%2D3091&page=2","status":200}"#;
    let out = scrub(line);
    assert!(!out.contains("3091"), "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("still JSON");
    assert_eq!(v["status"], 200);
}

#[test]
fn a_finding_never_cuts_an_escape() {
    let s = scrubber();
    let line = format!("{GET}ssn=412%2D67%2D3091{TAIL}");
    let mut findings = Vec::new();
    s.scan_line(line.as_bytes(), &mut s.scratch(), &mut findings);
    assert!(!findings.is_empty());
    for f in &findings {
        let v = &line[f.start..f.end];
        // An escape is whole when the finding neither starts inside one nor ends with half of one.
        assert!(
            !v.ends_with('%')
                && !line[..f.start].ends_with('%')
                && !line[..f.start].ends_with("%2"),
            "{v:?}"
        );
    }
}

#[test]
fn text_that_only_looks_encoded_is_left_alone() {
    untouched("gw - - [01/Mar/2025:10:00:00 +0000] \"GET /search?q=100%25+off+shoes&page=2 HTTP/1.1\" 200 512");
    untouched(
        "gw - - [01/Mar/2025:10:00:00 +0000] \"GET /static/app%20v2.js?v=1+2 HTTP/1.1\" 200 512",
    );
    untouched("2025-03-01T10:00:00+01:00 tz=+0100 load=95% cpu=3+4 a+b=c");
    untouched("GET /api/items?ids=4111,4222,4333&sort=asc");
    untouched("GET /track?id=4bf92f3577b34da6%2Da3ce929d0e0e4736&x=1");
}

#[test]
fn custom_x_headers_name_their_field() {
    found("X-Dl-Number: ", "S5301-2749-118", "");
    found("X-Passport-No: ", "5H2648391", "");
    found("-H 'X-Driver-License-No: ", "T7730918", "'");
    // a header that names nothing sensitive stays
    untouched("X-Request-Id: 5H2648391");
    untouched("X-Forwarded-Proto: https");
}

#[test]
fn documentation_placeholders_under_secret_keys_stay() {
    for line in [
        "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "OPENAI_API_KEY= sk-... done",
        r#"{"slack_token":"xoxb-your-bot-token","attempt":1}"#,
        "X-Gitlab-Token: glpat-<your-token>",
        "NPM_TOKEN: npm_000000000000000000000000000000000000",
        "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
        "dsn: mysql://root:${MYSQL_PASSWORD}@db/app",
    ] {
        untouched(line);
    }
    // real-looking values under the same keys are still taken
    found(
        "GITHUB_TOKEN=",
        "gh_R2d9xK4mQp7Lw1Zt8Vb3Nc6Hy0Jf5Ga2Se4U",
        "",
    );
    found("export AWS_ACCESS_KEY_ID=", "AKIAQDHC3SNEX6IBHGJL", "");
    // a password whose last part repeats a character is still a password (only a body that is all repeats is a
    // stand-in)
    found("password=", "Hdr-Pl4nted-000000", " done");
    found(r#"{"password":""#, "Summer-2024-xxxxxx", r#""}"#);
}

#[test]
fn collateral_that_used_to_be_taken() {
    // an ssh target is a login at a host, not a mailbox; an address in prose still is one
    untouched("ssh -i ~/.ssh/id_ed25519 -p 2222 deploy@bastion.acme.io uptime");
    untouched("scp backup.tgz deploy@files.acme.io:/srv/backups");
    found("ssh login notice sent to ", "ann.lee@corp-mail.com", "");
    // the cmdlet stays, the password after it goes
    found(
        "$pw = ConvertTo-SecureString \"",
        "Falcon3729.",
        "\" -AsPlainText -Force",
    );
    // a connection string's settings stay; only the key goes
    found(
        "set AZURE_STORAGE_CONNECTION_STRING=DefaultEndpointsProtocol=https;AccountName=st1;AccountKey=",
        "8atQXdnkckYoNGON6/FDPO22yszFgtWk6L/Sl7Dw3kqrlH8s7clnWwchE4lqW3SQ9WaVLKLR8jIxJxZKn/8Jcg==",
        ";EndpointSuffix=core.windows.net ok",
    );
    // an ODBC password ends at its `;`
    found(
        "Server=tcp:db1,1433;User ID=backup;Password=",
        "Winter4148+",
        ";Encrypt=True; rotated",
    );
    found(
        "\"Driver={ODBC Driver 18};Server=db;Uid=app;Pwd=",
        "Fcr8ZnNnZP1",
        ";\" status=200",
    );
    // an unknown scheme word stays, the credential after it goes
    found(
        "Authorization: SSWS ",
        "00Qx7vRk2mTq9LpZ4wYb8NcE1sHd5FgJ3aUo6KiV",
        "",
    );
    untouched("Authorization: none provided");
}

/// A line whose only value is encoded has no hit of the raw prefilter: the stream must still look at it (it
/// copied such lines as they were, where `scrub_line` found the value).
#[test]
fn an_encoded_value_alone_on_its_line_is_found_by_the_stream_too() {
    found("GET /p?q=", "ann.lee%40corp-mail.com", " HTTP/1.1");
    found(
        "GET /lookup?who=",
        "mira.olsen%40example-mail.org",
        "&page=2 200",
    );
    found("{\"x\":\"", "tove.lind\\u0040example-mail.org", "\"}");
}
