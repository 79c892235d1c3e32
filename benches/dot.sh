#!/usr/bin/env bash
# DNS over TLS against an unbound on 127.0.0.1:853 (answers from local data): one query
# on a new connection, and ten queries on one command line, for dnscope (which keeps the
# session) and kdig (+keepopen keeps it too; without it kdig opens one per query). Prints
# median wall time and the ratio. Runs in a private network namespace (only `lo`).
#
#   bash benches/dot.sh            # defaults: 100 runs per command
#   RUNS=300 bash benches/dot.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/common.sh
RUNS=${RUNS:-100}

if [ -z "${DNSCOPE_BENCH_INSIDE:-}" ]; then
  ensure_tools unbound:unbound kdig:knot-dnsutils hyperfine:hyperfine
  cargo build --release --locked -q
  cargo build --release --locked -q --example certs
  RUNS="$RUNS" enter_private_network "$0" "$@"
fi

private_setup
target/release/examples/certs "$work/tls" dns.bench 127.0.0.1
{
  cat <<CONF
server:
  interface: 127.0.0.1@853
  tls-port: 853
  tls-service-key: "$work/tls/good.key"
  tls-service-pem: "$work/tls/good.pem"
  do-daemonize: no
  username: ""
  chroot: ""
  directory: "$work"
  pidfile: "$work/unbound.pid"
  use-syslog: no
  access-control: 127.0.0.0/8 allow
  local-zone: "bench.test." static
CONF
  for i in $(seq 10); do printf '  local-data: "n%d.bench.test. 300 IN A 192.0.2.%d"\n' "$i" "$i"; done
} > "$work/unbound.conf"
unbound -d -c "$work/unbound.conf" 2>"$work/unbound.log" & echo $! > "$work/unbound.pid.bg"
trap 'kill $(cat "$work/unbound.pid.bg") 2>/dev/null; private_cleanup' EXIT
for _ in $(seq 50); do
  kdig @127.0.0.1 +tls +timeout=1 +retry=0 +short n1.bench.test 2>/dev/null | grep -q 192.0.2.1 && break
  sleep 0.1
done

dnscope=$PWD/target/release/dnscope
ca="$work/tls/ca.pem"
ten=$(for i in $(seq 10); do printf 'n%d.bench.test ' "$i"; done)
declare -A cmd=(
  [dnscope-1]="$dnscope +tls +tls-ca=$ca @127.0.0.1 n1.bench.test"
  [kdig-1]="kdig +tls-ca=$ca +tls-hostname=dns.bench @127.0.0.1 n1.bench.test"
  [dnscope-10]="$dnscope +tls +tls-ca=$ca @127.0.0.1 $ten"
  [kdig-10-keepopen]="kdig +tls-ca=$ca +tls-hostname=dns.bench +keepopen @127.0.0.1 $ten"
  [kdig-10]="kdig +tls-ca=$ca +tls-hostname=dns.bench @127.0.0.1 $ten"
)
order=(dnscope-1 kdig-1 dnscope-10 kdig-10-keepopen kdig-10)
for t in "${order[@]}"; do
  got=$(${cmd[$t]} 2>&1 | grep -c '192\.0\.2\.' || true)
  want=1; [[ $t == *10* ]] && want=10
  [ "$got" -ge "$want" ] || { echo "$t got $got answers, not $want" >&2; ${cmd[$t]} >&2 || true; exit 1; }
done

args=()
for t in "${order[@]}"; do args+=(-n "$t" "${cmd[$t]}"); done
hyperfine -N --warmup 5 --runs "$RUNS" --export-json "$work/times.json" "${args[@]}" >/dev/null 2>&1

python3 - "$work/times.json" "$RUNS" <<'PY'
import json, sys, platform, os
times = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
print(f"DNS over TLS to unbound on 127.0.0.1:853, start to exit, {sys.argv[2]} runs each, {os.cpu_count()} cores, {platform.machine()}")
print(f"{'command':<18} {'median ms':>10} {'mean ms':>9} {'stddev':>8}")
for name, r in times.items():
    print(f"{name:<18} {r['median'] * 1000:>10.2f} {r['mean'] * 1000:>9.2f} {r['stddev'] * 1000:>8.2f}")
for a, b in [("dnscope-1", "kdig-1"), ("dnscope-10", "kdig-10-keepopen"), ("dnscope-10", "kdig-10")]:
    print(f"{a} / {b}: {times[a]['median'] / times[b]['median']:.2f}")
PY
