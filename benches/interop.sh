#!/usr/bin/env bash
# dnscope against kdig, drill and dig on the real interop hierarchy (NSD, Knot, BIND,
# unbound; tests/interop/), without delay and with a per-level delay (root 10 ms, TLD
# 20 ms, authoritative 30 ms) added by a relay in front of every server. Prints one
# Markdown table of medians, the ratio dnscope/tool and peak RSS.
#
#   bash benches/interop.sh
#   RUNS=20 bash benches/interop.sh
set -euo pipefail
cd "$(dirname "$0")/.."
echo "| delay root,TLD,auth ms | what | tool | median ms | dnscope/tool | peak RSS MB | result |"
echo "|---|---|---|---|---|---|---|"
for delays in 0,0,0 10,20,30; do
  RUNS="${RUNS:-10}" bash tests/interop/run.sh bench "$delays" | grep '^|'
done
