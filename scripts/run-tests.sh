#!/usr/bin/env bash
# Install dependencies, build, and run the whole test suite (unit tests per
# stage, golden files, differential tests against NumPy, the REPL session).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
cd "${RAVEL_BUILD_DIR:-$root/build}"
ctest --output-on-failure -j2
