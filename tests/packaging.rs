//! What ships around the binaries: the hardened systemd unit (checked by `systemd-analyze verify` where it is
//! installed; CI installs it), the Grafana dashboard (every metric it queries is one logscrubd exports), the
//! Debian package metadata and the Dockerfile (every file they name exists), and the LICENSE. Both Dockerfiles (from
//! source, and from the packages as CI builds it) put the binaries, configuration and state where the packages
//! and the unit do, and the service's unprivileged user can read the packaged configuration. `.ci/package.sh`
//! builds the packages themselves in CI and checks what they install.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(p: &str) -> String {
    std::fs::read_to_string(root().join(p)).unwrap_or_else(|e| panic!("{p}: {e}"))
}

fn tool(name: &str) -> bool {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {name}"))
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "{name} is missing in CI (.ci/run installs it)"
        );
        eprintln!("skipping: {name} is not installed");
    }
    found
}

#[test]
fn systemd_unit_is_hardened_and_verifies() {
    let unit = read("crates/daemon/dist/logscrubd.service");
    for directive in [
        "DynamicUser=yes",
        "StateDirectory=logscrubd",
        "ProtectSystem=strict",
        "NoNewPrivileges=yes",
        "ProtectHome=yes",
        "PrivateTmp=yes",
        "CapabilityBoundingSet=\n",
        "SystemCallFilter=@system-service",
        "RestrictAddressFamilies=",
        "MemoryDenyWriteExecute=yes",
        "ExecReload=/bin/kill -HUP $MAINPID",
    ] {
        assert!(unit.contains(directive), "the unit lacks {directive:?}");
    }
    // The default data_dir is the StateDirectory, so the daemon can write nowhere else.
    assert!(read("crates/daemon/src/config.rs").contains("\"/var/lib/logscrubd\""));
    if !tool("systemd-analyze") {
        return;
    }
    // verify checks that ExecStart's binary exists: point it at one that does (the unit's path is for packages).
    let dir = std::env::temp_dir().join(format!("logscrub-unit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("logscrubd.service");
    std::fs::write(&path, unit.replace("/usr/bin/logscrubd", "/bin/true")).unwrap();
    let out = Command::new("systemd-analyze")
        .arg("verify")
        .arg(&path)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && !err.contains("logscrubd.service:"),
        "systemd-analyze verify: {err}"
    );
    // A broken unit is caught (the check can fail).
    std::fs::write(
        &path,
        unit.replace("/usr/bin/logscrubd", "/bin/true")
            .replace("[Service]", "[Servce]"),
    )
    .unwrap();
    let bad = Command::new("systemd-analyze")
        .arg("verify")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        !bad.status.success() || String::from_utf8_lossy(&bad.stderr).contains("Unknown section")
    );
}

#[test]
fn grafana_dashboard_queries_only_metrics_the_daemon_exports() {
    let dash: serde_json::Value =
        serde_json::from_str(&read("crates/daemon/dist/grafana-dashboard.json")).unwrap();
    let metrics_src = read("crates/daemon/src/metrics.rs");
    let panels = dash["panels"].as_array().unwrap();
    assert!(panels.len() >= 6);
    let mut seen = 0;
    for p in panels {
        for t in p["targets"].as_array().unwrap() {
            let expr = t["expr"].as_str().unwrap();
            let mut rest = expr;
            while let Some(i) = rest.find("logscrubd_") {
                let name: String = rest[i..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                assert!(
                    metrics_src.contains(&name),
                    "panel {:?} queries {name}, which logscrubd does not export",
                    p["title"]
                );
                seen += 1;
                rest = &rest[i + name.len()..];
            }
        }
    }
    assert!(seen >= 10);
}

/// The `assets` of a `[package.metadata.deb]` table: (source, destination).
fn deb_assets(manifest: &str) -> Vec<(String, String)> {
    let v: toml::Value = toml::from_str(&read(manifest)).unwrap();
    v["package"]["metadata"]["deb"]["assets"]
        .as_array()
        .unwrap_or_else(|| panic!("{manifest}: no [package.metadata.deb] assets"))
        .iter()
        .map(|a| {
            (
                a[0].as_str().unwrap().to_string(),
                a[1].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn debian_package_metadata_names_existing_files() {
    for (manifest, crate_dir, binary) in [
        ("crates/cli/Cargo.toml", "crates/cli", "logscrub"),
        ("crates/daemon/Cargo.toml", "crates/daemon", "logscrubd"),
    ] {
        let assets = deb_assets(manifest);
        assert!(assets
            .iter()
            .any(|(s, _)| s == &format!("target/release/{binary}")));
        for (src, _) in &assets {
            if src.starts_with("target/") {
                continue;
            }
            if let Some(dir) = src.strip_suffix("/*.1") {
                let d = root().join(crate_dir).join(dir);
                assert!(
                    std::fs::read_dir(&d).unwrap().count() > 0,
                    "{manifest}: {src}"
                );
            } else {
                assert!(
                    root().join(crate_dir).join(src).is_file(),
                    "{manifest}: asset {src} does not exist"
                );
            }
        }
    }
}

#[test]
fn dockerfile_copies_what_exists_and_license_is_apache() {
    let docker = read("crates/daemon/dist/Dockerfile");
    assert!(docker.contains("cargo build --release --locked"));
    for line in docker
        .lines()
        .filter(|l| l.starts_with("COPY --from=build /src/"))
    {
        let src = line
            .split_whitespace()
            .nth(2)
            .unwrap()
            .trim_start_matches("/src/");
        if !src.starts_with("target/") {
            assert!(
                root().join(src).exists(),
                "Dockerfile copies {src}, which does not exist"
            );
        }
    }
    let license = read("LICENSE");
    assert!(license.contains("Apache License") && license.contains("Version 2.0, January 2004"));
    assert!(read("Cargo.toml").contains("license = \"Apache-2.0\""));
}

/// The `[package.metadata.deb]` assets with their modes: (source, destination, mode).
fn deb_assets_with_mode(manifest: &str) -> Vec<(String, String, u32)> {
    let v: toml::Value = toml::from_str(&read(manifest)).unwrap();
    v["package"]["metadata"]["deb"]["assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let mode = a[2].as_str().unwrap();
            (
                a[0].as_str().unwrap().to_string(),
                a[1].as_str().unwrap().to_string(),
                u32::from_str_radix(mode, 8).unwrap_or_else(|_| panic!("{manifest}: mode {mode}")),
            )
        })
        .collect()
}

/// Where the daemon package installs `source` (a path under `/`).
fn daemon_installs(source: &str) -> String {
    let (_, dest, _) = deb_assets_with_mode("crates/daemon/Cargo.toml")
        .into_iter()
        .find(|(s, _, _)| s == source)
        .unwrap_or_else(|| panic!("crates/daemon/Cargo.toml: no deb asset {source}"));
    let file = Path::new(source).file_name().unwrap().to_str().unwrap();
    let dest = if dest.ends_with('/') {
        format!("{dest}{file}")
    } else {
        dest
    };
    format!("/{dest}")
}

/// The JSON array of a Dockerfile instruction (`ENTRYPOINT ["a", "b"]`).
fn exec_form(dockerfile: &str, name: &str, instruction: &str) -> Vec<String> {
    let line = dockerfile
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{instruction} ")))
        .unwrap_or_else(|| panic!("{name} has no {instruction}"));
    serde_json::from_str(line)
        .unwrap_or_else(|e| panic!("{name}: {instruction} is not an exec-form array: {e}"))
}

#[test]
fn dockerfiles_match_the_package_layout() {
    let binary = daemon_installs("target/release/logscrubd");
    let config = daemon_installs("logscrubd.example.toml");
    assert_eq!(binary, "/usr/bin/logscrubd");
    let unit = read("crates/daemon/dist/logscrubd.service");
    assert!(
        unit.contains(&format!("ExecStart={binary} --config {config}")),
        "the unit runs {binary} --config {config}"
    );
    let example = read("crates/daemon/logscrubd.example.toml");
    for name in ["Dockerfile", "Dockerfile.deb"] {
        let docker = read(&format!("crates/daemon/dist/{name}"));
        assert_eq!(
            exec_form(&docker, name, "ENTRYPOINT"),
            [binary.as_str()],
            "{name}: ENTRYPOINT"
        );
        assert_eq!(
            exec_form(&docker, name, "CMD"),
            ["--config", config.as_str()],
            "{name}: CMD"
        );
        // The state lives where the daemon's default data_dir and the unit's StateDirectory say.
        assert!(
            docker.contains("VOLUME /var/lib/logscrubd\n"),
            "{name}: VOLUME"
        );
        assert!(unit.contains("StateDirectory=logscrubd\n"));
        // The image's user owns the state directory.
        let user = docker
            .lines()
            .find_map(|l| l.strip_prefix("USER "))
            .unwrap_or_else(|| panic!("{name}: no USER (the daemon must not run as root)"));
        assert_ne!(user.split(':').next(), Some("0"), "{name}: runs as root");
        assert!(
            docker.contains(&format!("chown {user} /var/lib/logscrubd")),
            "{name}: chown to {user}"
        );
        // Every port the image exposes is one the example configuration listens on.
        for port in docker
            .lines()
            .filter_map(|l| l.strip_prefix("EXPOSE "))
            .flat_map(|l| l.split_whitespace())
        {
            let number = port.trim_end_matches("/udp").trim_end_matches("/tcp");
            assert!(
                example.contains(&format!(":{number}\"")),
                "{name}: EXPOSE {port}, which no listener uses"
            );
        }
    }
    // The source-built image copies the binaries and the configuration to the package's paths.
    let docker = read("crates/daemon/dist/Dockerfile");
    let dest_of = |src: &str| {
        docker
            .lines()
            .find(|l| l.starts_with("COPY --from=build ") && l.contains(src))
            .and_then(|l| l.split_whitespace().last())
            .unwrap_or_else(|| panic!("Dockerfile does not copy {src}"))
            .to_string()
    };
    assert_eq!(dest_of("/src/target/release/logscrubd"), "/usr/bin/");
    assert_eq!(dest_of("/src/target/release/logscrub "), "/usr/bin/");
    assert_eq!(dest_of("/src/crates/daemon/logscrubd.example.toml"), config);
    // Its context is the repository root: build outputs stay out of it.
    let ignore = read(".dockerignore");
    assert!(
        ignore.lines().any(|l| l.trim() == "target/"),
        ".dockerignore must leave out target/"
    );
    // The package-built image installs both packages that CI builds.
    let deb = read("crates/daemon/dist/Dockerfile.deb");
    assert!(
        deb.contains("COPY logscrub_*.deb logscrubd_*.deb /tmp/debs/")
            && deb.contains("dpkg -i /tmp/debs/*.deb")
    );
    let ci = read(".ci/package.sh");
    assert!(
        ci.contains("crates/daemon/dist/Dockerfile.deb")
            && ci.contains("for pkg in logscrub-cli logscrub-daemon")
    );
}

#[test]
fn the_service_user_can_read_the_packaged_configuration() {
    // The unit's DynamicUser is neither root nor in root's group: the configuration (which holds no secret; keys
    // go in with LoadCredential=) and its directory must be readable by others.
    let (_, _, mode) = deb_assets_with_mode("crates/daemon/Cargo.toml")
        .into_iter()
        .find(|(s, _, _)| s == "logscrubd.example.toml")
        .unwrap();
    assert_eq!(
        mode & 0o004,
        0o004,
        "the packaged logscrubd.toml is mode {mode:o}: the service user cannot read it"
    );
    assert_eq!(
        mode & 0o022,
        0,
        "the packaged logscrubd.toml is writable by others (mode {mode:o})"
    );
    let unit = read("crates/daemon/dist/logscrubd.service");
    let dir_mode = unit
        .lines()
        .find_map(|l| l.strip_prefix("ConfigurationDirectoryMode="))
        .map(|m| u32::from_str_radix(m, 8).unwrap())
        .unwrap_or(0o755);
    assert_eq!(
        dir_mode & 0o005,
        0o005,
        "ConfigurationDirectoryMode={dir_mode:o} locks the service user out"
    );
    assert!(unit.contains("DynamicUser=yes"));
}

#[test]
fn debian_synopses_fit_on_one_line() {
    // cargo-deb takes the crate's description as the package synopsis and wraps it past 79 characters, which
    // turns the rest into the first line of the long description.
    for manifest in ["crates/cli/Cargo.toml", "crates/daemon/Cargo.toml"] {
        let v: toml::Value = toml::from_str(&read(manifest)).unwrap();
        let description = v["package"]["description"].as_str().unwrap();
        assert!(
            description.chars().count() <= 79 && !description.ends_with('.'),
            "{manifest}: description {description:?} is not a one-line Debian synopsis (<= 79 characters, no final period)"
        );
    }
}
