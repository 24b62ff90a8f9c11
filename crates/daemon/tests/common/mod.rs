//! Test support: starts the real `logscrubd` binary on loopback with a temporary data directory, talks to it
//! with minimal blocking clients, and inspects what it persisted. Every wait is bounded.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair,
};

/// Planted raw values (from the rule examples) and the placeholder each becomes.
pub const CARD: &str = "4111 1111 1111 1111";
pub const DB_URL: &str = "postgres://app:s3cr3tPass@db.internal:5432/orders";
pub const DB_PASS: &str = "s3cr3tPass";
pub const AWS: &str = "AKIAQ7ZL3MXK2PV9RT4W";
/// Substrings that must never appear on disk.
pub const RAW: &[&str] = &[
    "4111 1111 1111 1111",
    "4111111111111111",
    "s3cr3tPass",
    "AKIAQ7ZL3MXK2PV9RT4W",
];

/// The engine's own scrub of one line with the default rules (what the daemon must persist for it).
pub fn engine_scrub(line: &str) -> String {
    static S: std::sync::OnceLock<logscrub_engine::Scrubber> = std::sync::OnceLock::new();
    let s = S.get_or_init(|| logscrub_engine::Scrubber::default_rules().expect("rules"));
    let mut sc = s.scratch();
    let mut out = Vec::new();
    s.scrub_line(line.as_bytes(), &mut out, &mut sc);
    String::from_utf8(out).expect("utf8")
}

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_logscrubd")
}

pub fn has_tool(name: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {name} >/dev/null 2>&1"))
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// A file sink in `data/out` (the configuration snippet most tests end with).
pub const FILE_SINK: &str = "[[sink]]\ntype = \"file\"\n";

/// A loopback port that was free a moment ago (bound and released); nothing listens there now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// Runs `logscrubd check-config` with `args` (e.g. `--offline`) on `config`.
pub fn check_config(config: impl AsRef<Path>, args: &[&str]) -> std::process::Output {
    Command::new(bin())
        .arg("check-config")
        .args(args)
        .arg("--config")
        .arg(config.as_ref())
        .output()
        .expect("run logscrubd check-config")
}

/// The sum of the values of every series of `name` (a prefix of the series line) in the daemon's `/metrics`.
pub fn metric(d: &Daemon, name: &str) -> u64 {
    let (_, _, m) = http(d.metrics_addr(), "GET", "/metrics", &[], b"");
    m.lines()
        .filter(|l| l.starts_with(name))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
        .sum()
}

pub struct Daemon {
    pub dir: tempfile::TempDir,
    pub child: Option<Child>,
    pub bound: serde_json::Value,
}

impl Daemon {
    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }
    pub fn config_path(&self) -> PathBuf {
        self.dir.path().join("logscrubd.toml")
    }

    /// Writes `config` (a `[daemon]` table with data_dir is prepended) and starts the daemon.
    pub fn start(config: &str) -> Daemon {
        let dir = tempfile::tempdir().expect("tempdir");
        let d = Daemon {
            dir,
            child: None,
            bound: serde_json::Value::Null,
        };
        d.write_config(config);
        let mut d = d;
        d.spawn(Stdio::null());
        d
    }

    pub fn write_config(&self, config: &str) {
        let full = format!(
            "[daemon]\ndata_dir = \"{}\"\nshutdown_timeout_secs = 20\n{}\n",
            self.data().display(),
            config
        );
        std::fs::write(self.config_path(), full).expect("write config");
    }

    /// Starts (or restarts) the process and waits for `bound.json` with its pid.
    pub fn spawn(&mut self, stdin: Stdio) {
        let _ = std::fs::remove_file(self.data().join("bound.json"));
        let child = Command::new(bin())
            .arg("--config")
            .arg(self.config_path())
            .stdin(stdin)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .env("LOGSCRUBD_LOG", "warn")
            .spawn()
            .expect("spawn logscrubd");
        let pid = child.id();
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(t) = std::fs::read_to_string(self.data().join("bound.json")) {
                if let Ok(v) = serde_json::from_str::<serde_json::Value>(&t) {
                    if v["pid"].as_u64() == Some(pid as u64) {
                        self.bound = v;
                        return;
                    }
                }
            }
            if let Some(st) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                let err = self.stderr();
                panic!("logscrubd exited early ({st}): {err}");
            }
            assert!(Instant::now() < deadline, "logscrubd did not start in 20 s");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn addr(&self, source: &str) -> SocketAddr {
        self.bound["sources"][source]
            .as_str()
            .unwrap_or_else(|| panic!("no bound address for {source}: {}", self.bound))
            .parse()
            .expect("address")
    }

    pub fn metrics_addr(&self) -> SocketAddr {
        self.bound["metrics"]
            .as_str()
            .expect("metrics bound")
            .parse()
            .expect("addr")
    }

    pub fn signal(&self, sig: i32) {
        if let Some(c) = &self.child {
            unsafe {
                libc::kill(c.id() as i32, sig);
            }
        }
    }

    /// SIGTERM and wait (bounded) for exit.
    pub fn stop(&mut self) -> ExitStatus {
        self.signal(libc::SIGTERM);
        self.wait(Duration::from_secs(30))
    }

    pub fn wait(&mut self, max: Duration) -> ExitStatus {
        let c = self.child.as_mut().expect("running");
        let deadline = Instant::now() + max;
        loop {
            if let Some(st) = c.try_wait().expect("try_wait") {
                return st;
            }
            if Instant::now() > deadline {
                let _ = c.kill();
                panic!("logscrubd did not exit in {max:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn kill9(&mut self) {
        if let Some(c) = self.child.as_mut() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    pub fn stderr(&mut self) -> String {
        let mut s = String::new();
        if let Some(c) = self.child.as_mut() {
            if let Some(mut e) = c.stderr.take() {
                let _ = e.read_to_string(&mut s);
            }
        }
        s
    }

    /// Everything in the file sink's segments (`data/out`), in segment order.
    pub fn output(&self) -> String {
        read_segments(&self.data().join("out"))
    }

    /// Waits (bounded) until the output holds `n` lines; returns it.
    pub fn wait_lines(&self, n: usize) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let o = self.output();
            if o.lines().count() >= n {
                return o;
            }
            assert!(Instant::now() < deadline, "expected {n} lines, have:\n{o}");
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if let Some(c) = self.child.as_mut() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

pub fn read_segments(dir: &Path) -> String {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "log"))
            .collect(),
        Err(_) => return String::new(),
    };
    files.sort();
    let mut s = String::new();
    for f in files {
        s.push_str(&String::from_utf8_lossy(
            &std::fs::read(f).unwrap_or_default(),
        ));
    }
    s
}

/// Every file under `dir`, recursively, with its text (lossy UTF-8): what the raw-on-disk checks read.
pub fn files_under(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let text =
                    String::from_utf8_lossy(&std::fs::read(&p).unwrap_or_default()).into_owned();
                files.push((p, text));
            }
        }
    }
    files
}

/// Every file under `dir`, recursively, must be free of every planted raw value.
pub fn assert_no_raw_on_disk(dir: &Path) {
    let files = files_under(dir);
    for (p, text) in &files {
        for raw in RAW {
            assert!(
                !text.contains(raw),
                "raw value {raw:?} found in {}",
                p.display()
            );
        }
    }
    assert!(!files.is_empty(), "no files under {}", dir.display());
}

/// A small xorshift generator, for the random moments of the crash and fault tests (seeded from the clock and
/// printed, to reproduce a run) and the fixed mutations of the fuzz corpus test (seeded by a constant).
pub struct XorShift(pub u64);

impl XorShift {
    /// Seeded from the clock; `.0` is the seed to print.
    pub fn from_clock() -> XorShift {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64);
        XorShift(nanos | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Status, headers (lowercased names), body.
pub type Response = (u16, Vec<(String, String)>, String);

/// A blocking HTTP/1.1 request (Connection: close). Returns status, headers (lowercased names) and body.
pub fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Response {
    try_http(addr, method, path, headers, body).expect("http request")
}

/// Like [`http`], returning I/O errors (connection refused while the daemon restarts, resets when it is killed).
pub fn try_http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<Response> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes())?;
    s.write_all(body)?;
    let mut resp = Vec::new();
    s.read_to_end(&mut resp)?;
    Ok(parse_response(&resp))
}

pub fn parse_response(resp: &[u8]) -> Response {
    let text = String::from_utf8_lossy(resp).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    (status, headers, body.to_string())
}

pub fn chmod600(p: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o600)).expect("chmod 600");
}

/// Test certificates made with rcgen: a CA, a server certificate for localhost/127.0.0.1, a client certificate.
fn dn(cn: &str) -> DistinguishedName {
    let mut d = DistinguishedName::new();
    d.push(DnType::CommonName, cn);
    d
}

pub struct Pki {
    pub dir: tempfile::TempDir,
}

impl Pki {
    pub fn new() -> Pki {
        let dir = tempfile::tempdir().unwrap();
        let ca_key = KeyPair::generate().unwrap();
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params.distinguished_name = dn("logscrub test CA");
        let ca = ca_params.self_signed(&ca_key).unwrap();
        let srv_key = KeyPair::generate().unwrap();
        let mut sp =
            CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).unwrap();
        sp.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        sp.distinguished_name = dn("localhost");
        let srv = sp.signed_by(&srv_key, &ca, &ca_key).unwrap();
        let cli_key = KeyPair::generate().unwrap();
        let mut cp = CertificateParams::new(vec!["client.test".to_string()]).unwrap();
        cp.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        cp.distinguished_name = dn("client.test");
        let cli = cp.signed_by(&cli_key, &ca, &ca_key).unwrap();
        let w = |n: &str, s: String| std::fs::write(dir.path().join(n), s).unwrap();
        w("ca.pem", ca.pem());
        w("server.pem", srv.pem());
        w("server.key", srv_key.serialize_pem());
        w("client.pem", cli.pem());
        w("client.key", cli_key.serialize_pem());
        // Private keys are owner-only, as the daemon requires.
        for k in ["server.key", "client.key"] {
            chmod600(&dir.path().join(k));
        }
        Pki { dir }
    }
    pub fn p(&self, n: &str) -> PathBuf {
        self.dir.path().join(n)
    }
    pub fn tls_table(&self, mtls: bool) -> String {
        let mut s = format!(
            "tls = {{ cert = \"{}\", key = \"{}\"",
            self.p("server.pem").display(),
            self.p("server.key").display()
        );
        if mtls {
            s.push_str(&format!(", client_ca = \"{}\"", self.p("ca.pem").display()));
        }
        s.push_str(" }\n");
        s
    }
}
