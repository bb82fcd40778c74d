#!/usr/bin/env bash
# The main job: install dependencies, build, and run the tour of ravel.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh"
"$root/scripts/build.sh"
cd "$root/examples"
exec "${RAVEL_BUILD_DIR:-$root/build}/tools/ravel" tour.rv
