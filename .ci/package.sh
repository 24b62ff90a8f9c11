#!/usr/bin/env bash
# CI packaging check (called by .ci/run after `cargo test --workspace`): builds the Debian packages of logscrub and
# logscrubd with cargo-deb from the dev-profile binaries that the test run already built (no second, release
# build), unpacks them into a temporary root (`dpkg -x`) and checks what a user would get: both binaries run,
# the man pages, completions, systemd unit, configuration and dashboard are where the unit and the daemon expect
# them, and the service's unprivileged user can read the configuration. Then, only where a docker daemon answers,
# builds the container image from those packages (crates/daemon/dist/Dockerfile.deb) and runs it.
#
#   bash .ci/package.sh            # from anywhere; writes target/ci-package/
#
# The packages hold dev-profile binaries: they check the packaging, they are not release artifacts (a release is
# `cargo deb -p logscrub-cli` / `-p logscrub-daemon`, which builds in release).
set -euo pipefail
cd "$(dirname "$0")/.."

target="${CARGO_TARGET_DIR:-$PWD/target}"
out="$target/ci-package"
tools="$target/ci-tools"
# Pinned: newer cargo-deb versions announce that the dev profile will become an error.
cargo_deb_version=3.8.0
service_uid=65532

fail() {
  echo "package: FAILED: $*" >&2
  exit 1
}

for bin in logscrub logscrubd; do
  [ -x "$target/debug/$bin" ] || fail "$target/debug/$bin is missing (cargo test --workspace builds it)"
done

cargo_deb="$tools/bin/cargo-deb"
if ! "$cargo_deb" --version 2>/dev/null | grep -qx "cargo-deb $cargo_deb_version"; then
  start=$(date +%s)
  # A debug build with gzip instead of the default xz (no liblzma to compile): half the CPU time of the default
  # release install (1m35 s against 3m21 s of user CPU, measured one after the other on a loaded 2-core
  # machine), and packaging is no slower (the time goes to strip, not compression).
  cargo install --quiet --debug --locked cargo-deb --version "$cargo_deb_version" \
    --no-default-features --features gzip --root "$tools"
  echo "package: installed cargo-deb $cargo_deb_version in $(($(date +%s) - start)) s"
fi

rm -rf "$out"
mkdir -p "$out/root"
for pkg in logscrub-cli logscrub-daemon; do
  "$cargo_deb" --quiet --locked -p "$pkg" --no-build --profile dev --fast -o "$out/"
done
root="$out/root"
for deb in "$out"/*.deb; do
  dpkg-deb --info "$deb" >/dev/null || fail "$deb is not a valid package"
  dpkg -x "$deb" "$root"
  echo "package: built $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB)"
done
ls "$out"/logscrub_*.deb "$out"/logscrubd_*.deb >/dev/null || fail "expected logscrub_*.deb and logscrubd_*.deb in $out"

# Both binaries run and say the workspace version.
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
for bin in logscrub logscrubd; do
  got=$("$root/usr/bin/$bin" --version) || fail "$bin --version failed"
  [ "$got" = "$bin $version" ] || fail "$bin --version printed '$got', expected '$bin $version'"
done

# Files the packages must install, where man, the shells, systemd and logscrubd look for them.
for f in usr/share/man/man1/logscrub.1.gz usr/share/man/man1/logscrub-scan.1.gz \
  usr/share/bash-completion/completions/logscrub usr/share/zsh/vendor-completions/_logscrub \
  usr/share/fish/vendor_completions.d/logscrub.fish usr/share/doc/logscrub/copyright \
  lib/systemd/system/logscrubd.service etc/logscrub/logscrubd.toml \
  usr/share/doc/logscrubd/grafana-dashboard.json; do
  [ -s "$root/$f" ] || fail "the packages do not install /$f"
done
# (Read into variables first: `grep -q` closing a pipe early would fail the pipeline under pipefail.)
man=$(gzip -dc "$root/usr/share/man/man1/logscrub-scan.1.gz")
grep -q '^\.TH logscrub-scan' <<<"$man" || fail "the packaged logscrub-scan.1 is not a man page"
cmp -s "$root/lib/systemd/system/logscrubd.service" crates/daemon/dist/logscrubd.service ||
  fail "the packaged unit differs from crates/daemon/dist/logscrubd.service"
conffiles=$(dpkg-deb --ctrl-tarfile "$out"/logscrubd_*.deb | tar -xO ./conffiles)
grep -qx /etc/logscrub/logscrubd.toml <<<"$conffiles" || fail "/etc/logscrub/logscrubd.toml is not a conffile of logscrubd"

# The unit runs logscrubd as a DynamicUser: check its configuration as an unprivileged user, as ExecStartPre does.
"$root/usr/bin/logscrubd" check-config --config "$root/etc/logscrub/logscrubd.toml" >/dev/null ||
  fail "logscrubd check-config rejects the packaged configuration"
if command -v setpriv >/dev/null 2>&1; then
  # A copy under a fresh directory in /tmp, with the modes the package gives, so that the user can reach it.
  probe=$(mktemp -d)
  chmod 755 "$probe"
  mkdir -p "$probe/etc/logscrub"
  chmod --reference="$root/etc/logscrub" "$probe/etc/logscrub"
  cp -p "$root/usr/bin/logscrubd" "$probe/"
  cp -p "$root/etc/logscrub/logscrubd.toml" "$probe/etc/logscrub/"
  # check-config also checks that data_dir is writable: systemd creates the StateDirectory for the DynamicUser
  # before ExecStartPre, so the probe gets its own.
  install -d -m 700 -o "$service_uid" -g "$service_uid" "$probe/state"
  sed -i "s#^data_dir = \"/var/lib/logscrubd\"#data_dir = \"$probe/state\"#" "$probe/etc/logscrub/logscrubd.toml"
  grep -q "^data_dir = \"$probe/state\"" "$probe/etc/logscrub/logscrubd.toml" ||
    fail "the packaged configuration no longer sets data_dir = \"/var/lib/logscrubd\" (update this probe)"
  setpriv --reuid "$service_uid" --regid "$service_uid" --clear-groups \
    "$probe/logscrubd" check-config --config "$probe/etc/logscrub/logscrubd.toml" >/dev/null ||
    fail "an unprivileged user (uid $service_uid, as the unit's DynamicUser) cannot read the packaged configuration"
  rm -rf "$probe"
else
  echo "package: setpriv missing: the unprivileged configuration check is skipped"
fi
if command -v systemd-analyze >/dev/null 2>&1; then
  unit="$out/logscrubd.service"
  sed "s#/usr/bin/logscrubd#$root/usr/bin/logscrubd#g; s#/etc/logscrub/logscrubd.toml#$root/etc/logscrub/logscrubd.toml#g" \
    "$root/lib/systemd/system/logscrubd.service" >"$unit"
  verify=$(systemd-analyze verify "$unit" 2>&1) || fail "systemd-analyze verify of the packaged unit: $verify"
  if grep -q 'logscrubd.service:' <<<"$verify"; then fail "systemd-analyze verify: $verify"; fi
fi
echo "package: the .deb contents check out (binaries, man pages, completions, unit, configuration)"

# The container image, from the packages just built. Its base image must be local or pullable: a machine that
# reaches no image registry skips the build with a message instead of failing.
base=$(sed -n 's/^FROM \([^ ]*\).*/\1/p' crates/daemon/dist/Dockerfile.deb | head -n 1)
if ! docker info >/dev/null 2>&1; then
  echo "package: no docker daemon answers here (docker info failed): the container image is NOT built;" \
    "tests/packaging.rs still checks the Dockerfiles' paths against the package layout"
elif ! docker image inspect "$base" >/dev/null 2>&1 && ! docker pull -q "$base" >/dev/null 2>&1; then
  echo "package: the base image $base is neither local nor pullable here: the container image is NOT built"
else
  ctx="$out/image"
  mkdir -p "$ctx"
  cp "$out"/*.deb "$ctx/"
  docker build -q -f crates/daemon/dist/Dockerfile.deb -t logscrubd:ci "$ctx" >/dev/null ||
    fail "docker build -f crates/daemon/dist/Dockerfile.deb"
  got=$(docker run --rm logscrubd:ci --version) || fail "docker run logscrubd:ci --version"
  [ "$got" = "logscrubd $version" ] || fail "the image's logscrubd --version printed '$got'"
  docker run --rm logscrubd:ci check-config --config /etc/logscrub/logscrubd.toml >/dev/null ||
    fail "the image's logscrubd (uid $service_uid) cannot use its configuration"
  got=$(docker run --rm --entrypoint /usr/bin/logscrub logscrubd:ci --version) || fail "docker run logscrub"
  [ "$got" = "logscrub $version" ] || fail "the image's logscrub --version printed '$got'"
  echo "package: built and ran the container image logscrubd:ci"
fi
