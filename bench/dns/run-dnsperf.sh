#!/usr/bin/env bash
# Side-by-side dnsperf: our controlplane GeoDNS vs Knot DNS + mod-geoip (subnet mode), same zone, same
# subnets, same answers, in the same run. Bounded: 2 modes x 2 servers x ROUNDS measurements of DURATION
# seconds, each after a 2 s warm-up (defaults: 12 x (10 + 2) s, about 2.5 minutes).
# Usage: bench/dns/run-dnsperf.sh [DURATION]   (see README.md beside this file)
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION="${1:-${DURATION:-10}}"
SERVER_CPUS="${SERVER_CPUS:-0}"      # cores the DNS servers run on
DNSPERF_CPUS="${DNSPERF_CPUS:-1}"    # cores dnsperf runs on (never the servers')
WORKERS="${WORKERS:-1}"              # UDP threads of each server (one per server core is fair)
CLIENTS="${CLIENTS:-4}"
ROUNDS="${ROUNDS:-3}"                # measurements per server and mode; medians are reported
OUR_PORT="${OUR_PORT:-25353}"
KNOT_PORT="${KNOT_PORT:-25354}"
API_PORT="${API_PORT:-28080}"
TOKEN="bench-token-0123456789abcdef"

for tool in dnsperf knotd taskset curl dig; do
  command -v "$tool" >/dev/null || { echo "missing $tool: apt-get install -y dnsperf knot knot-module-geoip util-linux curl dnsutils" >&2; exit 1; }
done
GEOIP_SO=$(ls /usr/lib/*/knot/modules-*/geoip.so 2>/dev/null | head -1 || true)
[ -n "$GEOIP_SO" ] || { echo "missing Knot's geoip module: apt-get install -y knot-module-geoip" >&2; exit 1; }

WORK=$(mktemp -d /tmp/dnsbench.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
[ -n "${KEEP:-}" ] && trap - EXIT

# The same geography for both: three coverage zones, one edge address each, a last resort.
cat > "$WORK/czf.json" <<JSON
{ "revision": "bench", "coverageZones": {
  "ams": { "network": ["10.1.0.0/16"] },
  "fra": { "network": ["10.2.0.0/16", "127.0.0.0/8"] },
  "lon": { "network": ["10.3.0.0/16"] } } }
JSON

cat > "$WORK/controlplane.json" <<JSON
{
  "Api": { "Listen": { "Address": "127.0.0.1", "Port": $API_PORT } },
  "Auth": { "Tokens": [ "$TOKEN" ] },
  "Database": { "Provider": "Embedded", "EmbeddedPath": "$WORK/state.db" },
  "Health": { "HeartbeatInterval": "00:10:00", "UpAfter": "00:00:00" },
  "Registry": { "Sites": [ { "Name": "ams", "Fallbacks": ["fra"] }, { "Name": "fra" }, { "Name": "lon" } ] },
  "CoverageZones": { "File": "$WORK/czf.json" },
  "Dns": {
    "Listen": { "Address": "127.0.0.1", "Port": $OUR_PORT },
    "UdpThreads": $WORKERS,
    "MaxAnswers": 1,
    "Ttl": { "Edge": 30 },
    "Zones": [ { "Name": "cdn.test", "Hosts": [ "video" ], "NameServers": [ { "Name": "ns1", "Addresses": [ "127.0.0.1" ] } ] } ],
    "LastResort": [ "192.0.2.99" ]
  },
  "Logging": { "LogLevel": { "Default": "Warning" } }
}
JSON

mkdir -p "$WORK/knot"
cat > "$WORK/knot/cdn.test.zone" <<ZONE
\$ORIGIN cdn.test.
\$TTL 3600
@     SOA ns1 hostmaster 1 3600 600 1209600 60
@     NS  ns1
ns1   A   127.0.0.1
video 30 A 192.0.2.99
ZONE
cat > "$WORK/knot/geo.conf" <<GEO
video.cdn.test:
  - net: 10.1.0.0/16
    A: 10.10.0.1
  - net: 10.2.0.0/16
    A: 10.20.0.1
  - net: 127.0.0.0/8
    A: 10.20.0.1
  - net: 10.3.0.0/16
    A: 10.30.0.1
GEO
cat > "$WORK/knot/knot.conf" <<KNOT
server:
    listen: 127.0.0.1@$KNOT_PORT
    edns-client-subnet: on
    udp-workers: $WORKERS
    tcp-workers: 1
    background-workers: 1
    rundir: $WORK/knot
log:
  - target: stderr
    any: warning
mod-geoip:
  - id: cdn
    config-file: $WORK/knot/geo.conf
    mode: subnet
    ttl: 30
template:
  - id: default
    storage: $WORK/knot
    module: mod-geoip/cdn
zone:
  - domain: cdn.test
    file: cdn.test.zone
KNOT

echo "== building controlplane (Release)"
dotnet build src/ControlPlane/ControlPlane.csproj -c Release -v q -nologo >/dev/null

echo "== starting controlplane on cores $SERVER_CPUS (UDP threads: $WORKERS)"
taskset -c "$SERVER_CPUS" dotnet src/ControlPlane/bin/Release/net10.0/controlplane.dll --config "$WORK/controlplane.json" >"$WORK/controlplane.log" 2>&1 &
OUR_PID=$!
PIDS+=($OUR_PID)
echo "== starting knotd on cores $SERVER_CPUS (udp-workers: $WORKERS)"
taskset -c "$SERVER_CPUS" knotd -c "$WORK/knot/knot.conf" >"$WORK/knot.log" 2>&1 &
KNOT_PID=$!
PIDS+=($KNOT_PID)

for i in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$API_PORT/readyz" >/dev/null 2>&1 && dig +short +time=1 +tries=1 @127.0.0.1 -p "$KNOT_PORT" video.cdn.test A >/dev/null 2>&1 && break
  sleep 0.2
done

api() { curl -sf -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' "http://127.0.0.1:$API_PORT$1" -d "$2" >/dev/null; }
HB='"sentAt":"2026-01-01T00:00:00Z","health":{"healthy":true,"volumesUp":1,"volumesTotal":1,"diskFreeBytes":1,"errorsSinceLastReport":0,"problems":[]},"load":{"gbpsOut":0,"connections":0,"requestsPerSecond":0},"cache":{"objects":0,"bytesUsed":0,"bytesCapacity":0,"requests":0,"hits":0,"bytesServed":0,"bytesFromUpstream":0}'
for site in ams:10.10.0.1 fra:10.20.0.1 lon:10.30.0.1; do
  name=${site%%:*}; addr=${site#*:}
  api /api/v1/nodes "{\"nodeId\":\"edge-$name\",\"role\":\"edge\",\"site\":\"$name\",\"addresses\":[\"$addr\"],\"capacityGbps\":10,\"version\":\"bench\"}"
  api "/api/v1/nodes/edge-$name/heartbeat" "{\"nodeId\":\"edge-$name\",$HB}"
done

# Both must give the same answers before we compare speed.
for args in "" "+subnet=10.1.2.0/24" "+subnet=10.3.9.0/24"; do
  ours=$(dig +short @127.0.0.1 -p "$OUR_PORT" video.cdn.test A $args)
  knot=$(dig +short @127.0.0.1 -p "$KNOT_PORT" video.cdn.test A $args)
  [ "$ours" = "$knot" ] || { echo "answers differ for '$args': ours '$ours', knot '$knot'" >&2; exit 1; }
  echo "   same answer for '${args:-no ECS}': $ours"
done

printf 'video.cdn.test A\n' > "$WORK/queries.txt"
# ECS option (code 8): family 1, source /24, scope 0, address 10.1.2 (hex), as dnsperf -E code:hexvalue.
ECS="8:000118000a0102"

CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }  # utime + stime of the server process

# run PORT PID [dnsperf args...] -> "qps queries cpu_seconds"
run() {
  local port=$1 pid=$2; shift 2
  taskset -c "$DNSPERF_CPUS" dnsperf -s 127.0.0.1 -p "$port" -d "$WORK/queries.txt" -c "$CLIENTS" -T 1 -q 200 -l 2 "$@" >/dev/null 2>&1 || true  # warm-up
  local before after out
  before=$(cpu_ticks "$pid")
  out=$(taskset -c "$DNSPERF_CPUS" dnsperf -s 127.0.0.1 -p "$port" -d "$WORK/queries.txt" -c "$CLIENTS" -T 1 -q 200 -l "$DURATION" "$@" 2>&1)
  after=$(cpu_ticks "$pid")
  echo "$out" >> "$WORK/dnsperf.log"
  local qps completed
  qps=$(echo "$out" | awk '/Queries per second/ { print $4 }')
  completed=$(echo "$out" | awk '/Queries completed/ { print $3 }')
  echo "$qps $completed $(awk -v a="$before" -v b="$after" -v t="$CLK_TCK" 'BEGIN { printf "%.2f", (b - a) / t }')"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

echo "== dnsperf: $ROUNDS rounds of $DURATION s per server and mode (alternating servers), $CLIENTS clients, dnsperf on cores $DNSPERF_CPUS"
results=()
for mode in plain ecs; do
  extra=()
  [ "$mode" = ecs ] && extra=(-E "$ECS")
  : > "$WORK/ours.$mode"; : > "$WORK/knot.$mode"
  for round in $(seq 1 "$ROUNDS"); do
    # Alternate which server goes first so slow drifts in machine load hit both alike.
    if [ $((round % 2)) -eq 1 ]; then order="ours knot"; else order="knot ours"; fi
    for who in $order; do
      if [ "$who" = ours ]; then port=$OUR_PORT; pid=$OUR_PID; else port=$KNOT_PORT; pid=$KNOT_PID; fi
      read -r qps n cpu < <(run "$port" "$pid" "${extra[@]}")
      awk -v q="$qps" -v n="$n" -v c="$cpu" 'BEGIN { printf "%s %s\n", q, (c > 0 ? n / c : 0) }' >> "$WORK/$who.$mode"
      printf '   %-5s %-4s round %d: %8.0f qps\n' "$mode" "$who" "$round" "$qps"
    done
  done
  oq=$(awk '{ print $1 }' "$WORK/ours.$mode" | median); kq=$(awk '{ print $1 }' "$WORK/knot.$mode" | median)
  oe=$(awk '{ print $2 }' "$WORK/ours.$mode" | median); ke=$(awk '{ print $2 }' "$WORK/knot.$mode" | median)
  results+=("$(awk -v m="$mode" -v oq="$oq" -v kq="$kq" -v oe="$oe" -v ke="$ke" 'BEGIN {
    printf "%-6s median qps: controlplane %8.0f  knot %8.0f  ratio %.2fx | queries per server CPU-second: controlplane %8.0f  knot %8.0f  ratio %.2fx", m, oq, kq, (kq > 0 ? oq / kq : 0), oe, ke, (ke > 0 ? oe / ke : 0) }')")
done

lost=$(grep -E "Queries lost" "$WORK/dnsperf.log" | awk '{ print $3 }' | paste -sd, -)
echo
echo "== results (queries lost per run: $lost)"
printf '%s\n' "${results[@]}"
