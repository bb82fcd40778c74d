#!/usr/bin/env bash
# Configures and builds ravel into ./build (RelWithDebInfo, -j2 as this
# machine has two cores). Safe to re-run: only what changed is rebuilt.
# RAVEL_BUILD_DIR, RAVEL_BUILD_TYPE and RAVEL_CMAKE_ARGS override the defaults;
# RAVEL_BUILD_TARGETS (space-separated) builds only those targets.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${RAVEL_BUILD_DIR:-$root/build}"
generator=()
if command -v ninja >/dev/null 2>&1; then generator=(-G Ninja); fi
if [ ! -f "$build/CMakeCache.txt" ]; then
  # shellcheck disable=SC2086
  cmake -S "$root" -B "$build" "${generator[@]}" \
    -DCMAKE_BUILD_TYPE="${RAVEL_BUILD_TYPE:-RelWithDebInfo}" ${RAVEL_CMAKE_ARGS:-}
fi
targets=()
for t in ${RAVEL_BUILD_TARGETS:-}; do targets+=(--target "$t"); done
cmake --build "$build" -j2 "${targets[@]}"
