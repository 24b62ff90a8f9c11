//! `check-config`'s look at the machine: whether what a valid configuration names can be used here — data
//! directories writable (or creatable), listen addresses free to bind, key, token and certificate files readable
//! (secrets owner-only), forward and Kafka targets reachable (a TCP connect with a short timeout; skipped with
//! `--offline`). Every problem is collected, each naming the configuration field and what to do.
//!
//! The checks of one source or sink live with that component (`check_environment` on its configuration type);
//! this module holds the shared probes and the process-wide sections. It creates nothing, binds listeners only
//! for the moment of the check, sends no data to a target (a connect, then close), and never prints the content
//! of a file or a URL's credentials: only paths, addresses and host names.

use std::ffi::CString;
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::time::Duration;

use crate::config::{Config, ConfigError, TlsConfig};

/// One problem found: the configuration field it concerns and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The dotted field, e.g. `source[1].listen`, `sink[0].url`, `daemon.data_dir`.
    pub field: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// How long a reachability check waits for a TCP connection.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

/// The collector the components report into, with the probes they use.
pub struct Checks {
    problems: Vec<Problem>,
    offline: bool,
    /// Listeners bound by this check, held until it ends, so that two sections on one address are found.
    held: Vec<Held>,
    /// Addresses the running daemon of this data directory has bound (`bound.json`, its pid alive): in use by
    /// it, which is not a problem.
    running: Vec<SocketAddr>,
    /// Directories already reported: one under them (the findings log under `data_dir`) is not reported again.
    bad_dirs: Vec<std::path::PathBuf>,
}

#[allow(dead_code)]
enum Held {
    Tcp(std::net::TcpListener),
    Udp(std::net::UdpSocket),
}

impl Checks {
    /// A collector; `offline` skips the network checks.
    pub fn new(offline: bool) -> Self {
        Checks {
            problems: Vec::new(),
            offline,
            held: Vec::new(),
            running: Vec::new(),
            bad_dirs: Vec::new(),
        }
    }

    /// Records a problem.
    pub fn problem(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            field: field.into(),
            message: message.into(),
        });
    }

    /// The problems found so far.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// `dir` is a directory this user can write, or can be created (its nearest existing ancestor is a writable
    /// directory).
    pub fn writable_dir(&mut self, field: &str, dir: &Path) {
        if self.bad_dirs.iter().any(|b| dir.starts_with(b)) {
            return;
        }
        let before = self.problems.len();
        self.writable_dir_inner(field, dir);
        if self.problems.len() > before {
            self.bad_dirs.push(dir.to_path_buf());
        }
    }

    fn writable_dir_inner(&mut self, field: &str, dir: &Path) {
        let uid = current_uid();
        match std::fs::metadata(dir) {
            Ok(m) if !m.is_dir() => self.problem(
                field,
                format!(
                    "{} exists and is not a directory; remove it or choose another path",
                    dir.display()
                ),
            ),
            Ok(_) => {
                if !access(dir, libc::W_OK | libc::X_OK) {
                    self.problem(
                        field,
                        format!(
                            "{} is not writable by this user (uid {uid}); `chown` it to the user logscrubd runs \
                             as, or choose another directory",
                            dir.display()
                        ),
                    );
                }
            }
            Err(_) => {
                let mut anc = dir.parent();
                while let Some(a) = anc {
                    if std::fs::symlink_metadata(a).is_ok() {
                        break;
                    }
                    anc = a.parent();
                }
                let Some(a) = anc.filter(|a| !a.as_os_str().is_empty()) else {
                    return;
                };
                if !a.is_dir() {
                    self.problem(
                        field,
                        format!(
                            "{} cannot be created: {} is not a directory; choose another path",
                            dir.display(),
                            a.display()
                        ),
                    );
                } else if !access(a, libc::W_OK | libc::X_OK) {
                    self.problem(
                        field,
                        format!(
                            "{} does not exist and cannot be created: {} is not writable by this user (uid \
                             {uid}); create it for the user logscrubd runs as (`install -d -m 700 -o USER {}`)",
                            dir.display(),
                            a.display(),
                            dir.display()
                        ),
                    );
                }
            }
        }
    }

    /// The parent directory of a file the daemon creates (findings log, socket) is writable or creatable.
    pub fn writable_parent(&mut self, field: &str, file: &Path) {
        if let Some(p) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
            self.writable_dir(field, p);
        }
    }

    /// `p` can be opened for reading.
    pub fn readable_file(&mut self, field: &str, p: &Path) {
        match std::fs::File::open(p) {
            Ok(f) => {
                if f.metadata().is_ok_and(|m| m.is_dir()) {
                    self.problem(
                        field,
                        format!("{} is a directory; name the file", p.display()),
                    );
                }
            }
            Err(e) => self.problem(
                field,
                format!(
                    "cannot read {}: {e}; check the path and that the user logscrubd runs as may read it",
                    p.display()
                ),
            ),
        }
    }

    /// `p` holds a secret: readable, and neither group nor others may access it.
    pub fn secret_file(&mut self, field: &str, p: &Path) {
        if std::fs::metadata(p).is_err() {
            self.readable_file(field, p);
            return;
        }
        if let Err(m) = crate::util::check_private(p) {
            self.problem(field, m);
        }
        self.readable_file(field, p);
    }

    /// The files of a listener's TLS section.
    pub fn tls(&mut self, field: &str, t: Option<&TlsConfig>) {
        let Some(t) = t else { return };
        self.readable_file(&format!("{field}.cert"), &t.cert);
        self.secret_file(&format!("{field}.key"), &t.key);
        if let Some(ca) = &t.client_ca {
            self.readable_file(&format!("{field}.client_ca"), ca);
        }
    }

    /// A TCP listener can be bound at `addr` now (held until the check ends).
    pub fn tcp_listen(&mut self, field: &str, addr: SocketAddr) {
        if addr.port() == 0 {
            return;
        }
        match std::net::TcpListener::bind(addr) {
            Ok(l) => self.held.push(Held::Tcp(l)),
            Err(e) => self.bind_problem(field, addr, "TCP", e),
        }
    }

    /// A UDP socket can be bound at `addr` now (held until the check ends).
    pub fn udp_listen(&mut self, field: &str, addr: SocketAddr) {
        if addr.port() == 0 {
            return;
        }
        match std::net::UdpSocket::bind(addr) {
            Ok(s) => self.held.push(Held::Udp(s)),
            Err(e) => self.bind_problem(field, addr, "UDP", e),
        }
    }

    fn bind_problem(&mut self, field: &str, addr: SocketAddr, proto: &str, e: std::io::Error) {
        use std::io::ErrorKind as K;
        let running = self.running.contains(&addr);
        let msg = match e.kind() {
            K::AddrInUse if running => return,
            K::AddrInUse => format!(
                "{proto} {addr} is already in use (by another process, or by another section of this file); \
                 stop that listener or choose another port"
            ),
            K::PermissionDenied => format!(
                "binding {proto} {addr} is not permitted: a port below 1024 needs CAP_NET_BIND_SERVICE (systemd \
                 `AmbientCapabilities=CAP_NET_BIND_SERVICE`); or use a port above 1023"
            ),
            K::AddrNotAvailable => format!(
                "no interface of this host has the address {}; use one it has (127.0.0.1 for loopback, \
                 0.0.0.0 for all)",
                addr.ip()
            ),
            _ => format!("cannot listen on {proto} {addr}: {e}"),
        };
        self.problem(field, msg);
    }

    /// A TCP connection to `host:port` opens within [`CONNECT_TIMEOUT`] (closed at once; nothing is sent).
    /// Skipped offline.
    pub fn reachable(&mut self, field: &str, host: &str, port: u16, what: &str) {
        if self.offline {
            return;
        }
        let addrs: Vec<SocketAddr> = match (host, port).to_socket_addrs() {
            Ok(a) => a.collect(),
            Err(e) => {
                self.problem(
                    field,
                    format!(
                        "cannot resolve {host}: {e}; check the name and DNS from this host (`--offline` skips \
                         network checks)"
                    ),
                );
                return;
            }
        };
        let mut last = None;
        for a in &addrs {
            match TcpStream::connect_timeout(a, CONNECT_TIMEOUT) {
                Ok(_) => return,
                Err(e) => last = Some(e),
            }
        }
        let why = last.map_or_else(|| "no address".to_string(), |e| e.to_string());
        self.problem(
            field,
            format!(
                "cannot connect to {what} {host}:{port} ({why}, {} s timeout); start it or check the address \
                 and firewalls: until it answers, the sources routed to this sink are held back (`--offline` \
                 skips network checks)",
                CONNECT_TIMEOUT.as_secs()
            ),
        );
    }
}

fn access(p: &Path, mode: libc::c_int) -> bool {
    let Ok(c) = CString::new(p.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: `c` is a valid NUL-terminated path for the duration of the call.
    unsafe { libc::access(c.as_ptr(), mode) == 0 }
}

fn current_uid() -> u32 {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() }
}

/// The addresses in `data_dir/bound.json` when the daemon that wrote it still runs.
fn running_daemon(data_dir: &Path) -> Vec<SocketAddr> {
    let Ok(t) = std::fs::read_to_string(data_dir.join("bound.json")) else {
        return Vec::new();
    };
    let Ok(v) = serde_json::from_str::<serde_json::Value>(&t) else {
        return Vec::new();
    };
    let alive = v["pid"]
        .as_u64()
        .and_then(|p| i32::try_from(p).ok())
        // SAFETY: signal 0 only checks that the process exists.
        .is_some_and(|p| p > 0 && unsafe { libc::kill(p, 0) } == 0);
    if !alive {
        return Vec::new();
    }
    let mut out: Vec<SocketAddr> = v["sources"]
        .as_object()
        .into_iter()
        .flat_map(|m| m.values())
        .filter_map(|a| a.as_str()?.parse().ok())
        .collect();
    out.extend(
        v["metrics"]
            .as_str()
            .and_then(|a| a.parse::<SocketAddr>().ok()),
    );
    out
}

/// Every environment problem of a valid configuration (see the module documentation).
pub fn check(cfg: &Config, offline: bool) -> Vec<Problem> {
    let mut c = Checks::new(offline);
    c.running = running_daemon(&cfg.daemon.data_dir);
    c.writable_dir("daemon.data_dir", &cfg.daemon.data_dir);
    if cfg.findings.enabled {
        c.writable_parent("findings.path", &cfg.data_path(&cfg.findings.path));
        if let Some(k) = &cfg.findings.hash_key_file {
            c.secret_file("findings.hash_key_file", k);
        }
    }
    c.writable_parent(
        "findings.reload_log",
        &cfg.data_path(&cfg.findings.reload_log),
    );
    if let Some(k) = cfg
        .scrub
        .policy
        .as_ref()
        .and_then(|p| p.pseudonym.key_file.as_ref())
    {
        c.secret_file("scrub.policy.pseudonym.key_file", Path::new(k));
    }
    if let Some(a) = cfg.metrics.listen {
        c.tcp_listen("metrics.listen", a);
    }
    c.tls("metrics.tls", cfg.metrics.tls.as_ref());
    for (i, s) in cfg.sources.iter().enumerate() {
        s.check_environment(&format!("source[{i}]"), cfg, &mut c);
    }
    for (i, s) in cfg.sinks.iter().enumerate() {
        s.check_environment(&format!("sink[{i}]"), cfg, &mut c);
    }
    c.problems
}

/// What `logscrubd check-config` found in one file.
#[derive(Debug, Default)]
pub struct Report {
    /// Sources and sinks configured (0 when the file did not parse).
    pub sources: usize,
    /// See `sources`.
    pub sinks: usize,
    /// Rules compiled (None when the rules or the policy did not compile).
    pub rules: Option<usize>,
    /// Every problem, one line each, naming the field and what to do; empty when all is well.
    pub problems: Vec<String>,
}

/// Loads `path` and reports every problem: the configuration's own (every invalid value, the rules and the
/// policy), then every problem of the environment ([`check`]; network checks skipped when `offline`).
pub fn check_config(path: &Path, offline: bool) -> Report {
    let cfg = match Config::load(path) {
        Ok(c) => c,
        Err(e) => {
            return Report {
                problems: vec![e.to_string()],
                ..Report::default()
            }
        }
    };
    let mut r = Report {
        sources: cfg.sources.len(),
        sinks: cfg.sinks.len(),
        ..Report::default()
    };
    let env = check(&cfg, offline);
    // The configuration's own problems first; one that an environment problem already names (a missing or open
    // key file is both) is said once, by the environment check, which has the more precise field.
    let named = |field: &str| {
        env.iter().any(|p| {
            p.field == field || (field.contains('.') && p.field.starts_with(&format!("{field}.")))
        })
    };
    for e in cfg.problems() {
        match e {
            ConfigError::Invalid { ref field, .. } if named(field) => {}
            e => r.problems.push(e.to_string()),
        }
    }
    match crate::scrub::build_scrubber(&cfg) {
        Ok(s) => r.rules = Some(s.rules().len()),
        Err(e) => r.problems.push(e.to_string()),
    }
    r.problems.extend(env.iter().map(|p| p.to_string()));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_under_a_file_cannot_be_created() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("file");
        std::fs::write(&f, "x").unwrap();
        let mut c = Checks::new(true);
        c.writable_dir("daemon.data_dir", &f.join("data"));
        c.writable_dir("sink[0].dir", &f);
        c.writable_dir("ok", &d.path().join("new/deeper"));
        let p = c.problems();
        assert_eq!(p.len(), 2, "{p:?}");
        assert_eq!(p[0].field, "daemon.data_dir");
        assert!(p[0].message.contains("is not a directory"), "{}", p[0]);
        assert!(
            p[1].message.contains("exists and is not a directory"),
            "{}",
            p[1]
        );
    }

    #[test]
    fn an_address_is_reported_once_it_is_taken_even_by_this_file() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let taken = l.local_addr().unwrap();
        let free = {
            let t = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            t.local_addr().unwrap()
        };
        let mut c = Checks::new(true);
        c.tcp_listen("source[0].listen", taken);
        c.tcp_listen("source[1].listen", free);
        c.tcp_listen("source[2].listen", free);
        let p = c.problems();
        assert_eq!(p.len(), 2, "{p:?}");
        assert_eq!(p[0].field, "source[0].listen");
        assert!(p[0].message.contains("already in use"), "{}", p[0]);
        assert_eq!(p[1].field, "source[2].listen");
        // The running daemon's own addresses are not a problem.
        let mut c = Checks::new(true);
        c.running = vec![taken];
        c.tcp_listen("source[0].listen", taken);
        assert!(c.problems().is_empty());
    }

    #[test]
    fn an_unreachable_target_is_reported_unless_offline() {
        let port = {
            let t = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            t.local_addr().unwrap().port()
        };
        let mut c = Checks::new(false);
        c.reachable("sink[1].url", "127.0.0.1", port, "the HTTP receiver");
        assert_eq!(c.problems().len(), 1);
        assert!(c.problems()[0].message.contains("cannot connect"));
        let mut c = Checks::new(true);
        c.reachable("sink[1].url", "127.0.0.1", port, "the HTTP receiver");
        assert!(c.problems().is_empty());
        let up = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let mut c = Checks::new(false);
        let port = up.local_addr().unwrap().port();
        c.reachable("sink[1].url", "127.0.0.1", port, "the HTTP receiver");
        assert!(c.problems().is_empty(), "{:?}", c.problems());
    }
}
