#!/usr/bin/env bash
# Installs every build, test and benchmark dependency of ravel from Debian's
# packages. Idempotent: packages already present are left alone, and apt is
# only asked when something is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  llvm-19-dev libzstd-dev
  antlr4 libantlr4-runtime-dev
  libopenblas-dev libsleef-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3-numpy python3-numexpr
  clang-format
  libedit-dev graphviz
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all dependencies present"
fi
