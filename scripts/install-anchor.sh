#!/usr/bin/env bash
# install-anchor.sh: installs anchor-cli 1.2.2 (the `anchor` command, for
# `anchor test --skip-build --validator legacy`) into the same per-machine
# cache as install-validator.sh, once. Idempotent; prints the bin dir.
# Cold install: about 6-7 minutes on 2 cores.
set -euo pipefail
VERSION=1.2.2
ROOT="${COHERENCE_TOOLS:-$HOME/.cache/coherence-tools}"
BIN="$ROOT/bin"
if ! { [ -x "$BIN/anchor" ] && "$BIN/anchor" --version 2>/dev/null | grep -q " $VERSION"; }; then
  echo "install-anchor.sh: building anchor-cli $VERSION" >&2
  SECONDS=0
  # A fixed build directory: an interrupted install resumes where it stopped.
  CARGO_TARGET_DIR="$ROOT/build-anchor" nice -n "${INSTALL_NICE:-5}" cargo install --locked --quiet --root "$ROOT" anchor-cli --version "$VERSION" >&2
  echo "install-anchor.sh: installed in ${SECONDS}s" >&2
  rm -rf "$ROOT/build-anchor"
fi
echo "$BIN"
