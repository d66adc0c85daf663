#!/usr/bin/env bash
# Unpacks Mesa 25 lavapipe (Vulkan on the CPU) from bookworm-backports into a scratch directory, without
# installing anything system-wide, and prints the environment that points Dawn (the `webgpu` package) at it:
#   eval "$(bash scripts/lavapipe.sh .lavapipe)"
# Debian 12's own mesa-vulkan-drivers (22.3.6) is rejected by Dawn ("Vulkan shaderUniform*ArrayDynamicIndexing
# required"), hence the backport (toolchain.md §10.3). Needs apt and deb.debian.org; prints nothing and exits 1
# when either is missing, so callers can fall back (the WebGPU tests then report themselves as skipped).
set -uo pipefail
L=$(realpath -m "${1:-.lavapipe}")
VERSION=${LAVAPIPE_VERSION:-25.0.7-2~bpo12+1}
lib=$L/root/usr/lib/x86_64-linux-gnu/libvulkan_lvp.so
if [ ! -f "$lib" ]; then
  command -v apt-get >/dev/null || { echo "lavapipe: no apt-get" >&2; exit 1; }
  mkdir -p "$L/lists/partial" "$L/cache/archives/partial" "$L/debs" "$L/root"
  key=/usr/share/keyrings/debian-archive-keyring.gpg
  printf '%s\n' "deb [signed-by=$key] http://deb.debian.org/debian bookworm main" \
    "deb [signed-by=$key] http://deb.debian.org/debian bookworm-backports main" >"$L/sources.list"
  O=(-o "Dir::Etc::sourcelist=$L/sources.list" -o Dir::Etc::sourceparts=/nonexistent
    -o "Dir::State::Lists=$L/lists" -o "Dir::Cache=$L/cache")
  apt-get "${O[@]}" update >"$L/apt.log" 2>&1 || { echo "lavapipe: apt-get update failed ($L/apt.log)" >&2; exit 1; }
  (cd "$L/debs" && apt-get "${O[@]}" download "mesa-vulkan-drivers=$VERSION" >>"$L/apt.log" 2>&1) ||
    { echo "lavapipe: download of mesa-vulkan-drivers=$VERSION failed ($L/apt.log)" >&2; exit 1; }
  for d in "$L"/debs/*.deb; do dpkg-deb -x "$d" "$L/root"; done
fi
missing=$(ldd "$lib" | grep 'not found')
[ -z "$missing" ] || { echo "lavapipe: missing libraries: $missing" >&2; exit 1; }
# The manifest names the library by file name only; make it absolute so no LD_LIBRARY_PATH is needed.
sed "s#\"libvulkan_lvp.so\"#\"$lib\"#" "$L/root/usr/share/vulkan/icd.d/lvp_icd.json" >"$L/lvp_icd.json"
mkdir -p -m 700 "$L/xdg"
echo "export VK_ICD_FILENAMES=$L/lvp_icd.json XDG_RUNTIME_DIR=$L/xdg"
