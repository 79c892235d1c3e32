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
NAMES=${NAMES:-100000}
DIG_NAMES=${DIG_NAMES:-5000}
JOBS=${JOBS:-16}
PORT=5399

if [ -z "${DNSCOPE_BENCH_INSIDE:-}" ]; then
  need=()
  for pair in knotd:knot dig:bind9-dnsutils dnsperf:dnsperf; do
    command -v "${pair%%:*}" >/dev/null || need+=("${pair#*:}")
  done
  if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
  cargo build --release --locked -q
  exec unshare --net --mount env DNSCOPE_BENCH_INSIDE=1 NAMES="$NAMES" DIG_NAMES="$DIG_NAMES" JOBS="$JOBS" bash "$0" "$@"
fi

ip link set lo up
work=$(mktemp -d)
trap 'kill "$(cat "$work/knotd.pid" 2>/dev/null)" 2>/dev/null || true; umount /etc/resolv.conf 2>/dev/null || true; rm -rf "$work"' EXIT
echo "nameserver 127.0.0.1" > "$work/resolv.conf"
mount --bind "$work/resolv.conf" /etc/resolv.conf

cat > "$work/example.test.zone" <<ZONE
\$ORIGIN example.test.
\$TTL 300
@    IN SOA ns1 hostmaster 1 7200 3600 1209600 300
@    IN NS  ns1
ns1  IN A   127.0.0.1
*    IN A   192.0.2.10
ZONE
mkdir -p "$work/db"
cat > "$work/knot.conf" <<CONF
server:
    rundir: "$work"
    listen: 127.0.0.1@$PORT
    background-workers: 1
    udp-workers: 1
    tcp-workers: 1
database:
    storage: "$work/db"
template:
  - id: default
    storage: "$work"
    file: "%s.zone"
zone:
  - domain: example.test
log:
  - target: stderr
    any: error
CONF
knotd -c "$work/knot.conf" & echo $! > "$work/knotd.pid"
for _ in $(seq 50); do
  dig @127.0.0.1 -p $PORT +short +time=1 +tries=1 n1.example.test A >/dev/null 2>&1 && break
  sleep 0.1
done

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
