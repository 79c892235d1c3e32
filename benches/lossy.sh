#!/usr/bin/env bash
# A batch against a lossy server: Knot on 127.0.0.1 behind a firewall rule that drops
# LOSS% (default 50) of the queries at random, inside a private network namespace.
# dnscope -f (its defaults: 16 in flight, 3 tries) next to dnsperf at the same number of
# queries in flight and the same timeout (dnsperf never retries: it loses what is
# dropped). Also 32 lines to a server that drops everything, at --timeout 300ms
# --tries 1: a silent line must cost one query and its timeout, in parallel.
#
# The floor for dnscope is the time its timeouts take when they overlap perfectly:
# names x (LOSS + LOSS^2 + LOSS^3) x TIMEOUT / in-flight.
#
#   bash benches/lossy.sh
#   NAMES=2000 LOSS=30 TIMEOUT=1 ROUNDS=3 bash benches/lossy.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/common.sh
NAMES=${NAMES:-1000}
LOSS=${LOSS:-50}
# Whole seconds: dnsperf's -t takes seconds.
TIMEOUT=${TIMEOUT:-1}
INFLIGHT=${INFLIGHT:-16}
ROUNDS=${ROUNDS:-3}
PORT=5399
SILENT_PORT=5400

if [ -z "${DNSCOPE_BENCH_INSIDE:-}" ]; then
  ensure_tools knotd:knot kdig:knot-dnsutils dnsperf:dnsperf nft:nftables
  cargo build --release --locked -q
  NAMES="$NAMES" LOSS="$LOSS" TIMEOUT="$TIMEOUT" INFLIGHT="$INFLIGHT" ROUNDS="$ROUNDS" \
    enter_private_network "$0" "$@"
fi

private_setup
start_knot $PORT "* IN A 192.0.2.10"
# Queries only (replies go to the client's own port), chosen at random per packet.
nft add table inet lossy
nft add chain inet lossy input '{ type filter hook input priority 0; }'
nft add rule inet lossy input udp dport $PORT numgen random mod 100 "<" "$LOSS" counter drop
nft add rule inet lossy input udp dport $SILENT_PORT counter drop

seq 1 "$NAMES" | sed 's/^/n/; s/$/.example.test A/' > "$work/names.txt"
seq 1 32 | sed 's/^/s/; s/$/.example.test A/' > "$work/silent.txt"
dropped() { nft list chain inet lossy input | awk -v port="$1" '$0 ~ "dport " port {for (i = 1; i <= NF; i++) if ($i == "packets") print $(i + 1)}'; }

printf '%-34s %9s %9s %10s %9s\n' "run" "seconds" "names/s" "answered" "dropped"
for round in $(seq "$ROUNDS"); do
  before=$(dropped $PORT)
  s=$(date +%s.%N)
  target/release/dnscope -f "$work/names.txt" @127.0.0.1 -p $PORT --timeout "${TIMEOUT}s" +short \
    > "$work/out" 2> /dev/null || true
  e=$(date +%s.%N)
  answered=$(grep -c '^192\.0\.2\.10$' "$work/out" || true)
  printf '%-34s %9.2f %9.0f %10s %9s\n' "dnscope -f (round $round)" "$(echo "$e - $s" | bc)" \
    "$(echo "$NAMES / ($e - $s)" | bc -l)" "$answered/$NAMES" "$(( $(dropped $PORT) - before ))"

  before=$(dropped $PORT)
  s=$(date +%s.%N)
  dnsperf -s 127.0.0.1 -p $PORT -d "$work/names.txt" -n 1 -q "$INFLIGHT" -t "$TIMEOUT" > "$work/perf" 2>&1 || true
  e=$(date +%s.%N)
  completed=$(awk '/Queries completed/ {print $3}' "$work/perf")
  printf '%-34s %9.2f %9.0f %10s %9s\n' "dnsperf -q $INFLIGHT -t $TIMEOUT (round $round)" "$(echo "$e - $s" | bc)" \
    "$(echo "$NAMES / ($e - $s)" | bc -l)" "$completed/$NAMES" "$(( $(dropped $PORT) - before ))"

  before=$(dropped $SILENT_PORT)
  s=$(date +%s.%N)
  target/release/dnscope -f "$work/silent.txt" @127.0.0.1 -p $SILENT_PORT --timeout 300ms --tries 1 +short \
    > /dev/null 2>&1 || true
  e=$(date +%s.%N)
  printf '%-34s %9.2f %9s %10s %9s\n' "32 silent lines (round $round)" "$(echo "$e - $s" | bc)" "" "0/32" \
    "$(( $(dropped $SILENT_PORT) - before ))"
done
python3 -c "
p = $LOSS / 100
print(f'floor for dnscope: {$NAMES} x {p + p**2 + p**3:.3f} timeouts x ${TIMEOUT}s / $INFLIGHT = {$NAMES * (p + p**2 + p**3) * $TIMEOUT / $INFLIGHT:.2f}s;'
      f' dnsperf loses about {p:.0%} and waits {$NAMES * p * $TIMEOUT / $INFLIGHT:.2f}s for them')"
