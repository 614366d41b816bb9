#!/usr/bin/env bash
# The test command (README, .ci/run): installs what the tests need on a Debian 12 machine, then runs every
# test tier (unit, in-process functional on real sockets, system tests with real ffmpeg/dig/chromium…).
# Run as root (or with sudo) the first time so missing Debian packages can be installed.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests start for real. Keep sorted; say which tests need each in eng/README.md.
PACKAGES=(
  adduser
  ca-certificates
  curl
  dnsutils
  dpkg-dev
  ffmpeg
  iproute2
  knot-dnsutils
  libsqlite3-0
  libssl3
  lintian
  man-db
  openssl
  postgresql
  procps
  strace
  systemd
  tzdata
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "eng/test.sh: missing Debian packages: ${missing[*]} (run as root or: sudo apt-get install -y ${missing[*]})" >&2
    exit 1
  fi
  echo "eng/test.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

export CI="${CI:-}"
dotnet test EdgeNode.sln -c Release --logger "console;verbosity=minimal" "$@"

# Hot-path budgets (bench/budgets.json): BenchmarkDotNet in-process, short jobs; fails when a hot path
# allocates more than its budget or slows down against a reference measured in the same run. Skipped when
# arguments select a subset of the tests (eng/test.sh --filter …).
if [ $# -eq 0 ]; then
  echo "eng/test.sh: checking hot-path allocation and time budgets (bench/budgets.json)"
  dotnet bench/Cdn.Benchmarks/bin/Release/net10.0/Cdn.Benchmarks.dll check-budgets --budgets bench/budgets.json
fi
