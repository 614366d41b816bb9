#!/usr/bin/env bash
# The main job (README): builds everything and runs what exists end to end.
# Today: the cache engine's trace-driven policy simulator over Zipf traces — the engine's eviction code,
# LRU vs S3-FIFO vs W-TinyLFU vs offline-optimal Belady, object and byte hit ratios per cache size.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build EdgeNode.sln -c Release -v quiet -nologo
dotnet bench/PolicySim/bin/Release/net10.0/policysim.dll zipf --alpha 0.6,0.8,1.0 "$@"
