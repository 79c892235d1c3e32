#!/usr/bin/env bash
# DNSSEC validation's cost: +trace against +trace +dnssec on the signed lab hierarchy
# (examples/lab.rs --signed: a signed root, com. and signed.com., ECDSA P-256), each
# server delayed by its level. Validation asks each signed zone's DNSKEY RRset at the
# same time as the walk's question to it, so the target is at most 1.3x the plain
# trace. Also drill -TD with the same anchor. Inside a private network namespace.
#
#   bash benches/dnssec.sh                  # 20 runs, root 10 ms, TLD 20 ms, authoritative 30 ms
#   RUNS=50 DELAYS=20,40,60 bash benches/dnssec.sh
set -euo pipefail
cd "$(dirname "$0")/.."
. benches/common.sh
RUNS=${RUNS:-20}
DELAYS=${DELAYS:-10,20,30}

if [ -z "${DNSCOPE_BENCH_INSIDE:-}" ]; then
  ensure_tools drill:ldnsutils hyperfine:hyperfine python3:python3
  cargo build --release --locked -q
  cargo build --release --locked -q --example lab
  RUNS="$RUNS" DELAYS="$DELAYS" enter_private_network "$0" "$@"
fi

private_setup
target/release/examples/lab --signed "$DELAYS" > "$work/lab.out" & echo $! > "$work/lab.pid"
for _ in $(seq 50); do [ -s "$work/lab.out" ] && break; sleep 0.1; done
port=$(sed 's/.*port=\([0-9]*\).*/\1/' "$work/lab.out")
hints=$(sed 's/.*hints=\([^ ]*\).*/\1/' "$work/lab.out")
anchor=$(sed 's/.*anchor=//' "$work/lab.out")
dnscope=$PWD/target/release/dnscope
IFS=, read -r root tld auth <<< "$DELAYS"

median() {
  hyperfine -N -i --warmup 2 --runs "$RUNS" --export-json "$work/run.json" "$1" >/dev/null 2>&1
  python3 -c "import json,sys; print(round(json.load(open(sys.argv[1]))['results'][0]['median']*1000, 1))" "$work/run.json"
}

# Sanity: the validating trace ends secure, or the figures mean nothing.
$dnscope +trace +dnssec --json --root-hints "$hints" --trust-anchor "$anchor" -p "$port" www.signed.com \
  | python3 -c 'import json,sys; d=json.loads(sys.stdin.readline()); assert d["dnssec"]["verdict"] == "secure", d["dnssec"]'
echo "signed hierarchy, per-server delay: root ${root} ms, TLD ${tld} ms, authoritative ${auth} ms; ${RUNS} runs; medians"
plain=$(median "$dnscope +trace --root-hints $hints -p $port www.signed.com")
secure=$(median "$dnscope +trace +dnssec --root-hints $hints --trust-anchor $anchor -p $port www.signed.com")
printf '%-40s %8s ms\n' "dnscope +trace" "$plain" "dnscope +trace +dnssec" "$secure"
python3 -c "print(f'validation costs {$secure / $plain:.2f}x the plain trace (target: at most 1.30x)')"
if drill -TD -k "$anchor" -r "$hints" -p "$port" www.signed.com 2>&1 | grep -q 'www.signed.com.*192.0.2.1'; then
  result="complete answer"
else
  result="no final answer"
fi
printf '%-40s %8s ms  %s\n' "drill -TD" "$(median "drill -TD -k $anchor -r $hints -p $port www.signed.com")" "$result"
