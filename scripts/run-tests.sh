#!/usr/bin/env bash
# Install dependencies, build, and run the whole test suite (unit tests per
# stage, golden files, differential tests against NumPy, the REPL session),
# then the same suite again on an AddressSanitizer + UndefinedBehaviorSanitizer
# build, and the embedding API's threaded test under ThreadSanitizer
# (RAVEL_SKIP_SANITIZERS=1 skips both for a quick local run).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
# Tests keep their compiled kernels in the build tree, not in ~/.cache.
export RAVEL_CACHE_DIR="${RAVEL_CACHE_DIR:-$root/build/kernel-cache}"
"$root/scripts/build.sh"
(cd "${RAVEL_BUILD_DIR:-$root/build}" && ctest --output-on-failure -j2)
if [ "${RAVEL_SKIP_SANITIZERS:-0}" != "1" ]; then
  echo "== the same tests under AddressSanitizer + UndefinedBehaviorSanitizer =="
  RAVEL_BUILD_DIR="$root/build-asan" RAVEL_BUILD_TYPE=Debug RAVEL_CMAKE_ARGS="-DRAVEL_SANITIZE=ON" \
    "$root/scripts/build.sh"
  (cd "$root/build-asan" && ctest --output-on-failure -j2)
  echo "== engines on several threads under ThreadSanitizer =="
  RAVEL_BUILD_DIR="$root/build-tsan" RAVEL_BUILD_TYPE=RelWithDebInfo RAVEL_CMAKE_ARGS="-DRAVEL_TSAN=ON" \
    RAVEL_BUILD_TARGETS="test_embed_threads" "$root/scripts/build.sh"
  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" "$root/build-tsan/tests/test_embed_threads"
fi
