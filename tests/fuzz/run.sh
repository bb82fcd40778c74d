#!/usr/bin/env bash
# Runs every libFuzzer target for a given time each, one after the other.
#
#   tests/fuzz/run.sh [seconds-per-target] [--merge] [target...]
#
# Configures and builds build-fuzz/ with clang-19 and RAVEL_FUZZ=ON when
# needed. Each target starts from tests/fuzz/<name>/corpus and writes new
# inputs to build-fuzz/corpus/<name>; crashing inputs land in
# build-fuzz/artifacts/<name>/. --merge then minimises the union back into
# tests/fuzz/<name>/corpus (libFuzzer -merge=1). Extra libFuzzer flags come
# from RAVEL_FUZZ_ARGS. Exits non-zero when any target found a crash.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="${RAVEL_FUZZ_BUILD_DIR:-$root/build-fuzz}"
seconds=60
merge=0
targets=()
for arg in "$@"; do
  case "$arg" in
    --merge) merge=1 ;;
    ''|*[!0-9]*) targets+=("$arg") ;;
    *) seconds="$arg" ;;
  esac
done
((${#targets[@]})) || targets=(frontend npy program)

if [ ! -f "$build/CMakeCache.txt" ]; then
  generator=()
  if command -v ninja >/dev/null 2>&1; then generator=(-G Ninja); fi
  cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER=clang++-19 -DRAVEL_FUZZ=ON
fi
cmake --build "$build" -j2 --target "${targets[@]/#/fuzz_}"

# Crashes must abort (libFuzzer's default handlers); leaks are not findings
# here: LLVM keeps process-lifetime caches.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
status=0
for name in "${targets[@]}"; do
  src="$root/tests/fuzz/$name/corpus"
  work="$build/corpus/$name"
  artifacts="$build/artifacts/$name"
  mkdir -p "$work" "$artifacts"
  flags=(-max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 -print_final_stats=1
         -artifact_prefix="$artifacts/")
  case "$name" in
    frontend) flags+=(-max_len=4096 -dict="$root/tests/fuzz/frontend.dict") ;;
    npy) flags+=(-max_len=4096) ;;
    program) flags+=(-max_len=256) ;;
  esac
  echo "== fuzz_$name for ${seconds}s"
  # shellcheck disable=SC2086
  if ! "$build/tests/fuzz/fuzz_$name" "${flags[@]}" ${RAVEL_FUZZ_ARGS:-} "$work" "$src"; then
    echo "== fuzz_$name found a crash: see $artifacts/"
    status=1
  fi
  if ((merge)); then
    fresh="$build/corpus/$name.merged"
    rm -rf "$fresh" && mkdir -p "$fresh"
    "$build/tests/fuzz/fuzz_$name" -merge=1 "${flags[@]:1}" "$fresh" "$src" "$work" >/dev/null 2>&1
    rm -f "$src"/* && cp "$fresh"/* "$src"/
    echo "== merged: $(ls "$src" | wc -l) inputs, $(du -sh "$src" | cut -f1) in $src"
  fi
done
exit $status
