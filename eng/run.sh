#!/usr/bin/env bash
# The main job (README): installs the Debian packages it needs, builds everything (Release), then runs
# tools/LocalCdn: a whole CDN on loopback — control plane with GeoDNS, packager, two origin shields over the
# packager's origin tree, an edge in each of two sites — packages a generated 60 s 1080p title, pushes a
# fill plan for one site, resolves the CDN host through GeoDNS (dig) for each site, pulls the whole title
# through the chosen edge over HTTPS with ffmpeg, prints a report, and keeps running until Ctrl-C.
#   --once            stop after the report          --state-dir DIR   (default .demo/)
#   --fill-site SITE  (default ams)                  --play-site SITE  (default ams)
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the main job starts for real. Keep sorted.
PACKAGES=(
  ca-certificates
  curl
  dnsutils
  ffmpeg
  libsqlite3-0
  procps
)
source eng/debian-packages.sh
mapfile -t missing < <(missing_debian_packages "${PACKAGES[@]}")
install_debian_packages eng/run.sh "${missing[@]}"

echo "== building (dotnet build EdgeNode.sln -c Release)"
if ! dotnet build EdgeNode.sln -c Release -v quiet -nologo >.build.log 2>&1; then
  grep -E "error|Error" .build.log | head -40 >&2 || true
  echo "eng/run.sh: the build failed; the whole log is in .build.log" >&2
  exit 1
fi
rm -f .build.log

exec dotnet tools/LocalCdn/bin/Release/net10.0/LocalCdn.dll "$@"
