#!/usr/bin/env bash
# One query, start to exit: dnscope against kdig, drill and dig, each asking the same
# Knot server on 127.0.0.1 for the same name. Prints median wall time, the ratio
# dnscope/peer, and peak RSS. Everything runs inside a private network namespace
# (only `lo`) with its own resolv.conf, so no tool can send a packet off this machine.
#
#   bash benches/query.sh            # defaults: 500 runs per tool
#   RUNS=2000 bash benches/query.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/common.sh
RUNS=${RUNS:-500}
PORT=5399

if [ -z "${DNSCOPE_BENCH_INSIDE:-}" ]; then
  ensure_tools knotd:knot kdig:knot-dnsutils drill:ldnsutils dig:bind9-dnsutils hyperfine:hyperfine /usr/bin/time:time
  cargo build --release --locked -q
  RUNS="$RUNS" enter_private_network "$0" "$@"
fi

private_setup
start_knot $PORT "www IN A 192.0.2.10
www IN A 192.0.2.11"

dnscope=$PWD/target/release/dnscope
declare -A cmd=(
  [dnscope]="$dnscope @127.0.0.1 -p $PORT www.example.test A"
  [kdig]="kdig @127.0.0.1 -p $PORT www.example.test A"
  [drill]="drill -p $PORT www.example.test A @127.0.0.1"
  [dig]="dig @127.0.0.1 -p $PORT www.example.test A"
)
tools=(dnscope)
for t in kdig drill dig; do command -v "$t" >/dev/null && tools+=("$t"); done

# Each tool must get the answer before it is timed.
for t in "${tools[@]}"; do
  ${cmd[$t]} 2>&1 | grep -q 192.0.2.10 || { echo "$t did not get the answer" >&2; exit 1; }
done

args=()
for t in "${tools[@]}"; do args+=(-n "$t" "${cmd[$t]}"); done
hyperfine -N --warmup 20 --runs "$RUNS" --export-json "$work/times.json" "${args[@]}" >/dev/null 2>&1

for t in "${tools[@]}"; do
  peak=0
  for _ in $(seq 20); do
    kb=$(/usr/bin/time -f %M ${cmd[$t]} 2>&1 >/dev/null | tail -1)
    [ "$kb" -gt "$peak" ] && peak=$kb
  done
  echo "$t $peak" >> "$work/rss.txt"
done

python3 - "$work/times.json" "$work/rss.txt" "$RUNS" <<'PY'
import json, sys, platform, os
times = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
rss = dict(line.split() for line in open(sys.argv[2]))
base = times["dnscope"]["median"]
print(f"one query, start to exit, {sys.argv[3]} runs each, {os.cpu_count()} cores, {platform.machine()}")
print(f"{'tool':<8} {'median ms':>10} {'mean ms':>9} {'stddev':>8} {'dnscope/tool':>13} {'peak RSS':>10}")
for name, r in times.items():
    print(f"{name:<8} {r['median']*1e3:>10.3f} {r['mean']*1e3:>9.3f} {r['stddev']*1e3:>8.3f} "
          f"{base / r['median']:>13.2f} {int(rss[name])/1024:>8.1f} MB")
PY
