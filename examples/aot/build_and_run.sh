#!/bin/sh
# Builds examples/aot the way a user would: compiles stats.rv ahead of time
# into a shared and a static library, builds main.cpp against each, runs
# both, and checks that neither program loads LLVM or ANTLR.
#   build_and_run.sh <ravel command> [<directory holding libravel_aot.so>]
# (the second argument is only needed for the static library's link line;
# by default the directory `ravel compile --verbose` reports.)
set -eu
ravel=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
libdir=${2:+$(cd "$2" && pwd)}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
exports="--export zscore(float64[:]) --export hypot_sum(float64[:],float64[:]) --export scaled(float64[:,:],float64)"
# shellcheck disable=SC2086 # word splitting of $exports is wanted
"$ravel" compile "$here/stats.rv" $exports -o libstats.so --verbose 2>compile.log
libdir=${libdir:-$(sed -n 's/.*-Wl,-rpath,\([^ ]*\) .*/\1/p' compile.log | head -n 1)}
test -f stats.h
c++ -std=c++17 -Wall -I. -o demo_shared "$here/main.cpp" -L. -lstats -L"$libdir" -lravel_aot \
  -Wl,-rpath,"$work:$libdir"
./demo_shared
# shellcheck disable=SC2086
mkdir static
"$ravel" compile "$here/stats.rv" $exports -o static/libstats.a
test -f static/stats.h
c++ -std=c++17 -Wall -Istatic -o demo_static "$here/main.cpp" static/libstats.a -L"$libdir" -lravel_aot \
  -lsleef -lm -Wl,-rpath,"$libdir"
./demo_static
for program in demo_shared demo_static; do
  if ldd "$program" | grep -Ei 'llvm|antlr'; then
    echo "$program loads LLVM or ANTLR" >&2
    exit 1
  fi
done
echo "examples/aot: both programs ran; ldd shows no LLVM"
