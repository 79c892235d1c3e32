#!/usr/bin/env bash
# A batch of NAMES names (default 100 000) against a real authoritative server (Knot)
# on 127.0.0.1: dnscope -f next to dnsperf (the client-side ceiling on this machine)
# and dig -f (sequential; run on a slice of the names, as it is slow). Runs inside a
# private network namespace (only `lo`).
#
# Every round runs each tool once, one after the other, and each dnscope rate is taken
# as a share of the same round's dnsperf rate at the same number of queries in flight
# (dnscope's defaults keep 16 in flight per server; JOBS, default 100, is dnsperf's own
# default), because on a shared machine the ceiling itself moves from minute to minute.
# Prints, per row, the median rate and the lowest and median share over ROUNDS rounds
# (default 5).
#
#   bash benches/batch.sh
#   ROUNDS=3 NAMES=20000 JOBS=32 bash benches/batch.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/common.sh
NAMES=${NAMES:-100000}
DIG_NAMES=${DIG_NAMES:-5000}
# dnsperf's -q and dnscope's -j and --max-per-server in the equal-concurrency rows.
JOBS=${JOBS:-100}
ROUNDS=${ROUNDS:-5}
PORT=5399

if [ -z "${DNSCOPE_BENCH_INSIDE:-}" ]; then
  ensure_tools knotd:knot kdig:knot-dnsutils dig:bind9-dnsutils dnsperf:dnsperf
  cargo build --release --locked -q
  NAMES="$NAMES" DIG_NAMES="$DIG_NAMES" JOBS="$JOBS" ROUNDS="$ROUNDS" enter_private_network "$0" "$@"
fi

private_setup
start_knot $PORT "* IN A 192.0.2.10"

seq 1 "$NAMES" | sed 's/^/n/; s/$/.example.test A/' > "$work/names.txt"
head -n "$DIG_NAMES" "$work/names.txt" > "$work/dig-names.txt"
results="$work/results"

# run LABEL NAMES CMD...: runs CMD once and records "round label names start end answered".
run() {
  local label=$1 names=$2 s e
  shift 2
  s=$(date +%s.%N)
  "$@" > "$work/out" 2> "$work/err" || true
  e=$(date +%s.%N)
  echo "$round $label $names $s $e $(grep -c -e '"status":"answer"' -e '^192\.0\.2\.10$' "$work/out" || true)" >> "$results"
}

dnscope=(target/release/dnscope -f "$work/names.txt" @127.0.0.1 -p $PORT)
for round in $(seq "$ROUNDS"); do
  for q in 16 "$JOBS"; do
    # dnsperf reports its own rate (without its start-up); the row keeps that figure.
    qps=$(dnsperf -s 127.0.0.1 -p $PORT -d "$work/names.txt" -n 1 -q "$q" 2>&1 | awk '/Queries per second/ {print $4}')
    echo "$round dnsperf-$q $NAMES 0 $(python3 -c "print($NAMES / $qps)") $NAMES" >> "$results"
  done
  run "json-$JOBS" "$NAMES" "${dnscope[@]}" -j "$JOBS" --max-per-server "$JOBS" --json
  run "short-$JOBS" "$NAMES" "${dnscope[@]}" -j "$JOBS" --max-per-server "$JOBS" +short
  run json-16 "$NAMES" "${dnscope[@]}" --json
  run short-16 "$NAMES" "${dnscope[@]}" +short
  run dig "$DIG_NAMES" dig -p $PORT @127.0.0.1 -f "$work/dig-names.txt" +short
done

echo "batch of $NAMES names against Knot on 127.0.0.1 (1 UDP worker), $(nproc) cores, $ROUNDS rounds"
python3 - "$results" "$JOBS" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    rnd, label, names, start, end, answered = line.split()
    rate = int(names) / (float(end) - float(start))
    rows.setdefault(label, {})[rnd] = (rate, int(answered), int(names))
jobs = sys.argv[2]
dig = rows["dig"]
# (row, label, the dnsperf row it is compared with)
table = [
    (f"dnsperf-{jobs}", f"dnsperf -q {jobs}", f"dnsperf-{jobs}"),
    (f"json-{jobs}", f"dnscope -f --json -j {jobs}", f"dnsperf-{jobs}"),
    (f"short-{jobs}", f"dnscope -f +short -j {jobs}", f"dnsperf-{jobs}"),
    ("dnsperf-16", "dnsperf -q 16", "dnsperf-16"),
    ("json-16", "dnscope -f --json (defaults)", "dnsperf-16"),
    ("short-16", "dnscope -f +short (defaults)", "dnsperf-16"),
    ("dig", "dig -f (sequential)", "dig"),
]
print(f"{'tool (in flight)':32} {'median/s':>9} {'of dnsperf: min':>16} {'median':>7} {'x dig -f: min':>14} {'median':>7}  answered")
for key, label, ceiling in table:
    runs, perf = rows[key], rows[ceiling]
    rates = [r for r, _, _ in runs.values()]
    shares = [runs[n][0] / perf[n][0] for n in runs]
    over_dig = [runs[n][0] / dig[n][0] for n in runs]
    answered = "" if key.startswith(("dnsperf", "dig")) else \
        f"{min(a for _, a, _ in runs.values())}/{runs[next(iter(runs))][2]} (fewest in a round)"
    share = ("", "") if key == "dig" else (f"{min(shares):.0%}", f"{statistics.median(shares):.0%}")
    print(f"{label:32} {statistics.median(rates):9.0f} {share[0]:>16} {share[1]:>7}"
          f" {min(over_dig):13.1f}x {statistics.median(over_dig):6.1f}x  {answered}")
PY
