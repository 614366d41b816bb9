#!/usr/bin/env bash
# Start-up time and size of the edgenode publish modes (packaging/deb/README.md): publishes edgenode plain,
# ReadyToRun and trimmed, then starts each N times with a throwaway configuration and times exec → READY=1
# on a notify socket (what systemd waits for). Needs python3 (the socket reader). Not part of CI.
#
#   packaging/deb/measure-startup.sh [--runs N] [--output DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
runs=10
out="$(mktemp -d)"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --output) out="$2"; shift 2 ;;
    *) echo "measure-startup.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
command -v python3 >/dev/null || { echo "measure-startup.sh: python3 is needed" >&2; exit 1; }

for mode in plain r2r trimmed; do
  "$here/build.sh" --output "$out/$mode" --package edgenode --publish-mode "$mode" --no-lintian >/dev/null
done

work="$out/run"
mkdir -p "$work"
echo "measure-token-0123456789abcdef" > "$work/token"
cat > "$work/edgenode.json" <<JSON
{ "Edge": {
    "Listeners": { "Http": { "Address": "127.0.0.1", "Port": 18481 }, "Admin": { "Address": "127.0.0.1", "Port": 18482 } },
    "Admin": { "TokenFile": "$work/token" },
    "Cache": { "Volumes": [ { "Path": "$work/vol", "CapacityBytes": 104857600 } ], "Index": { "Directory": "$work/index", "MemoryBytes": 16777216, "HashTableBytes": 1048576 } },
    "Upstreams": { "Origins": [ { "Url": "http://127.0.0.1:1" } ] } } }
JSON

printf '%-8s %12s %12s %14s\n' mode "install MiB" "deb MiB" "READY ms (median of $runs)"
for mode in plain r2r trimmed; do
  bin="$out/$mode/publish/edgenode/edgenode"
  size=$(du -sm "$out/$mode/publish/edgenode" | cut -f1)
  deb=$(du -m "$out/$mode"/edgenode_*.deb | cut -f1)
  median=$(python3 - "$bin" "$work" "$runs" <<'PY'
import os, socket, subprocess, sys, time, statistics, signal
binary, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
times = []
for i in range(runs):
    path = os.path.join(work, "notify.sock")
    if os.path.exists(path): os.unlink(path)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(path); s.settimeout(30)
    env = dict(os.environ, NOTIFY_SOCKET=path)
    start = time.monotonic()
    p = subprocess.Popen([binary, "--config", os.path.join(work, "edgenode.json")], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            if b"READY=1" in s.recv(4096): break
    except socket.timeout:
        p.kill(); p.wait(); s.close()
        print(f"never (exit {p.returncode})")
        sys.exit(0)
    times.append((time.monotonic() - start) * 1000)
    p.send_signal(signal.SIGTERM); p.wait(); s.close()
print(f"{statistics.median(times):.0f}")
PY
)
  printf '%-8s %12s %12s %14s\n' "$mode" "$size" "$deb" "$median"
done
