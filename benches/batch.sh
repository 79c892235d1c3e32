#!/usr/bin/env bash
# A batch of NAMES names (default 100 000) against a real authoritative server (Knot)
# on 127.0.0.1: dnscope -f next to dnsperf (the client-side ceiling on this machine)
# and dig -f (sequential; run on a slice of the names, as it is slow). Prints names per
# second and the ratios. Runs inside a private network namespace (only `lo`).
#
#   bash benches/batch.sh
#   NAMES=20000 JOBS=32 bash benches/batch.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/common.sh
NAMES=${NAMES:-100000}
DIG_NAMES=${DIG_NAMES:-5000}
JOBS=${JOBS:-16}
PORT=5399

if [ -z "${DNSCOPE_BENCH_INSIDE:-}" ]; then
  ensure_tools knotd:knot kdig:knot-dnsutils dig:bind9-dnsutils dnsperf:dnsperf
  cargo build --release --locked -q
  NAMES="$NAMES" DIG_NAMES="$DIG_NAMES" JOBS="$JOBS" enter_private_network "$0" "$@"
fi

private_setup
start_knot $PORT "* IN A 192.0.2.10"

seq 1 "$NAMES" | sed 's/^/n/; s/$/.example.test A/' > "$work/names.txt"
head -n "$DIG_NAMES" "$work/names.txt" > "$work/dig-names.txt"

rate() { python3 -c "import sys; print(f'{int(sys.argv[1]) / float(sys.argv[2]):.0f}')" "$1" "$2"; }
timed() { local s e; s=$(date +%s.%N); "$@" > "$work/out" 2>"$work/err" || true; e=$(date +%s.%N); python3 -c "print($e - $s)"; }

dnsperf_out=$(dnsperf -s 127.0.0.1 -p $PORT -d "$work/names.txt" -n 1 -q 100 2>&1)
dnsperf_qps=$(echo "$dnsperf_out" | awk '/Queries per second/ {print int($4)}')
dnsperf_lost=$(echo "$dnsperf_out" | awk '/Queries lost/ {print $3}')

secs=$(timed target/release/dnscope -f "$work/names.txt" @127.0.0.1 -p $PORT -j "$JOBS" --max-per-server "$JOBS" --json)
answered=$(grep -c '"status":"answer"' "$work/out" || true)
dnscope_json=$(rate "$NAMES" "$secs")
secs_short=$(timed target/release/dnscope -f "$work/names.txt" @127.0.0.1 -p $PORT -j "$JOBS" --max-per-server "$JOBS" +short)
dnscope_short=$(rate "$NAMES" "$secs_short")

dig_secs=$(timed dig -p $PORT @127.0.0.1 -f "$work/dig-names.txt" +short)
dig_rate=$(rate "$DIG_NAMES" "$dig_secs")

echo "batch against Knot on 127.0.0.1 (1 UDP worker), $(nproc) cores; dnscope -j $JOBS"
printf '%-28s %12s  %s\n' tool "names/s" "note"
printf '%-28s %12s  %s\n' "dnsperf -q 100" "$dnsperf_qps" "$NAMES names, lost: $dnsperf_lost"
printf '%-28s %12s  %s\n' "dnscope -f --json" "$dnscope_json" "$NAMES names, $answered answered, $(python3 -c "print(f'{$dnscope_json/$dnsperf_qps:.0%} of dnsperf, {$dnscope_json/$dig_rate:.0f}x dig -f')")"
printf '%-28s %12s  %s\n' "dnscope -f +short" "$dnscope_short" "$(python3 -c "print(f'{$dnscope_short/$dnsperf_qps:.0%} of dnsperf, {$dnscope_short/$dig_rate:.0f}x dig -f')")"
printf '%-28s %12s  %s\n' "dig -f (sequential)" "$dig_rate" "$DIG_NAMES names"
