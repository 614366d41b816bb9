#!/usr/bin/env bash
# The main job (README): builds everything and starts what exists of the local CDN on loopback.
# Today: an origin (a directory of HLS files served over HTTP by Python's http.server) and an edge
# (edgenode, zero-copy cleartext on :8080, admin on :9080) in front of it; it fetches a segment twice to
# show a MISS then a HIT, then keeps running until Ctrl-C (--once: stop after the demonstration).
set -euo pipefail
cd "$(dirname "$0")/.."
once=0
[ "${1:-}" = "--once" ] && once=1

for tool in curl python3; do
  command -v "$tool" >/dev/null || { echo "eng/run.sh: '$tool' is needed: apt-get install -y $tool" >&2; exit 1; }
done

echo "== building (Release)"
dotnet build EdgeNode.sln -c Release -v quiet -nologo >/dev/null

demo="${DEMO_DIR:-$PWD/.demo}"
rm -rf "$demo/edge"
mkdir -p "$demo/origin/demo/720p" "$demo/edge"
if [ ! -f "$demo/origin/demo/720p/seg_00003.m4s" ]; then
  printf '#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-STREAM-INF:BANDWIDTH=2800000,RESOLUTION=1280x720\n720p/index.m3u8\n' > "$demo/origin/demo/master.m3u8"
  {
    printf '#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:4\n#EXT-X-PLAYLIST-TYPE:VOD\n'
    for i in 1 2 3; do printf '#EXTINF:4.0,\nseg_%05d.m4s\n' "$i"; done
    printf '#EXT-X-ENDLIST\n'
  } > "$demo/origin/demo/720p/index.m3u8"
  for i in 1 2 3; do head -c 1400000 /dev/urandom > "$demo/origin/demo/720p/seg_0000$i.m4s"; done
fi

token="demo-admin-token-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
echo "$token" > "$demo/edge/admin.token"
cat > "$demo/edge/edgenode.json" <<JSON
{
  "Edge": {
    "NodeName": "edge-demo", "Site": "local",
    "Listeners": { "Http": { "Address": "127.0.0.1", "Port": 8080 }, "Admin": { "Address": "127.0.0.1", "Port": 9080 } },
    "Admin": { "TokenFile": "$demo/edge/admin.token" },
    "Cache": {
      "Name": "edge",
      "Volumes": [ { "Path": "$demo/edge/volume0", "CapacityBytes": 1073741824 } ],
      "Index": { "Directory": "$demo/edge/index" }
    },
    "Upstreams": { "Origins": [ { "Url": "http://127.0.0.1:8090" } ] }
  },
  "Logging": { "LogLevel": { "Default": "Warning", "Microsoft.Hosting.Lifetime": "Information", "Cdn.Access": "Information" } }
}
JSON

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "== stopped"
}
trap cleanup EXIT INT TERM

echo "== origin: http://127.0.0.1:8090 serving $demo/origin"
(cd "$demo/origin" && exec python3 -m http.server 8090 --bind 127.0.0.1 >"$demo/origin.log" 2>&1) &
pids+=($!)
echo "== edge: http://127.0.0.1:8080 (admin http://127.0.0.1:9080, token in $demo/edge/admin.token)"
dotnet src/EdgeNode/bin/Release/net10.0/edgenode.dll --config "$demo/edge/edgenode.json" >"$demo/edge/edgenode.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
  curl -fs http://127.0.0.1:9080/readyz >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs http://127.0.0.1:9080/readyz >/dev/null || { echo "edge did not become ready; see $demo/edge/edgenode.log" >&2; exit 1; }

url=http://127.0.0.1:8080/demo/720p/seg_00001.m4s
for attempt in first second; do
  echo "== GET $url ($attempt)"
  curl -s -o /dev/null -H 'Host: cdn.local' -D - "$url" | grep -E '^(HTTP|X-Cache|Content-Length|Content-Type|Age)'
done
echo "== sendfile calls so far: $(curl -s -H "Authorization: Bearer $token" http://127.0.0.1:9080/metrics | awk '/^cdn_http_sendfile_calls_total/ {print $2}')"

if [ "$once" = 1 ]; then exit 0; fi
echo "== running; try: curl -H 'Host: cdn.local' http://127.0.0.1:8080/demo/master.m3u8   (Ctrl-C stops everything)"
wait
