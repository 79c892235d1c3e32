#!/usr/bin/env bash
# +trace against the critical-path floor and against drill -T and dig +trace, on the
# test hierarchy (examples/lab.rs) with a per-server delay: root 10 ms, TLD 20 ms,
# authoritative 30 ms. Runs inside a private network and mount namespace (only `lo`,
# a lab /etc/hosts and resolv.conf), so no tool can reach anything but the lab.
#
#   bash benches/trace.sh            # 20 runs per tool and name
#   RUNS=50 bash benches/trace.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/common.sh
RUNS=${RUNS:-20}
DELAYS=${DELAYS:-10,20,30}

if [ -z "${DNSCOPE_BENCH_INSIDE:-}" ]; then
  ensure_tools drill:ldnsutils dig:bind9-dnsutils hyperfine:hyperfine
  cargo build --release --locked -q
  cargo build --release --locked -q --example lab
  RUNS="$RUNS" DELAYS="$DELAYS" enter_private_network "$0" "$@"
fi

private_setup
# dig +trace resolves every name server name with getaddrinfo, drill -T the glueless
# ones through resolv.conf: give both the lab's view and nothing else.
cat > "$work/hosts" <<HOSTS
127.0.0.1 localhost
127.0.0.10 a.root.lab
127.0.0.20 a.gtld.com
127.0.0.21 a.gtld.net
127.0.0.22 a.gtld.org
127.0.0.23 ns.awsdns-01.org
127.0.0.25 ns.awsdns-02.net
127.0.0.24 ns.cloudfront.net
127.0.0.30 ns-1.awsdns-01.org ns-2.awsdns-02.net
127.0.0.31 ns1.shop.com
HOSTS
echo "nameserver 127.0.0.10" > "$work/resolv.conf"
mount --bind "$work/hosts" /etc/hosts
# drill without the lab's hosts file: glueless names go to resolv.conf, as drill does.
printf '127.0.0.1 localhost\n' > "$work/hosts.empty"
printf '#!/bin/sh\nmount --bind %s /etc/hosts && exec "$@"\n' "$work/hosts.empty" > "$work/nohosts.sh"
chmod +x "$work/nohosts.sh"
mount --bind "$work/resolv.conf" /etc/resolv.conf

target/release/examples/lab --delay "$DELAYS" > "$work/lab.out" & echo $! > "$work/lab.pid"
for _ in $(seq 50); do [ -s "$work/lab.out" ] && break; sleep 0.1; done
port=$(sed 's/.*port=\([0-9]*\).*/\1/' "$work/lab.out")
hints=$(sed 's/.*hints=//' "$work/lab.out")
IFS=, read -r root tld auth <<< "$DELAYS"

dnscope=$PWD/target/release/dnscope
# name | round trips on the critical path | what a complete answer contains
scenarios=(
  "www.shop.com|$((root + tld + auth))|192.0.2.31"
  "www.palette.com|$((root + tld + root + tld + auth + auth + root + tld + auth))|192.0.2.80"
)
printf '%s\n' "per-server delay: root ${root} ms, TLD ${tld} ms, authoritative ${auth} ms; ${RUNS} runs each; medians"
echo "drill and dig take name server addresses from a lab /etc/hosts (dig +trace looks every NS name up"
echo "with getaddrinfo); drill-nohosts is drill without it. dig +trace stops at a CNAME."
printf '%-16s %-14s %8s %8s %10s  %s\n' name tool "ms" "floor" "vs floor" "result"
for scenario in "${scenarios[@]}"; do
  IFS='|' read -r name floor expect <<< "$scenario"
  declare -A cmd=(
    [dnscope]="$dnscope +trace --root-hints $hints -p $port $name"
    [drill]="drill -T -r $hints -p $port $name"
    [drill-nohosts]="unshare --mount $work/nohosts.sh drill -T -r $hints -p $port $name"
    [dig]="dig +trace -p $port @127.0.0.10 $name"
  )
  for tool in dnscope drill drill-nohosts dig; do
    [ "$tool" = dnscope ] || command -v "${tool%%-*}" >/dev/null || continue
    if timeout 20 ${cmd[$tool]} 2>&1 | grep -q "$expect"; then result="complete answer"; else result="no final answer"; fi
    hyperfine -N -i --warmup 2 --runs "$RUNS" --export-json "$work/$tool.json" "${cmd[$tool]}" >/dev/null 2>&1
    median=$(python3 -c "import json,sys; print(round(json.load(open(sys.argv[1]))['results'][0]['median']*1000, 1))" "$work/$tool.json")
    ratio=$(python3 -c "print(f'{$median/$floor:.2f}x')")
    printf '%-16s %-14s %8s %8s %10s  %s\n' "$name" "$tool" "$median" "$floor" "$ratio" "$result"
  done
done

# The hedged query: the same depth of walk with and without a silent name server first
# (ns1.dead.com. never answers; the attempt timeout is the default 800 ms).
echo
echo "past a silent name server, dnscope with its default timeout; ${RUNS} runs each; medians"
declare -A past
for name in www.shop.com www.dead.com; do
  hyperfine -N -i --warmup 2 --runs "$RUNS" --export-json "$work/past.json" \
    "$dnscope +trace --root-hints $hints -p $port $name" >/dev/null 2>&1
  past[$name]=$(python3 -c "import json,sys; print(round(json.load(open(sys.argv[1]))['results'][0]['median']*1000, 1))" "$work/past.json")
  printf '%-16s %8s ms\n' "$name" "${past[$name]}"
done
python3 -c "print(f'a silent server costs {${past[www.dead.com]} - ${past[www.shop.com]}:.1f} ms (target: at most 400)')"
