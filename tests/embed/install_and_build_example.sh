#!/bin/sh
# Installs ravel to a temporary prefix, configures and builds examples/embed
# out of tree against it with find_package(ravel), and runs the example;
# also checks that ravel.pc and the ravel command were installed.
#   install_and_build_example.sh <ravel build dir> <ravel source dir>
set -eu
build=$1
src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
test -x "$work/prefix/bin/ravel"
test -f "$work/prefix/lib/pkgconfig/ravel.pc"
test -f "$work/prefix/include/ravel/ravel.h"
printf 'print(1 + 1)\n' >"$work/two.rv"
test "$("$work/prefix/bin/ravel" "$work/two.rv")" = 2
# The installed ravel compiles ahead of time against the installed libravel_aot.
"$work/prefix/bin/ravel" compile "$work/two.rv" -o "$work/two"
test "$("$work/two")" = 2
ldd "$work/two" | grep -q "$work/prefix/.*libravel_aot.so"
cmake -S "$src/examples/embed" -B "$work/example" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/example" >/dev/null
"$work/example/hypot"
