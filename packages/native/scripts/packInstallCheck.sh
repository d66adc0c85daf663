#!/usr/bin/env bash
# Packaging proof for @drojs/native: packs dro-core, native and native-linux-x64-gnu, then — in a private mount
# namespace where the C compilers, gcc's internals and every OpenBLAS file are hidden — installs the tarballs with
# npm into an empty folder (tfjs from the npm registry) and runs one training step. Prints that native loaded
# and that the step ran; exits non-zero otherwise. Needs root (unshare) and a built binary
# (pnpm --filter @drojs/native build:native). Usage: bash packages/native/scripts/packInstallCheck.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
binary="$repo/packages/native-linux-x64-gnu/drojs-native.node"
if [ ! -f "$binary" ]; then
  echo "packInstallCheck: $binary is missing (run: pnpm --filter @drojs/native build:native)"
  exit 1
fi
for dist in dro-core/dist/index.js native/dist/index.js; do
  [ -f "$repo/packages/$dist" ] || { echo "packInstallCheck: packages/$dist is missing (run pnpm build first)"; exit 1; }
done
if ! unshare --mount --propagation private true 2>/dev/null; then
  echo "packInstallCheck: cannot create a mount namespace (unshare --mount needs root or CAP_SYS_ADMIN)"
  exit 1
fi
work=$(mktemp -d /tmp/drojs-pack-XXXXXX)
trap 'rm -rf "$work"' EXIT
for pkg in dro-core native native-linux-x64-gnu; do
  (cd "$repo/packages/$pkg" && pnpm pack --pack-destination "$work/tarballs" >/dev/null)
done
ls "$work/tarballs"
# The listing is taken whole first: grep -q closing the pipe early would fail tar under pipefail.
listing=$(tar -tzf "$work"/tarballs/drojs-native-linux-x64-gnu-*.tgz)
grep -qx 'package/drojs-native.node' <<<"$listing" ||
  { echo "packInstallCheck: the platform tarball does not carry drojs-native.node"; exit 1; }
cp "$here/packStep.mjs" "$work/step.mjs"

# Inside the namespace: hide the toolchain and OpenBLAS, prove they are gone, install, run.
unshare --mount --propagation private bash -euo pipefail -c '
  work=$1
  mount -t tmpfs tmpfs /usr/lib/x86_64-linux-gnu/openblas-pthread
  [ -d /usr/lib/gcc ] && mount -t tmpfs tmpfs /usr/lib/gcc
  for tool in cc c++ gcc g++ clang tcc x86_64-linux-gnu-gcc x86_64-linux-gnu-g++; do
    if p=$(command -v "$tool"); then mount --bind /dev/null "$(readlink -f "$p")"; fi
  done
  if cc --version >/dev/null 2>&1 || gcc --version >/dev/null 2>&1; then echo "a C compiler is still usable"; exit 1; fi
  for lib in libopenblas.so.0 libopenblas.so libblas.so.3 libopenblas.a; do
    if [ -e "/usr/lib/x86_64-linux-gnu/$lib" ]; then echo "$lib is still visible"; exit 1; fi
  done
  echo "environment: no C compiler, no libopenblas/libblas visible"
  cd "$work"
  npm init -y >/dev/null
  npm install --no-audit --no-fund --loglevel=error ./tarballs/*.tgz \
    @tensorflow/tfjs-core@4.22.0 @tensorflow/tfjs-backend-cpu@4.22.0 @tensorflow/tfjs-backend-wasm@4.22.0 \
    @tensorflow/tfjs-layers@4.22.0 >/dev/null
  node step.mjs
' packInstallCheck "$work"
