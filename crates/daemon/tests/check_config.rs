//! `logscrubd check-config` checks the environment as well as the file: data directories writable or creatable,
//! listen addresses free, TLS keys and tokens readable and owner-only, forward targets reachable (loopback only
//! here), every problem reported at once with its field, `--offline` skipping the network.

mod common;

use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::*;

/// Runs `check-config` on `text` written to `dir/c.toml`; exit code and the problem lines of stderr.
fn check(dir: &Path, text: &str, args: &[&str]) -> (Option<i32>, Vec<String>, String) {
    let p = dir.join("c.toml");
    std::fs::write(&p, text).unwrap();
    let out = check_config(&p, args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    let prefix = format!("logscrubd: {}: ", p.display());
    let lines = err
        .lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .filter(|l| !l.ends_with("found"))
        .map(str::to_string)
        .collect();
    (
        out.status.code(),
        lines,
        err + &String::from_utf8_lossy(&out.stdout),
    )
}

fn has(lines: &[String], field: &str, text: &str) -> bool {
    lines
        .iter()
        .any(|l| l.starts_with(&format!("{field}: ")) && l.contains(text))
}

#[test]
fn every_environment_problem_is_reported_with_its_field() {
    let dir = tempfile::tempdir().unwrap();
    let pki = Pki::new();
    std::fs::set_permissions(pki.p("server.key"), std::fs::Permissions::from_mode(0o644)).unwrap();
    let not_a_dir = dir.path().join("plain-file");
    std::fs::write(&not_a_dir, "x").unwrap();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let taken_addr = taken.local_addr().unwrap();
    // Three distinct ports, free once released (held together so that none is handed out twice).
    let [twice, http_down, syslog_down] = {
        let ls: Vec<TcpListener> = (0..3)
            .map(|_| TcpListener::bind("127.0.0.1:0").unwrap())
            .collect();
        [0, 1, 2].map(|i| ls[i].local_addr().unwrap().port())
    };
    let text = format!(
        "[daemon]\ndata_dir = \"{data}\"\n\
         [[source]]\ntype = \"http\"\nname = \"a\"\nlisten = \"{taken_addr}\"\n\
         [[source]]\ntype = \"tcp\"\nname = \"b\"\nlisten = \"127.0.0.1:{twice}\"\n\
         [[source]]\ntype = \"syslog\"\nname = \"c\"\nprotocol = \"tcp\"\nlisten = \"127.0.0.1:{twice}\"\n\
         [[source]]\ntype = \"tcp\"\nname = \"d\"\nlisten = \"127.0.0.1:0\"\n{tls}\
         [[sink]]\ntype = \"file\"\ndir = \"{sinkdir}\"\n\
         [[sink]]\ntype = \"http\"\nurl = \"http://user:pw-not-shown@127.0.0.1:{http_down}/ingest\"\n\
         [[sink]]\ntype = \"syslog\"\naddress = \"127.0.0.1:{syslog_down}\"\n",
        data = dir.path().join("data").display(),
        tls = pki.tls_table(false),
        sinkdir = not_a_dir.join("out").display(),
    );
    let (code, lines, all) = check(dir.path(), &text, &[]);
    assert_eq!(code, Some(2), "{all}");
    assert!(has(&lines, "source[0].listen", "already in use"), "{all}");
    assert!(
        has(&lines, "source[2].listen", "already in use"),
        "the second section on one address: {all}"
    );
    assert!(!has(&lines, "source[1].listen", ""), "{all}");
    assert!(
        has(
            &lines,
            "source[3].tls.key",
            &format!("chmod 600 {}", pki.p("server.key").display())
        ),
        "{all}"
    );
    assert!(has(&lines, "sink[0].dir", "is not a directory"), "{all}");
    assert!(has(&lines, "sink[1].url", "cannot connect"), "{all}");
    assert!(has(&lines, "sink[2].address", "cannot connect"), "{all}");
    assert_eq!(lines.len(), 6, "each problem once, nothing else: {all}");
    assert!(all.contains("6 problems found"), "{all}");
    assert!(!all.contains("pw-not-shown"), "{all}");

    // Offline: the same but the two forwards.
    let (code, lines, all) = check(dir.path(), &text, &["--offline"]);
    assert_eq!(code, Some(2), "{all}");
    assert_eq!(lines.len(), 4, "{all}");
    assert!(!has(&lines, "sink[1].url", ""), "{all}");
    assert!(!has(&lines, "sink[2].address", ""), "{all}");
    drop(taken);
}

#[test]
fn data_paths_must_be_writable_or_creatable() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("f");
    std::fs::write(&file, "x").unwrap();
    let text = format!(
        "[daemon]\ndata_dir = \"{}\"\n[[source]]\ntype = \"stdin\"\n[[sink]]\ntype = \"stdout\"\n",
        file.join("data").display()
    );
    let (code, lines, all) = check(dir.path(), &text, &["--offline"]);
    assert_eq!(code, Some(2), "{all}");
    assert!(has(&lines, "daemon.data_dir", "cannot be created"), "{all}");
    // A directory this user cannot write (meaningless for root, who may write anywhere).
    if unsafe { libc::geteuid() } != 0 {
        let ro = dir.path().join("ro");
        std::fs::create_dir(&ro).unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o500)).unwrap();
        let text = format!(
            "[daemon]\ndata_dir = \"{}\"\n[[source]]\ntype = \"stdin\"\n[[sink]]\ntype = \"stdout\"\n",
            ro.join("data").display()
        );
        let (code, lines, all) = check(dir.path(), &text, &["--offline"]);
        assert_eq!(code, Some(2), "{all}");
        assert!(has(&lines, "daemon.data_dir", "install -d -m 700"), "{all}");
        let text = format!(
            "[daemon]\ndata_dir = \"{}\"\n[[source]]\ntype = \"stdin\"\n[[sink]]\ntype = \"stdout\"\n",
            ro.display()
        );
        let (_, lines, all) = check(dir.path(), &text, &["--offline"]);
        assert!(has(&lines, "daemon.data_dir", "not writable"), "{all}");
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
}

#[test]
fn token_and_key_files_must_be_readable_and_owner_only() {
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "tok-0123456789abcdef-secret\n").unwrap();
    std::fs::set_permissions(&token, std::fs::Permissions::from_mode(0o640)).unwrap();
    let text = format!(
        "[daemon]\ndata_dir = \"{}\"\n\
         [[source]]\ntype = \"http\"\nlisten = \"127.0.0.1:0\"\ntoken_file = \"{}\"\n\
         [[source]]\ntype = \"tcp\"\nlisten = \"127.0.0.1:0\"\n\
         tls = {{ cert = \"{}\", key = \"{}\" }}\n\
         [[sink]]\ntype = \"stdout\"\n",
        dir.path().join("data").display(),
        token.display(),
        dir.path().join("missing-cert.pem").display(),
        dir.path().join("missing.key").display(),
    );
    let (code, lines, all) = check(dir.path(), &text, &["--offline"]);
    assert_eq!(code, Some(2), "{all}");
    assert!(
        has(
            &lines,
            "source[0].token_file",
            &format!("chmod 600 {}", token.display())
        ),
        "{all}"
    );
    assert!(has(&lines, "source[1].tls.cert", "cannot read"), "{all}");
    assert!(has(&lines, "source[1].tls.key", "cannot read"), "{all}");
    assert!(!all.contains("tok-0123456789abcdef"), "{all}");
}

#[test]
fn a_good_environment_passes_with_reachable_targets() {
    let dir = tempfile::tempdir().unwrap();
    let receiver = TcpListener::bind("127.0.0.1:0").unwrap();
    let [metrics, source] = {
        let ls: Vec<TcpListener> = (0..2)
            .map(|_| TcpListener::bind("127.0.0.1:0").unwrap())
            .collect();
        [0, 1].map(|i| ls[i].local_addr().unwrap().port())
    };
    let text = format!(
        "[daemon]\ndata_dir = \"{}\"\n[metrics]\nlisten = \"127.0.0.1:{}\"\n\
         [[source]]\ntype = \"http\"\nlisten = \"127.0.0.1:{}\"\n\
         [[sink]]\ntype = \"file\"\n\
         [[sink]]\ntype = \"http\"\nurl = \"http://127.0.0.1:{}/ingest\"\n",
        dir.path().join("new/data").display(),
        metrics,
        source,
        receiver.local_addr().unwrap().port()
    );
    let (code, _, all) = check(dir.path(), &text, &[]);
    assert_eq!(code, Some(0), "{all}");
    assert!(all.contains(": ok (1 sources, 2 sinks"), "{all}");
    assert!(
        !dir.path().join("new").exists(),
        "check-config created a directory"
    );
}

/// Before a SIGHUP, check-config runs beside the daemon: the addresses the running daemon holds (its
/// `bound.json`, pid alive) are not reported as taken.
#[test]
fn the_running_daemons_own_addresses_are_not_a_problem() {
    let port = free_port();
    let d = Daemon::start(&format!(
        "[[source]]\ntype = \"http\"\nname = \"in\"\nlisten = \"127.0.0.1:{port}\"\n[[sink]]\ntype = \"file\"\n"
    ));
    let out = check_config(d.config_path(), &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Configuration problems are all reported too, not only the first, in file order.
#[test]
fn every_invalid_value_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "[daemon]\ndata_dir = \"{}\"\nqueue_capacity = 0\nmax_group_batches = 0\n\
         [[source]]\ntype = \"tcp\"\nname = \"x\"\nlisten = \"127.0.0.1:0\"\n\
         [[source]]\ntype = \"tail\"\nname = \"x\"\npath = \"/tmp/a.log\"\n\
         [[sink]]\ntype = \"http\"\nurl = \"ftp://x\"\n\
         [[sink]]\ntype = \"file\"\nencrypt_to = [\"age1notakey\"]\ninputs = [\"nope\"]\n",
        dir.path().join("data").display()
    );
    let (code, lines, all) = check(dir.path(), &text, &["--offline"]);
    assert_eq!(code, Some(2), "{all}");
    let fields: Vec<&str> = lines
        .iter()
        .map(|l| l.split_once(": ").map_or("", |(f, _)| f))
        .collect();
    assert_eq!(
        fields,
        [
            "daemon.queue_capacity",
            "daemon.max_group_batches",
            "source[1].name",
            "sink[0].url",
            "sink[1].inputs[0]"
        ],
        "{all}"
    );
}
