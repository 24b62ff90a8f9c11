//! Differential tests of the prefilter: the block path (`LineStream`, one prefilter pass per block) must give the
//! same bytes as scrubbing each line on its own (`scrub_line`, one pass per line), and every compiled backend
//! (`Backend::compiled()`) must give the same bytes as the pure-Rust one, over real logs with every rule example
//! planted into them.

use std::path::PathBuf;

use logscrub_engine::{Backend, RuleSet, Scrubber};

/// The shared corpus, one buffer, plus every rule example appended to a corpus line (so examples are scanned
/// inside real lines and inside large blocks, not alone).
fn test_input() -> Option<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "log"))
        .collect();
    files.sort();
    let mut corpus = Vec::new();
    for f in files {
        corpus.extend(std::fs::read(f).ok()?);
    }
    let set = RuleSet::default_pack().expect("default pack");
    let examples: Vec<&String> = set
        .rules()
        .iter()
        .flat_map(|r| r.rule.examples.iter().chain(&r.rule.negative_examples))
        .collect();
    let mut out = Vec::with_capacity(corpus.len() * 2);
    for (i, line) in corpus.split_inclusive(|&b| b == b'\n').enumerate() {
        out.extend_from_slice(line);
        if i % 7 == 0 {
            let ex = examples[(i / 7) % examples.len()];
            let sep: &[u8] = if i % 2 == 0 { b" " } else { b"\t" };
            let content = line.strip_suffix(b"\n").unwrap_or(line);
            out.extend_from_slice(content);
            out.extend_from_slice(sep);
            out.extend_from_slice(ex.as_bytes());
            out.extend_from_slice(if i % 3 == 0 { b"\r\n" } else { b"\n" });
        }
    }
    Some(out)
}

fn stream_output(s: &Scrubber, input: &[u8], chunk: usize) -> Vec<u8> {
    let mut st = s.stream();
    let mut out = Vec::with_capacity(input.len() + input.len() / 4);
    for c in input.chunks(chunk) {
        st.push(c, &mut out);
    }
    st.finish(&mut out);
    out
}

fn line_output(s: &Scrubber, input: &[u8]) -> Vec<u8> {
    let mut scratch = s.scratch();
    let mut out = Vec::with_capacity(input.len() + input.len() / 4);
    for raw in input.split_inclusive(|&b| b == b'\n') {
        let (content, term): (&[u8], &[u8]) = if let Some(c) = raw.strip_suffix(b"\r\n") {
            (c, b"\r\n")
        } else if let Some(c) = raw.strip_suffix(b"\n") {
            (c, b"\n")
        } else {
            (raw, b"")
        };
        s.scrub_line(content, &mut out, &mut scratch);
        out.extend_from_slice(term);
    }
    out
}

/// Index of the first line where `a` and `b` differ (for a readable failure without dumping the logs).
fn first_diff_line(a: &[u8], b: &[u8]) -> usize {
    a.split(|&x| x == b'\n')
        .zip(b.split(|&x| x == b'\n'))
        .position(|(x, y)| x != y)
        .unwrap_or(usize::MAX)
}

#[test]
fn block_path_equals_line_path() {
    let Some(input) = test_input() else {
        eprintln!("skipping: ../shared/corpus is missing");
        return;
    };
    let s = Scrubber::default_rules().expect("default pack");
    let lines = line_output(&s, &input);
    assert_ne!(lines, input, "planted examples must change the input");
    for chunk in [1 << 20, 4096, 777] {
        let blocks = stream_output(&s, &input, chunk);
        assert!(
            blocks == lines,
            "chunk {chunk}: block path and line path differ first at line {}",
            first_diff_line(&blocks, &lines)
        );
    }
}

#[test]
fn every_compiled_backend_gives_the_same_bytes() {
    let Some(input) = test_input() else {
        eprintln!("skipping: ../shared/corpus is missing");
        return;
    };
    let reference = stream_output(
        &Scrubber::default_rules().expect("default pack"),
        &input,
        1 << 20,
    );
    for &b in Backend::compiled() {
        let s = Scrubber::builder()
            .backend(b)
            .build()
            .expect("backend builds");
        assert_eq!(s.backend(), b);
        let out = stream_output(&s, &input, 1 << 20);
        assert!(
            out == reference,
            "backend {b}: differs from the pure-Rust backend first at line {}",
            first_diff_line(&out, &reference)
        );
        let lines = line_output(&s, &input);
        assert!(
            lines == reference,
            "backend {b}, line path: differs first at line {}",
            first_diff_line(&lines, &reference)
        );
    }
}

#[test]
fn a_backend_not_compiled_in_is_a_clear_error() {
    if Backend::compiled().contains(&Backend::Vectorscan) {
        return;
    }
    let err = Scrubber::builder()
        .backend(Backend::Vectorscan)
        .build()
        .expect_err("no Vectorscan in this build");
    assert!(err.to_string().contains("--features vectorscan"), "{err}");
}

#[test]
fn line_anchors_hold_in_blocks_with_crlf_on_every_backend() {
    let mut set = RuleSet::new();
    set.add_toml(
        "anchors.toml",
        r#"
[[rule]]
id = "trailing_code"
class = "code"
category = "secret"
pattern = '''code=(?P<secret>[0-9]{6})$'''
examples = ["login code=123456"]
negative_examples = ["login code=123456 later"]

[[rule]]
id = "leading_pin"
class = "pin"
category = "secret"
pattern = '''^PIN (?P<secret>[0-9]{4})\b'''
examples = ["PIN 1234 entered"]
negative_examples = ["no PIN 1234 here"]
"#,
    )
    .expect("rules parse");
    let input = b"a code=123456\r\nPIN 9876 ok\r\nx PIN 1111\nb code=654321 no\ncode=000111\n";
    let expected = b"a code=[REDACTED:code]\r\nPIN [REDACTED:pin] ok\r\nx PIN 1111\nb code=654321 no\ncode=[REDACTED:code]\n";
    for &b in Backend::compiled() {
        let s = Scrubber::builder()
            .rules(set.clone())
            .backend(b)
            .build()
            .expect("builds");
        assert_eq!(
            String::from_utf8_lossy(&stream_output(&s, input, 1 << 20)),
            String::from_utf8_lossy(expected),
            "backend {b}"
        );
    }
}
