#!/usr/bin/env bash
# A zone transfer of 100 000 records from Knot on loopback: dnscope against dig and kdig,
# each writing the zone's text to /dev/null. Prints median wall time, the ratio, and peak
# RSS; and dnscope's peak RSS for a zone ten times smaller, to show that the transfer
# streams (its memory does not grow with the zone). Everything runs in a private network
# namespace (only `lo`), so no tool can send a packet off this machine.
#
#   bash benches/axfr.sh            # defaults: 10 runs per tool
#   RUNS=30 bash benches/axfr.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/common.sh
RUNS=${RUNS:-10}
PORT=5398

if [ -z "${DNSCOPE_BENCH_INSIDE:-}" ]; then
  ensure_tools knotd:knot kdig:knot-dnsutils dig:bind9-dnsutils hyperfine:hyperfine /usr/bin/time:time
  cargo build --release --locked -q
  RUNS="$RUNS" enter_private_network "$0" "$@"
fi

private_setup
# SOA, NS and ns1's address are three records; 99 997 more make 100 000.
records() { python3 -c "
import sys
n = int(sys.argv[1])
print('\n'.join(f'host{i} IN A 10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}' for i in range(n)))" "$1"; }
export KNOT_ACL=$'acl:\n  - id: transfer\n    address: 127.0.0.0/8\n    action: transfer'
export KNOT_ZONE_EXTRA='    acl: transfer'
start_knot $PORT "$(records 99997)"

dnscope=$PWD/target/release/dnscope
declare -A cmd=(
  [dnscope]="$dnscope @127.0.0.1 -p $PORT example.test AXFR"
  [dnscope-json]="$dnscope @127.0.0.1 -p $PORT example.test AXFR --json"
  [dig]="dig @127.0.0.1 -p $PORT example.test AXFR"
  [kdig]="kdig @127.0.0.1 -p $PORT example.test AXFR"
)
tools=(dnscope dnscope-json dig kdig)

# Each tool must transfer the whole zone (the SOA twice: 100 001 lines) before it is timed.
for t in "${tools[@]}"; do
  got=$(${cmd[$t]} 2>/dev/null | grep -c 'IN' || true)
  [ "$t" = dnscope-json ] && got=$(${cmd[$t]} | python3 -c "import json,sys; print(json.loads(sys.stdin.readlines()[-1])['records'])")
  [ "$got" -ge 100001 ] || { echo "$t transferred $got records, not 100001" >&2; exit 1; }
done

args=()
for t in "${tools[@]}"; do args+=(-n "$t" "${cmd[$t]}"); done
hyperfine -N --warmup 2 --runs "$RUNS" --output=null --export-json "$work/times.json" "${args[@]}" >/dev/null 2>&1

peak() { # COMMAND...: the largest peak RSS (KiB) of five runs
  local most=0 kb _
  for _ in 1 2 3 4 5; do
    kb=$(/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1)
    [ "$kb" -gt "$most" ] && most=$kb
  done
  echo "$most"
}
for t in "${tools[@]}"; do echo "$t $(peak ${cmd[$t]})" >> "$work/rss.txt"; done

# The same transfer of a zone of 10 000 records, for dnscope's memory only.
kill "$(cat "$work/knotd.pid")"; sleep 0.5
start_knot $PORT "$(records 9997)"
echo "dnscope-10k $(peak ${cmd[dnscope]})" >> "$work/rss.txt"

python3 - "$work/times.json" "$work/rss.txt" "$RUNS" <<'PY'
import json, sys, platform, os
times = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
rss = dict(line.split() for line in open(sys.argv[2]))
base = times["dnscope"]["median"]
print(f"AXFR of 100 000 records from Knot on loopback, output to /dev/null, {sys.argv[3]} runs each, "
      f"{os.cpu_count()} cores, {platform.machine()}")
print(f"{'tool':<13} {'median ms':>10} {'mean ms':>9} {'stddev':>8} {'dnscope/tool':>13} {'peak RSS':>10}")
for name, r in times.items():
    print(f"{name:<13} {r['median'] * 1000:>10.1f} {r['mean'] * 1000:>9.1f} {r['stddev'] * 1000:>8.1f} "
          f"{base / r['median']:>13.2f} {int(rss[name]) / 1024:>8.1f} MB")
print(f"dnscope's peak RSS for 10 000 records: {int(rss['dnscope-10k']) / 1024:.1f} MB "
      f"(100 000: {int(rss['dnscope']) / 1024:.1f} MB)")
PY
