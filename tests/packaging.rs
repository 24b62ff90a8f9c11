//! What ships around the binaries: the hardened systemd unit (checked by `systemd-analyze verify` where it is
//! installed; CI installs it), the Grafana dashboard (every metric it queries is one logscrubd exports), the
//! Debian package metadata and the Dockerfile (every file they name exists), and the LICENSE.

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
                // metrics.rs registers `"received_records"` in a registry prefixed `logscrubd`; a counter is
                // exported with `_total`, a histogram as `_bucket`, `_count` and `_sum`.
                let base = name.trim_start_matches("logscrubd_");
                let base = ["_total", "_bucket", "_count", "_sum"]
                    .iter()
                    .find_map(|s| base.strip_suffix(s))
                    .unwrap_or(base);
                assert!(
                    metrics_src.contains(&format!("\"{base}\"")),
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
