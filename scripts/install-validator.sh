#!/usr/bin/env bash
# install-validator.sh: installs a real local validator (`solana-test-validator`,
# from the crates-registry package agave-validator 3.1.12, matching the project's Solana
# crates) and the `solana` CLI (solana-cli 3.1.12) into a per-machine cache,
# once. Idempotent: a second run finds the binaries and returns at once.
#
#   scripts/install-validator.sh          # install if missing; print the bin dir
#   scripts/install-validator.sh --check  # exit 0 if installed, 1 if not
#
# Cache: ${COHERENCE_TOOLS:-$HOME/.cache/coherence-tools} (bin/ inside it).
# Needs Debian packages protobuf-compiler, libclang-dev, clang, libudev-dev
# (installed with apt-get when missing; root or passwordless sudo).
# Cold install: about 20-35 minutes on 2 cores; later runs: under a second.
set -euo pipefail
VERSION=3.1.12
ROOT="${COHERENCE_TOOLS:-$HOME/.cache/coherence-tools}"
BIN="$ROOT/bin"

installed() {
  [ -x "$BIN/solana-test-validator" ] && [ -x "$BIN/solana" ] \
    && "$BIN/solana-test-validator" --version 2>/dev/null | grep -q " $VERSION" \
    && "$BIN/solana" --version 2>/dev/null | grep -q " $VERSION"
}

if [ "${1:-}" = "--check" ]; then
  installed
  exit
fi
if installed; then
  echo "$BIN"
  exit 0
fi

need=()
for pkg in protobuf-compiler libclang-dev clang libudev-dev pkg-config; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "install-validator.sh: installing Debian packages: ${need[*]}" >&2
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo -n"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >&2
fi

mkdir -p "$ROOT"
# A fixed build directory: an interrupted install resumes where it stopped.
export CARGO_TARGET_DIR="$ROOT/build"
SECONDS=0
# Each package into the same root; --locked uses the versions its authors tested.
if ! { [ -x "$BIN/solana-test-validator" ] && "$BIN/solana-test-validator" --version 2>/dev/null | grep -q " $VERSION"; }; then
  echo "install-validator.sh: building agave-validator $VERSION (solana-test-validator); this takes a while" >&2
  nice -n "${INSTALL_NICE:-5}" cargo install --locked --quiet --root "$ROOT" agave-validator --version "$VERSION" >&2
fi
if ! { [ -x "$BIN/solana" ] && "$BIN/solana" --version 2>/dev/null | grep -q " $VERSION"; }; then
  echo "install-validator.sh: building solana-cli $VERSION (solana)" >&2
  nice -n "${INSTALL_NICE:-5}" cargo install --locked --quiet --root "$ROOT" solana-cli --version "$VERSION" >&2
fi
installed || { echo "install-validator.sh: ERROR: binaries missing after install in $BIN" >&2; exit 1; }
rm -rf "$ROOT/build"   # several GB of intermediate artifacts, no longer needed
echo "install-validator.sh: installed in $BIN in ${SECONDS}s" >&2
echo "$BIN"
